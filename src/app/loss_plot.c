#include "loss_plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "theme.h"

void loss_plot_format_count(double n, char *out, size_t len) {
    if (n >= 1e6)
        snprintf(out, len, "%.*fM", n >= 1e7 ? 0 : 1, n / 1e6);
    else if (n >= 1e3)
        snprintf(out, len, "%.*fk", n >= 1e4 ? 0 : 1, n / 1e3);
    else
        snprintf(out, len, "%.0f", n);
}

/* A "nice" tick step (1, 2 or 5 times a power of ten) giving ~4 ticks. */
static double nice_step(double range) {
    double raw = range / 4.0;
    double p = pow(10.0, floor(log10(raw)));
    double f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* The loss axis: from y0 to y1 (log10 units on a log axis) in ticks of step. */
typedef struct y_axis {
    double y0, y1, step;
    int log_scale;
} y_axis;

/* 0 at the bottom of the axis, 1 at the top; non-finite losses at the top. */
static double y_fraction(const y_axis *ax, float loss) {
    if (!isfinite(loss)) return 1.0;
    double yv = ax->log_scale ? log10(loss > 1e-4f ? loss : 1e-4f) : loss;
    double fy = (yv - ax->y0) / (ax->y1 - ax->y0);
    return fy < 0 ? 0 : fy > 1 ? 1 : fy;
}

/* Widen [lo, hi] to the finite points: an infinite or NaN loss (a
 * diverging run) would make the tick loops endless. */
static void y_range_add(float *lo, float *hi, const float *loss, int n) {
    for (int i = 0; i < n; i++) {
        if (!isfinite(loss[i])) continue;
        if (loss[i] < *lo) *lo = loss[i];
        if (loss[i] > *hi) *hi = loss[i];
    }
}

static y_axis fit_y_axis(float lo, float hi, int log_scale) {
    if (lo > hi) lo = hi = 1.0f; /* no finite point */
    y_axis ax = {0.0, 0.0, 1.0, log_scale};
    if (log_scale) {
        if (lo < 1e-4f) lo = 1e-4f;
        if (hi < lo) hi = lo;
        ax.y0 = floor(log10(lo));
        ax.y1 = ceil(log10(hi));
        if (ax.y1 <= ax.y0) ax.y1 = ax.y0 + 1;
    } else {
        ax.step = nice_step(hi > 0 ? hi : 1.0);
        ax.y1 = ceil(hi / ax.step) * ax.step;
        if (ax.y1 <= 0) ax.y1 = ax.step;
    }
    return ax;
}

static void draw_title(text *t, SDL_Rect area, int log_scale, float s) {
    int pad = (int)(10 * s);
    text_drawf(t, TEXT_TITLE, THEME_TEXT, area.x + pad, area.y + (int)(6 * s), ALIGN_LEFT,
               "Training loss");
    text_drawf(t, TEXT_SMALL, THEME_DIM, area.x + area.w - pad, area.y + (int)(10 * s), ALIGN_RIGHT,
               "%s scale (G)", log_scale ? "log" : "linear");
}

/* Grid lines and labels of the loss axis, and its name. */
static void draw_y_axis(SDL_Renderer *r, text *t, SDL_Rect plot, const y_axis *ax, float s) {
    int sh = text_height(t, TEXT_SMALL);
    for (double yv = ax->y0; yv <= ax->y1 + 1e-9; yv += ax->step) {
        float py = plot.y + plot.h - (float)((yv - ax->y0) / (ax->y1 - ax->y0)) * plot.h;
        draw_line(r, (float)plot.x, py, (float)(plot.x + plot.w), py, THEME_GRID);
        char lab[32];
        if (ax->log_scale)
            snprintf(lab, sizeof lab, "%g", pow(10.0, yv));
        else
            snprintf(lab, sizeof lab, "%.*f", ax->step < 0.1 ? 2 : ax->step < 1 ? 1 : 0, yv);
        text_draw(t, TEXT_SMALL, THEME_DIM, plot.x - (int)(6 * s), (int)py - sh / 2, ALIGN_RIGHT,
                  lab);
    }
    text_drawf(t, TEXT_SMALL, THEME_DIM, plot.x - (int)(6 * s), plot.y - sh - (int)(4 * s),
               ALIGN_RIGHT, "loss");
}

/* Ticks and labels of the samples-seen axis, 0 to x_max. */
static void draw_x_axis(SDL_Renderer *r, text *t, SDL_Rect plot, double x_max, float s) {
    int sh = text_height(t, TEXT_SMALL);
    char lab[32];
    for (int k = 0; k <= 4; k++) {
        double xv = x_max * k / 4.0;
        float px = plot.x + (float)(xv / x_max) * plot.w;
        draw_line(r, px, (float)(plot.y + plot.h), px, (float)(plot.y + plot.h + 4 * s),
                  THEME_BORDER);
        loss_plot_format_count(xv, lab, sizeof lab);
        text_draw(t, TEXT_SMALL, THEME_DIM, (int)px, plot.y + plot.h + (int)(5 * s),
                  k == 0   ? ALIGN_LEFT
                  : k == 4 ? ALIGN_RIGHT
                           : ALIGN_CENTER,
                  lab);
    }
    text_draw(t, TEXT_SMALL, THEME_DIM, plot.x + plot.w / 2, plot.y + plot.h + (int)(6 * s) + sh,
              ALIGN_CENTER, "samples seen");
}

/* Epoch marks with test accuracy; labels newest first, skipping any that
 * would overlap the one to their right. */
static void draw_epoch_marks(SDL_Renderer *r, text *t, SDL_Rect plot, const train_view *v,
                             double x_max, float s) {
    if (v->epoch_size == 0) return;
    int free_right = plot.x + plot.w;
    for (int i = v->n_acc - 1; i >= 0; i--) {
        double xv = (double)v->acc_epoch[i] * v->epoch_size;
        if (xv > x_max) continue;
        float px = plot.x + (float)(xv / x_max) * plot.w;
        draw_line(r, px, (float)plot.y, px, (float)(plot.y + plot.h), THEME_BORDER);
        char acc[16];
        snprintf(acc, sizeof acc, "%.2f%%", 100.0 * v->acc[i]);
        int right = (int)px - (int)(3 * s), w = text_width(t, TEXT_SMALL, acc);
        if (right > free_right || right - w < plot.x) continue;
        text_draw(t, TEXT_SMALL, THEME_OK, right, plot.y + (int)(2 * s), ALIGN_RIGHT, acc);
        free_right = right - w - (int)(6 * s);
    }
}

/* One loss curve, two pixels thick; point i is at (i + 1) * per_point samples. */
static void draw_curve(SDL_Renderer *r, SDL_Rect plot, const float *loss, int n, const y_axis *ax,
                       double per_point, double x_max, SDL_Color c) {
    SDL_FPoint pts[TRAIN_LOSS_POINTS];
    if (n > TRAIN_LOSS_POINTS) n = TRAIN_LOSS_POINTS;
    for (int i = 0; i < n; i++) {
        pts[i].x = plot.x + (float)((i + 1) * per_point / x_max) * (plot.w - 1);
        pts[i].y = plot.y + plot.h - 1 - (float)y_fraction(ax, loss[i]) * (plot.h - 2);
    }
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
    SDL_RenderDrawLinesF(r, pts, n);
    for (int i = 0; i < n; i++) pts[i].y -= 1.0f;
    SDL_RenderDrawLinesF(r, pts, n);
}

/* Colours of the past runs, newest first; the current run is THEME_ACCENT. */
static const SDL_Color PAST_COLOURS[LAB_MAX_RUNS] = {
    {255, 179, 71, 255}, {190, 130, 255, 255}, {98, 214, 130, 255}};

static double samples_per_point(int loss_every, int batch) {
    return (double)loss_every * (batch > 0 ? batch : 1);
}

/* One legend line: swatch, settings, per-epoch test accuracies (the last few). */
static int draw_legend_line(SDL_Renderer *r, text *t, int x, int y, SDL_Color c,
                            const lab_settings *st, const float *acc, int n_acc, float s) {
    char line[256];
    lab_settings_describe(st, line, sizeof line);
    size_t len = strlen(line);
    int first = n_acc > 4 ? n_acc - 4 : 0;
    if (n_acc > 0)
        len += (size_t)snprintf(line + len, sizeof line - len, " :%s", first ? " …" : "");
    for (int i = first; i < n_acc && len < sizeof line; i++)
        len += (size_t)snprintf(line + len, sizeof line - len, " %.2f%%", 100.0 * acc[i]);
    int sh = text_height(t, TEXT_SMALL);
    draw_fill(r, (SDL_Rect){x, y + sh / 2 - (int)(1 * s), (int)(12 * s), (int)(3 * s)}, c);
    return text_draw(t, TEXT_SMALL, THEME_TEXT, x + (int)(16 * s), y, ALIGN_LEFT, line);
}

static void draw_legend(SDL_Renderer *r, text *t, SDL_Rect plot, const train_view *v,
                        const lab_runs *runs, float s) {
    int sh = text_height(t, TEXT_SMALL) + (int)(2 * s);
    int n = runs->n_past + 1;
    SDL_Rect box = {plot.x + (int)(4 * s), plot.y + (int)(4 * s), plot.w - (int)(8 * s),
                    n * sh + (int)(4 * s)};
    draw_fill(r, box, (SDL_Color){18, 20, 25, 200});
    int y = box.y + (int)(2 * s);
    for (int i = runs->n_past - 1; i >= 0; i--, y += sh) {
        const lab_run *p = &runs->past[i];
        draw_legend_line(r, t, box.x + (int)(4 * s), y, PAST_COLOURS[i], &p->settings, p->acc,
                         p->n_acc, s);
    }
    draw_legend_line(r, t, box.x + (int)(4 * s), y, THEME_ACCENT, &v->settings, v->acc, v->n_acc,
                     s);
}

void loss_plot_draw(SDL_Renderer *r, text *t, SDL_Rect area, const train_view *v, int log_scale,
                    float s) {
    loss_plot_draw_runs(r, t, area, v, NULL, log_scale, s);
}

void loss_plot_draw_runs(SDL_Renderer *r, text *t, SDL_Rect area, const train_view *v,
                         const lab_runs *runs, int log_scale, float s) {
    draw_panel(r, area);
    draw_title(t, area, log_scale, s);
    SDL_Rect plot = {area.x + (int)(52 * s), area.y + (int)(52 * s), 0, 0};
    plot.w = area.x + area.w - (int)(14 * s) - plot.x;
    plot.h = area.y + area.h - (int)(40 * s) - plot.y;
    if (plot.w < 20 || plot.h < 20) return;
    int sh = text_height(t, TEXT_SMALL);
    int n_past = runs ? runs->n_past : 0;
    if (v->n_loss < 2 && n_past == 0) {
        draw_frame(r, plot, THEME_BORDER);
        text_draw(t, TEXT_NORMAL, THEME_DIM, plot.x + plot.w / 2, plot.y + plot.h / 2 - sh / 2,
                  ALIGN_CENTER, v->n_loss ? "collecting..." : "no training yet: press T");
        return;
    }
    float lo = INFINITY, hi = -INFINITY;
    y_range_add(&lo, &hi, v->loss, v->n_loss);
    double per_point = samples_per_point(v->loss_every, v->batch);
    double x_max = v->n_loss * per_point;
    for (int i = 0; i < n_past; i++) {
        const lab_run *p = &runs->past[i];
        y_range_add(&lo, &hi, p->loss, p->n_loss);
        double xm = p->n_loss * samples_per_point(p->loss_every, p->batch);
        if (xm > x_max) x_max = xm;
    }
    if (!(x_max > 0)) x_max = 1.0;
    y_axis ax = fit_y_axis(lo, hi, log_scale);
    draw_y_axis(r, t, plot, &ax, s);
    draw_x_axis(r, t, plot, x_max, s);
    text_drawf(t, TEXT_SMALL, THEME_DIM, plot.x + plot.w, plot.y - sh - (int)(4 * s), ALIGN_RIGHT,
               "cross-entropy, mean of every %d batches", v->loss_every);
    draw_epoch_marks(r, t, plot, v, x_max, s);
    draw_frame(r, plot, THEME_BORDER);
    for (int i = n_past - 1; i >= 0; i--) {
        const lab_run *p = &runs->past[i];
        draw_curve(r, plot, p->loss, p->n_loss, &ax, samples_per_point(p->loss_every, p->batch),
                   x_max, PAST_COLOURS[i]);
    }
    draw_curve(r, plot, v->loss, v->n_loss, &ax, per_point, x_max, THEME_ACCENT);
    if (runs && (n_past > 0 || v->run_id > 0)) draw_legend(r, t, plot, v, runs, s);
}
