/* IDX (MNIST) files, raw or gzip-compressed, read through zlib.
 *
 * IDX layout, all integers big-endian:
 *   images: u32 magic 0x00000803, u32 count, u32 rows, u32 cols, count*rows*cols bytes
 *   labels: u32 magic 0x00000801, u32 count, count bytes (0..9)
 *
 * A header is validated completely before any buffer is sized from it. When
 * reading a file the pixel buffer grows with the data that actually arrives,
 * so a small hostile file claiming millions of images costs no more memory
 * than its real contents. */
#include "digitpad/dataset.h"

#include "digitpad/fileio.h"

#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IDX_IMAGES_MAGIC 0x00000803u
#define IDX_LABELS_MAGIC 0x00000801u
#define IDX_SIDE 28u
#define IDX_MAX_HEADER 16
#define READ_CHUNK (1u << 20)

typedef enum idx_kind { IDX_IMAGES, IDX_LABELS } idx_kind;

/* What a validated header says. */
typedef struct idx_header {
    idx_kind kind;
    uint32_t count, rows, cols;
    size_t header_len; /* 16 for images, 8 for labels */
    uint64_t payload;  /* bytes after the header: count*rows*cols or count */
} idx_header;

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static const char *noun(idx_kind k) {
    return k == IDX_IMAGES ? "images" : "labels";
}

static dp_status bad_magic(const uint8_t *buf, idx_kind kind, const char *name, dp_error *err) {
    uint32_t magic = be32(buf);
    uint32_t want = kind == IDX_IMAGES ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
    uint32_t other = kind == IDX_IMAGES ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC;
    if (buf[0] == 0x1f && buf[1] == 0x8b)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: gzip-compressed data where raw IDX %s were expected", name,
                            noun(kind));
    if (magic == other)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: this is an IDX %s file (magic 0x%08x), expected %s (0x%08x)", name,
                            noun(kind == IDX_IMAGES ? IDX_LABELS : IDX_IMAGES), (unsigned)magic,
                            noun(kind), (unsigned)want);
    return dp_error_set(
        err, DP_ERR_FORMAT,
        "%s: bad magic number 0x%08x (expected 0x%08x for IDX %s); not an MNIST file", name,
        (unsigned)magic, (unsigned)want, noun(kind));
}

/* Validate the first avail bytes of an IDX file as a header of the given kind. */
static dp_status parse_header(const uint8_t *buf, size_t avail, idx_kind kind, const char *name,
                              idx_header *h, dp_error *err) {
    memset(h, 0, sizeof *h);
    h->kind = kind;
    h->header_len = kind == IDX_IMAGES ? 16 : 8;
    if (avail < h->header_len)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: only %zu bytes, shorter than the %zu-byte IDX %s header", name,
                            avail, h->header_len, noun(kind));
    if (be32(buf) != (kind == IDX_IMAGES ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC))
        return bad_magic(buf, kind, name, err);
    h->count = be32(buf + 4);
    h->rows = kind == IDX_IMAGES ? be32(buf + 8) : 1;
    h->cols = kind == IDX_IMAGES ? be32(buf + 12) : 1;
    if (kind == IDX_IMAGES && (h->rows != IDX_SIDE || h->cols != IDX_SIDE))
        return dp_error_set(err, DP_ERR_SHAPE, "%s: images are %ux%u (rows x cols), expected 28x28",
                            name, (unsigned)h->rows, (unsigned)h->cols);
    if (h->count == 0)
        return dp_error_set(err, DP_ERR_EMPTY, "%s: header says the file holds no %s", name,
                            noun(kind));
    if (h->count > DP_IDX_MAX_COUNT)
        return dp_error_set(err, DP_ERR_RANGE, "%s: header claims %u %s, more than the limit of %u",
                            name, (unsigned)h->count, noun(kind), (unsigned)DP_IDX_MAX_COUNT);
    h->payload = (uint64_t)h->count * h->rows * h->cols;
    if (h->payload > SIZE_MAX)
        return dp_error_set(err, DP_ERR_RANGE, "%s: %u %s do not fit in memory on this system",
                            name, (unsigned)h->count, noun(kind));
    return DP_OK;
}

static dp_status check_labels(const uint8_t *lab, uint32_t n, const char *name, dp_error *err) {
    for (uint32_t i = 0; i < n; i++)
        if (lab[i] > 9)
            return dp_error_set(err, DP_ERR_RANGE, "%s: label %u is %u (must be 0-9)", name,
                                (unsigned)i, (unsigned)lab[i]);
    return DP_OK;
}

/* In-memory parse shared by both public parsers: header, exact length,
 * labels, then one allocation of exactly the payload. */
static dp_status parse_mem(const uint8_t *buf, size_t len, idx_kind kind, uint8_t **data,
                           idx_header *h, dp_error *err) {
    const char *name = kind == IDX_IMAGES ? "IDX images" : "IDX labels";
    if (!data || (!buf && len)) return dp_error_set(err, DP_ERR_ARG, "%s: NULL argument", name);
    *data = NULL;
    dp_status st = parse_header(buf, len, kind, name, h, err);
    if (st != DP_OK) return st;
    uint64_t have = (uint64_t)(len - h->header_len);
    if (have < h->payload)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: header says %u %s (%llu bytes after the header) but only %llu "
                            "bytes follow",
                            name, (unsigned)h->count, noun(kind), (unsigned long long)h->payload,
                            (unsigned long long)have);
    if (have > h->payload)
        return dp_error_set(
            err, DP_ERR_FORMAT, "%s: %llu bytes of trailing garbage after the %u %s", name,
            (unsigned long long)(have - h->payload), (unsigned)h->count, noun(kind));
    const uint8_t *body = buf + h->header_len;
    if (kind == IDX_LABELS && (st = check_labels(body, h->count, name, err)) != DP_OK) return st;
    uint8_t *copy = malloc((size_t)h->payload);
    if (!copy) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", name);
    memcpy(copy, body, (size_t)h->payload);
    *data = copy;
    return DP_OK;
}

dp_status dp_idx_parse_images(const uint8_t *buf, size_t len, uint8_t **pixels, uint32_t *count,
                              uint32_t *rows, uint32_t *cols, dp_error *err) {
    if (!count) return dp_error_set(err, DP_ERR_ARG, "IDX images: NULL count");
    idx_header h;
    dp_status st = parse_mem(buf, len, IDX_IMAGES, pixels, &h, err);
    if (st != DP_OK) return st;
    *count = h.count;
    if (rows) *rows = h.rows;
    if (cols) *cols = h.cols;
    return DP_OK;
}

dp_status dp_idx_parse_labels(const uint8_t *buf, size_t len, uint8_t **labels, uint32_t *count,
                              dp_error *err) {
    if (!count) return dp_error_set(err, DP_ERR_ARG, "IDX labels: NULL count");
    idx_header h;
    dp_status st = parse_mem(buf, len, IDX_LABELS, labels, &h, err);
    if (st == DP_OK) *count = h.count;
    return st;
}

/* ---- files (raw or gzip; zlib reads raw files transparently) ---- */

typedef struct idx_file {
    gzFile gz;
    const char *path;
    idx_header h;
} idx_file;

/* Turn a failed or short gzread into a status. */
static dp_status gz_failure(gzFile gz, const char *path, const char *what, dp_error *err) {
    int zerr = Z_OK;
    const char *msg = gzerror(gz, &zerr);
    if (zerr == Z_ERRNO)
        return dp_error_set(err, DP_ERR_IO, "%s: read error while reading %s: %s", path, what,
                            strerror(errno));
    if (zerr == Z_MEM_ERROR) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
    return dp_error_set(err, DP_ERR_FORMAT, "%s: corrupt gzip data in %s: %s", path, what, msg);
}

/* Read up to len bytes; *got says how many arrived before end of data. */
static dp_status gz_read_upto(gzFile gz, uint8_t *dst, uint64_t len, uint64_t *got,
                              const char *path, const char *what, dp_error *err) {
    *got = 0;
    while (*got < len) {
        uint64_t want = len - *got;
        unsigned chunk = want > READ_CHUNK ? READ_CHUNK : (unsigned)want;
        int r = gzread(gz, dst + *got, chunk);
        if (r < 0) return gz_failure(gz, path, what, err);
        if (r == 0) break;
        *got += (unsigned)r;
    }
    return DP_OK;
}

static dp_status idx_open(idx_file *f, const char *path, idx_kind kind, dp_error *err) {
    memset(f, 0, sizeof *f);
    f->path = path;
    int fd;
    uint64_t size;
    dp_status st = dp_io_open_regular(path, &fd, &size, err); /* no FIFOs or devices */
    if (st != DP_OK) return st;
    f->gz = gzdopen(fd, "rb");
    if (!f->gz) {
        close(fd);
        return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory opening the file", path);
    }
    gzbuffer(f->gz, 128u * 1024u);
    uint8_t hdr[IDX_MAX_HEADER];
    uint64_t got = 0;
    size_t hlen = kind == IDX_IMAGES ? 16 : 8;
    st = gz_read_upto(f->gz, hdr, hlen, &got, path, "the header", err);
    if (st != DP_OK) return st;
    return parse_header(hdr, (size_t)got, kind, path, &f->h, err);
}

static void idx_close(idx_file *f) {
    if (f->gz) gzclose(f->gz);
    f->gz = NULL;
}

/* Read exactly the payload the header announced, then insist on end of data. */
static dp_status idx_read_payload(idx_file *f, uint8_t **out, dp_error *err) {
    const uint64_t want = f->h.payload;
    const char *what = noun(f->h.kind);
    size_t cap = want < READ_CHUNK ? (size_t)want : READ_CHUNK, have = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", f->path);
    dp_status st = DP_OK;
    while (have < want) {
        if (have == cap) {
            size_t ncap = (uint64_t)cap * 2 > want ? (size_t)want : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                st = dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", f->path);
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        uint64_t got = 0;
        st = gz_read_upto(f->gz, buf + have, cap - have, &got, f->path, what, err);
        if (st != DP_OK) goto fail;
        have += (size_t)got;
        if (have < cap) break; /* end of data */
    }
    if (have < want) {
        int zerr = Z_OK;
        gzerror(f->gz, &zerr);
        st = dp_error_set(err, DP_ERR_TRUNCATED,
                          "%s: header says %u %s (%llu bytes after the header) but the %s ends "
                          "after %llu bytes",
                          f->path, (unsigned)f->h.count, what, (unsigned long long)want,
                          zerr == Z_BUF_ERROR ? "compressed stream" : "file",
                          (unsigned long long)have);
        goto fail;
    }
    uint8_t extra;
    uint64_t got = 0;
    st = gz_read_upto(f->gz, &extra, 1, &got, f->path, what, err);
    if (st == DP_OK && got)
        st = dp_error_set(err, DP_ERR_FORMAT,
                          "%s: trailing garbage: more data after the %u %s the header announces",
                          f->path, (unsigned)f->h.count, what);
    if (st != DP_OK) goto fail;
    *out = buf;
    return DP_OK;
fail:
    free(buf);
    return st;
}

dp_status dp_dataset_load(dp_dataset *ds, const char *images_path, const char *labels_path,
                          dp_error *err) {
    if (!ds || !images_path || !labels_path)
        return dp_error_set(err, DP_ERR_ARG, "dp_dataset_load: NULL argument");
    memset(ds, 0, sizeof *ds);
    idx_file im, lb;
    memset(&lb, 0, sizeof lb);
    dp_status st = idx_open(&im, images_path, IDX_IMAGES, err);
    if (st == DP_OK) st = idx_open(&lb, labels_path, IDX_LABELS, err);
    if (st == DP_OK && im.h.count != lb.h.count)
        st = dp_error_set(err, DP_ERR_SHAPE, "%s holds %u images but %s holds %u labels",
                          images_path, (unsigned)im.h.count, labels_path, (unsigned)lb.h.count);
    if (st == DP_OK) st = idx_read_payload(&im, &ds->images, err);
    if (st == DP_OK) st = idx_read_payload(&lb, &ds->labels, err);
    if (st == DP_OK) st = check_labels(ds->labels, lb.h.count, labels_path, err);
    idx_close(&im);
    idx_close(&lb);
    if (st != DP_OK) {
        dp_dataset_free(ds);
        return st;
    }
    ds->count = im.h.count;
    ds->rows = im.h.rows;
    ds->cols = im.h.cols;
    return DP_OK;
}

/* dir/NAME if it exists, else dir/NAME.gz if it exists. */
static dp_status find_idx(const char *dir, const char *name, char *path, size_t size,
                          dp_error *err) {
    static const char *const suffixes[] = {"", ".gz"};
    for (int i = 0; i < 2; i++) {
        int n = snprintf(path, size, "%s/%s%s", dir, name, suffixes[i]);
        if (n < 0 || (size_t)n >= size)
            return dp_error_set(err, DP_ERR_ARG, "%s: path too long", dir);
        struct stat sb;
        if (stat(path, &sb) == 0 || errno != ENOENT) return DP_OK;
    }
    return dp_error_set(err, DP_ERR_NOT_FOUND, "%s: neither %s nor %s.gz found", dir, name, name);
}

static dp_status load_split(const char *dir, const char *prefix, dp_dataset *ds, dp_error *err) {
    char name[64], images[4096], labels[4096];
    snprintf(name, sizeof name, "%s-images-idx3-ubyte", prefix);
    dp_status st = find_idx(dir, name, images, sizeof images, err);
    if (st != DP_OK) return st;
    snprintf(name, sizeof name, "%s-labels-idx1-ubyte", prefix);
    st = find_idx(dir, name, labels, sizeof labels, err);
    if (st != DP_OK) return st;
    return dp_dataset_load(ds, images, labels, err);
}

dp_status dp_mnist_load(const char *dir, dp_dataset *train, dp_dataset *test, dp_error *err) {
    if (train) memset(train, 0, sizeof *train);
    if (test) memset(test, 0, sizeof *test);
    if (!dir || !*dir) return dp_error_set(err, DP_ERR_ARG, "dp_mnist_load: no directory given");
    struct stat sb;
    int e = stat(dir, &sb) != 0 ? errno : S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
    if (e) return dp_error_set(err, DP_ERR_NOT_FOUND, "MNIST directory %s: %s", dir, strerror(e));
    dp_status st = train ? load_split(dir, "train", train, err) : DP_OK;
    if (st == DP_OK && test) st = load_split(dir, "t10k", test, err);
    if (st != DP_OK && train) dp_dataset_free(train);
    return st;
}

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

dp_status dp_dataset_save(const dp_dataset *ds, const char *dir, const char *prefix,
                          dp_error *err) {
    if (!ds || !dir || !prefix || (ds->count && (!ds->images || !ds->labels)))
        return dp_error_set(err, DP_ERR_ARG, "dp_dataset_save: NULL argument");
    if (ds->rows == 0 || ds->cols == 0 || ds->rows > 255 || ds->cols > 255 ||
        ds->count > DP_IDX_MAX_COUNT)
        return dp_error_set(err, DP_ERR_SHAPE, "dp_dataset_save: %u images of %ux%u", ds->count,
                            ds->rows, ds->cols);
    dp_status st = check_labels(ds->labels, ds->count, "dp_dataset_save", err);
    if (st != DP_OK) return st;
    size_t px = (size_t)ds->rows * ds->cols * ds->count;
    uint8_t *buf = malloc(16 + (px > ds->count ? px : ds->count));
    if (!buf) return dp_error_set(err, DP_ERR_NOMEM, "dp_dataset_save: out of memory");
    char path[4096];
    put_be32(buf, 0x00000803u);
    put_be32(buf + 4, ds->count);
    put_be32(buf + 8, ds->rows);
    put_be32(buf + 12, ds->cols);
    if (px) memcpy(buf + 16, ds->images, px);
    int n = snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    st = n < 0 || (size_t)n >= sizeof path ? dp_error_set(err, DP_ERR_ARG, "%s: path too long", dir)
                                           : dp_write_file_atomic(path, buf, 16 + px, err);
    if (st == DP_OK) {
        put_be32(buf, 0x00000801u);
        put_be32(buf + 4, ds->count);
        if (ds->count) memcpy(buf + 8, ds->labels, ds->count);
        n = snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
        st = n < 0 || (size_t)n >= sizeof path
                 ? dp_error_set(err, DP_ERR_ARG, "%s: path too long", dir)
                 : dp_write_file_atomic(path, buf, 8 + (size_t)ds->count, err);
    }
    free(buf);
    return st;
}

void dp_dataset_free(dp_dataset *ds) {
    if (!ds) return;
    free(ds->images);
    free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

void dp_dataset_batch(const dp_dataset *ds, const uint32_t *idx, int n, float *X, uint8_t *y) {
    if (!ds || n <= 0) return;
    const size_t px = (size_t)ds->rows * ds->cols;
    for (int i = 0; i < n; i++) {
        size_t s = idx ? idx[i] : (size_t)i;
        if (X && idx && i + 2 < n) /* shuffled rows are far apart: fetch two rows ahead */
            for (size_t p = 0; p < px; p += 64)
                __builtin_prefetch(ds->images + idx[i + 2] * px + p);
        if (X) {
            const uint8_t *src = ds->images + s * px;
            float *dst = X + (size_t)i * px;
            for (size_t p = 0; p < px; p++) dst[p] = (float)src[p] / 255.0f; /* vectorised */
        }
        if (y) y[i] = ds->labels[s];
    }
}

const char *dp_data_dir(const char *flag, const char *env) {
    if (flag && *flag) return flag;
    if (env && *env) return env;
    return "data/mnist";
}
