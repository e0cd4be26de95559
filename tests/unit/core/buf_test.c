/* buf_test.c: the growable buffer and the string helpers (str.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"

static void test_buf_grows(void **state)
{
    struct buf b = BUF_INIT;
    size_t len;
    char *p;
    (void)state;
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%04d,", i);
    assert_int_equal(b.len, 5000);
    assert_false(buf_oom(&b));
    assert_memory_equal(b.data + 4995, "0999,", 5);
    assert_int_equal(b.data[b.len], '\0');
    p = buf_detach(&b, &len);
    assert_int_equal(len, 5000);
    assert_null(b.data);
    free(p);
    p = buf_detach(&b, &len); /* empty buffer still yields a string */
    assert_string_equal(p, "");
    free(p);
}

static void test_buf_reset_keeps_memory(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;
    buf_puts(&b, "hello");
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    buf_putc(&b, 'x');
    assert_string_equal(b.data, "x");
    buf_free(&b);
}

static void test_buf_oom_is_sticky(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;
    buf_puts(&b, "abc");
    assert_int_not_equal(buf_reserve(&b, SIZE_MAX - 2), 0);
    assert_true(buf_oom(&b));
    buf_puts(&b, "more");
    assert_int_equal(b.len, 3);
    assert_null(buf_detach(&b, NULL));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("plain", 5));
    assert_true(utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
    assert_false(utf8_valid("\xc3", 1));             /* truncated */
    assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(utf8_valid("a\0b", 3));             /* NUL */
    assert_int_equal(utf8_count("caf\xc3\xa9", 5), 4);
}

static void test_url_decode(void **state)
{
    char out[32];
    size_t n;
    (void)state;
    n = url_decode("a%20b+c%2B", 10, out, true);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "a b c+", 6);
    n = url_decode("a+b", 3, out, false);
    assert_memory_equal(out, "a+b", 3);
    assert_int_equal(url_decode("%2", 2, out, true), (size_t)-1);
    assert_int_equal(url_decode("%zz", 3, out, true), (size_t)-1);
    assert_int_equal(url_decode("abc%", 4, out, true), (size_t)-1);
}

static void test_parse_int(void **state)
{
    int64_t v;
    (void)state;
    assert_true(parse_int64(STR_LIT("42"), &v));
    assert_int_equal(v, 42);
    assert_true(parse_int64(STR_LIT("-9223372036854775808"), &v));
    assert_true(v == INT64_MIN);
    assert_false(parse_int64(STR_LIT("9223372036854775808"), &v));
    assert_false(parse_int64(STR_LIT("12a"), &v));
    assert_false(parse_int64(STR_LIT(""), &v));
    assert_false(parse_int64(STR_LIT("-"), &v));
}

/* The helpers documents are read with: a quote cut on a character boundary, ids, blanks. */
static void test_document_helpers(void **state)
{
    (void)state;
    assert_int_equal(utf8_prefix_len("short", 40), 5);
    /* "é" is the two bytes at 39 and 40: the cut falls before it, not inside it */
    assert_int_equal(utf8_prefix_len("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9zzz", 40), 39);
    /* at 38 and 39 it fits whole */
    assert_int_equal(utf8_prefix_len("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9zzz", 40), 40);
    assert_int_equal(utf8_prefix_len("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 40), 40);
    assert_true(id_valid("vision-2", 40));
    assert_false(id_valid("", 40));
    assert_false(id_valid("Vision", 40));
    assert_false(id_valid("a b", 40));
    assert_false(id_valid("abcdef", 5));
    assert_true(str_blank(""));
    assert_true(str_blank(" \t\r\n"));
    assert_false(str_blank(" x "));
}

static void test_str(void **state)
{
    (void)state;
    assert_true(str_eq(str_trim(STR_LIT("  x y \t")), STR_LIT("x y")));
    assert_true(str_eq_nocase(STR_LIT("Content-Type"), "content-type"));
    assert_true(str_starts_with(STR_LIT("/api/v1/x"), "/api/v1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows),
        cmocka_unit_test(test_buf_reset_keeps_memory),
        cmocka_unit_test(test_buf_oom_is_sticky),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_str),
        cmocka_unit_test(test_document_helpers),
    };
    return cmocka_run_group_tests_name("core/buf", tests, NULL, NULL);
}
