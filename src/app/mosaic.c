#include "mosaic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "theme.h"

#define TILE 28
#define GAP 1

uint32_t mosaic_color(float t) {
    static const float zero[3] = {14, 16, 21}, neg[3] = {64, 156, 255}, pos[3] = {255, 146, 48};
    if (t > 1) t = 1;
    if (t < -1) t = -1;
    const float *end = t < 0 ? neg : pos;
    float a = fabsf(t);
    a = sqrtf(a); /* lift small weights so structure shows */
    uint32_t c[3];
    for (int i = 0; i < 3; i++) c[i] = (uint32_t)(zero[i] + a * (end[i] - zero[i]) + 0.5f);
    return 0xff000000u | c[0] << 16 | c[1] << 8 | c[2];
}

/* mosaic_color sampled at LUT_SIZE points over [-1, 1]. */
#define LUT_SIZE 1024
static uint32_t lut[LUT_SIZE];
static int lut_ready;

static uint32_t lut_color(float t) {
    if (!lut_ready) {
        for (int k = 0; k < LUT_SIZE; k++) lut[k] = mosaic_color(2.0f * k / (LUT_SIZE - 1) - 1.0f);
        lut_ready = 1;
    }
    if (!(t > -1.0f)) t = -1.0f; /* also catches NaN */
    if (t > 1.0f) t = 1.0f;
    return lut[(int)((t + 1.0f) * 0.5f * (LUT_SIZE - 1) + 0.5f)];
}

static int grid_cols(int n) {
    return n > 0 ? (int)ceil(sqrt((double)n)) : 1;
}

int mosaic_reduce_for(int n, int shown_w) {
    int full_w = grid_cols(n) * (TILE + GAP) - GAP;
    return (shown_w > 0 && shown_w < full_w * 6 / 10) ? 2 : 1;
}

/* Panel geometry shared by mosaic_grid_compute and mosaic_draw. */
#define PAD_PT 10
#define TITLE_PT 32

/* The legend line's text top (pixels) in a panel of `area`. */
static int legend_text_y(SDL_Rect area, float s, int small_h) {
    int pad = (int)(PAD_PT * s), lh = (int)(8 * s);
    int ly = area.y + area.h - pad - small_h / 2 - lh / 2;
    return ly + lh / 2 - small_h / 2;
}

mosaic_grid mosaic_grid_compute(SDL_Rect area, float s, int small_h, int n, int reduce) {
    mosaic_grid g;
    memset(&g, 0, sizeof g);
    if (reduce < 1) reduce = 1;
    g.n = n > 0 ? n : 0;
    g.tile = TILE / reduce;
    g.gap = GAP;
    g.cols = grid_cols(n);
    g.rows = n > 0 ? (n + g.cols - 1) / g.cols : 0;
    g.tex_w = g.cols * (g.tile + GAP) - GAP;
    g.tex_h = g.rows * (g.tile + GAP) - GAP;
    int pad = (int)(PAD_PT * s), th = (int)(TITLE_PT * s);
    int ty = legend_text_y(area, s, small_h);
    SDL_Rect box = {area.x + pad, area.y + th, area.w - 2 * pad, ty - (int)(6 * s) - (area.y + th)};
    if (box.w <= 0 || box.h <= 0 || g.tex_w <= 0 || g.tex_h <= 0) return g;
    float k = fminf((float)box.w / g.tex_w, (float)box.h / g.tex_h);
    g.rect = (SDL_Rect){0, 0, (int)(g.tex_w * k), (int)(g.tex_h * k)};
    g.rect.x = box.x + (box.w - g.rect.w) / 2;
    g.rect.y = box.y + (box.h - g.rect.h) / 2;
    return g;
}

SDL_Rect mosaic_grid_tile(const mosaic_grid *g, int j) {
    SDL_Rect r = {0, 0, 0, 0};
    if (j < 0 || j >= g->n || g->tex_w <= 0 || g->tex_h <= 0) return r;
    double kx = (double)g->rect.w / g->tex_w, ky = (double)g->rect.h / g->tex_h;
    int tx = (j % g->cols) * (g->tile + g->gap), ty = (j / g->cols) * (g->tile + g->gap);
    r.x = g->rect.x + (int)floor(tx * kx + 0.5);
    r.y = g->rect.y + (int)floor(ty * ky + 0.5);
    r.w = g->rect.x + (int)floor((tx + g->tile) * kx + 0.5) - r.x;
    r.h = g->rect.y + (int)floor((ty + g->tile) * ky + 0.5) - r.y;
    return r;
}

int mosaic_grid_hit(const mosaic_grid *g, float px, float py) {
    if (g->rect.w <= 0 || g->rect.h <= 0 || !rect_contains_f(g->rect, px, py)) return -1;
    /* texel coordinates; each tile owns its texels and half of each gap */
    double tx = (px - g->rect.x) * (double)g->tex_w / g->rect.w + 0.5 * g->gap;
    double ty = (py - g->rect.y) * (double)g->tex_h / g->rect.h + 0.5 * g->gap;
    int c = (int)(tx / (g->tile + g->gap)), r = (int)(ty / (g->tile + g->gap));
    if (c >= g->cols) c = g->cols - 1;
    if (r >= g->rows) r = g->rows - 1;
    int j = r * g->cols + c;
    return j < g->n ? j : -1;
}

static int ensure_texture(mosaic *mo, SDL_Renderer *r, int n, int reduce) {
    if (mo->tex && mo->n == n && mo->reduce == reduce) return 0;
    mosaic_free(mo);
    int ts = TILE / reduce;
    mo->n = n;
    mo->reduce = reduce;
    mo->cols = grid_cols(n);
    mo->rows = (n + mo->cols - 1) / mo->cols;
    mo->tex_w = mo->cols * (ts + GAP) - GAP;
    mo->tex_h = mo->rows * (ts + GAP) - GAP;
    mo->pix = malloc((size_t)mo->tex_w * mo->tex_h * sizeof *mo->pix);
    mo->inv = malloc((size_t)n * sizeof *mo->inv);
    mo->acc = malloc((size_t)n * ts * ts * sizeof *mo->acc);
    mo->tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, mo->tex_w,
                                mo->tex_h);
    if (!mo->pix || !mo->inv || !mo->acc || !mo->tex) {
        mosaic_free(mo);
        return -1;
    }
    SDL_SetTextureScaleMode(mo->tex, SDL_ScaleModeLinear);
    return 0;
}

int mosaic_update(mosaic *mo, SDL_Renderer *r, const dp_mlp *m, int shown_w) {
    mo->valid = 0;
    if (m->n_in != TILE * TILE) return -1;
    int n = m->n_hidden;
    int reduce = mosaic_reduce_for(n, shown_w);
    if (ensure_texture(mo, r, n, reduce) != 0) return -1;
    int ts = TILE / reduce, tt = ts * ts;
    /* inv[j] = 1 / (2.5 x RMS of unit j's incoming weights); acc[j][py][px]
     * sums the scaled weights that fall into texel (px,py) of tile j. */
    float *inv = mo->inv, *acc = mo->acc;
    memset(inv, 0, (size_t)n * sizeof *inv);
    memset(acc, 0, (size_t)n * tt * sizeof *acc);
    for (int i = 0; i < m->n_in; i++) {
        const float *row = m->W1 + (size_t)i * n; /* W1 is n_in x n_hidden */
        for (int j = 0; j < n; j++) inv[j] += row[j] * row[j];
    }
    for (int j = 0; j < n; j++) {
        float rms = sqrtf(inv[j] / (float)m->n_in);
        inv[j] = rms > 0 ? 1.0f / (2.5f * rms * (float)(reduce * reduce)) : 0.0f;
    }
    /* Blocks of 16 units: one cache line of each W1 row, and their tiles
     * (16 x tt floats) stay in L1 while all 784 rows pass. */
    for (int j0 = 0; j0 < n; j0 += 16) {
        int j1 = j0 + 16 < n ? j0 + 16 : n;
        for (int i = 0; i < m->n_in; i++) {
            const float *row = m->W1 + (size_t)i * n;
            int texel = (i / TILE / reduce) * ts + (i % TILE) / reduce;
            for (int j = j0; j < j1; j++) acc[(size_t)j * tt + texel] += row[j] * inv[j];
        }
    }
    uint32_t bg =
        0xff000000u | (uint32_t)THEME_PANEL.r << 16 | (uint32_t)THEME_PANEL.g << 8 | THEME_PANEL.b;
    for (size_t k = 0; k < (size_t)mo->tex_w * mo->tex_h; k++) mo->pix[k] = bg;
    for (int j = 0; j < n; j++) {
        int tx = (j % mo->cols) * (ts + GAP), ty = (j / mo->cols) * (ts + GAP);
        for (int k = 0; k < tt; k++)
            mo->pix[(size_t)(ty + k / ts) * mo->tex_w + tx + k % ts] =
                lut_color(acc[(size_t)j * tt + k]);
    }
    if (SDL_UpdateTexture(mo->tex, NULL, mo->pix, mo->tex_w * (int)sizeof *mo->pix) != 0) return -1;
    mo->valid = 1;
    mo->updated_ms = SDL_GetTicks();
    return 0;
}

/* The legend's colour ramp from -1 to +1 as a w x 1 texture, made when the
 * width changes. 0 on success. */
static int ensure_legend(mosaic *mo, SDL_Renderer *r, int w) {
    if (mo->legend && mo->legend_w == w) return 0;
    if (mo->legend) SDL_DestroyTexture(mo->legend);
    mo->legend_w = 0;
    mo->legend = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, w, 1);
    uint32_t *ramp = malloc((size_t)w * sizeof *ramp);
    if (!mo->legend || !ramp) {
        free(ramp);
        if (mo->legend) SDL_DestroyTexture(mo->legend);
        mo->legend = NULL;
        return -1;
    }
    for (int k = 0; k < w; k++) ramp[k] = mosaic_color(w > 1 ? 2.0f * k / (w - 1) - 1.0f : 0.0f);
    int rc = SDL_UpdateTexture(mo->legend, NULL, ramp, w * (int)sizeof *ramp);
    free(ramp);
    if (rc != 0) {
        SDL_DestroyTexture(mo->legend);
        mo->legend = NULL;
        return -1;
    }
    SDL_SetTextureScaleMode(mo->legend, SDL_ScaleModeNearest);
    mo->legend_w = w;
    return 0;
}

void mosaic_draw(mosaic *mo, SDL_Renderer *r, text *t, SDL_Rect area, float s, const char *subtitle,
                 const char *short_sub) {
    draw_panel(r, area);
    int pad = (int)(PAD_PT * s);
    text_draw(t, TEXT_TITLE, THEME_TEXT, area.x + pad, area.y + (int)(6 * s), ALIGN_LEFT,
              "First-layer weights");
    if (!mo->valid || !mo->tex) {
        text_draw(t, TEXT_NORMAL, THEME_DIM, area.x + area.w / 2, area.y + area.h / 2, ALIGN_CENTER,
                  "needs a network with 784 inputs");
        return;
    }
    char sub[64];
    if (!subtitle) {
        snprintf(sub, sizeof sub, "%d hidden units × 784 inputs", mo->n);
        subtitle = sub;
    }
    int title_w = text_width(t, TEXT_TITLE, "First-layer weights");
    if (short_sub && title_w + text_width(t, TEXT_SMALL, subtitle) + 3 * pad >= area.w)
        subtitle = short_sub;
    if (title_w + text_width(t, TEXT_SMALL, subtitle) + 3 * pad < area.w)
        text_draw(t, TEXT_SMALL, THEME_DIM, area.x + area.w - pad, area.y + (int)(10 * s),
                  ALIGN_RIGHT, subtitle);
    /* Legend: colour ramp from -1 to +1 at the bottom right. */
    int sh = text_height(t, TEXT_SMALL);
    int lw = (int)(110 * s), lh = (int)(8 * s);
    int lx = area.x + area.w - pad - text_width(t, TEXT_SMALL, "+") - (int)(6 * s) - lw;
    int ty = legend_text_y(area, s, sh);
    int ly = ty + sh / 2 - lh / 2;
    if (lw > 0 && ensure_legend(mo, r, lw) == 0)
        SDL_RenderCopy(r, mo->legend, NULL, &(SDL_Rect){lx, ly, lw, lh});
    const char *label = "weight (scaled per unit)   \xe2\x88\x92";
    if (text_width(t, TEXT_SMALL, label) > lx - area.x - 2 * pad) label = "\xe2\x88\x92";
    text_draw(t, TEXT_SMALL, THEME_DIM, lx - (int)(6 * s), ty, ALIGN_RIGHT, label);
    text_draw(t, TEXT_SMALL, THEME_DIM, lx + lw + (int)(6 * s), ty, ALIGN_LEFT, "+");
    mosaic_grid g = mosaic_grid_compute(area, s, sh, mo->n, mo->reduce);
    if (g.rect.w <= 0 || g.rect.h <= 0) return;
    SDL_RenderCopy(r, mo->tex, NULL, &g.rect);
}

void mosaic_free(mosaic *mo) {
    if (mo->tex) SDL_DestroyTexture(mo->tex);
    if (mo->legend) SDL_DestroyTexture(mo->legend);
    free(mo->pix);
    free(mo->inv);
    free(mo->acc);
    memset(mo, 0, sizeof *mo);
}
