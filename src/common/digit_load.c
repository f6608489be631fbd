#include "digit_load.h"

#include "digitpad/dataset.h"

digit_model_result check_digit_model(const char *path, const dp_mlp *m, dp_error *err) {
    if (m->n_in == DP_MNIST_PIXELS && m->n_out == DP_MNIST_CLASSES) return DIGIT_MODEL_OK;
    dp_error_set(err, DP_ERR_SHAPE, "%s: network is %d-%d-%d, expected %d inputs and %d outputs",
                 path, m->n_in, m->n_hidden, m->n_out, DP_MNIST_PIXELS, DP_MNIST_CLASSES);
    return DIGIT_MODEL_WRONG_SIZE;
}

digit_model_result load_digit_model(const char *path, dp_mlp **out, dp_model_meta *meta,
                                    dp_error *err) {
    dp_mlp *m = NULL;
    dp_status st = dp_model_load_any(path, &m, meta, err);
    if (st != DP_OK) {
        if (err && !err->msg[0]) dp_error_set(err, st, "%s", dp_status_str(st));
        return DIGIT_MODEL_UNREADABLE;
    }
    digit_model_result r = check_digit_model(path, m, err);
    if (r != DIGIT_MODEL_OK) {
        dp_mlp_destroy(m);
        return r;
    }
    *out = m;
    return DIGIT_MODEL_OK;
}

const char *mnist_load_hint(dp_status s) {
    if (s == DP_OK || s == DP_ERR_NOMEM) return "";
    return "run scripts/get-mnist to download MNIST, or pass --data DIR or set DIGITPAD_DATA";
}
