/* account_refused_test.c: a write of the account pages whose request has a refused field
 * (too long, a control character, not a date or a number) writes nothing and answers as the
 * form answers its own errors: 400, the message, and what was typed shown again
 *
 * The request layer answers NULL for a refused value, as for a field left blank; a handler
 * that went ahead would save a cohort without the description the lead typed, add nobody
 * from a list it could not read, or change a role on a confirm that was not one. Each case
 * sends otherwise valid input with one field refused, through the page and through the API,
 * and counts the rows afterwards. The test client itself aborts when such a write answers
 * below 400 (tests/support/testapp.c), so an unfixed handler fails here either way.
 *
 * Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testapp.h"
#include "web/session.h"

static struct app *app;
static struct test_client fac, adm;
static int64_t member_id;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "adm@example.test", "admin", PW);
    member_id = testapp_user(app, "member@example.test", "member", PW);
    tc_init(&fac, app);
    tc_init(&adm, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&adm, "adm@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&adm);
    testapp_free(app);
    return 0;
}

/* n copies of ch after prefix, in a buffer the caller frees. */
static char *repeat(const char *prefix, char ch, size_t n)
{
    size_t p = strlen(prefix);
    char *s = malloc(p + n + 1);
    assert_non_null(s);
    memcpy(s, prefix, p);
    memset(s + p, ch, n);
    s[p + n] = '\0';
    return s;
}

static int64_t count(const char *sql)
{
    return testapp_int(app, sql, NULL);
}

static int64_t cohorts_named(const char *name)
{
    return testapp_int(app, "SELECT count(*) FROM cohorts WHERE name = $1", name);
}

static int64_t cohort_audits(void)
{
    return count("SELECT count(*) FROM audit_log WHERE event LIKE 'cohort%'");
}

static int64_t make_cohort(const char *name)
{
    char form[128];
    snprintf(form, sizeof form, "name=%s&description=Kept", name);
    assert_int_equal(tc_post_form(&fac, "/cohorts", form, 1), 303);
    return testapp_int(app, "SELECT id FROM cohorts WHERE name = $1", name);
}

/* Making a cohort with a description 1 character over its 8,000: nothing made, the message,
 * the description back in the box whole; with the name left empty as well, both messages
 * at once (the cohort's own rule and the request's). */
static void test_cohort_create_description_too_long(void **state)
{
    char *desc = repeat("", 'd', 8001), *form;
    int64_t audits = cohort_audits();
    (void)state;
    form = malloc(strlen(desc) + 64);
    assert_non_null(form);
    sprintf(form, "name=Refused+intake&description=%s", desc);
    assert_int_equal(tc_post_form(&fac, "/cohorts", form, 1), 400);
    assert_true(tc_body_has(&fac, "There is a problem"));
    assert_true(tc_body_has(&fac, "The description must be 8000 characters or fewer"));
    assert_true(tc_body_has(&fac, desc));
    assert_true(tc_body_has(&fac, "value=\"Refused intake\""));
    assert_int_equal(cohorts_named("Refused intake"), 0);
    sprintf(form, "name=&description=%s", desc);
    assert_int_equal(tc_post_form(&fac, "/cohorts", form, 1), 400);
    assert_true(tc_body_has(&fac, "The description must be 8000 characters or fewer"));
    assert_true(tc_body_has(&fac, "Enter a name for the cohort"));
    assert_int_equal(cohort_audits(), audits);
    free(form);
    free(desc);
}

/* The API: a control character in the description is refused on its field, nothing made. */
static void test_cohort_create_api(void **state)
{
    int64_t audits = cohort_audits();
    (void)state;
    assert_int_equal(tc_post_json(&fac, "/api/v1/cohorts",
                                  "{\"name\":\"API intake\",\"description\":\"Line\\u0001\"}"),
                     400);
    assert_true(tc_body_has(&fac, "\"description\":\"Remove the special characters from the text\""));
    assert_int_equal(cohorts_named("API intake"), 0);
    assert_int_equal(cohort_audits(), audits);
}

/* Changing a cohort with a control character in the description: neither the name nor the
 * description changes, and the text comes back without the character. */
static void test_cohort_update_control_character(void **state)
{
    char uri[64], sql[128];
    int64_t id = make_cohort("Update-me"), audits;
    (void)state;
    assert_true(id > 0);
    audits = cohort_audits();
    snprintf(uri, sizeof uri, "/cohorts/%lld", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "name=Renamed&description=Second%01+intake", 1), 400);
    assert_true(tc_body_has(&fac, "Remove the special characters from the text"));
    assert_true(tc_body_has(&fac, ">Second intake</textarea>"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "cohort form, a refused description") < 2);
    assert_true(tc_body_has(&fac, "value=\"Renamed\""));
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM cohorts WHERE id = %lld AND name = 'Update-me' AND "
             "description = 'Kept'",
             (long long)id);
    assert_int_equal(count(sql), 1);
    snprintf(uri, sizeof uri, "/api/v1/cohorts/%lld", (long long)id);
    assert_int_equal(tc_post_json(&fac, uri, "{\"name\":\"Renamed\",\"description\":\"a\\u007f\"}"),
                     400);
    assert_true(tc_body_has(&fac, "\"description\":\"Remove the special characters from the text\""));
    assert_int_equal(count(sql), 1);
    assert_int_equal(cohort_audits(), audits);
}

/* Adding a pasted list with a control character in it: nobody added, the list back in the
 * box to be corrected. */
static void test_cohort_add_control_character(void **state)
{
    char uri[80], sql[112];
    int64_t id = make_cohort("Add-to-me"), audits;
    (void)state;
    assert_true(id > 0);
    audits = cohort_audits();
    snprintf(sql, sizeof sql, "SELECT count(*) FROM cohort_members WHERE cohort_id = %lld",
             (long long)id);
    snprintf(uri, sizeof uri, "/cohorts/%lld/members", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "emails=member%40example.test%0A%01fac%40example.test",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "Remove the special characters from the text"));
    assert_true(tc_body_has(&fac, ">member@example.test\nfac@example.test</textarea>"));
    assert_false(tc_body_has(&fac, "Nobody new was added"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "cohort, a refused list") < 2);
    assert_int_equal(count(sql), 0);
    snprintf(uri, sizeof uri, "/api/v1/cohorts/%lld/members", (long long)id);
    assert_int_equal(tc_post_json(&fac, uri, "{\"emails\":\"member@example.test\\u0002\"}"), 400);
    assert_true(tc_body_has(&fac, "\"emails\":\"Remove the special characters from the text\""));
    assert_false(tc_body_has(&fac, "\"added\""));
    assert_int_equal(count(sql), 0);
    assert_int_equal(cohort_audits(), audits);
    /* the same list without the character is added: the refusal was the character */
    snprintf(uri, sizeof uri, "/cohorts/%lld/members", (long long)id);
    assert_int_equal(tc_post_form(&fac, uri, "emails=member%40example.test", 1), 200);
    assert_int_equal(count(sql), 1);
}

/* A role change whose confirm is refused (over its 5 characters) is neither confirmed nor
 * asked again: 400 with the message, the role as it was. The form has no text to give back. */
static void test_role_confirm_refused(void **state)
{
    char uri[64], sql[96];
    (void)state;
    snprintf(uri, sizeof uri, "/admin/users/%lld/role", (long long)member_id);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM users WHERE id = %lld AND role = 'member'",
             (long long)member_id);
    assert_int_equal(tc_post_form(&adm, uri, "role=admin&confirm=yesyes", 1), 400);
    assert_true(tc_body_has(&adm, "That you are sure must be 5 characters or fewer"));
    assert_true(tc_body_has(&adm, "The role has not been changed"));
    assert_false(tc_body_has(&adm, "Make member@example.test an admin?"));
    assert_int_equal(count(sql), 1);
    snprintf(uri, sizeof uri, "/api/v1/admin/users/%lld/role", (long long)member_id);
    assert_int_equal(tc_post_json(&adm, uri, "{\"role\":\"admin\",\"confirm\":\"certainly\"}"),
                     400);
    assert_true(tc_body_has(&adm, "\"confirm\":\"That you are sure must be 5 characters or fewer\""));
    assert_int_equal(count(sql), 1);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE event = 'role_changed'"), 0);
}

/* Logging in with a refused next (1 character over its 500): not logged in, not sent on;
 * the form again with the message and the address as typed. */
static void test_login_next_refused(void **state)
{
    struct test_client tc;
    char *next = repeat("/", 'n', 500), *form, *json;
    int64_t sessions = count("SELECT count(*) FROM sessions");
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login"), 200);
    form = malloc(strlen(next) + 128);
    json = malloc(strlen(next) + 128);
    assert_non_null(form);
    assert_non_null(json);
    sprintf(form, "email=member%%40example.test&password=correct+horse+battery&next=%s", next);
    assert_int_equal(tc_post_form(&tc, "/login", form, 1), 400);
    assert_true(tc_body_has(&tc, "The page to return to must be 500 characters or fewer"));
    assert_true(tc_body_has(&tc, "value=\"member@example.test\""));
    assert_null(tc_cookie(&tc, SESSION_COOKIE));
    assert_int_equal(count("SELECT count(*) FROM sessions"), sessions);
    sprintf(json, "{\"email\":\"member@example.test\",\"password\":\"%s\",\"next\":\"%s\"}", PW,
            next);
    assert_int_equal(tc_post_json(&tc, "/api/v1/login", json), 400);
    assert_true(tc_body_has(&tc, "\"next\":\"The page to return to must be 500 characters or fewer\""));
    assert_null(tc_cookie(&tc, SESSION_COOKIE));
    assert_int_equal(count("SELECT count(*) FROM sessions"), sessions);
    free(form);
    free(json);
    free(next);
    tc_free(&tc);
}

/* The profile with an organisation name 1 character over its 200: nothing saved, and the
 * name comes back in its box (the page builds that box's value itself). */
static void test_profile_organisation_too_long(void **state)
{
    struct test_client tc;
    char *org = repeat("", 'o', 201), *form;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    form = malloc(strlen(org) + 64);
    assert_non_null(form);
    sprintf(form, "display_name=New+name&organisation_name=%s", org);
    assert_int_equal(tc_post_form(&tc, "/account/profile", form, 1), 400);
    assert_true(tc_body_has(&tc, "Your organisation must be 200 characters or fewer"));
    assert_true(tc_body_has(&tc, org));
    assert_true(tc_body_has(&tc, "value=\"New name\""));
    assert_int_equal(count("SELECT count(*) FROM users WHERE display_name = 'New name'"), 0);
    free(form);
    free(org);
    tc_free(&tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cohort_create_description_too_long),
        cmocka_unit_test(test_cohort_create_api),
        cmocka_unit_test(test_cohort_update_control_character),
        cmocka_unit_test(test_cohort_add_control_character),
        cmocka_unit_test(test_role_confirm_refused),
        cmocka_unit_test(test_login_next_refused),
        cmocka_unit_test(test_profile_organisation_too_long),
    };
    return cmocka_run_group_tests_name("http/account_refused", tests, setup, teardown);
}
