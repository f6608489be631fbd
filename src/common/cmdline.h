/* The command-line parser of both programs (digitpad-cli's commands and the
 * digitpad window): a table of options with strict number checks, and the
 * usage-error report (message and usage on stderr, exit 2). */
#ifndef DIGITPAD_COMMON_CMDLINE_H
#define DIGITPAD_COMMON_CMDLINE_H

#include <stdint.h>
#include <stdio.h>

/* Exit codes of both programs. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,         /* runtime error: missing data, bad model file, no display */
    CLI_EXIT_USAGE = 2,        /* bad arguments */
    CLI_EXIT_INTERRUPTED = 130 /* stopped by SIGINT (after saving what was done) */
};

typedef enum cli_opt_kind {
    CLI_OPT_FLAG,   /* no value; dest is int*, set to 1 */
    CLI_OPT_STRING, /* dest is const char** (points into argv) */
    CLI_OPT_INT,    /* dest is int*, range [min, max] */
    CLI_OPT_U64,    /* dest is uint64_t*, any unsigned 64-bit decimal */
    CLI_OPT_FLOAT   /* dest is float*, finite, range [min, max] (or (min, max]) */
} cli_opt_kind;

typedef struct cli_opt {
    const char *name; /* long form with dashes, e.g. "--epochs" */
    cli_opt_kind kind;
    void *dest;
    double min, max;   /* bounds for INT and FLOAT */
    int min_exclusive; /* FLOAT: value must be strictly greater than min */
    int *given;        /* optional: set to 1 when the option appears */
} cli_opt;

typedef struct cli_spec {
    const char *cmd;          /* command name for messages, e.g. "train"; NULL = none */
    void (*usage)(FILE *out); /* prints the command's usage text */
    const cli_opt *opts;
    int n_opts;
    const char *prog; /* program name for messages, e.g. "digitpad-cli" */
} cli_spec;

/* cli_parse results besides a count of positional arguments. */
#define CLI_PARSE_HELP (-1) /* -h/--help seen: usage printed to stdout */
#define CLI_PARSE_BAD (-2)  /* bad arguments: message and usage on stderr */

/* Parse argv[1..argc) (argv[0] is the command name). Accepts "--name VALUE"
 * and "--name=VALUE"; "--" ends the options. Positional arguments are moved
 * to argv[1..n] in order and n is returned; otherwise CLI_PARSE_HELP or
 * CLI_PARSE_BAD. */
int cli_parse(const cli_spec *spec, int argc, char **argv);
/* Exit code for a negative cli_parse result (0 for help, 2 otherwise). */
int cli_parse_exit(int parse_result);

/* Report a usage error: "PROG CMD: <message>" (or "PROG: <message>" without
 * a command) and the usage on stderr. Returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Run the set of kernels $DIGITPAD_KERNELS names (dp_kernels_select), if
 * set; when this CPU runs no set of that name, say so on stderr ("PROG:
 * DIGITPAD_KERNELS=...: ...; running avx2") and go on with the best one. */
void cli_select_kernels(const char *prog);

#endif
