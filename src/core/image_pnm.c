/* A small strict decoder for binary PGM (P5) and PPM (P6): header tokens
 * separated by whitespace and # comments, maxval 1..65535 (two bytes per
 * sample, big-endian, above 255), exactly one whitespace byte before the
 * samples, no sample above maxval. Numbers are parsed with an overflow
 * check; the raster's size is checked against the buffer before reading.
 * Only the first image of a multi-image file is read. */
#include "image_codec.h"

#include <stdlib.h>
#include <string.h>

#define PNM_MAX_NUMBER 1000000000u /* far above any side or maxval accepted */

static int is_space(uint8_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Next decimal number after whitespace and comments; 0 if there is none
 * or it exceeds PNM_MAX_NUMBER. */
static int next_number(const dp_image_src *s, size_t *pos, uint32_t *out) {
    size_t i = *pos;
    for (;;) {
        while (i < s->len && is_space(s->buf[i])) i++;
        if (i < s->len && s->buf[i] == '#') {
            while (i < s->len && s->buf[i] != '\n' && s->buf[i] != '\r') i++;
            continue;
        }
        break;
    }
    if (i >= s->len || s->buf[i] < '0' || s->buf[i] > '9') return 0;
    uint32_t v = 0;
    while (i < s->len && s->buf[i] >= '0' && s->buf[i] <= '9') {
        v = v * 10u + (uint32_t)(s->buf[i] - '0');
        if (v > PNM_MAX_NUMBER) return 0;
        i++;
    }
    *pos = i;
    *out = v;
    return 1;
}

dp_status dp__pnm_decode(const dp_image_src *s, uint8_t **pix, int *w, int *h, dp_error *err) {
    const int channels = s->buf[1] == '6' ? 3 : 1;
    const char *kind = channels == 3 ? "PPM" : "PGM";
    size_t pos = 2;
    uint32_t pw = 0, ph = 0, maxval = 0;
    if (pos >= s->len || !is_space(s->buf[pos]))
        return dp_error_set(err, DP_ERR_FORMAT, "%s: not a valid %s: no space after the magic",
                            s->name, kind);
    static const char *const what[3] = {"width", "height", "maximum value"};
    uint32_t *dst[3] = {&pw, &ph, &maxval};
    for (int k = 0; k < 3; k++)
        if (!next_number(s, &pos, dst[k]))
            return dp_error_set(err, pos >= s->len ? DP_ERR_TRUNCATED : DP_ERR_FORMAT,
                                "%s: not a valid %s: no %s in the header (or above %u)", s->name,
                                kind, what[k], PNM_MAX_NUMBER);
    dp_status st = dp__image_check_size(s, pw, ph, err);
    if (st != DP_OK) return st;
    if (maxval < 1 || maxval > 65535)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: not a valid %s: maximum value %u (must be 1-65535)", s->name, kind,
                            (unsigned)maxval);
    if (pos >= s->len || !is_space(s->buf[pos]))
        return dp_error_set(err, pos >= s->len ? DP_ERR_TRUNCATED : DP_ERR_FORMAT,
                            "%s: not a valid %s: no whitespace before the samples", s->name, kind);
    pos++;
    const size_t bytes = maxval > 255 ? 2 : 1, W = pw, H = ph;
    const size_t need = W * H * (size_t)channels * bytes;
    if (s->len - pos < need)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: %s ends early: %zux%zu pixels need %zu bytes of samples, %zu are "
                            "there",
                            s->name, kind, W, H, need, s->len - pos);
    uint8_t *out = malloc(W * H);
    if (!out) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", s->name);
    const uint8_t *p = s->buf + pos;
    for (size_t i = 0; i < W * H; i++) {
        unsigned v[3];
        for (int c = 0; c < channels; c++, p += bytes) {
            const uint32_t raw = bytes == 2 ? (uint32_t)p[0] << 8 | p[1] : p[0];
            if (raw > maxval) {
                free(out);
                return dp_error_set(err, DP_ERR_FORMAT,
                                    "%s: not a valid %s: a sample is %u, above the maximum %u",
                                    s->name, kind, (unsigned)raw, (unsigned)maxval);
            }
            v[c] = (unsigned)((raw * 255u + maxval / 2) / maxval);
        }
        out[i] = channels == 3 ? dp__luma(v[0], v[1], v[2]) : (uint8_t)v[0];
    }
    *pix = out;
    *w = (int)W;
    *h = (int)H;
    return DP_OK;
}
