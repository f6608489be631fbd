/* The 784-800-10 network: parameters, forward pass, loss, backward pass and
 * plain SGD. Shapes are given as rows x cols (row-major); B = rows of the
 * batch, I = n_in, H = n_hidden, O = n_out. */
#include "digitpad/mlp.h"
#include "mlp_internal.h"
#include "sparse_kernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int size_ok(int n) {
    return n >= 1 && n <= DP_MAX_UNITS;
}

dp_status dp_mlp_create(dp_mlp **out, int n_in, int n_hidden, int n_out) {
    if (!out) return DP_ERR_ARG;
    *out = NULL;
    if (!size_ok(n_in) || !size_ok(n_hidden) || !size_ok(n_out)) return DP_ERR_SHAPE;
    size_t I = (size_t)n_in, H = (size_t)n_hidden, O = (size_t)n_out;
    dp_mlp *m = calloc(1, sizeof *m);
    if (!m) return DP_ERR_NOMEM;
    m->n_in = n_in;
    m->n_hidden = n_hidden;
    m->n_out = n_out;
    m->n_params = I * H + H + H * O + O;
    m->params = dp__calloc_lines(m->n_params, sizeof(float));
    if (!m->params) {
        free(m);
        return DP_ERR_NOMEM;
    }
    m->W1 = m->params;     /* I x H */
    m->b1 = m->W1 + I * H; /* H */
    m->W2 = m->b1 + H;     /* H x O */
    m->b2 = m->W2 + H * O; /* O */
    *out = m;
    return DP_OK;
}

void dp_mlp_destroy(dp_mlp *m) {
    if (!m) return;
    free(m->params);
    free(m);
}

int dp_mlp_same_shape(const dp_mlp *a, const dp_mlp *b) {
    return a && b && a->n_in == b->n_in && a->n_hidden == b->n_hidden && a->n_out == b->n_out;
}

dp_status dp_mlp_copy(dp_mlp *dst, const dp_mlp *src) {
    if (!dp_mlp_same_shape(dst, src)) return DP_ERR_SHAPE;
    memcpy(dst->params, src->params, src->n_params * sizeof(float));
    return DP_OK;
}

void dp_mlp_zero(dp_mlp *m) {
    memset(m->params, 0, m->n_params * sizeof(float));
}

void dp_mlp_init_he(dp_mlp *m, dp_rng *rng) {
    float s1 = sqrtf(2.0f / (float)m->n_in), s2 = sqrtf(2.0f / (float)m->n_hidden);
    size_t n1 = (size_t)m->n_in * m->n_hidden, n2 = (size_t)m->n_hidden * m->n_out;
    for (size_t i = 0; i < n1; i++) m->W1[i] = s1 * dp_rng_normal(rng);
    for (size_t i = 0; i < n2; i++) m->W2[i] = s2 * dp_rng_normal(rng);
    memset(m->b1, 0, (size_t)m->n_hidden * sizeof(float));
    memset(m->b2, 0, (size_t)m->n_out * sizeof(float));
}

dp_status dp_workspace_create(dp_workspace **out, const dp_mlp *shape, int max_rows) {
    if (!out) return DP_ERR_ARG;
    *out = NULL;
    if (!shape || max_rows < 1 || max_rows > (1 << 20)) return DP_ERR_ARG;
    size_t R = (size_t)max_rows, H = (size_t)shape->n_hidden, O = (size_t)shape->n_out;
    dp_workspace *ws = calloc(1, sizeof *ws);
    if (!ws) return DP_ERR_NOMEM;
    ws->max_rows = max_rows;
    ws->n_in = shape->n_in;
    ws->n_hidden = shape->n_hidden;
    ws->n_out = shape->n_out;
    ws->out1 = dp__calloc_lines(R * H, sizeof(float));
    ws->delta1 = dp__calloc_lines(R * H, sizeof(float));
    ws->net2 = dp__calloc_lines(R * O, sizeof(float));
    ws->out2 = dp__calloc_lines(R * O, sizeof(float));
    ws->delta2 = dp__calloc_lines(R * O, sizeof(float));
    if (!ws->out1 || !ws->delta1 || !ws->net2 || !ws->out2 || !ws->delta2) {
        dp_workspace_destroy(ws);
        return DP_ERR_NOMEM;
    }
    *out = ws;
    return DP_OK;
}

void dp_workspace_destroy(dp_workspace *ws) {
    if (!ws) return;
    free(ws->out1);
    free(ws->delta1);
    free(ws->net2);
    free(ws->out2);
    free(ws->delta2);
    free(ws);
}

int dp__ws_fits(const dp_mlp *m, const dp_workspace *ws, int rows) {
    return m && ws && rows >= 1 && rows <= ws->max_rows && ws->n_in == m->n_in &&
           ws->n_hidden == m->n_hidden && ws->n_out == m->n_out;
}

/* Fill each of the rows of Y (rows x n) with the bias row b. */
static void broadcast_rows(float *Y, const float *b, int rows, int n) {
    for (int r = 0; r < rows; r++) memcpy(Y + (size_t)r * n, b, (size_t)n * sizeof(float));
}

/* Softmax of one row of logits z (n of them) into p (may be z), stable for
 * any finite logits: subtract the maximum before exponentiating. Returns
 * log(sum(exp(z))), so -ln p[y] = that - z[y]. */
double dp__softmax_row(const float *z, float *p, int n) {
    float mx = z[0];
    for (int j = 1; j < n; j++) mx = z[j] > mx ? z[j] : mx;
    float sum = 0.0f;
    for (int j = 0; j < n; j++) sum += (p[j] = expf(z[j] - mx));
    float inv = 1.0f / sum;
    for (int j = 0; j < n; j++) p[j] *= inv;
    return (double)mx + log((double)sum);
}

/* Row-wise softmax of Z (rows x n) into P. */
static void softmax_rows(const float *Z, float *P, int rows, int n) {
    for (int r = 0; r < rows; r++) dp__softmax_row(Z + (size_t)r * n, P + (size_t)r * n, n);
}

static void forward_sparse_row(const dp_mlp *m, dp_workspace *ws, const float *x);

const float *dp_mlp_forward(const dp_mlp *m, dp_workspace *ws, const float *X, int rows,
                            dp_backend be) {
    if (!dp__ws_fits(m, ws, rows) || !X) return NULL;
    int I = m->n_in, H = m->n_hidden, O = m->n_out;
    if (rows == 1 && be == DP_BACKEND_BLAS) {
        forward_sparse_row(m, ws, X);
        return ws->out2;
    }
    /* out1 (B x H) = relu(X (B x I) . W1 (I x H) + b1) */
    broadcast_rows(ws->out1, m->b1, rows, H);
    dp_gemm(be, DP_NOTRANS, DP_NOTRANS, rows, H, I, 1.0f, X, I, m->W1, H, 1.0f, ws->out1, H);
    size_t nh = (size_t)rows * H;
    for (size_t i = 0; i < nh; i++) ws->out1[i] = ws->out1[i] > 0.0f ? ws->out1[i] : 0.0f;
    /* net2 (B x O) = out1 (B x H) . W2 (H x O) + b2 ; out2 = softmax(net2) */
    broadcast_rows(ws->net2, m->b2, rows, O);
    dp_gemm(be, DP_NOTRANS, DP_NOTRANS, rows, O, H, 1.0f, ws->out1, H, m->W2, O, 1.0f, ws->net2, O);
    softmax_rows(ws->net2, ws->out2, rows, O);
    return ws->out2;
}

/* One row, skipping zero inputs (a drawing is mostly background) and hidden
 * units that did not fire: out1 = relu(b1 + sum over x[i] != 0 of
 * x[i] W1[i,:]), net2 = b2 + sum over out1[j] > 0 of out1[j] W2[j,:]. */
static void forward_sparse_row(const dp_mlp *m, dp_workspace *ws, const float *x) {
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    float *h = ws->out1, *z = ws->net2;
    /* the non-zero inputs, NZ inputs at a time, in input order */
    enum { NZ = 1024 };
    int idx[NZ + DP_NONZEROS_SLACK];
    float v[NZ + DP_NONZEROS_SLACK];
    const float *h0 = m->b1;
    for (int i = 0; i < I; i += NZ) {
        const int n = dp__nonzeros(x + i, I - i < NZ ? I - i : NZ, i, idx, v);
        if (n == 0 && h0 == h) continue; /* (the first call copies b1 even without inputs) */
        dp__row_forward(H, h0, idx, v, n, m->W1, H, h);
        h0 = h;
    }
    for (int j = 0; j < H; j++) h[j] = h[j] > 0.0f ? h[j] : 0.0f;
    dp__row_logits(H, O, h, m->W2, m->b2, z);
    dp__softmax_row(z, ws->out2, O);
}

/* Cross-entropy of one row of logits z (O of them) for its label; NaN if
 * the label has no output. */
double dp__row_loss(const float *z, int label, int O) {
    double mx = z[0], sum = 0.0;
    for (int j = 1; j < O; j++) mx = z[j] > mx ? z[j] : mx;
    for (int j = 0; j < O; j++) sum += exp((double)z[j] - mx);
    if (label < 0 || label >= O) return NAN; /* no such class: no loss to speak of */
    /* -ln softmax(z)[y] = logsumexp(z) - z[y] */
    return mx + log(sum) - (double)z[label];
}

double dp_mlp_loss(const dp_workspace *ws, const uint8_t *labels, int rows) {
    double total = 0.0;
    for (int r = 0; r < rows; r++) {
        double l = dp__row_loss(ws->net2 + (size_t)r * ws->n_out, labels[r], ws->n_out);
        if (isnan(l)) return l;
        total += l;
    }
    return total / rows;
}

/* delta2 (B x O) = (out2 - onehot(labels)) * scale */
void dp__output_delta(dp_workspace *ws, const uint8_t *labels, int rows, float scale) {
    int O = ws->n_out;
    for (int r = 0; r < rows; r++)
        dp__output_delta_row(ws->out2 + (size_t)r * O, labels[r], scale, O,
                             ws->delta2 + (size_t)r * O);
}

/* delta1 (B x H) = (delta2 (B x O) . W2^T (O x H)) * r'(net1), r' = [out1 > 0] */
static void hidden_delta(const dp_mlp *m, dp_workspace *ws, int rows, dp_backend be) {
    int H = m->n_hidden, O = m->n_out;
    dp_gemm(be, DP_NOTRANS, DP_TRANS, rows, H, O, 1.0f, ws->delta2, O, m->W2, O, 0.0f, ws->delta1,
            H);
    size_t nh = (size_t)rows * H;
    for (size_t i = 0; i < nh; i++)
        if (ws->out1[i] <= 0.0f) ws->delta1[i] = 0.0f;
}

/* out[j] = sum over rows of D[r][j], D is rows x n */
static void column_sums(const float *D, int rows, int n, float *out) {
    memset(out, 0, (size_t)n * sizeof(float));
    for (int r = 0; r < rows; r++)
        for (int j = 0; j < n; j++) out[j] += D[(size_t)r * n + j];
}

int dp__labels_ok(const uint8_t *labels, int rows, int n_out) {
    for (int r = 0; r < rows; r++)
        if (labels[r] >= n_out) return 0;
    return 1;
}

dp_status dp_mlp_backward(const dp_mlp *m, dp_workspace *ws, const float *X, const uint8_t *labels,
                          int rows, dp_mlp *grad, dp_backend be) {
    if (!dp__ws_fits(m, ws, rows) || !X || !labels || !dp_mlp_same_shape(m, grad))
        return DP_ERR_ARG;
    if (!dp__labels_ok(labels, rows, m->n_out)) return DP_ERR_RANGE;
    int I = m->n_in, H = m->n_hidden, O = m->n_out;
    dp__output_delta(ws, labels, rows, 1.0f / (float)rows);
    /* dW2 (H x O) = out1^T (H x B) . delta2 (B x O) */
    dp_gemm(be, DP_TRANS, DP_NOTRANS, H, O, rows, 1.0f, ws->out1, H, ws->delta2, O, 0.0f, grad->W2,
            O);
    column_sums(ws->delta2, rows, O, grad->b2);
    hidden_delta(m, ws, rows, be);
    /* dW1 (I x H) = X^T (I x B) . delta1 (B x H) */
    dp_gemm(be, DP_TRANS, DP_NOTRANS, I, H, rows, 1.0f, X, I, ws->delta1, H, 0.0f, grad->W1, H);
    column_sums(ws->delta1, rows, H, grad->b1);
    return DP_OK;
}

/* Update one tensor of n values: w -= lr * (g + wd * w), with momentum
 * through v when v is non-NULL: v = mu * v - lr * (g + wd * w); w += v. */
static void sgd_tensor(float *w, const float *g, float *v, size_t n, float lr, float mu, float wd) {
    if (v) {
        for (size_t i = 0; i < n; i++) {
            v[i] = mu * v[i] - lr * (g[i] + wd * w[i]);
            w[i] += v[i];
        }
    } else {
        for (size_t i = 0; i < n; i++) w[i] -= lr * (g[i] + wd * w[i]);
    }
}

dp_status dp_mlp_sgd(dp_mlp *m, const dp_mlp *grad, dp_mlp *velocity, float lr, float momentum,
                     float weight_decay) {
    if (!dp_mlp_same_shape(m, grad)) return DP_ERR_ARG;
    if (momentum != 0.0f && !dp_mlp_same_shape(m, velocity)) return DP_ERR_ARG;
    dp_mlp *v = momentum != 0.0f ? velocity : NULL;
    size_t n1 = (size_t)m->n_in * m->n_hidden, n2 = (size_t)m->n_hidden * m->n_out;
    /* Weight decay applies to the weight matrices, not to the biases. */
    sgd_tensor(m->W1, grad->W1, v ? v->W1 : NULL, n1, lr, momentum, weight_decay);
    sgd_tensor(m->b1, grad->b1, v ? v->b1 : NULL, (size_t)m->n_hidden, lr, momentum, 0.0f);
    sgd_tensor(m->W2, grad->W2, v ? v->W2 : NULL, n2, lr, momentum, weight_decay);
    sgd_tensor(m->b2, grad->b2, v ? v->b2 : NULL, (size_t)m->n_out, lr, momentum, 0.0f);
    return DP_OK;
}

int dp_argmax(const float *v, int n) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (v[i] > v[best]) best = i;
    return best;
}

double dp_mlp_activation_bound(const dp_mlp *m) {
    if (!m || !m->params) return 0.0;
    enum { BLOCK = 64 }; /* outputs per pass over W1 */
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    double worst = 0.0;
    for (int k0 = 0; k0 < O; k0 += BLOCK) {
        const int kn = O - k0 < BLOCK ? O - k0 : BLOCK;
        double out[BLOCK];
        for (int k = 0; k < kn; k++) out[k] = fabs((double)m->b2[k0 + k]);
        for (int j = 0; j < H; j++) {
            /* hidden unit j: |net1| <= abs_sum, relu(net1) <= max(pos_sum, 0) */
            double abs_sum = fabs((double)m->b1[j]), pos_sum = (double)m->b1[j];
            for (int i = 0; i < I; i++) {
                const double w = (double)m->W1[(size_t)i * (size_t)H + (size_t)j];
                abs_sum += fabs(w);
                pos_sum += w > 0.0 ? w : 0.0;
            }
            if (abs_sum > worst) worst = abs_sum;
            const double h = pos_sum > 0.0 ? pos_sum : 0.0;
            const float *w2 = m->W2 + (size_t)j * (size_t)O + (size_t)k0;
            for (int k = 0; k < kn; k++) out[k] += fabs((double)w2[k]) * h;
        }
        for (int k = 0; k < kn; k++)
            if (out[k] > worst) worst = out[k];
    }
    return worst;
}

int dp_all_finite(const float *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}
