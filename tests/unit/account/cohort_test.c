/* cohort_test.c: cohorts without HTTP — names, adding a pasted list, the membership that
 * goes with an account, the audit trail and the demo cohort
 *
 * Runs on the database AHPHUB_TEST_DB names (SQLite and PostgreSQL in make check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "account/account.h"
#include "account/cohort.h"
#include "account/demo.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;
static struct arena *a;

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

static int64_t user(const char *email, const char *name)
{
    struct user u = {0};
    int64_t id;
    u.email = email;
    u.display_name = name;
    u.role = ROLE_MEMBER;
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &id), APP_OK);
    return id;
}

static void test_names(void **state)
{
    int64_t id, other;
    struct cohort c;
    char long_name[COHORT_NAME_MAX + 2];
    (void)state;
    assert_int_equal(account_cohort_create(db, 0, "North West leaders 2026", NULL, &id), APP_OK);
    assert_int_equal(account_cohort_create(db, 0, "NORTH WEST LEADERS 2026", "", &other),
                     APP_E_CONFLICT);
    assert_int_equal(account_cohort_create(db, 0, "  ", "", &other), APP_E_INVALID);
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(account_cohort_create(db, 0, long_name, "", &other), APP_E_INVALID);
    assert_int_equal(account_cohort_update(db, 0, id, "North West leaders", "Second intake"),
                     APP_OK);
    assert_int_equal(account_cohort_get(db, a, id, &c), APP_OK);
    assert_string_equal(c.name, "North West leaders");
    assert_string_equal(c.description, "Second intake");
    assert_int_equal(c.members, 0);
    assert_int_equal(account_cohort_update(db, 0, 999999, "x", ""), APP_E_NOTFOUND);
    assert_int_equal(account_cohort_delete(db, 0, id), APP_OK);
    assert_int_equal(account_cohort_get(db, a, id, &c), APP_E_NOTFOUND);
    assert_int_equal(account_cohort_delete(db, 0, id), APP_E_NOTFOUND);
}

/* A pasted list: addresses in any case and separated anyhow; unknown and malformed entries
 * reported, not refused; a second paste adds nothing twice. */
static void test_add_emails(void **state)
{
    int64_t id, u1 = user("ann.cohort@example.test", "Ann Cohort"),
                u2 = user("bob.cohort@example.test", "Bob Cohort"), *ids;
    struct cohort_added r;
    struct cohort_member *m;
    struct cohort *list;
    size_t n;
    int64_t total;
    (void)state;
    assert_int_equal(account_cohort_create(db, 0, "Paste test", "", &id), APP_OK);
    assert_int_equal(account_cohort_add_emails(db, a, 0, id,
                                               "ANN.cohort@example.test, nobody@example.test;\n"
                                               "not-an-address  bob.cohort@example.test",
                                               &r),
                     APP_OK);
    assert_int_equal(r.added, 2);
    assert_int_equal(r.already, 0);
    assert_int_equal(r.n_unknown, 1);
    assert_string_equal(r.unknown[0], "nobody@example.test");
    assert_int_equal(r.n_invalid, 1);
    assert_string_equal(r.invalid[0], "not-an-address");
    assert_int_equal(account_cohort_add_emails(db, a, 0, id, "bob.cohort@example.test", &r),
                     APP_OK);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.already, 1);
    assert_int_equal(account_cohort_members(db, a, id, 0, 50, &m, &n, &total), APP_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].display_name, "Ann Cohort");
    assert_int_equal(m[1].user_id, u2);
    assert_int_equal(account_cohort_member_ids(db, a, id, &ids, &n), APP_OK);
    assert_int_equal(n, 2);
    assert_true(ids[0] < ids[1]);
    assert_int_equal(account_cohort_list_for(db, a, u1, &list, &n), APP_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "Paste test");
    assert_int_equal(list[0].members, 2);
    /* unknown cohort */
    assert_int_equal(account_cohort_add_emails(db, a, 0, 999999, "ann.cohort@example.test", &r),
                     APP_E_NOTFOUND);
    assert_int_equal(account_cohort_add(db, 999999, u1), APP_E_NOTFOUND);
    /* removal */
    assert_int_equal(account_cohort_remove(db, 0, id, u1), APP_OK);
    assert_int_equal(account_cohort_remove(db, 0, id, u1), APP_E_NOTFOUND);
    assert_int_equal(account_cohort_list_for(db, a, u1, &list, &n), APP_OK);
    assert_int_equal(n, 0);
}

/* Too long a paste is refused whole, before anything is added. */
static void test_add_limit(void **state)
{
    int64_t id;
    struct cohort_added r;
    struct cohort c;
    size_t len = (COHORT_ADD_MAX + 1) * 3;
    char *text = arena_alloc(a, len + 1);
    (void)state;
    assert_non_null(text);
    for (size_t i = 0; i < len; i += 3)
        memcpy(text + i, "x@ ", 3);
    text[len] = '\0';
    assert_int_equal(account_cohort_create(db, 0, "Limit test", "", &id), APP_OK);
    assert_int_equal(account_cohort_add_emails(db, a, 0, id, text, &r), APP_E_INVALID);
    assert_int_equal(account_cohort_get(db, a, id, &c), APP_OK);
    assert_int_equal(c.members, 0);
}

/* The demo cohort: made once, the same people each time, spread over professions. */
static void test_demo_cohort(void **state)
{
    int64_t id, again, *ids;
    int made, created;
    size_t n;
    struct cohort_member *m;
    int64_t total;
    (void)state;
    assert_int_equal(account_demo(db, NULL, &created), APP_OK);
    assert_int_equal(account_demo_cohort(db, "Demo cohort test", 300, &id, &made), APP_OK);
    assert_int_equal(made, 1);
    assert_int_equal(account_demo_cohort(db, "Demo cohort test", 300, &again, &made), APP_OK);
    assert_int_equal(made, 0);
    assert_int_equal(again, id);
    assert_int_equal(account_cohort_member_ids(db, a, id, &ids, &n), APP_OK);
    assert_int_equal(n, 300);
    assert_int_equal(account_cohort_members(db, a, id, 0, 300, &m, &n, &total), APP_OK);
    {
        int distinct = 0;
        for (size_t i = 0; i < professions_count; i++)
            for (size_t j = 0; j < n; j++)
                if (!strcmp(m[j].profession, professions[i].code)) {
                    distinct++;
                    break;
                }
        assert_true(distinct >= 10);
        for (size_t j = 0; j < n; j++)
            assert_true(m[j].organisation_id > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_add_emails),
        cmocka_unit_test(test_add_limit),
        cmocka_unit_test(test_demo_cohort),
    };
    return cmocka_run_group_tests_name("account/cohort", tests, setup, teardown);
}
