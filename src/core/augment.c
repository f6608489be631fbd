/* Affine + elastic augmentation of 28x28 digits.
 *
 * Every output pixel p (centre at (x+0.5, y+0.5)) samples the source at
 *   src = c + Minv (p - c - t) + alpha * D(p),    c = (14,14)
 * bilinearly (outside = 0), where t is the shift, Minv the inverse of
 * M = Rot(theta) * Scale(s) * Shear(k), and D an elastic displacement field.
 *
 * Elastic field (Simard et al. 2003): Gaussian-smoothed uniform noise. Simard
 * puts a uniform(-1,1) value on every pixel; here the noise sits on a
 * lattice of spacing h = max(sigma, 1) pixels (extended by 3 sigma around
 * the image) and each pixel sums the Gaussian-weighted lattice values:
 *   D(p) = sum_j G(p - g_j) U_j,
 * evaluated separably. Because G is smooth on the scale of h, the field has
 * the same covariance as Simard's, a Gaussian of width sigma*sqrt(2), up to
 * a ripple of ~1e-4, at a fraction of the cost (for sigma = 4: 14x14 noise
 * values instead of 28x28, 7 taps instead of 25). The weights are scaled so
 * D has unit variance per axis at every pixel: alpha is then the RMS
 * displacement in pixels. Simard's (alpha_S, sigma) corresponds to
 * alpha = alpha_S / sqrt(12 pi sigma^2), e.g. (34, 4) -> 1.38.
 *
 * The augmenter is read-only after creation (scratch lives on the stack),
 * so threads may share one as long as each uses its own dp_rng. */
#include "digitpad/augment.h"

#include <math.h>
#include <stdlib.h>

#define SIDE 28
#define NPIX (SIDE * SIDE)
#define PAD (SIDE + 2) /* source with a one-pixel zero border */
#define MAX_TAPS 8     /* lattice points within 3 sigma of a pixel */
#define MAX_LATTICE 40 /* lattice points per axis */

struct dp_augmenter {
    dp_augment_config cfg;
    int n;                    /* lattice points per axis (0 = no elastic field) */
    int taps;                 /* lattice points summed per pixel, <= MAX_TAPS */
    int first[SIDE];          /* first lattice point that pixel i sums */
    float wt[SIDE][MAX_TAPS]; /* pixel i <- lattice first[i] + k, unit L2 norm */
    /* The same weights by lattice point, wcol[j][i] (zero for pixels out
     * of reach), so the first pass runs over whole rows and vectorises. */
    float wcol[MAX_LATTICE][SIDE];
};

static const float kSqrt3 = 1.7320508f;

dp_augment_config dp_augment_default(void) {
    dp_augment_config c = {1, 2.0f, 12.0f, 0.12f, 0.15f, 1.2f, 4.0f};
    return c;
}

dp_augment_config dp_augment_none(void) {
    dp_augment_config c = {0, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 4.0f};
    return c;
}

static int in_range(float v, float lo, float hi) {
    return v >= lo && v <= hi;
}

static int config_ok(const dp_augment_config *c) {
    if (!c->enabled) return 1;
    return in_range(c->max_shift, 0, DP_AUGMENT_MAX_SHIFT) &&
           in_range(c->max_rotate, 0, DP_AUGMENT_MAX_ROTATE) &&
           in_range(c->max_scale, 0, DP_AUGMENT_MAX_SCALE) &&
           in_range(c->max_shear, 0, DP_AUGMENT_MAX_SHEAR) &&
           in_range(c->elastic_alpha, 0, DP_AUGMENT_MAX_ALPHA) &&
           (c->elastic_alpha == 0.0f ||
            in_range(c->elastic_sigma, DP_AUGMENT_MIN_SIGMA, DP_AUGMENT_MAX_SIGMA));
}

/* Lattice g_j = g0 + j*h covering [0.5 - 3 sigma, 27.5 + 3 sigma]; per-pixel
 * Gaussian weights over the lattice points within 3 sigma, normalised. */
static void build_lattice(dp_augmenter *a, double sigma) {
    double h = sigma > 1.0 ? sigma : 1.0, reach = 3.0 * sigma;
    int k_out = (int)ceil(reach / h);
    double g0 = 0.5 - k_out * h;
    int n = (int)ceil((SIDE - 1) / h) + 2 * k_out + 1;
    int taps = 2 * k_out + 1;
    a->n = n;
    a->taps = taps;
    for (int i = 0; i < SIDE; i++) {
        double p = i + 0.5;
        int lo = (int)ceil((p - reach - g0) / h - 1e-9);
        if (lo < 0) lo = 0;
        if (lo > n - taps) lo = n - taps;
        a->first[i] = lo;
        double norm2 = 0.0, w[MAX_TAPS];
        for (int k = 0; k < taps; k++) {
            double d = p - (g0 + (lo + k) * h);
            w[k] = fabs(d) <= reach ? exp(-d * d / (2.0 * sigma * sigma)) : 0.0;
            norm2 += w[k] * w[k];
        }
        for (int k = 0; k < taps; k++) a->wt[i][k] = (float)(w[k] / sqrt(norm2));
    }
    for (int i = 0; i < SIDE; i++)
        for (int k = 0; k < taps; k++) a->wcol[a->first[i] + k][i] = a->wt[i][k];
}

dp_status dp_augmenter_create(dp_augmenter **out, const dp_augment_config *cfg) {
    if (!out) return DP_ERR_ARG;
    *out = NULL;
    if (!cfg) return DP_ERR_ARG;
    if (!config_ok(cfg)) return DP_ERR_RANGE;
    dp_augmenter *a = calloc(1, sizeof *a);
    if (!a) return DP_ERR_NOMEM;
    a->cfg = *cfg;
    if (cfg->enabled && cfg->elastic_alpha > 0.0f) build_lattice(a, cfg->elastic_sigma);
    *out = a;
    return DP_OK;
}

void dp_augmenter_destroy(dp_augmenter *a) {
    free(a);
}

/* One unit-variance elastic field component, f[NPIX]:
 *   t[j][x] = sum_g wcol[g][x] U[j][g]             (rows of the lattice)
 *   f[y][x] = sum_k wt[y][k] t[first[y]+k][x]. */
static void elastic_component(const dp_augmenter *a, dp_rng *rng, float *f) {
    int n = a->n, taps = a->taps;
    float u[MAX_LATTICE * MAX_LATTICE];
    for (int i = 0; i < n * n; i += 2) {
        uint64_t r = dp_rng_next(rng); /* two 24-bit uniforms in [-sqrt3, sqrt3) */
        u[i] = ((float)(r >> 40) * (2.0f / 16777216.0f) - 1.0f) * kSqrt3;
        if (i + 1 < n * n)
            u[i + 1] = ((float)((r >> 8) & 0xffffff) * (2.0f / 16777216.0f) - 1.0f) * kSqrt3;
    }
    float t[MAX_LATTICE][SIDE];
    for (int j = 0; j < n; j++) {
        float *tj = t[j];
        for (int x = 0; x < SIDE; x++) tj[x] = 0.0f;
        for (int g = 0; g < n; g++) {
            float ug = u[j * n + g];
            const float *w = a->wcol[g];
            for (int x = 0; x < SIDE; x++) tj[x] += ug * w[x];
        }
    }
    for (int y = 0; y < SIDE; y++) {
        float *row = f + y * SIDE;
        for (int x = 0; x < SIDE; x++) row[x] = 0.0f;
        for (int k = 0; k < taps; k++) {
            float w = a->wt[y][k];
            const float *tj = t[a->first[y] + k];
            for (int x = 0; x < SIDE; x++) row[x] += w * tj[x];
        }
    }
}

static void to_float(const uint8_t *in, float *out) {
    for (int i = 0; i < NPIX; i++) out[i] = (float)in[i] / 255.0f;
}

/* The source as floats with a one-pixel zero border, so bilinear sampling
 * at u in [-1, 28) needs no per-tap bounds checks; box = the index range of
 * the source's nonzero pixels {x0, x1, y0, y1} (x1 < x0 if all zero). */
typedef struct source {
    float pad[PAD * PAD];
    int x0, x1, y0, y1;
} source;

static void load_source(const uint8_t *in, source *s) {
    uint8_t col_any[SIDE] = {0}, row_any[SIDE];
    for (int i = 0; i < PAD; i++) s->pad[i] = s->pad[(PAD - 1) * PAD + i] = 0.0f;
    for (int y = 0; y < SIDE; y++) {
        const uint8_t *row = in + y * SIDE;
        float *dst = s->pad + (y + 1) * PAD;
        uint8_t any = 0;
        dst[0] = dst[PAD - 1] = 0.0f;
        for (int x = 0; x < SIDE; x++) {
            dst[x + 1] = (float)row[x] / 255.0f;
            col_any[x] |= row[x];
            any |= row[x];
        }
        row_any[y] = any;
    }
    s->x0 = s->y0 = SIDE;
    s->x1 = s->y1 = -1;
    for (int i = 0; i < SIDE; i++) {
        if (col_any[i]) s->x0 = s->x0 < i ? s->x0 : i, s->x1 = i;
        if (row_any[i]) s->y0 = s->y0 < i ? s->y0 : i, s->y1 = i;
    }
}

/* out[p] = source at (u, v) = o + m (p - c) + alpha * (fx, fy)[p], in pixel
 * index coordinates (pixel i's centre at u = i). fx/fy may be NULL. */
static void warp(const source *src, const float m[4], float ou, float ov, const float *fx,
                 const float *fy, float alpha, float *out) {
    /* Taps floor(u), floor(u)+1 reach the nonzero box iff u in (x0-1, x1+1). */
    float ulo = (float)src->x0 - 1.0f, uhi = (float)src->x1 + 1.0f;
    float vlo = (float)src->y0 - 1.0f, vhi = (float)src->y1 + 1.0f;
    for (int y = 0; y < SIDE; y++) {
        float qy = (float)y + 0.5f - SIDE / 2;
        for (int x = 0; x < SIDE; x++) {
            float qx = (float)x + 0.5f - SIDE / 2;
            int i = y * SIDE + x;
            float u = ou + m[0] * qx + m[1] * qy, v = ov + m[2] * qx + m[3] * qy;
            if (fx) u += alpha * fx[i], v += alpha * fy[i];
            if (!(u > ulo && u < uhi && v > vlo && v < vhi)) {
                out[i] = 0.0f; /* only zero taps (also catches NaN) */
                continue;
            }
            int iu = (int)(u + 1.0f) - 1, iv = (int)(v + 1.0f) - 1; /* floor, as u, v > -1 */
            float au = u - (float)iu, av = v - (float)iv;
            const float *s = src->pad + (iv + 1) * PAD + (iu + 1);
            float top = s[0] * (1.0f - au) + s[1] * au;
            float bot = s[PAD] * (1.0f - au) + s[PAD + 1] * au;
            float val = top * (1.0f - av) + bot * av;
            out[i] = val < 1.0f ? val : 1.0f;
        }
    }
}

/* Inverse of Rot(theta) * Scale(s) * Shear(k) as m[4] (row-major), plus
 * the source position (ou, ov) of the image centre after the shift. */
static void inverse_affine(const dp_affine_params *p, float m[4], float *ou, float *ov) {
    double th = p->rotate_deg * (3.14159265358979323846 / 180.0);
    double c = cos(th), s = sin(th), k = p->shear, inv = 1.0 / p->scale;
    m[0] = (float)((c + k * s) * inv);
    m[1] = (float)((s - k * c) * inv);
    m[2] = (float)(-s * inv);
    m[3] = (float)(c * inv);
    /* src = c + Minv (q - t): the centre's index coordinate is 13.5. */
    *ou = (float)(SIDE / 2 - 0.5 - (m[0] * p->shift_x + m[1] * p->shift_y));
    *ov = (float)(SIDE / 2 - 0.5 - (m[2] * p->shift_x + m[3] * p->shift_y));
}

void dp_augment_affine(const dp_affine_params *p, const uint8_t *in, float *out) {
    if (!in || !out) return;
    if (!p || !(p->scale > 0.0f)) {
        to_float(in, out);
        return;
    }
    source src;
    float m[4], ou, ov;
    load_source(in, &src);
    inverse_affine(p, m, &ou, &ov);
    warp(&src, m, ou, ov, NULL, NULL, 0.0f, out);
}

static float symmetric(dp_rng *rng, float range) {
    return range * (2.0f * dp_rng_uniform(rng) - 1.0f);
}

void dp_augment_image(dp_augmenter *a, dp_rng *rng, const uint8_t *in, float *out) {
    if (!in || !out) return;
    if (!a || !a->cfg.enabled || !rng) {
        to_float(in, out);
        return;
    }
    const dp_augment_config *c = &a->cfg;
    dp_affine_params p;
    p.shift_x = symmetric(rng, c->max_shift);
    p.shift_y = symmetric(rng, c->max_shift);
    p.rotate_deg = symmetric(rng, c->max_rotate);
    p.scale = 1.0f + symmetric(rng, c->max_scale);
    p.shear = symmetric(rng, c->max_shear);

    source src;
    float m[4], ou, ov;
    load_source(in, &src);
    inverse_affine(&p, m, &ou, &ov);
    if (a->n > 0) {
        float fx[NPIX], fy[NPIX];
        elastic_component(a, rng, fx);
        elastic_component(a, rng, fy);
        warp(&src, m, ou, ov, fx, fy, c->elastic_alpha, out);
    } else {
        warp(&src, m, ou, ov, NULL, NULL, 0.0f, out);
    }
}
