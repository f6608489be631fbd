#include "inspector.h"

#include <math.h>
#include <stdio.h>

#include "draw.h"
#include "theme.h"

/* The 10 outgoing weights as bars diverging from a centre line. */
static void draw_votes(SDL_Renderer *r, text *t, SDL_Rect area, float s, const inspect *in) {
    int sh = text_height(t, TEXT_SMALL);
    text_draw(t, TEXT_SMALL, THEME_DIM, area.x, area.y, ALIGN_LEFT, "votes W2[j,k]");
    int top = area.y + sh + (int)(4 * s);
    int row = (area.y + area.h - top) / DP_MNIST_CLASSES;
    if (row < 4) return;
    float wmax = 0.0f;
    for (int k = 0; k < DP_MNIST_CLASSES; k++) wmax = fmaxf(wmax, fabsf(in->w2[k]));
    int label_w = (int)(16 * s), value_w = text_width(t, TEXT_SMALL,
                                                      "\xe2\x88\x92"
                                                      "0.000");
    int bx = area.x + label_w, bw = area.w - label_w - value_w - (int)(6 * s);
    if (bw < 10) return;
    int cx = bx + bw / 2;
    for (int k = 0; k < DP_MNIST_CLASSES; k++) {
        int y = top + k * row, bh = row * 2 / 3;
        int ty = y + (bh - sh) / 2;
        text_drawf(t, TEXT_SMALL, THEME_DIM, area.x + label_w / 2, ty, ALIGN_CENTER, "%d", k);
        draw_fill(r, (SDL_Rect){bx, y, bw, bh}, THEME_TRACK);
        float v = wmax > 0 ? in->w2[k] / wmax : 0.0f;
        int len = (int)(fabsf(v) * (bw / 2) + 0.5f);
        SDL_Rect bar = v >= 0 ? (SDL_Rect){cx, y, len, bh} : (SDL_Rect){cx - len, y, len, bh};
        if (len > 0)
            draw_fill(r, bar,
                      v >= 0 ? (SDL_Color){255, 146, 48, 255} : (SDL_Color){64, 156, 255, 255});
        char val[32];
        inspect_fmt(val, sizeof val, 3, 0, in->w2[k]);
        text_draw(t, TEXT_SMALL, THEME_DIM, area.x + area.w, ty, ALIGN_RIGHT, val);
    }
    draw_fill(r, (SDL_Rect){cx, top, 1, row * DP_MNIST_CLASSES}, THEME_DIM);
}

void inspector_draw(SDL_Renderer *r, text *t, SDL_Rect area, float s, const inspect *in) {
    draw_panel(r, area);
    int pad = (int)(10 * s), gap = (int)(14 * s);
    int x = area.x + pad, y = area.y + (int)(6 * s);
    int right = area.x + area.w - pad;
    int j = in->unit;
    int w = text_drawf(t, TEXT_TITLE, THEME_TEXT, x, y, ALIGN_LEFT, "Hidden unit %d", j);
    int th = text_height(t, TEXT_TITLE), nh = text_height(t, TEXT_NORMAL),
        sh = text_height(t, TEXT_SMALL);
    const char *hint = "arrows move · Esc or a second click closes";
    if (w + text_width(t, TEXT_SMALL, hint) + 3 * pad < area.w)
        text_draw(t, TEXT_SMALL, THEME_DIM, right, y + th - sh, ALIGN_RIGHT, hint);
    y += th + (int)(6 * s);

    /* The unit's numbers, or why there are none. */
    char b1[32], net[32], act[32];
    inspect_fmt(b1, sizeof b1, 4, 0, in->uv.bias);
    if (in->uv_valid) {
        inspect_fmt(net, sizeof net, 4, 0, in->uv.net);
        inspect_fmt(act, sizeof act, 4, 0, in->uv.act);
        char p1[64], p2[96], p3[64];
        snprintf(p1, sizeof p1, "b1 = %s   ", b1);
        snprintf(p2, sizeof p2, "net1 = x·W1[:,%d] + b1 = %s   ", j, net);
        snprintf(p3, sizeof p3,
                 in->uv.act > 0 ? "out1 = r(net1) = %s" : "out1 = r(net1) = %s: silent", act);
        if (text_width(t, TEXT_NORMAL, p1) + text_width(t, TEXT_NORMAL, p2) +
                text_width(t, TEXT_NORMAL, p3) >
            right - x) { /* a narrow panel: the short forms */
            snprintf(p2, sizeof p2, "net1 = %s   ", net);
            snprintf(p3, sizeof p3, "out1 = %s", act);
        }
        int cx = x;
        cx += text_draw(t, TEXT_NORMAL, THEME_DIM, cx, y, ALIGN_LEFT, p1);
        cx += text_draw(t, TEXT_NORMAL, THEME_TEXT, cx, y, ALIGN_LEFT, p2);
        text_draw(t, TEXT_NORMAL, in->uv.act > 0 ? THEME_OK : THEME_DIM, cx, y, ALIGN_LEFT, p3);
    } else {
        text_drawf(t, TEXT_NORMAL, THEME_DIM, x, y, ALIGN_LEFT,
                   "b1 = %s   draw a digit to see net1 and out1", b1);
    }
    y += nh + (int)(8 * s);

    /* Two images and the votes: side = what fits in height and width. */
    int votes_w = (int)(150 * s);
    int avail_h = area.y + area.h - pad - 3 * sh - (int)(8 * s) - y;
    int avail_w = (area.w - 2 * pad - votes_w - 2 * gap) / 2;
    int side = avail_h < avail_w ? avail_h : avail_w;
    if (side >= 3 * 28) side = side / 28 * 28;
    if (side < 28) return;
    SDL_Rect wr = {x, y, side, side}, cr = {x + side + gap, y, side, side};
    SDL_RenderCopy(r, in->weights_tex, NULL, &wr);
    draw_frame(r, (SDL_Rect){wr.x - 1, wr.y - 1, wr.w + 2, wr.h + 2}, THEME_BORDER);
    int ly = y + side + (int)(4 * s);
    text_drawf(t, TEXT_SMALL, THEME_TEXT, wr.x, ly, ALIGN_LEFT, "weights W1[:,%d]", j);
    text_draw(t, TEXT_SMALL, THEME_DIM, wr.x, ly + sh, ALIGN_LEFT, "(incoming)");
    char rms[48];
    snprintf(rms, sizeof rms, "colour ±%.3f", 2.5 * in->w_rms);
    text_draw(t, TEXT_SMALL, THEME_DIM, wr.x, ly + 2 * sh, ALIGN_LEFT, rms);
    if (in->uv_valid) {
        SDL_RenderCopy(r, in->contrib_tex, NULL, &cr);
        char sum[32], pos[32], neg[32];
        inspect_fmt(sum, sizeof sum, 4, 0, in->uv.sum);
        inspect_fmt(pos, sizeof pos, 3, 0, in->uv.pos);
        inspect_fmt(neg, sizeof neg, 3, 0, in->uv.neg);
        text_drawf(t, TEXT_SMALL, THEME_TEXT, cr.x, ly, ALIGN_LEFT, "x ⊙ W1[:,%d]", j);
        text_drawf(t, TEXT_SMALL, THEME_TEXT, cr.x, ly + sh, ALIGN_LEFT, "Σ = %s", sum);
        char updown[96];
        snprintf(updown, sizeof updown, "up %s, down %s", pos, neg);
        if (text_width(t, TEXT_SMALL, updown) > side + gap / 2)
            snprintf(updown, sizeof updown, "+%s / %s", pos, neg);
        text_draw(t, TEXT_SMALL, THEME_DIM, cr.x, ly + 2 * sh, ALIGN_LEFT, updown);
    } else {
        draw_fill(r, cr, THEME_INK_BG);
        text_draw(t, TEXT_SMALL, THEME_DIM, cr.x + side / 2, cr.y + side / 2 - sh / 2, ALIGN_CENTER,
                  "no drawing");
        text_drawf(t, TEXT_SMALL, THEME_TEXT, cr.x, ly, ALIGN_LEFT, "x ⊙ W1[:,%d]", j);
    }
    draw_frame(r, (SDL_Rect){cr.x - 1, cr.y - 1, cr.w + 2, cr.h + 2}, THEME_BORDER);
    SDL_Rect vr = {cr.x + side + gap, y, right - (cr.x + side + gap), side + 3 * sh};
    draw_votes(r, t, vr, s, in);
}
