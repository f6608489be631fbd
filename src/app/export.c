#include "export.h"

#include <stdio.h>
#include <stdlib.h>

#include "digitpad/image.h"
#include "stamp.h"

void export_to_bytes(const float *v, int n, unsigned char *out) {
    for (int i = 0; i < n; i++) {
        float x = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
        out[i] = (unsigned char)(x * 255.0f + 0.5f);
    }
}

/* dir/digitpad-STAMP[-k]-canvas.png and -input.png, both not yet existing. */
static int pick_names(const char *dir, char *a, char *b, size_t n) {
    char prefix[4096];
    int len = snprintf(prefix, sizeof prefix, "%s/digitpad-", dir);
    if (len < 0 || (size_t)len >= sizeof prefix) return -1;
    const char *const ends[] = {"-canvas.png", "-input.png"};
    char *const out[] = {a, b};
    return stamp_pick_names(prefix, ends, 2, out, n);
}

dp_status export_pngs(const char *dir, const dp_canvas *c, const float input[DP_MNIST_PIXELS],
                      char *canvas_path, char *input_path, size_t n, dp_error *err) {
    if (!dir || !*dir) dir = ".";
    if (pick_names(dir, canvas_path, input_path, n) != 0)
        return dp_error_set(err, DP_ERR_ARG, "cannot make a file name in %s", dir);
    unsigned char *pix = malloc((size_t)c->w * c->h);
    unsigned char in8[DP_MNIST_PIXELS];
    if (!pix) return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
    export_to_bytes(c->cells, c->w * c->h, pix);
    export_to_bytes(input, DP_MNIST_PIXELS, in8);
    dp_status st = dp_png_write_gray(canvas_path, pix, c->w, c->h, err);
    free(pix);
    if (st != DP_OK) return st;
    st = dp_png_write_gray(input_path, in8, DP_MNIST_SIDE, DP_MNIST_SIDE, err);
    if (st != DP_OK) remove(canvas_path); /* all or nothing */
    return st;
}
