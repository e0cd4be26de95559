/* take_part_pages.c: the public side of Listen — the list of exercises, one exercise, saying
 * who you are, contributing, voting, flagging, your own contributions and withdrawing them
 *
 * Taking part needs no account: the participant is the exercise-scoped cookie "ahp_lp" (a
 * random token; only its hash is stored).
 */
#include "app.h"
#include "listen/pages.h"
#include "listen/report.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

#define PARTICIPANT_COOKIE "ahp_lp"
#define PARTICIPANT_DAYS   180

/* Limits per minute: per participant (counted in the database with the action, shared by
 * every server; a changed vote or a repeated flag counts too) and per network client (in
 * memory; an NHS site may put hundreds of people behind one address, so those are
 * generous). */
#define LIMIT_POSTS  5
#define LIMIT_VOTES  60
#define LIMIT_FLAGS  10
#define CLIENT_POSTS 60
#define CLIENT_VOTES 600
#define CLIENT_FLAGS 60
#define CLIENT_JOINS 120 /* new participants a network client may become a minute */

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

/* The participant's cookie is scoped to the exercise's pages and to its API, so an API
 * client that keeps cookies stays one participant (with one vote per contribution and the
 * participant's limits), as a browser does. */
static const char *cookie_path(struct ctx *c, const struct listen_exercise *e, bool api)
{
    return arena_printf(c->arena, "%s/listen/%s", api ? "/api/v1" : "", e->slug);
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
    /* A client that drops its cookies is a new participant each time: how many it may
     * become is limited too. */
    if (c->req->has_client &&
        !listen_rate_client(c->app->listen_limits, c->req->client_key, "join", CLIENT_JOINS))
        return APP_E_LIMIT;
    rc = listen_participant_create(c->db, e->id, audience, profession, region, token, &p->id);
    if (rc)
        return rc;
    p->pseudonym = "";
    p->audience = audience ? audience : "";
    p->profession = profession ? profession : "";
    p->region = region ? region : "";
    rc = resp_cookie_path(c, PARTICIPANT_COOKIE, token, PARTICIPANT_DAYS * 86400L,
                          cookie_path(c, e, false));
    return rc ? rc
              : resp_cookie_path(c, PARTICIPANT_COOKIE, token, PARTICIPANT_DAYS * 86400L,
                                 cookie_path(c, e, true));
}

/* The network client's limit, in memory; the participant's is counted by the domain call in
 * the transaction that writes (ratelimit.c). */
static int check_client_rate(struct ctx *c, const char *what)
{
    int per_client = !strcmp(what, "vote")   ? CLIENT_VOTES
                     : !strcmp(what, "flag") ? CLIENT_FLAGS
                                             : CLIENT_POSTS;
    if (c->req->has_client &&
        !listen_rate_client(c->app->listen_limits, c->req->client_key, what, per_client))
        return APP_E_LIMIT;
    return APP_OK;
}

/* 429 for a participant over its limit, saying what the limit is. */
static int refuse_over_limit(struct ctx *c, const char *doing, int per_minute)
{
    render_error(c, APP_E_LIMIT,
                 arena_printf(c->arena,
                              "You can %s %d times a minute. Wait a minute, then try "
                              "again.",
                              doing, per_minute));
    return APP_OK;
}

/* After a participant's action, back to where they were on the exercise page. */
static int back_to_feed(struct ctx *c, const struct listen_exercise *e, int64_t anchor)
{
    long long prompt = (long long)req_field_int(c->req, "prompt", 0);
    long long page = (long long)req_field_int(c->req, "page", 1);
    char *to =
        anchor ? arena_printf(c->arena, "/listen/%s?prompt=%lld&page=%lld#c%lld", e->slug, prompt,
                              page, (long long)anchor)
               : arena_printf(c->arena, "/listen/%s?prompt=%lld&page=%lld", e->slug, prompt, page);
    return to ? resp_redirect(c, to) : APP_E_NOMEM;
}

/* ---- the list of exercises ---- */

int page_listen_index(struct ctx *c)
{
    struct listen_exercise *es;
    size_t n;
    json_t *arr, *m;
    bool facilitator = c->user && c->user->role >= ROLE_FACILITATOR;
    int64_t *published = NULL;
    size_t npublished = 0;
    int rc;
    /* admins see every draft; a facilitator sees the drafts they facilitate */
    if (c->user && c->user->role >= ROLE_ADMIN)
        rc = listen_exercise_list(c->db, c->arena, true, &es, &n);
    else if (facilitator)
        rc = listen_exercise_list_managed(c->db, c->arena, c->user->id, &es, &n);
    else
        rc = listen_exercise_list(c->db, c->arena, false, &es, &n);
    if (!rc)
        rc = listen_report_published_ids(c->db, c->arena, &published, &npublished);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *e = listen_page_exercise_json(c->arena, &es[i], 0);
        bool results = false;
        for (size_t k = 0; k < npublished; k++)
            results |= published[k] == es[i].id;
        e = jobj(e, "managed", jbool(es[i].managed));
        /* "Results published": the report and its follow-up are one click from the list */
        e = jobj(e, "results_published", jbool(results && es[i].status != LS_DRAFT));
        if (!e || json_array_append_new(arr, e)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Listening exercises"));
    m = jobj(m, "exercises", arr);
    m = jobj(m, "can_manage", jbool(facilitator)); /* may create one */
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

/* The per-participant order of statements (listen_feed's seed): anonymous readers all share
 * one, each participant has their own. */
static int64_t feed_seed(const struct listen_exercise *e, int64_t participant)
{
    return participant ? participant * 7919 + e->id : e->id;
}

static const char *vote_verb(int v)
{
    return v == 1 ? "You agreed" : v == -1 ? "You disagreed" : "You passed";
}

/* The voting card: progress ("Statement 12 of 54"), the statement to vote on (the one asked
 * for by id when it may be voted on, else the next one), and the confirmation of the vote
 * just given (confirm_id, 0 for none) with what undoes it. The same object answers the API
 * after a vote, so a script can show the next statement without loading the page. */
static json_t *vote_card(struct ctx *c, const struct listen_exercise *e, int64_t participant,
                         int64_t want, int64_t confirm_id)
{
    struct listen_contribution st, done;
    int64_t voted = 0, total = 0;
    bool found = false;
    json_t *o, *pr;
    if (listen_vote_progress(c->db, e->id, participant, &voted, &total))
        return NULL;
    if (want && listen_statement_get(c->db, c->arena, e, participant, want, &st) == APP_OK)
        found = true;
    if (!found && listen_statement_next(c->db, c->arena, e->id, participant,
                                        feed_seed(e, participant), &st, &found))
        return NULL;
    pr = jobj(json_object(), "voted", jint(voted));
    pr = jobj(pr, "total", jint(total));
    /* the statement shown is the next to vote on; one already voted on keeps its place */
    pr = jobj(pr, "number",
              jint(found && st.voted   ? voted
                   : voted + 1 > total ? total
                                       : voted + 1));
    pr = jobj(pr, "all_done", jbool(!found && total > 0));
    pr = jobj(pr, "none", jbool(total == 0));
    o = jobj(json_object(), "progress", pr);
    if (found)
        o = jobj(o, "statement",
                 listen_page_with_prompt(e, listen_contribution_json(&st, false), st.prompt_id));
    else
        o = jobj(o, "statement", json_null());
    if (confirm_id && participant &&
        listen_statement_get(c->db, c->arena, e, participant, confirm_id, &done) == APP_OK &&
        done.voted) {
        json_t *k = jobj(json_object(), "id", jint(done.id));
        k = jobj(k, "vote", json_string_nocheck(listen_page_vote_word(done.my_vote)));
        k = jobj(k, "text",
                 json_sprintf("Your vote has been recorded. %s.", vote_verb(done.my_vote)));
        k = jobj(k, "body", jstr(done.body));
        o = jobj(o, "confirm", k);
    } else {
        o = jobj(o, "confirm", json_null());
    }
    return o;
}

/* What happened after the exercise: the report and its follow-up, once published. */
static json_t *next_steps(struct ctx *c, const struct listen_exercise *e)
{
    struct listen_report_state st;
    json_t *o;
    if (listen_report_state(c->db, e->id, &st))
        return NULL;
    o = jobj(json_object(), "results_published",
             jbool(st.published_run != 0 && e->status != LS_DRAFT));
    o = jobj(o, "published", jdate(st.published_at));
    o = jobj(o, "report_url", json_sprintf("/listen/%s/report", e->slug));
    return jobj(o, "actions_url", json_sprintf("/listen/%s/actions", e->slug));
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
        it = listen_page_with_prompt(e, it, feed[i].prompt_id);
        it = jobj(it, "replies", replies);
        if (!it || json_array_append_new(items, it)) {
            json_decref(items);
            return NULL;
        }
    }
    m = jobj(json_object(), "title", jstr(e->title));
    m = jobj(m, "exercise", listen_page_exercise_json(c->arena, e, prompt));
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
             render_pagination(
                 arena_printf(c->arena, "/listen/%s?prompt=%lld", e->slug, (long long)prompt), page,
                 LISTEN_PAGE, total, "#contributions"));
    m = jobj(m, "text_max", jint(LISTEN_TEXT_MAX));
    m = jobj(m, "next_steps", next_steps(c, e));
    if (listen_exercise_accepting(e, (int64_t)time(NULL)))
        m = jobj(m, "vote",
                 jobj(vote_card(c, e, found ? p.id : 0, req_field_int(c->req, "statement", 0),
                                req_field_int(c->req, "voted", 0)),
                      "undone", jbool(req_field_bool(c->req, "undone"))));
    m = jobj(m, "downloads", listen_page_downloads(c, e)); /* open data, transfer_pages.c */
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

/* The refusal of an action (what: "post", "vote", "flag", "about") on an exercise that is
 * not taking part now, in words that say so: nothing was done, so it must not read as 409's
 * "already done". 409 as a closed Assess round answers. A contribution refused so comes back
 * to a browser as it was typed (listen/unsent): nothing can be saved, but the person can
 * still copy what they wrote. The API names the reason only: its client still has the text. */
static void refuse_not_taking_part(struct ctx *c, const struct listen_exercise *e, const char *what)
{
    static const struct {
        const char *what, *takes, *yours;
    } actions[] = {
        {"post", "contributions", "Your contribution was not saved."},
        {"flag", "flags", "Your flag was not recorded."},
        {"vote", "votes", "Your vote was not recorded."},
        {"about", "answers", "Your answers were not saved."},
    };
    size_t k = 0;
    bool not_yet = e->status == LS_DRAFT ||
                   (e->status == LS_OPEN && e->opens_at && (int64_t)time(NULL) < e->opens_at);
    const char *title;
    while (k + 1 < sizeof actions / sizeof actions[0] && strcmp(actions[k].what, what))
        k++; /* the last, "about", for any other */
    title = arena_printf(c->arena, "%s, so it is not taking %s",
                         not_yet ? "This exercise is not open yet" : "This exercise has closed",
                         actions[k].takes);
    if (!strcmp(what, "post") && !c->want_json && title) {
        /* req_typed: the text as sent, also when it was refused (too long) */
        const char *text = req_typed(c->req, "text");
        if (text && str_trim(str_from(text)).len) {
            json_t *m = jobj(json_object(), "title", json_string_nocheck(title));
            m = jobj(m, "exercise", listen_page_exercise_json(c->arena, e, 0));
            m = jobj(m, "not_yet", jbool(not_yet));
            m = jobj(m, "text", jstr(text));
            if (!render(c, 409, "listen/unsent", m))
                return;
        }
    }
    render_error_as(c, APP_E_CONFLICT, title ? title : "This exercise is not taking part now",
                    actions[k].yours);
}

/* The refusal when the write found the exercise closed (APP_E_CLOSED): it closed, or its
 * dates changed, after the page handler looked, so the refusal is worded from the exercise
 * as it is now. */
static int refuse_closed_since(struct ctx *c, struct listen_exercise *e, const char *what)
{
    struct listen_exercise now;
    int rc = listen_exercise_get(c->db, c->arena, e->slug, &now);
    if (rc && rc != APP_E_NOTFOUND)
        return rc;
    refuse_not_taking_part(c, rc ? e : &now, what);
    return APP_OK;
}

/* Test hook: called by the participant actions after their checks, just before the write. */
void (*listen_page_before_write)(struct db *db, int64_t exercise_id);

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
    if (!listen_exercise_accepting(&e, (int64_t)time(NULL))) {
        refuse_not_taking_part(c, &e, "about");
        return APP_OK;
    }
    rc = find_participant(c, &e, &p, &found);
    if (!rc)
        rc = found ? listen_participant_describe(c->db, p.id, aud, prof, reg)
                   : ensure_participant(c, &e, &p, aud, prof, reg);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "described", jbool(1)));
    rc = flash_set(c, "listen_described");
    return rc ? rc : back_to_feed(c, &e, 0);
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
    /* Closed first: a field error would re-show the page, which for a closed exercise has no
     * form to put the typed text back in; the refusal shows it (refuse_not_taking_part). */
    if (!listen_exercise_accepting(e, (int64_t)time(NULL))) {
        *done = true;
        refuse_not_taking_part(c, e, what);
        return APP_OK;
    }
    if (c->req->nerrors) {
        *done = true;
        return show_invalid(c, e);
    }
    rc = ensure_participant(c, e, p, NULL, NULL, NULL);
    if (!rc)
        rc = check_client_rate(c, what);
    if (!rc && listen_page_before_write)
        listen_page_before_write(c->db, e->id);
    return rc;
}

int page_listen_contribute(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    enum listen_cstatus status = LCS_APPROVED;
    int64_t id = 0;
    bool done;
    int rc = begin_action(c, &e, &p, "post", &done);
    if (rc || done)
        return rc;
    rc = listen_contribute(c->db, &e, p.id, req_field_int(c->req, "prompt", 0),
                           req_field_int(c->req, "parent", 0), req_field(c->req, "text"),
                           LIMIT_POSTS, &id, &status);
    if (rc == APP_E_CLOSED)
        return refuse_closed_since(c, &e, "post");
    if (rc == APP_E_LIMIT)
        return refuse_over_limit(c, "post", LIMIT_POSTS);
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
                      jobj(jobj(json_object(), "id", jint(id)), "status",
                           json_string_nocheck(listen_cstatus_name(status))));
    if (status == LCS_PENDING)
        rc = flash_set(c, "listen_pending");
    else
        rc = flash_set(c, "listen_posted");
    return rc ? rc : back_to_feed(c, &e, status != LCS_PENDING ? id : 0);
}

static int after_vote(struct ctx *c, const struct listen_exercise *e, int64_t participant,
                      int64_t id, int vote, const char *flash);

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
    rc = listen_vote(c->db, &e, p.id, id, vote, LIMIT_VOTES);
    if (rc == APP_E_CLOSED)
        return refuse_closed_since(c, &e, "vote");
    if (rc == APP_E_LIMIT)
        return refuse_over_limit(c, "vote", LIMIT_VOTES);
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc, "You cannot vote on your own contribution.");
        return APP_OK;
    }
    if (rc)
        return rc;
    return after_vote(c, &e, p.id, id, vote, "vote_recorded");
}

/* Where a vote or its undoing leads. The API answers with the vote card (the next statement,
 * the progress and the confirmation). A browser goes back where it voted: from the card, to
 * the card (#vote) with the next statement and the confirmation; from "Your votes", to the
 * vote it changed; from the list of contributions, to the contribution. */
static int after_vote(struct ctx *c, const struct listen_exercise *e, int64_t participant,
                      int64_t id, int vote, const char *flash)
{
    const char *from = req_field(c->req, "from");
    int rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "id", jint(id));
        m = jobj(m, "vote", vote == 2 ? json_null() : jstr(listen_page_vote_word(vote)));
        json_t *card = vote_card(c, e, participant, vote == 2 ? id : 0, vote == 2 ? 0 : id);
        m = jobj(m, "card", jobj(card, "undone", jbool(vote == 2)));
        return render(c, 200, NULL, m);
    }
    if (from && !strcmp(from, "votes")) {
        rc = flash_set(c, flash);
        return rc ? rc
                  : resp_redirect(c, arena_printf(c->arena, "/listen/%s/votes#c%lld", e->slug,
                                                  (long long)id));
    }
    if (from && !strcmp(from, "card")) {
        /* after an undo the card shows that statement again, to vote on afresh */
        if (vote == 2)
            return resp_redirect(c,
                                 arena_printf(c->arena, "/listen/%s?statement=%lld&undone=1#vote",
                                              e->slug, (long long)id));
        return resp_redirect(
            c, arena_printf(c->arena, "/listen/%s?voted=%lld#vote", e->slug, (long long)id));
    }
    return back_to_feed(c, e, id);
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
    rc = listen_flag(c->db, &e, p.id, id, req_field(c->req, "reason"), LIMIT_FLAGS);
    if (rc == APP_E_CLOSED)
        return refuse_closed_since(c, &e, "flag");
    if (rc == APP_E_LIMIT)
        return refuse_over_limit(c, "flag", LIMIT_FLAGS);
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
        json_t *it =
            listen_page_with_prompt(&e, listen_contribution_json(&cs[i], false), cs[i].prompt_id);
        it = jobj(it, "is_pending", jbool(cs[i].status == LCS_PENDING));
        it = jobj(it, "is_rejected", jbool(cs[i].status == LCS_REJECTED));
        it = jobj(it, "is_hidden", jbool(cs[i].hidden));
        if (!it || json_array_append_new(arr, it)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Your contributions"));
    m = jobj(m, "exercise", listen_page_exercise_json(c->arena, &e, 0));
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
    /* a field the request layer refused changes nothing, and is not taken as a yes */
    if (c->req->nerrors) {
        render_error(c, APP_E_INVALID, c->req->errors[0].message);
        return APP_OK;
    }
    /* Withdrawing cannot be undone: a browser is asked once more, with the text it withdraws
     * (the confirmation page posts the same form with confirmed set). */
    if (!c->want_json && !req_field_bool(c->req, "confirmed")) {
        struct listen_contribution *cs;
        size_t n;
        int64_t id = req_field_int(c->req, "contribution", 0);
        json_t *m;
        if ((rc = listen_mine(c->db, c->arena, e.id, p.id, &cs, &n)))
            return rc;
        for (size_t i = 0; i < n; i++)
            if (cs[i].id == id) {
                m = jobj(json_object(), "title",
                         json_string_nocheck("Are you sure you want to withdraw it?"));
                m = jobj(m, "exercise", listen_page_exercise_json(c->arena, &e, 0));
                m = jobj(m, "contribution", listen_contribution_json(&cs[i], false));
                return render(c, 200, "listen/confirm_withdraw", m);
            }
        return APP_E_NOTFOUND;
    }
    rc = listen_withdraw(c->db, p.id, req_field_int(c->req, "contribution", 0));
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "withdrawn", jbool(1)));
    rc = flash_set(c, "listen_withdrawn");
    return rc ? rc : resp_redirect(c, arena_printf(c->arena, "/listen/%s/mine", e.slug));
}

/* ---- taking a vote back, and the participant's votes ---- */

int page_listen_vote_undo(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    int64_t id = req_field_int(c->req, "contribution", 0);
    bool done;
    int rc = begin_action(c, &e, &p, "vote", &done);
    if (rc || done)
        return rc;
    rc = listen_vote_undo(c->db, &e, p.id, id, LIMIT_VOTES, NULL);
    if (rc == APP_E_CLOSED)
        return refuse_closed_since(c, &e, "vote");
    if (rc == APP_E_LIMIT)
        return refuse_over_limit(c, "vote", LIMIT_VOTES);
    if (rc == APP_E_NOTFOUND) {
        render_error(c, rc, "There is no vote of yours on that contribution to undo.");
        return APP_OK;
    }
    if (rc)
        return rc;
    return after_vote(c, &e, p.id, id, 2, "vote_undone");
}

int page_listen_votes(struct ctx *c)
{
    struct listen_exercise e;
    struct listen_participant p;
    struct listen_contribution *cs = NULL;
    size_t n = 0;
    int64_t voted = 0, total = 0;
    bool found = false;
    json_t *arr, *m;
    int rc = listen_page_exercise(c, &e);
    if (!rc)
        rc = find_participant(c, &e, &p, &found);
    if (!rc && found)
        rc = listen_my_votes(c->db, c->arena, e.id, p.id, &cs, &n);
    if (!rc)
        rc = listen_vote_progress(c->db, e.id, found ? p.id : 0, &voted, &total);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *it =
            listen_page_with_prompt(&e, listen_contribution_json(&cs[i], false), cs[i].prompt_id);
        it = jobj(it, "verb", json_string_nocheck(vote_verb(cs[i].my_vote)));
        if (!it || json_array_append_new(arr, it)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Your votes"));
    m = jobj(m, "exercise", listen_page_exercise_json(c->arena, &e, 0));
    m = jobj(m, "votes", arr);
    m = jobj(m, "voted", jint(voted));
    m = jobj(m, "total", jint(total));
    m = jobj(m, "left", jint(total - voted));
    return render(c, 200, "listen/votes", m);
}
