/* digitpad-cli gate-train: train the "not a digit" gate (digitpad/notdigit.h,
 * docs/not-a-digit.md): a small network that tells digits (MNIST training
 * images and, optionally, pen digits from pen-render) from generated
 * non-digit strokes (dp_nondigit_draw), drawn and preprocessed as the
 * window does. */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "digitpad/model.h"
#include "digitpad/notdigit.h"
#include "digitpad/preprocess.h"
#include "digitpad/train.h"
#include "load.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli gate-train --out FILE [options]\n"
          "\n"
          "Train the not-a-digit gate: a 784-H-2 network, class 0 = digit (MNIST training\n"
          "images, plus DIR/train-*-ubyte of --pen-idx), class 1 = generated non-digit\n"
          "strokes. Prints how many MNIST test digits and fresh non-digits it flags.\n"
          "\n"
          "options:\n"
          "  --out FILE        gate model to write (.dpm), required\n"
          "  --data DIR        MNIST directory (default: $DIGITPAD_DATA, else data/mnist)\n"
          "  --pen-idx DIR     more digits: an IDX set from pen-render\n"
          "  --nondigits N     generated non-digits (default 120000)\n"
          "  --hidden H        hidden units (default 256)\n"
          "  --epochs N        passes over the data (default 12)\n"
          "  --seed S          seed (default 1)\n"
          "  --threads N       training threads (default: one per core)\n",
          out);
}

/* n generated non-digits, preprocessed, as IDX-style images, label 1. */
static int make_nondigits(dp_dataset *ds, uint32_t n, uint64_t seed) {
    memset(ds, 0, sizeof *ds);
    ds->rows = ds->cols = DP_MNIST_SIDE;
    ds->images = malloc((size_t)n * DP_MNIST_PIXELS);
    ds->labels = malloc(n ? n : 1);
    dp_canvas *c = NULL;
    if (!ds->images || !ds->labels || dp_canvas_create(&c, DP_MNIST_SIDE, DP_MNIST_SIDE) != DP_OK) {
        dp_dataset_free(ds);
        return cli_failf("gate-train", "out of memory");
    }
    dp_rng rng;
    dp_rng_seed(&rng, seed);
    dp_brush b = dp_brush_default();
    uint32_t k = 0;
    while (k < n) {
        dp_nondigit_draw(&rng, c, &b);
        float x[DP_MNIST_PIXELS];
        if (dp_preprocess(c->cells, c->w, c->h, x) != DP_OK) continue;
        uint8_t *img = ds->images + (size_t)k * DP_MNIST_PIXELS;
        for (int q = 0; q < DP_MNIST_PIXELS; q++) img[q] = (uint8_t)(x[q] * 255.0f + 0.5f);
        ds->labels[k++] = 1;
    }
    ds->count = n;
    dp_canvas_destroy(c);
    return 0;
}

/* dst = the images of a, b, c (any may be empty), with a's and b's labels
 * set to 0 (digit) and c's kept. */
static int join(dp_dataset *dst, const dp_dataset *a, const dp_dataset *b, const dp_dataset *c) {
    memset(dst, 0, sizeof *dst);
    uint64_t n = (uint64_t)a->count + b->count + c->count;
    dst->rows = dst->cols = DP_MNIST_SIDE;
    dst->images = malloc((size_t)n * DP_MNIST_PIXELS);
    dst->labels = malloc((size_t)n);
    if (!dst->images || !dst->labels) {
        dp_dataset_free(dst);
        return cli_failf("gate-train", "out of memory");
    }
    const dp_dataset *parts[3] = {a, b, c};
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        if (parts[i]->count == 0) continue;
        memcpy(dst->images + at * DP_MNIST_PIXELS, parts[i]->images,
               (size_t)parts[i]->count * DP_MNIST_PIXELS);
        memset(dst->labels + at, 0, parts[i]->count);
        if (i == 2) memcpy(dst->labels + at, parts[i]->labels, parts[i]->count);
        at += parts[i]->count;
    }
    dst->count = (uint32_t)n;
    return 0;
}

/* Share of ds flagged as not a digit by the gate. */
static double flagged(const dp_mlp *gate, const dp_dataset *ds) {
    dp_workspace *ws = NULL;
    if (ds->count == 0 || dp_workspace_create(&ws, gate, 1) != DP_OK) return -1.0;
    uint32_t f = 0;
    float x[DP_MNIST_PIXELS];
    for (uint32_t i = 0; i < ds->count; i++) {
        dp_dataset_batch(ds, &i, 1, x, NULL);
        const float *p = dp_mlp_forward(gate, ws, x, 1, DP_BACKEND_BLAS);
        f += p && p[1] >= DP_NOTDIGIT_THRESHOLD;
    }
    dp_workspace_destroy(ws);
    return (double)f / ds->count;
}

int cmd_gate_train(int argc, char **argv) {
    const char *out = NULL, *data = NULL, *pen = NULL;
    int n_nd = 120000, hidden = 256;
    dp_train_config cfg;
    dp_train_config_default(&cfg);
    cfg.epochs = 12;
    cfg.augment = dp_augment_default();
    const cli_opt opts[] = {
        {"--out", CLI_OPT_STRING, &out, 0, 0, 0, NULL},
        {"--data", CLI_OPT_STRING, &data, 0, 0, 0, NULL},
        {"--pen-idx", CLI_OPT_STRING, &pen, 0, 0, 0, NULL},
        {"--nondigits", CLI_OPT_INT, &n_nd, 100, 2000000, 0, NULL},
        {"--hidden", CLI_OPT_INT, &hidden, 1, 4096, 0, NULL},
        {"--epochs", CLI_OPT_INT, &cfg.epochs, 1, 1000, 0, NULL},
        {"--seed", CLI_OPT_U64, &cfg.seed, 0, 0, 0, NULL},
        {"--threads", CLI_OPT_INT, &cfg.threads, 1, 256, 0, NULL},
    };
    const cli_spec spec = {"gate-train", usage, opts, (int)(sizeof opts / sizeof opts[0]),
                           CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (npos > 0) return cli_usage_error(&spec, "unexpected argument '%s'", argv[1]);
    if (!out) return cli_usage_error(&spec, "missing --out FILE");

    dp_dataset mnist = {0}, test = {0}, pen_ds = {0}, nd = {0}, nd_test = {0}, all = {0};
    dp_error err = {0};
    int rc = cli_load_mnist(data, &mnist, &test);
    if (rc == 0 && pen && dp_mnist_load(pen, &pen_ds, NULL, &err) != DP_OK)
        rc = cli_fail("cannot load the --pen-idx set", &err);
    if (rc == 0) rc = make_nondigits(&nd, (uint32_t)n_nd, cfg.seed);
    if (rc == 0) rc = make_nondigits(&nd_test, 10000, cfg.seed + 1000003);
    if (rc == 0) rc = join(&all, &mnist, &pen_ds, &nd);
    dp_mlp *gate = NULL;
    dp_trainer *t = NULL;
    if (rc == 0 && dp_mlp_create(&gate, DP_MNIST_PIXELS, hidden, 2) != DP_OK)
        rc = cli_failf("gate-train", "out of memory");
    if (rc == 0) {
        dp_rng rng;
        dp_rng_seed(&rng, cfg.seed);
        dp_mlp_init_he(gate, &rng);
        if (dp_trainer_create(&t, gate, &all, &cfg, &err) != DP_OK)
            rc = cli_fail("cannot start training", &err);
    }
    if (rc == 0) {
        printf("gate 784-%d-2 on %u digits (%u MNIST, %u pen) and %u non-digits, %d epochs\n",
               hidden, mnist.count + pen_ds.count, mnist.count, pen_ds.count, nd.count, cfg.epochs);
        dp_train_progress p;
        do {
            dp_trainer_run(t, 1 << 20, &p);
            if (p.epoch_ended) printf("epoch %d/%d  loss %.4f\n", p.epoch, p.epochs, p.epoch_loss);
            fflush(stdout);
        } while (!p.done && dp_trainer_status(t) == DP_OK);
        if (dp_trainer_status(t) != DP_OK)
            rc = cli_failf("gate-train", "%s", dp_status_str(dp_trainer_status(t)));
    }
    if (rc == 0) {
        printf("flagged as not a digit (threshold %.2f): MNIST test %.2f%%, fresh non-digits "
               "%.2f%%\n",
               (double)DP_NOTDIGIT_THRESHOLD, 100 * flagged(gate, &test),
               100 * flagged(gate, &nd_test));
        dp_model_meta meta;
        memset(&meta, 0, sizeof meta);
        meta.epochs = (uint32_t)cfg.epochs;
        meta.samples_seen = (uint64_t)cfg.epochs * all.count;
        meta.test_accuracy = -1.0f;
        meta.seed = cfg.seed;
        snprintf(meta.note, sizeof meta.note, "not-a-digit gate: digitpad-cli gate-train%s%s",
                 pen ? " --pen-idx " : "", pen ? pen : "");
        if (dp_model_save(out, gate, &meta, &err) != DP_OK)
            rc = cli_fail("cannot save", &err);
        else
            printf("saved %s\n", out);
    }
    dp_trainer_destroy(t);
    dp_mlp_destroy(gate);
    dp_dataset_free(&mnist);
    dp_dataset_free(&test);
    dp_dataset_free(&pen_ds);
    dp_dataset_free(&nd);
    dp_dataset_free(&nd_test);
    dp_dataset_free(&all);
    return rc;
}
