/* Where everything goes in the window. All rectangles are in renderer
 * pixels; on HiDPI screens a point (what SDL reports for mouse events and
 * window sizes) is `scale` pixels. */
#ifndef DIGITPAD_APP_LAYOUT_H
#define DIGITPAD_APP_LAYOUT_H

#include <SDL.h>

typedef struct layout {
    int win_w, win_h; /* points */
    int px_w, px_h;   /* pixels */
    float scale;      /* pixels per point */
    int margin;
    SDL_Rect header;  /* title and model line */
    SDL_Rect canvas;  /* the 28x28 drawing grid, a multiple of 28 pixels */
    SDL_Rect preview; /* "what the network sees" */
    SDL_Rect digit;   /* the big predicted digit */
    SDL_Rect bars;    /* ten probability bars */
    SDL_Rect train;   /* training status text */
    SDL_Rect lab;     /* training settings (lab_panel.c) */
    SDL_Rect plot;    /* loss plot */
    SDL_Rect mosaic;  /* first-layer weights */
    SDL_Rect status;  /* status line */
    SDL_Rect hint;    /* one-line key hint */
} layout;

void layout_compute(layout *l, int win_w, int win_h, int px_w, int px_h);
/* The canvas rectangle in window points (what xdotool and mouse events use). */
SDL_Rect layout_canvas_points(const layout *l);
/* Window point -> pixel. */
void layout_point_to_pixel(const layout *l, int x, int y, float *px, float *py);

#endif
