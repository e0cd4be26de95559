/* audit.c: the security audit log (logins, failures, throttles, role and password changes)
 *
 * Entries name users by id, never by email, and never hold a password or token; for failed
 * logins against unknown addresses the address itself is not recorded.
 */
#include "account/account.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <time.h>

int account_audit(struct db *db, const char *event, int64_t actor, int64_t subject,
                  const char *detail)
{
    return db_run(db, SQL_AUDIT_INSERT, "itIIt", (int64_t)time(NULL), event, actor, subject,
                  detail ? detail : "");
}

int account_audit_list(struct db *db, struct arena *a, int offset, int limit,
                       struct audit_entry **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    int rc;
    *n = 0;
    *total = 0;
    *out = arena_calloc(a, (size_t)(limit > 0 ? limit : 1), sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_AUDIT_COUNT, &st, "");
    if (rc)
        goto done;
    *total = db_col_int(st, 0);
    db_finalize(st);
    rc = db_prepare_bind(db, SQL_AUDIT_LIST, &st, "ii", (int64_t)limit, (int64_t)offset);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW && *n < (size_t)limit) {
        struct audit_entry *e = &(*out)[(*n)++];
        e->id = db_col_int(st, 0);
        e->at = db_col_int(st, 1);
        e->event = arena_strdup(a, db_col_text(st, 2));
        e->actor = arena_strdup(a, db_col_text(st, 3));
        e->subject = arena_strdup(a, db_col_text(st, 4));
        e->detail = arena_strdup(a, db_col_text(st, 5));
        if (!e->event || !e->actor || !e->subject || !e->detail) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE || rc == DB_ROW)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}
