#include "cmdline.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "digitpad/step.h"

#if defined(__GNUC__)
__attribute__((format(printf, 2, 0))) /* clang's -Wformat-nonliteral wants it */
#endif
static void
vreport_usage(const cli_spec *spec, const char *fmt, va_list ap) {
    fputs(spec->prog, stderr);
    if (spec->cmd) fprintf(stderr, " %s", spec->cmd);
    fputs(": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    if (spec->usage) spec->usage(stderr);
}

int cli_usage_error(const cli_spec *spec, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vreport_usage(spec, fmt, ap);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

int cli_parse_exit(int parse_result) {
    return parse_result == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* strtol/strtod leave leading blanks alone and accept them; we do not. */
static int starts_like_number(const char *s) {
    return s[0] != '\0' &&
           (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'));
}

/* Each parser returns 0 on success or reports the problem and returns -1. */
static int parse_int(const cli_spec *spec, const cli_opt *o, const char *s) {
    char *end;
    errno = 0;
    long v = starts_like_number(s) ? strtol(s, &end, 10) : 0;
    if (!starts_like_number(s) || *end != '\0') {
        cli_usage_error(spec, "%s: '%s' is not an integer", o->name, s);
        return -1;
    }
    if (errno == ERANGE || (double)v < o->min || (double)v > o->max) {
        cli_usage_error(spec, "%s: %s is out of range (%.0f to %.0f)", o->name, s, o->min, o->max);
        return -1;
    }
    *(int *)o->dest = (int)v;
    return 0;
}

static int parse_u64(const cli_spec *spec, const cli_opt *o, const char *s) {
    char *end;
    errno = 0;
    /* strtoull would silently wrap "-1" to 2^64-1, so only digits may start it. */
    int digits = s[0] >= '0' && s[0] <= '9';
    unsigned long long v = digits ? strtoull(s, &end, 10) : 0;
    if (!digits || *end != '\0') {
        cli_usage_error(spec, "%s: '%s' is not a non-negative integer", o->name, s);
        return -1;
    }
    if (errno == ERANGE) { /* unsigned long long is 64 bits on every target we build for */
        cli_usage_error(spec, "%s: %s is out of range (0 to %llu)", o->name, s,
                        (unsigned long long)UINT64_MAX);
        return -1;
    }
    *(uint64_t *)o->dest = (uint64_t)v;
    return 0;
}

static int parse_float(const cli_spec *spec, const cli_opt *o, const char *s) {
    char *end;
    errno = 0;
    double v = starts_like_number(s) ? strtod(s, &end) : 0.0;
    if (!starts_like_number(s) || *end != '\0' || !isfinite(v)) {
        cli_usage_error(spec, "%s: '%s' is not a number", o->name, s);
        return -1;
    }
    int below = o->min_exclusive ? !(v > o->min) : v < o->min;
    if (errno == ERANGE || below || v > o->max) {
        cli_usage_error(spec, "%s: %s is out of range (%s %g, at most %g)", o->name, s,
                        o->min_exclusive ? "greater than" : "at least", o->min, o->max);
        return -1;
    }
    *(float *)o->dest = (float)v;
    return 0;
}

static const cli_opt *find_opt(const cli_spec *spec, const char *arg, size_t name_len) {
    for (int k = 0; k < spec->n_opts; k++) {
        const char *n = spec->opts[k].name;
        if (strlen(n) == name_len && strncmp(n, arg, name_len) == 0) return &spec->opts[k];
    }
    return NULL;
}

static int set_value(const cli_spec *spec, const cli_opt *o, const char *value) {
    switch (o->kind) {
    case CLI_OPT_STRING:
        if (value[0] == '\0') {
            cli_usage_error(spec, "%s: empty value", o->name);
            return -1;
        }
        *(const char **)o->dest = value;
        return 0;
    case CLI_OPT_INT:
        return parse_int(spec, o, value);
    case CLI_OPT_U64:
        return parse_u64(spec, o, value);
    case CLI_OPT_FLOAT:
        return parse_float(spec, o, value);
    case CLI_OPT_FLAG:
        break;
    }
    return -1;
}

int cli_parse(const cli_spec *spec, int argc, char **argv) {
    int npos = 0;
    int options_done = 0;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            argv[1 + npos++] = arg; /* npos < i, so nothing unread is overwritten */
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            if (spec->usage) spec->usage(stdout);
            return CLI_PARSE_HELP;
        }
        const char *eq = strchr(arg, '=');
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        const cli_opt *o = find_opt(spec, arg, name_len);
        if (!o) {
            cli_usage_error(spec, "unknown option '%.*s'", (int)name_len, arg);
            return CLI_PARSE_BAD;
        }
        if (o->given) *o->given = 1;
        if (o->kind == CLI_OPT_FLAG) {
            if (eq) {
                cli_usage_error(spec, "option %s takes no value", o->name);
                return CLI_PARSE_BAD;
            }
            *(int *)o->dest = 1;
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value) {
            if (i + 1 >= argc) {
                cli_usage_error(spec, "option %s needs a value", o->name);
                return CLI_PARSE_BAD;
            }
            value = argv[++i];
        }
        if (set_value(spec, o, value) != 0) return CLI_PARSE_BAD;
    }
    return npos;
}

void cli_select_kernels(const char *prog) {
    const char *name = getenv(DP_KERNELS_ENV);
    if (!name || !*name || dp_kernels_select(name) == DP_OK) return;
    fprintf(stderr,
            "%s: %s=%s: not one of avx512, avx2, plain, or not one this CPU runs; running %s\n",
            prog, DP_KERNELS_ENV, name, dp_kernels_name());
}
