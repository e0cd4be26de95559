/* scoring_test.c: the three scoring methods and the bands on hand-computed examples
 *
 * Instruments are built here as C structs, not parsed, so these tests pin down scoring.c on
 * its own. Every expected figure is worked out in the comment beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "assess/assess.h"
#include "core/err.h"

#define EPS 1e-9

/* cmocka's assert_float_equal compares as float; these figures need double. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%.12g != %.12g (within %g)", a_, b_, (double)(eps));                         \
    } while (0)

static struct assess_option agree[5] = {{"Strongly disagree", 0},
                                        {"Disagree", 25},
                                        {"Neither", 50},
                                        {"Agree", 75},
                                        {"Strongly agree", 100}};
static struct assess_option yesno[2] = {{"No", 0}, {"Yes", 100}};

static struct assess_item mkitem(const char *id, double weight, int level)
{
    struct assess_item it;
    memset(&it, 0, sizeof it);
    it.id = id;
    it.text = id;
    it.help = "";
    it.kind = AK_AGREE;
    it.weight = weight;
    it.level = level;
    it.met_at = 75;
    it.options = agree;
    it.noptions = 5;
    return it;
}

static struct assess_item mkyesno(const char *id, double weight)
{
    struct assess_item it = mkitem(id, weight, 0);
    it.kind = AK_YESNO;
    it.options = yesno;
    it.noptions = 2;
    return it;
}

static struct assess_domain mkdomain(const char *id, double weight, struct assess_item *items,
                                     size_t nitems)
{
    struct assess_domain d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.title = id;
    d.description = "";
    d.weight = weight;
    d.items = items;
    d.nitems = nitems;
    return d;
}

/* Lays the domains out in the answer string and counts the items, as the parser does. */
static void mkinstrument(struct assess_instrument *ins, enum assess_method m,
                         struct assess_domain *domains, size_t ndomains)
{
    size_t pos = 0;
    memset(ins, 0, sizeof *ins);
    ins->code = "test";
    ins->version = 1;
    ins->title = "Test";
    ins->description = "";
    ins->audience = "individual";
    ins->method = m;
    ins->level_share = 1.0;
    ins->baseline_source = "";
    ins->domains = domains;
    ins->ndomains = ndomains;
    for (size_t k = 0; k < ndomains; k++) {
        domains[k].first = pos;
        pos += domains[k].nitems;
    }
    ins->nitems = pos;
}

static void score(const struct assess_instrument *ins, const char *answers,
                  struct assess_score *doms, struct assess_score *all)
{
    assert_int_equal(assess_score(ins, answers, answers ? strlen(answers) : 0, doms, all), 0);
}

/* The shared example: domain A (weight 1) = a1 (agree, w1), a2 (agree, w2), a3 (yes/no,
 * w1); domain B (weight 3) = b1, b2 (agree, w1). */
struct example {
    struct assess_item a[3], b[2];
    struct assess_domain d[2];
    struct assess_instrument ins;
};

static void mkexample(struct example *e, enum assess_method m)
{
    e->a[0] = mkitem("a1", 1, 0);
    e->a[1] = mkitem("a2", 2, 0);
    e->a[2] = mkyesno("a3", 1);
    e->b[0] = mkitem("b1", 1, 0);
    e->b[1] = mkitem("b2", 1, 0);
    e->d[0] = mkdomain("a", 1, e->a, 3);
    e->d[1] = mkdomain("b", 3, e->b, 2);
    mkinstrument(&e->ins, m, e->d, 2);
}

/* ---- percent ------------------------------------------------------------------------- */

static void test_percent_weights(void **state)
{
    (void)state;
    struct example e;
    struct assess_score d[2], all;

    mkexample(&e, AM_PERCENT);
    /* a1 = '3' 75, a2 = '1' 25 (weight 2), a3 unanswered; b1 = '0' 0, b2 = '4' 100.
     * A = (1·75 + 2·25) / 3 = 125/3; B = (0 + 100) / 2 = 50;
     * overall = (1·125/3 + 3·50) / 4 = 575/12 */
    score(&e.ins, "31-04", d, &all);
    assert_true(d[0].scored);
    assert_near(d[0].percent, 125.0 / 3, EPS);
    assert_near(d[0].mean5, 1 + 4 * (125.0 / 3) / 100, EPS);
    assert_int_equal(d[0].answered, 2);
    assert_int_equal(d[0].level, 0);
    assert_true(d[1].scored);
    assert_near(d[1].percent, 50, EPS);
    assert_near(d[1].mean5, 3, EPS);
    assert_int_equal(d[1].answered, 2);
    assert_true(all.scored);
    assert_near(all.percent, 575.0 / 12, EPS);
    assert_near(all.mean5, 1 + 4 * (575.0 / 12) / 100, EPS);
    assert_int_equal(all.answered, 4);
    assert_int_equal(all.level, 0);

    /* the yes/no answered too: A = (75 + 50 + 100) / 4 = 56.25;
     * overall = (56.25 + 150) / 4 = 51.5625 */
    score(&e.ins, "31104", d, &all);
    assert_near(d[0].percent, 56.25, EPS);
    assert_int_equal(d[0].answered, 3);
    assert_near(all.percent, 51.5625, EPS);
    assert_int_equal(all.answered, 5);
}

static void test_percent_domain_unanswered(void **state)
{
    (void)state;
    struct example e;
    struct assess_score d[2], all;

    mkexample(&e, AM_PERCENT);
    /* nothing in A: it has no score and the overall is B alone, whatever B's weight */
    score(&e.ins, "---04", d, &all);
    assert_false(d[0].scored);
    assert_int_equal(d[0].answered, 0);
    assert_near(d[0].percent, 0, EPS);
    assert_true(d[1].scored);
    assert_near(all.percent, 50, EPS);
    assert_int_equal(all.answered, 2);

    /* nothing at all */
    score(&e.ins, "-----", d, &all);
    assert_false(d[0].scored);
    assert_false(d[1].scored);
    assert_false(all.scored);
    assert_int_equal(all.answered, 0);
    assert_near(all.percent, 0, EPS);
}

static void test_short_and_long_answers(void **state)
{
    (void)state;
    struct example e;
    struct assess_score d[2], all;

    mkexample(&e, AM_PERCENT);
    /* "31": a3 and all of B are unanswered; overall = A = 125/3 */
    score(&e.ins, "31", d, &all);
    assert_near(d[0].percent, 125.0 / 3, EPS);
    assert_false(d[1].scored);
    assert_near(all.percent, 125.0 / 3, EPS);
    /* len counts, not the NUL: "31104" read with len 2 is "31" */
    assert_int_equal(assess_score(&e.ins, "31104", 2, d, &all), 0);
    assert_near(all.percent, 125.0 / 3, EPS);
    assert_false(d[1].scored);
    /* an empty or NULL string: nothing answered */
    assert_int_equal(assess_score(&e.ins, NULL, 0, d, &all), 0);
    assert_false(all.scored);
    score(&e.ins, "", d, &all);
    assert_false(all.scored);
    /* characters past the last item belong to nothing */
    score(&e.ins, "3114444444", d, &all);
    assert_near(d[1].percent, 100, EPS);
    assert_int_equal(all.answered, 5);
}

static void test_bad_characters_are_unanswered(void **state)
{
    (void)state;
    static struct assess_option twelve[12];
    struct example e;
    struct assess_item many[1];
    struct assess_domain dm[1];
    struct assess_instrument ins;
    struct assess_score d[2], all;

    mkexample(&e, AM_PERCENT);
    /* '9' and 'a' name options 9 and 10 of 5-option items; '2' option 2 of a yes/no; 'Z',
     * '*' and a NUL byte are not answers at all. All count as unanswered. */
    score(&e.ins, "9a204", d, &all);
    assert_false(d[0].scored);
    assert_near(all.percent, 50, EPS);
    assert_int_equal(assess_score(&e.ins,
                                  "Z*\0"
                                  "04",
                                  5, d, &all),
                     0);
    assert_false(d[0].scored);
    assert_int_equal(d[1].answered, 2);

    /* letters decode 'a' = 10 … so 'b' is option 11 of a 12-option item */
    for (int k = 0; k < 12; k++) {
        twelve[k].label = "x";
        twelve[k].score = k * 100.0 / 11;
    }
    many[0] = mkitem("m", 1, 0);
    many[0].kind = AK_CHOICE;
    many[0].options = twelve;
    many[0].noptions = 12;
    dm[0] = mkdomain("m", 1, many, 1);
    mkinstrument(&ins, AM_PERCENT, dm, 1);
    score(&ins, "b", d, &all);
    assert_near(all.percent, 100, EPS);
    score(&ins, "a", d, &all);
    assert_near(all.percent, 1000.0 / 11, EPS);
    score(&ins, "c", d, &all); /* option 12 does not exist */
    assert_false(all.scored);
    score(&ins, "A", d, &all); /* upper case is not an answer */
    assert_false(all.scored);
}

/* ---- mean5 --------------------------------------------------------------------------- */

static void test_mean5_differs_from_percent(void **state)
{
    (void)state;
    struct assess_item one[1], three[3];
    struct assess_domain dm[2];
    struct assess_instrument pc, m5;
    struct assess_score d[2], all;

    /* A has one item, B three, all weights 1. Answers: A = 100; B = 0, 0, 0.
     * percent: the mean of the domains, (100 + 0) / 2 = 50.
     * mean5: the mean over the items, on 1–5: (5 + 1 + 1 + 1) / 4 = 2, shown as
     * (2 − 1) / 4 × 100 = 25%. */
    one[0] = mkitem("a1", 1, 0);
    for (int k = 0; k < 3; k++)
        three[k] = mkitem("b", 1, 0);
    dm[0] = mkdomain("a", 1, one, 1);
    dm[1] = mkdomain("b", 1, three, 3);
    mkinstrument(&pc, AM_PERCENT, dm, 2);
    mkinstrument(&m5, AM_MEAN5, dm, 2);

    score(&pc, "4000", d, &all);
    assert_near(all.percent, 50, EPS);
    assert_near(all.mean5, 3, EPS);
    score(&m5, "4000", d, &all);
    assert_near(all.mean5, 2, EPS);
    assert_near(all.percent, 25, EPS);
    assert_int_equal(all.answered, 4);
    /* the domains are the same under both: A 5 (100%), B 1 (0%) */
    assert_near(d[0].mean5, 5, EPS);
    assert_near(d[0].percent, 100, EPS);
    assert_near(d[1].mean5, 1, EPS);
    assert_near(d[1].percent, 0, EPS);
}

static void test_mean5_weights(void **state)
{
    (void)state;
    struct example e;
    struct assess_score d[2], all;

    mkexample(&e, AM_MEAN5);
    /* "31-04" again. Domains as under percent: A = 125/3 %, i.e. 1 + 4·(125/3)/100 = 8/3;
     * B = 50 %, 3. Overall over the answered items with their ITEM weights (domain B's
     * weight 3 does not enter): (1·75 + 2·25 + 1·0 + 1·100) / 5 = 45 %, mean 2.8. */
    score(&e.ins, "31-04", d, &all);
    assert_near(d[0].mean5, 8.0 / 3, EPS);
    assert_near(d[0].percent, 125.0 / 3, EPS);
    assert_near(d[1].mean5, 3, EPS);
    assert_near(all.percent, 45, EPS);
    assert_near(all.mean5, 2.8, EPS);
    assert_int_equal(all.level, 0);
    /* and under percent the same answers give 575/12 = 47.92 */
    mkexample(&e, AM_PERCENT);
    score(&e.ins, "31-04", d, &all);
    assert_near(all.percent, 575.0 / 12, EPS);
}

/* ---- levels -------------------------------------------------------------------------- */

/* One levels domain of 10 agree items: level 1 = items 0–1, level 2 = 2–5, level 3 = 6–7,
 * level 4 = 8, level 5 = 9. Met when ≥ 75 ('3' or '4'). */
struct ladder {
    struct assess_item it[10];
    struct assess_domain d[1];
    struct assess_instrument ins;
};

static void mkladder(struct ladder *l, double share)
{
    static const int level[10] = {1, 1, 2, 2, 2, 2, 3, 3, 4, 5};
    for (int k = 0; k < 10; k++)
        l->it[k] = mkitem("l", 1, level[k]);
    l->d[0] = mkdomain("ladder", 1, l->it, 10);
    mkinstrument(&l->ins, AM_LEVELS, l->d, 1);
    l->ins.level_share = share;
}

static int level_of(const struct assess_instrument *ins, const char *answers, double *percent)
{
    struct assess_score d[4], all;
    score(ins, answers, d, &all);
    assert_true(d[0].scored);
    *percent = d[0].percent;
    assert_near(d[0].mean5, 1 + 4 * d[0].percent / 100, EPS);
    return d[0].level;
}

static void test_levels_share_all(void **state)
{
    (void)state;
    struct ladder l;
    double pc;

    mkladder(&l, 1.0);
    /* everything met: level 5, 100% */
    assert_int_equal(level_of(&l.ins, "3433334443", &pc), 5);
    assert_near(pc, 100, EPS);
    /* level 5's item unanswered: a level with items needs one answered, so 4 (80%) */
    assert_int_equal(level_of(&l.ins, "343333444-", &pc), 4);
    assert_near(pc, 80, EPS);
    /* one of level 2's four unmet: with share 1.0 the domain stops at level 1 (20%) */
    assert_int_equal(level_of(&l.ins, "3433134443", &pc), 1);
    assert_near(pc, 20, EPS);
    /* a level-1 item unmet: level 0, a score of 0% (answered, so scored) */
    assert_int_equal(level_of(&l.ins, "2433334443", &pc), 0);
    assert_near(pc, 0, EPS);
    /* unanswered items are left out of the share: level 2 with two answered, both met */
    assert_int_equal(level_of(&l.ins, "3433--4443", &pc), 5);
}

static void test_levels_share_70(void **state)
{
    (void)state;
    struct ladder l;
    double pc;

    mkladder(&l, 0.7);
    /* level 2: 3 of 4 met = 75% ≥ 70%, passes; then 3, 4, 5 met: level 5 */
    assert_int_equal(level_of(&l.ins, "3433134443", &pc), 5);
    assert_near(pc, 100, EPS);
    /* level 2: 3 of 4 met, level 5 unanswered: level 4 */
    assert_int_equal(level_of(&l.ins, "343313444-", &pc), 4);
    assert_near(pc, 80, EPS);
    /* the gap: level 2 at 2 of 4 = 50% is unmet, and blocks 3, 4 and 5 though all met */
    assert_int_equal(level_of(&l.ins, "3431134443", &pc), 1);
    assert_near(pc, 20, EPS);
    /* level 2: 2 of 3 answered met = 66.7% < 70%: unmet */
    assert_int_equal(level_of(&l.ins, "34331-4443", &pc), 1);
    /* level 1: 1 of 2 = 50%: level 0 */
    assert_int_equal(level_of(&l.ins, "3033334443", &pc), 0);
}

static void test_levels_exact_share(void **state)
{
    (void)state;
    static struct assess_item it[100];
    struct assess_domain dm[1];
    struct assess_instrument ins;
    struct assess_score d[1], all;
    char answers[101];

    /* a hundred level-1 items and a share of 0.55: 55 met is exactly 55% and passes, though
     * 0.55 × 100 is 55.00000000000001 in floating point (the comparison allows for it);
     * 54 met does not */
    for (int k = 0; k < 100; k++)
        it[k] = mkitem("x", 1, 1);
    dm[0] = mkdomain("x", 1, it, 100);
    mkinstrument(&ins, AM_LEVELS, dm, 1);
    ins.level_share = 0.55;
    memset(answers, '0', 100);
    memset(answers, '3', 55);
    answers[100] = '\0';
    score(&ins, answers, d, &all);
    assert_int_equal(d[0].level, 5); /* levels 2–5 have no items and pass */
    answers[54] = '0';
    score(&ins, answers, d, &all);
    assert_int_equal(d[0].level, 0);
}

static void test_levels_met_at_and_overall(void **state)
{
    (void)state;
    struct assess_item a[2], b[2];
    struct assess_domain dm[2];
    struct assess_instrument ins;
    struct assess_score d[2], all;

    /* A: level 1 item met at 50 ('2'), level 2 yes/no met at 75. B: levels 1 and 2, agree.
     * Levels 3–5 have no items, so a domain meeting 1 and 2 climbs to 5. */
    a[0] = mkitem("a1", 1, 1);
    a[0].met_at = 50;
    a[1] = mkyesno("a2", 1);
    a[1].level = 2;
    a[1].met_at = 75;
    b[0] = mkitem("b1", 1, 1);
    b[1] = mkitem("b2", 1, 2);
    dm[0] = mkdomain("a", 1, a, 2);
    dm[1] = mkdomain("b", 3, b, 2);
    mkinstrument(&ins, AM_LEVELS, dm, 2);

    /* A: '2' = 50 meets level 1 (met_at 50), 'No' fails level 2: level 1 (20%).
     * B: '3' meets 1, '4' meets 2: level 5 (100%).
     * overall = (1·20 + 3·100) / 4 = 80%, level floor(80 / 20) = 4 */
    score(&ins, "2034", d, &all);
    assert_int_equal(d[0].level, 1);
    assert_near(d[0].percent, 20, EPS);
    assert_int_equal(d[1].level, 5);
    assert_near(all.percent, 80, EPS);
    assert_int_equal(all.level, 4);
    assert_near(all.mean5, 4.2, EPS);
    /* A: '1' = 25 misses met_at 50: level 0. overall = (0 + 300) / 4 = 75%, level 3 */
    score(&ins, "1134", d, &all);
    assert_int_equal(d[0].level, 0);
    assert_true(d[0].scored);
    assert_near(all.percent, 75, EPS);
    assert_int_equal(all.level, 3);
    /* B unanswered: overall is A alone. A: '2' meets level 1, 'Yes' meets level 2, and
     * levels 3–5 have no items, so A reaches 5: overall 100%, level 5 */
    score(&ins, "21--", d, &all);
    assert_int_equal(d[0].level, 5);
    assert_false(d[1].scored);
    assert_int_equal(d[1].level, 0);
    assert_near(all.percent, 100, EPS);
    assert_int_equal(all.level, 5);
}

/* ---- versions ------------------------------------------------------------------------ */

static void test_version_changes(void **state)
{
    (void)state;
    struct assess_item v1i[3], v2i[4];
    struct assess_domain v1d[1], v2d[1];
    struct assess_instrument v1, v2;
    struct assess_score d[1], all;

    /* v1: a, b, c, weights 1. v2 adds "new" between a and b and gives c weight 2. */
    v1i[0] = mkitem("a", 1, 0);
    v1i[1] = mkitem("b", 1, 0);
    v1i[2] = mkitem("c", 1, 0);
    v2i[0] = mkitem("a", 1, 0);
    v2i[1] = mkitem("new", 1, 0);
    v2i[2] = mkitem("b", 1, 0);
    v2i[3] = mkitem("c", 2, 0);
    v1d[0] = mkdomain("d", 1, v1i, 3);
    v2d[0] = mkdomain("d", 1, v2i, 4);
    mkinstrument(&v1, AM_PERCENT, v1d, 1);
    mkinstrument(&v2, AM_PERCENT, v2d, 1);
    v2.version = 2;

    /* a 75, b 25, c 100 under v1: (75 + 25 + 100) / 3 = 66.67 */
    score(&v1, "314", d, &all);
    assert_near(all.percent, 200.0 / 3, EPS);
    assert_int_equal(all.answered, 3);
    /* the same answers to a, b and c under v2, "new" skipped: c now weighs 2, so
     * (75 + 25 + 2·100) / 4 = 75 */
    score(&v2, "3-14", d, &all);
    assert_near(all.percent, 75, EPS);
    assert_int_equal(all.answered, 3);
    /* and with "new" answered 50: (75 + 50 + 25 + 2·100) / 5 = 70 */
    score(&v2, "3214", d, &all);
    assert_near(all.percent, 70, EPS);
    assert_int_equal(all.answered, 4);
    /* the same answers with c low instead: v1 (75 + 25 + 0) / 3 = 33.33, v2 with "new"
     * skipped (75 + 25 + 0) / 4 = 25 — the weight change moves a score either way */
    score(&v1, "310", d, &all);
    assert_near(all.percent, 100.0 / 3, EPS);
    score(&v2, "3-10", d, &all);
    assert_near(all.percent, 25, EPS);
    /* a v1 string is one character short for v2: its last answer lands on b and c is
     * unanswered, so it must never be scored against v2 (a response keeps its version) */
    score(&v2, "310", d, &all);
    assert_int_equal(all.answered, 3);
    assert_near(all.percent, (75 + 25 + 0) / 3.0, EPS);
}

/* ---- bands and errors ---------------------------------------------------------------- */

static void test_bands(void **state)
{
    (void)state;
    struct assess_band bands[4] = {{0, "Foundation", ""},
                                   {40, "Developing", ""},
                                   {70, "Established", ""},
                                   {90, "Leading", ""}};
    struct assess_band shuffled[3] = {{70, "C", ""}, {0, "A", ""}, {40, "B", ""}};
    struct example e;

    mkexample(&e, AM_PERCENT);
    assert_null(assess_band_for(&e.ins, 50)); /* no bands */
    assert_null(assess_band_for(NULL, 50));
    e.ins.bands = bands;
    e.ins.nbands = 4;
    assert_string_equal(assess_band_for(&e.ins, 0)->name, "Foundation");
    assert_string_equal(assess_band_for(&e.ins, 39.99)->name, "Foundation");
    assert_string_equal(assess_band_for(&e.ins, 40)->name, "Developing");
    assert_string_equal(assess_band_for(&e.ins, 40.01)->name, "Developing");
    assert_string_equal(assess_band_for(&e.ins, 69.9)->name, "Developing");
    /* an averaging artefact a hair below a boundary belongs to the band above */
    assert_string_equal(assess_band_for(&e.ins, 70 - 1e-12)->name, "Established");
    assert_string_equal(assess_band_for(&e.ins, 70)->name, "Established");
    assert_string_equal(assess_band_for(&e.ins, 89.99)->name, "Established");
    assert_string_equal(assess_band_for(&e.ins, 90)->name, "Leading");
    assert_string_equal(assess_band_for(&e.ins, 100)->name, "Leading");
    /* out of range: clamped to the ends */
    assert_string_equal(assess_band_for(&e.ins, -5)->name, "Foundation");
    assert_string_equal(assess_band_for(&e.ins, 120)->name, "Leading");
    assert_string_equal(assess_band_for(&e.ins, NAN)->name, "Foundation");
    /* the order they are stored in does not matter */
    e.ins.bands = shuffled;
    e.ins.nbands = 3;
    assert_string_equal(assess_band_for(&e.ins, 10)->name, "A");
    assert_string_equal(assess_band_for(&e.ins, 45)->name, "B");
    assert_string_equal(assess_band_for(&e.ins, 75)->name, "C");
}

static void test_invalid(void **state)
{
    (void)state;
    struct example e;
    struct assess_score d[2], all;

    mkexample(&e, AM_PERCENT);
    assert_int_equal(assess_score(NULL, "3", 1, d, &all), APP_E_INVALID);
    assert_int_equal(assess_score(&e.ins, "3", 1, NULL, &all), APP_E_INVALID);
    assert_int_equal(assess_score(&e.ins, "3", 1, d, NULL), APP_E_INVALID);
    assert_int_equal(assess_score(&e.ins, NULL, 3, d, &all), APP_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent_weights),
        cmocka_unit_test(test_percent_domain_unanswered),
        cmocka_unit_test(test_short_and_long_answers),
        cmocka_unit_test(test_bad_characters_are_unanswered),
        cmocka_unit_test(test_mean5_differs_from_percent),
        cmocka_unit_test(test_mean5_weights),
        cmocka_unit_test(test_levels_share_all),
        cmocka_unit_test(test_levels_share_70),
        cmocka_unit_test(test_levels_exact_share),
        cmocka_unit_test(test_levels_met_at_and_overall),
        cmocka_unit_test(test_version_changes),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
