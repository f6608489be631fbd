/* How many threads a training step runs on when the caller leaves it to
 * the trainer (cfg.threads == 0): measured while training, not assumed.
 *
 * The step runs on `most` threads (one per online core) if they have made
 * 10% more samples per second than one thread lately, else on one. Each
 * count's rate is a running mean over windows of DP_TUNE_SECONDS of
 * training, each window counted for its length and a mean for at most one
 * window: a full window moves a mean of full windows half-way, a probe of
 * a quarter window a fifth of the way (a mean of less moves further).
 *
 * The trainer starts on one thread, which cannot stall if another program
 * has a core. After the start and after every change of count, the
 * batches are not counted until there have been two and DP_TUNE_SETTLE
 * seconds of them: the first touches the step's scratch for the first
 * time or wakes the workers, and each core then fetches its new share of
 * the weights from the other's caches (counted, this made the team look
 * slower than one thread when it was 1.7x faster). The first window of
 * each count, one thread's and then the team's (a probe), is a sixteenth
 * as long. So at batch 64, with a CPU hog on the other core, the team runs
 * three or four batches before the tuner settles on one thread, and on a
 * quiet machine the first four or five batches run on one thread.
 *
 * Now and then a window tries the other count (a probe): half as long
 * every 4th window while the two are within 25% of each other, every 8th
 * within 50%; a quarter as long every 16th within 2x, else every 32nd.
 * Each probe in a row that leaves the choice as it was doubles that
 * interval, three times at most (to 8x: 5 s of training at 2x), so a count
 * that keeps losing costs less and less; when the choice changes, or a
 * probe's rate is more than 25% off its count's mean (the machine has
 * changed: the mean then starts again from that probe), the interval
 * starts again from its base. A probe that runs at less than half the
 * chosen count's rate ends as soon as it is a sixteenth of a window long.
 *
 * Windows are measured in time, not samples, so that trying a count that
 * has become far slower costs little: with another program on one of two
 * cores, a team of two waits at its meetings for the thread that lost its
 * core, and at batch 1 (a meeting every few microseconds) it then runs ten
 * times slower than one thread. This notices within a fraction of a second
 * of training, and notices when the core is free again. The weights do not
 * depend on the choice (step_internal.h). Internal to the core; the tuner
 * only decides, the trainer switches the step. */
#ifndef DIGITPAD_TUNER_H
#define DIGITPAD_TUNER_H

#include <stdint.h>

#define DP_TUNE_SECONDS 0.02
/* not counted after a change of count: at least two batches and this long */
#define DP_TUNE_SETTLE (DP_TUNE_SECONDS / 16)

typedef struct dp_tuner {
    int on;                /* measure: cfg.threads == 0 and more than one core */
    int settle_count;      /* the count of the batches being settled (0: none run yet) */
    int settle_batches;    /* batches on it since it began, not counted while settling */
    double settle_seconds; /* and their seconds */
    int most;              /* one per online core */
    int now;               /* the thread count of the current window (the caller's) */
    int probing;           /* the current window tries the count that is not the best */
    int since_probe;       /* windows on the best count since the last probe */
    int best;              /* the count chosen after the last window */
    int confirmed;         /* probes in a row after which best stayed the same, up to 3 */
    double probe_len;      /* seconds of a probe window */
    uint32_t samples;      /* in the current window */
    double seconds;
    double rate[2];   /* running mean of samples/s on 1 thread [0] and on most [1]; 0 = not yet */
    double weight[2]; /* seconds of training behind each mean, at most DP_TUNE_SECONDS */
} dp_tuner;

/* A tuner that has measured nothing yet; now is the count the step runs on. */
void dp__tuner_init(dp_tuner *u, int on, int most, int now);
/* After a batch of n samples that took seconds on u->now threads: the count
 * for the next batch. The caller sets u->now once the step runs on it. */
int dp__tuner_after_batch(dp_tuner *u, int n, double seconds);

#endif
