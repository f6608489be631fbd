/* The first layer's weights as pictures: hidden unit j's n_in = 784
 * incoming weights W1[:, j] shown as a 28x28 tile in a diverging colour map
 * (blue negative, dark zero, orange positive; each tile scaled by its own
 * spread). All tiles live in ONE streaming texture, rebuilt when the weights
 * change, at most a few times a second. */
#ifndef DIGITPAD_APP_MOSAIC_H
#define DIGITPAD_APP_MOSAIC_H

#include <SDL.h>
#include <stdint.h>

#include "digitpad/mlp.h"
#include "text.h"

typedef struct mosaic {
    SDL_Texture *tex;
    uint32_t *pix;
    int tex_w, tex_h;
    int cols, rows, n; /* tiles */
    int reduce;        /* 1: 28x28 texels per tile, 2: 14x14 (box-filtered) */
    int valid;         /* the texture shows the current weights */
    uint32_t updated_ms;
    /* Scratch of mosaic_update, kept for the texture's shape: per-unit
     * scale (n) and accumulated texels (n x texels per tile). */
    float *inv, *acc;
    /* The colour ramp under the mosaic: legend_w x 1 texels, stretched. */
    SDL_Texture *legend;
    int legend_w;
} mosaic;

/* Rebuild the texture from m's W1 (n_in must be 784). When the mosaic is
 * shown less than about 60% of full size (shown_w pixels wide), tiles are
 * box-filtered to 14x14 first, which looks cleaner than letting the GPU
 * skip texels. 0 on success. */
int mosaic_update(mosaic *mo, SDL_Renderer *r, const dp_mlp *m, int shown_w);
void mosaic_draw(mosaic *mo, SDL_Renderer *r, text *t, SDL_Rect area, float scale);
void mosaic_free(mosaic *mo);
/* Diverging colour for t in [-1, 1], as 0xAARRGGBB. */
uint32_t mosaic_color(float t);

#endif
