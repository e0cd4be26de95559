/* invite.h: adding people — an account without a password, and a mailed link to set one
 *
 * Domain code: no HTTP. An invited account exists (so an admin sees it and can resend or
 * deactivate it) but cannot log in until its owner sets a password through the link
 * (links.h). Many people can be invited at once from a CSV file: every row is checked first
 * and nothing is created unless all are right.
 */
#ifndef AHP_ACCOUNT_INVITE_H
#define AHP_ACCOUNT_INVITE_H

#include <stddef.h>
#include <stdint.h>

#include "account/account.h"
#include "account/links.h"

struct arena;
struct db;

struct invite {
    const char *email; /* lower-case */
    const char *display_name;
    enum role role;
    const char *profession;  /* a code from professions[], or "" */
    const char *region;      /* a code from regions[], or "" */
    int64_t organisation_id; /* 0 for none */
};

/* Invites n people in one transaction: for each, an account without a password, a link
 * (LINK_INVITE) and the mail that carries it, and an audit entry "user_invited" by actor
 * (0: the command line). All or nothing: APP_E_CONFLICT when an address already has an
 * account, APP_E_INVALID for a code or organisation that does not exist. ids (may be
 * NULL) receives the new accounts' ids; token_out (may be NULL) the first person's link
 * token, for the command line to print. */
int account_invite(struct db *db, const struct link_mailer *m, int64_t actor,
                   const struct invite *inv, size_t n, int64_t now, int64_t *ids,
                   char token_out[TOKEN_HEX]);

/* Mails an invited person a new link; the old one stops working. APP_E_NOTFOUND for no
 * such account, APP_E_CONFLICT when it already has a password or is deactivated. */
int account_invite_resend(struct db *db, const struct link_mailer *m, int64_t actor,
                          int64_t user_id, int64_t now, char token_out[TOKEN_HEX]);

/* Reads a CSV of people to invite: a header row naming the columns email, name, role,
 * profession, region, organisation (any order, any case; only email and name are needed),
 * then one person a row. Professions and regions may be given by code or by name, the
 * organisation by its name (one that is not in the list is an error). Every row is
 * checked, against the database too (an address that already has an account, or that
 * comes twice in the file); each problem is a sentence naming its row, counting the header
 * as row 1 as a spreadsheet does. Returns 0 with *rows / *nrows set (strings in the arena),
 * APP_E_INVALID with *errors / *nerrors set (in the arena; at most INVITE_CSV_MAX_ERRORS),
 * or APP_E_NOMEM / APP_E_DB. */
#define INVITE_CSV_MAX_ERRORS 50
#define INVITE_CSV_MAX_ROWS   2000
int account_invite_csv(struct db *db, struct arena *a, const char *data, size_t n,
                       struct invite **rows, size_t *nrows, const char ***errors, size_t *nerrors);

/* "an admin", "a facilitator", "a member". */
const char *role_with_article(enum role r);

/* ---- closing and reopening accounts (lifecycle.c) ---- */
/* Deactivates the account, and in the same transaction ends all its sessions, revokes all
 * its API tokens and ends its unused links; audits "user_deactivated". APP_E_FORBIDDEN for
 * the actor's own account (an admin must not lock themselves out), APP_E_NOTFOUND for no
 * such account, APP_E_CONFLICT when it is already deactivated. */
int account_user_deactivate(struct db *db, int64_t actor, int64_t user_id, int64_t now);
/* Lets the account log in again (with the password it had); audits "user_reactivated".
 * APP_E_CONFLICT when it is not deactivated. */
int account_user_reactivate(struct db *db, int64_t actor, int64_t user_id, int64_t now);

#endif
