/* The model shipped in models/ loads, has the paper's architecture, and
 * reaches >= 99.0% on the 10,000 MNIST test images. */
#include <math.h>
#include <stdio.h>

#include "digitpad/model.h"
#include "digitpad/train.h"
#include "testutil.h"

#define SHIPPED_MODEL "models/mnist-800.dpm"

int main(void) {
    dp_mlp *m = NULL;
    dp_model_meta meta;
    dp_error err = {0};
    dp_status s = dp_model_load(SHIPPED_MODEL, &m, &meta, &err);
    CHECKF(s == DP_OK, "cannot load %s: %s", SHIPPED_MODEL, err.msg);
    if (s != DP_OK) return dpt_finish();
    CHECK(m->n_in == 784 && m->n_hidden == 800 && m->n_out == 10);

    dp_dataset test;
    const char *dir = dpt_mnist_dir();
    s = dp_mnist_load(dir, NULL, &test, &err);
    CHECKF(s == DP_OK, "MNIST not readable in %s (set DIGITPAD_DATA or run scripts/get-mnist): %s",
           dir, err.msg);
    if (s == DP_OK) {
        dp_eval e;
        CHECK(dp_evaluate(m, &test, &e) == DP_OK);
        double acc = dp_eval_accuracy(&e);
        printf("%s: %.2f%% on %u MNIST test images (stored in the file: %.2f%%, %u epochs)\n",
               SHIPPED_MODEL, 100 * acc, e.count, 100 * meta.test_accuracy, meta.epochs);
        CHECK(e.count == 10000);
        CHECKF(acc >= 0.990, "shipped model accuracy %.4f < 0.990", acc);
        /* the metadata tells the truth about the file */
        CHECK_NEAR(meta.test_accuracy, acc, 0.0005);
        dp_dataset_free(&test);
    }
    dp_mlp_destroy(m);
    return dpt_finish();
}
