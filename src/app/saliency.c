#include "saliency.h"

#include "draw.h"
#include "theme.h"

#define MINUS "\xe2\x88\x92"

void saliency_draw_input(SDL_Renderer *r, SDL_Rect preview, const inspect *in) {
    if (!in->saliency || !in->grad_valid) return;
    SDL_RenderCopy(r, in->sal_input_tex, NULL, &preview);
}

int saliency_draw_canvas(SDL_Renderer *r, text *t, SDL_Rect canvas, float s, const inspect *in,
                         const gray_view *plain) {
    if (!in->saliency) return 0;
    int pad = (int)(8 * s), sh = text_height(t, TEXT_SMALL);
    char title[96];
    gray_view composite = {in->sal_canvas_tex, in->canvas_w, in->canvas_h};
    gray_view_draw(in->grad_valid ? &composite : plain, r, canvas, 1);
    if (in->grad_valid) {
        int k = in->trace->top, q = in->trace->second;
        snprintf(title, sizeof title, "saliency ∂(net2_%d " MINUS " net2_%d)/∂x (X)", k, q);
    } else {
        snprintf(title, sizeof title, "saliency (X): draw a digit");
    }
    /* Legend box at the canvas's top left. */
    int ramp_w = (int)(120 * s), ramp_h = (int)(8 * s);
    char scale_line[96];
    snprintf(scale_line, sizeof scale_line,
             "per unit of ink: ±%.3g on the canvas, ±%.3g on the input", in->grad_canvas_max,
             in->grad_max);
    int tw = text_width(t, TEXT_SMALL, title);
    if (in->grad_valid && text_width(t, TEXT_SMALL, scale_line) > tw)
        tw = text_width(t, TEXT_SMALL, scale_line);
    int bw = (tw > ramp_w + 2 * (int)(60 * s) ? tw : ramp_w + 2 * (int)(60 * s)) + 2 * pad;
    int bh = in->grad_valid ? 2 * sh + ramp_h + 3 * pad : sh + 2 * pad;
    SDL_Rect box = {canvas.x + pad, canvas.y + pad, bw, bh};
    if (box.w > canvas.w - 2 * pad) box.w = canvas.w - 2 * pad;
    draw_fill(r, box, (SDL_Color){THEME_PANEL.r, THEME_PANEL.g, THEME_PANEL.b, 225});
    draw_frame(r, box, THEME_BORDER);
    text_draw(t, TEXT_SMALL, THEME_TEXT, box.x + pad, box.y + pad, ALIGN_LEFT, title);
    if (!in->grad_valid) return 1;
    int y = box.y + pad + sh + pad / 2;
    int lx = box.x + (box.w - ramp_w) / 2;
    SDL_RenderCopy(r, in->legend_tex, NULL, &(SDL_Rect){lx, y, ramp_w, ramp_h});
    int ty = y + ramp_h / 2 - sh / 2;
    text_drawf(t, TEXT_SMALL, (SDL_Color){64, 156, 255, 255}, lx - (int)(6 * s), ty, ALIGN_RIGHT,
               "more %d", in->trace->second);
    text_drawf(t, TEXT_SMALL, THEME_WARN, lx + ramp_w + (int)(6 * s), ty, ALIGN_LEFT, "more %d",
               in->trace->top);
    text_draw(t, TEXT_SMALL, THEME_DIM, box.x + pad, y + ramp_h + pad / 2, ALIGN_LEFT, scale_line);
    return 1;
}
