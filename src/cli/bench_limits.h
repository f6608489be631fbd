/* The machine's limits, for the "physical limit" figures of `digitpad-cli
 * bench` (docs/performance.md derives them). Measured, never assumed. */
#ifndef DIGITPAD_CLI_BENCH_LIMITS_H
#define DIGITPAD_CLI_BENCH_LIMITS_H

#include <stddef.h>

/* Peak rate of single-precision fused multiply-adds (2 flops each) of
 * `threads` threads running at once, in GFLOP/s (AVX-512, else AVX2+FMA,
 * else whatever the compiler makes of plain C); 0 if threads could not be
 * started. Best of 5 runs of ~0.1 s. */
double bench_fma_gflops(int threads);
/* Bandwidth of w += s * v over two buffers of `floats` floats per thread
 * (8 bytes read and 4 written per float), `threads` threads at once, in
 * GB/s; 0 if out of memory. Best of 5 runs. */
double bench_stream_gbs(size_t floats, int threads);

#endif
