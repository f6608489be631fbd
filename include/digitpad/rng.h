/* Project-owned, seedable pseudo random numbers (xoshiro256**), so that
 * training runs are reproducible across machines and libc versions. */
#ifndef DIGITPAD_RNG_H
#define DIGITPAD_RNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_rng {
    uint64_t s[4];
} dp_rng;

void dp_rng_seed(dp_rng *r, uint64_t seed);
uint64_t dp_rng_next(dp_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint32_t dp_rng_below(dp_rng *r, uint32_t n);
/* Uniform float in [0, 1). */
float dp_rng_uniform(dp_rng *r);
/* Standard normal (mean 0, variance 1). */
float dp_rng_normal(dp_rng *r);
/* Fisher-Yates shuffle. */
void dp_rng_shuffle_u32(dp_rng *r, uint32_t *a, size_t n);

#ifdef __cplusplus
}
#endif
#endif
