/* oidc.c: the database side of signing in with the organisation's identity provider
 *
 * A sign-in under way is a row in oidc_logins keyed by the hash of a random value kept in the
 * browser's cookie: the state, nonce and PKCE code verifier never leave the server except as
 * the provider needs them (state and nonce in the redirect, the verifier's hash as the
 * challenge, the verifier itself only to the token endpoint). The callback deletes the row as
 * it reads it, so a sign-in is finished once at most, and state is compared in constant time.
 *
 * Which account a verified token signs in as, in order:
 *   1. the account linked to its (issuer, subject): the provider's stable id for the person;
 *   2. the account with the token's email address, when that address can be trusted: the
 *      token says email_verified: true, or the address is in a domain the admin has listed as
 *      belonging to the provider's organisation. Microsoft Entra ID (NHSmail) sends no
 *      email_verified claim, and its email and preferred_username are whatever the tenant
 *      holds, so without the list an Entra sign-in could claim any address — and with it,
 *      the admin vouches that the tenant alone hands out addresses in those domains. The
 *      identity is then linked, so later sign-ins take path 1;
 *   3. a new member account, only when the address's domain is on the list.
 * Anyone else is refused, and nothing is written but the audit entry.
 */
#include "account/oidc.h"
#include "account/account.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* 32 random bytes as unpadded base64url (43 characters). */
static int random_b64(char out[OIDC_RANDOM_LEN])
{
    unsigned char raw[32];
    int rc = rand_bytes(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2base64(out, OIDC_RANDOM_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return APP_OK;
}

/* RFC 7636 S256: base64url(SHA-256(ASCII(verifier))). */
static void pkce_challenge(const char *verifier, char out[OIDC_RANDOM_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, OIDC_RANDOM_LEN, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int oidc_pending_start(struct db *db, const char *next, int64_t now, char key_out[TOKEN_HEX],
                       struct oidc_pending *out)
{
    unsigned char raw[32];
    char khash[TOKEN_HEX];
    int rc;
    memset(out, 0, sizeof *out);
    out->next = next ? next : "";
    rc = rand_bytes(raw, sizeof raw);
    if (!rc)
        rc = random_b64(out->state);
    if (!rc)
        rc = random_b64(out->nonce);
    if (!rc)
        rc = random_b64(out->verifier);
    if (rc)
        goto done;
    sodium_bin2hex(key_out, TOKEN_HEX, raw, sizeof raw);
    pkce_challenge(out->verifier, out->challenge);
    account_token_hash(key_out, khash);
    rc = db_run(db, SQL_OIDC_PENDING_INSERT, "tttttii", khash, out->state, out->nonce,
                out->verifier, out->next, now, now + (int64_t)OIDC_PENDING_TTL);
    /* Sign-ins abandoned at the provider go when the next one starts. */
    if (!rc)
        rc = db_run(db, SQL_OIDC_PENDING_PURGE, "i", now);
done:
    sodium_memzero(raw, sizeof raw);
    if (rc) {
        memset(key_out, 0, TOKEN_HEX);
        sodium_memzero(out, sizeof *out);
    }
    return rc;
}

int oidc_pending_take(struct db *db, struct arena *a, const char *key, const char *state,
                      int64_t now, struct oidc_pending *out)
{
    struct db_stmt *st = NULL;
    char khash[TOKEN_HEX];
    const char *stored;
    bool same;
    int64_t expires;
    int rc;
    memset(out, 0, sizeof *out);
    if (!key || !*key)
        return APP_E_NOTFOUND;
    account_token_hash(key, khash);
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_row(db, SQL_OIDC_PENDING_TAKE, &st, "t", khash);
    if (rc)
        goto done;
    stored = db_col_text(st, 0);
    same = state && strlen(state) == strlen(stored) &&
           sodium_memcmp(state, stored, strlen(stored)) == 0;
    snprintf(out->state, sizeof out->state, "%s", stored);
    snprintf(out->nonce, sizeof out->nonce, "%s", db_col_text(st, 1));
    snprintf(out->verifier, sizeof out->verifier, "%s", db_col_text(st, 2));
    out->next = arena_strdup(a, db_col_text(st, 3));
    expires = db_col_int(st, 4);
    db_finalize(st);
    st = NULL;
    if (!out->next) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* Committed before anything is judged: the row is used up whatever the answer. */
    rc = db_commit(db);
    if (rc)
        goto done;
    if (expires <= now)
        rc = APP_E_NOTFOUND;
    else if (!same)
        rc = APP_E_FORBIDDEN;
done:
    db_finalize(st);
    if (db_in_tx(db))
        db_rollback(db);
    if (rc)
        sodium_memzero(out, sizeof *out);
    return rc;
}

/* A new member account for a person the provider vouches for, with no password: they sign in
 * only through the provider. An empty hash never verifies (crypto_pwhash_str_verify refuses
 * it), so no password, not even an empty one, logs in to the account. */
static int create_member(struct db *db, const struct oidc_claims *cl, int64_t now, int64_t *uid)
{
    char name[101];
    const char *at = strchr(cl->email, '@');
    if (cl->name && *cl->name)
        snprintf(name, sizeof name, "%s", cl->name);
    else
        snprintf(name, sizeof name, "%.*s", (int)(at - cl->email), cl->email);
    return db_run_int(db, SQL_USER_INSERT, uid, "tttttIti", cl->email, name, "member", "", "",
                      (int64_t)0, "", now);
}

/* Which account the claims sign in as (see the top of this file); links or creates it. */
static int resolve_user(struct db *db, struct arena *a, const char *issuer,
                        const struct oidc_claims *cl, int64_t now, int64_t *uid,
                        enum oidc_fail *why)
{
    struct db_stmt *st = NULL;
    struct user known;
    const char *at;
    bool listed, trusted;
    int rc = db_row(db, SQL_OIDC_IDENTITY_USER, &st, "tt", issuer, cl->subject);
    if (rc == APP_OK) {
        *uid = db_col_int(st, 0);
        db_finalize(st);
        return db_run(db, SQL_OIDC_IDENTITY_TOUCH, "tti", issuer, cl->subject, now);
    }
    if (rc != APP_E_NOTFOUND)
        return rc;
    at = strchr(cl->email, '@');
    if (!at) {
        *why = OIDC_E_NO_EMAIL;
        return APP_E_FORBIDDEN;
    }
    rc = db_row(db, SQL_OIDC_DOMAIN_LISTED, &st, "t", at + 1);
    if (rc && rc != APP_E_NOTFOUND)
        return rc;
    listed = rc == APP_OK;
    db_finalize(st);
    st = NULL;
    trusted = listed || cl->email_verified;
    rc = account_user_by_email(db, a, cl->email, &known);
    if (rc == APP_OK && trusted) {
        *uid = known.id;
        rc = account_audit(db, "oidc_linked", *uid, *uid, "linked to the organisation's account");
    } else if (rc == APP_E_NOTFOUND && listed) {
        rc = create_member(db, cl, now, uid);
        if (!rc)
            rc = account_audit(db, "oidc_account_created", *uid, *uid,
                               "made at the first sign-in with the organisation's account");
    } else {
        if (rc == APP_OK || rc == APP_E_NOTFOUND) {
            *why = OIDC_E_DOMAIN;
            rc = APP_E_FORBIDDEN;
        }
        return rc;
    }
    if (!rc)
        rc = db_run(db, SQL_OIDC_IDENTITY_INSERT, "ttii", issuer, cl->subject, *uid, now);
    return rc;
}

int oidc_sign_in(struct db *db, struct arena *a, const struct account_policy *pol,
                 const char *issuer, const struct oidc_claims *cl, int64_t now,
                 char token_out[TOKEN_HEX], struct user_ctx *who, enum oidc_fail *why)
{
    struct user u;
    int64_t uid = 0;
    int rc;
    memset(who, 0, sizeof *who);
    *why = OIDC_OK;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = resolve_user(db, a, issuer, cl, now, &uid, why);
    if (!rc) {
        rc = account_session_open(db, pol, uid, now, "signed in with the organisation's account",
                                  token_out);
        if (rc == APP_E_FORBIDDEN)
            *why = OIDC_E_DEACTIVATED;
    }
    if (!rc)
        rc = account_user_get(db, a, uid, &u);
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        memset(token_out, 0, TOKEN_HEX);
        /* Two first sign-ins racing (same person, or same address) meet a unique key: the
         * loser is told to try again, and then finds what the winner made. */
        if (rc == APP_E_CONFLICT)
            rc = APP_E_DB;
        /* The refusal is recorded without the address, as for unknown password logins. */
        if (rc == APP_E_FORBIDDEN) {
            int arc = account_audit(db, "login_failed", 0, *why == OIDC_E_DEACTIVATED ? uid : 0,
                                    *why == OIDC_E_NO_EMAIL ? "organisation's sign-in: no email address"
                                    : *why == OIDC_E_DEACTIVATED ? "deactivated"
                                    : "organisation's sign-in: domain not allowed");
            rc = arc ? arc : rc;
        }
        return rc;
    }
    who->id = u.id;
    who->email = u.email;
    who->display_name = u.display_name;
    who->role = u.role;
    return APP_OK;
}

bool oidc_domain_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0, label = 0, labels = 1;
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-')
                return false;
            label = 0;
            labels++;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
            if (c == '-' && label == 0)
                return false;
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return label > 0 && s[n - 1] != '-' && labels >= 2;
}

int oidc_domain_list(struct db *db, struct arena *a, const char ***out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    *out = arena_grow(a, NULL, 8, &cap, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_OIDC_DOMAIN_LIST, &st, "");
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        const char **p = arena_grow(a, *out, *n + 1, &cap, sizeof *p);
        if (!p) {
            rc = APP_E_NOMEM;
            goto done;
        }
        *out = p;
        if (!((*out)[(*n)++] = arena_strdup(a, db_col_text(st, 0)))) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

/* Adds or removes a domain and audits it, in one transaction. */
static int domain_change(struct db *db, int64_t actor, const char *domain, bool add)
{
    int rc;
    if (!oidc_domain_valid(domain))
        return APP_E_INVALID;
    rc = db_begin(db);
    if (rc)
        return rc;
    /* an admin demoted or deactivated meanwhile changes nothing (the command line and tests,
     * actor 0, answer to whoever runs them) */
    if (actor && (rc = account_admin_hold(db, actor)))
        goto done;
    rc = add ? db_run(db, SQL_OIDC_DOMAIN_INSERT, "tIi", domain, actor, (int64_t)time(NULL))
             : db_run(db, SQL_OIDC_DOMAIN_DELETE, "t", domain);
    if (rc)
        goto done;
    if (db_changes(db) == 0) {
        rc = add ? APP_E_CONFLICT : APP_E_NOTFOUND;
        goto done;
    }
    if (add)
        rc = account_audit(db, "oidc_domain_added", actor, 0, domain);
    else
        rc = account_audit(db, "oidc_domain_removed", actor, 0, domain);
    if (!rc)
        rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int oidc_domain_add(struct db *db, int64_t actor, const char *domain)
{
    return domain_change(db, actor, domain, true);
}

int oidc_domain_remove(struct db *db, int64_t actor, const char *domain)
{
    return domain_change(db, actor, domain, false);
}
