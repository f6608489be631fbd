/* The block functions of sparse_kernels.h (a block of hidden units through
 * a whole compressed batch) and the table of a set of kernels: included at
 * the end of each set's file (sparse_kernels_avx512.c, _avx2.c, _plain.c),
 * after its static pair_forward, quad_forward, pair_update and
 * pair_momentum, so that these loops inline them. */
#ifndef DIGITPAD_SPARSE_KERNELS_BLOCKS_H
#define DIGITPAD_SPARSE_KERNELS_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "sparse_kernels.h"

/* The kernels ask for the W rows of the pair PF_AHEAD pairs on, so they
 * arrive from L2/L3 in time (4 measured best of 0, 1, 2 and 4). */
#define PF_AHEAD 4
static inline void prefetch_rows(const float *w, int ldw, int n) {
    for (int j = 0; j < n; j += 16) {
        __builtin_prefetch(w + j);
        __builtin_prefetch(w + ldw + j);
    }
}

/* List k of l as a run (empty or not); vals values an entry. */
static inline dp_pair_run run_of(const dp_entry_lists *l, int k, int vals) {
    const int e0 = l->ptr[k];
    return (dp_pair_run){l->row + e0, l->val + (size_t)vals * e0, l->ptr[k + 1] - e0};
}

static void sparse_forward_block(int n, const dp_sparse_part *parts, int nparts, const float *W,
                                 int ldw, float *out, int ldo) {
    const int cols = parts[0].cols;
    for (int m = 0; m < nparts; m++) { /* the parts in input order */
        const dp_sparse_part *pt = &parts[m];
        for (int t = pt->t0; t < pt->t1; t++) {
            const float *w = W + (size_t)4 * t * ldw;
            if (4 * t + PF_AHEAD * 2 + 3 < cols) { /* the quad PF_AHEAD pairs on */
                prefetch_rows(w + (size_t)PF_AHEAD * 2 * ldw, ldw, n);
                prefetch_rows(w + (size_t)(PF_AHEAD * 2 + 2) * ldw, ldw, n);
            }
            const dp_pair_run both = run_of(&pt->quad, t, 4), first = run_of(&pt->single, 2 * t, 2),
                              second = run_of(&pt->single, 2 * t + 1, 2);
            const dp_quad_runs q = {&both,          &first,          &second,
                                    both.count > 0, first.count > 0, second.count > 0};
            if (both.count + first.count + second.count) quad_forward(n, &q, w, ldw, out, ldo);
        }
        /* the inputs after the last quad: a pair in no quad has only singles */
        for (int p = 2 * pt->t1 > pt->p0 ? 2 * pt->t1 : pt->p0; p < pt->p1; p++) {
            const float *w0 = W + (size_t)2 * p * ldw, *w1 = 2 * p + 1 < cols ? w0 + ldw : NULL;
            const dp_pair_run run = run_of(&pt->single, p, 2);
            if (run.count) pair_forward(n, &run, 1, w0, w1, out, ldo);
        }
    }
}

static void sparse_update_block(int n, const dp_sparse_part *parts, int nparts, const float *D,
                                int ldd, float *W, int ldw) {
    const int cols = parts[0].cols;
    for (int m = 0; m < nparts; m++)
        for (int p = parts[m].p0; p < parts[m].p1; p++) {
            float *w0 = W + (size_t)2 * p * ldw, *w1 = 2 * p + 1 < cols ? w0 + ldw : NULL;
            if (2 * p + PF_AHEAD * 2 + 1 < cols)
                prefetch_rows(w0 + (size_t)PF_AHEAD * 2 * ldw, ldw, n);
            const dp_pair_run run = run_of(&parts[m].pair, p, 2);
            if (run.count) pair_update(n, &run, 1, D, ldd, w0, w1);
        }
}

/* sparse_momentum_block for n <= DP_PAIR_COLS units */
static void momentum_span(int n, const dp_sparse_part *parts, int nparts, const float *D, int ldd,
                          const dp_hyper *hp, float *W, float *V, int ldw) {
    const int cols = parts[0].cols;
    for (int m = 0; m < nparts; m++)
        for (int p = parts[m].p0; p < parts[m].p1; p++) {
            const int two = 2 * p + 1 < cols;
            float *w0 = W + (size_t)2 * p * ldw, *v0 = V ? V + (size_t)2 * p * ldw : NULL;
            if (2 * p + PF_AHEAD * 2 + 1 < cols) {
                prefetch_rows(w0 + (size_t)PF_AHEAD * 2 * ldw, ldw, n);
                if (v0) prefetch_rows(v0 + (size_t)PF_AHEAD * 2 * ldw, ldw, n);
            }
            const dp_pair_run run = run_of(&parts[m].pair, p, 2);
            const dp_pair_rows rows = {w0, two ? w0 + ldw : NULL, v0, v0 && two ? v0 + ldw : NULL};
            pair_momentum(n, &run, run.count > 0, D, ldd, hp, &rows);
        }
}

static void sparse_momentum_block(int n, const dp_sparse_part *parts, int nparts, const float *D,
                                  int ldd, const dp_hyper *hp, float *W, float *V, int ldw) {
    for (; n > DP_PAIR_COLS; n -= 64, D += 64, W += 64, V = V ? V + 64 : NULL)
        momentum_span(64, parts, nparts, D, ldd, hp, W, V, ldw);
    momentum_span(n, parts, nparts, D, ldd, hp, W, V, ldw);
}

/* dp__bytes_to_unit: the plain loop, vectorised by the compiler with the
 * including file's instructions (a division is correctly rounded at any
 * width, so every set gives the same floats). */
static void bytes_to_unit(const uint8_t *src, float *dst, size_t n) {
    for (size_t p = 0; p < n; p++) dst[p] = (float)src[p] / 255.0f;
}

/* dp__relu_rows and dp__axpy_rows: plain loops, vectorised likewise (the
 * same operations on every element in every set). */
static void relu_rows(int B, int n, float *h, int ld) {
    for (int r = 0; r < B; r++) {
        float *restrict x = h + (size_t)r * ld;
        for (int j = 0; j < n; j++) x[j] = x[j] > 0.0f ? x[j] : 0.0f;
    }
}

static void axpy_rows(int B, int n, float a, const float *D, int ldd, float *y) {
    for (int r = 0; r < B; r++) {
        const float *restrict d = D + (size_t)r * ldd;
        float *restrict t = y;
        for (int j = 0; j < n; j++) t[j] += a * d[j];
    }
}

/* The table of the including file's kernels. */
#define DP_KERNEL_SET(name_, fused_)                                                               \
    {                                                                                              \
        .name = name_, .fused = fused_, .pair_forward = pair_forward,                              \
        .quad_forward = quad_forward, .pair_update = pair_update, .pair_momentum = pair_momentum,  \
        .sparse_forward_block = sparse_forward_block, .sparse_update_block = sparse_update_block,  \
        .sparse_momentum_block = sparse_momentum_block, .row_forward = row_forward,                \
        .rows_update = rows_update, .nonzeros = nonzeros, .row_logits = row_logits,                \
        .row_output_backward = row_output_backward, .chunk_logits = chunk_logits,                  \
        .chunk_w2_update = chunk_w2_update, .sum_shares = sum_shares,                              \
        .hidden_delta = hidden_delta, .lit_pairs = lit_pairs, .bytes_to_unit = bytes_to_unit,      \
        .relu_rows = relu_rows, .axpy_rows = axpy_rows,                                            \
    }

#endif
