#include "finetune.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/train.h"

struct finetune {
    pthread_t thread;
    pthread_mutex_t lock;
    dp_mlp *m;                 /* the thread's copy */
    dp_dataset train, heldout; /* copies */
    char data_dir[1024];
    finetune_state state; /* under lock */
    int stop;             /* under lock: finetune_destroy wants the thread to end */
    finetune_result res;  /* under lock once DONE */
    char msg[600];        /* under lock */
};

static int copy_set(dp_dataset *dst, const dp_dataset *src) {
    memset(dst, 0, sizeof *dst);
    size_t px = (size_t)src->rows * src->cols * src->count;
    dst->images = malloc(px ? px : 1);
    dst->labels = malloc(src->count ? src->count : 1);
    if (!dst->images || !dst->labels) {
        dp_dataset_free(dst);
        return -1;
    }
    if (px) memcpy(dst->images, src->images, px);
    if (src->count) memcpy(dst->labels, src->labels, src->count);
    dst->count = src->count;
    dst->rows = src->rows;
    dst->cols = src->cols;
    return 0;
}

static double accuracy(const dp_mlp *m, const dp_dataset *ds) {
    dp_eval e;
    if (ds->count == 0 || dp_evaluate(m, ds, &e) != DP_OK) return -1.0;
    return dp_eval_accuracy(&e);
}

static void finish(finetune *f, finetune_state st, const finetune_result *res, const char *msg) {
    pthread_mutex_lock(&f->lock);
    if (res) f->res = *res;
    if (msg) snprintf(f->msg, sizeof f->msg, "%s", msg);
    f->state = st;
    pthread_mutex_unlock(&f->lock);
}

static void *run(void *arg) {
    finetune *f = arg;
    dp_dataset mnist, test;
    dp_error err = {0};
    if (dp_mnist_load(f->data_dir, &mnist, &test, &err) != DP_OK) {
        finish(f, FINETUNE_FAILED, NULL, err.msg);
        return NULL;
    }
    finetune_result r;
    memset(&r, 0, sizeof r);
    r.train_count = f->train.count;
    r.heldout_count = f->heldout.count;
    r.heldout_before = accuracy(f->m, &f->heldout);
    r.mnist_before = accuracy(f->m, &test);
    dp_train_config cfg;
    dp_train_config_default(&cfg);
    cfg.epochs = FINETUNE_EPOCHS;
    cfg.lr = FINETUNE_LR;
    cfg.threads = 1; /* the UI keeps the other core */
    cfg.augment = dp_augment_default();
    cfg.extra = &f->train;
    cfg.extra_share = FINETUNE_SHARE;
    dp_trainer *t = NULL;
    if (dp_trainer_create(&t, f->m, &mnist, &cfg, &err) != DP_OK) {
        finish(f, FINETUNE_FAILED, NULL, err.msg);
    } else {
        dp_train_progress p;
        int stop = 0;
        while (!stop && dp_trainer_run(t, 64, &p) > 0) {
            pthread_mutex_lock(&f->lock);
            stop = f->stop;
            pthread_mutex_unlock(&f->lock);
        }
        dp_status st = dp_trainer_status(t);
        dp_trainer_destroy(t);
        if (stop) {
            finish(f, FINETUNE_FAILED, NULL, "cancelled");
        } else if (st != DP_OK) {
            finish(f, FINETUNE_FAILED, NULL, dp_status_str(st));
        } else {
            r.heldout_after = accuracy(f->m, &f->heldout);
            r.mnist_after = accuracy(f->m, &test);
            finish(f, FINETUNE_DONE, &r, NULL);
        }
    }
    dp_dataset_free(&mnist);
    dp_dataset_free(&test);
    return NULL;
}

int finetune_start(finetune **out, const dp_mlp *m, const dp_dataset *train,
                   const dp_dataset *heldout, const char *data_dir, char *msg, size_t n) {
    *out = NULL;
    finetune *f = calloc(1, sizeof *f);
    if (!f || dp_mlp_create(&f->m, m->n_in, m->n_hidden, m->n_out) != DP_OK ||
        dp_mlp_copy(f->m, m) != DP_OK || copy_set(&f->train, train) != 0 ||
        copy_set(&f->heldout, heldout) != 0) {
        if (f) {
            dp_mlp_destroy(f->m);
            dp_dataset_free(&f->train);
            dp_dataset_free(&f->heldout);
            free(f);
        }
        snprintf(msg, n, "out of memory");
        return -1;
    }
    snprintf(f->data_dir, sizeof f->data_dir, "%s", data_dir);
    f->state = FINETUNE_RUNNING;
    pthread_mutex_init(&f->lock, NULL);
    if (pthread_create(&f->thread, NULL, run, f) != 0) {
        pthread_mutex_destroy(&f->lock);
        dp_mlp_destroy(f->m);
        dp_dataset_free(&f->train);
        dp_dataset_free(&f->heldout);
        free(f);
        snprintf(msg, n, "cannot start a thread");
        return -1;
    }
    *out = f;
    return 0;
}

finetune_state finetune_poll(finetune *f, dp_mlp *m, finetune_result *res, char *msg, size_t n) {
    if (pthread_mutex_trylock(&f->lock) != 0) return FINETUNE_RUNNING;
    finetune_state st = f->state;
    if (st == FINETUNE_DONE) {
        *res = f->res;
        dp_mlp_copy(m, f->m); /* the thread no longer writes it */
    } else if (st == FINETUNE_FAILED) {
        snprintf(msg, n, "%s", f->msg);
    }
    pthread_mutex_unlock(&f->lock);
    return st;
}

void finetune_destroy(finetune *f) {
    if (!f) return;
    pthread_mutex_lock(&f->lock);
    f->stop = 1;
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->lock);
    dp_mlp_destroy(f->m);
    dp_dataset_free(&f->train);
    dp_dataset_free(&f->heldout);
    free(f);
}
