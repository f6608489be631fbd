/* .dpm files: exact round trip, byte layout, every kind of damage, and
 * atomic saving that never destroys a good file. */
#include "digitpad/fileio.h"
#include "digitpad/model.h"
#include "digitpad/npz.h"

#include "memlimit.h"
#include "scratch.h"
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define HEADER 204u

static char dir[4096];

static const char *path_of(const char *name) {
    return dpt_path(dir, name);
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
/* Recompute the trailing CRC so only a deliberate edit is "wrong". */
static void fix_crc(uint8_t *b, size_t len) {
    put_le32(b + len - 4, dp_crc32(0, b, len - 4));
}

/* A 5-4-3 network with awkward values: negative zero, a denormal, big and
 * tiny magnitudes (3e30: as large as a usable network's weights can be). */
static dp_mlp *make_net(int n_in, int n_hidden, int n_out) {
    dp_mlp *m = NULL;
    CHECK(dp_mlp_create(&m, n_in, n_hidden, n_out) == DP_OK && m);
    if (!m) exit(1);
    for (size_t i = 0; i < m->n_params; i++)
        m->params[i] = (float)sin((double)i * 1.7) * powf(10.0f, (float)(i % 7) - 3.0f);
    m->params[1] = -0.0f;
    m->params[2] = 1e-40f;
    m->params[3] = 3.0e30f;
    return m;
}

static dp_model_meta make_meta(void) {
    dp_model_meta mt;
    memset(&mt, 0, sizeof mt);
    mt.epochs = 7;
    mt.samples_seen = 1234567890123ull;
    mt.test_accuracy = 0.9876f;
    mt.seed = 0xdeadbeefcafebabeull;
    mt.created_unix = 1700000000;
    snprintf(mt.note, sizeof mt.note, "digitpad-cli train --epochs 7");
    return mt;
}

static int same_meta(const dp_model_meta *a, const dp_model_meta *b) {
    return a->epochs == b->epochs && a->samples_seen == b->samples_seen &&
           memcmp(&a->test_accuracy, &b->test_accuracy, sizeof(float)) == 0 && a->seed == b->seed &&
           a->created_unix == b->created_unix && strcmp(a->note, b->note) == 0 &&
           memcmp(&a->run, &b->run, sizeof a->run) == 0;
}

static int same_params(const dp_mlp *a, const dp_mlp *b) {
    return dp_mlp_same_shape(a, b) && a->n_params == b->n_params &&
           memcmp(a->params, b->params, a->n_params * sizeof(float)) == 0;
}

/* Any damage must give an error, no network and a message. */
static dp_status load_damaged(const uint8_t *b, size_t len, int line) {
    dp_mlp *m = (dp_mlp *)&m; /* must be overwritten with NULL */
    dp_error e = {0};
    dp_status st = dp_model_load_mem(b, len, &m, NULL, &e);
    CHECKF(st != DP_OK && m == NULL && e.msg[0], "line %d: len %zu: %s", line, len, e.msg);
    if (st == DP_OK) dp_mlp_destroy(m);
    return st;
}

/* Load a copy of good with the u32 at off set to v and a valid CRC. */
static dp_status load_edited(const uint8_t *good, size_t len, size_t off, uint32_t v) {
    uint8_t *b = malloc(len);
    memcpy(b, good, len);
    put_le32(b + off, v);
    fix_crc(b, len);
    dp_status st = load_damaged(b, len, __LINE__);
    free(b);
    return st;
}

/* Version 2: the run's settings kept in the header, at the documented
 * offsets; a version-1 file of the same network still loads, with
 * run.known == 0; damaged settings are refused. */
static void test_run_settings(void) {
    dp_mlp *m = make_net(5, 4, 3), *back = NULL;
    dp_model_meta mt = make_meta(), got;
    mt.run = (dp_model_run){.known = 1,
                            .lr = 0.05f,
                            .lr_min = 0.001f,
                            .schedule = 1,
                            .batch = 16,
                            .momentum = 0.9f,
                            .weight_decay = 0.0005f,
                            .epochs = 3,
                            .threads = 2,
                            .augment = dp_augment_default()};
    dp_error e = {0};
    const char *p = path_of("run.dpm");
    CHECKF(dp_model_save(p, m, &mt, &e) == DP_OK, "%s", e.msg);
    CHECKF(dp_model_load(p, &back, &got, &e) == DP_OK, "%s", e.msg);
    CHECK(back && same_params(m, back) && same_meta(&mt, &got));
    dp_mlp_destroy(back);
    size_t len = 0;
    uint8_t *b = dpt_read_file(p, &len);
    CHECK(b && len == 268 + 4 * m->n_params + 4);
    if (!b) return;
    CHECK(le32(b + 8) == 2 && le32(b + 12) == 268);
    uint32_t lr_bits, sigma_bits, first;
    memcpy(&lr_bits, &mt.run.lr, 4);
    memcpy(&sigma_bits, &mt.run.augment.elastic_sigma, 4);
    memcpy(&first, &m->params[0], 4);
    CHECK(le32(b + 204) == 1 && le32(b + 208) == lr_bits && le32(b + 216) == 1);
    CHECK(le32(b + 220) == 16 && le32(b + 232) == 3 && le32(b + 236) == 2 && le32(b + 240) == 1);
    CHECK(le32(b + 264) == sigma_bits && le32(b + 268) == first);
    dp_model_info info;
    CHECK(dp_model_inspect(p, &info, &e) == DP_OK && info.version == 2 && info.checksum_ok);
    CHECK(same_meta(&info.meta, &mt));
    /* damaged settings: each refused with an error, never a network */
    const struct {
        size_t off;
        uint32_t v;
    } bad[] = {{204, 2},           {208, 0x7fc00000u}, {216, 3},
               {220, 0x80000000u}, {240, 7},           {264, 0xff800000u}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        CHECKF(load_edited(b, len, bad[k].off, bad[k].v) == DP_ERR_FORMAT, "offset %zu",
               bad[k].off);
    /* a version-1 header with the size of a version-2 one, and the reverse */
    CHECK(load_edited(b, len, 8, 1) == DP_ERR_FORMAT);
    CHECK(load_edited(b, len, 8, 3) == DP_ERR_VERSION);
    free(b);
    /* no settings: written as version 1, read back with run.known == 0 */
    mt.run.known = 0;
    CHECK(dp_model_save(p, m, &mt, &e) == DP_OK);
    CHECK(dp_model_load(p, &back, &got, &e) == DP_OK && got.run.known == 0 && back);
    b = dpt_read_file(p, &len);
    CHECK(b && le32(b + 8) == 1 && len == 204 + 4 * m->n_params + 4);
    free(b);
    dp_mlp_destroy(back);
    /* settings that could not be read back are not saved */
    mt.run = (dp_model_run){.known = 1, .lr = 0.1f, .schedule = 9};
    CHECK(dp_model_save(path_of("bad-run.dpm"), m, &mt, &e) == DP_ERR_ARG);
    dp_mlp_destroy(m);
}

static void test_crc(void) {
    CHECK(dp_crc32(0, "123456789", 9) == 0xCBF43926u);
    CHECK(dp_crc32(dp_crc32(0, "1234", 4), "56789", 5) == 0xCBF43926u);
    CHECK(dp_crc32(0, NULL, 0) == 0);
}

static void test_round_trip(void) {
    dp_mlp *m = make_net(5, 4, 3), *back = NULL;
    dp_model_meta mt = make_meta(), got;
    dp_error e = {0};
    const char *p = path_of("net.dpm");
    CHECKF(dp_model_save(p, m, &mt, &e) == DP_OK, "%s", e.msg);
    CHECKF(dp_model_load(p, &back, &got, &e) == DP_OK, "%s", e.msg);
    CHECK(back && same_params(m, back));
    CHECK(same_meta(&mt, &got));
    dp_mlp_destroy(back);

    /* The documented byte layout, little-endian whatever the host. */
    size_t len = 0;
    uint8_t *b = dpt_read_file(p, &len);
    CHECK(b && len == HEADER + 4 * m->n_params + 4);
    CHECK(memcmp(b, "DPM1\r\n\x1a\n", 8) == 0);
    /* saved without the run's settings: version 1, readable by older programs */
    CHECK(le32(b + 8) == 1 && le32(b + 12) == HEADER && le32(b + 16) == 2);
    CHECK(le32(b + 20) == 5 && le32(b + 24) == 4 && le32(b + 28) == 1);
    CHECK(le32(b + 32) == 4 && le32(b + 36) == 3 && le32(b + 40) == 2);
    CHECK(le32(b + 44) == 7 && le32(b + 48) == (uint32_t)1234567890123ull);
    CHECK(strcmp((const char *)b + 76, mt.note) == 0 && b[76 + 127] == 0);
    uint32_t bits;
    memcpy(&bits, &m->params[5], 4);
    CHECK(le32(b + HEADER + 20) == bits);
    CHECK(le32(b + len - 4) == dp_crc32(0, b, len - 4));

    /* From memory, without meta. */
    CHECK(dp_model_load_mem(b, len, &back, NULL, &e) == DP_OK && same_params(m, back));
    dp_mlp_destroy(back);

    dp_model_info info;
    CHECKF(dp_model_inspect(p, &info, &e) == DP_OK, "%s", e.msg);
    CHECK(info.version == 1 && info.n_in == 5 && info.n_hidden == 4 && info.n_out == 3 &&
          info.act_hidden == 1 && info.act_out == 2);
    CHECK(info.file_size == len && info.checksum_ok && info.crc_stored == info.crc_computed);
    CHECK(same_meta(&info.meta, &mt));
    /* A damaged parameter: inspect still reads the header and says the CRC is bad. */
    b[HEADER + 9] ^= 0x10;
    CHECK(dpt_write_file(path_of("bad.dpm"), b, len) == 0);
    CHECK(dp_model_inspect(path_of("bad.dpm"), &info, &e) == DP_OK);
    CHECK(!info.checksum_ok && info.crc_stored != info.crc_computed && info.n_hidden == 4);
    CHECK(dp_model_load(path_of("bad.dpm"), &back, NULL, &e) == DP_ERR_CHECKSUM && !back);
    CHECKF(strstr(e.msg, "bad.dpm") && strstr(e.msg, "checksum"), "%s", e.msg);
    free(b);

    /* created_unix 0 means "now"; no meta at all means unknown accuracy. */
    mt.created_unix = 0;
    time_t before = time(NULL);
    CHECK(dp_model_save(p, m, &mt, &e) == DP_OK);
    CHECK(dp_model_load(p, &back, &got, &e) == DP_OK);
    CHECK(got.created_unix >= (int64_t)before && got.created_unix <= (int64_t)time(NULL));
    dp_mlp_destroy(back);
    CHECK(dp_model_save(p, m, NULL, &e) == DP_OK);
    CHECK(dp_model_load(p, &back, &got, &e) == DP_OK && same_params(m, back));
    CHECK(got.test_accuracy < 0 && got.epochs == 0 && got.note[0] == 0 && got.created_unix > 0);
    dp_mlp_destroy(back);
    /* A note longer than the field is cut to 127 bytes and still loads. */
    memset(mt.note, 'x', sizeof mt.note);
    CHECK(dp_model_save(p, m, &mt, &e) == DP_OK);
    CHECK(dp_model_load(p, &back, &got, &e) == DP_OK && strlen(got.note) == 127);
    dp_mlp_destroy(back);
    dp_mlp_destroy(m);
}

static void test_damage(void) {
    dp_mlp *m = make_net(5, 4, 3);
    dp_model_meta mt = make_meta();
    dp_error e = {0};
    const char *p = path_of("dmg.dpm");
    CHECK(dp_model_save(p, m, &mt, &e) == DP_OK);
    size_t len = 0;
    uint8_t *good = dpt_read_file(p, &len), *b = malloc(len + 8);
    CHECK(good && b);
    if (!good || !b) return;

    /* Every prefix is truncated; one byte more is trailing garbage. */
    for (size_t n = 0; n < len; n++)
        CHECKF(load_damaged(good, n, __LINE__) == DP_ERR_TRUNCATED, "prefix %zu", n);
    memcpy(b, good, len);
    b[len] = 0;
    CHECK(load_damaged(b, len + 1, __LINE__) == DP_ERR_FORMAT);
    const size_t cuts[] = {0, 5, 8, 100, HEADER - 1, HEADER, HEADER + 7, len - 4, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        CHECK(dpt_write_file(path_of("cut.dpm"), good, cuts[i]) == 0);
        dp_mlp *back = NULL;
        dp_status st = dp_model_load(path_of("cut.dpm"), &back, NULL, &e);
        CHECKF(st == DP_ERR_TRUNCATED && !back && strstr(e.msg, "cut.dpm"), "cut %zu: %s", cuts[i],
               e.msg);
        dp_model_info info;
        CHECK(dp_model_inspect(path_of("cut.dpm"), &info, &e) == DP_ERR_TRUNCATED);
    }

    /* Every single-byte flip in the header, some in the parameters and CRC. */
    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    for (size_t off = 0; off < len; off += off < HEADER ? 1 : 37) {
        for (int k = 0; k < 3; k++) {
            memcpy(b, good, len);
            b[off] ^= masks[k];
            dp_status st = load_damaged(b, len, __LINE__);
            /* Fields that do not decide the file length can only show up
             * as a checksum mismatch. */
            if (off >= 44)
                CHECKF(st == DP_ERR_CHECKSUM, "offset %zu: %s", off, dp_status_str(st));
            else if (off < 8)
                CHECKF(st == DP_ERR_FORMAT, "offset %zu: %s", off, dp_status_str(st));
        }
    }

    /* Single deliberate errors with a valid CRC. */
    memcpy(b, good, len);
    put_le32(b + 8, 99);
    fix_crc(b, len);
    dp_mlp *back = NULL;
    CHECK(dp_model_load_mem(b, len, &back, NULL, &e) == DP_ERR_VERSION && !back);
    CHECKF(strstr(e.msg, "version 99"), "%s", e.msg);
    CHECK(dpt_write_file(path_of("v99.dpm"), b, len) == 0);
    CHECK(dp_model_load(path_of("v99.dpm"), &back, NULL, &e) == DP_ERR_VERSION);
    dp_model_info info;
    CHECK(dp_model_inspect(path_of("v99.dpm"), &info, &e) == DP_ERR_VERSION && info.version == 99);

    CHECK(load_edited(good, len, HEADER + 4 * 10, 0x7fc00000u) == DP_ERR_FORMAT); /* NaN */
    CHECK(load_edited(good, len, HEADER + 4 * 10, 0xff800000u) == DP_ERR_FORMAT); /* -inf */
    CHECK(load_edited(good, len, 56, 0x7f800000u) == DP_ERR_FORMAT); /* accuracy +inf */
    CHECK(load_edited(good, len, 28, 3) == DP_ERR_FORMAT);           /* unknown activation */
    CHECK(load_edited(good, len, 40, 1) == DP_ERR_FORMAT);           /* relu output layer */
    CHECK(load_edited(good, len, 16, 3) == DP_ERR_SHAPE);            /* three layers */
    CHECK(load_edited(good, len, 32, 5) == DP_ERR_SHAPE);    /* layer 2 inputs != layer 1 outputs */
    CHECK(load_edited(good, len, 12, 208) == DP_ERR_FORMAT); /* header size */
    memcpy(b, good, len);
    memset(b + 76, 'n', 128); /* note without its NUL */
    fix_crc(b, len);
    CHECK(load_damaged(b, len, __LINE__) == DP_ERR_FORMAT);
    free(good);
    free(b);
    dp_mlp_destroy(m);
}

/* A header announcing a 65536-65536-65536 network (34 GB of parameters) in
 * a file of a few hundred bytes, run under a 256 MB address-space cap. */
static int load_absurd(const void *arg) {
    dp_mlp *m = NULL;
    dp_error e = {0};
    dp_status st = dp_model_load((const char *)arg, &m, NULL, &e);
    dp_mlp_destroy(m);
    return (int)st;
}

static void test_absurd_sizes(void) {
    dp_mlp *m = make_net(5, 4, 3);
    CHECK(dp_model_save(path_of("small.dpm"), m, NULL, NULL) == DP_OK);
    size_t len = 0;
    uint8_t *b = dpt_read_file(path_of("small.dpm"), &len);
    CHECK(b != NULL);
    if (!b) return;
    for (int k = 0; k < 4; k++) put_le32(b + 20 + (k < 2 ? 4 * k : 12 + 4 * (k - 2)), 65536);
    fix_crc(b, len);
    CHECK(dpt_write_file(path_of("absurd.dpm"), b, len) == 0);
    int st = dpt_run_memlimited(256ull << 20, load_absurd, path_of("absurd.dpm"));
    CHECKF(st == DP_ERR_TRUNCATED, "status %d", st);
    CHECK(load_damaged(b, len, __LINE__) == DP_ERR_TRUNCATED);
    put_le32(b + 20, 65537);
    fix_crc(b, len);
    CHECK(load_damaged(b, len, __LINE__) == DP_ERR_RANGE);
    put_le32(b + 20, 0);
    fix_crc(b, len);
    CHECK(load_damaged(b, len, __LINE__) == DP_ERR_RANGE);
    free(b);
    dp_mlp_destroy(m);
}

static int count_temp_files(const char *d) {
    int n = 0;
    DIR *dp = opendir(d);
    struct dirent *de;
    while (dp && (de = readdir(dp)) != NULL) n += strstr(de->d_name, ".tmp-") != NULL;
    if (dp) closedir(dp);
    return n;
}

static int file_equals(const char *p, const uint8_t *want, size_t len) {
    size_t n = 0;
    uint8_t *b = dpt_read_file(p, &n);
    int same = b && n == len && memcmp(b, want, len) == 0;
    free(b);
    return same;
}

static void test_save_failures(void) {
    dp_mlp *m = make_net(5, 4, 3), *big = make_net(30, 40, 10);
    dp_error e = {0};
    char good[4400];
    snprintf(good, sizeof good, "%s", path_of("good.dpm"));
    CHECK(dp_model_save(good, m, NULL, &e) == DP_OK);
    size_t len = 0;
    uint8_t *orig = dpt_read_file(good, &len);

    /* A regular file used as a directory, and a directory that is missing. */
    CHECK(dpt_write_file(path_of("file.txt"), "x", 1) == 0);
    const char *p = path_of("file.txt/model.dpm");
    CHECK(dp_model_save(p, m, NULL, &e) == DP_ERR_IO);
    CHECKF(strstr(e.msg, p) && strstr(e.msg, "Not a directory"), "%s", e.msg);
    p = path_of("no-such-dir/model.dpm");
    CHECK(dp_model_save(p, m, NULL, &e) == DP_ERR_IO);
    CHECKF(strstr(e.msg, p) && strstr(e.msg, "No such file"), "%s", e.msg);

    /* The target is a directory: the rename fails, the directory stays. */
    CHECK(mkdir(path_of("isdir.dpm"), 0755) == 0);
    CHECK(dp_model_save(path_of("isdir.dpm"), m, NULL, &e) == DP_ERR_IO);
    struct stat sb;
    CHECK(stat(path_of("isdir.dpm"), &sb) == 0 && S_ISDIR(sb.st_mode));
    CHECKF(strstr(e.msg, "isdir.dpm"), "%s", e.msg);

    /* The disk "fills up" in the middle of writing a bigger model over a
     * good one (file size limit; root cannot bypass it). */
    struct rlimit old;
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    struct rlimit small = old;
    small.rlim_cur = 1000;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
    dp_status st = dp_model_save(good, big, NULL, &e);
    CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
    signal(SIGXFSZ, prev);
    CHECKF(st == DP_ERR_IO && strstr(e.msg, "good.dpm") && strstr(e.msg, "File too large"), "%s",
           e.msg);
    CHECK(file_equals(good, orig, len));

    /* A diverged network (NaN) is refused before anything is written. */
    big->params[17] = NAN;
    CHECK(dp_model_save(good, big, NULL, &e) == DP_ERR_RANGE);
    CHECKF(strstr(e.msg, "parameter 17"), "%s", e.msg);
    CHECK(file_equals(good, orig, len));
    CHECK(count_temp_files(dir) == 0);

    /* Replacing a file keeps its permissions; a new file gets 0644. */
    CHECK(chmod(good, 0640) == 0);
    big->params[17] = 0.5f;
    CHECK(dp_model_save(good, big, NULL, &e) == DP_OK);
    CHECK(stat(good, &sb) == 0 && (sb.st_mode & 0777) == 0640);
    CHECK(!file_equals(good, orig, len));
    CHECK(dp_model_save(path_of("fresh.dpm"), m, NULL, &e) == DP_OK);
    CHECK(stat(path_of("fresh.dpm"), &sb) == 0 && (sb.st_mode & 0777) == 0644);
    CHECK(count_temp_files(dir) == 0);

    CHECK(dp_write_file_atomic(path_of("raw.bin"), "abc", 3, &e) == DP_OK);
    CHECK(file_equals(path_of("raw.bin"), (const uint8_t *)"abc", 3));
    CHECK(dp_write_file_atomic(path_of("raw.bin"), "", 0, &e) == DP_OK);
    CHECK(file_equals(path_of("raw.bin"), (const uint8_t *)"", 0));
    CHECK(dp_write_file_atomic("", "abc", 3, &e) == DP_ERR_ARG);
    free(orig);
    dp_mlp_destroy(m);
    dp_mlp_destroy(big);
}

/* Finite weights so large that a drawing overflows the forward pass (it
 * used to load and predict NaN): refused on load, from a file and from
 * memory; a FIFO as a model file is refused without waiting for a writer. */
static void test_unusable_models(void) {
    dp_mlp *m = make_net(5, 4, 3), *back = (dp_mlp *)&back;
    m->params[0] = 1e30f; /* W1[0][0] */
    m->W2[0] = 1e30f;     /* times 1e30: 1e60 in the logit */
    CHECK(dp_mlp_activation_bound(m) > 1e59);
    dp_error e = {0};
    CHECK(dp_model_save(path_of("huge.dpm"), m, NULL, &e) == DP_OK); /* finite: savable */
    dp_status st = dp_model_load(path_of("huge.dpm"), &back, NULL, &e);
    CHECKF(st == DP_ERR_RANGE && back == NULL && strstr(e.msg, "huge.dpm") &&
               strstr(e.msg, "overflow"),
           "%s: %s", dp_status_str(st), e.msg);
    size_t len = 0;
    uint8_t *b = dpt_read_file(path_of("huge.dpm"), &len);
    CHECK(b && load_damaged(b, len, __LINE__) == DP_ERR_RANGE);
    free(b);
    /* The same weights as a NumPy .npz (the other format models load from). */
    uint8_t *npz = NULL;
    size_t nlen = 0;
    CHECK(dp_npz_encode(m, &npz, &nlen, NULL) == DP_OK);
    back = NULL;
    st = dp_npz_load_mem(npz, nlen, &back, &e);
    CHECKF(st == DP_ERR_RANGE && back == NULL && strstr(e.msg, "overflow"), "%s", e.msg);
    free(npz);
    dp_mlp_destroy(m);

    CHECK(mkfifo(path_of("fifo.dpm"), 0600) == 0);
    alarm(20); /* watchdog: the old open() waited here forever */
    st = dp_model_load(path_of("fifo.dpm"), &back, NULL, &e);
    CHECKF(st == DP_ERR_IO && strstr(e.msg, "FIFO"), "%s", e.msg);
    dp_model_info info;
    CHECK(dp_model_inspect(path_of("fifo.dpm"), &info, &e) == DP_ERR_IO);
    alarm(0);
    CHECK(unlink(path_of("fifo.dpm")) == 0);
}

/* An orphaned temporary file of an interrupted save (kill -9 between
 * mkstemp and rename) is removed by the next save into the directory, when
 * it is the project's own pattern, a regular file and over a minute old. */
static void test_orphan_temps(void) {
    char sub[4400];
    snprintf(sub, sizeof sub, "%s", path_of("orphans"));
    CHECK(mkdir(sub, 0755) == 0);
    static const char *const names[] = {
        "a.dpm.tmp-Ab3xY9", /* old orphan of a model: removed */
        "b.png.tmp-000000", /* old orphan of a PNG: removed */
        "c.dpm.tmp-Zz9Zz9", /* young: a save in progress elsewhere, kept */
        "d.txt.tmp-Ab3xY9", /* not one of the project's files, kept */
        "e.dpm.tmp-Ab3x",   /* not the pattern, kept */
        "f.dpm.tmp-Ab3x-9", /* not the pattern, kept */
    };
    const int n = (int)(sizeof names / sizeof names[0]);
    char p[4600];
    const struct timespec old[2] = {{time(NULL) - 120, 0}, {time(NULL) - 120, 0}};
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/%s", sub, names[i]);
        CHECK(dpt_write_file(p, "x", 1) == 0);
        if (i != 2) CHECK(utimensat(AT_FDCWD, p, old, 0) == 0);
    }
    snprintf(p, sizeof p, "%s/g.dpm.tmp-Dir123", sub); /* a directory: kept */
    CHECK(mkdir(p, 0755) == 0 && utimensat(AT_FDCWD, p, old, 0) == 0);
    snprintf(p, sizeof p, "%s/h.dpm.tmp-Lnk123", sub); /* a symlink: kept */
    CHECK(symlink("a.dpm.tmp-Ab3xY9", p) == 0);

    dp_mlp *m = make_net(5, 4, 3);
    dp_error e = {0};
    snprintf(p, sizeof p, "%s/new.dpm", sub);
    CHECKF(dp_model_save(p, m, NULL, &e) == DP_OK, "%s", e.msg);
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/%s", sub, names[i]);
        struct stat sb;
        const int gone = stat(p, &sb) != 0;
        CHECKF(gone == (i < 2), "%s %s", names[i], gone ? "removed" : "kept");
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/g.dpm.tmp-Dir123", sub);
    CHECK(rmdir(p) == 0);
    snprintf(p, sizeof p, "%s/h.dpm.tmp-Lnk123", sub);
    CHECK(unlink(p) == 0);
    snprintf(p, sizeof p, "%s/new.dpm", sub);
    CHECK(unlink(p) == 0 && rmdir(sub) == 0);
    dp_mlp_destroy(m);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    test_crc();
    test_round_trip();
    test_run_settings();
    test_damage();
    test_absurd_sizes();
    test_save_failures();
    test_unusable_models();
    test_orphan_temps();
    dpt_remove_scratch(dir);
    return dpt_finish();
}
