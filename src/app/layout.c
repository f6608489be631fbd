#include "layout.h"

static int clampi(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

void layout_compute(layout *l, int win_w, int win_h, int px_w, int px_h) {
    l->win_w = win_w > 0 ? win_w : 1;
    l->win_h = win_h > 0 ? win_h : 1;
    l->px_w = px_w > 0 ? px_w : l->win_w;
    l->px_h = px_h > 0 ? px_h : l->win_h;
    l->scale = (float)l->px_w / (float)l->win_w;
    float s = l->scale;
    int W = l->px_w, H = l->px_h;
    int m = (int)(16 * s);
    l->margin = m;

    int header_h = (int)(46 * s), line_h = (int)(24 * s);
    l->header = (SDL_Rect){m, (int)(8 * s), W - 2 * m, header_h - (int)(8 * s)};
    l->hint = (SDL_Rect){m, H - line_h - (int)(6 * s), W - 2 * m, line_h};
    l->status = (SDL_Rect){m, l->hint.y - line_h, W - 2 * m, line_h};

    int top = header_h + (int)(4 * s);
    int body_h = l->status.y - (int)(8 * s) - top;
    if (body_h < 28) body_h = 28;

    /* Column widths: canvas | prediction | training. */
    int mid_w = clampi((int)(0.22f * W), (int)(230 * s), (int)(330 * s));
    int side = body_h;
    int max_side = (int)(0.44f * W);
    if (side > max_side) side = max_side;
    side = side / 28 * 28;
    if (side < 28) side = 28;
    l->canvas = (SDL_Rect){m, top, side, side};

    /* Prediction column: preview and big digit side by side, bars below. */
    int mx = l->canvas.x + side + m;
    int title_h = (int)(22 * s);
    int pv = (mid_w - m) / 2;
    pv = pv / 28 * 28;
    if (pv < 28) pv = 28;
    l->preview = (SDL_Rect){mx, top + title_h, pv, pv};
    l->digit = (SDL_Rect){mx + pv + m, top + title_h, mid_w - pv - m, pv};
    int bars_y = l->preview.y + pv + (int)(34 * s) + title_h;
    int bars_bottom = top + body_h;
    l->bars = (SDL_Rect){mx, bars_y, mid_w, bars_bottom - bars_y};

    /* Training column: status text, loss plot, mosaic. */
    int rx = mx + mid_w + m;
    int rw = W - m - rx;
    if (rw < 0) rw = 0;
    int info_h = (int)(96 * s);
    l->train = (SDL_Rect){rx, top, rw, info_h};
    int lab_h = (int)(112 * s);
    l->lab = (SDL_Rect){rx, top + info_h, rw, lab_h};
    /* The plot takes a third of the body, but never more than 45% of what
     * the text and the settings leave, so the mosaic keeps clickable tiles
     * in small windows. */
    int rest_h = body_h - info_h - lab_h;
    int plot_h = (int)(body_h * 0.32f);
    if (plot_h > (int)(rest_h * 0.45f)) plot_h = (int)(rest_h * 0.45f);
    if (plot_h < 0) plot_h = 0;
    l->plot = (SDL_Rect){rx, l->lab.y + lab_h, rw, plot_h};
    int mo_y = l->plot.y + plot_h + (int)(10 * s);
    l->mosaic = (SDL_Rect){rx, mo_y, rw, top + body_h - mo_y};
}

SDL_Rect layout_canvas_points(const layout *l) {
    float s = l->scale;
    SDL_Rect r = {(int)(l->canvas.x / s + 0.5f), (int)(l->canvas.y / s + 0.5f),
                  (int)(l->canvas.w / s + 0.5f), (int)(l->canvas.h / s + 0.5f)};
    return r;
}

void layout_point_to_pixel(const layout *l, int x, int y, float *px, float *py) {
    *px = (float)x * l->scale;
    *py = (float)y * l->scale;
}
