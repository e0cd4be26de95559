/* round.c: assessment rounds and their invitation links
 *
 * A round's state comes from its dates alone (upcoming, open, closed), so closing a round is
 * setting its closing time to now and nothing can be left half-closed. An invitation link
 * carries a random code per organisation; it attributes responses to the organisation and
 * says nothing about the person who follows it.
 */
#include "assess/round.h"
#include "assess/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <string.h>
#include <time.h>

static const char *const state_names[] = {"upcoming", "open", "closed"};

enum assess_round_state assess_round_state(const struct assess_round *r, int64_t now)
{
    if (r->opens_at && now < r->opens_at)
        return ARS_UPCOMING;
    if (r->closes_at && now >= r->closes_at)
        return ARS_CLOSED;
    return ARS_OPEN;
}

const char *assess_round_state_name(enum assess_round_state s)
{
    return (unsigned)s < 3 ? state_names[s] : "closed";
}

static bool valid_audience(const char *s)
{
    return s && (!strcmp(s, "individual") || !strcmp(s, "team") || !strcmp(s, "organisation"));
}

int assess_round_create(struct db *db, struct arena *a, const struct assess_round_input *in,
                        int64_t created_by, int64_t *id, const char **slug)
{
    char code[11];
    int rc;
    if (!in->title || !*in->title || !valid_audience(in->audience) || in->instrument_id <= 0)
        return APP_E_INVALID;
    if (in->opens_at && in->closes_at && in->closes_at <= in->opens_at)
        return APP_E_INVALID;
    for (int attempt = 0; attempt < 5; attempt++) {
        if ((rc = rand_slug(code, 10)))
            return rc;
        rc = db_run_int(db, SQL_AR_INSERT, id, "ttittIiiIi", code, in->title, in->instrument_id,
                        in->audience, in->anonymous ? "anonymous" : "named", in->organisation_id,
                        in->opens_at, in->closes_at, created_by, (int64_t)time(NULL));
        if (rc != APP_E_NOTFOUND) /* no row back: the slug was taken, try another */
            break;
    }
    if (rc == APP_E_NOTFOUND)
        rc = APP_E_CONFLICT;
    if (!rc && slug && !(*slug = arena_strdup(a, code)))
        rc = APP_E_NOMEM;
    return rc;
}

int assess_round_update(struct db *db, int64_t id, const char *title, int64_t opens_at,
                        int64_t closes_at, int64_t now)
{
    int rc;
    if (!title || !*title || (opens_at && closes_at && closes_at <= opens_at))
        return APP_E_INVALID;
    rc = db_run(db, SQL_AR_UPDATE, "itiii", id, title, opens_at, closes_at, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

int assess_round_close(struct db *db, int64_t id, int64_t now)
{
    int rc = db_run(db, SQL_AR_CLOSE, "ii", id, now);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

static int read_round(struct db_stmt *st, struct arena *a, struct assess_round *r)
{
    r->id = db_col_int(st, 0);
    r->slug = arena_strdup(a, db_col_text(st, 1));
    r->title = arena_strdup(a, db_col_text(st, 2));
    r->instrument_id = db_col_int(st, 3);
    r->instrument_code = arena_strdup(a, db_col_text(st, 4));
    r->instrument_title = arena_strdup(a, db_col_text(st, 5));
    r->instrument_version = (int)db_col_int(st, 6);
    r->audience = arena_strdup(a, db_col_text(st, 7));
    r->anonymous = !strcmp(db_col_text(st, 8), "anonymous");
    r->organisation_id = db_col_int(st, 9);
    r->organisation_name = arena_strdup(a, db_col_text(st, 10));
    r->opens_at = db_col_int(st, 11);
    r->closes_at = db_col_int(st, 12);
    r->created_at = db_col_int(st, 13);
    r->started = r->submitted = -1; /* unknown until assess_round_count() */
    if (!r->slug || !r->title || !r->instrument_code || !r->instrument_title || !r->audience ||
        !r->organisation_name)
        return APP_E_NOMEM;
    return APP_OK;
}

int assess_round_get(struct db *db, struct arena *a, const char *slug, struct assess_round *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_AR_BY_SLUG, &st, "t", slug);
    if (!rc)
        rc = read_round(st, a, out);
    db_finalize(st);
    return rc;
}

int assess_round_get_id(struct db *db, struct arena *a, int64_t id, struct assess_round *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_AR_BY_ID, &st, "i", id);
    if (!rc)
        rc = read_round(st, a, out);
    db_finalize(st);
    return rc;
}

static int round_list(struct db *db, struct arena *a, const char *sql, int64_t user_id,
                      struct assess_round **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct assess_round *list = NULL;
    size_t cap = 0;
    int rc = user_id ? db_prepare_bind(db, sql, &st, "i", user_id) : db_prepare(db, sql, &st);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            rc = APP_E_NOMEM;
        else
            rc = read_round(st, a, &list[(*n)++]);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int assess_round_list(struct db *db, struct arena *a, struct assess_round **out, size_t *n)
{
    return round_list(db, a, SQL_AR_LIST, 0, out, n);
}

int assess_round_list_created(struct db *db, struct arena *a, int64_t user_id,
                              struct assess_round **out, size_t *n)
{
    return round_list(db, a, SQL_AR_CREATED_BY, user_id, out, n);
}

int assess_round_list_answered(struct db *db, struct arena *a, int64_t user_id,
                               struct assess_answered **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct assess_answered *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_AR_ANSWERED_BY, &st, "i", user_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct assess_answered *e;
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list))) {
            rc = APP_E_NOMEM;
            break;
        }
        e = &list[(*n)++];
        rc = read_round(st, a, &e->round);
        e->started_at = db_col_int(st, 14);
        e->updated_at = db_col_int(st, 15);
        e->submitted_at = db_col_int(st, 16);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int assess_round_count(struct db *db, struct assess_round *r)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_AR_COUNTS, &st, "i", r->id);
    if (!rc) {
        r->started = db_col_int(st, 0);
        r->submitted = db_col_int(st, 1);
    }
    db_finalize(st);
    return rc;
}

/* ---- invitation links ---- */

int assess_invitation_make(struct db *db, struct arena *a, int64_t round_id,
                           int64_t organisation_id, const char **code)
{
    struct db_stmt *st = NULL;
    char fresh[17];
    int rc = rand_slug(fresh, 16);
    /* Inserting and reading back in one go: a second request for the same organisation
     * (two facilitators at once) finds the first one's code, never a second link. */
    if (!rc)
        rc = db_run(db, SQL_AV_INSERT, "iiti", round_id, organisation_id, fresh,
                    (int64_t)time(NULL));
    if (!rc)
        rc = db_row(db, SQL_AV_GET, &st, "ii", round_id, organisation_id);
    if (!rc && !(*code = arena_strdup(a, db_col_text(st, 0))))
        rc = APP_E_NOMEM;
    db_finalize(st);
    return rc;
}

static int read_invitation(struct db_stmt *st, struct arena *a, struct assess_invitation *v)
{
    v->id = db_col_int(st, 0);
    v->organisation_id = db_col_int(st, 1);
    v->organisation_name = arena_strdup(a, db_col_text(st, 2));
    v->code = arena_strdup(a, db_col_text(st, 3));
    v->started = db_col_int(st, 4);
    v->submitted = db_col_int(st, 5);
    return v->organisation_name && v->code ? APP_OK : APP_E_NOMEM;
}

int assess_invitation_list(struct db *db, struct arena *a, int64_t round_id,
                           struct assess_invitation **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct assess_invitation *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_AV_LIST, &st, "i", round_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            rc = APP_E_NOMEM;
        else
            rc = read_invitation(st, a, &list[(*n)++]);
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    *out = list;
    db_finalize(st);
    return rc;
}

int assess_invitation_find(struct db *db, struct arena *a, int64_t round_id, const char *code,
                           struct assess_invitation *out)
{
    struct db_stmt *st = NULL;
    int rc;
    if (!code || !*code || strlen(code) > 32)
        return APP_E_NOTFOUND;
    rc = db_row(db, SQL_AV_FIND, &st, "it", round_id, code);
    if (!rc)
        rc = read_invitation(st, a, out);
    db_finalize(st);
    return rc;
}
