/* Turning a grayscale image into a network input, and writing PNGs with
 * stb_image_write (the Debian libstb shared library provides it). Reading
 * images is in image_decode.c. */
#include "digitpad/image.h"

#include "digitpad/fileio.h"

#include <stdlib.h>
#include <string.h>

#include <stb_image_write.h>

#define SIDE 28

/* Area resampling with exact integer coverage. Measured in 1/28 of a source
 * pixel, output cell ox spans [ox*w, ox*w + w) and source pixel sx spans
 * [28*sx, 28*sx + 28); their overlap is the weight. Per output cell the
 * weights sum to w (x) times h (y), so
 *   out[oy][ox] = sum v(sx,sy) * wx * wy / (255 * w * h)   in [0,1]. */
dp_status dp_image_to_input(const uint8_t *pix, int w, int h, float out[784]) {
    if (!pix || !out || w < 1 || h < 1 || w > DP_IMAGE_MAX_SIDE || h > DP_IMAGE_MAX_SIDE)
        return DP_ERR_ARG;
    const size_t n = (size_t)w * (size_t)h;
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += pix[i];
    const int invert = sum > 127u * (uint64_t)n; /* dark ink on light paper */
    const double scale = 1.0 / (255.0 * (double)w * (double)h);
    for (int oy = 0; oy < SIDE; oy++) {
        int64_t acc[SIDE] = {0};
        const int64_t y0 = (int64_t)oy * h, y1 = y0 + h;
        for (int64_t sy = y0 / SIDE; SIDE * sy < y1; sy++) {
            int64_t lo = y0 > SIDE * sy ? y0 : SIDE * sy;
            int64_t hi = y1 < SIDE * sy + SIDE ? y1 : SIDE * sy + SIDE;
            const int64_t wy = hi - lo;
            const uint8_t *row = pix + (size_t)sy * (size_t)w;
            for (int ox = 0; ox < SIDE; ox++) {
                const int64_t x0 = (int64_t)ox * w, x1 = x0 + w;
                int64_t s = 0;
                for (int64_t sx = x0 / SIDE; SIDE * sx < x1; sx++) {
                    int64_t l = x0 > SIDE * sx ? x0 : SIDE * sx;
                    int64_t r = x1 < SIDE * sx + SIDE ? x1 : SIDE * sx + SIDE;
                    int v = invert ? 255 - row[sx] : row[sx];
                    s += v * (r - l);
                }
                acc[ox] += s * wy;
            }
        }
        for (int ox = 0; ox < SIDE; ox++) out[oy * SIDE + ox] = (float)((double)acc[ox] * scale);
    }
    return DP_OK;
}

typedef struct membuf {
    uint8_t *data;
    size_t len, cap;
    int failed;
} membuf;

static void png_sink(void *ctx, void *data, int size) {
    membuf *b = ctx;
    if (b->failed || size <= 0) return;
    if (b->len + (size_t)size > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + (size_t)size) cap *= 2;
        uint8_t *nd = realloc(b->data, cap);
        if (!nd) {
            b->failed = 1;
            return;
        }
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, (size_t)size);
    b->len += (size_t)size;
}

dp_status dp_png_write_gray(const char *path, const uint8_t *pix, int w, int h, dp_error *err) {
    if (!path || !*path || !pix || w < 1 || h < 1 || w > DP_IMAGE_MAX_SIDE || h > DP_IMAGE_MAX_SIDE)
        return dp_error_set(err, DP_ERR_ARG, "dp_png_write_gray: bad arguments (%dx%d image)", w,
                            h);
    membuf b = {0};
    int ok = stbi_write_png_to_func(png_sink, &b, w, h, 1, pix, w);
    dp_status st;
    if (!ok || b.failed)
        st = dp_error_set(err, DP_ERR_NOMEM, "%s: could not encode the %dx%d PNG in memory", path,
                          w, h);
    else
        st = dp_write_file_atomic(path, b.data, b.len, err);
    free(b.data);
    return st;
}
