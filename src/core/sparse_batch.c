#include "sparse_batch.h"
#include "digitpad/step.h"

#include <stdlib.h>
#include <string.h>

#include "sparse_kernels.h"

static int grow(void **p, size_t n, size_t size) {
    void *q = realloc(*p, n * size);
    if (!q) return -1;
    *p = q;
    return 0;
}

/* Room for lists + 1 pointers and entries entries of vals values. */
static int grow_lists(dp_entry_lists *l, size_t lists, size_t entries, size_t vals) {
    return grow((void **)&l->ptr, lists + 1, sizeof(int)) ||
           grow((void **)&l->row, entries + 1, sizeof(int)) ||
           grow((void **)&l->val, vals * (entries + 1), sizeof(float));
}

static void free_lists(dp_entry_lists *l) {
    free(l->ptr);
    free(l->row);
    free(l->val);
}

dp_status dp__sparse_part_reserve(dp_sparse_part *p, int rows, int cols) {
    if (rows < 0 || cols < 1) return DP_ERR_ARG;
    size_t pairs = ((size_t)cols + 1) / 2, total = (size_t)rows * cols, entries = rows * pairs;
    size_t quads = (size_t)cols / 4, words = (pairs + 63) / 64;
    if (total > (size_t)1 << 30) return DP_ERR_NOMEM;
    if (rows > p->cap_rows || cols != p->cols) {
        if (grow((void **)&p->row_lit, rows * words + 1, sizeof(uint64_t)) ||
            grow_lists(&p->pair, pairs, entries, 2) ||
            grow_lists(&p->quad, quads, rows * quads, 4) ||
            grow_lists(&p->single, pairs, entries, 2))
            return DP_ERR_NOMEM;
        p->cap_rows = rows;
    }
    p->p0 = p->p1 = p->t0 = p->t1 = p->nnz = 0;
    p->cols = cols;
    p->pairs = (int)pairs;
    p->quads = (int)quads;
    memset(p->pair.ptr, 0, (pairs + 1) * sizeof(int));
    memset(p->quad.ptr, 0, (quads + 1) * sizeof(int));
    memset(p->single.ptr, 0, (pairs + 1) * sizeof(int));
    return DP_OK;
}

/* Of the lit bits of the part's pairs 64w .. 64w+63 (counted from its
 * first, p0 even): the first pair of each quad (quads of them in the part)
 * whose two pairs are lit (bit 2u for the part's quad u), and the lit pairs
 * that are not in such a quad. */
static inline uint64_t both_lit(const uint64_t *lit, int w, int quads) {
    const int in_quads = 2 * quads - 64 * w; /* pairs of this word that are in a quad */
    const uint64_t mask = in_quads >= 64 ? ~0ull : in_quads <= 0 ? 0 : (1ull << in_quads) - 1;
    return lit[w] & lit[w] >> 1 & 0x5555555555555555ull & mask;
}
static inline uint64_t lit_alone(const uint64_t *lit, int w, int quads) {
    const uint64_t both = both_lit(lit, w, quads);
    return lit[w] & ~(both | both << 1);
}

/* Entries were placed by advancing ptr[k] to the start of list k+1, for
 * the lists [k0, k1): shift back. */
static void shift_back(int *ptr, int k0, int k1) {
    for (int k = k1; k > k0; k--) ptr[k] = ptr[k - 1];
    ptr[k0] = 0;
}

/* ptr[k0] = 0 and ptr[k + 1] = the entries of the lists [k0, k], from the
 * counts in ptr[k0 + 1 .. k1] */
static void prefix_sums(int *ptr, int k0, int k1) {
    ptr[k0] = 0;
    for (int k = k0; k < k1; k++) ptr[k + 1] += ptr[k];
}

/* The next entry of list k of l: row r with n values from x. */
static inline void place(dp_entry_lists *l, int k, int r, const float *x, int n) {
    const int at = l->ptr[k]++;
    l->row[at] = r;
    memcpy(l->val + (size_t)n * at, x, (size_t)n * sizeof(float));
}

int dp__sparse_split(int pairs, int k, int members) {
    if (k >= members) return pairs;
    return (int)((long)pairs * k / members) & ~7; /* whole vectors of 16 inputs */
}

void dp__sparse_balance(const dp_sparse_part *parts, int nparts, const double *weight, int *split) {
    const int pairs = parts[0].pairs;
    long total = 0;
    for (int m = 0; m < nparts; m++) total += parts[m].pair.ptr[parts[m].p1];
    split[0] = 0;
    split[nparts] = pairs;
    if (total == 0) {
        for (int k = 1; k < nparts; k++) split[k] = dp__sparse_split(pairs, k, nparts);
        return;
    }
    /* bound k: the first bound of 8 pairs at which the entries before it
     * reach the weights of the shares before k, or the one before it if
     * that is nearer */
    double before_k = 0.0; /* the weights of the shares before share k-1 */
    int k = 1, m = 0;
    long before = 0; /* entries of the pairs before q */
    for (int q = 0; q < pairs && k < nparts; q += 8) {
        long in = 0; /* entries of pairs q .. q+7 */
        for (int r = q; r < q + 8 && r < pairs; r++) {
            while (r >= parts[m].p1) m++;
            in += parts[m].pair.ptr[r + 1] - parts[m].pair.ptr[r];
        }
        for (; k < nparts; k++) {
            const double w = weight ? before_k + weight[k - 1] : (double)k / nparts;
            const double want = (double)total * w;
            if ((double)(before + in) < want) break;
            split[k] = want - (double)before < (double)(before + in) - want ? q
                       : q + 8 < pairs                                      ? q + 8
                                                                            : pairs & ~7;
            if (split[k] < split[k - 1]) split[k] = split[k - 1];
            before_k = w;
        }
        before += in;
    }
    for (; k < nparts; k++) split[k] = pairs & ~7;
}

double dp__sparse_cost_mean(double old, double seconds, int entries) {
    if (entries <= 0 || !(seconds > 0.0)) return old;
    const double c = seconds / entries;
    return old > 0.0 ? old + (c - old) / 8.0 : c;
}

int dp__sparse_weights(const double *cost, int members, double *weight) {
    double speed[DP_MAX_THREADS], sum = 0.0;
    if (members < 1 || members > DP_MAX_THREADS) return 0;
    for (int k = 0; k < members; k++) {
        if (!(cost[k] > 0.0)) return 0;
        sum += speed[k] = 1.0 / cost[k];
    }
    double floored = 0.0;
    for (int k = 0; k < members; k++) {
        speed[k] /= sum;
        if (speed[k] < 0.25 / members) speed[k] = 0.25 / members;
        floored += speed[k];
    }
    for (int k = 0; k < members; k++) weight[k] = speed[k] / floored;
    return 1;
}

void dp__sparse_part_build(dp_sparse_part *p, const float *X, int rows, int cols, int p0, int p1,
                           float pair_scale) {
    p->p0 = p0;
    p->p1 = p1;
    p->t0 = p0 / 2 < p->quads ? p0 / 2 : p->quads;
    p->t1 = p1 / 2 < p->quads ? p1 / 2 : p->quads;
    if (p->t1 < p->t0) p->t1 = p->t0;
    p->nnz = 0;
    const int n = p1 - p0, words = (n + 63) / 64, quads = p->t1 - p->t0, t0 = p->t0;
    const int c0 = 2 * p0, c1 = 2 * p1 < cols ? 2 * p1 : cols;
    memset(p->pair.ptr + p0, 0, ((size_t)n + 1) * sizeof(int));
    memset(p->quad.ptr + t0, 0, ((size_t)quads + 1) * sizeof(int));
    memset(p->single.ptr + p0, 0, ((size_t)n + 1) * sizeof(int));
    /* each row's lit pairs (bit q: pair p0 + q); count the entries of every list */
    int *pair_n = p->pair.ptr + p0 + 1, *quad_n = p->quad.ptr + t0 + 1;
    int *single_n = p->single.ptr + p0 + 1;
    for (int r = 0; r < rows; r++) {
        uint64_t *lit = p->row_lit + (size_t)r * words;
        memset(lit, 0, (size_t)words * sizeof *lit);
        dp__lit_pairs(X + (size_t)r * cols + c0, c1 - c0, lit, &p->nnz);
        for (int w = 0; w < words; w++) {
            for (uint64_t b = lit[w]; b; b &= b - 1) pair_n[w * 64 + __builtin_ctzll(b)]++;
            for (uint64_t b = both_lit(lit, w, quads); b; b &= b - 1)
                quad_n[(w * 64 + __builtin_ctzll(b)) / 2]++;
            for (uint64_t b = lit_alone(lit, w, quads); b; b &= b - 1)
                single_n[w * 64 + __builtin_ctzll(b)]++;
        }
    }
    /* prefix sums, then place the entries row by row, so each list holds
     * its rows in increasing order */
    prefix_sums(p->pair.ptr, p0, p1);
    prefix_sums(p->quad.ptr, t0, p->t1);
    prefix_sums(p->single.ptr, p0, p1);
    /* local copies: the stores below cannot change them, so they stay in registers */
    dp_entry_lists pair = p->pair, quad = p->quad, single = p->single;
    for (int r = 0; r < rows; r++) {
        const float *x = X + (size_t)r * cols;
        const uint64_t *lit = p->row_lit + (size_t)r * words;
        for (int w = 0; w < words; w++) {
            for (uint64_t b = lit[w]; b; b &= b - 1) {
                const int q = p0 + w * 64 + __builtin_ctzll(b);
                const float v[2] = {pair_scale * x[2 * q],
                                    pair_scale * (2 * q + 1 < cols ? x[2 * q + 1] : 0.0f)};
                place(&pair, q, r, v, 2);
            }
            for (uint64_t b = both_lit(lit, w, quads); b; b &= b - 1) {
                const int t = t0 + (w * 64 + __builtin_ctzll(b)) / 2;
                place(&quad, t, r, x + 4 * t, 4);
            }
            for (uint64_t b = lit_alone(lit, w, quads); b; b &= b - 1) {
                const int q = p0 + w * 64 + __builtin_ctzll(b);
                const float v[2] = {x[2 * q], 2 * q + 1 < cols ? x[2 * q + 1] : 0.0f};
                place(&single, q, r, v, 2);
            }
        }
    }
    shift_back(p->pair.ptr, p0, p1);
    shift_back(p->quad.ptr, t0, p->t1);
    shift_back(p->single.ptr, p0, p1);
}

void dp__sparse_part_free(dp_sparse_part *p) {
    free_lists(&p->pair);
    free_lists(&p->quad);
    free_lists(&p->single);
    free(p->row_lit);
}
