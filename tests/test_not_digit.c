/* "Not a digit" (digitpad/notdigit.h, docs/not-a-digit.md).
 *
 * 1. dp_reading_judge against an independent computation of the rule.
 * 2. dp_nondigit_draw: reproducible, draws on the canvas.
 * 3. The three figures, each drawing read as the window reads it (brush,
 *    dp_preprocess, the digit model and the gate):
 *    - the non-digit suite (tests/non_digits.h: letters, symbols, shapes,
 *      scribbles, 8 seeded placements each, 55-85% of the canvas tall)
 *      flagged as not a digit: at least MIN_FLAGGED;
 *    - the 10,000 MNIST test digits flagged: at most MAX_MNIST;
 *    - the 6,497 pen digits (test_pen_digits' placements) flagged: at most
 *      MAX_PEN;
 *    - the drawn-digit suite (tests/drawn_digits.h): at most MAX_DRAWN.
 * Models: models/mnist-800.dpm ($DIGITPAD_MODEL), models/gate/notdigit.dpm
 * ($DIGITPAD_GATE). MNIST from $DIGITPAD_DATA, pen digits from
 * $DIGITPAD_PEN_DATA; $DIGITPAD_PEN_WRITERS=w03,... scores only those pen
 * writers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/dataset.h"
#include "digitpad/model.h"
#include "digitpad/notdigit.h"
#include "digitpad/pen.h"
#include "digitpad/preprocess.h"
#include "drawn_digits.h"
#include "non_digits.h"
#include "testutil.h"

#define MIN_FLAGGED 0.80
#define MAX_MNIST 0.01
#define MAX_PEN 0.02
/* Drawings of the drawn-digit suite (140) flagged: at most this many. */
#define MAX_DRAWN 2
#define PLACEMENTS 8
#define SCRIBBLES 40

static void check_judge(void) {
    float p[10] = {0};
    dp_reading r;
    p[7] = 1.0f;
    dp_reading_judge(p, 0.0f, &r);
    CHECK(r.verdict == DP_VERDICT_DIGIT && r.digit == 7 && r.entropy == 0.0f);
    dp_reading_judge(p, DP_NOTDIGIT_THRESHOLD, &r);
    CHECK(r.verdict == DP_VERDICT_NOTDIGIT && r.digit == 7 && r.not_digit == DP_NOTDIGIT_THRESHOLD);
    dp_reading_judge(p, DP_NOTDIGIT_THRESHOLD - 0.01f, &r);
    CHECK(r.verdict == DP_VERDICT_DIGIT);
    /* top 0.55 < DP_UNSURE_P: unsure */
    p[7] = 0.55f, p[1] = 0.45f;
    dp_reading_judge(p, 0.0f, &r);
    CHECK(r.verdict == DP_VERDICT_UNSURE && r.digit == 7 && r.second == 1);
    CHECK_NEAR(r.entropy, -(0.55 * log(0.55) + 0.45 * log(0.45)), 1e-6);
    /* top 0.65 but spread over the rest: entropy above half of ln 10 */
    for (int i = 0; i < 10; i++) p[i] = 0.35f / 9;
    p[3] = 0.65f;
    double h = -(0.65 * log(0.65) + 9 * (0.35 / 9) * log(0.35 / 9));
    dp_reading_judge(p, 0.0f, &r);
    CHECK_NEAR(r.entropy, h, 1e-5);
    CHECK(h > 0.5 * log(10.0) && r.verdict == DP_VERDICT_UNSURE && r.digit == 3);
    p[3] = 0.91f;
    for (int i = 0; i < 10; i++)
        if (i != 3) p[i] = 0.01f;
    dp_reading_judge(p, 0.2f, &r);
    CHECK(r.verdict == DP_VERDICT_DIGIT && r.digit == 3);
}

static void check_generator(void) {
    dp_canvas *a = NULL, *b = NULL;
    if (dp_canvas_create(&a, 28, 28) != DP_OK || dp_canvas_create(&b, 28, 28) != DP_OK) {
        CHECK(0);
        return;
    }
    dp_brush br = dp_brush_default();
    dp_rng r1, r2;
    dp_rng_seed(&r1, 3);
    dp_rng_seed(&r2, 3);
    int same = 1, inked = 0, readable = 0;
    float x[784];
    for (int i = 0; i < 400; i++) {
        dp_nondigit_draw(&r1, a, &br);
        dp_nondigit_draw(&r2, b, &br);
        same &= memcmp(a->cells, b->cells, 28 * 28 * sizeof(float)) == 0;
        inked += dp_canvas_has_ink(a, 0.5f);
        readable += dp_preprocess(a->cells, 28, 28, x) == DP_OK;
    }
    CHECK(same);
    CHECKF(inked == 400 && readable >= 390, "%d of 400 inked, %d preprocessed", inked, readable);
    dp_canvas_destroy(a);
    dp_canvas_destroy(b);
}

typedef struct reader {
    const dp_mlp *m, *gate;
    dp_workspace *ws, *gws;
} reader;

/* 1 = flagged as not a digit, 0 = a digit (sure or not), -1 = no input;
 * *unsure counts the unsure ones. */
static int read_input(const reader *rd, const float *x, int *unsure) {
    dp_reading r;
    if (dp_read_input(rd->m, rd->ws, rd->gate, rd->gws, x, &r) != DP_OK) return -1;
    *unsure += r.verdict == DP_VERDICT_UNSURE;
    return r.verdict == DP_VERDICT_NOTDIGIT;
}

static int read_canvas(const reader *rd, const dp_canvas *c, int *unsure) {
    float x[784];
    if (dp_preprocess(c->cells, c->w, c->h, x) != DP_OK) return -1;
    return read_input(rd, x, unsure);
}

static void non_digit_suite(const reader *rd, dp_canvas *c) {
    ndt_builder b;
    ndt_build(&b, SCRIBBLES, 7);
    if (!ndt_ok(&b)) {
        CHECK(0);
        return;
    }
    dp_brush br = dp_brush_default();
    dp_rng rng;
    dp_rng_seed(&rng, 99);
    int flagged = 0, n = 0, unsure = 0, none = 0;
    int per[NDT_MAX_DRAWINGS] = {0};
    for (int rep = 0; rep < PLACEMENTS; rep++)
        for (uint32_t i = 0; i < b.set.count; i++) {
            const dp_pen_drawing *d = &b.set.drawings[i];
            dp_pen_place p = dp_pen_place_random(&rng, d, 28, 0.55f, 0.85f, br.radius);
            dp_pen_render(&b.set, d, &p, c, &br);
            int f = read_canvas(rd, c, &unsure);
            n++;
            none += f < 0;
            flagged += f > 0;
            per[i] += f > 0;
        }
    printf("non-digits flagged per shape (of %d placements):", PLACEMENTS);
    for (uint32_t i = 0; i < b.set.count; i++)
        if (strcmp(b.names[i], "scribble") != 0) printf(" %s %d", b.names[i], per[i]);
    int sc = 0, sn = 0;
    for (uint32_t i = 0; i < b.set.count; i++)
        if (strcmp(b.names[i], "scribble") == 0) sc += per[i], sn += PLACEMENTS;
    printf("; scribbles %d/%d\n", sc, sn);
    double share = n ? (double)flagged / n : 0.0;
    printf("non-digit suite: %d of %d flagged = %.1f%% (%d more unsure, %d no input)\n", flagged, n,
           100 * share, unsure, none);
    CHECKF(share >= MIN_FLAGGED, "non-digits flagged %.1f%% < %.0f%%", 100 * share,
           100 * MIN_FLAGGED);
    ndt_free(&b);
}

static void mnist_figure(const reader *rd) {
    dp_dataset test;
    dp_error err = {0};
    dp_status s = dp_mnist_load(dpt_mnist_dir(), NULL, &test, &err);
    CHECKF(s == DP_OK, "MNIST: %s", err.msg);
    if (s != DP_OK) return;
    int flagged = 0, unsure = 0;
    for (uint32_t i = 0; i < test.count; i++) {
        float img[784], x[784];
        dp_dataset_batch(&test, &i, 1, img, NULL);
        if (dp_preprocess(img, 28, 28, x) != DP_OK) continue;
        flagged += read_input(rd, x, &unsure) > 0;
    }
    double share = (double)flagged / test.count;
    printf("MNIST test digits: %d of %u flagged = %.2f%% (%d unsure)\n", flagged, test.count,
           100 * share, unsure);
    CHECKF(share <= MAX_MNIST, "MNIST flagged %.2f%% > %.0f%%", 100 * share, 100 * MAX_MNIST);
    dp_dataset_free(&test);
}

static void pen_figure(const reader *rd, dp_canvas *c) {
    char path[4096];
    snprintf(path, sizeof path, "%s/dev.json", dp_pen_data_dir(NULL, getenv(DP_PEN_DATA_ENV)));
    dp_pen_set set;
    dp_error err = {0};
    dp_status s = dp_pen_load(path, &set, &err);
    CHECKF(s == DP_OK, "pen digits (set DIGITPAD_PEN_DATA): %s", err.msg);
    if (s != DP_OK) return;
    dp_brush br = dp_brush_default();
    dp_rng rng;
    dp_rng_seed(&rng, 20260101u);                         /* test_pen_digits' placements */
    const char *writers = getenv("DIGITPAD_PEN_WRITERS"); /* a subset, as test_pen_digits */
    int flagged = 0, unsure = 0, n = 0;
    for (uint32_t i = 0; i < set.count; i++) {
        dp_pen_place p = dp_pen_place_random(&rng, &set.drawings[i], 28, 0.55f, 0.85f, br.radius);
        if (writers && *writers &&
            !dp_pen_writer_listed(writers, set.writers[set.drawings[i].writer]))
            continue;
        dp_pen_render(&set, &set.drawings[i], &p, c, &br);
        flagged += read_canvas(rd, c, &unsure) > 0;
        n++;
    }
    double share = n ? (double)flagged / n : 0.0;
    printf("pen digits%s%s: %d of %d flagged = %.2f%% (%d unsure)\n",
           writers && *writers ? ", writers " : "", writers && *writers ? writers : "", flagged, n,
           100 * share, unsure);
    CHECKF(share <= MAX_PEN, "pen digits flagged %.2f%% > %.0f%%", 100 * share, 100 * MAX_PEN);
    dp_pen_free(&set);
}

static void drawn_figure(const reader *rd, dp_canvas *c) {
    int flagged = 0, unsure = 0;
    for (int i = 0; i < DPT_N_DRAWINGS; i++) {
        dpt_drawing_render(&dpt_drawings[i], c);
        int f = read_canvas(rd, c, &unsure);
        if (f > 0) printf("  drawn digit flagged: %s\n", dpt_drawings[i].name);
        flagged += f > 0;
    }
    printf("drawn-digit suite: %d of %d flagged (%d unsure)\n", flagged, DPT_N_DRAWINGS, unsure);
    CHECKF(flagged <= MAX_DRAWN, "%d drawn digits flagged > %d", flagged, MAX_DRAWN);
}

static dp_mlp *load(const char *env, const char *fallback) {
    const char *path = getenv(env);
    if (!path || !*path) path = fallback;
    dp_mlp *m = NULL;
    dp_error err = {0};
    CHECKF(dp_model_load(path, &m, NULL, &err) == DP_OK, "cannot load %s: %s", path, err.msg);
    if (m) printf("%s: %s\n", env, path);
    return m;
}

int main(void) {
    check_judge();
    check_generator();
    reader rd = {NULL, NULL, NULL, NULL};
    dp_mlp *m = load("DIGITPAD_MODEL", "models/mnist-800.dpm");
    dp_mlp *gate = load("DIGITPAD_GATE", "models/gate/notdigit.dpm");
    dp_canvas *c = NULL;
    if (m && gate && dp_gate_fits(gate) && dp_workspace_create(&rd.ws, m, 1) == DP_OK &&
        dp_workspace_create(&rd.gws, gate, 1) == DP_OK && dp_canvas_create(&c, 28, 28) == DP_OK) {
        rd.m = m;
        rd.gate = gate;
        non_digit_suite(&rd, c);
        mnist_figure(&rd);
        pen_figure(&rd, c);
        drawn_figure(&rd, c);
    } else {
        CHECKF(0, "models missing or not a 784-x-10 network and a 784-x-2 gate");
    }
    dp_canvas_destroy(c);
    dp_workspace_destroy(rd.ws);
    dp_workspace_destroy(rd.gws);
    dp_mlp_destroy(m);
    dp_mlp_destroy(gate);
    return dpt_finish();
}
