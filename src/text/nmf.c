/* nmf.c: non-negative matrix factorisation X ~ W H of a sparse matrix, deterministic
 *
 * Start. NNDSVD (C. Boutsidis, E. Gallopoulos, "SVD based initialization: A head start for
 * nonnegative matrix factorization", Pattern Recognition 41, 2008) builds each component from
 * the larger of the positive and negative parts of one singular pair, so the start is already
 * close to a good factorisation and needs no random restarts; the "a" variant fills its exact
 * zeros with the mean of X so coordinate descent can move them (scikit-learn's default for
 * this case). The SVD is randomised subspace iteration (N. Halko, P.-G. Martinsson,
 * J. A. Tropp, "Finding structure with randomness", SIAM Review 53, 2011): Gaussian test
 * matrix from the project's seeded xoshiro generator, oversampling p = 10, q = 6 power
 * iterations with modified Gram-Schmidt (twice) after every product, then the small l x l
 * problem B B^T solved by cyclic Jacobi. Cost O(nnz * (k + p) * q).
 *
 * Iterations. HALS / coordinate descent (A. Cichocki, A.-H. Phan 2009; C.-J. Hsieh,
 * I. Dhillon 2011; scikit-learn's "cd" solver): with H fixed, each column of W has a closed
 * form non-negative update given P = X H^T and Q = H H^T; then the same for H. One iteration
 * costs two sparse-dense products, O(nnz k), plus O((rows + cols) k^2). H is kept transposed
 * (cols x k) so both updates walk contiguous rows. The error is computed from the same
 * products without forming WH: ||X - WH||^2 = ||X||^2 - 2 <H^T, X^T W> + <W^T W, H H^T>.
 *
 * Caveats: NMF has local minima; NNDSVD makes the result deterministic, not globally optimal.
 * All loops run in a fixed order in one thread, so results are bit-for-bit reproducible on
 * one build; a different compiler or -ffast-math may change the last bits.
 */
#include "text/nmf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"

#define OVERSAMPLE 10
#define POWER_ITERS 6

/* Orthonormalises the l columns of the row-major n x l matrix a in place (modified
 * Gram-Schmidt, run twice for orthogonality to working precision). A column that falls to
 * (relatively) nothing, because the matrix has lower rank, is set to zero. */
static void orthonormalise(double *a, size_t n, size_t l, double *norms0)
{
    for (size_t j = 0; j < l; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += a[i * l + j] * a[i * l + j];
        norms0[j] = sqrt(s);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = 0; j < l; j++) {
            double s = 0;
            for (size_t c = 0; c < j; c++) {
                double d = 0;
                for (size_t i = 0; i < n; i++)
                    d += a[i * l + c] * a[i * l + j];
                for (size_t i = 0; i < n; i++)
                    a[i * l + j] -= d * a[i * l + c];
            }
            for (size_t i = 0; i < n; i++)
                s += a[i * l + j] * a[i * l + j];
            s = sqrt(s);
            if (s <= 1e-10 * norms0[j] || s == 0) {
                for (size_t i = 0; i < n; i++)
                    a[i * l + j] = 0;
                norms0[j] = 0;
                continue;
            }
            for (size_t i = 0; i < n; i++)
                a[i * l + j] /= s;
        }
}

/* Eigen-decomposition of the symmetric l x l matrix g (destroyed) by cyclic Jacobi: the
 * eigenvalues in ev, eigenvectors as the columns of e (row-major l x l). */
static void jacobi(double *g, size_t l, double *ev, double *e)
{
    for (size_t i = 0; i < l; i++)
        for (size_t j = 0; j < l; j++)
            e[i * l + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0, tot = 0;
        for (size_t i = 0; i < l; i++)
            for (size_t j = 0; j < l; j++) {
                tot += g[i * l + j] * g[i * l + j];
                if (i != j)
                    off += g[i * l + j] * g[i * l + j];
            }
        if (off <= 1e-30 * tot || off == 0)
            break;
        for (size_t p = 0; p < l; p++)
            for (size_t q = p + 1; q < l; q++) {
                double apq = g[p * l + q], app, aqq, theta, t, c, s;
                if (fabs(apq) < 1e-300)
                    continue;
                app = g[p * l + p];
                aqq = g[q * l + q];
                theta = (aqq - app) / (2 * apq);
                t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                c = 1 / sqrt(t * t + 1);
                s = t * c;
                for (size_t r = 0; r < l; r++) { /* columns p, q */
                    double grp = g[r * l + p], grq = g[r * l + q];
                    g[r * l + p] = c * grp - s * grq;
                    g[r * l + q] = s * grp + c * grq;
                }
                for (size_t r = 0; r < l; r++) { /* rows p, q */
                    double gpr = g[p * l + r], gqr = g[q * l + r];
                    g[p * l + r] = c * gpr - s * gqr;
                    g[q * l + r] = s * gpr + c * gqr;
                }
                for (size_t r = 0; r < l; r++) {
                    double erp = e[r * l + p], erq = e[r * l + q];
                    e[r * l + p] = c * erp - s * erq;
                    e[r * l + q] = s * erp + c * erq;
                }
            }
    }
    for (size_t i = 0; i < l; i++)
        ev[i] = g[i * l + i];
}

static double gaussian(struct rng *r)
{
    /* Box-Muller; 1 - u keeps the log argument in (0, 1]. */
    double u = 1 - rng_double(r), v = rng_double(r);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

int nmf_svd(const struct sparse *x, size_t k, uint64_t seed, double *u, double *s, double *v)
{
    size_t n = x->rows, m = x->cols, mn = n < m ? n : m, l;
    double *y = NULL, *z = NULL, *g = NULL, *ev = NULL, *e = NULL, *nrm = NULL;
    size_t *order = NULL;
    struct rng r;
    int rc = APP_E_INVALID;

    if (k == 0 || k > mn)
        goto done;
    l = k + OVERSAMPLE < mn ? k + OVERSAMPLE : mn;
    rc = APP_E_NOMEM;
    y = malloc(n * l * sizeof *y);
    z = malloc(m * l * sizeof *z);
    g = malloc(l * l * sizeof *g);
    ev = malloc(l * sizeof *ev);
    e = malloc(l * l * sizeof *e);
    nrm = malloc(l * sizeof *nrm);
    order = malloc(l * sizeof *order);
    if (!y || !z || !g || !ev || !e || !nrm || !order)
        goto done;
    rng_seed(&r, seed);
    for (size_t i = 0; i < m * l; i++)
        z[i] = gaussian(&r);
    sparse_mul_dense(x, z, l, y); /* Y = X Omega */
    orthonormalise(y, n, l, nrm);
    for (int it = 0; it < POWER_ITERS; it++) {
        sparse_tmul_dense(x, y, l, z); /* Z = X^T Q */
        orthonormalise(z, m, l, nrm);
        sparse_mul_dense(x, z, l, y); /* Y = X Z */
        orthonormalise(y, n, l, nrm);
    }
    sparse_tmul_dense(x, y, l, z); /* Z = X^T Q = B^T (m x l) */
    for (size_t a = 0; a < l; a++) /* G = B B^T = Z^T Z */
        for (size_t b = a; b < l; b++) {
            double d = 0;
            for (size_t i = 0; i < m; i++)
                d += z[i * l + a] * z[i * l + b];
            g[a * l + b] = g[b * l + a] = d;
        }
    jacobi(g, l, ev, e);
    for (size_t a = 0; a < l; a++)
        order[a] = a;
    for (size_t a = 1; a < l; a++) { /* insertion sort by eigenvalue, descending; stable */
        size_t t = order[a], b = a;
        while (b > 0 && ev[order[b - 1]] < ev[t]) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = t;
    }
    for (size_t c = 0; c < k; c++) {
        size_t o = order[c];
        double sig = ev[o] > 0 ? sqrt(ev[o]) : 0;
        s[c] = sig;
        for (size_t i = 0; i < n; i++) { /* U = Q E */
            double d = 0;
            for (size_t a = 0; a < l; a++)
                d += y[i * l + a] * e[a * l + o];
            u[i * k + c] = d;
        }
        for (size_t i = 0; i < m; i++) { /* V = B^T E / sigma */
            double d = 0;
            if (sig > 1e-300)
                for (size_t a = 0; a < l; a++)
                    d += z[i * l + a] * e[a * l + o];
            v[i * k + c] = sig > 1e-300 ? d / sig : 0;
        }
    }
    rc = APP_OK;
done:
    free(y);
    free(z);
    free(g);
    free(ev);
    free(e);
    free(nrm);
    free(order);
    return rc;
}

/* NNDSVDa from the SVD: w (n x k), ht (m x k) = H^T. */
static void nndsvd(const double *u, const double *s, const double *v, size_t n, size_t m,
                   size_t k, double fill, double *w, double *ht)
{
    for (size_t j = 0; j < k; j++) {
        double pu = 0, nu = 0, pv = 0, nv = 0, sig, lam;
        int pos;
        for (size_t i = 0; i < n; i++) {
            double a = u[i * k + j];
            if (a > 0)
                pu += a * a;
            else
                nu += a * a;
        }
        for (size_t i = 0; i < m; i++) {
            double a = v[i * k + j];
            if (a > 0)
                pv += a * a;
            else
                nv += a * a;
        }
        pu = sqrt(pu);
        nu = sqrt(nu);
        pv = sqrt(pv);
        nv = sqrt(nv);
        /* The first pair of a non-negative matrix is non-negative up to sign (Perron-
         * Frobenius), so this rule also covers j = 0. */
        pos = pu * pv >= nu * nv;
        sig = pos ? pu * pv : nu * nv;
        lam = sqrt(s[j] * sig);
        for (size_t i = 0; i < n; i++) {
            double a = pos ? u[i * k + j] : -u[i * k + j];
            double nn = pos ? pu : nu;
            w[i * k + j] = a > 0 && nn > 0 ? lam * a / nn : 0;
        }
        for (size_t i = 0; i < m; i++) {
            double a = pos ? v[i * k + j] : -v[i * k + j];
            double nn = pos ? pv : nv;
            ht[i * k + j] = a > 0 && nn > 0 ? lam * a / nn : 0;
        }
    }
    for (size_t i = 0; i < n * k; i++)
        if (w[i] == 0)
            w[i] = fill;
    for (size_t i = 0; i < m * k; i++)
        if (ht[i] == 0)
            ht[i] = fill;
}

/* g = a^T a for the row-major n x k matrix a. */
static void gram(const double *a, size_t n, size_t k, double *g)
{
    memset(g, 0, k * k * sizeof *g);
    for (size_t i = 0; i < n; i++) {
        const double *r = a + i * k;
        for (size_t p = 0; p < k; p++) {
            double rp = r[p];
            if (rp == 0)
                continue;
            for (size_t q = 0; q < k; q++)
                g[p * k + q] += rp * r[q];
        }
    }
}

/* One HALS sweep over the rows of a (n x k) given p = X-side products (n x k) and q = the
 * Gram matrix of the other factor (k x k). Rows are independent; within a row the
 * components are updated in order, each using the latest values. */
static void hals(double *a, const double *p, const double *q, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++) {
        double *r = a + i * k;
        const double *pr = p + i * k;
        for (size_t j = 0; j < k; j++) {
            double num = pr[j], d = q[j * k + j], nv;
            if (d <= 0)
                continue;
            for (size_t t = 0; t < k; t++)
                num -= r[t] * q[t * k + j];
            nv = r[j] + num / d;
            r[j] = nv > 0 ? nv : 0;
        }
    }
}

/* ||X - W H||_F from ||X||^2, r = X^T W (m x k), ht, and the Gram matrices. */
static double frob_err(double xx, const double *r, const double *ht, size_t m, size_t k,
                       const double *ww, const double *hh)
{
    double cross = 0, quad = 0, e;
    for (size_t i = 0; i < m * k; i++)
        cross += r[i] * ht[i];
    for (size_t i = 0; i < k * k; i++)
        quad += ww[i] * hh[i];
    e = xx - 2 * cross + quad;
    return e > 0 ? sqrt(e) : 0;
}

int nmf_fit(const struct sparse *x, const struct nmf_options *opt, struct nmf_result *out)
{
    size_t n = x->rows, m = x->cols, k = opt->k;
    unsigned max_iter = opt->max_iter ? opt->max_iter : 200;
    double tol = opt->tol > 0 ? opt->tol : 1e-4;
    double *u = NULL, *s = NULL, *v = NULL, *ht = NULL, *p = NULL, *r = NULL, *ww = NULL,
           *hh = NULL;
    double xx, sum = 0, e0, prev;
    int rc = APP_E_INVALID;

    memset(out, 0, sizeof *out);
    if (k == 0 || k > n || k > m)
        goto done;
    for (size_t i = 0; i < x->nnz; i++) {
        if (!(x->val[i] >= 0) || !isfinite(x->val[i]))
            goto done;
        sum += x->val[i];
    }
    rc = APP_E_NOMEM;
    out->w = calloc(n * k, sizeof *out->w);
    out->h = calloc(k * m, sizeof *out->h);
    u = malloc(n * k * sizeof *u);
    s = malloc(k * sizeof *s);
    v = malloc(m * k * sizeof *v);
    ht = malloc(m * k * sizeof *ht);
    p = malloc(n * k * sizeof *p);
    r = malloc(m * k * sizeof *r);
    ww = malloc(k * k * sizeof *ww);
    hh = malloc(k * k * sizeof *hh);
    if (!out->w || !out->h || !u || !s || !v || !ht || !p || !r || !ww || !hh)
        goto done;
    out->rows = n;
    out->cols = m;
    out->k = k;
    xx = sparse_sqnorm(x);
    if ((rc = nmf_svd(x, k, opt->seed, u, s, v)) != APP_OK)
        goto done;
    nndsvd(u, s, v, n, m, k, sum / ((double)n * (double)m), out->w, ht);

    gram(out->w, n, k, ww);
    gram(ht, m, k, hh);
    sparse_tmul_dense(x, out->w, k, r);
    e0 = prev = frob_err(xx, r, ht, m, k, ww, hh);
    for (out->iter = 0; out->iter < max_iter && xx > 0;) {
        double e;
        sparse_mul_dense(x, ht, k, p); /* X H^T */
        hals(out->w, p, hh, n, k);
        gram(out->w, n, k, ww);
        sparse_tmul_dense(x, out->w, k, r); /* X^T W */
        hals(ht, r, ww, m, k);
        gram(ht, m, k, hh);
        out->iter++;
        e = frob_err(xx, r, ht, m, k, ww, hh);
        if (prev - e < tol * e0)
            break;
        prev = e;
    }
    /* Unit rows of H; W takes the scale, so a document's weights compare across themes. */
    for (size_t j = 0; j < k; j++) {
        double nn = 0;
        for (size_t t = 0; t < m; t++)
            nn += ht[t * k + j] * ht[t * k + j];
        nn = sqrt(nn);
        for (size_t t = 0; t < m; t++) {
            ht[t * k + j] = nn > 0 ? ht[t * k + j] / nn : 0;
            out->h[j * m + t] = ht[t * k + j];
        }
        for (size_t i = 0; i < n; i++)
            out->w[i * k + j] *= nn;
    }
    gram(out->w, n, k, ww);
    gram(ht, m, k, hh);
    sparse_tmul_dense(x, out->w, k, r);
    out->rel_err = xx > 0 ? frob_err(xx, r, ht, m, k, ww, hh) / sqrt(xx) : 0;
    rc = APP_OK;
done:
    if (rc != APP_OK)
        nmf_free(out);
    free(u);
    free(s);
    free(v);
    free(ht);
    free(p);
    free(r);
    free(ww);
    free(hh);
    return rc;
}

void nmf_free(struct nmf_result *r)
{
    free(r->w);
    free(r->h);
    memset(r, 0, sizeof *r);
}
