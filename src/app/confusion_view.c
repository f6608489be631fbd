/* The confusion matrix view (M), over the loss plot and the mosaic: the
 * last evaluation's 10x10 counts (rows: true digit, columns: predicted),
 * each cell coloured by its share of the row, with each digit's accuracy
 * on the right. Below it, the clicked cell's test images, most confident
 * first: thumbnail, index and the predicted digit's probability. */
#include <stdio.h>

#include "app.h"
#include "draw.h"
#include "lab.h"
#include "theme.h"

/* Thumbnail side in pixels: 32 points, up to 56 in a wide view. */
static int lab_thumb_size(const app *a) {
    float s = a->lay.scale;
    int w = a->lay.plot.w / 16;
    int lo = (int)(32 * s), hi = (int)(56 * s);
    return w < lo ? lo : w > hi ? hi : w;
}

void confusion_view_layout(app *a) {
    const layout *l = &a->lay;
    lab_layout *ll = &a->lab.lay;
    float s = l->scale;
    text *t = a->text;
    SDL_Rect v = {l->plot.x, l->plot.y, l->plot.w, l->mosaic.y + l->mosaic.h - l->plot.y};
    ll->view = v;
    int pad = (int)(10 * s);
    int title_h = text_height(t, TEXT_TITLE) + (int)(8 * s);
    int label = text_height(t, TEXT_SMALL) + (int)(6 * s); /* column digits above the grid */
    int row_label_w = (int)(18 * s), acc_w = (int)(56 * s);
    int line = text_height(t, TEXT_NORMAL) + (int)(6 * s);
    int img = lab_thumb_size(a);
    int cell_w = img + (int)(34 * s), cell_h = img + text_height(t, TEXT_SMALL) + (int)(8 * s);
    /* as large as the width allows, leaving room for a row of thumbnails,
     * and at most 60% of the height so large windows show several rows */
    int side = v.w - 2 * pad - row_label_w - acc_w;
    int max_side = v.h - title_h - label - (int)(8 * s) - line - cell_h - pad;
    if (side > max_side) side = max_side;
    if (side > (int)(v.h * 0.6f)) side = (int)(v.h * 0.6f);
    side = side / 10 * 10;
    if (side < 10) side = 10;
    ll->matrix = (SDL_Rect){v.x + pad + row_label_w, v.y + title_h + label, side, side};
    /* thumbnails: below the matrix, under a line saying which cell */
    int top = ll->matrix.y + side + (int)(8 * s) + line;
    int grid_w = v.w - 2 * pad, grid_h = v.y + v.h - pad - top;
    int cols = cell_w > 0 ? grid_w / cell_w : 0, rows = cell_h > 0 ? grid_h / cell_h : 0;
    if (cols < 0) cols = 0;
    if (rows < 0) rows = 0;
    while (cols * rows > LAB_MAX_THUMBS) rows--;
    ll->thumb_cols = cols;
    ll->thumb_rows = rows;
    ll->thumbs = (SDL_Rect){v.x + pad, top, cols * cell_w, rows * cell_h};
}

/* Cell colour: green for the diagonal, red elsewhere, brighter for a larger
 * share of the row (off-diagonal shares are stretched: 10% is bright). */
static SDL_Color cell_colour(int diag, double rate) {
    double k = diag ? rate : rate * 10.0;
    if (k > 1.0) k = 1.0;
    SDL_Color base = THEME_TRACK, hot = diag ? THEME_OK : THEME_ERROR;
    SDL_Color c = {(Uint8)(base.r + (hot.r - base.r) * k), (Uint8)(base.g + (hot.g - base.g) * k),
                   (Uint8)(base.b + (hot.b - base.b) * k), 255};
    return c;
}

static void draw_matrix(app *a) {
    const lab_state *L = &a->lab;
    const lab_layout *ll = &L->lay;
    SDL_Renderer *r = a->ren;
    text *t = a->text;
    float s = a->lay.scale;
    SDL_Rect g = ll->matrix;
    int cw = g.w / 10, ch = g.h / 10, sh = text_height(t, TEXT_SMALL);
    for (int d = 0; d < 10; d++) {
        char lab[4];
        snprintf(lab, sizeof lab, "%d", d);
        text_draw(t, TEXT_SMALL, THEME_DIM, g.x + d * cw + cw / 2, g.y - sh - (int)(3 * s),
                  ALIGN_CENTER, lab);
        text_draw(t, TEXT_SMALL, THEME_DIM, g.x - (int)(6 * s), g.y + d * ch + (ch - sh) / 2,
                  ALIGN_RIGHT, lab);
    }
    text_draw(t, TEXT_SMALL, THEME_DIM, g.x + g.w + (int)(6 * s), g.y - sh - (int)(3 * s),
              ALIGN_LEFT, "correct");
    for (int tr = 0; tr < 10; tr++) {
        uint32_t total = 0;
        for (int p = 0; p < 10; p++) total += L->preds.confusion[tr][p];
        for (int p = 0; p < 10; p++) {
            uint32_t n = L->preds.confusion[tr][p];
            SDL_Rect c = {g.x + p * cw, g.y + tr * ch, cw - 1, ch - 1};
            draw_fill(r, c, cell_colour(tr == p, total ? (double)n / total : 0.0));
            if (tr == L->cell_true && p == L->cell_pred) draw_frame(r, c, THEME_ACCENT);
            char num[16];
            snprintf(num, sizeof num, "%u", n);
            if (n > 0 && text_width(t, TEXT_SMALL, num) <= cw - 2) /* if it fits */
                text_draw(t, TEXT_SMALL, THEME_TEXT, c.x + cw / 2, c.y + (ch - sh) / 2,
                          ALIGN_CENTER, num);
        }
        text_drawf(t, TEXT_SMALL, THEME_TEXT, g.x + g.w + (int)(6 * s),
                   g.y + tr * ch + (ch - sh) / 2, ALIGN_LEFT, "%.1f%%",
                   total ? 100.0 * L->preds.confusion[tr][tr] / total : 0.0);
    }
}

static void draw_thumbs(app *a) {
    const lab_state *L = &a->lab;
    const lab_layout *ll = &L->lay;
    SDL_Renderer *r = a->ren;
    text *t = a->text;
    float s = a->lay.scale;
    int nh = text_height(t, TEXT_NORMAL);
    int y = ll->thumbs.y - nh - (int)(4 * s);
    if (L->cell_true < 0) {
        text_draw(t, TEXT_NORMAL, THEME_DIM, ll->thumbs.x, y, ALIGN_LEFT,
                  "click a cell to list its test images");
        return;
    }
    int shown = ll->thumb_cols * ll->thumb_rows;
    text_drawf(t, TEXT_NORMAL, THEME_TEXT, ll->thumbs.x, y, ALIGN_LEFT,
               "true %d, read as %d: %d image%s%s", L->cell_true, L->cell_pred, L->n_items,
               L->n_items == 1 ? "" : "s",
               L->n_items > shown ? " (wheel scrolls)"
               : L->n_items       ? " (click loads)"
                                  : "");
    if (shown == 0) return;
    int cw = ll->thumbs.w / ll->thumb_cols, chh = ll->thumbs.h / ll->thumb_rows;
    int img = lab_thumb_size(a);
    for (int k = 0; k < shown && L->scroll + k < L->n_items; k++) {
        uint32_t idx = L->items[L->scroll + k];
        int x = ll->thumbs.x + (k % ll->thumb_cols) * cw,
            ty = ll->thumbs.y + (k / ll->thumb_cols) * chh;
        SDL_Rect src = {0, k * DP_MNIST_SIDE, DP_MNIST_SIDE, DP_MNIST_SIDE};
        SDL_Rect dst = {x + (cw - img) / 2, ty, img, img};
        SDL_RenderCopy(r, L->thumb_tex.tex, &src, &dst);
        draw_frame(r, (SDL_Rect){dst.x - 1, dst.y - 1, dst.w + 2, dst.h + 2}, THEME_BORDER);
        text_drawf(t, TEXT_SMALL, THEME_DIM, x + cw / 2, ty + img + (int)(2 * s), ALIGN_CENTER,
                   "%u %.0f%%", idx, 100.0 * (double)L->preds.prob[idx]);
    }
}

void lab_draw_confusion(app *a) {
    const lab_state *L = &a->lab;
    const lab_layout *ll = &L->lay;
    text *t = a->text;
    float s = a->lay.scale;
    draw_panel(a->ren, ll->view);
    int pad = (int)(10 * s);
    int tw = text_draw(t, TEXT_TITLE, THEME_TEXT, ll->view.x + pad, ll->view.y + (int)(6 * s),
                       ALIGN_LEFT, "Confusion matrix");
    const char *sub = "rows: true digit · columns: read as · M closes";
    if (tw + 3 * pad + text_width(t, TEXT_SMALL, sub) > ll->view.w) sub = "M closes";
    text_draw(t, TEXT_SMALL, THEME_DIM, ll->view.x + ll->view.w - pad, ll->view.y + (int)(10 * s),
              ALIGN_RIGHT, sub);
    if (!L->have_confusion) {
        text_draw(t, TEXT_NORMAL, THEME_DIM, ll->view.x + ll->view.w / 2,
                  ll->view.y + ll->view.h / 2, ALIGN_CENTER,
                  "after the first epoch's test evaluation");
        return;
    }
    draw_matrix(a);
    draw_thumbs(a);
}
