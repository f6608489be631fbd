/* A small team of worker threads that run one function together, with a
 * barrier they can meet at inside it. The calling thread is member 0, so a
 * team of 1 runs everything inline. Waiting spins briefly, then sleeps, so
 * idle workers cost nothing and short phases don't pay a wake-up. */
#ifndef DIGITPAD_TEAM_H
#define DIGITPAD_TEAM_H

#include "digitpad/status.h"

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

#endif
