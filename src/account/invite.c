/* invite.c: inviting people — accounts without a password, and the mail with their link
 *
 * The account, its link and the mail that carries the link are written in one transaction,
 * so there is never an invitation nobody was told of, nor a mail with a link that does not
 * exist.
 */
#include "account/invite.h"
#include "account/store.h"
#include "core/err.h"
#include "mail/mail.h"
#include "store/db.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *role_with_article(enum role r)
{
    switch (r) {
    case ROLE_ADMIN:
        return "an admin";
    case ROLE_FACILITATOR:
        return "a facilitator";
    default:
        return "a member";
    }
}

/* The actor's name for the mail ("Ali Khan has invited you"), or "" for the command line. */
static int actor_name(struct db *db, int64_t actor, char *out, size_t n)
{
    struct db_stmt *st = NULL;
    int rc;
    out[0] = '\0';
    if (!actor)
        return APP_OK;
    rc = db_row(db, SQL_USER_NAME, &st, "i", actor);
    if (!rc)
        snprintf(out, n, "%s", db_col_text(st, 0));
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

/* Issues the link and queues its mail; inside the caller's transaction. */
static int send_link(struct db *db, const struct link_mailer *m, int64_t actor, const char *inviter,
                     int64_t uid, const char *email, const char *name, enum role role, int64_t now,
                     char token[TOKEN_HEX])
{
    char link[600];
    json_t *model;
    int rc = account_link_issue(db, LINK_INVITE, uid, actor, now, token);
    if (rc)
        return rc;
    snprintf(link, sizeof link, "%s%s%s", m->base_url, link_path(LINK_INVITE), token);
    model = json_pack("{s:s, s:s, s:s, s:s, s:b, s:{s:s, s:s}, s:i}", "subject",
                      "You have been invited: set your password", "name", name, "inviter", inviter,
                      "role", role_with_article(role), "by_someone", inviter[0] != '\0', "button",
                      "url", link, "text", "Set your password", "days",
                      LINK_INVITE_TTL / (24 * 60 * 60));
    sodium_memzero(link, sizeof link);
    if (!model)
        return APP_E_NOMEM;
    rc = mail_queue(db, m->tpl, email, "invite", model, NULL);
    json_decref(model);
    return rc;
}

int account_invite(struct db *db, const struct link_mailer *m, int64_t actor,
                   const struct invite *inv, size_t n, int64_t now, int64_t *ids,
                   char token_out[TOKEN_HEX])
{
    char inviter[256], token[TOKEN_HEX];
    int rc;
    if (token_out)
        memset(token_out, 0, TOKEN_HEX);
    for (size_t i = 0; i < n; i++) {
        const struct invite *v = &inv[i];
        if (!v->email || !*v->email || !v->display_name || !*v->display_name ||
            v->role == ROLE_NONE ||
            (v->profession && *v->profession &&
             !ref_name(professions, professions_count, v->profession)) ||
            (v->region && *v->region && !ref_name(regions, regions_count, v->region)))
            return APP_E_INVALID;
    }
    if ((rc = actor_name(db, actor, inviter, sizeof inviter)))
        return rc;
    if ((rc = db_begin(db)))
        return rc;
    /* an admin demoted or deactivated meanwhile invites nobody (the command line, actor 0,
     * answers to whoever runs it) */
    if (actor)
        rc = account_admin_hold(db, actor);
    for (size_t i = 0; i < n && !rc; i++) {
        const struct invite *v = &inv[i];
        int64_t uid = 0;
        struct db_stmt *st = NULL;
        if (v->organisation_id) {
            rc = db_row(db, SQL_ORG_EXISTS, &st, "i", v->organisation_id);
            db_finalize(st);
            if (rc == APP_E_NOTFOUND)
                rc = APP_E_INVALID;
            if (rc)
                break;
        }
        /* An empty password hash: no password verifies against it (session.c). */
        rc = db_run_int(db, SQL_USER_INSERT, &uid, "tttttIti", v->email, v->display_name,
                        role_name(v->role), v->profession ? v->profession : "",
                        v->region ? v->region : "", v->organisation_id, "", now);
        if (!rc)
            rc = send_link(db, m, actor, inviter, uid, v->email, v->display_name, v->role, now,
                           token);
        if (!rc) {
            char detail[40];
            snprintf(detail, sizeof detail, "%s%s",
                     actor ? "" : "command line: ", role_name(v->role));
            rc = account_audit(db, "user_invited", actor, uid, detail);
        }
        if (!rc && ids)
            ids[i] = uid;
        if (!rc && i == 0 && token_out)
            memcpy(token_out, token, TOKEN_HEX);
        sodium_memzero(token, sizeof token);
    }
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        if (token_out)
            memset(token_out, 0, TOKEN_HEX);
    } else {
        mail_sender_wake();
    }
    return rc;
}

int account_invite_resend(struct db *db, const struct link_mailer *m, int64_t actor,
                          int64_t user_id, int64_t now, char token_out[TOKEN_HEX])
{
    struct db_stmt *st = NULL;
    char inviter[256], email[300], name[256];
    enum role role;
    int rc;
    memset(token_out, 0, TOKEN_HEX);
    if ((rc = actor_name(db, actor, inviter, sizeof inviter)))
        return rc;
    if ((rc = db_begin(db)))
        return rc;
    /* an admin demoted or deactivated meanwhile sends nothing */
    if (actor && (rc = account_admin_hold(db, actor)))
        goto done;
    /* Read inside the transaction: a password set meanwhile makes this a conflict, not a
     * link for an account that no longer needs one. */
    rc = db_row(db, SQL_USER_INVITED, &st, "i", user_id);
    if (rc)
        goto done;
    snprintf(email, sizeof email, "%s", db_col_text(st, 0));
    snprintf(name, sizeof name, "%s", db_col_text(st, 1));
    role = role_parse(db_col_text(st, 2));
    if (db_col_int(st, 3) == 0 || db_col_int(st, 4) != 0) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    db_finalize(st);
    st = NULL;
    rc = send_link(db, m, actor, inviter, user_id, email, name, role, now, token_out);
    if (!rc)
        rc = account_audit(db, "invite_resent", actor, user_id, actor ? "" : "command line");
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc) {
        db_rollback(db);
        memset(token_out, 0, TOKEN_HEX);
    } else {
        mail_sender_wake();
    }
    return rc;
}
