#include "trainer_thread.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digit_load.h"

/* Test-set evaluation runs in chunks of this many images, so a quit request
 * is seen quickly. */
#define EVAL_CHUNK 500
/* Threads of the training step while the mouse is idle. */
#define IDLE_THREADS 2

typedef enum step_result { STEP_CONTINUE, STEP_FINISHED, STEP_FAILED } step_result;

struct trainer_thread {
    trainer_options opt;
    char data_dir[1024];
    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;

    /* Shared with the UI, guarded by mu. */
    int want_run, want_stop, want_step, want_new_run;
    lab_settings want; /* settings for what comes next */
    int want_threads;
    dp_mlp *inbox; /* weights handed over by the UI */
    int inbox_pending;
    uint64_t inbox_gen;
    uint64_t cur_gen; /* generation the thread trains (valid if has_model) */
    int has_model;
    dp_mlp *snap; /* the newest published weights */
    uint64_t snap_version, snap_gen;
    train_view view;        /* the newest published progress */
    test_predictions preds; /* the newest published evaluation */
    const dp_dataset *test_published;

    /* Owned by the thread. */
    dp_dataset train, test;
    const dp_dataset *trp, *tep;
    dp_mlp *model;
    dp_trainer *tr; /* the current run's trainer, NULL between runs */
    train_view local;
    test_predictions local_preds;
    lab_settings cur; /* settings taken from `want` at the last batch */
    int cur_threads;
    double loss_sum;
    int loss_n;
    int run_active;
    int trained;       /* batches ran since the last published snapshot */
    uint64_t run_base; /* samples_seen when the current run started */
    uint32_t last_publish;
    int publish_due; /* step() decided that a snapshot follows its batch */
    /* The backward view of the batch before each publish: the weights
     * before that batch's step, and scratch for its forward/backward pass. */
    dp_mlp *pre;
    dp_workspace *back_ws;
    dp_mlp *back_grad;
};

const char *train_state_name(train_state s) {
    switch (s) {
    case TRAIN_IDLE:
        return "idle";
    case TRAIN_LOADING:
        return "loading";
    case TRAIN_RUNNING:
        return "training";
    case TRAIN_EVALUATING:
        return "evaluating";
    case TRAIN_PAUSED:
        return "paused";
    case TRAIN_DONE:
        return "done";
    case TRAIN_FAILED:
        return "failed";
    }
    return "?";
}

int train_state_busy(train_state s) {
    return s == TRAIN_LOADING || s == TRAIN_RUNNING || s == TRAIN_EVALUATING;
}

/* Copy src into *dst, reallocating if the shapes differ. */
static int copy_net(dp_mlp **dst, const dp_mlp *src) {
    if (*dst && dp_mlp_same_shape(*dst, src)) return dp_mlp_copy(*dst, src) == DP_OK ? 0 : -1;
    dp_mlp *n = NULL;
    if (dp_mlp_create(&n, src->n_in, src->n_hidden, src->n_out) != DP_OK) return -1;
    dp_mlp_copy(n, src);
    dp_mlp_destroy(*dst);
    *dst = n;
    return 0;
}

/* dst = src (allocating); 0 on success. */
static int copy_predictions(test_predictions *dst, const test_predictions *src) {
    if (dst->count != src->count) {
        test_predictions_free(dst);
        dst->digit = malloc(src->count);
        dst->prob = malloc((size_t)src->count * sizeof *dst->prob);
        if (!dst->digit || !dst->prob) {
            test_predictions_free(dst);
            return -1;
        }
        dst->count = src->count;
    }
    memcpy(dst->digit, src->digit, src->count);
    memcpy(dst->prob, src->prob, (size_t)src->count * sizeof *src->prob);
    dst->version = src->version;
    memcpy(dst->confusion, src->confusion, sizeof src->confusion);
    return 0;
}

/* Lock held. */
static void publish(trainer_thread *tt) {
    /* weights only when training changed them: the UI has the ones it handed in */
    if (tt->model && tt->trained && copy_net(&tt->snap, tt->model) == 0) {
        tt->snap_version++;
        tt->snap_gen = tt->cur_gen;
        tt->trained = 0;
    }
    tt->local.gen = tt->cur_gen;
    tt->local.version = tt->snap_version;
    tt->view = tt->local;
    tt->last_publish = SDL_GetTicks();
    if (tt->local_preds.version != tt->preds.version)
        copy_predictions(&tt->preds, &tt->local_preds);
    tt->test_published = tt->tep;
}

static void publish_locked(trainer_thread *tt) {
    SDL_LockMutex(tt->mu);
    publish(tt);
    SDL_UnlockMutex(tt->mu);
}

/* Ends the current run (its trainer goes: momentum, shuffle position and
 * schedule belong to it). The next batch starts a new run. */
static void end_run(trainer_thread *tt) {
    dp_trainer_destroy(tt->tr);
    tt->tr = NULL;
    tt->run_active = 0;
    tt->loss_sum = 0; /* the next plotted point averages the new run's losses only */
    tt->loss_n = 0;
}

/* Lock held: take over weights the UI handed in; they start a new run
 * (with momentum 0.9 the old run's next steps would add about 9x the old
 * network's last step to the new weights). */
static int adopt_inbox(trainer_thread *tt) {
    int changed = 0;
    if (tt->want_new_run) { /* R: the next batch starts a new run */
        tt->want_new_run = 0;
        end_run(tt);
        if (tt->local.state == TRAIN_PAUSED || tt->local.state == TRAIN_DONE)
            tt->local.state = TRAIN_IDLE;
        changed = 1;
    }
    if (!tt->inbox_pending) return changed;
    tt->inbox_pending = 0;
    end_run(tt);
    tt->local.back.valid = 0; /* the backward view is the new network's */
    if (copy_net(&tt->model, tt->inbox) != 0) return 1;
    tt->trained = 0; /* the old network's unpublished batches are gone with it */
    tt->cur_gen = tt->inbox_gen;
    tt->has_model = 1;
    return 1;
}

static void push_loss(train_view *v, float loss) {
    if (v->n_loss == TRAIN_LOSS_POINTS) { /* keep the whole history at half resolution */
        for (int i = 0; i < TRAIN_LOSS_POINTS / 2; i++)
            v->loss[i] = 0.5f * (v->loss[2 * i] + v->loss[2 * i + 1]);
        v->n_loss = TRAIN_LOSS_POINTS / 2;
        v->loss_every *= 2;
    }
    v->loss[v->n_loss++] = loss;
}

static void push_acc(train_view *v, int epoch, float acc) {
    if (v->n_acc == TRAIN_MAX_ACC) {
        memmove(v->acc, v->acc + 1, (TRAIN_MAX_ACC - 1) * sizeof v->acc[0]);
        memmove(v->acc_epoch, v->acc_epoch + 1, (TRAIN_MAX_ACC - 1) * sizeof v->acc_epoch[0]);
        v->n_acc--;
    }
    v->acc[v->n_acc] = acc;
    v->acc_epoch[v->n_acc] = epoch;
    v->n_acc++;
}

static int load_data(trainer_thread *tt) {
    if (tt->trp) return 0;
    if (tt->opt.train) {
        tt->trp = tt->opt.train;
        tt->tep = tt->opt.test;
        return 0;
    }
    tt->local.state = TRAIN_LOADING;
    snprintf(tt->local.msg, sizeof tt->local.msg, "loading MNIST from %.300s ...", tt->data_dir);
    publish_locked(tt);
    dp_error err = {0};
    if (dp_mnist_load(tt->data_dir, &tt->train, &tt->test, &err) != DP_OK) {
        tt->local.state = TRAIN_FAILED;
        const char *hint = mnist_load_hint(err.status);
        snprintf(tt->local.msg, sizeof tt->local.msg, "Cannot train: %.300s%s%.200s%s",
                 err.msg[0] ? err.msg : tt->data_dir, hint[0] ? " (" : "", hint,
                 hint[0] ? ")." : ".");
        return -1;
    }
    tt->trp = &tt->train;
    tt->tep = &tt->test;
    tt->local.msg[0] = '\0';
    return 0;
}

/* The core's evaluation of the test set in chunks, with every image's
 * prediction; stops early (returns -1) when the UI wants to quit. Fills
 * the view's confusion matrix and returns the accuracy. */
static float evaluate(trainer_thread *tt) {
    const dp_dataset *ds = tt->tep;
    test_predictions *p = &tt->local_preds;
    if (p->count != ds->count) {
        test_predictions_free(p);
        p->digit = malloc(ds->count);
        p->prob = malloc((size_t)ds->count * sizeof *p->prob);
        if (!p->digit || !p->prob) {
            test_predictions_free(p);
            return -1.0f;
        }
        p->count = ds->count;
    }
    dp_eval total;
    memset(&total, 0, sizeof total);
    dp_eval_sample chunk[EVAL_CHUNK];
    for (uint32_t at = 0; at < ds->count; at += EVAL_CHUNK) {
        SDL_LockMutex(tt->mu);
        int stop = tt->want_stop;
        SDL_UnlockMutex(tt->mu);
        if (stop) return -1.0f;
        uint32_t n = ds->count - at < EVAL_CHUNK ? ds->count - at : EVAL_CHUNK;
        if (dp_evaluate_range(tt->model, ds, at, n, &total, chunk) != DP_OK) return -1.0f;
        for (uint32_t i = 0; i < n; i++) {
            p->digit[at + i] = chunk[i].predicted;
            p->prob[at + i] = chunk[i].prob;
        }
    }
    p->version++;
    memcpy(p->confusion, total.confusion, sizeof total.confusion);
    memcpy(tt->local.confusion, total.confusion, sizeof total.confusion);
    tt->local.eval_version = p->version;
    return total.count ? (float)total.correct / (float)total.count : -1.0f;
}

/* A new run: one trainer for all its epochs, with the lab's settings. */
static int start_run(trainer_thread *tt, int threads) {
    tt->cur_threads = threads;
    dp_train_config cfg = lab_settings_train_config(&tt->cur, &tt->opt.cfg, tt->cur_threads);
    dp_error err = {0};
    if (dp_trainer_create(&tt->tr, tt->model, tt->trp, &cfg, &err) != DP_OK) {
        tt->local.state = TRAIN_FAILED;
        snprintf(tt->local.msg, sizeof tt->local.msg, "cannot train: %.300s", err.msg);
        return -1;
    }
    train_view *v = &tt->local;
    tt->run_active = 1;
    tt->run_base = v->samples_seen;
    v->run_id++;
    v->run_epoch = 0;
    v->run_epochs = cfg.epochs;
    tt->cur.hidden = tt->model->n_hidden; /* the run's network, whatever the panel says */
    v->settings = tt->cur;
    v->batch = cfg.batch;
    v->threads = tt->cur_threads;
    v->augment = tt->cur.augment;
    v->lr = dp_train_lr_at(&cfg, 0.0);
    v->pos = 0;
    v->epoch_size = tt->trp->count;
    v->n_loss = 0;
    v->loss_every = tt->opt.loss_every;
    v->n_acc = 0;
    tt->loss_sum = 0;
    tt->loss_n = 0;
    return 0;
}

/* Between batches: what the UI changed that applies now. Augmentation
 * only switches at an epoch's start. */
static void apply_live_settings(trainer_thread *tt, const lab_settings *want, int threads) {
    if (want->lr != tt->cur.lr && dp_trainer_set_lr(tt->tr, want->lr) == DP_OK) {
        tt->cur.lr = want->lr;
        tt->local.settings.lr = want->lr;
    }
    if (threads != tt->cur_threads && dp_trainer_set_threads(tt->tr, threads) == DP_OK) {
        tt->cur_threads = threads;
        tt->local.threads = threads;
    }
    dp_train_config c = lab_settings_train_config(want, &tt->opt.cfg, threads);
    if (want->augment != tt->cur.augment && tt->local.pos == 0 &&
        dp_trainer_set_augment(tt->tr, want->augment ? &c.augment : NULL) == DP_OK) {
        tt->cur.augment = want->augment;
        tt->local.augment = want->augment;
    }
}

static step_result finish_epoch(trainer_thread *tt) {
    tt->local.epochs_done++;
    tt->local.run_epoch++;
    if (tt->tep && tt->tep->count > 0) {
        tt->local.state = TRAIN_EVALUATING;
        publish_locked(tt);
        float acc = evaluate(tt);
        if (acc >= 0) push_acc(&tt->local, tt->local.run_epoch, acc);
    }
    if (tt->local.run_epoch >= tt->local.run_epochs) {
        tt->local.state = TRAIN_DONE; /* pos stays at the end of the last epoch */
        end_run(tt);
        return STEP_FINISHED;
    }
    tt->local.state = TRAIN_RUNNING;
    tt->local.pos = 0;
    return STEP_CONTINUE;
}

/* The backward view of the batch just trained from the weights it was
 * trained at (tt->pre); on failure the view is simply left out. */
static void record_backward(trainer_thread *tt, float lr) {
    const float *X;
    const uint8_t *y;
    int rows = dp_trainer_last_batch(tt->tr, &X, &y);
    if (rows <= 0 || !tt->pre) return;
    dp_workspace *ws = tt->back_ws;
    if (!ws || ws->max_rows < rows || ws->n_hidden != tt->pre->n_hidden ||
        ws->n_in != tt->pre->n_in || ws->n_out != tt->pre->n_out) {
        dp_workspace_destroy(tt->back_ws);
        tt->back_ws = NULL;
        if (dp_workspace_create(&tt->back_ws, tt->pre, rows) != DP_OK) return;
    }
    if (!tt->back_grad || !dp_mlp_same_shape(tt->back_grad, tt->pre)) {
        dp_mlp_destroy(tt->back_grad);
        tt->back_grad = NULL;
        if (dp_mlp_create(&tt->back_grad, tt->pre->n_in, tt->pre->n_hidden, tt->pre->n_out) !=
            DP_OK)
            return;
    }
    dp_backward_view v;
    if (dp_backward_view_compute(tt->pre, tt->back_ws, tt->back_grad, X, y, rows, lr, &v) == DP_OK)
        tt->local.back = v;
}

/* One batch (or the data loading before the first). want and threads are
 * the UI's wishes as of this batch. */
static step_result step(trainer_thread *tt, const lab_settings *want, int threads) {
    if (!tt->model) return STEP_FAILED;
    if (load_data(tt) != 0) return STEP_FAILED;
    if (!tt->run_active) {
        tt->cur = *want;
        if (start_run(tt, threads) != 0) return STEP_FAILED;
    } else {
        apply_live_settings(tt, want, threads);
    }
    tt->local.state = TRAIN_RUNNING;
    /* A snapshot follows this batch (decided before it, so the snapshot
     * always carries its backward view): keep the weights it starts from. */
    tt->publish_due = SDL_GetTicks() - tt->last_publish >= (uint32_t)tt->opt.publish_ms ||
                      !tt->local.back.valid; /* the first batch's view at once */
    int have_pre = tt->publish_due && copy_net(&tt->pre, tt->model) == 0;
    dp_train_progress p;
    int n = dp_trainer_run(tt->tr, 1, &p);
    dp_status st = dp_trainer_status(tt->tr);
    if (st != DP_OK) { /* not an epoch's end: stop, and say so */
        end_run(tt);
        tt->local.state = TRAIN_FAILED;
        snprintf(tt->local.msg, sizeof tt->local.msg, "training step failed: %s",
                 dp_status_str(st));
        return STEP_FAILED;
    }
    if (n > 0 && have_pre) record_backward(tt, p.lr);
    if (n > 0) {
        tt->trained = 1;
        tt->loss_sum += p.batch_loss;
        if (++tt->loss_n >= tt->local.loss_every) {
            push_loss(&tt->local, (float)(tt->loss_sum / tt->loss_n));
            tt->loss_sum = 0;
            tt->loss_n = 0;
        }
    }
    tt->local.samples_seen = tt->run_base + p.samples_seen;
    tt->local.pos = p.epoch_ended ? p.epoch_size : p.pos;
    tt->local.epoch_size = p.epoch_size;
    tt->local.batch_loss = p.batch_loss;
    tt->local.samples_per_sec = p.samples_per_sec;
    tt->local.lr = p.lr;
    if (p.epoch_ended || p.done || n == 0) return finish_epoch(tt);
    return STEP_CONTINUE;
}

static int thread_main(void *arg) {
    trainer_thread *tt = arg;
    /* The window's thread comes first when both want the CPU. */
    SDL_SetThreadPriority(SDL_THREAD_PRIORITY_LOW);
    SDL_LockMutex(tt->mu);
    for (;;) {
        if (adopt_inbox(tt)) publish(tt);
        if (tt->want_stop) break;
        if (!tt->want_run) {
            if (train_state_busy(tt->local.state)) {
                tt->local.state = tt->run_active ? TRAIN_PAUSED : TRAIN_IDLE;
                publish(tt);
            }
            SDL_CondWait(tt->cv, tt->mu);
            continue;
        }
        lab_settings want = tt->want;
        int threads = tt->want_threads;
        SDL_UnlockMutex(tt->mu);

        step_result r = step(tt, &want, threads);

        SDL_LockMutex(tt->mu);
        if (tt->want_step && r != STEP_FAILED) { /* Step: one batch, then pause */
            tt->want_step = 0;
            tt->want_run = 0;
            tt->local.steps_done++;
            if (r == STEP_CONTINUE) tt->local.state = TRAIN_PAUSED;
            publish(tt);
        } else if (r != STEP_CONTINUE) {
            tt->want_run = 0;
            tt->want_step = 0;
            publish(tt);
        } else if (tt->publish_due) {
            publish(tt);
        }
    }
    SDL_UnlockMutex(tt->mu);
    return 0;
}

int trainer_thread_create(trainer_thread **out, const trainer_options *opt) {
    *out = NULL;
    trainer_thread *tt = calloc(1, sizeof *tt);
    if (!tt) return -1;
    tt->opt = *opt;
    snprintf(tt->data_dir, sizeof tt->data_dir, "%s", opt->data_dir ? opt->data_dir : "");
    tt->opt.data_dir = tt->data_dir;
    if (tt->opt.publish_ms <= 0) tt->opt.publish_ms = 200;
    if (tt->opt.loss_every <= 0) tt->opt.loss_every = 10;
    lab_settings_from_config(&tt->want, &opt->cfg, opt->augment, 0);
    tt->want_threads = opt->threads > 0 ? opt->threads : IDLE_THREADS;
    tt->local.loss_every = tt->opt.loss_every;
    tt->local.augment = opt->augment;
    tt->local.batch = opt->cfg.batch;
    tt->local.run_epochs = opt->cfg.epochs;
    tt->local.settings = tt->want;
    tt->local.threads = tt->want_threads;
    tt->view = tt->local;
    tt->mu = SDL_CreateMutex();
    tt->cv = SDL_CreateCond();
    if (!tt->mu || !tt->cv) {
        trainer_thread_destroy(tt);
        return -1;
    }
    *out = tt;
    return 0;
}

void trainer_thread_destroy(trainer_thread *tt) {
    if (!tt) return;
    if (tt->thread) {
        SDL_LockMutex(tt->mu);
        tt->want_stop = 1;
        SDL_CondSignal(tt->cv);
        SDL_UnlockMutex(tt->mu);
        SDL_WaitThread(tt->thread, NULL);
    }
    dp_trainer_destroy(tt->tr);
    test_predictions_free(&tt->preds);
    test_predictions_free(&tt->local_preds);
    dp_mlp_destroy(tt->pre);
    dp_mlp_destroy(tt->back_grad);
    dp_workspace_destroy(tt->back_ws);
    dp_mlp_destroy(tt->model);
    dp_mlp_destroy(tt->inbox);
    dp_mlp_destroy(tt->snap);
    dp_dataset_free(&tt->train);
    dp_dataset_free(&tt->test);
    if (tt->cv) SDL_DestroyCond(tt->cv);
    if (tt->mu) SDL_DestroyMutex(tt->mu);
    free(tt);
}

/* Lock held. */
static void post_weights(trainer_thread *tt, const dp_mlp *m, uint64_t gen) {
    if (copy_net(&tt->inbox, m) != 0) return;
    tt->inbox_pending = 1;
    tt->inbox_gen = gen;
}

int trainer_thread_toggle(trainer_thread *tt, const dp_mlp *m, uint64_t gen) {
    if (!tt->thread) {
        tt->thread = SDL_CreateThread(thread_main, "digitpad-trainer", tt);
        if (!tt->thread) return -1;
    }
    SDL_LockMutex(tt->mu);
    int now;
    if (tt->want_run) {
        tt->want_run = 0;
        now = 0;
    } else {
        uint64_t have = tt->inbox_pending ? tt->inbox_gen : tt->cur_gen;
        if (!(tt->has_model || tt->inbox_pending) || have != gen) post_weights(tt, m, gen);
        tt->want_run = 1;
        now = 1;
    }
    SDL_CondSignal(tt->cv);
    SDL_UnlockMutex(tt->mu);
    return now;
}

void trainer_thread_set_weights(trainer_thread *tt, const dp_mlp *m, uint64_t gen) {
    SDL_LockMutex(tt->mu);
    if (tt->has_model || tt->inbox_pending) post_weights(tt, m, gen);
    SDL_UnlockMutex(tt->mu);
}

void trainer_thread_set_augment(trainer_thread *tt, int on) {
    SDL_LockMutex(tt->mu);
    tt->want.augment = on != 0;
    SDL_UnlockMutex(tt->mu);
}

void trainer_thread_set_settings(trainer_thread *tt, const lab_settings *s) {
    SDL_LockMutex(tt->mu);
    tt->want = *s;
    SDL_UnlockMutex(tt->mu);
}

void trainer_thread_set_threads(trainer_thread *tt, int threads) {
    SDL_LockMutex(tt->mu);
    tt->want_threads = threads > 0 ? threads : 1;
    SDL_UnlockMutex(tt->mu);
}

int trainer_thread_step(trainer_thread *tt, const dp_mlp *m, uint64_t gen) {
    SDL_LockMutex(tt->mu);
    tt->want_step = 1; /* the batch running now, or the next one, is the step */
    int running = tt->want_run;
    SDL_UnlockMutex(tt->mu);
    if (running) return 1;
    int r = trainer_thread_toggle(tt, m, gen);
    if (r < 0) {
        SDL_LockMutex(tt->mu);
        tt->want_step = 0;
        SDL_UnlockMutex(tt->mu);
    }
    return r;
}

void trainer_thread_reset(trainer_thread *tt, const dp_mlp *m, uint64_t gen) {
    SDL_LockMutex(tt->mu);
    post_weights(tt, m, gen);
    tt->want_new_run = 1;
    tt->want_run = 0;
    tt->want_step = 0;
    SDL_CondSignal(tt->cv);
    SDL_UnlockMutex(tt->mu);
}

void test_predictions_free(test_predictions *p) {
    free(p->digit);
    free(p->prob);
    p->digit = NULL;
    p->prob = NULL;
    p->count = 0;
}

int trainer_thread_poll_predictions(trainer_thread *tt, test_predictions *out) {
    if (SDL_TryLockMutex(tt->mu) != 0) return 0;
    int copied = tt->preds.count > 0 && tt->preds.version != out->version &&
                 copy_predictions(out, &tt->preds) == 0;
    SDL_UnlockMutex(tt->mu);
    return copied;
}

const dp_dataset *trainer_thread_test_set(trainer_thread *tt) {
    if (SDL_TryLockMutex(tt->mu) != 0) return NULL; /* next frame */
    const dp_dataset *d = tt->test_published;
    SDL_UnlockMutex(tt->mu);
    return d && d->count > 0 ? d : NULL;
}

int trainer_thread_poll(trainer_thread *tt, train_view *view, dp_mlp *m, uint64_t gen) {
    if (SDL_TryLockMutex(tt->mu) != 0) return 0;
    int copied = 0;
    uint64_t seen = view->version;
    *view = tt->view;
    if (tt->snap && tt->snap_version != seen && tt->snap_gen == gen &&
        dp_mlp_same_shape(tt->snap, m)) {
        dp_mlp_copy(m, tt->snap);
        copied = 1;
    }
    SDL_UnlockMutex(tt->mu);
    return copied;
}

void trainer_thread_view(trainer_thread *tt, train_view *view) {
    SDL_LockMutex(tt->mu);
    *view = tt->view;
    SDL_UnlockMutex(tt->mu);
}
