/* cohort.c: making cohorts and saying who is in them (see cohort.h)
 *
 * Every change that an admin's audit log should explain runs in one transaction with its
 * audit row, as org.c does. Adding a pasted list is one transaction too: a lead who pastes
 * two hundred addresses gets all of them or, when the database fails, none and "try again".
 * Each change of membership also brings up to date, in its transaction, what other work
 * stores about who is in the cohort (connect_sets_cohort_changed, cohort.h).
 */
#include "account/cohort.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "account/account.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "mail/mail.h"
#include "store/db.h"

static int read_cohort(struct db_stmt *st, struct arena *a, struct cohort *c)
{
    c->id = db_col_int(st, 0);
    c->name = arena_strdup(a, db_col_text(st, 1));
    c->description = arena_strdup(a, db_col_text(st, 2));
    c->created_by = db_col_int(st, 3);
    c->created_at = db_col_int(st, 4);
    c->updated_at = db_col_int(st, 5);
    c->members = db_col_int(st, 6);
    return c->name && c->description ? APP_OK : APP_E_NOMEM;
}

static int read_cohorts(struct db_stmt *st, struct arena *a, struct cohort **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct cohort *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out);
        if (!grown)
            return APP_E_NOMEM;
        *out = grown;
        if ((rc = read_cohort(st, a, &(*out)[(*n)++])))
            return rc;
    }
    return rc == DB_DONE ? APP_OK : rc;
}

static int list_with(struct db *db, struct arena *a, const char *sql, int64_t user_id,
                     struct cohort **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = user_id ? db_prepare_bind(db, sql, &st, "i", user_id) : db_prepare(db, sql, &st);
    *out = NULL;
    *n = 0;
    if (!rc)
        rc = read_cohorts(st, a, out, n);
    db_finalize(st);
    return rc;
}

int account_cohort_list(struct db *db, struct arena *a, struct cohort **out, size_t *n)
{
    return list_with(db, a, SQL_COHORT_LIST, 0, out, n);
}

int account_cohort_list_for(struct db *db, struct arena *a, int64_t user_id, struct cohort **out,
                            size_t *n)
{
    return list_with(db, a, SQL_COHORT_LIST_FOR, user_id, out, n);
}

int account_cohort_get(struct db *db, struct arena *a, int64_t id, struct cohort *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_COHORT_GET, &st, "i", id);
    if (!rc)
        rc = read_cohort(st, a, out);
    db_finalize(st);
    return rc;
}

static bool input_ok(const char *name, const char *description)
{
    return name && !str_blank(name) && strlen(name) <= COHORT_NAME_MAX &&
           (!description || strlen(description) <= COHORT_DESCRIPTION_MAX);
}

int account_cohort_create(struct db *db, int64_t actor, const char *name, const char *description,
                          int64_t *id)
{
    struct arena *a = arena_new();
    int64_t now = (int64_t)time(NULL), new_id = 0;
    const char *detail;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    if (!input_ok(name, description)) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = db_begin(db)))
        goto done;
    if ((rc = db_run_int(db, SQL_COHORT_INSERT, &new_id, "ttIi", name,
                         description ? description : "", actor, now)))
        goto done;
    if (!(detail = arena_printf(a, "Made the cohort “%s”", name))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = account_audit(db, "cohort_created", actor, 0, detail)) || (rc = db_commit(db)))
        goto done;
    if (id)
        *id = new_id;
done:
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}

int account_cohort_update(struct db *db, int64_t actor, int64_t id, const char *name,
                          const char *description)
{
    struct arena *a = arena_new();
    struct cohort old;
    const char *detail;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    if (!description)
        description = "";
    if (!input_ok(name, description)) {
        rc = APP_E_INVALID;
        goto done;
    }
    if ((rc = db_begin(db)) || (rc = account_cohort_get(db, a, id, &old)))
        goto done;
    if (!strcmp(old.name, name) && !strcmp(old.description, description)) {
        rc = db_commit(db); /* nothing changed: nothing to record */
        goto done;
    }
    if ((rc = db_run(db, SQL_COHORT_UPDATE, "itti", id, name, description, (int64_t)time(NULL))))
        goto done;
    detail = strcmp(old.name, name)
                 ? arena_printf(a, "Renamed the cohort “%s” to “%s”", old.name, name)
                 : arena_printf(a, "Changed the description of the cohort “%s”", name);
    if (!detail) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = account_audit(db, "cohort_changed", actor, 0, detail)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}

int account_cohort_delete(struct db *db, int64_t actor, int64_t id)
{
    struct arena *a = arena_new();
    struct cohort old;
    const char *detail;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)) || (rc = account_cohort_get(db, a, id, &old)) ||
        (rc = connect_sets_cohort_changed(db, id, true)) ||
        (rc = db_run(db, SQL_COHORT_DELETE, "i", id)))
        goto done;
    if (!(detail = arena_printf(a, "Deleted the cohort “%s” of %lld members", old.name,
                                (long long)old.members))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = account_audit(db, "cohort_deleted", actor, 0, detail)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}

int account_cohort_members(struct db *db, struct arena *a, int64_t cohort_id, int offset, int limit,
                           struct cohort_member **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    *total = 0;
    if ((rc = db_row(db, SQL_COHORT_MEMBER_COUNT, &st, "i", cohort_id)))
        goto done;
    *total = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if ((rc = db_prepare_bind(db, SQL_COHORT_MEMBERS, &st, "iii", cohort_id, (int64_t)limit,
                              (int64_t)offset)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct cohort_member *m, *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out);
        if (!grown) {
            rc = APP_E_NOMEM;
            goto done;
        }
        *out = grown;
        m = &(*out)[(*n)++];
        m->user_id = db_col_int(st, 0);
        m->email = arena_strdup(a, db_col_text(st, 1));
        m->display_name = arena_strdup(a, db_col_text(st, 2));
        m->profession = arena_strdup(a, db_col_text(st, 3));
        m->region = arena_strdup(a, db_col_text(st, 4));
        m->organisation_id = db_col_int(st, 5);
        m->organisation = arena_strdup(a, db_col_text(st, 6));
        m->added_at = db_col_int(st, 7);
        if (!m->email || !m->display_name || !m->profession || !m->region || !m->organisation) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    rc = rc == DB_DONE ? APP_OK : rc;
done:
    db_finalize(st);
    return rc;
}

int account_cohort_member_ids(struct db *db, struct arena *a, int64_t cohort_id, int64_t **out,
                              size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_COHORT_MEMBER_IDS, &st, "i", cohort_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        int64_t *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out);
        if (!grown) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = grown;
        (*out)[(*n)++] = db_col_int(st, 0);
        rc = APP_OK;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* Appends s to a growing list of strings. */
static int push(struct arena *a, const char ***list, size_t *n, size_t *cap, const char *s)
{
    const char **grown = arena_grow(a, *list, *n + 1, cap, sizeof **list);
    if (!grown || !s)
        return APP_E_NOMEM;
    *list = grown;
    (*list)[(*n)++] = s;
    return APP_OK;
}

/* The entries of a pasted list: split at commas, semicolons and white space. */
static bool is_sep(char c)
{
    return c == ',' || c == ';' || isspace((unsigned char)c);
}

int account_cohort_add_emails(struct db *db, struct arena *a, int64_t actor, int64_t cohort_id,
                              const char *text, struct cohort_added *out)
{
    struct cohort c;
    const char **entries = NULL;
    size_t n = 0, cap = 0, cap_unknown = 0, cap_invalid = 0;
    int64_t now = (int64_t)time(NULL);
    const char *detail;
    int rc;
    memset(out, 0, sizeof *out);
    for (const char *p = text ? text : ""; *p;) {
        const char *s;
        while (*p && is_sep(*p))
            p++;
        for (s = p; *p && !is_sep(*p); p++)
            ;
        if (p > s && (rc = push(a, &entries, &n, &cap, arena_strndup(a, s, (size_t)(p - s)))))
            return rc;
        if (n > COHORT_ADD_MAX)
            return APP_E_INVALID;
    }
    if ((rc = db_begin(db)) || (rc = account_cohort_get(db, a, cohort_id, &c)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        char *e = (char *)entries[i];
        struct db_stmt *st = NULL;
        for (char *q = e; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (!strchr(e, '@') || !mail_address_ok(e)) {
            if ((rc = push(a, &out->invalid, &out->n_invalid, &cap_invalid, entries[i])))
                goto done;
            continue;
        }
        rc = db_row(db, SQL_COHORT_IS_MEMBER_EMAIL, &st, "it", cohort_id, e);
        db_finalize(st);
        if (rc == APP_OK) {
            out->already++;
            continue;
        }
        if (rc != APP_E_NOTFOUND ||
            (rc = db_run(db, SQL_COHORT_ADD_EMAIL, "iti", cohort_id, e, now)))
            goto done;
        if (db_changes(db) == 1)
            out->added++;
        else if ((rc = push(a, &out->unknown, &out->n_unknown, &cap_unknown, entries[i])))
            goto done;
    }
    if (out->added) {
        if (!(detail = arena_printf(a, "Added %lld member%s to the cohort “%s”",
                                    (long long)out->added, out->added == 1 ? "" : "s", c.name))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if ((rc = db_run(db, SQL_COHORT_TOUCH, "ii", cohort_id, now)) ||
            (rc = connect_sets_cohort_changed(db, cohort_id, false)) ||
            (rc = account_audit(db, "cohort_members_added", actor, 0, detail)))
            goto done;
    }
    rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int account_cohort_add(struct db *db, int64_t cohort_id, int64_t user_id)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run(db, SQL_COHORT_ADD, "iii", cohort_id, user_id, (int64_t)time(NULL))) ||
        (db_changes(db) > 0 && (rc = connect_sets_cohort_changed(db, cohort_id, false))) ||
        (rc = db_commit(db)))
        db_rollback(db);
    return rc == APP_E_CONFLICT ? APP_E_NOTFOUND : rc; /* a foreign key: no such cohort or user */
}

int account_cohort_remove(struct db *db, int64_t actor, int64_t cohort_id, int64_t user_id)
{
    struct arena *a = arena_new();
    struct cohort c;
    const char *detail;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)) || (rc = account_cohort_get(db, a, cohort_id, &c)) ||
        (rc = db_run(db, SQL_COHORT_REMOVE, "ii", cohort_id, user_id)))
        goto done;
    if (db_changes(db) != 1) {
        rc = APP_E_NOTFOUND;
        goto done;
    }
    if (!(detail = arena_printf(a, "Took a member out of the cohort “%s”", c.name))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = db_run(db, SQL_COHORT_TOUCH, "ii", cohort_id, (int64_t)time(NULL))) ||
        (rc = connect_sets_cohort_changed(db, cohort_id, false)) ||
        (rc = account_audit(db, "cohort_member_removed", actor, user_id, detail)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}
