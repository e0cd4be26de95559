/* draft_limit.c: how many new 360° drafts a network client may start — in this process's
 * memory, per client, in one-hour windows
 *
 * Anyone holding a rater's link can save through it, and each browser that does keeps a draft
 * of its own (feedback.h, rule 9): a script that throws its cookie away each time would store
 * a new draft of up to two comments of FEEDBACK_TEXT_MAX characters with every save, until
 * the request closes. A cap per link cannot stop that without leaking: a link that refused a
 * new draft would tell the member, who holds every link, that someone (the rater) had taken
 * one of its places. So the count is per network client, across every link, and only a draft
 * that does not exist yet counts: a browser saving again on a link it has a draft on is never
 * refused, nor is anything already saved ever lost.
 *
 * What the count can still say: it is shared by everyone behind one address (a trust's
 * network, say). A member on the same network as a rater could start drafts of their own
 * until refused, and from a refusal sooner than FEEDBACK_DRAFTS_PER_HOUR learn that someone
 * there started a draft this hour, on some link of some request: never which link, nor
 * whether anything was submitted. The limit is kept well above what anyone answering needs,
 * so that this takes deliberate probing.
 *
 * As reset_limit.c does: clients are kept only as keyed hashes under a key made at start and
 * never stored, so nothing here reaches disk or log; each server process counts on its own
 * (behind a balancer of N, N times the limit); a full table reuses its oldest window. A guard
 * against floods, not an exact quota.
 */
#include "develop/feedback.h"
#include "core/err.h"
#include "core/rand.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW (60 * 60)
#define SLOTS  2048
#define PROBE  8

struct slot {
    unsigned char id[16];
    int64_t window;
    int count;
};

struct feedback_draft_limit {
    pthread_mutex_t mu;
    unsigned char key[crypto_generichash_KEYBYTES];
    struct slot slots[SLOTS];
};

int feedback_draft_limit_new(struct feedback_draft_limit **out)
{
    struct feedback_draft_limit *l = calloc(1, sizeof *l);
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

void feedback_draft_limit_free(struct feedback_draft_limit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mu);
    sodium_memzero(l->key, sizeof l->key);
    free(l);
}

/* The slot counting id in the window starting at win, claimed if need be. Mutex held. */
static struct slot *find(struct feedback_draft_limit *l, const unsigned char id[16], int64_t win)
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

int feedback_draft_limit_take(struct feedback_draft_limit *l, const unsigned char client[16],
                              int64_t now)
{
    unsigned char id[16];
    struct slot *s;
    int64_t win = now - now % WINDOW;
    int rc = APP_OK;
    crypto_generichash(id, sizeof id, client, 16, l->key, sizeof l->key);
    pthread_mutex_lock(&l->mu);
    s = find(l, id, win);
    if (s->count >= FEEDBACK_DRAFTS_PER_HOUR)
        rc = APP_E_LIMIT;
    else
        s->count++;
    pthread_mutex_unlock(&l->mu);
    return rc;
}

int64_t feedback_draft_limit_wait(int64_t now)
{
    return WINDOW - now % WINDOW;
}
