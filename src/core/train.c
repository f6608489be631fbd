/* The training loop: shuffled mini-batch SGD over a dataset, in slices. */
#include "digitpad/train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mlp_internal.h"
#include "step_internal.h"
#include "tuner.h"

struct dp_trainer {
    dp_mlp *m;
    const dp_dataset *data;
    dp_train_config cfg;
    dp_step *step;          /* the training step: its threads and scratch */
    dp_mlp *velocity;       /* NULL without momentum */
    dp_augmenter *aug;      /* NULL without augmentation; read-only, shared by the team */
    dp_augmenter *next_aug; /* set by dp_trainer_set_augment, for the next epoch */
    dp_augment_config next_augment;
    int augment_pending; /* next_aug/next_augment apply at the next epoch's start */
    dp_rng rng;
    uint32_t *order;     /* sample order of the current epoch */
    float *X;            /* batch x pixels */
    uint8_t *y;          /* batch */
    int main_rows;       /* rows per batch from the main set */
    int extra_rows;      /* rows per full batch from cfg.extra (0 without) */
    uint64_t extra_seen; /* extra rows drawn so far (seeds their generators) */
    dp_train_progress prog;
    dp_tuner tune;    /* cfg.threads == 0: measures which thread count is faster */
    dp_status status; /* first error of a training step, DP_OK if none */
    double epoch_loss_sum;
    int last_rows; /* rows of X and y the last step trained on */
};

void dp_train_config_default(dp_train_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->epochs = 5;
    cfg->batch = 64;
    cfg->lr = 0.05f;
    cfg->lr_min = 0.0f;
    cfg->schedule = DP_SCHEDULE_COSINE;
    cfg->momentum = 0.9f;
    cfg->weight_decay = 0.0f;
    cfg->seed = 1;
    cfg->augment = dp_augment_none();
}

dp_status dp_train_config_check(const dp_train_config *c, dp_error *err) {
    if (!c) return dp_error_set(err, DP_ERR_ARG, "no training configuration");
    if (c->epochs < 1 || c->epochs > 100000)
        return dp_error_set(err, DP_ERR_ARG, "epochs must be 1..100000 (got %d)", c->epochs);
    if (c->batch < 1 || c->batch > 65536)
        return dp_error_set(err, DP_ERR_ARG, "batch must be 1..65536 (got %d)", c->batch);
    if (!(c->lr > 0.0f && c->lr < 100.0f))
        return dp_error_set(err, DP_ERR_ARG, "learning rate must be in (0, 100) (got %g)",
                            (double)c->lr);
    if (!(c->lr_min >= 0.0f && c->lr_min <= c->lr))
        return dp_error_set(err, DP_ERR_ARG, "lr-min must be in [0, lr] (got %g)",
                            (double)c->lr_min);
    if (!(c->momentum >= 0.0f && c->momentum < 1.0f))
        return dp_error_set(err, DP_ERR_ARG, "momentum must be in [0, 1) (got %g)",
                            (double)c->momentum);
    if (!(c->weight_decay >= 0.0f && c->weight_decay < 1.0f))
        return dp_error_set(err, DP_ERR_ARG, "weight decay must be in [0, 1) (got %g)",
                            (double)c->weight_decay);
    if (c->threads < 0 || c->threads > DP_MAX_THREADS)
        return dp_error_set(err, DP_ERR_ARG, "threads must be 0 (auto) or 1..%d (got %d)",
                            DP_MAX_THREADS, c->threads);
    if (c->layer1 != DP_LAYER1_AUTO && c->layer1 != DP_LAYER1_DENSE &&
        c->layer1 != DP_LAYER1_SPARSE)
        return dp_error_set(err, DP_ERR_ARG, "unknown layer-1 path %d", (int)c->layer1);
    if (c->schedule != DP_SCHEDULE_CONSTANT && c->schedule != DP_SCHEDULE_COSINE &&
        c->schedule != DP_SCHEDULE_STEP)
        return dp_error_set(err, DP_ERR_ARG, "unknown learning-rate schedule %d", (int)c->schedule);
    if (!(c->extra_share >= 0.0f && c->extra_share <= DP_TRAIN_MAX_EXTRA_SHARE))
        return dp_error_set(err, DP_ERR_ARG, "extra share must be in [0, %g] (got %g)",
                            (double)DP_TRAIN_MAX_EXTRA_SHARE, (double)c->extra_share);
    if (c->extra_share > 0.0f && (!c->extra || c->extra->count == 0))
        return dp_error_set(err, DP_ERR_ARG,
                            "an extra share without an extra set (or it is empty)");
    return DP_OK;
}

float dp_train_lr_at(const dp_train_config *c, double epoch_pos) {
    double t = c->epochs > 0 ? epoch_pos / c->epochs : 0.0;
    if (t < 0.0) t = 0.0;
    if (t > 1.0) t = 1.0;
    switch (c->schedule) {
    case DP_SCHEDULE_COSINE:
        return (float)(c->lr_min +
                       0.5 * (c->lr - c->lr_min) * (1.0 + cos(3.14159265358979323846 * t)));
    case DP_SCHEDULE_STEP:
        return c->lr * (t < 0.5 ? 1.0f : t < 0.75 ? 0.1f : 0.01f);
    case DP_SCHEDULE_CONSTANT:
        break;
    }
    return c->lr;
}

/* The extra set, if any, must fit the network like the main one. */
static dp_status check_extra(const dp_mlp *m, const dp_train_config *cfg, dp_error *err) {
    const dp_dataset *x = cfg->extra_share > 0.0f ? cfg->extra : NULL;
    if (!x) return DP_OK;
    if (!x->images || !x->labels) return dp_error_set(err, DP_ERR_ARG, "empty extra set");
    if ((uint64_t)x->rows * x->cols != (uint64_t)m->n_in)
        return dp_error_set(err, DP_ERR_SHAPE, "network takes %d inputs but extra images are %ux%u",
                            m->n_in, x->rows, x->cols);
    for (uint32_t i = 0; i < x->count; i++)
        if (x->labels[i] >= m->n_out)
            return dp_error_set(err, DP_ERR_SHAPE,
                                "network has %d outputs but an extra label is %u", m->n_out,
                                x->labels[i]);
    return DP_OK;
}

/* Run the step on n threads (a batch or one sample alike). Everything the
 * step needs is allocated here, so a training step cannot fail later. */
static dp_status apply_threads(dp_trainer *t, int n) {
    int old = dp_step_threads(t->step);
    dp_status s = dp_step_set_threads(t->step, n);
    if (s == DP_OK) s = dp__step_reserve(t->step, t->cfg.batch);
    if (s != DP_OK) dp_step_set_threads(t->step, old);
    return s;
}

/* threads: 1..DP_MAX_THREADS, or 0 for one per online core, measured. */
static dp_status step_threads(dp_trainer *t, int threads) {
    if (threads < 0 || threads > DP_MAX_THREADS) return DP_ERR_ARG;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int most = cores < 1 ? 1 : cores > DP_MAX_THREADS ? DP_MAX_THREADS : (int)cores;
    int n = threads > 0 ? threads : most;
    dp_status s = apply_threads(t, n);
    if (s != DP_OK) return s;
    /* measured: room for the team is made above, but the first window is
     * one thread's, which cannot stall if another program has a core */
    const int measure = threads == 0 && most > 1;
    if (measure) (void)dp_step_set_threads(t->step, 1); /* 1 cannot fail: it parks the team */
    t->cfg.threads = threads;
    dp__tuner_init(&t->tune, measure, most, dp_step_threads(t->step));
    return DP_OK;
}

/* After a batch of n samples that took seconds: the thread count of the
 * next batch, by measuring (tuner.h). */
static void tune_after_batch(dp_trainer *t, int n, double seconds) {
    const int next = dp__tuner_after_batch(&t->tune, n, seconds);
    if (next != t->tune.now && apply_threads(t, next) == DP_OK) t->tune.now = next;
}

void dp_train_config_to_run(const dp_train_config *c, dp_model_run *r) {
    memset(r, 0, sizeof *r);
    r->known = 1;
    r->lr = c->lr;
    r->lr_min = c->lr_min;
    r->schedule = (int)c->schedule;
    r->batch = c->batch;
    r->momentum = c->momentum;
    r->weight_decay = c->weight_decay;
    r->epochs = c->epochs;
    r->threads = c->threads;
    r->augment = c->augment;
}

void dp_train_config_from_run(dp_train_config *c, const dp_model_run *r) {
    c->lr = r->lr;
    c->lr_min = r->lr_min;
    c->schedule = (dp_schedule)r->schedule;
    c->batch = r->batch;
    c->momentum = r->momentum;
    c->weight_decay = r->weight_decay;
    c->epochs = r->epochs;
    c->threads = r->threads;
    c->augment = r->augment;
}

dp_status dp_train_fresh_network(dp_mlp **out, int n_in, int n_hidden, int n_out, uint64_t seed) {
    dp_status s = dp_mlp_create(out, n_in, n_hidden, n_out);
    if (s != DP_OK) return s;
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_mlp_init_he(*out, &rng);
    return DP_OK;
}

dp_status dp_trainer_create(dp_trainer **out, dp_mlp *m, const dp_dataset *train,
                            const dp_train_config *cfg, dp_error *err) {
    if (!out) return dp_error_set(err, DP_ERR_ARG, "no output pointer");
    *out = NULL;
    dp_status s = dp_train_config_check(cfg, err);
    if (s != DP_OK) return s;
    if (!m || !train || train->count == 0 || !train->images || !train->labels)
        return dp_error_set(err, DP_ERR_ARG, "no network or empty training set");
    if ((uint64_t)train->rows * train->cols != (uint64_t)m->n_in)
        return dp_error_set(err, DP_ERR_SHAPE, "network takes %d inputs but images are %ux%u",
                            m->n_in, train->rows, train->cols);
    uint8_t max_label = 0;
    for (uint32_t i = 0; i < train->count; i++)
        if (train->labels[i] > max_label) max_label = train->labels[i];
    if (max_label >= m->n_out)
        return dp_error_set(err, DP_ERR_SHAPE, "network has %d outputs but a label is %u", m->n_out,
                            max_label);
    s = check_extra(m, cfg, err);
    if (s != DP_OK) return s;
    dp_trainer *t = calloc(1, sizeof *t);
    if (!t) return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
    t->m = m;
    t->data = train;
    t->cfg = *cfg;
    int batch = cfg->batch < (int)train->count ? cfg->batch : (int)train->count;
    t->cfg.batch = batch;
    t->extra_rows = cfg->extra_share > 0.0f ? (int)lround((double)batch * cfg->extra_share) : 0;
    if (t->extra_rows >= batch) t->extra_rows = batch - 1;
    t->main_rows = batch - t->extra_rows;
    if (t->extra_rows == 0) t->cfg.extra = NULL;
    dp_rng_seed(&t->rng, cfg->seed);
    s = dp_step_create(&t->step, m, batch);
    /* Batches share out the hidden units over the step's team, so each
     * BLAS call stays on its calling thread (a multi-threaded BLAS inside
     * the team would only oversubscribe the cores). */
    if (s == DP_OK) s = step_threads(t, cfg->threads);
    if (s == DP_OK) dp_blas_set_threads(1);
    if (s == DP_OK) dp_step_set_layer1(t->step, cfg->layer1);
    if (s == DP_OK && cfg->augment.enabled) s = dp_augmenter_create(&t->aug, &cfg->augment);
    if (s == DP_OK && cfg->momentum != 0.0f)
        s = dp_mlp_create(&t->velocity, m->n_in, m->n_hidden, m->n_out);

    t->order = malloc((size_t)train->count * sizeof *t->order);
    t->X = malloc((size_t)batch * m->n_in * sizeof *t->X);
    t->y = malloc((size_t)batch);
    if (s == DP_OK && (!t->order || !t->X || !t->y)) s = DP_ERR_NOMEM;
    if (s != DP_OK) {
        dp_trainer_destroy(t);
        return dp_error_set(err, s, "cannot set up training: %s", dp_status_str(s));
    }
    for (uint32_t i = 0; i < train->count; i++) t->order[i] = i;
    t->prog.epochs = cfg->epochs;
    t->prog.epoch_size = train->count;
    t->prog.lr = dp_train_lr_at(&t->cfg, 0.0);
    *out = t;
    return DP_OK;
}

void dp_trainer_destroy(dp_trainer *t) {
    if (!t) return;
    dp_augmenter_destroy(t->next_aug);
    dp_step_destroy(t->step);
    dp_mlp_destroy(t->velocity);
    dp_augmenter_destroy(t->aug);
    free(t->order);
    free(t->X);
    free(t->y);
    free(t);
}

/* Making a batch: rows order[pos..pos+n) of the data set into t->X and
 * t->y, augmented if asked. The training step's team calls this, each
 * member for the runs of rows it claims (the augmenter is read-only). Each
 * augmented sample draws from its own generator, seeded by the run's seed
 * and the sample's position in the whole run: the same distortions
 * whatever the number of threads. */
typedef struct load_job {
    dp_trainer *t;
    uint32_t pos;
    int n_main; /* rows [0, n_main) come from the main set, the rest from cfg.extra */
} load_job;

/* Rows [r0, r1) of the extra part: each picks a random extra sample with
 * its own generator (seeded from the run's seed and the extra row's number
 * in the whole run), then is augmented with it. */
static void load_extra_rows(const load_job *job, int r0, int r1) {
    dp_trainer *t = job->t;
    const dp_dataset *x = t->cfg.extra;
    const size_t px = (size_t)x->rows * x->cols;
    for (int r = r0; r < r1; r++) {
        dp_rng rng;
        uint64_t k = t->extra_seen + (uint64_t)(r - job->n_main);
        dp_rng_seed(&rng, t->cfg.seed ^ (0xd1b54a32d192ed03ULL * (k + 1)) ^ 0x5851f42d4c957f2dULL);
        uint32_t i = dp_rng_below(&rng, x->count);
        if (t->aug)
            dp_augment_image(t->aug, &rng, x->images + (size_t)i * px, t->X + (size_t)r * px);
        else
            dp_dataset_batch(x, &i, 1, t->X + (size_t)r * px, NULL);
        t->y[r] = x->labels[i];
    }
}

/* Asks for the images of rows [r0, r1) of the next batch of the epoch to be
 * brought into the caches (whichever member makes them then): the shuffled
 * samples lie far apart in memory, and by the next batch they come from
 * the shared cache instead of main memory (a member's share of a batch
 * of 64 took 11-13 us to make before, 9-10 us with this: phase timers,
 * quiet runs). */
static void prefetch_next_rows(const load_job *job, int r0, int r1) {
    const dp_trainer *t = job->t;
    const uint32_t *next = t->order + job->pos + job->n_main;
    const uint32_t left = t->prog.epoch_size - job->pos - (uint32_t)job->n_main;
    const size_t px = (size_t)t->data->rows * t->data->cols;
    for (int r = r0; r < r1 && (uint32_t)r < left; r++)
        for (size_t p = 0; p < px; p += 64)
            __builtin_prefetch(t->data->images + (size_t)next[r] * px + p, 0, 1);
}

static void load_rows(void *ctx, int r0, int r1, int member) {
    const load_job *job = ctx;
    dp_trainer *t = job->t;
    const uint32_t *idx = t->order + job->pos;
    const size_t px = (size_t)t->data->rows * t->data->cols;
    (void)member;
    if (r1 > job->n_main) {
        load_extra_rows(job, r0 > job->n_main ? r0 : job->n_main, r1);
        r1 = job->n_main;
        if (r0 >= r1) return;
    }
    if (!t->aug) {
        dp_dataset_batch(t->data, idx + r0, r1 - r0, t->X + (size_t)r0 * px, t->y + r0);
        prefetch_next_rows(job, r0, r1);
        return;
    }
    for (int r = r0; r < r1; r++) {
        dp_rng rng;
        uint64_t sample = t->prog.samples_seen + (uint64_t)r;
        dp_rng_seed(&rng, t->cfg.seed ^ (0x9e3779b97f4a7c15ULL * (sample + 1)));
        dp_augment_image(t->aug, &rng, t->data->images + (size_t)idx[r] * px,
                         t->X + (size_t)r * px);
        t->y[r] = t->data->labels[idx[r]];
    }
    prefetch_next_rows(job, r0, r1);
}

int dp_trainer_run(dp_trainer *t, int max_batches, dp_train_progress *p) {
    dp_train_progress *g = &t->prog;
    g->epoch_ended = 0;
    int done = 0;
    double t0 = dp__seconds();
    while (done < max_batches && g->epoch < g->epochs && t->status == DP_OK) {
        if (g->pos == 0) { /* a new epoch */
            if (t->augment_pending) {
                dp_augmenter_destroy(t->aug);
                t->aug = t->next_aug;
                t->cfg.augment = t->next_augment;
                t->next_aug = NULL;
                t->augment_pending = 0;
            }
            dp_rng_shuffle_u32(&t->rng, t->order, t->data->count);
            t->epoch_loss_sum = 0.0;
            g->epoch_seconds = 0.0;
        }
        uint32_t left = g->epoch_size - g->pos;
        int n = left < (uint32_t)t->main_rows ? (int)left : t->main_rows;
        /* a short last batch keeps the extra share */
        int e = (int)((int64_t)t->extra_rows * n / t->main_rows);
        g->lr = dp_train_lr_at(&t->cfg, g->epoch + (double)g->pos / g->epoch_size);
        double loss = 0.0;
        load_job job = {t, g->pos, n};
        /* labels were checked against the network when t was created */
        const dp_hyper hp = {g->lr, t->cfg.momentum, t->cfg.weight_decay};
        const double b0 = t->tune.on ? dp__seconds() : 0.0;
        g->threads = dp_step_threads(t->step);
        dp_status st = dp__step_run_filled(t->step, t->m, t->X, t->y, n + e, &hp, t->velocity,
                                           &loss, load_rows, &job);
        if (st != DP_OK) {
            t->status = st;
            break;
        }
        if (t->tune.on) tune_after_batch(t, n + e, dp__seconds() - b0);
        g->batch_loss = loss;
        t->last_rows = n + e; /* the extra rows are part of the batch */
        t->extra_seen += (uint64_t)e;
        t->epoch_loss_sum += loss * n;
        g->pos += (uint32_t)n;
        g->steps++;
        g->samples_seen += (uint64_t)n;
        g->epoch_loss = t->epoch_loss_sum / g->pos;
        done++;
        if (g->pos >= g->epoch_size) {
            double t1 = dp__seconds();
            g->epoch_seconds += t1 - t0;
            t0 = t1;
            g->samples_per_sec = g->epoch_seconds > 0 ? g->pos / g->epoch_seconds : 0.0;
            g->epoch++;
            g->pos = 0;
            g->epoch_ended = 1;
            break;
        }
    }
    if (!g->epoch_ended && done > 0) {
        g->epoch_seconds += dp__seconds() - t0;
        g->samples_per_sec = g->epoch_seconds > 0 ? g->pos / g->epoch_seconds : 0.0;
    }
    g->done = g->epoch >= g->epochs;
    if (p) *p = *g;
    return done;
}

dp_status dp_trainer_set_lr(dp_trainer *t, float lr) {
    if (!t || !(lr > 0.0f && lr < 100.0f)) return DP_ERR_ARG;
    /* the cosine's end keeps its ratio to the base rate */
    t->cfg.lr_min = (float)((double)t->cfg.lr_min * ((double)lr / (double)t->cfg.lr));
    if (t->cfg.lr_min > lr) t->cfg.lr_min = lr;
    t->cfg.lr = lr;
    return DP_OK;
}

dp_status dp_trainer_set_augment(dp_trainer *t, const dp_augment_config *a) {
    if (!t) return DP_ERR_ARG;
    dp_augment_config c = a && a->enabled ? *a : dp_augment_none();
    dp_augmenter *aug = NULL;
    if (c.enabled) {
        dp_status s = dp_augmenter_create(&aug, &c);
        if (s != DP_OK) return s;
    }
    dp_augmenter_destroy(t->next_aug);
    t->next_aug = aug;
    t->next_augment = c;
    t->augment_pending = 1;
    return DP_OK;
}

dp_status dp_trainer_set_threads(dp_trainer *t, int threads) {
    return t ? step_threads(t, threads) : DP_ERR_ARG;
}

int dp_trainer_threads(const dp_trainer *t) {
    return t ? dp_step_threads(t->step) : 0;
}

void dp_trainer_config(const dp_trainer *t, dp_train_config *cfg) {
    *cfg = t->cfg;
    if (t->augment_pending) cfg->augment = t->next_augment;
}

void dp_trainer_progress(const dp_trainer *t, dp_train_progress *p) {
    *p = t->prog;
}

dp_status dp_trainer_status(const dp_trainer *t) {
    return t ? t->status : DP_ERR_ARG;
}

int dp_trainer_last_batch(const dp_trainer *t, const float **X, const uint8_t **y) {
    if (!t || t->last_rows == 0) return 0;
    if (X) *X = t->X;
    if (y) *y = t->y;
    return t->last_rows;
}

dp_status dp_evaluate_range(const dp_mlp *m, const dp_dataset *ds, uint32_t first, uint32_t count,
                            dp_eval *acc, dp_eval_sample *per_sample) {
    if (!m || !ds || !acc) return DP_ERR_ARG;
    if (first > ds->count || count > ds->count - first) return DP_ERR_ARG;
    if ((uint64_t)ds->rows * ds->cols != (uint64_t)m->n_in || m->n_out > 10) return DP_ERR_SHAPE;
    for (uint32_t i = first; i < first + count; i++)
        if (ds->labels[i] >= m->n_out) return DP_ERR_RANGE; /* n_out <= 10: fits the matrix */
    dp_workspace *ws = NULL;
    float *x = malloc((size_t)m->n_in * sizeof *x);
    dp_status s = x ? dp_workspace_create(&ws, m, 1) : DP_ERR_NOMEM;
    /* one sample at a time, each on its own (the result of a sample does
     * not depend on its neighbours), its loss added in sample order */
    for (uint32_t i = first; s == DP_OK && i < first + count; i++) {
        uint8_t y;
        dp_dataset_batch(ds, &i, 1, x, &y);
        const float *P = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
        int pred = dp_argmax(P, m->n_out);
        acc->loss_sum += dp__row_loss(ws->net2, y, m->n_out);
        acc->confusion[y][pred]++;
        acc->correct += pred == y;
        acc->count++;
        if (per_sample) per_sample[i - first] = (dp_eval_sample){y, (uint8_t)pred, P[pred]};
    }
    if (s == DP_OK) acc->loss = acc->count ? acc->loss_sum / acc->count : 0.0;
    dp_workspace_destroy(ws);
    free(x);
    return s;
}

dp_status dp_evaluate(const dp_mlp *m, const dp_dataset *ds, dp_eval *out) {
    if (!m || !ds || !out) return DP_ERR_ARG;
    memset(out, 0, sizeof *out);
    return dp_evaluate_range(m, ds, 0, ds->count, out, NULL);
}

double dp_eval_accuracy(const dp_eval *e) {
    return e && e->count ? (double)e->correct / e->count : 0.0;
}
