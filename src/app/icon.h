/* The window icon: a "7" drawn with the app's own brush on the dark canvas
 * colours, made at start-up (no image file to find). */
#ifndef DIGITPAD_APP_ICON_H
#define DIGITPAD_APP_ICON_H

#include <SDL.h>

/* Sets the icon of win; does nothing if a surface cannot be made. */
void icon_set(SDL_Window *win);

#endif
