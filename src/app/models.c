#define _XOPEN_SOURCE 700 /* realpath */
#include "models.h"
#include "stamp.h"

#include <SDL.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LISTED MODELS_MAX_LISTED

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Candidate models directories in search order; returns how many. */
static int candidates(char dirs[][PATH_MAX], int max) {
    int n = 0;
    char *base = SDL_GetBasePath();
    static const char *const rel[] = {"models", "../models", "../../models", "../../../models",
                                      "../share/digitpad/models"};
    if (base) {
        for (size_t i = 0; i < sizeof rel / sizeof rel[0] && n < max; i++)
            snprintf(dirs[n++], PATH_MAX, "%s%s", base, rel[i]);
        SDL_free(base);
    }
#ifdef DIGITPAD_DATADIR
    if (n < max) snprintf(dirs[n++], PATH_MAX, "%s/models", DIGITPAD_DATADIR);
#endif
#ifdef DIGITPAD_SOURCE_DIR
    if (n < max) snprintf(dirs[n++], PATH_MAX, "%s/models", DIGITPAD_SOURCE_DIR);
#endif
    return n;
}

int models_find_default(char *path, size_t n) {
    char dirs[8][PATH_MAX];
    int k = candidates(dirs, 8);
    for (int i = 0; i < k; i++) {
        char p[PATH_MAX + 32];
        snprintf(p, sizeof p, "%.4000s/%s", dirs[i], MODELS_DEFAULT_NAME);
        if (is_file(p) && strlen(p) < n) {
            char *real = realpath(p, NULL);
            snprintf(path, n, "%s", real ? real : p);
            free(real);
            return 0;
        }
    }
    return -1;
}

int models_find_dir(char *dir, size_t n) {
    char dirs[8][PATH_MAX];
    int k = candidates(dirs, 8);
    for (int i = 0; i < k; i++) {
        if (!is_dir(dirs[i])) continue;
        char *real = realpath(dirs[i], NULL);
        int ok = real && strlen(real) < n;
        if (ok) snprintf(dir, n, "%s", real);
        free(real);
        if (ok) return 0;
    }
    return -1;
}

int models_same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append dir's *.dpm files, sorted, to list. */
static int list_dir(const char *dir, char **list, int count) {
    DIR *d = opendir(dir);
    if (!d) return count;
    int start = count;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < MAX_LISTED) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".dpm") != 0) continue;
        size_t need = strlen(dir) + len + 2;
        char *p = malloc(need);
        if (!p) break;
        snprintf(p, need, "%s/%s", dir, e->d_name);
        if (!is_file(p)) {
            free(p);
            continue;
        }
        list[count++] = p;
    }
    closedir(d);
    qsort(list + start, (size_t)(count - start), sizeof *list, cmp_str);
    return count;
}

int models_next(const char *current, const char *cli_path, const char *models_dir, char *out,
                size_t n) {
    char *list[MAX_LISTED];
    int count = 0;
    if (cli_path && *cli_path && is_file(cli_path)) list[count++] = strdup(cli_path);
    if (count == 1 && !list[0]) count = 0;
    count = list_dir(".", list, count);
    if (models_dir && *models_dir) count = list_dir(models_dir, list, count);
    /* Drop duplicates (same file reached twice). */
    int k = 0;
    for (int i = 0; i < count; i++) {
        int dup = 0;
        for (int j = 0; j < k && !dup; j++) dup = models_same_file(list[i], list[j]);
        if (dup)
            free(list[i]);
        else
            list[k++] = list[i];
    }
    count = k;
    int rc = -1;
    if (count > 0) {
        int at = -1;
        for (int i = 0; i < count && at < 0; i++)
            if (current && models_same_file(current, list[i])) at = i;
        int next = (at + 1) % count;
        if (strlen(list[next]) < n) {
            snprintf(out, n, "%s", list[next]);
            rc = 0;
        }
    }
    for (int i = 0; i < count; i++) free(list[i]);
    return rc;
}

dp_status models_save_path(const char *save_to, char *out, size_t n, dp_error *err) {
    if (!out || n == 0) return dp_error_set(err, DP_ERR_ARG, "no room for a path");
    char shipped[PATH_MAX];
    int have_shipped = models_find_default(shipped, sizeof shipped) == 0;
    if (save_to && *save_to) {
        if (have_shipped && models_same_file(save_to, shipped))
            return dp_error_set(err, DP_ERR_ARG,
                                "refusing to overwrite the shipped model %s; choose another "
                                "--save-to path",
                                shipped);
        if (strlen(save_to) >= n) return dp_error_set(err, DP_ERR_ARG, "path too long");
        snprintf(out, n, "%s", save_to);
        return DP_OK;
    }
    const char *const ends[] = {".dpm"};
    char *const names[] = {out};
    if (stamp_pick_names("./digitpad-model-", ends, 1, names, n) == 0) return DP_OK;
    return dp_error_set(err, DP_ERR_ARG, "cannot make a model file name");
}
