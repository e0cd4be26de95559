/* relationship_pages.c: a mentoring or coaching relationship — the agreement both confirm,
 * the meetings logged (a date as day, month and year, and hours), and the close with
 * feedback from each side
 *
 * Only its two people reach it. Each form comes back with what was typed and a message at
 * the field when something is wrong; nothing is stored then.
 */
#include "connect/mentoring_pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "develop/portfolio.h"
#include "web/date_input.h"
#include "web/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIDENTIALITY                                                                            \
    "What we talk about stays between us, unless one of us is worried about the safety of a "      \
    "patient, a colleague or ourselves. Then we will say so first and agree who to tell."

static json_t *model(struct ctx *c, const struct connect_relationship *r,
                     const struct connect_meeting *mt, size_t nmt)
{
    bool mentee = c->user->id == r->mentee_id;
    bool typed = c->req->nerrors > 0;
    bool agreement = typed && c->route && !strcmp(c->route->name, "connect_relationship_agree");
    json_t *list = json_array(), *o, *m, *f;
    for (size_t i = 0; list && i < nmt; i++) {
        json_t *x = jobj(json_object(), "id", jint(mt[i].id));
        x = jobj(x, "date", jdate(mt[i].met_on));
        x = jobj(x, "met_on", jint(mt[i].met_on));
        x = jobj(x, "minutes", jint(mt[i].minutes));
        x = jobj(x, "hours", json_real((double)mt[i].minutes / 60.0));
        x = jobj(x, "length", jstr(connect_page_minutes(c, mt[i].minutes)));
        x = jobj(x, "logged_by", jstr(mt[i].logged_by));
        if (!x || json_array_append_new(list, x)) {
            json_decref(list);
            list = NULL;
        }
    }
    o = jobj(json_object(), "id", jint(r->id));
    o = jobj(o, "kind", jstr(r->kind));
    o = jobj(o, "your_side", jstr(mentee ? "mentee" : "mentor"));
    o = jobj(o, "your_role", jstr(connect_page_side(r->kind, mentee, false)));
    o = jobj(o, "mentee_label", jstr(connect_page_side(r->kind, true, true)));
    o = jobj(o, "mentor_label", jstr(connect_page_side(r->kind, false, true)));
    o = jobj(o, "mentee", jstr(r->mentee_name));
    o = jobj(o, "mentor", jstr(r->mentor_name));
    o = jobj(o, "with", jstr(mentee ? r->mentor_name : r->mentee_name));
    o = jobj(o, "started", jdate(r->started_at));
    o = jobj(o, "goals", jstr(r->goals));
    o = jobj(o, "frequency", jstr(r->frequency));
    o = jobj(o, "has_agreement", jbool(*r->goals != '\0'));
    o = jobj(o, "mentee_confirmed", jbool(r->mentee_confirmed_at != 0));
    o = jobj(o, "mentor_confirmed", jbool(r->mentor_confirmed_at != 0));
    o = jobj(o, "both_confirmed", jbool(r->mentee_confirmed_at && r->mentor_confirmed_at));
    o = jobj(o, "you_confirmed",
             jbool((mentee ? r->mentee_confirmed_at : r->mentor_confirmed_at) != 0));
    o = jobj(o, "closed", jdate(r->closed_at));
    o = jobj(o, "is_closed", jbool(r->closed_at != 0));
    o = jobj(o, "your_feedback", jstr(mentee ? r->mentee_feedback : r->mentor_feedback));
    o = jobj(o, "may_give_feedback", jbool(!*(mentee ? r->mentee_feedback : r->mentor_feedback)));
    o = jobj(o, "minutes", jint(r->minutes));
    o = jobj(o, "total", jstr(connect_page_minutes(c, r->minutes)));
    o = jobj(o, "meeting_count", jint(r->meetings));
    o = jobj(o, "meetings_text",
             jstr(arena_printf(c->arena, "%lld meeting%s", (long long)r->meetings,
                               r->meetings == 1 ? "" : "s")));
    o = jobj(o, "time_together", jstr(connect_page_time_together(c, r->meetings, r->minutes)));
    o = jobj(o, "path",
             jstr(arena_printf(c->arena, "/connect/relationships/%lld", (long long)r->id)));
    /* a form shown again holds what was typed, a refused value included (req_typed), and a
     * box emptied stays empty; the agreement's boxes keep the stored words when another of
     * the page's forms was sent */
    f = jobj(json_object(), "goals", jstr(agreement ? req_typed(c->req, "goals") : r->goals));
    f = jobj(f, "frequency", jstr(agreement ? req_typed(c->req, "frequency") : r->frequency));
    f = jobj(f, "hours", jstr(typed ? req_typed(c->req, "hours") : NULL));
    f = jobj(f, "feedback", jstr(typed ? req_typed(c->req, "feedback") : NULL));
    m = jobj(json_object(), "title",
             jstr(arena_printf(c->arena, "Your %s with %s", r->kind,
                               mentee ? r->mentor_name : r->mentee_name)));
    m = jobj(m, "relationship", o);
    m = jobj(m, "meetings", list);
    m = jobj(m, "has_meetings", jbool(nmt > 0));
    m = jobj(m, "confidentiality", jstr(CONFIDENTIALITY));
    m = jobj(m, "met_on",
             date_input_json(c->req, "met_on", "When did you meet?", "For example, 27 3 2026", 0));
    return jobj(m, "form", f);
}

static int load(struct ctx *c, struct connect_relationship *r, struct connect_meeting **mt,
                size_t *nmt)
{
    int64_t id = connect_page_id(c, "id");
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if ((rc = connect_relationship_get(c->db, c->arena, id, c->user->id, r)))
        return rc;
    return connect_meetings(c->db, c->arena, id, mt, nmt);
}

int page_connect_relationship(struct ctx *c)
{
    struct connect_relationship r;
    struct connect_meeting *mt;
    size_t nmt;
    int rc = load(c, &r, &mt, &nmt);
    return rc ? rc : render(c, 200, "connect/relationship", model(c, &r, mt, nmt));
}

/* After a write: the page again with errors, JSON, or back to the page with a message. */
static int after(struct ctx *c, int rc, const struct connect_field_error *errs, size_t nerrs,
                 const char *flash, int status)
{
    struct connect_relationship r;
    struct connect_meeting *mt;
    size_t nmt;
    int lr;
    if (rc == APP_E_CONFLICT)
        return connect_page_refuse(c, rc,
                                   "This relationship has been closed, or you have given "
                                   "your feedback already.");
    if (rc && rc != APP_E_INVALID)
        return rc;
    if ((lr = connect_page_errors(c, errs, nerrs)))
        return lr;
    if ((lr = load(c, &r, &mt, &nmt)))
        return lr;
    if (c->req->nerrors)
        return render_invalid(c, "connect/relationship", model(c, &r, mt, nmt));
    if (c->want_json)
        return render(c, status, NULL, model(c, &r, mt, nmt));
    if ((lr = flash_set(c, flash)))
        return lr;
    return resp_redirect(c, arena_printf(c->arena, "/connect/relationships/%lld", (long long)r.id));
}

int page_connect_relationship_agree(struct ctx *c)
{
    struct connect_field_error *errs = NULL;
    size_t nerrs = 0;
    int rc = APP_E_INVALID;
    int64_t id = connect_page_id(c, "id");
    if (!id)
        return APP_E_NOTFOUND;
    if (!c->req->nerrors)
        rc = connect_relationship_agree(c->db, c->arena, id, c->user->id,
                                        req_field(c->req, "goals"), req_field(c->req, "frequency"),
                                        req_field_bool(c->req, "confidentiality"),
                                        (int64_t)time(NULL), &errs, &nerrs);
    return after(c, rc, errs, nerrs, "connect_agreement_saved", 200);
}

/* Hours as typed ("1", "1.5", ".75") to whole minutes; false when not digits with at most
 * one decimal point, after a minus sign if any. strtod alone also read "1e1" as 10 hours, and
 * hex, "inf" and "nan". One too large for llround to turn into minutes is one past the most. */
static bool hours_minutes(const char *s, int64_t *out)
{
    char *end;
    double h;
    size_t digits = 0, points = 0;
    if (!s || !*s)
        return false;
    for (const char *p = *s == '-' ? s + 1 : s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && !points)
            points++;
        else
            return false;
    }
    if (!digits)
        return false;
    h = strtod(s, &end);
    if (*end || !isfinite(h))
        return false;
    *out = fabs(h) > CONNECT_MEETING_MAX_MINUTES ? CONNECT_MEETING_MAX_MINUTES + 1
                                                 : (int64_t)llround(h * 60.0);
    return true;
}

int page_connect_meeting_log(struct ctx *c)
{
    struct connect_field_error *errs = NULL;
    size_t nerrs = 0;
    int64_t id = connect_page_id(c, "id"), met_on = 0, minutes = 0, mid = 0;
    int rc = APP_E_INVALID;
    bool date_ok, hours_ok;
    if (!id)
        return APP_E_NOTFOUND;
    /* a part the request layer refused keeps its own message, without "Enter the date" */
    date_ok =
        date_input_required(c->req, "met_on", "The date of the meeting",
                            "Enter the date of the meeting with a day, month and year", &met_on);
    hours_ok = hours_minutes(req_field(c->req, "hours"), &minutes);
    if (!hours_ok && !req_error(c->req, "hours") &&
        (rc = req_add_error(c->req, "hours", "Enter the hours as a number, like 1 or 1.5")))
        return rc;
    /* a number, but one no meeting lasts (-1, 99999): its range, told beside the date's */
    if (hours_ok &&
        (minutes < CONNECT_MEETING_MIN_MINUTES || minutes > CONNECT_MEETING_MAX_MINUTES)) {
        hours_ok = false;
        if ((rc = req_add_error(c->req, "hours", CONNECT_MEETING_HOURS_RANGE)))
            return rc;
    }
    rc = APP_E_INVALID;
    if (date_ok && hours_ok && !c->req->nerrors)
        rc = connect_meeting_log(c->db, c->arena, id, c->user->id, met_on, minutes,
                                 (int64_t)time(NULL), &mid, &errs, &nerrs);
    return after(c, rc, errs, nerrs, "connect_meeting_logged", 201);
}

int page_connect_relationship_close(struct ctx *c)
{
    struct connect_field_error *errs = NULL;
    size_t nerrs = 0;
    int rc = APP_E_INVALID;
    int64_t id = connect_page_id(c, "id");
    if (!id)
        return APP_E_NOTFOUND;
    if (!c->req->nerrors)
        rc = connect_relationship_close(c->db, c->arena, id, c->user->id,
                                        req_field(c->req, "feedback"), (int64_t)time(NULL), &errs,
                                        &nerrs);
    return after(c, rc, errs, nerrs, "connect_feedback_saved", 200);
}

/* The member's side of a relationship, its meetings so far, as an entry of their Develop
 * portfolio: a mentor's as a role that shows leadership and teaching, a mentee's as
 * training. Each press adds an entry the member can then edit, put on their CV or delete. */
int page_connect_relationship_portfolio(struct ctx *c)
{
    struct connect_hours *h;
    const struct connect_hours *mine = NULL;
    struct develop_field_error errs[4];
    struct develop_entry e = {0};
    int64_t id = connect_page_id(c, "id"), now = (int64_t)time(NULL);
    size_t n;
    bool mentor, coaching;
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if ((rc = connect_mentoring_hours(c->db, c->arena, c->user->id, &h, &n)))
        return rc;
    for (size_t i = 0; i < n; i++)
        if (h[i].relationship_id == id)
            mine = &h[i];
    if (!mine)
        return APP_E_NOTFOUND; /* not theirs */
    if (!mine->meetings)
        return connect_page_refuse(c, APP_E_CONFLICT,
                                   "Log a meeting first: the portfolio entry says how many "
                                   "meetings and hours there have been.");
    mentor = !strcmp(mine->role, "mentor");
    coaching = !strcmp(mine->kind, "coaching");
    e.user_id = c->user->id;
    e.kind = mentor ? "role" : "training";
    e.title = arena_printf(c->arena, "%s %s",
                           mentor ? (coaching ? "Coach to" : "Mentor to")
                                  : (coaching ? "Coached by" : "Mentored by"),
                           mine->with);
    e.context = coaching ? "Coaching through AHP Hub Connect"
                         : "Cross-profession mentoring through AHP Hub Connect";
    e.started_on = mine->first_met - mine->first_met % 86400;
    e.ended_on = mine->closed_at ? mine->last_met - mine->last_met % 86400 : 0;
    e.body =
        arena_printf(c->arena, "%lld meeting%s, %lld.%lld hours in all.", (long long)mine->meetings,
                     mine->meetings == 1 ? "" : "s", (long long)(mine->minutes / 60),
                     (long long)(mine->minutes % 60 * 10 / 60));
    e.skills = mentor ? "leadership,teaching" : "leadership";
    e.domains = "";
    if (!e.title || !e.body)
        return APP_E_NOMEM;
    if (e.ended_on && e.ended_on < e.started_on)
        e.ended_on = e.started_on;
    if (develop_entry_check(&e, NULL, errs, sizeof errs / sizeof errs[0]))
        return connect_page_refuse(c, APP_E_INVALID, errs[0].message);
    rc = develop_entry_save(c->db, &e, false, now);
    if (rc == APP_E_TOOBIG)
        return connect_page_refuse(c, APP_E_CONFLICT,
                                   "Your portfolio is full: delete an entry to make room.");
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(json_object(), "entry", jint(e.id)));
    if ((rc = flash_set(c, "connect_portfolio_added")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/develop/portfolio/%lld", (long long)e.id));
}
