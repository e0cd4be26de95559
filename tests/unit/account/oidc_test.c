/* oidc_test.c: the database side of the organisation's sign-in (account/oidc.c) without HTTP
 *
 * A sign-in under way is taken once: the callback's read-and-delete is one statement, so two
 * callbacks racing with the same cookie (a double click, or a stolen cookie replayed at once)
 * cannot both go on to the provider. Runs on the database AHPHUB_TEST_DB names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "account/oidc.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

#define NOW 1800000000

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

struct taker {
    const char *key, *state;
    int rc;
};

static void *take(void *arg)
{
    struct taker *t = arg;
    struct db *db = db_pool_get(app->pool);
    struct arena *a = arena_new();
    struct oidc_pending p;
    t->rc = oidc_pending_take(db, a, t->key, t->state, NOW + 1, &p);
    arena_free(a);
    db_pool_put(app->pool, db);
    return NULL;
}

static void test_pending_is_taken_once(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        struct db *db = db_pool_get(app->pool);
        struct oidc_pending p;
        char key[TOKEN_HEX];
        struct taker t[2];
        pthread_t th[2];
        assert_int_equal(oidc_pending_start(db, "/listen", NOW, key, &p), APP_OK);
        db_pool_put(app->pool, db);
        for (int i = 0; i < 2; i++) {
            t[i] = (struct taker){key, p.state, -1};
            assert_int_equal(pthread_create(&th[i], NULL, take, &t[i]), 0);
        }
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        assert_true((t[0].rc == APP_OK && t[1].rc == APP_E_NOTFOUND) ||
                    (t[1].rc == APP_OK && t[0].rc == APP_E_NOTFOUND));
    }
}

static void test_pending_values(void **state)
{
    struct db *db = db_pool_get(app->pool);
    struct arena *a = arena_new();
    struct oidc_pending p, got;
    char key[TOKEN_HEX], other[TOKEN_HEX];
    (void)state;
    assert_int_equal(oidc_pending_start(db, "/assess", NOW, key, &p), APP_OK);
    /* 32 random bytes each, base64url without padding; the challenge is S256 of the verifier
     * (the HTTP tests' provider checks the one against the other) */
    assert_int_equal(strlen(p.state), 43);
    assert_int_equal(strlen(p.nonce), 43);
    assert_int_equal(strlen(p.verifier), 43);
    assert_int_equal(strlen(p.challenge), 43);
    assert_string_not_equal(p.state, p.nonce);
    assert_string_not_equal(p.verifier, p.challenge);
    /* the database holds the key's hash, never the key */
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM oidc_logins WHERE key_hash = $1", key),
                     0);
    /* a wrong state uses it up all the same */
    assert_int_equal(oidc_pending_take(db, a, key, "not-the-state", NOW + 1, &got),
                     APP_E_FORBIDDEN);
    assert_int_equal(oidc_pending_take(db, a, key, p.state, NOW + 1, &got), APP_E_NOTFOUND);
    /* the right one, in time: the values come back */
    assert_int_equal(oidc_pending_start(db, "/assess", NOW, key, &p), APP_OK);
    assert_int_equal(oidc_pending_take(db, a, key, p.state, NOW + OIDC_PENDING_TTL - 1, &got),
                     APP_OK);
    assert_string_equal(got.nonce, p.nonce);
    assert_string_equal(got.verifier, p.verifier);
    assert_string_equal(got.next, "/assess");
    /* too late */
    assert_int_equal(oidc_pending_start(db, "", NOW, key, &p), APP_OK);
    assert_int_equal(oidc_pending_take(db, a, key, p.state, NOW + OIDC_PENDING_TTL, &got),
                     APP_E_NOTFOUND);
    /* no cookie, or one that names nothing */
    assert_int_equal(oidc_pending_take(db, a, NULL, p.state, NOW, &got), APP_E_NOTFOUND);
    memset(other, 'a', sizeof other - 1);
    other[sizeof other - 1] = '\0';
    assert_int_equal(oidc_pending_take(db, a, other, p.state, NOW, &got), APP_E_NOTFOUND);
    /* abandoned sign-ins go when the next one starts */
    assert_int_equal(oidc_pending_start(db, "", NOW, key, &p), APP_OK);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM oidc_logins", NULL), 1);
    assert_int_equal(oidc_pending_start(db, "", NOW + OIDC_PENDING_TTL + 1, key, &p), APP_OK);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM oidc_logins", NULL), 1);
    arena_free(a);
    db_pool_put(app->pool, db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pending_values),
        cmocka_unit_test(test_pending_is_taken_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
