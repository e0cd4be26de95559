/* store.h: the mail module's SQL, private to src/mail */
#ifndef AHP_MAIL_STORE_H
#define AHP_MAIL_STORE_H

extern const char SQL_MAIL_INSERT[], SQL_MAIL_WITHDRAW[], SQL_MAIL_PURGE_EXPIRED[];
extern const char SQL_MAIL_CLAIM_SQLITE[];
extern const char SQL_MAIL_CLAIM_PG[];
extern const char SQL_MAIL_SENT[], SQL_MAIL_REDACT[], SQL_MAIL_FORGET_RECIPIENT[];
extern const char SQL_MAIL_RETRY[];
extern const char SQL_MAIL_FAIL[];
extern const char SQL_MAIL_RELEASE[];
extern const char SQL_MAIL_EXPIRE[];
extern const char SQL_MAIL_PURGE[];
extern const char SQL_MAIL_PURGE_UNLISTED_FAILED[];
extern const char SQL_MAIL_LIST[];
extern const char SQL_MAIL_COUNT[];
extern const char SQL_MAIL_GET[];
extern const char SQL_MAIL_RESEND[];
/* data rights (rights.c) */
extern const char SQL_MAIL_RIGHTS_LIST[], SQL_MAIL_RIGHTS_DELETE[];

#endif
