/* The drawing grid on screen: a w x h grey image (0 = background, 1 = ink)
 * held in one streaming texture and drawn scaled up with sharp cells. Used
 * for the canvas and for the "what the network sees" preview. */
#ifndef DIGITPAD_APP_CANVAS_VIEW_H
#define DIGITPAD_APP_CANVAS_VIEW_H

#include <SDL.h>
#include <stdint.h>

typedef struct gray_view {
    SDL_Texture *tex;
    int w, h;
} gray_view;

int gray_view_init(gray_view *v, SDL_Renderer *r, int w, int h);
void gray_view_free(gray_view *v);
/* The colour (0xAARRGGBB) a cell value in [0,1] is shown in. */
uint32_t gray_view_color(float t);
/* Upload w*h values in [0,1]. */
void gray_view_upload(gray_view *v, const float *cells);
/* Draw into rect; grid draws faint cell borders. */
void gray_view_draw(const gray_view *v, SDL_Renderer *r, SDL_Rect rect, int grid);

/* Window pixel (px,py) -> canvas coordinates for a w x h canvas shown in rect. */
void canvas_pixel_to_cells(SDL_Rect rect, int w, int h, float px, float py, float *cx, float *cy);

#endif
