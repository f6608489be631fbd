/* The loss plot's runs: the current run and the last LAB_MAX_RUNS before it,
 * each with its settings, loss curve and per-epoch test accuracies. */
#ifndef DIGITPAD_APP_LAB_RUNS_H
#define DIGITPAD_APP_LAB_RUNS_H

#include "lab_settings.h"
#include "trainer_thread.h"

#define LAB_MAX_RUNS 3

typedef struct lab_run {
    int run_id; /* 0 = none */
    lab_settings settings;
    int batch, loss_every;
    uint32_t epoch_size;
    int n_loss;
    float loss[TRAIN_LOSS_POINTS];
    int n_acc;
    float acc[TRAIN_MAX_ACC];
    int acc_epoch[TRAIN_MAX_ACC];
} lab_run;

typedef struct lab_runs {
    lab_run past[LAB_MAX_RUNS]; /* newest first */
    int n_past;
    lab_run current;
} lab_runs;

/* Follow the trainer's view: a new run id moves the current run (if it had
 * any loss points) to the past ones. Returns 1 if the past changed. */
int lab_runs_update(lab_runs *r, const train_view *v);

#endif
