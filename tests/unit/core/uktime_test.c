/* uktime_test.c: UK civil time both ways across the clock changes, and which day "today" is
 * (core/uktime.c)
 *
 * What a person would notice: an event typed for 09:30 in January is 09:30Z and one in July
 * is 08:30Z; the hours that happen twice or never are read one fixed way; and just after
 * midnight in summer it is already the next day in the UK while UTC has not got there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/uktime.h"

/* 2026: BST from 01:00 UTC on Sunday 29 March to 01:00 UTC on Sunday 25 October. */
#define SPRING_2026 1774746000 /* 2026-03-29T01:00:00Z */
#define AUTUMN_2026 1792890000 /* 2026-10-25T01:00:00Z */
#define JUL_15_2027 1815609600 /* 2027-07-15T00:00:00Z */
#define JAN_15_2027 1799971200 /* 2027-01-15T00:00:00Z */

static void test_both_ways(void **state)
{
    (void)state;
    assert_int_equal(uk_offset(SPRING_2026 - 1), 0);
    assert_int_equal(uk_offset(SPRING_2026), 3600);
    assert_int_equal(uk_offset(AUTUMN_2026 - 1), 3600);
    assert_int_equal(uk_offset(AUTUMN_2026), 0);
    /* 00:30 on the spring morning is GMT; 02:30 is BST (01:30Z) */
    assert_int_equal(uk_to_utc(2026, 3, 29, 0, 30), SPRING_2026 - 1800);
    assert_int_equal(uk_to_utc(2026, 3, 29, 2, 30), SPRING_2026 + 1800);
    /* 00:30 on the autumn morning is BST (23:30Z the day before); 02:00 is GMT */
    assert_int_equal(uk_to_utc(2026, 10, 25, 0, 30), AUTUMN_2026 - 5400);
    assert_int_equal(uk_to_utc(2026, 10, 25, 2, 0), AUTUMN_2026 + 3600);
    /* mid-summer and mid-winter, and a leap day */
    assert_int_equal(uk_to_utc(2027, 7, 15, 14, 0), 1815656400); /* 13:00Z */
    assert_int_equal(uk_to_utc(2027, 1, 15, 9, 30), 1800005400); /* 09:30Z */
    assert_int_equal(uk_to_utc(2028, 2, 29, 12, 0), 1835438400); /* 12:00Z */
}

static void test_parts(void **state)
{
    int y, m, d, minutes;
    (void)state;
    /* 23:30Z on 14 July is 00:30 on 15 July in the UK */
    uk_parts(JUL_15_2027 - 1800, &y, &m, &d, &minutes);
    assert_int_equal(y, 2027);
    assert_int_equal(m, 7);
    assert_int_equal(d, 15);
    assert_int_equal(minutes, 30);
    /* and back */
    assert_int_equal(uk_to_utc(y, m, d, minutes / 60, minutes % 60), JUL_15_2027 - 1800);
    /* in winter the clock is UTC's */
    uk_parts(JAN_15_2027 + 9 * 3600, &y, &m, &d, &minutes);
    assert_int_equal(d, 15);
    assert_int_equal(minutes, 9 * 60);
    /* New Year's Eve 23:59 and a leap day */
    uk_parts(uk_to_utc(2027, 12, 31, 23, 59), &y, &m, &d, &minutes);
    assert_true(y == 2027 && m == 12 && d == 31 && minutes == 23 * 60 + 59);
    uk_parts(uk_to_utc(2028, 2, 29, 12, 0), &y, &m, &d, &minutes);
    assert_true(y == 2028 && m == 2 && d == 29 && minutes == 12 * 60);
}

static void test_today(void **state)
{
    (void)state;
    /* 23:30Z on 14 July: UTC's day is the 14th, the UK's the 15th */
    assert_int_equal(uk_today(JUL_15_2027 - 1800), JUL_15_2027);
    assert_int_equal(uk_today(JUL_15_2027 - 3601), JUL_15_2027 - 86400);
    assert_int_equal(uk_today(JUL_15_2027 + 22 * 3600 + 3599), JUL_15_2027);
    /* in winter the two agree to the second */
    assert_int_equal(uk_today(JAN_15_2027 - 1), JAN_15_2027 - 86400);
    assert_int_equal(uk_today(JAN_15_2027), JAN_15_2027);
    /* 15 July 2027 is a Thursday: (day + 4) % 7 is 0 on Sunday */
    assert_int_equal((uk_day_number(JUL_15_2027 - 1800) + 4) % 7, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_ways),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
