/* The reading of a drawing (digit / unsure / not a digit) and the random
 * non-digit strokes the gate network is trained on. */
#include "digitpad/notdigit.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

void dp_reading_judge(const float p[DP_MNIST_CLASSES], float not_digit, dp_reading *out) {
    memset(out, 0, sizeof *out);
    memcpy(out->p, p, sizeof out->p);
    int a = dp_argmax(p, DP_MNIST_CLASSES), b = -1;
    double h = 0.0;
    for (int i = 0; i < DP_MNIST_CLASSES; i++) {
        if (i != a && (b < 0 || p[i] > p[b])) b = i;
        if (p[i] > 0.0f) h -= p[i] * log(p[i]);
    }
    out->digit = a;
    out->second = b;
    out->entropy = (float)h;
    out->not_digit = not_digit;
    if (not_digit >= DP_NOTDIGIT_THRESHOLD)
        out->verdict = DP_VERDICT_NOTDIGIT;
    else if (p[a] < DP_UNSURE_P || h > DP_UNSURE_ENTROPY * log((double)DP_MNIST_CLASSES))
        out->verdict = DP_VERDICT_UNSURE;
    else
        out->verdict = DP_VERDICT_DIGIT;
}

int dp_gate_fits(const dp_mlp *gate) {
    return gate && gate->n_in == DP_MNIST_PIXELS && gate->n_out == 2;
}

dp_status dp_read_input(const dp_mlp *m, dp_workspace *ws, const dp_mlp *gate, dp_workspace *gws,
                        const float x[DP_MNIST_PIXELS], dp_reading *out) {
    if (!m || !ws || !x || !out) return DP_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->digit = out->second = -1;
    if (m->n_in != DP_MNIST_PIXELS || m->n_out != DP_MNIST_CLASSES) return DP_ERR_SHAPE;
    if (gate && (!gws || !dp_gate_fits(gate))) return DP_ERR_SHAPE;
    const float *p = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_BLAS);
    if (!p) return DP_ERR_SHAPE;
    float nd = 0.0f;
    if (gate) {
        const float *g = dp_mlp_forward(gate, gws, x, 1, DP_BACKEND_BLAS);
        if (!g) return DP_ERR_SHAPE;
        nd = g[1];
    }
    dp_reading_judge(p, nd, out);
    return DP_OK;
}

/* ---- Random non-digits ---- */

#define MAX_STROKES 8
#define MAX_POINTS 160

typedef struct shape {
    int n_strokes;
    int n[MAX_STROKES];
    float xy[MAX_STROKES][2 * MAX_POINTS];
} shape;

static double unif(dp_rng *r, double lo, double hi) {
    return lo + (hi - lo) * dp_rng_uniform(r);
}

static void add_point(shape *s, double x, double y) {
    int k = s->n_strokes - 1;
    if (k < 0 || s->n[k] >= MAX_POINTS) return;
    s->xy[k][2 * s->n[k]] = (float)x;
    s->xy[k][2 * s->n[k] + 1] = (float)y;
    s->n[k]++;
}

static int new_stroke(shape *s) {
    if (s->n_strokes >= MAX_STROKES) return 0;
    s->n[s->n_strokes++] = 0;
    return 1;
}

/* A smooth curve (Catmull-Rom) through 7-14 random points of the unit box. */
static void scribble(shape *s, dp_rng *r) {
    double px[14], py[14];
    int n = 7 + (int)dp_rng_below(r, 8);
    for (int i = 0; i < n; i++) px[i] = dp_rng_uniform(r), py[i] = dp_rng_uniform(r);
    if (!new_stroke(s)) return;
    for (int i = 0; i + 1 < n; i++) {
        int i0 = i > 0 ? i - 1 : 0, i3 = i + 2 < n ? i + 2 : n - 1;
        for (int k = 0; k < 8; k++) {
            double t = k / 8.0, t2 = t * t, t3 = t2 * t;
            double x = 0.5 * (2 * px[i] + (-px[i0] + px[i + 1]) * t +
                              (2 * px[i0] - 5 * px[i] + 4 * px[i + 1] - px[i3]) * t2 +
                              (-px[i0] + 3 * px[i] - 3 * px[i + 1] + px[i3]) * t3);
            double y = 0.5 * (2 * py[i] + (-py[i0] + py[i + 1]) * t +
                              (2 * py[i0] - 5 * py[i] + 4 * py[i + 1] - py[i3]) * t2 +
                              (-py[i0] + 3 * py[i] - 3 * py[i + 1] + py[i3]) * t3);
            add_point(s, x, y);
        }
    }
    add_point(s, px[n - 1], py[n - 1]);
}

/* 3-6 separate straight strokes. */
static void loose_strokes(shape *s, dp_rng *r) {
    int n = 3 + (int)dp_rng_below(r, 4);
    for (int i = 0; i < n && new_stroke(s); i++) {
        add_point(s, dp_rng_uniform(r), dp_rng_uniform(r));
        add_point(s, dp_rng_uniform(r), dp_rng_uniform(r));
    }
}

/* A closed polygon of 3-5 vertices around the centre (more would be a 0),
 * a five-pointed star, maybe with a line through it. */
static void polygon(shape *s, dp_rng *r) {
    int n = 3 + (int)dp_rng_below(r, 3), step = (n == 5 && dp_rng_uniform(r) < 0.5f) ? 2 : 1;
    double a0 = unif(r, 0, 2 * PI);
    if (!new_stroke(s)) return;
    for (int i = 0; i <= n; i++) {
        double a = a0 + 2 * PI * (double)(i * step % n) / n, rad = unif(r, 0.35, 0.5);
        add_point(s, 0.5 + rad * cos(a), 0.5 + rad * sin(a));
    }
    if (dp_rng_uniform(r) < 0.5f && new_stroke(s)) {
        add_point(s, dp_rng_uniform(r), dp_rng_uniform(r));
        add_point(s, dp_rng_uniform(r), dp_rng_uniform(r));
    }
}

/* A zigzag or wave of 4-9 turns, or parallel hatching lines. */
static void zigzag(shape *s, dp_rng *r) {
    int n = 4 + (int)dp_rng_below(r, 6);
    int vertical = dp_rng_uniform(r) < 0.5f;
    if (dp_rng_uniform(r) < 0.3f) { /* hatching */
        for (int i = 0; i < n / 2 + 2 && new_stroke(s); i++) {
            double t = (double)i / (n / 2 + 1), j = unif(r, -0.1, 0.1);
            add_point(s, vertical ? t : 0.0, vertical ? j : t);
            add_point(s, vertical ? t + j : 1.0, vertical ? 1.0 : t + j);
        }
        return;
    }
    if (!new_stroke(s)) return;
    double amp = unif(r, 0.15, 0.5);
    for (int i = 0; i <= n; i++) {
        double t = (double)i / n, v = 0.5 + ((i & 1) ? amp : -amp) + unif(r, -0.05, 0.05);
        add_point(s, vertical ? v : t, vertical ? t : v);
    }
}

/* An ellipse with 1-3 strokes across it (crossed circles, theta, phi). */
static void ellipse_and_strokes(shape *s, dp_rng *r) {
    double rx = unif(r, 0.25, 0.5), ry = unif(r, 0.25, 0.5), a0 = unif(r, 0, 360);
    if (!new_stroke(s)) return;
    for (int i = 0; i <= 30; i++) {
        double a = (a0 + 12.0 * i) * PI / 180.0;
        add_point(s, 0.5 + rx * cos(a), 0.5 + ry * sin(a));
    }
    /* 1-3 strokes through the ellipse (an ellipse with a mark beside it
       would still be a 0) */
    int n = 1 + (int)dp_rng_below(r, 3);
    for (int i = 0; i < n && new_stroke(s); i++) {
        double a = unif(r, 0, 2 * PI), len = unif(r, 0.6, 1.0);
        double mx = 0.5 + unif(r, -0.15, 0.15), my = 0.5 + unif(r, -0.15, 0.15);
        add_point(s, mx - len * rx * cos(a), my - len * ry * sin(a));
        add_point(s, mx + len * rx * cos(a), my + len * ry * sin(a));
    }
}

/* One random polyline of 4-8 corners (letter-like M, W, N, arrows). */
static void polyline(shape *s, dp_rng *r) {
    int n = 4 + (int)dp_rng_below(r, 5);
    if (!new_stroke(s)) return;
    for (int i = 0; i < n; i++) add_point(s, dp_rng_uniform(r), dp_rng_uniform(r));
}

/* 2-4 strokes of 2-3 points on a 3x3 grid (plus a little jitter): the
 * straight-line letters and symbols (E, F, H, T, +, =, ...). */
static void grid_strokes(shape *s, dp_rng *r) {
    int n = 2 + (int)dp_rng_below(r, 3);
    for (int i = 0; i < n && new_stroke(s); i++) {
        int k = 2 + (int)dp_rng_below(r, 2);
        for (int j = 0; j < k; j++)
            add_point(s, 0.5 * dp_rng_below(r, 3) + unif(r, -0.04, 0.04),
                      0.5 * dp_rng_below(r, 3) + unif(r, -0.04, 0.04));
    }
}

/* An open arc (120-300 degrees) with 1-2 grid strokes: C, P, R, U, e, ?. */
static void arc_and_strokes(shape *s, dp_rng *r) {
    double rx = unif(r, 0.2, 0.5), ry = unif(r, 0.2, 0.5), a0 = unif(r, 0, 360);
    double span = unif(r, 120, 300) * (dp_rng_uniform(r) < 0.5f ? 1 : -1);
    double cx = unif(r, 0.3, 0.7), cy = unif(r, 0.3, 0.7);
    if (!new_stroke(s)) return;
    for (int i = 0; i <= 20; i++) {
        double a = (a0 + span * i / 20.0) * PI / 180.0;
        add_point(s, cx + rx * cos(a), cy + ry * sin(a));
    }
    int n = 1 + (int)dp_rng_below(r, 2);
    for (int i = 0; i < n && new_stroke(s); i++) {
        add_point(s, 0.5 * dp_rng_below(r, 3), 0.5 * dp_rng_below(r, 3));
        add_point(s, 0.5 * dp_rng_below(r, 3), 0.5 * dp_rng_below(r, 3));
    }
}

void dp_nondigit_draw(dp_rng *rng, dp_canvas *c, const dp_brush *b) {
    if (!rng || !c) return;
    dp_canvas_clear(c);
    shape s;
    s.n_strokes = 0;
    switch (dp_rng_below(rng, 8)) {
    case 6:
        grid_strokes(&s, rng);
        break;
    case 7:
        arc_and_strokes(&s, rng);
        break;
    case 0:
        scribble(&s, rng);
        if (dp_rng_uniform(rng) < 0.3f) scribble(&s, rng);
        break;
    case 1:
        loose_strokes(&s, rng);
        break;
    case 2:
        polygon(&s, rng);
        break;
    case 3:
        zigzag(&s, rng);
        break;
    case 4:
        ellipse_and_strokes(&s, rng);
        break;
    default:
        polyline(&s, rng);
        break;
    }
    /* bounding box -> 30-90% of the canvas tall (aspect kept, at most 90%
       wide), anywhere with the brush inside */
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (int k = 0; k < s.n_strokes; k++)
        for (int i = 0; i < s.n[k]; i++) {
            x0 = fminf(x0, s.xy[k][2 * i]), x1 = fmaxf(x1, s.xy[k][2 * i]);
            y0 = fminf(y0, s.xy[k][2 * i + 1]), y1 = fmaxf(y1, s.xy[k][2 * i + 1]);
        }
    if (!(x1 >= x0 && y1 >= y0)) return;
    float side = (float)(c->w < c->h ? c->w : c->h), radius = b ? b->radius : 1.8f;
    float w = x1 - x0, h = y1 - y0, big = fmaxf(w, h);
    if (!(big > 0.0f)) return;
    float height = side * (float)unif(rng, 0.3, 0.9);
    float k = h > 0.05f * big ? height / h : height / big;
    if (k * w > 0.9f * side) k = 0.9f * side / w;
    float hw = 0.5f * k * w + radius, hh = 0.5f * k * h + radius;
    float cx = 2 * hw < side ? (float)unif(rng, hw, side - hw) : 0.5f * side;
    float cy = 2 * hh < side ? (float)unif(rng, hh, side - hh) : 0.5f * side;
    float mx = 0.5f * (x0 + x1), my = 0.5f * (y0 + y1);
    for (int j = 0; j < s.n_strokes; j++) {
        float q[2 * MAX_POINTS];
        for (int i = 0; i < s.n[j]; i++) {
            q[2 * i] = cx + k * (s.xy[j][2 * i] - mx);
            q[2 * i + 1] = cy + k * (s.xy[j][2 * i + 1] - my);
        }
        dp_canvas_polyline(c, b, q, s.n[j], 0);
    }
}
