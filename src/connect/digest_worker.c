/* digest_worker.c: the thread in every server that sends the weekly group digest
 *
 * It looks at start and then hourly; the digest of a week goes out at the first look after
 * Monday 00:00 UTC. Several servers may each run one: connect_digest_send() writes one row
 * per member per week in the transaction that queues the mail, so nobody is sent a week
 * twice (digest.c). A server that was down on Monday sends the week's digests when it comes
 * back. `ahphub digest` runs the same once from the command line.
 */
#include "connect/group.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOOK_EVERY 3600 /* seconds */

struct connect_digest_worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    struct db *db;
    struct tpl_set *tpl;
    char base_url[300];
    unsigned char key[32];
};

static void *loop(void *arg)
{
    struct connect_digest_worker *w = arg;
    for (;;) {
        struct connect_digest_run r;
        struct timespec until;
        bool stop;
        int rc = connect_digest_send(w->db, w->tpl, w->base_url, w->key, (int64_t)time(NULL), &r);
        if (rc)
            log_error("msg=\"group digest\" err=%s", app_err_name(rc));
        else if (r.members)
            log_info("msg=\"group digests written\" members=%d mailed=%d", r.members, r.mailed);
        pthread_mutex_lock(&w->mu);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += LOOK_EVERY;
        while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
            ;
        stop = w->stop;
        pthread_mutex_unlock(&w->mu);
        if (stop)
            return NULL;
    }
}

int connect_digest_worker_start(const char *db_url, struct tpl_set *tpl, const char *base_url,
                                const unsigned char key[32], struct connect_digest_worker **out)
{
    struct connect_digest_worker *w = calloc(1, sizeof *w);
    int rc;
    *out = NULL;
    if (!w)
        return APP_E_NOMEM;
    if ((rc = db_open(db_url, &w->db))) {
        free(w);
        return rc;
    }
    w->tpl = tpl;
    snprintf(w->base_url, sizeof w->base_url, "%s", base_url ? base_url : "");
    memcpy(w->key, key, sizeof w->key);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, loop, w) != 0) {
        db_close(w->db);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return APP_E_NOMEM;
    }
    *out = w;
    return APP_OK;
}

void connect_digest_worker_stop(struct connect_digest_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    db_close(w->db);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    explicit_bzero(w->key, sizeof w->key);
    free(w);
}
