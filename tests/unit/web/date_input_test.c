/* date_input_test.c: the NHS.UK day, month and year fields — real dates in and out (leap
 * years, spaces, leading zeros), and each way a date can be wrong with the service manual's
 * message and the field it links to */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "web/date_input.h"

static void test_real_dates(void **state)
{
    struct arena *a = arena_new();
    const char *why, *part;
    int64_t t = -1;
    char d[8], m[8], y[8];
    (void)state;
    assert_int_equal(date_input_read(a, "The date", "1", "1", "1970", &t, &why, &part), APP_OK);
    assert_int_equal(t, 0);
    assert_int_equal(date_input_read(a, "The date", " 30 ", "11", "2026", &t, &why, &part),
                     APP_OK);
    assert_int_equal(t, 1795996800); /* 2026-11-30T00:00:00Z */
    assert_int_equal(date_input_read(a, "The date", "29", "02", "2028", &t, &why, &part), APP_OK);
    assert_int_equal(date_input_read(a, "The date", "29", "2", "2000", &t, &why, &part), APP_OK);
    assert_int_equal(date_input_read(a, "The date", "07", "3", "2027", &t, &why, &part), APP_OK);
    date_input_parts(t, d, m, y);
    assert_string_equal(d, "7");
    assert_string_equal(m, "3");
    assert_string_equal(y, "2027");
    date_input_parts(0, d, m, y);
    assert_string_equal(d, "");
    arena_free(a);
}

static void test_wrong_dates(void **state)
{
    static const struct {
        const char *d, *m, *y, *why, *part;
    } cases[] = {
        {"", "", "", "Enter the date of the meeting", "day"},
        {NULL, NULL, NULL, "Enter the date of the meeting", "day"},
        {"", "3", "2027", "The date of the meeting must include a day", "day"},
        {"3", " ", "2027", "The date of the meeting must include a month", "month"},
        {"3", "3", "", "The date of the meeting must include a year", "year"},
        {"3", "3", "27", "Year must include 4 numbers", "year"},
        {"31", "6", "2027", "The date of the meeting must be a real date", "day"},
        {"29", "2", "2027", "The date of the meeting must be a real date", "day"},
        {"29", "2", "1900", "The date of the meeting must be a real date", "day"},
        {"0", "3", "2027", "The date of the meeting must be a real date", "day"},
        {"3", "13", "2027", "The date of the meeting must be a real date", "month"},
        {"3", "3", "1899", "The date of the meeting must be a real date", "year"},
        {"a", "3", "2027", "The date of the meeting must be a real date", "day"},
        {"3", "March", "2027", "The date of the meeting must be a real date", "month"},
        {"-3", "3", "2027", "The date of the meeting must be a real date", "day"},
        {"3", "3", "20x7", "The date of the meeting must be a real date", "year"},
    };
    struct arena *a = arena_new();
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = NULL, *part = NULL;
        int64_t t = 12345;
        assert_int_equal(date_input_read(a, "The date of the meeting", cases[i].d, cases[i].m,
                                         cases[i].y, &t, &why, &part),
                         APP_E_INVALID);
        assert_non_null(why);
        if (strcmp(why, cases[i].why) || strcmp(part, cases[i].part))
            fail_msg("case %zu: \"%s\" at %s", i, why, part);
        assert_int_equal(t, 12345);
    }
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_dates),
        cmocka_unit_test(test_wrong_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
