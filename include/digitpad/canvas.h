/* A drawing surface of w x h cells with values in [0,1] (0 = background,
 * 1 = full ink), and the soft round brush the window draws with. Cell (cx,cy)
 * covers the square [cx,cx+1) x [cy,cy+1) in canvas coordinates.
 *
 * Canvases must come from dp_canvas_create: it keeps private per-stroke state
 * next to the public fields (see docs/preprocessing.md for the ink model). */
#ifndef DIGITPAD_CANVAS_H
#define DIGITPAD_CANVAS_H

#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_canvas {
    int w, h;
    float *cells; /* w*h, row-major */
} dp_canvas;

typedef struct dp_brush {
    float radius;   /* in cells; ink inside, soft edge of about one cell */
    float strength; /* how much ink one pass adds at full coverage, 0..1 */
} dp_brush;

/* Sensible defaults for a 28x28 canvas: strokes about as thick as MNIST's. */
dp_brush dp_brush_default(void);

/* Largest width/height dp_canvas_create accepts (DP_ERR_RANGE above). */
#define DP_CANVAS_MAX_SIDE 4096

dp_status dp_canvas_create(dp_canvas **out, int w, int h);
void dp_canvas_destroy(dp_canvas *c);
void dp_canvas_clear(dp_canvas *c);
/* 1 if any cell holds ink above 'threshold'. */
int dp_canvas_has_ink(const dp_canvas *c, float threshold);

/* Draw (or erase) the segment from (x0,y0) to (x1,y1), canvas coordinates.
 * Each cell gets ink by how much of it the capsule (segment swept by the
 * brush disc) covers, anti-aliased; overlapping samples along one segment
 * do not double up, so fast and slow mouse motion give the same stroke.
 * Returns 1 if any cell changed. */
int dp_canvas_stroke(dp_canvas *c, const dp_brush *b, float x0, float y0, float x1, float y1,
                     int erase);
/* A segment that starts exactly where the previous one ended (same mode)
 * continues that stroke; anything else starts a new one, which adds ink on
 * top of what is there. Call this on mouse-up to make sure the next segment
 * starts a new stroke even if it begins at the same point. Optional. */
void dp_canvas_pen_up(dp_canvas *c);

/* Draw a polyline of n points (xy interleaved), e.g. a recorded stroke. */
int dp_canvas_polyline(dp_canvas *c, const dp_brush *b, const float *xy, int n, int erase);

#ifdef __cplusplus
}
#endif
#endif
