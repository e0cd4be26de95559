/* ratelimit.c: per-network-client limits on posting, voting and flagging, in memory only
 *
 * The client's address arrives here only as a keyed hash (see req.client_key) and lives in
 * a fixed table of one-minute windows; nothing of it is ever written to disk or log. Each
 * server process counts on its own, so behind a balancer a client gets the limit once per
 * process — acceptable for a guard against floods; the per-participant limits, which are
 * counted in the database, hold across processes.
 */
#include "listen/listen.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096

struct slot {
    unsigned char key[16];
    char action[8];
    time_t window;
    int count;
};

static struct slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const unsigned char key[16], const char *action)
{
    size_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    for (; *action; action++)
        h = (h ^ (unsigned char)*action) * 16777619u;
    return h % SLOTS;
}

bool listen_rate_client(const unsigned char key[16], const char *action, int per_minute)
{
    time_t window = time(NULL) / 60;
    size_t i = slot_of(key, action);
    bool ok;
    pthread_mutex_lock(&lock);
    /* A slot belongs to whoever used it last this minute; a collision with another client
     * resets the count, which can only ever let a flood through early, never block an
     * innocent client. */
    if (table[i].window != window || memcmp(table[i].key, key, 16) != 0 ||
        strncmp(table[i].action, action, sizeof table[i].action) != 0) {
        memcpy(table[i].key, key, 16);
        snprintf(table[i].action, sizeof table[i].action, "%s", action);
        table[i].window = window;
        table[i].count = 0;
    }
    ok = table[i].count < per_minute;
    if (ok)
        table[i].count++;
    pthread_mutex_unlock(&lock);
    return ok;
}

void listen_rate_free(void)
{
    pthread_mutex_lock(&lock);
    memset(table, 0, sizeof table);
    pthread_mutex_unlock(&lock);
}
