/* ticks_test.c: nice_ticks() gives round ticks that cover the data */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "export/ticks.h"

static void test_round_steps(void **state)
{
    double step;
    (void)state;
    /* the report's old scale for 115 contributions was 0, 29, 58, 87, 116 */
    assert_true(nice_ticks(115, 4, 0, &step) == 120);
    assert_true(step == 30);
    assert_true(nice_ticks(100, 4, 0, &step) == 100);
    assert_true(step == 25);
    assert_true(nice_ticks(101, 4, 0, &step) == 120);
    assert_true(nice_ticks(7, 4, 0, &step) == 8);
    assert_true(step == 2);
    assert_true(nice_ticks(9, 4, 0, &step) == 12);
    assert_true(step == 3);
    assert_true(nice_ticks(1234, 4, 0, &step) == 1600);
    assert_true(step == 400);
    /* halves are never a step for counts under 25 */
    assert_true(nice_ticks(10, 4, 0, &step) == 12);
    assert_true(step == 3);
}

static void test_every_tick_is_round_and_covers(void **state)
{
    (void)state;
    for (int max = 0; max <= 5000; max++) {
        double step, top = nice_ticks(max, 4, 0, &step);
        double m = step / pow(10, floor(log10(step)));
        assert_true(top >= max);
        assert_true(top == 4 * step);
        /* the step is 1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten */
        assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 2.5) < 1e-9 ||
                    fabs(m - 3) < 1e-9 || fabs(m - 4) < 1e-9 || fabs(m - 5) < 1e-9 ||
                    fabs(m - 6) < 1e-9 || fabs(m - 8) < 1e-9);
        /* whole-number ticks for counts, and no more than twice the room needed */
        assert_true(step >= 1 && step == floor(step));
        assert_true(max < 4 || top <= 2 * max);
    }
}

static void test_minimum_and_bad_input(void **state)
{
    double step;
    (void)state;
    assert_true(nice_ticks(3, 4, 12, &step) == 12);
    assert_true(step == 3);
    assert_true(nice_ticks(0, 4, 0, NULL) >= 1);
    assert_true(nice_ticks(-5, 4, 0, NULL) >= 1);
    assert_true(nice_ticks(NAN, 4, 0, NULL) >= 1);
    assert_true(nice_ticks(50, 0, 0, &step) == 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_steps),
        cmocka_unit_test(test_every_tick_is_round_and_covers),
        cmocka_unit_test(test_minimum_and_bad_input),
    };
    return cmocka_run_group_tests_name("unit/export/ticks", tests, NULL, NULL);
}
