/* links_test.c: single-use links and the reset-request limit without HTTP, with time passed
 * in, so expiry is tested at its exact edges without waiting
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite and PostgreSQL in make check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "account/links.h"
#include "core/hourly_count.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;
static struct arena *a;
static const struct account_policy pol = {3, 600, 3600};
static const int64_t T0 = 1800000000; /* a fixed "now" */

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

static void issue(enum link_purpose p, int64_t uid, int64_t now, char token[TOKEN_HEX])
{
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(account_link_issue(db, p, uid, 0, now, token), APP_OK);
    assert_int_equal(db_commit(db), APP_OK);
    assert_int_equal(strlen(token), 64);
}

static void test_issue_needs_a_transaction(void **state)
{
    char token[TOKEN_HEX];
    int64_t uid = testapp_user(app, "tx@example.test", "member", "a long enough password");
    (void)state;
    assert_int_equal(account_link_issue(db, LINK_RESET, uid, 0, T0, token), APP_E_INTERNAL);
}

static void test_reset_link_lives_one_hour(void **state)
{
    struct account_link l;
    char token[TOKEN_HEX];
    int64_t uid = testapp_user(app, "hour@example.test", "member", "a long enough password");
    (void)state;
    issue(LINK_RESET, uid, T0, token);
    assert_int_equal(account_link_find(db, a, LINK_RESET, token, T0 + LINK_RESET_TTL - 1, &l),
                     APP_OK);
    assert_int_equal(l.user_id, uid);
    assert_string_equal(l.email, "hour@example.test");
    assert_int_equal(account_link_find(db, a, LINK_RESET, token, T0 + LINK_RESET_TTL, &l),
                     APP_E_CONFLICT);
    /* a reset token is no invitation */
    assert_int_equal(account_link_find(db, a, LINK_INVITE, token, T0, &l), APP_E_NOTFOUND);
    /* anything that is not 64 hex digits is not looked up */
    assert_int_equal(account_link_find(db, a, LINK_RESET, "abc", T0, &l), APP_E_NOTFOUND);
    assert_int_equal(account_link_find(db, a, LINK_RESET, NULL, T0, &l), APP_E_NOTFOUND);
}

static void test_use_once_then_refused(void **state)
{
    struct user_ctx who;
    char token[TOKEN_HEX], session[TOKEN_HEX];
    int64_t uid = testapp_user(app, "once@example.test", "member", "a long enough password");
    (void)state;
    issue(LINK_RESET, uid, T0, token);
    /* the policy is checked before the link is touched */
    assert_int_equal(
        account_link_use(db, a, &pol, LINK_RESET, token, "short", 5, T0 + 10, session, &who),
        APP_E_INVALID);
    /* an hour later it is too late */
    assert_int_equal(account_link_use(db, a, &pol, LINK_RESET, token, "a brand new password", 20,
                                      T0 + LINK_RESET_TTL, session, &who),
                     APP_E_CONFLICT);
    assert_int_equal(account_link_use(db, a, &pol, LINK_RESET, token, "a brand new password", 20,
                                      T0 + 10, session, &who),
                     APP_OK);
    assert_int_equal(who.id, uid);
    assert_int_equal(strlen(session), 64);
    assert_int_equal(account_link_use(db, a, &pol, LINK_RESET, token, "a third new password", 20,
                                      T0 + 11, session, &who),
                     APP_E_CONFLICT);
    assert_int_equal(session[0], '\0');
}

static void test_new_link_ends_the_old(void **state)
{
    struct account_link l;
    char first[TOKEN_HEX], second[TOKEN_HEX], invite[TOKEN_HEX];
    int64_t uid = testapp_user(app, "newer@example.test", "member", "a long enough password");
    (void)state;
    issue(LINK_RESET, uid, T0, first);
    issue(LINK_INVITE, uid, T0, invite);
    issue(LINK_RESET, uid, T0 + 5, second);
    assert_int_equal(account_link_find(db, a, LINK_RESET, first, T0 + 6, &l), APP_E_CONFLICT);
    assert_int_equal(account_link_find(db, a, LINK_RESET, second, T0 + 6, &l), APP_OK);
    /* only links of the same purpose */
    assert_int_equal(account_link_find(db, a, LINK_INVITE, invite, T0 + 6, &l), APP_OK);
}

static void test_reset_limit(void **state)
{
    struct hourly_count *l;
    unsigned char one[16] = {1}, two[16] = {2};
    (void)state;
    assert_int_equal(hourly_count_new(&l), APP_OK);
    /* per address: three an hour, from any client */
    assert_int_equal(reset_limit_take(l, one, "a@example.test", T0), APP_OK);
    assert_int_equal(reset_limit_take(l, two, "a@example.test", T0), APP_OK);
    assert_int_equal(reset_limit_take(l, one, "a@example.test", T0), APP_OK);
    assert_int_equal(reset_limit_take(l, two, "a@example.test", T0), APP_E_LIMIT);
    /* per client: ten an hour, across addresses (two of this one were counted above) */
    for (int i = 0; i < 8; i++) {
        char email[32];
        snprintf(email, sizeof email, "b%d@example.test", i);
        assert_int_equal(reset_limit_take(l, one, email, T0), APP_OK);
    }
    assert_int_equal(reset_limit_take(l, one, "c@example.test", T0), APP_E_LIMIT);
    assert_int_equal(reset_limit_take(l, two, "c@example.test", T0), APP_OK);
    /* the next hour starts afresh */
    assert_int_equal(reset_limit_take(l, one, "a@example.test", T0 + 3600), APP_OK);
    hourly_count_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_needs_a_transaction),
        cmocka_unit_test(test_reset_link_lives_one_hour),
        cmocka_unit_test(test_use_once_then_refused),
        cmocka_unit_test(test_new_link_ends_the_old),
        cmocka_unit_test(test_reset_limit),
    };
    return cmocka_run_group_tests_name("unit/account/links", tests, setup, teardown);
}
