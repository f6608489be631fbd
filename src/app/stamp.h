/* Local time as YYYYmmdd-HHMMSS, for exported and saved file names. */
#ifndef DIGITPAD_APP_STAMP_H
#define DIGITPAD_APP_STAMP_H

#include <stddef.h>

#define STAMP_LEN 32

void stamp_now(char out[STAMP_LEN]);

#endif
