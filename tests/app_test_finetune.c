/* Fine-tuning in its thread (src/app/finetune.c): it trains a copy of the
 * network on MNIST with the personal drawings mixed in, scores the held-out
 * part and MNIST test before and after, hands the weights over only when
 * done, and reports missing data. Run under TSan too (scripts/run-tests). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digitpad/dataset.h"
#include "digitpad/mlp.h"
#include "finetune.h"
#include "testutil.h"

static finetune_state wait_done(finetune *f, dp_mlp *m, finetune_result *r, char *msg, size_t n) {
    finetune_state st = FINETUNE_RUNNING;
    for (int i = 0; i < 60000 && st == FINETUNE_RUNNING; i++) {
        st = finetune_poll(f, m, r, msg, n);
        if (st == FINETUNE_RUNNING) {
            struct timespec ts = {0, 10000000L};
            nanosleep(&ts, NULL);
        }
    }
    return st;
}

/* The first n test images from `from` as a small personal part. */
static void part(dp_dataset *dst, const dp_dataset *src, uint32_t from, uint32_t n) {
    *dst = *src;
    dst->images = src->images + (size_t)from * 784;
    dst->labels = src->labels + from;
    dst->count = n;
}

int main(void) {
    dp_dataset test;
    dp_error err = {0};
    const char *dir = dpt_mnist_dir();
    dp_status s = dp_mnist_load(dir, NULL, &test, &err);
    CHECKF(s == DP_OK, "MNIST not readable in %s: %s", dir, err.msg);
    if (s != DP_OK) return dpt_finish();
    dp_mlp *m = NULL, *before = NULL;
    dp_mlp_create(&m, 784, 32, 10);
    dp_mlp_create(&before, 784, 32, 10);
    dp_rng rng;
    dp_rng_seed(&rng, 3);
    dp_mlp_init_he(m, &rng);
    dp_mlp_copy(before, m);
    dp_dataset train, held;
    part(&train, &test, 0, 40);
    part(&held, &test, 40, 10);

    finetune *f = NULL;
    char msg[600] = "";
    CHECKF(finetune_start(&f, m, &train, &held, dir, msg, sizeof msg) == 0, "%s", msg);
    finetune_result r;
    memset(&r, 0, sizeof r);
    /* the UI's network is untouched while the thread works */
    CHECK(memcmp(m->params, before->params, m->n_params * sizeof(float)) == 0);
    finetune_state st = f ? wait_done(f, m, &r, msg, sizeof msg) : FINETUNE_FAILED;
    CHECKF(st == FINETUNE_DONE, "fine-tune: %s", msg);
    finetune_destroy(f);
    printf("fine-tune of a random 784-32-10: held-out %.2f -> %.2f (%u), MNIST test %.4f -> "
           "%.4f\n",
           r.heldout_before, r.heldout_after, r.heldout_count, r.mnist_before, r.mnist_after);
    CHECK(r.heldout_count == 10 && r.train_count == 40);
    CHECK(r.mnist_before >= 0 && r.mnist_before < 0.3 && r.mnist_after > 0.85);
    CHECK(r.heldout_after >= 0 && r.heldout_after <= 1);
    CHECK(memcmp(m->params, before->params, m->n_params * sizeof(float)) != 0);

    /* no MNIST: FAILED with a message, the network unchanged */
    dp_mlp_copy(before, m);
    f = NULL;
    CHECK(finetune_start(&f, m, &train, &held, "/nonexistent/mnist", msg, sizeof msg) == 0);
    msg[0] = '\0';
    st = f ? wait_done(f, m, &r, msg, sizeof msg) : FINETUNE_DONE;
    CHECKF(st == FINETUNE_FAILED && strstr(msg, "/nonexistent/mnist"), "%d %s", (int)st, msg);
    finetune_destroy(f);
    CHECK(memcmp(m->params, before->params, m->n_params * sizeof(float)) == 0);
    /* destroyed while running: stops early, the network unchanged */
    f = NULL;
    CHECK(finetune_start(&f, m, &train, &held, dir, msg, sizeof msg) == 0);
    finetune_destroy(f);
    CHECK(memcmp(m->params, before->params, m->n_params * sizeof(float)) == 0);
    dp_mlp_destroy(m);
    dp_mlp_destroy(before);
    dp_dataset_free(&test);
    return dpt_finish();
}
