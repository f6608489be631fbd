#include "load.h"

#include <string.h>

#include "args.h"

int cli_load_mnist(const char *data_flag, dp_dataset *train, dp_dataset *test) {
    dp_error err = {0};
    if (dp_mnist_load(dp_data_dir(data_flag), train, test, &err) == DP_OK) return 0;
    const char *detail = err.msg[0] ? err.msg : dp_status_str(err.status);
    /* The core's message names the file and may already say how to get it. */
    const char *hint = " (run scripts/get-mnist, or pass --data DIR or set DIGITPAD_DATA)";
    if (strstr(detail, "DIGITPAD_DATA")) {
        hint = "";
    } else if (strstr(detail, "get-mnist")) {
        hint = ", or pass --data DIR or set DIGITPAD_DATA";
    }
    return cli_failf("cannot load MNIST", "%s%s", detail, hint);
}

int cli_check_mnist_shape(const char *path, const dp_mlp *m) {
    if (m->n_in == DP_MNIST_PIXELS && m->n_out == DP_MNIST_CLASSES) return 0;
    return cli_failf("cannot use model",
                     "%s: network is %d-%d-%d, expected %d inputs and %d outputs", path, m->n_in,
                     m->n_hidden, m->n_out, DP_MNIST_PIXELS, DP_MNIST_CLASSES);
}

int cli_load_model(const char *path, dp_mlp **out, dp_model_meta *meta) {
    dp_error err = {0};
    dp_mlp *m = NULL;
    if (dp_model_load_any(path, &m, meta, &err) != DP_OK)
        return cli_fail("cannot load model", &err);
    if (cli_check_mnist_shape(path, m) != 0) {
        dp_mlp_destroy(m);
        return CLI_EXIT_FAIL;
    }
    *out = m;
    return 0;
}
