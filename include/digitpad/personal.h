/* A person's own labelled digits (docs/personal.md): the window labels a
 * drawing with a digit and adds it here; fine-tuning mixes the training
 * part into MNIST's batches and measures on the held-out part.
 *
 * Stored in a directory as IDX files that dp_mnist_load reads:
 *   train-{images-idx3,labels-idx1}-ubyte   network inputs (28x28, as
 *                                            preprocessed), 4 of every 5
 *   t10k-{images-idx3,labels-idx1}-ubyte    every fifth labelled drawing
 *   canvas-{images-idx3,labels-idx1}-ubyte  every canvas as drawn, in order
 *   strokes.json                            the strokes of each, in order, in
 *                                            the pen-digit format (dp_pen_load
 *                                            reads it; coordinates / canvas side)
 * Every file is written atomically, images before labels; a pair whose
 * counts differ (a crash between the two writes) is read as its shorter
 * length, so no earlier drawing is ever lost. */
#ifndef DIGITPAD_PERSONAL_H
#define DIGITPAD_PERSONAL_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/dataset.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every DP_PERSONAL_HOLDOUT-th labelled drawing goes to the held-out part. */
#define DP_PERSONAL_HOLDOUT 5
/* Most drawings a set holds (DP_ERR_RANGE beyond). */
#define DP_PERSONAL_MAX 100000u

typedef struct dp_personal {
    char dir[4096];
    dp_dataset train, heldout, canvas; /* 28x28 each; canvas in labelling order */
    char **stroke_lines;               /* one JSON object per drawing, in order */
    uint32_t n_stroke_lines;
} dp_personal;

/* The strokes of a drawing as the mouse made them. */
typedef struct dp_drawn_strokes {
    int n_strokes;
    const int *n_points;        /* points of each stroke */
    const float *xy;            /* all points, x y interleaved, in canvas cells */
    const unsigned char *erase; /* per stroke, 1 = drawn with the eraser (may be NULL) */
    int side;                   /* canvas side in cells (28) */
} dp_drawn_strokes;

/* The default directory: XDG_DATA_HOME/digitpad/personal if xdg_data_home
 * is absolute, else HOME/.local/share/digitpad/personal. The library reads
 * no environment variable: a program passes getenv("XDG_DATA_HOME") and
 * getenv("HOME") (either may be NULL). DP_ERR_NOT_FOUND if neither can
 * be formed. */
dp_status dp_personal_default_dir(const char *xdg_data_home, const char *home, char *out, size_t n,
                                  dp_error *err);

/* Open (creating the directory and its parents if missing) and read the
 * set in dir. Missing files are an empty set; damaged ones an error. */
dp_status dp_personal_open(dp_personal *p, const char *dir, dp_error *err);
void dp_personal_close(dp_personal *p);

/* Number of labelled drawings. */
uint32_t dp_personal_count(const dp_personal *p);
/* Per-digit counts over both parts. */
void dp_personal_counts(const dp_personal *p, uint32_t counts[10]);

/* Add a labelled drawing: canvas (28x28 values in [0,1] as drawn), input
 * (the network input, 28x28 in [0,1]) and its strokes (may be NULL: then
 * none are stored; at most DP_PEN_MAX_STROKES strokes of DP_PEN_MAX_POINTS
 * points are kept, points clamped to the canvas). Saved before returning.
 * *held_out (may be NULL) says where it went. */
dp_status dp_personal_add(dp_personal *p, const float canvas[784], const float input[784],
                          int label, const dp_drawn_strokes *strokes, int *held_out, dp_error *err);
/* Remove the last labelled drawing (DP_ERR_EMPTY if none) and save;
 * *label (may be NULL) is its label. */
dp_status dp_personal_undo(dp_personal *p, int *label, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
