/* oidc_token.c: verifying an OpenID Connect ID token (compact JWS, RS256) against a JWKS
 *
 * Pure: no network, no database, no clock of its own (the caller passes now), so the unit
 * tests run it on fixed vectors. What OpenID Connect Core §3.1.3.7 asks of a client that got
 * its token straight from the token endpoint is checked, and nothing is taken on trust from
 * the token itself: the algorithm is fixed to RS256 here, never read from the token and used
 * ("none" and HS256 — which would make the client secret, or nothing, the key — are refused
 * by name), the key comes only from the provider's JWKS, and the JSON is parsed with
 * duplicate names refused so that no two parsers can read different claims. OpenSSL 3's
 * EVP API checks the signature; the RSA key is built from the JWK's n and e with
 * OSSL_PARAM_BLD, and keys shorter than 2048 bits are refused.
 */
#include "account/oidc.h"
#include "core/arena.h"
#include "core/err.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define JWT_MAX      16384 /* Entra ID tokens are 1-3 KB; anything this large is not one */
#define RSA_MIN_BITS 2048

/* Decodes unpadded base64url s[0..n) into a new malloc'd buffer (*out, *outlen); false when it
 * is not exactly that encoding. */
static bool b64url_decode(const char *s, size_t n, unsigned char **out, size_t *outlen)
{
    const char *end = NULL;
    unsigned char *buf = malloc(n * 3 / 4 + 1);
    if (!buf)
        return false;
    if (sodium_base642bin(buf, n * 3 / 4 + 1, s, n, NULL, outlen, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != s + n) {
        free(buf);
        return false;
    }
    *out = buf;
    return true;
}

/* A JSON object from a base64url segment, or NULL. */
static json_t *b64url_json(const char *s, size_t n)
{
    unsigned char *raw;
    size_t len;
    json_t *j;
    if (!b64url_decode(s, n, &raw, &len))
        return NULL;
    j = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
    free(raw);
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* A BIGNUM from a base64url big-endian JWK member, or NULL. */
static BIGNUM *jwk_bn(const json_t *jwk, const char *name)
{
    const char *s = json_string_value(json_object_get(jwk, name));
    unsigned char *raw;
    size_t len;
    BIGNUM *bn;
    if (!s || !b64url_decode(s, strlen(s), &raw, &len))
        return NULL;
    bn = BN_bin2bn(raw, (int)len, NULL);
    free(raw);
    return bn;
}

/* The RSA public key of a JWK, or NULL when it is not a usable one. */
static EVP_PKEY *jwk_rsa(const json_t *jwk)
{
    BIGNUM *n = jwk_bn(jwk, "n"), *e = jwk_bn(jwk, "e");
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_PKEY *pkey = NULL;
    if (!n || !e)
        goto done;
    bld = OSSL_PARAM_BLD_new();
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
        goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
        EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        goto done;
    if (EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
done:
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

/* The JWK with this kid that may sign with RS256, or NULL. */
static const json_t *find_key(const json_t *jwks, const char *kid)
{
    const json_t *keys = json_object_get(jwks, "keys"), *k;
    size_t i;
    json_array_foreach(keys, i, k)
    {
        const char *kty = json_string_value(json_object_get(k, "kty"));
        const char *id = json_string_value(json_object_get(k, "kid"));
        const char *use = json_string_value(json_object_get(k, "use"));
        const char *alg = json_string_value(json_object_get(k, "alg"));
        if (kty && !strcmp(kty, "RSA") && id && !strcmp(id, kid) && (!use || !strcmp(use, "sig")) &&
            (!alg || !strcmp(alg, "RS256")))
            return k;
    }
    return NULL;
}

static bool verify_rs256(EVP_PKEY *pkey, const char *input, size_t n, const unsigned char *sig,
                         size_t siglen)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
              EVP_DigestVerify(md, sig, siglen, (const unsigned char *)input, n) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

/* A NumericDate claim; false when absent or not a number. */
static bool num_claim(const json_t *claims, const char *name, int64_t *out)
{
    const json_t *v = json_object_get(claims, name);
    if (json_is_integer(v))
        *out = (int64_t)json_integer_value(v);
    else if (json_is_real(v) && json_real_value(v) > -9e18 && json_real_value(v) < 9e18)
        *out = (int64_t)json_real_value(v); /* in range, so the conversion is defined */
    else
        return false;
    return true;
}

static bool str_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* aud is our client id, or an array holding it; with several audiences, azp must be ours. An
 * azp present at all must be ours (Core §3.1.3.7 items 3-5). */
static bool audience_ok(const json_t *claims, const char *client_id)
{
    const json_t *aud = json_object_get(claims, "aud"), *v;
    const json_t *azp = json_object_get(claims, "azp");
    bool found = false;
    size_t i;
    if (azp && (!json_is_string(azp) || strcmp(json_string_value(azp), client_id) != 0))
        return false;
    if (json_is_string(aud))
        return !strcmp(json_string_value(aud), client_id);
    if (!json_is_array(aud) || json_array_size(aud) == 0)
        return false;
    json_array_foreach(aud, i, v) found |=
        json_is_string(v) && !strcmp(json_string_value(v), client_id);
    return found && (json_array_size(aud) == 1 || azp);
}

/* True when s could be a mailbox: one '@' with something before it, a dot after it, at most
 * 254 bytes, and no space, control or mail-syntax character (it becomes the account's email). */
static bool looks_like_email(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at, '.') || strlen(s) > 254)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || strchr("\"(),:;<>[\\]", *s))
            return false;
    return true;
}

/* The address the token gives: email, else (Entra ID) preferred_username when it looks like
 * one; lower-cased, in the arena, "" when neither is an address. */
static const char *token_email(struct arena *a, const json_t *claims)
{
    const char *names[] = {"email", "preferred_username"};
    for (size_t i = 0; i < 2; i++) {
        const char *s = json_string_value(json_object_get(claims, names[i]));
        char *out;
        if (!looks_like_email(s))
            continue;
        out = arena_strdup(a, s);
        for (char *p = out; p && *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        return out;
    }
    return arena_strdup(a, "");
}

int oidc_token_verify(const char *jwt, const json_t *jwks, const struct oidc_expect *exp,
                      struct arena *a, struct oidc_claims *out, enum oidc_fail *why)
{
    const char *dot1, *dot2, *alg, *kid, *iss, *sub, *nonce, *name;
    char *display;
    json_t *header = NULL, *claims = NULL;
    const json_t *jwk, *ev;
    EVP_PKEY *pkey = NULL;
    unsigned char *sig = NULL;
    size_t n = jwt ? strlen(jwt) : 0, siglen = 0;
    int64_t t;
    int rc = APP_E_UNAUTH;
    memset(out, 0, sizeof *out);
    *why = OIDC_E_MALFORMED;
    if (n == 0 || n > JWT_MAX || !(dot1 = strchr(jwt, '.')) || !(dot2 = strchr(dot1 + 1, '.')) ||
        strchr(dot2 + 1, '.'))
        goto done;
    header = b64url_json(jwt, (size_t)(dot1 - jwt));
    if (!header)
        goto done;
    alg = json_string_value(json_object_get(header, "alg"));
    if (!alg || strcmp(alg, "RS256") != 0) {
        *why = OIDC_E_ALG;
        goto done;
    }
    /* A critical extension we do not implement makes the token unusable (RFC 7515 §4.1.11). */
    if (json_object_get(header, "crit"))
        goto done;
    kid = json_string_value(json_object_get(header, "kid"));
    if (!kid || !(jwk = find_key(jwks, kid))) {
        *why = OIDC_E_KEY;
        goto done;
    }
    if (!b64url_decode(dot2 + 1, strlen(dot2 + 1), &sig, &siglen))
        goto done;
    pkey = jwk_rsa(jwk);
    if (!pkey) {
        *why = OIDC_E_KEY;
        goto done;
    }
    if (!verify_rs256(pkey, jwt, (size_t)(dot2 - jwt), sig, siglen)) {
        *why = OIDC_E_SIGNATURE;
        goto done;
    }
    claims = b64url_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    if (!claims)
        goto done;
    iss = json_string_value(json_object_get(claims, "iss"));
    if (!iss || strcmp(iss, exp->issuer) != 0) {
        *why = OIDC_E_ISSUER;
        goto done;
    }
    if (!audience_ok(claims, exp->client_id)) {
        *why = OIDC_E_AUDIENCE;
        goto done;
    }
    if (!num_claim(claims, "exp", &t) || t <= exp->now) {
        *why = OIDC_E_EXPIRED;
        goto done;
    }
    if (!num_claim(claims, "iat", &t) || t > exp->now + OIDC_SKEW ||
        (num_claim(claims, "nbf", &t) && t > exp->now + OIDC_SKEW)) {
        *why = OIDC_E_NOT_YET;
        goto done;
    }
    nonce = json_string_value(json_object_get(claims, "nonce"));
    if (!nonce || !str_equal(nonce, exp->nonce)) {
        *why = OIDC_E_NONCE;
        goto done;
    }
    sub = json_string_value(json_object_get(claims, "sub"));
    if (!sub || !*sub || strlen(sub) > 255)
        goto done;
    name = json_string_value(json_object_get(claims, "name"));
    ev = json_object_get(claims, "email_verified");
    out->subject = arena_strdup(a, sub);
    out->email = token_email(a, claims);
    display = arena_strdup(a, name && strlen(name) <= 100 ? name : "");
    for (char *p = display; p && *p; p++) /* a display name is one line */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    out->name = display;
    out->email_verified =
        json_is_true(ev) || (json_is_string(ev) && !strcmp(json_string_value(ev), "true"));
    if (!out->subject || !out->email || !out->name) {
        rc = APP_E_NOMEM;
        goto done;
    }
    *why = OIDC_OK;
    rc = APP_OK;
done:
    EVP_PKEY_free(pkey);
    free(sig);
    json_decref(header);
    json_decref(claims);
    return rc;
}
