/* sets_bench.c: time of the split into action learning sets, with a random split of the
 * same people as the anchor
 *
 * A cohort like a regional programme's: 14 professions, physiotherapists and occupational
 * therapists most common (as in the AHP workforce), 30 organisations of uneven size, 7
 * regions, 5% of professions and organisations not given, and one keep-apart pair per 20
 * people (a line manager and their report). Sizes: the 1,000 people into sets of six
 * (target ≤ 1 s), and the demonstration cohort's 3,000; or one size from the command line:
 * sets_bench PEOPLE [TARGET].
 * Output: one JSON line per size,
 *   {"bench":"sets","people":…,"target":…,"sets":…,"seconds":…,"score":…,"clashes":…,
 *    "random_score":…,"random_clashes":…,"apart_pairs":…}
 * score and random_score in tenths of a per cent of possible mixes (sets.h); the random
 * split is the mean over 10 seeds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "connect/sets.h"
#include "core/rand.h"
#include "timing.h"

/* Index from cumulative weights. */
static int32_t pick(struct rng *g, const int *w, int n)
{
    int total = 0, x;
    for (int i = 0; i < n; i++)
        total += w[i];
    x = (int)rng_below(g, (uint64_t)total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

static int run(size_t n, int target)
{
    static const int prof_w[14] = {30, 22, 10, 9, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1};
    int org_w[30];
    struct sets_person *p = malloc(n * sizeof *p);
    struct sets_pair *apart = malloc((n / 20 + 1) * sizeof *apart);
    uint32_t *set_of = malloc(n * sizeof *set_of), *rnd = malloc(n * sizeof *rnd);
    struct sets_problem pr = {.n = n, .people = p, .apart = apart, .target = target, .seed = 1};
    struct sets_score s, sr;
    double t0, t1, rscore = 0, rclash = 0;
    size_t k, kr;
    struct rng g;
    int rc;
    if (!p || !apart || !set_of || !rnd) {
        fprintf(stderr, "sets_bench: out of memory\n");
        return 1;
    }
    rng_seed(&g, 2026);
    for (int i = 0; i < 30; i++)
        org_w[i] = 1 + i % 7 * 3;
    for (size_t i = 0; i < n; i++) {
        p[i].profession = rng_below(&g, 20) ? pick(&g, prof_w, 14) : SETS_UNKNOWN;
        p[i].organisation = rng_below(&g, 20) ? pick(&g, org_w, 30) : SETS_UNKNOWN;
        p[i].region = (int32_t)rng_below(&g, 7);
    }
    for (size_t i = 0; i < n / 20; i++)
        apart[pr.napart++] =
            (struct sets_pair){(uint32_t)rng_below(&g, n), (uint32_t)rng_below(&g, n)};
    t0 = now_s();
    rc = sets_split(&pr, set_of, &k);
    t1 = now_s();
    if (rc) {
        fprintf(stderr, "sets_bench: the split failed (%d)\n", rc);
        return 1;
    }
    sets_score(n, p, set_of, k, &s);
    for (uint64_t seed = 1; seed <= 10; seed++) {
        if (sets_random_split(n, target, seed, rnd, &kr))
            return 1;
        sets_score(n, p, rnd, kr, &sr);
        rscore += sr.permille / 10.0;
        rclash += (double)sr.clashes / 10.0;
    }
    printf("{\"bench\":\"sets\",\"people\":%zu,\"target\":%d,\"sets\":%zu,\"seconds\":%.3f,"
           "\"score\":%d,\"clashes\":%lld,\"random_score\":%.1f,\"random_clashes\":%.1f,"
           "\"apart_pairs\":%zu}\n",
           n, target, k, t1 - t0, s.permille, (long long)s.clashes, rscore, rclash, pr.napart);
    fflush(stdout);
    free(p);
    free(apart);
    free(set_of);
    free(rnd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 || argc == 3)
        return run(strtoul(argv[1], NULL, 10), argc == 3 ? atoi(argv[2]) : 6);
    if (argc != 1) {
        fprintf(stderr, "usage: sets_bench [PEOPLE [TARGET]]\n");
        return 2;
    }
    return run(1000, 6) || run(3000, 6);
}
