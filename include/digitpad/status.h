/* Status codes returned by every fallible function of the core library. */
#ifndef DIGITPAD_STATUS_H
#define DIGITPAD_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dp_status {
    DP_OK = 0,
    DP_ERR_NOMEM,     /* allocation failed */
    DP_ERR_IO,        /* open/read/write/rename failed (see errno text) */
    DP_ERR_FORMAT,    /* bad magic number or malformed content */
    DP_ERR_TRUNCATED, /* file shorter than its header says */
    DP_ERR_CHECKSUM,  /* stored CRC does not match the contents */
    DP_ERR_VERSION,   /* unknown format version */
    DP_ERR_SHAPE,     /* sizes/architecture do not match what is expected */
    DP_ERR_RANGE,     /* a value is out of its allowed range */
    DP_ERR_ARG,       /* invalid argument from the caller */
    DP_ERR_NOT_FOUND, /* file or directory does not exist */
    DP_ERR_EMPTY      /* nothing to work on (e.g. an empty drawing) */
} dp_status;

/* A short, static, human-readable text for a status ("checksum mismatch"). */
const char *dp_status_str(dp_status s);

/* Optional detail for an error: functions that take a dp_error* fill it with
 * one line saying what exactly went wrong ("train-images-idx3-ubyte.gz:
 * header says 60000 images of 28x28 but file holds 1234 bytes"). NULL is
 * always allowed. */
typedef struct dp_error {
    dp_status status;
    char msg[512];
} dp_error;

/* Fill err (if non-NULL) with status and a printf-style message; returns s. */
dp_status dp_error_set(dp_error *err, dp_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
