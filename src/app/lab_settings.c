#include "lab_settings.h"

#include <stdio.h>

static const float LR_STEPS[] = {0.001f, 0.002f, 0.005f, 0.01f, 0.02f,
                                 0.05f,  0.1f,   0.2f,   0.5f,  1.0f};
static const int BATCH_STEPS[] = {1, 8, 16, 32, 64, 128, 256};
static const float MOMENTUM_STEPS[] = {0.0f, 0.5f, 0.9f};
static const int HIDDEN_STEPS[] = {16, 32, 64, 128, 300, 800};
static const int EPOCH_STEPS[] = {1, 2, 3, 5, 10, 20, 30, 50, 100};
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

void lab_settings_from_config(lab_settings *s, const dp_train_config *cfg, int augment,
                              int hidden) {
    s->lr = cfg->lr;
    s->batch = cfg->batch;
    s->momentum = cfg->momentum;
    s->hidden = hidden;
    s->augment = augment != 0;
    s->epochs = cfg->epochs;
    s->seed = cfg->seed;
}

dp_train_config lab_settings_train_config(const lab_settings *s, const dp_train_config *base,
                                          int threads) {
    dp_train_config c = *base;
    c.lr = s->lr;
    if (c.lr_min > c.lr) c.lr_min = c.lr;
    c.batch = s->batch;
    c.momentum = s->momentum;
    c.epochs = s->epochs;
    c.seed = s->seed;
    c.threads = threads;
    if (!s->augment) {
        c.augment = dp_augment_none();
    } else if (!c.augment.enabled) {
        c.augment = dp_augment_default();
    }
    return c;
}

/* The next ladder value above (dir > 0) or below v; v itself at the ends. */
static float step_float(const float *steps, int n, float v, int dir) {
    if (dir > 0) {
        for (int i = 0; i < n; i++)
            if (steps[i] > v * 1.0001f) return steps[i];
    } else {
        for (int i = n - 1; i >= 0; i--)
            if (steps[i] < v * 0.9999f) return steps[i];
    }
    return v;
}

static int step_int(const int *steps, int n, int v, int dir) {
    if (dir > 0) {
        for (int i = 0; i < n; i++)
            if (steps[i] > v) return steps[i];
    } else {
        for (int i = n - 1; i >= 0; i--)
            if (steps[i] < v) return steps[i];
    }
    return v;
}

int lab_settings_step(lab_settings *s, lab_field f, int dir) {
    lab_settings old = *s;
    switch (f) {
    case LAB_LR:
        s->lr = step_float(LR_STEPS, COUNT(LR_STEPS), s->lr, dir);
        break;
    case LAB_BATCH:
        s->batch = step_int(BATCH_STEPS, COUNT(BATCH_STEPS), s->batch, dir);
        break;
    case LAB_MOMENTUM:
        s->momentum = step_float(MOMENTUM_STEPS, COUNT(MOMENTUM_STEPS), s->momentum, dir);
        break;
    case LAB_HIDDEN:
        s->hidden = step_int(HIDDEN_STEPS, COUNT(HIDDEN_STEPS), s->hidden, dir);
        break;
    case LAB_AUGMENT:
        s->augment = !s->augment;
        break;
    case LAB_EPOCHS:
        s->epochs = step_int(EPOCH_STEPS, COUNT(EPOCH_STEPS), s->epochs, dir);
        break;
    case LAB_SEED:
        if (dir > 0 || s->seed > 0) s->seed += dir > 0 ? 1 : (uint64_t)-1;
        break;
    case LAB_NFIELDS:
        break;
    }
    return old.lr != s->lr || old.batch != s->batch || old.momentum != s->momentum ||
           old.hidden != s->hidden || old.augment != s->augment || old.epochs != s->epochs ||
           old.seed != s->seed;
}

void lab_settings_new_seed(lab_settings *s) {
    /* splitmix64 of the old seed: a different, reproducible sequence of seeds */
    uint64_t z = s->seed + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    uint64_t next = z % 100000u;
    s->seed = next == s->seed ? next + 1 : next;
}

const char *lab_field_name(lab_field f) {
    switch (f) {
    case LAB_LR:
        return "lr";
    case LAB_BATCH:
        return "batch";
    case LAB_MOMENTUM:
        return "momentum";
    case LAB_HIDDEN:
        return "hidden";
    case LAB_AUGMENT:
        return "augment";
    case LAB_EPOCHS:
        return "epochs";
    case LAB_SEED:
        return "seed";
    case LAB_NFIELDS:
        break;
    }
    return "?";
}

void lab_field_value(const lab_settings *s, lab_field f, char *out, size_t n) {
    switch (f) {
    case LAB_LR:
        snprintf(out, n, "%g", (double)s->lr);
        return;
    case LAB_BATCH:
        snprintf(out, n, "%d", s->batch);
        return;
    case LAB_MOMENTUM:
        snprintf(out, n, "%g", (double)s->momentum);
        return;
    case LAB_HIDDEN:
        snprintf(out, n, "%d", s->hidden);
        return;
    case LAB_AUGMENT:
        snprintf(out, n, "%s", s->augment ? "on" : "off");
        return;
    case LAB_EPOCHS:
        snprintf(out, n, "%d", s->epochs);
        return;
    case LAB_SEED:
        snprintf(out, n, "%llu", (unsigned long long)s->seed);
        return;
    case LAB_NFIELDS:
        break;
    }
    snprintf(out, n, "?");
}

const char *lab_field_applies(lab_field f) {
    switch (f) {
    case LAB_LR:
        return "from the next batch";
    case LAB_AUGMENT:
        return "from the next epoch";
    case LAB_HIDDEN:
        return "for the next fresh network (R)";
    default:
        return "from the next run";
    }
}

void lab_settings_describe(const lab_settings *s, char *out, size_t n) {
    snprintf(out, n, "lr %g · batch %d · mom %g · %d hidden · aug %s · seed %llu", (double)s->lr,
             s->batch, (double)s->momentum, s->hidden, s->augment ? "on" : "off",
             (unsigned long long)s->seed);
}
