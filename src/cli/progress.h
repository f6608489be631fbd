/* Training progress on stderr: on a terminal a one-line bar redrawn in place
 * (at most ~10 times a second); otherwise a plain line every ~10% of an
 * epoch, so logs stay readable. */
#ifndef DIGITPAD_CLI_PROGRESS_H
#define DIGITPAD_CLI_PROGRESS_H

#include <stdio.h>

#include "digitpad/train.h"

typedef struct cli_progress {
    FILE *out;
    int enabled;      /* 0 with --quiet */
    int tty;          /* redraw in place with \r */
    int drawn;        /* a bar is on screen and must be cleared before other output */
    double last_draw; /* monotonic seconds of the last redraw */
    int next_tenth;   /* non-tty: next 10% mark of the epoch to report */
    int last_epoch;   /* epoch the marks refer to */
} cli_progress;

void cli_progress_init(cli_progress *pb, FILE *out, int enabled);
/* Show p if it is time to (now: monotonic seconds from cli_now()). */
void cli_progress_update(cli_progress *pb, const dp_train_progress *p, double now);
/* Erase the bar (if drawn) so the next line starts clean. */
void cli_progress_clear(cli_progress *pb);

/* Monotonic clock in seconds. */
double cli_now(void);

#endif
