#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const uint8_t *p, size_t n, uint32_t *cp) {
    const uint8_t c = p[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        len = 2, v = c & 0x1fu, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, v = c & 0x0fu, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0u) != 0x80u) return 0;
        v = v << 6 | (p[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
    *cp = v;
    return len;
}

char *cli_escape_text(const char *in, size_t len, char *out, size_t out_size) {
    if (out_size == 0) return out;
    const uint8_t *p = (const uint8_t *)in;
    const size_t n = strnlen(in, len);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t l = utf8_len(p + i, n - i, &cp);
        char piece[8];
        size_t plen;
        if (l == 0) {
            plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", p[i]);
            l = 1;
        } else if (cp < 0x20 || cp == 0x7f) {
            plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", (unsigned)cp);
        } else if (cp >= 0x80 && cp <= 0x9f) {
            plen = (size_t)snprintf(piece, sizeof piece, "\\u%04x", (unsigned)cp);
        } else if (cp == '\\') {
            plen = 2;
            memcpy(piece, "\\\\", 2);
        } else {
            plen = l;
            memcpy(piece, p + i, l);
        }
        if (o + plen + 1 > out_size) break;
        memcpy(out + o, piece, plen);
        o += plen;
        i += l;
    }
    out[o] = '\0';
    return out;
}
