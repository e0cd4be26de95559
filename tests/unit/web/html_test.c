/* html_test.c: tests for src/web/html.c (HTML and URL escaping) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/buf.h"
#include "web/html.h"

#include <string.h>

static void check_html(const char *in, size_t n, const char *want)
{
    struct buf b = BUF_INIT;
    html_escape(&b, in, n);
    assert_false(buf_oom(&b));
    assert_string_equal(b.data ? b.data : "", want);
    buf_free(&b);
}

static void check_url(const char *in, size_t n, const char *want)
{
    struct buf b = BUF_INIT;
    url_escape(&b, in, n);
    assert_false(buf_oom(&b));
    assert_string_equal(b.data ? b.data : "", want);
    buf_free(&b);
}

static void html_escapes_the_five_characters(void **state)
{
    (void)state;
    check_html("<script>alert('x')</script>", 27,
               "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    check_html("a & b \"c\"", 9, "a &amp; b &quot;c&quot;");
    check_html("&amp;", 5, "&amp;amp;");
    check_html("&<>\"'", 5, "&amp;&lt;&gt;&quot;&#39;");
}

/* The reference: one byte at a time. */
static void escape_slowly(const char *s, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        const char *r = s[i] == '&'    ? "&amp;"
                        : s[i] == '<'  ? "&lt;"
                        : s[i] == '>'  ? "&gt;"
                        : s[i] == '"'  ? "&quot;"
                        : s[i] == '\'' ? "&#39;"
                                       : NULL;
        if (r)
            out = stpcpy(out, r);
        else
            *out++ = s[i];
    }
    *out = '\0';
}

/* Every special character at every position of strings up to 40 bytes, so each one is seen
 * at the start, inside and at the end of a string, and between runs of plain text. */
static void html_escapes_at_every_position(void **state)
{
    static const char specials[] = "&<>\"'";
    char in[41], want[41 * 6 + 1];
    (void)state;
    for (size_t n = 0; n <= 40; n++)
        for (size_t pos = 0; pos < n; pos++)
            for (size_t k = 0; k < 5; k++) {
                for (size_t i = 0; i < n; i++)
                    in[i] = (char)('a' + (i * 7) % 26);
                in[pos] = specials[k];
                if (n > 1)
                    in[n - 1 - pos % n] = specials[(k + 1) % 5];
                escape_slowly(in, n, want);
                check_html(in, n, want);
            }
}

static void html_passes_other_text_through(void **state)
{
    (void)state;
    check_html("plain text, 100% fine = ok; {x}", 31, "plain text, 100% fine = ok; {x}");
    check_html("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", 14,
               "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80");
    check_html(NULL, 0, "");
    check_html("", 0, "");
}

static void html_respects_length_not_nul(void **state)
{
    (void)state;
    check_html("<b>ignored", 3, "&lt;b&gt;");
}

static void html_appends_to_existing_content(void **state)
{
    struct buf b = BUF_INIT;
    (void)state;
    buf_puts(&b, "<p>");
    html_escape(&b, "1 < 2", 5);
    buf_puts(&b, "</p>");
    assert_string_equal(b.data, "<p>1 &lt; 2</p>");
    buf_free(&b);
}

/* An attacker's value must not be able to close a quoted attribute of either kind. */
static void html_escaped_value_stays_inside_attribute(void **state)
{
    const char *evil = "x\" onmouseover=\"alert(1)' onfocus='y";
    struct buf b = BUF_INIT;
    size_t i, quotes = 0;
    (void)state;
    buf_puts(&b, "<a title=\"");
    html_escape(&b, evil, strlen(evil));
    buf_puts(&b, "\">");
    for (i = 0; i < b.len; i++)
        quotes += b.data[i] == '"' || b.data[i] == '\'';
    assert_int_equal(quotes, 2);
    buf_free(&b);
}

static void html_long_input(void **state)
{
    struct buf b = BUF_INIT;
    char in[10000];
    (void)state;
    memset(in, '<', sizeof in);
    html_escape(&b, in, sizeof in);
    assert_false(buf_oom(&b));
    assert_int_equal(b.len, 4 * sizeof in);
    assert_memory_equal(b.data + b.len - 8, "&lt;&lt;", 8);
    buf_free(&b);
}

static void url_keeps_unreserved(void **state)
{
    (void)state;
    check_url("AZaz09-._~", 10, "AZaz09-._~");
    check_url(NULL, 0, "");
}

static void url_encodes_everything_else(void **state)
{
    (void)state;
    check_url("a b", 3, "a%20b");
    check_url("a+b=c&d/e?f#g", 13, "a%2Bb%3Dc%26d%2Fe%3Ff%23g");
    check_url("\"<'>%", 5, "%22%3C%27%3E%25");
    check_url("caf\xc3\xa9", 5, "caf%C3%A9");
    check_url("a\0b", 3, "a%00b");
    check_url("\xff\x80", 2, "%FF%80");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_escapes_the_five_characters),
        cmocka_unit_test(html_escapes_at_every_position),
        cmocka_unit_test(html_passes_other_text_through),
        cmocka_unit_test(html_respects_length_not_nul),
        cmocka_unit_test(html_appends_to_existing_content),
        cmocka_unit_test(html_escaped_value_stays_inside_attribute),
        cmocka_unit_test(html_long_input),
        cmocka_unit_test(url_keeps_unreserved),
        cmocka_unit_test(url_encodes_everything_else),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
