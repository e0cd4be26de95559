/* nextbest_test.c: a mentee's next best mentors — order by score then mentor id, the matched
 * mentor and pairs scoring 0 or less left out, at most five */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "connect/nextbest.h"

static void test_order_and_limit(void **state)
{
    struct connect_option c[8] = {
        {.mentor_id = 7, .score = 10000}, {.mentor_id = 3, .score = 24000},
        {.mentor_id = 9, .score = 12000}, {.mentor_id = 2, .score = 12000},
        {.mentor_id = 5, .score = 0},     {.mentor_id = 4, .score = 30000},
        {.mentor_id = 8, .score = 11000}, {.mentor_id = 6, .score = 14000},
    };
    size_t n;
    (void)state;
    n = connect_next_best(c, 8, 4); /* matched with 4, the best: left out */
    assert_int_equal(n, 5);
    assert_int_equal(c[0].mentor_id, 3);
    assert_int_equal(c[1].mentor_id, 6);
    assert_int_equal(c[2].mentor_id, 2); /* a tie goes to the lower id */
    assert_int_equal(c[3].mentor_id, 9);
    assert_int_equal(c[4].mentor_id, 8);
}

static void test_few_and_none(void **state)
{
    struct connect_option c[3] = {
        {.mentor_id = 1, .score = 0}, {.mentor_id = 2, .score = -5}, {.mentor_id = 3, .score = 1}};
    (void)state;
    assert_int_equal(connect_next_best(c, 3, 0), 1);
    assert_int_equal(c[0].mentor_id, 3);
    assert_int_equal(connect_next_best(c, 1, 3), 0);
    assert_int_equal(connect_next_best(NULL, 0, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_limit),
        cmocka_unit_test(test_few_and_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
