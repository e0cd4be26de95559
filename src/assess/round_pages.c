/* round_pages.c: Assess rounds: the list, creating, managing and closing a round, invitation links
 */
#include "app.h"
#include "assess/results.h"
#include "assess/pages.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/date_input.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

int page_assess_index(struct ctx *c)
{
    struct assess_round *rs;
    size_t n;
    int64_t now = (int64_t)time(NULL);
    json_t *open = json_array(), *other = json_array(), *m;
    int rc = assess_round_list(c->db, c->arena, &rs, &n);
    if (rc) {
        json_decref(open);
        json_decref(other);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        enum assess_round_state st = assess_round_state(&rs[i], now);
        json_t *o;
        if (assess_page_can_manage(c) && (rc = assess_round_count(c->db, &rs[i]))) {
            json_decref(open);
            json_decref(other);
            return rc;
        }
        o = assess_page_round_json(&rs[i], now);
        if (assess_page_can_manage(c))
            o = assess_page_with_counts(o, &rs[i]);
        /* Everyone sees open rounds and closed ones (for their benchmarks); upcoming ones
         * only those who run them. */
        if (st == ARS_UPCOMING && !assess_page_can_manage(c)) {
            json_decref(o);
            continue;
        }
        if (!o || json_array_append_new(st == ARS_OPEN ? open : other, o)) {
            json_decref(open);
            json_decref(other);
            return APP_E_NOMEM;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Digital capability assessments"));
    m = jobj(m, "has_open", jbool(json_array_size(open) > 0));
    m = jobj(m, "has_other", jbool(json_array_size(other) > 0));
    m = jobj(m, "open_rounds", open);
    m = jobj(m, "other_rounds", other);
    m = jobj(m, "can_manage", jbool(assess_page_can_manage(c)));
    m = jobj(m, "is_admin", jbool(c->user && c->user->role == ROLE_ADMIN));
    return render(c, 200, "assess/index", m);
}

/* ---- rounds: creating and managing ---- */

static json_t *round_form_model(struct ctx *c)
{
    struct assess_version_info *vs = NULL;
    size_t n = 0;
    int64_t chosen = req_field_int(c->req, "instrument", 0);
    const char *aud = req_field(c->req, "audience"), *mode = req_field(c->req, "mode");
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Start an assessment round"));
    json_t *ins = json_array(), *f;
    assess_version_latest(c->db, c->arena, &vs, &n);
    for (size_t i = 0; ins && i < n; i++) {
        json_t *o = assess_page_version_json(&vs[i]);
        o = jobj(o, "selected", jbool(vs[i].id == chosen || (!chosen && i == 0)));
        if (!o || json_array_append_new(ins, o)) {
            json_decref(ins);
            ins = NULL;
        }
    }
    /* as typed, a title refused for its length included, so it can be shortened */
    f = jobj(json_object(), "title", jstr(req_typed(c->req, "title")));
    m = jobj(m, "opens_input",
             date_input_json(c->req, "opens", "Opening date (optional)",
                             "For example, 1 12 2026. Leave it empty to open "
                             "the round now",
                             0));
    m = jobj(m, "closes_input",
             date_input_json(c->req, "closes", "Closing date (optional)",
                             "People can answer until the end of this day. "
                             "For example, 31 1 2027",
                             0));
    f = jobj(f, "audience_individual", jbool(!aud || !strcmp(aud, "individual")));
    f = jobj(f, "audience_team", jbool(aud && !strcmp(aud, "team")));
    f = jobj(f, "audience_organisation", jbool(aud && !strcmp(aud, "organisation")));
    f = jobj(f, "mode_anonymous", jbool(!mode || !strcmp(mode, "anonymous")));
    f = jobj(f, "mode_named", jbool(mode && !strcmp(mode, "named")));
    m = jobj(m, "form", f);
    m = jobj(m, "instruments", ins);
    return jobj(m, "organisations",
                assess_page_org_options(c, req_field_int(c->req, "organisation", 0)));
}

int page_assess_round_new_form(struct ctx *c)
{
    return render(c, 200, "assess/round_form", round_form_model(c));
}

int page_assess_round_create(struct ctx *c)
{
    struct assess_round_input in = {0};
    struct assess_instrument ins;
    const char *mode = req_field(c->req, "mode"), *slug = NULL;
    int64_t id = 0;
    int rc;
    in.title = req_field(c->req, "title");
    in.instrument_id = req_field_int(c->req, "instrument", 0);
    in.audience = req_field(c->req, "audience");
    in.anonymous = !mode || strcmp(mode, "named") != 0;
    in.organisation_id = req_field_int(c->req, "organisation", 0);
    if (mode && strcmp(mode, "named") && strcmp(mode, "anonymous"))
        req_add_error(c->req, "mode", "Choose anonymous or named");
    if (in.audience && strcmp(in.audience, "individual") && strcmp(in.audience, "team") &&
        strcmp(in.audience, "organisation"))
        req_add_error(c->req, "audience",
                      "Choose who answers: individuals, teams or organisations");
    /* NHS.UK date inputs (opens-day …), or from the API one ISO field each (web/date_input.h) */
    date_input_field(c->req, "opens", "The opening date", &in.opens_at);
    date_input_field(c->req, "closes", "The closing date", &in.closes_at);
    if (in.closes_at)
        in.closes_at += 86400; /* open until the end of the closing day */
    if (in.opens_at && in.closes_at && in.closes_at <= in.opens_at)
        req_add_error(c->req, "closes", "The closing date must be on or after the opening date");
    rc = in.instrument_id > 0
             ? assess_version_load(c->db, c->app->assess_versions, c->arena, in.instrument_id, &ins)
             : APP_E_NOTFOUND;
    if (rc == APP_E_NOTFOUND)
        req_add_error(c->req, "instrument", "Choose an instrument from the list");
    else if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "assess/round_form", round_form_model(c));
    rc = assess_round_create(c->db, c->arena, &in, c->user->id, &id, &slug);
    if (rc == APP_E_CONFLICT) { /* the organisation went away meanwhile */
        req_add_error(c->req, "organisation", "Choose an organisation from the list");
        return render_invalid(c, "assess/round_form", round_form_model(c));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(json_object(), "slug", jstr(slug)));
    rc = flash_set(c, "round_saved");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/assess/%s/manage", slug));
}

int page_assess_manage(struct ctx *c)
{
    struct assess_round r;
    struct assess_invitation *inv;
    size_t n;
    int64_t now = (int64_t)time(NULL);
    json_t *m, *links, *f;
    const char *base = assess_page_link_base(c);
    int rc = assess_page_load_round(c, &r, NULL);
    if (!rc)
        rc = assess_round_count(c->db, &r);
    if (!rc)
        rc = assess_invitation_list(c->db, c->arena, r.id, &inv, &n);
    if (rc)
        return rc;
    links = json_array();
    for (size_t i = 0; links && i < n; i++) {
        json_t *o = jobj(json_object(), "organisation", jstr(inv[i].organisation_name));
        o = jobj(o, "code", jstr(inv[i].code));
        o = jobj(
            o, "url",
            jstr(arena_printf(c->arena, "%s/assess/%s/invitation/%s", base, r.slug, inv[i].code)));
        o = jobj(o, "started", jint(inv[i].started));
        o = jobj(o, "submitted", jint(inv[i].submitted));
        if (!o || json_array_append_new(links, o)) {
            json_decref(links);
            links = NULL;
        }
    }
    f = jobj(json_object(), "title", jstr(c->req->nerrors ? req_typed(c->req, "title") : r.title));
    m = jobj(json_object(), "title", jstr(r.title));
    m = jobj(m, "opens_input",
             date_input_json(c->req, "opens", "Opening date (optional)", "For example, 1 12 2026",
                             r.opens_at));
    m = jobj(m, "closes_input",
             date_input_json(c->req, "closes", "Closing date (optional)",
                             "People can answer until the end of this day. A past date closes "
                             "the round. For example, 31 1 2027",
                             r.closes_at ? r.closes_at - 1 - (r.closes_at - 1) % 86400 : 0));
    m = jobj(m, "round", assess_page_with_counts(assess_page_round_json(&r, now), &r));
    /* a closed round's dates are fixed (it never reopens): shown as text, not as fields,
     * unless a form that sent them is shown again with their errors */
    m = jobj(m, "dates_editable",
             jbool(assess_round_state(&r, now) != ARS_CLOSED || req_error(c->req, "opens") ||
                   req_error(c->req, "closes")));
    m = jobj(m, "form", f);
    m = jobj(m, "invitations", links);
    m = jobj(m, "round_url", jstr(arena_printf(c->arena, "%s/assess/%s", base, r.slug)));
    return render(c, c->req->nerrors ? 400 : 200, "assess/manage",
                  jobj(m, "organisations", assess_page_org_options(c, 0)));
}

int page_assess_round_edit(struct ctx *c)
{
    struct assess_round r;
    int64_t opens = 0, closes = 0, now = (int64_t)time(NULL);
    const char *title = req_field(c->req, "title");
    int rc = assess_page_load_round(c, &r, NULL);
    if (rc)
        return rc;
    date_input_field(c->req, "opens", "The opening date", &opens);
    date_input_field(c->req, "closes", "The closing date", &closes);
    if (assess_round_state(&r, now) == ARS_CLOSED) {
        /* its figures are published: it is never reopened, and a date that would change
         * nothing is refused rather than "saved" (an unchanged or empty date is fine) */
        int64_t day = r.closes_at ? (r.closes_at - 1) - (r.closes_at - 1) % 86400 : 0;
        if (opens && opens != r.opens_at)
            req_add_error(c->req, "opens",
                          "The round has closed, so its opening date cannot be changed");
        if (closes && closes != day)
            req_add_error(c->req, "closes",
                          "The round has closed and cannot be reopened, so its closing date "
                          "cannot be changed");
    }
    if (closes)
        closes += 86400;
    if (opens && closes && closes <= opens)
        req_add_error(c->req, "closes", "The closing date must be on or after the opening date");
    if (c->req->nerrors) {
        if (c->want_json)
            return render_invalid(c, NULL, json_object());
        return page_assess_manage(c);
    }
    rc = assess_round_update(c->db, r.id, title, opens, closes, now);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    rc = flash_set(c, "round_saved");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/assess/%s/manage", r.slug));
}

int page_assess_round_close(struct ctx *c)
{
    struct assess_round r;
    int rc = assess_page_load_round(c, &r, NULL);
    if (rc)
        return rc;
    /* "confirm" refused (not a yes or no): nothing is closed on a request that was not sent as
     * the page's button sends it */
    if (c->req->nerrors && !c->want_json) {
        render_error(c, APP_E_INVALID,
                     "The round has not been closed. Use the button on the round's page to close "
                     "it.");
        return APP_OK;
    }
    if (!req_field_bool(c->req, "confirm") || c->req->nerrors) {
        json_t *m =
            jobj(json_object(), "title", jstr(arena_printf(c->arena, "Close %s now?", r.title)));
        m = jobj(m, "round", assess_page_round_json(&r, (int64_t)time(NULL)));
        if (c->want_json) {
            json_decref(m);
            render_error(c, APP_E_INVALID, "Send \"confirm\": true to close the round for good.");
            return APP_OK;
        }
        return render(c, 200, "assess/close", m);
    }
    if ((rc = assess_round_close(c->db, r.id, (int64_t)time(NULL))))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "state", jstr("closed")));
    rc = flash_set(c, "round_closed");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/assess/%s/manage", r.slug));
}

int page_assess_invitation_make(struct ctx *c)
{
    struct assess_round r;
    const char *code = NULL;
    int64_t org = req_field_int(c->req, "organisation", 0);
    int rc = assess_page_load_round(c, &r, NULL);
    if (rc)
        return rc;
    if (org <= 0 && !req_error(c->req, "organisation"))
        req_add_error(c->req, "organisation", "Select an organisation");
    if (c->req->nerrors) {
        if (c->want_json)
            return render_invalid(c, NULL, json_object());
        return page_assess_manage(c);
    }
    rc = assess_invitation_make(c->db, c->arena, r.id, org, &code);
    if (rc == APP_E_CONFLICT) {
        req_add_error(c->req, "organisation", "Select an organisation from the list");
        return c->want_json ? render_invalid(c, NULL, json_object()) : page_assess_manage(c);
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "code", jstr(code)), "path",
                           jstr(arena_printf(c->arena, "/assess/%s/invitation/%s", r.slug, code))));
    rc = flash_set(c, "invitation_made");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/assess/%s/manage#links", r.slug));
}
