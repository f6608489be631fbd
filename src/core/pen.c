/* Pen digits: a strict JSON reader for the stroke set (digitpad/pen.h) and
 * the mouse-like rendering of a drawing.
 *
 * The reader is a recursive-descent parser over a length-bounded buffer:
 * RFC 8259 syntax (no comments, no trailing commas, no leading zeros, no
 * control characters in strings), one top-level object. Only the members
 * it needs are interpreted; everything else is validated and skipped, with
 * nesting limited to DP_PEN_MAX_DEPTH. Every count is checked against the
 * DP_PEN_MAX_* limits before its array grows. */
#include "digitpad/pen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

typedef struct parser {
    const char *p, *end, *start;
    dp_error *err;
    dp_status st; /* first error */
    dp_pen_set *set;
    uint32_t cap_drawings, cap_strokes, cap_points, cap_writers;
    uint32_t n_points;
} parser;

static int fail(parser *ps, dp_status s, const char *what) {
    if (ps->st == DP_OK) {
        ps->st = s;
        dp_error_set(ps->err, s, "pen data, byte %zu: %s", (size_t)(ps->p - ps->start), what);
    }
    return -1;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* Consume character c (after white space), else fail. */
static int expect(parser *ps, char c, const char *what) {
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != c) return fail(ps, DP_ERR_FORMAT, what);
    ps->p++;
    return 0;
}

/* After a member or element: 1 if a ',' followed, 0 if `close` did. */
static int next_or_close(parser *ps, char close) {
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        return 1;
    }
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 0;
    }
    return fail(ps, DP_ERR_FORMAT, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}

/* 1 if the container opened just before is empty (and consume its close). */
static int empty_container(parser *ps, char close) {
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    return 0;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A string. Its raw bytes (escapes not decoded) go to *s / *n; `plain` is
 * set to 0 if it contained an escape. Validates escapes and control
 * characters; bytes >= 0x80 are passed through (not interpreted). */
static int parse_string(parser *ps, const char **s, size_t *n, int *plain) {
    if (expect(ps, '"', "expected a string") != 0) return -1;
    const char *b = ps->p;
    *plain = 1;
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            *s = b;
            *n = (size_t)(ps->p - b);
            ps->p++;
            return 0;
        }
        if (c < 0x20) return fail(ps, DP_ERR_FORMAT, "control character in a string");
        if (c == '\\') {
            *plain = 0;
            ps->p++;
            if (ps->p >= ps->end) break;
            char e = *ps->p;
            if (e == 'u') {
                if (ps->end - ps->p < 5) break;
                for (int i = 1; i <= 4; i++)
                    if (hexval(ps->p[i]) < 0) return fail(ps, DP_ERR_FORMAT, "bad \\u escape");
                ps->p += 4;
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                return fail(ps, DP_ERR_FORMAT, "bad escape in a string");
            }
        }
        ps->p++;
    }
    return fail(ps, DP_ERR_TRUNCATED, "unterminated string");
}

/* A JSON number (strict grammar) converted to double. */
static int parse_number(parser *ps, double *v) {
    skip_ws(ps);
    const char *b = ps->p, *q = ps->p, *e = ps->end;
    if (q < e && *q == '-') q++;
    if (q >= e) return fail(ps, DP_ERR_FORMAT, "expected a number");
    if (*q == '0') {
        q++;
    } else if (*q >= '1' && *q <= '9') {
        while (q < e && *q >= '0' && *q <= '9') q++;
    } else {
        return fail(ps, DP_ERR_FORMAT, "expected a number");
    }
    if (q < e && *q == '.') {
        q++;
        if (q >= e || !(*q >= '0' && *q <= '9')) return fail(ps, DP_ERR_FORMAT, "bad number");
        while (q < e && *q >= '0' && *q <= '9') q++;
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < e && (*q == '+' || *q == '-')) q++;
        if (q >= e || !(*q >= '0' && *q <= '9')) return fail(ps, DP_ERR_FORMAT, "bad number");
        while (q < e && *q >= '0' && *q <= '9') q++;
    }
    char buf[64];
    size_t n = (size_t)(q - b);
    if (n >= sizeof buf) return fail(ps, DP_ERR_RANGE, "number too long");
    memcpy(buf, b, n);
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    ps->p = q;
    if (!isfinite(*v)) return fail(ps, DP_ERR_RANGE, "number out of range");
    return 0;
}

static int parse_literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, DP_ERR_FORMAT, "unexpected character");
    ps->p += n;
    return 0;
}

/* Validate and skip any value. */
static int skip_value(parser *ps, int depth) {
    if (depth > DP_PEN_MAX_DEPTH) return fail(ps, DP_ERR_RANGE, "nested too deeply");
    skip_ws(ps);
    if (ps->p >= ps->end) return fail(ps, DP_ERR_TRUNCATED, "expected a value");
    const char *s;
    size_t n;
    int plain;
    double v;
    switch (*ps->p) {
    case '"':
        return parse_string(ps, &s, &n, &plain);
    case '{':
        ps->p++;
        if (empty_container(ps, '}')) return 0;
        for (;;) {
            if (parse_string(ps, &s, &n, &plain) != 0 || expect(ps, ':', "expected ':'") != 0 ||
                skip_value(ps, depth + 1) != 0)
                return -1;
            int more = next_or_close(ps, '}');
            if (more <= 0) return more;
        }
    case '[':
        ps->p++;
        if (empty_container(ps, ']')) return 0;
        for (;;) {
            if (skip_value(ps, depth + 1) != 0) return -1;
            int more = next_or_close(ps, ']');
            if (more <= 0) return more;
        }
    case 't':
        return parse_literal(ps, "true");
    case 'f':
        return parse_literal(ps, "false");
    case 'n':
        return parse_literal(ps, "null");
    default:
        return parse_number(ps, &v);
    }
}

static int key_is(const char *s, size_t n, const char *key) {
    return strlen(key) == n && memcmp(s, key, n) == 0;
}

/* Grow *arr (elements of `size` bytes, capacity *cap) to hold `need`. */
static int reserve(parser *ps, void **arr, uint32_t *cap, uint32_t need, size_t size) {
    if (need <= *cap) return 0;
    uint64_t c = *cap ? (uint64_t)*cap * 2 : 64;
    while (c < need) c *= 2;
    void *p = realloc(*arr, (size_t)c * size);
    if (!p) return fail(ps, DP_ERR_NOMEM, "out of memory");
    *arr = p;
    *cap = (uint32_t)c;
    return 0;
}

/* [x, y] with both within the unit box (plus slack). */
static int parse_point(parser *ps) {
    double xy[2];
    if (expect(ps, '[', "expected a point [x, y]") != 0 || parse_number(ps, &xy[0]) != 0 ||
        expect(ps, ',', "a point has two numbers") != 0 || parse_number(ps, &xy[1]) != 0 ||
        expect(ps, ']', "a point has two numbers") != 0)
        return -1;
    for (int i = 0; i < 2; i++)
        if (xy[i] < -DP_PEN_COORD_SLACK || xy[i] > 1.0 + DP_PEN_COORD_SLACK)
            return fail(ps, DP_ERR_RANGE, "coordinate outside [0, 1]");
    dp_pen_set *s = ps->set;
    if (reserve(ps, (void **)&s->xy, &ps->cap_points, 2 * (ps->n_points + 1), sizeof *s->xy) != 0)
        return -1;
    s->xy[2 * ps->n_points] = (float)xy[0];
    s->xy[2 * ps->n_points + 1] = (float)xy[1];
    ps->n_points++;
    return 0;
}

/* [[x,y], ...]: one stroke of at least one point. */
static int parse_stroke(parser *ps) {
    if (expect(ps, '[', "expected a stroke (a list of points)") != 0) return -1;
    if (empty_container(ps, ']')) return fail(ps, DP_ERR_FORMAT, "empty stroke");
    uint32_t first = ps->n_points;
    for (;;) {
        if (ps->n_points - first >= DP_PEN_MAX_POINTS)
            return fail(ps, DP_ERR_RANGE, "too many points in a stroke");
        if (parse_point(ps) != 0) return -1;
        int more = next_or_close(ps, ']');
        if (more <= 0) break;
    }
    if (ps->st != DP_OK) return -1;
    dp_pen_set *s = ps->set;
    if (reserve(ps, (void **)&s->stroke_start, &ps->cap_strokes, s->n_strokes + 2,
                sizeof *s->stroke_start) != 0)
        return -1;
    s->stroke_start[s->n_strokes] = first;
    s->n_strokes++;
    s->stroke_start[s->n_strokes] = ps->n_points;
    return 0;
}

static int parse_strokes(parser *ps, dp_pen_drawing *d) {
    if (expect(ps, '[', "\"strokes\" must be a list") != 0) return -1;
    if (empty_container(ps, ']')) return fail(ps, DP_ERR_FORMAT, "a drawing without strokes");
    d->first_stroke = ps->set->n_strokes;
    for (;;) {
        if (d->n_strokes >= DP_PEN_MAX_STROKES)
            return fail(ps, DP_ERR_RANGE, "too many strokes in a drawing");
        if (parse_stroke(ps) != 0) return -1;
        d->n_strokes++;
        int more = next_or_close(ps, ']');
        if (more <= 0) return more;
    }
}

static int parse_label(parser *ps, dp_pen_drawing *d) {
    const char *s;
    size_t n;
    int plain;
    if (parse_string(ps, &s, &n, &plain) != 0) return -1;
    if (n != 1 || !plain || s[0] < '0' || s[0] > '9')
        return fail(ps, DP_ERR_RANGE, "label must be \"0\" to \"9\"");
    d->label = (uint8_t)(s[0] - '0');
    return 0;
}

static int parse_writer(parser *ps, dp_pen_drawing *d) {
    const char *s;
    size_t n;
    int plain;
    if (parse_string(ps, &s, &n, &plain) != 0) return -1;
    if (n < 1 || n >= DP_PEN_WRITER_LEN || !plain)
        return fail(ps, DP_ERR_FORMAT, "writer must be 1-15 letters, digits, '_' or '-'");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return fail(ps, DP_ERR_FORMAT, "writer must be 1-15 letters, digits, '_' or '-'");
    }
    dp_pen_set *set = ps->set;
    for (uint32_t w = 0; w < set->n_writers; w++)
        if (key_is(s, n, set->writers[w])) {
            d->writer = (uint16_t)w;
            return 0;
        }
    if (set->n_writers >= DP_PEN_MAX_WRITERS) return fail(ps, DP_ERR_RANGE, "too many writers");
    if (reserve(ps, (void **)&set->writers, &ps->cap_writers, set->n_writers + 1,
                sizeof *set->writers) != 0)
        return -1;
    memcpy(set->writers[set->n_writers], s, n);
    set->writers[set->n_writers][n] = '\0';
    d->writer = (uint16_t)set->n_writers++;
    return 0;
}

/* The points' bounding box. */
static void drawing_box(const dp_pen_set *s, dp_pen_drawing *d) {
    const float *a = s->xy + 2 * (size_t)s->stroke_start[d->first_stroke];
    const float *b = s->xy + 2 * (size_t)s->stroke_start[d->first_stroke + d->n_strokes];
    float x0 = a[0], x1 = a[0], y0 = a[1], y1 = a[1];
    for (const float *q = a; q < b; q += 2) {
        x0 = fminf(x0, q[0]), x1 = fmaxf(x1, q[0]);
        y0 = fminf(y0, q[1]), y1 = fmaxf(y1, q[1]);
    }
    d->x0 = x0, d->y0 = y0, d->w = x1 - x0, d->h = y1 - y0;
}

/* {"label": ..., "writer": ..., "strokes": ..., others skipped}. */
static int parse_drawing(parser *ps) {
    dp_pen_set *s = ps->set;
    if (s->count >= DP_PEN_MAX_DRAWINGS) return fail(ps, DP_ERR_RANGE, "too many drawings");
    dp_pen_drawing d;
    memset(&d, 0, sizeof d);
    int have_label = 0, have_writer = 0, have_strokes = 0;
    if (expect(ps, '{', "a drawing must be an object") != 0) return -1;
    if (empty_container(ps, '}')) return fail(ps, DP_ERR_FORMAT, "empty drawing");
    for (;;) {
        const char *k;
        size_t n;
        int plain, rc, *seen = NULL;
        if (parse_string(ps, &k, &n, &plain) != 0 || expect(ps, ':', "expected ':'") != 0)
            return -1;
        if (key_is(k, n, "label")) {
            seen = &have_label;
            rc = parse_label(ps, &d);
        } else if (key_is(k, n, "writer")) {
            seen = &have_writer;
            rc = parse_writer(ps, &d);
        } else if (key_is(k, n, "strokes")) {
            seen = &have_strokes;
            rc = parse_strokes(ps, &d);
        } else {
            rc = skip_value(ps, 2);
        }
        if (rc != 0) return -1;
        if (seen && (*seen)++) return fail(ps, DP_ERR_FORMAT, "a member appears twice");
        int more = next_or_close(ps, '}');
        if (more < 0) return -1;
        if (more == 0) break;
    }
    if (!have_label || !have_writer || !have_strokes)
        return fail(ps, DP_ERR_FORMAT, "a drawing needs \"label\", \"writer\" and \"strokes\"");
    drawing_box(s, &d);
    if (reserve(ps, (void **)&s->drawings, &ps->cap_drawings, s->count + 1, sizeof *s->drawings) !=
        0)
        return -1;
    s->drawings[s->count++] = d;
    return 0;
}

static int parse_drawings(parser *ps) {
    if (expect(ps, '[', "\"drawings\" must be a list") != 0) return -1;
    if (empty_container(ps, ']')) return 0;
    for (;;) {
        if (parse_drawing(ps) != 0) return -1;
        int more = next_or_close(ps, ']');
        if (more <= 0) return more;
    }
}

static int parse_document(parser *ps) {
    int have_drawings = 0;
    if (expect(ps, '{', "the file must be a JSON object") != 0) return -1;
    if (!empty_container(ps, '}')) {
        for (;;) {
            const char *k;
            size_t n;
            int plain, rc;
            if (parse_string(ps, &k, &n, &plain) != 0 || expect(ps, ':', "expected ':'") != 0)
                return -1;
            if (key_is(k, n, "drawings")) {
                if (have_drawings++) return fail(ps, DP_ERR_FORMAT, "\"drawings\" appears twice");
                rc = parse_drawings(ps);
            } else {
                rc = skip_value(ps, 1);
            }
            if (rc != 0) return -1;
            int more = next_or_close(ps, '}');
            if (more < 0) return -1;
            if (more == 0) break;
        }
    }
    skip_ws(ps);
    if (ps->p != ps->end) return fail(ps, DP_ERR_FORMAT, "text after the end of the object");
    if (!have_drawings) return fail(ps, DP_ERR_FORMAT, "no \"drawings\" list");
    if (ps->set->count == 0) return fail(ps, DP_ERR_EMPTY, "no drawings");
    return 0;
}

void dp_pen_free(dp_pen_set *s) {
    if (!s) return;
    free(s->drawings);
    free(s->writers);
    free(s->stroke_start);
    free(s->xy);
    memset(s, 0, sizeof *s);
}

dp_status dp_pen_parse(const char *json, size_t len, dp_pen_set *out, dp_error *err) {
    if (!out) return dp_error_set(err, DP_ERR_ARG, "dp_pen_parse: no output");
    memset(out, 0, sizeof *out);
    if (!json) return dp_error_set(err, DP_ERR_ARG, "dp_pen_parse: no input");
    if (len > DP_PEN_MAX_FILE)
        return dp_error_set(err, DP_ERR_RANGE, "pen data: %zu bytes is more than the %u allowed",
                            len, DP_PEN_MAX_FILE);
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.p = ps.start = json;
    ps.end = json + len;
    ps.err = err;
    ps.set = out;
    if (parse_document(&ps) != 0 || ps.st != DP_OK) {
        dp_pen_free(out);
        return ps.st != DP_OK ? ps.st : dp_error_set(err, DP_ERR_FORMAT, "pen data: malformed");
    }
    return DP_OK;
}

dp_status dp_pen_load(const char *path, dp_pen_set *out, dp_error *err) {
    if (!out) return dp_error_set(err, DP_ERR_ARG, "dp_pen_load: no output");
    memset(out, 0, sizeof *out);
    if (!path) return dp_error_set(err, DP_ERR_ARG, "dp_pen_load: no path");
    int fd;
    uint64_t size;
    dp_status s = dp_io_open_regular(path, &fd, &size, err);
    if (s != DP_OK) return s;
    if (size > DP_PEN_MAX_FILE) {
        close(fd);
        return dp_error_set(err, DP_ERR_RANGE, "%s: %llu bytes is more than the %u allowed", path,
                            (unsigned long long)size, DP_PEN_MAX_FILE);
    }
    char *buf = malloc(size ? (size_t)size : 1);
    if (!buf) {
        close(fd);
        return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
    }
    s = dp_io_read_exact(fd, buf, (size_t)size, path, err);
    close(fd);
    if (s == DP_OK) {
        dp_error e = {0};
        s = dp_pen_parse(buf, (size_t)size, out, &e);
        if (s != DP_OK) dp_error_set(err, s, "%s: %s", path, e.msg);
    }
    free(buf);
    return s;
}

const char *dp_pen_data_dir(const char *flag, const char *env) {
    if (flag && *flag) return flag;
    if (env && *env) return env;
    return "data/human-digits";
}

int dp_pen_writer_listed(const char *list, const char *writer) {
    if (!list || !writer) return 0;
    size_t n = strlen(writer);
    for (const char *p = list; *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == n && memcmp(p, writer, n) == 0) return 1;
        if (!q) break;
        p = q + 1;
    }
    return 0;
}

const float *dp_pen_stroke(const dp_pen_set *s, const dp_pen_drawing *d, int k, int *n) {
    uint32_t i = d->first_stroke + (uint32_t)k;
    *n = (int)(s->stroke_start[i + 1] - s->stroke_start[i]);
    return s->xy + 2 * (size_t)s->stroke_start[i];
}

static float uniform_in(dp_rng *rng, float lo, float hi) {
    return hi > lo ? lo + (hi - lo) * dp_rng_uniform(rng) : lo;
}

dp_pen_place dp_pen_place_random(dp_rng *rng, const dp_pen_drawing *d, int side, float min_frac,
                                 float max_frac, float radius) {
    dp_pen_place p;
    float aspect = d->h > 0.0f ? d->w / d->h : 1.0f;
    p.height = (float)side * uniform_in(rng, min_frac, max_frac);
    if (p.height * aspect > max_frac * (float)side) p.height = max_frac * (float)side / aspect;
    float half_w = 0.5f * p.height * aspect + radius, half_h = 0.5f * p.height + radius;
    p.cx = uniform_in(rng, half_w, (float)side - half_w);
    p.cy = uniform_in(rng, half_h, (float)side - half_h);
    if (half_w * 2.0f > (float)side) p.cx = 0.5f * (float)side;
    if (half_h * 2.0f > (float)side) p.cy = 0.5f * (float)side;
    return p;
}

int dp_pen_render(const dp_pen_set *s, const dp_pen_drawing *d, const dp_pen_place *p, dp_canvas *c,
                  const dp_brush *b) {
    if (!s || !d || !p || !c) return 0;
    dp_canvas_clear(c);
    float k = d->h > 0.0f ? p->height / d->h : (d->w > 0.0f ? p->height / d->w : 0.0f);
    float ox = p->cx - k * (d->x0 + 0.5f * d->w), oy = p->cy - k * (d->y0 + 0.5f * d->h);
    int changed = 0;
    for (int j = 0; j < d->n_strokes; j++) {
        int n;
        const float *xy = dp_pen_stroke(s, d, j, &n);
        /* one polyline per stroke, as dp_canvas_polyline draws it */
        dp_canvas_pen_up(c);
        float x0 = ox + k * xy[0], y0 = oy + k * xy[1];
        if (n == 1) changed |= dp_canvas_stroke(c, b, x0, y0, x0, y0, 0);
        for (int i = 1; i < n; i++) {
            float x1 = ox + k * xy[2 * i], y1 = oy + k * xy[2 * i + 1];
            changed |= dp_canvas_stroke(c, b, x0, y0, x1, y1, 0);
            x0 = x1, y0 = y1;
        }
        dp_canvas_pen_up(c);
    }
    return changed;
}
