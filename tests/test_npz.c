/* NumPy .npz and ONNX files: exact round trip, the bytes numpy expects,
 * every truncation and every flipped byte of a small archive, hostile
 * contents (NaN, wrong names, shapes and dtypes), atomic saving, and the
 * ONNX model's top-level fields. Files written by numpy itself and read by
 * onnx/OpenCV/PyTorch are checked by tests/interchange.sh. */
#include "digitpad/model.h"
#include "digitpad/npz.h"
#include "digitpad/onnx.h"

#include "scratch.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static char dir[4096];

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t le16(const uint8_t *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}

/* A 5-4-3 network with awkward values: negative zero, a denormal, huge and
 * tiny magnitudes. */
static dp_mlp *make_net(void) {
    dp_mlp *m = NULL;
    CHECK(dp_mlp_create(&m, 5, 4, 3) == DP_OK && m);
    if (!m) exit(1);
    for (size_t i = 0; i < m->n_params; i++)
        m->params[i] = (float)sin((double)i * 1.3) * powf(10.0f, (float)(i % 5) - 2.0f);
    m->params[1] = -0.0f;
    m->params[2] = 1e-40f;
    m->params[3] = -3.0e30f; /* as large as a usable network's weights can be */
    return m;
}

static int same_params(const dp_mlp *a, const dp_mlp *b) {
    return a && b && dp_mlp_same_shape(a, b) &&
           memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0;
}

/* Load from memory; on failure check the contract: no network, a message. */
static dp_status load(const uint8_t *buf, size_t len, dp_mlp **out) {
    dp_error err = {0};
    dp_status st = dp_npz_load_mem(buf, len, out, &err);
    if (st != DP_OK) {
        CHECKF(*out == NULL, "failed load returned a network");
        CHECKF(err.msg[0] != '\0' && err.status == st, "failed load without a message");
    }
    return st;
}

static void test_round_trip(void) {
    dp_mlp *m = make_net(), *back = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    CHECK(dp_npz_encode(m, &buf, &len, NULL) == DP_OK && buf);
    CHECK(load(buf, len, &back) == DP_OK);
    CHECKF(same_params(m, back), "npz round trip is not bit-exact");
    dp_mlp_destroy(back);
    free(buf);
    dp_mlp_destroy(m);
}

/* The layout numpy.load reads, checked field by field from the zip
 * specification (not from the writer's code). */
static void test_layout(void) {
    dp_mlp *m = make_net();
    uint8_t *b = NULL;
    size_t len = 0;
    CHECK(dp_npz_encode(m, &b, &len, NULL) == DP_OK);
    static const char *const names[] = {"W1.npy", "b1.npy", "W2.npy", "b2.npy"};
    static const char *const dicts[] = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 4), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"};
    const float *values[] = {m->W1, m->b1, m->W2, m->b2};
    const size_t counts[] = {20, 4, 12, 3};
    size_t at = 0;
    for (int k = 0; k < 4; k++) {
        const uint8_t *l = b + at;
        CHECKF(le32(l) == 0x04034b50u, "member %d: local header signature", k);
        CHECK(le16(l + 8) == 0); /* stored */
        uint32_t size = le32(l + 18);
        CHECK(le32(l + 22) == size);
        size_t nlen = le16(l + 26);
        CHECK(nlen == 6 && memcmp(l + 30, names[k], 6) == 0);
        const uint8_t *npy = l + 30 + nlen + le16(l + 28);
        CHECK(memcmp(npy, "\x93NUMPY\x01\x00", 8) == 0);
        size_t hlen = le16(npy + 8);
        CHECKF((10 + hlen) % 64 == 0, "member %d: .npy header of %zu bytes is not 64-aligned", k,
               hlen);
        size_t dlen = strlen(dicts[k]);
        CHECKF(hlen > dlen && memcmp(npy + 10, dicts[k], dlen) == 0, "member %d: header dict", k);
        CHECK(npy[10 + hlen - 1] == '\n');
        CHECK(size == 10 + hlen + 4 * counts[k]);
        CHECKF(le32(l + 14) == (uint32_t)crc32(0, npy, size), "member %d: CRC-32", k);
        int values_ok = 1;
        for (size_t i = 0; i < counts[k]; i++) {
            uint32_t u;
            memcpy(&u, &values[k][i], 4);
            values_ok &= le32(npy + 10 + hlen + 4 * i) == u;
        }
        CHECKF(values_ok, "member %d: values are not little-endian float32 in order", k);
        at = (size_t)(npy - b) + size;
    }
    const uint8_t *e = b + len - 22;
    CHECK(le32(e) == 0x06054b50u && le16(e + 8) == 4 && le16(e + 10) == 4);
    CHECK(le32(e + 16) == at && le32(e + 12) == len - 22 - at);
    free(b);
    dp_mlp_destroy(m);
}

/* Every prefix of a valid archive is refused; every single flipped byte is
 * either refused or (a field the reader ignores) gives the same network. */
static void test_damage(void) {
    dp_mlp *m = make_net();
    uint8_t *b = NULL;
    size_t len = 0;
    CHECK(dp_npz_encode(m, &b, &len, NULL) == DP_OK);
    int accepted_prefix = 0, wrong_network = 0;
    for (size_t n = 0; n < len; n++) {
        dp_mlp *back = NULL;
        if (load(b, n, &back) == DP_OK) {
            accepted_prefix++;
            dp_mlp_destroy(back);
        }
    }
    CHECKF(accepted_prefix == 0, "%d truncated archives were accepted", accepted_prefix);
    uint8_t *c = malloc(len);
    for (size_t i = 0; i < len; i++) {
        memcpy(c, b, len);
        c[i] ^= 0x5a;
        dp_mlp *back = NULL;
        if (load(c, len, &back) == DP_OK) {
            if (!same_params(m, back)) wrong_network++;
            dp_mlp_destroy(back);
        }
    }
    CHECKF(wrong_network == 0, "%d flipped bytes gave a different network", wrong_network);
    free(c);
    free(b);
    dp_mlp_destroy(m);
}

/* Rename a member (same length) in its local header and the directory. */
static void rename_member(uint8_t *b, size_t len, const char *from, const char *to) {
    for (size_t i = 0; i + 6 <= len; i++)
        if (memcmp(b + i, from, 6) == 0) memcpy(b + i, to, 6);
}

static dp_status load_expect(const uint8_t *b, size_t len, dp_status want, const char *needle) {
    dp_mlp *back = NULL;
    dp_error err = {0};
    dp_status st = dp_npz_load_mem(b, len, &back, &err);
    CHECKF(st == want, "status %d (%s), expected %d", st, err.msg, want);
    CHECKF(!needle || strstr(err.msg, needle), "message '%s' lacks '%s'", err.msg, needle);
    dp_mlp_destroy(back);
    return st;
}

static void test_hostile(void) {
    dp_mlp *m = make_net();
    uint8_t *b = NULL;
    size_t len = 0;
    CHECK(dp_npz_encode(m, &b, &len, NULL) == DP_OK);
    uint8_t *c = malloc(len);

    memcpy(c, b, len);
    rename_member(c, len, "b2.npy", "b3.npy");
    load_expect(c, len, DP_ERR_SHAPE, "b3.npy");

    memcpy(c, b, len);
    rename_member(c, len, "b2.npy", "b1.npy");
    load_expect(c, len, DP_ERR_FORMAT, "twice");

    /* A NaN and an infinity in the values, with the member CRC fixed so the
     * value check itself is reached. */
    static const uint32_t bad[] = {0x7fc00000u, 0xff800000u};
    for (int k = 0; k < 2; k++) {
        memcpy(c, b, len);
        /* W2 is the third member: find its data and the CRC in its header. */
        size_t at = 0;
        for (int i = 0; i < 2; i++) at += 30 + 6 + le32(c + at + 18);
        uint8_t *npy = c + at + 36;
        size_t hlen = le16(npy + 8);
        for (int i = 0; i < 4; i++) npy[10 + hlen + 4 * 5 + i] = (uint8_t)(bad[k] >> (8 * i));
        uint32_t crc = (uint32_t)crc32(0, npy, le32(c + at + 18));
        for (int i = 0; i < 4; i++) c[at + 14 + i] = (uint8_t)(crc >> (8 * i));
        /* The directory entry carries the CRC too. */
        for (size_t p = len - 22 - 4 * 52; p + 46 < len; p++)
            if (le32(c + p) == 0x02014b50u && memcmp(c + p + 46, "W2.npy", 6) == 0)
                for (int i = 0; i < 4; i++) c[p + 16 + i] = (uint8_t)(crc >> (8 * i));
        load_expect(c, len, DP_ERR_RANGE, k ? "W2[1][2] is infinite" : "W2[1][2] is NaN");
    }

    /* Not a zip at all; an empty buffer. */
    load_expect((const uint8_t *)"DPM1\r\n\x1a\nxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 36, DP_ERR_FORMAT,
                "not a zip");
    load_expect(b, 0, DP_ERR_FORMAT, NULL);
    free(c);
    free(b);
    dp_mlp_destroy(m);
}

static void test_files(void) {
    dp_mlp *m = make_net(), *back = NULL;
    const char *npz = dpt_path(dir, "m.npz"), *dpm = dpt_path(dir, "m.dpm");
    dp_error err = {0};
    CHECK(dp_npz_save(npz, m, &err) == DP_OK);
    CHECK(dp_npz_load(npz, &back, &err) == DP_OK && same_params(m, back));
    dp_mlp_destroy(back);
    back = NULL;

    /* dp_model_load_any tells the two formats apart by content. */
    CHECK(dp_model_save(dpm, m, NULL, &err) == DP_OK);
    dp_model_meta meta;
    CHECK(dp_model_load_any(npz, &back, &meta, &err) == DP_OK && same_params(m, back));
    CHECK(meta.test_accuracy < 0 && strstr(meta.note, "imported from m.npz"));
    dp_mlp_destroy(back);
    back = NULL;
    CHECK(dp_model_load_any(dpm, &back, NULL, &err) == DP_OK && same_params(m, back));
    dp_mlp_destroy(back);
    back = NULL;

    /* A network with a NaN is not saved, and the good file stays. */
    size_t before_len = 0, after_len = 0;
    uint8_t *before = dpt_read_file(npz, &before_len);
    m->W1[7] = NAN;
    CHECK(dp_npz_save(npz, m, &err) == DP_ERR_RANGE);
    CHECK(dp_onnx_save(dpt_path(dir, "m.onnx"), m, &err) == DP_ERR_RANGE);
    uint8_t *after = dpt_read_file(npz, &after_len);
    CHECK(before && after && before_len == after_len && !memcmp(before, after, before_len));
    free(before);
    free(after);

    CHECK(dp_npz_load(dpt_path(dir, "missing.npz"), &back, &err) == DP_ERR_NOT_FOUND && !back);
    CHECK(dp_npz_save("/nonexistent-dir/m.npz", m, &err) == DP_ERR_RANGE); /* NaN first */
    m->W1[7] = 0.5f;
    CHECK(dp_npz_save("/nonexistent-dir/m.npz", m, &err) == DP_ERR_IO);
    dp_mlp_destroy(m);
    remove(npz);
    remove(dpm);
}

/* ---- ONNX: the top-level fields, read with a minimal protobuf walker ---- */

static uint64_t varint(const uint8_t **p, const uint8_t *end) {
    uint64_t v = 0;
    for (int s = 0; *p < end && s < 64; s += 7) {
        uint8_t c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << s;
        if (!(c & 0x80)) break;
    }
    return v;
}

static void test_onnx(void) {
    dp_mlp *m = make_net();
    uint8_t *b = NULL;
    size_t len = 0;
    CHECK(dp_onnx_encode(m, &b, &len, NULL) == DP_OK && b);
    const uint8_t *p = b, *end = b + len;
    uint64_t ir = 0, opset = 0;
    size_t graph_len = 0;
    int fields = 0, bad = 0;
    while (p < end) {
        uint64_t key = varint(&p, end);
        fields++;
        if ((key & 7) == 0) {
            uint64_t v = varint(&p, end);
            if (key >> 3 == 1) ir = v;
        } else if ((key & 7) == 2) {
            uint64_t n = varint(&p, end);
            if (n > (uint64_t)(end - p)) {
                bad = 1;
                break;
            }
            if (key >> 3 == 7) graph_len = (size_t)n;
            if (key >> 3 == 8) { /* OperatorSetIdProto: version is field 2 */
                const uint8_t *q = p;
                while (q < p + n) {
                    uint64_t k2 = varint(&q, p + n), v2 = varint(&q, p + n);
                    if (k2 == (2 << 3 | 0)) opset = v2;
                }
            }
            p += n;
        } else {
            bad = 1;
            break;
        }
    }
    CHECKF(!bad && p == end, "ONNX model is not a well-formed protobuf message");
    CHECK(ir == DP_ONNX_IR_VERSION && opset == DP_ONNX_OPSET && fields == 5);
    /* The graph holds every parameter once, as float32 raw data. */
    CHECKF(graph_len > 4 * m->n_params, "graph of %zu bytes for %zu parameters", graph_len,
           m->n_params);
    free(b);
    dp_mlp_destroy(m);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    test_round_trip();
    test_layout();
    test_damage();
    test_hostile();
    test_files();
    test_onnx();
    dpt_remove_scratch(dir);
    return dpt_finish();
}
