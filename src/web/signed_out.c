/* signed_out.c: a form sent after the session ended is shown back, not thrown away (see
 * signed_out.h for when and why) */
#include "web/signed_out.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "http/resp.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/render.h"
#include "web/session.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

/* The page the form was on, from the Referer, when it is a page of this server: where to come
 * back to after logging in. "" when it cannot be told. */
static const char *came_from(struct ctx *c)
{
    const char *ref = req_header(c->req, "Referer"), *host = req_header(c->req, "Host"), *p;
    size_t hl;
    if (!ref || !host || !(p = strstr(ref, "://")))
        return "";
    p += 3;
    hl = strlen(host);
    if (strncmp(p, host, hl) || p[hl] != '/' || !resp_local_path(p + hl))
        return "";
    return p + hl;
}

/* Text a person wrote, worth copying: long text, an email address, a line of text. Not a
 * choice declared as a token, a number or a box ticked, which takes a moment to make again,
 * nor a field of a few characters such as the day of a date (TEXT_SHORT or less), nor a
 * password. A few radio buttons are declared as text (a plan activity's kind): their choice
 * is shown too, which is harmless. */
#define TEXT_SHORT 20
static bool typed(const struct field_spec *f)
{
    return f->type == F_LONGTEXT || f->type == F_EMAIL ||
           (f->type == F_TEXT && f->max > TEXT_SHORT);
}

/* True when the form's CSRF token is the one the ended session's pages carried: only our
 * server can make it, so a form carrying it was on one of our pages in that session. */
static bool token_for(struct ctx *c, const struct kv *raw, size_t nraw, const char *session)
{
    const char *sent = NULL;
    char want[CSRF_TOKEN_HEX + 1];
    for (size_t i = 0; i < nraw; i++)
        if (!strcmp(raw[i].name, CSRF_FIELD))
            sent = raw[i].value;
    if (!sent || strlen(sent) != CSRF_TOKEN_HEX)
        return false;
    csrf_token_for(c->app, session, NULL, want);
    return sodium_memcmp(sent, want, CSRF_TOKEN_HEX) == 0;
}

/* "your name" as a heading: "Your name". */
static json_t *sentence_case(struct arena *a, const char *label)
{
    char *s = arena_strdup(a, label ? label : "");
    if (!s)
        return NULL;
    if (s[0] >= 'a' && s[0] <= 'z')
        s[0] = (char)(s[0] - 'a' + 'A');
    return jstr(s);
}

/* Whether a file was chosen: a file input left empty is sent as a part with no name or bytes. */
static bool chose_files(const struct req *r)
{
    for (size_t i = 0; i < r->nuploads; i++)
        if (r->uploads[i].len || (r->uploads[i].filename && *r->uploads[i].filename))
            return true;
    return false;
}

int signed_out_keep_form(struct ctx *c, const struct kv *raw, size_t nraw)
{
    const char *sess = req_cookie(c->req, SESSION_COOKIE), *pre = req_cookie(c->req, CSRF_COOKIE);
    const char *next;
    int ttl = c->app->cfg.session_ttl;
    json_t *fields, *m;
    struct buf href = BUF_INIT;
    if ((!sess || !*sess) && (!pre || !*pre))
        return APP_E_NOTFOUND; /* not from one of our pages: perhaps another site's form */
    if (sess && *sess && !token_for(c, raw, nraw, sess))
        return APP_E_NOTFOUND; /* not a form this session's page made (see signed_out.h) */
    if (!(fields = json_array()))
        return APP_E_NOMEM;
    for (size_t i = 0; i < nraw; i++) {
        const struct field_spec *f = form_field_spec(c->route->fields, raw[i].name);
        json_t *o, *v;
        if (!f || !raw[i].len || !typed(f))
            continue;
        if (!(v = json_stringn(raw[i].value, raw[i].len)))
            continue; /* not UTF-8: it was not typed into one of our pages */
        o = jobj(json_object(), "label", sentence_case(c->arena, f->label));
        o = jobj(o, "value", v);
        o = jobj(o, "rows", json_integer(f->type == F_LONGTEXT ? 6 : 2));
        o = jobj(o, "id", json_sprintf("kept-%zu", json_array_size(fields) + 1));
        if (!o || json_array_append_new(fields, o)) {
            json_decref(fields);
            return APP_E_NOMEM;
        }
    }
    if (!json_array_size(fields)) {
        json_decref(fields);
        return APP_E_NOTFOUND;
    }
    next = came_from(c);
    buf_puts(&href, "/login");
    if (*next) {
        buf_puts(&href, "?next=");
        url_escape(&href, next, strlen(next));
    }
    /* with no session cookie it may have ended by a log-out in another tab, which clears the
     * cookie, or the visitor never logged in: the title says only what is known */
    m = jobj(
        json_object(), "title",
        json_string_nocheck(sess && *sess ? "You have been logged out" : "You are not logged in"));
    m = jobj(m, "fields", fields);
    m = jobj(m, "idle",
             ttl >= 7200   ? json_sprintf("%d hours", ttl / 3600)
             : ttl >= 3600 ? json_string_nocheck("an hour")
             : ttl >= 120  ? json_sprintf("%d minutes", ttl / 60)
                           : json_string_nocheck("a minute"));
    m = jobj(m, "had_files", json_boolean(chose_files(c->req)));
    m = jobj(m, "login_href", buf_oom(&href) ? NULL : json_stringn(href.data, href.len));
    buf_free(&href);
    /* the ended session's cookie was cleared by session_authenticate */
    return render(c, 401, "site/signed_out", m);
}
