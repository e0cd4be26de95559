/* password.c: argon2id via libsodium's crypto_pwhash_str
 *
 * The encoded hash carries its own parameters, so raising the cost later needs no migration:
 * old hashes keep verifying. The interactive limits (64 MiB, 2 passes) cost about a tenth of
 * a second here, which is also what makes guessing slow.
 *
 * Length alone let "password1234" through, so the policy also refuses a password that is a
 * common one (data/common-passwords.txt) or a keyboard run with digits or symbols added at
 * either end: those are the first guesses of anyone with a list.
 */
#include "web/password.h"
#include "core/embed.h"
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

#define COMMON_PASSWORDS "data/common-passwords.txt"

/* Letters in the order they sit on keyboards and in the alphabet; a run along one of them,
 * either way, is as guessable as a listed password. */
static const char *const runs[] = {
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz", "qwertzuiop", "azertyuiop",
};

static bool ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Letters and anything outside ASCII (other scripts' letters) count as the core. */
static bool core_byte(unsigned char c)
{
    return c >= 0x80 || ascii_letter(c);
}

static bool in_common_list(const char *w, size_t n)
{
    const struct embed_file *f = embed_find(COMMON_PASSWORDS);
    const char *p, *end;
    if (!f)
        return false;
    p = (const char *)f->data;
    end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t len = (size_t)(e - p);
        if (len && p[len - 1] == '\r')
            len--;
        if (len == n && p[0] != '#' && memcmp(p, w, n) == 0)
            return true;
        p = e + 1;
    }
    return false;
}

static bool keyboard_run(const char *w, size_t n)
{
    size_t i, j;
    char rev[32];
    for (i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        size_t rl = strlen(runs[i]);
        if (n > rl)
            continue;
        for (j = 0; j < rl; j++)
            rev[j] = runs[i][rl - 1 - j];
        rev[rl] = '\0';
        if (memmem(runs[i], rl, w, n) || memmem(rev, rl, w, n))
            return true;
    }
    return false;
}

const char *password_policy(const char *pw, size_t n, const char *email)
{
    size_t i, a, b;
    char core[64];
    if (utf8_count(pw, n) < 12)
        return "Password must be 12 characters or more";
    for (i = 1; i < n && pw[i] == pw[0]; i++)
        ;
    if (i == n)
        return "Password must not be one character repeated";
    if (email && strlen(email) == n && strncasecmp(pw, email, n) == 0)
        return "Password must not be your email address";
    /* What is left once digits and symbols are taken off both ends, lower-cased. */
    for (a = 0; a < n && !core_byte((unsigned char)pw[a]); a++)
        ;
    for (b = n; b > a && !core_byte((unsigned char)pw[b - 1]); b--)
        ;
    if (utf8_count(pw + a, b - a) < 4)
        return "Choose a password that is harder to guess: use words, not mostly numbers and "
               "symbols";
    if (b - a < sizeof core) {
        for (i = a; i < b; i++)
            core[i - a] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ? pw[i] + 32 : pw[i]);
        if (in_common_list(core, b - a) || keyboard_run(core, b - a))
            return "Choose a password that is harder to guess: this one is among the most "
                   "common passwords";
    }
    return NULL;
}
