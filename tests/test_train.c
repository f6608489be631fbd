/* The training loop: configuration checks, schedules, reproducibility, and
 * one real epoch on MNIST reaching >= 96% test accuracy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/train.h"
#include "testutil.h"

#include <unistd.h>

static void test_config_checks(void) {
    dp_train_config c;
    dp_error err = {0};
    dp_train_config_default(&c);
    CHECK(dp_train_config_check(&c, &err) == DP_OK);
    c.epochs = 0;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG && strstr(err.msg, "epochs"));
    dp_train_config_default(&c);
    c.lr = -1;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG && strstr(err.msg, "learning rate"));
    dp_train_config_default(&c);
    c.lr = NAN;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG);
    dp_train_config_default(&c);
    c.momentum = 1.0f;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG && strstr(err.msg, "momentum"));
    dp_train_config_default(&c);
    c.batch = 0;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG && strstr(err.msg, "batch"));
}

static void test_schedules(void) {
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 10;
    c.lr = 0.1f;
    c.lr_min = 0.001f;
    c.schedule = DP_SCHEDULE_CONSTANT;
    CHECK_NEAR(dp_train_lr_at(&c, 7.3), 0.1, 1e-7);
    c.schedule = DP_SCHEDULE_COSINE;
    CHECK_NEAR(dp_train_lr_at(&c, 0.0), 0.1, 1e-7);
    CHECK_NEAR(dp_train_lr_at(&c, 5.0), 0.0505, 1e-6);
    CHECK_NEAR(dp_train_lr_at(&c, 10.0), 0.001, 1e-7);
    CHECK(dp_train_lr_at(&c, 3.0) > dp_train_lr_at(&c, 3.5));
    c.schedule = DP_SCHEDULE_STEP;
    CHECK_NEAR(dp_train_lr_at(&c, 4.9), 0.1, 1e-7);
    CHECK_NEAR(dp_train_lr_at(&c, 5.1), 0.01, 1e-7);
    CHECK_NEAR(dp_train_lr_at(&c, 8.0), 0.001, 1e-7);
}

/* A tiny synthetic 28x28 dataset: class k has a bright 4x28 band at rows
 * 2k..2k+3 plus noise. */
static void make_classes(dp_dataset *ds, uint32_t n, uint64_t seed, int lo, int hi);
static void make_synthetic(dp_dataset *ds, uint32_t n, uint64_t seed) {
    make_classes(ds, n, seed, 0, 9);
}

/* The same with labels lo..hi only. */
static void make_classes(dp_dataset *ds, uint32_t n, uint64_t seed, int lo, int hi) {
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    ds->count = n;
    ds->rows = ds->cols = 28;
    ds->images = calloc((size_t)n, 784);
    ds->labels = malloc(n);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t k = (uint8_t)(lo + (int)dp_rng_below(&rng, (uint32_t)(hi - lo + 1)));
        ds->labels[i] = k;
        for (int p = 0; p < 784; p++) {
            int row = p / 28;
            int on = row >= 2 * k + 2 && row < 2 * k + 6;
            ds->images[(size_t)i * 784 + p] =
                (uint8_t)(on ? 200 + dp_rng_below(&rng, 56) : dp_rng_below(&rng, 40));
        }
    }
}

static void test_reproducible_and_learns(void) {
    dp_dataset ds;
    make_synthetic(&ds, 600, 3);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 2;
    c.batch = 32;
    c.seed = 99;
    dp_mlp *a, *b;
    dp_mlp_create(&a, 784, 64, 10);
    dp_mlp_create(&b, 784, 64, 10);
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    dp_mlp_init_he(a, &rng);
    dp_mlp_copy(b, a);
    dp_eval before;
    CHECK(dp_evaluate(a, &ds, &before) == DP_OK);
    dp_trainer *ta, *tb;
    dp_error err = {0};
    CHECK(dp_trainer_create(&ta, a, &ds, &c, &err) == DP_OK);
    CHECK(dp_trainer_create(&tb, b, &ds, &c, &err) == DP_OK);
    dp_train_progress p;
    int ended = 0, batches = 0;
    /* slices of 3 batches, so epoch boundaries and progress are exercised */
    do {
        batches += dp_trainer_run(ta, 3, &p);
        ended += p.epoch_ended;
        CHECK(p.pos <= p.epoch_size);
    } while (!p.done);
    CHECK(ended == 2);
    CHECK(batches == 2 * 19); /* ceil(600/32) = 19 per epoch */
    CHECK(p.samples_seen == 1200 && p.epoch == 2);
    double sps = p.samples_per_sec;
    CHECK(sps > 0);
    CHECK(dp_trainer_run(ta, 5, &p) == 0); /* done: nothing more */
    CHECK(dp_trainer_status(ta) == DP_OK);
    CHECK(p.samples_per_sec == sps && p.done && !p.epoch_ended);
    while (dp_trainer_run(tb, 1000, &p) > 0) {
    }
    CHECK(memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0);
    dp_eval after;
    dp_evaluate(a, &ds, &after);
    CHECKF(dp_eval_accuracy(&after) > 0.95, "synthetic accuracy %.3f (before %.3f)",
           dp_eval_accuracy(&after), dp_eval_accuracy(&before));
    CHECK(after.loss < before.loss);
    uint32_t total = 0;
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++) total += after.confusion[i][j];
    CHECK(total == 600 && after.count == 600);
    /* another seed gives other weights */
    dp_trainer_destroy(tb);
    dp_mlp_init_he(b, &rng);
    c.seed = 100;
    dp_trainer_create(&tb, b, &ds, &c, &err);
    while (dp_trainer_run(tb, 1000, &p) > 0) {
    }
    CHECK(memcmp(a->params, b->params, a->n_params * sizeof(float)) != 0);
    dp_trainer_destroy(ta);
    dp_trainer_destroy(tb);
    dp_mlp_destroy(a);
    dp_mlp_destroy(b);
    dp_dataset_free(&ds);
}

/* Augmented training: reproducible, and the same weights bit for bit on 1
 * and 2 threads (the distortions and the step do not depend on them). */
static void test_augmented_threads(void) {
    dp_dataset ds;
    make_synthetic(&ds, 256, 7);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 1;
    c.batch = 32;
    c.augment = dp_augment_default();
    dp_mlp *m[3];
    dp_rng rng;
    for (int k = 0; k < 3; k++) {
        dp_mlp_create(&m[k], 784, 32, 10);
        dp_rng_seed(&rng, 5);
        dp_mlp_init_he(m[k], &rng);
        c.threads = k == 0 ? 1 : 2;
        dp_trainer *t;
        dp_error err = {0};
        CHECK(dp_trainer_create(&t, m[k], &ds, &c, &err) == DP_OK);
        dp_train_progress p;
        while (dp_trainer_run(t, 3, &p) > 0) {
        }
        dp_trainer_destroy(t);
    }
    CHECK(memcmp(m[1]->params, m[2]->params, m[1]->n_params * sizeof(float)) == 0);
    CHECK(memcmp(m[0]->params, m[1]->params, m[1]->n_params * sizeof(float)) == 0);
    double d = 0, moved = 0;
    dp_mlp *init;
    dp_mlp_create(&init, 784, 32, 10);
    dp_rng_seed(&rng, 5);
    dp_mlp_init_he(init, &rng);
    for (size_t i = 0; i < m[0]->n_params; i++) {
        d = fmax(d, fabs((double)m[0]->params[i] - m[1]->params[i]));
        moved = fmax(moved, fabs((double)m[0]->params[i] - init->params[i]));
    }
    CHECKF(d == 0 && moved > 1e-2, "1 vs 2 threads differ by %g (training moved weights by %g)", d,
           moved);
    for (int k = 0; k < 3; k++) dp_mlp_destroy(m[k]);
    dp_mlp_destroy(init);
    dp_dataset_free(&ds);
}

/* The trainer's layer-1 path (cfg.layer1): on mostly-zero images AUTO takes
 * the sparse products, so it gives SPARSE's weights bit for bit; DENSE
 * (SGEMM) gives the same up to float rounding; on 1 and 2 threads. */
static void test_layer1_paths(void) {
    dp_dataset ds;
    make_synthetic(&ds, 256, 11);
    for (size_t i = 0; i < (size_t)ds.count * 784; i++)
        if (ds.images[i] < 40) ds.images[i] = 0; /* background: MNIST-like zeros */
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 1;
    c.batch = 32;
    const dp_layer1 paths[3] = {DP_LAYER1_AUTO, DP_LAYER1_SPARSE, DP_LAYER1_DENSE};
    dp_mlp *init;
    dp_mlp_create(&init, 784, 48, 10);
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    dp_mlp_init_he(init, &rng);
    for (int threads = 1; threads <= 2; threads++) {
        dp_mlp *m[3];
        for (int k = 0; k < 3; k++) {
            dp_mlp_create(&m[k], 784, 48, 10);
            dp_mlp_copy(m[k], init);
            c.threads = threads;
            c.layer1 = paths[k];
            dp_trainer *t;
            dp_error err = {0};
            CHECK(dp_trainer_create(&t, m[k], &ds, &c, &err) == DP_OK);
            dp_train_progress p;
            while (dp_trainer_run(t, 4, &p) > 0) {
            }
            CHECK(p.done && dp_trainer_status(t) == DP_OK);
            dp_trainer_destroy(t);
        }
        CHECKF(memcmp(m[0]->params, m[1]->params, m[0]->n_params * sizeof(float)) == 0,
               "%d threads: auto and sparse differ", threads);
        double d = 0, moved = 0;
        for (size_t i = 0; i < m[0]->n_params; i++) {
            d = fmax(d, fabs((double)m[1]->params[i] - m[2]->params[i]));
            moved = fmax(moved, fabs((double)m[1]->params[i] - init->params[i]));
        }
        CHECKF(d < 1e-4 && d > 0 && moved > 1e-2,
               "%d threads: sparse vs dense differ by %g (training moved weights by %g)", threads,
               d, moved);
        for (int k = 0; k < 3; k++) dp_mlp_destroy(m[k]);
    }
    c.layer1 = (dp_layer1)3;
    dp_error err = {0};
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG);
    dp_mlp_destroy(init);
    dp_dataset_free(&ds);
}

/* A synthetic set with MNIST-like zero background (the sparse layer 1). */
static void make_sparse_synthetic(dp_dataset *ds, uint32_t n, uint64_t seed) {
    make_synthetic(ds, n, seed);
    for (size_t i = 0; i < (size_t)ds->count * 784; i++)
        if (ds->images[i] < 40) ds->images[i] = 0;
}

/* Train a fresh He-initialised 784-H-10 net (seed 5) with c to the end;
 * returns it, and its last progress in *p. */
static dp_mlp *train_fresh(const dp_dataset *ds, const dp_train_config *c, int H,
                           dp_train_progress *p) {
    dp_mlp *m = NULL;
    CHECK(dp_train_fresh_network(&m, 784, H, 10, 5) == DP_OK);
    dp_trainer *t;
    dp_error err = {0};
    CHECKF(dp_trainer_create(&t, m, ds, c, &err) == DP_OK, "%s", err.msg);
    while (dp_trainer_run(t, 7, p) > 0) {
    }
    CHECK(p->done && dp_trainer_status(t) == DP_OK);
    dp_trainer_destroy(t);
    return m;
}

static int same_weights(const dp_mlp *a, const dp_mlp *b) {
    return dp_mlp_same_shape(a, b) &&
           memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0;
}

/* The weights and the losses do not depend on the number of threads, bit
 * for bit: widths with whole and partial chunks of hidden units, with
 * fewer chunks than threads, and with enough chunks (200 units: 13) that
 * the threads claim runs of 4 before the shorter ones at the end (team.h);
 * plain SGD, momentum, weight decay, both layer-1 paths, batches that do
 * not divide the data set, and per-sample SGD (on up to 5 threads: more
 * members than bands of inputs). */
static void test_threads_bit_identical(void) {
    dp_dataset ds;
    make_sparse_synthetic(&ds, 200, 13);
    const int widths[] = {48, 100, 20, 200};
    const float opts[][2] = {{0.9f, 0.0f}, {0.0f, 0.0f}, {0.0f, 1e-3f}, {0.9f, 1e-3f}};
    for (int batch = 24; batch >= 1; batch -= 23) /* batches, and per-sample SGD */
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
            for (size_t o = 0; o < sizeof opts / sizeof *opts; o++)
                for (int layer1 = 0; layer1 < 2; layer1++) {
                    dp_train_config c;
                    dp_train_config_default(&c);
                    c.epochs = 1;
                    c.batch = batch;
                    c.momentum = opts[o][0];
                    c.weight_decay = opts[o][1];
                    c.layer1 = layer1 ? DP_LAYER1_DENSE : DP_LAYER1_SPARSE;
                    dp_mlp *ref = NULL;
                    dp_train_progress pr;
                    for (int threads = 1; threads <= (batch == 1 ? 5 : 4); threads++) {
                        c.threads = threads;
                        dp_train_progress p;
                        dp_mlp *m = train_fresh(&ds, &c, widths[w], &p);
                        if (!ref) {
                            ref = m;
                            pr = p;
                            continue;
                        }
                        CHECKF(
                            same_weights(ref, m) && p.epoch_loss == pr.epoch_loss,
                            "batch %d, H %d, momentum %g, decay %g, %s: %d threads differ from 1",
                            batch, widths[w], (double)c.momentum, (double)c.weight_decay,
                            layer1 ? "dense" : "sparse", threads);
                        dp_mlp_destroy(m);
                    }
                    dp_mlp_destroy(ref);
                }
    dp_dataset_free(&ds);
}

/* The window's way of running: Step (one batch), slices of any size, the
 * thread count switched between batches (2 while the mouse is idle, 1
 * while drawing), a chunked test evaluation after each epoch. It gives the
 * CLI's run (one trainer run to the end in big slices) bit for bit. */
static void test_window_run_equals_cli_run(void) {
    dp_dataset ds;
    make_sparse_synthetic(&ds, 300, 17);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 2;
    c.batch = 16;
    c.threads = 2;
    dp_train_progress pc;
    dp_mlp *cli = train_fresh(&ds, &c, 64, &pc);

    dp_mlp *m = NULL;
    CHECK(dp_train_fresh_network(&m, 784, 64, 10, 5) == DP_OK);
    dp_trainer *t;
    dp_error err = {0};
    CHECK(dp_trainer_create(&t, m, &ds, &c, &err) == DP_OK);
    dp_train_progress p;
    int k = 0, evals = 0;
    do {
        CHECK(dp_trainer_set_threads(t, k % 3 == 0 ? 1 : 2) == DP_OK);
        CHECK(dp_trainer_threads(t) == (k % 3 == 0 ? 1 : 2));
        uint64_t before = 0;
        dp_train_progress q;
        dp_trainer_progress(t, &q);
        before = q.steps;
        int ran = dp_trainer_run(t, k % 4 == 0 ? 1 : 1 + k % 5, &p);
        CHECK(p.steps == before + (uint64_t)ran && ran >= 1);
        if (k % 4 == 0) CHECK(ran == 1); /* Step: exactly one batch */
        if (p.epoch_ended) {
            dp_eval whole, parts;
            memset(&parts, 0, sizeof parts);
            for (uint32_t i = 0; i < ds.count; i += 70)
                CHECK(dp_evaluate_range(m, &ds, i, ds.count - i < 70 ? ds.count - i : 70, &parts,
                                        NULL) == DP_OK);
            CHECK(dp_evaluate(m, &ds, &whole) == DP_OK);
            CHECK(memcmp(&whole, &parts, sizeof whole) == 0);
            evals++;
        }
        k++;
    } while (!p.done);
    CHECK(evals == 2);
    CHECK(same_weights(cli, m));
    CHECK(p.epoch_loss == pc.epoch_loss && p.samples_seen == pc.samples_seen);
    CHECK(dp_trainer_set_threads(t, -1) == DP_ERR_ARG && dp_trainer_threads(t) == 1);
    CHECK(dp_trainer_set_threads(t, DP_MAX_THREADS + 1) == DP_ERR_ARG);
    CHECK(dp_trainer_set_threads(t, 0) == DP_OK && dp_trainer_threads(t) >= 1);
    dp_trainer_destroy(t);
    dp_mlp_destroy(m);
    dp_mlp_destroy(cli);
    dp_dataset_free(&ds);
}

/* Auto threads (0): the trainer measures one thread against one per core,
 * window by window (the first window runs on all cores, the second on one), and
 * the weights are those of a one-thread run bit for bit. Nothing here
 * depends on how fast anything ran. */
static void test_auto_threads(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    dp_dataset ds;
    make_sparse_synthetic(&ds, 2000, 37);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 5; /* 10,000 samples: several windows */
    c.batch = 32;
    c.threads = 1;
    dp_train_progress p1;
    dp_mlp *one = train_fresh(&ds, &c, 32, &p1);
    c.threads = 0;
    dp_mlp *m = NULL;
    dp_train_fresh_network(&m, 784, 32, 10, 5);
    dp_trainer *t;
    dp_error err = {0};
    CHECK(dp_trainer_create(&t, m, &ds, &c, &err) == DP_OK);
    dp_train_progress p;
    int seen[2] = {0, 0};
    while (dp_trainer_run(t, 1, &p) > 0) seen[p.threads > 1]++;
    CHECK(same_weights(one, m) && p.epoch_loss == p1.epoch_loss);
    if (cores > 1)
        CHECKF(seen[0] >= 1 && seen[1] >= 1, "batches on 1: %d, on more: %d", seen[0],
               seen[1]); /* the first window on one thread, then the team's probe */
    else
        CHECK(seen[1] == 0);
    dp_train_config now;
    dp_trainer_config(t, &now);
    CHECK(now.threads == 0);
    dp_trainer_destroy(t);
    dp_mlp_destroy(m);
    dp_mlp_destroy(one);
    dp_dataset_free(&ds);
}

/* A new base learning rate applies from the next batch, and the schedule
 * keeps its shape relative to it: set before the first batch, the run is
 * that of a trainer made with the new rate; set mid-run, every later batch
 * uses the new trainer's rate at the same position. */
static void test_set_lr(void) {
    dp_dataset ds;
    make_sparse_synthetic(&ds, 160, 19);
    dp_train_config c, c2;
    dp_train_config_default(&c);
    c.epochs = 2;
    c.batch = 16;
    c.lr_min = 0.01f;
    c2 = c;
    c2.lr = 0.1f;
    c2.lr_min = 0.02f; /* the same ratio to lr */
    dp_train_progress p2;
    dp_mlp *want = train_fresh(&ds, &c2, 32, &p2);

    dp_mlp *m = NULL, *m2 = NULL;
    dp_train_fresh_network(&m, 784, 32, 10, 5);
    dp_trainer *t, *t2;
    dp_error err = {0};
    CHECK(dp_trainer_create(&t, m, &ds, &c, &err) == DP_OK);
    CHECK(dp_trainer_set_lr(t, 0.1f) == DP_OK);
    dp_train_progress p;
    while (dp_trainer_run(t, 5, &p) > 0) {
    }
    CHECK(same_weights(want, m));
    dp_trainer_config(t, &c2);
    CHECK(c2.lr == 0.1f && fabs(c2.lr_min - 0.02) < 1e-7);
    CHECK(dp_trainer_set_lr(t, 0.0f) == DP_ERR_ARG && dp_trainer_set_lr(t, 100.0f) == DP_ERR_ARG);
    CHECK(dp_trainer_set_lr(t, NAN) == DP_ERR_ARG);
    dp_trainer_destroy(t);

    /* mid-run: batch by batch, the rate is the lr-0.1 schedule's */
    dp_train_fresh_network(&m2, 784, 32, 10, 5);
    c2 = c;
    c2.lr = 0.1f;
    c2.lr_min = 0.02f;
    CHECK(dp_trainer_create(&t2, m2, &ds, &c, &err) == DP_OK);
    int batches = 0, checked = 0;
    while (dp_trainer_run(t2, 1, &p) > 0) {
        if (++batches == 4) CHECK(dp_trainer_set_lr(t2, 0.1f) == DP_OK);
        if (batches > 4) {
            double at = p.epoch - (p.epoch_ended ? 1 : 0) +
                        (double)((p.epoch_ended ? p.epoch_size : p.pos) - 16) / p.epoch_size;
            CHECKF(p.lr == dp_train_lr_at(&c2, at), "batch %d: lr %g, want %g", batches,
                   (double)p.lr, (double)dp_train_lr_at(&c2, at));
            checked++;
        }
    }
    CHECK(checked == 2 * 10 - 4);
    CHECK(!same_weights(want, m2)); /* the first 4 batches had the old rate */
    dp_trainer_destroy(t2);
    dp_mlp_destroy(m);
    dp_mlp_destroy(m2);
    dp_mlp_destroy(want);
    dp_dataset_free(&ds);
}

/* Augmentation switched mid-epoch applies from the next epoch: the run is
 * the one switched at the epoch boundary, and not the one never switched. */
static void test_set_augment(void) {
    dp_dataset ds;
    make_sparse_synthetic(&ds, 128, 23);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 2;
    c.batch = 16;
    dp_augment_config aug = dp_augment_default();
    dp_mlp *m[3];
    for (int k = 0; k < 3; k++) { /* 0: switched mid-epoch 1, 1: at its end, 2: never */
        dp_train_fresh_network(&m[k], 784, 32, 10, 5);
        dp_trainer *t;
        dp_error err = {0};
        CHECK(dp_trainer_create(&t, m[k], &ds, &c, &err) == DP_OK);
        dp_train_progress p;
        int batches = 0;
        while (dp_trainer_run(t, 1, &p) > 0) {
            batches++;
            if ((k == 0 && batches == 3) || (k == 1 && batches == 8)) {
                CHECK(dp_trainer_set_augment(t, &aug) == DP_OK);
                dp_train_config now;
                dp_trainer_config(t, &now);
                CHECK(now.augment.enabled && now.augment.elastic_alpha == aug.elastic_alpha);
            }
            if (k == 1 && batches == 8) CHECK(p.epoch_ended);
        }
        dp_augment_config bad = aug;
        bad.max_shift = 1000.0f;
        CHECK(dp_trainer_set_augment(t, &bad) == DP_ERR_RANGE);
        dp_train_config now;
        dp_trainer_config(t, &now);
        CHECK(now.augment.enabled == (k < 2) &&
              now.augment.max_shift == (k < 2 ? aug.max_shift : 0));
        CHECK(dp_trainer_set_augment(t, NULL) == DP_OK);
        dp_trainer_config(t, &now);
        CHECK(!now.augment.enabled);
        dp_trainer_destroy(t);
    }
    CHECK(same_weights(m[0], m[1]));
    CHECK(!same_weights(m[0], m[2]));
    for (int k = 0; k < 3; k++) dp_mlp_destroy(m[k]);
    dp_dataset_free(&ds);
}

/* dp_evaluate_range in chunks adds up to dp_evaluate exactly; each
 * sample's prediction and probability are dp_mlp_forward's. */
static void test_evaluate_range(void) {
    dp_dataset ds;
    make_synthetic(&ds, 257, 29);
    dp_mlp *m = NULL;
    dp_train_fresh_network(&m, 784, 40, 10, 31);
    dp_eval whole, parts, before;
    CHECK(dp_evaluate(m, &ds, &whole) == DP_OK && whole.count == 257);
    memset(&parts, 0, sizeof parts);
    dp_eval_sample *per = calloc(ds.count, sizeof *per);
    const uint32_t cuts[] = {0, 1, 8, 100, 101, 257};
    for (int k = 0; k + 1 < 6; k++)
        CHECK(dp_evaluate_range(m, &ds, cuts[k], cuts[k + 1] - cuts[k], &parts, per + cuts[k]) ==
              DP_OK);
    CHECK(memcmp(&whole, &parts, sizeof whole) == 0);
    dp_workspace *ws;
    dp_workspace_create(&ws, m, 1);
    float x[784];
    int agree = 0, wrong = 0;
    for (uint32_t i = 0; i < ds.count; i++) {
        uint8_t y;
        dp_dataset_batch(&ds, &i, 1, x, &y);
        const float *P = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
        int pred = dp_argmax(P, 10);
        agree += per[i].label == y && per[i].predicted == pred && per[i].prob == P[pred];
        wrong += pred != y;
    }
    CHECK(agree == 257);
    CHECK(whole.count - whole.correct == (uint32_t)wrong && wrong > 0);
    before = parts;
    CHECK(dp_evaluate_range(m, &ds, 250, 8, &parts, NULL) == DP_ERR_ARG);
    CHECK(dp_evaluate_range(m, &ds, 258, 0, &parts, NULL) == DP_ERR_ARG);
    CHECK(dp_evaluate_range(m, &ds, 257, 0, &parts, NULL) == DP_OK);
    CHECK(memcmp(&before, &parts, sizeof parts) == 0);
    dp_workspace_destroy(ws);
    free(per);
    dp_mlp_destroy(m);
    dp_dataset_free(&ds);
}

/* The run's settings go into a model file's metadata and back. */
static void test_config_run(void) {
    dp_train_config c, back;
    dp_train_config_default(&c);
    c.lr = 0.07f;
    c.lr_min = 0.001f;
    c.schedule = DP_SCHEDULE_STEP;
    c.batch = 8;
    c.momentum = 0.5f;
    c.weight_decay = 1e-4f;
    c.epochs = 3;
    c.threads = 2;
    c.augment = dp_augment_default();
    dp_model_run r;
    dp_train_config_to_run(&c, &r);
    CHECK(r.known == 1 && r.batch == 8 && r.schedule == 2);
    dp_train_config_default(&back);
    back.seed = c.seed;
    dp_train_config_from_run(&back, &r);
    CHECK(memcmp(&back, &c, sizeof c) == 0);
    dp_mlp *a = NULL, *b = NULL;
    CHECK(dp_train_fresh_network(&a, 784, 16, 10, 77) == DP_OK);
    dp_mlp_create(&b, 784, 16, 10);
    dp_rng rng;
    dp_rng_seed(&rng, 77);
    dp_mlp_init_he(b, &rng);
    CHECK(same_weights(a, b));
    dp_mlp_destroy(a);
    dp_mlp_destroy(b);
    CHECK(dp_train_fresh_network(&a, 0, 16, 10, 1) == DP_ERR_SHAPE);
}

static void test_shape_mismatch(void) {
    dp_dataset ds;
    make_synthetic(&ds, 10, 1);
    dp_mlp *m;
    dp_mlp_create(&m, 100, 8, 10);
    dp_train_config c;
    dp_train_config_default(&c);
    dp_trainer *t = (dp_trainer *)&c;
    dp_error err = {0};
    CHECK(dp_trainer_create(&t, m, &ds, &c, &err) == DP_ERR_SHAPE && t == NULL);
    CHECK(strlen(err.msg) > 0);
    dp_eval e;
    CHECK(dp_evaluate(m, &ds, &e) == DP_ERR_SHAPE);
    dp_mlp_destroy(m);
    /* labels the network has no output for: refused up front, not trained on */
    dp_mlp_create(&m, 784, 8, 5);
    err.msg[0] = 0;
    CHECK(dp_trainer_create(&t, m, &ds, &c, &err) == DP_ERR_SHAPE && t == NULL);
    CHECKF(strstr(err.msg, "label") != NULL, "%s", err.msg);
    uint8_t max_label = 0;
    for (uint32_t i = 0; i < ds.count; i++)
        max_label = ds.labels[i] > max_label ? ds.labels[i] : max_label;
    CHECK(max_label >= 5); /* so the refusal above is about the labels */
    CHECK(dp_evaluate(m, &ds, &e) == DP_ERR_RANGE);
    dp_workspace *ws;
    dp_workspace_create(&ws, m, 1);
    float x[784] = {0};
    uint8_t y = 7;
    dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
    CHECK(isnan(dp_mlp_loss(ws, &y, 1)));
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    dp_dataset_free(&ds);
}

static void train_all(dp_mlp *m, const dp_dataset *ds, const dp_train_config *c,
                      dp_train_progress *p, int *batches) {
    dp_trainer *t = NULL;
    dp_error err = {0};
    CHECKF(dp_trainer_create(&t, m, ds, c, &err) == DP_OK, "%s", err.msg);
    *batches = 0;
    if (!t) return;
    int ran;
    while ((ran = dp_trainer_run(t, 4, p)) > 0) *batches += ran;
    dp_trainer_destroy(t);
}

/* A second set mixed into the batches: its classes are learned although
 * the main set has none of them; the epoch stays one pass over the main
 * set; share 0 is exactly training without it. */
static void test_extra_set(void) {
    dp_dataset main_ds, extra, all;
    make_classes(&main_ds, 300, 11, 0, 4);
    make_classes(&extra, 40, 12, 5, 9);
    make_synthetic(&all, 500, 13);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 3;
    c.batch = 32;
    c.threads = 1;
    dp_error err = {0};
    c.extra = &extra;
    c.extra_share = 0.95f;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG && strstr(err.msg, "extra share"));
    c.extra = NULL;
    c.extra_share = 0.25f;
    CHECK(dp_train_config_check(&c, &err) == DP_ERR_ARG);

    dp_mlp *m[3];
    dp_rng rng;
    for (int k = 0; k < 3; k++) {
        dp_mlp_create(&m[k], 784, 32, 10);
        dp_rng_seed(&rng, 5);
        dp_mlp_init_he(m[k], &rng);
    }
    dp_train_progress p;
    int batches;
    /* 0: no extra; 1: the extra set given with share 0; 2: share 0.25 */
    c.extra = NULL;
    c.extra_share = 0.0f;
    train_all(m[0], &main_ds, &c, &p, &batches);
    c.extra = &extra;
    train_all(m[1], &main_ds, &c, &p, &batches);
    CHECK(memcmp(m[0]->params, m[1]->params, m[0]->n_params * sizeof(float)) == 0);
    c.extra_share = 0.25f;
    train_all(m[2], &main_ds, &c, &p, &batches);
    /* 8 extra + 24 main rows per batch: ceil(300 / 24) = 13 batches an epoch */
    CHECKF(batches == 3 * 13 && p.samples_seen == 900 && p.epoch == 3, "%d batches, %llu seen",
           batches, (unsigned long long)p.samples_seen);
    dp_eval e0, e2, x2;
    dp_evaluate(m[0], &all, &e0);
    dp_evaluate(m[2], &all, &e2);
    dp_evaluate(m[2], &extra, &x2);
    printf("classes 0-9: %.3f trained on 0-4 only, %.3f with 5-9 as an extra set (%.3f on it)\n",
           dp_eval_accuracy(&e0), dp_eval_accuracy(&e2), dp_eval_accuracy(&x2));
    CHECK(dp_eval_accuracy(&e0) < 0.7);
    CHECK(dp_eval_accuracy(&e2) > 0.9 && dp_eval_accuracy(&x2) > 0.9);
    for (int k = 0; k < 3; k++) dp_mlp_destroy(m[k]);
    dp_dataset_free(&main_ds);
    dp_dataset_free(&extra);
    dp_dataset_free(&all);
}

/* The paper's network on real MNIST: one epoch with the defaults. */
static void test_mnist_one_epoch(void) {
    dp_dataset train, test;
    dp_error err = {0};
    const char *dir = dpt_mnist_dir();
    dp_status s = dp_mnist_load(dir, &train, &test, &err);
    CHECKF(s == DP_OK, "MNIST not readable in %s (set DIGITPAD_DATA or run scripts/get-mnist): %s",
           dir, err.msg);
    if (s != DP_OK) return;
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 1;
    dp_mlp *m;
    dp_mlp_create(&m, 784, 800, 10);
    dp_rng rng;
    dp_rng_seed(&rng, c.seed);
    dp_mlp_init_he(m, &rng);
    dp_trainer *t;
    CHECK(dp_trainer_create(&t, m, &train, &c, &err) == DP_OK);
    dp_train_progress p;
    while (dp_trainer_run(t, 100, &p) > 0) {
    }
    dp_eval e;
    CHECK(dp_evaluate(m, &test, &e) == DP_OK);
    double acc = dp_eval_accuracy(&e);
    printf("MNIST, 1 epoch (batch %d, lr %g, momentum %g): test accuracy %.2f%%, %.2f s, "
           "%.0f samples/s\n",
           c.batch, (double)c.lr, (double)c.momentum, 100 * acc, p.epoch_seconds,
           p.samples_per_sec);
    CHECKF(acc >= 0.96, "test accuracy %.4f < 0.96", acc);
    CHECK(e.count == 10000);
    dp_trainer_destroy(t);
    dp_mlp_destroy(m);
    dp_dataset_free(&train);
    dp_dataset_free(&test);
}

/* Whenever dp_trainer_run returns, the network holds every batch it ran:
 * after each run of one batch it equals the network before plus
 * dp_mlp_train_step on the batch the trainer says it trained on (runs of
 * three batches in between). */
static void test_run_leaves_network_whole(void) {
    dp_dataset ds;
    make_sparse_synthetic(&ds, 200, 19);
    dp_train_config c;
    dp_train_config_default(&c);
    c.epochs = 1;
    c.batch = 16;
    c.threads = 2;
    c.momentum = 0.0f;
    c.schedule = DP_SCHEDULE_CONSTANT;
    dp_mlp *m = NULL, *before = NULL, *ref = NULL;
    CHECK(dp_train_fresh_network(&m, 784, 64, 10, 5) == DP_OK);
    CHECK(dp_mlp_create(&before, 784, 64, 10) == DP_OK &&
          dp_mlp_create(&ref, 784, 64, 10) == DP_OK);
    dp_trainer *t;
    dp_error err = {0};
    dp_step *st = NULL;
    CHECK(dp_trainer_create(&t, m, &ds, &c, &err) == DP_OK);
    CHECK(dp_step_create(&st, m, c.batch) == DP_OK);
    dp_train_progress p;
    int runs = 0;
    do {
        const int batches = runs % 2 ? 3 : 1;
        CHECK(dp_mlp_copy(before, m) == DP_OK);
        int ran = dp_trainer_run(t, batches, &p);
        const float *X;
        const uint8_t *y;
        const int rows = dp_trainer_last_batch(t, &X, &y);
        if (ran == 1) { /* before + the last batch */
            CHECK(dp_mlp_copy(ref, before) == DP_OK);
            CHECK(dp_mlp_train_step(ref, st, X, y, rows, (dp_hyper){p.lr, 0.0f, 0.0f}, NULL,
                                    NULL) == DP_OK);
            CHECKF(same_weights(ref, m), "run %d: the network lacks its last batch", runs);
        }
        runs++;
    } while (!p.done);
    CHECK(runs > 4);
    dp_step_destroy(st);
    dp_trainer_destroy(t);
    dp_mlp_destroy(m);
    dp_mlp_destroy(before);
    dp_mlp_destroy(ref);
    dp_dataset_free(&ds);
}

int main(void) {
    test_config_checks();
    test_schedules();
    test_reproducible_and_learns();
    test_augmented_threads();
    test_layer1_paths();
    test_threads_bit_identical();
    test_window_run_equals_cli_run();
    test_run_leaves_network_whole();
    test_auto_threads();
    test_set_lr();
    test_set_augment();
    test_evaluate_range();
    test_config_run();
    test_shape_mismatch();
    test_extra_set();
    test_mnist_one_epoch();
    return dpt_finish();
}
