/* digitpad-cli pen-render: turn the pen-digit strokes (docs/pen-digits.md)
 * into an IDX set of network inputs, drawn as the window draws mouse
 * strokes and preprocessed as the window does, for `train --extra DIR`
 * and `eval --data DIR`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "digitpad/canvas.h"
#include "digitpad/dataset.h"
#include "digitpad/mlp.h"
#include "digitpad/pen.h"
#include "digitpad/preprocess.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli pen-render --out DIR [options]\n"
          "\n"
          "Draw every pen digit of DIR/dev.json with the window's brush on the 28x28\n"
          "canvas, preprocess it as the window does, and write the network inputs as an\n"
          "IDX set: OUT/train-*-ubyte (writers not held out, --copies placements each) and,\n"
          "with --holdout, OUT/t10k-*-ubyte (the held-out writers, one placement each).\n"
          "\n"
          "options:\n"
          "  --out DIR           directory to write (created if missing), required\n"
          "  --pen-data DIR      pen-digit directory (default: $DIGITPAD_PEN_DATA, else\n"
          "                      data/human-digits)\n"
          "  --holdout LIST      comma-separated writers kept out of the train split\n"
          "  --copies N          placements per training drawing (default 4)\n"
          "  --min-height F      smallest drawing height, fraction of the canvas (default 0.5)\n"
          "  --max-height F      largest drawing height (default 0.9)\n"
          "  --seed S            seed of the placements (default 1)\n"
          "\n"
          "example:\n"
          "  digitpad-cli pen-render --holdout w03,w14 --out data/pen-idx\n",
          out);
}

/* Every name in the list must be a writer of the set. */
static int check_holdout(const dp_pen_set *s, const char *list) {
    if (!list) return 0;
    char name[DP_PEN_WRITER_LEN + 1];
    for (const char *p = list; *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        int found = 0;
        if (len > 0 && len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            for (uint32_t w = 0; w < s->n_writers && !found; w++)
                found = strcmp(s->writers[w], name) == 0;
        }
        if (!found)
            return cli_failf("pen-render", "--holdout: '%.*s' is not a writer of the set", (int)len,
                             p);
        if (!q) break;
        p = q + 1;
    }
    return 0;
}

typedef struct render_job {
    const dp_pen_set *set;
    const char *holdout;
    int held; /* 1: the held-out writers, 0: the others */
    int copies;
    float min_h, max_h;
    uint64_t seed;
} render_job;

/* Render the selected drawings into ds (allocated here). */
static int render_split(const render_job *j, dp_canvas *c, dp_dataset *ds) {
    memset(ds, 0, sizeof *ds);
    uint32_t n = 0;
    for (uint32_t i = 0; i < j->set->count; i++)
        n += dp_pen_writer_listed(j->holdout, j->set->writers[j->set->drawings[i].writer]) ==
             j->held;
    uint64_t total = (uint64_t)n * (uint64_t)j->copies;
    if (total > DP_IDX_MAX_COUNT)
        return cli_failf("pen-render", "too many images (%llu)", (unsigned long long)total);
    ds->rows = ds->cols = DP_MNIST_SIDE;
    ds->images = malloc(total ? (size_t)total * DP_MNIST_PIXELS : 1);
    ds->labels = malloc(total ? (size_t)total : 1);
    if (!ds->images || !ds->labels) {
        dp_dataset_free(ds);
        return cli_failf("pen-render", "out of memory");
    }
    dp_brush b = dp_brush_default();
    dp_rng rng;
    dp_rng_seed(&rng, j->seed ^ (uint64_t)j->held);
    uint32_t k = 0;
    for (int copy = 0; copy < j->copies; copy++)
        for (uint32_t i = 0; i < j->set->count; i++) {
            const dp_pen_drawing *d = &j->set->drawings[i];
            if (dp_pen_writer_listed(j->holdout, j->set->writers[d->writer]) != j->held) continue;
            dp_pen_place p =
                dp_pen_place_random(&rng, d, DP_MNIST_SIDE, j->min_h, j->max_h, b.radius);
            dp_pen_render(j->set, d, &p, c, &b);
            float x[DP_MNIST_PIXELS];
            if (dp_preprocess(c->cells, c->w, c->h, x) != DP_OK) continue; /* no digit */
            uint8_t *img = ds->images + (size_t)k * DP_MNIST_PIXELS;
            for (int q = 0; q < DP_MNIST_PIXELS; q++) img[q] = (uint8_t)(x[q] * 255.0f + 0.5f);
            ds->labels[k++] = d->label;
        }
    ds->count = k;
    return 0;
}

int cmd_pen_render(int argc, char **argv) {
    const char *out = NULL, *pen = NULL, *holdout = NULL;
    render_job j = {NULL, NULL, 0, 4, 0.5f, 0.9f, 1};
    const cli_opt opts[] = {
        {"--out", CLI_OPT_STRING, &out, 0, 0, 0, NULL},
        {"--pen-data", CLI_OPT_STRING, &pen, 0, 0, 0, NULL},
        {"--holdout", CLI_OPT_STRING, &holdout, 0, 0, 0, NULL},
        {"--copies", CLI_OPT_INT, &j.copies, 1, 1000, 0, NULL},
        {"--min-height", CLI_OPT_FLOAT, &j.min_h, 0.3, 1.0, 0, NULL},
        {"--max-height", CLI_OPT_FLOAT, &j.max_h, 0.3, 1.0, 0, NULL},
        {"--seed", CLI_OPT_U64, &j.seed, 0, 0, 0, NULL},
    };
    const cli_spec spec = {"pen-render", usage, opts, (int)(sizeof opts / sizeof opts[0]),
                           CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (npos > 0) return cli_usage_error(&spec, "unexpected argument '%s'", argv[1]);
    if (!out) return cli_usage_error(&spec, "missing --out DIR");
    if (j.min_h > j.max_h)
        return cli_usage_error(&spec, "--min-height %g is above --max-height %g", (double)j.min_h,
                               (double)j.max_h);
    if (holdout && !*holdout) holdout = NULL;

    char path[4096];
    snprintf(path, sizeof path, "%s/dev.json", dp_pen_data_dir(pen, getenv(DP_PEN_DATA_ENV)));
    dp_pen_set set;
    dp_error err = {0};
    if (dp_pen_load(path, &set, &err) != DP_OK) return cli_fail("cannot read the pen digits", &err);
    j.set = &set;
    j.holdout = holdout;
    int rc = check_holdout(&set, holdout);
    if (rc == 0 && mkdir(out, 0777) != 0 && errno != EEXIST)
        rc = cli_failf("pen-render", "cannot create %s: %s", out, strerror(errno));
    dp_canvas *c = NULL;
    if (rc == 0 && dp_canvas_create(&c, DP_MNIST_SIDE, DP_MNIST_SIDE) != DP_OK)
        rc = cli_failf("pen-render", "out of memory");
    for (int held = 0; rc == 0 && held <= (holdout ? 1 : 0); held++) {
        render_job s = j;
        s.held = held;
        if (held) s.copies = 1;
        dp_dataset ds;
        if (render_split(&s, c, &ds) != 0) {
            rc = CLI_EXIT_FAIL;
            break;
        }
        const char *prefix = held ? "t10k" : "train";
        if (dp_dataset_save(&ds, out, prefix, &err) != DP_OK)
            rc = cli_fail("cannot write the set", &err);
        else
            printf("%s/%s-*-ubyte: %u images (%s)\n", out, prefix, ds.count,
                   held ? "held-out writers" : "training writers");
        dp_dataset_free(&ds);
    }
    dp_canvas_destroy(c);
    dp_pen_free(&set);
    return rc;
}
