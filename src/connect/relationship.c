/* relationship.c: a mentoring or coaching relationship — the agreement both confirm, the
 * meetings logged with their hours, the close with each side's feedback — and the hours a
 * member's portfolio may count
 *
 * Only the two people in a relationship see it; any other id answers as one that does not
 * exist. The agreement is one text both confirm: when either changes it, the other's
 * confirmation is taken back in the same statement, so "both confirmed" always means both
 * confirmed these words. After the close nothing changes but the other side's feedback.
 */
#include "connect/mentoring.h"
#include "connect/mentoring_int.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/uktime.h"
#include "store/db.h"

#include <string.h>

static int rel_row(struct db_stmt *st, struct arena *a, struct connect_relationship *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(st, 0);
    r->match_id = db_col_int(st, 1);
    r->mentee_id = db_col_int(st, 2);
    r->mentor_id = db_col_int(st, 3);
    r->started_at = db_col_int(st, 5);
    r->mentee_confirmed_at = db_col_int(st, 8);
    r->mentor_confirmed_at = db_col_int(st, 9);
    r->closed_at = db_col_int(st, 10);
    r->minutes = db_col_int(st, 15);
    r->meetings = db_col_int(st, 16);
    if (!(r->kind = arena_strdup(a, db_col_text(st, 4))) ||
        !(r->goals = arena_strdup(a, db_col_text(st, 6))) ||
        !(r->frequency = arena_strdup(a, db_col_text(st, 7))) ||
        !(r->mentee_feedback = arena_strdup(a, db_col_text(st, 11))) ||
        !(r->mentor_feedback = arena_strdup(a, db_col_text(st, 12))) ||
        !(r->mentee_name = arena_strdup(a, db_col_text(st, 13))) ||
        !(r->mentor_name = arena_strdup(a, db_col_text(st, 14))))
        return APP_E_NOMEM;
    return APP_OK;
}

int connect_relationship_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                             struct connect_relationship *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_RL_GET, &st, "i", id);
    if (!rc)
        rc = rel_row(st, a, out);
    db_finalize(st);
    if (!rc && user_id != out->mentee_id && user_id != out->mentor_id)
        rc = APP_E_NOTFOUND;
    return rc;
}

int connect_relationships_for(struct db *db, struct arena *a, int64_t user_id,
                              struct connect_relationship **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_RL_FOR, &st, "i", user_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)))
            rc = APP_E_NOMEM;
        else if (!(rc = rel_row(st, a, &(*out)[*n])))
            (*n)++;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

int connect_meetings(struct db *db, struct arena *a, int64_t relationship_id,
                     struct connect_meeting **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_RL_MEETINGS, &st, "i", relationship_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct connect_meeting *m;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        m = &(*out)[*n];
        m->id = db_col_int(st, 0);
        m->met_on = db_col_int(st, 1);
        m->minutes = db_col_int(st, 2);
        if (!(m->logged_by = arena_strdup(a, db_col_text(st, 3)))) {
            rc = APP_E_NOMEM;
            break;
        }
        (*n)++;
        rc = APP_OK;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

/* Loads the relationship for a change inside the caller's transaction, row locked. */
static int load_for_change(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                           struct connect_relationship *r)
{
    int rc = db_run(db, SQL_RL_LOCK, "i", id);
    return rc ? rc : connect_relationship_get(db, a, id, user_id, r);
}

int connect_relationship_agree(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                               const char *goals, const char *frequency, bool confidentiality,
                               int64_t now, struct connect_field_error **errs, size_t *nerrs)
{
    struct connect_relationship r;
    bool oom = false;
    int rc;
    *errs = NULL;
    *nerrs = 0;
    if (!connect_text_ok(goals, CONNECT_TEXT_MAX))
        oom |= !connect_err_add(a, errs, nerrs, "goals",
                                "Enter the goals you agree on, up to 2000 characters");
    if (!connect_text_ok(frequency, CONNECT_NAME_MAX))
        oom |= !connect_err_add(a, errs, nerrs, "frequency",
                                "Enter how often you will meet, up to 120 characters");
    if (!confidentiality)
        oom |= !connect_err_add(a, errs, nerrs, "confidentiality",
                                "Confirm the confidentiality statement");
    if (oom)
        return APP_E_NOMEM;
    if (*nerrs)
        return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = load_for_change(db, a, id, user_id, &r)))
        goto done;
    if (r.closed_at) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    /* new words take both confirmations back; the same words keep the other's */
    if (strcmp(r.goals, goals) || strcmp(r.frequency, frequency))
        rc = db_run(db, SQL_RL_SET_AGREEMENT, "itt", id, goals, frequency);
    if (!rc)
        rc = db_run(db, user_id == r.mentee_id ? SQL_RL_CONFIRM_MENTEE : SQL_RL_CONFIRM_MENTOR,
                    "ii", id, now);
    if (!rc)
        rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_meeting_log(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                        int64_t met_on, int64_t minutes, int64_t now, int64_t *meeting_id,
                        struct connect_field_error **errs, size_t *nerrs)
{
    struct connect_relationship r;
    int rc;
    *errs = NULL;
    *nerrs = 0;
    *meeting_id = 0;
    if ((rc = connect_relationship_get(db, a, id, user_id, &r)))
        return rc;
    /* a day is its 00:00 UTC: the relationship's first day counts, and the UK's today does */
    if (met_on > uk_today(now) || met_on < r.started_at - r.started_at % 86400) {
        if (!connect_err_add(a, errs, nerrs, "met_on",
                             met_on > uk_today(now)
                                 ? "The date of the meeting must be today or in the past"
                                 : "The date of the meeting must be on or after the "
                                   "day the relationship began"))
            return APP_E_NOMEM;
    }
    if (minutes < CONNECT_MEETING_MIN_MINUTES || minutes > CONNECT_MEETING_MAX_MINUTES)
        if (!connect_err_add(a, errs, nerrs, "hours", CONNECT_MEETING_HOURS_RANGE))
            return APP_E_NOMEM;
    if (*nerrs)
        return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = load_for_change(db, a, id, user_id, &r)))
        goto done;
    if (r.closed_at) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    if ((rc = db_run_int(db, SQL_RL_MEETING_INSERT, meeting_id, "iiiii", id, met_on, minutes,
                         user_id, now)))
        goto done;
    rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        *meeting_id = 0;
    }
    return rc;
}

int connect_relationship_close(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                               const char *feedback, int64_t now,
                               struct connect_field_error **errs, size_t *nerrs)
{
    struct connect_relationship r;
    bool mentee;
    int rc;
    *errs = NULL;
    *nerrs = 0;
    if (!connect_text_ok(feedback, CONNECT_TEXT_MAX)) {
        if (!connect_err_add(a, errs, nerrs, "feedback",
                             "Enter your feedback on the relationship, up to 2000 characters"))
            return APP_E_NOMEM;
        return APP_E_INVALID;
    }
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = load_for_change(db, a, id, user_id, &r)))
        goto done;
    mentee = user_id == r.mentee_id;
    if (*(mentee ? r.mentee_feedback : r.mentor_feedback)) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    if ((rc = db_run(db, mentee ? SQL_RL_CLOSE_MENTEE : SQL_RL_CLOSE_MENTOR, "iti", id, feedback,
                     now)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_mentoring_hours(struct db *db, struct arena *a, int64_t user_id,
                            struct connect_hours **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_RL_HOURS, &st, "i", user_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct connect_hours *h;
        bool mentee;
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out))) {
            rc = APP_E_NOMEM;
            break;
        }
        h = &(*out)[*n];
        mentee = db_col_int(st, 2) == user_id;
        h->relationship_id = db_col_int(st, 0);
        h->role = mentee ? "mentee" : "mentor";
        h->started_at = db_col_int(st, 6);
        h->closed_at = db_col_int(st, 7);
        h->minutes = db_col_int(st, 8);
        h->meetings = db_col_int(st, 9);
        h->first_met = db_col_int(st, 10);
        h->last_met = db_col_int(st, 11);
        if (!(h->kind = arena_strdup(a, db_col_text(st, 1))) ||
            !(h->with = arena_strdup(a, db_col_text(st, mentee ? 5 : 4)))) {
            rc = APP_E_NOMEM;
            break;
        }
        (*n)++;
        rc = APP_OK;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}
