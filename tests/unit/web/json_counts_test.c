/* json_counts_test.c: published counts become numbers at the JSON edge (web/json_counts.c):
 * "1,235" a number, "*" null with a reason, "" null; other members and texts untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "core/err.h"
#include "web/json_counts.h"

static void test_counts_become_numbers(void **state)
{
    json_t *m = json_loads(
        "{\"contributions\":\"1,235\",\"label\":\"15\",\"themes\":[{\"size\":\"*\",\"votes\":\"40\","
        "\"agree_percent\":\"\",\"by_audience\":{\"citizen\":\"10\",\"ahp\":\"*\"},"
        "\"terms\":[\"10\"]}],\"headline\":{\"rows\":[{\"measure\":\"Votes\",\"total\":\"0\","
        "\"staff\":\"12,34\"}]},\"run\":{\"contributions\":4}}",
        0, NULL);
    static const char *const keys[] = {"size", "votes", "contributions", "agree_percent",
                                       "citizen", "ahp", "staff", "total", NULL};
    json_t *t, *by, *row;
    (void)state;
    assert_non_null(m);
    assert_int_equal(json_published_counts(m, keys), APP_OK);
    assert_int_equal(json_integer_value(json_object_get(m, "contributions")), 1235);
    assert_string_equal(json_string_value(json_object_get(m, "label")), "15"); /* not a count */
    t = json_array_get(json_object_get(m, "themes"), 0);
    assert_true(json_is_null(json_object_get(t, "size")));
    assert_non_null(strstr(json_string_value(json_object_get(t, "size_reason")), "Fewer than 8"));
    assert_int_equal(json_integer_value(json_object_get(t, "votes")), 40);
    assert_true(json_is_null(json_object_get(t, "agree_percent")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(t, "terms"), 0)), "10");
    by = json_object_get(t, "by_audience");
    assert_int_equal(json_integer_value(json_object_get(by, "citizen")), 10);
    assert_true(json_is_null(json_object_get(by, "ahp")));
    assert_non_null(json_object_get(by, "ahp_reason"));
    row = json_array_get(json_object_get(json_object_get(m, "headline"), "rows"), 0);
    assert_true(json_is_integer(json_object_get(row, "total")));
    assert_int_equal(json_integer_value(json_object_get(row, "total")), 0);
    /* a text that is not a published count stays as it is */
    assert_string_equal(json_string_value(json_object_get(row, "staff")), "12,34");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "run"),
                                                        "contributions")),
                     4);
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_become_numbers),
    };
    return cmocka_run_group_tests_name("web/json_counts", tests, NULL, NULL);
}
