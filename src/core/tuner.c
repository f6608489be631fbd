/* The trainer's choice of thread count (tuner.h). */
#include "tuner.h"

#include <string.h>

void dp__tuner_init(dp_tuner *u, int on, int most, int now) {
    memset(u, 0, sizeof *u);
    u->on = on;
    u->most = most;
    u->now = now;
}

/* Ends the window once it is long enough, and picks the count of the next. */
int dp__tuner_after_batch(dp_tuner *u, int n, double seconds) {
    /* settling after the start or a change of count (tuner.h): on the 2-core
     * VM the team's first 30-60 samples at batch 1 took 2-20x as long as
     * the rest, its first batch at batch 64 3x */
    if (u->now != u->settle_count) {
        u->settle_count = u->now;
        u->settle_batches = 0;
        u->settle_seconds = 0.0;
    }
    if (u->settle_batches < 2 || u->settle_seconds < DP_TUNE_SETTLE) {
        u->settle_batches++;
        u->settle_seconds += seconds;
        return u->now;
    }
    u->samples += (uint32_t)n;
    u->seconds += seconds;
    double *r = &u->rate[u->now > 1];
    /* a probe that runs at less than half the chosen count's rate ends
     * once it is a sixteenth of a window long (with another program on a
     * core, a team's batch can take a whole time slice; the sixteenth keeps
     * the first batch after a switch, which wakes the workers, from
     * deciding alone at batch 1): it has shown enough */
    const double chosen = u->rate[u->best > 1];
    const int losing = u->probing && chosen > 0.0 && u->seconds >= DP_TUNE_SECONDS / 16 &&
                       u->seconds * chosen > 2.0 * u->samples;
    if (!losing && u->seconds < (*r <= 0.0    ? DP_TUNE_SECONDS / 16
                                 : u->probing ? u->probe_len
                                              : DP_TUNE_SECONDS))
        return u->now;
    const double rate = u->seconds > 0.0 ? u->samples / u->seconds : 0.0;
    /* a probe more than 25% off its count's mean: the machine has changed
     * (a core was taken or freed, or the mean was made in a slow spell), so
     * take it as it is and probe often again. Only probes: a slow spell
     * then moves the chosen count's mean half-way, not all the way. */
    const int changed = u->probing && *r > 0.0 && (rate > 1.25 * *r || rate < 0.8 * *r);
    /* each window counts for its length, a mean for at most a window: a
     * full window moves a mean of full windows half-way, and a short probe
     * that happened to miss the other program's time slice does not count
     * as much as the full window after it, which did not */
    double *w = &u->weight[u->now > 1];
    if (*r > 0.0 && !changed) {
        *r = (*r * *w + rate * u->seconds) / (*w + u->seconds);
        *w += u->seconds;
    } else {
        *r = rate;
        *w = u->seconds;
    }
    if (*w > DP_TUNE_SECONDS) *w = DP_TUNE_SECONDS;
    if (changed) u->confirmed = 0;
    u->samples = 0;
    u->seconds = 0.0;
    /* one thread unless the team is clearly faster: it cannot stall */
    const int best = u->rate[1] > 1.1 * u->rate[0] ? u->most : 1, other = best == 1 ? u->most : 1;
    if (best != u->best)
        u->confirmed = 0;
    else if (u->probing && u->confirmed < 3)
        u->confirmed++;
    u->best = best;
    const double hi = u->rate[0] > u->rate[1] ? u->rate[0] : u->rate[1];
    const double lo = u->rate[0] > u->rate[1] ? u->rate[1] : u->rate[0];
    const int every = (lo <= 0.0        ? 1
                       : hi < 1.25 * lo ? 4
                       : hi < 1.5 * lo  ? 8
                       : hi < 2 * lo    ? 16
                                        : 32)
                      << u->confirmed;
    u->probe_len = hi < 1.5 * lo ? DP_TUNE_SECONDS / 2 : DP_TUNE_SECONDS / 4;
    u->since_probe = u->probing ? 0 : u->since_probe + 1;
    u->probing = u->since_probe >= every;
    return u->probing ? other : best;
}
