/* outbox_pages.c: the mail outbox for admins — the list, one message, sending a failed one again
 *
 * Without an SMTP server (AHPHUB_SMTP_URL unset) this is where mail is read: a demonstration
 * follows an invitation link from here, so the plain-text part's links are made clickable
 * (outside a demonstration, except a password reset's: it would let an admin into a member's
 * account).
 * The HTML part is shown as its source, escaped: rendering mail a program made inside the
 * site would need inline styles the site's Content-Security-Policy rightly refuses.
 * 360° invitations and reminders, and anonymous assessments' links, are not here at all
 * (mail.h, above mail_outbox_list).
 */
#include "mail/mail.h"
#include "mail/smtp.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

#define PAGE_SIZE 25

static const struct {
    const char *state, *text, *tag;
} states[] = {
    {"queued", "Waiting", "nhsuk-tag--grey"},
    {"sending", "Sending", "nhsuk-tag--blue"},
    {"sent", "Sent", "nhsuk-tag--green"},
    {"failed", "Failed", "nhsuk-tag--red"},
};
#define NSTATES (sizeof states / sizeof states[0])

/* "6 December 2026, 14:05 UTC", or "" for 0. */
static json_t *jwhen(int64_t t)
{
    char s[48];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t)
        return json_string("");
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, "%-d %B %Y, %H:%M UTC", &tm);
    return json_string(s);
}

/* A message as the list and the API show it: numbers as numbers, times as unix seconds and
 * as text, and its key (never its row id, store.c). */
static json_t *item_json(const struct mail_item *it)
{
    json_t *o = json_object();
    size_t k;
    for (k = 0; k < NSTATES && strcmp(states[k].state, it->state); k++)
        ;
    o = jobj(o, "key", jstr(it->key));
    o = jobj(o, "kind", jstr(it->kind));
    o = jobj(o, "recipient", jstr(it->recipient));
    o = jobj(o, "subject", jstr(it->subject));
    o = jobj(o, "state", jstr(it->state));
    o = jobj(o, "state_text", jstr(k < NSTATES ? states[k].text : it->state));
    o = jobj(o, "state_tag", jstr(k < NSTATES ? states[k].tag : "nhsuk-tag--grey"));
    o = jobj(o, "attempts", jint(it->attempts));
    o = jobj(o, "last_error", jstr(it->last_error));
    o = jobj(o, "created_at", jint(it->created_at));
    o = jobj(o, "created", jwhen(it->created_at));
    o = jobj(o, "sent_at", jint(it->sent_at));
    o = jobj(o, "sent", jwhen(it->sent_at));
    o = jobj(o, "next_attempt_at", jint(!strcmp(it->state, "queued") ? it->next_attempt_at : 0));
    o = jobj(o, "next_attempt", jwhen(!strcmp(it->state, "queued") ? it->next_attempt_at : 0));
    o = jobj(o, "resent_from", *it->resent_from ? jstr(it->resent_from) : json_null());
    return o;
}

static json_t *state_options(const char *selected)
{
    json_t *arr = json_array(), *o;
    o = jobj(json_object(), "value", jstr(""));
    o = jobj(o, "text", jstr("All messages"));
    o = jobj(o, "selected", jbool(!selected || !*selected));
    if (!arr || !o || json_array_append_new(arr, o)) {
        json_decref(arr);
        return NULL;
    }
    for (size_t k = 0; k < NSTATES; k++) {
        o = jobj(json_object(), "value", jstr(states[k].state));
        o = jobj(o, "text", jstr(states[k].text));
        o = jobj(o, "selected", jbool(selected && !strcmp(selected, states[k].state)));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int page_admin_mail(struct ctx *c)
{
    struct mail_item *items;
    size_t n;
    int64_t total, page = req_field_int(c->req, "page", 1);
    const char *state = req_field(c->req, "state");
    json_t *arr, *m;
    char *base;
    int rc;
    bool bad = false;
    if (page < 1)
        page = 1;
    if (c->req->nerrors) /* a value the route's fields refused (too long, not a token) */
        bad = true;
    if (state && *state && !mail_state_ok(state)) {
        if ((rc = req_add_error(c->req, "state",
                                "Select which messages to show: waiting, sending, sent or failed")))
            return rc;
        bad = true;
        state = NULL;
    }
    rc = mail_outbox_list(c->db, c->arena, state, (int)((page - 1) * PAGE_SIZE), PAGE_SIZE, &items,
                          &n, &total);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, item_json(&items[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    base = arena_printf(c->arena, "/admin/mail?state=%s", state ? state : "");
    m = jobj(json_object(), "title", jstr("Mail outbox"));
    m = jobj(m, "messages", arr);
    m = jobj(m, "state", jstr(state ? state : ""));
    m = jobj(m, "state_options", state_options(state));
    m = jobj(m, "smtp_configured", jbool(app_sends_mail(&c->app->cfg)));
    m = jobj(m, "pagination", base ? render_pagination(base, page, PAGE_SIZE, total, NULL) : NULL);
    if (bad)
        return render_invalid(c, "admin/mail", m);
    return render(c, 200, "admin/mail", m);
}

/* The plain-text part as pieces, each {text} or {url}: http(s) links become links on the
 * page (a demonstration follows an invitation from here); everything stays escaped. */
static json_t *text_segments(const char *s)
{
    json_t *arr = json_array();
    const char *p = s;
    while (arr && *p) {
        const char *h = strstr(p, "http://"), *hs = strstr(p, "https://"), *e;
        json_t *o;
        if (!h || (hs && hs < h))
            h = hs;
        if (!h) {
            o = jobj(json_object(), "text", jstr(p));
            if (!o || json_array_append_new(arr, o))
                goto fail;
            break;
        }
        if (h > p) {
            o = jobj(json_object(), "text", json_stringn(p, (size_t)(h - p)));
            if (!o || json_array_append_new(arr, o))
                goto fail;
        }
        e = h + strcspn(h, " \t\r\n<>\"");
        /* a full stop or comma after a link ends the sentence, not the link */
        while (e > h && strchr(".,;:)", e[-1]))
            e--;
        o = jobj(json_object(), "url", json_stringn(h, (size_t)(e - h)));
        if (!o || json_array_append_new(arr, o))
            goto fail;
        p = e;
    }
    return arr;
fail:
    json_decref(arr);
    return NULL;
}

/* The path's message key (32 hex digits), or NULL when it is not one. */
static const char *message_key(struct ctx *c)
{
    const char *k = req_param(c->req, "key");
    return k && strlen(k) == 32 && strspn(k, "0123456789abcdef") == 32 ? k : NULL;
}

int page_admin_mail_message(struct ctx *c)
{
    struct mail_item it;
    struct mail_smtp smtp;
    char from[320];
    const char *key = message_key(c);
    json_t *o, *m;
    int rc;
    if (!key)
        return APP_E_NOTFOUND;
    rc = mail_outbox_get(c->db, c->arena, key, &it);
    if (rc)
        return rc;
    mail_smtp_from_config(&c->app->cfg, c->app->cfg.base_url, &smtp, from, sizeof from);
    o = item_json(&it);
    o = jobj(o, "from", jstr(from));
    o = jobj(o, "message_id",
             json_sprintf("<%s@%s>", it.key, strrchr(from, '@') ? strrchr(from, '@') + 1 : from));
    o = jobj(o, "claimed_by", jstr(it.claimed_by));
    o = jobj(o, "is_sending", jbool(!strcmp(it.state, "sending")));
    /* With a mail server, the links in a message are the recipient's alone: an admin reading
     * the outbox must not be able to use them (redact.c). Without one, the outbox is how a
     * demonstration follows them. Outside a demonstration a password reset's link is hidden
     * even then: it opens an account that holds what only its owner may see (a self-
     * assessment, a 360's results, a plan), admins included, where an invitation's opens a new
     * account that holds nothing yet. */
    bool has_smtp = app_sends_mail(&c->app->cfg);
    bool reset_hidden = !has_smtp && !c->app->cfg.demo && !strcmp(it.kind, "reset");
    if (has_smtp || reset_hidden) {
        it.body_text = mail_redact_links(c->arena, it.body_text);
        it.body_html = mail_redact_links(c->arena, it.body_html);
        if (!it.body_text || !it.body_html) {
            json_decref(o);
            return APP_E_NOMEM;
        }
    }
    o = jobj(o, "links_hidden", jbool(has_smtp || reset_hidden));
    o = jobj(o, "reset_links_hidden", jbool(reset_hidden));
    o = jobj(o, "body_text", jstr(it.body_text));
    o = jobj(o, "body_html", jstr(it.body_html));
    o = jobj(o, "bodies_purged_at", jint(it.bodies_purged_at));
    o = jobj(o, "bodies_purged", jwhen(it.bodies_purged_at));
    m = jobj(json_object(), "title", json_sprintf("Message: %s", it.subject));
    m = jobj(m, "message", o);
    m = jobj(m, "text_segments", text_segments(it.body_text));
    m = jobj(m, "hidden", json_string_nocheck(MAIL_REDACTED));
    m = jobj(m, "can_resend", jbool(!strcmp(it.state, "failed") && it.bodies_purged_at == 0));
    return render(c, 200, "admin/mail_message", m);
}

int page_admin_mail_resend(struct ctx *c)
{
    const char *key = message_key(c);
    char copy[33], *loc;
    int rc;
    if (!key)
        return APP_E_NOTFOUND;
    rc = mail_outbox_resend(c->db, c->user->id, key, copy);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc,
                     "Only a message that failed can be sent again, and only while its text "
                     "is kept.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(
            c, 201, NULL,
            json_pack("{s:s, s:s, s:s}", "key", copy, "resent_from", key, "state", "queued"));
    if ((rc = flash_set(c, "mail_resent")))
        return rc;
    if (!(loc = arena_printf(c->arena, "/admin/mail/%s", copy)))
        return APP_E_NOMEM;
    return resp_redirect(c, loc);
}
