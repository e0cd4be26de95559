/* store.c: every SQL text of the account module, named, one place to review them
 *
 * Each query is served by an index: users by id/email (primary key, unique), sessions and
 * tokens by token_hash (unique), audit by at. The user list filters on lower(name/email)
 * with LIKE, a scan that is fine for the thousands of accounts one deployment holds.
 */
#include "account/store.h"

/* Columns 9 and 12: invited (neither a password nor a login yet) and has a password. */
#define USER_COLS                                                                              \
    "u.id, u.email, u.display_name, u.role, u.profession, u.region, "                         \
    "COALESCE(u.organisation_id, 0), COALESCE(o.name, ''), u.created_at, "                   \
    "CASE WHEN u.password_hash = '' AND u.last_login_at = 0 THEN 1 ELSE 0 END, "            \
    "u.deactivated_at, u.last_login_at, CASE WHEN u.password_hash = '' THEN 0 ELSE 1 END "
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
    "SELECT id, password_hash, display_name, role, deactivated_at, last_login_at FROM users "
    "WHERE email = $1";
const char SQL_USER_LOGGED_IN[] = "UPDATE users SET last_login_at = $2 WHERE id = $1";
const char SQL_SESSION_USER_ACTIVE[] = "SELECT deactivated_at FROM users WHERE id = $1";

/* ---- organisations (org.c) ----
 * Names are unique as typed (0002) and, checked by org.c, ignoring the case of ASCII letters;
 * ODS codes are unique where given (0018). The search scans, as the user list does: a
 * deployment holds hundreds of organisations. Members are counted through users_organisation. */
#define ORG_COLS                                                                               \
    "o.id, o.name, COALESCE(o.ods_code, ''), o.region, o.created_at, o.updated_at, "          \
    "(SELECT count(*) FROM users u WHERE u.organisation_id = o.id) "
const char SQL_ORG_LIST[] =
    "SELECT o.id, o.name, COALESCE(o.ods_code, ''), o.region, o.created_at, o.updated_at, -1 "
    "FROM organisations o ORDER BY lower(o.name), o.id";
const char SQL_ORG_SEARCH[] =
    "SELECT " ORG_COLS "FROM organisations o WHERE lower(o.name) LIKE $1 ESCAPE '\\' "
    "OR lower(COALESCE(o.ods_code, '')) LIKE $1 ESCAPE '\\' "
    "ORDER BY lower(o.name), o.id LIMIT $2 OFFSET $3";
const char SQL_ORG_SEARCH_COUNT[] =
    "SELECT count(*) FROM organisations o WHERE lower(o.name) LIKE $1 ESCAPE '\\' "
    "OR lower(COALESCE(o.ods_code, '')) LIKE $1 ESCAPE '\\'";
const char SQL_ORG_GET[] = "SELECT " ORG_COLS "FROM organisations o WHERE o.id = $1";
const char SQL_ORG_FIND[] =
    "SELECT " ORG_COLS "FROM organisations o WHERE lower(o.name) = lower($1) OR o.ods_code = "
    "upper($1) ORDER BY CASE WHEN lower(o.name) = lower($1) THEN 0 ELSE 1 END, o.id LIMIT 1";
/* Another organisation ($3 is the one being changed, 0 for a new one) that has the name in
 * any case ($1), or the ODS code ($2, NULL for none): the first says which. */
const char SQL_ORG_CLASH[] =
    "SELECT CASE WHEN lower(name) = lower($1) THEN 'name' ELSE 'ods_code' END "
    "FROM organisations WHERE id <> $3 AND (lower(name) = lower($1) OR ods_code = $2) "
    "ORDER BY CASE WHEN lower(name) = lower($1) THEN 0 ELSE 1 END LIMIT 1";
const char SQL_ORG_INSERT[] =
    "INSERT INTO organisations (name, ods_code, region, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $4) RETURNING id";
const char SQL_ORG_UPDATE[] =
    "UPDATE organisations SET name = $2, ods_code = $3, region = $4, updated_at = $5 "
    "WHERE id = $1";
/* The demo's: an existing organisation keeps its region and any ODS code it has. */
const char SQL_ORG_ENSURE[] =
    "INSERT INTO organisations (name, ods_code, region, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO UPDATE "
    "SET ods_code = COALESCE(organisations.ods_code, excluded.ods_code) RETURNING id";
const char SQL_ORG_EXISTS[] = "SELECT 1 FROM organisations WHERE id = $1";
const char SQL_MEMBER_DEFAULTS[] =
    "SELECT u.profession, u.region, COALESCE(u.organisation_id, 0), COALESCE(o.name, '') "
    "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1";

/* ---- merging organisations ($1 goes into $2) ----
 * Every column that references organisations(id) is moved here: users.organisation_id
 * (0002); assess_rounds, assess_invitations and assess_responses.organisation_id (0005).
 * A new reference to organisations must be added to these statements and to
 * account_org_merge(); the merge test lists the schema's references and fails until it is. */
const char SQL_ORG_MERGE_COUNTS[] =
    "SELECT (SELECT count(*) FROM users WHERE organisation_id = $1), "
    "(SELECT count(*) FROM assess_rounds WHERE organisation_id = $1), "
    "(SELECT count(*) FROM assess_invitations WHERE organisation_id = $1), "
    "(SELECT count(*) FROM assess_invitations v WHERE v.organisation_id = $1 AND EXISTS "
    "(SELECT 1 FROM assess_invitations k WHERE k.round_id = v.round_id AND "
    "k.organisation_id = $2)), "
    "(SELECT count(*) FROM assess_responses WHERE organisation_id = $1)";
/* A round's shared benchmark is keyed by (submitted, regrouped): moving its responses to
 * another organisation's group is a new state. Run before the responses move. */
const char SQL_ORG_MERGE_REGROUP[] =
    "UPDATE assess_rounds SET regrouped = regrouped + 1 WHERE id IN "
    "(SELECT round_id FROM assess_responses WHERE organisation_id = $1)";
/* A round has one link per organisation: where it has both, the responses that came through
 * $1's link are counted under $2's, and $1's link is withdrawn. */
const char SQL_ORG_MERGE_LINK_RESPONSES[] =
    "UPDATE assess_responses SET invitation_id = (SELECT k.id FROM assess_invitations k "
    "JOIN assess_invitations v ON v.round_id = k.round_id "
    "WHERE v.id = assess_responses.invitation_id AND k.organisation_id = $2) "
    "WHERE invitation_id IN (SELECT v.id FROM assess_invitations v WHERE v.organisation_id = $1 "
    "AND EXISTS (SELECT 1 FROM assess_invitations k WHERE k.round_id = v.round_id AND "
    "k.organisation_id = $2))";
const char SQL_ORG_MERGE_LINKS_DROP[] =
    "DELETE FROM assess_invitations WHERE organisation_id = $1 AND round_id IN "
    "(SELECT round_id FROM assess_invitations WHERE organisation_id = $2)";
const char SQL_ORG_MERGE_LINKS[] =
    "UPDATE assess_invitations SET organisation_id = $2 WHERE organisation_id = $1";
const char SQL_ORG_MERGE_RESPONSES[] =
    "UPDATE assess_responses SET organisation_id = $2 WHERE organisation_id = $1";
const char SQL_ORG_MERGE_ROUNDS[] =
    "UPDATE assess_rounds SET organisation_id = $2 WHERE organisation_id = $1";
const char SQL_ORG_MERGE_USERS[] =
    "UPDATE users SET organisation_id = $2, updated_at = $3 WHERE organisation_id = $1";
const char SQL_ORG_TOUCH[] = "UPDATE organisations SET updated_at = $2 WHERE id = $1";
const char SQL_ORG_DELETE[] = "DELETE FROM organisations WHERE id = $1";

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

/* ---- data rights: the member's copy and account deletion (rights.c, rights_account.c) ----
 * Served by users' primary key, sessions_user, api_tokens_user and the audit_log_actor and
 * audit_log_subject indexes (migrations/0019_rights.sql). Scrubbing an email from audit text
 * anywhere reads the whole log: an account is deleted rarely, and the email may be in an
 * entry the member is not linked to. */
const char SQL_RIGHTS_USER[] =
    "SELECT u.id, u.email, u.display_name, u.role, u.profession, u.region, "
    "COALESCE(o.name, ''), COALESCE(o.region, ''), u.created_at, u.updated_at "
    "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1";
const char SQL_RIGHTS_SESSIONS[] =
    "SELECT created_at, last_seen, expires_at FROM sessions WHERE user_id = $1 "
    "ORDER BY created_at, id";
const char SQL_RIGHTS_TOKENS[] =
    "SELECT name, prefix, created_at, last_used, revoked_at FROM api_tokens WHERE user_id = $1 "
    "ORDER BY created_at, id";
/* Other people in an entry are "another user": their names are theirs to ask for. */
const char SQL_RIGHTS_AUDIT[] =
    "SELECT at, event, "
    "CASE WHEN actor_id = $1 THEN 'you' WHEN actor_id IS NULL THEN '' ELSE 'another user' END, "
    "CASE WHEN subject_id = $1 THEN 'you' WHEN subject_id IS NULL THEN '' ELSE 'another user' "
    "END, detail FROM audit_log WHERE actor_id = $1 OR subject_id = $1 ORDER BY at, id";
/* Taking the admins' row locks first makes two admins deleting themselves at once queue on
 * PostgreSQL, so the second counts after the first has gone (SQLite's write lock does so). */
/* account_admin_hold: the actor, after the admins' rows are locked */
const char SQL_ADMIN_STILL[] =
    "SELECT COUNT(*) FROM users WHERE id = $1 AND role = 'admin' AND deactivated_at = 0";
const char SQL_RIGHTS_LOCK_ADMINS[] = "UPDATE users SET updated_at = updated_at WHERE role = 'admin'";
/* Only admins who can log in count: a deactivated one administers nothing. */
const char SQL_RIGHTS_ADMINS[] =
    "SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at = 0";
const char SQL_RIGHTS_SESSIONS_DELETE[] = "DELETE FROM sessions WHERE user_id = $1";
const char SQL_RIGHTS_TOKENS_DELETE[] = "DELETE FROM api_tokens WHERE user_id = $1";
const char SQL_RIGHTS_AUDIT_SCRUB_EMAIL[] =
    "UPDATE audit_log SET detail = replace(detail, $2, 'a deleted user') "
    "WHERE actor_id = $1 OR subject_id = $1 OR detail LIKE '%' || $2 || '%'";
/* A name can be a common word: it is taken out only where the entry is about the member. */
const char SQL_RIGHTS_AUDIT_SCRUB_NAME[] =
    "UPDATE audit_log SET detail = replace(detail, $2, 'a deleted user') "
    "WHERE (actor_id = $1 OR subject_id = $1) AND $2 <> ''";
const char SQL_RIGHTS_AUDIT_UNLINK_ACTOR[] =
    "UPDATE audit_log SET actor_id = NULL WHERE actor_id = $1";
const char SQL_RIGHTS_AUDIT_UNLINK_SUBJECT[] =
    "UPDATE audit_log SET subject_id = NULL WHERE subject_id = $1";
const char SQL_RIGHTS_USER_DELETE[] = "DELETE FROM users WHERE id = $1";
/* Sign-in with the organisation's account: the identities that sign in as the member, and
 * the domains they listed as an admin (kept, without the link). */
const char SQL_RIGHTS_IDENTITIES[] =
    "SELECT issuer, subject, created_at, last_used FROM oidc_identities WHERE user_id = $1 "
    "ORDER BY created_at, issuer, subject";
const char SQL_RIGHTS_IDENTITIES_DELETE[] = "DELETE FROM oidc_identities WHERE user_id = $1";
const char SQL_RIGHTS_DOMAINS_UNLINK[] =
    "UPDATE oidc_domains SET added_by = NULL WHERE added_by = $1";
/* Invitation and reset links sent to the member (never their tokens), and the links they
 * sent others as an admin (kept, without the link to them). */
const char SQL_RIGHTS_LINKS[] =
    "SELECT purpose, created_at, expires_at, used_at FROM account_links WHERE user_id = $1 "
    "ORDER BY created_at, id";
/* The cohorts a member is in; the rows go with the account (ON DELETE CASCADE). */
const char SQL_RIGHTS_COHORTS[] =
    "SELECT c.name, cm.added_at FROM cohort_members cm JOIN cohorts c ON c.id = cm.cohort_id "
    "WHERE cm.user_id = $1 ORDER BY cm.added_at, c.id";
const char SQL_RIGHTS_LINKS_DELETE[] = "DELETE FROM account_links WHERE user_id = $1";
const char SQL_RIGHTS_LINKS_UNLINK[] =
    "UPDATE account_links SET created_by = NULL WHERE created_by = $1";
/* ---- sign-in with the organisation's identity provider (oidc.c) ----
 * oidc_logins by key_hash (primary key) and expires_at (index); identities by (issuer,
 * subject) (primary key); domains by domain (primary key). */
const char SQL_OIDC_PENDING_INSERT[] =
    "INSERT INTO oidc_logins (key_hash, state, nonce, code_verifier, next_path, created_at, "
    "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const char SQL_OIDC_PENDING_PURGE[] = "DELETE FROM oidc_logins WHERE expires_at <= $1";
/* Reading and deleting in one statement: two callbacks racing with one cookie cannot both
 * get the row. */
const char SQL_OIDC_PENDING_TAKE[] =
    "DELETE FROM oidc_logins WHERE key_hash = $1 "
    "RETURNING state, nonce, code_verifier, next_path, expires_at";
const char SQL_OIDC_IDENTITY_USER[] =
    "SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2";
const char SQL_OIDC_IDENTITY_INSERT[] =
    "INSERT INTO oidc_identities (issuer, subject, user_id, created_at, last_used) "
    "VALUES ($1, $2, $3, $4, $4)";
const char SQL_OIDC_IDENTITY_TOUCH[] =
    "UPDATE oidc_identities SET last_used = $3 WHERE issuer = $1 AND subject = $2";
const char SQL_OIDC_DOMAIN_LISTED[] = "SELECT 1 FROM oidc_domains WHERE domain = $1";
const char SQL_OIDC_DOMAIN_LIST[] = "SELECT domain FROM oidc_domains ORDER BY domain";
const char SQL_OIDC_DOMAIN_INSERT[] =
    "INSERT INTO oidc_domains (domain, added_by, added_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (domain) DO NOTHING";
const char SQL_OIDC_DOMAIN_DELETE[] = "DELETE FROM oidc_domains WHERE domain = $1";
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
    "SELECT email, display_name, role, "
    "CASE WHEN password_hash = '' AND last_login_at = 0 THEN 1 ELSE 0 END, "
    "deactivated_at FROM users WHERE id = $1";

/* ---- cohorts (cohort.c) ---- */
#define COHORT_COLS                                                                            \
    "c.id, c.name, c.description, COALESCE(c.created_by, 0), c.created_at, c.updated_at, "   \
    "(SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id) "
const char SQL_COHORT_LIST[] = "SELECT " COHORT_COLS "FROM cohorts c ORDER BY lower(c.name), c.id";
const char SQL_COHORT_LIST_FOR[] =
    "SELECT " COHORT_COLS "FROM cohorts c JOIN cohort_members cm ON cm.cohort_id = c.id "
    "WHERE cm.user_id = $1 ORDER BY lower(c.name), c.id";
const char SQL_COHORT_GET[] = "SELECT " COHORT_COLS "FROM cohorts c WHERE c.id = $1";
const char SQL_COHORT_INSERT[] =
    "INSERT INTO cohorts (name, description, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $4) RETURNING id";
const char SQL_COHORT_UPDATE[] =
    "UPDATE cohorts SET name = $2, description = $3, updated_at = $4 WHERE id = $1";
const char SQL_COHORT_DELETE[] = "DELETE FROM cohorts WHERE id = $1";
const char SQL_COHORT_BY_NAME[] = "SELECT id FROM cohorts WHERE lower(name) = lower($1)";
const char SQL_COHORT_MEMBERS[] =
    "SELECT u.id, u.email, u.display_name, u.profession, u.region, "
    "COALESCE(u.organisation_id, 0), COALESCE(o.name, ''), cm.added_at "
    "FROM cohort_members cm JOIN users u ON u.id = cm.user_id "
    "LEFT JOIN organisations o ON o.id = u.organisation_id "
    "WHERE cm.cohort_id = $1 ORDER BY lower(u.display_name), u.id LIMIT $2 OFFSET $3";
const char SQL_COHORT_MEMBER_COUNT[] = "SELECT count(*) FROM cohort_members WHERE cohort_id = $1";
const char SQL_COHORT_MEMBER_IDS[] =
    "SELECT user_id FROM cohort_members WHERE cohort_id = $1 ORDER BY user_id";
/* Only an active account joins: a deactivated one is reported as unknown. */
const char SQL_COHORT_ADD_EMAIL[] =
    "INSERT INTO cohort_members (cohort_id, user_id, added_at) "
    "SELECT $1, id, $3 FROM users WHERE email = $2 AND deactivated_at = 0 "
    "ON CONFLICT (cohort_id, user_id) DO NOTHING";
const char SQL_COHORT_IS_MEMBER_EMAIL[] =
    "SELECT 1 FROM cohort_members cm JOIN users u ON u.id = cm.user_id "
    "WHERE cm.cohort_id = $1 AND u.email = $2";
const char SQL_COHORT_ADD[] =
    "INSERT INTO cohort_members (cohort_id, user_id, added_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (cohort_id, user_id) DO NOTHING";
const char SQL_COHORT_REMOVE[] = "DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2";
const char SQL_COHORT_TOUCH[] = "UPDATE cohorts SET updated_at = $2 WHERE id = $1";
/* The demo's cohort members: no password, so they cannot log in. */
const char SQL_COHORT_DEMO_USER[] =
    "INSERT INTO users (email, display_name, role, profession, region, organisation_id, "
    "password_hash, created_at, updated_at) VALUES ($1, $2, 'member', $3, $4, $5, '', $6, $6) "
    "ON CONFLICT (email) DO UPDATE SET email = excluded.email RETURNING id";
const char SQL_COHORT_DEMO_ORGS[] =
    "SELECT id, region FROM organisations WHERE ods_code LIKE 'DEMO%' ORDER BY ods_code";
