/* NumPy .npz archives of the network (include/digitpad/npz.h,
 * docs/model-format.md): a zip file of four .npy arrays.
 *
 * Zip (PKWARE APPNOTE 6.3): each member is a 30-byte local header, its name
 * and its data; then a central directory of 46-byte entries (name, method,
 * CRC-32, sizes, offset of the local header) and a 22-byte end record that
 * says where the directory is. The reader trusts only the central directory
 * for sizes (Python's zipfile writes 0xffffffff and a zip64 extra into the
 * local headers of numpy.savez), checks the local header agrees on name and
 * method, and bounds every offset by the file.
 *
 * .npy (NumPy NEP 1): "\x93NUMPY", version, header length, then a Python
 * dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (784, 800), }
 * padded with spaces and a newline, then the raw values. */
#include "digitpad/npz.h"

#include "digitpad/fileio.h"
#include "digitpad/model.h"

#include "bytes.h"
#include "fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum {
    N_ARRAYS = 4,
    MAX_MEMBERS = 64,
    MAX_NAME = 64,
    LOCAL_LEN = 30,
    CENTRAL_LEN = 46,
    EOCD_LEN = 22,
    METHOD_STORED = 0,
    METHOD_DEFLATE = 8,
    ZIP_VERSION = 20,             /* 2.0: deflate, no zip64 */
    DOS_DATE_1980 = (1 << 5) | 1, /* 1980-01-01, so files are reproducible */
    NPY_ALIGN = 64,
    NPY_MAX_DIMS = 8,
    DEFLATE_MAX_RATIO = 1032 /* deflate cannot expand data more than this */
};
#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define U32_LIMIT 0xffffffffu

static const char NPY_MAGIC[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
/* The members, in the order they are written. */
static const char *const ARRAY_NAMES[N_ARRAYS] = {"W1", "b1", "W2", "b2"};

/* ---- writing ---- */

/* The .npy header (magic to newline) for a float32 array of ndim dims;
 * returns its length, a multiple of NPY_ALIGN, or 0 if it does not fit. */
static size_t npy_header(char *h, size_t cap, int ndim, const int *dims) {
    char shape[48];
    if (ndim == 1)
        snprintf(shape, sizeof shape, "(%d,)", dims[0]);
    else
        snprintf(shape, sizeof shape, "(%d, %d)", dims[0], dims[1]);
    char dict[128];
    int n = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }",
                     shape);
    if (n < 0 || (size_t)n >= sizeof dict) return 0;
    size_t total = (10 + (size_t)n + 1 + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    if (total > cap) return 0;
    memcpy(h, NPY_MAGIC, sizeof NPY_MAGIC);
    h[6] = 1; /* version 1.0 */
    h[7] = 0;
    dp__put16((uint8_t *)h + 8, (uint16_t)(total - 10));
    memcpy(h + 10, dict, (size_t)n);
    memset(h + 10 + n, ' ', total - 10 - (size_t)n - 1);
    h[total - 1] = '\n';
    return total;
}

typedef struct out_array {
    char name[8]; /* "W1.npy" */
    int ndim, dims[2];
    const float *values;
    size_t count;
    char header[128];
    size_t header_len;
    uint64_t npy_len, offset; /* bytes of the .npy; offset of its local header */
} out_array;

static void put_float_le(uint8_t *p, const float *v, size_t n) {
    for (size_t i = 0; i < n; i++) dp__put32(p + 4 * i, dp__float_bits(v[i]));
}

/* A local header (central = 0) or central directory entry (central = 1). */
static size_t put_entry(uint8_t *p, const out_array *a, uint32_t crc, int central) {
    size_t name_len = strlen(a->name);
    size_t at = 0;
    dp__put32(p, central ? SIG_CENTRAL : SIG_LOCAL);
    at = 4;
    if (central) {
        dp__put16(p + at, ZIP_VERSION); /* version made by (MS-DOS, 2.0) */
        at += 2;
    }
    dp__put16(p + at, ZIP_VERSION); /* version needed */
    dp__put16(p + at + 2, 0);       /* flags */
    dp__put16(p + at + 4, METHOD_STORED);
    dp__put16(p + at + 6, 0); /* time */
    dp__put16(p + at + 8, DOS_DATE_1980);
    dp__put32(p + at + 10, crc);
    dp__put32(p + at + 14, (uint32_t)a->npy_len);
    dp__put32(p + at + 18, (uint32_t)a->npy_len);
    dp__put16(p + at + 22, (uint16_t)name_len);
    dp__put16(p + at + 24, 0); /* extra length */
    at += 26;
    if (central) {
        memset(p + at, 0, 10); /* comment length, disk, internal and external attributes */
        dp__put32(p + at + 10, (uint32_t)a->offset);
        at += 14;
    }
    memcpy(p + at, a->name, name_len);
    return at + name_len;
}

dp_status dp_npz_encode(const dp_mlp *m, uint8_t **out, size_t *len, dp_error *err) {
    if (!out || !len) return dp_error_set(err, DP_ERR_ARG, "dp_npz_encode: NULL argument");
    *out = NULL;
    *len = 0;
    dp_status st = dp_io_check_savable(m, "dp_npz_encode", err);
    if (st != DP_OK) return st;
    out_array a[N_ARRAYS];
    memset(a, 0, sizeof a);
    const float *values[N_ARRAYS] = {m->W1, m->b1, m->W2, m->b2};
    const int dims[N_ARRAYS][2] = {
        {m->n_in, m->n_hidden}, {m->n_hidden, 0}, {m->n_hidden, m->n_out}, {m->n_out, 0}};
    uint64_t total = EOCD_LEN, local_at = 0;
    for (int i = 0; i < N_ARRAYS; i++) {
        snprintf(a[i].name, sizeof a[i].name, "%s.npy", ARRAY_NAMES[i]);
        a[i].ndim = dims[i][1] ? 2 : 1;
        a[i].dims[0] = dims[i][0];
        a[i].dims[1] = dims[i][1];
        a[i].values = values[i];
        a[i].count = (size_t)dims[i][0] * (size_t)(dims[i][1] ? dims[i][1] : 1);
        a[i].header_len = npy_header(a[i].header, sizeof a[i].header, a[i].ndim, a[i].dims);
        a[i].npy_len = a[i].header_len + 4 * (uint64_t)a[i].count;
        a[i].offset = local_at;
        local_at += LOCAL_LEN + strlen(a[i].name) + a[i].npy_len;
        total += LOCAL_LEN + CENTRAL_LEN + 2 * strlen(a[i].name) + a[i].npy_len;
        if (a[i].header_len == 0 || total >= U32_LIMIT)
            return dp_error_set(err, DP_ERR_RANGE,
                                "a %d-%d-%d network is too large for an .npz without zip64",
                                m->n_in, m->n_hidden, m->n_out);
    }
    uint8_t *buf = malloc((size_t)total);
    if (!buf)
        return dp_error_set(err, DP_ERR_NOMEM, "out of memory for a %llu-byte .npz",
                            (unsigned long long)total);
    uint32_t crc[N_ARRAYS];
    size_t at = 0;
    for (int i = 0; i < N_ARRAYS; i++) {
        size_t local = at;
        at += LOCAL_LEN + strlen(a[i].name);
        uint8_t *npy = buf + at;
        memcpy(npy, a[i].header, a[i].header_len);
        put_float_le(npy + a[i].header_len, a[i].values, a[i].count);
        crc[i] = dp_crc32(0, npy, (size_t)a[i].npy_len);
        put_entry(buf + local, &a[i], crc[i], 0);
        at += (size_t)a[i].npy_len;
    }
    size_t dir = at;
    for (int i = 0; i < N_ARRAYS; i++) at += put_entry(buf + at, &a[i], crc[i], 1);
    uint8_t *e = buf + at;
    dp__put32(e, SIG_EOCD);
    dp__put16(e + 4, 0); /* this disk */
    dp__put16(e + 6, 0); /* disk of the directory */
    dp__put16(e + 8, N_ARRAYS);
    dp__put16(e + 10, N_ARRAYS);
    dp__put32(e + 12, (uint32_t)(at - dir));
    dp__put32(e + 16, (uint32_t)dir);
    dp__put16(e + 20, 0); /* comment length */
    *out = buf;
    *len = (size_t)total;
    return DP_OK;
}

dp_status dp_npz_save(const char *path, const dp_mlp *m, dp_error *err) {
    if (!path || !*path) return dp_error_set(err, DP_ERR_ARG, "dp_npz_save: no path given");
    uint8_t *buf;
    size_t len;
    dp_status st = dp_npz_encode(m, &buf, &len, err);
    if (st != DP_OK) return st;
    st = dp_write_file_atomic(path, buf, len, err);
    free(buf);
    return st;
}

/* ---- reading: zip ---- */

typedef struct member {
    char name[MAX_NAME + 1];
    uint16_t method;
    uint32_t crc;
    uint64_t csize, usize;
    const uint8_t *data; /* csize bytes of the file */
} member;

/* The end-of-central-directory record: the last one whose comment reaches
 * exactly the end of the file. */
static dp_status find_eocd(const uint8_t *buf, size_t len, const char *name, size_t *at,
                           dp_error *err) {
    if (len < EOCD_LEN)
        return dp_error_set(
            err, len >= 4 && dp__get32(buf) == SIG_LOCAL ? DP_ERR_TRUNCATED : DP_ERR_FORMAT,
            "%s: %zu bytes, too short for a zip archive (.npz)", name, len);
    size_t lowest = len - EOCD_LEN > 0xffff ? len - EOCD_LEN - 0xffff : 0;
    for (size_t p = len - EOCD_LEN + 1; p-- > lowest;) {
        if (dp__get32(buf + p) == SIG_EOCD && p + EOCD_LEN + dp__get16(buf + p + 20) == len) {
            *at = p;
            return DP_OK;
        }
    }
    /* A zip whose end was cut off still starts with a local header. */
    if (dp__get32(buf) == SIG_LOCAL)
        return dp_error_set(err, DP_ERR_TRUNCATED,
                            "%s: zip archive without its central directory: the file is truncated",
                            name);
    return dp_error_set(err, DP_ERR_FORMAT, "%s: not a zip archive (.npz)", name);
}

static int array_index(const char *member_name) {
    for (int i = 0; i < N_ARRAYS; i++) {
        size_t n = strlen(ARRAY_NAMES[i]);
        if (!strncmp(member_name, ARRAY_NAMES[i], n) && !strcmp(member_name + n, ".npy")) return i;
    }
    return -1;
}

/* Check one central directory entry (at buf + p, within the directory that
 * ends at dir_end) and the local header it points to; fill mb. */
static dp_status read_entry(const uint8_t *buf, size_t dir_start, size_t dir_end, size_t *p,
                            const char *name, member *mb, dp_error *err) {
    const uint8_t *c = buf + *p;
    if (dir_end - *p < CENTRAL_LEN || dp__get32(c) != SIG_CENTRAL)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: damaged zip central directory", name);
    uint16_t flags = dp__get16(c + 8);
    size_t nlen = dp__get16(c + 28), xlen = dp__get16(c + 30), klen = dp__get16(c + 32);
    if (dir_end - *p - CENTRAL_LEN < nlen + xlen + klen)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: damaged zip central directory", name);
    if (nlen == 0 || nlen > MAX_NAME || memchr(c + CENTRAL_LEN, 0, nlen))
        return dp_error_set(err, DP_ERR_FORMAT, "%s: zip member with a bad name", name);
    memcpy(mb->name, c + CENTRAL_LEN, nlen);
    mb->name[nlen] = '\0';
    mb->method = dp__get16(c + 10);
    mb->crc = dp__get32(c + 16);
    mb->csize = dp__get32(c + 20);
    mb->usize = dp__get32(c + 24);
    uint64_t local = dp__get32(c + 42);
    *p += CENTRAL_LEN + nlen + xlen + klen;
    if (flags & 1) return dp_error_set(err, DP_ERR_FORMAT, "%s: %s is encrypted", name, mb->name);
    if (mb->method != METHOD_STORED && mb->method != METHOD_DEFLATE)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: %s uses zip compression method %u (only stored and deflate are "
                            "read)",
                            name, mb->name, (unsigned)mb->method);
    if (mb->csize == U32_LIMIT || mb->usize == U32_LIMIT || local == U32_LIMIT)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: %s needs zip64, which is not supported", name,
                            mb->name);
    /* The local header and the data lie before the central directory. */
    if (local > dir_start || dir_start - local < LOCAL_LEN)
        return dp_error_set(err, DP_ERR_TRUNCATED, "%s: %s: local header outside the archive", name,
                            mb->name);
    const uint8_t *l = buf + local;
    size_t lnlen = dp__get16(l + 26), lxlen = dp__get16(l + 28);
    uint64_t data = local + LOCAL_LEN + lnlen + lxlen;
    if (dp__get32(l) != SIG_LOCAL || data > dir_start || lnlen != nlen ||
        memcmp(l + LOCAL_LEN, mb->name, nlen) != 0 || dp__get16(l + 8) != mb->method)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: %s: local header disagrees with the central directory", name,
                            mb->name);
    if (dir_start - data < mb->csize)
        return dp_error_set(err, DP_ERR_TRUNCATED, "%s: %s: data runs past the end of the archive",
                            name, mb->name);
    mb->data = buf + data;
    return DP_OK;
}

/* Find the four arrays' members; any other member is an error. */
static dp_status read_directory(const uint8_t *buf, size_t len, const char *name,
                                member found[N_ARRAYS], dp_error *err) {
    size_t e = 0;
    dp_status st = find_eocd(buf, len, name, &e, err);
    if (st != DP_OK) return st;
    const uint8_t *eocd = buf + e;
    unsigned entries = dp__get16(eocd + 10);
    uint64_t dir_size = dp__get32(eocd + 12), dir_start = dp__get32(eocd + 16);
    if (dp__get16(eocd + 4) != 0 || dp__get16(eocd + 6) != 0 || dp__get16(eocd + 8) != entries)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: multi-part zip archives are not supported",
                            name);
    if (entries == 0xffff || dir_size == U32_LIMIT || dir_start == U32_LIMIT)
        return dp_error_set(err, DP_ERR_FORMAT, "%s: zip64 archives are not supported", name);
    if (dir_start > e || e - dir_start != dir_size)
        return dp_error_set(err, DP_ERR_FORMAT,
                            "%s: zip central directory is not where the end record says", name);
    if (entries > MAX_MEMBERS)
        return dp_error_set(err, DP_ERR_SHAPE, "%s: %u arrays; a digitpad network has 4", name,
                            entries);
    size_t p = (size_t)dir_start;
    for (unsigned i = 0; i < entries; i++) {
        member mb;
        if ((st = read_entry(buf, (size_t)dir_start, e, &p, name, &mb, err)) != DP_OK) return st;
        int k = array_index(mb.name);
        if (k < 0)
            return dp_error_set(err, DP_ERR_SHAPE,
                                "%s: unexpected member %s (a digitpad network has exactly W1, b1, "
                                "W2 and b2)",
                                name, mb.name);
        if (found[k].data)
            return dp_error_set(err, DP_ERR_FORMAT, "%s: %s appears twice", name, mb.name);
        found[k] = mb;
    }
    if (p != e) return dp_error_set(err, DP_ERR_FORMAT, "%s: damaged zip central directory", name);
    for (int k = 0; k < N_ARRAYS; k++)
        if (!found[k].data)
            return dp_error_set(err, DP_ERR_SHAPE,
                                "%s: no array %s (a digitpad network has W1, "
                                "b1, W2 and b2)",
                                name, ARRAY_NAMES[k]);
    return DP_OK;
}

/* The member's uncompressed bytes: the file's own bytes if stored (*owned
 * NULL), else a new buffer in *owned. Checks the CRC-32. */
static dp_status extract(const member *mb, const char *name, const uint8_t **bytes, uint8_t **owned,
                         dp_error *err) {
    *owned = NULL;
    if (mb->usize > DP_NPZ_MAX_ARRAY + 4096)
        return dp_error_set(err, DP_ERR_RANGE, "%s: %s: %llu bytes, too large", name, mb->name,
                            (unsigned long long)mb->usize);
    if (mb->method == METHOD_STORED) {
        if (mb->csize != mb->usize)
            return dp_error_set(err, DP_ERR_FORMAT, "%s: %s: stored member with two sizes", name,
                                mb->name);
        *bytes = mb->data;
    } else {
        if (mb->usize > mb->csize * DEFLATE_MAX_RATIO + 64)
            return dp_error_set(err, DP_ERR_FORMAT,
                                "%s: %s: %llu compressed bytes cannot hold %llu", name, mb->name,
                                (unsigned long long)mb->csize, (unsigned long long)mb->usize);
        uint8_t *out = malloc(mb->usize ? (size_t)mb->usize : 1);
        if (!out) return dp_error_set(err, DP_ERR_NOMEM, "%s: %s: out of memory", name, mb->name);
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
            free(out);
            return dp_error_set(err, DP_ERR_NOMEM, "%s: cannot start zlib", name);
        }
        zs.next_in = (Bytef *)(uintptr_t)mb->data; /* zlib does not write through next_in */
        zs.avail_in = (uInt)mb->csize;
        zs.next_out = out;
        zs.avail_out = (uInt)mb->usize;
        int z = inflate(&zs, Z_FINISH);
        int complete = z == Z_STREAM_END && zs.total_out == mb->usize && zs.avail_in == 0;
        inflateEnd(&zs);
        if (!complete) {
            free(out);
            return dp_error_set(err, z == Z_BUF_ERROR ? DP_ERR_TRUNCATED : DP_ERR_FORMAT,
                                "%s: %s: damaged compressed data", name, mb->name);
        }
        *owned = out;
        *bytes = out;
    }
    uint32_t crc = dp_crc32(0, *bytes, (size_t)mb->usize);
    if (crc != mb->crc) {
        free(*owned);
        *owned = NULL;
        return dp_error_set(err, DP_ERR_CHECKSUM,
                            "%s: %s: CRC-32 mismatch (stored 0x%08x, computed 0x%08x): the file "
                            "is corrupted",
                            name, mb->name, (unsigned)mb->crc, (unsigned)crc);
    }
    return DP_OK;
}

/* ---- reading: .npy ---- */

typedef struct npy {
    int ndim;
    uint64_t dims[NPY_MAX_DIMS];
    int fortran, big_endian;
    const uint8_t *values; /* 4 * count bytes */
    uint64_t count;
} npy;

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_space(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n')) c->p++;
}
static int take(cursor *c, char ch) {
    skip_space(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}
/* A quoted Python string without escapes into s (at most cap-1 chars). */
static int take_string(cursor *c, char *s, size_t cap) {
    skip_space(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) return 0;
    char q = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != q) {
        if (*c->p == '\\' || n + 1 >= cap) return 0;
        s[n++] = *c->p++;
    }
    if (c->p >= c->end) return 0;
    c->p++;
    s[n] = '\0';
    return 1;
}
static int take_word(cursor *c, const char *w) {
    skip_space(c);
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0) return 0;
    c->p += n;
    return 1;
}
/* A tuple of non-negative integers: (), (a,), (a, b), ... */
static int take_shape(cursor *c, npy *a) {
    if (!take(c, '(')) return 0;
    a->ndim = 0;
    if (take(c, ')')) return 1;
    for (;;) {
        skip_space(c);
        uint64_t v = 0;
        int digits = 0;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
            v = v * 10 + (uint64_t)(*c->p++ - '0');
            if (++digits > 12) return 0;
        }
        if (!digits || a->ndim == NPY_MAX_DIMS) return 0;
        if (c->p < c->end && *c->p == 'L') c->p++; /* Python 2 longs */
        a->dims[a->ndim++] = v;
        if (take(c, ')')) return 1;
        if (!take(c, ',')) return 0;
        if (take(c, ')')) return 1;
    }
}

static dp_status bad_npy(dp_error *err, const char *name, const char *array, const char *what) {
    return dp_error_set(err, DP_ERR_FORMAT, "%s: %s.npy: %s", name, array, what);
}

/* Parse the header dict of an .npy. */
static dp_status parse_dict(cursor *c, const char *name, const char *array, npy *a, dp_error *err) {
    unsigned seen = 0;
    if (!take(c, '{')) return bad_npy(err, name, array, "header is not a Python dict");
    while (!take(c, '}')) {
        char key[32], val[32];
        if (!take_string(c, key, sizeof key) || !take(c, ':'))
            return bad_npy(err, name, array, "malformed header");
        unsigned bit;
        if (!strcmp(key, "descr")) {
            bit = 1;
            if (!take_string(c, val, sizeof val))
                return bad_npy(err, name, array, "malformed 'descr' (dtype) in the header");
            if (!strcmp(val, "<f4")) {
                a->big_endian = 0;
            } else if (!strcmp(val, ">f4")) {
                a->big_endian = 1;
            } else {
                return dp_error_set(err, DP_ERR_FORMAT,
                                    "%s: %s.npy: dtype '%s', digitpad needs float32 ('<f4'): save "
                                    "it with .astype(numpy.float32)",
                                    name, array, val);
            }
        } else if (!strcmp(key, "fortran_order")) {
            bit = 2;
            if (take_word(c, "True"))
                a->fortran = 1;
            else if (take_word(c, "False"))
                a->fortran = 0;
            else
                return bad_npy(err, name, array, "'fortran_order' is neither True nor False");
        } else if (!strcmp(key, "shape")) {
            bit = 4;
            if (!take_shape(c, a))
                return bad_npy(err, name, array, "malformed 'shape' in the header");
        } else {
            return bad_npy(err, name, array, "unknown key in the header");
        }
        if (seen & bit) return bad_npy(err, name, array, "a key appears twice in the header");
        seen |= bit;
        if (take(c, '}')) break;
        if (!take(c, ',')) return bad_npy(err, name, array, "malformed header");
    }
    skip_space(c);
    if (c->p != c->end) return bad_npy(err, name, array, "unexpected text after the header dict");
    if (seen != 7)
        return bad_npy(err, name, array, "header lacks 'descr', 'fortran_order' or 'shape'");
    return DP_OK;
}

static dp_status parse_npy(const uint8_t *b, uint64_t size, const char *name, const char *array,
                           npy *a, dp_error *err) {
    memset(a, 0, sizeof *a);
    if (size < 10 || memcmp(b, NPY_MAGIC, sizeof NPY_MAGIC) != 0)
        return bad_npy(err, name, array, "not a NumPy .npy array");
    uint64_t hlen, off;
    if (b[6] == 1 && b[7] == 0) {
        hlen = dp__get16(b + 8);
        off = 10;
    } else if ((b[6] == 2 || b[6] == 3) && b[7] == 0 && size >= 12) {
        hlen = dp__get32(b + 8);
        off = 12;
    } else {
        return dp_error_set(err, DP_ERR_VERSION,
                            "%s: %s.npy: .npy format version %u.%u is not read", name, array,
                            (unsigned)b[6], (unsigned)b[7]);
    }
    if (hlen == 0 || hlen > size - off)
        return dp_error_set(err, DP_ERR_TRUNCATED, "%s: %s.npy: header runs past the array", name,
                            array);
    const char *h = (const char *)b + off;
    if (h[hlen - 1] != '\n' || memchr(h, 0, (size_t)hlen))
        return bad_npy(err, name, array, "header does not end in a newline");
    cursor c = {h, h + hlen};
    dp_status st = parse_dict(&c, name, array, a, err);
    if (st != DP_OK) return st;
    a->count = 1;
    for (int d = 0; d < a->ndim; d++) {
        if (a->dims[d] > DP_NPZ_MAX_ARRAY ||
            a->count * (a->dims[d] ? a->dims[d] : 1) > DP_NPZ_MAX_ARRAY / 4)
            return dp_error_set(err, DP_ERR_RANGE, "%s: %s.npy: array too large", name, array);
        a->count *= a->dims[d];
    }
    uint64_t have = size - off - hlen;
    if (have != 4 * a->count)
        return dp_error_set(err, have < 4 * a->count ? DP_ERR_TRUNCATED : DP_ERR_FORMAT,
                            "%s: %s.npy: %llu bytes of values, its shape needs %llu", name, array,
                            (unsigned long long)have, (unsigned long long)(4 * a->count));
    a->values = b + off + hlen;
    return DP_OK;
}

/* ---- reading: the network ---- */

static float value_at(const npy *a, uint64_t i) {
    const uint8_t *p = a->values + 4 * i;
    uint32_t u = a->big_endian
                     ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                     : dp__get32(p);
    return dp__bits_float(u);
}

/* rows x cols of a 2-D array, or 1 x n of a vector (a bias may be (n,) or
 * (1, n)). */
static void matrix_dims(const npy *a, uint64_t *rows, uint64_t *cols) {
    *rows = a->ndim == 2 ? a->dims[0] : 1;
    *cols = a->ndim == 2 ? a->dims[1] : a->ndim == 1 ? a->dims[0] : 1;
}

static dp_status check_shapes(const npy arr[N_ARRAYS], const char *name, int *I, int *H, int *O,
                              dp_error *err) {
    const npy *W1 = &arr[0], *b1 = &arr[1], *W2 = &arr[2], *b2 = &arr[3];
    const char *hint = " (PyTorch's nn.Linear weight is out x in: save weight.T)";
    for (int k = 0; k < N_ARRAYS; k++) {
        int is_bias = k == 1 || k == 3;
        int ok = is_bias ? (arr[k].ndim == 1 || (arr[k].ndim == 2 && arr[k].dims[0] == 1))
                         : arr[k].ndim == 2;
        if (!ok)
            return dp_error_set(err, DP_ERR_SHAPE, "%s: %s has %d dimensions, expected %s", name,
                                ARRAY_NAMES[k], arr[k].ndim, is_bias ? "1" : "2");
        for (int d = 0; d < arr[k].ndim; d++)
            if (arr[k].dims[d] < 1 || arr[k].dims[d] > DP_MAX_UNITS)
                return dp_error_set(err, DP_ERR_SHAPE, "%s: %s has a size of %llu (must be 1..%d)",
                                    name, ARRAY_NAMES[k], (unsigned long long)arr[k].dims[d],
                                    DP_MAX_UNITS);
    }
    uint64_t r, n_b1, n_b2;
    matrix_dims(b1, &r, &n_b1);
    matrix_dims(b2, &r, &n_b2);
    if (n_b1 != W1->dims[1])
        return dp_error_set(err, DP_ERR_SHAPE, "%s: W1 is %llux%llu but b1 has %llu values%s", name,
                            (unsigned long long)W1->dims[0], (unsigned long long)W1->dims[1],
                            (unsigned long long)n_b1, n_b1 == W1->dims[0] ? hint : "");
    if (W2->dims[0] != W1->dims[1])
        return dp_error_set(err, DP_ERR_SHAPE,
                            "%s: W1 is %llux%llu, so W2 needs %llu rows, not "
                            "%llu%s",
                            name, (unsigned long long)W1->dims[0], (unsigned long long)W1->dims[1],
                            (unsigned long long)W1->dims[1], (unsigned long long)W2->dims[0],
                            W2->dims[1] == W1->dims[1] ? hint : "");
    if (n_b2 != W2->dims[1])
        return dp_error_set(err, DP_ERR_SHAPE, "%s: W2 is %llux%llu but b2 has %llu values", name,
                            (unsigned long long)W2->dims[0], (unsigned long long)W2->dims[1],
                            (unsigned long long)n_b2);
    *I = (int)W1->dims[0];
    *H = (int)W1->dims[1];
    *O = (int)W2->dims[1];
    return DP_OK;
}

/* Copy array a (rows x cols, C or Fortran order) into dst in C order,
 * refusing NaN and infinities. */
static dp_status copy_values(const npy *a, const char *name, const char *array, float *dst,
                             dp_error *err) {
    uint64_t rows, cols;
    matrix_dims(a, &rows, &cols);
    for (uint64_t i = 0; i < rows; i++)
        for (uint64_t j = 0; j < cols; j++) {
            float v = value_at(a, a->fortran ? j * rows + i : i * cols + j);
            if (!dp__bits_finite(dp__float_bits(v))) {
                const char *what = v != v ? "NaN" : "infinite";
                if (a->ndim == 2 && rows > 1)
                    return dp_error_set(err, DP_ERR_RANGE, "%s: %s[%llu][%llu] is %s", name, array,
                                        (unsigned long long)i, (unsigned long long)j, what);
                return dp_error_set(err, DP_ERR_RANGE, "%s: %s[%llu] is %s", name, array,
                                    (unsigned long long)j, what);
            }
            dst[i * cols + j] = v;
        }
    return DP_OK;
}

static dp_status parse_npz(const uint8_t *buf, size_t len, const char *name, dp_mlp **out,
                           dp_error *err) {
    if (!out || (!buf && len)) return dp_error_set(err, DP_ERR_ARG, "%s: NULL argument", name);
    *out = NULL;
    member found[N_ARRAYS];
    memset(found, 0, sizeof found);
    dp_status st = read_directory(buf, len, name, found, err);
    if (st != DP_OK) return st;
    uint8_t *owned[N_ARRAYS] = {NULL, NULL, NULL, NULL};
    npy arr[N_ARRAYS];
    for (int k = 0; k < N_ARRAYS && st == DP_OK; k++) {
        const uint8_t *bytes = NULL;
        st = extract(&found[k], name, &bytes, &owned[k], err);
        if (st == DP_OK) st = parse_npy(bytes, found[k].usize, name, ARRAY_NAMES[k], &arr[k], err);
    }
    int I = 0, H = 0, O = 0;
    if (st == DP_OK) st = check_shapes(arr, name, &I, &H, &O, err);
    dp_mlp *m = NULL;
    if (st == DP_OK && (st = dp_mlp_create(&m, I, H, O)) != DP_OK)
        dp_error_set(err, st, "%s: cannot create a %d-%d-%d network: %s", name, I, H, O,
                     dp_status_str(st));
    if (st == DP_OK) {
        float *dst[N_ARRAYS] = {m->W1, m->b1, m->W2, m->b2};
        for (int k = 0; k < N_ARRAYS && st == DP_OK; k++)
            st = copy_values(&arr[k], name, ARRAY_NAMES[k], dst[k], err);
        if (st == DP_OK) st = dp_io_check_usable(m, name, err); /* finite but huge weights */
    }
    for (int k = 0; k < N_ARRAYS; k++) free(owned[k]);
    if (st != DP_OK) {
        dp_mlp_destroy(m);
        return st;
    }
    *out = m;
    return DP_OK;
}

dp_status dp_npz_load_mem(const uint8_t *buf, size_t len, dp_mlp **out, dp_error *err) {
    return parse_npz(buf, len, "npz data", out, err);
}

dp_status dp_npz_load(const char *path, dp_mlp **out, dp_error *err) {
    if (!path || !out) return dp_error_set(err, DP_ERR_ARG, "dp_npz_load: NULL argument");
    *out = NULL;
    uint8_t *buf;
    size_t len;
    dp_status st = dp_io_read_file(path, DP_NPZ_MAX_FILE, &buf, &len, err);
    if (st != DP_OK) return st;
    st = parse_npz(buf, len, path, out, err);
    free(buf);
    return st;
}
