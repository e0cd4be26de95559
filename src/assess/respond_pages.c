/* respond_pages.c: taking an assessment: the start page, resuming, sections, check and submit */
#include "app.h"
#include "assess/results.h"
#include "assess/pages.h"
#include "account/account.h"
#include "account/org.h"
#include "core/arena.h"
#include "core/err.h"
#include "mail/mail.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

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

/* What the start form's questions about the respondent show: what was sent, when the form
 * comes back with an error; otherwise, for a member, what their account says, still theirs to
 * change. Only what the form then sends is stored, and in an anonymous round never the
 * account (response.c). Without the account's details the form simply starts empty. */
static bool about_shown(struct ctx *c, const char **prof, const char **region, int64_t *org)
{
    struct member_defaults d;
    *prof = req_field(c->req, "profession");
    *region = req_field(c->req, "region");
    *org = req_field_int(c->req, "organisation", 0);
    if ((c->route && !strcmp(c->route->name, "assess_start")) || !c->user ||
        account_member_defaults(c->db, c->arena, c->user->id, &d) != APP_OK)
        return false;
    *prof = d.profession;
    *region = d.region;
    *org = d.organisation_id;
    return *d.profession || *d.region || d.organisation_id;
}

/* Whether the round asks about the person answering: an organisation's assessment is
 * answered for the organisation, so it asks neither their profession nor their pay band
 * (its figures are grouped by organisation and region). */
static bool personal(const struct assess_round *r)
{
    return strcmp(r->audience, "organisation") != 0;
}

static json_t *start_model(struct ctx *c, const struct assess_round *r,
                           const struct assess_instrument *ins, const struct assess_invitation *inv)
{
    struct assess_response s;
    const char *prof, *region;
    int64_t org;
    bool found = false;
    int64_t now = (int64_t)time(NULL);
    json_t *m = jobj(json_object(), "title", jstr(r->title)), *f;
    bool prefilled = about_shown(c, &prof, &region, &org);
    if (assess_page_find_response(c, r, &s, &found) == APP_OK && found) {
        json_t *mine = jobj(json_object(), "submitted", jbool(s.submitted_at != 0));
        size_t next = next_section(ins, s.answers);
        mine = jobj(mine, "answered", jint((long long)answered_count(s.answers)));
        mine = jobj(mine, "next_section",
                    jint((long long)(next > ins->ndomains ? ins->ndomains : next)));
        mine = jobj(mine, "all_answered", jbool(next > ins->ndomains));
        m = jobj(m, "response", mine);
    }
    m = jobj(m, "round", assess_page_round_json(r, now));
    m = jobj(m, "instrument", assess_page_instrument_summary(ins));
    m = jobj(m, "needs_login", jbool(!r->anonymous && !c->user));
    m = jobj(m, "login_next", jstr(arena_printf(c->arena, "/assess/%s", r->slug)));
    if (inv) {
        m = jobj(m, "invitation",
                 jobj(jobj(json_object(), "code", jstr(inv->code)), "organisation",
                      jstr(inv->organisation_name)));
    } else if (!r->organisation_id) {
        json_t *orgs = assess_page_org_options(c, org);
        m = jobj(m, "has_organisations", jbool(orgs && json_array_size(orgs) > 0));
        m = jobj(m, "organisations", orgs);
    }
    f = jobj(json_object(), "profession", jstr(prof));
    f = jobj(f, "region", jstr(region));
    f = jobj(f, "organisation", jint(org));
    m = jobj(m, "form", f);
    m = jobj(m, "prefilled", jbool(prefilled));
    m = jobj(m, "personal", jbool(personal(r)));
    m = jobj(m, "professions", ref_options(c->app->ref_options, REF_PROFESSIONS, prof));
    m = jobj(m, "regions", ref_options(c->app->ref_options, REF_REGIONS, region));
    m = jobj(m, "bands", band_options(req_field(c->req, "band")));
    return jobj(m, "can_manage", jbool(assess_page_can_manage(c)));
}

int page_assess_round(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    int rc = assess_page_load_round(c, &r, &ins);
    if (rc)
        return rc;
    if (assess_round_state(&r, (int64_t)time(NULL)) == ARS_UPCOMING && !assess_page_can_manage(c))
        return APP_E_NOTFOUND;
    return render(c, 200, "assess/round", start_model(c, &r, &ins, NULL));
}

int page_assess_invitation(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_invitation inv;
    int rc = assess_page_load_round(c, &r, &ins);
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
    int rc = assess_page_load_round(c, &r, &ins);
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
    if (!personal(&r) && about.profession)
        req_add_error(c->req, "profession",
                      "This assessment is answered for an organisation: it does not ask for a "
                      "profession");
    if (!personal(&r) && about.band)
        req_add_error(c->req, "band",
                      "This assessment is answered for an organisation: it does not ask for a "
                      "pay band");
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
    rc = assess_page_set_cookie(c, &r, token);
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
    int rc = assess_page_load_round(c, &r, &ins);
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
    rc = assess_page_set_cookie(c, &r, token);
    if (rc)
        return rc;
    if (s.submitted_at)
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/result", r.slug));
    next = next_section(&ins, s.answers);
    if (next > ins.ndomains)
        return resp_redirect(c, arena_printf(c->arena, "/assess/%s/check", r.slug));
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s/section/%zu", r.slug, next));
}

static size_t section_param(struct ctx *c, const struct assess_instrument *ins)
{
    const char *p = req_param(c->req, "n");
    int64_t n = 0;
    if (!p || !parse_int64((struct str){p, strlen(p)}, &n) || n < 1 || (size_t)n > ins->ndomains)
        return 0;
    return (size_t)n;
}

/* The respondent a write acts for, as assess_page_load_respondent finds them. A request with
 * fields the request layer refused (a resume code that is not one, an answer too long) never
 * goes anywhere as if it had been sent without them: with answers to show the errors beside,
 * the handler shows its page again; without (no response, or one submitted already) the error
 * is the answer, where a clean request is sent on to the start or the result. */
static int load_for_write(struct ctx *c, struct assess_round *r, struct assess_instrument *ins,
                          struct assess_response *s, bool *done)
{
    bool found = false;
    int rc;
    if (!c->req->nerrors)
        return assess_page_load_respondent(c, r, ins, s, false, done);
    *done = true;
    if ((rc = assess_page_load_round(c, r, ins)) ||
        (rc = assess_page_find_response(c, r, s, &found)))
        return rc;
    if (!found)
        render_error(c, APP_E_NOTFOUND, "There is no response to this assessment from you yet.");
    else if (s->submitted_at)
        render_error(c, APP_E_CONFLICT, "These answers have been submitted already.");
    else
        *done = false;
    return APP_OK;
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
    m = jobj(m, "round", assess_page_round_json(r, (int64_t)time(NULL)));
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
    int rc = assess_page_load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    if (!(n = section_param(c, &ins)))
        return APP_E_NOTFOUND;
    return render(c, 200, "assess/section", section_model(c, &r, &ins, s.answers, n));
}

/* For req_refuse_members: a JSON body's answer that names no question of the section ctx
 * (an assess_domain: "item.nope", or a question of another section) is refused, as the
 * request layer refuses a member no route takes, since the family "item.*" in routes.def
 * cannot know the questions. A form sends its own section's questions only. */
static int item_in_section(void *ctx, struct arena *a, const char *rest, const char **why)
{
    const struct assess_domain *dm = ctx;
    for (size_t i = 0; i < dm->nitems; i++)
        if (!strcmp(dm->items[i].id, rest))
            return APP_OK;
    *why = arena_printf(a, "There is no question \"%s\" in this section", rest);
    return *why ? APP_OK : APP_E_NOMEM;
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
    int rc = load_for_write(c, &r, &ins, &s, &done);
    if (rc || done)
        return rc;
    if (!(n = section_param(c, &ins)))
        return APP_E_NOTFOUND;
    dm = &ins.domains[n - 1];
    if (!(answers = arena_strdup(c->arena, s.answers)) ||
        req_refuse_members(c->req, "item.", REQ_BODY_MEMBERS, item_in_section, (void *)dm))
        return APP_E_NOMEM;
    for (size_t i = 0; i < dm->nitems; i++) {
        const struct assess_item *it = &dm->items[i];
        const char *name = arena_printf(c->arena, "item.%s", it->id);
        const char *v = name ? req_field(c->req, name) : NULL;
        int64_t k = -1;
        if (!name)
            return APP_E_NOMEM;
        if (!v && !req_error(c->req, name)) /* left unanswered, or cleared */
            continue;
        /* no value but an error: the form layer refused it (too long to be an option, say),
         * and the range below describes the answer better than its generic limit */
        if (!v || !parse_int64((struct str){v, strlen(v)}, &k) || k < 0 ||
            (size_t)k >= it->noptions) {
            /* the form's radios send the option's position from 0 (section_model), and so
             * does the API (docs/assess.md); an API client is told the range */
            req_replace_error(
                c->req, name,
                c->want_json && it->noptions > 0
                    ? arena_printf(c->arena,
                                   "Question %zu: send a number from 0 to %zu, the answer's "
                                   "position in the list counting from 0 (0 is “%s”)",
                                   i + 1, it->noptions - 1, it->options[0].label)
                    : arena_printf(c->arena, "Question %zu: choose one of the answers", i + 1));
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
/* The resume link of an anonymous round, or NULL when this request holds no token to give.
 * A named round's response is kept with the member's account, found from any device they
 * log in on (assess_page_find_response), so it needs no link. */
static const char *resume_url(struct ctx *c, const struct assess_round *r, const char *token)
{
    if (!r->anonymous || !token || strlen(token) != 64)
        return NULL;
    return arena_printf(c->arena, "%s/assess/%s/resume/%s", assess_page_link_base(c), r->slug,
                        token);
}

static json_t *saved_model(struct ctx *c, const struct assess_round *r,
                           const struct assess_instrument *ins, const struct assess_response *s,
                           const char *token)
{
    const char *url = resume_url(c, r, token);
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Your answers have been saved"));
    m = jobj(m, "round", assess_page_round_json(r, (int64_t)time(NULL)));
    m = jobj(m, "answered", jint((long long)answered_count(s->answers)));
    m = jobj(m, "items_count", jint((long long)ins->nitems));
    m = jobj(m, "named", jbool(!r->anonymous));
    /* the address typed when the form comes back with an error (even one refused as not an
     * address); never the member's own to start from: the link is only for anonymous rounds,
     * and the address need not be one that names them */
    if (c->req->nerrors)
        m = jobj(m, "form", jobj(json_object(), "email", jstr(req_typed(c->req, "email"))));
    return url ? jobj(m, "resume_url", jstr(url)) : m;
}

/* Sends the resume link to an address the respondent gives. The address is used for this
 * message only: nothing stores it with the response, admins' outbox does not show the message,
 * and it drops the link and the address once the mail server has it (mail.h). A request with a refused field sends nothing: a resume
 * code that is not one must not fall back to the cookie's, and an address that is not one is
 * shown again as typed. */
int page_assess_saved_email(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const char *token = assess_page_request_token(c), *url, *email = req_field(c->req, "email");
    bool done;
    json_t *model;
    int rc = load_for_write(c, &r, &ins, &s, &done);
    if (rc || done)
        return rc;
    if (!(url = resume_url(c, &r, token))) {
        render_error(c, APP_E_NOTFOUND,
                     "There is no link to send: your answers are kept with your account.");
        return APP_OK;
    }
    if (c->req->nerrors)
        return render_invalid(c, "assess/saved", saved_model(c, &r, &ins, &s, token));
    model = json_pack("{s:s, s:s, s:{s:s, s:s}}", "subject", "Carry on with your assessment",
                      "round", r.title, "button", "url", url, "text", "Carry on with your answers");
    if (model && r.closes_at)
        json_object_set_new(model, "closes", jdate(r.closes_at - 1));
    rc = model ? mail_queue(c->db, c->app->tpl, email, "assess_resume", model, NULL) : APP_E_NOMEM;
    json_decref(model);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "email",
                      "Enter an email address in the correct format, like name@example.com");
        return render_invalid(c, "assess/saved", saved_model(c, &r, &ins, &s, token));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "sent", jbool(1)));
    if ((rc = flash_set(c, "assess_link_sent")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/assess/%s/saved", r.slug));
}

int page_assess_saved(struct ctx *c)
{
    struct assess_round r;
    struct assess_instrument ins;
    struct assess_response s;
    const char *token = assess_page_request_token(c);
    bool done;
    json_t *m;
    int rc = assess_page_load_respondent(c, &r, &ins, &s, false, &done);
    if (rc || done)
        return rc;
    m = saved_model(c, &r, &ins, &s, token);
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
        json_t *o, *items = json_array();
        /* each question with its answer, as the NHS.UK "check your answers" pattern shows
         * them; Change goes to the question on its section's page (its first option's id) */
        for (size_t i = 0; i < dm->nitems; i++) {
            const struct assess_item *it = &dm->items[i];
            int k = assess_answer_at(answers, len, dm->first + i);
            bool given = k >= 0 && (size_t)k < it->noptions;
            json_t *y = jobj(json_object(), "number", jint((long long)i + 1));
            done += k >= 0;
            y = jobj(y, "section", jint((long long)d + 1));
            y = jobj(y, "id", jstr(it->id));
            y = jobj(y, "text", jstr(it->text));
            y = jobj(y, "answered", jbool(given));
            if (given)
                y = jobj(y, "answer", jstr(it->options[k].label));
            if (!y || !items || json_array_append_new(items, y)) {
                json_decref(items);
                items = NULL;
            }
        }
        o = jobj(json_object(), "number", jint((long long)d + 1));
        o = jobj(o, "questions", items);
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
    m = jobj(m, "round", assess_page_round_json(r, (int64_t)time(NULL)));
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
    int rc = assess_page_load_respondent(c, &r, &ins, &s, false, &done);
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
    int rc = load_for_write(c, &r, &ins, &s, &done);
    if (rc || done)
        return rc;
    if (answered_count(s.answers) == 0 &&
        (rc = req_add_error(c->req, "submit", "Answer at least one question before you submit")))
        return rc;
    /* a resume code that is not one submits nothing, not even the cookie's answers */
    if (c->req->nerrors)
        return render_invalid(c, "assess/check", check_model(&r, &ins, s.answers));
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
