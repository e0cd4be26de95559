/* date_input_test.c: the NHS.UK date input's model (web/date_input.c)
 *
 * A date shown again after an error holds the parts as they were typed, a part the request
 * layer refused included (an 11-character day comes back, not an empty box); a date read
 * from a request never uses a refused part, and a date the form needs gets "Enter the date"
 * only when it was left empty, never beside a refused part's own message. The box a message
 * is about is the one marked;
 * the API's ISO value and the boxes, sent together, must agree; and a form whose fields keep
 * older names (an event's day, month, year and date) behaves the same.
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

static const struct field_spec event_specs[] = {
    {"day", F_TEXT, OPTIONAL, 10, "the day"},
    {"month", F_TEXT, OPTIONAL, 10, "the month"},
    {"year", F_TEXT, OPTIONAL, 10, "the year"},
    {"date", F_TEXT, OPTIONAL, 20, "the date"},
    {NULL, 0, 0, 0, NULL},
};
static const struct date_input_names event_names = {
    .day = "day", .month = "month", .year = "year", .iso = "date", .id = "date"};

/* r validated from n raw values against specs, in a new arena (freed by the caller). */
static void request(struct req *r, const struct field_spec *sp, struct kv *raw, size_t n)
{
    memset(r, 0, sizeof *r);
    r->arena = arena_new();
    assert_non_null(r->arena);
    assert_int_equal(form_validate(r, sp, raw, n), APP_OK);
}

static bool flag(json_t *m, const char *key)
{
    return json_is_true(json_object_get(m, key));
}

/* A month left out: the message names it, goes on the month's box, and only it is marked. */
static void test_message_on_the_box_it_names(void **state)
{
    struct kv raw[] = {{"day", "3", 1}, {"month", "", 0}, {"year", "2027", 4}};
    struct req r;
    json_t *m;
    int64_t t = -1;
    (void)state;
    request(&r, event_specs, raw, 3);
    assert_false(date_input_field_as(&r, &event_names, "The date", NULL, &t));
    assert_int_equal(t, 0);
    assert_string_equal(req_error(&r, "month"), "The date must include a month");
    m = date_input_json_as(&r, &event_names, "Date", NULL, 0);
    assert_string_equal(json_string_value(json_object_get(m, "error")),
                        "The date must include a month");
    assert_true(flag(m, "month_error"));
    assert_false(flag(m, "day_error"));
    assert_false(flag(m, "year_error"));
    assert_string_equal(json_string_value(json_object_get(m, "day")), "3");
    assert_string_equal(json_string_value(json_object_get(m, "day_name")), "day");
    assert_string_equal(json_string_value(json_object_get(m, "id")), "date");
    json_decref(m);
    /* the usual names mark the month too, the message on the date's own field */
    arena_free(r.arena);
    {
        struct kv raw2[] = {{"opens-day", "3", 1}, {"opens-year", "2027", 4}};
        request(&r, specs, raw2, 2);
        assert_false(date_input_field(&r, "opens", "Opening date", &t));
        assert_non_null(req_error(&r, "opens"));
        m = date_input_json(&r, "opens", "Opening date", NULL, 0);
        assert_true(flag(m, "month_error"));
        assert_false(flag(m, "day_error"));
        assert_string_equal(json_string_value(json_object_get(m, "day_id")), "opens-day");
        assert_string_equal(json_string_value(json_object_get(m, "day_anchor")), "");
        json_decref(m);
    }
    arena_free(r.arena);
}

/* A refused day under older names: its own message, on its own box, and nothing else. */
static void test_refused_part_under_older_names(void **state)
{
    struct kv raw[] = {{"day", "12345678901", 11}, {"month", "3", 1}, {"year", "2027", 4}};
    struct req r;
    json_t *m;
    int64_t t = -1;
    (void)state;
    request(&r, event_specs, raw, 3);
    assert_int_equal(r.nerrors, 1);
    assert_false(date_input_field_as(&r, &event_names, "The date", "Enter the date", &t));
    assert_int_equal(t, 0);
    assert_int_equal(r.nerrors, 1); /* no "Enter the date", no "must include a day" */
    m = date_input_json_as(&r, &event_names, "Date", NULL, 0);
    assert_string_equal(json_string_value(json_object_get(m, "error")), req_error(&r, "day"));
    assert_string_equal(json_string_value(json_object_get(m, "day")), "12345678901");
    assert_true(flag(m, "day_error"));
    assert_false(flag(m, "month_error"));
    json_decref(m);
    arena_free(r.arena);
}

/* The ISO value: exact YYYY-MM-DD, a real date, and the same as the boxes sent with it. */
static void test_iso_and_boxes(void **state)
{
    static const struct {
        const char *iso, *day, *why; /* why: the message's end, NULL for a date */
        int64_t t;
    } cases[] = {
        {"2027-01-15", NULL, NULL, 1799971200},
        {"2027-01-15", "15", NULL, 1799971200},
        {"2027-01-15", "16",
         "is given twice, as 2027-01-15 and as day 16, month 1, year 2027: "
         "send one of them, or the same date in both",
         0},
        {"2027-02-30", NULL, "must be a real date", 0},
        {"2027-1-15", NULL, "like 2027-01-15", 0},
        {"15/01/2027", NULL, "like 2027-01-15", 0},
        {"20270115", NULL, "like 2027-01-15", 0},
        {"2027-01-+5", NULL, "like 2027-01-15", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kv raw[] = {{"date", cases[i].iso, strlen(cases[i].iso)},
                           {"day", cases[i].day ? cases[i].day : "", 0},
                           {"month", "1", 1},
                           {"year", "2027", 4}};
        struct req r;
        const char *at = NULL, *why;
        int64_t t = -1;
        raw[1].len = strlen(raw[1].value);
        request(&r, event_specs, raw, cases[i].day ? 4 : 1);
        why = date_input_read_as(&r, &event_names, "The date", &t, &at);
        if (!cases[i].why) {
            assert_null(why);
            assert_int_equal(t, cases[i].t);
        } else {
            assert_non_null(why);
            assert_non_null(strstr(why, cases[i].why));
            assert_string_equal(at, "date");
            assert_int_equal(t, 0);
        }
        arena_free(r.arena);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_part_comes_back_as_typed),
        cmocka_unit_test(test_long_refused_part_comes_back_whole),
        cmocka_unit_test(test_required_date),
        cmocka_unit_test(test_message_on_the_box_it_names),
        cmocka_unit_test(test_refused_part_under_older_names),
        cmocka_unit_test(test_iso_and_boxes),
    };
    return cmocka_run_group_tests_name("web/date_input", tests, NULL, NULL);
}
