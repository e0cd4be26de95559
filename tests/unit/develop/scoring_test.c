/* scoring_test.c: a self-assessment's results per domain on each shape of scale
 *
 * The rules a member would notice: the mean is over the behaviours they rated only; "I have
 * not had the chance to show this" is missing, not zero; a domain with nothing rated has no
 * result rather than 0; the percentage is of the scale's range, so the lowest point is 0%
 * whatever the scale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "develop/develop.h"

static struct arena *a;

/* Two domains of three behaviours; the scale is given by the test. */
static void framework(const char *scale, struct develop_framework *fw)
{
    char doc[1024];
    const char *why = NULL;
    snprintf(
        doc, sizeof doc,
        "{\"code\":\"s\",\"title\":\"S\",\"licence\":\"Ours\",\"scale\":%s,\"domains\":["
        "{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a\",\"statement\":\"I "
        "a.\"},{\"id\":\"b\",\"statement\":\"I b.\"},{\"id\":\"c\",\"statement\":\"I c.\"}]},"
        "{\"id\":\"two\",\"title\":\"Two\",\"behaviours\":[{\"id\":\"d\",\"statement\":\"I "
        "d.\"},{\"id\":\"e\",\"statement\":\"I e.\"},{\"id\":\"f\",\"statement\":\"I f.\"}]}]}",
        scale);
    assert_int_equal(develop_framework_parse(a, doc, strlen(doc), fw, &why), APP_OK);
}

static const char levels4[] =
    "{\"kind\":\"levels\",\"points\":[{\"label\":\"Starting\",\"description\":\"s\"},"
    "{\"label\":\"Developing\",\"description\":\"d\"},{\"label\":\"Established\","
    "\"description\":\"e\"},{\"label\":\"Leading others\",\"description\":\"l\"}]}";
static const char freq5[] =
    "{\"kind\":\"frequency\",\"no_chance\":\"I have not had the chance to show this\","
    "\"points\":[{\"label\":\"Never\"},{\"label\":\"Rarely\"},{\"label\":\"Sometimes\"},"
    "{\"label\":\"Often\"},{\"label\":\"Always\"}]}";

static void set(struct develop_answer *ans, const int *ratings, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ans[i].rating = ratings[i];
        ans[i].importance = 0;
        ans[i].note = "";
    }
}

static void test_levels_with_missing(void **state)
{
    struct develop_framework fw;
    struct develop_answer ans[6];
    struct develop_result r[2];
    static const int ratings[6] = {2, 3, 4, 0, 0, 0};
    (void)state;
    framework(levels4, &fw);
    set(ans, ratings, 6);
    assert_int_equal(develop_score(&fw, ans, r), APP_OK);
    assert_true(r[0].scored);
    assert_int_equal(r[0].answered, 3);
    assert_int_equal(r[0].behaviours, 3);
    assert_true(fabs(r[0].mean - 3.0) < 1e-12);
    assert_true(fabs(r[0].percent - 200.0 / 3) < 1e-9); /* (3 − 1) / (4 − 1) */
    /* nothing rated: no result, not 0 */
    assert_false(r[1].scored);
    assert_int_equal(r[1].answered, 0);
    assert_true(r[1].mean == 0 && r[1].percent == 0);
}

static void test_levels_lowest_and_highest(void **state)
{
    struct develop_framework fw;
    struct develop_answer ans[6];
    struct develop_result r[2];
    static const int ratings[6] = {1, 1, 0, 4, 4, 4};
    (void)state;
    framework(levels4, &fw);
    set(ans, ratings, 6);
    assert_int_equal(develop_score(&fw, ans, r), APP_OK);
    assert_true(r[0].scored); /* the lowest level is a result of 0%, not "no result" */
    assert_true(r[0].mean == 1 && r[0].percent == 0);
    assert_true(r[1].mean == 4 && r[1].percent == 100);
}

static void test_frequency_no_chance_is_missing(void **state)
{
    struct develop_framework fw;
    struct develop_answer ans[6];
    struct develop_result r[2];
    static const int ratings[6] = {
        5, DEVELOP_NO_CHANCE, 0, DEVELOP_NO_CHANCE, DEVELOP_NO_CHANCE, DEVELOP_NO_CHANCE};
    (void)state;
    framework(freq5, &fw);
    set(ans, ratings, 6);
    assert_int_equal(develop_score(&fw, ans, r), APP_OK);
    /* "Always" and a "no chance": the mean is 5 (100%), not 2.5 */
    assert_true(r[0].scored);
    assert_int_equal(r[0].answered, 1);
    assert_int_equal(r[0].no_chance, 1);
    assert_true(r[0].mean == 5 && r[0].percent == 100);
    /* only "no chance": no result */
    assert_false(r[1].scored);
    assert_int_equal(r[1].no_chance, 3);
    assert_int_equal(r[1].answered, 0);
}

static void test_frequency_mean(void **state)
{
    struct develop_framework fw;
    struct develop_answer ans[6];
    struct develop_result r[2];
    static const int ratings[6] = {2, 3, 3, 1, DEVELOP_NO_CHANCE, 2};
    (void)state;
    framework(freq5, &fw);
    set(ans, ratings, 6);
    assert_int_equal(develop_score(&fw, ans, r), APP_OK);
    assert_true(fabs(r[0].mean - 8.0 / 3) < 1e-12);
    assert_true(fabs(r[0].percent - (8.0 / 3 - 1) / 4 * 100) < 1e-9);
    assert_true(fabs(r[1].mean - 1.5) < 1e-12);
    assert_true(fabs(r[1].percent - 12.5) < 1e-9);
    assert_int_equal(r[1].answered, 2);
}

static void test_out_of_range_is_not_rated(void **state)
{
    struct develop_framework fw;
    struct develop_answer ans[6];
    struct develop_result r[2];
    /* 5 is off a four-level scale; -1 on a scale with no "no chance" is nothing */
    static const int ratings[6] = {5, DEVELOP_NO_CHANCE, 2, -7, 0, 0};
    (void)state;
    framework(levels4, &fw);
    set(ans, ratings, 6);
    assert_int_equal(develop_score(&fw, ans, r), APP_OK);
    assert_int_equal(r[0].answered, 1);
    assert_int_equal(r[0].no_chance, 0);
    assert_true(r[0].mean == 2);
    assert_false(r[1].scored);
    /* no answers at all: nothing scored */
    assert_int_equal(develop_score(&fw, NULL, r), APP_OK);
    assert_false(r[0].scored || r[1].scored);
    assert_int_equal(develop_score(NULL, ans, r), APP_E_INVALID);
}

static int setup(void **state)
{
    (void)state;
    a = arena_new();
    return a ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_with_missing),
        cmocka_unit_test(test_levels_lowest_and_highest),
        cmocka_unit_test(test_frequency_no_chance_is_missing),
        cmocka_unit_test(test_frequency_mean),
        cmocka_unit_test(test_out_of_range_is_not_rated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
