/* html_sections_test.c: tests for src/web/html_sections.c, a page of prose read back into
 * sections: what is kept (headings, nesting, paragraphs, lists, tables, links, entities) and
 * what is left out (the H1, navigation, comments, text outside blocks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/html_sections.h"

#include <stdlib.h>
#include <string.h>

static const char PAGE[] =
    "<div><a class=\"back\" href=\"/\">Back</a>\n<h1>Notice</h1>\n"
    "<p class=\"lede\">What we keep &amp; why.</p>\n<!-- <p>not this</p> -->\n"
    "<h2>Accounts</h2>\n<p>Your   account\n holds:</p>\n"
    "<ul class=\"x\">\n  <li>your <strong>email</strong> address</li>\n  <li>your "
    "name</li>\n</ul>\n"
    "<h3 id=\"s\">Sessions</h3><p>See <a href=\"/account/data\">your data</a> or "
    "<a href=\"mailto:a@b.test\">write</a>.</p>\n"
    "<h2>Cookies</h2><table><caption>Cookies used</caption><thead><tr><th scope=\"col\">Name"
    "</th><th>Purpose</th></tr></thead><tbody><tr><th scope=\"row\">ahp_session</th>"
    "<td>Keeps you &quot;logged in&quot; &#39;here&#39;</td></tr></tbody></table>"
    "loose text</div>";

static void reads_sections(void **state)
{
    json_t *j = html_sections(PAGE, strlen(PAGE)), *s, *c, *b, *l;
    char *dump;
    (void)state;
    assert_non_null(j);
    dump = json_dumps(j, 0);
    assert_null(strstr(dump, "Notice")); /* the H1: the caller has the title */
    assert_null(strstr(dump, "Back"));
    assert_null(strstr(dump, "not this"));
    assert_null(strstr(dump, "loose text"));
    free(dump);
    assert_int_equal(json_array_size(json_object_get(j, "intro")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "intro"), 0), "text")),
        "What we keep & why.");
    s = json_object_get(j, "sections");
    assert_int_equal(json_array_size(s), 2);
    c = json_array_get(s, 0);
    assert_string_equal(json_string_value(json_object_get(c, "heading")), "Accounts");
    assert_int_equal(json_integer_value(json_object_get(c, "level")), 2);
    b = json_object_get(c, "content");
    assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "text")),
                        "Your account holds:");
    assert_string_equal(json_string_value(json_object_get(json_array_get(b, 1), "type")), "list");
    l = json_object_get(json_array_get(b, 1), "items");
    assert_int_equal(json_array_size(l), 2);
    assert_string_equal(json_string_value(json_array_get(l, 0)), "your email address");
    /* the H3 is inside the H2's section, with its id and its links */
    c = json_array_get(json_object_get(c, "sections"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "heading")), "Sessions");
    assert_int_equal(json_integer_value(json_object_get(c, "level")), 3);
    assert_string_equal(json_string_value(json_object_get(c, "id")), "s");
    b = json_array_get(json_object_get(c, "content"), 0);
    assert_string_equal(json_string_value(json_object_get(b, "text")), "See your data or write.");
    l = json_object_get(b, "links");
    assert_int_equal(json_array_size(l), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "text")),
                        "your data");
    assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "href")),
                        "/account/data");
    assert_string_equal(json_string_value(json_object_get(json_array_get(l, 1), "href")),
                        "mailto:a@b.test");
    /* a table: caption, header row and rows, header cells of rows included */
    b = json_array_get(json_object_get(json_array_get(s, 1), "content"), 0);
    assert_string_equal(json_string_value(json_object_get(b, "type")), "table");
    assert_string_equal(json_string_value(json_object_get(b, "caption")), "Cookies used");
    assert_string_equal(json_string_value(json_array_get(json_object_get(b, "header"), 1)),
                        "Purpose");
    l = json_array_get(json_object_get(b, "rows"), 0);
    assert_string_equal(json_string_value(json_array_get(l, 0)), "ahp_session");
    assert_string_equal(json_string_value(json_array_get(l, 1)), "Keeps you \"logged in\" 'here'");
    json_decref(j);
}

static void empty_and_cut_short(void **state)
{
    json_t *j = html_sections("", 0);
    (void)state;
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "sections")), 0);
    json_decref(j);
    /* a page cut off inside a tag or a paragraph ends without a crash or a half block */
    j = html_sections(PAGE, 200);
    assert_non_null(j);
    json_decref(j);
    j = html_sections("<h2>A</h2><p>unfinished <a href=\"x", 33);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "sections")), 1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_sections),
        cmocka_unit_test(empty_and_cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
