/* render_test.c: render(), one view model as a page or as JSON, and the ownership rules of
 * the view-model builders jobj() and jset()
 *
 * Every page model is built by chaining them, and a value may have other references (one
 * taken from another model with json_incref), so each failure path must release exactly the
 * references it was given: one too many frees a value that is still in use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "http/handler.h"
#include "support/testapp.h"
#include "web/render.h"

/* A value with two references: the caller's and someone else's. */
static json_t *shared(void)
{
    json_t *v = json_string("shared");
    assert_non_null(v);
    json_incref(v);
    assert_int_equal(v->refcount, 2);
    return v;
}

static void test_jobj_takes_value(void **state)
{
    json_t *v = shared(), *o = jobj(json_object(), "k", v);
    (void)state;
    assert_non_null(o);
    assert_ptr_equal(json_object_get(o, "k"), v);
    json_decref(o);
    assert_int_equal(v->refcount, 1);
    json_decref(v);
}

/* jansson releases the value when the set fails; jobj must not release it again. */
static void test_jobj_failed_set_releases_once(void **state)
{
    json_t *v = shared();
    (void)state;
    assert_null(jobj(json_object(), NULL, v)); /* a NULL key makes the set fail */
    assert_int_equal(v->refcount, 1);
    assert_null(jobj(json_array(), "k", json_incref(v))); /* not an object */
    assert_int_equal(v->refcount, 1);
    json_decref(v);
}

static void test_jobj_null_anywhere(void **state)
{
    json_t *v = shared(), *o = json_object();
    (void)state;
    assert_null(jobj(NULL, "k", v)); /* obj NULL: value released */
    assert_int_equal(v->refcount, 1);
    json_incref(o);
    assert_null(jobj(o, "k", NULL)); /* value NULL: obj released */
    assert_int_equal(o->refcount, 1);
    json_decref(o);
    json_decref(v);
}

static void test_jset_same_rules(void **state)
{
    json_t *v = shared(), *o;
    (void)state;
    o = jset(json_object(), "k", v);
    assert_non_null(o);
    json_decref(o);
    assert_int_equal(v->refcount, 1);
    json_incref(v);
    assert_null(jset(json_object(), "\xff", v)); /* invalid UTF-8 key: the set fails */
    assert_int_equal(v->refcount, 1);
    json_incref(v);
    assert_null(jset(NULL, "k", v));
    assert_int_equal(v->refcount, 1);
    json_decref(v);
}


/* ---- render(): the same model, as a page or as JSON -------------------------------------- */

struct page {
    struct arena *a;
    struct req req;
    struct resp resp;
    struct ctx c;
};

static void page_init(struct page *p, struct app *app, bool json)
{
    memset(p, 0, sizeof *p);
    p->a = arena_new();
    assert_non_null(p->a);
    p->req.arena = p->a;
    p->req.path = p->req.raw_path = "/";
    p->c.app = app;
    p->c.arena = p->a;
    p->c.req = &p->req;
    p->c.resp = &p->resp;
    p->c.want_json = json;
}

static void page_free(struct page *p)
{
    buf_free(&p->resp.body);
    arena_free(p->a);
}

static bool body_has(const struct page *p, const char *s)
{
    return p->resp.body.data && strstr(p->resp.body.data, s) != NULL;
}

static json_t *model(void)
{
    json_t *m = jobj(json_object(), "title", jstr("Waiting <times> & \"you\""));
    return jobj(m, "count", jint(42));
}

static void test_render_json_is_the_model(void **state)
{
    struct app *app = *state;
    struct page p;
    json_t *got;
    json_error_t err;
    page_init(&p, app, true);
    assert_int_equal(render(&p.c, 201, "site/accessibility", model()), APP_OK);
    assert_int_equal(p.resp.status, 201);
    assert_non_null(strstr(p.resp.content_type, "application/json"));
    got = json_loadb(p.resp.body.data, p.resp.body.len, 0, &err);
    assert_non_null(got);
    /* numbers stay numbers; text is as given, not escaped for HTML */
    assert_true(json_is_integer(json_object_get(got, "count")));
    assert_int_equal(json_integer_value(json_object_get(got, "count")), 42);
    assert_string_equal(json_string_value(json_object_get(got, "title")),
                        "Waiting <times> & \"you\"");
    json_decref(got);
    page_free(&p);
}

static void test_render_page_escapes_and_frames(void **state)
{
    struct app *app = *state;
    struct page p;
    page_init(&p, app, false);
    assert_int_equal(render(&p.c, 200, "site/accessibility", model()), APP_OK);
    assert_int_equal(p.resp.status, 200);
    assert_non_null(strstr(p.resp.content_type, "text/html"));
    assert_true(body_has(&p, "<html lang=\"en\""));
    assert_true(body_has(&p, "Waiting &lt;times&gt; &amp; &quot;you&quot;"));
    assert_false(body_has(&p, "<times>"));
    page_free(&p);
}

static void test_render_field_errors(void **state)
{
    struct app *app = *state;
    struct page p;
    json_t *got;
    json_error_t err;
    /* as a page: the error summary, and the title says so (NHS.UK error pattern) */
    page_init(&p, app, false);
    assert_int_equal(req_add_error(&p.req, "email", "Enter an email address"), APP_OK);
    assert_int_equal(render(&p.c, 400, "account/login", model()), APP_OK);
    assert_int_equal(p.resp.status, 400);
    assert_true(body_has(&p, "Enter an email address"));
    assert_true(body_has(&p, "nhsuk-error-summary"));
    assert_true(body_has(&p, "<title>Error: "));
    page_free(&p);
    /* as JSON: the same errors, by field */
    page_init(&p, app, true);
    assert_int_equal(req_add_error(&p.req, "email", "Enter an email address"), APP_OK);
    assert_int_equal(render(&p.c, 400, "account/login", model()), APP_OK);
    got = json_loadb(p.resp.body.data, p.resp.body.len, 0, &err);
    assert_non_null(got);
    assert_non_null(strstr(p.resp.body.data, "Enter an email address"));
    assert_non_null(strstr(p.resp.body.data, "\"email\""));
    json_decref(got);
    page_free(&p);
}

static void test_render_failures_leave_no_answer(void **state)
{
    struct app *app = *state;
    struct page p;
    page_init(&p, app, false);
    /* a model that could not be built */
    assert_int_equal(render(&p.c, 200, "site/accessibility", NULL), APP_E_NOMEM);
    assert_int_equal(p.resp.status, 0);
    /* a template that does not exist: an error, and no half-written body */
    assert_int_not_equal(render(&p.c, 200, "site/no-such-page", model()), APP_OK);
    assert_int_equal(p.resp.status, 0);
    assert_int_equal(p.resp.body.len, 0);
    page_free(&p);
}

static int app_setup(void **state)
{
    *state = testapp_new();
    return *state ? 0 : -1;
}

static int app_teardown(void **state)
{
    testapp_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobj_takes_value),
        cmocka_unit_test(test_jobj_failed_set_releases_once),
        cmocka_unit_test(test_jobj_null_anywhere),
        cmocka_unit_test(test_jset_same_rules),
        cmocka_unit_test(test_render_json_is_the_model),
        cmocka_unit_test(test_render_page_escapes_and_frames),
        cmocka_unit_test(test_render_field_errors),
        cmocka_unit_test(test_render_failures_leave_no_answer),
    };
    return cmocka_run_group_tests_name("web/render", tests, app_setup, app_teardown);
}
