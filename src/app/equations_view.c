#include "equations_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "theme.h"

#define MINUS "\xe2\x88\x92"

static void fmt_fixed(char *buf, size_t len, int decimals, double v) {
    inspect_fmt(buf, len, decimals, 0, v);
}

/* Compact form for numbers of any size, real minus sign: 3.1e5, 1468,
 * 24.7, 0.0123, 6.0e-9. */
static void fmt_wide(char *buf, size_t len, double v) {
    char digits[24];
    double a = fabs(v);
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", v > 0 ? "∞" : "n/a");
        return;
    }
    if (a != 0 && (a >= 1e4 || a < 1e-3)) {
        int e = (int)floor(log10(a));
        double mant = a / pow(10, e);
        if (mant >= 9.95) mant /= 10, e++;
        snprintf(digits, sizeof digits, "%.1fe%d", mant, e);
    } else if (a >= 100) {
        snprintf(digits, sizeof digits, "%.0f", a);
    } else {
        snprintf(digits, sizeof digits, "%.3g", a);
    }
    snprintf(buf, len, "%s%s", v < 0 ? MINUS : "", digits);
}

/* Left-to-right text that wraps at the panel's edge. */
typedef struct flow {
    text *t;
    text_size size;
    int x0, x, y, right, line_h;
} flow;

static void flow_put(flow *f, SDL_Color c, const char *str) {
    int w = text_width(f->t, f->size, str);
    if (f->x > f->x0 && f->x + w > f->right) {
        f->x = f->x0 + f->line_h; /* continuation lines are indented */
        f->y += f->line_h;
    }
    f->x += text_draw(f->t, f->size, c, f->x, f->y, ALIGN_LEFT, str);
}

static void flow_newline(flow *f) {
    f->x = f->x0;
    f->y += f->line_h;
}

/* One table row: a name and ten values in columns. */
static void table_row(text *t, text_size sz, int x, int y, int name_w, int col_w, SDL_Color c,
                      const char *name, const char cells[][24], int n, int hilite) {
    text_draw(t, sz, THEME_DIM, x, y, ALIGN_LEFT, name);
    for (int k = 0; k < n; k++)
        text_draw(t, sz, k == hilite ? THEME_ACCENT : c, x + name_w + (k + 1) * col_w - 4, y,
                  ALIGN_RIGHT, cells[k]);
}

void equations_view_draw(SDL_Renderer *r, text *t, SDL_Rect area, float s, const inspect *in,
                         const dp_mlp *shape, const dp_backward_view *back, int training,
                         float momentum) {
    draw_panel(r, area);
    int pad = (int)(10 * s);
    int x = area.x + pad, y = area.y + (int)(6 * s), right = area.x + area.w - pad;
    /* Body text: small, or normal when the panel is large. */
    text_size sz = area.h >= (int)(560 * s) && area.w >= (int)(900 * s) ? TEXT_NORMAL : TEXT_SMALL;
    int th = text_height(t, TEXT_TITLE), sh = text_height(t, sz);
    int line = sh + (int)(3 * s);
    int w = text_draw(t, TEXT_TITLE, THEME_TEXT, x, y, ALIGN_LEFT, "The network, live");
    const char *sub = "row vectors, the paper's notation · E closes";
    if (w + text_width(t, TEXT_SMALL, sub) + 3 * pad < area.w)
        text_draw(t, TEXT_SMALL, THEME_DIM, right, y + th - text_height(t, TEXT_SMALL), ALIGN_RIGHT,
                  sub);
    y += th + (int)(6 * s);
    int I = shape->n_in, H = shape->n_hidden, O = shape->n_out;
    char buf[160];

    /* The forward pass with shapes. */
    flow f = {t, sz, x, x, y, right, line};
    snprintf(buf, sizeof buf, "x (1×%d) · W1 (%d×%d) + b1 (1×%d)", I, I, H, H);
    flow_put(&f, THEME_TEXT, buf);
    snprintf(buf, sizeof buf, " → net1 (1×%d) → r →", H);
    flow_put(&f, THEME_TEXT, buf);
    if (in->valid)
        snprintf(buf, sizeof buf, " out1 (1×%d: %d of %d active)", H, in->trace->active, H);
    else
        snprintf(buf, sizeof buf, " out1 (1×%d)", H);
    flow_put(&f, THEME_OK, buf);
    snprintf(buf, sizeof buf, " · W2 (%d×%d) + b2 (1×%d)", H, O, O);
    flow_put(&f, THEME_TEXT, buf);
    snprintf(buf, sizeof buf, " → net2 (1×%d) → s → out2 (1×%d)", O, O);
    flow_put(&f, THEME_TEXT, buf);
    flow_newline(&f);
    flow_put(&f, THEME_DIM, "r(v) = max(0, v),   s(net2)_k = e^net2_k / Σ_i e^net2_i");
    flow_newline(&f);
    y = f.y + (int)(4 * s);

    /* The drawing's numbers. */
    int name_w = text_width(t, sz, "e^net2 ");
    int col_w = (right - x - name_w) / (O > 0 ? O : 1);
    int n = O < DP_MNIST_CLASSES ? O : DP_MNIST_CLASSES;
    char cells[DP_MNIST_CLASSES][24];
    if (!in->valid) {
        text_draw(t, sz, THEME_DIM, x, y, ALIGN_LEFT,
                  "draw a digit to see its logits and probabilities");
        y += line;
    } else {
        const dp_trace *tr = in->trace;
        int top = tr->top;
        for (int k = 0; k < n; k++) snprintf(cells[k], sizeof cells[k], "%d", k);
        table_row(t, sz, x, y, name_w, col_w, THEME_DIM, "k", cells, n, top);
        y += line;
        for (int k = 0; k < n; k++) fmt_fixed(cells[k], sizeof cells[k], 2, tr->net2[k]);
        table_row(t, sz, x, y, name_w, col_w, THEME_TEXT, "net2", cells, n, top);
        y += line;
        for (int k = 0; k < n; k++) fmt_wide(cells[k], sizeof cells[k], exp((double)tr->net2[k]));
        table_row(t, sz, x, y, name_w, col_w, THEME_TEXT, "e^net2", cells, n, top);
        y += line;
        double psum = 0;
        for (int k = 0; k < n; k++) {
            fmt_fixed(cells[k], sizeof cells[k], 4, tr->out2[k]);
            psum += tr->out2[k];
        }
        table_row(t, sz, x, y, name_w, col_w, THEME_TEXT, "out2", cells, n, top);
        y += line;
        char se[32];
        if (isfinite(tr->sum_exp))
            fmt_wide(se, sizeof se, tr->sum_exp);
        else
            snprintf(se, sizeof se, "e^%.2f", tr->log_sum_exp);
        text_drawf(t, sz, THEME_TEXT, x, y, ALIGN_LEFT,
                   "Σ e^net2 = %s   Σ out2 = %.4f   out2_%d = e^%.2f / %s = %.4f", se, psum, top,
                   (double)tr->net2[top], se, (double)tr->out2[top]);
        y += line;
    }
    y += (int)(6 * s);
    if (y + line > area.y + area.h) return;

    /* The last batch's backward pass. */
    draw_fill(r, (SDL_Rect){x, y - (int)(4 * s), right - x, 1}, THEME_BORDER);
    if (!back || !back->valid) {
        text_draw(t, sz, THEME_DIM, x, y, ALIGN_LEFT,
                  "T trains: the backward pass of the last batch appears here");
        return;
    }
    text_drawf(t, sz, THEME_TEXT, x, y, ALIGN_LEFT,
               "Backward pass of the last batch (%d samples%s): L = %.4f,  η = %.5f", back->rows,
               training ? "" : ", paused", back->loss, (double)back->lr);
    y += line;
    int bn = back->n_out < DP_MNIST_CLASSES ? back->n_out : DP_MNIST_CLASSES;
    for (int k = 0; k < bn; k++) fmt_fixed(cells[k], sizeof cells[k], 3, back->out2[k]);
    table_row(t, sz, x, y, name_w, col_w, THEME_TEXT, "out2", cells, bn, back->label);
    y += line;
    for (int k = 0; k < bn; k++) snprintf(cells[k], sizeof cells[k], "%d", k == back->label);
    table_row(t, sz, x, y, name_w, col_w, THEME_DIM, "y", cells, bn, back->label);
    y += line;
    for (int k = 0; k < bn; k++) fmt_wide(cells[k], sizeof cells[k], back->delta2[k]);
    table_row(t, sz, x, y, name_w, col_w, THEME_TEXT, "δ2", cells, bn, back->label);
    y += line;
    flow g = {t, sz, x, x, y, right, line};
    snprintf(buf, sizeof buf, "δ2 = out2 − y  (1×%d; first sample, y = %d, column %d)", back->n_out,
             back->label, back->label);
    flow_put(&g, THEME_DIM, buf);
    flow_newline(&g);
    char dmax[32], dnorm[32];
    fmt_wide(dmax, sizeof dmax, back->delta1_max);
    fmt_wide(dnorm, sizeof dnorm, back->delta1_norm);
    snprintf(buf, sizeof buf, "δ1 = (δ2 · W2ᵀ) ⊙ r′(net1)  (1×%d): %d of %d not forced to 0,", H,
             back->active, H);
    flow_put(&g, THEME_TEXT, buf);
    snprintf(buf, sizeof buf, " |δ1| = %s, largest %s at unit %d", dnorm, dmax,
             back->delta1_max_unit);
    flow_put(&g, THEME_TEXT, buf);
    flow_newline(&g);
    snprintf(buf, sizeof buf, "∂L/∂W2 = out1ᵀ · δ2 / %d  (%d×%d, |·| = %.4f)", back->rows, H, O,
             back->dW2_norm);
    flow_put(&g, THEME_TEXT, buf);
    snprintf(buf, sizeof buf, "   ∂L/∂W1 = xᵀ · δ1 / %d  (%d×%d, |·| = %.4f)", back->rows, I, H,
             back->dW1_norm);
    flow_put(&g, THEME_TEXT, buf);
    flow_newline(&g);
    if (momentum > 0)
        snprintf(buf, sizeof buf, "v ← %.2f v − η ∂L/∂W,  W ← W + v   (η = %.5f)", (double)momentum,
                 (double)back->lr);
    else
        snprintf(buf, sizeof buf, "W ← W − η ∂L/∂W   (η = %.5f)", (double)back->lr);
    flow_put(&g, THEME_DIM, buf);
}
