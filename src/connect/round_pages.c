/* round_pages.c: matching rounds for programme leads — the list with a form to create one,
 * a round's page (run it; its matches with why; who is unmatched and why; the mentors'
 * places; shares matched by profession and region under the disclosure rule) — and a
 * mentee's choice from their next best five in a self-select round
 *
 * The lead sees names: they run the programme and must follow up whoever is unmatched. The
 * shares are the only figures meant to be passed on, so only they go through the rule.
 */
#include "connect/mentoring_pages.h"
#include "account/account.h"
#include "account/cohort.h"
#include "app.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/json_counts.h"
#include "web/render.h"
#include "text/disclosure.h"

#include <string.h>
#include <time.h>

static json_t *round_json(struct ctx *c, const struct connect_round *r)
{
    json_t *o = jobj(json_object(), "id", jint(r->id));
    const char *band = "";
    for (size_t i = 0; i < connect_bands_count; i++)
        if (score_band(connect_bands[i].code) == r->min_mentor_band)
            band = connect_bands[i].name;
    o = jobj(o, "name", jstr(r->name));
    o = jobj(o, "cohort", jstr(r->cohort_name));
    o = jobj(o, "cohort_id", jint(r->cohort_id));
    o = jobj(o, "kind", jstr(r->kind));
    o = jobj(o, "kind_name", jstr(connect_page_kind(r->kind)));
    o = jobj(o, "min_mentor_band", jstr(band));
    o = jobj(o, "need_accreditation", jbool(r->need_accreditation));
    o = jobj(o, "self_select", jbool(r->self_select));
    o = jobj(o, "created", jdate(r->created_at));
    o = jobj(o, "has_run", jbool(r->run_at != 0));
    o = jobj(o, "run", jdate(r->run_at));
    o = jobj(o, "total_score", json_real((double)r->total / 1000.0));
    o = jobj(o, "mentees", jint(r->mentees));
    o = jobj(o, "mentors", jint(r->mentors));
    o = jobj(o, "proposed", jint(r->proposed));
    o = jobj(o, "accepted", jint(r->accepted));
    o = jobj(o, "declined", jint(r->declined));
    o = jobj(o, "unmatched", jint(r->unmatched));
    return jobj(o, "path", jstr(arena_printf(c->arena, "/connect/rounds/%lld", (long long)r->id)));
}

static json_t *rounds_model(struct ctx *c)
{
    struct connect_round *r;
    struct cohort *co;
    size_t n, nco;
    json_t *list = json_array(), *cohorts = json_array(), *m, *kinds;
    const char *kind = req_field(c->req, "kind");
    int64_t chosen = req_field_int(c->req, "cohort", 0);
    if (connect_round_list(c->db, c->arena, &r, &n) ||
        account_cohort_list(c->db, c->arena, &co, &nco)) {
        json_decref(list);
        json_decref(cohorts);
        return NULL;
    }
    for (size_t i = 0; list && i < n; i++)
        if (json_array_append_new(list, round_json(c, &r[i]))) {
            json_decref(list);
            list = NULL;
        }
    if (cohorts)
        json_array_append_new(cohorts, json_pack("{s:s, s:s, s:b}", "value", "", "text",
                                                 "Choose a cohort", "selected", chosen == 0));
    for (size_t i = 0; cohorts && i < nco; i++) {
        json_t *o = json_pack(
            "{s:I, s:s, s:b}", "value", (json_int_t)co[i].id, "text",
            arena_printf(c->arena, "%s (%lld members)", co[i].name, (long long)co[i].members),
            "selected", chosen == co[i].id);
        if (!o || json_array_append_new(cohorts, o)) {
            json_decref(cohorts);
            cohorts = NULL;
        }
    }
    kinds = json_pack("[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:s, s:b}]", "value", "mentoring", "text",
                      "Mentoring", "id", "kind", "checked", !kind || !strcmp(kind, "mentoring"),
                      "value", "coaching", "text", "Coaching", "id", "kind-1", "checked",
                      kind && !strcmp(kind, "coaching"));
    m = jobj(json_object(), "title", jstr("Matching rounds"));
    m = jobj(m, "rounds", list);
    m = jobj(m, "cohorts", cohorts);
    m = jobj(m, "kinds", kinds);
    return jobj(m, "bands",
                connect_page_choices(connect_bands, connect_bands_count,
                                     req_field(c->req, "min_band"), "Any band"));
}

int page_connect_rounds(struct ctx *c)
{
    return render(c, 200, "connect/rounds", rounds_model(c));
}

int page_connect_round_create(struct ctx *c)
{
    struct connect_round in;
    struct connect_field_error *errs = NULL;
    size_t nerrs = 0;
    const char *band = req_field(c->req, "min_band");
    int64_t id = 0;
    int rc;
    memset(&in, 0, sizeof in);
    in.name = req_field(c->req, "name");
    in.cohort_id = req_field_int(c->req, "cohort", 0);
    in.kind = req_field(c->req, "kind");
    in.need_accreditation = req_field_bool(c->req, "need_accreditation");
    in.self_select = req_field_bool(c->req, "self_select");
    if (band && *band) {
        in.min_mentor_band =
            connect_choice_name(connect_bands, connect_bands_count, band) ? score_band(band) : -1;
    }
    if (!c->req->nerrors) {
        rc = connect_round_create(c->db, c->arena, c->user->id, &in, (int64_t)time(NULL), &id,
                                  &errs, &nerrs);
        if (rc && rc != APP_E_INVALID)
            return rc;
        if ((rc = connect_page_errors(c, errs, nerrs)))
            return rc;
    }
    if (c->req->nerrors)
        return render_invalid(c, "connect/rounds", rounds_model(c));
    if (c->want_json) {
        struct connect_round r;
        if ((rc = connect_round_get(c->db, c->arena, id, &r)))
            return rc;
        return render(c, 201, NULL, jobj(json_object(), "round", round_json(c, &r)));
    }
    if ((rc = flash_set(c, "connect_round_created")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/rounds/%lld", (long long)id));
}

static json_t *people_json(struct ctx *c, const struct connect_round_person *p, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "user_id", jint(p[i].user_id));
        o = jobj(o, "name", jstr(p[i].display_name));
        o = jobj(o, "email", jstr(p[i].email));
        o = jobj(o, "profession", jstr(connect_page_profession(p[i].profession)));
        o = jobj(o, "region", jstr(connect_page_region(p[i].region)));
        o = jobj(o, "reason", jstr(p[i].reason));
        o = jobj(o, "capacity", jint(p[i].capacity));
        o = jobj(o, "load", jint(p[i].load));
        o = jobj(o, "eligible", jbool(!*p[i].reason));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    (void)c;
    return arr;
}

/* Shares under the disclosure rule: counts as published text, a suppressed share as null
 * with the reason. */
static json_t *shares_json(const struct connect_share *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "code", s[i].code, "name", s[i].name,
                              "mentees", s[i].mentees, "matched", s[i].matched);
        o = jobj(o, "share_percent", s[i].share_shown ? jint(s[i].percent) : json_null());
        o = jobj(o, "share_text", jstr(s[i].share_shown ? NULL : "*"));
        o = jobj(o, "share_shown", jbool(s[i].share_shown));
        o = jobj(
            o, "suppressed_reason",
            s[i].share_shown
                ? json_null()
                : jstr("A share would reveal a group of 1 to " DISCLOSURE_HIDDEN_UP_TO " people"));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int page_connect_round(struct ctx *c)
{
    struct connect_round r;
    struct connect_match *ms;
    struct connect_round_person *un, *mentors;
    struct connect_share *byp, *byr;
    size_t nms, nun, nmentors, nbyp, nbyr;
    json_t *matches = json_array(), *m;
    int64_t id = connect_page_id(c, "id");
    int rc;
    if (!id) {
        json_decref(matches);
        return APP_E_NOTFOUND;
    }
    if ((rc = connect_round_get(c->db, c->arena, id, &r)) ||
        (rc = connect_round_matches(c->db, c->arena, id, &ms, &nms)) ||
        (rc = connect_round_unmatched(c->db, c->arena, id, &un, &nun)) ||
        (rc = connect_round_mentors(c->db, c->arena, id, &mentors, &nmentors)) ||
        (rc = connect_round_shares(c->db, c->arena, id, false, &byp, &nbyp)) ||
        (rc = connect_round_shares(c->db, c->arena, id, true, &byr, &nbyr))) {
        json_decref(matches);
        return rc;
    }
    for (size_t i = 0; matches && i < nms; i++)
        if (json_array_append_new(matches, connect_page_match_json(c, &ms[i], ms[i].mentee_id))) {
            json_decref(matches);
            matches = NULL;
        }
    m = jobj(json_object(), "title", jstr(r.name));
    /* the sides as the round's kind calls them (coach and coachee in coaching) */
    m = jobj(m, "mentor_word", jstr(connect_page_side(r.kind, false, false)));
    m = jobj(m, "mentee_word", jstr(connect_page_side(r.kind, true, false)));
    m = jobj(m, "mentor_label", jstr(connect_page_side(r.kind, false, true)));
    m = jobj(m, "mentee_label", jstr(connect_page_side(r.kind, true, true)));
    m = jobj(m, "mentors_word", jstr(connect_page_sides(r.kind, false, false)));
    m = jobj(m, "mentees_word", jstr(connect_page_sides(r.kind, true, false)));
    m = jobj(m, "mentors_label", jstr(connect_page_sides(r.kind, false, true)));
    m = jobj(m, "mentees_label", jstr(connect_page_sides(r.kind, true, true)));
    m = jobj(m, "round", round_json(c, &r));
    m = jobj(m, "matches", matches);
    m = jobj(m, "unmatched", people_json(c, un, nun));
    m = jobj(m, "mentors", people_json(c, mentors, nmentors));
    m = jobj(m, "shares_by_profession", shares_json(byp, nbyp));
    m = jobj(m, "shares_by_region", shares_json(byr, nbyr));
    if (c->want_json && m) { /* the shares' counts as numbers (web/json_counts.h) */
        static const char *const counts[] = {"mentees", "matched", NULL};
        if (json_published_counts(m, counts)) {
            json_decref(m);
            return APP_E_NOMEM;
        }
    }
    return render(c, 200, "connect/round", m);
}

int page_connect_round_run(struct ctx *c)
{
    int64_t id = connect_page_id(c, "id");
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    rc = connect_round_run(c->db, c->arena, c->user->id, id, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT)
        return connect_page_refuse(c, rc, "This round has been run already.");
    if (rc == APP_E_INVALID)
        return connect_page_refuse(c, rc, "The round's cohort has been deleted.");
    if (rc)
        return rc;
    if (c->want_json) {
        struct connect_round r;
        if ((rc = connect_round_get(c->db, c->arena, id, &r)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "round", round_json(c, &r)));
    }
    if ((rc = flash_set(c, "connect_round_run")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/rounds/%lld", (long long)id));
}

int page_connect_round_choose(struct ctx *c)
{
    int64_t id = connect_page_id(c, "id"), mentor = req_field_int(c->req, "mentor", 0), match = 0;
    struct connect_round r;
    const char *who;
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    /* the refusals name the side as the round does: a coach in a coaching round */
    if ((rc = connect_round_get(c->db, c->arena, id, &r)))
        return rc;
    who = connect_page_side(r.kind, false, false);
    if (c->req->nerrors || mentor <= 0)
        return connect_page_refuse(c, APP_E_INVALID,
                                   arena_printf(c->arena, "Choose a %s from your list.", who));
    rc =
        connect_round_choose(c->db, c->arena, id, c->user->id, mentor, (int64_t)time(NULL), &match);
    if (rc == APP_E_FORBIDDEN)
        return connect_page_refuse(c, rc,
                                   arena_printf(c->arena,
                                                "In this round %s are assigned, not chosen.",
                                                connect_page_sides(r.kind, false, false)));
    if (rc == APP_E_CONFLICT)
        return connect_page_refuse(c, rc, "You have accepted a match in this round already.");
    if (rc == APP_E_INVALID)
        return connect_page_refuse(c, rc,
                                   arena_printf(c->arena,
                                                "That %s is not among your choices any more: "
                                                "they may be full. Choose again from your list.",
                                                who));
    if (rc)
        return rc;
    if (c->want_json) {
        struct connect_match mt;
        if ((rc = connect_match_get(c->db, c->arena, match, c->user->id, &mt)))
            return rc;
        return render(c, 201, NULL,
                      jobj(json_object(), "match", connect_page_match_json(c, &mt, c->user->id)));
    }
    if ((rc = flash_set(c, "connect_chosen")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/matches/%lld", (long long)match));
}
