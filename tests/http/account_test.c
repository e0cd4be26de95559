/* account_test.c: logins, sessions, CSRF, roles, tokens and error answers, through the loopback
 *
 * Runs on whichever database AHPHUB_TEST_DB names (tests/run.sh runs it on SQLite and on a
 * throw-away PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "app.h"
#include "core/buf.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "member@example.test", "member", PW);
    testapp_user(app, "second@example.test", "member", PW);
    testapp_user(app, "throttle@example.test", "member", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
}

static void test_home_html_and_json(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/"), 200);
    assert_true(tc_body_has(&tc, "<!DOCTYPE html>"));
    assert_non_null(strstr(lb_header(&tc.res, "Content-Type"), "text/html"));
    assert_int_equal(tc_get_json(&tc, "/"), 200);
    assert_non_null(strstr(lb_header(&tc.res, "Content-Type"), "application/json"));
    assert_true(tc_body_has(&tc, "\"logged_in\":false"));
    assert_int_equal(tc_get(&tc, "/api/v1/"), 200);
    assert_true(tc_body_has(&tc, "\"title\""));
    tc_free(&tc);
}

/* The front page offers the four modules that are built, each by its link, and says nothing
 * is still to come: a newcomer reads it first. A member sees Develop and Connect as links; an
 * admin also the programme leads' pages. */
static void test_home_names_every_module(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/"), 200);
    assert_true(tc_body_has(&tc, "href=\"/listen\""));
    assert_true(tc_body_has(&tc, "href=\"/assess\""));
    assert_true(tc_body_has(&tc, "360° feedback"));
    assert_true(tc_body_has(&tc, "mentor or coach"));
    assert_false(tc_body_has(&tc, "being built"));
    assert_false(tc_body_has(&tc, "When it is complete"));
    assert_false(tc_body_has(&tc, "href=\"/develop\""));
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/"), 200);
    assert_true(tc_body_has(&tc, "href=\"/develop\""));
    assert_true(tc_body_has(&tc, "href=\"/connect\""));
    assert_false(tc_body_has(&tc, "href=\"/connect/rounds\""));
    tc_free(&tc);
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "admin@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/"), 200);
    assert_true(tc_body_has(&tc, "href=\"/connect/rounds\""));
    assert_true(tc_body_has(&tc, "href=\"/develop/gaps\""));
    assert_true(tc_body_has(&tc, "href=\"/admin\""));
    tc_free(&tc);
}

static void test_security_headers(void **state)
{
    struct test_client tc;
    const char *csp;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login"), 200);
    csp = lb_header(&tc.res, "Content-Security-Policy");
    assert_non_null(csp);
    assert_null(strstr(csp, "unsafe-inline"));
    assert_non_null(strstr(csp, "frame-ancestors 'none'"));
    assert_string_equal(lb_header(&tc.res, "X-Content-Type-Options"), "nosniff");
    assert_non_null(lb_header(&tc.res, "Referrer-Policy"));
    assert_null(lb_header(&tc.res, "Strict-Transport-Security")); /* not configured for TLS */
    tc_free(&tc);
}

static void test_behind_tls(void **state)
{
    struct test_client tc;
    (void)state;
    app->cfg.behind_tls = true;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login"), 200);
    assert_non_null(strstr(lb_header(&tc.res, "Strict-Transport-Security"), "max-age="));
    assert_non_null(strstr(lb_header(&tc.res, "Set-Cookie"), "; Secure"));
    tc_free(&tc);
    app->cfg.behind_tls = false;
}

static void test_login_wrong_then_right(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", "not the password"), 401);
    assert_true(tc_body_has(&tc, "Enter a correct email address and password"));
    assert_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(tc_login(&tc, "nobody@example.test", "whatever password"), 401);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/home");
    assert_non_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(tc_get(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "member@example.test"));
    /* logging out ends the session on the server, not just the cookie */
    {
        char old[256];
        snprintf(old, sizeof old, "%s", tc_cookie(&tc, "ahp_session"));
        assert_int_equal(tc_post_form(&tc, "/logout", "", 1), 303);
        assert_null(tc_cookie(&tc, "ahp_session"));
        tc_reset(&tc);
        {
            char hdr[300];
            const char *h[] = {hdr, NULL};
            snprintf(hdr, sizeof hdr, "Cookie: ahp_session=%s", old);
            assert_int_equal(tc_request(&tc, "GET", "/api/v1/account", h, NULL, 0), 401);
        }
    }
    tc_free(&tc);
}

static void test_login_next_is_local_only(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    tc_get(&tc, "/login");
    assert_int_equal(tc_post_form(&tc, "/login",
                                  "email=member@example.test&password=correct+horse+battery"
                                  "&next=%2F%2Fevil.example%2Fx",
                                  1),
                     303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/home");
    tc_reset(&tc);
    tc_get(&tc, "/login");
    assert_int_equal(tc_post_form(&tc, "/login",
                                  "email=member@example.test&password=correct+horse+battery"
                                  "&next=%2Faccount%3Fx%3D1",
                                  1),
                     303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/account?x=1");
    tc_free(&tc);
}

static void test_session_rotates_on_login(void **state)
{
    struct test_client tc;
    char first[256];
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    snprintf(first, sizeof first, "%s", tc_cookie(&tc, "ahp_session"));
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_string_not_equal(first, tc_cookie(&tc, "ahp_session"));
    tc_free(&tc);
}

static void test_throttling(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    for (int i = 0; i < 5; i++)
        assert_int_equal(tc_login(&tc, "throttle@example.test", "wrong password!"), 401);
    /* now even the right password is refused for a while */
    assert_int_equal(tc_login(&tc, "throttle@example.test", PW), 429);
    assert_true(tc_body_has(&tc, "Too many attempts"));
    /* the true wait, once, in words and as Retry-After, and a way out */
    assert_true(tc_body_has(&tc, "Wait 15 minutes, then try again."));
    assert_false(tc_body_has(&tc, "a few minutes"));
    assert_true(tc_body_has(&tc, "Forgotten your password?"));
    assert_non_null(lb_header(&tc.res, "Retry-After"));
    assert_true(atoi(lb_header(&tc.res, "Retry-After")) > 14 * 60);
    assert_true(atoi(lb_header(&tc.res, "Retry-After")) <= 15 * 60);
    assert_null(tc_cookie(&tc, "ahp_session"));
    assert_int_equal(tc_post_json(&tc, "/api/v1/login",
                                  "{\"email\":\"throttle@example.test\","
                                  "\"password\":\"correct horse battery\"}"),
                     429);
    assert_true(tc_body_has(&tc, "\"error\":\"rate_limited\""));
    assert_true(tc_body_has(&tc, "Wait 15 minutes, then try again."));
    assert_true(tc_body_has(&tc, "\"retry_after\":"));
    tc_free(&tc);
}

/* POSTs an urlencoded form with this browser's CSRF token from network client `client`. */
static int post_from(struct test_client *tc, const char *client, const char *uri, const char *form)
{
    char hdr[100], body[600];
    snprintf(hdr, sizeof hdr, "X-Loopback-Client: %s", client);
    if (!*tc_csrf(tc))
        tc_request(tc, "GET", "/login", (const char *[]){hdr, NULL}, NULL, 0);
    snprintf(body, sizeof body, "%s&csrf_token=%s", form, tc_csrf(tc));
    return tc_request(
        tc, "POST", uri,
        (const char *[]){hdr, "Content-Type: application/x-www-form-urlencoded", NULL}, body,
        strlen(body));
}

static int login_from(struct test_client *tc, const char *client, const char *email, const char *pw)
{
    char form[300];
    snprintf(form, sizeof form, "email=%s&password=%s", email, pw);
    return post_from(tc, client, "/login", form);
}

/* Unknown accounts are throttled exactly like known ones, so the answers tell nothing. */
static void test_throttle_same_for_unknown_account(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    for (int i = 0; i < 5; i++)
        assert_int_equal(login_from(&tc, "192.0.2.10", "ghost%40example.test", "wrong"), 401);
    assert_int_equal(login_from(&tc, "192.0.2.10", "ghost%40example.test", "wrong"), 429);
    tc_free(&tc);
}

/* A stranger's failures lock only the stranger out: the owner logs in from their address. */
static void test_stranger_cannot_lock_out_owner(void **state)
{
    struct test_client attacker, owner;
    (void)state;
    tc_init(&attacker, app);
    tc_init(&owner, app);
    for (int i = 0; i < 5; i++)
        assert_int_equal(login_from(&attacker, "192.0.2.66", "admin%40example.test", "guess"), 401);
    assert_int_equal(
        login_from(&attacker, "192.0.2.66", "admin%40example.test", "correct+horse+battery"), 429);
    assert_int_equal(
        login_from(&owner, "198.51.100.1", "admin%40example.test", "correct+horse+battery"), 303);
    tc_free(&attacker);
    tc_free(&owner);
}

/* One address spraying many accounts is stopped, even for an account it never tried. */
static void test_one_address_limited_across_accounts(void **state)
{
    struct test_client tc;
    char email[80];
    int status = 0;
    (void)state;
    tc_init(&tc, app);
    for (int i = 0; i < 21; i++) {
        snprintf(email, sizeof email, "spray%d%%40example.test", i);
        status = login_from(&tc, "192.0.2.77", email, "Password1");
        assert_true(status == 401 || status == 429);
    }
    assert_int_equal(status, 429);
    assert_int_equal(
        login_from(&tc, "192.0.2.77", "second%40example.test", "correct+horse+battery"), 429);
    tc_free(&tc);
}

static void test_csrf(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    /* missing */
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Changed", 0), 403);
    assert_true(tc_body_has(&tc, "Your form has expired"));
    /* wrong (well-formed but not this browser's) */
    assert_int_equal(
        tc_post_form(&tc, "/account/profile",
                     "display_name=Changed&csrf_token=00000000000000000000000000000000."
                     "0000000000000000000000000000000000000000000000000000000000000000",
                     0),
        403);
    /* right */
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Changed+Name", 1), 303);
    assert_int_equal(tc_get(&tc, "/account"), 200);
    assert_true(tc_body_has(&tc, "Changed Name"));
    assert_true(tc_body_has(&tc, "Your details have been saved"));
    tc_free(&tc);
}

/* Puts value into tc's jar as cookie name (Path=/), as a sibling subdomain could. */
static void plant_cookie(struct test_client *tc, const char *name, const char *value)
{
    int i;
    for (i = 0; i < tc->njar && strcmp(tc->jar[i].name, name); i++)
        ;
    assert_true(i < JAR_MAX);
    if (i == tc->njar)
        tc->njar++;
    snprintf(tc->jar[i].name, sizeof tc->jar[i].name, "%s", name);
    snprintf(tc->jar[i].value, sizeof tc->jar[i].value, "%s", value);
    snprintf(tc->jar[i].path, sizeof tc->jar[i].path, "/");
}

/* A form token is good only in the session it was issued to: not in another person's, not
 * in another session of the same person, not with a CSRF cookie planted from elsewhere. */
static void test_csrf_token_bound_to_session(void **state)
{
    struct test_client a, b, anon;
    char form[400], token_a[80], cookie_a[200], token_anon[80];
    (void)state;
    tc_init(&a, app);
    tc_init(&b, app);
    tc_init(&anon, app);
    /* an anonymous visitor's cookie and token, as an attacker would fetch them */
    assert_int_equal(tc_get(&anon, "/login"), 200);
    snprintf(token_anon, sizeof token_anon, "%s", tc_csrf(&anon));
    assert_true(tc_body_has(&anon, token_anon));
    assert_int_equal(tc_login(&a, "member@example.test", PW), 303);
    assert_int_equal(tc_login(&b, "member@example.test", PW), 303);
    snprintf(token_a, sizeof token_a, "%s", tc_csrf(&a));
    snprintf(cookie_a, sizeof cookie_a, "%s", tc_cookie(&a, "ahp_csrf"));
    /* the form shows the session's token */
    assert_int_equal(tc_get(&a, "/account"), 200);
    assert_true(tc_body_has(&a, token_a));
    /* session A's token in session B, even with A's CSRF cookie planted in B */
    snprintf(form, sizeof form, "display_name=Forged&csrf_token=%s", token_a);
    assert_int_equal(tc_post_form(&b, "/account/profile", form, 0), 403);
    plant_cookie(&b, "ahp_csrf", cookie_a);
    assert_int_equal(tc_post_form(&b, "/account/profile", form, 0), 403);
    /* an anonymous cookie and its token, planted in a logged-in browser */
    plant_cookie(&b, "ahp_csrf", tc_cookie(&anon, "ahp_csrf"));
    snprintf(form, sizeof form, "display_name=Forged&csrf_token=%s", token_anon);
    assert_int_equal(tc_post_form(&b, "/account/profile", form, 0), 403);
    /* B's own token still works */
    assert_int_equal(tc_post_form(&b, "/account/profile", "display_name=Member", 1), 303);
    /* an anonymous visitor's token is refused to another anonymous visitor */
    tc_reset(&b);
    assert_int_equal(tc_get(&b, "/login"), 200);
    snprintf(form, sizeof form,
             "email=member%%40example.test&password=correct+horse+battery"
             "&csrf_token=%s",
             token_anon);
    assert_int_equal(tc_post_form(&b, "/login", form, 0), 403);
    /* after logout the ended session's token is no good, and the new page has a fresh one */
    assert_int_equal(tc_post_form(&a, "/logout", "", 1), 303);
    assert_int_equal(tc_get(&a, "/login"), 200);
    assert_false(tc_body_has(&a, token_a));
    assert_true(tc_body_has(&a, tc_csrf(&a)));
    tc_free(&a);
    tc_free(&b);
    tc_free(&anon);
}

/* The token the API login returns is the new session's, good for its forms. */
static void test_login_returns_new_session_token(void **state)
{
    struct test_client tc;
    char before[80], form[300];
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/login"), 200);
    snprintf(before, sizeof before, "%s", tc_csrf(&tc));
    assert_int_equal(tc_post_json(&tc, "/api/v1/login",
                                  "{\"email\":\"member@example.test\","
                                  "\"password\":\"correct horse battery\"}"),
                     200);
    assert_true(tc_body_has(&tc, tc_csrf(&tc)));
    assert_string_not_equal(before, tc_csrf(&tc));
    snprintf(form, sizeof form, "display_name=Member&csrf_token=%s", before);
    assert_int_equal(tc_post_form(&tc, "/account/profile", form, 0), 403);
    assert_int_equal(tc_post_form(&tc, "/account/profile", "display_name=Member", 1), 303);
    tc_free(&tc);
}

static void test_login_form_needs_csrf(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    tc_get(&tc, "/login");
    assert_int_equal(
        tc_post_form(&tc, "/login", "email=member@example.test&password=correct+horse+battery", 0),
        403);
    tc_free(&tc);
}

static void test_roles(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    /* anonymous: pages send you to log in, the API says 401 */
    assert_int_equal(tc_get(&tc, "/admin/users"), 303);
    assert_string_equal(lb_header(&tc.res, "Location"), "/login?next=/admin/users");
    assert_int_equal(tc_get(&tc, "/api/v1/admin/users"), 401);
    /* a member is refused */
    assert_int_equal(tc_login(&tc, "second@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/admin/users"), 403);
    assert_int_equal(tc_get(&tc, "/admin/audit"), 403);
    assert_int_equal(tc_post_form(&tc, "/admin/users/1/role", "role=admin", 1), 403);
    tc_free(&tc);
}

static void test_admin_changes_role(void **state)
{
    struct test_client tc;
    char uri[64];
    int64_t id = testapp_user(app, "promote@example.test", "member", PW);
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "admin@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/admin/users?q=promote"), 200);
    assert_true(tc_body_has(&tc, "class=\"nhsuk-scroll__content\" tabindex=\"0\""));
    assert_true(tc_body_has(&tc, "promote@example.test"));
    assert_false(tc_body_has(&tc, "second@example.test"));
    snprintf(uri, sizeof uri, "/admin/users/%lld/role", (long long)id);
    assert_int_equal(tc_post_form(&tc, uri, "role=wizard", 1), 400);
    /* the first POST only asks; the confirmed one changes the role */
    assert_int_equal(tc_post_form(&tc, uri, "role=facilitator", 1), 200);
    assert_true(tc_body_has(&tc, "Make promote@example.test a facilitator?"));
    assert_int_equal(tc_get_json(&tc, "/admin/users?q=promote"), 200);
    assert_true(tc_body_has(&tc, "\"role\":\"member\""));
    assert_int_equal(tc_post_form(&tc, uri, "role=facilitator&confirm=1", 1), 303);
    assert_int_equal(tc_get_json(&tc, "/admin/users?q=promote"), 200);
    assert_true(tc_body_has(&tc, "\"role\":\"facilitator\""));
    assert_int_equal(tc_get(&tc, "/admin/audit"), 200);
    assert_true(tc_body_has(&tc, "admin@example.test made promote@example.test a facilitator"));
    assert_int_equal(tc_get_json(&tc, "/admin/audit"), 200);
    assert_true(tc_body_has(&tc, "\"event\":\"role_changed\""));
    assert_true(tc_body_has(&tc, "member -> facilitator"));
    /* an admin cannot demote themselves */
    assert_int_equal(tc_post_form(&tc, "/admin/users/1/role", "role=member&confirm=1", 1), 403);
    tc_free(&tc);
}

static void test_password_change(void **state)
{
    struct test_client tc, other;
    (void)state;
    testapp_user(app, "pw@example.test", "member", PW);
    tc_init(&tc, app);
    tc_init(&other, app);
    assert_int_equal(tc_login(&other, "pw@example.test", PW), 303);
    assert_int_equal(tc_login(&tc, "pw@example.test", PW), 303);
    /* wrong current password, mismatch, too short: each reported on its field */
    assert_int_equal(tc_post_form(&tc, "/account/password",
                                  "current_password=nope&new_password=a+brand+new+secret"
                                  "&confirm_password=a+brand+new+secret",
                                  1),
                     400);
    assert_true(tc_body_has(&tc, "Your current password is not correct"));
    assert_int_equal(tc_post_form(&tc, "/account/password",
                                  "current_password=correct+horse+battery&new_password=short"
                                  "&confirm_password=other",
                                  1),
                     400);
    assert_true(tc_body_has(&tc, "The new passwords do not match"));
    assert_true(tc_body_has(&tc, "12 characters or more"));
    /* a wrong current password is reported with the new passwords' errors */
    assert_int_equal(tc_post_form(&tc, "/account/password",
                                  "current_password=nope&new_password=short&confirm_password=other",
                                  1),
                     400);
    assert_true(tc_body_has(&tc, "Your current password is not correct"));
    assert_true(tc_body_has(&tc, "The new passwords do not match"));
    assert_true(tc_body_has(&tc, "12 characters or more"));
    /* a common password padded with digits is refused */
    assert_int_equal(tc_post_form(&tc, "/account/password",
                                  "current_password=correct+horse+battery&new_password=password1234"
                                  "&confirm_password=password1234",
                                  1),
                     400);
    assert_true(tc_body_has(&tc, "this one is among the most common passwords"));
    assert_int_equal(tc_post_form(&tc, "/account/password",
                                  "current_password=correct+horse+battery"
                                  "&new_password=a+brand+new+secret"
                                  "&confirm_password=a+brand+new+secret",
                                  1),
                     303);
    /* this session lives on, the other one ended */
    assert_int_equal(tc_get(&tc, "/account"), 200);
    assert_int_equal(tc_get_json(&other, "/account"), 401);
    tc_reset(&tc);
    assert_int_equal(tc_login(&tc, "pw@example.test", PW), 401);
    assert_int_equal(tc_login(&tc, "pw@example.test", "a brand new secret"), 303);
    tc_free(&tc);
    tc_free(&other);
}

/* Whoever learnt the old password may have made an API token: a change ends them all. */
static void test_password_change_ends_api_tokens(void **state)
{
    struct test_client tc, api;
    char auth[200];
    const char *p;
    (void)state;
    testapp_user(app, "pwtok@example.test", "member", PW);
    tc_init(&tc, app);
    tc_init(&api, app);
    assert_int_equal(tc_login(&tc, "pwtok@example.test", PW), 303);
    assert_int_equal(tc_post_form(&tc, "/account/tokens", "name=Left+behind", 1), 201);
    p = strstr(tc.res.body, "ahp_");
    assert_non_null(p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %.68s", p);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 200);
    assert_int_equal(tc_post_form(&tc, "/account/password",
                                  "current_password=correct+horse+battery"
                                  "&new_password=a+brand+new+secret"
                                  "&confirm_password=a+brand+new+secret",
                                  1),
                     303);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 401);
    tc_free(&tc);
    tc_free(&api);
}

/* A stolen session cannot be used to guess the password: wrong current passwords are
 * throttled like logins, and then even the right one is refused for a while. */
static void test_password_change_throttled(void **state)
{
    struct test_client tc;
    (void)state;
    testapp_user(app, "pwguess@example.test", "member", PW);
    tc_init(&tc, app);
    assert_int_equal(
        login_from(&tc, "192.0.2.90", "pwguess%40example.test", "correct+horse+battery"), 303);
    for (int i = 0; i < 5; i++)
        assert_int_equal(post_from(&tc, "192.0.2.90", "/account/password",
                                   "current_password=guess&new_password=a+brand+new+secret"
                                   "&confirm_password=a+brand+new+secret"),
                         400);
    assert_int_equal(post_from(&tc, "192.0.2.90", "/account/password",
                               "current_password=correct+horse+battery"
                               "&new_password=a+brand+new+secret"
                               "&confirm_password=a+brand+new+secret"),
                     429);
    tc_free(&tc);
    /* guesses sent with refused new passwords count too: the current one is checked */
    testapp_user(app, "pwguess2@example.test", "member", PW);
    tc_init(&tc, app);
    assert_int_equal(
        login_from(&tc, "192.0.2.91", "pwguess2%40example.test", "correct+horse+battery"), 303);
    for (int i = 0; i < 5; i++)
        assert_int_equal(post_from(&tc, "192.0.2.91", "/account/password",
                                   "current_password=guess&new_password=short"
                                   "&confirm_password=other"),
                         400);
    assert_int_equal(post_from(&tc, "192.0.2.91", "/account/password",
                               "current_password=correct+horse+battery"
                               "&new_password=a+brand+new+secret"
                               "&confirm_password=a+brand+new+secret"),
                     429);
    tc_free(&tc);
}

static void test_api_tokens(void **state)
{
    struct test_client tc, api;
    char auth[200], token[80], revoke[80];
    const char *p;
    (void)state;
    tc_init(&tc, app);
    tc_init(&api, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_int_equal(tc_post_form(&tc, "/account/tokens", "name=Reporting+script", 1), 201);
    /* the token, shown once, scrolls by keyboard without JavaScript (axe: a scrolling region
     * must take the focus): the code, which is what scrolls, named as a region */
    assert_true(tc_body_has(&tc, "<code class=\"nhsuk-code__content\" id=\"new-token\" "
                                 "tabindex=\"0\" role=\"region\" "
                                 "aria-label=\"Your new API token\">"));
    p = strstr(tc.res.body, "ahp_");
    assert_non_null(p);
    snprintf(token, sizeof token, "%.68s", p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    {
        const char *h[] = {auth, NULL};
        assert_int_equal(tc_request(&api, "GET", "/api/v1/account", h, NULL, 0), 200);
        assert_true(tc_body_has(&api, "member@example.test"));
        /* tokens are for the API only: the page path ignores them */
        assert_int_equal(tc_request(&api, "GET", "/account", h, NULL, 0), 303);
    }
    /* the token appears in the list by prefix only, never in full again */
    assert_int_equal(tc_get(&tc, "/account"), 200);
    assert_false(tc_body_has(&tc, token));
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    p = strstr(tc.res.body, "\"tokens\":[{\"id\":");
    assert_non_null(p);
    snprintf(revoke, sizeof revoke, "/account/tokens/%d/revoke", atoi(p + 16));
    assert_int_equal(tc_post_form(&tc, revoke, "", 1), 303);
    {
        const char *h[] = {auth, NULL};
        assert_int_equal(tc_request(&api, "GET", "/api/v1/account", h, NULL, 0), 401);
        assert_int_equal(tc_request(&api, "GET", "/api/v1/account",
                                    (const char *[]){"Authorization: Bearer ahp_nonsense", NULL},
                                    NULL, 0),
                         401);
    }
    tc_free(&tc);
    tc_free(&api);
}

static void test_api_login_json(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_post_json(&tc, "/api/v1/login",
                                  "{\"email\":\"MEMBER@example.test\","
                                  "\"password\":\"correct horse battery\"}"),
                     200);
    assert_true(tc_body_has(&tc, "\"csrf_token\""));
    assert_int_equal(tc_get(&tc, "/api/v1/account"), 200);
    assert_int_equal(tc_post_json(&tc, "/api/v1/logout", "{}"), 200);
    assert_int_equal(tc_get(&tc, "/api/v1/account"), 401);
    tc_free(&tc);
}

/* A cross-site form can POST to the API with the visitor's cookie and no body (or a
 * text/plain one): such writes must be refused, not treated as an empty request. */
static void test_api_cookie_write_needs_json_or_bearer(void **state)
{
    struct test_client tc, api;
    char auth[200], token[80], revoke[80];
    const char *p;
    (void)state;
    tc_init(&tc, app);
    tc_init(&api, app);
    assert_int_equal(tc_login(&tc, "second@example.test", PW), 303);
    assert_int_equal(tc_post_form(&tc, "/account/tokens", "name=Cross+site", 1), 201);
    p = strstr(tc.res.body, "ahp_");
    assert_non_null(p);
    snprintf(token, sizeof token, "%.68s", p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    p = strstr(tc.res.body, "\"tokens\":[{\"id\":");
    assert_non_null(p);
    snprintf(revoke, sizeof revoke, "/api/v1/account/tokens/%d/revoke", atoi(p + 16));
    /* no Content-Type, empty body: refused, the token and the session live on */
    assert_int_equal(tc_request(&tc, "POST", revoke, NULL, NULL, 0), 400);
    assert_int_equal(
        tc_request(&tc, "POST", revoke, (const char *[]){"Content-Type:", NULL}, NULL, 0), 400);
    assert_int_equal(
        tc_request(&tc, "POST", revoke, (const char *[]){"Content-Type: text/plain", NULL}, "x", 1),
        400);
    assert_int_equal(tc_request(&tc, "POST", "/api/v1/logout", NULL, NULL, 0), 400);
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    assert_int_equal(
        tc_request(&api, "GET", "/api/v1/account", (const char *[]){auth, NULL}, NULL, 0), 200);
    /* a bearer token needs no JSON: it cannot ride along with a cross-site form */
    assert_int_equal(tc_request(&api, "POST", revoke, (const char *[]){auth, NULL}, NULL, 0), 200);
    assert_int_equal(tc_post_json(&tc, "/api/v1/logout", "{}"), 200);
    tc_free(&tc);
    tc_free(&api);
}

/* A page for a path no route serves, or the address of a form opened from the address bar,
 * still shows who is logged in (and a log-out that works), and the latter says what it is. */
static void test_error_pages_show_who_is_logged_in(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/no/such/page"), 404);
    assert_true(tc_body_has(&tc, ">Log out</button>"));
    assert_int_equal(tc_get(&tc, "/logout"), 405);
    assert_true(tc_body_has(&tc, ">Log out</button>"));
    assert_true(tc_body_has(&tc, "This address is where a form is sent"));
    assert_false(tc_body_has(&tc, "Go back to the page with the form</a>")); /* only home */
    /* a form's address under its page's offers the nearest page above it: a token is revoked
     * from the account page */
    assert_int_equal(tc_get(&tc, "/account/tokens/12/revoke"), 405);
    assert_true(tc_body_has(&tc, "<a href=\"/account\">Go back to the page with the form</a>"));
    /* the header's log-out form carries a token that works */
    assert_int_equal(tc_post_form(&tc, "/logout", "", 1), 303);
    assert_int_equal(tc_get(&tc, "/no/such/page"), 404);
    assert_false(tc_body_has(&tc, ">Log out</button>"));
    tc_free(&tc);
}

static void test_errors(void **state)
{
    struct test_client tc;
    char big[70 * 1024];
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/no/such/page"), 404);
    assert_true(tc_body_has(&tc, "Page not found"));
    assert_int_equal(tc_get(&tc, "/api/v1/no/such"), 404);
    assert_true(tc_body_has(&tc, "\"error\":\"not_found\""));
    assert_int_equal(tc_request(&tc, "PUT", "/login", NULL, NULL, 0), 405);
    assert_non_null(strstr(lb_header(&tc.res, "Allow"), "POST"));
    assert_int_equal(tc_request(&tc, "DELETE", "/api/v1/account", NULL, NULL, 0), 405);
    assert_true(tc_body_has(&tc, "method_not_allowed"));
    memset(big, 'a', sizeof big);
    memcpy(big, "email=", 6);
    tc_get(&tc, "/login");
    assert_int_equal(tc_request(&tc, "POST", "/login",
                                (const char *[]){"Content-Type: application/x-www-form-urlencoded",
                                                 NULL},
                                big, sizeof big),
                     413);
    assert_true(tc_body_has(&tc, "nothing in it was saved")); /* and what to do */
    /* malformed bodies */
    assert_int_equal(
        tc_request(&tc, "POST", "/login",
                   (const char *[]){"Content-Type: application/x-www-form-urlencoded", NULL},
                   "email=%zz", 9),
        400);
    assert_int_equal(tc_post_json(&tc, "/api/v1/login", "{\"email\": "), 400);
    assert_true(tc_body_has(&tc, "not valid JSON"));
    assert_int_equal(tc_post_json(&tc, "/api/v1/login", "[1,2]"), 400);
    assert_int_equal(tc_post_json(&tc, "/api/v1/login",
                                  "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]}"),
                     400);
    assert_true(tc_body_has(&tc, "nested too deeply"));
    assert_int_equal(tc_request(&tc, "POST", "/api/v1/login",
                                (const char *[]){"Content-Type: text/plain", NULL}, "{}", 2),
                     400);
    assert_int_equal(tc_post_json(&tc, "/api/v1/login", "{\"email\":\"not-an-email\"}"), 400);
    assert_true(tc_body_has(&tc, "\"password\":\"Enter your password\""));
    assert_true(tc_body_has(&tc, "correct format"));
    assert_int_equal(tc_request(&tc, "GET", "/%ff", NULL, NULL, 0), 400);
    tc_free(&tc);
}

static void test_form_errors_keep_values(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    tc_get(&tc, "/login");
    assert_int_equal(tc_post_form(&tc, "/login", "email=someone%40example.test&password=", 1), 400);
    assert_true(tc_body_has(&tc, "Enter your password"));
    assert_true(tc_body_has(&tc, "someone@example.test"));
    assert_true(tc_body_has(&tc, "nhsuk-error-summary"));
    tc_free(&tc);
}

struct worker {
    int ok;
};

static void *hammer(void *arg)
{
    struct worker *w = arg;
    struct test_client tc;
    tc_init(&tc, app);
    if (tc_login(&tc, "member@example.test", PW) == 303)
        for (int i = 0; i < 40; i++)
            w->ok += tc_get_json(&tc, "/account") == 200;
    tc_free(&tc);
    return NULL;
}

static void test_concurrent_requests(void **state)
{
    pthread_t t[4];
    struct worker w[4] = {{0}};
    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].ok, 40);
    }
}

/* A JSON body is held to the form's field limit (1,000), as a form is: one request with a
 * million keys must not hold a worker. */
static void test_json_body_field_limit(void **state)
{
    struct test_client tc;
    struct buf b = BUF_INIT;
    (void)state;
    tc_init(&tc, app);
    buf_puts(&b, "{\"email\":\"x@example.test\",\"password\":\"p\"");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, ",\"item.k%d\":\"1\"", i);
    buf_putc(&b, '}');
    assert_false(buf_oom(&b));
    assert_int_equal(tc_post_json(&tc, "/api/v1/login", b.data), 413);
    buf_free(&b);
    tc_free(&tc);
}

static void test_healthz_and_metrics(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_get(&tc, "/healthz"), 200);
    assert_int_equal(tc_get(&tc, "/readyz"), 200); /* takes a write, on either engine */
    assert_true(tc_body_has(&tc, "ready"));
    assert_int_equal(tc_get(&tc, "/metrics"), 200);
    assert_true(tc_body_has(&tc, "ahphub_http_request_duration_seconds_bucket"));
    assert_true(tc_body_has(&tc, "ahphub_db_errors_total"));
    assert_int_equal(tc_get(&tc, "/api/v1/healthz"), 404);
    assert_int_equal(tc_get(&tc, "/assets/nhsuk-frontend.min.css"), 200);
    assert_int_equal(tc_get(&tc, "/assets/../migrations/0002_accounts.sql"), 400);
    assert_int_equal(tc_get(&tc, "/assets/nope.css"), 404);
    tc_free(&tc);
}

/* The select options pages share (app->ref_options) must come out of every page that shows
 * them as they went in: a page that changed one would change it for every later page. */
static void test_shared_options_unchanged(void **state)
{
    struct test_client tc;
    static const char *const roles[] = {"", "member", "facilitator", "admin", "unknown"};
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "admin@example.test", PW), 303);
    assert_int_equal(tc_get(&tc, "/account"), 200);
    assert_int_equal(tc_get_json(&tc, "/account"), 200);
    assert_int_equal(tc_get(&tc, "/admin/users"), 200);
    assert_int_equal(tc_get(&tc, "/admin/users?role=facilitator"), 200);
    assert_int_equal(tc_post_form(&tc, "/account/profile",
                                  "display_name=&profession=paramedic&region=london", 1),
                     400);
    tc_free(&tc);
    for (int k = 0; k < REF_KINDS; k++) {
        const struct ref_item *items = k == REF_PROFESSIONS ? professions : regions;
        size_t n = k == REF_PROFESSIONS ? professions_count : regions_count;
        for (size_t i = 0; i <= n + 1; i++) {
            const char *sel = k >= REF_ROLES ? (i < 5 ? roles[i] : NULL)
                              : i < n        ? items[i].code
                              : i == n       ? NULL
                                             : "unknown";
            json_t *shared = ref_options(app->ref_options, (enum ref_kind)k, sel);
            json_t *fresh = ref_options_build((enum ref_kind)k, sel);
            assert_non_null(shared);
            assert_non_null(fresh);
            assert_true(json_equal(shared, fresh));
            json_decref(shared);
            json_decref(fresh);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_html_and_json),
        cmocka_unit_test(test_home_names_every_module),
        cmocka_unit_test(test_security_headers),
        cmocka_unit_test(test_behind_tls),
        cmocka_unit_test(test_login_wrong_then_right),
        cmocka_unit_test(test_login_next_is_local_only),
        cmocka_unit_test(test_session_rotates_on_login),
        cmocka_unit_test(test_throttling),
        cmocka_unit_test(test_throttle_same_for_unknown_account),
        cmocka_unit_test(test_stranger_cannot_lock_out_owner),
        cmocka_unit_test(test_one_address_limited_across_accounts),
        cmocka_unit_test(test_csrf),
        cmocka_unit_test(test_csrf_token_bound_to_session),
        cmocka_unit_test(test_login_returns_new_session_token),
        cmocka_unit_test(test_login_form_needs_csrf),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_admin_changes_role),
        cmocka_unit_test(test_password_change),
        cmocka_unit_test(test_password_change_ends_api_tokens),
        cmocka_unit_test(test_password_change_throttled),
        cmocka_unit_test(test_api_tokens),
        cmocka_unit_test(test_api_login_json),
        cmocka_unit_test(test_api_cookie_write_needs_json_or_bearer),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_pages_show_who_is_logged_in),
        cmocka_unit_test(test_form_errors_keep_values),
        cmocka_unit_test(test_concurrent_requests),
        cmocka_unit_test(test_json_body_field_limit),
        cmocka_unit_test(test_healthz_and_metrics),
        cmocka_unit_test(test_shared_options_unchanged),
    };
    return cmocka_run_group_tests_name("http/account", tests, setup, teardown);
}
