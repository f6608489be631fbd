/* Row-major SGEMM: an OpenBLAS path and a plain-loop reference path. */
#include "digitpad/matrix.h"

#include <cblas.h>

/* Element (r,c) of op(X), where X is stored row-major with row stride ld. */
static inline float op_at(const float *X, int ld, dp_trans t, int r, int c) {
    return t == DP_NOTRANS ? X[(size_t)r * ld + c] : X[(size_t)c * ld + r];
}

/* The reference: C = alpha * op(A) . op(B) + beta * C, one dot product per
 * element, accumulated in double so it is a trustworthy yardstick. */
static void gemm_reference(dp_trans ta, dp_trans tb, int m, int n, int k, float alpha,
                           const float *A, int lda, const float *B, int ldb, float beta, float *C,
                           int ldc) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double acc = 0.0;
            for (int p = 0; p < k; p++)
                acc += (double)op_at(A, lda, ta, i, p) * (double)op_at(B, ldb, tb, p, j);
            float *c = &C[(size_t)i * ldc + j];
            /* beta == 0 means "overwrite", even if C held NaN (BLAS semantics). */
            *c = (float)(alpha * acc + (beta == 0.0f ? 0.0 : (double)beta * *c));
        }
    }
}

void dp_gemm(dp_backend be, dp_trans ta, dp_trans tb, int m, int n, int k, float alpha,
             const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (be == DP_BACKEND_REFERENCE) {
        gemm_reference(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    cblas_sgemm(CblasRowMajor, ta == DP_TRANS ? CblasTrans : CblasNoTrans,
                tb == DP_TRANS ? CblasTrans : CblasNoTrans, m, n, k, alpha, A, lda, B, ldb, beta, C,
                ldc);
}

int dp_blas_set_threads(int n) {
    int old = openblas_get_num_threads();
    if (n >= 1) openblas_set_num_threads(n);
    return old;
}
