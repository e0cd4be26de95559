/* nmf.c: non-negative matrix factorisation X ~ W H of a sparse matrix, deterministic
 *
 * Start. NNDSVD (C. Boutsidis, E. Gallopoulos, "SVD based initialization: A head start for
 * nonnegative matrix factorization", Pattern Recognition 41, 2008) builds each component from
 * the larger of the positive and negative parts of one singular pair, so the start is already
 * close to a good factorisation and needs no random restarts; the "a" variant fills its exact
 * zeros with the mean of X so coordinate descent can move them (scikit-learn's default for
 * this case). The SVD is randomised subspace iteration (N. Halko, P.-G. Martinsson,
 * J. A. Tropp, "Finding structure with randomness", SIAM Review 53, 2011, algorithm 4.4) with
 * scikit-learn's randomized_svd settings (k + 10 columns, 7 power iterations), on the smaller
 * side of X, usually the terms: a Gaussian block from the project's seeded xoshiro generator,
 * then 7 times Q = orth(X^T X Q) (Cholesky QR twice, Gram-Schmidt when the columns are
 * dependent), then Rayleigh-Ritz: the eigenpairs of the small matrix Q^T X^T X Q (Householder
 * + implicit QL) give sigma^2 and the terms-side vectors, and the documents-side ones are
 * X v / sigma (the roles swap when X has more columns than rows). Cost O(nnz (k + 10) 16) for
 * the products plus O(terms (k + 10)^2 32) for the orthonormalisations.
 * Frequent terms only. nmf_fit's SVD reads the 4,096 terms in the most texts at most
 * (nmf_svd_frequent), and every term's right vector is then X^T u / sigma. On 100,000 package
 * descriptions (44,616 terms, k = 10) the whole SVD was 45% of the themes' time: its 44,616 x 20
 * block (7 MB) was read at random once for every entry of X, eight times, and orthonormalised
 * eight times. The 4,096 commonest terms hold 73% of the entries, and the leading directions are
 * theirs: a term in 2 texts of 100,000 moves sigma^2 by at most its own squared norm. Measured
 * with bench/corpora.sh (medians over seeds 1 to 3, quiet machine): the themes of 100,000
 * package descriptions 1.2x to 1.5x faster (packages-10: 0.79 s -> 0.54 s; 3.5x -> 5.2x
 * scikit-learn's speed), the NMI against the labels within the spread the seed gives it
 * (the figures are in bench/corpora.sh); man-6 at 100,000 (9,649 terms) as fast as before.
 * nmf_test pins the relation for every term and how close the leading triplets stay; an
 * exercise of under 4,096 terms (most, up to a few thousand answers) gets the whole SVD, byte
 * for byte.
 * For the record, the randomised block Krylov method this replaced (Musco & Musco 2015: 8
 * blocks of k + 3 columns, each re-orthogonalised against all earlier ones) found the top
 * singular vectors to 1e-6 even on a slowly decaying spectrum, but its Gram-Schmidt over
 * 8 (k + 3) vectors of 53,000 terms was 80% of the themes' time on 100,000 package
 * descriptions with k = 27 (6.4 s of CPU; 2.4 s now); NNDSVDa needs a good start, not an
 * exact SVD, and its results (NMI against the labels) did not get worse (bench/corpora.sh).
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

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"

#define SVD_EXTRA 10   /* columns beyond k in the SVD's block (scikit-learn's n_oversamples) */
#define SVD_POWER 7    /* power iterations (scikit-learn's n_iter for k < 10% of the sides) */
#define SVD_TERMS 4096 /* the SVD of nmf_fit reads at most this many terms (nmf.h) */

/* Dot product of two d-vectors, summed in four interleaved partial sums (so the additions do
 * not wait on each other; the order is fixed, so the result is reproducible). */
static double dot(const double *a, const double *b, size_t d)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < d; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

/* y -= h x for d-vectors, unrolled by four (element by element, so the result does not depend
 * on how the compiler vectorises it). */
static void sub_scaled(double *y, double h, const double *x, size_t d)
{
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
        y[i] -= h * x[i];
        y[i + 1] -= h * x[i + 1];
        y[i + 2] -= h * x[i + 2];
        y[i + 3] -= h * x[i + 3];
    }
    for (; i < d; i++)
        y[i] -= h * x[i];
}

/* Orthonormalises columns c0 .. c1 - 1 of the column-major d x c1 matrix a (column j at
 * a + j * d) against all the columns before them and each other: modified Gram-Schmidt with
 * one re-orthogonalisation ("twice is enough"). Columns 0 .. c0 - 1 must be orthonormal or
 * zero. A column that falls to (relatively) nothing, because the space is exhausted, is set
 * to zero and so stays out of the basis. */
static void orthonormalise(double *a, size_t d, size_t c0, size_t c1)
{
    for (size_t j = c0; j < c1; j++) {
        double *cj = a + j * d, n0 = sqrt(dot(cj, cj, d)), s;
        for (int pass = 0; pass < 2; pass++)
            for (size_t c = 0; c < j; c++) {
                const double *cc = a + c * d;
                double h = dot(cc, cj, d);
                if (h != 0)
                    sub_scaled(cj, h, cc, d);
            }
        s = sqrt(dot(cj, cj, d));
        if (s <= 1e-10 * n0 || s == 0)
            memset(cj, 0, d * sizeof *cj);
        else
            for (size_t i = 0; i < d; i++)
                cj[i] /= s;
    }
}

/* out (cols x l) = X^T X in (in: cols x l) in one pass over the rows of X: for row x_i,
 * y = x_i^T in (gathered into the l-vector y), then out += x_i y^T. The rows x l product X in
 * is never stored, so the large side costs no memory traffic beyond X itself. The inner loops
 * are unrolled by four so the compiler can vectorise them; each element is still computed
 * alone and in the same order, so the result does not change. */
static void gram_mul(const struct sparse *x, const double *in, size_t l, double *y, double *out)
{
    size_t l4 = l & ~(size_t)3;
    memset(out, 0, x->cols * l * sizeof *out);
    for (size_t i = 0; i < x->rows; i++) {
        size_t p0 = x->rowptr[i], p1 = x->rowptr[i + 1];
        if (p0 == p1)
            continue;
        memset(y, 0, l * sizeof *y);
        for (size_t p = p0; p < p1; p++) {
            const double *r = in + (size_t)x->col[p] * l;
            double v = x->val[p];
            size_t j = 0;
            for (; j < l4; j += 4) {
                y[j] += v * r[j];
                y[j + 1] += v * r[j + 1];
                y[j + 2] += v * r[j + 2];
                y[j + 3] += v * r[j + 3];
            }
            for (; j < l; j++)
                y[j] += v * r[j];
        }
        for (size_t p = p0; p < p1; p++) {
            double *o = out + (size_t)x->col[p] * l;
            double v = x->val[p];
            size_t j = 0;
            for (; j < l4; j += 4) {
                o[j] += v * y[j];
                o[j + 1] += v * y[j + 1];
                o[j + 2] += v * y[j + 2];
                o[j + 3] += v * y[j + 3];
            }
            for (; j < l; j++)
                o[j] += v * y[j];
        }
    }
}

/* Eigen-decomposition of the symmetric l x l matrix in v (row-major; overwritten by the
 * eigenvectors, one per column) into the eigenvalues ev, unsorted; t is l doubles of scratch.
 * Householder reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson
 * shifts: tred2 and tql2 of EISPACK (Bowdler, Martin, Reinsch, Wilkinson, Handbook for
 * Automatic Computation II, 1971), as in the public-domain JAMA. O(l^3), a few sweeps'
 * worth of a Jacobi method. */
static void eigen_sym(double *v, size_t l, double *ev, double *t)
{
    double *d = ev, *e = t, f, g, h, tst1 = 0;
#define V(i, j) v[(i)*l + (j)]
    for (size_t j = 0; j < l; j++)
        d[j] = V(l - 1, j);
    for (size_t i = l - 1; i > 0; i--) { /* Householder reduction */
        double scale = 0;
        h = 0;
        for (size_t k = 0; k < i; k++)
            scale += fabs(d[k]);
        if (scale == 0) {
            e[i] = d[i - 1];
            for (size_t j = 0; j < i; j++) {
                d[j] = V(i - 1, j);
                V(i, j) = 0;
                V(j, i) = 0;
            }
        } else {
            for (size_t k = 0; k < i; k++) {
                d[k] /= scale;
                h += d[k] * d[k];
            }
            f = d[i - 1];
            g = sqrt(h);
            if (f > 0)
                g = -g;
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for (size_t j = 0; j < i; j++)
                e[j] = 0;
            for (size_t j = 0; j < i; j++) {
                f = d[j];
                V(j, i) = f;
                g = e[j] + V(j, j) * f;
                for (size_t k = j + 1; k + 1 <= i; k++) {
                    g += V(k, j) * d[k];
                    e[k] += V(k, j) * f;
                }
                e[j] = g;
            }
            f = 0;
            for (size_t j = 0; j < i; j++) {
                e[j] /= h;
                f += e[j] * d[j];
            }
            {
                double hh = f / (h + h);
                for (size_t j = 0; j < i; j++)
                    e[j] -= hh * d[j];
            }
            for (size_t j = 0; j < i; j++) {
                f = d[j];
                g = e[j];
                for (size_t k = j; k + 1 <= i; k++)
                    V(k, j) -= f * e[k] + g * d[k];
                d[j] = V(i - 1, j);
                V(i, j) = 0;
            }
        }
        d[i] = h;
    }
    for (size_t i = 0; i + 1 < l; i++) { /* accumulate the transformations */
        V(l - 1, i) = V(i, i);
        V(i, i) = 1;
        h = d[i + 1];
        if (h != 0) {
            for (size_t k = 0; k <= i; k++)
                d[k] = V(k, i + 1) / h;
            for (size_t j = 0; j <= i; j++) {
                g = 0;
                for (size_t k = 0; k <= i; k++)
                    g += V(k, i + 1) * V(k, j);
                for (size_t k = 0; k <= i; k++)
                    V(k, j) -= g * d[k];
            }
        }
        for (size_t k = 0; k <= i; k++)
            V(k, i + 1) = 0;
    }
    for (size_t j = 0; j < l; j++) {
        d[j] = V(l - 1, j);
        V(l - 1, j) = 0;
    }
    V(l - 1, l - 1) = 1;
    for (size_t i = 1; i < l; i++) /* QL on the tridiagonal (d, e) */
        e[i - 1] = e[i];
    e[l - 1] = 0;
    f = 0;
    for (size_t lo = 0; lo < l; lo++) {
        size_t m = lo;
        tst1 = fmax(tst1, fabs(d[lo]) + fabs(e[lo]));
        while (m < l - 1 && !(fabs(e[m]) <= DBL_EPSILON * tst1))
            m++;
        for (int iter = 0; m > lo && iter < 100; iter++) {
            double p, r, dl1, c = 1, c2 = 1, c3 = 1, el1, sn = 0, s2 = 0;
            g = d[lo];
            p = (d[lo + 1] - g) / (2 * e[lo]);
            r = hypot(p, 1);
            if (p < 0)
                r = -r;
            d[lo] = e[lo] / (p + r);
            d[lo + 1] = e[lo] * (p + r);
            dl1 = d[lo + 1];
            h = g - d[lo];
            for (size_t i = lo + 2; i < l; i++)
                d[i] -= h;
            f += h;
            p = d[m];
            el1 = e[lo + 1];
            for (size_t i = m; i-- > lo;) {
                c3 = c2;
                c2 = c;
                s2 = sn;
                g = c * e[i];
                h = c * p;
                r = hypot(p, e[i]);
                e[i + 1] = sn * r;
                sn = e[i] / r;
                c = p / r;
                p = c * d[i] - sn * g;
                d[i + 1] = h + sn * (c * g + sn * d[i]);
                for (size_t k = 0; k < l; k++) {
                    h = V(k, i + 1);
                    V(k, i + 1) = sn * V(k, i) + c * h;
                    V(k, i) = c * V(k, i) - sn * h;
                }
            }
            p = -sn * s2 * c3 * el1 * e[lo] / dl1;
            e[lo] = sn * p;
            d[lo] = c * p;
            if (!(fabs(e[lo]) > DBL_EPSILON * tst1))
                break;
        }
        d[lo] += f;
        e[lo] = 0;
    }
#undef V
}

static double gaussian(struct rng *r)
{
    /* Box-Muller; 1 - u keeps the log argument in (0, 1]. */
    double u = 1 - rng_double(r), v = rng_double(r);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* g = a^T a for the row-major n x k matrix a. g is symmetric, so only its upper triangle is
 * summed and then mirrored: the same products added in the same order as the full loop
 * (x * y == y * x exactly), so the result is bit-for-bit the full one, at about half the cost
 * and exactly symmetric (hals() relies on that). */
static void gram(const double *a, size_t n, size_t k, double *g)
{
    memset(g, 0, k * k * sizeof *g);
    for (size_t i = 0; i < n; i++) {
        const double *r = a + i * k;
        for (size_t p = 0; p < k; p++) {
            double rp = r[p], *gp = g + p * k;
            for (size_t q = p; q < k; q++)
                gp[q] += rp * r[q];
        }
    }
    for (size_t p = 0; p < k; p++)
        for (size_t q = p + 1; q < k; q++)
            g[q * k + p] = g[p * k + q];
}

/* Cholesky factor of the symmetric b x b matrix g (row-major), in place as the upper
 * triangle R with g = R^T R. Returns false when a pivot is not clearly positive (the columns
 * are dependent to working precision), so the caller falls back to Gram-Schmidt. */
static bool cholesky_upper(double *g, size_t b)
{
    double dmax = 0;
    for (size_t i = 0; i < b; i++)
        dmax = fmax(dmax, g[i * b + i]);
    for (size_t i = 0; i < b; i++) {
        double d = g[i * b + i];
        for (size_t t = 0; t < i; t++)
            d -= g[t * b + i] * g[t * b + i];
        if (!(d > 1e-12 * dmax))
            return false;
        d = sqrt(d);
        g[i * b + i] = d;
        for (size_t j = i + 1; j < b; j++) {
            double v = g[i * b + j];
            for (size_t t = 0; t < i; t++)
                v -= g[t * b + i] * g[t * b + j];
            g[i * b + j] = v / d;
        }
    }
    return true;
}

/* The inverse of the upper triangular b x b matrix r (row-major) into inv, upper triangular
 * (the lower part is set to 0): back substitution column by column. */
static void upper_inverse(const double *r, size_t b, double *inv)
{
    memset(inv, 0, b * b * sizeof *inv);
    for (size_t j = 0; j < b; j++) {
        inv[j * b + j] = 1 / r[j * b + j];
        for (size_t i = j; i-- > 0;) {
            double v = 0;
            for (size_t t = i + 1; t <= j; t++)
                v += r[i * b + t] * inv[t * b + j];
            inv[i * b + j] = -v / r[i * b + i];
        }
    }
}

/* Orthonormalises the columns of the row-major d x b matrix a. Cholesky QR twice (Y = A R^-1
 * with R from A^T A, repeated once so the columns are orthonormal to rounding; Fukaya et al.
 * 2014): two passes over the rows, each a contiguous b-vector, instead of Gram-Schmidt's b^2
 * passes over columns. When the columns are dependent (a rank-deficient matrix, or more
 * columns than the space holds) modified Gram-Schmidt twice on a column-major copy in col
 * ((d + 1) x b doubles, also the scratch of the Cholesky path) handles it, zeroing the columns that
 * fall to nothing. g is b x b scratch. The rows are updated as sums of rows of R^-1, so the
 * inner loops run over contiguous memory. */
static void orthonormalise_rows(double *a, size_t d, size_t b, double *g, double *col)
{
    double *rinv = col, *y = col + b * b; /* col has (d + 1) * b >= b * b + b */
    for (int pass = 0; pass < 2; pass++) {
        gram(a, d, b, g);
        if (!cholesky_upper(g, b)) {
            for (size_t i = 0; i < d; i++)
                for (size_t c = 0; c < b; c++)
                    col[c * d + i] = a[i * b + c];
            orthonormalise(col, d, 0, b);
            for (size_t i = 0; i < d; i++)
                for (size_t c = 0; c < b; c++)
                    a[i * b + c] = col[c * d + i];
            return;
        }
        upper_inverse(g, b, rinv);
        for (size_t i = 0; i < d; i++) { /* row r of A becomes r R^-1 */
            double *r = a + i * b;
            memset(y, 0, b * sizeof *y);
            for (size_t t = 0; t < b; t++) {
                const double *it = rinv + t * b;
                double rt = r[t];
                for (size_t j = t; j < b; j++)
                    y[j] += rt * it[j];
            }
            memcpy(r, y, b * sizeof *r);
        }
    }
}

/* Randomised subspace iteration on the smaller side of X (N. Halko, P.-G. Martinsson,
 * J. A. Tropp, "Finding structure with randomness", SIAM Review 53, 2011, algorithm 4.4, with
 * scikit-learn's randomized_svd settings: 10 extra columns, 7 power iterations). With A = X
 * when it has no more columns than rows (the terms side of a corpus, the usual case) and
 * A = X^T otherwise, d = A's columns and b = k + SVD_EXTRA: from a Gaussian d x b start Q,
 * SVD_POWER times Q = orth(A^T A Q); then Rayleigh-Ritz: G = Q^T (A^T A Q) = E diag(sigma^2)
 * E^T gives the small side's singular vectors Q E and sigma, and the large side's are
 * A Q E / sigma, one product of width k. Only d-long vectors are ever orthonormalised, and
 * on the terms side the docs-long block A Q is not even stored (gram_mul). */
int nmf_svd(const struct sparse *x, size_t k, uint64_t seed, double *u, double *s, double *v)
{
    size_t n = x->rows, m = x->cols, mn = n < m ? n : m, d, b;
    bool terms = m <= n;
    double *q = NULL, *w = NULL, *tmp = NULL, *g = NULL, *ev = NULL, *e = NULL, *col = NULL,
           *small, *large, lmax;
    size_t *order = NULL;
    struct rng r;
    int rc = APP_E_INVALID;

    if (k == 0 || k > mn)
        goto done;
    d = terms ? m : n;
    b = k + SVD_EXTRA < d ? k + SVD_EXTRA : d;
    rc = APP_E_NOMEM;
    q = malloc(d * b * sizeof *q); /* row-major d x b */
    w = malloc(d * b * sizeof *w);
    tmp = malloc((terms ? b : m * b) * sizeof *tmp); /* gram_mul's y, or X^T Q */
    g = malloc(b * b * sizeof *g);
    ev = malloc(b * sizeof *ev);
    e = malloc(b * b * sizeof *e); /* G, then its eigenvectors */
    col = malloc((d + 1) * b * sizeof *col);
    order = malloc(b * sizeof *order);
    if (!q || !w || !tmp || !g || !ev || !e || !col || !order)
        goto done;
    rng_seed(&r, seed);
    for (size_t i = 0; i < d * b; i++)
        w[i] = gaussian(&r);
    for (int it = 0; it <= SVD_POWER; it++) {
        double *t = q; /* Q = orth(W); W = A^T A Q */
        q = w;
        w = t;
        orthonormalise_rows(q, d, b, g, col);
        if (terms) {
            gram_mul(x, q, b, tmp, w);
        } else {
            sparse_tmul_dense(x, q, b, tmp); /* X^T Q */
            sparse_mul_dense(x, tmp, b, w);   /* X X^T Q */
        }
    }
    memset(e, 0, b * b * sizeof *e); /* G = Q^T W, symmetric: summed by rows, then averaged */
    for (size_t i = 0; i < d; i++) {
        const double *qi = q + i * b, *wi = w + i * b;
        for (size_t a = 0; a < b; a++) {
            double qa = qi[a], *ea = e + a * b;
            if (qa != 0)
                for (size_t c = 0; c < b; c++)
                    ea[c] += qa * wi[c];
        }
    }
    for (size_t a = 0; a < b; a++)
        for (size_t c = a + 1; c < b; c++)
            e[a * b + c] = e[c * b + a] = (e[a * b + c] + e[c * b + a]) / 2;
    eigen_sym(e, b, ev, g);
    for (size_t a = 0; a < b; a++)
        order[a] = a;
    for (size_t a = 1; a < b; a++) { /* insertion sort by eigenvalue, descending; stable */
        size_t o = order[a], c = a;
        while (c > 0 && ev[order[c - 1]] < ev[o]) {
            order[c] = order[c - 1];
            c--;
        }
        order[c] = o;
    }
    lmax = ev[order[0]] > 0 ? ev[order[0]] : 0;
    small = terms ? v : u;
    large = terms ? u : v;
    for (size_t c = 0; c < k; c++) /* sigma^2 is only known to about eps * sigma_1^2 */
        s[c] = ev[order[c]] > 1e-14 * lmax ? sqrt(ev[order[c]]) : 0;
    for (size_t a = 0; a < b; a++) /* the k leading eigenvectors, in order, into col (b x k) */
        for (size_t c = 0; c < k; c++)
            col[a * k + c] = e[a * b + order[c]];
    for (size_t i = 0; i < d; i++) { /* small side: Q E, as sums of rows of E */
        const double *qi = q + i * b;
        double *si = small + i * k;
        memset(si, 0, k * sizeof *si);
        for (size_t a = 0; a < b; a++) {
            const double *ea = col + a * k;
            double qa = qi[a];
            for (size_t c = 0; c < k; c++)
                si[c] += qa * ea[c];
        }
    }
    if (terms) /* large side: A (Q E) / sigma */
        sparse_mul_dense(x, v, k, u);
    else
        sparse_tmul_dense(x, u, k, v);
    for (size_t i = 0; i < (terms ? n : m); i++)
        for (size_t c = 0; c < k; c++)
            large[i * k + c] = s[c] > 0 ? large[i * k + c] / s[c] : 0;
    rc = APP_OK;
done:
    free(q);
    free(w);
    free(tmp);
    free(g);
    free(ev);
    free(e);
    free(col);
    free(order);
    return rc;
}

/* The columns of x in at least T rows, T the smallest count that keeps at most limit columns
 * (and at least 1): map[t] is column t's index among them, or SIZE_MAX when it is left out.
 * Returns how many are kept. Choosing by a threshold rather than by rank keeps the choice free
 * of ties. df is cols and hist rows + 1 counts of scratch. */
static size_t frequent_columns(const struct sparse *x, size_t limit, size_t *df, size_t *hist,
                               size_t *map)
{
    size_t m = x->cols, kept = 0, t_min = x->rows + 1;
    memset(df, 0, m * sizeof *df);
    memset(hist, 0, (x->rows + 1) * sizeof *hist);
    for (size_t p = 0; p < x->nnz; p++)
        df[x->col[p]]++;
    for (size_t t = 0; t < m; t++)
        hist[df[t]]++;
    while (t_min > 1 && kept + hist[t_min - 1] <= limit)
        kept += hist[--t_min];
    kept = 0;
    for (size_t t = 0; t < m; t++)
        map[t] = df[t] >= t_min ? kept++ : SIZE_MAX;
    return kept;
}

int nmf_svd_frequent(const struct sparse *x, size_t k, uint64_t seed, size_t limit, double *u,
                     double *s, double *v)
{
    size_t n = x->rows, m = x->cols, kept, nnz = 0, *df = NULL, *hist = NULL, *map = NULL;
    struct sparse xr = {0};
    int rc;

    if (m <= limit || k == 0 || k > (n < m ? n : m))
        return nmf_svd(x, k, seed, u, s, v);
    rc = APP_E_NOMEM;
    df = malloc(m * sizeof *df);
    hist = malloc((n + 1) * sizeof *hist);
    map = malloc(m * sizeof *map);
    if (!df || !hist || !map)
        goto done;
    kept = frequent_columns(x, limit, df, hist, map);
    if (kept < k + SVD_EXTRA) { /* too few to hold the block: the whole matrix */
        rc = nmf_svd(x, k, seed, u, s, v);
        goto done;
    }
    for (size_t p = 0; p < x->nnz; p++)
        nnz += map[x->col[p]] != SIZE_MAX;
    if ((rc = sparse_alloc(&xr, n, kept, nnz)) != APP_OK)
        goto done;
    nnz = 0;
    for (size_t i = 0; i < n; i++) { /* columns stay in increasing order: map is monotone */
        for (size_t p = x->rowptr[i]; p < x->rowptr[i + 1]; p++)
            if (map[x->col[p]] != SIZE_MAX) {
                xr.col[nnz] = (uint32_t)map[x->col[p]];
                xr.val[nnz++] = x->val[p];
            }
        xr.rowptr[i + 1] = nnz;
    }
    /* v (kept x k) is scratch here. Then, for every column, v_j = X^T u_j / sigma_j with
     * sigma_j = ||X^T u_j||: the whole matrix's singular value along u_j, so v_j has unit
     * length (the kept terms' sigma alone would leave the rest's share out). */
    if ((rc = nmf_svd(&xr, k, seed, u, s, v)) != APP_OK)
        goto done;
    sparse_tmul_dense(x, u, k, v);
    for (size_t c = 0; c < k; c++) {
        double nn = 0;
        for (size_t t = 0; t < m; t++)
            nn += v[t * k + c] * v[t * k + c];
        s[c] = s[c] > 0 ? sqrt(nn) : 0; /* a direction the kept terms lack stays empty */
        for (size_t t = 0; t < m; t++)
            v[t * k + c] = s[c] > 0 ? v[t * k + c] / s[c] : 0;
    }
    rc = APP_OK;
done:
    sparse_free(&xr);
    free(df);
    free(hist);
    free(map);
    return rc;
}

/* NNDSVDa from the SVD: w (n x k), ht (m x k) = H^T. */
static void nndsvd(const double *u, const double *s, const double *v, size_t n, size_t m, size_t k,
                   double fill, double *w, double *ht)
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

/* One HALS sweep over the rows of a (n x k) given p = X-side products (n x k) and q = the
 * Gram matrix of the other factor (k x k, exactly symmetric as gram() makes it, so its row j
 * is read in place of column j, contiguously). Rows are independent; within a row the
 * components are updated in order, each using the latest values, so one row is a chain of
 * dependent sums and divisions. Four rows go through together to give the processor four
 * chains to overlap (the sweep over W's 100,000 rows was waiting on latency, not doing
 * arithmetic); each row's arithmetic is the same, in the same order, so the result is
 * bit-for-bit the row-at-a-time one. */
static void hals_row(double *r, const double *pr, const double *q, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        const double *qj = q + j * k;
        double num = pr[j], d = qj[j], nv;
        if (d <= 0)
            continue;
        for (size_t t = 0; t < k; t++)
            num -= r[t] * qj[t];
        nv = r[j] + num / d;
        r[j] = nv > 0 ? nv : 0;
    }
}

static void hals(double *a, const double *p, const double *q, size_t n, size_t k)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        double *r0 = a + i * k, *r1 = r0 + k, *r2 = r1 + k, *r3 = r2 + k;
        const double *p0 = p + i * k;
        for (size_t j = 0; j < k; j++) {
            const double *qj = q + j * k;
            double d = qj[j], n0 = p0[j], n1 = p0[k + j], n2 = p0[2 * k + j],
                   n3 = p0[3 * k + j], v;
            if (d <= 0)
                continue;
            for (size_t t = 0; t < k; t++) {
                double c = qj[t];
                n0 -= r0[t] * c;
                n1 -= r1[t] * c;
                n2 -= r2[t] * c;
                n3 -= r3[t] * c;
            }
            v = r0[j] + n0 / d;
            r0[j] = v > 0 ? v : 0;
            v = r1[j] + n1 / d;
            r1[j] = v > 0 ? v : 0;
            v = r2[j] + n2 / d;
            r2[j] = v > 0 ? v : 0;
            v = r3[j] + n3 / d;
            r3[j] = v > 0 ? v : 0;
        }
    }
    for (; i < n; i++)
        hals_row(a + i * k, p + i * k, q, k);
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
    if ((rc = nmf_svd_frequent(x, k, opt->seed, opt->svd_terms ? opt->svd_terms : SVD_TERMS, u,
                               s, v)) != APP_OK)
        goto done;
    nndsvd(u, s, v, n, m, k, sum / ((double)n * (double)m), out->w, ht);

    gram(out->w, n, k, ww);
    gram(ht, m, k, hh);
    sparse_tmul_dense(x, out->w, k, r);
    e0 = prev = frob_err(xx, r, ht, m, k, ww, hh);
    for (out->iter = 0; out->iter < max_iter && xx > 0;) {
        double e, gain;
        sparse_mul_dense(x, ht, k, p); /* X H^T */
        hals(out->w, p, hh, n, k);
        gram(out->w, n, k, ww);
        sparse_tmul_dense(x, out->w, k, r); /* X^T W */
        hals(ht, r, ww, m, k);
        gram(ht, m, k, hh);
        out->iter++;
        e = frob_err(xx, r, ht, m, k, ww, hh); /* of the W and H just made: r, ww, hh are theirs */
        gain = prev - e;
        prev = e;
        if (gain < tol * e0)
            break;
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
    /* Rescaling W's columns against H's rows leaves the product W H, so its error is the last
     * one computed (the start's when no iteration ran). */
    out->rel_err = xx > 0 ? prev / sqrt(xx) : 0;
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
