/* The paper's network: a 2-layer feed-forward net
 *
 *   net1 = x . W1 + b1        x: rows x n_in,     W1: n_in x n_hidden
 *   out1 = relu(net1)
 *   net2 = out1 . W2 + b2     W2: n_hidden x n_out
 *   out2 = softmax(net2)      (row-wise)
 *   L    = -(1/rows) * sum_rows ln out2[label]
 *
 * Row-vector convention: a batch is a matrix whose rows are samples; biases
 * are 1 x n rows broadcast over the batch. The paper's shape is 784-800-10;
 * any positive sizes work (tests use small nets).
 *
 * All parameters live in one buffer (params) with W1|b1|W2|b2 as views into
 * it, so a gradient or a momentum buffer is simply another dp_mlp of the
 * same shape. */
#ifndef DIGITPAD_MLP_H
#define DIGITPAD_MLP_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/matrix.h"
#include "digitpad/rng.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DP_MNIST_SIDE 28
#define DP_MNIST_PIXELS 784
#define DP_MNIST_CLASSES 10
#define DP_PAPER_HIDDEN 800
/* Upper bound on any layer size, so hostile model files cannot ask for
 * absurd allocations. */
#define DP_MAX_UNITS 65536

typedef struct dp_mlp {
    int n_in, n_hidden, n_out;
    size_t n_params; /* n_in*n_hidden + n_hidden + n_hidden*n_out + n_out */
    float *params;   /* owned; everything below points into it */
    float *W1;       /* n_in x n_hidden, row-major */
    float *b1;       /* n_hidden */
    float *W2;       /* n_hidden x n_out, row-major */
    float *b2;       /* n_out */
} dp_mlp;

/* Allocate a zero-filled network. Sizes must be in 1..DP_MAX_UNITS. */
dp_status dp_mlp_create(dp_mlp **out, int n_in, int n_hidden, int n_out);
void dp_mlp_destroy(dp_mlp *m);
/* Same shape? */
int dp_mlp_same_shape(const dp_mlp *a, const dp_mlp *b);
/* Copy all parameters; DP_ERR_SHAPE if the shapes differ. */
dp_status dp_mlp_copy(dp_mlp *dst, const dp_mlp *src);
void dp_mlp_zero(dp_mlp *m);
/* He initialisation: W ~ N(0, 2/fan_in), biases 0. */
void dp_mlp_init_he(dp_mlp *m, dp_rng *rng);

/* Activations and scratch space for batches of up to max_rows rows. One
 * workspace per thread; a network can be shared read-only by many. */
typedef struct dp_workspace {
    int max_rows, n_in, n_hidden, n_out;
    float *out1;   /* max_rows x n_hidden: relu(net1); r'(net1) = out1 > 0 */
    float *net2;   /* max_rows x n_out: logits */
    float *out2;   /* max_rows x n_out: softmax probabilities */
    float *delta1; /* max_rows x n_hidden */
    float *delta2; /* max_rows x n_out */
} dp_workspace;

dp_status dp_workspace_create(dp_workspace **out, const dp_mlp *shape, int max_rows);
void dp_workspace_destroy(dp_workspace *ws);
/* Forward pass of rows samples X (rows x n_in). Fills ws->out1, ws->net2 and
 * ws->out2 and returns ws->out2 (rows x n_out probabilities). Requires
 * rows <= ws->max_rows; returns NULL on a shape mismatch. */
const float *dp_mlp_forward(const dp_mlp *m, dp_workspace *ws, const float *X, int rows,
                            dp_backend be);

/* Mean cross-entropy of the last forward pass against class labels,
 * computed from the logits with log-sum-exp (finite for any finite logits).
 * NaN if a label is not below n_out. */
double dp_mlp_loss(const dp_workspace *ws, const uint8_t *labels, int rows);

/* Backward pass after dp_mlp_forward on the same X: writes the gradient of
 * the mean loss over the batch into grad (same shape as m, overwritten).
 *   delta2 = (out2 - y) / rows
 *   delta1 = (delta2 . W2^T) * r'(net1)
 *   dW2 = out1^T . delta2   db2 = sum_rows delta2
 *   dW1 = X^T . delta1      db1 = sum_rows delta1 */
dp_status dp_mlp_backward(const dp_mlp *m, dp_workspace *ws, const float *X, const uint8_t *labels,
                          int rows, dp_mlp *grad, dp_backend be);

/* Plain SGD with optional momentum and L2 weight decay (on weights only):
 *   g' = grad + wd * W
 *   velocity = momentum * velocity - lr * g'   ;  W += velocity
 * velocity may be NULL when momentum == 0 (then W -= lr * g'). */
dp_status dp_mlp_sgd(dp_mlp *m, const dp_mlp *grad, dp_mlp *velocity, float lr, float momentum,
                     float weight_decay);

/* The fused training step, dp_mlp_train_step, is in digitpad/step.h. */

/* Largest magnitude that any pre-activation (net1 or net2) of a forward
 * pass can reach for inputs in [0,1]^n_in, bounded in double from sums of
 * absolute values (each hidden output by |b1| + sum |W1|, relu'ed with the
 * positive weights only); every partial sum of the float forward pass is
 * below it too, in any summation order. */
double dp_mlp_activation_bound(const dp_mlp *m);
/* Networks whose bound exceeds this are refused when loaded: their float
 * forward pass could overflow to infinity and give NaN probabilities. */
#define DP_MLP_MAX_ACTIVATION 1e38

/* 1 if all n values are finite numbers (no NaN, no infinity). */
int dp_all_finite(const float *v, size_t n);

/* Index of the largest of n values. */
int dp_argmax(const float *v, int n);

#ifdef __cplusplus
}
#endif
#endif
