/* curation_test.c: a theme's published figures from its members, and finding a theme again
 *
 * The figures a report prints about a theme (its size, its size per audience, how many of
 * the votes on it agreed) are counted from the theme's members and must follow the
 * disclosure rule, including secondary suppression; an edit must find its theme in a
 * later run by term overlap, one edit per theme; and the edits a published report keeps
 * (listen_curation_dump) must read back as they were, or not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/curation.h"

/* A theme whose members are n[audience] contributions, each with the given votes; its
 * arrays and strings in arena a. */
static struct listen_theme theme_with(struct arena *a, const int n[4], int agree, int disagree)
{
    struct listen_theme th = {0};
    th.members = arena_calloc(a, (size_t)(n[0] + n[1] + n[2] + n[3]) + 1, sizeof *th.members);
    assert_non_null(th.members);
    for (int aud = 0; aud < 4; aud++)
        for (int i = 0; i < n[aud]; i++) {
            th.members[th.nmembers] =
                (struct listen_member){(int64_t)th.nmembers + 1, aud, agree, disagree, 0, -1};
            th.nmembers++;
        }
    assert_int_equal(listen_theme_stats(a, &th), 0);
    return th;
}

enum { CITIZEN, AHP, STAFF, NOT_SAID };

static void test_sizes_follow_the_rule(void **state)
{
    int big[4] = {40, 23, 0, 9};
    int one_small[4] = {30, 3, 0, 0};
    struct arena *a = arena_new();
    struct listen_theme th;
    (void)state;
    th = theme_with(a, big, 1, 0);
    assert_string_equal(th.size, "70"); /* 72 rounded to 5 */
    assert_string_equal(th.by_audience[CITIZEN], "40");
    assert_string_equal(th.by_audience[AHP], "25");
    assert_string_equal(th.by_audience[STAFF], "0"); /* a true zero is shown */
    assert_string_equal(th.by_audience[NOT_SAID], "10");
    assert_string_equal(th.agree_percent, "100");
    assert_false(th.agree_hidden);
    /* one small cell beside the total: a second one must hide, or total − citizens = 3 */
    th = theme_with(a, one_small, 0, 1);
    assert_string_equal(th.by_audience[AHP], "*");
    assert_string_equal(th.by_audience[CITIZEN], "*");
    assert_string_equal(th.agree_percent, "0");
    arena_free(a);
}

static void test_few_votes_say_nothing(void **state)
{
    int n[4] = {3, 0, 0, 0};
    struct arena *a = arena_new();
    struct listen_theme th = theme_with(a, n, 1, 1); /* 6 votes in all */
    (void)state;
    assert_string_equal(th.size, "*");
    assert_string_equal(th.agree_percent, "*");
    assert_true(th.agree_hidden);
    assert_string_equal(th.votes, "*");
    arena_free(a);
}

static void test_overlap_and_matching(void **state)
{
    const char *t1[] = {"waiting", "lists", "long", "physio", "months"};
    const char *t2[] = {"waiting", "lists", "long", "referral", "weeks"};
    const char *t3[] = {"staff", "training", "time", "budget", "cut"};
    struct listen_strs k1 = {t1, 5}, k2 = {t2, 5}, k3 = {t3, 5};
    struct listen_theme themes[2] = {{.key = k3}, {.key = k2}};
    struct listen_theme_edit edits[2] = {0};
    int edit_of[2];
    (void)state;
    assert_true(listen_key_overlap(&k1, &k1) == 1.0);
    assert_true(listen_key_overlap(&k1, &k2) > 0.42 && listen_key_overlap(&k1, &k2) < 0.43);
    assert_true(listen_key_overlap(&k1, &k3) == 0.0);
    /* an edit made on k1 does not reach a theme that shares only 3 of 7 terms */
    edits[0].key = k1;
    edits[1].key = k3;
    listen_curation_match(themes, 2, edits, 2, edit_of);
    assert_int_equal(edit_of[0], 1);
    assert_int_equal(edit_of[1], -1);
    /* but the same theme again does, and no theme takes two edits */
    edits[0].key = k2;
    edits[1].key = k2;
    listen_curation_match(themes, 2, edits, 2, edit_of);
    assert_int_equal(edit_of[0], -1);
    assert_true(edit_of[1] == 0 || edit_of[1] == 1);
}

/* The edits a published report keeps read back as they were: names (any text), hidden,
 * split, the theme merged into, and pins; text that is not such a list is refused. */
static void test_dump_and_parse(void **state)
{
    const char *t1[] = {"waiting", "lists", "long"};
    const char *t2[] = {"staff", "training", "caf\xc3\xa9 \"quotes\""};
    struct listen_theme_edit edits[3] = {0}, *back = NULL;
    struct arena *a = arena_new();
    char *text = NULL, *again = NULL;
    size_t n = 9;
    (void)state;
    edits[0] = (struct listen_theme_edit){.key = {t1, 3},
                                          .label = "Waiting, \"too long\"",
                                          .hidden = false,
                                          .merged_into = {t2, 3},
                                          .pins = {42, 7},
                                          .npins = 2};
    edits[1] =
        (struct listen_theme_edit){.key = {t2, 3}, .label = "", .hidden = true, .split = true};
    edits[2] = (struct listen_theme_edit){
        .key = {t2, 1}, .label = "Pinned only", .pins = {1, 2, 3, 4, 5}, .npins = LISTEN_PINS_MAX};
    assert_int_equal(listen_curation_dump(edits, 3, &text), 0);
    assert_non_null(text);
    assert_int_equal(listen_curation_parse(a, text, &back, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(back[0].label, "Waiting, \"too long\"");
    assert_int_equal(back[0].key.n, 3);
    assert_string_equal(back[0].key.v[2], "long");
    assert_false(back[0].hidden);
    assert_non_null(back[0].merged_into.v);
    assert_int_equal(back[0].merged_into.n, 3);
    assert_string_equal(back[0].merged_into.v[2], "caf\xc3\xa9 \"quotes\"");
    assert_int_equal(back[0].npins, 2);
    assert_int_equal(back[0].pins[0], 42);
    assert_int_equal(back[0].pins[1], 7);
    assert_string_equal(back[1].label, "");
    assert_true(back[1].hidden);
    assert_true(back[1].split);
    assert_null(back[1].merged_into.v); /* not merged: as listen_curation_load gives it */
    assert_int_equal(back[1].npins, 0);
    assert_int_equal(back[2].key.n, 1);
    assert_int_equal(back[2].npins, LISTEN_PINS_MAX);
    assert_int_equal(back[2].pins[4], 5);
    /* what reads back dumps the same again, so two readings compare as text */
    assert_int_equal(listen_curation_dump(back, n, &again), 0);
    assert_string_equal(again, text);
    free(again);
    free(text);
    /* none is none, and not nothing */
    assert_int_equal(listen_curation_dump(NULL, 0, &text), 0);
    assert_string_equal(text, "[]");
    assert_int_equal(listen_curation_parse(a, text, &back, &n), 0);
    assert_int_equal(n, 0);
    free(text);
    /* not a list of edits: refused, nothing given */
    {
        static const char *const bad[] = {
            "",
            "{}",
            "[1]",
            "[{\"key\":[\"a\"],\"label\":\"x\",\"hidden\":false,\"split\":false}]",
            "[{\"key\":[\"a\"],\"label\":3,\"hidden\":false,\"split\":false,"
            "\"pins\":[]}]",
            "[{\"key\":[1],\"label\":\"x\",\"hidden\":false,\"split\":false,\"pins\":[]}]",
            "[{\"key\":[\"a\"],\"label\":\"x\",\"hidden\":false,\"split\":false,"
            "\"pins\":[0]}]",
            "[{\"key\":[\"a\"],\"label\":\"x\",\"hidden\":false,\"split\":false,"
            "\"pins\":[1,2,3,4,5,6]}]",
            "[{\"key\":[\"a\"],\"label\":\"x\",\"hidden\":false,\"split\":false,"
            "\"pins\":[],\"merged_into\":\"a\"}]",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            n = 9;
            back = edits;
            assert_int_equal(listen_curation_parse(a, bad[i], &back, &n), APP_E_INVALID);
            assert_int_equal(n, 0);
            assert_null(back);
        }
    }
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_follow_the_rule),
        cmocka_unit_test(test_few_votes_say_nothing),
        cmocka_unit_test(test_overlap_and_matching),
        cmocka_unit_test(test_dump_and_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
