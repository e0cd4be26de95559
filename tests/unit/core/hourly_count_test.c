/* hourly_count_test.c: counts per key in one-hour windows — limits per key, nothing counted on
 * a refusal, kinds kept apart, a new hour starts afresh, a count given back */
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

/* A take whose work failed gives its count back, in its own hour only, never below 0. */
static void test_give_back(void **state)
{
    struct hourly_count *h = NULL;
    const int64_t t = 1765000800;
    const struct hourly_key k = {"client", "bb", 2, 2}, never = {"client", "cc", 2, 1};
    (void)state;
    assert_int_equal(hourly_count_new(&h), APP_OK);
    assert_int_equal(hourly_count_take(h, &k, 1, t), APP_OK);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 1), APP_OK);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 2), APP_E_LIMIT);
    hourly_count_give(h, &k, 1, t + 3);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 4), APP_OK);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 5), APP_E_LIMIT);
    /* given back in the next hour: that hour's count is 0 already and stays so */
    hourly_count_give(h, &k, 1, t + 3600);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 3601), APP_OK);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 3602), APP_OK);
    assert_int_equal(hourly_count_take(h, &k, 1, t + 3603), APP_E_LIMIT);
    /* a key never counted: nothing to give, and its limit is whole */
    hourly_count_give(h, &never, 1, t + 3604);
    assert_int_equal(hourly_count_take(h, &never, 1, t + 3605), APP_OK);
    assert_int_equal(hourly_count_take(h, &never, 1, t + 3606), APP_E_LIMIT);
    hourly_count_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_limits_and_windows),
                                       cmocka_unit_test(test_give_back)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
