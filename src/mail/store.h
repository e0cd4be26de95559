/* store.h: the mail module's SQL, private to src/mail */
#ifndef AHP_MAIL_STORE_H
#define AHP_MAIL_STORE_H

extern const char SQL_MAIL_INSERT[];

#endif
