/* The training lab (issue #13) on SDL's dummy video driver, on a subset of
 * MNIST:
 * - the window's run (R, then T) gives bit-identical weights to
 *   `digitpad-cli train` with the same settings, seed and thread count,
 *   without and with augmentation;
 * - Space trains exactly one batch, then pauses;
 * - the confusion matrix is the core's evaluation of the final weights; a
 *   click on a cell lists exactly its test images, a click on a thumbnail
 *   puts that test image on the canvas exactly (cells = pixel / 255).
 * Usage: app_test_lab <digitpad-cli>; MNIST from $DIGITPAD_DATA. */
#include <math.h>
#include <unistd.h>

#include "app_test_common.h"

#define N_TRAIN 3000
#define N_TEST 1000
#define THREADS 2 /* the window's threads while the mouse is idle */

static int wait_for(app *a, int (*done)(const app *), double seconds) {
    uint32_t t0 = SDL_GetTicks();
    while (!done(a) && SDL_GetTicks() - t0 < seconds * 1000) {
        app_frame(a);
        SDL_Delay(2);
    }
    run_frames(a, 3); /* take the snapshot that came with it */
    return done(a);
}

static int run_done(const app *a) {
    return a->tv.state == TRAIN_DONE && a->tv.run_id > 0;
}

static int is_paused(const app *a) {
    return a->tv.state == TRAIN_PAUSED;
}

static app *lab_app(const dp_dataset *train, const dp_dataset *test, int epochs, int augment) {
    app_config cfg;
    test_config(&cfg);
    cfg.hidden = DP_PAPER_HIDDEN; /* the CLI's fresh network */
    cfg.train_data = train;
    cfg.test_data = test;
    cfg.train.epochs = epochs;
    cfg.train.batch = 16;
    cfg.train.lr = 0.05f;
    cfg.train.seed = 7;
    cfg.augment = augment;
    return test_app(&cfg);
}

/* The CLI's weights for the same run, or NULL. */
static dp_mlp *cli_run(const char *cli, const char *out, int epochs, int augment) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' train --out '%s' --data '%s' --limit %d --epochs %d --batch 16 --lr 0.05 "
             "--seed 7 --threads %d --layer1 auto --augment %s --quiet >/dev/null",
             cli, out, dpt_mnist_dir(), N_TRAIN, epochs, THREADS, augment ? "default" : "none");
    int rc = system(cmd);
    CHECKF(rc == 0, "%s: status %d", cmd, rc);
    dp_mlp *m = NULL;
    dp_error err = {0};
    if (rc != 0 || dp_model_load(out, &m, NULL, &err) != DP_OK) {
        CHECKF(0, "cannot load the CLI's model %s: %s", out, err.msg);
        return NULL;
    }
    return m;
}

/* With draw, strokes on the canvas all through the run: the training step
 * switches to one thread while drawing and back to two, and the weights
 * stay the CLI's (the core's result does not depend on the thread count). */
static void check_same_as_cli(const char *cli, const dp_dataset *train, const dp_dataset *test,
                              int epochs, int augment, int draw) {
    app *a = lab_app(train, test, epochs, augment);
    push_key(a, SDLK_r, 0); /* fresh He network from seed 7 */
    push_key(a, SDLK_t, 0);
    int saw[DP_MAX_THREADS + 1] = {0};
    uint32_t t0 = SDL_GetTicks();
    for (int k = 0; !run_done(a) && SDL_GetTicks() - t0 < 300000; k++) {
        if (draw && k % 40 == 0) push_stroke(a, SDL_BUTTON_LEFT, 6.5f, 6.5f, 20.5f, 20.5f, 30);
        app_frame(a);
        if (a->tv.threads >= 0 && a->tv.threads <= DP_MAX_THREADS) saw[a->tv.threads] = 1;
        SDL_Delay(2);
    }
    run_frames(a, 3);
    CHECKF(run_done(a), "run not done: state %s", train_state_name(a->tv.state));
    CHECK(a->tv.run_epoch == epochs);
    CHECKF(saw[THREADS], "never trained on %d threads", THREADS);
    if (draw) CHECKF(saw[1], "never trained on one thread while drawing");
    char dir[1024], out[1100];
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    snprintf(out, sizeof out, "%s/cli.dpm", dir);
    dp_mlp *m = cli_run(cli, out, epochs, augment);
    if (m) {
        CHECK(dp_mlp_same_shape(m, a->model));
        CHECKF(dp_mlp_same_shape(m, a->model) &&
                   memcmp(m->params, a->model->params, m->n_params * sizeof *m->params) == 0,
               "window and CLI weights differ (epochs %d, augment %d)", epochs, augment);
        dp_mlp_destroy(m);
    }
    remove(out);
    rmdir(dir);
    app_destroy(a);
}

static void check_step(const dp_dataset *train, const dp_dataset *test) {
    app *a = lab_app(train, test, 1, 0);
    push_key(a, SDLK_r, 0);
    push_key(a, SDLK_SPACE, 0);
    CHECK(wait_for(a, is_paused, 60.0));
    CHECKF(a->tv.steps_done == 1 && a->tv.pos == 16 && a->tv.samples_seen == 16,
           "after one step: %llu steps, pos %u", (unsigned long long)a->tv.steps_done, a->tv.pos);
    push_key(a, SDLK_SPACE, 0);
    uint32_t t0 = SDL_GetTicks();
    while (a->tv.steps_done < 2 && SDL_GetTicks() - t0 < 60000) {
        app_frame(a);
        SDL_Delay(2);
    }
    run_frames(a, 3);
    CHECKF(a->tv.steps_done == 2 && a->tv.pos == 32 && a->tv.state == TRAIN_PAUSED,
           "after two steps: pos %u, state %s", a->tv.pos, train_state_name(a->tv.state));
    app_destroy(a);
}

/* Ctrl+S keeps the run's settings in the model file; loading it shows them. */
static void check_save_keeps_settings(app *a) {
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    snprintf(path, sizeof path, "%s/saved.dpm", dir);
    a->cfg.save_to = path;
    CHECK(app_save_model(a) == 0);
    dp_mlp *m = NULL;
    dp_model_meta meta;
    CHECK(dp_model_load(path, &m, &meta, NULL) == DP_OK);
    CHECKF(meta.run.known && meta.run.lr == 0.05f && meta.run.batch == 16 &&
               meta.run.momentum == 0.9f && meta.run.epochs == 1 && !meta.run.augment.enabled &&
               meta.seed == 7,
           "saved run: known %d lr %g batch %d", meta.run.known, (double)meta.run.lr,
           meta.run.batch);
    dp_mlp_destroy(m);
    CHECK(app_load_model(a, path) == 0);
    CHECKF(strstr(a->model_note, "lr 0.05, batch 16, momentum 0.9, augment off, seed 7"),
           "header: %s", a->model_note);
    remove(path);
    rmdir(dir);
}

static void check_confusion_clicks(const dp_dataset *train, const dp_dataset *test) {
    app *a = lab_app(train, test, 1, 0);
    push_key(a, SDLK_r, 0);
    push_key(a, SDLK_t, 0);
    CHECK(wait_for(a, run_done, 300.0));
    run_frames(a, 3);
    CHECK(a->lab.have_confusion);
    dp_eval ev;
    CHECK(dp_evaluate(a->model, test, &ev) == DP_OK);
    CHECK(memcmp(ev.confusion, a->lab.preds.confusion, sizeof ev.confusion) == 0);
    CHECK(memcmp(ev.confusion, a->tv.confusion, sizeof ev.confusion) == 0);
    CHECK_NEAR(a->tv.acc[a->tv.n_acc - 1], dp_eval_accuracy(&ev), 1e-6);
    /* the largest off-diagonal cell */
    int bt = 0, bp = 1;
    for (int t = 0; t < 10; t++)
        for (int p = 0; p < 10; p++)
            if (t != p && ev.confusion[t][p] > ev.confusion[bt][bp]) bt = t, bp = p;
    push_key(a, SDLK_m, 0);
    run_frames(a, 2);
    SDL_Rect g = a->lab.lay.matrix; /* pixels = points on the dummy driver */
    push_click(a, g.x + bp * g.w / 10 + g.w / 20, g.y + bt * g.h / 10 + g.h / 20);
    run_frames(a, 2);
    CHECKF(a->lab.cell_true == bt && a->lab.cell_pred == bp, "clicked %d,%d got %d,%d", bt, bp,
           a->lab.cell_true, a->lab.cell_pred);
    CHECKF(a->lab.n_items == (int)ev.confusion[bt][bp], "%d items for a count of %u",
           a->lab.n_items, ev.confusion[bt][bp]);
    for (int k = 0; k < a->lab.n_items; k++) {
        uint32_t i = a->lab.items[k];
        CHECK(test->labels[i] == bt && a->lab.preds.digit[i] == bp);
        if (k > 0) CHECK(a->lab.preds.prob[a->lab.items[k - 1]] >= a->lab.preds.prob[i]);
    }
    if (a->lab.n_items > 0 && a->lab.lay.thumb_cols > 0) {
        SDL_Rect th = a->lab.lay.thumbs;
        int cw = th.w / a->lab.lay.thumb_cols, ch = th.h / a->lab.lay.thumb_rows;
        push_click(a, th.x + cw / 2, th.y + ch / 2);
        run_frames(a, 2);
        uint32_t idx = a->lab.items[0];
        const uint8_t *img = test->images + (size_t)idx * 784;
        int same = 1;
        for (int i = 0; i < 784; i++) same &= a->canvas->cells[i] == (float)img[i] / 255.0f;
        CHECKF(same, "the canvas is not test image %u", idx);
        CHECK(a->pred.valid);
    }
    check_save_keeps_settings(a);
    app_destroy(a);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: app_test_lab <digitpad-cli>\n");
        return 2;
    }
    dp_dataset train = {0}, test = {0};
    dp_error err = {0};
    if (dp_mnist_load(dpt_mnist_dir(), &train, &test, &err) != DP_OK) {
        CHECKF(0, "MNIST needed in %s (set DIGITPAD_DATA): %s", dpt_mnist_dir(), err.msg);
        return dpt_finish();
    }
    dp_dataset tr = train, te = test;
    tr.count = N_TRAIN; /* the first images, as the CLI's --limit takes them */
    te.count = N_TEST;
    check_same_as_cli(argv[1], &tr, &te, 2, 0, 0);
    check_same_as_cli(argv[1], &tr, &te, 1, 1, 1);
    check_step(&tr, &te);
    check_confusion_clicks(&tr, &te);
    dp_dataset_free(&train);
    dp_dataset_free(&test);
    SDL_Quit();
    return dpt_finish();
}
