/* The trainer's choice of thread count (src/core/tuner.c), on a simulated
 * machine: a batch takes 64 samples / rate seconds, the rate of one thread
 * and of the team set by the test, so nothing depends on how fast this
 * machine is. It settles on the faster count, tries the other now and then,
 * tries a count that keeps losing less and less often (the interval
 * doubles, to 8x at most), and comes back to the team when the other core
 * is free again. */
#include <math.h>
#include <stdio.h>

#include "../src/core/tuner.h"
#include "testutil.h"

enum { BATCH = 64, MAX_SWITCHES = 4096 };

typedef struct sim {
    double switch_cost;   /* seconds on top of the first batch after a switch to the team */
    double warm_seconds;  /* after any change of count (and at the start), this long */
    double warm_slowdown; /* everything takes this many times as long (0: no warm-up) */
    double t;             /* seconds of training so far */
    double on_team;       /* of them on the team */
    double samples;       /* samples trained */
    int switches;         /* changes of count, each at[] with the count it went to */
    double at[MAX_SWITCHES];
    int to[MAX_SWITCHES];
} sim;

/* Trains for seconds with these rates (samples/s) on one thread and on the team. */
static void run(dp_tuner *u, sim *s, double rate_one, double rate_team, double seconds) {
    for (const double end = s->t + seconds; s->t < end;) {
        const double since = s->switches > 0 ? s->t - s->at[s->switches - 1] : s->t;
        const int woke = u->now > 1 && s->switches > 0 && since == 0; /* first batch after it */
        const double slow = s->warm_slowdown > 0 && since < s->warm_seconds ? s->warm_slowdown : 1;
        const double dt =
            slow * BATCH / (u->now > 1 ? rate_team : rate_one) + (woke ? s->switch_cost : 0);
        s->t += dt;
        s->samples += BATCH;
        if (u->now > 1) s->on_team += dt;
        const int next = dp__tuner_after_batch(u, BATCH, dt);
        if (next != u->now && s->switches < MAX_SWITCHES) {
            s->at[s->switches] = s->t;
            s->to[s->switches++] = next;
        }
        u->now = next;
    }
}

/* What a probe of a count whose batch takes batch seconds costs: the batches
 * after the switch that are not counted (two, and DP_TUNE_SETTLE), then a
 * sixteenth of a window and the batch that ends it. */
static double probe_seconds(double batch) {
    const double settle = 2 * batch > DP_TUNE_SETTLE + batch ? 2 * batch : DP_TUNE_SETTLE + batch;
    return settle + DP_TUNE_SECONDS / 16 + batch;
}

/* The times the tuner went to count `to` after time `from`, into t[] (at most n). */
static int switches_to(const sim *s, int to, double from, double *t, int n) {
    int k = 0;
    for (int i = 0; i < s->switches && k < n; i++)
        if (s->to[i] == to && s->at[i] > from) t[k++] = s->at[i];
    return k;
}

/* The probes at p[0..n) come every base windows, doubled for each probe in
 * a row that confirmed the choice (c0 of them before p[0]), to 8x at most:
 * p[0] after base << c0 windows, p[k] after base << min(c0 + k, 3) more. */
static void check_probe_gaps(const double *p, int n, int base, int c0, const char *what) {
    const double window = DP_TUNE_SECONDS;
    CHECKF(n > 0 && fabs(p[0] - (base << c0) * window) < 3 * window, "%s: first probe at %.3f s",
           what, n > 0 ? p[0] : -1.0);
    for (int k = 1; k < 8 && k < n; k++) {
        const double want = window * (base << (c0 + k < 3 ? c0 + k : 3)), gap = p[k] - p[k - 1];
        CHECKF(fabs(gap - want) < 0.05 * want + 2 * window,
               "%s: probe %d %.3f s after the last, want %.3f", what, k, gap, want);
    }
}

/* The first time after `from` that the tuner went to count `to` and stayed
 * there for more than a probe (0.1 s), or -1. */
static double stays_at(const sim *s, int to, double from) {
    for (int i = 0; i < s->switches; i++) {
        if (s->to[i] != to || s->at[i] <= from) continue;
        const double until = i + 1 < s->switches ? s->at[i + 1] : s->t;
        if (until - s->at[i] > 0.1) return s->at[i];
    }
    return -1.0;
}

/* Another program on one of two cores: the team at 40% of the speed of one
 * thread. The tuner starts on one thread, as the trainer does; after its
 * first window (a sixteenth of one) it tries the team, which loses, and
 * then runs on one thread. That first probe confirmed the choice, so the
 * next comes after 64 windows, then 128 and 256 windows after the last,
 * and then every 256 (5 s of training), each probe one batch long. */
static void test_busy(void) {
    dp_tuner u;
    dp__tuner_init(&u, 1, 2, 1);
    sim s = {0};
    run(&u, &s, 100000, 40000, 60.0);
    const double probe = probe_seconds(BATCH / 40000.0);
    CHECKF(s.switches >= 2 && s.to[0] == 2 && s.at[0] < probe_seconds(BATCH / 100000.0) &&
               s.to[1] == 1 && s.at[1] - s.at[0] < probe + 1e-9,
           "first switches: to %d at %g s, to %d at %g s", s.switches ? s.to[0] : 0,
           s.switches ? s.at[0] : -1.0, s.switches > 1 ? s.to[1] : 0,
           s.switches > 1 ? s.at[1] : -1.0);
    double p[16] = {0};
    const int n = switches_to(&s, 2, 0.01, p, 16);
    CHECKF(n >= 8 && n <= 16, "%d probes of the team in 60 s", n);
    check_probe_gaps(p, n, 32, 1, "busy");
    /* the probes cost little: each ends once it is a sixteenth of a window
     * long (the team at less than half one thread's rate), so the time on
     * the team is about that a probe, the first one's included; under 0.5%
     * of the time on the team, and within 1% of the samples one thread
     * alone would have trained */
    CHECKF(s.on_team < (n + 1) * probe, "%.4f s on the team in %d probes of at most %.4f s",
           s.on_team, n + 1, probe);
    CHECKF(s.on_team < 0.005 * s.t, "%.3f s of %.1f on the team", s.on_team, s.t);
    CHECKF(s.samples > 0.99 * 100000 * s.t, "%.0f samples in %.1f s", s.samples, s.t);
}

/* A quiet machine, the team 1.6x as fast: after the first window (one
 * thread, a sixteenth of a window) it runs on the team, and its probes of
 * one thread thin out the same way, from every 16th window. */
static void test_quiet(void) {
    dp_tuner u;
    dp__tuner_init(&u, 1, 2, 1);
    sim s = {0};
    run(&u, &s, 100000, 160000, 60.0);
    CHECKF(s.on_team > 0.99 * s.t, "%.3f s of %.1f on the team", s.on_team, s.t);
    double p[64] = {0};
    const int n = switches_to(&s, 1, 0.1, p, 64);
    CHECKF(n >= 15 && n <= 30, "%d probes of one thread in 60 s", n);
    check_probe_gaps(p, n, 16, 0, "quiet");
}

/* The other program ends after a long busy spell (the probe interval
 * backed off to its cap), at any point between two probes: the next probe
 * finds the team faster, however far the means had got apart, the tuner
 * stays on it, and its probes of one thread start again from the base
 * interval. */
static void test_core_frees(void) {
    const double busy_rates[] = {40000, 45000, 60000};
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 12; j++) { /* 6 s of end times: more than one capped interval */
            dp_tuner u;
            dp__tuner_init(&u, 1, 2, 1);
            sim s = {0};
            const double busy = 20.0 + 0.5 * j;
            run(&u, &s, 100000, busy_rates[k], busy);
            const double team_before = s.on_team, freed = s.t;
            run(&u, &s, 100000, 160000, 20.0);
            /* at most one capped interval (256 windows of 20 ms) and a probe */
            const double cap = 256 * 1.05 * DP_TUNE_SECONDS + 0.1;
            const double back = stays_at(&s, 2, freed);
            CHECKF(back > 0 && back < freed + cap,
                   "team at %.0f/s while busy for %.1f s: back on the team %.2f s later",
                   busy_rates[k], busy, back - freed);
            double probe[1] = {-1.0};
            const double since = s.t - back, on_team = s.on_team - team_before;
            CHECKF(on_team > 0.95 * since, "%.2f s on the team of the %.2f s since", on_team,
                   since);
            const int probes = switches_to(&s, 1, back, probe, 1); /* before CHECKF reads it */
            CHECKF(probes == 1 && probe[0] - back < 0.5,
                   "first probe of one thread %.3f s after coming back", probe[0] - back);
        }
}

/* A quiet machine (the team 1.6x as fast) with a slow spell of 0.3 s in
 * which everything is slower and the team at half the speed of one thread:
 * the tuner goes to one thread, and its next probes find the team fast
 * again, so it is back on the team (for at least 75% of the 5 s after the
 * spell: one thread for about 1.1 s, the spell's means having made the team
 * look 3x slower) and stays there. */
static void test_slow_spell(void) {
    for (int j = 0; j < 8; j++) { /* the spell at 8 points of the probe cycle */
        dp_tuner u;
        dp__tuner_init(&u, 1, 2, 1);
        sim s = {0};
        run(&u, &s, 100000, 160000, 5.0 + 0.2 * j);
        run(&u, &s, 60000, 30000, 0.3);
        const double after = s.t, team_before = s.on_team;
        run(&u, &s, 100000, 160000, 5.0);
        const double on_team = s.on_team - team_before, since = s.t - after;
        CHECKF(u.now == 2 && on_team > 0.75 * since,
               "slow spell at %.1f s: %.2f s of the %.2f s after it on the team", 5.0 + 0.2 * j,
               on_team, since);
    }
}

/* Per-sample SGD (a batch of 64 samples in 10 us on one thread, 6.25 us on
 * the team) where the first batch after a switch to the team costs 100 us
 * more (its workers wake up): after 2 s with the team at 40% the tuner is
 * on one thread; when the other core frees up, the team's probes are not
 * ended by that first batch, so it is back on the team within 5.2 s (the
 * longest probe interval) and stays. */
static void test_switch_cost(void) {
    dp_tuner u;
    dp__tuner_init(&u, 1, 2, 1);
    sim s = {.switch_cost = 100e-6};
    run(&u, &s, 6.4e6, 0.4 * 6.4e6, 2.0);
    CHECKF(u.now == 1, "with the hog: on %d threads", u.now);
    const double freed = s.t;
    run(&u, &s, 6.4e6, 1.6 * 6.4e6, 10.0);
    const double back = stays_at(&s, 2, freed);
    CHECKF(back > 0 && back < freed + 5.2, "core freed at %.2f s: back on the team at %.2f s",
           freed, back);
    CHECKF(u.now == 2, "at the end: on %d threads", u.now);
}

/* The trainer's first batch is slow (it touches the step's scratch for the
 * first time): here five times one thread's. With the team only 5% faster
 * the tuner should stay on one thread; counted, that batch alone would make
 * the first window, and one thread, look five times slower, and the team
 * would win its first probe and run a whole window. Not counted, the team
 * runs only its first probe (a sixteenth of a window and a batch). */
static void test_cold_first_batch(void) {
    dp_tuner u;
    dp__tuner_init(&u, 1, 2, 1);
    sim s = {0};
    s.t = 5 * BATCH / 100000.0;
    s.samples = BATCH;
    u.now = dp__tuner_after_batch(&u, BATCH, s.t);
    run(&u, &s, 100000, 105000, 0.07); /* before the second probe, 4 windows on */
    const double probe = probe_seconds(BATCH / 105000.0);
    CHECKF(s.on_team < probe + 1e-9, "%.4f s of the first %.3f s on the team", s.on_team, s.t);
}

/* The team's first probe happens to miss the other program's time slice
 * (the team 1.6x as fast for that probe), and then runs at 80% of one
 * thread: the full window after the probe counts for more than the short
 * probe, so the tuner is back on one thread after that one window (the
 * probe and the window counted alike, it would take two). */
static void test_lucky_probe(void) {
    dp_tuner u;
    dp__tuner_init(&u, 1, 2, 1);
    sim s = {0};
    while (s.t < 0.1 && !(u.best == 2 && !u.probing))
        run(&u, &s, 100000, 160000, 1e-12); /* a batch */
    CHECKF(u.best == 2 && !u.probing && s.t < 0.01, "on the team after its probe at %.4f s", s.t);
    const double before = s.on_team, from = s.t;
    while (u.now == 2 && s.t < from + 0.5) run(&u, &s, 100000, 80000, 1e-12);
    CHECKF(u.now == 1 && s.on_team - before < 1.5 * DP_TUNE_SECONDS,
           "after the lucky probe: %.4f s on the team, then on %d threads", s.on_team - before,
           u.now);
}

/* A long quiet stretch on the team, then another program takes a core
 * (the team at 40% of one thread): each mean counts for at most a window,
 * so the first full window with the hog moves the team's mean half-way
 * and the tuner is on one thread within 0.1 s, and on the team for under
 * 0.1 s of the 2 s with the hog (an uncapped mean of 10 s of quiet windows
 * would hardly move). A tuner used before and initialised
 * again behaves as a fresh one. */
static void test_hog_arrives(void) {
    dp_tuner u;
    for (int again = 0; again < 2; again++) {
        dp__tuner_init(&u, 1, 2, 1);
        sim s = {0};
        run(&u, &s, 100000, 160000, 10.0);
        CHECKF(u.now == 2, "quiet: on %d threads", u.now);
        const double hog = s.t, team_before = s.on_team;
        run(&u, &s, 100000, 40000, 2.0);
        double one[1] = {-1.0};
        const int n = switches_to(&s, 1, hog, one, 1); /* before CHECKF reads it */
        CHECKF(n == 1 && one[0] < hog + 0.1 && s.on_team - team_before < 0.1,
               "%s: the hog at %.2f s, on one thread at %.3f s, %.3f s of 2 on the team",
               again ? "initialised again" : "fresh", hog, one[0], s.on_team - team_before);
    }
}

/* Each change of count costs a warm-up: for 1.25 ms after it, every batch
 * takes 4x as long (at batch 1 on the 2-core VM the team's first 30-60
 * samples took 2-20x as long as the rest, as each core fetched its share
 * of W1 from the other's caches). Per-sample SGD (64 samples in 10 us on
 * one thread) with the team 1.5x as fast, and batch 64 with the team 1.6x
 * as fast: the tuner runs on the team (for 90% of 10 s at least). Counted,
 * the warm-up made the team's short first probe look slower than one
 * thread, and the tuner stayed on one. */
static void test_warm_up(void) {
    const double rate_one[] = {6.4e6, 100000}, faster[] = {1.5, 1.6};
    for (int k = 0; k < 2; k++) {
        dp_tuner u;
        dp__tuner_init(&u, 1, 2, 1);
        sim s = {.warm_seconds = 1.25e-3, .warm_slowdown = 4};
        run(&u, &s, rate_one[k], faster[k] * rate_one[k], 10.0);
        CHECKF(s.on_team > 0.9 * s.t && u.now == 2, "%.0f/s: %.2f s of %.1f on the team, now %d",
               rate_one[k], s.on_team, s.t, u.now);
    }
}

/* Within 10%: one thread, which cannot stall at a meeting. */
static void test_close(void) {
    dp_tuner u;
    dp__tuner_init(&u, 1, 2, 1);
    sim s = {0};
    run(&u, &s, 100000, 105000, 30.0);
    CHECKF(s.on_team < 0.1 * s.t, "%.2f s of %.1f on the team", s.on_team, s.t);
}

int main(void) {
    test_busy();
    test_switch_cost();
    test_quiet();
    test_core_frees();
    test_slow_spell();
    test_close();
    test_warm_up();
    test_cold_first_batch();
    test_lucky_probe();
    test_hog_arrives();
    return dpt_finish();
}
