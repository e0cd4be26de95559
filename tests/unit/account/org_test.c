/* org_test.c: the organisation domain without HTTP — ODS codes, finding an organisation by
 * what someone typed, the demo's idempotent creation, and a member's defaults
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
#include "account/oidc.h"
#include "account/org.h"
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

static void test_ods_code_rule(void **state)
{
    static const char *const good[] = {"RJ1", "RJ121", "DEMO01", "ABCDEFGHIJ", "123"};
    static const char *const bad[] = {NULL, "", "RJ", "ABCDEFGHIJK", "rj1", "R-1", "RJ 1", "RJé"};
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(account_ods_code_valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(account_ods_code_valid(bad[i]));
}

/* The demo's organisations: made once; an ODS code is given to one that has none, never
 * changed once it has one. */
static void test_ensure(void **state)
{
    int64_t id, again;
    struct org o;
    (void)state;
    assert_int_equal(account_org_ensure(db, "Ensure Test Trust", NULL, "london", &id), APP_OK);
    assert_int_equal(account_org_get(db, a, id, &o), APP_OK);
    assert_string_equal(o.ods_code, "");
    assert_int_equal(account_org_ensure(db, "Ensure Test Trust", "ENS1", "midlands", &again),
                     APP_OK);
    assert_int_equal(again, id);
    assert_int_equal(account_org_ensure(db, "Ensure Test Trust", "ENS2", "", &again), APP_OK);
    assert_int_equal(account_org_get(db, a, id, &o), APP_OK);
    assert_string_equal(o.ods_code, "ENS1");
    assert_string_equal(o.region, "london");
    assert_int_equal(o.members, 0);
    /* another organisation cannot take the code */
    assert_int_equal(account_org_ensure(db, "Other Ensure Trust", "ENS1", "", &again),
                     APP_E_CONFLICT);
}

static void test_find_and_check(void **state)
{
    struct org o;
    const char *field = NULL;
    int64_t id;
    struct org_input in = {"Find Test Trust", " fnd7 ", "north-west"};
    (void)state;
    assert_int_equal(account_org_create(db, 0, &in, &id, &field), APP_OK);
    assert_null(field);
    assert_int_equal(account_org_find(db, a, "  find TEST trust ", &o), APP_OK);
    assert_int_equal(o.id, id);
    assert_string_equal(o.ods_code, "FND7");
    assert_int_equal(account_org_find(db, a, "fnd7", &o), APP_OK);
    assert_int_equal(o.id, id);
    assert_int_equal(account_org_find(db, a, "Find Test", &o), APP_E_NOTFOUND);
    assert_int_equal(account_org_find(db, a, "", &o), APP_E_NOTFOUND);
    /* refusals name their field */
    in = (struct org_input){"FIND test trust", NULL, NULL};
    assert_int_equal(account_org_create(db, 0, &in, &id, &field), APP_E_CONFLICT);
    assert_string_equal(field, "name");
    in = (struct org_input){"Found Test Trust", "FND7", NULL};
    assert_int_equal(account_org_create(db, 0, &in, &id, &field), APP_E_CONFLICT);
    assert_string_equal(field, "ods_code");
    in = (struct org_input){"Found Test Trust", "F", NULL};
    assert_int_equal(account_org_create(db, 0, &in, &id, &field), APP_E_INVALID);
    assert_string_equal(field, "ods_code");
    in = (struct org_input){"Found Test Trust", NULL, "nowhere"};
    assert_int_equal(account_org_create(db, 0, &in, &id, &field), APP_E_INVALID);
    assert_string_equal(field, "region");
    in = (struct org_input){"", NULL, NULL};
    assert_int_equal(account_org_create(db, 0, &in, &id, &field), APP_E_INVALID);
    assert_string_equal(field, "name");
    assert_int_equal(account_org_find(db, a, "Found Test Trust", &o), APP_E_NOTFOUND);
}

static void test_member_defaults(void **state)
{
    struct user u = {0};
    struct member_defaults d;
    int64_t uid, org;
    (void)state;
    u.email = "defaults@example.test";
    u.display_name = "Defaults";
    u.role = ROLE_MEMBER;
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &uid), APP_OK);
    assert_int_equal(account_member_defaults(db, a, uid, &d), APP_OK);
    assert_string_equal(d.profession, "");
    assert_string_equal(d.region, "");
    assert_int_equal(d.organisation_id, 0);
    assert_string_equal(d.organisation, "");
    assert_int_equal(account_org_ensure(db, "Defaults Test Trust", NULL, "", &org), APP_OK);
    assert_int_equal(account_profile_update(db, uid, "Defaults", "dietitian", "london", org),
                     APP_OK);
    assert_int_equal(account_member_defaults(db, a, uid, &d), APP_OK);
    assert_string_equal(d.profession, "dietitian");
    assert_string_equal(d.region, "london");
    assert_int_equal(d.organisation_id, org);
    assert_string_equal(d.organisation, "Defaults Test Trust");
    assert_int_equal(account_member_defaults(db, a, 999999, &d), APP_E_NOTFOUND);
}

/* An admin demoted (or deactivated) while a form was open changes nothing: each change checks,
 * inside its transaction, that the actor is still an admin. */
static void test_former_admin(void **state)
{
    struct user u = {0};
    struct org o;
    struct org_merge done;
    const char **domains = NULL;
    const char *field = NULL;
    size_t nd = 0;
    int64_t admin, former, from, into, id = 0;
    struct org_input in = {"Former Admin Trust", NULL, "london"};
    (void)state;
    u.email = "still-admin@example.test";
    u.display_name = "Still Admin";
    u.role = ROLE_ADMIN;
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &admin), APP_OK);
    u.email = "former-admin@example.test";
    u.display_name = "Former Admin";
    assert_int_equal(account_user_create(db, &u, "a long enough password", 22, &former), APP_OK);
    assert_int_equal(account_role_set(db, admin, former, ROLE_MEMBER), APP_OK);

    assert_int_equal(account_org_create(db, former, &in, &id, &field), APP_E_FORBIDDEN);
    assert_int_equal(account_org_find(db, a, "Former Admin Trust", &o), APP_E_NOTFOUND);
    assert_int_equal(account_org_create(db, admin, &in, &from, &field), APP_OK);
    in.name = "Former Admin Other Trust";
    assert_int_equal(account_org_create(db, admin, &in, &into, &field), APP_OK);
    in.name = "Renamed By A Former Admin";
    assert_int_equal(account_org_update(db, former, from, &in, &field), APP_E_FORBIDDEN);
    assert_int_equal(account_org_get(db, a, from, &o), APP_OK);
    assert_string_equal(o.name, "Former Admin Trust");
    assert_int_equal(account_org_merge(db, a, former, from, into, &done), APP_E_FORBIDDEN);
    assert_int_equal(account_org_get(db, a, from, &o), APP_OK);
    assert_int_equal(account_org_update(db, admin, from, &in, &field), APP_OK);

    assert_int_equal(oidc_domain_add(db, former, "former-admin.example"), APP_E_FORBIDDEN);
    assert_int_equal(oidc_domain_add(db, admin, "former-admin.example"), APP_OK);
    assert_int_equal(oidc_domain_remove(db, former, "former-admin.example"), APP_E_FORBIDDEN);
    assert_int_equal(oidc_domain_list(db, a, &domains, &nd), APP_OK);
    assert_int_equal(nd, 1);
    assert_string_equal(domains[0], "former-admin.example");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ods_code_rule),
        cmocka_unit_test(test_ensure),
        cmocka_unit_test(test_find_and_check),
        cmocka_unit_test(test_member_defaults),
        cmocka_unit_test(test_former_admin),
    };
    return cmocka_run_group_tests_name("account/org", tests, setup, teardown);
}
