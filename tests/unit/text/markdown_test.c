/* markdown_test.c: what people's Markdown becomes for everyone else who reads it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "text/markdown.h"

static void assert_html(const char *md, const char *want)
{
    struct arena *a = arena_new();
    const char *html;
    assert_non_null(a);
    html = markdown_html(a, md);
    assert_non_null(html);
    if (strcmp(html, want))
        fail_msg("markdown \"%s\"\n gave %s\n want %s", md, html, want);
    arena_free(a);
}

/* A link cmark's safe mode would write as href="" (a link to the page itself), or one with
 * no address, is its text alone; a link elsewhere stays a link. */
static void test_links_to_nowhere_are_text(void **state)
{
    (void)state;
    assert_html("[link](javascript:alert(1))", "<p>link</p>\n");
    assert_html("see [the **plan**](JavaScript:void(0)) now",
                "<p>see the <strong>plan</strong> now</p>\n");
    assert_html("[a](vbscript:x) [b](file:///etc/passwd) [c](data:text/html,x) [d]()",
                "<p>a b c d</p>\n");
    assert_html("[ok](https://example.org)", "<p><a href=\"https://example.org\">ok</a></p>\n");
    assert_html("[ok](/listen/x)", "<p><a href=\"/listen/x\">ok</a></p>\n");
}

/* An image is a link to its address; one to nowhere is its description alone. */
static void test_images(void **state)
{
    (void)state;
    assert_html("![Our plan](https://tracker.example/p.png)",
                "<p><a href=\"https://tracker.example/p.png\">Our plan</a></p>\n");
    assert_html("![bad](javascript:alert(1))", "<p>bad</p>\n");
    assert_html("[![inner](https://x.example/i.png)](https://y.example)",
                "<p><a href=\"https://y.example\">inner</a></p>\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links_to_nowhere_are_text),
        cmocka_unit_test(test_images),
    };
    return cmocka_run_group_tests_name("text/markdown", tests, NULL, NULL);
}
