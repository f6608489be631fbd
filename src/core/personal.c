/* A person's own labelled digits as IDX files (digitpad/personal.h). */
#include "digitpad/personal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digitpad/fileio.h"
#include "digitpad/pen.h"
#include "fileio.h"

#define PX 784

dp_status dp_personal_default_dir(const char *xdg, const char *home, char *out, size_t n,
                                  dp_error *err) {
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

#define STROKES_HEAD                                                                               \
    "{\"source\": \"digitpad personal set\", \"coords\": \"canvas cells / side, x right, y "       \
    "down\", \"drawings\": [\n"
#define STROKES_TAIL "\n]}\n"

static void free_lines(dp_personal *p) {
    for (uint32_t i = 0; i < p->n_stroke_lines; i++) free(p->stroke_lines[i]);
    free(p->stroke_lines);
    p->stroke_lines = NULL;
    p->n_stroke_lines = 0;
}

/* The drawing's JSON object (one line), malloc'ed; NULL if out of memory. */
static char *strokes_line(int label, const dp_drawn_strokes *s) {
    int ns = s && s->n_strokes > 0 ? s->n_strokes : 0;
    if (ns > DP_PEN_MAX_STROKES) ns = DP_PEN_MAX_STROKES;
    size_t cap = 128 + 8 * (size_t)ns;
    for (int k = 0; k < ns; k++)
        cap +=
            20 * (size_t)(s->n_points[k] < DP_PEN_MAX_POINTS ? s->n_points[k] : DP_PEN_MAX_POINTS);
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t n =
        (size_t)snprintf(out, cap, "{\"label\": \"%d\", \"writer\": \"me\", \"erased\": [", label);
    int first = 1;
    for (int k = 0; k < ns; k++)
        if (s->erase && s->erase[k]) {
            n += (size_t)snprintf(out + n, cap - n, "%s%d", first ? "" : ", ", k);
            first = 0;
        }
    n += (size_t)snprintf(out + n, cap - n, "], \"strokes\": [");
    const float *xy = ns ? s->xy : NULL;
    float side = s && s->side > 0 ? (float)s->side : 28.0f;
    int written = 0;
    for (int k = 0; k < ns; k++) {
        int np = s->n_points[k], keep = np < DP_PEN_MAX_POINTS ? np : DP_PEN_MAX_POINTS;
        if (keep > 0) {
            n += (size_t)snprintf(out + n, cap - n, "%s[", written ? ", " : "");
            for (int i = 0; i < keep; i++) {
                float x = xy[2 * i] / side, y = xy[2 * i + 1] / side;
                x = x > 0.0f ? (x < 1.0f ? x : 1.0f) : 0.0f;
                y = y > 0.0f ? (y < 1.0f ? y : 1.0f) : 0.0f;
                n += (size_t)snprintf(out + n, cap - n, "%s[%.4f, %.4f]", i ? ", " : "", (double)x,
                                      (double)y);
            }
            n += (size_t)snprintf(out + n, cap - n, "]");
            written++;
        }
        xy += 2 * (size_t)(np > 0 ? np : 0);
    }
    if (!written) n += (size_t)snprintf(out + n, cap - n, "[[0.0, 0.0]]"); /* no strokes kept */
    snprintf(out + n, cap - n, "]}");
    return out;
}

static dp_status save_strokes(const dp_personal *p, uint32_t n_lines, dp_error *err) {
    size_t len = strlen(STROKES_HEAD) + strlen(STROKES_TAIL) + 1;
    for (uint32_t i = 0; i < n_lines; i++) len += strlen(p->stroke_lines[i]) + 2;
    char *buf = malloc(len);
    if (!buf) return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
    size_t n = (size_t)snprintf(buf, len, "%s", STROKES_HEAD);
    for (uint32_t i = 0; i < n_lines; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ",\n" : "", p->stroke_lines[i]);
    n += (size_t)snprintf(buf + n, len - n, "%s", STROKES_TAIL);
    char path[4200];
    snprintf(path, sizeof path, "%s/strokes.json", p->dir);
    dp_status s = dp_write_file_atomic(path, buf, n, err);
    free(buf);
    return s;
}

/* strokes.json back into lines: checked with the pen reader, then split
 * (each drawing is one line starting with {"label"). */
static dp_status load_strokes(dp_personal *p, dp_error *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/strokes.json", p->dir);
    uint8_t *buf = NULL;
    size_t len = 0;
    dp_status s = read_all(path, &buf, &len, err);
    if (s != DP_OK || !buf) return s;
    dp_pen_set set;
    dp_error e = {0};
    dp_status ps = dp_pen_parse((const char *)buf, len, &set, &e);
    if (ps == DP_OK) dp_pen_free(&set);
    if (ps != DP_OK && ps != DP_ERR_EMPTY) {
        free(buf);
        return dp_error_set(err, ps, "%s: %s", path, e.msg);
    }
    char *text = (char *)buf; /* not NUL-terminated: walk by length */
    size_t i = 0;
    while (i < len && ps == DP_OK) {
        size_t j = i;
        while (j < len && text[j] != '\n') j++;
        if (j - i > 9 && memcmp(text + i, "{\"label\"", 8) == 0) {
            size_t end = j;
            if (end > i && text[end - 1] == ',') end--;
            char *line = malloc(end - i + 1);
            char **grown = realloc(p->stroke_lines, (p->n_stroke_lines + 1) * sizeof *grown);
            if (!line || !grown) {
                free(line);
                if (grown) p->stroke_lines = grown;
                free(buf);
                return dp_error_set(err, DP_ERR_NOMEM, "out of memory");
            }
            memcpy(line, text + i, end - i);
            line[end - i] = '\0';
            p->stroke_lines = grown;
            p->stroke_lines[p->n_stroke_lines++] = line;
        }
        i = j + 1;
    }
    free(buf);
    return DP_OK;
}

void dp_personal_close(dp_personal *p) {
    if (!p) return;
    free_lines(p);
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
    if (s == DP_OK) s = load_strokes(p, err);
    /* strokes.json is written last: it may lag the canvases by one */
    while (s == DP_OK && p->n_stroke_lines > p->canvas.count)
        free(p->stroke_lines[--p->n_stroke_lines]);
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
                          int label, const dp_drawn_strokes *strokes, int *held_out,
                          dp_error *err) {
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
    char *line = strokes_line(label, strokes);
    char **grown = line ? realloc(p->stroke_lines, (p->n_stroke_lines + 1) * sizeof *grown) : NULL;
    if (grown) p->stroke_lines = grown;
    dp_status s = grown ? DP_OK : dp_error_set(err, DP_ERR_NOMEM, "out of memory");
    /* strokes of the drawings whose canvases are stored, then this one */
    uint32_t before =
        p->n_stroke_lines < p->canvas.count - 1 ? p->n_stroke_lines : p->canvas.count - 1;
    if (s == DP_OK) s = dp_dataset_save(part, p->dir, held ? "t10k" : "train", err);
    if (s == DP_OK) s = dp_dataset_save(&p->canvas, p->dir, "canvas", err);
    if (s == DP_OK) {
        while (p->n_stroke_lines > before) free(p->stroke_lines[--p->n_stroke_lines]);
        p->stroke_lines[p->n_stroke_lines++] = line;
        line = NULL;
        s = save_strokes(p, p->n_stroke_lines, err);
        if (s != DP_OK) { /* the IDX files have it: take it out of them again */
            free(p->stroke_lines[--p->n_stroke_lines]);
            part->count--;
            p->canvas.count--;
            dp_dataset_save(part, p->dir, held ? "t10k" : "train", NULL);
            dp_dataset_save(&p->canvas, p->dir, "canvas", NULL);
            return s;
        }
    }
    free(line);
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
    if (p->n_stroke_lines > p->canvas.count) {
        free(p->stroke_lines[--p->n_stroke_lines]);
        s = save_strokes(p, p->n_stroke_lines, err); /* the drawing itself is undone already */
    }
    if (s != DP_OK) return s;
    if (label) *label = lab;
    return DP_OK;
}
