/* rater_pages.c: answering a 360° request through its link — no account, any screen, one
 * area per page, save and come back, two comments, submit
 *
 * The link's token is the only key (feedback.h): it is in every path here and is checked on
 * every request. Before the first question a line manager is told that their answers are
 * shown to the member separately; everyone else that theirs are shown only combined with at
 * least two others', after the request closes. Once the request has closed, the link says so
 * and takes nothing more (the guarded statements in feedback_db.c, not these pages, are what
 * refuse it); an answered link of an open request answers as an unanswered one (rule 9).
 */
#include "develop/feedback.h"
#include "develop/pages.h"
#include "develop/self.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/hourly_count.h"
#include "core/rand.h"
#include "core/str.h"
#include "account/account.h"
#include "web/render.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

static const char *token_of(struct ctx *c)
{
    const char *t = req_param(c->req, "token");
    return t ? t : "";
}

/* The link's path: under /api/v1 for an API call, so that "next" and "base" lead on there. */
static const char *base_path(struct ctx *c)
{
    return arena_printf(c->arena, "%s/feedback/%s", c->req->api ? "/api/v1" : "", token_of(c));
}

/* ---- whose draft (feedback.h, rule 9) ----
 * The member who asked holds every rater's link (they copy it to the rater), so what a link
 * shows must not depend on what anyone else saved through it. Each browser gets a random key
 * in a cookie on its first save and its drafts are stored under the key's hash: a browser
 * sees, and submits, only what it saved itself. The cookie covers every feedback link, so a
 * reminder's new link finds the same draft. An API client is a browser like any other: it
 * keeps the cookie its first save sets, to save and submit as one; or, keeping no cookie, it
 * sends every answer with the submission itself (page_feedback_comments_save). */
#define RATER_COOKIE      "ahp_fb"
#define RATER_KEY_HEX     33
#define RATER_COOKIE_DAYS 90

/* The hash of this browser's key into h. Without a key: false, unless make (a save), when one
 * is made. A save sets the cookie afresh each time, for every feedback link and for another
 * RATER_COOKIE_DAYS, so it cannot run out while the rater is still answering, and a key from
 * before the cookie covered every link (it was one link's) then covers them too. */
static bool browser_hash(struct ctx *c, bool make, char h[TOKEN_HEX])
{
    const char *k = req_cookie(c->req, RATER_COOKIE);
    unsigned char raw[16];
    char hex[RATER_KEY_HEX];
    if (!k || strlen(k) != RATER_KEY_HEX - 1) {
        if (!make || rand_bytes(raw, sizeof raw))
            return false;
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        k = hex;
    }
    if (make && resp_cookie_path(c, RATER_COOKIE, k, RATER_COOKIE_DAYS * 86400L,
                                 c->req->api ? "/api/v1/feedback" : "/feedback"))
        return false;
    account_token_hash(k, h);
    return true;
}

/* The ratings this browser saved on the link (none when it has no key yet). */
static int visible_ratings(struct ctx *c, const struct feedback_invitation *inv,
                           const struct develop_framework *fw, int **out)
{
    char h[TOKEN_HEX];
    if (browser_hash(c, false, h))
        return feedback_draft_ratings(c->db, c->arena, fw, inv->id, h, out);
    *out = arena_calloc(c->arena, fw->nbehaviours ? fw->nbehaviours : 1, sizeof **out);
    return *out ? APP_OK : APP_E_NOMEM;
}

/* "21 December 2026", the last day answers are taken. */
static const char *last_day(struct ctx *c, int64_t closes_at)
{
    json_t *j = jdate(closes_at - 1);
    const char *s = j ? arena_strdup(c->arena, json_string_value(j)) : NULL;
    json_decref(j);
    return s ? s : "";
}

/* The page for a link whose request has closed: the same for every link of the request,
 * answered or not. */
static int finished(struct ctx *c, const struct feedback_invitation *inv)
{
    render_error(c, APP_E_CONFLICT,
                 arena_printf(c->arena,
                              "This request for feedback closed on %s, so it takes no more "
                              "answers. Thank you for being willing to help.",
                              last_day(c, inv->closes_at)));
    return APP_OK;
}

/* The invitation the path's token names and its framework; *stop when the link takes no
 * more answers (the page saying so has been rendered). */
static int load(struct ctx *c, struct feedback_invitation *inv, struct develop_framework *fw,
                bool *stop)
{
    int rc = feedback_invitation_find(c->db, c->arena, token_of(c), (int64_t)time(NULL), inv);
    *stop = false;
    /* An answered rater's old link comes here after a reminder replaced it: asking the member
     * for a new one would tell them who had answered, so the page says first that nothing
     * more is needed. */
    if (rc == APP_E_NOTFOUND) {
        render_error(c, rc,
                     "This feedback link does not work. If you have already given your "
                     "feedback, there is nothing more to do. If not, check that you copied all "
                     "of the link, or ask the person who asked for your feedback to send it "
                     "again.");
        *stop = true;
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->user && c->user->id == inv->member_id) {
        render_error(c, APP_E_FORBIDDEN,
                     "This link is for someone you asked for feedback: you cannot answer your "
                     "own request. Send it to them, or log out if you are using their device.");
        *stop = true;
        return APP_OK;
    }
    /* Answered or not, a link of an open request answers alike: the member holds every link
     * (feedback.h, rule 9) and could otherwise tell, opening them logged out, who has
     * answered. An answered link shows the form again and saves what is typed for the
     * browser that types it; a second submission is taken and dropped (feedback_submit). */
    if (inv->closed) {
        *stop = true;
        return finished(c, inv);
    }
    return fw ? develop_version_load(c->db, c->arena, inv->framework_id, fw) : APP_OK;
}

static json_t *about(struct ctx *c, const struct feedback_invitation *inv)
{
    json_t *o = jobj(json_object(), "member", jstr(inv->member));
    o = jobj(o, "group", jstr(feedback_group_code(inv->group)));
    o = jobj(o, "is_manager", jbool(inv->group == FG_MANAGER));
    o = jobj(o, "closes", jstr(last_day(c, inv->closes_at)));
    return jobj(o, "base", jstr(base_path(c)));
}

int page_feedback_start(struct ctx *c)
{
    struct feedback_invitation inv;
    struct develop_framework fw;
    int *ratings;
    size_t next = 0;
    bool stop;
    json_t *m;
    int rc = load(c, &inv, &fw, &stop);
    if (rc || stop)
        return rc;
    /* only what this browser saved: nothing else tells whether the rater has started */
    if ((rc = visible_ratings(c, &inv, &fw, &ratings)))
        return rc;
    /* where to continue: the first area with nothing saved */
    for (size_t d = 0; d < fw.ndomains && !next; d++) {
        bool any = false;
        for (size_t i = 0; i < fw.domains[d].nbehaviours; i++)
            any = any || ratings[fw.domains[d].first + i] != DEVELOP_NOT_RATED;
        if (!any)
            next = d + 1;
    }
    m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Feedback for %s", inv.member)));
    m = jobj(m, "rater", about(c, &inv));
    m = jobj(m, "framework", jstr(fw.title));
    m = jobj(m, "domains_count", jint((long long)fw.ndomains));
    m = jobj(m, "behaviours_count", jint((long long)fw.nbehaviours));
    m = jobj(m, "started", jbool(next != 1));
    m = jobj(m, "no_chance", jbool(*fw.scale.no_chance));
    m = jobj(m, "next",
             jstr(next ? arena_printf(c->arena, "%s/domain/%zu", base_path(c), next)
                       : arena_printf(c->arena, "%s/comments", base_path(c))));
    return render(c, 200, "develop/rater_start", m);
}

static size_t domain_param(struct ctx *c, const struct develop_framework *fw)
{
    int64_t n = develop_page_param(c, "n");
    return n >= 1 && (size_t)n <= fw->ndomains ? (size_t)n : 0;
}

static json_t *domain_model(struct ctx *c, const struct feedback_invitation *inv,
                            const struct develop_framework *fw, const int *ratings, size_t n)
{
    const struct develop_domain *dm = &fw->domains[n - 1];
    bool typed = c->req->nerrors > 0;
    json_t *items = json_array(), *m, *d;
    for (size_t i = 0; items && i < dm->nbehaviours; i++) {
        const struct develop_behaviour *b = &dm->behaviours[i];
        const char *rname = arena_printf(c->arena, "rating.%s", b->id);
        const char *rt = typed && rname ? req_field(c->req, rname) : NULL;
        int have = ratings[dm->first + i];
        json_t *opts = json_array(), *y;
        char v[24];
        for (size_t k = 0; opts && k <= fw->scale.npoints; k++) {
            bool none = k == fw->scale.npoints;
            json_t *o;
            if (none && !*fw->scale.no_chance)
                break;
            snprintf(v, sizeof v, "%zu", k + 1);
            o = jobj(json_object(), "value", jstr(none ? "none" : v));
            o = jobj(o, "label", jstr(none ? "I have not seen this" : fw->scale.points[k].label));
            o = jobj(o, "id", jstr(k ? arena_printf(c->arena, "%s-%zu", rname, k) : rname));
            o = jobj(o, "name", jstr(rname));
            o = jobj(o, "checked",
                     jbool(typed  ? rt && !strcmp(rt, none ? "none" : v)
                           : none ? have == DEVELOP_NO_CHANCE
                                  : have == (int)k + 1));
            if (!push(opts, o)) {
                json_decref(opts);
                opts = NULL;
            }
        }
        y = jobj(json_object(), "id", jstr(b->id));
        y = jobj(y, "number", jint((long long)i + 1));
        y = jobj(y, "statement", jstr(b->statement));
        y = jobj(y, "options", opts);
        y = jobj(y, "error", jstr(rname ? req_error(c->req, rname) : NULL));
        if (!push(items, y)) {
            json_decref(items);
            return NULL;
        }
    }
    d = jobj(json_object(), "id", jstr(dm->id));
    d = jobj(d, "title", jstr(dm->title));
    d = jobj(d, "description", jstr(dm->description));
    d = jobj(d, "behaviours", items);
    m = jobj(json_object(), "title",
             jstr(arena_printf(c->arena, "%s – area %zu of %zu", dm->title, n, fw->ndomains)));
    m = jobj(m, "rater", about(c, inv));
    m = jobj(m, "scale", develop_page_scale(fw));
    m = jobj(m, "domain_number", jint((long long)n));
    m = jobj(m, "domains_count", jint((long long)fw->ndomains));
    m = jobj(m, "progress", jint((long long)((n - 1) * 100 / fw->ndomains)));
    m = jobj(m, "is_first", jbool(n == 1));
    m = jobj(m, "is_last", jbool(n == fw->ndomains));
    m = jobj(m, "previous", jint((long long)n - 1));
    return jobj(m, "domain", d);
}

int page_feedback_domain(struct ctx *c)
{
    struct feedback_invitation inv;
    struct develop_framework fw;
    int *ratings;
    size_t n;
    bool stop;
    int rc = load(c, &inv, &fw, &stop);
    if (rc || stop)
        return rc;
    if (!(n = domain_param(c, &fw)))
        return APP_E_NOTFOUND;
    if ((rc = visible_ratings(c, &inv, &fw, &ratings)))
        return rc;
    return render(c, 200, "develop/rater_domain", domain_model(c, &inv, &fw, ratings, n));
}

/* ---- new drafts per network client and per browser (feedback.h, FEEDBACK_DRAFTS_PER_HOUR,
 * FEEDBACK_DRAFTS_PER_BROWSER) ---- */

#define TOO_MANY_DRAFTS                                                                            \
    "Too many people have started answering feedback from your network in the last hour, so "      \
    "this has not been saved. Anything you saved before is kept."
#define TOO_MANY_KEPT                                                                              \
    "This browser is keeping unsent answers for too many feedback requests, so this has not "      \
    "been saved. Submit one of the others you have started, or answer in another browser. "        \
    "Anything you saved before is kept."

/* Whether this save may go ahead: always when this browser has a draft on the link already
 * (it only adds to it); otherwise it starts one, which counts against the network client's
 * limit (*took then says it was counted, for give_back). Nothing here depends on what any
 * other browser saved through the link. */
static int may_save(struct ctx *c, const struct feedback_invitation *inv, int64_t now, bool *ok,
                    bool *took)
{
    char h[TOKEN_HEX];
    bool held = false;
    int rc;
    *ok = true;
    *took = false;
    if (browser_hash(c, false, h) && (rc = feedback_draft_held(c->db, inv->id, h, &held)))
        return rc;
    if (!held && c->req->has_client) { /* no address: no bucket of its own (as Listen) */
        *took = !feedback_draft_limit_take(c->app->feedback_drafts, c->req->client_key, now);
        *ok = *took;
    }
    return APP_OK;
}

/* A save counted by may_save that did not happen gives its count back: a failure must not use
 * up the hour. */
static void give_back(struct ctx *c, bool took, int64_t now, int rc)
{
    if (took && rc)
        feedback_draft_limit_give(c->app->feedback_drafts, c->req->client_key, now);
}

/* The refusal of a save over the limit. The API gets a 429 with the wait (*done); a page gets
 * the error on "action" (its buttons), and the caller shows its form again with status 429
 * and what was typed. */
static int refuse_save(struct ctx *c, int64_t now, bool *done)
{
    *done = c->want_json;
    if (c->want_json) {
        render_limited(c, hourly_count_wait(now), TOO_MANY_DRAFTS, false);
        return APP_OK;
    }
    return render_limited_field(c, hourly_count_wait(now), TOO_MANY_DRAFTS, "action");
}

/* The refusal of a save that would start a draft in a browser keeping
 * FEEDBACK_DRAFTS_PER_BROWSER: as refuse_save, but with no Retry-After, since no time lifts
 * it (a submission or a request closing does). */
static int refuse_kept(struct ctx *c, bool *done)
{
    *done = c->want_json;
    if (c->want_json) {
        render_error_as(c, APP_E_LIMIT, TOO_MANY_KEPT, NULL);
        return APP_OK;
    }
    c->resp->error_code = app_err_name(APP_E_LIMIT);
    return req_add_error(c->req, "action", TOO_MANY_KEPT);
}

/* Reads the ratings of area n (from 1) from the request into mine (its nbehaviours), adding
 * an error under each rating.<id> that is not one of the answers. several: the request rates
 * every area at once (a submission), so the message names the area too. */
static void read_area(struct ctx *c, const struct develop_framework *fw, size_t n, bool several,
                      int *mine)
{
    const struct develop_domain *dm = &fw->domains[n - 1];
    for (size_t i = 0; i < dm->nbehaviours; i++) {
        const char *rname = arena_printf(c->arena, "rating.%s", dm->behaviours[i].id);
        const char *rv = rname ? req_field(c->req, rname) : NULL;
        int64_t k;
        mine[i] = DEVELOP_NOT_RATED;
        if (!rv || !*rv)
            continue;
        if (!strcmp(rv, "none") && *fw->scale.no_chance)
            mine[i] = DEVELOP_NO_CHANCE;
        else if (parse_int64((struct str){rv, strlen(rv)}, &k) && k >= 1 &&
                 k <= (int64_t)fw->scale.npoints)
            mine[i] = (int)k;
        else
            req_add_error(
                c->req, rname,
                several
                    ? arena_printf(c->arena,
                                   "Area %zu, statement %zu: choose one of the "
                                   "answers",
                                   n, i + 1)
                    : arena_printf(c->arena, "Statement %zu: choose one of the answers", i + 1));
    }
}

static const char *const RATING_PREFIX[] = {"rating.", NULL};

int page_feedback_answer(struct ctx *c)
{
    struct feedback_invitation inv;
    struct develop_framework fw;
    const struct develop_domain *dm;
    const char *action = req_field(c->req, "action");
    int64_t now = (int64_t)time(NULL);
    int *ratings, *mine;
    size_t n;
    char h[TOKEN_HEX];
    bool stop, ok, done, took;
    int rc = load(c, &inv, &fw, &stop);
    if (rc || stop)
        return rc;
    if (!(n = domain_param(c, &fw)))
        return APP_E_NOTFOUND;
    dm = &fw.domains[n - 1];
    if ((rc = visible_ratings(c, &inv, &fw, &ratings)))
        return rc;
    if (!(mine = arena_calloc(c->arena, dm->nbehaviours ? dm->nbehaviours : 1, sizeof *mine)))
        return APP_E_NOMEM;
    read_area(c, &fw, n, false, mine);
    if ((rc = develop_page_refuse_other_statements(c, dm, RATING_PREFIX)))
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "develop/rater_domain", domain_model(c, &inv, &fw, ratings, n));
    if ((rc = may_save(c, &inv, now, &ok, &took)))
        return rc;
    if (!ok) {
        if ((rc = refuse_save(c, now, &done)) || done)
            return rc;
        return render(c, 429, "develop/rater_domain", domain_model(c, &inv, &fw, ratings, n));
    }
    rc = browser_hash(c, true, h)
             ? feedback_draft_save(c->db, &fw, token_of(c), h, now, n - 1, mine, NULL, NULL)
             : APP_E_NOMEM;
    give_back(c, took, now, rc);
    if (rc == APP_E_LIMIT) {
        if ((rc = refuse_kept(c, &done)) || done)
            return rc;
        return render(c, 429, "develop/rater_domain", domain_model(c, &inv, &fw, ratings, n));
    }
    if (rc == APP_E_CONFLICT) { /* closed or submitted in between */
        struct feedback_invitation again;
        if ((rc = feedback_invitation_find(c->db, c->arena, token_of(c), now, &again)))
            return rc;
        return finished(c, &again);
    }
    if (rc)
        return rc;
    {
        const char *next = action && !strcmp(action, "back") && n > 1
                               ? arena_printf(c->arena, "%s/domain/%zu", base_path(c), n - 1)
                           : action && !strcmp(action, "later") ? base_path(c)
                           : n < fw.ndomains
                               ? arena_printf(c->arena, "%s/domain/%zu", base_path(c), n + 1)
                               : arena_printf(c->arena, "%s/comments", base_path(c));
        if (c->want_json)
            return render(c, 200, NULL,
                          jobj(jobj(json_object(), "saved", jbool(1)), "next", jstr(next)));
        return resp_redirect(c, next);
    }
}

/* saved: the texts this browser saved on the link */
static json_t *comments_model(struct ctx *c, const struct feedback_invitation *inv,
                              const struct develop_framework *fw, const int *ratings,
                              const char *const saved[2])
{
    bool typed = c->req->nerrors > 0;
    size_t rated = 0;
    json_t *m;
    for (size_t i = 0; i < fw->nbehaviours; i++)
        rated += ratings[i] >= 1;
    m = jobj(json_object(), "title", json_string_nocheck("Your comments"));
    m = jobj(m, "rater", about(c, inv));
    /* after an error, the words as typed, refused ones included */
    m = jobj(m, "strengths", jstr(typed ? req_typed(c->req, "strengths") : saved[0]));
    m = jobj(m, "differently", jstr(typed ? req_typed(c->req, "differently") : saved[1]));
    m = jobj(m, "rated", jint((long long)rated));
    m = jobj(m, "behaviours_count", jint((long long)fw->nbehaviours));
    m = jobj(m, "domains_count", jint((long long)fw->ndomains));
    m = jobj(m, "text_max", jint(FEEDBACK_TEXT_MAX));
    return jobj(m, "submit_error", jstr(req_error(c->req, "action")));
}

/* This browser's saved ratings and texts on the link (none before its first save). */
static int visible_draft(struct ctx *c, const struct feedback_invitation *inv,
                         const struct develop_framework *fw, int **ratings, const char *saved[2])
{
    char h[TOKEN_HEX];
    int rc = visible_ratings(c, inv, fw, ratings);
    saved[0] = saved[1] = "";
    if (!rc && browser_hash(c, false, h))
        rc = feedback_draft_texts(c->db, c->arena, inv->id, h, &saved[0], &saved[1]);
    return rc;
}

int page_feedback_comments(struct ctx *c)
{
    struct feedback_invitation inv;
    struct develop_framework fw;
    const char *saved[2];
    int *ratings;
    bool stop;
    int rc = load(c, &inv, &fw, &stop);
    if (rc || stop)
        return rc;
    if ((rc = visible_draft(c, &inv, &fw, &ratings, saved)))
        return rc;
    return render(c, 200, "develop/rater_comments", comments_model(c, &inv, &fw, ratings, saved));
}

/* Said when a submission rates nothing: this browser's draft rates nothing (it may have
 * rated in another), and the request sent no ratings of its own. */
#define NOTHING_RATED                                                                              \
    "Rate at least one statement before you submit, starting from the first area. If you "         \
    "rated them in another browser or on another device, submit from there."
#define NOTHING_RATED_API                                                                          \
    "Rate at least one statement before you submit: send the ratings with the submission "         \
    "(\"rating.<statement id>\": 1 to the top of the scale), or save them first at domain/<n>, "   \
    "keeping the ahp_fb cookie that save sets, and submit with the same cookie."

/* Whether the request carries ratings ("rating.<id>"), accepted or refused. */
static bool ratings_sent(const struct req *r)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (!strncmp(r->fields[i].name, "rating.", 7))
            return true;
    for (size_t i = 0; i < r->nerrors; i++)
        if (!strncmp(r->errors[i].field, "rating.", 7))
            return true;
    return false;
}

/* For req_refuse_members: a rating that names no statement of the framework ctx. */
static int refuse_other_statement(void *ctx, struct arena *a, const char *rest, const char **why)
{
    size_t pos;
    if (develop_behaviour_find(ctx, rest, &pos))
        return APP_OK;
    *why = arena_printf(a, "%s is not a statement of this request", rest);
    return *why ? APP_OK : APP_E_NOMEM;
}

/* The ratings of a whole submission (every area), in framework order, into the arena; an
 * error under each one that is not an answer or names no statement of this framework. */
static int *read_all(struct ctx *c, const struct develop_framework *fw)
{
    int *all = arena_calloc(c->arena, fw->nbehaviours ? fw->nbehaviours : 1, sizeof *all);
    if (!all)
        return NULL;
    for (size_t d = 0; d < fw->ndomains; d++)
        read_area(c, fw, d + 1, true, all + fw->domains[d].first);
    if (req_refuse_members(c->req, "rating.", REQ_FIELDS, refuse_other_statement, (void *)fw))
        return NULL;
    return all;
}

/* The comments' actions: "submit", and a save ("save" from the API, "later" from the page's
 * button; none is a save too). Anything else is refused, so that a mistyped submission is not
 * taken as a save and answered as one. */
static bool known_action(const char *action)
{
    return !action || !*action || !strcmp(action, "submit") || !strcmp(action, "save") ||
           !strcmp(action, "later");
}

static void check_length(struct ctx *c, const char *name, const char *what)
{
    const char *v = req_field(c->req, name);
    size_t n = v ? utf8_count(v, strlen(v)) : 0;
    if (n > FEEDBACK_TEXT_MAX)
        req_add_error(c->req, name,
                      arena_printf(c->arena, "%s must be %d characters or fewer; it has %zu", what,
                                   FEEDBACK_TEXT_MAX, n));
}

int page_feedback_comments_save(struct ctx *c)
{
    struct feedback_invitation inv;
    struct develop_framework fw;
    const char *action = req_field(c->req, "action");
    const char *s = req_field(c->req, "strengths"), *d = req_field(c->req, "differently");
    const char *saved[2];
    int64_t now = (int64_t)time(NULL);
    bool submit = action && !strcmp(action, "submit"), sent = ratings_sent(c->req);
    char h[TOKEN_HEX];
    int *ratings, *all = NULL;
    bool stop, ok, done, keyed, took;
    int rc = load(c, &inv, &fw, &stop);
    if (rc || stop)
        return rc;
    if ((rc = visible_draft(c, &inv, &fw, &ratings, saved)))
        return rc;
    check_length(c, "strengths", "What they do well");
    check_length(c, "differently", "One thing to do differently");
    /* Answers sent with the submission are what is submitted, in one step and with no draft
     * (an API client that keeps no cookie has none to submit); ratings here without
     * submitting are refused, as a draft's ratings are saved one area at a time. */
    if (!known_action(action))
        req_add_error(c->req, "action",
                      c->req->api ? "Send \"action\" as \"save\" or \"submit\""
                                  : "Choose “Submit your feedback” or “Save and come back later”");
    else if (sent && !submit)
        req_add_error(c->req, "action",
                      "Ratings are taken here only with a submission (\"action\": \"submit\"). "
                      "To save them and come back later, save each area at domain/<n>");
    else if (sent && !(all = read_all(c, &fw)))
        return APP_E_NOMEM;
    if (all && !c->req->nerrors) {
        size_t rated = 0;
        for (size_t i = 0; i < fw.nbehaviours; i++)
            rated += all[i] >= 1;
        if (!rated)
            req_add_error(c->req, "action",
                          arena_printf(c->arena,
                                       "Rate at least one statement from 1 to %zu before you "
                                       "submit",
                                       fw.scale.npoints));
    }
    if (c->req->nerrors)
        return render_invalid(c, "develop/rater_comments",
                              comments_model(c, &inv, &fw, ratings, saved));
    if (all) {
        keyed = browser_hash(c, false, h);
        rc = feedback_submit_answers(c->db, &fw, token_of(c), keyed ? h : NULL, now, all,
                                     s ? s : "", d ? d : "");
    } else {
        if ((rc = may_save(c, &inv, now, &ok, &took)))
            return rc;
        if (!ok) {
            if ((rc = refuse_save(c, now, &done)) || done)
                return rc;
            return render(c, 429, "develop/rater_comments",
                          comments_model(c, &inv, &fw, ratings, saved));
        }
        /* a field not sent (an API call with "action" alone, say) keeps what was saved */
        rc = browser_hash(c, true, h)
                 ? feedback_draft_save(c->db, &fw, token_of(c), h, now, fw.ndomains, NULL,
                                       s ? s : saved[0], d ? d : saved[1])
                 : APP_E_NOMEM;
        give_back(c, took, now, rc);
        if (rc == APP_E_LIMIT) {
            if ((rc = refuse_kept(c, &done)) || done)
                return rc;
            return render(c, 429, "develop/rater_comments",
                          comments_model(c, &inv, &fw, ratings, saved));
        }
        if (!rc && submit)
            rc = feedback_submit(c->db, token_of(c), h, now);
    }
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "action", c->req->api ? NOTHING_RATED_API : NOTHING_RATED);
        return render_invalid(c, "develop/rater_comments",
                              comments_model(c, &inv, &fw, ratings, saved));
    }
    if (rc == APP_E_CONFLICT) {
        struct feedback_invitation again;
        if ((rc = feedback_invitation_find(c->db, c->arena, token_of(c), now, &again)))
            return rc;
        return finished(c, &again);
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "saved", jbool(1)), "submitted", jbool(submit)));
    if (submit) { /* the same page for a first answer and for one dropped (load above) */
        json_t *m =
            jobj(json_object(), "title", json_string_nocheck("Thank you for your feedback"));
        m = jobj(m, "member", jstr(inv.member));
        m = jobj(m, "submitted", jbool(1));
        return render(c, 200, "develop/rater_done", m);
    }
    {
        json_t *m = jobj(json_object(), "title", json_string_nocheck("Your answers are saved"));
        m = jobj(m, "member", jstr(inv.member));
        m = jobj(m, "saved", jbool(1));
        m = jobj(m, "base", jstr(base_path(c)));
        m = jobj(m, "closes", jstr(last_day(c, inv.closes_at)));
        return render(c, 200, "develop/rater_done", m);
    }
}
