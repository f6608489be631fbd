/* MNIST-style preprocessing: bounding box to 20 px, centre of mass to
 * (14,14), area-averaged scaling; plain area resampling; empty drawings;
 * clicks too small to be a digit; thinning of too-bold strokes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/canvas.h"
#include "digitpad/dataset.h"
#include "digitpad/preprocess.h"
#include "testutil.h"

/* Measured independently of the implementation. */
typedef struct shape {
    int x0, y0, x1, y1; /* bounding box of cells > DP_INK_THRESHOLD */
    double ink;         /* sum of all values */
    double cx, cy;      /* centre of mass, pixel index coordinates */
} shape;

static shape measure(const float *v, int w, int h) {
    shape s = {w, h, -1, -1, 0.0, 0.0, 0.0};
    double mx = 0.0, my = 0.0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double a = v[y * w + x];
            s.ink += a;
            mx += a * x;
            my += a * y;
            if (a > DP_INK_THRESHOLD) {
                s.x0 = x < s.x0 ? x : s.x0;
                s.x1 = x > s.x1 ? x : s.x1;
                s.y0 = y < s.y0 ? y : s.y0;
                s.y1 = y > s.y1 ? y : s.y1;
            }
        }
    if (s.ink > 0) s.cx = mx / s.ink, s.cy = my / s.ink;
    return s;
}

static int bw(shape s) {
    return s.x1 - s.x0 + 1;
}
static int bh(shape s) {
    return s.y1 - s.y0 + 1;
}

static int all_in_unit_range(const float *v, int n) {
    for (int i = 0; i < n; i++)
        if (!(v[i] >= 0.0f && v[i] <= 1.0f)) return 0;
    return 1;
}

static double mean_abs_diff(const float *a, const float *b, int n) {
    double d = 0.0;
    for (int i = 0; i < n; i++) d += fabs((double)a[i] - b[i]);
    return d / n;
}

/* Stroke width estimate of a 28x28 image, as preprocess.h defines it:
 * 2 * ink / sum |grad|, forward differences, zero outside the image. */
static double stroke_width(const float *v) {
    double ink = 0.0, tv = 0.0;
    for (int y = -1; y < 28; y++)
        for (int x = -1; x < 28; x++) {
            double a = x >= 0 && y >= 0 ? v[y * 28 + x] : 0.0;
            double r = x + 1 < 28 && y >= 0 ? v[y * 28 + x + 1] : 0.0;
            double d = y + 1 < 28 && x >= 0 ? v[(y + 1) * 28 + x] : 0.0;
            ink += a;
            tv += sqrt((r - a) * (r - a) + (d - a) * (d - a));
        }
    return tv > 0.0 ? 2.0 * ink / tv : 0.0;
}

/* A "7" with its corner at (x, y), `size` cells tall, on canvas c. */
static void draw_seven(dp_canvas *c, const dp_brush *b, float x, float y, float size) {
    float xy[6] = {x, y, x + 0.7f * size, y, x + 0.25f * size, y + size};
    dp_canvas_polyline(c, b, xy, 3, 0);
}

/* A "0": an ellipse of half-width rx and half-height ry around (cx, cy). */
static void draw_zero(dp_canvas *c, const dp_brush *b, float cx, float cy, float rx, float ry) {
    float xy[2 * 25];
    for (int i = 0; i <= 24; i++) {
        double t = 2.0 * 3.14159265358979 * i / 24;
        xy[2 * i] = cx + rx * (float)cos(t);
        xy[2 * i + 1] = cy + ry * (float)sin(t);
    }
    dp_canvas_polyline(c, b, xy, 25, 0);
}

static void check_centred(const float *out, const char *what) {
    shape s = measure(out, 28, 28);
    int longer = bw(s) > bh(s) ? bw(s) : bh(s);
    CHECKF(abs(longer - DP_DIGIT_BOX) <= 1, "%s: longer side %d", what, longer);
    CHECKF(fabs(s.cx - 14.0) <= 0.5 + 1e-9 && fabs(s.cy - 14.0) <= 0.5 + 1e-9,
           "%s: centre of mass (%.3f, %.3f)", what, s.cx, s.cy);
    CHECKF(all_in_unit_range(out, 784), "%s: values in [0,1]", what);
}

static void test_corner_digit_is_centred(void) {
    dp_canvas *c;
    dp_canvas_create(&c, 28, 28);
    dp_brush b = {1.0f, 1.0f};
    draw_seven(c, &b, 2.0f, 2.0f, 9.0f);
    float out[784];
    CHECK(dp_preprocess(c->cells, 28, 28, out) == DP_OK);
    check_centred(out, "small 7 in the top-left corner");
    /* The same digit anywhere else gives the same result. */
    dp_canvas_clear(c);
    draw_seven(c, &b, 16.0f, 15.0f, 9.0f);
    float out2[784];
    dp_preprocess(c->cells, 28, 28, out2);
    CHECKF(mean_abs_diff(out, out2, 784) < 1e-6, "position-independent: %g",
           mean_abs_diff(out, out2, 784));
    dp_canvas_destroy(c);
}

static void test_empty(void) {
    float in[784] = {0}, out[784];
    for (int i = 0; i < 784; i++) out[i] = 0.5f;
    CHECK(dp_preprocess(in, 28, 28, out) == DP_ERR_EMPTY);
    CHECK(measure(out, 28, 28).ink == 0.0);
    for (int i = 0; i < 784; i++) out[i] = 0.5f;
    CHECK(dp_preprocess_raw(in, 28, 28, out) == DP_ERR_EMPTY);
    CHECK(measure(out, 28, 28).ink == 0.0);
    in[300] = 1.0f; /* one cell: less than DP_MIN_INK */
    CHECK(dp_preprocess(in, 28, 28, out) == DP_ERR_EMPTY);
    for (int i = 0; i < 784; i++) in[i] = 0.04f; /* a faint haze, no cell over the threshold */
    CHECK(dp_preprocess(in, 28, 28, out) == DP_ERR_EMPTY);
    memset(in, 0, sizeof in);
    in[300] = in[301] = 1.0f; /* two cells: enough ink, but far too small for a digit */
    CHECK(dp_preprocess(in, 28, 28, out) == DP_ERR_EMPTY);
    /* A 10-cell line: big enough; its ink decides (DP_MIN_INK = 1.5). */
    memset(in, 0, sizeof in);
    for (int k = 0; k < 10; k++) in[(9 + k) * 28 + 14] = 0.1f; /* 1.0 cell of ink */
    CHECK(dp_preprocess(in, 28, 28, out) == DP_ERR_EMPTY);
    for (int k = 0; k < 10; k++) in[(9 + k) * 28 + 14] = 0.2f; /* 2.0 cells of ink */
    CHECK(dp_preprocess(in, 28, 28, out) == DP_OK);
    check_centred(out, "faint 10-cell line");
}

static int longer_side(const float *v, int w, int h) {
    shape s = measure(v, w, h);
    return bw(s) > bh(s) ? bw(s) : bh(s);
}

/* A click (one short dab, brush radius 1.8 or 3) is no digit, in either
 * mode, anywhere on the canvas; a 280x280 canvas scales the limit. */
static void test_click_is_no_digit(void) {
    const float radii[] = {1.0f, 1.8f, 3.0f}, where[][2] = {{14.0f, 14.0f}, {1.5f, 26.0f}};
    for (int side = 28; side <= 280; side += 252) {
        dp_canvas *c;
        if (dp_canvas_create(&c, side, side) != DP_OK) {
            CHECKF(0, "canvas %d", side);
            return;
        }
        float k = side / 28.0f;
        for (int r = 0; r < 3; r++)
            for (int p = 0; p < 2; p++) {
                dp_canvas_clear(c);
                dp_brush b = {radii[r] * k, 1.0f};
                float dab[4] = {where[p][0] * k, where[p][1] * k, (where[p][0] + 0.5f) * k,
                                where[p][1] * k};
                dp_canvas_polyline(c, &b, dab, 2, 0);
                shape s = measure(c->cells, side, side);
                float out[784];
                out[0] = 0.5f;
                dp_status st = dp_preprocess(c->cells, side, side, out);
                CHECKF(st == DP_ERR_EMPTY && measure(out, 28, 28).ink == 0.0,
                       "%dx%d: dab r=%.1f at (%.1f,%.1f), %.1f cells of ink, %d cells long: %s",
                       side, side, b.radius, dab[0], dab[1], s.ink,
                       longer_side(c->cells, side, side), dp_status_str(st));
                CHECK(dp_preprocess_raw(c->cells, side, side, out) == DP_ERR_EMPTY);
                /* More ink than DP_MIN_INK: only the box says it is no digit. */
                CHECKF(s.ink > DP_MIN_INK * k * k, "dab r=%.1f: %.1f cells", b.radius, s.ink);
            }
        dp_canvas_destroy(c);
    }
}

/* The limit itself: DP_MIN_DIGIT_SIDE cells on 28x28, the same fraction of
 * the longer side of other canvases; a small real digit passes. */
static void test_min_digit_side(void) {
    static float in[280 * 140];
    const int sizes[][2] = {{28, 28}, {280, 140}, {14, 56}};
    for (int k = 0; k < 3; k++) {
        int w = sizes[k][0], h = sizes[k][1], canvas_long = w > h ? w : h;
        int limit = (DP_MIN_DIGIT_SIDE * canvas_long + 27) / 28; /* ceil(8/28 of it) */
        for (int len = limit - 1; len <= limit; len++) {
            memset(in, 0, sizeof in);
            for (int y = 0; y < len; y++) in[(1 + y) * w + w / 2] = 1.0f;
            float out[784];
            dp_status st = dp_preprocess(in, w, h, out);
            CHECKF(st == (len < limit ? DP_ERR_EMPTY : DP_OK), "%dx%d, line of %d cells: %s", w, h,
                   len, dp_status_str(st));
        }
    }
    /* A "7" 10 cells tall (the smallest drawings of the drawn-digit suite). */
    dp_canvas *c;
    dp_canvas_create(&c, 28, 28);
    dp_brush b = dp_brush_default();
    draw_seven(c, &b, 3.0f, 15.0f, 6.0f);
    int n = longer_side(c->cells, 28, 28);
    float out[784];
    CHECKF(n == 10, "the small 7 is %d cells long", n);
    CHECK(dp_preprocess(c->cells, 28, 28, out) == DP_OK);
    shape s = measure(out, 28, 28);
    CHECKF(fabs(s.cx - 14.0) <= 0.5 + 1e-9 && fabs(s.cy - 14.0) <= 0.5 + 1e-9,
           "small 7: centre of mass (%.3f, %.3f)", s.cx, s.cy);
    dp_canvas_destroy(c);
}

/* Small drawings come out bolder than MNIST (a brush of fixed width, scaled
 * up): thinning brings the width estimate into MNIST's range, keeps most
 * of the ink and centres the thinned digit. */
static void test_small_bold_is_thinned(void) {
    dp_canvas *c;
    dp_canvas_create(&c, 28, 28);
    const float radii[] = {1.8f, 2.5f};
    for (int k = 0; k < 4; k++) {
        dp_brush b = dp_brush_default();
        b.radius = radii[k % 2];
        dp_canvas_clear(c);
        if (k < 2)
            draw_seven(c, &b, 2.0f, 2.0f, 9.0f);
        else
            draw_zero(c, &b, 21.0f, 20.0f, 3.5f, 4.5f);
        float plain[784], out[784];
        CHECK(dp_preprocess_ex(c->cells, 28, 28, DP_PRE_NO_THINNING, plain) == DP_OK);
        CHECK(dp_preprocess(c->cells, 28, 28, out) == DP_OK);
        double w0 = stroke_width(plain), w1 = stroke_width(out);
        shape p = measure(plain, 28, 28), s = measure(out, 28, 28);
        printf("small %s, brush %.1f, %d cells: width %.2f -> %.2f, ink %.0f -> %.0f\n",
               k < 2 ? "7" : "0", b.radius, longer_side(c->cells, 28, 28), w0, w1, p.ink, s.ink);
        CHECKF(w0 > DP_MAX_STROKE_WIDTH, "drawing %d: not bold to begin with (%.2f)", k, w0);
        CHECKF(w1 <= DP_MAX_STROKE_WIDTH && w1 < w0 - 1.0, "drawing %d: width %.2f -> %.2f", k, w0,
               w1);
        CHECKF(s.ink < p.ink && s.ink >= DP_THINNING_MIN_KEEP * p.ink, "drawing %d: ink %g -> %g",
               k, p.ink, s.ink);
        CHECKF(fabs(s.cx - 14.0) <= 0.5 + 1e-9 && fabs(s.cy - 14.0) <= 0.5 + 1e-9,
               "drawing %d: centre of mass (%.3f, %.3f)", k, s.cx, s.cy);
        CHECK(all_in_unit_range(out, 784));
    }
    dp_canvas_destroy(c);
}

/* Full-size drawings are as bold as MNIST already: the width rule must not
 * fire, so the result is exactly MNIST's recipe alone. */
static void test_full_size_untouched(void) {
    dp_canvas *c;
    dp_canvas_create(&c, 28, 28);
    dp_brush b = dp_brush_default();
    for (int k = 0; k < 3; k++) {
        dp_canvas_clear(c);
        if (k == 0) draw_seven(c, &b, 6.0f, 4.0f, 19.0f);
        if (k == 1) draw_zero(c, &b, 14.0f, 14.0f, 7.0f, 10.0f);
        if (k == 2) {
            const float one[] = {13.0f, 4.0f, 15.0f, 24.0f};
            dp_canvas_polyline(c, &b, one, 2, 0);
        }
        float plain[784], out[784];
        CHECK(dp_preprocess_ex(c->cells, 28, 28, DP_PRE_NO_THINNING, plain) == DP_OK);
        CHECK(dp_preprocess(c->cells, 28, 28, out) == DP_OK);
        double w = stroke_width(plain);
        CHECKF(w > 1.5 && w <= DP_MAX_STROKE_WIDTH, "full-size drawing %d: width %.2f", k, w);
        CHECKF(memcmp(plain, out, sizeof out) == 0, "full-size drawing %d was changed", k);
        check_centred(out, "full-size drawing");
    }
    dp_canvas_destroy(c);
}

/* Two 20 px bars 7 px wide with soft edges: width 6.5, one erosion leaves
 * 4.50 (still above the limit), but a second would keep only 39.5% of the
 * ink: thinning stops after one (the 20 px box becomes 18). */
static void test_thinning_keeps_ink(void) {
    float in[784] = {0}, plain[784], out[784];
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 20; x++) {
            float v = x < 7 || x >= 13 ? 1.0f : x == 7 || x == 12 ? 0.9f : 0.0f;
            in[(y + 4) * 28 + x + 4] = v;
        }
    CHECK(dp_preprocess_ex(in, 28, 28, DP_PRE_NO_THINNING, plain) == DP_OK);
    CHECK(dp_preprocess(in, 28, 28, out) == DP_OK);
    double w0 = stroke_width(plain), w1 = stroke_width(out);
    shape p = measure(plain, 28, 28), s = measure(out, 28, 28);
    CHECKF(w0 > DP_MAX_STROKE_WIDTH && w1 > DP_MAX_STROKE_WIDTH,
           "bars: width %.3f -> %.3f, want both above the limit", w0, w1);
    CHECKF(bw(s) == 18 && bh(s) == 18, "bars: %dx%d after thinning, want one erosion (18x18)",
           bw(s), bh(s));
    CHECKF(s.ink >= DP_THINNING_MIN_KEEP * p.ink, "bars: ink %g -> %g", p.ink, s.ink);
}

static void test_bad_args(void) {
    float in[16] = {0}, out[784];
    out[5] = 1.0f;
    CHECK(dp_preprocess(NULL, 4, 4, out) == DP_ERR_ARG && out[5] == 0.0f);
    CHECK(dp_preprocess(in, 0, 4, out) == DP_ERR_ARG);
    CHECK(dp_preprocess(in, 4, -2, out) == DP_ERR_ARG);
    CHECK(dp_preprocess(in, 4, 4, NULL) == DP_ERR_ARG);
    CHECK(dp_preprocess_ex(NULL, 4, 4, DP_PRE_NO_THINNING, out) == DP_ERR_ARG);
    CHECK(dp_preprocess_raw(NULL, 4, 4, out) == DP_ERR_ARG);
    CHECK(dp_preprocess_raw(in, 4, 0, out) == DP_ERR_ARG);
}

/* Tall thin "1" and flat "-": aspect ratio kept, ink scaled by the area. */
static void test_aspect_and_ink(void) {
    dp_canvas *c;
    dp_canvas_create(&c, 28, 28);
    dp_brush b = {1.0f, 1.0f};
    float lines[2][4] = {{14.5f, 3.0f, 15.5f, 25.0f}, {3.0f, 9.5f, 24.0f, 9.5f}};
    for (int k = 0; k < 2; k++) {
        dp_canvas_clear(c);
        dp_canvas_polyline(c, &b, lines[k], 2, 0);
        shape in = measure(c->cells, 28, 28);
        float out[784];
        CHECK(dp_preprocess(c->cells, 28, 28, out) == DP_OK);
        shape o = measure(out, 28, 28);
        int tall = bh(in) > bw(in);
        int in_long = tall ? bh(in) : bw(in), in_short = tall ? bw(in) : bh(in);
        int out_long = tall ? bh(o) : bw(o), out_short = tall ? bw(o) : bh(o);
        int want_short = (int)lround(20.0 * in_short / in_long);
        CHECKF(out_long == 20 && abs(out_short - want_short) <= 1,
               "line %d: %dx%d -> %dx%d, want short side %d", k, bw(in), bh(in), bw(o), bh(o),
               want_short);
        /* Area averaging keeps ink times the area scale factor. */
        double scale = (20.0 / in_long) * ((double)want_short / in_short);
        CHECKF(fabs(o.ink - in.ink * scale) < 0.03 * in.ink * scale, "line %d: ink %g -> %g (x%g)",
               k, in.ink, o.ink, scale);
        check_centred(out, tall ? "tall 1" : "flat line");
    }
    dp_canvas_destroy(c);
}

/* Heavy ink in one corner of the box: the centring offset is clamped and
 * nothing falls off the image. */
static void test_offset_clamped(void) {
    float in[784] = {0}, out[784];
    for (int y = 2; y < 8; y++)
        for (int x = 2; x < 8; x++) in[y * 28 + x] = 1.0f;
    for (int k = 0; k < 20; k++) in[(2 + k) * 28 + 2 + k] = 0.3f;
    CHECK(dp_preprocess(in, 28, 28, out) == DP_OK);
    shape s = measure(out, 28, 28), i = measure(in, 28, 28);
    /* The centre of mass is near the top-left, so the box moves right and
     * down as far as it can: offset 28 - 20 = 8, last column/row 27. */
    CHECKF(s.x0 == 8 && s.y0 == 8 && s.x1 == 27 && s.y1 == 27, "box (%d,%d)-(%d,%d)", s.x0, s.y0,
           s.x1, s.y1);
    double scale = 20.0 / bw(i) * 20.0 / bh(i);
    CHECK_NEAR(s.ink, i.ink * scale, 0.01 * i.ink * scale);
}

/* A 280x280 drawing gives what the same drawing on 28x28 gives. */
static void test_large_input(void) {
    dp_canvas *big, *small;
    dp_canvas_create(&big, 280, 280);
    dp_canvas_create(&small, 28, 28);
    dp_brush bb = {18.0f, 1.0f}, bs = {1.8f, 1.0f};
    draw_seven(big, &bb, 60.0f, 40.0f, 190.0f);
    draw_seven(small, &bs, 6.0f, 4.0f, 19.0f);
    float ob[784], os[784];
    CHECK(dp_preprocess(big->cells, 280, 280, ob) == DP_OK);
    CHECK(dp_preprocess(small->cells, 28, 28, os) == DP_OK);
    check_centred(ob, "280x280 seven");
    double d = mean_abs_diff(ob, os, 784);
    CHECKF(d < 0.03, "280x280 vs 28x28: mean abs diff %g", d);
    /* Raw resampling of 280x280 averages 10x10 blocks. */
    float raw[784];
    CHECK(dp_preprocess_raw(big->cells, 280, 280, raw) == DP_OK);
    double want = 0.0;
    for (int y = 150; y < 160; y++)
        for (int x = 100; x < 110; x++) want += big->cells[y * 280 + x];
    CHECK_NEAR(raw[15 * 28 + 10], want / 100.0, 1e-5);
    dp_canvas_destroy(big);
    dp_canvas_destroy(small);
}

/* Raw: identity on 28x28, block average on 56x56, block copy from 14x14. */
static void test_raw_resample(void) {
    float in[784], out[784];
    for (int i = 0; i < 784; i++) in[i] = (float)((i * 37) % 101) / 100.0f;
    CHECK(dp_preprocess_raw(in, 28, 28, out) == DP_OK);
    CHECK(memcmp(in, out, sizeof in) == 0);
    static float big[56 * 56];
    for (int y = 0; y < 56; y++)
        for (int x = 0; x < 56; x++) big[y * 56 + x] = in[(y / 2) * 28 + x / 2];
    CHECK(dp_preprocess_raw(big, 56, 56, out) == DP_OK);
    CHECKF(mean_abs_diff(in, out, 784) < 1e-6, "56->28: %g", mean_abs_diff(in, out, 784));
    float quarter[14 * 14];
    for (int i = 0; i < 196; i++) quarter[i] = (float)(i % 7) / 6.0f;
    CHECK(dp_preprocess_raw(quarter, 14, 14, out) == DP_OK);
    int blocks = 1;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++)
            blocks &= fabsf(out[y * 28 + x] - quarter[(y / 2) * 14 + x / 2]) < 1e-6f;
    CHECK(blocks);
    /* 3x7 (odd, non-square) keeps ink per area: mean value is preserved. */
    float odd[21];
    double mean = 0.0;
    for (int i = 0; i < 21; i++) mean += (odd[i] = (float)(i % 5) / 4.0f) / 21.0;
    CHECK(dp_preprocess_raw(odd, 3, 7, out) == DP_OK);
    CHECK_NEAR(measure(out, 28, 28).ink / 784.0, mean, 1e-5);
}

/* Out-of-range values are clamped, not propagated. */
static void test_hostile_values(void) {
    float in[784] = {0}, out[784];
    for (int i = 200; i < 260; i++) in[i] = (i % 4 == 0) ? NAN : (i % 4 == 1) ? INFINITY : 5.0f;
    in[400] = -3.0f;
    in[401] = -INFINITY;
    CHECK(dp_preprocess(in, 28, 28, out) == DP_OK);
    CHECK(all_in_unit_range(out, 784));
    CHECK(dp_preprocess_raw(in, 28, 28, out) == DP_OK);
    CHECK(all_in_unit_range(out, 784));
}

/* Real MNIST digits are already normalised this way: preprocessing them
 * changes (almost) nothing, while a 1-pixel shift would change a lot. The
 * width rule fires only above MNIST's 99th percentile of stroke width. */
static void test_mnist_is_fixed_point(void) {
    dp_dataset test;
    dp_error err;
    if (dp_mnist_load(dpt_mnist_dir(), NULL, &test, &err) != DP_OK) {
        CHECKF(0, "MNIST needed in %s (set DIGITPAD_DATA): %s", dpt_mnist_dir(), err.msg);
        return;
    }
    int n = test.count < 2000 ? (int)test.count : 2000, far = 0, far_recipe = 0, thinned = 0;
    double sum = 0.0, shift_sum = 0.0;
    for (int i = 0; i < n; i++) {
        float in[784], out[784], plain[784], shifted[784] = {0};
        for (int k = 0; k < 784; k++) in[k] = test.images[(size_t)i * 784 + k] / 255.0f;
        for (int k = 0; k < 784; k++)
            if (k % 28 < 27) shifted[k + 1] = in[k];
        if (dp_preprocess(in, 28, 28, out) != DP_OK ||
            dp_preprocess_ex(in, 28, 28, DP_PRE_NO_THINNING, plain) != DP_OK) {
            far++, far_recipe++;
            continue;
        }
        double d = mean_abs_diff(in, out, 784);
        sum += d;
        shift_sum += mean_abs_diff(in, shifted, 784);
        if (d > 0.01) far++;
        if (mean_abs_diff(in, plain, 784) > 0.01) far_recipe++;
        /* The rule fires exactly when the recipe's output is too bold. */
        int fired = memcmp(out, plain, sizeof out) != 0;
        double w = stroke_width(plain);
        thinned += fired;
        if (fabs(w - DP_MAX_STROKE_WIDTH) > 1e-6)
            CHECKF(fired == (w > DP_MAX_STROKE_WIDTH), "test digit %d: width %.3f, thinned %d", i,
                   w, fired);
    }
    printf("MNIST through dp_preprocess: mean abs diff %.5f (a 1-px shift: %.4f), %d of %d "
           "changed (%d by the recipe alone), %d thinned\n",
           sum / n, shift_sum / n, far, n, far_recipe, thinned);
    CHECKF(sum / n < 0.002, "mean abs diff %g", sum / n);
    CHECKF(far_recipe <= n / 500, "%d digits changed noticeably by the recipe", far_recipe);
    CHECKF(thinned <= n / 200, "%d of %d MNIST digits thinned", thinned, n);
    CHECKF(far <= n / 100, "%d digits changed noticeably", far);
    dp_dataset_free(&test);
}

int main(void) {
    test_corner_digit_is_centred();
    test_empty();
    test_click_is_no_digit();
    test_min_digit_side();
    test_small_bold_is_thinned();
    test_full_size_untouched();
    test_thinning_keeps_ink();
    test_bad_args();
    test_aspect_and_ink();
    test_offset_clamped();
    test_large_input();
    test_raw_resample();
    test_hostile_values();
    test_mnist_is_fixed_point();
    return dpt_finish();
}
