/* lifecycle.c: closing an account (a leaver) and opening it again
 *
 * Deactivation is immediate: the account's sessions end, its API tokens are revoked and its
 * unused links stop working in the same transaction as the flag, so there is no moment in
 * which the flag is set but an old cookie or token still works. Session and token lookups
 * also refuse a deactivated account (store.c), a second lock on the same door. The account
 * and its history stay; reactivation lets its owner log in again with their old password.
 */
#include "account/account.h"
#include "account/invite.h"
#include "account/store.h"
#include "core/err.h"
#include "store/db.h"

int account_user_deactivate(struct db *db, int64_t actor, int64_t user_id, int64_t now)
{
    struct db_stmt *st = NULL;
    int rc;
    if (actor == user_id)
        return APP_E_FORBIDDEN;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = account_admin_hold(db, actor)))
        goto done;
    rc = db_run(db, SQL_USER_DEACTIVATE, "ii", user_id, now);
    if (rc)
        goto done;
    if (db_changes(db) != 1) {
        rc = db_row(db, SQL_USER_NAME, &st, "i", user_id);
        rc = rc ? rc : APP_E_CONFLICT;
        goto done;
    }
    rc = db_run(db, SQL_SESSION_DELETE_ALL, "i", user_id);
    if (!rc)
        rc = db_run(db, SQL_TOKEN_REVOKE_ALL, "ii", user_id, now);
    if (!rc)
        rc = db_run(db, SQL_LINK_KILL_ALL, "ii", user_id, now);
    if (!rc)
        rc = account_audit(db, "user_deactivated", actor, user_id, "");
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int account_user_reactivate(struct db *db, int64_t actor, int64_t user_id, int64_t now)
{
    struct db_stmt *st = NULL;
    int rc;
    if ((rc = db_begin(db)))
        return rc;
    rc = db_run(db, SQL_USER_REACTIVATE, "ii", user_id, now);
    if (rc)
        goto done;
    if (db_changes(db) != 1) {
        rc = db_row(db, SQL_USER_NAME, &st, "i", user_id);
        rc = rc ? rc : APP_E_CONFLICT;
        goto done;
    }
    rc = account_audit(db, "user_reactivated", actor, user_id, "");
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}
