/* The non-zero inputs of a batch in compressed form. MNIST images are ~81%
 * background, so layer 1 touches far fewer weights this way than a dense
 * product does.
 *
 * Inputs are taken in pairs (2p, 2p+1): neighbouring pixels are mostly lit
 * together, so for each pair the part lists the rows that light either
 * pixel with both values (one may be 0). Each entry then feeds two weight
 * rows at once, which halves the loads per multiply-add in the products
 * (sparse_kernels.h).
 *
 * For the forward pass the pairs go on in quads (pairs 2t and 2t+1, inputs
 * 4t..4t+3): a row that lights both pairs of a quad is one entry of the
 * quad, with its four values, so it reads and writes its row of out1 once
 * for four multiply-adds, not twice for two each; a row that lights one
 * pair of a quad is an entry of that pair's singles. Quads are whole
 * (4t + 3 < cols): the pairs after the last quad have only singles. The update reads the
 * pair lists, which keep every entry in row order.
 *
 * A batch is compressed in parts, one per member of the training team:
 * part k holds the pairs [p0, p1) of every row, so each member compresses
 * its own inputs of the whole batch, and every list is whole in one part
 * (the kernels read it in one run). Internal to the core. */
#ifndef DIGITPAD_SPARSE_BATCH_H
#define DIGITPAD_SPARSE_BATCH_H

#include "digitpad/status.h"

#include <stdint.h>

/* Lists of entries, one list per pair or quad: list k holds the entries
 * [ptr[k], ptr[k+1]), each a batch row (increasing within a list) and its
 * values. A part's ptr is indexed by the batch's pair or quad; only its
 * own lists' entries (k in [p0, p1] or [t0, t1]) are set. */
typedef struct dp_entry_lists {
    int *ptr;
    int *row;
    float *val;
} dp_entry_lists;

typedef struct dp_sparse_part {
    int cols, pairs; /* of the batch: pairs = (cols + 1) / 2 */
    int quads;       /* cols / 4: the last inputs of cols % 4 != 0 are in no quad */
    int p0, p1;      /* this part's pairs (p0 even) */
    int t0, t1;      /* and the quads among them: [p0 / 2, p1 / 2), at most quads */
    int nnz;         /* non-zero inputs among them */
    int cap_rows;
    uint64_t *row_lit; /* scratch: each row's lit pairs, a bit a pair */
    /* list p: the rows that light pair p, with s x[row, 2p], s x[row, 2p+1]
     * (0 past the last input), s the build's pair_scale */
    dp_entry_lists pair;
    /* list t: the rows that light both pairs of quad t, with x[row, 4t .. 4t+3] */
    dp_entry_lists quad;
    /* list p: the rows that light pair p but not the other pair of its
     * quad, with two values as in pair */
    dp_entry_lists single;
} dp_sparse_part;

/* Make room for up to rows rows of cols inputs (all of them non-zero). */
dp_status dp__sparse_part_reserve(dp_sparse_part *p, int rows, int cols);
/* Compress the pairs [p0, p1) (p0 even, p1 <= (cols + 1) / 2) of the rows
 * rows of X (row stride cols) into p, which must have room for them
 * (dp__sparse_part_reserve). The pair lists' values are the inputs times
 * pair_scale: the plain SGD update's -lr, so that its kernel multiplies
 * nothing per entry, or 1, which keeps them. The quads and singles, which
 * the forward pass reads, keep the inputs. */
void dp__sparse_part_build(dp_sparse_part *p, const float *X, int rows, int cols, int p0, int p1,
                           float pair_scale);
/* The first pair of part k of members parts of pairs pairs: about an even
 * share, a multiple of 8 pairs (so the part's inputs go 16 at a time); part
 * k holds [dp__sparse_split(pairs, k, m), dp__sparse_split(pairs, k + 1, m)). */
int dp__sparse_split(int pairs, int k, int members);
/* Bounds for the next batch from this one, compressed in nparts parts
 * (part k after part k-1, all the pairs): split[0] = 0, split[nparts] =
 * pairs, and in between multiples of 8 pairs, in order, such that share k
 * holds about the fraction weight[k] of this batch's pair entries (the
 * compression's cost goes with them; weight NULL: as many each, else the
 * weights add up to 1); dp__sparse_split's without any entries. */
void dp__sparse_balance(const dp_sparse_part *parts, int nparts, const double *weight, int *split);
/* A member's cost of compressing, seconds per pair entry: a running mean
 * over about 8 batches. old (0: none yet) moves an eighth of the way to
 * seconds / entries, or becomes it; without entries or time it stays. */
double dp__sparse_cost_mean(double old, double seconds, int entries);
/* The weights for dp__sparse_balance of members that compress at cost[k]
 * seconds an entry: in proportion to their speeds (1 / cost[k]), at least
 * a quarter of an even share each, adding up to 1 (members at most
 * DP_MAX_THREADS). Returns 0, and leaves weight as it was, while any cost
 * is not measured yet (not > 0). */
int dp__sparse_weights(const double *cost, int members, double *weight);
void dp__sparse_part_free(dp_sparse_part *p);

#endif
