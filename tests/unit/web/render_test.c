/* render_test.c: the ownership rules of the view-model builders jobj() and jset()
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobj_takes_value),
        cmocka_unit_test(test_jobj_failed_set_releases_once),
        cmocka_unit_test(test_jobj_null_anywhere),
        cmocka_unit_test(test_jset_same_rules),
    };
    return cmocka_run_group_tests_name("web/render", tests, NULL, NULL);
}
