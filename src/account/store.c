/* store.c: every SQL text of the account module, named, one place to review them
 *
 * Each query is served by an index: users by id/email (primary key, unique), sessions and
 * tokens by token_hash (unique), audit by at. The user list filters on lower(name/email)
 * with LIKE, a scan that is fine for the thousands of accounts one deployment holds.
 */
#include "account/store.h"

#define USER_COLS                                                                              \
    "u.id, u.email, u.display_name, u.role, u.profession, u.region, "                         \
    "COALESCE(u.organisation_id, 0), COALESCE(o.name, ''), u.created_at, "                   \
    "CASE WHEN u.password_hash = '' THEN 1 ELSE 0 END, u.deactivated_at, u.last_login_at "
#define USER_FROM " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id "

const char SQL_USER_INSERT[] =
    "INSERT INTO users (email, display_name, role, profession, region, organisation_id, "
    "password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
    "RETURNING id";
const char SQL_USER_BY_ID[] = "SELECT " USER_COLS USER_FROM "WHERE u.id = $1";
const char SQL_USER_BY_EMAIL[] = "SELECT " USER_COLS USER_FROM "WHERE u.email = $1";
const char SQL_USER_LIST[] =
    "SELECT " USER_COLS USER_FROM
    "WHERE (lower(u.display_name) LIKE $1 ESCAPE '\\' OR u.email LIKE $1 ESCAPE '\\') "
    "AND ($2 = '' OR u.role = $2) ORDER BY lower(u.display_name), u.id LIMIT $3 OFFSET $4";
const char SQL_USER_COUNT[] =
    "SELECT count(*) FROM users u "
    "WHERE (lower(u.display_name) LIKE $1 ESCAPE '\\' OR u.email LIKE $1 ESCAPE '\\') "
    "AND ($2 = '' OR u.role = $2)";
const char SQL_USER_PROFILE[] =
    "UPDATE users SET display_name = $2, profession = $3, region = $4, organisation_id = $5, "
    "updated_at = $6 WHERE id = $1";
const char SQL_USER_PASSWORD[] =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
const char SQL_USER_HASH[] = "SELECT password_hash, email FROM users WHERE id = $1";
const char SQL_USER_ROLE[] = "SELECT role FROM users WHERE id = $1";
const char SQL_USER_SET_ROLE[] = "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1";

/* A lock per account let anyone lock anyone out and told them which accounts exist
 * (account/throttle.c counts per client instead; 0017 dropped the columns). */
const char SQL_LOGIN_LOOKUP[] =
    "SELECT id, password_hash, display_name, role, deactivated_at FROM users WHERE email = $1";
const char SQL_USER_LOGGED_IN[] = "UPDATE users SET last_login_at = $2 WHERE id = $1";

const char SQL_ORG_LIST[] = "SELECT id, name, region FROM organisations ORDER BY name";
const char SQL_ORG_INSERT[] =
    "INSERT INTO organisations (name, region, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (name) DO NOTHING";
const char SQL_ORG_BY_NAME[] = "SELECT id FROM organisations WHERE name = $1";
const char SQL_ORG_EXISTS[] = "SELECT 1 FROM organisations WHERE id = $1";

const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) "
    "VALUES ($1, $2, $3, $3, $4)";
const char SQL_SESSION_FIND[] =
    "SELECT s.id, s.last_seen, u.id, u.email, u.display_name, u.role "
    "FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at = 0";
const char SQL_SESSION_TOUCH[] =
    "UPDATE sessions SET last_seen = $2, expires_at = $3 WHERE id = $1";
const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE id = $1 AND user_id = $2";
const char SQL_SESSION_DELETE_OTHERS[] = "DELETE FROM sessions WHERE user_id = $1 AND id <> $2";
const char SQL_SESSION_PURGE[] = "DELETE FROM sessions WHERE expires_at <= $1";

const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";
const char SQL_TOKEN_LIST[] =
    "SELECT id, name, prefix, created_at, last_used FROM api_tokens "
    "WHERE user_id = $1 AND revoked_at = 0 ORDER BY created_at DESC, id DESC";
const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at = 0";
const char SQL_TOKEN_FIND[] =
    "SELECT t.id, t.last_used, u.id, u.email, u.display_name, u.role "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = $1 AND t.revoked_at = 0 AND u.deactivated_at = 0";
const char SQL_TOKEN_REVOKE_ALL[] =
    "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at = 0";
const char SQL_TOKEN_TOUCH[] = "UPDATE api_tokens SET last_used = $2 WHERE id = $1";

const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit_log (at, event, actor_id, subject_id, detail) VALUES ($1, $2, $3, $4, $5)";
const char SQL_AUDIT_LIST[] =
    "SELECT a.id, a.at, a.event, COALESCE(ua.display_name, ''), COALESCE(us.display_name, ''), "
    "a.detail FROM audit_log a LEFT JOIN users ua ON ua.id = a.actor_id "
    "LEFT JOIN users us ON us.id = a.subject_id ORDER BY a.at DESC, a.id DESC LIMIT $1 OFFSET $2";
const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit_log";

/* ---- single-use links, invitations and deactivation (links.c, invite.c, lifecycle.c) ---- */
/* An older link of the purpose ends when a new one is issued: its expiry moves to now, so it
 * reads as expired (not as unknown) to whoever still holds it. */
const char SQL_LINK_KILL[] =
    "UPDATE account_links SET expires_at = $3 "
    "WHERE user_id = $1 AND purpose = $2 AND used_at = 0 AND expires_at > $3";
const char SQL_LINK_KILL_ALL[] = "UPDATE account_links SET expires_at = $2 WHERE user_id = $1 AND "
                                 "used_at = 0 AND expires_at > $2";
const char SQL_LINK_INSERT[] =
    "INSERT INTO account_links (purpose, token_hash, user_id, created_by, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
const char SQL_LINK_PURGE[] = "DELETE FROM account_links WHERE expires_at < $1";
const char SQL_LINK_FIND[] =
    "SELECT l.user_id, l.expires_at, l.used_at, u.email, u.display_name, u.deactivated_at "
    "FROM account_links l JOIN users u ON u.id = l.user_id "
    "WHERE l.token_hash = $1 AND l.purpose = $2";
/* The check and the use are this one statement: of two requests with the same token, one
 * changes the row and the other changes nothing. */
const char SQL_LINK_USE[] =
    "UPDATE account_links SET used_at = $3 "
    "WHERE token_hash = $1 AND purpose = $2 AND used_at = 0 AND expires_at > $3 "
    "AND user_id IN (SELECT id FROM users WHERE deactivated_at = 0)";
const char SQL_USER_DEACTIVATE[] =
    "UPDATE users SET deactivated_at = $2, updated_at = $2 WHERE id = $1 AND deactivated_at = 0";
const char SQL_USER_REACTIVATE[] =
    "UPDATE users SET deactivated_at = 0, updated_at = $2 WHERE id = $1 AND deactivated_at <> 0";
const char SQL_SESSION_DELETE_ALL[] = "DELETE FROM sessions WHERE user_id = $1";
/* The forgotten-password request does the same work for every address (forgot.c): the mail
 * for an address without an account is queued inside this savepoint and rolled back. */
const char SQL_FORGOT_SAVEPOINT[] = "SAVEPOINT account_forgot";
const char SQL_FORGOT_UNDO[] = "ROLLBACK TO SAVEPOINT account_forgot";
const char SQL_FORGOT_KEEP[] = "RELEASE SAVEPOINT account_forgot";
const char SQL_USER_NAME[] = "SELECT display_name FROM users WHERE id = $1";
/* 1 when the address has an account (CSV checks, before anything is created) */
const char SQL_USER_EMAIL_TAKEN[] = "SELECT 1 FROM users WHERE email = $1";
const char SQL_USER_INVITED[] =
    "SELECT email, display_name, role, CASE WHEN password_hash = '' THEN 1 ELSE 0 END, "
    "deactivated_at FROM users WHERE id = $1";
