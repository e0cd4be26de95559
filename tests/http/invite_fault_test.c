/* invite_fault_test.c: inviting, using a link and deactivating when the database fails on
 * the Nth call
 *
 * As in fault_test.c: every failure point of the request is tried in turn; the answer must be
 * 503 "Try again" with nothing written, or the normal answer with all the work done — an
 * account never exists without its link and mail, a link is never used without the password
 * being set and the person logged in, and an account is never deactivated while a session
 * or token of it still works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";
static int64_t leaver_id;
static int serial;
static char link_uri[128], link_email[64];

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    leaver_id = testapp_user(app, "leaver@example.test", "member", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_fault_after(0);
    testapp_free(app);
    return 0;
}

static int64_t count(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static void sql(const char *text, const char *arg)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, text, arg ? "t" : "", arg), 0);
    db_pool_put(app->pool, db);
}

struct sweep_op {
    const char *what;
    void (*prepare)(struct test_client *tc);
    int (*run)(struct test_client *tc);
    int ok_status;
    bool (*unchanged)(const struct test_client *tc);
    bool (*complete)(const struct test_client *tc);
};

static void sweep(const struct sweep_op *op)
{
    struct test_client tc;
    long calls;
    int status, failed = 0;
    tc_init(&tc, app);
    op->prepare(&tc);
    db_fault_count_start();
    status = op->run(&tc);
    calls = db_fault_count();
    db_fault_after(0);
    if (status != op->ok_status || !op->complete(&tc))
        fail_msg("%s: %d without a fault", op->what, status);
    assert_true(calls > 2);
    for (long n = 1; n <= calls + 1; n++) {
        op->prepare(&tc);
        db_fault_after(n <= calls ? n : 0);
        status = op->run(&tc);
        db_fault_after(0);
        if (status == 503) {
            if (!tc_body_has(&tc, "Try again"))
                fail_msg("%s: call %ld of %ld failed: 503 without \"Try again\"", op->what, n,
                         calls);
            if (!op->unchanged(&tc))
                fail_msg("%s: call %ld of %ld failed: 503 but something was written", op->what, n,
                         calls);
            failed++;
        } else if (status != op->ok_status || !op->complete(&tc)) {
            fail_msg("%s: call %ld of %ld failed: answered %d, %s", op->what, n, calls, status,
                     status == op->ok_status ? "but the work is incomplete" : "not 503");
        }
    }
    assert_true(failed > 0);
    tc_free(&tc);
}

/* ---- inviting one person ---- */
static void invite_prepare(struct test_client *tc)
{
    tc_reset(tc);
    assert_int_equal(tc_login(tc, "admin@example.test", PW), 303);
    sql("DELETE FROM mail_outbox WHERE recipient = $1", "fault@example.test");
    sql("DELETE FROM users WHERE email = $1", "fault@example.test");
}

static int invite_run(struct test_client *tc)
{
    return tc_post_form(tc, "/admin/users/invite",
                        "email=fault%40example.test&display_name=Fay+Fault&role=member", 1);
}

static bool invite_unchanged(const struct test_client *tc)
{
    (void)tc;
    return count("SELECT count(*) FROM users WHERE email = $1", "fault@example.test") == 0 &&
           count("SELECT count(*) FROM mail_outbox WHERE recipient = $1", "fault@example.test") ==
               0;
}

static bool invite_complete(const struct test_client *tc)
{
    (void)tc;
    return count("SELECT count(*) FROM users WHERE email = $1 AND password_hash = ''",
                 "fault@example.test") == 1 &&
           count("SELECT count(*) FROM mail_outbox WHERE recipient = $1", "fault@example.test") ==
               1 &&
           count("SELECT count(*) FROM account_links l JOIN users u ON u.id = l.user_id "
                 "WHERE u.email = $1 AND l.used_at = 0",
                 "fault@example.test") == 1;
}

static void test_invite_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"invite", invite_prepare,   invite_run,
                                       201,      invite_unchanged, invite_complete};
    (void)state;
    sweep(&op);
}

/* ---- using an invitation link ---- */
static void link_prepare(struct test_client *tc)
{
    struct test_client adm;
    struct db *db;
    struct db_stmt *st = NULL;
    char form[160];
    const char *p;
    snprintf(link_email, sizeof link_email, "linked%d@example.test", ++serial);
    tc_init(&adm, app);
    assert_int_equal(tc_login(&adm, "admin@example.test", PW), 303);
    snprintf(form, sizeof form, "email=%s&display_name=Lin+Ked&role=member", link_email);
    assert_int_equal(tc_post_form(&adm, "/admin/users/invite", form, 1), 201);
    tc_free(&adm);
    db = db_pool_get(app->pool);
    assert_int_equal(
        db_row(db, "SELECT body_text FROM mail_outbox WHERE recipient = $1", &st, "t", link_email),
        0);
    p = strstr(db_col_text(st, 0), "/set-password/");
    assert_non_null(p);
    snprintf(link_uri, sizeof link_uri, "%.78s", p);
    db_finalize(st);
    db_pool_put(app->pool, db);
    tc_reset(tc);
    assert_int_equal(tc_get(tc, link_uri), 200);
}

static int link_run(struct test_client *tc)
{
    return tc_post_form(tc, link_uri,
                        "new_password=a+new+and+long+secret"
                        "&confirm_password=a+new+and+long+secret",
                        1);
}

static bool link_unchanged(const struct test_client *tc)
{
    (void)tc;
    return count("SELECT count(*) FROM users WHERE email = $1 AND password_hash = ''",
                 link_email) == 1 &&
           count("SELECT count(*) FROM account_links l JOIN users u ON u.id = l.user_id "
                 "WHERE u.email = $1 AND l.used_at = 0",
                 link_email) == 1 &&
           count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id "
                 "WHERE u.email = $1",
                 link_email) == 0;
}

static bool link_complete(const struct test_client *tc)
{
    return count("SELECT count(*) FROM users WHERE email = $1 AND password_hash <> ''",
                 link_email) == 1 &&
           count("SELECT count(*) FROM account_links l JOIN users u ON u.id = l.user_id "
                 "WHERE u.email = $1 AND l.used_at = 0",
                 link_email) == 0 &&
           count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id "
                 "WHERE u.email = $1",
                 link_email) == 1 &&
           tc_cookie(tc, "ahp_session") != NULL;
}

static void test_set_password_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"set password", link_prepare, link_run, 303,
                                       link_unchanged, link_complete};
    (void)state;
    sweep(&op);
}

/* ---- deactivating an account ---- */
static void deactivate_prepare(struct test_client *tc)
{
    struct test_client leaver;
    sql("UPDATE users SET deactivated_at = 0 WHERE email = $1", "leaver@example.test");
    tc_init(&leaver, app);
    assert_int_equal(tc_login(&leaver, "leaver@example.test", PW), 303);
    assert_int_equal(tc_post_form(&leaver, "/account/tokens", "name=Script", 1), 201);
    tc_free(&leaver);
    tc_reset(tc);
    assert_int_equal(tc_login(tc, "admin@example.test", PW), 303);
}

static int deactivate_run(struct test_client *tc)
{
    char uri[64];
    snprintf(uri, sizeof uri, "/admin/users/%lld/deactivate", (long long)leaver_id);
    return tc_post_form(tc, uri, "", 1);
}

static const char SQL_SESSIONS[] =
    "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1";
static const char SQL_LIVE_TOKENS[] =
    "SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1 "
    "AND t.revoked_at = 0";

static bool deactivate_unchanged(const struct test_client *tc)
{
    (void)tc;
    return count("SELECT count(*) FROM users WHERE email = $1 AND deactivated_at = 0",
                 "leaver@example.test") == 1 &&
           count(SQL_SESSIONS, "leaver@example.test") > 0 &&
           count(SQL_LIVE_TOKENS, "leaver@example.test") > 0;
}

static bool deactivate_complete(const struct test_client *tc)
{
    (void)tc;
    return count("SELECT count(*) FROM users WHERE email = $1 AND deactivated_at <> 0",
                 "leaver@example.test") == 1 &&
           count(SQL_SESSIONS, "leaver@example.test") == 0 &&
           count(SQL_LIVE_TOKENS, "leaver@example.test") == 0;
}

static void test_deactivate_at_every_failure_point(void **state)
{
    static const struct sweep_op op = {"deactivate", deactivate_prepare,   deactivate_run,
                                       303,          deactivate_unchanged, deactivate_complete};
    (void)state;
    sweep(&op);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite_at_every_failure_point),
        cmocka_unit_test(test_set_password_at_every_failure_point),
        cmocka_unit_test(test_deactivate_at_every_failure_point),
    };
    return cmocka_run_group_tests_name("http/invite_fault", tests, setup, teardown);
}
