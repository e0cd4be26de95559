/* password.c: argon2id via libsodium's crypto_pwhash_str
 *
 * The encoded hash carries its own parameters, so raising the cost later needs no migration:
 * old hashes keep verifying. The interactive limits (64 MiB, 2 passes) cost about a tenth of
 * a second here, which is also what makes guessing slow.
 */
#include "web/password.h"
#include "core/err.h"
#include "core/str.h"

#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

static atomic_int test_cost;

void password_use_test_cost(void)
{
    atomic_store(&test_cost, 1);
}

static void limits(unsigned long long *ops, size_t *mem)
{
    if (atomic_load(&test_cost)) {
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
    } else {
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

int password_hash(const char *pw, size_t n, char out[PASSWORD_HASH_MAX])
{
    unsigned long long ops;
    size_t mem;
    _Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    limits(&ops, &mem);
    if (crypto_pwhash_str_alg(out, pw, n, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return APP_E_NOMEM;
    return APP_OK;
}

bool password_verify(const char *hash, const char *pw, size_t n)
{
    return crypto_pwhash_str_verify(hash, pw, n) == 0;
}

void password_burn(const char *pw, size_t n)
{
    static char dummy[PASSWORD_HASH_MAX];
    static atomic_int ready;
    /* Made once, with the current cost; racing threads make equivalent hashes. */
    if (!atomic_load(&ready)) {
        char h[PASSWORD_HASH_MAX];
        if (password_hash("not a real password", 19, h) == 0) {
            memcpy(dummy, h, sizeof dummy);
            atomic_store(&ready, 1);
        }
    }
    if (atomic_load(&ready))
        (void)password_verify(dummy, pw, n);
}

const char *password_policy(const char *pw, size_t n, const char *email)
{
    size_t i;
    if (utf8_count(pw, n) < 12)
        return "Password must be 12 characters or more";
    for (i = 1; i < n && pw[i] == pw[0]; i++)
        ;
    if (i == n)
        return "Password must not be one character repeated";
    if (email && strlen(email) == n && strncasecmp(pw, email, n) == 0)
        return "Password must not be your email address";
    return NULL;
}
