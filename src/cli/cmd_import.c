/* digitpad-cli import IN.npz OUT.dpm: weights trained elsewhere (NumPy,
 * PyTorch) as a digitpad model. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "digit_load.h"
#include "digitpad/model.h"
#include "digitpad/npz.h"
#include "load.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli import IN.npz OUT.dpm\n"
          "\n"
          "Read a NumPy .npz archive (numpy.savez or savez_compressed) holding exactly the\n"
          "float32 arrays W1 (784 x H), b1 (H), W2 (H x 10) and b2 (10), in the row-vector\n"
          "convention softmax(relu(x W1 + b1) W2 + b2), and save it as a .dpm model.\n"
          "PyTorch's nn.Linear stores weights as out x in: save fc.weight.T.\n"
          "A damaged archive, a missing or extra array, a wrong shape or dtype, or a NaN\n"
          "or infinite value is refused with one line saying what is wrong; OUT is then\n"
          "left as it was (it is written atomically).\n",
          out);
}

int cmd_import(int argc, char **argv) {
    const cli_spec spec = {"import", usage, NULL, 0, CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (npos != 2)
        return cli_usage_error(&spec, "need IN.npz and OUT.dpm, got %d file names", npos);
    const char *in = argv[1], *out = argv[2];

    dp_error err = {0};
    dp_mlp *m = NULL;
    if (dp_npz_load(in, &m, &err) != DP_OK) return cli_fail("cannot import", &err);
    if (check_digit_model(in, m, &err) != DIGIT_MODEL_OK) {
        dp_mlp_destroy(m);
        return cli_fail("cannot use model", &err);
    }
    dp_model_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.test_accuracy = -1.0f;
    const char *base = strrchr(in, '/');
    snprintf(meta.note, sizeof meta.note, "digitpad-cli import %.100s", base ? base + 1 : in);
    dp_status st = dp_model_save(out, m, &meta, &err);
    int hidden = m->n_hidden;
    dp_mlp_destroy(m);
    if (st != DP_OK) return cli_fail("cannot save model", &err);
    printf("wrote %s  (%d-%d-%d from %s)\n", out, DP_MNIST_PIXELS, hidden, DP_MNIST_CLASSES, in);
    return CLI_EXIT_OK;
}
