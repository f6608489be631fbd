#include "sparse_batch.h"

#include <stdlib.h>
#include <string.h>
#if defined(__AVX512F__) || defined(__BMI2__)
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
            grow((void **)&p->row_col, entries + 8, sizeof(int)) ||
            grow((void **)&p->row_val, 2 * entries + 16, sizeof(float)) ||
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

/* The pairs (2q, 2q+1) of x (cols inputs) that hold a non-zero, in order:
 * pq[k] = q, pv[2k], pv[2k+1] = the two values (0 past the last input).
 * Returns how many; *nnz grows by the number of non-zero inputs. The
 * stores may run up to 7 entries past the last one written, never past
 * the row's (cols + 1) / 2 entries. */
static int pairs_of_row(const float *x, int cols, int *pq, float *pv, int *nnz) {
    int k = 0, i = 0;
#if defined(__AVX512F__) && defined(__AVX512VL__) && defined(__BMI2__)
    const __m256i lane = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
    for (; i + 16 <= cols; i += 16) { /* 8 pairs at a time */
        __m512 v = _mm512_loadu_ps(x + i);
        unsigned m = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
        if (!m) continue;
        *nnz += __builtin_popcount(m);
        __mmask8 pm = (__mmask8)_pext_u32(m | m >> 1, 0x5555); /* pairs with a non-zero */
        _mm512_storeu_si512(pv + 2 * k, _mm512_maskz_compress_epi64(pm, _mm512_castps_si512(v)));
        _mm256_storeu_si256(
            (__m256i *)(pq + k),
            _mm256_maskz_compress_epi32(pm, _mm256_add_epi32(lane, _mm256_set1_epi32(i / 2))));
        k += __builtin_popcount(pm);
    }
#endif
    for (; i < cols; i += 2) {
        float a = x[i], b = i + 1 < cols ? x[i + 1] : 0.0f;
        *nnz += (a != 0.0f) + (b != 0.0f);
        if (a != 0.0f || b != 0.0f) {
            pq[k] = i / 2;
            pv[2 * k] = a;
            pv[2 * k + 1] = b;
            k++;
        }
    }
    return k;
}

void dp__sparse_part_build(dp_sparse_part *p, const float *X, int r0, int r1, int cols) {
    p->r0 = r0;
    p->r1 = r1;
    p->nnz = 0;
    int *count = p->pair_ptr + 1, k = 0;
    for (int q = 0; q < p->pairs; q++) count[q] = 0;
    /* each row's pairs, in row_col (pair) and row_val (two values each) */
    for (int r = r0; r < r1; r++) {
        p->row_ptr[r - r0] = k;
        int n =
            pairs_of_row(X + (size_t)r * cols, cols, p->row_col + k, p->row_val + 2 * k, &p->nnz);
        for (int e = k; e < k + n; e++) count[p->row_col[e]]++;
        k += n;
    }
    p->row_ptr[r1 - r0] = k;
    /* prefix sums, then place the entries row by row, so each pair lists
     * its rows in increasing order */
    for (int q = 0; q < p->pairs; q++) count[q] += p->pair_ptr[q];
    for (int r = r0; r < r1; r++)
        for (int e = p->row_ptr[r - r0]; e < p->row_ptr[r - r0 + 1]; e++) {
            int at = p->pair_ptr[p->row_col[e]]++;
            p->pair_row[at] = r;
            memcpy(p->pair_val + 2 * at, p->row_val + 2 * e, 2 * sizeof(float));
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
