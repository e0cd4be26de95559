/* group.c: regional interest groups and who belongs to them (see group.h for who may do what)
 *
 * A group is created in one transaction with its creator as its first moderator and an audit
 * entry. Joining and leaving are single statements that may be repeated safely: a second
 * join changes nothing, a second leave removes nothing.
 */
#include "connect/group.h"
#include "connect/group_store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "store/db.h"

#include <string.h>

const struct connect_choice connect_topics[] = {
    {"digital", "Digital and data"},
    {"clinical-safety", "Clinical safety"},
    {"research-qi", "Research and quality improvement"},
    {"leadership", "Leadership"},
    {"education", "Education and practice learning"},
    {"workforce", "Workforce and careers"},
};
const size_t connect_topics_count = sizeof connect_topics / sizeof connect_topics[0];

const char *connect_topic_name(const char *code)
{
    for (size_t i = 0; code && i < connect_topics_count; i++)
        if (!strcmp(connect_topics[i].code, code))
            return connect_topics[i].name;
    return NULL;
}

const char *connect_region_name(const char *code)
{
    if (code && !strcmp(code, CONNECT_NATIONAL))
        return "National";
    return code ? ref_name(regions, regions_count, code) : NULL;
}

bool connect_blank(const char *s)
{
    return !s || str_blank(s);
}

int connect_error_add(struct arena *a, struct connect_field_error **errs, size_t *n,
                      const char *field, const char *message)
{
    struct connect_field_error *grown = arena_alloc(a, (*n + 1) * sizeof *grown);
    if (!grown)
        return APP_E_NOMEM;
    if (*n)
        memcpy(grown, *errs, *n * sizeof *grown);
    grown[*n].field = field;
    grown[*n].message = message;
    *errs = grown;
    (*n)++;
    return APP_OK;
}

int connect_text_field(struct arena *a, const char *text, size_t max, const char *field,
                       const char *missing, const char *too_long, struct connect_field_error **errs,
                       size_t *n)
{
    if (connect_blank(text))
        return connect_error_add(a, errs, n, field, missing);
    if (utf8_count(text, strlen(text)) > max)
        return connect_error_add(a, errs, n, field, too_long);
    return APP_OK;
}

int connect_group_check(struct arena *a, const struct connect_group_input *in,
                        struct connect_field_error **errs, size_t *n)
{
    int rc;
    *errs = NULL;
    *n = 0;
    if ((rc = connect_text_field(a, in->name, CONNECT_NAME_MAX, "name", "Enter the group's name",
                                 "The name must be 120 characters or fewer", errs, n)) ||
        (rc = connect_text_field(a, in->description, CONNECT_DESC_MAX, "description",
                                 "Enter what the group is for",
                                 "The description must be 2,000 characters or fewer", errs, n)))
        return rc;
    if (!in->region || !connect_region_name(in->region))
        if ((rc = connect_error_add(a, errs, n, "region", "Choose the group's region")))
            return rc;
    if (!in->topic || !connect_topic_name(in->topic))
        if ((rc = connect_error_add(a, errs, n, "topic", "Choose what the group is about")))
            return rc;
    if (!in->visibility || (strcmp(in->visibility, "open") && strcmp(in->visibility, "members")))
        if ((rc = connect_error_add(a, errs, n, "visibility",
                                    "Choose who can read the discussions")))
            return rc;
    return *n ? APP_E_INVALID : APP_OK;
}

int connect_group_create(struct db *db, const struct connect_group_input *in, int64_t by,
                         int64_t now, int64_t *id)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run_int(db, SQL_CG_INSERT, id, "tttttIi", in->name, in->description, in->region,
                         in->topic, in->visibility, by, now)) ||
        (rc = db_run(db, SQL_CGM_JOIN, "iiti", *id, by, "moderator", now)) ||
        (rc = account_audit(db, "connect_group_created", by, 0, in->name)) || (rc = db_commit(db)))
        db_rollback(db);
    return rc;
}

static int group_row(struct db_stmt *st, struct arena *a, struct connect_group *g)
{
    const char *role;
    g->id = db_col_int(st, 0);
    g->name = arena_strdup(a, db_col_text(st, 1));
    g->description = arena_strdup(a, db_col_text(st, 2));
    g->region = arena_strdup(a, db_col_text(st, 3));
    g->topic = arena_strdup(a, db_col_text(st, 4));
    g->visibility = arena_strdup(a, db_col_text(st, 5));
    g->created_at = db_col_int(st, 6);
    g->members = db_col_int(st, 7);
    g->threads = db_col_int(st, 8);
    role = db_col_text(st, 9);
    g->is_member = *role != '\0';
    g->is_moderator = !strcmp(role, "moderator");
    return g->name && g->description && g->region && g->topic && g->visibility ? APP_OK
                                                                               : APP_E_NOMEM;
}

int connect_group_list(struct db *db, struct arena *a, int64_t viewer, const char *region,
                       struct connect_group **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CG_LIST, &st, "it", viewer, region ? region : "");
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)) ||
            group_row(st, a, &(*out)[*n])) {
            rc = APP_E_NOMEM;
            break;
        }
        (*n)++;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int connect_group_get(struct db *db, struct arena *a, int64_t id, int64_t viewer,
                      struct connect_group *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CG_GET, &st, "ii", viewer, id);
    if (rc)
        return rc;
    rc = group_row(st, a, out);
    db_finalize(st);
    return rc;
}

bool connect_group_readable(const struct connect_group *g)
{
    return g->is_member || !strcmp(g->visibility, "open");
}

int connect_group_join(struct db *db, int64_t group, int64_t user, enum role site_role, int64_t now)
{
    return db_run(db, SQL_CGM_JOIN, "iiti", group, user,
                  site_role >= ROLE_FACILITATOR ? "moderator" : "member", now);
}

/* The role of user in group into role (16 bytes), or APP_E_NOTFOUND. */
static int member_role(struct db *db, int64_t group, int64_t user, char *role)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CGM_ROLE, &st, "ii", group, user);
    if (!rc)
        snprintf(role, 16, "%s", db_col_text(st, 0));
    db_finalize(st);
    return rc;
}

int connect_group_set_moderator(struct db *db, int64_t group, int64_t user, bool moderator,
                                int64_t by)
{
    char role[16], mine[16];
    int64_t left = 0;
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run(db, SQL_CGM_LOCK_MODS, "i", group)))
        goto done;
    rc = member_role(db, group, by, mine);
    if (rc == APP_E_NOTFOUND || (!rc && strcmp(mine, "moderator")))
        rc = APP_E_FORBIDDEN;
    if (rc || (rc = member_role(db, group, user, role)))
        goto done;
    if (!strcmp(role, moderator ? "moderator" : "member"))
        goto done; /* already so */
    if ((rc = db_run(db, SQL_CGM_SET_ROLE, "iit", group, user, moderator ? "moderator" : "member")))
        goto done;
    if (!moderator && !(rc = db_run_int(db, SQL_CGM_MODERATORS, &left, "ii", group, (int64_t)0)) &&
        left == 0)
        rc = APP_E_CONFLICT;
    if (!rc && moderator)
        rc = account_audit(db, "connect_moderator_added", by, user, "");
    else if (!rc)
        rc = account_audit(db, "connect_moderator_removed", by, user, "");
done:
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_group_leave(struct db *db, int64_t group, int64_t user)
{
    char role[16];
    int64_t mods = 0, others = 0;
    int rc = db_begin(db);
    if (rc)
        return rc;
    /* the moderators' rows first, as connect_group_set_moderator takes them */
    if ((rc = db_run(db, SQL_CGM_LOCK_MODS, "i", group)))
        goto done;
    rc = member_role(db, group, user, role);
    if (rc == APP_E_NOTFOUND) {
        rc = APP_OK; /* not in it: nothing to do */
        goto done;
    }
    if (!rc && !strcmp(role, "moderator") &&
        !(rc = db_run_int(db, SQL_CGM_MODERATORS, &mods, "ii", group, user)) && mods == 0 &&
        !(rc = db_run_int(db, SQL_CGM_OTHERS, &others, "ii", group, user)) && others > 0)
        rc = APP_E_CONFLICT;
    if (!rc)
        rc = db_run(db, SQL_CGM_LEAVE, "ii", group, user);
done:
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_group_members(struct db *db, struct arena *a, int64_t group,
                          struct connect_member **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_CGM_LIST, &st, "i", group);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct connect_member *m;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        m = &(*out)[(*n)++];
        m->user_id = db_col_int(st, 0);
        m->name = arena_strdup(a, db_col_text(st, 1));
        m->profession = arena_strdup(a, db_col_text(st, 2));
        m->region = arena_strdup(a, db_col_text(st, 3));
        m->role = arena_strdup(a, db_col_text(st, 4));
        m->joined_at = db_col_int(st, 5);
        if (!m->name || !m->profession || !m->region || !m->role) {
            rc = APP_E_NOMEM;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}
