/* date_test.c: the NHS.UK date input's three boxes read as a day (core/date.c)
 *
 * What a person typing a date would notice: an empty date is no date; a part left out is
 * named ("must include a month"); 31 June, letters and two-digit years are not real dates;
 * spaces around a number do not matter; and a day read back gives the same three boxes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/date.h"

static void test_empty_is_no_date(void **state)
{
    int64_t t = 99;
    (void)state;
    assert_null(date_from_parts(NULL, NULL, NULL, &t));
    assert_int_equal(t, 0);
    assert_null(date_from_parts("", " ", "", &t));
    assert_int_equal(t, 0);
}

static void test_real_dates(void **state)
{
    int64_t t;
    int d, m, y;
    (void)state;
    assert_null(date_from_parts("31", "3", "2027", &t));
    assert_int_equal(t, 1806451200); /* 2027-03-31 00:00 UTC */
    assert_null(date_from_parts(" 01 ", "03", " 2027", &t));
    date_to_parts(t, &d, &m, &y);
    assert_int_equal(d, 1);
    assert_int_equal(m, 3);
    assert_int_equal(y, 2027);
    assert_null(date_from_parts("29", "2", "2028", &t)); /* a leap year */
    date_to_parts(0, &d, &m, &y);
    assert_int_equal(d + m + y, 0);
}

static void test_parts_missing(void **state)
{
    int64_t t;
    (void)state;
    assert_string_equal(date_from_parts("", "3", "2027", &t), "must include a day");
    assert_string_equal(date_from_parts("3", "", "2027", &t), "must include a month");
    assert_string_equal(date_from_parts("3", "4", "", &t), "must include a year");
    assert_int_equal(t, 0);
}

static void test_not_real(void **state)
{
    int64_t t;
    const char *cases[][3] = {
        {"31", "6", "2027"}, {"29", "2", "2027"},  {"0", "1", "2027"},   {"1", "13", "2027"},
        {"x", "1", "2027"},  {"1", "1", "27"},     {"1", "1", "20270"},  {"1", "1", "1899"},
        {"-1", "1", "2027"}, {"1.5", "1", "2027"}, {"123", "1", "2027"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = date_from_parts(cases[i][0], cases[i][1], cases[i][2], &t);
        assert_non_null(why);
        assert_string_equal(why, "must be a real date");
        assert_int_equal(t, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_is_no_date),
        cmocka_unit_test(test_real_dates),
        cmocka_unit_test(test_parts_missing),
        cmocka_unit_test(test_not_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
