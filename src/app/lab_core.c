#include "lab_core.h"

#include <stdlib.h>

dp_status lab_trainer_set_lr(dp_trainer *t, float lr) {
    (void)t;
    (void)lr;
    return DP_ERR_ARG;
}

dp_status lab_trainer_set_threads(dp_trainer *t, int threads) {
    (void)t;
    (void)threads;
    return DP_ERR_ARG;
}

dp_status lab_trainer_set_augment(dp_trainer *t, int on) {
    (void)t;
    (void)on;
    return DP_ERR_ARG;
}

dp_status lab_evaluate_range(const dp_mlp *m, const dp_dataset *ds, uint32_t from, uint32_t to,
                             dp_eval *acc, uint8_t *digit, float *prob) {
    if (to > ds->count || from > to) return DP_ERR_ARG;
    int n = (int)(to - from);
    if (n == 0) return DP_OK;
    dp_workspace *ws = NULL;
    float *X = malloc((size_t)n * m->n_in * sizeof *X);
    uint8_t *y = malloc((size_t)n);
    uint32_t *idx = malloc((size_t)n * sizeof *idx);
    dp_status s = X && y && idx ? dp_workspace_create(&ws, m, n) : DP_ERR_NOMEM;
    if (s == DP_OK) {
        for (int r = 0; r < n; r++) idx[r] = from + (uint32_t)r;
        dp_dataset_batch(ds, idx, n, X, y);
        const float *P = dp_mlp_forward(m, ws, X, n, DP_BACKEND_BLAS);
        double loss = dp_mlp_loss(ws, y, n);
        for (int r = 0; r < n; r++) {
            const float *p = P + (size_t)r * m->n_out;
            int d = dp_argmax(p, m->n_out);
            digit[r] = (uint8_t)d;
            prob[r] = p[d];
            acc->confusion[y[r]][d]++;
            acc->correct += d == y[r];
        }
        acc->loss = (acc->loss * acc->count + loss * n) / (acc->count + (uint32_t)n);
        acc->count += (uint32_t)n;
    }
    dp_workspace_destroy(ws);
    free(X);
    free(y);
    free(idx);
    return s;
}
