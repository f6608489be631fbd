/* digitpad: draw a digit, watch the network read it, press T to watch it
 * learn. Exit codes: 0 normal quit, 1 cannot start (no display, no font,
 * model file unusable), 2 bad command line. */
#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#ifndef DIGITPAD_VERSION
#define DIGITPAD_VERSION "0.1.0"
#endif

static void usage(FILE *f) {
    fputs("usage: digitpad [MODEL.dpm] [options]\n"
          "\n"
          "Draw a digit with the mouse; a 784-800-10 network reads it live. T trains it on\n"
          "MNIST in the background, H in the window lists all keys.\n"
          "\n"
          "  MODEL.dpm          model to start with (default: the shipped models/mnist-800.dpm,\n"
          "                     or a random network if there is none)\n"
          "  --fresh            start from a random (He-initialised) network instead\n"
          "  --data DIR         MNIST directory for T (default: $DIGITPAD_DATA, else data/mnist)\n"
          "  --font FILE        TrueType font (default: DejaVu Sans via fontconfig)\n"
          "  --save-to PATH     where Ctrl+S saves (default: ./digitpad-model-TIME.dpm)\n"
          "  --epochs N         epochs per training run started with T (default 10)\n"
          "  --lr X             learning rate (cosine decay over the run; default 0.02)\n"
          "  --batch N          mini-batch size (default 64)\n"
          "  --seed N           seed for initialisation, shuffling, augmentation (default 1)\n"
          "  --no-augment       start with augmentation off (A toggles it)\n"
          "  --size WxH         initial window size in points (default 1440x800)\n"
          "  --verbose          print events, predictions, progress and frame times to stdout\n"
          "  --help, --version\n",
          f);
}

static int parse_int(const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int is_value_option(const char *a) {
    static const char *const opts[] = {"--data",  "--font", "--save-to", "--epochs",
                                       "--batch", "--seed", "--lr",      "--size"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (!strcmp(a, opts[i])) return 1;
    return 0;
}

/* Returns 0 ok, 1 exit successfully (help/version), 2 usage error. */
static int parse_args(int argc, char **argv, app_config *cfg) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = (i + 1 < argc) ? argv[i + 1] : NULL;
        long n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "--version")) {
            printf("digitpad %s\n", DIGITPAD_VERSION);
            return 1;
        } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            cfg->verbose = 1;
        } else if (!strcmp(a, "--fresh")) {
            cfg->no_default_model = 1;
        } else if (!strcmp(a, "--no-augment")) {
            cfg->augment = 0;
        } else if (!strcmp(a, "--augment")) {
            cfg->augment = 1;
        } else if (is_value_option(a)) {
            if (!val) {
                fprintf(stderr, "digitpad: %s needs a value\n", a);
                return 2;
            }
            i++;
            if (!strcmp(a, "--data")) {
                cfg->data_dir = val;
            } else if (!strcmp(a, "--font")) {
                cfg->font_path = val;
            } else if (!strcmp(a, "--save-to")) {
                cfg->save_to = val;
            } else if (!strcmp(a, "--epochs") && parse_int(val, 1, 100000, &n) == 0) {
                cfg->train.epochs = (int)n;
            } else if (!strcmp(a, "--batch") && parse_int(val, 1, 65536, &n) == 0) {
                cfg->train.batch = (int)n;
            } else if (!strcmp(a, "--seed") && parse_int(val, 0, 2147483647L, &n) == 0) {
                cfg->train.seed = (uint64_t)n;
            } else if (!strcmp(a, "--lr")) {
                char *end;
                double lr = strtod(val, &end);
                if (end == val || *end || !(lr > 0 && lr < 100)) {
                    fprintf(stderr, "digitpad: --lr needs a number in (0, 100), got '%s'\n", val);
                    return 2;
                }
                cfg->train.lr = (float)lr;
            } else if (!strcmp(a, "--size")) {
                int w, h;
                char x;
                if (sscanf(val, "%d%c%d", &w, &x, &h) != 3 || x != 'x' || w < 320 || h < 240 ||
                    w > 16384 || h > 16384) {
                    fprintf(stderr, "digitpad: --size needs WxH, e.g. 1440x800; got '%s'\n", val);
                    return 2;
                }
                cfg->width = w;
                cfg->height = h;
            } else {
                fprintf(stderr, "digitpad: bad value for %s: '%s'\n", a, val);
                return 2;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "digitpad: unknown option %s\n", a);
            return 2;
        } else if (!cfg->model_path) {
            cfg->model_path = a;
        } else {
            fprintf(stderr, "digitpad: more than one model given (%s, %s)\n", cfg->model_path, a);
            return 2;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    app_config cfg;
    app_config_default(&cfg);
    int r = parse_args(argc, argv, &cfg);
    if (r == 1) return 0;
    if (r == 2) {
        fputs("Try 'digitpad --help'.\n", stderr);
        return 2;
    }
    dp_error err = {0};
    if (dp_train_config_check(&cfg.train, &err) != DP_OK) {
        fprintf(stderr, "digitpad: %s\n", err.msg);
        return 2;
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "digitpad: cannot initialise SDL: %s\n", SDL_GetError());
        return 1;
    }
    app *a = NULL;
    char msg[1024];
    if (app_create(&a, &cfg, msg, sizeof msg) != 0) {
        fprintf(stderr, "digitpad: %s\n", msg);
        SDL_Quit();
        return 1;
    }
    int code = app_run(a);
    if (cfg.verbose) app_print_frame_stats(a);
    app_destroy(a);
    SDL_Quit();
    return code;
}
