/* Why this digit: the logit of the top digit k and of the runner-up as
 *   net2_k = b2_k + sum_j out1_j * W2[j,k]
 * with the hidden units of the largest terms shown as their small weight
 * tiles with their values, the other units summed as "rest", so that each
 * row adds up to its logit; and the same for the difference of the two. */
#ifndef DIGITPAD_APP_WHY_VIEW_H
#define DIGITPAD_APP_WHY_VIEW_H

#include <SDL.h>

#include "inspect.h"
#include "mosaic.h"
#include "text.h"

/* How many terms a row fits in a panel area.w pixels wide. */
int why_view_terms(text *t, SDL_Rect area, float scale);
void why_view_draw(SDL_Renderer *r, text *t, SDL_Rect area, float scale, const inspect *in,
                   const mosaic *mo);

#endif
