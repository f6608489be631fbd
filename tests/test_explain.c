/* Looking inside the network (include/digitpad/explain.h), checked against
 * independent double-precision loops, the BLAS forward pass and central
 * finite differences, on the real 784-800-10 shape: the shipped model on
 * drawn digits and a He-initialised network on random inputs. Also the
 * input map of the preprocessing (dp_input_map_pullback is the transpose of
 * the resampling). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/canvas.h"
#include "digitpad/explain.h"
#include "digitpad/model.h"
#include "digitpad/preprocess.h"
#include "digitpad/train.h"
#include "testutil.h"

#define SHIPPED_MODEL "models/mnist-800.dpm"

/* Independent reference: net1 and net2 in double by plain loops. */
typedef struct ref_pass {
    double *net1, *out1, *net2; /* H, H, O */
    double *abs1;               /* H: |b1_j| + sum_i |x_i W1[i,j]|, the size of net1's terms */
} ref_pass;

static void ref_forward(const dp_mlp *m, const float *x, ref_pass *r) {
    int I = m->n_in, H = m->n_hidden, O = m->n_out;
    for (int j = 0; j < H; j++) {
        double s = m->b1[j], a = fabs(m->b1[j]);
        for (int i = 0; i < I; i++) {
            double v = (double)x[i] * m->W1[(size_t)i * H + j];
            s += v;
            a += fabs(v);
        }
        r->net1[j] = s;
        r->abs1[j] = a;
        r->out1[j] = s > 0 ? s : 0;
    }
    for (int k = 0; k < O; k++) {
        double s = m->b2[k];
        for (int j = 0; j < H; j++) s += r->out1[j] * m->W2[(size_t)j * O + k];
        r->net2[k] = s;
    }
}

static ref_pass ref_alloc(const dp_mlp *m) {
    ref_pass r;
    r.net1 = malloc(sizeof(double) * (size_t)m->n_hidden);
    r.out1 = malloc(sizeof(double) * (size_t)m->n_hidden);
    r.net2 = malloc(sizeof(double) * (size_t)m->n_out);
    r.abs1 = malloc(sizeof(double) * (size_t)m->n_hidden);
    return r;
}

static void ref_free(ref_pass *r) {
    free(r->net1);
    free(r->out1);
    free(r->net2);
    free(r->abs1);
}

/* |a - b| <= tol * |b| with a floor for values near zero: scale is the size
 * of the terms that add up to b. */
static int rel_close(double a, double b, double tol, double scale) {
    return fabs(a - b) <= tol * (fabs(b) > scale ? fabs(b) : scale);
}

static void random_net(dp_mlp *m, uint64_t seed) {
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_mlp_init_he(m, &rng);
    for (int j = 0; j < m->n_hidden; j++) m->b1[j] = 0.1f * dp_rng_normal(&rng);
    for (int k = 0; k < m->n_out; k++) m->b2[k] = 0.1f * dp_rng_normal(&rng);
}

/* A drawing on a 28x28 canvas, preprocessed as the window does. */
static void drawn_input(const float *xy, int n, float *x) {
    dp_canvas *c = NULL;
    dp_canvas_create(&c, 28, 28);
    dp_brush b = dp_brush_default();
    dp_canvas_polyline(c, &b, xy, n, 0);
    CHECK(dp_preprocess(c->cells, 28, 28, x) == DP_OK);
    dp_canvas_destroy(c);
}

static const float SEVEN[] = {7, 6, 21, 6, 17, 13, 14, 19, 12, 24};
static const float THREE[] = {8, 6, 15, 4, 20, 8, 15, 13, 11, 14, 16, 15, 20, 19, 15, 24, 8, 22};

/* The trace agrees with the BLAS forward pass and the double reference. */
static void check_trace(const dp_mlp *m, dp_trace *t, const float *x) {
    CHECK(dp_trace_run(t, m, x) == DP_OK);
    dp_workspace *ws = NULL;
    CHECK(dp_workspace_create(&ws, m, 1) == DP_OK);
    const float *p = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_REFERENCE);
    ref_pass r = ref_alloc(m);
    ref_forward(m, x, &r);
    int active = 0, bad = 0;
    for (int j = 0; j < m->n_hidden; j++) {
        active += r.net1[j] > 0;
        int b1 = !rel_close(t->net1[j], r.net1[j], 1e-4, 1e-3 * r.abs1[j]);
        int b2 = !rel_close(t->out1[j], ws->out1[j], 1e-4, 1e-3 * r.abs1[j]);
        if ((b1 || b2) && bad < 5)
            printf("  unit %d: trace %.9g/%.9g ref %.9g forward %.9g (terms %.4g)\n", j, t->net1[j],
                   t->out1[j], r.net1[j], ws->out1[j], r.abs1[j]);
        bad += b1 + b2;
    }
    CHECKF(bad == 0, "%d hidden values differ from the reference", bad);
    CHECKF(t->active == active, "active %d vs %d", t->active, active);
    double psum = 0, se = 0;
    for (int k = 0; k < m->n_out; k++) {
        CHECK(rel_close(t->net2[k], r.net2[k], 1e-4, 1e-2));
        CHECK(rel_close(t->out2[k], p[k], 1e-4, 1e-6));
        psum += t->out2[k];
        se += exp(r.net2[k]);
    }
    CHECK_NEAR(psum, 1.0, 1e-5);
    CHECK(rel_close(t->sum_exp, se, 1e-4, 0));
    CHECK(rel_close(t->log_sum_exp, log(se), 1e-5, 1));
    CHECK(t->top == dp_argmax(p, m->n_out));
    CHECK(t->second >= 0 && t->second != t->top);
    for (int k = 0; k < m->n_out; k++)
        if (k != t->top) CHECK(t->net2[k] <= t->net2[t->second]);
    ref_free(&r);
    dp_workspace_destroy(ws);
}

/* Every unit's contributions plus its bias are its net1 (relative 1e-4),
 * against the reference and, for units that fire, the BLAS pass. */
static void check_contributions(const dp_mlp *m, const float *x) {
    ref_pass r = ref_alloc(m);
    ref_forward(m, x, &r);
    dp_workspace *ws = NULL;
    dp_workspace_create(&ws, m, 1);
    dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
    float *c = malloc(sizeof(float) * (size_t)m->n_in);
    int bad = 0, bad_blas = 0, bad_map = 0;
    for (int j = 0; j < m->n_hidden; j++) {
        dp_unit_view u;
        CHECK(dp_unit_contributions(m, x, j, c, &u) == DP_OK);
        double sumabs = fabs(u.bias), csum = 0;
        for (int i = 0; i < m->n_in; i++) {
            double want = (double)x[i] * m->W1[(size_t)i * m->n_hidden + j];
            bad_map += fabs(c[i] - want) > 1e-7 * fabs(want) + 1e-30 || (x[i] == 0 && c[i] != 0);
            sumabs += fabs(want);
            csum += c[i];
        }
        bad += u.unit != j || u.bias != m->b1[j];
        bad += !rel_close(u.bias + u.sum, r.net1[j], 1e-4, 1e-4 * sumabs);
        bad += !rel_close(u.net, r.net1[j], 1e-4, 1e-4 * sumabs);
        bad += !rel_close(csum, u.sum, 1e-5, 1e-4 * sumabs);
        bad += !rel_close(u.pos + u.neg, u.sum, 1e-9, 1e-9) || u.pos < 0 || u.neg > 0;
        bad += u.act != (u.net > 0 ? u.net : 0.0f);
        bad_blas += !rel_close(u.act, ws->out1[j], 1e-4, 1e-4 * sumabs);
    }
    CHECKF(bad == 0, "%d unit checks failed", bad);
    CHECKF(bad_blas == 0, "%d units disagree with the BLAS forward pass", bad_blas);
    CHECKF(bad_map == 0, "%d contribution entries are not x_i * W1[i,j]", bad_map);
    dp_unit_view u;
    CHECK(dp_unit_contributions(m, x, m->n_hidden, c, &u) == DP_ERR_RANGE);
    CHECK(dp_unit_contributions(m, x, -1, c, &u) == DP_ERR_RANGE);
    CHECK(dp_unit_contributions(m, x, 0, NULL, &u) == DP_OK);
    free(c);
    dp_workspace_destroy(ws);
    ref_free(&r);
}

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The "why" row adds up to its logit, lists the true largest terms in
 * order, for a logit and for a difference of two. */
static void check_why_one(const dp_mlp *m, const dp_trace *t, const ref_pass *r, const float *net2,
                          int k, int q, int n_top) {
    dp_logit_why w;
    CHECK(dp_logit_why_compute(m, t, k, q, n_top, &w) == DP_OK);
    int H = m->n_hidden, O = m->n_out;
    double *terms = malloc(sizeof(double) * (size_t)H), sumabs = 0;
    int nt = 0;
    for (int j = 0; j < H; j++) {
        if (r->out1[j] <= 0) continue;
        double wk = m->W2[(size_t)j * O + k] - (q >= 0 ? m->W2[(size_t)j * O + q] : 0.0f);
        terms[nt++] = r->out1[j] * wk;
        sumabs += fabs(r->out1[j] * wk);
    }
    double logit = net2[k] - (q >= 0 ? net2[q] : 0.0f);
    double listed = 0;
    for (int i = 0; i < w.n; i++) listed += w.value[i];
    CHECK(w.k == k && w.r == (q >= 0 ? q : -1));
    CHECK_NEAR(w.bias, (double)m->b2[k] - (q >= 0 ? (double)m->b2[q] : 0.0), 1e-7);
    CHECKF(rel_close(w.bias + w.rest + listed, logit, 1e-4, 1e-4 * sumabs),
           "k %d r %d: %.6f + %.6f + %.6f != %.6f", k, q, w.bias, w.rest, listed, logit);
    CHECK(rel_close(w.logit, logit, 1e-4, 1e-4 * sumabs));
    int want_n = n_top < nt ? n_top : nt;
    if (want_n > DP_WHY_MAX) want_n = DP_WHY_MAX;
    CHECK(w.n == want_n);
    qsort(terms, (size_t)nt, sizeof *terms, cmp_desc);
    for (int i = 0; i < w.n; i++) {
        int j = w.unit[i];
        double wk = m->W2[(size_t)j * O + k] - (q >= 0 ? m->W2[(size_t)j * O + q] : 0.0f);
        CHECK(r->out1[j] > 0);
        CHECK(rel_close(w.value[i], r->out1[j] * wk, 1e-4, 1e-6));
        CHECK(rel_close(w.value[i], terms[i], 1e-4, 1e-6)); /* the i-th largest */
        if (i > 0) CHECK(w.value[i] <= w.value[i - 1]);
    }
    free(terms);
}

static void check_why(const dp_mlp *m, dp_trace *t, const float *x) {
    dp_trace_run(t, m, x);
    ref_pass r = ref_alloc(m);
    ref_forward(m, x, &r);
    dp_workspace *ws = NULL;
    dp_workspace_create(&ws, m, 1);
    dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
    const float *net2 = ws->net2; /* the logits the window predicts from */
    check_why_one(m, t, &r, net2, t->top, -1, 8);
    check_why_one(m, t, &r, net2, t->second, -1, 8);
    check_why_one(m, t, &r, net2, t->top, t->second, 8);
    check_why_one(m, t, &r, net2, t->second, t->top, DP_WHY_MAX);
    check_why_one(m, t, &r, net2, 0, -1, 100); /* capped */
    check_why_one(m, t, &r, net2, 3, -1, 0);   /* everything is "rest" */
    dp_logit_why w;
    CHECK(dp_logit_why_compute(m, t, 2, 2, 8, &w) == DP_ERR_RANGE);
    CHECK(dp_logit_why_compute(m, t, m->n_out, -1, 8, &w) == DP_ERR_RANGE);
    CHECK(dp_logit_why_compute(m, t, 1, m->n_out, 8, &w) == DP_ERR_RANGE);
    dp_workspace_destroy(ws);
    ref_free(&r);
}

/* f(x) = net2_k - net2_r in double; *kinks counts net1 that are on the
 * other side of 0 than in the reference pattern `sign`. */
static double ref_margin(const dp_mlp *m, const float *x, int k, int q, ref_pass *r,
                         const signed char *sign, int *kinks) {
    ref_forward(m, x, r);
    if (sign)
        for (int j = 0; j < m->n_hidden; j++) *kinks += (r->net1[j] > 0) != (sign[j] > 0);
    return r->net2[k] - (q >= 0 ? r->net2[q] : 0.0);
}

/* The input gradient matches central finite differences at every checked
 * pixel. The network is piecewise linear in x, so away from a ReLU's kink
 * the difference quotient is exact; a pixel whose step would move any
 * net1_j across 0 is skipped (and counted). */
static void check_gradient(const dp_mlp *m, dp_trace *t, const float *x, int k, int q, int stride) {
    int I = m->n_in, H = m->n_hidden;
    CHECK(dp_trace_run(t, m, x) == DP_OK);
    float *g = malloc(sizeof(float) * (size_t)I), *xp = malloc(sizeof(float) * (size_t)I);
    CHECK(dp_input_gradient(m, t, k, q, g) == DP_OK);
    ref_pass r = ref_alloc(m);
    signed char *sign = malloc((size_t)H);
    ref_forward(m, x, &r);
    for (int j = 0; j < H; j++) sign[j] = r.net1[j] > 0 ? 1 : -1;
    double gmax = 0;
    for (int i = 0; i < I; i++) gmax = fmax(gmax, fabs(g[i]));
    CHECK(gmax > 0);
    const double h = 1e-3;
    int checked = 0, skipped = 0, bad = 0;
    memcpy(xp, x, sizeof(float) * (size_t)I);
    for (int i = 0; i < I; i += stride) {
        int kinks = 0;
        xp[i] = (float)(x[i] + h);
        double fp = ref_margin(m, xp, k, q, &r, sign, &kinks);
        xp[i] = (float)(x[i] - h);
        double fm = ref_margin(m, xp, k, q, &r, sign, &kinks);
        double step = (double)(float)(x[i] + h) - (double)(float)(x[i] - h);
        xp[i] = x[i];
        if (kinks) {
            skipped++;
            continue;
        }
        double fd = (fp - fm) / step;
        checked++;
        if (!rel_close(g[i], fd, 1e-4, 1e-2 * gmax)) {
            if (bad++ < 5)
                printf("  pixel %d: gradient %.7g, finite difference %.7g\n", i, g[i], fd);
        }
    }
    printf("input gradient k=%d r=%d: %d pixels checked, %d skipped near a kink, max |g| %.4g\n", k,
           q, checked, skipped, gmax);
    CHECKF(bad == 0, "%d of %d pixels disagree with finite differences", bad, checked);
    CHECKF(checked >= 9 * (checked + skipped) / 10, "only %d of %d pixels away from kinks", checked,
           checked + skipped);
    float dummy[1];
    CHECK(dp_input_gradient(m, t, k, k, dummy) == DP_ERR_RANGE);
    free(sign);
    ref_free(&r);
    free(g);
    free(xp);
}

/* The backward view of a batch against a double-precision reference. */
static void check_backward(const dp_mlp *m) {
    enum { B = 6 };
    int I = m->n_in, H = m->n_hidden, O = m->n_out;
    float *X = calloc((size_t)B * I, sizeof *X);
    uint8_t y[B];
    dp_rng rng;
    dp_rng_seed(&rng, 77);
    for (int i = 0; i < B * I; i++) X[i] = dp_rng_uniform(&rng) < 0.2f ? dp_rng_uniform(&rng) : 0;
    for (int b = 0; b < B; b++) y[b] = (uint8_t)dp_rng_below(&rng, (uint32_t)O);
    dp_workspace *ws = NULL;
    dp_mlp *grad = NULL;
    CHECK(dp_workspace_create(&ws, m, B) == DP_OK);
    CHECK(dp_mlp_create(&grad, I, H, O) == DP_OK);
    dp_backward_view v;
    CHECK(dp_backward_view_compute(m, ws, grad, X, y, B, 0.02f, &v) == DP_OK);
    CHECK(v.valid && v.rows == B && v.n_in == I && v.n_hidden == H && v.n_out == O);
    CHECK(v.lr == 0.02f && v.label == y[0]);

    /* reference: per-sample delta2, delta1 and the batch gradient norms */
    ref_pass r = ref_alloc(m);
    double *dW1 = calloc((size_t)I * H, sizeof *dW1), *dW2 = calloc((size_t)H * O, sizeof *dW2);
    double *d1 = malloc(sizeof(double) * (size_t)H), loss = 0, db1 = 0, db2 = 0;
    double *gb1 = calloc((size_t)H, sizeof *gb1), gb2[DP_VIEW_MAX_OUT] = {0};
    for (int b = 0; b < B; b++) {
        ref_forward(m, X + (size_t)b * I, &r);
        double mx = r.net2[0], se = 0, d2[DP_VIEW_MAX_OUT];
        for (int k = 1; k < O; k++) mx = fmax(mx, r.net2[k]);
        for (int k = 0; k < O; k++) se += exp(r.net2[k] - mx);
        loss += mx + log(se) - r.net2[y[b]];
        for (int k = 0; k < O; k++) d2[k] = exp(r.net2[k] - mx) / se - (k == y[b]);
        int active = 0, jmax = -1;
        double n1 = 0;
        for (int j = 0; j < H; j++) {
            double s = 0;
            for (int k = 0; k < O; k++) s += d2[k] * m->W2[(size_t)j * O + k];
            d1[j] = r.net1[j] > 0 ? s : 0;
            active += r.net1[j] > 0;
            n1 += d1[j] * d1[j];
            if (r.net1[j] > 0 && (jmax < 0 || fabs(d1[j]) > fabs(d1[jmax]))) jmax = j;
            for (int k = 0; k < O; k++) dW2[(size_t)j * O + k] += r.out1[j] * d2[k] / B;
            gb1[j] += d1[j] / B;
        }
        for (int k = 0; k < O; k++) gb2[k] += d2[k] / B;
        for (int i = 0; i < I; i++) {
            double xi = X[(size_t)b * I + i];
            if (xi == 0) continue;
            for (int j = 0; j < H; j++) dW1[(size_t)i * H + j] += xi * d1[j] / B;
        }
        if (b == 0) {
            double dsum = 0;
            for (int k = 0; k < O; k++) {
                CHECK_NEAR(v.delta2[k], d2[k], 1e-5);
                CHECK_NEAR(v.out2[k], d2[k] + (k == y[0]), 1e-5);
                dsum += v.delta2[k];
            }
            CHECK_NEAR(dsum, 0.0, 1e-5); /* softmax minus a one-hot */
            CHECK(v.active == active);
            CHECK(v.delta1_max_unit == jmax);
            CHECK(rel_close(v.delta1_max, d1[jmax], 1e-4, 1e-6));
            CHECK(rel_close(v.delta1_norm, sqrt(n1), 1e-4, 1e-6));
        }
    }
    double n1 = 0, n2 = 0;
    for (size_t i = 0; i < (size_t)I * H; i++) n1 += dW1[i] * dW1[i];
    for (size_t i = 0; i < (size_t)H * O; i++) n2 += dW2[i] * dW2[i];
    for (int j = 0; j < H; j++) db1 += gb1[j] * gb1[j];
    for (int k = 0; k < O; k++) db2 += gb2[k] * gb2[k];
    CHECKF(rel_close(v.dW1_norm, sqrt(n1), 1e-4, 1e-6), "%g vs %g", v.dW1_norm, sqrt(n1));
    CHECKF(rel_close(v.dW2_norm, sqrt(n2), 1e-4, 1e-6), "%g vs %g", v.dW2_norm, sqrt(n2));
    CHECK(rel_close(v.db1_norm, sqrt(db1), 1e-4, 1e-6));
    CHECK(rel_close(v.db2_norm, sqrt(db2), 1e-4, 1e-6));
    CHECK(rel_close(v.loss, loss / B, 1e-4, 1e-6));

    y[2] = (uint8_t)O;
    CHECK(dp_backward_view_compute(m, ws, grad, X, y, B, 0.02f, &v) == DP_ERR_RANGE);
    CHECK(!v.valid);
    CHECK(dp_backward_view_compute(m, ws, grad, X, y, B + 1, 0.02f, &v) == DP_ERR_SHAPE);
    free(d1);
    free(gb1);
    free(dW1);
    free(dW2);
    ref_free(&r);
    dp_mlp_destroy(grad);
    dp_workspace_destroy(ws);
    free(X);
}

/* The trainer's last batch, and the backward view of it at the weights it
 * was trained at, describe the step that was taken: without momentum
 * W_after = W_before - lr * dL/dW, so |W_before - W_after| / lr is the
 * view's gradient norm. */
static void check_trainer_batch(void) {
    enum { N = 120, BATCH = 16 };
    dp_dataset ds = {N, 28, 28, calloc((size_t)N * 784, 1), calloc(N, 1)};
    dp_rng rng;
    dp_rng_seed(&rng, 9);
    for (int n = 0; n < N; n++) {
        ds.labels[n] = (uint8_t)(n % 10);
        for (int i = 0; i < 784; i++)
            if (dp_rng_uniform(&rng) < 0.15f) ds.images[(size_t)n * 784 + i] = (uint8_t)(n * 7 + i);
    }
    dp_mlp *m = NULL, *before = NULL, *grad = NULL;
    dp_mlp_create(&m, 784, 800, 10);
    dp_mlp_create(&before, 784, 800, 10);
    dp_mlp_create(&grad, 784, 800, 10);
    random_net(m, 4);
    dp_mlp_copy(before, m);
    dp_train_config cfg;
    dp_train_config_default(&cfg);
    cfg.batch = BATCH;
    cfg.momentum = 0.0f;
    cfg.schedule = DP_SCHEDULE_CONSTANT;
    cfg.lr = 0.05f;
    cfg.threads = 1;
    dp_trainer *tr = NULL;
    CHECK(dp_trainer_create(&tr, m, &ds, &cfg, NULL) == DP_OK);
    const float *X = NULL;
    const uint8_t *y = NULL;
    CHECK(dp_trainer_last_batch(tr, &X, &y) == 0);
    dp_train_progress p;
    CHECK(dp_trainer_run(tr, 1, &p) == 1);
    int rows = dp_trainer_last_batch(tr, &X, &y);
    CHECK(rows == BATCH && X && y);
    /* each row is one of the data set's samples, with its label */
    int found = 0;
    float row[784];
    uint8_t label;
    for (int b = 0; b < rows; b++)
        for (uint32_t n = 0; n < N; n++) {
            dp_dataset_batch(&ds, &n, 1, row, &label);
            if (memcmp(row, X + (size_t)b * 784, sizeof row) == 0 && label == y[b]) {
                found++;
                break;
            }
        }
    CHECK(found == rows);
    dp_workspace *ws = NULL;
    dp_workspace_create(&ws, m, BATCH);
    dp_backward_view v;
    CHECK(dp_backward_view_compute(before, ws, grad, X, y, rows, p.lr, &v) == DP_OK);
    double d1 = 0, d2 = 0;
    for (size_t i = 0; i < (size_t)784 * 800; i++) {
        double d = ((double)before->W1[i] - m->W1[i]) / p.lr;
        d1 += d * d;
    }
    for (size_t i = 0; i < (size_t)800 * 10; i++) {
        double d = ((double)before->W2[i] - m->W2[i]) / p.lr;
        d2 += d * d;
    }
    CHECKF(rel_close(sqrt(d1), v.dW1_norm, 1e-3, 1e-6), "step %g vs view %g", sqrt(d1), v.dW1_norm);
    CHECKF(rel_close(sqrt(d2), v.dW2_norm, 1e-3, 1e-6), "step %g vs view %g", sqrt(d2), v.dW2_norm);
    CHECK(rel_close(v.loss, p.batch_loss, 1e-4, 1e-6));
    dp_workspace_destroy(ws);
    dp_trainer_destroy(tr);
    dp_mlp_destroy(m);
    dp_mlp_destroy(before);
    dp_mlp_destroy(grad);
    dp_dataset_free(&ds);
}

/* dp_input_map_pullback is the transpose of the preprocessing's resampling:
 * <A c, g> = <c, A^T g> with A c the preprocessed drawing (no thinning). */
static void check_input_map(int w, int h, unsigned flags, const float *xy, int n, float scale) {
    dp_canvas *c = NULL;
    CHECK(dp_canvas_create(&c, w, h) == DP_OK);
    dp_brush b = dp_brush_default();
    b.radius *= scale;
    float *pts = malloc(sizeof(float) * (size_t)n * 2);
    for (int i = 0; i < 2 * n; i++) pts[i] = xy[i] * scale;
    dp_canvas_polyline(c, &b, pts, n, 0);
    float out[784], plain[784], g[784];
    dp_input_map map;
    CHECK(dp_preprocess_mapped(c->cells, w, h, flags, out, &map) == DP_OK);
    if (flags & DP_PRE_RAW)
        dp_preprocess_raw(c->cells, w, h, plain);
    else
        dp_preprocess_ex(c->cells, w, h, flags, plain);
    CHECK(memcmp(out, plain, sizeof out) == 0);
    CHECK(map.canvas_w == w && map.canvas_h == h && !map.thinned);
    CHECK(map.offx >= 0 && map.offy >= 0 && map.offx + map.ow <= 28 && map.offy + map.oh <= 28);
    int outside = 0;
    for (int i = 0; i < 784; i++) {
        int px = i % 28, py = i / 28;
        if (px < map.offx || px >= map.offx + map.ow || py < map.offy || py >= map.offy + map.oh)
            outside += out[i] != 0;
    }
    CHECK(outside == 0);
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    for (int i = 0; i < 784; i++) g[i] = dp_rng_normal(&rng);
    float *cg = malloc(sizeof(float) * (size_t)w * h);
    dp_input_map_pullback(&map, g, cg);
    double lhs = 0, rhs = 0, scale_sum = 0;
    for (int i = 0; i < 784; i++) lhs += (double)out[i] * g[i], scale_sum += fabs(out[i] * g[i]);
    for (int i = 0; i < w * h; i++) rhs += (double)c->cells[i] * cg[i];
    CHECKF(rel_close(rhs, lhs, 1e-5, 1e-5 * scale_sum), "%dx%d: <Ac,g> %.7g, <c,A^T g> %.7g", w, h,
           lhs, rhs);
    /* outside the window nothing flows back */
    int leak = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (x < map.x0 || x >= map.x0 + map.cw || y < map.y0 || y >= map.y0 + map.ch)
                leak += cg[y * w + x] != 0;
    CHECK(leak == 0);
    free(cg);
    free(pts);
    dp_canvas_destroy(c);
}

int main(void) {
    dp_mlp *shipped = NULL;
    dp_model_meta meta;
    dp_error err = {0};
    dp_status s = dp_model_load(SHIPPED_MODEL, &shipped, &meta, &err);
    CHECKF(s == DP_OK, "cannot load %s: %s", SHIPPED_MODEL, err.msg);
    dp_mlp *he = NULL;
    CHECK(dp_mlp_create(&he, 784, 800, 10) == DP_OK);
    random_net(he, 11);

    float seven[784], three[784], noise[784];
    drawn_input(SEVEN, 5, seven);
    drawn_input(THREE, 9, three);
    dp_rng rng;
    dp_rng_seed(&rng, 3);
    for (int i = 0; i < 784; i++)
        noise[i] = dp_rng_uniform(&rng) < 0.25f ? dp_rng_uniform(&rng) : 0;

    dp_trace *t = NULL;
    CHECK(dp_trace_create(&t, he) == DP_OK);
    if (shipped) {
        check_trace(shipped, t, seven);
        CHECKF(t->top == 7, "the shipped model reads the drawn 7 as %d", t->top);
        CHECK(t->active > 0 && t->active < 800);
        check_trace(shipped, t, three);
        CHECKF(t->top == 3, "the shipped model reads the drawn 3 as %d", t->top);
        check_contributions(shipped, seven);
        check_why(shipped, t, seven);
        check_why(shipped, t, three);
        dp_trace_run(t, shipped, seven);
        check_gradient(shipped, t, seven, t->top, t->second, 3);
        dp_trace_run(t, shipped, three);
        check_gradient(shipped, t, three, t->top, -1, 5);
        check_backward(shipped);
    }
    check_trace(he, t, noise);
    check_contributions(he, noise);
    check_why(he, t, noise);
    dp_trace_run(t, he, noise);
    check_gradient(he, t, noise, t->top, t->second, 4);
    check_gradient(he, t, noise, 4, 9, 7);
    check_backward(he);
    check_trainer_batch();

    /* shapes that do not fit */
    dp_mlp *small = NULL;
    dp_mlp_create(&small, 784, 30, 10);
    CHECK(dp_trace_run(t, small, noise) == DP_ERR_SHAPE);
    dp_logit_why w;
    CHECK(dp_logit_why_compute(small, t, 1, -1, 4, &w) == DP_ERR_SHAPE);
    CHECK(dp_input_gradient(small, t, 1, -1, noise) == DP_ERR_SHAPE);
    CHECK(dp_trace_run(t, he, NULL) == DP_ERR_ARG);
    dp_mlp_destroy(small);

    check_input_map(28, 28, DP_PRE_NO_THINNING, SEVEN, 5, 1.0f);
    check_input_map(28, 28, DP_PRE_RAW, THREE, 9, 1.0f);
    check_input_map(84, 70, DP_PRE_NO_THINNING, THREE, 9, 2.5f);
    check_input_map(61, 47, DP_PRE_RAW, SEVEN, 5, 1.7f);
    float empty[28 * 28] = {0}, out[784];
    dp_input_map map;
    CHECK(dp_preprocess_mapped(empty, 28, 28, 0, out, &map) == DP_ERR_EMPTY);
    CHECK(map.canvas_w == 0 && map.ow == 0);

    dp_trace_destroy(t);
    dp_mlp_destroy(he);
    dp_mlp_destroy(shipped);
    return dpt_finish();
}
