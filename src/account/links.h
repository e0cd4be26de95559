/* links.h: single-use links mailed to people — an invitation to set a first password, a
 * password reset — and what using one does
 *
 * Domain code: no HTTP. A link's token is 256 random bits, given out once (in the mail, or
 * printed by the command line) and stored only as its BLAKE2b-256 hex (account_token_hash),
 * so the table alone lets nobody in. A link lives LINK_INVITE_TTL or LINK_RESET_TTL, is
 * used at most once (one UPDATE checks and marks it, so a replay or a race loses), and
 * issuing a new one of the same purpose ends the older ones. Using either kind sets the
 * password, ends every session and revokes every API token of the account (whoever had
 * the old password, or the old link, is out), and logs the person in.
 */
#ifndef AHP_ACCOUNT_LINKS_H
#define AHP_ACCOUNT_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/account.h"

struct arena;
struct db;
struct tpl_set;

enum link_purpose { LINK_INVITE, LINK_RESET };

#define LINK_INVITE_TTL (7 * 24 * 60 * 60)
#define LINK_RESET_TTL  (60 * 60)

/* What a mail that carries a link needs: the templates and the address of the site
 * (app->cfg.base_url, no trailing slash). */
struct link_mailer {
    struct tpl_set *tpl;
    const char *base_url;
    /* No mail server is set up: mail waits unsent. A link that replaces another (a 360°
     * reminder's) would then end the one its holder has and deliver nothing, so none is made. */
    bool unsent;
};

/* "invite" or "reset": the value stored in account_links.purpose. */
const char *link_purpose_name(enum link_purpose p);
/* The path a link's page lives at, without the token: "/set-password/" or
 * "/password/reset/". */
const char *link_path(enum link_purpose p);

/* Issues a link for user_id (created_by: the admin, or 0 for the user themselves or the
 * command line), ending the older unused links of that purpose. Must run inside the
 * caller's transaction, so the link exists exactly when the mail that carries it does
 * (APP_E_INTERNAL otherwise). token_out receives the token (hex). */
int account_link_issue(struct db *db, enum link_purpose p, int64_t user_id, int64_t created_by,
                       int64_t now, char token_out[TOKEN_HEX]);

/* A link found by its token. */
struct account_link {
    int64_t user_id;
    const char *email, *display_name; /* in the arena */
};

/* Looks a token up without using it (the page that asks for the password). Returns 0 when
 * the link may be used now, APP_E_NOTFOUND when no link has that token (or the token is
 * not 64 hex digits), APP_E_CONFLICT when it has been used, has expired, was replaced by a
 * newer one, or its account was deactivated. */
int account_link_find(struct db *db, struct arena *a, enum link_purpose p, const char *token,
                      int64_t now, struct account_link *out);

/* Uses the link: checks the password policy (APP_E_INVALID, link untouched), then in one
 * transaction marks the link used (APP_E_CONFLICT when another request got there first, or
 * it has expired), sets the password, ends every session, revokes every API token, ends the
 * account's other links, and audits ("invite_accepted" or "password_reset"). Then starts a
 * session: session_out receives its token and *who the person. APP_E_NOTFOUND for an
 * unknown token. */
int account_link_use(struct db *db, struct arena *a, const struct account_policy *pol,
                     enum link_purpose p, const char *token, const char *password, size_t pwlen,
                     int64_t now, char session_out[TOKEN_HEX], struct user_ctx *who);

/* A forgotten password: mails a reset link to email when it belongs to an account that is
 * active and has a password, and otherwise sends nothing — doing the same work either way
 * (a token made, the mail rendered and queued, an audit entry written; for an address
 * without an account the queued mail is rolled back), so neither the answer nor its time
 * says whether the address has an account. (forgot.c) */
int account_reset_request(struct db *db, const struct link_mailer *m, const char *email,
                          int64_t now);

/* ---- rate of reset requests (reset_limit.c) ----
 * Counted in this process's memory per network client and per address, in counts of their
 * own (struct app's reset_limit, core/hourly_count.h): see reset_limit.c for why not in the
 * database. Counts one request; APP_E_LIMIT when the client or the address has had its share
 * of the current hour (the request is then not counted; hourly_count_wait() says how long). */
struct hourly_count;
int reset_limit_take(struct hourly_count *counts, const unsigned char client[16], const char *email,
                     int64_t now);

#endif
