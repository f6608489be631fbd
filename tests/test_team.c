/* The training team (src/core/team.c): every member runs the job, the
 * barrier holds each member until all have arrived, and claimed work items
 * are each handed out exactly once, member 0 from the front and the others
 * from the back, also while the members race for them. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "../src/core/team.h"
#include "digitpad/step.h"
#include "testutil.h"

enum { ITEMS = 37, ROUNDS = 300, MAXM = 4 };

typedef struct job {
    dp_team *team;
    atomic_int ran[MAXM];
    atomic_int arrived; /* members past the first phase */
    atomic_int early;   /* members that left the barrier before all had arrived */
    atomic_int others;  /* items the members other than 0 have claimed */
    dp_claims claims;
    int n;                /* items to hand out */
    int got[MAXM][ITEMS]; /* the items each member claimed, in order */
    int count[MAXM];      /* how many */
} job;

static void run_members(void *ctx, int member, int members) {
    job *j = ctx;
    atomic_fetch_add(&j->ran[member], 1);
    if (member == 0) dp_claims_reset(&j->claims, j->n);
    atomic_fetch_add(&j->arrived, 1);
    dp_team_barrier(j->team);
    if (atomic_load(&j->arrived) != members) atomic_fetch_add(&j->early, 1);
    j->count[member] = 0;
    for (int k; (k = dp_claims_next(&j->claims, member)) >= 0;) {
        if (j->count[member] < ITEMS) j->got[member][j->count[member]] = k;
        j->count[member]++;
        if (member > 0) atomic_fetch_add(&j->others, 1);
        /* member 0 lets another member take one first, so both ends are
         * used whatever the scheduler does */
        while (member == 0 && members > 1 && j->n >= 2 && atomic_load(&j->others) == 0) {
        }
    }
}

/* Every item once; member 0's items 0, 1, 2, ... in order, the others'
 * counting down from the back; the two ends meet without a gap. */
static int claims_ok(const job *j, int members) {
    int seen[ITEMS] = {0}, total = 0;
    for (int m = 0; m < members; m++) {
        if (j->count[m] > ITEMS) return 0;
        for (int e = 0; e < j->count[m]; e++) {
            const int k = j->got[m][e];
            if (k < 0 || k >= j->n || seen[k]++) return 0;
            if (e > 0 && (m == 0 ? k <= j->got[m][e - 1] : k >= j->got[m][e - 1])) return 0;
        }
        total += j->count[m];
    }
    if (total != j->n) return 0;
    if (dp_claims_front(&j->claims) != j->count[0]) return 0;
    for (int e = 0; e < j->count[0]; e++)
        if (j->got[0][e] != e) return 0; /* the front is a prefix */
    return 1;
}

static void test_team(int members) {
    dp_team *t = NULL;
    CHECK(dp_team_create(&t, members) == DP_OK);
    CHECK(dp_team_size(t) == members);
    int bad = 0, both_ends = 0;
    for (int round = 0; round < ROUNDS; round++) {
        static job j;
        memset(&j, 0, sizeof j);
        j.team = t;
        j.n = round % 5 == 4 ? 0 : ITEMS - round % 3; /* now and then nothing to hand out */
        dp_team_run(t, run_members, &j);
        for (int m = 0; m < members; m++) bad += atomic_load(&j.ran[m]) != 1;
        bad += atomic_load(&j.early) != 0;
        bad += !claims_ok(&j, members);
        both_ends += members > 1 && j.count[0] > 0 && j.count[0] < j.n;
    }
    CHECKF(bad == 0, "%d members: %d rounds went wrong", members, bad);
    if (members > 1) CHECKF(both_ends > 0, "%d members: member 0 always took everything", members);
    dp_team_destroy(t);
}

/* Without a team everything runs on the calling thread, in order. */
static void test_no_team(void) {
    static job j;
    memset(&j, 0, sizeof j);
    j.n = ITEMS;
    dp_team_run(NULL, run_members, &j);
    CHECK(atomic_load(&j.ran[0]) == 1);
    CHECK(j.count[0] == ITEMS && claims_ok(&j, 1));
    dp_claims c;
    dp_claims_reset(&c, 2);
    CHECK(dp_claims_next(&c, 1) == 1);
    CHECK(dp_claims_next(&c, 0) == 0);
    CHECK(dp_claims_next(&c, 0) == -1);
    CHECK(dp_claims_next(&c, 1) == -1);
    CHECK(dp_team_create(&(dp_team *){NULL}, 0) == DP_ERR_ARG);
    CHECK(dp_team_create(&(dp_team *){NULL}, DP_MAX_THREADS + 1) == DP_ERR_ARG);
}

int main(void) {
    test_no_team();
    for (int members = 1; members <= MAXM; members++) test_team(members);
    return dpt_finish();
}
