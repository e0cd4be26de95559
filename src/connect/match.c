/* match.c: the mentoring assignment as a min-cost flow, solved by GLPK's simplex on its
 * linear programme, with pairs priced in as needed and the optimum proved in integers
 *
 * The model. One column x_ij per allowed pair that can raise the total (score > 0, mentor
 * takes anyone), maximise Σ score_ij·x_ij subject to
 *     for each mentee i:  Σ_j x_ij ≤ 1          (the slack is "stays unmatched")
 *     for each mentor j:  Σ_i x_ij ≤ capacity_j
 *     x_ij ≥ 0.
 * This is the min-cost flow of match.h written as an LP: mentee rows are the source→mentee
 * arcs, mentor rows the mentor→sink arcs, the slack of a mentee row the bypass arc. The
 * constraint matrix is the incidence matrix of a bipartite graph, totally unimodular, so
 * with integer right-hand sides and integer scores (thousandths of a point, MATCH_SCALE)
 * every basic solution, primal (x) and dual (u per mentee, v per mentor), is integral.
 * Rows: mentors first (row j + 1), then mentees' rows as they are needed (below).
 *
 * Solving (optimise). Most pairs never matter: a mentee is matched to one of its best few
 * or not at all. The programme starts with one column per mentee, its pair in the greedy
 * assignment (or its best pair if greedy left it out), with the greedy assignment as the
 * starting basis (greedy_basis). After each simplex run the row duals price every other
 * pair; the most promising of those with a positive reduced cost (score > u_i + v_j)
 * become columns and the simplex continues from where it stopped (price). When none is
 * left the restricted optimum is the optimum of the whole problem (column generation). A
 * mentee gets its row only once it has two columns; until then its one column's upper
 * bound of 1 says the same (add_columns). The simplex's time per pivot grows with the
 * rows, so this halves it. On 10,000 × 3,000 × 50 that is about 11 rounds and 16,000 of
 * the 500,000 pairs: 0.7 s of CPU where the programme of every pair took 22 s
 * (docs/connect.md has the figures).
 *
 * Why the answer is exact. The simplex works in floating point, but its answer is not
 * trusted: the flows and duals are rounded to integers and certify() checks, in 64-bit
 * integers, that they satisfy the optimality conditions of the LP (primal feasible, dual
 * feasible over every usable pair, complementary slackness). By weak duality that proves
 * no assignment has a larger total, whatever GLPK's tolerances were. Should floating point
 * ever not give such a certificate, glp_exact re-solves the programme from the same basis in
 * exact rational arithmetic and the certificate is checked again; if it still fails the
 * solve fails (APP_E_INTERNAL) rather than return an assignment that is not proved.
 * match_solve_with() can also run the first formulation (every pair a column, simplex, then
 * glp_exact every time), which the tests and the benchmark compare with.
 *
 * Why not GLPK's network solvers: glp_mincost_relax4 (RELAX-IV) is shipped disabled in
 * Debian's GLPK 5.0 for licensing reasons (it prints "temporarily disabled due to
 * licensing problems" and aborts), and glp_mincost_okalg (out-of-kilter) starts from zero
 * flow and scans every arc at each step: the same totals, but 6.6 s on 1,000 × 300 × 30
 * and 161 s on 5,000 × 1,000 × 30, where this takes 0.02 s and 0.1 s.
 *
 * The answer is checked again before it is returned: every mentee matched at most once by
 * an allowed pair, no mentor over capacity, and every unmatched mentee's allowed mentors full
 * with mentees who score at least as well with them (what the "why unmatched" sentence
 * states, so the sentence is never a guess).
 */
#include "connect/match.h"
#include "core/err.h"

#include <glpk.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pair_cmp(const void *a, const void *b)
{
    const struct match_pair *p = a, *q = b;
    if (p->mentee != q->mentee)
        return p->mentee < q->mentee ? -1 : 1;
    if (p->mentor != q->mentor)
        return p->mentor < q->mentor ? -1 : 1;
    return 0;
}

const char *match_reason_text(enum match_reason why)
{
    switch (why) {
    case MATCH_MATCHED:
        return "matched";
    case MATCH_NO_PAIR:
        return "no allowed mentor";
    case MATCH_NO_POSITIVE:
        return "no allowed mentor scores above zero";
    case MATCH_MENTORS_FULL:
        return "every allowed mentor is at capacity with mentees who score as well or better";
    }
    return "unknown";
}

bool match_parse_score(const char *s, int64_t *out)
{
    char *end;
    double d;
    if (!s || !*s)
        return false;
    /* strtod would also take "inf", "nan" and hexadecimal: spreadsheets never mean those */
    for (const char *c = s; *c; c++)
        if (!strchr("0123456789+-.eE", *c))
            return false;
    d = strtod(s, &end);
    if (*end || end == s || !isfinite(d) || fabs(d) > (double)MATCH_SCORE_MAX / MATCH_SCALE)
        return false;
    *out = llround(d * MATCH_SCALE);
    return true;
}

char *match_format_score(int64_t v, char *out, size_t n)
{
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    unsigned frac = (unsigned)(a % MATCH_SCALE);
    int len;
    len = snprintf(out, n, "%s%llu", v < 0 ? "-" : "", (unsigned long long)(a / MATCH_SCALE));
    if (frac && len > 0 && (size_t)len < n) {
        char f[8];
        size_t k;
        snprintf(f, sizeof f, "%03u", frac);
        for (k = strlen(f); k > 0 && f[k - 1] == '0'; k--)
            f[k - 1] = '\0';
        snprintf(out + len, n - (size_t)len, ".%s", f);
    }
    return out;
}

void match_result_free(struct match_result *r)
{
    if (!r)
        return;
    free(r->mentor);
    free(r->score);
    free(r->reason);
    free(r->alt);
    free(r->nalt);
    memset(r, 0, sizeof *r);
}

/* A pair the network carries: it can raise the total and its mentor takes someone. */
static bool usable(const struct match_problem *p, const struct match_pair *q)
{
    return q->score > 0 && p->capacity[q->mentor] > 0;
}

/* Score descending, then the canonical order (index into the sorted pairs). */
struct ranked {
    int64_t score;
    size_t e;
};

static int by_score(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->e < b->e ? -1 : a->e > b->e;
}

/* One solve's working state. Indices e are into the sorted pairs s; mentee i's pairs are
 * s[first[i] .. first[i+1]), and its usable ones, best first, best[first[i] .. + nbest[i]). */
struct solve {
    const struct match_problem *p;
    const struct match_pair *s;
    const size_t *first;
    size_t *best;
    uint32_t *nbest;
    int *col;        /* per pair: its LP column, 0 while it has none */
    int *row;        /* per mentee: its LP row, 0 while it has fewer than two columns */
    int *only;       /* per mentee without a row: its one column, 0 for none */
    uint32_t *ncol;  /* per mentee: how many columns */
    size_t *colpair; /* per LP column (from 1): its pair */
    size_t ncols;
    size_t *pick;   /* per mentee: the pair it is matched by, SIZE_MAX for none */
    int64_t *u, *v; /* the duals as integers, per mentee and per mentor */
    uint32_t *load;
    glp_prob *lp;
};

/* The usable pairs by score descending, ties in pair order, into ord[] (npairs entries at
 * most; their number into *k): a stable least-significant-digit radix sort on the 12-bit
 * digits of MATCH_SCORE_MAX − score, which lies below 2^24 for a usable pair (0 < score ≤
 * MATCH_SCORE_MAX). Linear in the pairs, where qsort took about 0.1 s of the solve on
 * 10,000 × 3,000 × 50. */
_Static_assert(MATCH_SCORE_MAX < (1LL << 24), "scores fit two 12-bit digits");

static unsigned digit(int64_t score, int shift)
{
    return (unsigned)(((uint64_t)(MATCH_SCORE_MAX - score) >> shift) & 4095);
}

static int order_by_score(const struct solve *w, size_t *ord, size_t *k)
{
    const struct match_problem *p = w->p;
    size_t n = 0, *tmp = malloc((p->npairs ? p->npairs : 1) * sizeof *tmp), *a = ord, *b = tmp;
    if (!tmp)
        return APP_E_NOMEM;
    for (size_t e = 0; e < p->npairs; e++)
        if (usable(p, &w->s[e]))
            a[n++] = e;
    for (int shift = 0; shift < 24; shift += 12) {
        size_t cnt[4096 + 1] = {0}, *swap;
        for (size_t t = 0; t < n; t++)
            cnt[digit(w->s[a[t]].score, shift) + 1]++;
        for (size_t d = 0; d < 4096; d++)
            cnt[d + 1] += cnt[d];
        for (size_t t = 0; t < n; t++)
            b[cnt[digit(w->s[a[t]].score, shift)]++] = a[t];
        swap = a, a = b, b = swap;
    }
    /* after two passes the sorted run is back in ord */
    free(tmp);
    *k = n;
    return APP_OK;
}

/* From the pairs by score: each mentee's usable pairs best first (the first columns,
 * pricing and the alternatives read them in this order), and the greedy assignment (best
 * pair first while both sides have room) into pick[], the simplex's starting point. */
static int rank_and_greedy(struct solve *w)
{
    const struct match_problem *p = w->p;
    size_t *ord = malloc((p->npairs ? p->npairs : 1) * sizeof *ord), k = 0;
    int rc = APP_E_NOMEM;
    if (!ord || (rc = order_by_score(w, ord, &k)) != APP_OK)
        goto done;
    for (size_t i = 0; i < p->nmentees; i++) {
        w->nbest[i] = 0;
        w->pick[i] = SIZE_MAX;
    }
    memset(w->load, 0, (p->nmentors ? p->nmentors : 1) * sizeof *w->load);
    for (size_t t = 0; t < k; t++) {
        const struct match_pair *q = &w->s[ord[t]];
        w->best[w->first[q->mentee] + w->nbest[q->mentee]++] = ord[t];
        if (w->pick[q->mentee] != SIZE_MAX || w->load[q->mentor] >= p->capacity[q->mentor])
            continue;
        w->pick[q->mentee] = ord[t];
        w->load[q->mentor]++;
    }
    rc = APP_OK;
done:
    free(ord);
    return rc;
}

/* Adds the pairs add[0 .. k) as columns x ≥ 0, objective their score, a 1 in the rows of
 * their mentor (row j + 1) and of their mentee. A mentee gets a row only once it has two
 * columns: with one, "matched at most once" is the column's upper bound 1, and the
 * programme, hence every simplex iteration, is smaller (most mentees have one column in the
 * first round). When a mentee's second column comes, its row is added and its first column
 * moved into it, keeping the basis valid: a column at its bound 1 becomes basic with the new
 * row non-basic at 1, otherwise the row's slack is basic. New columns enter non-basic at 0,
 * so the basis stays valid and primal feasible and the next simplex run starts where the
 * last one stopped. */
static void add_columns(struct solve *w, const size_t *add, size_t k)
{
    int c, r, need = 0;
    if (!k)
        return;
    for (size_t t = 0; t < k; t++) {
        uint32_t i = w->s[add[t]].mentee;
        if (++w->ncol[i] == 2 && !w->row[i]) {
            w->row[i] = -1; /* a row to add */
            need++;
        }
    }
    r = need ? glp_add_rows(w->lp, need) : 0;
    for (size_t t = 0; t < k && need; t++) {
        uint32_t i = w->s[add[t]].mentee;
        int c0 = w->only[i];
        if (w->row[i] != -1)
            continue;
        w->row[i] = r++;
        need--;
        glp_set_row_bnds(w->lp, w->row[i], GLP_UP, 0, 1);
        glp_set_row_stat(w->lp, w->row[i], GLP_BS);
        if (c0) {
            const int ind[3] = {0, w->row[i], (int)w->s[w->colpair[c0]].mentor + 1};
            const double val[3] = {0, 1, 1};
            int stat = glp_get_col_stat(w->lp, c0);
            glp_set_col_bnds(w->lp, c0, GLP_LO, 0, 0);
            glp_set_mat_col(w->lp, c0, 2, ind, val);
            if (stat == GLP_NU) {
                glp_set_col_stat(w->lp, c0, GLP_BS);
                glp_set_row_stat(w->lp, w->row[i], GLP_NU);
            } else {
                glp_set_col_stat(w->lp, c0, stat == GLP_BS ? GLP_BS : GLP_NL);
            }
            w->only[i] = 0;
        }
    }
    c = glp_add_cols(w->lp, (int)k);
    for (size_t t = 0; t < k; t++, c++) {
        const struct match_pair *q = &w->s[add[t]];
        const int ind[3] = {0, (int)q->mentor + 1, w->row[q->mentee]};
        const double val[3] = {0, 1, 1};
        w->col[add[t]] = c;
        w->colpair[c] = add[t];
        glp_set_obj_coef(w->lp, c, (double)q->score);
        if (w->row[q->mentee]) {
            glp_set_col_bnds(w->lp, c, GLP_LO, 0, 0);
            glp_set_mat_col(w->lp, c, 2, ind, val);
        } else {
            glp_set_col_bnds(w->lp, c, GLP_DB, 0, 1);
            glp_set_mat_col(w->lp, c, 1, ind, val);
            w->only[q->mentee] = c;
        }
        glp_set_col_stat(w->lp, c, GLP_NL);
    }
    w->ncols += k;
}

/* The starting basis, from the greedy assignment: each greedy pair's column basic and its
 * mentee's row non-basic at its bound 1, or, for a mentee without a row, the column
 * non-basic at its bound 1; every other row basic (its slack), every other column non-basic
 * at 0. Ordered by the mentee rows the basis matrix is triangular with a unit diagonal, so
 * it is nonsingular, and it is primal feasible (loads within capacity). */
static void greedy_basis(struct solve *w)
{
    int rows = glp_get_num_rows(w->lp);
    for (int row = 1; row <= rows; row++)
        glp_set_row_stat(w->lp, row, GLP_BS);
    for (size_t i = 0; i < w->p->nmentees; i++)
        if (w->pick[i] != SIZE_MAX) {
            int c = w->col[w->pick[i]];
            if (w->row[i]) {
                glp_set_col_stat(w->lp, c, GLP_BS);
                glp_set_row_stat(w->lp, w->row[i], GLP_NU);
            } else {
                glp_set_col_stat(w->lp, c, GLP_NU);
            }
        }
}

/* A dual value as the integer it stands for; false when it is beyond any a solution of
 * these scores can have (never expected). */
static bool dual_int(double d, int64_t *out)
{
    if (!isfinite(d) || fabs(d) > 4.0 * (double)MATCH_SCORE_MAX)
        return false;
    *out = llround(d);
    return true;
}

/* The LP's solution as integers: the assignment into pick[], the duals into u and v: a
 * mentor's and a mentee's row dual, or, for a mentee without a row, what its one column
 * leaves (score − v_j when it is matched by it, else 0). False when a flow is not within
 * 1e-6 of 0 or 1, or a mentee would be matched twice. The rounding needs no trust:
 * certify() checks the integers themselves. */
static bool read_solution(struct solve *w)
{
    const struct match_problem *p = w->p;
    for (size_t j = 0; j < p->nmentors; j++)
        if (!dual_int(glp_get_row_dual(w->lp, (int)j + 1), &w->v[j]))
            return false;
    for (size_t i = 0; i < p->nmentees; i++) {
        w->pick[i] = SIZE_MAX;
        w->u[i] = 0;
        if (w->row[i] && !dual_int(glp_get_row_dual(w->lp, w->row[i]), &w->u[i]))
            return false;
    }
    for (size_t c = 1; c <= w->ncols; c++) {
        double x = glp_get_col_prim(w->lp, (int)c);
        const struct match_pair *q = &w->s[w->colpair[c]];
        if (fabs(x) <= 1e-6)
            continue;
        if (fabs(x - 1) > 1e-6 || w->pick[q->mentee] != SIZE_MAX)
            return false;
        w->pick[q->mentee] = w->colpair[c];
        if (!w->row[q->mentee])
            w->u[q->mentee] = q->score - w->v[q->mentor];
    }
    return true;
}

/* Pricing: a usable pair without a column whose score exceeds its mentee's and mentor's
 * duals has a positive reduced cost (the total could still rise through it). Each mentee's
 * best-scoring such pair is a candidate; of those, the PRICE_ROUND (or a tenth of the
 * mentees, if more) with the largest reduced costs go into add[], ties by pair. Adding few
 * at a time keeps the programme, hence every simplex iteration, small: on 10,000 × 3,000 ×
 * 50 the last programme has 16,000 of the 500,000 pairs. The rounds stop when no pair
 * prices out. Returns how many were added. */
#define PRICE_ROUND 1000

static size_t price(const struct solve *w, size_t *add, struct ranked *cand)
{
    const size_t m = w->p->nmentees, most = m / 10 > PRICE_ROUND ? m / 10 : PRICE_ROUND;
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        for (uint32_t t = 0; t < w->nbest[i]; t++) {
            size_t e = w->best[w->first[i] + t];
            const struct match_pair *q = &w->s[e];
            int64_t d = q->score - w->u[i] - w->v[q->mentor];
            if (!w->col[e] && d > 0) {
                cand[k++] = (struct ranked){d, e};
                break;
            }
        }
    if (k > most) {
        qsort(cand, k, sizeof *cand, by_score);
        k = most;
    }
    for (size_t t = 0; t < k; t++)
        add[t] = cand[t].e;
    return k;
}

/* The proof of optimality, in integers. With x the assignment in pick[] and u, v the duals:
 * (1) x keeps every rule; (2) u, v ≥ 0 and score ≤ u_i + v_j for every usable pair (dual
 * feasible); (3) score = u_i + v_j on every matched pair; (4) u_i > 0 only for a matched
 * mentee; (5) v_j > 0 only for a full mentor. Then Σ score·x = Σ_i u_i + Σ_j capacity_j·v_j,
 * and that bounds the total of every assignment (weak duality: any assignment's total is at
 * most Σ over its pairs of u_i + v_j, since a pair that is not usable scores ≤ 0 ≤ u_i + v_j
 * or has a mentor who takes no one, and that sum is at most Σ u_i + Σ capacity_j·v_j).
 * So no assignment beats x. Every value is within ±4·MATCH_SCORE_MAX: no overflow. */
static bool certify(struct solve *w)
{
    const struct match_problem *p = w->p;
    memset(w->load, 0, (p->nmentors ? p->nmentors : 1) * sizeof *w->load);
    for (size_t j = 0; j < p->nmentors; j++)
        if (w->v[j] < 0)
            return false;
    for (size_t i = 0; i < p->nmentees; i++) {
        size_t e = w->pick[i];
        if (w->u[i] < 0)
            return false;
        if (e == SIZE_MAX) {
            if (w->u[i] > 0)
                return false;
        } else {
            const struct match_pair *q = &w->s[e];
            if (q->mentee != i || !usable(p, q) || ++w->load[q->mentor] > p->capacity[q->mentor] ||
                q->score != w->u[i] + w->v[q->mentor])
                return false;
        }
        for (uint32_t t = 0; t < w->nbest[i]; t++) {
            const struct match_pair *q = &w->s[w->best[w->first[i] + t]];
            if (q->score > w->u[i] + w->v[q->mentor])
                return false;
        }
    }
    for (size_t j = 0; j < p->nmentors; j++)
        if (w->v[j] > 0 && w->load[j] != p->capacity[j])
            return false;
    return true;
}

/* The programme's first columns: one per mentee, its greedy pair, or its best usable pair
 * if greedy left it unmatched (all usable pairs with MATCH_ALL_COLUMNS). Then simplex, pricing,
 * simplex… until no pair prices out and the certificate holds; glp_exact when floating point does
 * not give one. */
static int optimise(struct solve *w, unsigned flags, struct match_stats *st)
{
    const struct match_problem *p = w->p;
    const size_t m = p->nmentees, n = p->nmentors;
    size_t *add, k = 0;
    struct ranked *cand;
    glp_smcp parm;
    bool exact = (flags & MATCH_EXACT_ALWAYS) != 0;
    int rc = APP_E_INTERNAL, ret;

    add = malloc((p->npairs ? p->npairs : 1) * sizeof *add);
    cand = malloc((m ? m : 1) * sizeof *cand);
    if (!add || !cand) {
        free(add);
        free(cand);
        return APP_E_NOMEM;
    }
    for (size_t i = 0; i < m; i++)
        for (uint32_t t = 0; t < w->nbest[i]; t++) {
            size_t e = w->best[w->first[i] + t];
            if (e == w->pick[i] || (w->pick[i] == SIZE_MAX && t == 0) ||
                (flags & MATCH_ALL_COLUMNS))
                add[k++] = e;
        }
    glp_term_out(GLP_OFF);
    w->lp = glp_create_prob();
    glp_set_obj_dir(w->lp, GLP_MAX);
    glp_add_rows(w->lp, (int)n);
    for (size_t j = 0; j < n; j++)
        glp_set_row_bnds(w->lp, (int)j + 1, GLP_UP, 0, p->capacity[j]);
    add_columns(w, add, k);
    greedy_basis(w);
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    /* Dantzig's rule and the textbook ratio test: on this problem each pivots faster than
     * projected steepest edge and Harris's test (5,000 × 1,000 and 10,000 × 3,000; GLPK
     * perturbs the bounds itself should degenerate pivots stall). The first formulation
     * (MATCH_ALL_COLUMNS) keeps Harris's test, as it was. */
    parm.pricing = GLP_PT_STD;
    parm.r_test = (flags & MATCH_ALL_COLUMNS) ? GLP_RT_HAR : GLP_RT_STD;
    for (;;) {
        st->rounds++;
        ret = glp_simplex(w->lp, &parm);
        if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
            /* never expected (see greedy_basis); start from the all-slack basis then */
            glp_std_basis(w->lp);
            ret = glp_simplex(w->lp, &parm);
        }
        if (ret != 0 || glp_get_status(w->lp) != GLP_OPT)
            goto done;
        if (exact) {
            st->exact = true;
            if (glp_exact(w->lp, &parm) != 0 || glp_get_status(w->lp) != GLP_OPT)
                goto done;
        }
        if (!read_solution(w)) {
            if (exact)
                goto done;
            exact = true; /* floating point was not close enough: ask rational arithmetic */
            continue;
        }
        if ((k = price(w, add, cand)) > 0) {
            add_columns(w, add, k);
            continue;
        }
        if (certify(w))
            break;
        if (exact)
            goto done;
        exact = true;
    }
    rc = APP_OK;
done:
    st->columns = w->ncols;
    st->iterations = (size_t)glp_get_it_cnt(w->lp);
    free(add);
    free(cand);
    return rc;
}

int match_solve_with(const struct match_problem *p, unsigned flags, struct match_result *r,
                     struct match_stats *stats)
{
    const size_t m = p ? p->nmentees : 0, n = p ? p->nmentors : 0;
    struct match_pair *s = NULL;
    size_t *first = NULL;
    int64_t *weakest = NULL; /* per mentor: the lowest score among its mentees */
    struct solve w = {0};
    struct match_stats st = {0};
    int rc = APP_E_INVALID;

    memset(r, 0, sizeof *r);
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!p || m > MATCH_SIZE_MAX || n > MATCH_SIZE_MAX || p->npairs > MATCH_SIZE_MAX ||
        (n && !p->capacity) || (p->npairs && !p->pairs) || (flags & ~MATCH_FLAGS_ALL))
        return APP_E_INVALID;
    for (size_t j = 0; j < n; j++)
        if (p->capacity[j] > MATCH_CAPACITY_MAX)
            return APP_E_INVALID;
    rc = APP_E_NOMEM;
    r->nmentees = m;
    r->mentor = malloc((m ? m : 1) * sizeof *r->mentor);
    r->score = calloc(m ? m : 1, sizeof *r->score);
    r->reason = calloc(m ? m : 1, sizeof *r->reason);
    r->alt = calloc((m ? m : 1) * MATCH_ALTERNATIVES, sizeof *r->alt);
    r->nalt = calloc(m ? m : 1, sizeof *r->nalt);
    s = malloc((p->npairs ? p->npairs : 1) * sizeof *s);
    first = calloc(m + 1, sizeof *first);
    weakest = malloc((n ? n : 1) * sizeof *weakest);
    w.best = malloc((p->npairs ? p->npairs : 1) * sizeof *w.best);
    w.nbest = calloc(m ? m : 1, sizeof *w.nbest);
    w.col = calloc(p->npairs ? p->npairs : 1, sizeof *w.col);
    w.row = calloc(m ? m : 1, sizeof *w.row);
    w.only = calloc(m ? m : 1, sizeof *w.only);
    w.ncol = calloc(m ? m : 1, sizeof *w.ncol);
    w.colpair = malloc((p->npairs + 1) * sizeof *w.colpair);
    w.pick = malloc((m ? m : 1) * sizeof *w.pick);
    w.u = calloc(m ? m : 1, sizeof *w.u);
    w.v = calloc(n ? n : 1, sizeof *w.v);
    w.load = calloc(n ? n : 1, sizeof *w.load);
    if (!r->mentor || !r->score || !r->reason || !r->alt || !r->nalt || !s || !first || !weakest ||
        !w.best || !w.nbest || !w.col || !w.row || !w.only || !w.ncol || !w.colpair || !w.pick ||
        !w.u || !w.v || !w.load)
        goto done;
    for (size_t i = 0; i < m; i++)
        r->mentor[i] = -1;

    /* The canonical order: the programme, hence GLPK's path and its choice among equal
     * optima, depends on the set of pairs only. */
    rc = APP_E_INVALID;
    if (p->npairs)
        memcpy(s, p->pairs, p->npairs * sizeof *s);
    for (size_t e = 0; e < p->npairs; e++)
        if (s[e].mentee >= m || s[e].mentor >= n || s[e].score > MATCH_SCORE_MAX ||
            s[e].score < -MATCH_SCORE_MAX)
            goto done;
    qsort(s, p->npairs, sizeof *s, pair_cmp);
    for (size_t e = 0; e < p->npairs; e++) {
        if (e && !pair_cmp(&s[e - 1], &s[e]))
            goto done;
        first[s[e].mentee + 1]++;
    }
    for (size_t i = 0; i < m; i++)
        first[i + 1] += first[i];

    w.p = p;
    w.s = s;
    w.first = first;
    if ((rc = rank_and_greedy(&w)) != APP_OK)
        goto done;
    for (size_t i = 0; i < m; i++)
        st.usable += w.nbest[i];
    if (st.usable && (rc = optimise(&w, flags, &st)) != APP_OK)
        goto done;

    /* the assignment, checked once more against the rules as the caller will read it */
    rc = APP_E_INTERNAL;
    memset(w.load, 0, (n ? n : 1) * sizeof *w.load);
    for (size_t j = 0; j < n; j++)
        weakest[j] = INT64_MAX;
    for (size_t i = 0; i < m; i++) {
        const struct match_pair *q;
        if (w.pick[i] == SIZE_MAX)
            continue;
        q = &s[w.pick[i]];
        if (q->mentee != i || q->score <= 0 || ++w.load[q->mentor] > p->capacity[q->mentor])
            goto done;
        r->mentor[i] = (int32_t)q->mentor;
        r->score[i] = q->score;
        r->total += q->score;
        r->matched++;
        if (q->score < weakest[q->mentor])
            weakest[q->mentor] = q->score;
    }

    for (size_t i = 0; i < m; i++) {
        bool any = false, positive = false;
        uint8_t k = 0;
        if (r->mentor[i] >= 0) {
            r->reason[i] = MATCH_MATCHED;
        } else {
            for (size_t e = first[i]; e < first[i + 1]; e++) {
                const struct match_pair *q = &s[e];
                if (!p->capacity[q->mentor])
                    continue;
                any = true;
                if (q->score <= 0)
                    continue;
                positive = true;
                /* optimality, locally: room, or a weaker mentee, would be an improvement */
                if (w.load[q->mentor] < p->capacity[q->mentor] || weakest[q->mentor] < q->score)
                    goto done;
            }
            r->reason[i] = !any        ? MATCH_NO_PAIR
                           : !positive ? MATCH_NO_POSITIVE
                                       : MATCH_MENTORS_FULL;
        }
        /* the next best five: usable pairs best first, the matched mentor left out */
        for (uint32_t t = 0; t < w.nbest[i] && k < MATCH_ALTERNATIVES; t++) {
            const struct match_pair *q = &s[w.best[first[i] + t]];
            if ((int32_t)q->mentor != r->mentor[i])
                r->alt[i * MATCH_ALTERNATIVES + k++] = (struct match_alt){q->mentor, q->score};
        }
        r->nalt[i] = k;
    }
    rc = APP_OK;
done:
    if (w.lp) {
        glp_delete_prob(w.lp);
        glp_free_env();
    }
    free(s);
    free(first);
    free(weakest);
    free(w.best);
    free(w.nbest);
    free(w.col);
    free(w.row);
    free(w.only);
    free(w.ncol);
    free(w.colpair);
    free(w.pick);
    free(w.u);
    free(w.v);
    free(w.load);
    if (rc)
        match_result_free(r);
    else if (stats)
        *stats = st;
    return rc;
}

int match_solve(const struct match_problem *p, struct match_result *r)
{
    return match_solve_with(p, 0, r, NULL);
}
