/* T trains in the background on a small synthetic data set while the UI
 * keeps drawing frames and predicting: the loss goes down, test accuracy is
 * measured after each epoch, the UI's network follows the snapshots, T
 * pauses and resumes, and missing MNIST is reported in the window. This is
 * the test CI runs under ThreadSanitizer. */
#include <math.h>
#include <signal.h>
#include <unistd.h>

#include "app_test_common.h"
#include "loss_plot.h"

#define N_TRAIN 3000
#define N_TEST 520 /* not a multiple of the evaluation chunk */

/* Class c: a bright 6x6 block at one of ten places, plus faint noise. */
static void make_set(dp_dataset *ds, uint32_t n, uint64_t seed) {
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    ds->count = n;
    ds->rows = ds->cols = 28;
    ds->images = calloc((size_t)n * 784, 1);
    ds->labels = calloc(n, 1);
    if (!ds->images || !ds->labels) exit(1);
    for (uint32_t i = 0; i < n; i++) {
        int c = (int)dp_rng_below(&rng, 10);
        ds->labels[i] = (uint8_t)c;
        uint8_t *img = ds->images + (size_t)i * 784;
        for (int k = 0; k < 784; k++)
            if (dp_rng_below(&rng, 10) == 0) img[k] = (uint8_t)dp_rng_below(&rng, 60);
        int bx = 2 + (c % 5) * 5, by = 4 + (c / 5) * 12;
        int jx = (int)dp_rng_below(&rng, 3) - 1, jy = (int)dp_rng_below(&rng, 3) - 1;
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 6; x++) img[(by + jy + y) * 28 + bx + jx + x] = 255;
    }
}

static void wait_state(app *a, train_state want, double seconds, int draw, int *frames) {
    uint32_t t0 = SDL_GetTicks();
    int k = 0;
    while (a->tv.state != want && SDL_GetTicks() - t0 < seconds * 1000) {
        if (draw && k++ % 20 == 0) { /* keep drawing while training */
            push_key(a, SDLK_c, 0);
            push_stroke(a, SDL_BUTTON_LEFT, 8.5f + k % 10, 5.5f, 12.5f, 20.5f, 4);
        }
        app_frame(a);
        (*frames)++;
        SDL_Delay(2);
    }
}

static void view_until(trainer_thread *tt, train_view *v, train_state state, uint64_t seen_above) {
    uint32_t t0 = SDL_GetTicks();
    do {
        SDL_Delay(1);
        trainer_thread_view(tt, v);
    } while ((v->state != state || v->samples_seen <= seen_above) && SDL_GetTicks() - t0 < 30000);
}

/* A model handed to the trainer while a run is paused mid-epoch is trained
 * from a fresh start: after resuming, its weights are exactly what a new
 * dp_trainer makes of it in the same number of steps, with nothing (momentum,
 * shuffle position) carried over from the old network. */
static void check_load_while_paused(const dp_dataset *train) {
    dp_train_config cfg;
    dp_train_config_default(&cfg);
    cfg.epochs = 1;
    cfg.batch = 8;
    cfg.lr = 0.05f;
    cfg.momentum = 0.9f;
    cfg.schedule = DP_SCHEDULE_CONSTANT;
    cfg.threads = 1;
    trainer_options opt = {0};
    opt.train = train;
    opt.cfg = cfg;
    opt.augment = 0;
    opt.publish_ms = 1;
    dp_mlp *old_net = NULL, *new_net = NULL, *got = NULL, *want = NULL;
    CHECK(dp_mlp_create(&old_net, 784, 128, 10) == DP_OK &&
          dp_mlp_create(&new_net, 784, 128, 10) == DP_OK &&
          dp_mlp_create(&got, 784, 128, 10) == DP_OK &&
          dp_mlp_create(&want, 784, 128, 10) == DP_OK);
    if (!old_net || !new_net || !got || !want) exit(1);
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    dp_mlp_init_he(old_net, &rng);
    dp_mlp_init_he(new_net, &rng);
    trainer_thread *tt = NULL;
    CHECK(trainer_thread_create(&tt, &opt) == 0);
    if (!tt) exit(1);

    /* Train the old network a little and pause inside the epoch, so the
     * thread still holds its dp_trainer (with a velocity). */
    train_view v;
    CHECK(trainer_thread_toggle(tt, old_net, 1) == 1);
    view_until(tt, &v, TRAIN_RUNNING, 16 * 8);
    CHECK(trainer_thread_toggle(tt, old_net, 1) == 0);
    view_until(tt, &v, TRAIN_PAUSED, 0);
    CHECKF(v.state == TRAIN_PAUSED && v.epochs_done == 0 && v.pos > 0 && v.pos < v.epoch_size,
           "state %s epoch %d pos %u/%u", train_state_name(v.state), v.epochs_done, v.pos,
           v.epoch_size);
    uint64_t seen0 = v.samples_seen;

    /* Load the new network (generation 2), resume, pause after a few steps. */
    trainer_thread_set_weights(tt, new_net, 2);
    CHECK(trainer_thread_toggle(tt, new_net, 2) == 1);
    view_until(tt, &v, TRAIN_RUNNING, seen0);
    trainer_thread_toggle(tt, new_net, 2);
    view_until(tt, &v, TRAIN_PAUSED, seen0);
    CHECK(v.state == TRAIN_PAUSED && v.gen == 2 && v.epochs_done == 0);
    train_view pv = {0};
    uint32_t t0 = SDL_GetTicks();
    int copied = 0;
    while (!copied && SDL_GetTicks() - t0 < 5000) copied = trainer_thread_poll(tt, &pv, got, 2);
    CHECK(copied && pv.samples_seen > seen0);
    int steps = (int)((pv.samples_seen - seen0) / (uint64_t)cfg.batch);

    /* The same steps from the new network with a fresh trainer (the epoch
     * the thread starts: constant lr, seed + epochs done, no augmentation). */
    dp_mlp_copy(want, new_net);
    dp_train_config fresh = cfg;
    fresh.augment = dp_augment_none();
    dp_trainer *tr = NULL;
    CHECK(dp_trainer_create(&tr, want, train, &fresh, NULL) == DP_OK);
    if (tr) CHECK(dp_trainer_run(tr, steps, NULL) == steps);
    dp_trainer_destroy(tr);
    double worst = 0, moved = 0;
    for (size_t i = 0; i < want->n_params; i++) {
        double d = fabs((double)got->params[i] - want->params[i]);
        if (d > worst) worst = d;
        d = fabs((double)got->params[i] - new_net->params[i]);
        if (d > moved) moved = d;
    }
    CHECKF(moved > 0, "no step on the loaded weights");
    CHECKF(worst <= 1e-5, "after %d steps the weights are %g away from a fresh start (moved %g)",
           steps, worst, moved);
    trainer_thread_destroy(tt);
    dp_mlp_destroy(old_net);
    dp_mlp_destroy(new_net);
    dp_mlp_destroy(got);
    dp_mlp_destroy(want);
}

static void hung(int sig) {
    (void)sig;
    static const char msg[] = "FAILED: the loss plot did not return within 10 s\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(2);
    _exit(1);
}

/* A diverging run's infinite or NaN loss points: the plot still draws (its
 * tick loops once ran forever on an infinite range) in both scales. */
static void check_loss_plot_nonfinite(app *a) {
    static train_view v;
    const float losses[] = {2.3f, INFINITY, 1.1f, NAN, 0.4f, -INFINITY};
    v.n_loss = 6;
    for (int i = 0; i < v.n_loss; i++) v.loss[i] = losses[i];
    v.loss_every = 10;
    v.batch = 32;
    SDL_Rect area = {0, 0, 500, 300};
    signal(SIGALRM, hung);
    alarm(10);
    uint32_t t0 = SDL_GetTicks();
    for (int log_scale = 0; log_scale <= 1; log_scale++)
        loss_plot_draw(a->ren, a->text, area, &v, log_scale, 1.0f);
    v.n_loss = 2; /* nothing finite */
    v.loss[0] = v.loss[1] = INFINITY;
    for (int log_scale = 0; log_scale <= 1; log_scale++)
        loss_plot_draw(a->ren, a->text, area, &v, log_scale, 1.0f);
    alarm(0);
    CHECKF(SDL_GetTicks() - t0 < 2000, "%u ms for four plots", SDL_GetTicks() - t0);
}

/* The lab's keys reach the trainer thread (this test also runs under
 * ThreadSanitizer): Space trains one batch of a new run and pauses, drawing
 * meanwhile switches the step to one thread, N and R end the run with a
 * fresh network, and the confusion matrix of the last evaluation arrives
 * with every test image's prediction. */
static void check_lab_keys(app *a) {
    int run = a->tv.run_id;
    uint64_t steps = a->tv.steps_done;
    push_key(a, SDLK_SPACE, 0);
    uint32_t t0 = SDL_GetTicks();
    while ((a->tv.steps_done == steps || a->tv.state != TRAIN_PAUSED) &&
           SDL_GetTicks() - t0 < 30000) {
        push_stroke(a, SDL_BUTTON_LEFT, 8.5f, 5.5f, 12.5f, 20.5f, 4);
        app_frame(a);
        SDL_Delay(2);
    }
    run_frames(a, 2);
    CHECKF(a->tv.steps_done == steps + 1 && a->tv.run_id == run + 1 && a->tv.pos == 32,
           "step: %llu steps, run %d, pos %u", (unsigned long long)a->tv.steps_done, a->tv.run_id,
           a->tv.pos);
    CHECK(a->lab.threads == 1); /* drawing */
    CHECK(a->lab.runs.n_past >= 1 && a->lab.runs.past[0].run_id == run);
    uint64_t seed = a->lab.settings.seed;
    push_key(a, SDLK_n, 0);
    push_key(a, SDLK_r, 0);
    t0 = SDL_GetTicks();
    while (a->tv.state != TRAIN_IDLE && SDL_GetTicks() - t0 < 30000) {
        app_frame(a);
        SDL_Delay(2);
    }
    CHECK(a->tv.state == TRAIN_IDLE && a->lab.settings.seed != seed && a->model_untrained);
    CHECK(a->lab.have_confusion && a->lab.preds.count == N_TEST);
    uint32_t sum = 0;
    for (int t = 0; t < 10; t++)
        for (int p = 0; p < 10; p++) sum += a->lab.preds.confusion[t][p];
    CHECK(sum == N_TEST);
}

int main(void) {
    dp_dataset train = {0}, test = {0};
    make_set(&train, N_TRAIN, 11);
    make_set(&test, N_TEST, 12);

    app_config cfg;
    test_config(&cfg);
    cfg.train_data = &train;
    cfg.test_data = &test;
    cfg.augment = 0;
    cfg.train.epochs = 4;
    cfg.train.batch = 32;
    cfg.train.lr = 0.05f;
    app *a = test_app(&cfg);
    CHECK(run_frames(a, 2));
    CHECK(a->tv.state == TRAIN_IDLE);
    size_t np = a->model->n_params;
    float *w0 = malloc(np * sizeof *w0);
    memcpy(w0, a->model->params, np * sizeof *w0);

    /* T, then frames (with drawing) until the run is done. */
    push_key(a, SDLK_t, 0);
    int frames = 0;
    uint32_t t0 = SDL_GetTicks();
    wait_state(a, TRAIN_DONE, 120.0, 1, &frames);
    double secs = (SDL_GetTicks() - t0) / 1000.0;
    CHECKF(a->tv.state == TRAIN_DONE, "state %s after %.1f s", train_state_name(a->tv.state), secs);
    /* The snapshots carry the backward pass of a batch (the equations panel). */
    const dp_backward_view *bv = &a->tv.back;
    CHECKF(bv->valid && bv->rows >= 1 && bv->rows <= 32 && bv->n_hidden == a->model->n_hidden &&
               bv->n_out == 10,
           "backward view: valid %d, %d rows", bv->valid,
           bv->rows); /* an epoch's last batch may be short */
    double d2 = 0;
    for (int k = 0; k < 10; k++) d2 += bv->delta2[k];
    CHECK(fabs(d2) < 1e-5 && bv->label < 10 && bv->delta2[bv->label] <= 0);
    CHECK(isfinite(bv->loss) && bv->loss > 0 && bv->dW1_norm > 0 && bv->lr > 0);
    CHECKF(frames >= 5 && frames >= secs * 20, "only %d frames in %.1f s", frames, secs);
    CHECK(a->tv.epochs_done == 4 && a->tv.run_epoch == 4);
    CHECK(a->tv.samples_seen == 4u * N_TRAIN);
    CHECKF(a->tv.n_loss >= 4, "%d loss points", a->tv.n_loss);
    if (a->tv.n_loss >= 4) {
        float first = a->tv.loss[0], last = a->tv.loss[a->tv.n_loss - 1];
        CHECKF(last < 0.5f * first, "loss %g -> %g", first, last);
    }
    CHECKF(a->tv.n_acc == 4, "%d accuracies", a->tv.n_acc);
    if (a->tv.n_acc > 0) {
        CHECKF(a->tv.acc[a->tv.n_acc - 1] > 0.95f, "test accuracy %g", a->tv.acc[a->tv.n_acc - 1]);
        CHECK(a->tv.acc_epoch[a->tv.n_acc - 1] == 4);
        /* The snapshot that said "done" holds the evaluated weights: the
         * thread's chunked evaluation agrees with the core's. */
        dp_eval ev;
        CHECK(dp_evaluate(a->model, &test, &ev) == DP_OK && ev.count == N_TEST);
        CHECK_NEAR(a->tv.acc[a->tv.n_acc - 1], dp_eval_accuracy(&ev), 1e-6);
    }
    /* The UI's network took the trained weights, and predicts with them. */
    CHECK(memcmp(w0, a->model->params, np * sizeof *w0) != 0);
    push_key(a, SDLK_c, 0);
    push_stroke(a, SDL_BUTTON_LEFT, 12.0f, 14.0f, 17.0f, 21.0f, 3); /* a stroke low-centre */
    CHECK(run_frames(a, 1));
    CHECK(a->pred.valid);
    /* A blob at place 7 (second row, third column) in raw mode is class 7. */
    push_key(a, SDLK_c, 0);
    push_key(a, SDLK_p, 0);
    for (int y = 0; y < 6; y++)
        push_stroke(a, SDL_BUTTON_LEFT, 12.5f, 16.5f + y, 17.5f, 16.5f + y, 3);
    CHECK(run_frames(a, 1));
    CHECKF(a->pred.valid && a->pred.digit == 7, "predicted %d", a->pred.digit);

    /* T again trains another run from the current weights. */
    push_key(a, SDLK_a, 0); /* augmentation on: reaches the trainer for the next epoch */
    push_key(a, SDLK_t, 0);
    CHECK(run_frames(a, 1) && a->augment == 1);
    uint32_t t2 = SDL_GetTicks();
    while ((a->tv.epochs_done < 8 || a->tv.state != TRAIN_DONE) && SDL_GetTicks() - t2 < 120000) {
        app_frame(a);
        SDL_Delay(2);
    }
    CHECK(a->tv.state == TRAIN_DONE);
    CHECK(a->tv.samples_seen == 8u * N_TRAIN);
    CHECK(a->tv.epochs_done == 8);
    /* Accuracies and the loss curve are per run; the epoch count is not. */
    CHECKF(a->tv.n_acc == 4 && a->tv.acc_epoch[3] == 4 && a->tv.run_id == 2, "%d accuracies",
           a->tv.n_acc);
    CHECK(a->tv.augment == 1);
    check_lab_keys(a);
    app_destroy(a);

    /* A long run: T pauses it and nothing moves; T resumes; quitting while
     * training stops and joins the thread. */
    test_config(&cfg);
    cfg.train_data = &train;
    cfg.test_data = &test;
    cfg.train.epochs = 1000;
    a = test_app(&cfg);
    push_key(a, SDLK_t, 0);
    frames = 0;
    wait_state(a, TRAIN_RUNNING, 30.0, 0, &frames);
    CHECK(a->tv.state == TRAIN_RUNNING);
    /* Drawing and predicting while it trains: frames keep coming and fresh
     * weights keep arriving. At least two seconds and until 60 frames and 4
     * snapshots are in; the 30 s cap only ends a hung run (no speed is
     * asserted: a slow or busy machine just takes longer). */
    memcpy(w0, a->model->params, np * sizeof *w0);
    uint64_t version0 = a->tv.version;
    frames = 0;
    uint32_t t3 = SDL_GetTicks();
    while (SDL_GetTicks() - t3 < 2000 ||
           ((frames < 60 || a->tv.version < version0 + 4) && SDL_GetTicks() - t3 < 30000)) {
        if (frames % 10 == 0) {
            push_key(a, SDLK_c, 0);
            push_stroke(a, SDL_BUTTON_LEFT, 6.5f + frames % 13, 4.5f, 14.5f, 22.5f, 5);
        }
        CHECK(app_frame(a));
        frames++;
        SDL_Delay(8);
    }
    CHECKF(frames >= 60, "%d frames in 30 s", frames);
    CHECKF(a->tv.version >= version0 + 4, "%d snapshots in 30 s", (int)(a->tv.version - version0));
    CHECK(memcmp(w0, a->model->params, np * sizeof *w0) != 0);
    CHECK(a->pred.valid);
    check_loss_plot_nonfinite(a);
    push_key(a, SDLK_t, 0);
    wait_state(a, TRAIN_PAUSED, 30.0, 0, &frames);
    CHECKF(a->tv.state == TRAIN_PAUSED, "state %s", train_state_name(a->tv.state));
    uint64_t seen = a->tv.samples_seen;
    SDL_Delay(300);
    run_frames(a, 5);
    CHECK(a->tv.samples_seen == seen && a->tv.state == TRAIN_PAUSED);
    push_key(a, SDLK_t, 0);
    uint32_t t1 = SDL_GetTicks();
    while (a->tv.samples_seen == seen && SDL_GetTicks() - t1 < 30000) {
        app_frame(a);
        SDL_Delay(2);
    }
    CHECK(a->tv.samples_seen > seen && train_state_busy(a->tv.state));
    CHECK(a->tv.run_epochs == 1000);
    app_destroy(a);
    free(w0);

    /* Without data: a clear message in the window, nothing crashes. */
    test_config(&cfg);
    cfg.data_dir = "/nonexistent/digitpad-mnist";
    a = test_app(&cfg);
    push_key(a, SDLK_t, 0);
    frames = 0;
    wait_state(a, TRAIN_FAILED, 30.0, 0, &frames);
    CHECK(a->tv.state == TRAIN_FAILED);
    run_frames(a, 1);
    CHECK(a->ui.status_error);
    CHECKF(strstr(a->ui.status, "scripts/get-mnist") && strstr(a->ui.status, "--data") &&
               strstr(a->ui.status, "DIGITPAD_DATA"),
           "status: %s", a->ui.status);
    CHECK(!a->ui.quit && run_frames(a, 3));
    app_destroy(a);

    check_load_while_paused(&train);

    dp_dataset_free(&train);
    dp_dataset_free(&test);
    SDL_Quit();
    return dpt_finish();
}
