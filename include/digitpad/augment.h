/* On-the-fly data augmentation for 28x28 digits: a random affine map
 * (shift, rotation, scale, shear) combined with an elastic distortion
 * (Simard, Steinkraus & Platt 2003: a random displacement field smoothed by
 * a Gaussian of width sigma and scaled by alpha), applied by bilinear
 * sampling. Seeded through dp_rng, so runs are reproducible. */
#ifndef DIGITPAD_AUGMENT_H
#define DIGITPAD_AUGMENT_H

#include <stdint.h>

#include "digitpad/rng.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_augment_config {
    int enabled;
    float max_shift;     /* pixels, uniform in [-s, s] per axis */
    float max_rotate;    /* degrees, uniform in [-r, r] */
    float max_scale;     /* scale factor uniform in [1-s, 1+s] */
    float max_shear;     /* shear factor uniform in [-s, s] */
    float elastic_alpha; /* displacement scale in pixels (0 = no elastic): the
                            RMS displacement along each axis */
    float elastic_sigma; /* smoothing width in pixels */
} dp_augment_config;

/* Limits checked by dp_augmenter_create (DP_ERR_RANGE outside them). */
#define DP_AUGMENT_MAX_SHIFT 14.0f
#define DP_AUGMENT_MAX_ROTATE 180.0f
#define DP_AUGMENT_MAX_SCALE 0.9f
#define DP_AUGMENT_MAX_SHEAR 2.0f
#define DP_AUGMENT_MAX_ALPHA 14.0f
#define DP_AUGMENT_MIN_SIGMA 0.5f /* when alpha > 0 */
#define DP_AUGMENT_MAX_SIGMA 28.0f

/* Values that help on MNIST without hurting clean accuracy. */
dp_augment_config dp_augment_default(void);
/* Everything off. */
dp_augment_config dp_augment_none(void);

typedef struct dp_augmenter dp_augmenter;

dp_status dp_augmenter_create(dp_augmenter **out, const dp_augment_config *cfg);
void dp_augmenter_destroy(dp_augmenter *a);
/* Distort one 28x28 uint8 image into out (floats in [0,1]). With the
 * augmenter disabled this is a plain conversion. */
void dp_augment_image(dp_augmenter *a, dp_rng *rng, const uint8_t *in, float *out);

/* One explicit affine map about the image centre (14,14): the image is
 * sheared (x += shear * y), scaled, rotated by rotate_deg from +x towards +y
 * (clockwise on screen, where y points down), then moved by (shift_x,
 * shift_y) pixels. Identity: {0, 0, 0, 1, 0}. Bilinear sampling, outside =
 * 0; out is 28x28 floats in [0,1]. dp_augment_image draws these parameters
 * uniformly from the configured ranges and adds the elastic field. */
typedef struct dp_affine_params {
    float shift_x, shift_y, rotate_deg, scale, shear;
} dp_affine_params;
void dp_augment_affine(const dp_affine_params *p, const uint8_t *in, float *out);

#ifdef __cplusplus
}
#endif
#endif
