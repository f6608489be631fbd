/* "Is this a digit at all?" -- the reading the window shows: a digit, a
 * digit but unsure, not a digit, or nothing drawn (docs/not-a-digit.md).
 *
 * The digit network alone is confident on letters and scribbles, so a
 * second, small network (the gate, models/gate/notdigit.dpm: n_in 784, 2
 * outputs, class 1 = not a digit) is trained on digits (MNIST and pen
 * digits) against generated non-digit strokes (dp_nondigit_draw). A
 * drawing is "not a digit" when the gate's probability of class 1 is at
 * least DP_NOTDIGIT_THRESHOLD, a value chosen on data. */
#ifndef DIGITPAD_NOTDIGIT_H
#define DIGITPAD_NOTDIGIT_H

#include "digitpad/canvas.h"
#include "digitpad/mlp.h"
#include "digitpad/rng.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gate probability of "not a digit" at or above which a drawing is not a
 * digit (docs/not-a-digit.md: chosen on MNIST training digits and pen
 * digits). */
#define DP_NOTDIGIT_THRESHOLD 0.7f
/* A digit is "unsure" when its probability is below this ... */
#define DP_UNSURE_P 0.6f
/* ... or the entropy of the ten probabilities is above this fraction of
 * its maximum ln(10). */
#define DP_UNSURE_ENTROPY 0.5f

typedef enum dp_verdict {
    DP_VERDICT_NONE = 0,    /* nothing drawn (or too small to be a digit) */
    DP_VERDICT_DIGIT = 1,   /* a digit */
    DP_VERDICT_UNSURE = 2,  /* a digit, but the network is unsure */
    DP_VERDICT_NOTDIGIT = 3 /* not a digit */
} dp_verdict;

typedef struct dp_reading {
    dp_verdict verdict;
    int digit;                 /* argmax of p (-1 for NONE) */
    int second;                /* runner-up (-1 for NONE) */
    float p[DP_MNIST_CLASSES]; /* the digit network's probabilities (0 for NONE) */
    float entropy;             /* of p, in nats */
    float not_digit;           /* the gate's probability of "not a digit" (0 without a gate) */
} dp_reading;

/* Judge the ten probabilities p and the gate's not_digit probability
 * (pass 0 without a gate): fills every field; verdict DIGIT, UNSURE or
 * NOTDIGIT. */
void dp_reading_judge(const float p[DP_MNIST_CLASSES], float not_digit, dp_reading *out);

/* Read a 28x28 network input x (as from dp_preprocess): the digit network
 * m (784 inputs, 10 outputs) with workspace ws, and, if gate is non-NULL,
 * the gate (784 inputs, 2 outputs) with workspace gws. DP_ERR_SHAPE if a
 * network does not fit. */
dp_status dp_read_input(const dp_mlp *m, dp_workspace *ws, const dp_mlp *gate, dp_workspace *gws,
                        const float x[DP_MNIST_PIXELS], dp_reading *out);

/* Check that gate is a gate network (784 inputs, 2 outputs). */
int dp_gate_fits(const dp_mlp *gate);

/* Clear c and draw one random non-digit (training material for the gate):
 * a scribble, loose straight strokes, a polygon, a zigzag or hatching, an
 * ellipse with strokes across it, strokes on a 3x3 grid
 * (straight-line letters and symbols) or an open arc with strokes, 30-90% of the canvas tall,
 * anywhere on it, with brush b. */
void dp_nondigit_draw(dp_rng *rng, dp_canvas *c, const dp_brush *b);

#ifdef __cplusplus
}
#endif
#endif
