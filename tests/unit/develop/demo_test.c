/* demo_test.c: the demonstration self-assessments
 *
 * The first demo member must land on a "My development" page with a history: two submitted
 * self-assessments months apart, the later one higher in digital leadership, an area left
 * unrated the first time, and a second run that changes nothing. Runs on the database
 * AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "develop/demo.h"
#include "develop/self.h"
#include "store/db.h"
#include "support/testapp.h"

#define NOW 1800000000

static struct app *app;
static struct db *db;
static struct arena *a;
static int64_t sam;

static void results(const struct develop_self *s, struct develop_framework *fw,
                    struct develop_result *r)
{
    struct develop_answer *ans;
    assert_int_equal(develop_version_load(db, a, s->framework_id, fw), APP_OK);
    assert_int_equal(develop_self_answers(db, a, fw, s->id, &ans), APP_OK);
    assert_int_equal(develop_score(fw, ans, r), APP_OK);
}

static void test_two_self_assessments_months_apart(void **state)
{
    struct develop_self *list;
    struct develop_framework fw;
    struct develop_result early[9], late[9];
    size_t n, digital = 0, equality = 0;
    int made = 0;
    (void)state;
    assert_int_equal(develop_demo(db, sam, NOW, &made), APP_OK);
    assert_int_equal(made, 1);
    assert_int_equal(develop_self_list(db, a, sam, &list, &n), APP_OK);
    assert_int_equal(n, 2);
    /* newest first, both submitted, about four months apart */
    assert_true(list[0].submitted_at > 0 && list[1].submitted_at > 0);
    assert_true(list[0].submitted_at - list[1].submitted_at >= 90 * 24 * 3600);
    assert_true(list[0].submitted_at <= NOW);
    results(&list[1], &fw, early);
    results(&list[0], &fw, late);
    assert_int_equal(fw.ndomains, 9);
    for (size_t d = 0; d < fw.ndomains; d++) {
        if (!strcmp(fw.domains[d].id, "digital"))
            digital = d;
        if (!strcmp(fw.domains[d].id, "equality"))
            equality = d;
    }
    assert_true(early[digital].scored && late[digital].scored);
    assert_true(late[digital].mean > early[digital].mean);
    assert_false(early[equality].scored);
    assert_true(late[equality].scored);
    /* a second run changes nothing */
    assert_int_equal(develop_demo(db, sam, NOW + 100, &made), APP_OK);
    assert_int_equal(made, 0);
    assert_int_equal(develop_self_list(db, a, sam, &list, &n), APP_OK);
    assert_int_equal(n, 2);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    sam = testapp_user(app, "sam.okafor@demo.ahphub.test", "member", "correct horse battery");
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
        cmocka_unit_test(test_two_self_assessments_months_apart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
