/* Real people's pen digits as stroke trajectories: a strict, bounded reader
 * for the JSON form of the UCI "Pen-Based Recognition of Handwritten
 * Digits" set (E. Alpaydin and F. Alimoglu, CC BY 4.0, DOI 10.24432/C5MG6K;
 * docs/pen-digits.md), and the mouse-like rendering of a drawing onto a
 * canvas with the window's brush.
 *
 * The file: {"drawings": [{"label": "7", "writer": "w03", "strokes":
 * [[[x, y], ...], ...], ...}, ...], ...}; coordinates x right, y down,
 * scaled so the drawing's bounding box is [0,w] x [0,h] with max(w,h) = 1.
 * Other members (of the file and of each drawing) are checked for JSON
 * syntax and skipped. */
#ifndef DIGITPAD_PEN_H
#define DIGITPAD_PEN_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/canvas.h"
#include "digitpad/rng.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of the reader (DP_ERR_RANGE beyond them). */
#define DP_PEN_MAX_FILE (64u << 20) /* bytes */
#define DP_PEN_MAX_DRAWINGS 200000u /* drawings in a file */
#define DP_PEN_MAX_STROKES 32       /* strokes in one drawing */
#define DP_PEN_MAX_POINTS 4096      /* points in one stroke */
#define DP_PEN_MAX_WRITERS 4096     /* distinct writer names */
#define DP_PEN_WRITER_LEN 16        /* writer name: 1-15 of [A-Za-z0-9_-] */
#define DP_PEN_MAX_DEPTH 32         /* nesting of skipped JSON values */
#define DP_PEN_COORD_SLACK 0.001f   /* coordinates must lie in [-slack, 1+slack] */

typedef struct dp_pen_drawing {
    uint8_t label;         /* 0-9 */
    uint16_t writer;       /* index into dp_pen_set.writers */
    uint16_t n_strokes;    /* >= 1 */
    uint32_t first_stroke; /* strokes first_stroke .. first_stroke + n_strokes - 1 */
    float w, h;            /* bounding box of the points: [0,w] x [0,h] as stored */
    float x0, y0;          /* its top-left corner (about 0,0) */
} dp_pen_drawing;

typedef struct dp_pen_set {
    uint32_t count; /* drawings */
    dp_pen_drawing *drawings;
    uint32_t n_writers;
    char (*writers)[DP_PEN_WRITER_LEN]; /* NUL-terminated names, in order of appearance */
    uint32_t n_strokes;                 /* strokes of all drawings */
    uint32_t *stroke_start;             /* n_strokes + 1 offsets into xy, in points */
    float *xy;                          /* all points, x and y interleaved */
} dp_pen_set;

/* Parse a whole JSON document of len bytes (need not be NUL-terminated).
 * On success *out owns its arrays (free with dp_pen_free); on failure it is
 * empty and err says where (byte offset) and what went wrong. */
dp_status dp_pen_parse(const char *json, size_t len, dp_pen_set *out, dp_error *err);
/* Read and parse a file (at most DP_PEN_MAX_FILE bytes). */
dp_status dp_pen_load(const char *path, dp_pen_set *out, dp_error *err);
void dp_pen_free(dp_pen_set *s);

/* The environment variable programs read the pen-data directory from. */
#define DP_PEN_DATA_ENV "DIGITPAD_PEN_DATA"
/* The pen-data directory: flag if non-NULL/non-empty, else env if
 * non-NULL/non-empty, else "data/human-digits". The library reads no
 * environment variable: a program passes getenv(DP_PEN_DATA_ENV) as env.
 * The dev set is the file "dev.json" in it. */
const char *dp_pen_data_dir(const char *flag, const char *env);

/* 1 if `writer` is one of the names in the comma-separated `list`. */
int dp_pen_writer_listed(const char *list, const char *writer);

/* Points of stroke k of drawing d (k < d->n_strokes): *n points at the
 * returned address, x and y interleaved. */
const float *dp_pen_stroke(const dp_pen_set *s, const dp_pen_drawing *d, int k, int *n);

/* Where a drawing goes on a canvas: its bounding box scaled to `height`
 * cells tall (aspect kept) with the box's centre at (cx, cy). */
typedef struct dp_pen_place {
    float height, cx, cy;
} dp_pen_place;

/* A placement like a mouse user's on a side x side canvas: height uniform
 * in [min_frac, max_frac] of the side (shrunk if the drawing would then be
 * wider than max_frac of the side), the box anywhere on the canvas with the
 * brush (radius) inside it. */
dp_pen_place dp_pen_place_random(dp_rng *rng, const dp_pen_drawing *d, int side, float min_frac,
                                 float max_frac, float radius);

/* Clear c and draw drawing d at p, each stroke one polyline through
 * dp_canvas_polyline (exactly what the window's mouse strokes draw).
 * Returns 1 if anything was drawn. */
int dp_pen_render(const dp_pen_set *s, const dp_pen_drawing *d, const dp_pen_place *p, dp_canvas *c,
                  const dp_brush *b);

#ifdef __cplusplus
}
#endif
#endif
