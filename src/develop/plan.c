/* plan.c: a member's development plan — the checks of goals and plan activities as typed,
 * and reading and writing them by owner (plan.h)
 *
 * One invariant per write, held by the statement itself: every statement names the owner,
 * so a goal or an activity of someone else is never touched, and a catalogue activity is in
 * a plan once (a unique index decides when two "Add to my plan" clicks race).
 */
#include "develop/plan.h"
#include "develop/plan_store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "store/db.h"

#include <stdio.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

const struct develop_choice develop_plan_statuses[] = {
    {"not-started", "Not started"},
    {"in-progress", "In progress"},
    {"done", "Done"},
    {"dropped", "Dropped"},
};
const size_t develop_plan_statuses_count =
    sizeof develop_plan_statuses / sizeof develop_plan_statuses[0];

const char *develop_plan_status_name(const char *code)
{
    return develop_choice_name(develop_plan_statuses, develop_plan_statuses_count, code);
}

/* ---- checks ---- */

struct errs {
    struct arena *a;
    struct develop_field_error *list;
    size_t n, cap;
    bool oom;
};

static void add_err(struct errs *e, const char *field, const char *message)
{
    struct develop_field_error *l;
    if (!message) {
        e->oom = true;
        return;
    }
    if (!(l = arena_grow(e->a, e->list, e->n + 1, &e->cap, sizeof *l))) {
        e->oom = true;
        return;
    }
    e->list = l;
    e->list[e->n++] = (struct develop_field_error){field, message};
}

static int finish(struct errs *e, struct develop_field_error **errs, size_t *nerrs)
{
    *errs = e->list;
    *nerrs = e->n;
    if (e->oom)
        return APP_E_NOMEM;
    return e->n ? APP_E_INVALID : APP_OK;
}

/* s trimmed into the arena ("" for NULL); NULL when out of memory. */
static const char *trim(struct arena *a, const char *s)
{
    struct str t = str_trim(str_from(s ? s : ""));
    return str_dup(a, t);
}

static size_t chars(const char *s)
{
    return utf8_count(s, strlen(s));
}

static void check_text(struct errs *e, const char *field, const char *value, const char *what,
                       size_t max, bool required)
{
    size_t n = chars(value);
    if (required && !*value)
        add_err(e, field, arena_printf(e->a, "Enter %s", what));
    else if (n > max)
        add_err(e, field,
                arena_printf(e->a, "%c%s must be %zu characters or fewer; it has %zu",
                             toupper((unsigned char)*what), what + 1, max, n));
}

/* A choice by code or name, in any case, or NULL. */
static const char *choice(const struct develop_choice *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcasecmp(s, list[i].code) || !strcasecmp(s, list[i].name))
            return list[i].code;
    return NULL;
}

int develop_goal_check(struct arena *a, const struct develop_area_sources *sources,
                       const struct develop_goal_input *in, struct develop_goal *out,
                       struct develop_field_error **errs, size_t *nerrs)
{
    struct errs e = {a, NULL, 0, 0, false};
    const char *title = trim(a, in->title), *domain = trim(a, in->domain);
    if (!title || !domain)
        return APP_E_NOMEM;
    out->title = title;
    out->framework_code = out->domain = "";
    check_text(&e, "title", title, "your goal", DEVELOP_GOAL_TITLE_MAX, true);
    if (!*domain) {
        add_err(&e, "domain", "Choose the area of leadership this goal develops");
    } else {
        const char *colon = strchr(domain, ':');
        struct develop_area ar = {false, NULL, NULL};
        if (colon) {
            ar.code = arena_strndup(a, domain, (size_t)(colon - domain));
            ar.domain = colon + 1;
        }
        if (colon && !ar.code)
            return APP_E_NOMEM;
        if (!colon || !develop_area_title(sources, &ar))
            add_err(&e, "domain", "Choose an area of leadership from the list");
        else {
            out->framework_code = ar.code;
            out->domain = ar.domain;
        }
    }
    out->target_at = in->target_at;
    return finish(&e, errs, nerrs);
}

int develop_item_check(struct arena *a, const struct develop_plan_item *old,
                       const struct develop_goal *goals, size_t ngoals,
                       const struct develop_item_input *in, struct develop_plan_item *out,
                       struct develop_field_error **errs, size_t *nerrs)
{
    struct errs e = {a, NULL, 0, 0, false};
    const char *activity = trim(a, in->activity), *title = trim(a, in->title);
    const char *kind = trim(a, in->kind), *goal = trim(a, in->goal);
    const char *status = trim(a, in->status), *reflection = trim(a, in->reflection);
    int64_t v;
    if (!activity || !title || !kind || !goal || !status || !reflection)
        return APP_E_NOMEM;
    if (old)
        *out = *old;
    else
        memset(out, 0, sizeof *out);
    /* what it is: a catalogue activity (fixed once added) or the member's own */
    if (!old && *activity) {
        if (!parse_int64(str_from(activity), &v) || v <= 0)
            add_err(&e, "activity", "Choose an activity from the catalogue");
        else
            out->activity_id = v;
        out->title = out->kind = out->provider = "";
    } else if (!old || !old->activity_id) {
        const char *k = choice(develop_activity_kinds, develop_activity_kinds_count, kind);
        check_text(&e, "title", title, "what you will do", DEVELOP_PLAN_TITLE_MAX, true);
        if (!k)
            add_err(&e, "kind", "Choose the kind of activity");
        out->title = title;
        out->kind = k ? k : "";
        out->provider = "";
    }
    out->goal_id = 0;
    if (*goal && strcmp(goal, "0")) {
        bool found = false;
        if (parse_int64(str_from(goal), &v))
            for (size_t i = 0; i < ngoals && !found; i++)
                found = goals[i].id == v;
        if (!found)
            add_err(&e, "goal", "Choose one of your goals, or none");
        else
            out->goal_id = v;
    }
    if (!*status) {
        out->status = old ? old->status : DEVELOP_STATUS_NOT_STARTED;
    } else if (!(out->status =
                     choice(develop_plan_statuses, develop_plan_statuses_count, status))) {
        add_err(&e, "status", "Choose a status: not started, in progress, done or dropped");
        out->status = old ? old->status : DEVELOP_STATUS_NOT_STARTED;
    }
    out->target_at = in->target_at;
    out->reflection = reflection;
    check_text(&e, "reflection", reflection, "Your reflection", DEVELOP_REFLECTION_MAX, false);
    if (!strcmp(out->status, DEVELOP_STATUS_DONE) && !*reflection)
        add_err(&e, "reflection",
                "Write a reflection to mark it done: what you did and what you learnt");
    if (!out->reason)
        out->reason = "";
    return finish(&e, errs, nerrs);
}

void develop_plan_progress(const struct develop_plan_item *items, size_t n,
                           struct develop_plan_progress *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const char *s = items[i].status;
        if (!strcmp(s, "not-started"))
            out->not_started++;
        else if (!strcmp(s, "in-progress"))
            out->in_progress++;
        else if (!strcmp(s, "done"))
            out->done++;
        else
            out->dropped++;
    }
    out->total = out->not_started + out->in_progress + out->done;
    out->percent = out->total ? out->done * 100 / out->total : 0;
}

/* ---- reading and writing ---- */

static int read_goal(struct db_stmt *st, struct arena *a, struct develop_goal *g)
{
    g->id = db_col_int(st, 0);
    g->user_id = db_col_int(st, 1);
    g->title = arena_strdup(a, db_col_text(st, 2));
    g->framework_code = arena_strdup(a, db_col_text(st, 3));
    g->domain = arena_strdup(a, db_col_text(st, 4));
    g->target_at = db_col_int(st, 5);
    g->created_at = db_col_int(st, 6);
    g->updated_at = db_col_int(st, 7);
    return g->title && g->framework_code && g->domain ? APP_OK : APP_E_NOMEM;
}

static int read_item(struct db_stmt *st, struct arena *a, struct develop_plan_item *it)
{
    it->id = db_col_int(st, 0);
    it->user_id = db_col_int(st, 1);
    it->goal_id = db_col_int(st, 2);
    it->activity_id = db_col_int(st, 3);
    it->title = arena_strdup(a, db_col_text(st, 4));
    it->kind = arena_strdup(a, db_col_text(st, 5));
    it->provider = arena_strdup(a, db_col_text(st, 6));
    it->retired = db_col_int(st, 7) == 0;
    it->status = arena_strdup(a, db_col_text(st, 8));
    it->target_at = db_col_int(st, 9);
    it->reflection = arena_strdup(a, db_col_text(st, 10));
    it->reason = arena_strdup(a, db_col_text(st, 11));
    it->done_at = db_col_int(st, 12);
    it->created_at = db_col_int(st, 13);
    it->updated_at = db_col_int(st, 14);
    return it->title && it->kind && it->provider && it->status && it->reflection && it->reason
               ? APP_OK
               : APP_E_NOMEM;
}

int develop_goal_list(struct db *db, struct arena *a, int64_t user_id, struct develop_goal **out,
                      size_t *n)
{
    struct db_stmt *st = NULL;
    struct develop_goal *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_DG_LIST, &st, "i", user_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct develop_goal *l = arena_grow(a, list, *n + 1, &cap, sizeof *l);
        if (!l)
            rc = APP_E_NOMEM;
        else
            rc = read_goal(st, a, &(list = l)[(*n)++]);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int develop_item_list(struct db *db, struct arena *a, int64_t user_id,
                      struct develop_plan_item **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct develop_plan_item *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_DP_LIST, &st, "i", user_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct develop_plan_item *l = arena_grow(a, list, *n + 1, &cap, sizeof *l);
        if (!l)
            rc = APP_E_NOMEM;
        else
            rc = read_item(st, a, &(list = l)[(*n)++]);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int develop_goal_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                     struct develop_goal *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DG_GET, &st, "ii", id, user_id);
    if (!rc)
        rc = read_goal(st, a, out);
    db_finalize(st);
    return rc;
}

int develop_item_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                     struct develop_plan_item *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DP_GET, &st, "ii", id, user_id);
    if (!rc)
        rc = read_item(st, a, out);
    db_finalize(st);
    return rc;
}

int develop_goal_create(struct db *db, const struct develop_goal *g, int64_t now, int64_t *id)
{
    return db_run_int(db, SQL_DG_INSERT, id, "itttii", g->user_id, g->title, g->framework_code,
                      g->domain, g->target_at, now);
}

int develop_goal_update(struct db *db, const struct develop_goal *g, int64_t now)
{
    int rc = db_run(db, SQL_DG_UPDATE, "iitttii", g->id, g->user_id, g->title, g->framework_code,
                    g->domain, g->target_at, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

int develop_goal_delete(struct db *db, int64_t id, int64_t user_id)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = db_run(db, SQL_DG_UNLINK, "ii", id, user_id)) ||
        (rc = db_run(db, SQL_DG_DELETE, "ii", id, user_id)))
        goto done;
    if (db_changes(db) == 0) {
        rc = APP_E_NOTFOUND;
        goto done;
    }
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int develop_item_add(struct db *db, const struct develop_plan_item *it, int64_t now, int64_t *id,
                     bool *existed)
{
    struct db_stmt *st = NULL;
    const char *kind = it->kind;
    char kbuf[40];
    int rc;
    *existed = false;
    if ((rc = db_begin(db)))
        return rc;
    if (it->activity_id) {
        /* the catalogue's own kind, and only an activity a member may still choose */
        if ((rc = db_row(db, SQL_DP_ACTIVE_ACTIVITY, &st, "i", it->activity_id)))
            goto done;
        snprintf(kbuf, sizeof kbuf, "%s", db_col_text(st, 0));
        kind = kbuf;
        db_finalize(st);
        st = NULL;
    }
    rc = db_row(db, SQL_DP_INSERT, &st, "iIItttittii", it->user_id, it->goal_id, it->activity_id,
                it->activity_id ? "" : it->title, kind, it->status, it->target_at, it->reflection,
                it->reason ? it->reason : "",
                !strcmp(it->status, DEVELOP_STATUS_DONE) ? now : (int64_t)0, now);
    if (rc == APP_E_NOTFOUND && it->activity_id) { /* in the plan already: that one */
        db_finalize(st);
        st = NULL;
        if ((rc = db_row(db, SQL_DP_FIND, &st, "ii", it->user_id, it->activity_id)))
            goto done;
        *existed = true;
    }
    if (rc)
        goto done;
    *id = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int develop_item_update(struct db *db, const struct develop_plan_item *it, int64_t now)
{
    int rc = db_run(db, SQL_DP_UPDATE, "iiItttiti", it->id, it->user_id, it->goal_id,
                    it->activity_id ? "" : it->title, it->kind, it->status, it->target_at,
                    it->reflection, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

int develop_item_delete(struct db *db, int64_t id, int64_t user_id)
{
    int rc = db_run(db, SQL_DP_DELETE, "ii", id, user_id);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}
