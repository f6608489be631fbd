/* The plain loops of layer 2 (sparse_kernels.h), for the plain C set and
 * for outputs that do not fit the vector kernels' registers (O > 16), the
 * branch-free list of selected inputs that the plain C and AVX2 sets share,
 * and the plain loop of dp__lit_pairs. Internal to the core. */
#ifndef DIGITPAD_SPARSE_KERNELS_PLAIN_H
#define DIGITPAD_SPARSE_KERNELS_PLAIN_H

#include <stddef.h>
#include <stdint.h>

static inline void row_logits_plain(int H, int O, const float *h, const float *W, const float *b,
                                    float *z) {
    for (int o = 0; o < O; o++) z[o] = b ? b[o] : 0.0f;
    for (int j = 0; j < H; j++)
        if (h[j] > 0.0f)
            for (int o = 0; o < O; o++) z[o] += h[j] * W[(size_t)j * O + o];
}

static inline void row_output_backward_plain(int n, int O, const float *h, const float *d2,
                                             float alpha, float *W, float *d1) {
    for (int j = 0; j < n; j++) {
        float *w = W + (size_t)j * O, s = 0.0f;
        if (h[j] > 0.0f) {
            for (int o = 0; o < O; o++) s += w[o] * d2[o];
            const float a = alpha * h[j];
            for (int o = 0; o < O; o++) w[o] += a * d2[o];
        }
        d1[j] = s;
    }
}

static inline void hidden_delta_plain(int B, int n, int O, const float *d2, const float *W2,
                                      const float *h, int ld, float *d1) {
    for (int r = 0; r < B; r++)
        for (int j = 0; j < n; j++) {
            float s = 0.0f;
            for (int o = 0; o < O; o++) s += d2[(size_t)r * O + o] * W2[(size_t)j * O + o];
            d1[(size_t)r * ld + j] = h[(size_t)r * ld + j] > 0.0f ? s : 0.0f;
        }
}

static inline void chunk_logits_plain(int B, int n, int O, const float *h, int ld, const float *W2,
                                      float *z) {
    for (int r = 0; r < B; r++)
        for (int o = 0; o < O; o++) {
            float s = 0.0f;
            for (int l = 0; l < n; l++) s += h[(size_t)r * ld + l] * W2[(size_t)l * O + o];
            z[(size_t)r * O + o] = s;
        }
}

static inline void chunk_w2_update_plain(int B, int n, int O, const float *h, int ld,
                                         const float *d2, float alpha, float *W2) {
    for (int l = 0; l < n; l++)
        for (int o = 0; o < O; o++) {
            float s = 0.0f;
            for (int r = 0; r < B; r++) s += h[(size_t)r * ld + l] * d2[(size_t)r * O + o];
            const float t = alpha * s;
            W2[(size_t)l * O + o] += t;
        }
}

static inline void sum_shares_plain(int O, const float *first, const float *shares, size_t stride,
                                    int n, float *z) {
    for (int o = 0; o < O; o++) z[o] = first[o];
    for (int c = 0; c < n; c++)
        for (int o = 0; o < O; o++) z[o] += shares[c * stride + (size_t)o];
}

/* The positions (plus first) of the x[0..n) that are non-zero (fired = 0)
 * or > 0 (fired = 1), in order, into idx, and their values into v (if not
 * NULL); returns how many. Without a branch: every position is stored, and
 * the count moves on only past the ones kept (a branch per input was
 * mispredicted about half the time). */
static inline int select_inputs_plain(const float *x, int n, int first, int fired, int *idx,
                                      float *v) {
    int count = 0;
    for (int i = 0; i < n; i++) {
        idx[count] = first + i;
        if (v) v[count] = x[i];
        count += fired ? x[i] > 0.0f : x[i] != 0.0f;
    }
    return count;
}

/* lit_pairs (dp__lit_pairs) for the inputs from i (even) on. */
static inline void lit_pairs_plain(const float *x, int i, int cols, uint64_t *lit, int *nnz) {
    for (; i < cols; i += 2) {
        const int a = x[i] != 0.0f, b = i + 1 < cols && x[i + 1] != 0.0f;
        *nnz += a + b;
        if (a || b) lit[i / 128] |= 1ull << (i / 2 % 64);
    }
}

#endif
