/* oidc.h: sign-in with the organisation's identity provider (OpenID Connect)
 *
 * The authorisation-code flow with PKCE (S256), state and nonce, as NHS organisations run it
 * on Microsoft Entra ID (NHSmail included). Three layers, no HTTP serving in any of them:
 *
 *   oidc_token.c   verifies an ID token (a compact JWS, RS256 only) against a JWKS: pure,
 *                  no network, no database, so it is tested with fixed vectors;
 *   oidc_client.c  talks to the provider over libcurl: discovery, the JWKS (cached, refetched
 *                  on an unknown key at most once a minute), the code exchange;
 *   oidc.c         the database side: sign-ins under way (single use, ten minutes), the
 *                  (issuer, subject) → account links, the admin's list of domains, and the
 *                  session, opened through the same function as a password login.
 *
 * Tokens, codes, verifiers and secrets are never logged or shown; a failure is reported as
 * an oidc_fail reason, which the pages turn into a sentence.
 */
#ifndef AHP_OIDC_H
#define AHP_OIDC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account/account.h"

struct arena;
struct ctx;
struct db;

/* Why a sign-in did not work. Each has its own sentence (oidc_fail_text). */
enum oidc_fail {
    OIDC_OK = 0,
    OIDC_E_MALFORMED,   /* the ID token is not a compact JWS with readable JSON */
    OIDC_E_ALG,         /* the token's alg is not RS256 ("none", HS256, …) */
    OIDC_E_KEY,         /* no key in the provider's JWKS has the token's kid */
    OIDC_E_SIGNATURE,   /* the signature does not verify */
    OIDC_E_ISSUER,      /* iss is not the configured issuer */
    OIDC_E_AUDIENCE,    /* aud (or azp) does not name our client id */
    OIDC_E_EXPIRED,     /* exp has passed */
    OIDC_E_NOT_YET,     /* iat or nbf lies in the future, beyond the allowed skew */
    OIDC_E_NONCE,       /* nonce is not the one this sign-in sent */
    OIDC_E_STATE,       /* no sign-in under way for this browser, state differs, or used */
    OIDC_E_REFUSED,     /* the provider came back with error=… (cancelled, not allowed) */
    OIDC_E_UNREACHABLE, /* the provider could not be reached or answered nonsense */
    OIDC_E_CODE,        /* the token endpoint refused the code */
    OIDC_E_NO_EMAIL,    /* the token names no email address */
    OIDC_E_DOMAIN,      /* the email's domain may not sign in here */
    OIDC_E_DEACTIVATED, /* the account it signs in as has been deactivated */
    OIDC_FAIL_COUNT
};

/* The plain-words reason ("the sign-in took too long"), and the HTTP status to answer with
 * (400 for the browser's side, 403 for a refused account, 502 for the provider's side). */
const char *oidc_fail_text(enum oidc_fail why);
int oidc_fail_status(enum oidc_fail why);

/* Allowed clock difference between us and the provider, in seconds. */
#define OIDC_SKEW 300
/* How long a sign-in may stay at the provider, in seconds. */
#define OIDC_PENDING_TTL 600
/* Random values (state, nonce, code verifier, challenge): 32 bytes as unpadded base64url. */
#define OIDC_RANDOM_LEN 44

/* ---- ID token verification (oidc_token.c) ---- */
struct oidc_expect {
    const char *issuer;    /* iss must equal it */
    const char *client_id; /* aud must equal or contain it */
    const char *nonce;     /* nonce must equal it */
    int64_t now;           /* unix time */
};

/* What a verified token says about the person; strings in the arena. */
struct oidc_claims {
    const char *subject;
    const char *email;   /* lower-case; "" when the token carries none that looks like one */
    bool email_verified; /* the token said email_verified: true */
    const char *name;    /* "" when absent */
};

/* Verifies a compact JWS ID token against jwks (a JWK Set object, borrowed): RS256 only, the
 * kid found among the RSA keys, the signature, iss, aud (and azp when several audiences),
 * exp, iat/nbf within OIDC_SKEW, nonce. Returns APP_OK with *out filled, APP_E_UNAUTH with
 * the reason in *why, or APP_E_NOMEM. OIDC_E_KEY means the caller may refetch the JWKS. */
int oidc_token_verify(const char *jwt, const json_t *jwks, const struct oidc_expect *exp,
                      struct arena *a, struct oidc_claims *out, enum oidc_fail *why);

/* ---- the provider (oidc_client.c) ---- */
/* Owned by struct app when sign-in is configured; shared between threads. */
struct oidc_client;
/* Copies the settings. Nothing is fetched until the first sign-in, so a provider that is
 * down does not stop the server starting. APP_E_INVALID when issuer is neither https:// nor
 * http:// on a loopback host. */
int oidc_client_new(const char *issuer, const char *client_id, const char *client_secret,
                    struct oidc_client **out);
void oidc_client_free(struct oidc_client *oc);
/* The provider's authorization URL for this sign-in (discovered, then cached), in the arena.
 * APP_E_IO with *why OIDC_E_UNREACHABLE when discovery failed. */
int oidc_client_authorize_url(struct oidc_client *oc, struct arena *a, const char *redirect_uri,
                              const char *state, const char *nonce, const char *challenge,
                              const char **url, enum oidc_fail *why);
/* Exchanges the code at the token endpoint (client_secret_post, with the PKCE verifier) and
 * verifies the ID token it returns. APP_OK with *out filled; APP_E_IO (provider unreachable,
 * code refused) or APP_E_UNAUTH (token refused), with *why; APP_E_NOMEM. */
int oidc_client_finish(struct oidc_client *oc, struct arena *a, const char *code,
                       const char *redirect_uri, const char *verifier, const char *nonce,
                       int64_t now, struct oidc_claims *out, enum oidc_fail *why);
/* True for https:// URLs, and for http:// ones whose host is a loopback address (tests). */
bool oidc_url_allowed(const char *url);

/* ---- sign-ins, links and domains (oidc.c) ---- */
/* A sign-in under way: the values sent to the provider and what the callback checks. */
struct oidc_pending {
    char state[OIDC_RANDOM_LEN];
    char nonce[OIDC_RANDOM_LEN];
    char verifier[OIDC_RANDOM_LEN];
    char challenge[OIDC_RANDOM_LEN]; /* base64url(SHA-256(verifier)) */
    const char *next;                /* local path to go on to, or "" */
};

/* Starts a sign-in: makes state, nonce and code verifier, stores them for OIDC_PENDING_TTL
 * seconds under the hash of a new random key written to key_out (the browser's cookie), and
 * drops expired ones. next must be a local path or "". */
int oidc_pending_start(struct db *db, const char *next, int64_t now, char key_out[TOKEN_HEX],
                       struct oidc_pending *out);
/* Takes (reads and deletes, atomically) the sign-in stored under key and checks its state
 * against the one the provider sent back, in constant time. APP_E_NOTFOUND when there is no
 * such sign-in, it expired or it was used; APP_E_FORBIDDEN when the state differs (the
 * sign-in is used up all the same). next is copied into the arena. */
int oidc_pending_take(struct db *db, struct arena *a, const char *key, const char *state,
                      int64_t now, struct oidc_pending *out);

/* Signs in the person the verified claims describe, in one transaction: the account linked to
 * (issuer, subject); else the account with the token's email, when the email can be trusted
 * (email_verified, or a domain on the admin's list), which is then linked; else a new member
 * account, when the email's domain is on the list. Opens the session like a password login
 * (account_session_open) and audits it. APP_E_FORBIDDEN with *why OIDC_E_DOMAIN or
 * OIDC_E_NO_EMAIL when nobody may sign in, OIDC_E_DEACTIVATED when the account it would be
 * has been deactivated; APP_E_DB and the like otherwise. */
int oidc_sign_in(struct db *db, struct arena *a, const struct account_policy *pol,
                 const char *issuer, const struct oidc_claims *cl, int64_t now,
                 char token_out[TOKEN_HEX], struct user_ctx *who, enum oidc_fail *why);

/* The admin's domains, sorted; strings in the arena. */
int oidc_domain_list(struct db *db, struct arena *a, const char ***out, size_t *n);
/* Adds a domain ("nhs.net"; lower-cased by the caller). APP_E_INVALID when it is not a
 * domain name, APP_E_CONFLICT when listed already. Audited. */
int oidc_domain_add(struct db *db, int64_t actor, const char *domain);
/* APP_E_NOTFOUND when not listed. Audited. */
int oidc_domain_remove(struct db *db, int64_t actor, const char *domain);
/* True when s is a domain name we accept: labels of [a-z0-9-], a dot between, no label
 * starting or ending with '-', at least two labels, at most 253 characters. */
bool oidc_domain_valid(const char *s);

/* ---- pages (oidc_pages.c) ---- */
/* The login page's button: {name, href} when sign-in is configured, JSON false when not; a
 * new reference, NULL when out of memory. next (may be NULL) is carried through. */
json_t *oidc_login_button(struct ctx *c, const char *next);

#endif
