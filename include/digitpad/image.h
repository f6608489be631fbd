/* Image files for predict/export (stb_image / stb_image_write). */
#ifndef DIGITPAD_IMAGE_H
#define DIGITPAD_IMAGE_H

#include <stdint.h>

#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest width/height accepted when reading an image. */
#define DP_IMAGE_MAX_SIDE 8192

/* Load PNG/JPEG/PGM/BMP... as 8-bit grayscale; *pix is malloc'ed (w*h). */
dp_status dp_image_load_gray(const char *path, uint8_t **pix, int *w, int *h, dp_error *err);

/* Turn a grayscale photo/scan into a network input: 28x28 floats in [0,1],
 * white digit on black. Dark-on-light images (mean above mid-grey) are
 * inverted; other sizes are area-resampled to 28x28. */
dp_status dp_image_to_input(const uint8_t *pix, int w, int h, float out[784]);

/* Write an 8-bit grayscale PNG atomically (temp file, fsync, rename). */
dp_status dp_png_write_gray(const char *path, const uint8_t *pix, int w, int h, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
