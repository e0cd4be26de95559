/* worker.h: the background thread that runs queued analyses, so no page waits for one */
#ifndef AHP_LISTEN_WORKER_H
#define AHP_LISTEN_WORKER_H

struct listen_worker;

/* Starts the thread with its own database connection. Returns 0, APP_E_DB or APP_E_NOMEM. */
int listen_worker_start(const char *db_url, struct listen_worker **out);
/* Asks the thread to stop, waits for the analysis in hand to finish, and frees it. */
void listen_worker_stop(struct listen_worker *w);

#endif
