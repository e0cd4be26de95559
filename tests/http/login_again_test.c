/* login_again_test.c: a form sent after its session ended is kept through logging in again
 *
 * A member fills in a form, their session ends (here by its expiry time passing), and they
 * send it: nothing is saved, the login page holds what they typed, a wrong password keeps it
 * still, and after logging in the form is offered to be sent with the new session's token.
 * Only a form carrying the ended session's own token is kept: anything else is sent to log
 * in as before, holding nothing, so another site cannot put words into someone's form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";
static int64_t member_id;

static void end_sessions(int64_t user)
{
    struct db *db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, "UPDATE sessions SET expires_at = 1 WHERE user_id = $1", "i", user),
                     APP_OK);
    db_pool_put(app->pool, db);
}

static int64_t named(const char *name)
{
    return testapp_int(app, "SELECT count(*) FROM users WHERE display_name = $1", name);
}

static void test_form_kept_through_logging_in(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/account"), 200);
    end_sessions(member_id);
    /* sent with the token its page carried: kept, not saved */
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Kept+through+login", 1),
                     401);
    assert_true(tc_body_has(&tc, "<h1>Log in again</h1>"));
    assert_true(tc_body_has(&tc, "name=\"resume_to\" value=\"/account/profile\""));
    assert_true(tc_body_has(&tc, "name=\"resume.display_name\" value=\"Kept through login\""));
    assert_true(testapp_tidy(tc.res.body, tc.res.len, "login again") < 2);
    assert_int_equal(named("Kept through login"), 0);
    /* a wrong password keeps it */
    assert_int_equal(tc_post_form(&tc, "/login",
                                  "email=member@example.test&password=wrong&resume_to=/account/"
                                  "profile&resume.display_name=Kept+through+login",
                                  1),
                     401);
    assert_true(tc_body_has(&tc, "name=\"resume.display_name\" value=\"Kept through login\""));
    /* logged in: offered, with this session's token, still not saved */
    assert_int_equal(tc_post_form(&tc, "/login",
                                  "email=member@example.test&password=correct+horse+battery&"
                                  "resume_to=/account/profile&resume.display_name=Kept+through+login",
                                  1),
                     200);
    assert_true(tc_body_has(&tc, "<form action=\"/account/profile\" method=\"post\""));
    assert_true(tc_body_has(&tc, "name=\"display_name\" value=\"Kept through login\""));
    assert_true(tc_body_has(&tc, tc_csrf(&tc)));
    assert_true(testapp_tidy(tc.res.body, tc.res.len, "send your form") < 2);
    assert_int_equal(named("Kept through login"), 0);
    /* sent */
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Kept+through+login", 1),
                     303);
    assert_int_equal(named("Kept through login"), 1);
    tc_free(&tc);
}

static void test_only_the_sessions_own_form_is_kept(void **state)
{
    struct test_client tc, other;
    (void)state;
    tc_init(&tc, app);
    tc_init(&other, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    end_sessions(member_id);
    /* no token, or a token of another browser: sent to log in, holding nothing */
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Planted", 0), 303);
    assert_non_null(strstr(lb_header(&tc.res, "Location"), "/login"));
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_int_equal(tc_login(&other, "member@example.test", PW), 303);
    end_sessions(member_id);
    {
        char body[200];
        snprintf(body, sizeof body, "display_name=Planted&csrf_token=%s", tc_csrf(&other));
        assert_int_equal(tc_request(&tc, "POST", "/account/profile",
                                    (const char *[]){"Content-Type: application/x-www-form-"
                                                     "urlencoded",
                                                     NULL},
                                    body, strlen(body)),
                         303);
        assert_false(tc_body_has(&tc, "Planted"));
    }
    /* without a session cookie at all (logged out): as before */
    tc_reset(&tc);
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Planted", 1), 303);
    /* a kept form's address must be a form of the service that needs a login */
    tc_reset(&tc);
    assert_int_equal(tc_get(&tc, "/login"), 200);
    assert_int_equal(tc_post_form(&tc, "/login",
                                  "email=member@example.test&password=correct+horse+battery&"
                                  "resume_to=/login&resume.email=x@example.test",
                                  1),
                     303);
    assert_int_equal(named("Planted"), 0);
    tc_free(&tc);
    tc_free(&other);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    member_id = testapp_user(app, "member@example.test", "member", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_kept_through_logging_in),
        cmocka_unit_test(test_only_the_sessions_own_form_is_kept),
    };
    return cmocka_run_group_tests_name("http/login_again", tests, setup, teardown);
}
