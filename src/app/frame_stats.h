/* Frame times (ms), kept in full so the exit report can give exact
 * percentiles. */
#ifndef DIGITPAD_APP_FRAME_STATS_H
#define DIGITPAD_APP_FRAME_STATS_H

#include <stddef.h>

typedef struct frame_stats {
    float *ms;
    size_t n, cap;
} frame_stats;

void frame_stats_add(frame_stats *s, float ms);
/* p in [0,100]; 0 if empty. */
float frame_stats_percentile(const frame_stats *s, float p);
float frame_stats_max(const frame_stats *s);
void frame_stats_free(frame_stats *s);

#endif
