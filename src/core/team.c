#include "team.h"

#include "digitpad/step.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define SPINS 4000

/* Sense-reversing barrier: the last to arrive flips the sense; the others
 * spin on it for a while and then sleep on the condition variable. */
typedef struct barrier {
    atomic_int arrived;
    atomic_int sense;
    atomic_int members; /* shrinks if a worker cannot be started */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} barrier;

typedef struct member_arg {
    struct dp_team *team;
    int member;
} member_arg;

struct dp_team {
    int members;
    int started; /* worker threads actually running */
    pthread_t *threads;
    member_arg *args;
    barrier bar;
    dp_team_fn fn;
    void *ctx;
    atomic_int quit;
};

static void barrier_wait(barrier *b) {
    int my_sense = !atomic_load_explicit(&b->sense, memory_order_relaxed);
    if (atomic_fetch_add_explicit(&b->arrived, 1, memory_order_acq_rel) ==
        atomic_load_explicit(&b->members, memory_order_acquire) - 1) {
        atomic_store_explicit(&b->arrived, 0, memory_order_relaxed);
        pthread_mutex_lock(&b->mu);
        atomic_store_explicit(&b->sense, my_sense, memory_order_release);
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
        return;
    }
    for (int i = 0; i < SPINS; i++) {
        if (atomic_load_explicit(&b->sense, memory_order_acquire) == my_sense) return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    pthread_mutex_lock(&b->mu);
    while (atomic_load_explicit(&b->sense, memory_order_acquire) != my_sense)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
}

/* Workers: wait at the barrier for a job, run it, meet at the barrier. */
static void *worker(void *p) {
    member_arg *a = p;
    dp_team *t = a->team;
    for (;;) {
        barrier_wait(&t->bar);
        if (atomic_load_explicit(&t->quit, memory_order_acquire)) return NULL;
        t->fn(t->ctx, a->member, t->members);
        barrier_wait(&t->bar);
    }
}

static int barrier_init(barrier *b, int members) {
    atomic_init(&b->arrived, 0);
    atomic_init(&b->sense, 0);
    atomic_init(&b->members, members);
    if (pthread_mutex_init(&b->mu, NULL) != 0) return -1;
    if (pthread_cond_init(&b->cv, NULL) != 0) {
        pthread_mutex_destroy(&b->mu);
        return -1;
    }
    return 0;
}

dp_status dp_team_create(dp_team **out, int members) {
    if (!out || members < 1 || members > DP_MAX_THREADS) return DP_ERR_ARG;
    *out = NULL;
    dp_team *t = calloc(1, sizeof *t);
    if (!t) return DP_ERR_NOMEM;
    t->members = members;
    atomic_init(&t->quit, 0);
    if (barrier_init(&t->bar, members) != 0) {
        free(t);
        return DP_ERR_NOMEM;
    }
    t->threads = calloc((size_t)members, sizeof *t->threads);
    t->args = calloc((size_t)members, sizeof *t->args);
    if (!t->threads || !t->args) {
        dp_team_destroy(t);
        return DP_ERR_NOMEM;
    }
    for (int i = 1; i < members; i++) {
        t->args[i] = (member_arg){t, i};
        if (pthread_create(&t->threads[i], NULL, worker, &t->args[i]) != 0) {
            /* run with the members we have: shrink the team */
            t->members = i;
            atomic_store_explicit(&t->bar.members, i, memory_order_release);
            break;
        }
        t->started = i;
    }
    *out = t;
    return DP_OK;
}

int dp_team_size(const dp_team *t) {
    return t ? t->members : 1;
}

void dp_team_run(dp_team *t, dp_team_fn fn, void *ctx) {
    if (!t || t->members == 1) {
        fn(ctx, 0, 1);
        return;
    }
    t->fn = fn;
    t->ctx = ctx;
    barrier_wait(&t->bar); /* start */
    fn(ctx, 0, t->members);
    barrier_wait(&t->bar); /* end */
}

void dp_team_barrier(dp_team *t) {
    if (t && t->members > 1) barrier_wait(&t->bar);
}

void dp_claims_reset(dp_claims *c, int n, int most, int members) {
    atomic_store_explicit(&c->ends, (unsigned long long)(unsigned)n << 32, memory_order_relaxed);
    c->most = most < 1 ? 1 : most;
    c->shrink = members > 1;
}

int dp_claims_next(dp_claims *c, int member, int split, int *count) {
    unsigned long long ends = atomic_load_explicit(&c->ends, memory_order_relaxed), next;
    int item, run;
    do {
        const int front = (int)(unsigned)ends, back = (int)(unsigned)(ends >> 32),
                  left = back - front;
        if (left <= 0) return -1;
        run = left > 2 * c->most || !c->shrink ? c->most : (left + 1) / 2;
        run = run < left ? run : left;
        if (member == 0) {
            if (front < split && front + run > split) run = split - front;
            item = front;
            next = ends + (unsigned)run;
        } else {
            if (back > split && back - run < split) run = back - split;
            item = back - run;
            next = ends - ((unsigned long long)(unsigned)run << 32);
        }
    } while (!atomic_compare_exchange_weak_explicit(&c->ends, &ends, next, memory_order_relaxed,
                                                    memory_order_relaxed));
    *count = run;
    return item;
}

int dp_claims_front(const dp_claims *c) {
    return (int)(unsigned)atomic_load_explicit(&c->ends, memory_order_relaxed);
}

void dp_team_destroy(dp_team *t) {
    if (!t) return;
    if (t->started > 0) {
        atomic_store_explicit(&t->quit, 1, memory_order_release);
        barrier_wait(&t->bar);
        for (int i = 1; i <= t->started; i++) pthread_join(t->threads[i], NULL);
    }
    pthread_cond_destroy(&t->bar.cv);
    pthread_mutex_destroy(&t->bar.mu);
    free(t->threads);
    free(t->args);
    free(t);
}
