/* digitpad-cli predict: classify image files with a model. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "commands.h"
#include "digitpad/image.h"
#include "digitpad/preprocess.h"
#include "load.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli predict --model FILE [--raw] IMAGE...\n"
          "\n"
          "Classify each image (PNG, JPEG, PGM, BMP, ...; any size, grayscale or colour).\n"
          "Dark digits on a light background are inverted to MNIST's white-on-black.\n"
          "The image is brought to MNIST's form first (ink bounding box scaled to 20\n"
          "pixels, centre of mass at the centre of 28x28) unless --raw is given.\n"
          "Prints one line per image: the digit, its probability and all ten\n"
          "probabilities (for digits 0 to 9). Exits 1 if any image could not be read.\n"
          "\n"
          "options:\n"
          "  --model FILE  model to use (.dpm)\n"
          "  --raw         only resize to 28x28, no MNIST-style centring\n",
          out);
}

/* Image file -> 28x28 network input. Returns DP_OK, DP_ERR_EMPTY (no ink),
 * or another error after printing what went wrong. */
static dp_status image_input(const char *path, int raw, float x[DP_MNIST_PIXELS]) {
    uint8_t *pix = NULL;
    int w = 0, h = 0;
    dp_error err = {0};
    if (dp_image_load_gray(path, &pix, &w, &h, &err) != DP_OK) {
        cli_fail("cannot read image", &err);
        return err.status != DP_OK ? err.status : DP_ERR_IO;
    }
    float grid[DP_MNIST_PIXELS];
    dp_status s = dp_image_to_input(pix, w, h, grid);
    free(pix);
    if (s == DP_OK) {
        s = raw ? dp_preprocess_raw(grid, DP_MNIST_SIDE, DP_MNIST_SIDE, x)
                : dp_preprocess(grid, DP_MNIST_SIDE, DP_MNIST_SIDE, x);
        if (s == DP_OK || s == DP_ERR_EMPTY) return s;
    }
    cli_failf("cannot use image", "%s: %s", path, dp_status_str(s));
    return s == DP_ERR_EMPTY ? DP_ERR_FORMAT : s;
}

static void print_prediction(const char *path, const float *prob) {
    int best = dp_argmax(prob, DP_MNIST_CLASSES);
    printf("%s: %d  (p=%.3f)  [", path, best, prob[best]);
    for (int d = 0; d < DP_MNIST_CLASSES; d++) printf(d ? " %.3f" : "%.3f", prob[d]);
    printf("]\n");
}

int cmd_predict(int argc, char **argv) {
    const char *model_path = NULL;
    int raw = 0;
    const cli_opt opts[] = {
        {"--model", CLI_OPT_STRING, &model_path, 0, 0, 0, NULL},
        {"--raw", CLI_OPT_FLAG, &raw, 0, 0, 0, NULL},
    };
    const cli_spec spec = {"predict", usage, opts, (int)(sizeof opts / sizeof opts[0]), CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (!model_path) return cli_usage_error(&spec, "missing --model FILE");
    if (npos == 0) return cli_usage_error(&spec, "no IMAGE given");

    dp_mlp *m = NULL;
    if (cli_load_model(model_path, &m, NULL) != 0) return CLI_EXIT_FAIL;
    dp_workspace *ws = NULL;
    if (dp_workspace_create(&ws, m, 1) != DP_OK) {
        dp_mlp_destroy(m);
        return cli_failf("predict", "out of memory");
    }

    int failed = 0;
    for (int i = 1; i <= npos; i++) {
        const char *path = argv[i];
        float x[DP_MNIST_PIXELS];
        dp_status s = image_input(path, raw, x);
        if (s == DP_ERR_EMPTY) {
            printf("%s: no digit (empty image)\n", path);
        } else if (s != DP_OK) {
            failed = 1;
        } else {
            const float *prob = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
            if (prob && dp_all_finite(prob, DP_MNIST_CLASSES)) {
                print_prediction(path, prob);
            } else { /* the load-time bound makes this unreachable for a checked model */
                cli_failf("cannot predict", "%s: the model's output is not a finite number", path);
                failed = 1;
            }
        }
        fflush(stdout);
    }
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
