/* The non-zero inputs of a batch in compressed form. MNIST images are ~81%
 * background, so layer 1 touches far fewer weights this way than a dense
 * product does.
 *
 * Inputs are taken in pairs (2p, 2p+1): neighbouring pixels are mostly lit
 * together, so for each pair the part lists the rows that light either
 * pixel with both values (one may be 0). Each entry then feeds two weight
 * rows at once, which halves the loads per multiply-add in the products
 * (sparse_kernels.h).
 *
 * A batch is compressed in parts, one per member of the training team:
 * part k holds rows [r0, r1), so each member compresses its own rows
 * without waiting for the others. Internal to the core. */
#ifndef DIGITPAD_SPARSE_BATCH_H
#define DIGITPAD_SPARSE_BATCH_H

#include "digitpad/status.h"

typedef struct dp_sparse_part {
    int r0, r1, cols, pairs; /* pairs = (cols + 1) / 2 */
    int nnz;                 /* non-zero inputs in rows [r0, r1) */
    int cap_rows;
    int *row_ptr;    /* scratch: the rows' non-zeros, row by row (CSR) */
    int *row_col;    /* cap_rows * cols */
    float *row_val;  /* cap_rows * cols */
    int *pair_ptr;   /* pairs + 1: entries of pair p are [pair_ptr[p], pair_ptr[p+1]) */
    int *pair_row;   /* cap_rows * pairs: the batch row of each entry, increasing per pair */
    float *pair_val; /* 2 per entry: x[row, 2p], x[row, 2p+1] (0 past the last input) */
} dp_sparse_part;

/* Make room for up to rows rows of cols inputs (all of them non-zero). */
dp_status dp__sparse_part_reserve(dp_sparse_part *p, int rows, int cols);
/* Compress rows [r0, r1) of X (row stride cols) into p, which must have
 * room for them (dp__sparse_part_reserve). */
void dp__sparse_part_build(dp_sparse_part *p, const float *X, int r0, int r1, int cols);
void dp__sparse_part_free(dp_sparse_part *p);

#endif
