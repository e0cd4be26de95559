/* org.c: organisations — the list and search, adding and changing one, merging two, the demo's
 * organisations, and a member's own details for forms to start with
 *
 * A merge is one transaction: what moves is counted, every reference moves (the statements
 * are in store.c, which lists the columns), the old organisation is deleted and the merge is
 * audited, or nothing happens. The database refuses to delete an organisation that something
 * still references, so a reference the merge did not know of stops it instead of being lost.
 */
#include "account/org.h"
#include "account/account.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool account_ods_code_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* The ODS code as stored: trimmed and upper-cased, NULL for none (the column's "none", so
 * the unique index ignores it). *bad is set when it is given but not a code. */
static char *ods_normal(struct arena *a, const char *s, bool *bad, bool *oom)
{
    struct str t = str_trim(str_from(s));
    char *out;
    *bad = *oom = false;
    if (!t.len)
        return NULL;
    if (!(out = str_dup(a, t))) {
        *oom = true;
        return NULL;
    }
    for (char *p = out; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    *bad = !account_ods_code_valid(out);
    return out;
}

static int read_org(struct db_stmt *st, struct arena *a, struct org *o)
{
    o->id = db_col_int(st, 0);
    o->name = arena_strdup(a, db_col_text(st, 1));
    o->ods_code = arena_strdup(a, db_col_text(st, 2));
    o->region = arena_strdup(a, db_col_text(st, 3));
    o->created_at = db_col_int(st, 4);
    o->updated_at = db_col_int(st, 5);
    o->members = db_col_int(st, 6);
    return o->name && o->ods_code && o->region ? APP_OK : APP_E_NOMEM;
}

/* Reads every row of a prepared statement into a growing array. */
static int read_orgs(struct db_stmt *st, struct arena *a, struct org **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *n = 0;
    if (!(*out = arena_grow(a, NULL, 16, &cap, sizeof **out)))
        return APP_E_NOMEM;
    while ((rc = db_step(st)) == DB_ROW) {
        struct org *p = arena_grow(a, *out, *n + 1, &cap, sizeof *p);
        if (!p)
            return APP_E_NOMEM;
        *out = p;
        if ((rc = read_org(st, a, &p[*n])))
            return rc;
        (*n)++;
    }
    return rc == DB_DONE ? APP_OK : rc;
}

int account_org_list(struct db *db, struct arena *a, struct org **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, SQL_ORG_LIST, &st);
    *out = NULL;
    *n = 0;
    if (!rc)
        rc = read_orgs(st, a, out, n);
    db_finalize(st);
    return rc;
}

int account_org_search(struct db *db, struct arena *a, const char *q, int offset, int limit,
                       struct org **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    const char *pat = account_like_pattern(a, q);
    int rc;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (!pat)
        return APP_E_NOMEM;
    rc = db_row(db, SQL_ORG_SEARCH_COUNT, &st, "t", pat);
    if (rc)
        goto done;
    *total = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_prepare_bind(db, SQL_ORG_SEARCH, &st, "tii", pat, (int64_t)limit, (int64_t)offset);
    if (!rc)
        rc = read_orgs(st, a, out, n);
done:
    db_finalize(st);
    return rc;
}

int account_org_get(struct db *db, struct arena *a, int64_t id, struct org *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_ORG_GET, &st, "i", id);
    if (!rc)
        rc = read_org(st, a, out);
    db_finalize(st);
    return rc;
}

int account_org_find(struct db *db, struct arena *a, const char *text, struct org *out)
{
    struct db_stmt *st = NULL;
    struct str t = str_trim(str_from(text));
    char *key;
    int rc;
    if (!t.len)
        return APP_E_NOTFOUND;
    if (!(key = str_dup(a, t)))
        return APP_E_NOMEM;
    rc = db_row(db, SQL_ORG_FIND, &st, "t", key);
    if (!rc)
        rc = read_org(st, a, out);
    db_finalize(st);
    return rc;
}

/* Checks an admin's input and puts it in stored form (*ods NULL for none). Refusals name the
 * field, as account_org_create() says. */
static int org_input_check(struct db *db, struct arena *a, int64_t id, const struct org_input *in,
                           char **ods, const char **field)
{
    struct db_stmt *st = NULL;
    bool bad, oom;
    int rc;
    *ods = ods_normal(a, in->ods_code, &bad, &oom);
    if (oom)
        return APP_E_NOMEM;
    if (!in->name || !*in->name) {
        *field = "name";
        return APP_E_INVALID;
    }
    if (bad) {
        *field = "ods_code";
        return APP_E_INVALID;
    }
    if (in->region && *in->region && !ref_name(regions, regions_count, in->region)) {
        *field = "region";
        return APP_E_INVALID;
    }
    rc = db_row(db, SQL_ORG_CLASH, &st, "tti", in->name, *ods, id);
    if (rc == APP_OK) {
        *field = strcmp(db_col_text(st, 0), "name") ? "ods_code" : "name";
        rc = APP_E_CONFLICT;
    } else if (rc == APP_E_NOTFOUND) {
        rc = APP_OK;
    }
    db_finalize(st);
    return rc;
}

/* "“Name” (RJ1, London)" for the audit log: what identified the organisation then. */
static const char *org_label(struct arena *a, const char *name, const char *ods, const char *region)
{
    const char *rname = region && *region ? ref_name(regions, regions_count, region) : NULL;
    bool has_ods = ods && *ods;
    return arena_printf(a, "“%s”%s%s%s%s%s", name, has_ods || rname ? " (" : "", has_ods ? ods : "",
                        has_ods && rname ? ", " : "", rname ? rname : "",
                        has_ods || rname ? ")" : "");
}

/* "1 member", "3 members" */
static const char *counted(struct arena *a, int64_t n, const char *what)
{
    return arena_printf(a, "%lld %s%s", (long long)n, what, n == 1 ? "" : "s");
}

int account_org_create(struct db *db, int64_t actor, const struct org_input *in, int64_t *id,
                       const char **field)
{
    struct arena *a = arena_new();
    int64_t now = (int64_t)time(NULL), new_id = 0;
    const char *detail;
    char *ods;
    int rc;
    *field = NULL;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)))
        goto done;
    /* an admin demoted or deactivated meanwhile changes nothing (the command line and tests,
     * actor 0, answer to whoever runs them) */
    if ((actor && (rc = account_admin_hold(db, actor))) ||
        (rc = org_input_check(db, a, 0, in, &ods, field)))
        goto done;
    rc = db_run_int(db, SQL_ORG_INSERT, &new_id, "ttti", in->name, ods,
                    in->region ? in->region : "", now);
    if (rc == APP_E_CONFLICT) /* taken between the check and the insert */
        *field = "name";
    if (rc)
        goto done;
    detail = arena_printf(a, "Added %s", org_label(a, in->name, ods, in->region));
    if (!detail) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = account_audit(db, "org_created", actor, 0, detail)) || (rc = db_commit(db)))
        goto done;
    if (id)
        *id = new_id;
done:
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}

int account_org_update(struct db *db, int64_t actor, int64_t id, const struct org_input *in,
                       const char **field)
{
    struct arena *a = arena_new();
    struct org old;
    const char *region = in->region ? in->region : "", *detail;
    char *ods;
    int rc;
    *field = NULL;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)))
        goto done;
    /* an admin demoted or deactivated meanwhile changes nothing (the command line and tests,
     * actor 0, answer to whoever runs them) */
    if ((actor && (rc = account_admin_hold(db, actor))) ||
        (rc = account_org_get(db, a, id, &old)) ||
        (rc = org_input_check(db, a, id, in, &ods, field)))
        goto done;
    if (!strcmp(old.name, in->name) && !strcmp(old.ods_code, ods ? ods : "") &&
        !strcmp(old.region, region)) {
        rc = db_commit(db); /* nothing changed: nothing to record */
        goto done;
    }
    rc = db_run(db, SQL_ORG_UPDATE, "ittti", id, in->name, ods, region, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT)
        *field = "name";
    if (rc)
        goto done;
    detail = arena_printf(a, "Changed %s to %s", org_label(a, old.name, old.ods_code, old.region),
                          org_label(a, in->name, ods, region));
    if (!detail) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = account_audit(db, "org_renamed", actor, 0, detail)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}

/* The two organisations and what would move, read in whatever transaction is open. */
static int merge_read(struct db *db, struct arena *a, int64_t from_id, int64_t into_id,
                      struct org_merge *m)
{
    struct db_stmt *st = NULL;
    int rc;
    memset(m, 0, sizeof *m);
    if (from_id == into_id)
        return APP_E_INVALID;
    if ((rc = account_org_get(db, a, from_id, &m->from)) ||
        (rc = account_org_get(db, a, into_id, &m->into)))
        return rc;
    rc = db_row(db, SQL_ORG_MERGE_COUNTS, &st, "ii", from_id, into_id);
    if (rc == APP_OK) {
        m->members = db_col_int(st, 0);
        m->rounds = db_col_int(st, 1);
        m->invitations = db_col_int(st, 2);
        m->links_withdrawn = db_col_int(st, 3);
        m->responses = db_col_int(st, 4);
    }
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_E_INTERNAL : rc;
}

int account_org_merge_plan(struct db *db, struct arena *a, int64_t from_id, int64_t into_id,
                           struct org_merge *out)
{
    return merge_read(db, a, from_id, into_id, out);
}

int account_org_merge(struct db *db, struct arena *a, int64_t actor, int64_t from_id,
                      int64_t into_id, struct org_merge *done)
{
    /* In this order: rounds are marked regrouped while the responses still name from_id, and
     * responses leave a withdrawn link before it is deleted. */
    static const char *const moves[] = {
        SQL_ORG_MERGE_LINK_RESPONSES, SQL_ORG_MERGE_LINKS_DROP, SQL_ORG_MERGE_LINKS,
        SQL_ORG_MERGE_RESPONSES,      SQL_ORG_MERGE_ROUNDS,
    };
    int64_t now = (int64_t)time(NULL);
    const char *detail;
    int rc = db_begin(db);
    if (rc)
        return rc;
    /* an admin demoted or deactivated meanwhile changes nothing (the command line and tests,
     * actor 0, answer to whoever runs them) */
    if ((actor && (rc = account_admin_hold(db, actor))) ||
        (rc = merge_read(db, a, from_id, into_id, done)) ||
        (rc = db_run(db, SQL_ORG_MERGE_REGROUP, "i", from_id)))
        goto fail;
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if ((rc = db_run(db, moves[i], "ii", from_id, into_id)))
            goto fail;
    if ((rc = db_run(db, SQL_ORG_MERGE_USERS, "iii", from_id, into_id, now)) ||
        (rc = db_run(db, SQL_ORG_TOUCH, "ii", into_id, now)) ||
        (rc = db_run(db, SQL_ORG_DELETE, "i", from_id)))
        goto fail;
    detail = arena_printf(
        a, "Merged %s into %s: %s, %s, %s (%lld withdrawn as duplicates) and %s moved",
        org_label(a, done->from.name, done->from.ods_code, done->from.region),
        org_label(a, done->into.name, done->into.ods_code, done->into.region),
        counted(a, done->members, "member"), counted(a, done->rounds, "assessment round"),
        counted(a, done->invitations, "invitation link"), (long long)done->links_withdrawn,
        counted(a, done->responses, "assessment response"));
    if (!detail) {
        rc = APP_E_NOMEM;
        goto fail;
    }
    if ((rc = account_audit(db, "org_merged", actor, 0, detail)) || (rc = db_commit(db)))
        goto fail;
    return APP_OK;
fail:
    db_rollback(db);
    return rc;
}

int account_org_ensure(struct db *db, const char *name, const char *ods_code, const char *region,
                       int64_t *id)
{
    int64_t now = (int64_t)time(NULL);
    return db_run_int(db, SQL_ORG_ENSURE, id, "ttti", name, ods_code && *ods_code ? ods_code : NULL,
                      region ? region : "", now);
}

int account_member_defaults(struct db *db, struct arena *a, int64_t user_id,
                            struct member_defaults *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_MEMBER_DEFAULTS, &st, "i", user_id);
    memset(out, 0, sizeof *out);
    if (rc == APP_OK) {
        out->profession = arena_strdup(a, db_col_text(st, 0));
        out->region = arena_strdup(a, db_col_text(st, 1));
        out->organisation_id = db_col_int(st, 2);
        out->organisation = arena_strdup(a, db_col_text(st, 3));
        if (!out->profession || !out->region || !out->organisation)
            rc = APP_E_NOMEM;
    }
    db_finalize(st);
    return rc;
}
