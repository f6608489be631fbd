/* The settings panel: seven fields in two columns, each "name  − value +".
 * Tab / Shift+Tab moves the keyboard focus, + / - (or a click on − and +, or
 * on the value: left click up, right click down) changes the value. A
 * value that differs from the running run's and applies only from the next
 * run is drawn in orange. */
#include <stdio.h>

#include "app.h"
#include "draw.h"
#include "lab.h"
#include "theme.h"

#define LAB_ROWS 4

void lab_panel_layout(app *a) {
    const layout *l = &a->lay;
    lab_layout *ll = &a->lab.lay;
    float s = l->scale;
    SDL_Rect area = l->lab;
    int title_h = text_height(a->text, TEXT_NORMAL) + (int)(6 * s);
    int row_h = (area.h - title_h - (int)(4 * s)) / LAB_ROWS;
    int gap = (int)(12 * s);
    int col_w = (area.w - gap) / 2;
    int btn = row_h - (int)(4 * s);
    int value_w = (int)(48 * s);
    for (int f = 0; f < LAB_NFIELDS; f++) {
        int col = f / LAB_ROWS, row = f % LAB_ROWS;
        int x_right = area.x + col * (col_w + gap) + col_w;
        int y = area.y + title_h + row * row_h + (row_h - btn) / 2;
        ll->plus[f] = (SDL_Rect){x_right - btn, y, btn, btn};
        ll->value[f] = (SDL_Rect){ll->plus[f].x - value_w, y, value_w, btn};
        ll->minus[f] = (SDL_Rect){ll->value[f].x - btn, y, btn, btn};
    }
}

/* The value would only apply from a later run (the run now uses another). */
static int pending(const app *a, lab_field f) {
    const lab_settings *want = &a->lab.settings, *run = &a->tv.settings;
    int active = a->tv.state == TRAIN_RUNNING || a->tv.state == TRAIN_PAUSED ||
                 a->tv.state == TRAIN_EVALUATING;
    if (!active) return 0;
    switch (f) {
    case LAB_BATCH:
        return want->batch != run->batch;
    case LAB_MOMENTUM:
        return want->momentum != run->momentum;
    case LAB_EPOCHS:
        return want->epochs != run->epochs;
    case LAB_SEED:
        return want->seed != run->seed;
    case LAB_AUGMENT:
        return want->augment != a->tv.augment;
    case LAB_LR:
        return want->lr != run->lr;
    default:
        return 0;
    }
}

static void draw_button(SDL_Renderer *r, text *t, SDL_Rect b, const char *label) {
    draw_fill(r, b, THEME_TRACK);
    draw_frame(r, b, THEME_BORDER);
    text_draw(t, TEXT_NORMAL, THEME_TEXT, b.x + b.w / 2,
              b.y + (b.h - text_height(t, TEXT_NORMAL)) / 2, ALIGN_CENTER, label);
}

void lab_draw_settings(app *a) {
    const layout *l = &a->lay;
    const lab_layout *ll = &a->lab.lay;
    SDL_Renderer *r = a->ren;
    text *t = a->text;
    float s = l->scale;
    if (l->lab.w < 200) return;
    text_draw(t, TEXT_NORMAL, THEME_TEXT, l->lab.x, l->lab.y, ALIGN_LEFT, "Settings");
    int any_pending = 0;
    for (int f = 0; f < LAB_NFIELDS; f++) any_pending |= pending(a, (lab_field)f);
    text_draw(t, TEXT_SMALL, any_pending ? THEME_WARN : THEME_DIM, l->lab.x + l->lab.w,
              l->lab.y + (int)(2 * s), ALIGN_RIGHT,
              any_pending ? "orange: from the next run" : "click − + or Tab, + −");
    int col_w = (l->lab.w - (int)(12 * s)) / 2;
    for (int f = 0; f < LAB_NFIELDS; f++) {
        SDL_Rect v = ll->value[f];
        int sel = f == a->lab.selected;
        int x_left = ll->plus[f].x + ll->plus[f].w - col_w;
        int ty = v.y + (v.h - text_height(t, TEXT_NORMAL)) / 2;
        text_draw(t, TEXT_NORMAL, sel ? THEME_ACCENT : THEME_DIM, x_left, ty, ALIGN_LEFT,
                  lab_field_name((lab_field)f));
        draw_button(r, t, ll->minus[f], "−");
        draw_button(r, t, ll->plus[f], "+");
        if (sel) draw_frame(r, v, THEME_ACCENT);
        char val[32];
        lab_field_value(&a->lab.settings, (lab_field)f, val, sizeof val);
        text_draw(t, TEXT_NORMAL, pending(a, (lab_field)f) ? THEME_WARN : THEME_TEXT, v.x + v.w / 2,
                  ty, ALIGN_CENTER, val);
    }
}
