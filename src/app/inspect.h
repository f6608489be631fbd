/* "Look inside the network": the state behind the activation mosaic, the
 * unit inspector, "why this digit", the saliency overlay and the equations
 * panel. Every number comes from the core (digitpad/explain.h); this module
 * keeps the numbers for the current drawing and the textures made from
 * them, and is updated once per change (inspect_compute, inspect_select),
 * never while drawing. The views (inspector.c, why_view.c, saliency.c,
 * equations_view.c, mosaic_activity.c) only read it. */
#ifndef DIGITPAD_APP_INSPECT_H
#define DIGITPAD_APP_INSPECT_H

#include <SDL.h>

#include "digitpad/explain.h"
#include "digitpad/mlp.h"
#include "digitpad/preprocess.h"
#include "layout.h"
#include "mosaic.h"

/* The panel open over the prediction and training columns. */
typedef enum detail_view {
    DETAIL_NONE,
    DETAIL_UNIT,     /* unit inspector (click a tile, arrow keys) */
    DETAIL_WHY,      /* why this digit (W) */
    DETAIL_EQUATIONS /* the paper's equations with the live numbers (E) */
} detail_view;

/* Terms each "why" row lists at most (fewer when the panel is narrow). */
#define WHY_TERMS 8

typedef struct inspect {
    /* Switches. */
    detail_view detail;
    int unit;     /* selected hidden unit (-1: none) */
    int act_mode; /* mosaic tiles scaled by their activation (M) */
    int saliency; /* gradient overlay on the canvas and the input (X) */

    /* The current drawing's numbers; valid = a drawing and a network with
     * 784 inputs and 10 outputs. */
    int valid;
    int n_hidden;
    dp_trace *trace;
    float act_max; /* the largest out1 */
    dp_unit_view uv;
    int uv_valid;
    float contrib[DP_MNIST_PIXELS]; /* x * W1[:, unit] */
    float contrib_max;              /* max |contrib| (the map's colour scale) */
    float w_rms;                    /* RMS of W1[:, unit] (the weight image's scale) */
    float w2[DP_MNIST_CLASSES];     /* W2[unit, :] */
    int why_n;                      /* terms the rows list */
    dp_logit_why why_top, why_second, why_diff;
    /* Saliency: d(net2_top - net2_second)/dx on the input and carried back
     * to the canvas (canvas_w x canvas_h); grad_max is the colour scale. */
    float grad_input[DP_MNIST_PIXELS];
    float *grad_canvas;
    int canvas_w, canvas_h;
    float grad_max, grad_canvas_max;
    int grad_valid;

    /* Textures (28x28 unless said otherwise), made in inspect_init. */
    SDL_Texture *weights_tex, *contrib_tex; /* inspector images */
    SDL_Texture *sal_input_tex;             /* 28x28: the input with the overlay */
    SDL_Texture *sal_canvas_tex;            /* canvas_w x canvas_h: the canvas with it */
    SDL_Texture *legend_tex;                /* 64 x 1 diverging ramp */

    /* Where the mosaic's tiles are (pixels), for the hit test and overlays. */
    mosaic_grid grid;
} inspect;

int inspect_init(inspect *in, SDL_Renderer *r, int canvas_w, int canvas_h);
void inspect_free(inspect *in);

/* Recompute everything for network input x (valid = 0: no drawing) made
 * from the canvas cells (canvas_w x canvas_h) through map; why_n terms per
 * "why" row. Also refreshes the selected unit (inspect_select). */
void inspect_compute(inspect *in, const dp_mlp *m, const float *x, int valid, const float *canvas,
                     const dp_input_map *map, int why_n);
/* Select unit j (-1: none) and recompute its numbers and images for x. */
void inspect_select(inspect *in, const dp_mlp *m, const float *x, int j);
/* Arrow keys: move the selection by (dx, dy) tiles on the grid, clamped;
 * with nothing selected, the unit that fires most (or unit 0). Returns the
 * new unit. */
int inspect_step(const inspect *in, int dx, int dy);

/* v with `decimals` decimals and a real minus sign (U+2212), "+" in front
 * of positive values if plus; "-0.00" comes out as "0.00". buf gets at
 * least 32 bytes. */
void inspect_fmt(char *buf, size_t len, int decimals, int plus, double v);

/* The diverging colour of t in [-1, 1] with alpha for an overlay. */
uint32_t inspect_overlay_color(float t);

/* Detail panel and, while it is open, where the compact prediction goes. */
typedef struct detail_layout {
    SDL_Rect panel;                /* over the prediction and training columns */
    SDL_Rect full;                 /* all of both columns (the equations) */
    SDL_Rect preview, digit, bars; /* compact prediction under the panel */
} detail_layout;

void inspect_detail_layout(const layout *l, detail_layout *out);

#endif
