/* joint_check_test.c: the counts and every domain's counts of answerers checked as one
 * system (src/assess/joint_check.c), on rounds too large for a dense matrix
 *
 * benchmark_test checks the whole benchmark against an attacker of its own on small
 * populations. This test gives the joint check its input directly, so a round can be as
 * large as a national one without that attacker's cost: the equations number tens of
 * thousands and the shown figures two thousand, and a figure that only every domain at once
 * gives away must still be found, not left to a check of one domain at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "assess/joint_check.h"
#include "core/err.h"
#include "core/rand.h"

#define NPROF  15
#define NREG   7
#define NORG   50
#define NCOLS  16 /* at most */
#define NCELLS ((NPROF + 1) * (NREG + 1))

/* A round and what the audits before the joint check hid (false: shown), all of it here. */
struct round {
    size_t n;
    uint32_t *grp[AD_NDIMS];
    unsigned char *scored[NCOLS];
    bool count_dim[AD_NDIMS][NORG + 1], count_cell[NCELLS];
    bool col_dim[NCOLS][AD_NDIMS][NORG + 1], col_cell[NCOLS][NCELLS];
    struct joint_col cols[NCOLS];
    struct joint_in in;
};

static void person(struct round *r, uint32_t prof, uint32_t reg, uint32_t org, uint32_t band,
                   unsigned cols)
{
    size_t i = r->n++;
    r->grp[AD_PROFESSION][i] = prof;
    r->grp[AD_REGION][i] = reg;
    r->grp[AD_ORGANISATION][i] = org;
    r->grp[AD_BAND][i] = band;
    for (size_t t = 0; t < r->in.ncols; t++)
        r->scored[t][i] = cols >> t & 1;
}

/* A round of ncols columns (domains) and nband pay bands. Everyone in profession 0 to 4,
 * region 0, organisation 0 and band 0 and no one else there:
 * professions 0 and 1 (four people each) answered domain a (column 0) and not b (column 1),
 * 2 and 3 (four each) b and not a, and profession 4 is one person who answered both; every
 * other domain all of them. Their professions' counts, cells and ns are hidden (fewer than
 * 7); the region's, organisation's and band's are shown (17, and 9 answering each of a and b).
 * Then n(a) + n(b) − count in region 0 is 9 + 9 − 17: profession 4, one person. One domain
 * with the counts gives only professions 0, 1 and 4 together (or 2, 3 and 4).
 * Beside them, `others` respondents in professions 5 to 14 and every other region,
 * organisation and band, each scored in each domain with a chance of `answer` (many different
 * sets of domains), all their figures shown. */
static struct round *make_round(size_t others, size_t ncols, uint32_t nband, double answer,
                                uint64_t seed)
{
    struct round *r = calloc(1, sizeof *r);
    size_t cap = others + 17;
    unsigned rest = ((1u << ncols) - 1) & ~3u;
    struct rng g;

    assert_non_null(r);
    assert_true(ncols <= NCOLS && nband <= NORG);
    r->in.ncols = ncols;
    for (int d = 0; d < AD_NDIMS; d++)
        assert_non_null(r->grp[d] = calloc(cap, sizeof *r->grp[d]));
    for (size_t t = 0; t < ncols; t++)
        assert_non_null(r->scored[t] = calloc(cap, 1));
    for (int k = 0; k < 4; k++) {
        person(r, 0, 0, 0, 0, rest | 1);
        person(r, 1, 0, 0, 0, rest | 1);
        person(r, 2, 0, 0, 0, rest | 2);
        person(r, 3, 0, 0, 0, rest | 2);
    }
    person(r, 4, 0, 0, 0, rest | 3);
    rng_seed(&g, seed);
    for (size_t i = 0; i < others; i++) {
        unsigned cols = 0;
        for (size_t t = 0; t < ncols; t++)
            cols |= (unsigned)(rng_double(&g) < answer) << t;
        person(r, 5 + (uint32_t)rng_below(&g, NPROF - 5), 1 + (uint32_t)rng_below(&g, NREG - 1),
               1 + (uint32_t)rng_below(&g, NORG - 1), 1 + (uint32_t)rng_below(&g, nband - 1), cols);
    }
    for (uint32_t p = 0; p <= 4; p++) {
        r->count_dim[AD_PROFESSION][p] = true;
        r->count_cell[p * (NREG + 1)] = true;
        for (size_t t = 0; t < ncols; t++) {
            r->col_dim[t][AD_PROFESSION][p] = true;
            r->col_cell[t][p * (NREG + 1)] = true;
        }
    }
    r->in.n = r->n;
    r->in.ngroups[AD_PROFESSION] = NPROF;
    r->in.ngroups[AD_REGION] = NREG;
    r->in.ngroups[AD_ORGANISATION] = NORG;
    r->in.ngroups[AD_BAND] = nband;
    for (int d = 0; d < AD_NDIMS; d++) {
        r->in.grp[d] = r->grp[d];
        r->in.count_dim[d] = r->count_dim[d];
    }
    r->in.count_cell = r->count_cell;
    for (size_t t = 0; t < ncols; t++) {
        r->cols[t].scored = r->scored[t];
        for (int d = 0; d < AD_NDIMS; d++)
            r->cols[t].dim[d] = r->col_dim[t][d];
        r->cols[t].cell = r->col_cell[t];
    }
    r->in.cols = r->cols;
    return r;
}

static void free_round(struct round *r)
{
    for (int d = 0; d < AD_NDIMS; d++)
        free(r->grp[d]);
    for (size_t t = 0; t < NCOLS; t++)
        free(r->scored[t]); /* NULL beyond ncols */
    free(r);
}

/* The n the check names is a stated group's, a cell's or the national one, in a column, and
 * shown. */
static void assert_names_a_shown_n(const struct round *r, size_t col, int d, uint32_t g)
{
    assert_true(col < r->in.ncols);
    if (d == JOINT_TOTAL)
        return;
    if (d == JOINT_CELL) {
        assert_true(g < NCELLS);
        assert_false(r->col_cell[col][g]);
        return;
    }
    assert_true(d >= 0 && d < AD_NDIMS);
    assert_true(g < r->in.ngroups[d]);
    assert_false(r->col_dim[col][d][g]);
}

/* Found on its own, and found among 8,000 others with 8 domains and 200 or so sets of them
 * answered: 7,849 equations on 1,982 unknowns, which held as one matrix is 15.5 million
 * entries, beyond the check's 2^23 (8.4 million; the size at which it used to give up, and
 * the benchmark checked one domain at a time, which does not see it). */
static void test_two_domains_found_in_a_large_round(void **state)
{
    (void)state;
    size_t sizes[] = {0, 8000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        struct round *r = make_round(sizes[s], 8, 12, 0.85, 20261207);
        bool more = false;
        size_t col = 99;
        int d = -1;
        uint32_t g = 99;
        assert_int_equal(assess_joint_check(&r->in, &more, &col, &d, &g), 0);
        assert_true(more);
        assert_names_a_shown_n(r, col, d, g);
        /* one domain at a time (the check given only a, then only b) sees nothing */
        for (size_t t = 0; t < 2; t++) {
            struct joint_in one = r->in;
            one.ncols = 1;
            one.cols = &r->cols[t];
            assert_int_equal(assess_joint_check(&one, &more, &col, &d, &g), 0);
            assert_false(more);
        }
        free_round(r);
    }
}

/* The same among 1,400 others who answer 16 domains each with a chance of a half, in 50 pay
 * bands: nearly as many different sets of domains answered. Tables of every (cell, band, set)
 * slot would hold 128 × 51 × that, past the 2^23 at which the check used to give up before
 * solving anything; its tables now hold only the combinations someone is in. */
static void test_two_domains_found_among_many_sets(void **state)
{
    struct round *r = make_round(1400, 16, 50, 0.5, 20261209);
    bool more = false;
    size_t col = 99;
    int d = -1;
    uint32_t g = 99;
    (void)state;
    assert_int_equal(assess_joint_check(&r->in, &more, &col, &d, &g), 0);
    assert_true(more);
    assert_names_a_shown_n(r, col, d, g);
    free_round(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_domains_found_in_a_large_round),
        cmocka_unit_test(test_two_domains_found_among_many_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
