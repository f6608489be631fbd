#include "predict.h"

#include <math.h>
#include <string.h>

#include "digitpad/mlp.h"
#include "digitpad/preprocess.h"

void predict_judge(prediction *pr) {
    int a = dp_argmax(pr->p, DP_MNIST_CLASSES), b = -1;
    for (int i = 0; i < DP_MNIST_CLASSES; i++)
        if (i != a && (b < 0 || pr->p[i] > pr->p[b])) b = i;
    double h = 0;
    for (int i = 0; i < DP_MNIST_CLASSES; i++)
        if (pr->p[i] > 0) h -= pr->p[i] * log(pr->p[i]);
    pr->digit = a;
    pr->second = b;
    pr->entropy = (float)h;
    pr->unsure =
        pr->p[a] < PREDICT_UNSURE_P || h > PREDICT_UNSURE_ENTROPY * log((double)DP_MNIST_CLASSES);
}

int predict_input(const dp_canvas *c, int preprocess, float input[DP_MNIST_PIXELS]) {
    dp_status st = preprocess ? dp_preprocess(c->cells, c->w, c->h, input)
                              : dp_preprocess_raw(c->cells, c->w, c->h, input);
    return st == DP_OK ? 0 : -1;
}

int predict_run(const dp_mlp *m, dp_workspace *ws, const dp_canvas *c, int preprocess,
                float input[DP_MNIST_PIXELS], prediction *out) {
    memset(out, 0, sizeof *out);
    if (predict_input(c, preprocess, input) != 0) return PREDICT_OK; /* empty: no prediction */
    if (m->n_in != DP_MNIST_PIXELS || m->n_out != DP_MNIST_CLASSES) return PREDICT_WRONG_SHAPE;
    const float *p = dp_mlp_forward(m, ws, input, 1, DP_BACKEND_BLAS);
    if (!p) return PREDICT_WRONG_SHAPE;
    if (!dp_all_finite(p, DP_MNIST_CLASSES)) {
        out->not_finite = 1;
        return PREDICT_NOT_FINITE;
    }
    memcpy(out->p, p, sizeof out->p);
    out->valid = 1;
    predict_judge(out);
    return PREDICT_OK;
}
