/* password_pages.c: "Forgotten your password?", and the pages behind the links in mail that
 * set a password (a reset, or the first password of an invited account)
 *
 * The reset and the invitation are one flow with different words (struct flow). Whatever
 * happens, the request for a reset link gets the same page and status for every address;
 * only its rate limit answers differently, and equally for every address too.
 *
 * Nor may the time it takes tell. account_reset_request does the same work for every
 * address but one insert (the link itself), and on PostgreSQL under load that insert made
 * the median answer for an address with an account 3.5 ms against 1.1 ms for one without
 * (password_reset_test, CI). So the answer is held until FORGOT_ANSWER_MS after the
 * request arrived: the work takes 1 to 4 ms, 30 ms at worst seen, and a person asking for a
 * link does not notice a tenth of a second. The rate limits (10 requests an hour a client)
 * keep the held worker threads few.
 */
#include "account/links.h"
#include "app.h"
#include "core/err.h"
#include "core/hourly_count.h"
#include "web/csrf.h"
#include "web/password.h"
#include "web/render.h"
#include "web/session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Every request for a reset link is answered this long after it arrived, at the soonest. */
#define FORGOT_ANSWER_MS 100

static const char SENT[] = "If there is an account for that address, we have sent a link to "
                           "reset the password. It works for 1 hour.";

int page_password_forgot_form(struct ctx *c)
{
    return render(c, 200, "account/forgot", json_pack("{s:s}", "title", "Reset your password"));
}

/* Sleeps until ms after start (CLOCK_MONOTONIC); at once when that has passed. */
static void hold_until(const struct timespec *start, long ms)
{
    struct timespec until = *start;
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
        ;
}

int page_password_forgot(struct ctx *c)
{
    struct link_mailer m = {c->app->tpl, c->app->cfg.base_url, !app_sends_mail(&c->app->cfg)};
    const char *email = req_field(c->req, "email");
    int64_t now = (int64_t)time(NULL);
    struct timespec start;
    int rc;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (c->req->nerrors)
        return render_invalid(c, "account/forgot",
                              json_pack("{s:s}", "title", "Reset your password"));
    if (reset_limit_take(c->app->reset_limit, c->req->client_key, email, now)) {
        render_limited(c, hourly_count_wait(now),
                       "There have been too many requests for a link from here or for that "
                       "address.",
                       false);
        return APP_OK;
    }
    rc = account_reset_request(c->db, &m, email, now);
    hold_until(&start, FORGOT_ANSWER_MS);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:b, s:s}", "requested", 1, "message", SENT));
    return render(c, 200, "account/forgot_sent",
                  json_pack("{s:s, s:s}", "title", "Check your email", "message", SENT));
}

/* What differs between the reset and the invitation. */
struct flow {
    enum link_purpose purpose;
    const char *title, *intro, *after, *button, *flash;
};

static const struct flow RESET = {
    LINK_RESET,
    "Set a new password",
    "Choose a new password for your account.",
    "Setting a new password logs you out on every other device and browser.",
    "Set the new password",
    "password_reset",
};

static const struct flow INVITE = {
    LINK_INVITE,
    "Set your password",
    "You have been invited to this service. Choose a password to finish setting up your "
    "account.",
    "You will use your email address and this password to log in.",
    "Set your password and log in",
    "invite_accepted",
};

/* The page for a link that cannot be used: 404 for a token that never existed, 410 for one
 * used, expired or replaced. */
static int link_problem(struct ctx *c, const struct flow *f, int rc)
{
    const char *title, *msg;
    json_t *m;
    if (rc != APP_E_NOTFOUND && rc != APP_E_CONFLICT)
        return rc;
    if (rc == APP_E_NOTFOUND) {
        title = "This link is not right";
        msg = "Check that you used the whole link from the email. It may have been broken over "
              "two lines.";
    } else {
        title = "This link has already been used or has expired";
        msg = f->purpose == LINK_INVITE
                  ? "An invitation link works once, for 7 days, and only the newest one sent "
                    "to you works."
                  : "A link to reset a password works once, for 1 hour, and only the newest "
                    "one sent to you works.";
    }
    if (c->want_json)
        return render(c, rc == APP_E_NOTFOUND ? 404 : 410, NULL,
                      json_pack("{s:s, s:s, s:s}", "error",
                                rc == APP_E_NOTFOUND ? "not_found" : "gone", "message", title,
                                "detail", msg));
    m = json_pack("{s:s, s:s, s:b}", "title", title, "message", msg, "invite",
                  f->purpose == LINK_INVITE);
    return render(c, rc == APP_E_NOTFOUND ? 404 : 410, "account/link_problem", m);
}

static json_t *form_model(struct ctx *c, const struct flow *f, const struct account_link *l)
{
    const char *token = req_param(c->req, "token");
    json_t *m = jobj(json_object(), "title", json_string_nocheck(f->title));
    m = jobj(m, "intro", json_string_nocheck(f->intro));
    m = jobj(m, "after", json_string_nocheck(f->after));
    m = jobj(m, "button", json_string_nocheck(f->button));
    m = jobj(m, "email", jstr(l->email));
    m = jobj(m, "name", jstr(l->display_name));
    if (m) {
        char action[160];
        snprintf(action, sizeof action, "%s%s", link_path(f->purpose), token ? token : "");
        m = jset(m, "action", jstr(action));
    }
    return m;
}

static int show_form(struct ctx *c, const struct flow *f)
{
    struct account_link l;
    int rc = account_link_find(c->db, c->arena, f->purpose, req_param(c->req, "token"),
                               (int64_t)time(NULL), &l);
    if (rc)
        return link_problem(c, f, rc);
    return render(c, 200, "account/new_password", form_model(c, f, &l));
}

static int set_password(struct ctx *c, const struct flow *f)
{
    struct account_policy pol;
    struct account_link l;
    struct user_ctx who;
    char session[TOKEN_HEX];
    const char *token = req_param(c->req, "token");
    const char *np = req_field(c->req, "new_password"),
               *conf = req_field(c->req, "confirm_password");
    const char *policy;
    int64_t now = (int64_t)time(NULL);
    int rc = account_link_find(c->db, c->arena, f->purpose, token, now, &l);
    if (rc)
        return link_problem(c, f, rc);
    if (np && conf && strcmp(np, conf) != 0)
        req_add_error(c->req, "confirm_password", "The new passwords do not match");
    if (np && (policy = password_policy(np, strlen(np), l.email)))
        req_add_error(c->req, "new_password", policy);
    if (c->req->nerrors)
        return render_invalid(c, "account/new_password", form_model(c, f, &l));
    session_policy(c, &pol);
    rc = account_link_use(c->db, c->arena, &pol, f->purpose, token, np, strlen(np), now, session,
                          &who);
    if (rc)
        return link_problem(c, f, rc);
    /* Logged in, as after a login: any older session cookie in this browser is replaced. */
    if ((rc = resp_cookie(c, SESSION_COOKIE, session, -1)) || (rc = csrf_bind_session(c, session)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      json_pack("{s:{s:I, s:s, s:s}, s:s}", "user", "id", (json_int_t)who.id,
                                "display_name", who.display_name, "role", role_name(who.role),
                                "csrf_token", c->csrf_token));
    if ((rc = flash_set(c, f->flash)))
        return rc;
    return resp_redirect(c, "/home");
}

int page_password_reset_form(struct ctx *c)
{
    return show_form(c, &RESET);
}

int page_password_reset(struct ctx *c)
{
    return set_password(c, &RESET);
}

int page_set_password_form(struct ctx *c)
{
    return show_form(c, &INVITE);
}

int page_set_password(struct ctx *c)
{
    return set_password(c, &INVITE);
}
