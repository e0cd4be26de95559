/* dispatch.c: the request pipeline shared by the server and the in-process loopback
 *
 * The socket side (http/server.c, http/loopback.c) builds a struct req and calls this through
 * app->dispatch, so http/ depends on no rendering; everything that answers, errors included,
 * happens here.
 *
 * Order matters and is the same for every route: match the route (404/405), read the session
 * (so error pages show who is logged in), check the role (401/403), parse the body (400/413/
 * 415), check CSRF on page writes (403), validate declared fields, run the handler, and turn
 * a returned error into an answer. Handlers therefore never repeat these checks.
 *
 * CSRF: page writes carry the token from web/csrf.c in a hidden field. /api/v1 writes carry
 * a bearer token, or else declare Content-Type: application/json: a browser cannot send that
 * cross-site without a CORS preflight, which this server never grants, whereas a cross-site
 * form can post any body, an empty one included, with the visitor's cookies. So an API write
 * that is neither is refused (400, saying so), whatever its body, before any handler runs.
 *
 * A JSON body (an /api/v1 write, or any request sent as application/json) is checked whole:
 * a member its route does not declare in routes.def is refused (400, naming it) before the
 * handler runs, and so is one it declares sent as JSON of the wrong kind (true or false but
 * for a checkbox, a list or an object where nothing reads one). Query strings are not: a link
 * may carry names of its own (a campaign's tag), and a GET changes nothing, so an unknown name
 * there is ignored as before.
 */
#include "web/dispatch.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/db.h"
#include "web/csrf.h"
#include "web/render.h"
#include "web/session.h"
#include "web/signed_out.h"

#include <string.h>

/* Fields in one form: the instrument editor (src/assess/instrument_form.c) sends a whole
 * domain of items at once. */
#define MAX_FIELDS     1000
#define MAX_JSON_DEPTH 16

/* Headers every answer carries (CSP, nosniff, Referrer-Policy, frame-ancestors, HSTS). */
static int security_headers(struct ctx *c)
{
    int rc = resp_header(c, "Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self'; "
                         "img-src 'self' data:; font-src 'self'; object-src 'none'; "
                         "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    if (!rc)
        rc = resp_header(c, "X-Content-Type-Options", "nosniff");
    if (!rc)
        rc = resp_header(c, "Referrer-Policy", "same-origin");
    if (!rc)
        rc = resp_header(c, "X-Frame-Options", "DENY");
    if (!rc)
        rc = resp_header(c, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (!rc && c->app && c->app->cfg.behind_tls)
        rc = resp_header(c, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    return rc;
}

/* True when the answer already has the header (case-blind). */
static bool has_header(const struct resp *out, const char *name)
{
    for (size_t i = 0; i < out->nheaders; i++)
        if (!strcasecmp(out->headers[i].name, name))
            return true;
    return false;
}

static bool wants_json(const struct req *r)
{
    const char *accept = req_header(r, "Accept");
    if (r->api)
        return true;
    return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

/* JSON members become raw field values so pages and the API share one validation path. */
static int json_to_kv(struct arena *a, json_t *obj, struct kv **out, size_t *n)
{
    const char *key;
    json_t *v;
    size_t i = 0;
    /* A JSON body is held to the same field limit as a form. */
    if (json_object_size(obj) > MAX_FIELDS)
        return APP_E_TOOBIG;
    *out = arena_calloc(a, json_object_size(obj) + 1, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    json_object_foreach(obj, key, v)
    {
        char *s = NULL;
        if (json_is_string(v))
            s = arena_strndup(a, json_string_value(v), json_string_length(v));
        else if (json_is_integer(v))
            s = arena_printf(a, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v)) /* as text, so a whole-number field refuses it by name */
            s = arena_printf(a, "%.15g", json_real_value(v));
        else if (json_is_true(v)) /* a checkbox's (refuse_unknown refuses it for any other) */
            s = arena_strdup(a, "1");
        else if (json_is_false(v))
            s = arena_strdup(a, "0");
        else
            continue; /* arrays and objects are read by handlers from req->json */
        if (!s)
            return APP_E_NOMEM;
        (*out)[i].name = key;
        (*out)[i].value = s;
        (*out)[i].len = strlen(s);
        i++;
    }
    *n = i;
    return APP_OK;
}

/* True when an /api/v1 write cannot have come from a cross-site form (see the top). */
static bool api_write_allowed(const struct ctx *c)
{
    const char *ct = req_header(c->req, "Content-Type");
    if (c->user && c->user->via_token)
        return true;
    return ct && !strncasecmp(ct, "application/json", 16) &&
           (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

static void json_cleanup(void *p)
{
    json_decref(p);
}

/* Turns the body (or, for GET, the query) into raw fields. */
static int parse_input(struct ctx *c, struct kv **raw, size_t *nraw, const char **why)
{
    struct req *r = c->req;
    const char *ct = req_header(r, "Content-Type");
    int rc;
    *raw = NULL;
    *nraw = 0;
    if (r->method == M_GET || r->method == M_HEAD)
        return form_parse_urlencoded(c->arena, r->query, strlen(r->query), MAX_FIELDS, raw, nraw);
    if (r->body_too_big)
        return APP_E_TOOBIG;
    if (r->body_len == 0 && !ct)
        return APP_OK;
    if (ct && !strncasecmp(ct, "application/json", 16)) {
        rc = json_body_parse(r->body, r->body_len, MAX_JSON_DEPTH, &r->json, why);
        if (rc)
            return rc;
        if (arena_on_free(c->arena, json_cleanup, r->json)) {
            json_decref(r->json);
            r->json = NULL;
            return APP_E_NOMEM;
        }
        return json_to_kv(c->arena, r->json, raw, nraw);
    }
    if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
        const char *boundary = form_multipart_boundary(c->arena, ct);
        if (!boundary) {
            *why = "The multipart body has no boundary";
            return APP_E_INVALID;
        }
        return form_parse_multipart(c->arena, r->body, r->body_len, boundary, MAX_FIELDS, raw, nraw,
                                    &r->uploads, &r->nuploads);
    }
    if (!r->api && (!ct || !strncasecmp(ct, "application/x-www-form-urlencoded", 33)))
        return form_parse_urlencoded(c->arena, r->body, r->body_len, MAX_FIELDS, raw, nraw);
    *why = r->api ? "Send the request body as application/json"
                  : "Send the form as application/x-www-form-urlencoded";
    return APP_E_INVALID;
}

/* A JSON body's members that its route does not declare, or sends as an object where it reads
 * none: each is named in an error and nothing is done (400), so a client's misspelt or
 * invented field is never dropped unseen.
 * The CSRF token is taken everywhere: a page's script may send its form as JSON. A form's
 * extra names (a button's) are left to form_validate, which drops them, as before. */
static int refuse_unknown(struct ctx *c, const char **why)
{
    static const char *const also[] = {CSRF_FIELD, NULL};
    struct buf names = BUF_INIT;
    size_t n = 0, shown = 0;
    int rc = form_refuse_unknown(c->req, c->route->fields, also, c->req->json, &n);
    if (rc || !n)
        return rc;
    for (size_t i = 0; i < c->req->nerrors && shown < 10; i++, shown++)
        buf_printf(&names, "%s\"%s\"", shown ? ", " : "", c->req->errors[i].field);
    if (n > shown)
        buf_printf(&names, " and %zu more", n - shown);
    buf_putc(&names, '\0');
    *why = buf_oom(&names)
               ? NULL
               : arena_printf(c->arena,
                              "This address does not take %s %s as sent, so nothing was done. "
                              "Send only the fields it takes, as text, numbers or lists "
                              "(true or false only for a checkbox).",
                              n == 1 ? "the field" : "the fields", names.data);
    buf_free(&names);
    return *why ? APP_E_INVALID : APP_E_NOMEM;
}

/* Role check: 0 when allowed; APP_E_UNAUTH when a login would help; APP_E_FORBIDDEN. */
static int authorise(const struct ctx *c)
{
    unsigned f = c->route->flags;
    if (f & R_PUBLIC)
        return APP_OK;
    if (!c->user)
        return APP_E_UNAUTH;
    if ((f & R_ADMIN) && c->user->role < ROLE_ADMIN)
        return APP_E_FORBIDDEN;
    if ((f & R_FACILITATOR) && c->user->role < ROLE_FACILITATOR)
        return APP_E_FORBIDDEN;
    return APP_OK;
}

/* A page for a path no route serves (404), or a method it does not take (405: typically the
 * address a form was sent to, opened again from the address bar) still shows who is logged in
 * and their "Log out" button, as every other page does. The session is only read (no route,
 * so session_authenticate touches nothing); a failure leaves the page as for a visitor. */
static void who_for_error_page(struct ctx *c)
{
    struct req *r = c->req;
    const char *cookies = req_header(r, "Cookie");
    if (c->want_json || !cookies || cookie_parse(c->arena, cookies, &r->cookies, &r->ncookies))
        return; /* no cookie, no one logged in: no database connection taken */
    if (!(c->db = db_pool_get(c->app->pool)) || session_authenticate(c) || csrf_prepare(c))
        c->user = NULL;
}

/* The page a form sent to path was most likely on: the nearest parent path that a page
 * serves by GET. Forms here are sent to an address under their page's
 * (/connect/relationships/12/meetings from /connect/relationships/12, /account/tokens/5/revoke
 * from /account/tokens). NULL when only the home page is above it. The route lookups leave
 * the request's path parameters as they were. */
static const char *page_above(struct ctx *c, const char *path)
{
    struct req *r = c->req;
    struct kv *params = r->params;
    size_t nparams = r->nparams;
    const struct route *rt;
    const char *allow, *found = NULL;
    char *p = arena_strdup(c->arena, path), *slash;
    while (p && !found && (slash = strrchr(p, '/')) && slash != p) {
        *slash = '\0';
        if (router_match(r, M_GET, p, &rt, &allow) == ROUTER_FOUND &&
            !(rt->flags & (R_RAW | R_PAGE_ONLY)))
            found = p;
    }
    r->params = params;
    r->nparams = nparams;
    return found;
}

void dispatch(struct app *app, struct req *r, struct resp *out, size_t *route_idx)
{
    struct ctx ctx = {0}, *c = &ctx;
    struct kv *raw = NULL;
    size_t nraw = 0;
    const char *allow = NULL, *why = NULL;
    enum router_result found;
    int rc = APP_OK;

    c->app = app;
    c->arena = r->arena;
    c->req = r;
    c->resp = out;
    c->want_json = wants_json(r);
    *route_idx = routes_count;
    if (r->refused) {
        rc = r->refused;
        goto answer;
    }

    found = router_match(r, r->method, r->path, &c->route, &allow);
    if (found == ROUTER_BAD_METHOD) {
        resp_header(c, "Allow", allow ? allow : "GET");
        rc = APP_E_METHOD;
        if (r->method == M_GET && allow && !strcmp(allow, "POST")) {
            why = "This address is where a form is sent. Go back to the page with the form "
                  "and send it from there.";
            if (!r->api)
                c->error_back = page_above(c, r->path);
        }
        who_for_error_page(c);
        goto answer;
    }
    if (found == ROUTER_NOT_FOUND || (r->api && (c->route->flags & R_PAGE_ONLY))) {
        c->route = NULL;
        rc = APP_E_NOTFOUND;
        who_for_error_page(c);
        goto answer;
    }
    *route_idx = router_index(c->route);

    if (c->route->flags & R_RAW) {
        /* Static files, health and metrics: no session, no body, no layout. */
        rc = c->route->handler(c);
        goto answer;
    }

    rc = cookie_parse(c->arena, req_header(r, "Cookie"), &r->cookies, &r->ncookies);
    if (rc)
        goto answer;
    c->db = db_pool_get(app->pool);
    rc = session_authenticate(c);
    if (rc)
        goto answer;
    rc = csrf_prepare(c);
    if (rc)
        goto answer;
    rc = authorise(c);
    if (rc)
        goto answer;

    if (r->api && r->method != M_GET && r->method != M_HEAD && !api_write_allowed(c)) {
        why = "Send the request body as application/json, or authenticate with an API token";
        rc = APP_E_INVALID;
        goto answer;
    }
    rc = parse_input(c, &raw, &nraw, &why);
    if (rc)
        goto answer;
    if (r->method != M_GET && r->method != M_HEAD && !r->api && !(c->route->flags & R_NO_CSRF) &&
        !csrf_check(c, raw, nraw)) {
        rc = APP_E_CSRF;
        goto answer;
    }
    if (r->json) {
        rc = refuse_unknown(c, &why);
        if (rc)
            goto answer;
    }
    rc = form_validate(r, c->route->fields, raw, nraw);
    if (rc)
        goto answer;
    rc = c->route->handler(c);

answer:
    if (rc == APP_E_UNAUTH && !c->want_json && c->route && r->method != M_GET &&
        r->method != M_HEAD && (raw || !parse_input(c, &raw, &nraw, &why))) {
        /* A form sent after the session ended: shown back rather than lost (signed_out.h). */
        buf_reset(&out->body);
        int kept = signed_out_keep_form(c, raw, nraw);
        if (kept != APP_E_NOTFOUND)
            rc = kept;
        why = NULL;
    }
    if (rc == APP_E_UNAUTH && !c->want_json && c->route) {
        /* A page that needs a login sends the browser to log in and come back. */
        buf_reset(&out->body);
        const char *next = r->method == M_GET ? r->raw_path : "/";
        char *loc = arena_printf(c->arena, "/login?next=%s", next);
        if (loc && !resp_redirect(c, loc))
            rc = APP_OK;
    }
    if (rc) {
        if (rc == APP_E_DB)
            metrics_db_error(app->metrics);
        if (http_status_for(rc) >= 500)
            log_error("msg=\"request failed\" route=%s err=%s", c->route ? c->route->name : "none",
                      app_err_name(rc));
        render_error(c, rc, why);
    } else if (!out->status) {
        log_error("msg=\"handler set no response\" route=%s", c->route->name);
        render_error(c, APP_E_INTERNAL, NULL);
    }
    /* Answers are no-store unless their handler chose otherwise (static files are public):
     * downloads hold exports and reports that may not be public, or were public only until
     * they were unpublished, and no browser or shared cache should keep a copy. Set here,
     * once, so a new download cannot forget it. */
    if (security_headers(c) ||
        (!has_header(out, "Cache-Control") && resp_header(c, "Cache-Control", "no-store")))
        out->status = 500;
    if (c->db) {
        if (db_in_tx(c->db)) /* a handler that failed mid-transaction leaves nothing behind */
            db_rollback(c->db);
        db_pool_put(app->pool, c->db);
    }
}
