/* Grayscale image files through stb_image / stb_image_write (the Debian
 * libstb shared library provides the implementations). */
#include "digitpad/image.h"

#include "digitpad/fileio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <stb_image.h>
#include <stb_image_write.h>

#define SIDE 28

static const char *stb_reason(void) {
    const char *r = stbi_failure_reason();
    return r ? r : "unknown reason";
}

static dp_status too_large(const char *path, int w, int h, dp_error *err) {
    return dp_error_set(err, DP_ERR_RANGE, "%s: image is %dx%d, larger than the %dx%d limit", path,
                        w, h, DP_IMAGE_MAX_SIDE, DP_IMAGE_MAX_SIDE);
}

dp_status dp_image_load_gray(const char *path, uint8_t **pix, int *w, int *h, dp_error *err) {
    if (!path || !pix || !w || !h)
        return dp_error_set(err, DP_ERR_ARG, "dp_image_load_gray: NULL argument");
    *pix = NULL;
    *w = *h = 0;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return dp_error_set(err, errno == ENOENT ? DP_ERR_NOT_FOUND : DP_ERR_IO,
                            "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode)) return dp_error_set(err, DP_ERR_IO, "%s: not a regular file", path);
    /* Check the size from the header before stb allocates the pixels. */
    int iw = 0, ih = 0, comp = 0;
    if (!stbi_info(path, &iw, &ih, &comp))
        return dp_error_set(err, DP_ERR_FORMAT, "%s: not a readable image (stb_image: %s)", path,
                            stb_reason());
    if (iw < 1 || ih < 1 || iw > DP_IMAGE_MAX_SIDE || ih > DP_IMAGE_MAX_SIDE)
        return too_large(path, iw, ih, err);
    unsigned char *data = stbi_load(path, &iw, &ih, &comp, 1);
    if (!data)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: cannot decode image (stb_image: %s)", path,
                            stb_reason());
    if (iw < 1 || ih < 1 || iw > DP_IMAGE_MAX_SIDE || ih > DP_IMAGE_MAX_SIDE) {
        stbi_image_free(data); /* the file changed between the two reads */
        return too_large(path, iw, ih, err);
    }
    size_t n = (size_t)iw * (size_t)ih;
    uint8_t *copy = malloc(n); /* plain malloc so the caller can free() it */
    if (!copy) {
        stbi_image_free(data);
        return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    memcpy(copy, data, n);
    stbi_image_free(data);
    *pix = copy;
    *w = iw;
    *h = ih;
    return DP_OK;
}

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
