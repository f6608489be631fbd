#include "icon.h"

#include <stdint.h>

#include "digitpad/canvas.h"
#include "theme.h"

#define ICON_CELLS 28
#define ICON_SCALE 2 /* 56x56 pixels */

void icon_set(SDL_Window *win) {
    dp_canvas *c = NULL;
    if (dp_canvas_create(&c, ICON_CELLS, ICON_CELLS) != DP_OK) return;
    static const float seven[] = {6.0f, 5.5f, 22.0f, 5.5f, 16.5f, 15.0f, 11.5f, 23.5f};
    dp_brush b = dp_brush_default();
    b.radius *= 1.4f;
    dp_canvas_polyline(c, &b, seven, 4, 0);
    int side = ICON_CELLS * ICON_SCALE;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s) {
        for (int y = 0; y < side; y++) {
            uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * s->pitch);
            for (int x = 0; x < side; x++) {
                float v = c->cells[(y / ICON_SCALE) * ICON_CELLS + x / ICON_SCALE];
                /* ink in the accent colour on the ink background */
                uint32_t r = (uint32_t)(THEME_INK_BG.r + v * (THEME_ACCENT.r - THEME_INK_BG.r));
                uint32_t g = (uint32_t)(THEME_INK_BG.g + v * (THEME_ACCENT.g - THEME_INK_BG.g));
                uint32_t bl = (uint32_t)(THEME_INK_BG.b + v * (THEME_ACCENT.b - THEME_INK_BG.b));
                row[x] = 0xff000000u | r << 16 | g << 8 | bl;
            }
        }
        SDL_SetWindowIcon(win, s);
        SDL_FreeSurface(s);
    }
    dp_canvas_destroy(c);
}
