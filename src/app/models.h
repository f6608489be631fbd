/* Finding, loading, cycling and saving .dpm models for the window. */
#ifndef DIGITPAD_APP_MODELS_H
#define DIGITPAD_APP_MODELS_H

#include <stddef.h>

#include "digitpad/mlp.h"
#include "digitpad/model.h"
#include "digitpad/status.h"

#define MODELS_DEFAULT_NAME "mnist-800.dpm"
#define MODELS_MAX_LISTED 256 /* files L steps through at most */

/* The shipped model: MODELS_DEFAULT_NAME in the first models directory
 * that has it, searched next to the executable (models, ../models,
 * ../../models, ../../../models), in the install prefix
 * (../share/digitpad/models, DIGITPAD_DATADIR/models) and in the source
 * tree (DIGITPAD_SOURCE_DIR/models). Returns 0 and fills path, or -1. */
int models_find_default(char *path, size_t n);
/* The first of those directories that exists (for L), or -1. */
int models_find_dir(char *dir, size_t n);

/* Loading a model the window can use: load_digit_model (digit_load.h). */

/* L: the model after `current` in the list [cli_path, ./ *.dpm sorted,
 * models_dir/ *.dpm sorted] (duplicates removed), wrapping around; the
 * first one if current is not in the list. -1 if the list is empty. */
int models_next(const char *current, const char *cli_path, const char *models_dir, char *out,
                size_t n);

/* Where Ctrl+S writes: save_to if given, else ./digitpad-model-STAMP.dpm
 * (not yet existing). Refuses (DP_ERR_ARG) to name the shipped model. */
dp_status models_save_path(const char *save_to, char *out, size_t n, dp_error *err);

/* 1 if a and b name the same existing file. */
int models_same_file(const char *a, const char *b);

#endif
