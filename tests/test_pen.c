/* The pen-digit reader (digitpad/pen.h): well-formed documents give exactly
 * their drawings; every kind of malformed or hostile input is rejected with
 * a message and nothing allocated; rendering equals dp_canvas_polyline of
 * the mapped points; random placements stay on the canvas. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/pen.h"
#include "testutil.h"

static const char *good =
    "{\"source\": \"test\", \"nested\": {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"]},\n"
    " \"drawings\": [\n"
    "  {\"label\": \"7\", \"writer\": \"w03\", \"src\": \"tra:3:1\", \"aspect\": 0.5,\n"
    "   \"strokes\": [[[0, 0], [0.5, 0], [0.25, 1.0]]]},\n"
    "  {\"strokes\": [[[0.1, 0.2]], [[1, 0.5], [0.0, 0.5e0]]], \"writer\": \"w04\", \"label\": "
    "\"4\"},\n"
    "  {\"label\": \"0\", \"writer\": \"w03\", \"strokes\": [[[0.5, 0.5], [0.5, 0.5]]]}\n"
    " ], \"count\": 3}";

static void check_good(void) {
    dp_pen_set s;
    dp_error err = {0};
    dp_status st = dp_pen_parse(good, strlen(good), &s, &err);
    CHECKF(st == DP_OK, "%s", err.msg);
    if (st != DP_OK) return;
    CHECK(s.count == 3 && s.n_writers == 2 && s.n_strokes == 4);
    CHECK(strcmp(s.writers[0], "w03") == 0 && strcmp(s.writers[1], "w04") == 0);
    const dp_pen_drawing *a = &s.drawings[0], *b = &s.drawings[1], *c = &s.drawings[2];
    CHECK(a->label == 7 && a->writer == 0 && a->n_strokes == 1);
    CHECK(b->label == 4 && b->writer == 1 && b->n_strokes == 2);
    CHECK(c->label == 0 && c->writer == 0 && c->n_strokes == 1);
    CHECK_NEAR(a->w, 0.5, 1e-6);
    CHECK_NEAR(a->h, 1.0, 1e-6);
    CHECK_NEAR(b->x0, 0.0, 1e-6);
    CHECK_NEAR(b->y0, 0.2, 1e-6);
    CHECK_NEAR(b->w, 1.0, 1e-6);
    CHECK_NEAR(b->h, 0.3, 1e-6);
    CHECK(c->w == 0.0f && c->h == 0.0f);
    int n;
    const float *xy = dp_pen_stroke(&s, b, 1, &n);
    CHECK(n == 2 && xy[0] == 1.0f && xy[1] == 0.5f && xy[2] == 0.0f && xy[3] == 0.5f);
    xy = dp_pen_stroke(&s, a, 0, &n);
    CHECK(n == 3 && xy[4] == 0.25f && xy[5] == 1.0f);
    dp_pen_free(&s);
    CHECK(s.count == 0 && s.drawings == NULL);
}

/* Must be rejected with status `want`, a message, and nothing kept. */
static void reject(const char *json, size_t len, dp_status want, const char *why) {
    dp_pen_set s;
    dp_error err = {0};
    dp_status st = dp_pen_parse(json, len, &s, &err);
    CHECKF(st == want, "%s: got %s (%s), wanted %s", why, dp_status_str(st), err.msg,
           dp_status_str(want));
    CHECKF(st == DP_OK || (err.msg[0] != '\0' && s.count == 0 && !s.drawings && !s.xy &&
                           !s.writers && !s.stroke_start),
           "%s: rejection left state or no message", why);
    if (st == DP_OK) dp_pen_free(&s);
}

#define D(label, strokes)                                                                          \
    "{\"drawings\": [{\"label\": " label ", \"writer\": \"w1\", \"strokes\": " strokes "}]}"

static void check_bad(void) {
    /* every proper prefix of a good document is incomplete */
    size_t len = strlen(good);
    int prefixes_ok = 1;
    for (size_t n = 0; n < len; n++) {
        dp_pen_set s;
        dp_error err = {0};
        dp_status st = dp_pen_parse(good, n, &s, &err);
        if (st == DP_OK || err.msg[0] == '\0' || s.drawings) {
            prefixes_ok = 0;
            CHECKF(0, "prefix of %zu bytes accepted or without message", n);
            if (st == DP_OK) dp_pen_free(&s);
            break;
        }
    }
    CHECK(prefixes_ok);
    reject("", 0, DP_ERR_FORMAT, "empty input");
    reject("[]", 2, DP_ERR_FORMAT, "not an object");
    reject("{}", 2, DP_ERR_FORMAT, "no drawings member");
    const char *t = "{\"drawings\": []}";
    reject(t, strlen(t), DP_ERR_EMPTY, "no drawings");
    t = D("\"7\"", "[[[0,0]]]") " x";
    reject(t, strlen(t), DP_ERR_FORMAT, "trailing text");
    t = D("\"7\"", "[[[0,0],]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "trailing comma");
    t = D("\"7\"", "[[[00,0]]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "leading zero");
    t = D("\"7\"", "[[[.5,0]]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "number without integer part");
    t = D("\"7\"", "[[[1.,0]]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "number without fraction digits");
    t = D("\"7\"", "[[[0,1e999]]]");
    reject(t, strlen(t), DP_ERR_RANGE, "infinite number");
    t = D("\"7\"", "[[[0,1.5]]]");
    reject(t, strlen(t), DP_ERR_RANGE, "coordinate above 1");
    t = D("\"7\"", "[[[-0.1,0]]]");
    reject(t, strlen(t), DP_ERR_RANGE, "negative coordinate");
    t = D("\"7\"", "[[[0,0,0]]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "point with three numbers");
    t = D("\"7\"", "[[[0]]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "point with one number");
    t = D("\"7\"", "[[]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "empty stroke");
    t = D("\"7\"", "[]");
    reject(t, strlen(t), DP_ERR_FORMAT, "no strokes");
    t = D("\"a\"", "[[[0,0]]]");
    reject(t, strlen(t), DP_ERR_RANGE, "label not a digit");
    t = D("7", "[[[0,0]]]");
    reject(t, strlen(t), DP_ERR_FORMAT, "label not a string");
    t = D("\"10\"", "[[[0,0]]]");
    reject(t, strlen(t), DP_ERR_RANGE, "label 10");
    t = "{\"drawings\": [{\"label\": \"1\", \"strokes\": [[[0,0]]]}]}";
    reject(t, strlen(t), DP_ERR_FORMAT, "no writer");
    t = "{\"drawings\": [{\"label\": \"1\", \"writer\": \"w 1\", \"strokes\": [[[0,0]]]}]}";
    reject(t, strlen(t), DP_ERR_FORMAT, "writer with a space");
    t = "{\"drawings\": [{\"label\": \"1\", \"label\": \"2\", \"writer\": \"w\", \"strokes\": "
        "[[[0,0]]]}]}";
    reject(t, strlen(t), DP_ERR_FORMAT, "duplicate label");
    t = "{\"x\": \"a\x01\", \"drawings\": []}";
    reject(t, strlen(t), DP_ERR_FORMAT, "control character in a string");
    t = "{\"x\": \"\\q\", \"drawings\": []}";
    reject(t, strlen(t), DP_ERR_FORMAT, "bad escape");
    t = "{\"x\": \"\\u12g4\", \"drawings\": []}";
    reject(t, strlen(t), DP_ERR_FORMAT, "bad unicode escape");
    t = "{\"x\": tru, \"drawings\": []}";
    reject(t, strlen(t), DP_ERR_FORMAT, "bad literal");
    t = "{\"x\": 1 \"drawings\": []}";
    reject(t, strlen(t), DP_ERR_FORMAT, "missing comma");
    /* a NUL inside the buffer is not the end of the document */
    const char nul[] = "{\"drawings\": []}\0 ";
    reject(nul, sizeof nul - 1, DP_ERR_FORMAT, "NUL after the object");

    /* deep nesting in a skipped member */
    char deep[512];
    int n = snprintf(deep, sizeof deep, "{\"x\": ");
    for (int i = 0; i < 100; i++) deep[n++] = '[';
    for (int i = 0; i < 100; i++) deep[n++] = ']';
    n += snprintf(deep + n, sizeof deep - (size_t)n, ", \"drawings\": []}");
    reject(deep, (size_t)n, DP_ERR_RANGE, "100 nested lists");

    /* too many points in one stroke: DP_PEN_MAX_POINTS + 1 */
    size_t cap = 64 + (size_t)(DP_PEN_MAX_POINTS + 1) * 6;
    char *big = malloc(cap);
    if (big) {
        size_t k = (size_t)snprintf(big, cap,
                                    "{\"drawings\": [{\"label\": \"1\", \"writer\": "
                                    "\"w\", \"strokes\": [[");
        for (int i = 0; i <= DP_PEN_MAX_POINTS; i++)
            k += (size_t)snprintf(big + k, cap - k, "%s[0,0]", i ? "," : "");
        k += (size_t)snprintf(big + k, cap - k, "]]}]}");
        reject(big, k, DP_ERR_RANGE, "too many points");
        free(big);
    }
}

/* Rendering = polylines of the mapped points; placements stay inside. */
static void check_render(void) {
    dp_pen_set s;
    dp_error err = {0};
    if (dp_pen_parse(good, strlen(good), &s, &err) != DP_OK) return;
    dp_canvas *a = NULL, *b = NULL;
    if (dp_canvas_create(&a, 28, 28) != DP_OK || dp_canvas_create(&b, 28, 28) != DP_OK) {
        CHECK(0);
        dp_pen_free(&s);
        return;
    }
    dp_brush br = dp_brush_default();
    const dp_pen_drawing *d = &s.drawings[1];
    dp_pen_place p = {20.0f, 12.0f, 15.0f};
    CHECK(dp_pen_render(&s, d, &p, a, &br) == 1);
    /* independent mapping: scale 20 / h, box centre to (12, 15) */
    float k = 20.0f / d->h;
    dp_canvas_clear(b);
    for (int j = 0; j < d->n_strokes; j++) {
        int n;
        const float *xy = dp_pen_stroke(&s, d, j, &n);
        float q[8];
        for (int i = 0; i < n; i++) {
            q[2 * i] = 12.0f + k * (xy[2 * i] - (d->x0 + 0.5f * d->w));
            q[2 * i + 1] = 15.0f + k * (xy[2 * i + 1] - (d->y0 + 0.5f * d->h));
        }
        dp_canvas_polyline(b, &br, q, n, 0);
    }
    double diff = 0.0;
    for (int i = 0; i < 28 * 28; i++) diff = fmax(diff, fabs(a->cells[i] - b->cells[i]));
    CHECKF(diff < 1e-5, "render differs from the polylines by %g", diff);

    /* random placements: box plus brush on the canvas, height in range */
    dp_rng rng;
    dp_rng_seed(&rng, 5);
    int inside = 1;
    for (int i = 0; i < 2000; i++) {
        const dp_pen_drawing *e = &s.drawings[i % 2];
        p = dp_pen_place_random(&rng, e, 28, 0.55f, 0.85f, br.radius);
        float aspect = e->w / e->h;
        float hw = 0.5f * p.height * aspect + br.radius, hh = 0.5f * p.height + br.radius;
        if (p.height > 0.85f * 28 + 1e-4f || p.height * aspect > 0.85f * 28 + 1e-3f ||
            p.cx - hw < -1e-4f || p.cx + hw > 28 + 1e-4f || p.cy - hh < -1e-4f ||
            p.cy + hh > 28 + 1e-4f || (aspect <= 1.0f && p.height < 0.55f * 28 - 1e-4f))
            inside = 0;
    }
    CHECK(inside);
    dp_canvas_destroy(a);
    dp_canvas_destroy(b);
    dp_pen_free(&s);
}

int main(void) {
    check_good();
    check_bad();
    check_render();
    CHECK(strcmp(dp_pen_data_dir("x", "y"), "x") == 0);
    CHECK(strcmp(dp_pen_data_dir("", "y"), "y") == 0 &&
          strcmp(dp_pen_data_dir(NULL, "y"), "y") == 0);
    CHECK(strcmp(dp_pen_data_dir(NULL, ""), "data/human-digits") == 0);
    CHECK(strcmp(dp_pen_data_dir(NULL, NULL), "data/human-digits") == 0);
    CHECK(dp_pen_writer_listed("w03,w14", "w14") && dp_pen_writer_listed("w03", "w03"));
    CHECK(!dp_pen_writer_listed("w03,w14", "w1") && !dp_pen_writer_listed("w031", "w03"));
    CHECK(!dp_pen_writer_listed("", "w03") && !dp_pen_writer_listed(NULL, "w03"));
    return dpt_finish();
}
