/* libFuzzer target: .dpm parsing (see README.md). Input byte 0 holds flags:
 * bit 0 recomputes the trailing CRC so the fuzzer gets past the checksum to
 * the checks behind it; bit 1 also goes through a file (dp_model_load and
 * dp_model_inspect, which read the header first). The rest is the model.
 * A network that loads must give finite outputs (issue #11 defect 6). */
#include "digitpad/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/fuzz-dpm-XXXXXX", path[256];

static void cleanup(void) {
    remove(path);
    remove(dir);
}

/* A loaded network must have finite parameters and give finite
 * probabilities for the extreme inputs (all 0, all 1, alternating). */
static void check(dp_status st, dp_mlp *m, const dp_error *err) {
    if (st != DP_OK) {
        if (m || err->msg[0] == '\0') abort();
        return;
    }
    for (size_t i = 0; i < m->n_params; i++)
        if (!isfinite(m->params[i])) abort();
    dp_workspace *ws = NULL;
    float *x = calloc((size_t)m->n_in, sizeof *x);
    if (x && dp_workspace_create(&ws, m, 1) == DP_OK) {
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < m->n_in; i++)
                x[i] = pass == 0 ? 0.0f : pass == 1 ? 1.0f : (float)(i & 1);
            const float *p = dp_mlp_forward(m, ws, x, 1, DP_BACKEND_REFERENCE);
            if (!p || !dp_all_finite(p, (size_t)m->n_out)) abort();
        }
    }
    dp_workspace_destroy(ws);
    free(x);
    dp_mlp_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    size_t len = size - 1;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) return 0;
    memcpy(buf, data + 1, len);
    if ((flags & 1) && len >= 4) {
        uint32_t crc = dp_crc32(0, buf, len - 4);
        for (int i = 0; i < 4; i++) buf[len - 4 + i] = (uint8_t)(crc >> (8 * i));
    }
    dp_mlp *m = NULL;
    dp_model_meta meta;
    dp_error err;
    dp_status st = dp_model_load_mem(buf, len, &m, &meta, &err);
    check(st, m, &err);
    if (flags & 2) {
        if (!path[0]) {
            if (!mkdtemp(dir)) abort();
            atexit(cleanup);
            snprintf(path, sizeof path, "%s/model.dpm", dir);
        }
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) abort();
        m = NULL;
        st = dp_model_load(path, &m, &meta, &err);
        check(st, m, &err);
        dp_model_info info;
        if (dp_model_inspect(path, &info, &err) == DP_OK && info.file_size != len) abort();
    }
    free(buf);
    return 0;
}
