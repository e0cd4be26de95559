/* portfolio_test.c: tests for the rules of a portfolio entry (src/develop/portfolio.c):
 * checks naming each field, tags read from codes or names, and Markdown made safe HTML or
 * plain text */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "develop/portfolio.h"
#include "text/markdown.h"

#include <string.h>

static struct develop_behaviour beh[] = {{"b1", "I do things."}};
static struct develop_domain doms[] = {
    {"system", "System and context", "", beh, 1, 0},
    {"vision", "Vision and direction", "", beh, 1, 1},
    {"digital", "Digital leadership", "", beh, 1, 2},
};
static struct develop_framework fw = {.code = "ahp-clinical-leadership",
                                      .title = "AHP clinical leadership",
                                      .domains = doms,
                                      .ndomains = 3};

static struct develop_entry good(void)
{
    struct develop_entry e = {0};
    e.kind = "project";
    e.title = "Cutting waits";
    e.context = "";
    e.body = "";
    e.skills = "leadership,teaching";
    e.domains = "ahp-clinical-leadership:vision";
    e.started_on = 1704067200;
    e.ended_on = 1717200000;
    return e;
}

static const char *first_field(const struct develop_entry *e)
{
    struct develop_field_error errs[8];
    size_t n = develop_entry_check(e, &fw, errs, 8);
    return n ? errs[0].field : NULL;
}

static void checks_name_the_field(void **state)
{
    struct develop_entry e = good();
    struct develop_field_error errs[2];
    char long_title[400];
    (void)state;

    assert_null(first_field(&e));
    e.kind = "novel";
    assert_string_equal(first_field(&e), "kind");
    e = good();
    e.title = "";
    assert_string_equal(first_field(&e), "title");
    memset(long_title, 'x', 151);
    long_title[151] = '\0';
    e.title = long_title;
    assert_string_equal(first_field(&e), "title");
    memcpy(long_title, "\u00e9", 2); /* characters, not bytes: 150 of them is fine */
    long_title[151] = '\0';
    e.title = long_title;
    assert_null(first_field(&e));
    e = good();
    e.ended_on = e.started_on - 86400;
    assert_string_equal(first_field(&e), "end");
    e.ended_on = e.started_on; /* a one-day thing */
    assert_null(first_field(&e));
    e.started_on = 0;
    assert_string_equal(first_field(&e), "start");
    e = good();
    e.skills = "leadership,juggling";
    assert_string_equal(first_field(&e), "skills");
    e = good();
    e.domains = "ahp-clinical-leadership:telepathy";
    assert_string_equal(first_field(&e), "domains");
    e.domains = "other-framework:vision";
    assert_string_equal(first_field(&e), "domains");
    /* every problem is counted, only max written */
    e = good();
    e.kind = "";
    e.title = "";
    e.skills = "x";
    assert_int_equal(develop_entry_check(&e, &fw, errs, 2), 3);
}

static void tags_from_codes_or_names(void **state)
{
    struct arena *a = arena_new();
    const char *out, *bad;
    (void)state;

    assert_int_equal(
        develop_tags_normalise(a, "Teaching; leadership\nQuality improvement,", NULL, &out, &bad),
        0);
    assert_string_equal(out, "leadership,quality-improvement,teaching"); /* the list's order */
    assert_int_equal(
        develop_tags_normalise(a, " STAKEHOLDER ENGAGEMENT , teaching,teaching", NULL, &out, &bad),
        0);
    assert_string_equal(out, "stakeholder-engagement,teaching");
    assert_int_equal(develop_tags_normalise(a, "leadership, juggling", NULL, &out, &bad),
                     APP_E_INVALID);
    assert_string_equal(bad, " juggling");
    assert_int_equal(develop_tags_normalise(a, "", NULL, &out, &bad), 0);
    assert_string_equal(out, "");
    assert_int_equal(develop_tags_normalise(a, "digital leadership,vision", &fw, &out, &bad), 0);
    assert_string_equal(out, "ahp-clinical-leadership:vision,ahp-clinical-leadership:digital");
    assert_int_equal(develop_tags_normalise(a, "ahp-clinical-leadership:system", &fw, &out, &bad),
                     0);
    assert_string_equal(out, "ahp-clinical-leadership:system");
    assert_int_equal(develop_tags_normalise(a, "leadership", &fw, &out, &bad), APP_E_INVALID);
    assert_true(develop_tag_has("a,bc,d", "bc"));
    assert_false(develop_tag_has("a,bcd", "bc"));
    assert_false(develop_tag_has("", "a"));
    arena_free(a);
}

static void markdown_is_safe(void **state)
{
    struct arena *a = arena_new();
    const char *html, *plain;
    (void)state;

    html = markdown_html(a, "**Bold** <script>alert(1)</script> [x](javascript:alert(1))\n\n"
                            "<img src=x onerror=alert(1)>");
    assert_non_null(strstr(html, "<strong>Bold</strong>"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "javascript:"));
    assert_null(strstr(html, "<img"));
    /* a Markdown image is a link, never fetched by the reader's browser */
    html = markdown_html(a, "See ![the ward plan](https://tracker.example/p.png)");
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(html, "<a href=\"https://tracker.example/p.png\">the ward plan</a>"));
    plain = develop_markdown_plain(a, "# Heading\n\nOne *two*\nthree.\n\n- first\n- second\n\n"
                                      "Last `code`.");
    assert_string_equal(plain, "Heading\nOne two three.\n\u2022 first\n\u2022 second\nLast code.");
    assert_string_equal(develop_markdown_plain(a, ""), "");
    /* a numbered list keeps its numbers, and a link its address, on paper */
    plain = develop_markdown_plain(a, "3. Set the agenda\n4. Chased actions\n\n1) one\n\n"
                                      "See [the audit](https://example.nhs.uk/a), "
                                      "<https://example.nhs.uk/b> and <jo@example.nhs.uk>.");
    assert_string_equal(plain, "3. Set the agenda\n4. Chased actions\n1) one\n"
                               "See the audit (https://example.nhs.uk/a), "
                               "https://example.nhs.uk/b and jo@example.nhs.uk.");
    /* but only a web or mail address, and not an image's (the page shows neither) */
    plain = develop_markdown_plain(a, "[Run](javascript:alert(1)) [file](file:///c/x.doc) "
                                      "![scan of a letter](https://intranet.example/l.png) "
                                      "[Mail](MAILTO:jo@example.nhs.uk)");
    assert_string_equal(plain, "Run file scan of a letter Mail (MAILTO:jo@example.nhs.uk)");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks_name_the_field),
        cmocka_unit_test(tags_from_codes_or_names),
        cmocka_unit_test(markdown_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
