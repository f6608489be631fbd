#include "sparse_batch.h"

#include <stdlib.h>
#include <string.h>
#ifdef __AVX512F__
#include <immintrin.h>
#endif

static int grow(void **p, size_t n, size_t size) {
    void *q = realloc(*p, n * size);
    if (!q) return -1;
    *p = q;
    return 0;
}

dp_status dp__sparse_part_reserve(dp_sparse_part *p, int rows, int cols) {
    if (rows < 0 || cols < 1) return DP_ERR_ARG;
    size_t pairs = ((size_t)cols + 1) / 2, total = (size_t)rows * cols, entries = rows * pairs;
    if (total > (size_t)1 << 30) return DP_ERR_NOMEM;
    if (rows > p->cap_rows || cols != p->cols) {
        if (grow((void **)&p->row_ptr, (size_t)rows + 1, sizeof(int)) ||
            grow((void **)&p->row_col, total + 1, sizeof(int)) ||
            grow((void **)&p->row_val, total + 1, sizeof(float)) ||
            grow((void **)&p->pair_ptr, pairs + 1, sizeof(int)) ||
            grow((void **)&p->pair_row, entries + 1, sizeof(int)) ||
            grow((void **)&p->pair_val, 2 * entries + 2, sizeof(float)))
            return DP_ERR_NOMEM;
        p->cap_rows = rows;
    }
    p->r0 = p->r1 = p->nnz = 0;
    p->cols = cols;
    p->pairs = (int)pairs;
    memset(p->pair_ptr, 0, (pairs + 1) * sizeof(int));
    return DP_OK;
}

/* Append the non-zeros of x (cols inputs) to col/val in increasing column
 * order; returns how many there are. The stores may run up to 15 entries
 * past the last one written, never past x's cols entries. */
static int compress_row(const float *x, int cols, int *col, float *val) {
    int k = 0, i = 0;
#ifdef __AVX512F__
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    for (; i + 16 <= cols; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        __mmask16 nz = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
        if (!nz) continue;
        _mm512_storeu_ps(val + k, _mm512_maskz_compress_ps(nz, v));
        _mm512_storeu_si512(
            col + k, _mm512_maskz_compress_epi32(nz, _mm512_add_epi32(lane, _mm512_set1_epi32(i))));
        k += __builtin_popcount(nz);
    }
#endif
    /* without branches: every input is written, only non-zeros advance */
    for (; i < cols; i++) {
        col[k] = i;
        val[k] = x[i];
        k += x[i] != 0.0f;
    }
    return k;
}

void dp__sparse_part_build(dp_sparse_part *p, const float *X, int r0, int r1, int cols) {
    p->r0 = r0;
    p->r1 = r1;
    int *count = p->pair_ptr + 1, k = 0;
    for (int q = 0; q < p->pairs; q++) count[q] = 0;
    for (int r = r0; r < r1; r++) {
        p->row_ptr[r - r0] = k;
        int n = compress_row(X + (size_t)r * cols, cols, p->row_col + k, p->row_val + k);
        /* one entry per pair that has a non-zero (columns come in order) */
        for (int e = k, last = -1; e < k + n; e++) {
            int q = p->row_col[e] >> 1;
            count[q] += q != last;
            last = q;
        }
        k += n;
    }
    p->row_ptr[r1 - r0] = k;
    p->nnz = k;
    /* prefix sums, then place the entries row by row, so each pair lists
     * its rows in increasing order */
    for (int q = 0; q < p->pairs; q++) count[q] += p->pair_ptr[q];
    for (int r = r0; r < r1; r++) {
        int at = -1, last = -1;
        for (int e = p->row_ptr[r - r0]; e < p->row_ptr[r - r0 + 1]; e++) {
            int i = p->row_col[e], q = i >> 1;
            if (q != last) {
                at = p->pair_ptr[q]++;
                p->pair_row[at] = r;
                p->pair_val[2 * at] = p->pair_val[2 * at + 1] = 0.0f;
                last = q;
            }
            p->pair_val[2 * at + (i & 1)] = p->row_val[e];
        }
    }
    /* placing advanced every pair_ptr[q] to the start of pair q+1: shift back */
    for (int q = p->pairs; q > 0; q--) p->pair_ptr[q] = p->pair_ptr[q - 1];
    p->pair_ptr[0] = 0;
}

void dp__sparse_part_free(dp_sparse_part *p) {
    free(p->row_ptr);
    free(p->row_col);
    free(p->row_val);
    free(p->pair_ptr);
    free(p->pair_row);
    free(p->pair_val);
}
