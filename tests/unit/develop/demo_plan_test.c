/* demo_plan_test.c: the demonstration cohort's self-assessments and the first member's plan
 *
 * The gap view must have content on `make run`: every cohort member gets one submitted
 * self-assessment whose stored domain means are those of its ratings, digital leadership
 * comes out weakest, and a second run changes nothing. The first demo member's plan is built
 * from their recommendations, with goals, one activity done with a reflection and one of
 * their own. Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "account/cohort.h"
#include "core/arena.h"
#include "core/err.h"
#include "develop/demo.h"
#include "develop/gaps.h"
#include "develop/measured.h"
#include "develop/recommend.h"
#include "develop/plan.h"
#include "develop/self.h"
#include "store/db.h"
#include "support/testapp.h"

#define NOW 1800000000

static struct app *app;
static struct db *db;
static struct arena *a;

static void test_cohort_self_assessments(void **state)
{
    int64_t cohort, n;
    struct develop_group_gaps g;
    int made = 0;
    (void)state;
    assert_int_equal(account_cohort_create(db, 0, "Demo test cohort", "", &cohort), APP_OK);
    for (int i = 0; i < 40; i++) {
        char email[64];
        snprintf(email, sizeof email, "c%d@demo.test", i);
        assert_int_equal(
            account_cohort_add(db, cohort, testapp_user(app, email, "member", "long password 1")),
            APP_OK);
    }
    assert_int_equal(develop_demo_cohort(db, cohort, NOW, &made), APP_OK);
    assert_int_equal(made, 40);
    n = testapp_int(app,
                    "SELECT COUNT(*) FROM develop_self_assessments WHERE submitted_at > 0 "
                    "AND domain_means <> ''",
                    NULL);
    assert_int_equal(n, 40);
    /* the stored means are the ratings' */
    {
        struct db_stmt *st = NULL;
        struct develop_framework fw;
        struct develop_answer *ans;
        int64_t id;
        char stored[256];
        assert_int_equal(db_row(db,
                                "SELECT id, framework_id, domain_means FROM "
                                "develop_self_assessments ORDER BY id LIMIT 1",
                                &st, ""),
                         APP_OK);
        id = db_col_int(st, 0);
        snprintf(stored, sizeof stored, "%s", db_col_text(st, 2));
        assert_int_equal(develop_version_load(db, a, db_col_int(st, 1), &fw), APP_OK);
        db_finalize(st);
        assert_int_equal(develop_self_answers(db, a, &fw, id, &ans), APP_OK);
        assert_string_equal(develop_means_text(a, &fw, ans), stored);
    }
    /* digital leadership is the weakest area with a figure */
    assert_int_equal(
        develop_group_gaps(db, a, "ahp-clinical-leadership", DGK_COHORT, cohort, NULL, &g), APP_OK);
    assert_true(g.domains[0].mean.shown);
    assert_string_equal(g.domains[0].id, "digital");
    assert_int_equal(g.counted.value, 40);
    /* a second run changes nothing */
    assert_int_equal(develop_demo_cohort(db, cohort, NOW, &made), APP_OK);
    assert_int_equal(made, 0);
    assert_int_equal(testapp_int(app, "SELECT COUNT(*) FROM develop_self_assessments", NULL), 40);
}

static void test_first_members_plan(void **state)
{
    int64_t sam = testapp_user(app, "sam.okafor@demo.ahphub.test", "member", "long password 1");
    struct develop_goal *goals;
    struct develop_plan_item *items;
    size_t ng, ni, done = 0, own = 0, reasons = 0;
    int made = 0;
    (void)state;
    assert_int_equal(develop_demo(db, sam, NOW, &made), APP_OK);
    assert_int_equal(develop_demo_plan(db, sam, NOW, &made), APP_OK);
    assert_int_equal(made, 1);
    assert_int_equal(develop_goal_list(db, a, sam, &goals, &ng), APP_OK);
    assert_int_equal(develop_item_list(db, a, sam, &items, &ni), APP_OK);
    assert_int_equal(ng, 2);
    assert_int_equal(ni, 4);
    for (size_t i = 0; i < ni; i++) {
        done += !strcmp(items[i].status, "done") && *items[i].reflection;
        own += items[i].activity_id == 0;
        reasons += *items[i].reason != '\0';
    }
    assert_int_equal(done, 1);
    assert_int_equal(own, 1);
    assert_int_equal(reasons, 3);
    assert_int_equal(develop_demo_plan(db, sam, NOW, &made), APP_OK);
    assert_int_equal(made, 0);
    {
        /* the demo's closed 360 reaches the recommendations: its blind spot is a gap */
        struct develop_measured mz;
        struct develop_gap *gaps;
        struct develop_recommendation *recs;
        size_t ngaps, nrecs, from_360 = 0;
        assert_int_equal(develop_measured_load(db, NULL, a, sam, NOW, &mz), APP_OK);
        assert_true(mz.in.nfeedback > 0);
        assert_int_equal(develop_recommend(a, &mz.in, &gaps, &ngaps, &recs, &nrecs), APP_OK);
        for (size_t i = 0; i < ngaps; i++)
            if (gaps[i].source == DGS_FEEDBACK) {
                from_360++;
                assert_non_null(strstr(gaps[i].text, "below your own rating"));
            }
        assert_true(from_360 > 0);
    }
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
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
        cmocka_unit_test(test_cohort_self_assessments),
        cmocka_unit_test(test_first_members_plan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
