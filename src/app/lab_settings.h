/* The training lab's settings: the values a learner steps through in the
 * window (learning rate in log steps, batch size, momentum, hidden units of
 * a fresh network, augmentation, epochs per run, seed), and how they become
 * the core's training configuration. The learning rate applies from the
 * next batch; everything else from the next run (hidden units: from the
 * next fresh network, R). */
#ifndef DIGITPAD_APP_LAB_SETTINGS_H
#define DIGITPAD_APP_LAB_SETTINGS_H

#include <stdint.h>

#include "digitpad/train.h"

typedef enum lab_field {
    LAB_LR,
    LAB_BATCH,
    LAB_MOMENTUM,
    LAB_HIDDEN,
    LAB_AUGMENT,
    LAB_EPOCHS,
    LAB_SEED,
    LAB_NFIELDS
} lab_field;

typedef struct lab_settings {
    float lr;
    int batch;
    float momentum;
    int hidden;  /* of a fresh network */
    int augment; /* 0/1 */
    int epochs;  /* per run */
    uint64_t seed;
} lab_settings;

/* The settings the command line gave (cfg's lr, batch, momentum, epochs,
 * seed; augment and hidden separately). Values off the ladders are kept as
 * they are until stepped. */
void lab_settings_from_config(lab_settings *s, const dp_train_config *cfg, int augment, int hidden);
/* The run's training configuration: base (schedule, weight decay,
 * augmentation details) with the lab's values. With augmentation on and
 * base's augmentation off, the default distortions. threads as given. */
dp_train_config lab_settings_train_config(const lab_settings *s, const dp_train_config *base,
                                          int threads);
/* Step a field up (dir > 0) or down (dir < 0) along its ladder; the seed
 * counts by one, augmentation toggles. Returns 1 if the value changed. */
int lab_settings_step(lab_settings *s, lab_field f, int dir);
/* A new seed, different from the current one (N). */
void lab_settings_new_seed(lab_settings *s);

/* "learning rate", "batch", ... */
const char *lab_field_name(lab_field f);
/* The field's value as shown, e.g. "0.02", "64", "on". */
void lab_field_value(const lab_settings *s, lab_field f, char *out, size_t n);
/* When a change of f takes effect: "from the next batch" (learning rate),
 * "from the next epoch" (augmentation), "from the next run", ... */
const char *lab_field_applies(lab_field f);
/* One line of the settings, for legends: "lr 0.05 · batch 16 · mom 0.9 · 800 · aug off · seed 1".
 */
void lab_settings_describe(const lab_settings *s, char *out, size_t n);

#endif
