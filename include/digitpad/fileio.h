/* Writing files safely (the code is in src/core/fileio.c). */
#ifndef DIGITPAD_FILEIO_H
#define DIGITPAD_FILEIO_H

#include <stddef.h>

#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write len bytes to path atomically: temp file in the same directory,
 * fsync, rename, fsync of the directory. The old file stays if anything
 * fails. Model files (dp_model_save) and PNG images (dp_png_write_gray)
 * are written through it. */
dp_status dp_write_file_atomic(const char *path, const void *data, size_t len, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
