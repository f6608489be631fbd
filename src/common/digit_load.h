/* Loading what both programs need: a model the digit programs can use, and
 * the hint that goes with a failure to load MNIST. */
#ifndef DIGITPAD_COMMON_DIGIT_LOAD_H
#define DIGITPAD_COMMON_DIGIT_LOAD_H

#include "digitpad/mlp.h"
#include "digitpad/model.h"
#include "digitpad/status.h"

typedef enum digit_model_result {
    DIGIT_MODEL_OK,
    DIGIT_MODEL_UNREADABLE, /* the file could not be read as a model */
    DIGIT_MODEL_WRONG_SIZE  /* a valid model, but not 784 inputs and 10 outputs */
} digit_model_result;

/* DIGIT_MODEL_OK if m has MNIST's 784 inputs and 10 outputs, else
 * DIGIT_MODEL_WRONG_SIZE with err "PATH: network is I-H-O, expected ...". */
digit_model_result check_digit_model(const char *path, const dp_mlp *m, dp_error *err);

/* Load a model file, a .dpm or a NumPy .npz (dp_model_load_any), and check
 * it has MNIST's 784 inputs and 10 outputs. meta may be NULL. On failure nothing is kept and err
 * says why (the wrong size as "PATH: network is I-H-O, expected 784 inputs and 10 outputs"). */
digit_model_result load_digit_model(const char *path, dp_mlp **out, dp_model_meta *meta,
                                    dp_error *err);

/* What a person can do after dp_mnist_load failed with status s: how to get
 * MNIST (missing, unreadable or damaged files, no directory), or "" when that
 * would not help (out of memory). */
const char *mnist_load_hint(dp_status s);

#endif
