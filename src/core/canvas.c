/* Drawing surface and soft round brush.
 *
 * Ink model (docs/preprocessing.md): a segment's coverage of a cell is
 *   cov = clamp(r + 0.5 - d, 0, 1)
 * with d the distance from the cell centre to the segment, i.e. a disc of
 * radius r swept along the segment with a one-cell linear anti-aliasing
 * ramp. Consecutive segments form one stroke; within a stroke a cell keeps
 *   cell = max(cell, min(1, base + strength * cov))      (drawing)
 *   cell = min(cell, max(0, base - strength * cov))      (erasing)
 * where base is the cell's value when the stroke first reached it. Because
 * max over sub-segments of cov(d_i) = cov(min d_i) = cov(d), a straight line
 * gives the same cells whether drawn as 1 or 20 segments, and in general a
 * stroke is exactly the soft brush swept along the whole polyline. A new
 * stroke starts from the current cells, so passing again darkens. */
#include "digitpad/canvas.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The public struct plus the private stroke state. */
typedef struct canvas_impl {
    dp_canvas pub;   /* first, so a dp_canvas* is a canvas_impl* */
    float *base;     /* w*h: value when the current stroke first touched it */
    uint32_t *stamp; /* w*h: stroke id for which base[i] is valid */
    uint32_t stroke; /* current stroke id, never 0 once a stroke began */
    int pen_down;    /* a stroke is open and may be continued */
    int pen_erase;   /* mode of the open stroke */
    float pen_x, pen_y;
} canvas_impl;

static canvas_impl *impl(dp_canvas *c) {
    return (canvas_impl *)c;
}

dp_brush dp_brush_default(void) {
    dp_brush b = {1.8f, 1.0f}; /* matches MNIST ink for digits drawn ~20 cells tall */
    return b;
}

dp_status dp_canvas_create(dp_canvas **out, int w, int h) {
    if (!out) return DP_ERR_ARG;
    *out = NULL;
    if (w <= 0 || h <= 0) return DP_ERR_ARG;
    if (w > DP_CANVAS_MAX_SIDE || h > DP_CANVAS_MAX_SIDE) return DP_ERR_RANGE;
    size_t n = (size_t)w * (size_t)h;
    canvas_impl *c = calloc(1, sizeof *c);
    if (!c) return DP_ERR_NOMEM;
    c->pub.w = w;
    c->pub.h = h;
    c->pub.cells = calloc(n, sizeof *c->pub.cells);
    c->base = malloc(n * sizeof *c->base);
    c->stamp = calloc(n, sizeof *c->stamp);
    if (!c->pub.cells || !c->base || !c->stamp) {
        dp_canvas_destroy(&c->pub);
        return DP_ERR_NOMEM;
    }
    *out = &c->pub;
    return DP_OK;
}

void dp_canvas_destroy(dp_canvas *c) {
    if (!c) return;
    canvas_impl *ci = impl(c);
    free(ci->pub.cells);
    free(ci->base);
    free(ci->stamp);
    free(ci);
}

void dp_canvas_pen_up(dp_canvas *c) {
    if (c) impl(c)->pen_down = 0;
}

void dp_canvas_clear(dp_canvas *c) {
    if (!c) return;
    memset(c->cells, 0, (size_t)c->w * (size_t)c->h * sizeof *c->cells);
    dp_canvas_pen_up(c);
}

int dp_canvas_has_ink(const dp_canvas *c, float threshold) {
    if (!c) return 0;
    size_t n = (size_t)c->w * (size_t)c->h;
    for (size_t i = 0; i < n; i++)
        if (c->cells[i] > threshold) return 1;
    return 0;
}

/* Continue the open stroke if (x0,y0) is where it ended, else begin a new
 * one (a fresh id invalidates every stored base value at once). */
static void begin_segment(canvas_impl *c, float x0, float y0, float x1, float y1, int erase) {
    int continues = c->pen_down && c->pen_erase == erase && x0 == c->pen_x && y0 == c->pen_y;
    if (!continues) {
        if (++c->stroke == 0) { /* wrapped after 2^32 strokes: forget all stamps */
            memset(c->stamp, 0, (size_t)c->pub.w * (size_t)c->pub.h * sizeof *c->stamp);
            c->stroke = 1;
        }
    }
    c->pen_down = 1;
    c->pen_erase = erase;
    c->pen_x = x1;
    c->pen_y = y1;
}

/* First/last cell index whose centre (i + 0.5) lies in [lo, hi], clipped
 * to [0, n-1]; returns 0 if there is none. Works in double so huge or
 * far-away coordinates never overflow an int. */
static int cell_range(double lo, double hi, int n, int *first, int *last) {
    double a = ceil(lo - 0.5), b = floor(hi - 0.5);
    if (a < 0) a = 0;
    if (b > n - 1) b = n - 1;
    if (!(a <= b)) return 0;
    *first = (int)a;
    *last = (int)b;
    return 1;
}

int dp_canvas_stroke(dp_canvas *c, const dp_brush *b, float x0, float y0, float x1, float y1,
                     int erase) {
    if (!c) return 0;
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return 0;
    dp_brush br = b ? *b : dp_brush_default();
    if (!(br.radius >= 0.0f) || !isfinite(br.radius)) return 0;
    float strength = br.strength > 1.0f ? 1.0f : br.strength;
    if (!(strength > 0.0f)) return 0;
    erase = erase ? 1 : 0;

    canvas_impl *ci = impl(c);
    begin_segment(ci, x0, y0, x1, y1, erase);

    /* Cells whose centre is within reach = r + 0.5 of the segment. */
    double reach = (double)br.radius + 0.5;
    int cx0, cx1, cy0, cy1;
    if (!cell_range(fmin(x0, x1) - reach, fmax(x0, x1) + reach, c->w, &cx0, &cx1) ||
        !cell_range(fmin(y0, y1) - reach, fmax(y0, y1) + reach, c->h, &cy0, &cy1))
        return 0;

    /* Geometry in double: any finite float coordinates stay finite. */
    double dx = (double)x1 - x0, dy = (double)y1 - y0;
    double len2 = dx * dx + dy * dy;
    double inv_len2 = len2 > 0.0 ? 1.0 / len2 : 0.0;
    int changed = 0;
    for (int cy = cy0; cy <= cy1; cy++) {
        double py = cy + 0.5 - y0;
        float *row = c->cells + (size_t)cy * (size_t)c->w;
        float *base = ci->base + (size_t)cy * (size_t)c->w;
        uint32_t *stamp = ci->stamp + (size_t)cy * (size_t)c->w;
        for (int cx = cx0; cx <= cx1; cx++) {
            double px = cx + 0.5 - x0;
            /* Closest point of the segment: parameter t in [0,1]. */
            double t = (px * dx + py * dy) * inv_len2;
            t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
            double ex = px - t * dx, ey = py - t * dy;
            float cov = (float)(reach - sqrt(ex * ex + ey * ey));
            if (!(cov > 0.0f)) continue;
            if (cov > 1.0f) cov = 1.0f;
            if (stamp[cx] != ci->stroke) {
                stamp[cx] = ci->stroke;
                base[cx] = row[cx];
            }
            float ink = strength * cov;
            if (!erase) {
                float v = fminf(1.0f, base[cx] + ink);
                if (v > row[cx]) row[cx] = v, changed = 1;
            } else {
                float v = fmaxf(0.0f, base[cx] - ink);
                if (v < row[cx]) row[cx] = v, changed = 1;
            }
        }
    }
    return changed;
}

int dp_canvas_polyline(dp_canvas *c, const dp_brush *b, const float *xy, int n, int erase) {
    if (!c || !xy || n <= 0) return 0;
    dp_canvas_pen_up(c); /* a polyline is a stroke of its own */
    int changed = 0;
    if (n == 1) changed = dp_canvas_stroke(c, b, xy[0], xy[1], xy[0], xy[1], erase);
    for (int i = 1; i < n; i++)
        changed |=
            dp_canvas_stroke(c, b, xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1], erase);
    dp_canvas_pen_up(c);
    return changed;
}
