/* gap_release_test.c: the rule against differencing two gap views (gap_release.h) on
 * hand-made sets, and the stored forms of a release
 *
 * Each case is a pair of sets of self-assessments over 3 areas with the default threshold
 * of 7, so a figure is shown over 8 or more and two shown figures must differ by none or by
 * 15 or more self-assessments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "develop/gap_release.h"

#define ALL 7u /* a result in each of the 3 areas */
#define ND  3

/* Items first..first+n-1, each with the areas of has. */
static size_t fill(struct gap_item *v, size_t at, int64_t first, size_t n, uint32_t has)
{
    for (size_t i = 0; i < n; i++)
        v[at + i] = (struct gap_item){first + (int64_t)i, 1000, has};
    return at + n;
}

static bool conflict(struct gap_item *a, size_t na, struct gap_item *b, size_t nb)
{
    uint64_t ca[ND], cb[ND];
    gap_items_sort(a, na);
    gap_items_sort(b, nb);
    gap_items_counts(a, na, ND, ca);
    gap_items_counts(b, nb, ND, cb);
    /* the counts alone never clear a pair the items would catch */
    if (gap_release_conflict(a, na, ca, b, nb, cb, ND, 7))
        assert_true(gap_release_conflict(NULL, 0, ca, NULL, 0, cb, ND, 7));
    return gap_release_conflict(a, na, ca, b, nb, cb, ND, 7);
}

static void test_one_member_apart(void **state)
{
    struct gap_item a[40], b[40];
    (void)state;
    /* 8, then 9: the ninth's ratings would be the difference */
    fill(a, 0, 1, 8, ALL);
    fill(b, 0, 1, 9, ALL);
    assert_true(conflict(a, 8, b, 9));
    /* the same set: the same figures, nothing new */
    fill(b, 0, 1, 8, ALL);
    assert_false(conflict(a, 8, b, 8));
    /* 8, then 8 + 15: the difference spans 15 */
    fill(b, 0, 1, 23, ALL);
    assert_false(conflict(a, 8, b, 23));
    /* 8 + 14 is one short */
    fill(b, 0, 1, 22, ALL);
    assert_true(conflict(a, 8, b, 22));
}

static void test_small_groups_show_nothing_to_subtract(void **state)
{
    struct gap_item a[40], b[40];
    (void)state;
    /* 7, then 8: the first showed no figure */
    fill(a, 0, 1, 7, ALL);
    fill(b, 0, 1, 8, ALL);
    assert_false(conflict(a, 7, b, 8));
}

static void test_one_area_apart(void **state)
{
    struct gap_item a[60], b[60];
    size_t nb;
    (void)state;
    /* b adds 20 people, but only one of them rated area 2: area 2's figures differ by one */
    fill(a, 0, 1, 10, ALL);
    nb = fill(b, 0, 1, 10, ALL);
    nb = fill(b, nb, 100, 19, 3u); /* areas 0 and 1 only */
    nb = fill(b, nb, 200, 1, ALL);
    assert_true(conflict(a, 10, b, nb));
    /* when area 2 is hidden in the first view (7 rated it), nothing is given away there */
    fill(a, 0, 1, 7, ALL);
    fill(a, 7, 50, 3, 3u);
    nb = fill(b, 0, 1, 7, ALL);
    nb = fill(b, nb, 50, 3, 3u);
    nb = fill(b, nb, 100, 19, 3u);
    nb = fill(b, nb, 200, 1, ALL);
    assert_false(conflict(a, 10, b, nb));
}

static void test_retaken_counts_twice(void **state)
{
    struct gap_item a[40], b[40];
    (void)state;
    /* seven of twenty took it again: 14 ids differ, fewer than 8 people: refused */
    fill(a, 0, 1, 20, ALL);
    fill(b, 0, 1, 13, ALL);
    fill(b, 13, 101, 7, ALL);
    assert_true(conflict(a, 20, b, 20));
    /* eight did: 16 ids, 8 people, as much as any shown figure spans */
    fill(b, 0, 1, 12, ALL);
    fill(b, 12, 101, 8, ALL);
    assert_false(conflict(a, 20, b, 20));
}

static void test_a_reused_id_is_another(void **state)
{
    struct gap_item a[40], b[40];
    (void)state;
    /* SQLite gives a deleted row's id to the next row: the newcomer's self-assessment has
     * the id of one a release counted, but not its time, so it is another one */
    fill(a, 0, 1, 9, ALL);
    fill(b, 0, 1, 9, ALL);
    b[8].at = 2000;
    assert_true(conflict(a, 9, b, 9));
}

static void test_stored_forms(void **state)
{
    struct arena *a = arena_new();
    struct buf b = BUF_INIT;
    struct gap_item v[3] = {{30, 9, 5}, {4, 8, 7}, {12, 7, 0}}, *back;
    struct gap_sums sums = {{2500, 0, 12000}, {1, 0, 4}}, sums_back;
    uint64_t counts[ND], again[ND];
    size_t n;
    (void)state;
    gap_items_sort(v, 3);
    gap_items_text(v, 3, &b);
    assert_string_equal(b.data, "4:8:7,12:7:0,30:9:5");
    assert_true(gap_items_parse(a, b.data, &back, &n));
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_true(back[i].id == v[i].id && back[i].at == v[i].at && back[i].has == v[i].has);
    assert_true(gap_items_parse(a, "", &back, &n));
    assert_int_equal(n, 0);
    assert_false(gap_items_parse(a, "12:7:0,4:8:7", &back, &n)); /* not ascending */
    assert_true(gap_items_parse(a, "4:8:7,4:9:7", &back, &n));   /* one id, two times */
    assert_false(gap_items_parse(a, "4:8:7,", &back, &n));
    assert_false(gap_items_parse(a, "4:7", &back, &n));
    assert_false(gap_items_parse(a, "x:1:1", &back, &n));
    buf_reset(&b);
    gap_sums_text(&sums, ND, &b);
    assert_string_equal(b.data, "2500:1,0:0,12000:4");
    assert_true(gap_sums_parse(b.data, ND, &sums_back));
    for (size_t d = 0; d < ND; d++)
        assert_true(sums_back.total[d] == sums.total[d] && sums_back.people[d] == sums.people[d]);
    assert_false(gap_sums_parse("2500:1,0:0", ND, &sums_back));
    assert_false(gap_sums_parse("2500:1,0,12000:4", ND, &sums_back));
    gap_items_counts(v, 3, ND, counts);
    assert_true(counts[0] == 2 && counts[1] == 1 && counts[2] == 2);
    buf_reset(&b);
    gap_counts_text(counts, ND, &b);
    assert_string_equal(b.data, "2,1,2");
    assert_true(gap_counts_parse(b.data, ND, again));
    assert_memory_equal(again, counts, sizeof counts);
    assert_false(gap_counts_parse("2,1", ND, again));
    assert_false(gap_counts_parse("2,1,2,3", ND, again));
    assert_false(gap_counts_parse("2,,2", ND, again));
    buf_free(&b);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_member_apart),
        cmocka_unit_test(test_small_groups_show_nothing_to_subtract),
        cmocka_unit_test(test_one_area_apart),
        cmocka_unit_test(test_retaken_counts_twice),
        cmocka_unit_test(test_a_reused_id_is_another),
        cmocka_unit_test(test_stored_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
