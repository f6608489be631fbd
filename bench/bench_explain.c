/* Timing of "look inside the network" for one drawing, what the window
 * recomputes when the drawing or the weights change:
 *   bench_explain [MODEL.dpm]      (default models/mnist-800.dpm)
 * Prints microseconds per call, best of 5 runs, on a drawn 7. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "digitpad/canvas.h"
#include "digitpad/explain.h"
#include "digitpad/model.h"
#include "digitpad/preprocess.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static dp_mlp *m;
static dp_trace *tr;
static dp_canvas *canvas;
static float x[784], grad[784], contrib[784], canvas_grad[784];
static dp_input_map map;
static volatile float sink;

static double time_us(void (*fn)(void), int calls) {
    double best = 1e30;
    for (int run = 0; run < 5; run++) {
        double t0 = now();
        for (int i = 0; i < calls; i++) fn();
        double us = (now() - t0) / calls * 1e6;
        if (us < best) best = us;
    }
    return best;
}

static void run_trace(void) {
    dp_trace_run(tr, m, x);
    sink = tr->net2[0];
}
static void run_why(void) {
    dp_logit_why w;
    dp_logit_why_compute(m, tr, tr->top, -1, 8, &w);
    dp_logit_why_compute(m, tr, tr->second, -1, 8, &w);
    dp_logit_why_compute(m, tr, tr->top, tr->second, 8, &w);
    sink = (float)w.rest;
}
static void run_unit(void) {
    dp_unit_view u;
    dp_unit_contributions(m, x, 123, contrib, &u);
    sink = u.net;
}
static void run_gradient(void) {
    dp_input_gradient(m, tr, tr->top, tr->second, grad);
    sink = grad[400];
}
static void run_pullback(void) {
    float tmp[784];
    dp_preprocess_mapped(canvas->cells, 28, 28, 0, tmp, &map);
    dp_input_map_pullback(&map, grad, canvas_grad);
    sink = canvas_grad[400];
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "models/mnist-800.dpm";
    dp_model_meta meta;
    dp_error err = {0};
    if (dp_model_load(path, &m, &meta, &err) != DP_OK) {
        fprintf(stderr, "bench_explain: %s\n", err.msg);
        return 1;
    }
    if (m->n_in != 784 || dp_trace_create(&tr, m) != DP_OK || dp_canvas_create(&canvas, 28, 28)) {
        fprintf(stderr, "bench_explain: needs a network with 784 inputs\n");
        return 1;
    }
    static const float seven[] = {7, 6, 21, 6, 17, 13, 14, 19, 12, 24};
    dp_brush b = dp_brush_default();
    dp_canvas_polyline(canvas, &b, seven, 5, 0);
    dp_preprocess(canvas->cells, 28, 28, x);
    run_trace();
    printf("%s (%d-%d-%d), a drawn 7, %d of %d ReLUs fire\n", path, m->n_in, m->n_hidden, m->n_out,
           tr->active, m->n_hidden);
    printf("trace (forward pass, net1 kept)   %8.1f us\n", time_us(run_trace, 2000));
    printf("why: top, runner-up, difference   %8.1f us\n", time_us(run_why, 2000));
    printf("unit contributions (one unit)     %8.1f us\n", time_us(run_unit, 2000));
    printf("input gradient                    %8.1f us\n", time_us(run_gradient, 500));
    printf("input map + pullback to canvas    %8.1f us\n", time_us(run_pullback, 2000));
    dp_trace_destroy(tr);
    dp_canvas_destroy(canvas);
    dp_mlp_destroy(m);
    return 0;
}
