/* kmeans.h: weighted k-means (k-means++ seeding, Lloyd iterations) and a weighted silhouette
 *
 * Points are n rows of dim doubles, row-major. Every point has a weight (NULL = all 1), read
 * as a MULTIPLICITY: a point of weight 5 behaves exactly like 5 coincident points. That is
 * what the opinion-group kernel needs, which clusters ~100 "base cluster" centres weighted by
 * their member counts and must get the answer it would get on the members placed at those
 * centres.
 *
 * Seeding is k-means++ (Arthur & Vassilvitskii 2007) with the weights: the first centre is
 * drawn with probability ∝ w, each next one ∝ w·D², D the distance to the nearest centre so
 * far, from a xoshiro256** stream seeded by opts->seed (core/rand.h). Lloyd iterations then
 * alternate nearest-centre assignment (ties go to the lower-numbered centre) and weighted
 * means until no assignment changes or max_iter. A cluster that empties keeps its old centre
 * for the next round; clusters still empty at the end are removed and the rest renumbered in
 * order, so k_out may be less than k (also when there are fewer than k distinct points).
 * With n_init > 1 the fit is repeated from independent seeds (drawn from the same stream)
 * and the lowest weighted inertia wins, the earliest on ties. Everything is deterministic
 * for the same input and seed. Single-threaded; assignment is O(n·k·dim) per iteration.
 *
 * Silhouette (Rousseeuw 1987) with weights as multiplicities: for point i in cluster g,
 *   a(i) = Σ_{j∈g} w_j d(i,j) / (W_g − 1)         (i's own w_i − 1 copies sit at distance 0)
 *   b(i) = min over clusters h ≠ g of Σ_{j∈h} w_j d(i,j) / W_h
 *   s(i) = (b − a) / max(a, b), and s(i) = 0 when W_g ≤ 1 (a singleton, Rousseeuw's rule)
 * and the score is Σ w_i s(i) / Σ w_i, with Euclidean d. For unit weights this is the usual
 * mean silhouette; for integer weights it equals the silhouette of the expanded point set.
 * O(n²·dim): meant for the ~100 base clusters, not for raw participants.
 */
#ifndef AHP_KMEANS_H
#define AHP_KMEANS_H

#include <stddef.h>
#include <stdint.h>

#define KMEANS_DEFAULT_MAX_ITER 100

struct kmeans_opts {
    uint64_t seed;
    size_t max_iter; /* Lloyd iterations per run; 0 = KMEANS_DEFAULT_MAX_ITER */
    size_t n_init;   /* independent seeded runs, best inertia kept; 0 = 1 */
};

/* Clusters the n points (n × dim, borrowed) with weights w (n doubles > 0, or NULL) into at
 * most k clusters. Caller-owned outputs: centres (k × dim; the first *k_out rows are set),
 * assign (n cluster numbers in 0 .. *k_out−1), k_out, inertia (Σ w·d² to the centre; may be
 * NULL). Returns 0, APP_E_INVALID (n, k or dim is 0, a NULL array, a weight that is not a
 * positive finite number, a coordinate that is not finite) or APP_E_NOMEM. */
int kmeans_fit(const double *pts, const double *w, size_t n, size_t dim, size_t k,
               const struct kmeans_opts *opts, double *centres, uint32_t *assign, size_t *k_out,
               double *inertia);

/* Lloyd iterations from the k given centres (k × dim, in/out; no seeding): a warm start from
 * an earlier clustering, or a deterministic start. On return the first *k_out rows hold the
 * centres of the non-empty clusters, in their starting order, and assign numbers the points
 * by them. Other arguments and returns as for kmeans_fit() (a centre that is not finite is
 * APP_E_INVALID). */
int kmeans_lloyd(const double *pts, const double *w, size_t n, size_t dim, size_t k,
                 size_t max_iter, double *centres, uint32_t *assign, size_t *k_out,
                 double *inertia);

/* The weighted mean silhouette of a clustering (see above), in [−1, 1], into *out; 0 when
 * there are fewer than 2 clusters or no points. Returns 0, APP_E_INVALID (a NULL array, an
 * assign[i] ≥ k) or APP_E_NOMEM. */
int kmeans_silhouette(const double *pts, const double *w, size_t n, size_t dim,
                      const uint32_t *assign, size_t k, double *out);

/* Fits k = kmin .. kmax (kmin ≥ 2) and keeps the k with the highest silhouette; on a tie
 * (within 1e-12) the smaller k. A k for which fewer than k non-empty clusters come out is
 * skipped. Outputs as for kmeans_fit() (centres must hold kmax × dim), plus sil (kmax + 1
 * doubles, may be NULL): sil[k] = the silhouette for k, NAN for skipped or untried k. When
 * no k in range can be fitted (fewer than kmin distinct points) everything goes in one
 * cluster: *k_out = 1, centres[0] = the weighted mean. Returns as kmeans_fit(), plus
 * APP_E_INVALID for kmin < 2 or kmax < kmin. */
int kmeans_choose_k(const double *pts, const double *w, size_t n, size_t dim, size_t kmin,
                    size_t kmax, const struct kmeans_opts *opts, double *centres, uint32_t *assign,
                    size_t *k_out, double *sil);

#endif
