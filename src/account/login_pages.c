/* login_pages.c: logging in and out with a password */
#include "account/account.h"
#include "account/oidc.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "http/router.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/password.h"
#include "web/render.h"
#include "web/session.h"

#include <string.h>
#include <time.h>

#define RESUME_PREFIX "resume."

/* The form kept through logging in (web/dispatch.c login_again): the POST route at resume_to,
 * or NULL when there is none or it names no form of this service. */
static const struct route *resume_route(struct ctx *c, const char **path)
{
    const struct route *rt = NULL;
    const char *allow = NULL;
    *path = req_field(c->req, "resume_to");
    if (!*path || !resp_local_path(*path) || strchr(*path, '?') ||
        router_match(c->req, M_POST, *path, &rt, &allow) != ROUTER_FOUND ||
        !strcmp(rt->name, "account_login") || (rt->flags & (R_PUBLIC | R_RAW)))
        return NULL;
    return rt;
}

/* The kept fields as {name, value}, names without the prefix, in the order sent. */
static json_t *resume_fields(struct ctx *c)
{
    json_t *arr = json_array();
    size_t pl = strlen(RESUME_PREFIX);
    for (size_t i = 0; arr && i < c->req->nfields; i++) {
        const struct kv *f = &c->req->fields[i];
        if (strncmp(f->name, RESUME_PREFIX, pl) || !f->name[pl])
            continue;
        if (json_array_append_new(arr, json_pack("{s:s, s:s}", "name", f->name + pl, "value",
                                                 f->value))) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *login_model(struct ctx *c)
{
    const char *next = req_field(c->req, "next"), *to;
    json_t *m = json_pack("{s:s, s:s}", "title", "Log in", "next",
                          next && resp_local_path(next) ? next : "");
    if (m && resume_route(c, &to)) { /* a wrong password keeps the kept form too */
        m = jobj(m, "title", json_string_nocheck("Log in again"));
        m = jobj(m, "resume_to", jstr(to));
        m = jobj(m, "resume", resume_fields(c));
    }
    /* the organisation's sign-in button, when configured (oidc_pages.c) */
    return jobj(m, "oidc", oidc_login_button(c, next));
}

int page_account_login_form(struct ctx *c)
{
    if (c->user && !c->want_json)
        return resp_redirect(c, "/home");
    return render(c, 200, "account/login", login_model(c));
}

int page_account_login(struct ctx *c)
{
    struct account_policy pol;
    struct user_ctx who;
    char token[TOKEN_HEX];
    const char *email = req_field(c->req, "email"), *pw = req_field(c->req, "password");
    const char *next = req_field(c->req, "next"), *to;
    int rc;
    if (c->req->nerrors)
        return render_invalid(c, "account/login", login_model(c));
    session_policy(c, &pol);
    rc = account_login(c->db, c->arena, &pol, c->app->login_throttle, c->req->client_key, email, pw,
                       strlen(pw), (int64_t)time(NULL), token, &who);
    if (rc == APP_E_UNAUTH) {
        rc = req_add_error(c->req, "email", "Enter a correct email address and password");
        if (rc)
            return rc;
        if (c->want_json)
            return render(c, 401, NULL,
                          json_pack("{s:s, s:s}", "error", "unauthorised", "message",
                                    "Enter a correct email address and password"));
        return render(c, 401, "account/login", login_model(c));
    }
    if (rc == APP_E_FORBIDDEN) { /* the right password, for a deactivated account */
        render_error(c, rc,
                     "This account has been deactivated. If you need it again, ask an "
                     "administrator of " SERVICE_NAME " to reactivate it.");
        return APP_OK;
    }
    if (rc)
        return rc;
    /* An old session cookie (another user on a shared computer) is replaced, not kept. */
    if ((rc = resp_cookie(c, SESSION_COOKIE, token, -1)) || (rc = csrf_bind_session(c, token)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      json_pack("{s:{s:I, s:s, s:s}, s:s}", "user", "id", (json_int_t)who.id,
                                "display_name", who.display_name, "role", role_name(who.role),
                                "csrf_token", c->csrf_token));
    if (resume_route(c, &to)) /* offer to send the kept form, with the new session's token */
        return render(c, 200, "account/resume",
                      jobj(jobj(json_pack("{s:s}", "title", "Send your form"), "action", jstr(to)),
                           "fields", resume_fields(c)));
    return resp_redirect(c, next && resp_local_path(next) ? next : "/home");
}

int page_account_logout(struct ctx *c)
{
    int rc = APP_OK;
    if (c->user->session_id)
        rc = account_session_end(c->db, c->user->session_id, c->user->id);
    /* A shared computer must not hand one person's work to the next: the assessment
     * response cookie (ahp_ar) and the Listen participant cookie (ahp_lp) are scoped to
     * each round's and exercise's paths, so this request, at /logout, does not carry them
     * and the server cannot know which slugs the browser holds to expire them one by one.
     * Clear-Site-Data: "cookies" has the browser drop every cookie of this site, which
     * current browsers honour; in one that does not, a named assessment response still
     * opens only for its own account (assess/pages.c). The session cookie is expired
     * explicitly as well, and the next page's forms get a fresh pre-session token. */
    if (rc || (rc = resp_header(c, "Clear-Site-Data", "\"cookies\"")) ||
        (rc = resp_cookie(c, SESSION_COOKIE, "", 0)) || (rc = csrf_rotate(c)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:b}", "logged_out", 1));
    return resp_redirect(c, "/?logged_out=1");
}
