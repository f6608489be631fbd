/* IDX parsing and loading: small files built here (raw and gzip), every kind
 * of broken header, and the real MNIST files. */
#include "digitpad/dataset.h"

#include "scratch.h"
#include "testutil.h"

#include "memlimit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define PX 784u

static char dir[4096];

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint8_t pixel(uint32_t img, uint32_t p) {
    return (uint8_t)(img * 31u + p * 7u);
}

/* An images file whose header says `claimed` images of rows x cols but
 * whose body holds `actual` images plus `extra` trailing bytes. */
static uint8_t *make_images(uint32_t claimed, uint32_t rows, uint32_t cols, uint32_t actual,
                            size_t extra, size_t *len) {
    size_t body = (size_t)actual * rows * cols;
    *len = 16 + body + extra;
    uint8_t *b = calloc(1, *len);
    put_be32(b, 0x00000803u);
    put_be32(b + 4, claimed);
    put_be32(b + 8, rows);
    put_be32(b + 12, cols);
    for (size_t i = 0; i < body; i++)
        b[16 + i] = pixel((uint32_t)(i / (rows * cols)), (uint32_t)(i % (rows * cols)));
    return b;
}

static uint8_t *make_labels(uint32_t claimed, uint32_t actual, size_t *len) {
    *len = 8 + actual;
    uint8_t *b = calloc(1, *len);
    put_be32(b, 0x00000801u);
    put_be32(b + 4, claimed);
    for (uint32_t i = 0; i < actual; i++) b[8 + i] = (uint8_t)((i * 3u) % 10u);
    return b;
}

static const char *path_of(const char *name) {
    return dpt_path(dir, name);
}

static void write_raw(const char *name, const uint8_t *b, size_t len) {
    CHECKF(dpt_write_file(path_of(name), b, len) == 0, "writing %s", name);
}

static void write_gz(const char *name, const uint8_t *b, size_t len) {
    gzFile gz = gzopen(path_of(name), "wb");
    CHECKF(gz != NULL, "gzopen %s", name);
    if (!gz) return;
    CHECK(gzwrite(gz, b, (unsigned)len) == (int)len);
    CHECK(gzclose(gz) == Z_OK);
}

/* got must be want, with a message that contains substr. */
static void expect(int line, dp_status got, dp_status want, const dp_error *e, const char *substr) {
    CHECKF(got == want, "line %d: status %s, expected %s (%s)", line, dp_status_str(got),
           dp_status_str(want), e->msg);
    CHECKF(e->msg[0] != '\0', "line %d: empty message", line);
    CHECKF(!substr || strstr(e->msg, substr), "line %d: message '%s' lacks '%s'", line, e->msg,
           substr);
}

static void test_parse_mem(void) {
    size_t len;
    uint8_t *img = make_images(3, 28, 28, 3, 0, &len);
    uint8_t *pix = NULL;
    uint32_t count = 0, rows = 0, cols = 0;
    dp_error e = {0};
    CHECK(dp_idx_parse_images(img, len, &pix, &count, &rows, &cols, &e) == DP_OK);
    CHECK(count == 3 && rows == 28 && cols == 28);
    CHECK(pix && memcmp(pix, img + 16, 3 * PX) == 0);
    free(pix);

    pix = NULL;
    expect(__LINE__, dp_idx_parse_images(img, len - 1, &pix, &count, NULL, NULL, &e),
           DP_ERR_TRUNCATED, &e, "only 2351 bytes follow");
    CHECK(pix == NULL);
    expect(__LINE__, dp_idx_parse_images(img, 10, &pix, &count, NULL, NULL, &e), DP_ERR_TRUNCATED,
           &e, "header");
    free(img);

    img = make_images(3, 28, 28, 3, 5, &len);
    expect(__LINE__, dp_idx_parse_images(img, len, &pix, &count, NULL, NULL, &e), DP_ERR_FORMAT, &e,
           "5 bytes of trailing garbage");
    img[3] = 0x02;
    expect(__LINE__, dp_idx_parse_images(img, len, &pix, &count, NULL, NULL, &e), DP_ERR_FORMAT, &e,
           "magic");
    free(img);

    img = make_images(2, 29, 28, 2, 0, &len);
    expect(__LINE__, dp_idx_parse_images(img, len, &pix, &count, NULL, NULL, &e), DP_ERR_SHAPE, &e,
           "29x28");
    free(img);
    img = make_images(0, 28, 28, 0, 0, &len);
    expect(__LINE__, dp_idx_parse_images(img, len, &pix, &count, NULL, NULL, &e), DP_ERR_EMPTY, &e,
           NULL);
    free(img);
    /* Hostile counts: beyond the limit, and at the limit with no data. */
    img = make_images(0x80000000u, 28, 28, 1, 0, &len);
    expect(__LINE__, dp_idx_parse_images(img, len, &pix, &count, NULL, NULL, &e), DP_ERR_RANGE, &e,
           "2147483648");
    free(img);
    img = make_images(DP_IDX_MAX_COUNT, 28, 28, 1, 0, &len);
    expect(__LINE__, dp_idx_parse_images(img, len, &pix, &count, NULL, NULL, &e), DP_ERR_TRUNCATED,
           &e, NULL);
    free(img);
    CHECK(pix == NULL);

    uint8_t *lab = make_labels(12, 12, &len), *labels = NULL;
    CHECK(dp_idx_parse_labels(lab, len, &labels, &count, &e) == DP_OK);
    CHECK(count == 12 && labels && memcmp(labels, lab + 8, 12) == 0);
    free(labels);
    labels = NULL;
    lab[8 + 7] = 10;
    expect(__LINE__, dp_idx_parse_labels(lab, len, &labels, &count, &e), DP_ERR_RANGE, &e,
           "label 7 is 10 (must be 0-9)");
    /* An images file handed to the label parser and vice versa. */
    img = make_images(1, 28, 28, 1, 0, &len);
    expect(__LINE__, dp_idx_parse_labels(img, len, &labels, &count, &e), DP_ERR_FORMAT, &e,
           "images");
    expect(__LINE__, dp_idx_parse_images(lab, 20, &pix, &count, NULL, NULL, &e), DP_ERR_FORMAT, &e,
           "label");
    CHECK(labels == NULL && pix == NULL);
    expect(__LINE__, dp_idx_parse_labels(NULL, 0, &labels, &count, &e), DP_ERR_TRUNCATED, &e, NULL);
    free(img);
    free(lab);
}

static void check_loaded(const dp_dataset *ds, uint32_t n) {
    CHECK(ds->count == n && ds->rows == 28 && ds->cols == 28);
    int same = ds->images != NULL && ds->labels != NULL;
    for (uint32_t i = 0; same && i < n; i++) {
        same = ds->labels[i] == (i * 3u) % 10u;
        for (uint32_t p = 0; same && p < PX; p++) same = ds->images[i * PX + p] == pixel(i, p);
    }
    CHECK(same);
}

static void test_load_files(void) {
    size_t ilen, llen;
    uint8_t *img = make_images(50, 28, 28, 50, 0, &ilen);
    uint8_t *lab = make_labels(50, 50, &llen);
    write_raw("img", img, ilen);
    write_gz("img.gz", img, ilen);
    write_raw("lab", lab, llen);
    write_gz("lab.gz", lab, llen);
    dp_dataset ds;
    dp_error e = {0};
    CHECKF(dp_dataset_load(&ds, path_of("img"), path_of("lab"), &e) == DP_OK, "%s", e.msg);
    check_loaded(&ds, 50);
    dp_dataset_free(&ds);
    CHECK(ds.images == NULL && ds.count == 0);
    char ipath[4200];
    snprintf(ipath, sizeof ipath, "%s", path_of("img.gz"));
    CHECKF(dp_dataset_load(&ds, ipath, path_of("lab.gz"), &e) == DP_OK, "%s", e.msg);
    check_loaded(&ds, 50);
    dp_dataset_free(&ds);

    /* Batches: floats v/255 in the order of idx. */
    CHECK(dp_dataset_load(&ds, ipath, path_of("lab"), &e) == DP_OK);
    uint32_t idx[2] = {7, 2};
    float X[2 * PX];
    uint8_t y[2];
    dp_dataset_batch(&ds, idx, 2, X, y);
    CHECK(y[0] == 1 && y[1] == 6);
    CHECK(X[0] == (float)pixel(7, 0) / 255.0f && X[PX + 100] == (float)pixel(2, 100) / 255.0f);
    dp_dataset_batch(&ds, NULL, 1, X, y);
    CHECK(y[0] == 0 && X[5] == (float)pixel(0, 5) / 255.0f);
    dp_dataset_free(&ds);

    /* Counts that disagree, checked before any data is read. */
    uint8_t *lab49 = make_labels(49, 49, &llen);
    write_gz("lab49.gz", lab49, llen);
    expect(__LINE__, dp_dataset_load(&ds, ipath, path_of("lab49.gz"), &e), DP_ERR_SHAPE, &e,
           "holds 50 images but");
    CHECK(ds.images == NULL && ds.labels == NULL && ds.count == 0);
    free(lab49);

    /* A gzip stream that decompresses to fewer images than announced. */
    write_gz("short.gz", img, ilen - 100);
    expect(__LINE__, dp_dataset_load(&ds, path_of("short.gz"), path_of("lab"), &e),
           DP_ERR_TRUNCATED, &e, "short.gz");
    /* A gzip file cut in the middle of its compressed data. */
    size_t glen;
    uint8_t *gz = dpt_read_file(ipath, &glen);
    CHECK(gz != NULL && glen > 200);
    write_raw("cut.gz", gz, glen / 2);
    expect(__LINE__, dp_dataset_load(&ds, path_of("cut.gz"), path_of("lab"), &e), DP_ERR_TRUNCATED,
           &e, "cut.gz");
    /* Corrupted compressed data: the gzip CRC or the deflate stream fails. */
    gz[glen / 2] ^= 0x55;
    gz[glen / 2 + 1] ^= 0x55;
    write_raw("bad.gz", gz, glen);
    dp_status st = dp_dataset_load(&ds, path_of("bad.gz"), path_of("lab"), &e);
    CHECKF(st == DP_ERR_FORMAT && strstr(e.msg, "bad.gz"), "%s: %s", dp_status_str(st), e.msg);
    free(gz);
    /* Trailing garbage after the announced images, raw and compressed. */
    free(img);
    img = make_images(50, 28, 28, 50, 3, &ilen);
    write_raw("long", img, ilen);
    write_gz("long.gz", img, ilen);
    expect(__LINE__, dp_dataset_load(&ds, path_of("long"), path_of("lab"), &e), DP_ERR_FORMAT, &e,
           "trailing");
    expect(__LINE__, dp_dataset_load(&ds, path_of("long.gz"), path_of("lab"), &e), DP_ERR_FORMAT,
           &e, "trailing");
    free(img);

    /* Hostile headers in files: 2^31 images; the maximum count in a tiny
     * file (must fail on the short data, not on a 7.8 GB allocation). */
    img = make_images(0x80000000u, 28, 28, 1, 0, &ilen);
    write_gz("huge.gz", img, ilen);
    expect(__LINE__, dp_dataset_load(&ds, path_of("huge.gz"), path_of("lab"), &e), DP_ERR_RANGE, &e,
           "huge.gz");
    free(img);
    img = make_images(DP_IDX_MAX_COUNT, 28, 28, 2, 0, &ilen);
    free(lab);
    lab = make_labels(DP_IDX_MAX_COUNT, 2, &llen);
    write_gz("max.gz", img, ilen);
    write_gz("maxlab.gz", lab, llen);
    expect(__LINE__, dp_dataset_load(&ds, path_of("max.gz"), path_of("maxlab.gz"), &e),
           DP_ERR_TRUNCATED, &e, "max.gz");
    free(img);
    img = make_images(4, 29, 28, 4, 0, &ilen);
    write_gz("wide.gz", img, ilen);
    expect(__LINE__, dp_dataset_load(&ds, path_of("wide.gz"), path_of("lab"), &e), DP_ERR_SHAPE, &e,
           "29x28");
    free(img);
    img = make_images(60, 28, 28, 60, 0, &ilen);
    free(lab);
    lab = make_labels(60, 60, &llen);
    lab[8 + 57] = 10;
    write_raw("img60", img, ilen);
    write_gz("t10k-labels-idx1-ubyte.gz", lab, llen);
    expect(__LINE__,
           dp_dataset_load(&ds, path_of("img60"), path_of("t10k-labels-idx1-ubyte.gz"), &e),
           DP_ERR_RANGE, &e, "t10k-labels-idx1-ubyte.gz: label 57 is 10 (must be 0-9)");
    expect(__LINE__, dp_dataset_load(&ds, path_of("nope.gz"), path_of("lab"), &e), DP_ERR_NOT_FOUND,
           &e, "nope.gz");
    expect(__LINE__, dp_dataset_load(&ds, dir, path_of("lab"), &e), DP_ERR_IO, &e, NULL);
    CHECK(ds.images == NULL && ds.labels == NULL);
    free(img);
    free(lab);
}

/* A gzip file of an IDX images header claiming `count` images followed by
 * `zeros` bytes (64 KB of noise, then zeros: about 1 KB of gzip per MB),
 * written by streaming deflate (no big buffer); the last `cut` bytes of the
 * file are dropped. */
static void write_zero_bomb(const char *name, uint32_t count, size_t zeros, size_t cut) {
    static uint8_t in[1u << 20], out[1u << 16];
    uint8_t *file = NULL;
    size_t flen = 0;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    CHECK(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    uint8_t hdr[16];
    put_be32(hdr, 0x00000803u);
    put_be32(hdr + 4, count);
    put_be32(hdr + 8, 28);
    put_be32(hdr + 12, 28);
    uint32_t r = 12345;
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = i < 65536 ? (uint8_t)((r = r * 1103515245u + 12345u) >> 24) : 0;
    size_t left = zeros;
    int first = 1, zr = Z_OK;
    do {
        if (left < zeros) memset(in, 0, 65536); /* noise only at the start */
        size_t n = first ? sizeof hdr : (left < sizeof in ? left : sizeof in);
        zs.next_in = first ? hdr : in;
        zs.avail_in = (uInt)n;
        if (!first) left -= n;
        first = 0;
        int flush = left == 0 && zs.next_in == in ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = out;
            zs.avail_out = sizeof out;
            zr = deflate(&zs, flush);
            size_t made = sizeof out - zs.avail_out;
            uint8_t *nf = realloc(file, flen + made + 1);
            CHECK(nf != NULL);
            if (!nf) break;
            file = nf;
            memcpy(file + flen, out, made);
            flen += made;
        } while (zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    } while (zr != Z_STREAM_END && (left > 0 || zs.next_in != in || zs.avail_in));
    deflateEnd(&zs);
    CHECK(flen > cut);
    write_raw(name, file, flen - cut);
    free(file);
}

typedef struct load_args {
    const char *images, *labels;
} load_args;

static int load_status(const void *arg) {
    const load_args *a = arg;
    dp_dataset ds;
    dp_error e = {0};
    dp_status st = dp_dataset_load(&ds, a->images, a->labels, &e);
    dp_dataset_free(&ds);
    return (int)st;
}

/* Defects of issue #11: files that blocked, blew up or were misreported. */
static void test_hostile_files(void) {
    dp_dataset ds;
    dp_error e = {0};
    size_t llen, ilen;
    uint8_t *lab = make_labels(5, 5, &llen);
    write_raw("lab5", lab, llen);

    /* A FIFO with no writer: refused at once instead of waiting forever
     * (the watchdog kills the test if the open blocks). */
    CHECK(mkfifo(path_of("fifo"), 0600) == 0);
    alarm(20);
    expect(__LINE__, dp_dataset_load(&ds, path_of("fifo"), path_of("lab5"), &e), DP_ERR_IO, &e,
           "not a regular file (it is a FIFO)");
    expect(__LINE__, dp_dataset_load(&ds, path_of("lab5"), path_of("fifo"), &e), DP_ERR_FORMAT, &e,
           NULL);
    alarm(0);

    /* A labels file given as the images file: the wrong kind of IDX file,
     * not "too short" (it is shorter than an images header). */
    expect(__LINE__, dp_dataset_load(&ds, path_of("lab5"), path_of("lab5"), &e), DP_ERR_FORMAT, &e,
           "this is an IDX labels file");

    /* A damaged gzip trailer CRC: a plain message about the gzip data, not
     * "in the header" nor zlib's "<fd:3>" name. */
    uint8_t *img = make_images(5, 28, 28, 5, 0, &ilen);
    write_gz("img5.gz", img, ilen);
    size_t glen = 0;
    uint8_t *gz = dpt_read_file(path_of("img5.gz"), &glen);
    CHECK(gz && glen > 8);
    gz[glen - 8] ^= 1;
    write_raw("crc.gz", gz, glen);
    expect(__LINE__, dp_dataset_load(&ds, path_of("crc.gz"), path_of("lab5"), &e), DP_ERR_FORMAT,
           &e, "crc.gz: corrupt gzip data");
    CHECKF(!strstr(e.msg, "header") && !strstr(e.msg, "<fd:"), "%s", e.msg);

    /* Two gzip members (as `cat a.gz b.gz` makes) are one data stream; bytes
     * after the gzip data that are not gzip are trailing garbage. */
    uint8_t *two = malloc(2 * glen + 3);
    gz[glen - 8] ^= 1;
    gzFile a = gzopen(path_of("part1.gz"), "wb");
    CHECK(a && gzwrite(a, img, 1000) == 1000 && gzclose(a) == Z_OK);
    a = gzopen(path_of("part2.gz"), "wb");
    CHECK(a && gzwrite(a, img + 1000, (unsigned)ilen - 1000) == (int)ilen - 1000 &&
          gzclose(a) == Z_OK);
    size_t l1 = 0, l2 = 0;
    uint8_t *p1 = dpt_read_file(path_of("part1.gz"), &l1),
            *p2 = dpt_read_file(path_of("part2.gz"), &l2);
    CHECK(p1 && p2 && two);
    if (p1 && p2 && two) {
        memcpy(two, p1, l1);
        memcpy(two + l1, p2, l2);
        write_raw("two.gz", two, l1 + l2);
        CHECKF(dp_dataset_load(&ds, path_of("two.gz"), path_of("lab5"), &e) == DP_OK, "%s", e.msg);
        check_loaded(&ds, 5);
        dp_dataset_free(&ds);
        memcpy(two, gz, glen);
        memcpy(two + glen, "abc", 3);
        write_raw("junk.gz", two, glen + 3);
        expect(__LINE__, dp_dataset_load(&ds, path_of("junk.gz"), path_of("lab5"), &e),
               DP_ERR_FORMAT, &e, "trailing garbage");
    }
    free(p1);
    free(p2);
    free(two);
    free(gz);
    free(img);

    /* Gzip amplification: 470 KB of gzip that inflates to 400 MB of zeros
     * under a header claiming 401 MB of images, cut before its trailer.
     * Run with a 128 MB address-space cap it must be reported as cut, not
     * fail for want of memory (it used to read it all into memory first). */
    const uint32_t claimed = (401u << 20) / PX; /* a little more than arrives */
    write_zero_bomb("bomb.gz", claimed, (size_t)400 << 20, 100);
    lab = realloc(lab, 8 + claimed);
    CHECK(lab != NULL);
    if (lab) {
        put_be32(lab + 4, claimed);
        memset(lab + 8, 3, claimed);
        write_raw("labmax", lab, 8 + claimed);
    }
    char bomb[4400], labmax[4400];
    snprintf(bomb, sizeof bomb, "%s", path_of("bomb.gz"));
    snprintf(labmax, sizeof labmax, "%s", path_of("labmax"));
    load_args args = {bomb, labmax};
    int st = dpt_run_memlimited(128ull << 20, load_status, &args);
    CHECKF(st == DP_ERR_TRUNCATED, "gzip bomb: status %d (%s)", st,
           st >= 0 ? dp_status_str((dp_status)st) : "child failed");
    expect(__LINE__, dp_dataset_load(&ds, bomb, labmax, &e), DP_ERR_TRUNCATED, &e, "cut off");
    free(lab);
}

static void test_mnist_dir_layout(void) {
    size_t ilen, llen;
    uint8_t *img = make_images(20, 28, 28, 20, 0, &ilen);
    uint8_t *lab = make_labels(20, 20, &llen);
    dp_dataset train, test;
    dp_error e = {0};
    dpt_remove_scratch(dir);
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    const char *base = dir;
    expect(__LINE__, dp_mnist_load(path_of("missing"), &train, &test, &e), DP_ERR_NOT_FOUND, &e,
           "MNIST directory");
    expect(__LINE__, dp_mnist_load(base, &train, &test, &e), DP_ERR_NOT_FOUND, &e,
           "train-images-idx3-ubyte.gz");
    /* Train split raw, test split gzip: both spellings are found. */
    write_raw("train-images-idx3-ubyte", img, ilen);
    write_raw("train-labels-idx1-ubyte", lab, llen);
    expect(__LINE__, dp_mnist_load(base, &train, &test, &e), DP_ERR_NOT_FOUND, &e,
           "t10k-images-idx3-ubyte");
    CHECK(train.images == NULL && train.count == 0);
    put_be32(lab + 4, 5);
    write_gz("t10k-labels-idx1-ubyte.gz", lab, 8 + 5);
    put_be32(img + 4, 5);
    write_gz("t10k-images-idx3-ubyte.gz", img, 16 + 5 * PX);
    CHECKF(dp_mnist_load(base, &train, &test, &e) == DP_OK, "%s", e.msg);
    check_loaded(&train, 20);
    check_loaded(&test, 5);
    dp_dataset_free(&train);
    dp_dataset_free(&test);
    CHECK(dp_mnist_load(base, NULL, &test, &e) == DP_OK && test.count == 5);
    dp_dataset_free(&test);
    free(img);
    free(lab);
}

static void test_data_dir(void) {
    CHECK(strcmp(dp_data_dir("flagdir", NULL), "flagdir") == 0);
    CHECK(strcmp(dp_data_dir(NULL, "envdir"), "envdir") == 0);
    CHECK(strcmp(dp_data_dir("", "envdir"), "envdir") == 0);
    CHECK(strcmp(dp_data_dir("flagdir", "envdir"), "flagdir") == 0);
    CHECK(strcmp(dp_data_dir(NULL, ""), "data/mnist") == 0);
    CHECK(strcmp(dp_data_dir(NULL, NULL), "data/mnist") == 0);
    CHECK(strcmp(dp_data_dir("", ""), "data/mnist") == 0);
}

static void test_real_mnist(void) {
    dp_dataset train, test;
    dp_error e = {0};
    dp_status st = dp_mnist_load(dpt_mnist_dir(), &train, &test, &e);
    CHECKF(st == DP_OK,
           "MNIST not loadable from %s (set DIGITPAD_DATA or run scripts/get-mnist): %s",
           dpt_mnist_dir(), e.msg);
    if (st != DP_OK) return;
    CHECK(train.count == 60000 && test.count == 10000);
    CHECK(train.labels[0] == 5 && test.labels[0] == 7);
    uint32_t hist[10] = {0};
    for (uint32_t i = 0; i < train.count; i++) hist[train.labels[i]]++;
    for (int c = 0; c < 10; c++)
        CHECKF(hist[c] >= 800 && hist[c] <= 7000, "class %d has %u samples", c, (unsigned)hist[c]);
    /* The first training image is a 5: ink in the middle, none in a corner. */
    unsigned ink = 0;
    for (unsigned p = 0; p < PX; p++) ink += train.images[p] > 128;
    CHECKF(ink > 50 && ink < 400 && train.images[0] == 0, "ink %u", ink);
    dp_dataset_free(&train);
    dp_dataset_free(&test);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    test_parse_mem();
    test_load_files();
    test_hostile_files();
    test_mnist_dir_layout();
    test_data_dir();
    dpt_remove_scratch(dir);
    test_real_mnist();
    return dpt_finish();
}
