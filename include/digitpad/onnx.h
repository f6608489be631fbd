/* ONNX export of the network (docs/model-format.md, "Interchange"), for
 * ONNX Runtime, OpenCV's DNN module, Netron and other ONNX consumers.
 *
 * The model (IR version 7, opset 13) is the graph
 *   x [N, n_in] -> Gemm(fc1.weight, fc1.bias) -> Relu
 *     -> Gemm(fc2.weight, fc2.bias) -> Softmax(axis 1) -> probabilities [N, n_out]
 * with float32 input x (N is a free batch dimension, "N") and the weights
 * as initializers. Like PyTorch's export of nn.Linear, each Gemm has
 * transB = 1 and its weight is stored out x in (fc1.weight = W1^T, n_hidden x
 * n_in), so its output equals dp_mlp_forward's. The protobuf encoding is
 * written by hand; no ONNX or protobuf library is needed. */
#ifndef DIGITPAD_ONNX_H
#define DIGITPAD_ONNX_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/mlp.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DP_ONNX_OPSET 13
#define DP_ONNX_IR_VERSION 7

/* Encode m as an ONNX ModelProto: *out (malloc'ed, owned by the caller) of
 * *len bytes. DP_ERR_RANGE for a non-finite parameter. */
dp_status dp_onnx_encode(const dp_mlp *m, uint8_t **out, size_t *len, dp_error *err);
/* Write m to path as an .onnx file, atomically (dp_write_file_atomic). */
dp_status dp_onnx_save(const char *path, const dp_mlp *m, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
