/* digitpad-cli's error reports: bad usage -> exit 2 (the shared parser in
 * cmdline.h), runtime failure -> exit 1 (here). */
#ifndef DIGITPAD_CLI_ARGS_H
#define DIGITPAD_CLI_ARGS_H

#include "cmdline.h"
#include "digitpad/status.h"

/* The program name in messages (cli_spec.prog). */
#define CLI_PROG "digitpad-cli"

/* Report a runtime error as one line "digitpad-cli: <what>: <detail>", the
 * detail being err->msg (or the status text if empty). Returns CLI_EXIT_FAIL. */
int cli_fail(const char *what, const dp_error *err);

/* Same, with a printf-style detail. Returns CLI_EXIT_FAIL. */
int cli_failf(const char *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
