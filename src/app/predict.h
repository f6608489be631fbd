/* Canvas -> network input -> probabilities, and how sure the network is. */
#ifndef DIGITPAD_APP_PREDICT_H
#define DIGITPAD_APP_PREDICT_H

#include "digitpad/canvas.h"
#include "digitpad/mlp.h"
#include "digitpad/notdigit.h"

/* The core's rule (digitpad/notdigit.h): unsure below this top
 * probability or above this fraction of the maximum entropy. */
#define PREDICT_UNSURE_P DP_UNSURE_P
#define PREDICT_UNSURE_ENTROPY DP_UNSURE_ENTROPY

typedef struct prediction {
    int valid;      /* 0: empty canvas or no usable output, no prediction */
    int not_finite; /* the network's output was NaN or infinite (valid is 0) */
    int digit;      /* argmax */
    int second;     /* runner-up */
    float p[DP_MNIST_CLASSES];
    float entropy; /* in nats */
    int unsure;
    int not_digit;     /* the gate says this is not a digit (bars greyed) */
    float p_not_digit; /* the gate's probability of that (0 without a gate) */
} prediction;

enum {
    PREDICT_OK = 0,
    PREDICT_WRONG_SHAPE = -1, /* the network does not take 784 inputs/10 outputs */
    PREDICT_NOT_FINITE = -2   /* its output is NaN or infinite (weights overflowed) */
};

/* Fill input (28x28) from the canvas, with MNIST's preprocessing if
 * preprocess is set or a plain resample otherwise, and run the network on
 * it (batch of one, ws must fit m). An empty canvas gives valid = 0.
 * Returns PREDICT_OK or one of the errors above (then valid = 0). */
int predict_run(const dp_mlp *m, dp_workspace *ws, const dp_canvas *c, int preprocess,
                float input[DP_MNIST_PIXELS], prediction *out);
/* The same with the not-a-digit gate (gate and gws may be NULL: then no
 * drawing is "not a digit"). */
int predict_run_gated(const dp_mlp *m, dp_workspace *ws, const dp_mlp *gate, dp_workspace *gws,
                      const dp_canvas *c, int preprocess, float input[DP_MNIST_PIXELS],
                      prediction *out);

/* The --verbose line for a prediction: "predict none", "predict 7 p0 ...
 * p9", "predict 7 p0 ... p9 unsure" or "predict notdigit p0 ... p9"
 * (probabilities with 4 decimals). */
void predict_line(const prediction *pr, char *line, size_t n);

/* Just the network input for the canvas (what predict_run feeds the
 * network). Returns 0, or -1 for an empty drawing (input zeroed). */
int predict_input(const dp_canvas *c, int preprocess, float input[DP_MNIST_PIXELS]);

/* Fill digit, second, entropy, unsure and not_digit from p and
 * p_not_digit (dp_reading_judge). */
void predict_judge(prediction *pr);

#endif
