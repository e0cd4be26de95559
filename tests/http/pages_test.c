/* pages_test.c: every GET page in the route table renders and passes tidy without errors
 *
 * Reads the route table itself, so a new page is checked the moment it is declared: as an
 * anonymous visitor, as a member and as an admin. Routes with path parameters are checked
 * by the tests of their module.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http/handler.h"
#include "support/testapp.h"

static struct app *app;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "member@example.test", "member", PW);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
}

/* Runs tidy over html; returns its exit status (0 clean, 1 warnings, 2 errors). */
static void check_all(struct test_client *tc, const char *who)
{
    int checked = 0;
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *r = &routes[i];
        char what[128];
        int status;
        if (r->method != M_GET || (r->flags & R_RAW) || strpbrk(r->pattern, ":*"))
            continue;
        status = tc_get(tc, r->pattern);
        snprintf(what, sizeof what, "%s as %s (status %d)", r->pattern, who, status);
        if (status == 303) /* needs a login this visitor does not have */
            continue;
        if (status != 200 && status != 403) {
            fprintf(stderr, "%s\n", what);
            fail();
        }
        assert_non_null(strstr(lb_header(&tc->res, "Content-Type"), "text/html"));
        assert_true(testapp_tidy(tc->res.body, tc->res.len, what) < 2);
        checked++;
    }
    assert_true(checked >= 3);
    /* and the error page */
    assert_int_equal(tc_get(tc, "/does-not-exist"), 404);
    assert_true(testapp_tidy(tc->res.body, tc->res.len, "404 page") < 2);
}

static void test_pages_anonymous(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    check_all(&tc, "anonymous");
    tc_free(&tc);
}

static void test_pages_member(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "member@example.test", PW), 303);
    check_all(&tc, "member");
    tc_free(&tc);
}

static void test_pages_admin(void **state)
{
    struct test_client tc;
    (void)state;
    tc_init(&tc, app);
    assert_int_equal(tc_login(&tc, "admin@example.test", PW), 303);
    check_all(&tc, "admin");
    /* a form shown again with errors is a page too */
    assert_int_equal(tc_post_form(&tc, "/account/password", "current_password=x", 1), 400);
    assert_true(testapp_tidy(tc.res.body, tc.res.len, "account with errors") < 2);
    tc_free(&tc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_anonymous),
        cmocka_unit_test(test_pages_member),
        cmocka_unit_test(test_pages_admin),
    };
    return cmocka_run_group_tests_name("http/pages", tests, setup, teardown);
}
