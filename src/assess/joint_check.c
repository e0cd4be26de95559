/* joint_check.c: the counts of respondents and one column's ns as one linear system
 *
 * Unknowns, as in benchmark.c's final check: the people in each combination someone is in,
 * now (profession × region cell, band, organisation, answered the column or not). A count
 * covers both halves of its groups, an n only the answering half. A hidden figure h is
 * determined when h = Σ y_i f_i over the shown figures f_i, on every occupied combination.
 *
 * As in the final check, the organisations are folded into components so the system stays
 * at a few thousand equations: a node is (cell, band, half), a vertex is (organisation,
 * half), and a respondent links their node to their vertex. On a combination (node n,
 * organisation o, half s) the condition reads A(n) + u = h_cb(n), where A(n) is the sum of
 * the shown cell and band figures' y over n (an n's only when s = 1), h_cb(n) is whether h
 * (a cell, band or national figure) covers n, and u = y_o + s·y'_o − h_org(o, s), with y_o
 * the coefficient of organisation o's count (0 when hidden), y'_o of its n (0 when hidden)
 * and h_org(o, s) whether h is o's count, or o's n when s = 1. So every node and vertex of a
 * component shares one u, an unknown; what the organisations' hidings fix is added as
 * equations on the vertices:
 *  - (o, 0) with o's count hidden: u = −[h is o's count];
 *  - (o, 1) with o's n hidden: u = −[h is o's count] − [h is o's n] when o's count is hidden
 *    too; u(o, 1) − u(o, 0) = −[h is o's n] when o's count is shown and (o, 0) occupied
 *    (both are y_o less what h takes there); otherwise y_o is free and u(o, 1) too.
 * Two vertices of one component with different fixed values make the system unsolvable for
 * that h, which is the final check's "0 = 1" for a hidden organisation beside another.
 *
 * Cost: one solve per audited column in the usual case (nothing determined), with twice the
 * final check's nodes and about twice its unknowns; a determination costs a second solve on
 * the counts alone and one per candidate tried (at most JOINT_TRIES). Measured in
 * benchmark.c's header.
 */
#include "assess/joint_check.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/disclosure_span.h"

/* Beyond this many entries the system is APP_E_TOOBIG (64 MiB), as benchmark.c's own check. */
#define JOINT_MAX_ENTRIES ((size_t)1 << 23)

/* How many shown ns are tried, smallest first, before the smallest is hidden untried. */
#define JOINT_TRIES 64

struct fig {
    int d;
    uint32_t g;
    bool col; /* an n of the column, not a count */
    uint32_t value;
};

struct joint {
    const struct joint_in *in;
    size_t nrc, ncell, nb, no, nnode, nvert;
    bool *occ; /* nnode + nvert: someone is in this node or vertex */
    uint32_t *uf;
    struct fig *figs;
    bool *hid; /* nf */
    size_t nf;
    size_t *org_fig; /* 2 × no: organisation o's count figure, then its n figure */
};

static uint32_t find(uint32_t *uf, uint32_t x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

static size_t node_of(const struct joint *j, size_t p)
{
    const struct joint_in *in = j->in;
    size_t k = in->grp[AD_PROFESSION][p] * j->nrc + in->grp[AD_REGION][p];
    return (k * j->nb + in->grp[AD_BAND][p]) * 2 + (in->scored[p] != 0);
}

/* A figure that is published and holds someone. The cross table has no row for those who
 * gave no profession; an n is published for a stated group, the nation, and (through its
 * mean) a cell of a stated profession and region, never for those who did not say. */
static bool real(const struct joint *j, const struct fig *f)
{
    const struct joint_in *in = j->in;
    if (f->d == JOINT_CELL && (f->g / j->nrc >= in->ngroups[AD_PROFESSION] ||
                               (f->col && f->g % j->nrc >= in->ngroups[AD_REGION])))
        return false;
    if (f->col && f->d < AD_NDIMS && f->g >= in->ngroups[f->d])
        return false;
    return f->value > 0;
}

/* Whether figure f (not an organisation's) covers node x. */
static bool covers(const struct joint *j, const struct fig *f, size_t x)
{
    size_t s = x & 1, kb = x >> 1, k = kb / j->nb, band = kb % j->nb;
    if (f->col && !s)
        return false;
    switch (f->d) {
    case AD_PROFESSION:
        return k / j->nrc == f->g;
    case AD_REGION:
        return k % j->nrc == f->g;
    case AD_BAND:
        return band == f->g;
    case JOINT_CELL:
        return k == f->g;
    case JOINT_TOTAL:
        return true;
    default:
        return false;
    }
}

static void add(uint64_t *at, uint64_t v)
{
    *at = (*at + v) % DISCLOSURE_SPAN_P;
}

/* Whether organisation o's vertex of half s gives an equation: (o, 0) when o's count is
 * hidden, (o, 1) when its n is (or not usable) unless its count is shown and nobody of o is
 * in the other half (then y_o alone sets u there). */
static bool vertex_fixed(const struct joint *j, size_t o, int s, bool with_ns)
{
    size_t v0 = j->nnode + 2 * o;
    bool count_free = !j->hid[j->org_fig[o]], n_free = with_ns && !j->hid[j->org_fig[j->no + o]];
    if (!j->occ[v0 + s])
        return false;
    if (s == 0)
        return !count_free;
    return !n_free && !(count_free && !j->occ[v0]);
}

/* Writes the equations into m (neq rows of w), the right-hand sides of the targets whose
 * number rhs[i] is in [lo, hi) in the last hi − lo columns. */
static void fill(const struct joint *j, bool with_ns, const size_t *col, const size_t *rhs,
                 const size_t *comp, size_t nunk, size_t ncomp, size_t lo, size_t hi, size_t w,
                 uint64_t *m)
{
    size_t row = 0, base = nunk + ncomp;
#define RHS(i) (rhs[i] != SIZE_MAX && rhs[i] >= lo && rhs[i] < hi)
    for (size_t x = 0; x < j->nnode; x++) {
        uint64_t *r;
        if (!j->occ[x])
            continue;
        r = m + row++ * w;
        r[nunk + comp[j->uf[x]]] = 1;
        for (size_t i = 0; i < j->nf; i++)
            if ((col[i] != SIZE_MAX || RHS(i)) && covers(j, &j->figs[i], x))
                r[col[i] != SIZE_MAX ? col[i] : base + rhs[i] - lo] = 1;
    }
    for (size_t o = 0; o < j->no; o++) {
        size_t fc = j->org_fig[o], fs = j->org_fig[j->no + o];
        size_t v0 = j->nnode + 2 * o, v1 = v0 + 1;
        uint64_t *r;
        if (vertex_fixed(j, o, 0, with_ns)) {
            r = m + row++ * w;
            r[nunk + comp[j->uf[v0]]] = 1;
            if (RHS(fc))
                r[base + rhs[fc] - lo] = DISCLOSURE_SPAN_MINUS_ONE;
        }
        if (vertex_fixed(j, o, 1, with_ns)) {
            r = m + row++ * w;
            add(&r[nunk + comp[j->uf[v1]]], 1);
            if (!j->hid[fc])
                add(&r[nunk + comp[j->uf[v0]]], DISCLOSURE_SPAN_MINUS_ONE);
            else if (RHS(fc))
                r[base + rhs[fc] - lo] = DISCLOSURE_SPAN_MINUS_ONE;
            if (RHS(fs))
                r[base + rhs[fs] - lo] = DISCLOSURE_SPAN_MINUS_ONE;
        }
    }
#undef RHS
}

/* det[i] for every hidden figure i (or only figure `only`, when below nf): determined by the
 * shown counts, and the shown ns too when with_ns. The right-hand sides are solved in
 * batches as wide as JOINT_MAX_ENTRIES allows (a round of 2,000 organisations has about as
 * many hidden figures). */
static int solve(const struct joint *j, bool with_ns, size_t only, bool *det)
{
    size_t nf = j->nf, nunk = 0, nrhs = 0, ncomp = 0, neq = 0, batch;
    size_t *col = malloc((nf + 1) * sizeof *col), *rhs = malloc((nf + 1) * sizeof *rhs);
    size_t *comp = malloc((j->nnode + j->nvert + 1) * sizeof *comp);
    uint64_t *m = NULL;
    bool *ok = NULL;
    int rc = APP_E_NOMEM;

    memset(det, 0, nf * sizeof *det);
    if (!col || !rhs || !comp)
        goto done;
    for (size_t i = 0; i < nf; i++) {
        const struct fig *f = &j->figs[i];
        col[i] = rhs[i] = SIZE_MAX;
        if (!real(j, f))
            continue;
        if (j->hid[i]) {
            if (only >= nf || only == i)
                rhs[i] = nrhs++;
        } else if (f->d != AD_ORGANISATION && (with_ns || !f->col)) {
            col[i] = nunk++;
        }
    }
    rc = 0;
    if (nrhs == 0)
        goto done;
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        comp[x] = SIZE_MAX;
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        if (j->occ[x] && comp[j->uf[x]] == SIZE_MAX)
            comp[j->uf[x]] = ncomp++;
    for (size_t x = 0; x < j->nnode; x++)
        neq += j->occ[x];
    for (size_t o = 0; o < j->no; o++)
        neq += vertex_fixed(j, o, 0, with_ns) + vertex_fixed(j, o, 1, with_ns);
    rc = APP_E_TOOBIG;
    if (neq == 0 || JOINT_MAX_ENTRIES / neq <= nunk + ncomp)
        goto done;
    batch = JOINT_MAX_ENTRIES / neq - nunk - ncomp;
    if (batch > nrhs)
        batch = nrhs;
    rc = APP_E_NOMEM;
    m = malloc(neq * (nunk + ncomp + batch) * sizeof *m);
    ok = malloc(batch * sizeof *ok);
    if (!m || !ok)
        goto done;
    for (size_t lo = 0; lo < nrhs; lo += batch) {
        size_t hi = lo + batch < nrhs ? lo + batch : nrhs, w = nunk + ncomp + hi - lo;
        memset(m, 0, neq * w * sizeof *m);
        fill(j, with_ns, col, rhs, comp, nunk, ncomp, lo, hi, w, m);
        if ((rc = disclosure_span_solvable(neq, nunk + ncomp, hi - lo, m, ok)) != 0)
            goto done;
        for (size_t i = 0; i < nf; i++)
            if (rhs[i] != SIZE_MAX && rhs[i] >= lo && rhs[i] < hi)
                det[i] = ok[rhs[i] - lo];
    }
done:
    free(col);
    free(rhs);
    free(comp);
    free(m);
    free(ok);
    return rc;
}

/* The figures, their values and hidings, the nodes, vertices and components. */
static int joint_init(struct joint *j, const struct joint_in *in)
{
    size_t nd = 0, np = in->ngroups[AD_PROFESSION] + 1;
    uint32_t *count[AD_NDIMS] = {0}, *ns[AD_NDIMS] = {0}, *cc = NULL, *cn = NULL;
    int rc = APP_E_NOMEM;

    j->in = in;
    j->nrc = in->ngroups[AD_REGION] + 1;
    j->ncell = np * j->nrc;
    j->nb = in->ngroups[AD_BAND] + 1;
    j->no = in->ngroups[AD_ORGANISATION] + 1;
    j->nnode = j->ncell * j->nb * 2;
    j->nvert = 2 * j->no;
    for (int d = 0; d < AD_NDIMS; d++)
        nd += in->ngroups[d] + 1;
    j->nf = 2 * (nd + j->ncell + 1);
    j->occ = calloc(j->nnode + j->nvert, sizeof *j->occ);
    j->uf = malloc((j->nnode + j->nvert) * sizeof *j->uf);
    j->figs = malloc(j->nf * sizeof *j->figs);
    j->hid = malloc(j->nf * sizeof *j->hid);
    j->org_fig = malloc(2 * j->no * sizeof *j->org_fig);
    cc = calloc(j->ncell, sizeof *cc);
    cn = calloc(j->ncell, sizeof *cn);
    if (!j->occ || !j->uf || !j->figs || !j->hid || !j->org_fig || !cc || !cn)
        goto done;
    for (int d = 0; d < AD_NDIMS; d++)
        if (!(count[d] = calloc(in->ngroups[d] + 1, sizeof *count[d])) ||
            !(ns[d] = calloc(in->ngroups[d] + 1, sizeof *ns[d])))
            goto done;
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        j->uf[x] = (uint32_t)x;
    for (size_t p = 0; p < in->n; p++) {
        size_t x = node_of(j, p), s = x & 1, k = (x >> 1) / j->nb;
        size_t v = j->nnode + 2 * in->grp[AD_ORGANISATION][p] + s;
        uint32_t rx = find(j->uf, (uint32_t)x), rv = find(j->uf, (uint32_t)v);
        j->occ[x] = j->occ[v] = true;
        if (rx != rv)
            j->uf[rx] = rv;
        for (int d = 0; d < AD_NDIMS; d++) {
            count[d][in->grp[d][p]]++;
            ns[d][in->grp[d][p]] += (uint32_t)s;
        }
        cc[k]++;
        cn[k] += (uint32_t)s;
    }
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        j->uf[x] = find(j->uf, (uint32_t)x);
    j->nf = 0;
    for (int half = 0; half < 2; half++) {
        bool c = half == 1;
        uint32_t total = 0;
        for (int d = 0; d < AD_NDIMS; d++)
            for (size_t g = 0; g <= in->ngroups[d]; g++) {
                if (d == AD_ORGANISATION)
                    j->org_fig[half * j->no + g] = j->nf;
                j->hid[j->nf] = c ? in->col_dim[d][g] : in->count_dim[d][g];
                j->figs[j->nf++] = (struct fig){d, (uint32_t)g, c, c ? ns[d][g] : count[d][g]};
            }
        for (size_t k = 0; k < j->ncell; k++) {
            j->hid[j->nf] = c ? in->col_cell[k] : in->count_cell[k];
            j->figs[j->nf++] = (struct fig){JOINT_CELL, (uint32_t)k, c, c ? cn[k] : cc[k]};
            total += c ? cn[k] : cc[k];
        }
        j->hid[j->nf] = c ? in->col_total : in->count_total;
        j->figs[j->nf++] = (struct fig){JOINT_TOTAL, 0, c, total};
    }
    rc = 0;
done:
    for (int d = 0; d < AD_NDIMS; d++) {
        free(count[d]);
        free(ns[d]);
    }
    free(cc);
    free(cn);
    return rc;
}

static void joint_free(struct joint *j)
{
    free(j->occ);
    free(j->uf);
    free(j->figs);
    free(j->hid);
    free(j->org_fig);
}

/* A shown n that could be hidden as well. */
struct cand {
    uint32_t value;
    size_t i;
};

/* The smaller value first, then the earlier figure. */
static int cand_cmp(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

int assess_joint_check(const struct joint_in *in, bool *more, int *d, uint32_t *g)
{
    struct joint j = {0};
    bool *det = NULL, *alone = NULL;
    struct cand *cand = NULL;
    size_t ncand = 0, target, pick;
    int rc;

    *more = false;
    if ((rc = joint_init(&j, in)) != 0)
        goto done;
    rc = APP_E_NOMEM;
    det = malloc(j.nf * sizeof *det);
    alone = malloc(j.nf * sizeof *alone);
    cand = malloc(j.nf * sizeof *cand);
    if (!det || !alone || !cand)
        goto done;
    if ((rc = solve(&j, true, j.nf, det)) != 0)
        goto done;
    for (target = 0; target < j.nf && !det[target]; target++)
        ;
    if (target == j.nf)
        goto done;
    if ((rc = solve(&j, false, j.nf, alone)) != 0)
        goto done;
    for (target = 0; target < j.nf && !(det[target] && !alone[target]); target++)
        ;
    if (target == j.nf)
        goto done;
    for (size_t i = 0; i < j.nf; i++)
        if (j.figs[i].col && real(&j, &j.figs[i]) && !j.hid[i])
            cand[ncand++] = (struct cand){j.figs[i].value, i};
    rc = APP_E_INTERNAL;
    if (ncand == 0)
        goto done;
    qsort(cand, ncand, sizeof *cand, cand_cmp);
    pick = cand[0].i;
    for (size_t k = 0; k < ncand && k < JOINT_TRIES; k++) {
        j.hid[cand[k].i] = true;
        rc = solve(&j, true, target, det);
        j.hid[cand[k].i] = false;
        if (rc != 0)
            goto done;
        if (!det[target]) {
            pick = cand[k].i;
            break;
        }
    }
    *more = true;
    *d = j.figs[pick].d;
    *g = j.figs[pick].g;
    rc = 0;
done:
    joint_free(&j);
    free(det);
    free(alone);
    free(cand);
    return rc;
}
