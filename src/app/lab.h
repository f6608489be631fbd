/* The training lab in the window: settings (mouse and keyboard), reset (R),
 * new seed (N), single step (Space), the runs in the loss plot, and the
 * confusion matrix view (M) whose cells list their test images; a click on
 * one loads it onto the canvas.
 *
 * --verbose lines:
 *   train step pos P                 a Step finished at position P of the epoch
 *   confusion c00 c01 ... c99        after each evaluation, rows = true digit
 *   matrix X Y W H                   the matrix's 10x10 cell grid (window points), when shown
 *   thumbs X Y W H COLS ROWS COUNT   the clicked cell's thumbnail grid, when shown
 *   load test INDEX label L          a test image was loaded onto the canvas
 *   set FIELD VALUE                  a setting changed (FIELD as lab_field_name)
 *   reset seed S hidden H            R made a fresh network */
#ifndef DIGITPAD_APP_LAB_H
#define DIGITPAD_APP_LAB_H

#include <SDL.h>

#include "canvas_view.h"
#include "input.h"
#include "lab_runs.h"
#include "lab_settings.h"
#include "trainer_thread.h"

/* Most thumbnails shown at once (the texture strip holds this many). */
#define LAB_MAX_THUMBS 60

typedef struct lab_layout {
    SDL_Rect minus[LAB_NFIELDS], value[LAB_NFIELDS], plus[LAB_NFIELDS]; /* settings, pixels */
    SDL_Rect view;   /* the confusion view (over the loss plot and mosaic), pixels */
    SDL_Rect matrix; /* the 10x10 cell grid, pixels */
    SDL_Rect thumbs; /* the thumbnail grid, pixels */
    int thumb_cols, thumb_rows;
} lab_layout;

typedef struct lab_state {
    lab_settings settings; /* what the panel shows and the next run uses */
    int selected;          /* field under keyboard focus (Tab) */
    lab_runs runs;
    int show_confusion; /* M */
    test_predictions preds;
    const dp_dataset *test;   /* the trainer's test set, once loaded (borrowed) */
    int have_confusion;       /* preds holds an evaluation */
    int cell_true, cell_pred; /* clicked cell, -1 = none */
    uint32_t *items;          /* test indices in the clicked cell */
    int n_items, scroll;      /* scroll: first item shown */
    gray_view thumb_tex;      /* LAB_MAX_THUMBS thumbnails in a vertical strip */
    int thumbs_stale;
    int uploaded_shown; /* thumbnails in the strip since the last upload */
    int threads;        /* threads asked of the trainer */
    uint32_t stroke_end_ms;
    lab_layout lay;
    /* --verbose bookkeeping */
    uint64_t printed_eval, printed_steps;
    char printed_matrix[96], printed_thumbs[96];
} lab_state;

struct app;

int lab_init(struct app *a);
void lab_free(struct app *a);
/* The lab's commands (R, N, Space, M, Tab, + and -, wheel); 1 if c was one. */
int lab_command(struct app *a, const command *c);
/* A click outside the canvas; 1 if it hit something of the lab. */
int lab_click(struct app *a, int x, int y, int right);
/* Per frame, after the trainer's view was polled: predictions, runs,
 * threads, layout, thumbnails, --verbose lines. */
void lab_update(struct app *a);
/* The lab's rectangles for the current window layout (lab_panel.c,
 * confusion_view.c). */
void lab_panel_layout(struct app *a);
void confusion_view_layout(struct app *a);
/* Drawing (reads only). */
void lab_draw_settings(struct app *a);
void lab_draw_confusion(struct app *a);

/* A fresh He-initialised 784-hidden-10 network from seed. 0 on success. */
int lab_make_network(dp_mlp **out, int hidden, uint64_t seed);

#endif
