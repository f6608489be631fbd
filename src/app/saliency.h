/* Saliency: d(net2_top - net2_runner-up)/dx as a diverging overlay on the
 * network input and, carried back through the preprocessing
 * (dp_input_map_pullback), on the canvas: orange where more ink would make
 * the answer more the top digit, blue where it would favour the runner-up.
 * A legend on the canvas names the two digits and the scale. */
#ifndef DIGITPAD_APP_SALIENCY_H
#define DIGITPAD_APP_SALIENCY_H

#include <SDL.h>

#include "canvas_view.h"
#include "inspect.h"
#include "text.h"

/* The canvas with the overlay (one opaque texture, cells and grid as
 * gray_view_draw draws them) and its legend; returns 0 and draws nothing
 * when the overlay is off, 1 otherwise. */
int saliency_draw_canvas(SDL_Renderer *r, text *t, SDL_Rect canvas, float scale, const inspect *in,
                         const gray_view *plain);
/* The network input with the overlay, over the preview. */
void saliency_draw_input(SDL_Renderer *r, SDL_Rect preview, const inspect *in);

#endif
