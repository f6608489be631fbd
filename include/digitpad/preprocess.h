/* Drawing -> network input, MNIST's own recipe: take the ink's bounding box,
 * scale it (area-averaged, aspect kept) so its longer side is 20 pixels,
 * and place it in a 28x28 image with its centre of mass at the centre.
 * For mouse drawings, a drawing too small to be a digit (a click) gives
 * "no digit" (docs/preprocessing.md has the measurements). */
#ifndef DIGITPAD_PREPROCESS_H
#define DIGITPAD_PREPROCESS_H

#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ink below this total (in full-cell units) counts as "no digit". */
#define DP_MIN_INK 1.5f
/* Cells above this value count as ink for the bounding box. */
#define DP_INK_THRESHOLD 0.05f
/* dp_preprocess scales the ink's bounding box so its longer side is this. */
#define DP_DIGIT_BOX 20

/* Too small to be a digit: an ink bounding box whose longer side is under
 * DP_MIN_DIGIT_SIDE cells on a 28-cell canvas (on other canvases under
 * DP_MIN_DIGIT_SIDE/28 of the canvas's longer side) counts as "no digit".
 * A click leaves 3-7 cells (brush radius 1-3, the default 1.8 gives 5);
 * the smallest drawing in the drawn-digit suite is 10. */
#define DP_MIN_DIGIT_SIDE 8

/* in: w x h values in [0,1]. out: 28x28 values in [0,1].
 * Returns DP_ERR_EMPTY (out zeroed) if there is no digit: too little ink,
 * or an ink box too small to be a digit (DP_MIN_DIGIT_SIDE). */
dp_status dp_preprocess(const float *in, int w, int h, float out[784]);

/* Without the MNIST recipe: just area-resample w x h to 28x28 (identity for
 * a 28x28 input). Same "no digit" checks (DP_ERR_EMPTY) as dp_preprocess. */
dp_status dp_preprocess_raw(const float *in, int w, int h, float out[784]);

#ifdef __cplusplus
}
#endif
#endif
