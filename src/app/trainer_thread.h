/* Training in the background. The thread owns a private copy of the network
 * and runs the core's training loop on it a batch at a time; a few times a
 * second it publishes a snapshot (weights + progress + loss history) under a
 * mutex. The UI polls with a try-lock and copies the newest snapshot into its
 * own network, so it never waits for the trainer and never reads weights
 * while they are being written.
 *
 * A "run" is the lab settings' epochs started by T (or Step); T again pauses
 * and resumes it. A run is one dp_trainer from start to end, exactly as
 * `digitpad-cli train` runs it: momentum is kept, the learning rate follows
 * the schedule batch by batch, the data is reshuffled every epoch from the
 * run's seed. A new learning rate applies from the next batch, the
 * augmentation switch from the next epoch, the thread count (2 while the
 * mouse is idle, 1 while drawing) from the next batch; the other settings
 * from the next run. After each epoch the core's evaluation measures the
 * test set (stopped early on quit), and the thread publishes the confusion
 * matrix and every test image's predicted digit and probability. */
#ifndef DIGITPAD_APP_TRAINER_THREAD_H
#define DIGITPAD_APP_TRAINER_THREAD_H

#include <stdint.h>

#include "digitpad/dataset.h"
#include "digitpad/explain.h"
#include "digitpad/mlp.h"
#include "digitpad/train.h"
#include "lab_settings.h"

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
    dp_train_config cfg;     /* schedule, weight decay, augmentation details; and the
                                initial lr, batch, momentum, epochs, seed */
    int augment;             /* initial augmentation switch */
    int threads;             /* initial threads of the training step (0 = 2) */
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
    int threads; /* of the training step now */
    /* The current run (since T started it, or R/Step): */
    int run_id;            /* 0 before the first run, then 1, 2, ... */
    lab_settings settings; /* the run's settings (lr: the one in use now) */
    uint64_t steps_done;   /* single steps (Step) finished, over all runs */
    int n_acc;
    float acc[TRAIN_MAX_ACC];     /* test accuracy 0..1 after epoch acc_epoch[i] */
    int acc_epoch[TRAIN_MAX_ACC]; /* 1-based epoch numbers within the run */
    int n_loss;
    float loss[TRAIN_LOSS_POINTS]; /* mean batch loss per loss_every batches of the run */
    int loss_every;
    /* The last test evaluation (any run). */
    uint64_t eval_version;      /* increments with every finished evaluation */
    uint32_t confusion[10][10]; /* [true][predicted] */
    char msg[640];              /* loading/failure text */
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
/* The lab settings for what comes next (see the top of this file). */
void trainer_thread_set_settings(trainer_thread *tt, const lab_settings *s);
/* Threads of the training step, from the next batch. */
void trainer_thread_set_threads(trainer_thread *tt, int threads);
/* Step: train exactly one batch of the current run (starting one if none is
 * active, like T), then pause. Returns -1 if the thread cannot be started. */
int trainer_thread_step(trainer_thread *tt, const dp_mlp *m, uint64_t gen);
/* R: end the current run; the next T or Step trains m (of generation gen)
 * in a new run. */
void trainer_thread_reset(trainer_thread *tt, const dp_mlp *m, uint64_t gen);

/* Every test image's prediction of the last evaluation. */
typedef struct test_predictions {
    uint64_t version; /* train_view.eval_version it belongs to, 0 = none yet */
    uint32_t count;
    uint8_t *digit;             /* count predicted digits */
    float *prob;                /* count probabilities of the predicted digit */
    uint32_t confusion[10][10]; /* [true][predicted] counts */
} test_predictions;
/* Non-blocking: if a newer evaluation exists and the lock is free, copy its
 * predictions into *out (allocating). Returns 1 if copied. */
int trainer_thread_poll_predictions(trainer_thread *tt, test_predictions *out);
void test_predictions_free(test_predictions *p);
/* Non-blocking: the test set once it is loaded (it then stays unchanged
 * until trainer_thread_destroy), else (or if the lock is taken) NULL. */
const dp_dataset *trainer_thread_test_set(trainer_thread *tt);
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
