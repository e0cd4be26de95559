/* curation_test.c: a theme's published figures from its members, and finding a theme again
 *
 * The figures a report prints about a theme (its size, its size per audience, how many of
 * the votes on it agreed) are counted from the theme's members and must follow the
 * disclosure rule, including secondary suppression; and an edit must find its theme in a
 * later run by term overlap, one edit per theme.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "listen/curation.h"

/* A theme whose members are n[audience] contributions, each with the given votes. */
static json_t *theme_with(const int n[4], int agree, int disagree)
{
    json_t *members = json_array(), *th;
    int id = 1;
    for (int aud = 0; aud < 4; aud++)
        for (int i = 0; i < n[aud]; i++)
            json_array_append_new(members, json_pack("[i, i, i, i, i]", id++, aud, agree,
                                                     disagree, 0));
    th = json_pack("{s:o}", "members", members);
    assert_int_equal(listen_theme_stats(th), 0);
    return th;
}

static const char *field(const json_t *th, const char *a, const char *b)
{
    const json_t *o = b ? json_object_get(json_object_get(th, a), b) : json_object_get(th, a);
    return json_string_value(o);
}

static void test_sizes_follow_the_rule(void **state)
{
    int big[4] = {40, 23, 0, 9};
    int one_small[4] = {30, 3, 0, 0};
    json_t *th;
    (void)state;
    th = theme_with(big, 1, 0);
    assert_string_equal(field(th, "size", NULL), "70"); /* 72 rounded to 5 */
    assert_string_equal(field(th, "by_audience", "citizen"), "40");
    assert_string_equal(field(th, "by_audience", "ahp"), "25");
    assert_string_equal(field(th, "by_audience", "staff"), "0"); /* a true zero is shown */
    assert_string_equal(field(th, "by_audience", "not_said"), "10");
    assert_string_equal(field(th, "agree_percent", NULL), "100");
    json_decref(th);
    /* one small cell beside the total: a second one must hide, or total − citizens = 3 */
    th = theme_with(one_small, 0, 1);
    assert_string_equal(field(th, "by_audience", "ahp"), "*");
    assert_string_equal(field(th, "by_audience", "citizen"), "*");
    assert_string_equal(field(th, "agree_percent", NULL), "0");
    json_decref(th);
}

static void test_few_votes_say_nothing(void **state)
{
    int n[4] = {3, 0, 0, 0};
    json_t *th = theme_with(n, 1, 1); /* 6 votes in all */
    (void)state;
    assert_string_equal(field(th, "size", NULL), "*");
    assert_string_equal(field(th, "agree_percent", NULL), "*");
    json_decref(th);
}

static void test_overlap_and_matching(void **state)
{
    json_t *k1 = json_pack("[s, s, s, s, s]", "waiting", "lists", "long", "physio", "months");
    json_t *k2 = json_pack("[s, s, s, s, s]", "waiting", "lists", "long", "referral", "weeks");
    json_t *k3 = json_pack("[s, s, s, s, s]", "staff", "training", "time", "budget", "cut");
    json_t *themes = json_pack("[{s:O}, {s:O}]", "key", k3, "key", k2);
    struct listen_theme_edit edits[2] = {0};
    int edit_of[2];
    (void)state;
    assert_true(listen_key_overlap(k1, k1) == 1.0);
    assert_true(listen_key_overlap(k1, k2) > 0.42 && listen_key_overlap(k1, k2) < 0.43); /* 3/7 */
    assert_true(listen_key_overlap(k1, k3) == 0.0);
    /* an edit made on k1 does not reach a theme that shares only 3 of 7 terms */
    edits[0].key = k1;
    edits[1].key = k3;
    listen_curation_match(themes, edits, 2, edit_of);
    assert_int_equal(edit_of[0], 1);
    assert_int_equal(edit_of[1], -1);
    /* but the same theme again does, and no theme takes two edits */
    edits[0].key = k2;
    edits[1].key = k2;
    listen_curation_match(themes, edits, 2, edit_of);
    assert_int_equal(edit_of[0], -1);
    assert_true(edit_of[1] == 0 || edit_of[1] == 1);
    json_decref(themes);
    json_decref(k1);
    json_decref(k2);
    json_decref(k3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_follow_the_rule),
        cmocka_unit_test(test_few_votes_say_nothing),
        cmocka_unit_test(test_overlap_and_matching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
