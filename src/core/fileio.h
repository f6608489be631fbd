/* Private file helpers of the core library (not installed, not public). */
#ifndef DIGITPAD_CORE_FILEIO_H
#define DIGITPAD_CORE_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/status.h"

/* Open path for reading; it must be a regular file. The open does not block
 * (O_NONBLOCK), so a FIFO or a device is refused at once instead of waiting
 * for a writer. *size is its length. Missing file -> DP_ERR_NOT_FOUND,
 * anything else -> DP_ERR_IO. */
dp_status dp_io_open_regular(const char *path, int *fd, uint64_t *size, dp_error *err);

/* Read a whole regular file of at most max_size bytes into a malloc'ed
 * buffer (*len bytes; one spare byte so an empty file has a buffer too). */
dp_status dp_io_read_file(const char *path, uint64_t max_size, uint8_t **data, size_t *len,
                          dp_error *err);

/* Read exactly len bytes from fd (retrying short reads and EINTR). Ending
 * early -> DP_ERR_TRUNCATED, a read error -> DP_ERR_IO. */
dp_status dp_io_read_exact(int fd, void *buf, size_t len, const char *path, dp_error *err);

#endif
