/* kmeans.c: weighted k-means (k-means++ seeding, Lloyd iterations) and a weighted silhouette
 *
 * See kmeans.h for the method. Implementation notes: each run works in caller-sized scratch
 * (centres, assignment, D²) allocated once per call; the best run is copied out. Distances
 * are squared Euclidean throughout the fit (no sqrt in the inner loop); the silhouette needs
 * true distances and takes the sqrt. Sums are accumulated in point order, so results are
 * bit-identical between runs on the same machine and compiler.
 */
#include "text/kmeans.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"

static double dist2(const double *a, const double *b, size_t dim)
{
    double s = 0;
    for (size_t i = 0; i < dim; i++) {
        double d = a[i] - b[i];
        s += d * d;
    }
    return s;
}

static double weight(const double *w, size_t i)
{
    return w ? w[i] : 1.0;
}

/* Draws an index with probability ∝ p[i] (total > 0); the last positive one if rounding
 * lets the draw run off the end. */
static size_t draw(struct rng *g, const double *p, size_t n, double total)
{
    double r = rng_double(g) * total, cum = 0;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] <= 0)
            continue;
        cum += p[i];
        last = i;
        if (cum > r)
            return i;
    }
    return last;
}

/* k-means++ seeding; returns the number of centres placed (< k when fewer distinct points).
 * d2 (n) and p (n) are scratch. */
static size_t seed_pp(const double *pts, const double *w, size_t n, size_t dim, size_t k,
                      struct rng *g, double *centres, double *d2, double *p)
{
    double total = 0;
    size_t c, placed = 0;

    for (size_t i = 0; i < n; i++) {
        p[i] = weight(w, i);
        total += p[i];
    }
    c = draw(g, p, n, total);
    memcpy(centres, pts + c * dim, dim * sizeof *centres);
    placed = 1;
    for (size_t i = 0; i < n; i++)
        d2[i] = dist2(pts + i * dim, centres, dim);
    while (placed < k) {
        total = 0;
        for (size_t i = 0; i < n; i++) {
            p[i] = weight(w, i) * d2[i];
            total += p[i];
        }
        if (!(total > 0))
            break; /* every point sits on a centre already */
        c = draw(g, p, n, total);
        memcpy(centres + placed * dim, pts + c * dim, dim * sizeof *centres);
        for (size_t i = 0; i < n; i++) {
            double d = dist2(pts + i * dim, centres + placed * dim, dim);
            if (d < d2[i])
                d2[i] = d;
        }
        placed++;
    }
    return placed;
}

/* One seeded run: seeding then Lloyd. Leaves k' centres (after dropping empty clusters) in
 * centres, the assignment in assign, and returns k'; *inertia gets Σ w·d². sum (k·dim), cnt
 * (k) and remap (k) are scratch. */
static size_t lloyd_run(const double *pts, const double *w, size_t n, size_t dim, size_t k,
                        size_t max_iter, struct rng *g, double *centres, uint32_t *assign,
                        double *d2, double *p, double *sum, double *cnt, uint32_t *remap,
                        double *inertia)
{
    size_t kk = g ? seed_pp(pts, w, n, dim, k, g, centres, d2, p) : k;
    size_t knew;
    double in = 0;

    for (size_t i = 0; i < n; i++)
        assign[i] = UINT32_MAX;
    for (size_t it = 0; it < max_iter; it++) {
        bool changed = false;
        for (size_t i = 0; i < n; i++) {
            const double *x = pts + i * dim;
            uint32_t best = 0;
            double bd = dist2(x, centres, dim);
            for (size_t c = 1; c < kk; c++) {
                double d = dist2(x, centres + c * dim, dim);
                if (d < bd) {
                    bd = d;
                    best = (uint32_t)c;
                }
            }
            if (assign[i] != best) {
                assign[i] = best;
                changed = true;
            }
        }
        if (!changed)
            break;
        memset(sum, 0, kk * dim * sizeof *sum);
        memset(cnt, 0, kk * sizeof *cnt);
        for (size_t i = 0; i < n; i++) {
            double wi = weight(w, i);
            double *s = sum + (size_t)assign[i] * dim;
            cnt[assign[i]] += wi;
            for (size_t d = 0; d < dim; d++)
                s[d] += wi * pts[i * dim + d];
        }
        for (size_t c = 0; c < kk; c++)
            if (cnt[c] > 0) /* an emptied cluster keeps its centre: it may win points back */
                for (size_t d = 0; d < dim; d++)
                    centres[c * dim + d] = sum[c * dim + d] / cnt[c];
    }

    /* drop clusters that ended empty, keeping the order of the rest */
    memset(cnt, 0, kk * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[assign[i]] += 1;
    knew = 0;
    for (size_t c = 0; c < kk; c++) {
        if (cnt[c] > 0) {
            if (knew != c)
                memmove(centres + knew * dim, centres + c * dim, dim * sizeof *centres);
            remap[c] = (uint32_t)knew++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        assign[i] = remap[assign[i]];
        in += weight(w, i) * dist2(pts + i * dim, centres + (size_t)assign[i] * dim, dim);
    }
    *inertia = in;
    return knew;
}

static bool valid_input(const double *pts, const double *w, size_t n, size_t dim)
{
    if (!pts || n == 0 || dim == 0)
        return false;
    for (size_t i = 0; i < n * dim; i++)
        if (!isfinite(pts[i]))
            return false;
    if (w)
        for (size_t i = 0; i < n; i++)
            if (!(w[i] > 0) || !isfinite(w[i]))
                return false;
    return true;
}

int kmeans_fit(const double *pts, const double *w, size_t n, size_t dim, size_t k,
               const struct kmeans_opts *opts, double *centres, uint32_t *assign, size_t *k_out,
               double *inertia)
{
    size_t max_iter = opts && opts->max_iter ? opts->max_iter : KMEANS_DEFAULT_MAX_ITER;
    size_t n_init = opts && opts->n_init ? opts->n_init : 1;
    double *d2 = NULL, *p = NULL, *sum = NULL, *cnt = NULL, *cen = NULL;
    uint32_t *as = NULL, *remap = NULL;
    double best_in = INFINITY;
    size_t best_k = 0;
    struct rng master;
    int rc = APP_E_INVALID;

    if (!valid_input(pts, w, n, dim) || k == 0 || !centres || !assign || !k_out)
        goto done;
    if (k > n)
        k = n;
    rc = APP_E_NOMEM;
    d2 = malloc(n * sizeof *d2);
    p = malloc(n * sizeof *p);
    sum = malloc(k * dim * sizeof *sum);
    cnt = malloc(k * sizeof *cnt);
    cen = malloc(k * dim * sizeof *cen);
    as = malloc(n * sizeof *as);
    remap = malloc(k * sizeof *remap);
    if (!d2 || !p || !sum || !cnt || !cen || !as || !remap)
        goto done;

    rng_seed(&master, opts ? opts->seed : 0);
    for (size_t run = 0; run < n_init; run++) {
        struct rng g;
        double in;
        size_t kk;
        /* the first run uses the seed itself, so n_init = 1 is "k-means++ with this seed" */
        rng_seed(&g, run == 0 ? (opts ? opts->seed : 0) : rng_next(&master));
        kk = lloyd_run(pts, w, n, dim, k, max_iter, &g, cen, as, d2, p, sum, cnt, remap, &in);
        if (in < best_in || best_k == 0) {
            best_in = in;
            best_k = kk;
            memcpy(centres, cen, kk * dim * sizeof *cen);
            memcpy(assign, as, n * sizeof *as);
        }
    }
    *k_out = best_k;
    if (inertia)
        *inertia = best_in;
    rc = 0;
done:
    free(d2);
    free(p);
    free(sum);
    free(cnt);
    free(cen);
    free(as);
    free(remap);
    return rc;
}

int kmeans_silhouette(const double *pts, const double *w, size_t n, size_t dim,
                      const uint32_t *assign, size_t k, double *out)
{
    double *wsum = NULL, *W = NULL;
    double total = 0, acc = 0;
    int rc = APP_E_INVALID;

    if (!pts || !assign || !out)
        goto done;
    *out = 0;
    rc = 0;
    if (n == 0 || k < 2)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (assign[i] >= k) {
            rc = APP_E_INVALID;
            goto done;
        }
    rc = APP_E_NOMEM;
    wsum = malloc(k * sizeof *wsum);
    W = calloc(k, sizeof *W);
    if (!wsum || !W)
        goto done;
    for (size_t i = 0; i < n; i++)
        W[assign[i]] += weight(w, i);
    for (size_t i = 0; i < n; i++) {
        uint32_t g = assign[i];
        double wi = weight(w, i), a, b = INFINITY, s = 0;
        memset(wsum, 0, k * sizeof *wsum);
        for (size_t j = 0; j < n; j++)
            if (j != i)
                wsum[assign[j]] += weight(w, j) * sqrt(dist2(pts + i * dim, pts + j * dim, dim));
        if (W[g] - 1 > 0) {
            a = wsum[g] / (W[g] - 1);
            for (size_t h = 0; h < k; h++)
                if (h != g && W[h] > 0 && wsum[h] / W[h] < b)
                    b = wsum[h] / W[h];
            if (isfinite(b)) {
                double m = a > b ? a : b;
                s = m > 0 ? (b - a) / m : 0;
            }
        }
        acc += wi * s;
        total += wi;
    }
    *out = total > 0 ? acc / total : 0;
    rc = 0;
done:
    free(wsum);
    free(W);
    return rc;
}

int kmeans_choose_k(const double *pts, const double *w, size_t n, size_t dim, size_t kmin,
                    size_t kmax, const struct kmeans_opts *opts, double *centres, uint32_t *assign,
                    size_t *k_out, double *sil)
{
    double *cen = NULL, best_s = -INFINITY;
    uint32_t *as = NULL;
    size_t best_k = 0;
    int rc = APP_E_INVALID;

    if (kmin < 2 || kmax < kmin || !valid_input(pts, w, n, dim) || !centres || !assign || !k_out)
        goto done;
    if (sil)
        for (size_t k = 0; k <= kmax; k++)
            sil[k] = NAN;
    rc = APP_E_NOMEM;
    cen = malloc(kmax * dim * sizeof *cen);
    as = malloc(n * sizeof *as);
    if (!cen || !as)
        goto done;
    for (size_t k = kmin; k <= kmax && k <= n; k++) {
        size_t got;
        double s;
        rc = kmeans_fit(pts, w, n, dim, k, opts, cen, as, &got, NULL);
        if (rc)
            goto done;
        if (got < k)
            break; /* fewer distinct points than k: larger k cannot do better */
        rc = kmeans_silhouette(pts, w, n, dim, as, k, &s);
        if (rc)
            goto done;
        if (sil)
            sil[k] = s;
        if (s > best_s + 1e-12) {
            best_s = s;
            best_k = k;
            memcpy(centres, cen, k * dim * sizeof *cen);
            memcpy(assign, as, n * sizeof *as);
        }
    }
    if (best_k == 0) { /* nothing could be split: one cluster at the weighted mean */
        double tw = 0;
        memset(centres, 0, dim * sizeof *centres);
        for (size_t i = 0; i < n; i++) {
            double wi = weight(w, i);
            tw += wi;
            assign[i] = 0;
            for (size_t d = 0; d < dim; d++)
                centres[d] += wi * pts[i * dim + d];
        }
        for (size_t d = 0; d < dim; d++)
            centres[d] /= tw;
        best_k = 1;
    }
    *k_out = best_k;
    rc = 0;
done:
    free(cen);
    free(as);
    return rc;
}

int kmeans_lloyd(const double *pts, const double *w, size_t n, size_t dim, size_t k,
                 size_t max_iter, double *centres, uint32_t *assign, size_t *k_out,
                 double *inertia)
{
    double *sum = NULL, *cnt = NULL, in = 0;
    uint32_t *remap = NULL;
    int rc = APP_E_INVALID;

    if (!valid_input(pts, w, n, dim) || k == 0 || !centres || !assign || !k_out)
        goto done;
    for (size_t i = 0; i < k * dim; i++)
        if (!isfinite(centres[i]))
            goto done;
    rc = APP_E_NOMEM;
    sum = malloc(k * dim * sizeof *sum);
    cnt = malloc(k * sizeof *cnt);
    remap = malloc(k * sizeof *remap);
    if (!sum || !cnt || !remap)
        goto done;
    *k_out = lloyd_run(pts, w, n, dim, k, max_iter ? max_iter : KMEANS_DEFAULT_MAX_ITER, NULL,
                       centres, assign, NULL, NULL, sum, cnt, remap, &in);
    if (inertia)
        *inertia = in;
    rc = 0;
done:
    free(sum);
    free(cnt);
    free(remap);
    return rc;
}
