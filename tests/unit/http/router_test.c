/* router_test.c: path matching, named segments, 404 and 405, and the route table's own rules */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "http/req.h"
#include "http/router.h"

static struct req r;
static struct arena *a;

static int setup(void **state)
{
    (void)state;
    a = arena_new();
    memset(&r, 0, sizeof r);
    r.arena = a;
    return a ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    return 0;
}

static void test_literal_and_params(void **state)
{
    const struct route *rt;
    const char *allow;
    (void)state;
    assert_int_equal(router_match(&r, M_GET, "/", &rt, &allow), ROUTER_FOUND);
    assert_string_equal(rt->name, "home");
    assert_int_equal(router_match(&r, M_POST, "/admin/users/42/role", &rt, &allow), ROUTER_FOUND);
    assert_string_equal(rt->name, "admin_user_role");
    assert_string_equal(req_param(&r, "id"), "42");
    assert_int_equal(router_match(&r, M_GET, "/assets/images/favicon.svg", &rt, &allow),
                     ROUTER_FOUND);
    assert_string_equal(req_param(&r, "path"), "images/favicon.svg");
    assert_int_equal(router_match(&r, M_HEAD, "/login", &rt, &allow), ROUTER_FOUND);
    assert_string_equal(rt->name, "account_login_form");
}

static void test_not_found(void **state)
{
    const struct route *rt;
    const char *allow;
    (void)state;
    assert_int_equal(router_match(&r, M_GET, "/admin/users/42/nothing", &rt, &allow),
                     ROUTER_NOT_FOUND);
    assert_int_equal(router_match(&r, M_GET, "/loginx", &rt, &allow), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(&r, M_GET, "/login/", &rt, &allow), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(&r, M_POST, "/admin/users//role", &rt, &allow),
                     ROUTER_NOT_FOUND);
    assert_int_equal(router_match(&r, M_GET, "/assets/", &rt, &allow), ROUTER_NOT_FOUND);
    assert_int_equal(router_match(&r, M_GET, "", &rt, &allow), ROUTER_NOT_FOUND);
}

static void test_method_not_allowed(void **state)
{
    const struct route *rt;
    const char *allow;
    (void)state;
    assert_int_equal(router_match(&r, M_DELETE, "/login", &rt, &allow), ROUTER_BAD_METHOD);
    assert_string_equal(allow, "GET, POST");
    assert_int_equal(router_match(&r, M_GET, "/logout", &rt, &allow), ROUTER_BAD_METHOD);
    assert_string_equal(allow, "POST");
}

static void test_table_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const struct route *rt = &routes[i];
        assert_true(rt->pattern[0] == '/');
        assert_non_null(rt->handler);
        /* names are unique: metrics and logs rely on them */
        for (size_t j = i + 1; j < routes_count; j++)
            assert_string_not_equal(rt->name, routes[j].name);
        /* every route that changes something is CSRF-checked unless it says otherwise */
        if (rt->method == M_POST)
            assert_false(rt->flags & R_NO_CSRF);
        /* admin pages are admin-only */
        if (!strncmp(rt->pattern, "/admin", 6))
            assert_true(rt->flags & R_ADMIN);
        /* a JSON member's size is its handler's to bound (F_JSON declares max 0) */
        for (const struct field_spec *f = rt->fields; f && f->name; f++)
            assert_true(f->type == F_JSON ? f->max == 0 : f->max > 0);
    }
}

static void test_req_start(void **state)
{
    struct req q;
    (void)state;
    assert_int_equal(req_start(&q, a, "GET", "/api/v1/account?x=1"), 0);
    assert_true(q.api);
    assert_string_equal(q.path, "/account");
    assert_string_equal(q.query, "x=1");
    assert_int_equal(req_start(&q, a, "GET", "/api/v1"), 0);
    assert_string_equal(q.path, "/");
    assert_int_equal(req_start(&q, a, "GET", "/api/v10"), 0);
    assert_false(q.api);
    assert_int_equal(req_start(&q, a, "POST", "/a%20b"), 0);
    assert_string_equal(q.path, "/a b");
    assert_int_equal(q.method, M_POST);
    assert_int_not_equal(req_start(&q, a, "GET", "/a%00b"), 0);
    assert_int_not_equal(req_start(&q, a, "GET", "/x/../y"), 0);
    assert_int_not_equal(req_start(&q, a, "GET", "/x/%2e%2e"), 0);
    assert_int_not_equal(req_start(&q, a, "GET", "noslash"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_params), cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_method_not_allowed), cmocka_unit_test(test_table_rules),
        cmocka_unit_test(test_req_start),
    };
    return cmocka_run_group_tests_name("http/router", tests, setup, teardown);
}
