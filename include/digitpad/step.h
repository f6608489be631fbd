/* The fast training step: forward pass, loss, backward pass and SGD update
 * of one batch, fused so that no gradient buffer is materialised, with the
 * same result as dp_mlp_forward + dp_mlp_backward + dp_mlp_sgd up to float
 * rounding.
 *
 * A dp_step owns everything the step needs besides the network: the
 * activations of the batch (a dp_workspace), its team of threads and their
 * scratch (the compressed batch, partial logits, gradient rows). Whoever
 * trains owns one (dp_trainer does); one step object per training thread.
 * src/core/step_run.c reads one batch from top to bottom. */
#ifndef DIGITPAD_STEP_H
#define DIGITPAD_STEP_H

#include <stdint.h>

#include "digitpad/mlp.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most threads a training step (and so a trainer) runs. */
#define DP_MAX_THREADS 64

/* How layer 1 of a batch is computed. AUTO takes the sparse products when
 * most inputs in the batch's column range are zero (MNIST), SGEMM
 * otherwise; the others force a path (tests and benchmarks). */
typedef enum dp_layer1 { DP_LAYER1_AUTO = 0, DP_LAYER1_DENSE = 1, DP_LAYER1_SPARSE = 2 } dp_layer1;

/* The hyper-parameters of one update (see dp_mlp_sgd). */
typedef struct dp_hyper {
    float lr;           /* learning rate eta, > 0 */
    float momentum;     /* 0 disables momentum */
    float weight_decay; /* L2 on weights, 0 disables */
} dp_hyper;

/* The set of kernels that the training step and inference run: "avx512",
 * "avx2" or "plain" (C). It is the best one this CPU runs unless
 * dp_kernels_select chose another. The two vector sets give the same
 * weights bit for bit; plain C rounds differently (it does not fuse
 * multiply-adds). */
const char *dp_kernels_name(void);
/* Run the set of that name from now on (NULL or "": the best one); call it
 * while no step or inference runs. DP_ERR_ARG if this build has no such set
 * or this CPU cannot run it (the set in use stays). The programs call it
 * with the environment variable DP_KERNELS_ENV. */
dp_status dp_kernels_select(const char *name);
#define DP_KERNELS_ENV "DIGITPAD_KERNELS"

typedef struct dp_step dp_step;

/* A step for batches of up to max_rows rows on networks of shape's shape,
 * on one thread and with layer 1 on AUTO. */
dp_status dp_step_create(dp_step **out, const dp_mlp *shape, int max_rows);
void dp_step_destroy(dp_step *st);
/* Split each batch over this many threads (1..DP_MAX_THREADS): the calling
 * thread and threads-1 workers the step owns. In a batch the threads take
 * blocks of hidden units as they go; one sample is shared by bands of the
 * inputs, then by hidden units. The weights do not depend on the count.
 * Allowed between batches; on failure the step keeps its old team. When
 * using more than one thread, call dp_blas_set_threads(1) so the BLAS does
 * not oversubscribe the cores. */
dp_status dp_step_set_threads(dp_step *st, int threads);
int dp_step_threads(const dp_step *st);
void dp_step_set_layer1(dp_step *st, dp_layer1 path);
/* The activations of the last batch (out1, net2/out2 probabilities, the
 * deltas), as dp_mlp_forward leaves them in a workspace. */
const dp_workspace *dp_step_workspace(const dp_step *st);

/* One training step of m on rows samples X (rows x n_in) with labels (each
 * below n_out). velocity (same shape as m) holds the momentum and may be
 * NULL if hp.momentum == 0. Stores the batch's mean loss in *loss (if
 * non-NULL). Batches of one sample without momentum and weight decay (the
 * paper's per-sample SGD) read and write only the W1 rows of non-zero
 * inputs. */
dp_status dp_mlp_train_step(dp_mlp *m, dp_step *st, const float *X, const uint8_t *labels, int rows,
                            dp_hyper hp, dp_mlp *velocity, double *loss);

#ifdef __cplusplus
}
#endif
#endif
