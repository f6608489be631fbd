/* Your own digits in the window (docs/personal.md): Enter then 0-9 labels
 * the drawing on the canvas and adds it to the personal set (the core's
 * dp_personal_*, under $XDG_DATA_HOME/digitpad/personal); U undoes the
 * last label; F fine-tunes the current network on MNIST mixed with the
 * set (finetune.h) and reports the held-out and MNIST test accuracy
 * before and after. */
#ifndef DIGITPAD_APP_OWN_DIGITS_H
#define DIGITPAD_APP_OWN_DIGITS_H

#include "digitpad/personal.h"
#include "finetune.h"

/* The strokes on the canvas since it was last cleared (for the set). */
typedef struct own_strokes {
    float *xy;            /* points in canvas cells */
    int *n_points;        /* per stroke */
    unsigned char *erase; /* per stroke */
    int n_strokes, n_total;
    int cap_points, cap_strokes;
} own_strokes;

typedef struct own_digits {
    own_strokes strokes;
    dp_personal set;
    int open;        /* set readable */
    int labelling;   /* Enter was pressed: the next digit key labels the drawing */
    finetune *ft;    /* running fine-tune, or NULL */
    uint64_t ft_gen; /* model generation it started from */
} own_digits;

struct app;
/* At start: open the default set (a failure is shown, not fatal). */
void own_digits_open(struct app *a);
void own_digits_close(struct app *a);
/* Enter: wait for a digit key (needs a drawing). */
void own_digits_label_begin(struct app *a);
/* A digit key: label the drawing if Enter came first; returns 1 if used. */
int own_digits_label(struct app *a, int digit);
/* Esc while waiting for a digit: cancel; returns 1 if it did. */
int own_digits_cancel(struct app *a);
/* U: remove the last labelled drawing. */
void own_digits_undo(struct app *a);
/* F: start fine-tuning. */
void own_digits_finetune(struct app *a);
/* Recording the canvas's strokes: a mouse press, each point, a clear. */
void own_digits_stroke_begin(struct app *a, int erase);
void own_digits_stroke_point(struct app *a, float cx, float cy);
void own_digits_strokes_clear(struct app *a);
/* Every frame: pick up a finished fine-tune. */
void own_digits_poll(struct app *a);

#endif
