/* pca.c: leading principal components by power iteration, on a dense or a sparse matrix
 *
 * Both entry points share one block power iteration (power_components) over an operator that
 * computes w = Xᵀ(X v) for the centred X. The dense operator never copies X: centring is
 * applied implicitly, X_c v = X v − (μ·v)·1 and X_cᵀ u = Xᵀ u − (Σu)·μ, so the input stays
 * read-only and no rows × cols scratch is needed. The sparse operator walks the rows once per
 * product. See pca.h for the method, the sign convention and the caveats.
 */
#include "text/pca.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"

/* w = X_cᵀ (X_c v); u is rows doubles of scratch. */
struct op {
    size_t rows, cols;
    /* dense */
    const double *X;
    const double *mu;
    /* sparse */
    const size_t *rowptr;
    const uint32_t *colidx;
    const double *val;
};

static void op_apply(const struct op *o, const double *v, double *u, double *w)
{
    size_t rows = o->rows, cols = o->cols;

    memset(w, 0, cols * sizeof *w);
    if (o->X) {
        double muv = 0, su = 0;
        for (size_t c = 0; c < cols; c++)
            muv += o->mu[c] * v[c];
        for (size_t r = 0; r < rows; r++) {
            const double *x = o->X + r * cols;
            double s = 0;
            for (size_t c = 0; c < cols; c++)
                s += x[c] * v[c];
            u[r] = s - muv;
            su += u[r];
        }
        for (size_t r = 0; r < rows; r++) {
            const double *x = o->X + r * cols;
            double ur = u[r];
            if (ur == 0)
                continue;
            for (size_t c = 0; c < cols; c++)
                w[c] += x[c] * ur;
        }
        for (size_t c = 0; c < cols; c++)
            w[c] -= su * o->mu[c];
    } else {
        for (size_t r = 0; r < rows; r++) {
            double s = 0, ur;
            for (size_t j = o->rowptr[r]; j < o->rowptr[r + 1]; j++)
                s += o->val[j] * v[o->colidx[j]];
            ur = s;
            if (ur == 0)
                continue;
            for (size_t j = o->rowptr[r]; j < o->rowptr[r + 1]; j++)
                w[o->colidx[j]] += o->val[j] * ur;
        }
    }
}

static double norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

/* Removes from v its projections on the first k rows of comps (unit vectors or zeros). */
static void orthogonalise(double *v, const double *comps, size_t k, size_t cols)
{
    for (size_t j = 0; j < k; j++) {
        const double *c = comps + j * cols;
        double d = 0;
        for (size_t i = 0; i < cols; i++)
            d += v[i] * c[i];
        if (d == 0)
            continue;
        for (size_t i = 0; i < cols; i++)
            v[i] -= d * c[i];
    }
}

/* Largest-magnitude entry positive: a deterministic sign that does not depend on the start. */
static void fix_sign(double *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (fabs(v[i]) > fabs(v[best]))
            best = i;
    if (n > 0 && v[best] < 0)
        for (size_t i = 0; i < n; i++)
            v[i] = -v[i];
}

/* Gram–Schmidt, twice (once is not enough in floating point when columns are nearly
 * dependent): row j of W becomes a unit vector orthogonal to rows 0..j−1, or zeros when
 * nothing is left of it relative to scale (the data has rank < j+1). */
static void gram_schmidt(double *W, size_t k, size_t cols, double scale)
{
    for (size_t j = 0; j < k; j++) {
        double *w = W + j * cols, n;
        orthogonalise(w, W, j, cols);
        orthogonalise(w, W, j, cols);
        n = norm2(w, cols);
        if (!(n > scale * 1e-12) || !isfinite(n)) {
            memset(w, 0, cols * sizeof *w);
            continue;
        }
        for (size_t i = 0; i < cols; i++)
            w[i] /= n;
    }
}

/* Eigen-decomposition of the symmetric k × k matrix B (row-major, destroyed) by cyclic
 * Jacobi rotations: eigenvalues into ev, eigenvectors into the columns of E. */
static void jacobi(double *B, size_t k, double *ev, double *E)
{
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            E[i * k + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (size_t p = 0; p < k; p++)
            for (size_t q = p + 1; q < k; q++)
                off += B[p * k + q] * B[p * k + q];
        if (off < 1e-300)
            break;
        for (size_t p = 0; p < k; p++) {
            for (size_t q = p + 1; q < k; q++) {
                double bpq = B[p * k + q], theta, t, c, sn;
                if (bpq == 0)
                    continue;
                theta = (B[q * k + q] - B[p * k + p]) / (2 * bpq);
                t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                c = 1 / sqrt(t * t + 1);
                sn = t * c;
                for (size_t r = 0; r < k; r++) { /* B ← B·J */
                    double brp = B[r * k + p], brq = B[r * k + q];
                    B[r * k + p] = c * brp - sn * brq;
                    B[r * k + q] = sn * brp + c * brq;
                }
                for (size_t r = 0; r < k; r++) { /* B ← Jᵀ·B */
                    double bpr = B[p * k + r], bqr = B[q * k + r];
                    B[p * k + r] = c * bpr - sn * bqr;
                    B[q * k + r] = sn * bpr + c * bqr;
                }
                for (size_t r = 0; r < k; r++) { /* E ← E·J */
                    double erp = E[r * k + p], erq = E[r * k + q];
                    E[r * k + p] = c * erp - sn * erq;
                    E[r * k + q] = sn * erp + c * erq;
                }
            }
        }
    }
    for (size_t i = 0; i < k; i++)
        ev[i] = B[i * k + i];
}

/* Block power iteration (orthogonal iteration): all ncomp vectors advance together, V ←
 * GramSchmidt(C·V), so the second is orthogonalised against the first at every step. The
 * SUBSPACE converges at the rate λ_{k+1}/λ_k, even when λ₁ ≈ λ₂ (three equal-sized opinion
 * camps give exactly that, and one-vector-at-a-time power iteration then crawls). A final
 * Rayleigh–Ritz step (the k × k matrix VᵀCV, diagonalised) turns the subspace into ordered
 * eigenvectors. Stops when every new vector lies in the old subspace to within tol. */
static int power_components(const struct op *o, size_t ncomp, const struct pca_opts *opts,
                            double *comps, struct pca_info *info)
{
    size_t rows = o->rows, cols = o->cols, k = ncomp, it = 0;
    size_t max_iter = opts && opts->max_iter ? opts->max_iter : PCA_DEFAULT_MAX_ITER;
    double tol = opts && opts->tol > 0 ? opts->tol : PCA_DEFAULT_TOL;
    double *u = NULL, *W = NULL, *V = comps;
    double B[PCA_MAX_COMP * PCA_MAX_COMP], E[PCA_MAX_COMP * PCA_MAX_COMP], ev[PCA_MAX_COMP];
    size_t order[PCA_MAX_COMP];
    struct pca_info inf;
    struct rng rng;
    bool ok = false;
    int rc = APP_E_NOMEM;

    memset(&inf, 0, sizeof inf);
    u = malloc((rows ? rows : 1) * sizeof *u);
    W = malloc(k * cols * sizeof *W);
    if (!u || !W)
        goto done;
    rng_seed(&rng, opts ? opts->seed : 0);
    for (size_t i = 0; i < k * cols; i++)
        V[i] = rng_double(&rng) - 0.5;
    gram_schmidt(V, k, cols, 0);

    while (it < max_iter) {
        double scale = 0, worst = 0;
        it++;
        for (size_t j = 0; j < k; j++) {
            op_apply(o, V + j * cols, u, W + j * cols);
            double n = norm2(W + j * cols, cols);
            if (n > scale)
                scale = n;
        }
        if (!(scale > 0) || !isfinite(scale)) { /* no variance at all: no components */
            memset(V, 0, k * cols * sizeof *V);
            ok = true;
            break;
        }
        gram_schmidt(W, k, cols, scale);
        /* distance of each new vector from the old subspace: ‖w − V Vᵀ w‖ */
        for (size_t j = 0; j < k; j++) {
            double *w = W + j * cols, r2 = 0, wn = 0;
            for (size_t i = 0; i < cols; i++)
                wn += w[i] * w[i];
            if (wn == 0)
                continue;
            {
                double d[PCA_MAX_COMP];
                for (size_t m = 0; m < k; m++) {
                    d[m] = 0;
                    for (size_t i = 0; i < cols; i++)
                        d[m] += w[i] * V[m * cols + i];
                }
                for (size_t i = 0; i < cols; i++) {
                    double x = w[i];
                    for (size_t m = 0; m < k; m++)
                        x -= d[m] * V[m * cols + i];
                    r2 += x * x;
                }
            }
            if (sqrt(r2) > worst)
                worst = sqrt(r2);
        }
        memcpy(V, W, k * cols * sizeof *V);
        if (worst < tol) {
            ok = true;
            break;
        }
    }

    /* Rayleigh–Ritz: B = Vᵀ C V (up to the 1/(rows−1)), diagonalised, V rotated to its
     * eigenvectors in decreasing order. */
    for (size_t j = 0; j < k; j++)
        op_apply(o, V + j * cols, u, W + j * cols);
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            double d = 0;
            for (size_t i = 0; i < cols; i++)
                d += V[a * cols + i] * W[b * cols + i];
            B[a * k + b] = d;
        }
    for (size_t a = 0; a < k; a++) /* symmetrise away rounding */
        for (size_t b = a + 1; b < k; b++)
            B[a * k + b] = B[b * k + a] = (B[a * k + b] + B[b * k + a]) / 2;
    jacobi(B, k, ev, E);
    for (size_t j = 0; j < k; j++)
        order[j] = j;
    for (size_t a = 1; a < k; a++) { /* insertion sort by eigenvalue, descending */
        size_t t = order[a], b = a;
        while (b > 0 && ev[order[b - 1]] < ev[t]) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = t;
    }
    for (size_t j = 0; j < k; j++) {
        double *w = W + j * cols;
        size_t src = order[j];
        for (size_t i = 0; i < cols; i++) {
            double x = 0;
            for (size_t m = 0; m < k; m++)
                x += V[m * cols + i] * E[m * k + src];
            w[i] = x;
        }
        inf.eigval[j] = rows > 1 && ev[src] > 0 ? ev[src] / (double)(rows - 1) : 0;
        inf.iters[j] = it;
    }
    memcpy(V, W, k * cols * sizeof *V);
    for (size_t j = 0; j < k; j++) {
        /* a direction with no variance is reported as zeros, not as an arbitrary unit vector */
        if (inf.eigval[j] <= inf.eigval[0] * 1e-12)
            memset(V + j * cols, 0, cols * sizeof *V);
        fix_sign(V + j * cols, cols);
    }
    inf.converged = ok;
    if (info)
        *info = inf;
    rc = 0;
done:
    free(u);
    free(W);
    return rc;
}

int pca_dense(const double *X, size_t rows, size_t cols, size_t ncomp, const struct pca_opts *opts,
              double *center, double *comps, struct pca_info *info)
{
    double *mu = NULL;
    struct op o;
    int rc = APP_E_INVALID;

    if (!X || !comps || cols == 0 || ncomp == 0 || ncomp > PCA_MAX_COMP || ncomp > cols)
        goto done;
    rc = APP_E_NOMEM;
    mu = calloc(cols, sizeof *mu);
    if (!mu)
        goto done;
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++)
            mu[c] += X[r * cols + c];
    if (rows > 0)
        for (size_t c = 0; c < cols; c++)
            mu[c] /= (double)rows;
    memset(&o, 0, sizeof o);
    o.rows = rows;
    o.cols = cols;
    o.X = X;
    o.mu = mu;
    rc = power_components(&o, ncomp, opts, comps, info);
    if (rc == 0 && center)
        memcpy(center, mu, cols * sizeof *mu);
done:
    free(mu);
    return rc;
}

int pca_csr(size_t rows, size_t cols, const size_t *rowptr, const uint32_t *colidx,
            const double *val, size_t ncomp, const struct pca_opts *opts, double *comps,
            struct pca_info *info)
{
    struct op o;
    int rc = APP_E_INVALID;

    if (!rowptr || !comps || cols == 0 || ncomp == 0 || ncomp > PCA_MAX_COMP || ncomp > cols)
        goto done;
    if (rowptr[rows] > 0 && (!colidx || !val))
        goto done;
    for (size_t r = 0; r < rows; r++)
        if (rowptr[r + 1] < rowptr[r])
            goto done;
    for (size_t j = rowptr[0]; j < rowptr[rows]; j++)
        if (colidx[j] >= cols)
            goto done;
    memset(&o, 0, sizeof o);
    o.rows = rows;
    o.cols = cols;
    o.rowptr = rowptr;
    o.colidx = colidx;
    o.val = val;
    rc = power_components(&o, ncomp, opts, comps, info);
done:
    return rc;
}
