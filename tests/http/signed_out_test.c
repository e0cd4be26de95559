/* signed_out_test.c: a form sent after its session ended is shown back to copy, not thrown
 * away, and only to the browser that typed it (web/signed_out.h)
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

#include "app.h"
#include "store/db.h"
#include "support/testapp.h"
#include "web/csrf.h"
#include "web/session.h"

static struct app *app;
static struct test_client me;
static const char *PW = "correct horse battery";
static int64_t me_id;

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    me_id = testapp_user(app, "therapist@example.test", "member", PW);
    tc_init(&me, app);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&me);
    testapp_free(app);
    return 0;
}

/* Logs in afresh, then ends the session as the server does after session_ttl without use
 * (its row goes); the browser keeps its cookie. */
static void log_in_then_time_out(void)
{
    struct db *db;
    tc_reset(&me);
    assert_int_equal(tc_login(&me, "therapist@example.test", PW), 303);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM sessions", NULL), 1);
    db = db_pool_get(app->pool);
    assert_int_equal(db_run(db, "DELETE FROM sessions WHERE user_id = $1", "i", me_id), 0);
    db_pool_put(app->pool, db);
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM sessions", NULL), 0);
}

/* POSTs form to uri as a browser on the portfolio page would: urlencoded, with the form's
 * CSRF token, the Host it was served from and the page it came from. */
static int post_from_page(const char *uri, const char *form)
{
    char body[2048];
    const char *hs[] = {"Content-Type: application/x-www-form-urlencoded", "Host: ahp.example",
                        "Referer: http://ahp.example/develop/portfolio/new", NULL};
    snprintf(body, sizeof body, "%s&%s=%s", form, CSRF_FIELD, tc_csrf(&me));
    return tc_request(&me, "POST", uri, hs, body, strlen(body));
}

static int64_t entries(void)
{
    return testapp_int(app, "SELECT count(*) FROM develop_portfolio_entries", NULL);
}

/* The portfolio entry typed while the session ended: 401, not saved, the title and what was
 * written shown (escaped, line breaks kept) to copy, the date parts and boxes not, and a link
 * to log in that comes back to the form. */
static void test_typed_text_is_shown_back(void **state)
{
    int64_t before;
    (void)state;
    log_in_then_time_out();
    before = entries();
    assert_int_equal(post_from_page("/develop/portfolio",
                                    "title=Ran+the+%3Cb%3Eband+6%3C%2Fb%3E+huddle&body=Week+one%"
                                    "0Aled+the+huddle&start-day=17&start-month=3&start-year="
                                    "2026&on_cv=1"),
                     401);
    assert_int_equal(entries(), before);
    assert_true(tc_body_has(&me, "You have been logged out"));
    assert_true(tc_body_has(&me, "Ran the &lt;b&gt;band 6&lt;/b&gt; huddle"));
    assert_false(tc_body_has(&me, "<b>band 6</b>"));
    assert_true(tc_body_has(&me, "Week one\nled the huddle</textarea>"));
    assert_true(tc_body_has(&me, "What you did and learnt"));
    assert_false(tc_body_has(&me, "The start day"));
    assert_true(tc_body_has(&me, "href=\"/login?next=%2Fdevelop%2Fportfolio%2Fnew\""));
    assert_true(testapp_tidy(me.res.body, me.res.len, "signed out") < 2);
    /* the ended session's cookie is cleared, so the next page is the login */
    assert_int_equal(tc_get(&me, "/develop/portfolio"), 303);
}

/* Logging out in another tab clears the session cookie and leaves the pre-session one: the
 * form is still shown back, under a title that says only what is known. */
static void test_after_logging_out_elsewhere(void **state)
{
    (void)state;
    tc_reset(&me);
    assert_int_equal(tc_login(&me, "therapist@example.test", PW), 303);
    assert_int_equal(tc_post_form(&me, "/logout", "", 1), 303);
    assert_true(!tc_cookie(&me, SESSION_COOKIE) || !*tc_cookie(&me, SESSION_COOKIE));
    assert_int_equal(post_from_page("/develop/portfolio", "title=Kept+after+logging+out"), 401);
    assert_true(tc_body_has(&me, "You are not logged in"));
    assert_true(tc_body_has(&me, "Kept after logging out"));
}

/* With the ended session's cookie, the form must carry the token that session's pages did:
 * a form made elsewhere (a sibling subdomain that plants cookies) is not shown back. */
static void test_a_form_not_from_our_pages_is_not_shown(void **state)
{
    char body[256];
    const char *hs[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    (void)state;
    log_in_then_time_out();
    snprintf(body, sizeof body, "title=Planted+words&%s=%064d", CSRF_FIELD, 0);
    assert_int_equal(tc_request(&me, "POST", "/develop/portfolio", hs, body, strlen(body)), 303);
    assert_false(tc_body_has(&me, "Planted words"));
}

/* Passwords are never shown: a form of nothing else is sent to log in as before. */
static void test_passwords_are_not_shown(void **state)
{
    (void)state;
    log_in_then_time_out();
    assert_int_equal(post_from_page("/account/password",
                                    "current_password=old-secret-zq&new_password=new-secret-zq&"
                                    "confirm_password=new-secret-zq"),
                     303);
    assert_false(tc_body_has(&me, "secret-zq"));
}

/* A form another site posts arrives without our cookies (they are SameSite=Lax): it is not
 * shown back, so no site can put its words on our pages. The API answers JSON, as before. */
static void test_only_to_the_browser_that_typed_it(void **state)
{
    const char *hs[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    const char *form = "title=Words+of+another+site&body=Call+this+number";
    (void)state;
    tc_reset(&me);
    assert_int_equal(tc_request(&me, "POST", "/develop/portfolio", hs, form, strlen(form)), 303);
    assert_false(tc_body_has(&me, "another site"));
    log_in_then_time_out();
    assert_int_equal(tc_post_json(&me, "/api/v1/develop/portfolio",
                                  "{\"title\":\"Words typed\",\"body\":\"x\"}"),
                     401);
    assert_false(tc_body_has(&me, "Words typed"));
}

/* A body that is not UTF-8 was not typed into our pages: the request layer cannot read it, and
 * the answer is the login redirect as before, not an error. */
static void test_bytes_not_utf8_are_not_shown(void **state)
{
    (void)state;
    log_in_then_time_out();
    assert_int_equal(post_from_page("/develop/portfolio", "title=Kept+title&body=bad%FF%FEbytes"),
                     303);
    assert_false(tc_body_has(&me, "bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed_text_is_shown_back),
        cmocka_unit_test(test_after_logging_out_elsewhere),
        cmocka_unit_test(test_a_form_not_from_our_pages_is_not_shown),
        cmocka_unit_test(test_passwords_are_not_shown),
        cmocka_unit_test(test_only_to_the_browser_that_typed_it),
        cmocka_unit_test(test_bytes_not_utf8_are_not_shown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
