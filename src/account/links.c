/* links.c: single-use links (invitations and password resets): issuing, finding, using
 *
 * See links.h for the rules. A used or expired row is kept (until LINK_KEEP after it
 * expired) so that whoever clicks an old link is told it has been used or has expired
 * rather than that it never existed.
 */
#include "account/links.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"
#include "web/password.h"

#include <sodium.h>
#include <string.h>

#define LINK_KEEP (30 * 24 * 60 * 60)

const char *link_purpose_name(enum link_purpose p)
{
    return p == LINK_INVITE ? "invite" : "reset";
}

const char *link_path(enum link_purpose p)
{
    return p == LINK_INVITE ? "/set-password/" : "/password/reset/";
}

int account_link_issue(struct db *db, enum link_purpose p, int64_t user_id, int64_t created_by,
                       int64_t now, char token_out[TOKEN_HEX])
{
    unsigned char raw[32];
    char thash[TOKEN_HEX];
    int64_t ttl = p == LINK_INVITE ? LINK_INVITE_TTL : LINK_RESET_TTL;
    int rc;
    memset(token_out, 0, TOKEN_HEX);
    if (!db_in_tx(db))
        return APP_E_INTERNAL;
    if ((rc = rand_bytes(raw, sizeof raw)))
        return rc;
    sodium_bin2hex(token_out, TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    account_token_hash(token_out, thash);
    rc = db_run(db, SQL_LINK_KILL, "iti", user_id, link_purpose_name(p), now);
    if (!rc)
        rc = db_run(db, SQL_LINK_PURGE, "i", now - LINK_KEEP);
    if (!rc)
        rc = db_run(db, SQL_LINK_INSERT, "ttiIii", link_purpose_name(p), thash, user_id, created_by,
                    now, now + ttl);
    if (rc)
        memset(token_out, 0, TOKEN_HEX);
    return rc;
}

/* Tokens are 64 lower-case hex digits; anything else is not worth a query. */
static bool token_shape(const char *token)
{
    size_t i;
    for (i = 0; token && token[i]; i++)
        if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
            return false;
    return i == TOKEN_HEX - 1;
}

int account_link_find(struct db *db, struct arena *a, enum link_purpose p, const char *token,
                      int64_t now, struct account_link *out)
{
    struct db_stmt *st = NULL;
    char thash[TOKEN_HEX];
    int rc;
    memset(out, 0, sizeof *out);
    if (!token_shape(token))
        return APP_E_NOTFOUND;
    account_token_hash(token, thash);
    rc = db_row(db, SQL_LINK_FIND, &st, "tt", thash, link_purpose_name(p));
    if (rc)
        goto done;
    out->user_id = db_col_int(st, 0);
    out->email = arena_strdup(a, db_col_text(st, 3));
    out->display_name = arena_strdup(a, db_col_text(st, 4));
    if (!out->email || !out->display_name)
        rc = APP_E_NOMEM;
    else if (db_col_int(st, 1) <= now || db_col_int(st, 2) != 0 || db_col_int(st, 5) != 0)
        rc = APP_E_CONFLICT;
done:
    db_finalize(st);
    return rc;
}

int account_link_use(struct db *db, struct arena *a, const struct account_policy *pol,
                     enum link_purpose p, const char *token, const char *password, size_t pwlen,
                     int64_t now, char session_out[TOKEN_HEX], struct user_ctx *who)
{
    struct account_link l;
    struct db_stmt *st = NULL;
    char hash[PASSWORD_HASH_MAX], thash[TOKEN_HEX];
    int rc;
    memset(who, 0, sizeof *who);
    memset(session_out, 0, TOKEN_HEX);
    if ((rc = account_link_find(db, a, p, token, now, &l)))
        return rc;
    if (password_policy(password, pwlen, l.email))
        return APP_E_INVALID;
    /* Hashed before the transaction: argon2 takes a while and need not hold the lock. */
    if ((rc = password_hash(password, pwlen, hash)))
        return rc;
    account_token_hash(token, thash);
    if ((rc = db_begin(db)))
        return rc;
    rc = db_run(db, SQL_LINK_USE, "tti", thash, link_purpose_name(p), now);
    if (rc)
        goto done;
    if (db_changes(db) != 1) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    rc = db_run(db, SQL_USER_PASSWORD, "iti", l.user_id, hash, now);
    if (!rc)
        rc = db_run(db, SQL_SESSION_DELETE_ALL, "i", l.user_id);
    if (!rc)
        rc = db_run(db, SQL_TOKEN_REVOKE_ALL, "ii", l.user_id, now);
    if (!rc)
        rc = db_run(db, SQL_LINK_KILL_ALL, "ii", l.user_id, now);
    /* Event codes are written out in each call: audit_text_test finds them so. */
    if (!rc && p == LINK_INVITE)
        rc = account_audit(db, "invite_accepted", l.user_id, l.user_id, "");
    else if (!rc)
        rc = account_audit(db, "password_reset", l.user_id, l.user_id, "");
    /* The session is part of the same transaction: a request that fails leaves the link
     * unused, to be tried again, and one that succeeds has logged the person in. */
    if (!rc)
        rc = account_session_open(db, pol, l.user_id, now, "", session_out);
    if (!rc)
        rc = db_row(db, SQL_USER_INVITED, &st, "i", l.user_id);
    if (!rc) {
        who->id = l.user_id;
        who->email = arena_strdup(a, db_col_text(st, 0));
        who->display_name = arena_strdup(a, db_col_text(st, 1));
        who->role = role_parse(db_col_text(st, 2));
        if (!who->email || !who->display_name)
            rc = APP_E_NOMEM;
    }
    db_finalize(st);
    st = NULL;
    if (!rc)
        rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        memset(session_out, 0, TOKEN_HEX);
        memset(who, 0, sizeof *who);
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}
