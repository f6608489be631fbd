/* classify: a digit image -> the digit, with digitpad's core library.
 *
 *   classify MODEL IMAGE...
 *
 * MODEL is a .dpm (or .npz) model, e.g. the shipped one in
 * $(pkg-config --variable=modeldir digitpad)/mnist-800.dpm; IMAGE a PNG,
 * JPEG, PGM or BMP of one digit, any size, dark on light or light on dark.
 * Prints "IMAGE: D (p=P)" per image. Built outside the digitpad tree against
 * the installed library: see README.md next to this file. */
#include <digitpad/digitpad.h>

#include <stdio.h>
#include <stdlib.h>

static int classify(const dp_mlp *m, dp_workspace *ws, const char *path) {
    dp_error err = {0};
    uint8_t *pix = NULL;
    int w = 0, h = 0;
    if (dp_image_load_gray(path, &pix, &w, &h, &err) != DP_OK) {
        fprintf(stderr, "classify: %s\n", err.msg);
        return 1;
    }
    float grid[DP_MNIST_PIXELS], x[DP_MNIST_PIXELS];
    dp_status st = dp_image_to_input(pix, w, h, grid); /* 28x28, white ink on black */
    free(pix);
    if (st == DP_OK) st = dp_preprocess(grid, DP_MNIST_SIDE, DP_MNIST_SIDE, x); /* MNIST centring */
    if (st == DP_ERR_EMPTY) {
        printf("%s: no digit\n", path);
        return 0;
    }
    if (st != DP_OK) {
        fprintf(stderr, "classify: %s: %s\n", path, dp_status_str(st));
        return 1;
    }
    const float *p = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
    int d = dp_argmax(p, m->n_out);
    printf("%s: %d (p=%.3f)\n", path, d, p[d]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fputs("usage: classify MODEL IMAGE...\n", stderr);
        return 2;
    }
    dp_error err = {0};
    dp_mlp *m = NULL;
    if (dp_model_load_any(argv[1], &m, NULL, &err) != DP_OK) {
        fprintf(stderr, "classify: %s\n", err.msg);
        return 1;
    }
    dp_workspace *ws = NULL;
    if (m->n_in != DP_MNIST_PIXELS || dp_workspace_create(&ws, m, 1) != DP_OK) {
        fprintf(stderr, "classify: %s is not a 784-input network\n", argv[1]);
        dp_mlp_destroy(m);
        return 1;
    }
    int failed = 0;
    for (int i = 2; i < argc; i++) failed |= classify(m, ws, argv[i]);
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    return failed;
}
