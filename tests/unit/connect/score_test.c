/* score_test.c: profile scores — each factor and its sentence, the weights' order, the hard
 * rules (same person, exclusions, bands, no goal in common), and the CSV reader's errors */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "connect/match.h"
#include "connect/score.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

static const char MENTEES[] =
    "id,name,profession,region,organisation,band,goals,preference,outside_org\n"
    "e1,Asha Patel,physiotherapist,North West,Trust A,6,digital; Quality improvement ;"
    "research,another-profession,yes\n"
    "e2,Ben Jones,paramedic,London,Ambulance B,Band 5,vision and direction,same,no\n"
    "e3,Cara Li,dietitian,,Trust A,8b,digital,,\n";

/* columns in another order, names in another case, optional ones left out */
static const char MENTORS[] =
    "Offers,ID,Name,Band,Profession,Region,Organisation,Capacity,Excludes,Min_Band\n"
    "digital;quality improvement,m1,Mo Khan,8a,occupational therapist,North West,Trust B,2,"
    "e9;e2,\n"
    "vision and direction;digital,m2,Nia Gray,7,paramedic,London,Ambulance B,,,5\n"
    "digital,e1,Asha Patel,9,physiotherapist,North West,Trust A,1,,\n"
    "research,m4,Ola Berg,9,physiotherapist,,Trust A,1,,\n";

struct fixture {
    struct arena *a;
    struct score_people e, o;
};

static int setup(void **state)
{
    static struct fixture f;
    char err[256];
    f.a = arena_new();
    assert_non_null(f.a);
    assert_int_equal(score_read_people(f.a, false, "mentees.csv", MENTEES, strlen(MENTEES), &f.e,
                                       err, sizeof err),
                     APP_OK);
    assert_int_equal(score_read_people(f.a, true, "mentors.csv", MENTORS, strlen(MENTORS), &f.o,
                                       err, sizeof err),
                     APP_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_free(f->a);
    return 0;
}

static void assert_why(const struct score_person *e, const struct score_person *o, const char *want)
{
    struct buf b = BUF_INIT;
    score_why(e, o, &b);
    assert_false(buf_oom(&b));
    assert_string_equal(b.data ? b.data : "", want);
    buf_free(&b);
}

static void test_read(void **state)
{
    struct fixture *f = *state;
    const struct score_person *e1 = &f->e.p[0], *m1 = &f->o.p[0], *m2 = &f->o.p[1];
    assert_int_equal(f->e.n, 3);
    assert_int_equal(f->o.n, 4);
    assert_string_equal(e1->name, "Asha Patel");
    assert_int_equal(e1->nareas, 3);
    assert_string_equal(e1->areas[1], "Quality improvement"); /* trimmed, case kept */
    assert_int_equal(e1->pref, SCORE_PREF_OTHER);
    assert_true(e1->outside_org);
    assert_int_equal(f->e.p[1].band, 5);
    assert_int_equal(f->e.p[2].band, 9); /* 8b */
    assert_int_equal(f->e.p[2].pref, SCORE_PREF_ANY);
    assert_int_equal(m1->capacity, 2);
    assert_int_equal(m1->nexcludes, 2);
    assert_int_equal(m2->capacity, 1); /* empty = 1 */
    assert_int_equal(m2->min_band, 5);
    assert_int_equal(m1->line, 2);
    assert_int_equal(score_band("8a"), 8);
    assert_int_equal(score_band("8D"), 11);
    assert_int_equal(score_band("9"), 12);
    assert_int_equal(score_band("band 7"), 7);
    assert_int_equal(score_band("8"), 0);
    assert_int_equal(score_band("10"), 0);
    assert_int_equal(score_band("8e"), 0);
}

/* Every factor, its points and its words. */
static void test_factors(void **state)
{
    struct fixture *f = *state;
    const struct score_person *e1 = &f->e.p[0], *e2 = &f->e.p[1], *e3 = &f->e.p[2];
    const struct score_person *m1 = &f->o.p[0], *m2 = &f->o.p[1], *m4 = &f->o.p[3];
    int64_t s;
    /* e1–m1: two goals (case and spaces ignored), another profession, outside own
     * organisation, same region */
    assert_int_equal(score_pair(e1, m1, &s), SCORE_ALLOWED);
    assert_int_equal(s, (2 * SCORE_GOAL + SCORE_PROFESSION + SCORE_ORGANISATION + SCORE_REGION) *
                            MATCH_SCALE);
    assert_why(e1, m1,
               "2 goals met: digital, Quality improvement; another profession as asked; outside "
               "own organisation as asked; same region");
    /* e1–m4: one goal; same profession though another was asked (soft: no points); same
     * organisation though outside was asked; m4 has no region */
    assert_int_equal(score_pair(e1, m4, &s), SCORE_ALLOWED);
    assert_int_equal(s, SCORE_GOAL * MATCH_SCALE);
    assert_why(e1, m4, "1 goal met: research");
    /* e2–m2: the same profession as asked, same region, outside_org not asked */
    assert_int_equal(score_pair(e2, m2, &s), SCORE_ALLOWED);
    assert_int_equal(s, (SCORE_GOAL + SCORE_PROFESSION + SCORE_REGION) * MATCH_SCALE);
    assert_why(e2, m2,
               "1 goal met: vision and direction; the same profession as asked; same region");
    /* e3 and m4 both without a region: not "the same region" */
    assert_int_equal(score_pair(e3, m4, &s), SCORE_NO_GOAL);
    /* one more goal outweighs every other factor together */
    assert_true(SCORE_GOAL * MATCH_SCALE > (SCORE_PROFESSION + SCORE_ORGANISATION + SCORE_REGION) *
                                                   MATCH_SCALE +
                                               SCORE_AVAILABILITY_MILLI);
    /* availability: the mentor gives at least the hours hoped for, both given */
    {
        struct score_person hope = *e2, give = *m2;
        hope.hours = 3;
        give.hours = 4;
        assert_int_equal(score_pair(&hope, &give, &s), SCORE_ALLOWED);
        assert_int_equal(s, (SCORE_GOAL + SCORE_PROFESSION + SCORE_REGION) * MATCH_SCALE +
                                SCORE_AVAILABILITY_MILLI);
        assert_why(&hope, &give,
                   "1 goal met: vision and direction; the same profession as asked; same region; "
                   "enough hours a month");
        give.hours = 2;
        assert_int_equal(score_pair(&hope, &give, &s), SCORE_ALLOWED);
        assert_int_equal(s, (SCORE_GOAL + SCORE_PROFESSION + SCORE_REGION) * MATCH_SCALE);
        hope.hours = 0; /* not given: nothing to meet */
        give.hours = 9;
        assert_int_equal(score_pair(&hope, &give, &s), SCORE_ALLOWED);
        assert_int_equal(s, (SCORE_GOAL + SCORE_PROFESSION + SCORE_REGION) * MATCH_SCALE);
    }
    /* a goal written three times is one goal, and an unknown own organisation is not
     * "another" one */
    {
        struct score_person twice = *e1;
        const char *areas[] = {"digital", "Digital", "DIGITAL"};
        twice.areas = areas;
        twice.nareas = 3;
        twice.organisation = "";
        assert_int_equal(score_pair(&twice, m1, &s), SCORE_ALLOWED);
        assert_int_equal(s, (SCORE_GOAL + SCORE_PROFESSION + SCORE_REGION) * MATCH_SCALE);
        assert_why(&twice, m1, "1 goal met: digital; another profession as asked; same region");
    }
}

/* The hard rules leave the pair out, whatever it would score. */
static void test_rules(void **state)
{
    struct fixture *f = *state;
    const struct score_person *e1 = &f->e.p[0], *e2 = &f->e.p[1], *e3 = &f->e.p[2];
    const struct score_person *m1 = &f->o.p[0], *m2 = &f->o.p[1], *me1 = &f->o.p[2];
    int64_t s = -1;
    /* the same person in both files */
    assert_int_equal(score_pair(e1, me1, &s), SCORE_SAME_PERSON);
    /* m1 excludes e2 (a line manager, say) */
    assert_int_equal(score_pair(e2, m1, &s), SCORE_EXCLUDED);
    /* band: e3 is 8b, m2 is 7 and m1 8a — above both */
    assert_int_equal(score_pair(e3, m2, &s), SCORE_BAND);
    assert_int_equal(score_pair(e3, m1, &s), SCORE_BAND);
    /* a mentee at the mentor's own band is allowed; below min_band is not */
    {
        struct score_person low = *e2, same = *e2;
        low.band = 4;
        same.band = 7;
        assert_int_equal(score_pair(&low, m2, &s), SCORE_BAND);
        assert_int_equal(score_pair(&same, m2, &s), SCORE_ALLOWED);
    }
    /* no goal in common */
    assert_int_equal(score_pair(e2, &f->o.p[3], &s), SCORE_NO_GOAL);
    assert_string_equal(score_rule_text(SCORE_EXCLUDED), "excluded by the mentor");
}

static void expect_error(bool mentors, const char *csv, const char *want)
{
    struct arena *a = arena_new();
    struct score_people p;
    char err[256];
    assert_int_equal(score_read_people(a, mentors, "f.csv", csv, strlen(csv), &p, err, sizeof err),
                     APP_E_INVALID);
    if (strcmp(err, want) != 0)
        fail_msg("got \"%s\", want \"%s\"", err, want);
    arena_free(a);
}

static void test_read_errors(void **state)
{
    static const char H[] = "id,name,profession,region,organisation,band,goals\n";
    static const char O[] = "id,name,profession,region,organisation,band,offers,capacity\n";
    char csv[512];
    (void)state;
    expect_error(false, "id,name,profession,region,organisation,goals\n",
                 "f.csv:1: the header has no column \"band\"");
    expect_error(false, "", "f.csv:1: the file is empty (a header row is needed)");
    snprintf(csv, sizeof csv, "%sx,X,p,r,o,6,g\n,Y,p,r,o,6,g\n", H);
    expect_error(false, csv, "f.csv:3: the id is empty");
    snprintf(csv, sizeof csv, "%sx,X,p,r,o,6,g\ny,Y,p,r,o,12,g\n", H);
    expect_error(false, csv, "f.csv:3: band \"12\" is not a band (1 to 7, 8a to 8d, 9)");
    snprintf(csv, sizeof csv, "%sx,X,p,r,o,6,g\ny,Y,p,r,o,6,g\nx,Z,p,r,o,6,g\n", H);
    expect_error(false, csv, "f.csv:4: id \"x\" is already used on line 2");
    snprintf(csv, sizeof csv, "%s,preference\nx,X,p,r,o,6,g,other\n",
             "id,name,profession,region,organisation,band,goals");
    expect_error(false, csv,
                 "f.csv:2: preference \"other\" is not another-profession, any or same");
    snprintf(csv, sizeof csv, "%s,outside_org\nx,X,p,r,o,6,g,maybe\n",
             "id,name,profession,region,organisation,band,goals");
    expect_error(false, csv, "f.csv:2: outside_org \"maybe\" is not yes or no");
    snprintf(csv, sizeof csv, "%sm,M,p,r,o,7,g,two\n", O);
    expect_error(true, csv, "f.csv:2: capacity \"two\" is not a whole number from 0 to 100000");
    snprintf(csv, sizeof csv, "%sm,M,p,r,o,7,g,1\nn,\"N,p,r,o,7,g,1\n", O);
    expect_error(true, csv, "f.csv:3: unterminated quoted field");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_factors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test(test_read_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
