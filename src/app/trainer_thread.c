#include "trainer_thread.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digit_load.h"

/* Test-set evaluation runs in chunks of this many images, so a quit request
 * is seen quickly; the buffers for one chunk are kept by the thread. */
#define EVAL_CHUNK 250

typedef enum step_result { STEP_CONTINUE, STEP_FINISHED, STEP_FAILED } step_result;

struct trainer_thread {
    trainer_options opt;
    char data_dir[1024];
    SDL_Thread *thread;
    SDL_mutex *mu;
    SDL_cond *cv;

    /* Shared with the UI, guarded by mu. */
    int want_run, want_stop, want_augment;
    dp_mlp *inbox; /* weights handed over by the UI */
    int inbox_pending;
    uint64_t inbox_gen;
    uint64_t cur_gen; /* generation the thread trains (valid if has_model) */
    int has_model;
    dp_mlp *snap; /* the newest published weights */
    uint64_t snap_version, snap_gen;
    train_view view; /* the newest published progress */

    /* Owned by the thread. */
    dp_dataset train, test;
    const dp_dataset *trp, *tep;
    dp_mlp *model;
    dp_trainer *tr;
    train_view local;
    double loss_sum;
    int loss_n;
    int run_active;
    uint64_t epoch_base; /* samples_seen when the current epoch started */
    uint32_t last_publish;
    dp_workspace *eval_ws; /* EVAL_CHUNK rows, the model's shape */
    float *eval_x;         /* EVAL_CHUNK x n_in pixels in [0,1] */
    uint8_t eval_y[EVAL_CHUNK];
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

/* Lock held. */
static void publish(trainer_thread *tt) {
    if (tt->model && copy_net(&tt->snap, tt->model) == 0) {
        tt->snap_version++;
        tt->snap_gen = tt->cur_gen;
    }
    tt->local.gen = tt->cur_gen;
    tt->local.version = tt->snap_version;
    tt->view = tt->local;
    tt->last_publish = SDL_GetTicks();
}

static void publish_locked(trainer_thread *tt) {
    SDL_LockMutex(tt->mu);
    publish(tt);
    SDL_UnlockMutex(tt->mu);
}

/* Lock held: take over weights the UI handed in. The dp_trainer goes too,
 * whatever the shape: its momentum, shuffle position and learning rate
 * belong to the old network (with momentum 0.9 the next steps would add
 * about 9x the old network's last step to the new weights). step() starts
 * a fresh epoch for the new network. */
static void adopt_inbox(trainer_thread *tt) {
    if (!tt->inbox_pending) return;
    tt->inbox_pending = 0;
    dp_trainer_destroy(tt->tr);
    tt->tr = NULL;
    tt->loss_sum = 0; /* the next plotted point averages the new network's losses only */
    tt->loss_n = 0;
    if (copy_net(&tt->model, tt->inbox) != 0) return;
    tt->cur_gen = tt->inbox_gen;
    tt->has_model = 1;
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

/* A workspace and input buffer for EVAL_CHUNK rows of the model's shape,
 * made again only when the shape changes. 0 on success. */
static int eval_buffers(trainer_thread *tt) {
    const dp_mlp *m = tt->model;
    dp_workspace *ws = tt->eval_ws;
    if (ws && ws->n_in == m->n_in && ws->n_hidden == m->n_hidden && ws->n_out == m->n_out) return 0;
    dp_workspace_destroy(tt->eval_ws);
    free(tt->eval_x);
    tt->eval_ws = NULL;
    tt->eval_x = malloc((size_t)EVAL_CHUNK * m->n_in * sizeof *tt->eval_x);
    if (!tt->eval_x || dp_workspace_create(&tt->eval_ws, m, EVAL_CHUNK) != DP_OK) {
        free(tt->eval_x);
        tt->eval_x = NULL;
        return -1;
    }
    return 0;
}

/* Fraction correct on the test set, in chunks; negative if stopped or
 * impossible (out of memory, images not of the network's input size). */
static float evaluate(trainer_thread *tt) {
    const dp_dataset *ds = tt->tep;
    const dp_mlp *m = tt->model;
    size_t px = (size_t)ds->rows * ds->cols;
    if (px != (size_t)m->n_in || eval_buffers(tt) != 0) return -1.0f;
    uint32_t correct = 0, count = 0;
    for (uint32_t at = 0; at < ds->count; at += EVAL_CHUNK) {
        SDL_LockMutex(tt->mu);
        int stop = tt->want_stop;
        SDL_UnlockMutex(tt->mu);
        if (stop) return -1.0f;
        dp_dataset part = *ds;
        part.count = ds->count - at < EVAL_CHUNK ? ds->count - at : EVAL_CHUNK;
        part.images = ds->images + (size_t)at * px;
        part.labels = ds->labels + at;
        int n = (int)part.count;
        dp_dataset_batch(&part, NULL, n, tt->eval_x, tt->eval_y);
        /* P: n x n_out class probabilities. */
        const float *P = dp_mlp_forward(m, tt->eval_ws, tt->eval_x, n, DP_BACKEND_BLAS);
        if (!P) return -1.0f;
        for (int r = 0; r < n; r++)
            correct += dp_argmax(P + (size_t)r * m->n_out, m->n_out) == tt->eval_y[r];
        count += (uint32_t)n;
    }
    return count ? (float)correct / (float)count : -1.0f;
}

static int start_epoch(trainer_thread *tt, int augment) {
    dp_train_config cfg = tt->opt.cfg;
    cfg.epochs = 1;
    cfg.schedule = DP_SCHEDULE_CONSTANT;
    cfg.lr = dp_train_lr_at(&tt->opt.cfg, tt->local.run_epoch + 0.5);
    cfg.lr_min = 0.0f;
    cfg.seed = tt->opt.cfg.seed + (uint64_t)tt->local.epochs_done;
    cfg.threads = 1; /* the other core is the window's: frames stay on time */
    if (augment) {
        if (!cfg.augment.enabled) cfg.augment = dp_augment_default();
        cfg.augment.enabled = 1;
    } else {
        cfg.augment = dp_augment_none();
    }
    dp_error err = {0};
    if (dp_trainer_create(&tt->tr, tt->model, tt->trp, &cfg, &err) != DP_OK) {
        tt->local.state = TRAIN_FAILED;
        snprintf(tt->local.msg, sizeof tt->local.msg, "cannot train: %.300s", err.msg);
        return -1;
    }
    tt->local.augment = augment;
    tt->local.lr = cfg.lr;
    return 0;
}

static step_result finish_epoch(trainer_thread *tt) {
    dp_trainer_destroy(tt->tr);
    tt->tr = NULL;
    tt->local.epochs_done++;
    tt->local.run_epoch++;
    if (tt->tep && tt->tep->count > 0) {
        tt->local.state = TRAIN_EVALUATING;
        publish_locked(tt);
        float acc = evaluate(tt);
        if (acc >= 0) push_acc(&tt->local, tt->local.epochs_done, acc);
    }
    if (tt->local.run_epoch >= tt->local.run_epochs) {
        tt->local.state = TRAIN_DONE; /* pos stays at the end of the last epoch */
        tt->run_active = 0;
        return STEP_FINISHED;
    }
    tt->local.state = TRAIN_RUNNING;
    tt->local.pos = 0;
    return STEP_CONTINUE;
}

/* One batch (or the data loading before the first). */
static step_result step(trainer_thread *tt, int augment) {
    if (!tt->model) return STEP_FAILED;
    if (load_data(tt) != 0) return STEP_FAILED;
    if (!tt->run_active) {
        tt->run_active = 1;
        tt->local.run_epoch = 0;
        tt->local.run_epochs = tt->opt.cfg.epochs;
    }
    tt->local.state = TRAIN_RUNNING;
    if (!tt->tr) {
        if (start_epoch(tt, augment) != 0) return STEP_FAILED;
        tt->epoch_base = tt->local.samples_seen;
    }
    dp_train_progress p;
    int n = dp_trainer_run(tt->tr, 1, &p);
    dp_status st = dp_trainer_status(tt->tr);
    if (st != DP_OK) { /* not an epoch's end: stop, and say so */
        dp_trainer_destroy(tt->tr);
        tt->tr = NULL;
        tt->run_active = 0;
        tt->local.state = TRAIN_FAILED;
        snprintf(tt->local.msg, sizeof tt->local.msg, "training step failed: %s",
                 dp_status_str(st));
        return STEP_FAILED;
    }
    if (n > 0) {
        tt->loss_sum += p.batch_loss;
        if (++tt->loss_n >= tt->local.loss_every) {
            push_loss(&tt->local, (float)(tt->loss_sum / tt->loss_n));
            tt->loss_sum = 0;
            tt->loss_n = 0;
        }
    }
    /* Each epoch has its own dp_trainer, so its counters are per epoch. */
    tt->local.samples_seen = tt->epoch_base + p.samples_seen;
    tt->local.pos = p.epoch_ended ? p.epoch_size : p.pos;
    tt->local.epoch_size = p.epoch_size;
    tt->local.batch_loss = p.batch_loss;
    tt->local.samples_per_sec = p.samples_per_sec;
    if (p.epoch_ended || p.done || n == 0) return finish_epoch(tt);
    return STEP_CONTINUE;
}

static int thread_main(void *arg) {
    trainer_thread *tt = arg;
    /* The window's thread comes first when both want the CPU. */
    SDL_SetThreadPriority(SDL_THREAD_PRIORITY_LOW);
    SDL_LockMutex(tt->mu);
    for (;;) {
        while (!tt->want_run && !tt->want_stop) {
            if (train_state_busy(tt->local.state)) {
                tt->local.state = tt->run_active ? TRAIN_PAUSED : TRAIN_IDLE;
                publish(tt);
            }
            SDL_CondWait(tt->cv, tt->mu);
        }
        if (tt->want_stop) break;
        adopt_inbox(tt);
        tt->local.batch = tt->opt.cfg.batch;
        int augment = tt->want_augment;
        SDL_UnlockMutex(tt->mu);

        step_result r = step(tt, augment);

        SDL_LockMutex(tt->mu);
        if (r != STEP_CONTINUE) {
            tt->want_run = 0;
            publish(tt);
        } else if (SDL_GetTicks() - tt->last_publish >= (uint32_t)tt->opt.publish_ms) {
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
    tt->want_augment = opt->augment;
    tt->local.loss_every = tt->opt.loss_every;
    tt->local.augment = opt->augment;
    tt->local.batch = opt->cfg.batch;
    tt->local.run_epochs = opt->cfg.epochs;
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
    dp_workspace_destroy(tt->eval_ws);
    free(tt->eval_x);
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
    tt->want_augment = on;
    SDL_UnlockMutex(tt->mu);
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
