/* MNIST's normalisation of a drawing (LeCun et al.): crop the ink's
 * bounding box, area-average it so the longer side is 20 px (aspect kept),
 * thin it if its strokes came out bolder than MNIST's, then paste it into
 * 28x28 at the integer offset that puts its centre of mass nearest pixel
 * (14,14). No allocation, any input size. */
#include "digitpad/preprocess.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define SIDE 28

static float clamp01(float v) {
    return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
}

/* Where one output pixel's footprint [f0, f1) falls on the input axis:
 * cells first..last, the first and last only partly (weights w_first,
 * w_last), the ones between fully. */
typedef struct span {
    int first, last;
    float w_first, w_last;
} span;

static span make_span(double f0, double f1, int n) {
    span s;
    s.first = (int)f0;
    s.last = (int)ceil(f1) - 1;
    if (s.last > n - 1) s.last = n - 1;
    if (s.last < s.first) s.last = s.first;
    if (s.first == s.last) {
        s.w_first = s.w_last = (float)(f1 - f0);
    } else {
        s.w_first = (float)(s.first + 1 - f0);
        s.w_last = (float)(f1 - s.last);
    }
    return s;
}

/* Sum of row[first..last] weighted by the span. */
static float span_sum(const float *row, const span *s) {
    if (s->first == s->last) return s->w_first * clamp01(row[s->first]);
    float mid = 0.0f;
    for (int i = s->first + 1; i < s->last; i++) mid += clamp01(row[i]);
    return s->w_first * clamp01(row[s->first]) + mid + s->w_last * clamp01(row[s->last]);
}

/* Area-average the cw x ch window at (x0,y0) of `in` (row stride `stride`)
 * into `out` (ow x oh, row stride ow), ow, oh <= 28. Output pixel (ox,oy)
 * covers window rectangle [ox*sx, (ox+1)*sx) x [oy*sy, (oy+1)*sy) with
 * sx = cw/ow, sy = ch/oh; each input cell adds value * overlap area, and
 * the sum is divided by sx*sy (a box filter with fractional coverage). */
static void area_resample(const float *in, size_t stride, int x0, int y0, int cw, int ch,
                          float *out, int ow, int oh) {
    double sx = (double)cw / ow, sy = (double)ch / oh;
    span xs[SIDE];
    for (int ox = 0; ox < ow; ox++)
        xs[ox] = make_span(ox * sx, ox + 1 == ow ? cw : (ox + 1) * sx, cw);
    float norm = (float)(1.0 / (sx * sy));
    for (int oy = 0; oy < oh; oy++) {
        span ys = make_span(oy * sy, oy + 1 == oh ? ch : (oy + 1) * sy, ch);
        float acc[SIDE] = {0};
        for (int iy = ys.first; iy <= ys.last; iy++) {
            float wy = iy == ys.first ? ys.w_first : (iy == ys.last ? ys.w_last : 1.0f);
            const float *row = in + (size_t)(y0 + iy) * stride + (size_t)x0;
            for (int ox = 0; ox < ow; ox++) acc[ox] += wy * span_sum(row, &xs[ox]);
        }
        for (int ox = 0; ox < ow; ox++) out[oy * ow + ox] = clamp01(acc[ox] * norm);
    }
}

typedef struct ink_box {
    int x0, y0, x1, y1; /* inclusive cell range of cells above DP_INK_THRESHOLD */
} ink_box;

/* Zero out, check the arguments, and find the ink's bounding box: DP_OK,
 * DP_ERR_ARG, or DP_ERR_EMPTY if the total ink (values clamped to [0,1]) is
 * below DP_MIN_INK, no cell exceeds the threshold, or the box's longer side
 * is under DP_MIN_DIGIT_SIDE/28 of the canvas's longer side (a click). */
static dp_status find_ink(const float *in, int w, int h, float *out, ink_box *b) {
    if (!out) return DP_ERR_ARG;
    memset(out, 0, SIDE * SIDE * sizeof *out);
    if (!in || w <= 0 || h <= 0) return DP_ERR_ARG;
    double total = 0.0;
    ink_box r = {w, h, -1, -1};
    for (int y = 0; y < h; y++) {
        const float *row = in + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            float v = clamp01(row[x]);
            total += v;
            if (v > DP_INK_THRESHOLD) {
                if (x < r.x0) r.x0 = x;
                if (x > r.x1) r.x1 = x;
                if (y < r.y0) r.y0 = y;
                r.y1 = y;
            }
        }
    }
    *b = r;
    if (total < DP_MIN_INK || r.x1 < 0) return DP_ERR_EMPTY;
    long long box_long = r.x1 - r.x0 > r.y1 - r.y0 ? r.x1 - r.x0 + 1 : r.y1 - r.y0 + 1;
    long long canvas_long = w > h ? w : h;
    /* box_long / canvas_long < DP_MIN_DIGIT_SIDE / 28, in integers */
    return box_long * SIDE < (long long)DP_MIN_DIGIT_SIDE * canvas_long ? DP_ERR_EMPTY : DP_OK;
}

/* The digit box with a zero border for thinning: box pixel (x,y), x < ow,
 * y < oh, is at v[(y + 1) * PADDED + x + 1]; everything else is 0. */
#define PADDED (DP_DIGIT_BOX + 2)

/* Stroke width in pixels of the padded ow x oh box v, and its ink:
 *   width = 2 * sum(v) / sum |grad v|,  |grad v| = sqrt(dx^2 + dy^2)
 * with forward differences dx = v(x+1,y) - v(x,y), dy = v(x,y+1) - v(x,y)
 * over the box and the zero border row/column above and left of it, so
 * every edge is counted once. For a band L long and W wide the ink is L*W
 * and the outline about 2L: width ~ W. Translation-invariant, so the same
 * on the placed 28x28 image. */
static double stroke_width(const float *v, int ow, int oh, double *ink) {
    float grad[PADDED] = {0}, mass[PADDED] = {0}; /* per column: the x loop vectorises */
    for (int y = 0; y <= oh; y++) {
        const float *p = v + y * PADDED;
        for (int x = 0; x <= ow; x++) {
            float dx = p[x + 1] - p[x], dy = p[x + PADDED] - p[x];
            grad[x] += sqrtf(dx * dx + dy * dy);
            mass[x] += p[x];
        }
    }
    double tv = 0.0;
    *ink = 0.0;
    for (int x = 0; x <= ow; x++) tv += grad[x], *ink += mass[x];
    return tv > 0.0 ? 2.0 * *ink / tv : 0.0;
}

/* Grey erosion of the padded box with a plus-shaped element:
 *   out(x,y) = min(v(x,y), v(x-1,y), v(x+1,y), v(x,y-1), v(x,y+1)). */
static void erode(const float *v, int ow, int oh, float *out) {
    memset(out, 0, PADDED * PADDED * sizeof *out);
    for (int y = 1; y <= oh; y++)
        for (int x = 1; x <= ow; x++) {
            const float *p = v + y * PADDED + x;
            out[y * PADDED + x] =
                fminf(fminf(p[0], p[-1]), fminf(p[1], fminf(p[-PADDED], p[PADDED])));
        }
}

/* Erode the ow x oh box while its strokes are wider than MNIST's 99th
 * percentile, at most DP_MAX_THINNING times, keeping at least
 * DP_THINNING_MIN_KEEP of its ink; 1 if it did. Each erosion takes about a pixel off
 * both sides of a stroke (width -1.5 to -2). */
static int thin_strokes(float *box, int ow, int oh) {
    float v[PADDED * PADDED] = {0}, thinner[PADDED * PADDED];
    for (int y = 0; y < oh; y++)
        memcpy(v + (y + 1) * PADDED + 1, box + y * ow, (size_t)ow * sizeof *v);
    double ink0, ink, width = stroke_width(v, ow, oh, &ink0);
    int n = 0;
    for (; n < DP_MAX_THINNING && width > DP_MAX_STROKE_WIDTH; n++) {
        erode(v, ow, oh, thinner);
        width = stroke_width(thinner, ow, oh, &ink);
        if (ink < DP_THINNING_MIN_KEEP * ink0) break;
        memcpy(v, thinner, sizeof v);
    }
    if (n == 0) return 0;
    for (int y = 0; y < oh; y++)
        memcpy(box + y * ow, v + (y + 1) * PADDED + 1, (size_t)ow * sizeof *box);
    return 1;
}

/* Integer offset in [0, SIDE - n] putting index coordinate `com` at 14. */
static int centre_offset(double com, int n) {
    double off = floor(SIDE / 2.0 - com + 0.5);
    if (off < 0) off = 0;
    if (off > SIDE - n) off = SIDE - n;
    return (int)off;
}

dp_status dp_preprocess(const float *in, int w, int h, float out[784]) {
    return dp_preprocess_mapped(in, w, h, 0u, out, NULL);
}

dp_status dp_preprocess_ex(const float *in, int w, int h, unsigned flags, float out[784]) {
    return dp_preprocess_mapped(in, w, h, flags & ~DP_PRE_RAW, out, NULL);
}

dp_status dp_preprocess_raw(const float *in, int w, int h, float out[784]) {
    return dp_preprocess_mapped(in, w, h, DP_PRE_RAW, out, NULL);
}

dp_status dp_preprocess_mapped(const float *in, int w, int h, unsigned flags, float out[784],
                               dp_input_map *map) {
    dp_input_map mp = {0};
    if (map) *map = mp;
    ink_box b;
    dp_status st = find_ink(in, w, h, out, &b);
    if (st != DP_OK) return st;
    mp.canvas_w = w;
    mp.canvas_h = h;
    if (flags & DP_PRE_RAW) {
        mp.cw = w;
        mp.ch = h;
        mp.ow = mp.oh = SIDE;
        area_resample(in, (size_t)w, 0, 0, w, h, out, SIDE, SIDE);
        if (map) *map = mp;
        return DP_OK;
    }

    /* Longer side -> DP_DIGIT_BOX, shorter side scaled alike (>= 1). */
    int cw = b.x1 - b.x0 + 1, ch = b.y1 - b.y0 + 1;
    int ow = DP_DIGIT_BOX, oh = DP_DIGIT_BOX;
    if (cw > ch) oh = (int)lround((double)DP_DIGIT_BOX * ch / cw);
    if (ch > cw) ow = (int)lround((double)DP_DIGIT_BOX * cw / ch);
    if (ow < 1) ow = 1;
    if (oh < 1) oh = 1;
    float box[DP_DIGIT_BOX * DP_DIGIT_BOX];
    area_resample(in, (size_t)w, b.x0, b.y0, cw, ch, box, ow, oh);
    /* Before centring: the centre of mass is the thinned digit's. */
    if (!(flags & DP_PRE_NO_THINNING)) mp.thinned = thin_strokes(box, ow, oh);

    /* Centre of mass of the box in pixel index coordinates (pixel i at i),
     * MNIST's convention: its digits' index CoM lies within 14 +- 0.5. */
    double m = 0.0, mx = 0.0, my = 0.0;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            double v = box[y * ow + x];
            m += v;
            mx += v * x;
            my += v * y;
        }
    double cx = m > 0.0 ? mx / m : (ow - 1) / 2.0, cy = m > 0.0 ? my / m : (oh - 1) / 2.0;
    int offx = centre_offset(cx, ow), offy = centre_offset(cy, oh);
    for (int y = 0; y < oh; y++)
        memcpy(out + (offy + y) * SIDE + offx, box + y * ow, (size_t)ow * sizeof *out);
    mp.x0 = b.x0;
    mp.y0 = b.y0;
    mp.cw = cw;
    mp.ch = ch;
    mp.ow = ow;
    mp.oh = oh;
    mp.offx = offx;
    mp.offy = offy;
    if (map) *map = mp;
    return DP_OK;
}

void dp_input_map_pullback(const dp_input_map *map, const float grad[784], float *canvas_grad) {
    if (!map || !grad || !canvas_grad || map->canvas_w <= 0 || map->canvas_h <= 0) return;
    memset(canvas_grad, 0, (size_t)map->canvas_w * map->canvas_h * sizeof *canvas_grad);
    if (map->ow < 1 || map->oh < 1 || map->ow > SIDE || map->oh > SIDE) return;
    /* The transpose of area_resample: each box pixel's gradient goes back to
     * the cells under its footprint, weighted by overlap / footprint area. */
    double sx = (double)map->cw / map->ow, sy = (double)map->ch / map->oh;
    float norm = (float)(1.0 / (sx * sy));
    span xs[SIDE];
    for (int ox = 0; ox < map->ow; ox++)
        xs[ox] = make_span(ox * sx, ox + 1 == map->ow ? map->cw : (ox + 1) * sx, map->cw);
    for (int oy = 0; oy < map->oh; oy++) {
        span ys = make_span(oy * sy, oy + 1 == map->oh ? map->ch : (oy + 1) * sy, map->ch);
        for (int ox = 0; ox < map->ow; ox++) {
            float g = grad[(map->offy + oy) * SIDE + map->offx + ox] * norm;
            if (g == 0.0f) continue;
            const span *s = &xs[ox];
            for (int iy = ys.first; iy <= ys.last; iy++) {
                float wy = iy == ys.first ? ys.w_first : (iy == ys.last ? ys.w_last : 1.0f);
                float *row = canvas_grad + (size_t)(map->y0 + iy) * map->canvas_w + map->x0;
                for (int ix = s->first; ix <= s->last; ix++) {
                    float wx = ix == s->first ? s->w_first : (ix == s->last ? s->w_last : 1.0f);
                    row[ix] += g * wy * wx;
                }
            }
        }
    }
}
