/* The AVX2 set of the kernels of sparse_kernels.h, for CPUs with AVX2 and
 * FMA but without AVX-512 (most laptops and desktops: Intel before Ice Lake
 * and its consumer chips since Alder Lake, AMD before Zen 4). CMake compiles
 * this file with -mavx2 -mfma; sparse_kernels.c runs it only on a CPU that
 * has them. Each output element gets the same operations in the same order
 * as in the AVX-512 set, fused where those fuse, so the two sets train the
 * same weights bit for bit; the lanes are only narrower (8 floats) and the
 * registers fewer (16), so a block of hidden units is taken in slices whose
 * weights (forward) or accumulators (update) still fit in registers: 16
 * units of a quad's four rows, 32 of a pair's two. */
#include "sparse_kernels.h"
#include "sparse_kernels_plain.h"

#if defined(DP_KERNELS_X86)
#if !defined(__AVX2__) || !defined(__FMA__)
#error "sparse_kernels_avx2.c needs -mavx2 -mfma"
#endif
#include <immintrin.h>
#include <stddef.h>

#define INLINE static inline __attribute__((always_inline))

/* Lanes 0 .. n-1 of 8 (none for n <= 0). */
INLINE __m256i lanes_below(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Vector k of K from p; with masked set the last one holds only the lanes
 * in tail (the others read as 0 and are not written). */
INLINE __m256 load(const float *p, int k, int K, int masked, __m256i tail) {
    return masked && k == K - 1 ? _mm256_maskload_ps(p + 8 * k, tail) : _mm256_loadu_ps(p + 8 * k);
}
INLINE void store(float *p, int k, int K, int masked, __m256i tail, __m256 v) {
    if (masked && k == K - 1)
        _mm256_maskstore_ps(p + 8 * k, tail, v);
    else
        _mm256_storeu_ps(p + 8 * k, v);
}

/* Run fn over n units in slices of KMAX vectors (KMAX <= 4), the last one
 * narrower (and masked if it ends inside a vector): fn(K, masked, tail, j,
 * ...) takes units j .. j + 8K. */
#define SLICES(KMAX, fn, ...)                                                                      \
    do {                                                                                           \
        _Static_assert((KMAX) >= 1 && (KMAX) <= 4, "SLICES takes up to 4 vectors");                \
        int j_ = 0;                                                                                \
        const __m256i all_ = _mm256_set1_epi32(-1);                                                \
        for (; j_ + 8 * (KMAX) <= n; j_ += 8 * (KMAX)) fn(KMAX, 0, all_, j_, __VA_ARGS__);         \
        const int rest_ = n - j_;                                                                  \
        if (rest_ <= 0) break;                                                                     \
        const __m256i tail_ = lanes_below(((rest_ - 1) & 7) + 1);                                  \
        const int masked_ = rest_ % 8 != 0;                                                        \
        switch ((rest_ + 7) / 8) {                                                                 \
        case 1:                                                                                    \
            masked_ ? fn(1, 1, tail_, j_, __VA_ARGS__) : fn(1, 0, tail_, j_, __VA_ARGS__);         \
            break;                                                                                 \
        case 2:                                                                                    \
            masked_ ? fn(2, 1, tail_, j_, __VA_ARGS__) : fn(2, 0, tail_, j_, __VA_ARGS__);         \
            break;                                                                                 \
        case 3:                                                                                    \
            masked_ ? fn((KMAX) < 3 ? (KMAX) : 3, 1, tail_, j_, __VA_ARGS__)                       \
                    : fn((KMAX) < 3 ? (KMAX) : 3, 0, tail_, j_, __VA_ARGS__);                      \
            break;                                                                                 \
        default:                                                                                   \
            masked_ ? fn((KMAX) < 4 ? (KMAX) : 4, 1, tail_, j_, __VA_ARGS__)                       \
                    : fn((KMAX) < 4 ? (KMAX) : 4, 0, tail_, j_, __VA_ARGS__);                      \
            break;                                                                                 \
        }                                                                                          \
    } while (0)

/* ---- layer 1 of a batch -------------------------------------------------- */

/* Entries of a pair (two values) or, with four, of a quad's both-list, for
 * units j .. j + 8K whose weight rows are in a, b (and c, d). */
INLINE void entries_k(const int K, const int masked, const int four, const int two, __m256i tail,
                      const dp_pair_run *runs, int nruns, const __m256 *a, const __m256 *b,
                      const __m256 *c, const __m256 *d, float *out, int ldo) {
    for (int s = 0; s < nruns; s++) {
        /* in locals: the vector stores may alias anything, *runs included */
        const int *row = runs[s].row, count = runs[s].count;
        const float *val = runs[s].val;
        for (int e = 0; e < count; e++) {
            float *o = out + (size_t)row[e] * ldo;
            const float *x = val + (four ? 4 : 2) * e;
            const __m256 x0 = _mm256_broadcast_ss(x), x1 = _mm256_broadcast_ss(x + 1);
            const __m256 x2 = four ? _mm256_broadcast_ss(x + 2) : x0;
            const __m256 x3 = four ? _mm256_broadcast_ss(x + 3) : x1;
#pragma GCC unroll 4
            for (int k = 0; k < K; k++) {
                __m256 v = _mm256_fmadd_ps(x0, a[k], load(o, k, K, masked, tail));
                if (two) v = _mm256_fmadd_ps(x1, b[k], v);
                if (four) {
                    v = _mm256_fmadd_ps(x2, c[k], v);
                    v = _mm256_fmadd_ps(x3, d[k], v);
                }
                store(o, k, K, masked, tail, v);
            }
        }
    }
}

INLINE void pair_forward_k(const int K, const int masked, __m256i tail, int j, const int two,
                           const dp_pair_run *runs, int nruns, const float *w0, const float *w1,
                           float *out, int ldo) {
    __m256 a[4], b[4];
#pragma GCC unroll 4
    for (int k = 0; k < K; k++) {
        a[k] = load(w0 + j, k, K, masked, tail);
        b[k] = two ? load(w1 + j, k, K, masked, tail) : _mm256_setzero_ps();
    }
    entries_k(K, masked, 0, two, tail, runs, nruns, a, b, a, b, out + j, ldo);
}
#define PAIR_FORWARD_2(K, masked, tail, j, ...) pair_forward_k(K, masked, tail, j, 1, __VA_ARGS__)
#define PAIR_FORWARD_1(K, masked, tail, j, ...) pair_forward_k(K, masked, tail, j, 0, __VA_ARGS__)

static void pair_forward(int n, const dp_pair_run *runs, int nruns, const float *w0,
                         const float *w1, float *out, int ldo) {
    if (w1)
        SLICES(4, PAIR_FORWARD_2, runs, nruns, w0, w1, out, ldo);
    else
        SLICES(4, PAIR_FORWARD_1, runs, nruns, w0, w1, out, ldo);
}

INLINE void quad_forward_k(const int K, const int masked, __m256i tail, int j,
                           const dp_quad_runs *q, const float *w, int ldw, float *out, int ldo) {
    __m256 a[2], b[2], c[2], d[2];
#pragma GCC unroll 2
    for (int k = 0; k < K; k++) {
        a[k] = load(w + j, k, K, masked, tail);
        b[k] = load(w + ldw + j, k, K, masked, tail);
        c[k] = load(w + 2 * (size_t)ldw + j, k, K, masked, tail);
        d[k] = load(w + 3 * (size_t)ldw + j, k, K, masked, tail);
    }
    entries_k(K, masked, 1, 1, tail, q->both, q->nboth, a, b, c, d, out + j, ldo);
    entries_k(K, masked, 0, 1, tail, q->first, q->nfirst, a, b, a, b, out + j, ldo);
    entries_k(K, masked, 0, 1, tail, q->second, q->nsecond, c, d, c, d, out + j, ldo);
}

static void quad_forward(int n, const dp_quad_runs *q, const float *w, int ldw, float *out,
                         int ldo) {
    SLICES(2, quad_forward_k, q, w, ldw, out, ldo);
}

/* The entries' sums into a[k] (row w0) and b[k] (row w1): the
 * accumulators stay in registers while the rows of D stream past. */
INLINE void sum_entries_k(const int K, const int masked, const int two, __m256i tail,
                          const dp_pair_run *runs, int nruns, const float *D, int ldd, __m256 *a,
                          __m256 *b) {
    for (int s = 0; s < nruns; s++) {
        const int *row = runs[s].row, count = runs[s].count;
        const float *val = runs[s].val;
        for (int e = 0; e < count; e++) {
            const float *d = D + (size_t)row[e] * ldd;
            const __m256 x0 = _mm256_broadcast_ss(val + 2 * e);
            const __m256 x1 = _mm256_broadcast_ss(val + 2 * e + 1);
#pragma GCC unroll 4
            for (int k = 0; k < K; k++) {
                __m256 dv = load(d, k, K, masked, tail);
                __asm__("" : "+x"(dv)); /* one load for both rows, not one each */
                a[k] = _mm256_fmadd_ps(x0, dv, a[k]);
                if (two) b[k] = _mm256_fmadd_ps(x1, dv, b[k]);
            }
        }
    }
}

INLINE void pair_update_k(const int K, const int masked, __m256i tail, int j, const int two,
                          const dp_pair_run *runs, int nruns, const float *D, int ldd, float *w0,
                          float *w1) {
    __m256 a[4], b[4];
#pragma GCC unroll 4
    for (int k = 0; k < K; k++) {
        a[k] = load(w0 + j, k, K, masked, tail);
        b[k] = two ? load(w1 + j, k, K, masked, tail) : _mm256_setzero_ps();
    }
    sum_entries_k(K, masked, two, tail, runs, nruns, D + j, ldd, a, b);
#pragma GCC unroll 4
    for (int k = 0; k < K; k++) {
        store(w0 + j, k, K, masked, tail, a[k]);
        if (two) store(w1 + j, k, K, masked, tail, b[k]);
    }
}
#define PAIR_UPDATE_2(K, masked, tail, j, ...) pair_update_k(K, masked, tail, j, 1, __VA_ARGS__)
#define PAIR_UPDATE_1(K, masked, tail, j, ...) pair_update_k(K, masked, tail, j, 0, __VA_ARGS__)

static void pair_update(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                        float *w0, float *w1) {
    if (w1)
        SLICES(4, PAIR_UPDATE_2, runs, nruns, D, ldd, w0, w1);
    else
        SLICES(4, PAIR_UPDATE_1, runs, nruns, D, ldd, w0, w1);
}

INLINE void momentum_k(const int K, const int masked, __m256i tail, int j, const int two,
                       const dp_pair_run *runs, int nruns, const float *D, int ldd,
                       const dp_hyper *hp, const dp_pair_rows *pr) {
    __m256 a[4], b[4];
#pragma GCC unroll 4
    for (int k = 0; k < K; k++) a[k] = b[k] = _mm256_setzero_ps();
    sum_entries_k(K, masked, two, tail, runs, nruns, D + j, ldd, a, b);
    const __m256 lr = _mm256_set1_ps(hp->lr), mu = _mm256_set1_ps(hp->momentum);
    const __m256 wd = _mm256_set1_ps(hp->weight_decay);
    const __m256 keep = _mm256_set1_ps(1.0f - hp->lr * hp->weight_decay);
    for (int t = 0; t < 1 + two; t++) {
        float *w = (t ? pr->w1 : pr->w0) + j, *v = t ? pr->v1 : pr->v0;
        const __m256 *g = t ? b : a;
#pragma GCC unroll 4
        for (int k = 0; k < K; k++) {
            __m256 wv = load(w, k, K, masked, tail);
            if (v) { /* v = mu v - lr (g + wd w); w += v */
                __m256 vv = load(v + j, k, K, masked, tail);
                vv = _mm256_sub_ps(_mm256_mul_ps(mu, vv),
                                   _mm256_mul_ps(lr, _mm256_add_ps(g[k], _mm256_mul_ps(wd, wv))));
                store(v + j, k, K, masked, tail, vv);
                wv = _mm256_add_ps(wv, vv);
            } else { /* w = (1 - lr wd) w - lr g */
                wv = _mm256_sub_ps(_mm256_mul_ps(keep, wv), _mm256_mul_ps(lr, g[k]));
            }
            store(w, k, K, masked, tail, wv);
        }
    }
}
#define MOMENTUM_2(K, masked, tail, j, ...) momentum_k(K, masked, tail, j, 1, __VA_ARGS__)
#define MOMENTUM_1(K, masked, tail, j, ...) momentum_k(K, masked, tail, j, 0, __VA_ARGS__)

static void pair_momentum(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                          const dp_hyper *hp, const dp_pair_rows *rows) {
    if (rows->w1)
        SLICES(4, MOMENTUM_2, runs, nruns, D, ldd, hp, rows);
    else
        SLICES(4, MOMENTUM_1, runs, nruns, D, ldd, hp, rows);
}

/* ---- one row: inference and per-sample SGD ------------------------------- */

enum { ROW_VECTORS = 12 }; /* 96 units of a row in registers */

INLINE void row_k(const int K, const int masked, __m256i tail, const float *h0, const int *idx,
                  const float *v, int nnz, const float *W, int ldw, float *h) {
    __m256 acc[ROW_VECTORS];
#pragma GCC unroll 12
    for (int k = 0; k < K; k++) acc[k] = h0 ? load(h0, k, K, masked, tail) : _mm256_setzero_ps();
    for (int e = 0; e < nnz; e++) {
        const float *w = W + (size_t)idx[e] * ldw;
        if (e + 6 < nnz) /* the row six inputs on, so it arrives from L2/L3 in time */
            for (int k = 0; k < K; k += 2) __builtin_prefetch(W + (size_t)idx[e + 6] * ldw + 8 * k);
        const __m256 x = _mm256_broadcast_ss(v + e);
#pragma GCC unroll 12
        for (int k = 0; k < K; k++)
            acc[k] = _mm256_add_ps(acc[k], _mm256_mul_ps(x, load(w, k, K, masked, tail)));
    }
#pragma GCC unroll 12
    for (int k = 0; k < K; k++) store(h, k, K, masked, tail, acc[k]);
}

static void row_forward(int H, const float *h0, const int *idx, const float *v, int nnz,
                        const float *W, int ldw, float *h) {
    const __m256i all = _mm256_set1_epi32(-1);
    for (; H >= 8 * ROW_VECTORS; H -= 8 * ROW_VECTORS, W += 8 * ROW_VECTORS, h += 8 * ROW_VECTORS,
                                 h0 = h0 ? h0 + 8 * ROW_VECTORS : NULL)
        row_k(ROW_VECTORS, 0, all, h0, idx, v, nnz, W, ldw, h);
    for (; H >= 32; H -= 32, W += 32, h += 32, h0 = h0 ? h0 + 32 : NULL)
        row_k(4, 0, all, h0, idx, v, nnz, W, ldw, h);
    if (H <= 0) return;
    const __m256i tail = lanes_below(((H - 1) & 7) + 1);
    switch ((H + 7) / 8) {
    case 1:
        row_k(1, 1, tail, h0, idx, v, nnz, W, ldw, h);
        break;
    case 2:
        row_k(2, 1, tail, h0, idx, v, nnz, W, ldw, h);
        break;
    case 3:
        row_k(3, 1, tail, h0, idx, v, nnz, W, ldw, h);
        break;
    default:
        row_k(4, 1, tail, h0, idx, v, nnz, W, ldw, h);
        break;
    }
}

INLINE void rows_k(const int K, const int masked, __m256i tail, int j, const int *idx,
                   const float *v, float alpha, int nnz, const float *d, float *W, int ldw) {
    __m256 dv[8];
#pragma GCC unroll 8
    for (int k = 0; k < K; k++) dv[k] = load(d + j, k, K, masked, tail);
    for (int e = 0; e < nnz; e++) {
        float *w = W + (size_t)idx[e] * ldw + j;
        if (e + 6 < nnz)
            for (int k = 0; k < K; k += 2)
                __builtin_prefetch(W + (size_t)idx[e + 6] * ldw + j + 8 * k);
        const __m256 c = _mm256_set1_ps(alpha * v[e]);
#pragma GCC unroll 8
        for (int k = 0; k < K; k++)
            store(w, k, K, masked, tail,
                  _mm256_add_ps(load(w, k, K, masked, tail), _mm256_mul_ps(c, dv[k])));
    }
}

static void rows_update(int H, const int *idx, const float *v, float alpha, int nnz, const float *d,
                        float *W, int ldw) {
    int j = 0;
    const __m256i all = _mm256_set1_epi32(-1);
    for (; j + 64 <= H; j += 64) rows_k(8, 0, all, j, idx, v, alpha, nnz, d, W, ldw);
    const int n = H - j;
    if (n <= 0) return;
    d += j;
    W += j;
    SLICES(4, rows_k, idx, v, alpha, nnz, d, W, ldw);
}

static int nonzeros(const float *x, int n, int first, int *idx, float *v) {
    return select_inputs_plain(x, n, first, 0, idx, v);
}

/* ---- layer 2 ------------------------------------------------------------- */

/* The small layer-2 products take up to 16 outputs in two vectors, as the
 * AVX-512 kernels take them in one; more go to the plain loops. */
enum { FIRED_BLOCK = 256 };

static void row_logits(int H, int O, const float *h, const float *W, const float *b, float *z) {
    if (O > 16) {
        row_logits_plain(H, O, h, W, b, z);
        return;
    }
    int act[FIRED_BLOCK + 16];
    const __m256i m0 = lanes_below(O), m1 = lanes_below(O - 8);
    __m256 acc0 = b ? _mm256_maskload_ps(b, m0) : _mm256_setzero_ps();
    __m256 acc1 = b && O > 8 ? _mm256_maskload_ps(b + 8, m1) : _mm256_setzero_ps();
    for (int j0 = 0; j0 < H; j0 += FIRED_BLOCK) {
        const int n = select_inputs_plain(h + j0, H - j0 < FIRED_BLOCK ? H - j0 : FIRED_BLOCK, j0,
                                          1, act, NULL);
        for (int k = 0; k < n; k++) {
            const int j = act[k];
            const __m256 x = _mm256_broadcast_ss(h + j);
            acc0 = _mm256_add_ps(acc0, _mm256_mul_ps(x, _mm256_maskload_ps(W + (size_t)j * O, m0)));
            if (O > 8)
                acc1 = _mm256_add_ps(
                    acc1, _mm256_mul_ps(x, _mm256_maskload_ps(W + (size_t)j * O + 8, m1)));
        }
    }
    _mm256_maskstore_ps(z, m0, acc0);
    if (O > 8) _mm256_maskstore_ps(z + 8, m1, acc1);
}

static void row_output_backward(int n, int O, const float *h, const float *d2, float alpha,
                                float *W, float *d1) {
    if (O > 16) {
        row_output_backward_plain(n, O, h, d2, alpha, W, d1);
        return;
    }
    int act[FIRED_BLOCK + 16];
    const __m256i m0 = lanes_below(O), m1 = lanes_below(O - 8);
    const __m256 dv0 = _mm256_maskload_ps(d2, m0);
    const __m256 dv1 = O > 8 ? _mm256_maskload_ps(d2 + 8, m1) : _mm256_setzero_ps();
    for (int j = 0; j < n; j++) d1[j] = 0.0f;
    for (int j0 = 0; j0 < n; j0 += FIRED_BLOCK) {
        const int nf = select_inputs_plain(h + j0, n - j0 < FIRED_BLOCK ? n - j0 : FIRED_BLOCK, j0,
                                           1, act, NULL);
        for (int k = 0; k < nf; k++) {
            const int j = act[k];
            float *w = W + (size_t)j * O, p[16];
            const __m256 w0 = _mm256_maskload_ps(w, m0);
            const __m256 w1 = O > 8 ? _mm256_maskload_ps(w + 8, m1) : _mm256_setzero_ps();
            _mm256_storeu_ps(p, _mm256_mul_ps(w0, dv0));
            _mm256_storeu_ps(p + 8, _mm256_mul_ps(w1, dv1));
            float s = 0.0f; /* in order, as the plain loop */
            for (int o = 0; o < O; o++) s += p[o];
            d1[j] = s;
            const __m256 a = _mm256_set1_ps(alpha * h[j]);
            _mm256_maskstore_ps(w, m0, _mm256_add_ps(w0, _mm256_mul_ps(a, dv0)));
            if (O > 8) _mm256_maskstore_ps(w + 8, m1, _mm256_add_ps(w1, _mm256_mul_ps(a, dv1)));
        }
    }
}

static void hidden_delta(int B, int n, int O, const float *d2, const float *W2, const float *h,
                         int ld, float *d1) {
    if (O > 16) {
        hidden_delta_plain(B, n, O, d2, W2, h, ld, d1);
        return;
    }
    const __m256i at = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                          _mm256_set1_epi32(O)); /* row l at l * O */
    for (int j = 0; j < n; j += 8) {
        const __m256i in = lanes_below(n - j >= 8 ? 8 : n - j);
        /* column o of W2 for these 8 units: wt[o][l] = W2[j + l, o] */
        __m256 wt[16];
        for (int o = 0; o < O; o++)
            wt[o] = _mm256_mask_i32gather_ps(_mm256_setzero_ps(), W2 + (size_t)j * O + o, at,
                                             _mm256_castsi256_ps(in), 4);
        for (int r = 0; r < B; r++) {
            const float *dr = d2 + (size_t)r * O;
            __m256 acc = _mm256_setzero_ps();
            for (int o = 0; o < O; o++)
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dr + o), wt[o], acc);
            const __m256 hv = _mm256_maskload_ps(h + (size_t)r * ld + j, in);
            const __m256 fired = _mm256_cmp_ps(hv, _mm256_setzero_ps(), _CMP_GT_OQ);
            _mm256_maskstore_ps(d1 + (size_t)r * ld + j, in, _mm256_and_ps(acc, fired));
        }
    }
}

/* lanes half*8 .. half*8+7 of the chunk's logits for every row */
static void chunk_logits_half(int B, int n, int O, int half, const float *h, int ld,
                              const float *W2, float *z) {
    const __m256i m = lanes_below(O - 8 * half);
    const float *w = W2 + 8 * half;
    int r = 0;
    for (; r + 4 <= B; r += 4) { /* four rows at a time: four chains of multiply-adds */
        const float *h0 = h + (size_t)r * ld, *h1 = h0 + ld, *h2 = h1 + ld, *h3 = h2 + ld;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int l = 0; l < n; l++) {
            const __m256 wl = _mm256_maskload_ps(w + (size_t)l * O, m);
            a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(h0 + l), wl, a0);
            a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(h1 + l), wl, a1);
            a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(h2 + l), wl, a2);
            a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(h3 + l), wl, a3);
        }
        float *zr = z + (size_t)r * O + 8 * half;
        _mm256_maskstore_ps(zr, m, a0);
        _mm256_maskstore_ps(zr + O, m, a1);
        _mm256_maskstore_ps(zr + 2 * O, m, a2);
        _mm256_maskstore_ps(zr + 3 * O, m, a3);
    }
    for (; r < B; r++) {
        const float *hr = h + (size_t)r * ld;
        __m256 acc = _mm256_setzero_ps();
        for (int l = 0; l < n; l++)
            acc =
                _mm256_fmadd_ps(_mm256_broadcast_ss(hr + l), _mm256_maskload_ps(w + l * O, m), acc);
        _mm256_maskstore_ps(z + (size_t)r * O + 8 * half, m, acc);
    }
}

static void chunk_logits(int B, int n, int O, const float *h, int ld, const float *W2, float *z) {
    if (O > 16 || n > 16) {
        chunk_logits_plain(B, n, O, h, ld, W2, z);
        return;
    }
    chunk_logits_half(B, n, O, 0, h, ld, W2, z);
    if (O > 8) chunk_logits_half(B, n, O, 1, h, ld, W2, z);
}

static void chunk_w2_update(int B, int n, int O, const float *h, int ld, const float *d2,
                            float alpha, float *W2) {
    if (O > 16 || n > 16) {
        chunk_w2_update_plain(B, n, O, h, ld, d2, alpha, W2);
        return;
    }
    /* acc[o] holds unit l's sum in lane l - 8 half: one load of the row's 8
     * units, then a multiply-add with each of its O deltas */
    const __m256 a = _mm256_set1_ps(alpha);
    for (int half = 0; 8 * half < n; half++) {
        const int l0 = 8 * half, nl = n - l0 < 8 ? n - l0 : 8;
        const __m256i m = lanes_below(nl);
        __m256 acc[16];
#pragma GCC unroll 16
        for (int o = 0; o < 16; o++) acc[o] = _mm256_setzero_ps();
        for (int r = 0; r < B; r++) {
            const __m256 hv = _mm256_maskload_ps(h + (size_t)r * ld + l0, m);
            const float *d = d2 + (size_t)r * O;
#pragma GCC unroll 16
            for (int o = 0; o < 16; o++)
                if (o < O) acc[o] = _mm256_fmadd_ps(hv, _mm256_broadcast_ss(d + o), acc[o]);
        }
        float t[16][8];
#pragma GCC unroll 16
        for (int o = 0; o < 16; o++)
            if (o < O) _mm256_storeu_ps(t[o], _mm256_mul_ps(a, acc[o]));
        for (int l = 0; l < nl; l++)
            for (int o = 0; o < O; o++) W2[(size_t)(l0 + l) * O + o] += t[o][l];
    }
}

static void sum_shares(int O, const float *first, const float *shares, size_t stride, int n,
                       float *z) {
    if (O > 16) {
        sum_shares_plain(O, first, shares, stride, n, z);
        return;
    }
    const __m256i m0 = lanes_below(O), m1 = lanes_below(O - 8);
    __m256 acc0 = _mm256_maskload_ps(first, m0);
    for (int c = 0; c < n; c++)
        acc0 = _mm256_add_ps(acc0, _mm256_maskload_ps(shares + c * stride, m0));
    _mm256_maskstore_ps(z, m0, acc0);
    if (O <= 8) return;
    __m256 acc1 = _mm256_maskload_ps(first + 8, m1);
    for (int c = 0; c < n; c++)
        acc1 = _mm256_add_ps(acc1, _mm256_maskload_ps(shares + c * stride + 8, m1));
    _mm256_maskstore_ps(z + 8, m1, acc1);
}

static void lit_pairs(const float *x, int cols, uint64_t *lit, int *nnz) {
    int i = 0;
    for (; i + 16 <= cols; i += 16) { /* 8 pairs at a time; no pext: slow on AMD before Zen 3 */
        const __m256 c0 = _mm256_cmp_ps(_mm256_loadu_ps(x + i), _mm256_setzero_ps(), _CMP_NEQ_UQ);
        const __m256 c1 =
            _mm256_cmp_ps(_mm256_loadu_ps(x + i + 8), _mm256_setzero_ps(), _CMP_NEQ_UQ);
        const unsigned m = (unsigned)_mm256_movemask_ps(c0) | (unsigned)_mm256_movemask_ps(c1) << 8;
        if (!m) continue;
        *nnz += __builtin_popcount(m);
        /* a pair's two lanes as one 64-bit lane: its top bit set if either is */
        const __m256i p0 = _mm256_castps_si256(c0), p1 = _mm256_castps_si256(c1);
        const __m256d q0 = _mm256_castsi256_pd(_mm256_or_si256(p0, _mm256_slli_epi64(p0, 32)));
        const __m256d q1 = _mm256_castsi256_pd(_mm256_or_si256(p1, _mm256_slli_epi64(p1, 32)));
        const unsigned pairs = (unsigned)_mm256_movemask_pd(q0) | (unsigned)_mm256_movemask_pd(q1)
                                                                      << 4;
        lit[i / 128] |= (uint64_t)pairs << (i / 2 % 64);
    }
    lit_pairs_plain(x, i, cols, lit, nnz);
}

#include "sparse_kernels_blocks.h"

const dp_kernel_set dp__kernels_avx2 = DP_KERNEL_SET("avx2", 1);

#endif
