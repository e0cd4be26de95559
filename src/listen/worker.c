/* worker.c: a thread that runs queued analyses one after another
 *
 * Several servers may each run one: a run is claimed with a lease by an UPDATE that only one
 * of them can win (SQL_LA_CLAIM), so no analysis runs twice at once, and a run whose worker
 * stopped is taken over when its lease runs out (runs.c). When the queue is empty the thread
 * sleeps two seconds, or until it is told to stop. Every half minute it also queues an
 * analysis of each open exercise with enough new contributions or votes
 * (listen_analysis_enqueue_due), so what facilitators see keeps up without anyone asking.
 */
#include "listen/worker.h"
#include "listen/analysis.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

struct listen_worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    struct db *db;
};

#define DUE_EVERY 30 /* seconds between looks for exercises with new activity */

static void *loop(void *arg)
{
    struct listen_worker *w = arg;
    time_t last_due = 0;
    for (;;) {
        bool ran = false, stop;
        int rc, queued = 0;
        if (time(NULL) - last_due >= DUE_EVERY) {
            last_due = time(NULL);
            if ((rc = listen_analysis_enqueue_due(w->db, &queued)))
                log_error("msg=\"analysis worker\" err=%s", app_err_name(rc));
            else if (queued)
                log_info("msg=\"analyses queued on new activity\" count=%d", queued);
        }
        rc = listen_analysis_run_next(w->db, &ran);
        if (rc)
            log_error("msg=\"analysis worker\" err=%s", app_err_name(rc));
        pthread_mutex_lock(&w->mu);
        if (!ran && !w->stop) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 2;
            pthread_cond_timedwait(&w->cv, &w->mu, &until);
        }
        stop = w->stop;
        pthread_mutex_unlock(&w->mu);
        if (stop)
            return NULL;
    }
}

int listen_worker_start(const char *db_url, struct listen_worker **out)
{
    struct listen_worker *w = calloc(1, sizeof *w);
    int rc;
    *out = NULL;
    if (!w)
        return APP_E_NOMEM;
    rc = db_open(db_url, &w->db);
    if (rc) {
        free(w);
        return rc;
    }
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

void listen_worker_stop(struct listen_worker *w)
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
    free(w);
}
