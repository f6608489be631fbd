/* Looking inside the network from the window: the mosaic hit test (a click
 * at tile j's centre selects unit j) in every layout the window can take,
 * small and large windows and HiDPI scales, as a pure function and through
 * real SDL clicks; the arrow keys, Esc and the view keys; and the numbers
 * the views show against the prediction (logits -> the predicted
 * probabilities, a unit's net = sum + bias, the "why" row adds up). */
#include <math.h>

#include "app_inspect.h"
#include "app_test_common.h"
#include "inspect.h"
#include "mosaic.h"

/* Every tile's centre, as the integer window point a mouse reports,
 * selects its unit; points outside the grid select nothing; tiles lie
 * inside the mosaic panel, left to right without overlap, and the open
 * detail panel leaves them uncovered. Returns the number of failures. */
static int check_layout(int win_w, int win_h, float scale, int small_h, int n) {
    layout l;
    layout_compute(&l, win_w, win_h, (int)(win_w * scale), (int)(win_h * scale));
    int reduce = mosaic_reduce_for(n, l.mosaic.w);
    mosaic_grid g = mosaic_grid_compute(l.mosaic, l.scale, small_h, n, reduce);
    int bad = 0;
    if (g.rect.w <= 0 || g.rect.h <= 0) return 1;
    if (g.rect.x < l.mosaic.x || g.rect.y < l.mosaic.y ||
        g.rect.x + g.rect.w > l.mosaic.x + l.mosaic.w ||
        g.rect.y + g.rect.h > l.mosaic.y + l.mosaic.h)
        bad++;
    detail_layout dl;
    inspect_detail_layout(&l, &dl);
    if (SDL_HasIntersection(&dl.panel, &g.rect)) bad++;
    if (dl.panel.w <= 0 || dl.panel.h <= 0 || dl.bars.h <= 0) bad++;
    for (int j = 0; j < n; j++) {
        SDL_Rect t = mosaic_grid_tile(&g, j);
        if (t.w < 1 || t.h < 1) {
            bad++;
            continue;
        }
        if (j % g.cols > 0) {
            SDL_Rect left = mosaic_grid_tile(&g, j - 1);
            if (left.x + left.w > t.x) bad++;
        }
        int x = (int)lroundf((t.x + t.w / 2.0f) / l.scale);
        int y = (int)lroundf((t.y + t.h / 2.0f) / l.scale);
        float px, py;
        layout_point_to_pixel(&l, x, y, &px, &py);
        int hit = mosaic_grid_hit(&g, px, py);
        if (hit != j) {
            if (bad < 3)
                printf("  %dx%d@%.1f: tile %d at point %d,%d selects %d\n", win_w, win_h,
                       (double)scale, j, x, y, hit);
            bad++;
        }
    }
    /* outside the grid, and the empty slots after the last tile */
    bad += mosaic_grid_hit(&g, (float)g.rect.x - 1, (float)g.rect.y + 1) != -1;
    bad += mosaic_grid_hit(&g, (float)g.rect.x + 1, (float)(g.rect.y + g.rect.h)) != -1;
    if (g.cols * g.rows > n) {
        SDL_Rect last = mosaic_grid_tile(&g, n - 1);
        float px = (float)last.x + last.w * 1.5f + 2 * l.scale;
        if (px < g.rect.x + g.rect.w) bad += mosaic_grid_hit(&g, px, last.y + 1.0f) != -1;
    }
    return bad;
}

static void check_layouts(void) {
    static const struct {
        int w, h;
        float scale;
    } sizes[] = {{1280, 720, 1},  {2560, 1440, 1}, {1280, 720, 2},    {1440, 800, 1},
                 {1920, 1080, 1}, {900, 560, 1},   {1280, 720, 1.5f}, {1600, 1000, 1.25f},
                 {2560, 1440, 2}, {1366, 768, 1}};
    int checked = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int small_h = 12; small_h <= 20; small_h += 4)
            for (int n = 800; n >= 32; n = n == 800 ? 100 : n == 100 ? 32 : 0) {
                int h = (int)(small_h * sizes[i].scale);
                int bad = check_layout(sizes[i].w, sizes[i].h, sizes[i].scale, h, n);
                CHECKF(bad == 0, "%dx%d scale %.2f, %d tiles, text %d px: %d failures", sizes[i].w,
                       sizes[i].h, (double)sizes[i].scale, n, h, bad);
                checked++;
            }
    printf("mosaic hit test: %d layouts, every tile's centre selects its unit\n", checked);
}

static void tile_centre(const app *a, int j, int *x, int *y) {
    SDL_Rect t = mosaic_grid_tile(&a->insp.grid, j);
    *x = (int)lroundf((t.x + t.w / 2.0f) / a->lay.scale);
    *y = (int)lroundf((t.y + t.h / 2.0f) / a->lay.scale);
}

static void resize(app *a, int w, int h) {
    SDL_SetWindowSize(a->win, w, h);
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_WINDOWEVENT;
    ev.window.event = SDL_WINDOWEVENT_SIZE_CHANGED;
    ev.window.windowID = SDL_GetWindowID(a->win);
    SDL_PushEvent(&ev);
    run_frames(a, 2);
}

/* The numbers the views show agree with the prediction and add up. */
static void check_numbers(const app *a) {
    const inspect *in = &a->insp;
    CHECK(in->valid && a->pred.valid);
    if (!in->valid) return;
    const dp_trace *t = in->trace;
    double mx = t->net2[0], se = 0;
    for (int k = 1; k < 10; k++) mx = fmax(mx, t->net2[k]);
    for (int k = 0; k < 10; k++) se += exp(t->net2[k] - mx);
    for (int k = 0; k < 10; k++) CHECK_NEAR(exp(t->net2[k] - mx) / se, a->pred.p[k], 1e-5);
    CHECK(t->top == a->pred.digit);
    int active = 0;
    for (int j = 0; j < t->n_hidden; j++) active += t->out1[j] > 0;
    CHECK(active == t->active && active > 0);
    const dp_logit_why *w = &in->why_top;
    double sum = w->bias + w->rest;
    for (int i = 0; i < w->n; i++) sum += w->value[i];
    CHECK(w->k == t->top && w->n > 0);
    CHECK_NEAR(sum, w->logit, 1e-3 * (1 + fabs(w->logit)));
    if (in->uv_valid) {
        CHECK_NEAR(in->uv.net, in->uv.bias + in->uv.sum, 1e-5 * (1 + fabs(in->uv.sum)));
        CHECK(in->uv.act == (in->uv.net > 0 ? in->uv.net : 0.0f));
        CHECK_NEAR(in->uv.net, t->net1[in->unit], 1e-4 * (1 + fabs(in->uv.pos - in->uv.neg)));
    }
}

/* Clicks select, a second click closes, arrows move, Esc closes. */
static void check_clicks(app *a, const char *where) {
    inspect *in = &a->insp;
    int n = a->model->n_hidden, cols = in->grid.cols;
    CHECKF(in->grid.n == n && in->grid.rect.w > 0, "%s: no grid", where);
    int units[] = {0, 1, cols - 1, cols, n / 2 + 3, n - cols, n - 1};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        int j = units[i], x, y;
        tile_centre(a, j, &x, &y);
        push_click(a, x, y);
        CHECK(run_frames(a, 1));
        CHECKF(in->unit == j && in->detail == DETAIL_UNIT, "%s: click at %d,%d: unit %d, want %d",
               where, x, y, in->unit, j);
        CHECK(!dp_canvas_has_ink(a->canvas, 0.0f) || in->uv_valid);
    }
    int x, y;
    tile_centre(a, n - 1, &x, &y);
    push_click(a, x, y); /* the same tile again: closes */
    CHECK(run_frames(a, 1));
    CHECKF(in->detail == DETAIL_NONE && in->unit == -1, "%s: second click", where);
}

int main(void) {
    check_layouts();

    app_config cfg;
    test_config(&cfg);
    cfg.hidden = 800;
    cfg.width = 1280;
    cfg.height = 720;
    app *a = test_app(&cfg);
    CHECK(run_frames(a, 2));
    /* nothing changes: nothing is recomputed or redrawn (the once-a-second
     * redraw aside) */
    CHECK(run_frames(a, 3) && !a->frames.drew && !a->insp_stale);
    check_clicks(a, "1280x720, empty canvas");

    /* A drawing: the inspector gets numbers. */
    push_stroke(a, SDL_BUTTON_LEFT, 8, 5, 20, 5, 6);
    push_stroke(a, SDL_BUTTON_LEFT, 20, 5, 12, 23, 8);
    CHECK(run_frames(a, 2));
    CHECK(a->pred.valid && a->insp.valid);
    push_key(a, SDLK_RIGHT, 0);
    CHECK(run_frames(a, 4) && !a->frames.drew); /* the inspector open: still quiet */
    push_key(a, SDLK_ESCAPE, 0);
    check_clicks(a, "1280x720, a drawing");

    /* Arrows: with nothing selected, the unit that fires most; then move. */
    push_key(a, SDLK_RIGHT, 0);
    CHECK(run_frames(a, 1));
    int first = a->insp.unit;
    CHECK(first == dp_argmax(a->insp.trace->out1, 800) && a->insp.detail == DETAIL_UNIT);
    check_numbers(a);
    push_key(a, SDLK_LEFT, 0);
    push_key(a, SDLK_UP, 0);
    push_key(a, SDLK_UP, 0);
    push_key(a, SDLK_DOWN, 0);
    CHECK(run_frames(a, 1));
    int cols = a->insp.grid.cols;
    int want = first % cols == 0 ? first : first - 1;
    want = want >= cols ? want - cols : want;
    CHECKF(a->insp.unit == want, "arrows: unit %d, want %d (from %d)", a->insp.unit, want, first);
    check_numbers(a);
    for (int i = 0; i < 40; i++) push_key(a, SDLK_DOWN, 0);
    CHECK(run_frames(a, 1));
    CHECK(a->insp.unit >= 0 && a->insp.unit < 800 && a->insp.unit / cols >= 800 / cols - 1);

    /* Esc closes the panel first, and does not quit. */
    push_key(a, SDLK_ESCAPE, 0);
    CHECK(run_frames(a, 1));
    CHECK(a->insp.detail == DETAIL_NONE && !a->ui.quit);

    /* W, E, X, V. */
    push_key(a, SDLK_w, 0);
    CHECK(run_frames(a, 1) && a->insp.detail == DETAIL_WHY);
    push_key(a, SDLK_e, 0);
    CHECK(run_frames(a, 1) && a->insp.detail == DETAIL_EQUATIONS);
    /* the equations cover the mosaic: a click there selects nothing */
    int x, y;
    tile_centre(a, 5, &x, &y);
    push_click(a, x, y);
    CHECK(run_frames(a, 1) && a->insp.detail == DETAIL_EQUATIONS);
    push_key(a, SDLK_e, 0);
    CHECK(run_frames(a, 1) && a->insp.detail == DETAIL_NONE);
    push_key(a, SDLK_x, 0);
    CHECK(run_frames(a, 1) && a->insp.saliency && a->insp.grad_valid);
    CHECK(a->insp.grad_max > 0 && a->insp.grad_canvas_max > 0);
    push_key(a, SDLK_v, 0);
    CHECK(run_frames(a, 1) && a->insp.act_mode);
    check_numbers(a);

    /* Clearing: no numbers, the selection stays usable. */
    push_key(a, SDLK_c, 0);
    CHECK(run_frames(a, 1));
    CHECK(!a->insp.valid && !a->insp.grad_valid);

    /* Larger and smaller windows. */
    resize(a, 2560, 1440);
    check_clicks(a, "2560x1440");
    resize(a, 900, 560);
    check_clicks(a, "900x560");

    push_key(a, SDLK_ESCAPE, 0);
    CHECK(run_frames(a, 1) == 0);
    app_destroy(a);
    SDL_Quit();
    return dpt_finish();
}
