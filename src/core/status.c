#include "digitpad/status.h"

#include <stdarg.h>
#include <stdio.h>

const char *dp_status_str(dp_status s) {
    switch (s) {
    case DP_OK:
        return "ok";
    case DP_ERR_NOMEM:
        return "out of memory";
    case DP_ERR_IO:
        return "input/output error";
    case DP_ERR_FORMAT:
        return "bad file format";
    case DP_ERR_TRUNCATED:
        return "file is truncated";
    case DP_ERR_CHECKSUM:
        return "checksum mismatch";
    case DP_ERR_VERSION:
        return "unsupported format version";
    case DP_ERR_SHAPE:
        return "wrong sizes";
    case DP_ERR_RANGE:
        return "value out of range";
    case DP_ERR_ARG:
        return "invalid argument";
    case DP_ERR_NOT_FOUND:
        return "not found";
    case DP_ERR_EMPTY:
        return "nothing to work on";
    }
    return "unknown status";
}

dp_status dp_error_set(dp_error *err, dp_status s, const char *fmt, ...) {
    if (err) {
        err->status = s;
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err->msg, sizeof err->msg, fmt, ap);
            va_end(ap);
        } else {
            snprintf(err->msg, sizeof err->msg, "%s", dp_status_str(s));
        }
    }
    return s;
}
