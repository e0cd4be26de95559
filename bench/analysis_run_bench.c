/* analysis_run_bench.c: wall time of one whole analysis run of a large exercise, against its lease
 *
 * A worker renews a run's lease only between the phases of the analysis (src/listen/runs.c),
 * so the lease must outlast the longest phase of the largest analysis. This measures the
 * whole run, which bounds every phase: an exercise is made in a throw-away SQLite database
 * (participants and contributions through the domain functions a visitor's requests use,
 * votes written in one transaction, since a million one-vote transactions would time the
 * set-up rather than the run), then one run is claimed and executed as the worker does
 * (listen_analysis_claim, listen_analysis_execute: reading the statements and votes, themes,
 * opinion groups, storing the result). Votes come from three camps, each agreeing with two
 * subjects and disagreeing with the rest four times in five, so the opinion groups have
 * something to find.
 *
 * Sizes: 10,000 contributions with 100,000 votes (the report benchmark's exercise, with ten
 * times its votes), and 20,000 contributions with 1,000,000 votes (the themes benchmark's
 * largest text set, and a million votes as in the opinion benchmark's issue-4 size), or one
 * size from the command line: analysis_run_bench CONTRIBUTIONS VOTES. The opinion
 * benchmark's largest, `analysis_run_bench 500 3500000`, is left to the command line: its
 * set-up alone takes minutes.
 * Output: one JSON line per size,
 *   {"bench":"analysis_run","contributions":…,"votes":…,"seconds":…,"lease_seconds":…,
 *    "renewal_after_seconds":…,"lease_share":…}
 * lease_share is seconds / the time a phase may take after a renewal; under 1, the lease
 * holds even if no renewal came before the end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/rand.h"
#include "listen/analysis.h"
#include "listen/listen.h"
#include "store/db.h"
#include "store/migrate.h"
#include "timing.h"

#define EACH      5 /* contributions per contributor */
#define PER_VOTER 100

static const char SQL_VOTE[] =
    "INSERT INTO listen_votes (contribution_id, participant_id, vote, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (contribution_id, participant_id) DO NOTHING";
static const char SQL_COUNTS[] =
    "UPDATE listen_contributions SET "
    "vote_count = (SELECT count(*) FROM listen_votes v WHERE v.contribution_id = id), "
    "agree_count = (SELECT count(*) FROM listen_votes v WHERE v.contribution_id = id AND "
    "v.vote = 1), "
    "disagree_count = (SELECT count(*) FROM listen_votes v WHERE v.contribution_id = id AND "
    "v.vote = -1), "
    "pass_count = (SELECT count(*) FROM listen_votes v WHERE v.contribution_id = id AND "
    "v.vote = 0) WHERE exercise_id = $1";

/* Eight subjects people raise about therapy services. */
static const char *const subjects[8][4] = {
    {"the wait for physiotherapy was far too long", "months on the waiting list",
     "waiting times keep getting worse", "nobody said how long the wait would be"},
    {"the therapists were kind and listened", "staff explained everything to me",
     "I was treated with dignity", "a patient and supportive team"},
    {"parking at the clinic costs too much", "no buses go near the hospital",
     "travel to appointments is hard", "the car park is always full"},
    {"video appointments worked well for me", "the booking website kept failing",
     "my records were not shared between teams", "I had to repeat my story at every clinic"},
    {"there are not enough speech and language therapists", "clinics cancelled for lack of staff",
     "the team is stretched and tired", "vacancies are never filled"},
    {"my child could not get therapy at school", "children fall through the gaps",
     "moving from children's to adult services was poor", "family support was excellent"},
    {"mental health support should come with rehabilitation", "anxiety after my injury",
     "talking therapy helped me cope", "wellbeing checks would help"},
    {"home exercises were useful", "a home visit helped me manage", "equipment arrived late",
     "more follow up at home please"},
};
static const char *const openers[] = {"Honestly,",    "In my experience",
                                      "As a carer,",  "Last year",
                                      "On the whole", "Sadly",
                                      "For my mum,",  "As an occupational therapist,"};
static const char *const audiences[] = {"citizen", "ahp", "staff", ""};

/* Makes the exercise in db and returns its id (0 on failure). */
static int64_t make_exercise(struct db *db, struct arena *a, long ncontrib, long nvotes)
{
    const char *prompts[] = {"What matters most to you about therapy services?"};
    struct listen_exercise_input in = {.title = "Analysis run benchmark",
                                       .summary_md = "A synthetic exercise.",
                                       .audiences = "citizen,ahp,staff",
                                       .flag_threshold = 3,
                                       .prompts = prompts,
                                       .nprompts = 1};
    struct listen_exercise e;
    struct db_stmt *st = NULL;
    struct rng r;
    long nvoters = (nvotes + PER_VOTER - 1) / PER_VOTER;
    int64_t id = 0, *cids = calloc((size_t)ncontrib, sizeof *cids);
    int64_t *voters = calloc((size_t)nvoters + 1, sizeof *voters);
    unsigned char *subject = calloc((size_t)ncontrib, 1);
    const char *slug = NULL;
    char text[400];
    long nc = 0;
    int rc;
    rng_seed(&r, 20261121);
    rc = !cids || !voters || !subject || listen_exercise_create(db, &in, 0, &id, &slug, a) ||
         listen_exercise_set_status(db, id, LS_OPEN, 0) || listen_exercise_get(db, a, slug, &e);
    while (!rc && nc < ncontrib) {
        char token[LISTEN_TOKEN_HEX];
        int64_t pid;
        rc = listen_participant_create(db, e.id, audiences[rng_below(&r, 4)], NULL, NULL, token,
                                       &pid);
        for (int k = 0; !rc && k < EACH && nc < ncontrib; k++) {
            unsigned s = (unsigned)rng_below(&r, 8);
            enum listen_cstatus status;
            snprintf(text, sizeof text, "%s %s, and %s.", openers[rng_below(&r, 8)],
                     subjects[s][rng_below(&r, 4)], subjects[s][rng_below(&r, 4)]);
            subject[nc] = (unsigned char)s;
            rc = listen_contribute(db, &e, pid, e.prompts[0].id, 0, text, 0, &cids[nc], &status);
            nc++;
        }
    }
    for (long v = 0; !rc && v < nvoters; v++) {
        char token[LISTEN_TOKEN_HEX];
        rc = listen_participant_create(db, e.id, audiences[rng_below(&r, 4)], NULL, NULL, token,
                                       &voters[v]);
    }
    if (!rc)
        rc = db_begin(db);
    if (!rc)
        rc = db_prepare(db, SQL_VOTE, &st);
    for (long v = 0; !rc && v < nvotes; v++) {
        long c = (long)rng_below(&r, (uint64_t)ncontrib);
        int camp = (int)(v / PER_VOTER % 3), vote;
        if (rng_below(&r, 5) == 0)
            vote = (int)rng_below(&r, 3) - 1;
        else
            vote = subject[c] / 3 == camp ? 1 : -1;
        db_reset(st);
        rc = db_bind_int(st, 1, cids[c]) || db_bind_int(st, 2, voters[v / PER_VOTER]) ||
             db_bind_int(st, 3, vote) || db_bind_int(st, 4, (int64_t)time(NULL));
        if (!rc)
            rc = db_step(st) == DB_DONE ? 0 : 1;
    }
    db_finalize(st);
    if (!rc)
        rc = db_run(db, SQL_COUNTS, "i", e.id);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    free(cids);
    free(voters);
    free(subject);
    return rc ? 0 : e.id;
}

static int run(long ncontrib, long nvotes)
{
    char path[] = "/tmp/ahphub-run-bench-XXXXXX", url[64];
    struct db *db = NULL;
    struct arena *a = arena_new();
    struct listen_run_lease l;
    int64_t exercise, run_id;
    int fd = mkstemp(path), applied, rc = 1;
    double t0, seconds;
    if (fd < 0 || !a)
        return 1;
    close(fd);
    snprintf(url, sizeof url, "sqlite:%s", path);
    if (db_open(url, &db) || migrate_up(db, &applied))
        goto done;
    if (!(exercise = make_exercise(db, a, ncontrib, nvotes)) ||
        listen_analysis_enqueue(db, exercise, 0, 0, &run_id))
        goto done;
    t0 = now_s();
    if (listen_analysis_claim(db, &l) || listen_analysis_execute(db, &l))
        goto done;
    seconds = now_s() - t0;
    printf("{\"bench\":\"analysis_run\",\"contributions\":%ld,\"votes\":%ld,\"seconds\":%.3f,"
           "\"lease_seconds\":%d,\"renewal_after_seconds\":%d,\"lease_share\":%.3f}\n",
           ncontrib, nvotes, seconds, LISTEN_ANALYSIS_LEASE, LISTEN_ANALYSIS_LEASE / 4,
           seconds / (LISTEN_ANALYSIS_LEASE - LISTEN_ANALYSIS_LEASE / 4));
    fflush(stdout);
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "analysis_run_bench: could not build or analyse the exercise\n");
    db_close(db);
    arena_free(a);
    unlink(path);
    {
        char side[80];
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    log_set_quiet(1);
    if (argc == 3)
        return run(atol(argv[1]), atol(argv[2]));
    rc |= run(10000, 100000);
    rc |= run(20000, 1000000);
    return rc;
}
