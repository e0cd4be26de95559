/* group_test.c: the database-free parts of Connect's interest groups — the week a digest
 * covers, how times are written, checking an
 * event as typed, iCalendar folding and escaping, Markdown with raw HTML left out, and the
 * digest link's signature
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "connect/group.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "text/markdown.h"

static void test_week_and_words(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    /* Sunday 6 December 2026 12:00Z belongs to the week of Monday 30 November */
    assert_int_equal(connect_week_start(1796558400), 1795996800);
    assert_int_equal(connect_week_start(1795996800), 1795996800);
    assert_int_equal(connect_week_start(1795996800 - 1), 1795996800 - 7 * 86400);
    assert_string_equal(connect_when_text(a, 1815656400, 1815656400 + 5400),
                        "Thursday 15 July 2027, 2pm to 3:30pm");
    assert_string_equal(connect_when_text(a, 1800005400, 1800005400 + 9000),
                        "Friday 15 January 2027, 9:30am to 12 noon");
    assert_string_equal(connect_date_text(a, 1835438400), "Tuesday 29 February 2028");
    arena_free(a);
}

static void test_event_check(void **state)
{
    struct arena *a = arena_new();
    struct connect_event ev;
    struct connect_field_error *errs;
    size_t n;
    struct connect_event_input in = {.title = "Lunch and learn",
                                     .date = 1815609600, /* 15 July 2027, 00:00 UTC */
                                     .start_time = "14.00",
                                     .end_time = "15:30",
                                     .place = "",
                                     .link = "https://meet.example.org/x",
                                     .description = "Talk"};
    (void)state;
    assert_int_equal(connect_event_check(a, &in, 1796558400, &ev, &errs, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(ev.starts_at, 1815656400);
    assert_int_equal(ev.ends_at, 1815656400 + 5400);
    /* each mistake named at its field; a date the date input found wrong is its to name */
    in.date = 0;
    in.date_wrong = true;
    in.start_time = "9";
    in.link = "javascript:alert(1)";
    assert_int_equal(connect_event_check(a, &in, 1796558400, &ev, &errs, &n), APP_E_INVALID);
    assert_int_equal(n, 2);
    assert_string_equal(errs[0].field, "start_time");
    assert_string_equal(errs[1].field, "link");
    /* a real date beyond 2100 is a typing mistake */
    in.date = 4133980800; /* 1 January 2101 */
    in.date_wrong = false;
    in.start_time = "10:00";
    in.link = "https://meet.example.org/x";
    assert_int_equal(connect_event_check(a, &in, 1796558400, &ev, &errs, &n), APP_E_INVALID);
    assert_int_equal(n, 1);
    assert_string_equal(errs[0].message, "The date of the event must be a real date");
    in.date = 0;
    in.start_time = "10:00";
    in.link = NULL;
    in.place = NULL;
    in.description = "";
    assert_int_equal(connect_event_check(a, &in, 1796558400, &ev, &errs, &n), APP_E_INVALID);
    assert_int_equal(n, 3);
    assert_string_equal(errs[0].message, "Enter the date of the event");
    assert_string_equal(errs[1].field, "place");
    assert_string_equal(errs[2].field, "description");
    arena_free(a);
}

static void test_ics_folding_and_escaping(void **state)
{
    struct buf b = BUF_INIT;
    struct connect_event ev = {0};
    char long_text[400];
    const char *p;
    (void)state;
    /* 100 two-octet characters: a fold must fall between them */
    for (int i = 0; i < 100; i++)
        memcpy(long_text + 2 * i, "\xc3\xa9", 2);
    long_text[200] = '\0';
    ev.id = 7;
    ev.starts_at = 1815656400;
    ev.ends_at = 1815656400 + 3600;
    ev.title = "A, B; C\\D\nE";
    ev.place = "Leeds";
    ev.link = "";
    ev.description = long_text;
    connect_ics_event(&b, &ev, "Group", "hub.example", "https://hub.example/connect/events/7",
                      1796558400);
    buf_putc(&b, '\0');
    assert_false(buf_oom(&b));
    assert_non_null(strstr(b.data, "\r\nSUMMARY:A\\, B\\; C\\\\D\\nE\r\n"));
    assert_non_null(strstr(b.data, "\r\nUID:connect-event-7@hub.example\r\n"));
    assert_non_null(strstr(b.data, "\r\nDTSTART:20270715T130000Z\r\n"));
    assert_non_null(strstr(b.data, "\r\nDTSTAMP:20261206T120000Z\r\n"));
    assert_non_null(strstr(b.data, "\r\nURL:https://hub.example/connect/events/7\r\n"));
    for (p = b.data; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_true(eol - p <= 75);
        assert_true(utf8_valid(p, (size_t)(eol - p)));
        p = eol + 2;
    }
    buf_free(&b);
}

static void test_markdown_is_safe(void **state)
{
    struct arena *a = arena_new();
    const char *html =
        markdown_html(a, "**Hi** <script>alert(1)</script> <img src=x onerror=alert(1)> "
                         "[x](javascript:alert(1)) [ok](https://example.org)");
    (void)state;
    assert_non_null(strstr(html, "<strong>Hi</strong>"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "javascript:"));
    assert_non_null(strstr(html, "href=\"https://example.org\""));
    arena_free(a);
}

static void test_digest_token(void **state)
{
    unsigned char key[32] = {1, 2, 3}, other[32] = {9};
    char t[65];
    (void)state;
    connect_digest_token(key, 42, t);
    assert_int_equal(strlen(t), 64);
    assert_true(connect_digest_token_ok(key, 42, t));
    assert_false(connect_digest_token_ok(key, 43, t));
    assert_false(connect_digest_token_ok(other, 42, t));
    assert_false(connect_digest_token_ok(key, 42, "00"));
    assert_false(connect_digest_token_ok(key, 42, NULL));
    t[0] = t[0] == 'a' ? 'b' : 'a';
    assert_false(connect_digest_token_ok(key, 42, t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_week_and_words),
        cmocka_unit_test(test_event_check),
        cmocka_unit_test(test_ics_folding_and_escaping),
        cmocka_unit_test(test_markdown_is_safe),
        cmocka_unit_test(test_digest_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
