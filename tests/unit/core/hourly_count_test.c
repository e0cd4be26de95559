/* hourly_count_test.c: counts per key in one-hour windows — limits per key, nothing counted on
 * a refusal, kinds kept apart, a new hour starts afresh */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"
#include "core/hourly_count.h"

static void test_limits_and_windows(void **state)
{
    struct hourly_count *h = NULL;
    const int64_t t = 1765000800; /* the start of an hour */
    const struct hourly_key both[] = {{"client", "aa", 2, 2}, {"address", "x@y", 3, 1}};
    const struct hourly_key client = {"client", "aa", 2, 2};
    const struct hourly_key other_kind = {"address", "aa", 2, 1};
    (void)state;
    assert_int_equal(hourly_count_new(&h), APP_OK);
    assert_int_equal(hourly_count_take(h, both, 2, t), APP_OK);
    /* the address has had its one: refused, and the client is not counted either */
    assert_int_equal(hourly_count_take(h, both, 2, t + 10), APP_E_LIMIT);
    assert_int_equal(hourly_count_take(h, &client, 1, t + 20), APP_OK);
    assert_int_equal(hourly_count_take(h, &client, 1, t + 30), APP_E_LIMIT);
    /* the same bytes under another kind are another key */
    assert_int_equal(hourly_count_take(h, &other_kind, 1, t + 40), APP_OK);
    /* a new hour counts afresh */
    assert_int_equal(hourly_count_wait(t + 40), 3600 - 40);
    assert_int_equal(hourly_count_take(h, both, 2, t + 3600), APP_OK);
    assert_int_equal(hourly_count_take(h, both, 5, t + 3600), APP_E_INVALID);
    hourly_count_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_limits_and_windows)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
