#include "sparse_batch.h"

#include <stdlib.h>

#include "mlp_internal.h"

static int grow(void **p, size_t n, size_t size) {
    void *q = realloc(*p, n * size);
    if (!q) return -1;
    *p = q;
    return 0;
}

dp_status dp__sparse_build(dp_sparse_batch *s, const float *X, int rows, int cols) {
    if (rows != s->rows || cols != s->cols || !s->row_ptr) {
        if (grow((void **)&s->row_ptr, (size_t)rows + 1, sizeof(int)) ||
            grow((void **)&s->col_ptr, (size_t)cols + 1, sizeof(int)))
            return DP_ERR_NOMEM;
        s->rows = rows;
        s->cols = cols;
    }
    /* room for a fully dense batch, so one pass over X suffices */
    size_t total = (size_t)rows * cols;
    if (total > (size_t)s->cap) {
        if (total > (size_t)1 << 30 || grow((void **)&s->row_col, total, sizeof(int)) ||
            grow((void **)&s->row_val, total, sizeof(float)) ||
            grow((void **)&s->col_row, total, sizeof(int)) ||
            grow((void **)&s->col_val, total, sizeof(float)))
            return DP_ERR_NOMEM;
        s->cap = (int)total;
    }
    /* CSR, counting entries per column on the way */
    for (int i = 0; i <= cols; i++) s->col_ptr[i] = 0;
    int k = 0;
    for (int r = 0; r < rows; r++) {
        s->row_ptr[r] = k;
        const float *x = X + (size_t)r * cols;
        for (int i = 0; i < cols; i++)
            if (x[i] != 0.0f) {
                s->row_col[k] = i;
                s->row_val[k++] = x[i];
                s->col_ptr[i + 1]++;
            }
    }
    s->row_ptr[rows] = k;
    s->nnz = k;
    s->lo = cols;
    s->hi = 0;
    for (int i = 0; i < cols; i++)
        if (s->col_ptr[i + 1]) {
            if (s->lo == cols) s->lo = i;
            s->hi = i + 1;
        }
    if (s->hi == 0) s->lo = 0;
    /* CSC from the CSR: prefix sums, then place entries row by row */
    for (int i = 0; i < cols; i++) s->col_ptr[i + 1] += s->col_ptr[i];
    for (int r = 0; r < rows; r++)
        for (int e = s->row_ptr[r]; e < s->row_ptr[r + 1]; e++) {
            int i = s->row_col[e];
            int at = s->col_ptr[i]++;
            s->col_row[at] = r;
            s->col_val[at] = s->row_val[e];
        }
    /* placing advanced every col_ptr[i] to the start of column i+1: shift back */
    for (int i = cols; i > 0; i--) s->col_ptr[i] = s->col_ptr[i - 1];
    s->col_ptr[0] = 0;
    return DP_OK;
}

void dp__sparse_free(dp_sparse_batch *s) {
    free(s->row_ptr);
    free(s->row_col);
    free(s->row_val);
    free(s->col_ptr);
    free(s->col_row);
    free(s->col_val);
}

/* y += sum over entries [e0, e1) of val[e] * M[idx[e] * ld + c0 ...], four
 * entries per pass over y so y is loaded and stored a quarter as often. */
static void gather_axpy(int n, const int *idx, const float *val, int e0, int e1, const float *M,
                        int ld, int c0, float *y) {
    int e = e0;
    for (; e + 4 <= e1; e += 4) {
        const float a[4] = {val[e], val[e + 1], val[e + 2], val[e + 3]};
        dp__axpy4(n, a, M + (size_t)idx[e] * ld + c0, M + (size_t)idx[e + 1] * ld + c0,
                  M + (size_t)idx[e + 2] * ld + c0, M + (size_t)idx[e + 3] * ld + c0, y);
    }
    for (; e < e1; e++) dp__axpy(n, val[e], M + (size_t)idx[e] * ld + c0, y);
}

void dp__sparse_matmul(const dp_sparse_batch *s, const float *W, int ldw, int c0, int n, float *Y,
                       int ldy) {
    for (int r = 0; r < s->rows; r++)
        gather_axpy(n, s->row_col, s->row_val, s->row_ptr[r], s->row_ptr[r + 1], W, ldw, c0,
                    Y + (size_t)r * ldy + c0);
}

int dp__sparse_grad_row(const dp_sparse_batch *s, int i, const float *D, int ldd, int c0, int n,
                        float *g) {
    int e0 = s->col_ptr[i], e1 = s->col_ptr[i + 1];
    if (e0 == e1) return 0;
    for (int j = 0; j < n; j++) g[j] = 0.0f;
    gather_axpy(n, s->col_row, s->col_val, e0, e1, D, ldd, c0, g);
    return 1;
}

void dp__sparse_rank_update(const dp_sparse_batch *s, float alpha, const float *D, int ldd, int c0,
                            int n, float *W, int ldw) {
    float scaled[64];
    for (int i = 0; i < s->cols; i++) {
        int e = s->col_ptr[i], e1 = s->col_ptr[i + 1];
        /* scale this column's values by alpha, a chunk at a time */
        while (e < e1) {
            int m = e1 - e < 64 ? e1 - e : 64;
            for (int k = 0; k < m; k++) scaled[k] = alpha * s->col_val[e + k];
            gather_axpy(n, s->col_row + e, scaled, 0, m, D, ldd, c0, W + (size_t)i * ldw + c0);
            e += m;
        }
    }
}
