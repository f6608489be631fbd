#include "frame_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void frame_stats_add(frame_stats *s, float ms) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4096;
        float *p = realloc(s->ms, cap * sizeof *p);
        if (!p) return; /* stats are best effort */
        s->ms = p;
        s->cap = cap;
    }
    s->ms[s->n++] = ms;
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

float frame_stats_percentile(const frame_stats *s, float p) {
    if (s->n == 0) return 0.0f;
    float *v = malloc(s->n * sizeof *v);
    if (!v) return 0.0f;
    memcpy(v, s->ms, s->n * sizeof *v);
    qsort(v, s->n, sizeof *v, cmp_float);
    /* Nearest rank. */
    size_t rank = (size_t)ceil(p / 100.0 * (double)s->n);
    if (rank < 1) rank = 1;
    if (rank > s->n) rank = s->n;
    float r = v[rank - 1];
    free(v);
    return r;
}

float frame_stats_max(const frame_stats *s) {
    float m = 0.0f;
    for (size_t i = 0; i < s->n; i++)
        if (s->ms[i] > m) m = s->ms[i];
    return m;
}

void frame_stats_free(frame_stats *s) {
    free(s->ms);
    memset(s, 0, sizeof *s);
}
