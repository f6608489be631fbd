#include "own_digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

/* "0:2 1:3 ... 9:0" */
static void counts_text(const dp_personal *p, char *out, size_t n) {
    uint32_t c[10];
    dp_personal_counts(p, c);
    size_t k = 0;
    for (int d = 0; d < 10 && k < n; d++)
        k += (size_t)snprintf(out + k, n - k, "%s%d:%u", d ? " " : "", d, c[d]);
}

void own_digits_open(app *a) {
    own_digits *o = &a->own;
    char dir[4096];
    dp_error err = {0};
    if (dp_personal_default_dir(getenv("XDG_DATA_HOME"), getenv("HOME"), dir, sizeof dir, &err) !=
            DP_OK ||
        dp_personal_open(&o->set, dir, &err) != DP_OK) {
        app_log(a, "personal none (%s)", err.msg);
        return;
    }
    o->open = 1;
    char counts[128];
    counts_text(&o->set, counts, sizeof counts);
    app_log(a, "personal %s count %u heldout %u counts %s", dir, dp_personal_count(&o->set),
            o->set.heldout.count, counts);
}

void own_digits_close(app *a) {
    finetune_destroy(a->own.ft);
    a->own.ft = NULL;
    dp_personal_close(&a->own.set);
    own_strokes *r = &a->own.strokes;
    free(r->xy);
    free(r->n_points);
    free(r->erase);
    memset(r, 0, sizeof *r);
}

/* Beyond these a drawing's strokes are not recorded further (the set keeps
 * at most DP_PEN_MAX_STROKES of DP_PEN_MAX_POINTS anyway). */
#define MAX_RECORDED_POINTS 65536
#define MAX_RECORDED_STROKES 256

void own_digits_stroke_begin(app *a, int erase) {
    own_strokes *r = &a->own.strokes;
    if (r->n_strokes >= MAX_RECORDED_STROKES) return;
    if (r->n_strokes == r->cap_strokes) {
        int cap = r->cap_strokes ? 2 * r->cap_strokes : 16;
        int *np = realloc(r->n_points, (size_t)cap * sizeof *np);
        if (np) r->n_points = np;
        unsigned char *er = realloc(r->erase, (size_t)cap);
        if (er) r->erase = er;
        if (!np || !er) return;
        r->cap_strokes = cap;
    }
    r->n_points[r->n_strokes] = 0;
    r->erase[r->n_strokes] = (unsigned char)(erase != 0);
    r->n_strokes++;
}

void own_digits_stroke_point(app *a, float cx, float cy) {
    own_strokes *r = &a->own.strokes;
    if (r->n_strokes == 0 || r->n_total >= MAX_RECORDED_POINTS) return;
    if (r->n_total == r->cap_points) {
        int cap = r->cap_points ? 2 * r->cap_points : 1024;
        float *xy = realloc(r->xy, 2 * (size_t)cap * sizeof *xy);
        if (!xy) return;
        r->xy = xy;
        r->cap_points = cap;
    }
    r->xy[2 * r->n_total] = cx;
    r->xy[2 * r->n_total + 1] = cy;
    r->n_total++;
    r->n_points[r->n_strokes - 1]++;
}

void own_digits_strokes_clear(app *a) {
    a->own.strokes.n_strokes = 0;
    a->own.strokes.n_total = 0;
}

void own_digits_label_begin(app *a) {
    own_digits *o = &a->own;
    if (!o->open) {
        app_status(a, 1,
                   "no personal set: cannot create it under $XDG_DATA_HOME or ~/.local/share");
        return;
    }
    if (!a->pred.valid) {
        app_status(a, 1, "draw a digit first, then Enter and its digit");
        return;
    }
    o->labelling = 1;
    app_status(a, 0, "label this drawing: press its digit 0-9 (Esc cancels)");
}

int own_digits_cancel(app *a) {
    if (!a->own.labelling) return 0;
    a->own.labelling = 0;
    app_status(a, 0, "labelling cancelled");
    return 1;
}

int own_digits_label(app *a, int digit) {
    own_digits *o = &a->own;
    if (!o->labelling) return 0;
    o->labelling = 0;
    if (!a->pred.valid) {
        app_status(a, 1, "the canvas is empty: nothing labelled");
        return 1;
    }
    int held = 0;
    dp_error err = {0};
    /* the canvas as drawn, what the network saw (preprocessing on), the strokes */
    float input[DP_MNIST_PIXELS];
    const own_strokes *r = &o->strokes;
    dp_drawn_strokes strokes = {r->n_strokes, r->n_points, r->xy, r->erase, a->canvas->w};
    if (predict_input(a->canvas, 1, input) != 0 ||
        dp_personal_add(&o->set, a->canvas->cells, input, digit, &strokes, &held, &err) != DP_OK) {
        app_status(a, 1, "cannot label: %s", err.msg[0] ? err.msg : "no digit on the canvas");
        return 1;
    }
    char counts[128];
    counts_text(&o->set, counts, sizeof counts);
    app_status(a, 0, "labelled %d%s: %u drawings (%u held out)  %s  (U undoes)", digit,
               held ? ", held out" : "", dp_personal_count(&o->set), o->set.heldout.count, counts);
    app_log(a, "label %d count %u heldout %u counts %s", digit, dp_personal_count(&o->set),
            o->set.heldout.count, counts);
    app_clear(a);
    return 1;
}

void own_digits_undo(app *a) {
    own_digits *o = &a->own;
    if (!o->open) return;
    int label = -1;
    dp_error err = {0};
    if (dp_personal_undo(&o->set, &label, &err) != DP_OK) {
        app_status(a, err.status == DP_ERR_EMPTY ? 0 : 1, "nothing undone: %s", err.msg);
        return;
    }
    char counts[128];
    counts_text(&o->set, counts, sizeof counts);
    app_status(a, 0, "removed the last label (%d): %u drawings  %s", label,
               dp_personal_count(&o->set), counts);
    app_log(a, "unlabel %d count %u heldout %u counts %s", label, dp_personal_count(&o->set),
            o->set.heldout.count, counts);
}

void own_digits_finetune(app *a) {
    own_digits *o = &a->own;
    if (o->ft) {
        app_status(a, 0, "fine-tuning is already running");
        return;
    }
    if (!o->open || o->set.train.count == 0 || o->set.heldout.count == 0) {
        app_status(a, 1, "label at least %d drawings first (Enter, then the digit)",
                   DP_PERSONAL_HOLDOUT);
        return;
    }
    if (a->tv.state == TRAIN_RUNNING || a->tv.state == TRAIN_EVALUATING ||
        a->tv.state == TRAIN_LOADING) {
        app_status(a, 1, "pause training (T) before fine-tuning");
        return;
    }
    char msg[256];
    if (finetune_start(&o->ft, a->model, &o->set.train, &o->set.heldout, a->data_dir, msg,
                       sizeof msg) != 0) {
        app_status(a, 1, "cannot fine-tune: %s", msg);
        return;
    }
    o->ft_gen = a->model_gen;
    app_status(a, 0, "fine-tuning on MNIST with your %u drawings (%.0f%% of each batch)...",
               o->set.train.count, 100.0 * FINETUNE_SHARE);
    app_log(a, "finetune start train %u heldout %u", o->set.train.count, o->set.heldout.count);
}

void own_digits_poll(app *a) {
    own_digits *o = &a->own;
    if (!o->ft) return;
    finetune_result r;
    char msg[600] = "";
    dp_mlp *target = a->model_gen == o->ft_gen ? a->model : NULL;
    dp_mlp *scratch = NULL;
    if (!target &&
        dp_mlp_create(&scratch, a->model->n_in, a->model->n_hidden, a->model->n_out) != DP_OK)
        return;
    finetune_state st = finetune_poll(o->ft, target ? target : scratch, &r, msg, sizeof msg);
    dp_mlp_destroy(scratch);
    if (st == FINETUNE_RUNNING) return;
    finetune_destroy(o->ft);
    o->ft = NULL;
    if (st == FINETUNE_FAILED) {
        app_status(a, 1, "fine-tuning failed: %s", msg);
        return;
    }
    if (!target) {
        app_status(a, 1, "fine-tuning finished, but another model was loaded meanwhile: dropped");
        return;
    }
    a->model_gen++;
    trainer_thread_set_weights(a->trainer, a->model, a->model_gen);
    a->dirty.model = 1;
    snprintf(a->model_note, sizeof a->model_note, "fine-tuned on your %u drawings", r.train_count);
    app_status(a, 0,
               "fine-tuned: your held-out drawings %.1f%% -> %.1f%% (%u), MNIST test %.2f%% -> "
               "%.2f%%",
               100 * r.heldout_before, 100 * r.heldout_after, r.heldout_count, 100 * r.mnist_before,
               100 * r.mnist_after);
    app_log(a, "finetune heldout %.4f %.4f mnist %.4f %.4f count %u", r.heldout_before,
            r.heldout_after, r.mnist_before, r.mnist_after, r.heldout_count);
}
