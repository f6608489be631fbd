/* Drawing the whole window from the app state (reads only). */
#ifndef DIGITPAD_APP_APP_DRAW_H
#define DIGITPAD_APP_APP_DRAW_H

#include "app.h"

void app_draw(app *a);

#endif
