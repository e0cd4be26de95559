/* catalogue_db.c: development activities in the database — browse with filters, read one,
 * add, replace, retire and restore
 *
 * An activity and its areas are written together in one transaction, so a reader never sees
 * an activity with half its areas. Replacing an activity replaces its areas whole, which is
 * what an edit form and an imported row both mean.
 */
#include "develop/catalogue.h"
#include "develop/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

/* The row SQL_DA_* selects (DA_COLS) into act, strings copied into the arena. */
static int read_row(struct db_stmt *st, struct arena *a, struct develop_activity *act)
{
    memset(act, 0, sizeof *act);
    act->id = db_col_int(st, 0);
    act->title = arena_strdup(a, db_col_text(st, 1));
    act->kind = arena_strdup(a, db_col_text(st, 2));
    act->provider = arena_strdup(a, db_col_text(st, 3));
    act->description = arena_strdup(a, db_col_text(st, 4));
    act->mode = arena_strdup(a, db_col_text(st, 5));
    act->duration = arena_strdup(a, db_col_text(st, 6));
    act->hours_x100 = db_col_int(st, 7);
    act->cost = arena_strdup(a, db_col_text(st, 8));
    act->cost_pence = db_col_int(st, 9);
    act->region = arena_strdup(a, db_col_text(st, 10));
    act->link = arena_strdup(a, db_col_text(st, 11));
    act->active = db_col_int(st, 12) != 0;
    act->created_by = db_col_int(st, 13);
    act->updated_by = db_col_int(st, 14);
    act->created_at = db_col_int(st, 15);
    act->updated_at = db_col_int(st, 16);
    return act->title && act->kind && act->provider && act->description && act->mode &&
                   act->duration && act->cost && act->region && act->link
               ? APP_OK
               : APP_E_NOMEM;
}

/* "%words%" lower-cased (ASCII) with LIKE's own characters escaped; "" for no search. */
static const char *like_pattern(struct arena *a, const char *q)
{
    size_t n = q ? strlen(q) : 0, k = 0;
    char *p;
    if (!n)
        return "";
    if (!(p = arena_alloc(a, 2 * n + 3)))
        return NULL;
    p[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        char ch = q[i];
        if (ch == '%' || ch == '_' || ch == '\\')
            p[k++] = '\\';
        p[k++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
    }
    p[k++] = '%';
    p[k] = '\0';
    return p;
}

/* Binds the filter as DA_WHERE numbers its parameters ($1…$8). */
static int bind_filter(struct db_stmt *st, struct arena *a,
                       const struct develop_catalogue_filter *f)
{
    const char *like = like_pattern(a, f->q), *code = "", *domain = "";
    int rc;
    if (!like)
        return APP_E_NOMEM;
    if (f->area && *f->area) {
        const char *colon = strchr(f->area, ':');
        if (colon) {
            if (!(code = arena_strndup(a, f->area, (size_t)(colon - f->area))))
                return APP_E_NOMEM;
            domain = colon + 1;
        } else {
            code = f->area; /* matches nothing: no code is without its domain */
        }
    }
    if ((rc = db_bind_int(st, 1, f->with_retired)) ||
        (rc = db_bind_cstr(st, 2, f->kind ? f->kind : "")) ||
        (rc = db_bind_cstr(st, 3, f->region ? f->region : "")) ||
        (rc = db_bind_cstr(st, 4, f->mode ? f->mode : "")) ||
        (rc = db_bind_int(st, 5, f->free_only)) || (rc = db_bind_cstr(st, 6, like)) ||
        (rc = db_bind_cstr(st, 7, code)) || (rc = db_bind_cstr(st, 8, domain)))
        return rc;
    return APP_OK;
}

int develop_activity_list(struct db *db, struct arena *a, const struct develop_catalogue_filter *f,
                          int64_t offset, int64_t limit, struct develop_activity **out, size_t *n,
                          int64_t *total)
{
    struct db_stmt *st = NULL;
    struct develop_activity *list = NULL;
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    *total = 0;
    if ((rc = db_prepare(db, SQL_DA_COUNT, &st)) || (rc = bind_filter(st, a, f)))
        goto done;
    if ((rc = db_step(st)) != DB_ROW) {
        rc = rc == DB_DONE ? APP_E_DB : rc;
        goto done;
    }
    *total = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if ((rc = db_prepare(db, SQL_DA_LIST, &st)) || (rc = bind_filter(st, a, f)) ||
        (rc = db_bind_int(st, 9, limit)) || (rc = db_bind_int(st, 10, offset)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if ((rc = read_row(st, a, &list[*n])))
            goto done;
        (*n)++;
    }
    if (rc == DB_DONE) {
        rc = APP_OK;
        *out = list;
    }
done:
    db_finalize(st);
    return rc;
}

static int read_areas(struct db *db, struct arena *a, struct develop_activity *act)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_DAA_LIST, &st, "i", act->id);
    act->areas = NULL;
    act->nareas = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct develop_area *ar;
        if (!(act->areas = arena_grow(a, act->areas, act->nareas + 1, &cap, sizeof *act->areas))) {
            rc = APP_E_NOMEM;
            break;
        }
        ar = &act->areas[act->nareas++];
        ar->assess = !strcmp(db_col_text(st, 0), "assess");
        ar->code = arena_strdup(a, db_col_text(st, 1));
        ar->domain = arena_strdup(a, db_col_text(st, 2));
        rc = ar->code && ar->domain ? APP_OK : APP_E_NOMEM;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int develop_activity_get(struct db *db, struct arena *a, int64_t id, struct develop_activity *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DA_GET, &st, "i", id);
    if (!rc)
        rc = read_row(st, a, out);
    db_finalize(st);
    return rc ? rc : read_areas(db, a, out);
}

int develop_activity_all(struct db *db, struct arena *a, struct develop_activity **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct develop_activity *list = NULL;
    size_t cap = 0;
    int rc = db_prepare(db, SQL_DA_ALL, &st);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            rc = APP_E_NOMEM;
        else if (!(rc = read_row(st, a, &list[*n])))
            (*n)++;
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc;
    for (size_t i = 0; i < *n; i++)
        if ((rc = read_areas(db, a, &list[i])))
            return rc;
    *out = list;
    return APP_OK;
}

int develop_activity_write(struct db *db, const struct develop_activity *act, int64_t by,
                           int64_t now, int64_t *id)
{
    struct db_stmt *st = NULL;
    int rc;
    if (!act->id) {
        if ((rc = db_row(db, SQL_DA_INSERT, &st, "ttttttItittiIi", act->title, act->kind,
                         act->provider, act->description, act->mode, act->duration, act->hours_x100,
                         act->cost, act->cost_pence, act->region, act->link, (int64_t)act->active,
                         by, now)))
            return rc;
        *id = db_col_int(st, 0);
        db_finalize(st);
    } else {
        if ((rc = db_run(db, SQL_DA_UPDATE, "ittttttItittiIi", act->id, act->title, act->kind,
                         act->provider, act->description, act->mode, act->duration, act->hours_x100,
                         act->cost, act->cost_pence, act->region, act->link, (int64_t)act->active,
                         by, now)))
            return rc;
        if (db_changes(db) == 0)
            return APP_E_NOTFOUND;
        *id = act->id;
        if ((rc = db_run(db, SQL_DAA_CLEAR, "i", act->id)))
            return rc;
    }
    for (size_t i = 0; i < act->nareas; i++)
        if ((rc = db_run(db, SQL_DAA_INSERT, "ittt", *id,
                         act->areas[i].assess ? "assess" : "framework", act->areas[i].code,
                         act->areas[i].domain)))
            return rc;
    return APP_OK;
}

/* One write in its own transaction. */
static int write_one(struct db *db, const struct develop_activity *act, int64_t by, int64_t now,
                     int64_t *id)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = develop_activity_write(db, act, by, now, id)) || (rc = db_commit(db)))
        db_rollback(db);
    return rc;
}

int develop_activity_create(struct db *db, const struct develop_activity *act, int64_t by,
                            int64_t now, int64_t *id)
{
    struct develop_activity fresh = *act;
    fresh.id = 0;
    return write_one(db, &fresh, by, now, id);
}

int develop_activity_update(struct db *db, const struct develop_activity *act, int64_t by,
                            int64_t now)
{
    int64_t id;
    return act->id ? write_one(db, act, by, now, &id) : APP_E_NOTFOUND;
}

int develop_activity_set_active(struct db *db, int64_t id, bool active, int64_t by, int64_t now)
{
    int rc = db_run(db, SQL_DA_SET_ACTIVE, "iiIi", id, (int64_t)active, by, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

int develop_activity_count(struct db *db, int64_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DA_TOTAL, &st, "");
    if (!rc)
        *n = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}
