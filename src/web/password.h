/* password.h: argon2id password hashing (libsodium) and the password policy */
#ifndef AHP_PASSWORD_H
#define AHP_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* Encoded argon2id hashes ("$argon2id$v=19$m=…") fit in this many bytes with the NUL. */
#define PASSWORD_HASH_MAX 128

/* Hashes pw into out (PASSWORD_HASH_MAX bytes). Returns 0, APP_E_NOMEM (argon2 could not
 * get its memory) or APP_E_INTERNAL. */
int password_hash(const char *pw, size_t n, char out[PASSWORD_HASH_MAX]);
/* True when pw matches the encoded hash. Takes the same time for a wrong password. */
bool password_verify(const char *hash, const char *pw, size_t n);
/* Verifies against a fixed hash, so unknown accounts cost as much as known ones. */
void password_burn(const char *pw, size_t n);
/* The policy, as the message to show, or NULL when pw is acceptable: at least 12
 * characters, not all one character, not the email address, and, once digits and symbols
 * are stripped from both ends and it is lower-cased, 4 characters or more and neither a
 * common password (data/common-passwords.txt) nor a keyboard or alphabet run. */
const char *password_policy(const char *pw, size_t n, const char *email);
/* Tests only: the cheapest argon2id settings, so suites that log in hundreds of times stay
 * fast. Hashes made this way still verify normally. */
void password_use_test_cost(void);

#endif
