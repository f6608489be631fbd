/* The lab's state changes: commands, clicks, and the per-frame update. */
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"

/* Threads of the training step while the mouse is idle, and while drawing
 * (and this long after a stroke ends). */
#define LAB_IDLE_THREADS 2
#define LAB_DRAW_THREADS 1
#define LAB_DRAW_HOLD_MS 400

int lab_make_network(dp_mlp **out, int hidden, uint64_t seed) {
    return dp_train_fresh_network(out, DP_MNIST_PIXELS, hidden, DP_MNIST_CLASSES, seed) == DP_OK
               ? 0
               : -1;
}

int lab_init(app *a) {
    lab_state *L = &a->lab;
    lab_settings_from_config(&L->settings, &a->cfg.train, a->cfg.augment,
                             a->cfg.hidden > 0 ? a->cfg.hidden : DP_PAPER_HIDDEN);
    L->cell_true = L->cell_pred = -1;
    L->threads = LAB_IDLE_THREADS;
    return gray_view_init(&L->thumb_tex, a->ren, DP_MNIST_SIDE, DP_MNIST_SIDE * LAB_MAX_THUMBS);
}

void lab_free(app *a) {
    lab_state *L = &a->lab;
    test_predictions_free(&L->preds);
    free(L->items);
    L->items = NULL;
    gray_view_free(&L->thumb_tex);
}

static void push_settings(app *a) {
    a->augment = a->lab.settings.augment;
    trainer_thread_set_settings(a->trainer, &a->lab.settings);
}

/* R: a fresh network with the lab's seed and width; the next T starts a
 * new run on it. */
static void reset_network(app *a) {
    const lab_settings *s = &a->lab.settings;
    dp_mlp *m = NULL;
    dp_workspace *ws = NULL;
    if (lab_make_network(&m, s->hidden, s->seed) != 0 || dp_workspace_create(&ws, m, 1) != DP_OK) {
        dp_mlp_destroy(m);
        app_status(a, 1, "cannot make a fresh network: out of memory");
        return;
    }
    dp_workspace_destroy(a->ws);
    dp_mlp_destroy(a->model);
    a->ws = ws;
    a->model = m;
    memset(&a->meta, 0, sizeof a->meta);
    a->meta.test_accuracy = -1.0f;
    a->model_gen++;
    a->model_path[0] = '\0';
    a->model_untrained = 1;
    a->epochs_at_load = a->tv.epochs_done;
    snprintf(a->model_note, sizeof a->model_note,
             "fresh network 784-%d-10, seed %llu: T trains, Space steps", s->hidden,
             (unsigned long long)s->seed);
    push_settings(a);
    trainer_thread_reset(a->trainer, a->model, a->model_gen);
    a->dirty.model = 1;
    app_status(a, 0, "fresh He-initialised network (seed %llu, %d hidden units): T trains it",
               (unsigned long long)s->seed, s->hidden);
    app_log(a, "reset seed %llu hidden %d", (unsigned long long)s->seed, s->hidden);
}

static void change_field(app *a, lab_field f, int dir) {
    if (!lab_settings_step(&a->lab.settings, f, dir)) return;
    push_settings(a);
    char v[32];
    lab_field_value(&a->lab.settings, f, v, sizeof v);
    app_status(a, 0, "%s %s (%s)", lab_field_name(f), v, lab_field_applies(f));
    app_log(a, "set %s %s", lab_field_name(f), v);
}

/* The test images of the clicked cell, most confident first. */
static void list_cell(app *a) {
    lab_state *L = &a->lab;
    L->n_items = 0;
    L->scroll = 0;
    L->thumbs_stale = 1;
    if (L->cell_true < 0 || !L->test || L->preds.count != L->test->count) return;
    uint32_t *items = realloc(L->items, (size_t)L->test->count * sizeof *items);
    if (!items) return;
    L->items = items;
    for (uint32_t i = 0; i < L->test->count; i++)
        if (L->test->labels[i] == L->cell_true && L->preds.digit[i] == L->cell_pred)
            items[L->n_items++] = i;
    /* insertion sort by probability, descending; stable for equal ones */
    for (int i = 1; i < L->n_items; i++) {
        uint32_t v = items[i];
        int j = i;
        while (j > 0 && L->preds.prob[items[j - 1]] < L->preds.prob[v]) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = v;
    }
}

int lab_command(app *a, const command *c) {
    lab_state *L = &a->lab;
    switch (c->kind) {
    case CMD_RESET:
        reset_network(a);
        return 1;
    case CMD_NEW_SEED:
        lab_settings_new_seed(&L->settings);
        push_settings(a);
        app_status(a, 0, "seed %llu: R makes a fresh network with it, T's next run uses it",
                   (unsigned long long)L->settings.seed);
        app_log(a, "set seed %llu", (unsigned long long)L->settings.seed);
        return 1;
    case CMD_STEP:
        if (trainer_thread_step(a->trainer, a->model, a->model_gen) < 0)
            app_status(a, 1, "cannot start the training thread: %s", SDL_GetError());
        else
            app_status(a, 0, "one batch (Space again for the next, T runs on)");
        return 1;
    case CMD_CONFUSION:
        L->show_confusion = !L->show_confusion;
        if (!L->show_confusion) L->printed_matrix[0] = L->printed_thumbs[0] = '\0';
        return 1;
    case CMD_LAB_SELECT:
        L->selected = (L->selected + LAB_NFIELDS + c->dir) % LAB_NFIELDS;
        return 1;
    case CMD_LAB_CHANGE:
        change_field(a, (lab_field)L->selected, c->dir);
        return 1;
    case CMD_WHEEL: {
        float px, py;
        layout_point_to_pixel(&a->lay, c->x, c->y, &px, &py);
        int page = L->lay.thumb_cols;
        if (!L->show_confusion || page <= 0 || !rect_contains_f(L->lay.thumbs, px, py)) return 1;
        int shown = L->lay.thumb_cols * L->lay.thumb_rows;
        int max_scroll = L->n_items > shown ? (L->n_items - shown + page - 1) / page * page : 0;
        int s = L->scroll - c->dir * page;
        L->scroll = s < 0 ? 0 : s > max_scroll ? max_scroll : s;
        L->thumbs_stale = 1;
        return 1;
    }
    default:
        return 0;
    }
}

/* Copy test image `index` onto the canvas exactly: cells = pixel / 255. */
static void load_test_image(app *a, uint32_t index) {
    const dp_dataset *ds = a->lab.test;
    const uint8_t *img = ds->images + (size_t)index * DP_MNIST_PIXELS;
    for (int i = 0; i < DP_MNIST_PIXELS; i++) a->canvas->cells[i] = (float)img[i] / 255.0f;
    dp_canvas_pen_up(a->canvas);
    a->dirty.canvas = 1;
    int p = a->lab.preds.digit[index];
    app_status(a, 0, "test image %u: a %d, read as %d (%.1f%%) after the last evaluation", index,
               ds->labels[index], p, 100.0 * (double)a->lab.preds.prob[index]);
    app_log(a, "load test %u label %d", index, ds->labels[index]);
}

int lab_click(app *a, int x, int y, int right) {
    lab_state *L = &a->lab;
    float px, py;
    layout_point_to_pixel(&a->lay, x, y, &px, &py);
    for (int f = 0; f < LAB_NFIELDS; f++) {
        int dir = rect_contains_f(L->lay.minus[f], px, py)   ? -1
                  : rect_contains_f(L->lay.plus[f], px, py)  ? 1
                  : rect_contains_f(L->lay.value[f], px, py) ? (right ? -1 : 1)
                                                             : 0;
        if (dir == 0) continue;
        L->selected = f;
        change_field(a, (lab_field)f, dir);
        return 1;
    }
    if (!L->show_confusion) return 0;
    if (L->have_confusion && rect_contains_f(L->lay.matrix, px, py)) {
        int col = (int)((px - L->lay.matrix.x) * 10 / L->lay.matrix.w);
        int row = (int)((py - L->lay.matrix.y) * 10 / L->lay.matrix.h);
        if (col < 0 || col > 9 || row < 0 || row > 9) return 1;
        L->cell_true = row;
        L->cell_pred = col;
        list_cell(a);
        app_status(a, 0, "%d test images of digit %d read as %d%s", L->n_items, row, col,
                   L->n_items ? ": click one to load it onto the canvas" : "");
        return 1;
    }
    if (L->n_items > 0 && L->lay.thumb_cols > 0 && rect_contains_f(L->lay.thumbs, px, py)) {
        int col = (int)((px - L->lay.thumbs.x) * L->lay.thumb_cols / L->lay.thumbs.w);
        int row = (int)((py - L->lay.thumbs.y) * L->lay.thumb_rows / L->lay.thumbs.h);
        int k = L->scroll + row * L->lay.thumb_cols + col;
        if (k >= 0 && k < L->n_items) load_test_image(a, L->items[k]);
        return 1;
    }
    return rect_contains_f(L->lay.view, px, py);
}

/* 2 threads while the mouse is idle, 1 while drawing and shortly after. */
static void update_threads(app *a) {
    lab_state *L = &a->lab;
    uint32_t now = SDL_GetTicks();
    /* a stroke held now, or one that came and went within this frame's events */
    if (a->stroke != STROKE_NONE || a->dirty.canvas) L->stroke_end_ms = now;
    int drawing = L->stroke_end_ms != 0 && now - L->stroke_end_ms < LAB_DRAW_HOLD_MS;
    int want = drawing ? LAB_DRAW_THREADS : LAB_IDLE_THREADS;
    if (want != L->threads) {
        L->threads = want;
        trainer_thread_set_threads(a->trainer, want);
    }
}

/* The strip of thumbnails for the items shown now. */
static void upload_thumbs(app *a) {
    lab_state *L = &a->lab;
    L->thumbs_stale = 0;
    L->uploaded_shown = L->lay.thumb_cols * L->lay.thumb_rows;
    if (!L->test || L->n_items == 0) return;
    static float cells[DP_MNIST_PIXELS * LAB_MAX_THUMBS];
    memset(cells, 0, sizeof cells);
    int shown = L->lay.thumb_cols * L->lay.thumb_rows;
    for (int k = 0; k < shown && L->scroll + k < L->n_items; k++) {
        const uint8_t *img = L->test->images + (size_t)L->items[L->scroll + k] * DP_MNIST_PIXELS;
        for (int i = 0; i < DP_MNIST_PIXELS; i++)
            cells[(size_t)k * DP_MNIST_PIXELS + i] = (float)img[i] / 255.0f;
    }
    gray_view_upload(&L->thumb_tex, cells);
}

static void rect_points(const layout *l, SDL_Rect r, char *out, size_t n, const char *what) {
    float s = l->scale;
    snprintf(out, n, "%s %d %d %d %d", what, (int)(r.x / s + 0.5f), (int)(r.y / s + 0.5f),
             (int)(r.w / s + 0.5f), (int)(r.h / s + 0.5f));
}

static void log_lab(app *a) {
    lab_state *L = &a->lab;
    const train_view *v = &a->tv;
    if (v->steps_done != L->printed_steps) {
        L->printed_steps = v->steps_done;
        app_log(a, "train step pos %u", v->pos);
    }
    if (v->eval_version != L->printed_eval) {
        L->printed_eval = v->eval_version;
        char line[1200];
        int n = snprintf(line, sizeof line, "confusion");
        for (int t = 0; t < 10; t++)
            for (int p = 0; p < 10; p++)
                n += snprintf(line + n, sizeof line - (size_t)n, " %u", v->confusion[t][p]);
        app_log(a, "%s", line);
    }
    char buf[96];
    if (L->show_confusion && L->have_confusion) {
        rect_points(&a->lay, L->lay.matrix, buf, sizeof buf, "matrix");
        if (strcmp(buf, L->printed_matrix) != 0) {
            snprintf(L->printed_matrix, sizeof L->printed_matrix, "%s", buf);
            app_log(a, "%s", buf);
        }
    }
    if (L->show_confusion && L->cell_true >= 0 && L->n_items > 0) {
        char r[64];
        rect_points(&a->lay, L->lay.thumbs, r, sizeof r, "thumbs");
        snprintf(buf, sizeof buf, "%s %d %d %d", r, L->lay.thumb_cols, L->lay.thumb_rows,
                 L->n_items);
        if (strcmp(buf, L->printed_thumbs) != 0) {
            snprintf(L->printed_thumbs, sizeof L->printed_thumbs, "%s", buf);
            app_log(a, "%s", buf);
        }
    } else {
        L->printed_thumbs[0] = '\0';
    }
}

void lab_update(app *a) {
    lab_state *L = &a->lab;
    update_threads(a);
    if (lab_runs_update(&L->runs, &a->tv)) a->dirty.redraw = 1;
    if (!L->test) L->test = trainer_thread_test_set(a->trainer);
    if (a->tv.eval_version != 0 && trainer_thread_poll_predictions(a->trainer, &L->preds)) {
        L->have_confusion = 1;
        if (L->cell_true >= 0) list_cell(a);
        a->dirty.redraw = 1;
    }
    lab_panel_layout(a);
    confusion_view_layout(a);
    int shown = L->lay.thumb_cols * L->lay.thumb_rows;
    if (L->thumbs_stale || shown != L->uploaded_shown) upload_thumbs(a);
    log_lab(a);
}
