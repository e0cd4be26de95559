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
    /* A logged-in person's anonymous action (a Listen contribution, vote or flag, answers
     * in an anonymous assessment round) must leave no trace on their account: refreshing
     * last_seen or last_used on that request would give the session or token row the very
     * second the contribution or response row carries, and the two could be matched. The
     * participation routes (R_ANONYMOUS: Listen's exercise page, "mine" and writes, Assess's
     * taking-part pages) therefore read the credential, so the page shows who is logged in,
     * but write nothing to it; the page read just before contributing does not leave a time
     * seconds away either. The cost: a session does not slide while its owner only takes
     * part, so it ends session_ttl (12 hours by default) after their last other page.
     * Coarsening the stored times instead would not do: expires_at is last_seen plus a
     * fixed ttl, so any time written during the action would still match to within the
     * coarsening, and a day's coarsening would end sessions early. */
    bool touch = c->route && !(c->route->flags & R_ANONYMOUS); /* no route: an error page */
    int rc;
    session_policy(c, &pol);
    who = arena_alloc(c->arena, sizeof *who);
    if (!who)
        return APP_E_NOMEM;
    if (c->req->api && auth && !strncasecmp(auth, "Bearer ", 7)) {
        rc = account_token_find(c->db, c->arena, auth + 7, (int64_t)time(NULL), touch, who);
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
    rc = account_session_find(c->db, c->arena, &pol, cookie, (int64_t)time(NULL), touch, who);
    if (rc == APP_E_NOTFOUND)
        return resp_cookie(c, SESSION_COOKIE, "", 0);
    if (rc)
        return rc;
    c->user = who;
    return APP_OK;
}
