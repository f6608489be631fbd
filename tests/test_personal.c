/* The personal set (digitpad/personal.h): labelled drawings are kept in
 * IDX files, every fifth in the held-out part; reopening gives the same
 * set; undo removes the last; a crash between the two writes of a pair
 * loses nothing earlier; bad labels, unwritable and damaged files give
 * errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digitpad/pen.h"
#include "digitpad/personal.h"
#include "testutil.h"

static void fill(float *v, int k) {
    for (int i = 0; i < 784; i++) v[i] = (float)((i * 7 + k * 13) % 256) / 255.0f;
}

static void check_same(const dp_personal *a, const dp_personal *b) {
    CHECK(a->train.count == b->train.count && a->heldout.count == b->heldout.count &&
          a->canvas.count == b->canvas.count);
    if (a->train.count == b->train.count && a->train.count)
        CHECK(memcmp(a->train.images, b->train.images, (size_t)a->train.count * 784) == 0 &&
              memcmp(a->train.labels, b->train.labels, a->train.count) == 0);
    if (a->canvas.count == b->canvas.count && a->canvas.count)
        CHECK(memcmp(a->canvas.images, b->canvas.images, (size_t)a->canvas.count * 784) == 0);
}

int main(void) {
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/a/b/personal", dpt_tmpdir());
    dp_personal p, q;
    dp_error err = {0};
    CHECKF(dp_personal_open(&p, dir, &err) == DP_OK, "%s", err.msg);
    CHECK(dp_personal_count(&p) == 0);
    float canvas[784], input[784];
    int held = -1, nheld = 0;
    /* strokes: two strokes, the second erased, one point off the canvas */
    const float xy[] = {7.0f, 14.0f, 14.0f, 3.5f, 21.0f, 14.0f, 30.0f, -2.0f, 14.0f, 14.0f};
    const int np[] = {3, 2};
    const unsigned char er[] = {0, 1};
    dp_drawn_strokes st = {2, np, xy, er, 28};
    for (int k = 1; k <= 12; k++) {
        fill(canvas, k);
        fill(input, 100 + k);
        CHECKF(dp_personal_add(&p, canvas, input, k % 10, k == 3 ? NULL : &st, &held, &err) ==
                   DP_OK,
               "%s", err.msg);
        CHECKF(held == (k % 5 == 0), "drawing %d held out: %d", k, held);
        nheld += held;
    }
    CHECK(p.train.count == 10 && p.heldout.count == 2 && p.canvas.count == 12 && nheld == 2);
    CHECK(p.heldout.labels[0] == 5 && p.heldout.labels[1] == 0);
    /* the stored input is the float input in bytes */
    fill(input, 101);
    CHECK(p.train.images[10] == (uint8_t)(input[10] * 255.0f + 0.5f));
    uint32_t counts[10];
    dp_personal_counts(&p, counts);
    CHECK(counts[1] == 2 && counts[2] == 2 && counts[3] == 1 && counts[0] == 1);
    CHECK(dp_personal_add(&p, canvas, input, 10, NULL, NULL, &err) == DP_ERR_RANGE);
    CHECK(dp_personal_count(&p) == 12);

    /* strokes.json: the pen reader reads it, one drawing per label */
    char sp[4300];
    snprintf(sp, sizeof sp, "%s/strokes.json", dir);
    dp_pen_set ps;
    CHECKF(dp_pen_load(sp, &ps, &err) == DP_OK, "%s", err.msg);
    CHECK(ps.count == 12 && p.n_stroke_lines == 12);
    if (ps.count == 12) {
        CHECK(ps.drawings[0].label == 1 && ps.drawings[11].label == 2);
        CHECK(ps.drawings[0].n_strokes == 2 && ps.drawings[2].n_strokes == 1); /* #3: none */
        int n;
        const float *pts = dp_pen_stroke(&ps, &ps.drawings[0], 0, &n);
        CHECK(n == 3 && fabsf(pts[0] - 0.25f) < 1e-4f && fabsf(pts[3] - 0.125f) < 1e-4f);
        pts = dp_pen_stroke(&ps, &ps.drawings[0], 1, &n);
        CHECK(n == 2 && pts[0] == 1.0f && pts[1] == 0.0f); /* clamped to the canvas */
        dp_pen_free(&ps);
    }
    uint8_t *js = dpt_read_file(sp, NULL);
    CHECK(js && strstr((const char *)js, "\"erased\": [1]"));
    free(js);

    CHECKF(dp_personal_open(&q, dir, &err) == DP_OK, "%s", err.msg);
    check_same(&p, &q);
    dp_personal_close(&q);

    /* undo: 12 and 11 from train, then 10 from the held-out part */
    int label = -1;
    CHECK(dp_personal_undo(&p, &label, &err) == DP_OK && label == 2 && p.train.count == 9);
    CHECK(dp_personal_undo(&p, &label, &err) == DP_OK && label == 1 && p.train.count == 8);
    CHECK(dp_personal_undo(&p, &label, &err) == DP_OK && label == 0 && p.heldout.count == 1);
    CHECK(p.canvas.count == 9 && p.n_stroke_lines == 9);
    CHECKF(dp_personal_open(&q, dir, &err) == DP_OK, "%s", err.msg);
    check_same(&p, &q);
    CHECK(q.n_stroke_lines == 9 && strcmp(q.stroke_lines[8], p.stroke_lines[8]) == 0);
    dp_personal_close(&q);
    CHECK(dp_pen_load(sp, &ps, &err) == DP_OK && ps.count == 9);
    dp_pen_free(&ps);

    /* a crash after the images of a pair were written: labels one short */
    char path[4300];
    snprintf(path, sizeof path, "%s/train-labels-idx1-ubyte", dir);
    size_t len = 0;
    uint8_t *lab = dpt_read_file(path, &len);
    CHECK(lab && len == 8 + 8);
    if (lab) {
        lab[7] = 7; /* header count 7 */
        CHECK(dpt_write_file(path, lab, len - 1) == 0);
        free(lab);
    }
    CHECKF(dp_personal_open(&q, dir, &err) == DP_OK, "%s", err.msg);
    CHECK(q.train.count == 7 && q.heldout.count == 1 && q.canvas.count == 9);
    CHECK(memcmp(q.train.images, p.train.images, 7 * 784) == 0);
    dp_personal_close(&q);

    /* damaged file: an error, not an empty set */
    snprintf(path, sizeof path, "%s/t10k-images-idx3-ubyte", dir);
    CHECK(dpt_write_file(path, "garbage", 7) == 0);
    CHECK(dp_personal_open(&q, dir, &err) != DP_OK && err.msg[0]);

    /* unwritable directory: adding fails, nothing changes in memory */
    dp_personal_close(&p);
    snprintf(dir, sizeof dir, "%s/ro", dpt_tmpdir());
    CHECK(dp_personal_open(&p, dir, &err) == DP_OK);
    chmod(dir, 0500);
    if (geteuid() != 0) {
        CHECK(dp_personal_add(&p, canvas, input, 3, NULL, NULL, &err) == DP_ERR_IO);
        CHECK(dp_personal_count(&p) == 0);
    }
    chmod(dir, 0700);
    dp_personal_close(&p);
    /* a file where the directory should be */
    const char *base = dpt_tmpdir();
    snprintf(path, sizeof path, "%s/file", base);
    CHECK(dpt_write_file(path, "x", 1) == 0);
    snprintf(dir, sizeof dir, "%s/file/sub", base);
    CHECK(dp_personal_open(&p, dir, &err) == DP_ERR_IO && strstr(err.msg, "not a directory"));

    /* default directory */
    char d[4096];
    CHECK(dp_personal_default_dir("/x/data", "/home/u", d, sizeof d, &err) == DP_OK &&
          strcmp(d, "/x/data/digitpad/personal") == 0);
    CHECK(dp_personal_default_dir("relative", "/home/u", d, sizeof d, &err) == DP_OK &&
          strcmp(d, "/home/u/.local/share/digitpad/personal") == 0);
    CHECK(dp_personal_default_dir(NULL, "/home/u", d, sizeof d, &err) == DP_OK &&
          strcmp(d, "/home/u/.local/share/digitpad/personal") == 0);
    CHECK(dp_personal_default_dir(NULL, NULL, d, sizeof d, &err) == DP_ERR_NOT_FOUND);
    CHECK(dp_personal_default_dir("", "", d, sizeof d, &err) == DP_ERR_NOT_FOUND);
    return dpt_finish();
}
