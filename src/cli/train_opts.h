/* Options of `digitpad-cli train`, parsed and checked. */
#ifndef DIGITPAD_CLI_TRAIN_OPTS_H
#define DIGITPAD_CLI_TRAIN_OPTS_H

#include "args.h"
#include "digitpad/model.h"
#include "digitpad/train.h"

typedef struct train_opts {
    const char *out;  /* model file to write (required) */
    const char *data; /* --data DIR or NULL */
    const char *init; /* --init FILE or NULL */
    dp_train_config cfg;
    int quiet; /* no progress display */
    int limit; /* train on the first `limit` training images; 0 = all */
    char note[sizeof(((dp_model_meta *)0)->note)]; /* the command line, for the model file */
} train_opts;

/* Parse argv (argv[0] = "train") into o. Returns 0, CLI_PARSE_HELP or
 * CLI_PARSE_BAD (message and usage already printed). */
int train_opts_parse(train_opts *o, int argc, char **argv);

/* The layer-1 path from --layer1 P (flag, may be NULL: then
 * $DIGITPAD_LAYER1, else auto). Returns 0, or -1 if it names no path. */
int train_opts_layer1(const char *flag, dp_layer1 *out);

/* A one-line summary of the configuration, e.g. for the log. */
void train_opts_describe(const train_opts *o, char *buf, size_t n);

#endif
