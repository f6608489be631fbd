/* The AVX-512 set of the kernels of sparse_kernels.h (AVX-512 F, BW, DQ
 * and VL, with FMA and BMI2: CMake compiles this file with those
 * instructions, and sparse_kernels.c runs it only on a CPU that has them). */
#include <stddef.h>

#include "sparse_kernels.h"
#include "sparse_kernels_plain.h"

#if defined(DP_KERNELS_X86)
#if !defined(__AVX512F__) || !defined(__AVX512BW__) || !defined(__AVX512DQ__) ||                   \
    !defined(__AVX512VL__) || !defined(__FMA__) || !defined(__BMI2__)
#error "sparse_kernels_avx512.c needs -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma -mbmi2"
#endif
#include <immintrin.h>

#define INLINE static inline __attribute__((always_inline))

/* K vectors of 16 floats; with masked set, the last one covers only the
 * lanes in tail. K, masked and two are constants where these are inlined,
 * so the loops unroll and the accumulators live in registers. */
INLINE __m512 load(const float *p, int k, int K, int masked, __mmask16 tail) {
    return masked && k == K - 1 ? _mm512_maskz_loadu_ps(tail, p + 16 * k)
                                : _mm512_loadu_ps(p + 16 * k);
}
INLINE void store(float *p, int k, int K, int masked, __mmask16 tail, __m512 v) {
    if (masked && k == K - 1)
        _mm512_mask_storeu_ps(p + 16 * k, tail, v);
    else
        _mm512_storeu_ps(p + 16 * k, v);
}

/* a[0..K) = w0, b[0..K) = w1 (zeros without a second row) */
INLINE void load_rows(int K, int masked, int two, __mmask16 tail, const float *w0, const float *w1,
                      __m512 *a, __m512 *b) {
#pragma GCC unroll 6
    for (int k = 0; k < K; k++) {
        a[k] = load(w0, k, K, masked, tail);
        b[k] = two ? load(w1, k, K, masked, tail) : _mm512_setzero_ps();
    }
}

INLINE void forward_k(const int K, const int masked, const int two, __mmask16 tail,
                      const dp_pair_run *runs, int nruns, const float *w0, const float *w1,
                      float *out, int ldo) {
    __m512 a[6], b[6];
    load_rows(K, masked, two, tail, w0, w1, a, b);
    for (int s = 0; s < nruns; s++) {
        /* in locals: the vector stores may alias anything, *runs included */
        const int *row = runs[s].row, count = runs[s].count;
        const float *val = runs[s].val;
        for (int e = 0; e < count; e++) {
            float *o = out + (size_t)row[e] * ldo;
            const __m512 x0 = _mm512_set1_ps(val[2 * e]), x1 = _mm512_set1_ps(val[2 * e + 1]);
#pragma GCC unroll 6
            for (int k = 0; k < K; k++) {
                __m512 v = _mm512_fmadd_ps(x0, a[k], load(o, k, K, masked, tail));
                if (two) v = _mm512_fmadd_ps(x1, b[k], v);
                store(o, k, K, masked, tail, v);
            }
        }
    }
}

INLINE void update_k(const int K, const int masked, const int two, __mmask16 tail,
                     const dp_pair_run *runs, int nruns, const float *D, int ldd, float *w0,
                     float *w1) {
    __m512 a[6], b[6];
    load_rows(K, masked, two, tail, w0, w1, a, b);
    for (int s = 0; s < nruns; s++) {
        const int *row = runs[s].row, count = runs[s].count;
        const float *val = runs[s].val;
        for (int e = 0; e < count; e++) {
            const float *d = D + (size_t)row[e] * ldd;
            const __m512 x0 = _mm512_set1_ps(val[2 * e]), x1 = _mm512_set1_ps(val[2 * e + 1]);
#pragma GCC unroll 6
            for (int k = 0; k < K; k++) {
                __m512 dv = load(d, k, K, masked, tail);
                __asm__("" : "+v"(dv)); /* one load for both rows, not one each */
                a[k] = _mm512_fmadd_ps(x0, dv, a[k]);
                if (two) b[k] = _mm512_fmadd_ps(x1, dv, b[k]);
            }
        }
    }
#pragma GCC unroll 6
    for (int k = 0; k < K; k++) {
        store(w0, k, K, masked, tail, a[k]);
        if (two) store(w1, k, K, masked, tail, b[k]);
    }
}

/* Dispatch on the number of vectors, on whether the last one is partial,
 * and on whether there is a second row. */
#define CASE(fn, K, masked, ...)                                                                   \
    case K:                                                                                        \
        if (w1)                                                                                    \
            fn(K, masked, 1, tail, __VA_ARGS__);                                                   \
        else                                                                                       \
            fn(K, masked, 0, tail, __VA_ARGS__);                                                   \
        break
#define DISPATCH(fn, ...)                                                                          \
    do {                                                                                           \
        __mmask16 tail = (__mmask16)((1u << (((n - 1) & 15) + 1)) - 1);                            \
        if (n % 16 == 0) {                                                                         \
            switch (n / 16) {                                                                      \
                CASE(fn, 1, 0, __VA_ARGS__);                                                       \
                CASE(fn, 2, 0, __VA_ARGS__);                                                       \
                CASE(fn, 3, 0, __VA_ARGS__);                                                       \
                CASE(fn, 4, 0, __VA_ARGS__);                                                       \
                CASE(fn, 5, 0, __VA_ARGS__);                                                       \
                CASE(fn, 6, 0, __VA_ARGS__);                                                       \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        switch ((n + 15) / 16) {                                                                   \
            CASE(fn, 1, 1, __VA_ARGS__);                                                           \
            CASE(fn, 2, 1, __VA_ARGS__);                                                           \
            CASE(fn, 3, 1, __VA_ARGS__);                                                           \
            CASE(fn, 4, 1, __VA_ARGS__);                                                           \
            CASE(fn, 5, 1, __VA_ARGS__);                                                           \
            CASE(fn, 6, 1, __VA_ARGS__);                                                           \
        }                                                                                          \
    } while (0)

static void forward_upto96(int n, const dp_pair_run *runs, int nruns, const float *w0,
                           const float *w1, float *out, int ldo) {
    DISPATCH(forward_k, runs, nruns, w0, w1, out, ldo);
}

static void update_upto96(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                          float *w0, float *w1) {
    DISPATCH(update_k, runs, nruns, D, ldd, w0, w1);
}

/* Wider spans go 64 units at a time (the batch step's blocks are at most 64
 * units). */
static void pair_forward(int n, const dp_pair_run *runs, int nruns, const float *w0,
                         const float *w1, float *out, int ldo) {
    for (; n > DP_PAIR_COLS; n -= 64, w0 += 64, w1 = w1 ? w1 + 64 : NULL, out += 64)
        forward_upto96(64, runs, nruns, w0, w1, out, ldo);
    forward_upto96(n, runs, nruns, w0, w1, out, ldo);
}

INLINE void pair_update(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                        float *w0, float *w1) {
    for (; n > DP_PAIR_COLS; n -= 64, D += 64, w0 += 64, w1 = w1 ? w1 + 64 : NULL)
        update_upto96(64, runs, nruns, D, ldd, w0, w1);
    update_upto96(n, runs, nruns, D, ldd, w0, w1);
}

INLINE void quad_entries_k(const int K, const int masked, const int four, __mmask16 tail,
                           const dp_pair_run *runs, int nruns, const __m512 *a, const __m512 *b,
                           const __m512 *c, const __m512 *d, float *out, int ldo) {
    for (int s = 0; s < nruns; s++) {
        const int *row = runs[s].row, count = runs[s].count;
        const float *val = runs[s].val;
        for (int e = 0; e < count; e++) {
            float *o = out + (size_t)row[e] * ldo;
            const float *x = val + (four ? 4 : 2) * e;
            const __m512 x0 = _mm512_set1_ps(x[0]), x1 = _mm512_set1_ps(x[1]);
            const __m512 x2 = four ? _mm512_set1_ps(x[2]) : x0;
            const __m512 x3 = four ? _mm512_set1_ps(x[3]) : x1;
#pragma GCC unroll 4
            for (int k = 0; k < K; k++) {
                __m512 v = _mm512_fmadd_ps(x0, a[k], load(o, k, K, masked, tail));
                v = _mm512_fmadd_ps(x1, b[k], v);
                if (four) {
                    v = _mm512_fmadd_ps(x2, c[k], v);
                    v = _mm512_fmadd_ps(x3, d[k], v);
                }
                store(o, k, K, masked, tail, v);
            }
        }
    }
}

/* The quad's four rows of W in registers (K <= 4 vectors each) for all its
 * entries. */
INLINE void quad_forward_k(const int K, const int masked, __mmask16 tail, const dp_quad_runs *q,
                           const float *w, int ldw, float *out, int ldo) {
    __m512 a[4], b[4], c[4], d[4];
#pragma GCC unroll 4
    for (int k = 0; k < K; k++) {
        a[k] = load(w, k, K, masked, tail);
        b[k] = load(w + ldw, k, K, masked, tail);
        c[k] = load(w + 2 * (size_t)ldw, k, K, masked, tail);
        d[k] = load(w + 3 * (size_t)ldw, k, K, masked, tail);
    }
    quad_entries_k(K, masked, 1, tail, q->both, q->nboth, a, b, c, d, out, ldo);
    quad_entries_k(K, masked, 0, tail, q->first, q->nfirst, a, b, c, d, out, ldo);
    quad_entries_k(K, masked, 0, tail, q->second, q->nsecond, c, d, a, b, out, ldo);
}

#define QUAD_CASE(K, masked)                                                                       \
    case K * 2 + masked:                                                                           \
        quad_forward_k(K, masked, tail, q, w, ldw, out, ldo);                                      \
        break

INLINE void quad_forward(int n, const dp_quad_runs *q, const float *w, int ldw, float *out,
                         int ldo) {
    for (; n > 64; n -= 64, w += 64, out += 64) quad_forward_k(4, 0, 0xffff, q, w, ldw, out, ldo);
    if (n <= 0) return;
    __mmask16 tail = (__mmask16)((1u << (((n - 1) & 15) + 1)) - 1);
    switch ((n + 15) / 16 * 2 + (n % 16 != 0)) {
        QUAD_CASE(1, 0);
        QUAD_CASE(2, 0);
        QUAD_CASE(3, 0);
        QUAD_CASE(4, 0);
        QUAD_CASE(1, 1);
        QUAD_CASE(2, 1);
        QUAD_CASE(3, 1);
        QUAD_CASE(4, 1);
    }
}

INLINE void momentum_k(const int K, const int masked, const int two, __mmask16 tail,
                       const dp_pair_run *runs, int nruns, const float *D, int ldd,
                       const dp_hyper *hp, const dp_pair_rows *pr) {
    __m512 a[6], b[6];
#pragma GCC unroll 6
    for (int k = 0; k < K; k++) a[k] = b[k] = _mm512_setzero_ps();
    for (int s = 0; s < nruns; s++) {
        const int *row = runs[s].row, count = runs[s].count;
        const float *val = runs[s].val;
        for (int e = 0; e < count; e++) {
            const float *d = D + (size_t)row[e] * ldd;
            const __m512 x0 = _mm512_set1_ps(val[2 * e]), x1 = _mm512_set1_ps(val[2 * e + 1]);
#pragma GCC unroll 6
            for (int k = 0; k < K; k++) {
                __m512 dv = load(d, k, K, masked, tail);
                __asm__("" : "+v"(dv)); /* one load for both rows, not one each */
                a[k] = _mm512_fmadd_ps(x0, dv, a[k]);
                if (two) b[k] = _mm512_fmadd_ps(x1, dv, b[k]);
            }
        }
    }
    const __m512 lr = _mm512_set1_ps(hp->lr), mu = _mm512_set1_ps(hp->momentum);
    const __m512 wd = _mm512_set1_ps(hp->weight_decay);
    const __m512 keep = _mm512_set1_ps(1.0f - hp->lr * hp->weight_decay);
    for (int t = 0; t < 1 + two; t++) {
        float *w = t ? pr->w1 : pr->w0, *v = t ? pr->v1 : pr->v0;
        const __m512 *g = t ? b : a;
#pragma GCC unroll 6
        for (int k = 0; k < K; k++) {
            __m512 wv = load(w, k, K, masked, tail);
            if (v) { /* v = mu v - lr (g + wd w); w += v */
                __m512 vv = load(v, k, K, masked, tail);
                vv = _mm512_sub_ps(_mm512_mul_ps(mu, vv),
                                   _mm512_mul_ps(lr, _mm512_add_ps(g[k], _mm512_mul_ps(wd, wv))));
                store(v, k, K, masked, tail, vv);
                wv = _mm512_add_ps(wv, vv);
            } else { /* w = (1 - lr wd) w - lr g */
                wv = _mm512_sub_ps(_mm512_mul_ps(keep, wv), _mm512_mul_ps(lr, g[k]));
            }
            store(w, k, K, masked, tail, wv);
        }
    }
}

static void pair_momentum(int n, const dp_pair_run *runs, int nruns, const float *D, int ldd,
                          const dp_hyper *hp, const dp_pair_rows *rows) {
    if (n <= 0) return;
    const float *w1 = rows->w1; /* DISPATCH picks the one-row kernel without it */
    DISPATCH(momentum_k, runs, nruns, D, ldd, hp, rows);
}

INLINE void row_k(const int K, const int masked, __mmask16 tail, const float *h0, const int *idx,
                  const float *v, int nnz, const float *W, int ldw, float *h) {
    __m512 acc[25];
#pragma GCC unroll 25
    for (int k = 0; k < K; k++) acc[k] = h0 ? load(h0, k, K, masked, tail) : _mm512_setzero_ps();
    for (int e = 0; e < nnz; e++) {
        const float *w = W + (size_t)idx[e] * ldw;
        if (e + 6 < nnz) /* the row six inputs on, so it arrives from L2/L3 in time */
            for (int k = 0; k < K; k++) __builtin_prefetch(W + (size_t)idx[e + 6] * ldw + 16 * k);
        const __m512 x = _mm512_set1_ps(v[e]);
#pragma GCC unroll 25
        for (int k = 0; k < K; k++)
            acc[k] = _mm512_add_ps(acc[k], _mm512_mul_ps(x, load(w, k, K, masked, tail)));
    }
#pragma GCC unroll 25
    for (int k = 0; k < K; k++) store(h, k, K, masked, tail, acc[k]);
}

#define ROW_CASE(K, masked)                                                                        \
    case K:                                                                                        \
        row_k(K, masked, tail, h0, idx, v, nnz, W, ldw, h);                                        \
        break

static void row_forward(int H, const float *h0, const int *idx, const float *v, int nnz,
                        const float *W, int ldw, float *h) {
    for (; H >= 400; H -= 400, h0 = h0 ? h0 + 400 : NULL, W += 400, h += 400)
        row_k(25, 0, 0xffff, h0, idx, v, nnz, W, ldw, h);
    for (; H >= 128; H -= 128, h0 = h0 ? h0 + 128 : NULL, W += 128, h += 128)
        row_k(8, 0, 0xffff, h0, idx, v, nnz, W, ldw, h);
    if (H == 0) return;
    __mmask16 tail = (__mmask16)((1u << (((H - 1) & 15) + 1)) - 1);
    if (H % 16 == 0) {
        switch (H / 16) {
            ROW_CASE(1, 0);
            ROW_CASE(2, 0);
            ROW_CASE(3, 0);
            ROW_CASE(4, 0);
            ROW_CASE(5, 0);
            ROW_CASE(6, 0);
            ROW_CASE(7, 0);
        }
        return;
    }
    switch ((H + 15) / 16) {
        ROW_CASE(1, 1);
        ROW_CASE(2, 1);
        ROW_CASE(3, 1);
        ROW_CASE(4, 1);
        ROW_CASE(5, 1);
        ROW_CASE(6, 1);
        ROW_CASE(7, 1);
        ROW_CASE(8, 1);
    }
}

INLINE void rows_k(const int K, const int masked, __mmask16 tail, const int *idx, const float *v,
                   float alpha, int nnz, const float *d, float *W, int ldw) {
    __m512 dv[8];
#pragma GCC unroll 8
    for (int k = 0; k < K; k++) dv[k] = load(d, k, K, masked, tail);
    for (int e = 0; e < nnz; e++) {
        float *w = W + (size_t)idx[e] * ldw;
        if (e + 6 < nnz)
            for (int k = 0; k < K; k += 4)
                __builtin_prefetch(W + (size_t)idx[e + 6] * ldw + 16 * k);
        const __m512 c = _mm512_set1_ps(alpha * v[e]);
#pragma GCC unroll 8
        for (int k = 0; k < K; k++)
            store(w, k, K, masked, tail,
                  _mm512_add_ps(load(w, k, K, masked, tail), _mm512_mul_ps(c, dv[k])));
    }
}

#define ROWS_CASE(K, masked)                                                                       \
    case K * 2 + masked:                                                                           \
        rows_k(K, masked, tail, idx, v, alpha, nnz, d, W, ldw);                                    \
        break

static void rows_update(int H, const int *idx, const float *v, float alpha, int nnz, const float *d,
                        float *W, int ldw) {
    for (; H >= 128; H -= 128, d += 128, W += 128)
        rows_k(8, 0, 0xffff, idx, v, alpha, nnz, d, W, ldw);
    if (H == 0) return;
    __mmask16 tail = (__mmask16)((1u << (((H - 1) & 15) + 1)) - 1);
    const int masked = H % 16 != 0;
    switch ((H + 15) / 16 * 2 + masked) {
        ROWS_CASE(1, 0);
        ROWS_CASE(2, 0);
        ROWS_CASE(3, 0);
        ROWS_CASE(4, 0);
        ROWS_CASE(5, 0);
        ROWS_CASE(6, 0);
        ROWS_CASE(7, 0);
        ROWS_CASE(1, 1);
        ROWS_CASE(2, 1);
        ROWS_CASE(3, 1);
        ROWS_CASE(4, 1);
        ROWS_CASE(5, 1);
        ROWS_CASE(6, 1);
        ROWS_CASE(7, 1);
        ROWS_CASE(8, 1);
    }
}

/* The positions (plus first) of the x[0..n) that are non-zero (fired = 0)
 * or > 0 (fired = 1), in order, into idx, and their values into v (if not
 * NULL); both need room for n + 16. Returns how many. */
INLINE int select_inputs(const float *x, int n, int first, const int fired, int *idx, float *v) {
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    int count = 0;
    for (int i = 0; i < n; i += 16) {
        const __mmask16 in = (__mmask16)(n - i >= 16 ? 0xffff : (1u << (n - i)) - 1);
        const __m512 xv = _mm512_maskz_loadu_ps(in, x + i), zero = _mm512_setzero_ps();
        const __mmask16 keep = fired ? _mm512_mask_cmp_ps_mask(in, xv, zero, _CMP_GT_OQ)
                                     : _mm512_mask_cmp_ps_mask(in, xv, zero, _CMP_NEQ_UQ);
        const __m512i at = _mm512_add_epi32(lane, _mm512_set1_epi32(first + i));
        /* compress in registers, then plain stores: Zen 4 takes ~100 cycles
         * for a compress straight to memory */
        _mm512_storeu_si512(idx + count, _mm512_maskz_compress_epi32(keep, at));
        if (v) _mm512_storeu_ps(v + count, _mm512_maskz_compress_ps(keep, xv));
        count += __builtin_popcount(keep);
    }
    return count;
}

static int nonzeros(const float *x, int n, int first, int *idx, float *v) {
    return select_inputs(x, n, first, 0, idx, v);
}

/* The units j of h[0..n) with h[j] > 0, as first + j, in order, into act
 * (room for n + 16); returns how many. */
static int list_fired(const float *h, int n, int first, int *act) {
    return select_inputs(h, n, first, 1, act, NULL);
}

/* Units are listed this many at a time (a branch per unit would be
 * mispredicted for about half of them). */
enum { FIRED_BLOCK = 256 };

static void row_logits(int H, int O, const float *h, const float *W, const float *b, float *z) {
    if (O > 16) {
        row_logits_plain(H, O, h, W, b, z);
        return;
    }
    int act[FIRED_BLOCK + 16];
    const __mmask16 m = (__mmask16)((1u << O) - 1);
    __m512 acc = b ? _mm512_maskz_loadu_ps(m, b) : _mm512_setzero_ps();
    for (int j0 = 0; j0 < H; j0 += FIRED_BLOCK) {
        const int n = list_fired(h + j0, H - j0 < FIRED_BLOCK ? H - j0 : FIRED_BLOCK, j0, act);
        for (int k = 0; k < n; k++) {
            const int j = act[k];
            acc = _mm512_add_ps(acc, _mm512_mul_ps(_mm512_set1_ps(h[j]),
                                                   _mm512_maskz_loadu_ps(m, W + (size_t)j * O)));
        }
    }
    _mm512_mask_storeu_ps(z, m, acc);
}

static void row_output_backward(int n, int O, const float *h, const float *d2, float alpha,
                                float *W, float *d1) {
    if (O > 16) {
        row_output_backward_plain(n, O, h, d2, alpha, W, d1);
        return;
    }
    int act[FIRED_BLOCK + 16];
    const __mmask16 m = (__mmask16)((1u << O) - 1);
    const __m512 dv = _mm512_maskz_loadu_ps(m, d2);
    for (int j = 0; j < n; j++) d1[j] = 0.0f;
    for (int j0 = 0; j0 < n; j0 += FIRED_BLOCK) {
        const int nf = list_fired(h + j0, n - j0 < FIRED_BLOCK ? n - j0 : FIRED_BLOCK, j0, act);
        for (int k = 0; k < nf; k++) {
            const int j = act[k];
            float *w = W + (size_t)j * O, p[16];
            const __m512 wv = _mm512_maskz_loadu_ps(m, w);
            _mm512_storeu_ps(p, _mm512_mul_ps(wv, dv));
            float s = 0.0f; /* in order, as the plain loop */
            for (int o = 0; o < O; o++) s += p[o];
            d1[j] = s;
            _mm512_mask_storeu_ps(
                w, m, _mm512_add_ps(wv, _mm512_mul_ps(_mm512_set1_ps(alpha * h[j]), dv)));
        }
    }
}

static void hidden_delta(int B, int n, int O, const float *d2, const float *W2, const float *h,
                         int ld, float *d1) {
    if (O > 16) {
        hidden_delta_plain(B, n, O, d2, W2, h, ld, d1);
        return;
    }
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i at = _mm512_mullo_epi32(lane, _mm512_set1_epi32(O)); /* row l at l * O */
    for (int j = 0; j < n; j += 16) {
        const __mmask16 in = (__mmask16)(n - j >= 16 ? 0xffff : (1u << (n - j)) - 1);
        /* column o of W2 for these 16 units: wt[o][l] = W2[j + l, o] */
        __m512 wt[16];
        for (int o = 0; o < O; o++)
            wt[o] =
                _mm512_mask_i32gather_ps(_mm512_setzero_ps(), in, at, W2 + (size_t)j * O + o, 4);
        for (int r = 0; r < B; r++) {
            const float *dr = d2 + (size_t)r * O;
            __m512 acc = _mm512_setzero_ps();
            for (int o = 0; o < O; o++) acc = _mm512_fmadd_ps(_mm512_set1_ps(dr[o]), wt[o], acc);
            const __m512 hv = _mm512_maskz_loadu_ps(in, h + (size_t)r * ld + j);
            const __mmask16 fired =
                _mm512_mask_cmp_ps_mask(in, hv, _mm512_setzero_ps(), _CMP_GT_OQ);
            _mm512_mask_storeu_ps(d1 + (size_t)r * ld + j, in, _mm512_maskz_mov_ps(fired, acc));
        }
    }
}

static void chunk_logits(int B, int n, int O, const float *h, int ld, const float *W2, float *z) {
    if (O > 16 || n > 16) {
        chunk_logits_plain(B, n, O, h, ld, W2, z);
        return;
    }
    const __mmask16 m = (__mmask16)((1u << O) - 1);
    __m512 w[16];
    for (int l = 0; l < n; l++) w[l] = _mm512_maskz_loadu_ps(m, W2 + (size_t)l * O);
    int r = 0;
    for (; r + 4 <= B; r += 4) { /* four rows at a time: four chains of multiply-adds */
        const float *h0 = h + (size_t)r * ld, *h1 = h0 + ld, *h2 = h1 + ld, *h3 = h2 + ld;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int l = 0; l < n; l++) {
            a0 = _mm512_fmadd_ps(_mm512_set1_ps(h0[l]), w[l], a0);
            a1 = _mm512_fmadd_ps(_mm512_set1_ps(h1[l]), w[l], a1);
            a2 = _mm512_fmadd_ps(_mm512_set1_ps(h2[l]), w[l], a2);
            a3 = _mm512_fmadd_ps(_mm512_set1_ps(h3[l]), w[l], a3);
        }
        _mm512_mask_storeu_ps(z + (size_t)r * O, m, a0);
        _mm512_mask_storeu_ps(z + (size_t)(r + 1) * O, m, a1);
        _mm512_mask_storeu_ps(z + (size_t)(r + 2) * O, m, a2);
        _mm512_mask_storeu_ps(z + (size_t)(r + 3) * O, m, a3);
    }
    for (; r < B; r++) {
        const float *hr = h + (size_t)r * ld;
        __m512 acc = _mm512_setzero_ps();
        for (int l = 0; l < n; l++) acc = _mm512_fmadd_ps(_mm512_set1_ps(hr[l]), w[l], acc);
        _mm512_mask_storeu_ps(z + (size_t)r * O, m, acc);
    }
}

static void chunk_w2_update(int B, int n, int O, const float *h, int ld, const float *d2,
                            float alpha, float *W2) {
    if (O > 16 || n > 16) {
        chunk_w2_update_plain(B, n, O, h, ld, d2, alpha, W2);
        return;
    }
    /* acc[o] holds unit l's sum in lane l: one load of the row's 16 units,
     * then a multiply-add with each of its O deltas */
    const __mmask16 m = (__mmask16)(n == 16 ? 0xffff : (1u << n) - 1);
    __m512 acc[16];
#pragma GCC unroll 16
    for (int o = 0; o < 16; o++) acc[o] = _mm512_setzero_ps();
    for (int r = 0; r < B; r++) {
        const __m512 hv = _mm512_maskz_loadu_ps(m, h + (size_t)r * ld);
        const float *d = d2 + (size_t)r * O;
#pragma GCC unroll 16
        for (int o = 0; o < 16; o++)
            if (o < O) acc[o] = _mm512_fmadd_ps(hv, _mm512_set1_ps(d[o]), acc[o]);
    }
    float t[16][16];
    const __m512 a = _mm512_set1_ps(alpha);
#pragma GCC unroll 16
    for (int o = 0; o < 16; o++)
        if (o < O) _mm512_storeu_ps(t[o], _mm512_mul_ps(a, acc[o]));
    for (int l = 0; l < n; l++)
        for (int o = 0; o < O; o++) W2[(size_t)l * O + o] += t[o][l];
}

static void sum_shares(int O, const float *first, const float *shares, size_t stride, int n,
                       float *z) {
    if (O > 16) {
        sum_shares_plain(O, first, shares, stride, n, z);
        return;
    }
    const __mmask16 m = (__mmask16)((1u << O) - 1);
    __m512 acc = _mm512_maskz_loadu_ps(m, first);
    for (int c = 0; c < n; c++)
        acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(m, shares + c * stride));
    _mm512_mask_storeu_ps(z, m, acc);
}

static void lit_pairs(const float *x, int cols, uint64_t *lit, int *nnz) {
    int i = 0;
    for (; i + 16 <= cols; i += 16) { /* 8 pairs at a time */
        unsigned m = _mm512_cmp_ps_mask(_mm512_loadu_ps(x + i), _mm512_setzero_ps(), _CMP_NEQ_UQ);
        if (!m) continue;
        *nnz += __builtin_popcount(m);
        lit[i / 128] |= (uint64_t)_pext_u32(m | m >> 1, 0x5555) << (i / 2 % 64);
    }
    lit_pairs_plain(x, i, cols, lit, nnz);
}

#include "sparse_kernels_blocks.h"

const dp_kernel_set dp__kernels_avx512 = DP_KERNEL_SET("avx512", 1);

#endif
