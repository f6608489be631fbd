/* MNIST-style datasets read from IDX files, raw or gzip-compressed.
 *
 * Everything in a header is validated before anything is allocated: magic
 * numbers, 28x28 dimensions, counts against the file size, image and label
 * counts that agree, labels 0-9. Images stay uint8 in memory; a batch is
 * converted to float when it is used. */
#ifndef DIGITPAD_DATASET_H
#define DIGITPAD_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest image count accepted from a header (MNIST has 60,000, EMNIST
 * ByClass 697,932 for training): 784 MB of images at most. Anything larger
 * is reported as DP_ERR_RANGE. */
#define DP_IDX_MAX_COUNT 1000000u

typedef struct dp_dataset {
    uint32_t count;  /* number of samples */
    uint32_t rows;   /* 28 */
    uint32_t cols;   /* 28 */
    uint8_t *images; /* count x rows x cols, row-major, 0 = background */
    uint8_t *labels; /* count, each 0..9 */
} dp_dataset;

/* Parse an IDX image file (magic 0x00000803) already in memory. On success
 * *pixels is malloc'ed and owned by the caller. */
dp_status dp_idx_parse_images(const uint8_t *buf, size_t len, uint8_t **pixels, uint32_t *count,
                              uint32_t *rows, uint32_t *cols, dp_error *err);
/* Parse an IDX label file (magic 0x00000801); labels must be 0..9. */
dp_status dp_idx_parse_labels(const uint8_t *buf, size_t len, uint8_t **labels, uint32_t *count,
                              dp_error *err);

/* Read an images file and a labels file (each raw or .gz) into ds. */
dp_status dp_dataset_load(dp_dataset *ds, const char *images_path, const char *labels_path,
                          dp_error *err);
/* Read the standard MNIST file names from dir, trying "NAME" then
 * "NAME.gz": train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte. Either output may be NULL
 * to skip that split. */
dp_status dp_mnist_load(const char *dir, dp_dataset *train, dp_dataset *test, dp_error *err);
void dp_dataset_free(dp_dataset *ds);

/* Convert samples idx[0..n) (or 0..n if idx is NULL) to floats in [0,1],
 * n x (rows*cols). */
void dp_dataset_batch(const dp_dataset *ds, const uint32_t *idx, int n, float *X, uint8_t *y);

/* The environment variable the programs read the data directory from. */
#define DP_DATA_ENV "DIGITPAD_DATA"
/* The data directory to use: flag if non-NULL/non-empty, else env if
 * non-NULL/non-empty, else "data/mnist". The library reads no environment
 * variable: a program passes getenv(DP_DATA_ENV) as env. */
const char *dp_data_dir(const char *flag, const char *env);

#ifdef __cplusplus
}
#endif
#endif
