#include "train_opts.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fputs("usage: digitpad-cli train --out FILE [options]\n"
          "\n"
          "Train the 784-800-10 ReLU/softmax network on MNIST with mini-batch SGD and save\n"
          "it. Prints the test accuracy after every epoch. Ctrl-C stops after the current\n"
          "slice of batches, saves what was learned to --out and exits with status 130.\n"
          "\n"
          "options:\n"
          "  --out FILE            model file to write (.dpm), required\n"
          "  --data DIR            MNIST directory (default: $DIGITPAD_DATA, else data/mnist)\n"
          "  --epochs N            passes over the 60,000 training images (default 5)\n"
          "  --batch B             mini-batch size; 1 is per-sample SGD (default 64)\n"
          "  --lr X                learning rate (default 0.05)\n"
          "  --schedule S          constant, cosine (to --lr-min) or step (x0.1 at 50%\n"
          "                        and 75% of the epochs) (default cosine)\n"
          "  --lr-min X            final learning rate of the cosine schedule (default 0)\n"
          "  --momentum X          momentum, 0 disables it (default 0.9)\n"
          "  --weight-decay X      L2 penalty on the weights (default 0)\n"
          "  --seed S              seed for initialisation, shuffling, augmentation (default 1)\n"
          "  --init FILE           start from this model instead of a fresh He-initialised one\n"
          "  --augment A           none, affine, elastic or default (affine + elastic)\n"
          "                        (default none)\n"
          "  --shift PX            random shift up to PX pixels per axis\n"
          "  --rotate DEG          random rotation up to DEG degrees\n"
          "  --scale S             random scale factor in [1-S, 1+S]\n"
          "  --shear S             random shear factor in [-S, S]\n"
          "  --elastic-alpha PX    elastic distortion, RMS displacement in pixels (0 = off)\n"
          "  --elastic-sigma PX    smoothness of the elastic distortion in pixels\n"
          "  --threads N           threads for training (default: one per processor core)\n"
          "  --layer1 P            auto, dense or sparse: how layer 1 of a batch is computed\n"
          "                        (default: $DIGITPAD_LAYER1, else auto; same result up to\n"
          "                        float rounding)\n"
          "  --limit N             train on the first N training images only (default: all)\n"
          "  --quiet               no progress display on stderr\n"
          "\n"
          "The fine-grained augmentation options change the values of the --augment preset\n"
          "(or of none); augmentation is on when any distortion is non-zero.\n"
          "\n"
          "example:\n"
          "  digitpad-cli train --epochs 5 --out mnist.dpm\n",
          out);
}

/* The command line, shell-quoted where needed, cut with "..." to fit. */
static void build_note(char *note, size_t n, int argc, char **argv) {
    size_t len = (size_t)snprintf(note, n, "digitpad-cli");
    for (int i = 0; i < argc && len < n; i++) {
        int quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t'\"\\$") != NULL;
        len += (size_t)snprintf(note + len, n - len, quote ? " '%s'" : " %s", argv[i]);
    }
    if (len >= n) memcpy(note + n - 4, "...", 4);
}

static int parse_schedule(const char *s, dp_schedule *out) {
    if (strcmp(s, "constant") == 0) {
        *out = DP_SCHEDULE_CONSTANT;
    } else if (strcmp(s, "cosine") == 0) {
        *out = DP_SCHEDULE_COSINE;
    } else if (strcmp(s, "step") == 0) {
        *out = DP_SCHEDULE_STEP;
    } else {
        return -1;
    }
    return 0;
}

/* Presets: "affine" and "elastic" are the two halves of the default. */
static int parse_augment(const char *s, dp_augment_config *out) {
    dp_augment_config c = dp_augment_default();
    if (strcmp(s, "none") == 0) {
        c = dp_augment_none();
    } else if (strcmp(s, "affine") == 0) {
        c.elastic_alpha = 0.0f;
    } else if (strcmp(s, "elastic") == 0) {
        c.max_shift = c.max_rotate = c.max_scale = c.max_shear = 0.0f;
    } else if (strcmp(s, "default") != 0) {
        return -1;
    }
    *out = c;
    return 0;
}

typedef struct aug_flags {
    float shift, rotate, scale, shear, alpha, sigma;
    int has_shift, has_rotate, has_scale, has_shear, has_alpha, has_sigma;
} aug_flags;

static void apply_aug_flags(dp_augment_config *c, const aug_flags *f) {
    if (f->has_shift) c->max_shift = f->shift;
    if (f->has_rotate) c->max_rotate = f->rotate;
    if (f->has_scale) c->max_scale = f->scale;
    if (f->has_shear) c->max_shear = f->shear;
    if (f->has_alpha) c->elastic_alpha = f->alpha;
    if (f->has_sigma) c->elastic_sigma = f->sigma;
    c->enabled = c->max_shift > 0.0f || c->max_rotate > 0.0f || c->max_scale > 0.0f ||
                 c->max_shear > 0.0f || c->elastic_alpha > 0.0f;
}

int train_opts_layer1(const char *flag, dp_layer1 *out) {
    const char *s = flag ? flag : getenv("DIGITPAD_LAYER1");
    if (!s || strcmp(s, "auto") == 0 || (!flag && *s == '\0')) {
        *out = DP_LAYER1_AUTO;
    } else if (strcmp(s, "dense") == 0) {
        *out = DP_LAYER1_DENSE;
    } else if (strcmp(s, "sparse") == 0) {
        *out = DP_LAYER1_SPARSE;
    } else {
        return -1;
    }
    return 0;
}

int train_opts_parse(train_opts *o, int argc, char **argv) {
    memset(o, 0, sizeof *o);
    dp_train_config_default(&o->cfg);
    build_note(o->note, sizeof o->note, argc, argv);
    dp_train_config *c = &o->cfg;
    const char *schedule = NULL, *augment = NULL, *layer1 = NULL;
    int has_lr_min = 0;
    aug_flags af = {0};
    const cli_opt opts[] = {
        {"--out", CLI_OPT_STRING, &o->out, 0, 0, 0, NULL},
        {"--data", CLI_OPT_STRING, &o->data, 0, 0, 0, NULL},
        {"--init", CLI_OPT_STRING, &o->init, 0, 0, 0, NULL},
        {"--epochs", CLI_OPT_INT, &c->epochs, 1, 100000, 0, NULL},
        {"--batch", CLI_OPT_INT, &c->batch, 1, 65536, 0, NULL},
        {"--lr", CLI_OPT_FLOAT, &c->lr, 0, 99.0, 1, NULL},
        {"--lr-min", CLI_OPT_FLOAT, &c->lr_min, 0, 99.0, 0, &has_lr_min},
        {"--schedule", CLI_OPT_STRING, &schedule, 0, 0, 0, NULL},
        {"--momentum", CLI_OPT_FLOAT, &c->momentum, 0, 0.999, 0, NULL},
        {"--weight-decay", CLI_OPT_FLOAT, &c->weight_decay, 0, 0.5, 0, NULL},
        {"--seed", CLI_OPT_U64, &c->seed, 0, 0, 0, NULL},
        {"--augment", CLI_OPT_STRING, &augment, 0, 0, 0, NULL},
        {"--shift", CLI_OPT_FLOAT, &af.shift, 0, DP_AUGMENT_MAX_SHIFT, 0, &af.has_shift},
        {"--rotate", CLI_OPT_FLOAT, &af.rotate, 0, DP_AUGMENT_MAX_ROTATE, 0, &af.has_rotate},
        {"--scale", CLI_OPT_FLOAT, &af.scale, 0, DP_AUGMENT_MAX_SCALE, 0, &af.has_scale},
        {"--shear", CLI_OPT_FLOAT, &af.shear, 0, DP_AUGMENT_MAX_SHEAR, 0, &af.has_shear},
        {"--elastic-alpha", CLI_OPT_FLOAT, &af.alpha, 0, DP_AUGMENT_MAX_ALPHA, 0, &af.has_alpha},
        {"--elastic-sigma", CLI_OPT_FLOAT, &af.sigma, DP_AUGMENT_MIN_SIGMA, DP_AUGMENT_MAX_SIGMA, 0,
         &af.has_sigma},
        {"--threads", CLI_OPT_INT, &c->threads, 1, DP_MAX_THREADS, 0, NULL},
        {"--layer1", CLI_OPT_STRING, &layer1, 0, 0, 0, NULL},
        {"--limit", CLI_OPT_INT, &o->limit, 1, 1000000000, 0, NULL},
        {"--quiet", CLI_OPT_FLAG, &o->quiet, 0, 0, 0, NULL},
    };
    const cli_spec spec = {"train", usage, opts, (int)(sizeof opts / sizeof opts[0]), CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return npos;
    if (npos > 0) {
        cli_usage_error(&spec, "unexpected argument '%s'", argv[1]);
        return CLI_PARSE_BAD;
    }
    if (!o->out) {
        cli_usage_error(&spec, "missing --out FILE");
        return CLI_PARSE_BAD;
    }
    if (schedule && parse_schedule(schedule, &c->schedule) != 0) {
        cli_usage_error(&spec, "--schedule: '%s' is not one of constant, cosine, step", schedule);
        return CLI_PARSE_BAD;
    }
    if (augment && parse_augment(augment, &c->augment) != 0) {
        cli_usage_error(&spec, "--augment: '%s' is not one of none, affine, elastic, default",
                        augment);
        return CLI_PARSE_BAD;
    }
    if (train_opts_layer1(layer1, &c->layer1) != 0) {
        cli_usage_error(&spec, "%s: '%s' is not one of auto, dense, sparse",
                        layer1 ? "--layer1" : "DIGITPAD_LAYER1",
                        layer1 ? layer1 : getenv("DIGITPAD_LAYER1"));
        return CLI_PARSE_BAD;
    }
    apply_aug_flags(&c->augment, &af);
    if (has_lr_min && c->schedule != DP_SCHEDULE_COSINE) {
        cli_usage_error(&spec, "--lr-min only applies to --schedule cosine");
        return CLI_PARSE_BAD;
    }
    if (c->lr_min > c->lr) {
        cli_usage_error(&spec, "--lr-min: %g is larger than --lr %g", (double)c->lr_min,
                        (double)c->lr);
        return CLI_PARSE_BAD;
    }
    dp_error err = {0};
    if (dp_train_config_check(c, &err) != DP_OK) {
        cli_usage_error(&spec, "%s", err.msg);
        return CLI_PARSE_BAD;
    }
    return 0;
}

static const char *schedule_name(dp_schedule s) {
    switch (s) {
    case DP_SCHEDULE_CONSTANT:
        return "constant";
    case DP_SCHEDULE_COSINE:
        return "cosine";
    case DP_SCHEDULE_STEP:
        return "step";
    }
    return "?";
}

void train_opts_describe(const train_opts *o, char *buf, size_t n) {
    const dp_train_config *c = &o->cfg;
    const dp_augment_config *a = &c->augment;
    char aug[160];
    if (!a->enabled) {
        snprintf(aug, sizeof aug, "none");
    } else {
        snprintf(aug, sizeof aug, "shift %g rotate %g scale %g shear %g elastic %g/%g",
                 (double)a->max_shift, (double)a->max_rotate, (double)a->max_scale,
                 (double)a->max_shear, (double)a->elastic_alpha, (double)a->elastic_sigma);
    }
    char lr[64];
    if (c->schedule == DP_SCHEDULE_COSINE) {
        snprintf(lr, sizeof lr, "%g cosine to %g", (double)c->lr, (double)c->lr_min);
    } else {
        snprintf(lr, sizeof lr, "%g %s", (double)c->lr, schedule_name(c->schedule));
    }
    char threads[16] = "auto";
    if (c->threads > 0) snprintf(threads, sizeof threads, "%d", c->threads);
    snprintf(buf, n,
             "%d epoch%s, batch %d, lr %s, momentum %g, weight decay %g, seed %llu, threads %s, "
             "augment %s",
             c->epochs, c->epochs == 1 ? "" : "s", c->batch, lr, (double)c->momentum,
             (double)c->weight_decay, (unsigned long long)c->seed, threads, aug);
}
