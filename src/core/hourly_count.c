/* hourly_count.c: counts per key in one-hour windows (hourly_count.h)
 *
 * An open-addressed table of SLOTS slots, probed PROBE deep from the key's hash: a key finds
 * its slot, or takes the probed slot whose window is oldest. One mutex around it all, since a
 * take is a few comparisons.
 */
#include "core/hourly_count.h"
#include "core/err.h"
#include "core/rand.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW   (60 * 60)
#define SLOTS    2048
#define PROBE    8
#define MAX_KEYS 4

struct slot {
    unsigned char id[16];
    int64_t window;
    int count;
};

struct hourly_count {
    pthread_mutex_t mu;
    unsigned char key[crypto_generichash_KEYBYTES];
    struct slot slots[SLOTS];
};

int hourly_count_new(struct hourly_count **out)
{
    struct hourly_count *h = calloc(1, sizeof *h);
    int rc;
    *out = NULL;
    if (!h)
        return APP_E_NOMEM;
    if ((rc = rand_bytes(h->key, sizeof h->key))) {
        free(h);
        return rc;
    }
    if (pthread_mutex_init(&h->mu, NULL)) {
        free(h);
        return APP_E_INTERNAL;
    }
    *out = h;
    return APP_OK;
}

void hourly_count_free(struct hourly_count *h)
{
    if (!h)
        return;
    pthread_mutex_destroy(&h->mu);
    sodium_memzero(h->key, sizeof h->key);
    free(h);
}

static void make_id(const struct hourly_count *h, const struct hourly_key *k, unsigned char id[16])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, h->key, sizeof h->key, 16);
    crypto_generichash_update(&st, (const unsigned char *)k->kind, strlen(k->kind) + 1);
    crypto_generichash_update(&st, k->data, k->len);
    crypto_generichash_final(&st, id, 16);
}

/* The slot counting id in the window starting at win, claimed if need be. Mutex held. */
static struct slot *find(struct hourly_count *h, const unsigned char id[16], int64_t win)
{
    size_t start = ((size_t)id[0] | (size_t)id[1] << 8) % SLOTS;
    struct slot *oldest = NULL;
    for (size_t i = 0; i < PROBE; i++) {
        struct slot *s = &h->slots[(start + i) % SLOTS];
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

int hourly_count_take(struct hourly_count *h, const struct hourly_key *keys, size_t n, int64_t now)
{
    unsigned char id[MAX_KEYS][16];
    struct slot *s[MAX_KEYS];
    int64_t win = now - now % WINDOW;
    int rc = APP_OK;
    if (n > MAX_KEYS)
        return APP_E_INVALID;
    for (size_t i = 0; i < n; i++)
        make_id(h, &keys[i], id[i]);
    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < n; i++)
        s[i] = find(h, id[i], win);
    for (size_t i = 0; i < n && rc == APP_OK; i++)
        if (s[i]->count >= keys[i].max)
            rc = APP_E_LIMIT;
    for (size_t i = 0; i < n && rc == APP_OK; i++)
        s[i]->count++;
    pthread_mutex_unlock(&h->mu);
    return rc;
}

void hourly_count_give(struct hourly_count *h, const struct hourly_key *keys, size_t n, int64_t now)
{
    unsigned char id[16];
    int64_t win = now - now % WINDOW;
    for (size_t i = 0; i < n && i < MAX_KEYS; i++) {
        size_t start;
        make_id(h, &keys[i], id);
        start = ((size_t)id[0] | (size_t)id[1] << 8) % SLOTS;
        pthread_mutex_lock(&h->mu);
        for (size_t j = 0; j < PROBE; j++) {
            struct slot *s = &h->slots[(start + j) % SLOTS];
            if (!memcmp(s->id, id, 16)) { /* a slot reused since, or a new hour: nothing */
                if (s->window == win && s->count > 0)
                    s->count--;
                break;
            }
        }
        pthread_mutex_unlock(&h->mu);
    }
}

int64_t hourly_count_wait(int64_t now)
{
    return WINDOW - now % WINDOW;
}
