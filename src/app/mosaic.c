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

static int ensure_texture(mosaic *mo, SDL_Renderer *r, int n, int reduce) {
    if (mo->tex && mo->n == n && mo->reduce == reduce) return 0;
    mosaic_free(mo);
    int ts = TILE / reduce;
    mo->n = n;
    mo->reduce = reduce;
    mo->cols = (int)ceil(sqrt((double)n));
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
    int cols = (int)ceil(sqrt((double)n));
    int full_w = cols * (TILE + GAP) - GAP;
    int reduce = (shown_w > 0 && shown_w < full_w * 6 / 10) ? 2 : 1;
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

void mosaic_draw(mosaic *mo, SDL_Renderer *r, text *t, SDL_Rect area, float s) {
    draw_panel(r, area);
    int pad = (int)(10 * s);
    text_draw(t, TEXT_TITLE, THEME_TEXT, area.x + pad, area.y + (int)(6 * s), ALIGN_LEFT,
              "First-layer weights");
    int th = (int)(32 * s);
    if (!mo->valid || !mo->tex) {
        text_draw(t, TEXT_NORMAL, THEME_DIM, area.x + area.w / 2, area.y + area.h / 2, ALIGN_CENTER,
                  "needs a network with 784 inputs");
        return;
    }
    char sub[64];
    snprintf(sub, sizeof sub, "%d hidden units × 784 inputs", mo->n);
    int title_w = text_width(t, TEXT_TITLE, "First-layer weights");
    if (title_w + text_width(t, TEXT_SMALL, sub) + 3 * pad < area.w)
        text_draw(t, TEXT_SMALL, THEME_DIM, area.x + area.w - pad, area.y + (int)(10 * s),
                  ALIGN_RIGHT, sub);
    /* Legend: colour ramp from -1 to +1 at the bottom right. */
    int sh = text_height(t, TEXT_SMALL);
    int lw = (int)(110 * s), lh = (int)(8 * s);
    int lx = area.x + area.w - pad - text_width(t, TEXT_SMALL, "+") - (int)(6 * s) - lw;
    int ly = area.y + area.h - pad - sh / 2 - lh / 2;
    if (lw > 0 && ensure_legend(mo, r, lw) == 0)
        SDL_RenderCopy(r, mo->legend, NULL, &(SDL_Rect){lx, ly, lw, lh});
    int ty = ly + lh / 2 - sh / 2;
    const char *label = "weight (scaled per unit)   \xe2\x88\x92";
    if (text_width(t, TEXT_SMALL, label) > lx - area.x - 2 * pad) label = "\xe2\x88\x92";
    text_draw(t, TEXT_SMALL, THEME_DIM, lx - (int)(6 * s), ty, ALIGN_RIGHT, label);
    text_draw(t, TEXT_SMALL, THEME_DIM, lx + lw + (int)(6 * s), ty, ALIGN_LEFT, "+");
    SDL_Rect box = {area.x + pad, area.y + th, area.w - 2 * pad, ty - (int)(6 * s) - (area.y + th)};
    if (box.w <= 0 || box.h <= 0) return;
    float k = fminf((float)box.w / mo->tex_w, (float)box.h / mo->tex_h);
    SDL_Rect dst = {0, 0, (int)(mo->tex_w * k), (int)(mo->tex_h * k)};
    dst.x = box.x + (box.w - dst.w) / 2;
    dst.y = box.y + (box.h - dst.h) / 2;
    SDL_RenderCopy(r, mo->tex, NULL, &dst);
}

void mosaic_free(mosaic *mo) {
    if (mo->tex) SDL_DestroyTexture(mo->tex);
    if (mo->legend) SDL_DestroyTexture(mo->legend);
    free(mo->pix);
    free(mo->inv);
    free(mo->acc);
    memset(mo, 0, sizeof *mo);
}
