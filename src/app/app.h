/* The digitpad window: state, one-frame update and drawing.
 *
 * Each frame: poll SDL events -> translate them to commands -> apply the
 * commands to the plain state (canvas, model, flags) -> take the newest
 * training snapshot if the trainer is not holding its lock -> recompute what
 * changed (prediction, textures) -> draw. Drawing only reads the state.
 * Tests create an app on SDL's dummy video driver and call app_frame after
 * pushing real SDL events. */
#ifndef DIGITPAD_APP_APP_H
#define DIGITPAD_APP_APP_H

#include <SDL.h>
#include <stdint.h>

#include "canvas_view.h"
#include "digitpad/digitpad.h"
#include "frame_stats.h"
#include "input.h"
#include "inspect.h"
#include "lab.h"
#include "layout.h"
#include "mosaic.h"
#include "predict.h"
#include "text.h"
#include "trainer_thread.h"

typedef struct app_config {
    const char *model_path; /* explicit model (must load), NULL = shipped or random */
    const char *data_dir;   /* NULL = $DIGITPAD_DATA or data/mnist */
    const char *font_path;  /* NULL = fontconfig */
    const char *save_to;    /* Ctrl+S target, NULL = ./digitpad-model-STAMP.dpm */
    const char *export_dir; /* S target, NULL = current directory */
    int verbose;            /* event lines on stdout */
    int width, height;      /* initial window size in points */
    int fps;                /* frame cap of app_run */
    int augment;            /* augmentation switch at start */
    int no_default_model;   /* start random, ignore the shipped model (--fresh) */
    int hidden;             /* hidden units of a fresh random network (800) */
    dp_train_config train;  /* epochs per T run, batch, lr, schedule, seed */
    const dp_dataset *train_data, *test_data; /* tests: instead of MNIST */
} app_config;

void app_config_default(app_config *cfg);

typedef enum stroke_mode { STROKE_NONE, STROKE_DRAW, STROKE_ERASE } stroke_mode;

typedef struct app {
    app_config cfg;
    char data_dir[1024];
    SDL_Window *win;
    SDL_Renderer *ren;
    text *text;
    layout lay;

    /* Drawing. */
    dp_canvas *canvas;
    dp_brush brush, eraser;
    stroke_mode stroke;
    float last_cx, last_cy;
    gray_view canvas_tex, input_tex;

    /* The network the UI predicts with (training snapshots are copied in). */
    dp_mlp *model;
    dp_model_meta meta;
    char model_path[1024];  /* "" = not from a file */
    char load_cursor[1024]; /* the file L (or a drop) last tried: L goes on after it */
    char model_note[256];   /* header text */
    int model_untrained;
    uint64_t model_gen; /* bumps when a file replaces the model */
    int epochs_at_load; /* trainer epoch count when the model was loaded */
    dp_workspace *ws;

    /* Prediction. */
    int preprocess;
    float input[DP_MNIST_PIXELS];
    prediction pred;

    /* Training. */
    trainer_thread *trainer;
    train_view tv;
    int augment; /* mirrors lab.settings.augment */
    mosaic mosaic;
    lab_state lab; /* settings, runs, confusion view (lab.h) */

    /* Looking inside the network (app_inspect.c): its numbers, whether they
     * need recomputing, and the verbose lines printed last. */
    inspect insp;
    int insp_stale;
    struct {
        char mosaic[512], active[512], logits[512], unit[512], why[512];
    } insp_printed;

    /* What the person sees besides the views: status line and overlays. */
    struct app_ui {
        char status[600];
        int status_error;
        int nan_shown; /* the last prediction was NaN and the status says so */
        int show_help;
        int log_scale; /* loss plot's y axis */
        int quit;
    } ui;

    /* What needs recomputing this frame. */
    struct app_dirty {
        int canvas, model; /* the drawing or the weights changed */
        int input;         /* prediction and input preview are out of date */
        int layout;        /* the window was resized */
        int mosaic;        /* the weight mosaic is out of date (rebuilt at most every 250 ms) */
        int redraw;        /* something visible changed: draw and present */
    } dirty;

    /* --verbose bookkeeping: what was printed last, so lines are not repeated. */
    struct app_printed {
        train_state state;
        int acc;              /* accuracies printed so far */
        uint32_t progress_ms; /* SDL ticks of the last progress line */
        char predict_line[256];
    } printed;

    /* Frame timing (app_run) and the frame counter. */
    struct app_frames {
        frame_stats work_idle, work_train, draw_idle, draw_train, gap_idle, gap_train;
        uint64_t count;
        int drew;          /* the last app_frame drew */
        uint32_t drawn_ms; /* SDL ticks of the last drawing */
        /* The header's "frame N ms": the work of a frame that drew, taken at most once a
         * second (shown_ms = SDL ticks then), so the text is not rendered anew for every
         * frame. */
        float shown_work_ms;
        uint32_t shown_ms;
    } frames;
} app;

/* Opens the window and loads the model. On failure returns -1 with a
 * message in err. */
int app_create(app **out, const app_config *cfg, char *err, size_t errlen);
/* Stops and joins the trainer, frees everything. */
void app_destroy(app *a);

/* One frame: handle events, update, and draw if anything visible changed
 * (a->frames.drew says whether it did). Returns 0 once the app wants to quit. */
int app_frame(app *a);
/* Apply one command (app_frame does this for every event). */
void app_command(app *a, const command *c);
/* Frame loop with a frame cap and statistics; returns the exit code. */
int app_run(app *a);
/* "frames idle count=... p50=...ms p99=...ms max=...ms" and the same while
 * training, to stdout. */
void app_print_frame_stats(app *a);

/* Actions behind the keys (also used by tests). 0 on success. */
int app_load_model(app *a, const char *path);
int app_load_next(app *a);
int app_export(app *a);
int app_save_model(app *a);
void app_toggle_training(app *a);
void app_clear(app *a);
/* Remember where the model came from and describe it in the header. */
void app_set_model_info(app *a, const char *path);

/* The status line; errors are also printed as "error ..." with --verbose. */
void app_status(app *a, int is_error, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A line to stdout with --verbose (flushed). */
void app_log(app *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
