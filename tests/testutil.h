/* Minimal test harness: CHECK records a failure and goes on; a test's main
 * ends with `return dpt_finish();`, which prints "N passed, N failed" and
 * returns non-zero if anything failed. */
#ifndef DIGITPAD_TESTUTIL_H
#define DIGITPAD_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

extern int dpt_passed, dpt_failed;

void dpt_check(int ok, const char *file, int line, const char *expr, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#define CHECK(cond) dpt_check(!!(cond), __FILE__, __LINE__, #cond, NULL)
#define CHECKF(cond, ...) dpt_check(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)
#define CHECK_NEAR(a, b, tol)                                                                      \
    dpt_check(fabs((double)(a) - (double)(b)) <= (tol), __FILE__, __LINE__, #a " ~ " #b,           \
              "%.9g vs %.9g (tol %.3g)", (double)(a), (double)(b), (double)(tol))

/* Prints the summary line; returns the process exit code. */
int dpt_finish(void);

/* A fresh empty temporary directory (mkdtemp under $TMPDIR or /tmp); the
 * returned string is static until the next call. */
const char *dpt_tmpdir(void);
/* Write/read a whole file; 0 on success. */
int dpt_write_file(const char *path, const void *data, size_t len);
uint8_t *dpt_read_file(const char *path, size_t *len);
/* The MNIST directory for tests: $DIGITPAD_DATA or data/mnist. */
const char *dpt_mnist_dir(void);

#endif
