#include "help.h"

#include "draw.h"
#include "theme.h"

const help_key HELP_KEYS[] = {
    {"left mouse", "draw (soft round brush)"},
    {"right mouse", "erase"},
    {"C, Backspace, Delete", "clear the canvas"},
    {"T", "train on MNIST from the current weights / pause / resume"},
    {"A", "augmentation on/off for training (from the next epoch)"},
    {"Tab, + −", "choose a setting, change it (or click − and +): lr from the next batch"},
    {"R", "fresh He-initialised network (the settings' seed and hidden units)"},
    {"N", "new seed (for R and the next run)"},
    {"Space", "train exactly one batch, then pause"},
    {"M", "confusion matrix: click a cell for its test images, one for the canvas"},
    {"P", "preprocessing on/off (MNIST centring vs. raw canvas)"},
    {"G", "loss plot: linear / log scale"},
    {"click a weight tile", "inspect that hidden unit (a second click closes)"},
    {"arrow keys", "move the inspected unit (opens the inspector)"},
    {"V", "mosaic: weights / weights × activation"},
    {"W", "why this digit: the hidden units behind the top two logits"},
    {"X", "saliency: where more ink raises the top digit (orange) or the runner-up"},
    {"E", "the equations with the live numbers (and the last batch's backward pass)"},
    {"S", "export canvas and network input as PNGs (current directory)"},
    {"Ctrl+S", "save the current weights as a .dpm (never over the shipped model)"},
    {"L", "load the next .dpm: command-line model, then ./*.dpm, then models/*.dpm"},
    {"drop a .dpm or .npz file", "load that model"},
    {"H, F1", "show / hide this help"},
    {"Esc", "close help or the open panel, or quit"},
    {NULL, NULL},
};

const char HELP_HINT[] = "draw: left mouse · erase: right · C clear · T train · R fresh · "
                         "Space step · M matrix · click a tile · W why · X saliency · "
                         "E equations · H help · Esc quit";

void help_draw_hint(text *t, SDL_Rect area) {
    text_draw(t, TEXT_SMALL, THEME_DIM, area.x, area.y + (area.h - text_height(t, TEXT_SMALL)) / 2,
              ALIGN_LEFT, HELP_HINT);
}

void help_draw_overlay(SDL_Renderer *r, text *t, int px_w, int px_h, float s) {
    draw_fill(r, (SDL_Rect){0, 0, px_w, px_h}, (SDL_Color){0, 0, 0, 170});
    int n = 0, key_w = 0, what_w = 0;
    for (; HELP_KEYS[n].keys; n++) {
        int kw = text_width(t, TEXT_NORMAL, HELP_KEYS[n].keys);
        int ww = text_width(t, TEXT_NORMAL, HELP_KEYS[n].what);
        if (kw > key_w) key_w = kw;
        if (ww > what_w) what_w = ww;
    }
    int pad = (int)(24 * s), gap = (int)(24 * s);
    int line = text_height(t, TEXT_NORMAL) + (int)(8 * s);
    int title_h = text_height(t, TEXT_TITLE) + (int)(16 * s);
    SDL_Rect box = {0, 0, key_w + gap + what_w + 2 * pad, title_h + n * line + 2 * pad + line};
    box.x = (px_w - box.w) / 2;
    box.y = (px_h - box.h) / 2;
    draw_panel(r, box);
    text_draw(t, TEXT_TITLE, THEME_TEXT, box.x + pad, box.y + pad, ALIGN_LEFT, "Keys");
    int y = box.y + pad + title_h;
    for (int i = 0; i < n; i++, y += line) {
        text_draw(t, TEXT_NORMAL, THEME_ACCENT, box.x + pad + key_w, y, ALIGN_RIGHT,
                  HELP_KEYS[i].keys);
        text_draw(t, TEXT_NORMAL, THEME_TEXT, box.x + pad + key_w + gap, y, ALIGN_LEFT,
                  HELP_KEYS[i].what);
    }
    text_draw(t, TEXT_SMALL, THEME_DIM, box.x + box.w / 2, y + (int)(4 * s), ALIGN_CENTER,
              "H, F1 or Esc closes this help");
}
