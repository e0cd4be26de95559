/* account_test.c: the account domain without HTTP — users, logins, sessions, tokens, roles
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite and PostgreSQL in make check). Time is
 * passed in explicitly, so expiry and throttling are tested without sleeping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "account/account.h"
#include "account/invite.h"
#include "account/org.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"
#include "web/password.h"

static struct app *app;
static struct db *db;
static struct arena *a;
static const struct account_policy pol = {3, 600, 3600};
static const unsigned char cli[16] = {1}; /* one network client */

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

static int64_t make_user(const char *email, enum role role)
{
    struct user u = {0};
    int64_t id = 0;
    u.email = email;
    u.display_name = email;
    u.role = role;
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &id), APP_OK);
    return id;
}

static void test_create_and_get(void **state)
{
    struct user u = {0}, got;
    int64_t id, org;
    (void)state;
    assert_int_equal(account_org_ensure(db, "Test Trust", NULL, "london", &org), APP_OK);
    {
        int64_t again;
        assert_int_equal(account_org_ensure(db, "Test Trust", NULL, "london", &again), APP_OK);
        assert_int_equal(again, org);
    }
    u.email = "create@example.test";
    u.display_name = "Casey Create";
    u.role = ROLE_FACILITATOR;
    u.profession = "dietitian";
    u.region = "london";
    u.organisation_id = org;
    assert_int_equal(account_user_create(db, &u, "short", 5, &id), APP_E_INVALID);
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &id), APP_OK);
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &id),
                     APP_E_CONFLICT);
    assert_int_equal(account_user_get(db, a, id, &got), APP_OK);
    assert_string_equal(got.display_name, "Casey Create");
    assert_int_equal(got.role, ROLE_FACILITATOR);
    assert_string_equal(got.organisation, "Test Trust");
    assert_int_equal(account_user_get(db, a, 999999, &got), APP_E_NOTFOUND);
    assert_int_equal(account_profile_update(db, id, "Casey", "wizard", "", 0), APP_E_INVALID);
    assert_int_equal(account_profile_update(db, id, "Casey", "", "atlantis", 0), APP_E_INVALID);
    assert_int_equal(account_profile_update(db, id, "Casey", "", "", 424242), APP_E_INVALID);
    assert_int_equal(account_profile_update(db, id, "Casey", "paramedic", "", 0), APP_OK);
    assert_int_equal(account_user_by_email(db, a, "create@example.test", &got), APP_OK);
    assert_string_equal(got.profession, "paramedic");
    assert_int_equal(got.organisation_id, 0);
}

static void test_login_throttle_and_expiry(void **state)
{
    struct user_ctx who;
    char token[TOKEN_HEX];
    int64_t t = 1800000000;
    (void)state;
    make_user("login@example.test", ROLE_MEMBER);
    assert_int_equal(account_login(db, a, &pol, app->login_throttle, cli, "login@example.test",
                                   "nope", 4, t, token, &who),
                     APP_E_UNAUTH);
    assert_int_equal(account_login(db, a, &pol, app->login_throttle, cli, "nobody@example.test",
                                   "nope", 4, t, token, &who),
                     APP_E_UNAUTH);
    assert_int_equal(account_login(db, a, &pol, app->login_throttle, cli, "login@example.test",
                                   "a long enough password", 22, t, token, &who),
                     APP_OK);
    assert_int_equal(strlen(token), 64);
    /* a success resets the count: three more failures are needed to throttle */
    for (int i = 0; i < 3; i++)
        assert_int_equal(account_login(db, a, &pol, app->login_throttle, cli, "login@example.test",
                                       "nope", 4, t + 1, token, &who),
                         APP_E_UNAUTH);
    assert_int_equal(account_login(db, a, &pol, app->login_throttle, cli, "login@example.test",
                                   "a long enough password", 22, t + 2, token, &who),
                     APP_E_LIMIT);
    /* after the lock time it works again */
    assert_int_equal(account_login(db, a, &pol, app->login_throttle, cli, "login@example.test",
                                   "a long enough password", 22, t + 602, token, &who),
                     APP_OK);
    /* the session slides while used and ends when idle past the ttl */
    assert_int_equal(account_session_find(db, a, &pol, token, t + 700, true, &who), APP_OK);
    assert_string_equal(who.email, "login@example.test");
    assert_int_equal(account_session_find(db, a, &pol, token, t + 700 + 3599, true, &who), APP_OK);
    assert_int_equal(account_session_find(db, a, &pol, token, t + 700 + 3599 + 3601, true, &who),
                     APP_E_NOTFOUND);
    assert_int_equal(account_session_find(db, a, &pol, "0000", t, true, &who), APP_E_NOTFOUND);
}

/* Past the limit each failure doubles the lock; another client is never locked by it. An
 * attempt counts from the moment it begins, so attempts in flight together get no more
 * guesses than attempts one after the other; a right password takes its attempt back. */
static void test_throttle_doubles_per_client(void **state)
{
    static const unsigned char other[16] = {2};
    struct login_throttle *thr;
    int64_t t = 1900000000;
    (void)state;
    assert_int_equal(login_throttle_new(&thr), APP_OK);
    for (int i = 0; i < 3; i++) /* three wrong passwords: each attempt counted as it begins */
        assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t), APP_OK);
    assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t + 599), APP_E_LIMIT);
    assert_int_equal(login_throttle_try(thr, &pol, other, "x@example.test", t + 1), APP_OK);
    assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t + 600), APP_OK);
    /* the fourth failure locks for twice as long */
    assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t + 600 + 1199),
                     APP_E_LIMIT);
    assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t + 600 + 1200), APP_OK);
    /* a right password forgets the pair's failures */
    login_throttle_ok(thr, &pol, cli, "x@example.test", t + 600 + 1200);
    assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t + 600 + 1201), APP_OK);
    assert_int_equal(login_throttle_try(thr, &pol, cli, "x@example.test", t + 600 + 1202), APP_OK);
    login_throttle_free(thr);
}

/* Ten attempts begun together, none finished: only the limit's worth get to check a
 * password. And a client whose logins succeed is never locked by its own count. */
static void test_throttle_counts_attempts_in_flight(void **state)
{
    struct login_throttle *thr;
    int64_t t = 1900000000;
    int let_through = 0;
    (void)state;
    assert_int_equal(login_throttle_new(&thr), APP_OK);
    for (int i = 0; i < 10; i++)
        let_through += login_throttle_try(thr, &pol, cli, "y@example.test", t) == APP_OK;
    assert_int_equal(let_through, pol.max_fails);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(login_throttle_try(thr, &pol, cli, "z@example.test", t + 1), APP_OK);
        login_throttle_ok(thr, &pol, cli, "z@example.test", t + 1);
    }
    login_throttle_free(thr);
}

static void test_tokens(void **state)
{
    char tok[API_TOKEN_LEN];
    struct user_ctx who;
    struct api_token *list;
    size_t n;
    int64_t uid = make_user("tokens@example.test", ROLE_MEMBER), other, tid;
    (void)state;
    other = make_user("other-tokens@example.test", ROLE_MEMBER);
    assert_int_equal(account_token_create(db, uid, "script", tok, &tid), APP_OK);
    assert_int_equal(strncmp(tok, "ahp_", 4), 0);
    assert_int_equal(account_token_find(db, a, tok, time(NULL), true, &who), APP_OK);
    assert_int_equal(who.id, uid);
    assert_true(who.via_token);
    assert_int_equal(account_token_list(db, a, uid, &list, &n), APP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(strncmp(list[0].prefix, tok, 12), 0);
    /* someone else cannot revoke it */
    assert_int_equal(account_token_revoke(db, other, tid), APP_E_NOTFOUND);
    assert_int_equal(account_token_revoke(db, uid, tid), APP_OK);
    assert_int_equal(account_token_find(db, a, tok, time(NULL), true, &who), APP_E_NOTFOUND);
    assert_int_equal(account_token_list(db, a, uid, &list, &n), APP_OK);
    assert_int_equal(n, 0);
}

static void test_roles_and_audit(void **state)
{
    struct audit_entry *es;
    size_t n;
    int64_t total;
    int64_t admin = make_user("root@example.test", ROLE_ADMIN);
    int64_t m = make_user("promoted@example.test", ROLE_MEMBER);
    (void)state;
    assert_int_equal(account_role_set(db, admin, m, ROLE_NONE), APP_E_INVALID);
    assert_int_equal(account_role_set(db, admin, admin, ROLE_MEMBER), APP_E_FORBIDDEN);
    assert_int_equal(account_role_set(db, admin, 987654, ROLE_MEMBER), APP_E_NOTFOUND);
    assert_int_equal(account_role_set(db, admin, m, ROLE_ADMIN), APP_OK);
    assert_int_equal(account_role_set(db, admin, m, ROLE_ADMIN), APP_E_CONFLICT);
    assert_int_equal(account_audit_list(db, a, 0, 10, &es, &n, &total), APP_OK);
    assert_true(n >= 1);
    assert_string_equal(es[0].event, "role_changed");
    assert_string_equal(es[0].detail, "member -> admin");
    assert_string_equal(es[0].actor, "root@example.test");
    assert_string_equal(es[0].subject, "promoted@example.test");
    /* Two admins demoting each other at once are taken one after the other
     * (account_admin_hold): the second is no longer an admin, and is refused, so one is
     * left. Likewise for deactivating. A member is refused outright. */
    assert_int_equal(account_role_set(db, admin, m, ROLE_MEMBER), APP_OK);
    assert_int_equal(account_role_set(db, m, admin, ROLE_MEMBER), APP_E_FORBIDDEN);
    assert_int_equal(account_role_set(db, admin, m, ROLE_ADMIN), APP_OK);
    assert_int_equal(account_user_deactivate(db, admin, m, time(NULL)), APP_OK);
    assert_int_equal(account_user_deactivate(db, m, admin, time(NULL)), APP_E_FORBIDDEN);
    assert_int_equal(account_role_set(db, m, admin, ROLE_MEMBER), APP_E_FORBIDDEN);
}

static void test_user_search(void **state)
{
    struct user *us;
    size_t n;
    int64_t total;
    (void)state;
    make_user("percent_50%@example.test", ROLE_MEMBER);
    make_user("plain@example.test", ROLE_MEMBER);
    /* LIKE wildcards in the search text are literal */
    assert_int_equal(account_user_list(db, a, "50%", ROLE_NONE, 0, 10, &us, &n, &total), APP_OK);
    assert_int_equal(n, 1);
    assert_string_equal(us[0].email, "percent_50%@example.test");
    assert_int_equal(account_user_list(db, a, "_", ROLE_NONE, 0, 10, &us, &n, &total), APP_OK);
    assert_int_equal(total, 1);
    assert_int_equal(account_user_list(db, a, "PLAIN", ROLE_NONE, 0, 10, &us, &n, &total), APP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(account_user_list(db, a, "", ROLE_ADMIN, 0, 10, &us, &n, &total), APP_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(us[i].role, ROLE_ADMIN);
    /* paging */
    assert_int_equal(account_user_list(db, a, "", ROLE_NONE, 1, 2, &us, &n, &total), APP_OK);
    assert_int_equal(n, 2);
    assert_true(total >= 5);
}

static void test_password_policy(void **state)
{
    char h[PASSWORD_HASH_MAX];
    (void)state;
    assert_non_null(password_policy("short", 5, NULL));
    assert_non_null(password_policy("aaaaaaaaaaaaaaa", 15, NULL));
    assert_non_null(password_policy("me@example.test", 15, "me@example.test"));
    assert_null(password_policy("a good long passphrase", 22, "me@example.test"));
    /* Common passwords and keyboard runs, padded with digits or symbols to 12 characters. */
    assert_non_null(password_policy("password1234", 12, NULL));
    assert_non_null(password_policy("qwertyuiop123", 13, NULL));
    assert_non_null(password_policy("2024!Physiotherapy!", 19, NULL));
    assert_non_null(password_policy("#Welcome12345", 13, NULL));
    assert_non_null(password_policy("ASDFGHJKL#123", 13, NULL));
    assert_non_null(password_policy("123456789012", 12, NULL));
    assert_non_null(password_policy("12ab34567890", 12, NULL));
    assert_null(password_policy("password is long enough", 23, NULL));
    assert_null(password_policy("1234 sunny beach hut", 20, NULL));
    assert_int_equal(password_hash("a good long passphrase", 22, h), APP_OK);
    assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
    assert_true(password_verify(h, "a good long passphrase", 22));
    assert_false(password_verify(h, "a good long passphrasf", 22));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_get),
        cmocka_unit_test(test_login_throttle_and_expiry),
        cmocka_unit_test(test_throttle_doubles_per_client),
        cmocka_unit_test(test_throttle_counts_attempts_in_flight),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_roles_and_audit),
        cmocka_unit_test(test_user_search),
        cmocka_unit_test(test_password_policy),
    };
    return cmocka_run_group_tests_name("account", tests, setup, teardown);
}
