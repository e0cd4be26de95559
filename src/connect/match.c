/* match.c: the mentoring assignment as a linear programme, solved and proved optimal by GLPK
 *
 * The model. One column x_ij per allowed pair that can raise the total (score > 0, mentor
 * takes anyone), maximise Σ score_ij·x_ij subject to
 *     for each mentee i:  Σ_j x_ij ≤ 1          (the slack is "stays unmatched")
 *     for each mentor j:  Σ_i x_ij ≤ capacity_j
 *     x_ij ≥ 0.
 * This is the min-cost flow of match.h written as an LP: mentee rows are the source→mentee
 * arcs, mentor rows the mentor→sink arcs, the slack of a mentee row the bypass arc.
 *
 * Why the answer is exact. The constraint matrix is the incidence matrix of a bipartite
 * graph, which is totally unimodular; with integer right-hand sides every vertex of the
 * polytope is integral, so an optimal basic solution IS an optimal assignment (x = 0 or 1),
 * with nothing to round. GLPK's primal simplex (glp_simplex) finds an optimal basis quickly
 * in floating point; glp_exact then takes that basis and re-checks it, and pivots further if
 * needed, in exact rational arithmetic, so optimality is proved, not assumed up to a
 * tolerance. Scores enter as integers (thousandths of a point, MATCH_SCALE), which doubles
 * hold exactly; the total is summed again in 64-bit integers and must equal GLPK's
 * objective.
 *
 * Why not GLPK's network solvers: glp_mincost_relax4 (RELAX-IV) is shipped disabled in
 * Debian's GLPK for licensing reasons (it aborts when called), and glp_mincost_okalg
 * (out-of-kilter, also exact) took 4 s on 1,000 mentees × 300 mentors × 30 pairs where the
 * simplex and its exact check take about 0.12 s.
 *
 * The answer is checked before it is returned: every x is exactly 0 or 1 on a pair, every
 * mentee is matched at most once, no mentor goes over capacity, the total equals GLPK's
 * objective, and every unmatched mentee's allowed mentors are full with mentees who score at
 * least as well with them (otherwise adding or swapping that pair would raise the total, so
 * the assignment could not be optimal). That last check is also what the "why unmatched"
 * sentence states, so the sentence is never a guess.
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

/* The next best mentors of mentee i from its sorted pairs [lo, hi): repeated selection of
 * the best not yet taken (score descending, then mentor index), five at most. */
static void alternatives(const struct match_problem *p, const struct match_pair *s, size_t lo,
                         size_t hi, int32_t matched, struct match_alt *alt, uint8_t *nalt)
{
    uint8_t k = 0;
    while (k < MATCH_ALTERNATIVES) {
        const struct match_pair *best = NULL;
        for (size_t e = lo; e < hi; e++) {
            const struct match_pair *q = &s[e];
            bool taken = (int32_t)q->mentor == matched;
            if (!usable(p, q) || taken)
                continue;
            for (uint8_t t = 0; t < k && !taken; t++)
                taken = alt[t].mentor == q->mentor;
            if (taken)
                continue;
            /* pairs are in mentor order, so ">" keeps the lower index on equal scores */
            if (!best || q->score > best->score)
                best = q;
        }
        if (!best)
            break;
        alt[k].mentor = best->mentor;
        alt[k].score = best->score;
        k++;
    }
    *nalt = k;
}

struct ranked {
    int64_t score;
    size_t e; /* index into the sorted pairs */
};

/* Score descending, then the canonical order: the greedy start is deterministic too. */
static int by_score(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->e < b->e ? -1 : a->e > b->e;
}

/* The simplex's starting basis: the greedy assignment (best pair first while both sides have
 * room). Each greedy pair's column is basic and its mentee's row non-basic at its bound 1;
 * every other row is basic (its slack), every other column non-basic at 0. Ordered by the
 * mentee rows, the basis matrix is triangular with a unit diagonal, so it is nonsingular and
 * primal feasible (loads within capacity), and the simplex only has to improve on greedy,
 * which is usually close: this halves the time or better on large rounds (docs/connect.md).
 * Exactness does not rest on it: glp_exact proves whatever basis the simplex ends on. */
static int greedy_basis(glp_prob *lp, const struct match_problem *p, const struct match_pair *s,
                        const int *col, size_t m)
{
    struct ranked *ord = NULL;
    size_t k = 0;
    uint32_t *load = calloc(p->nmentors ? p->nmentors : 1, sizeof *load);
    bool *done = calloc(m ? m : 1, sizeof *done);
    int rc = APP_E_NOMEM;
    if (!load || !done || !(ord = malloc((p->npairs ? p->npairs : 1) * sizeof *ord)))
        goto out;
    for (size_t e = 0; e < p->npairs; e++)
        if (col[e])
            ord[k++] = (struct ranked){s[e].score, e};
    qsort(ord, k, sizeof *ord, by_score);
    for (int row = 1; row <= glp_get_num_rows(lp); row++)
        glp_set_row_stat(lp, row, GLP_BS);
    for (size_t t = 0; t < k; t++) {
        const struct match_pair *q = &s[ord[t].e];
        glp_set_col_stat(lp, col[ord[t].e], GLP_NL);
        if (done[q->mentee] || load[q->mentor] >= p->capacity[q->mentor])
            continue;
        done[q->mentee] = true;
        load[q->mentor]++;
        glp_set_col_stat(lp, col[ord[t].e], GLP_BS);
        glp_set_row_stat(lp, (int)q->mentee + 1, GLP_NU);
    }
    rc = APP_OK;
out:
    free(ord);
    free(load);
    free(done);
    return rc;
}

int match_solve(const struct match_problem *p, struct match_result *r)
{
    const size_t m = p ? p->nmentees : 0, n = p ? p->nmentors : 0;
    struct match_pair *s = NULL;
    int *col = NULL; /* per sorted pair: its LP column, 0 when it has none */
    int *ia = NULL, *ja = NULL;
    double *ar = NULL, objective = 0;
    size_t ncols = 0;
    size_t *first = NULL; /* mentee i's pairs are s[first[i] .. first[i+1]) */
    uint32_t *load = NULL;
    int64_t *weakest = NULL; /* per mentor: the lowest score among its mentees */
    glp_prob *lp = NULL;
    int rc = APP_E_INVALID, ret;

    memset(r, 0, sizeof *r);
    if (!p || m > MATCH_SIZE_MAX || n > MATCH_SIZE_MAX || p->npairs > MATCH_SIZE_MAX ||
        (n && !p->capacity) || (p->npairs && !p->pairs))
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
    load = calloc(n ? n : 1, sizeof *load);
    weakest = malloc((n ? n : 1) * sizeof *weakest);
    if (!r->mentor || !r->score || !r->reason || !r->alt || !r->nalt || !s || !first || !load ||
        !weakest)
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

    /* the LP: rows 1..m mentees, m+1..m+n mentors; columns the usable pairs in order */
    rc = APP_E_NOMEM;
    col = calloc(p->npairs ? p->npairs : 1, sizeof *col);
    if (!col)
        goto done;
    for (size_t e = 0; e < p->npairs; e++)
        if (usable(p, &s[e]))
            col[e] = (int)++ncols;
    if (ncols) {
        glp_smcp parm;
        rc = APP_E_NOMEM;
        ia = malloc((2 * ncols + 1) * sizeof *ia);
        ja = malloc((2 * ncols + 1) * sizeof *ja);
        ar = malloc((2 * ncols + 1) * sizeof *ar);
        if (!ia || !ja || !ar)
            goto done;
        rc = APP_E_INTERNAL;
        glp_term_out(GLP_OFF);
        lp = glp_create_prob();
        glp_set_obj_dir(lp, GLP_MAX);
        glp_add_rows(lp, (int)(m + n));
        for (size_t i = 0; i < m; i++)
            glp_set_row_bnds(lp, (int)i + 1, GLP_UP, 0, 1);
        for (size_t j = 0; j < n; j++)
            glp_set_row_bnds(lp, (int)(m + j) + 1, GLP_UP, 0, p->capacity[j]);
        glp_add_cols(lp, (int)ncols);
        for (size_t e = 0, k = 0; e < p->npairs; e++) {
            if (!col[e])
                continue;
            glp_set_col_bnds(lp, col[e], GLP_LO, 0, 0);
            glp_set_obj_coef(lp, col[e], (double)s[e].score);
            ia[++k] = (int)s[e].mentee + 1;
            ja[k] = col[e];
            ar[k] = 1;
            ia[++k] = (int)(m + s[e].mentor) + 1;
            ja[k] = col[e];
            ar[k] = 1;
        }
        glp_load_matrix(lp, (int)(2 * ncols), ia, ja, ar);
        rc = greedy_basis(lp, p, s, col, m);
        if (rc)
            goto done;
        rc = APP_E_INTERNAL;
        glp_init_smcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        /* Dantzig's rule: on this problem it pivots faster than projected steepest edge
         * (1.1 s against 1.5 s on 5,000 × 1,000 × 30 from the greedy start) */
        parm.pricing = GLP_PT_STD;
        ret = glp_simplex(lp, &parm);
        if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
            /* never expected (see greedy_basis); start from the all-slack basis then */
            glp_std_basis(lp);
            ret = glp_simplex(lp, &parm);
        }
        if (ret != 0 || glp_exact(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT)
            goto done;
        objective = glp_get_obj_val(lp);
    }

    /* read the flow back and check it keeps every rule */
    rc = APP_E_INTERNAL;
    for (size_t j = 0; j < n; j++)
        weakest[j] = INT64_MAX;
    for (size_t e = 0; e < p->npairs; e++) {
        double x;
        const struct match_pair *q = &s[e];
        if (!col[e])
            continue;
        x = glp_get_col_prim(lp, col[e]);
        if (x != 0 && x != 1)
            goto done;
        if (x == 0)
            continue;
        if (r->mentor[q->mentee] >= 0 || ++load[q->mentor] > p->capacity[q->mentor])
            goto done;
        r->mentor[q->mentee] = (int32_t)q->mentor;
        r->score[q->mentee] = q->score;
        r->total += q->score;
        r->matched++;
        if (q->score < weakest[q->mentor])
            weakest[q->mentor] = q->score;
    }
    if ((double)r->total != objective)
        goto done;

    for (size_t i = 0; i < m; i++) {
        bool any = false, positive = false;
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
                if (load[q->mentor] < p->capacity[q->mentor] || weakest[q->mentor] < q->score)
                    goto done;
            }
            r->reason[i] = !any        ? MATCH_NO_PAIR
                           : !positive ? MATCH_NO_POSITIVE
                                       : MATCH_MENTORS_FULL;
        }
        alternatives(p, s, first[i], first[i + 1], r->mentor[i], &r->alt[i * MATCH_ALTERNATIVES],
                     &r->nalt[i]);
    }
    rc = APP_OK;
done:
    if (lp) {
        glp_delete_prob(lp);
        glp_free_env();
    }
    free(s);
    free(col);
    free(ia);
    free(ja);
    free(ar);
    free(first);
    free(load);
    free(weakest);
    if (rc)
        match_result_free(r);
    return rc;
}
