/* oidc_pages.c: signing in with the organisation's account, and the admin's list of domains
 *
 * GET /login/oidc sends the browser to the provider; the provider sends it back to
 * GET /login/oidc/callback, a top-level GET from another site, which is why the cookie naming
 * the sign-in under way is SameSite=Lax (a Strict one would not come back). That cookie is
 * scoped to /login/oidc and lives as long as the sign-in may (ten minutes). Both routes
 * answer 404 while sign-in is not configured (c->app->oidc is NULL).
 *
 * Every failure gets a page in plain words with a way back to the login page; what went
 * wrong in detail (never a token or code) is in the server's log.
 */
#include "account/oidc.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/render.h"
#include "web/session.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#define OIDC_COOKIE      "ahp_oidc"
#define OIDC_COOKIE_PATH "/login/oidc"

static const struct {
    const char *code; /* the API's error code */
    int status;
    const char *text; /* completes "Your organisation's sign-in did not work: …" */
} fails[OIDC_FAIL_COUNT] = {
    [OIDC_OK] = {"ok", 200, ""},
    [OIDC_E_MALFORMED] = {"oidc_malformed", 400, "its answer could not be read"},
    [OIDC_E_ALG] = {"oidc_algorithm", 400, "its answer was signed in a way we do not accept"},
    [OIDC_E_KEY] = {"oidc_signature", 400,
                    "the signature on its answer is wrong (signed with a key it does not publish)"},
    [OIDC_E_SIGNATURE] = {"oidc_signature", 400, "the signature on its answer is wrong"},
    [OIDC_E_ISSUER] = {"oidc_issuer", 400, "the answer came from a different sign-in service"},
    [OIDC_E_AUDIENCE] = {"oidc_audience", 400, "the answer was meant for a different service"},
    [OIDC_E_EXPIRED] = {"oidc_expired", 400, "the answer had expired by the time it reached us"},
    [OIDC_E_NOT_YET] = {"oidc_not_yet", 400,
                        "the answer is dated in the future, so a clock is wrong somewhere"},
    [OIDC_E_NONCE] = {"oidc_nonce", 400, "the answer does not belong to this sign-in"},
    [OIDC_E_STATE] = {"oidc_state", 400,
                      "the sign-in took too long, was already used, or was started in another "
                      "browser"},
    [OIDC_E_REFUSED] = {"oidc_refused", 400, "your organisation cancelled or refused the sign-in"},
    [OIDC_E_UNREACHABLE] = {"oidc_unreachable", 502,
                            "we could not reach your organisation's sign-in service; try again "
                            "in a few minutes"},
    [OIDC_E_CODE] = {"oidc_code", 502,
                     "your organisation's sign-in service did not accept the sign-in"},
    [OIDC_E_NO_EMAIL] = {"oidc_no_email", 403, "your organisation's account has no email address"},
    [OIDC_E_DOMAIN] = {"oidc_domain", 403,
                       "your organisation's accounts cannot sign in here yet; ask an "
                       "administrator"},
    [OIDC_E_DEACTIVATED] = {"account_deactivated", 403,
                            "your account here has been deactivated; ask an administrator if "
                            "you need it again"},
};

const char *oidc_fail_text(enum oidc_fail why)
{
    return why > OIDC_OK && why < OIDC_FAIL_COUNT ? fails[why].text : fails[OIDC_E_MALFORMED].text;
}

int oidc_fail_status(enum oidc_fail why)
{
    return why > OIDC_OK && why < OIDC_FAIL_COUNT ? fails[why].status : 400;
}

/* The page (or JSON) for a sign-in that did not work. */
static int fail_page(struct ctx *c, enum oidc_fail why)
{
    const char *msg;
    if (why <= OIDC_OK || why >= OIDC_FAIL_COUNT)
        why = OIDC_E_MALFORMED;
    msg = why == OIDC_E_DOMAIN
              ? "Your organisation's accounts cannot sign in here yet; ask an administrator."
              : arena_printf(c->arena, "Your organisation's sign-in did not work: %s.",
                             oidc_fail_text(why));
    if (!msg)
        return APP_E_NOMEM;
    return render(c, oidc_fail_status(why), "account/oidc_error",
                  json_pack("{s:s, s:s, s:s}", "title", "Sign-in did not work", "error",
                            fails[why].code, "message", msg));
}

/* base_url + "/login/oidc/callback": what is registered with the provider. */
static const char *callback_uri(struct ctx *c)
{
    return arena_printf(c->arena, "%s%s/callback", c->app->cfg.base_url, OIDC_COOKIE_PATH);
}

json_t *oidc_login_button(struct ctx *c, const char *next)
{
    struct buf b = BUF_INIT;
    json_t *j;
    if (!c->app->oidc)
        return json_false();
    buf_puts(&b, OIDC_COOKIE_PATH);
    if (next && *next && resp_local_path(next)) {
        buf_puts(&b, "?next=");
        url_escape(&b, next, strlen(next));
    }
    j = buf_oom(&b)
            ? NULL
            : json_pack("{s:s, s:s%}", "name", c->app->cfg.oidc_name, "href", b.data, b.len);
    buf_free(&b);
    return j;
}

int page_oidc_start(struct ctx *c)
{
    struct oidc_pending p;
    char key[TOKEN_HEX];
    const char *next = req_field(c->req, "next"), *url, *redirect = callback_uri(c);
    enum oidc_fail why;
    int rc;
    if (!c->app->oidc)
        return APP_E_NOTFOUND;
    if (!redirect)
        return APP_E_NOMEM;
    rc = oidc_pending_start(c->db, next && resp_local_path(next) ? next : "", (int64_t)time(NULL),
                            key, &p);
    if (rc)
        return rc;
    rc = oidc_client_authorize_url(c->app->oidc, c->arena, redirect, p.state, p.nonce, p.challenge,
                                   &url, &why);
    if (!rc)
        rc = resp_cookie_path(c, OIDC_COOKIE, key, OIDC_PENDING_TTL, OIDC_COOKIE_PATH);
    if (!rc)
        rc = resp_header(c, "Location", url);
    sodium_memzero(&p, sizeof p);
    sodium_memzero(key, sizeof key);
    if (rc == APP_E_IO)
        return fail_page(c, why);
    if (rc)
        return rc;
    c->resp->status = 303;
    return APP_OK;
}

int page_oidc_callback(struct ctx *c)
{
    struct account_policy pol;
    struct oidc_pending p;
    struct oidc_claims claims;
    struct user_ctx who;
    char token[TOKEN_HEX];
    const char *code = req_field(c->req, "code"), *error = req_field(c->req, "error");
    const char *redirect = callback_uri(c);
    enum oidc_fail why = OIDC_E_STATE;
    int64_t now = (int64_t)time(NULL);
    int rc;
    if (!c->app->oidc)
        return APP_E_NOTFOUND;
    if (!redirect)
        return APP_E_NOMEM;
    /* The sign-in is used up whatever happens next. */
    rc = resp_cookie_path(c, OIDC_COOKIE, "", 0, OIDC_COOKIE_PATH);
    if (rc)
        return rc;
    /* A callback whose fields do not parse still uses the sign-in up (no state matches). */
    rc = oidc_pending_take(c->db, c->arena, req_cookie(c->req, OIDC_COOKIE),
                           c->req->nerrors ? NULL : req_field(c->req, "state"), now, &p);
    if (rc == APP_E_NOTFOUND || rc == APP_E_FORBIDDEN)
        return fail_page(c, OIDC_E_STATE);
    if (rc)
        return rc;
    if (error || !code)
        return fail_page(c, OIDC_E_REFUSED);
    rc = oidc_client_finish(c->app->oidc, c->arena, code, redirect, p.verifier, p.nonce, now,
                            &claims, &why);
    sodium_memzero(&p.verifier, sizeof p.verifier);
    if (rc == APP_E_IO || rc == APP_E_UNAUTH)
        return fail_page(c, why);
    if (rc)
        return rc;
    session_policy(c, &pol);
    rc = oidc_sign_in(c->db, c->arena, &pol, c->app->cfg.oidc_issuer, &claims, now, token, &who,
                      &why);
    if (rc == APP_E_FORBIDDEN)
        return fail_page(c, why);
    if (rc)
        return rc;
    if ((rc = resp_cookie(c, SESSION_COOKIE, token, -1)) || (rc = csrf_bind_session(c, token)))
        return rc;
    return resp_redirect(c, *p.next && resp_local_path(p.next) ? p.next : "/home");
}

/* ---- the admin's list of domains ---- */

/* The admin page's model into *out (a new reference). */
static int sign_in_model(struct ctx *c, json_t **out)
{
    const char **domains;
    size_t n;
    json_t *arr;
    int rc = oidc_domain_list(c->db, c->arena, &domains, &n);
    *out = NULL;
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_pack("{s:s}", "domain", domains[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    *out = json_pack("{s:s, s:b, s:s, s:s, s:o}", "title",
                     "Sign-in with your organisation's account", "configured", c->app->oidc != NULL,
                     "provider_name", c->app->cfg.oidc_name ? c->app->cfg.oidc_name : "", "issuer",
                     c->app->cfg.oidc_issuer ? c->app->cfg.oidc_issuer : "", "domains", arr);
    return *out ? APP_OK : APP_E_NOMEM;
}

/* The page again, at 400, with the field errors of the request. */
static int sign_in_invalid(struct ctx *c)
{
    json_t *m;
    int rc = sign_in_model(c, &m);
    return rc ? rc : render_invalid(c, "admin/sign_in", m);
}

int page_admin_sign_in(struct ctx *c)
{
    json_t *m;
    int rc = sign_in_model(c, &m);
    return rc ? rc : render(c, 200, "admin/sign_in", m);
}

/* The domain field as typed, lower-cased, a leading '@' dropped ("@NHS.net" → "nhs.net"). */
static char *domain_field(struct ctx *c)
{
    const char *d = req_field(c->req, "domain");
    char *out;
    if (!d)
        return NULL;
    if (*d == '@')
        d++;
    out = arena_strdup(c->arena, d);
    for (char *p = out; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return out;
}

static int domain_error(struct ctx *c, const char *message)
{
    int rc = req_add_error(c->req, "domain", message);
    return rc ? rc : sign_in_invalid(c);
}

int page_admin_sign_in_domain_add(struct ctx *c)
{
    char *d;
    int rc;
    if (c->req->nerrors)
        return sign_in_invalid(c);
    d = domain_field(c);
    if (!d)
        return APP_E_NOMEM;
    rc = oidc_domain_add(c->db, c->user->id, d);
    if (rc == APP_E_INVALID)
        return domain_error(c, "Enter an email domain, like nhs.net");
    if (rc == APP_E_CONFLICT)
        return domain_error(c, "That domain is already on the list");
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:s, s:b}", "domain", d, "added", 1));
    return resp_redirect(c, "/admin/sign-in");
}

int page_admin_sign_in_domain_remove(struct ctx *c)
{
    char *d;
    int rc;
    if (c->req->nerrors)
        return sign_in_invalid(c);
    d = domain_field(c);
    if (!d)
        return APP_E_NOMEM;
    rc = oidc_domain_remove(c->db, c->user->id, d);
    if (rc == APP_E_NOTFOUND || rc == APP_E_INVALID) {
        render_error(c, APP_E_NOTFOUND, "That domain is not on the list.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:s, s:b}", "domain", d, "removed", 1));
    return resp_redirect(c, "/admin/sign-in");
}
