#include "load.h"

#include <stdlib.h>

#include "args.h"
#include "digit_load.h"

int cli_load_mnist(const char *data_flag, dp_dataset *train, dp_dataset *test) {
    dp_error err = {0};
    if (dp_mnist_load(dp_data_dir(data_flag, getenv(DP_DATA_ENV)), train, test, &err) == DP_OK)
        return 0;
    const char *detail = err.msg[0] ? err.msg : dp_status_str(err.status);
    const char *hint = mnist_load_hint(err.status);
    return cli_failf("cannot load MNIST", "%s%s%s%s", detail, hint[0] ? " (" : "", hint,
                     hint[0] ? ")" : "");
}

int cli_load_model(const char *path, dp_mlp **out, dp_model_meta *meta) {
    dp_error err = {0};
    digit_model_result r = load_digit_model(path, out, meta, &err);
    if (r == DIGIT_MODEL_OK) return 0;
    return cli_fail(r == DIGIT_MODEL_WRONG_SIZE ? "cannot use model" : "cannot load model", &err);
}
