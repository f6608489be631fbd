/* libFuzzer target: the image decoders (PNG, JPEG, BMP, PGM/PPM) on the
 * input, with sides up to 1024 (the real limit is 8192; smaller keeps each
 * run fast). An accepted image must have sane sizes and every pixel is
 * read (so ASan sees a short buffer) and turned into a network input in
 * [0,1] that keeps the amount of ink; a rejection leaves no buffer and has a message. */
#include "digitpad/image.h"
#include "image_codec.h"

#include <math.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const dp_image_src src = {data, size, "fuzz", 1024};
    static uint8_t sentinel;
    uint8_t *pix = &sentinel; /* must be overwritten */
    int w = -1, h = -1;
    dp_error err;
    err.msg[0] = '\0';
    if (dp__image_decode(&src, &pix, &w, &h, &err) != DP_OK) {
        if (pix != NULL || w != 0 || h != 0 || err.msg[0] == '\0') abort();
        return 0;
    }
    if (!pix || w < 1 || h < 1 || w > 1024 || h > 1024) abort();
    uint64_t sum = 0; /* reads every pixel */
    const uint64_t n = (uint64_t)w * (uint64_t)h;
    for (uint64_t i = 0; i < n; i++) sum += pix[i];
    float in[784];
    if (dp_image_to_input(pix, w, h, in) != DP_OK) abort();
    /* Area resampling keeps the amount of ink (dark-on-light is inverted). */
    double total = 0.0;
    for (int i = 0; i < 784; i++) {
        if (!(in[i] >= 0.0f && in[i] <= 1.0f)) abort();
        total += in[i];
    }
    const double ink = (double)(sum > 127u * n ? 255u * n - sum : sum) / 255.0;
    if (fabs(total - ink * 784.0 / (double)n) > 1e-3 * 784.0) abort();
    free(pix);
    return 0;
}
