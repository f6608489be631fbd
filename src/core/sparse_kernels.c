/* Which set of kernels runs (sparse_kernels.h): the best this CPU runs,
 * unless dp_kernels_select chose another; and the dp__ functions, which
 * call that set's. */
#include "sparse_kernels.h"

#include <stdatomic.h>
#include <string.h>

#include "digitpad/step.h"

int dp__kernel_sets(const dp_kernel_set **sets) {
    int n = 0;
#if defined(DP_KERNELS_X86)
    __builtin_cpu_init(); /* the CPU's features, with the OS's support of their registers */
    /* what the files' -m flags let the compiler use: -mavx2 and -mavx512f
     * bring SSE4.2 and POPCNT (__builtin_popcount is one instruction) */
    const int fma = __builtin_cpu_supports("fma") && __builtin_cpu_supports("popcnt");
    if (fma && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("bmi2"))
        sets[n++] = &dp__kernels_avx512;
    if (fma && __builtin_cpu_supports("avx2")) sets[n++] = &dp__kernels_avx2;
#endif
    sets[n++] = &dp__kernels_plain;
    return n;
}

const dp_kernel_set *dp__kernels_choose(const char *name, const dp_kernel_set *const *sets, int n) {
    if (!name || !*name) return sets[0];
    for (int k = 0; k < n; k++)
        if (strcmp(name, sets[k]->name) == 0) return sets[k];
    return NULL;
}

/* The set in use, NULL until first asked for or selected. */
static _Atomic(const dp_kernel_set *) current;

const dp_kernel_set *dp__kernels(void) {
    const dp_kernel_set *k = atomic_load_explicit(&current, memory_order_acquire);
    if (k) return k;
    const dp_kernel_set *sets[3];
    dp__kernel_sets(sets);
    /* only if still unset: a dp_kernels_select meanwhile wins */
    const dp_kernel_set *expected = NULL;
    if (atomic_compare_exchange_strong(&current, &expected, sets[0])) return sets[0];
    return expected;
}

dp_status dp_kernels_select(const char *name) {
    const dp_kernel_set *sets[3];
    const int n = dp__kernel_sets(sets);
    const dp_kernel_set *k = dp__kernels_choose(name, sets, n);
    if (!k) return DP_ERR_ARG;
    atomic_store_explicit(&current, k, memory_order_release);
    return DP_OK;
}

const char *dp_kernels_name(void) {
    return dp__kernels()->name;
}

void dp__pair_forward(int n, const dp_pair_run *runs, int nruns, const float *w0, const float *w1,
                      float *out, int ldo) {
    dp__kernels()->pair_forward(n, runs, nruns, w0, w1, out, ldo);
}

void dp__quad_forward(int n, const dp_quad_runs *q, const float *w, int ldw, float *out, int ldo) {
    dp__kernels()->quad_forward(n, q, w, ldw, out, ldo);
}

void dp__pair_update(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd, float *w0,
                     float *w1) {
    dp__kernels()->pair_update(n, runs, nruns, D, ldd, w0, w1);
}

void dp__pair_momentum(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                       const dp_hyper *hp, const dp_pair_rows *rows) {
    dp__kernels()->pair_momentum(n, runs, nruns, D, ldd, hp, rows);
}

void dp__sparse_forward_block(int n, const dp_sparse_part *parts, int nparts, const float *W,
                              int ldw, float *out, int ldo) {
    dp__kernels()->sparse_forward_block(n, parts, nparts, W, ldw, out, ldo);
}

void dp__sparse_update_block(int n, const dp_sparse_part *parts, int nparts, const float *D,
                             int ldd, float *W, int ldw) {
    dp__kernels()->sparse_update_block(n, parts, nparts, D, ldd, W, ldw);
}

void dp__sparse_momentum_block(int n, const dp_sparse_part *parts, int nparts, const float *D,
                               int ldd, const dp_hyper *hp, float *W, float *V, int ldw) {
    dp__kernels()->sparse_momentum_block(n, parts, nparts, D, ldd, hp, W, V, ldw);
}

void dp__row_forward(int H, const float *h0, const int *idx, const float *v, int nnz,
                     const float *W, int ldw, float *h) {
    dp__kernels()->row_forward(H, h0, idx, v, nnz, W, ldw, h);
}

void dp__rows_update(int H, const int *idx, const float *v, float alpha, int nnz, const float *d,
                     float *W, int ldw) {
    dp__kernels()->rows_update(H, idx, v, alpha, nnz, d, W, ldw);
}

int dp__nonzeros(const float *x, int n, int first, int *idx, float *v) {
    return dp__kernels()->nonzeros(x, n, first, idx, v);
}

void dp__row_logits(int H, int O, const float *h, const float *W, const float *b, float *z) {
    dp__kernels()->row_logits(H, O, h, W, b, z);
}

void dp__row_output_backward(int n, int O, const float *h, const float *d2, float alpha, float *W,
                             float *d1) {
    dp__kernels()->row_output_backward(n, O, h, d2, alpha, W, d1);
}

void dp__chunk_logits(int B, int n, int O, const float *h, int ld, const float *W2, float *z) {
    dp__kernels()->chunk_logits(B, n, O, h, ld, W2, z);
}

void dp__chunk_w2_update(int B, int n, int O, const float *h, int ld, const float *d2, float alpha,
                         float *W2) {
    dp__kernels()->chunk_w2_update(B, n, O, h, ld, d2, alpha, W2);
}

void dp__sum_shares(int O, const float *first, const float *shares, size_t stride, int n,
                    float *z) {
    dp__kernels()->sum_shares(O, first, shares, stride, n, z);
}

void dp__hidden_delta(int B, int n, int O, const float *d2, const float *W2, const float *h, int ld,
                      float *d1) {
    dp__kernels()->hidden_delta(B, n, O, d2, W2, h, ld, d1);
}

void dp__lit_pairs(const float *x, int cols, uint64_t *lit, int *nnz) {
    dp__kernels()->lit_pairs(x, cols, lit, nnz);
}

void dp__bytes_to_unit(const uint8_t *src, float *dst, size_t n) {
    dp__kernels()->bytes_to_unit(src, dst, n);
}

void dp__relu_rows(int B, int n, float *h, int ld) {
    dp__kernels()->relu_rows(B, n, h, ld);
}

void dp__axpy_rows(int B, int n, float a, const float *D, int ldd, float *y) {
    dp__kernels()->axpy_rows(B, n, a, D, ldd, y);
}
