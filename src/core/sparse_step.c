/* The sparse layer-1 products of the batch training step (MNIST inputs are
 * ~81% zero), for the hidden units [j0, j0+nh) a member of the team owns.
 * The batch is compressed in parts, one per member (sparse_batch.h); the
 * products read every part, in batch-row order, so the sums come out the
 * same whatever the number of members. */
#include <stdlib.h>
#include <string.h>

#include "mlp_internal.h"
#include "sparse_batch.h"
#include "sparse_kernels.h"
#include "train_step.h"

dp_status dp__sparse_step_reserve(dp_workspace *ws, int members, int rows) {
    fast_scratch *fs = ws->fast;
    rows = (rows + members - 1) / members; /* the most rows a part gets */
    if (fs->n_parts >= members && fs->part_rows >= rows) return DP_OK;
    dp_sparse_part *parts = calloc((size_t)members, sizeof *parts);
    float *grow = malloc((size_t)members * 2 * ws->n_hidden * sizeof *grow);
    dp_status s = parts && grow ? DP_OK : DP_ERR_NOMEM;
    for (int k = 0; s == DP_OK && k < members; k++)
        s = dp__sparse_part_reserve(&parts[k], rows, ws->n_in);
    if (s != DP_OK) {
        for (int k = 0; parts && k < members; k++) dp__sparse_part_free(&parts[k]);
        free(parts);
        free(grow);
        return s;
    }
    for (int k = 0; k < fs->n_parts; k++) dp__sparse_part_free(&fs->parts[k]);
    free(fs->parts);
    free(fs->grow);
    fs->parts = parts;
    fs->grow = grow;
    fs->n_parts = members;
    fs->part_rows = rows;
    return DP_OK;
}

void dp__sparse_compress_share(dp_workspace *ws, const float *X, int rows, int member,
                               int members) {
    fast_scratch *fs = ws->fast;
    dp__sparse_part_build(&fs->parts[member], X, dp__share(rows, member, members),
                          dp__share(rows, member + 1, members), ws->n_in);
}

/* The kernels ask for the W1 rows of the pair PF_AHEAD pairs on, so they
 * arrive from L2/L3 in time (4 measured best of 0, 1, 2 and 4). */
#define PF_AHEAD 4
static inline void prefetch_rows(const float *w, int H, int n) {
    for (int j = 0; j < n; j += 16) {
        __builtin_prefetch(w + j);
        __builtin_prefetch(w + H + j);
    }
}

/* The hidden units [j0, j0+nh) go through the kernels in blocks of BLOCK;
 * the last block takes the rest, up to DP_PAIR_COLS (a narrow block would
 * cost almost as much per entry as a full one). */
#define BLOCK 64
static int blocks(int nh) {
    int nb = nh / BLOCK;
    if (nh - nb * BLOCK > DP_PAIR_COLS - BLOCK || nb == 0) nb++;
    return nb;
}

long dp__sparse_nnz(const dp_workspace *ws, int members, int *lo, int *hi) {
    const fast_scratch *fs = ws->fast;
    const int pairs = fs->parts[0].pairs;
    long nnz = 0;
    int q0 = pairs, q1 = 0;
    for (int k = 0; k < members; k++) {
        const dp_sparse_part *p = &fs->parts[k];
        nnz += p->nnz;
        for (int q = 0; q < pairs; q++)
            if (p->pair_ptr[q + 1] > p->pair_ptr[q]) {
                q0 = q < q0 ? q : q0;
                q1 = q + 1 > q1 ? q + 1 : q1;
            }
    }
    *lo = q1 > q0 ? 2 * q0 : 0;
    *hi = q1 > q0 ? (2 * q1 < ws->n_in ? 2 * q1 : ws->n_in) : 0;
    return nnz;
}

/* The entries of pair q from every part, in part (so batch-row) order;
 * returns how many parts have any. */
static int pair_runs(const fast_scratch *fs, int members, int q, dp_pair_run *runs) {
    int n = 0;
    for (int k = 0; k < members; k++) {
        const dp_sparse_part *p = &fs->parts[k];
        int e0 = p->pair_ptr[q], e1 = p->pair_ptr[q + 1];
        if (e1 > e0) runs[n++] = (dp_pair_run){p->pair_row + e0, p->pair_val + 2 * e0, e1 - e0};
    }
    return n;
}

void dp__sparse_forward(const dp_workspace *ws, int members, const float *W1, int j0, int nh,
                        float *out1) {
    const fast_scratch *fs = ws->fast;
    const int I = ws->n_in, H = ws->n_hidden;
    /* a block of hidden units at a time, so its rows of out1 stay in L1 */
    for (int b = 0, nb = blocks(nh); b < nb; b++) {
        int c = j0 + b * BLOCK, n = b == nb - 1 ? nh - b * BLOCK : BLOCK;
        for (int q = 0; q < fs->parts[0].pairs; q++) {
            const float *w0 = W1 + (size_t)2 * q * H + c, *w1 = 2 * q + 1 < I ? w0 + H : NULL;
            dp_pair_run runs[DP_MAX_PARTS];
            if (2 * q + PF_AHEAD * 2 + 1 < I) prefetch_rows(w0 + (size_t)PF_AHEAD * 2 * H, H, n);
            int nruns = pair_runs(fs, members, q, runs);
            if (nruns) dp__pair_forward(n, runs, nruns, w0, w1, out1 + c, H);
        }
    }
}

/* g0 (and g1) += alpha * the gradient rows of inputs 2q (and 2q+1), columns
 * [c, c+n), from every part in batch-row order. */
static void add_pair_grad(const fast_scratch *fs, int members, int q, float alpha, const float *D,
                          int H, int c, int n, float *g0, float *g1) {
    dp_pair_run runs[DP_MAX_PARTS];
    int nruns = pair_runs(fs, members, q, runs);
    if (nruns) dp__pair_update(n, runs, nruns, alpha, D + c, H, g0, g1);
}

void dp__sparse_update_w1(const step_job *job, int members, int member, int j0, int nh) {
    const fast_scratch *fs = job->ws->fast;
    const int I = job->m->n_in, H = job->m->n_hidden, pairs = fs->parts[0].pairs;
    const float lr = job->lr, mu = job->mu, wd = job->wd;
    const float *D = job->ws->delta1;
    float *W1 = job->m->W1, *V1 = job->v ? job->v->W1 : NULL;
    if (!V1 && wd == 0.0f) {
        /* plain SGD: W1 -= lr X^T delta1, only rows with a gradient change;
         * a block of hidden units at a time, so its rows of delta1 stay in
         * L1; last block first, as the forward pass just left that one in
         * L2 (and the next forward pass starts with the block this ends on) */
        for (int nb = blocks(nh), b = nb - 1; b >= 0; b--) {
            int c = j0 + b * BLOCK, n = b == nb - 1 ? nh - b * BLOCK : BLOCK;
            for (int q = 0; q < pairs; q++) {
                float *w0 = W1 + (size_t)2 * q * H + c, *w1 = 2 * q + 1 < I ? w0 + H : NULL;
                if (2 * q + PF_AHEAD * 2 + 1 < I)
                    prefetch_rows(w0 + (size_t)PF_AHEAD * 2 * H, H, n);
                add_pair_grad(fs, members, q, -lr, D, H, c, n, w0, w1);
            }
        }
        return;
    }
    /* momentum or weight decay: every row changes, so compute each pair's
     * gradient rows, then apply them */
    float *g = fs->grow + (size_t)member * 2 * H;
    for (int q = 0; q < pairs; q++) {
        int rows = 2 * q + 1 < I ? 2 : 1;
        memset(g + j0, 0, (size_t)nh * sizeof(float)); /* only this member's columns */
        memset(g + H + j0, 0, (size_t)nh * sizeof(float));
        for (int b = 0, nb = blocks(nh); b < nb; b++) {
            int c = j0 + b * BLOCK, n = b == nb - 1 ? nh - b * BLOCK : BLOCK;
            add_pair_grad(fs, members, q, 1.0f, D, H, c, n, g + c, rows == 2 ? g + H + c : NULL);
        }
        for (int t = 0; t < rows; t++) {
            float *w = W1 + (size_t)(2 * q + t) * H, *gt = g + (size_t)t * H;
            if (!V1) { /* W = (1 - lr wd) W - lr g */
                for (int j = j0; j < j0 + nh; j++) w[j] = (1.0f - lr * wd) * w[j] - lr * gt[j];
                continue;
            }
            float *v = V1 + (size_t)(2 * q + t) * H;
            for (int j = j0; j < j0 + nh; j++) v[j] = mu * v[j] - lr * (gt[j] + wd * w[j]);
            for (int j = j0; j < j0 + nh; j++) w[j] += v[j];
        }
    }
}
