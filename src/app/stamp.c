#include "stamp.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

void stamp_now(char out[STAMP_LEN]) {
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(out, STAMP_LEN, "%Y%m%d-%H%M%S", &tm) == 0)
        out[0] = '\0';
}

int stamp_pick_names(const char *prefix, const char *const ends[], int count, char *const out[],
                     size_t n) {
    char stamp[STAMP_LEN];
    stamp_now(stamp);
    for (int k = 1; k < 1000; k++) {
        char suffix[16] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, "-%d", k);
        int free_names = 1;
        for (int i = 0; i < count; i++) {
            int len = snprintf(out[i], n, "%s%s%s%s", prefix, stamp, suffix, ends[i]);
            if (len < 0 || (size_t)len >= n) return -1;
            free_names &= access(out[i], F_OK) != 0;
        }
        if (free_names) return 0;
    }
    return -1;
}
