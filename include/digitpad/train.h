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
#include "digitpad/model.h"
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
    int threads;        /* threads per training step, 1..DP_MAX_THREADS, or 0: one per online
                           core or one, whichever the trainer measures faster (train.c) */
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

/* The run's settings as a model file keeps them (dp_model_meta.run), and
 * back: from_run fills the fields the file keeps (lr, lr_min, schedule,
 * batch, momentum, weight decay, epochs, threads, augmentation) and leaves
 * the others (seed: meta.seed; layer1) as they are in cfg. */
void dp_train_config_to_run(const dp_train_config *cfg, dp_model_run *run);
void dp_train_config_from_run(dp_train_config *cfg, const dp_model_run *run);

/* The fresh network a run starts from: n_in-n_hidden-n_out, He-initialised
 * from a generator seeded with seed (the CLI and the window both start a
 * run this way, so the same seed gives the same run). */
dp_status dp_train_fresh_network(dp_mlp **out, int n_in, int n_hidden, int n_out, uint64_t seed);

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
    int threads;            /* threads the last batch ran on */
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
/* The batch the last training step ran on (augmented if augmentation is
 * on): *X (rows x n_in inputs in [0,1]) and *y (rows labels), valid until
 * the next dp_trainer_run or dp_trainer_destroy. Returns rows, 0 before
 * the first step. */
int dp_trainer_last_batch(const dp_trainer *t, const float **X, const uint8_t **y);

/* Changes between dp_trainer_run calls (never during one). The CLI's run is
 * dp_trainer_create then dp_trainer_run until done; a caller that changes
 * nothing gets exactly that run.
 *
 * A new base learning rate, in (0, 100): it applies from the next batch,
 * and the schedule keeps its shape relative to it (the cosine's final rate
 * lr_min is scaled by the same factor). DP_ERR_ARG if out of range. */
dp_status dp_trainer_set_lr(dp_trainer *t, float lr);
/* Augmentation from the next epoch on (an epoch under way keeps its own;
 * between epochs, from the one about to start). a == NULL or !a->enabled
 * turns it off. The augmenter is made now, so an invalid configuration
 * fails here (DP_ERR_RANGE, as dp_augmenter_create) and changes nothing.
 * Every augmented sample's distortion is drawn from the run's seed and the
 * sample's position in the run, so it does not depend on when or how often
 * augmentation was switched. */
dp_status dp_trainer_set_augment(dp_trainer *t, const dp_augment_config *a);
/* Threads of the training step from the next batch: 1..DP_MAX_THREADS, or
 * 0 for one per online core or one, whichever the trainer measures to be
 * faster now (re-measured every few seconds of training, so a core taken
 * by another program is noticed). Batches of one sample always run on one.
 * Switching between 1 and n starts or stops no thread. On
 * failure (DP_ERR_NOMEM) the trainer keeps its old thread count.
 * The weights do not depend on the thread count, or on changing it during
 * a run: any thread count gives the same result bit for bit (see
 * docs/performance.md). */
dp_status dp_trainer_set_threads(dp_trainer *t, int threads);
/* Threads the training step runs on now. */
int dp_trainer_threads(const dp_trainer *t);
/* The configuration as it is now: the one given to dp_trainer_create with
 * the changes above applied (augment: the one of the current epoch or, if
 * set, of the next). */
void dp_trainer_config(const dp_trainer *t, dp_train_config *cfg);

typedef struct dp_eval {
    uint32_t count, correct;
    double loss;                /* mean cross-entropy */
    double loss_sum;            /* summed cross-entropy, in sample order */
    uint32_t confusion[10][10]; /* [true][predicted] */
} dp_eval;

/* One evaluated sample. */
typedef struct dp_eval_sample {
    uint8_t label;     /* true digit */
    uint8_t predicted; /* argmax of the network's output */
    float prob;        /* the network's probability of predicted */
} dp_eval_sample;

/* Accuracy, loss and confusion matrix of m on ds (any number of samples).
 * DP_ERR_SHAPE if m does not take the images or has more than 10 outputs,
 * DP_ERR_RANGE if a label is not below m's number of outputs. One call of
 * dp_evaluate_range over all of ds. */
dp_status dp_evaluate(const dp_mlp *m, const dp_dataset *ds, dp_eval *out);
/* Evaluate samples [first, first + count) of ds and add them to acc (zero
 * it first, e.g. with memset), so a caller can evaluate in chunks and stop
 * between them. Each sample goes through dp_mlp_forward on its own, so the
 * result does not depend on how the samples are cut into chunks: chunks
 * that cover ds in order give exactly dp_evaluate's result. per_sample
 * (may be NULL) receives count entries, one per sample. DP_ERR_ARG if the
 * range is not inside ds; on an error acc is unchanged. */
dp_status dp_evaluate_range(const dp_mlp *m, const dp_dataset *ds, uint32_t first, uint32_t count,
                            dp_eval *acc, dp_eval_sample *per_sample);
double dp_eval_accuracy(const dp_eval *e);

#ifdef __cplusplus
}
#endif
#endif
