/* PNG through libpng, from memory, converted by libpng itself to 8-bit
 * gray: 16-bit samples keep their high byte, palettes are expanded, colour
 * becomes BT.601 luma, alpha is dropped. Interlaced images are read whole. */
#include "image_codec.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PNG_CHUNK_MAX ((png_alloc_size_t)8 << 20) /* ancillary chunks (text, ICC) */

typedef struct png_ctx {
    const dp_image_src *src;
    size_t pos;
    jmp_buf jb;
    char msg[160];
    uint8_t *volatile pix; /* volatile: still valid after the longjmp */
    png_bytep *volatile rows;
} png_ctx;

static void read_cb(png_structp png, png_bytep out, size_t n) {
    png_ctx *c = png_get_io_ptr(png);
    if (n > c->src->len - c->pos) png_error(png, "the file ends early (it is cut off)");
    memcpy(out, c->src->buf + c->pos, n);
    c->pos += n;
}

static void error_cb(png_structp png, png_const_charp msg) {
    png_ctx *c = png_get_error_ptr(png);
    snprintf(c->msg, sizeof c->msg, "%s", msg && *msg ? msg : "libpng error");
    longjmp(c->jb, 1);
}

static void warning_cb(png_structp png, png_const_charp msg) {
    (void)png; /* damaged ancillary chunks are skipped by libpng; nothing to report */
    (void)msg;
}

/* Set libpng up to deliver 8-bit gray rows; returns the size check. */
static dp_status setup(png_ctx *c, png_structp png, png_infop info, int *w, int *h, dp_error *err) {
    png_read_info(png, info);
    const png_uint_32 pw = png_get_image_width(png, info), ph = png_get_image_height(png, info);
    dp_status st = dp__image_check_size(c->src, pw, ph, err);
    if (st != DP_OK) return st;
    const int type = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (depth == 16) png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    if (type & PNG_COLOR_MASK_COLOR)
        png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, 29900, 58700); /* BT.601 */
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_channels(png, info) != 1 || png_get_bit_depth(png, info) != 8 ||
        png_get_rowbytes(png, info) != (size_t)pw)
        png_error(png, "unexpected row layout after conversion to gray");
    *w = (int)pw;
    *h = (int)ph;
    return DP_OK;
}

dp_status dp__png_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err) {
    png_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &c, error_cb, warning_cb);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, NULL);
        return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", src->name);
    }
    dp_status st = DP_OK;
    if (setjmp(c.jb)) {
        free(c.pix);
        free(c.rows);
        png_destroy_read_struct(&png, &info, NULL);
        return dp_error_set(err, DP_ERR_FORMAT, "%s: not a valid PNG: %s", src->name, c.msg);
    }
    png_set_read_fn(png, &c, read_cb);
    png_set_chunk_malloc_max(png, PNG_CHUNK_MAX);
    st = setup(&c, png, info, w, h, err);
    if (st == DP_OK) {
        const size_t W = (size_t)*w, H = (size_t)*h;
        c.pix = malloc(W * H);
        c.rows = malloc(H * sizeof *c.rows);
        if (!c.pix || !c.rows) {
            st = dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory for a %zux%zu image", src->name,
                              W, H);
        } else {
            for (size_t y = 0; y < H; y++) c.rows[y] = c.pix + y * W;
            png_read_image(png, c.rows);
            png_read_end(png, NULL); /* checks the chunks after the image data too */
        }
    }
    free(c.rows);
    png_destroy_read_struct(&png, &info, NULL);
    if (st != DP_OK) {
        free(c.pix);
        return st;
    }
    *pix = c.pix;
    return DP_OK;
}
