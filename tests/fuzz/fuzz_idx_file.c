/* libFuzzer target: loading IDX files through zlib (raw or gzip, see
 * README.md). Input byte 0 picks the label count (1..8) of a valid labels
 * file; the rest is written as the images file. */
#include "digitpad/dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/fuzz-idx-XXXXXX", images_path[256], labels_path[256];

static void cleanup(void) {
    remove(images_path);
    remove(labels_path);
    remove(dir);
}

static void write_file(const char *path, const uint8_t *b, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!images_path[0]) {
        if (!mkdtemp(dir)) abort();
        atexit(cleanup);
        snprintf(images_path, sizeof images_path, "%s/images", dir);
        snprintf(labels_path, sizeof labels_path, "%s/labels", dir);
    }
    if (size < 1) return 0;
    uint8_t lab[8 + 8] = {0, 0, 8, 1, 0, 0, 0, 0};
    uint32_t n = 1u + data[0] % 8u;
    lab[7] = (uint8_t)n;
    for (uint32_t i = 0; i < n; i++) lab[8 + i] = (uint8_t)(i * 3 % 10);
    write_file(labels_path, lab, 8 + n);
    write_file(images_path, data + 1, size - 1);
    dp_dataset ds;
    dp_error err;
    if (dp_dataset_load(&ds, images_path, labels_path, &err) == DP_OK) {
        if (ds.count != n || ds.rows != 28 || ds.cols != 28 || ds.labels[n - 1] != lab[8 + n - 1])
            abort();
        dp_dataset_free(&ds);
    } else if (ds.images || ds.labels || err.msg[0] == '\0') {
        abort();
    }
    return 0;
}
