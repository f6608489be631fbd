/* The drawn-digit suite (tests/drawn_digits.h): every drawing is rendered
 * with the window's brush, brought to MNIST's form by dp_preprocess and
 * classified by the shipped model; at least 95% must be read correctly.
 * The same without preprocessing (dp_preprocess_raw) is only reported.
 * An empty canvas and a single small dab must not give a confident digit.
 *
 * Model: models/mnist-800.dpm, or $DIGITPAD_MODEL if set (for trying other
 * models). $DIGITPAD_DRAWN_SHEET=FILE.png also writes a contact sheet: one
 * row per digit, each drawing as raw canvas | preprocessed input, framed
 * white if the preprocessed one was misread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/canvas.h"
#include "digitpad/image.h"
#include "digitpad/model.h"
#include "digitpad/preprocess.h"
#include "drawn_digits.h"
#include "testutil.h"

#define SHIPPED_MODEL "models/mnist-800.dpm"
#define SIDE DP_MNIST_SIDE
#define MIN_ACCURACY 0.95

typedef struct reading {
    dp_status status; /* of the preprocessing: DP_OK or DP_ERR_EMPTY */
    int best, second; /* -1 if there was no input */
    float p_best, p_second;
} reading;

typedef struct classifier {
    const dp_mlp *m;
    dp_workspace *ws;
} classifier;

/* Preprocess (MNIST recipe or plain resampling) and classify a canvas; the
 * network input is left in x. */
static reading classify(const classifier *cl, const dp_canvas *c, int mnist, float x[784]) {
    reading r = {DP_ERR_EMPTY, -1, -1, 0.0f, 0.0f};
    r.status =
        mnist ? dp_preprocess(c->cells, c->w, c->h, x) : dp_preprocess_raw(c->cells, c->w, c->h, x);
    if (r.status != DP_OK) return r;
    const float *p = dp_mlp_forward(cl->m, cl->ws, x, 1, DP_BACKEND_BLAS);
    if (!p) return r;
    r.best = dp_argmax(p, DP_MNIST_CLASSES);
    for (int d = 0; d < DP_MNIST_CLASSES; d++)
        if (d != r.best && (r.second < 0 || p[d] > p[r.second])) r.second = d;
    r.p_best = p[r.best];
    r.p_second = p[r.second];
    return r;
}

/* Ink bounding-box height of a canvas (cells above DP_INK_THRESHOLD). */
static int ink_height(const dp_canvas *c) {
    int top = -1, bottom = -1;
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++)
            if (c->cells[y * c->w + x] > DP_INK_THRESHOLD) {
                if (top < 0) top = y;
                bottom = y;
            }
    return top < 0 ? 0 : bottom - top + 1;
}

/* The data itself: labels, at least 8 drawings of every digit, every point
 * on the canvas and within the point buffer. */
static void check_suite_data(void) {
    int per_digit[DP_MNIST_CLASSES] = {0};
    CHECKF(DPT_N_DRAWINGS >= 80, "only %d drawings", DPT_N_DRAWINGS);
    for (int i = 0; i < DPT_N_DRAWINGS; i++) {
        const dpt_drawing *d = &dpt_drawings[i];
        CHECKF(d->label >= 0 && d->label <= 9, "%s: label %d", d->name, d->label);
        if (d->label >= 0 && d->label <= 9) per_digit[d->label]++;
        CHECKF(d->shape->n_strokes >= 1 && d->shape->n_strokes <= DPT_MAX_STROKES, "%s", d->name);
        float xy[2 * DPT_MAX_POINTS];
        for (int k = 0; k < d->shape->n_strokes; k++) {
            CHECKF(d->shape->strokes[k].n <= DPT_MAX_POINTS, "%s stroke %d: %d points", d->name, k,
                   d->shape->strokes[k].n);
            int n = dpt_drawing_points(d, k, xy);
            for (int j = 0; j < 2 * n; j++)
                CHECKF(xy[j] >= 0.0f && xy[j] < SIDE, "%s stroke %d: point %d at %.2f", d->name, k,
                       j / 2, xy[j]);
        }
    }
    for (int digit = 0; digit < DP_MNIST_CLASSES; digit++)
        CHECKF(per_digit[digit] >= 8, "only %d drawings of %d", per_digit[digit], digit);
}

/* ---- Contact sheet: rows = digits, tiles = raw | preprocessed. ---- */

#define ZOOM 4
#define TILE_W (2 * SIDE * ZOOM + 3 * 2)
#define TILE_H (SIDE * ZOOM + 2 * 2)
#define SHEET_COLS 14

typedef struct sheet {
    uint8_t *pix;
    int w, h;
    int used[DP_MNIST_CLASSES];
} sheet;

static void sheet_put(sheet *s, int x0, int y0, const float *img) {
    for (int y = 0; y < SIDE * ZOOM; y++)
        for (int x = 0; x < SIDE * ZOOM; x++) {
            float v = img[(y / ZOOM) * SIDE + x / ZOOM];
            s->pix[(size_t)(y0 + y) * (size_t)s->w + (size_t)(x0 + x)] =
                (uint8_t)lrintf(255.0f * (v < 0   ? 0
                                          : v > 1 ? 1
                                                  : v));
        }
}

/* Add one drawing to its digit's row; frame grey if read right, white if not. */
static void sheet_add(sheet *s, int digit, const float *raw, const float *pre, int ok) {
    int col = s->used[digit]++;
    if (!s->pix || col >= SHEET_COLS) return;
    int x0 = col * TILE_W, y0 = digit * TILE_H;
    uint8_t frame = ok ? 70 : 255;
    for (int y = 0; y < TILE_H; y++) memset(s->pix + (size_t)(y0 + y) * s->w + x0, frame, TILE_W);
    sheet_put(s, x0 + 2, y0 + 2, raw);
    sheet_put(s, x0 + 4 + SIDE * ZOOM, y0 + 2, pre);
}

/* ---- The suite ---- */

typedef struct tally {
    int correct[DP_MNIST_CLASSES], total[DP_MNIST_CLASSES];
} tally;

static int tally_sum(const int v[DP_MNIST_CLASSES]) {
    int s = 0;
    for (int d = 0; d < DP_MNIST_CLASSES; d++) s += v[d];
    return s;
}

static void print_misread(const dpt_drawing *d, const reading *r, int height, const char *how) {
    if (r->status != DP_OK)
        printf("  %-42s (%2d tall) %s: no digit (%s)\n", d->name, height, how,
               dp_status_str(r->status));
    else
        printf("  %-42s (%2d tall) %s: read %d (p=%.3f), then %d (p=%.3f)\n", d->name, height, how,
               r->best, r->p_best, r->second, r->p_second);
}

static void run_suite(const classifier *cl, const char *sheet_path) {
    dp_canvas *c = NULL;
    if (dp_canvas_create(&c, SIDE, SIDE) != DP_OK) {
        CHECKF(0, "cannot create a canvas");
        return;
    }
    sheet s = {NULL, SHEET_COLS * TILE_W, DP_MNIST_CLASSES * TILE_H, {0}};
    if (sheet_path) s.pix = calloc((size_t)s.w * (size_t)s.h, 1);

    tally pre = {{0}, {0}}, raw = {{0}, {0}};
    printf("misread drawings (name, ink height in cells, top-2):\n");
    for (int i = 0; i < DPT_N_DRAWINGS; i++) {
        const dpt_drawing *d = &dpt_drawings[i];
        dpt_drawing_render(d, c);
        int height = ink_height(c);
        float x_pre[784], x_raw[784];
        reading rp = classify(cl, c, 1, x_pre), rr = classify(cl, c, 0, x_raw);
        int ok_pre = rp.best == d->label, ok_raw = rr.best == d->label;
        pre.total[d->label]++, raw.total[d->label]++;
        pre.correct[d->label] += ok_pre, raw.correct[d->label] += ok_raw;
        if (!ok_pre) print_misread(d, &rp, height, "preprocessed");
        if (!ok_raw) print_misread(d, &rr, height, "raw         ");
        sheet_add(&s, d->label, c->cells, x_pre, ok_pre);
    }

    printf("\ndigit  preprocessed   raw canvas\n");
    for (int d = 0; d < DP_MNIST_CLASSES; d++)
        printf("  %d      %2d/%-2d        %2d/%-2d\n", d, pre.correct[d], pre.total[d],
               raw.correct[d], raw.total[d]);
    int n = tally_sum(pre.total), ok_pre = tally_sum(pre.correct), ok_raw = tally_sum(raw.correct);
    double acc_pre = n ? (double)ok_pre / n : 0.0, acc_raw = n ? (double)ok_raw / n : 0.0;
    printf("total  %d/%d = %.1f%%   %d/%d = %.1f%%\n\n", ok_pre, n, 100 * acc_pre, ok_raw, n,
           100 * acc_raw);
    CHECKF(acc_pre >= MIN_ACCURACY, "drawn digits with preprocessing: %.1f%% < %.0f%%",
           100 * acc_pre, 100 * MIN_ACCURACY);

    if (s.pix) {
        dp_error err = {0};
        dp_status st = dp_png_write_gray(sheet_path, s.pix, s.w, s.h, &err);
        CHECKF(st == DP_OK, "cannot write the contact sheet: %s", err.msg);
        if (st == DP_OK) printf("contact sheet: %s\n", sheet_path);
        free(s.pix);
    }
    dp_canvas_destroy(c);
}

/* Nothing drawn, or one short dab: no confident digit. */
static void check_no_digit(const classifier *cl) {
    dp_canvas *c = NULL;
    if (dp_canvas_create(&c, SIDE, SIDE) != DP_OK) {
        CHECKF(0, "cannot create a canvas");
        return;
    }
    float x[784];
    reading r = classify(cl, c, 1, x);
    CHECKF(r.status == DP_ERR_EMPTY, "empty canvas: preprocessing gave %s",
           dp_status_str(r.status));
    r = classify(cl, c, 0, x);
    CHECKF(r.status == DP_ERR_EMPTY, "empty canvas, raw: %s", dp_status_str(r.status));

    /* A dab: the default brush dragged half a cell. */
    dp_brush b = dp_brush_default();
    const float dab[] = {14.0f, 14.0f, 14.5f, 14.0f};
    dp_canvas_polyline(c, &b, dab, 2, 0);
    double ink = 0.0;
    for (int i = 0; i < SIDE * SIDE; i++) ink += c->cells[i];
    r = classify(cl, c, 1, x);
    if (r.status == DP_OK)
        printf("speck (%.1f cells of ink, %d tall): read %d (p=%.3f), then %d (p=%.3f)\n", ink,
               ink_height(c), r.best, r.p_best, r.second, r.p_second);
    else
        printf("speck (%.1f cells of ink, %d tall): %s\n", ink, ink_height(c),
               dp_status_str(r.status));
    CHECKF(r.status == DP_ERR_EMPTY || r.p_best < 0.5f,
           "a %.1f-cell dab is read as %d with p=%.3f (not 'no digit')", ink, r.best, r.p_best);
    dp_canvas_destroy(c);
}

int main(void) {
    check_suite_data();

    const char *path = getenv("DIGITPAD_MODEL");
    if (!path || !*path) path = SHIPPED_MODEL;
    dp_mlp *m = NULL;
    dp_error err = {0};
    dp_status s = dp_model_load(path, &m, NULL, &err);
    CHECKF(s == DP_OK, "cannot load the model %s (run from the repository root): %s", path,
           err.msg);
    if (s != DP_OK) return dpt_finish();
    CHECKF(m->n_in == DP_MNIST_PIXELS && m->n_out == DP_MNIST_CLASSES, "%s: %d inputs, %d outputs",
           path, m->n_in, m->n_out);
    classifier cl = {m, NULL};
    if (m->n_in == DP_MNIST_PIXELS && m->n_out == DP_MNIST_CLASSES &&
        dp_workspace_create(&cl.ws, m, 1) == DP_OK) {
        printf("model %s\n", path);
        const char *sheet_path = getenv("DIGITPAD_DRAWN_SHEET");
        run_suite(&cl, sheet_path && *sheet_path ? sheet_path : NULL);
        check_no_digit(&cl);
        dp_workspace_destroy(cl.ws);
    }
    dp_mlp_destroy(m);
    return dpt_finish();
}
