/* The training loop shared by the CLI and the window: mini-batch SGD over a
 * dataset, reshuffled every epoch, with optional momentum, weight decay,
 * learning-rate schedule and augmentation. It runs in small slices
 * (dp_trainer_run) so a caller can draw a progress bar, evaluate after each
 * epoch, or pause it from another thread between slices. */
#ifndef DIGITPAD_TRAIN_H
#define DIGITPAD_TRAIN_H

#include <stdint.h>

#include "digitpad/augment.h"
#include "digitpad/dataset.h"
#include "digitpad/mlp.h"
#include "digitpad/status.h"
#include "digitpad/step.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dp_schedule {
    DP_SCHEDULE_CONSTANT = 0, /* lr throughout */
    DP_SCHEDULE_COSINE = 1,   /* lr -> lr_min along half a cosine over all epochs */
    DP_SCHEDULE_STEP = 2      /* lr * 0.1 after 50% and again after 75% of the epochs */
} dp_schedule;

typedef struct dp_train_config {
    int epochs;   /* >= 1 */
    int batch;    /* >= 1; 1 is the paper's per-sample SGD */
    float lr;     /* learning rate eta */
    float lr_min; /* for the cosine schedule */
    dp_schedule schedule;
    float momentum;     /* 0 disables momentum */
    float weight_decay; /* L2 on weights, 0 disables */
    uint64_t seed;      /* shuffling and augmentation */
    int threads;        /* threads per training step, 0..DP_MAX_THREADS; 0 = one per online core */
    dp_layer1 layer1;   /* layer-1 path of the step (default DP_LAYER1_AUTO) */
    dp_augment_config augment;
    /* Optional second set mixed into every batch (e.g. pen drawings or a
     * person's own digits): extra_share of each batch's rows (rounded) are
     * drawn from it at random, augmented like the rest; the epoch is still
     * one pass over the main set. NULL / 0 = none, and then training is
     * exactly what it is without these fields. */
    const dp_dataset *extra;
    float extra_share; /* 0 .. DP_TRAIN_MAX_EXTRA_SHARE */
} dp_train_config;

/* Largest extra_share (at least one main row per batch of 10 or more). */
#define DP_TRAIN_MAX_EXTRA_SHARE 0.9f

/* Defaults: batch 64, lr 0.05, momentum 0.9, cosine to 0, no weight decay,
 * no augmentation, 5 epochs, seed 1. */
void dp_train_config_default(dp_train_config *cfg);
/* DP_OK or DP_ERR_ARG with a message saying which value is wrong. */
dp_status dp_train_config_check(const dp_train_config *cfg, dp_error *err);
/* Learning rate for a given (fractional) epoch position. */
float dp_train_lr_at(const dp_train_config *cfg, double epoch_pos);

typedef struct dp_train_progress {
    int epoch; /* current epoch, 0-based (== epochs when done) */
    int epochs;
    uint32_t pos;           /* samples done in the current epoch */
    uint32_t epoch_size;    /* samples per epoch */
    uint64_t steps;         /* batches done in total */
    uint64_t samples_seen;  /* samples done in total */
    double batch_loss;      /* mean loss of the last batch */
    double epoch_loss;      /* mean loss over the current (or just ended) epoch */
    float lr;               /* learning rate of the last batch */
    double samples_per_sec; /* over the current (or just ended) epoch */
    double epoch_seconds;   /* time spent in the current (or just ended) epoch */
    int epoch_ended;        /* the last dp_trainer_run call finished an epoch */
    int done;               /* all epochs finished */
} dp_train_progress;

typedef struct dp_trainer dp_trainer;

/* The trainer updates m in place; m and train must outlive it. Every label
 * must be below m's number of outputs (else DP_ERR_SHAPE). It sets the
 * BLAS to one thread (dp_blas_set_threads(1)): the training step runs its
 * own threads (cfg->threads). */
dp_status dp_trainer_create(dp_trainer **out, dp_mlp *m, const dp_dataset *train,
                            const dp_train_config *cfg, dp_error *err);
void dp_trainer_destroy(dp_trainer *t);
/* Run up to max_batches batches, stopping early at the end of an epoch.
 * Returns the number of batches run and fills p (if non-NULL). */
int dp_trainer_run(dp_trainer *t, int max_batches, dp_train_progress *p);
void dp_trainer_progress(const dp_trainer *t, dp_train_progress *p);
/* DP_OK, or the error that stopped training (dp_trainer_run then runs no
 * more batches). */
dp_status dp_trainer_status(const dp_trainer *t);

typedef struct dp_eval {
    uint32_t count, correct;
    double loss;                /* mean cross-entropy */
    uint32_t confusion[10][10]; /* [true][predicted] */
} dp_eval;

/* Accuracy, loss and confusion matrix of m on ds (any number of samples).
 * DP_ERR_SHAPE if m does not take the images or has more than 10 outputs,
 * DP_ERR_RANGE if a label is not below m's number of outputs. */
dp_status dp_evaluate(const dp_mlp *m, const dp_dataset *ds, dp_eval *out);
double dp_eval_accuracy(const dp_eval *e);

#ifdef __cplusplus
}
#endif
#endif
