/* A person's own labelled digits as IDX files (digitpad/personal.h). */
#include "digitpad/personal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

#define PX 784

dp_status dp_personal_default_dir(char *out, size_t n, dp_error *err) {
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int k;
    if (xdg && xdg[0] == '/')
        k = snprintf(out, n, "%s/digitpad/personal", xdg);
    else if (home && *home)
        k = snprintf(out, n, "%s/.local/share/digitpad/personal", home);
    else
        return dp_error_set(err, DP_ERR_NOT_FOUND,
                            "no personal data directory: neither XDG_DATA_HOME nor HOME is set");
    if (k < 0 || (size_t)k >= n)
        return dp_error_set(err, DP_ERR_ARG, "personal directory: path too long");
    return DP_OK;
}

/* mkdir -p */
static dp_status make_dirs(const char *dir, dp_error *err) {
    char p[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof p) return dp_error_set(err, DP_ERR_ARG, "bad directory name");
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        if (stat(p, &st) != 0) {
            if (mkdir(p, 0700) != 0 && errno != EEXIST)
                return dp_error_set(err, DP_ERR_IO, "%s: cannot create: %s", p, strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            return dp_error_set(err, DP_ERR_IO, "%s: not a directory", p);
        }
        p[i] = c;
    }
    return DP_OK;
}

/* The whole file, or *buf = NULL if it does not exist. */
static dp_status read_all(const char *path, uint8_t **buf, size_t *len, dp_error *err) {
    *buf = NULL;
    *len = 0;
    int fd;
    uint64_t size;
    dp_error e = {0};
    dp_status s = dp_io_open_regular(path, &fd, &size, &e);
    if (s == DP_ERR_NOT_FOUND) return DP_OK;
    if (s != DP_OK) return dp_error_set(err, s, "%s", e.msg);
    if (size > (uint64_t)DP_PERSONAL_MAX * PX + 16) {
        close(fd);
        return dp_error_set(err, DP_ERR_RANGE, "%s: too large", path);
    }
    *buf = malloc(size ? (size_t)size : 1);
    if (!*buf) {
        close(fd);
        return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
    }
    s = dp_io_read_exact(fd, *buf, (size_t)size, path, err);
    close(fd);
    if (s != DP_OK) {
        free(*buf);
        *buf = NULL;
        return s;
    }
    *len = (size_t)size;
    return DP_OK;
}

/* Read DIR/PREFIX-* into ds; counts that differ are cut to the shorter. */
static dp_status load_part(const char *dir, const char *prefix, dp_dataset *ds, dp_error *err) {
    memset(ds, 0, sizeof *ds);
    ds->rows = ds->cols = 28;
    char path[4200];
    uint8_t *ib = NULL, *lb = NULL;
    size_t il, ll;
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    dp_status s = read_all(path, &ib, &il, err);
    if (s == DP_OK) {
        snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
        s = read_all(path, &lb, &ll, err);
    }
    uint32_t ni = 0, nl = 0, r, c;
    if (s == DP_OK && ib && lb) {
        dp_error e = {0};
        s = dp_idx_parse_images(ib, il, &ds->images, &ni, &r, &c, &e);
        if (s == DP_OK) s = dp_idx_parse_labels(lb, ll, &ds->labels, &nl, &e);
        if (s != DP_OK) dp_error_set(err, s, "%s/%s: %s", dir, prefix, e.msg);
    }
    free(ib);
    free(lb);
    if (s != DP_OK) {
        dp_dataset_free(ds);
        return s;
    }
    ds->count = ni < nl ? ni : nl;
    ds->rows = ds->cols = 28;
    return DP_OK;
}

void dp_personal_close(dp_personal *p) {
    if (!p) return;
    dp_dataset_free(&p->train);
    dp_dataset_free(&p->heldout);
    dp_dataset_free(&p->canvas);
}

dp_status dp_personal_open(dp_personal *p, const char *dir, dp_error *err) {
    if (!p || !dir) return dp_error_set(err, DP_ERR_ARG, "dp_personal_open: NULL argument");
    memset(p, 0, sizeof *p);
    if (strlen(dir) >= sizeof p->dir) return dp_error_set(err, DP_ERR_ARG, "path too long");
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    dp_status s = make_dirs(dir, err);
    if (s == DP_OK) s = load_part(dir, "train", &p->train, err);
    if (s == DP_OK) s = load_part(dir, "t10k", &p->heldout, err);
    if (s == DP_OK) s = load_part(dir, "canvas", &p->canvas, err);
    if (s != DP_OK) dp_personal_close(p);
    return s;
}

uint32_t dp_personal_count(const dp_personal *p) {
    return p ? p->train.count + p->heldout.count : 0;
}

void dp_personal_counts(const dp_personal *p, uint32_t counts[10]) {
    memset(counts, 0, 10 * sizeof *counts);
    if (!p) return;
    for (uint32_t i = 0; i < p->train.count; i++) counts[p->train.labels[i] % 10]++;
    for (uint32_t i = 0; i < p->heldout.count; i++) counts[p->heldout.labels[i] % 10]++;
}

static uint8_t to_byte(float v) {
    return (uint8_t)(v > 0.0f ? (v < 1.0f ? v * 255.0f + 0.5f : 255.0f) : 0.0f);
}

/* Append one image to ds (in memory). */
static dp_status append(dp_dataset *ds, const float *img, int label) {
    uint8_t *im = realloc(ds->images, ((size_t)ds->count + 1) * PX);
    if (!im) return DP_ERR_NOMEM;
    ds->images = im;
    uint8_t *lb = realloc(ds->labels, (size_t)ds->count + 1);
    if (!lb) return DP_ERR_NOMEM;
    ds->labels = lb;
    for (int i = 0; i < PX; i++) im[(size_t)ds->count * PX + (size_t)i] = to_byte(img[i]);
    lb[ds->count++] = (uint8_t)label;
    return DP_OK;
}

dp_status dp_personal_add(dp_personal *p, const float canvas[784], const float input[784],
                          int label, int *held_out, dp_error *err) {
    if (!p || !canvas || !input) return dp_error_set(err, DP_ERR_ARG, "dp_personal_add: NULL");
    if (label < 0 || label > 9)
        return dp_error_set(err, DP_ERR_RANGE, "label %d is not 0-9", label);
    if (dp_personal_count(p) >= DP_PERSONAL_MAX)
        return dp_error_set(err, DP_ERR_RANGE, "the personal set is full (%u drawings)",
                            DP_PERSONAL_MAX);
    int held = (dp_personal_count(p) + 1) % DP_PERSONAL_HOLDOUT == 0;
    dp_dataset *part = held ? &p->heldout : &p->train;
    if (append(part, input, label) != DP_OK || append(&p->canvas, canvas, label) != DP_OK)
        return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
    dp_status s = dp_dataset_save(part, p->dir, held ? "t10k" : "train", err);
    if (s == DP_OK) s = dp_dataset_save(&p->canvas, p->dir, "canvas", err);
    if (s != DP_OK) { /* keep memory as the files are: drop it again */
        part->count--;
        p->canvas.count--;
        return s;
    }
    if (held_out) *held_out = held;
    return DP_OK;
}

dp_status dp_personal_undo(dp_personal *p, int *label, dp_error *err) {
    if (!p) return dp_error_set(err, DP_ERR_ARG, "dp_personal_undo: NULL");
    uint32_t n = dp_personal_count(p);
    if (n == 0) return dp_error_set(err, DP_ERR_EMPTY, "nothing to undo");
    int held = n % DP_PERSONAL_HOLDOUT == 0 && p->heldout.count > 0;
    if (!held && p->train.count == 0) held = 1;
    dp_dataset *part = held ? &p->heldout : &p->train;
    int lab = part->labels[part->count - 1];
    part->count--;
    if (p->canvas.count > 0) p->canvas.count--;
    /* images, then labels: after a crash in between the labels file is one
       longer and the pair is read at the images' count, i.e. undone */
    dp_status s = dp_dataset_save(part, p->dir, held ? "t10k" : "train", err);
    if (s == DP_OK) s = dp_dataset_save(&p->canvas, p->dir, "canvas", err);
    if (s != DP_OK) {
        part->count++;
        p->canvas.count++;
        return s;
    }
    if (label) *label = lab;
    return DP_OK;
}
