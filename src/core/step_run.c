/* One training step, read from top to bottom: forward pass, loss, backward
 * pass, update. Shapes are rows x cols (row-major): B = rows of the batch,
 * I = n_in, H = n_hidden, O = n_out; a member of the team owns the hidden
 * units [j0, j1), nh = j1 - j0.
 *
 * Two paths:
 *
 * One sample, no momentum, no weight decay (the paper's per-sample SGD):
 * only the rows of W1 that belong to non-zero inputs are read in the
 * forward pass and written in the update, and only hidden units that fired
 * touch W2 (sample_member: the team shares layer 1 by bands of inputs,
 * layer 2 by hidden units).
 *
 * Every other batch (batch_member, at the bottom): the hidden units go in
 * blocks of whole chunks of DP_CHUNK units (their columns of W1, their rows
 * of W2), which the members of the team claim as they go (dp_claims), so a
 * member that another program slows down takes fewer. Every product that
 * sums over hidden units, or whose shape would follow a member's share, is
 * made chunk by chunk, so the result does not depend on the number of
 * threads or on who took which block (step_internal.h). The members make
 * the rows in runs they claim and meet (when the team makes the batch),
 * compress their shares of the inputs of every row and meet, run layer 1
 * block by block, meet to add up the logits, make the softmax and delta2
 * of their own rows and meet, then run the backward pass and the update
 * block by block. Layer 1 goes through the
 * compressed batch when most inputs are zero (MNIST; the kernels, in sets
 * for AVX-512, AVX2 and plain C, are in sparse_kernels.h), through SGEMM otherwise. The updates
 * accumulate straight into the weights (no gradient buffer): W += (-lr) * A^T . D            (no
 * momentum; D already holds 1/B) V  = mu * V + (-lr) * A^T . D   (momentum), then W += V where A is
 * the layer's input (X or out1) and D its delta. */
#include <stdlib.h>
#include <string.h>

#include "mlp_internal.h"
#include "sparse_kernels.h"
#include "step_internal.h"

/* How many of the n units from unit j are among the H: n, or fewer in the
 * last chunk. */
static int units_from(int H, int j, int n) {
    return j + n < H ? n : H - j;
}

/* ---- the per-sample step ---------------------------------------------- */

static void output_rows(const float *b2, const float *zchunk, size_t zstride, int chunks, int r0,
                        int r1, int B, int O, const uint8_t *labels, float *net2, float *out2,
                        float *delta2, double *row_loss);

/* One sample, plain SGD, on the team. Layer 1 is split by inputs: a member
 * owns whole bands of inputs (step_internal.h), sums its bands' shares of
 * layer 1 and updates their rows of W1 (whole rows: no two members write
 * one cache line, and a row stays in its member's cache). The rest is
 * split by hidden units, as in a batch. The caller has listed the non-zero
 * inputs (st->nz, st->nzv, nnz of them; band b's are band_nz[b] onwards). */
typedef struct sample_job {
    dp_step *st;
    dp_mlp *m;
    uint8_t label;
    float lr;
} sample_job;

static void sample_member(void *ctx, int member, int members) {
    const sample_job *job = ctx;
    dp_step *st = job->st;
    dp_workspace *ws = st->ws;
    dp_mlp *m = job->m;
    dp_team *team = dp__step_team(st);
    const int H = m->n_hidden, O = m->n_out;
    const int b0 = dp__share(DP_BANDS, member, members),
              b1 = dp__share(DP_BANDS, member + 1, members);
    const int c0 = dp__share(st->n_chunks, member, members);
    const int c1 = dp__share(st->n_chunks, member + 1, members);
    const int j0 = c0 * DP_CHUNK, j1 = c1 * DP_CHUNK < H ? c1 * DP_CHUNK : H, nh = j1 - j0;
    float *h = ws->out1, *d1 = ws->delta1;

    /* forward, layer 1, each own band's share (1 x H), the first band's
     * from b1: sum[b] = [b == 0] b1 + the band's non-zero inputs' rows of W1 */
    for (int b = b0; b < b1; b++) {
        const int e0 = st->band_nz[b], n = st->band_nz[b + 1] - e0;
        dp__row_forward(H, b == 0 ? m->b1 : NULL, st->nz + e0, st->nzv + e0, n, m->W1, H,
                        st->band_sum + (size_t)b * H);
    }
    dp_team_barrier(team);

    /* own units: h[j] = relu(sum[0][j] + sum[1][j] + ...), in band order;
     * each own chunk's share of the logits from the units that fired,
     * zchunk[c] (1 x O) = h[chunk c] (1 x n) . W2[chunk c, :] (n x O) */
    for (int j = j0; j < j1; j++) {
        float a = st->band_sum[j];
        for (int b = 1; b < DP_BANDS; b++) a += st->band_sum[(size_t)b * H + j];
        h[j] = a > 0.0f ? a : 0.0f;
    }
    for (int c = c0; c < c1; c++) {
        const int j = c * DP_CHUNK, n = units_from(H, j, DP_CHUNK);
        dp__row_logits(n, O, h + j, m->W2 + (size_t)j * O, NULL, st->zchunk + (size_t)c * O);
    }
    dp_team_barrier(team);

    /* net2 = b2 + the chunks' shares in chunk order, out2 = softmax(net2),
     * delta2 (1 x O) = out2 - onehot(label): every member the same, member 0
     * into the workspace (and the loss), the others into their own copy */
    float *d2 = ws->delta2;
    if (member == 0)
        output_rows(m->b2, st->zchunk, (size_t)O, st->n_chunks, 0, 1, 1, O, &job->label, ws->net2,
                    ws->out2, d2, st->row_loss);
    else {
        d2 = st->d2own + (size_t)member * (size_t)O;
        output_rows(m->b2, st->zchunk, (size_t)O, st->n_chunks, 0, 1, 1, O, &job->label, d2, d2, d2,
                    NULL);
    }
    /* backward: d1[j] = (W2[j,:] . d2) [h[j] > 0] with W2 before its update,
     * then W2[j,:] -= lr h[j] d2, for the own units j that fired */
    if (nh > 0) {
        dp__row_output_backward(nh, O, h + j0, d2, -job->lr, m->W2 + (size_t)j0 * O, d1 + j0);
        dp__axpy(nh, -job->lr, d1 + j0, m->b1 + j0);
    }
    dp_team_barrier(team); /* d1 is complete */

    /* W1[i, :] -= lr x[i] d1 for the non-zero inputs i of the own bands */
    const int e0 = st->band_nz[b0], n = st->band_nz[b1] - e0;
    dp__rows_update(H, st->nz + e0, st->nzv + e0, -job->lr, n, d1, m->W1, H);
}

/* ---- the batch: what the team shares --------------------------------- */

typedef struct batch_job {
    dp_step *st;
    dp_mlp *m;
    dp_mlp *v; /* velocity, NULL without momentum */
    const float *X;
    const uint8_t *labels;
    int rows;
    dp__fill_fn fill; /* NULL: X and labels are given */
    void *fill_ctx;
    dp_hyper hp;
} batch_job;

/* ---- forward, layer 1 ------------------------------------------------- */

/* The hidden units go through a batch in blocks of whole chunks, claimed
 * as the members go: BLOCK_CHUNKS chunks (64 units, whose rows of out1 and
 * delta1, B x 64, stay in L1 while the kernels go through them), and
 * smaller ones once only a few are left (dp_claims), so that the members
 * finish each phase together instead of one waiting for the other's last
 * block: the step alone 0.319 -> 0.303 s an epoch (median of 10
 * alternating), the wait at the meetings 12-14 -> 2-3 us a batch. Runs of a
 * single chunk as soon as fewer than 16 were left were slower: a narrow
 * block costs almost as much per entry as a full one. */
#define BLOCK_CHUNKS 4

/* The members make a batch's rows in runs of FILL_ROWS (fewer near the
 * end, dp_claims), so that the one that starts later, or that another
 * program slows down, makes fewer. */
#define FILL_ROWS 8

/* Once every part is made: the number of non-zero inputs of the batch, and
 * a range [lo, hi) of inputs outside which every row is zero. */
static long batch_nnz(const dp_step *st, int members, int *lo, int *hi) {
    long nnz = 0;
    int q0 = st->parts[0].pairs, q1 = 0;
    for (int k = 0; k < members; k++) {
        const dp_sparse_part *p = &st->parts[k];
        nnz += p->nnz;
        for (int q = p->p0; q < p->p1; q++)
            if (p->pair.ptr[q + 1] > p->pair.ptr[q]) {
                q0 = q < q0 ? q : q0;
                q1 = q + 1 > q1 ? q + 1 : q1;
            }
    }
    *lo = q1 > q0 ? 2 * q0 : 0;
    *hi = q1 > q0 ? (2 * q1 < st->n_in ? 2 * q1 : st->n_in) : 0;
    return nnz;
}

/* Sparse products pay off when most inputs in the batch's column range are
 * zero: MNIST has ~19% non-zero pixels, ~25% inside the range. */
static int use_sparse(dp_layer1 path, long nnz, int rows, int lo, int hi) {
    if (path != DP_LAYER1_AUTO) return path == DP_LAYER1_SPARSE;
    return nnz * 2 < (long)rows * (hi - lo);
}

/* ---- forward, layer 2, and the loss ----------------------------------- */

/* For rows [r0, r1) of a batch of B: net2 = b2 + the chunks' shares of the
 * logits (in chunk order), out2 = softmax(net2), delta2 = (out2 - onehot) /
 * B, and each row's loss into row_loss (if not NULL). The three outputs
 * may be the same buffer. */
static void output_rows(const float *b2, const float *zchunk, size_t zstride, int chunks, int r0,
                        int r1, int B, int O, const uint8_t *labels, float *net2, float *out2,
                        float *delta2, double *row_loss) {
    for (int r = r0; r < r1; r++) {
        float *z = net2 + (size_t)r * O;
        dp__sum_shares(O, b2, zchunk + (size_t)r * O, zstride, chunks, z);
        /* z and out2 may be the same row: keep z[label] for the loss,
         * -ln p[label] = logsumexp(z) - z[label], of the own share of rows */
        const double zy = z[labels[r]];
        const double lse = dp__softmax_row(z, out2 + (size_t)r * O, O);
        if (row_loss) row_loss[r] = lse - zy;
        dp__output_delta_row(out2 + (size_t)r * O, labels[r], 1.0f / (float)B, O,
                             delta2 + (size_t)r * O);
    }
}

/* ---- update ------------------------------------------------------------ */

/* Rows [r0, r1), columns [c0, c0+nc) of a row-major weight matrix W (row
 * stride ld), and the same block of its velocity V (NULL without momentum). */
typedef struct wblock {
    float *W, *V;
    int ld, r0, r1, c0, nc;
} wblock;

/* The block's gradient G = A^T . D, non-zero only on rows [g0, g1): A is
 * k x (rows of W) with row stride lda, used transposed; D is k x nc with
 * row stride ldd. */
typedef struct wgrad {
    const float *A, *D;
    int lda, ldd, k, g0, g1;
} wgrad;

/*   no momentum: W = (1 - lr*wd) W - lr G
 *   momentum:    V = mu V - lr (G + wd W);  W += V */
static void update_block(const wblock *w, const wgrad *g, const dp_hyper *hp) {
    const float lr = hp->lr, mu = hp->momentum, wd = hp->weight_decay;
    float *W = w->W, *V = w->V;
    const int ld = w->ld, c0 = w->c0, nc = w->nc;
    float *Wg = W + (size_t)g->g0 * ld + c0; /* the first row with a gradient */
    if (!V) {
        if (wd != 0.0f)
            for (int r = w->r0; r < w->r1; r++)
                for (int c = c0; c < c0 + nc; c++) W[(size_t)r * ld + c] *= 1.0f - lr * wd;
        if (g->g1 > g->g0)
            dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, g->g1 - g->g0, nc, g->k, -lr,
                    g->A + g->g0, g->lda, g->D, g->ldd, 1.0f, Wg, ld);
        return;
    }
    float beta = mu;
    if (wd != 0.0f) {
        for (int r = w->r0; r < w->r1; r++)
            for (int c = c0; c < c0 + nc; c++) {
                size_t i = (size_t)r * ld + c;
                V[i] = mu * V[i] - lr * wd * W[i];
            }
        beta = 1.0f;
    } else {
        /* rows without gradient only decay; the GEMM scales the others */
        for (int r = w->r0; r < w->r1; r++)
            if (r < g->g0 || r >= g->g1)
                for (int c = c0; c < c0 + nc; c++) V[(size_t)r * ld + c] *= mu;
    }
    if (g->g1 > g->g0)
        dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, g->g1 - g->g0, nc, g->k, -lr, g->A + g->g0,
                g->lda, g->D, g->ldd, beta, V + (size_t)g->g0 * ld + c0, ld);
    for (int r = w->r0; r < w->r1; r++)
        for (int c = c0; c < c0 + nc; c++) W[(size_t)r * ld + c] += V[(size_t)r * ld + c];
}

/* b[j0:j1] += -lr * column sums of D[:, j0:j1] (rows x ldd), with momentum
 * through vb if it is not NULL. */
static void update_bias(float *b, float *vb, const float *D, int ldd, int rows, int j0, int j1,
                        const dp_hyper *hp) {
    int n = j1 - j0;
    float *target = vb ? vb + j0 : b + j0; /* row by row: contiguous, vectorised */
    if (vb)
        for (int j = 0; j < n; j++) target[j] *= hp->momentum;
    dp__axpy_rows(rows, n, -hp->lr, D + j0, ldd, target);
    if (vb)
        for (int j = 0; j < n; j++) b[j0 + j] += target[j];
}

/* Plain SGD: no momentum and no weight decay. Only then do the pair lists
 * carry -lr (batch_member). */
static int plain_sgd(const dp_hyper *hp) {
    return hp->momentum == 0.0f && hp->weight_decay == 0.0f;
}

/* W1[:, c:c+n] (and V1, NULL without momentum) by X^T . delta1[:, c:c+n]
 * through the compressed batch, for one block of hidden units. */
static void sparse_update_w1(const dp_step *st, int members, const dp_hyper *hp, float *W1,
                             float *V1, int c, int n) {
    const int H = st->n_hidden;
    const float *D = st->ws->delta1 + c;
    if (plain_sgd(hp)) /* only rows with a gradient change; -lr is in the pair lists */
        dp__sparse_update_block(n, st->parts, members, D, H, W1 + c, H);
    else /* every row changes */
        dp__sparse_momentum_block(n, st->parts, members, D, H, hp, W1 + c, V1 ? V1 + c : NULL, H);
}

/* The next batch's shares of the pairs, from this one's: each member's
 * share of the entries goes with how fast it compressed its own (a
 * running mean of seconds per entry over the last few batches), so that
 * the members finish together. The result does not depend on the shares. */
static void balance_parts(dp_step *st, int members) {
    for (int k = 0; k < members; k++) {
        const dp_sparse_part *p = &st->parts[k];
        st->build_cost[k] = dp__sparse_cost_mean(st->build_cost[k], st->build_seconds[k],
                                                 p->pair.ptr[p->p1] - p->pair.ptr[p->p0]);
    }
    double weight[DP_MAX_THREADS];
    /* not measured yet: as many entries each */
    const int measured = dp__sparse_weights(st->build_cost, members, weight);
    dp__sparse_balance(st->parts, members, measured ? weight : NULL, st->split);
}

/* ---- one batch, one member of the team --------------------------------- */

/* What every member knows of the batch once it is made: its shape, and
 * which path layer 1 takes. */
typedef struct batch_view {
    int members, sparse, lo, hi;
} batch_view;

/* forward, block [c, c+n) of hidden units:
 * out1[:, c:c+n] (B x n) = relu(X[:, lo:hi] . W1[lo:hi, c:c+n] + b1[c:c+n]),
 * then each of its chunks' share of the logits,
 * zchunk[k] (B x O) = out1[:, chunk k] (B x 16) . W2[chunk k, :] (16 x O) */
static void forward_block(const batch_job *job, const batch_view *bv, int c, int n) {
    const dp_step *st = job->st;
    const dp_mlp *m = job->m;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out, B = job->rows;
    float *out1 = st->ws->out1;
    for (int r = 0; r < B; r++)
        memcpy(out1 + (size_t)r * H + c, m->b1 + c, (size_t)n * sizeof(float));
    if (bv->sparse) /* quad by quad, each row's terms in input order */
        dp__sparse_forward_block(n, st->parts, bv->members, m->W1 + c, H, out1 + c, H);
    else
        for (int j = c; j < c + n && bv->hi > bv->lo; j += DP_CHUNK) {
            const int w = units_from(H, j, DP_CHUNK);
            dp_gemm(DP_BACKEND_BLAS, DP_NOTRANS, DP_NOTRANS, B, w, bv->hi - bv->lo, 1.0f,
                    job->X + bv->lo, I, m->W1 + (size_t)bv->lo * H + j, H, 1.0f, out1 + j, H);
        }
    dp__relu_rows(B, n, out1 + c, H);
    const size_t zstride = (size_t)st->max_rows * O; /* one chunk's share of the logits */
    for (int j = c; j < c + n; j += DP_CHUNK) {
        const int w = units_from(H, j, DP_CHUNK);
        dp__chunk_logits(B, w, O, out1 + j, H, m->W2 + (size_t)j * O,
                         st->zchunk + (size_t)(j / DP_CHUNK) * zstride);
    }
}

/* backward and update, block [c, c+n) of hidden units, with delta2 (B x O) */
static void backward_block(const batch_job *job, const batch_view *bv, const float *d2, int c,
                           int n) {
    const dp_step *st = job->st;
    const dp_workspace *ws = st->ws;
    dp_mlp *m = job->m, *v = job->v;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out, B = job->rows;

    /* delta1[:, c:c+n] (B x n) = (delta2 (B x O) . W2[c:c+n, :]^T (O x n))
     * * [out1 > 0], before W2 changes; each unit's sum runs over the outputs
     * in order, so it does not depend on who owns the unit */
    dp__hidden_delta(B, n, O, d2, m->W2 + (size_t)c * O, ws->out1 + c, H, ws->delta1 + c);

    /* W2[chunk, :] (16 x O) -= lr * out1[:, chunk]^T (16 x B) . delta2 (B x O) */
    for (int j = c; j < c + n; j += DP_CHUNK) {
        const int w = units_from(H, j, DP_CHUNK);
        if (plain_sgd(&job->hp)) {
            dp__chunk_w2_update(B, w, O, ws->out1 + j, H, d2, -job->hp.lr, m->W2 + (size_t)j * O);
            continue;
        }
        const wblock w2 = {m->W2, v ? v->W2 : NULL, O, j, j + w, 0, O};
        const wgrad g2 = {ws->out1, d2, H, O, B, j, j + w};
        update_block(&w2, &g2, &job->hp);
    }
    /* W1[:, c:c+n] (I x n) -= lr * X^T (I x B) . delta1[:, c:c+n] (B x n),
     * only rows lo..hi have a gradient */
    if (bv->sparse)
        sparse_update_w1(st, bv->members, &job->hp, m->W1, v ? v->W1 : NULL, c, n);
    else
        for (int j = c; j < c + n; j += DP_CHUNK) {
            const int w = units_from(H, j, DP_CHUNK);
            const wblock w1 = {m->W1, v ? v->W1 : NULL, H, 0, I, j, w};
            const wgrad g1 = {job->X, ws->delta1 + j, I, H, B, bv->lo, bv->hi};
            update_block(&w1, &g1, &job->hp);
        }
    /* b1[c:c+n] -= lr * column sums of delta1[:, c:c+n] */
    update_bias(m->b1, v ? v->b1 : NULL, ws->delta1, H, B, c, c + n, &job->hp);
}

/* The members make the rows in runs they claim and meet (when the team
 * makes the batch), and compress their shares of the inputs of every row;
 * then they take blocks of hidden units (dp_claims: a member slowed down
 * by another program takes fewer) for the forward pass, meet to add up the
 * logits, make the softmax and delta2 of their own rows and meet again,
 * and take blocks again for the backward pass and the update. Every block
 * is computed the same way whoever takes it, so the result does not depend
 * on the number of members or on who was faster. */
static void batch_member(void *ctx, int member, int members) {
    batch_job *job = ctx;
    dp_step *st = job->st;
    dp_workspace *ws = st->ws;
    dp_mlp *m = job->m;
    const int I = m->n_in, H = m->n_hidden, O = m->n_out, B = job->rows, nc = st->n_chunks;
    const int r0 = dp__share(B, member, members), r1 = dp__share(B, member + 1, members);
    const size_t zstride = (size_t)st->max_rows * O; /* one chunk's share of the logits */

    if (member == 0) dp_claims_reset(&st->forward_claims, nc, BLOCK_CHUNKS, members);
    /* make runs of rows as this member claims them, then compress its share
     * of the inputs of every row (so that each list is whole in one part) */
    if (job->fill) {
        for (int r, count; (r = dp_claims_next(&st->row_claims, member, B, &count)) >= 0;)
            job->fill(job->fill_ctx, r, r + count, member);
        dp_team_barrier(dp__step_team(st));
    }
    const double t0 = members > 1 ? dp__seconds() : 0.0;
    dp__sparse_part_build(&st->parts[member], job->X, B, I, st->split[member],
                          st->split[member + 1], plain_sgd(&job->hp) ? -job->hp.lr : 1.0f);
    if (members > 1) st->build_seconds[member] = dp__seconds() - t0;
    dp_team_barrier(dp__step_team(st)); /* the whole batch is compressed */
    if (member == 0 && members > 1)     /* the others are done with the shares */
        balance_parts(st, members);

    /* every member reads the same parts, so all take the same path */
    batch_view bv = {.members = members};
    const long nnz = batch_nnz(st, members, &bv.lo, &bv.hi);
    bv.sparse = use_sparse(st->layer1, nnz, B, bv.lo, bv.hi);
    if (member == 0) dp_claims_reset(&st->backward_claims, nc, BLOCK_CHUNKS, members);
    for (int k, count; (k = dp_claims_next(&st->forward_claims, member, nc, &count)) >= 0;)
        forward_block(job, &bv, k * DP_CHUNK, units_from(H, k * DP_CHUNK, count * DP_CHUNK));
    dp_team_barrier(dp__step_team(st));

    /* net2 (B x O) = b2 + sum of the chunks' shares; out2 = softmax(net2);
     * the loss of each row; delta2 (B x O) = (out2 - onehot(labels)) / B:
     * each member its own rows, then all meet (one meeting costs less than
     * every member making every row) */
    output_rows(m->b2, st->zchunk, zstride, st->n_chunks, r0, r1, B, O, job->labels, ws->net2,
                ws->out2, ws->delta2, st->row_loss);
    dp_team_barrier(dp__step_team(st));
    const float *d2 = ws->delta2;
    /* the chunks in the reverse order of the forward pass, so that with two
     * members each starts with the ones it ended on (still in its L2; with
     * more, the members after 0 share the back): member 0 took chunks
     * 0 .. m0-1 from the front, so claim i stands for chunk m0-1-i below m0
     * and for chunk nc-1-(i-m0) from m0 on (no claim spans m0) */
    const int m0 = dp_claims_front(&st->forward_claims);
    for (int i, count; (i = dp_claims_next(&st->backward_claims, member, m0, &count)) >= 0;) {
        const int k = i < m0 ? m0 - i - count : nc - (i + count - m0);
        backward_block(job, &bv, d2, k * DP_CHUNK, units_from(H, k * DP_CHUNK, count * DP_CHUNK));
    }
    /* b2 is updated by the caller once every member is done: the others may
     * still be reading it in output_rows. */
}

/* ---- the entries --------------------------------------------------------- */

dp_status dp__step_run_filled(dp_step *st, dp_mlp *m, const float *X, const uint8_t *labels,
                              int rows, const dp_hyper *hp, dp_mlp *velocity, double *loss,
                              dp__fill_fn fill, void *fill_ctx) {
    if (rows == 1 && hp->momentum == 0.0f && hp->weight_decay == 0.0f) {
        if (fill) fill(fill_ctx, 0, 1, 0);
        const int nnz = dp__nonzeros(X, m->n_in, 0, st->nz, st->nzv);
        for (int b = 0, e = 0; b <= DP_BANDS; b++) { /* where each band's inputs start */
            const int lo = dp__share(m->n_in, b, DP_BANDS);
            while (e < nnz && st->nz[e] < lo) e++;
            st->band_nz[b] = b == DP_BANDS ? nnz : e;
        }
        sample_job job = {st, m, labels[0], hp->lr};
        dp_team_run(dp__step_team(st), sample_member, &job);
        /* b2 -= lr delta2, once every member is done reading b2 */
        dp__axpy(m->n_out, -hp->lr, st->ws->delta2, m->b2);
        if (loss) *loss = st->row_loss[0];
        return DP_OK;
    }
    if (dp__step_reserve(st, rows) != DP_OK) return DP_ERR_NOMEM;
    batch_job job = {.st = st,
                     .m = m,
                     .v = hp->momentum != 0.0f ? velocity : NULL,
                     .X = X,
                     .labels = labels,
                     .rows = rows,
                     .fill = fill,
                     .fill_ctx = fill_ctx,
                     .hp = *hp};
    const int members = dp__step_members(st);
    /* before the team starts: the rows, claimed FILL_ROWS at a time */
    dp_claims_reset(&st->row_claims, rows, FILL_ROWS, members);
    if (st->split_members != members) { /* even shares, until a batch shows better ones */
        st->split_members = members;
        for (int k = 0; k < members; k++) st->build_cost[k] = 0.0;
        for (int k = 0; k <= members; k++)
            st->split[k] = dp__sparse_split((m->n_in + 1) / 2, k, members);
    }
    dp_team_run(dp__step_team(st), batch_member, &job);
    double sum = 0.0; /* in row order, whatever the number of members */
    for (int r = 0; r < rows; r++) sum += st->row_loss[r];
    /* b2 -= lr * column sums of delta2 */
    update_bias(m->b2, job.v ? job.v->b2 : NULL, st->ws->delta2, m->n_out, rows, 0, m->n_out, hp);
    if (loss) *loss = sum / rows;
    return DP_OK;
}

dp_status dp_mlp_train_step(dp_mlp *m, dp_step *st, const float *X, const uint8_t *labels, int rows,
                            dp_hyper hp, dp_mlp *velocity, double *loss) {
    if (!st || !dp__ws_fits(m, st->ws, rows) || !X || !labels) return DP_ERR_ARG;
    if (hp.momentum != 0.0f && !dp_mlp_same_shape(m, velocity)) return DP_ERR_ARG;
    if (!dp__labels_ok(labels, rows, m->n_out)) return DP_ERR_RANGE;
    return dp__step_run_filled(st, m, X, labels, rows, &hp, velocity, loss, NULL, NULL);
}
