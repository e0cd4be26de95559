/* vote.c: agree / disagree / pass, and flags
 *
 * One vote per participant and contribution, in listen_votes' primary key: a second vote
 * replaces the first. The contribution's counters move by the difference inside the same
 * transaction, so they always equal what the votes table says, even when two requests from
 * one participant race (the second waits for the first's lock, then sees its vote).
 *
 * Whether the exercise still takes part is asked again inside the transaction, first
 * (listen_exercise_taking): one closed after the page looked answers APP_E_CLOSED, as one
 * closed before does, and nothing is written or counted. The participant's rate limit is
 * counted next in the same transaction (ratelimit.c), so the count and the vote commit or roll
 * back together. Row locks are always taken in the order exercise (shared), participant, then
 * contribution, so two transactions may queue but never deadlock.
 */
#include "listen/listen.h"
#include "listen/store.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>
#include <time.h>

/* The contribution as this participant may act on it: shown, of this exercise. */
static int shown(struct db *db, const struct listen_exercise *e, int64_t participant,
                 int64_t contribution, int64_t *author)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LC_GET, &st, "ii", contribution, participant);
    if (!rc) {
        const char *status = db_col_text(st, 7);
        bool ours = false;
        int64_t prompt = db_col_int(st, 1);
        for (size_t i = 0; i < e->nprompts; i++)
            ours |= e->prompts[i].id == prompt;
        if (!ours || strcmp(status, "approved") != 0 || db_col_int(st, 8))
            rc = APP_E_NOTFOUND;
        *author = db_col_int(st, 3);
    }
    db_finalize(st);
    return rc;
}

int listen_vote(struct db *db, const struct listen_exercise *e, int64_t participant,
                int64_t contribution, int vote, int per_minute)
{
    struct db_stmt *st = NULL;
    int64_t author = 0, now = (int64_t)time(NULL);
    bool had = false; /* a vote to replace */
    int old = 0, rc;
    if (vote < -1 || vote > 1)
        return APP_E_INVALID;
    if (!listen_exercise_accepting(e, now))
        return APP_E_CLOSED;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = listen_exercise_taking(db, e->id, now);
    if (!rc)
        rc = listen_rate_take(db, participant, "vote", per_minute, now);
    /* Lock the contribution's row (a no-op update): on PostgreSQL two votes by one
     * participant then run one after the other, and the second sees the first's vote when it
     * reads the old one, also when no limit locked the participant's row. SQLite's write lock
     * already serialises them. */
    if (!rc)
        rc = db_run(db, SQL_LC_LOCK, "i", contribution);
    if (!rc)
        rc = shown(db, e, participant, contribution, &author);
    if (rc)
        goto done;
    if (author == participant) {
        rc = APP_E_FORBIDDEN;
        goto done;
    }
    rc = db_row(db, SQL_LV_GET, &st, "ii", contribution, participant);
    if (rc == APP_OK) {
        had = true;
        old = (int)db_col_int(st, 0);
    } else if (rc != APP_E_NOTFOUND) {
        goto done;
    }
    db_finalize(st);
    st = NULL;
    rc = db_run(db, SQL_LV_UPSERT, "iiii", contribution, participant, (int64_t)vote, now);
    /* The counters move by the difference: a first vote adds to the total and its kind, a
     * changed one moves one count to another. */
    if (!rc && (!had || old != vote))
        rc = db_run(db, SQL_LC_VOTE_DELTA, "iiiii", contribution, (int64_t)!had,
                    (int64_t)((vote == 1) - (had && old == 1)),
                    (int64_t)((vote == -1) - (had && old == -1)),
                    (int64_t)((vote == 0) - (had && old == 0)));
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_flag(struct db *db, const struct listen_exercise *e, int64_t participant,
                int64_t contribution, const char *reason, int per_minute)
{
    int64_t author = 0, now = (int64_t)time(NULL);
    int rc;
    if (!reason || !*reason)
        return APP_E_INVALID;
    if (!listen_exercise_accepting(e, now))
        return APP_E_CLOSED;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = listen_exercise_taking(db, e->id, now);
    if (!rc)
        rc = listen_rate_take(db, participant, "flag", per_minute, now);
    if (!rc)
        rc = shown(db, e, participant, contribution, &author);
    if (rc)
        goto done;
    if (author == participant) {
        rc = APP_E_FORBIDDEN;
        goto done;
    }
    rc = db_run(db, SQL_LF_INSERT, "iiti", contribution, participant, reason, now);
    /* A second flag from the same participant changes nothing. */
    if (!rc && db_changes(db) == 1)
        rc = db_run(db, SQL_LC_FLAGGED, "ii", contribution, (int64_t)e->flag_threshold);
    if (!rc)
        rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_vote_undo(struct db *db, const struct listen_exercise *e, int64_t participant,
                     int64_t contribution, int per_minute, int *was)
{
    struct db_stmt *st = NULL;
    int64_t author = 0, now = (int64_t)time(NULL);
    int old = 0;
    int rc;
    if (!listen_exercise_accepting(e, now))
        return APP_E_CLOSED;
    rc = db_begin(db);
    if (rc)
        return rc;
    /* the same locks, in the same order, as listen_vote: exercise, participant, contribution */
    rc = listen_exercise_taking(db, e->id, now);
    if (!rc)
        rc = listen_rate_take(db, participant, "vote", per_minute, now);
    if (!rc)
        rc = db_run(db, SQL_LC_LOCK, "i", contribution);
    if (!rc)
        rc = shown(db, e, participant, contribution, &author);
    if (!rc)
        rc = db_row(db, SQL_LV_GET, &st, "ii", contribution, participant);
    if (rc)
        goto done; /* APP_E_NOTFOUND: not shown, or no vote to take back */
    old = (int)db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_run(db, SQL_LV_DELETE, "ii", contribution, participant);
    /* the counters lose the vote and its kind, as listen_vote added them */
    if (!rc)
        rc = db_run(db, SQL_LC_VOTE_DELTA, "iiiii", contribution, (int64_t)-1,
                    (int64_t)-(old == 1), (int64_t)-(old == -1), (int64_t)-(old == 0));
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    else if (was)
        *was = old;
    return rc;
}
