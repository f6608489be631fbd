#include "input.h"

#include <string.h>

static int key_command(const SDL_KeyboardEvent *k, command *out) {
    if (k->repeat) return 0;
    int ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    switch (k->keysym.sym) {
    case SDLK_ESCAPE:
        out->kind = CMD_ESCAPE;
        return 1;
    case SDLK_c:
    case SDLK_BACKSPACE:
    case SDLK_DELETE:
        out->kind = CMD_CLEAR;
        return 1;
    case SDLK_t:
        out->kind = CMD_TRAIN;
        return 1;
    case SDLK_a:
        out->kind = CMD_AUGMENT;
        return 1;
    case SDLK_p:
        out->kind = CMD_PREPROCESS;
        return 1;
    case SDLK_g:
        out->kind = CMD_LOG_SCALE;
        return 1;
    case SDLK_s:
        out->kind = ctrl ? CMD_SAVE : CMD_EXPORT;
        return 1;
    case SDLK_l:
        out->kind = CMD_LOAD_NEXT;
        return 1;
    case SDLK_h:
    case SDLK_F1:
        out->kind = CMD_HELP;
        return 1;
    case SDLK_r:
        out->kind = CMD_RESET;
        return 1;
    case SDLK_n:
        out->kind = CMD_NEW_SEED;
        return 1;
    case SDLK_SPACE:
        out->kind = CMD_STEP;
        return 1;
    case SDLK_m:
        out->kind = CMD_CONFUSION;
        return 1;
    case SDLK_TAB:
        out->kind = CMD_LAB_SELECT;
        out->dir = (k->keysym.mod & KMOD_SHIFT) ? -1 : 1;
        return 1;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        out->kind = CMD_LAB_CHANGE;
        out->dir = k->keysym.sym == SDLK_MINUS || k->keysym.sym == SDLK_KP_MINUS ? -1 : 1;
        return 1;
    case SDLK_v:
        out->kind = CMD_MOSAIC_MODE;
        return 1;
    case SDLK_w:
        out->kind = CMD_WHY;
        return 1;
    case SDLK_e:
        out->kind = CMD_EQUATIONS;
        return 1;
    case SDLK_x:
        out->kind = CMD_SALIENCY;
        return 1;
    case SDLK_LEFT:
    case SDLK_RIGHT:
    case SDLK_UP:
    case SDLK_DOWN:
        out->kind = CMD_UNIT_MOVE;
        out->x = k->keysym.sym == SDLK_LEFT ? -1 : k->keysym.sym == SDLK_RIGHT ? 1 : 0;
        out->y = k->keysym.sym == SDLK_UP ? -1 : k->keysym.sym == SDLK_DOWN ? 1 : 0;
        return 1;
    case SDLK_q:
        if (ctrl) {
            out->kind = CMD_QUIT;
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

int input_translate(const SDL_Event *e, command *out) {
    memset(out, 0, sizeof *out);
    switch (e->type) {
    case SDL_QUIT:
        out->kind = CMD_QUIT;
        return 1;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_CLOSE) {
            out->kind = CMD_QUIT;
            return 1;
        }
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            e->window.event == SDL_WINDOWEVENT_RESIZED) {
            out->kind = CMD_RESIZE;
            return 1;
        }
        if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
            e->window.event == SDL_WINDOWEVENT_SHOWN ||
            e->window.event == SDL_WINDOWEVENT_RESTORED) {
            out->kind = CMD_REDRAW;
            return 1;
        }
        return 0;
    case SDL_KEYDOWN:
        return key_command(&e->key, out);
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (e->button.button != SDL_BUTTON_LEFT && e->button.button != SDL_BUTTON_RIGHT) return 0;
        out->kind = e->type == SDL_MOUSEBUTTONDOWN ? CMD_STROKE_BEGIN : CMD_STROKE_END;
        out->x = e->button.x;
        out->y = e->button.y;
        out->erase = e->button.button == SDL_BUTTON_RIGHT;
        return 1;
    case SDL_MOUSEMOTION:
        out->kind = CMD_STROKE_MOVE;
        out->x = e->motion.x;
        out->y = e->motion.y;
        return 1;
    case SDL_MOUSEWHEEL: {
        int dy = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y;
        if (dy == 0) return 0;
        int x, y;
        SDL_GetMouseState(&x, &y);
        out->kind = CMD_WHEEL;
        out->x = x;
        out->y = y;
        out->dir = dy > 0 ? 1 : -1;
        return 1;
    }
    case SDL_DROPFILE:
        out->kind = CMD_LOAD_FILE;
        out->path = e->drop.file;
        return 1;
    default:
        return 0;
    }
}
