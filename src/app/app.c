/* App lifecycle and the per-frame update: events -> commands -> state. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_draw.h"
#include "app_inspect.h"
#include "digit_load.h"
#include "draw.h"
#include "icon.h"
#include "models.h"

/* Mosaic rebuilds at most this often while weights change. */
#define MOSAIC_INTERVAL_MS 250
/* Progress lines with --verbose at most this often. */
#define PROGRESS_LOG_MS 1000

void app_config_default(app_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->width = 1440;
    cfg->height = 800;
    cfg->fps = 60;
    cfg->augment = 1;
    cfg->hidden = DP_PAPER_HIDDEN;
    dp_train_config_default(&cfg->train);
    cfg->train.epochs = 10;
    cfg->train.lr = 0.02f;
    cfg->train.augment = dp_augment_default();
}

void app_log(app *a, const char *fmt, ...) {
    if (!a->cfg.verbose) return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void app_status(app *a, int is_error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->ui.status, sizeof a->ui.status, fmt, ap);
    va_end(ap);
    a->ui.status_error = is_error;
    a->dirty.redraw = 1;
    if (is_error) app_log(a, "error %s", a->ui.status);
}

static void relayout(app *a) {
    int ww, wh, pw, ph;
    SDL_GetWindowSize(a->win, &ww, &wh);
    if (SDL_GetRendererOutputSize(a->ren, &pw, &ph) != 0) {
        pw = ww;
        ph = wh;
    }
    layout old = a->lay;
    layout_compute(&a->lay, ww, wh, pw, ph);
    text_set_scale(a->text, a->lay.scale);
    a->dirty.mosaic = 1; /* its resolution depends on the shown size */
    SDL_Rect c = layout_canvas_points(&a->lay), o = layout_canvas_points(&old);
    if (a->frames.count == 0 || memcmp(&c, &o, sizeof c) != 0 || old.px_w != a->lay.px_w ||
        old.px_h != a->lay.px_h)
        app_log(a, "canvas %d %d %d %d", c.x, c.y, c.w, c.h);
}

/* Random He-initialised network, used when no model file is found. */
static int random_model(app *a) {
    if (lab_make_network(&a->model, a->cfg.hidden > 0 ? a->cfg.hidden : DP_PAPER_HIDDEN,
                         a->cfg.train.seed) != 0)
        return -1;
    memset(&a->meta, 0, sizeof a->meta);
    a->meta.test_accuracy = -1.0f;
    a->model_untrained = 1;
    snprintf(a->model_note, sizeof a->model_note, "untrained network: press T to train");
    return 0;
}

static int initial_model(app *a, char *err, size_t errlen) {
    dp_error e = {0};
    if (a->cfg.model_path) {
        dp_mlp *m = NULL;
        if (load_digit_model(a->cfg.model_path, &m, &a->meta, &e) != DIGIT_MODEL_OK) {
            snprintf(err, errlen, "cannot load model %s: %s", a->cfg.model_path, e.msg);
            return -1;
        }
        a->model = m;
        app_set_model_info(a, a->cfg.model_path);
        return 0;
    }
    char path[1024];
    if (!a->cfg.no_default_model && models_find_default(path, sizeof path) == 0) {
        dp_mlp *m = NULL;
        if (load_digit_model(path, &m, &a->meta, &e) == DIGIT_MODEL_OK) {
            a->model = m;
            app_set_model_info(a, path);
            return 0;
        }
        if (random_model(a) != 0) return -1;
        app_status(a, 1, "shipped model unusable: %s", e.msg);
        return 0;
    }
    return random_model(a);
}

int app_create(app **out, const app_config *cfg, char *err, size_t errlen) {
    *out = NULL;
    app *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->cfg = *cfg;
    snprintf(a->data_dir, sizeof a->data_dir, "%s",
             dp_data_dir(cfg->data_dir, getenv(DP_DATA_ENV)));
    a->preprocess = 1;
    a->augment = cfg->augment;
    a->model_gen = 1;
    a->printed.state = TRAIN_IDLE;
    dp_blas_set_threads(1); /* the trainer gets one core, the UI the other */

    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot initialise SDL video: %s", SDL_GetError());
        goto fail;
    }
    /* A click into an unfocused window draws too; a desktop app, not a
     * game, so the compositor stays on. */
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    /* Open no larger than the screen's usable area, so the window is whole
     * even without a window manager to fit it. */
    int win_w = cfg->width, win_h = cfg->height;
    SDL_Rect usable;
    if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 900 && usable.h > 560) {
        if (win_w > usable.w) win_w = usable.w;
        if (win_h > usable.h) win_h = usable.h;
    }
    a->win = SDL_CreateWindow("digitpad", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, win_w,
                              win_h, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!a->win) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetWindowMinimumSize(a->win, 900, 560);
    icon_set(a->win);
    a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED);
    if (!a->ren) a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->ren) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        goto fail;
    }
    if (text_create(&a->text, a->ren, cfg->font_path, err, errlen) != 0) goto fail;

    if (dp_canvas_create(&a->canvas, DP_MNIST_SIDE, DP_MNIST_SIDE) != DP_OK) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    a->brush = dp_brush_default();
    a->eraser = a->brush;
    a->eraser.radius *= 1.6f;
    a->eraser.strength = 1.0f;
    if (gray_view_init(&a->canvas_tex, a->ren, DP_MNIST_SIDE, DP_MNIST_SIDE) != 0 ||
        gray_view_init(&a->input_tex, a->ren, DP_MNIST_SIDE, DP_MNIST_SIDE) != 0) {
        snprintf(err, errlen, "cannot create textures: %s", SDL_GetError());
        goto fail;
    }
    if (initial_model(a, err, errlen) != 0) goto fail;
    if (app_inspect_init(a) != 0) {
        snprintf(err, errlen, "cannot create textures: %s", SDL_GetError());
        goto fail;
    }
    if (dp_workspace_create(&a->ws, a->model, 1) != DP_OK) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }

    trainer_options opt = {0};
    opt.data_dir = a->data_dir;
    opt.train = cfg->train_data;
    opt.test = cfg->test_data;
    opt.cfg = cfg->train;
    opt.augment = cfg->augment;
    opt.publish_ms = 200;
    opt.loss_every = 10;
    if (trainer_thread_create(&a->trainer, &opt) != 0) {
        snprintf(err, errlen, "cannot create the trainer");
        goto fail;
    }
    trainer_thread_view(a->trainer, &a->tv);
    a->tv.version = 0;
    if (lab_init(a) != 0) {
        snprintf(err, errlen, "cannot create textures: %s", SDL_GetError());
        goto fail;
    }

    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(a->ren, &info) == 0)
        app_log(a, "renderer %s video %s font %s", info.name, SDL_GetCurrentVideoDriver(),
                text_font_path(a->text));
    if (a->model_untrained)
        app_log(a, "model untrained (random initialisation)");
    else
        app_log(a, "load %s", a->model_path);
    relayout(a);
    a->dirty.canvas = a->dirty.model = 1;
    a->dirty.mosaic = 1;
    if (!a->ui.status[0])
        app_status(a, 0, "Draw a digit with the left mouse button. H shows all keys.");
    *out = a;
    return 0;
fail:
    app_destroy(a);
    return -1;
}

void app_destroy(app *a) {
    if (!a) return;
    trainer_thread_destroy(a->trainer); /* stops and joins first */
    lab_free(a);
    mosaic_free(&a->mosaic);
    app_inspect_free(a);
    gray_view_free(&a->canvas_tex);
    gray_view_free(&a->input_tex);
    dp_workspace_destroy(a->ws);
    dp_mlp_destroy(a->model);
    dp_canvas_destroy(a->canvas);
    text_destroy(a->text);
    if (a->ren) SDL_DestroyRenderer(a->ren);
    if (a->win) SDL_DestroyWindow(a->win);
    frame_stats_free(&a->frames.work_idle);
    frame_stats_free(&a->frames.work_train);
    frame_stats_free(&a->frames.draw_idle);
    frame_stats_free(&a->frames.draw_train);
    frame_stats_free(&a->frames.gap_idle);
    frame_stats_free(&a->frames.gap_train);
    free(a);
}

static void stroke_to(app *a, int x, int y) {
    float px, py, cx, cy;
    layout_point_to_pixel(&a->lay, x, y, &px, &py);
    canvas_pixel_to_cells(a->lay.canvas, a->canvas->w, a->canvas->h, px, py, &cx, &cy);
    /* Far outside the grid nothing can change; keep the numbers tame. */
    if (cx < -8) cx = -8;
    if (cy < -8) cy = -8;
    if (cx > a->canvas->w + 8) cx = (float)a->canvas->w + 8;
    if (cy > a->canvas->h + 8) cy = (float)a->canvas->h + 8;
    const dp_brush *b = a->stroke == STROKE_ERASE ? &a->eraser : &a->brush;
    if (dp_canvas_stroke(a->canvas, b, a->last_cx, a->last_cy, cx, cy, a->stroke == STROKE_ERASE))
        a->dirty.canvas = 1;
    a->last_cx = cx;
    a->last_cy = cy;
}

void app_command(app *a, const command *c) {
    if (a->ui.show_help && c->kind != CMD_HELP && c->kind != CMD_ESCAPE && c->kind != CMD_QUIT &&
        c->kind != CMD_RESIZE && c->kind != CMD_LOAD_FILE && c->kind != CMD_STROKE_MOVE) {
        a->ui.show_help = 0; /* any key or click closes the help */
        if (c->kind != CMD_STROKE_END) return;
    }
    switch (c->kind) {
    case CMD_NONE:
        break;
    case CMD_QUIT:
        a->ui.quit = 1;
        break;
    case CMD_ESCAPE:
        if (a->ui.show_help)
            a->ui.show_help = 0;
        else if (!app_inspect_escape(a))
            a->ui.quit = 1;
        break;
    case CMD_CLEAR:
        app_clear(a);
        break;
    case CMD_TRAIN:
        app_toggle_training(a);
        break;
    case CMD_AUGMENT:
        a->augment = !a->augment;
        a->lab.settings.augment = a->augment;
        trainer_thread_set_augment(a->trainer, a->augment);
        app_status(a, 0, "augmentation %s for training (from the next epoch)",
                   a->augment ? "on" : "off");
        break;
    case CMD_PREPROCESS:
        a->preprocess = !a->preprocess;
        a->dirty.input = 1;
        app_status(a, 0, "preprocessing %s: the network sees %s", a->preprocess ? "on" : "off",
                   a->preprocess ? "the drawing scaled to 20 px and centred by mass, like MNIST"
                                 : "the raw canvas");
        break;
    case CMD_LOG_SCALE:
        a->ui.log_scale = !a->ui.log_scale;
        break;
    case CMD_EXPORT:
        app_export(a);
        break;
    case CMD_SAVE:
        app_save_model(a);
        break;
    case CMD_LOAD_NEXT:
        app_load_next(a);
        break;
    case CMD_LOAD_FILE:
        app_load_model(a, c->path);
        break;
    case CMD_HELP:
        a->ui.show_help = !a->ui.show_help;
        break;
    case CMD_STROKE_BEGIN: {
        float px, py;
        layout_point_to_pixel(&a->lay, c->x, c->y, &px, &py);
        if (a->stroke == STROKE_NONE && !rect_contains_f(a->lay.canvas, px, py)) {
            /* a click on a mosaic tile, else on the lab's controls */
            if (a->lab.show_confusion || !app_inspect_command(a, c))
                lab_click(a, c->x, c->y, c->erase);
            break;
        }
        if (a->stroke != STROKE_NONE) break;
        a->stroke = c->erase ? STROKE_ERASE : STROKE_DRAW;
        canvas_pixel_to_cells(a->lay.canvas, a->canvas->w, a->canvas->h, px, py, &a->last_cx,
                              &a->last_cy);
        stroke_to(a, c->x, c->y); /* a dot */
        break;
    }
    case CMD_STROKE_MOVE:
        if (a->stroke != STROKE_NONE) stroke_to(a, c->x, c->y);
        break;
    case CMD_STROKE_END:
        if (a->stroke != STROKE_NONE && (a->stroke == STROKE_ERASE) == (c->erase != 0)) {
            stroke_to(a, c->x, c->y);
            dp_canvas_pen_up(a->canvas); /* a click at the same point is a new stroke */
            a->stroke = STROKE_NONE;
        }
        break;
    case CMD_RESIZE:
        a->dirty.layout = 1;
        break;
    case CMD_REDRAW:
        break;
    default:
        if (!app_inspect_command(a, c)) lab_command(a, c);
        break;
    }
    /* Everything but mouse motion outside a stroke changes what is shown. */
    if (c->kind != CMD_STROKE_MOVE || a->stroke != STROKE_NONE) a->dirty.redraw = 1;
}

static void print_prediction(app *a) {
    char line[256];
    if (!a->pred.valid) {
        snprintf(line, sizeof line, "predict none");
    } else {
        int n = snprintf(line, sizeof line, "predict %d", a->pred.digit);
        for (int i = 0; i < DP_MNIST_CLASSES && n > 0 && (size_t)n < sizeof line; i++)
            n += snprintf(line + n, sizeof line - (size_t)n, " %.4f", a->pred.p[i]);
    }
    if (strcmp(line, a->printed.predict_line) != 0) {
        snprintf(a->printed.predict_line, sizeof a->printed.predict_line, "%s", line);
        app_log(a, "%s", line);
    }
}

/* Log training events and progress (UI thread only writes stdout). */
static void log_training(app *a) {
    const train_view *v = &a->tv;
    if (v->state != a->printed.state) {
        if (v->state == TRAIN_FAILED)
            app_status(a, 1, "%s", v->msg);
        else if (v->state == TRAIN_LOADING)
            app_log(a, "train loading %s", a->data_dir);
        else
            app_log(a, "train %s", train_state_name(v->state));
        if (v->state == TRAIN_DONE)
            app_status(a, 0, "training finished %d epochs: T trains %d more", v->run_epochs,
                       v->run_epochs);
        a->printed.state = v->state;
    }
    while (a->printed.acc < v->n_acc) {
        int i = a->printed.acc++;
        app_log(a, "epoch %d test %.4f", v->acc_epoch[i], v->acc[i]);
    }
    if (a->printed.acc > v->n_acc) a->printed.acc = v->n_acc;
    uint32_t now = SDL_GetTicks();
    if (v->state == TRAIN_RUNNING && now - a->printed.progress_ms >= PROGRESS_LOG_MS &&
        v->epoch_size > 0) {
        a->printed.progress_ms = now;
        app_log(a, "train epoch %d pos %u/%u loss %.4f sps %.0f", v->epochs_done + 1, v->pos,
                v->epoch_size, v->batch_loss, v->samples_per_sec);
    }
}

static void update(app *a) {
    if (a->dirty.layout) {
        relayout(a);
        a->dirty.layout = 0;
    }
    /* Newest training snapshot, without waiting for the trainer. */
    int digit_before = a->pred.valid ? a->pred.digit : -1;
    uint64_t version_before = a->tv.version;
    train_state state_before = a->tv.state;
    int from_trainer = trainer_thread_poll(a->trainer, &a->tv, a->model, a->model_gen);
    int log_numbers = 0; /* the predict line (and the inspect lines) are printed */
    if (a->tv.version != version_before || a->tv.state != state_before) a->dirty.redraw = 1;
    if (from_trainer) {
        a->dirty.mosaic = 1;
        if (a->model_untrained)
            snprintf(a->model_note, sizeof a->model_note,
                     "random initialisation, trained in this window");
        a->model_untrained = 0;
        a->dirty.input = 1;
    }
    log_training(a);
    lab_update(a);
    if (a->dirty.canvas) {
        gray_view_upload(&a->canvas_tex, a->canvas->cells);
        a->dirty.input = 1;
    }
    if (a->dirty.model) {
        a->dirty.mosaic = 1;
        a->dirty.input = 1;
    }
    if (a->dirty.input) {
        int r = predict_run(a->model, a->ws, a->canvas, a->preprocess, a->input, &a->pred);
        if (r == PREDICT_WRONG_SHAPE) app_status(a, 1, "the network does not take 28x28 inputs");
        if (r == PREDICT_NOT_FINITE && !a->ui.nan_shown) /* once, not every frame */
            app_status(a, 1,
                       "the network's output is not a number (its weights overflowed): load "
                       "another model with L or drop one on the window");
        a->ui.nan_shown = r == PREDICT_NOT_FINITE;
        gray_view_upload(&a->input_tex, a->input);
        /* Snapshot-only changes are logged when the answer changes. */
        int digit_after = a->pred.valid ? a->pred.digit : -1;
        log_numbers =
            a->dirty.canvas || a->dirty.model || !from_trainer || digit_after != digit_before;
        if (log_numbers) print_prediction(a);
    }
    uint32_t now = SDL_GetTicks();
    if (a->dirty.mosaic &&
        (!a->mosaic.valid || a->dirty.model || now - a->mosaic.updated_ms >= MOSAIC_INTERVAL_MS)) {
        mosaic_update(&a->mosaic, a->ren, a->model, a->lay.mosaic.w);
        a->dirty.mosaic = 0;
        a->dirty.redraw = 1; /* a deferred rebuild comes in a frame with nothing else new */
    }
    app_inspect_update(a, a->dirty.input, log_numbers);
    if (a->dirty.canvas || a->dirty.model || a->dirty.input) a->dirty.redraw = 1;
    a->dirty.canvas = a->dirty.model = a->dirty.input = 0;
}

int app_frame(app *a) {
    SDL_Event e;
    command c;
    while (SDL_PollEvent(&e)) {
        if (!input_translate(&e, &c)) continue;
        app_command(a, &c);
        if (c.path) SDL_free(c.path);
    }
    update(a);
    /* Redraw on change, and once a second in any case. */
    uint32_t now = SDL_GetTicks();
    a->frames.drew = a->dirty.redraw || a->frames.count == 0 || now - a->frames.drawn_ms >= 1000;
    if (a->frames.drew) {
        app_draw(a);
        a->frames.drawn_ms = now;
        a->dirty.redraw = 0;
    }
    a->frames.count++;
    return !a->ui.quit;
}
