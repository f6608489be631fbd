/* digitpad-cli inspect FILE: what a .dpm model file says about itself. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "args.h"
#include "commands.h"
#include "digitpad/model.h"
#include "escape.h"

static void usage(FILE *out) {
    fputs("usage: digitpad-cli inspect FILE\n"
          "\n"
          "Show a model file's format version, architecture, parameter count, training\n"
          "metadata (epochs, samples seen, test accuracy, seed, date, note; in version 2\n"
          "also the run's settings: batch, learning rate, schedule, momentum, weight decay,\n"
          "epochs, threads, augmentation), file size and whether its CRC-32 checksum is\n"
          "intact. Exits 1 if the file cannot be read or its checksum is bad.\n",
          out);
}

static const char *activation_name(int id) {
    switch (id) {
    case 1:
        return "relu";
    case 2:
        return "softmax";
    }
    return "unknown";
}

/* ISO-8601 UTC, e.g. 2024-11-27T23:55:00Z. */
static void format_date(char *buf, size_t n, int64_t unix_seconds) {
    struct tm tm;
    time_t t = (time_t)unix_seconds;
    if (unix_seconds <= 0 || !gmtime_r(&t, &tm) ||
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(buf, n, "unknown");
    }
}

static void print_info(const char *path, const dp_model_info *in) {
    const dp_model_meta *m = &in->meta;
    uint64_t params = (uint64_t)in->n_in * (uint64_t)in->n_hidden + (uint64_t)in->n_hidden +
                      (uint64_t)in->n_hidden * (uint64_t)in->n_out + (uint64_t)in->n_out;
    char date[64];
    format_date(date, sizeof date, m->created_unix);
    printf("file           %s\n", path);
    printf("size           %" PRIu64 " bytes\n", in->file_size);
    printf("format         .dpm version %" PRIu32 "\n", in->version);
    printf("architecture   %d-%d-%d (%s / %s)\n", in->n_in, in->n_hidden, in->n_out,
           activation_name(in->act_hidden), activation_name(in->act_out));
    printf("parameters     %" PRIu64 "\n", params);
    printf("epochs         %" PRIu32 "\n", m->epochs);
    printf("samples seen   %" PRIu64 "\n", m->samples_seen);
    if (m->test_accuracy >= 0.0f) {
        printf("test accuracy  %.2f%%\n", 100.0 * m->test_accuracy);
    } else {
        printf("test accuracy  unknown\n");
    }
    printf("seed           %" PRIu64 "\n", m->seed);
    printf("created        %s\n", date);
    char note[4 * sizeof m->note + 1]; /* every byte escaped as \xNN at worst */
    cli_escape_text(m->note, sizeof m->note, note, sizeof note);
    printf("note           %s\n", note[0] ? note : "(none)");
    const dp_model_run *r = &m->run;
    if (r->known) {
        static const char *const schedules[] = {"constant", "cosine", "step"};
        char threads[16] = "auto";
        if (r->threads > 0) snprintf(threads, sizeof threads, "%d", r->threads);
        printf("run            batch %d, lr %g %s (min %g), momentum %g, weight decay %g, "
               "%d epoch%s, threads %s\n",
               r->batch, (double)r->lr,
               r->schedule >= 0 && r->schedule <= 2 ? schedules[r->schedule] : "?",
               (double)r->lr_min, (double)r->momentum, (double)r->weight_decay, r->epochs,
               r->epochs == 1 ? "" : "s", threads);
        const dp_augment_config *a = &r->augment;
        if (a->enabled)
            printf("augmentation   shift %g, rotate %g, scale %g, shear %g, elastic %g/%g\n",
                   (double)a->max_shift, (double)a->max_rotate, (double)a->max_scale,
                   (double)a->max_shear, (double)a->elastic_alpha, (double)a->elastic_sigma);
        else
            printf("augmentation   none\n");
    } else {
        printf("run            not recorded (format version 1)\n");
    }
    if (in->checksum_ok) {
        printf("checksum       ok (crc32 %08" PRIx32 ")\n", in->crc_stored);
    } else {
        printf("checksum       BAD (stored %08" PRIx32 ", computed %08" PRIx32 ")\n",
               in->crc_stored, in->crc_computed);
    }
}

int cmd_inspect(int argc, char **argv) {
    const cli_spec spec = {"inspect", usage, NULL, 0, CLI_PROG};
    int npos = cli_parse(&spec, argc, argv);
    if (npos < 0) return cli_parse_exit(npos);
    if (npos != 1) return cli_usage_error(&spec, npos ? "expected one FILE" : "missing FILE");
    const char *path = argv[1];

    dp_model_info info;
    memset(&info, 0, sizeof info);
    dp_error err = {0};
    if (dp_model_inspect(path, &info, &err) != DP_OK) {
        /* The header itself was unreadable; still say what we know. */
        struct stat st;
        if (stat(path, &st) == 0)
            printf("file           %s (%lld bytes)\n", path, (long long)st.st_size);
        return cli_fail("cannot read model", &err);
    }
    print_info(path, &info);
    fflush(stdout);
    if (!info.checksum_ok) {
        return cli_failf("bad model file",
                         "%s: checksum mismatch (stored %08" PRIx32 ", computed %08" PRIx32
                         "): the file is damaged",
                         path, info.crc_stored, info.crc_computed);
    }
    return CLI_EXIT_OK;
}
