/* match_answer.c: a proposed match as its mentee and mentor see it — accept, decline (which
 * rematches), and in a self-select round the mentee's choice from their next best five
 *
 * Each answer is one transaction that first locks the match's row (a no-op update), so two
 * answers racing — the mentee accepting while the mentor declines — run one after the other
 * and the second sees the first. A match is "proposed" until both accept ("accepted", and the
 * relationship starts) or one declines ("declined": the pair is never proposed again, and
 * the round is re-solved for everyone unmatched within the places still free).
 */
#include "connect/mentoring.h"
#include "connect/mentoring_int.h"
#include "connect/nextbest.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

static int match_row(struct db_stmt *st, struct arena *a, struct connect_match *m)
{
    memset(m, 0, sizeof *m);
    m->id = db_col_int(st, 0);
    m->round_id = db_col_int(st, 1);
    m->mentee_id = db_col_int(st, 2);
    m->mentor_id = db_col_int(st, 3);
    m->score = db_col_int(st, 4);
    m->created_at = db_col_int(st, 9);
    m->decided_at = db_col_int(st, 10);
    m->self_select = db_col_int(st, 13) != 0;
    m->relationship_id = db_col_int(st, 22);
    if (!(m->why = arena_strdup(a, db_col_text(st, 5))) ||
        !(m->status = arena_strdup(a, db_col_text(st, 6))) ||
        !(m->mentee_answer = arena_strdup(a, db_col_text(st, 7))) ||
        !(m->mentor_answer = arena_strdup(a, db_col_text(st, 8))) ||
        !(m->round_name = arena_strdup(a, db_col_text(st, 11))) ||
        !(m->kind = arena_strdup(a, db_col_text(st, 12))) ||
        !(m->mentee_name = arena_strdup(a, db_col_text(st, 14))) ||
        !(m->mentee_email = arena_strdup(a, db_col_text(st, 15))) ||
        !(m->mentor_name = arena_strdup(a, db_col_text(st, 16))) ||
        !(m->mentor_email = arena_strdup(a, db_col_text(st, 17))) ||
        !(m->mentee_profession = arena_strdup(a, db_col_text(st, 18))) ||
        !(m->mentee_region = arena_strdup(a, db_col_text(st, 19))) ||
        !(m->mentor_profession = arena_strdup(a, db_col_text(st, 20))) ||
        !(m->mentor_region = arena_strdup(a, db_col_text(st, 21))))
        return APP_E_NOMEM;
    return APP_OK;
}

int connect_match_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                      struct connect_match *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_CM_GET, &st, "i", id);
    if (!rc)
        rc = match_row(st, a, out);
    db_finalize(st);
    if (!rc && user_id != out->mentee_id && user_id != out->mentor_id)
        rc = APP_E_NOTFOUND; /* as if there were none: nothing tells it exists */
    return rc;
}

static int match_rows(struct db *db, struct arena *a, const char *sql, int64_t arg,
                      struct connect_match **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, sql, &st, "i", arg);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)))
            rc = APP_E_NOMEM;
        else if (!(rc = match_row(st, a, &(*out)[*n])))
            (*n)++;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

int connect_matches_for(struct db *db, struct arena *a, int64_t user_id,
                        struct connect_match **out, size_t *n)
{
    return match_rows(db, a, SQL_CM_FOR, user_id, out, n);
}

int connect_round_matches(struct db *db, struct arena *a, int64_t round_id,
                          struct connect_match **out, size_t *n)
{
    return match_rows(db, a, SQL_CR_MATCHES, round_id, out, n);
}

int connect_match_answer(struct db *db, struct arena *a, int64_t match_id, int64_t user_id,
                         bool accept, int64_t now, int64_t *relationship_id)
{
    struct connect_match m;
    bool mentee;
    const char *other;
    size_t made = 0;
    int rc;
    *relationship_id = 0;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run(db, SQL_CM_LOCK, "i", match_id)) ||
        (rc = connect_match_get(db, a, match_id, user_id, &m)))
        goto done;
    mentee = user_id == m.mentee_id;
    if (strcmp(m.status, "proposed") || *(mentee ? m.mentee_answer : m.mentor_answer)) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    other = mentee ? m.mentor_answer : m.mentee_answer;
    if ((rc = db_run(db, mentee ? SQL_CM_ANSWER_MENTEE : SQL_CM_ANSWER_MENTOR, "it", match_id,
                     accept ? "accepted" : "declined")))
        goto done;
    if (!accept) {
        if ((rc = db_run(db, SQL_CM_STATUS, "iti", match_id, "declined", now)))
            goto done;
        rc = connect_round_rematch(db, a, m.round_id, now, &made);
    } else if (!strcmp(other, "accepted")) {
        if ((rc = db_run(db, SQL_CM_STATUS, "iti", match_id, "accepted", now)))
            goto done;
        rc = db_run_int(db, SQL_CM_REL_INSERT, relationship_id, "iiiti", match_id, m.mentee_id,
                        m.mentor_id, m.kind, now);
    }
    if (!rc)
        rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        *relationship_id = 0;
    }
    return rc;
}

/* The mentee's candidates that may still be proposed, with the mentor they have now (0). */
static int options(struct db *db, struct arena *a, int64_t round_id, int64_t mentee_id,
                   struct connect_option **out, size_t *n, size_t *nshown, int64_t *current,
                   bool *accepted)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = *nshown = 0;
    *current = 0;
    *accepted = false;
    rc = db_row(db, SQL_CR_MENTEE_ACTIVE, &st, "ii", round_id, mentee_id);
    if (rc == APP_OK) {
        *current = db_col_int(st, 0);
        *accepted = !strcmp(db_col_text(st, 1), "accepted");
    } else if (rc != APP_E_NOTFOUND) {
        return rc;
    }
    db_finalize(st);
    st = NULL;
    if ((rc = db_prepare_bind(db, SQL_CR_MENTEE_CANDIDATES, &st, "ii", round_id, mentee_id)))
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct connect_option *o;
        int64_t mentor = db_col_int(st, 0), capacity = db_col_int(st, 6),
                load = db_col_int(st, 7), used = db_col_int(st, 8);
        if (used || (mentor != *current && load >= capacity))
            continue; /* declined before, or full */
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        o = &(*out)[*n];
        o->mentor_id = mentor;
        o->score = db_col_int(st, 1);
        if (!(o->why = arena_strdup(a, db_col_text(st, 2))) ||
            !(o->name = arena_strdup(a, db_col_text(st, 3))) ||
            !(o->profession = arena_strdup(a, db_col_text(st, 4))) ||
            !(o->region = arena_strdup(a, db_col_text(st, 5)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        (*n)++;
    }
    if (rc != DB_DONE)
        goto done;
    rc = APP_OK;
    *nshown = connect_next_best(*out, *n, *current);
done:
    db_finalize(st);
    return rc;
}

int connect_round_options(struct db *db, struct arena *a, int64_t round_id, int64_t mentee_id,
                          struct connect_option **out, size_t *n)
{
    size_t all;
    int64_t current;
    bool accepted;
    return options(db, a, round_id, mentee_id, out, &all, n, &current, &accepted);
}

int connect_round_choose(struct db *db, struct arena *a, int64_t round_id, int64_t mentee_id,
                         int64_t mentor_id, int64_t now, int64_t *match_id)
{
    struct connect_round r;
    struct connect_option *o = NULL;
    size_t n = 0, shown = 0;
    int64_t current = 0;
    bool accepted = false, listed = false;
    const struct connect_option *pick = NULL;
    int rc;
    *match_id = 0;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = connect_round_get(db, a, round_id, &r)))
        goto done;
    if (!r.self_select || !r.run_at) {
        rc = APP_E_FORBIDDEN;
        goto done;
    }
    if ((rc = options(db, a, round_id, mentee_id, &o, &n, &shown, &current, &accepted)))
        goto done;
    if (accepted) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    for (size_t i = 0; i < shown && !listed; i++)
        if (o[i].mentor_id == mentor_id) {
            listed = true;
            pick = &o[i];
        }
    if (!listed) {
        rc = APP_E_INVALID;
        goto done;
    }
    if (current && (rc = db_run(db, SQL_CR_REPLACE, "iii", round_id, mentee_id, now)))
        goto done;
    if ((rc = db_run_int(db, SQL_CR_MATCH_INSERT, match_id, "iiiitti", round_id, mentee_id,
                         pick->mentor_id, pick->score, pick->why, "accepted", now)) ||
        (rc = db_run(db, SQL_CR_SET_REASON, "iit", round_id, mentee_id, "")))
        goto done;
    rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        *match_id = 0;
    }
    return rc;
}
