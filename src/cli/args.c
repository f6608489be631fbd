#include "args.h"

#include <stdarg.h>

int cli_fail(const char *what, const dp_error *err) {
    const char *detail = "unknown error";
    if (err && err->msg[0]) {
        detail = err->msg;
    } else if (err) {
        detail = dp_status_str(err->status);
    }
    fprintf(stderr, CLI_PROG ": %s: %s\n", what, detail);
    return CLI_EXIT_FAIL;
}

int cli_failf(const char *what, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, CLI_PROG ": %s: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_FAIL;
}
