/* resp.c: response headers, cookies, redirects, and the one error → status table */
#include "http/resp.h"
#include "http/handler.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"

#include <string.h>

int resp_header(struct ctx *c, const char *name, const char *value)
{
    struct resp *r = c->resp;
    if (r->nheaders == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 8;
        struct kv *p = arena_alloc(c->arena, ncap * sizeof *p);
        if (!p)
            return APP_E_NOMEM;
        if (r->nheaders)
            memcpy(p, r->headers, r->nheaders * sizeof *p);
        r->headers = p;
        r->cap = ncap;
    }
    r->headers[r->nheaders].name = arena_strdup(c->arena, name);
    r->headers[r->nheaders].value = arena_strdup(c->arena, value);
    if (!r->headers[r->nheaders].name || !r->headers[r->nheaders].value)
        return APP_E_NOMEM;
    r->headers[r->nheaders].len = strlen(value);
    r->nheaders++;
    return APP_OK;
}

int resp_cookie(struct ctx *c, const char *name, const char *value, long max_age)
{
    return resp_cookie_path(c, name, value, max_age, "/");
}

int resp_cookie_path(struct ctx *c, const char *name, const char *value, long max_age,
                     const char *path)
{
    char *v;
    char age[48] = "";
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
    v = arena_printf(c->arena, "%s=%s; Path=%s; HttpOnly; SameSite=Lax%s%s", name, value, path, age,
                     c->app && c->app->cfg.behind_tls ? "; Secure" : "");
    if (!v)
        return APP_E_NOMEM;
    return resp_header(c, "Set-Cookie", v);
}

bool resp_local_path(const char *s)
{
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

int resp_redirect(struct ctx *c, const char *location)
{
    int rc;
    if (!resp_local_path(location))
        location = "/";
    rc = resp_header(c, "Location", location);
    if (rc)
        return rc;
    c->resp->status = 303;
    return APP_OK;
}

int resp_bytes(struct ctx *c, int status, const char *content_type, const char *data, size_t n)
{
    c->resp->status = status;
    c->resp->content_type = content_type;
    buf_reset(&c->resp->body);
    buf_append(&c->resp->body, data, n);
    return buf_oom(&c->resp->body) ? APP_E_NOMEM : APP_OK;
}

static const struct {
    int status;
    const char *message;
} err_table[APP_E_COUNT] = {
    [APP_OK] = {200, "Done"},
    [APP_E_NOMEM] = {500, "Sorry, there is a problem with the service. Try again later."},
    [APP_E_INVALID] = {400, "There is a problem with what was sent. Check it and try again."},
    [APP_E_NOTFOUND] = {404, "Page not found. If you typed the web address, check it is correct."},
    [APP_E_FORBIDDEN] = {403, "You do not have permission to see this page."},
    [APP_E_UNAUTH] = {401, "You need to log in to see this page."},
    [APP_E_CONFLICT] = {409, "This has already been done, or was changed by someone else."},
    /* A database that cannot take a read or write now (busy, disk full, restarting): nothing
     * was done, and the same request may well succeed in a moment. */
    [APP_E_DB] = {503,
                  "Sorry, the service could not do that just now. Try again in a few moments."},
    [APP_E_IO] = {500, "Sorry, there is a problem with the service. Try again later."},
    [APP_E_TOOBIG] = {413, "What you sent is too large, so nothing in it was saved. Go back and "
                           "send something smaller: a file of fewer rows, or a shorter text."},
    [APP_E_LIMIT] = {429, "There have been too many attempts. Wait a few minutes and try again."},
    [APP_E_CSRF] = {403, "Your form has expired. Go back, reload the page and try again."},
    [APP_E_METHOD] = {405, "This page cannot be used that way."},
    [APP_E_INTERNAL] = {500, "Sorry, there is a problem with the service. Try again later."},
    /* Refused because it is closed: nothing was done, so it must not read as "already done".
     * Callers usually say what is closed in their own words (render_error_as). */
    [APP_E_CLOSED] = {409, "This is closed, so nothing was done."},
};

int http_status_for(int err)
{
    if (err < 0 || err >= APP_E_COUNT)
        return 500;
    return err_table[err].status;
}

const char *http_message_for(int err)
{
    if (err < 0 || err >= APP_E_COUNT)
        err = APP_E_INTERNAL;
    return err_table[err].message;
}
