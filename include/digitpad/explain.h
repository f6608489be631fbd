/* Looking inside the network for one input: every number the window's
 * "look inside" views show (docs/math.md, "Explaining one answer").
 *
 *   net1 = x . W1 + b1,  out1 = r(net1),  net2 = out1 . W2 + b2,  out2 = s(net2)
 *
 * - a trace: one input's forward pass with every intermediate kept (net1 as
 *   well as out1, the logits, the sum of exponentials, how many ReLUs fire);
 * - a hidden unit's computation: the contributions x_i * W1[i,j] whose sum
 *   plus b1_j is net1_j;
 * - why a logit is what it is: net2_k = b2_k + sum_j out1_j * W2[j,k], the
 *   largest terms listed and the others summed as "rest"; the same for the
 *   difference net2_k - net2_r of two classes;
 * - the input gradient of a logit difference,
 *     d(net2_k - net2_r)/dx = W1 . (r'(net1) * (W2[:,k] - W2[:,r]));
 * - what one training batch's backward pass looked like (dp_backward_view).
 *
 * No allocation except dp_trace_create; all functions take any network
 * shape. */
#ifndef DIGITPAD_EXPLAIN_H
#define DIGITPAD_EXPLAIN_H

#include <stdint.h>

#include "digitpad/mlp.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One input's forward pass, every intermediate kept. */
typedef struct dp_trace {
    int n_in, n_hidden, n_out;
    float *net1;        /* n_hidden: x . W1 + b1 */
    float *out1;        /* n_hidden: max(0, net1) */
    float *net2;        /* n_out: the logits */
    float *out2;        /* n_out: softmax(net2), sums to 1 */
    double log_sum_exp; /* ln sum_k e^net2_k (finite for any finite logits) */
    double sum_exp;     /* sum_k e^net2_k (+inf beyond ~709; show log_sum_exp then) */
    int active;         /* hidden units with net1 > 0: the ReLUs that fire */
    int top, second;    /* classes with the largest and second largest logit (-1: none) */
    float *scratch;     /* n_hidden, for dp_input_gradient */
    int *active_idx;    /* n_hidden, for dp_input_gradient */
} dp_trace;

/* Buffers for a network of shape's size. */
dp_status dp_trace_create(dp_trace **out, const dp_mlp *shape);
void dp_trace_destroy(dp_trace *t);
/* Forward pass of x (n_in values). DP_ERR_SHAPE if t was made for another
 * shape. */
dp_status dp_trace_run(dp_trace *t, const dp_mlp *m, const float *x);

/* Hidden unit j for input x. */
typedef struct dp_unit_view {
    int unit;
    float bias;      /* b1_j */
    double sum;      /* sum_i x_i * W1[i,j] (in double) */
    double pos, neg; /* the sums of the positive and of the negative contributions */
    float net;       /* net1_j = bias + sum */
    float act;       /* out1_j = max(0, net) */
} dp_unit_view;

/* contrib[i] = x_i * W1[i,j] for the n_in inputs (contrib may be NULL), and
 * the unit's numbers in *u. DP_ERR_RANGE if j is not a hidden unit. */
dp_status dp_unit_contributions(const dp_mlp *m, const float *x, int j, float *contrib,
                                dp_unit_view *u);

/* Most terms a dp_logit_why lists. */
#define DP_WHY_MAX 16

/* Why logit k is what it is (r < 0), or why logit k beats logit r:
 *   value_j = out1_j * W2[j,k]                 (or * (W2[j,k] - W2[j,r]))
 *   logit   = bias + rest + sum of the listed values
 * with bias = b2_k (or b2_k - b2_r) and rest the sum of every term not
 * listed. The listed terms are the n largest values among the units that
 * fire (units that do not fire add exactly 0), largest first. */
typedef struct dp_logit_why {
    int k, r;    /* r = -1: the logit itself */
    float logit; /* net2_k (or net2_k - net2_r) from the trace's forward pass */
    double bias; /* b2_k (or b2_k - b2_r) */
    double rest; /* sum of the terms not listed */
    int n;       /* terms listed */
    int unit[DP_WHY_MAX];
    float value[DP_WHY_MAX];
} dp_logit_why;

/* t must hold m's forward pass (dp_trace_run). n_top is capped at
 * DP_WHY_MAX. DP_ERR_RANGE if k or r (when >= 0) is not a class or r == k. */
dp_status dp_logit_why_compute(const dp_mlp *m, const dp_trace *t, int k, int r, int n_top,
                               dp_logit_why *out);

/* grad[i] = d(net2_k - net2_r)/dx_i at t's input (r < 0: d net2_k/dx_i),
 *   grad = W1 . (r'(net1) * (W2[:,k] - W2[:,r]))   with r'(v) = [v > 0].
 * Exact wherever no net1_j is 0 (the network is piecewise linear in x).
 * t must hold m's forward pass. DP_ERR_RANGE as for dp_logit_why_compute. */
dp_status dp_input_gradient(const dp_mlp *m, dp_trace *t, int k, int r, float *grad);

/* Largest number of outputs a dp_backward_view keeps per-class numbers of. */
#define DP_VIEW_MAX_OUT 16

/* One training batch's backward pass (for the equations panel), with the
 * weights the batch was trained at. Per sample (the paper's notation):
 *   delta2 = out2 - y                     (1 x n_out)
 *   delta1 = (delta2 . W2^T) * r'(net1)   (1 x n_hidden)
 * and for the batch of rows samples, the mean loss's gradients
 *   dL/dW2 = (1/rows) out1^T . delta2     (n_hidden x n_out)
 *   dL/dW1 = (1/rows) X^T . delta1        (n_in x n_hidden)
 * which the step scales by the learning rate eta. */
typedef struct dp_backward_view {
    int valid;
    int rows, n_in, n_hidden, n_out;
    float lr;      /* eta of the step */
    double loss;   /* mean cross-entropy of the batch */
    uint64_t step; /* the caller's batch number */
    /* The batch's first sample: */
    int label;
    float out2[DP_VIEW_MAX_OUT];
    float delta2[DP_VIEW_MAX_OUT];
    int active;          /* units with r'(net1) = 1: where delta1 may be non-zero */
    int delta1_max_unit; /* the unit with the largest |delta1| */
    float delta1_max;    /* that delta1 (signed) */
    double delta1_norm;  /* |delta1| (Euclidean) */
    /* The batch's gradient (Frobenius norms) and the step eta * |dL/dW|: */
    double dW1_norm, dW2_norm, db1_norm, db2_norm;
} dp_backward_view;

/* Forward and backward pass of the batch X (rows x n_in), labels y, on m;
 * ws must fit rows rows and grad m's shape (both are scratch, overwritten).
 * DP_ERR_SHAPE if m has more than DP_VIEW_MAX_OUT outputs or ws/grad do not
 * fit, DP_ERR_RANGE for a label not below n_out. */
dp_status dp_backward_view_compute(const dp_mlp *m, dp_workspace *ws, dp_mlp *grad, const float *X,
                                   const uint8_t *y, int rows, float lr, dp_backward_view *out);

#ifdef __cplusplus
}
#endif
#endif
