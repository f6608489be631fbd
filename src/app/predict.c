#include "predict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "digitpad/mlp.h"
#include "digitpad/preprocess.h"

void predict_judge(prediction *pr) {
    dp_reading r;
    dp_reading_judge(pr->p, pr->p_not_digit, &r);
    pr->digit = r.digit;
    pr->second = r.second;
    pr->entropy = r.entropy;
    pr->unsure = r.verdict == DP_VERDICT_UNSURE;
    pr->not_digit = r.verdict == DP_VERDICT_NOTDIGIT;
}

void predict_line(const prediction *pr, char *line, size_t n) {
    if (!pr->valid) {
        snprintf(line, n, "predict none");
        return;
    }
    int k = pr->not_digit ? snprintf(line, n, "predict notdigit")
                          : snprintf(line, n, "predict %d", pr->digit);
    for (int i = 0; i < DP_MNIST_CLASSES && k > 0 && (size_t)k < n; i++)
        k += snprintf(line + k, n - (size_t)k, " %.4f", pr->p[i]);
    if (pr->unsure && k > 0 && (size_t)k < n) snprintf(line + k, n - (size_t)k, " unsure");
}

int predict_input(const dp_canvas *c, int preprocess, float input[DP_MNIST_PIXELS]) {
    dp_status st = preprocess ? dp_preprocess(c->cells, c->w, c->h, input)
                              : dp_preprocess_raw(c->cells, c->w, c->h, input);
    return st == DP_OK ? 0 : -1;
}

int predict_run(const dp_mlp *m, dp_workspace *ws, const dp_canvas *c, int preprocess,
                float input[DP_MNIST_PIXELS], prediction *out) {
    return predict_run_gated(m, ws, NULL, NULL, c, preprocess, input, out);
}

int predict_run_gated(const dp_mlp *m, dp_workspace *ws, const dp_mlp *gate, dp_workspace *gws,
                      const dp_canvas *c, int preprocess, float input[DP_MNIST_PIXELS],
                      prediction *out) {
    memset(out, 0, sizeof *out);
    if (predict_input(c, preprocess, input) != 0) return PREDICT_OK; /* empty: no prediction */
    if (m->n_in != DP_MNIST_PIXELS || m->n_out != DP_MNIST_CLASSES) return PREDICT_WRONG_SHAPE;
    dp_reading r;
    if (dp_read_input(m, ws, gate && gws ? gate : NULL, gws, input, &r) != DP_OK)
        return PREDICT_WRONG_SHAPE;
    if (!dp_all_finite(r.p, DP_MNIST_CLASSES)) {
        out->not_finite = 1;
        return PREDICT_NOT_FINITE;
    }
    memcpy(out->p, r.p, sizeof out->p);
    out->p_not_digit = r.not_digit;
    out->valid = 1;
    predict_judge(out);
    return PREDICT_OK;
}
