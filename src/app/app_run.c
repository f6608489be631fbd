/* The frame loop with a frame cap, and the frame-time report. */
#include <stdio.h>

#include "app.h"

int app_run(app *a) {
    const double freq = (double)SDL_GetPerformanceFrequency();
    const double period_ms = 1000.0 / (a->cfg.fps > 0 ? a->cfg.fps : 60);
    uint64_t start = SDL_GetPerformanceCounter(), prev_start = 0;
    double next_ms = 0.0;
    for (;;) {
        uint64_t t0 = SDL_GetPerformanceCounter();
        int busy = train_state_busy(a->tv.state);
        int go_on = app_frame(a);
        uint64_t t1 = SDL_GetPerformanceCounter();
        float work = (float)((double)(t1 - t0) * 1000.0 / freq);
        if (a->frames.drew) {
            uint32_t now = SDL_GetTicks();
            if (a->frames.shown_ms == 0 || now - a->frames.shown_ms >= 1000) {
                a->frames.shown_work_ms = work;
                a->frames.shown_ms = now;
            }
        }
        /* A frame counts as "training" if the trainer was busy before or after it. */
        busy = busy || train_state_busy(a->tv.state);
        /* The first frame (fonts, textures, mosaic) is start-up, not counted. */
        if (prev_start) {
            frame_stats_add(busy ? &a->frames.work_train : &a->frames.work_idle, work);
            if (a->frames.drew)
                frame_stats_add(busy ? &a->frames.draw_train : &a->frames.draw_idle, work);
            frame_stats_add(busy ? &a->frames.gap_train : &a->frames.gap_idle,
                            (float)((double)(t0 - prev_start) * 1000.0 / freq));
        }
        prev_start = t0;
        if (!go_on) break;
        /* Sleep until the next frame is due; do not try to catch up. */
        next_ms += period_ms;
        double now_ms = (double)(SDL_GetPerformanceCounter() - start) * 1000.0 / freq;
        if (next_ms > now_ms)
            SDL_Delay((uint32_t)(next_ms - now_ms));
        else
            next_ms = now_ms;
    }
    return 0;
}

static void print_one(const char *what, const char *label, const frame_stats *s) {
    printf("%s %s count=%zu p50=%.2fms p99=%.2fms max=%.2fms\n", what, label, s->n,
           (double)frame_stats_percentile(s, 50), (double)frame_stats_percentile(s, 99),
           (double)frame_stats_max(s));
}

void app_print_frame_stats(app *a) {
    /* Work per frame (events, update, drawing if needed, present), without
     * the wait for the next frame. */
    print_one("frames", "idle", &a->frames.work_idle);
    print_one("frames", "training", &a->frames.work_train);
    /* Only the frames that drew (something changed). */
    print_one("drawn", "idle", &a->frames.draw_idle);
    print_one("drawn", "training", &a->frames.draw_train);
    /* Start-to-start time between frames: 16.7 ms means a steady 60 fps. */
    print_one("intervals", "idle", &a->frames.gap_idle);
    print_one("intervals", "training", &a->frames.gap_train);
    fflush(stdout);
}
