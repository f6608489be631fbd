/* All text of the window: SDL_ttf fonts found through fontconfig (or given
 * with --font), and a cache of rendered strings so that drawing the same
 * label every frame costs one texture copy, not a glyph rasterisation. */
#ifndef DIGITPAD_APP_TEXT_H
#define DIGITPAD_APP_TEXT_H

#include <SDL.h>
#include <stddef.h>

typedef enum text_size {
    TEXT_SMALL,  /* axis labels, hints */
    TEXT_NORMAL, /* body text */
    TEXT_TITLE,  /* panel titles */
    TEXT_HUGE,   /* the predicted digit */
    TEXT_NSIZES
} text_size;

typedef enum text_align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT } text_align;

typedef struct text text;

/* font_path NULL = fontconfig lookup. On failure writes a message to err. */
int text_create(text **out, SDL_Renderer *ren, const char *font_path, char *err, size_t errlen);
void text_destroy(text *t);
/* Reopen the fonts for a pixels-per-point factor (HiDPI); 0 on success. */
int text_set_scale(text *t, float scale);
const char *text_font_path(const text *t);

/* Draw str with its top edge at y; x is the left edge, centre or right
 * edge as align says. Returns the drawn width in pixels. */
int text_draw(text *t, text_size size, SDL_Color c, int x, int y, text_align align,
              const char *str);
int text_drawf(text *t, text_size size, SDL_Color c, int x, int y, text_align align,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
/* Word-wrapped into lines of at most max_w pixels, as many lines as fit in
 * max_h; returns the height used. */
int text_draw_wrapped(text *t, text_size size, SDL_Color c, int x, int y, int max_w, int max_h,
                      const char *str);
int text_width(text *t, text_size size, const char *str);
int text_height(text *t, text_size size);
/* Call once per frame: ages the cache and frees strings unused for a while. */
void text_end_frame(text *t);

#endif
