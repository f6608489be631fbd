#include "progress.h"

#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 20
#define REDRAW_INTERVAL 0.1 /* seconds */

double cli_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_init(cli_progress *pb, FILE *out, int enabled) {
    pb->out = out;
    pb->enabled = enabled;
    pb->tty = isatty(fileno(out));
    pb->drawn = 0;
    pb->last_draw = -1.0;
    pb->next_tenth = 1;
    pb->last_epoch = -1;
}

/* "1:02:03" or "2:03"; "--:--" when unknown. */
static void format_eta(char *buf, size_t n, double seconds) {
    if (!(seconds >= 0.0) || seconds > 359999.0) {
        snprintf(buf, n, "--:--");
        return;
    }
    long s = (long)(seconds + 0.5);
    if (s >= 3600) {
        snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    } else {
        snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
    }
}

/* Remaining seconds of the whole run at the current epoch's speed. */
static double eta_seconds(const dp_train_progress *p) {
    if (p->samples_per_sec <= 0.0) return -1.0;
    double left = (double)(p->epochs - p->epoch) * p->epoch_size - (double)p->pos;
    return left > 0.0 ? left / p->samples_per_sec : 0.0;
}

static double epoch_fraction(const dp_train_progress *p) {
    return p->epoch_size ? (double)p->pos / (double)p->epoch_size : 0.0;
}

static void draw_bar(cli_progress *pb, const dp_train_progress *p) {
    double frac = epoch_fraction(p);
    int fill = (int)(frac * BAR_WIDTH);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    char eta[32];
    format_eta(eta, sizeof eta, eta_seconds(p));
    /* \033[K clears what a longer previous line left behind. */
    fprintf(pb->out, "\repoch %d/%d [%s] %3d%%  loss %.4f  %.0f samples/s  ETA %s\033[K",
            p->epoch + 1, p->epochs, bar, (int)(frac * 100.0), p->epoch_loss, p->samples_per_sec,
            eta);
    fflush(pb->out);
    pb->drawn = 1;
}

static void print_line(cli_progress *pb, const dp_train_progress *p) {
    char eta[32];
    format_eta(eta, sizeof eta, eta_seconds(p));
    fprintf(pb->out, "epoch %d/%d  %3d%%  loss %.4f  %.0f samples/s  ETA %s\n", p->epoch + 1,
            p->epochs, (int)(epoch_fraction(p) * 100.0), p->epoch_loss, p->samples_per_sec, eta);
    fflush(pb->out);
}

void cli_progress_update(cli_progress *pb, const dp_train_progress *p, double now) {
    if (!pb->enabled || p->done || p->epoch_ended || p->pos == 0) return;
    if (pb->tty) {
        if (pb->last_draw < 0.0 || now - pb->last_draw >= REDRAW_INTERVAL) {
            draw_bar(pb, p);
            pb->last_draw = now;
        }
        return;
    }
    if (p->epoch != pb->last_epoch) {
        pb->last_epoch = p->epoch;
        pb->next_tenth = 1;
    }
    int tenth = (int)(epoch_fraction(p) * 10.0);
    if (tenth >= pb->next_tenth && tenth < 10) {
        print_line(pb, p);
        pb->next_tenth = tenth + 1;
    }
}

void cli_progress_clear(cli_progress *pb) {
    if (pb->drawn) {
        fputs("\r\033[K", pb->out);
        fflush(pb->out);
        pb->drawn = 0;
    }
}
