/* self.c: members' self-assessments — start, read back, save one domain, submit, list
 *
 * One invariant: a submitted self-assessment never changes. Every write names the owner
 * and "submitted_at = 0" in its statement, and saving a domain first touches the draft's
 * row inside the same transaction as its ratings, so a submission in another tab wins and
 * the save reports APP_E_CONFLICT with nothing stored.
 */
#include "develop/self.h"
#include "develop/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

int develop_self_start(struct db *db, int64_t user_id, int64_t framework_id, int64_t now,
                       int64_t *id, bool *resumed)
{
    struct db_stmt *st = NULL;
    int rc;
    *resumed = false;
    if (user_id <= 0)
        return APP_E_INVALID;
    if ((rc = db_row(db, SQL_DF_GET, &st, "i", framework_id)))
        goto done;
    /* only on the current version: an older one's statements have been replaced, and a
     * self-assessment on it would not count beside others' (the gap view reads the current) */
    {
        int64_t latest = 0;
        char code[128];
        snprintf(code, sizeof code, "%s", db_col_text(st, 1));
        db_finalize(st);
        st = NULL;
        if ((rc = develop_version_latest_id(db, code, &latest)))
            goto done;
        if (latest != framework_id) {
            rc = APP_E_CONFLICT;
            goto done;
        }
    }
    rc = db_row(db, SQL_DS_DRAFT, &st, "i", user_id);
    if (rc == APP_OK) {
        *id = db_col_int(st, 0);
        *resumed = true;
        goto done;
    }
    if (rc != APP_E_NOTFOUND)
        goto done;
    rc = db_run_int(db, SQL_DS_INSERT, id, "iii", user_id, framework_id, now);
    if (rc == APP_E_NOTFOUND) { /* another request started one in between: that one */
        rc = db_row(db, SQL_DS_DRAFT, &st, "i", user_id);
        if (!rc) {
            *id = db_col_int(st, 0);
            *resumed = true;
        }
    }
done:
    db_finalize(st);
    return rc;
}

static int read_self(struct db_stmt *st, struct arena *a, struct develop_self *s)
{
    s->id = db_col_int(st, 0);
    s->user_id = db_col_int(st, 1);
    s->framework_id = db_col_int(st, 2);
    s->framework_code = arena_strdup(a, db_col_text(st, 3));
    s->framework_title = arena_strdup(a, db_col_text(st, 4));
    s->framework_version = (int)db_col_int(st, 5);
    s->started_at = db_col_int(st, 6);
    s->updated_at = db_col_int(st, 7);
    s->submitted_at = db_col_int(st, 8);
    return s->framework_code && s->framework_title ? APP_OK : APP_E_NOMEM;
}

int develop_self_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                     struct develop_self *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DS_GET, &st, "ii", id, user_id);
    if (!rc)
        rc = read_self(st, a, out);
    db_finalize(st);
    return rc;
}

int develop_self_list(struct db *db, struct arena *a, int64_t user_id, struct develop_self **out,
                      size_t *n)
{
    struct db_stmt *st = NULL;
    struct develop_self *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_DS_LIST, &st, "i", user_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            rc = APP_E_NOMEM;
        else
            rc = read_self(st, a, &list[(*n)++]);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int develop_self_answers(struct db *db, struct arena *a, const struct develop_framework *fw,
                         int64_t id, struct develop_answer **out)
{
    struct db_stmt *st = NULL;
    struct develop_answer *ans =
        arena_calloc(a, fw->nbehaviours ? fw->nbehaviours : 1, sizeof *ans);
    int rc;
    if (!ans)
        return APP_E_NOMEM;
    for (size_t i = 0; i < fw->nbehaviours; i++)
        ans[i].note = "";
    rc = db_prepare_bind(db, SQL_DR_LIST, &st, "i", id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        size_t pos;
        rc = APP_OK;
        if (!develop_behaviour_find(fw, db_col_text(st, 0), &pos))
            continue;
        ans[pos].rating = (int)db_col_int(st, 1);
        ans[pos].importance = (int)db_col_int(st, 2);
        if (!(ans[pos].note = arena_strdup(a, db_col_text(st, 3))))
            rc = APP_E_NOMEM;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    *out = ans;
    return rc;
}

int develop_self_save(struct db *db, const struct develop_framework *fw, int64_t id,
                      int64_t user_id, size_t domain, const struct develop_answer *answers,
                      int64_t now)
{
    const struct develop_domain *dm;
    int rc;
    if (domain >= fw->ndomains)
        return APP_E_INVALID;
    dm = &fw->domains[domain];
    for (size_t i = 0; i < dm->nbehaviours; i++)
        if (develop_answer_check(fw, &answers[i]))
            return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run(db, SQL_DS_TOUCH, "iii", id, user_id, now)))
        goto done;
    if (db_changes(db) == 0) {
        rc = APP_E_CONFLICT; /* submitted already, or not theirs */
        goto done;
    }
    for (size_t i = 0; i < dm->nbehaviours; i++)
        if ((rc = db_run(db, SQL_DR_UPSERT, "itiit", id, dm->behaviours[i].id,
                         (int64_t)answers[i].rating, (int64_t)answers[i].importance,
                         answers[i].note ? answers[i].note : "")))
            goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int develop_self_submit(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
    int rc = db_run(db, SQL_DS_SUBMIT, "iii", id, user_id, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_CONFLICT;
    return rc;
}
