/* The app's side of "look inside the network" (inspect.h): keeps the
 * numbers in step with the drawing, the weights and the layout, handles the
 * keys and clicks, prints the verbose lines
 *   mosaic X Y W H COLS ROWS    (tile grid in window points, per layout change)
 *   active N
 *   logits l0 ... l9
 *   unit J net N act A bias B sum S
 *   why K LOGIT B2 REST j1:v1 j2:v2 ...
 * (one per change) and draws the views. */
#ifndef DIGITPAD_APP_APP_INSPECT_H
#define DIGITPAD_APP_APP_INSPECT_H

#include "input.h"

struct app;

int app_inspect_init(struct app *a);
void app_inspect_free(struct app *a);
/* After the prediction: input_changed = the network input or the weights
 * changed since the last call; log = the predict line was printed, so the
 * numbers' lines follow (the same rule: a training snapshot alone prints
 * them only when the answer changes, so each logits line belongs to the
 * predict line before it). */
void app_inspect_update(struct app *a, int input_changed, int log);
/* M, W, X, E, arrows, and a click outside the canvas: 1 if handled. */
int app_inspect_command(struct app *a, const command *c);
/* Esc: close the open panel; 1 if there was one. */
int app_inspect_escape(struct app *a);
/* A panel is open over the prediction and training columns ... */
int app_inspect_panel_open(const struct app *a);
/* ... and it covers them entirely (no prediction, no mosaic under it). */
int app_inspect_covers_all(const struct app *a);
/* Drawing (reads only). */
/* The canvas with the saliency overlay; 0 if there is none (draw it plainly). */
int app_inspect_draw_canvas(struct app *a);
void app_inspect_draw_input(struct app *a, SDL_Rect preview); /* over the input */
void app_inspect_draw_mosaic(struct app *a);                  /* mosaic with activations */
void app_inspect_draw_panel(struct app *a);                   /* the open panel */
/* The prediction in its compact form under the open panel (nothing when
 * the panel covers it). */
void app_inspect_draw_prediction(struct app *a);

#endif
