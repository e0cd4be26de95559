/* sets_test.c: the split into action learning sets — the size rule for every cohort size,
 * and on hundreds of random cohorts (few or many professions and organisations, unknown
 * values, keep-apart pairs): every set holds 5 to 8, no keep-apart pair shares a set, the
 * same seed gives the same split, and the diversity score is never below a random split of
 * the same people; then hand moves, a cohort that cannot be split, and the score's values */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/sets.h"
#include "core/err.h"
#include "core/rand.h"

/* Every set of the split holds 5 to 8 people and the sizes are those sets_size() says. */
static void assert_sizes(size_t n, const uint32_t *set_of, size_t k)
{
    size_t *count = calloc(k, sizeof *count), at_size[SETS_MAX + 1] = {0}, want[SETS_MAX + 1] = {0};
    assert_non_null(count);
    for (size_t i = 0; i < n; i++) {
        assert_true(set_of[i] < k);
        count[set_of[i]]++;
    }
    for (size_t s = 0; s < k; s++) {
        assert_true(count[s] >= SETS_MIN && count[s] <= SETS_MAX);
        at_size[count[s]]++;
        want[sets_size(n, k, s)]++;
    }
    assert_memory_equal(at_size, want, sizeof want);
    free(count);
}

static void assert_apart(const uint32_t *set_of, const struct sets_pair *apart, size_t napart)
{
    for (size_t i = 0; i < napart; i++)
        if (apart[i].a != apart[i].b)
            assert_int_not_equal(set_of[apart[i].a], set_of[apart[i].b]);
}

static void test_count_for_every_size(void **state)
{
    size_t k;
    (void)state;
    for (size_t n = 0; n < 5; n++)
        assert_int_equal(sets_count(n, 6, &k), APP_E_INVALID);
    assert_int_equal(sets_count(9, 6, &k), APP_E_INVALID);
    assert_int_equal(sets_count(12, 4, &k), APP_E_INVALID);
    assert_int_equal(sets_count(12, 9, &k), APP_E_INVALID);
    for (size_t n = 5; n <= 3000; n++)
        for (int t = SETS_MIN; t <= SETS_MAX; t++) {
            if (n == 9)
                continue;
            assert_int_equal(sets_count(n, t, &k), APP_OK);
            for (size_t s = 0; s < k; s++) {
                size_t z = sets_size(n, k, s);
                assert_true(z >= SETS_MIN && z <= SETS_MAX);
            }
            /* near the target: no other valid k is strictly nearer */
            for (size_t k2 = (n + 7) / 8; k2 <= n / 5; k2++) {
                long d = labs((long)n - (long)(k * (size_t)t)),
                     d2 = labs((long)n - (long)(k2 * (size_t)t));
                assert_true(d <= d2);
            }
        }
    assert_int_equal(sets_count(1000, 6, &k), APP_OK);
    assert_int_equal(k, 167);
    assert_int_equal(sets_count(120, 6, &k), APP_OK);
    assert_int_equal(k, 20);
    assert_int_equal(sets_count(13, 6, &k), APP_OK);
    assert_int_equal(k, 2); /* 7 and 6 */
    assert_int_equal(sets_count(8, 5, &k), APP_OK);
    assert_int_equal(k, 1); /* one set of 8: two of 4 would be too small */
}

/* A random cohort: n people over np professions and no organisations, some unknown. */
static void random_people(struct rng *r, size_t n, struct sets_person *p, uint32_t np, uint32_t no)
{
    for (size_t i = 0; i < n; i++) {
        p[i].profession = rng_below(r, 20) ? (int32_t)rng_below(r, np) : SETS_UNKNOWN;
        p[i].organisation = rng_below(r, 10) ? (int32_t)rng_below(r, no) : SETS_UNKNOWN;
        p[i].region = (int32_t)rng_below(r, 7);
    }
}

static void test_random_cohorts(void **state)
{
    struct rng r;
    int better = 0, runs = 0;
    (void)state;
    rng_seed(&r, 20261206);
    for (int run = 0; run < 400; run++) {
        size_t n = 5 + (size_t)rng_below(&r, run < 350 ? 80 : 300), k, k2, kr;
        int target = SETS_MIN + (int)rng_below(&r, 4);
        uint32_t np = 1 + (uint32_t)rng_below(&r, 14), no = 1 + (uint32_t)rng_below(&r, 40);
        size_t napart = (size_t)rng_below(&r, n / 3 + 1);
        struct sets_person *p = malloc(n * sizeof *p);
        struct sets_pair *apart = malloc((napart + 1) * sizeof *apart);
        uint32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
                 *rnd = malloc(n * sizeof *rnd);
        struct sets_problem pr;
        struct sets_score sa, sr;
        int rc;
        assert_true(p && apart && a && b && rnd);
        random_people(&r, n, p, np, no);
        for (size_t i = 0; i < napart; i++) {
            apart[i].a = (uint32_t)rng_below(&r, n);
            apart[i].b = (uint32_t)rng_below(&r, n);
        }
        pr = (struct sets_problem){.n = n,
                                   .people = p,
                                   .apart = apart,
                                   .napart = napart,
                                   .target = target,
                                   .seed = rng_next(&r)};
        rc = sets_split(&pr, a, &k);
        if (n == 9) {
            assert_int_equal(rc, APP_E_INVALID);
        } else if (rc == APP_E_CONFLICT) {
            /* only one set, and a pair of two people in it */
            bool pair = false;
            for (size_t i = 0; i < napart; i++)
                pair |= apart[i].a != apart[i].b;
            assert_true(n <= SETS_MAX && pair);
        } else {
            assert_int_equal(rc, APP_OK);
            assert_sizes(n, a, k);
            assert_apart(a, apart, napart);
            /* deterministic for the seed */
            assert_int_equal(sets_split(&pr, b, &k2), APP_OK);
            assert_int_equal(k, k2);
            assert_memory_equal(a, b, n * sizeof *a);
            /* never below a random split of the same people, over several random splits */
            sets_score(n, p, a, k, &sa);
            for (uint64_t s = 1; s <= 5; s++) {
                assert_int_equal(sets_random_split(n, target, s * 7919 + (uint64_t)run, rnd, &kr),
                                 APP_OK);
                assert_int_equal(kr, k);
                assert_sizes(n, rnd, kr);
                sets_score(n, p, rnd, kr, &sr);
                assert_int_equal(sa.pairs, sr.pairs);
                assert_true(sa.clashes <= sr.clashes);
                assert_true(sa.permille >= sr.permille);
                better += sa.clashes < sr.clashes;
            }
            runs++;
        }
        free(p);
        free(apart);
        free(a);
        free(b);
        free(rnd);
    }
    assert_true(runs > 330);
    assert_true(better > runs * 4); /* strictly better in most comparisons */
}

/* Six professions and six organisations in equal numbers: a perfect mix exists and is found
 * (the local search reaches it from the greedy start). */
static void test_perfect_mix_found(void **state)
{
    struct sets_person p[36];
    uint32_t a[36];
    size_t k;
    struct sets_score s;
    struct sets_problem pr = {.n = 36, .people = p, .target = 6, .seed = 42};
    (void)state;
    for (int i = 0; i < 36; i++)
        p[i] = (struct sets_person){i / 6, (i + i / 6) % 6, 0}; /* Latin square */
    assert_int_equal(sets_split(&pr, a, &k), APP_OK);
    assert_int_equal(k, 6);
    sets_score(36, p, a, k, &s);
    assert_int_equal(s.pairs, 6 * 15);
    assert_int_equal(s.clashes, 0);
    assert_int_equal(s.permille, 1000);
    /* all one profession, one organisation: every pair clashes twice */
    for (int i = 0; i < 36; i++)
        p[i] = (struct sets_person){3, 9, 0};
    assert_int_equal(sets_split(&pr, a, &k), APP_OK);
    sets_score(36, p, a, k, &s);
    assert_int_equal(s.clashes, 2 * 90);
    assert_int_equal(s.permille, 0);
    /* unknown values never clash */
    for (int i = 0; i < 36; i++)
        p[i] = (struct sets_person){SETS_UNKNOWN, SETS_UNKNOWN, SETS_UNKNOWN};
    sets_score(36, p, a, k, &s);
    assert_int_equal(s.clashes, 0);
}

static void test_cannot_split(void **state)
{
    struct sets_person p[12] = {{0}};
    struct sets_pair apart[11];
    uint32_t a[12];
    size_t k;
    struct sets_problem pr = {.n = 4, .people = p, .target = 6, .seed = 1};
    (void)state;
    assert_int_equal(sets_split(&pr, a, &k), APP_E_INVALID); /* 4 people */
    pr.n = 9;
    assert_int_equal(sets_split(&pr, a, &k), APP_E_INVALID); /* 9: no sizes fit */
    pr.n = 12;
    pr.target = 3;
    assert_int_equal(sets_split(&pr, a, &k), APP_E_INVALID);
    /* person 0 kept apart from all eleven others: two sets, so 0 cannot go anywhere */
    for (uint32_t i = 0; i < 11; i++)
        apart[i] = (struct sets_pair){0, i + 1};
    pr.target = 6;
    pr.apart = apart;
    pr.napart = 11;
    assert_int_equal(sets_split(&pr, a, &k), APP_E_CONFLICT);
    /* a pair naming someone outside the cohort */
    apart[0] = (struct sets_pair){0, 12};
    pr.napart = 1;
    assert_int_equal(sets_split(&pr, a, &k), APP_E_INVALID);
    /* kept apart from six of eleven: the other set of six is theirs */
    for (uint32_t i = 0; i < 6; i++)
        apart[i] = (struct sets_pair){0, i + 1};
    pr.napart = 6;
    assert_int_equal(sets_split(&pr, a, &k), APP_OK);
    assert_int_equal(k, 2);
    assert_apart(a, apart, 6);
    for (uint32_t i = 7; i < 12; i++)
        assert_int_equal(a[i], a[0]);
}

/* Dense keep-apart pairs that a greedy placement trips over: the ejection and the restarts
 * still find a split where one exists. Twenty people in four sets of five; the pairs are
 * every pair within five "teams" of four, so each set must take one of each team. */
static void test_teams_apart(void **state)
{
    struct sets_person p[20];
    struct sets_pair apart[30];
    uint32_t a[20];
    size_t k, np = 0;
    (void)state;
    for (uint32_t i = 0; i < 20; i++)
        p[i] = (struct sets_person){(int32_t)(i % 3), (int32_t)(i % 2), 0};
    for (uint32_t t = 0; t < 5; t++)
        for (uint32_t x = 0; x < 4; x++)
            for (uint32_t y = x + 1; y < 4; y++)
                apart[np++] = (struct sets_pair){t * 4 + x, t * 4 + y};
    for (uint64_t seed = 0; seed < 50; seed++) {
        struct sets_problem pr = {
            .n = 20, .people = p, .apart = apart, .napart = np, .target = 5, .seed = seed};
        assert_int_equal(sets_split(&pr, a, &k), APP_OK);
        assert_int_equal(k, 4);
        assert_sizes(20, a, k);
        assert_apart(a, apart, np);
    }
}

/* A hand move is allowed only within the sizes and the keep-apart pairs; allowed moves, made
 * one after another at random, never break either rule. */
static void test_moves_keep_the_rules(void **state)
{
    struct rng r;
    struct sets_person p[40];
    struct sets_pair apart[10];
    uint32_t a[40];
    size_t k, moves = 0, refused = 0;
    (void)state;
    rng_seed(&r, 7);
    random_people(&r, 40, p, 5, 8);
    for (int i = 0; i < 10; i++)
        apart[i] = (struct sets_pair){(uint32_t)rng_below(&r, 40), (uint32_t)rng_below(&r, 40)};
    {
        struct sets_problem pr = {
            .n = 40, .people = p, .apart = apart, .napart = 10, .target = 6, .seed = 3};
        assert_int_equal(sets_split(&pr, a, &k), APP_OK);
    }
    assert_int_equal(k, 7); /* 6,6,6,6,6,5,5 */
    for (int step = 0; step < 2000; step++) {
        uint32_t who = (uint32_t)rng_below(&r, 40), to = (uint32_t)rng_below(&r, k + 1);
        int rc = sets_move_check(40, a, k, apart, 10, who, to);
        if (rc == APP_OK) {
            a[who] = to;
            moves++;
        } else {
            assert_true(rc == APP_E_INVALID || rc == APP_E_CONFLICT);
            refused++;
        }
        {
            size_t count[8] = {0};
            for (int i = 0; i < 40; i++)
                count[a[i]]++;
            for (size_t s = 0; s < k; s++)
                assert_true(count[s] >= SETS_MIN && count[s] <= SETS_MAX);
        }
        assert_apart(a, apart, 10);
    }
    assert_true(moves > 50 && refused > 50);
    /* the particular refusals */
    {
        uint32_t s[12] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
        struct sets_pair ap[1] = {{0, 6}};
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 0, 1), APP_E_CONFLICT);
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 1, 1), APP_OK);
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 1, 0), APP_E_INVALID); /* own set */
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 1, 2), APP_E_INVALID); /* no set */
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 12, 1), APP_E_INVALID);
        s[1] = 1;                                                                /* now 5 and 7 */
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 2, 1), APP_E_INVALID); /* 4 left */
        assert_int_equal(sets_move_check(12, s, 2, ap, 1, 7, 0), APP_OK);
    }
    {
        /* six and eight: nobody joins the eight */
        uint32_t s[14] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
        assert_int_equal(sets_move_check(14, s, 2, NULL, 0, 0, 1), APP_E_INVALID);
        assert_int_equal(sets_move_check(14, s, 2, NULL, 0, 6, 0), APP_OK);
    }
}

/* A thousand people into sets of six: quick, and well above a random split. */
static void test_thousand(void **state)
{
    struct rng r;
    struct sets_person *p = malloc(1000 * sizeof *p);
    uint32_t *a = malloc(1000 * sizeof *a), *rnd = malloc(1000 * sizeof *rnd);
    size_t k;
    struct sets_score sa, sr;
    (void)state;
    assert_true(p && a && rnd);
    rng_seed(&r, 99);
    random_people(&r, 1000, p, 14, 16);
    {
        struct sets_problem pr = {.n = 1000, .people = p, .target = 6, .seed = 5};
        assert_int_equal(sets_split(&pr, a, &k), APP_OK);
    }
    assert_sizes(1000, a, k);
    assert_int_equal(sets_random_split(1000, 6, 5, rnd, &k), APP_OK);
    sets_score(1000, p, a, k, &sa);
    sets_score(1000, p, rnd, k, &sr);
    assert_true(sa.permille > sr.permille);
    free(p);
    free(a);
    free(rnd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_for_every_size),
        cmocka_unit_test(test_random_cohorts),
        cmocka_unit_test(test_perfect_mix_found),
        cmocka_unit_test(test_cannot_split),
        cmocka_unit_test(test_teams_apart),
        cmocka_unit_test(test_moves_keep_the_rules),
        cmocka_unit_test(test_thousand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
