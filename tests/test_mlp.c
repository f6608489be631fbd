/* The network's math: gradients against central finite differences of an
 * independent double-precision loss, batch vs single rows, BLAS vs
 * reference, numerical stability, and the fused training step. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/mlp.h"
#include "digitpad/step.h"
#include "testutil.h"

/* Hash of which hidden units fired in the last ref_loss call: a finite
 * difference is only meaningful if no ReLU crossed its kink. */
static uint64_t relu_pattern;

/* Independent double-precision loss of the network on a batch:
 * mean over rows of logsumexp(net2) - net2[y]. */
static double ref_loss(const dp_mlp *m, const float *X, const uint8_t *y, int rows) {
    relu_pattern = 1469598103934665603ULL;
    int I = m->n_in, H = m->n_hidden, O = m->n_out;
    double *h = malloc(sizeof(double) * H), *z = malloc(sizeof(double) * O), total = 0.0;
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < H; j++) {
            double s = m->b1[j];
            for (int i = 0; i < I; i++) s += (double)X[r * I + i] * m->W1[(size_t)i * H + j];
            h[j] = s > 0 ? s : 0;
            relu_pattern = (relu_pattern ^ (uint64_t)(s > 0)) * 1099511628211ULL;
        }
        double mx = -INFINITY;
        for (int o = 0; o < O; o++) {
            double s = m->b2[o];
            for (int j = 0; j < H; j++) s += h[j] * m->W2[(size_t)j * O + o];
            z[o] = s;
            mx = s > mx ? s : mx;
        }
        double se = 0.0;
        for (int o = 0; o < O; o++) se += exp(z[o] - mx);
        total += mx + log(se) - z[y[r]];
    }
    free(h);
    free(z);
    return total / rows;
}

static void random_net(dp_mlp *m, uint64_t seed) {
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_mlp_init_he(m, &rng);
    for (int j = 0; j < m->n_hidden; j++) m->b1[j] = 0.1f * dp_rng_normal(&rng);
    for (int o = 0; o < m->n_out; o++) m->b2[o] = 0.1f * dp_rng_normal(&rng);
}

/* MNIST-like rows: mostly zeros, some values in (0,1]. */
static void random_inputs(float *X, uint8_t *y, int rows, int n_in, int n_out, uint64_t seed) {
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    for (int i = 0; i < rows * n_in; i++)
        X[i] = dp_rng_uniform(&rng) < 0.3f ? dp_rng_uniform(&rng) : 0.0f;
    for (int r = 0; r < rows; r++) y[r] = (uint8_t)dp_rng_below(&rng, (uint32_t)n_out);
}

/* Compare grad against central differences (in double, through the float
 * parameters perturbed by +-eps) at the parameter indices idx[0..n).
 * Returns the number of mismatches; an index where the perturbation flips a
 * ReLU (no derivative there) counts as a mismatch only if that happens for
 * more than a few indices, which would mean the check is not working. */
static int grad_mismatches(dp_mlp *m, const dp_mlp *grad, const float *X, const uint8_t *y,
                           int rows, const size_t *idx, size_t n, int verbose) {
    int bad = 0, kinks = 0;
    for (size_t k = 0; k < n; k++) {
        size_t p = idx[k];
        float saved = m->params[p];
        /* eps relative to the value so that the perturbation is exact in float */
        float eps = 1e-3f;
        m->params[p] = saved + eps;
        double lp = ref_loss(m, X, y, rows);
        uint64_t pattern_p = relu_pattern;
        m->params[p] = saved - eps;
        double lm = ref_loss(m, X, y, rows);
        m->params[p] = saved;
        if (relu_pattern != pattern_p) {
            kinks++;
            continue;
        }
        double fd = (lp - lm) / ((double)(saved + eps) - (double)(saved - eps));
        double an = grad->params[p];
        double tol = 2e-4 + 2e-3 * fabs(fd);
        if (fabs(fd - an) > tol) {
            if (verbose && bad < 5)
                fprintf(stderr, "  param %zu: analytic %.8g, finite difference %.8g\n", p, an, fd);
            bad++;
        }
    }
    if (kinks > 2 + (int)(n / 50)) {
        if (verbose)
            fprintf(stderr, "  %d of %zu finite differences crossed a ReLU kink\n", kinks, n);
        bad += kinks;
    }
    return bad;
}

static void test_gradients_small(void) {
    const int I = 7, H = 6, O = 4, B = 5;
    dp_mlp *m, *g;
    dp_workspace *ws;
    CHECK(dp_mlp_create(&m, I, H, O) == DP_OK);
    CHECK(dp_mlp_create(&g, I, H, O) == DP_OK);
    CHECK(dp_workspace_create(&ws, m, B) == DP_OK);
    random_net(m, 11);
    float X[5 * 7];
    uint8_t y[5];
    random_inputs(X, y, B, I, O, 12);
    for (int be = 0; be < 2; be++) {
        CHECK(dp_mlp_forward(m, ws, X, B, (dp_backend)be) != NULL);
        CHECK_NEAR(dp_mlp_loss(ws, y, B), ref_loss(m, X, y, B), 1e-5);
        CHECK(dp_mlp_backward(m, ws, X, y, B, g, (dp_backend)be) == DP_OK);
        size_t *all = malloc(m->n_params * sizeof *all);
        for (size_t p = 0; p < m->n_params; p++) all[p] = p;
        CHECKF(grad_mismatches(m, g, X, y, B, all, m->n_params, 1) == 0, "backend %d", be);

        /* The check itself must catch a zeroed or a transposed gradient. */
        dp_mlp *bad;
        CHECK(dp_mlp_create(&bad, I, H, O) == DP_OK);
        for (int t = 0; t < 4; t++) {
            dp_mlp_copy(bad, g);
            float *ten[] = {bad->W1, bad->b1, bad->W2, bad->b2};
            size_t len[] = {(size_t)I * H, (size_t)H, (size_t)H * O, (size_t)O};
            memset(ten[t], 0, len[t] * sizeof(float));
            CHECKF(grad_mismatches(m, bad, X, y, B, all, m->n_params, 0) > 0,
                   "zeroed tensor %d not detected", t);
        }
        dp_mlp_copy(bad, g);
        /* W1 (I x H) read as its transpose laid out H x I */
        for (int i = 0; i < I; i++)
            for (int j = 0; j < H; j++) bad->W1[(size_t)j * I + i] = g->W1[(size_t)i * H + j];
        CHECK(grad_mismatches(m, bad, X, y, B, all, m->n_params, 0) > 0);
        dp_mlp_destroy(bad);
        free(all);
    }
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    dp_mlp_destroy(g);
}

static void test_gradients_paper_shape(void) {
    const int I = 784, H = 800, O = 10, B = 3;
    dp_mlp *m, *g;
    dp_workspace *ws;
    CHECK(dp_mlp_create(&m, I, H, O) == DP_OK);
    CHECK(dp_mlp_create(&g, I, H, O) == DP_OK);
    CHECK(dp_workspace_create(&ws, m, B) == DP_OK);
    random_net(m, 21);
    float *X = malloc(sizeof(float) * B * I);
    uint8_t y[3];
    random_inputs(X, y, B, I, O, 22);
    dp_mlp_forward(m, ws, X, B, DP_BACKEND_BLAS);
    CHECK(dp_mlp_backward(m, ws, X, y, B, g, DP_BACKEND_BLAS) == DP_OK);
    /* 40 sampled entries per tensor, favouring W1 entries of active inputs */
    size_t idx[160], n = 0, off1 = (size_t)I * H, off2 = off1 + H, off3 = off2 + (size_t)H * O;
    dp_rng rng;
    dp_rng_seed(&rng, 23);
    while (n < 40) {
        int i = (int)dp_rng_below(&rng, I), j = (int)dp_rng_below(&rng, H);
        if (X[i] != 0.0f || n % 4 == 0) idx[n++] = (size_t)i * H + j;
    }
    for (int k = 0; k < 40; k++) idx[n++] = off1 + dp_rng_below(&rng, H);
    for (int k = 0; k < 40; k++) idx[n++] = off2 + dp_rng_below(&rng, (uint32_t)H * O);
    for (int k = 0; k < 40; k++) idx[n++] = off3 + dp_rng_below(&rng, O);
    CHECK(grad_mismatches(m, g, X, y, B, idx, n, 1) == 0);
    double norm = 0;
    for (size_t k = 0; k < n; k++) norm += fabs(g->params[idx[k]]);
    CHECKF(norm > 1e-3, "sampled gradients are all ~0 (%g): the check would be vacuous", norm);
    free(X);
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    dp_mlp_destroy(g);
}

/* Largest |a - b|; infinite if either holds a NaN where the other differs. */
static double max_abs_diff(const float *a, const float *b, size_t n) {
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - b[i]);
        if (!(e <= d)) d = isnan(e) ? INFINITY : e;
    }
    return d;
}

/* A batch of n rows gives the same outputs, and the mean of the n single-row
 * gradients; the BLAS and the reference paths agree. */
static void test_batch_vs_rows_and_backends(void) {
    const int I = 784, H = 800, O = 10, B = 8;
    dp_mlp *m, *g, *g1, *gsum, *gref;
    dp_workspace *ws, *ws1;
    dp_mlp_create(&m, I, H, O);
    dp_mlp_create(&g, I, H, O);
    dp_mlp_create(&g1, I, H, O);
    dp_mlp_create(&gsum, I, H, O);
    dp_mlp_create(&gref, I, H, O);
    dp_workspace_create(&ws, m, B);
    dp_workspace_create(&ws1, m, 1);
    random_net(m, 31);
    float *X = malloc(sizeof(float) * B * I);
    uint8_t y[8];
    random_inputs(X, y, B, I, O, 32);
    const float *P = dp_mlp_forward(m, ws, X, B, DP_BACKEND_BLAS);
    float Pb[80];
    memcpy(Pb, P, sizeof Pb);
    dp_mlp_backward(m, ws, X, y, B, g, DP_BACKEND_BLAS);
    dp_mlp_zero(gsum);
    for (int r = 0; r < B; r++) {
        const float *p1 = dp_mlp_forward(m, ws1, X + r * I, 1, DP_BACKEND_BLAS);
        CHECK(max_abs_diff(p1, Pb + r * O, O) < 1e-6);
        dp_mlp_backward(m, ws1, X + r * I, y + r, 1, g1, DP_BACKEND_BLAS);
        for (size_t k = 0; k < m->n_params; k++) gsum->params[k] += g1->params[k] / B;
    }
    CHECKF(max_abs_diff(g->params, gsum->params, m->n_params) < 1e-6, "%g",
           max_abs_diff(g->params, gsum->params, m->n_params));
    const float *Pr = dp_mlp_forward(m, ws, X, B, DP_BACKEND_REFERENCE);
    CHECK(max_abs_diff(Pr, Pb, (size_t)B * O) < 1e-5);
    dp_mlp_backward(m, ws, X, y, B, gref, DP_BACKEND_REFERENCE);
    CHECKF(max_abs_diff(g->params, gref->params, m->n_params) < 1e-6, "%g",
           max_abs_diff(g->params, gref->params, m->n_params));
    free(X);
    dp_workspace_destroy(ws);
    dp_workspace_destroy(ws1);
    dp_mlp_destroy(m);
    dp_mlp_destroy(g);
    dp_mlp_destroy(g1);
    dp_mlp_destroy(gsum);
    dp_mlp_destroy(gref);
}

static void test_gemm_shapes(void) {
    /* every transpose combination against the reference on odd sizes */
    enum { M = 5, N = 7, K = 3 };
    float A[M * K], Bm[K * N], C1[M * N], C2[M * N];
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            for (int i = 0; i < M * K; i++) A[i] = dp_rng_normal(&rng);
            for (int i = 0; i < K * N; i++) Bm[i] = dp_rng_normal(&rng);
            for (int i = 0; i < M * N; i++) C1[i] = C2[i] = dp_rng_normal(&rng);
            int lda = ta ? M : K, ldb = tb ? K : N;
            dp_gemm(DP_BACKEND_BLAS, ta, tb, M, N, K, 0.7f, A, lda, Bm, ldb, 0.3f, C1, N);
            dp_gemm(DP_BACKEND_REFERENCE, ta, tb, M, N, K, 0.7f, A, lda, Bm, ldb, 0.3f, C2, N);
            CHECKF(max_abs_diff(C1, C2, M * N) < 1e-5, "ta=%d tb=%d", ta, tb);
        }
}

static void test_stability(void) {
    dp_mlp *m, *g;
    dp_workspace *ws;
    dp_mlp_create(&m, 4, 3, 10);
    dp_mlp_create(&g, 4, 3, 10);
    dp_workspace_create(&ws, m, 2);
    for (int o = 0; o < 10; o++) m->b2[o] = (o % 2) ? 1000.0f : -1000.0f;
    float X[8] = {0};
    uint8_t y[2] = {0, 1}; /* one very wrong, one very right */
    const float *P = dp_mlp_forward(m, ws, X, 2, DP_BACKEND_BLAS);
    double L = dp_mlp_loss(ws, y, 2);
    /* row 0: logsumexp = 1000 + ln 5, z[0] = -1000; row 1: z[1] = 1000 */
    CHECKF(isfinite(L) && fabs(L - (1000.0 + log(5.0))) < 1e-3, "loss %g", L);
    int finite = 1;
    for (int k = 0; k < 20; k++) finite &= isfinite(P[k]);
    CHECK(finite);
    CHECK(dp_mlp_backward(m, ws, X, y, 2, g, DP_BACKEND_BLAS) == DP_OK);
    for (size_t k = 0; k < g->n_params; k++) finite &= isfinite(g->params[k]);
    CHECK(finite);
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    dp_mlp_destroy(g);
}

/* Three steps of dp_mlp_train_step on a copy of a random network against
 * forward + backward + sgd with the reference backend; returns the largest
 * parameter difference (negative if the parameters did not move, or the
 * losses differ). border zeroes the first/last border inputs; dense makes
 * every input non-zero (the SGEMM layer-1 path). */
static double step_vs_reference(int I, int H, int O, int B, float mu, float wd, int threads,
                                int border, int dense, dp_layer1 layer1) {
    dp_mlp *a, *b, *g, *va, *vb;
    dp_step *sa;
    dp_workspace *wb;
    dp_mlp_create(&a, I, H, O);
    dp_mlp_create(&b, I, H, O);
    dp_mlp_create(&g, I, H, O);
    dp_mlp_create(&va, I, H, O);
    dp_mlp_create(&vb, I, H, O);
    CHECK(dp_step_create(&sa, a, B) == DP_OK);
    dp_workspace_create(&wb, b, B);
    CHECK(dp_step_set_threads(sa, threads) == DP_OK);
    CHECK(dp_step_threads(sa) == threads);
    dp_step_set_layer1(sa, layer1);
    random_net(a, 41);
    dp_mlp_copy(b, a);
    float *X = malloc(sizeof(float) * B * I);
    uint8_t *y = malloc((size_t)B);
    int losses_agree = 1;
    for (int step = 0; step < 3; step++) {
        random_inputs(X, y, B, I, O, 42 + step);
        if (dense)
            for (int i = 0; i < B * I; i++) X[i] = 0.05f + 0.9f * (float)((i * 7919) % 101) / 101;
        if (border)
            for (int r = 0; r < B; r++)
                for (int i = 0; i < I; i++)
                    if (i < border || i >= I - border) X[r * I + i] = 0.0f;
        double la = 0;
        CHECK(dp_mlp_train_step(a, sa, X, y, B, (dp_hyper){0.05f, mu, wd}, va, &la) == DP_OK);
        dp_mlp_forward(b, wb, X, B, DP_BACKEND_REFERENCE);
        double lb = dp_mlp_loss(wb, y, B);
        dp_mlp_backward(b, wb, X, y, B, g, DP_BACKEND_REFERENCE);
        dp_mlp_sgd(b, g, vb, 0.05f, mu, wd);
        losses_agree &= fabs(la - lb) < 1e-4;
    }
    double d = max_abs_diff(a->params, b->params, a->n_params);
    random_net(g, 41);
    if (max_abs_diff(a->params, g->params, a->n_params) <= 1e-4 || !losses_agree) d = -1.0;
    free(X);
    free(y);
    dp_step_destroy(sa);
    dp_workspace_destroy(wb);
    dp_mlp_destroy(a);
    dp_mlp_destroy(b);
    dp_mlp_destroy(g);
    dp_mlp_destroy(va);
    dp_mlp_destroy(vb);
    return d;
}

/* dp_mlp_train_step == forward + backward + sgd, for the sparse per-sample
 * path (on 1 to 5 threads: more members than bands of inputs) and the
 * batch paths (sparse and dense layer 1), with and without momentum/decay,
 * on 1 to 4 threads. */
static void test_train_step_matches(void) {
    struct {
        int rows;
        float mu, wd;
        int threads, border; /* border: zero the first/last 150 inputs (151 if 2) */
        int dense;           /* every input non-zero: the dense (SGEMM) layer-1 path */
    } cases[] = {{1, 0, 0, 1, 0, 0},         {1, 0.9f, 0, 1, 0, 0},   {1, 0, 1e-3f, 1, 0, 0},
                 {16, 0, 0, 1, 0, 0},        {16, 0.9f, 0, 1, 0, 0},  {16, 0.9f, 1e-3f, 1, 0, 0},
                 {16, 0, 0, 1, 1, 0},        {16, 0.9f, 0, 2, 1, 0},  {16, 0.9f, 1e-3f, 2, 1, 0},
                 {16, 0, 1e-3f, 3, 1, 0},    {5, 0, 0, 2, 0, 0},      {16, 0, 0, 1, 0, 1},
                 {16, 0.9f, 1e-3f, 2, 1, 1}, {16, 0, 1e-3f, 2, 0, 1}, {2, 0, 0, 3, 0, 0},
                 {3, 0.9f, 0, 4, 0, 0},      {16, 0, 0, 2, 2, 0},     {16, 0, 0, 2, 2, 1},
                 {1, 0, 0, 2, 0, 0},         {1, 0, 0, 3, 1, 0},      {1, 0, 0, 5, 2, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double d = step_vs_reference(784, 800, 10, cases[c].rows, cases[c].mu, cases[c].wd,
                                     cases[c].threads, cases[c].border ? 149 + cases[c].border : 0,
                                     cases[c].dense, DP_LAYER1_AUTO);
        CHECKF(d >= 0 && d < 1e-5,
               "case %zu (rows %d mu %g wd %g threads %d): max diff %g (-1: losses differ or no "
               "change)",
               c, cases[c].rows, (double)cases[c].mu, (double)cases[c].wd, cases[c].threads, d);
    }
}

/* The same on shapes that do not fill whole vectors or pairs: an odd number
 * of inputs (the last input has no partner), hidden slices that end in the
 * middle of a block of 16 or 64, fewer hidden units than threads, fewer
 * inputs than bands; plain SGD, momentum, weight decay alone; layer 1
 * sparse and (forced) dense; batches of 6 and single samples. */
static void test_train_step_odd_shapes(void) {
    const int shapes[][3] = {{7, 37, 3}, {785, 150, 10}, {33, 1, 2}};
    const float opts[][2] = {{0.0f, 0.0f}, {0.9f, 0.0f}, {0.0f, 1e-3f}}; /* momentum, decay */
    for (int dense = 0; dense < 2; dense++) {
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
            for (int threads = 1; threads <= 3; threads++)
                for (size_t o = 0; o < sizeof opts / sizeof *opts; o++) {
                    int I = shapes[s][0], H = shapes[s][1], O = shapes[s][2];
                    for (int rows = 6; rows >= 1; rows -= 5) { /* a batch, one sample */
                        double d = step_vs_reference(I, H, O, rows, opts[o][0], opts[o][1], threads,
                                                     I > 300 ? 151 : 0, 0,
                                                     dense ? DP_LAYER1_DENSE : DP_LAYER1_AUTO);
                        CHECKF(d >= 0 && d < 1e-5,
                               "%dx%dx%d, %d rows, %d threads, momentum %g, decay %g, %s: max "
                               "diff %g",
                               I, H, O, rows, threads, (double)opts[o][0], (double)opts[o][1],
                               dense ? "dense" : "auto", d);
                    }
                }
    }
}

static void test_learns_toy_problem(void) {
    /* 4 well-separated classes in 8-d: SGD must drive the loss down. */
    const int I = 8, H = 16, O = 4, B = 32;
    dp_mlp *m;
    dp_step *st;
    dp_mlp_create(&m, I, H, O);
    dp_step_create(&st, m, B);
    dp_rng rng;
    dp_rng_seed(&rng, 51);
    dp_mlp_init_he(m, &rng);
    float X[32 * 8];
    uint8_t y[32];
    double first = 0, last = 0;
    for (int step = 0; step < 300; step++) {
        for (int r = 0; r < B; r++) {
            y[r] = (uint8_t)dp_rng_below(&rng, O);
            for (int i = 0; i < I; i++)
                X[r * I + i] = (i / 2 == y[r] ? 1.0f : 0.0f) + 0.1f * dp_rng_normal(&rng);
        }
        double l;
        dp_mlp_train_step(m, st, X, y, B, (dp_hyper){0.1f, 0.0f, 0.0f}, NULL, &l);
        if (step == 0) first = l;
        last = l;
    }
    CHECKF(last < 0.1 * first && last < 0.1, "loss %g -> %g", first, last);
    dp_step_destroy(st);
    dp_mlp_destroy(m);
}

static void test_bad_arguments(void) {
    dp_mlp *m = NULL, *g;
    dp_workspace *ws;
    CHECK(dp_mlp_create(&m, 0, 5, 5) == DP_ERR_SHAPE && m == NULL);
    CHECK(dp_mlp_create(&m, 5, DP_MAX_UNITS + 1, 5) == DP_ERR_SHAPE);
    CHECK(dp_mlp_create(&m, 3, 4, 2) == DP_OK);
    dp_mlp_create(&g, 3, 4, 3);
    CHECK(dp_workspace_create(&ws, m, 2) == DP_OK);
    float X[9] = {0};
    uint8_t y[3] = {0, 2, 1};
    CHECK(dp_mlp_forward(m, ws, X, 3, DP_BACKEND_BLAS) == NULL); /* rows > max_rows */
    CHECK(dp_mlp_forward(m, ws, X, 2, DP_BACKEND_BLAS) != NULL);
    CHECK(dp_mlp_backward(m, ws, X, y, 2, g, DP_BACKEND_BLAS) == DP_ERR_ARG); /* shape */
    CHECK(dp_mlp_copy(g, m) == DP_ERR_SHAPE);
    dp_step *st;
    CHECK(dp_step_create(&st, m, 2) == DP_OK);
    const dp_hyper sgd = {0.1f, 0, 0}, mom = {0.1f, 0.9f, 0};
    CHECK(dp_mlp_train_step(m, st, X, y, 2, sgd, NULL, NULL) == DP_ERR_RANGE); /* label 2 */
    CHECK(dp_mlp_train_step(m, st, X, y, 1, mom, NULL, NULL) == DP_ERR_ARG);   /* no velocity */
    CHECK(dp_mlp_train_step(m, st, X, y, 3, sgd, NULL, NULL) == DP_ERR_ARG);   /* rows > max */
    CHECK(dp_mlp_train_step(m, NULL, X, y, 1, sgd, NULL, NULL) == DP_ERR_ARG);
    CHECK(dp_step_set_threads(st, 0) == DP_ERR_ARG);
    CHECK(dp_step_set_threads(st, DP_MAX_THREADS + 1) == DP_ERR_ARG);
    CHECK(dp_step_threads(st) == 1);
    dp_step_destroy(st);
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    dp_mlp_destroy(g);
}

/* dp_mlp_activation_bound against the exact maximum over every corner of
 * [0,1]^n_in (the pre-activations are piecewise linear, so the extremes of
 * net1 are at corners; net2 is bounded by the corners of each hidden
 * unit's sign pattern, checked here on all 2^I inputs in double). */
static void test_activation_bound(void) {
    enum { I = 9, H = 6, O = 4 };
    dp_mlp *m = NULL;
    CHECK(dp_mlp_create(&m, I, H, O) == DP_OK);
    if (!m) return;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        random_net(m, seed);
        const double bound = dp_mlp_activation_bound(m);
        double seen = 0.0;
        for (unsigned c = 0; c < (1u << I); c++) {
            double hid[H];
            for (int j = 0; j < H; j++) {
                double z = m->b1[j];
                for (int i = 0; i < I; i++)
                    if (c >> i & 1) z += m->W1[i * H + j];
                seen = fmax(seen, fabs(z));
                hid[j] = z > 0 ? z : 0;
            }
            for (int k = 0; k < O; k++) {
                double z = m->b2[k];
                for (int j = 0; j < H; j++) z += hid[j] * m->W2[j * O + k];
                seen = fmax(seen, fabs(z));
            }
        }
        CHECKF(seen <= bound * (1 + 1e-12) && bound > 0, "seed %llu: seen %g, bound %g",
               (unsigned long long)seed, seen, bound);
    }
    /* All weights positive: the bound is reached at x = 1 exactly. */
    for (size_t i = 0; i < m->n_params; i++) m->params[i] = 0.25f + (float)(i % 5) * 0.125f;
    double want = 0.0;
    for (int k = 0; k < O; k++) {
        double z = m->b2[k];
        for (int j = 0; j < H; j++) {
            double h = m->b1[j];
            for (int i = 0; i < I; i++) h += m->W1[i * H + j];
            z += h * m->W2[j * O + k];
        }
        want = fmax(want, z);
    }
    CHECK_NEAR(dp_mlp_activation_bound(m), want, 1e-9 * want);
    /* Finite but huge weights: far above the limit at which models are refused. */
    m->W1[0] = 1e30f;
    m->W2[0] = 1e30f;
    CHECK(dp_mlp_activation_bound(m) > DP_MLP_MAX_ACTIVATION);
    CHECK(dp_all_finite(m->params, m->n_params));
    m->params[3] = NAN;
    CHECK(!dp_all_finite(m->params, m->n_params));
    m->params[3] = -INFINITY;
    CHECK(!dp_all_finite(m->params, m->n_params) && dp_all_finite(m->params, 3));
    dp_mlp_destroy(m);
}

int main(void) {
    test_gemm_shapes();
    test_gradients_small();
    test_gradients_paper_shape();
    test_batch_vs_rows_and_backends();
    test_stability();
    test_train_step_matches();
    test_train_step_odd_shapes();
    test_learns_toy_problem();
    test_bad_arguments();
    test_activation_bound();
    return dpt_finish();
}
