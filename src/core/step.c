/* The training step object: its activations, its team of threads and their
 * scratch. The step itself is in step_run.c. */
#include <stdlib.h>

#include "mlp_internal.h"
#include "sparse_kernels.h"
#include "step_internal.h"

dp_status dp_step_create(dp_step **out, const dp_mlp *shape, int max_rows) {
    if (!out) return DP_ERR_ARG;
    *out = NULL;
    if (!shape) return DP_ERR_ARG;
    dp_step *st = calloc(1, sizeof *st);
    if (!st) return DP_ERR_NOMEM;
    st->max_rows = max_rows;
    st->n_in = shape->n_in;
    st->n_hidden = shape->n_hidden;
    st->n_out = shape->n_out;
    st->n_chunks = (shape->n_hidden + DP_CHUNK - 1) / DP_CHUNK;
    dp_status s = dp_workspace_create(&st->ws, shape, max_rows);
    if (s == DP_OK) {
        const size_t RO = (size_t)max_rows * (size_t)shape->n_out;
        st->nz = malloc(((size_t)shape->n_in + DP_NONZEROS_SLACK) * sizeof *st->nz);
        st->nzv = malloc(((size_t)shape->n_in + DP_NONZEROS_SLACK) * sizeof *st->nzv);
        st->band_sum = dp__calloc_lines((size_t)DP_BANDS * (size_t)shape->n_hidden, sizeof(float));
        st->zchunk = malloc((size_t)st->n_chunks * RO * sizeof *st->zchunk);
        st->d2own = malloc((size_t)shape->n_out * sizeof *st->d2own);
        st->row_loss = malloc((size_t)max_rows * sizeof *st->row_loss);
        if (!st->nz || !st->nzv || !st->band_sum || !st->zchunk || !st->d2own || !st->row_loss)
            s = DP_ERR_NOMEM;
    }
    if (s != DP_OK) {
        dp_step_destroy(st);
        return s;
    }
    *out = st;
    return DP_OK;
}

static void free_parts(dp_sparse_part *parts, int n) {
    for (int k = 0; parts && k < n; k++) dp__sparse_part_free(&parts[k]);
    free(parts);
}

void dp_step_destroy(dp_step *st) {
    if (!st) return;
    dp_team_destroy(st->team);
    free_parts(st->parts, st->n_parts);
    free(st->zchunk);
    free(st->d2own);
    free(st->row_loss);
    free(st->nz);
    free(st->nzv);
    free(st->band_sum);
    dp_workspace_destroy(st->ws);
    free(st);
}

dp_status dp_step_set_threads(dp_step *st, int threads) {
    if (!st || threads < 1 || threads > DP_MAX_THREADS) return DP_ERR_ARG;
    /* 1 and the team's size switch without starting or stopping threads:
     * the workers wait, asleep, while the calling thread runs alone */
    st->solo = threads == 1;
    if (threads == 1 || dp_team_size(st->team) == threads) return DP_OK;
    size_t size = (size_t)threads * (size_t)st->n_out;
    float *d2own = malloc(size * sizeof *d2own);
    dp_team *team = NULL;
    dp_status s = d2own ? DP_OK : DP_ERR_NOMEM;
    if (s == DP_OK && threads > 1) s = dp_team_create(&team, threads);
    if (s != DP_OK) {
        free(d2own);
        return s;
    }
    dp_team_destroy(st->team);
    free(st->d2own);
    st->team = team;
    st->d2own = d2own;
    return DP_OK;
}

int dp_step_threads(const dp_step *st) {
    return st ? dp__step_members(st) : 0;
}

int dp__step_members(const dp_step *st) {
    return st->solo ? 1 : dp_team_size(st->team);
}

dp_team *dp__step_team(const dp_step *st) {
    return st->solo ? NULL : st->team;
}

void dp_step_set_layer1(dp_step *st, dp_layer1 path) {
    if (st) st->layer1 = path;
}

const dp_workspace *dp_step_workspace(const dp_step *st) {
    return st ? st->ws : NULL;
}

dp_status dp__step_reserve(dp_step *st, int rows) {
    /* parts for the whole team, each for all the rows of a batch (and its
     * share of the inputs), so the memory grows with the members: 14 MB a
     * part at batch 1024 */
    const int members = dp_team_size(st->team);
    if (st->n_parts < members) {
        dp_sparse_part *parts = calloc((size_t)members, sizeof *parts);
        if (!parts) return DP_ERR_NOMEM;
        for (int k = 0; k < st->n_parts; k++) parts[k] = st->parts[k];
        free(st->parts);
        st->parts = parts;
        st->n_parts = members;
    }
    for (int k = 0; k < members; k++) {
        if (st->parts[k].cap_rows >= rows && st->parts[k].cols == st->n_in) continue;
        dp_status s = dp__sparse_part_reserve(&st->parts[k], rows, st->n_in);
        if (s != DP_OK) return s;
    }
    return DP_OK;
}
