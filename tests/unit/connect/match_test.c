/* match_test.c: the mentoring assignment — known optima where greedy fails, the brute-force
 * optimum on 3,000 random small instances in every solving mode, the first formulation's
 * total on medium instances, the rules, integer scores at their limits, determinism,
 * reasons, alternatives, and the time on 1,000 mentees × 300 mentors with 30 pairs each */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect/match.h"
#include "core/err.h"
#include "core/rand.h"

#define P(x) ((int64_t)((x)*MATCH_SCALE))

/* Every rule an assignment must keep: only listed pairs that score above 0, each mentee
 * once, capacities, the reported scores, total and count are those of the pairs. */
static void assert_valid(const struct match_problem *p, const struct match_result *r)
{
    uint32_t *load = calloc(p->nmentors ? p->nmentors : 1, sizeof *load);
    size_t *first = calloc(p->nmentees + 1, sizeof *first), *at, *byi;
    int64_t total = 0;
    size_t matched = 0;
    assert_non_null(load);
    assert_non_null(first);
    /* the pairs grouped by mentee, so each match is looked up among its mentee's pairs */
    for (size_t e = 0; e < p->npairs; e++)
        first[p->pairs[e].mentee + 1]++;
    for (size_t i = 0; i < p->nmentees; i++)
        first[i + 1] += first[i];
    at = calloc(p->nmentees + 1, sizeof *at);
    byi = malloc((p->npairs ? p->npairs : 1) * sizeof *byi);
    assert_non_null(at);
    assert_non_null(byi);
    for (size_t e = 0; e < p->npairs; e++)
        byi[first[p->pairs[e].mentee] + at[p->pairs[e].mentee]++] = e;
    for (size_t i = 0; i < p->nmentees; i++) {
        int32_t j = r->mentor[i];
        bool listed = false;
        if (j < 0) {
            assert_int_not_equal(r->reason[i], MATCH_MATCHED);
            assert_int_equal(r->score[i], 0);
            continue;
        }
        assert_int_equal(r->reason[i], MATCH_MATCHED);
        for (size_t k = first[i]; k < first[i + 1]; k++) {
            const struct match_pair *q = &p->pairs[byi[k]];
            if ((int32_t)q->mentor == j) {
                listed = true;
                assert_int_equal(r->score[i], q->score);
                assert_true(q->score > 0);
            }
        }
        assert_true(listed);
        load[j]++;
        total += r->score[i];
        matched++;
    }
    for (size_t j = 0; j < p->nmentors; j++)
        assert_true(load[j] <= p->capacity[j]);
    assert_int_equal(total, r->total);
    assert_int_equal(matched, r->matched);
    free(load);
    free(first);
    free(at);
    free(byi);
}

/* The best total by trying every assignment: each mentee to each of its positive pairs or
 * to no one, with capacities tracked. */
static int64_t brute(const struct match_problem *p, size_t i, uint32_t *load)
{
    int64_t best;
    if (i == p->nmentees)
        return 0;
    best = brute(p, i + 1, load); /* i unmatched */
    for (size_t e = 0; e < p->npairs; e++) {
        const struct match_pair *q = &p->pairs[e];
        if (q->mentee != i || q->score <= 0 || load[q->mentor] >= p->capacity[q->mentor])
            continue;
        load[q->mentor]++;
        int64_t v = q->score + brute(p, i + 1, load);
        load[q->mentor]--;
        if (v > best)
            best = v;
    }
    return best;
}

/* A likes M1 10, M2 9; B likes M1 9 only. Greedy (best pair first) gives A–M1 = 10 and
 * leaves B alone; the optimum is A–M2, B–M1 = 18. */
static void test_greedy_is_wrong(void **state)
{
    const uint32_t cap[] = {1, 1};
    const struct match_pair pairs[] = {{0, 0, P(10)}, {0, 1, P(9)}, {1, 0, P(9)}};
    struct match_problem p = {2, 2, cap, pairs, 3};
    struct match_result r;
    (void)state;
    assert_int_equal(match_solve(&p, &r), APP_OK);
    assert_valid(&p, &r);
    assert_int_equal(r.total, P(18));
    assert_int_equal(r.mentor[0], 1);
    assert_int_equal(r.mentor[1], 0);
    /* A's next best is M1 (the matched M2 is left out); B has no other */
    assert_int_equal(r.nalt[0], 1);
    assert_int_equal(r.alt[0].mentor, 0);
    assert_int_equal(r.alt[0].score, P(10));
    assert_int_equal(r.nalt[1], 0);
    match_result_free(&r);
}

/* Three mentees competing for two mentors: the optimum (10 + 9.5) beats matching all three
 * (10 + 1 + 7), and the one left out is told its mentors are full with better-scoring
 * mentees. Then capacity 2 lets one mentor take the best two of three, and a mentor who takes
 * no one is never used, however well they score. */
static void test_chain_and_capacity(void **state)
{
    const uint32_t cap1[] = {1, 1, 1};
    const struct match_pair chain[] = {
        {0, 0, P(10)}, {0, 1, P(8)}, {1, 0, P(9)}, {1, 1, P(9.5)}, {1, 2, P(1)}, {2, 1, P(7)},
    };
    struct match_problem p = {3, 3, cap1, chain, 6};
    struct match_result r;
    const uint32_t cap2[] = {2, 0};
    const struct match_pair two[] = {{0, 0, P(3)}, {1, 0, P(4)}, {2, 0, P(5)}, {2, 1, P(50)}};
    struct match_problem q = {3, 2, cap2, two, 4};
    (void)state;
    assert_int_equal(match_solve(&p, &r), APP_OK);
    assert_valid(&p, &r);
    assert_int_equal(r.total, P(19.5));
    assert_int_equal(r.mentor[0], 0);
    assert_int_equal(r.mentor[1], 1);
    assert_int_equal(r.mentor[2], -1);
    assert_int_equal(r.reason[2], MATCH_MENTORS_FULL);
    match_result_free(&r);
    /* mentor 1 takes no one: its 50 cannot be had; mentor 0 takes the best two */
    assert_int_equal(match_solve(&q, &r), APP_OK);
    assert_valid(&q, &r);
    assert_int_equal(r.total, P(9));
    assert_int_equal(r.mentor[0], -1);
    assert_int_equal(r.reason[0], MATCH_MENTORS_FULL);
    assert_int_equal(r.mentor[1], 0);
    assert_int_equal(r.mentor[2], 0);
    assert_int_equal(r.nalt[2], 0); /* a mentor who takes no one is no alternative */
    match_result_free(&r);
}

/* Reasons: no pair at all, only non-positive pairs, and mentors full. */
static void test_reasons(void **state)
{
    const uint32_t cap[] = {1, 1};
    const struct match_pair pairs[] = {{1, 0, 0}, {1, 1, P(-2)}, {2, 0, P(5)}, {3, 0, P(4)}};
    struct match_problem p = {4, 2, cap, pairs, 4};
    struct match_result r;
    (void)state;
    assert_int_equal(match_solve(&p, &r), APP_OK);
    assert_valid(&p, &r);
    assert_int_equal(r.reason[0], MATCH_NO_PAIR);
    assert_int_equal(r.reason[1], MATCH_NO_POSITIVE);
    assert_int_equal(r.reason[2], MATCH_MATCHED);
    assert_int_equal(r.reason[3], MATCH_MENTORS_FULL);
    assert_int_equal(r.total, P(5));
    assert_string_equal(match_reason_text(MATCH_NO_PAIR), "no allowed mentor");
    match_result_free(&r);
}

/* The next best five: by score, then mentor index, the matched one left out, six offered. */
static void test_alternatives(void **state)
{
    const uint32_t cap[] = {1, 1, 1, 1, 1, 1, 1, 1};
    const struct match_pair pairs[] = {
        {0, 7, P(1)}, {0, 0, P(3)}, {0, 1, P(9)}, {0, 2, P(3)},
        {0, 3, P(5)}, {0, 4, P(2)}, {0, 5, P(7)}, {0, 6, 0},
    };
    struct match_problem p = {1, 8, cap, pairs, 8};
    struct match_result r;
    const uint32_t want[] = {5, 3, 0, 2, 4};
    (void)state;
    assert_int_equal(match_solve(&p, &r), APP_OK);
    assert_int_equal(r.mentor[0], 1);
    assert_int_equal(r.nalt[0], 5);
    for (int k = 0; k < 5; k++)
        assert_int_equal(r.alt[k].mentor, want[k]);
    match_result_free(&r);
}

static void test_invalid(void **state)
{
    const uint32_t cap[] = {1};
    const uint32_t big[] = {MATCH_CAPACITY_MAX + 1};
    const struct match_pair dup[] = {{0, 0, P(1)}, {0, 0, P(2)}};
    const struct match_pair out[] = {{0, 1, P(1)}};
    const struct match_pair huge[] = {{0, 0, MATCH_SCORE_MAX + 1}};
    struct match_problem p = {1, 1, cap, dup, 2};
    struct match_result r;
    int64_t v;
    char buf[32];
    (void)state;
    assert_int_equal(match_solve(&p, &r), APP_E_INVALID);
    p.pairs = out;
    p.npairs = 1;
    assert_int_equal(match_solve(&p, &r), APP_E_INVALID);
    p.pairs = huge;
    assert_int_equal(match_solve(&p, &r), APP_E_INVALID);
    p.pairs = dup;
    p.capacity = big;
    assert_int_equal(match_solve(&p, &r), APP_E_INVALID);
    /* nothing to match is not an error */
    p.nmentees = 0;
    p.npairs = 0;
    p.capacity = cap;
    assert_int_equal(match_solve(&p, &r), APP_OK);
    assert_int_equal(r.total, 0);
    match_result_free(&r);
    /* scores: decimals rounded to thousandths, written back without trailing zeros */
    assert_true(match_parse_score("9.5", &v) && v == 9500);
    assert_true(match_parse_score("-0.125", &v) && v == -125);
    assert_true(match_parse_score("0.33333", &v) && v == 333);
    assert_true(match_parse_score("1e2", &v) && v == 100000);
    assert_false(match_parse_score("score", &v));
    assert_false(match_parse_score("nan", &v));
    assert_false(match_parse_score("", &v));
    assert_false(match_parse_score("10001", &v));
    assert_string_equal(match_format_score(18000, buf, sizeof buf), "18");
    assert_string_equal(match_format_score(9500, buf, sizeof buf), "9.5");
    assert_string_equal(match_format_score(-125, buf, sizeof buf), "-0.125");
    assert_string_equal(match_format_score(-5000, buf, sizeof buf), "-5");
}

static const unsigned modes[] = {0, MATCH_ALL_COLUMNS, MATCH_EXACT_ALWAYS,
                                 MATCH_ALL_COLUMNS | MATCH_EXACT_ALWAYS};

/* 3,000 random instances up to 6 mentees × 5 mentors, capacities 0–3 (0 now and then),
 * sparse pairs, some scores zero or negative, half of them with many ties: in every solving
 * mode the total is the brute-force optimum and every rule holds. The default mode had to
 * price pairs in (more than one round) on some of them, so that path is what is tested. */
static void test_random_against_brute_force(void **state)
{
    struct rng g;
    int unmatched_full = 0, ties = 0, priced = 0, cap0 = 0;
    (void)state;
    rng_seed(&g, 20261206);
    for (int it = 0; it < 3000; it++) {
        uint32_t cap[5], load[5] = {0};
        struct match_pair pairs[30];
        struct match_problem p;
        size_t np = 0;
        int64_t best;
        p.nmentees = 1 + rng_below(&g, 6);
        p.nmentors = 1 + rng_below(&g, 5);
        for (size_t j = 0; j < p.nmentors; j++) {
            cap[j] = rng_below(&g, 10) ? 1 + (uint32_t)rng_below(&g, 3) : 0;
            cap0 += cap[j] == 0;
        }
        for (size_t i = 0; i < p.nmentees; i++)
            for (size_t j = 0; j < p.nmentors; j++) {
                if (rng_below(&g, 100) < 40)
                    continue;
                /* half the instances draw from few values, so equal totals abound */
                int64_t sc = (it & 1) ? (int64_t)rng_below(&g, 4) * 1000
                                      : (int64_t)rng_below(&g, 20001) - 2000;
                pairs[np++] = (struct match_pair){(uint32_t)i, (uint32_t)j, sc};
            }
        p.capacity = cap;
        p.pairs = pairs;
        p.npairs = np;
        best = brute(&p, 0, load);
        for (size_t k = 0; k < sizeof modes / sizeof *modes; k++) {
            struct match_result r;
            struct match_stats st;
            assert_int_equal(match_solve_with(&p, modes[k], &r, &st), APP_OK);
            assert_valid(&p, &r);
            assert_int_equal(r.total, best);
            assert_true(st.columns <= st.usable);
            if (modes[k] & MATCH_ALL_COLUMNS)
                assert_int_equal(st.columns, st.usable);
            /* glp_exact runs when asked, and there is a programme to run it on */
            assert_int_equal(st.exact, (modes[k] & MATCH_EXACT_ALWAYS) && st.usable);
            if (!modes[k]) {
                priced += st.rounds > 1;
                for (size_t i = 0; i < p.nmentees; i++)
                    unmatched_full += r.reason[i] == MATCH_MENTORS_FULL;
            }
            match_result_free(&r);
        }
        ties += (it & 1);
    }
    /* the instances did exercise full mentors, pricing and closed mentors, not only easy
     * cases */
    assert_true(unmatched_full > 400);
    assert_true(priced > 100);
    assert_true(cap0 > 400);
    assert_true(ties == 1500);
}

/* A random round of m mentees, n mentors, per pairs each (distinct mentors), capacities
 * 0–3; scores 1–40 points, or from {-1, 0, 1, 2, 3} points when tied (many equal totals). */
static struct match_pair *random_round(struct rng *g, size_t m, size_t n, size_t per, bool tied,
                                       uint32_t *cap, struct match_problem *p)
{
    struct match_pair *pairs = malloc(m * per * sizeof *pairs);
    assert_non_null(pairs);
    *p = (struct match_problem){m, n, cap, pairs, 0};
    for (size_t j = 0; j < n; j++)
        cap[j] = (uint32_t)rng_below(g, 4);
    for (size_t i = 0; i < m; i++) {
        size_t start = (size_t)rng_below(g, n);
        for (size_t k = 0; k < per; k++) { /* stride 7 over n mentors, n not a multiple of 7 */
            int64_t sc = tied ? ((int64_t)rng_below(g, 5) - 1) * MATCH_SCALE
                              : (int64_t)rng_below(g, 40000) + 1;
            pairs[p->npairs++] =
                (struct match_pair){(uint32_t)i, (uint32_t)((start + k * 7) % n), sc};
        }
    }
    return pairs;
}

/* Medium rounds, too big to enumerate: the total is the first formulation's (every pair in
 * the programme, simplex, glp_exact), and so is every mode's; the default needed only part
 * of the pairs. */
static void test_same_total_as_first_formulation(void **state)
{
    struct rng g;
    (void)state;
    rng_seed(&g, 17);
    for (int it = 0; it < 8; it++) {
        const size_t m = it < 7 ? 400 : 2000, n = it < 7 ? 120 : 600, per = it < 7 ? 20 : 30;
        uint32_t *cap = malloc(n * sizeof *cap);
        struct match_problem p;
        struct match_pair *pairs;
        struct match_result ref;
        struct match_stats st;
        assert_non_null(cap);
        pairs = random_round(&g, m, n, per, it % 2 == 1, cap, &p);
        assert_int_equal(match_solve_with(&p, MATCH_ALL_COLUMNS | MATCH_EXACT_ALWAYS, &ref, &st),
                         APP_OK);
        assert_valid(&p, &ref);
        assert_int_equal(st.columns, st.usable);
        assert_true(ref.total > 0);
        for (size_t k = 0; k < 3; k++) {
            struct match_result r;
            assert_int_equal(match_solve_with(&p, modes[k], &r, &st), APP_OK);
            assert_valid(&p, &r);
            assert_int_equal(r.total, ref.total);
            if (!modes[k] && it % 2 == 0) {
                /* distinct scores: pricing kept the programme to a part of the pairs */
                assert_true(st.rounds > 1);
                assert_true(st.columns < st.usable / 2);
                assert_false(st.exact);
            }
            match_result_free(&r);
        }
        match_result_free(&ref);
        free(pairs);
        free(cap);
    }
}

/* Scores at the limits of the integer scale, in 500 copies of the greedy trap: A–X at the
 * top score (10,000 points), A–Y and B–X 0.001 below it; greedy takes A–X and leaves B, the
 * optimum is A–Y, B–X. In every other copy B may also take Y, 0.001 below the top: then
 * A–X, B–Y wins, by a single thousandth. The totals, near 10^10 thousandths, come out to
 * the last thousandth. One beyond the limit, a score is refused and the result left empty;
 * at the negative limit it is accepted and never made. */
static void test_integer_limits(void **state)
{
    const size_t copies = 500;
    uint32_t *cap = malloc(2 * copies * sizeof *cap);
    struct match_pair *pairs = malloc(4 * copies * sizeof *pairs);
    struct match_problem p = {2 * copies, 2 * copies, cap, pairs, 0};
    struct match_result r;
    const uint32_t one[] = {1, 1};
    (void)state;
    assert_non_null(cap);
    assert_non_null(pairs);
    for (uint32_t c = 0; c < copies; c++) {
        uint32_t a = 2 * c, b = 2 * c + 1, x = 2 * c, y = 2 * c + 1;
        cap[x] = cap[y] = 1;
        pairs[p.npairs++] = (struct match_pair){a, x, MATCH_SCORE_MAX};
        pairs[p.npairs++] = (struct match_pair){a, y, MATCH_SCORE_MAX - 1};
        pairs[p.npairs++] = (struct match_pair){b, x, MATCH_SCORE_MAX - 1};
        if (c % 2)
            pairs[p.npairs++] = (struct match_pair){b, y, MATCH_SCORE_MAX - 1};
    }
    for (size_t k = 0; k < sizeof modes / sizeof *modes; k++) {
        assert_int_equal(match_solve_with(&p, modes[k], &r, NULL), APP_OK);
        assert_valid(&p, &r);
        assert_int_equal(r.matched, 2 * copies);
        assert_int_equal(r.total, (int64_t)copies / 2 * (2 * MATCH_SCORE_MAX - 2) +
                                      (int64_t)copies / 2 * (2 * MATCH_SCORE_MAX - 1));
        for (uint32_t c = 0; c < copies; c++) {
            assert_int_equal(r.mentor[2 * c], (int32_t)(c % 2 ? 2 * c : 2 * c + 1));
            assert_int_equal(r.mentor[2 * c + 1], (int32_t)(c % 2 ? 2 * c + 1 : 2 * c));
        }
        match_result_free(&r);
    }
    /* one beyond the limit, either sign: refused, the result empty */
    {
        const struct match_pair over[] = {{0, 0, P(1)}, {1, 1, MATCH_SCORE_MAX + 1}};
        const struct match_pair under[] = {{0, 0, -MATCH_SCORE_MAX - 1}};
        struct match_problem q = {2, 2, one, over, 2};
        assert_int_equal(match_solve(&q, &r), APP_E_INVALID);
        assert_null(r.mentor);
        assert_int_equal(r.total, 0);
        q.pairs = under;
        q.npairs = 1;
        assert_int_equal(match_solve(&q, &r), APP_E_INVALID);
        assert_null(r.mentor);
    }
    /* at the negative limit: accepted, never made */
    {
        const struct match_pair low[] = {{0, 0, -MATCH_SCORE_MAX}, {1, 1, 0}};
        struct match_problem q = {2, 2, one, low, 2};
        struct match_stats st;
        assert_int_equal(match_solve_with(&q, 0, &r, &st), APP_OK);
        assert_int_equal(r.matched, 0);
        assert_int_equal(r.total, 0);
        assert_int_equal(r.reason[0], MATCH_NO_POSITIVE);
        assert_int_equal(st.usable, 0);
        assert_int_equal(st.rounds, 0); /* nothing to solve: GLPK is not called */
        match_result_free(&r);
        assert_int_equal(match_solve_with(&q, 4, &r, NULL), APP_E_INVALID); /* unknown flag */
    }
    free(cap);
    free(pairs);
}

/* Every pair scores the same, so the best total is the most pairs that can be made: a
 * chain of 300 mentees, mentee i allowed mentors i and i+1, the last mentor taking no one.
 * Each of the 299 open mentors gets one mentee. */
static void test_all_equal(void **state)
{
    enum { N = 300 };
    uint32_t cap[N];
    struct match_pair pairs[2 * N];
    struct match_problem p = {N, N, cap, pairs, 0};
    struct match_result r;
    (void)state;
    for (uint32_t j = 0; j < N; j++)
        cap[j] = j == N - 1 ? 0 : 1;
    for (uint32_t i = 0; i < N; i++) {
        pairs[p.npairs++] = (struct match_pair){i, i, P(2)};
        if (i + 1 < N)
            pairs[p.npairs++] = (struct match_pair){i, i + 1, P(2)};
    }
    for (size_t k = 0; k < sizeof modes / sizeof *modes; k++) {
        assert_int_equal(match_solve_with(&p, modes[k], &r, NULL), APP_OK);
        assert_valid(&p, &r);
        assert_int_equal(r.matched, N - 1);
        assert_int_equal(r.total, P(2) * (N - 1));
        match_result_free(&r);
    }
}

/* The same pairs in another order give the same assignment, even where every pair scores
 * alike and many assignments are optimal. */
static void test_deterministic(void **state)
{
    struct rng g;
    (void)state;
    rng_seed(&g, 7);
    for (int it = 0; it < 20; it++) {
        uint32_t cap[10];
        struct match_pair pairs[400];
        struct match_problem p = {40, 10, cap, pairs, 0};
        struct match_result a, b;
        for (size_t j = 0; j < 10; j++)
            cap[j] = 1 + (uint32_t)rng_below(&g, 3);
        for (uint32_t i = 0; i < 40; i++)
            for (uint32_t j = 0; j < 10; j++)
                if (rng_below(&g, 2))
                    pairs[p.npairs++] = (struct match_pair){i, j, (it % 2) ? P(1) : P(1 + j % 3)};
        assert_int_equal(match_solve(&p, &a), APP_OK);
        for (size_t e = p.npairs; e > 1; e--) { /* Fisher–Yates */
            size_t k = (size_t)rng_below(&g, e);
            struct match_pair t = pairs[e - 1];
            pairs[e - 1] = pairs[k];
            pairs[k] = t;
        }
        assert_int_equal(match_solve(&p, &b), APP_OK);
        assert_memory_equal(a.mentor, b.mentor, 40 * sizeof *a.mentor);
        assert_memory_equal(a.alt, b.alt, 40 * MATCH_ALTERNATIVES * sizeof *a.alt);
        assert_int_equal(a.total, b.total);
        match_result_free(&a);
        match_result_free(&b);
    }
}

static int by_score_desc(const void *x, const void *y)
{
    const struct match_pair *a = x, *b = y;
    return a->score > b->score ? -1 : a->score < b->score ? 1 : 0;
}

/* Greedy, best pair first: the comparison anchor for the time figure. */
static int64_t greedy(const struct match_problem *p)
{
    struct match_pair *s = malloc(p->npairs * sizeof *s);
    uint32_t *load = calloc(p->nmentors, sizeof *load);
    bool *done = calloc(p->nmentees, sizeof *done);
    int64_t total = 0;
    assert_true(s && load && done);
    memcpy(s, p->pairs, p->npairs * sizeof *s);
    qsort(s, p->npairs, sizeof *s, by_score_desc);
    for (size_t e = 0; e < p->npairs; e++)
        if (s[e].score > 0 && !done[s[e].mentee] && load[s[e].mentor] < p->capacity[s[e].mentor]) {
            done[s[e].mentee] = true;
            load[s[e].mentor]++;
            total += s[e].score;
        }
    free(s);
    free(load);
    free(done);
    return total;
}

/* 1,000 mentees × 300 mentors, 30 candidate pairs each, capacities 1–3: prints the time (one
 * JSON line on stderr) and checks the optimum is valid and at least the greedy total. */
static void test_bench_1000x300(void **state)
{
    const size_t m = 1000, n = 300, per = 30;
    struct match_pair *pairs = malloc(m * per * sizeof *pairs);
    uint32_t cap[300];
    struct match_problem p = {m, n, cap, pairs, 0};
    struct match_result r;
    struct timespec t0, t1;
    struct rng g;
    int64_t gr;
    double ms;
    (void)state;
    assert_non_null(pairs);
    rng_seed(&g, 42);
    for (size_t j = 0; j < n; j++)
        cap[j] = 1 + (uint32_t)rng_below(&g, 3);
    for (uint32_t i = 0; i < m; i++) {
        uint32_t start = (uint32_t)rng_below(&g, n);
        for (uint32_t k = 0; k < per; k++) /* 30 distinct mentors */
            pairs[p.npairs++] =
                (struct match_pair){i, (start + k * 7) % 300, (int64_t)rng_below(&g, 40000) + 1};
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(match_solve(&p, &r), APP_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    gr = greedy(&p);
    assert_true(r.total >= gr);
    fprintf(stderr,
            "{\"bench\":\"match_1000x300\",\"pairs\":%zu,\"ms\":%.1f,\"matched\":%zu,"
            "\"total\":%lld,\"greedy_total\":%lld}\n",
            p.npairs, ms, r.matched, (long long)r.total, (long long)gr);
    match_result_free(&r);
    free(pairs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_greedy_is_wrong),
        cmocka_unit_test(test_chain_and_capacity),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_alternatives),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_random_against_brute_force),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bench_1000x300),
        cmocka_unit_test(test_same_total_as_first_formulation),
        cmocka_unit_test(test_integer_limits),
        cmocka_unit_test(test_all_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
