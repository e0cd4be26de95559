/* store.h: the mail module's SQL, private to src/mail */
#ifndef AHP_MAIL_STORE_H
#define AHP_MAIL_STORE_H

extern const char SQL_MAIL_INSERT[];
/* data rights (rights.c) */
extern const char SQL_MAIL_RIGHTS_LIST[], SQL_MAIL_RIGHTS_DELETE[];

#endif
