#include "draw.h"

#include "theme.h"

static void set_color(SDL_Renderer *r, SDL_Color c) {
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

void draw_fill(SDL_Renderer *r, SDL_Rect rect, SDL_Color c) {
    set_color(r, c);
    SDL_RenderFillRect(r, &rect);
}

void draw_frame(SDL_Renderer *r, SDL_Rect rect, SDL_Color c) {
    set_color(r, c);
    SDL_RenderDrawRect(r, &rect);
}

void draw_panel(SDL_Renderer *r, SDL_Rect rect) {
    draw_fill(r, rect, THEME_PANEL);
    draw_frame(r, rect, THEME_BORDER);
}

void draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, SDL_Color c) {
    set_color(r, c);
    SDL_RenderDrawLineF(r, x0, y0, x1, y1);
}

int rect_contains_f(SDL_Rect rect, float x, float y) {
    return x >= (float)rect.x && y >= (float)rect.y && x < (float)(rect.x + rect.w) &&
           y < (float)(rect.y + rect.h);
}
