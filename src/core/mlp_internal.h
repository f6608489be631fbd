/* Pieces of the network's math shared by mlp.c (the plain forward/backward)
 * and train_step.c (the fused training step). Not part of the public API. */
#ifndef DIGITPAD_MLP_INTERNAL_H
#define DIGITPAD_MLP_INTERNAL_H

#include "digitpad/mlp.h"

/* Private scratch of the fast training step, hung off dp_workspace.fast. */
typedef struct fast_scratch {
    int *nz;              /* indices of the non-zero inputs of one sample, n_in */
    struct dp_team *team; /* worker threads of the training step, NULL = 1 */
    float *zpart;         /* members x 2 x max_rows x n_out: partial logits, own delta2 */
    float *grow;          /* n_parts x 2 x n_hidden: each member's two gradient rows of W1 */
    struct dp_sparse_part *parts; /* n_parts: the batch's non-zero inputs, one part a member */
    int n_parts, part_rows;       /* made on first use for part_rows rows each */
    int layer1;                   /* 0 auto, 'd' dense, 's' sparse ($DIGITPAD_LAYER1) */
} fast_scratch;

/* y[0..n) += a * x[0..n) */
static inline void dp__axpy(int n, float a, const float *restrict x, float *restrict y) {
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}
/* y[0..n) += a0 x0 + a1 x1 + a2 x2 + a3 x3: four axpys for one pass over y */
static inline void dp__axpy4(int n, const float a[4], const float *restrict x0,
                             const float *restrict x1, const float *restrict x2,
                             const float *restrict x3, float *restrict y) {
    for (int i = 0; i < n; i++) y[i] += a[0] * x0[i] + a[1] * x1[i] + a[2] * x2[i] + a[3] * x3[i];
}
/* Forward pass of one row into ws (out1, net2, out2), skipping zeros. */
void dp__forward_sparse_row(const dp_mlp *m, dp_workspace *ws, const float *x);
/* Allocate now whatever dp_mlp_train_step would allocate on first use. */
dp_status dp__workspace_reserve(dp_workspace *ws);
/* d[0..O) = (p - onehot(label)) * scale: one row of the output delta. */
static inline void dp__output_delta_row(const float *p, int label, float scale, int O, float *d) {
    for (int o = 0; o < O; o++) d[o] = p[o] * scale;
    d[label] -= scale;
}
/* The workspace's team of threads (NULL: the calling thread alone). */
struct dp_team *dp__workspace_team(const dp_workspace *ws);
int dp__ws_fits(const dp_mlp *m, const dp_workspace *ws, int rows);
int dp__labels_ok(const uint8_t *labels, int rows, int n_out);
/* Fill each of the rows of Y (rows x n) with the bias row b. */
void dp__broadcast_rows(float *Y, const float *b, int rows, int n);
/* One row: p = softmax(z) (p may be z); returns logsumexp(z). */
double dp__softmax_row(const float *z, float *p, int n);
/* Row-wise, numerically stable softmax of Z (rows x n) into P. */
void dp__softmax_rows(const float *Z, float *P, int rows, int n);
/* delta2 (B x O) = (out2 - onehot(labels)) * scale */
void dp__output_delta(dp_workspace *ws, const uint8_t *labels, int rows, float scale);
/* delta1 (B x H) = (delta2 . W2^T) * [out1 > 0] */
void dp__hidden_delta(const dp_mlp *m, dp_workspace *ws, int rows, dp_backend be);
/* out[j] = sum over the rows of D (rows x n) */
void dp__column_sums(const float *D, int rows, int n, float *out);

#endif
