/* TEMPORARY: the core trainer API the lab needs (issue #13), until it lands
 * from the core: live learning rate, thread count and augmentation of a
 * running dp_trainer, and a ranged evaluation with per-sample predictions.
 * Replaced by the core's functions on merge. */
#ifndef DIGITPAD_APP_LAB_CORE_H
#define DIGITPAD_APP_LAB_CORE_H

#include "digitpad/train.h"

dp_status lab_trainer_set_lr(dp_trainer *t, float lr);
dp_status lab_trainer_set_threads(dp_trainer *t, int threads);
dp_status lab_trainer_set_augment(dp_trainer *t, int on);
/* Adds samples [from, to) of ds to *acc (count, correct, confusion; loss
 * as a running mean), and writes each sample's predicted digit and its
 * probability to digit[i - from], prob[i - from]. */
dp_status lab_evaluate_range(const dp_mlp *m, const dp_dataset *ds, uint32_t from, uint32_t to,
                             dp_eval *acc, uint8_t *digit, float *prob);

#endif
