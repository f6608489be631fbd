#include "testutil.h"

#include "digitpad/dataset.h"
#include "digitpad/step.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dpt_passed, dpt_failed;

void dpt_check(int ok, const char *file, int line, const char *expr, const char *fmt, ...) {
    if (ok) {
        dpt_passed++;
        return;
    }
    dpt_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s", file, line, expr);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs(" -- ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}

int dpt_finish(void) {
    printf("%d passed, %d failed\n", dpt_passed, dpt_failed);
    return (dpt_failed == 0 && dpt_passed > 0) ? 0 : 1;
}

const char *dpt_tmpdir(void) {
    static char path[4096];
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    snprintf(path, sizeof path, "%s/dptest-XXXXXX", base);
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        exit(1);
    }
    return path;
}

int dpt_write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

uint8_t *dpt_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf && len) *len = (size_t)n;
    return buf;
}

const char *dpt_mnist_dir(void) {
    return dp_data_dir(NULL, getenv(DP_DATA_ENV)); /* $DIGITPAD_DATA, else data/mnist */
}

/* Every test runs the set of kernels $DIGITPAD_KERNELS names, as the
 * programs do (scripts/run-tests runs the step tests on each set); a name
 * this CPU does not run stops the test. */
__attribute__((constructor)) static void select_kernels(void) {
    const char *name = getenv(DP_KERNELS_ENV);
    if (!name || !*name) return;
    if (dp_kernels_select(name) != DP_OK) {
        fprintf(stderr, "%s=%s: this CPU runs no such set of kernels\n", DP_KERNELS_ENV, name);
        exit(1);
    }
}
