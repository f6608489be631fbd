/* Internal to the training step: the job a team of threads shares, and the
 * update helpers both batch paths use (train_step.c, sparse_step.c). */
#ifndef DIGITPAD_TRAIN_STEP_H
#define DIGITPAD_TRAIN_STEP_H

#include "digitpad/mlp.h"
#include "team.h"

#define DP_MAX_PARTS 64 /* team members at most (dp_workspace_set_threads) */

/* The first of the n items (rows, hidden units) that member k of a team of
 * members owns: member k has [dp__share(n, k, m), dp__share(n, k + 1, m)). */
static inline int dp__share(int n, int k, int members) {
    return (int)((long)n * k / members);
}

/* Makes rows [r0, r1) of a batch (inputs and labels) for team member member. */
typedef void (*dp__fill_fn)(void *ctx, int r0, int r1, int member);

typedef struct step_job {
    dp_mlp *m;
    dp_workspace *ws;
    dp_team *team;
    const float *X;
    const uint8_t *labels;
    int rows;
    dp__fill_fn fill; /* NULL: X and labels are given */
    void *fill_ctx;
    float lr, mu, wd;
    dp_mlp *v;                      /* velocity or NULL */
    double loss_part[DP_MAX_PARTS]; /* each member's summed loss of its share of the rows */
} step_job;

/* Update rows [r0, r1), columns [c0, c0+nc) of the row-major W (row stride
 * ld; V its velocity or NULL) given the gradient G = op(A) . D restricted
 * to rows [g0, g1) (other rows have no gradient): A is k x (rows) with
 * stride lda, used transposed, D is k x nc with stride ldd.
 *   no momentum: W = (1 - lr*wd) W - lr G
 *   momentum:    V = mu V - lr (G + wd W);  W += V */
void dp__update_block(float *W, float *V, int ld, int r0, int r1, int c0, int nc, int g0, int g1,
                      const float *A, int lda, const float *D, int ldd, int k, float lr, float mu,
                      float wd);
/* b[j0:j1] += -lr * column sums of D[:, j0:j1] (rows x ldd), with momentum
 * through vb if it is not NULL. */
void dp__update_bias(float *b, float *vb, const float *D, int ldd, int rows, int j0, int j1,
                     float lr, float mu);

/* dp_mlp_train_step on a batch that the team makes itself: each member
 * first calls fill for its share of the rows, which writes them into X and
 * labels; no thread waits for the whole batch to be made by one. The
 * arguments must be valid as dp_mlp_train_step checks them, labels
 * included (< n_out). fill may be NULL if X and labels are given. */
dp_status dp__train_step_filled(dp_mlp *m, dp_workspace *ws, float *X, uint8_t *labels, int rows,
                                float lr, float momentum, float weight_decay, dp_mlp *velocity,
                                double *loss, dp__fill_fn fill, void *fill_ctx);

/* The sparse layer-1 products (sparse_step.c). The batch is compressed in
 * one part per member; member k compresses its share of the rows of X
 * (dp__share). Room for the parts of a batch of rows rows on members
 * threads (kept, and grown when a later batch needs more): */
dp_status dp__sparse_step_reserve(dp_workspace *ws, int members, int rows);
void dp__sparse_compress_share(dp_workspace *ws, const float *X, int rows, int member, int members);
/* Once every part is made: the number of non-zero inputs, and a range
 * [lo, hi) of inputs outside which every row is zero. */
long dp__sparse_nnz(const dp_workspace *ws, int members, int *lo, int *hi);
/* Once every part is made: out1[:, j0:j0+nh] += X . W1[:, j0:j0+nh] */
void dp__sparse_forward(const dp_workspace *ws, int members, const float *W1, int j0, int nh,
                        float *out1);
/* The update of W1[:, j0:j0+nh] (and its velocity) by X^T . delta1[:, j0:j0+nh];
 * member's share of the scratch. */
void dp__sparse_update_w1(const step_job *job, int members, int member, int j0, int nh);

#endif
