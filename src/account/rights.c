/* rights.c: the one list of the parts that make up a member's data, and the copy and the
 * deletion built from it (see rights.h)
 *
 * A module whose tables name users adds its part to rights_parts[] below and nowhere else:
 * the copy and the deletion walk this list, so they cannot forget a module that is listed.
 * The copy is a file the member downloads, so it is built as JSON here, as the Listen open
 * data files are built in listen/export.c.
 */
#include "account/rights.h"
#include "account/account.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"
#include "web/password.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const struct rights_part rights_parts[] = {
    {"account", account_rights_export, account_rights_erase},
    {"listen", listen_rights_export, listen_rights_erase},
    {"assess", assess_rights_export, assess_rights_erase},
    {"develop", develop_rights_export, develop_rights_erase},
    {"develop_plan", develop_plan_rights_export, develop_plan_rights_erase},
    {"mail", mail_rights_export, mail_rights_erase},
    {"connect_mentoring", connect_rights_export, connect_rights_erase},
    /* ---- Connect: interest groups ---- */
    {"connect_groups", connect_groups_rights_export, connect_groups_rights_erase},
    /* ---- Connect: action learning sets ---- */
    {"action_learning", connect_sets_rights_export, connect_sets_rights_erase},
};
const size_t rights_parts_count = sizeof rights_parts / sizeof rights_parts[0];

/* A unix time as an ISO day, "2025-03-01", "" for 0: as the JSON API writes a date it takes. */
static json_t *iso_day(int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    char s[16] = "";
    if (t && gmtime_r(&tt, &tm))
        strftime(s, sizeof s, "%Y-%m-%d", &tm);
    return json_string(s);
}

/* Text of codes separated by commas ("leadership,teaching") as an array of its codes, [] for
 * "": as a JSON API lists tags it gives and takes. */
static json_t *code_list(const char *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n;) {
        const char *end = memchr(s + i, ',', n - i);
        size_t len = end ? (size_t)(end - (s + i)) : n - i;
        if (len && json_array_append_new(arr, json_stringn(s + i, len))) {
            json_decref(arr);
            arr = NULL;
        }
        i += len + 1;
    }
    return arr;
}

int rights_rows(struct db *db, const char *sql, int64_t user_id, json_t *doc, const char *key,
                const char *const *names, const char *kinds, size_t n)
{
    struct db_stmt *st = NULL;
    json_t *arr = json_object_get(doc, key);
    int rc;
    if (!arr) {
        if (json_object_set_new(doc, key, json_array()) || !(arr = json_object_get(doc, key)))
            return APP_E_NOMEM;
    }
    rc = db_prepare_bind(db, sql, &st, "i", user_id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *row = json_object();
        for (size_t i = 0; row && i < n; i++) {
            json_t *v = kinds[i] == 'i'   ? json_integer((json_int_t)db_col_int(st, (int)i))
                        : kinds[i] == 'n' ? (db_col_null(st, (int)i) || !db_col_int(st, (int)i)
                                                 ? json_null()
                                                 : json_integer((json_int_t)db_col_int(st, (int)i)))
                        : kinds[i] == 'b' ? json_boolean(db_col_int(st, (int)i) != 0)
                        : kinds[i] == 'd' ? iso_day(db_col_int(st, (int)i))
                        : kinds[i] == 'l'
                            ? code_list(db_col_text(st, (int)i), db_col_len(st, (int)i))
                            : json_stringn(db_col_text(st, (int)i), db_col_len(st, (int)i));
            if (!v || json_object_set_new(row, names[i], v)) {
                json_decref(row);
                row = NULL;
            }
        }
        if (!row || json_array_append_new(arr, row)) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

json_t *rights_not_included(void)
{
    return json_pack(
        "[s, s, s]",
        "Your password: we keep only a one-way scrambled version of it, which cannot be turned "
        "back into the password.",
        "The secret parts of your session cookies and API tokens: we keep only scrambled "
        "versions of them too.",
        "Anything you wrote or voted in a listening exercise, and your answers in anonymous "
        "assessments: these are never linked to your account, so nobody, not even the people "
        "who run this service, can find them for you or tell that they are yours.");
}

int rights_export(struct db *db, struct arena *a, int64_t user_id, int64_t now, json_t **out)
{
    struct db_stmt *st = NULL;
    struct rights_person p = {.id = user_id};
    json_t *doc = NULL;
    int rc = db_row(db, SQL_RIGHTS_USER, &st, "i", user_id);
    *out = NULL;
    if (rc)
        goto done;
    p.email = arena_strdup(a, db_col_text(st, 1));
    p.display_name = arena_strdup(a, db_col_text(st, 2));
    db_finalize(st);
    st = NULL;
    if (!p.email || !p.display_name) {
        rc = APP_E_NOMEM;
        goto done;
    }
    doc = json_pack("{s:s, s:I, s:s, s:o}", "service", "AHP Hub", "exported_at", (json_int_t)now,
                    "about",
                    "Everything AHP Hub holds that is linked to your account. Times are Unix "
                    "times (seconds since 1 January 1970, UTC).",
                    "not_included", rights_not_included());
    if (!doc) {
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; !rc && i < rights_parts_count; i++)
        rc = rights_parts[i].export(db, a, &p, doc);
done:
    db_finalize(st);
    if (rc)
        json_decref(doc);
    else
        *out = doc;
    return rc;
}

int rights_last_admin(struct db *db, int64_t user_id, bool *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_USER_ROLE, &st, "i", user_id);
    *out = false;
    if (rc || role_parse(db_col_text(st, 0)) != ROLE_ADMIN)
        goto done;
    db_finalize(st);
    st = NULL;
    rc = db_row(db, SQL_RIGHTS_ADMINS, &st, "");
    if (!rc)
        *out = db_col_int(st, 0) <= 1;
done:
    db_finalize(st);
    return rc;
}

int rights_erase(struct db *db, const struct account_policy *pol, struct login_throttle *t,
                 const unsigned char client[16], int64_t user_id, const char *password,
                 size_t pwlen)
{
    struct db_stmt *st = NULL;
    char hash[PASSWORD_HASH_MAX], email[256], name[512]; /* 100 characters of UTF-8 fit */
    struct rights_person p = {.id = user_id, .email = email, .display_name = name};
    int64_t now = (int64_t)time(NULL);
    int rc = db_row(db, SQL_RIGHTS_USER, &st, "i", user_id);
    if (rc)
        goto done;
    snprintf(email, sizeof email, "%s", db_col_text(st, 1));
    snprintf(name, sizeof name, "%s", db_col_text(st, 2));
    db_finalize(st);
    st = NULL;
    rc = db_row(db, SQL_USER_HASH, &st, "i", user_id);
    if (rc)
        goto done;
    snprintf(hash, sizeof hash, "%s", db_col_text(st, 0));
    db_finalize(st);
    st = NULL;
    /* The same counts as logging in and changing the password: a session left open on a
     * shared computer must not become a way to guess the password, or to delete the
     * account by guessing it. */
    if (login_throttle_try(t, pol, client, email, now)) {
        rc = APP_E_LIMIT;
        goto done;
    }
    if (!password_verify(hash, password, pwlen)) {
        rc = APP_E_UNAUTH;
        goto done;
    }
    login_throttle_ok(t, pol, client, email, now);
    rc = db_begin(db);
    if (rc)
        goto done;
    /* Not the last admin, or nobody could administer the service; the admins' rows are
     * locked first so that two admins leaving at once are counted one after the other. */
    rc = db_run(db, SQL_RIGHTS_LOCK_ADMINS, "");
    if (!rc) {
        bool last = false;
        rc = rights_last_admin(db, user_id, &last);
        if (!rc && last)
            rc = APP_E_FORBIDDEN;
    }
    for (size_t i = 0; !rc && i < rights_parts_count; i++)
        rc = rights_parts[i].erase(db, &p);
    if (!rc) {
        rc = db_run(db, SQL_RIGHTS_USER_DELETE, "i", user_id);
        /* A row still refers to the user: a table that names users and is in no part. Its
         * module must cover it (rights.h); nothing was deleted, and the member may retry. */
        if (rc == APP_E_CONFLICT) {
            log_error("rights: user %lld is still referred to after every part's erase: %s",
                      (long long)user_id, db_errmsg(db));
            rc = APP_E_DB;
        }
    }
    if (!rc && !db_changes(db))
        rc = APP_E_NOTFOUND;
    /* The event stays in the security log, linked to nobody. */
    if (!rc)
        rc = account_audit(db, "account_deleted", 0, 0, "");
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
done:
    db_finalize(st);
    return rc;
}
