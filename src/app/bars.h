/* The prediction: the big top digit (or "draw a digit", or an honest
 * "unsure: 4 or 9?") and ten labelled probability bars. */
#ifndef DIGITPAD_APP_BARS_H
#define DIGITPAD_APP_BARS_H

#include <SDL.h>

#include "predict.h"
#include "text.h"

void bars_draw_digit(SDL_Renderer *r, text *t, SDL_Rect area, const prediction *p, float scale);
void bars_draw(SDL_Renderer *r, text *t, SDL_Rect area, const prediction *p, float scale);

#endif
