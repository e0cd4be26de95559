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
extern const char SQL_ORG_LIST[];
extern const char SQL_ORG_INSERT[];
extern const char SQL_ORG_BY_NAME[];
extern const char SQL_ORG_EXISTS[];
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
extern const char SQL_USER_LOGGED_IN[];
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

#endif
