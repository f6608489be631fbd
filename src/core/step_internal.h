/* Inside the training step: the step object (step.c makes and frees it)
 * and the entry the trainer uses (step_run.c). Not part of the public API. */
#ifndef DIGITPAD_STEP_INTERNAL_H
#define DIGITPAD_STEP_INTERNAL_H

#include "digitpad/step.h"
#include "sparse_batch.h"
#include "team.h"

#include <time.h>

/* The hidden units are cut into chunks of DP_CHUNK (the last may be
 * shorter); a member of the team takes whole chunks (a batch: blocks of
 * them, as it goes; one sample: an even share), and every product that
 * sums over hidden units is made chunk by chunk and added up in chunk
 * order, so the sums do not depend on the number of threads or on who
 * took which chunk. The small GEMMs of a chunk are no slower than one of a
 * member's whole share. */
#define DP_CHUNK 16

/* The per-sample step cuts the inputs into DP_BANDS bands of consecutive
 * inputs (rows of the image): layer 1's sum over the inputs is made band by
 * band and the bands' sums added in band order, and a member of the team
 * owns whole bands: their rows of W1, which it alone reads and writes. */
#define DP_BANDS 4

struct dp_step {
    int max_rows, n_in, n_hidden, n_out;
    int n_chunks; /* ceil(n_hidden / DP_CHUNK) */
    dp_layer1 layer1;
    dp_workspace *ws;          /* activations of the batch: out1, net2, out2, delta1, delta2 */
    dp_team *team;             /* NULL = the calling thread alone */
    int solo;                  /* run on the calling thread alone, the team's workers parked */
    int *nz;                   /* n_in + DP_NONZEROS_SLACK: the non-zero inputs of one sample */
    float *nzv;                /* n_in + DP_NONZEROS_SLACK: their values */
    int band_nz[DP_BANDS + 1]; /* nz[band_nz[b] .. band_nz[b+1]) lie in band b */
    float *band_sum;           /* DP_BANDS x n_hidden: each band's share of layer 1 */
    float *zchunk;             /* n_chunks x max_rows x n_out: each chunk's share of the logits */
    float *d2own;              /* members x n_out: each member's own delta2 of one sample */
    double *row_loss;          /* max_rows: the loss of each row of the batch */
    dp_sparse_part *parts;     /* n_parts: the batch's non-zero inputs, one part a member */
    dp_claims row_claims;      /* the rows of a batch, made by the members as they go */
    dp_claims forward_claims;  /* the chunks of hidden units of a batch: forward pass, */
    dp_claims backward_claims; /* and backward pass and update (step_run.c) */
    int n_parts;               /* each holds all rows of a batch, a member's share of the inputs */
    /* the shares of the pairs, [split[k], split[k+1]) for member k of
     * split_members, from the last batch (dp__sparse_balance): so that
     * each member's compression takes as long as another's, from the
     * seconds each took (build_seconds) per pair entry (build_cost, a
     * running mean; 0 = not yet measured) */
    int split[DP_MAX_THREADS + 1];
    int split_members;
    double build_seconds[DP_MAX_THREADS];
    double build_cost[DP_MAX_THREADS];
};

/* Seconds on a monotonic clock. */
static inline double dp__seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The first of the n items (rows, hidden units) that member k of a team of
 * members owns: member k has [dp__share(n, k, m), dp__share(n, k + 1, m)). */
static inline int dp__share(int n, int k, int members) {
    return (int)((long)n * k / members);
}

/* Room for the compressed parts of a batch of rows rows on the step's
 * team, or on the calling thread alone (kept, and grown when a later batch
 * needs more). */
dp_status dp__step_reserve(dp_step *st, int rows);
/* The members a batch runs on now, and the team to run it (NULL: alone). */
int dp__step_members(const dp_step *st);
dp_team *dp__step_team(const dp_step *st);

/* Makes rows [r0, r1) of a batch (inputs and labels) for team member
 * member, writing them where the step then reads X and labels. A member
 * may call it for several runs of rows of a batch. */
typedef void (*dp__fill_fn)(void *ctx, int r0, int r1, int member);

/* dp_mlp_train_step on a batch that the team makes itself: the members
 * first call fill for runs of rows as they claim them, which writes them
 * into the memory X and labels point at; the step reads them only after every
 * member has filled its share. The arguments must be valid as
 * dp_mlp_train_step checks them, labels included (< n_out). fill may be
 * NULL if X and labels are given. */
dp_status dp__step_run_filled(dp_step *st, dp_mlp *m, const float *X, const uint8_t *labels,
                              int rows, const dp_hyper *hp, dp_mlp *velocity, double *loss,
                              dp__fill_fn fill, void *fill_ctx);

#endif
