/* pages.c: Listen handlers — the exercise list, taking part, moderation, the hold-word list
 *
 * Taking part needs no account: the participant is the exercise-scoped cookie "ahp_lp" (a
 * random token; only its hash is stored). Handlers never put a participant id into a view
 * model: two contributions by the same person must not be linkable from outside.
 */
#include "listen/listen.h"
#include "listen/transfer.h"
#include "listen/analysis.h"
#include "listen/pages.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define PARTICIPANT_COOKIE "ahp_lp"
#define PARTICIPANT_DAYS 180
#define QUEUE_PAGE 20

/* Limits per minute: per participant (counted in the database, shared by every server) and
 * per network client (in memory; an NHS site may put hundreds of people behind one
 * address, so those are generous). */
#define LIMIT_POSTS 5
#define LIMIT_VOTES 60
#define LIMIT_FLAGS 10
#define CLIENT_POSTS 60
#define CLIENT_VOTES 600
#define CLIENT_FLAGS 60

/* ---- view models ---- */

static const char *vote_word(int v)
{
    return v == 1 ? "agree" : v == -1 ? "disagree" : v == 0 ? "pass" : "";
}

/* "email address, postcode; changed by a moderator" from the stored comma list. */
static json_t *redaction_text(const char *kinds)
{
    struct buf b = BUF_INIT;
    bool by_moderator = false;
    json_t *r;
    for (const char *p = kinds; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 9 && !strncmp(p, "moderator", 9)) {
            by_moderator = true;
        } else if (n) {
            if (b.len)
                buf_puts(&b, ", ");
            buf_append(&b, p, n);
        }
        p = comma ? comma + 1 : p + n;
    }
    if (by_moderator)
        buf_puts(&b, b.len ? "; changed by a moderator" : "changed by a moderator");
    r = buf_oom(&b) ? NULL : json_stringn(b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

json_t *listen_contribution_json(const struct listen_contribution *c, bool moderator)
{
    const char *aud = listen_audience_name(c->audience);
    json_t *o = jobj(json_object(), "id", jint(c->id));
    o = jobj(o, "body", jstr(c->body));
    o = jobj(o, "audience", json_string_nocheck(c->audience ? c->audience : ""));
    o = jobj(o, "audience_name", json_string_nocheck(aud ? aud : ""));
    o = jobj(o, "prompt_id", jint(c->prompt_id));
    o = jobj(o, "is_reply", jbool(c->parent_id != 0));
    o = jobj(o, "agrees", jint(c->agrees));
    o = jobj(o, "disagrees", jint(c->disagrees));
    o = jobj(o, "passes", jint(c->passes));
    o = jobj(o, "mine", jbool(c->mine));
    o = jobj(o, "my_vote", json_string_nocheck(vote_word(c->my_vote)));
    o = jobj(o, "voted_agree", jbool(c->my_vote == 1));
    o = jobj(o, "voted_disagree", jbool(c->my_vote == -1));
    o = jobj(o, "voted_pass", jbool(c->my_vote == 0));
    o = jobj(o, "status", jstr(c->status));
    o = jobj(o, "created", jdate(c->created_at));
    if (moderator) {
        o = jobj(o, "original", c->original ? jstr(c->original) : json_null());
        o = jobj(o, "redactions", jstr(c->redactions));
        o = jobj(o, "redaction_text", redaction_text(c->redactions));
        o = jobj(o, "hidden", jbool(c->hidden));
        o = jobj(o, "hold_reason", jstr(c->hold_reason));
        o = jobj(o, "hold_reason_text",
                 json_string_nocheck(!strcmp(c->hold_reason, "word_list")
                                         ? "It contains a word on the hold list"
                                     : !strcmp(c->hold_reason, "pre_moderation")
                                         ? "Every contribution is checked before it is shown"
                                     : !strcmp(c->hold_reason, "flags")
                                         ? "People reported it"
                                         : ""));
        o = jobj(o, "reject_reason", jstr(c->reject_reason));
        o = jobj(o, "flags", jint(c->flags));
        o = jobj(o, "is_pending", jbool(!strcmp(c->status, "pending")));
        o = jobj(o, "is_rejected", jbool(!strcmp(c->status, "rejected")));
        o = jobj(o, "is_approved", jbool(!strcmp(c->status, "approved")));
    }
    return o;
}

static const struct ref_item audience_items[] = {
    {"citizen", "A member of the public"},
    {"ahp", "An allied health professional"},
    {"staff", "Other health and care staff"},
};

static json_t *audience_options(const char *selected)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < 3; i++) {
        json_t *o = jobj(json_object(), "value", json_string_nocheck(audience_items[i].code));
        o = jobj(o, "text", json_string_nocheck(audience_items[i].name));
        o = jobj(o, "selected", jbool(selected && !strcmp(selected, audience_items[i].code)));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *exercise_json(struct arena *a, const struct listen_exercise *e, int64_t prompt)
{
    json_t *prompts = json_array(), *o;
    char *html = listen_markdown(a, e->summary_md);
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; prompts && i < e->nprompts; i++) {
        json_t *p = jobj(json_object(), "id", jint(e->prompts[i].id));
        p = jobj(p, "number", jint((long long)i + 1));
        p = jobj(p, "text", jstr(e->prompts[i].text));
        p = jobj(p, "selected", jbool(e->prompts[i].id == prompt));
        if (!p || json_array_append_new(prompts, p)) {
            json_decref(prompts);
            prompts = NULL;
        }
    }
    o = jobj(json_object(), "slug", jstr(e->slug));
    o = jobj(o, "title", jstr(e->title));
    o = jobj(o, "summary_md", jstr(e->summary_md));
    /* cmark output with raw HTML disabled: HTML the program made, safe for {{{ }}}. */
    o = jobj(o, "summary_html", html ? json_string(html) : NULL);
    o = jobj(o, "status", json_string_nocheck(listen_status_name(e->status)));
    o = jobj(o, "is_draft", jbool(e->status == LS_DRAFT));
    o = jobj(o, "is_open", jbool(e->status == LS_OPEN));
    o = jobj(o, "is_closed", jbool(e->status == LS_CLOSED));
    o = jobj(o, "is_published", jbool(e->status == LS_PUBLISHED));
    o = jobj(o, "accepting", jbool(listen_exercise_accepting(e, now)));
    o = jobj(o, "pre_moderation", jbool(e->pre_moderation));
    o = jobj(o, "flag_threshold", jint(e->flag_threshold));
    o = jobj(o, "audiences", jstr(e->audiences));
    o = jobj(o, "welcomes_citizens", jbool(strstr(e->audiences, "citizen") != NULL));
    o = jobj(o, "welcomes_ahps", jbool(strstr(e->audiences, "ahp") != NULL));
    o = jobj(o, "welcomes_staff", jbool(strstr(e->audiences, "staff") != NULL));
    o = jobj(o, "opens", jdate(e->opens_at));
    /* closes_at is the first moment it is closed: the day before is the last open day */
    o = jobj(o, "closes", jdate(e->closes_at ? e->closes_at - 86400 : 0));
    return jobj(o, "prompts", prompts);
}

/* Adds the text of the question a contribution answers. */
static json_t *with_prompt(const struct listen_exercise *e, json_t *it, int64_t prompt)
{
    for (size_t k = 0; it && k < e->nprompts; k++)
        if (e->prompts[k].id == prompt)
            return jobj(it, "prompt_text", jstr(e->prompts[k].text));
    return it;
}

/* ---- shared steps ---- */

bool listen_page_can_manage(const struct ctx *c)
{
    return c->user && c->user->role >= ROLE_FACILITATOR;
}

int listen_page_exercise(struct ctx *c, struct listen_exercise *e)
{
    int rc = listen_exercise_get(c->db, c->arena, req_param(c->req, "slug"), e);
    if (!rc && e->status == LS_DRAFT && !listen_page_can_manage(c))
        rc = APP_E_NOTFOUND;
    return rc;
}



static const char *cookie_path(struct ctx *c, const struct listen_exercise *e)
{
    return arena_printf(c->arena, "/listen/%s", e->slug);
}

/* This browser's participant in the exercise, if it has one. */
static int find_participant(struct ctx *c, const struct listen_exercise *e,
                            struct listen_participant *p, bool *found)
{
    const char *tok = req_cookie(c->req, PARTICIPANT_COOKIE);
    int rc;
    *found = false;
    if (!tok)
        return APP_OK;
    rc = listen_participant_find(c->db, c->arena, e->id, tok, p);
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    *found = rc == APP_OK;
    return rc;
}

/* The participant, made on first use (a contribution or vote before "about you"). */
static int ensure_participant(struct ctx *c, const struct listen_exercise *e,
                              struct listen_participant *p, const char *audience,
                              const char *profession, const char *region)
{
    char token[LISTEN_TOKEN_HEX];
    bool found;
    int rc = find_participant(c, e, p, &found);
    if (rc || found)
        return rc;
    rc = listen_participant_create(c->db, e->id, audience, profession, region, token, &p->id);
    if (rc)
        return rc;
    p->pseudonym = "";
    p->audience = audience ? audience : "";
    p->profession = profession ? profession : "";
    p->region = region ? region : "";
    return resp_cookie_path(c, PARTICIPANT_COOKIE, token, PARTICIPANT_DAYS * 86400L,
                            cookie_path(c, e));
}

/* Rate limits: 429 when this participant or this network client did too much this minute. */
static int check_rate(struct ctx *c, const char *what, int64_t participant)
{
    int per_participant = !strcmp(what, "vote") ? LIMIT_VOTES
                          : !strcmp(what, "flag") ? LIMIT_FLAGS
                                                  : LIMIT_POSTS;
    int per_client = !strcmp(what, "vote") ? CLIENT_VOTES
                     : !strcmp(what, "flag") ? CLIENT_FLAGS
                                             : CLIENT_POSTS;
    int64_t n = 0;
    int rc;
    if (c->req->has_client && !listen_rate_client(c->req->client_key, what, per_client))
        return APP_E_LIMIT;
    if (!participant)
        return APP_OK;
    rc = listen_recent_count(c->db, what, participant, (int64_t)time(NULL) - 60, &n);
    if (rc)
        return rc;
    return n >= per_participant ? APP_E_LIMIT : APP_OK;
}

/* After a participant's action, back to where they were on the exercise page. */
static int back_to_feed(struct ctx *c, const struct listen_exercise *e, int64_t anchor)
{
    long long prompt = (long long)req_field_int(c->req, "prompt", 0);
    long long page = (long long)req_field_int(c->req, "page", 1);
    char *to = anchor ? arena_printf(c->arena, "/listen/%s?prompt=%lld&page=%lld#c%lld", e->slug,
                                     prompt, page, (long long)anchor)
                      : arena_printf(c->arena, "/listen/%s?prompt=%lld&page=%lld", e->slug,
                                     prompt, page);
    return to ? resp_redirect(c, to) : APP_E_NOMEM;
}

/* ---- the list of exercises ---- */

int page_listen_index(struct ctx *c)
{
    struct listen_exercise *es;
    size_t n;
    json_t *arr, *m;
    int rc = listen_exercise_list(c->db, c->arena, listen_page_can_manage(c), &es, &n);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *e = exercise_json(c->arena, &es[i], 0);
        if (!e || json_array_append_new(arr, e)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Listening exercises"));
    m = jobj(m, "exercises", arr);
    m = jobj(m, "can_manage", jbool(listen_page_can_manage(c)));
    return render(c, 200, "listen/index", m);
}

/* ---- one exercise: read, describe yourself, contribute, vote, flag ---- */

static json_t *participant_json(const struct listen_participant *p)
{
    const char *aud = listen_audience_name(p->audience);
    const char *prof = ref_name(professions, professions_count, p->profession);
    const char *reg = ref_name(regions, regions_count, p->region);
    json_t *o = jobj(json_object(), "audience", jstr(p->audience));
    o = jobj(o, "audience_name", json_string_nocheck(aud ? aud : ""));
    o = jobj(o, "profession_name", json_string_nocheck(prof ? prof : ""));
    return jobj(o, "region_name", json_string_nocheck(reg ? reg : ""));
}

static json_t *show_model(struct ctx *c, const struct listen_exercise *e)
{
    struct listen_participant p = {0};
    struct listen_contribution *feed;
    size_t n;
    int64_t total, prompt = req_field_int(c->req, "prompt", 0);
    int64_t page = req_field_int(c->req, "page", 1);
    bool found;
    json_t *m, *items;
    if (page < 1)
        page = 1;
    if (find_participant(c, e, &p, &found))
        return NULL;
    /* Anonymous readers all see one shuffle; each participant their own, so contributions
     * near the end of the fewest-votes order still get seen. */
    if (listen_feed(c->db, c->arena, e->id, prompt, found ? p.id : 0,
                    found ? p.id * 7919 + e->id : e->id, (int)((page - 1) * LISTEN_PAGE),
                    LISTEN_PAGE, &feed, &n, &total))
        return NULL;
    items = json_array();
    for (size_t i = 0; items && i < n; i++) {
        struct listen_contribution *rs;
        size_t nr;
        json_t *it = listen_contribution_json(&feed[i], false), *replies = json_array();
        if (listen_replies(c->db, c->arena, feed[i].id, found ? p.id : 0, &rs, &nr) == APP_OK)
            for (size_t k = 0; replies && k < nr; k++)
                if (json_array_append_new(replies, listen_contribution_json(&rs[k], false))) {
                    json_decref(replies);
                    replies = NULL;
                }
        it = with_prompt(e, it, feed[i].prompt_id);
        it = jobj(it, "replies", replies);
        if (!it || json_array_append_new(items, it)) {
            json_decref(items);
            return NULL;
        }
    }
    m = jobj(json_object(), "title", jstr(e->title));
    m = jobj(m, "exercise", exercise_json(c->arena, e, prompt));
    if (found)
        m = jobj(m, "participant", participant_json(&p));
    m = jobj(m, "audience_options", audience_options(found ? p.audience : NULL));
    m = jobj(m, "professions",
             ref_options(c->app->ref_options, REF_PROFESSIONS, found ? p.profession : NULL));
    m = jobj(m, "regions", ref_options(c->app->ref_options, REF_REGIONS, found ? p.region : NULL));
    m = jobj(m, "contributions", items);
    m = jobj(m, "total", jint(total));
    m = jobj(m, "prompt", jint(prompt));
    m = jobj(m, "page", jint(page));
    m = jobj(m, "pagination",
             render_pagination(arena_printf(c->arena, "/listen/%s?prompt=%lld", e->slug,
                                            (long long)prompt),
                               page, LISTEN_PAGE, total, "#contributions"));
    m = jobj(m, "text_max", jint(LISTEN_TEXT_MAX));
    return jobj(m, "can_manage", jbool(listen_page_can_manage(c)));
}

int page_listen_show(struct ctx *c)
{
    struct listen_exercise e;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    return render(c, 200, "listen/show", show_model(c, &e));
}

/* Re-shows the exercise page with the request's field errors (status 400). */
static int show_invalid(struct ctx *c, const struct listen_exercise *e)
{
    return render_invalid(c, "listen/show", show_model(c, e));
}

int page_listen_about(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    const char *aud = req_field(c->req, "audience"), *prof = req_field(c->req, "profession");
    const char *reg = req_field(c->req, "region");
    bool found;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (aud && !listen_audience_name(aud))
        req_add_error(c->req, "audience", "Select who you are from the list, or prefer not to say");
    if (prof && !ref_name(professions, professions_count, prof))
        req_add_error(c->req, "profession", "Select your profession from the list");
    if (reg && !ref_name(regions, regions_count, reg))
        req_add_error(c->req, "region", "Select your region from the list");
    if (c->req->nerrors)
        return show_invalid(c, &e);
    if (!listen_exercise_accepting(&e, (int64_t)time(NULL)))
        return APP_E_CONFLICT;
    rc = find_participant(c, &e, &p, &found);
    if (!rc)
        rc = found ? listen_participant_describe(c->db, p.id, aud, prof, reg)
                   : ensure_participant(c, &e, &p, aud, prof, reg);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "described", jbool(1)));
    return back_to_feed(c, &e, 0);
}

/* The steps every participant action shares: the exercise must take part now, the field
 * errors go back to the page, the browser gets its participant, and the rate limit holds.
 * Returns APP_OK with *done set when an answer has already been given. */
static int begin_action(struct ctx *c, struct listen_exercise *e, struct listen_participant *p,
                        const char *what, bool *done)
{
    int rc = listen_page_exercise(c, e);
    *done = false;
    if (rc)
        return rc;
    if (c->req->nerrors) {
        *done = true;
        return show_invalid(c, e);
    }
    if (!listen_exercise_accepting(e, (int64_t)time(NULL))) {
        *done = true;
        render_error(c, APP_E_CONFLICT, "This exercise is not taking part now.");
        return APP_OK;
    }
    rc = ensure_participant(c, e, p, NULL, NULL, NULL);
    return rc ? rc : check_rate(c, what, p->id);
}

int page_listen_contribute(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    const char *status = "approved";
    int64_t id = 0;
    bool done;
    int rc = begin_action(c, &e, &p, "post", &done);
    if (rc || done)
        return rc;
    rc = listen_contribute(c->db, &e, p.id, req_field_int(c->req, "prompt", 0),
                           req_field_int(c->req, "parent", 0), req_field(c->req, "text"), &id,
                           &status);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, req_field(c->req, "parent") ? "parent" : "prompt",
                      req_field(c->req, "parent") ? "The contribution you reply to is not shown"
                                                  : "Choose a question to answer");
        return show_invalid(c, &e);
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "status", jstr(status)));
    if (!strcmp(status, "pending"))
        rc = flash_set(c, "listen_pending");
    else
        rc = flash_set(c, "listen_posted");
    return rc ? rc : back_to_feed(c, &e, strcmp(status, "pending") ? id : 0);
}

int page_listen_vote(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    const char *v = req_field(c->req, "vote");
    int64_t id = req_field_int(c->req, "contribution", 0);
    int vote = v && !strcmp(v, "agree")      ? 1
               : v && !strcmp(v, "disagree") ? -1
               : v && !strcmp(v, "pass")     ? 0
                                             : 2;
    bool done;
    int rc;
    if (vote == 2)
        req_add_error(c->req, "vote", "Choose agree, disagree or pass");
    rc = begin_action(c, &e, &p, "vote", &done);
    if (rc || done)
        return rc;
    rc = listen_vote(c->db, &e, p.id, id, vote);
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc, "You cannot vote on your own contribution.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "vote", jstr(vote_word(vote))));
    return back_to_feed(c, &e, id);
}

int page_listen_flag(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    int64_t id = req_field_int(c->req, "contribution", 0);
    bool done;
    int rc = begin_action(c, &e, &p, "flag", &done);
    if (rc || done)
        return rc;
    rc = listen_flag(c->db, &e, p.id, id, req_field(c->req, "reason"));
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc, "You cannot flag your own contribution. You can withdraw it.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "flagged", jbool(1)));
    rc = flash_set(c, "listen_flagged");
    return rc ? rc : back_to_feed(c, &e, 0);
}

int page_listen_mine(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    struct listen_contribution *cs = NULL;
    size_t n = 0;
    bool found;
    json_t *arr, *m;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = find_participant(c, &e, &p, &found);
    if (!rc && found)
        rc = listen_mine(c->db, c->arena, e.id, p.id, &cs, &n);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *it = with_prompt(&e, listen_contribution_json(&cs[i], false), cs[i].prompt_id);
        it = jobj(it, "is_pending", jbool(!strcmp(cs[i].status, "pending")));
        it = jobj(it, "is_rejected", jbool(!strcmp(cs[i].status, "rejected")));
        it = jobj(it, "is_hidden", jbool(cs[i].hidden));
        if (!it || json_array_append_new(arr, it)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Your contributions"));
    m = jobj(m, "exercise", exercise_json(c->arena, &e, 0));
    m = jobj(m, "contributions", arr);
    return render(c, 200, "listen/mine", m);
}

int page_listen_withdraw(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    bool found;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = find_participant(c, &e, &p, &found);
    if (rc)
        return rc;
    if (!found)
        return APP_E_NOTFOUND;
    rc = listen_withdraw(c->db, p.id, req_field_int(c->req, "contribution", 0));
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "withdrawn", jbool(1)));
    rc = flash_set(c, "listen_withdrawn");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/mine", e.slug));
}

/* ---- facilitators: create, edit, open and close ---- */

/* The exercise form's model: from the exercise (editing) or empty (new). */
static json_t *form_model(struct ctx *c, const struct listen_exercise *e)
{
    json_t *m = jobj(json_object(), "title",
                     json_string_nocheck(e ? "Edit listening exercise" : "New listening exercise"));
    if (e) {
        struct buf prompts = BUF_INIT;
        json_t *f;
        for (size_t i = 0; i < e->nprompts; i++) {
            buf_puts(&prompts, e->prompts[i].text);
            buf_putc(&prompts, '\n');
        }
        f = jobj(json_object(), "title", jstr(e->title));
        f = jobj(f, "summary", jstr(e->summary_md));
        f = jobj(f, "audience_citizen", jbool(strstr(e->audiences, "citizen") != NULL));
        f = jobj(f, "audience_ahp", jbool(strstr(e->audiences, "ahp") != NULL));
        f = jobj(f, "audience_staff", jbool(strstr(e->audiences, "staff") != NULL));
        f = jobj(f, "opens", jdate_input(e->opens_at));
        f = jobj(f, "closes", jdate_input(e->closes_at ? e->closes_at - 86400 : 0));
        f = jobj(f, "moderation", json_string_nocheck(e->pre_moderation ? "pre" : "post"));
        f = jobj(f, "moderation_pre", jbool(e->pre_moderation));
        f = jobj(f, "moderation_post", jbool(!e->pre_moderation));
        f = jobj(f, "flag_threshold", jint(e->flag_threshold));
        f = jobj(f, "prompts", buf_oom(&prompts) ? NULL : jstr(prompts.data));
        buf_free(&prompts);
        if (!c->req->nerrors)
            m = jobj(m, "form", f);
        else
            json_decref(f);
        m = jobj(m, "exercise", exercise_json(c->arena, e, 0));
    } else if (!c->req->nerrors) {
        json_t *f = jobj(json_object(), "audience_citizen", jbool(1));
        f = jobj(f, "audience_ahp", jbool(1));
        f = jobj(f, "audience_staff", jbool(1));
        f = jobj(f, "moderation", json_string_nocheck("post"));
        f = jobj(f, "moderation_post", jbool(1));
        f = jobj(f, "flag_threshold", jint(3));
        m = jobj(m, "form", f);
    }
    if (m && c->req->nerrors) {
        /* keep what was typed; checkboxes come back as booleans for the template */
        json_t *f = json_object();
        const char *names[] = {"title", "summary", "opens", "closes", "moderation",
                               "flag_threshold", "prompts"};
        for (size_t i = 0; f && i < sizeof names / sizeof names[0]; i++)
            f = jobj(f, names[i], jstr(req_field(c->req, names[i])));
        f = jobj(f, "audience_citizen", jbool(req_field_bool(c->req, "audience_citizen")));
        f = jobj(f, "audience_ahp", jbool(req_field_bool(c->req, "audience_ahp")));
        f = jobj(f, "audience_staff", jbool(req_field_bool(c->req, "audience_staff")));
        {
            const char *mod = req_field(c->req, "moderation");
            f = jobj(f, "moderation_pre", jbool(mod && !strcmp(mod, "pre")));
            f = jobj(f, "moderation_post", jbool(mod && !strcmp(mod, "post")));
        }
        m = jobj(m, "form", f);
    }
    return m;
}

/* Reads and checks the exercise form. Adds field errors; returns APP_E_NOMEM only. */
static int read_form(struct ctx *c, struct listen_exercise_input *in)
{
    const char *mod = req_field(c->req, "moderation"), *prompts = req_field(c->req, "prompts");
    struct buf audb = BUF_INIT;
    const char **list;
    size_t n = 0;
    memset(in, 0, sizeof *in);
    in->title = req_field(c->req, "title");
    in->summary_md = req_field(c->req, "summary");
    if (req_field_bool(c->req, "audience_citizen"))
        buf_puts(&audb, "citizen,");
    if (req_field_bool(c->req, "audience_ahp"))
        buf_puts(&audb, "ahp,");
    if (req_field_bool(c->req, "audience_staff"))
        buf_puts(&audb, "staff,");
    if (!audb.len)
        req_add_error(c->req, "audience_citizen",
                      "Select at least one group of people to hear from");
    in->audiences = arena_strndup(c->arena, audb.data ? audb.data : "", audb.len ? audb.len - 1 : 0);
    buf_free(&audb);
    if (!form_date(req_field(c->req, "opens"), &in->opens_at))
        req_add_error(c->req, "opens", "Enter the opening date as YYYY-MM-DD, like 2026-12-01");
    if (!form_date(req_field(c->req, "closes"), &in->closes_at))
        req_add_error(c->req, "closes", "Enter the closing date as YYYY-MM-DD, like 2027-01-31");
    else if (in->closes_at)
        in->closes_at += 86400; /* open until the end of the closing day */
    if (in->opens_at && in->closes_at && in->closes_at <= in->opens_at)
        req_add_error(c->req, "closes", "The closing date must be on or after the opening date");
    if (!mod || (strcmp(mod, "pre") && strcmp(mod, "post")))
        req_add_error(c->req, "moderation", "Select how contributions are moderated");
    in->pre_moderation = mod && !strcmp(mod, "pre");
    in->flag_threshold = (int)req_field_int(c->req, "flag_threshold", 3);
    if (in->flag_threshold < 1 || in->flag_threshold > 100)
        req_add_error(c->req, "flag_threshold", "Enter a number of flags between 1 and 100");
    /* One question per line; blank lines are ignored. */
    list = arena_calloc(c->arena, 64, sizeof *list);
    if (!list || !in->audiences)
        return APP_E_NOMEM;
    for (const char *p = prompts; p && *p && n < 64;) {
        const char *nl = strchr(p, '\n');
        struct str line = str_trim((struct str){p, nl ? (size_t)(nl - p) : strlen(p)});
        if (line.len > 500) {
            req_add_error(c->req, "prompts", "Each question must be 500 characters or fewer");
            break;
        }
        if (line.len && !(list[n++] = str_dup(c->arena, line)))
            return APP_E_NOMEM;
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (n == 0 && !req_error(c->req, "prompts"))
        req_add_error(c->req, "prompts", "Enter at least one question, one per line");
    in->prompts = list;
    in->nprompts = n;
    return APP_OK;
}

int page_listen_new_form(struct ctx *c)
{
    return render(c, 200, "listen/form", form_model(c, NULL));
}

int page_listen_create(struct ctx *c)
{
    struct listen_exercise_input in;
    const char *slug = NULL;
    int64_t id;
    int rc = read_form(c, &in);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/form", form_model(c, NULL));
    rc = listen_exercise_create(c->db, &in, c->user->id, &id, &slug, c->arena);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(jobj(json_object(), "id", jint(id)), "slug", jstr(slug)));
    rc = flash_set(c, "exercise_saved");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", slug));
}

int page_listen_edit_form(struct ctx *c)
{
    struct listen_exercise e;
    int rc = listen_page_exercise(c, &e);
    return rc ? rc : render(c, 200, "listen/form", form_model(c, &e));
}

int page_listen_edit(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_exercise_input in;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = read_form(c, &in);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/form", form_model(c, &e));
    rc = listen_exercise_update(c->db, e.id, &in);
    if (rc == APP_E_CONFLICT) {
        req_add_error(c->req, "prompts",
                      "A question that people have already answered cannot be removed");
        return render_invalid(c, "listen/form", form_model(c, &e));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    rc = flash_set(c, "exercise_saved");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", e.slug));
}

int page_listen_status(struct ctx *c)
{
    struct listen_exercise e;
    enum listen_status to;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (listen_status_parse(req_field(c->req, "status"), &to)) {
        render_error(c, APP_E_INVALID, "Choose open, closed or published.");
        return APP_OK;
    }
    rc = listen_exercise_set_status(c->db, e.id, to, c->user->id);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "The exercise cannot move to that status from where it is now.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "status", jstr(listen_status_name(to))));
    rc = flash_set(c, "exercise_status");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", e.slug));
}

/* ---- moderation ---- */

static const char *const filters[] = {"review", "flagged", "approved", "rejected", "all"};

int page_listen_queue(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_contribution *cs;
    struct listen_queue_counts counts;
    const char *filter = req_field(c->req, "filter");
    int64_t page = req_field_int(c->req, "page", 1), total;
    size_t n;
    bool known = false;
    json_t *arr, *m, *tabs;
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    for (size_t i = 0; filter && i < 5; i++)
        known |= !strcmp(filter, filters[i]);
    if (!known)
        filter = "review";
    if (page < 1)
        page = 1;
    rc = listen_queue(c->db, c->arena, e.id, filter, (int)((page - 1) * QUEUE_PAGE), QUEUE_PAGE,
                      &cs, &n, &total, &counts);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, with_prompt(&e, listen_contribution_json(&cs[i], true),
                                                   cs[i].prompt_id))) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    tabs = json_array();
    {
        const long long cnt[] = {counts.pending + counts.hidden, counts.flagged, counts.approved,
                                 counts.rejected,
                                 counts.pending + counts.hidden + counts.approved +
                                     counts.rejected + counts.withdrawn};
        const char *labels[] = {"To review", "Flagged", "Shown", "Rejected", "All"};
        for (size_t i = 0; tabs && i < 5; i++) {
            json_t *t = jobj(json_object(), "filter", json_string_nocheck(filters[i]));
            t = jobj(t, "label", json_string_nocheck(labels[i]));
            t = jobj(t, "count", jint(cnt[i]));
            t = jobj(t, "current", jbool(!strcmp(filter, filters[i])));
            if (!t || json_array_append_new(tabs, t)) {
                json_decref(tabs);
                tabs = NULL;
            }
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Moderation"));
    m = jobj(m, "exercise", exercise_json(c->arena, &e, 0));
    m = jobj(m, "filter", jstr(filter));
    m = jobj(m, "filters", tabs);
    m = jobj(m, "contributions", arr);
    m = jobj(m, "total", jint(total));
    m = jobj(m, "page", jint(page));
    m = jobj(m, "pagination",
             render_pagination(arena_printf(c->arena, "/listen/%s/moderate?filter=%s", e.slug,
                                            filter),
                               page, QUEUE_PAGE, total, NULL));
    return render(c, 200, "listen/moderate", m);
}

int page_listen_moderate(struct ctx *c)
{
    struct listen_exercise e;
    int64_t id;
    const char *action = req_field(c->req, "action"), *filter = req_field(c->req, "filter");
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    if (action && !strcmp(action, "reject") && !req_field(c->req, "reason"))
        req_add_error(c->req, "reason", "Enter why the contribution is rejected");
    if (action && !strcmp(action, "redact") && !req_field(c->req, "text"))
        req_add_error(c->req, "text", "Enter the contribution as it should be shown");
    if (c->req->nerrors) {
        render_error(c, APP_E_INVALID, req_error(c->req, req_field(c->req, "reason") ? "text"
                                                                                     : "reason"));
        return APP_OK;
    }
    rc = listen_moderate(c->db, e.id, id, c->user->id, action, req_field(c->req, "reason"),
                         req_field(c->req, "text"));
    if (rc == APP_E_INVALID) {
        render_error(c, rc, "Choose approve, reject, redact or restore.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "moderated", jbool(1)));
    rc = flash_set(c, "moderated");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/listen/%s/moderate?filter=%s", e.slug,
                                              filter ? filter : "review"));
}

/* ---- the hold-word list ---- */

static json_t *words_model(struct ctx *c)
{
    const char **words;
    size_t n;
    json_t *arr, *m;
    if (listen_hold_words(c->db, c->arena, &words, &n))
        return NULL;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, jstr(words[i]))) {
            json_decref(arr);
            return NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Words that hold a contribution"));
    return jobj(m, "words", arr);
}

int page_listen_words(struct ctx *c)
{
    return render(c, 200, "listen/words", words_model(c));
}

int page_listen_words_change(struct ctx *c)
{
    const char *w = req_field(c->req, "word");
    int rc;
    if (c->req->nerrors)
        return render_invalid(c, "listen/words", words_model(c));
    rc = req_field_bool(c->req, "remove") ? listen_hold_word_remove(c->db, w)
                                          : listen_hold_word_add(c->db, w);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "saved", jbool(1)));
    rc = flash_set(c, "words_saved");
    return rc ? rc : resp_redirect(c, "/admin/listen-words");
}

/* ---- open data: export and import ---- */

static const struct {
    const char *file, *type;
    int (*fn)(struct db *, int64_t, struct buf *);
} exports[] = {
    {"summary.csv", "text/csv; charset=utf-8", listen_export_summary},
    {"comments.csv", "text/csv; charset=utf-8", listen_export_comments},
    {"votes.csv", "text/csv; charset=utf-8", listen_export_votes},
    {"participants-votes.csv", "text/csv; charset=utf-8", listen_export_participants_votes},
    {"exercise.json", "application/json; charset=utf-8", listen_export_json},
};

int page_listen_export(struct ctx *c)
{
    struct listen_exercise e;
    const char *file = req_param(c->req, "file");
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    /* Published exercises are open data; before that only facilitators may take a copy. */
    if (e.status != LS_PUBLISHED && !listen_page_can_manage(c))
        return c->user ? APP_E_FORBIDDEN : APP_E_UNAUTH;
    for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
        if (strcmp(file, exports[i].file) != 0)
            continue;
        buf_reset(&c->resp->body);
        rc = exports[i].fn(c->db, e.id, &c->resp->body);
        if (rc)
            return rc;
        if (buf_oom(&c->resp->body))
            return APP_E_NOMEM;
        c->resp->status = 200;
        c->resp->content_type = exports[i].type;
        return resp_header(c, "Content-Disposition",
                           arena_printf(c->arena, "attachment; filename=\"%s-%s\"", e.slug,
                                        exports[i].file));
    }
    return APP_E_NOTFOUND;
}

static json_t *import_model(struct ctx *c, const struct import_report *rep)
{
    const char *kind = req_field(c->req, "kind");
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Import responses"));
    m = jobj(m, "kind_polis", jbool(!kind || !strcmp(kind, "polis")));
    m = jobj(m, "kind_csv", jbool(kind && !strcmp(kind, "csv")));
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

int page_listen_import_form(struct ctx *c)
{
    return render(c, 200, "listen/import", import_model(c, NULL));
}

/* The bytes of an uploaded file field, or an empty slice. */
static struct str upload(struct ctx *c, const char *field)
{
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, field))
            return (struct str){c->req->uploads[i].data, c->req->uploads[i].len};
    return (struct str){"", 0};
}

int page_listen_import(struct ctx *c)
{
    struct import_report rep;
    const char *kind = req_field(c->req, "kind");
    struct listen_exercise e;
    int64_t id = 0;
    int rc;
    memset(&rep, 0, sizeof rep);
    if (!kind || (strcmp(kind, "polis") && strcmp(kind, "csv")))
        req_add_error(c->req, "kind", "Select what you are importing");
    else if (!strcmp(kind, "polis") && !upload(c, "comments_file").len)
        req_add_error(c->req, "comments_file", "Select the comments.csv file");
    else if (!strcmp(kind, "polis") && !upload(c, "votes_file").len &&
             !upload(c, "participants_votes_file").len)
        req_add_error(c->req, "votes_file", "Select votes.csv or participants-votes.csv");
    else if (!strcmp(kind, "csv") && !upload(c, "csv_file").len)
        req_add_error(c->req, "csv_file", "Select the CSV file");
    else if (!strcmp(kind, "csv") && !req_field(c->req, "text_column"))
        req_add_error(c->req, "text_column", "Enter the name of the column with the answers");
    if (c->req->nerrors)
        return render_invalid(c, "listen/import", import_model(c, NULL));
    if (!strcmp(kind, "polis")) {
        struct polis_files f = {upload(c, "summary_file"), upload(c, "comments_file"),
                                upload(c, "votes_file"), upload(c, "participants_votes_file")};
        rc = listen_import_polis(c->db, &f, req_field(c->req, "title"), c->user->id, &id, &rep);
    } else {
        struct str data = upload(c, "csv_file");
        struct csv_import_opts o = {req_field(c->req, "text_column"),
                                    req_field(c->req, "audience_column"),
                                    req_field(c->req, "profession_column"),
                                    req_field(c->req, "region_column"), req_field(c->req, "title")};
        rc = listen_import_csv(c->db, data.p, data.len, &o, c->user->id, &id, &rep);
    }
    if (rc == APP_E_INVALID) {
        /* Nothing was stored; say exactly which lines are wrong. */
        if (c->want_json) {
            json_t *m = jobj(json_object(), "error", json_string_nocheck("invalid"));
            json_t *errs = json_array();
            for (int i = 0; errs && i < rep.nerrors; i++)
                json_array_append_new(errs, jstr(rep.errors[i]));
            m = jobj(m, "message", json_string_nocheck("The file was not imported"));
            return render(c, 400, NULL, jobj(m, "errors", errs));
        }
        req_add_error(c->req, !strcmp(kind, "csv") ? "csv_file" : "comments_file",
                      "The file was not imported. Correct the lines listed and try again");
        return render_invalid(c, "listen/import", import_model(c, &rep));
    }
    if (rc)
        return rc;
    rc = listen_exercise_get_id(c->db, c->arena, id, &e);
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "slug", jstr(e.slug));
        m = jobj(m, "comments", jint(rep.comments));
        m = jobj(m, "participants", jint(rep.participants));
        m = jobj(m, "votes", jint(rep.votes));
        return render(c, 201, NULL, m);
    }
    rc = flash_set(c, "imported");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s", e.slug));
}

/* ---- analysis ---- */

int page_listen_analyse(struct ctx *c)
{
    struct listen_exercise e;
    int64_t id, k = req_field_int(c->req, "k", 0);
    int rc = listen_page_exercise(c, &e);
    if (rc)
        return rc;
    if (c->req->nerrors || k < 0 || k == 1 || k > 20) {
        render_error(c, APP_E_INVALID, "Enter a number of themes from 2 to 20, or leave it empty.");
        return APP_OK;
    }
    rc = listen_analysis_enqueue(c->db, e.id, c->user->id, (int)k, &id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 202, NULL, jobj(json_object(), "run", jint(id)));
    rc = flash_set(c, "analysis_queued");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/analysis", e.slug));
}
