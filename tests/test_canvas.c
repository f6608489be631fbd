/* Canvas and brush: geometry of the capsule, compositing along a stroke,
 * erasing, dots, clipping and hostile coordinates. */
#include <math.h>
#include <stdlib.h>

#include "digitpad/canvas.h"
#include "testutil.h"

#define W 28
#define H 28

static float at(const dp_canvas *c, int x, int y) {
    return c->cells[y * c->w + x];
}

static int all_in_unit_range(const dp_canvas *c) {
    for (int i = 0; i < c->w * c->h; i++)
        if (!(c->cells[i] >= 0.0f && c->cells[i] <= 1.0f)) return 0;
    return 1;
}

static double max_abs_diff(const dp_canvas *a, const dp_canvas *b) {
    double m = 0.0;
    for (int i = 0; i < a->w * a->h; i++) m = fmax(m, fabs((double)a->cells[i] - b->cells[i]));
    return m;
}

static double total_ink(const dp_canvas *c) {
    double s = 0.0;
    for (int i = 0; i < c->w * c->h; i++) s += c->cells[i];
    return s;
}

static void test_create_args(void) {
    dp_canvas *c = (dp_canvas *)1;
    CHECK(dp_canvas_create(&c, 0, 5) == DP_ERR_ARG && c == NULL);
    CHECK(dp_canvas_create(&c, 5, -1) == DP_ERR_ARG);
    CHECK(dp_canvas_create(&c, DP_CANVAS_MAX_SIDE + 1, 5) == DP_ERR_RANGE);
    CHECK(dp_canvas_create(NULL, 5, 5) == DP_ERR_ARG);
    CHECK(dp_canvas_create(&c, 3, 2) == DP_OK && c && c->w == 3 && c->h == 2);
    CHECK(!dp_canvas_has_ink(c, 0.0f));
    dp_canvas_destroy(c);
    dp_canvas_destroy(NULL);
}

/* A vertical line through the centres of column 14 with r = 1.3: the
 * column itself is full, its neighbours (distance 1) get r + 0.5 - 1 = 0.8,
 * columns two away (distance 2 > 1.8) nothing; the end caps are round. */
static void test_vertical_stroke(void) {
    dp_canvas *c;
    dp_canvas_create(&c, W, H);
    dp_brush b = {1.3f, 1.0f};
    CHECK(dp_canvas_stroke(c, &b, 14.5f, 5.5f, 14.5f, 22.5f, 0) == 1);
    int ok_mid = 1;
    for (int y = 5; y <= 22; y++) {
        ok_mid &= fabsf(at(c, 14, y) - 1.0f) < 1e-6f;
        ok_mid &= fabsf(at(c, 13, y) - 0.8f) < 1e-5f && fabsf(at(c, 15, y) - 0.8f) < 1e-5f;
        for (int x = 0; x < W; x++)
            if (x < 13 || x > 15) ok_mid &= at(c, x, y) == 0.0f;
    }
    CHECKF(ok_mid, "column 14 full, 13/15 at 0.8, the rest empty");
    /* End caps: (14, 3) is 2 from the end point -> nothing; (14, 4) is 1
     * away -> 0.8; diagonal (13, 4) is sqrt(2) -> 0.386. */
    CHECK_NEAR(at(c, 14, 4), 0.8, 1e-5);
    CHECK_NEAR(at(c, 13, 4), 1.8 - sqrt(2.0), 1e-5);
    CHECK(at(c, 14, 3) == 0.0f && at(c, 14, 25) == 0.0f);
    CHECK_NEAR(at(c, 14, 23), 0.8, 1e-5);
    int far_empty = 1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (y < 3 || y > 24 || abs(x - 14) > 2) far_empty &= at(c, x, y) == 0.0f;
    CHECK(far_empty);
    CHECK(dp_canvas_has_ink(c, 0.5f) && !dp_canvas_has_ink(c, 1.0f));
    dp_canvas_clear(c);
    CHECK(total_ink(c) == 0.0);
    dp_canvas_destroy(c);
}

/* The same straight line as 1 or as 10 consecutive segments, with a
 * saturating and a half-strength brush: identical cells. */
static void test_segments_do_not_double(void) {
    float strengths[2] = {1.0f, 0.5f};
    for (int s = 0; s < 2; s++) {
        dp_canvas *one, *ten;
        dp_canvas_create(&one, W, H);
        dp_canvas_create(&ten, W, H);
        dp_brush b = {1.6f, strengths[s]};
        float x0 = 3.2f, y0 = 4.7f, x1 = 23.9f, y1 = 21.3f;
        dp_canvas_stroke(one, &b, x0, y0, x1, y1, 0);
        float px = x0, py = y0;
        for (int k = 1; k <= 10; k++) {
            float qx = x0 + (x1 - x0) * (float)k / 10.0f, qy = y0 + (y1 - y0) * (float)k / 10.0f;
            dp_canvas_stroke(ten, &b, px, py, qx, qy, 0);
            px = qx, py = qy;
        }
        CHECKF(max_abs_diff(one, ten) <= 1e-5, "strength %.1f: max diff %g", strengths[s],
               max_abs_diff(one, ten));
        CHECK_NEAR(at(one, 13, 12), strengths[s], 1e-6); /* on the line: strength, not more */
        CHECK(all_in_unit_range(ten));

        /* Going back over the end point in the same stroke adds nothing. */
        CHECK(dp_canvas_stroke(ten, &b, px, py, px, py, 0) == 0);
        dp_canvas_destroy(one);
        dp_canvas_destroy(ten);
    }
}

/* A curve sampled densely or sparsely along the same polyline is the same
 * stroke: the joints are not darker than the straight parts. */
static void test_polyline_joints(void) {
    dp_canvas *c;
    dp_canvas_create(&c, W, H);
    dp_brush b = {1.5f, 0.6f};
    float xy[2 * 13];
    for (int k = 0; k <= 12; k++) {
        double t = k * 3.14159265 / 12;
        xy[2 * k] = (float)(14 + 9 * cos(t));
        xy[2 * k + 1] = (float)(14 + 9 * sin(t));
    }
    CHECK(dp_canvas_polyline(c, &b, xy, 13, 0) == 1);
    float mx = 0.0f;
    for (int i = 0; i < W * H; i++) mx = fmaxf(mx, c->cells[i]);
    CHECK_NEAR(mx, 0.6, 1e-6);
    dp_canvas_destroy(c);
}

/* A new stroke over the same place darkens, up to 1. */
static void test_repeated_passes_darken(void) {
    dp_canvas *c;
    dp_canvas_create(&c, W, H);
    dp_brush b = {1.5f, 0.4f};
    float line[4] = {4.5f, 10.5f, 22.5f, 10.5f};
    dp_canvas_polyline(c, &b, line, 2, 0);
    CHECK_NEAR(at(c, 12, 10), 0.4, 1e-6);
    dp_canvas_polyline(c, &b, line, 2, 0);
    CHECK_NEAR(at(c, 12, 10), 0.8, 1e-6);
    CHECK(dp_canvas_polyline(c, &b, line, 2, 0) == 1);
    CHECK_NEAR(at(c, 12, 10), 1.0, 1e-6);
    CHECK(dp_canvas_polyline(c, &b, line, 2, 0) == 1); /* edge cells still darken */
    CHECK_NEAR(at(c, 12, 10), 1.0, 1e-6);
    /* Mouse-style: a press dot, then a segment from it, then pen up and the
     * same again at the same point: the second stroke darkens the dot. */
    dp_canvas_clear(c);
    dp_canvas_stroke(c, &b, 5.5f, 20.5f, 5.5f, 20.5f, 0);
    dp_canvas_stroke(c, &b, 5.5f, 20.5f, 9.5f, 20.5f, 0);
    CHECK_NEAR(at(c, 5, 20), 0.4, 1e-6);
    dp_canvas_pen_up(c);
    dp_canvas_stroke(c, &b, 9.5f, 20.5f, 9.5f, 20.5f, 0);
    CHECK_NEAR(at(c, 9, 20), 0.8, 1e-6);
    CHECK(all_in_unit_range(c));
    dp_canvas_destroy(c);
}

static void test_erase(void) {
    dp_canvas *c;
    dp_canvas_create(&c, W, H);
    dp_brush b = dp_brush_default();
    dp_canvas_stroke(c, &b, 4.0f, 6.0f, 24.0f, 20.0f, 0);
    dp_canvas_stroke(c, &b, 14.0f, 2.0f, 14.0f, 26.0f, 0);
    double before = total_ink(c);
    /* Erase the vertical stroke: only cells near it lose ink. */
    CHECK(dp_canvas_stroke(c, &b, 14.0f, 2.0f, 14.0f, 26.0f, 1) == 1);
    CHECK(at(c, 13, 2) == 0.0f && at(c, 14, 25) == 0.0f);
    CHECK(at(c, 6, 7) > 0.9f); /* far part of the diagonal is untouched */
    CHECK(total_ink(c) < before);
    /* Erasing the diagonal too leaves nothing at all. */
    dp_canvas_stroke(c, &b, 4.0f, 6.0f, 24.0f, 20.0f, 1);
    CHECKF(total_ink(c) == 0.0, "ink left %g", total_ink(c));
    CHECK(dp_canvas_stroke(c, &b, 4.0f, 6.0f, 24.0f, 20.0f, 1) == 0); /* nothing to erase */
    /* A half-strength eraser removes half. */
    dp_canvas_stroke(c, &b, 14.5f, 14.5f, 14.5f, 14.5f, 0);
    dp_brush half = {b.radius, 0.5f};
    dp_canvas_stroke(c, &half, 14.5f, 14.5f, 14.5f, 14.5f, 1);
    CHECK_NEAR(at(c, 14, 14), 0.5, 1e-6);
    CHECK(all_in_unit_range(c));
    dp_canvas_destroy(c);
}

/* A one-point polyline is a round dot, symmetric about its centre, with
 * about the area of the brush disc. */
static void test_dot(void) {
    dp_canvas *c;
    dp_canvas_create(&c, W, H);
    dp_brush b = {2.3f, 1.0f};
    float p[2] = {10.5f, 12.5f};
    CHECK(dp_canvas_polyline(c, &b, p, 1, 0) == 1);
    CHECK(at(c, 10, 12) == 1.0f);
    int sym = 1;
    for (int dy = -4; dy <= 4; dy++)
        for (int dx = -4; dx <= 4; dx++) {
            float v = at(c, 10 + dx, 12 + dy);
            sym &= v == at(c, 10 - dx, 12 - dy) && v == at(c, 10 + dy, 12 + dx) &&
                   v == at(c, 10 - dx, 12 + dy);
        }
    CHECK(sym);
    double area = 3.14159265 * b.radius * b.radius;
    CHECKF(fabs(total_ink(c) - area) < 0.1 * area, "ink %g vs disc area %g", total_ink(c), area);
    CHECK(at(c, 10, 12 - 3) == 0.0f && at(c, 10 + 3, 12) == 0.0f); /* 3 > r + 0.5 */
    CHECK(at(c, 10, 12 - 2) > 0.5f);
    /* Centred on a cell corner: symmetric about the corner. */
    dp_canvas_clear(c);
    float q[2] = {20.0f, 8.0f};
    dp_canvas_polyline(c, &b, q, 1, 0);
    int sym2 = 1;
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 4; j++)
            sym2 &= at(c, 20 + k, 8 + j) == at(c, 19 - k, 7 - j) &&
                    at(c, 20 + k, 8 + j) == at(c, 19 - k, 8 + j);
    CHECK(sym2 && at(c, 20, 8) == 1.0f);
    dp_canvas_destroy(c);
}

/* Outside, partly outside, degenerate and hostile coordinates. */
static void test_clipping(void) {
    dp_canvas *c;
    dp_canvas_create(&c, W, H);
    dp_brush b = dp_brush_default();
    CHECK(dp_canvas_stroke(c, &b, -50.0f, -50.0f, -10.0f, -3.0f, 0) == 0);
    CHECK(dp_canvas_stroke(c, &b, 40.0f, 5.0f, 90.0f, 50.0f, 0) == 0);
    CHECK(total_ink(c) == 0.0);
    /* Crossing the whole canvas: the row is lit from edge to edge. */
    CHECK(dp_canvas_stroke(c, &b, -10.0f, 14.5f, 40.0f, 14.5f, 0) == 1);
    int row = 1;
    for (int x = 0; x < W; x++) row &= at(c, x, 14) == 1.0f;
    CHECK(row);
    CHECK(at(c, 5, 10) == 0.0f);
    /* Corner dot: only the in-canvas quarter. */
    dp_canvas_clear(c);
    dp_canvas_stroke(c, &b, 0.0f, 0.0f, 0.0f, 0.0f, 0);
    CHECK(at(c, 0, 0) > 0.9f && at(c, 5, 5) == 0.0f);
    /* Huge and non-finite coordinates neither crash nor produce NaN. */
    dp_canvas_clear(c);
    dp_canvas_stroke(c, &b, -1e30f, -1e30f, 1e30f, 1e30f, 0);
    dp_canvas_stroke(c, &b, 3.0e38f, 14.0f, 14.0f, 14.0f, 0);
    dp_canvas_stroke(c, &b, -3.0e38f, -3.0e38f, 3.0e38f, -3.0e38f, 0);
    CHECK(all_in_unit_range(c));
    CHECK(at(c, 14, 14) == 1.0f); /* the second one ends in the middle */
    CHECK(dp_canvas_stroke(c, &b, NAN, 1.0f, 2.0f, 3.0f, 0) == 0);
    CHECK(dp_canvas_stroke(c, &b, 1.0f, 1.0f, INFINITY, 3.0f, 0) == 0);
    dp_brush bad = {NAN, 1.0f};
    CHECK(dp_canvas_stroke(c, &bad, 1.0f, 1.0f, 5.0f, 5.0f, 0) == 0);
    CHECK(dp_canvas_polyline(c, &b, NULL, 3, 0) == 0);
    CHECK(dp_canvas_stroke(NULL, &b, 1.0f, 1.0f, 5.0f, 5.0f, 0) == 0);
    CHECK(all_in_unit_range(c));
    dp_canvas_destroy(c);

    /* A 1x1 canvas and a wide, flat one. */
    dp_canvas_create(&c, 1, 1);
    CHECK(dp_canvas_stroke(c, NULL, 0.5f, 0.5f, 0.5f, 0.5f, 0) == 1 && c->cells[0] == 1.0f);
    dp_canvas_destroy(c);
    dp_canvas_create(&c, 300, 2);
    CHECK(dp_canvas_stroke(c, &b, 0.0f, 1.0f, 300.0f, 1.0f, 0) == 1);
    CHECK(at(c, 299, 1) == 1.0f && at(c, 0, 0) == 1.0f);
    dp_canvas_destroy(c);
}

/* Many random strokes, draws and erases mixed: always within [0,1]. */
static void test_random_strokes_stay_in_range(void) {
    dp_canvas *c;
    dp_canvas_create(&c, 40, 31);
    unsigned s = 12345;
    for (int i = 0; i < 2000; i++) {
        float v[6];
        for (int k = 0; k < 6; k++) {
            s = s * 1103515245u + 12345u;
            v[k] = (float)((s >> 8) & 0xffff) / 65535.0f;
        }
        dp_brush b = {v[4] * 4.0f, v[5] * 1.5f};
        dp_canvas_stroke(c, &b, v[0] * 50 - 5, v[1] * 40 - 5, v[2] * 50 - 5, v[3] * 40 - 5,
                         (i % 5) == 4);
    }
    CHECK(all_in_unit_range(c));
    CHECK(dp_canvas_has_ink(c, 0.5f));
    dp_canvas_destroy(c);
}

int main(void) {
    test_create_args();
    test_vertical_stroke();
    test_segments_do_not_double();
    test_polyline_joints();
    test_repeated_passes_darken();
    test_erase();
    test_dot();
    test_clipping();
    test_random_strokes_stay_in_range();
    return dpt_finish();
}
