/* The hidden activations on the weight mosaic: for the current drawing,
 * tiles of silent units (out1 = 0) dimmed and active ones outlined, brighter
 * the stronger they fire; or (M) every tile's colours scaled by its
 * activation ("weights x activation": by sqrt(out1 / max out1), in 16
 * steps, as the colour map itself lifts small weights). The selected unit
 * gets an accent frame. */
#ifndef DIGITPAD_APP_MOSAIC_ACTIVITY_H
#define DIGITPAD_APP_MOSAIC_ACTIVITY_H

#include <SDL.h>

#include "inspect.h"

/* Draw over the tiles (after mosaic_draw). */
void mosaic_activity_draw(SDL_Renderer *r, const inspect *in, float scale);
/* The mosaic's subtitle, "312 of 800 ReLUs fire · M: weights × activation",
 * and its short form "312 of 800 fire". */
void mosaic_activity_subtitle(const inspect *in, char *buf, size_t len, char *short_buf,
                              size_t short_len);

#endif
