/* Private file helpers of the core library (not installed, not public). */
#ifndef DIGITPAD_CORE_FILEIO_H
#define DIGITPAD_CORE_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/mlp.h"
#include "digitpad/status.h"

/* Open path for reading; it must be a regular file. The open does not block
 * (O_NONBLOCK), so a FIFO or a device is refused at once instead of waiting
 * for a writer. *size is its length. Missing file -> DP_ERR_NOT_FOUND,
 * anything else -> DP_ERR_IO. */
dp_status dp_io_open_regular(const char *path, int *fd, uint64_t *size, dp_error *err);

/* Read exactly len bytes from fd (retrying short reads and EINTR). Ending
 * early -> DP_ERR_TRUNCATED, a read error -> DP_ERR_IO. */
dp_status dp_io_read_exact(int fd, void *buf, size_t len, const char *path, dp_error *err);

/* Read a whole regular file of at most max_size bytes into a new buffer
 * (*data, owned by the caller, *len bytes). Larger -> DP_ERR_RANGE. */
dp_status dp_io_read_file(const char *path, uint64_t max_size, uint8_t **data, size_t *len,
                          dp_error *err);

/* Checks before writing a network in any file format: sizes consistent and
 * every parameter finite (DP_ERR_RANGE otherwise, so a diverged network
 * never replaces a good file). what names the writer in messages. */
dp_status dp_io_check_savable(const dp_mlp *m, const char *what, dp_error *err);

/* Checks after reading a network from any file format: no input in [0,1]
 * can overflow its forward pass (dp_mlp_activation_bound at most
 * DP_MLP_MAX_ACTIVATION); finite but huge weights would give NaN outputs.
 * DP_ERR_RANGE with a message naming name otherwise. */
dp_status dp_io_check_usable(const dp_mlp *m, const char *name, dp_error *err);

#endif
