/* dp_mlp_train_step: forward, backward and SGD update of one batch, fused so
 * no gradient buffer is materialised.
 *
 * Dense path (any batch): after the forward pass and the two deltas (which
 * use the weights before the update), each weight matrix is updated by one
 * GEMM that accumulates straight into it:
 *   W += (-lr) * A^T . D            (no momentum; D already holds 1/B)
 *   V  = mu * V + (-lr) * A^T . D   (momentum), then W += V
 * where A is the layer's input (X or out1) and D its delta.
 *
 * Sparse path (one sample, no momentum, no weight decay: the paper's
 * per-sample SGD): MNIST inputs are ~80% zeros, so only the rows of W1 that
 * belong to non-zero pixels are read in the forward pass and written in the
 * update, and only hidden units that fired touch W2. */
#include <string.h>

#include "digitpad/mlp.h"
#include "mlp_internal.h"

/* y[0..n) += a * x[0..n) */
static void axpy(int n, float a, const float *restrict x, float *restrict y) {
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

static double sparse_sample_step(dp_mlp *m, dp_workspace *ws, const float *x, uint8_t label,
                                 float lr) {
    fast_scratch *fs = ws->fast;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    float *h = ws->out1, *d1 = ws->delta1, *z = ws->net2, *d2 = ws->delta2;
    int nnz = 0;
    for (int i = 0; i < I; i++)
        if (x[i] != 0.0f) fs->nz[nnz++] = i;
    /* h (1 x H) = relu(b1 + sum over non-zero i of x[i] * W1[i,:]) */
    memcpy(h, m->b1, (size_t)H * sizeof(float));
    for (int k = 0; k < nnz; k++) axpy(H, x[fs->nz[k]], m->W1 + (size_t)fs->nz[k] * H, h);
    for (int j = 0; j < H; j++) h[j] = h[j] > 0.0f ? h[j] : 0.0f;
    /* z (1 x O) = b2 + sum over active j of h[j] * W2[j,:] */
    memcpy(z, m->b2, (size_t)O * sizeof(float));
    for (int j = 0; j < H; j++)
        if (h[j] > 0.0f) axpy(O, h[j], m->W2 + (size_t)j * O, z);
    dp__softmax_rows(z, ws->out2, 1, O);
    double loss = dp_mlp_loss(ws, &label, 1);
    dp__output_delta(ws, &label, 1, 1.0f);
    /* d1[j] = W2[j,:] . d2 for active j (using W2 before its update), then
     * W2[j,:] -= lr * h[j] * d2 */
    for (int j = 0; j < H; j++) {
        float *w2 = m->W2 + (size_t)j * O;
        float s = 0.0f;
        if (h[j] > 0.0f) {
            for (int o = 0; o < O; o++) s += w2[o] * d2[o];
            axpy(O, -lr * h[j], d2, w2);
        }
        d1[j] = s;
    }
    axpy(O, -lr, d2, m->b2);
    axpy(H, -lr, d1, m->b1);
    for (int k = 0; k < nnz; k++) axpy(H, -lr * x[fs->nz[k]], d1, m->W1 + (size_t)fs->nz[k] * H);
    return loss;
}

/* Update one layer: W (K x N), b (N), input A (B x K), delta D (B x N). */
static void update_layer(float *W, float *b, float *VW, float *Vb, const float *A, const float *D,
                         int rows, int K, int N, float lr, float mu, float wd) {
    size_t n = (size_t)K * N;
    if (!VW) {
        if (wd != 0.0f) {
            float keep = 1.0f - lr * wd;
            for (size_t i = 0; i < n; i++) W[i] *= keep;
        }
        dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, K, N, rows, -lr, A, K, D, N, 1.0f, W, N);
        for (int r = 0; r < rows; r++) axpy(N, -lr, D + (size_t)r * N, b);
        return;
    }
    float beta = mu;
    if (wd != 0.0f) {
        for (size_t i = 0; i < n; i++) VW[i] = mu * VW[i] - lr * wd * W[i];
        beta = 1.0f;
    }
    dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, K, N, rows, -lr, A, K, D, N, beta, VW, N);
    for (size_t i = 0; i < n; i++) W[i] += VW[i];
    for (int j = 0; j < N; j++) Vb[j] *= mu;
    for (int r = 0; r < rows; r++) axpy(N, -lr, D + (size_t)r * N, Vb);
    for (int j = 0; j < N; j++) b[j] += Vb[j];
}

dp_status dp_mlp_train_step(dp_mlp *m, dp_workspace *ws, const float *X, const uint8_t *labels,
                            int rows, float lr, float momentum, float weight_decay,
                            dp_mlp *velocity, double *loss) {
    if (!dp__ws_fits(m, ws, rows) || !X || !labels) return DP_ERR_ARG;
    if (momentum != 0.0f && !dp_mlp_same_shape(m, velocity)) return DP_ERR_ARG;
    if (!dp__labels_ok(labels, rows, m->n_out)) return DP_ERR_RANGE;
    if (rows == 1 && momentum == 0.0f && weight_decay == 0.0f) {
        double l = sparse_sample_step(m, ws, X, labels[0], lr);
        if (loss) *loss = l;
        return DP_OK;
    }
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    dp_mlp_forward(m, ws, X, rows, DP_BACKEND_BLAS);
    if (loss) *loss = dp_mlp_loss(ws, labels, rows);
    dp__output_delta(ws, labels, rows, 1.0f / (float)rows);
    dp__hidden_delta(m, ws, rows, DP_BACKEND_BLAS);
    dp_mlp *v = momentum != 0.0f ? velocity : NULL;
    update_layer(m->W2, m->b2, v ? v->W2 : NULL, v ? v->b2 : NULL, ws->out1, ws->delta2, rows, H, O,
                 lr, momentum, weight_decay);
    update_layer(m->W1, m->b1, v ? v->W1 : NULL, v ? v->b1 : NULL, X, ws->delta1, rows, I, H, lr,
                 momentum, weight_decay);
    return DP_OK;
}
