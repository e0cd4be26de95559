/* pages.c: what the Listen page families share — a contribution and an exercise as pages show
 * them, who may manage, and loading the exercise a path names
 *
 * Handlers never put a participant id into a view model: two contributions by the same person
 * must not be linkable from outside.
 */
#include "app.h"
#include "listen/pages.h"
#include "listen/report.h"
#include "core/buf.h"
#include "core/err.h"
#include "text/language.h"
#include "web/json_counts.h"
#include "web/render.h"
#include "text/markdown.h"

#include <string.h>
#include <time.h>

/* ---- view models ---- */

const char *listen_page_vote_word(int v)
{
    return v == 1 ? "agree" : v == -1 ? "disagree" : "pass";
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
    o = jobj(o, "my_vote", json_string_nocheck(c->voted ? listen_page_vote_word(c->my_vote) : ""));
    o = jobj(o, "voted_agree", jbool(c->voted && c->my_vote == 1));
    o = jobj(o, "voted_disagree", jbool(c->voted && c->my_vote == -1));
    o = jobj(o, "voted_pass", jbool(c->voted && c->my_vote == 0));
    o = jobj(o, "status", json_string_nocheck(listen_cstatus_name(c->status)));
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
                                     : !strcmp(c->hold_reason, "redaction")
                                         ? "Personal details were taken out of it: check that "
                                           "nothing else in it says who someone is"
                                     : !strcmp(c->hold_reason, "pre_moderation")
                                         ? "Every contribution is checked before it is shown"
                                     : !strcmp(c->hold_reason, "flags") ? "People reported it"
                                                                        : ""));
        o = jobj(o, "reject_reason", jstr(c->reject_reason));
        o = jobj(o, "flags", jint(c->flags));
        o = jobj(o, "is_pending", jbool(c->status == LCS_PENDING));
        o = jobj(o, "is_rejected", jbool(c->status == LCS_REJECTED));
        o = jobj(o, "is_approved", jbool(c->status == LCS_APPROVED));
    }
    return o;
}

json_t *listen_page_exercise_json(struct arena *a, const struct listen_exercise *e, int64_t prompt)
{
    json_t *prompts = json_array(), *o;
    char *html = markdown_html(a, e->summary_md);
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
    /* the language people write in: lang on what they wrote (WCAG 3.1.2), and the analysis's */
    o = jobj(o, "language", jstr(e->language ? e->language : LANGUAGE_DEFAULT));
    o = jobj(o, "language_name", jstr(listen_language_name(e->language)));
    o = jobj(o, "welcomes_citizens", jbool(strstr(e->audiences, "citizen") != NULL));
    o = jobj(o, "welcomes_ahps", jbool(strstr(e->audiences, "ahp") != NULL));
    o = jobj(o, "welcomes_staff", jbool(strstr(e->audiences, "staff") != NULL));
    o = jobj(o, "opens", jdate(e->opens_at));
    /* closes_at is the first moment it is closed: the day before is the last open day */
    o = jobj(o, "closes", jdate(e->closes_at ? e->closes_at - 86400 : 0));
    return jobj(o, "prompts", prompts);
}

/* Adds the text of the question a contribution answers. */
json_t *listen_page_with_prompt(const struct listen_exercise *e, json_t *it, int64_t prompt)
{
    for (size_t k = 0; it && k < e->nprompts; k++)
        if (e->prompts[k].id == prompt)
            return jobj(it, "prompt_text", jstr(e->prompts[k].text));
    return it;
}

/* ---- shared steps ---- */

bool listen_page_can_manage(const struct ctx *c)
{
    if (!c->user || c->user->role < ROLE_FACILITATOR)
        return false;
    /* may_manage is 0 until listen_page_exercise() has looked: not known is not allowed */
    return c->user->role >= ROLE_ADMIN || c->may_manage > 0;
}

/* Drafts answer 404 to a facilitator who is not one of theirs, as to anyone: a draft's
 * existence is the facilitators' business. A public exercise's management pages answer 403:
 * the exercise is no secret, and the answer tells a facilitator to ask to be added. */
int listen_page_exercise(struct ctx *c, struct listen_exercise *e)
{
    bool manages = false;
    int rc = listen_exercise_get(c->db, c->arena, req_param(c->req, "slug"), e);
    if (rc)
        goto done;
    if (c->user && c->user->role >= ROLE_ADMIN)
        manages = true;
    else if (c->user && c->user->role >= ROLE_FACILITATOR &&
             (rc = listen_facilitator_is(c->db, e->id, c->user->id, &manages)))
        goto done;
    c->may_manage = manages ? 1 : -1;
    if (e->status == LS_DRAFT && !manages)
        rc = APP_E_NOTFOUND;
    else if (!manages && c->route && (c->route->flags & (R_FACILITATOR | R_ADMIN)))
        rc = APP_E_FORBIDDEN;
done:
    return rc;
}

int listen_page_mark_about(json_t *o, const char *key)
{
    char name[64];
    if (!listen_count_rounded(json_string_value(json_object_get(o, key))))
        return APP_OK;
    snprintf(name, sizeof name, "%s_about", key);
    return json_object_set_new(o, name, json_true()) ? APP_E_NOMEM : APP_OK;
}

int listen_api_counts(json_t *v)
{
    static const char *const keys[] = {"size",         "was_size",      "votes",   "contributions",
                                       "participants", "agree_percent", "citizen", "ahp",
                                       "staff",        "not_said",      "total",   NULL};
    return json_published_counts(v, keys);
}
