/* opinion_bench.c: wall time of the whole opinion-group computation on synthetic conversations
 *
 * Generates conversations with three planted opinion camps (each camp agrees with its own
 * tenth of the statements and disagrees with the others' at 80%, the rest are uniform noise),
 * every participant voting on each statement with probability `density`, then times
 * opinion_fit() (membership, means, sparse PCA, projection, base and group k-means,
 * representative and consensus statements) over BENCH_ROUNDS runs and reports the median.
 * The anchor, measured in the same process on the same votes, is one pass over the votes
 * that builds the participant × statement matrix in compressed rows (a counting sort): the
 * least any method that reads every vote must do, so seconds / anchor says how many "passes
 * over the data" the whole analysis costs.
 *
 * Sizes: the brief's 10,000 × 1,000 at 5% density, and issue 4's 10,000 × 1,000 with 1M
 * votes and 100,000 × 500 with 3.5M votes (targets ≤ 1 s and ≤ 5 s). Or one size from the
 * command line: opinion_bench PARTICIPANTS STATEMENTS DENSITY.
 * Output: one JSON line per size,
 *   {"bench":"opinion","participants":…,"statements":…,"votes":…,"seconds":…,
 *    "anchor_seconds":…,"ratio":…,"groups":…}
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "text/opinion.h"
#include "timing.h"

static struct opinion_vote *make_votes(size_t P, size_t S, double density, uint64_t seed, size_t *nv)
{
    size_t cap = (size_t)((double)P * (double)S * density * 1.1) + 1024, n = 0;
    struct opinion_vote *v = malloc(cap * sizeof *v);
    struct rng g;
    if (!v)
        return NULL;
    rng_seed(&g, seed);
    for (size_t p = 0; p < P; p++) {
        int camp = (int)rng_below(&g, 3);
        for (size_t s = 0; s < S; s++) {
            int vote, own;
            if (rng_double(&g) >= density)
                continue;
            own = (int)(s * 10 / S); /* statements 0..29% belong to camps 0, 1, 2 */
            if (own < 3) {
                int want = own == camp ? 1 : -1;
                vote = rng_double(&g) < 0.8 ? want : (int)rng_below(&g, 3) - 1;
            } else {
                vote = (int)rng_below(&g, 3) - 1;
            }
            if (n == cap) {
                struct opinion_vote *nvp;
                cap *= 2;
                nvp = realloc(v, cap * sizeof *v);
                if (!nvp) {
                    free(v);
                    return NULL;
                }
                v = nvp;
            }
            v[n++] = (struct opinion_vote){(uint32_t)p, (uint32_t)s, (int8_t)vote};
        }
    }
    *nv = n;
    return v;
}

/* The anchor: counting-sort the votes into compressed rows (row pointers, columns, values). */
static double anchor(const struct opinion_vote *v, size_t nv, size_t P, size_t *check)
{
    size_t *rowptr = calloc(P + 1, sizeof *rowptr);
    uint32_t *col = malloc(nv * sizeof *col);
    int8_t *val = malloc(nv * sizeof *val);
    double t0, t;
    if (!rowptr || !col || !val) {
        fprintf(stderr, "opinion_bench: out of memory\n");
        exit(1);
    }
    t0 = now_s();
    for (size_t i = 0; i < nv; i++)
        rowptr[v[i].participant + 1]++;
    for (size_t p = 0; p < P; p++)
        rowptr[p + 1] += rowptr[p];
    for (size_t i = 0; i < nv; i++) {
        size_t o = rowptr[v[i].participant]++;
        col[o] = v[i].statement;
        val[o] = v[i].vote;
    }
    t = now_s() - t0;
    *check += rowptr[P] + (size_t)col[nv / 2] + (size_t)(uint8_t)val[nv / 3];
    free(rowptr);
    free(col);
    free(val);
    return t;
}

static int run(size_t P, size_t S, double density, int rounds)
{
    size_t nv = 0, check = 0, groups = 0;
    struct opinion_vote *v = make_votes(P, S, density, 42, &nv);
    double *ts = malloc((size_t)rounds * sizeof *ts), *as = malloc((size_t)rounds * sizeof *as);
    struct opinion_input in;
    int rc = 1;

    if (!v || !ts || !as) {
        fprintf(stderr, "opinion_bench: out of memory\n");
        goto done;
    }
    memset(&in, 0, sizeof in);
    in.n_participants = P;
    in.n_statements = S;
    in.votes = v;
    in.n_votes = nv;
    in.seed = 1;
    for (int r = 0; r < rounds; r++) {
        struct opinion_result res;
        double t0 = now_s();
        if (opinion_fit(&in, &res) != 0) {
            fprintf(stderr, "opinion_bench: opinion_fit failed\n");
            goto done;
        }
        ts[r] = now_s() - t0;
        groups = res.n_groups;
        opinion_result_free(&res);
        as[r] = anchor(v, nv, P, &check);
    }
    qsort(ts, (size_t)rounds, sizeof *ts, cmp_double);
    qsort(as, (size_t)rounds, sizeof *as, cmp_double);
    printf("{\"bench\":\"opinion\",\"participants\":%zu,\"statements\":%zu,\"votes\":%zu,"
           "\"seconds\":%.4f,\"anchor\":\"one counting-sort pass building the matrix\","
           "\"anchor_seconds\":%.5f,\"ratio\":%.1f,\"groups\":%zu,\"check\":%zu}\n",
           P, S, nv, ts[rounds / 2], as[rounds / 2], ts[rounds / 2] / as[rounds / 2], groups,
           check % 1000);
    fflush(stdout);
    rc = 0;
done:
    free(v);
    free(ts);
    free(as);
    return rc;
}

int main(int argc, char **argv)
{
    const char *r = getenv("BENCH_ROUNDS");
    int rounds = r && atoi(r) > 0 ? atoi(r) : 3;
    int rc = 0;

    if (argc == 4)
        return run((size_t)strtoull(argv[1], NULL, 10), (size_t)strtoull(argv[2], NULL, 10),
                   strtod(argv[3], NULL), rounds);
    rc |= run(10000, 1000, 0.05, rounds); /* the brief: 5% density, 0.5M votes */
    rc |= run(10000, 1000, 0.10, rounds); /* issue 4: 1M votes, target ≤ 1 s */
    rc |= run(100000, 500, 0.07, rounds); /* issue 4: 3.5M votes, target ≤ 5 s */
    return rc;
}
