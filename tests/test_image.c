/* PNG write/read round trip, broken and oversized image files, and turning a
 * photo-like grayscale image into a 28x28 network input. */
#include "digitpad/image.h"

#include "scratch.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[4096];

static const char *path_of(const char *name) {
    return dpt_path(dir, name);
}

static void test_png_round_trip(void) {
    const int w = 37, h = 23;
    uint8_t src[37 * 23];
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) src[y * w + x] = (uint8_t)(x * 7 + y * 13 + (x * y) % 5);
    dp_error e = {0};
    const char *p = path_of("gray.png");
    CHECKF(dp_png_write_gray(p, src, w, h, &e) == DP_OK, "%s", e.msg);
    size_t len = 0;
    uint8_t *file = dpt_read_file(p, &len);
    CHECK(file && len > 8 && memcmp(file, "\x89PNG\r\n\x1a\n", 8) == 0);

    uint8_t *pix = NULL;
    int rw = 0, rh = 0;
    CHECKF(dp_image_load_gray(p, &pix, &rw, &rh, &e) == DP_OK, "%s", e.msg);
    CHECK(rw == w && rh == h && pix && memcmp(pix, src, sizeof src) == 0);
    free(pix);

    /* The same file cut short, and a text file: errors naming the file. */
    CHECK(file && dpt_write_file(path_of("cut.png"), file, len / 2) == 0);
    pix = (uint8_t *)&pix;
    dp_status st = dp_image_load_gray(path_of("cut.png"), &pix, &rw, &rh, &e);
    CHECKF(st == DP_ERR_FORMAT && pix == NULL && strstr(e.msg, "cut.png") && strstr(e.msg, "("),
           "%s: %s", dp_status_str(st), e.msg);
    CHECK(dpt_write_file(path_of("text.png"), "hello, not an image\n", 20) == 0);
    st = dp_image_load_gray(path_of("text.png"), &pix, &rw, &rh, &e);
    CHECKF(st == DP_ERR_FORMAT && strstr(e.msg, "text.png"), "%s", e.msg);
    CHECK(dpt_write_file(path_of("empty.png"), "", 0) == 0);
    CHECK(dp_image_load_gray(path_of("empty.png"), &pix, &rw, &rh, &e) == DP_ERR_FORMAT);
    CHECK(dp_image_load_gray(path_of("missing.png"), &pix, &rw, &rh, &e) == DP_ERR_NOT_FOUND);
    CHECK(dp_image_load_gray(dir, &pix, &rw, &rh, &e) == DP_ERR_IO);
    free(file);

    /* Writing where no file can be: an error that names the path. */
    p = path_of("gray.png/x.png");
    CHECK(dp_png_write_gray(p, src, w, h, &e) == DP_ERR_IO && strstr(e.msg, p));
    CHECK(dp_png_write_gray(path_of("zero.png"), src, 0, h, &e) == DP_ERR_ARG);
}

/* A header announcing a huge image must be refused before decoding. */
static void test_oversized(void) {
    dp_error e = {0};
    uint8_t *pix = NULL;
    int w, h;
    const char *hdr = "P5\n9000 10\n255\n";
    CHECK(dpt_write_file(path_of("wide.pgm"), hdr, strlen(hdr)) == 0);
    dp_status st = dp_image_load_gray(path_of("wide.pgm"), &pix, &w, &h, &e);
    CHECKF(st == DP_ERR_RANGE && strstr(e.msg, "9000x10") && !pix, "%s", e.msg);
    /* The limit itself is accepted: a valid 8192x1 PGM. */
    static uint8_t pgm[32 + 8192];
    int n = snprintf((char *)pgm, 32, "P5\n%d 1\n255\n", DP_IMAGE_MAX_SIDE);
    memset(pgm + n, 9, DP_IMAGE_MAX_SIDE);
    CHECK(dpt_write_file(path_of("max.pgm"), pgm, (size_t)n + DP_IMAGE_MAX_SIDE) == 0);
    st = dp_image_load_gray(path_of("max.pgm"), &pix, &w, &h, &e);
    CHECKF(st == DP_OK && w == DP_IMAGE_MAX_SIDE && h == 1 && pix && pix[8191] == 9, "%s", e.msg);
    free(pix);
}

/* Dark ink on light paper, 56x56: a filled box of ink at rows 8..23 and
 * columns 21..36. Halved to 28x28 and inverted, the box covers output rows
 * 4..11 fully, output columns 11..17 fully and columns 10 and 18 by half. */
static void test_to_input(void) {
    static uint8_t img[56 * 56];
    memset(img, 255, sizeof img);
    for (int y = 8; y < 24; y++)
        for (int x = 21; x < 37; x++) img[y * 56 + x] = 0;
    float out[784];
    CHECK(dp_image_to_input(img, 56, 56, out) == DP_OK);
    int bad = 0;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++) {
            float want = 0.0f;
            if (y >= 4 && y < 12 && x >= 10 && x <= 18) want = (x == 10 || x == 18) ? 0.5f : 1.0f;
            if (fabsf(out[y * 28 + x] - want) > 1e-6f) {
                if (bad++ < 5)
                    CHECKF(0, "pixel (%d,%d) = %g, expected %g", x, y, out[y * 28 + x], want);
            }
        }
    CHECKF(bad == 0, "%d pixels differ", bad);

    /* Light on dark stays as it is; 28x28 is the identity (v/255). */
    uint8_t small[784];
    for (int i = 0; i < 784; i++) small[i] = (uint8_t)((i * 37) % 97);
    CHECK(dp_image_to_input(small, 28, 28, out) == DP_OK);
    double worst = 0;
    for (int i = 0; i < 784; i++) worst = fmax(worst, fabs(out[i] - small[i] / 255.0));
    CHECK_NEAR(worst, 0, 1e-6);

    /* 14x14 upsampled: every source pixel becomes a 2x2 block. */
    CHECK(dp_image_to_input(small, 14, 14, out) == DP_OK);
    CHECK_NEAR(out[2 * 28 + 6], small[1 * 14 + 3] / 255.0, 1e-6);
    CHECK_NEAR(out[3 * 28 + 7], small[1 * 14 + 3] / 255.0, 1e-6);

    /* Any size: area averaging keeps the total amount of ink. */
    static uint8_t odd[101 * 43];
    double ink = 0;
    for (int i = 0; i < 101 * 43; i++) {
        odd[i] = (uint8_t)((i * 2654435761u) >> 26);
        ink += odd[i] / 255.0;
    }
    CHECK(dp_image_to_input(odd, 101, 43, out) == DP_OK);
    double sum = 0;
    for (int i = 0; i < 784; i++) sum += out[i];
    CHECK_NEAR(sum * (101.0 * 43.0 / 784.0), ink, 1e-3);

    CHECK(dp_image_to_input(NULL, 28, 28, out) == DP_ERR_ARG);
    CHECK(dp_image_to_input(small, 0, 28, out) == DP_ERR_ARG);
    CHECK(dp_image_to_input(small, 28, DP_IMAGE_MAX_SIDE + 1, out) == DP_ERR_ARG);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    test_png_round_trip();
    test_oversized();
    test_to_input();
    dpt_remove_scratch(dir);
    return dpt_finish();
}
