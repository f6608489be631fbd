/* The inner loops of the training step and of inference
 * (src/core/sparse_kernels.h) against the plain loops they stand for, bit
 * for bit, in every set of kernels this CPU runs (AVX-512, AVX2, plain C):
 * every kernel promises the sums of its plain loop, in the same order, with
 * the same rounding. Widths that fill whole vectors, blocks of 128 and 400
 * and ones that end inside a vector; no inputs, one, many; outputs that fit
 * one register and ones that do not. And the choice of the set: the CPU's
 * best (against /proc/cpuinfo), or the one $DIGITPAD_KERNELS names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/sparse_kernels.h"
#include "digitpad/rng.h"
#include "testutil.h"

/* The pair kernels and the small layer-2 products of the batch step
 * multiply-add in one rounding (FMA) in the AVX-512 and AVX2 sets (up to 16
 * outputs), and multiply then add in plain C: `fused` of the set under test. */
static int fused;
#define MADD(a, b, c) (fused ? fmaf(a, b, c) : (c) + (a) * (b))
/* The same for the layer-2 products, whose vector kernels take up to 16 outputs */
#define LMADD(a, b, c) (O <= 16 ? MADD(a, b, c) : (c) + (a) * (b))

static const int widths[] = {1, 8, 15, 16, 17, 24, 88, 100, 128, 130, 383, 400, 416, 800, 801};
enum { NW = sizeof widths / sizeof *widths, I = 300, MAXH = 801 };

static float *random_floats(dp_rng *rng, size_t n, float zero_share) {
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = dp_rng_uniform(rng) < zero_share ? 0.0f : dp_rng_normal(rng);
    return x;
}

static float *copy_floats(const float *x, size_t n) {
    float *y = malloc(n * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    return y;
}

static int same_bits(const float *a, const float *b, size_t n) {
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* dp__nonzeros against x[i] != 0, with -0 (zero) and NaN (not zero). */
static void test_nonzeros(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 1);
    for (int n = 0; n <= 70; n += 7) {
        float *x = random_floats(&rng, (size_t)n + 1, 0.6f);
        if (n > 3) {
            x[1] = -0.0f;
            x[2] = NAN;
        }
        int idx[70 + DP_NONZEROS_SLACK], ref_idx[70];
        float v[70 + DP_NONZEROS_SLACK], ref_v[70];
        int ref = 0;
        for (int i = 0; i < n; i++)
            if (x[i] != 0.0f) {
                ref_idx[ref] = 100 + i;
                ref_v[ref++] = x[i];
            }
        const int got = dp__nonzeros(x, n, 100, idx, v);
        CHECKF(got == ref, "n %d: %d non-zeros, expected %d", n, got, ref);
        CHECK(got != ref || memcmp(idx, ref_idx, (size_t)ref * sizeof *idx) == 0);
        CHECK(got != ref || same_bits(v, ref_v, (size_t)ref));
        free(x);
    }
}

/* dp__lit_pairs: bit q for each pair (2q, 2q+1) with a non-zero (NaN is
 * one, -0 is not), and the count of non-zero inputs added to *nnz. */
static void test_lit_pairs(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 9);
    static const int cols[] = {0, 1, 2, 15, 16, 17, 31, 32, 127, 128, 129, 784, 785};
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
        for (int share = 0; share < 3; share++) {
            const int n = cols[c];
            float *x = random_floats(&rng, (size_t)n + 1,
                                     share == 0   ? 0.0f
                                     : share == 1 ? 0.8f
                                                  : 1.0f);
            if (n > 40) {
                x[3] = -0.0f;
                x[4] = 0.0f;
                x[5] = -0.0f;
                x[20] = NAN;
                x[21] = 0.0f;
            }
            uint64_t lit[8] = {0}, ref[8] = {0};
            int nnz = 5, ref_nnz = 5;
            for (int i = 0; i < n; i++) {
                ref_nnz += x[i] != 0.0f;
                if (x[i] != 0.0f) ref[i / 128] |= 1ull << (i / 2 % 64);
            }
            dp__lit_pairs(x, n, lit, &nnz);
            CHECKF(memcmp(lit, ref, sizeof lit) == 0 && nnz == ref_nnz,
                   "lit pairs of %d inputs (share %d): nnz %d, expected %d", n, share, nnz,
                   ref_nnz);
            free(x);
        }
}

/* dp__bytes_to_unit: x / 255 as the plain division, every byte value and
 * lengths that end inside a vector. */
static void test_bytes_to_unit(void) {
    uint8_t src[300];
    float got[300], ref[300];
    for (int i = 0; i < 300; i++) src[i] = (uint8_t)(i * 7 + i / 37);
    for (int i = 0; i < 256; i++) src[i] = (uint8_t)i;
    for (size_t n = 0; n <= 300; n += n < 40 ? 1 : 37) {
        for (size_t i = 0; i < n; i++) ref[i] = (float)src[i] / 255.0f;
        memset(got, 0xff, sizeof got);
        dp__bytes_to_unit(src, got, n);
        CHECKF(same_bits(got, ref, n), "bytes to unit, n %zu", n);
        CHECKF(n == 300 || isnan(got[n]), "bytes to unit wrote past n %zu", n);
    }
}

/* dp__relu_rows and dp__axpy_rows against their loops: NaN, -0 and
 * negatives to 0, the rows' terms added in order. */
static void test_rows_loops(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 11);
    enum { R = 7, L = 100 };
    for (int n = 0; n <= 97; n += n < 20 ? 1 : 11) {
        float *h = random_floats(&rng, (size_t)R * L, 0.2f), *ref = copy_floats(h, (size_t)R * L);
        h[0] = ref[0] = NAN;
        h[1] = ref[1] = -0.0f;
        for (int r = 0; r < R - 1; r++)
            for (int j = 0; j < n; j++) {
                float *x = &ref[r * L + j];
                *x = *x > 0.0f ? *x : 0.0f;
            }
        dp__relu_rows(R - 1, n, h, L);
        CHECKF(same_bits(h, ref, (size_t)R * L), "relu rows n %d", n);
        float *y = random_floats(&rng, L, 0.0f), *yref = copy_floats(y, L);
        for (int r = 0; r < R; r++)
            for (int j = 0; j < n; j++) yref[j] = yref[j] + -0.05f * h[r * L + 3 + j];
        dp__axpy_rows(R, n, -0.05f, h + 3, L, y);
        CHECKF(same_bits(y, yref, L), "axpy rows n %d", n);
        free(h);
        free(ref);
        free(y);
        free(yref);
    }
}

/* dp__row_forward: h = h0 + v[0] W[idx[0]] + ... in order, from h0 or 0. */
static void test_row_forward(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 2);
    float *W = random_floats(&rng, (size_t)I * MAXH, 0.0f);
    float *h0 = random_floats(&rng, MAXH, 0.0f), *v = random_floats(&rng, I, 0.0f);
    int idx[I];
    for (int i = 0; i < I; i++) idx[i] = (i * 7) % I;
    const int counts[] = {0, 1, 7, 150};
    for (int w = 0; w < NW; w++)
        for (int c = 0; c < 4; c++)
            for (int from_zero = 0; from_zero < 2; from_zero++) {
                const int H = widths[w], nnz = counts[c];
                float h[MAXH], ref[MAXH];
                for (int j = 0; j < H; j++) ref[j] = from_zero ? 0.0f : h0[j];
                for (int e = 0; e < nnz; e++)
                    for (int j = 0; j < H; j++) ref[j] += v[e] * W[(size_t)idx[e] * MAXH + j];
                dp__row_forward(H, from_zero ? NULL : h0, idx, v, nnz, W, MAXH, h);
                CHECKF(same_bits(h, ref, (size_t)H), "H %d, %d inputs%s", H, nnz,
                       from_zero ? ", from 0" : "");
                /* in place: h0 == h */
                memcpy(h, h0, (size_t)H * sizeof *h);
                dp__row_forward(H, h, idx, v, nnz, W, MAXH, h);
                CHECKF(from_zero || same_bits(h, ref, (size_t)H), "in place, H %d", H);
            }
    free(W);
    free(h0);
    free(v);
}

/* dp__rows_update: W[idx[k]] += (alpha v[k]) d, a multiply then an add. */
static void test_rows_update(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 3);
    float *W = random_floats(&rng, (size_t)I * MAXH, 0.0f), *ref = malloc(sizeof(float) * I * MAXH);
    float *d = random_floats(&rng, MAXH, 0.3f), *v = random_floats(&rng, I, 0.0f);
    int idx[I];
    for (int i = 0; i < I; i++) idx[i] = (i * 11) % I;
    for (int w = 0; w < NW; w++) {
        const int H = widths[w], nnz = w % 2 ? 150 : 3;
        const float alpha = -0.01f;
        memcpy(ref, W, sizeof(float) * I * MAXH);
        for (int e = 0; e < nnz; e++) {
            const float c = alpha * v[e];
            for (int j = 0; j < H; j++) ref[(size_t)idx[e] * MAXH + j] += c * d[j];
        }
        dp__rows_update(H, idx, v, alpha, nnz, d, W, MAXH);
        CHECKF(same_bits(W, ref, (size_t)I * MAXH), "H %d, %d rows", H, nnz);
    }
    free(W);
    free(ref);
    free(d);
    free(v);
}

/* dp__row_logits and dp__row_output_backward against their loops, for
 * outputs in one register (O <= 16) and not (O = 17). */
static void test_layer2(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 4);
    const int outs[] = {1, 8, 10, 16, 17};
    for (int w = 0; w < NW; w++)
        for (int k = 0; k < (int)(sizeof outs / sizeof *outs); k++) {
            const int H = widths[w], O = outs[k];
            float *h = random_floats(&rng, (size_t)H, 0.0f);
            for (int j = 0; j < H; j++) h[j] = h[j] > 0.3f ? h[j] : j % 3 ? 0.0f : -h[j] * 0.0f;
            float *W = random_floats(&rng, (size_t)H * O, 0.0f), *b = random_floats(&rng, O, 0.0f);
            float *d2 = random_floats(&rng, O, 0.0f), *Wref = malloc(sizeof(float) * H * O);
            float z[17], zref[17], *d1 = malloc(sizeof(float) * H),
                                   *d1ref = malloc(sizeof(float) * H);
            for (int from_zero = 0; from_zero < 2; from_zero++) {
                for (int o = 0; o < O; o++) zref[o] = from_zero ? 0.0f : b[o];
                for (int j = 0; j < H; j++)
                    if (h[j] > 0.0f)
                        for (int o = 0; o < O; o++) zref[o] += h[j] * W[(size_t)j * O + o];
                dp__row_logits(H, O, h, W, from_zero ? NULL : b, z);
                CHECKF(same_bits(z, zref, (size_t)O), "logits H %d O %d", H, O);
            }
            memcpy(Wref, W, sizeof(float) * H * O);
            for (int j = 0; j < H; j++) {
                float s = 0.0f, *wr = Wref + (size_t)j * O;
                if (h[j] > 0.0f) {
                    for (int o = 0; o < O; o++) s += wr[o] * d2[o];
                    const float a = -0.05f * h[j];
                    for (int o = 0; o < O; o++) wr[o] += a * d2[o];
                }
                d1ref[j] = s;
            }
            dp__row_output_backward(H, O, h, d2, -0.05f, W, d1);
            CHECKF(same_bits(d1, d1ref, (size_t)H) && same_bits(W, Wref, (size_t)H * O),
                   "output backward H %d O %d", H, O);
            free(h);
            free(W);
            free(b);
            free(d2);
            free(Wref);
            free(d1);
            free(d1ref);
        }
}

/* The pair kernels of the batch step: forward out += v0 w0 + v1 w1 (in that
 * order), update w += v d in entry order (the values already scaled by
 * -lr, as the batch step makes them), over two runs. */
static void test_pair_kernels(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    enum { ROWS = 40, LD = 100 };
    int rows[ROWS];
    for (int r = 0; r < ROWS; r++) rows[r] = (r * 13) % ROWS;
    float *val = random_floats(&rng, 2 * ROWS, 0.2f);
    float *w0 = random_floats(&rng, LD, 0.0f), *w1 = random_floats(&rng, LD, 0.0f);
    float *D = random_floats(&rng, (size_t)ROWS * LD, 0.3f);
    const dp_pair_run runs[2] = {{rows, val, 25}, {rows + 25, val + 50, ROWS - 25}};
    /* every tail of the AVX2 slices of 32 units (1-4 vectors, full or not) */
    const int ns[] = {1, 8, 12, 16, 17, 24, 28, 33, 60, 64, 65, 96, 100};
    for (int k = 0; k < (int)(sizeof ns / sizeof *ns); k++)
        for (int two = 0; two < 2; two++) {
            const int n = ns[k];
            float *out = random_floats(&rng, (size_t)ROWS * LD, 0.0f);
            float *ref = copy_floats(out, (size_t)ROWS * LD);
            for (int e = 0; e < ROWS; e++)
                for (int j = 0; j < n; j++) {
                    float *o = ref + (size_t)rows[e] * LD + j;
                    *o = MADD(val[2 * e], w0[j], *o);
                    if (two) *o = MADD(val[2 * e + 1], w1[j], *o);
                }
            dp__pair_forward(n, runs, 2, w0, two ? w1 : NULL, out, LD);
            CHECKF(same_bits(out, ref, (size_t)ROWS * LD), "pair forward n %d, %d rows", n,
                   1 + two);
            float g0[LD], g1[LD], r0[LD], r1[LD];
            memcpy(g0, w0, sizeof g0);
            memcpy(g1, w1, sizeof g1);
            memcpy(r0, w0, sizeof r0);
            memcpy(r1, w1, sizeof r1);
            for (int e = 0; e < ROWS; e++) {
                const float *d = D + (size_t)rows[e] * LD;
                const float x0 = val[2 * e], x1 = val[2 * e + 1];
                for (int j = 0; j < n; j++) r0[j] = MADD(x0, d[j], r0[j]);
                if (two)
                    for (int j = 0; j < n; j++) r1[j] = MADD(x1, d[j], r1[j]);
            }
            dp__pair_update(n, runs, 2, D, LD, g0, two ? g1 : NULL);
            CHECKF(same_bits(g0, r0, LD) && same_bits(g1, r1, LD), "pair update n %d, %d rows", n,
                   1 + two);
            free(out);
            free(ref);
        }
    free(val);
    free(w0);
    free(w1);
    free(D);
}

/* The quad kernel of the forward pass: rows that lit both pairs add
 * v0 w0 + v1 w1 + v2 w2 + v3 w3, the others one pair's two terms, in that
 * order; widths up to and past 64 (where it splits), in runs over two
 * parts. */
static void test_quad_kernel(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 8);
    enum { ROWS = 30, LD = 150, FIRST = 9, SECOND = 7 };
    int rows[ROWS], first[FIRST], second[SECOND];
    for (int r = 0; r < ROWS; r++) rows[r] = (r * 7) % ROWS;
    for (int r = 0; r < FIRST; r++) first[r] = (r * 11 + 3) % ROWS;
    for (int r = 0; r < SECOND; r++) second[r] = (r * 5 + 1) % ROWS;
    float *val = random_floats(&rng, 4 * ROWS, 0.2f), *v1 = random_floats(&rng, 2 * FIRST, 0.2f);
    float *v2 = random_floats(&rng, 2 * SECOND, 0.2f);
    float *W = random_floats(&rng, 4 * LD, 0.0f);
    const dp_pair_run both[2] = {{rows, val, 12}, {rows + 12, val + 48, ROWS - 12}};
    const dp_pair_run one[2] = {{first, v1, 4}, {first + 4, v1 + 8, FIRST - 4}};
    const dp_pair_run two[1] = {{second, v2, SECOND}};
    const dp_quad_runs q = {both, one, two, 2, 2, 1};
    /* every tail of the AVX2 slices of 16 units (1-2 vectors, full or not) */
    const int ns[] = {1, 8, 12, 16, 17, 24, 28, 48, 60, 64, 65, 96, 100, 130};
    for (int k = 0; k < (int)(sizeof ns / sizeof *ns); k++) {
        const int n = ns[k];
        float *out = random_floats(&rng, (size_t)ROWS * LD, 0.0f);
        float *ref = copy_floats(out, (size_t)ROWS * LD);
        for (int j = 0; j < n; j++) {
            for (int e = 0; e < ROWS; e++) {
                float *o = ref + (size_t)rows[e] * LD + j;
                for (int i = 0; i < 4; i++) *o = MADD(val[4 * e + i], W[i * LD + j], *o);
            }
            for (int e = 0; e < FIRST; e++) {
                float *o = ref + (size_t)first[e] * LD + j;
                for (int i = 0; i < 2; i++) *o = MADD(v1[2 * e + i], W[i * LD + j], *o);
            }
            for (int e = 0; e < SECOND; e++) {
                float *o = ref + (size_t)second[e] * LD + j;
                for (int i = 0; i < 2; i++) *o = MADD(v2[2 * e + i], W[(2 + i) * LD + j], *o);
            }
        }
        dp__quad_forward(n, &q, W, LD, out, LD);
        CHECKF(same_bits(out, ref, (size_t)ROWS * LD), "quad forward n %d", n);
        free(out);
        free(ref);
    }
    free(val);
    free(v1);
    free(v2);
    free(W);
}

/* Is pair p of row x lit (either input non-zero)? */
static int lit_pair(const float *x, int cols, int p) {
    return x[2 * p] != 0.0f || (2 * p + 1 < cols && x[2 * p + 1] != 0.0f);
}

/* out[j] += x[i] w[i][j] for the inputs i0 .. i0+k-1 (those < cols), in order */
static void madd_inputs(const float *x, int cols, int i0, int k, const float *W, int ldw, int n,
                        float *out) {
    for (int i = i0; i < i0 + k && i < cols; i++)
        for (int j = 0; j < n; j++) out[j] = MADD(x[i], W[(size_t)i * ldw + j], out[j]);
}

/* The block kernels over a batch compressed in parts of the inputs (1-3
 * even shares, with few inputs some empty, or 4 with bounds such as the
 * step's balance makes), against the
 * definition from the inputs themselves: forward, each row's quads (four
 * terms if both its pairs are lit, else the lit pair's two) and then the
 * pairs after the last quad; the plain update, each pair's rows in batch
 * order with the values times the pair lists' scale; with momentum, the
 * gradient summed from 0 and then v = mu v - lr (g + wd w), w += v (or
 * w = (1 - lr wd) w - lr g without a velocity), every row. */
static void test_block_kernels(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 23);
    enum { ROWS = 29, LD = 112 };
    const int colss[] = {9, 64, 130, 787},
              ns[] = {4, 8, 12, 16, 24, 28, 33, 36, 52, 60, 64, 80, 96, 112};
    const float scale = -0.05f;
    for (int ci = 0; ci < 4; ci++)
        for (int shape = 1; shape <= 4; shape++) {
            const int cols = colss[ci], quads = cols / 4, pairs = (cols + 1) / 2;
            /* 1-3 even shares (dp__sparse_split), or bounds such as
             * dp__sparse_balance can give: an empty first part, then bounds
             * at 8 pairs and at the last multiple of 8 */
            const int nparts = shape <= 3 ? shape : 4;
            int bound[5];
            for (int k = 0; k <= nparts; k++) bound[k] = dp__sparse_split(pairs, k, nparts);
            if (shape == 4) {
                const int last = pairs & ~7;
                bound[1] = 0;
                bound[2] = 8 < last ? 8 : last;
                bound[3] = last;
            }
            float *X = random_floats(&rng, (size_t)ROWS * cols, 0.6f);
            dp_sparse_part parts[4] = {{0}};
            for (int k = 0; k < nparts; k++) { /* each part a share of the inputs */
                CHECK(dp__sparse_part_reserve(&parts[k], ROWS, cols) == DP_OK);
                dp__sparse_part_build(&parts[k], X, ROWS, cols, bound[k], bound[k + 1], scale);
            }
            float *W = random_floats(&rng, (size_t)cols * LD, 0.0f);
            float *D = random_floats(&rng, (size_t)ROWS * LD, 0.3f);
            for (int ni = 0; ni < (int)(sizeof ns / sizeof *ns); ni++) {
                const int n = ns[ni];
                /* forward */
                float *out = random_floats(&rng, (size_t)ROWS * LD, 0.0f);
                float *ref = copy_floats(out, (size_t)ROWS * LD);
                for (int r = 0; r < ROWS; r++) {
                    const float *x = X + (size_t)r * cols;
                    float *o = ref + (size_t)r * LD;
                    for (int t = 0; t < quads; t++) {
                        const int a = lit_pair(x, cols, 2 * t), b = lit_pair(x, cols, 2 * t + 1);
                        if (a || b)
                            madd_inputs(x, cols, a ? 4 * t : 4 * t + 2, a && b ? 4 : 2, W, LD, n,
                                        o);
                    }
                    for (int p = 2 * quads; p < pairs; p++)
                        if (lit_pair(x, cols, p)) madd_inputs(x, cols, 2 * p, 2, W, LD, n, o);
                }
                dp__sparse_forward_block(n, parts, nparts, W, LD, out, LD);
                CHECKF(same_bits(out, ref, (size_t)ROWS * LD),
                       "forward block: %d inputs, %d units, %d parts", cols, n, nparts);
                /* plain update */
                float *Wu = malloc(sizeof(float) * cols * LD),
                      *Wr = malloc(sizeof(float) * cols * LD);
                memcpy(Wu, W, sizeof(float) * cols * LD);
                memcpy(Wr, W, sizeof(float) * cols * LD);
                for (int p = 0; p < pairs; p++)
                    for (int r = 0; r < ROWS; r++) {
                        const float *x = X + (size_t)r * cols, *d = D + (size_t)r * LD;
                        if (!lit_pair(x, cols, p)) continue;
                        for (int i = 2 * p; i < 2 * p + 2; i++) {
                            const float v = scale * (i < cols ? x[i] : 0.0f);
                            for (int j = 0; j < n && i < cols; j++)
                                Wr[(size_t)i * LD + j] = MADD(v, d[j], Wr[(size_t)i * LD + j]);
                        }
                    }
                dp__sparse_update_block(n, parts, nparts, D, LD, Wu, LD);
                CHECKF(same_bits(Wu, Wr, (size_t)cols * LD),
                       "update block: %d inputs, %d units, %d parts", cols, n, nparts);
                /* momentum and weight decay, then weight decay alone */
                for (int with_v = 1; with_v >= 0; with_v--) {
                    const dp_hyper hp = {0.1f, with_v ? 0.9f : 0.0f, 0.01f};
                    float *V = random_floats(&rng, (size_t)cols * LD, 0.0f);
                    float *Vr = copy_floats(V, (size_t)cols * LD);
                    memcpy(Wu, W, sizeof(float) * cols * LD);
                    memcpy(Wr, W, sizeof(float) * cols * LD);
                    for (int i = 0; i < cols; i++) {
                        float g[LD] = {0};
                        for (int r = 0; r < ROWS; r++) {
                            const float *x = X + (size_t)r * cols, *d = D + (size_t)r * LD;
                            if (!lit_pair(x, cols, i / 2)) continue;
                            for (int j = 0; j < n; j++) g[j] = MADD(scale * x[i], d[j], g[j]);
                        }
                        float *w = Wr + (size_t)i * LD, *v = Vr + (size_t)i * LD;
                        for (int j = 0; j < n; j++) {
                            if (!with_v) {
                                w[j] = (1.0f - hp.lr * hp.weight_decay) * w[j] - hp.lr * g[j];
                                continue;
                            }
                            v[j] = hp.momentum * v[j] - hp.lr * (g[j] + hp.weight_decay * w[j]);
                            w[j] += v[j];
                        }
                    }
                    dp__sparse_momentum_block(n, parts, nparts, D, LD, &hp, Wu, with_v ? V : NULL,
                                              LD);
                    CHECKF(same_bits(Wu, Wr, (size_t)cols * LD) &&
                               (!with_v || same_bits(V, Vr, (size_t)cols * LD)),
                           "momentum block (%s): %d inputs, %d units, %d parts",
                           with_v ? "velocity" : "decay only", cols, n, nparts);
                    free(V);
                    free(Vr);
                }
                free(out);
                free(ref);
                free(Wu);
                free(Wr);
            }
            for (int k = 0; k < nparts; k++) dp__sparse_part_free(&parts[k]);
            free(X);
            free(W);
            free(D);
        }
}

/* The batch's small layer-2 products: a chunk's share of the logits, the
 * shares added up, and the hidden delta, against their loops. */
static void test_batch_layer2(void) {
    dp_rng rng;
    dp_rng_seed(&rng, 6);
    enum { B = 13, LD = 40, MAXO = 17 };
    const int outs[] = {1, 8, 10, 16, 17}, ns[] = {1, 7, 9, 15, 16, 33};
    float *h = random_floats(&rng, (size_t)B * LD, 0.4f);
    for (int k = 0; k < B * LD; k++) h[k] = h[k] > 0.0f ? h[k] : 0.0f; /* after the ReLU */
    for (int a = 0; a < (int)(sizeof outs / sizeof *outs); a++)
        for (int c = 0; c < (int)(sizeof ns / sizeof *ns); c++) {
            const int O = outs[a], n = ns[c];
            float *W2 = random_floats(&rng, (size_t)n * O, 0.0f);
            float z[B * MAXO], zref[B * MAXO];
            for (int r = 0; r < B; r++)
                for (int o = 0; o < O; o++) {
                    float sum = 0.0f;
                    for (int l = 0; l < n; l++) sum = LMADD(h[r * LD + l], W2[l * O + o], sum);
                    zref[r * O + o] = sum;
                }
            if (n <= 16 || O > 16) { /* the kernel takes chunks of up to 16 units */
                dp__chunk_logits(B, n, O, h, LD, W2, z);
                CHECKF(same_bits(z, zref, (size_t)B * O), "chunk logits n %d O %d", n, O);
            }
            /* the shares of n chunks added in order onto first */
            float first[MAXO], sum[MAXO], sref[MAXO];
            memcpy(first, zref, sizeof first);
            memcpy(sref, first, sizeof sref);
            for (int k = 0; k < n && k < B; k++)
                for (int o = 0; o < O; o++) sref[o] += zref[k * O + o];
            dp__sum_shares(O, first, zref, (size_t)O, n < B ? n : B, sum);
            CHECKF(same_bits(sum, sref, (size_t)O), "sum of shares n %d O %d", n, O);
            /* delta1 = (d2 . W2^T) [h > 0] for n units */
            float *d2 = random_floats(&rng, (size_t)B * O, 0.0f);
            float d1[B * LD], dref[B * LD];
            memset(d1, 0, sizeof d1);
            memset(dref, 0, sizeof dref);
            for (int r = 0; r < B; r++)
                for (int j = 0; j < n; j++) {
                    float sum1 = 0.0f;
                    for (int o = 0; o < O; o++) sum1 = LMADD(d2[r * O + o], W2[j * O + o], sum1);
                    dref[r * LD + j] = h[r * LD + j] > 0.0f ? sum1 : 0.0f;
                }
            dp__hidden_delta(B, n, O, d2, W2, h, LD, d1);
            CHECKF(same_bits(d1, dref, sizeof d1 / sizeof *d1), "hidden delta n %d O %d", n, O);
            /* W2 += alpha (h^T . d2) for n units, the sum in row order, then
             * a multiply and an add */
            if (n <= 16 || O > 16) {
                float *Wu = copy_floats(W2, (size_t)n * O), *Wr = copy_floats(W2, (size_t)n * O);
                for (int l = 0; l < n; l++)
                    for (int o = 0; o < O; o++) {
                        float sum2 = 0.0f;
                        for (int r = 0; r < B; r++)
                            sum2 = LMADD(h[r * LD + l], d2[r * O + o], sum2);
                        const float t = -0.05f * sum2;
                        Wr[l * O + o] += t;
                    }
                dp__chunk_w2_update(B, n, O, h, LD, d2, -0.05f, Wu);
                CHECKF(same_bits(Wu, Wr, (size_t)n * O), "W2 update n %d O %d", n, O);
                free(Wu);
                free(Wr);
            }
            free(W2);
            free(d2);
        }
    free(h);
}

/* dp__kernels_choose: the best set, or the one named, or none. */
static void test_choose(void) {
    static const dp_kernel_set a = {.name = "avx512"}, b = {.name = "avx2"}, c = {.name = "plain"};
    const dp_kernel_set *all[] = {&a, &b, &c};
    CHECK(dp__kernels_choose(NULL, all, 3) == all[0]);
    CHECK(dp__kernels_choose("", all, 3) == all[0]);
    CHECK(dp__kernels_choose("avx2", all, 3) == all[1]);
    CHECK(dp__kernels_choose("plain", all, 3) == all[2]);
    CHECK(dp__kernels_choose("AVX2", all, 3) == NULL);
    CHECK(dp__kernels_choose("sse", all, 3) == NULL);
    /* a CPU without AVX-512 (or AVX2) has no such set */
    CHECK(dp__kernels_choose("avx512", all + 1, 2) == NULL);
    CHECK(dp__kernels_choose("avx2", all + 2, 1) == NULL);
    CHECK(dp__kernels_choose(NULL, all + 2, 1) == all[2]);
}

/* Whether /proc/cpuinfo's first "flags" line lists every one of flags
 * (space-separated); -1 if there is no such file (not Linux). */
static int cpu_has(const char *flags) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return -1;
    char line[8192];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        if (strncmp(line, "flags", 5) == 0) found = 1;
    fclose(f);
    if (!found) return -1;
    char want[256];
    snprintf(want, sizeof want, "%s", flags);
    for (char *w = strtok(want, " "); w; w = strtok(NULL, " ")) {
        const size_t len = strlen(w);
        int ok = 0;
        for (const char *at = line; !ok && (at = strstr(at, w)) != NULL; at += len)
            ok = at > line && at[-1] == ' ' &&
                 (at[len] == ' ' || at[len] == '\n' || at[len] == '\0');
        if (!ok) return 0;
    }
    return 1;
}

/* The names of n sets, space-separated, into out. */
static void set_names(const dp_kernel_set **sets, int n, char *out, size_t size) {
    out[0] = '\0';
    for (int k = 0; k < n; k++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", k ? " " : "", sets[k]->name);
}

/* The sets this CPU runs: those $DPT_EXPECT_KERNELS lists (the emulated
 * CPUs of tests/kernels_emulated.sh, which /proc/cpuinfo does not
 * describe), else those /proc/cpuinfo's flags call for; and the set in use. */
static void test_sets(const dp_kernel_set **sets, int n) {
    CHECK(n >= 1 && n <= 3 && sets[n - 1] == &dp__kernels_plain);
    char names[64];
    set_names(sets, n, names, sizeof names);
    const char *expect = getenv("DPT_EXPECT_KERNELS");
    if (expect && *expect) {
        CHECKF(strcmp(names, expect) == 0, "sets \"%s\", expected \"%s\"", names, expect);
    } else {
#if defined(__x86_64__) /* the build has the vector sets */
        const int v4 = cpu_has("avx512f avx512bw avx512dq avx512vl fma bmi2 popcnt");
        const int v3 = cpu_has("avx2 fma popcnt");
        CHECKF(v4 >= 0 && v3 >= 0, "no flags in /proc/cpuinfo: set DPT_EXPECT_KERNELS");
        const char *want = v4 == 1 ? "avx512 avx2 plain" : v3 == 1 ? "avx2 plain" : "plain";
        CHECKF(strcmp(names, want) == 0, "sets \"%s\", /proc/cpuinfo says \"%s\"", names, want);
#else
        CHECKF(strcmp(names, "plain") == 0, "sets \"%s\" on a build without vector sets", names);
#endif
    }
    printf("kernel sets this CPU runs: %s\n", names);
    /* the set in use is the best, or the one $DIGITPAD_KERNELS names
     * (testutil.c selects it); dp_kernels_select takes a set by name */
    const char *request = getenv(DP_KERNELS_ENV);
    const dp_kernel_set *want = sets[0];
    for (int k = 0; k < n && request; k++)
        if (strcmp(request, sets[k]->name) == 0) want = sets[k];
    CHECK(dp__kernels() == want);
    CHECK(strcmp(dp_kernels_name(), want->name) == 0);
    for (int k = n - 1; k >= 0; k--) {
        CHECK(dp_kernels_select(sets[k]->name) == DP_OK && dp__kernels() == sets[k]);
        CHECK(dp_kernels_select("sse") == DP_ERR_ARG && dp__kernels() == sets[k]);
    }
    CHECK(dp_kernels_select(NULL) == DP_OK && dp__kernels() == sets[0]);
    if (n < 3) /* a set this build has but this CPU does not run */
        CHECK(dp_kernels_select(n == 1 ? "avx2" : "avx512") == DP_ERR_ARG);
    for (int k = 0; k < n; k++) {
        CHECK(sets[k]->fused == (sets[k] != &dp__kernels_plain));
        /* every kernel of the table is there (a field DP_KERNEL_SET missed
         * would be NULL) */
        const dp_kernel_set *s = sets[k];
        const void *fn[] = {(void *)s->pair_forward,
                            (void *)s->quad_forward,
                            (void *)s->pair_update,
                            (void *)s->pair_momentum,
                            (void *)s->sparse_forward_block,
                            (void *)s->sparse_update_block,
                            (void *)s->sparse_momentum_block,
                            (void *)s->row_forward,
                            (void *)s->rows_update,
                            (void *)s->nonzeros,
                            (void *)s->row_logits,
                            (void *)s->row_output_backward,
                            (void *)s->chunk_logits,
                            (void *)s->chunk_w2_update,
                            (void *)s->sum_shares,
                            (void *)s->hidden_delta,
                            (void *)s->lit_pairs,
                            (void *)s->bytes_to_unit,
                            (void *)s->relu_rows,
                            (void *)s->axpy_rows};
        _Static_assert(sizeof fn == sizeof *s - 2 * sizeof(void *),
                       "a kernel of dp_kernel_set is missing here");
        for (size_t f = 0; f < sizeof fn / sizeof *fn; f++)
            CHECKF(fn[f] != NULL, "set %s: kernel %zu is NULL", s->name, f);
    }
}

/* Whether the set is one to test: all of them, or those $DPT_RUN_KERNELS
 * lists. */
static int to_run(const dp_kernel_set *k) {
    const char *only = getenv("DPT_RUN_KERNELS");
    if (!only || !*only) return 1;
    char list[64];
    snprintf(list, sizeof list, "%s", only);
    for (char *w = strtok(list, " "); w; w = strtok(NULL, " "))
        if (strcmp(w, k->name) == 0) return 1;
    return 0;
}

int main(void) {
    const dp_kernel_set *sets[3];
    const int n = dp__kernel_sets(sets);
    test_choose();
    test_sets(sets, n);
    for (int k = 0; k < n; k++) {
        if (!to_run(sets[k])) {
            printf("kernels %s: not run (DPT_RUN_KERNELS)\n", sets[k]->name);
            continue;
        }
        const int failed = dpt_failed;
        CHECK(dp_kernels_select(sets[k]->name) == DP_OK);
        fused = sets[k]->fused;
        test_nonzeros();
        test_lit_pairs();
        test_bytes_to_unit();
        test_rows_loops();
        test_row_forward();
        test_rows_update();
        test_layer2();
        test_pair_kernels();
        test_quad_kernel();
        test_block_kernels();
        test_batch_layer2();
        printf("kernels %s: %s\n", sets[k]->name, dpt_failed == failed ? "pass" : "FAIL");
    }
    return dpt_finish();
}
