/* A small strict BMP decoder: Windows BMP with a BITMAPCOREHEADER (12
 * bytes) or a BITMAPINFOHEADER and its later versions (40, 52, 56, 108, 124
 * bytes), uncompressed (BI_RGB) at 1, 4, 8 (palette), 16, 24 or 32 bits, or
 * BI_BITFIELDS / BI_ALPHABITFIELDS at 16 or 32 bits; rows bottom-up
 * (positive height) or top-down (negative height). RLE, JPEG and PNG inside
 * BMP are refused. Every offset and size is checked against the buffer
 * before it is used; alpha is ignored. */
#include "image_codec.h"

#include <stdlib.h>
#include <string.h>

enum {
    FILE_HEADER = 14,
    BI_RGB = 0,
    BI_RLE8 = 1,
    BI_RLE4 = 2,
    BI_BITFIELDS = 3,
    BI_JPEG = 4,
    BI_PNG = 5,
    BI_ALPHABITFIELDS = 6
};

static uint32_t le16(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One colour channel given by a bit mask: value = (px & mask) >> shift,
 * scaled from 0..max to 0..255. */
typedef struct channel {
    uint32_t mask, max;
    int shift;
} channel;

static int channel_init(channel *c, uint32_t mask) {
    if (mask == 0) return 0;
    c->mask = mask;
    c->shift = 0;
    while (!(mask >> c->shift & 1u)) c->shift++;
    c->max = mask >> c->shift;
    return (c->max & (c->max + 1)) == 0; /* contiguous bits only */
}

static unsigned channel_value(const channel *c, uint32_t px) {
    uint32_t v = (px & c->mask) >> c->shift;
    return (unsigned)(((uint64_t)v * 255u + c->max / 2) / c->max);
}

typedef struct bmp_info {
    int64_t w, h; /* h: absolute value */
    int top_down;
    unsigned bpp, compression, palette_entries, palette_stride;
    size_t palette_at, data_at;
    channel rgb[3];
} bmp_info;

static dp_status bad(const dp_image_src *s, const char *what, dp_error *err) {
    return dp_error_set(err, DP_ERR_FORMAT, "%s: not a valid BMP: %s", s->name, what);
}

static dp_status cut(const dp_image_src *s, const char *what, dp_error *err) {
    return dp_error_set(err, DP_ERR_TRUNCATED, "%s: BMP ends early: %s", s->name, what);
}

static dp_status parse_header(const dp_image_src *s, bmp_info *b, dp_error *err) {
    const uint8_t *p = s->buf;
    if (s->len < FILE_HEADER + 4) return cut(s, "no room for its headers", err);
    const uint32_t data_at = le32(p + 10), hsize = le32(p + FILE_HEADER);
    if (hsize != 12 && hsize != 40 && hsize != 52 && hsize != 56 && hsize != 108 && hsize != 124)
        return bad(s, "unknown header size", err);
    if (s->len < FILE_HEADER + (size_t)hsize) return cut(s, "no room for its headers", err);
    const uint8_t *d = p + FILE_HEADER;
    int64_t h;
    unsigned planes;
    if (hsize == 12) {
        b->w = le16(d + 4);
        h = le16(d + 6);
        planes = le16(d + 8);
        b->bpp = le16(d + 10);
        b->compression = BI_RGB;
        b->palette_stride = 3;
        b->palette_entries = 0;
    } else {
        b->w = (int32_t)le32(d + 4);
        h = (int32_t)le32(d + 8);
        planes = le16(d + 12);
        b->bpp = le16(d + 14);
        b->compression = le32(d + 16);
        b->palette_stride = 4;
        b->palette_entries = le32(d + 32);
    }
    if (planes != 1) return bad(s, "plane count is not 1", err);
    if (b->w < 0) return bad(s, "negative width", err);
    b->top_down = h < 0;
    b->h = h < 0 ? -h : h; /* int32 widened first: no overflow for INT32_MIN */
    dp_status st = dp__image_check_size(s, (uint64_t)b->w, (uint64_t)b->h, err);
    if (st != DP_OK) return st;
    if (b->compression == BI_RLE8 || b->compression == BI_RLE4)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: not supported: an RLE-compressed BMP (save it uncompressed)",
                            s->name);
    if (b->compression == BI_JPEG || b->compression == BI_PNG)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: not supported: a BMP holding a JPEG or PNG",
                            s->name);
    const unsigned bpp = b->bpp;
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        return bad(s, "bits per pixel not 1, 4, 8, 16, 24 or 32", err);
    uint32_t masks[3] = {0, 0, 0};
    size_t after = FILE_HEADER + hsize;
    if (b->compression == BI_BITFIELDS || b->compression == BI_ALPHABITFIELDS) {
        if (bpp != 16 && bpp != 32) return bad(s, "bit fields at other than 16 or 32 bits", err);
        const uint8_t *m = d + 40;
        if (hsize == 40) { /* the masks follow the header */
            size_t n = b->compression == BI_ALPHABITFIELDS ? 16 : 12;
            if (s->len < after + n) return cut(s, "no room for its bit masks", err);
            m = p + after;
            after += n;
        }
        for (int k = 0; k < 3; k++) masks[k] = le32(m + 4 * k);
    } else if (b->compression != BI_RGB) {
        return bad(s, "unknown compression", err);
    } else if (bpp == 16) {
        masks[0] = 0x7c00u, masks[1] = 0x03e0u, masks[2] = 0x001fu;
    } else if (bpp == 32) {
        masks[0] = 0xff0000u, masks[1] = 0xff00u, masks[2] = 0xffu;
    }
    if (bpp == 16 || bpp == 32)
        for (int k = 0; k < 3; k++) {
            if (bpp == 16 && masks[k] > 0xffffu) return bad(s, "bit mask wider than a pixel", err);
            if (!channel_init(&b->rgb[k], masks[k]))
                return bad(s, "a colour bit mask is empty or not contiguous", err);
        }
    if (bpp <= 8) {
        const unsigned most = 1u << bpp;
        if (b->palette_entries == 0) b->palette_entries = most;
        if (b->palette_entries > most) return bad(s, "more palette entries than pixel values", err);
        b->palette_at = after;
        if (s->len < after || (s->len - after) / b->palette_stride < b->palette_entries)
            return cut(s, "no room for its palette", err);
        after += (size_t)b->palette_entries * b->palette_stride;
    }
    if (data_at < after) return bad(s, "pixel data overlaps its headers", err);
    b->data_at = data_at;
    return DP_OK;
}

static uint8_t palette_gray(const dp_image_src *s, const bmp_info *b, unsigned i) {
    const uint8_t *e = s->buf + b->palette_at + (size_t)i * b->palette_stride; /* B, G, R */
    return dp__luma(e[2], e[1], e[0]);
}

/* One row of pixels to gray; returns 0 if a pixel names a missing palette entry. */
static int convert_row(const dp_image_src *s, const bmp_info *b, const uint8_t *row, uint8_t *out) {
    const size_t W = (size_t)b->w;
    for (size_t x = 0; x < W; x++) {
        switch (b->bpp) {
        case 1:
        case 4:
        case 8: {
            const size_t bit = x * b->bpp;
            const unsigned i = (row[bit / 8] >> (8 - b->bpp - bit % 8)) & ((1u << b->bpp) - 1);
            if (i >= b->palette_entries) return 0;
            out[x] = palette_gray(s, b, i);
            break;
        }
        case 24:
            out[x] = dp__luma(row[3 * x + 2], row[3 * x + 1], row[3 * x]);
            break;
        default: {
            const uint32_t px = b->bpp == 16 ? le16(row + 2 * x) : le32(row + 4 * x);
            out[x] = dp__luma(channel_value(&b->rgb[0], px), channel_value(&b->rgb[1], px),
                              channel_value(&b->rgb[2], px));
        }
        }
    }
    return 1;
}

dp_status dp__bmp_decode(const dp_image_src *s, uint8_t **pix, int *w, int *h, dp_error *err) {
    bmp_info b;
    memset(&b, 0, sizeof b);
    dp_status st = parse_header(s, &b, err);
    if (st != DP_OK) return st;
    const size_t W = (size_t)b.w, H = (size_t)b.h;
    const size_t stride = (W * b.bpp + 31) / 32 * 4; /* rows padded to 4 bytes */
    if (b.data_at > s->len || (s->len - b.data_at) / stride < H)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: BMP ends early: %zux%zu pixels need %zu bytes of pixel data, "
                            "%zu are there",
                            s->name, W, H, stride * H,
                            s->len > b.data_at ? s->len - b.data_at : (size_t)0);
    uint8_t *out = malloc(W * H);
    if (!out) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", s->name);
    for (size_t y = 0; y < H; y++) {
        const size_t src_row = b.top_down ? y : H - 1 - y;
        if (!convert_row(s, &b, s->buf + b.data_at + src_row * stride, out + y * W)) {
            free(out);
            return bad(s, "a pixel refers to a palette entry it does not have", err);
        }
    }
    *pix = out;
    *w = (int)W;
    *h = (int)H;
    return DP_OK;
}
