/* Small rendering helpers over SDL_Renderer. */
#ifndef DIGITPAD_APP_DRAW_H
#define DIGITPAD_APP_DRAW_H

#include <SDL.h>

void draw_fill(SDL_Renderer *r, SDL_Rect rect, SDL_Color c);
void draw_frame(SDL_Renderer *r, SDL_Rect rect, SDL_Color c);
/* Filled panel with a 1-pixel border. */
void draw_panel(SDL_Renderer *r, SDL_Rect rect);
void draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, SDL_Color c);
/* 1 if (x,y) lies inside rect. */
int rect_contains_f(SDL_Rect rect, float x, float y);

#endif
