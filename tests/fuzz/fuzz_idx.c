/* libFuzzer target: the in-memory IDX parsers (see README.md). */
#include "digitpad/dataset.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t *pix = NULL, *labels = NULL;
    uint32_t count = 0, rows = 0, cols = 0;
    dp_error err;
    if (dp_idx_parse_images(data, size, &pix, &count, &rows, &cols, &err) == DP_OK) {
        /* Accepted input must be exactly what the header promised. */
        if (rows != 28 || cols != 28 || size != 16 + (size_t)count * 784 ||
            memcmp(pix, data + 16, (size_t)count * 784) != 0)
            abort();
        free(pix);
    } else if (pix != NULL || err.msg[0] == '\0') {
        abort();
    }
    if (dp_idx_parse_labels(data, size, &labels, &count, &err) == DP_OK) {
        if (size != 8 + (size_t)count) abort();
        for (uint32_t i = 0; i < count; i++)
            if (labels[i] > 9) abort();
        free(labels);
    } else if (labels != NULL || err.msg[0] == '\0') {
        abort();
    }
    return 0;
}
