/* Paths in a test's scratch directory and its removal (header-only helpers
 * shared by the file tests). */
#ifndef DIGITPAD_TEST_SCRATCH_H
#define DIGITPAD_TEST_SCRATCH_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* dir/name in one of four rotating static buffers, so one call can take
 * several paths. */
static const char *dpt_path(const char *dir, const char *name) {
    static char p[4][4400];
    static int next;
    char *s = p[next++ % 4];
    snprintf(s, sizeof p[0], "%s/%s", dir, name);
    return s;
}

/* Remove the entries of a flat scratch directory (files and empty
 * directories), then the directory; each failure is a test failure. */
static void dpt_remove_scratch(const char *dir) {
    DIR *dp = opendir(dir);
    struct dirent *de;
    while (dp && (de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        const char *p = dpt_path(dir, de->d_name);
        CHECKF(unlink(p) == 0 || rmdir(p) == 0, "cleanup %s", p);
    }
    if (dp) closedir(dp);
    CHECKF(rmdir(dir) == 0, "cleanup %s", dir);
}

#endif
