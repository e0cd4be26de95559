/* sets_demo_test.c: the demonstration action learning sets
 *
 * `ahphub demo` must leave a programme split into published sets with a facilitator each, two
 * meetings held and two planned per set, and the named demo member in one of them led by the
 * demo facilitator, so that `make run` shows "Your set"; a second run changes nothing. Runs
 * on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "account/cohort.h"
#include "connect/set.h"
#include "connect/sets.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

#define NOW 1800000000

static struct app *app;
static struct db *db;
static struct arena *a;
static int64_t sam, fac;

static int64_t q(const char *sql)
{
    return testapp_int(app, sql, NULL);
}

static void test_published_sets_with_sam(void **state)
{
    struct set_group *mine;
    struct set_split *splits;
    struct set_meeting *mt;
    size_t n, nmt, held = 0;
    int64_t cohort;
    int made = 0;
    (void)state;
    assert_int_equal(account_demo_cohort(db, SETS_DEMO_COHORT, SETS_DEMO_SIZE, &cohort, &made),
                     APP_OK);
    assert_int_equal(connect_sets_demo(db, SETS_DEMO_COHORT, fac, sam, fac, NOW, &made), APP_OK);
    assert_int_equal(made, 1);
    /* 121 people (Sam added) in 20 sets of 6 or 7, every one with a facilitator */
    assert_int_equal(q("SELECT count(*) FROM connect_set_members"), SETS_DEMO_SIZE + 1);
    assert_int_equal(q("SELECT count(*) FROM connect_sets"), 20);
    assert_int_equal(q("SELECT count(*) FROM connect_sets WHERE facilitator_id IS NULL"), 0);
    assert_int_equal(q("SELECT count(*) FROM connect_splits WHERE published_at > 0"), 1);
    assert_true(q("SELECT score FROM connect_splits") >
                q("SELECT random_score FROM connect_splits"));
    /* Sam's set, led by the demo facilitator, two meetings held with themes, two to come */
    assert_int_equal(connect_set_list_for(db, a, sam, &mine, &splits, &n), APP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mine[0].facilitator_id, fac);
    assert_true(mine[0].nmembers >= SETS_MIN && mine[0].nmembers <= SETS_MAX);
    assert_int_equal(connect_set_meetings(db, a, mine[0].id, &mt, &nmt), APP_OK);
    assert_int_equal(nmt, 4);
    for (size_t i = 0; i < nmt; i++) {
        held += mt[i].held;
        assert_true(mt[i].held ? mt[i].theme[0] != '\0' && mt[i].meets_on < NOW
                               : mt[i].theme[0] == '\0' && mt[i].meets_on > NOW);
    }
    assert_int_equal(held, 2);
    /* the facilitator sees it too */
    assert_int_equal(connect_set_list_for(db, a, fac, &mine, &splits, &n), APP_OK);
    assert_int_equal(n, 1);
    /* again: nothing new */
    assert_int_equal(connect_sets_demo(db, SETS_DEMO_COHORT, fac, sam, fac, NOW, &made), APP_OK);
    assert_int_equal(made, 0);
    assert_int_equal(q("SELECT count(*) FROM connect_splits"), 1);
    assert_int_equal(q("SELECT count(*) FROM connect_set_meetings"), 80);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    testapp_demo_organisations(app); /* the demo cohort's organisations */
    sam = testapp_user(app, "sam.okafor@demo.ahphub.test", "member", "correct horse battery");
    fac = testapp_user(app, "facilitator@demo.ahphub.test", "facilitator", "correct horse battery");
    return a ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_sets_with_sam),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
