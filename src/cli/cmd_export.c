/* digitpad-cli export MODEL --format onnx|npz OUT: a model for ONNX
 * consumers, or its weights for NumPy and PyTorch. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "digitpad/npz.h"
#include "digitpad/onnx.h"
#include "load.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli export MODEL --format onnx|npz OUT\n"
          "\n"
          "Write MODEL (.dpm, or .npz) to OUT in another format:\n"
          "  onnx  ONNX, opset 13: Gemm, Relu, Gemm, Softmax; input x, float [N,784];\n"
          "        output probabilities, float [N,10]; the weights as initializers\n"
          "  npz   NumPy archive of float32 W1 (784x800), b1 (800), W2 (800x10) and\n"
          "        b2 (10), row-vector convention: softmax(relu(x W1 + b1) W2 + b2);\n"
          "        for PyTorch's nn.Linear, weight = W.T\n"
          "OUT is written atomically: it is replaced only once it is complete.\n"
          "\n"
          "options:\n"
          "  --format F  onnx or npz (required)\n",
          out);
}

int cmd_export(int argc, char **argv) {
    const char *format = NULL;
    const cli_opt opts[] = {
        {"--format", CLI_OPT_STRING, &format, 0, 0, 0, NULL},
    };
    const cli_spec spec = {"export", usage, opts, (int)(sizeof opts / sizeof opts[0]), CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (!format) return cli_usage_error(&spec, "missing --format onnx|npz");
    int onnx = !strcmp(format, "onnx");
    if (!onnx && strcmp(format, "npz") != 0)
        return cli_usage_error(&spec, "unknown --format '%s' (onnx or npz)", format);
    if (npos != 2) return cli_usage_error(&spec, "need MODEL and OUT, got %d file names", npos);
    const char *in = argv[1], *out = argv[2];

    dp_mlp *m = NULL;
    if (cli_load_model(in, &m, NULL) != 0) return CLI_EXIT_FAIL;
    dp_error err = {0};
    dp_status st = onnx ? dp_onnx_save(out, m, &err) : dp_npz_save(out, m, &err);
    int hidden = m->n_hidden;
    dp_mlp_destroy(m);
    if (st != DP_OK) return cli_fail("cannot export", &err);
    printf("wrote %s  (%s, %d-%d-%d)\n", out, onnx ? "ONNX opset 13" : "NumPy .npz",
           DP_MNIST_PIXELS, hidden, DP_MNIST_CLASSES);
    return CLI_EXIT_OK;
}
