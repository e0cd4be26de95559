/* csrf.c: CSRF tokens tied to the session they were issued to
 *
 * Two values are involved. The pre-session cookie (ahp_csrf, HttpOnly, SameSite=Lax) holds
 * "R.S": R is 16 random bytes (hex) and S = BLAKE2b-256 keyed with the app secret over
 * "csrf:" R, so the server only accepts cookies it made. The form token, put in a hidden
 * field of every form (or sent as X-CSRF-Token), is a MAC under the app secret of what it
 * belongs to:
 *   logged in  MAC("csrf-session:" + the session cookie)
 *   anonymous  MAC("csrf-anon:" + the pre-session cookie)
 * So a token is good for one session only: a token read from (or planted by) one browser or
 * session is refused in another, and after login or logout the old token stops working
 * because what it was derived from changed. Nothing is stored, so any number of servers
 * share it through the secret in the database. An attacker who can plant cookies (a sibling
 * subdomain) can still plant a pre-session cookie with its own anonymous token, which lets
 * them submit anonymous forms as themselves; logging in rotates both, so it never reaches
 * an account.
 */
#include "web/csrf.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "web/session.h"

#include <sodium.h>
#include <string.h>

#define RAND_HEX 32
#define SIG_HEX 64
#define COOKIE_LEN (RAND_HEX + 1 + SIG_HEX)

static void mac_hex(const struct app *app, const char *label, const char *what, size_t n,
                    char out[SIG_HEX + 1])
{
    unsigned char mac[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, app->secret, sizeof app->secret, sizeof mac);
    crypto_generichash_update(&st, (const unsigned char *)label, strlen(label));
    crypto_generichash_update(&st, (const unsigned char *)what, n);
    crypto_generichash_final(&st, mac, sizeof mac);
    sodium_bin2hex(out, SIG_HEX + 1, mac, sizeof mac);
}

static bool cookie_valid(const struct app *app, const char *tok)
{
    char sig[SIG_HEX + 1];
    if (!tok || strlen(tok) != COOKIE_LEN || tok[RAND_HEX] != '.')
        return false;
    mac_hex(app, "csrf:", tok, RAND_HEX, sig);
    return sodium_memcmp(sig, tok + RAND_HEX + 1, SIG_HEX) == 0;
}

void csrf_token_for(const struct app *app, const char *session, const char *pre_session,
                    char out[CSRF_TOKEN_HEX + 1])
{
    if (session)
        mac_hex(app, "csrf-session:", session, strlen(session), out);
    else
        mac_hex(app, "csrf-anon:", pre_session, strlen(pre_session), out);
}

/* The form token for session (the session cookie's value) or, when NULL, for pre_session;
 * in the arena, NULL when out of memory. */
static char *token_in_arena(struct ctx *c, const char *session, const char *pre_session)
{
    char *tok = arena_alloc(c->arena, CSRF_TOKEN_HEX + 1);
    if (tok)
        csrf_token_for(c->app, session, pre_session, tok);
    return tok;
}

/* The session cookie the request was authenticated with, or NULL when anonymous. */
static const char *request_session(const struct ctx *c)
{
    if (!c->user || !c->user->session_id)
        return NULL;
    return req_cookie(c->req, SESSION_COOKIE);
}

int csrf_rotate(struct ctx *c)
{
    unsigned char raw[RAND_HEX / 2];
    char *cookie = arena_alloc(c->arena, COOKIE_LEN + 1);
    int rc;
    if (!cookie)
        return APP_E_NOMEM;
    rc = rand_bytes(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2hex(cookie, RAND_HEX + 1, raw, sizeof raw);
    cookie[RAND_HEX] = '.';
    mac_hex(c->app, "csrf:", cookie, RAND_HEX, cookie + RAND_HEX + 1);
    c->csrf_token = token_in_arena(c, NULL, cookie);
    if (!c->csrf_token)
        return APP_E_NOMEM;
    return resp_cookie(c, CSRF_COOKIE, cookie, -1);
}

int csrf_bind_session(struct ctx *c, const char *session)
{
    int rc = csrf_rotate(c);
    if (rc)
        return rc;
    c->csrf_token = token_in_arena(c, session, NULL);
    return c->csrf_token ? APP_OK : APP_E_NOMEM;
}

int csrf_prepare(struct ctx *c)
{
    const char *pre = req_cookie(c->req, CSRF_COOKIE), *session = request_session(c);
    if (session) {
        c->csrf_token = token_in_arena(c, session, NULL);
        return c->csrf_token ? APP_OK : APP_E_NOMEM;
    }
    if (cookie_valid(c->app, pre)) {
        c->csrf_token = token_in_arena(c, NULL, pre);
        return c->csrf_token ? APP_OK : APP_E_NOMEM;
    }
    if (c->req->api) /* API clients send JSON and need no token */
        return APP_OK;
    return csrf_rotate(c);
}

bool csrf_check(struct ctx *c, const struct kv *raw, size_t nraw)
{
    const char *pre = req_cookie(c->req, CSRF_COOKIE), *session = request_session(c);
    const char *sent = NULL;
    char want[CSRF_TOKEN_HEX + 1];
    for (size_t i = 0; i < nraw; i++)
        if (!strcmp(raw[i].name, CSRF_FIELD))
            sent = raw[i].value;
    if (!sent)
        sent = req_header(c->req, "X-CSRF-Token");
    if (!sent || strlen(sent) != CSRF_TOKEN_HEX)
        return false;
    if (!session && !cookie_valid(c->app, pre))
        return false;
    csrf_token_for(c->app, session, pre, want);
    return sodium_memcmp(sent, want, CSRF_TOKEN_HEX) == 0;
}
