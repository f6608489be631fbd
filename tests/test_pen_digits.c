/* The pen-digit suite: real people's handwriting (the dev part of the UCI
 * pen digits, 26 writers, docs/pen-digits.md) drawn the way the window
 * draws a mouse stroke -- each pen-down segment one stroke of the default
 * brush on the 28x28 canvas, the drawing 55-85% of the canvas tall,
 * anywhere on it (seeded) -- then dp_preprocess and the shipped model, as
 * the window's prediction does. Prints accuracy per digit and per writer
 * and the main confusions; asserts a floor.
 *
 * Data: $DIGITPAD_PEN_DATA/dev.json (default data/human-digits; CI uses
 * ../shared/human-digits). Model: models/mnist-800.dpm or $DIGITPAD_MODEL.
 * $DIGITPAD_PEN_WRITERS=w03,w04,... scores only those writers (e.g. writers
 * a model was not trained on); the floor then is not asserted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/canvas.h"
#include "digitpad/mlp.h"
#include "digitpad/model.h"
#include "digitpad/pen.h"
#include "digitpad/preprocess.h"
#include "testutil.h"

#define SHIPPED_MODEL "models/mnist-800.dpm"
#define SIDE DP_MNIST_SIDE
#define SEED 20260101u
#define MIN_FRAC 0.55f
#define MAX_FRAC 0.85f
/* Floor on all 6,497 dev drawings with the shipped model. */
#define MIN_ACCURACY 0.98

typedef struct suite {
    uint32_t n, correct, empty;
    uint32_t per_digit[10][2]; /* [digit][total, correct] */
    uint32_t per_writer[DP_PEN_MAX_WRITERS][2];
    uint32_t confusion[10][11]; /* [true][read], 10 = no digit */
} suite;

static void run(const dp_pen_set *set, const dp_mlp *m, dp_workspace *ws, const char *writers,
                suite *s) {
    dp_canvas *c = NULL;
    if (dp_canvas_create(&c, SIDE, SIDE) != DP_OK) {
        CHECKF(0, "cannot create a canvas");
        return;
    }
    dp_brush b = dp_brush_default();
    dp_rng rng;
    dp_rng_seed(&rng, SEED);
    for (uint32_t i = 0; i < set->count; i++) {
        const dp_pen_drawing *d = &set->drawings[i];
        /* every drawing draws its placement, selected or not: a subset gets
           the same placements as in the full run */
        dp_pen_place p = dp_pen_place_random(&rng, d, SIDE, MIN_FRAC, MAX_FRAC, b.radius);
        if (writers && *writers && !dp_pen_writer_listed(writers, set->writers[d->writer]))
            continue;
        dp_pen_render(set, d, &p, c, &b);
        float x[DP_MNIST_PIXELS];
        int read = 10;
        if (dp_preprocess(c->cells, c->w, c->h, x) == DP_OK) {
            const float *prob = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
            if (prob) read = dp_argmax(prob, DP_MNIST_CLASSES);
        }
        s->n++;
        s->empty += read == 10;
        s->correct += read == d->label;
        s->per_digit[d->label][0]++;
        s->per_digit[d->label][1] += read == d->label;
        s->per_writer[d->writer][0]++;
        s->per_writer[d->writer][1] += read == d->label;
        s->confusion[d->label][read]++;
    }
    dp_canvas_destroy(c);
}

static double pct(uint32_t a, uint32_t n) {
    return n ? 100.0 * a / n : 0.0;
}

static const dp_pen_set *g_set; /* for by_writer_name */

static int by_writer_name(const void *a, const void *b) {
    return strcmp(g_set->writers[*(const uint32_t *)a], g_set->writers[*(const uint32_t *)b]);
}

static void report(const dp_pen_set *set, const suite *s) {
    uint32_t by_name[DP_PEN_MAX_WRITERS];
    for (uint32_t w = 0; w < set->n_writers; w++) by_name[w] = w;
    g_set = set;
    qsort(by_name, set->n_writers, sizeof by_name[0], by_writer_name);
    printf("digit  correct\n");
    for (int d = 0; d < 10; d++)
        printf("  %d    %4u/%-4u %5.1f%%\n", d, s->per_digit[d][1], s->per_digit[d][0],
               pct(s->per_digit[d][1], s->per_digit[d][0]));
    printf("writer correct\n");
    for (uint32_t k = 0; k < set->n_writers; k++) {
        uint32_t w = by_name[k];
        if (s->per_writer[w][0])
            printf("  %-5s %4u/%-4u %5.1f%%\n", set->writers[w], s->per_writer[w][1],
                   s->per_writer[w][0], pct(s->per_writer[w][1], s->per_writer[w][0]));
    }
    printf("main confusions (true -> read: count):");
    uint32_t shown = 0, done[10][11] = {{0}};
    for (int k = 0; k < 12; k++) {
        int bt = -1, br = -1;
        uint32_t best = 0;
        for (int t = 0; t < 10; t++)
            for (int r = 0; r < 11; r++)
                if (r != t && !done[t][r] && s->confusion[t][r] > best)
                    best = s->confusion[t][r], bt = t, br = r;
        if (bt < 0) break;
        done[bt][br] = 1;
        shown += best;
        if (br == 10)
            printf(" %d->none: %u", bt, best);
        else
            printf(" %d->%d: %u", bt, br, best);
    }
    printf("\n(these %u of %u misreads; no digit at all: %u)\n", shown, s->n - s->correct,
           s->empty);
    printf("total  %u/%u = %.2f%%\n", s->correct, s->n, pct(s->correct, s->n));
}

int main(void) {
    char path[4096];
    const char *dir = dp_pen_data_dir(NULL, getenv(DP_PEN_DATA_ENV));
    snprintf(path, sizeof path, "%s/dev.json", dir);
    dp_pen_set set;
    dp_error err = {0};
    dp_status st = dp_pen_load(path, &set, &err);
    CHECKF(st == DP_OK,
           "cannot read the pen digits (set DIGITPAD_PEN_DATA to the directory of dev.json, "
           "docs/pen-digits.md): %s",
           err.msg);
    if (st != DP_OK) return dpt_finish();
    CHECKF(set.count >= 6000 && set.n_writers >= 20, "%s: %u drawings by %u writers", path,
           set.count, set.n_writers);

    const char *model = getenv("DIGITPAD_MODEL");
    if (!model || !*model) model = SHIPPED_MODEL;
    dp_mlp *m = NULL;
    st = dp_model_load(model, &m, NULL, &err);
    CHECKF(st == DP_OK, "cannot load the model %s (run from the repository root): %s", model,
           err.msg);
    dp_workspace *ws = NULL;
    if (st == DP_OK && m->n_in == DP_MNIST_PIXELS && m->n_out == DP_MNIST_CLASSES &&
        dp_workspace_create(&ws, m, 1) == DP_OK) {
        const char *writers = getenv("DIGITPAD_PEN_WRITERS");
        printf("model %s, pen digits %s (%u drawings, %u writers)%s%s\n", model, path, set.count,
               set.n_writers, writers && *writers ? ", writers " : "",
               writers && *writers ? writers : "");
        suite *s = calloc(1, sizeof *s);
        if (s) {
            run(&set, m, ws, writers, s);
            report(&set, s);
            CHECKF(s->n > 0, "no drawing selected");
            if (!writers || !*writers) {
                CHECK(s->n == set.count);
                CHECKF(s->correct >= MIN_ACCURACY * s->n, "pen digits: %.2f%% < %.1f%%",
                       pct(s->correct, s->n), 100 * MIN_ACCURACY);
            }
            free(s);
        }
    } else if (st == DP_OK) {
        CHECKF(0, "%s: not a 784-input, 10-output network", model);
    }
    dp_workspace_destroy(ws);
    dp_mlp_destroy(m);
    dp_pen_free(&set);
    return dpt_finish();
}
