#include "bars.h"

#include "draw.h"
#include "theme.h"

void bars_draw_digit(SDL_Renderer *r, text *t, SDL_Rect area, const prediction *p, float scale) {
    draw_panel(r, area);
    int cx = area.x + area.w / 2;
    int caption_y = area.y + area.h + (int)(6 * scale);
    if (!p->valid) {
        int y = area.y + (area.h - text_height(t, TEXT_NORMAL)) / 2;
        text_draw(t, TEXT_NORMAL, p->not_finite ? THEME_WARN : THEME_DIM, cx, y, ALIGN_CENTER,
                  p->not_finite ? "no answer: NaN" : "draw a digit");
        return;
    }
    SDL_Color c = p->unsure ? THEME_WARN : THEME_ACCENT;
    int hh = text_height(t, TEXT_HUGE);
    text_drawf(t, TEXT_HUGE, c, cx, area.y + (area.h - hh) / 2, ALIGN_CENTER, "%d", p->digit);
    if (p->unsure)
        text_drawf(t, TEXT_NORMAL, THEME_WARN, area.x + area.w, caption_y, ALIGN_RIGHT,
                   "unsure: %d or %d?", p->digit, p->second);
    else
        text_drawf(t, TEXT_NORMAL, THEME_DIM, area.x + area.w, caption_y, ALIGN_RIGHT,
                   "%.1f%% sure", 100.0 * p->p[p->digit]);
}

void bars_draw(SDL_Renderer *r, text *t, SDL_Rect area, const prediction *p, float scale) {
    int row = area.h / 10;
    int max_row = (int)(34 * scale);
    if (row > max_row) row = max_row;
    if (row < 4) return;
    int label_w = (int)(24 * scale), pct_w = (int)(64 * scale);
    int track_x = area.x + label_w, track_w = area.w - label_w - pct_w;
    int bar_h = row * 3 / 5;
    int th = text_height(t, TEXT_NORMAL);
    for (int d = 0; d < 10; d++) {
        int y = area.y + d * row;
        int is_top = p->valid && d == p->digit;
        int is_second = p->valid && p->unsure && d == p->second;
        SDL_Color label = is_top ? THEME_TEXT : THEME_DIM;
        text_drawf(t, TEXT_NORMAL, label, area.x + label_w / 2, y + (bar_h - th) / 2, ALIGN_CENTER,
                   "%d", d);
        SDL_Rect track = {track_x, y, track_w, bar_h};
        draw_fill(r, track, THEME_TRACK);
        if (!p->valid) continue;
        float v = p->p[d] < 0 ? 0 : p->p[d] > 1 ? 1 : p->p[d];
        SDL_Rect fill = {track_x, y, (int)(v * track_w + 0.5f), bar_h};
        SDL_Color fc = is_top      ? (p->unsure ? THEME_WARN : THEME_ACCENT)
                       : is_second ? THEME_WARN
                                   : THEME_BAR;
        if (fill.w > 0) draw_fill(r, fill, fc);
        text_drawf(t, TEXT_NORMAL, is_top ? THEME_TEXT : THEME_DIM, area.x + area.w,
                   y + (bar_h - th) / 2, ALIGN_RIGHT, "%5.1f%%", 100.0 * v);
    }
}
