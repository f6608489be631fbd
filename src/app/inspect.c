/* The numbers and images behind the "look inside" views, recomputed once
 * per change of the drawing, the weights or the selection. */
#include "inspect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canvas_view.h"

#define SIDE DP_MNIST_SIDE
#define LEGEND_W 64

void inspect_fmt(char *buf, size_t len, int decimals, int plus, double v) {
    char digits[40];
    if (len == 0) return;
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
        return;
    }
    snprintf(digits, sizeof digits, "%.*f",
             decimals < 0   ? 0
             : decimals > 9 ? 9
                            : decimals,
             fabs(v));
    int zero = strspn(digits, "0.") == strlen(digits);
    const char *sign = zero ? "" : v < 0 ? "\xe2\x88\x92" : plus ? "+" : "";
    snprintf(buf, len, "%s%s", sign, digits);
}

uint32_t inspect_overlay_color(float t) {
    if (!(t > -1.0f)) t = -1.0f; /* also NaN */
    if (t > 1.0f) t = 1.0f;
    uint32_t c = mosaic_color(t) & 0x00ffffffu;
    float a = sqrtf(fabsf(t));
    uint32_t alpha = (uint32_t)(235.0f * a + 0.5f);
    return alpha << 24 | c;
}

/* The overlay colour over the grey view's colour of base, composited here
 * (784 texels) so that the window copies one opaque texture instead of
 * blending a second one over the whole canvas. */
static uint32_t over(uint32_t dst, uint32_t src) {
    uint32_t a = src >> 24, out = 0xff000000u;
    for (int sh = 0; sh <= 16; sh += 8) {
        uint32_t d = (dst >> sh) & 0xff, c = (src >> sh) & 0xff;
        out |= ((c * a + d * (255 - a) + 127) / 255) << sh;
    }
    return out;
}

static void upload_over(SDL_Texture *t, const float *v, const float *base, int w, int h,
                        float scale) {
    if (!t) return;
    void *pixels;
    int pitch;
    if (SDL_LockTexture(t, NULL, &pixels, &pitch) != 0) return;
    float inv = scale > 0 ? 1.0f / scale : 0.0f;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)pixels + (size_t)y * pitch);
        for (int x = 0; x < w; x++)
            row[x] =
                over(gray_view_color(base[y * w + x]), inspect_overlay_color(v[y * w + x] * inv));
    }
    SDL_UnlockTexture(t);
}

static SDL_Texture *make_texture(SDL_Renderer *r, int w, int h, int blend) {
    SDL_Texture *t =
        SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!t) return NULL;
    SDL_SetTextureScaleMode(t, SDL_ScaleModeNearest);
    SDL_SetTextureBlendMode(t, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    return t;
}

/* Upload w x h values v / scale through colour (opaque mosaic colours or
 * overlay colours). */
static void upload(SDL_Texture *t, const float *v, int w, int h, float scale, int overlay) {
    if (!t) return;
    void *pixels;
    int pitch;
    if (SDL_LockTexture(t, NULL, &pixels, &pitch) != 0) return;
    float inv = scale > 0 ? 1.0f / scale : 0.0f;
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)pixels + (size_t)y * pitch);
        for (int x = 0; x < w; x++) {
            float u = v[y * w + x] * inv;
            row[x] = overlay ? inspect_overlay_color(u) : mosaic_color(u);
        }
    }
    SDL_UnlockTexture(t);
}

int inspect_init(inspect *in, SDL_Renderer *r, int canvas_w, int canvas_h) {
    memset(in, 0, sizeof *in);
    in->unit = -1;
    in->canvas_w = canvas_w;
    in->canvas_h = canvas_h;
    in->grad_canvas = calloc((size_t)canvas_w * canvas_h, sizeof *in->grad_canvas);
    in->weights_tex = make_texture(r, SIDE, SIDE, 0);
    in->contrib_tex = make_texture(r, SIDE, SIDE, 0);
    in->sal_input_tex = make_texture(r, SIDE, SIDE, 0);
    in->sal_canvas_tex = make_texture(r, canvas_w, canvas_h, 0);
    in->legend_tex = make_texture(r, LEGEND_W, 1, 0);
    if (!in->grad_canvas || !in->weights_tex || !in->contrib_tex || !in->sal_input_tex ||
        !in->sal_canvas_tex || !in->legend_tex) {
        inspect_free(in);
        return -1;
    }
    SDL_SetTextureScaleMode(in->legend_tex, SDL_ScaleModeLinear);
    float ramp[LEGEND_W];
    for (int k = 0; k < LEGEND_W; k++) ramp[k] = 2.0f * k / (LEGEND_W - 1) - 1.0f;
    upload(in->legend_tex, ramp, LEGEND_W, 1, 1.0f, 0);
    return 0;
}

void inspect_free(inspect *in) {
    dp_trace_destroy(in->trace);
    free(in->grad_canvas);
    SDL_Texture *tex[] = {in->weights_tex, in->contrib_tex, in->sal_input_tex, in->sal_canvas_tex,
                          in->legend_tex};
    for (size_t i = 0; i < sizeof tex / sizeof tex[0]; i++)
        if (tex[i]) SDL_DestroyTexture(tex[i]);
    memset(in, 0, sizeof *in);
    in->unit = -1;
}

static int network_fits(const dp_mlp *m) {
    return m && m->n_in == DP_MNIST_PIXELS && m->n_out == DP_MNIST_CLASSES;
}

static float max_abs(const float *v, int n) {
    float mx = 0.0f;
    for (int i = 0; i < n; i++)
        if (fabsf(v[i]) > mx) mx = fabsf(v[i]);
    return mx;
}

void inspect_select(inspect *in, const dp_mlp *m, const float *x, int j) {
    in->uv_valid = 0;
    if (!network_fits(m) || j < 0 || j >= m->n_hidden) {
        in->unit = -1;
        return;
    }
    in->unit = j;
    const int H = m->n_hidden;
    /* the incoming weights, scaled like the mosaic tile: by 2.5 x their RMS */
    float w[DP_MNIST_PIXELS];
    double ss = 0.0;
    for (int i = 0; i < DP_MNIST_PIXELS; i++) {
        w[i] = m->W1[(size_t)i * H + j];
        ss += (double)w[i] * w[i];
    }
    in->w_rms = (float)sqrt(ss / DP_MNIST_PIXELS);
    upload(in->weights_tex, w, SIDE, SIDE, 2.5f * in->w_rms, 0);
    memcpy(in->w2, m->W2 + (size_t)j * m->n_out, sizeof in->w2);
    if (!in->valid) {
        memset(in->contrib, 0, sizeof in->contrib);
        in->contrib_max = 0.0f;
        upload(in->contrib_tex, in->contrib, SIDE, SIDE, 1.0f, 0);
        return;
    }
    if (dp_unit_contributions(m, x, j, in->contrib, &in->uv) != DP_OK) return;
    in->contrib_max = max_abs(in->contrib, DP_MNIST_PIXELS);
    upload(in->contrib_tex, in->contrib, SIDE, SIDE, in->contrib_max, 0);
    in->uv_valid = 1;
}

static void compute_saliency(inspect *in, const dp_mlp *m, const float *x, const float *canvas,
                             const dp_input_map *map) {
    in->grad_valid = 0;
    if (dp_input_gradient(m, in->trace, in->trace->top, in->trace->second, in->grad_input) != DP_OK)
        return;
    in->grad_max = max_abs(in->grad_input, DP_MNIST_PIXELS);
    upload_over(in->sal_input_tex, in->grad_input, x, SIDE, SIDE, in->grad_max);
    if (map && map->canvas_w == in->canvas_w && map->canvas_h == in->canvas_h) {
        dp_input_map_pullback(map, in->grad_input, in->grad_canvas);
        in->grad_canvas_max = max_abs(in->grad_canvas, in->canvas_w * in->canvas_h);
    } else {
        memset(in->grad_canvas, 0, (size_t)in->canvas_w * in->canvas_h * sizeof *in->grad_canvas);
        in->grad_canvas_max = 0.0f;
    }
    upload_over(in->sal_canvas_tex, in->grad_canvas, canvas, in->canvas_w, in->canvas_h,
                in->grad_canvas_max);
    in->grad_valid = 1;
}

void inspect_compute(inspect *in, const dp_mlp *m, const float *x, int valid, const float *canvas,
                     const dp_input_map *map, int why_n) {
    in->valid = 0;
    in->grad_valid = 0;
    in->why_n = why_n < 0 ? 0 : why_n > WHY_TERMS ? WHY_TERMS : why_n;
    if (!network_fits(m)) {
        in->unit = -1;
        in->uv_valid = 0;
        return;
    }
    if (in->trace && (in->trace->n_hidden != m->n_hidden)) {
        dp_trace_destroy(in->trace);
        in->trace = NULL;
    }
    if (!in->trace && dp_trace_create(&in->trace, m) != DP_OK) return;
    in->n_hidden = m->n_hidden;
    if (in->unit >= m->n_hidden) in->unit = -1;
    if (valid && dp_trace_run(in->trace, m, x) == DP_OK) {
        in->valid = 1;
        dp_trace *t = in->trace;
        in->act_max = max_abs(t->out1, t->n_hidden);
        dp_logit_why_compute(m, t, t->top, -1, in->why_n, &in->why_top);
        dp_logit_why_compute(m, t, t->second, -1, in->why_n, &in->why_second);
        dp_logit_why_compute(m, t, t->top, t->second, in->why_n, &in->why_diff);
        if (in->saliency) compute_saliency(in, m, x, canvas, map);
    }
    inspect_select(in, m, x, in->unit);
}

int inspect_step(const inspect *in, int dx, int dy) {
    int n = in->n_hidden;
    if (n <= 0) return -1;
    if (in->unit < 0) {
        if (!in->valid) return 0;
        return dp_argmax(in->trace->out1, n);
    }
    int cols = in->grid.cols > 0 ? in->grid.cols : (int)ceil(sqrt((double)n));
    int c = in->unit % cols + dx, r = in->unit / cols + dy;
    if (c < 0) c = 0;
    if (c >= cols) c = cols - 1;
    if (r < 0) r = 0;
    int j = r * cols + c;
    while (j >= n) j -= cols; /* the last row may be short */
    return j < 0 ? 0 : j;
}

void inspect_detail_layout(const layout *l, detail_layout *out) {
    float s = l->scale;
    int m = l->margin, x = l->preview.x, top = l->train.y;
    int right = l->mosaic.x + l->mosaic.w;
    int bottom = l->bars.y + l->bars.h;
    int gap = (int)(10 * s);
    out->panel = (SDL_Rect){x, top, right - x, l->mosaic.y - gap - top};
    out->full = (SDL_Rect){x, top, right - x, bottom - top};
    /* Under the panel, left of the mosaic: input and digit side by side,
     * the ten bars below. */
    int w = l->mosaic.x - m - x;
    int title_h = (int)(22 * s);
    int y = l->mosaic.y + title_h;
    int pv = (w - m) / 2;
    int room = (bottom - y) * 3 / 10;
    if (pv > room) pv = room;
    pv = pv / 28 * 28;
    if (pv < 28) pv = 28;
    out->preview = (SDL_Rect){x, y, pv, pv};
    out->digit = (SDL_Rect){x + pv + m, y, w - pv - m, pv};
    int by = y + pv + (int)(30 * s);
    out->bars = (SDL_Rect){x, by, w, bottom - by};
}
