/* login_pages.c: logging in and out with a password */
#include "account/account.h"
#include "account/oidc.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/password.h"
#include "web/render.h"
#include "web/session.h"

#include <string.h>
#include <time.h>

static json_t *login_model(struct ctx *c)
{
    const char *next = req_field(c->req, "next");
    json_t *m = json_pack("{s:s, s:s}", "title", "Log in", "next",
                          next && resp_local_path(next) ? next : "");
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
    const char *next = req_field(c->req, "next");
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
    if (rc == APP_E_LIMIT) {
        render_limited(c,
                       login_throttle_wait(c->app->login_throttle, &pol, c->req->client_key, email,
                                           (int64_t)time(NULL)),
                       "There have been too many wrong passwords from here.", true);
        return APP_OK;
    }
    if (rc == APP_E_FORBIDDEN) { /* the right password, for a deactivated account */
        /* A page about the account only: the general "You do not have permission" page
         * and its "Log in to continue" said the wrong thing to someone who just did. */
        if (!c->want_json) {
            c->resp->error_code = app_err_name(rc);
            return render(c, 403, "account/deactivated",
                          jobj(json_object(), "title", jstr("Your account has been deactivated")));
        }
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
