/* pca.h: leading principal components by power iteration, on a dense or a sparse matrix
 *
 * Power iteration finds the top eigenvectors of the covariance C = XᵀX/(rows−1) of the
 * column-centred matrix X without ever forming C: each step is V ← Xᵀ(X V). All ncomp
 * vectors advance together (block power iteration, a.k.a. orthogonal iteration): after each
 * step the second is orthogonalised against the first (Gram–Schmidt), the third against both,
 * and so on. Pol.is finds its two components one after the other; doing them as a block gives
 * the same components but converges at the rate λ₃/λ₂ of the whole plane instead of λ₂/λ₁,
 * which matters for opinion data: three equal camps give λ₁ ≈ λ₂, where one-at-a-time power
 * iteration crawls (10× slower on the benchmark). A final Rayleigh–Ritz step (the ncomp ×
 * ncomp matrix VᵀCV diagonalised by Jacobi rotations) orders the vectors by variance. The
 * start block is drawn from a seeded xoshiro256** generator (core/rand.h), so the result is
 * a pure function of the data and the seed. A component is returned with a fixed sign: its
 * entry of largest magnitude (the first such, on ties) is positive, so two runs that converge
 * to the same direction report the same vector whatever the start.
 *
 * Two entry points:
 *   pca_dense()  X is a dense row-major rows × cols matrix; columns are centred here.
 *   pca_csr()    X is given as compressed sparse rows whose implicit entries are ZERO and
 *                that is ALREADY centred. This is the vote-matrix case: when missing votes
 *                are filled with the column mean and the columns are then centred, every
 *                missing entry becomes exactly 0, so the centred matrix is as sparse as the
 *                votes and one step costs O(number of votes) instead of O(rows × cols).
 *
 * Convergence: stop when every new vector lies in the previous subspace to within tol
 * (‖w − V Vᵀ w‖₂ < tol). When λ_{ncomp+1} ≈ λ_ncomp (no structure beyond noise) the
 * iteration may stop at max_iter with converged = false; the result is still an orthonormal
 * basis of a near-leading subspace, which is all a 2-D map needs. When two kept eigenvalues
 * are equal the directions within their plane are arbitrary (but deterministic). A
 * direction with no variance (rank < ncomp) comes back as zeros. Single-threaded.
 */
#ifndef AHP_PCA_H
#define AHP_PCA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCA_DEFAULT_MAX_ITER 1000
#define PCA_DEFAULT_TOL      1e-9

struct pca_opts {
    uint64_t seed;   /* start vectors */
    size_t max_iter; /* block iterations; 0 = PCA_DEFAULT_MAX_ITER */
    double tol;      /* subspace change to stop at (see above); 0 = PCA_DEFAULT_TOL */
};

#define PCA_MAX_COMP 8

/* What a fit reports besides the components; the first ncomp entries are used. */
struct pca_info {
    double eigval[PCA_MAX_COMP]; /* variance along each component: eigenvalue of XᵀX/(rows−1) */
    size_t iters[PCA_MAX_COMP];  /* block iterations run (the same for every component) */
    bool converged;              /* the subspace met tol before max_iter */
};

/* Dense PCA. X: rows × cols, row-major, borrowed and not modified. ncomp in 1..PCA_MAX_COMP
 * and ≤ cols. Outputs are caller-owned: center (cols doubles, the column means, may be
 * NULL), comps (ncomp × cols, row-major: component k is comps[k*cols ..]), info (may be
 * NULL). A component that does not exist (the data has rank < k) comes back as zeros with
 * eigval 0. Returns 0, APP_E_INVALID (bad sizes or ncomp) or APP_E_NOMEM. */
int pca_dense(const double *X, size_t rows, size_t cols, size_t ncomp, const struct pca_opts *opts,
              double *center, double *comps, struct pca_info *info);

/* Sparse PCA of an already-centred matrix with implicit zeros (see above). Row r holds the
 * entries rowptr[r] .. rowptr[r+1]-1 with column colidx[j] and value val[j]; all borrowed.
 * Duplicate columns within a row are summed (as a matrix product would). Outputs as for
 * pca_dense(). Returns 0, APP_E_INVALID (a column index ≥ cols, bad sizes) or APP_E_NOMEM. */
int pca_csr(size_t rows, size_t cols, const size_t *rowptr, const uint32_t *colidx,
            const double *val, size_t ncomp, const struct pca_opts *opts, double *comps,
            struct pca_info *info);

#endif
