/* throttle.c: login and password-check throttling per network client, in this process
 *
 * Failed password checks are counted per (network client, account name) pair and per
 * network client across all names, never per account alone. So:
 *   - the answer does not depend on whether the account exists: an unknown email is counted
 *     and throttled exactly like a known one, so throttling tells an attacker nothing;
 *   - a stranger cannot lock someone else out: the lock holds only for the address that
 *     failed, and the owner, from their own address, logs in as usual;
 *   - guessing gets slower: once a pair reaches max_fails failures it is locked for
 *     lock_secs, and each further failure doubles the lock (up to a day);
 *   - spraying many accounts from one address is stopped by the per-client count
 *     (CLIENT_FACTOR × max_fails failures, then lock_secs locked).
 * The address arrives only as req.client_key, a keyed hash made with a key this process
 * never stores; here it is hashed again with the name, and kept only in memory, so nothing
 * of it reaches disk or log (DESIGN §5). The cost: each server process counts on its own,
 * so behind a balancer of N processes an attacker gets N times the attempts, and a restart
 * forgets the counts; both still leave guessing at a few attempts a minute.
 *
 * An attempt is counted as a failure the moment it begins (login_throttle_try), under the
 * lock, and taken back when the password proves right (login_throttle_ok): counted only
 * after the slow password check, requests sent together would each have been let through
 * before any of them was counted, one more guess each per lock period.
 *
 * The table has a fixed number of slots; a new pair takes a quiet slot among a short probe
 * from its hash (see quiet()), else the least recently used one there, which a flood could
 * use to evict counts — bounded by the per-client limit.
 */
#include "account/account.h"
#include "core/err.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS         4096
#define PROBE         8
#define CLIENT_FACTOR 4
#define MAX_LOCK      (24 * 60 * 60)

struct entry {
    unsigned char id[16]; /* hash of client key (and name); all zero when free */
    int fails;
    int64_t last, locked_until;
};

struct login_throttle {
    pthread_mutex_t mu;
    struct entry slots[SLOTS];
};

int login_throttle_new(struct login_throttle **out)
{
    struct login_throttle *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t)
        return APP_E_NOMEM;
    if (pthread_mutex_init(&t->mu, NULL)) {
        free(t);
        return APP_E_INTERNAL;
    }
    *out = t;
    return APP_OK;
}

void login_throttle_free(struct login_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* The id of the pair (client, name), or of the client alone when name is NULL. */
static void make_id(const unsigned char client[16], const char *name, unsigned char id[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 16);
    crypto_generichash_update(&st, (const unsigned char *)(name ? "pair:" : "client:"),
                              name ? 5 : 7);
    crypto_generichash_update(&st, client, 16);
    if (name)
        crypto_generichash_update(&st, (const unsigned char *)name, strlen(name));
    crypto_generichash_final(&st, id, 16);
}

/* An entry is forgotten once unlocked and quiet for lock_secs after its last failure or the
 * end of its lock, whichever is later: counting from the failure alone would forget a pair
 * the moment its first lock ran out, and the doubling would never start. */
static bool quiet(const struct entry *e, const struct account_policy *pol, int64_t now)
{
    int64_t since = e->locked_until > e->last ? e->locked_until : e->last;
    return e->locked_until <= now && now - since >= pol->lock_secs;
}

/* The entry for id, claiming a slot when create is set (NULL when absent or not created).
 * Called with the mutex held. */
static struct entry *find(struct login_throttle *t, const struct account_policy *pol,
                          const unsigned char id[16], int64_t now, bool create)
{
    size_t start = ((size_t)id[0] | (size_t)id[1] << 8) % SLOTS;
    struct entry *victim = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct entry *e = &t->slots[(start + i) % SLOTS];
        if (!memcmp(e->id, id, 16)) {
            if (quiet(e, pol, now)) { /* forgotten: start counting afresh */
                e->fails = 0;
                e->locked_until = 0;
            }
            return e;
        }
        /* A lock in force is never given up to make room: a flood of new pairs would
         * otherwise erase it. */
        if (e->locked_until > now)
            continue;
        if (!victim || quiet(e, pol, now) > quiet(victim, pol, now) ||
            (quiet(e, pol, now) == quiet(victim, pol, now) && e->last < victim->last))
            victim = e;
    }
    if (!create || !victim)
        return NULL;
    memset(victim, 0, sizeof *victim);
    memcpy(victim->id, id, 16);
    victim->last = now;
    return victim;
}

/* One more failure on e, locking it once limit is reached: for a pair each failure past the
 * limit doubles the lock (up to MAX_LOCK); the client alone is locked for lock_secs. */
static void count(struct entry *e, const struct account_policy *pol, int limit, bool doubling,
                  int64_t now)
{
    e->fails++;
    e->last = now;
    if (e->fails >= limit) {
        int over = doubling ? e->fails - limit : 0;
        int64_t lock = (int64_t)pol->lock_secs << (over < 16 ? over : 16);
        e->locked_until = now + (lock < MAX_LOCK ? lock : MAX_LOCK);
    }
}

int login_throttle_try(struct login_throttle *t, const struct account_policy *pol,
                       const unsigned char client[16], const char *name, int64_t now)
{
    unsigned char pair[16], alone[16];
    struct entry *p, *c;
    int rc = APP_OK;
    make_id(client, name, pair);
    make_id(client, NULL, alone);
    pthread_mutex_lock(&t->mu);
    if (((p = find(t, pol, pair, now, false)) && p->locked_until > now) ||
        ((c = find(t, pol, alone, now, false)) && c->locked_until > now)) {
        rc = APP_E_LIMIT;
    } else {
        if ((p = find(t, pol, pair, now, true)))
            count(p, pol, pol->max_fails, true, now);
        if ((c = find(t, pol, alone, now, true)))
            count(c, pol, CLIENT_FACTOR * pol->max_fails, false, now);
    }
    pthread_mutex_unlock(&t->mu);
    return rc;
}

void login_throttle_ok(struct login_throttle *t, const struct account_policy *pol,
                       const unsigned char client[16], const char *name, int64_t now)
{
    unsigned char pair[16], alone[16];
    struct entry *e;
    make_id(client, name, pair);
    make_id(client, NULL, alone);
    pthread_mutex_lock(&t->mu);
    if ((e = find(t, pol, pair, now, false)))
        memset(e, 0, sizeof *e);
    /* the attempt was counted as a failure when it began: a right password takes it back */
    if ((e = find(t, pol, alone, now, false)) && e->fails > 0)
        e->fails--;
    pthread_mutex_unlock(&t->mu);
}

int64_t login_throttle_wait(struct login_throttle *t, const struct account_policy *pol,
                            const unsigned char client[16], const char *name, int64_t now)
{
    unsigned char pair[16], alone[16];
    struct entry *e;
    int64_t until = 0;
    make_id(client, name, pair);
    make_id(client, NULL, alone);
    pthread_mutex_lock(&t->mu);
    if ((e = find(t, pol, pair, now, false)) && e->locked_until > until)
        until = e->locked_until;
    if ((e = find(t, pol, alone, now, false)) && e->locked_until > until)
        until = e->locked_until;
    pthread_mutex_unlock(&t->mu);
    return until > now ? until - now : 0;
}
