/* NumPy .npz archives of the network's weights, for PyTorch, NumPy and
 * anything else that reads them (docs/model-format.md, "Interchange").
 *
 * The archive holds four float32 arrays in the row-vector convention of
 * mlp.h, so that probabilities = softmax(relu(x . W1 + b1) . W2 + b2):
 *   W1.npy  n_in x n_hidden     b1.npy  n_hidden
 *   W2.npy  n_hidden x n_out    b2.npy  n_out
 * (PyTorch's nn.Linear stores out x in: W1 = fc1.weight.T.)
 *
 * Writing stores the members uncompressed, like numpy.savez. Reading takes
 * stored and deflated members (numpy.savez_compressed), C or Fortran order,
 * little- or big-endian float32, biases of shape (n,) or (1, n). It is strict
 * and bounded: the zip's directory, every header and size, each member's
 * CRC-32, the four names (no missing, duplicate or other arrays), the dtype,
 * the shapes and that every value is finite are checked before a network is
 * made, and no allocation exceeds what the file's own size allows. */
#ifndef DIGITPAD_NPZ_H
#define DIGITPAD_NPZ_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/mlp.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest .npz file read (1 GiB) and largest array inside it. */
#define DP_NPZ_MAX_FILE ((uint64_t)1 << 30)
#define DP_NPZ_MAX_ARRAY ((uint64_t)1 << 30)

/* Encode m as an .npz in memory: *out (malloc'ed, owned by the caller) of
 * *len bytes. DP_ERR_RANGE for a non-finite parameter. */
dp_status dp_npz_encode(const dp_mlp *m, uint8_t **out, size_t *len, dp_error *err);
/* Write m to path atomically (dp_write_file_atomic). */
dp_status dp_npz_save(const char *path, const dp_mlp *m, dp_error *err);

/* Parse an .npz held in memory. On success *out is a new network owned by
 * the caller; on failure *out is NULL and err says what is wrong
 * (DP_ERR_FORMAT damaged or unsupported archive or array, DP_ERR_TRUNCATED
 * cut short, DP_ERR_CHECKSUM CRC mismatch, DP_ERR_SHAPE wrong or missing
 * arrays, DP_ERR_RANGE a non-finite value or too large). */
dp_status dp_npz_load_mem(const uint8_t *buf, size_t len, dp_mlp **out, dp_error *err);
/* Same, from a file of at most DP_NPZ_MAX_FILE bytes. */
dp_status dp_npz_load(const char *path, dp_mlp **out, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
