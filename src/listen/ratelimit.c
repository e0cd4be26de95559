/* ratelimit.c: limits on posting, voting and flagging — per participant in the database,
 * per network client in memory
 *
 * Per participant: counters on the participant's row (migrations/0011_listen_rate.sql),
 * taken by listen_rate_take() inside the transaction that writes the action. The check and
 * the count are one UPDATE, which also holds the participant's row lock until the action
 * commits, so concurrent requests of one participant, on any connection of any server,
 * queue and the limit is never overshot; an action that fails rolls its count back. The
 * window opens at the participant's first action and lasts a minute, so within any window
 * the limit holds exactly; across the end of one and the start of the next up to twice the
 * limit can pass in a short time, which is what a fixed window costs for needing no table
 * of events to keep and prune.
 *
 * Per network client: the client's address arrives here only as a keyed hash (see
 * req.client_key) and lives in a fixed table of one-minute windows; nothing of it is ever
 * written to disk or log. Each server process counts on its own, so behind a balancer a
 * client gets the limit once per process — acceptable for a guard against floods.
 */
#include "listen/listen.h"
#include "listen/store.h"
#include "core/err.h"
#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW 60 /* seconds */
#define SLOTS  4096

int listen_rate_take(struct db *db, int64_t participant, const char *action, int per_minute,
                     int64_t now)
{
    struct db_stmt *st = NULL;
    int rc;
    if (per_minute <= 0)
        return APP_OK;
    /* Outside a transaction the count would commit before the action and could not be
     * rolled back with it, and nothing would hold the row lock while the action runs. */
    if (!db_in_tx(db))
        return APP_E_INTERNAL;
    rc = db_run(db, SQL_LPT_RATE, "iitii", participant, now - WINDOW, action, now,
                (int64_t)per_minute);
    if (rc || db_changes(db) == 1)
        return rc;
    /* No row changed: over the limit, or no such participant. */
    rc = db_row(db, SQL_LPT_EXISTS, &st, "i", participant);
    db_finalize(st);
    return rc == APP_OK ? APP_E_LIMIT : rc;
}

struct slot {
    unsigned char key[16];
    char action[8];
    time_t window;
    int count;
};

struct listen_client_limits {
    pthread_mutex_t lock;
    struct slot table[SLOTS];
};

int listen_client_limits_new(struct listen_client_limits **out)
{
    struct listen_client_limits *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l)
        return APP_E_NOMEM;
    if (pthread_mutex_init(&l->lock, NULL) != 0) {
        free(l);
        return APP_E_NOMEM;
    }
    *out = l;
    return APP_OK;
}

void listen_client_limits_free(struct listen_client_limits *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static size_t slot_of(const unsigned char key[16], const char *action)
{
    size_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    for (; *action; action++)
        h = (h ^ (unsigned char)*action) * 16777619u;
    return h % SLOTS;
}

bool listen_rate_client(struct listen_client_limits *l, const unsigned char key[16],
                        const char *action, int per_minute)
{
    time_t window = time(NULL) / WINDOW;
    size_t i = slot_of(key, action);
    struct slot *s = &l->table[i];
    bool ok;
    pthread_mutex_lock(&l->lock);
    /* A slot belongs to whoever used it last this minute; a collision with another client
     * resets the count, which can only ever let a flood through early, never block an
     * innocent client. */
    if (s->window != window || memcmp(s->key, key, 16) != 0 ||
        strncmp(s->action, action, sizeof s->action) != 0) {
        memcpy(s->key, key, 16);
        snprintf(s->action, sizeof s->action, "%s", action);
        s->window = window;
        s->count = 0;
    }
    ok = s->count < per_minute;
    if (ok)
        s->count++;
    pthread_mutex_unlock(&l->lock);
    return ok;
}
