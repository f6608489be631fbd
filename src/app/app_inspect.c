#include "app_inspect.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "bars.h"
#include "equations_view.h"
#include "inspector.h"
#include "mosaic_activity.h"
#include "saliency.h"
#include "theme.h"
#include "why_view.h"

int app_inspect_init(app *a) {
    if (inspect_init(&a->insp, a->ren, a->canvas->w, a->canvas->h) != 0) return -1;
    a->insp_stale = 1;
    return 0;
}

void app_inspect_free(app *a) {
    inspect_free(&a->insp);
}

int app_inspect_panel_open(const app *a) {
    return a->insp.detail != DETAIL_NONE;
}

int app_inspect_covers_all(const app *a) {
    return a->insp.detail == DETAIL_EQUATIONS;
}

/* Print line if it differs from the last one printed under that slot. */
#define LINE_MAX 512
static void log_changed(app *a, char last[LINE_MAX], const char line[LINE_MAX]) {
    if (strcmp(last, line) == 0) return;
    memcpy(last, line, LINE_MAX);
    app_log(a, "%s", line);
}

#define LOG_SLOT(a, slot, line) log_changed(a, (a)->insp_printed.slot, line)

static void log_grid(app *a) {
    const mosaic_grid *g = &a->insp.grid;
    float s = a->lay.scale;
    char line[LINE_MAX];
    snprintf(line, sizeof line, "mosaic %d %d %d %d %d %d", (int)lroundf(g->rect.x / s),
             (int)lroundf(g->rect.y / s), (int)lroundf(g->rect.w / s), (int)lroundf(g->rect.h / s),
             g->cols, g->rows);
    if (g->rect.w > 0) LOG_SLOT(a, mosaic, line);
}

static void log_unit(app *a) {
    const inspect *in = &a->insp;
    if (!in->uv_valid) return;
    char line[LINE_MAX];
    snprintf(line, sizeof line, "unit %d net %.6f act %.6f bias %.6f sum %.6f", in->uv.unit,
             (double)in->uv.net, (double)in->uv.act, (double)in->uv.bias, in->uv.sum);
    LOG_SLOT(a, unit, line);
}

static void log_numbers(app *a) {
    const inspect *in = &a->insp;
    if (!in->valid) { /* the next drawing prints everything again */
        a->insp_printed.active[0] = a->insp_printed.logits[0] = '\0';
        a->insp_printed.unit[0] = a->insp_printed.why[0] = '\0';
        return;
    }
    const dp_trace *t = in->trace;
    char line[LINE_MAX];
    snprintf(line, sizeof line, "active %d", t->active);
    LOG_SLOT(a, active, line);
    int n = snprintf(line, sizeof line, "logits");
    for (int k = 0; k < t->n_out && n > 0 && (size_t)n < sizeof line; k++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %.6f", (double)t->net2[k]);
    LOG_SLOT(a, logits, line);
    log_unit(a);
    const dp_logit_why *w = &in->why_top;
    n = snprintf(line, sizeof line, "why %d %.6f %.6f %.6f", w->k, (double)w->logit, w->bias,
                 w->rest);
    for (int i = 0; i < w->n && n > 0 && (size_t)n < sizeof line; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, " %d:%.6f", w->unit[i],
                      (double)w->value[i]);
    LOG_SLOT(a, why, line);
}

void app_inspect_update(app *a, int input_changed, int log) {
    inspect *in = &a->insp;
    float s = a->lay.scale;
    /* Where the tiles are: the mosaic as mosaic_draw will draw it. */
    int n = a->mosaic.valid ? a->mosaic.n : a->model->n_hidden;
    int reduce = a->mosaic.valid ? a->mosaic.reduce : mosaic_reduce_for(n, a->lay.mosaic.w);
    in->grid = mosaic_grid_compute(a->lay.mosaic, s, text_height(a->text, TEXT_SMALL), n, reduce);
    log_grid(a);
    detail_layout dl;
    inspect_detail_layout(&a->lay, &dl);
    int why_n = why_view_terms(a->text, dl.panel, s); /* 0..WHY_TERMS */
    if (why_n != in->why_n) a->insp_stale = 1;
    if (!input_changed && !a->insp_stale) return;
    a->insp_stale = 0;
    dp_input_map map, *mp = NULL;
    if (in->saliency && a->pred.valid) {
        float scratch[DP_MNIST_PIXELS];
        if (dp_preprocess_mapped(a->canvas->cells, a->canvas->w, a->canvas->h,
                                 a->preprocess ? 0u : DP_PRE_RAW, scratch, &map) == DP_OK)
            mp = &map;
    }
    inspect_compute(in, a->model, a->input, a->pred.valid, a->canvas->cells, mp, why_n);
    if (log || !in->valid) log_numbers(a);
    a->dirty.redraw = 1;
}

static void select_unit(app *a, int j) {
    inspect_select(&a->insp, a->model, a->input, j);
    a->insp.detail = j >= 0 ? DETAIL_UNIT : DETAIL_NONE;
    log_unit(a);
}

static void toggle_detail(app *a, detail_view v) {
    a->insp.detail = a->insp.detail == v ? DETAIL_NONE : v;
}

int app_inspect_command(app *a, const command *c) {
    inspect *in = &a->insp;
    switch (c->kind) {
    case CMD_MOSAIC_MODE:
        in->act_mode = !in->act_mode;
        app_status(a, 0, "mosaic: %s",
                   in->act_mode ? "weights × activation (tiles scaled by √(out1 / max out1))"
                                : "weights, silent units dimmed");
        return 1;
    case CMD_WHY:
        toggle_detail(a, DETAIL_WHY);
        return 1;
    case CMD_EQUATIONS:
        toggle_detail(a, DETAIL_EQUATIONS);
        return 1;
    case CMD_SALIENCY:
        in->saliency = !in->saliency;
        a->insp_stale = 1; /* the gradient is computed only while shown */
        app_status(a, 0, "saliency %s",
                   in->saliency ? "on: orange = more ink makes it more the top digit" : "off");
        return 1;
    case CMD_UNIT_MOVE:
        select_unit(a, inspect_step(in, c->x, c->y));
        return 1;
    case CMD_STROKE_BEGIN: {
        if (c->erase) return 0;
        float px, py;
        layout_point_to_pixel(&a->lay, c->x, c->y, &px, &py);
        int j = app_inspect_covers_all(a) ? -1 : mosaic_grid_hit(&in->grid, px, py);
        if (j < 0) return 0;
        if (in->detail == DETAIL_UNIT && in->unit == j)
            select_unit(a, -1); /* a second click closes */
        else
            select_unit(a, j);
        return 1;
    }
    default:
        return 0;
    }
}

int app_inspect_escape(app *a) {
    if (a->insp.detail == DETAIL_NONE) return 0;
    if (a->insp.detail == DETAIL_UNIT) a->insp.unit = -1;
    a->insp.detail = DETAIL_NONE;
    return 1;
}

int app_inspect_draw_canvas(app *a) {
    return saliency_draw_canvas(a->ren, a->text, a->lay.canvas, a->lay.scale, &a->insp,
                                &a->canvas_tex);
}

void app_inspect_draw_input(app *a, SDL_Rect preview) {
    saliency_draw_input(a->ren, preview, &a->insp);
}

void app_inspect_draw_mosaic(app *a) {
    char sub[128], short_sub[64];
    mosaic_activity_subtitle(&a->insp, sub, sizeof sub, short_sub, sizeof short_sub);
    mosaic_draw(&a->mosaic, a->ren, a->text, a->lay.mosaic, a->lay.scale, sub, short_sub);
    if (a->mosaic.valid) mosaic_activity_draw(a->ren, &a->insp, a->lay.scale);
}

void app_inspect_draw_panel(app *a) {
    detail_layout dl;
    inspect_detail_layout(&a->lay, &dl);
    float s = a->lay.scale;
    switch (a->insp.detail) {
    case DETAIL_NONE:
        break;
    case DETAIL_UNIT:
        inspector_draw(a->ren, a->text, dl.panel, s, &a->insp);
        break;
    case DETAIL_WHY:
        why_view_draw(a->ren, a->text, dl.panel, s, &a->insp, &a->mosaic);
        break;
    case DETAIL_EQUATIONS:
        equations_view_draw(a->ren, a->text, dl.full, s, &a->insp, a->model, &a->tv.back,
                            train_state_busy(a->tv.state), a->cfg.train.momentum);
        break;
    }
}

void app_inspect_draw_prediction(app *a) {
    if (app_inspect_covers_all(a)) return; /* the equations show the numbers */
    detail_layout dl;
    inspect_detail_layout(&a->lay, &dl);
    float s = a->lay.scale;
    text *t = a->text;
    const prediction *p = &a->pred;
    int nh = text_height(t, TEXT_NORMAL);
    text_draw(t, TEXT_NORMAL, THEME_TEXT, dl.preview.x, dl.preview.y - nh - (int)(4 * s),
              ALIGN_LEFT, dl.digit.w > 2 * dl.preview.w ? "network input" : "input");
    gray_view_draw(&a->input_tex, a->ren, dl.preview, 0);
    app_inspect_draw_input(a, dl.preview);
    text_drawf(t, TEXT_SMALL, a->preprocess ? THEME_DIM : THEME_WARN, dl.preview.x,
               dl.preview.y + dl.preview.h + (int)(6 * s), ALIGN_LEFT, "preprocessing %s (P)",
               a->preprocess ? "on" : "off");
    if (text_height(t, TEXT_HUGE) * 3 / 5 <= dl.digit.h) { /* the digit's glyph fits */
        bars_draw_digit(a->ren, t, dl.digit, p, s);
    } else { /* too small for the big digit: a line of text */
        int x = dl.digit.x, y = dl.digit.y;
        if (!p->valid) {
            text_draw(t, TEXT_NORMAL, THEME_DIM, x, y, ALIGN_LEFT, "draw a digit");
        } else {
            SDL_Color c = p->unsure ? THEME_WARN : THEME_ACCENT;
            int w = text_drawf(t, TEXT_TITLE, c, x, y, ALIGN_LEFT, "%d", p->digit);
            if (p->unsure)
                text_drawf(t, TEXT_SMALL, THEME_WARN, x + w + (int)(8 * s), y, ALIGN_LEFT,
                           "unsure: %d or %d?", p->digit, p->second);
            else
                text_drawf(t, TEXT_SMALL, THEME_DIM, x + w + (int)(8 * s), y, ALIGN_LEFT,
                           "%.1f%% sure", 100.0 * p->p[p->digit]);
        }
    }
    /* the ten bars when their rows (nearly) fit their labels */
    if (dl.bars.h / 10 >= nh * 4 / 5) bars_draw(a->ren, t, dl.bars, p, s);
}
