/* pages.c: what Assess's page families share — view-model pieces and loading a round
 *
 * A respondent is the round-scoped cookie "ahp_ar" (a random token; only its hash is
 * stored), or in a named round the logged-in member as well. The token is also the resume
 * link, so someone can stop on one device and carry on from another. Nothing a page or an API
 * answer shows about a group of people bypasses benchmark.c, where the disclosure rule is
 * applied; handlers format its published values and never counts of their own.
 */
#include "assess/results.h"
#include "assess/pages.h"
#include "account/account.h"
#include "account/org.h"
#include "app.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <stdlib.h>
#include <string.h>

json_t *assess_page_pct(bool api, double v, int decimals)
{
    char s[32];
    snprintf(s, sizeof s, "%.*f", decimals, v);
    /* the API's number is the page's figure: rounded the same way, never more exact */
    return api ? json_real(strtod(s, NULL)) : json_string_nocheck(s);
}

json_t *assess_page_stat(bool api, const struct disclosure_stat *s, int decimals)
{
    char t[DISCLOSURE_TEXT_MAX];
    if (api) {
        if (!s->shown || disclosure_stat_format(s, decimals, t, sizeof t))
            return json_null();
        return json_real(strtod(t, NULL));
    }
    if (disclosure_stat_format(s, decimals, t, sizeof t))
        return json_string_nocheck("*");
    return json_string_nocheck(*t ? t : "–");
}

json_t *assess_page_count(bool api, const struct disclosure_cell *cell)
{
    char t[DISCLOSURE_TEXT_MAX];
    if (api)
        return cell->shown ? json_integer((json_int_t)cell->value) : json_null();
    if (disclosure_format(cell, t, sizeof t))
        return json_string_nocheck("*");
    return json_string_nocheck(t);
}

json_t *assess_page_withheld(bool api, json_t *obj, const struct disclosure_cell *count)
{
    if (!api || count->shown)
        return obj;
    return jobj(obj, "withheld", jstr(ASSESS_WITHHELD_TEXT));
}

bool assess_page_can_manage(const struct ctx *c)
{
    return c->user && c->user->role >= ROLE_FACILITATOR;
}

const char *assess_page_audience_text(const char *a)
{
    return !strcmp(a, "team")           ? "Teams"
           : !strcmp(a, "organisation") ? "Organisations"
                                        : "Individuals";
}

json_t *assess_page_round_json(const struct assess_round *r, int64_t now)
{
    enum assess_round_state st = assess_round_state(r, now);
    json_t *o = jobj(json_object(), "slug", jstr(r->slug));
    o = jobj(o, "title", jstr(r->title));
    o = jobj(o, "instrument_id", jint(r->instrument_id));
    o = jobj(o, "instrument_title", jstr(r->instrument_title));
    o = jobj(o, "instrument_version", jint(r->instrument_version));
    o = jobj(o, "audience", jstr(r->audience));
    o = jobj(o, "audience_text", jstr(assess_page_audience_text(r->audience)));
    o = jobj(o, "anonymous", jbool(r->anonymous));
    o = jobj(o, "organisation", jstr(r->organisation_name));
    o = jobj(o, "state", jstr(assess_round_state_name(st)));
    o = jobj(o, "is_open", jbool(st == ARS_OPEN));
    o = jobj(o, "is_closed", jbool(st == ARS_CLOSED));
    o = jobj(o, "is_upcoming", jbool(st == ARS_UPCOMING));
    o = jobj(o, "opens", jdate(r->opens_at));
    /* closes_at is the first moment it is closed (midnight after the last open day, or the
     * moment a facilitator closed it): the second before is the last it was open */
    o = jobj(o, "closes", jdate(r->closes_at ? r->closes_at - 1 : 0));
    return o;
}

/* The round's response counts, for facilitators only (a count of one is someone). */
json_t *assess_page_with_counts(json_t *o, const struct assess_round *r)
{
    o = jobj(o, "started", jint(r->started));
    return jobj(o, "submitted", jint(r->submitted));
}

int assess_page_load_round(struct ctx *c, struct assess_round *r, struct assess_instrument *ins)
{
    int rc = assess_round_get(c->db, c->arena, req_param(c->req, "slug"), r);
    if (!rc && ins)
        rc = assess_version_load(c->db, c->app->assess_versions, c->arena, r->instrument_id, ins);
    return rc;
}

/* "https://host" for the links a facilitator copies into an email. The Host header is only
 * echoed back to the facilitator who sent it, and only when it looks like a host name. */
const char *assess_page_link_base(struct ctx *c)
{
    const char *host = req_header(c->req, "Host");
    bool ok = host && *host && strlen(host) < 256;
    for (const char *p = host; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
    return arena_printf(c->arena, "%s://%s", c->app->cfg.behind_tls ? "https" : "http",
                        ok ? host : "localhost");
}

json_t *assess_page_org_options(struct ctx *c, int64_t selected)
{
    struct org *orgs;
    size_t n;
    json_t *arr;
    if (account_org_list(c->db, c->arena, &orgs, &n))
        return NULL;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "value", jint(orgs[i].id));
        o = jobj(o, "text", jstr(orgs[i].name));
        o = jobj(o, "selected", jbool(orgs[i].id == selected));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

json_t *assess_page_version_json(const struct assess_version_info *v)
{
    json_t *o = jobj(json_object(), "id", jint(v->id));
    o = jobj(o, "code", jstr(v->code));
    o = jobj(o, "title", jstr(v->title));
    o = jobj(o, "version", jint(v->version));
    o = jobj(o, "audience_text", jstr(assess_page_audience_text(v->audience)));
    o = jobj(o, "method", jstr(v->method));
    o = jobj(o, "created", jdate(v->created_at));
    return jobj(o, "rounds", jint(v->rounds));
}

json_t *assess_page_instrument_summary(const struct assess_instrument *ins)
{
    json_t *o = jobj(json_object(), "id", jint(ins->id));
    o = jobj(o, "title", jstr(ins->title));
    o = jobj(o, "description", jstr(ins->description));
    o = jobj(o, "domains_count", jint((long long)ins->ndomains));
    o = jobj(o, "items_count", jint((long long)ins->nitems));
    return jobj(o, "method_text", jstr(assess_method_explain(ins->method)));
}

/* The respondent's response, or an answer already given (*done) sending them where they
 * belong: to the start page without one, to their result once submitted. */
int assess_page_load_respondent(struct ctx *c, struct assess_round *r,
                                struct assess_instrument *ins, struct assess_response *s,
                                bool allow_submitted, bool *done)
{
    bool found;
    int rc = assess_page_load_round(c, r, ins);
    *done = false;
    if (!rc)
        rc = assess_page_find_response(c, r, s, &found);
    if (rc)
        return rc;
    if (!found) {
        *done = true;
        return assess_page_to_start(c, r);
    }
    if (s->submitted_at && !allow_submitted) {
        *done = true;
        if (c->want_json) {
            render_error(c, APP_E_CONFLICT, "These answers have been submitted already.");
            return APP_OK;
        }
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/result", r->slug));
    }
    return APP_OK;
}

json_t *assess_page_svg_text(struct buf *b, int rc)
{
    json_t *s = NULL;
    if (!rc && !buf_oom(b))
        s = json_stringn(b->data ? b->data : "", b->len);
    buf_free(b);
    return s;
}

struct disclosure_stat assess_page_shown_value(double v)
{
    struct disclosure_stat s = {v, true, false};
    return s;
}

int assess_page_set_cookie(struct ctx *c, const struct assess_round *r, const char *token)
{
    const char *page = arena_printf(c->arena, "/assess/%s", r->slug);
    const char *api = arena_printf(c->arena, "/api/v1/assess/%s", r->slug);
    int rc;
    if (!page || !api)
        return APP_E_NOMEM;
    rc = resp_cookie_path(c, RESPONSE_COOKIE, token, RESPONSE_DAYS * 86400L, page);
    return rc ? rc : resp_cookie_path(c, RESPONSE_COOKIE, token, RESPONSE_DAYS * 86400L, api);
}

/* The resume token this request carries: the "token" field (API clients and resume links),
 * else the round's cookie. */
const char *assess_page_request_token(struct ctx *c)
{
    const char *t = req_field(c->req, "token");
    return t && *t ? t : req_cookie(c->req, RESPONSE_COOKIE);
}

/* This respondent's response to the round, if any: by token, then (named rounds) by member. */
int assess_page_find_response(struct ctx *c, const struct assess_round *r,
                              struct assess_response *s, bool *found)
{
    int rc = assess_response_by_token(c->db, c->arena, r->id, assess_page_request_token(c), s);
    *found = false;
    /* In a named round a response belongs to its member, not to whoever holds the cookie or
     * resume code: on a shared browser the next person to log in must not continue or
     * submit the last one's answers. They get their own response instead. */
    if (rc == APP_OK && !r->anonymous && s->user_id && (!c->user || c->user->id != s->user_id))
        rc = APP_E_NOTFOUND;
    if (rc == APP_E_NOTFOUND && !r->anonymous && c->user)
        rc = assess_response_by_user(c->db, c->arena, r->id, c->user->id, s);
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    *found = rc == APP_OK;
    return rc;
}

/* A page for someone who has no response here (yet): back to the round's start page. */
int assess_page_to_start(struct ctx *c, const struct assess_round *r)
{
    if (c->want_json) {
        render_error(c, APP_E_NOTFOUND, "There is no response to this assessment from you yet.");
        return APP_OK;
    }
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s", r->slug));
}
