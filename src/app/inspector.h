/* The unit inspector: hidden unit j's computation for the current drawing.
 * Its 784 incoming weights as a large 28x28 image, b1_j, net1_j and out1_j,
 * the contribution map x * W1[:,j] (which parts of the drawing push the unit
 * up or down) with its sum, and its 10 outgoing weights W2[j,:] as bars. */
#ifndef DIGITPAD_APP_INSPECTOR_H
#define DIGITPAD_APP_INSPECTOR_H

#include <SDL.h>

#include "inspect.h"
#include "text.h"

void inspector_draw(SDL_Renderer *r, text *t, SDL_Rect area, float scale, const inspect *in);

#endif
