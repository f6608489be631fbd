/* Helpers for the headless window tests (SDL_VIDEODRIVER=dummy): create an
 * app, push real SDL events, run frames. Included by tests/app_test_*.c. */
#ifndef DIGITPAD_APP_TEST_COMMON_H
#define DIGITPAD_APP_TEST_COMMON_H

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "testutil.h"

/* An app with a small random network unless cfg says otherwise. */
static inline app *test_app(app_config *cfg) {
    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        exit(1);
    }
    app *a = NULL;
    char err[1024];
    if (app_create(&a, cfg, err, sizeof err) != 0) {
        fprintf(stderr, "app_create: %s\n", err);
        exit(1);
    }
    return a;
}

static inline void test_config(app_config *cfg) {
    app_config_default(cfg);
    cfg->no_default_model = 1;
    cfg->hidden = 32;
    cfg->width = 1200;
    cfg->height = 760;
    cfg->data_dir = "/nonexistent/digitpad-test-mnist";
}

/* Canvas coordinates (cells) -> window points. */
static inline void cell_to_point(const app *a, float cx, float cy, int *x, int *y) {
    SDL_Rect r = layout_canvas_points(&a->lay);
    *x = r.x + (int)(cx * r.w / a->canvas->w + 0.5f);
    *y = r.y + (int)(cy * r.h / a->canvas->h + 0.5f);
}

static inline void push_button(app *a, int down, int button, float cx, float cy) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
    e.button.windowID = SDL_GetWindowID(a->win);
    e.button.button = (Uint8)button;
    e.button.state = down ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    cell_to_point(a, cx, cy, &e.button.x, &e.button.y);
    SDL_PushEvent(&e);
}

static inline void push_motion(app *a, float cx, float cy) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.windowID = SDL_GetWindowID(a->win);
    cell_to_point(a, cx, cy, &e.motion.x, &e.motion.y);
    SDL_PushEvent(&e);
}

static inline void push_key(app *a, SDL_Keycode key, Uint16 mod) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.windowID = SDL_GetWindowID(a->win);
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = key;
    e.key.keysym.mod = mod;
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

/* A left click at window point (x, y) (not canvas cells). */
static inline void push_click(app *a, int x, int y) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.windowID = SDL_GetWindowID(a->win);
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    SDL_PushEvent(&e);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

/* A stroke from (x0,y0) to (x1,y1) in `steps` motion samples. */
static inline void push_stroke(app *a, int button, float x0, float y0, float x1, float y1,
                               int steps) {
    push_button(a, 1, button, x0, y0);
    for (int i = 1; i <= steps; i++)
        push_motion(a, x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps);
    push_button(a, 0, button, x1, y1);
}

static inline int run_frames(app *a, int n) {
    int alive = 1;
    for (int i = 0; i < n && alive; i++) alive = app_frame(a);
    return alive;
}

static inline float cell(const app *a, int x, int y) {
    return a->canvas->cells[y * a->canvas->w + x];
}

#endif
