#include "loss_plot.h"

#include <math.h>
#include <stdio.h>

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

void loss_plot_draw(SDL_Renderer *r, text *t, SDL_Rect area, const train_view *v, int log_scale,
                    float s) {
    draw_panel(r, area);
    int pad = (int)(10 * s);
    text_drawf(t, TEXT_TITLE, THEME_TEXT, area.x + pad, area.y + (int)(6 * s), ALIGN_LEFT,
               "Training loss");
    text_drawf(t, TEXT_SMALL, THEME_DIM, area.x + area.w - pad, area.y + (int)(10 * s), ALIGN_RIGHT,
               "%s scale (G)", log_scale ? "log" : "linear");
    SDL_Rect plot = {area.x + (int)(52 * s), area.y + (int)(52 * s), 0, 0};
    plot.w = area.x + area.w - (int)(14 * s) - plot.x;
    plot.h = area.y + area.h - (int)(40 * s) - plot.y;
    if (plot.w < 20 || plot.h < 20) return;
    int sh = text_height(t, TEXT_SMALL);

    if (v->n_loss < 2) {
        draw_frame(r, plot, THEME_BORDER);
        text_draw(t, TEXT_NORMAL, THEME_DIM, plot.x + plot.w / 2, plot.y + plot.h / 2 - sh / 2,
                  ALIGN_CENTER, v->n_loss ? "collecting..." : "no training yet: press T");
        return;
    }

    /* Y range over the finite points: an infinite or NaN loss (a diverging
     * run) would make the tick loops below endless. Such points are drawn
     * at the top of the plot. */
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < v->n_loss; i++) {
        if (!isfinite(v->loss[i])) continue;
        if (v->loss[i] < lo) lo = v->loss[i];
        if (v->loss[i] > hi) hi = v->loss[i];
    }
    if (lo > hi) lo = hi = 1.0f; /* no finite point */
    double y0, y1, step;
    if (log_scale) {
        if (lo < 1e-4f) lo = 1e-4f;
        if (hi < lo) hi = lo;
        y0 = floor(log10(lo));
        y1 = ceil(log10(hi));
        if (y1 <= y0) y1 = y0 + 1;
        step = 1.0;
    } else {
        y0 = 0.0;
        step = nice_step(hi > 0 ? hi : 1.0);
        y1 = ceil(hi / step) * step;
        if (y1 <= 0) y1 = step;
    }
    SDL_Color grid = THEME_GRID;
    for (double yv = y0; yv <= y1 + 1e-9; yv += step) {
        float py = plot.y + plot.h - (float)((yv - y0) / (y1 - y0)) * plot.h;
        draw_line(r, (float)plot.x, py, (float)(plot.x + plot.w), py, grid);
        char lab[32];
        if (log_scale)
            snprintf(lab, sizeof lab, "%g", pow(10.0, yv));
        else
            snprintf(lab, sizeof lab, "%.*f", step < 0.1 ? 2 : step < 1 ? 1 : 0, yv);
        text_draw(t, TEXT_SMALL, THEME_DIM, plot.x - (int)(6 * s), (int)py - sh / 2, ALIGN_RIGHT,
                  lab);
    }

    /* X axis: samples seen. */
    double per_point = (double)v->loss_every * (v->batch > 0 ? v->batch : 1);
    double x_max = v->n_loss * per_point;
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
    text_drawf(t, TEXT_SMALL, THEME_DIM, plot.x - (int)(6 * s), plot.y - sh - (int)(4 * s),
               ALIGN_RIGHT, "loss");
    text_drawf(t, TEXT_SMALL, THEME_DIM, plot.x + plot.w, plot.y - sh - (int)(4 * s), ALIGN_RIGHT,
               "cross-entropy, mean of every %d batches", v->loss_every);

    /* Epoch marks with test accuracy; labels newest first, skipping any
     * that would overlap the one to their right. */
    if (v->epoch_size > 0) {
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

    /* The curve, two pixels thick. */
    draw_frame(r, plot, THEME_BORDER);
    SDL_FPoint pts[TRAIN_LOSS_POINTS];
    for (int i = 0; i < v->n_loss; i++) {
        double fy = 1.0; /* non-finite: at the top */
        if (isfinite(v->loss[i])) {
            double yv = log_scale ? log10(v->loss[i] > 1e-4f ? v->loss[i] : 1e-4f) : v->loss[i];
            fy = (yv - y0) / (y1 - y0);
            if (fy < 0) fy = 0;
            if (fy > 1) fy = 1;
        }
        pts[i].x = plot.x + (float)((i + 1) * per_point / x_max) * (plot.w - 1);
        pts[i].y = plot.y + plot.h - 1 - (float)fy * (plot.h - 2);
    }
    SDL_SetRenderDrawColor(r, THEME_ACCENT.r, THEME_ACCENT.g, THEME_ACCENT.b, 255);
    SDL_RenderDrawLinesF(r, pts, v->n_loss);
    for (int i = 0; i < v->n_loss; i++) pts[i].y -= 1.0f;
    SDL_RenderDrawLinesF(r, pts, v->n_loss);
}
