/* fault_test.c: requests whose database or memory fails on the Nth call
 *
 * For every N until the request no longer notices, the answer must be a clean error page
 * (never a crash, never a 2xx that lied), nothing may be half-written, and — under ASan —
 * nothing may leak. This is db_fault.c and arena_fail_after() put to their purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "member@example.test", "member", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_fault_after(0);
    arena_fail_after(0);
    testapp_free(app);
    return 0;
}

static int64_t count(const char *sql)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_prepare(db, sql, &st) == 0 && db_step(st) == DB_ROW)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

static void test_login_with_failing_database(void **state)
{
    struct test_client tc;
    int n, status = 0;
    (void)state;
    tc_init(&tc, app);
    for (n = 1; n < 60; n++) {
        int64_t sessions = count("SELECT count(*) FROM sessions");
        int64_t logins = count("SELECT count(*) FROM audit_log WHERE event = 'login'");
        tc_reset(&tc);
        tc_get(&tc, "/login");
        db_fault_after(n);
        status = tc_post_form(&tc, "/login",
                              "email=member@example.test&password=correct+horse+battery", 1);
        db_fault_after(0);
        if (status == 303)
            break;
        assert_int_equal(status, 503);
        assert_true(tc_body_has(&tc, "Try again"));
        /* the login either happened entirely or not at all */
        assert_int_equal(count("SELECT count(*) FROM sessions"), sessions);
        assert_int_equal(count("SELECT count(*) FROM audit_log WHERE event = 'login'"), logins);
    }
    assert_int_equal(status, 303);
    assert_true(n > 3); /* the faults did reach the login's own queries */
    tc_free(&tc);
}

static void test_password_change_is_atomic(void **state)
{
    struct test_client tc;
    int n, status = 0;
    char current[64], next[64], form[256];
    (void)state;
    tc_init(&tc, app);
    snprintf(current, sizeof current, "%s", PW);
    for (n = 1; n < 60; n++) {
        tc_reset(&tc);
        assert_int_equal(tc_login(&tc, "member@example.test", current), 303);
        snprintf(next, sizeof next, "new password number %d", n);
        snprintf(form, sizeof form, "current_password=%s&new_password=%s&confirm_password=%s",
                 current, next, next);
        for (char *p = form; *p; p++)
            if (*p == ' ')
                *p = '+';
        db_fault_after(n);
        status = tc_post_form(&tc, "/account/password", form, 1);
        db_fault_after(0);
        if (status == 303)
            break;
        assert_int_equal(status, 503);
        /* the old password still works and the new one does not */
        tc_reset(&tc);
        assert_int_equal(tc_login(&tc, "member@example.test", next), 401);
    }
    assert_int_equal(status, 303);
    tc_reset(&tc);
    assert_int_equal(tc_login(&tc, "member@example.test", next), 303);
    /* put it back for the other tests */
    snprintf(form, sizeof form, "current_password=%s&new_password=%s&confirm_password=%s", next,
             PW, PW);
    for (char *p = form; *p; p++)
        if (*p == ' ')
            *p = '+';
    assert_int_equal(tc_post_form(&tc, "/account/password", form, 1), 303);
    tc_free(&tc);
}

static void test_pages_with_failing_memory(void **state)
{
    struct test_client tc;
    const char *pages[] = {"/", "/account", "/login", "/api/v1/account", "/no-such-page"};
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
        int n, status = 0, ok_status;
        arena_fail_after(0);
        ok_status = tc_get(&tc, pages[p]);
        for (n = 1; n < 400; n++) {
            arena_fail_after(n);
            status = tc_get(&tc, pages[p]);
            arena_fail_after(0);
            if (status == ok_status)
                break;
            /* out of memory is a 500 (or, before anything could be said, no answer at all) */
            assert_true(status == 500 || status == -1);
        }
        assert_int_equal(status, ok_status);
    }
    tc_free(&tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_with_failing_database),
        cmocka_unit_test(test_password_change_is_atomic),
        cmocka_unit_test(test_pages_with_failing_memory),
    };
    return cmocka_run_group_tests_name("http/fault", tests, setup, teardown);
}
