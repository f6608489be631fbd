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
#include "sparse_kernels.h"

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
#define READ_CHUNK (1u << 20)  /* largest single read or inflate call */
#define INPUT_CHUNK (1u << 17) /* compressed bytes read at a time */

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
    /* The magic number first: a labels file is shorter than an images
     * header, and "wrong kind of file" is what to say about it. */
    if (avail >= 4 && be32(buf) != (kind == IDX_IMAGES ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC))
        return bad_magic(buf, kind, name, err);
    if (avail < h->header_len)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: only %zu bytes, shorter than the %zu-byte IDX %s header", name,
                            avail, h->header_len, noun(kind));
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

/* ---- files: raw, or gzip (one or more members) inflated with zlib ----
 *
 * Memory is bounded by what the header announces, which is capped by
 * DP_IDX_MAX_COUNT, and checked against the file before inflating: a raw
 * file must have exactly the announced length; a gzip file must be large
 * enough for the announced data at deflate's best ratio, and its trailer's
 * length field (ISIZE, the size of the last member's data mod 2^32) must
 * match. If the trailer disagrees (a cut file, several members) the data is
 * first inflated without being kept, so a small file that inflates to
 * gigabytes costs no memory before its damage is found. */

#define GZ_BEST_RATIO 1032u  /* deflate: at most 258 bytes per ~2 bits */
#define DISCARD_CHUNK 65536u /* output buffer for data inflated and dropped */

typedef struct idx_file {
    int fd;
    const char *path;
    uint64_t size; /* bytes on disk */
    int gzip, zs_live, in_eof, member_done;
    z_stream zs;
    uint8_t *in, *scratch; /* INPUT_CHUNK compressed bytes, DISCARD_CHUNK output */
    uint64_t out_total;    /* bytes delivered since the start of the data */
    idx_header h;
} idx_file;

static void idx_close(idx_file *f) {
    if (f->zs_live) inflateEnd(&f->zs);
    if (f->fd >= 0) close(f->fd);
    free(f->in);
    free(f->scratch);
    f->zs_live = 0;
    f->fd = -1;
    f->in = f->scratch = NULL;
}

static dp_status read_error(const char *path, dp_error *err) {
    return dp_error_set(err, DP_ERR_IO, "%s: read error: %s", path, strerror(errno));
}

/* (Re)start reading the data from its first byte. */
static dp_status src_rewind(idx_file *f, dp_error *err) {
    if (lseek(f->fd, 0, SEEK_SET) != 0) return read_error(f->path, err);
    f->in_eof = f->member_done = 0;
    f->out_total = 0;
    if (!f->gzip) return DP_OK;
    int zr = f->zs_live ? inflateReset(&f->zs) : inflateInit2(&f->zs, 16 + MAX_WBITS);
    if (zr != Z_OK) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", f->path);
    f->zs_live = 1;
    f->zs.avail_in = 0;
    return DP_OK;
}

static dp_status src_read_raw(idx_file *f, uint8_t *dst, uint64_t len, uint64_t *got,
                              dp_error *err) {
    while (*got < len) {
        uint64_t want = len - *got;
        ssize_t r = read(f->fd, dst + *got, want > READ_CHUNK ? READ_CHUNK : (size_t)want);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return read_error(f->path, err);
        if (r == 0) break;
        *got += (uint64_t)r;
    }
    f->out_total += *got;
    return DP_OK;
}

/* Up to len bytes of data into dst (NULL: inflate and drop them). *got is
 * less than len only at the clean end of the data; a cut or corrupt stream
 * is an error. */
static dp_status src_read(idx_file *f, uint8_t *dst, uint64_t len, uint64_t *got, dp_error *err) {
    *got = 0;
    if (!f->gzip) return src_read_raw(f, dst, len, got, err);
    z_stream *zs = &f->zs;
    while (*got < len) {
        if (zs->avail_in == 0 && !f->in_eof) {
            ssize_t r = read(f->fd, f->in, INPUT_CHUNK);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return read_error(f->path, err);
            f->in_eof = r == 0;
            zs->next_in = f->in;
            zs->avail_in = (uInt)r;
            continue;
        }
        if (f->member_done) {
            if (zs->avail_in == 0) break; /* end of the file: clean end of the data */
            if (zs->next_in[0] != 0x1f)
                return dp_error_set(err, DP_ERR_FORMAT,
                                    "%s: trailing garbage: bytes that are not gzip data after "
                                    "the end of the gzip stream (%llu bytes decompressed)",
                                    f->path, (unsigned long long)f->out_total);
            if (inflateReset(zs) != Z_OK)
                return dp_error_set(err, DP_ERR_FORMAT, "%s: corrupt gzip data", f->path);
            f->member_done = 0; /* another gzip member follows */
        }
        uint64_t want = len - *got;
        uInt room = dst ? (want > READ_CHUNK ? READ_CHUNK : (uInt)want)
                        : (want > DISCARD_CHUNK ? DISCARD_CHUNK : (uInt)want);
        zs->next_out = dst ? dst + *got : f->scratch;
        zs->avail_out = room;
        int zr = inflate(zs, Z_NO_FLUSH);
        uInt made = room - zs->avail_out;
        *got += made;
        f->out_total += made;
        if (zr == Z_STREAM_END) {
            f->member_done = 1;
        } else if (zr == Z_BUF_ERROR || (zr == Z_OK && made == 0 && zs->avail_in == 0)) {
            if (f->in_eof && zs->avail_in == 0)
                return dp_error_set(err, DP_ERR_TRUNCATED,
                                    "%s: the compressed stream is cut off: it ends after %llu "
                                    "decompressed bytes, before its gzip trailer",
                                    f->path, (unsigned long long)f->out_total);
            if (zs->avail_in > 0)
                return dp_error_set(err, DP_ERR_FORMAT, "%s: corrupt gzip data", f->path);
        } else if (zr == Z_MEM_ERROR) {
            return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", f->path);
        } else if (zr != Z_OK) {
            return dp_error_set(
                err, DP_ERR_FORMAT, "%s: corrupt gzip data after %llu decompressed bytes: %s",
                f->path, (unsigned long long)f->out_total, zs->msg ? zs->msg : "inflate failed");
        }
    }
    return DP_OK;
}

/* The gzip trailer's ISIZE: the last member's data length mod 2^32. */
static dp_status gz_isize(idx_file *f, uint32_t *isize, dp_error *err) {
    uint8_t t[4];
    ssize_t r = pread(f->fd, t, 4, (off_t)(f->size - 4));
    if (r != 4) return read_error(f->path, err);
    *isize = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    return DP_OK;
}

static dp_status idx_truncated(const idx_file *f, uint64_t have, dp_error *err) {
    return dp_error_set(err, DP_ERR_TRUNCATED,
                        "%s: header says %u %s (%llu bytes after the header) but the %s holds "
                        "only %llu",
                        f->path, (unsigned)f->h.count, noun(f->h.kind),
                        (unsigned long long)f->h.payload, f->gzip ? "decompressed data" : "file",
                        (unsigned long long)have);
}

static dp_status idx_trailing(const idx_file *f, dp_error *err) {
    return dp_error_set(err, DP_ERR_FORMAT,
                        "%s: trailing garbage: more data after the %u %s the header announces",
                        f->path, (unsigned)f->h.count, noun(f->h.kind));
}

/* After the payload: the data must end here. */
static dp_status expect_end(idx_file *f, dp_error *err) {
    uint8_t extra;
    uint64_t got = 0;
    dp_status st = src_read(f, &extra, 1, &got, err);
    if (st == DP_OK && got) st = idx_trailing(f, err);
    return st;
}

/* Sizes the file must have for what its header announces, before any of
 * the payload is read. *verify: the gzip trailer disagrees, so inflate the
 * data once without keeping it to find out why. */
static dp_status check_sizes(idx_file *f, int *verify, dp_error *err) {
    const uint64_t total = f->h.header_len + f->h.payload;
    *verify = 0;
    if (!f->gzip) {
        if (f->size < total) return idx_truncated(f, f->size - f->h.header_len, err);
        if (f->size > total)
            return dp_error_set(
                err, DP_ERR_FORMAT, "%s: %llu bytes of trailing garbage after the %u %s", f->path,
                (unsigned long long)(f->size - total), (unsigned)f->h.count, noun(f->h.kind));
        return DP_OK;
    }
    if (total / GZ_BEST_RATIO > f->size)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: header says %u %s (%llu bytes), more than a %llu-byte gzip "
                            "file can hold even at deflate's best ratio: the file is truncated",
                            f->path, (unsigned)f->h.count, noun(f->h.kind),
                            (unsigned long long)total, (unsigned long long)f->size);
    if (f->size < 4) { /* no trailer at all: let inflating say what is wrong */
        *verify = 1;
        return DP_OK;
    }
    uint32_t isize = 0;
    dp_status st = gz_isize(f, &isize, err);
    if (st == DP_OK) *verify = isize != (uint32_t)total;
    return st;
}

static dp_status idx_open(idx_file *f, const char *path, idx_kind kind, dp_error *err) {
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->path = path;
    dp_status st = dp_io_open_regular(path, &f->fd, &f->size, err); /* no FIFOs or devices */
    if (st != DP_OK) return st;
    uint8_t magic[2] = {0, 0};
    f->gzip =
        f->size >= 2 && pread(f->fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    f->in = malloc(INPUT_CHUNK);
    f->scratch = malloc(DISCARD_CHUNK);
    if (!f->in || !f->scratch)
        return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory opening the file", path);
    if ((st = src_rewind(f, err)) != DP_OK) return st;
    uint8_t hdr[IDX_MAX_HEADER];
    uint64_t got = 0;
    st = src_read(f, hdr, kind == IDX_IMAGES ? 16 : 8, &got, err);
    if (st != DP_OK) return st;
    return parse_header(hdr, (size_t)got, kind, path, &f->h, err);
}

/* Read exactly the payload the header announced, then insist on end of data. */
static dp_status idx_read_payload(idx_file *f, uint8_t **out, dp_error *err) {
    int verify = 0;
    dp_status st = check_sizes(f, &verify, err);
    if (st != DP_OK) return st;
    const uint64_t want = f->h.payload;
    uint64_t got = 0;
    if (verify) {
        st = src_read(f, NULL, want, &got, err);
        if (st == DP_OK && got < want) st = idx_truncated(f, got, err);
        if (st == DP_OK) st = expect_end(f, err);
        if (st == DP_OK) st = src_rewind(f, err); /* sound: read it again, keeping it */
        if (st == DP_OK) st = src_read(f, NULL, f->h.header_len, &got, err);
        if (st != DP_OK) return st;
    }
    size_t cap = want < READ_CHUNK ? (size_t)want : READ_CHUNK, have = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", f->path);
    while (st == DP_OK && have < want) {
        if (have == cap) { /* grow with the data that actually arrives */
            size_t ncap = (uint64_t)cap * 2 > want ? (size_t)want : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                st = dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", f->path);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        st = src_read(f, buf + have, cap - have, &got, err);
        have += (size_t)got;
        if (st == DP_OK && have < cap) st = idx_truncated(f, have, err);
    }
    if (st == DP_OK) st = expect_end(f, err);
    if (st != DP_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    return DP_OK;
}

dp_status dp_dataset_load(dp_dataset *ds, const char *images_path, const char *labels_path,
                          dp_error *err) {
    if (!ds || !images_path || !labels_path)
        return dp_error_set(err, DP_ERR_ARG, "dp_dataset_load: NULL argument");
    memset(ds, 0, sizeof *ds);
    idx_file im, lb;
    memset(&lb, 0, sizeof lb);
    lb.fd = -1;
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
            dp__bytes_to_unit(src, dst, px); /* vectorised for the CPU */
        }
        if (y) y[i] = ds->labels[s];
    }
}

const char *dp_data_dir(const char *flag, const char *env) {
    if (flag && *flag) return flag;
    if (env && *env) return env;
    return "data/mnist";
}
