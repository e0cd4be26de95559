/* opinion_polis_test.c: the Pol.is-compatible details of the opinion groups, and the carry of
 * groups from one run to the next, on small hand-made vote matrices
 *
 * What is pinned (src/text/opinion.h, steps 1–6; src/text/opinion_carry.h):
 *  - moderated-out statements count as voted-on columns in the projection's scaling
 *    √(C/(n+M)), and their votes count toward the "in the conversation" threshold;
 *  - the threshold is min(7, statements with votes), the fill-in means are over everyone who
 *    voted, kept or not;
 *  - a representative statement carries the group's and the rest's counts and shares, with
 *    Pol.is's +1 smoothing, exactly;
 *  - statements waiting for moderation (unlisted) count but are never named;
 *  - the carry: numbering stays when one vote or two participants arrive (and would flip
 *    without it), and the number of groups changes only after a different k has been clearly
 *    better (by OPINION_CARRY_MARGIN) for OPINION_CARRY_RUNS runs in a row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/opinion.h"
#include "text/opinion_carry.h"

/* ---- helpers ---- */

struct votes {
    struct opinion_vote v[4096];
    size_t n;
};

static void add(struct votes *vs, uint32_t p, uint32_t s, int vote)
{
    assert_true(vs->n < sizeof vs->v / sizeof vs->v[0]);
    vs->v[vs->n++] = (struct opinion_vote){p, s, (int8_t)vote};
}

static void input(struct opinion_input *in, const struct votes *vs, size_t np, size_t ns)
{
    memset(in, 0, sizeof *in);
    in->n_participants = np;
    in->n_statements = ns;
    in->votes = vs->v;
    in->n_votes = vs->n;
    in->seed = 7;
}

/* Two camps over 12 statements: camp 0 agrees with 0..5 and disagrees with 6..11, camp 1 the
 * opposite; participant p passes on statement (5p+3) mod 12, and every seventh one also
 * votes the other way on (5p) mod 12, so the camps are spread over some 30 places. camp[p]
 * says which camp p is in. */
static void camps(struct votes *vs, const int *camp, size_t np)
{
    vs->n = 0;
    for (uint32_t p = 0; p < np; p++)
        for (uint32_t s = 0; s < 12; s++) {
            int v = (s < 6) == (camp[p] == 0) ? 1 : -1;
            if (p % 7 == 0 && s == (5 * p) % 12)
                v = -v;
            if (s == (5 * p + 3) % 12)
                v = 0;
            add(vs, p, s, v);
        }
}

/* ---- moderated-out columns in the projection's scaling ---- */

/* The same votes on statements 0..2, once with statement 3 moderated out and voted on by
 * everyone, once without it. The components and means are the same (a zeroed column adds
 * nothing); the positions differ by exactly √(4/(n+1)) / √(3/n), n the participant's votes
 * on 0..2. The method as published (moderated-out columns dropped) would give ratio 1. */
static void test_moderated_out_scaling(void **state)
{
    struct votes a, b;
    bool mod[4] = {false, false, false, true};
    struct opinion_input in;
    struct opinion_result ra, rb;
    /* participant p votes on the first nv[p] statements with the pattern below */
    static const int nvp[16] = {3, 3, 3, 1, 2, 3, 3, 3, 2, 1, 3, 3, 3, 3, 2, 3};
    static const int pat[16][3] = {{1, 1, -1},  {1, 0, -1}, {-1, -1, 1}, {1, 0, 0},
                                   {-1, 1, 0},  {1, 1, 1},  {-1, 0, 1},  {0, -1, 1},
                                   {1, -1, 0},  {-1, 0, 0}, {1, 1, 0},   {-1, -1, -1},
                                   {0, 1, -1},  {1, -1, 1}, {-1, 1, 0},  {0, 0, 1}};
    (void)state;
    a.n = b.n = 0;
    for (uint32_t p = 0; p < 16; p++) {
        for (uint32_t s = 0; s < (uint32_t)nvp[p]; s++) {
            add(&a, p, s, pat[p][s]);
            add(&b, p, s, pat[p][s]);
        }
        add(&a, p, 3, p % 2 ? 1 : -1); /* a vote on the statement moderated out later */
    }
    /* everyone is kept in both (the top-up to 16 takes whoever voted), so the sparse voters
     * with 1 or 2 votes, whose scaling differs most, are compared too */
    input(&in, &a, 16, 4);
    in.moderated_out = mod;
    in.min_participants = 16;
    assert_int_equal(opinion_fit(&in, &ra), 0);
    input(&in, &b, 16, 3);
    in.min_participants = 16;
    assert_int_equal(opinion_fit(&in, &rb), 0);
    assert_int_equal(ra.n_kept, 16);
    assert_int_equal(rb.n_kept, 16);
    assert_int_equal(ra.n_statements_used, 3);
    for (size_t s = 0; s < 3; s++) {
        assert_true(fabs(ra.mean[s] - rb.mean[s]) < 1e-12);
        assert_true(fabs(fabs(ra.pc[s]) - fabs(rb.pc[s])) < 1e-6);
    }
    assert_true(ra.pc[3] == 0 && ra.pc[4 + 3] == 0 && ra.mean[3] == 0);
    for (size_t p = 0, sparse = 0; p < 16; p++) {
        /* kept in participant order, so index p is participant p in both */
        double n = nvp[p], want = sqrt(4.0 / (n + 1)) / sqrt(3.0 / n);
        assert_int_equal(ra.kept[p], p);
        /* the same direction up to the fixed sign convention: compare magnitudes */
        if (fabs(rb.x[p]) > 1e-9)
            assert_true(fabs(fabs(ra.x[p] / rb.x[p]) - want) < 1e-6);
        if (fabs(rb.y[p]) > 1e-9)
            assert_true(fabs(fabs(ra.y[p] / rb.y[p]) - want) < 1e-6);
        sparse += n < 3 && fabs(rb.x[p]) > 1e-9;
        if (p == 15)
            assert_true(sparse >= 4); /* the ratios that are not 1 were seen */
    }
    /* and the exact formula from the result's own components: √(C/(n+M))·Σ(v−mean)·pc */
    for (size_t i = 0; i < ra.n_kept; i++) {
        size_t p = ra.kept[i];
        double x = 0, y = 0, n = nvp[p];
        for (size_t s = 0; s < (size_t)nvp[p]; s++) {
            x += (pat[p][s] - ra.mean[s]) * ra.pc[s];
            y += (pat[p][s] - ra.mean[s]) * ra.pc[4 + s];
        }
        assert_true(fabs(ra.x[i] - x * sqrt(4.0 / (n + 1))) < 1e-9);
        assert_true(fabs(ra.y[i] - y * sqrt(4.0 / (n + 1))) < 1e-9);
    }
    opinion_result_free(&ra);
    opinion_result_free(&rb);
}

/* ---- the vote threshold ---- */

static void test_threshold(void **state)
{
    struct votes vs;
    bool mod[10] = {0};
    struct opinion_input in;
    struct opinion_result r;
    (void)state;

    /* 8 statements, 7 moderated out. Participants 2..16 vote on 0..6 (7 votes: in). Participant
     * 0 votes on 0..5 and on 7: 7 votes, in (Pol.is counts the moderated-out one). Participant
     * 1 votes on 0..5 only: 6 votes, out. */
    vs.n = 0;
    for (uint32_t p = 2; p < 17; p++)
        for (uint32_t s = 0; s < 7; s++)
            add(&vs, p, s, (p + s) % 3 == 0 ? -1 : 1);
    for (uint32_t s = 0; s < 6; s++) {
        add(&vs, 0, s, s % 2 ? 1 : -1);
        add(&vs, 1, s, s % 2 ? 1 : -1);
    }
    add(&vs, 0, 7, 1);
    mod[7] = true;
    input(&in, &vs, 17, 8);
    in.moderated_out = mod;
    in.min_participants = 1; /* no top-up */
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_true(r.group_of[0] >= 0);
    assert_int_equal(r.group_of[1], -1);
    assert_int_equal(r.n_kept, 16);
    /* the fill-in mean of statement 0 is over everyone who voted on it, kept or not:
     * participants 0 and 1 voted −1, 2..16 voted −1 when (p) % 3 == 0 (3, 6, 9, 12, 15),
     * else +1: (−2 − 5 + 10) / 17 */
    assert_true(fabs(r.mean[0] - 3.0 / 17) < 1e-12);
    opinion_result_free(&r);

    /* The cap: 10 statements of which only 3 analysed ones and the moderated-out one have
     * votes, so the threshold is min(7, 4) = 4. Participants voting on 0..2 and on 7 are in;
     * participant 0 voting on 0..2 only is not. */
    vs.n = 0;
    for (uint32_t p = 1; p < 17; p++) {
        for (uint32_t s = 0; s < 3; s++)
            add(&vs, p, s, (p + s) % 2 ? 1 : -1);
        add(&vs, p, 7, 1);
    }
    for (uint32_t s = 0; s < 3; s++)
        add(&vs, 0, s, 1);
    input(&in, &vs, 17, 10);
    in.moderated_out = mod;
    in.min_participants = 1;
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_int_equal(r.n_kept, 16);
    assert_int_equal(r.group_of[0], -1);
    assert_int_equal(r.n_statements_used, 9);
    opinion_result_free(&r);
}

/* ---- group versus the rest ---- */

static double prop_z(double succ, double n)
{
    return 2 * sqrt(n + 1) * ((succ + 1) / (n + 1) - 0.5);
}

static double two_prop_z(double s1, double s2, double n1, double n2)
{
    double p1 = (s1 + 1) / (n1 + 1), p2 = (s2 + 1) / (n2 + 1);
    double ph = (s1 + s2 + 2) / (n1 + n2 + 2);
    return (p1 - p2) / sqrt(ph * (1 - ph) * (1 / (n1 + 1) + 1 / (n2 + 1)));
}

/* Camp A (participants 0..9) and camp B (10..19) over statements 0..5. On statement 0 camp
 * A gives 8 agrees, 1 pass and 1 disagree, camp B 10 disagrees; the group holding camp A
 * must name statement 0 with A = 8, D = 1, N = 10 and, for the rest, A' = 0, D' = 10,
 * N' = 10, p = 9/12, p_rest = 1/12, and Pol.is's z tests exactly. */
static void test_group_versus_rest(void **state)
{
    struct votes vs;
    struct opinion_input in;
    struct opinion_result r;
    const struct opinion_repr *rp = NULL;
    int ga;
    (void)state;

    vs.n = 0;
    for (uint32_t p = 0; p < 20; p++) {
        bool a = p < 10;
        for (uint32_t s = 0; s < 6; s++) {
            int v = (s % 2 == 0) == a ? 1 : -1;
            if (s == 0)
                v = a ? (p < 8 ? 1 : p == 8 ? 0 : -1) : -1;
            else if (s == 1 + p % 5)
                v = 0; /* spread the points */
            add(&vs, p, s, v);
        }
    }
    input(&in, &vs, 20, 6);
    assert_int_equal(opinion_fit(&in, &r), 0);
    assert_int_equal(r.n_groups, 2);
    ga = r.group_of[0];
    for (uint32_t p = 0; p < 20; p++)
        assert_int_equal(r.group_of[p] == ga, p < 10);
    for (size_t i = 0; i < r.groups[ga].n_repr; i++)
        if (r.groups[ga].repr[i].statement == 0)
            rp = &r.groups[ga].repr[i];
    assert_non_null(rp);
    assert_int_equal(rp->direction, 1);
    assert_int_equal(rp->n_agree, 8);
    assert_int_equal(rp->n_disagree, 1);
    assert_int_equal(rp->n_seen, 10);
    assert_int_equal(rp->r_agree, 0);
    assert_int_equal(rp->r_disagree, 10);
    assert_int_equal(rp->r_seen, 10);
    assert_true(fabs(rp->p - 9.0 / 12) < 1e-12);
    assert_true(fabs(rp->p_rest - 1.0 / 12) < 1e-12);
    assert_true(fabs(rp->ratio - 9.0) < 1e-12);
    assert_true(fabs(rp->z_prop - prop_z(8, 10)) < 1e-12);
    assert_true(fabs(rp->z_diff - two_prop_z(8, 0, 10, 10)) < 1e-12);
    assert_true(fabs(rp->score - rp->ratio * rp->z_diff * rp->p * rp->z_prop) < 1e-12);
    /* and the other group names statement 0 as one it disagrees with: D = 10 of 10 against
     * the rest's 1 of 10 */
    rp = NULL;
    for (size_t i = 0; i < r.groups[1 - ga].n_repr; i++)
        if (r.groups[1 - ga].repr[i].statement == 0)
            rp = &r.groups[1 - ga].repr[i];
    assert_non_null(rp);
    assert_int_equal(rp->direction, -1);
    assert_int_equal(rp->n_disagree, 10);
    assert_int_equal(rp->r_disagree, 1);
    assert_true(fabs(rp->p - 11.0 / 12) < 1e-12);
    assert_true(fabs(rp->p_rest - 2.0 / 12) < 1e-12);
    opinion_result_free(&r);
}

/* ---- unlisted statements count but are never named ---- */

static void test_unlisted(void **state)
{
    struct votes vs;
    struct opinion_input in;
    struct opinion_result a, b;
    int camp[30];
    bool unl[12] = {0};
    (void)state;
    for (int p = 0; p < 30; p++)
        camp[p] = p % 2;
    camps(&vs, camp, 30);
    input(&in, &vs, 30, 12);
    assert_int_equal(opinion_fit(&in, &a), 0);
    for (int s = 0; s < 12; s++)
        unl[s] = s != 0 && s != 6;
    in.unlisted = unl;
    assert_int_equal(opinion_fit(&in, &b), 0);
    /* the same map and groups: they count */
    assert_int_equal(a.n_kept, b.n_kept);
    assert_int_equal(a.n_groups, b.n_groups);
    for (size_t i = 0; i < a.n_kept; i++) {
        assert_true(a.x[i] == b.x[i] && a.y[i] == b.y[i]);
        assert_int_equal(a.group[i], b.group[i]);
    }
    /* but only 0 and 6 are ever named */
    for (size_t g = 0; g < b.n_groups; g++) {
        assert_true(b.groups[g].n_repr > 0);
        for (size_t i = 0; i < b.groups[g].n_repr; i++)
            assert_true(!unl[b.groups[g].repr[i].statement]);
    }
    for (size_t i = 0; i < b.n_consensus; i++)
        assert_true(!unl[b.consensus[i].statement]);
    for (size_t i = 0; i < b.n_majority; i++)
        assert_true(!unl[b.majority[i].statement]);
    opinion_result_free(&a);
    opinion_result_free(&b);
}

/* ---- the carry: rule 3 alone ---- */

static void test_carry_k_rule(void **state)
{
    double sil[OPINION_MAX_GROUPS + 1] = {NAN, NAN, 0.40, 0.44, 0.30, NAN};
    struct opinion_state prev = {0}, next;
    (void)state;

    /* alone: 3 is better by 0.04, not clearly: the smaller k */
    assert_int_equal(opinion_carry_k(sil, 2, 5, NULL, &next), 2);
    assert_int_equal(next.k, 2);
    assert_int_equal(next.cand_k, 0);
    sil[3] = 0.46; /* better by 0.06: clearly */
    assert_int_equal(opinion_carry_k(sil, 2, 5, NULL, &next), 3);

    /* with a previous k of 2, 3 clearly better: held for two runs, changed on the third */
    prev.k = 2;
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 2);
    assert_int_equal(next.cand_k, 3);
    assert_int_equal(next.cand_runs, 1);
    prev = next;
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 2);
    assert_int_equal(next.cand_runs, 2);
    prev = next;
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 3);
    assert_int_equal(next.k, 3);
    assert_int_equal(next.cand_k, 0);
    assert_int_equal(next.cand_runs, 0);

    /* a run in between where 3 is not clearly better restarts the count */
    prev = (struct opinion_state){2, 0, 0};
    opinion_carry_k(sil, 2, 5, &prev, &next);
    prev = next;
    sil[3] = 0.44;
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 2);
    assert_int_equal(next.cand_k, 0);
    prev = next;
    sil[3] = 0.46;
    opinion_carry_k(sil, 2, 5, &prev, &next);
    assert_int_equal(next.cand_runs, 1);

    /* a previous k near the best is kept though a fit alone would take a smaller one */
    prev = (struct opinion_state){3, 0, 0};
    sil[3] = 0.43;
    assert_int_equal(opinion_carry_k(sil, 2, 5, NULL, NULL), 2);
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 3);
    /* a previous k that cannot be fitted now: the fit-alone k at once */
    prev = (struct opinion_state){5, 0, 0};
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 2);
    assert_int_equal(next.k, 2);
    /* nothing fitted */
    for (int k = 0; k <= OPINION_MAX_GROUPS; k++)
        sil[k] = NAN;
    assert_int_equal(opinion_carry_k(sil, 2, 5, &prev, &next), 0);
    assert_int_equal(next.k, 0);
}

/* ---- the carry: rule 2 alone ---- */

static void test_carry_numbering(void **state)
{
    /* clusters 0, 1, 2 of 9 participants; previously 0..2 were group 2, 3..5 group 0 and
     * 6..8 group 1 */
    const uint32_t assign[9] = {1, 1, 1, 2, 2, 0, 0, 0, 0};
    const uint32_t part[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    const int32_t prev[9] = {2, 2, 2, 0, 0, 0, 1, 1, 1};
    uint32_t num[3];
    (void)state;
    opinion_carry_number(assign, part, 9, 3, prev, num);
    /* cluster 1 (0..2) had group 2; cluster 2 (3, 4) group 0; cluster 0 (5..8) mostly 1 */
    assert_int_equal(num[1], 2);
    assert_int_equal(num[2], 0);
    assert_int_equal(num[0], 1);
    /* no previous run: by size, largest first */
    opinion_carry_number(assign, part, 9, 3, NULL, num);
    assert_int_equal(num[0], 0);
    assert_int_equal(num[1], 1);
    assert_int_equal(num[2], 2);
    /* fewer groups than before: the survivors keep their order, numbered from 0 */
    {
        const uint32_t a2[9] = {0, 0, 0, 1, 1, 1, 1, 1, 1};
        const int32_t p2[9] = {2, 2, 2, 0, 0, 0, 0, 1, 1};
        opinion_carry_number(a2, part, 9, 2, p2, num);
        assert_int_equal(num[1], 0); /* took group 0 */
        assert_int_equal(num[0], 1); /* took group 2, after it */
    }
}

/* ---- the carry through opinion_fit ---- */

static void fit_camps(const int *camp, size_t np, const struct opinion_carry *cy,
                      struct opinion_result *r)
{
    static struct votes vs;
    struct opinion_input in;
    camps(&vs, camp, np);
    input(&in, &vs, np, 12);
    in.carry = cy;
    assert_int_equal(opinion_fit(&in, r), 0);
}

/* Numbering stays when votes arrive: 31 in camp 0, 30 in camp 1 give group 0 = camp 0 (the
 * larger); two more people join camp 1, which becomes the larger. Without the carry camp 1
 * is now group 0; with it camp 0 keeps number 0 and nobody changes group. */
static void test_carry_numbering_fit(void **state)
{
    int camp[63];
    struct opinion_result r1, fresh, carried, one;
    struct opinion_carry cy;
    int32_t prev[63];
    (void)state;
    for (int p = 0; p < 63; p++)
        camp[p] = p < 31 ? 0 : 1;
    fit_camps(camp, 61, NULL, &r1);
    assert_int_equal(r1.n_groups, 2);
    assert_int_equal(r1.group_of[0], 0);
    for (int p = 0; p < 61; p++)
        assert_int_equal(r1.group_of[p], camp[p]);

    fit_camps(camp, 63, NULL, &fresh);
    assert_int_equal(fresh.n_groups, 2);
    assert_int_equal(fresh.group_of[0], 1); /* the flip the carry prevents */

    for (int p = 0; p < 63; p++)
        prev[p] = p < 61 ? r1.group_of[p] : -1;
    cy.prev_group = prev;
    cy.state = r1.state;
    fit_camps(camp, 63, &cy, &carried);
    assert_int_equal(carried.n_groups, 2);
    for (int p = 0; p < 63; p++)
        assert_int_equal(carried.group_of[p], camp[p]);
    assert_int_equal(carried.state.k, 2);

    /* one vote added (participant 0 votes again on statement 3, the other way): same
     * numbers for everyone */
    {
        static struct votes vs;
        struct opinion_input in;
        camps(&vs, camp, 61);
        add(&vs, 0, 3, -1);
        input(&in, &vs, 61, 12);
        for (int p = 0; p < 61; p++)
            prev[p] = r1.group_of[p];
        cy.state = r1.state;
        in.carry = &cy;
        assert_int_equal(opinion_fit(&in, &one), 0);
        for (int p = 0; p < 61; p++)
            assert_int_equal(one.group_of[p], r1.group_of[p]);
        opinion_result_free(&one);
    }
    opinion_result_free(&r1);
    opinion_result_free(&fresh);
    opinion_result_free(&carried);
}

/* The number of groups: the previous run had 3 (camp 1 split in two); the votes clearly
 * make 2. The carry holds 3 for OPINION_CARRY_RUNS − 1 runs and changes on the next. */
static void test_carry_k_fit(void **state)
{
    int camp[60];
    struct opinion_result r;
    struct opinion_carry cy;
    int32_t prev[60];
    size_t run;
    (void)state;
    for (int p = 0; p < 60; p++) {
        camp[p] = p % 2;
        prev[p] = camp[p] == 0 ? 0 : p < 30 ? 1 : 2;
    }
    cy.prev_group = prev;
    cy.state = (struct opinion_state){3, 0, 0};
    for (run = 1; run <= OPINION_CARRY_RUNS; run++) {
        fit_camps(camp, 60, &cy, &r);
        assert_true(r.silhouette[2] > r.silhouette[3] + OPINION_CARRY_MARGIN);
        if (run < OPINION_CARRY_RUNS) {
            assert_int_equal(r.n_groups, 3);
            assert_int_equal(r.state.k, 3);
            assert_int_equal(r.state.cand_k, 2);
            assert_int_equal(r.state.cand_runs, run);
        } else {
            assert_int_equal(r.n_groups, 2);
            assert_int_equal(r.state.k, 2);
            assert_int_equal(r.state.cand_k, 0);
            /* the surviving numbers: camp 0 kept group 0 */
            for (int p = 0; p < 60; p++)
                assert_int_equal(r.group_of[p], camp[p]);
        }
        memcpy(prev, r.group_of, sizeof prev);
        cy.state = r.state;
        opinion_result_free(&r);
    }

    /* a state out of range is refused */
    {
        static struct votes vs;
        struct opinion_input in;
        camps(&vs, camp, 60);
        input(&in, &vs, 60, 12);
        prev[3] = OPINION_MAX_GROUPS;
        in.carry = &cy;
        assert_int_equal(opinion_fit(&in, &r), APP_E_INVALID);
        prev[3] = 0;
        cy.state.k = OPINION_MAX_GROUPS + 1;
        assert_int_equal(opinion_fit(&in, &r), APP_E_INVALID);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moderated_out_scaling),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_group_versus_rest),
        cmocka_unit_test(test_unlisted),
        cmocka_unit_test(test_carry_k_rule),
        cmocka_unit_test(test_carry_numbering),
        cmocka_unit_test(test_carry_numbering_fit),
        cmocka_unit_test(test_carry_k_fit),
    };
    return cmocka_run_group_tests_name("text/opinion_polis", tests, NULL, NULL);
}
