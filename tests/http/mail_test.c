/* mail_test.c: the outbox and its sender — queueing, delivery through a real SMTP server on
 * loopback (tests/support/smtp_server.py), retries, rejection, authentication, two senders at
 * once, the admin's outbox pages and `ahphub mail test`
 *
 * Runs on whichever database AHPHUB_TEST_DB names (tests/run.sh runs it on SQLite and on a
 * throw-away PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "app.h"
#include "core/buf.h"
#include "core/err.h"
#include "mail/mail.h"
#include "mail/smtp.h"
#include "mail/store.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";
static char tmpdir[] = "/tmp/ahphub-mail-XXXXXX";

/* ---- the SMTP server (tests/support/smtp_server.py) ---------------------------------------- */

static pid_t live[16];
static int nlive;

struct smtpd {
    pid_t pid;
    int port;
    char dir[PATH_MAX];
    char url[64];
};

/* Starts the server on port (0: any free one) with the extra arguments (NULL-terminated),
 * writing messages to a fresh directory; returns once it answers. */
static void smtpd_start(struct smtpd *d, int port, const char *const *extra)
{
    static int nth;
    const char *argv[24];
    char portarg[16], line[64];
    int fds[2], n = 0;
    size_t got = 0;
    snprintf(d->dir, sizeof d->dir, "%s/smtp%d", tmpdir, ++nth);
    snprintf(portarg, sizeof portarg, "%d", port);
    argv[n++] = "/usr/bin/python3";
    argv[n++] = "tests/support/smtp_server.py";
    argv[n++] = "--dir";
    argv[n++] = d->dir;
    argv[n++] = "--port";
    argv[n++] = portarg;
    while (extra && *extra && n < 22)
        argv[n++] = *extra++;
    argv[n] = NULL;
    assert_true(nlive < 16);
    assert_int_equal(pipe(fds), 0);
    d->pid = fork();
    assert_true(d->pid >= 0);
    if (d->pid == 0) {
        char log[PATH_MAX + 8];
        int lfd;
        /* dies with the test, whatever ends it */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        snprintf(log, sizeof log, "%s.log", d->dir);
        lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fds[1], STDOUT_FILENO);
        if (lfd >= 0)
            dup2(lfd, STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    live[nlive++] = d->pid;
    /* "port N" once it answers; 20 seconds is plenty even on a loaded machine */
    while (got < sizeof line - 1) {
        struct pollfd pf = {fds[0], POLLIN, 0};
        ssize_t r;
        if (poll(&pf, 1, 20000) <= 0)
            break;
        r = read(fds[0], line + got, 1);
        if (r <= 0 || line[got] == '\n')
            break;
        got++;
    }
    line[got] = '\0';
    close(fds[0]);
    if (sscanf(line, "port %d", &d->port) != 1)
        fail_msg("the SMTP server did not start (said \"%s\"); is python3-aiosmtpd installed?",
                 line);
    snprintf(d->url, sizeof d->url, "smtp://127.0.0.1:%d", d->port);
}

static void smtpd_stop(struct smtpd *d)
{
    int st;
    if (d->pid <= 0)
        return;
    kill(d->pid, SIGTERM);
    waitpid(d->pid, &st, 0);
    for (int i = 0; i < nlive; i++)
        if (live[i] == d->pid)
            live[i] = live[--nlive];
    d->pid = 0;
}

/* Servers a failed test left running (a failed assertion leaves the test at once). */
static void smtpd_stop_all(void)
{
    while (nlive > 0) {
        struct smtpd d = {.pid = live[nlive - 1]};
        smtpd_stop(&d);
    }
}

/* How many messages the server has written. */
static int smtpd_count(const struct smtpd *d)
{
    DIR *dir = opendir(d->dir);
    struct dirent *e;
    int n = 0;
    if (!dir)
        return 0;
    while ((e = readdir(dir)))
        if (strstr(e->d_name, ".eml") && !strstr(e->d_name, ".part"))
            n++;
    closedir(dir);
    return n;
}

/* The nth message received (1-based), malloc'd; NULL when there is none. */
static char *smtpd_message(const struct smtpd *d, int nth)
{
    char path[PATH_MAX + 32], *data;
    FILE *f;
    long len;
    snprintf(path, sizeof path, "%s/%06d.eml", d->dir, nth);
    if (!(f = fopen(path, "rb")))
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = calloc(1, (size_t)len + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return data;
}

/* ---- the outbox ------------------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(tmpdir));
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "member@example.test", "member", PW);
    assert_int_equal(mail_smtp_global_init(), APP_OK);
    return 0;
}

static int teardown(void **state)
{
    char cmd[PATH_MAX + 16];
    (void)state;
    smtpd_stop_all();
    mail_smtp_global_cleanup();
    testapp_free(app);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void sql(const char *text)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_exec(db, text), APP_OK);
    db_pool_put(app->pool, db);
}

/* An integer column of message id. */
static int64_t outbox_int(int64_t id, const char *col)
{
    char q[160];
    char arg[24];
    snprintf(q, sizeof q, "SELECT %s FROM mail_outbox WHERE id = CAST($1 AS BIGINT)", col);
    snprintf(arg, sizeof arg, "%lld", (long long)id);
    return testapp_int(app, q, arg);
}

static struct mail_smtp smtp_to(const char *url)
{
    struct mail_smtp s = {url, NULL, NULL, "hub@example.test", false, 10};
    return s;
}

/* One run of the sender on its own connection, at time now. */
static struct mail_run run_at(const struct mail_smtp *s, int64_t now)
{
    struct db *db = db_pool_get(app->pool);
    struct mail_run r;
    assert_int_equal(mail_sender_run_once(db, s, "test", now, NULL, &r), APP_OK);
    db_pool_put(app->pool, db);
    return r;
}

/* The key admins know message id by (outbox_pages.c): one of four buffers, in turn. */
static const char *key_of(int64_t id)
{
    static char keys[4][40];
    static int next;
    char *k = keys[next++ % 4];
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    assert_int_equal(db_row(db, "SELECT message_key FROM mail_outbox WHERE id = $1", &st, "i", id),
                     APP_OK);
    snprintf(k, 40, "%s", db_col_text(st, 0));
    db_finalize(st);
    db_pool_put(app->pool, db);
    return k;
}

/* Reads one text column of message id into out. */
static void outbox_text(int64_t id, const char *col, struct buf *out)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT %s FROM mail_outbox WHERE id = $1", col);
    assert_int_equal(db_row(db, sql, &st, "i", id), APP_OK);
    buf_append(out, db_col_text(st, 0), db_col_len(st, 0));
    buf_putc(out, '\0');
    db_finalize(st);
    db_pool_put(app->pool, db);
}

static int64_t queue_test(const char *to, const char *who)
{
    struct db *db = db_pool_get(app->pool);
    json_t *m = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "subject", "Test message", "to", who,
                          "when", "6 December 2026", "button", "url",
                          "https://hub.example.test/a?b=1&c=2", "text", "Open AHP Hub");
    int64_t id = 0;
    assert_int_equal(mail_queue(db, app->tpl, to, "test", m, &id), APP_OK);
    json_decref(m);
    db_pool_put(app->pool, db);
    assert_true(id > 0);
    return id;
}

/* The text part is plain text (nothing escaped), the HTML part is escaped and framed. */
static void test_queue_renders_both_parts(void **state)
{
    struct buf text = BUF_INIT, html = BUF_INIT, st = BUF_INIT;
    int64_t id;
    (void)state;
    id = queue_test("someone@example.test", "O'Brien & <Co>");
    outbox_text(id, "body_text", &text);
    outbox_text(id, "body_html", &html);
    outbox_text(id, "state", &st);
    assert_string_equal(st.data, "queued");
    assert_non_null(strstr(text.data, "sent to O'Brien & <Co> on"));
    assert_non_null(strstr(text.data, "Open AHP Hub:\nhttps://hub.example.test/a?b=1&c=2\n"));
    assert_non_null(strstr(text.data, "This message was sent by AHP Hub."));
    assert_null(strstr(text.data, "&amp;"));
    assert_non_null(strstr(html.data, "sent to O&#39;Brien &amp; &lt;Co&gt; on"));
    assert_non_null(strstr(html.data, "href=\"https://hub.example.test/a?b=1&amp;c=2\""));
    assert_non_null(strstr(html.data, "background-color:#005eb8"));
    assert_non_null(strstr(html.data, "<title>Test message</title>"));
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE kind = $1", "test"),
                     1);
    buf_free(&text);
    buf_free(&html);
    buf_free(&st);
}

/* Bad input is refused and nothing is queued. */
static void test_queue_refuses_bad_input(void **state)
{
    struct db *db = db_pool_get(app->pool);
    json_t *m = json_pack("{s:s}", "subject", "Hello"), *nosub = json_object(),
           *badsub = json_pack("{s:s}", "subject", "Hello\r\nBcc: x@evil.test");
    int64_t before = testapp_int(app, "SELECT count(*) FROM mail_outbox", NULL), id = 0;
    (void)state;
    assert_int_equal(mail_queue(db, app->tpl, "a@b.test\r\nRCPT TO:<x@evil.test>", "test", m, &id),
                     APP_E_INVALID);
    assert_int_equal(mail_queue(db, app->tpl, "no-at-sign", "test", m, &id), APP_E_INVALID);
    assert_int_equal(mail_queue(db, app->tpl, "a@b.test", "no_such_kind", m, &id), APP_E_NOTFOUND);
    assert_int_equal(mail_queue(db, app->tpl, "a@b.test", "../layout", m, &id), APP_E_NOTFOUND);
    assert_int_equal(mail_queue(db, app->tpl, "a@b.test", "test", nosub, &id), APP_E_INVALID);
    assert_int_equal(mail_queue(db, app->tpl, "a@b.test", "test", badsub, &id), APP_E_INVALID);
    assert_int_equal(id, 0);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox", NULL), before);
    json_decref(m);
    json_decref(nosub);
    json_decref(badsub);
    db_pool_put(app->pool, db);
}

/* Queued inside a transaction that rolls back, the message never existed. */
static void test_queue_joins_the_transaction(void **state)
{
    struct db *db = db_pool_get(app->pool);
    json_t *m = json_pack("{s:s, s:s, s:s}", "subject", "Rolled back", "to", "x", "when", "now");
    int64_t id = 0;
    (void)state;
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(mail_queue(db, app->tpl, "rb@example.test", "test", m, &id), APP_OK);
    assert_int_equal(db_rollback(db), APP_OK);
    db_pool_put(app->pool, db);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE recipient = $1",
                                 "rb@example.test"),
                     0);
    json_decref(m);
}

/* Queued, sent once: the server has the message with both parts and the right headers; the
 * outbox says sent, and when. A subject that is not ASCII arrives as RFC 2047 words. */
static void test_delivered(void **state)
{
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    char *msg, *p;
    int64_t id, id2, id3, t = (int64_t)time(NULL);
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    s = smtp_to(d.url);
    id = queue_test("someone@example.test", "Sam");
    {
        struct db *db = db_pool_get(app->pool);
        json_t *m = json_pack("{s:s, s:s, s:s}", "subject",
                              "Caf\u00e9 r\u00e9sum\u00e9 \u2013 a long subject that is over "
                              "thirty-nine bytes",
                              "to", "x", "when", "now");
        assert_int_equal(mail_queue(db, app->tpl, "other@example.test", "test", m, &id2), APP_OK);
        json_decref(m);
        db_pool_put(app->pool, db);
    }
    id3 = queue_test("resume.me@example.test", "Res");
    {
        /* the second stands for a 360° invitation and the third for an anonymous
         * assessment's link, which forget their addresses once delivered */
        char q[128];
        snprintf(q, sizeof q, "UPDATE mail_outbox SET kind = 'feedback_invite' WHERE id = %lld",
                 (long long)id2);
        sql(q);
        snprintf(q, sizeof q, "UPDATE mail_outbox SET kind = 'assess_resume' WHERE id = %lld",
                 (long long)id3);
        sql(q);
    }
    t = (int64_t)time(NULL); /* after queueing: due now */
    r = run_at(&s, t);
    assert_int_equal(r.sent, 3);
    assert_int_equal(outbox_int(id, "length(recipient)"), (int64_t)strlen("someone@example.test"));
    assert_int_equal(outbox_int(id2, "length(recipient)"), 0);
    assert_int_equal(outbox_int(id3, "length(recipient)"), 0);
    assert_int_equal(r.retried + r.failed, 0);
    assert_int_equal(smtpd_count(&d), 3);
    msg = smtpd_message(&d, 1);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "X-Envelope-From: hub@example.test\r\n"));
    assert_non_null(strstr(msg, "X-Envelope-To: someone@example.test\r\n"));
    assert_non_null(strstr(msg, "\r\nFrom: AHP Hub <hub@example.test>\r\n"));
    assert_non_null(strstr(msg, "\r\nTo: <someone@example.test>\r\n"));
    assert_non_null(strstr(msg, "\r\nSubject: Test message\r\n"));
    assert_non_null(strstr(msg, "\r\nDate: "));
    assert_non_null(strstr(msg, " +0000\r\n"));
    assert_non_null(strstr(msg, "\r\nMessage-ID: <"));
    assert_non_null(strstr(msg, "@example.test>\r\n"));
    assert_non_null(strcasestr(msg, "\r\nMIME-Version: 1.0\r\n"));
    assert_non_null(strstr(msg, "Content-Type: multipart/alternative; boundary="));
    p = strstr(msg, "Content-Type: text/plain; charset=utf-8");
    assert_non_null(p);
    assert_non_null(strstr(p, "Content-Type: text/html; charset=utf-8")); /* text first */
    assert_non_null(strstr(msg, "Open AHP Hub:\r\nhttps://hub.example.test/a?b=3D1&c=3D2\r\n"));
    assert_non_null(strstr(msg, "background-color:#005eb8"));
    free(msg);
    msg = smtpd_message(&d, 2);
    assert_non_null(msg);
    {
        /* the encoded words decode, joined, to the subject */
        struct buf subj = BUF_INIT;
        char *q = strstr(msg, "\r\nSubject: ");
        assert_non_null(q);
        q += 11;
        while (strncmp(q, "=?UTF-8?B?", 10) == 0) {
            char *e = strstr(q, "?=");
            unsigned char bin[64];
            size_t bl;
            assert_non_null(e);
            assert_int_equal(sodium_base642bin(bin, sizeof bin, q + 10, (size_t)(e - q - 10), NULL,
                                               &bl, NULL, sodium_base64_VARIANT_ORIGINAL),
                             0);
            buf_append(&subj, bin, bl);
            q = e + 2;
            if (!strncmp(q, "\r\n ", 3))
                q += 3;
        }
        assert_memory_equal(q, "\r\n", 2);
        buf_putc(&subj, '\0');
        assert_string_equal(subj.data, "Caf\u00e9 r\u00e9sum\u00e9 \u2013 a long subject that "
                                       "is over thirty-nine bytes");
        buf_free(&subj);
    }
    free(msg);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sent' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(id, "sent_at"), t);
    assert_int_equal(outbox_int(id, "attempts"), 1);
    assert_int_equal(outbox_int(id2, "CASE WHEN state = 'sent' THEN 1 ELSE 0 END"), 1);
    /* nothing is due any more: another run sends nothing */
    r = run_at(&s, t + 100000);
    assert_int_equal(r.sent, 0);
    assert_int_equal(smtpd_count(&d), 3);
    smtpd_stop(&d);
}

/* The server is down: the attempt fails, the message waits a minute and goes once the server
 * is back. */
static void test_server_down_then_retry(void **state)
{
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct buf err = BUF_INIT;
    int64_t id, t = (int64_t)time(NULL);
    int port;
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    port = d.port;
    smtpd_stop(&d); /* nothing listens on the port now */
    s = smtp_to(d.url);
    id = queue_test("later@example.test", "Sam");
    t = (int64_t)time(NULL); /* after queueing: due now */
    r = run_at(&s, t);
    assert_int_equal(r.retried, 1);
    assert_int_equal(r.sent + r.failed, 0);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'queued' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(id, "attempts"), 1);
    assert_int_equal(outbox_int(id, "next_attempt_at"), t + 60);
    outbox_text(id, "last_error", &err);
    assert_non_null(strstr(err.data, "onnect"));
    /* not due yet: not tried */
    r = run_at(&s, t + 59);
    assert_int_equal(r.sent + r.retried + r.failed, 0);
    assert_int_equal(outbox_int(id, "attempts"), 1);
    smtpd_start(&d, port, NULL);
    r = run_at(&s, t + 61);
    assert_int_equal(r.sent, 1);
    assert_int_equal(smtpd_count(&d), 1);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sent' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(id, "attempts"), 2);
    assert_int_equal(outbox_int(id, "sent_at"), t + 61);
    assert_int_equal(outbox_int(id, "CASE WHEN last_error = '' THEN 1 ELSE 0 END"), 1);
    smtpd_stop(&d);
    buf_free(&err);
}

/* 550 to the recipient fails the message at once; 451 is retried after 1, 5, 30 minutes, 2
 * and 12 hours, and the sixth failure is final. */
static void test_rejections(void **state)
{
    static const char *const args[] = {"--reject", "^nobody@", "--tempfail", "^busy@", NULL};
    static const int64_t waits[] = {60, 300, 1800, 7200, 43200};
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct buf err = BUF_INIT;
    int64_t bad, busy, t = (int64_t)time(NULL);
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, args);
    s = smtp_to(d.url);
    bad = queue_test("nobody@example.test", "Sam");
    busy = queue_test("busy@example.test", "Sam");
    t = (int64_t)time(NULL); /* after queueing: due now */
    r = run_at(&s, t);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.retried, 1);
    assert_int_equal(outbox_int(bad, "CASE WHEN state = 'failed' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(bad, "attempts"), 1);
    outbox_text(bad, "last_error", &err);
    assert_non_null(strstr(err.data, "550"));
    assert_non_null(strstr(err.data, "Recipient address rejected"));
    buf_reset(&err);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(outbox_int(busy, "CASE WHEN state = 'queued' THEN 1 ELSE 0 END"), 1);
        assert_int_equal(outbox_int(busy, "next_attempt_at"), t + waits[i]);
        t += waits[i];
        r = run_at(&s, t);
        assert_int_equal(r.retried + r.failed, 1);
    }
    assert_int_equal(outbox_int(busy, "CASE WHEN state = 'failed' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(busy, "attempts"), MAIL_MAX_ATTEMPTS);
    outbox_text(busy, "last_error", &err);
    assert_non_null(strstr(err.data, "451"));
    assert_int_equal(smtpd_count(&d), 0);
    smtpd_stop(&d);
    buf_free(&err);
}

/* A claim left 'sending' by a sender that died is not sent again: it is marked failed with
 * the unknown outcome said plainly. */
static void test_expired_claim_is_not_resent(void **state)
{
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct buf err = BUF_INIT;
    char q[200];
    int64_t id, t = (int64_t)time(NULL);
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    s = smtp_to(d.url);
    id = queue_test("limbo@example.test", "Sam");
    snprintf(q, sizeof q,
             "UPDATE mail_outbox SET state = 'sending', attempts = 1, claimed_by = 'gone:1', "
             "claim_until = %lld WHERE id = %lld",
             (long long)(t + 10), (long long)id);
    sql(q);
    /* still held: left alone */
    r = run_at(&s, t);
    assert_int_equal(r.expired + r.sent, 0);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sending' THEN 1 ELSE 0 END"), 1);
    r = run_at(&s, t + 11);
    assert_int_equal(r.expired, 1);
    assert_int_equal(r.sent, 0);
    assert_int_equal(smtpd_count(&d), 0);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'failed' THEN 1 ELSE 0 END"), 1);
    outbox_text(id, "last_error", &err);
    assert_string_equal(err.data, MAIL_ERR_STOPPED);
    smtpd_stop(&d);
    buf_free(&err);
}

struct racer {
    const struct mail_smtp *s;
    pthread_barrier_t *go;
    int sent;
    int rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct db *db;
    struct mail_run run;
    if (db_open(testapp_db_url(), &db)) {
        r->rc = APP_E_DB;
        return NULL;
    }
    pthread_barrier_wait(r->go);
    do {
        r->rc = mail_sender_run_once(db, r->s, "racer", 0, NULL, &run);
        r->sent += run.sent;
    } while (!r->rc && run.sent > 0);
    db_close(db);
    return NULL;
}

/* Two senders, each with its own connection, work through 50 messages at once: the server
 * receives each exactly once. */
static void test_two_senders_never_send_twice(void **state)
{
    enum { N = 50 };
    struct smtpd d;
    struct mail_smtp s;
    pthread_barrier_t go;
    pthread_t th[2];
    struct racer rs[2];
    int seen[N] = {0};
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    s = smtp_to(d.url);
    for (int i = 0; i < N; i++) {
        struct db *db = db_pool_get(app->pool);
        char subject[32];
        json_t *m;
        snprintf(subject, sizeof subject, "Race %d", i);
        m = json_pack("{s:s, s:s, s:s}", "subject", subject, "to", "x", "when", "now");
        assert_int_equal(mail_queue(db, app->tpl, "race@example.test", "test", m, NULL), APP_OK);
        json_decref(m);
        db_pool_put(app->pool, db);
    }
    pthread_barrier_init(&go, NULL, 2);
    for (int i = 0; i < 2; i++) {
        rs[i] = (struct racer){&s, &go, 0, 0};
        assert_int_equal(pthread_create(&th[i], NULL, race, &rs[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rs[i].rc, APP_OK);
    }
    pthread_barrier_destroy(&go);
    print_message("senders sent %d and %d\n", rs[0].sent, rs[1].sent);
    assert_int_equal(rs[0].sent + rs[1].sent, N);
    assert_int_equal(smtpd_count(&d), N);
    for (int k = 1; k <= N; k++) {
        char *msg = smtpd_message(&d, k), *p;
        int i;
        assert_non_null(msg);
        p = strstr(msg, "\r\nSubject: Race ");
        assert_non_null(p);
        i = atoi(p + 16);
        assert_true(i >= 0 && i < N);
        seen[i]++;
        free(msg);
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE state = 'sent'", NULL), N);
    smtpd_stop(&d);
}

/* With a login configured the server's AUTH is passed; a wrong password is recorded (and
 * retried: an operator can correct the setting); no login at all is refused too. */
static void test_authentication(void **state)
{
    static const char *const args[] = {"--user", "hub", "--password", "s3cret pass", NULL};
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct buf err = BUF_INIT;
    int64_t id, t = (int64_t)time(NULL);
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, args);
    s = smtp_to(d.url);
    s.user = "hub";
    s.password = "wrong";
    id = queue_test("auth@example.test", "Sam");
    t = (int64_t)time(NULL); /* after queueing: due now */
    r = run_at(&s, t);
    assert_int_equal(r.retried, 1);
    outbox_text(id, "last_error", &err);
    assert_non_null(strstr(err.data, "535"));
    assert_null(strstr(err.data, "wrong")); /* no secret in what is recorded */
    buf_reset(&err);
    s.user = NULL;
    r = run_at(&s, t + 60);
    assert_int_equal(r.retried, 1);
    outbox_text(id, "last_error", &err);
    assert_non_null(strstr(err.data, "530"));
    assert_int_equal(smtpd_count(&d), 0);
    s.user = "hub";
    s.password = "s3cret pass";
    r = run_at(&s, t + 60 + 300);
    assert_int_equal(r.sent, 1);
    assert_int_equal(smtpd_count(&d), 1);
    assert_int_equal(outbox_int(id, "attempts"), 3);
    smtpd_stop(&d);
    buf_free(&err);
}

/* Without an SMTP server nothing is sent and nothing changes: the outbox is the record. */
static void test_without_smtp_nothing_is_sent(void **state)
{
    struct mail_smtp s = smtp_to(NULL);
    struct mail_sender *sender = (struct mail_sender *)1;
    struct mail_run r;
    int64_t id;
    const char *url = app->cfg.smtp_url;
    (void)state;
    sql("DELETE FROM mail_outbox");
    id = queue_test("demo@example.test", "Sam");
    r = run_at(&s, (int64_t)time(NULL) + 100000);
    assert_int_equal(r.sent + r.retried + r.failed + r.expired, 0);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'queued' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(id, "attempts"), 0);
    app->cfg.smtp_url = NULL;
    assert_int_equal(mail_sender_start(app, &sender), APP_OK);
    assert_null(sender);
    app->cfg.smtp_url = url;
}

/* The thread: a message queued in this process is sent without waiting for the next round,
 * and stopping does not hang. */
static void test_sender_thread(void **state)
{
    struct smtpd d;
    struct mail_sender *sender = NULL;
    struct timespec t0, t1;
    const char *url = app->cfg.smtp_url, *from = app->cfg.mail_from;
    int64_t id;
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    app->cfg.smtp_url = d.url;
    app->cfg.mail_from = "thread@example.test";
    assert_int_equal(mail_sender_start(app, &sender), APP_OK);
    assert_non_null(sender);
    usleep(200 * 1000); /* the thread's first round has found nothing */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    id = queue_test("woken@example.test", "Sam");
    for (int i = 0; i < 400 && smtpd_count(&d) < 1; i++)
        usleep(10 * 1000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(smtpd_count(&d), 1);
    /* woken, not found by the 5-second round */
    assert_true(t1.tv_sec - t0.tv_sec < 3);
    for (int i = 0; i < 300 && outbox_int(id, "sent_at") == 0; i++)
        usleep(10 * 1000);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sent' THEN 1 ELSE 0 END"), 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mail_sender_stop(sender);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 3);
    app->cfg.smtp_url = url;
    app->cfg.mail_from = from;
    smtpd_stop(&d);
}

/* Stopping while the server never answers gives the message back untouched, promptly. */
static atomic_int silent_accepted;

static void *silent_server(void *arg)
{
    int *fd = arg, c;
    struct pollfd pf = {*fd, POLLIN, 0};
    if (poll(&pf, 1, 20000) <= 0) /* gives up if the sender never comes */
        return NULL;
    c = accept(*fd, NULL, NULL); /* accepts, then says nothing */
    if (c >= 0) {
        atomic_store(&silent_accepted, 1);
        sleep(5);
        close(c);
    }
    return NULL;
}

static void test_stop_mid_send(void **state)
{
    struct mail_sender *sender = NULL;
    struct sockaddr_in sa = {0};
    socklen_t sl = sizeof sa;
    pthread_t th;
    struct timespec t0, t1;
    char url[64];
    const char *saved = app->cfg.smtp_url;
    int64_t id;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    (void)state;
    sql("DELETE FROM mail_outbox");
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 4), 0);
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", ntohs(sa.sin_port));
    pthread_create(&th, NULL, silent_server, &fd);
    id = queue_test("stuck@example.test", "Sam");
    app->cfg.smtp_url = url;
    assert_int_equal(mail_sender_start(app, &sender), APP_OK);
    /* the sender has claimed the message and is waiting for the server's greeting */
    for (int i = 0; i < 1000 && !atomic_load(&silent_accepted); i++)
        usleep(10 * 1000);
    assert_true(atomic_load(&silent_accepted));
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sending' THEN 1 ELSE 0 END"), 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mail_sender_stop(sender);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 3);
    /* nothing went out: queued again, the attempt not counted */
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'queued' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(outbox_int(id, "attempts"), 0);
    app->cfg.smtp_url = saved;
    pthread_join(th, NULL);
    close(fd);
}

/* Sent messages lose their bodies after 30 days; others keep them. A message admins do not
 * see (a 360° invitation, an anonymous assessment's link) that failed for good loses its body
 * and its address at once: nobody can send it again. */
static void test_purge_old_bodies(void **state)
{
    char q[200];
    int64_t old, recent, waiting, gone, n = -1, t = (int64_t)time(NULL);
    struct db *db;
    (void)state;
    sql("DELETE FROM mail_outbox");
    old = queue_test("old@example.test", "Sam");
    recent = queue_test("recent@example.test", "Sam");
    waiting = queue_test("waiting@example.test", "Sam");
    gone = queue_test("gone@example.test", "Sam");
    snprintf(q, sizeof q,
             "UPDATE mail_outbox SET kind = 'assess_resume', state = 'failed' WHERE id = %lld",
             (long long)gone);
    sql(q);
    snprintf(q, sizeof q, "UPDATE mail_outbox SET state = 'sent', sent_at = %lld WHERE id = %lld",
             (long long)(t - MAIL_KEEP_SENT_SECS - 10), (long long)old);
    sql(q);
    snprintf(q, sizeof q, "UPDATE mail_outbox SET state = 'sent', sent_at = %lld WHERE id = %lld",
             (long long)(t - 3600), (long long)recent);
    sql(q);
    db = db_pool_get(app->pool);
    assert_int_equal(mail_outbox_purge(db, t, &n), APP_OK);
    db_pool_put(app->pool, db);
    assert_int_equal(n, 2);
    assert_int_equal(outbox_int(old, "length(body_text) + length(body_html)"), 0);
    assert_int_equal(outbox_int(old, "bodies_purged_at"), t);
    assert_true(outbox_int(old, "length(recipient)") > 0);
    assert_int_equal(outbox_int(gone, "length(body_text) + length(body_html)"), 0);
    assert_int_equal(outbox_int(gone, "length(recipient)"), 0);
    assert_true(outbox_int(recent, "length(body_text)") > 0);
    assert_true(outbox_int(waiting, "length(body_html)") > 0);
}

/* Mail about something that ends (mail_queue_about): once its time has passed, the purge
 * deletes it while it waits or has failed (its sender never reached the server), and leaves
 * what was sent (already without its address and links) and what is still current;
 * mail_withdraw deletes a topic's mail in any state at once. */
static void test_mail_about_what_ends(void **state)
{
    struct db *db;
    json_t *m = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "subject", "Test message", "to", "Sam",
                          "when", "6 December 2026", "button", "url", "https://hub.example.test/",
                          "text", "Open AHP Hub");
    int64_t due, failed, sent, later, plain, n = -1, t = (int64_t)time(NULL);
    char q[160];
    (void)state;
    sql("DELETE FROM mail_outbox");
    db = db_pool_get(app->pool);
    assert_int_equal(mail_queue_about(db, app->tpl, "due@example.test", "test", "thing:1", t - 1,
                                      m, &due),
                     APP_OK);
    assert_int_equal(mail_queue_about(db, app->tpl, "failed@example.test", "test", "thing:1",
                                      t - 1, m, &failed),
                     APP_OK);
    assert_int_equal(mail_queue_about(db, app->tpl, "sent@example.test", "test", "thing:1", t - 1,
                                      m, &sent),
                     APP_OK);
    assert_int_equal(mail_queue_about(db, app->tpl, "later@example.test", "test", "thing:2",
                                      t + 3600, m, &later),
                     APP_OK);
    plain = queue_test("plain@example.test", "Sam");
    snprintf(q, sizeof q, "UPDATE mail_outbox SET state = 'failed' WHERE id = %lld",
             (long long)failed);
    sql(q);
    snprintf(q, sizeof q, "UPDATE mail_outbox SET state = 'sent', sent_at = %lld WHERE id = %lld",
             (long long)t, (long long)sent);
    sql(q);
    assert_int_equal(mail_outbox_purge(db, t, &n), APP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM mail_outbox", NULL), 3);
    assert_int_equal(outbox_int(later, "expires_at"), t + 3600);
    assert_int_equal(outbox_int(plain, "expires_at"), 0);
    /* withdrawn: every state */
    assert_int_equal(mail_withdraw(db, "thing:1"), APP_OK);
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM mail_outbox", NULL), 2);
    assert_int_equal(mail_withdraw(db, "thing:2"), APP_OK);
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM mail_outbox", NULL), 1);
    assert_int_equal(mail_withdraw(db, ""), APP_E_INVALID); /* never every message of no topic */
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM mail_outbox", NULL), 1);
    db_pool_put(app->pool, db);
    json_decref(m);
}

static void login(struct test_client *tc, const char *email)
{
    tc_init(tc, app);
    assert_int_equal(tc_login(tc, email, PW), 303);
}

/* The outbox pages: the list and a message for an admin (page and JSON, numbers as numbers),
 * 403 for a member, a clear error for a bad filter, and a failed message sent again. */
static void test_outbox_pages(void **state)
{
    struct test_client admin, member;
    char uri[64], q[200];
    int64_t id, failed, copy;
    json_t *j, *msgs;
    (void)state;
    sql("DELETE FROM mail_outbox");
    id = queue_test("page@example.test", "Sam");
    failed = queue_test("gone@example.test", "Sam");
    snprintf(q, sizeof q,
             "UPDATE mail_outbox SET state = 'failed', attempts = 1, last_error = '550 no such "
             "user' WHERE id = %lld",
             (long long)failed);
    sql(q);
    login(&admin, "admin@example.test");
    login(&member, "member@example.test");

    assert_int_equal(tc_get(&admin, "/admin/mail"), 200);
    assert_true(tc_body_has(&admin, "page@example.test"));
    assert_true(tc_body_has(&admin, "550 no such user"));
    assert_true(tc_body_has(&admin, "No mail server is set up"));
    assert_int_equal(tc_get(&admin, "/admin"), 200); /* the way there */
    assert_true(tc_body_has(&admin, "href=\"/admin/mail\""));
    assert_int_equal(tc_get(&admin, "/admin/mail?state=failed"), 200);
    assert_true(tc_body_has(&admin, "gone@example.test"));
    assert_false(tc_body_has(&admin, "page@example.test"));
    assert_int_equal(tc_get(&admin, "/admin/mail?state=lost"), 400);
    assert_true(tc_body_has(&admin, "Select which messages to show"));
    assert_true(tc_body_has(&admin, "page@example.test")); /* the page is still shown */

    assert_int_equal(tc_get(&admin, "/api/v1/admin/mail"), 200);
    j = json_loads(admin.res.body, 0, NULL);
    assert_non_null(j);
    msgs = json_object_get(j, "messages");
    assert_int_equal(json_array_size(msgs), 2);
    /* newest first */
    assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 0), "key")),
                        key_of(failed));
    /* no row id anywhere: its gaps would count the 360° mail left out (store.c) */
    assert_null(json_object_get(json_array_get(msgs, 0), "id"));
    assert_true(json_is_integer(json_object_get(json_array_get(msgs, 0), "attempts")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(msgs, 0), "attempts")), 1);
    assert_true(json_is_integer(json_object_get(json_array_get(msgs, 1), "created_at")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 1), "state")),
                        "queued");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "pagination"), "total")),
                     2);
    json_decref(j);

    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "<a href=\"https://hub.example.test/a?b=1&amp;c=2\">"));
    assert_true(tc_body_has(&admin, "Message-ID"));
    assert_true(tc_body_has(&admin, "&lt;!DOCTYPE html&gt;")); /* the HTML part, escaped */
    assert_false(tc_body_has(&admin, "Send it again"));
    /* (pages_test passes this page through tidy with the other pages) */
    snprintf(uri, sizeof uri, "/api/v1/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 200);
    j = json_loads(admin.res.body, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "message"), "key")),
                        key_of(id));
    assert_non_null(
        strstr(json_string_value(json_object_get(json_object_get(j, "message"), "body_text")),
               "https://hub.example.test/a?b=1&c=2"));
    json_decref(j);
    assert_int_equal(tc_get(&admin, "/admin/mail/999999"), 404);
    assert_int_equal(tc_get(&admin, "/admin/mail/0123456789abcdef0123456789abcdef"), 404);

    /* members are refused */
    assert_int_equal(tc_get(&member, "/admin/mail"), 403);
    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&member, uri), 403);
    assert_int_equal(tc_get(&member, "/api/v1/admin/mail"), 403);
    snprintf(uri, sizeof uri, "/admin/mail/%s/resend", key_of(failed));
    assert_int_equal(tc_post_form(&member, uri, "", 1), 403);

    /* a failed message is sent again as a copy, audited; a queued one cannot be */
    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(failed));
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "Send it again"));
    snprintf(uri, sizeof uri, "/admin/mail/%s/resend", key_of(failed));
    assert_int_equal(tc_post_form(&admin, uri, "", 1), 303);
    copy = testapp_int(app, "SELECT max(id) FROM mail_outbox", NULL);
    assert_true(copy > failed);
    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(copy));
    assert_string_equal(lb_header(&admin.res, "Location"), uri);
    assert_int_equal(outbox_int(copy, "resent_from"), failed);
    assert_int_equal(outbox_int(copy, "CASE WHEN state = 'queued' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(
        outbox_int(copy, "CASE WHEN recipient = 'gone@example.test' THEN 1 ELSE 0 END"), 1);
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM audit_log WHERE event = $1", "mail_resent"), 1);
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "A copy of the message has been queued"));
    assert_true(tc_body_has(&admin, key_of(failed))); /* "A copy of" links the one that failed */
    snprintf(uri, sizeof uri, "/admin/mail/%s/resend", key_of(id));
    assert_int_equal(tc_post_form(&admin, uri, "", 1), 409);
    assert_true(tc_body_has(&admin, "Only a message that failed can be sent again"));
    snprintf(uri, sizeof uri, "/api/v1/admin/mail/%s/resend", key_of(failed));
    assert_int_equal(tc_post_json(&admin, uri, "{}"), 201);
    j = json_loads(admin.res.body, 0, NULL);
    assert_non_null(j);
    assert_true(json_is_string(json_object_get(j, "key")));
    assert_string_equal(json_string_value(json_object_get(j, "resent_from")), key_of(failed));
    json_decref(j);
    tc_free(&admin);
    tc_free(&member);
}

/* The path of the ahphub binary built beside this test (build/ahphub, build/asan/ahphub). */
static void ahphub_path(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(len > 0);
    exe[len] = '\0';
    /* <B>/tests/http/mail_test → <B>/ahphub */
    snprintf(out, n, "%s/../../ahphub", dirname(exe));
}

/* Runs `ahphub mail test ADDRESS` with the given SMTP URL (NULL: none) and returns its exit
 * status; out gets what it printed on both streams. */
static int run_mail_test(const char *url, const char *user, const char *password, const char *extra,
                         struct buf *out)
{
    char bin[PATH_MAX + 32], cmd[PATH_MAX * 2], chunk[512];
    FILE *p;
    size_t got;
    int st;
    ahphub_path(bin, sizeof bin);
    {
        struct buf c = BUF_INIT;
        buf_puts(&c, "env -u AHPHUB_SMTP_URL -u AHPHUB_SMTP_USER -u AHPHUB_SMTP_PASSWORD "
                     "-u AHPHUB_SMTP_PASSWORD_FILE");
        if (url)
            buf_printf(&c, " 'AHPHUB_SMTP_URL=%s'", url);
        if (user)
            buf_printf(&c, " 'AHPHUB_SMTP_USER=%s'", user);
        if (password)
            buf_printf(&c, " 'AHPHUB_SMTP_PASSWORD=%s'", password);
        buf_printf(&c, " %s mail test cli@example.test %s 2>&1", bin, extra ? extra : "");
        snprintf(cmd, sizeof cmd, "%s", c.data);
        buf_free(&c);
    }
    buf_reset(out);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_append(out, chunk, got);
    buf_putc(out, '\0');
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* `ahphub mail test`: 0 and the message arrives; 1 and a clear error with the server down,
 * or with no server configured. */
static void test_mail_test_command(void **state)
{
    static const char *const args[] = {"--user", "hub", "--password", "pw", NULL};
    struct smtpd d;
    struct buf out = BUF_INIT;
    char *msg;
    (void)state;
    smtpd_start(&d, 0, args);
    assert_int_equal(run_mail_test(d.url, "hub", "pw", NULL, &out), 0);
    assert_non_null(strstr(out.data, "sent: the server said: 250"));
    assert_int_equal(smtpd_count(&d), 1);
    msg = smtpd_message(&d, 1);
    assert_non_null(strstr(msg, "X-Envelope-To: cli@example.test"));
    assert_non_null(strstr(msg, "Subject: Test message from AHP Hub"));
    free(msg);
    assert_int_equal(run_mail_test(d.url, "hub", "not it", NULL, &out), 1);
    assert_non_null(strstr(out.data, "535"));
    smtpd_stop(&d);
    assert_int_equal(run_mail_test(d.url, NULL, NULL, NULL, &out), 1);
    assert_non_null(strstr(out.data, "the message was not sent"));
    assert_non_null(strstr(out.data, "onnect"));
    assert_int_equal(run_mail_test(NULL, NULL, NULL, NULL, &out), 1);
    assert_non_null(strstr(out.data, "mail is not configured"));
    /* --queue puts it in the outbox instead, SMTP or not */
    {
        char extra[600];
        sql("DELETE FROM mail_outbox");
        snprintf(extra, sizeof extra, "--queue --db '%s'", testapp_db_url());
        assert_int_equal(run_mail_test(NULL, NULL, NULL, extra, &out), 0);
        assert_non_null(strstr(out.data, "queued as message"));
        assert_int_equal(testapp_int(app,
                                     "SELECT count(*) FROM mail_outbox WHERE recipient = $1 "
                                     "AND state = 'queued'",
                                     "cli@example.test"),
                         1);
    }
    buf_free(&out);
}

/* `ahphub serve` runs the sender: a message queued before it started is delivered, and
 * SIGTERM stops the server promptly with the sender in it. */
static void test_serve_sends_and_stops(void **state)
{
    struct smtpd d;
    struct sockaddr_in sa = {0};
    socklen_t sl = sizeof sa;
    char bin[PATH_MAX + 32], listen_at[32], url[80];
    struct timespec t0, t1;
    int64_t id;
    pid_t pid;
    int fd, st = -1;
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    id = queue_test("serve@example.test", "Sam");
    /* a free port for the server */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%d", ntohs(sa.sin_port));
    close(fd);
    snprintf(url, sizeof url, "AHPHUB_SMTP_URL=%s", d.url);
    ahphub_path(bin, sizeof bin);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        putenv(url);
        putenv("AHPHUB_MAIL_FROM=serve@example.test");
        putenv("AHPHUB_CONTACT_EMAIL=support@example.test"); /* required to serve */
        unsetenv("AHPHUB_SMTP_USER");
        execl(bin, bin, "serve", "--db", testapp_db_url(), "--listen", listen_at, "--threads", "1",
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 1500 && smtpd_count(&d) < 1; i++)
        usleep(10 * 1000);
    assert_int_equal(smtpd_count(&d), 1);
    for (int i = 0; i < 500 && outbox_int(id, "sent_at") == 0; i++)
        usleep(10 * 1000);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sent' THEN 1 ELSE 0 END"), 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kill(pid, SIGTERM);
    for (int i = 0; i < 1000; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            break;
        usleep(10 * 1000);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!WIFEXITED(st)) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        fail_msg("ahphub serve did not stop within 10 seconds of SIGTERM");
    }
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
    smtpd_stop(&d);
}

/* `ahphub serve` on a free loopback port, sending through smtp_url; returns its pid. */
static pid_t serve_sending_to(const char *smtp_url)
{
    struct sockaddr_in sa = {0};
    socklen_t sl = sizeof sa;
    char bin[PATH_MAX + 32], listen_at[32];
    static char url[2][80];
    static int which;
    pid_t pid;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%d", ntohs(sa.sin_port));
    close(fd);
    which = !which;
    snprintf(url[which], sizeof url[which], "AHPHUB_SMTP_URL=%s", smtp_url);
    ahphub_path(bin, sizeof bin);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        putenv(url[which]);
        putenv("AHPHUB_MAIL_FROM=serve@example.test");
        putenv("AHPHUB_CONTACT_EMAIL=support@example.test"); /* required to serve */
        unsetenv("AHPHUB_SMTP_USER");
        execl(bin, bin, "serve", "--db", testapp_db_url(), "--listen", listen_at, "--threads", "1",
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Two server processes on one database, each with its sender thread, work through the same
 * outbox: the SMTP server receives every message exactly once. */
static void test_two_servers_send_each_once(void **state)
{
    enum { N = 40 };
    struct smtpd d;
    char to[64];
    bool seen[N] = {false};
    pid_t a, b;
    int st;
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    for (int i = 0; i < N; i++) {
        snprintf(to, sizeof to, "twice%02d@example.test", i);
        queue_test(to, "Sam");
    }
    a = serve_sending_to(d.url);
    b = serve_sending_to(d.url);
    for (int i = 0;
         i < 3000 &&
         testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE state <> $1", "sent") > 0;
         i++)
        usleep(10 * 1000);
    usleep(300 * 1000); /* a second copy, if any, would arrive now */
    kill(a, SIGTERM);
    kill(b, SIGTERM);
    waitpid(a, &st, 0);
    waitpid(b, &st, 0);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE state = $1", "sent"),
                     N);
    assert_int_equal(smtpd_count(&d), N);
    for (int i = 1; i <= N; i++) { /* and each address once */
        char *msg = smtpd_message(&d, i), *p;
        int nth;
        assert_non_null(msg);
        p = strstr(msg, "X-Envelope-To: twice");
        assert_non_null(p);
        nth = atoi(p + strlen("X-Envelope-To: twice"));
        assert_true(nth >= 0 && nth < N);
        assert_false(seen[nth]);
        seen[nth] = true;
        free(msg);
    }
    smtpd_stop(&d);
}

/* Every database call of queueing and of "Send it again" made to fail in turn: each time
 * either a clean error (503 "Try again" for the page) with nothing written, or everything. */
static void test_database_failures(void **state)
{
    struct test_client admin;
    json_t *m = json_pack("{s:s, s:s, s:s}", "subject", "Faults", "to", "x", "when", "now");
    char uri[64], q[160];
    long calls;
    int64_t failed, before, audits;
    int rc, errors = 0;
    (void)state;
    sql("DELETE FROM mail_outbox");
    /* mail_queue() */
    db_fault_count_start();
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(mail_queue(db, app->tpl, "f@example.test", "test", m, NULL), APP_OK);
        db_pool_put(app->pool, db);
    }
    calls = db_fault_count();
    db_fault_after(0);
    assert_true(calls >= 1);
    for (long n = 1; n <= calls; n++) {
        struct db *db = db_pool_get(app->pool);
        sql("DELETE FROM mail_outbox");
        db_fault_after(n);
        rc = mail_queue(db, app->tpl, "f@example.test", "test", m, NULL);
        db_fault_after(0);
        db_pool_put(app->pool, db);
        assert_int_equal(rc, APP_E_DB);
        assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox", NULL), 0);
    }
    json_decref(m);

    /* Send it again */
    sql("DELETE FROM mail_outbox");
    failed = queue_test("fault@example.test", "Sam");
    snprintf(q, sizeof q, "UPDATE mail_outbox SET state = 'failed' WHERE id = %lld",
             (long long)failed);
    sql(q);
    login(&admin, "admin@example.test");
    snprintf(uri, sizeof uri, "/admin/mail/%s/resend", key_of(failed));
    assert_int_equal(tc_get(&admin, "/admin/mail"), 200); /* session in hand */
    before = testapp_int(app, "SELECT count(*) FROM mail_outbox", NULL);
    audits = 0; /* mail_resent events, cleared before each try */
    sql("DELETE FROM audit_log WHERE event = 'mail_resent'");
    db_fault_count_start();
    assert_int_equal(tc_post_form(&admin, uri, "", 1), 303);
    calls = db_fault_count();
    db_fault_after(0);
    for (long n = 1; n <= calls; n++) {
        int status;
        sql("DELETE FROM mail_outbox WHERE resent_from IS NOT NULL");
        sql("DELETE FROM audit_log WHERE event = 'mail_resent'");
        db_fault_after(n);
        status = tc_post_form(&admin, uri, "", 1);
        db_fault_after(0);
        if (status == 503) {
            assert_true(tc_body_has(&admin, "Try again"));
            assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox", NULL), before);
            assert_int_equal(
                testapp_int(app, "SELECT count(*) FROM audit_log WHERE event = $1", "mail_resent"),
                audits);
            errors++;
        } else {
            assert_int_equal(status, 303);
            assert_int_equal(testapp_int(app, "SELECT count(*) FROM mail_outbox", NULL),
                             before + 1);
            assert_int_equal(
                testapp_int(app, "SELECT count(*) FROM audit_log WHERE event = $1", "mail_resent"),
                audits + 1);
        }
    }
    assert_true(errors > 0);
    tc_free(&admin);
}

/* A message whose delivery could not be recorded (the database failed just after the server
 * took it) stays claimed, then is marked failed, and is never sent a second time. */
static void test_unrecorded_send_is_not_repeated(void **state)
{
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct db *db;
    long calls;
    int64_t id, t;
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, NULL);
    s = smtp_to(d.url);
    /* how many database calls one message takes */
    queue_test("count@example.test", "Sam");
    t = (int64_t)time(NULL);
    db = db_pool_get(app->pool);
    db_fault_count_start();
    assert_int_equal(mail_sender_run_once(db, &s, "test", t, NULL, &r), APP_OK);
    calls = db_fault_count();
    db_fault_after(0);
    assert_int_equal(r.sent, 1);
    /* the last calls record the outcome and look for more: from the end, fail each in turn
     * on a fresh message until one is delivered and its record fails */
    id = 0;
    for (long n = calls; n > 0; n--) {
        int64_t sent_before = smtpd_count(&d);
        sql("DELETE FROM mail_outbox");
        id = queue_test("once@example.test", "Sam");
        t = (int64_t)time(NULL);
        db_fault_after(n);
        mail_sender_run_once(db, &s, "test", t, NULL, &r);
        db_fault_after(0);
        if (smtpd_count(&d) > sent_before &&
            outbox_int(id, "CASE WHEN state = 'sending' THEN 1 ELSE 0 END") == 1)
            break;
    }
    db_pool_put(app->pool, db);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'sending' THEN 1 ELSE 0 END"), 1);
    {
        /* the last message the server has is this one */
        char *msg = smtpd_message(&d, smtpd_count(&d));
        assert_non_null(strstr(msg, "X-Envelope-To: once@example.test"));
        free(msg);
    }
    r = run_at(&s, t + 1);
    assert_int_equal(r.sent, 0);
    r = run_at(&s, t + MAIL_CLAIM_SECS + 1);
    assert_int_equal(r.expired, 1);
    assert_int_equal(r.sent, 0);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'failed' THEN 1 ELSE 0 END"), 1);
    {
        /* and it was not sent again */
        char *msg = smtpd_message(&d, smtpd_count(&d));
        int total = smtpd_count(&d);
        assert_non_null(strstr(msg, "X-Envelope-To: once@example.test"));
        free(msg);
        r = run_at(&s, t + 2 * MAIL_CLAIM_SECS);
        assert_int_equal(smtpd_count(&d), total);
    }
    smtpd_stop(&d);
}

/* The server takes the whole message and then never answers: whether it arrived cannot be
 * known, so the message is failed with that said, not sent again. */
static void test_no_answer_after_data_is_not_retried(void **state)
{
    static const char *const args[] = {"--hang", "^silent", NULL};
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct buf err = BUF_INIT;
    int64_t id, t;
    (void)state;
    sql("DELETE FROM mail_outbox");
    smtpd_start(&d, 0, args);
    s = smtp_to(d.url);
    s.timeout = 2;
    id = queue_test("silent@example.test", "Sam");
    t = (int64_t)time(NULL);
    r = run_at(&s, t);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.retried, 0);
    assert_int_equal(outbox_int(id, "CASE WHEN state = 'failed' THEN 1 ELSE 0 END"), 1);
    outbox_text(id, "last_error", &err);
    assert_non_null(strstr(err.data, "may or may not have arrived"));
    r = run_at(&s, t + 100000);
    assert_int_equal(r.sent + r.retried + r.failed, 0);

    /* the same, with the server stopping (SIGTERM) while it waits for the answer: it stops
     * at once and the message is failed as of unknown outcome, not put back */
    {
        struct mail_sender *sender = NULL;
        struct timespec t0, t1;
        const char *url = app->cfg.smtp_url;
        char marker[PATH_MAX + 16];
        snprintf(marker, sizeof marker, "%s/hanging", d.dir);
        unlink(marker);
        sql("DELETE FROM mail_outbox");
        id = queue_test("silent2@example.test", "Sam");
        app->cfg.smtp_url = d.url;
        assert_int_equal(mail_sender_start(app, &sender), APP_OK);
        for (int i = 0; i < 1000 && access(marker, F_OK) != 0; i++)
            usleep(10 * 1000);
        assert_int_equal(access(marker, F_OK), 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        mail_sender_stop(sender);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        app->cfg.smtp_url = url;
        assert_true(t1.tv_sec - t0.tv_sec < 3);
        assert_int_equal(outbox_int(id, "CASE WHEN state = 'failed' THEN 1 ELSE 0 END"), 1);
        buf_reset(&err);
        outbox_text(id, "last_error", &err);
        assert_string_equal(err.data, MAIL_ERR_STOPPED);
    }
    smtpd_stop(&d);
    buf_free(&err);
}

/* The token after marker in a delivered message's plain-text part: quoted-printable soft line
 * breaks ("=" at a line's end) are taken out first, as a mail reader would. */
static void token_after(const char *msg, const char *marker, char out[65])
{
    struct buf b = BUF_INIT;
    const char *p;
    for (p = msg; *p; p++) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 2;
            continue;
        }
        buf_putc(&b, *p);
    }
    buf_putc(&b, '\0');
    p = strstr(b.data, marker);
    assert_non_null(p);
    snprintf(out, 65, "%.64s", p + strlen(marker));
    buf_free(&b);
}

/* An invitation and a password reset go out through a real SMTP server, the first after it
 * was down, and the links they carry work: the invited person sets a password and is logged
 * in; the member resets theirs. */
static void test_invitation_and_reset_through_smtp(void **state)
{
    struct smtpd d;
    struct mail_smtp s;
    struct mail_run r;
    struct test_client admin, anon, invited;
    char token[65], uri[128], *msg;
    int64_t t;
    int port;
    (void)state;
    sql("DELETE FROM mail_outbox");
    login(&admin, "admin@example.test");
    assert_int_equal(tc_post_form(&admin, "/admin/users/invite",
                                  "email=sam.smtp%40example.test&display_name=Sam+Smtp&role=member",
                                  1),
                     201);
    tc_init(&anon, app);
    tc_get(&anon, "/password/forgot");
    assert_int_equal(tc_post_form(&anon, "/password/forgot", "email=member%40example.test", 1),
                     200);
    /* the server is down at first: both wait */
    smtpd_start(&d, 0, NULL);
    port = d.port;
    s = smtp_to(d.url);
    smtpd_stop(&d);
    t = (int64_t)time(NULL);
    r = run_at(&s, t);
    assert_int_equal(r.sent, 0);
    assert_int_equal(r.retried, 2);
    /* back, and past the first wait */
    smtpd_start(&d, port, NULL);
    r = run_at(&s, t + 120);
    assert_int_equal(r.sent, 2);
    assert_int_equal(smtpd_count(&d), 2);
    msg = smtpd_message(&d, 1);
    assert_non_null(msg);
    if (!strstr(msg, "sam.smtp@example.test")) { /* the order they were sent in */
        free(msg);
        msg = smtpd_message(&d, 2);
    }
    assert_non_null(strstr(msg, "X-Envelope-To: sam.smtp@example.test\r\n"));
    token_after(msg, "/set-password/", token);
    free(msg);
    /* delivered: the outbox no longer holds the link that acts for them */
    {
        struct buf body = BUF_INIT;
        outbox_text(testapp_int(app, "SELECT id FROM mail_outbox WHERE recipient = $1",
                                "sam.smtp@example.test"),
                    "body_text", &body);
        assert_null(strstr(body.data, token));
        assert_non_null(strstr(body.data, "/set-password/" MAIL_REDACTED));
        buf_free(&body);
    }
    tc_init(&invited, app);
    snprintf(uri, sizeof uri, "/set-password/%s", token);
    assert_int_equal(tc_get(&invited, uri), 200);
    assert_int_equal(tc_post_form(&invited, uri,
                                  "new_password=a+password+from+the+mail&confirm_password=a+"
                                  "password+from+the+mail",
                                  1),
                     303);
    assert_string_equal(lb_header(&invited.res, "Location"), "/home");
    assert_int_equal(tc_get(&invited, "/home"), 200);
    assert_true(tc_body_has(&invited, "Sam Smtp"));

    msg = smtpd_message(&d, 1);
    if (!strstr(msg, "X-Envelope-To: member@example.test")) {
        free(msg);
        msg = smtpd_message(&d, 2);
    }
    token_after(msg, "/password/reset/", token);
    free(msg);
    snprintf(uri, sizeof uri, "/password/reset/%s", token);
    assert_int_equal(tc_get(&anon, uri), 200);
    smtpd_stop(&d);
    tc_free(&admin);
    tc_free(&anon);
    tc_free(&invited);
}

/* TLS is required to any server but one on this machine (where it is used when offered). */
static void test_tls_rule(void **state)
{
    (void)state;
    assert_true(mail_smtp_tls_required("smtps://smtp.example:465", false));
    assert_true(mail_smtp_tls_required("smtp://smtp.example:587", false));
    assert_true(mail_smtp_tls_required("smtp://127.0.0.1.evil.test:25", false));
    assert_false(mail_smtp_tls_required("smtp://127.0.0.1:2525", false));
    assert_false(mail_smtp_tls_required("smtp://localhost", false));
    assert_true(mail_smtp_tls_required("smtp://localhost:25", true));
}

/* 360° invitations and reminders are not in the admins' outbox at all: a member who is an
 * admin knows when they pressed "remind", and the rows queued then would count the raters who
 * had not answered (develop/feedback.h, rule 7). Nor is the link to carry on with an
 * anonymous assessment, whose address says who took part. Not listed, not counted, not
 * opened, not sent again, on the page or through the API. */
static void outbox_leaves_out(const char *kind)
{
    struct test_client admin;
    char uri[80], q[200];
    int64_t id, other;
    json_t *j;
    sql("DELETE FROM mail_outbox");
    other = queue_test("colleague@example.test", "Kim");
    id = queue_test("rater.one@example.test", "Sam");
    snprintf(q, sizeof q,
             "UPDATE mail_outbox SET kind = '%s', state = 'failed', attempts = 1, "
             "last_error = '550 rater.one@example.test unknown' WHERE id = %lld",
             kind, (long long)id);
    sql(q);
    login(&admin, "admin@example.test");
    assert_int_equal(tc_get(&admin, "/admin/mail"), 200);
    assert_true(tc_body_has(&admin, "colleague@example.test"));
    assert_false(tc_body_has(&admin, "rater.one"));
    assert_false(tc_body_has(&admin, "360°")); /* not "360": a random key or token may hold it */
    assert_int_equal(tc_get(&admin, "/admin/mail?state=failed"), 200);
    assert_false(tc_body_has(&admin, "rater.one"));
    assert_int_equal(tc_get_json(&admin, "/api/v1/admin/mail"), 200);
    j = json_loads(admin.res.body, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "messages")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "messages"), 0), "key")),
                        key_of(other));
    json_decref(j);
    assert_false(tc_body_has(&admin, "rater.one"));
    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 404);
    snprintf(uri, sizeof uri, "/api/v1/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 404);
    snprintf(uri, sizeof uri, "/admin/mail/%s/resend", key_of(id));
    assert_int_equal(tc_post_form(&admin, uri, "", 1), 404);
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM mail_outbox", NULL), 2);
    /* nor does a row id show, whose gaps would count it: the list links by key */
    assert_int_equal(tc_get(&admin, "/admin/mail"), 200);
    snprintf(uri, sizeof uri, "/admin/mail/%s\"", key_of(other));
    assert_true(tc_body_has(&admin, uri));
    snprintf(uri, sizeof uri, "/admin/mail/%lld\"", (long long)other);
    assert_false(tc_body_has(&admin, uri));
    /* and the sender takes listed mail first, so a burst of reminders delays none of it: the
     * rater's message is due first, yet the colleague's is claimed */
    snprintf(q, sizeof q,
             "UPDATE mail_outbox SET state = 'queued', attempts = 0, next_attempt_at = CASE WHEN "
             "kind = '%s' THEN 1 ELSE 2 END",
             kind);
    sql(q);
    {
        struct db *db = db_pool_get(app->pool);
        struct db_stmt *st = NULL;
        int64_t claimed = -1;
        int rc = db_begin(db);
        /* the connection goes back to the pool before any check, so a failure fails only this */
        if (!rc &&
            !(rc = db_row(db,
                          db_engine(db) == DB_POSTGRES ? SQL_MAIL_CLAIM_PG : SQL_MAIL_CLAIM_SQLITE,
                          &st, "iti", (int64_t)time(NULL), "test", (int64_t)time(NULL) + 60)))
            claimed = db_col_int(st, 0);
        db_finalize(st);
        db_rollback(db);
        db_pool_put(app->pool, db);
        assert_int_equal(rc, APP_OK);
        assert_int_equal(claimed, other);
    }
    tc_free(&admin);
}

static void test_outbox_leaves_out_raters(void **state)
{
    (void)state;
    outbox_leaves_out("feedback_invite");
}

static void test_outbox_leaves_out_assessment_links(void **state)
{
    (void)state;
    outbox_leaves_out("assess_resume");
}

/* With a mail server set up, an admin reading a message waiting in the outbox sees its links
 * that act for the recipient hidden; without one (a demonstration) they are shown. */
static void test_outbox_hides_links_with_a_server(void **state)
{
    struct test_client admin;
    char uri[64], token[65];
    const char *saved = app->cfg.smtp_url;
    int64_t id;
    (void)state;
    sql("DELETE FROM mail_outbox");
    login(&admin, "admin@example.test");
    assert_int_equal(
        tc_post_form(&admin, "/admin/users/invite",
                     "email=hidden.link%40example.test&display_name=Hid+Den&role=member", 1),
        201);
    id = testapp_int(app, "SELECT id FROM mail_outbox WHERE recipient = $1",
                     "hidden.link@example.test");
    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 200); /* no server: shown */
    {
        const char *p = strstr(admin.res.body, "/set-password/");
        assert_non_null(p);
        snprintf(token, sizeof token, "%.64s", p + 14);
    }
    app->cfg.smtp_url = "smtp://127.0.0.1:1";
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_null(strstr(admin.res.body, token));
    assert_true(tc_body_has(&admin, "/set-password/" MAIL_REDACTED));
    snprintf(uri, sizeof uri, "/api/v1/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_null(strstr(admin.res.body, token));
    app->cfg.smtp_url = saved;
    tc_free(&admin);
}

/* Without a mail server, outside a demonstration, a password reset's link is hidden from
 * admins all the same: following it would let an admin into the member's account, whose
 * self-assessments, 360 results and plans nobody else may open. In a demonstration it is shown
 * (that is how a demonstration follows it). */
static void test_outbox_hides_reset_links_outside_a_demonstration(void **state)
{
    struct test_client anyone, admin;
    char uri[64];
    const char *saved = app->cfg.smtp_url;
    bool demo = app->cfg.demo;
    int64_t id;
    (void)state;
    app->cfg.smtp_url = NULL;
    sql("DELETE FROM mail_outbox");
    tc_init(&anyone, app);
    assert_int_equal(tc_get(&anyone, "/password/forgot"), 200);
    assert_int_equal(tc_post_form(&anyone, "/password/forgot", "email=member%40example.test", 1),
                     200);
    tc_free(&anyone);
    id = testapp_int(app, "SELECT id FROM mail_outbox WHERE kind = 'reset'", NULL);
    assert_true(id > 0);
    login(&admin, "admin@example.test");
    snprintf(uri, sizeof uri, "/admin/mail/%s", key_of(id));
    app->cfg.demo = false;
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "/password/reset/" MAIL_REDACTED));
    assert_true(tc_body_has(&admin, "cannot reach them"));
    snprintf(uri, sizeof uri, "/api/v1/admin/mail/%s", key_of(id));
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "\"links_hidden\":true"));
    assert_true(tc_body_has(&admin, "/password/reset/" MAIL_REDACTED));
    app->cfg.demo = true;
    assert_int_equal(tc_get(&admin, uri), 200);
    assert_true(tc_body_has(&admin, "\"links_hidden\":false"));
    assert_false(tc_body_has(&admin, "/password/reset/" MAIL_REDACTED));
    assert_true(tc_body_has(&admin, "/password/reset/"));
    app->cfg.demo = demo;
    app->cfg.smtp_url = saved;
    tc_free(&admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls_rule),
        cmocka_unit_test(test_outbox_leaves_out_raters),
        cmocka_unit_test(test_outbox_leaves_out_assessment_links),
        cmocka_unit_test(test_outbox_hides_links_with_a_server),
        cmocka_unit_test(test_mail_about_what_ends),
        cmocka_unit_test(test_outbox_hides_reset_links_outside_a_demonstration),
        cmocka_unit_test(test_queue_renders_both_parts),
        cmocka_unit_test(test_queue_refuses_bad_input),
        cmocka_unit_test(test_queue_joins_the_transaction),
        cmocka_unit_test(test_delivered),
        cmocka_unit_test(test_server_down_then_retry),
        cmocka_unit_test(test_invitation_and_reset_through_smtp),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_expired_claim_is_not_resent),
        cmocka_unit_test(test_two_senders_never_send_twice),
        cmocka_unit_test(test_authentication),
        cmocka_unit_test(test_without_smtp_nothing_is_sent),
        cmocka_unit_test(test_sender_thread),
        cmocka_unit_test(test_stop_mid_send),
        cmocka_unit_test(test_purge_old_bodies),
        cmocka_unit_test(test_outbox_pages),
        cmocka_unit_test(test_mail_test_command),
        cmocka_unit_test(test_serve_sends_and_stops),
        cmocka_unit_test(test_two_servers_send_each_once),
        cmocka_unit_test(test_database_failures),
        cmocka_unit_test(test_unrecorded_send_is_not_repeated),
        cmocka_unit_test(test_no_answer_after_data_is_not_retried),
    };
    /* MAIL_TEST_ONLY=test_delivered runs one test (cmocka's filter) while working on it */
    if (getenv("MAIL_TEST_ONLY"))
        cmocka_set_test_filter(getenv("MAIL_TEST_ONLY"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
