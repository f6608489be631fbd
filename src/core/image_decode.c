/* Reading image files: the format is told from the first bytes, never from
 * the file name, and only the documented formats are decoded: PNG
 * (libpng), JPEG (libjpeg-turbo), BMP and binary PGM/PPM (image_bmp.c,
 * image_pnm.c). Other well-known formats are named in the error. */
#include "digitpad/image.h"
#include "image_codec.h"

#include "fileio.h"

#include <stdlib.h>
#include <string.h>

dp_status dp__image_check_size(const dp_image_src *src, uint64_t w, uint64_t h, dp_error *err) {
    if (w == 0 || h == 0)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: image has no pixels (%llux%llu)", src->name,
                            (unsigned long long)w, (unsigned long long)h);
    if (w > (uint64_t)src->max_side || h > (uint64_t)src->max_side)
        return dp_error_set(
            err, DP_ERR_RANGE, "%s: image is %llux%llu, larger than the %dx%d limit", src->name,
            (unsigned long long)w, (unsigned long long)h, src->max_side, src->max_side);
    return DP_OK;
}

static int starts_with(const dp_image_src *s, const void *magic, size_t n) {
    return s->len >= n && memcmp(s->buf, magic, n) == 0;
}

/* Formats people may try that are not read: named, so the message says
 * what to convert. */
static const char *unsupported_format(const dp_image_src *s) {
    if (starts_with(s, "#?RADIANCE", 10) || starts_with(s, "#?RGBE", 6))
        return "a Radiance HDR image";
    if (starts_with(s, "GIF8", 4)) return "a GIF image";
    if (starts_with(s, "II*\0", 4) || starts_with(s, "MM\0*", 4)) return "a TIFF image";
    if (s->len >= 12 && memcmp(s->buf, "RIFF", 4) == 0 && memcmp(s->buf + 8, "WEBP", 4) == 0)
        return "a WebP image";
    if (starts_with(s, "8BPS", 4)) return "a Photoshop (PSD) image";
    if (starts_with(s, "\0\0\1\0", 4)) return "a Windows icon (ICO)";
    if (s->len >= 2 && s->buf[0] == 'P' && strchr("12347", s->buf[1]) && s->buf[1] != '\0')
        return s->buf[1] == '7' ? "a PAM image (P7)"
                                : "an ASCII or 1-bit PNM image (P1-P4; binary P5/P6 are read)";
    return NULL;
}

dp_status dp__image_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err) {
    *pix = NULL;
    *w = *h = 0;
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const uint8_t jpeg_soi[3] = {0xff, 0xd8, 0xff};
    if (src->len == 0)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: empty file, not an image", src->name);
    dp_image_decoder dec = NULL;
    size_t n = src->len < sizeof png_sig ? src->len : sizeof png_sig;
    if (memcmp(src->buf, png_sig, n) == 0)
        dec = dp__png_decode; /* a PNG cut inside its signature still says "PNG" */
    else if (starts_with(src, jpeg_soi, sizeof jpeg_soi))
        dec = dp__jpeg_decode;
    else if (starts_with(src, "BM", 2))
        dec = dp__bmp_decode;
    else if (starts_with(src, "P5", 2) || starts_with(src, "P6", 2))
        dec = dp__pnm_decode;
    if (!dec) {
        const char *what = unsupported_format(src);
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: %s%s; the images read are PNG, JPEG, BMP and binary PGM/PPM",
                            src->name, what ? "not supported: " : "not an image this program reads",
                            what ? what : "");
    }
    dp_status st = dec(src, pix, w, h, err);
    if (st != DP_OK) {
        free(*pix);
        *pix = NULL;
        *w = *h = 0;
    }
    return st;
}

dp_status dp_image_decode_gray(const uint8_t *buf, size_t len, const char *name, uint8_t **pix,
                               int *w, int *h, dp_error *err) {
    if (!pix || !w || !h || (!buf && len))
        return dp_error_set(err, DP_ERR_ARG, "dp_image_decode_gray: NULL argument");
    const dp_image_src src = {buf, len, name ? name : "image data", DP_IMAGE_MAX_SIDE};
    return dp__image_decode(&src, pix, w, h, err);
}

dp_status dp_image_load_gray(const char *path, uint8_t **pix, int *w, int *h, dp_error *err) {
    if (!path || !pix || !w || !h)
        return dp_error_set(err, DP_ERR_ARG, "dp_image_load_gray: NULL argument");
    *pix = NULL;
    *w = *h = 0;
    uint8_t *buf = NULL;
    size_t len = 0;
    dp_status st = dp_io_read_file(path, DP_IMAGE_MAX_FILE, &buf, &len, err);
    if (st != DP_OK) return st;
    st = dp_image_decode_gray(buf, len, path, pix, w, h, err);
    free(buf);
    return st;
}
