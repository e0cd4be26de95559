/* handler.h: what a route handler receives (struct ctx) and the route table's vocabulary
 *
 * A handler parses nothing itself: by the time it runs the route matched, the user was
 * authenticated and authorised by the route's flags, the CSRF token was checked, and the
 * declared fields were validated into c->req. It calls domain functions, builds a view model
 * and calls render() (web/render.h), or returns an app_err for the dispatcher to answer.
 */
#ifndef AHP_HANDLER_H
#define AHP_HANDLER_H

#include "core/role.h"
#include "http/req.h"
#include "http/resp.h"

struct app;
struct db;

struct route;

struct ctx {
    struct app *app;
    struct arena *arena;
    struct req *req;
    struct resp *resp;
    struct db *db;
    struct user_ctx *user;   /* NULL when anonymous */
    const char *csrf_token;  /* the token forms on this page must carry */
    const struct route *route;
    bool want_json;          /* answer with the view model as JSON */
    /* Set by a module's loader of the object the path names (listen_page_exercise): 1 when
     * the user may manage that object, -1 when not; 0 until then. */
    int may_manage;
    /* On an error page: a page of this server to go back to (dispatch sets it for a form's
     * address opened by GET), or NULL. */
    const char *error_back;
};

typedef int (*handler_fn)(struct ctx *c);

/* Route flags. A route with no flags needs a logged-in member and a CSRF token on writes. */
enum {
    R_PUBLIC = 1 << 0,      /* no login needed */
    R_FACILITATOR = 1 << 1, /* facilitator or admin */
    R_ADMIN = 1 << 2,       /* admin only */
    R_NO_CSRF = 1 << 3,     /* page writes without a CSRF token (none today; kept explicit) */
    R_PAGE_ONLY = 1 << 4,   /* no /api/v1 alias (static files, health) */
    R_RAW = 1 << 5,         /* not an HTML/JSON page: no layout, no session lookup */
    R_ANONYMOUS = 1 << 6,   /* anonymous participation (Listen, Assess): the session or token
                             * is read but its last-seen time is not refreshed
                             * (web/session.c) */
};

struct route {
    const char *name;    /* stable label for metrics and logs: "account_login" */
    enum http_method method;
    const char *pattern; /* "/admin/users/:id/role" */
    handler_fn handler;
    unsigned flags;
    const struct field_spec *fields; /* NULL-terminated; NULL when none */
};

/* The route table, generated from routes.def. */
extern const struct route routes[];
extern const size_t routes_count;

/* Handlers, declared from routes.def. */
#define ROUTE(name, method, pattern, handler, flags, fields) int handler(struct ctx *c);
#define FIELDS(name, ...)
#include "http/routes.def"
#undef ROUTE
#undef FIELDS

#endif
