/* forgot.c: "Forgotten your password?" — a reset link mailed to the address, if it has an
 * account that may have one
 *
 * The person asking gets the same answer whether or not the address has an account, and
 * the time the answer takes must not tell either. So both paths do the same work: a token is
 * made and hashed, the older links' UPDATE runs, the mail is rendered and queued, and an
 * audit entry is written and committed. Only for an account that is active and has a
 * password is the link inserted and the mail kept; otherwise the mail is queued inside a
 * savepoint that is rolled back. Rate limits (reset_limit.c) are taken by the caller
 * before this, for every address alike.
 */
#include "account/links.h"
#include "account/store.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "mail/mail.h"
#include "store/db.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int account_reset_request(struct db *db, const struct link_mailer *m, const char *email,
                          int64_t now)
{
    struct db_stmt *st = NULL;
    char token[TOKEN_HEX], thash[TOKEN_HEX], name[256], link[600];
    int64_t uid = 0;
    bool known = false, eligible = false;
    json_t *model = NULL;
    int rc = db_row(db, SQL_LOGIN_LOOKUP, &st, "t", email);
    if (rc && rc != APP_E_NOTFOUND)
        goto done;
    known = rc == APP_OK;
    if (known) {
        uid = db_col_int(st, 0);
        /* An active account with a password, or without one but used (made at a sign-in
         * with the organisation): it may set a password this way. One still invited sets
         * its first through the invitation. */
        eligible =
            (db_col_text(st, 1)[0] != '\0' || db_col_int(st, 5) > 0) && db_col_int(st, 4) == 0;
        snprintf(name, sizeof name, "%s", db_col_text(st, 2));
    } else {
        snprintf(name, sizeof name, "%s", email);
    }
    db_finalize(st);
    st = NULL;
    if ((rc = db_begin(db)))
        goto done;
    if (eligible) {
        rc = account_link_issue(db, LINK_RESET, uid, 0, now, token);
    } else {
        unsigned char raw[32];
        if (!(rc = rand_bytes(raw, sizeof raw))) {
            sodium_bin2hex(token, sizeof token, raw, sizeof raw);
            account_token_hash(token, thash);
            rc = db_run(db, SQL_LINK_KILL, "iti", uid, link_purpose_name(LINK_RESET), now);
        }
        sodium_memzero(raw, sizeof raw);
    }
    if (rc)
        goto done;
    snprintf(link, sizeof link, "%s%s%s", m->base_url, link_path(LINK_RESET), token);
    model = json_pack("{s:s, s:s, s:{s:s, s:s}, s:i}", "subject", "Reset your password", "name",
                      name, "button", "url", link, "text", "Choose a new password", "minutes",
                      LINK_RESET_TTL / 60);
    if (!model) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = db_exec(db, SQL_FORGOT_SAVEPOINT)))
        goto done;
    rc = mail_queue(db, m->tpl, email, "reset", model, NULL);
    if (!rc)
        rc = db_exec(db, eligible ? SQL_FORGOT_KEEP : SQL_FORGOT_UNDO);
    if (!rc)
        rc = account_audit(db, "password_reset_requested", 0, uid,
                           eligible ? ""
                           : known  ? "not sent"
                                    : "");
    if (!rc)
        rc = db_commit(db);
    if (!rc) /* for every address alike: only the sender learns there was nothing new */
        mail_sender_wake();
done:
    if (rc)
        db_rollback(db);
    db_finalize(st);
    json_decref(model);
    sodium_memzero(token, sizeof token);
    sodium_memzero(link, sizeof link);
    return rc;
}
