/* sender.c: the thread in every server that delivers the outbox
 *
 * Never twice. A message is sent only by the sender whose UPDATE moved it from 'queued' to
 * 'sending' (store.c's SQL_MAIL_CLAIM_*), committed before a byte goes to the SMTP server;
 * however many servers share the database, one claim wins. The claim has a deadline
 * (MAIL_CLAIM_SECS, far longer than a send may take): a message still 'sending' after it was
 * being sent when its server died, and whether it arrived cannot be known, so it is marked
 * failed (MAIL_ERR_STOPPED) and never sent again by itself; an admin can send a copy from
 * the outbox page. A message whose data went out but whose answer never came is treated the
 * same way (smtp.c's MAIL_UNKNOWN).
 *
 * Temporary failures are retried after 1, 5 and 30 minutes, then 2 and 12 hours; the sixth
 * failure is final. A permanent refusal (5xx to the recipient or the message) is final at
 * once. Every outcome, the server's answer or the error, is written on the message.
 *
 * The thread sleeps on a condition variable: mail_queue() in this process wakes it at once,
 * otherwise it looks every SLEEP_SECS (for messages queued by other servers, retries that
 * came due, and claims that expired). Tests call mail_sender_run_once() with their own
 * clock instead.
 */
#include "mail/mail.h"
#include "mail/smtp.h"
#include "mail/store.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLEEP_SECS  5
#define PURGE_EVERY 3600
#define RUN_MAX     100 /* messages per mail_sender_run_once(), so a stop is heard */

/* The wait after the nth failed attempt (n = 1 …). */
static const int64_t backoff[MAIL_MAX_ATTEMPTS - 1] = {60, 300, 1800, 7200, 43200};

struct mail_sender {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool wake;
    struct mail_stop stop;
    struct db *db;
    struct mail_smtp smtp;
    char from[320];
    char who[128];
};

static pthread_mutex_t current_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mail_sender *current;

void mail_sender_wake(void)
{
    pthread_mutex_lock(&current_mu);
    if (current) {
        pthread_mutex_lock(&current->mu);
        current->wake = true;
        pthread_cond_signal(&current->cv);
        pthread_mutex_unlock(&current->mu);
    }
    pthread_mutex_unlock(&current_mu);
}

/* A claimed message, its strings in the arena. */
struct claimed {
    struct mail_message m;
    int64_t id, attempts;
};

/* Claims the message due first. APP_E_NOTFOUND when none is due. */
static int claim(struct db *db, struct arena *a, const char *who, int64_t now, struct claimed *out)
{
    struct db_stmt *st = NULL;
    const char *sql = db_engine(db) == DB_POSTGRES ? SQL_MAIL_CLAIM_PG : SQL_MAIL_CLAIM_SQLITE;
    int rc;
    if ((rc = db_begin(db)))
        return rc;
    rc = db_row(db, sql, &st, "iti", now, who, now + MAIL_CLAIM_SECS);
    if (rc)
        goto done;
    out->id = db_col_int(st, 0);
    out->m.to = arena_strndup(a, db_col_text(st, 1), db_col_len(st, 1));
    out->m.subject = arena_strndup(a, db_col_text(st, 2), db_col_len(st, 2));
    out->m.text = arena_strndup(a, db_col_text(st, 3), db_col_len(st, 3));
    out->m.html = arena_strndup(a, db_col_text(st, 4), db_col_len(st, 4));
    out->m.message_key = arena_strndup(a, db_col_text(st, 5), db_col_len(st, 5));
    out->attempts = db_col_int(st, 6);
    out->m.date = now;
    if (!out->m.to || !out->m.subject || !out->m.text || !out->m.html || !out->m.message_key) {
        rc = APP_E_NOMEM;
        goto done;
    }
    db_finalize(st);
    st = NULL;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

/* How much of detail the log may have: the server's own words can name the recipient, and
 * the log holds no personal data (the message in the outbox keeps the whole answer). */
static int loggable(const char *detail)
{
    const char *said = strstr(detail, "; the server said");
    return said ? (int)(said - detail) : (int)strlen(detail);
}

/* Records what happened to a claimed message; counts it in r. */
static int finish(struct db *db, struct arena *a, const struct claimed *c, enum mail_outcome oc,
                  const char *detail, int64_t now, struct mail_run *r)
{
    int rc;
    switch (oc) {
    case MAIL_SENT:
        rc = db_run(db, SQL_MAIL_SENT, "iii", c->id, now, c->attempts);
        if (!rc) {
            /* delivered: its links are the recipient's now, not the outbox's (redact.c); a
             * failure here leaves them until the bodies are purged, and is only logged */
            const char *t = mail_redact_links(a, c->m.text), *h = mail_redact_links(a, c->m.html);
            if (!t || !h || db_run(db, SQL_MAIL_REDACT, "itt", c->id, t, h) ||
                db_run(db, SQL_MAIL_FORGET_RECIPIENT, "i", c->id))
                log_error("msg=\"could not take the links out of a sent mail\" id=%lld",
                          (long long)c->id);
        }
        r->sent++;
        log_info("msg=\"mail sent\" id=%lld attempt=%lld", (long long)c->id,
                 (long long)c->attempts);
        break;
    case MAIL_TEMPORARY:
        if (c->attempts < MAIL_MAX_ATTEMPTS) {
            rc = db_run(db, SQL_MAIL_RETRY, "iiti", c->id, now + backoff[c->attempts - 1], detail,
                        c->attempts);
            r->retried++;
            log_warn("msg=\"mail not sent; will try again\" id=%lld attempt=%lld in=%llds "
                     "error=\"%.*s\"",
                     (long long)c->id, (long long)c->attempts, (long long)backoff[c->attempts - 1],
                     loggable(detail), detail);
            break;
        }
        /* that was the last attempt */
        /* fall through */
    default:
        rc = db_run(db, SQL_MAIL_FAIL, "iti", c->id, detail, c->attempts);
        r->failed++;
        log_warn("msg=\"mail failed\" id=%lld attempt=%lld error=\"%.*s\"", (long long)c->id,
                 (long long)c->attempts, loggable(detail), detail);
        break;
    }
    return rc;
}

int mail_sender_run_once(struct db *db, const struct mail_smtp *smtp, const char *who, int64_t now,
                         struct mail_stop *stop, struct mail_run *out)
{
    struct mail_run r = {0, 0, 0, 0};
    int64_t clock = now;
    int rc = APP_OK;
    if (!smtp->url)
        goto done;
    rc = db_run(db, SQL_MAIL_EXPIRE, "it", clock ? clock : (int64_t)time(NULL), MAIL_ERR_STOPPED);
    if (rc)
        goto done;
    r.expired = (int)db_changes(db);
    if (r.expired)
        log_warn("msg=\"mail: claims expired; marked failed\" count=%d", r.expired);
    for (int i = 0; i < RUN_MAX && !mail_stop_requested(stop); i++) {
        struct arena *a = arena_new();
        struct claimed c;
        enum mail_outcome oc;
        char detail[MAIL_DETAIL_MAX];
        if (!a) {
            rc = APP_E_NOMEM;
            goto done;
        }
        now = clock ? clock : time(NULL);
        rc = claim(db, a, who, now, &c);
        if (rc) {
            arena_free(a);
            if (rc == APP_E_NOTFOUND)
                rc = APP_OK;
            goto done;
        }
        rc = mail_smtp_send(smtp, &c.m, stop, &oc, detail);
        if (rc == APP_E_NOMEM) {
            /* nothing went out: give the message back untouched */
            db_run(db, SQL_MAIL_RELEASE, "ii", c.id, c.attempts);
            arena_free(a);
            goto done;
        }
        if (oc == MAIL_TEMPORARY && mail_stop_requested(stop)) {
            rc = db_run(db, SQL_MAIL_RELEASE, "ii", c.id, c.attempts);
            arena_free(a);
            goto done;
        }
        rc = finish(db, a, &c, oc, detail, clock ? clock : time(NULL), &r);
        arena_free(a);
        if (rc)
            goto done;
    }
done:
    if (rc)
        log_error("msg=\"mail sender\" err=%s", app_err_name(rc));
    if (out)
        *out = r;
    return rc;
}

static void *loop(void *arg)
{
    struct mail_sender *s = arg;
    time_t last_purge = 0;
    for (;;) {
        struct mail_run r = {0, 0, 0, 0};
        bool more;
        if (time(NULL) - last_purge >= PURGE_EVERY) {
            int64_t n = 0;
            last_purge = time(NULL);
            if (mail_outbox_purge(s->db, last_purge, &n) == APP_OK && n)
                log_info("msg=\"mail: bodies of old sent messages cleared\" count=%lld",
                         (long long)n);
        }
        mail_sender_run_once(s->db, &s->smtp, s->who, 0, &s->stop, &r);
        more = r.sent + r.retried + r.failed >= RUN_MAX;
        pthread_mutex_lock(&s->mu);
        if (!more && !s->wake && !mail_stop_requested(&s->stop)) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += SLEEP_SECS;
            pthread_cond_timedwait(&s->cv, &s->mu, &until);
        }
        s->wake = false;
        pthread_mutex_unlock(&s->mu);
        if (mail_stop_requested(&s->stop))
            return NULL;
    }
}

int mail_sender_start(const struct app *app, struct mail_sender **out)
{
    struct mail_sender *s;
    char host[64] = "";
    int rc;
    *out = NULL;
    if (!app->cfg.smtp_url || !*app->cfg.smtp_url) {
        log_info("msg=\"mail is not sent: AHPHUB_SMTP_URL is not set; admins read the outbox "
                 "at /admin/mail\"");
        return APP_OK;
    }
    if (!(s = calloc(1, sizeof *s)))
        return APP_E_NOMEM;
    mail_smtp_from_config(&app->cfg, app->cfg.base_url, &s->smtp, s->from, sizeof s->from);
    gethostname(host, sizeof host - 1);
    snprintf(s->who, sizeof s->who, "%s:%ld", host, (long)getpid());
    if ((rc = mail_smtp_global_init())) {
        free(s);
        return rc;
    }
    rc = db_open(app->cfg.db_url, &s->db);
    if (rc) {
        mail_smtp_global_cleanup();
        free(s);
        return rc;
    }
    mail_stop_init(&s->stop);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, loop, s) != 0) {
        db_close(s->db);
        mail_stop_destroy(&s->stop);
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        mail_smtp_global_cleanup();
        free(s);
        return APP_E_NOMEM;
    }
    pthread_mutex_lock(&current_mu);
    current = s;
    pthread_mutex_unlock(&current_mu);
    log_info("msg=\"mail sender started\" from=%s", s->from);
    *out = s;
    return APP_OK;
}

void mail_sender_stop(struct mail_sender *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&current_mu);
    current = NULL;
    pthread_mutex_unlock(&current_mu);
    mail_stop_now(&s->stop); /* ends a send in progress at once */
    pthread_mutex_lock(&s->mu);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    db_close(s->db);
    mail_stop_destroy(&s->stop);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    mail_smtp_global_cleanup();
    free(s);
}
