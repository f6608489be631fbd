#include "stamp.h"

#include <time.h>

void stamp_now(char out[STAMP_LEN]) {
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(out, STAMP_LEN, "%Y%m%d-%H%M%S", &tm) == 0)
        out[0] = '\0';
}
