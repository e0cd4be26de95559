/* cohort_test.c: cohort pages and API through the loopback — who may use them, making and
 * renaming one, a pasted list added with what happened to each address, taking a member out,
 * deleting only with a confirmation, and a pasted list that the database fails half way
 * through adding nothing and answering "try again"
 *
 * Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac, member;
static int64_t member_id;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    member_id = testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "other@example.test", "member", PW);
    tc_init(&fac, app);
    tc_init(&member, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&member, "member@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_fault_after(0);
    tc_free(&fac);
    tc_free(&member);
    testapp_free(app);
    return 0;
}

static int64_t cohort_id(const char *name)
{
    return testapp_int(app, "SELECT id FROM cohorts WHERE name = $1", name);
}

static int64_t members_of(int64_t id)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM cohort_members WHERE cohort_id = %lld",
             (long long)id);
    return testapp_int(app, sql, NULL);
}

static void test_members_may_not(void **state)
{
    (void)state;
    assert_int_equal(tc_get(&member, "/cohorts"), 403);
    assert_int_equal(tc_post_form(&member, "/cohorts", "name=Mine", 1), 403);
    assert_int_equal(cohort_id("Mine"), -1);
}

static void test_make_add_remove_delete(void **state)
{
    char uri[96];
    int64_t id;
    (void)state;
    assert_int_equal(tc_post_form(&fac, "/cohorts", "name=North+West+2027&description=Intake",
                                  1),
                     303);
    id = cohort_id("North West 2027");
    assert_true(id > 0);
    /* the same name in another case is refused on its field, nothing made */
    assert_int_equal(tc_post_form(&fac, "/cohorts", "name=north+west+2027", 1), 400);
    assert_true(tc_body_has(&fac, "There is already a cohort with this name"));
    assert_int_equal(tc_post_form(&fac, "/cohorts", "name=", 1), 400);
    assert_true(tc_body_has(&fac, "Enter a name for the cohort"));
    /* a pasted list: the page says what happened to each address */
    snprintf(uri, sizeof uri, "/cohorts/%lld/members", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri,
                                  "emails=MEMBER%40example.test%0Anobody%40example.test%2C+"
                                  "not-an-address",
                                  1),
                     200);
    assert_true(tc_body_has(&fac, "Added 1 person."));
    assert_true(tc_body_has(&fac, "nobody@example.test"));
    assert_true(tc_body_has(&fac, "not-an-address"));
    assert_int_equal(members_of(id), 1);
    /* the API answers numbers and lists */
    snprintf(uri, sizeof uri, "/api/v1/cohorts/%lld/members", (long long)id);
    assert_int_equal(
        tc_post_json(&fac, uri, "{\"emails\": \"member@example.test other@example.test\"}"), 200);
    assert_true(tc_body_has(&fac, "\"added\": 1") || tc_body_has(&fac, "\"added\":1"));
    assert_true(tc_body_has(&fac, "\"already\": 1") || tc_body_has(&fac, "\"already\":1"));
    assert_int_equal(members_of(id), 2);
    snprintf(uri, sizeof uri, "/api/v1/cohorts/%lld", (long long)id);
    assert_int_equal(tc_get_json(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"members\": 2") || tc_body_has(&fac, "\"members\":2"));
    /* taking one out */
    snprintf(uri, sizeof uri, "/cohorts/%lld/members/%lld/remove", (long long)id,
             (long long)member_id);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    assert_int_equal(members_of(id), 1);
    /* deleting needs the confirmation */
    snprintf(uri, sizeof uri, "/cohorts/%lld/delete", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 400);
    assert_true(tc_body_has(&fac, "Confirm that you want to delete"));
    assert_true(cohort_id("North West 2027") > 0);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yes", 1), 303);
    assert_int_equal(cohort_id("North West 2027"), -1);
    assert_int_equal(tc_get(&fac, "/cohorts/999999"), 404);
    assert_int_equal(tc_get(&fac, "/cohorts/abc"), 404);
}

/* Every database call of a pasted list failing in turn: "try again" and nobody added, or
 * everybody added and the page saying so (a failure after the commit may leave the member
 * table out, never the result). */
static void test_add_fault_sweep(void **state)
{
    char uri[96];
    int64_t id;
    long calls;
    int failed = 0;
    (void)state;
    assert_int_equal(tc_post_form(&fac, "/cohorts", "name=Sweep", 1), 303);
    id = cohort_id("Sweep");
    snprintf(uri, sizeof uri, "/cohorts/%lld/members", (long long)id);
    db_fault_count_start();
    assert_int_equal(tc_post_form(&fac, uri, "emails=member%40example.test+other%40example.test",
                                  1),
                     200);
    calls = db_fault_count();
    db_fault_after(0);
    assert_int_equal(members_of(id), 2);
    for (long n = 1; n <= calls; n++) {
        int status;
        char sql[96];
        snprintf(sql, sizeof sql, "DELETE FROM cohort_members WHERE cohort_id = %lld",
                 (long long)id);
        assert_int_equal(testapp_int(app, sql, NULL), -1); /* no row: done */
        assert_int_equal(members_of(id), 0);
        db_fault_after(n);
        status = tc_post_form(&fac, uri, "emails=member%40example.test+other%40example.test", 1);
        db_fault_after(0);
        if (status == 503) {
            assert_true(tc_body_has(&fac, "Try again") || tc_body_has(&fac, "try again"));
            if (members_of(id) != 0)
                fail_msg("call %ld of %ld failed: 503 but %lld added", n, calls,
                         (long long)members_of(id));
            failed++;
        } else if (status != 200 || members_of(id) != 2 || !tc_body_has(&fac, "Added 2 people.")) {
            fail_msg("call %ld of %ld failed: answered %d", n, calls, status);
        }
    }
    assert_true(failed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members_may_not),
        cmocka_unit_test(test_make_add_remove_delete),
        cmocka_unit_test(test_add_fault_sweep),
    };
    return cmocka_run_group_tests_name("http/cohort", tests, setup, teardown);
}
