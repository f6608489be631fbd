#include "mosaic_activity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "theme.h"

/* Activation levels (out1 / max out1) are drawn in this many steps, one
 * batched SDL call each. */
#define LEVELS 16

void mosaic_activity_subtitle(const inspect *in, char *buf, size_t len, char *short_buf,
                              size_t short_len) {
    if (!in->valid) {
        snprintf(buf, len, "%d hidden units · draw to see them fire", in->n_hidden);
        snprintf(short_buf, short_len, "%d hidden units", in->n_hidden);
    } else {
        snprintf(buf, len, "%d of %d ReLUs fire · V: %s", in->trace->active, in->n_hidden,
                 in->act_mode ? "weights × activation" : "weights");
        snprintf(short_buf, short_len, "%d of %d fire", in->trace->active, in->n_hidden);
    }
}

static int level_of(float a, float amax) {
    if (!(a > 0.0f) || !(amax > 0.0f)) return 0;
    int k = 1 + (int)((LEVELS - 1) * a / amax);
    return k > LEVELS - 1 ? LEVELS - 1 : k;
}

void mosaic_activity_draw(SDL_Renderer *r, const inspect *in, float s) {
    const mosaic_grid *g = &in->grid;
    if (g->rect.w <= 0 || g->n <= 0 || g->n != in->n_hidden) return;
    if (in->valid) {
        /* Tiles sorted by level (counting sort), then one call per level. */
        int n = g->n, count[LEVELS + 1] = {0};
        SDL_Rect *rects = malloc((size_t)n * sizeof *rects);
        int *lv = malloc((size_t)n * sizeof *lv);
        if (rects && lv) {
            for (int j = 0; j < n; j++)
                count[(lv[j] = level_of(in->trace->out1[j], in->act_max)) + 1]++;
            for (int k = 0; k < LEVELS; k++) count[k + 1] += count[k];
            int at[LEVELS];
            for (int k = 0; k < LEVELS; k++) at[k] = count[k];
            for (int j = 0; j < n; j++) rects[at[lv[j]]++] = mosaic_grid_tile(g, j);
            SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
            for (int k = 0; k < LEVELS; k++) {
                int first = count[k], cnt = count[k + 1] - count[k];
                if (cnt == 0) continue;
                float a = (float)k / (LEVELS - 1); /* activation / max */
                if (in->act_mode) {
                    /* colour x sqrt(a) (the tiles' colour map lifts small
                     * values alike): black at alpha 1 - sqrt(a) */
                    SDL_SetRenderDrawColor(r, 0, 0, 0, (Uint8)(255 * (1.0f - sqrtf(a)) * 0.95f));
                    SDL_RenderFillRects(r, rects + first, cnt);
                } else if (k == 0) {
                    SDL_SetRenderDrawColor(r, 0, 0, 0, 165); /* silent: dimmed */
                    SDL_RenderFillRects(r, rects + first, cnt);
                } else {
                    SDL_SetRenderDrawColor(r, 255, 255, 255, (Uint8)(70 + 185 * a));
                    SDL_RenderDrawRects(r, rects + first, cnt);
                }
            }
        }
        free(rects);
        free(lv);
    }
    if (in->unit >= 0 && in->unit < g->n) {
        SDL_Rect t = mosaic_grid_tile(g, in->unit);
        int b = (int)(2 * s) > 1 ? (int)(2 * s) : 1;
        for (int i = 1; i <= b + 1; i++)
            draw_frame(r, (SDL_Rect){t.x - i, t.y - i, t.w + 2 * i, t.h + 2 * i}, THEME_ACCENT);
    }
}
