/* Reading every accepted image format (PNG, JPEG, BMP, PGM/PPM) against
 * independent encoders (libpng's and libjpeg's writers, BMP and PNM bytes
 * built here), format detection by content, and the hostile files of
 * issue #11 that hung, crashed or were misread by stb_image. */
#include "digitpad/image.h"

#include "scratch.h"
#include "testutil.h"

#include <jpeglib.h>
#include <png.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[4096];

static const char *path_of(const char *name) {
    return dpt_path(dir, name);
}

/* The test picture: smooth enough for JPEG, with every grey level. */
static uint8_t ref_r(int x, int y) {
    return (uint8_t)(x * 9 + y * 2);
}
static uint8_t ref_g(int x, int y) {
    return (uint8_t)(255 - x * 3 - y * 5);
}
static uint8_t ref_b(int x, int y) {
    return (uint8_t)((x + y) * 4);
}
static uint8_t luma(unsigned r, unsigned g, unsigned b) {
    return (uint8_t)((r * 77u + g * 150u + b * 29u) >> 8);
}

enum { W = 23, H = 17 };

/* Decode from memory and compare with want (W x H) within tol. */
static void expect_image(int line, const uint8_t *buf, size_t len, const uint8_t *want, int tol) {
    uint8_t *pix = NULL;
    int w = 0, h = 0;
    dp_error e = {0};
    dp_status st = dp_image_decode_gray(buf, len, "mem", &pix, &w, &h, &e);
    CHECKF(st == DP_OK && w == W && h == H, "line %d: %s: %s (%dx%d)", line, dp_status_str(st),
           e.msg, w, h);
    if (st != DP_OK || w != W || h != H) return free(pix);
    int worst = 0, at = 0;
    for (int i = 0; i < W * H; i++) {
        int d = abs((int)pix[i] - (int)want[i]);
        if (d > worst) worst = d, at = i;
    }
    CHECKF(worst <= tol, "line %d: pixel %d is %d, expected %d", line, at, pix[at], want[at]);
    free(pix);
}

static void expect_error(int line, const uint8_t *buf, size_t len, dp_status want,
                         const char *substr) {
    uint8_t *pix = (uint8_t *)&pix;
    int w = 1, h = 1;
    dp_error e = {0};
    dp_status st = dp_image_decode_gray(buf, len, "mem", &pix, &w, &h, &e);
    CHECKF(st == want && pix == NULL && w == 0 && h == 0 && e.msg[0] && strstr(e.msg, "mem"),
           "line %d: %s (expected %s): %s", line, dp_status_str(st), dp_status_str(want), e.msg);
    CHECKF(!substr || strstr(e.msg, substr), "line %d: '%s' lacks '%s'", line, e.msg, substr);
    if (st == DP_OK) free(pix);
}

/* ---- PNG through libpng's writer ---- */

typedef struct mem {
    uint8_t *p;
    size_t n;
} mem;

static void mem_write(png_structp png, png_bytep d, size_t n) {
    mem *m = png_get_io_ptr(png);
    m->p = realloc(m->p, m->n + n);
    memcpy(m->p + m->n, d, n);
    m->n += n;
}
static void mem_flush(png_structp png) {
    (void)png;
}

/* type: PNG colour type; depth 1..16; rows of the reference picture. */
static mem make_png(int type, int depth, int interlace, uint8_t *want) {
    mem m = {NULL, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        CHECK(0);
        return m;
    }
    png_set_write_fn(png, &m, mem_write, mem_flush);
    png_set_IHDR(png, info, W, H, depth, type, interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_color pal[16];
    if (type == PNG_COLOR_TYPE_PALETTE) {
        for (int i = 0; i < 16; i++)
            pal[i] = (png_color){(png_byte)(i * 17), (png_byte)(255 - i * 13), (png_byte)(i * 5)};
        png_set_PLTE(png, info, pal, 16);
    }
    png_write_info(png, info);
    const int ch = type == PNG_COLOR_TYPE_RGB_ALPHA ? 4
                   : type == PNG_COLOR_TYPE_RGB     ? 3
                   : type == PNG_COLOR_TYPE_GA      ? 2
                                                    : 1;
    uint8_t row[W * 4 * 2];
    for (int y = 0; y < H; y++) {
        memset(row, 0, sizeof row);
        for (int x = 0; x < W; x++) {
            uint8_t r = ref_r(x, y), g = ref_g(x, y), b = ref_b(x, y), v[4] = {r, g, b, 0x5a};
            int n = ch;
            if (type == PNG_COLOR_TYPE_PALETTE) {
                int i = (x + y) % 16;
                v[0] = (uint8_t)i;
                want[y * W + x] = 0; /* filled by the caller from pal */
                r = pal[i].red, g = pal[i].green, b = pal[i].blue;
            } else if (ch <= 2) {
                v[0] = luma(r, g, b), v[1] = 0x33;
            }
            uint8_t gray = type == PNG_COLOR_TYPE_PALETTE ? luma(r, g, b)
                           : ch <= 2                      ? v[0]
                                                          : luma(r, g, b);
            if (depth < 8 && type == PNG_COLOR_TYPE_PALETTE) {
                n = 0;              /* packed below */
            } else if (depth < 8) { /* 1, 2, 4-bit gray: keep the top bits */
                unsigned q = v[0] >> (8 - depth);
                row[x * depth / 8] |= (uint8_t)(q << (8 - depth - x * depth % 8));
                gray = (uint8_t)(q * 255u / ((1u << depth) - 1));
                n = 0;
            }
            for (int c = 0; c < n; c++) {
                if (depth == 16) {
                    row[2 * (x * n + c)] = v[c];
                    row[2 * (x * n + c) + 1] = (uint8_t)(v[c] ^ 0xa5); /* low byte: dropped */
                } else {
                    row[x * n + c] = v[c];
                }
            }
            if (type == PNG_COLOR_TYPE_PALETTE && depth == 4) {
                row[x / 2] = (uint8_t)(row[x / 2] & (x % 2 ? 0xf0 : 0x0f));
                row[x / 2] |= (uint8_t)(v[0] << (x % 2 ? 0 : 4));
            }
            want[y * W + x] = gray;
        }
        if (!interlace)
            png_write_row(png, row);
        else {
            /* interlaced: libpng wants the whole image */
            static uint8_t all[H][W * 8];
            memcpy(all[y], row, sizeof row < sizeof all[y] ? sizeof row : sizeof all[y]);
            if (y == H - 1) {
                png_bytep rows[H];
                for (int k = 0; k < H; k++) rows[k] = all[k];
                png_write_image(png, rows);
            }
        }
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return m;
}

static void test_png(void) {
    static const struct {
        int type, depth, interlace, tol;
    } cases[] = {
        {PNG_COLOR_TYPE_GRAY, 8, 0, 0},    {PNG_COLOR_TYPE_GRAY, 16, 0, 0},
        {PNG_COLOR_TYPE_GRAY, 1, 0, 0},    {PNG_COLOR_TYPE_GRAY, 4, 0, 0},
        {PNG_COLOR_TYPE_GA, 8, 0, 0},      {PNG_COLOR_TYPE_RGB, 8, 0, 1},
        {PNG_COLOR_TYPE_RGB, 16, 0, 1},    {PNG_COLOR_TYPE_RGB_ALPHA, 8, 0, 1},
        {PNG_COLOR_TYPE_PALETTE, 8, 0, 1}, {PNG_COLOR_TYPE_PALETTE, 4, 0, 1},
        {PNG_COLOR_TYPE_GRAY, 8, 1, 0},    {PNG_COLOR_TYPE_RGB, 8, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t want[W * H];
        mem m = make_png(cases[i].type, cases[i].depth, cases[i].interlace, want);
        expect_image(__LINE__ * 1000 + (int)i, m.p, m.n, want, cases[i].tol);
        if (i == 0) {
            /* Cut at 33 bytes (inside IHDR's CRC... just after it): a reason, not "()". */
            expect_error(__LINE__, m.p, 33, DP_ERR_FORMAT, "cut off");
            expect_error(__LINE__, m.p, 5, DP_ERR_FORMAT, "PNG");
            expect_error(__LINE__, m.p, m.n - 13, DP_ERR_FORMAT, "cut off"); /* no IEND */
            m.p[40] ^= 0xff; /* inside the image data: CRC or zlib error */
            expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "not a valid PNG");
        }
        free(m.p);
    }
}

/* ---- JPEG through libjpeg's compressor ---- */

static mem make_jpeg(int color, int progressive, uint8_t *want) {
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    unsigned long outlen = 0;
    jpeg_mem_dest(&c, &out, &outlen);
    c.image_width = W;
    c.image_height = H;
    c.input_components = color ? 3 : 1;
    c.in_color_space = color ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 100, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    uint8_t row[W * 3];
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            uint8_t r = ref_r(x, y) / 2, g = ref_g(x, y) / 2 + 64, b = ref_b(x, y) / 2;
            want[y * W + x] = luma(r, g, b);
            if (color) {
                row[3 * x] = r, row[3 * x + 1] = g, row[3 * x + 2] = b;
            } else {
                row[x] = want[y * W + x];
            }
        }
        JSAMPROW rp = row;
        jpeg_write_scanlines(&c, &rp, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    mem m = {out, outlen};
    return m;
}

static void test_jpeg(void) {
    for (int k = 0; k < 4; k++) {
        uint8_t want[W * H];
        mem m = make_jpeg(k & 1, k >> 1, want);
        expect_image(__LINE__ * 10 + k, m.p, m.n, want, 4); /* lossy, quality 100 */
        /* Cut in the middle: an error, not an image padded with grey. */
        expect_error(__LINE__, m.p, m.n / 2, DP_ERR_FORMAT, "not a valid JPEG");
        expect_error(__LINE__, m.p, 3, DP_ERR_FORMAT, "not a valid JPEG");
        free(m.p);
    }
}

/* ---- BMP bytes built here ---- */

static void put16(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* A BMP of the reference picture: bpp 1/4/8 (palette of 256 greys cut to
 * the depth), 16 (5-5-5 or bitfields 5-6-5), 24, 32; top_down: negative
 * height. Returns the file and fills want. */
static mem make_bmp(int bpp, int bitfields, int top_down, int core, uint8_t *want) {
    const int stride = (W * bpp + 31) / 32 * 4;
    const int hsize = core ? 12 : 40, masks = bitfields ? 12 : 0;
    const int pal_n = bpp <= 8 ? 1 << bpp : 0, pal_stride = core ? 3 : 4;
    const size_t data_at = (size_t)(14 + hsize + masks + pal_n * pal_stride);
    mem m = {calloc(1, data_at + (size_t)stride * H), data_at + (size_t)stride * H};
    uint8_t *p = m.p;
    p[0] = 'B', p[1] = 'M';
    put32(p + 2, (uint32_t)m.n);
    put32(p + 10, (uint32_t)data_at);
    put32(p + 14, (uint32_t)hsize);
    if (core) {
        put16(p + 18, W), put16(p + 20, H), put16(p + 22, 1), put16(p + 24, (uint32_t)bpp);
    } else {
        put32(p + 18, W);
        put32(p + 22, top_down ? (uint32_t)-H : H);
        put16(p + 26, 1);
        put16(p + 28, (uint32_t)bpp);
        put32(p + 30, bitfields ? 3 : 0);
    }
    if (bitfields) {
        put32(p + 54, bpp == 16 ? 0xf800 : 0xff000000u); /* 5-6-5, or R in the top byte */
        put32(p + 58, bpp == 16 ? 0x07e0 : 0x00ff0000u);
        put32(p + 62, bpp == 16 ? 0x001f : 0x0000ff00u);
    }
    uint8_t *pal = p + 14 + hsize + masks;
    for (int i = 0; i < pal_n; i++) { /* palette entry i: a colour whose luma we know */
        pal[i * pal_stride] = (uint8_t)(i * 3), pal[i * pal_stride + 1] = (uint8_t)(255 - i);
        pal[i * pal_stride + 2] = (uint8_t)i;
    }
    for (int y = 0; y < H; y++) {
        uint8_t *row = p + data_at + (size_t)stride * (size_t)(top_down ? y : H - 1 - y);
        for (int x = 0; x < W; x++) {
            unsigned r = ref_r(x, y), g = ref_g(x, y), b = ref_b(x, y);
            if (bpp <= 8) {
                unsigned i = (unsigned)(x * 7 + y) % (unsigned)pal_n;
                row[x * bpp / 8] |= (uint8_t)(i << (8 - bpp - x * bpp % 8));
                r = i, g = 255 - i, b = i * 3 % 256;
            } else if (bpp == 16) {
                if (bitfields) {
                    r >>= 3, g >>= 2, b >>= 3;
                    put16(row + 2 * x, r << 11 | g << 5 | b);
                    r = (r * 255 + 15) / 31, g = (g * 255 + 31) / 63, b = (b * 255 + 15) / 31;
                } else {
                    r >>= 3, g >>= 3, b >>= 3;
                    put16(row + 2 * x, r << 10 | g << 5 | b);
                    r = (r * 255 + 15) / 31, g = (g * 255 + 15) / 31, b = (b * 255 + 15) / 31;
                }
            } else if (bpp == 24) {
                row[3 * x] = (uint8_t)b, row[3 * x + 1] = (uint8_t)g, row[3 * x + 2] = (uint8_t)r;
            } else {
                put32(row + 4 * x, bitfields ? (r << 24 | g << 16 | b << 8 | 0x77)
                                             : (0x77u << 24 | r << 16 | g << 8 | b));
            }
            want[y * W + x] = luma(r, g, b);
        }
    }
    return m;
}

static void test_bmp(void) {
    static const int cases[][4] = {/* bpp, bitfields, top_down, core header */
                                   {24, 0, 0, 0}, {24, 0, 1, 0}, {8, 0, 0, 0},  {8, 0, 1, 0},
                                   {4, 0, 0, 0},  {1, 0, 0, 0},  {16, 0, 0, 0}, {16, 1, 1, 0},
                                   {32, 0, 0, 0}, {32, 1, 1, 0}, {24, 0, 0, 1}, {8, 0, 0, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t want[W * H];
        mem m = make_bmp(cases[i][0], cases[i][1], cases[i][2], cases[i][3], want);
        expect_image(__LINE__ * 100 + (int)i, m.p, m.n, want, 0);
        free(m.p);
    }
    uint8_t want[W * H];
    mem m = make_bmp(8, 0, 1, 0, want);
    /* Issue #11 defect 7: a top-down BMP (negative height) was refused as
     * "28x-28"; it is read above, with its rows in order. Also through a
     * file named .png: the content decides. */
    CHECK(dpt_write_file(path_of("top-down.png"), m.p, m.n) == 0);
    uint8_t *pix = NULL;
    int w = 0, h = 0;
    dp_error e = {0};
    CHECKF(dp_image_load_gray(path_of("top-down.png"), &pix, &w, &h, &e) == DP_OK && w == W &&
               h == H && memcmp(pix, want, sizeof want) == 0,
           "%s", e.msg);
    free(pix);
    expect_error(__LINE__, m.p, m.n - 1, DP_ERR_TRUNCATED, "ends early");
    expect_error(__LINE__, m.p, 30, DP_ERR_TRUNCATED, "ends early");
    put32(m.p + 46, 16); /* 16 palette entries, but pixels use up to 255 */
    expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "palette entry");
    put32(m.p + 46, 0);
    put32(m.p + 30, 1); /* RLE8 */
    expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "RLE");
    put32(m.p + 30, 0);
    put32(m.p + 22, 0x80000000u); /* height INT32_MIN */
    expect_error(__LINE__, m.p, m.n, DP_ERR_RANGE, "larger than");
    put32(m.p + 22, 0);
    expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "no pixels");
    put32(m.p + 22, (uint32_t)-H);
    put32(m.p + 10, 20); /* pixel data inside the headers */
    expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "overlaps");
    free(m.p);
    m = make_bmp(16, 1, 0, 0, want);
    put32(m.p + 58, 0x0550); /* a mask with holes */
    expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "contiguous");
    free(m.p);
}

/* ---- PGM / PPM ---- */

static mem make_pnm(int color, int maxval, const char *header_extra, uint8_t *want) {
    char head[128];
    int hn = snprintf(head, sizeof head, "P%c\n%s%d %d\n%d\n", color ? '6' : '5', header_extra, W,
                      H, maxval);
    const int bytes = maxval > 255 ? 2 : 1, ch = color ? 3 : 1;
    mem m = {malloc((size_t)hn + (size_t)(W * H * ch * bytes)),
             (size_t)hn + (size_t)(W * H * ch * bytes)};
    memcpy(m.p, head, (size_t)hn);
    uint8_t *p = m.p + hn;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned v[3] = {ref_r(x, y), ref_g(x, y), ref_b(x, y)}, s[3];
            for (int c = 0; c < ch; c++) {
                unsigned raw = (unsigned)((v[c] * (unsigned)maxval + 127) / 255);
                if (bytes == 2) *p++ = (uint8_t)(raw >> 8);
                *p++ = (uint8_t)raw;
                s[c] = (raw * 255 + (unsigned)maxval / 2) / (unsigned)maxval;
            }
            want[y * W + x] = color ? luma(s[0], s[1], s[2]) : (uint8_t)s[0];
        }
    return m;
}

static void test_pnm(void) {
    static const struct {
        int color, maxval;
        const char *extra;
    } cases[] = {{0, 255, ""},       {0, 65535, "# comment\n"},
                 {1, 255, "#x\n  "}, {1, 65535, ""},
                 {0, 15, ""},        {1, 1000, ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t want[W * H];
        mem m = make_pnm(cases[i].color, cases[i].maxval, cases[i].extra, want);
        expect_image(__LINE__ * 100 + (int)i, m.p, m.n, want, 0);
        free(m.p);
    }
    uint8_t want[W * H];
    mem m = make_pnm(1, 65535, "", want);
    expect_error(__LINE__, m.p, m.n - 1, DP_ERR_TRUNCATED, "ends early");
    free(m.p);
    m = make_pnm(0, 100, "", want);
    m.p[m.n - 1] = 101;
    expect_error(__LINE__, m.p, m.n, DP_ERR_FORMAT, "above the maximum");
    free(m.p);

    /* Issue #11 defect 2: a 16-bit PPM header of 4000x4000 without samples
     * crashed stb_image; now it is a truncated file. */
    const char *p16 = "P6\n4000 4000\n65535\n";
    expect_error(__LINE__, (const uint8_t *)p16, strlen(p16), DP_ERR_TRUNCATED, "ends early");
    /* Its small version was computed from bytes outside the image: now the
     * exact samples (a 2x1 PPM of two colours). */
    static const uint8_t small[] = {'P', '6',  '\n', '2',  ' ',  '1',  '\n', '6', '5',
                                    '5', '3',  '5',  '\n', 0xff, 0xff, 0,    0,   0,
                                    0,   0x80, 0,    0x80, 0,    0x80, 0};
    uint8_t *pix = NULL;
    int w = 0, h = 0;
    dp_error e = {0};
    CHECKF(dp_image_decode_gray(small, sizeof small, "small", &pix, &w, &h, &e) == DP_OK &&
               w == 2 && h == 1 && pix[0] == luma(255, 0, 0) && pix[1] == luma(128, 128, 128),
           "%s", e.msg);
    free(pix);
    /* Numbers that overflow (stb: signed overflow), an empty image, ASCII PNM. */
    const char *big = "P5\n99999999999999999999 1\n255\n";
    expect_error(__LINE__, (const uint8_t *)big, strlen(big), DP_ERR_FORMAT, "width");
    const char *zero = "P5\n0 0\n255\n";
    expect_error(__LINE__, (const uint8_t *)zero, strlen(zero), DP_ERR_FORMAT, "no pixels (0x0)");
    const char *ascii = "P2\n2 1\n255\n0 255\n";
    expect_error(__LINE__, (const uint8_t *)ascii, strlen(ascii), DP_ERR_FORMAT, "P1-P4");
}

/* Issue #11 defect 1: a 91-byte Radiance HDR file whose RLE scanline ends
 * at the end of the file made stb_image loop forever (CVE-2021-42715).
 * It is not a format this program reads, and says so at once (the
 * watchdog kills the test if it hangs). */
static void test_hostile(void) {
    uint8_t hdr[91];
    const char *head = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 8\n";
    size_t n = strlen(head);
    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, head, n);
    hdr[n] = 2, hdr[n + 1] = 2, hdr[n + 2] = 0, hdr[n + 3] = 8; /* RLE scanline header */
    /* then zeros: runs of "copy 0 bytes", and zeros again past the end of the file */
    CHECK(dpt_write_file(path_of("loop.hdr"), hdr, sizeof hdr) == 0);
    alarm(20);
    uint8_t *pix = NULL;
    int w = 0, h = 0;
    dp_error e = {0};
    dp_status st = dp_image_load_gray(path_of("loop.hdr"), &pix, &w, &h, &e);
    CHECKF(st == DP_ERR_FORMAT && strstr(e.msg, "Radiance HDR") && strstr(e.msg, "loop.hdr"), "%s",
           e.msg);
    /* A FIFO as an image: refused without waiting for a writer. */
    CHECK(mkfifo(path_of("fifo.png"), 0600) == 0);
    st = dp_image_load_gray(path_of("fifo.png"), &pix, &w, &h, &e);
    CHECKF(st == DP_ERR_IO && strstr(e.msg, "FIFO"), "%s", e.msg);
    alarm(0);
    /* An empty file is empty, not "0x0, larger than the limit". */
    expect_error(__LINE__, hdr, 0, DP_ERR_FORMAT, "empty file");
    expect_error(__LINE__, (const uint8_t *)"GIF89a", 6, DP_ERR_FORMAT, "GIF");
    /* A PNG file named .jpg is read as the PNG it is. */
    static const uint8_t gray[4] = {0, 85, 170, 255};
    CHECK(dp_png_write_gray(path_of("really-png.jpg"), gray, 2, 2, &e) == DP_OK);
    st = dp_image_load_gray(path_of("really-png.jpg"), &pix, &w, &h, &e);
    CHECKF(st == DP_OK && w == 2 && h == 2 && memcmp(pix, gray, 4) == 0, "%s", e.msg);
    free(pix);
}

/* The fuzz seeds (tests/fuzz/corpus/fuzz_image, written by make_seeds.py
 * from the formats' specifications and by ImageMagick) are all valid
 * images: each must decode. Tests run from the repository root. */
static void test_fuzz_seeds(void) {
    const char *seeds = "tests/fuzz/corpus/fuzz_image";
    DIR *d = opendir(seeds);
    CHECKF(d != NULL, "no %s", seeds);
    if (!d) return;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", seeds, de->d_name);
        uint8_t *pix = NULL;
        int w = 0, h = 0;
        dp_error e = {0};
        CHECKF(dp_image_load_gray(p, &pix, &w, &h, &e) == DP_OK && w > 0 && h > 0, "%s", e.msg);
        free(pix);
        n++;
    }
    closedir(d);
    CHECKF(n >= 17, "only %d seeds", n);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    test_png();
    test_jpeg();
    test_bmp();
    test_pnm();
    test_hostile();
    test_fuzz_seeds();
    dpt_remove_scratch(dir);
    return dpt_finish();
}
