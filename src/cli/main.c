/* digitpad-cli: train, evaluate and use the digit network from the shell.
 * This file only dispatches to the commands (one file each). */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"

#ifndef DIGITPAD_VERSION
#error "DIGITPAD_VERSION comes from CMake (project version)"
#endif

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"train", cmd_train, "train the 784-800-10 network on MNIST and save it"},
    {"eval", cmd_eval, "accuracy, per-digit accuracy and confusion matrix on the test set"},
    {"predict", cmd_predict, "classify image files (PNG, JPEG, PGM, BMP)"},
    {"inspect", cmd_inspect, "show a model file's format, architecture, metadata and checksum"},
    {"export", cmd_export, "write a model as ONNX or as a NumPy .npz (for PyTorch)"},
    {"import", cmd_import, "turn a NumPy .npz of the weights (e.g. from PyTorch) into a .dpm"},
    {"bench", cmd_bench, "speed of training and inference on this machine"},
    {"gate-train", cmd_gate_train, "train the not-a-digit gate (digits against generated strokes)"},
    {"pen-render", cmd_pen_render, "draw the pen digits as the window does and save them as IDX"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
    fputs("usage: digitpad-cli COMMAND [OPTIONS]\n"
          "       digitpad-cli COMMAND --help\n"
          "       digitpad-cli --version\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    }
    fputs("\n"
          "MNIST is read from --data DIR, else $DIGITPAD_DATA, else data/mnist\n"
          "(scripts/get-mnist downloads it there).\n",
          out);
}

static const command *find_command(const char *name) {
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs("digitpad-cli: no command given\n", stderr);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("digitpad-cli %s\n", DIGITPAD_VERSION);
        return CLI_EXIT_OK;
    }
    cli_select_kernels("digitpad-cli");
    if (strcmp(name, "help") == 0) { /* "help CMD" == "CMD --help" */
        if (argc == 2) {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        const command *c = find_command(argv[2]);
        if (!c) {
            fprintf(stderr, "digitpad-cli: unknown command '%s'\n", argv[2]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        static char help_opt[] = "--help";
        char *help_argv[] = {argv[2], help_opt, NULL};
        return c->run(2, help_argv);
    }
    const command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "digitpad-cli: unknown command '%s'\n", name);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
