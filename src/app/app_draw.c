#include "app_draw.h"

#include <stdio.h>

#include "app_inspect.h"
#include "bars.h"
#include "draw.h"
#include "help.h"
#include "loss_plot.h"
#include "theme.h"

static void draw_header(app *a) {
    const layout *l = &a->lay;
    float s = l->scale;
    text *t = a->text;
    int y = l->header.y + (l->header.h - text_height(t, TEXT_TITLE)) / 2;
    int w = text_draw(t, TEXT_TITLE, THEME_ACCENT, l->header.x, y, ALIGN_LEFT, "digitpad");
    int ny = l->header.y + (l->header.h - text_height(t, TEXT_NORMAL)) / 2;
    text_draw(t, TEXT_NORMAL, a->model_untrained ? THEME_WARN : THEME_DIM,
              l->header.x + w + (int)(16 * s), ny, ALIGN_LEFT, a->model_note);
    text_drawf(t, TEXT_SMALL, THEME_DIM, l->header.x + l->header.w, ny, ALIGN_RIGHT,
               "frame %.1f ms", a->frames.shown_work_ms);
}

static void draw_prediction(app *a) {
    const layout *l = &a->lay;
    float s = l->scale;
    text *t = a->text;
    int ty = l->preview.y - text_height(t, TEXT_NORMAL) - (int)(4 * s);
    const char *in_label = "network input";
    if (text_width(t, TEXT_NORMAL, in_label) > l->digit.x - l->preview.x - (int)(6 * s))
        in_label = "input";
    text_draw(t, TEXT_NORMAL, THEME_TEXT, l->preview.x, ty, ALIGN_LEFT, in_label);
    text_draw(t, TEXT_NORMAL, THEME_TEXT, l->digit.x, ty, ALIGN_LEFT, "prediction");
    gray_view_draw(&a->input_tex, a->ren, l->preview, 0);
    app_inspect_draw_input(a, l->preview);
    text_drawf(t, TEXT_SMALL, a->preprocess ? THEME_DIM : THEME_WARN, l->preview.x,
               l->preview.y + l->preview.h + (int)(6 * s), ALIGN_LEFT, "preprocessing %s (P)",
               a->preprocess ? "on" : "off");
    bars_draw_digit(a->ren, t, l->digit, &a->pred, s);
    int by = l->bars.y - text_height(t, TEXT_NORMAL) - (int)(8 * s);
    text_draw(t, TEXT_NORMAL, THEME_TEXT, l->bars.x, by, ALIGN_LEFT, "certainty");
    bars_draw(a->ren, t, l->bars, &a->pred, s);
}

static void draw_training(app *a) {
    const layout *l = &a->lay;
    float s = l->scale;
    text *t = a->text;
    const train_view *v = &a->tv;
    if (l->train.w < 100) return;
    if (app_inspect_panel_open(a)) { /* the panel covers the text and the plot */
        app_inspect_draw_mosaic(a);
        return;
    }
    int x = l->train.x, y = l->train.y;
    int w = text_draw(t, TEXT_TITLE, THEME_TEXT, x, y, ALIGN_LEFT, "Training");
    SDL_Color sc = v->state == TRAIN_FAILED     ? THEME_ERROR
                   : train_state_busy(v->state) ? THEME_OK
                   : v->state == TRAIN_PAUSED   ? THEME_WARN
                                                : THEME_DIM;
    const char *state =
        v->state == TRAIN_IDLE ? "press T to train on MNIST" : train_state_name(v->state);
    int nh = text_height(t, TEXT_NORMAL), th = text_height(t, TEXT_TITLE);
    text_draw(t, TEXT_NORMAL, sc, x + w + (int)(12 * s), y + th - nh, ALIGN_LEFT, state);
    y += th + (int)(6 * s);
    int right = l->train.x + l->train.w;
    if (v->state == TRAIN_FAILED || v->state == TRAIN_LOADING) {
        text_draw_wrapped(t, TEXT_NORMAL, v->state == TRAIN_FAILED ? THEME_ERROR : THEME_DIM, x, y,
                          l->train.w, l->train.y + l->train.h - y, v->msg);
    } else if (v->state != TRAIN_IDLE) {
        char pos[16], size[16], seen[16], sps[16];
        loss_plot_format_count(v->pos, pos, sizeof pos);
        loss_plot_format_count(v->epoch_size, size, sizeof size);
        loss_plot_format_count((double)v->samples_seen, seen, sizeof seen);
        loss_plot_format_count(v->samples_per_sec, sps, sizeof sps);
        int step = nh + (int)(2 * s);
        text_drawf(t, TEXT_NORMAL, THEME_TEXT, x, y, ALIGN_LEFT, "epoch %d of %d · %s / %s",
                   v->run_epoch + (v->state == TRAIN_DONE ? 0 : 1), v->run_epochs, pos, size);
        text_drawf(t, TEXT_NORMAL, THEME_DIM, right, y, ALIGN_RIGHT, "%s samples/s", sps);
        y += step;
        if (v->n_acc > 0)
            text_drawf(t, TEXT_NORMAL, THEME_OK, x, y, ALIGN_LEFT,
                       "test accuracy %.2f%% (epoch %d)", 100.0 * v->acc[v->n_acc - 1],
                       v->acc_epoch[v->n_acc - 1]);
        else
            text_draw(t, TEXT_NORMAL, THEME_DIM, x, y, ALIGN_LEFT,
                      "test accuracy after each epoch");
        text_drawf(t, TEXT_NORMAL, THEME_DIM, right, y, ALIGN_RIGHT, "lr %.4f", (double)v->lr);
        y += step;
        text_drawf(t, TEXT_NORMAL, THEME_DIM, x, y, ALIGN_LEFT, "%s samples seen", seen);
        text_drawf(t, TEXT_NORMAL, THEME_DIM, right, y, ALIGN_RIGHT, "augmentation %s (A)",
                   a->augment ? "on" : "off");
    } else {
        text_drawf(t, TEXT_NORMAL, THEME_DIM, x, y, ALIGN_LEFT, "data: %s", a->data_dir);
        y += nh + (int)(2 * s);
        text_drawf(t, TEXT_NORMAL, THEME_DIM, x, y, ALIGN_LEFT, "augmentation %s (A)",
                   a->augment ? "on" : "off");
    }
    lab_draw_settings(a);
    if (a->lab.show_confusion) {
        lab_draw_confusion(a);
        return;
    }
    loss_plot_draw_runs(a->ren, t, l->plot, v, &a->lab.runs, a->ui.log_scale, s);
    app_inspect_draw_mosaic(a);
}

void app_draw(app *a) {
    const layout *l = &a->lay;
    SDL_Renderer *r = a->ren;
    SDL_SetRenderDrawColor(r, THEME_BG.r, THEME_BG.g, THEME_BG.b, 255);
    SDL_RenderClear(r);
    draw_header(a);
    if (!app_inspect_draw_canvas(a)) gray_view_draw(&a->canvas_tex, r, l->canvas, 1);
    if (app_inspect_panel_open(a))
        app_inspect_draw_prediction(a); /* compact, under the panel (or in it) */
    else
        draw_prediction(a);
    if (!app_inspect_covers_all(a)) draw_training(a);
    app_inspect_draw_panel(a);
    int sh = text_height(a->text, TEXT_NORMAL);
    text_draw_wrapped(a->text, TEXT_NORMAL, a->ui.status_error ? THEME_ERROR : THEME_TEXT,
                      l->status.x, l->status.y + (l->status.h - sh) / 2, l->status.w, sh,
                      a->ui.status);
    help_draw_hint(a->text, l->hint);
    if (a->ui.show_help) help_draw_overlay(r, a->text, l->px_w, l->px_h, l->scale);
    SDL_RenderPresent(r);
    text_end_frame(a->text);
}
