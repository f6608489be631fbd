/* .dpm model files: see docs/model-format.md for the byte layout.
 *
 * Loading checks sizes against the file length and the CRC-32 before any
 * parameter is used; saving writes a temporary file in the same directory,
 * fsyncs it and renames it over the target, so a crash or a full disk never
 * leaves a half-written model where a good one was. */
#ifndef DIGITPAD_MODEL_H
#define DIGITPAD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "digitpad/augment.h"
#include "digitpad/mlp.h"
#include "digitpad/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version 2 adds the run's settings (dp_model_run) to the header; a file
 * saved without them is written as version 1. Both versions are read. */
#define DP_MODEL_VERSION 2u

/* The settings of the training run that made the model (the hidden width
 * is the network's, the seed is dp_model_meta.seed). */
typedef struct dp_model_run {
    int known;          /* 0: the file does not say (version 1) */
    float lr;           /* base learning rate */
    float lr_min;       /* final rate of the cosine schedule */
    int schedule;       /* dp_schedule: 0 constant, 1 cosine, 2 step */
    int batch;          /* mini-batch size */
    float momentum;     /* 0 = none */
    float weight_decay; /* 0 = none */
    int epochs;         /* epochs the run was set to */
    int threads;        /* threads of the training step, 0 = one per core */
    dp_augment_config augment;
} dp_model_run;

typedef struct dp_model_meta {
    uint32_t epochs;       /* epochs trained in total */
    uint64_t samples_seen; /* training samples processed in total */
    float test_accuracy;   /* 0..1, or negative if unknown */
    uint64_t seed;         /* RNG seed of the (last) training run */
    int64_t created_unix;  /* seconds since 1970 when saved (0 = now) */
    char note[128];        /* free text, e.g. the training command */
    dp_model_run run;      /* the run's settings; run.known = 0 if not kept */
} dp_model_meta;

/* What a model file says about itself, for `digitpad-cli inspect`. Filled as
 * far as the file could be parsed, even if the checksum is bad. */
typedef struct dp_model_info {
    uint32_t version;
    int n_in, n_hidden, n_out;
    int act_hidden, act_out; /* activation ids: 1 = relu, 2 = softmax */
    uint64_t file_size;
    uint32_t crc_stored, crc_computed;
    int checksum_ok;
    dp_model_meta meta;
} dp_model_info;

dp_status dp_model_save(const char *path, const dp_mlp *m, const dp_model_meta *meta,
                        dp_error *err);
/* meta may be NULL. On success *out is a new network owned by the caller. */
dp_status dp_model_load(const char *path, dp_mlp **out, dp_model_meta *meta, dp_error *err);
dp_status dp_model_load_mem(const uint8_t *buf, size_t len, dp_mlp **out, dp_model_meta *meta,
                            dp_error *err);
/* Load a network from a .dpm file or a NumPy .npz archive (npz.h), told
 * apart by their first bytes, not by the name. An .npz carries no metadata:
 * meta (if non-NULL) then gets epochs 0, accuracy -1 (unknown) and the note
 * "imported from FILE". */
dp_status dp_model_load_any(const char *path, dp_mlp **out, dp_model_meta *meta, dp_error *err);
/* Parse header and checksum without keeping the parameters. Returns DP_OK if
 * the header was readable (check info->checksum_ok), an error otherwise. */
dp_status dp_model_inspect(const char *path, dp_model_info *info, dp_error *err);

/* CRC-32 (IEEE 802.3, as zlib's crc32). */
uint32_t dp_crc32(uint32_t crc, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
