/* session.c: turning a cookie or bearer token into c->user */
#include "web/session.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"

#include <string.h>
#include <time.h>

void session_policy(const struct ctx *c, struct account_policy *pol)
{
    pol->max_fails = c->app->cfg.login_max_fails;
    pol->lock_secs = c->app->cfg.login_lock_secs;
    pol->session_ttl = c->app->cfg.session_ttl;
}

int session_authenticate(struct ctx *c)
{
    struct account_policy pol;
    struct user_ctx *who;
    const char *auth = req_header(c->req, "Authorization"), *cookie;
    int rc;
    session_policy(c, &pol);
    who = arena_alloc(c->arena, sizeof *who);
    if (!who)
        return APP_E_NOMEM;
    if (c->req->api && auth && !strncasecmp(auth, "Bearer ", 7)) {
        rc = account_token_find(c->db, c->arena, auth + 7, (int64_t)time(NULL), who);
        if (rc == APP_E_NOTFOUND)
            return APP_E_UNAUTH;
        if (rc)
            return rc;
        c->user = who;
        return APP_OK;
    }
    cookie = req_cookie(c->req, SESSION_COOKIE);
    if (!cookie || !*cookie)
        return APP_OK;
    rc = account_session_find(c->db, c->arena, &pol, cookie, (int64_t)time(NULL), who);
    if (rc == APP_E_NOTFOUND)
        return resp_cookie(c, SESSION_COOKIE, "", 0);
    if (rc)
        return rc;
    c->user = who;
    return APP_OK;
}
