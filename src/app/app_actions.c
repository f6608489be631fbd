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

/* Load path in place of the current model; on failure the current model
 * stays, untouched, and err says why (its message names the file). */
static int try_load(app *a, const char *path, dp_error *err) {
    dp_mlp *m = NULL;
    dp_model_meta meta;
    if (load_digit_model(path, &m, &meta, err) != DIGIT_MODEL_OK) return -1;
    dp_workspace *ws = NULL;
    if (dp_workspace_create(&ws, m, 1) != DP_OK) {
        dp_mlp_destroy(m);
        dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
        return -1;
    }
    dp_workspace_destroy(a->ws);
    dp_mlp_destroy(a->model);
    a->ws = ws;
    a->model = m;
    a->meta = meta;
    a->model_gen++;
    app_set_model_info(a, path);
    snprintf(a->load_cursor, sizeof a->load_cursor, "%s", path);
    trainer_thread_set_weights(a->trainer, a->model, a->model_gen);
    a->dirty.model = 1;
    app_log(a, "load %s", path);
    return 0;
}

int app_load_model(app *a, const char *path) {
    dp_error err = {0};
    if (try_load(a, path, &err) != 0) {
        app_status(a, 1, "cannot load %s (kept the current model)", err.msg);
        return -1;
    }
    app_status(a, 0, "loaded %s", path);
    return 0;
}

/* L goes on from the last file it tried, loaded or not, so a file that
 * cannot be loaded is passed over instead of being tried again and again.
 * One press tries the files after it in turn until one loads (at most once
 * round the list) and says which failed and why. */
int app_load_next(app *a) {
    char dir[1024] = "", next[1024], first[1024] = "", why[512] = "";
    models_find_dir(dir, sizeof dir);
    const char *models_dir = dir[0] ? dir : NULL;
    int failed = 0;
    for (int tries = 0; tries < MODELS_MAX_LISTED; tries++) {
        const char *from = a->load_cursor[0] ? a->load_cursor : a->model_path;
        if (models_next(from[0] ? from : NULL, a->cfg.model_path, models_dir, next, sizeof next) !=
            0) {
            app_status(a, 1, "no .dpm files in the current directory or %s; drop one on the window",
                       dir[0] ? dir : "models/");
            return -1;
        }
        if (tries > 0 && strcmp(next, first) == 0) break; /* round the whole list */
        if (tries == 0) snprintf(first, sizeof first, "%s", next);
        snprintf(a->load_cursor, sizeof a->load_cursor, "%s", next);
        dp_error err = {0};
        if (try_load(a, next, &err) == 0) {
            if (failed == 0)
                app_status(a, 0, "loaded %s", next);
            else
                app_status(a, 1, "loaded %s; skipped %s%s", next, why,
                           failed > 1 ? " (and more that could not be loaded)" : "");
            return 0;
        }
        if (failed++ == 0) snprintf(why, sizeof why, "%s", err.msg);
    }
    app_status(a, 1, "cannot load %s%s (kept the current model)", why,
               failed > 1 ? "; no other model in the list loads either" : "");
    return -1;
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
