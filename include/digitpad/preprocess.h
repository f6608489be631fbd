/* Drawing -> network input, MNIST's own recipe: take the ink's bounding box,
 * scale it (area-averaged, aspect kept) so its longer side is 20 pixels,
 * and place it in a 28x28 image with its centre of mass at the centre. */
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

/* in: w x h values in [0,1]. out: 28x28 values in [0,1].
 * Returns DP_ERR_EMPTY (out zeroed) if the drawing has too little ink. */
dp_status dp_preprocess(const float *in, int w, int h, float out[784]);

/* Without the MNIST recipe: just area-resample w x h to 28x28 (identity for
 * a 28x28 input). Still returns DP_ERR_EMPTY for an empty drawing. */
dp_status dp_preprocess_raw(const float *in, int w, int h, float out[784]);

#ifdef __cplusplus
}
#endif
#endif
