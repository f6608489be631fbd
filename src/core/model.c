/* .dpm model files (docs/model-format.md).
 *
 * Versions 1 and 2, every integer and float little-endian, written and read
 * byte by byte so the host's byte order never matters:
 *
 *   off  size  field
 *     0     8  magic "DPM1\r\n\x1a\n"
 *     8     4  u32 format version (1 or 2)
 *    12     4  u32 header size (204 in version 1, 268 in version 2): offset of
 *              the first parameter
 *    16     4  u32 layer count (2)
 *    20  2x12  per layer: u32 inputs, u32 outputs, u32 activation (1 relu, 2 softmax)
 *    44     4  u32 epochs
 *    48     8  u64 samples seen
 *    56     4  f32 test accuracy (negative = unknown)
 *    60     8  u64 seed
 *    68     8  i64 created (unix seconds)
 *    76   128  note, UTF-8, NUL-padded, at least one NUL
 *  version 2 only, the run's settings (dp_model_run):
 *   204     4  u32 known (0 or 1)
 *   208  4x10  f32 lr, f32 lr_min, u32 schedule (0..2), u32 batch, f32 momentum,
 *              f32 weight decay, u32 epochs, u32 threads, u32 augment on (0/1),
 *              f32 max shift
 *   248  4x5   f32 max rotate, max scale, max shear, elastic alpha, elastic sigma
 *   H     4*P  f32 parameters W1 (n_in x n_hidden, row-major), b1, W2, b2
 *              (H = header size)
 *  end-4    4  u32 CRC-32 of every byte before it
 *
 * Loading validates the header, the length, the CRC and that every
 * parameter is finite before a network is created, then that no input in
 * [0,1] can overflow its forward pass (dp_mlp_activation_bound). */
#include "digitpad/model.h"

#include "bytes.h"
#include "digitpad/fileio.h"
#include "fileio.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static const uint8_t DPM_MAGIC[8] = {'D', 'P', 'M', '1', '\r', '\n', 0x1a, '\n'};

enum {
    ACT_RELU = 1,
    ACT_SOFTMAX = 2,
    DPM_LAYERS = 2,
    OFF_VERSION = 8,
    OFF_HEADER_SIZE = 12,
    OFF_LAYER_COUNT = 16,
    OFF_LAYERS = 20,
    LAYER_LEN = 12,
    OFF_EPOCHS = 44,
    OFF_SAMPLES = 48,
    OFF_ACCURACY = 56,
    OFF_SEED = 60,
    OFF_CREATED = 68,
    OFF_NOTE = 76,
    NOTE_LEN = 128,
    HEADER_LEN_V1 = 204,
    OFF_RUN = 204,
    RUN_FIELDS = 16, /* known + 15 settings, 4 bytes each */
    HEADER_LEN_V2 = OFF_RUN + 4 * RUN_FIELDS,
    CRC_LEN = 4
};

static uint32_t header_len(uint32_t version) {
    return version == 1 ? HEADER_LEN_V1 : HEADER_LEN_V2;
}

uint32_t dp_crc32(uint32_t crc, const void *data, size_t len) {
    const Bytef *p = data;
    while (len > 0) {
        uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
        crc = (uint32_t)crc32(crc, p, n);
        p += n;
        len -= n;
    }
    return crc;
}

static uint64_t param_count(uint64_t n_in, uint64_t n_hidden, uint64_t n_out) {
    return n_in * n_hidden + n_hidden + n_hidden * n_out + n_out;
}

/* ---- the run's settings (version 2) ---- */

/* The 16 fields in file order; f: 1 = f32, 0 = u32. */
static void run_fields(dp_model_run *r, void *field[RUN_FIELDS], int f[RUN_FIELDS]) {
    void *const p[RUN_FIELDS] = {&r->known,
                                 &r->lr,
                                 &r->lr_min,
                                 &r->schedule,
                                 &r->batch,
                                 &r->momentum,
                                 &r->weight_decay,
                                 &r->epochs,
                                 &r->threads,
                                 &r->augment.enabled,
                                 &r->augment.max_shift,
                                 &r->augment.max_rotate,
                                 &r->augment.max_scale,
                                 &r->augment.max_shear,
                                 &r->augment.elastic_alpha,
                                 &r->augment.elastic_sigma};
    static const int is_float[RUN_FIELDS] = {0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < RUN_FIELDS; i++) {
        field[i] = p[i];
        f[i] = is_float[i];
    }
}

static void decode_run(const uint8_t *b, dp_model_run *r) {
    void *field[RUN_FIELDS];
    int f[RUN_FIELDS];
    run_fields(r, field, f);
    for (int i = 0; i < RUN_FIELDS; i++) {
        uint32_t u = dp__get32(b + 4 * i);
        if (f[i])
            *(float *)field[i] = dp__bits_float(u);
        else
            *(int *)field[i] = u > INT32_MAX ? -1 : (int)u; /* out of range: refused later */
    }
}

static void encode_run(uint8_t *b, const dp_model_run *run) {
    dp_model_run r = *run;
    void *field[RUN_FIELDS];
    int f[RUN_FIELDS];
    run_fields(&r, field, f);
    for (int i = 0; i < RUN_FIELDS; i++)
        dp__put32(b + 4 * i,
                  f[i] ? dp__float_bits(*(float *)field[i]) : (uint32_t) * (int *)field[i]);
}

/* NULL if the settings can be stored and read back, else what is wrong. */
static const char *run_problem(const dp_model_run *r) {
    if (r->known != 0 && r->known != 1) return "run settings flag is not 0 or 1";
    if (!r->known) return NULL;
    const float fl[] = {r->lr,
                        r->lr_min,
                        r->momentum,
                        r->weight_decay,
                        r->augment.max_shift,
                        r->augment.max_rotate,
                        r->augment.max_scale,
                        r->augment.max_shear,
                        r->augment.elastic_alpha,
                        r->augment.elastic_sigma};
    for (size_t i = 0; i < sizeof fl / sizeof *fl; i++)
        if (!dp__bits_finite(dp__float_bits(fl[i]))) return "a run setting is not a finite number";
    if (r->schedule < 0 || r->schedule > 2) return "unknown learning-rate schedule in run settings";
    if (r->batch < 0 || r->epochs < 0 || r->threads < 0) return "negative count in run settings";
    if (r->augment.enabled != 0 && r->augment.enabled != 1)
        return "augmentation flag is not 0 or 1";
    return NULL;
}

/* ---- reading ---- */

/* Parse the fixed header (first avail bytes of the file) into info and
 * compute the total file length it implies. Checks only what is needed to
 * trust that length; content checks come after the CRC. */
static dp_status parse_header(const uint8_t *buf, size_t avail, const char *name,
                              dp_model_info *info, uint64_t *expected, dp_error *err) {
    if (avail == 0) return dp_error_set(err, DP_ERR_TRUNCATED, "%s: empty, not a model", name);
    size_t m = avail < sizeof DPM_MAGIC ? avail : sizeof DPM_MAGIC;
    if (memcmp(buf, DPM_MAGIC, m) != 0)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: not a digitpad model (bad magic bytes)", name);
    if (avail < OFF_LAYER_COUNT)
        return dp_error_set(err, DP_ERR_TRUNCATED, "%s: only %zu bytes, too short for a model",
                            name, avail);
    info->version = dp__get32(buf + OFF_VERSION);
    if (info->version < 1 || info->version > DP_MODEL_VERSION)
        return dp_error_set(err, DP_ERR_VERSION,
                            "%s: model format version %u, this program reads versions 1 to %u",
                            name, (unsigned)info->version, (unsigned)DP_MODEL_VERSION);
    const uint32_t header_size = dp__get32(buf + OFF_HEADER_SIZE), want = header_len(info->version);
    if (header_size != want)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: header size %u, version %u uses %u", name,
                            (unsigned)header_size, (unsigned)info->version, (unsigned)want);
    if (avail < want)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: only %zu bytes, shorter than the %u-byte header", name, avail,
                            (unsigned)want);
    uint32_t layers = dp__get32(buf + OFF_LAYER_COUNT);
    if (layers != DPM_LAYERS)
        return dp_error_set(err, DP_ERR_SHAPE, "%s: %u layers, this program supports %d", name,
                            (unsigned)layers, DPM_LAYERS);
    uint32_t dim[DPM_LAYERS][2], act[DPM_LAYERS];
    for (int l = 0; l < DPM_LAYERS; l++) {
        const uint8_t *p = buf + OFF_LAYERS + l * LAYER_LEN;
        dim[l][0] = dp__get32(p);
        dim[l][1] = dp__get32(p + 4);
        act[l] = dp__get32(p + 8);
        for (int k = 0; k < 2; k++)
            if (dim[l][k] < 1 || dim[l][k] > DP_MAX_UNITS)
                return dp_error_set(err, DP_ERR_RANGE, "%s: layer %d has %u %s (must be 1..%d)",
                                    name, l + 1, (unsigned)dim[l][k], k ? "outputs" : "inputs",
                                    DP_MAX_UNITS);
    }
    if (dim[1][0] != dim[0][1])
        return dp_error_set(err, DP_ERR_SHAPE, "%s: layer 1 has %u outputs but layer 2 %u inputs",
                            name, (unsigned)dim[0][1], (unsigned)dim[1][0]);
    info->n_in = (int)dim[0][0];
    info->n_hidden = (int)dim[0][1];
    info->n_out = (int)dim[1][1];
    info->act_hidden = (int)act[0];
    info->act_out = (int)act[1];
    dp_model_meta *mt = &info->meta;
    mt->epochs = dp__get32(buf + OFF_EPOCHS);
    mt->samples_seen = dp__get64(buf + OFF_SAMPLES);
    mt->test_accuracy = dp__bits_float(dp__get32(buf + OFF_ACCURACY));
    mt->seed = dp__get64(buf + OFF_SEED);
    mt->created_unix = (int64_t)dp__get64(buf + OFF_CREATED);
    memcpy(mt->note, buf + OFF_NOTE, NOTE_LEN);
    mt->note[NOTE_LEN - 1] = '\0';
    if (info->version >= 2) decode_run(buf + OFF_RUN, &mt->run);
    *expected = want + 4 * param_count(dim[0][0], dim[0][1], dim[1][1]) + CRC_LEN;
    return DP_OK;
}

static dp_status check_length(uint64_t expected, uint64_t len, const char *name,
                              const dp_model_info *info, dp_error *err) {
    if (len < expected)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: %llu bytes, but a %d-%d-%d network needs %llu: file is truncated",
                            name, (unsigned long long)len, info->n_in, info->n_hidden, info->n_out,
                            (unsigned long long)expected);
    if (len > expected)
        return dp_error_set(
            err, DP_ERR_FORMAT, "%s: %llu unexpected bytes after the end of a %d-%d-%d model", name,
            (unsigned long long)(len - expected), info->n_in, info->n_hidden, info->n_out);
    return DP_OK;
}

/* Content checks on a complete file whose CRC matched. */
static dp_status check_content(const uint8_t *buf, const dp_model_info *info, size_t n_params,
                               const char *name, dp_error *err) {
    if (info->act_hidden != ACT_RELU || info->act_out != ACT_SOFTMAX)
        return dp_error_set(
            err, DP_ERR_FORMAT,
            "%s: activations %d/%d, this program supports relu (1) then softmax (2)", name,
            info->act_hidden, info->act_out);
    if (!memchr(buf + OFF_NOTE, 0, NOTE_LEN))
        return dp_error_set(err, DP_ERR_FORMAT, "%s: note is not NUL-terminated", name);
    if (!dp__bits_finite(dp__get32(buf + OFF_ACCURACY)))
        return dp_error_set(err, DP_ERR_FORMAT, "%s: test accuracy is not a finite number", name);
    const char *problem = run_problem(&info->meta.run);
    if (problem) return dp_error_set(err, DP_ERR_FORMAT, "%s: %s", name, problem);
    const uint8_t *p = buf + header_len(info->version);
    for (size_t i = 0; i < n_params; i++)
        if (!dp__bits_finite(dp__get32(p + 4 * i)))
            return dp_error_set(err, DP_ERR_FORMAT, "%s: parameter %zu is not a finite number",
                                name, i);
    return DP_OK;
}

static dp_status parse_model(const uint8_t *buf, size_t len, const char *name, dp_mlp **out,
                             dp_model_meta *meta, dp_error *err) {
    if (!out || (!buf && len)) return dp_error_set(err, DP_ERR_ARG, "%s: NULL argument", name);
    *out = NULL;
    dp_model_info info;
    memset(&info, 0, sizeof info);
    uint64_t expected = 0;
    dp_status st = parse_header(buf, len, name, &info, &expected, err);
    if (st == DP_OK) st = check_length(expected, len, name, &info, err);
    if (st != DP_OK) return st;
    uint32_t stored = dp__get32(buf + len - CRC_LEN);
    uint32_t computed = dp_crc32(0, buf, len - CRC_LEN);
    if (stored != computed)
        return dp_error_set(err, DP_ERR_CHECKSUM,
                            "%s: checksum mismatch (stored 0x%08x, computed 0x%08x): the file is "
                            "corrupted",
                            name, (unsigned)stored, (unsigned)computed);
    size_t n_params = (size_t)param_count(info.n_in, info.n_hidden, info.n_out);
    if ((st = check_content(buf, &info, n_params, name, err)) != DP_OK) return st;
    dp_mlp *m = NULL;
    if ((st = dp_mlp_create(&m, info.n_in, info.n_hidden, info.n_out)) != DP_OK)
        return dp_error_set(err, st, "%s: cannot create a %d-%d-%d network: %s", name, info.n_in,
                            info.n_hidden, info.n_out, dp_status_str(st));
    if (m->n_params != n_params) {
        dp_mlp_destroy(m);
        return dp_error_set(err, DP_ERR_SHAPE, "%s: network parameter count disagrees", name);
    }
    for (size_t i = 0; i < n_params; i++)
        m->params[i] = dp__bits_float(dp__get32(buf + header_len(info.version) + 4 * i));
    if ((st = dp_io_check_usable(m, name, err)) != DP_OK) { /* finite but huge weights */
        dp_mlp_destroy(m);
        return st;
    }
    if (meta) *meta = info.meta;
    *out = m;
    return DP_OK;
}

dp_status dp_model_load_mem(const uint8_t *buf, size_t len, dp_mlp **out, dp_model_meta *meta,
                            dp_error *err) {
    return parse_model(buf, len, "model data", out, meta, err);
}

/* Read a model file header first and the rest only if the file has exactly
 * the length the header implies, so a hostile header costs no allocation. */
static dp_status read_model_file(const char *path, uint8_t **data, size_t *len, dp_model_info *info,
                                 dp_error *err) {
    *data = NULL;
    int fd;
    uint64_t size;
    dp_status st = dp_io_open_regular(path, &fd, &size, err);
    if (st != DP_OK) return st;
    info->file_size = size;
    uint8_t head[HEADER_LEN_V2]; /* the longest header */
    size_t hlen = size < HEADER_LEN_V2 ? (size_t)size : HEADER_LEN_V2;
    uint64_t expected = 0;
    st = dp_io_read_exact(fd, head, hlen, path, err);
    if (st == DP_OK) st = parse_header(head, hlen, path, info, &expected, err);
    if (st == DP_OK) st = check_length(expected, size, path, info, err);
    if (st == DP_OK && size > SIZE_MAX)
        st = dp_error_set(err, DP_ERR_RANGE, "%s: too large for this system", path);
    uint8_t *buf = NULL;
    if (st == DP_OK && !(buf = malloc((size_t)size)))
        st = dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory for %llu bytes", path,
                          (unsigned long long)size);
    if (st == DP_OK) {
        memcpy(buf, head, hlen);
        st = dp_io_read_exact(fd, buf + hlen, (size_t)size - hlen, path, err);
    }
    close(fd);
    if (st != DP_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = (size_t)size;
    return DP_OK;
}

dp_status dp_model_load(const char *path, dp_mlp **out, dp_model_meta *meta, dp_error *err) {
    if (!path || !out) return dp_error_set(err, DP_ERR_ARG, "dp_model_load: NULL argument");
    *out = NULL;
    dp_model_info info;
    memset(&info, 0, sizeof info);
    uint8_t *buf;
    size_t len;
    dp_status st = read_model_file(path, &buf, &len, &info, err);
    if (st != DP_OK) return st;
    st = parse_model(buf, len, path, out, meta, err);
    free(buf);
    return st;
}

dp_status dp_model_inspect(const char *path, dp_model_info *info, dp_error *err) {
    if (!path || !info) return dp_error_set(err, DP_ERR_ARG, "dp_model_inspect: NULL argument");
    memset(info, 0, sizeof *info);
    uint8_t *buf;
    size_t len;
    dp_status st = read_model_file(path, &buf, &len, info, err);
    if (st != DP_OK) return st;
    info->crc_stored = dp__get32(buf + len - CRC_LEN);
    info->crc_computed = dp_crc32(0, buf, len - CRC_LEN);
    info->checksum_ok = info->crc_stored == info->crc_computed;
    free(buf);
    return DP_OK;
}

/* ---- writing ---- */

static dp_status check_savable(const dp_mlp *m, const dp_model_meta *meta, dp_error *err) {
    dp_status st = dp_io_check_savable(m, "dp_model_save", err);
    if (st != DP_OK) return st;
    if (meta && !dp__bits_finite(dp__float_bits(meta->test_accuracy)))
        return dp_error_set(err, DP_ERR_ARG, "test accuracy is not a finite number");
    const char *problem = meta ? run_problem(&meta->run) : NULL;
    if (problem) return dp_error_set(err, DP_ERR_ARG, "dp_model_save: %s", problem);
    return DP_OK;
}

static void encode(uint8_t *buf, size_t len, const dp_mlp *m, const dp_model_meta *meta) {
    const uint32_t version = meta->run.known ? 2 : 1, header = header_len(version);
    memset(buf, 0, header);
    memcpy(buf, DPM_MAGIC, sizeof DPM_MAGIC);
    dp__put32(buf + OFF_VERSION, version);
    dp__put32(buf + OFF_HEADER_SIZE, header);
    dp__put32(buf + OFF_LAYER_COUNT, DPM_LAYERS);
    const uint32_t layer[DPM_LAYERS][3] = {
        {(uint32_t)m->n_in, (uint32_t)m->n_hidden, ACT_RELU},
        {(uint32_t)m->n_hidden, (uint32_t)m->n_out, ACT_SOFTMAX}};
    for (int l = 0; l < DPM_LAYERS; l++)
        for (int k = 0; k < 3; k++)
            dp__put32(buf + OFF_LAYERS + l * LAYER_LEN + 4 * k, layer[l][k]);
    dp__put32(buf + OFF_EPOCHS, meta->epochs);
    dp__put64(buf + OFF_SAMPLES, meta->samples_seen);
    dp__put32(buf + OFF_ACCURACY, dp__float_bits(meta->test_accuracy));
    dp__put64(buf + OFF_SEED, meta->seed);
    dp__put64(buf + OFF_CREATED, (uint64_t)meta->created_unix);
    /* At most NOTE_LEN-1 bytes of the note, so it always ends in a NUL. */
    size_t note = strnlen(meta->note, NOTE_LEN - 1);
    memcpy(buf + OFF_NOTE, meta->note, note);
    if (version >= 2) encode_run(buf + OFF_RUN, &meta->run);
    for (size_t i = 0; i < m->n_params; i++)
        dp__put32(buf + header + 4 * i, dp__float_bits(m->params[i]));
    dp__put32(buf + len - CRC_LEN, dp_crc32(0, buf, len - CRC_LEN));
}

dp_status dp_model_save(const char *path, const dp_mlp *m, const dp_model_meta *meta,
                        dp_error *err) {
    if (!path || !*path) return dp_error_set(err, DP_ERR_ARG, "dp_model_save: no path given");
    dp_status st = check_savable(m, meta, err);
    if (st != DP_OK) return st;
    dp_model_meta mt;
    memset(&mt, 0, sizeof mt);
    mt.test_accuracy = -1.0f;
    if (meta) mt = *meta;
    if (mt.created_unix == 0) mt.created_unix = (int64_t)time(NULL);
    uint64_t len64 = header_len(mt.run.known ? 2 : 1) + 4 * (uint64_t)m->n_params + CRC_LEN;
    if (len64 > SIZE_MAX) return dp_error_set(err, DP_ERR_RANGE, "%s: model too large", path);
    size_t len = (size_t)len64;
    uint8_t *buf = malloc(len);
    if (!buf) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
    encode(buf, len, m, &mt);
    st = dp_write_file_atomic(path, buf, len, err);
    free(buf);
    return st;
}
