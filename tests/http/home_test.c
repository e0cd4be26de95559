/* home_test.c: "Your home" lists what is the member's own, and nothing that is not
 *
 * A member's named assessments show where they stand (in progress with a link to continue,
 * submitted with a link to the results); an anonymous response never shows, even to the
 * person who gave it in the same browser. A facilitator sees the exercises they facilitate
 * with what waits for moderation, and the rounds they run. The front page reads nothing of
 * the member beyond the session and sends them here; logging in lands here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac, member, other;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "other@example.test", "member", PW);
    tc_init(&fac, app);
    tc_init(&member, app);
    tc_init(&other, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&member, "member@example.test", PW) != 303 ||
        tc_login(&other, "other@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&member);
    tc_free(&other);
    testapp_free(app);
    return 0;
}

/* A round made by the facilitator, titled title; mode "named" or "anonymous". */
static void new_round(const char *title, const char *mode, char out[32])
{
    char form[512];
    const char *loc;
    snprintf(form, sizeof form, "title=%s&instrument=%lld&audience=individual&mode=%s", title,
             (long long)testapp_int(app, "SELECT MAX(id) FROM assess_instruments WHERE code = $1",
                                    "ahp-digital-capability"),
             mode);
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(out, 32, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")), loc + 8);
}

static int start(struct test_client *tc, const char *slug)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    tc_get(tc, uri);
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    return tc_post_form(tc, uri, "profession=paramedic", 1);
}

static void test_login_lands_on_home(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/home");
    tc_free(&tc);
    /* the front page offers the way there, and a visitor is sent to log in */
    assert_int_equal(tc_get(&member, "/"), 200);
    assert_true(tc_body_has(&member, "href=\"/home\""));
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/home"), 303);
    assert_non_null(strstr(lb_header(&tc.res, "Location"), "/login"));
    tc_free(&tc);
}

static void test_empty_home_says_where_to_start(void **state)
{
    (void)state;
    assert_int_equal(tc_get(&other, "/home"), 200);
    assert_true(tc_body_has(&other, "You have not started an assessment"));
    assert_false(tc_body_has(&other, "Listening exercises you facilitate"));
    assert_false(tc_body_has(&other, "Assessment rounds you run"));
}

static void test_named_assessments_in_progress_and_submitted(void **state)
{
    char named[32], anon[32], uri[96];
    (void)state;
    new_round("Named+home+round", "named", named);
    new_round("Anonymous+home+round", "anonymous", anon);
    assert_int_equal(start(&member, named), 303);
    assert_int_equal(start(&member, anon), 303);

    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_true(tc_body_has(&member, "Named home round"));
    assert_true(tc_body_has(&member, "In progress"));
    snprintf(uri, sizeof uri, "href=\"/assess/%s\"", named);
    assert_true(tc_body_has(&member, uri));
    /* the anonymous response is not linked to the account, so it cannot be listed */
    assert_false(tc_body_has(&member, "Anonymous home round"));
    /* nor is the member's round on anyone else's home */
    assert_int_equal(tc_get(&other, "/home"), 200);
    assert_false(tc_body_has(&other, "Named home round"));

    /* submitted: the results link replaces "Continue" */
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(db_run(db,
                                "UPDATE assess_responses SET submitted_at = 1764979200 WHERE "
                                "round_id = (SELECT id FROM assess_rounds WHERE slug = $1)",
                                "t", named),
                         0);
        db_pool_put(app->pool, db);
    }
    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_true(tc_body_has(&member, "Submitted"));
    snprintf(uri, sizeof uri, "href=\"/assess/%s/result\"", named);
    assert_true(tc_body_has(&member, uri));

    /* the API carries the same, numbers as numbers */
    assert_int_equal(tc_get_json(&member, "/api/v1/home"), 200);
    assert_true(tc_body_has(&member, "\"status\":\"submitted\""));
    assert_true(tc_body_has(&member, "\"submitted_at\":1764979200"));
    assert_false(tc_body_has(&member, "Anonymous home round"));
}

static void test_facilitator_sees_exercises_and_rounds(void **state)
{
    char form[512], slug[32], uri[96];
    const char *loc, *p;
    int64_t prompt;
    struct test_client visitor;
    (void)state;
    snprintf(form, sizeof form,
             "title=Home+page+exercise&summary=Tell+us.&audience_ahp=1&moderation=pre"
             "&flag_threshold=3&prompts=What+works+well%%3F");
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    snprintf(slug, sizeof slug, "%s", loc + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);

    assert_int_equal(tc_get(&fac, "/home"), 200);
    assert_true(tc_body_has(&fac, "Home page exercise"));
    assert_true(tc_body_has(&fac, "Nothing is waiting for moderation"));
    assert_true(tc_body_has(&fac, "Named home round")); /* the round it made above */

    /* two contributions held for moderation */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    prompt = atoll(p + 17);
    tc_init(&visitor, app);
    for (int i = 0; i < 2; i++) {
        snprintf(uri, sizeof uri, "/listen/%s", slug);
        tc_get(&visitor, uri);
        snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
        snprintf(form, sizeof form, "prompt=%lld&text=Contribution+number+%d+for+the+home+page",
                 (long long)prompt, i);
        assert_int_equal(tc_post_form(&visitor, uri, form, 1), 303);
    }
    tc_free(&visitor);
    assert_int_equal(tc_get(&fac, "/home"), 200);
    assert_true(tc_body_has(&fac, "2 contributions waiting for moderation"));
    snprintf(uri, sizeof uri, "href=\"/listen/%s/moderate\"", slug);
    assert_true(tc_body_has(&fac, uri));
    assert_int_equal(tc_get_json(&fac, "/api/v1/home"), 200);
    assert_true(tc_body_has(&fac, "\"waiting\":2"));
    /* a member facilitates nothing */
    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_false(tc_body_has(&member, "Home page exercise"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_lands_on_home),
        cmocka_unit_test(test_empty_home_says_where_to_start),
        cmocka_unit_test(test_named_assessments_in_progress_and_submitted),
        cmocka_unit_test(test_facilitator_sees_exercises_and_rounds),
    };
    return cmocka_run_group_tests_name("http/home", tests, setup, teardown);
}
