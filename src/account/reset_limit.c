/* reset_limit.c: how often password reset links may be asked for — per network client and
 * per email address, in this process's memory
 *
 * A request for a reset link costs nobody a password guess, so login_throttle (which counts
 * failures and locks, doubling) does not fit: here every request counts, in one-hour
 * windows. Per client it stops one machine from mailing links to many addresses; per address
 * it stops many machines from flooding one person's inbox. Both counts must be kept for
 * addresses that have no account too, or the limit itself would tell which addresses do —
 * which is why they live here and not in the database (account rows exist only for known
 * addresses). Addresses and clients are kept only as keyed hashes under a key made at start
 * and never stored, so nothing here reaches disk or log. Each server process counts on its
 * own (behind a balancer of N, N times the limit), and a full table reuses its oldest window:
 * a guard against floods, not an exact quota.
 */
#include "account/links.h"
#include "core/err.h"
#include "core/rand.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW      (60 * 60)
#define PER_CLIENT  10
#define PER_ADDRESS 3
#define SLOTS       2048
#define PROBE       8

struct slot {
    unsigned char id[16];
    int64_t window;
    int count;
};

struct reset_limit {
    pthread_mutex_t mu;
    unsigned char key[crypto_generichash_KEYBYTES];
    struct slot slots[SLOTS];
};

int reset_limit_new(struct reset_limit **out)
{
    struct reset_limit *l = calloc(1, sizeof *l);
    int rc;
    *out = NULL;
    if (!l)
        return APP_E_NOMEM;
    if ((rc = rand_bytes(l->key, sizeof l->key))) {
        free(l);
        return rc;
    }
    if (pthread_mutex_init(&l->mu, NULL)) {
        free(l);
        return APP_E_INTERNAL;
    }
    *out = l;
    return APP_OK;
}

void reset_limit_free(struct reset_limit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mu);
    sodium_memzero(l->key, sizeof l->key);
    free(l);
}

static void make_id(const struct reset_limit *l, const char *kind, const void *p, size_t n,
                    unsigned char id[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, l->key, sizeof l->key, 16);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_generichash_update(&st, p, n);
    crypto_generichash_final(&st, id, 16);
}

/* The slot counting id in the window starting at win, claimed if need be. Mutex held. */
static struct slot *find(struct reset_limit *l, const unsigned char id[16], int64_t win)
{
    size_t start = ((size_t)id[0] | (size_t)id[1] << 8) % SLOTS;
    struct slot *oldest = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct slot *s = &l->slots[(start + i) % SLOTS];
        if (!memcmp(s->id, id, 16)) {
            if (s->window != win) {
                s->window = win;
                s->count = 0;
            }
            return s;
        }
        if (!oldest || s->window < oldest->window)
            oldest = s;
    }
    memcpy(oldest->id, id, 16);
    oldest->window = win;
    oldest->count = 0;
    return oldest;
}

int reset_limit_take(struct reset_limit *l, const unsigned char client[16], const char *email,
                     int64_t now)
{
    unsigned char cid[16], aid[16];
    struct slot *c, *a;
    int64_t win = now - now % WINDOW;
    int rc = APP_OK;
    make_id(l, "client", client, 16, cid);
    make_id(l, "address", email, strlen(email), aid);
    pthread_mutex_lock(&l->mu);
    c = find(l, cid, win);
    a = find(l, aid, win);
    if (c->count >= PER_CLIENT || a->count >= PER_ADDRESS) {
        rc = APP_E_LIMIT;
    } else {
        c->count++;
        a->count++;
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}

int64_t reset_limit_wait(int64_t now)
{
    return WINDOW - now % WINDOW;
}
