/* digitpad: draw a digit, watch the network read it, press T to watch it
 * learn. Exit codes: 0 normal quit, 1 cannot start (no display, no font,
 * model file unusable), 2 bad command line. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmdline.h"

#ifndef DIGITPAD_VERSION
#error "DIGITPAD_VERSION comes from CMake (project version)"
#endif

static void usage(FILE *f) {
    if (f == stderr) { /* after a usage error: short */
        fputs("Try 'digitpad --help'.\n", f);
        return;
    }
    fputs("usage: digitpad [MODEL.dpm] [options]\n"
          "\n"
          "Draw a digit with the mouse; a 784-800-10 network reads it live. T trains it on\n"
          "MNIST in the background, H in the window lists all keys.\n"
          "\n"
          "  MODEL.dpm          model to start with, a .dpm or a NumPy .npz (default: the shipped\n"
          "                     models/mnist-800.dpm, or a random network if there is none)\n"
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

/* --size WxH in points; 0 on success. */
static int parse_size(const char *s, int *w, int *h) {
    char x;
    if (sscanf(s, "%d%c%d", w, &x, h) != 3 || x != 'x') return -1;
    return *w >= 320 && *h >= 240 && *w <= 16384 && *h <= 16384 ? 0 : -1;
}

/* Fills cfg from the command line. Returns 0 to start, CLI_PARSE_HELP when
 * help or the version was printed, CLI_PARSE_BAD after a usage error. */
static int parse_args(int argc, char **argv, app_config *cfg) {
    int version = 0, augment = 0, no_augment = 0;
    const char *size = NULL;
    dp_train_config *t = &cfg->train;
    const cli_opt opts[] = {
        {"--fresh", CLI_OPT_FLAG, &cfg->no_default_model, 0, 0, 0, NULL},
        {"--data", CLI_OPT_STRING, &cfg->data_dir, 0, 0, 0, NULL},
        {"--font", CLI_OPT_STRING, &cfg->font_path, 0, 0, 0, NULL},
        {"--save-to", CLI_OPT_STRING, &cfg->save_to, 0, 0, 0, NULL},
        {"--epochs", CLI_OPT_INT, &t->epochs, 1, 100000, 0, NULL},
        {"--lr", CLI_OPT_FLOAT, &t->lr, 0, 99.0, 1, NULL},
        {"--batch", CLI_OPT_INT, &t->batch, 1, 65536, 0, NULL},
        {"--seed", CLI_OPT_U64, &t->seed, 0, 0, 0, NULL},
        {"--augment", CLI_OPT_FLAG, &augment, 0, 0, 0, NULL},
        {"--no-augment", CLI_OPT_FLAG, &no_augment, 0, 0, 0, NULL},
        {"--size", CLI_OPT_STRING, &size, 0, 0, 0, NULL},
        {"--verbose", CLI_OPT_FLAG, &cfg->verbose, 0, 0, 0, NULL},
        {"-v", CLI_OPT_FLAG, &cfg->verbose, 0, 0, 0, NULL},
        {"--version", CLI_OPT_FLAG, &version, 0, 0, 0, NULL},
    };
    const cli_spec spec = {NULL, usage, opts, (int)(sizeof opts / sizeof opts[0]), "digitpad"};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return npos;
    if (version) {
        printf("digitpad %s\n", DIGITPAD_VERSION);
        return CLI_PARSE_HELP;
    }
    if (npos > 1) {
        cli_usage_error(&spec, "more than one model given (%s, %s)", argv[1], argv[2]);
        return CLI_PARSE_BAD;
    }
    if (npos == 1) cfg->model_path = argv[1];
    if (no_augment) {
        cfg->augment = 0;
    } else if (augment) {
        cfg->augment = 1;
    }
    if (size && parse_size(size, &cfg->width, &cfg->height) != 0) {
        cli_usage_error(&spec, "--size needs WxH, e.g. 1440x800; got '%s'", size);
        return CLI_PARSE_BAD;
    }
    dp_error err = {0};
    if (dp_train_config_check(t, &err) != DP_OK) {
        cli_usage_error(&spec, "%s", err.msg);
        return CLI_PARSE_BAD;
    }
    return 0;
}

/* With no usable display SDL falls back to its offscreen driver and the
 * window would run where nobody sees it. Unless SDL_VIDEODRIVER asks for a
 * driver explicitly (the tests use "dummy"; a bare console "kmsdrm"), that
 * is "no display": 1 and the reason in msg. Called before SDL_Init
 * (sdl_up 0: only the environment) and after it (which driver SDL took). */
static int no_display(int sdl_up, char *msg, size_t n) {
    const char *asked = getenv("SDL_VIDEODRIVER");
    if (asked && *asked) return 0;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    const int have_x = x && *x, have_wl = wl && *wl;
    if (!have_x && !have_wl) {
        snprintf(msg, n, "no display (DISPLAY and WAYLAND_DISPLAY are not set)");
        return 1;
    }
    if (!sdl_up) return 0;
    const char *drv = SDL_GetCurrentVideoDriver();
    if (drv && strcmp(drv, "offscreen") != 0 && strcmp(drv, "dummy") != 0) return 0;
    snprintf(msg, n, "no display (cannot open %s%s%s)", have_x ? x : "",
             have_x && have_wl ? " or " : "", have_wl ? wl : "");
    return 1;
}

static int report_no_display(const char *why) {
    fprintf(stderr,
            "digitpad: %s; run it in a desktop session, or set SDL_VIDEODRIVER to choose a "
            "video driver\n",
            why);
    return CLI_EXIT_FAIL;
}

int main(int argc, char **argv) {
    app_config cfg;
    app_config_default(&cfg);
    int r = parse_args(argc, argv, &cfg);
    if (r != 0) return cli_parse_exit(r);
    cli_select_kernels("digitpad");
    char why[256];
    if (no_display(0, why, sizeof why)) return report_no_display(why);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "digitpad: cannot initialise SDL: %s\n", SDL_GetError());
        return CLI_EXIT_FAIL;
    }
    if (no_display(1, why, sizeof why)) {
        SDL_Quit();
        return report_no_display(why);
    }
    app *a = NULL;
    char msg[1024];
    if (app_create(&a, &cfg, msg, sizeof msg) != 0) {
        fprintf(stderr, "digitpad: %s\n", msg);
        SDL_Quit();
        return CLI_EXIT_FAIL;
    }
    int code = app_run(a);
    if (cfg.verbose) app_print_frame_stats(a);
    app_destroy(a);
    SDL_Quit();
    return code;
}
