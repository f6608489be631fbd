/* Training in the background. The thread owns a private copy of the network
 * and runs the core's training loop on it a batch at a time; a few times a
 * second it publishes a snapshot (weights + progress + loss history) under a
 * mutex. The UI polls with a try-lock and copies the newest snapshot into its
 * own network, so it never waits for the trainer and never reads weights
 * while they are being written.
 *
 * A "run" is cfg.epochs epochs started by T; T again pauses and resumes it.
 * Each epoch uses a fresh dp_trainer (reshuffled with seed + epoch, constant
 * learning rate taken from cfg's schedule at the epoch's midpoint), so the
 * augmentation switch takes effect from the next epoch. After each epoch the
 * thread measures test accuracy. */
#ifndef DIGITPAD_APP_TRAINER_THREAD_H
#define DIGITPAD_APP_TRAINER_THREAD_H

#include <stdint.h>

#include "digitpad/dataset.h"
#include "digitpad/explain.h"
#include "digitpad/mlp.h"
#include "digitpad/train.h"

#define TRAIN_LOSS_POINTS 512
#define TRAIN_MAX_ACC 64

typedef enum train_state {
    TRAIN_IDLE,       /* never started */
    TRAIN_LOADING,    /* reading MNIST */
    TRAIN_RUNNING,    /* running batches */
    TRAIN_EVALUATING, /* measuring test accuracy after an epoch */
    TRAIN_PAUSED,     /* a run is in progress but paused */
    TRAIN_DONE,       /* the run finished all its epochs */
    TRAIN_FAILED      /* data missing or unusable; msg says why */
} train_state;

typedef struct trainer_options {
    const char *data_dir;    /* MNIST directory (copied) */
    const dp_dataset *train; /* if set, used instead of loading MNIST (borrowed) */
    const dp_dataset *test;  /* optional with train */
    dp_train_config cfg;     /* epochs per run, batch, lr schedule, seed, augment */
    int augment;             /* initial augmentation switch */
    int publish_ms;          /* snapshot interval */
    int loss_every;          /* batches per loss point at the start */
} trainer_options;

/* What the UI sees of the trainer. */
typedef struct train_view {
    train_state state;
    int epochs_done;           /* epochs finished since the program started */
    int run_epoch, run_epochs; /* position in the current run */
    uint32_t pos, epoch_size;
    uint64_t samples_seen; /* since the program started */
    double batch_loss, samples_per_sec;
    float lr;
    int augment; /* augmentation in the current epoch */
    int batch;
    int n_acc;
    float acc[TRAIN_MAX_ACC];     /* test accuracy 0..1 after epoch acc_epoch[i] */
    int acc_epoch[TRAIN_MAX_ACC]; /* 1-based epoch numbers */
    int n_loss;
    float loss[TRAIN_LOSS_POINTS]; /* mean batch loss per loss_every batches */
    int loss_every;
    char msg[640]; /* loading/failure text */
    /* The backward pass of a batch trained shortly before this snapshot,
     * at the weights it was trained at (for the equations panel). */
    dp_backward_view back;
    uint64_t gen;     /* model generation being trained */
    uint64_t version; /* increments with every published snapshot */
} train_view;

typedef struct trainer_thread trainer_thread;

int trainer_thread_create(trainer_thread **out, const trainer_options *opt);
/* Stops and joins the thread, frees everything. */
void trainer_thread_destroy(trainer_thread *tt);
/* T: start or resume (returns 1) or pause (returns 0). On start, m (of
 * generation gen) is handed to the trainer unless it already works on gen.
 * Returns -1 if the thread cannot be started. */
int trainer_thread_toggle(trainer_thread *tt, const dp_mlp *m, uint64_t gen);
/* A new model was loaded in the UI: train that from now on. */
void trainer_thread_set_weights(trainer_thread *tt, const dp_mlp *m, uint64_t gen);
void trainer_thread_set_augment(trainer_thread *tt, int on);
/* Non-blocking: if the lock is free, copy the published view into *view and,
 * if a newer snapshot of generation gen exists, its weights into m.
 * Returns 1 if weights were copied, 0 otherwise. */
int trainer_thread_poll(trainer_thread *tt, train_view *view, dp_mlp *m, uint64_t gen);
/* Blocking version of poll's view copy (tests). */
void trainer_thread_view(trainer_thread *tt, train_view *view);

const char *train_state_name(train_state s);
/* Training is active (uses the CPU) in this state. */
int train_state_busy(train_state s);

#endif
