/* run_groups.c: who an analysis run placed in which opinion group, read back
 *
 * runs.c writes the rows (listen_analysis_groups) in the transaction that finishes a run, so
 * a run's groups are there exactly when its result is. Exports read the latest run's to give
 * Pol.is's per-participant group-id; a new run may read its predecessor's to keep group
 * numbers stable, which is why any run can be read, not only the latest.
 */
#include "listen/analysis.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

int listen_analysis_groups_read(struct db *db, struct arena *a, int64_t run_id,
                                struct listen_group_member **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_LAG_READ, &st, "i", run_id);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        (*out)[*n].participant_id = db_col_int(st, 0);
        (*out)[*n].group_no = (int)db_col_int(st, 1);
        ++*n;
    }
    db_finalize(st);
    if (rc == DB_DONE)
        return APP_OK;
    *out = NULL;
    *n = 0;
    return rc;
}
