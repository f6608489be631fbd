/* dp_model_load_any: a .dpm or an .npz, whichever the file is. */
#include "digitpad/model.h"
#include "digitpad/npz.h"

#include "fileio.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const uint8_t ZIP_MAGIC[4] = {'P', 'K', 3, 4};

dp_status dp_model_load_any(const char *path, dp_mlp **out, dp_model_meta *meta, dp_error *err) {
    if (!path || !out) return dp_error_set(err, DP_ERR_ARG, "dp_model_load_any: NULL argument");
    *out = NULL;
    int fd = -1;
    uint64_t size = 0;
    dp_status st = dp_io_open_regular(path, &fd, &size, err);
    if (st != DP_OK) return st;
    uint8_t head[sizeof ZIP_MAGIC];
    int is_zip = size >= sizeof head &&
                 dp_io_read_exact(fd, head, sizeof head, path, NULL) == DP_OK &&
                 memcmp(head, ZIP_MAGIC, sizeof head) == 0;
    close(fd);
    if (!is_zip) return dp_model_load(path, out, meta, err);
    if ((st = dp_npz_load(path, out, err)) != DP_OK) return st;
    if (meta) {
        memset(meta, 0, sizeof *meta);
        meta->test_accuracy = -1.0f;
        const char *base = strrchr(path, '/');
        snprintf(meta->note, sizeof meta->note, "imported from %.100s", base ? base + 1 : path);
    }
    return DP_OK;
}
