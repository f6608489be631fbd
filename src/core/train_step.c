/* dp_mlp_train_step: forward, backward and SGD update of one batch, fused so
 * no gradient buffer is materialised. Three paths:
 *
 * Every batch: each member of the team of threads (dp_workspace_set_threads)
 * owns a slice of the hidden units: its columns of W1, its rows of W2. The
 * members make and compress their shares of the rows, meet once the batch
 * is complete, run layer 1 for their hidden units, meet to add up the
 * logits, then each updates its own weights.
 *
 * Mostly-zero batches (MNIST): layer 1 through the compressed batch
 * (sparse_step.c).
 *
 * Dense batches: after the forward pass and the two deltas (which use the
 * weights before the update), each weight matrix is updated by one GEMM
 * that accumulates straight into it:
 *   W += (-lr) * A^T . D            (no momentum; D already holds 1/B)
 *   V  = mu * V + (-lr) * A^T . D   (momentum), then W += V
 * where A is the layer's input (X or out1) and D its delta. Input columns
 * that are zero in the whole batch are left out of both W1 products.
 *
 * One sample, no momentum, no weight decay (the paper's per-sample SGD):
 * only the rows of W1 that belong to non-zero inputs are read in the forward
 * pass and written in the update, and only hidden units that fired touch W2. */
#include <stdlib.h>
#include <string.h>

#include "digitpad/mlp.h"
#include "mlp_internal.h"
#include "train_step.h"

static double sparse_sample_step(dp_mlp *m, dp_workspace *ws, const float *x, uint8_t label,
                                 float lr) {
    fast_scratch *fs = ws->fast;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out;
    const float *h = ws->out1, *d2 = ws->delta2;
    float *d1 = ws->delta1;
    int nnz = 0;
    for (int i = 0; i < I; i++)
        if (x[i] != 0.0f) fs->nz[nnz++] = i;
    dp__forward_sparse_row(m, ws, x);
    double loss = dp_mlp_loss(ws, &label, 1);
    dp__output_delta(ws, &label, 1, 1.0f);
    /* d1[j] = W2[j,:] . d2 for active j (using W2 before its update), then
     * W2[j,:] -= lr * h[j] * d2 */
    for (int j = 0; j < H; j++) {
        float *w2 = m->W2 + (size_t)j * O;
        float s = 0.0f;
        if (h[j] > 0.0f) {
            for (int o = 0; o < O; o++) s += w2[o] * d2[o];
            dp__axpy(O, -lr * h[j], d2, w2);
        }
        d1[j] = s;
    }
    dp__axpy(O, -lr, d2, m->b2);
    dp__axpy(H, -lr, d1, m->b1);
    for (int k = 0; k < nnz; k++)
        dp__axpy(H, -lr * x[fs->nz[k]], d1, m->W1 + (size_t)fs->nz[k] * H);
    return loss;
}

void dp__update_block(float *W, float *V, int ld, int r0, int r1, int c0, int nc, int g0, int g1,
                      const float *A, int lda, const float *D, int ldd, int k, float lr, float mu,
                      float wd) {
    if (!V) {
        if (wd != 0.0f)
            for (int r = r0; r < r1; r++)
                for (int c = c0; c < c0 + nc; c++) W[(size_t)r * ld + c] *= 1.0f - lr * wd;
        if (g1 > g0)
            dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, g1 - g0, nc, k, -lr, A + g0, lda, D, ldd,
                    1.0f, W + (size_t)g0 * ld + c0, ld);
        return;
    }
    float beta = mu;
    if (wd != 0.0f) {
        for (int r = r0; r < r1; r++)
            for (int c = c0; c < c0 + nc; c++) {
                size_t i = (size_t)r * ld + c;
                V[i] = mu * V[i] - lr * wd * W[i];
            }
        beta = 1.0f;
    } else {
        /* rows without gradient only decay; the GEMM scales the others */
        for (int r = r0; r < r1; r++)
            if (r < g0 || r >= g1)
                for (int c = c0; c < c0 + nc; c++) V[(size_t)r * ld + c] *= mu;
    }
    if (g1 > g0)
        dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, g1 - g0, nc, k, -lr, A + g0, lda, D, ldd,
                beta, V + (size_t)g0 * ld + c0, ld);
    for (int r = r0; r < r1; r++)
        for (int c = c0; c < c0 + nc; c++) W[(size_t)r * ld + c] += V[(size_t)r * ld + c];
}

void dp__update_bias(float *b, float *vb, const float *D, int ldd, int rows, int j0, int j1,
                     float lr, float mu) {
    int n = j1 - j0;
    float *target = vb ? vb + j0 : b + j0; /* row by row: contiguous, vectorised */
    if (vb)
        for (int j = 0; j < n; j++) target[j] *= mu;
    for (int r = 0; r < rows; r++) dp__axpy(n, -lr, D + (size_t)r * ldd + j0, target);
    if (vb)
        for (int j = 0; j < n; j++) b[j0 + j] += target[j];
}

/* For each of the B rows: net2 = b2 + the members' partial logits (in
 * member order), out2 = softmax(net2), delta2 = (out2 - onehot) / B. The
 * three outputs may be the same buffer. Returns the summed loss of rows
 * [l0, l1). */
static double output_rows(const float *b2, const float *zpart, size_t zstride, int members, int B,
                          int O, const uint8_t *labels, float *net2, float *out2, float *delta2,
                          int l0, int l1) {
    double loss = 0.0;
    for (int r = 0; r < B; r++) {
        float *z = net2 + (size_t)r * O;
        for (int o = 0; o < O; o++) z[o] = b2[o];
        for (int t = 0; t < members; t++) dp__axpy(O, 1.0f, zpart + t * zstride + (size_t)r * O, z);
        /* z and out2 may be the same row: keep z[label] for the loss,
         * -ln p[label] = logsumexp(z) - z[label], of the own share of rows */
        const double zy = z[labels[r]];
        const double lse = dp__softmax_row(z, out2 + (size_t)r * O, O);
        if (r >= l0 && r < l1) loss += lse - zy;
        dp__output_delta_row(out2 + (size_t)r * O, labels[r], 1.0f / (float)B, O,
                             delta2 + (size_t)r * O);
    }
    return loss;
}

/* Sparse products pay off when most inputs in the batch's column range are
 * zero: MNIST has ~19% non-zero pixels, ~25% inside the range.
 * DIGITPAD_LAYER1=dense or =sparse forces a path (for tests and benchmarks). */
static int use_sparse(const fast_scratch *fs, long nnz, int rows, int lo, int hi) {
    if (fs->layer1) return fs->layer1 == 's';
    return nnz * 2 < (long)rows * (hi - lo);
}

static void step_member(void *ctx, int member, int members) {
    step_job *job = ctx;
    dp_mlp *m = job->m;
    dp_workspace *ws = job->ws;
    fast_scratch *fs = ws->fast;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out, B = job->rows;
    const int j0 = dp__share(H, member, members), j1 = dp__share(H, member + 1, members);
    const int nh = j1 - j0;
    const size_t zstride = 2 * (size_t)ws->max_rows * O; /* partial logits | own delta2 */
    float *zpart = fs->zpart + (size_t)member * zstride;

    /* each member makes and compresses its share of the rows */
    if (job->fill) {
        int r0 = dp__share(B, member, members), r1 = dp__share(B, member + 1, members);
        job->fill(job->fill_ctx, r0, r1, member);
    }
    dp__sparse_compress_share(ws, job->X, B, member, members);
    /* out1[:, j0:j1] (B x nh) = relu(X[:, lo:hi] . W1[lo:hi, j0:j1] + b1[j0:j1]) */
    for (int r = 0; r < B; r++)
        memcpy(ws->out1 + (size_t)r * H + j0, m->b1 + j0, (size_t)nh * sizeof(float));
    dp_team_barrier(job->team); /* the whole batch is made */
    /* every member reads the same parts, so all take the same path */
    int lo, hi;
    long nnz = dp__sparse_nnz(ws, members, &lo, &hi);
    const int sparse = use_sparse(fs, nnz, B, lo, hi);
    if (sparse)
        dp__sparse_forward(ws, members, m->W1, j0, nh, ws->out1);
    else if (hi > lo)
        dp_gemm(DP_BACKEND_BLAS, DP_NOTRANS, DP_NOTRANS, B, nh, hi - lo, 1.0f, job->X + lo, I,
                m->W1 + (size_t)lo * H + j0, H, 1.0f, ws->out1 + j0, H);
    for (int r = 0; r < B; r++) {
        float *h = ws->out1 + (size_t)r * H + j0;
        for (int j = 0; j < nh; j++) h[j] = h[j] > 0.0f ? h[j] : 0.0f;
    }
    /* this member's share of the logits: zpart (B x O) = out1[:, j0:j1] . W2[j0:j1, :] */
    dp_gemm(DP_BACKEND_BLAS, DP_NOTRANS, DP_NOTRANS, B, O, nh, 1.0f, ws->out1 + j0, H,
            m->W2 + (size_t)j0 * O, O, 0.0f, zpart, O);
    dp_team_barrier(job->team);

    /* Every member adds up the shares itself, so no second meeting is needed:
     * member 0 into the workspace (net2, out2, delta2), the others into a
     * private delta2 with the very same operations. Each sums the loss of
     * its share of the rows. */
    float *d2 = ws->delta2;
    const int l0 = dp__share(B, member, members), l1 = dp__share(B, member + 1, members);
    if (member == 0)
        job->loss_part[0] = output_rows(m->b2, fs->zpart, zstride, members, B, O, job->labels,
                                        ws->net2, ws->out2, d2, l0, l1);
    else {
        d2 = zpart + (size_t)ws->max_rows * O;
        job->loss_part[member] =
            output_rows(m->b2, fs->zpart, zstride, members, B, O, job->labels, d2, d2, d2, l0, l1);
    }

    /* delta1[:, j0:j1] = (delta2 . W2[j0:j1, :]^T) * [out1 > 0], before W2 changes */
    dp_gemm(DP_BACKEND_BLAS, DP_NOTRANS, DP_TRANS, B, nh, O, 1.0f, d2, O, m->W2 + (size_t)j0 * O, O,
            0.0f, ws->delta1 + j0, H);
    for (int r = 0; r < B; r++) {
        const float *h = ws->out1 + (size_t)r * H + j0;
        float *d1 = ws->delta1 + (size_t)r * H + j0;
        for (int j = 0; j < nh; j++) d1[j] = h[j] > 0.0f ? d1[j] : 0.0f;
    }
    dp_mlp *v = job->v;
    /* W2[j0:j1, :] -= lr * out1[:, j0:j1]^T . delta2 */
    dp__update_block(m->W2, v ? v->W2 : NULL, O, j0, j1, 0, O, j0, j1, ws->out1, H, d2, O, B,
                     job->lr, job->mu, job->wd);
    /* W1[:, j0:j1] -= lr * X^T . delta1[:, j0:j1]  (only rows lo..hi have a gradient) */
    if (sparse)
        dp__sparse_update_w1(job, members, member, j0, nh);
    else
        dp__update_block(m->W1, v ? v->W1 : NULL, H, 0, I, j0, nh, lo, hi, job->X, I,
                         ws->delta1 + j0, H, B, job->lr, job->mu, job->wd);
    dp__update_bias(m->b1, v ? v->b1 : NULL, ws->delta1, H, B, j0, j1, job->lr, job->mu);
    /* b2 is updated by the caller once every member is done: the others may
     * still be reading it in output_rows. */
}

dp_status dp__train_step_filled(dp_mlp *m, dp_workspace *ws, float *X, uint8_t *labels, int rows,
                                float lr, float momentum, float weight_decay, dp_mlp *velocity,
                                double *loss, dp__fill_fn fill, void *fill_ctx) {
    fast_scratch *fs = ws->fast;
    if (rows == 1 && momentum == 0.0f && weight_decay == 0.0f) {
        if (fill) fill(fill_ctx, 0, 1, 0);
        double l = sparse_sample_step(m, ws, X, labels[0], lr);
        if (loss) *loss = l;
        return DP_OK;
    }
    if (dp__sparse_step_reserve(ws, dp_team_size(fs->team), rows) != DP_OK) return DP_ERR_NOMEM;
    step_job job = {.m = m,
                    .ws = ws,
                    .team = fs->team,
                    .X = X,
                    .labels = labels,
                    .rows = rows,
                    .fill = fill,
                    .fill_ctx = fill_ctx,
                    .lr = lr,
                    .mu = momentum,
                    .wd = weight_decay,
                    .v = momentum != 0.0f ? velocity : NULL};
    dp_team_run(fs->team, step_member, &job);
    double sum = 0.0;
    for (int k = 0; k < dp_team_size(fs->team); k++) sum += job.loss_part[k];
    dp_mlp *v = job.v;
    dp__update_bias(m->b2, v ? v->b2 : NULL, ws->delta2, m->n_out, rows, 0, m->n_out, lr, momentum);
    if (loss) *loss = sum / rows;
    return DP_OK;
}

dp_status dp_mlp_train_step(dp_mlp *m, dp_workspace *ws, const float *X, const uint8_t *labels,
                            int rows, float lr, float momentum, float weight_decay,
                            dp_mlp *velocity, double *loss) {
    if (!dp__ws_fits(m, ws, rows) || !X || !labels) return DP_ERR_ARG;
    if (momentum != 0.0f && !dp_mlp_same_shape(m, velocity)) return DP_ERR_ARG;
    if (!dp__labels_ok(labels, rows, m->n_out)) return DP_ERR_RANGE;
    /* read-only without a fill function */
    return dp__train_step_filled(m, ws, (float *)X, (uint8_t *)labels, rows, lr, momentum,
                                 weight_decay, velocity, loss, NULL, NULL);
}
