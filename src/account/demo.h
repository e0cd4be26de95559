/* demo.h: demonstration accounts for `ahphub demo` */
#ifndef AHP_ACCOUNT_DEMO_H
#define AHP_ACCOUNT_DEMO_H

struct db;

#define DEMO_PASSWORD_LEN 24 /* "xxxxx-xxxxx-xxxxx-xxxxx" and NUL */

/* Creates the demo organisations and people that are missing: an admin, a facilitator and
 * members across the professions and regions. New accounts' passwords are appended to
 * logins_path (created 0600; NULL to skip). *created counts new accounts. */
int account_demo(struct db *db, const char *logins_path, int *created);
/* A random password that is easy to type (also used by `ahphub user add`). */
int demo_password(char out[DEMO_PASSWORD_LEN]);

#endif
