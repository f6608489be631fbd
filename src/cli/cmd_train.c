/* digitpad-cli train: train the network on MNIST and save it.
 *
 * The core trainer runs in slices of a few batches (sized to take ~50 ms),
 * so between slices this file can redraw the progress display, evaluate
 * after each epoch and notice Ctrl-C. It does no per-batch work itself:
 * a fresh network (dp_train_fresh_network), one dp_trainer for the whole
 * run, dp_evaluate after each epoch. The window's training lab makes the
 * same calls, so the same settings give the same weights. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "digitpad/matrix.h"
#include "load.h"
#include "progress.h"
#include "train_opts.h"

#define SLICE_SECONDS 0.05
#define MAX_SLICE_BATCHES 4096

static volatile sig_atomic_t g_interrupted;

static void on_sigint(int sig) {
    (void)sig;
    g_interrupted = 1;
}

/* First Ctrl-C: finish the slice and save. SA_RESETHAND makes a second one
 * kill the program at once (saving is atomic, so no half-written file). If
 * SIGINT was ignored when we started (nohup, background job), it stays so. */
static void catch_sigint(struct sigaction *old) {
    sigaction(SIGINT, NULL, old);
    if (old->sa_handler == SIG_IGN) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
}

/* Fail early, before minutes of training, if --out cannot be written: its
 * directory must be writable (the model is saved via a temporary file there
 * and a rename) and it must not be a directory itself. */
static int check_out_writable(const char *out) {
    struct stat st;
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_failf("cannot write model", "%s: is a directory", out);
    char dir[4096];
    const char *slash = strrchr(out, '/');
    if (!slash) {
        snprintf(dir, sizeof dir, ".");
    } else if (slash == out) {
        snprintf(dir, sizeof dir, "/");
    } else {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out), out);
    }
    if (access(dir, W_OK | X_OK) != 0) {
        return cli_failf("cannot write model", "%s: directory '%s' is not writable: %s", out, dir,
                         strerror(errno));
    }
    return 0;
}

/* A fresh He-initialised 784-800-10 network, or the --init model. */
static int make_network(const train_opts *o, dp_mlp **m, dp_model_meta *init_meta) {
    memset(init_meta, 0, sizeof *init_meta);
    if (o->init) return cli_load_model(o->init, m, init_meta);
    if (dp_train_fresh_network(m, DP_MNIST_PIXELS, DP_PAPER_HIDDEN, DP_MNIST_CLASSES,
                               o->cfg.seed) != DP_OK)
        return cli_failf("train", "out of memory for the network");
    return 0;
}

/* Batches per slice so one slice takes about SLICE_SECONDS. */
static int next_slice(int ran, double seconds) {
    if (ran <= 0 || seconds <= 0.0) return ran > 0 ? ran * 2 : 1;
    double per_batch = seconds / ran;
    double want = SLICE_SECONDS / per_batch;
    if (want < 1.0) return 1;
    return want > MAX_SLICE_BATCHES ? MAX_SLICE_BATCHES : (int)want;
}

typedef struct run_state {
    dp_train_progress p;
    double test_acc; /* of the parameters as they are now; < 0 if unknown */
} run_state;

static int evaluate(const dp_mlp *m, const dp_dataset *test, double *acc) {
    dp_eval e;
    dp_status s = dp_evaluate(m, test, &e);
    if (s != DP_OK) return cli_failf("evaluation failed", "%s", dp_status_str(s));
    *acc = dp_eval_accuracy(&e);
    return 0;
}

/* The slice loop: runs until all epochs are done or Ctrl-C. */
static int train_loop(const train_opts *o, dp_trainer *t, const dp_mlp *m, const dp_dataset *test,
                      run_state *st) {
    cli_progress pb;
    cli_progress_init(&pb, stderr, !o->quiet);
    int slice = 1;
    st->test_acc = -1.0;
    while (!g_interrupted) {
        double t0 = cli_now();
        int ran = dp_trainer_run(t, slice, &st->p);
        double t1 = cli_now();
        slice = next_slice(ran, t1 - t0);
        if (ran > 0) st->test_acc = -1.0;
        if (st->p.epoch_ended) {
            cli_progress_clear(&pb);
            if (evaluate(m, test, &st->test_acc) != 0) return CLI_EXIT_FAIL;
            printf("epoch %d/%d  loss %.4f  test %.2f%%  %.1f s\n", st->p.epoch, st->p.epochs,
                   st->p.epoch_loss, 100.0 * st->test_acc, st->p.epoch_seconds);
            fflush(stdout);
        } else {
            cli_progress_update(&pb, &st->p, t1);
        }
        if (st->p.done) break;
        if (ran == 0) return cli_failf("train", "the trainer made no progress");
    }
    cli_progress_clear(&pb);
    return 0;
}

static int save_model(const train_opts *o, const dp_trainer *t, const dp_mlp *m,
                      const dp_model_meta *init_meta, const run_state *st) {
    dp_model_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.epochs = init_meta->epochs + (uint32_t)st->p.epoch;
    meta.samples_seen = init_meta->samples_seen + st->p.samples_seen;
    meta.test_accuracy = (float)st->test_acc;
    meta.seed = o->cfg.seed;
    meta.created_unix = 0; /* now */
    memcpy(meta.note, o->note, sizeof meta.note);
    dp_train_config run;
    dp_trainer_config(t, &run);
    dp_train_config_to_run(&run, &meta.run);
    dp_error err = {0};
    if (dp_model_save(o->out, m, &meta, &err) != DP_OK) return cli_fail("cannot save model", &err);
    printf("saved %s  (%u epoch%s in total, test %.2f%%)\n", o->out, meta.epochs,
           meta.epochs == 1 ? "" : "s", 100.0 * st->test_acc);
    return 0;
}

int cmd_train(int argc, char **argv) {
    train_opts o;
    int parsed = train_opts_parse(&o, argc, argv);
    if (parsed != 0) return cli_parse_exit(parsed);
    if (check_out_writable(o.out) != 0) return CLI_EXIT_FAIL;
    /* --threads goes to the trainer (o.cfg.threads): it runs its own threads
     * and keeps the BLAS on one. */

    dp_mlp *m = NULL;
    dp_model_meta init_meta;
    if (make_network(&o, &m, &init_meta) != 0) return CLI_EXIT_FAIL;
    dp_dataset train = {0}, test = {0};
    if (cli_load_mnist(o.data, &train, &test) != 0) {
        dp_mlp_destroy(m);
        return CLI_EXIT_FAIL;
    }
    if (o.limit > 0 && (uint32_t)o.limit < train.count) train.count = (uint32_t)o.limit;
    dp_trainer *t = NULL;
    dp_error err = {0};
    int rc = CLI_EXIT_OK;
    if (dp_trainer_create(&t, m, &train, &o.cfg, &err) != DP_OK) {
        rc = cli_fail("cannot start training", &err);
    } else {
        struct sigaction old;
        g_interrupted = 0;
        catch_sigint(&old);
        char desc[512];
        train_opts_describe(&o, desc, sizeof desc);
        printf("training %d-%d-%d on %u images%s: %s\n", m->n_in, m->n_hidden, m->n_out,
               train.count, o.init ? " from --init" : "", desc);
        fflush(stdout);
        run_state st;
        memset(&st, 0, sizeof st);
        rc = train_loop(&o, t, m, &test, &st);
        int interrupted = g_interrupted;
        sigaction(SIGINT, &old, NULL);
        if (rc == 0 && interrupted) {
            fprintf(stderr, "interrupted in epoch %d/%d after %llu samples; saving to %s\n",
                    st.p.epoch + 1, st.p.epochs, (unsigned long long)st.p.samples_seen, o.out);
            if (st.test_acc < 0.0) rc = evaluate(m, &test, &st.test_acc);
        }
        if (rc == 0) rc = save_model(&o, t, m, &init_meta, &st);
        if (rc == 0 && interrupted) rc = CLI_EXIT_INTERRUPTED;
    }
    dp_trainer_destroy(t);
    dp_dataset_free(&train);
    dp_dataset_free(&test);
    dp_mlp_destroy(m);
    return rc;
}
