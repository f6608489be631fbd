#include "canvas_view.h"

#include <stdint.h>

#include "draw.h"
#include "theme.h"

int gray_view_init(gray_view *v, SDL_Renderer *r, int w, int h) {
    v->w = w;
    v->h = h;
    v->tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!v->tex) return -1;
    SDL_SetTextureScaleMode(v->tex, SDL_ScaleModeNearest);
    return 0;
}

void gray_view_free(gray_view *v) {
    if (v->tex) SDL_DestroyTexture(v->tex);
    v->tex = NULL;
}

/* Ink colour: background -> near-white with a cool tint. */
static uint32_t ink(float t) {
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    uint32_t r = (uint32_t)(THEME_INK_BG.r + t * (242 - THEME_INK_BG.r) + 0.5f);
    uint32_t g = (uint32_t)(THEME_INK_BG.g + t * (246 - THEME_INK_BG.g) + 0.5f);
    uint32_t b = (uint32_t)(THEME_INK_BG.b + t * (255 - THEME_INK_BG.b) + 0.5f);
    return 0xff000000u | r << 16 | g << 8 | b;
}

uint32_t gray_view_color(float t) {
    return ink(t);
}

void gray_view_upload(gray_view *v, const float *cells) {
    void *pixels;
    int pitch;
    if (SDL_LockTexture(v->tex, NULL, &pixels, &pitch) != 0) return;
    for (int y = 0; y < v->h; y++) {
        uint32_t *row = (uint32_t *)((uint8_t *)pixels + (size_t)y * pitch);
        for (int x = 0; x < v->w; x++) row[x] = ink(cells[y * v->w + x]);
    }
    SDL_UnlockTexture(v->tex);
}

void gray_view_draw(const gray_view *v, SDL_Renderer *r, SDL_Rect rect, int grid) {
    SDL_RenderCopy(r, v->tex, NULL, &rect);
    if (grid && rect.w >= 4 * v->w) {
        SDL_Color c = {255, 255, 255, 14};
        for (int i = 1; i < v->w; i++) {
            float x = rect.x + (float)i * rect.w / v->w;
            draw_line(r, x, (float)rect.y, x, (float)(rect.y + rect.h - 1), c);
        }
        for (int i = 1; i < v->h; i++) {
            float y = rect.y + (float)i * rect.h / v->h;
            draw_line(r, (float)rect.x, y, (float)(rect.x + rect.w - 1), y, c);
        }
    }
    SDL_Rect border = {rect.x - 1, rect.y - 1, rect.w + 2, rect.h + 2};
    draw_frame(r, border, THEME_BORDER);
}

void canvas_pixel_to_cells(SDL_Rect rect, int w, int h, float px, float py, float *cx, float *cy) {
    *cx = (px - (float)rect.x) * (float)w / (float)(rect.w > 0 ? rect.w : 1);
    *cy = (py - (float)rect.y) * (float)h / (float)(rect.h > 0 ? rect.h : 1);
}
