/* libFuzzer target: the pen-digit JSON reader (see README.md). */
#include "digitpad/pen.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dp_pen_set s;
    dp_error err;
    err.msg[0] = '\0';
    if (dp_pen_parse((const char *)data, size, &s, &err) != DP_OK) {
        /* A rejection leaves nothing allocated and says why. */
        if (s.drawings || s.xy || s.writers || s.stroke_start || s.count || err.msg[0] == '\0')
            abort();
        return 0;
    }
    /* Accepted: every index and coordinate is within bounds. */
    if (s.count == 0) abort();
    for (uint32_t i = 0; i < s.count; i++) {
        const dp_pen_drawing *d = &s.drawings[i];
        if (d->label > 9 || d->writer >= s.n_writers || d->n_strokes < 1 ||
            d->n_strokes > DP_PEN_MAX_STROKES || d->first_stroke + d->n_strokes > s.n_strokes)
            abort();
        for (int k = 0; k < d->n_strokes; k++) {
            int n;
            const float *xy = dp_pen_stroke(&s, d, k, &n);
            if (n < 1 || n > DP_PEN_MAX_POINTS) abort();
            for (int j = 0; j < 2 * n; j++)
                if (!(xy[j] >= -DP_PEN_COORD_SLACK && xy[j] <= 1.0f + DP_PEN_COORD_SLACK)) abort();
        }
    }
    dp_pen_free(&s);
    return 0;
}
