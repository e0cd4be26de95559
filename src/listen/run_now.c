/* run_now.c: an analysis run made and run by the command line (`ahphub analyse --exercise`)
 *
 * The same run a facilitator's request makes and a server's worker runs, through the same
 * machinery (runs.c): it is queued with listen_analysis_enqueue (so it joins a run already
 * waiting or running rather than make a second), claimed with a lease and run by
 * listen_analysis_execute, whose result is the exercise's latest analysis, groups and all.
 * Servers beside it stay safe: the claim is the same conditional UPDATE a worker's is, so a
 * run is held by one process at a time, and a run a server holds is waited for, not run
 * twice; should that server stop, the lease expires and this process takes the run over.
 */
#include "listen/analysis.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <time.h>
#include <unistd.h>

/* The run's state, and its document or reason copied into a. */
static int run_state(struct db *db, struct arena *a, int64_t run, enum listen_run_status *status,
                     const char **text)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LA_STATE, &st, "i", run);
    if (rc == APP_OK) {
        rc = listen_run_status_parse(db_col_text(st, 0), status);
        if (!rc && (*status == LISTEN_RUN_DONE || *status == LISTEN_RUN_FAILED)) {
            int c = *status == LISTEN_RUN_DONE ? 1 : 2;
            if (!(*text = arena_strndup(a, db_col_text(st, c), db_col_len(st, c))))
                rc = APP_E_NOMEM;
        }
    }
    db_finalize(st);
    return rc;
}

int listen_analysis_run_now(struct db *db, struct arena *a, int64_t exercise_id, int k,
                            int64_t *run, enum listen_run_status *status, const char **text)
{
    time_t deadline = time(NULL) + LISTEN_ANALYSIS_LEASE * LISTEN_ANALYSIS_ATTEMPTS;
    int rc = listen_analysis_enqueue(db, exercise_id, 0, k, run);
    *text = NULL;
    while (!rc) {
        struct listen_run_lease l;
        rc = listen_analysis_claim_run(db, *run, &l);
        if (rc == APP_OK) {
            rc = listen_analysis_execute(db, &l);
            /* taken over meanwhile: whoever took it finishes it, and is waited for */
            if (rc == APP_E_CONFLICT)
                rc = APP_OK;
        } else if (rc == APP_E_NOTFOUND) {
            rc = APP_OK;
        }
        if (rc || (rc = run_state(db, a, *run, status, text)))
            break;
        if (*status == LISTEN_RUN_DONE || *status == LISTEN_RUN_FAILED)
            return APP_OK;
        if (time(NULL) >= deadline)
            return APP_E_CONFLICT;
        sleep(1); /* another process holds it under a live lease */
    }
    return rc;
}
