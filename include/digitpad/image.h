/* Image files for predict/export: reading PNG, JPEG, BMP and binary
 * PGM/PPM (told apart by their first bytes), writing PNG. */
#ifndef DIGITPAD_IMAGE_H
#define DIGITPAD_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest width/height accepted when reading an image. */
#define DP_IMAGE_MAX_SIDE 8192

/* Largest image file read (a 16-bit PPM at the side limit is 402 MB). */
#define DP_IMAGE_MAX_FILE ((uint64_t)512 << 20)

/* Read an image file as 8-bit grayscale; *pix is malloc'ed (w*h bytes, top
 * row first). The format comes from the content, not the name:
 *   PNG (any bit depth, palette, alpha ignored; libpng),
 *   JPEG (baseline and progressive, grayscale or YCbCr; libjpeg-turbo),
 *   BMP (uncompressed 1/4/8-bit palette, 16/24/32-bit, bottom-up or top-down),
 *   PGM/PPM binary (P5/P6, maxval up to 65535).
 * Colour becomes luma (0.299 R + 0.587 G + 0.114 B). Errors: DP_ERR_FORMAT
 * (not an image, damaged, an unsupported format: the message says which),
 * DP_ERR_TRUNCATED, DP_ERR_RANGE (larger than DP_IMAGE_MAX_SIDE), DP_ERR_IO,
 * DP_ERR_NOT_FOUND. */
dp_status dp_image_load_gray(const char *path, uint8_t **pix, int *w, int *h, dp_error *err);
/* The same from len bytes in memory; name is used in messages (may be NULL). */
dp_status dp_image_decode_gray(const uint8_t *buf, size_t len, const char *name, uint8_t **pix,
                               int *w, int *h, dp_error *err);

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
