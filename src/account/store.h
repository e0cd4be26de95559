/* store.h: the account module's SQL, private to src/account */
#ifndef AHP_ACCOUNT_STORE_H
#define AHP_ACCOUNT_STORE_H

extern const char SQL_USER_INSERT[];
extern const char SQL_USER_BY_ID[];
extern const char SQL_USER_BY_EMAIL[];
extern const char SQL_USER_LIST[];
extern const char SQL_USER_COUNT[];
extern const char SQL_USER_PROFILE[];
extern const char SQL_USER_PASSWORD[];
extern const char SQL_USER_HASH[];
extern const char SQL_USER_ROLE[];
extern const char SQL_USER_SET_ROLE[];
extern const char SQL_LOGIN_LOOKUP[];
extern const char SQL_ORG_LIST[], SQL_ORG_SEARCH[], SQL_ORG_SEARCH_COUNT[], SQL_ORG_GET[];
extern const char SQL_ORG_FIND[], SQL_ORG_CLASH[], SQL_ORG_INSERT[], SQL_ORG_UPDATE[];
extern const char SQL_ORG_ENSURE[], SQL_ORG_EXISTS[], SQL_MEMBER_DEFAULTS[];
extern const char SQL_ORG_MERGE_COUNTS[], SQL_ORG_MERGE_REGROUP[], SQL_ORG_MERGE_LINK_RESPONSES[];
extern const char SQL_ORG_MERGE_LINKS_DROP[], SQL_ORG_MERGE_LINKS[], SQL_ORG_MERGE_RESPONSES[];
extern const char SQL_ORG_MERGE_ROUNDS[], SQL_ORG_MERGE_USERS[], SQL_ORG_TOUCH[];
extern const char SQL_ORG_DELETE[];
/* cohorts */
extern const char SQL_COHORT_LIST[], SQL_COHORT_LIST_FOR[], SQL_COHORT_GET[], SQL_COHORT_INSERT[];
extern const char SQL_COHORT_UPDATE[], SQL_COHORT_DELETE[], SQL_COHORT_BY_NAME[];
extern const char SQL_COHORT_MEMBERS[], SQL_COHORT_MEMBER_COUNT[], SQL_COHORT_MEMBER_IDS[];
extern const char SQL_COHORT_ADD_EMAIL[], SQL_COHORT_IS_MEMBER_EMAIL[], SQL_COHORT_ADD[];
extern const char SQL_COHORT_REMOVE[], SQL_COHORT_TOUCH[], SQL_COHORT_DEMO_USER[];
extern const char SQL_COHORT_DEMO_ORGS[];
extern const char SQL_RIGHTS_COHORTS[];
extern const char SQL_SESSION_INSERT[];
extern const char SQL_SESSION_FIND[];
extern const char SQL_SESSION_TOUCH[];
extern const char SQL_SESSION_DELETE[];
extern const char SQL_SESSION_DELETE_OTHERS[];
extern const char SQL_SESSION_PURGE[];
extern const char SQL_TOKEN_INSERT[];
extern const char SQL_TOKEN_LIST[];
extern const char SQL_TOKEN_REVOKE[];
extern const char SQL_TOKEN_FIND[];
extern const char SQL_TOKEN_REVOKE_ALL[];
extern const char SQL_TOKEN_TOUCH[];
extern const char SQL_AUDIT_INSERT[];
extern const char SQL_AUDIT_LIST[];
extern const char SQL_AUDIT_COUNT[];
/* single-use links, invitations and deactivation */
extern const char SQL_USER_LOGGED_IN[], SQL_SESSION_USER_ACTIVE[];
extern const char SQL_LINK_KILL[];
extern const char SQL_LINK_KILL_ALL[];
extern const char SQL_LINK_INSERT[];
extern const char SQL_LINK_PURGE[];
extern const char SQL_LINK_FIND[];
extern const char SQL_LINK_USE[];
extern const char SQL_USER_DEACTIVATE[];
extern const char SQL_USER_REACTIVATE[];
extern const char SQL_SESSION_DELETE_ALL[];
extern const char SQL_FORGOT_SAVEPOINT[];
extern const char SQL_FORGOT_UNDO[];
extern const char SQL_FORGOT_KEEP[];
extern const char SQL_USER_NAME[];
extern const char SQL_USER_EMAIL_TAKEN[];
extern const char SQL_USER_INVITED[];

/* ---- data rights: the member's copy and account deletion (rights.c, rights_account.c) ---- */
extern const char SQL_RIGHTS_USER[], SQL_RIGHTS_SESSIONS[], SQL_RIGHTS_TOKENS[];
extern const char SQL_RIGHTS_AUDIT[], SQL_RIGHTS_LOCK_ADMINS[], SQL_RIGHTS_ADMINS[];
extern const char SQL_ADMIN_STILL[];
extern const char SQL_RIGHTS_SESSIONS_DELETE[], SQL_RIGHTS_TOKENS_DELETE[];
extern const char SQL_RIGHTS_AUDIT_SCRUB_EMAIL[], SQL_RIGHTS_AUDIT_SCRUB_NAME[];
extern const char SQL_RIGHTS_AUDIT_UNLINK_ACTOR[], SQL_RIGHTS_AUDIT_UNLINK_SUBJECT[];
extern const char SQL_RIGHTS_USER_DELETE[], SQL_RIGHTS_IDENTITIES[];
extern const char SQL_RIGHTS_IDENTITIES_DELETE[], SQL_RIGHTS_DOMAINS_UNLINK[];
extern const char SQL_RIGHTS_LINKS[], SQL_RIGHTS_LINKS_DELETE[], SQL_RIGHTS_LINKS_UNLINK[];
struct arena;
/* "%q%" for LIKE … ESCAPE '\', with LIKE's own wildcards in q escaped and ASCII letters
 * lower-cased for a case-blind match against lower(column); NULL when out of memory. */
char *account_like_pattern(struct arena *a, const char *q);
/* sign-in with the organisation's identity provider (oidc.c) */
extern const char SQL_OIDC_PENDING_INSERT[];
extern const char SQL_OIDC_PENDING_PURGE[];
extern const char SQL_OIDC_PENDING_TAKE[];
extern const char SQL_OIDC_IDENTITY_USER[];
extern const char SQL_OIDC_IDENTITY_INSERT[];
extern const char SQL_OIDC_IDENTITY_TOUCH[];
extern const char SQL_OIDC_DOMAIN_LISTED[];
extern const char SQL_OIDC_DOMAIN_LIST[];
extern const char SQL_OIDC_DOMAIN_INSERT[];
extern const char SQL_OIDC_DOMAIN_DELETE[];

#endif
