/* digitpad-cli bench: the speed of training and inference on this machine.
 * Every figure is the median of several runs after a warm-up. Speed is
 * reported, never asserted: nothing here fails on a slow day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "args.h"
#include "bench_limits.h"
#include "commands.h"
#include "digitpad/canvas.h"
#include "digitpad/preprocess.h"
#include "digitpad/train.h"
#include "load.h"
#include "progress.h"
#include "train_opts.h"

/* Floating-point operations of one training sample (forward, backward,
 * update) of the I-H-O network, counted as 2 per multiply-add:
 * forward 2(IH + HO), output delta into W2 2HO, hidden delta 2HO, dW1 2IH. */
static double train_flops_per_sample(int I, int H, int O) {
    return 4.0 * I * H + 6.0 * H * O;
}

static void usage(FILE *out) {
    fputs("usage: digitpad-cli bench [--data DIR] [--runs N] [--threads N] [--quick] [--batch B]\n"
          "                          [--momentum M] [--layer1 auto|dense|sparse] [--limits]\n"
          "                          [--inference]\n"
          "\n"
          "Measure, each as the median of N runs after a warm-up:\n"
          "  - training: seconds per MNIST epoch and samples/s at batch 1, 64 and 256\n"
          "    (plain SGD, as the PyTorch peer), the achieved GFLOP/s, and the SGEMM\n"
          "    GFLOP/s that OpenBLAS reaches on the same shapes on this machine;\n"
          "  - inference: microseconds to preprocess a drawn canvas and run the network;\n"
          "  - peak resident memory of the process while training.\n"
          "\n"
          "options:\n"
          "  --data DIR    MNIST directory (default: $DIGITPAD_DATA, else data/mnist)\n"
          "  --runs N      timed runs per figure (default 3)\n"
          "  --threads N   threads for training (default: measured while training, as\n"
          "                digitpad-cli train does: one per core, or one if that is faster)\n"
          "  --quick       time 1/10 of an epoch instead of whole epochs\n"
          "  --batch B     only time training at batch size B\n"
          "  --momentum M  momentum of the batch timings (default 0: plain SGD)\n"
          "  --layer1 P    auto, dense or sparse layer 1 (default: $DIGITPAD_LAYER1, else auto)\n"
          "  --limits      only the machine's FMA peak and bandwidth, and the physical limits\n"
          "                they give for the training epochs and one inference\n"
          "  --inference   only the inference figure (forward pass of one MNIST image)\n",
          out);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* How the step runs: --threads (0 = one per core) and --layer1. */
typedef struct bench_setup {
    int threads;
    dp_layer1 layer1;
} bench_setup;

/* Seconds for `samples` training samples at this batch size, from a fresh
 * network (same seed every time, so runs are comparable). */
static double time_training(const dp_dataset *train, int batch, float momentum,
                            const bench_setup *setup, uint32_t samples, dp_error *err) {
    dp_mlp *m = NULL;
    dp_trainer *t = NULL;
    if (dp_mlp_create(&m, DP_MNIST_PIXELS, DP_PAPER_HIDDEN, DP_MNIST_CLASSES) != DP_OK) return -1;
    dp_rng rng;
    dp_rng_seed(&rng, 1);
    dp_mlp_init_he(m, &rng);
    dp_train_config cfg;
    dp_train_config_default(&cfg);
    cfg.epochs = 1;
    cfg.batch = batch;
    cfg.lr = batch == 1 ? 0.01f : 0.1f;
    cfg.momentum = momentum;
    cfg.schedule = DP_SCHEDULE_CONSTANT;
    cfg.threads = setup->threads;
    cfg.layer1 = setup->layer1;
    if (dp_trainer_create(&t, m, train, &cfg, err) != DP_OK) {
        dp_mlp_destroy(m);
        return -1;
    }
    dp_train_progress p;
    double t0 = cli_now();
    uint64_t want = samples;
    do {
        dp_trainer_run(t, 64, &p);
    } while (!p.done && p.samples_seen < want);
    double dt = cli_now() - t0;
    dt *= (double)want / (double)p.samples_seen;
    dp_trainer_destroy(t);
    dp_mlp_destroy(m);
    return dt;
}

/* SGEMM GFLOP/s on the training step's two big shapes for this batch:
 * (B x I).(I x H) and (I x B).(B x H), with the BLAS on `threads` threads. */
static double sgemm_gflops(int batch, int threads, int runs) {
    const int I = DP_MNIST_PIXELS, H = DP_PAPER_HIDDEN;
    float *X = calloc((size_t)batch * I, sizeof(float)), *W = calloc((size_t)I * H, sizeof(float));
    float *Y = calloc((size_t)batch * H, sizeof(float));
    if (!X || !W || !Y) {
        free(X);
        free(W);
        free(Y);
        return 0;
    }
    for (size_t i = 0; i < (size_t)batch * I; i++) X[i] = (float)(i % 13) * 0.01f;
    for (size_t i = 0; i < (size_t)I * H; i++) W[i] = (float)(i % 7) * 0.001f;
    int old = dp_blas_set_threads(threads);
    double flops = 4.0 * batch * I * H, best[16];
    int reps = (int)(2e9 / flops) + 1;
    for (int r = 0; r <= runs && r < 16; r++) {
        double t0 = cli_now();
        for (int k = 0; k < reps; k++) {
            dp_gemm(DP_BACKEND_BLAS, DP_NOTRANS, DP_NOTRANS, batch, H, I, 1.0f, X, I, W, H, 0.0f, Y,
                    H);
            dp_gemm(DP_BACKEND_BLAS, DP_TRANS, DP_NOTRANS, I, H, batch, -1e-6f, X, I, Y, H, 1.0f, W,
                    H);
        }
        best[r] = flops * reps / (cli_now() - t0) / 1e9;
    }
    dp_blas_set_threads(old);
    free(X);
    free(W);
    free(Y);
    return median(best + 1, runs < 15 ? runs : 15); /* best[0] was the warm-up */
}

/* Microseconds to preprocess a drawn 28x28 canvas and run the network. */
static double inference_us(const dp_mlp *m, int runs) {
    dp_canvas *c = NULL;
    dp_workspace *ws = NULL;
    if (dp_canvas_create(&c, 28, 28) != DP_OK || dp_workspace_create(&ws, m, 1) != DP_OK) {
        dp_canvas_destroy(c);
        return -1;
    }
    const float seven[] = {7, 7, 20, 7, 20, 8, 15, 15, 12, 22};
    dp_brush brush = dp_brush_default();
    dp_canvas_polyline(c, &brush, seven, 5, 0);
    float x[DP_MNIST_PIXELS];
    double t[16];
    const int reps = 2000;
    volatile int sink = 0;
    for (int r = 0; r <= runs && r < 16; r++) {
        double t0 = cli_now();
        for (int k = 0; k < reps; k++) {
            if (dp_preprocess(c->cells, c->w, c->h, x) != DP_OK) continue;
            sink += dp_argmax(dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS), m->n_out);
        }
        t[r] = (cli_now() - t0) / reps * 1e6;
    }
    (void)sink;
    dp_canvas_destroy(c);
    dp_workspace_destroy(ws);
    return median(t + 1, runs < 15 ? runs : 15);
}

/* Microseconds for the forward pass of one MNIST image (no preprocessing),
 * timed as the peers time their inference: each call on its own, the
 * median of `calls` after 2000 to warm up; images cycle through the first
 * 1000 of ds. */
static double forward_us(const dp_mlp *m, const dp_dataset *ds, int calls) {
    dp_workspace *ws = NULL;
    const int n = ds->count < 1000 ? (int)ds->count : 1000;
    float *x = malloc((size_t)n * DP_MNIST_PIXELS * sizeof *x);
    double *t = malloc((size_t)calls * sizeof *t);
    if (!x || !t || dp_workspace_create(&ws, m, 1) != DP_OK) {
        free(x);
        free(t);
        return -1;
    }
    dp_dataset_batch(ds, NULL, n, x, NULL);
    volatile int sink = 0;
    for (int k = -2000; k < calls; k++) {
        const float *in = x + (size_t)((k + 2000) % n) * DP_MNIST_PIXELS;
        double t0 = cli_now();
        sink += dp_argmax(dp_mlp_forward(m, ws, in, 1, DP_BACKEND_BLAS), m->n_out);
        if (k >= 0) t[k] = (cli_now() - t0) * 1e6;
    }
    (void)sink;
    double us = median(t, calls);
    dp_workspace_destroy(ws);
    free(x);
    free(t);
    return us;
}

/* The machine's limits and what they allow (docs/performance.md): an epoch
 * does 4 nnz H + 6 H O flops a sample with zero inputs skipped; momentum
 * also reads and writes W1 and its velocity every step (16 bytes a
 * weight); per-sample SGD reads a lit pixel's W1 row in the forward pass
 * and reads and writes it in the update, on every thread (the step shares
 * a sample's inputs among them); inference, on one thread, reads the W1
 * rows of the lit pixels and W2. Each is the larger of its flop time at
 * the FMA peak and its byte time at the measured bandwidth. Lines "limit
 * NAME SECONDS" are for bench/compare. */
static void print_limits(const dp_dataset *train, int nthreads) {
    const double I = DP_MNIST_PIXELS, H = DP_PAPER_HIDDEN, O = DP_MNIST_CLASSES, n = train->count;
    uint64_t lit = 0;
    for (size_t i = 0; i < (size_t)train->count * DP_MNIST_PIXELS; i++)
        lit += train->images[i] != 0;
    const double nnz = (double)lit / n;
    const double f1 = bench_fma_gflops(1) * 1e9, fn = bench_fma_gflops(nthreads) * 1e9;
    const double b1 = bench_stream_gbs((size_t)(I * H), 1) * 1e9;
    const double bn = bench_stream_gbs((size_t)(I * H), nthreads) * 1e9;
    printf("machine: FMA peak %.0f GFLOP/s on 1 thread, %.0f on %d; read+write bandwidth over "
           "2 x %.1f MB: %.0f GB/s on 1 thread, %.0f on %d; %s kernels\n",
           f1 / 1e9, fn / 1e9, nthreads, I * H * 4 / 1e6, b1 / 1e9, bn / 1e9, nthreads,
           dp_kernels_name());
    if (f1 <= 0 || fn <= 0 || b1 <= 0 || bn <= 0) return;
    const double flops = n * (4.0 * nnz * H + 6.0 * H * O);
    const double steps = n / 64.0;
    const double sgd = flops / fn;
    const double mom = sgd + steps * 16.0 * I * H / bn;
    const double row_bytes = H * 4.0, w2_bytes = H * O * 4.0;
    double per = (4.0 * nnz * H + 6.0 * H * O) / fn,
           mem = (3 * nnz * row_bytes + 3 * w2_bytes) / bn;
    const double one = n * (per > mem ? per : mem);
    per = 2.0 * (nnz * H + H * O) / f1;
    mem = (nnz * row_bytes + w2_bytes) / b1;
    const double infer = per > mem ? per : mem;
    printf("physical limits (MNIST: %.0f non-zero pixels a sample, %.1f GFLOP an epoch):\n", nnz,
           flops / 1e9);
    printf("limit batch64-sgd %.3f s\nlimit batch64-momentum %.3f s\nlimit batch1 %.3f s\n"
           "limit inference %.2f us\n",
           sgd, mom, one, infer * 1e6);
}

static double peak_rss_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

int cmd_bench(int argc, char **argv) {
    const char *data = NULL;
    int runs = 3, threads = 0, quick = 0, only_batch = 0, limits = 0, infer = 0;
    float momentum = 0.0f;
    const char *layer1 = NULL;
    const cli_opt opts[] = {
        {"--data", CLI_OPT_STRING, &data, 0, 0, 0, NULL},
        {"--runs", CLI_OPT_INT, &runs, 1, 15, 0, NULL},
        {"--threads", CLI_OPT_INT, &threads, 1, DP_MAX_THREADS, 0, NULL},
        {"--layer1", CLI_OPT_STRING, &layer1, 0, 0, 0, NULL},
        {"--quick", CLI_OPT_FLAG, &quick, 0, 0, 0, NULL},
        {"--batch", CLI_OPT_INT, &only_batch, 1, 65536, 0, NULL},
        {"--momentum", CLI_OPT_FLOAT, &momentum, 0, 0.999, 0, NULL},
        {"--limits", CLI_OPT_FLAG, &limits, 0, 0, 0, NULL},
        {"--inference", CLI_OPT_FLAG, &infer, 0, 0, 0, NULL},
    };
    const cli_spec spec = {"bench", usage, opts, (int)(sizeof opts / sizeof opts[0]), CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (npos > 0) return cli_usage_error(&spec, "unexpected argument '%s'", argv[1]);
    bench_setup setup = {threads, DP_LAYER1_AUTO};
    if (train_opts_layer1(layer1, &setup.layer1) != 0)
        return cli_usage_error(&spec, "%s: '%s' is not one of auto, dense, sparse",
                               layer1 ? "--layer1" : "DIGITPAD_LAYER1",
                               layer1 ? layer1 : getenv("DIGITPAD_LAYER1"));

    dp_dataset train;
    if (cli_load_mnist(data, &train, NULL) != 0) return CLI_EXIT_FAIL;
    int nthreads = threads > 0 ? threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (limits || infer) { /* only these figures */
        if (limits) print_limits(&train, nthreads);
        dp_mlp *m = NULL;
        if (infer && dp_train_fresh_network(&m, DP_MNIST_PIXELS, DP_PAPER_HIDDEN, DP_MNIST_CLASSES,
                                            1) == DP_OK) {
            int old = dp_blas_set_threads(1);
            printf("inference (forward only, 1 MNIST image): %.2f us\n",
                   forward_us(m, &train, 20000));
            dp_blas_set_threads(old);
        }
        dp_mlp_destroy(m);
        dp_dataset_free(&train);
        return CLI_EXIT_OK;
    }
    uint32_t samples = quick ? train.count / 10 : train.count;
    const double fps = train_flops_per_sample(DP_MNIST_PIXELS, DP_PAPER_HIDDEN, DP_MNIST_CLASSES);
    char how[48];
    if (threads > 0)
        snprintf(how, sizeof how, "%d thread%s", threads, threads == 1 ? "" : "s");
    else /* the trainer's default: it measures 1 against nthreads while training */
        snprintf(how, sizeof how, "threads measured (1 or %d)", nthreads);
    printf("digitpad bench: 784-800-10 on %u MNIST samples per %s, %s, %s kernels, median of %d\n",
           samples, quick ? "1/10 epoch" : "epoch", how, dp_kernels_name(), runs);
    char title[64] = "training (plain SGD)";
    if (momentum != 0.0f) snprintf(title, sizeof title, "training (momentum %g)", (double)momentum);
    printf("%-28s %10s %12s %10s %16s\n", title, "s/epoch", "samples/s", "GFLOP/s",
           "SGEMM GFLOP/s");

    const int all_batches[] = {1, 64, 256};
    const int *batches = only_batch ? &only_batch : all_batches;
    size_t n_batches = only_batch ? 1 : sizeof all_batches / sizeof *all_batches;
    int rc = CLI_EXIT_OK;
    for (size_t b = 0; b < n_batches; b++) {
        dp_error err = {0};
        double t[16];
        /* warm-up: caches, page faults, thread start */
        if (time_training(&train, batches[b], momentum, &setup, samples / 10, &err) < 0) {
            rc = cli_fail("bench", &err);
            break;
        }
        for (int r = 0; r < runs && rc == CLI_EXIT_OK; r++)
            if ((t[r] = time_training(&train, batches[b], momentum, &setup, samples, &err)) < 0)
                rc = cli_fail("bench", &err);
        if (rc != CLI_EXIT_OK) break;
        double s = median(t, runs) * train.count / samples;
        char label[64];
        snprintf(label, sizeof label, "  batch %d", batches[b]);
        printf("%-28s %10.3f %12.0f %10.1f %16.1f\n", label, s, train.count / s,
               fps * train.count / s / 1e9, sgemm_gflops(batches[b], nthreads, runs));
        fflush(stdout);
    }
    if (rc == CLI_EXIT_OK && !only_batch) {
        dp_error err = {0};
        double t[16];
        int ok = 1;
        for (int r = 0; r < runs; r++)
            ok &= (t[r] = time_training(&train, 64, 0.9f, &setup, samples, &err)) >= 0;
        if (!ok) {
            dp_dataset_free(&train);
            return cli_fail("bench", &err);
        }
        double s = median(t, runs) * train.count / samples;
        printf("%-28s %10.3f %12.0f %10.1f\n", "  batch 64, momentum 0.9", s, train.count / s,
               fps * train.count / s / 1e9);

        dp_mlp *m = NULL;
        dp_status st = dp_mlp_create(&m, DP_MNIST_PIXELS, DP_PAPER_HIDDEN, DP_MNIST_CLASSES);
        if (st != DP_OK) {
            dp_error_set(&err, st, "cannot create a network: %s", dp_status_str(st));
            dp_dataset_free(&train);
            return cli_fail("bench", &err);
        }
        dp_rng rng;
        dp_rng_seed(&rng, 1);
        dp_mlp_init_he(m, &rng);
        int old = dp_blas_set_threads(1);
        printf("inference (preprocess + forward, 1 canvas): %.1f us\n", inference_us(m, runs));
        printf("inference (forward only, 1 MNIST image): %.2f us\n", forward_us(m, &train, 20000));
        dp_blas_set_threads(old);
        dp_mlp_destroy(m);
        printf("peak resident memory: %.1f MB\n", peak_rss_mb());
        print_limits(&train, nthreads);
        printf("GFLOP/s counts the dense work of a sample (%.2f MFLOP: forward, backward,\n"
               "update) over the time taken; skipping zero inputs does less work, so it can\n"
               "exceed what SGEMM reaches on the dense shapes.\n",
               fps / 1e6);
    }
    dp_dataset_free(&train);
    return rc;
}
