/* Drawing with real SDL mouse events lights the right cells and gives a
 * prediction at once; erasing, clearing, fast strokes, the preprocessing
 * switch, help and quitting. */
#include <math.h>

#include "app_test_common.h"

static int ink_in_column_band(const app *a, int x0, int x1, int y0, int y1, float min) {
    for (int y = y0; y <= y1; y++) {
        float best = 0;
        for (int x = x0; x <= x1; x++)
            if (cell(a, x, y) > best) best = cell(a, x, y);
        if (best < min) return 0;
    }
    return 1;
}

static float ink_outside(const app *a, int x0, int x1) {
    float s = 0;
    for (int y = 0; y < 28; y++)
        for (int x = 0; x < 28; x++)
            if (x < x0 || x > x1) s += cell(a, x, y);
    return s;
}

/* Honest uncertainty: low top probability or high entropy is "unsure",
 * with the two best guesses. */
static void test_judge(void) {
    prediction p = {0};
    p.valid = 1;
    p.p[4] = 0.45f;
    p.p[9] = 0.40f;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 9) p.p[i] = 0.15f / 8;
    predict_judge(&p);
    CHECK(p.digit == 4 && p.second == 9 && p.unsure);
    memset(p.p, 0, sizeof p.p);
    p.p[7] = 0.97f;
    p.p[1] = 0.03f;
    predict_judge(&p);
    CHECK(p.digit == 7 && p.second == 1 && !p.unsure);
    CHECK(p.entropy > 0.0f && p.entropy < 0.2f);
    for (int i = 0; i < 10; i++) p.p[i] = 0.1f;
    p.p[3] = 0.1f + 1e-3f;
    predict_judge(&p);
    CHECK(p.digit == 3 && p.unsure);
    CHECK_NEAR(p.entropy, log(10.0), 5e-3); /* p sums to 1.001 */
}

/* The --verbose predict line in its four forms. */
static void test_predict_line(void) {
    prediction p = {0};
    char line[256];
    predict_line(&p, line, sizeof line);
    CHECK(strcmp(line, "predict none") == 0);
    p.valid = 1;
    p.p[7] = 0.97f;
    p.p[1] = 0.03f;
    predict_judge(&p);
    predict_line(&p, line, sizeof line);
    CHECKF(strcmp(line, "predict 7 0.0000 0.0300 0.0000 0.0000 0.0000 0.0000 0.0000 0.9700 "
                        "0.0000 0.0000") == 0,
           "%s", line);
    p.p[7] = 0.5f;
    p.p[1] = 0.5f - 1e-4f;
    predict_judge(&p);
    predict_line(&p, line, sizeof line);
    CHECKF(strcmp(line, "predict 7 0.0000 0.4999 0.0000 0.0000 0.0000 0.0000 0.0000 0.5000 "
                        "0.0000 0.0000 unsure") == 0,
           "%s", line);
    p.p_not_digit = 0.9f;
    predict_judge(&p);
    predict_line(&p, line, sizeof line);
    CHECKF(p.not_digit && !p.unsure &&
               strcmp(line, "predict notdigit 0.0000 0.4999 0.0000 0.0000 0.0000 0.0000 0.0000 "
                            "0.5000 0.0000 0.0000") == 0,
           "%s", line);
}

int main(void) {
    test_predict_line();
    test_judge();
    app_config cfg;
    test_config(&cfg);
    app *a = test_app(&cfg);
    CHECK(run_frames(a, 2));
    CHECK(!dp_canvas_has_ink(a->canvas, 0.0f));
    CHECK(!a->pred.valid);

    /* A vertical stroke down column 14, rows 5..22, in a few samples. */
    push_stroke(a, SDL_BUTTON_LEFT, 14.5f, 5.5f, 14.5f, 22.5f, 6);
    CHECK(run_frames(a, 1)); /* the same frame predicts */
    CHECKF(ink_in_column_band(a, 13, 15, 6, 21, 0.5f), "stroke cells not inked");
    CHECKF(ink_outside(a, 11, 17) == 0.0f, "ink outside the stroke: %g", ink_outside(a, 11, 17));
    CHECK(cell(a, 14, 1) == 0.0f && cell(a, 14, 26) == 0.0f);
    CHECK(a->pred.valid);
    double sum = 0;
    for (int i = 0; i < 10; i++) sum += a->pred.p[i];
    CHECK_NEAR(sum, 1.0, 1e-4);
    CHECK(a->pred.digit >= 0 && a->pred.digit <= 9);
    for (int i = 0; i < 10; i++) CHECK(a->pred.p[a->pred.digit] >= a->pred.p[i]);
    CHECK(a->pred.second != a->pred.digit);

    /* Right button erases the middle of the stroke only. */
    push_stroke(a, SDL_BUTTON_RIGHT, 10.5f, 14.0f, 18.5f, 14.0f, 4);
    CHECK(run_frames(a, 1));
    CHECKF(cell(a, 14, 14) < 0.05f, "erased cell still %g", cell(a, 14, 14));
    CHECK(cell(a, 14, 7) > 0.5f && cell(a, 14, 21) > 0.5f);

    /* C clears; the prediction goes away. */
    push_key(a, SDLK_c, 0);
    CHECK(run_frames(a, 1));
    CHECK(!dp_canvas_has_ink(a->canvas, 0.0f));
    CHECK(!a->pred.valid);

    /* One fast motion across the canvas still gives a gap-free line. */
    push_button(a, 1, SDL_BUTTON_LEFT, 4.5f, 4.5f);
    push_motion(a, 23.5f, 23.5f);
    push_button(a, 0, SDL_BUTTON_LEFT, 23.5f, 23.5f);
    CHECK(run_frames(a, 1));
    int gaps = 0;
    for (int i = 5; i <= 23; i++) gaps += cell(a, i, i) < 0.5f;
    CHECKF(gaps == 0, "%d gaps along the diagonal", gaps);

    /* Backspace clears too; a small stroke in a corner differs raw vs preprocessed. */
    push_key(a, SDLK_BACKSPACE, 0);
    push_stroke(a, SDL_BUTTON_LEFT, 3.5f, 3.0f, 3.5f, 9.0f, 3);
    CHECK(run_frames(a, 1));
    CHECK(a->preprocess == 1 && a->pred.valid);
    float pre[784];
    memcpy(pre, a->input, sizeof pre);
    double cy = 0, m = 0; /* preprocessing centres the mass */
    for (int i = 0; i < 784; i++) {
        cy += (i / 28) * pre[i];
        m += pre[i];
    }
    CHECK(m > 0);
    CHECK_NEAR(cy / m, 13.5, 1.5);
    push_key(a, SDLK_p, 0);
    CHECK(run_frames(a, 1));
    CHECK(a->preprocess == 0 && a->pred.valid);
    CHECK(memcmp(pre, a->input, sizeof pre) != 0);
    for (int i = 0; i < 784; i++) CHECK_NEAR(a->input[i], a->canvas->cells[i], 1e-6);

    /* Strokes that start outside the canvas do not draw. */
    push_key(a, SDLK_c, 0);
    push_key(a, SDLK_p, 0);
    push_stroke(a, SDL_BUTTON_LEFT, -3.0f, 10.0f, -1.0f, 12.0f, 2);
    CHECK(run_frames(a, 1));
    CHECK(!dp_canvas_has_ink(a->canvas, 0.0f));

    /* Resizing moves the canvas and mouse mapping follows. */
    SDL_Rect before = layout_canvas_points(&a->lay);
    SDL_SetWindowSize(a->win, 1000, 640);
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_WINDOWEVENT;
    ev.window.event = SDL_WINDOWEVENT_SIZE_CHANGED;
    ev.window.windowID = SDL_GetWindowID(a->win);
    SDL_PushEvent(&ev);
    CHECK(run_frames(a, 1));
    SDL_Rect after = layout_canvas_points(&a->lay);
    CHECKF(after.w < before.w, "canvas %d -> %d wide", before.w, after.w);
    CHECK(after.w % 28 == 0 || a->lay.scale != 1.0f);
    push_stroke(a, SDL_BUTTON_LEFT, 20.5f, 4.5f, 20.5f, 10.5f, 3);
    CHECK(run_frames(a, 1));
    CHECK(cell(a, 20, 7) > 0.5f && cell(a, 5, 7) == 0.0f);

    /* Help opens and closes; Esc closes it first, then quits. */
    push_key(a, SDLK_h, 0);
    CHECK(run_frames(a, 1));
    CHECK(a->ui.show_help);
    push_key(a, SDLK_ESCAPE, 0);
    CHECK(run_frames(a, 1));
    CHECK(!a->ui.show_help && !a->ui.quit);
    push_key(a, SDLK_F1, 0);
    CHECK(run_frames(a, 1) && a->ui.show_help);
    push_key(a, SDLK_ESCAPE, 0);
    push_key(a, SDLK_ESCAPE, 0);
    CHECK(run_frames(a, 1) == 0);

    app_destroy(a);
    SDL_Quit();
    return dpt_finish();
}
