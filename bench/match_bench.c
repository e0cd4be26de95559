/* match_bench.c: time of the exact mentoring assignment, against a greedy assignment
 *
 * Random rounds: each mentee has `per` distinct candidate mentors (a run of mentors from a
 * random start, stride 7, so candidates overlap between mentees), scores 0.001 to 40 points,
 * capacities 1 to 3. Sizes: 1,000 × 300 × 30, 5,000 × 1,000 × 30, and the benchmark
 * 10,000 × 3,000 × 50 (candidate pairs pruned to the best 50 per mentee) with its 2 s
 * target; or one size from the command line: match_bench MENTEES MENTORS PAIRS_PER_MENTEE.
 * Each is solved BENCH_ROUNDS times (default 5) and the median wall time reported, with the
 * median CPU time beside it (the machine may be shared; the solve uses one thread).
 *
 * The anchor, timed in the same process on the same pairs, is the greedy assignment (sort
 * the pairs by score, take each while both sides have room): about the least any method
 * that looks at every pair does, so seconds / anchor says how many "greedy passes" the
 * exact answer costs. Its total is the comparison the issue asks for: the exact total is
 * never below it, and gain_over_greedy is exact / greedy − 1.
 *
 * The reference is the matcher's first formulation (every pair a column, simplex, then
 * glp_exact: match_solve_with(MATCH_ALL_COLUMNS | MATCH_EXACT_ALWAYS)), timed once; its
 * total must equal the exact total. It runs on the two smaller sizes; on the largest, and
 * on a size from the command line, only with BENCH_REFERENCE=1 (it takes 20 s or more on
 * the largest); otherwise its fields are null.
 *
 * Output: one JSON line per size,
 *   {"bench":"match","mentees":…,"mentors":…,"pairs":…,"seconds":…,"cpu_seconds":…,
 *    "anchor":"greedy …","anchor_seconds":…,"ratio":…,"target_seconds":…,"matched":…,"total":…,
 *    "greedy_total":…,"gain_over_greedy":…,"columns":…,"rounds":…,"iterations":…,
 *    "glp_exact":…,"reference_seconds":…,"reference_total":…}
 * totals in points. Exit status 1 if a solve fails or the totals disagree.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect/match.h"
#include "core/rand.h"
#include "timing.h"

static int by_score_desc(const void *x, const void *y)
{
    const struct match_pair *a = x, *b = y;
    return a->score > b->score ? -1 : a->score < b->score ? 1 : 0;
}

/* Best pair first while both sides have room; -1 when out of memory. */
static int64_t greedy(const struct match_problem *p)
{
    struct match_pair *s = malloc(p->npairs * sizeof *s);
    uint32_t *load = calloc(p->nmentors, sizeof *load);
    bool *done = calloc(p->nmentees, sizeof *done);
    int64_t total = -1;
    if (s && load && done) {
        total = 0;
        memcpy(s, p->pairs, p->npairs * sizeof *s);
        qsort(s, p->npairs, sizeof *s, by_score_desc);
        for (size_t e = 0; e < p->npairs && s[e].score > 0; e++)
            if (!done[s[e].mentee] && load[s[e].mentor] < p->capacity[s[e].mentor]) {
                done[s[e].mentee] = true;
                load[s[e].mentor]++;
                total += s[e].score;
            }
    }
    free(s);
    free(load);
    free(done);
    return total;
}

static int run(size_t m, size_t n, size_t per, int rounds, bool reference)
{
    struct match_pair *pairs = malloc(m * per * sizeof *pairs);
    uint32_t *cap = malloc(n * sizeof *cap);
    double *ts = calloc((size_t)rounds, sizeof *ts), *as = calloc((size_t)rounds, sizeof *as),
           *cs = calloc((size_t)rounds, sizeof *cs);
    struct match_problem p = {m, n, cap, pairs, 0};
    struct match_result r = {0};
    struct match_stats st = {0};
    struct rng g;
    int64_t total = 0, gr = 0;
    size_t matched = 0;
    char ref_s[32] = "null", ref_t[32] = "null";
    int rc = 1;
    if (!pairs || !cap || !ts || !as || !cs || per > n || !m || !n) {
        fprintf(stderr, "match_bench: bad size or out of memory\n");
        goto done;
    }
    rng_seed(&g, 42);
    for (size_t j = 0; j < n; j++)
        cap[j] = 1 + (uint32_t)rng_below(&g, 3);
    for (size_t i = 0; i < m; i++) {
        size_t start = (size_t)rng_below(&g, n);
        /* stride 7 visits per distinct mentors unless n is a small multiple of 7 */
        for (size_t k = 0; k < per; k++)
            pairs[p.npairs++] = (struct match_pair){(uint32_t)i, (uint32_t)((start + k * 7) % n),
                                                    (int64_t)rng_below(&g, 40000) + 1};
    }
    for (int k = 0; k < rounds; k++) {
        double t0 = now_s(), c0 = cpu_s();
        if (match_solve_with(&p, 0, &r, &st)) {
            fprintf(stderr, "match_bench: the assignment failed\n");
            goto done;
        }
        ts[k] = now_s() - t0;
        cs[k] = cpu_s() - c0;
        total = r.total;
        matched = r.matched;
        match_result_free(&r);
        t0 = now_s();
        gr = greedy(&p);
        as[k] = now_s() - t0;
    }
    if (gr < 0 || total < gr) {
        fprintf(stderr, "match_bench: greedy failed or beat the optimum\n");
        goto done;
    }
    if (reference) {
        double t0 = now_s();
        if (match_solve_with(&p, MATCH_ALL_COLUMNS | MATCH_EXACT_ALWAYS, &r, NULL)) {
            fprintf(stderr, "match_bench: the reference assignment failed\n");
            goto done;
        }
        snprintf(ref_s, sizeof ref_s, "%.3f", now_s() - t0);
        snprintf(ref_t, sizeof ref_t, "%.3f", (double)r.total / MATCH_SCALE);
        if (r.total != total) {
            fprintf(stderr, "match_bench: the reference total %s differs\n", ref_t);
            match_result_free(&r);
            goto done;
        }
        match_result_free(&r);
    }
    qsort(ts, (size_t)rounds, sizeof *ts, cmp_double);
    qsort(as, (size_t)rounds, sizeof *as, cmp_double);
    qsort(cs, (size_t)rounds, sizeof *cs, cmp_double);
    printf("{\"bench\":\"match\",\"mentees\":%zu,\"mentors\":%zu,\"pairs\":%zu,\"seconds\":%.3f,"
           "\"cpu_seconds\":%.3f,\"anchor\":\"greedy assignment of the same pairs (sort by score, "
           "one pass)\","
           "\"anchor_seconds\":%.4f,\"ratio\":%.1f,\"target_seconds\":%s,\"matched\":%zu,"
           "\"total\":%.3f,\"greedy_total\":%.3f,\"gain_over_greedy\":%.5f,\"columns\":%zu,"
           "\"rounds\":%zu,\"iterations\":%zu,\"glp_exact\":%s,\"reference_seconds\":%s,"
           "\"reference_total\":%s}\n",
           m, n, p.npairs, ts[rounds / 2], cs[rounds / 2], as[rounds / 2],
           ts[rounds / 2] / as[rounds / 2], m == 10000 && n == 3000 && per == 50 ? "2" : "null",
           matched, (double)total / MATCH_SCALE, (double)gr / MATCH_SCALE,
           gr > 0 ? (double)total / (double)gr - 1 : 0.0, st.columns, st.rounds, st.iterations,
           st.exact ? "true" : "false", ref_s, ref_t);
    fflush(stdout);
    rc = 0;
done:
    free(pairs);
    free(cap);
    free(ts);
    free(as);
    free(cs);
    return rc;
}

int main(int argc, char **argv)
{
    const char *r = getenv("BENCH_ROUNDS"), *ref = getenv("BENCH_REFERENCE");
    int rounds = r && atoi(r) > 0 ? atoi(r) : 5;
    bool all_ref = ref && strcmp(ref, "1") == 0;
    if (argc == 4)
        return run(strtoul(argv[1], NULL, 10), strtoul(argv[2], NULL, 10),
                   strtoul(argv[3], NULL, 10), rounds, all_ref);
    if (argc != 1) {
        fprintf(stderr, "usage: match_bench [MENTEES MENTORS PAIRS_PER_MENTEE]\n");
        return 2;
    }
    return run(1000, 300, 30, rounds, true) || run(5000, 1000, 30, rounds, true) ||
           run(10000, 3000, 50, rounds, all_ref);
}
