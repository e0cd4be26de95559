/* publish_test.c: who may see a round's figures, and when (src/assess/publish.c)
 *
 * The rule that keeps padded responses from revealing anyone: members and respondents see
 * nothing computed from a round's responses until it has closed; those who run rounds see it
 * at any time. The state comes from the dates alone, so the edges are tested to the second.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assess/publish.h"

static void test_open_round_is_for_managers_only(void **state)
{
    struct assess_round r = {.opens_at = 1000, .closes_at = 2000};
    (void)state;
    assert_false(assess_figures_published(&r, 1000, false));
    assert_false(assess_figures_published(&r, 1999, false));
    assert_true(assess_figures_published(&r, 1500, true));
    /* closed from its closing moment on: published to everyone */
    assert_true(assess_figures_published(&r, 2000, false));
    assert_true(assess_figures_published(&r, 99999, false));
}

static void test_upcoming_round_is_not_published(void **state)
{
    struct assess_round r = {.opens_at = 1000, .closes_at = 2000};
    (void)state;
    assert_false(assess_figures_published(&r, 999, false));
    assert_true(assess_figures_published(&r, 999, true));
}

/* A round with no closing date is open until a facilitator closes it: never published to
 * members before then. */
static void test_round_without_end_waits_for_close(void **state)
{
    struct assess_round r = {0};
    (void)state;
    assert_false(assess_figures_published(&r, 1, false));
    assert_false(assess_figures_published(&r, INT64_MAX, false));
    r.closes_at = 5;
    assert_true(assess_figures_published(&r, 5, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_round_is_for_managers_only),
        cmocka_unit_test(test_upcoming_round_is_not_published),
        cmocka_unit_test(test_round_without_end_waits_for_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
