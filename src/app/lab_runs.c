#include "lab_runs.h"

#include <string.h>

static void take_view(lab_run *run, const train_view *v) {
    run->run_id = v->run_id;
    run->settings = v->settings;
    run->batch = v->batch;
    run->loss_every = v->loss_every;
    run->epoch_size = v->epoch_size;
    run->n_loss = v->n_loss;
    memcpy(run->loss, v->loss, (size_t)v->n_loss * sizeof v->loss[0]);
    run->n_acc = v->n_acc;
    memcpy(run->acc, v->acc, (size_t)v->n_acc * sizeof v->acc[0]);
    memcpy(run->acc_epoch, v->acc_epoch, (size_t)v->n_acc * sizeof v->acc_epoch[0]);
}

int lab_runs_update(lab_runs *r, const train_view *v) {
    int moved = 0;
    if (v->run_id != r->current.run_id && r->current.run_id != 0 && r->current.n_loss > 0) {
        memmove(r->past + 1, r->past, (LAB_MAX_RUNS - 1) * sizeof r->past[0]);
        r->past[0] = r->current;
        if (r->n_past < LAB_MAX_RUNS) r->n_past++;
        moved = 1;
    }
    if (v->run_id != 0) take_view(&r->current, v);
    return moved;
}
