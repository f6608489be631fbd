/* Loading what several commands need, with one clear error line on failure. */
#ifndef DIGITPAD_CLI_LOAD_H
#define DIGITPAD_CLI_LOAD_H

#include "digitpad/dataset.h"
#include "digitpad/mlp.h"
#include "digitpad/model.h"

/* Load MNIST from dp_data_dir(data_flag); train or test may be NULL. On
 * failure prints an error that says how to get the data and returns
 * CLI_EXIT_FAIL; returns 0 on success. */
int cli_load_mnist(const char *data_flag, dp_dataset *train, dp_dataset *test);

/* Load a model file (.dpm or .npz: load_digit_model) and check it has
 * MNIST's 784 inputs and 10 outputs. meta may be NULL. Prints an error and
 * returns CLI_EXIT_FAIL on failure. */
int cli_load_model(const char *path, dp_mlp **out, dp_model_meta *meta);

#endif
