/* ONNX export (include/digitpad/onnx.h): a ModelProto in protobuf's wire
 * format, written by hand.
 *
 * Protobuf in brief: a message is a sequence of fields, each a key
 * (field_number << 3 | wire_type) as a varint followed by the value: wire
 * type 0 a varint (ints, enums), wire type 2 a varint length and that many
 * bytes (strings, bytes, embedded messages). Repeated fields simply repeat.
 * Field numbers are those of onnx/onnx.proto (ONNX 1.x). */
#include "digitpad/onnx.h"

#include "digitpad/fileio.h"
#include "digitpad/model.h"

#include "bytes.h"
#include "fileio.h"

#include <stdlib.h>
#include <string.h>

enum { WIRE_VARINT = 0, WIRE_LEN = 2 };

/* onnx.proto field numbers and enum values. */
enum {
    MODEL_IR_VERSION = 1,
    MODEL_PRODUCER_NAME = 2,
    MODEL_DOC_STRING = 6,
    MODEL_GRAPH = 7,
    MODEL_OPSET_IMPORT = 8,
    OPSET_VERSION = 2,
    GRAPH_NODE = 1,
    GRAPH_NAME = 2,
    GRAPH_INITIALIZER = 5,
    GRAPH_INPUT = 11,
    GRAPH_OUTPUT = 12,
    NODE_INPUT = 1,
    NODE_OUTPUT = 2,
    NODE_NAME = 3,
    NODE_OP_TYPE = 4,
    NODE_ATTRIBUTE = 5,
    ATTR_NAME = 1,
    ATTR_I = 3,
    ATTR_TYPE = 20,
    ATTR_TYPE_INT = 2,
    TENSOR_DIMS = 1,
    TENSOR_DATA_TYPE = 2,
    TENSOR_NAME = 8,
    TENSOR_RAW_DATA = 9,
    TENSOR_FLOAT = 1,
    VALUE_NAME = 1,
    VALUE_TYPE = 2,
    TYPE_TENSOR = 1,
    TENSOR_TYPE_ELEM = 1,
    TENSOR_TYPE_SHAPE = 2,
    SHAPE_DIM = 1,
    DIM_VALUE = 1,
    DIM_PARAM = 2
};

/* A growing byte buffer; after an allocation failure it only records that. */
typedef struct pb {
    uint8_t *p;
    size_t n, cap;
    int failed;
} pb;

static uint8_t *pb_grow(pb *b, size_t more) {
    if (b->failed) return NULL;
    if (more > b->cap - b->n) {
        size_t cap = b->cap ? b->cap : 256;
        while (more > cap - b->n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return NULL;
            }
            cap *= 2;
        }
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return NULL;
        }
        b->p = p;
        b->cap = cap;
    }
    uint8_t *at = b->p + b->n;
    b->n += more;
    return at;
}

static void pb_varint(pb *b, uint64_t v) {
    uint8_t tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    uint8_t *at = pb_grow(b, n);
    if (at) memcpy(at, tmp, n);
}

static void pb_uint(pb *b, int field, uint64_t v) {
    pb_varint(b, (uint64_t)field << 3 | WIRE_VARINT);
    pb_varint(b, v);
}

static void pb_bytes(pb *b, int field, const void *data, size_t n) {
    pb_varint(b, (uint64_t)field << 3 | WIRE_LEN);
    pb_varint(b, n);
    uint8_t *at = pb_grow(b, n);
    if (at && n) memcpy(at, data, n);
}

static void pb_string(pb *b, int field, const char *s) {
    pb_bytes(b, field, s, strlen(s));
}

/* Append sub as an embedded message and release it. */
static void pb_message(pb *b, int field, pb *sub) {
    if (sub->failed) b->failed = 1;
    pb_bytes(b, field, sub->p, sub->n);
    free(sub->p);
    memset(sub, 0, sizeof *sub);
}

/* ValueInfoProto of a float tensor [N, cols] (N a free dimension). */
static void value_info(pb *graph, int field, const char *name, int cols) {
    pb dim_n = {0}, dim_c = {0}, shape = {0}, tensor = {0}, type = {0}, value = {0};
    pb_string(&dim_n, DIM_PARAM, "N");
    pb_uint(&dim_c, DIM_VALUE, (uint64_t)cols);
    pb_message(&shape, SHAPE_DIM, &dim_n);
    pb_message(&shape, SHAPE_DIM, &dim_c);
    pb_uint(&tensor, TENSOR_TYPE_ELEM, TENSOR_FLOAT);
    pb_message(&tensor, TENSOR_TYPE_SHAPE, &shape);
    pb_message(&type, TYPE_TENSOR, &tensor);
    pb_string(&value, VALUE_NAME, name);
    pb_message(&value, VALUE_TYPE, &type);
    pb_message(graph, field, &value);
}

/* TensorProto initializer of rows x cols floats (cols 0: a vector of rows
 * values), element (i, j) taken from v[j * rows + i] if transposed, else
 * from v[i * cols + j]. */
static void initializer(pb *graph, const char *name, const float *v, int rows, int cols,
                        int transposed) {
    size_t R = (size_t)rows, C = (size_t)(cols ? cols : 1);
    pb t = {0};
    pb_uint(&t, TENSOR_DIMS, (uint64_t)rows);
    if (cols) pb_uint(&t, TENSOR_DIMS, (uint64_t)cols);
    pb_uint(&t, TENSOR_DATA_TYPE, TENSOR_FLOAT);
    pb_string(&t, TENSOR_NAME, name);
    /* raw_data: the values as little-endian float32, written in place. */
    pb_varint(&t, (uint64_t)TENSOR_RAW_DATA << 3 | WIRE_LEN);
    pb_varint(&t, 4 * (uint64_t)(R * C));
    uint8_t *at = pb_grow(&t, 4 * R * C);
    if (at)
        for (size_t i = 0; i < R; i++)
            for (size_t j = 0; j < C; j++)
                dp__put32(at + 4 * (i * C + j),
                          dp__float_bits(v[transposed ? j * R + i : i * C + j]));
    pb_message(graph, GRAPH_INITIALIZER, &t);
}

/* NodeProto op_type(inputs...) -> output, with one integer attribute if
 * attr is not NULL. */
static void node(pb *graph, const char *op, const char *name, const char *const *inputs,
                 int n_inputs, const char *output, const char *attr, int value) {
    pb nd = {0};
    for (int i = 0; i < n_inputs; i++) pb_string(&nd, NODE_INPUT, inputs[i]);
    pb_string(&nd, NODE_OUTPUT, output);
    pb_string(&nd, NODE_NAME, name);
    pb_string(&nd, NODE_OP_TYPE, op);
    if (attr) {
        pb a = {0};
        pb_string(&a, ATTR_NAME, attr);
        pb_uint(&a, ATTR_I, (uint64_t)value);
        pb_uint(&a, ATTR_TYPE, ATTR_TYPE_INT);
        pb_message(&nd, NODE_ATTRIBUTE, &a);
    }
    pb_message(graph, GRAPH_NODE, &nd);
}

dp_status dp_onnx_encode(const dp_mlp *m, uint8_t **out, size_t *len, dp_error *err) {
    if (!out || !len) return dp_error_set(err, DP_ERR_ARG, "dp_onnx_encode: NULL argument");
    *out = NULL;
    *len = 0;
    dp_status st = dp_io_check_savable(m, "dp_onnx_encode", err);
    if (st != DP_OK) return st;

    /* Each layer is Gemm(in, weight, bias, transB = 1): in . weight^T + bias,
     * the weight stored out x in as PyTorch exports nn.Linear (W1^T, W2^T),
     * which every ONNX consumer reads, OpenCV's importer included. */
    pb graph = {0};
    static const char *const fc1[] = {"x", "fc1.weight", "fc1.bias"},
                             *const relu[] = {"hidden_linear"},
                             *const fc2[] = {"hidden", "fc2.weight", "fc2.bias"},
                             *const soft[] = {"logits"};
    node(&graph, "Gemm", "fc1", fc1, 3, "hidden_linear", "transB", 1);
    node(&graph, "Relu", "relu", relu, 1, "hidden", NULL, 0);
    node(&graph, "Gemm", "fc2", fc2, 3, "logits", "transB", 1);
    node(&graph, "Softmax", "softmax", soft, 1, "probabilities", "axis", 1);
    pb_string(&graph, GRAPH_NAME, "digitpad_mlp");
    initializer(&graph, "fc1.weight", m->W1, m->n_hidden, m->n_in, 1);
    initializer(&graph, "fc1.bias", m->b1, m->n_hidden, 0, 0);
    initializer(&graph, "fc2.weight", m->W2, m->n_out, m->n_hidden, 1);
    initializer(&graph, "fc2.bias", m->b2, m->n_out, 0, 0);
    value_info(&graph, GRAPH_INPUT, "x", m->n_in);
    value_info(&graph, GRAPH_OUTPUT, "probabilities", m->n_out);

    pb model = {0}, opset = {0};
    pb_uint(&model, MODEL_IR_VERSION, DP_ONNX_IR_VERSION);
    pb_string(&model, MODEL_PRODUCER_NAME, "digitpad");
    pb_string(&model, MODEL_DOC_STRING,
              "digitpad's ReLU/softmax MLP: probabilities = softmax(relu(x W1 + b1) W2 + b2); "
              "x is a batch of 28x28 images, row-major, ink 1 on background 0");
    pb_message(&model, MODEL_GRAPH, &graph);
    pb_uint(&opset, OPSET_VERSION, DP_ONNX_OPSET); /* domain "" (the default) is left out */
    pb_message(&model, MODEL_OPSET_IMPORT, &opset);
    if (model.failed) {
        free(model.p);
        return dp_error_set(err, DP_ERR_NOMEM, "out of memory while encoding the ONNX model");
    }
    *out = model.p;
    *len = model.n;
    return DP_OK;
}

dp_status dp_onnx_save(const char *path, const dp_mlp *m, dp_error *err) {
    if (!path || !*path) return dp_error_set(err, DP_ERR_ARG, "dp_onnx_save: no path given");
    uint8_t *buf;
    size_t len;
    dp_status st = dp_onnx_encode(m, &buf, &len, err);
    if (st != DP_OK) return st;
    st = dp_write_file_atomic(path, buf, len, err);
    free(buf);
    return st;
}
