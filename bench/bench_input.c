/* Timing of the input path: canvas strokes, preprocessing, augmentation.
 *   bench_input [MNIST-DIR]
 * Uses MNIST test digits from MNIST-DIR (or $DIGITPAD_DATA, data/mnist)
 * when they load, else synthetic digits drawn with the canvas. Prints
 * microseconds per call, best of 5 runs. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "digitpad/augment.h"
#include "digitpad/canvas.h"
#include "digitpad/dataset.h"
#include "digitpad/preprocess.h"

#define NIMG 512

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint8_t images[NIMG][784];
static float floats[NIMG][784];
static volatile float sink;

/* Best-of-5 microseconds per call of fn(i) over `calls` calls. */
static double time_us(void (*fn)(int), int calls) {
    double best = 1e30;
    for (int run = 0; run < 5; run++) {
        double t0 = now();
        for (int i = 0; i < calls; i++) fn(i);
        double us = (now() - t0) / calls * 1e6;
        if (us < best) best = us;
    }
    return best;
}

static dp_augmenter *aug;
static dp_rng rng;
static float out[784];
static float big[280 * 280];
static dp_canvas *canvas;

static void run_augment(int i) {
    dp_augment_image(aug, &rng, images[i % NIMG], out);
    sink = out[400];
}
static void run_preprocess(int i) {
    dp_preprocess(floats[i % NIMG], 28, 28, out);
    sink = out[400];
}
static void run_preprocess_big(int i) {
    (void)i;
    dp_preprocess(big, 280, 280, out);
    sink = out[400];
}
static void run_stroke(int i) {
    float a = (float)(i % 20);
    dp_canvas_stroke(canvas, NULL, 4.0f + a, 5.0f, 5.0f + a, 6.5f, i & 1);
}

static void load_images(const char *dir) {
    dp_dataset test;
    if (dp_mnist_load(dp_data_dir(dir, getenv(DP_DATA_ENV)), NULL, &test, NULL) == DP_OK &&
        test.count >= NIMG) {
        for (int i = 0; i < NIMG; i++)
            for (int k = 0; k < 784; k++) images[i][k] = test.images[(size_t)i * 784 + k];
        dp_dataset_free(&test);
        printf("digits: MNIST test set\n");
        return;
    }
    dp_canvas *c;
    if (dp_canvas_create(&c, 28, 28) != DP_OK) exit(1);
    for (int i = 0; i < NIMG; i++) {
        float s = 14.0f + (float)(i % 7), x = 4.0f + (float)(i % 5), y = 4.0f;
        float xy[6] = {x, y, x + 0.7f * s, y, x + 0.25f * s, y + s};
        dp_canvas_clear(c);
        dp_canvas_polyline(c, NULL, xy, 3, 0);
        for (int k = 0; k < 784; k++) images[i][k] = (uint8_t)(c->cells[k] * 255.0f + 0.5f);
    }
    dp_canvas_destroy(c);
    printf("digits: synthetic (no MNIST)\n");
}

int main(int argc, char **argv) {
    load_images(argc > 1 ? argv[1] : NULL);
    for (int i = 0; i < NIMG; i++)
        for (int k = 0; k < 784; k++) floats[i][k] = images[i][k] / 255.0f;
    for (int y = 0; y < 280; y++)
        for (int x = 0; x < 280; x++) big[y * 280 + x] = floats[0][(y / 10) * 28 + x / 10];
    dp_rng_seed(&rng, 1);

    dp_augment_config cfgs[3] = {dp_augment_default(), dp_augment_default(), dp_augment_none()};
    cfgs[1].elastic_alpha = 0.0f;
    const char *names[3] = {"augment (default)", "augment (affine only)", "augment (disabled)"};
    for (int k = 0; k < 3; k++) {
        if (dp_augmenter_create(&aug, &cfgs[k]) != DP_OK) return 1;
        printf("%-28s %8.2f us/image\n", names[k], time_us(run_augment, 20000));
        dp_augmenter_destroy(aug);
    }
    printf("%-28s %8.2f us/call\n", "preprocess 28x28", time_us(run_preprocess, 20000));
    printf("%-28s %8.2f us/call\n", "preprocess 280x280", time_us(run_preprocess_big, 500));
    if (dp_canvas_create(&canvas, 28, 28) != DP_OK) return 1;
    printf("%-28s %8.3f us/segment\n", "canvas stroke 28x28", time_us(run_stroke, 100000));
    dp_canvas_destroy(canvas);
    return 0;
}
