/* What the keys do: clear, train, export, save, load. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "digit_load.h"
#include "export.h"
#include "models.h"

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void app_set_model_info(app *a, const char *path) {
    snprintf(a->model_path, sizeof a->model_path, "%s", path ? path : "");
    a->model_untrained = 0;
    a->epochs_at_load = a->tv.epochs_done;
    char acc[32] = "";
    if (a->meta.test_accuracy >= 0)
        snprintf(acc, sizeof acc, " · test %.2f%%", 100.0 * a->meta.test_accuracy);
    char run[128] = "";
    const dp_model_run *r = &a->meta.run;
    if (r->known)
        snprintf(run, sizeof run,
                 " · trained with lr %g, batch %d, momentum %g, augment %s, seed %llu",
                 (double)r->lr, r->batch, (double)r->momentum, r->augment.enabled ? "on" : "off",
                 (unsigned long long)a->meta.seed);
    snprintf(a->model_note, sizeof a->model_note, "%.100s · %d-%d-%d · %u epochs%s%s",
             base_name(a->model_path), a->model->n_in, a->model->n_hidden, a->model->n_out,
             a->meta.epochs, acc, run);
}

void app_clear(app *a) {
    dp_canvas_clear(a->canvas);
    a->stroke = STROKE_NONE;
    a->dirty.canvas = 1;
}

void app_toggle_training(app *a) {
    int r = trainer_thread_toggle(a->trainer, a->model, a->model_gen);
    if (r < 0)
        app_status(a, 1, "cannot start the training thread: %s", SDL_GetError());
    else if (r == 1)
        app_status(a, 0, "training on %s (T pauses)",
                   a->cfg.train_data ? "the given data set" : a->data_dir);
    else
        app_status(a, 0, "training paused (T resumes)");
}

int app_load_model(app *a, const char *path) {
    dp_mlp *m = NULL;
    dp_model_meta meta;
    dp_error err = {0};
    if (load_digit_model(path, &m, &meta, &err) != DIGIT_MODEL_OK) {
        app_status(a, 1, "cannot load %s: %s (kept the current model)", path, err.msg);
        return -1;
    }
    dp_workspace *ws = NULL;
    if (dp_workspace_create(&ws, m, 1) != DP_OK) {
        dp_mlp_destroy(m);
        app_status(a, 1, "cannot load %s: out of memory (kept the current model)", path);
        return -1;
    }
    dp_workspace_destroy(a->ws);
    dp_mlp_destroy(a->model);
    a->ws = ws;
    a->model = m;
    a->meta = meta;
    a->model_gen++;
    app_set_model_info(a, path);
    trainer_thread_set_weights(a->trainer, a->model, a->model_gen);
    a->dirty.model = 1;
    app_status(a, 0, "loaded %s", path);
    app_log(a, "load %s", path);
    return 0;
}

int app_load_next(app *a) {
    char dir[1024] = "", next[1024];
    models_find_dir(dir, sizeof dir);
    const char *cur = a->model_path[0] ? a->model_path : NULL;
    if (models_next(cur, a->cfg.model_path, dir[0] ? dir : NULL, next, sizeof next) != 0) {
        app_status(a, 1, "no .dpm files in the current directory or %s; drop one on the window",
                   dir[0] ? dir : "models/");
        return -1;
    }
    return app_load_model(a, next);
}

int app_export(app *a) {
    if (!dp_canvas_has_ink(a->canvas, 0.0f)) {
        app_status(a, 0, "nothing to export: draw a digit first");
        return -1;
    }
    /* The input as of now (events of this frame may not be predicted yet). */
    float input[DP_MNIST_PIXELS];
    predict_input(a->canvas, a->preprocess, input);
    char cpath[1200], ipath[1200];
    dp_error err = {0};
    if (export_pngs(a->cfg.export_dir, a->canvas, input, cpath, ipath, sizeof cpath, &err) !=
        DP_OK) {
        app_status(a, 1, "export failed: %s", err.msg);
        return -1;
    }
    app_status(a, 0, "exported %s and %s", cpath, ipath);
    app_log(a, "export %s %s", cpath, ipath);
    return 0;
}

int app_save_model(app *a) {
    char path[1200];
    dp_error err = {0};
    if (models_save_path(a->cfg.save_to, path, sizeof path, &err) != DP_OK) {
        app_status(a, 1, "save failed: %s", err.msg);
        return -1;
    }
    dp_model_meta meta = a->meta;
    int more = a->tv.epochs_done - a->epochs_at_load;
    if (more > 0) {
        meta.epochs += (uint32_t)more;
        meta.samples_seen += (uint64_t)more * a->tv.epoch_size;
        meta.seed = a->cfg.train.seed;
        meta.test_accuracy = a->tv.n_acc > 0 ? a->tv.acc[a->tv.n_acc - 1] : -1.0f;
        if (a->tv.run_id > 0) { /* the settings of the run that trained it */
            dp_train_config rc =
                lab_settings_train_config(&a->tv.settings, &a->cfg.train, a->tv.threads);
            dp_train_config_to_run(&rc, &meta.run);
            meta.seed = a->tv.settings.seed;
        }
    }
    meta.created_unix = 0;
    snprintf(meta.note, sizeof meta.note, "digitpad window: %.60s + %d epochs (augment %s)",
             a->model_path[0] ? base_name(a->model_path) : "random init", more > 0 ? more : 0,
             a->augment ? "on" : "off");
    if (dp_model_save(path, a->model, &meta, &err) != DP_OK) {
        app_status(a, 1, "save failed: %s", err.msg);
        return -1;
    }
    app_status(a, 0, "saved the current weights to %s", path);
    app_log(a, "save %s", path);
    return 0;
}
