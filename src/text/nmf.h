/* nmf.h: non-negative matrix factorisation X ~ W H of a sparse matrix, deterministic
 *
 * X (rows x cols, CSR, values >= 0) is approximated by W (rows x k) times H (k x cols), both
 * non-negative, minimising the Frobenius norm ||X - WH||. Start: NNDSVDa (Boutsidis &
 * Gallopoulos 2008, zeros filled with the mean of X) from a randomised truncated SVD with a
 * fixed seed; then HALS coordinate descent. The same input, options and seed give
 * byte-identical W and H. On return each row of H has unit l2 norm (W absorbs the scale), so
 * weights are comparable across components.
 */
#ifndef AHP_NMF_H
#define AHP_NMF_H

#include <stddef.h>
#include <stdint.h>

#include "text/sparse.h"

struct nmf_options {
    size_t k;          /* components, 1 <= k <= min(rows, cols) */
    unsigned max_iter; /* 0: 200 */
    double tol;        /* stop when an iteration lowers ||X - WH|| by less than tol times the
                          starting error; 0: 1e-4 */
    uint64_t seed;     /* for the SVD's random start */
    size_t svd_terms;  /* the start's SVD reads at most this many terms (nmf_svd_frequent);
                          0: 4,096 */
};

struct nmf_result {
    size_t rows, cols, k;
    double *w;      /* rows x k, row-major */
    double *h;      /* k x cols, row-major */
    unsigned iter;  /* iterations run */
    double rel_err; /* ||X - WH||_F / ||X||_F (0 when X is zero) */
};

/* Factorises x. *out is owned by the caller (nmf_free) and zeroed on error. Returns 0,
 * APP_E_INVALID (k out of range, or a negative or non-finite value in x), or APP_E_NOMEM. */
int nmf_fit(const struct sparse *x, const struct nmf_options *opt, struct nmf_result *out);

void nmf_free(struct nmf_result *r);

/* The leading k singular triplets of x by randomised subspace iteration (Halko, Martinsson &
 * Tropp 2011, algorithm 4.4: blocks of k + 10 columns, 7 products with X^T X on the smaller
 * side of x, Rayleigh-Ritz; scikit-learn's randomized_svd settings), exposed for tests.
 * u: rows x k, s: k (descending), v: cols x k, all row-major and caller-allocated. Singular
 * values below about 1e-7 times the largest are returned as 0, with zero vectors on the larger
 * side. Accurate to rounding when the spectrum has a gap after k; with a slow decay it is an
 * approximation (nmf_test pins how close). Deterministic for a given seed. Returns 0,
 * APP_E_INVALID (k out of range) or APP_E_NOMEM. */
int nmf_svd(const struct sparse *x, size_t k, uint64_t seed, double *u, double *s, double *v);

/* nmf_svd of the columns of x in the most rows (at most limit of them: those in at least T
 * rows, T as small as that allows) for u; then, for every column, kept or not, v_j = X^T u_j /
 * sigma_j with sigma_j = ||X^T u_j||, the relation an exact SVD satisfies (s is then in
 * descending order only approximately). With no more than limit columns it is nmf_svd
 * itself, byte for byte. Why: on 100,000 package descriptions the SVD of all 44,616
 * terms was 45% of the themes' time, its 44,616 x (k + 10) block read at random from memory;
 * the 4,096 commonest terms hold three quarters of the entries and nearly all of the leading
 * singular directions (nmf_test pins how close). Arguments and returns as nmf_svd. */
int nmf_svd_frequent(const struct sparse *x, size_t k, uint64_t seed, size_t limit, double *u,
                     double *s, double *v);

#endif
