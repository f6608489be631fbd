/* The machine's limits for `digitpad-cli bench`: the peak rate of fused
 * multiply-adds and the bandwidth of a read-modify-write pass over a buffer,
 * each on one thread or on several at once. */
#include "bench_limits.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "progress.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FMA_X86 1 /* the loops for AVX-512 and AVX2, run where the CPU has them */
#endif

#define CHAINS 12 /* independent multiply-add chains: more than latency x ports */

/* Flops of `iters` rounds of CHAINS multiply-adds on vectors, on the widest
 * vectors with FMA this CPU has (whatever the build's -march); the result is
 * stored so the loop cannot be dropped. */
#if defined(FMA_X86)
__attribute__((target("avx512f,fma"))) static double fma_loop_avx512(long iters,
                                                                     volatile float *sink) {
    __m512 acc[CHAINS], x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_set1_ps((float)c);
    for (long i = 0; i < iters; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_fmadd_ps(acc[c], x, y);
    __m512 s = acc[0];
    for (int c = 1; c < CHAINS; c++) s = _mm512_add_ps(s, acc[c]);
    *sink = _mm512_reduce_add_ps(s);
    return 2.0 * 16 * CHAINS * (double)iters;
}

__attribute__((target("avx2,fma"))) static double fma_loop_avx2(long iters, volatile float *sink) {
    __m256 acc[CHAINS], x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_set1_ps((float)c);
    for (long i = 0; i < iters; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_fmadd_ps(acc[c], x, y);
    float out[8];
    __m256 s = acc[0];
    for (int c = 1; c < CHAINS; c++) s = _mm256_add_ps(s, acc[c]);
    _mm256_storeu_ps(out, s);
    *sink = out[0];
    return 2.0 * 8 * CHAINS * (double)iters;
}
#endif

/* Without FMA: separate multiplies and adds, which the compiler vectorises. */
static double madd_loop_plain(long iters, volatile float *sink) {
    float acc[CHAINS][8];
    for (int c = 0; c < CHAINS; c++)
        for (int k = 0; k < 8; k++) acc[c][k] = (float)(c + k);
    for (long i = 0; i < iters; i++)
        for (int c = 0; c < CHAINS; c++)
            for (int k = 0; k < 8; k++) acc[c][k] = acc[c][k] * 0.999999f + 1e-7f;
    *sink = acc[0][0] + acc[CHAINS - 1][7];
    return 2.0 * 8 * CHAINS * (double)iters;
}

static double fma_loop(long iters, volatile float *sink) {
#if defined(FMA_X86)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
        return fma_loop_avx512(iters, sink);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return fma_loop_avx2(iters, sink);
#endif
    return madd_loop_plain(iters, sink);
}

/* One pass of w += s * v over n floats: reads 8 bytes, writes 4 per float. */
static double stream_pass(float *w, const float *v, size_t n) {
    for (size_t i = 0; i < n; i++) w[i] += 1e-7f * v[i];
    return 12.0 * (double)n;
}

typedef struct job {
    int kind; /* 0 fma, 1 stream */
    long iters;
    float *w, *v;
    size_t n;
    atomic_int *go; /* all start together once it is set */
    double work, seconds;
    float sink;
} job;

static void *run_job(void *p) {
    job *j = p;
    volatile float sink = 0.0f;
    if (j->kind == 1) stream_pass(j->w, j->v, j->n); /* warm the caches */
    while (!atomic_load(j->go)) {
    }
    double t0 = cli_now();
    j->work = 0.0;
    if (j->kind == 0)
        j->work = fma_loop(j->iters, &sink);
    else
        for (long r = 0; r < j->iters; r++) j->work += stream_pass(j->w, j->v, j->n);
    j->seconds = cli_now() - t0;
    j->sink = sink + j->w[0];
    return NULL;
}

/* Work per second of all threads together (the slowest thread's time),
 * best of `runs`. */
static double measure(int kind, int threads, long iters, size_t n, int runs) {
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    job jobs[64];
    pthread_t tid[64];
    float dummy = 0.0f;
    int ok = 1;
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){.kind = kind, .iters = iters, .n = n, .w = &dummy};
        if (kind == 1) {
            jobs[t].w = calloc(n, sizeof(float));
            jobs[t].v = calloc(n, sizeof(float));
            ok &= jobs[t].w && jobs[t].v;
        }
    }
    double best = 0.0;
    for (int r = 0; ok && r < runs; r++) {
        atomic_int go;
        atomic_init(&go, 0);
        int started = 1;
        for (int t = 0; t < threads; t++) jobs[t].go = &go;
        while (started < threads &&
               pthread_create(&tid[started], NULL, run_job, &jobs[started]) == 0)
            started++;
        atomic_store(&go, 1);
        run_job(&jobs[0]);
        for (int t = 1; t < started; t++) pthread_join(tid[t], NULL);
        if (started < threads) { /* could not start them all: no figure */
            ok = 0;
            break;
        }
        double work = 0.0, slowest = 0.0;
        for (int t = 0; t < threads; t++) {
            work += jobs[t].work;
            slowest = jobs[t].seconds > slowest ? jobs[t].seconds : slowest;
        }
        if (slowest > 0.0 && work / slowest > best) best = work / slowest;
    }
    for (int t = 0; kind == 1 && t < threads; t++) {
        free(jobs[t].w);
        free(jobs[t].v);
    }
    return ok ? best : 0.0;
}

double bench_fma_gflops(int threads) {
    return measure(0, threads, 20000000, 0, 5) / 1e9; /* ~0.1 s a run */
}

double bench_stream_gbs(size_t floats, int threads) {
    long passes = (long)(2e9 / (12.0 * (double)floats)) + 1;
    return measure(1, threads, passes, floats, 5) / 1e9;
}
