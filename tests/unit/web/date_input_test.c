/* date_input_test.c: the NHS.UK date input's model (web/date_input.c)
 *
 * A date shown again after an error holds the parts as they were typed, a part the request
 * layer refused included (an 11-character day comes back, not an empty box); a date read
 * from a request never uses a refused part, and a date the form needs gets "Enter the date"
 * only when it was left empty, never beside a refused part's own message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/req.h"
#include "web/date_input.h"

static const struct field_spec specs[] = {
    {"opens-day", F_TEXT, OPTIONAL, 10, "the day"},
    {"opens-month", F_TEXT, OPTIONAL, 10, "the month"},
    {"opens-year", F_TEXT, OPTIONAL, 10, "the year"},
    {NULL, 0, 0, 0, NULL},
};

static void test_refused_part_comes_back_as_typed(void **state)
{
    struct kv raw[] = {
        {"opens-day", "twenty-first", 12}, {"opens-month", "3", 1}, {"opens-year", "2027", 4}};
    struct arena *a = arena_new();
    struct req r;
    json_t *m;
    int64_t t = -1;
    (void)state;
    assert_non_null(a);
    memset(&r, 0, sizeof r);
    r.arena = a;
    assert_int_equal(form_validate(&r, specs, raw, 3), APP_OK);
    assert_int_equal(r.nerrors, 1); /* the day is over its 10 characters */
    /* read: the refused day is no day, and its own message is the only one (not "must
     * include a day") */
    assert_null(date_input_read(&r, "opens", "Opening date", &t));
    assert_int_equal(t, 0);
    /* shown again: as typed */
    m = date_input_json(&r, "opens", "Opening date", NULL, 0);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "day")), "twenty-first");
    assert_string_equal(json_string_value(json_object_get(m, "month")), "3");
    assert_string_equal(json_string_value(json_object_get(m, "year")), "2027");
    /* its message is shown beside the date */
    assert_non_null(json_string_value(json_object_get(m, "error")));
    json_decref(m);
    arena_free(a);
}

/* A refused part of any length comes back whole, multi-byte characters included (a fixed
 * buffer once cut one in half, and the page answered 500). */
static void test_long_refused_part_comes_back_whole(void **state)
{
    char day[81];
    struct kv raw[] = {{"opens-day", day, 80}};
    struct arena *a = arena_new();
    struct req r;
    json_t *m;
    (void)state;
    for (int i = 0; i < 40; i++)
        memcpy(day + 2 * i, "\xc3\xa9", 2); /* é */
    day[80] = '\0';
    memset(&r, 0, sizeof r);
    r.arena = a;
    assert_int_equal(form_validate(&r, specs, raw, 1), APP_OK);
    m = date_input_json(&r, "opens", "Opening date", NULL, 0);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "day")), day);
    json_decref(m);
    arena_free(a);
}

/* A date the form needs: left empty, the form's "Enter the date" on the date; a refused part,
 * only the part's own message (the request layer's), nothing added; a good date, no error. */
static void test_required_date(void **state)
{
    struct kv empty[] = {{"opens-day", "", 0}, {"opens-month", "", 0}, {"opens-year", "", 0}};
    struct kv refused[] = {
        {"opens-day", "3", 1}, {"opens-month", "3\x01", 2}, {"opens-year", "2027", 4}};
    struct kv good[] = {{"opens-day", "3", 1}, {"opens-month", "3", 1}, {"opens-year", "2027", 4}};
    struct kv *cases[] = {empty, refused, good};
    struct arena *a = arena_new();
    (void)state;
    assert_non_null(a);
    for (int i = 0; i < 3; i++) {
        struct req r;
        int64_t t = -1;
        memset(&r, 0, sizeof r);
        r.arena = a;
        assert_int_equal(form_validate(&r, specs, cases[i], 3), APP_OK);
        assert_int_equal(
            date_input_required(&r, "opens", "The opening date", "Enter the opening date", &t),
            i == 2);
        switch (i) {
        case 0:
            assert_int_equal(r.nerrors, 1);
            assert_string_equal(req_error(&r, "opens"), "Enter the opening date");
            break;
        case 1:
            assert_int_equal(r.nerrors, 1);
            assert_null(req_error(&r, "opens"));
            assert_non_null(date_input_refused(&r, "opens"));
            assert_string_equal(date_input_refused(&r, "opens"), req_error(&r, "opens-month"));
            assert_int_equal(t, 0);
            break;
        default:
            assert_int_equal(r.nerrors, 0);
            assert_null(date_input_refused(&r, "opens"));
            assert_true(t > 0);
        }
    }
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_part_comes_back_as_typed),
        cmocka_unit_test(test_long_refused_part_comes_back_whole),
        cmocka_unit_test(test_required_date),
    };
    return cmocka_run_group_tests_name("web/date_input", tests, NULL, NULL);
}
