/* Augmentation: reproducibility, exact affine cases, the statistics of
 * the elastic field, and ink conservation on real digits. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "digitpad/augment.h"
#include "digitpad/dataset.h"
#include "testutil.h"

static double ink(const float *v) {
    double s = 0.0;
    for (int i = 0; i < 784; i++) s += v[i];
    return s;
}

static void centre_of_mass(const float *v, double *cx, double *cy) {
    double m = 0.0, mx = 0.0, my = 0.0;
    for (int i = 0; i < 784; i++) m += v[i], mx += v[i] * (i % 28), my += v[i] * (i / 28);
    *cx = mx / m;
    *cy = my / m;
}

static int all_in_unit_range(const float *v) {
    for (int i = 0; i < 784; i++)
        if (!(v[i] >= 0.0f && v[i] <= 1.0f)) return 0;
    return 1;
}

/* A synthetic digit well inside the frame (a ring plus a bar). */
static void make_digit(uint8_t *img) {
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++) {
            double r = hypot(x - 13.2, (y - 12.7) * 0.8);
            double v = 255.0 * fmax(0.0, 1.0 - fabs(r - 6.0) / 1.8);
            if (x >= 17 && x <= 19 && y >= 10 && y <= 23) v = 255.0;
            img[y * 28 + x] = (uint8_t)lround(v);
        }
}

static dp_augment_config only(float shift, float rot, float scale, float shear, float alpha,
                              float sigma) {
    dp_augment_config c = {1, shift, rot, scale, shear, alpha, sigma};
    return c;
}

static void test_create_checks(void) {
    dp_augmenter *a = (dp_augmenter *)1;
    dp_augment_config d = dp_augment_default();
    CHECK(dp_augmenter_create(&a, NULL) == DP_ERR_ARG && a == NULL);
    CHECK(dp_augmenter_create(NULL, &d) == DP_ERR_ARG);
    dp_augment_config bad[] = {only(-1, 0, 0, 0, 0, 4),  only(0, 0, 1.5f, 0, 0, 4),
                               only(0, NAN, 0, 0, 0, 4), only(0, 0, 0, 0, 1, 0),
                               only(0, 0, 0, 0, 1, NAN), only(0, 0, 0, 0, INFINITY, 4),
                               only(0, 0, 0, 3, 0, 4),   only(20, 0, 0, 0, 0, 4)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECKF(dp_augmenter_create(&a, &bad[i]) == DP_ERR_RANGE, "bad config %zu accepted", i);
    CHECK(dp_augmenter_create(&a, &d) == DP_OK && a);
    dp_augmenter_destroy(a);
    dp_augmenter_destroy(NULL);
}

static void test_disabled_is_plain_conversion(void) {
    uint8_t img[784];
    for (int i = 0; i < 784; i++) img[i] = (uint8_t)(i * 7 % 256);
    dp_augment_config none = dp_augment_none();
    dp_augmenter *a;
    CHECK(dp_augmenter_create(&a, &none) == DP_OK);
    dp_rng rng;
    dp_rng_seed(&rng, 3);
    float out[784];
    dp_augment_image(a, &rng, img, out);
    int exact = 1;
    for (int i = 0; i < 784; i++) exact &= out[i] == (float)img[i] / 255.0f;
    CHECK(exact);
    dp_augmenter_destroy(a);
    memset(out, 0, sizeof out);
    dp_augment_image(NULL, &rng, img, out); /* no augmenter: the same */
    CHECK(out[100] == (float)img[100] / 255.0f);
}

static void test_seeds(void) {
    uint8_t img[784];
    make_digit(img);
    dp_augment_config d = dp_augment_default();
    dp_augmenter *a;
    dp_augmenter_create(&a, &d);
    dp_rng r1, r2, r3;
    dp_rng_seed(&r1, 42);
    dp_rng_seed(&r2, 42);
    dp_rng_seed(&r3, 43);
    float o1[784], o2[784], o3[784];
    for (int k = 0; k < 5; k++) {
        dp_augment_image(a, &r1, img, o1);
        dp_augment_image(a, &r2, img, o2);
        dp_augment_image(a, &r3, img, o3);
        CHECK(memcmp(o1, o2, sizeof o1) == 0);
        CHECK(memcmp(o1, o3, sizeof o1) != 0);
        CHECK(all_in_unit_range(o1));
    }
    dp_augmenter_destroy(a);
}

static void test_affine_exact_cases(void) {
    uint8_t img[784];
    make_digit(img);
    float out[784];
    dp_affine_params id = {0, 0, 0, 1, 0};
    dp_augment_affine(&id, img, out);
    int same = 1;
    for (int i = 0; i < 784; i++) same &= out[i] == (float)img[i] / 255.0f;
    CHECK(same);

    /* Shift by whole pixels moves the image exactly. */
    dp_affine_params sh = {2, -3, 0, 1, 0};
    dp_augment_affine(&sh, img, out);
    int moved = 1;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++) {
            int sx = x - 2, sy = y + 3;
            float want = (sx >= 0 && sy < 28) ? (float)img[sy * 28 + sx] / 255.0f : 0.0f;
            moved &= out[y * 28 + x] == want;
        }
    CHECK(moved);

    /* 90 degrees from +x towards +y about (14,14): source (x, y) lands on
     * (27 - y, x). */
    dp_affine_params rot = {0, 0, 90, 1, 0};
    dp_augment_affine(&rot, img, out);
    double err = 0.0;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++)
            err = fmax(err, fabs(out[x * 28 + (27 - y)] - img[y * 28 + x] / 255.0));
    CHECKF(err < 1e-5, "rotation by 90: max error %g", err);

    /* Scaling by 0.5 quarters the ink; shear keeps it (det = 1). */
    double before = ink(out); /* rotation keeps the ink too */
    dp_affine_params half = {0, 0, 0, 0.5f, 0}, shear = {0, 0, 0, 1, 0.3f};
    dp_augment_affine(&half, img, out);
    CHECKF(fabs(ink(out) / before - 0.25) < 0.01, "scale 0.5: ink ratio %g", ink(out) / before);
    dp_augment_affine(&shear, img, out);
    CHECKF(fabs(ink(out) / before - 1.0) < 0.02, "shear: ink ratio %g", ink(out) / before);
    /* Shear moves the top right and the bottom left (x += k * (y - 14)). */
    double cx0, cy0, cx1, cy1;
    float plain[784];
    dp_augment_affine(&id, img, plain);
    centre_of_mass(plain, &cx0, &cy0);
    centre_of_mass(out, &cx1, &cy1);
    CHECK_NEAR(cx1 - cx0, 0.3 * (cy0 - 13.5), 0.05);
}

/* Random shifts only: the image moves rigidly by at most max_shift per
 * axis, both ways, keeping its ink. */
static void test_random_shift(void) {
    uint8_t img[784];
    make_digit(img);
    dp_augment_config c = only(2, 0, 0, 0, 0, 4);
    dp_augmenter *a;
    dp_augmenter_create(&a, &c);
    dp_rng rng;
    dp_rng_seed(&rng, 9);
    float plain[784], out[784];
    dp_affine_params id = {0, 0, 0, 1, 0};
    dp_augment_affine(&id, img, plain);
    double cx0, cy0, lo_x = 9, hi_x = -9, lo_y = 9, hi_y = -9, worst_ink = 0.0;
    centre_of_mass(plain, &cx0, &cy0);
    for (int k = 0; k < 200; k++) {
        dp_augment_image(a, &rng, img, out);
        double cx, cy;
        centre_of_mass(out, &cx, &cy);
        lo_x = fmin(lo_x, cx - cx0), hi_x = fmax(hi_x, cx - cx0);
        lo_y = fmin(lo_y, cy - cy0), hi_y = fmax(hi_y, cy - cy0);
        worst_ink = fmax(worst_ink, fabs(ink(out) / ink(plain) - 1.0));
    }
    CHECKF(lo_x >= -2.01 && hi_x <= 2.01 && lo_y >= -2.01 && hi_y <= 2.01,
           "shifts x [%g, %g] y [%g, %g]", lo_x, hi_x, lo_y, hi_y);
    CHECKF(lo_x < -1.5 && hi_x > 1.5 && lo_y < -1.5 && hi_y > 1.5, "shifts too narrow");
    CHECKF(worst_ink < 0.01, "ink changed by %g", worst_ink);
    dp_augmenter_destroy(a);
}

/* Elastic field statistics, read off a horizontal ramp (value 9x/255 at
 * column x, so bilinear sampling returns the source column): per-axis RMS
 * displacement = alpha, mean 0, correlation exp(-d^2 / (4 sigma^2)) at
 * distance d, as for a Gaussian-smoothed white noise field. */
static void test_elastic_statistics(void) {
    const float alpha = 1.5f, sigmas[2] = {4.0f, 2.0f};
    uint8_t ramp[784];
    for (int i = 0; i < 784; i++) ramp[i] = (uint8_t)(9 * (i % 28));
    for (int s = 0; s < 2; s++) {
        float sigma = sigmas[s];
        dp_augment_config c = only(0, 0, 0, 0, alpha, sigma);
        dp_augmenter *a;
        dp_augmenter_create(&a, &c);
        dp_rng rng;
        dp_rng_seed(&rng, 77);
        double sum = 0, sum2 = 0, n = 0;
        int lags[2] = {(int)sigma, 2 * (int)sigma};
        double prod[2] = {0, 0}, np[2] = {0, 0};
        for (int k = 0; k < 1000; k++) {
            float out[784];
            dp_augment_image(a, &rng, ramp, out);
            for (int y = 4; y < 24; y++)
                for (int x = 6; x < 22; x++) {
                    double d = out[y * 28 + x] * 255.0 / 9.0 - x;
                    sum += d, sum2 += d * d, n++;
                    for (int l = 0; l < 2; l++)
                        if (x + lags[l] < 22) {
                            prod[l] += d * (out[y * 28 + x + lags[l]] * 255.0 / 9.0 - x - lags[l]);
                            np[l]++;
                        }
                }
        }
        double var = sum2 / n, rms = sqrt(var);
        CHECKF(fabs(rms - alpha) < 0.08 * alpha, "sigma %g: RMS displacement %g, want %g", sigma,
               rms, alpha);
        CHECKF(fabs(sum / n) < 0.05, "sigma %g: mean displacement %g", sigma, sum / n);
        for (int l = 0; l < 2; l++) {
            double corr = prod[l] / np[l] / var;
            double want = exp(-lags[l] * lags[l] / (4.0 * sigma * sigma));
            CHECKF(fabs(corr - want) < 0.06, "sigma %g: correlation at %d px %g, want %g", sigma,
                   lags[l], corr, want);
        }
        dp_augmenter_destroy(a);
    }
}

/* Extreme settings still give values in [0,1]. */
static void test_extremes_stay_in_range(void) {
    uint8_t img[784];
    for (int i = 0; i < 784; i++) img[i] = (uint8_t)(i % 3 ? 255 : 0);
    dp_augment_config c = only(DP_AUGMENT_MAX_SHIFT, DP_AUGMENT_MAX_ROTATE, DP_AUGMENT_MAX_SCALE,
                               DP_AUGMENT_MAX_SHEAR, DP_AUGMENT_MAX_ALPHA, DP_AUGMENT_MIN_SIGMA);
    dp_augmenter *a;
    CHECK(dp_augmenter_create(&a, &c) == DP_OK);
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    int ok = 1;
    for (int k = 0; k < 200; k++) {
        float out[784];
        dp_augment_image(a, &rng, img, out);
        ok &= all_in_unit_range(out);
    }
    CHECK(ok);
    dp_augmenter_destroy(a);
    c.elastic_sigma = DP_AUGMENT_MAX_SIGMA;
    CHECK(dp_augmenter_create(&a, &c) == DP_OK);
    float out[784];
    dp_augment_image(a, &rng, img, out);
    CHECK(all_in_unit_range(out));
    dp_augmenter_destroy(a);
}

/* Default augmentation on real digits keeps the ink on average. */
static void test_mnist_ink(void) {
    dp_dataset test;
    dp_error err;
    if (dp_mnist_load(dpt_mnist_dir(), NULL, &test, &err) != DP_OK) {
        CHECKF(0, "MNIST needed in %s (set DIGITPAD_DATA): %s", dpt_mnist_dir(), err.msg);
        return;
    }
    dp_augment_config d = dp_augment_default();
    dp_augmenter *a;
    dp_augmenter_create(&a, &d);
    dp_rng rng;
    dp_rng_seed(&rng, 1);
    double in_sum = 0.0, out_sum = 0.0;
    int n = test.count < 1000 ? (int)test.count : 1000;
    for (int i = 0; i < n; i++) {
        float out[784];
        const uint8_t *img = test.images + (size_t)i * 784;
        dp_augment_image(a, &rng, img, out);
        for (int k = 0; k < 784; k++) in_sum += img[k] / 255.0;
        out_sum += ink(out);
    }
    printf("default augmentation keeps %.3f of the ink on average\n", out_sum / in_sum);
    CHECKF(fabs(out_sum / in_sum - 1.0) < 0.3, "ink ratio %g", out_sum / in_sum);
    dp_augmenter_destroy(a);
    dp_dataset_free(&test);
}

int main(void) {
    test_create_checks();
    test_disabled_is_plain_conversion();
    test_seeds();
    test_affine_exact_cases();
    test_random_shift();
    test_elastic_statistics();
    test_extremes_stay_in_range();
    test_mnist_ink();
    return dpt_finish();
}
