/* session.c: logins with throttling, cookie sessions, and personal API tokens
 *
 * A session expires after session_ttl idle seconds. Sliding the expiry costs a write, so it
 * is refreshed at most once a minute per session; a busy page view is then one indexed
 * read. Login always creates a fresh session (rotation), so a token planted before login is
 * worthless after it.
 */
#include "account/account.h"
#include "account/links.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "store/db.h"
#include "web/password.h"

#include <sodium.h>
#include <time.h>
#include <string.h>

#define TOUCH_EVERY 60

void account_token_hash(const char *token, char out[TOKEN_HEX])
{
    /* BLAKE2b-256: as collision- and preimage-resistant as SHA-256 for a 256-bit random token,
     * and a few times cheaper, which matters because every page view hashes one. */
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, TOKEN_HEX, h, sizeof h);
}

static int new_token(char out[TOKEN_HEX])
{
    unsigned char raw[32];
    int rc = rand_bytes(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2hex(out, TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return APP_OK;
}

static int fill_who(struct db_stmt *st, struct arena *a, struct user_ctx *who)
{
    who->id = db_col_int(st, 2);
    who->email = arena_strdup(a, db_col_text(st, 3));
    who->display_name = arena_strdup(a, db_col_text(st, 4));
    who->role = role_parse(db_col_text(st, 5));
    return who->email && who->display_name ? APP_OK : APP_E_NOMEM;
}

/* Every way of signing in (password, a set-password or reset link, the organisation's
 * identity provider) ends here, so a rule about who may have a session is written once: a
 * deactivated account gets none (APP_E_FORBIDDEN). Joins the caller's transaction, or runs
 * in one of its own. */
int account_session_open(struct db *db, const struct account_policy *pol, int64_t uid,
                         int64_t now, const char *detail, char token_out[TOKEN_HEX])
{
    char thash[TOKEN_HEX];
    bool own = !db_in_tx(db);
    struct db_stmt *st = NULL;
    int rc = new_token(token_out);
    if (rc)
        return rc;
    account_token_hash(token_out, thash);
    if (own && (rc = db_begin(db)))
        goto done;
    if ((rc = db_row(db, SQL_SESSION_USER_ACTIVE, &st, "i", uid)))
        goto done;
    if (db_col_int(st, 0) != 0) {
        rc = APP_E_FORBIDDEN;
        goto done;
    }
    db_finalize(st);
    st = NULL;
    rc = db_run(db, SQL_SESSION_INSERT, "tiii", thash, uid, now, now + (int64_t)pol->session_ttl);
    if (!rc)
        rc = db_run(db, SQL_SESSION_PURGE, "i", now);
    if (!rc)
        rc = db_run(db, SQL_USER_LOGGED_IN, "ii", uid, now);
    if (!rc)
        rc = account_audit(db, "login", uid, uid, detail);
    if (!rc && own)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc && own && db_in_tx(db))
        db_rollback(db);
    if (rc)
        memset(token_out, 0, TOKEN_HEX);
    return rc;
}

int account_login(struct db *db, struct arena *a, const struct account_policy *pol,
                  struct login_throttle *t, const unsigned char client[16], const char *email,
                  const char *password, size_t pwlen, int64_t now, char token_out[TOKEN_HEX],
                  struct user_ctx *who)
{
    struct db_stmt *st = NULL;
    char hash[PASSWORD_HASH_MAX];
    int64_t uid;
    bool deactivated;
    int rc;
    memset(who, 0, sizeof *who);
    /* Before the lookup, so a throttled client learns nothing of whether the email exists;
     * the audit entry names no account for the same reason. From here the attempt counts
     * as a failure unless the password proves right. */
    if (login_throttle_try(t, pol, client, email, now)) {
        rc = account_audit(db, "login_throttled", 0, 0, "");
        rc = rc ? rc : APP_E_LIMIT;
        goto done;
    }
    rc = db_row(db, SQL_LOGIN_LOOKUP, &st, "t", email);
    if (rc == APP_E_NOTFOUND) {
        password_burn(password, pwlen);
        rc = account_audit(db, "login_failed", 0, 0, "unknown account");
        rc = rc ? rc : APP_E_UNAUTH;
        goto done;
    }
    if (rc)
        goto done;
    uid = db_col_int(st, 0);
    snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
    deactivated = db_col_int(st, 4) != 0;
    who->id = uid;
    who->email = arena_strdup(a, email);
    who->display_name = arena_strdup(a, db_col_text(st, 2));
    who->role = role_parse(db_col_text(st, 3));
    db_finalize(st);
    st = NULL;
    if (!who->email || !who->display_name) {
        rc = APP_E_NOMEM;
        goto done;
    }
    /* An account with no password (an empty hash, which libsodium would refuse at once):
     * invited and not yet set up, or made at a sign-in with the organisation. It costs a
     * full check all the same, so its answer takes a wrong password's time and tells nobody
     * the address is known. */
    if (!hash[0])
        password_burn(password, pwlen);
    if (!hash[0] || !password_verify(hash, password, pwlen)) {
        rc = account_audit(db, "login_failed", 0, uid, "");
        rc = rc ? rc : APP_E_UNAUTH;
        goto done;
    }
    login_throttle_ok(t, pol, client, email, now);
    /* Only someone who knows the password learns the account was closed. */
    if (deactivated) {
        rc = account_audit(db, "login_failed", 0, uid, "deactivated");
        rc = rc ? rc : APP_E_FORBIDDEN;
        goto done;
    }
    rc = account_session_open(db, pol, uid, now, "", token_out);
done:
    db_finalize(st);
    if (rc)
        memset(token_out, 0, TOKEN_HEX);
    return rc;
}

int account_session_find(struct db *db, struct arena *a, const struct account_policy *pol,
                         const char *token, int64_t now, bool touch, struct user_ctx *who)
{
    struct db_stmt *st = NULL;
    char thash[TOKEN_HEX];
    int64_t last_seen;
    int rc;
    memset(who, 0, sizeof *who);
    account_token_hash(token, thash);
    rc = db_row(db, SQL_SESSION_FIND, &st, "ti", thash, now);
    if (rc)
        goto done;
    who->session_id = db_col_int(st, 0);
    last_seen = db_col_int(st, 1);
    rc = fill_who(st, a, who);
    db_finalize(st);
    st = NULL;
    if (!rc && touch && now - last_seen >= TOUCH_EVERY)
        rc = db_run(db, SQL_SESSION_TOUCH, "iii", who->session_id, now,
                    now + (int64_t)pol->session_ttl);
done:
    db_finalize(st);
    return rc;
}

int account_session_end(struct db *db, int64_t session_id, int64_t user_id)
{
    int rc = db_run(db, SQL_SESSION_DELETE, "ii", session_id, user_id);
    if (!rc)
        rc = account_audit(db, "logout", user_id, user_id, "");
    return rc;
}

int account_token_create(struct db *db, int64_t user_id, const char *name,
                         char token_out[API_TOKEN_LEN], int64_t *id)
{
    int64_t new_id = 0;
    char raw[TOKEN_HEX], thash[TOKEN_HEX], prefix[13];
    int rc = new_token(raw);
    if (rc)
        return rc;
    snprintf(token_out, API_TOKEN_LEN, "%s%s", API_TOKEN_PREFIX, raw);
    snprintf(prefix, sizeof prefix, "%.12s", token_out);
    account_token_hash(token_out, thash);
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run_int(db, SQL_TOKEN_INSERT, &new_id, "ittti", user_id, name, prefix, thash,
                   (int64_t)time(NULL));
    if (rc)
        goto done;
    if (id)
        *id = new_id;
    rc = account_audit(db, "api_token_created", user_id, user_id, prefix);
    if (!rc)
        rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        memset(token_out, 0, API_TOKEN_LEN);
    }
    return rc;
}

int account_token_list(struct db *db, struct arena *a, int64_t user_id, struct api_token **out,
                       size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *n = 0;
    *out = arena_grow(a, NULL, 8, &cap, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_TOKEN_LIST, &st, "i", user_id);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        struct api_token *t, *p = arena_grow(a, *out, *n + 1, &cap, sizeof *p);
        if (!p) {
            rc = APP_E_NOMEM;
            goto done;
        }
        *out = p;
        t = &(*out)[(*n)++];
        t->id = db_col_int(st, 0);
        t->name = arena_strdup(a, db_col_text(st, 1));
        t->prefix = arena_strdup(a, db_col_text(st, 2));
        t->created_at = db_col_int(st, 3);
        t->last_used = db_col_int(st, 4);
        if (!t->name || !t->prefix) {
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

int account_token_revoke(struct db *db, int64_t user_id, int64_t token_id)
{
    struct db_stmt *st = NULL;
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db, SQL_TOKEN_REVOKE, "iii", token_id, user_id, (int64_t)time(NULL));
    if (rc)
        goto done;
    if (db_changes(db) == 0) {
        rc = APP_E_NOTFOUND;
        goto done;
    }
    rc = account_audit(db, "api_token_revoked", user_id, user_id, "");
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int account_token_find(struct db *db, struct arena *a, const char *token, int64_t now, bool touch,
                       struct user_ctx *who)
{
    struct db_stmt *st = NULL;
    char thash[TOKEN_HEX];
    int64_t tid, last_used;
    int rc;
    memset(who, 0, sizeof *who);
    if (strncmp(token, API_TOKEN_PREFIX, strlen(API_TOKEN_PREFIX)) != 0)
        return APP_E_NOTFOUND;
    account_token_hash(token, thash);
    rc = db_row(db, SQL_TOKEN_FIND, &st, "t", thash);
    if (rc)
        goto done;
    tid = db_col_int(st, 0);
    last_used = db_col_int(st, 1);
    rc = fill_who(st, a, who);
    who->via_token = true;
    db_finalize(st);
    st = NULL;
    if (!rc && touch && now - last_used >= TOUCH_EVERY)
        rc = db_run(db, SQL_TOKEN_TOUCH, "ii", tid, now);
done:
    db_finalize(st);
    return rc;
}
