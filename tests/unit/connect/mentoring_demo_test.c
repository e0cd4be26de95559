/* mentoring_demo_test.c: the demonstration mentoring round
 *
 * `ahphub demo` must leave a named demo login with a proposed match waiting for their own
 * answer, so that someone trying the site can accept or decline one: Jo's match with Hannah
 * answered by neither, Ravi's accepted by him and waiting for Hannah, beside Sam's
 * relationship with Hannah. connect_mentoring_demo_waiting() names those logins for the
 * printed demo logins, and stops naming one once they have answered. A second run changes
 * nothing. Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "connect/mentoring.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

#define NOW 1800000000

static struct app *app;
static struct db *db;
static struct arena *a;
static int64_t sam, hannah, jo, ravi, fac;

/* The mentee's one match with Hannah, in *m. */
static void match_with(int64_t mentee, struct connect_match *m)
{
    struct connect_match *ms;
    size_t n, found = 0;
    assert_int_equal(connect_matches_for(db, a, mentee, &ms, &n), APP_OK);
    for (size_t i = 0; i < n; i++)
        if (ms[i].mentor_id == hannah) {
            *m = ms[i];
            found++;
        }
    assert_int_equal(found, 1);
}

static void test_matches_waiting_for_an_answer(void **state)
{
    struct connect_match m;
    const char **w;
    size_t nw;
    int64_t rel;
    bool made = false;
    (void)state;
    assert_int_equal(connect_mentoring_demo(db, fac, 60, NOW, &made), APP_OK);
    assert_true(made);
    /* Sam and Hannah: accepted, a relationship */
    match_with(sam, &m);
    assert_string_equal(m.status, "accepted");
    assert_true(m.relationship_id > 0);
    /* Jo: proposed, answered by neither */
    match_with(jo, &m);
    assert_string_equal(m.status, "proposed");
    assert_string_equal(m.mentee_answer, "");
    assert_string_equal(m.mentor_answer, "");
    /* Ravi: proposed, accepted by him, waiting for Hannah */
    match_with(ravi, &m);
    assert_string_equal(m.status, "proposed");
    assert_string_equal(m.mentee_answer, "accepted");
    assert_string_equal(m.mentor_answer, "");
    /* the logins said to have a match waiting: Hannah and Jo, not Sam or Ravi */
    assert_int_equal(connect_mentoring_demo_waiting(db, a, &w, &nw), APP_OK);
    assert_int_equal(nw, 2);
    assert_string_equal(w[0], "hannah.lee@demo.ahphub.test");
    assert_string_equal(w[1], "jo.walsh@demo.ahphub.test");
    /* once Jo has answered, only Hannah is */
    match_with(jo, &m);
    assert_int_equal(connect_match_answer(db, a, m.id, jo, true, NOW, &rel), APP_OK);
    assert_int_equal(connect_mentoring_demo_waiting(db, a, &w, &nw), APP_OK);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0], "hannah.lee@demo.ahphub.test");
    /* again: nothing new */
    assert_int_equal(connect_mentoring_demo(db, fac, 60, NOW, &made), APP_OK);
    assert_false(made);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM connect_rounds", NULL), 1);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    testapp_demo_organisations(app); /* the demo cohort's organisations */
    sam = testapp_user(app, "sam.okafor@demo.ahphub.test", "member", "correct horse battery");
    hannah = testapp_user(app, "hannah.lee@demo.ahphub.test", "member", "correct horse battery");
    jo = testapp_user(app, "jo.walsh@demo.ahphub.test", "member", "correct horse battery");
    ravi = testapp_user(app, "ravi.patel@demo.ahphub.test", "member", "correct horse battery");
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
        cmocka_unit_test(test_matches_waiting_for_an_answer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
