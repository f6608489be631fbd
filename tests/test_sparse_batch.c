/* The compressed batch (src/core/sparse_batch.c) against its definition,
 * input by input: every pair's list holds the rows that light it, in row
 * order, with both values; every quad's list the rows that light both of
 * its pairs, with four; the singles the rest. Widths with and without a
 * partial last pair or quad, and the vector path's blocks of 16 inputs;
 * the pair lists with and without the update's scale; a part of all the
 * pairs, the parts of a split in two and three, and a part that starts
 * and ends inside the inputs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/sparse_batch.h"
#include "digitpad/rng.h"
#include "testutil.h"

enum { ROWS = 23 };

static int lit(const float *x, int cols, int q) {
    return x[2 * q] != 0.0f || (2 * q + 1 < cols && x[2 * q + 1] != 0.0f);
}
static float at(const float *x, int cols, int i) {
    return i < cols ? x[i] : 0.0f;
}

/* Does list k of l hold exactly the rows of [r0, r1) for which want() is
 * true, in order, each with its n values scale * x[first .. first+n)? */
static int list_is(const dp_entry_lists *l, int k, const float *X, int cols, int r0, int r1,
                   int (*want)(const float *, int, int), int first, int n, float scale) {
    int e = l->ptr[k];
    for (int r = r0; r < r1; r++) {
        const float *x = X + (size_t)r * cols;
        if (!want(x, cols, k)) continue;
        if (e >= l->ptr[k + 1] || l->row[e] != r) return 0;
        for (int i = 0; i < n; i++)
            if (memcmp(&l->val[(size_t)n * e + i], &(float){scale * at(x, cols, first + i)}, 4))
                return 0;
        e++;
    }
    return e == l->ptr[k + 1];
}

static int pair_lit(const float *x, int cols, int q) {
    return lit(x, cols, q);
}
static int quad_lit(const float *x, int cols, int t) {
    return lit(x, cols, 2 * t) && lit(x, cols, 2 * t + 1);
}
/* the quads of the part being checked: [quad0, quad1) */
static int quad0, quad1;
static int single_lit(const float *x, int cols, int q) {
    const int t = q / 2;
    return lit(x, cols, q) && !(t >= quad0 && t < quad1 && quad_lit(x, cols, t));
}

/* The part of pairs [p0, p1) of X (ROWS x cols) against the definition;
 * returns the number of wrong lists. */
static int check_part(const float *X, int cols, int p0, int p1, float scale) {
    const int pairs = (cols + 1) / 2;
    dp_sparse_part p = {0};
    CHECK(dp__sparse_part_reserve(&p, ROWS, cols) == DP_OK);
    dp__sparse_part_build(&p, X, ROWS, cols, p0, p1, scale);
    quad0 = p0 / 2 < cols / 4 ? p0 / 2 : cols / 4;
    quad1 = p1 / 2 < cols / 4 ? p1 / 2 : cols / 4;
    if (quad1 < quad0) quad1 = quad0;
    CHECKF(p.pairs == pairs && p.quads == cols / 4 && p.p0 == p0 && p.p1 == p1 && p.t0 == quad0 &&
               p.t1 == quad1,
           "%d inputs, pairs [%d, %d): the part's shape", cols, p0, p1);
    int nnz = 0, bad = 0;
    for (int r = 0; r < ROWS; r++)
        for (int i = 2 * p0; i < 2 * p1 && i < cols; i++) nnz += X[(size_t)r * cols + i] != 0.0f;
    for (int q = p0; q < p1; q++) {
        bad += !list_is(&p.pair, q, X, cols, 0, ROWS, pair_lit, 2 * q, 2, scale);
        bad += !list_is(&p.single, q, X, cols, 0, ROWS, single_lit, 2 * q, 2, 1.0f);
    }
    for (int t = quad0; t < quad1; t++)
        bad += !list_is(&p.quad, t, X, cols, 0, ROWS, quad_lit, 4 * t, 4, 1.0f);
    CHECKF(p.nnz == nnz, "%d inputs, pairs [%d, %d): %d non-zeros, counted %d", cols, p0, p1, p.nnz,
           nnz);
    dp__sparse_part_free(&p);
    return bad;
}

/* scale: the pair lists' (the update's -lr); quads and singles keep x */
static void test_width(int cols, float zero_share, float scale, dp_rng *rng) {
    float *X = malloc(sizeof(float) * ROWS * cols);
    for (int i = 0; i < ROWS * cols; i++) {
        const float u = dp_rng_uniform(rng);
        X[i] = u < zero_share ? 0.0f : u - 0.5f;
    }
    if (cols > 3) X[3] = -0.0f; /* a zero of the other sign is still a zero */
    const int pairs = (cols + 1) / 2;
    int bad = check_part(X, cols, 0, pairs, scale);
    for (int members = 2; members <= 3; members++) {
        int covered = 0;
        for (int k = 0; k < members; k++) {
            const int p0 = dp__sparse_split(pairs, k, members);
            const int p1 = dp__sparse_split(pairs, k + 1, members);
            CHECKF(p0 == covered && p0 % 8 == 0 && p1 >= p0,
                   "%d pairs in %d parts: part %d is [%d, %d)", pairs, members, k, p0, p1);
            covered = p1;
            bad += check_part(X, cols, p0, p1, scale);
        }
        CHECKF(covered == pairs, "%d pairs in %d parts: %d covered", pairs, members, covered);
    }
    if (pairs >= 4) bad += check_part(X, cols, 2, pairs - 1, scale); /* inside, odd end */
    CHECKF(bad == 0, "%d inputs, zero share %g, scale %g: %d lists wrong", cols, (double)zero_share,
           (double)scale, bad);
    free(X);
}

/* The shares for the next batch: bounds in order, multiples of 8 pairs,
 * and each share's pair entries (counted from the inputs) as near its
 * weight's share of all (weight NULL: total / n) as bounds of 8 pairs
 * allow; even shares of an empty batch. The lit inputs only in
 * [lit0, lit1). */
static void test_balance(int cols, int lit0, int lit1, int nparts, const double *weight,
                         dp_rng *rng) {
    float *X = calloc((size_t)ROWS * cols, sizeof *X);
    for (int r = 0; r < ROWS; r++)
        for (int i = lit0; i < lit1; i++)
            if (dp_rng_uniform(rng) < 0.7f) X[(size_t)r * cols + i] = 0.5f;
    const int pairs = (cols + 1) / 2;
    dp_sparse_part parts[3] = {{0}};
    for (int k = 0; k < nparts; k++) {
        CHECK(dp__sparse_part_reserve(&parts[k], ROWS, cols) == DP_OK);
        dp__sparse_part_build(&parts[k], X, ROWS, cols, dp__sparse_split(pairs, k, nparts),
                              dp__sparse_split(pairs, k + 1, nparts), 1.0f);
    }
    int split[4];
    dp__sparse_balance(parts, nparts, weight, split);
    long total = 0, most = 0; /* all entries, and the most of any 8 pairs */
    for (int q = 0; q < pairs; q += 8) {
        long in = 0;
        for (int r = 0; r < ROWS; r++)
            for (int p = q; p < q + 8 && p < pairs; p++) in += lit(X + (size_t)r * cols, cols, p);
        total += in;
        most = in > most ? in : most;
    }
    CHECKF(split[0] == 0 && split[nparts] == pairs, "%d inputs: bounds %d .. %d", cols, split[0],
           split[nparts]);
    for (int k = 0; k < nparts; k++) {
        long in = 0;
        for (int r = 0; r < ROWS; r++)
            for (int p = split[k]; p < split[k + 1]; p++) in += lit(X + (size_t)r * cols, cols, p);
        if (k + 1 < nparts)
            CHECKF(split[k + 1] % 8 == 0 && split[k + 1] >= split[k],
                   "%d inputs, %d parts: bound %d is %d", cols, nparts, k + 1, split[k + 1]);
        if (total == 0)
            CHECKF(split[k] == dp__sparse_split(pairs, k, nparts),
                   "%d inputs, no entries: bound %d is %d", cols, k, split[k]);
        else /* a bound may be off by at most 8 pairs' entries each side */
            CHECKF(fabs((double)in - (weight ? weight[k] : 1.0 / nparts) * (double)total) <=
                       2.0 * (double)most,
                   "%d inputs, lit [%d, %d), %d parts: share %d has %ld of %ld entries", cols, lit0,
                   lit1, nparts, k, in, total);
    }
    for (int k = 0; k < nparts; k++) dp__sparse_part_free(&parts[k]);
    free(X);
}

/* The cost per entry that the balance works from: the first measurement
 * as it is, then an eighth of the way to each new one; a batch without
 * entries or time leaves it. */
static void test_cost_mean(void) {
    CHECK(dp__sparse_cost_mean(0.0, 2e-6, 100) == 2e-8);
    CHECK(fabs(dp__sparse_cost_mean(2e-8, 1e-5, 100) - (2e-8 + (1e-7 - 2e-8) / 8)) < 1e-20);
    CHECK(dp__sparse_cost_mean(3e-8, 1e-5, 0) == 3e-8);
    CHECK(dp__sparse_cost_mean(3e-8, 0.0, 100) == 3e-8);
    CHECK(dp__sparse_cost_mean(0.0, 0.0, 100) == 0.0);
    double c = 0.0; /* a member that slows down from 1 to 3 units an entry */
    for (int b = 0; b < 8; b++) c = dp__sparse_cost_mean(c, 100.0, 100);
    for (int b = 0; b < 8; b++) c = dp__sparse_cost_mean(c, 300.0, 100);
    const double want = 3.0 - 2.0 * pow(7.0 / 8.0, 8); /* about 1.93 */
    CHECKF(fabs(c - want) < 1e-12, "after 8 slower batches %.6f, want %.6f", c, want);
}

/* The shares from the costs: in proportion to speed, no member below a
 * quarter of an even share, adding up to 1, and none while a member is not
 * measured. */
static void test_weights(void) {
    double w[4] = {-1, -1, -1, -1};
    const double even[2] = {1e-8, 1e-8}, fast_slow[2] = {1e-8, 3e-8};
    CHECK(dp__sparse_weights(even, 2, w) && fabs(w[0] - 0.5) < 1e-15 && fabs(w[1] - 0.5) < 1e-15);
    CHECK(dp__sparse_weights(fast_slow, 2, w) && fabs(w[0] - 0.75) < 1e-12 &&
          fabs(w[1] - 0.25) < 1e-12);
    /* 1:100 in speed: the slow member gets the floor (a quarter of an even
     * share: 1/8 of two), the fast one the rest */
    const double far[2] = {1e-8, 1e-6};
    int ok = dp__sparse_weights(far, 2, w); /* before CHECKF, which reads w */
    CHECKF(ok && fabs(w[1] - 0.125 / (0.125 + 100.0 / 101.0)) < 1e-12 &&
               fabs(w[0] + w[1] - 1.0) < 1e-15,
           "far apart: %.6f %.6f", w[0], w[1]);
    const double three[3] = {1e-8, 2e-8, 4e-8}; /* speeds 4:2:1 */
    ok = dp__sparse_weights(three, 3, w);
    CHECKF(ok && fabs(w[0] - 4.0 / 7) < 1e-12 && fabs(w[1] - 2.0 / 7) < 1e-12 &&
               fabs(w[2] - 1.0 / 7) < 1e-12,
           "three: %.6f %.6f %.6f", w[0], w[1], w[2]);
    const double unmeasured[3] = {1e-8, 0.0, 1e-8};
    w[0] = w[1] = w[2] = -1;
    CHECK(!dp__sparse_weights(unmeasured, 3, w) && w[0] == -1 && w[1] == -1 && w[2] == -1);
    CHECK(!dp__sparse_weights(even, 0, w));
}

int main(void) {
    test_cost_mean();
    test_weights();
    dp_rng rng;
    dp_rng_seed(&rng, 11);
    const double weights[4][3] = {{1.0}, {0.25, 0.75}, {0.5, 0.3, 0.2}, {0.7, 0.3}};
    for (int n = 1; n <= 3; n++)
        for (int w = 0; w < 2; w++) { /* as many entries each, then by weight */
            const double *weight = w ? weights[n - 1] : NULL;
            test_balance(784, 0, 784, n, weight, &rng);
            test_balance(784, 600, 784, n, weight, &rng); /* the ink in the last rows */
            test_balance(784, 100, 300, n, weight, &rng);
            test_balance(785, 0, 0, n, weight, &rng); /* no ink */
            test_balance(100, 0, 100, n, weight, &rng);
        }
    test_balance(784, 0, 784, 2, weights[3], &rng);
    const int widths[] = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 130, 784, 785};
    const float shares[] = {0.0f, 0.5f, 0.8f, 1.0f};
    for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
        for (int s = 0; s < 4; s++) {
            test_width(widths[w], shares[s], 1.0f, &rng);
            test_width(widths[w], shares[s], -0.05f, &rng);
        }
    return dpt_finish();
}
