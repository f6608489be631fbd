/* S: write the canvas and the network's input as 28x28 PNGs (white digit on
 * black, like MNIST) named digitpad-YYYYmmdd-HHMMSS-canvas.png and
 * ...-input.png, never overwriting an existing file. */
#ifndef DIGITPAD_APP_EXPORT_H
#define DIGITPAD_APP_EXPORT_H

#include <stddef.h>

#include "digitpad/canvas.h"
#include "digitpad/mlp.h"
#include "digitpad/status.h"

/* Floats in [0,1] -> bytes 0..255. */
void export_to_bytes(const float *v, int n, unsigned char *out);

/* Writes both files into dir; fills canvas_path/input_path (size n each). */
dp_status export_pngs(const char *dir, const dp_canvas *c, const float input[DP_MNIST_PIXELS],
                      char *canvas_path, char *input_path, size_t n, dp_error *err);

#endif
