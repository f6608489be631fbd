/* The training team (src/core/team.c): every member runs the job, the
 * barrier holds each member until all have arrived, and claimed work items
 * are each handed out exactly once, in runs of at most `most` that shrink
 * to half of what is left at the end and never span the split, member 0
 * from the front and the others from the back, also while the members race
 * for them. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "../src/core/team.h"
#include "digitpad/step.h"
#include "testutil.h"

enum { ITEMS = 37, ROUNDS = 300, MAXM = 4, MOST = 4 };

typedef struct job {
    dp_team *team;
    atomic_int ran[MAXM];
    atomic_int arrived; /* members past the first phase */
    atomic_int early;   /* members that left the barrier before all had arrived */
    atomic_int others;  /* items the members other than 0 have claimed */
    dp_claims claims;
    int n, split;         /* items to hand out; no run spans split */
    int got[MAXM][ITEMS]; /* the first item of each run a member claimed, in order */
    int len[MAXM][ITEMS]; /* and its length */
    int count[MAXM];      /* how many runs */
} job;

static void run_members(void *ctx, int member, int members) {
    job *j = ctx;
    atomic_fetch_add(&j->ran[member], 1);
    if (member == 0) dp_claims_reset(&j->claims, j->n, MOST, members);
    atomic_fetch_add(&j->arrived, 1);
    dp_team_barrier(j->team);
    if (atomic_load(&j->arrived) != members) atomic_fetch_add(&j->early, 1);
    j->count[member] = 0;
    for (int k, len; (k = dp_claims_next(&j->claims, member, j->split, &len)) >= 0;) {
        if (j->count[member] < ITEMS) {
            j->got[member][j->count[member]] = k;
            j->len[member][j->count[member]] = len;
        }
        j->count[member]++;
        if (member > 0) atomic_fetch_add(&j->others, 1);
        /* member 0 lets another member take one first, so both ends are
         * used whatever the scheduler does */
        while (member == 0 && members > 1 && j->n >= 2 && atomic_load(&j->others) == 0) {
        }
    }
}

/* Every item once, in runs of 1..MOST that do not span the split; member
 * 0's runs one after the other from item 0, each other member's counting
 * down from the back; the two ends meet without a gap. */
static int claims_ok(const job *j, int members) {
    int seen[ITEMS] = {0}, total = 0, front = 0;
    for (int m = 0; m < members; m++) {
        if (j->count[m] > ITEMS) return 0;
        for (int e = 0; e < j->count[m]; e++) {
            const int k = j->got[m][e], len = j->len[m][e];
            if (len < 1 || len > MOST || k < 0 || k + len > j->n) return 0;
            if (k < j->split && k + len > j->split) return 0;
            for (int i = k; i < k + len; i++)
                if (seen[i]++) return 0;
            if (m == 0 && k != front) return 0; /* the front is a prefix */
            if (m > 0 && e > 0 && k + len > j->got[m][e - 1]) return 0;
            if (m == 0) front += len;
            total += len;
        }
    }
    return total == j->n && dp_claims_front(&j->claims) == front;
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
        j.split = round % 2 ? j.n / 3 : j.n;          /* every other round a split */
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
    j.n = j.split = ITEMS;
    dp_team_run(NULL, run_members, &j);
    CHECK(atomic_load(&j.ran[0]) == 1);
    CHECK(claims_ok(&j, 1));
    /* alone, runs of MOST to the end: 37 items are 4 x 9 and 1 */
    int same = j.count[0] == 10 && j.len[0][9] == 1;
    for (int e = 0; same && e < 9; e++) same = j.len[0][e] == MOST;
    CHECKF(same, "alone: %d runs from 37 items, the last %d long", j.count[0],
           j.count[0] > 0 ? j.len[0][j.count[0] - 1] : 0);
    /* in a team, runs of MOST while more than 2 MOST are left, then half of
     * what is left: 37 items from the front are 4 x 7 (9 left), 4, 3, 1, 1 */
    dp_claims c;
    int len = 0, runs = 0, ok = 1;
    const int want[] = {4, 4, 4, 4, 4, 4, 4, 4, 3, 1, 1};
    dp_claims_reset(&c, 37, 4, 2);
    for (int k; (k = dp_claims_next(&c, 0, 37, &len)) >= 0; runs++)
        ok = ok && runs < 11 && len == want[runs];
    CHECKF(ok && runs == 11, "in a team: %d runs from 37 items", runs);
    dp_claims_reset(&c, 10, 4, 2);
    CHECK(dp_claims_next(&c, 1, 10, &len) == 6 && len == 4); /* back: 6..9 */
    CHECK(dp_claims_next(&c, 0, 10, &len) == 0 && len == 3); /* 6 left: half */
    CHECK(dp_claims_next(&c, 1, 10, &len) == 4 && len == 2);
    CHECK(dp_claims_next(&c, 0, 10, &len) == 3 && len == 1);
    CHECK(dp_claims_next(&c, 0, 10, &len) == -1);
    CHECK(dp_claims_next(&c, 1, 10, &len) == -1);
    CHECK(dp_claims_front(&c) == 4);
    /* a split at 5: the front stops at it, the back does not go below it */
    dp_claims_reset(&c, 12, 4, 2);
    CHECK(dp_claims_next(&c, 0, 5, &len) == 0 && len == 4);
    CHECK(dp_claims_next(&c, 0, 5, &len) == 4 && len == 1);
    CHECK(dp_claims_next(&c, 1, 5, &len) == 8 && len == 4);
    CHECK(dp_claims_next(&c, 1, 5, &len) == 6 && len == 2);
    CHECK(dp_claims_next(&c, 1, 5, &len) == 5 && len == 1);
    CHECK(dp_claims_next(&c, 0, 5, &len) == -1);
    /* a split at 9: the back's first run stops at it */
    dp_claims_reset(&c, 12, 4, 2);
    CHECK(dp_claims_next(&c, 1, 9, &len) == 9 && len == 3);
    CHECK(dp_claims_next(&c, 1, 9, &len) == 5 && len == 4);
    CHECK(dp_team_create(&(dp_team *){NULL}, 0) == DP_ERR_ARG);
    CHECK(dp_team_create(&(dp_team *){NULL}, DP_MAX_THREADS + 1) == DP_ERR_ARG);
}

int main(void) {
    test_no_team();
    for (int members = 1; members <= MAXM; members++) test_team(members);
    return dpt_finish();
}
