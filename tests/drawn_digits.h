/* Digits drawn the way people draw them with a mouse on the 28x28 canvas,
 * as stroke data for tests (tests/test_drawn_digits.c and the window's
 * end-to-end test). Canvas coordinates are floats in [0,28), y down.
 *
 * A drawing = a shape (one to three polylines, each one mouse stroke from
 * press to release, in canvas coordinates, designed about 22 cells tall
 * around the canvas centre (14,14)) placed on the canvas:
 *
 *   x' = cx + scale * ((x - 14) - tan(slant) * (y - 14))
 *   y' = cy + scale * (y - 14)
 *
 * i.e. a shear (slant > 0 leans the top to the right), a uniform scale and
 * a move of the design centre to (cx, cy); then rendered with a brush of
 * the given radius (dp_brush_default() is 1.8). The shapes are
 * hand-authored in several styles per digit; the table below places each
 * in several sizes (full ~22 tall, medium ~13-15, small ~9-10 in every
 * corner), slants and brush widths. dpt_drawing_points() gives a stroke's
 * final canvas coordinates; dpt_drawing_render() draws the whole drawing
 * through dp_canvas_polyline, exactly as the window's brush does.
 * docs/drawn-digits.md describes the suite and its latest results. */
#ifndef DIGITPAD_TESTS_DRAWN_DIGITS_H
#define DIGITPAD_TESTS_DRAWN_DIGITS_H

#include <math.h>

#include "digitpad/canvas.h"

#define DPT_MAX_STROKES 3
#define DPT_MAX_POINTS 80 /* per stroke */

typedef struct dpt_stroke {
    int n;           /* points */
    const float *xy; /* n points, x and y interleaved */
} dpt_stroke;

typedef struct dpt_shape {
    int n_strokes;
    dpt_stroke strokes[DPT_MAX_STROKES];
} dpt_shape;

typedef struct dpt_drawing {
    int label;        /* the digit a person reads */
    const char *name; /* "shape/placement" */
    const dpt_shape *shape;
    float scale, slant_deg, cx, cy; /* placement, see above */
    float radius;                   /* brush radius in cells */
} dpt_drawing;

#define DPT_STROKE(a)                                                                              \
    { (int)(sizeof(a) / sizeof(a[0]) / 2), a }

/* ---- Shapes: design coordinates, ~22 cells tall around (14,14). ---- */

static const float zero_oval_0[] = {
    14.0f, 3.5f,  12.6f, 3.7f,  11.3f, 4.4f,  10.1f, 5.6f,  9.1f,  7.1f,  8.3f,  9.0f,  7.8f,
    11.0f, 7.5f,  13.2f, 7.6f,  15.5f, 7.9f,  17.6f, 8.5f,  19.7f, 9.4f,  21.4f, 10.5f, 22.8f,
    11.7f, 23.8f, 13.1f, 24.4f, 14.4f, 24.5f, 15.8f, 24.1f, 17.1f, 23.2f, 18.2f, 22.0f, 19.2f,
    20.3f, 19.9f, 18.4f, 20.3f, 16.3f, 20.5f, 14.1f, 20.4f, 11.8f, 19.9f, 9.7f,  19.2f, 7.8f,
    18.3f, 6.1f,  17.2f, 4.8f,  15.9f, 3.9f,  14.5f, 3.5f,  13.1f, 3.6f,  11.8f, 4.1f};
static const dpt_shape zero_oval = {1, {DPT_STROKE(zero_oval_0)}};
static const float zero_egg_0[] = {
    16.1f, 4.6f,  17.3f, 5.6f,  18.3f, 6.9f,  19.1f, 8.6f,  19.7f, 10.6f, 20.1f, 12.7f, 21.5f,
    14.9f, 21.3f, 17.0f, 20.7f, 19.1f, 19.9f, 21.0f, 18.8f, 22.5f, 17.5f, 23.8f, 16.1f, 24.6f,
    14.5f, 25.0f, 13.0f, 24.9f, 11.4f, 24.4f, 10.0f, 23.4f, 8.8f,  22.1f, 7.8f,  20.4f, 7.0f,
    18.4f, 6.6f,  16.3f, 7.8f,  14.1f, 8.0f,  12.0f, 8.4f,  9.9f,  9.1f,  8.0f,  10.0f, 6.5f,
    11.1f, 5.2f,  12.3f, 4.4f,  13.6f, 4.0f,  14.9f, 4.1f,  16.1f, 4.6f,  17.3f, 5.6f};
static const dpt_shape zero_egg = {1, {DPT_STROKE(zero_egg_0)}};
static const float zero_round_0[] = {
    18.2f, 5.3f,  16.6f, 4.5f,  14.8f, 4.0f,  13.0f, 4.1f,  11.3f, 4.5f,  9.7f,  5.4f,
    8.2f,  6.7f,  7.0f,  8.3f,  6.2f,  10.1f, 5.6f,  12.1f, 5.5f,  14.2f, 5.7f,  16.3f,
    6.3f,  18.3f, 7.3f,  20.1f, 8.5f,  21.7f, 10.0f, 22.8f, 11.7f, 23.6f, 13.5f, 24.0f,
    15.3f, 23.9f, 17.0f, 23.4f, 18.6f, 22.4f, 20.0f, 21.1f, 21.1f, 19.4f, 22.0f, 17.5f,
    22.4f, 15.5f, 22.5f, 13.4f, 22.2f, 11.3f, 21.5f, 9.3f,  20.5f, 7.6f};
static const dpt_shape zero_round = {1, {DPT_STROKE(zero_round_0)}};
static const float one_stroke_0[] = {14.5f, 3.0f, 14.2f, 14.0f, 14.0f, 25.0f};
static const dpt_shape one_stroke = {1, {DPT_STROKE(one_stroke_0)}};
static const float one_flag_0[] = {10.0f, 7.5f,  12.2f, 5.3f,  14.5f,
                                   3.0f,  14.3f, 14.0f, 14.0f, 25.0f};
static const dpt_shape one_flag = {1, {DPT_STROKE(one_flag_0)}};
static const float one_flag_base_0[] = {10.0f, 7.5f,  12.2f, 5.3f,  14.5f,
                                        3.0f,  14.3f, 14.0f, 14.0f, 25.0f};
static const float one_flag_base_1[] = {9.5f, 25.0f, 18.5f, 25.0f};
static const dpt_shape one_flag_base = {2,
                                        {DPT_STROKE(one_flag_base_0), DPT_STROKE(one_flag_base_1)}};
static const float two_plain_0[] = {
    7.7f,  7.9f,  8.2f,  6.7f,  9.0f,  5.6f,  10.0f, 4.7f,  11.3f, 4.1f,  12.6f, 3.6f, 14.0f, 3.5f,
    15.4f, 3.6f,  16.7f, 4.1f,  18.0f, 4.7f,  19.0f, 5.6f,  19.8f, 6.7f,  20.3f, 7.9f, 20.5f, 9.2f,
    20.4f, 10.5f, 20.0f, 11.8f, 19.3f, 12.9f, 13.5f, 17.5f, 7.5f,  24.5f, 21.0f, 24.5f};
static const dpt_shape two_plain = {1, {DPT_STROKE(two_plain_0)}};
static const float two_loop_0[] = {
    7.7f,  7.9f,  8.2f,  6.7f,  9.0f,  5.6f,  10.0f, 4.7f,  11.3f, 4.1f,  12.6f, 3.6f,
    14.0f, 3.5f,  15.4f, 3.6f,  16.7f, 4.1f,  18.0f, 4.7f,  19.0f, 5.6f,  19.8f, 6.7f,
    20.3f, 7.9f,  20.5f, 9.2f,  20.4f, 10.5f, 20.0f, 11.8f, 19.3f, 12.9f, 12.0f, 18.5f,
    11.1f, 21.6f, 10.7f, 21.3f, 10.2f, 21.1f, 9.7f,  21.0f, 9.1f,  21.0f, 8.6f,  21.1f,
    8.1f,  21.2f, 7.6f,  21.5f, 7.3f,  21.8f, 7.0f,  22.1f, 6.8f,  22.5f, 6.7f,  22.9f,
    6.7f,  23.4f, 6.9f,  23.8f, 7.2f,  24.1f, 7.5f,  24.5f, 8.0f,  24.7f, 8.5f,  24.9f,
    9.0f,  25.0f, 9.5f,  25.0f, 10.1f, 24.9f, 10.6f, 24.7f, 11.0f, 24.5f, 11.4f, 24.2f,
    11.7f, 23.8f, 11.8f, 23.4f, 11.9f, 23.0f, 11.8f, 22.6f, 11.7f, 22.2f, 11.4f, 21.8f,
    11.0f, 21.5f, 10.6f, 21.3f, 10.1f, 21.1f, 9.5f,  21.0f, 21.0f, 24.5f};
static const dpt_shape two_loop = {1, {DPT_STROKE(two_loop_0)}};
static const float two_angular_0[] = {7.5f, 8.0f,  9.5f,  5.0f,  13.0f, 3.3f, 17.0f, 3.8f,  19.5f,
                                      6.5f, 19.3f, 10.0f, 16.0f, 14.5f, 7.0f, 25.0f, 21.0f, 25.0f};
static const dpt_shape two_angular = {1, {DPT_STROKE(two_angular_0)}};
static const float three_round_0[] = {
    7.9f,  6.6f,  8.4f,  5.6f,  9.2f,  4.6f,  10.2f, 3.9f,  11.4f, 3.3f,  12.7f, 3.1f,  13.9f,
    3.0f,  15.2f, 3.2f,  16.4f, 3.7f,  17.5f, 4.4f,  18.3f, 5.3f,  19.0f, 6.3f,  19.4f, 7.4f,
    19.5f, 8.6f,  19.3f, 9.8f,  18.9f, 10.9f, 18.2f, 11.9f, 17.3f, 12.7f, 16.2f, 13.4f, 15.0f,
    13.8f, 13.7f, 14.0f, 12.5f, 13.9f, 12.3f, 13.1f, 13.8f, 13.0f, 15.3f, 13.2f, 16.7f, 13.7f,
    18.0f, 14.4f, 19.0f, 15.3f, 19.8f, 16.4f, 20.3f, 17.6f, 20.5f, 18.9f, 20.4f, 20.2f, 19.9f,
    21.4f, 19.1f, 22.5f, 18.1f, 23.5f, 16.9f, 24.2f, 15.5f, 24.7f, 14.0f, 25.0f, 12.5f, 24.9f,
    11.1f, 24.6f, 9.7f,  24.0f, 8.5f,  23.2f, 7.6f,  22.2f, 6.9f,  21.1f};
static const dpt_shape three_round = {1, {DPT_STROKE(three_round_0)}};
static const float three_flat_0[] = {
    7.5f,  3.5f,  20.0f, 3.5f,  12.5f, 12.0f, 10.5f, 12.6f, 11.9f, 12.2f, 13.4f, 12.0f, 15.0f,
    12.1f, 16.4f, 12.6f, 17.8f, 13.3f, 18.9f, 14.2f, 19.8f, 15.3f, 20.4f, 16.6f, 20.7f, 18.0f,
    20.6f, 19.4f, 20.3f, 20.7f, 19.6f, 22.0f, 18.6f, 23.1f, 17.4f, 23.9f, 16.1f, 24.6f, 14.6f,
    24.9f, 13.0f, 25.0f, 11.5f, 24.8f, 10.1f, 24.2f, 8.8f,  23.4f, 7.8f,  22.4f, 7.0f,  21.2f};
static const dpt_shape three_flat = {1, {DPT_STROKE(three_flat_0)}};
static const float four_open_0[] = {10.5f, 3.0f, 9.2f, 9.0f, 8.0f, 16.0f, 21.0f, 16.0f};
static const float four_open_1[] = {17.5f, 8.0f, 17.5f, 16.0f, 17.5f, 25.0f};
static const dpt_shape four_open = {2, {DPT_STROKE(four_open_0), DPT_STROKE(four_open_1)}};
static const float four_closed_0[] = {17.0f, 3.0f, 12.0f, 10.0f, 7.0f, 17.0f, 21.5f, 17.0f};
static const float four_closed_1[] = {17.0f, 3.0f, 17.0f, 14.0f, 17.0f, 25.0f};
static const dpt_shape four_closed = {2, {DPT_STROKE(four_closed_0), DPT_STROKE(four_closed_1)}};
static const float four_slanted_0[] = {12.0f, 3.0f, 9.5f, 9.5f, 7.0f, 16.0f, 21.0f, 15.5f};
static const float four_slanted_1[] = {18.0f, 5.0f, 17.5f, 15.0f, 17.0f, 25.0f};
static const dpt_shape four_slanted = {2, {DPT_STROKE(four_slanted_0), DPT_STROKE(four_slanted_1)}};
static const float five_two_0[] = {9.0f,  3.5f,  8.5f,  8.0f,  8.0f,  12.5f, 8.5f,  13.0f, 9.7f,
                                   12.3f, 11.1f, 11.7f, 12.6f, 11.5f, 14.1f, 11.6f, 15.5f, 11.9f,
                                   16.8f, 12.6f, 18.0f, 13.4f, 18.9f, 14.5f, 19.6f, 15.7f, 19.9f,
                                   17.1f, 20.0f, 18.4f, 19.7f, 19.8f, 19.2f, 21.1f, 18.3f, 22.2f,
                                   17.3f, 23.2f, 16.0f, 23.9f, 14.6f, 24.3f, 13.1f, 24.5f, 11.6f,
                                   24.4f, 10.2f, 24.0f, 8.9f,  23.3f, 7.8f,  22.4f, 6.9f,  21.2f};
static const float five_two_1[] = {9.0f, 3.5f, 20.0f, 3.5f};
static const dpt_shape five_two = {2, {DPT_STROKE(five_two_0), DPT_STROKE(five_two_1)}};
static const float five_one_0[] = {
    20.0f, 3.5f,  9.0f,  3.5f,  8.5f,  8.0f,  8.0f,  12.5f, 8.5f,  13.0f, 9.7f,  12.3f,
    11.1f, 11.7f, 12.6f, 11.5f, 14.1f, 11.6f, 15.5f, 11.9f, 16.8f, 12.6f, 18.0f, 13.4f,
    18.9f, 14.5f, 19.6f, 15.7f, 19.9f, 17.1f, 20.0f, 18.4f, 19.7f, 19.8f, 19.2f, 21.1f,
    18.3f, 22.2f, 17.3f, 23.2f, 16.0f, 23.9f, 14.6f, 24.3f, 13.1f, 24.5f, 11.6f, 24.4f,
    10.2f, 24.0f, 8.9f,  23.3f, 7.8f,  22.4f, 6.9f,  21.2f};
static const dpt_shape five_one = {1, {DPT_STROKE(five_one_0)}};
static const float five_square_0[] = {8.5f,  3.5f,  8.0f,  11.5f, 12.0f, 10.5f, 16.0f,
                                      11.0f, 19.5f, 13.5f, 20.5f, 17.5f, 19.5f, 21.5f,
                                      16.5f, 24.5f, 12.0f, 25.2f, 7.5f,  23.5f};
static const float five_square_1[] = {8.5f, 3.5f, 19.5f, 3.0f};
static const dpt_shape five_square = {2, {DPT_STROKE(five_square_0), DPT_STROKE(five_square_1)}};
static const float six_curved_0[] = {
    18.0f, 3.5f,  14.5f, 5.0f,  11.5f, 7.5f,  9.5f,  10.5f, 8.2f,  14.0f, 7.7f,  17.5f,
    7.7f,  19.3f, 8.0f,  20.5f, 8.5f,  21.7f, 9.3f,  22.7f, 10.2f, 23.5f, 11.4f, 24.1f,
    12.6f, 24.5f, 13.9f, 24.6f, 15.2f, 24.4f, 16.4f, 24.0f, 17.5f, 23.3f, 18.4f, 22.4f,
    19.1f, 21.4f, 19.5f, 20.2f, 19.7f, 18.9f, 19.6f, 17.7f, 19.2f, 16.5f, 18.6f, 15.4f,
    17.7f, 14.5f, 16.6f, 13.7f, 15.4f, 13.2f, 14.2f, 13.0f, 12.9f, 13.1f, 11.6f, 13.4f,
    10.5f, 13.9f, 9.4f,  14.7f, 8.6f,  15.7f, 8.1f,  16.8f};
static const dpt_shape six_curved = {1, {DPT_STROKE(six_curved_0)}};
static const float six_straight_0[] = {
    16.5f, 3.0f,  12.5f, 9.0f,  9.5f,  14.0f, 8.0f,  18.5f, 7.9f,  20.4f, 8.3f,
    21.6f, 9.0f,  22.5f, 9.9f,  23.4f, 10.9f, 24.0f, 12.1f, 24.4f, 13.3f, 24.6f,
    14.5f, 24.5f, 15.7f, 24.2f, 16.8f, 23.6f, 17.7f, 22.9f, 18.4f, 21.9f, 19.0f,
    20.8f, 19.3f, 19.7f, 19.3f, 18.5f, 19.0f, 17.3f, 18.6f, 16.3f, 17.8f, 15.3f,
    16.9f, 14.5f, 15.9f, 13.9f, 14.7f, 13.5f, 13.5f, 13.4f, 12.3f, 13.5f, 11.1f,
    13.9f, 10.1f, 14.5f, 9.2f,  15.3f, 8.4f,  16.3f, 8.0f,  17.3f, 7.7f,  18.5f};
static const dpt_shape six_straight = {1, {DPT_STROKE(six_straight_0)}};
static const float seven_plain_0[] = {7.0f, 4.0f, 21.0f, 4.0f, 16.5f, 14.5f, 12.0f, 25.0f};
static const dpt_shape seven_plain = {1, {DPT_STROKE(seven_plain_0)}};
static const float seven_cross_0[] = {7.0f, 4.0f, 21.0f, 4.0f, 16.5f, 14.5f, 12.0f, 25.0f};
static const float seven_cross_1[] = {12.0f, 14.5f, 20.5f, 14.5f};
static const dpt_shape seven_cross = {2, {DPT_STROKE(seven_cross_0), DPT_STROKE(seven_cross_1)}};
static const float seven_hook_0[] = {7.5f,  7.5f, 7.2f,  4.0f,  14.0f, 3.8f,  20.5f, 3.5f,
                                     18.5f, 8.5f, 16.5f, 13.0f, 14.5f, 18.5f, 13.0f, 25.0f};
static const dpt_shape seven_hook = {1, {DPT_STROKE(seven_hook_0)}};
static const float eight_one_0[] = {
    18.6f, 4.2f,  17.9f, 3.7f,  17.0f, 3.4f,  15.9f, 3.1f,  14.7f, 3.0f,  13.5f, 3.0f,  12.4f,
    3.1f,  11.3f, 3.3f,  10.3f, 3.6f,  9.5f,  4.1f,  8.9f,  4.6f,  8.6f,  5.2f,  8.5f,  5.9f,
    8.7f,  6.7f,  9.1f,  7.5f,  9.7f,  8.4f,  10.6f, 9.4f,  11.6f, 10.3f, 12.7f, 11.4f, 13.9f,
    12.4f, 15.3f, 13.6f, 16.7f, 14.9f, 18.0f, 16.2f, 19.1f, 17.4f, 19.9f, 18.6f, 20.5f, 19.6f,
    20.8f, 20.6f, 20.7f, 21.5f, 20.4f, 22.3f, 19.7f, 23.0f, 18.8f, 23.6f, 17.7f, 24.0f, 16.3f,
    24.3f, 14.9f, 24.5f, 13.4f, 24.5f, 12.0f, 24.4f, 10.6f, 24.1f, 9.4f,  23.7f, 8.5f,  23.2f,
    7.7f,  22.5f, 7.3f,  21.7f, 7.2f,  20.9f, 7.4f,  19.9f, 7.9f,  18.8f, 8.7f,  17.7f, 9.8f,
    16.5f, 11.0f, 15.2f, 12.4f, 13.9f, 13.8f, 12.6f, 15.0f, 11.6f, 16.2f, 10.6f, 17.2f, 9.6f,
    18.1f, 8.6f,  18.8f, 7.7f,  19.3f, 6.8f,  19.5f, 6.1f,  19.4f, 5.3f,  19.2f, 4.7f,  18.6f,
    4.2f,  17.9f, 3.7f,  17.0f, 3.4f,  15.9f, 3.1f,  14.7f, 3.0f,  13.5f, 3.0f,  12.4f, 3.1f};
static const dpt_shape eight_one = {1, {DPT_STROKE(eight_one_0)}};
static const float eight_two_0[] = {
    16.5f, 3.7f,  15.5f, 3.2f,  14.5f, 3.0f,  13.4f, 3.0f,  12.3f, 3.3f,  11.4f, 3.7f,  10.5f,
    4.4f,  9.8f,  5.2f,  9.3f,  6.2f,  9.1f,  7.2f,  9.0f,  8.3f,  9.2f,  9.4f,  9.6f,  10.3f,
    10.2f, 11.2f, 11.0f, 12.0f, 11.9f, 12.5f, 12.9f, 12.9f, 14.0f, 13.0f, 15.0f, 12.9f, 16.1f,
    12.6f, 17.0f, 12.0f, 17.8f, 11.3f, 18.4f, 10.4f, 18.8f, 9.4f,  19.0f, 8.3f,  18.9f, 7.3f,
    18.7f, 6.2f,  18.2f, 5.3f,  17.5f, 4.4f,  16.7f, 3.8f,  15.7f, 3.3f};
static const float eight_two_1[] = {
    14.0f, 13.0f, 15.4f, 13.1f, 16.7f, 13.5f, 17.9f, 14.2f, 18.9f, 15.1f, 19.7f, 16.2f, 20.2f,
    17.3f, 20.5f, 18.6f, 20.4f, 19.9f, 20.1f, 21.2f, 19.4f, 22.3f, 18.5f, 23.3f, 17.4f, 24.1f,
    16.2f, 24.6f, 14.8f, 25.0f, 13.4f, 25.0f, 12.1f, 24.7f, 10.8f, 24.2f, 9.7f,  23.5f, 8.7f,
    22.5f, 8.0f,  21.4f, 7.6f,  20.1f, 7.5f,  18.9f, 7.7f,  17.6f, 8.2f,  16.4f, 8.9f,  15.3f,
    9.9f,  14.4f, 11.0f, 13.7f, 12.4f, 13.2f, 13.7f, 13.0f, 15.1f, 13.1f};
static const dpt_shape eight_two = {2, {DPT_STROKE(eight_two_0), DPT_STROKE(eight_two_1)}};
static const float nine_straight_0[] = {
    19.0f, 9.0f,  18.9f, 7.8f,  18.5f, 6.7f,  17.8f, 5.7f,  17.0f, 4.9f,  16.0f, 4.2f,
    14.8f, 3.8f,  13.6f, 3.5f,  12.3f, 3.5f,  11.1f, 3.8f,  9.9f,  4.3f,  8.9f,  5.0f,
    8.1f,  5.9f,  7.5f,  6.9f,  7.1f,  8.0f,  7.0f,  9.1f,  7.2f,  10.3f, 7.6f,  11.4f,
    8.3f,  12.4f, 9.1f,  13.2f, 10.2f, 13.9f, 11.3f, 14.3f, 12.6f, 14.5f, 13.9f, 14.4f,
    15.1f, 14.2f, 16.2f, 13.6f, 17.2f, 12.9f, 18.0f, 12.0f, 18.6f, 11.0f, 18.9f, 9.9f,
    19.0f, 8.7f,  18.8f, 7.6f,  19.0f, 9.5f,  18.7f, 17.0f, 18.3f, 25.0f};
static const dpt_shape nine_straight = {1, {DPT_STROKE(nine_straight_0)}};
static const float nine_curved_0[] = {
    19.0f, 9.0f,  18.9f, 7.8f,  18.5f, 6.7f,  17.8f, 5.7f,  17.0f, 4.9f,  16.0f, 4.2f,  14.8f,
    3.8f,  13.6f, 3.5f,  12.3f, 3.5f,  11.1f, 3.8f,  9.9f,  4.3f,  8.9f,  5.0f,  8.1f,  5.9f,
    7.5f,  6.9f,  7.1f,  8.0f,  7.0f,  9.1f,  7.2f,  10.3f, 7.6f,  11.4f, 8.3f,  12.4f, 9.1f,
    13.2f, 10.2f, 13.9f, 11.3f, 14.3f, 12.6f, 14.5f, 13.9f, 14.4f, 15.1f, 14.2f, 16.2f, 13.6f,
    17.2f, 12.9f, 18.0f, 12.0f, 18.6f, 11.0f, 18.9f, 9.9f,  19.0f, 8.7f,  18.8f, 7.6f,  19.0f,
    9.5f,  19.0f, 14.0f, 18.4f, 18.5f, 16.7f, 22.3f, 13.8f, 24.6f, 10.0f, 24.5f};
static const dpt_shape nine_curved = {1, {DPT_STROKE(nine_curved_0)}};
static const float nine_stick_0[] = {
    18.7f, 6.6f,  18.1f, 5.6f,  17.4f, 4.6f,  16.5f, 3.9f,  15.4f, 3.4f,  14.3f, 3.1f,  13.1f,
    3.0f,  12.0f, 3.2f,  10.9f, 3.7f,  9.9f,  4.3f,  9.1f,  5.2f,  8.5f,  6.2f,  8.1f,  7.4f,
    8.0f,  8.5f,  8.1f,  9.7f,  8.5f,  10.8f, 9.1f,  11.8f, 9.9f,  12.7f, 10.9f, 13.4f, 12.0f,
    13.8f, 13.2f, 14.0f, 14.4f, 13.9f, 15.5f, 13.6f, 16.5f, 13.1f, 17.5f, 12.3f, 18.2f, 11.4f,
    18.7f, 10.3f, 19.0f, 9.2f,  19.0f, 8.0f,  18.7f, 6.8f,  18.3f, 5.8f};
static const float nine_stick_1[] = {19.0f, 7.0f, 17.0f, 16.0f, 15.0f, 25.0f};
static const dpt_shape nine_stick = {2, {DPT_STROKE(nine_stick_0), DPT_STROKE(nine_stick_1)}};

/* ---- One-off styles, each placed twice below. ---- */
static const float zero_pointy_0[] = {15.0f, 3.0f,  12.0f, 4.5f,  9.5f,  8.0f,  8.0f,
                                      13.0f, 8.2f,  18.0f, 10.0f, 22.5f, 13.0f, 24.8f,
                                      16.2f, 24.0f, 18.6f, 20.5f, 19.8f, 15.5f, 19.5f,
                                      10.5f, 17.8f, 6.2f,  15.5f, 3.2f,  13.5f, 3.8f};
static const dpt_shape zero_pointy = {1, {DPT_STROKE(zero_pointy_0)}};
static const float zero_wide_0[] = {
    12.3f, 6.1f,  10.2f, 6.6f,  8.3f,  7.5f,  6.7f,  8.7f,  5.4f,  10.2f, 4.5f,  11.8f, 4.1f,
    13.6f, 4.1f,  15.4f, 4.5f,  17.2f, 5.4f,  18.9f, 6.7f,  20.3f, 8.4f,  21.5f, 10.3f, 22.4f,
    12.3f, 22.9f, 14.5f, 23.0f, 16.6f, 22.7f, 18.6f, 22.1f, 20.4f, 21.0f, 21.9f, 19.7f, 23.0f,
    18.2f, 23.7f, 16.5f, 24.0f, 14.6f, 23.8f, 12.8f, 23.2f, 11.1f, 22.1f, 9.5f,  20.6f, 8.2f,
    18.9f, 7.1f,  16.9f, 6.4f,  14.8f, 6.0f,  12.7f, 6.1f,  10.6f, 6.5f};
static const dpt_shape zero_wide = {1, {DPT_STROKE(zero_wide_0)}};
static const float one_long_flag_0[] = {8.5f, 10.5f, 11.0f, 7.5f,  13.5f, 5.0f,  15.5f,
                                        3.0f, 15.2f, 10.0f, 14.8f, 17.5f, 14.5f, 25.0f};
static const dpt_shape one_long_flag = {1, {DPT_STROKE(one_long_flag_0)}};
static const float one_slanted_0[] = {18.0f, 3.0f, 14.7f, 14.0f, 11.5f, 25.0f};
static const dpt_shape one_slanted = {1, {DPT_STROKE(one_slanted_0)}};
static const float two_wide_0[] = {
    6.0f,  8.1f,  6.8f,  7.1f,  8.0f,  6.1f,  9.4f,  5.4f,  11.0f, 4.9f,  12.8f, 4.6f, 14.6f, 4.5f,
    16.4f, 4.7f,  18.1f, 5.2f,  19.6f, 5.8f,  20.8f, 6.7f,  21.7f, 7.7f,  22.3f, 8.9f, 22.5f, 10.0f,
    22.3f, 11.2f, 21.7f, 12.3f, 15.0f, 16.0f, 9.0f,  21.0f, 5.5f,  24.0f, 22.5f, 24.0f};
static const dpt_shape two_wide = {1, {DPT_STROKE(two_wide_0)}};
static const float two_wavy_base_0[] = {
    7.6f,  8.0f,  8.0f,  6.9f,  8.6f,  5.8f,  9.5f,  4.9f,  10.6f, 4.2f,  11.8f, 3.7f,
    13.1f, 3.5f,  14.4f, 3.6f,  15.7f, 3.9f,  16.9f, 4.4f,  17.9f, 5.2f,  18.7f, 6.2f,
    19.2f, 7.3f,  19.5f, 8.5f,  19.5f, 9.7f,  19.1f, 10.9f, 16.0f, 14.5f, 12.0f, 19.0f,
    8.0f,  24.0f, 10.5f, 23.0f, 13.5f, 22.5f, 16.5f, 23.5f, 19.0f, 24.5f, 21.5f, 23.5f};
static const dpt_shape two_wavy_base = {1, {DPT_STROKE(two_wavy_base_0)}};
static const float three_pointy_0[] = {8.0f,  5.5f,  11.0f, 3.5f,  15.0f, 3.2f,  18.5f,
                                       5.0f,  19.0f, 8.0f,  16.5f, 11.0f, 12.0f, 13.5f,
                                       17.0f, 14.5f, 20.0f, 17.5f, 20.0f, 21.0f, 17.0f,
                                       24.0f, 13.0f, 25.0f, 9.0f,  24.0f, 7.0f,  22.0f};
static const dpt_shape three_pointy = {1, {DPT_STROKE(three_pointy_0)}};
static const float three_small_top_0[] = {
    9.8f,  5.6f,  10.2f, 4.9f,  10.8f, 4.2f,  11.6f, 3.6f,  12.4f, 3.3f,  13.4f, 3.0f,  14.3f,
    3.0f,  15.3f, 3.2f,  16.2f, 3.5f,  17.0f, 4.0f,  17.6f, 4.6f,  18.1f, 5.4f,  18.4f, 6.2f,
    18.5f, 7.1f,  18.4f, 7.9f,  18.1f, 8.7f,  17.5f, 9.5f,  16.9f, 10.1f, 16.1f, 10.6f, 15.1f,
    10.9f, 14.2f, 11.0f, 13.2f, 10.9f, 12.2f, 10.1f, 13.8f, 10.0f, 15.4f, 10.2f, 16.8f, 10.8f,
    18.2f, 11.6f, 19.3f, 12.8f, 20.2f, 14.1f, 20.7f, 15.6f, 21.0f, 17.1f, 20.9f, 18.7f, 20.5f,
    20.2f, 19.7f, 21.6f, 18.7f, 22.9f, 17.5f, 23.9f, 16.1f, 24.5f, 14.5f, 24.9f, 12.9f, 25.0f,
    11.4f, 24.7f, 9.9f,  24.1f, 8.6f,  23.2f, 7.5f,  22.0f, 6.7f,  20.7f};
static const dpt_shape three_small_top = {1, {DPT_STROKE(three_small_top_0)}};
static const float four_one_stroke_0[] = {17.0f, 25.0f, 17.0f, 14.0f, 17.0f, 3.0f,  12.0f,
                                          10.0f, 7.0f,  17.0f, 14.0f, 17.0f, 22.0f, 17.0f};
static const dpt_shape four_one_stroke = {1, {DPT_STROKE(four_one_stroke_0)}};
static const float four_short_bar_0[] = {10.0f, 3.0f,  8.5f,  10.0f, 7.5f,
                                         15.0f, 13.0f, 15.0f, 19.0f, 14.5f};
static const float four_short_bar_1[] = {15.5f, 5.0f, 15.5f, 15.0f, 15.5f, 25.0f};
static const dpt_shape four_short_bar = {
    2, {DPT_STROKE(four_short_bar_0), DPT_STROKE(four_short_bar_1)}};
static const float five_round_belly_0[] = {
    10.0f, 3.5f,  9.0f,  10.5f, 7.8f,  12.2f, 8.9f,  11.1f, 10.2f, 10.2f, 11.7f,
    9.7f,  13.3f, 9.5f,  14.9f, 9.6f,  16.4f, 10.1f, 17.8f, 10.8f, 19.0f, 11.9f,
    19.9f, 13.1f, 20.6f, 14.5f, 20.9f, 16.1f, 21.0f, 17.7f, 20.7f, 19.2f, 20.0f,
    20.7f, 19.1f, 21.9f, 18.0f, 23.0f, 16.6f, 23.8f, 15.1f, 24.3f, 13.6f, 24.5f,
    12.0f, 24.3f, 10.5f, 23.9f, 9.1f,  23.1f, 7.9f,  22.0f, 7.0f,  20.8f};
static const float five_round_belly_1[] = {10.0f, 3.5f, 18.0f, 3.5f};
static const dpt_shape five_round_belly = {
    2, {DPT_STROKE(five_round_belly_0), DPT_STROKE(five_round_belly_1)}};
static const float five_gap_0[] = {
    9.0f,  5.5f,  8.3f,  11.5f, 8.6f,  12.6f, 9.7f,  11.6f, 11.0f, 10.9f, 12.5f, 10.6f, 14.0f,
    10.5f, 15.4f, 10.8f, 16.8f, 11.3f, 18.0f, 12.2f, 19.0f, 13.2f, 19.8f, 14.5f, 20.3f, 15.9f,
    20.5f, 17.4f, 20.4f, 18.8f, 19.9f, 20.3f, 19.2f, 21.6f, 18.2f, 22.7f, 17.0f, 23.5f, 15.7f,
    24.2f, 14.2f, 24.5f, 12.7f, 24.5f, 11.3f, 24.1f, 9.9f,  23.5f, 8.7f,  22.6f, 7.8f,  21.5f};
static const float five_gap_1[] = {11.0f, 3.5f, 20.0f, 3.0f};
static const dpt_shape five_gap = {2, {DPT_STROKE(five_gap_0), DPT_STROKE(five_gap_1)}};
static const float six_small_loop_0[] = {
    17.5f, 3.0f,  14.0f, 6.0f,  11.5f, 10.0f, 10.0f, 14.0f, 9.3f,  18.0f, 9.0f,  20.8f,
    9.2f,  21.7f, 9.5f,  22.5f, 10.0f, 23.1f, 10.6f, 23.7f, 11.4f, 24.1f, 12.2f, 24.4f,
    13.0f, 24.5f, 13.8f, 24.4f, 14.6f, 24.1f, 15.4f, 23.7f, 16.0f, 23.1f, 16.5f, 22.5f,
    16.8f, 21.7f, 17.0f, 20.8f, 17.0f, 20.0f, 16.8f, 19.2f, 16.4f, 18.4f, 15.9f, 17.7f,
    15.3f, 17.2f, 14.5f, 16.8f, 13.7f, 16.6f, 12.9f, 16.5f, 12.0f, 16.6f, 11.2f, 16.9f,
    10.5f, 17.4f, 9.9f,  18.0f, 9.4f,  18.7f, 9.1f,  19.5f};
static const dpt_shape six_small_loop = {1, {DPT_STROKE(six_small_loop_0)}};
static const float six_round_0[] = {
    18.0f, 3.5f,  14.0f, 5.5f,  10.5f, 9.0f,  8.3f,  12.5f, 7.4f,  15.8f, 7.1f,  17.1f,
    7.0f,  18.5f, 7.3f,  19.8f, 7.8f,  21.1f, 8.7f,  22.2f, 9.7f,  23.2f, 11.0f, 23.9f,
    12.4f, 24.3f, 13.8f, 24.5f, 15.3f, 24.4f, 16.7f, 24.0f, 18.0f, 23.3f, 19.1f, 22.4f,
    20.0f, 21.4f, 20.6f, 20.1f, 20.9f, 18.8f, 21.0f, 17.4f, 20.7f, 16.1f, 20.1f, 14.8f,
    19.3f, 13.7f, 18.2f, 12.8f, 16.9f, 12.1f, 15.5f, 11.7f, 14.0f, 11.5f, 12.6f, 11.6f,
    11.2f, 12.1f, 9.9f,  12.7f, 8.8f,  13.6f, 7.9f,  14.8f};
static const dpt_shape six_round = {1, {DPT_STROKE(six_round_0)}};
static const float seven_curved_0[] = {7.5f,  5.0f,  12.0f, 4.2f,  17.0f, 4.0f,
                                       20.5f, 4.2f,  18.5f, 8.0f,  16.5f, 12.0f,
                                       15.0f, 16.0f, 14.0f, 20.5f, 13.7f, 25.0f};
static const dpt_shape seven_curved = {1, {DPT_STROKE(seven_curved_0)}};
static const float seven_euro_0[] = {7.5f, 7.5f,  7.5f,  4.0f,  14.0f, 4.0f,  21.0f,
                                     4.0f, 17.5f, 12.0f, 14.5f, 18.5f, 12.5f, 25.0f};
static const float seven_euro_1[] = {11.5f, 14.0f, 20.0f, 13.5f};
static const dpt_shape seven_euro = {2, {DPT_STROKE(seven_euro_0), DPT_STROKE(seven_euro_1)}};
static const float eight_open_0[] = {
    18.7f, 4.7f,  18.1f, 4.1f,  17.3f, 3.6f,  16.3f, 3.3f,  15.2f, 3.1f,  14.0f, 3.0f,  12.8f,
    3.1f,  11.7f, 3.3f,  10.7f, 3.6f,  9.9f,  4.0f,  9.4f,  4.6f,  9.1f,  5.3f,  9.0f,  6.1f,
    9.3f,  7.0f,  9.8f,  7.9f,  10.6f, 9.0f,  11.5f, 10.0f, 12.6f, 11.2f, 13.8f, 12.3f, 15.2f,
    13.7f, 16.7f, 15.1f, 18.0f, 16.4f, 19.1f, 17.8f, 19.9f, 19.0f, 20.4f, 20.2f, 20.5f, 21.2f,
    20.2f, 22.1f, 19.6f, 22.9f, 18.7f, 23.6f, 17.5f, 24.0f, 16.1f, 24.3f, 14.5f, 24.5f, 13.0f,
    24.5f, 11.5f, 24.3f, 10.2f, 23.9f, 9.0f,  23.4f, 8.2f,  22.7f, 7.7f,  21.9f, 7.5f,  20.9f,
    7.7f,  19.8f, 8.3f,  18.7f, 9.2f,  17.4f, 10.3f, 16.0f, 11.7f, 14.7f, 13.2f, 13.2f, 14.6f,
    11.9f, 15.7f, 10.8f, 16.8f, 9.7f,  17.7f, 8.7f,  18.4f, 7.7f,  18.8f, 6.7f,  19.0f, 5.9f,
    18.9f, 5.1f,  18.5f, 4.4f,  17.8f, 3.9f,  17.0f, 3.5f,  15.9f, 3.2f};
static const dpt_shape eight_open = {1, {DPT_STROKE(eight_open_0)}};
static const float eight_snowman_0[] = {
    16.6f, 4.3f,  15.9f, 3.8f,  15.1f, 3.5f,  14.2f, 3.3f,  13.4f, 3.3f,  12.6f, 3.6f,  11.8f,
    4.0f,  11.2f, 4.5f,  10.6f, 5.2f,  10.3f, 6.0f,  10.0f, 6.9f,  10.0f, 7.8f,  10.2f, 8.7f,
    10.5f, 9.5f,  11.0f, 10.2f, 11.6f, 10.8f, 12.3f, 11.3f, 13.1f, 11.6f, 13.9f, 11.7f, 14.8f,
    11.6f, 15.6f, 11.4f, 16.3f, 10.9f, 17.0f, 10.3f, 17.5f, 9.6f,  17.8f, 8.8f,  18.0f, 7.9f,
    18.0f, 7.0f,  17.8f, 6.2f,  17.4f, 5.4f,  16.9f, 4.6f,  16.3f, 4.1f};
static const float eight_snowman_1[] = {
    14.0f, 11.0f, 15.5f, 11.2f, 16.9f, 11.6f, 18.2f, 12.4f, 19.3f, 13.4f, 20.1f, 14.6f, 20.7f,
    16.0f, 21.0f, 17.4f, 20.9f, 18.9f, 20.6f, 20.3f, 20.0f, 21.7f, 19.0f, 22.8f, 17.9f, 23.8f,
    16.6f, 24.5f, 15.2f, 24.9f, 13.7f, 25.0f, 12.2f, 24.8f, 10.8f, 24.2f, 9.6f,  23.4f, 8.5f,
    22.4f, 7.7f,  21.1f, 7.2f,  19.8f, 7.0f,  18.3f, 7.1f,  16.8f, 7.5f,  15.4f, 8.2f,  14.1f,
    9.2f,  12.9f, 10.3f, 12.0f, 11.7f, 11.4f, 13.1f, 11.1f, 14.6f, 11.0f};
static const dpt_shape eight_snowman = {2,
                                        {DPT_STROKE(eight_snowman_0), DPT_STROKE(eight_snowman_1)}};
static const float nine_small_loop_0[] = {
    18.5f, 7.5f,  18.4f, 6.6f,  18.1f, 5.7f,  17.6f, 4.9f,  16.9f, 4.2f,  16.1f, 3.7f,
    15.2f, 3.4f,  14.3f, 3.2f,  13.3f, 3.2f,  12.4f, 3.5f,  11.5f, 3.9f,  10.8f, 4.5f,
    10.2f, 5.2f,  9.8f,  6.1f,  9.5f,  7.0f,  9.5f,  7.9f,  9.7f,  8.8f,  10.1f, 9.6f,
    10.7f, 10.4f, 11.4f, 11.0f, 12.2f, 11.4f, 13.1f, 11.7f, 14.1f, 11.8f, 15.1f, 11.7f,
    16.0f, 11.4f, 16.8f, 10.9f, 17.5f, 10.2f, 18.0f, 9.5f,  18.4f, 8.6f,  18.5f, 7.7f,
    18.4f, 6.8f,  18.5f, 8.0f,  18.0f, 16.0f, 17.2f, 25.0f};
static const dpt_shape nine_small_loop = {1, {DPT_STROKE(nine_small_loop_0)}};
static const float nine_round_tail_0[] = {
    19.9f, 8.4f,  19.5f, 7.0f,  18.9f, 5.8f,  18.0f, 4.8f,  16.9f, 3.9f,  15.6f, 3.4f,  14.3f,
    3.0f,  12.9f, 3.0f,  11.6f, 3.3f,  10.3f, 3.8f,  9.2f,  4.6f,  8.3f,  5.7f,  7.6f,  6.9f,
    7.1f,  8.2f,  7.0f,  9.5f,  7.2f,  10.9f, 7.6f,  12.2f, 8.3f,  13.4f, 9.2f,  14.4f, 10.4f,
    15.2f, 11.6f, 15.7f, 13.0f, 16.0f, 14.4f, 15.9f, 15.7f, 15.6f, 16.9f, 15.0f, 18.0f, 14.2f,
    18.9f, 13.1f, 19.5f, 11.9f, 19.9f, 10.6f, 20.0f, 9.2f,  19.8f, 7.8f,  20.0f, 9.5f,  19.8f,
    15.0f, 19.0f, 19.5f, 18.9f, 20.2f, 18.7f, 20.9f, 18.3f, 21.6f, 17.8f, 22.1f, 17.2f, 22.6f,
    16.5f, 22.9f, 15.8f, 23.0f, 15.0f, 23.0f, 14.3f, 22.8f};
static const dpt_shape nine_round_tail = {1, {DPT_STROKE(nine_round_tail_0)}};

/* ---- Placements: "name", scale, slant (degrees), centre x, y, brush radius. ---- */

#define DPT_FULL "full", 1.00f, 0.0f, 14.0f, 14.0f, 1.8f
#define DPT_FULL_SLANT "full-slant", 0.95f, 15.0f, 14.0f, 14.0f, 1.8f
#define DPT_FULL_BACK_THICK "full-backslant-thick", 0.90f, -15.0f, 14.0f, 14.0f, 2.5f
#define DPT_MEDIUM_UL_SLANT "medium-upleft-slant", 0.65f, 18.0f, 11.0f, 11.0f, 1.8f
#define DPT_MEDIUM_LR_THICK "medium-lowright-thick", 0.60f, 0.0f, 18.0f, 17.0f, 2.5f
#define DPT_SMALL_TL "small-topleft", 0.42f, 0.0f, 7.0f, 7.0f, 1.8f
#define DPT_SMALL_TR_SLANT "small-topright-slant", 0.42f, 15.0f, 21.0f, 7.0f, 1.8f
#define DPT_SMALL_BL_THIN "small-bottomleft-thin", 0.40f, -10.0f, 7.0f, 21.0f, 1.3f
#define DPT_SMALL_BR "small-bottomright", 0.45f, 0.0f, 21.0f, 21.0f, 1.8f
#define DPT_LARGE_THIN "large-thin", 0.85f, 8.0f, 14.0f, 14.0f, 1.2f
/* Used by the one-off styles. */
#define DPT_TINY_THIN "tiny-thin", 0.36f, 0.0f, 14.0f, 14.0f, 1.3f
#define DPT_MEDIUM "medium", 0.70f, -8.0f, 15.0f, 13.0f, 1.8f
#define DPT_SMALL_TOP_THICK "small-top-thick", 0.45f, 5.0f, 14.0f, 7.5f, 2.2f
#define DPT_LARGE_SLANT20 "large-slant20", 0.90f, 20.0f, 14.0f, 14.0f, 1.8f
#define DPT_SMALL_LEFT_BACKSLANT "small-left-backslant", 0.45f, -18.0f, 7.5f, 14.0f, 1.8f

#define DPT_DRAW_(label, shape, place, s, sl, x, y, r)                                             \
    { label, #shape "/" place, &shape, s, sl, x, y, r }
#define DPT_DRAW(label, shape, placement) DPT_DRAW_(label, shape, placement)
/* Ten placements of a digit's three styles a, b, c. */
#define DPT_DIGIT(label, a, b, c)                                                                  \
    DPT_DRAW(label, a, DPT_FULL), DPT_DRAW(label, b, DPT_FULL_SLANT),                              \
        DPT_DRAW(label, c, DPT_FULL_BACK_THICK), DPT_DRAW(label, a, DPT_MEDIUM_UL_SLANT),          \
        DPT_DRAW(label, b, DPT_MEDIUM_LR_THICK), DPT_DRAW(label, c, DPT_SMALL_TL),                 \
        DPT_DRAW(label, a, DPT_SMALL_TR_SLANT), DPT_DRAW(label, b, DPT_SMALL_BL_THIN),             \
        DPT_DRAW(label, c, DPT_SMALL_BR), DPT_DRAW(label, a, DPT_LARGE_THIN)

static const dpt_drawing dpt_drawings[] = {
    DPT_DIGIT(0, zero_oval, zero_egg, zero_round),
    DPT_DIGIT(1, one_stroke, one_flag, one_flag_base),
    DPT_DIGIT(2, two_plain, two_loop, two_angular),
    DPT_DIGIT(3, three_round, three_flat, three_round),
    DPT_DIGIT(4, four_open, four_closed, four_slanted),
    DPT_DIGIT(5, five_two, five_one, five_square),
    DPT_DIGIT(6, six_curved, six_straight, six_curved),
    DPT_DIGIT(7, seven_plain, seven_cross, seven_hook),
    DPT_DIGIT(8, eight_one, eight_two, eight_one),
    DPT_DIGIT(9, nine_straight, nine_curved, nine_stick),
    DPT_DRAW(0, zero_pointy, DPT_LARGE_SLANT20),
    DPT_DRAW(0, zero_pointy, DPT_TINY_THIN),
    DPT_DRAW(0, zero_wide, DPT_MEDIUM),
    DPT_DRAW(0, zero_wide, DPT_SMALL_TOP_THICK),
    DPT_DRAW(1, one_long_flag, DPT_FULL),
    DPT_DRAW(1, one_long_flag, DPT_SMALL_LEFT_BACKSLANT),
    DPT_DRAW(1, one_slanted, DPT_FULL),
    DPT_DRAW(1, one_slanted, DPT_TINY_THIN),
    DPT_DRAW(2, two_wide, DPT_MEDIUM),
    DPT_DRAW(2, two_wide, DPT_TINY_THIN),
    DPT_DRAW(2, two_wavy_base, DPT_LARGE_SLANT20),
    DPT_DRAW(2, two_wavy_base, DPT_SMALL_TOP_THICK),
    DPT_DRAW(3, three_pointy, DPT_MEDIUM),
    DPT_DRAW(3, three_pointy, DPT_SMALL_LEFT_BACKSLANT),
    DPT_DRAW(3, three_small_top, DPT_LARGE_SLANT20),
    DPT_DRAW(3, three_small_top, DPT_TINY_THIN),
    DPT_DRAW(4, four_one_stroke, DPT_FULL),
    DPT_DRAW(4, four_one_stroke, DPT_SMALL_TOP_THICK),
    DPT_DRAW(4, four_short_bar, DPT_LARGE_SLANT20),
    DPT_DRAW(4, four_short_bar, DPT_TINY_THIN),
    DPT_DRAW(5, five_round_belly, DPT_MEDIUM),
    DPT_DRAW(5, five_round_belly, DPT_TINY_THIN),
    DPT_DRAW(5, five_gap, DPT_FULL),
    DPT_DRAW(5, five_gap, DPT_SMALL_LEFT_BACKSLANT),
    DPT_DRAW(6, six_small_loop, DPT_LARGE_SLANT20),
    DPT_DRAW(6, six_small_loop, DPT_SMALL_TOP_THICK),
    DPT_DRAW(6, six_round, DPT_MEDIUM),
    DPT_DRAW(6, six_round, DPT_TINY_THIN),
    DPT_DRAW(7, seven_curved, DPT_FULL),
    DPT_DRAW(7, seven_curved, DPT_TINY_THIN),
    DPT_DRAW(7, seven_euro, DPT_LARGE_SLANT20),
    DPT_DRAW(7, seven_euro, DPT_SMALL_LEFT_BACKSLANT),
    DPT_DRAW(8, eight_open, DPT_MEDIUM),
    DPT_DRAW(8, eight_open, DPT_SMALL_LEFT_BACKSLANT),
    DPT_DRAW(8, eight_snowman, DPT_FULL),
    DPT_DRAW(8, eight_snowman, DPT_MEDIUM),
    DPT_DRAW(9, nine_small_loop, DPT_LARGE_SLANT20),
    DPT_DRAW(9, nine_small_loop, DPT_TINY_THIN),
    DPT_DRAW(9, nine_round_tail, DPT_MEDIUM),
    DPT_DRAW(9, nine_round_tail, DPT_SMALL_TOP_THICK),
};

#define DPT_N_DRAWINGS ((int)(sizeof dpt_drawings / sizeof dpt_drawings[0]))

/* Stroke k of drawing d in canvas coordinates: writes n points to xy
 * (room for DPT_MAX_POINTS) and returns n, or 0 if there is no stroke k. */
static inline int dpt_drawing_points(const dpt_drawing *d, int k, float xy[2 * DPT_MAX_POINTS]) {
    if (k < 0 || k >= d->shape->n_strokes) return 0;
    const dpt_stroke *s = &d->shape->strokes[k];
    int n = s->n < DPT_MAX_POINTS ? s->n : DPT_MAX_POINTS;
    float shear = tanf(d->slant_deg * 3.14159265f / 180.0f);
    for (int i = 0; i < n; i++) {
        float x = s->xy[2 * i] - 14.0f, y = s->xy[2 * i + 1] - 14.0f;
        xy[2 * i] = d->cx + d->scale * (x - shear * y);
        xy[2 * i + 1] = d->cy + d->scale * y;
    }
    return n;
}

/* Clear c and draw d on it, one dp_canvas_polyline per stroke. */
static inline void dpt_drawing_render(const dpt_drawing *d, dp_canvas *c) {
    dp_brush b = dp_brush_default();
    b.radius = d->radius;
    dp_canvas_clear(c);
    float xy[2 * DPT_MAX_POINTS];
    for (int k = 0; k < d->shape->n_strokes; k++) {
        int n = dpt_drawing_points(d, k, xy);
        dp_canvas_polyline(c, &b, xy, n, 0);
    }
}

#endif
