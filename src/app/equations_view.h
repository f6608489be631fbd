/* The paper's equations with the live numbers: the forward pass with its
 * shapes,
 *   x (1x784) . W1 (784x800) + b1 -> net1 (1x800) -> r -> out1 (n of 800
 *   active) . W2 (800x10) + b2 -> net2 (1x10) -> s -> out2,
 * the current drawing's ten logits, their exponentials and sum, and the ten
 * probabilities (which add up to 1); and, once the trainer has run a batch,
 * that batch's backward pass: delta2 = out2 - y, delta1 = (delta2 . W2^T) *
 * r'(net1), the shapes and sizes of dL/dW1 and dL/dW2, and eta. */
#ifndef DIGITPAD_APP_EQUATIONS_VIEW_H
#define DIGITPAD_APP_EQUATIONS_VIEW_H

#include <SDL.h>

#include "digitpad/explain.h"
#include "inspect.h"
#include "text.h"

/* shape: the network (sizes); back: the last batch's backward view
 * (back->valid = 0: none yet); training: the trainer is running; momentum
 * of the step. */
void equations_view_draw(SDL_Renderer *r, text *t, SDL_Rect area, float scale, const inspect *in,
                         const dp_mlp *shape, const dp_backward_view *back, int training,
                         float momentum);

#endif
