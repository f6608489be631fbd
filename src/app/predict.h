/* Canvas -> network input -> probabilities, and how sure the network is. */
#ifndef DIGITPAD_APP_PREDICT_H
#define DIGITPAD_APP_PREDICT_H

#include "digitpad/canvas.h"
#include "digitpad/mlp.h"

/* Unsure when the top probability is below this ... */
#define PREDICT_UNSURE_P 0.6f
/* ... or the entropy is above this fraction of its maximum ln(10). */
#define PREDICT_UNSURE_ENTROPY 0.5f

typedef struct prediction {
    int valid;      /* 0: empty canvas or no usable output, no prediction */
    int not_finite; /* the network's output was NaN or infinite (valid is 0) */
    int digit;      /* argmax */
    int second;     /* runner-up */
    float p[DP_MNIST_CLASSES];
    float entropy; /* in nats */
    int unsure;
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

/* Just the network input for the canvas (what predict_run feeds the
 * network). Returns 0, or -1 for an empty drawing (input zeroed). */
int predict_input(const dp_canvas *c, int preprocess, float input[DP_MNIST_PIXELS]);

/* Fill digit, second, entropy and unsure from p. */
void predict_judge(prediction *pr);

#endif
