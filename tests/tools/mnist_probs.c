/* Test tool for tests/interchange.sh: digitpad's own inputs and output
 * probabilities on the first N MNIST test images, as raw (host-order)
 * float32 files, so other programs (OpenCV's ONNX importer) can be run on
 * the very same inputs and compared.
 *
 *   mnist_probs MODEL N X_OUT P_OUT     (MNIST from $DIGITPAD_DATA)
 * X_OUT gets N x 784 inputs (pixels / 255), P_OUT N x 10 probabilities from
 * dp_mlp_forward. */
#include "digitpad/dataset.h"
#include "digitpad/model.h"

#include <stdio.h>
#include <stdlib.h>

static int write_floats(const char *path, const float *v, size_t n) {
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(v, sizeof *v, n, f) == n;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) fprintf(stderr, "mnist_probs: cannot write %s\n", path);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fputs("usage: mnist_probs MODEL N X_OUT P_OUT\n", stderr);
        return 2;
    }
    int n = atoi(argv[2]);
    dp_error err = {0};
    dp_mlp *m = NULL;
    dp_dataset test = {0};
    if (dp_model_load_any(argv[1], &m, NULL, &err) != DP_OK ||
        dp_mnist_load(dp_data_dir(NULL, getenv(DP_DATA_ENV)), NULL, &test, &err) != DP_OK) {
        fprintf(stderr, "mnist_probs: %s\n", err.msg);
        dp_mlp_destroy(m);
        return 1;
    }
    if (n < 1 || (uint32_t)n > test.count || m->n_in != (int)(test.rows * test.cols)) {
        fprintf(stderr, "mnist_probs: bad N or model shape\n");
        return 1;
    }
    float *X = malloc((size_t)n * (size_t)m->n_in * sizeof *X);
    dp_workspace *ws = NULL;
    int rc = 1;
    if (X && dp_workspace_create(&ws, m, n) == DP_OK) {
        dp_dataset_batch(&test, NULL, n, X, NULL);
        const float *P = dp_mlp_forward(m, ws, X, n, DP_BACKEND_BLAS);
        rc = !P || write_floats(argv[3], X, (size_t)n * (size_t)m->n_in) ||
             write_floats(argv[4], P, (size_t)n * (size_t)m->n_out);
    }
    dp_workspace_destroy(ws);
    free(X);
    dp_mlp_destroy(m);
    dp_dataset_free(&test);
    return rc;
}
