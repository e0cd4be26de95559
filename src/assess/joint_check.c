/* joint_check.c: the counts of respondents and the columns' ns as one linear system
 *
 * Unknowns, as in benchmark.c's final check: the people in each combination someone is in,
 * now (profession × region cell, band, organisation, pattern), a pattern being the set of
 * checked columns someone was scored in. A count covers every pattern of its groups, an n
 * of column t the patterns holding t. A hidden figure h is determined when h = Σ y_i f_i over
 * the shown figures f_i, on every occupied combination.
 *
 * As in the final check, the organisations are folded into components so the system stays
 * at a few thousand equations: a node is (cell, band, pattern), a vertex is (organisation,
 * pattern), and each respondent links their node to their vertex. On a combination (node n,
 * organisation o, pattern π) the condition reads A(n) + u = h_cb(n): A(n) is the sum of the
 * y of the shown cell, band and national figures covering n (an n's only when π holds its
 * column), h_cb(n) whether h (when a cell, band, group of profession or region, or national
 * figure) covers n, and u = y_o + Σ_{t∈π} y_ot − h_org(o, π), with y_o the coefficient of
 * organisation o's count and y_ot of its n in column t (0 when hidden), and h_org(o, π)
 * whether h is o's count, or o's n in a column of π. So every node and vertex of one
 * component shares one u, an unknown; and the vertices of one organisation are tied by what
 * its free coefficients cannot absorb: the vector (u(o, π) + h_org(o, π)) over o's patterns
 * must be M_o y for the matrix M_o of its free coefficients (a column of ones for y_o if
 * its count is shown, the indicator of "π holds t" for y_ot if its n in t is), so every z of
 * the null space of M_oᵀ gives the equation Σ_π z_π u(o, π) = −Σ_π z_π h_org(o, π). With one
 * column: o's count hidden fixes u(o, ∅) = −[h is o's count]; its count shown and n hidden
 * ties u(o, {t}) − u(o, ∅) = −[h is o's n]; both shown leave both free. Two vertices of one
 * component that must differ make the system unsolvable for that h: the final check's "0 = 1"
 * for a hidden organisation beside another.
 *
 * Solving. The equations (one per occupied node, and those each organisation owes) number
 * several times the unknowns in a large round: 11,354 on 2,276 where 70,000 respondents skip
 * 84 different sets of 9 domains. They are given to disclosure_span_rows one at a time, built
 * from the few figures that cover each (covering()), so only the rank's worth is kept, as its
 * nonzero entries: 46,301 there, where the whole matrix is 25.8 million (with the right-hand
 * sides, more). The components' unknowns come first, so an equation is first reduced by the
 * first equation of its own component (the two differ in a few figures) rather than by one
 * that covers the nation (which every equation holds): 0.9 to 1.3 s against 1.6 to 1.8 s for
 * that benchmark (bench/assess_bench.c). The nodes and vertices are numbered only where
 * someone is (joint_init()), and an organisation's equations are made one at a time from the
 * reduced form of its free coefficients (disclosure_span_rref()), so memory grows with the
 * respondents, not with cells × bands × sets of columns (which, held whole, made a round of
 * more than 5,041 different sets give up before solving: joint_check_test). APP_E_TOOBIG
 * only when the kept entries pass JOINT_MAX_ENTRIES.
 *
 * Cost: measured in benchmark.c's header. One solve in the usual case (nothing determined);
 * a determination costs a second solve on the counts alone and a bisection of the shown ns
 * (about log2 of their number in solves) for the one to hide.
 */
#include "assess/joint_check.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "text/disclosure_span.h"

/* Beyond this many entries kept by the elimination (12 bytes each: 96 MiB) the check is
 * APP_E_TOOBIG. */
#define JOINT_MAX_ENTRIES ((size_t)1 << 23)

#define P DISCLOSURE_SPAN_P

struct fig {
    int d;
    uint32_t g;
    int col; /* the column of an n; -1 for a count */
    uint32_t value;
};

struct joint {
    const struct joint_in *in;
    size_t nrc, ncell, nb, no, npat, nnode, nvert, maxv;
    uint64_t *pat;    /* npat: each pattern's columns, a bit each */
    uint64_t *key;    /* nnode + nvert, each part ascending: the nodes someone is in, as
                       * (cell × nb + band) × npat + pattern, then the vertices, as
                       * organisation × npat + pattern */
    size_t *vstart;   /* no + 1: organisation o's vertices are vstart[o] .. vstart[o + 1] */
    uint32_t *uf;     /* nnode + nvert: each one's component (its root) */
    struct fig *figs; /* the counts' figures, then each column's */
    bool *hid;        /* nf */
    size_t nf, per;   /* figures in all, and in each block */
    size_t *org_fig;  /* (ncols + 1) × no: organisation o's count, then its n in each column */
    size_t *piv;      /* ncols + 2 (scratch): the pivots of an organisation's free coefficients */
};

static uint32_t find(uint32_t *uf, uint32_t x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

/* A figure that is published and holds someone. The cross table has no row for those who
 * gave no profession; an n is published for a stated group, the nation, and (through its
 * mean) a cell of a stated profession and region, never for those who did not say. */
static bool real(const struct joint *j, const struct fig *f)
{
    const struct joint_in *in = j->in;
    if (f->d == JOINT_CELL && (f->g / j->nrc >= in->ngroups[AD_PROFESSION] ||
                               (f->col >= 0 && f->g % j->nrc >= in->ngroups[AD_REGION])))
        return false;
    if (f->col >= 0 && f->d < AD_NDIMS && f->g >= in->ngroups[f->d])
        return false;
    return f->value > 0;
}

/* The figures that cover node x, into out (room for 5 × (ncols + 1)): in each block (the
 * counts, then each column the node's pattern holds) its profession, region, band, cell and
 * national figure, at their places in j->figs (joint_init's order). An organisation's figures
 * cover vertices, not nodes. Returns how many. */
static size_t covering(const struct joint *j, size_t x, size_t *out)
{
    const struct joint_in *in = j->in;
    uint64_t key = j->key[x], pat = j->pat[key % j->npat];
    size_t kb = (size_t)(key / j->npat), k = kb / j->nb, band = kb % j->nb, off[AD_NDIMS];
    size_t nd = 0, n = 0;

    for (int d = 0; d < AD_NDIMS; d++) {
        off[d] = nd;
        nd += in->ngroups[d] + 1;
    }
    for (size_t b = 0; b <= in->ncols; b++) {
        size_t at = b * j->per;
        if (b > 0 && !(pat >> (b - 1) & 1))
            continue;
        out[n++] = at + off[AD_PROFESSION] + k / j->nrc;
        out[n++] = at + off[AD_REGION] + k % j->nrc;
        out[n++] = at + off[AD_BAND] + band;
        out[n++] = at + nd + k;
        out[n++] = at + nd + j->ncell;
    }
    return n;
}

/* The equations organisation o's vertices owe (see the header): its free coefficients' matrix
 * Mᵀ in mt (a row per coefficient, a column per vertex; room for (ncols + 1) × maxv), in
 * reduced row echelon form with *rank pivots in j->piv, so that each vertex q that is not a
 * pivot gives one vector of the null space (1 at q, −mt[i][q] at pivot i). *np: its vertices,
 * j->key[j->nnode + j->vstart[o] ...]. */
static int org_kernel(const struct joint *j, size_t o, bool with_ns, uint64_t *mt, size_t *np,
                      size_t *rank)
{
    size_t nc = j->in->ncols, nfree = 0, n = j->vstart[o + 1] - j->vstart[o];
    const uint64_t *vk = j->key + j->nnode + j->vstart[o];

    *np = n;
    *rank = 0;
    if (n == 0)
        return 0;
    if (!j->hid[j->org_fig[o]]) {
        for (size_t q = 0; q < n; q++)
            mt[q] = 1;
        nfree++;
    }
    for (size_t t = 0; t < nc && with_ns; t++) {
        size_t f = j->org_fig[(t + 1) * j->no + o];
        if (j->hid[f])
            continue;
        for (size_t q = 0; q < n; q++)
            mt[nfree * n + q] = j->pat[vk[q] % j->npat] >> t & 1;
        nfree++;
    }
    return disclosure_span_rref(nfree, n, mt, j->piv, rank);
}

/* Gives the equations to s, one at a time as their entries in ec and ev (room for
 * (ncols + 2)² + 5 × (ncols + 1): an organisation's equation touches its pivots (at most
 * ncols + 1) and its own vertex, each with its u, the organisation's count and its ns), the
 * right-hand side of target i (rhs[i]) after the unknowns. */
static int fill(const struct joint *j, bool with_ns, const size_t *col, const size_t *rhs,
                const size_t *comp, size_t nunk, size_t ncomp, struct disclosure_span_rows *s,
                uint32_t *ec, uint64_t *ev, uint64_t *mt)
{
    size_t base = nunk + ncomp, nc = j->in->ncols, fx[5 * (64 + 1)];
    int rc;
#define RHS(i)    (rhs[i] != SIZE_MAX)
#define PUT(c, v) (ec[n] = (uint32_t)(c), ev[n++] = (v))
    for (size_t x = 0; x < j->nnode; x++) {
        size_t n = 0;
        PUT(comp[j->uf[x]], 1);
        for (size_t q = 0, nfx = covering(j, x, fx); q < nfx; q++) {
            size_t i = fx[q];
            if (col[i] != SIZE_MAX)
                PUT(ncomp + col[i], 1);
            else if (RHS(i))
                PUT(base + rhs[i], 1);
        }
        if ((rc = disclosure_span_rows_add(s, n, ec, ev)) != 0)
            return rc;
    }
    for (size_t o = 0; o < j->no; o++) {
        size_t np, rank;
        if ((rc = org_kernel(j, o, with_ns, mt, &np, &rank)) != 0)
            return rc;
        for (size_t f = 0, p = 0; f < np; f++) {
            size_t n = 0;
            if (p < rank && j->piv[p] == f) {
                p++;
                continue;
            }
            /* the vector of vertex f: 1 there, −mt[i][f] at each pivot i */
            for (size_t i = 0; i <= rank; i++) {
                size_t q = i < rank ? j->piv[i] : f, v = j->nnode + j->vstart[o] + q;
                uint64_t z = i < rank ? (mt[i * np + f] ? P - mt[i * np + f] : 0) : 1;
                uint64_t pat = j->pat[j->key[v] % j->npat];
                if (!z)
                    continue;
                PUT(comp[j->uf[v]], z);
                if (RHS(j->org_fig[o]))
                    PUT(base + rhs[j->org_fig[o]], P - z);
                for (size_t t = 0; t < nc; t++) {
                    size_t fg = j->org_fig[(t + 1) * j->no + o];
                    if ((pat >> t & 1) && RHS(fg))
                        PUT(base + rhs[fg], P - z);
                }
            }
            if ((rc = disclosure_span_rows_add(s, n, ec, ev)) != 0)
                return rc;
        }
    }
#undef PUT
#undef RHS
    return 0;
}

/* det[i] for every hidden figure i (or only figure `only`, when below nf): determined by the
 * shown counts, and the shown ns too when with_ns. Every right-hand side at once (a round of
 * 2,000 organisations has about as many hidden figures): a right-hand side only adds the
 * entries elimination gives it in the kept equations. APP_E_TOOBIG beyond JOINT_MAX_ENTRIES of
 * them. */
static int solve(const struct joint *j, bool with_ns, size_t only, bool *det)
{
    size_t nf = j->nf, nunk = 0, nrhs = 0, ncomp = 0;
    size_t nfree = j->in->ncols + 1;
    size_t *col = malloc((nf + 1) * sizeof *col), *rhs = malloc((nf + 1) * sizeof *rhs);
    size_t *comp = malloc((j->nnode + j->nvert + 1) * sizeof *comp);
    uint64_t *mt = malloc((nfree * j->maxv + 1) * sizeof *mt);
    uint32_t *ec = NULL;
    uint64_t *ev = NULL;
    struct disclosure_span_rows s;
    int rc = APP_E_NOMEM;

    memset(det, 0, nf * sizeof *det);
    if (!col || !rhs || !comp || !mt)
        goto done;
    for (size_t i = 0; i < nf; i++) {
        const struct fig *f = &j->figs[i];
        col[i] = rhs[i] = SIZE_MAX;
        if (!real(j, f))
            continue;
        if (j->hid[i]) {
            if (only >= nf || only == i)
                rhs[i] = nrhs++;
        } else if (f->d != AD_ORGANISATION && (with_ns || f->col < 0)) {
            col[i] = nunk++;
        }
    }
    rc = 0;
    if (nrhs == 0)
        goto done;
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        comp[x] = SIZE_MAX;
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        if (comp[j->uf[x]] == SIZE_MAX)
            comp[j->uf[x]] = ncomp++;
    rc = APP_E_NOMEM;
    ec = malloc(((nfree + 1) * (nfree + 1) + 5 * nfree) * sizeof *ec);
    ev = malloc(((nfree + 1) * (nfree + 1) + 5 * nfree) * sizeof *ev);
    if (!ec || !ev)
        goto done;
    if ((rc = disclosure_span_rows_init(&s, nunk + ncomp, nrhs, JOINT_MAX_ENTRIES)) != 0)
        goto done;
    rc = fill(j, with_ns, col, rhs, comp, nunk, ncomp, &s, ec, ev, mt);
    for (size_t i = 0; i < nf && rc == 0; i++)
        if (rhs[i] != SIZE_MAX)
            det[i] = s.solvable[rhs[i]];
    disclosure_span_rows_free(&s);
done:
    free(col);
    free(rhs);
    free(comp);
    free(mt);
    free(ec);
    free(ev);
    return rc;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* v (n values) sorted with each value once; returns how many are left. */
static size_t sort_unique(uint64_t *v, size_t n)
{
    size_t m = 0;
    qsort(v, n, sizeof *v, cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[i] != v[m - 1])
            v[m++] = v[i];
    return m;
}

/* Where x is in v (n ascending values that hold it). */
static size_t index_of(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Each respondent's pattern (the columns they were scored in, a bit each), numbered in order
 * of first appearance, into pid (n); the patterns into j->pat. The order is the equations'
 * order, which the elimination's fill-in follows: the common patterns come early, and with
 * the patterns in ascending order of their bits the benchmark of joint_check.c's header took
 * a third longer. */
static int patterns(struct joint *j, uint32_t *pid)
{
    const struct joint_in *in = j->in;
    size_t n = in->n, m;
    uint64_t *bits = malloc((n + 1) * sizeof *bits), *sorted = malloc((n + 1) * sizeof *sorted);
    uint32_t *id = NULL;
    int rc = APP_E_NOMEM;

    if (!bits || !sorted || !(j->pat = malloc((n + 1) * sizeof *j->pat)))
        goto done;
    for (size_t p = 0; p < n; p++) {
        bits[p] = 0;
        for (size_t t = 0; t < in->ncols; t++)
            bits[p] |= (uint64_t)(in->cols[t].scored[p] != 0) << t;
        sorted[p] = bits[p];
    }
    m = sort_unique(sorted, n);
    if (!(id = malloc((m + 1) * sizeof *id)))
        goto done;
    for (size_t q = 0; q < m; q++)
        id[q] = UINT32_MAX;
    j->npat = 0;
    for (size_t p = 0; p < n; p++) {
        size_t q = index_of(sorted, m, bits[p]);
        if (id[q] == UINT32_MAX) {
            id[q] = (uint32_t)j->npat;
            j->pat[j->npat++] = bits[p];
        }
        pid[p] = id[q];
    }
    if (j->npat == 0)
        j->pat[j->npat++] = 0;
    rc = 0;
done:
    free(bits);
    free(sorted);
    free(id);
    return rc;
}

/* The figures, their values and hidings, the nodes, vertices and components. Only the nodes
 * and vertices someone is in are numbered, so the tables grow with the respondents, not with
 * cells × bands × patterns. */
static int joint_init(struct joint *j, const struct joint_in *in)
{
    size_t nd = 0, np = in->ngroups[AD_PROFESSION] + 1, nc = in->ncols, n = in->n;
    uint32_t *count[AD_NDIMS] = {0}, *cc = NULL, *pid = NULL;
    uint64_t *nk = NULL, *vk = NULL;
    int rc = APP_E_NOMEM;

    j->in = in;
    j->nrc = in->ngroups[AD_REGION] + 1;
    j->ncell = np * j->nrc;
    j->nb = in->ngroups[AD_BAND] + 1;
    j->no = in->ngroups[AD_ORGANISATION] + 1;
    if (!(pid = malloc((n + 1) * sizeof *pid)) || (rc = patterns(j, pid)) != 0)
        goto done;
    rc = APP_E_NOMEM;
    nk = malloc((n + 1) * sizeof *nk);
    vk = malloc((n + 1) * sizeof *vk);
    if (!nk || !vk)
        goto done;
    /* each respondent's node and vertex, by key; then the keys that occur */
    for (size_t p = 0; p < n; p++) {
        uint64_t q = pid[p];
        uint64_t k = (uint64_t)in->grp[AD_PROFESSION][p] * j->nrc + in->grp[AD_REGION][p];
        nk[p] = (k * j->nb + in->grp[AD_BAND][p]) * j->npat + q;
        vk[p] = (uint64_t)in->grp[AD_ORGANISATION][p] * j->npat + q;
    }
    if (!(j->key = malloc((2 * n + 1) * sizeof *j->key)))
        goto done;
    memcpy(j->key, nk, n * sizeof *nk);
    j->nnode = sort_unique(j->key, n);
    memcpy(j->key + j->nnode, vk, n * sizeof *vk);
    j->nvert = sort_unique(j->key + j->nnode, n);
    for (int d = 0; d < AD_NDIMS; d++)
        nd += in->ngroups[d] + 1;
    j->per = nd + j->ncell + 1;
    j->nf = (nc + 1) * j->per;
    j->uf = malloc((j->nnode + j->nvert + 1) * sizeof *j->uf);
    j->vstart = calloc(j->no + 1, sizeof *j->vstart);
    j->figs = malloc(j->nf * sizeof *j->figs);
    j->hid = malloc(j->nf * sizeof *j->hid);
    j->org_fig = malloc((nc + 1) * j->no * sizeof *j->org_fig);
    cc = calloc((nc + 1) * (j->ncell + 1), sizeof *cc);
    if (!j->uf || !j->vstart || !j->figs || !j->hid || !j->org_fig || !cc)
        goto done;
    for (int d = 0; d < AD_NDIMS; d++)
        if (!(count[d] = calloc((nc + 1) * (in->ngroups[d] + 1), sizeof *count[d])))
            goto done;
    /* organisation o's vertices, which sort by organisation first */
    for (size_t v = 0; v < j->nvert; v++)
        j->vstart[j->key[j->nnode + v] / j->npat + 1]++;
    for (size_t o = 0; o < j->no; o++) {
        size_t nv = j->vstart[o + 1];
        j->vstart[o + 1] = j->vstart[o] + nv;
        if (nv > j->maxv)
            j->maxv = nv;
    }
    if (!(j->piv = malloc((nc + 2) * sizeof *j->piv)))
        goto done;
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        j->uf[x] = (uint32_t)x;
    /* the people of each group in each block: everyone, then those scored in column t */
    for (size_t p = 0; p < n; p++) {
        size_t k = in->grp[AD_PROFESSION][p] * j->nrc + in->grp[AD_REGION][p];
        uint32_t x = (uint32_t)index_of(j->key, j->nnode, nk[p]);
        uint32_t v = (uint32_t)(j->nnode + index_of(j->key + j->nnode, j->nvert, vk[p]));
        uint32_t rx = find(j->uf, x), rv = find(j->uf, v);
        if (rx != rv)
            j->uf[rx] = rv;
        for (size_t b = 0; b <= nc; b++) {
            if (b > 0 && !in->cols[b - 1].scored[p])
                continue;
            for (int d = 0; d < AD_NDIMS; d++)
                count[d][b * (in->ngroups[d] + 1) + in->grp[d][p]]++;
            cc[b * (j->ncell + 1) + k]++;
            cc[b * (j->ncell + 1) + j->ncell]++;
        }
    }
    for (size_t x = 0; x < j->nnode + j->nvert; x++)
        j->uf[x] = find(j->uf, (uint32_t)x);
    j->nf = 0;
    for (size_t b = 0; b <= nc; b++) {
        const struct joint_col *c = b > 0 ? &in->cols[b - 1] : NULL;
        int col = (int)b - 1;
        for (int d = 0; d < AD_NDIMS; d++)
            for (size_t g = 0; g <= in->ngroups[d]; g++) {
                if (d == AD_ORGANISATION)
                    j->org_fig[b * j->no + g] = j->nf;
                j->hid[j->nf] = c ? c->dim[d][g] : in->count_dim[d][g];
                j->figs[j->nf++] =
                    (struct fig){d, (uint32_t)g, col, count[d][b * (in->ngroups[d] + 1) + g]};
            }
        for (size_t k = 0; k < j->ncell; k++) {
            j->hid[j->nf] = c ? c->cell[k] : in->count_cell[k];
            j->figs[j->nf++] =
                (struct fig){JOINT_CELL, (uint32_t)k, col, cc[b * (j->ncell + 1) + k]};
        }
        j->hid[j->nf] = c ? c->total : in->count_total;
        j->figs[j->nf++] = (struct fig){JOINT_TOTAL, 0, col, cc[b * (j->ncell + 1) + j->ncell]};
    }
    for (size_t i = 0; i < j->nf; i++) /* what is never published is no one's coefficient */
        j->hid[i] |= !real(j, &j->figs[i]);
    rc = 0;
done:
    for (int d = 0; d < AD_NDIMS; d++)
        free(count[d]);
    free(cc);
    free(pid);
    free(nk);
    free(vk);
    return rc;
}

static void joint_free(struct joint *j)
{
    free(j->pat);
    free(j->key);
    free(j->vstart);
    free(j->uf);
    free(j->figs);
    free(j->hid);
    free(j->org_fig);
    free(j->piv);
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

int assess_joint_check(const struct joint_in *in, bool *more, size_t *col, int *d, uint32_t *g)
{
    struct joint j = {0};
    bool *det = NULL, *alone = NULL;
    struct cand *cand = NULL;
    size_t ncand = 0, target, pick;
    int rc = APP_E_INVALID;

    *more = false;
    if (in->ncols > 64)
        goto done;
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
        if (j.figs[i].col >= 0 && real(&j, &j.figs[i]) && !j.hid[i])
            cand[ncand++] = (struct cand){j.figs[i].value, i};
    rc = APP_E_INTERNAL;
    if (ncand == 0)
        goto done;
    qsort(cand, ncand, sizeof *cand, cand_cmp);
    /* The fewest smallest ns whose hiding together leaves the target undetermined: hiding
     * more only takes equations away, so that is a prefix of the candidates found by
     * bisection (all of them hidden, only the counts are left, which do not determine it).
     * Its last one is in every combination that the ones before it leave: hidden, it breaks
     * the combinations that give the target now, and the next round sees what is left. */
    {
        size_t lo = 0, hi = ncand; /* the target: determined with lo hidden, not with hi */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            for (size_t k = 0; k < ncand; k++)
                j.hid[cand[k].i] = k < mid;
            if ((rc = solve(&j, true, target, det)) != 0)
                goto done;
            if (det[target])
                lo = mid;
            else
                hi = mid;
        }
        pick = cand[hi - 1].i;
    }
    *more = true;
    *col = (size_t)j.figs[pick].col;
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
