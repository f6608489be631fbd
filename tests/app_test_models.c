/* Loading models (.dpm and .npz) by drop and by L, saving with Ctrl+S. A corrupt, truncated,
 * missing or wrongly shaped file shows an error and keeps the current
 * weights bit for bit. */
#include <unistd.h>

#include "app_test_common.h"
#include "digitpad/npz.h"

static void push_drop(app *a, const char *path) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_DROPFILE;
    e.drop.file = SDL_strdup(path); /* the app frees it, as SDL's own drops */
    e.drop.windowID = SDL_GetWindowID(a->win);
    SDL_PushEvent(&e);
}

static void save_random(const char *path, int n_in, int hidden, uint64_t seed) {
    dp_mlp *m = NULL;
    if (dp_mlp_create(&m, n_in, hidden, 10) != DP_OK) exit(1);
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_mlp_init_he(m, &rng);
    dp_model_meta meta = {0};
    meta.epochs = 3;
    meta.test_accuracy = 0.5f;
    snprintf(meta.note, sizeof meta.note, "test model %d", (int)seed);
    dp_error err = {0};
    if (dp_model_save(path, m, &meta, &err) != DP_OK) {
        fprintf(stderr, "save %s: %s\n", path, err.msg);
        exit(1);
    }
    dp_mlp_destroy(m);
}

static void save_random_npz(const char *path, int n_in, int hidden, uint64_t seed) {
    dp_mlp *m = NULL;
    if (dp_mlp_create(&m, n_in, hidden, 10) != DP_OK) exit(1);
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_mlp_init_he(m, &rng);
    dp_error err = {0};
    if (dp_npz_save(path, m, &err) != DP_OK) {
        fprintf(stderr, "save %s: %s\n", path, err.msg);
        exit(1);
    }
    dp_mlp_destroy(m);
}

/* The rest of hay from needle on, or "" if needle is not in it. */
static void copy_from(const char *hay, const char *needle, char *out, size_t n) {
    const char *p = strstr(hay, needle);
    snprintf(out, n, "%s", p ? p : "");
}

static int params_equal(const dp_mlp *m, const float *p, size_t n) {
    return m->n_params == n && memcmp(m->params, p, n * sizeof *p) == 0;
}

int main(void) {
    char dir[1024], good[1100], other[1100], corrupt[1100], trunc[1100], shape[1100], junk[1100],
        saved[1100];
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    CHECK(chdir(dir) == 0); /* L lists ./ *.dpm: make that this directory */
    snprintf(good, sizeof good, "%s/a-good.dpm", dir);
    snprintf(other, sizeof other, "%s/b-other.dpm", dir);
    save_random(good, 784, 24, 1);
    save_random(other, 784, 40, 2);

    app_config cfg;
    test_config(&cfg);
    cfg.model_path = good;
    app *a = test_app(&cfg);
    CHECK(run_frames(a, 1));
    CHECK(a->model->n_hidden == 24 && !a->model_untrained);
    CHECK(a->meta.epochs == 3);
    CHECK(strstr(a->model_note, "a-good.dpm") != NULL);

    /* Corrupt copies of the good file. */
    size_t len = 0;
    uint8_t *bytes = dpt_read_file(good, &len);
    CHECK(bytes && len > 200);
    snprintf(corrupt, sizeof corrupt, "%s/corrupt.bin", dir);
    snprintf(trunc, sizeof trunc, "%s/truncated.bin", dir);
    snprintf(junk, sizeof junk, "%s/junk.bin", dir);
    snprintf(shape, sizeof shape, "%s/shape.bin", dir);
    bytes[len / 2] ^= 0x5a;
    CHECK(dpt_write_file(corrupt, bytes, len) == 0);
    bytes[len / 2] ^= 0x5a;
    CHECK(dpt_write_file(trunc, bytes, len / 3) == 0);
    CHECK(dpt_write_file(junk, "this is not a model file at all", 31) == 0);
    free(bytes);
    save_random(shape, 100, 8, 3); /* valid file, but not 784 inputs */

    /* Draw so there is a prediction to keep. */
    push_stroke(a, SDL_BUTTON_LEFT, 14.0f, 5.0f, 14.0f, 22.0f, 5);
    CHECK(run_frames(a, 1) && a->pred.valid);
    prediction before_pred = a->pred;
    size_t np = a->model->n_params;
    float *keep = malloc(np * sizeof *keep);
    memcpy(keep, a->model->params, np * sizeof *keep);
    const char *bad[] = {corrupt, trunc, junk, shape, "/nonexistent/model.dpm"};
    for (int i = 0; i < 5; i++) {
        a->ui.status_error = 0;
        push_drop(a, bad[i]);
        CHECK(run_frames(a, 1));
        CHECKF(a->ui.status_error, "no error for %s", bad[i]);
        CHECKF(strstr(a->ui.status, "kept the current model") != NULL, "status: %s", a->ui.status);
        CHECKF(params_equal(a->model, keep, np), "weights changed by %s", bad[i]);
        CHECK(a->pred.valid && a->pred.digit == before_pred.digit);
        CHECK(memcmp(a->pred.p, before_pred.p, sizeof a->pred.p) == 0);
    }

    /* Dropping a good file loads it. */
    push_drop(a, other);
    CHECK(run_frames(a, 1));
    CHECKF(!a->ui.status_error, "status: %s", a->ui.status);
    CHECK(a->model->n_hidden == 40 && strstr(a->model_path, "b-other.dpm"));
    CHECK(a->pred.valid); /* predicted again with the new network */

    /* A NumPy .npz (weights from PyTorch, say) drops in the same way; its
     * shapes are checked, and a bad one keeps the current weights. */
    char npz_good[1100], npz_shape[1100], npz_trunc[1100];
    snprintf(npz_good, sizeof npz_good, "%s/c-torch.npz", dir);
    snprintf(npz_shape, sizeof npz_shape, "%s/shape.npz", dir);
    snprintf(npz_trunc, sizeof npz_trunc, "%s/truncated.npz", dir);
    save_random_npz(npz_good, 784, 32, 4);
    save_random_npz(npz_shape, 100, 8, 5); /* a valid archive, but not 784 inputs */
    bytes = dpt_read_file(npz_good, &len);
    CHECK(bytes && dpt_write_file(npz_trunc, bytes, len - 30) == 0);
    free(bytes);
    size_t np_other = a->model->n_params;
    float *keep_other = malloc(np_other * sizeof *keep_other);
    memcpy(keep_other, a->model->params, np_other * sizeof *keep_other);
    const char *bad_npz[] = {npz_shape, npz_trunc};
    for (int i = 0; i < 2; i++) {
        a->ui.status_error = 0;
        push_drop(a, bad_npz[i]);
        CHECK(run_frames(a, 1));
        CHECKF(a->ui.status_error && strstr(a->ui.status, "kept the current model"), "status: %s",
               a->ui.status);
        CHECKF(params_equal(a->model, keep_other, np_other), "weights changed by %s", bad_npz[i]);
    }
    CHECK(strstr(a->ui.status, "truncated") != NULL);
    push_drop(a, npz_good);
    CHECK(run_frames(a, 1));
    CHECKF(!a->ui.status_error, "status: %s", a->ui.status);
    CHECK(a->model->n_hidden == 32 && strstr(a->model_path, "c-torch.npz"));
    CHECK(a->meta.epochs == 0 && a->meta.test_accuracy < 0);
    CHECK(strstr(a->model_note, "c-torch.npz") != NULL && a->pred.valid);
    push_drop(a, other); /* back to the state the checks below start from */
    CHECK(run_frames(a, 1) && a->model->n_hidden == 40);
    CHECK(params_equal(a->model, keep_other, np_other));
    free(keep_other);

    /* L: command-line model, then ./ *.dpm (sorted), wrapping around. */
    push_key(a, SDLK_l, 0);
    CHECK(run_frames(a, 1));
    CHECKF(strstr(a->model_path, "a-good.dpm") || strstr(a->model_path, "mnist-800.dpm"),
           "L loaded %s", a->model_path);
    int hops = 0;
    while (!strstr(a->model_path, "a-good.dpm") && hops++ < 5) {
        push_key(a, SDLK_l, 0);
        run_frames(a, 1);
    }
    CHECK(strstr(a->model_path, "a-good.dpm") && a->model->n_hidden == 24);
    CHECK(params_equal(a->model, keep, np));
    push_key(a, SDLK_l, 0);
    CHECK(run_frames(a, 1));
    CHECK(strstr(a->model_path, "b-other.dpm") && a->model->n_hidden == 40);

    /* Ctrl+S saves the current weights where --save-to says. */
    snprintf(saved, sizeof saved, "%s/saved.dpm", dir);
    a->cfg.save_to = saved;
    push_key(a, SDLK_s, KMOD_LCTRL);
    CHECK(run_frames(a, 1));
    CHECKF(!a->ui.status_error && strstr(a->ui.status, saved), "status: %s", a->ui.status);
    dp_mlp *back = NULL;
    dp_model_meta meta;
    CHECK(dp_model_load(saved, &back, &meta, NULL) == DP_OK);
    if (back) {
        CHECK(params_equal(back, a->model->params, a->model->n_params));
        CHECK(meta.epochs == 3);
        CHECK(strstr(meta.note, "digitpad window") != NULL);
        CHECK(meta.created_unix > 0);
    }
    dp_mlp_destroy(back);

    /* Without --save-to: a new timestamped file in the current directory. */
    a->cfg.save_to = NULL;
    push_key(a, SDLK_s, KMOD_RCTRL);
    CHECK(run_frames(a, 1));
    CHECKF(!a->ui.status_error && strstr(a->ui.status, "./digitpad-model-"), "status: %s",
           a->ui.status);
    char made[1200] = "";
    copy_from(a->ui.status, "./digitpad-model-", made, sizeof made);
    CHECK(made[0] && access(made, R_OK) == 0);

    /* Saving to an impossible place is an error in the window. */
    snprintf(saved, sizeof saved, "%s/junk.bin/x.dpm", dir);
    a->cfg.save_to = saved;
    push_key(a, SDLK_s, KMOD_LCTRL);
    CHECK(run_frames(a, 1));
    CHECK(a->ui.status_error && strstr(a->ui.status, "save failed"));

    /* Issue #11 defect 4: L passes over files it cannot load (it used to
     * retry the first bad one for ever) and says which failed and why. The
     * list is now a-good, b-other, c-bad, d-cut, digitpad-model-*, saved. */
    CHECK(dpt_write_file("c-bad.dpm", "not a model", 11) == 0);
    CHECK(dpt_write_file("d-cut.dpm", "DPM1\r\n\x1a\n", 8) == 0);
    a->cfg.save_to = NULL;
    a->ui.status_error = 0;
    push_drop(a, other); /* start from b-other */
    CHECK(run_frames(a, 1) && strstr(a->model_path, "b-other.dpm"));
    push_key(a, SDLK_l, 0);
    CHECK(run_frames(a, 1));
    CHECKF(strstr(a->model_path, "digitpad-model-") != NULL, "L loaded %s", a->model_path);
    CHECKF(a->ui.status_error &&
               strstr(a->ui.status, "skipped ./c-bad.dpm: not a digitpad model") &&
               strstr(a->ui.status, "and more"),
           "status: %s", a->ui.status);
    /* Round the list: every good model comes back, no press gets stuck. */
    int seen_good = 0, seen_other = 0;
    for (int i = 0; i < 8; i++) {
        push_key(a, SDLK_l, 0);
        CHECK(run_frames(a, 1));
        seen_good += strstr(a->model_path, "a-good.dpm") != NULL;
        seen_other += strstr(a->model_path, "b-other.dpm") != NULL;
    }
    CHECKF(seen_good >= 1 && seen_other >= 1, "L went round to a-good %d and b-other %d times",
           seen_good, seen_other);

    /* Issue #11 defect 6 at prediction time: weights that overflow (as a
     * diverged training run could make them) give no answer and an error in
     * the status line instead of "-nan%" bars. */
    for (size_t i = 0; i < a->model->n_params; i++) a->model->params[i] = 1e30f;
    a->dirty.model = 1;
    CHECK(run_frames(a, 1));
    CHECKF(!a->pred.valid && a->pred.not_finite && a->ui.status_error &&
               strstr(a->ui.status, "not a number"),
           "valid %d, status: %s", a->pred.valid, a->ui.status);
    push_key(a, SDLK_l, 0); /* L loads a usable model again */
    CHECK(run_frames(a, 1));
    CHECK(a->pred.valid && !a->pred.not_finite);

    app_destroy(a);

    /* A bad model on the command line: app_create fails with a message. */
    test_config(&cfg);
    cfg.model_path = corrupt;
    app *b = NULL;
    char err[1024] = "";
    CHECK(app_create(&b, &cfg, err, sizeof err) != 0 && b == NULL);
    CHECKF(strstr(err, "corrupt.bin") != NULL, "err: %s", err);

    free(keep);
    SDL_Quit();
    return dpt_finish();
}
