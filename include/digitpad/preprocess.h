/* Drawing -> network input, MNIST's own recipe: take the ink's bounding box,
 * scale it (area-averaged, aspect kept) so its longer side is 20 pixels,
 * and place it in a 28x28 image with its centre of mass at the centre.
 * Two additions for mouse drawings (docs/preprocessing.md has the
 * measurements): a drawing too small to be a digit (a click) gives "no
 * digit", and strokes that come out bolder than MNIST's are thinned. */
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

/* Stroke thinning. Stroke width of the 20 px digit, estimated as
 *   width = 2 * sum(v) / sum |grad v|      (pixels)
 * (ink area over half its outline), is 2.4 px for the median MNIST test
 * digit and DP_MAX_STROKE_WIDTH at its 99th percentile. A drawing whose
 * box was scaled up a lot comes out bolder (a brush of fixed width drawn
 * small): while the estimate is above DP_MAX_STROKE_WIDTH, dp_preprocess
 * erodes the digit (each pixel = min of itself and its 4 neighbours), at
 * most DP_MAX_THINNING times, and never below DP_THINNING_MIN_KEEP of the
 * ink it had; then it centres the thinned digit. */
#define DP_MAX_STROKE_WIDTH 4.45
#define DP_MAX_THINNING 2
#define DP_THINNING_MIN_KEEP 0.4

/* in: w x h values in [0,1]. out: 28x28 values in [0,1].
 * Returns DP_ERR_EMPTY (out zeroed) if there is no digit: too little ink,
 * or an ink box too small to be a digit (DP_MIN_DIGIT_SIDE). */
dp_status dp_preprocess(const float *in, int w, int h, float out[784]);

/* dp_preprocess_ex flags. */
#define DP_PRE_NO_THINNING 1u /* MNIST's recipe only, no stroke thinning */

/* dp_preprocess with flags (0 = exactly dp_preprocess). */
dp_status dp_preprocess_ex(const float *in, int w, int h, unsigned flags, float out[784]);

/* Without the MNIST recipe: just area-resample w x h to 28x28 (identity for
 * a 28x28 input). Same "no digit" checks (DP_ERR_EMPTY) as dp_preprocess. */
dp_status dp_preprocess_raw(const float *in, int w, int h, float out[784]);

/* dp_preprocess_mapped flag: dp_preprocess_raw instead of the MNIST recipe. */
#define DP_PRE_RAW 2u

/* Where the network input came from. Input pixel (offx + bx, offy + by),
 * bx < ow, by < oh, is the area average of the canvas window
 *   [x0 + bx*cw/ow, x0 + (bx+1)*cw/ow) x [y0 + by*ch/oh, y0 + (by+1)*ch/oh)
 * (then thinned if `thinned`); every other input pixel is 0. */
typedef struct dp_input_map {
    int canvas_w, canvas_h;
    int x0, y0, cw, ch; /* the canvas window (the ink's bounding box) */
    int ow, oh;         /* its size in the input */
    int offx, offy;     /* its place in the input */
    int thinned;        /* strokes were thinned after resampling */
} dp_input_map;

/* dp_preprocess_ex (or, with DP_PRE_RAW, dp_preprocess_raw) that also says
 * where each input pixel came from (map may be NULL; on DP_ERR_EMPTY it is
 * left zeroed). */
dp_status dp_preprocess_mapped(const float *in, int w, int h, unsigned flags, float out[784],
                               dp_input_map *map);

/* Carry a gradient over the input back to the canvas: canvas_grad
 * (canvas_w x canvas_h, overwritten) = A^T grad, where A is the map's
 * resampling (input = A . canvas for a drawing preprocessed without
 * thinning). The window and centre are held fixed, and thinning is taken
 * as the identity: "where more ink would raise this value" for small
 * changes of the drawing. */
void dp_input_map_pullback(const dp_input_map *map, const float grad[784], float *canvas_grad);

#ifdef __cplusplus
}
#endif
#endif
