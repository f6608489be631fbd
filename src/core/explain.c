/* Looking inside the network for one input: traces, unit contributions,
 * logit terms, input gradients and a batch's backward pass. */
#include "digitpad/explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mlp_internal.h"

dp_status dp_trace_create(dp_trace **out, const dp_mlp *shape) {
    if (!out) return DP_ERR_ARG;
    *out = NULL;
    if (!shape) return DP_ERR_ARG;
    dp_trace *t = calloc(1, sizeof *t);
    size_t H = (size_t)shape->n_hidden, O = (size_t)shape->n_out;
    float *buf = malloc((3 * H + 2 * O) * sizeof *buf);
    int *idx = malloc(H * sizeof *idx);
    if (!t || !buf || !idx) {
        free(t);
        free(buf);
        free(idx);
        return DP_ERR_NOMEM;
    }
    t->active_idx = idx;
    t->n_in = shape->n_in;
    t->n_hidden = shape->n_hidden;
    t->n_out = shape->n_out;
    t->net1 = buf;
    t->out1 = buf + H;
    t->scratch = buf + 2 * H;
    t->net2 = buf + 3 * H;
    t->out2 = buf + 3 * H + O;
    t->top = t->second = -1;
    *out = t;
    return DP_OK;
}

void dp_trace_destroy(dp_trace *t) {
    if (!t) return;
    free(t->net1); /* the one float buffer */
    free(t->active_idx);
    free(t);
}

static int trace_fits(const dp_trace *t, const dp_mlp *m) {
    return t && m && t->n_in == m->n_in && t->n_hidden == m->n_hidden && t->n_out == m->n_out;
}

dp_status dp_trace_run(dp_trace *t, const dp_mlp *m, const float *x) {
    if (!t || !m || !x) return DP_ERR_ARG;
    if (!trace_fits(t, m)) return DP_ERR_SHAPE;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    /* net1 = b1 + sum over the non-zero inputs of x_i * W1[i,:] */
    memcpy(t->net1, m->b1, (size_t)H * sizeof *t->net1);
    for (int i = 0; i < I; i++)
        if (x[i] != 0.0f) dp__axpy(H, x[i], m->W1 + (size_t)i * H, t->net1);
    t->active = 0;
    memcpy(t->net2, m->b2, (size_t)O * sizeof *t->net2);
    for (int j = 0; j < H; j++) {
        float a = t->net1[j] > 0.0f ? t->net1[j] : 0.0f;
        t->out1[j] = a;
        if (a > 0.0f) {
            t->active++;
            dp__axpy(O, a, m->W2 + (size_t)j * O, t->net2);
        }
    }
    t->log_sum_exp = dp__softmax_row(t->net2, t->out2, O);
    t->sum_exp = exp(t->log_sum_exp);
    t->top = dp_argmax(t->net2, O);
    t->second = -1;
    for (int k = 0; k < O; k++)
        if (k != t->top && (t->second < 0 || t->net2[k] > t->net2[t->second])) t->second = k;
    return DP_OK;
}

dp_status dp_unit_contributions(const dp_mlp *m, const float *x, int j, float *contrib,
                                dp_unit_view *u) {
    if (!m || !x || !u) return DP_ERR_ARG;
    if (j < 0 || j >= m->n_hidden) return DP_ERR_RANGE;
    const int I = m->n_in, H = m->n_hidden;
    double pos = 0.0, neg = 0.0;
    for (int i = 0; i < I; i++) {
        float c = x[i] * m->W1[(size_t)i * H + j];
        if (contrib) contrib[i] = c;
        if (c > 0.0f)
            pos += c;
        else
            neg += c;
    }
    u->unit = j;
    u->bias = m->b1[j];
    u->pos = pos;
    u->neg = neg;
    u->sum = pos + neg;
    u->net = (float)(u->bias + u->sum);
    u->act = u->net > 0.0f ? u->net : 0.0f;
    return DP_OK;
}

static int classes_ok(const dp_mlp *m, int k, int r) {
    return k >= 0 && k < m->n_out && r < m->n_out && r != k;
}

dp_status dp_logit_why_compute(const dp_mlp *m, const dp_trace *t, int k, int r, int n_top,
                               dp_logit_why *out) {
    if (!m || !out) return DP_ERR_ARG;
    if (!trace_fits(t, m)) return DP_ERR_SHAPE;
    if (!classes_ok(m, k, r)) return DP_ERR_RANGE;
    if (n_top < 0) n_top = 0;
    if (n_top > DP_WHY_MAX) n_top = DP_WHY_MAX;
    const int H = m->n_hidden, O = m->n_out;
    memset(out, 0, sizeof *out);
    out->k = k;
    out->r = r < 0 ? -1 : r;
    out->bias = (double)m->b2[k] - (r >= 0 ? (double)m->b2[r] : 0.0);
    out->logit = r >= 0 ? t->net2[k] - t->net2[r] : t->net2[k];
    /* Keep the n_top largest terms in out (sorted, largest first) by
     * insertion; sum all terms, then take the listed ones out of the sum. */
    double all = 0.0;
    for (int j = 0; j < H; j++) {
        float a = t->out1[j];
        if (a <= 0.0f) continue;
        const float *w = m->W2 + (size_t)j * O;
        float v = a * (r >= 0 ? w[k] - w[r] : w[k]);
        all += v;
        if (out->n == n_top && (n_top == 0 || v <= out->value[n_top - 1])) continue;
        int at = out->n < n_top ? out->n++ : n_top - 1;
        while (at > 0 && out->value[at - 1] < v) {
            out->value[at] = out->value[at - 1];
            out->unit[at] = out->unit[at - 1];
            at--;
        }
        out->value[at] = v;
        out->unit[at] = j;
    }
    double listed = 0.0;
    for (int i = 0; i < out->n; i++) listed += out->value[i];
    out->rest = all - listed;
    return DP_OK;
}

dp_status dp_input_gradient(const dp_mlp *m, dp_trace *t, int k, int r, float *grad) {
    if (!m || !grad) return DP_ERR_ARG;
    if (!trace_fits(t, m)) return DP_ERR_SHAPE;
    if (!classes_ok(m, k, r)) return DP_ERR_RANGE;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    /* v = r'(net1) * (W2[:,k] - W2[:,r]), kept for the units that fire
     * only (r' is 0 elsewhere): their indices in idx, their v in v. */
    float *v = t->scratch;
    int *idx = t->active_idx, na = 0;
    for (int j = 0; j < H; j++) {
        if (!(t->net1[j] > 0.0f)) continue;
        const float *w = m->W2 + (size_t)j * O;
        v[na] = r >= 0 ? w[k] - w[r] : w[k];
        idx[na++] = j;
    }
    /* grad_i = sum over the active j of W1[i,j] * v_j, four partial sums */
    for (int i = 0; i < I; i++) {
        const float *row = m->W1 + (size_t)i * H;
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        int a = 0;
        for (; a + 4 <= na; a += 4) {
            s0 += row[idx[a]] * v[a];
            s1 += row[idx[a + 1]] * v[a + 1];
            s2 += row[idx[a + 2]] * v[a + 2];
            s3 += row[idx[a + 3]] * v[a + 3];
        }
        for (; a < na; a++) s0 += row[idx[a]] * v[a];
        grad[i] = (s0 + s1) + (s2 + s3);
    }
    return DP_OK;
}

static double norm2(const float *v, size_t n) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (double)v[i] * v[i];
    return sqrt(s);
}

dp_status dp_backward_view_compute(const dp_mlp *m, dp_workspace *ws, dp_mlp *grad, const float *X,
                                   const uint8_t *y, int rows, float lr, dp_backward_view *out) {
    if (!m || !ws || !grad || !X || !y || !out || rows < 1) return DP_ERR_ARG;
    memset(out, 0, sizeof *out);
    if (m->n_out > DP_VIEW_MAX_OUT || !dp_mlp_same_shape(m, grad) || !dp__ws_fits(m, ws, rows))
        return DP_ERR_SHAPE;
    if (!dp__labels_ok(y, rows, m->n_out)) return DP_ERR_RANGE;
    if (!dp_mlp_forward(m, ws, X, rows, DP_BACKEND_BLAS)) return DP_ERR_SHAPE;
    out->loss = dp_mlp_loss(ws, y, rows);
    dp_status s = dp_mlp_backward(m, ws, X, y, rows, grad, DP_BACKEND_BLAS);
    if (s != DP_OK) return s;
    const int H = m->n_hidden, O = m->n_out;
    out->rows = rows;
    out->n_in = m->n_in;
    out->n_hidden = H;
    out->n_out = O;
    out->lr = lr;
    /* The first sample, in the paper's per-sample notation. */
    out->label = y[0];
    for (int k = 0; k < O; k++) {
        out->out2[k] = ws->out2[k];
        out->delta2[k] = ws->out2[k] - (k == y[0] ? 1.0f : 0.0f);
    }
    double dn = 0.0;
    out->delta1_max_unit = -1;
    for (int j = 0; j < H; j++) {
        if (!(ws->out1[j] > 0.0f)) continue; /* r'(net1_j) = 0 */
        out->active++;
        const float *w = m->W2 + (size_t)j * O;
        float d = 0.0f;
        for (int k = 0; k < O; k++) d += out->delta2[k] * w[k];
        dn += (double)d * d;
        if (out->delta1_max_unit < 0 || fabsf(d) > fabsf(out->delta1_max)) {
            out->delta1_max = d;
            out->delta1_max_unit = j;
        }
    }
    out->delta1_norm = sqrt(dn);
    out->dW1_norm = norm2(grad->W1, (size_t)m->n_in * H);
    out->db1_norm = norm2(grad->b1, (size_t)H);
    out->dW2_norm = norm2(grad->W2, (size_t)H * O);
    out->db2_norm = norm2(grad->b2, (size_t)O);
    out->valid = 1;
    return DP_OK;
}
