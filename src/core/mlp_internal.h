/* Pieces of the network's math shared by mlp.c (the plain forward/backward)
 * and step_run.c (the fused training step). Not part of the public API. */
#ifndef DIGITPAD_MLP_INTERNAL_H
#define DIGITPAD_MLP_INTERNAL_H

#include "digitpad/mlp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* n * size zeroed bytes on a 128-byte boundary, or NULL; free() frees
 * them. Rows of the weights and of the activations then start on a cache
 * line whenever their length is a multiple of 16 floats, so AVX-512 loads
 * and stores do not straddle two lines (and on a pair of lines, which the
 * CPU's adjacent-line prefetcher fetches together, when it is a multiple
 * of 32). */
#define DP_LINE_PAIR 128
static inline void *dp__calloc_lines(size_t n, size_t size) {
    if (size != 0 && n > (SIZE_MAX - DP_LINE_PAIR) / size) return NULL;
    size_t bytes = (n * size + DP_LINE_PAIR - 1) / DP_LINE_PAIR * DP_LINE_PAIR;
    void *p = aligned_alloc(DP_LINE_PAIR, bytes ? bytes : DP_LINE_PAIR);
    if (p) memset(p, 0, bytes);
    return p;
}

/* y[0..n) += a * x[0..n) */
static inline void dp__axpy(int n, float a, const float *restrict x, float *restrict y) {
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}
/* d[0..O) = (p - onehot(label)) * scale: one row of the output delta. */
static inline void dp__output_delta_row(const float *p, int label, float scale, int O, float *d) {
    for (int o = 0; o < O; o++) d[o] = p[o] * scale;
    d[label] -= scale;
}
int dp__ws_fits(const dp_mlp *m, const dp_workspace *ws, int rows);
int dp__labels_ok(const uint8_t *labels, int rows, int n_out);
/* Cross-entropy of one row of logits z (O of them) for its label; NaN if
 * the label has no output. */
double dp__row_loss(const float *z, int label, int O);
/* One row: p = softmax(z) (p may be z); returns logsumexp(z). */
double dp__softmax_row(const float *z, float *p, int n);
/* delta2 (B x O) = (out2 - onehot(labels)) * scale */
void dp__output_delta(dp_workspace *ws, const uint8_t *labels, int rows, float scale);

#endif
