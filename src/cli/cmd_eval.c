/* digitpad-cli eval: accuracy, mean loss, per-digit accuracy and the
 * confusion matrix of a model on the 10,000 MNIST test images. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "commands.h"
#include "digitpad/train.h"
#include "load.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli eval --model FILE [--data DIR]\n"
          "\n"
          "Evaluate a model on the MNIST test set: accuracy, mean cross-entropy loss,\n"
          "accuracy per digit and the 10x10 confusion matrix.\n"
          "\n"
          "options:\n"
          "  --model FILE  model to evaluate (.dpm)\n"
          "  --data DIR    MNIST directory (default: $DIGITPAD_DATA, else data/mnist)\n",
          out);
}

static double percent(uint32_t part, uint32_t whole) {
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_report(const char *model_path, const char *data_dir, const dp_eval *e) {
    printf("model     %s\n", model_path);
    printf("data      %s (%u test images)\n", data_dir, e->count);
    printf("accuracy  %.2f%%  (%u/%u correct)\n", 100.0 * dp_eval_accuracy(e), e->correct,
           e->count);
    printf("loss      %.4f  (mean cross-entropy)\n", e->loss);

    printf("\nper digit:\n  digit  images  correct  accuracy\n");
    for (int d = 0; d < 10; d++) {
        uint32_t total = 0;
        for (int p = 0; p < 10; p++) total += e->confusion[d][p];
        uint32_t ok = e->confusion[d][d];
        printf("  %5d  %6u  %7u  %7.2f%%\n", d, total, ok, percent(ok, total));
    }

    printf("\nconfusion matrix (rows: true digit, columns: predicted digit):\n       ");
    for (int p = 0; p < 10; p++) printf(" %5d", p);
    printf("\n");
    for (int d = 0; d < 10; d++) {
        printf("  %4d ", d);
        for (int p = 0; p < 10; p++) printf(" %5u", e->confusion[d][p]);
        printf("\n");
    }
}

int cmd_eval(int argc, char **argv) {
    const char *model_path = NULL, *data = NULL;
    const cli_opt opts[] = {
        {"--model", CLI_OPT_STRING, &model_path, 0, 0, 0, NULL},
        {"--data", CLI_OPT_STRING, &data, 0, 0, 0, NULL},
    };
    const cli_spec spec = {"eval", usage, opts, (int)(sizeof opts / sizeof opts[0]), CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (npos > 0) return cli_usage_error(&spec, "unexpected argument '%s'", argv[1]);
    if (!model_path) return cli_usage_error(&spec, "missing --model FILE");

    dp_mlp *m = NULL;
    if (cli_load_model(model_path, &m, NULL) != 0) return CLI_EXIT_FAIL;
    dp_dataset test = {0};
    if (cli_load_mnist(data, NULL, &test) != 0) {
        dp_mlp_destroy(m);
        return CLI_EXIT_FAIL;
    }
    dp_eval e;
    dp_status s = dp_evaluate(m, &test, &e);
    int rc = CLI_EXIT_OK;
    if (s != DP_OK) {
        rc = cli_failf("evaluation failed", "%s", dp_status_str(s));
    } else {
        print_report(model_path, dp_data_dir(data, getenv(DP_DATA_ENV)), &e);
    }
    dp_dataset_free(&test);
    dp_mlp_destroy(m);
    return rc;
}
