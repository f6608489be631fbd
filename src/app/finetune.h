/* Fine-tuning on a person's own digits, in a background thread: a copy of
 * the network is trained for one pass over MNIST with the person's training
 * drawings making up a set share of every batch (augmented), and the
 * held-out drawings and MNIST test are scored before and after
 * (docs/personal.md). The UI polls; the thread never touches UI state. */
#ifndef DIGITPAD_APP_FINETUNE_H
#define DIGITPAD_APP_FINETUNE_H

#include "digitpad/dataset.h"
#include "digitpad/mlp.h"

/* Share of each batch from the person's drawings, and passes over MNIST. */
#define FINETUNE_SHARE 0.25f
#define FINETUNE_EPOCHS 1
#define FINETUNE_LR 0.01f

typedef enum finetune_state { FINETUNE_RUNNING, FINETUNE_DONE, FINETUNE_FAILED } finetune_state;

typedef struct finetune_result {
    double heldout_before, heldout_after; /* accuracy on the held-out part */
    double mnist_before, mnist_after;     /* accuracy on MNIST test */
    uint32_t heldout_count, train_count;
} finetune_result;

typedef struct finetune finetune;

/* Start: copies m and the two parts of the personal set; reads MNIST from
 * data_dir in the thread. -1 (with msg) if it cannot start. */
int finetune_start(finetune **out, const dp_mlp *m, const dp_dataset *train,
                   const dp_dataset *heldout, const char *data_dir, char *msg, size_t n);
/* Non-blocking: the state; when DONE, the result and the new weights are
 * copied into res and m (same shape); when FAILED, msg says why. */
finetune_state finetune_poll(finetune *f, dp_mlp *m, finetune_result *res, char *msg, size_t n);
/* Stops the thread (within 64 batches), joins it and frees everything. */
void finetune_destroy(finetune *f);

#endif
