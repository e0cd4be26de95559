/* pages.c: Assess handlers — instruments, rounds, taking an assessment, results and
 * benchmarks
 *
 * A respondent is the round-scoped cookie "ahp_ar" (a random token; only its hash is
 * stored), or in a named round the logged-in member as well. The token is also the resume
 * link, so someone can stop on one device and carry on from another. Nothing a page or an API
 * answer shows about a group of people bypasses benchmark.c, where the disclosure rule is
 * applied; handlers format its published values and never counts of their own.
 */
#include "assess/assess.h"
#include "assess/benchmark.h"
#include "assess/instrument_form.h"
#include "assess/results.h"
#include "assess/round.h"
#include "assess/transfer.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/svg.h"
#include "web/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define RESPONSE_COOKIE "ahp_ar"
#define RESPONSE_DAYS   90

/* ---- small view-model pieces ---- */

static json_t *pct(double v, int decimals)
{
    char s[32];
    snprintf(s, sizeof s, "%.*f", decimals, v);
    return json_string_nocheck(s);
}

static json_t *stat_text(const struct disclosure_stat *s, int decimals)
{
    char t[DISCLOSURE_TEXT_MAX];
    if (disclosure_stat_format(s, decimals, t, sizeof t))
        return json_string_nocheck("*");
    return json_string_nocheck(*t ? t : "–");
}

static json_t *count_text(const struct disclosure_cell *cell)
{
    char t[DISCLOSURE_TEXT_MAX];
    if (disclosure_format(cell, t, sizeof t))
        return json_string_nocheck("*");
    return json_string_nocheck(t);
}

static bool can_manage(const struct ctx *c)
{
    return c->user && c->user->role >= ROLE_FACILITATOR;
}

static const char *audience_text(const char *a)
{
    return !strcmp(a, "team")           ? "Teams"
           : !strcmp(a, "organisation") ? "Organisations"
                                        : "Individuals";
}

static json_t *round_json(const struct assess_round *r, int64_t now)
{
    enum assess_round_state st = assess_round_state(r, now);
    json_t *o = jobj(json_object(), "slug", jstr(r->slug));
    o = jobj(o, "title", jstr(r->title));
    o = jobj(o, "instrument_id", jint(r->instrument_id));
    o = jobj(o, "instrument_title", jstr(r->instrument_title));
    o = jobj(o, "instrument_version", jint(r->instrument_version));
    o = jobj(o, "audience", jstr(r->audience));
    o = jobj(o, "audience_text", jstr(audience_text(r->audience)));
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
static json_t *with_counts(json_t *o, const struct assess_round *r)
{
    o = jobj(o, "started", jint(r->started));
    return jobj(o, "submitted", jint(r->submitted));
}

/* ---- loading ---- */

static int load_round(struct ctx *c, struct assess_round *r, struct assess_instrument *ins)
{
    int rc = assess_round_get(c->db, c->arena, req_param(c->req, "slug"), r);
    if (!rc && ins)
        rc = assess_version_load(c->db, c->app->assess_versions, c->arena, r->instrument_id, ins);
    return rc;
}

static const char *cookie_path(struct ctx *c, const struct assess_round *r)
{
    return arena_printf(c->arena, "/assess/%s", r->slug);
}

/* The resume token this request carries: the "token" field (API clients and resume links),
 * else the round's cookie. */
static const char *request_token(struct ctx *c)
{
    const char *t = req_field(c->req, "token");
    return t && *t ? t : req_cookie(c->req, RESPONSE_COOKIE);
}

/* This respondent's response to the round, if any: by token, then (named rounds) by member. */
static int find_response(struct ctx *c, const struct assess_round *r, struct assess_response *s,
                         bool *found)
{
    int rc = assess_response_by_token(c->db, c->arena, r->id, request_token(c), s);
    *found = false;
    if (rc == APP_E_NOTFOUND && !r->anonymous && c->user)
        rc = assess_response_by_user(c->db, c->arena, r->id, c->user->id, s);
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    *found = rc == APP_OK;
    return rc;
}

/* A page for someone who has no response here (yet): back to the round's start page. */
static int to_start(struct ctx *c, const struct assess_round *r)
{
    if (c->want_json) {
        render_error(c, APP_E_NOTFOUND, "There is no response to this assessment from you yet.");
        return APP_OK;
    }
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s", r->slug));
}

/* ---- the list ---- */

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
        if (can_manage(c) && (rc = assess_round_count(c->db, &rs[i]))) {
            json_decref(open);
            json_decref(other);
            return rc;
        }
        o = round_json(&rs[i], now);
        if (can_manage(c))
            o = with_counts(o, &rs[i]);
        /* Everyone sees open rounds and closed ones (for their benchmarks); upcoming ones
         * only those who run them. */
        if (st == ARS_UPCOMING && !can_manage(c)) {
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
    m = jobj(m, "can_manage", jbool(can_manage(c)));
    m = jobj(m, "is_admin", jbool(c->user && c->user->role == ROLE_ADMIN));
    return render(c, 200, "assess/index", m);
}

/* ---- instruments ---- */

static json_t *option_list(const struct assess_item *it)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < it->noptions; k++) {
        json_t *o = jobj(json_object(), "label", jstr(it->options[k].label));
        o = jobj(o, "score", pct(it->options[k].score, 0));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *instrument_model(const struct assess_instrument *ins, bool with_items)
{
    json_t *doms = json_array(), *bands = json_array(), *o;
    for (size_t d = 0; doms && d < ins->ndomains; d++) {
        const struct assess_domain *dm = &ins->domains[d];
        json_t *items = with_items ? json_array() : NULL;
        json_t *x = jobj(json_object(), "id", jstr(dm->id));
        x = jobj(x, "number", jint((long long)d + 1));
        x = jobj(x, "title", jstr(dm->title));
        x = jobj(x, "description", jstr(dm->description));
        x = jobj(x, "items_count", jint((long long)dm->nitems));
        x = jobj(x, "weight", pct(dm->weight, dm->weight == floor(dm->weight) ? 0 : 1));
        if (dm->has_baseline)
            x = jobj(x, "baseline", pct(dm->baseline, 0));
        for (size_t i = 0; items && i < dm->nitems; i++) {
            const struct assess_item *it = &dm->items[i];
            json_t *y = jobj(json_object(), "id", jstr(it->id));
            y = jobj(y, "text", jstr(it->text));
            y = jobj(y, "help", jstr(it->help));
            y = jobj(y, "kind", jstr(assess_kind_name(it->kind)));
            y = jobj(y, "weight", pct(it->weight, it->weight == floor(it->weight) ? 0 : 1));
            if (it->level)
                y = jobj(y, "level", jint(it->level));
            y = jobj(y, "options", option_list(it));
            if (!y || json_array_append_new(items, y)) {
                json_decref(items);
                items = NULL;
            }
        }
        if (with_items)
            x = jobj(x, "items", items);
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    for (size_t b = 0; bands && b < ins->nbands; b++) {
        json_t *x = jobj(json_object(), "name", jstr(ins->bands[b].name));
        x = jobj(x, "from", pct(ins->bands[b].from, 0));
        x = jobj(x, "to", pct(b + 1 < ins->nbands ? ins->bands[b + 1].from : 100, 0));
        x = jobj(x, "description", jstr(ins->bands[b].description));
        if (!x || json_array_append_new(bands, x)) {
            json_decref(bands);
            bands = NULL;
        }
    }
    o = jobj(json_object(), "id", jint(ins->id));
    o = jobj(o, "code", jstr(ins->code));
    o = jobj(o, "version", jint(ins->version));
    o = jobj(o, "title", jstr(ins->title));
    o = jobj(o, "description", jstr(ins->description));
    o = jobj(o, "audience", jstr(ins->audience));
    o = jobj(o, "audience_text", jstr(audience_text(ins->audience)));
    o = jobj(o, "method", jstr(assess_method_name(ins->method)));
    o = jobj(o, "method_text", jstr(assess_method_explain(ins->method)));
    if (ins->method == AM_LEVELS)
        o = jobj(o, "level_share", pct(ins->level_share * 100, 0));
    o = jobj(o, "baseline_source", jstr(ins->baseline_source));
    o = jobj(o, "items_count", jint((long long)ins->nitems));
    o = jobj(o, "domains_count", jint((long long)ins->ndomains));
    o = jobj(o, "domains", doms);
    return jobj(o, "bands", bands);
}

static json_t *version_json(const struct assess_version_info *v)
{
    json_t *o = jobj(json_object(), "id", jint(v->id));
    o = jobj(o, "code", jstr(v->code));
    o = jobj(o, "title", jstr(v->title));
    o = jobj(o, "version", jint(v->version));
    o = jobj(o, "audience_text", jstr(audience_text(v->audience)));
    o = jobj(o, "method", jstr(v->method));
    o = jobj(o, "created", jdate(v->created_at));
    return jobj(o, "rounds", jint(v->rounds));
}

static json_t *version_list(const struct assess_version_info *vs, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, version_json(&vs[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

int page_assess_instruments(struct ctx *c)
{
    struct assess_version_info *vs;
    size_t n;
    json_t *m;
    int rc = assess_version_latest(c->db, c->arena, &vs, &n);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", json_string_nocheck("Assessment instruments"));
    m = jobj(m, "instruments", version_list(vs, n));
    m = jobj(m, "is_admin", jbool(c->user && c->user->role == ROLE_ADMIN));
    return render(c, 200, "assess/instruments", m);
}

static int load_instrument(struct ctx *c, struct assess_instrument *ins)
{
    int64_t id = 0;
    const char *p = req_param(c->req, "id");
    if (!p || !parse_int64((struct str){p, strlen(p)}, &id) || id <= 0)
        return APP_E_NOTFOUND;
    return assess_version_load(c->db, c->app->assess_versions, c->arena, id, ins);
}

int page_assess_instrument(struct ctx *c)
{
    struct assess_instrument ins;
    struct assess_version_info *hist;
    size_t nh;
    json_t *m;
    int rc = load_instrument(c, &ins);
    if (!rc)
        rc = assess_version_history(c->db, c->arena, ins.code, &hist, &nh);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", jstr(ins.title));
    m = jobj(m, "instrument", instrument_model(&ins, true));
    m = jobj(m, "versions", version_list(hist, nh));
    m = jobj(m, "is_latest", jbool(nh > 0 && hist[0].id == ins.id));
    m = jobj(m, "is_admin", jbool(c->user && c->user->role == ROLE_ADMIN));
    return render(c, 200, "assess/instrument", m);
}

/* The instrument the path names, and its stored JSON. */
static int load_instrument_json(struct ctx *c, struct assess_instrument *ins, const char **json)
{
    int rc = load_instrument(c, ins);
    return rc ? rc : assess_version_json(c->db, c->arena, ins->id, json);
}

int page_assess_instrument_download(struct ctx *c)
{
    struct assess_instrument ins;
    const char *json;
    int rc = load_instrument_json(c, &ins, &json);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    buf_puts(&c->resp->body, json);
    buf_putc(&c->resp->body, '\n');
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    c->resp->content_type = "application/json";
    return resp_header(
        c, "Content-Disposition",
        arena_printf(c->arena, "attachment; filename=\"%s-v%d.json\"", ins.code, ins.version));
}

/* ---- instruments: the JSON page (paste or import a file) ---- */

static json_t *json_form_model(const char *json, int64_t from)
{
    json_t *m = jobj(
        json_object(), "title",
        json_string_nocheck(from ? "Edit an instrument as JSON" : "Add an instrument as JSON"));
    m = jobj(m, "form", jobj(json_object(), "definition", jstr(json)));
    return from ? jobj(m, "editing", jint(from)) : m;
}

int page_assess_instrument_import_form(struct ctx *c)
{
    return render(c, 200, "assess/instrument_form", json_form_model("", 0));
}

int page_assess_instrument_edit_json_form(struct ctx *c)
{
    struct assess_instrument ins;
    const char *json;
    int rc = load_instrument_json(c, &ins, &json);
    if (rc)
        return rc;
    return render(c, 200, "assess/instrument_form", json_form_model(json, ins.id));
}

/* ---- instruments: the form editor (instrument_form.c) ---- */

static const char *form_value(void *ctx, const char *name)
{
    return req_field(((struct ctx *)ctx)->req, name);
}

static const char *form_error(void *ctx, const char *name)
{
    return req_error(((struct ctx *)ctx)->req, name);
}

static json_t *editor_model(struct ctx *c, const struct instrument_form *f)
{
    json_t *m = jobj(json_object(), "title",
                     json_string_nocheck(f->from ? "Edit an instrument" : "Add an instrument"));
    m = jobj(m, "editing", jint(f->from)); /* 0 for a new instrument */
    m = jobj(m, "back",
             jstr(f->from ? arena_printf(c->arena, "/assess/instruments/%lld", (long long)f->from)
                          : "/assess/instruments"));
    m = jobj(m, "json_link",
             jstr(f->from ? arena_printf(c->arena, "/assess/instruments/%lld/edit/json",
                                         (long long)f->from)
                          : "/assess/instruments/import"));
    return jobj(m, "editor", instrument_form_model(c->arena, f, form_error, c));
}

int page_assess_instrument_new_form(struct ctx *c)
{
    struct instrument_form f;
    int rc = instrument_form_blank(c->arena, &f);
    return rc ? rc : render(c, 200, "assess/instrument_editor", editor_model(c, &f));
}

int page_assess_instrument_edit_form(struct ctx *c)
{
    struct assess_instrument ins;
    struct instrument_form f;
    const char *json;
    json_t *m;
    int rc = load_instrument(c, &ins);
    if (!rc)
        rc = instrument_form_from(c->arena, &ins, &f);
    if (rc)
        return rc;
    m = editor_model(c, &f);
    if (c->want_json) { /* API clients had the stored JSON here before the form existed */
        if ((rc = assess_version_json(c->db, c->arena, ins.id, &json)))
            return rc;
        m = jobj(m, "form", jobj(json_object(), "definition", jstr(json)));
    }
    return render(c, 200, "assess/instrument_editor", m);
}

/* Every button of the editor posts here. "save" saves through the same parser as the JSON
 * page; any other action changes the form and shows it again, saving nothing. */
int page_assess_instrument_editor(struct ctx *c)
{
    struct instrument_form f;
    const char *action = req_field(c->req, "action"), *why = NULL, *json, *field, *msg;
    size_t len;
    int64_t id = 0;
    int version = 0;
    int rc = instrument_form_read(c->arena, form_value, form_error, c, &f, &why);
    if (rc == APP_E_INVALID) {
        if (req_error(c->req, "draft")) /* over the draft's limit, which the parser's is not */
            why = "This instrument is too large to edit in the form: edit it as JSON instead";
        render_error(c, rc, why);
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->req->nerrors) /* a value the request layer refused (too long): show it first */
        return render_invalid(c, "assess/instrument_editor", editor_model(c, &f));
    if (!action || strcmp(action, "save")) {
        rc = instrument_form_act(c->arena, &f, action);
        if (rc && rc != APP_E_INVALID) /* an unknown action just shows the form again */
            return rc;
        return render(c, 200, "assess/instrument_editor", editor_model(c, &f));
    }
    rc = instrument_form_json(c->arena, &f, &json, &len, &why);
    if (!rc)
        rc = assess_version_save(c->db, c->arena, json, len, c->user->id, &id, &version, &why);
    if (rc == APP_E_INVALID) {
        why = why ? why : "the instrument cannot be used";
        field = instrument_form_error_field(c->arena, &f, why);
        msg = arena_printf(c->arena, "%c%s", why[0] >= 'a' && why[0] <= 'z' ? why[0] - 32 : why[0],
                           why + 1);
        if (!field || !msg || (rc = req_add_error(c->req, field, msg)))
            return rc ? rc : APP_E_NOMEM;
        return render_invalid(c, "assess/instrument_editor", editor_model(c, &f));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "version", jint(version)));
    rc = flash_set(c, "instrument_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/assess/instruments/%lld", (long long)id));
}

/* Saves a new instrument, or the next version of one: from the text box or an uploaded file
 * (the file wins when both are given). The parser's sentence says what to fix. */
int page_assess_instrument_save(struct ctx *c)
{
    const char *text = req_field(c->req, "definition"), *why = NULL;
    size_t len = text ? strlen(text) : 0;
    int64_t id = 0;
    int version = 0, rc;
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "file") && c->req->uploads[i].len) {
            char *copy = arena_alloc(c->arena, c->req->uploads[i].len + 1);
            if (!copy)
                return APP_E_NOMEM;
            len = c->req->uploads[i].len;
            memcpy(copy, c->req->uploads[i].data, len);
            copy[len] = '\0'; /* the form shows it again if it is wrong */
            text = copy;
        }
    if (!text || !len) {
        req_add_error(c->req, "definition", "Enter the instrument as JSON, or choose a file");
        return render_invalid(c, "assess/instrument_form", json_form_model("", 0));
    }
    rc = assess_version_save(c->db, c->arena, text, len, c->user->id, &id, &version, &why);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "definition",
                      arena_printf(c->arena, "The instrument cannot be used: %s",
                                   why ? why : "it is not valid JSON"));
        return render_invalid(c, "assess/instrument_form",
                              json_form_model(text, req_field_int(c->req, "from", 0)));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "version", jint(version)));
    rc = flash_set(c, "instrument_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/assess/instruments/%lld", (long long)id));
}

/* ---- rounds: creating and managing ---- */

/* "https://host" for the links a facilitator copies into an email. The Host header is only
 * echoed back to the facilitator who sent it, and only when it looks like a host name. */
static const char *link_base(struct ctx *c)
{
    const char *host = req_header(c->req, "Host");
    bool ok = host && *host && strlen(host) < 256;
    for (const char *p = host; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
    return arena_printf(c->arena, "%s://%s", c->app->cfg.behind_tls ? "https" : "http",
                        ok ? host : "localhost");
}

static json_t *org_options(struct ctx *c, int64_t selected)
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
        json_t *o = version_json(&vs[i]);
        o = jobj(o, "selected", jbool(vs[i].id == chosen || (!chosen && i == 0)));
        if (!o || json_array_append_new(ins, o)) {
            json_decref(ins);
            ins = NULL;
        }
    }
    f = jobj(json_object(), "title", jstr(req_field(c->req, "title")));
    f = jobj(f, "opens", jstr(req_field(c->req, "opens")));
    f = jobj(f, "closes", jstr(req_field(c->req, "closes")));
    f = jobj(f, "audience_individual", jbool(!aud || !strcmp(aud, "individual")));
    f = jobj(f, "audience_team", jbool(aud && !strcmp(aud, "team")));
    f = jobj(f, "audience_organisation", jbool(aud && !strcmp(aud, "organisation")));
    f = jobj(f, "mode_anonymous", jbool(!mode || !strcmp(mode, "anonymous")));
    f = jobj(f, "mode_named", jbool(mode && !strcmp(mode, "named")));
    m = jobj(m, "form", f);
    m = jobj(m, "instruments", ins);
    return jobj(m, "organisations", org_options(c, req_field_int(c->req, "organisation", 0)));
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
    if (!form_date(req_field(c->req, "opens"), &in.opens_at))
        req_add_error(c->req, "opens", "Enter the opening date as YYYY-MM-DD, like 2026-12-01");
    if (!form_date(req_field(c->req, "closes"), &in.closes_at))
        req_add_error(c->req, "closes", "Enter the closing date as YYYY-MM-DD, like 2027-01-31");
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
    const char *base = link_base(c);
    int rc = load_round(c, &r, NULL);
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
    f = jobj(json_object(), "title", jstr(c->req->nerrors ? req_field(c->req, "title") : r.title));
    f = jobj(f, "opens",
             c->req->nerrors ? jstr(req_field(c->req, "opens")) : jdate_input(r.opens_at));
    f = jobj(f, "closes",
             c->req->nerrors ? jstr(req_field(c->req, "closes"))
                             : jdate_input(r.closes_at ? r.closes_at - 1 : 0));
    m = jobj(json_object(), "title", jstr(r.title));
    m = jobj(m, "round", with_counts(round_json(&r, now), &r));
    m = jobj(m, "form", f);
    m = jobj(m, "invitations", links);
    m = jobj(m, "round_url", jstr(arena_printf(c->arena, "%s/assess/%s", base, r.slug)));
    return render(c, c->req->nerrors ? 400 : 200, "assess/manage",
                  jobj(m, "organisations", org_options(c, 0)));
}

int page_assess_round_edit(struct ctx *c)
{
    struct assess_round r;
    int64_t opens = 0, closes = 0;
    const char *title = req_field(c->req, "title");
    int rc = load_round(c, &r, NULL);
    if (rc)
        return rc;
    if (!form_date(req_field(c->req, "opens"), &opens))
        req_add_error(c->req, "opens", "Enter the opening date as YYYY-MM-DD, like 2026-12-01");
    if (!form_date(req_field(c->req, "closes"), &closes))
        req_add_error(c->req, "closes", "Enter the closing date as YYYY-MM-DD, like 2027-01-31");
    if (closes)
        closes += 86400;
    if (opens && closes && closes <= opens)
        req_add_error(c->req, "closes", "The closing date must be on or after the opening date");
    if (c->req->nerrors) {
        if (c->want_json)
            return render_invalid(c, NULL, json_object());
        return page_assess_manage(c);
    }
    rc = assess_round_update(c->db, r.id, title, opens, closes);
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
    int rc = load_round(c, &r, NULL);
    if (!rc)
        rc = assess_round_close(c->db, r.id, (int64_t)time(NULL));
    if (rc)
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
    int rc = load_round(c, &r, NULL);
    if (rc)
        return rc;
    if (org <= 0)
        req_add_error(c->req, "organisation", "Choose an organisation from the list");
    if (c->req->nerrors) {
        if (c->want_json)
            return render_invalid(c, NULL, json_object());
        return page_assess_manage(c);
    }
    rc = assess_invitation_make(c->db, c->arena, r.id, org, &code);
    if (rc == APP_E_CONFLICT) {
        req_add_error(c->req, "organisation", "Choose an organisation from the list");
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

/* ---- taking part ---- */

static json_t *band_options(const char *selected)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < assess_pay_bands_count; i++) {
        json_t *o = jobj(json_object(), "value", jstr(assess_pay_bands[i]));
        o = jobj(o, "text", jstr(assess_pay_band_name(assess_pay_bands[i])));
        o = jobj(o, "selected", jbool(selected && !strcmp(selected, assess_pay_bands[i])));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *instrument_summary(const struct assess_instrument *ins)
{
    json_t *o = jobj(json_object(), "id", jint(ins->id));
    o = jobj(o, "title", jstr(ins->title));
    o = jobj(o, "description", jstr(ins->description));
    o = jobj(o, "domains_count", jint((long long)ins->ndomains));
    o = jobj(o, "items_count", jint((long long)ins->nitems));
    return jobj(o, "method_text", jstr(assess_method_explain(ins->method)));
}

/* How far a response has got: the first section with an unanswered item (1-based), or the
 * number of sections + 1 when everything is answered. */
static size_t next_section(const struct assess_instrument *ins, const char *answers)
{
    size_t len = strlen(answers);
    for (size_t d = 0; d < ins->ndomains; d++)
        for (size_t i = 0; i < ins->domains[d].nitems; i++)
            if (assess_answer_at(answers, len, ins->domains[d].first + i) < 0)
                return d + 1;
    return ins->ndomains + 1;
}

static size_t answered_count(const char *answers)
{
    size_t n = 0;
    for (const char *p = answers; *p; p++)
        n += *p != ASSESS_UNANSWERED;
    return n;
}

static json_t *start_model(struct ctx *c, const struct assess_round *r,
                           const struct assess_instrument *ins, const struct assess_invitation *inv)
{
    struct assess_response s;
    bool found = false;
    int64_t now = (int64_t)time(NULL);
    json_t *m = jobj(json_object(), "title", jstr(r->title)), *f;
    if (find_response(c, r, &s, &found) == APP_OK && found) {
        json_t *mine = jobj(json_object(), "submitted", jbool(s.submitted_at != 0));
        size_t next = next_section(ins, s.answers);
        mine = jobj(mine, "answered", jint((long long)answered_count(s.answers)));
        mine = jobj(mine, "next_section",
                    jint((long long)(next > ins->ndomains ? ins->ndomains : next)));
        mine = jobj(mine, "all_answered", jbool(next > ins->ndomains));
        m = jobj(m, "response", mine);
    }
    m = jobj(m, "round", round_json(r, now));
    m = jobj(m, "instrument", instrument_summary(ins));
    m = jobj(m, "needs_login", jbool(!r->anonymous && !c->user));
    m = jobj(m, "login_next", jstr(arena_printf(c->arena, "/assess/%s", r->slug)));
    if (inv) {
        m = jobj(m, "invitation",
                 jobj(jobj(json_object(), "code", jstr(inv->code)), "organisation",
                      jstr(inv->organisation_name)));
    } else if (!r->organisation_id) {
        json_t *orgs = org_options(c, req_field_int(c->req, "organisation", 0));
        m = jobj(m, "has_organisations", jbool(orgs && json_array_size(orgs) > 0));
        m = jobj(m, "organisations", orgs);
    }
    f = jobj(json_object(), "profession", jstr(req_field(c->req, "profession")));
    m = jobj(m, "form", f);
    m = jobj(m, "professions",
             ref_options(c->app->ref_options, REF_PROFESSIONS, req_field(c->req, "profession")));
    m = jobj(m, "regions",
             ref_options(c->app->ref_options, REF_REGIONS, req_field(c->req, "region")));
    m = jobj(m, "bands", band_options(req_field(c->req, "band")));
    return jobj(m, "can_manage", jbool(can_manage(c)));
}

int page_assess_round(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    int rc = load_round(c, &r, &ins);
    if (rc)
        return rc;
    if (assess_round_state(&r, (int64_t)time(NULL)) == ARS_UPCOMING && !can_manage(c))
        return APP_E_NOTFOUND;
    return render(c, 200, "assess/round", start_model(c, &r, &ins, NULL));
}

int page_assess_invitation(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_invitation inv;
    int rc = load_round(c, &r, &ins);
    if (!rc)
        rc = assess_invitation_find(c->db, c->arena, r.id, req_param(c->req, "code"), &inv);
    if (rc)
        return rc;
    return render(c, 200, "assess/round", start_model(c, &r, &ins, &inv));
}

int page_assess_start(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_invitation inv = {0};
    struct assess_about about = {0};
    char token[ASSESS_TOKEN_HEX];
    const char *code = req_field(c->req, "invitation");
    int64_t id = 0, now = (int64_t)time(NULL);
    int rc = load_round(c, &r, &ins);
    if (rc)
        return rc;
    about.profession = req_field(c->req, "profession");
    about.region = req_field(c->req, "region");
    about.band = req_field(c->req, "band");
    about.organisation_id = req_field_int(c->req, "organisation", 0);
    if (code && *code) {
        rc = assess_invitation_find(c->db, c->arena, r.id, code, &inv);
        if (rc == APP_E_NOTFOUND)
            req_add_error(c->req, "invitation", "This invitation link is not for this assessment");
        else if (rc)
            return rc;
        about.organisation_id = inv.organisation_id; /* the link decides, not the form */
    } else if (r.organisation_id) {
        about.organisation_id = r.organisation_id;
    }
    if (about.profession && !ref_name(professions, professions_count, about.profession))
        req_add_error(c->req, "profession", "Select your profession from the list");
    if (about.region && !ref_name(regions, regions_count, about.region))
        req_add_error(c->req, "region", "Select your region from the list");
    if (about.band && !assess_pay_band_name(about.band))
        req_add_error(c->req, "band", "Select your pay band from the list");
    if (c->req->nerrors)
        return render_invalid(c, "assess/round", start_model(c, &r, &ins, inv.id ? &inv : NULL));
    if (assess_round_state(&r, now) != ARS_OPEN) {
        render_error(c, APP_E_CONFLICT, "This assessment is not open for answers.");
        return APP_OK;
    }
    if (!r.anonymous && !c->user)
        return APP_E_UNAUTH;
    rc = assess_response_start(c->db, &r, &ins, c->user ? c->user->id : 0, inv.id, &about, token,
                               &id);
    if (rc == APP_E_CONFLICT) { /* an organisation that has gone */
        req_add_error(c->req, "organisation", "Select your organisation from the list");
        return render_invalid(c, "assess/round", start_model(c, &r, &ins, NULL));
    }
    if (rc)
        return rc;
    rc = resp_cookie_path(c, RESPONSE_COOKIE, token, RESPONSE_DAYS * 86400L, cookie_path(c, &r));
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "token", jstr(token));
        m = jobj(m, "sections", jint((long long)ins.ndomains));
        return render(c, 201, NULL,
                      jobj(m, "resume_path",
                           jstr(arena_printf(c->arena, "/assess/%s/resume/%s", r.slug, token))));
    }
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s/section/1", r.slug));
}

/* The resume link: puts the token back into this browser and carries on where it stopped. */
int page_assess_resume(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const char *token = req_param(c->req, "token");
    size_t next;
    int rc = load_round(c, &r, &ins);
    if (!rc)
        rc = assess_response_by_token(c->db, c->arena, r.id, token, &s);
    if (rc == APP_E_NOTFOUND) {
        render_error(c, APP_E_NOTFOUND,
                     "This resume link does not match an answer to this assessment. Check that "
                     "you copied the whole link.");
        return APP_OK;
    }
    if (rc)
        return rc;
    rc = resp_cookie_path(c, RESPONSE_COOKIE, token, RESPONSE_DAYS * 86400L, cookie_path(c, &r));
    if (rc)
        return rc;
    if (s.submitted_at)
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/result", r.slug));
    next = next_section(&ins, s.answers);
    if (next > ins.ndomains)
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/check", r.slug));
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s/section/%zu", r.slug, next));
}

/* The respondent's response, or an answer already given (*done) sending them where they
 * belong: to the start page without one, to their result once submitted. */
static int load_respondent(struct ctx *c, struct assess_round *r, struct assess_instrument *ins,
                           struct assess_response *s, bool allow_submitted, bool *done)
{
    bool found;
    int rc = load_round(c, r, ins);
    *done = false;
    if (!rc)
        rc = find_response(c, r, s, &found);
    if (rc)
        return rc;
    if (!found) {
        *done = true;
        return to_start(c, r);
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

static size_t section_param(struct ctx *c, const struct assess_instrument *ins)
{
    const char *p = req_param(c->req, "n");
    int64_t n = 0;
    if (!p || !parse_int64((struct str){p, strlen(p)}, &n) || n < 1 || (size_t)n > ins->ndomains)
        return 0;
    return (size_t)n;
}

static json_t *section_model(struct ctx *c, const struct assess_round *r,
                             const struct assess_instrument *ins, const char *answers, size_t n)
{
    const struct assess_domain *dm = &ins->domains[n - 1];
    size_t len = strlen(answers);
    json_t *items = json_array(), *m, *d;
    for (size_t i = 0; items && i < dm->nitems; i++) {
        const struct assess_item *it = &dm->items[i];
        const char *name = arena_printf(c->arena, "item.%s", it->id);
        const char *typed = c->req->nerrors ? req_field(c->req, name) : NULL;
        int chosen = assess_answer_at(answers, len, dm->first + i);
        int64_t typed_k = -1;
        json_t *opts = json_array(), *y;
        if (typed && !parse_int64((struct str){typed, strlen(typed)}, &typed_k))
            typed_k = -1;
        for (size_t k = 0; opts && k < it->noptions; k++) {
            json_t *o = jobj(json_object(), "value", jint((long long)k));
            o = jobj(o, "label", jstr(it->options[k].label));
            o = jobj(o, "id", jstr(k ? arena_printf(c->arena, "%s-%zu", name, k) : name));
            o = jobj(o, "checked", jbool(typed ? typed_k == (int64_t)k : chosen == (int)k));
            if (!o || json_array_append_new(opts, o)) {
                json_decref(opts);
                opts = NULL;
            }
        }
        y = jobj(json_object(), "id", jstr(it->id));
        y = jobj(y, "name", jstr(name));
        y = jobj(y, "number", jint((long long)i + 1));
        y = jobj(y, "text", jstr(it->text));
        y = jobj(y, "help", jstr(it->help));
        y = jobj(y, "kind", jstr(assess_kind_name(it->kind)));
        y = jobj(y, "inline", jbool(it->kind == AK_YESNO));
        y = jobj(y, "error", jstr(req_error(c->req, name)));
        y = jobj(y, "has_error", jbool(req_error(c->req, name) != NULL));
        y = jobj(y, "options", opts);
        if (!y || json_array_append_new(items, y)) {
            json_decref(items);
            items = NULL;
        }
    }
    d = jobj(json_object(), "id", jstr(dm->id));
    d = jobj(d, "title", jstr(dm->title));
    d = jobj(d, "description", jstr(dm->description));
    d = jobj(d, "items", items);
    m = jobj(json_object(), "title",
             jstr(arena_printf(c->arena, "%s – section %zu of %zu", dm->title, n, ins->ndomains)));
    m = jobj(m, "round", round_json(r, (int64_t)time(NULL)));
    m = jobj(m, "section", jint((long long)n));
    m = jobj(m, "sections", jint((long long)ins->ndomains));
    m = jobj(m, "progress", jint((long long)((n - 1) * 100 / ins->ndomains)));
    m = jobj(m, "answered", jint((long long)answered_count(answers)));
    m = jobj(m, "items_count", jint((long long)ins->nitems));
    m = jobj(m, "is_first", jbool(n == 1));
    m = jobj(m, "is_last", jbool(n == ins->ndomains));
    m = jobj(m, "previous", jint((long long)n - 1));
    return jobj(m, "domain", d);
}

int page_assess_section(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    bool done;
    size_t n;
    int rc = load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    if (!(n = section_param(c, &ins)))
        return APP_E_NOTFOUND;
    return render(c, 200, "assess/section", section_model(c, &r, &ins, s.answers, n));
}

/* Saves one section's answers. Unanswered questions are allowed (people may skip what does
 * not apply); an answer that is not one of the options is an error and nothing is saved. */
int page_assess_answer(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const struct assess_domain *dm;
    const char *action = req_field(c->req, "action");
    int64_t now = (int64_t)time(NULL);
    char *answers;
    bool done;
    size_t n;
    int rc = load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    if (!(n = section_param(c, &ins)))
        return APP_E_NOTFOUND;
    dm = &ins.domains[n - 1];
    if (!(answers = arena_strdup(c->arena, s.answers)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < dm->nitems; i++) {
        const struct assess_item *it = &dm->items[i];
        const char *name = arena_printf(c->arena, "item.%s", it->id);
        const char *v = name ? req_field(c->req, name) : NULL;
        int64_t k = -1;
        if (!name)
            return APP_E_NOMEM;
        if (!v) /* left unanswered, or cleared */
            continue;
        if (!parse_int64((struct str){v, strlen(v)}, &k) || k < 0 || (size_t)k >= it->noptions) {
            req_add_error(c->req, name,
                          arena_printf(c->arena, "Question %zu: choose one of the answers", i + 1));
            continue;
        }
        if (dm->first + i < strlen(answers))
            answers[dm->first + i] = assess_answer_char((int)k);
    }
    if (c->req->nerrors)
        return render_invalid(c, "assess/section", section_model(c, &r, &ins, s.answers, n));
    rc = assess_response_save(c->db, &r, &ins, s.id, answers, now);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "This assessment has closed, or these answers were submitted already.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "saved", jbool(1));
        m = jobj(m, "answered", jint((long long)answered_count(answers)));
        return render(c, 200, NULL, jobj(m, "items", jint((long long)ins.nitems)));
    }
    if (action && !strcmp(action, "later"))
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/saved", r.slug));
    if (action && !strcmp(action, "back") && n > 1)
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/section/%zu", r.slug, n - 1));
    if (n < ins.ndomains)
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/section/%zu", r.slug, n + 1));
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s/check", r.slug));
}

/* "Come back later": the resume link, from the token this browser holds. */
int page_assess_saved(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const char *token = request_token(c);
    bool done;
    json_t *m;
    int rc = load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    m = jobj(json_object(), "title", json_string_nocheck("Your answers have been saved"));
    m = jobj(m, "round", round_json(&r, (int64_t)time(NULL)));
    m = jobj(m, "answered", jint((long long)answered_count(s.answers)));
    m = jobj(m, "items_count", jint((long long)ins.nitems));
    if (token && strlen(token) == 64)
        m = jobj(
            m, "resume_url",
            jstr(arena_printf(c->arena, "%s/assess/%s/resume/%s", link_base(c), r.slug, token)));
    return render(c, 200, "assess/saved", m);
}

static json_t *check_model(const struct assess_round *r, const struct assess_instrument *ins,
                           const char *answers)
{
    size_t len = strlen(answers);
    json_t *secs = json_array(), *m;
    for (size_t d = 0; secs && d < ins->ndomains; d++) {
        const struct assess_domain *dm = &ins->domains[d];
        size_t done = 0;
        json_t *o;
        for (size_t i = 0; i < dm->nitems; i++)
            done += assess_answer_at(answers, len, dm->first + i) >= 0;
        o = jobj(json_object(), "number", jint((long long)d + 1));
        o = jobj(o, "title", jstr(dm->title));
        o = jobj(o, "answered", jint((long long)done));
        o = jobj(o, "items", jint((long long)dm->nitems));
        o = jobj(o, "complete", jbool(done == dm->nitems));
        if (!o || json_array_append_new(secs, o)) {
            json_decref(secs);
            secs = NULL;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Check your answers"));
    m = jobj(m, "round", round_json(r, (int64_t)time(NULL)));
    m = jobj(m, "sections", secs);
    m = jobj(m, "answered", jint((long long)answered_count(answers)));
    m = jobj(m, "items_count", jint((long long)ins->nitems));
    return jobj(m, "all_answered", jbool(answered_count(answers) == ins->nitems));
}

int page_assess_check(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    bool done;
    int rc = load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    return render(c, 200, "assess/check", check_model(&r, &ins, s.answers));
}

int page_assess_submit(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    bool done;
    int rc = load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    if (answered_count(s.answers) == 0) {
        req_add_error(c->req, "submit", "Answer at least one question before you submit");
        return render_invalid(c, "assess/check", check_model(&r, &ins, s.answers));
    }
    rc = assess_response_submit(c->db, &r, s.id, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "This assessment has closed, or these answers were submitted already.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "submitted", jbool(1)));
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s/result", r.slug));
}

/* ---- charts: SVG drawn here, the same numbers given as a table by the template ---- */

static json_t *svg_text(struct buf *b, int rc)
{
    json_t *s = NULL;
    if (!rc && !buf_oom(b))
        s = json_stringn(b->data ? b->data : "", b->len);
    buf_free(b);
    return s;
}

static struct disclosure_stat shown_value(double v)
{
    struct disclosure_stat s = {v, true, false};
    return s;
}

/* ---- a respondent's result ---- */

static const char *group_name(enum assess_dim d, int i, const struct assess_results *res)
{
    switch (d) {
    case AD_PROFESSION:
        return i >= 0 && (size_t)i < professions_count ? professions[i].name : "";
    case AD_REGION:
        return i >= 0 && (size_t)i < regions_count ? regions[i].name : "";
    case AD_ORGANISATION:
        return i >= 0 && (size_t)i < res->norgs ? res->org_names[i] : "";
    case AD_BAND:
        return i >= 0 && (size_t)i < assess_pay_bands_count
                   ? assess_pay_band_name(assess_pay_bands[i])
                   : "";
    default:
        return "";
    }
}

int page_assess_result(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const struct assess_results *res;
    struct assess_score *sc, overall;
    struct svg_bar *bars;
    struct buf chart = BUF_INIT;
    int prof;
    bool done;
    size_t best = 0, worst = 0, nscored = 0;
    json_t *doms, *m, *o;
    int rc = load_respondent(c, &r, &ins, &s, true, &done);
    if (rc || done)
        return rc;
    if (!s.submitted_at) /* a result is shown once the answers are in */
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/check", r.slug));
    sc = arena_calloc(c->arena, ins.ndomains, sizeof *sc);
    bars = arena_calloc(c->arena, ins.ndomains, sizeof *bars);
    if (!sc || !bars)
        return APP_E_NOMEM;
    assess_score(&ins, s.answers, strlen(s.answers), sc, &overall);
    if ((rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r.id, &ins, &res)))
        return rc;
    prof = assess_group_index(AD_PROFESSION, s.profession);
    doms = json_array();
    for (size_t d = 0; doms && d < ins.ndomains; d++) {
        const struct assess_domain *dm = &ins.domains[d];
        const struct assess_dist *pd =
            prof >= 0 ? assess_benchmark_cell(&res->bench, AD_PROFESSION, (size_t)prof, d) : NULL;
        const struct assess_band *band = sc[d].scored ? assess_band_for(&ins, sc[d].percent) : NULL;
        json_t *x = jobj(json_object(), "title", jstr(dm->title));
        x = jobj(x, "scored", jbool(sc[d].scored));
        x = jobj(x, "percent", sc[d].scored ? pct(sc[d].percent, 0) : jstr("Not answered"));
        x = jobj(x, "band", jstr(band ? band->name : ""));
        if (ins.method == AM_LEVELS && sc[d].scored)
            x = jobj(x, "level", jint(sc[d].level));
        if (dm->has_baseline)
            x = jobj(x, "baseline", pct(dm->baseline, 0));
        x = jobj(x, "national", stat_text(&res->bench.domains[d].mean, 0));
        if (pd)
            x = jobj(x, "profession_average", stat_text(&pd->mean, 0));
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
        bars[d].label = dm->title;
        bars[d].value = sc[d].scored ? shown_value(sc[d].percent) : (struct disclosure_stat){0};
        if (pd) {
            bars[d].has_second = true;
            bars[d].second = pd->mean;
        }
        if (dm->has_baseline) {
            bars[d].has_marker = true;
            bars[d].marker = dm->baseline;
        }
        if (sc[d].scored) {
            if (!nscored || sc[d].percent > sc[best].percent)
                best = d;
            if (!nscored || sc[d].percent < sc[worst].percent)
                worst = d;
            nscored++;
        }
    }
    {
        struct svg_meta meta = {"result-chart", "Your results by domain",
                                "Your percentage in each domain as bars, with your profession's "
                                "average as a thinner bar and the national baseline as a line "
                                "where there is one. The table below gives the values."};
        struct svg_bar_opts bo = {
            {100, 0, "%", 0}, "You", "Your profession's average", "National baseline"};
        rc = svg_bar_chart(&chart, &meta, bars, ins.ndomains, &bo);
    }
    o = jobj(json_object(), "scored", jbool(overall.scored));
    o = jobj(o, "percent", pct(overall.percent, 0));
    if (overall.scored && assess_band_for(&ins, overall.percent))
        o = jobj(o, "band", jstr(assess_band_for(&ins, overall.percent)->name));
    if (ins.method == AM_MEAN5)
        o = jobj(o, "mean5", pct(overall.mean5, 1));
    m = jobj(json_object(), "title", json_string_nocheck("Your results"));
    m = jobj(m, "round", round_json(&r, (int64_t)time(NULL)));
    m = jobj(m, "instrument", instrument_summary(&ins));
    m = jobj(m, "overall", o);
    m = jobj(m, "domains", doms);
    m = jobj(m, "profession", jstr(prof >= 0 ? professions[prof].name : ""));
    m = jobj(m, "has_profession", jbool(prof >= 0));
    m = jobj(m, "baseline_source", jstr(ins.baseline_source));
    m = jobj(m, "submitted", jdate(s.submitted_at));
    if (nscored > 1) {
        m = jobj(m, "strongest", jstr(ins.domains[best].title));
        m = jobj(m, "weakest", jstr(ins.domains[worst].title));
    }
    if (!c->want_json)
        m = jobj(m, "chart", svg_text(&chart, rc));
    else
        buf_free(&chart);
    return render(c, 200, "assess/result", m);
}

/* ---- benchmarks ---- */

/* "Profession", "Pay band": a dimension as a page names it. */
static const char *dim_label(enum assess_dim d)
{
    static const char *const labels[AD_NDIMS] = {"Profession", "Region", "Organisation",
                                                 "Pay band"};
    return (unsigned)d < AD_NDIMS ? labels[d] : "";
}

static enum assess_dim dim_param(struct ctx *c)
{
    const char *by = req_field(c->req, "by");
    for (int d = 0; by && d < AD_NDIMS; d++)
        if (!strcmp(by, assess_dim_name((enum assess_dim)d)))
            return (enum assess_dim)d;
    return AD_PROFESSION;
}

static json_t *dist_json(const struct assess_dist *x, bool baseline)
{
    json_t *o = jobj(json_object(), "count", count_text(&x->count));
    o = jobj(o, "mean", stat_text(&x->mean, 0));
    o = jobj(o, "median", stat_text(&x->median, 0));
    o = jobj(o, "q1", stat_text(&x->q1, 0));
    o = jobj(o, "q3", stat_text(&x->q3, 0));
    if (baseline)
        o = jobj(o, "vs_baseline", stat_text(&x->vs_baseline, 0));
    return o;
}

/* One dimension's table: a row per group with its count, each domain's mean and overall. */
static json_t *breakdown_json(const struct assess_instrument *ins, const struct assess_results *res,
                              enum assess_dim d)
{
    const struct assess_breakdown *bd = &res->bench.dims[d];
    json_t *rows = json_array();
    for (size_t g = 0; rows && g < bd->ngroups; g++) {
        const struct assess_group_stats *gs = &bd->groups[g];
        json_t *cells = json_array(), *row;
        for (size_t k = 0; cells && k < ins->ndomains; k++) {
            json_t *cell = dist_json(&gs->domains[k], ins->domains[k].has_baseline);
            if (!cell || json_array_append_new(cells, cell)) {
                json_decref(cells);
                cells = NULL;
            }
        }
        row = jobj(json_object(), "group", jstr(group_name(d, (int)g, res)));
        row = jobj(row, "count", count_text(&gs->count));
        row = jobj(row, "domains", cells);
        row = jobj(row, "overall", dist_json(&gs->overall, false));
        if (!row || json_array_append_new(rows, row)) {
            json_decref(rows);
            rows = NULL;
        }
    }
    return rows;
}

static json_t *heatmap_svg(struct ctx *c, const struct assess_instrument *ins,
                           const struct assess_results *res, enum assess_dim d)
{
    const struct assess_breakdown *bd = &res->bench.dims[d];
    const char **rows = arena_calloc(c->arena, bd->ngroups + 1, sizeof *rows);
    const char **cols = arena_calloc(c->arena, ins->ndomains + 1, sizeof *cols);
    struct disclosure_stat *cells =
        arena_calloc(c->arena, bd->ngroups * ins->ndomains + 1, sizeof *cells);
    struct buf b = BUF_INIT;
    struct svg_scale scale = {100, 0, "%", 0};
    const char *title =
        arena_printf(c->arena, "Mean percentage by %s and domain", assess_dim_name(d));
    struct svg_meta meta = {"heatmap", title,
                            "A grid with a row per group and a column per domain; darker cells "
                            "have higher means. Cells marked * are suppressed because they "
                            "describe 7 people or fewer. The table below gives the values."};
    if (!rows || !cols || !cells)
        return NULL;
    for (size_t k = 0; k < ins->ndomains; k++)
        cols[k] = ins->domains[k].title;
    for (size_t g = 0; g < bd->ngroups; g++) {
        rows[g] = group_name(d, (int)g, res);
        for (size_t k = 0; k < ins->ndomains; k++)
            cells[g * ins->ndomains + k] = bd->groups[g].domains[k].mean;
    }
    return svg_text(&b,
                    svg_heatmap(&b, &meta, bd->ngroups, ins->ndomains, rows, cols, cells, &scale));
}

static json_t *national_json(struct ctx *c, const struct assess_instrument *ins,
                             const struct assess_results *res, json_t **chart)
{
    json_t *rows = json_array();
    struct svg_bar *bars = arena_calloc(c->arena, ins->ndomains + 1, sizeof *bars);
    struct buf b = BUF_INIT;
    bool any_baseline = false;
    if (!bars) {
        json_decref(rows);
        return NULL;
    }
    for (size_t k = 0; rows && k < ins->ndomains; k++) {
        const struct assess_domain *dm = &ins->domains[k];
        json_t *x = dist_json(&res->bench.domains[k], dm->has_baseline);
        x = jobj(x, "title", jstr(dm->title));
        if (dm->has_baseline)
            x = jobj(x, "baseline", pct(dm->baseline, 0));
        if (!x || json_array_append_new(rows, x)) {
            json_decref(rows);
            rows = NULL;
        }
        bars[k].label = dm->title;
        bars[k].value = res->bench.domains[k].mean;
        bars[k].has_marker = dm->has_baseline;
        bars[k].marker = dm->baseline;
        any_baseline |= dm->has_baseline;
    }
    {
        struct svg_meta meta = {"national-chart", "Mean percentage by domain",
                                "The mean percentage of every respondent in each domain as a "
                                "bar, with the national baseline as a line where there is one. "
                                "The table below gives the values."};
        struct svg_bar_opts bo = {
            {100, 0, "%", 0}, "This round", NULL, any_baseline ? "National baseline" : NULL};
        *chart = svg_text(&b, svg_bar_chart(&b, &meta, bars, ins->ndomains, &bo));
    }
    return rows;
}

/* Change from another round of the same instrument: per domain for everyone, and overall
 * per group of the chosen dimension. Both sides are published values, so a change is shown
 * only where both are. */
static json_t *compare_json(struct ctx *c, const struct assess_instrument *ins,
                            const struct assess_results *now, const struct assess_round *other,
                            enum assess_dim d)
{
    struct assess_instrument oins;
    const struct assess_results *oldp;
    json_t *doms = json_array(), *groups = json_array(), *m;
    if (assess_version_load(c->db, c->app->assess_versions, c->arena, other->instrument_id,
                            &oins) ||
        assess_results_shared(c->db, c->app->assess_results, c->arena, other->id, &oins, &oldp)) {
        json_decref(doms);
        json_decref(groups);
        return NULL;
    }
    for (size_t k = 0; doms && k < ins->ndomains; k++) {
        const struct disclosure_stat *pa = &now->bench.domains[k].mean, *pb = NULL;
        json_t *x = jobj(json_object(), "title", jstr(ins->domains[k].title));
        /* domains are matched by id: a later version may add, drop or reorder them */
        for (size_t j = 0; j < oins.ndomains; j++)
            if (!strcmp(oins.domains[j].id, ins->domains[k].id))
                pb = &oldp->bench.domains[j].mean;
        x = jobj(x, "now", stat_text(pa, 0));
        x = jobj(x, "before", pb ? stat_text(pb, 0) : jstr("–"));
        if (pb && pa->shown && pb->shown)
            x = jobj(x, "change", jstr(arena_printf(c->arena, "%+.0f", pa->value - pb->value)));
        else
            x = jobj(x, "change", jstr("–"));
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    if (d != AD_ORGANISATION) { /* organisations are matched by index only within a round */
        const struct assess_breakdown *a = &now->bench.dims[d], *b = &oldp->bench.dims[d];
        for (size_t g = 0; groups && g < a->ngroups && g < b->ngroups; g++) {
            const struct disclosure_stat *x1 = &a->groups[g].overall.mean;
            const struct disclosure_stat *x0 = &b->groups[g].overall.mean;
            json_t *x = jobj(json_object(), "group", jstr(group_name(d, (int)g, now)));
            x = jobj(x, "now", stat_text(x1, 0));
            x = jobj(x, "before", stat_text(x0, 0));
            x = jobj(x, "change",
                     x1->shown && x0->shown
                         ? jstr(arena_printf(c->arena, "%+.0f", x1->value - x0->value))
                         : jstr("–"));
            if (!x || json_array_append_new(groups, x)) {
                json_decref(groups);
                groups = NULL;
            }
        }
    }
    m = jobj(json_object(), "title", jstr(other->title));
    m = jobj(m, "slug", jstr(other->slug));
    m = jobj(m, "domains", doms);
    return jobj(m, "groups", groups);
}

/* Respondents by profession and region, and (domain chosen) the mean of each cell: the
 * table the benchmark computes for every domain. Rows with no respondents are left out. */
static json_t *cross_json(const struct assess_results *res, size_t domain, bool with_means)
{
    const struct assess_benchmark *b = &res->bench;
    json_t *rows = json_array(), *regs = json_array();
    for (size_t r = 0; regs && r < b->nreg && r < regions_count; r++)
        json_array_append_new(regs, jstr(regions[r].name));
    for (size_t p = 0; rows && p < b->nprof && p < professions_count; p++) {
        json_t *cells = json_array(), *row;
        bool any = false;
        for (size_t r = 0; cells && r < b->nreg; r++) {
            const struct disclosure_cell *cc = &b->cross_counts[p * b->nreg + r];
            json_t *cell = jobj(json_object(), "count", count_text(cc));
            any |= !cc->shown || cc->value > 0;
            if (with_means)
                cell =
                    jobj(cell, "mean",
                         stat_text(&b->cross_means[(p * b->nreg + r) * b->ndomains + domain], 0));
            json_array_append_new(cells, cell);
        }
        if (!any) {
            json_decref(cells);
            continue;
        }
        row = jobj(json_object(), "profession", jstr(professions[p].name));
        row = jobj(row, "total", count_text(&b->cross_prof_totals[p]));
        row = jobj(row, "cells", cells);
        if (!row || json_array_append_new(rows, row)) {
            json_decref(rows);
            rows = NULL;
        }
    }
    return jobj(jobj(jobj(json_object(), "regions", regs), "rows", rows), "total",
                count_text(&b->cross_total));
}

int page_assess_benchmarks(struct ctx *c)
{
    struct assess_round r, *all = NULL;
    struct assess_instrument ins;
    const struct assess_results *res;
    enum assess_dim d = dim_param(c);
    const char *cmp = req_field(c->req, "compare"), *key = NULL;
    size_t nall = 0;
    json_t *m, *dims, *others, *chart = NULL, *cols;
    int rc = load_round(c, &r, &ins);
    if (rc)
        return rc;
    if (d == AD_ORGANISATION && !can_manage(c))
        d = AD_PROFESSION; /* members see national figures and their own, not trusts' */
    if ((rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r.id, &ins, &res)) ||
        (rc = assess_round_list(c->db, c->arena, &all, &nall)))
        return rc;
    /* The page's body is the same for everyone who sees this state of the round the same way
     * (grouping, domain, role; the rounds there are to compare with): it is rendered once and
     * kept with the shared results. A comparison reads another round too, so it is not kept. */
    if (!c->want_json && !(cmp && *cmp)) {
        const char *text;
        size_t len = 0;
        key = arena_printf(c->arena, "benchmarks by=%d domain=%lld manage=%d rounds=%zu/%lld",
                           (int)d, (long long)req_field_int(c->req, "domain", 0), can_manage(c),
                           nall, nall ? (long long)all[0].id : 0LL);
        if (key && (text = assess_results_fragment(res, key, &len)))
            return render_with_body(c, 200, arena_printf(c->arena, "Benchmarks: %s", r.title), text,
                                    len);
    }
    dims = json_array();
    for (int k = 0; dims && k < AD_NDIMS; k++) {
        json_t *o;
        if (k == AD_ORGANISATION && !can_manage(c))
            continue;
        o = jobj(json_object(), "value", jstr(assess_dim_name((enum assess_dim)k)));
        o = jobj(o, "label", jstr(dim_label((enum assess_dim)k)));
        o = jobj(o, "selected", jbool(k == (int)d));
        if (!o || json_array_append_new(dims, o)) {
            json_decref(dims);
            dims = NULL;
        }
    }
    cols = json_array();
    for (size_t k = 0; cols && k < ins.ndomains; k++)
        if (json_array_append_new(cols,
                                  jobj(jobj(json_object(), "title", jstr(ins.domains[k].title)),
                                       "has_baseline", jbool(ins.domains[k].has_baseline)))) {
            json_decref(cols);
            cols = NULL;
        }
    m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Benchmarks: %s", r.title)));
    m = jobj(m, "round", round_json(&r, (int64_t)time(NULL)));
    m = jobj(m, "instrument", instrument_summary(&ins));
    m = jobj(m, "baseline_source", jstr(ins.baseline_source));
    m = jobj(m, "responses", count_text(&res->bench.responses));
    m = jobj(m, "national", national_json(c, &ins, res, &chart));
    m = jobj(m, "overall", dist_json(&res->bench.overall, false));
    m = jobj(m, "by", jstr(assess_dim_name(d)));
    m = jobj(m, "by_label", jstr(dim_label(d)));
    m = jobj(m, "by_text", jstr(d == AD_BAND ? "pay band" : assess_dim_name(d)));
    m = jobj(m, "responses_hidden", jbool(!res->bench.responses.shown));
    m = jobj(m, "dimensions", dims);
    m = jobj(m, "columns", cols);
    m = jobj(m, "groups", breakdown_json(&ins, res, d));
    {
        /* the profession × region table, with one domain's means when one is asked for */
        int64_t dom = req_field_int(c->req, "domain", 0);
        bool means = dom >= 1 && (size_t)dom <= ins.ndomains;
        json_t *doms = json_array();
        for (size_t k = 0; doms && k < ins.ndomains; k++)
            json_array_append_new(doms, jobj(jobj(json_object(), "number", jint((long long)k + 1)),
                                             "title", jstr(ins.domains[k].title)));
        for (size_t k = 0; means && k < json_array_size(doms); k++)
            json_object_set_new(json_array_get(doms, k), "selected",
                                json_boolean((int64_t)k + 1 == dom));
        m = jobj(m, "cross", cross_json(res, means ? (size_t)dom - 1 : 0, means));
        m = jobj(m, "cross_domains", doms);
        if (means)
            m = jobj(m, "cross_domain", jstr(ins.domains[dom - 1].title));
    }
    m = jobj(m, "can_manage", jbool(can_manage(c)));
    /* other rounds of the same instrument, for the change between rounds */
    others = json_array();
    for (size_t i = 0; others && i < nall; i++) {
        json_t *o;
        if (all[i].id == r.id || strcmp(all[i].instrument_code, r.instrument_code))
            continue;
        o = jobj(json_object(), "slug", jstr(all[i].slug));
        o = jobj(o, "title", jstr(all[i].title));
        o = jobj(o, "selected", jbool(cmp && !strcmp(cmp, all[i].slug)));
        if (!o || json_array_append_new(others, o)) {
            json_decref(others);
            others = NULL;
        }
        if (cmp && !strcmp(cmp, all[i].slug))
            m = jobj(m, "compare", compare_json(c, &ins, res, &all[i], d));
    }
    m = jobj(m, "other_rounds", others);
    m = jobj(m, "has_other_rounds", jbool(others && json_array_size(others) > 0));
    if (!c->want_json) {
        m = jobj(m, "chart", chart);
        m = jobj(m, "heatmap", heatmap_svg(c, &ins, res, d));
    } else {
        json_decref(chart);
    }
    if (key) {
        struct buf body = BUF_INIT;
        rc = render_body(c, "assess/benchmarks", m, &body);
        if (!rc) {
            assess_results_keep(res, key, body.data, body.len);
            rc = render_with_body(c, 200, arena_printf(c->arena, "Benchmarks: %s", r.title),
                                  body.data, body.len);
        }
        buf_free(&body);
        return rc;
    }
    return render(c, 200, "assess/benchmarks", m);
}

/* ---- open data in and out ---- */

int page_assess_export(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    const struct assess_results *res;
    struct assess_benchmark bench;
    const char *file = req_param(c->req, "file");
    int rc = load_round(c, &r, &ins);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    if (!strcmp(file, "responses.csv")) {
        /* pseudonymous, but rows carry organisation, profession, region and band together:
         * for the people who run the round only */
        if (!can_manage(c))
            return c->user ? APP_E_FORBIDDEN : APP_E_UNAUTH;
        rc = assess_export_responses_csv(c->db, c->arena, &r, &ins, &c->resp->body);
        c->resp->content_type = "text/csv; charset=utf-8";
    } else if (!strcmp(file, "benchmark.csv") || !strcmp(file, "benchmark.json")) {
        if (!c->user)
            return APP_E_UNAUTH;
        rc = assess_results_shared(c->db, c->app->assess_results, c->arena, r.id, &ins, &res);
        if (!rc) {
            bench = res->bench; /* a copy of the shared one, to leave out what is not theirs */
            if (!can_manage(c)) /* members get national figures, not organisations' */
                bench.dims[AD_ORGANISATION].ngroups = 0;
        }
        if (!rc && file[10] == 'c') {
            rc = assess_export_benchmark_csv(&ins, &bench, res->org_names, &c->resp->body);
            c->resp->content_type = "text/csv; charset=utf-8";
        } else if (!rc) {
            json_t *j = assess_benchmark_json(&ins, &bench, res->org_names);
            rc = !j || json_dump_callback(j, buf_append_cb, &c->resp->body, JSON_INDENT(1))
                     ? APP_E_NOMEM
                     : APP_OK;
            json_decref(j);
            c->resp->content_type = "application/json";
        }
    } else {
        return APP_E_NOTFOUND;
    }
    if (rc)
        return rc;
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    return resp_header(c, "Content-Disposition",
                       arena_printf(c->arena, "attachment; filename=\"%s-%s\"", r.slug, file));
}

static json_t *import_model(struct ctx *c, const struct assess_round *r,
                            const struct assess_import_report *rep)
{
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Import responses"));
    m = jobj(m, "round", round_json(r, (int64_t)time(NULL)));
    m = jobj(m, "form", jobj(json_object(), "mapping", jstr(req_field(c->req, "mapping"))));
    if (rep && rep->nerrors) {
        json_t *errs = json_array();
        for (int i = 0; errs && i < rep->nerrors; i++)
            if (json_array_append_new(errs, jstr(rep->errors[i]))) {
                json_decref(errs);
                errs = NULL;
            }
        m = jobj(m, "import_errors", errs);
        m = jobj(m, "has_import_errors", jbool(1));
        m = jobj(m, "more_errors", jint(rep->more));
    }
    return m;
}

int page_assess_import_form(struct ctx *c)
{
    struct assess_round r;
    int rc = load_round(c, &r, NULL);
    if (rc)
        return rc;
    return render(c, 200, "assess/import", import_model(c, &r, NULL));
}

int page_assess_import(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_import_report *rep;
    const char *csv = NULL;
    size_t len = 0;
    int rc = load_round(c, &r, &ins);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "csv_file") && c->req->uploads[i].len) {
            csv = c->req->uploads[i].data;
            len = c->req->uploads[i].len;
        }
    if (!csv) {
        req_add_error(c->req, "csv_file", "Choose a CSV file of responses");
        return render_invalid(c, "assess/import", import_model(c, &r, NULL));
    }
    if (!(rep = arena_calloc(c->arena, 1, sizeof *rep)))
        return APP_E_NOMEM;
    rc = assess_import_csv(c->db, c->arena, &r, &ins, csv, len, req_field(c->req, "mapping"), rep);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "csv_file",
                      rep->nerrors == 1
                          ? "The file has a problem, shown below. Nothing was imported."
                          : "The file has problems, shown below. Nothing was imported.");
        return render_invalid(c, "assess/import", import_model(c, &r, rep));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(json_object(), "imported", jint(rep->imported)));
    rc = flash_set(c, "responses_imported");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/assess/%s/manage", r.slug));
}
