/* A small team of worker threads that run one function together, with a
 * barrier they can meet at inside it. The calling thread is member 0, so a
 * team of 1 runs everything inline. Waiting spins briefly, then sleeps, so
 * idle workers cost nothing and short phases don't pay a wake-up. */
#ifndef DIGITPAD_TEAM_H
#define DIGITPAD_TEAM_H

#include "digitpad/status.h"

#include <stdatomic.h>

typedef struct dp_team dp_team;
typedef void (*dp_team_fn)(void *ctx, int member, int members);

dp_status dp_team_create(dp_team **out, int members);
void dp_team_destroy(dp_team *t);
int dp_team_size(const dp_team *t);
/* Run fn(ctx, member, members) on every member; returns when all are done.
 * A NULL team runs fn(ctx, 0, 1) on the calling thread. */
void dp_team_run(dp_team *t, dp_team_fn fn, void *ctx);
/* Inside fn: wait until every member has arrived (no-op for a NULL team). */
void dp_team_barrier(dp_team *t);

/* Work items 0..n-1 handed out in runs while the team runs, so that a
 * member whose core is busy with something else takes fewer of them and
 * the others do not wait for it. Member 0 takes items from the front, the
 * others from the back: with two members each keeps to its own end (and its
 * cache) unless the other falls behind. A run is up to `most` items; with
 * more than one member, only while more than 2 most are left, then half of
 * what is left (rounded up), so that members that run at different speeds
 * finish close together. Reset before a barrier, claim after it. */
typedef struct dp_claims {
    _Atomic unsigned long long ends; /* front in the low 32 bits, back in the high */
    int most, shrink;
} dp_claims;
void dp_claims_reset(dp_claims *c, int n, int most, int members);
/* The first item of member's next run, its length in *count (>= 1), or -1
 * once every item is taken. No run spans split: the front's runs end at it
 * while they are below it, the back's start at it while they are above it
 * (split = n: no such bound). Every member passes the same split. */
int dp_claims_next(dp_claims *c, int member, int split, int *count);
/* Once every item is taken (after the barrier that ends the claiming): how
 * many member 0 took, items 0 .. dp_claims_front() - 1. */
int dp_claims_front(const dp_claims *c);

#endif
