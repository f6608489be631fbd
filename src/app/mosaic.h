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

/* Where the tiles go on screen: computed by one pure function, so drawing,
 * the mouse hit test and the `mosaic` verbose line agree. */
typedef struct mosaic_grid {
    SDL_Rect rect;     /* the tiles' rectangle in pixels (empty if nothing fits) */
    int cols, rows, n; /* tiles; tile j is at column j % cols, row j / cols */
    int tile, gap;     /* texels per tile side and between tiles */
    int tex_w, tex_h;  /* texels of the whole grid */
} mosaic_grid;

/* Texels per tile are 28 / reduce; mosaic_update's choice of reduce for n
 * tiles shown shown_w pixels wide. */
int mosaic_reduce_for(int n, int shown_w);
/* The grid of n tiles inside the mosaic panel `area` (pixels) at
 * pixels-per-point scale s, with small_h the height of the small text (the
 * legend line under the tiles). */
mosaic_grid mosaic_grid_compute(SDL_Rect area, float s, int small_h, int n, int reduce);
/* Pixel rectangle of tile j. */
SDL_Rect mosaic_grid_tile(const mosaic_grid *g, int j);
/* The unit whose tile is under pixel (px, py), or -1 (outside the grid, or
 * past the last tile). A pixel between two tiles belongs to the nearer one. */
int mosaic_grid_hit(const mosaic_grid *g, float px, float py);

/* Rebuild the texture from m's W1 (n_in must be 784). When the mosaic is
 * shown less than about 60% of full size (shown_w pixels wide), tiles are
 * box-filtered to 14x14 first, which looks cleaner than letting the GPU
 * skip texels. 0 on success. */
int mosaic_update(mosaic *mo, SDL_Renderer *r, const dp_mlp *m, int shown_w);
/* Draws the panel, tiles where mosaic_grid_compute puts them; subtitle (if
 * not NULL) replaces the "N hidden units" text, short_sub (if not NULL) is
 * shown instead when subtitle does not fit. */
void mosaic_draw(mosaic *mo, SDL_Renderer *r, text *t, SDL_Rect area, float scale,
                 const char *subtitle, const char *short_sub);
void mosaic_free(mosaic *mo);
/* Diverging colour for t in [-1, 1], as 0xAARRGGBB. */
uint32_t mosaic_color(float t);

#endif
