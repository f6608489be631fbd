/* libFuzzer target: .npz parsing (see README.md). Input byte 0 holds flags:
 * bit 0 recomputes the CRC-32 of every stored member (in its local header
 * and its directory entry) so the fuzzer gets past the checksum to the .npy
 * checks behind it; bit 1 also goes through a file (dp_npz_load and
 * dp_model_load_any). The rest is the archive. An accepted archive must give
 * finite parameters and survive dp_npz_encode + dp_npz_load_mem bit for bit. */
#include "digitpad/model.h"
#include "digitpad/npz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/fuzz-npz-XXXXXX", path[256];

static void cleanup(void) {
    remove(path);
    remove(dir);
}

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint32_t rd16(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static void wr32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Walk the central directory leniently and fix the CRC of stored members. */
static void fix_crcs(uint8_t *b, size_t len) {
    if (len < 22) return;
    size_t e = len - 22;
    if (rd32(b + e) != 0x06054b50u) return;
    size_t p = rd32(b + e + 16);
    for (uint32_t n = rd16(b + e + 10); n > 0 && p <= e && e - p >= 46; n--) {
        uint8_t *c = b + p;
        if (rd32(c) != 0x02014b50u) return;
        size_t local = rd32(c + 42), csize = rd32(c + 20);
        p += 46 + rd16(c + 28) + rd16(c + 30) + rd16(c + 32);
        if (rd16(c + 10) != 0 || local > len || len - local < 30) continue;
        size_t start = local + 30 + rd16(b + local + 26) + rd16(b + local + 28);
        if (start > len || len - start < csize) continue;
        uint32_t crc = dp_crc32(0, b + start, csize);
        wr32(c + 16, crc);
        wr32(b + local + 14, crc);
    }
}

static void check(dp_status st, dp_mlp *m, const dp_error *err) {
    if (st != DP_OK) {
        if (m || err->msg[0] == '\0') abort();
        return;
    }
    for (size_t i = 0; i < m->n_params; i++)
        if (!isfinite(m->params[i])) abort();
    uint8_t *again = NULL;
    size_t len = 0;
    dp_mlp *back = NULL;
    if (dp_npz_encode(m, &again, &len, NULL) != DP_OK) abort();
    if (dp_npz_load_mem(again, len, &back, NULL) != DP_OK || !dp_mlp_same_shape(m, back) ||
        memcmp(m->params, back->params, m->n_params * sizeof(float)) != 0)
        abort();
    free(again);
    dp_mlp_destroy(back);
    dp_mlp_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const uint8_t flags = data[0];
    size_t len = size - 1;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) return 0;
    memcpy(buf, data + 1, len);
    if (flags & 1) fix_crcs(buf, len);
    dp_mlp *m = NULL;
    dp_error err;
    /* The status first: arguments are evaluated in no fixed order, so m must
     * not be read in the same call that sets it. */
    dp_status st = dp_npz_load_mem(buf, len, &m, &err);
    check(st, m, &err);
    if (flags & 2) {
        if (!path[0]) {
            if (!mkdtemp(dir)) abort();
            atexit(cleanup);
            snprintf(path, sizeof path, "%s/model.npz", dir);
        }
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) abort();
        m = NULL;
        st = dp_npz_load(path, &m, &err);
        check(st, m, &err);
        m = NULL;
        st = dp_model_load_any(path, &m, NULL, &err);
        check(st, m, &err);
    }
    free(buf);
    return 0;
}
