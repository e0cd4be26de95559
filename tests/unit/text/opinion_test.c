/* opinion_test.c: opinion groups on planted camps and on Pol.is's own Seattle $15/hour export
 *
 * Synthetic conversations plant 2 or 3 camps: each camp has its own "defining" statements it
 * agrees with (and the other camps disagree with), every camp agrees with the consensus
 * statements, and the rest are noise. Participants vote on a random subset. The fit must put
 * participants with their camp (adjusted Rand index ≥ 0.9), name the camp-defining
 * statements as representative, and find the consensus ones.
 *
 * The fixture (AHPHUB_FIXTURES, default ../shared/fixtures, relative to the repository root
 * where the tests run) is Pol.is's export of pol.is/2demo; participants-votes.csv carries
 * Pol.is's own group in group-id. We compare our groups with Pol.is's over the participants
 * both grouped, print the figures, and assert the level achieved (see test_polis_fixture).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "export/csv.h"
#include "text/opinion.h"

/* ---- adjusted Rand index (Hubert & Arabie 1985) from the contingency table ---- */
static double comb2(double n)
{
    return n * (n - 1) / 2;
}

/* a[i], b[i] in 0..na-1 and 0..nb-1 (≤ 16 each). */
static double ari(const int *a, const int *b, size_t n, int na, int nb)
{
    double t[16][16] = {{0}}, ra[16] = {0}, rb[16] = {0};
    double sij = 0, sa = 0, sb = 0, expct, maxi;
    assert_true(na <= 16 && nb <= 16);
    for (size_t i = 0; i < n; i++) {
        t[a[i]][b[i]]++;
        ra[a[i]]++;
        rb[b[i]]++;
    }
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            sij += comb2(t[i][j]);
    for (int i = 0; i < na; i++)
        sa += comb2(ra[i]);
    for (int j = 0; j < nb; j++)
        sb += comb2(rb[j]);
    expct = sa * sb / comb2((double)n);
    maxi = (sa + sb) / 2;
    if (maxi == expct)
        return 1; /* both trivial partitions */
    return (sij - expct) / (maxi - expct);
}

static void test_ari_sanity(void **state)
{
    const int a[] = {0, 0, 1, 1, 2, 2}, b[] = {1, 1, 0, 0, 2, 2}, c[] = {0, 1, 0, 1, 0, 1};
    (void)state;
    assert_true(fabs(ari(a, b, 6, 3, 3) - 1) < 1e-12); /* same partition, renamed */
    assert_true(ari(a, c, 6, 3, 2) < 0.1);
}

/* ---- planted camps ---- */
struct synth {
    size_t P, S, ncamp, per_camp_defining, n_consensus;
    int *camp;         /* P */
    int *stype;        /* S: camp index of a defining statement, -1 consensus, -2 noise */
    struct opinion_vote *votes;
    size_t nv;
};

/* Statements: ncamp × per_camp_defining defining ones, then n_consensus, then noise up to S.
 * Each participant votes on each statement with probability density; a camp member agrees
 * with its own defining statements and disagrees with other camps' with probability 0.85
 * (otherwise pass or the opposite), everyone agrees with consensus statements at 0.85, and
 * noise statements get uniform votes. */
static void synth_make(struct synth *z, size_t P, size_t S, size_t ncamp, size_t per, size_t ncons,
                       double density, uint64_t seed)
{
    struct rng g;
    size_t cap = P * S;
    memset(z, 0, sizeof *z);
    z->P = P;
    z->S = S;
    z->ncamp = ncamp;
    z->per_camp_defining = per;
    z->n_consensus = ncons;
    z->camp = malloc(P * sizeof *z->camp);
    z->stype = malloc(S * sizeof *z->stype);
    z->votes = malloc(cap * sizeof *z->votes);
    assert_non_null(z->camp);
    assert_non_null(z->stype);
    assert_non_null(z->votes);
    rng_seed(&g, seed);
    for (size_t s = 0; s < S; s++)
        z->stype[s] = s < ncamp * per ? (int)(s / per) : s < ncamp * per + ncons ? -1 : -2;
    for (size_t p = 0; p < P; p++)
        z->camp[p] = (int)(rng_below(&g, ncamp)); /* camps interleaved at random */
    for (size_t p = 0; p < P; p++) {
        for (size_t s = 0; s < S; s++) {
            int want, v;
            double r;
            if (rng_double(&g) >= density)
                continue;
            if (z->stype[s] == -2) {
                v = (int)rng_below(&g, 3) - 1;
            } else {
                want = z->stype[s] == -1 || z->stype[s] == z->camp[p] ? 1 : -1;
                r = rng_double(&g);
                v = r < 0.85 ? want : r < 0.95 ? 0 : -want;
            }
            z->votes[z->nv++] = (struct opinion_vote){(uint32_t)p, (uint32_t)s, (int8_t)v};
        }
    }
}

static void synth_free(struct synth *z)
{
    free(z->camp);
    free(z->stype);
    free(z->votes);
}

/* Fits z, checks ARI ≥ 0.9, representative and consensus statements. */
static void check_camps(size_t ncamp, uint64_t seed)
{
    struct synth z;
    struct opinion_input in;
    struct opinion_result r;
    int *ours, *truth;
    int camp_of_group[OPINION_MAX_GROUPS];
    double a;

    synth_make(&z, 300, 40, ncamp, 6, 3, 0.6, seed);
    memset(&in, 0, sizeof in);
    in.n_participants = z.P;
    in.n_statements = z.S;
    in.votes = z.votes;
    in.n_votes = z.nv;
    in.seed = 1;
    in.n_consensus = 3;
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_int_equal(r.n_kept, z.P); /* 0.6 × 40 votes each: everyone is in */
    ours = malloc(r.n_kept * sizeof *ours);
    truth = malloc(r.n_kept * sizeof *truth);
    assert_non_null(ours);
    assert_non_null(truth);
    for (size_t i = 0; i < r.n_kept; i++) {
        ours[i] = r.group[i];
        truth[i] = z.camp[r.kept[i]];
    }
    a = ari(ours, truth, r.n_kept, (int)r.n_groups, (int)ncamp);
    print_message("%zu camps: %zu groups, ARI %.3f, silhouettes k=2 %.3f k=3 %.3f k=4 %.3f\n", ncamp,
                  r.n_groups, a, r.silhouette[2], r.silhouette[3], r.silhouette[4]);
    assert_int_equal(r.n_groups, ncamp);
    assert_true(a >= 0.9);

    /* each group's camp: the camp most of its members come from */
    for (size_t g = 0; g < r.n_groups; g++) {
        size_t votes[8] = {0}, best = 0;
        for (size_t i = 0; i < r.n_kept; i++)
            if ((size_t)ours[i] == g)
                votes[truth[i]]++;
        for (size_t c = 1; c < ncamp; c++)
            if (votes[c] > votes[best])
                best = c;
        camp_of_group[g] = (int)best;
    }
    for (size_t g = 0; g < r.n_groups; g++) {
        const struct opinion_group *gr = &r.groups[g];
        bool seen_disagree = false;
        size_t n_agree = 0;
        assert_true(gr->n_repr >= 1 && gr->n_repr <= 5);
        for (size_t j = 0; j < gr->n_repr; j++) {
            const struct opinion_repr *x = &gr->repr[j];
            int t = z.stype[x->statement];
            assert_true(x->z_prop > OPINION_Z90 && x->z_diff > OPINION_Z90);
            if (x->direction > 0) {
                assert_false(seen_disagree); /* agree before disagree */
                assert_int_equal(t, camp_of_group[g]); /* the camp's own statements */
                n_agree++;
            } else {
                seen_disagree = true;
                assert_true(t >= 0 && t != camp_of_group[g]); /* another camp's */
            }
        }
        assert_true(n_agree >= 1);
        if (g > 0)
            assert_true(r.groups[g].size <= r.groups[g - 1].size);
    }
    /* consensus: exactly the planted consensus statements */
    assert_int_equal(r.n_consensus, 3);
    for (size_t j = 0; j < r.n_consensus; j++)
        assert_int_equal(z.stype[r.consensus[j].statement], -1);
    /* majority: every planted consensus statement is agreed by a majority (a camp-defining
     * one may be too, when its camp is over half the participants) */
    for (size_t s = 0; s < z.S; s++) {
        bool found = false;
        if (z.stype[s] != -1)
            continue;
        for (size_t j = 0; j < r.n_majority; j++)
            if (r.majority[j].statement == s && r.majority[j].direction > 0)
                found = true;
        assert_true(found);
    }
    for (size_t j = 1; j < r.n_majority; j++)
        assert_true(r.majority[j - 1].direction >= r.majority[j].direction);
    free(ours);
    free(truth);
    opinion_result_free(&r);
    synth_free(&z);
}

static void test_two_camps(void **state)
{
    (void)state;
    check_camps(2, 101);
}

static void test_three_camps(void **state)
{
    (void)state;
    check_camps(3, 202);
}

/* Same input and seed: bit-identical output. */
/* repr_min_seen: only statements more of the group voted on are representatives; the groups
 * themselves do not move. */
static void test_repr_min_seen(void **state)
{
    struct synth z;
    struct opinion_input in;
    struct opinion_result r, f;
    uint32_t least = UINT32_MAX;
    (void)state;
    synth_make(&z, 300, 40, 2, 6, 3, 0.6, 303);
    memset(&in, 0, sizeof in);
    in.n_participants = z.P;
    in.n_statements = z.S;
    in.votes = z.votes;
    in.n_votes = z.nv;
    in.seed = 1;
    assert_int_equal(opinion_fit(&in, &r), 0);
    for (size_t g = 0; g < r.n_groups; g++)
        for (size_t j = 0; j < r.groups[g].n_repr; j++)
            if (r.groups[g].repr[j].n_seen < least)
                least = r.groups[g].repr[j].n_seen;
    assert_true(least < UINT32_MAX);
    in.repr_min_seen = least; /* the least-voted representative no longer qualifies */
    assert_int_equal(opinion_fit(&in, &f), 0);
    assert_int_equal(f.n_groups, r.n_groups);
    assert_memory_equal(f.group, r.group, r.n_kept * sizeof *r.group);
    for (size_t g = 0; g < f.n_groups; g++) {
        assert_true(f.groups[g].n_repr >= 1);
        for (size_t j = 0; j < f.groups[g].n_repr; j++)
            assert_true(f.groups[g].repr[j].n_seen > least);
    }
    opinion_result_free(&f);
    in.repr_min_seen = z.P; /* nobody's group has that many voters on anything */
    assert_int_equal(opinion_fit(&in, &f), 0);
    for (size_t g = 0; g < f.n_groups; g++)
        assert_int_equal(f.groups[g].n_repr, 0);
    opinion_result_free(&f);
    opinion_result_free(&r);
    synth_free(&z);
}

static void test_deterministic(void **state)
{
    struct synth z;
    struct opinion_input in;
    struct opinion_result a, b;
    (void)state;

    synth_make(&z, 500, 60, 3, 5, 2, 0.3, 9);
    memset(&in, 0, sizeof in);
    in.n_participants = z.P;
    in.n_statements = z.S;
    in.votes = z.votes;
    in.n_votes = z.nv;
    in.seed = 77;
    assert_int_equal(opinion_fit(&in, &a), 0);
    assert_int_equal(opinion_fit(&in, &b), 0);
    assert_int_equal(a.n_kept, b.n_kept);
    assert_int_equal(a.n_groups, b.n_groups);
    assert_memory_equal(a.x, b.x, a.n_kept * sizeof *a.x);
    assert_memory_equal(a.y, b.y, a.n_kept * sizeof *a.y);
    assert_memory_equal(a.group, b.group, a.n_kept);
    /* field by field: struct padding is not part of the result */
    for (size_t g = 0; g < a.n_groups; g++) {
        assert_int_equal(a.groups[g].size, b.groups[g].size);
        assert_true(a.groups[g].cx == b.groups[g].cx && a.groups[g].cy == b.groups[g].cy);
        assert_int_equal(a.groups[g].n_repr, b.groups[g].n_repr);
        for (size_t j = 0; j < a.groups[g].n_repr; j++) {
            assert_int_equal(a.groups[g].repr[j].statement, b.groups[g].repr[j].statement);
            assert_int_equal(a.groups[g].repr[j].direction, b.groups[g].repr[j].direction);
            assert_true(a.groups[g].repr[j].score == b.groups[g].repr[j].score);
        }
    }
    assert_int_equal(a.n_consensus, b.n_consensus);
    for (size_t j = 0; j < a.n_consensus; j++) {
        assert_int_equal(a.consensus[j].statement, b.consensus[j].statement);
        assert_true(a.consensus[j].score == b.consensus[j].score);
    }
    assert_int_equal(a.n_majority, b.n_majority);
    for (size_t j = 0; j < a.n_majority; j++)
        assert_int_equal(a.majority[j].statement, b.majority[j].statement);
    opinion_result_free(&a);
    opinion_result_free(&b);
    synth_free(&z);
}

/* The projection is √(S'/n)·Σ(v − mean)·pc over the statements voted on, and the means are
 * over kept voters. Recomputed here from the result's own pc and mean. */
static void test_projection_formula(void **state)
{
    struct synth z;
    struct opinion_input in;
    struct opinion_result r;
    (void)state;

    synth_make(&z, 120, 30, 2, 5, 2, 0.4, 5);
    memset(&in, 0, sizeof in);
    in.n_participants = z.P;
    in.n_statements = z.S;
    in.votes = z.votes;
    in.n_votes = z.nv;
    assert_int_equal(opinion_fit(&in, &r), 0);
    for (size_t i = 0; i < r.n_kept; i++) {
        double a = 0, b = 0, n = 0, sc;
        for (size_t k = 0; k < z.nv; k++) {
            const struct opinion_vote *v = &z.votes[k];
            if (v->participant != r.kept[i])
                continue;
            a += (v->vote - r.mean[v->statement]) * r.pc[v->statement];
            b += (v->vote - r.mean[v->statement]) * r.pc[z.S + v->statement];
            n++;
        }
        sc = sqrt((double)z.S / n);
        assert_true(fabs(r.x[i] - a * sc) < 1e-9);
        assert_true(fabs(r.y[i] - b * sc) < 1e-9);
    }
    assert_true(r.pca_converged);
    assert_true(r.eigval[0] >= r.eigval[1]);
    opinion_result_free(&r);
    synth_free(&z);
}

/* Threshold, top-up, moderation, later-vote-wins, as Pol.is counts them: a vote on a
 * moderated-out statement counts toward the threshold, the fill-in means are over everyone
 * who voted. */
static void test_membership_rules(void **state)
{
    struct opinion_vote v[400];
    bool mod[12] = {0};
    size_t nv = 0;
    struct opinion_input in;
    struct opinion_result r;
    (void)state;

    /* participants 0..9 vote on statements 0..8 (9 votes); 10..19 vote on 1..5 statements
     * (participant 10+j on j%5+1 of them); statement 11 gets votes from all and is moderated
     * out: it counts toward everyone's threshold (Pol.is's raw vote count) */
    for (uint32_t p = 0; p < 10; p++)
        for (uint32_t s = 0; s < 9; s++)
            v[nv++] = (struct opinion_vote){p, s, (int8_t)((p < 5) == (s < 4) ? 1 : -1)};
    for (uint32_t j = 0; j < 10; j++)
        for (uint32_t s = 0; s < j % 5 + 1; s++)
            v[nv++] = (struct opinion_vote){10 + j, s, 1};
    for (uint32_t p = 0; p < 20; p++)
        v[nv++] = (struct opinion_vote){p, 11, 1};
    /* participant 0 changes its mind on statement 0: the later vote wins */
    v[nv++] = (struct opinion_vote){0, 0, -1};
    mod[11] = true;

    memset(&in, 0, sizeof in);
    in.n_participants = 21; /* 20 never voted */
    in.n_statements = 12;
    in.votes = v;
    in.n_votes = nv;
    in.moderated_out = mod;
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_int_equal(r.n_statements_used, 11);
    /* 10 over the threshold min(7, 10 statements with votes) = 7, plus the 5 with most
     * votes: 14 and 19 (6 with the moderated-out one), then 13 and 18 (5), then 12 (4, the
     * lower index of 12 and 17) */
    assert_int_equal(r.n_kept, 15);
    for (uint32_t p = 0; p < 10; p++)
        assert_true(r.group_of[p] >= 0);
    assert_true(r.group_of[14] >= 0 && r.group_of[19] >= 0 && r.group_of[13] >= 0);
    assert_true(r.group_of[18] >= 0 && r.group_of[12] >= 0);
    assert_true(r.group_of[17] < 0 && r.group_of[10] < 0 && r.group_of[20] < 0);
    /* moderated-out statement: no loading, no mean */
    assert_true(r.pc[11] == 0 && r.pc[12 + 11] == 0 && r.mean[11] == 0);
    /* mean of statement 0 over everyone who voted (Pol.is's rows): participants 0..9 (0 now
     * −1, 1..4 +1, 5..9 −1) and 10..19 (+1 each): (−1 + 4 − 5 + 10) / 20 */
    assert_true(fabs(r.mean[0] - 8.0 / 20) < 1e-12);
    /* statements 9 and 10 have no votes: mean 0, and no one is left out for it */
    assert_true(r.mean[9] == 0);
    assert_true(r.n_groups >= 1);
    opinion_result_free(&r);
}

static void test_edge_cases(void **state)
{
    struct opinion_input in;
    struct opinion_result r;
    struct opinion_vote v[2] = {{0, 0, 1}, {1, 0, 2}};
    (void)state;

    memset(&in, 0, sizeof in);
    /* no votes at all: fine, nobody in */
    in.n_participants = 3;
    in.n_statements = 2;
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_int_equal(r.n_kept, 0);
    assert_int_equal(r.n_groups, 0);
    assert_int_equal(r.group_of[2], -1);
    opinion_result_free(&r);
    opinion_result_free(&r); /* twice is safe */
    /* a vote of 2 */
    in.votes = v;
    in.n_votes = 2;
    assert_int_equal(opinion_fit(&in, &r), APP_E_INVALID);
    /* an index out of range */
    v[1] = (struct opinion_vote){3, 0, 1};
    assert_int_equal(opinion_fit(&in, &r), APP_E_INVALID);
    /* one voter, one statement: one group, no representative statements */
    in.n_votes = 1;
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_int_equal(r.n_kept, 1);
    assert_int_equal(r.n_groups, 1);
    assert_int_equal(r.groups[0].n_repr, 0);
    opinion_result_free(&r);
    /* tuning out of range */
    in.k_max = 6;
    assert_int_equal(opinion_fit(&in, &r), APP_E_INVALID);
    in.k_max = 0;
    in.k_min = 1;
    assert_int_equal(opinion_fit(&in, &r), APP_E_INVALID);
    assert_int_equal(opinion_fit(NULL, &r), APP_E_INVALID);
}

/* ---- the Pol.is fixture ---- */

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    long len;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)len + 1);
        if (p && fread(p, 1, (size_t)len, f) != (size_t)len) {
            free(p);
            p = NULL;
        }
        if (p) {
            p[len] = '\0';
            *n = (size_t)len;
        }
    }
    fclose(f);
    return p;
}

static bool parse_long(struct str s, long *out)
{
    char *end;
    if (s.len == 0)
        return false;
    *out = strtol(s.p, &end, 10);
    return end == s.p + s.len;
}

#define FX_MAX_STMT 256
#define FX_MAX_PART 4096

static void test_polis_fixture(void **state)
{
    const char *root = getenv("AHPHUB_FIXTURES");
    char path[1024];
    char *cdata = NULL, *pdata = NULL;
    size_t cn = 0, pn = 0, nv = 0, np = 0;
    struct csv_reader rd;
    struct csv_record rec;
    bool got;
    char err[128];
    static bool mod[FX_MAX_STMT];
    static int stmt_col[FX_MAX_STMT]; /* column of statement id s in participants-votes.csv */
    static int polis_group[FX_MAX_PART];
    static struct opinion_vote votes[FX_MAX_PART * 64];
    int n_stmt = 0, c_id, c_mod, c_part, c_group;
    struct opinion_input in;
    struct opinion_result r;
    (void)state;

    if (!root || !*root)
        root = "../shared/fixtures";
    snprintf(path, sizeof path, "%s/polis/15-per-hour-seattle/comments.csv", root);
    cdata = slurp(path, &cn);
    snprintf(path, sizeof path, "%s/polis/15-per-hour-seattle/participants-votes.csv", root);
    pdata = slurp(path, &pn);
    if (!cdata || !pdata) {
        free(cdata);
        free(pdata);
        print_message("fixture not found under %s: skipped\n", root);
        skip();
    }

    /* comments.csv: moderated = -1 marks a statement moderated out */
    memset(mod, 0, sizeof mod);
    assert_int_equal(csv_open(&rd, cdata, cn), 0);
    assert_int_equal(csv_next(&rd, &rec, &got, err, sizeof err), 0);
    assert_true(got);
    c_id = csv_column(&rec, "comment-id");
    c_mod = csv_column(&rec, "moderated");
    assert_true(c_id >= 0 && c_mod >= 0);
    for (;;) {
        long id = -1, m = 0;
        assert_int_equal(csv_next(&rd, &rec, &got, err, sizeof err), 0);
        if (!got)
            break;
        assert_true(parse_long(csv_get(&rec, c_id), &id) && id >= 0 && id < FX_MAX_STMT);
        assert_true(parse_long(csv_get(&rec, c_mod), &m));
        mod[id] = m == -1;
        if (id + 1 > n_stmt)
            n_stmt = (int)id + 1;
    }
    csv_close(&rd);

    /* participants-votes.csv: participant, group-id, then one column per statement id */
    assert_int_equal(csv_open(&rd, pdata, pn), 0);
    assert_int_equal(csv_next(&rd, &rec, &got, err, sizeof err), 0);
    assert_true(got);
    c_part = csv_column(&rec, "participant");
    c_group = csv_column(&rec, "group-id");
    assert_true(c_part >= 0 && c_group >= 0);
    for (int s = 0; s < n_stmt; s++) {
        char name[16];
        snprintf(name, sizeof name, "%d", s);
        stmt_col[s] = csv_column(&rec, name); /* by header name; -1 if absent */
    }
    for (;;) {
        long g;
        assert_int_equal(csv_next(&rd, &rec, &got, err, sizeof err), 0);
        if (!got)
            break;
        assert_true(np < FX_MAX_PART);
        polis_group[np] = parse_long(csv_get(&rec, c_group), &g) ? (int)g : -1;
        for (int s = 0; s < n_stmt; s++) {
            long v;
            if (parse_long(csv_get(&rec, stmt_col[s]), &v)) {
                assert_true(v >= -1 && v <= 1 && nv < sizeof votes / sizeof votes[0]);
                votes[nv++] = (struct opinion_vote){(uint32_t)np, (uint32_t)s, (int8_t)v};
            }
        }
        np++;
    }
    csv_close(&rd);
    free(cdata);
    free(pdata);

    memset(&in, 0, sizeof in);
    in.n_participants = np;
    in.n_statements = (size_t)n_stmt;
    in.votes = votes;
    in.n_votes = nv;
    in.moderated_out = mod;
    /* Our grouping depends on the seed here, because the conversation's structure is weak:
     * the silhouettes for k = 2..5 all lie within about 0.38-0.41, so k = 2 and k = 5 are
     * near ties and which one wins depends on the base clusters (100 of them for 138
     * people, mostly singletons, placed by seeded k-means++). So we fit with seeds 1..12 and
     * assert properties of the whole set rather than of one lucky seed. */
    {
        enum { NSEED = 12 };
        double aris2[NSEED];
        size_t n2 = 0, best_pick = 0;
        double best_ari = -1, min_purity = 1;
        for (uint64_t seed = 1; seed <= NSEED; seed++) {
            int *a = malloc(np * sizeof *a), *b = malloc(np * sizeof *b);
            size_t both = 0, only_polis = 0, only_ours = 0, purity = 0;
            size_t tab[OPINION_MAX_GROUPS][8] = {{0}};
            int polis_k = 0;
            double score;
            assert_non_null(a);
            assert_non_null(b);
            in.seed = seed;
            assert_int_equal(opinion_fit(&in, &r), 0);
            for (size_t p = 0; p < np; p++) {
                if (polis_group[p] + 1 > polis_k)
                    polis_k = polis_group[p] + 1;
                if (polis_group[p] >= 0 && r.group_of[p] >= 0) {
                    a[both] = r.group_of[p];
                    b[both] = polis_group[p];
                    tab[r.group_of[p]][polis_group[p]]++;
                    both++;
                } else if (polis_group[p] >= 0) {
                    only_polis++;
                } else if (r.group_of[p] >= 0) {
                    only_ours++;
                }
            }
            assert_int_equal(polis_k, 2);
            /* The same 138 participants are in the analysis as in Pol.is's groups. */
            assert_int_equal(only_polis, 0);
            assert_int_equal(only_ours, 0);
            assert_int_equal(both, 138);
            score = ari(a, b, both, (int)r.n_groups, polis_k);
            /* purity: share of participants whose group's Pol.is majority is their own; high
             * purity with more groups means ours split Pol.is's without mixing them */
            for (size_t g = 0; g < r.n_groups; g++)
                purity += tab[g][0] > tab[g][1] ? tab[g][0] : tab[g][1];
            if (seed == 1) {
                print_message("polis fixture: %zu participants, %zu votes, %zu statements used of "
                              "%d, kept %zu = Pol.is's grouped participants\n",
                              np, nv, r.n_statements_used, n_stmt, r.n_kept);
                for (size_t g = 0; g < r.n_groups; g++)
                    for (size_t j = 0; j < r.groups[g].n_repr; j++)
                        print_message("polis fixture: seed 1 group %zu repr statement %u %s "
                                      "p=%.2f z=%.2f/%.2f\n",
                                      g, r.groups[g].repr[j].statement,
                                      r.groups[g].repr[j].direction > 0 ? "agree" : "disagree",
                                      r.groups[g].repr[j].p, r.groups[g].repr[j].z_prop,
                                      r.groups[g].repr[j].z_diff);
                for (size_t j = 0; j < r.n_consensus; j++)
                    print_message("polis fixture: seed 1 consensus statement %u (%.3f)\n",
                                  r.consensus[j].statement, r.consensus[j].score);
            }
            print_message("polis fixture: seed %2u: %zu groups (sizes %zu/%zu/%zu/%zu/%zu; "
                          "silhouette k=2 %.3f k=5 %.3f), ARI vs Pol.is %.3f, purity %.3f\n",
                          (unsigned)seed, r.n_groups, r.groups[0].size, r.groups[1].size,
                          r.groups[2].size, r.groups[3].size, r.groups[4].size, r.silhouette[2],
                          r.silhouette[5], score, (double)purity / (double)both);
            if (r.n_groups == 2) {
                /* insertion into the sorted list of 2-group ARIs, for the median */
                size_t j = n2++;
                while (j > 0 && aris2[j - 1] > score) {
                    aris2[j] = aris2[j - 1];
                    j--;
                }
                aris2[j] = score;
            }
            if (score > best_ari) {
                best_ari = score;
                best_pick = (size_t)seed;
            }
            if ((double)purity / (double)both < min_purity)
                min_purity = (double)purity / (double)both;
            free(a);
            free(b);
            opinion_result_free(&r);
        }
        print_message("polis fixture: %zu of %d seeds give Pol.is's 2 groups; their median ARI "
                      "%.3f; best ARI %.3f (seed %zu); lowest purity %.3f\n",
                      n2, NSEED, n2 ? aris2[n2 / 2] : 0.0, best_ari, best_pick, min_purity);
        /* The levels achieved (seeds 1..12): 9 of 12 pick 2 groups, median ARI 0.776, best
         * 0.802, lowest purity 0.841; asserted with a margin. Our groups never mix Pol.is's
         * two groups much, and when we find two they largely coincide with Pol.is's. */
        assert_true(n2 >= NSEED / 2);
        assert_true(aris2[n2 / 2] >= 0.70);
        assert_true(best_ari >= 0.75);
        assert_true(min_purity >= 0.80);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ari_sanity),
        cmocka_unit_test(test_two_camps),
        cmocka_unit_test(test_three_camps),
        cmocka_unit_test(test_repr_min_seen),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_projection_formula),
        cmocka_unit_test(test_membership_rules),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_polis_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
