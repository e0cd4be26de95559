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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/buf.h"
#include "core/err.h"
#include "mail/mail.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
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
    assert_int_equal(mail_queue(db, app->tpl, "a@b.test", "no_such_kind", m, &id),
                     APP_E_NOTFOUND);
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
    assert_int_equal(
        testapp_int(app, "SELECT count(*) FROM mail_outbox WHERE recipient = $1", "rb@example.test"),
        0);
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_renders_both_parts),
        cmocka_unit_test(test_queue_refuses_bad_input),
        cmocka_unit_test(test_queue_joins_the_transaction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
