/* Dense row-major float matrix products.
 *
 *   C[m x n] = alpha * op(A)[m x k] . op(B)[k x n] + beta * C
 *
 * op(X) is X or its transpose. lda/ldb/ldc are row strides of the matrices
 * as stored. Two backends compute the same thing: DP_BACKEND_BLAS calls
 * cblas_sgemm (OpenBLAS), DP_BACKEND_REFERENCE is a short plain-loop version
 * the tests compare against. */
#ifndef DIGITPAD_MATRIX_H
#define DIGITPAD_MATRIX_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dp_backend { DP_BACKEND_BLAS = 0, DP_BACKEND_REFERENCE = 1 } dp_backend;

typedef enum dp_trans { DP_NOTRANS = 0, DP_TRANS = 1 } dp_trans;

void dp_gemm(dp_backend be, dp_trans ta, dp_trans tb, int m, int n, int k, float alpha,
             const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);

/* Number of threads the BLAS may use (1 or more); returns the previous value
 * or 0 if the BLAS cannot tell. */
int dp_blas_set_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
