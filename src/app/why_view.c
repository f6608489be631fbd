#include "why_view.h"

#include <math.h>
#include <stdio.h>

#include "draw.h"
#include "theme.h"

#define MINUS "\xe2\x88\x92"

static void fmt_signed(char *buf, size_t len, double v) {
    inspect_fmt(buf, len, 2, 1, v);
}

/* Column widths of a row. */
typedef struct row_geom {
    int label_w, cell_w, tail_w, tile;
} row_geom;

/* Tiles as large as three rows in the panel allow (28 to 72 points), cells
 * wide enough for the tile and its value. */
static row_geom geom(text *t, SDL_Rect area, float s) {
    row_geom g;
    int sh = text_height(t, TEXT_SMALL);
    g.label_w = text_width(t, TEXT_NORMAL, "7 − 1  ") + text_width(t, TEXT_SMALL, MINUS "00.00");
    g.tail_w = text_width(t, TEXT_SMALL, "rest " MINUS "00.00") + (int)(8 * s);
    int rows_h = area.h - text_height(t, TEXT_TITLE) - (int)(24 * s);
    g.tile = rows_h / 3 - 2 * sh - (int)(12 * s);
    if (g.tile > (int)(72 * s)) g.tile = (int)(72 * s);
    int value_w = text_width(t, TEXT_SMALL, MINUS "0.00") + (int)(8 * s);
    /* no wider than 8 cells across the panel allow */
    int fit = (area.w - 2 * (int)(10 * s) - g.label_w - g.tail_w) / WHY_TERMS - (int)(8 * s);
    if (g.tile > fit) g.tile = fit;
    if (g.tile < (int)(20 * s)) g.tile = (int)(20 * s);
    g.cell_w = g.tile + (int)(8 * s) > value_w ? g.tile + (int)(8 * s) : value_w;
    return g;
}

int why_view_terms(text *t, SDL_Rect area, float s) {
    row_geom g = geom(t, area, s);
    int pad = (int)(10 * s);
    int n = (area.w - 2 * pad - g.label_w - g.tail_w) / g.cell_w;
    return n < 0 ? 0 : n > WHY_TERMS ? WHY_TERMS : n;
}

/* One row: label, tiles with values, then rest, bias and the total. */
static void draw_row(SDL_Renderer *r, text *t, int x, int y, int row_h, float s, const row_geom *g,
                     const dp_logit_why *w, const char *label, const char *bias_name,
                     const mosaic *mo) {
    int nh = text_height(t, TEXT_NORMAL), sh = text_height(t, TEXT_SMALL);
    char v[32];
    text_draw(t, TEXT_NORMAL, THEME_TEXT, x, y + (int)(2 * s), ALIGN_LEFT, label);
    fmt_signed(v, sizeof v, w->logit);
    text_drawf(t, TEXT_SMALL, THEME_ACCENT, x, y + nh + (int)(4 * s), ALIGN_LEFT, "= %s", v);
    int cx = x + g->label_w;
    for (int i = 0; i < w->n; i++, cx += g->cell_w) {
        int j = w->unit[i];
        text_drawf(t, TEXT_SMALL, THEME_DIM, cx + g->cell_w / 2, y, ALIGN_CENTER, "%d", j);
        SDL_Rect dst = {cx + (g->cell_w - g->tile) / 2, y + sh + (int)(2 * s), g->tile, g->tile};
        if (mo->valid && mo->tex && j < mo->n) {
            int ts = 28 / mo->reduce;
            SDL_Rect src = {(j % mo->cols) * (ts + 1), (j / mo->cols) * (ts + 1), ts, ts};
            SDL_RenderCopy(r, mo->tex, &src, &dst);
        }
        fmt_signed(v, sizeof v, w->value[i]);
        text_draw(t, TEXT_SMALL, w->value[i] >= 0 ? THEME_TEXT : THEME_WARN, cx + g->cell_w / 2,
                  dst.y + dst.h + (int)(2 * s), ALIGN_CENTER, v);
    }
    if (w->n == 0) text_draw(t, TEXT_SMALL, THEME_DIM, cx, y + sh, ALIGN_LEFT, "(no unit fires)");
    int tx = cx + (int)(4 * s);
    fmt_signed(v, sizeof v, w->rest);
    text_drawf(t, TEXT_SMALL, THEME_DIM, tx, y, ALIGN_LEFT, "rest %s", v);
    fmt_signed(v, sizeof v, w->bias);
    text_drawf(t, TEXT_SMALL, THEME_DIM, tx, y + sh + (int)(2 * s), ALIGN_LEFT, "%s %s", bias_name,
               v);
    fmt_signed(v, sizeof v, w->logit);
    text_drawf(t, TEXT_SMALL, THEME_ACCENT, tx, y + 2 * (sh + (int)(2 * s)), ALIGN_LEFT, "= %s", v);
    (void)row_h;
}

void why_view_draw(SDL_Renderer *r, text *t, SDL_Rect area, float s, const inspect *in,
                   const mosaic *mo) {
    draw_panel(r, area);
    int pad = (int)(10 * s);
    int x = area.x + pad, y = area.y + (int)(6 * s);
    int th = text_height(t, TEXT_TITLE), sh = text_height(t, TEXT_SMALL);
    if (!in->valid) {
        text_draw(t, TEXT_TITLE, THEME_TEXT, x, y, ALIGN_LEFT, "Why this digit?");
        text_draw(t, TEXT_NORMAL, THEME_DIM, x, y + th + (int)(10 * s), ALIGN_LEFT,
                  "draw a digit: each logit is split into the hidden units that add to it");
        return;
    }
    const dp_trace *tr = in->trace;
    int k = tr->top, q = tr->second;
    int w = text_drawf(t, TEXT_TITLE, THEME_TEXT, x, y, ALIGN_LEFT, "Why %d, not %d?", k, q);
    const char *sub = "net2_k = b2_k + Σ_j out1_j · W2[j,k]: largest terms, tile = unit's weights";
    if (w + text_width(t, TEXT_SMALL, sub) + 3 * pad < area.w)
        text_draw(t, TEXT_SMALL, THEME_DIM, area.x + area.w - pad, y + th - sh, ALIGN_RIGHT, sub);
    y += th + (int)(8 * s);
    row_geom g = geom(t, area, s);
    int cells_h = 2 * sh + g.tile + (int)(4 * s), tail_h = 3 * (sh + (int)(2 * s));
    int row_h = (cells_h > tail_h ? cells_h : tail_h) + (int)(8 * s);
    int avail = area.y + area.h - pad - y;
    if (avail < row_h) return;
    char label[64];
    snprintf(label, sizeof label, "%d", k);
    draw_row(r, t, x, y, row_h, s, &g, &in->why_top, label, "b2", mo);
    y += row_h;
    if (avail < 2 * row_h) return;
    snprintf(label, sizeof label, "%d", q);
    draw_row(r, t, x, y, row_h, s, &g, &in->why_second, label, "b2", mo);
    y += row_h;
    if (avail < 3 * row_h) return;
    snprintf(label, sizeof label, "%d " MINUS " %d", k, q);
    draw_row(r, t, x, y, row_h, s, &g, &in->why_diff, label, "Δb2", mo);
}
