/* match_bench.c: time of the exact mentoring assignment, with a greedy total as the anchor
 *
 * Random rounds: each mentee has `per` distinct candidate mentors (a run of mentors from a
 * random start, stride 7, so candidates overlap between mentees), scores 0.001 to 40 points,
 * capacities 1 to 3. Sizes: 1,000 × 300 × 30 (the figure the first Connect step reports),
 * 5,000 × 1,000 × 30 (the size that step must handle), and the benchmark
 * 10,000 × 3,000 × 50 with its 2 s target; or one size from the command line:
 * match_bench MENTEES MENTORS PAIRS_PER_MENTEE.
 * Output: one JSON line per size,
 *   {"bench":"match","mentees":…,"mentors":…,"pairs":…,"seconds":…,"matched":…,
 *    "total":…,"greedy_total":…,"gain_over_greedy":…}
 * totals in points; gain_over_greedy is total / greedy_total − 1.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect/match.h"
#include "core/rand.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int by_score_desc(const void *x, const void *y)
{
    const struct match_pair *a = x, *b = y;
    return a->score > b->score ? -1 : a->score < b->score ? 1 : 0;
}

/* Best pair first while both sides have room. */
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
        for (size_t e = 0; e < p->npairs; e++)
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

static int run(size_t m, size_t n, size_t per)
{
    struct match_pair *pairs = malloc(m * per * sizeof *pairs);
    uint32_t *cap = malloc(n * sizeof *cap);
    struct match_problem p = {m, n, cap, pairs, 0};
    struct match_result r;
    struct rng g;
    double t0, t1;
    int64_t gr;
    if (!pairs || !cap || per > n) {
        free(pairs);
        free(cap);
        return 1;
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
    t0 = now();
    if (match_solve(&p, &r)) {
        fprintf(stderr, "match_bench: the assignment failed\n");
        free(pairs);
        free(cap);
        return 1;
    }
    t1 = now();
    gr = greedy(&p);
    printf("{\"bench\":\"match\",\"mentees\":%zu,\"mentors\":%zu,\"pairs\":%zu,\"seconds\":%.3f,"
           "\"matched\":%zu,\"total\":%.3f,\"greedy_total\":%.3f,\"gain_over_greedy\":%.5f}\n",
           m, n, p.npairs, t1 - t0, r.matched, (double)r.total / MATCH_SCALE,
           (double)gr / MATCH_SCALE, gr > 0 ? (double)r.total / (double)gr - 1 : 0.0);
    fflush(stdout);
    match_result_free(&r);
    free(pairs);
    free(cap);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4)
        return run(strtoul(argv[1], NULL, 10), strtoul(argv[2], NULL, 10),
                   strtoul(argv[3], NULL, 10));
    if (argc != 1) {
        fprintf(stderr, "usage: match_bench [MENTEES MENTORS PAIRS_PER_MENTEE]\n");
        return 2;
    }
    return run(1000, 300, 30) || run(5000, 1000, 30) || run(10000, 3000, 50);
}
