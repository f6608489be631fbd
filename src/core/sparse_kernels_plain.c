/* The plain C set of the kernels of sparse_kernels.h: the same sums in the
 * same order as the vector sets, each term a multiply then an add (the
 * compiler may vectorise the loops; it never fuses: -ffp-contract=off). It
 * runs on every CPU, and is the reference the vector sets are tested
 * against (tests/test_sparse_kernels.c). */
#include <stddef.h>

#include "sparse_kernels.h"
#include "sparse_kernels_plain.h"

static void pair_forward(int n, const dp_pair_run *runs, int nruns, const float *w0,
                         const float *w1, float *out, int ldo) {
    for (const dp_pair_run *run = runs; run < runs + nruns; run++)
        for (int e = 0; e < run->count; e++) {
            float *restrict o = out + (size_t)run->row[e] * ldo;
            const float x0 = run->val[2 * e], x1 = run->val[2 * e + 1];
            if (w1)
                for (int j = 0; j < n; j++) o[j] = (o[j] + x0 * w0[j]) + x1 * w1[j];
            else
                for (int j = 0; j < n; j++) o[j] += x0 * w0[j];
        }
}

static inline void quad_forward(int n, const dp_quad_runs *q, const float *w, int ldw, float *out,
                                int ldo) {
    const float *w0 = w, *w1 = w + ldw, *w2 = w + 2 * (size_t)ldw, *w3 = w + 3 * (size_t)ldw;
    for (const dp_pair_run *run = q->both; run < q->both + q->nboth; run++)
        for (int e = 0; e < run->count; e++) {
            float *restrict o = out + (size_t)run->row[e] * ldo;
            const float *x = run->val + 4 * e;
            for (int j = 0; j < n; j++)
                o[j] = (((o[j] + x[0] * w0[j]) + x[1] * w1[j]) + x[2] * w2[j]) + x[3] * w3[j];
        }
    pair_forward(n, q->first, q->nfirst, w0, w1, out, ldo);
    pair_forward(n, q->second, q->nsecond, w2, w3, out, ldo);
}

static inline void pair_update(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                               float *w0, float *w1) {
    for (const dp_pair_run *run = runs; run < runs + nruns; run++)
        for (int e = 0; e < run->count; e++) {
            const float *restrict d = D + (size_t)run->row[e] * ldd;
            const float x0 = run->val[2 * e], x1 = run->val[2 * e + 1];
            for (int j = 0; j < n; j++) w0[j] += x0 * d[j];
            if (w1)
                for (int j = 0; j < n; j++) w1[j] += x1 * d[j];
        }
}

static int nonzeros(const float *x, int n, int first, int *idx, float *v) {
    return select_inputs_plain(x, n, first, 0, idx, v);
}

static void rows_update(int H, const int *idx, const float *v, float alpha, int nnz, const float *d,
                        float *W, int ldw) {
    for (int e = 0; e < nnz; e++) {
        float *restrict w = W + (size_t)idx[e] * ldw;
        const float c = alpha * v[e];
        for (int j = 0; j < H; j++) w[j] += c * d[j];
    }
}

static void row_output_backward(int n, int O, const float *h, const float *d2, float alpha,
                                float *W, float *d1) {
    row_output_backward_plain(n, O, h, d2, alpha, W, d1);
}

static void hidden_delta(int B, int n, int O, const float *d2, const float *W2, const float *h,
                         int ld, float *d1) {
    hidden_delta_plain(B, n, O, d2, W2, h, ld, d1);
}

static void chunk_logits(int B, int n, int O, const float *h, int ld, const float *W2, float *z) {
    chunk_logits_plain(B, n, O, h, ld, W2, z);
}

static void sum_shares(int O, const float *first, const float *shares, size_t stride, int n,
                       float *z) {
    sum_shares_plain(O, first, shares, stride, n, z);
}

static void chunk_w2_update(int B, int n, int O, const float *h, int ld, const float *d2,
                            float alpha, float *W2) {
    chunk_w2_update_plain(B, n, O, h, ld, d2, alpha, W2);
}

static void row_logits(int H, int O, const float *h, const float *W, const float *b, float *z) {
    row_logits_plain(H, O, h, W, b, z);
}

static void pair_momentum(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                          const dp_hyper *hp, const dp_pair_rows *rows) {
    float g[2][DP_PAIR_COLS] = {{0}};
    if (n > 0 && nruns > 0) pair_update(n, runs, nruns, D, ldd, g[0], rows->w1 ? g[1] : NULL);
    const float lr = hp->lr, mu = hp->momentum, wd = hp->weight_decay;
    for (int t = 0; t < (rows->w1 ? 2 : 1); t++) {
        float *w = t ? rows->w1 : rows->w0, *v = t ? rows->v1 : rows->v0;
        if (!v) {
            for (int j = 0; j < n; j++) w[j] = (1.0f - lr * wd) * w[j] - lr * g[t][j];
            continue;
        }
        for (int j = 0; j < n; j++) v[j] = mu * v[j] - lr * (g[t][j] + wd * w[j]);
        for (int j = 0; j < n; j++) w[j] += v[j];
    }
}

static void row_forward(int H, const float *h0, const int *idx, const float *v, int nnz,
                        const float *W, int ldw, float *h) {
    if (h != h0)
        for (int j = 0; j < H; j++) h[j] = h0 ? h0[j] : 0.0f;
    for (int e = 0; e < nnz; e++) {
        const float *restrict w = W + (size_t)idx[e] * ldw;
        const float x = v[e];
        for (int j = 0; j < H; j++) h[j] += x * w[j];
    }
}

static void lit_pairs(const float *x, int cols, uint64_t *lit, int *nnz) {
    lit_pairs_plain(x, 0, cols, lit, nnz);
}

#include "sparse_kernels_blocks.h"

const dp_kernel_set dp__kernels_plain = DP_KERNEL_SET("plain", 0);
