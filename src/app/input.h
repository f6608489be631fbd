/* SDL events -> commands. The mapping is stateless; the app decides what a
 * command means in its current state (e.g. motion only draws while a
 * button is held). */
#ifndef DIGITPAD_APP_INPUT_H
#define DIGITPAD_APP_INPUT_H

#include <SDL.h>

typedef enum cmd_kind {
    CMD_NONE,
    CMD_QUIT,
    CMD_ESCAPE, /* close help, else quit */
    CMD_CLEAR,
    CMD_TRAIN,
    CMD_AUGMENT,
    CMD_PREPROCESS,
    CMD_LOG_SCALE,
    CMD_EXPORT,
    CMD_SAVE,
    CMD_LOAD_NEXT,
    CMD_LOAD_FILE,
    CMD_HELP,
    CMD_STROKE_BEGIN,
    CMD_STROKE_MOVE,
    CMD_STROKE_END,
    CMD_RESIZE,
    CMD_REDRAW,      /* window exposed/restored */
    CMD_RESET,       /* R: fresh network */
    CMD_NEW_SEED,    /* N */
    CMD_STEP,        /* Space: one batch */
    CMD_CONFUSION,   /* M: confusion matrix view on/off */
    CMD_LAB_SELECT,  /* Tab / Shift+Tab: dir +1/-1 */
    CMD_LAB_CHANGE,  /* + / -: dir +1/-1 */
    CMD_WHEEL,       /* mouse wheel at x, y: dir = +1 up, -1 down */
    CMD_MOSAIC_MODE, /* V: weights / weights x activation */
    CMD_WHY,         /* why this digit panel */
    CMD_EQUATIONS,   /* equations panel */
    CMD_SALIENCY,    /* saliency overlay */
    CMD_UNIT_MOVE    /* arrows: x, y = tiles to move the inspected unit by */
} cmd_kind;

typedef struct command {
    cmd_kind kind;
    int x, y;   /* window points (mouse commands); CMD_UNIT_MOVE: tiles */
    int erase;  /* right button */
    int dir;    /* CMD_LAB_SELECT, CMD_LAB_CHANGE, CMD_WHEEL */
    char *path; /* CMD_LOAD_FILE: owned, free with SDL_free */
} command;

/* Returns 1 and fills out if e means something to the app. */
int input_translate(const SDL_Event *e, command *out);

#endif
