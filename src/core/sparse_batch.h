/* The non-zero inputs of a batch in compressed form, row-wise (CSR) for the
 * forward product and column-wise (CSC) for the weight update. MNIST images
 * are ~80% background, so layer 1 touches far fewer weights this way than
 * a dense product does. Internal to the core. */
#ifndef DIGITPAD_SPARSE_BATCH_H
#define DIGITPAD_SPARSE_BATCH_H

#include "digitpad/status.h"

typedef struct dp_sparse_batch {
    int rows, cols, nnz, cap;
    int lo, hi;     /* columns outside [lo, hi) are zero in every row */
    int *row_ptr;   /* rows + 1: entries of row r are [row_ptr[r], row_ptr[r+1]) */
    int *row_col;   /* nnz, CSR order */
    float *row_val; /* nnz */
    int *col_ptr;   /* cols + 1: entries of column i are [col_ptr[i], col_ptr[i+1]) */
    int *col_row;   /* nnz, CSC order */
    float *col_val; /* nnz */
} dp_sparse_batch;

/* Compress X (rows x cols); buffers grow as needed and are kept. */
dp_status dp__sparse_build(dp_sparse_batch *s, const float *X, int rows, int cols);
void dp__sparse_free(dp_sparse_batch *s);

/* Y[r, c0:c0+n] += sum over entries (r, i, x) of x * W[i, c0:c0+n]
 * (Y row stride ldy, W row stride ldw): the columns c0..c0+n of X . W. */
void dp__sparse_matmul(const dp_sparse_batch *s, const float *W, int ldw, int c0, int n, float *Y,
                       int ldy);

/* g[0..n) = sum over the entries (r, i, x) of column i of x * D[r, c0:c0+n]:
 * row i of X^T . D restricted to columns c0..c0+n. Returns 0 (and leaves g
 * untouched) if column i has no entries. */
int dp__sparse_grad_row(const dp_sparse_batch *s, int i, const float *D, int ldd, int c0, int n,
                        float *g);

/* W[i, c0:c0+n] += alpha * (X^T . D)[i, c0:c0+n] for every i: the plain SGD
 * update of layer 1, touching only rows of inputs that are non-zero. */
void dp__sparse_rank_update(const dp_sparse_batch *s, float alpha, const float *D, int ldd, int c0,
                            int n, float *W, int ldw);

#endif
