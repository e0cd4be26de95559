/* csrf.c: signed double-submit CSRF tokens
 *
 * The token is "R.S": R is 16 random bytes (hex) and S = BLAKE2b-256 keyed with the app secret
 * over "csrf:" R (hex) — a MAC, checked on every page view, so the cheap one.
 * It lives in an HttpOnly SameSite=Lax cookie and in a hidden field of every form; a write is
 * accepted only when the two match and S verifies. The signature stops an attacker who can
 * plant a cookie (a sibling subdomain) from choosing a token, and needs no server state, so
 * any number of servers share it through the secret in the database.
 */
#include "web/csrf.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"

#include <sodium.h>
#include <string.h>

#define RAND_HEX 32
#define SIG_HEX 64
#define TOKEN_LEN (RAND_HEX + 1 + SIG_HEX)

static void sign(const struct app *app, const char *r, char out[SIG_HEX + 1])
{
    unsigned char mac[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, app->secret, sizeof app->secret, sizeof mac);
    crypto_generichash_update(&st, (const unsigned char *)"csrf:", 5);
    crypto_generichash_update(&st, (const unsigned char *)r, RAND_HEX);
    crypto_generichash_final(&st, mac, sizeof mac);
    sodium_bin2hex(out, SIG_HEX + 1, mac, sizeof mac);
}

static bool valid(const struct app *app, const char *tok)
{
    char sig[SIG_HEX + 1];
    if (!tok || strlen(tok) != TOKEN_LEN || tok[RAND_HEX] != '.')
        return false;
    sign(app, tok, sig);
    return sodium_memcmp(sig, tok + RAND_HEX + 1, SIG_HEX) == 0;
}

int csrf_rotate(struct ctx *c)
{
    unsigned char raw[RAND_HEX / 2];
    char *tok = arena_alloc(c->arena, TOKEN_LEN + 1);
    int rc;
    if (!tok)
        return APP_E_NOMEM;
    rc = rand_bytes(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2hex(tok, RAND_HEX + 1, raw, sizeof raw);
    tok[RAND_HEX] = '.';
    sign(c->app, tok, tok + RAND_HEX + 1);
    c->csrf_token = tok;
    return resp_cookie(c, CSRF_COOKIE, tok, -1);
}

int csrf_prepare(struct ctx *c)
{
    const char *tok = req_cookie(c->req, CSRF_COOKIE);
    if (valid(c->app, tok)) {
        c->csrf_token = tok;
        return APP_OK;
    }
    if (c->req->api) /* API clients send JSON and need no token */
        return APP_OK;
    return csrf_rotate(c);
}

bool csrf_check(struct ctx *c, const struct kv *raw, size_t nraw)
{
    const char *cookie = req_cookie(c->req, CSRF_COOKIE), *sent = NULL;
    for (size_t i = 0; i < nraw; i++)
        if (!strcmp(raw[i].name, CSRF_FIELD))
            sent = raw[i].value;
    if (!sent)
        sent = req_header(c->req, "X-CSRF-Token");
    if (!sent || !valid(c->app, cookie) || strlen(sent) != TOKEN_LEN)
        return false;
    return sodium_memcmp(sent, cookie, TOKEN_LEN) == 0;
}
