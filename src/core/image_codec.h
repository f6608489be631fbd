/* Private pieces of the image decoders (src/core/image_*.c). Each decoder
 * reads one format from memory into a malloc'ed 8-bit grayscale image;
 * image_decode.c picks the decoder from the file's first bytes. */
#ifndef DIGITPAD_CORE_IMAGE_CODEC_H
#define DIGITPAD_CORE_IMAGE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/status.h"

/* What a decoder gets: the bytes, a name for messages, the largest side it
 * may accept. On success *pix holds w*h bytes, row-major, top row first. */
typedef struct dp_image_src {
    const uint8_t *buf;
    size_t len;
    const char *name;
    int max_side;
} dp_image_src;

typedef dp_status (*dp_image_decoder)(const dp_image_src *src, uint8_t **pix, int *w, int *h,
                                      dp_error *err);

dp_status dp__png_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err);
dp_status dp__jpeg_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err);
dp_status dp__bmp_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err);
dp_status dp__pnm_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err);

/* Decode with any side limit (the public functions use DP_IMAGE_MAX_SIDE;
 * the fuzz target a smaller one, to stay fast). */
dp_status dp__image_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err);

/* Sizes from a header: 0 on either side -> DP_ERR_FORMAT ("no pixels"),
 * above the limit -> DP_ERR_RANGE, else DP_OK. */
dp_status dp__image_check_size(const dp_image_src *src, uint64_t w, uint64_t h, dp_error *err);

/* Luma of an 8-bit RGB pixel, ITU-R BT.601 weights in 1/256 (as before,
 * when stb_image converted colour images). */
static inline uint8_t dp__luma(unsigned r, unsigned g, unsigned b) {
    return (uint8_t)((r * 77u + g * 150u + b * 29u) >> 8);
}

#endif
