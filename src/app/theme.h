/* Colours and sizes of the dark theme, shared by every drawing module. */
#ifndef DIGITPAD_APP_THEME_H
#define DIGITPAD_APP_THEME_H

#include <SDL.h>

static const SDL_Color THEME_BG = {18, 20, 25, 255};
static const SDL_Color THEME_PANEL = {29, 32, 40, 255};
static const SDL_Color THEME_BORDER = {48, 53, 64, 255};
static const SDL_Color THEME_GRID = {36, 40, 49, 255};
static const SDL_Color THEME_TEXT = {226, 229, 235, 255};
static const SDL_Color THEME_DIM = {135, 142, 156, 255};
static const SDL_Color THEME_ACCENT = {88, 166, 255, 255};
static const SDL_Color THEME_TRACK = {40, 44, 54, 255};
static const SDL_Color THEME_BAR = {72, 92, 128, 255};
static const SDL_Color THEME_GREYED = {84, 88, 98, 255}; /* bars of a non-digit */
static const SDL_Color THEME_WARN = {255, 179, 71, 255};
static const SDL_Color THEME_ERROR = {255, 98, 98, 255};
static const SDL_Color THEME_OK = {98, 214, 130, 255};
static const SDL_Color THEME_INK_BG = {6, 7, 9, 255};

#endif
