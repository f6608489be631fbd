/* File helpers: checked reads and the atomic write-then-rename used for
 * models and PNGs. */
#include "fileio.h"

#include "bytes.h"

#include "digitpad/fileio.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IO_CHUNK ((size_t)1 << 26)

dp_status dp_io_open_regular(const char *path, int *fd, uint64_t *size, dp_error *err) {
    *fd = -1;
    /* O_NONBLOCK: opening a FIFO without a writer (or a tty, a device) must
     * not wait; fstat below rejects everything that is not a regular file,
     * and the flag is cleared again before any read. */
    int f = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (f < 0)
        return dp_error_set(err, errno == ENOENT ? DP_ERR_NOT_FOUND : DP_ERR_IO,
                            "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(f, &sb) != 0) {
        int e = errno;
        close(f);
        return dp_error_set(err, DP_ERR_IO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(f);
        const char *kind = S_ISDIR(sb.st_mode)    ? " (it is a directory)"
                           : S_ISFIFO(sb.st_mode) ? " (it is a FIFO)"
                           : S_ISSOCK(sb.st_mode) ? " (it is a socket)"
                           : S_ISCHR(sb.st_mode)  ? " (it is a character device)"
                           : S_ISBLK(sb.st_mode)  ? " (it is a block device)"
                                                  : "";
        return dp_error_set(err, DP_ERR_IO, "%s: not a regular file%s", path, kind);
    }
    int fl = fcntl(f, F_GETFL);
    if (fl < 0 || fcntl(f, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        int e = errno;
        close(f);
        return dp_error_set(err, DP_ERR_IO, "%s: cannot set blocking reads: %s", path, strerror(e));
    }
    *fd = f;
    *size = (uint64_t)sb.st_size;
    return DP_OK;
}

dp_status dp_io_read_exact(int fd, void *buf, size_t len, const char *path, dp_error *err) {
    uint8_t *p = buf;
    size_t got = 0;
    while (got < len) {
        size_t want = len - got < IO_CHUNK ? len - got : IO_CHUNK;
        ssize_t r = read(fd, p + got, want);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return dp_error_set(err, DP_ERR_IO, "%s: read error: %s", path, strerror(errno));
        if (r == 0)
            return dp_error_set(err, DP_ERR_TRUNCATED,
                                "%s: file ended after %zu of %zu expected bytes", path, got, len);
        got += (size_t)r;
    }
    return DP_OK;
}

dp_status dp_io_read_file(const char *path, uint64_t max_size, uint8_t **data, size_t *len,
                          dp_error *err) {
    *data = NULL;
    *len = 0;
    int fd = -1;
    uint64_t size = 0;
    dp_status st = dp_io_open_regular(path, &fd, &size, err);
    if (st != DP_OK) return st;
    uint8_t *buf = NULL;
    if (size > max_size || size > SIZE_MAX - 1)
        st = dp_error_set(err, DP_ERR_RANGE, "%s: %llu bytes, more than the %llu this reader takes",
                          path, (unsigned long long)size, (unsigned long long)max_size);
    else if (!(buf = malloc(size ? (size_t)size : 1)))
        st = dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory for %llu bytes", path,
                          (unsigned long long)size);
    else
        st = dp_io_read_exact(fd, buf, (size_t)size, path, err);
    close(fd);
    if (st != DP_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = (size_t)size;
    return DP_OK;
}

dp_status dp_io_check_savable(const dp_mlp *m, const char *what, dp_error *err) {
    if (!m || !m->params) return dp_error_set(err, DP_ERR_ARG, "%s: no network given", what);
    if (m->n_in < 1 || m->n_in > DP_MAX_UNITS || m->n_hidden < 1 || m->n_hidden > DP_MAX_UNITS ||
        m->n_out < 1 || m->n_out > DP_MAX_UNITS ||
        m->n_params != (size_t)m->n_in * (size_t)m->n_hidden + (size_t)m->n_hidden +
                           (size_t)m->n_hidden * (size_t)m->n_out + (size_t)m->n_out)
        return dp_error_set(err, DP_ERR_SHAPE, "%s: inconsistent network sizes", what);
    for (size_t i = 0; i < m->n_params; i++)
        if (!dp__bits_finite(dp__float_bits(m->params[i])))
            return dp_error_set(err, DP_ERR_RANGE,
                                "parameter %zu is not a finite number; refusing to save a model "
                                "that could not be loaded",
                                i);
    return DP_OK;
}

dp_status dp_io_check_usable(const dp_mlp *m, const char *name, dp_error *err) {
    const double bound = dp_mlp_activation_bound(m);
    if (!(bound <= DP_MLP_MAX_ACTIVATION))
        return dp_error_set(err, DP_ERR_RANGE,
                            "%s: weights so large that the network's outputs can overflow "
                            "(activations up to %.3g, more than %.0e): not a usable model",
                            name, bound, DP_MLP_MAX_ACTIVATION);
    return DP_OK;
}

static int write_all(int fd, const uint8_t *p, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, p, len < IO_CHUNK ? len : IO_CHUNK);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* fsync the directory holding path so the rename itself is durable. Returns
 * 0 or an errno value; file systems that cannot sync directories count as
 * success. */
static int sync_parent_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return ENOMEM;
    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int e = d < 0 ? errno : 0;
    free(dir);
    if (d >= 0) {
        if (fsync(d) != 0 && errno != EINVAL && errno != ENOTSUP) e = errno;
        close(d);
    }
    return e;
}

/* Temporary files are NAME.tmp-XXXXXX beside NAME (XXXXXX: six letters or
 * digits from mkstemp). A process killed between mkstemp and rename leaves
 * one behind; the next save into the directory removes those of the
 * project's own files (NAME ending in .dpm or .png) that are regular files
 * of this user, untouched for over a minute, so a save still in progress in
 * another process keeps its file. */
#define TMP_TAG ".tmp-"
#define TMP_RAND 6
#define TMP_MIN_AGE_S 60

static int is_orphan_name(const char *name) {
    static const char *const owners[] = {".dpm", ".png"};
    const size_t tag = sizeof TMP_TAG - 1, n = strlen(name);
    if (n < 1 + 4 + tag + TMP_RAND) return 0;
    const char *t = name + n - TMP_RAND - tag;
    if (memcmp(t, TMP_TAG, tag) != 0) return 0;
    for (size_t i = tag; i < tag + TMP_RAND; i++)
        if (!isalnum((unsigned char)t[i])) return 0;
    for (size_t k = 0; k < sizeof owners / sizeof owners[0]; k++)
        if (memcmp(t - 4, owners[k], 4) == 0) return 1;
    return 0;
}

static void remove_orphan_temps(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return;
    DIR *d = opendir(dir);
    free(dir);
    if (!d) return;
    const time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_orphan_name(de->d_name)) continue;
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid()) continue;
        if (now - sb.st_mtime <= TMP_MIN_AGE_S) continue;
        (void)unlinkat(dirfd(d), de->d_name, 0); /* best effort: the save matters */
    }
    closedir(d);
}

dp_status dp_write_file_atomic(const char *path, const void *data, size_t len, dp_error *err) {
    if (!path || !*path || (!data && len))
        return dp_error_set(err, DP_ERR_ARG, "dp_write_file_atomic: no path or no data");
    static const char suffix[] = TMP_TAG "XXXXXX";
    remove_orphan_temps(path);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof suffix);
    if (!tmp) return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory", path);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, suffix, sizeof suffix);

    const char *step = "cannot create a temporary file in its directory";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return dp_error_set(err, DP_ERR_IO, "%s: %s: %s", path, step, strerror(e));
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC); /* not inherited by programs started meanwhile */
    /* mkstemp makes the file 0600; keep the mode of a file being replaced,
     * else use the usual 0644. */
    struct stat old;
    mode_t mode = (stat(path, &old) == 0 && S_ISREG(old.st_mode)) ? (old.st_mode & 07777) : 0644;
    int e = fchmod(fd, mode) != 0 ? errno : 0;
    if (e) step = "cannot set the temporary file's permissions";
    if (!e && (e = write_all(fd, data, len)) != 0) step = "cannot write the temporary file";
    if (!e && fsync(fd) != 0) {
        e = errno;
        step = "cannot flush the temporary file to disk";
    }
    int c = close(fd);
    if (!e && c != 0) {
        e = errno;
        step = "cannot close the temporary file";
    }
    if (!e && rename(tmp, path) != 0) {
        e = errno;
        step = "cannot rename the temporary file over it";
    }
    if (e) {
        unlink(tmp);
        free(tmp);
        return dp_error_set(err, DP_ERR_IO, "%s: %s: %s", path, step, strerror(e));
    }
    free(tmp);
    if ((e = sync_parent_dir(path)) != 0)
        return dp_error_set(err, DP_ERR_IO, "%s: written, but syncing its directory failed: %s",
                            path, strerror(e));
    return DP_OK;
}
