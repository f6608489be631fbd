/* The key reference: a one-line hint that is always visible and the full
 * overlay shown with H or F1. */
#ifndef DIGITPAD_APP_HELP_H
#define DIGITPAD_APP_HELP_H

#include <SDL.h>

#include "text.h"

typedef struct help_key {
    const char *keys;
    const char *what;
} help_key;

/* All keys and mouse actions, NULL-terminated. */
extern const help_key HELP_KEYS[];
extern const char HELP_HINT[];

void help_draw_hint(text *t, SDL_Rect area);
void help_draw_overlay(SDL_Renderer *r, text *t, int px_w, int px_h, float scale);

#endif
