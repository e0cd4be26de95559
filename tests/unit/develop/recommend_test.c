/* recommend_test.c: recommendations from measured gaps on hand-made cases, with their
 * explanations
 *
 * Each case is small enough to work out by hand: which gaps count (a lower area of the
 * self-assessment, a blind spot of at least 0.3 in a 360, an Assess result below its
 * baseline), what each activity scores, the order the ranking rule gives, and the sentence a
 * member reads.
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
#include "develop/recommend.h"

static struct arena *a;

#define FW "ahp-clinical-leadership"
#define IN "ahp-digital-capability"

static struct develop_area AREA_VISION = {false, FW, "vision"};
static struct develop_area AREA_DIGITAL = {false, FW, "digital"};
static struct develop_area AREA_STAFF = {false, FW, "attention-to-staff"};
static struct develop_area AREA_ASSESS_DIGITAL = {true, IN, "digital-leadership"};
static struct develop_area AREA_OTHER_FW_DIGITAL = {false, "another-framework", "digital"};

static struct develop_activity act(int64_t id, const char *title, const char *kind,
                                   struct develop_area *areas, size_t nareas)
{
    struct develop_activity x = {0};
    x.id = id;
    x.title = title;
    x.kind = kind;
    x.areas = areas;
    x.nareas = nareas;
    x.active = true;
    return x;
}

static bool near(double x, double y)
{
    return fabs(x - y) < 1e-9;
}

/* "your digital leadership result was 22%, national baseline 28%" */
static void test_assess_below_baseline(void **state)
{
    struct develop_rec_assess as[] = {
        {IN, "digital-leadership", "Digital leadership", 22, true, 28},
        {IN, "data", "Data analytics", 61, true, 50},        /* above: no gap */
        {IN, "ai", "AI and decision support", 10, false, 0}, /* no baseline: no gap */
    };
    struct develop_activity acts[] = {
        act(1, "Digital champions network", "networking", &AREA_ASSESS_DIGITAL, 1),
        /* the framework's "digital" is not the instrument's */
        act(2, "Digital leadership course", "course", &AREA_DIGITAL, 1)};
    struct develop_rec_input in = {FW, 4, NULL, 0, NULL, 0, as, 3, acts, 2};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 1);
    assert_int_equal(g[0].source, DGS_ASSESS);
    assert_true(near(g[0].points, 6));
    assert_string_equal(
        g[0].text, "Your \u2018Digital leadership\u2019 result was 22%, national baseline 28%.");
    assert_int_equal(nr, 1);
    assert_int_equal(r[0].activity->id, 1);
    assert_true(near(r[0].score, 6));
    assert_int_equal(r[0].ngaps, 1);
    assert_ptr_equal(r[0].gaps[0], &g[0]);
}

/* "others rated 'Vision and direction' 1.1 below your own rating" */
static void test_feedback_blind_spot(void **state)
{
    struct develop_rec_self self[] = {{"vision", "Vision and direction", true, 3.5},
                                      {"attention-to-staff", "Attention to staff", true, 3.5}};
    struct develop_rec_feedback fb[] = {
        {"vision", NULL, 3.5, 2.4},                  /* 1.1 below: a blind spot */
        {"attention-to-staff", NULL, 3.5, 3.3},      /* 0.2: within the margin */
        {"digital", "Digital leadership", 2.0, 3.0}, /* others higher: a hidden strength */
    };
    struct develop_area both[] = {AREA_VISION, AREA_STAFF};
    struct develop_activity acts[] = {
        act(7, "Setting a vision for your service", "course", &AREA_VISION, 1),
        act(8, "Leading people well", "coaching", both, 2),
        act(9, "Team coaching", "coaching", &AREA_STAFF, 1)};
    struct develop_rec_input in = {FW, 4, self, 2, fb, 3, NULL, 0, acts, 3};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 1);
    assert_int_equal(g[0].source, DGS_FEEDBACK);
    assert_true(near(g[0].points, 1.1 / 3 * 100));
    assert_string_equal(g[0].text, "Others rated \u2018Vision and direction\u2019 1.1 below "
                                   "your own rating (2.4 against your 3.5).");
    /* both meet the one gap with the same score, the same largest gap and one gap each: by
     * title */
    assert_int_equal(nr, 2);
    assert_int_equal(r[0].activity->id, 8);
    assert_int_equal(r[1].activity->id, 7);
    assert_int_equal(r[0].ngaps, 1);
}

/* the lower areas of the self-assessment, below the member's own average */
static void test_self_lower_areas(void **state)
{
    struct develop_rec_self self[] = {{"vision", "Vision and direction", true, 3.0},
                                      {"attention-to-staff", "Attention to staff", true, 3.0},
                                      {"digital", "Digital leadership", true, 1.5},
                                      {"equality", "Equality and inclusion", false, 0}};
    struct develop_activity acts[] = {act(3, "Digital champions", "networking", &AREA_DIGITAL, 1),
                                      act(4, "Vision course", "course", &AREA_VISION, 1),
                                      act(5, "Elsewhere", "course", &AREA_OTHER_FW_DIGITAL, 1)};
    struct develop_rec_input in = {FW, 4, self, 4, NULL, 0, NULL, 0, acts, 3};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    /* the average is over rated areas only: (3 + 3 + 1.5) / 3 = 2.5 */
    assert_int_equal(ng, 1);
    assert_int_equal(g[0].source, DGS_SELF);
    assert_true(near(g[0].points, 1.0 / 3 * 100));
    assert_string_equal(g[0].text, "You rated \u2018Digital leadership\u2019 1.5 out of 4, "
                                   "below your average of 2.5 across your areas.");
    assert_int_equal(nr, 1);
    assert_int_equal(r[0].activity->id, 3);
}

/* an area's mean is written as the results page writes it (2.4, 2.17), not rounded to one
 * decimal, so it is never "2.4, below your average of 2.4" */
static void test_self_gap_shown_apart(void **state)
{
    struct develop_rec_self self[] = {{"vision", "Vision and direction", true, 2.5},
                                      {"digital", "Digital leadership", true, 2.4},
                                      {"attention-to-staff", "Attention to staff", true, 2.4}};
    struct develop_rec_input in = {FW, 4, self, 3, NULL, 0, NULL, 0, NULL, 0};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 2);
    if (strstr(g[0].text, "Attention"))
        g++;
    assert_string_equal(g[0].text, "You rated \u2018Digital leadership\u2019 2.4 out of 4, "
                                   "below your average of 2.43 across your areas.");
    /* 13/6 is 2.17 on the results page, and here too (not 2.2) */
    self[1].mean = 13.0 / 6;
    self[0].mean = 3.0;
    self[2].mean = 3.0;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 1);
    assert_string_equal(g[0].text, "You rated \u2018Digital leadership\u2019 2.17 out of 4, "
                                   "below your average of 2.72 across your areas.");
}

/* The three sources add up, and the order follows the rule step by step. */
static void test_ranking_rule(void **state)
{
    struct develop_rec_self self[] = {{"vision", "Vision and direction", true, 3.0},
                                      {"attention-to-staff", "Attention to staff", true, 2.0},
                                      {"digital", "Digital leadership", true, 1.0}};
    /* average 2.0: digital is 1.0 below (33.3 points) */
    struct develop_rec_feedback fb[] = {{"vision", NULL, 3.0, 2.1}}; /* 0.9: 30 points */
    struct develop_rec_assess as[] = {
        {IN, "digital-leadership", "Digital leadership", 22, true, 28}}; /* 6 points */
    struct develop_area dig2[] = {AREA_DIGITAL, AREA_ASSESS_DIGITAL};
    struct develop_area vis_dig[] = {AREA_VISION, AREA_ASSESS_DIGITAL};
    struct develop_activity acts[] = {
        act(10, "B vision", "course", &AREA_VISION, 1),        /* 30 */
        act(11, "Digital both", "course", dig2, 2),            /* 33.3 + 6 = 39.3 */
        act(12, "A vision", "mentoring", &AREA_VISION, 1),     /* 30: before "B vision" */
        act(13, "Vision and digital", "coaching", vis_dig, 2), /* 30 + 6 = 36 */
        act(14, "A vision", "course", &AREA_VISION, 1),        /* same title: by id */
        act(15, "Nothing measured", "course", &AREA_STAFF, 1), /* not below average: none */
    };
    struct develop_rec_input in = {FW, 4, self, 3, fb, 1, as, 1, acts, 6};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    int64_t want[] = {11, 13, 12, 14, 10};
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 3);
    /* gaps largest first: self digital 33.3, feedback vision 30, assess 6 */
    assert_int_equal(g[0].source, DGS_SELF);
    assert_int_equal(g[1].source, DGS_FEEDBACK);
    assert_int_equal(g[2].source, DGS_ASSESS);
    assert_int_equal(nr, 5);
    for (size_t i = 0; i < nr; i++)
        assert_int_equal(r[i].activity->id, want[i]);
    assert_true(near(r[0].score, 100.0 / 3 + 6));
    assert_int_equal(r[0].ngaps, 2);
    assert_int_equal(r[0].gaps[0]->source, DGS_SELF); /* its largest gap first */
    assert_int_equal(r[0].gaps[1]->source, DGS_ASSESS);
    /* the same input again gives the same list */
    {
        struct develop_gap *g2;
        struct develop_recommendation *r2;
        size_t ng2, nr2;
        assert_int_equal(develop_recommend(a, &in, &g2, &ng2, &r2, &nr2), APP_OK);
        assert_int_equal(nr2, nr);
        for (size_t i = 0; i < nr; i++)
            assert_int_equal(r2[i].activity->id, r[i].activity->id);
    }
}

/* With a larger single gap, an activity goes first among equal scores; then more gaps. */
static void test_ties_by_largest_gap_then_count(void **state)
{
    struct develop_rec_assess as[] = {{IN, "a", "A", 40, true, 50},  /* 10 */
                                      {IN, "b", "B", 45, true, 50},  /* 5 */
                                      {IN, "c", "C", 45, true, 50},  /* 5 */
                                      {IN, "d", "D", 40, true, 50},  /* 10, met by none */
                                      {IN, "e", "E", 47, true, 50},  /* 3 */
                                      {IN, "f", "F", 48, true, 50}}; /* 2 */
    struct develop_area bc[] = {{true, IN, "b"}, {true, IN, "c"}};
    struct develop_area a1[] = {{true, IN, "a"}};
    struct develop_area d_e_f[] = {{true, IN, "e"}, {true, IN, "f"}, {true, IN, "b"}};
    struct develop_activity acts[] = {act(1, "Z two fives", "course", bc, 2),
                                      act(2, "Z one ten", "course", a1, 1),
                                      act(3, "Z three small", "course", d_e_f, 3)};
    struct develop_rec_input in = {NULL, 0, NULL, 0, NULL, 0, as, 6, acts, 3};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 6);
    assert_int_equal(nr, 3);
    /* all score 10: "one ten" has the largest single gap; "three small" and "two fives"
     * share their largest (5), so the one meeting more gaps goes first */
    assert_int_equal(r[0].activity->id, 2);
    assert_int_equal(r[1].activity->id, 3);
    assert_int_equal(r[2].activity->id, 1);
}

static void test_nothing_measured(void **state)
{
    struct develop_activity acts[] = {act(1, "Vision course", "course", &AREA_VISION, 1)};
    struct develop_rec_input in = {FW, 4, NULL, 0, NULL, 0, NULL, 0, acts, 1};
    struct develop_rec_self one[] = {{"vision", "Vision and direction", true, 1.0}};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    (void)state;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 0);
    assert_int_equal(nr, 0);
    /* one rated area is its own average: nothing is below it */
    in.self = one;
    in.nself = 1;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_OK);
    assert_int_equal(ng, 0);
    /* a scale of fewer than two points cannot be read */
    in.points = 1;
    assert_int_equal(develop_recommend(a, &in, &g, &ng, &r, &nr), APP_E_INVALID);
    assert_int_equal(develop_recommend(a, NULL, &g, &ng, &r, &nr), APP_E_INVALID);
    assert_string_equal(develop_gap_source_name(DGS_FEEDBACK), "360 feedback");
}

static void test_out_of_memory(void **state)
{
    struct develop_rec_assess as[] = {
        {IN, "digital-leadership", "Digital leadership", 22, true, 28}};
    struct develop_activity acts[] = {act(1, "Champions", "networking", &AREA_ASSESS_DIGITAL, 1)};
    struct develop_rec_input in = {FW, 4, NULL, 0, NULL, 0, as, 1, acts, 1};
    struct develop_gap *g;
    struct develop_recommendation *r;
    size_t ng, nr;
    int rc = APP_E_NOMEM;
    (void)state;
    for (long n = 1; n < 50 && rc == APP_E_NOMEM; n++) {
        struct arena *b = arena_new();
        assert_non_null(b);
        arena_fail_after(n);
        rc = develop_recommend(b, &in, &g, &ng, &r, &nr);
        arena_fail_after(0);
        assert_true(rc == APP_OK || rc == APP_E_NOMEM);
        arena_free(b);
    }
    assert_int_equal(rc, APP_OK);
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
        cmocka_unit_test(test_assess_below_baseline),
        cmocka_unit_test(test_feedback_blind_spot),
        cmocka_unit_test(test_self_lower_areas),
        cmocka_unit_test(test_self_gap_shown_apart),
        cmocka_unit_test(test_ranking_rule),
        cmocka_unit_test(test_ties_by_largest_gap_then_count),
        cmocka_unit_test(test_nothing_measured),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
