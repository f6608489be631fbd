/* Drawings that are not digits, as strokes (for the "not a digit" suite,
 * tests/test_not_digit.c): letters, symbols, shapes and scribbles, built
 * procedurally from lines and arcs in a unit design box (x right, y down),
 * then put into a dp_pen_set so they are placed and drawn exactly like the
 * pen digits (dp_pen_place_random, dp_pen_render: the window's brush).
 *
 * Left out on purpose, because people write them like digits: O/o (0),
 * I/l/| (1), Z/z (2), S/s (5), b and G (6), B (8), g/q (9), and the
 * 7-like T-less "J". Every kept shape was looked at on a contact sheet.
 * Scribbles are random smooth closed or open curves (seeded). */
#ifndef DIGITPAD_TESTS_NON_DIGITS_H
#define DIGITPAD_TESTS_NON_DIGITS_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/pen.h"
#include "digitpad/rng.h"

#define NDT_MAX_POINTS 20000
#define NDT_MAX_STROKES 2000
#define NDT_MAX_DRAWINGS 400
#define NDT_PI 3.14159265358979323846

typedef struct ndt_builder {
    dp_pen_set set;
    const char *names[NDT_MAX_DRAWINGS];
    int open; /* a stroke is being added to */
} ndt_builder;

static void ndt_init(ndt_builder *b) {
    memset(b, 0, sizeof *b);
    b->set.drawings = calloc(NDT_MAX_DRAWINGS, sizeof *b->set.drawings);
    b->set.stroke_start = calloc(NDT_MAX_STROKES + 1, sizeof *b->set.stroke_start);
    b->set.xy = calloc(2 * NDT_MAX_POINTS, sizeof *b->set.xy);
    b->set.writers = calloc(1, sizeof *b->set.writers);
    if (b->set.writers) strcpy(b->set.writers[0], "nondigit");
    b->set.n_writers = 1;
}

static int ndt_ok(const ndt_builder *b) {
    return b->set.drawings && b->set.stroke_start && b->set.xy && b->set.writers;
}

/* Start a drawing named `name` (label 0, unused). */
static void ndt_begin(ndt_builder *b, const char *name) {
    if (!ndt_ok(b) || b->set.count >= NDT_MAX_DRAWINGS) return;
    dp_pen_drawing *d = &b->set.drawings[b->set.count];
    memset(d, 0, sizeof *d);
    d->first_stroke = b->set.n_strokes;
    b->names[b->set.count] = name;
    b->open = 0;
}

static uint32_t ndt_points(const ndt_builder *b) {
    return b->set.stroke_start[b->set.n_strokes];
}

/* Add point (x,y) to the open stroke, or start a new stroke with it. */
static void ndt_point(ndt_builder *b, double x, double y, int new_stroke) {
    if (!ndt_ok(b) || b->set.count >= NDT_MAX_DRAWINGS) return;
    uint32_t n = ndt_points(b);
    if (n >= NDT_MAX_POINTS) return;
    dp_pen_drawing *d = &b->set.drawings[b->set.count];
    if (new_stroke || !b->open) {
        if (b->set.n_strokes >= NDT_MAX_STROKES || d->n_strokes >= DP_PEN_MAX_STROKES) return;
        b->set.n_strokes++;
        b->set.stroke_start[b->set.n_strokes] = n;
        d->n_strokes++;
        b->open = 1;
    }
    b->set.xy[2 * n] = (float)x;
    b->set.xy[2 * n + 1] = (float)y;
    b->set.stroke_start[b->set.n_strokes] = n + 1;
}

/* A new stroke: straight segments through the k points (x,y pairs). */
static void ndt_poly(ndt_builder *b, int k, const double *xy) {
    for (int i = 0; i < k; i++) ndt_point(b, xy[2 * i], xy[2 * i + 1], i == 0);
}

static void ndt_line(ndt_builder *b, double x0, double y0, double x1, double y1) {
    const double xy[] = {x0, y0, x1, y1};
    ndt_poly(b, 2, xy);
}

/* An elliptic arc from angle a0 to a1 (degrees, 0 = +x, 90 = down), a
 * point every 12 degrees; continues the open stroke if `cont`. */
static void ndt_arc(ndt_builder *b, double cx, double cy, double rx, double ry, double a0,
                    double a1, int cont) {
    int n = (int)ceil(fabs(a1 - a0) / 12.0);
    if (n < 2) n = 2;
    for (int i = 0; i <= n; i++) {
        double a = (a0 + (a1 - a0) * i / n) * NDT_PI / 180.0;
        ndt_point(b, cx + rx * cos(a), cy + ry * sin(a), i == 0 && !cont);
    }
}

/* Finish the drawing: normalise its points to the pen data's convention
 * (box [0,w] x [0,h], max(w,h) = 1) and compute the box. */
static void ndt_end(ndt_builder *b) {
    if (!ndt_ok(b) || b->set.count >= NDT_MAX_DRAWINGS) return;
    dp_pen_drawing *d = &b->set.drawings[b->set.count];
    if (d->n_strokes == 0) return;
    uint32_t p0 = b->set.stroke_start[d->first_stroke], p1 = ndt_points(b);
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (uint32_t i = p0; i < p1; i++) {
        x0 = fminf(x0, b->set.xy[2 * i]), x1 = fmaxf(x1, b->set.xy[2 * i]);
        y0 = fminf(y0, b->set.xy[2 * i + 1]), y1 = fmaxf(y1, b->set.xy[2 * i + 1]);
    }
    float s = fmaxf(x1 - x0, y1 - y0);
    if (!(s > 0.0f)) s = 1.0f;
    for (uint32_t i = p0; i < p1; i++) {
        b->set.xy[2 * i] = (b->set.xy[2 * i] - x0) / s;
        b->set.xy[2 * i + 1] = (b->set.xy[2 * i + 1] - y0) / s;
    }
    d->x0 = d->y0 = 0.0f;
    d->w = (x1 - x0) / s;
    d->h = (y1 - y0) / s;
    b->set.count++;
    b->open = 0;
}

/* ---- The shapes ---- */

static void ndt_letters(ndt_builder *b) {
    ndt_begin(b, "A");
    ndt_poly(b, 3, (const double[]){0.1, 1, 0.5, 0, 0.9, 1});
    ndt_line(b, 0.25, 0.62, 0.75, 0.62);
    ndt_end(b);
    ndt_begin(b, "C");
    ndt_arc(b, 0.5, 0.5, 0.45, 0.5, -45, -315, 0);
    ndt_end(b);
    ndt_begin(b, "E");
    ndt_poly(b, 4, (const double[]){0.8, 0, 0.1, 0, 0.1, 1, 0.8, 1});
    ndt_line(b, 0.1, 0.5, 0.65, 0.5);
    ndt_end(b);
    ndt_begin(b, "F");
    ndt_poly(b, 3, (const double[]){0.8, 0, 0.1, 0, 0.1, 1});
    ndt_line(b, 0.1, 0.5, 0.6, 0.5);
    ndt_end(b);
    ndt_begin(b, "H");
    ndt_line(b, 0.1, 0, 0.1, 1);
    ndt_line(b, 0.8, 0, 0.8, 1);
    ndt_line(b, 0.1, 0.5, 0.8, 0.5);
    ndt_end(b);
    ndt_begin(b, "K");
    ndt_line(b, 0.1, 0, 0.1, 1);
    ndt_poly(b, 3, (const double[]){0.8, 0, 0.1, 0.55, 0.8, 1});
    ndt_end(b);
    ndt_begin(b, "M");
    ndt_poly(b, 5, (const double[]){0, 1, 0.1, 0, 0.5, 0.7, 0.9, 0, 1, 1});
    ndt_end(b);
    ndt_begin(b, "N");
    ndt_poly(b, 4, (const double[]){0.1, 1, 0.1, 0, 0.8, 1, 0.8, 0});
    ndt_end(b);
    ndt_begin(b, "P");
    ndt_line(b, 0.1, 1, 0.1, 0);
    ndt_arc(b, 0.1, 0.27, 0.5, 0.27, -90, 90, 1);
    ndt_end(b);
    ndt_begin(b, "R");
    ndt_line(b, 0.1, 1, 0.1, 0);
    ndt_arc(b, 0.1, 0.27, 0.5, 0.27, -90, 90, 1);
    ndt_point(b, 0.7, 1, 0);
    ndt_end(b);
    ndt_begin(b, "T");
    ndt_line(b, 0, 0, 0.9, 0);
    ndt_line(b, 0.45, 0, 0.45, 1);
    ndt_end(b);
    ndt_begin(b, "U");
    ndt_line(b, 0.1, 0, 0.1, 0.6);
    ndt_arc(b, 0.45, 0.6, 0.35, 0.4, 180, 0, 1);
    ndt_point(b, 0.8, 0, 0);
    ndt_end(b);
    ndt_begin(b, "V");
    ndt_poly(b, 3, (const double[]){0, 0, 0.45, 1, 0.9, 0});
    ndt_end(b);
    ndt_begin(b, "W");
    ndt_poly(b, 5, (const double[]){0, 0, 0.25, 1, 0.5, 0.3, 0.75, 1, 1, 0});
    ndt_end(b);
    ndt_begin(b, "X");
    ndt_line(b, 0, 0, 0.9, 1);
    ndt_line(b, 0.9, 0, 0, 1);
    ndt_end(b);
    ndt_begin(b, "Y");
    ndt_poly(b, 3, (const double[]){0, 0, 0.45, 0.5, 0.9, 0});
    ndt_line(b, 0.45, 0.5, 0.45, 1);
    ndt_end(b);
    ndt_begin(b, "a");
    ndt_arc(b, 0.4, 0.6, 0.35, 0.38, -30, -390, 0);
    ndt_line(b, 0.75, 0.2, 0.8, 1);
    ndt_end(b);
    ndt_begin(b, "e");
    ndt_point(b, 0.1, 0.5, 1);
    ndt_point(b, 0.9, 0.5, 0);
    ndt_arc(b, 0.5, 0.5, 0.4, 0.5, 0, -320, 1);
    ndt_end(b);
    ndt_begin(b, "h");
    ndt_line(b, 0.1, 0, 0.1, 1);
    ndt_arc(b, 0.45, 0.55, 0.35, 0.25, 180, 360, 0);
    ndt_point(b, 0.8, 1, 0);
    ndt_end(b);
    ndt_begin(b, "m");
    ndt_line(b, 0.05, 0.3, 0.05, 1);
    ndt_arc(b, 0.275, 0.5, 0.225, 0.2, 180, 360, 0);
    ndt_point(b, 0.5, 1, 0);
    ndt_arc(b, 0.725, 0.5, 0.225, 0.2, 180, 360, 0);
    ndt_point(b, 0.95, 1, 0);
    ndt_end(b);
    ndt_begin(b, "n");
    ndt_line(b, 0.1, 0.2, 0.1, 1);
    ndt_arc(b, 0.45, 0.5, 0.35, 0.3, 180, 360, 0);
    ndt_point(b, 0.8, 1, 0);
    ndt_end(b);
    ndt_begin(b, "r");
    ndt_line(b, 0.1, 0.2, 0.1, 1);
    ndt_arc(b, 0.45, 0.55, 0.35, 0.35, 180, 290, 0);
    ndt_end(b);
    ndt_begin(b, "w");
    ndt_poly(b, 5, (const double[]){0, 0.3, 0.25, 1, 0.5, 0.45, 0.75, 1, 1, 0.3});
    ndt_end(b);
    ndt_begin(b, "k");
    ndt_line(b, 0.1, 0, 0.1, 1);
    ndt_poly(b, 3, (const double[]){0.7, 0.35, 0.1, 0.7, 0.7, 1});
    ndt_end(b);
}

static void ndt_symbols(ndt_builder *b) {
    ndt_begin(b, "plus");
    ndt_line(b, 0.5, 0, 0.5, 1);
    ndt_line(b, 0, 0.5, 1, 0.5);
    ndt_end(b);
    ndt_begin(b, "equals");
    ndt_line(b, 0, 0.3, 1, 0.3);
    ndt_line(b, 0, 0.7, 1, 0.7);
    ndt_end(b);
    ndt_begin(b, "hash");
    ndt_line(b, 0.35, 0, 0.25, 1);
    ndt_line(b, 0.75, 0, 0.65, 1);
    ndt_line(b, 0, 0.33, 1, 0.33);
    ndt_line(b, 0, 0.67, 1, 0.67);
    ndt_end(b);
    ndt_begin(b, "question");
    ndt_arc(b, 0.5, 0.28, 0.35, 0.28, 190, 450, 0);
    ndt_point(b, 0.5, 0.72, 0);
    ndt_line(b, 0.5, 0.95, 0.5, 1.0);
    ndt_end(b);
    ndt_begin(b, "exclamation");
    ndt_line(b, 0.5, 0, 0.5, 0.72);
    ndt_line(b, 0.5, 0.95, 0.5, 1.0);
    ndt_line(b, 0.35, 0, 0.65, 0); /* a wedge at the top, so it is not a 1 */
    ndt_end(b);
    ndt_begin(b, "percent");
    ndt_line(b, 0.9, 0, 0.1, 1);
    ndt_arc(b, 0.2, 0.2, 0.16, 0.16, 0, 360, 0);
    ndt_arc(b, 0.8, 0.8, 0.16, 0.16, 0, 360, 0);
    ndt_end(b);
    ndt_begin(b, "asterisk");
    ndt_line(b, 0.5, 0, 0.5, 1);
    ndt_line(b, 0.07, 0.25, 0.93, 0.75);
    ndt_line(b, 0.93, 0.25, 0.07, 0.75);
    ndt_end(b);
    ndt_begin(b, "ampersand");
    ndt_poly(b, 9,
             (const double[]){0.9, 1, 0.3, 0.4, 0.25, 0.15, 0.45, 0, 0.6, 0.15, 0.15, 0.65, 0.3, 1,
                              0.6, 0.95, 0.85, 0.6});
    ndt_end(b);
    ndt_begin(b, "at");
    ndt_arc(b, 0.5, 0.5, 0.18, 0.2, 0, 360, 0);
    ndt_arc(b, 0.5, 0.5, 0.5, 0.5, 10, 330, 0);
    ndt_end(b);
    ndt_begin(b, "arrow");
    ndt_line(b, 0, 0.5, 1, 0.5);
    ndt_poly(b, 3, (const double[]){0.7, 0.2, 1, 0.5, 0.7, 0.8});
    ndt_end(b);
    ndt_begin(b, "check");
    ndt_poly(b, 3, (const double[]){0, 0.55, 0.3, 1, 1, 0});
    ndt_end(b);
    ndt_begin(b, "cross-circle");
    ndt_arc(b, 0.5, 0.5, 0.5, 0.5, 0, 360, 0);
    ndt_line(b, 0.15, 0.15, 0.85, 0.85);
    ndt_line(b, 0.85, 0.15, 0.15, 0.85);
    ndt_end(b);
}

static void ndt_shapes(ndt_builder *b) {
    ndt_begin(b, "square");
    ndt_poly(b, 5, (const double[]){0, 0, 1, 0, 1, 1, 0, 1, 0, 0});
    ndt_end(b);
    ndt_begin(b, "triangle");
    ndt_poly(b, 4, (const double[]){0.5, 0, 1, 0.9, 0, 0.9, 0.5, 0});
    ndt_end(b);
    ndt_begin(b, "star");
    {
        double xy[12];
        for (int i = 0; i <= 5; i++) {
            double a = (-90 + 144 * i) * NDT_PI / 180.0;
            xy[2 * i] = 0.5 + 0.5 * cos(a);
            xy[2 * i + 1] = 0.5 + 0.5 * sin(a);
        }
        ndt_poly(b, 6, xy);
    }
    ndt_end(b);
    ndt_begin(b, "heart");
    ndt_point(b, 0.5, 1, 1);
    ndt_point(b, 0.05, 0.45, 0);
    ndt_arc(b, 0.27, 0.27, 0.24, 0.24, 150, 340, 1);
    ndt_arc(b, 0.73, 0.27, 0.24, 0.24, 200, 390, 1);
    ndt_point(b, 0.5, 1, 0);
    ndt_end(b);
    ndt_begin(b, "spiral");
    for (int i = 0; i <= 75; i++) { /* two and a half turns */
        double a = i * 12.0 * NDT_PI / 180.0, r = 0.08 + 0.42 * i / 75.0;
        ndt_point(b, 0.5 + r * cos(a), 0.5 + r * sin(a), i == 0);
    }
    ndt_end(b);
    ndt_begin(b, "wave");
    for (int i = 0; i <= 40; i++)
        ndt_point(b, i / 40.0, 0.5 + 0.3 * sin(i / 40.0 * 4 * NDT_PI), i == 0);
    ndt_end(b);
    ndt_begin(b, "zigzag");
    ndt_poly(
        b, 7,
        (const double[]){0, 0.2, 0.17, 0.8, 0.33, 0.2, 0.5, 0.8, 0.67, 0.2, 0.83, 0.8, 1, 0.2});
    ndt_end(b);
    ndt_begin(b, "diamond");
    ndt_poly(b, 5, (const double[]){0.5, 0, 0.9, 0.5, 0.5, 1, 0.1, 0.5, 0.5, 0});
    ndt_end(b);
    ndt_begin(b, "smiley");
    ndt_arc(b, 0.5, 0.5, 0.5, 0.5, 0, 360, 0);
    ndt_line(b, 0.33, 0.3, 0.33, 0.4);
    ndt_line(b, 0.67, 0.3, 0.67, 0.4);
    ndt_arc(b, 0.5, 0.55, 0.25, 0.2, 20, 160, 0);
    ndt_end(b);
    ndt_begin(b, "house");
    ndt_poly(b, 6, (const double[]){0.1, 1, 0.1, 0.45, 0.5, 0, 0.9, 0.45, 0.9, 1, 0.1, 1});
    ndt_end(b);
}

/* A random smooth curve through 5-10 random points (Catmull-Rom), one
 * stroke, sometimes a second one. */
static void ndt_scribble(ndt_builder *b, dp_rng *rng, const char *name) {
    ndt_begin(b, name);
    int strokes = 1 + (dp_rng_uniform(rng) < 0.3f);
    for (int s = 0; s < strokes; s++) {
        double px[12], py[12];
        int n = 5 + (int)dp_rng_below(rng, 6);
        for (int i = 0; i < n; i++) px[i] = dp_rng_uniform(rng), py[i] = dp_rng_uniform(rng);
        for (int i = 0; i + 1 < n; i++) {
            double x0 = px[i > 0 ? i - 1 : 0], y0 = py[i > 0 ? i - 1 : 0];
            double x3 = px[i + 2 < n ? i + 2 : n - 1], y3 = py[i + 2 < n ? i + 2 : n - 1];
            for (int k = 0; k < 8; k++) {
                double t = k / 8.0, t2 = t * t, t3 = t2 * t;
                double x = 0.5 * (2 * px[i] + (-x0 + px[i + 1]) * t +
                                  (2 * x0 - 5 * px[i] + 4 * px[i + 1] - x3) * t2 +
                                  (-x0 + 3 * px[i] - 3 * px[i + 1] + x3) * t3);
                double y = 0.5 * (2 * py[i] + (-y0 + py[i + 1]) * t +
                                  (2 * y0 - 5 * py[i] + 4 * py[i + 1] - y3) * t2 +
                                  (-y0 + 3 * py[i] - 3 * py[i + 1] + y3) * t3);
                ndt_point(b, x, y, i == 0 && k == 0);
            }
        }
        ndt_point(b, px[n - 1], py[n - 1], 0);
    }
    ndt_end(b);
}

/* Letters, symbols, shapes, then n_scribbles scribbles from seed. */
static void ndt_build(ndt_builder *b, int n_scribbles, uint64_t seed) {
    ndt_init(b);
    ndt_letters(b);
    ndt_symbols(b);
    ndt_shapes(b);
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    for (int i = 0; i < n_scribbles; i++) ndt_scribble(b, &rng, "scribble");
}

static void ndt_free(ndt_builder *b) {
    dp_pen_free(&b->set); /* the set's arrays were allocated like the reader's */
}

#endif
