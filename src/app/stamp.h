/* Local time as YYYYmmdd-HHMMSS, for exported and saved file names. */
#ifndef DIGITPAD_APP_STAMP_H
#define DIGITPAD_APP_STAMP_H

#include <stddef.h>

#define STAMP_LEN 32

void stamp_now(char out[STAMP_LEN]);
/* out[i] = prefix STAMP [-k] ends[i] for i < count (each out[i] has n
 * bytes), with the smallest k (none, then 2..999) for which none of the
 * files exists yet. Returns 0, or -1 if no such names fit. */
int stamp_pick_names(const char *prefix, const char *const ends[], int count, char *const out[],
                     size_t n);

#endif
