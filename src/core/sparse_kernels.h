/* The inner loops of the sparse layer-1 products: one pair (2p, 2p+1) or
 * quad of inputs of the compressed batch (sparse_batch.h) against n
 * consecutive hidden units, best n <= DP_PAIR_COLS (wider spans are split).
 * With AVX-512 (or AVX2) the pair's or quad's weight rows (forward) or the two weight
 * rows being updated (backward) stay in registers for all its entries, so
 * each entry costs one load per two multiply-adds or fewer. The block
 * functions run one block of hidden units through a whole batch, with
 * these loops inlined; the per-sample and layer-2 kernels follow. Internal
 * to the core. */
#ifndef DIGITPAD_SPARSE_KERNELS_H
#define DIGITPAD_SPARSE_KERNELS_H

#include "digitpad/step.h"
#include "sparse_batch.h"

#include <stddef.h>
#include <stdint.h>

#define DP_PAIR_COLS 96 /* widest span the kernels take in one pass */

/* Every function below comes in three sets of kernels, chosen when the
 * program runs (sparse_kernels.c): AVX-512 (sparse_kernels_avx512.c), AVX2
 * with FMA (sparse_kernels_avx2.c) and plain C (sparse_kernels_plain.c).
 * The two vector sets do the same operations on every element in the same
 * order, fused multiply-adds where the comments below say so, and so give
 * the same results bit for bit (their `fused` is 1); plain C multiplies,
 * then adds. The functions dp__xxx run dp__kernels()->xxx. */
/* A run of entries of one pair: row[e] and its two values val[2e], val[2e+1]. */
typedef struct dp_pair_run {
    const int *row;
    const float *val;
    int count;
} dp_pair_run;

/* For each entry of the runs, in order:
 *   out[row * ldo + j] += val0 w0[j] + val1 w1[j],  j < n.
 * w1 may be NULL (the last input of an odd count): val1 is then 0. */
void dp__pair_forward(int n, const dp_pair_run *runs, int nruns, const float *w0, const float *w1,
                      float *out, int ldo);

/* The entries of one quad of inputs (4t..4t+3, the pairs 2t and 2t+1;
 * sparse_batch.h): runs of the rows that light both pairs, with four values
 * an entry, then of the rows that light only the first pair and only the
 * second, with two. */
typedef struct dp_quad_runs {
    const dp_pair_run *both, *first, *second;
    int nboth, nfirst, nsecond;
} dp_quad_runs;

/* For each entry of the quad's runs, j < n (any n):
 *   both:   out[row * ldo + j] += val0 w0[j] + val1 w1[j] + val2 w2[j] + val3 w3[j]
 *   first:  out[row * ldo + j] += val0 w0[j] + val1 w1[j]
 *   second: out[row * ldo + j] += val0 w2[j] + val1 w3[j]
 * added term by term in that order, as dp__pair_forward for the two pairs
 * one after the other, where wk = w + k * ldw are the inputs' rows of W. */
void dp__quad_forward(int n, const dp_quad_runs *q, const float *w, int ldw, float *out, int ldo);

/* For each entry of the runs, in order: w0[j] += val0 D[row * ldd + j], and
 * w1[j] likewise with val1 (w1 may be NULL), j < n, a fused multiply-add
 * with AVX-512 or AVX2 (multiply then add in plain C). The plain SGD
 * step's values come with -lr already in them (sparse_batch.h). */
void dp__pair_update(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd, float *w0,
                     float *w1);

/* Layer 1 of a batch for one block of n hidden units (any n), through the
 * batch compressed in nparts parts (sparse_batch.h; part k+1 holds the
 * inputs after part k's, and each list is whole in its part): for every
 * quad of inputs, then every pair after the last quad, and every entry of
 * its list,
 *   out[row * ldo + j] += x0 W[i0 * ldw + j] + x1 W[i1 * ldw + j] + ...,  j < n,
 * as dp__quad_forward and dp__pair_forward do it, so each row's terms come
 * in input order. W and out point at the block's first unit; the quad's
 * rows of W stay in registers for all its entries, and the rows two quads
 * on are prefetched. */
void dp__sparse_forward_block(int n, const dp_sparse_part *parts, int nparts, const float *W,
                              int ldw, float *out, int ldo);

/* The plain SGD update of one block of n hidden units: for every pair p,
 * dp__pair_update of rows 2p and 2p+1 of W with the entries of pair p (in
 * batch-row order); the pair lists' values carry -lr. The rows four pairs
 * on are prefetched. */
void dp__sparse_update_block(int n, const dp_sparse_part *parts, int nparts, const float *D,
                             int ldd, float *W, int ldw);

/* With momentum or weight decay, where every row of W changes (any n): for every
 * pair p, dp__pair_momentum of rows 2p and 2p+1 of W (and V, NULL without
 * momentum) with the entries of pair p (the pair lists' values as they
 * are); the rows of W and V four pairs on are
 * prefetched. (Pair by pair over all of a member's blocks instead, each
 * entry read its rows of D from L2: 20% slower an epoch.) */
void dp__sparse_momentum_block(int n, const dp_sparse_part *parts, int nparts, const float *D,
                               int ldd, const dp_hyper *hp, float *W, float *V, int ldw);

/* The two W1 rows of a pair (w1 NULL for the last input of an odd count)
 * and their velocity rows (NULL without momentum). */
typedef struct dp_pair_rows {
    float *w0, *w1, *v0, *v1;
} dp_pair_rows;

/* The update of the pair's rows with momentum or weight decay, n <= 96
 * units: g = the sum over the entries of val D[row * ldd + 0..n) (in order,
 * from 0), then per unit
 *   momentum:      v = mu v - lr (g + wd w);  w += v
 *   no momentum:   w = (1 - lr wd) w - lr g
 * with the rounding of those C expressions (no fused multiply-add). Runs
 * may be empty: then g = 0. */
void dp__pair_momentum(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                       const dp_hyper *hp, const dp_pair_rows *rows);

/* One row of layer 1 over its non-zero inputs: for j < H,
 *   h[j] = h0[j] + v[0] W[idx[0] * ldw + j] + v[1] W[idx[1] * ldw + j] + ...
 * added in order, each term a multiply then an add (the rounding of the
 * plain loop h[j] += v * w[j]). h0 may be h, or NULL to start from 0.
 * With AVX-512 a block of up to 400 units (AVX2: 96) stays in registers for all the
 * inputs, so each weight costs one load and no store. */
void dp__row_forward(int H, const float *h0, const int *idx, const float *v, int nnz,
                     const float *W, int ldw, float *h);

/* The per-sample update of W1: for k < nnz, j < H,
 *   W[idx[k] * ldw + j] += (alpha * v[k]) * d[j]
 * a multiply then an add each (the rounding of the plain loop). With
 * AVX-512 a block of 128 of d (AVX2: 64) stays in registers for all the rows. */
void dp__rows_update(int H, const int *idx, const float *v, float alpha, int nnz, const float *d,
                     float *W, int ldw);

/* The non-zero entries of x[0..n): writes their positions plus first into
 * idx and their values into v, in order, and returns how many. Both arrays
 * need room for n + DP_NONZEROS_SLACK entries (whole vectors are stored).
 * NaN counts as non-zero, -0 as zero (as x != 0 in C). */
#define DP_NONZEROS_SLACK 16
int dp__nonzeros(const float *x, int n, int first, int *idx, float *v);

/* Layer 2 of one row: z[o] = b[o] + h[j] W[j * O + o] over the j < H with
 * h[j] > 0, added in order of j, each term a multiply then an add; b NULL
 * starts from 0. With AVX-512 (AVX2) and O <= 16 the O logits stay in one (two)
 * register. */
void dp__row_logits(int H, int O, const float *h, const float *W, const float *b, float *z);

/* Layer 2 of one row, backward, for per-sample SGD: for j < n,
 *   d1[j] = W[j,0] d2[0] + ... + W[j,O-1] d2[O-1] (in order, from 0) if h[j] > 0, else 0,
 * and then, where h[j] > 0, W[j,o] += (alpha h[j]) d2[o] (a multiply then
 * an add). W is n x O, row-major. */
void dp__row_output_backward(int n, int O, const float *h, const float *d2, float alpha, float *W,
                             float *d1);

/* One chunk's share of the logits of a batch, n <= 16 units: for r < B,
 * o < O, z[r * O + o] = sum over l < n of h[r * ld + l] W2[l * O + o], in
 * order of l from 0 (fused multiply-adds with AVX-512 or AVX2, multiply then add
 * in plain C). */
void dp__chunk_logits(int B, int n, int O, const float *h, int ld, const float *W2, float *z);

/* The plain SGD update of one chunk's rows of W2, n <= 16 units: for l < n,
 * o < O,
 *   W2[l * O + o] += alpha * (sum over r < B of h[r * ld + l] d2[r * O + o])
 * the sum in order of r from 0 (fused multiply-adds with AVX-512 or AVX2, multiply
 * then add in plain C), then a multiply and an add: the
 * rounding of the SGEMM call this replaced, with OpenBLAS 0.3.21 on
 * AVX-512 (its small-matrix kernel; other BLAS builds may round
 * differently). */
void dp__chunk_w2_update(int B, int n, int O, const float *h, int ld, const float *d2, float alpha,
                         float *W2);

/* z[o] = first[o] + shares[o] + shares[stride + o] + ... (n shares), added
 * in that order, o < O. */
void dp__sum_shares(int O, const float *first, const float *shares, size_t stride, int n, float *z);

/* The hidden delta of a batch for n units: for r < B, j < n,
 *   d1[r * ld + j] = h[r * ld + j] > 0 ? sum over o < O of d2[r * O + o] W2[j * O + o] : 0
 * summed in order of o from 0; with AVX-512 or AVX2 (O <= 16) each term is one
 * fused multiply-add, in plain C a multiply then an add. */
void dp__hidden_delta(int B, int n, int O, const float *d2, const float *W2, const float *h, int ld,
                      float *d1);

/* Sets bit q of lit (zeroed by the caller) for each pair (2q, 2q+1) of
 * x[0..cols) that holds a non-zero, and adds the number of non-zero inputs
 * to *nnz (the compression of sparse_batch.c). */
void dp__lit_pairs(const float *x, int cols, uint64_t *lit, int *nnz);

/* dst[p] = src[p] / 255 (as floats), p < n: pixels to network inputs
 * (dp_dataset_batch). The same floats from every set. */
void dp__bytes_to_unit(const uint8_t *src, float *dst, size_t n);

/* h[r * ld + j] = h[r * ld + j] > 0 ? h[r * ld + j] : 0 for r < B, j < n
 * (the ReLU of a block of out1). */
void dp__relu_rows(int B, int n, float *h, int ld);

/* y[j] += a * D[r * ldd + j] for r = 0 .. B-1 in order, j < n, a multiply
 * then an add (the bias update: a column sum of a block of delta1). */
void dp__axpy_rows(int B, int n, float a, const float *D, int ldd, float *y);

/* One set of the kernels above (the block functions, and the pair and quad
 * kernels they are made of). */
typedef struct dp_kernel_set {
    const char *name; /* "avx512", "avx2", "plain" */
    int fused;        /* 1: multiply-adds fused where the comments above say so */
    void (*pair_forward)(int, const dp_pair_run *, int, const float *, const float *, float *, int);
    void (*quad_forward)(int, const dp_quad_runs *, const float *, int, float *, int);
    void (*pair_update)(int, const dp_pair_run *, int, const float *, int, float *, float *);
    void (*pair_momentum)(int, const dp_pair_run *, int, const float *, int, const dp_hyper *,
                          const dp_pair_rows *);
    void (*sparse_forward_block)(int, const dp_sparse_part *, int, const float *, int, float *,
                                 int);
    void (*sparse_update_block)(int, const dp_sparse_part *, int, const float *, int, float *, int);
    void (*sparse_momentum_block)(int, const dp_sparse_part *, int, const float *, int,
                                  const dp_hyper *, float *, float *, int);
    void (*row_forward)(int, const float *, const int *, const float *, int, const float *, int,
                        float *);
    void (*rows_update)(int, const int *, const float *, float, int, const float *, float *, int);
    int (*nonzeros)(const float *, int, int, int *, float *);
    void (*row_logits)(int, int, const float *, const float *, const float *, float *);
    void (*row_output_backward)(int, int, const float *, const float *, float, float *, float *);
    void (*chunk_logits)(int, int, int, const float *, int, const float *, float *);
    void (*chunk_w2_update)(int, int, int, const float *, int, const float *, float, float *);
    void (*sum_shares)(int, const float *, const float *, size_t, int, float *);
    void (*hidden_delta)(int, int, int, const float *, const float *, const float *, int, float *);
    void (*lit_pairs)(const float *, int, uint64_t *, int *);
    void (*bytes_to_unit)(const uint8_t *, float *, size_t);
    void (*relu_rows)(int, int, float *, int);
    void (*axpy_rows)(int, int, float, const float *, int, float *);
} dp_kernel_set;

/* The sets, defined on x86-64 builds (DP_KERNELS_X86); plain C always. */
extern const dp_kernel_set dp__kernels_avx512, dp__kernels_avx2, dp__kernels_plain;

/* The set in use: the best this CPU runs, unless dp_kernels_select chose
 * another. */
const dp_kernel_set *dp__kernels(void);

/* The sets this build has that this CPU runs, best first, into sets (room
 * for 3); returns how many (1 or more: plain C always runs). */
int dp__kernel_sets(const dp_kernel_set **sets);

/* Of the n sets, the one named, or the first (the best) for NULL or "";
 * NULL if none has that name. */
const dp_kernel_set *dp__kernels_choose(const char *name, const dp_kernel_set *const *sets, int n);

#endif
