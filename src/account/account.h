/* account.h: users, roles, logins, sessions, API tokens and the security audit log
 *
 * Domain code: no HTTP here. Secrets (session and API tokens) are 256-bit random values that
 * exist in clear only in the user's hands; the database keeps their BLAKE2b-256 hash as hex,
 * so a leaked database lets no one log in. Every security event goes to the audit log.
 */
#ifndef AHP_ACCOUNT_H
#define AHP_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/role.h"

struct arena;
struct db;
struct login_throttle;

#define TOKEN_HEX 65 /* 32 random bytes as hex, plus NUL */
#define API_TOKEN_PREFIX "ahp_"
#define API_TOKEN_LEN (4 + 64 + 1)

struct user {
    int64_t id;
    const char *email;
    const char *display_name;
    enum role role;
    const char *profession; /* code from professions[] or "" */
    const char *region;     /* code from regions[] or "" */
    int64_t organisation_id; /* 0 when none */
    const char *organisation;
    int64_t created_at;
    /* The account's state (migrations/0017): invited while it has neither a password nor a
     * first login (an account made at a sign-in with the organisation has logged in, and has
     * no password: it is active), deactivated while deactivated_at is not 0; last_login_at
     * is 0 before any login. */
    bool invited, has_password;
    int64_t deactivated_at, last_login_at;
};

struct api_token {
    int64_t id;
    const char *name;
    const char *prefix; /* first characters, so a user can tell tokens apart */
    int64_t created_at, last_used;
};

struct audit_entry {
    int64_t id, at;
    const char *event;
    const char *actor;   /* display name, or "" */
    const char *subject; /* display name, or "" */
    const char *detail;
};

/* What login throttling and sessions are allowed (from the app's configuration). */
struct account_policy {
    int max_fails;   /* failed password checks by one client on one account before a lock */
    int lock_secs;   /* how long the first lock lasts (each further failure doubles it) */
    int session_ttl; /* idle seconds before a session ends */
};

/* ---- reference data (reference.c) ---- */
struct ref_item {
    const char *code;
    const char *name;
};
extern const struct ref_item professions[]; /* the 14 AHP professions, then "other" */
extern const size_t professions_count;
extern const struct ref_item regions[]; /* the 7 NHS England regions */
extern const size_t regions_count;
/* Display name for a code, or NULL when the code is unknown. */
const char *ref_name(const struct ref_item *items, size_t n, const char *code);
const char *role_name(enum role r);    /* "admin", "facilitator", "member" */
/* Select options [{value, text, selected}] for a select box, selected marked (NULL or an
 * unknown code: none). ref_options_build() returns a new array, NULL when out of memory.
 *
 * Pages take them from the sets struct app keeps (app->ref_options, made by app_init()):
 * ref_options() returns a new reference to the shared array for that selection, which
 * nobody may change — every later page would show the change. Building the options for
 * each page cost a fifth of the account page's CPU time under bench/http.sh; account_test
 * checks, after the pages that show options, that every shared array equals a fresh build. */
enum ref_kind { REF_PROFESSIONS, REF_REGIONS, REF_ROLES, REF_ROLE_FILTER };
#define REF_KINDS 4
struct ref_option_sets;
json_t *ref_options_build(enum ref_kind kind, const char *selected);
int ref_option_sets_new(struct ref_option_sets **out);
void ref_option_sets_free(struct ref_option_sets *sets);
json_t *ref_options(const struct ref_option_sets *sets, enum ref_kind kind, const char *selected);
enum role role_parse(const char *s);   /* ROLE_NONE when unknown */

/* ---- users (user.c) ---- */
/* Creates a user. u->email must already be lower-case. Returns APP_E_CONFLICT when the email
 * is taken, APP_E_INVALID when the password breaks the policy. *id receives the new id. */
int account_user_create(struct db *db, const struct user *u, const char *password, size_t pwlen,
                        int64_t *id);
/* Loads one user; strings are in the arena. APP_E_NOTFOUND when absent. */
int account_user_get(struct db *db, struct arena *a, int64_t id, struct user *out);
int account_user_by_email(struct db *db, struct arena *a, const char *email, struct user *out);
/* A page of users whose name or email contains q (may be NULL), optionally of one role. */
int account_user_list(struct db *db, struct arena *a, const char *q, enum role role, int offset,
                      int limit, struct user **out, size_t *n, int64_t *total);
/* Changes name, profession, region and organisation (0 for none). Codes must be valid. */
int account_profile_update(struct db *db, int64_t user_id, const char *display_name,
                           const char *profession, const char *region, int64_t org_id);
/* Checks the current password only, throttled exactly as account_password_change() does
 * (a wrong one counts as a failed login; a right one clears the pair's failures), so a form
 * refused for its new passwords can still say whether the current one was right. 0 when it
 * is right, APP_E_UNAUTH when wrong, APP_E_LIMIT while throttled. */
int account_password_check(struct db *db, const struct account_policy *pol,
                           struct login_throttle *t, const unsigned char client[16],
                           int64_t user_id, const char *current, size_t clen);
/* Checks the current password (throttled for the client like a login), applies the policy,
 * stores the new hash, ends every other session of the user and revokes all their API
 * tokens (whoever learnt the old password may have made one). APP_E_UNAUTH when current is
 * wrong, APP_E_LIMIT while throttled, APP_E_INVALID for the policy. */
int account_password_change(struct db *db, const struct account_policy *pol,
                            struct login_throttle *t, const unsigned char client[16],
                            int64_t user_id, int64_t keep_session, const char *current, size_t clen,
                            const char *new_pw, size_t nlen);
/* Sets a password without checking the old one (CLI). */
int account_password_set(struct db *db, int64_t user_id, const char *pw, size_t n);
/* Changes a role and audits it. An admin cannot demote themselves (APP_E_FORBIDDEN), so
 * there is always one admin left who can undo a mistake: that holds when two admins demote
 * each other at once too, as account_admin_hold orders them and refuses the second.
 * APP_E_CONFLICT, with nothing written or audited, when the user already has the role. */
int account_role_set(struct db *db, int64_t actor_id, int64_t user_id, enum role role);
/* Inside the caller's transaction, before an admin changes another account's role or
 * deactivates it: locks the admins' rows (as deleting an account does, rights.c) and answers
 * APP_E_FORBIDDEN unless actor_id is still an active admin. Two admins demoting or
 * deactivating each other at once are taken one after the other, and the second finds it is
 * no longer an admin, so the service is never left without one. */
int account_admin_hold(struct db *db, int64_t actor_id);

/* Organisations, and the details a member's forms start with: account/org.h. */

/* ---- throttling failed password checks (throttle.c) ---- */
/* Counts per (network client, account name) and per client, in this process's memory; the
 * client is req.client_key, never an address. Owned by struct app (login_throttle_new at
 * start, login_throttle_free at the end); safe to share between threads. */
struct login_throttle;
int login_throttle_new(struct login_throttle **out);
void login_throttle_free(struct login_throttle *t);
/* Before a password for name is checked: APP_E_LIMIT while this client may not try one for
 * name (or for any name); otherwise 0, and the attempt is already counted as a failure for
 * (client, name) and for the client, locking either when due. Call it before anything that
 * tells whether name exists. */
int login_throttle_try(struct login_throttle *t, const struct account_policy *pol,
                       const unsigned char client[16], const char *name, int64_t now);
/* Seconds until this client may try a password for name again (the later of the pair's and
 * the client's locks), or 0 when it may now: what a refusal tells the person to wait. */
int64_t login_throttle_wait(struct login_throttle *t, const struct account_policy *pol,
                            const unsigned char client[16], const char *name, int64_t now);
/* The password was right: forgets the pair's failures and takes the attempt back from the
 * client's count. */
void login_throttle_ok(struct login_throttle *t, const struct account_policy *pol,
                       const unsigned char client[16], const char *name, int64_t now);

/* ---- logins, sessions and API tokens (session.c) ---- */
/* Checks email and password for the network client (see throttle above). On success
 * creates a session, writes its token (hex) to token_out, fills *who, and audits the login.
 * Returns APP_E_UNAUTH for a wrong email or password, APP_E_LIMIT while this client is
 * throttled for this email or for all; known and unknown emails get the same answers, in
 * the same time, and so does an invited account that has no password yet. APP_E_FORBIDDEN
 * for the right password of a deactivated account (only its owner can learn that). */
int account_login(struct db *db, struct arena *a, const struct account_policy *pol,
                  struct login_throttle *t, const unsigned char client[16], const char *email,
                  const char *password, size_t pwlen, int64_t now, char token_out[TOKEN_HEX],
                  struct user_ctx *who);
/* Opens a session for user uid, writes its token (hex) to token_out, notes the time as the
 * account's last login and audits a "login" with detail ("" or how they signed in). Joins
 * the caller's transaction when one is open (so whatever else the sign-in writes commits or
 * rolls back with it), else runs in its own. The one place every way of signing in creates
 * a session: APP_E_FORBIDDEN for a deactivated account. */
int account_session_open(struct db *db, const struct account_policy *pol, int64_t uid,
                         int64_t now, const char *detail, char token_out[TOKEN_HEX]);
/* The session for a cookie token, sliding its expiry when touch is set. APP_E_NOTFOUND when
 * unknown or expired. */
int account_session_find(struct db *db, struct arena *a, const struct account_policy *pol,
                         const char *token, int64_t now, bool touch, struct user_ctx *who);
int account_session_end(struct db *db, int64_t session_id, int64_t user_id);
/* A new API token for the user: written once to token_out ("ahp_" + 64 hex). */
int account_token_create(struct db *db, int64_t user_id, const char *name,
                         char token_out[API_TOKEN_LEN], int64_t *id);
int account_token_list(struct db *db, struct arena *a, int64_t user_id, struct api_token **out,
                       size_t *n);
/* Revokes one of the user's own tokens; APP_E_NOTFOUND if it is not theirs. */
int account_token_revoke(struct db *db, int64_t user_id, int64_t token_id);
/* The user behind a bearer token, noting its last use when touch is set; APP_E_NOTFOUND
 * when unknown or revoked. */
int account_token_find(struct db *db, struct arena *a, const char *token, int64_t now, bool touch,
                       struct user_ctx *who);

/* ---- audit log (audit.c) ---- */
/* Records a security event. actor/subject are user ids or 0. detail must not hold secrets. */
int account_audit(struct db *db, const char *event, int64_t actor, int64_t subject,
                  const char *detail);
int account_audit_list(struct db *db, struct arena *a, int offset, int limit,
                       struct audit_entry **out, size_t *n, int64_t *total);

/* A user as pages and the API show one ({id, email, display_name, role, profession_name,
 * region_name, organisation, created, …}); a new reference, NULL when out of memory.
 * (user_json.c) */
json_t *account_user_json(const struct user *u);
/* "21 November 2026" for a Unix time, "" for 0: dates are shown, not computed with, so the
 * view model carries text. (user_json.c) */
json_t *account_date_text(int64_t t);

/* BLAKE2b-256 of a token as lower-case hex (65 bytes with NUL). */
void account_token_hash(const char *token, char out[TOKEN_HEX]);

#endif
