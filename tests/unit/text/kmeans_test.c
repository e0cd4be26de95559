/* kmeans_test.c: weighted k-means++ / Lloyd on planted blobs, Lloyd from given centres, the
 * weighted silhouette, choosing k */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "text/kmeans.h"

/* Blob centres far apart (≥ 10) relative to the spread (uniform in ±0.5): any sensible
 * k-means must recover them exactly. */
static const double CENTRES[5][2] = {{0, 0}, {10, 0}, {0, 10}, {10, 10}, {20, 5}};

/* nb blobs of per points each, point i in blob i % nb. */
static double *make_blobs(size_t nb, size_t per, uint64_t seed)
{
    size_t n = nb * per;
    double *p = malloc(n * 2 * sizeof *p);
    struct rng g;
    assert_non_null(p);
    rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        p[2 * i] = CENTRES[i % nb][0] + rng_double(&g) - 0.5;
        p[2 * i + 1] = CENTRES[i % nb][1] + rng_double(&g) - 0.5;
    }
    return p;
}

/* The clustering equals the truth up to renaming: a bijection blob → cluster. */
static void assert_same_partition(const uint32_t *assign, size_t n, size_t nb, size_t k)
{
    uint32_t map[8];
    assert_int_equal(k, nb);
    for (size_t b = 0; b < nb; b++)
        map[b] = assign[b];
    for (size_t i = 0; i < n; i++)
        assert_int_equal(assign[i], map[i % nb]);
    for (size_t a = 0; a < nb; a++)
        for (size_t b = a + 1; b < nb; b++)
            assert_int_not_equal(map[a], map[b]);
}

static void test_blobs_exact(void **state)
{
    (void)state;
    for (size_t nb = 2; nb <= 5; nb++) {
        size_t n = nb * 40, k;
        double *p = make_blobs(nb, 40, nb);
        double cen[5 * 2], inertia;
        uint32_t *as = malloc(n * sizeof *as);
        struct kmeans_opts o = {.seed = 11, .n_init = 5};
        assert_non_null(as);
        assert_int_equal(kmeans_fit(p, NULL, n, 2, nb, &o, cen, as, &k, &inertia), 0);
        assert_same_partition(as, n, nb, k);
        /* every centre within 0.2 of its blob's centre */
        for (size_t b = 0; b < nb; b++) {
            const double *c = cen + 2 * as[b];
            assert_true(fabs(c[0] - CENTRES[b][0]) < 0.2 && fabs(c[1] - CENTRES[b][1]) < 0.2);
        }
        assert_true(inertia < (double)n * 0.5);
        free(p);
        free(as);
    }
}

/* Lloyd from given centres: no seeding, the clusters numbered in the order of the starting
 * centres; a start far off still converges to the blobs; a centre no point is nearest to
 * is dropped and the rest renumbered in order. */
static void test_lloyd_from_centres(void **state)
{
    size_t n = 3 * 40, k;
    double *p = make_blobs(3, 40, 9);
    double cen[4 * 2] = {0.3, 9.5, 9.8, 0.2, 0.1, -0.4, 0, 0}, inertia;
    uint32_t *as = malloc(n * sizeof *as);
    (void)state;
    assert_non_null(as);
    assert_int_equal(kmeans_lloyd(p, NULL, n, 2, 3, 0, cen, as, &k, &inertia), 0);
    assert_int_equal(k, 3);
    for (size_t i = 0; i < n; i++) /* blob 0 → centre 2, blob 1 → 1, blob 2 → 0 */
        assert_int_equal(as[i], i % 3 == 0 ? 2 : i % 3 == 1 ? 1 : 0);
    assert_true(fabs(cen[0]) < 0.2 && fabs(cen[1] - 10) < 0.2);
    /* a far start: (5, 5) between the blobs, (100, 100) that nobody is nearest to */
    cen[0] = 5;
    cen[1] = 5;
    cen[2] = 100;
    cen[3] = 100;
    cen[4] = 0;
    cen[5] = 0;
    assert_int_equal(kmeans_lloyd(p, NULL, n, 2, 3, 0, cen, as, &k, NULL), 0);
    assert_int_equal(k, 2); /* (100, 100) emptied and dropped */
    for (size_t i = 0; i < n; i++)
        assert_true(as[i] < 2);
    /* invalid: a centre that is not finite */
    cen[0] = NAN;
    assert_int_equal(kmeans_lloyd(p, NULL, n, 2, 2, 0, cen, as, &k, NULL), APP_E_INVALID);
    free(p);
    free(as);
}

/* Weights as multiplicities: 3 points with weights 2, 1, 1 give the same centre as the
 * 4 points expanded, and a heavy point pulls its cluster's centre. */
static void test_weighted(void **state)
{
    const double pts[] = {0, 0, 1, 0, 0, 1, 10, 10, 11, 10};
    const double w[] = {5, 1, 1, 1, 3};
    double cen[4], inertia;
    uint32_t as[5];
    size_t k;
    struct kmeans_opts o = {.seed = 3, .n_init = 3};
    (void)state;

    assert_int_equal(kmeans_fit(pts, w, 5, 2, 2, &o, cen, as, &k, &inertia), 0);
    assert_int_equal(k, 2);
    assert_int_equal(as[0], as[1]);
    assert_int_equal(as[1], as[2]);
    assert_int_equal(as[3], as[4]);
    assert_int_not_equal(as[0], as[3]);
    /* (5·(0,0) + (1,0) + (0,1)) / 7 and (10 + 3·11)/4 */
    assert_true(fabs(cen[2 * as[0]] - 1.0 / 7) < 1e-12);
    assert_true(fabs(cen[2 * as[0] + 1] - 1.0 / 7) < 1e-12);
    assert_true(fabs(cen[2 * as[3]] - 43.0 / 4) < 1e-12);
    assert_true(fabs(cen[2 * as[3] + 1] - 10) < 1e-12);
    /* inertia: 5·(2/49) + ((6/7)²+(1/7)²)·2 + (3/4)² + 3·(1/4)² */
    assert_true(fabs(inertia - (10.0 / 49 + 2 * (37.0 / 49) + 9.0 / 16 + 3.0 / 16)) < 1e-12);
}

/* Weighted silhouette equals the plain silhouette of the expanded point set. */
static void test_silhouette_weights_are_multiplicities(void **state)
{
    const double pts[] = {0, 0, 2, 0, 9, 0, 12, 0};
    const double w[] = {3, 1, 2, 1};
    const uint32_t as[] = {0, 0, 1, 1};
    const double xpts[] = {0, 0, 0, 0, 0, 0, 2, 0, 9, 0, 9, 0, 12, 0};
    const uint32_t xas[] = {0, 0, 0, 0, 1, 1, 1};
    double sw, sx, s1;
    (void)state;

    assert_int_equal(kmeans_silhouette(pts, w, 4, 2, as, 2, &sw), 0);
    assert_int_equal(kmeans_silhouette(xpts, NULL, 7, 2, xas, 2, &sx), 0);
    assert_true(fabs(sw - sx) < 1e-12);
    assert_true(sw > 0.5 && sw <= 1);
    /* one cluster: 0 by definition */
    assert_int_equal(kmeans_silhouette(pts, w, 4, 2, (const uint32_t[]){0, 0, 0, 0}, 1, &s1), 0);
    assert_true(s1 == 0);
    /* a cluster number out of range is an error */
    assert_int_equal(kmeans_silhouette(pts, w, 4, 2, (const uint32_t[]){0, 0, 2, 1}, 2, &s1),
                     APP_E_INVALID);
}

static void test_choose_k(void **state)
{
    (void)state;
    for (size_t nb = 2; nb <= 4; nb++) {
        size_t n = nb * 30, k;
        double *p = make_blobs(nb, 30, 100 + nb);
        double cen[5 * 2], sil[6];
        uint32_t *as = malloc(n * sizeof *as);
        struct kmeans_opts o = {.seed = 5, .n_init = 4};
        assert_non_null(as);
        assert_int_equal(kmeans_choose_k(p, NULL, n, 2, 2, 5, &o, cen, as, &k, sil), 0);
        print_message("blobs %zu: silhouettes k=2 %.3f k=3 %.3f k=4 %.3f k=5 %.3f -> k=%zu\n", nb,
                      sil[2], sil[3], sil[4], sil[5], k);
        assert_same_partition(as, n, nb, k);
        assert_true(isnan(sil[0]) && isnan(sil[1]));
        free(p);
        free(as);
    }
}

/* Weighted choice: 100 "base clusters" of varied weight around 3 blob centres. */
static void test_choose_k_weighted(void **state)
{
    size_t n = 99, k;
    double *p = make_blobs(3, 33, 77);
    double *w = malloc(n * sizeof *w), cen[10];
    uint32_t *as = malloc(n * sizeof *as);
    (void)state;

    assert_non_null(w);
    assert_non_null(as);
    for (size_t i = 0; i < n; i++)
        w[i] = (double)(1 + i % 7);
    assert_int_equal(kmeans_choose_k(p, w, n, 2, 2, 5, &(struct kmeans_opts){.seed = 1, .n_init = 3},
                                     cen, as, &k, NULL),
                     0);
    assert_same_partition(as, n, 3, k);
    free(p);
    free(w);
    free(as);
}

/* Fewer distinct points than k: k_out says so; choose_k falls back to one cluster. */
static void test_degenerate(void **state)
{
    const double pts[] = {1, 1, 1, 1, 1, 1, 4, 4};
    double cen[10];
    uint32_t as[4];
    size_t k;
    (void)state;

    assert_int_equal(kmeans_fit(pts, NULL, 4, 2, 3, NULL, cen, as, &k, NULL), 0);
    assert_int_equal(k, 2);
    assert_int_equal(kmeans_choose_k(pts, NULL, 3, 2, 2, 5, NULL, cen, as, &k, NULL), 0);
    assert_int_equal(k, 1);
    assert_true(cen[0] == 1 && cen[1] == 1);
    assert_int_equal(kmeans_fit(pts, NULL, 0, 2, 3, NULL, cen, as, &k, NULL), APP_E_INVALID);
    assert_int_equal(kmeans_fit(pts, (const double[]){1, 0, 1, 1}, 4, 2, 2, NULL, cen, as, &k, NULL),
                     APP_E_INVALID);
    assert_int_equal(kmeans_choose_k(pts, NULL, 4, 2, 1, 5, NULL, cen, as, &k, NULL), APP_E_INVALID);
}

static void test_deterministic(void **state)
{
    size_t n = 2000, k1, k2;
    double *p = malloc(n * 2 * sizeof *p);
    double c1[100 * 2], c2[100 * 2], i1, i2;
    uint32_t *a1 = malloc(n * sizeof *a1), *a2 = malloc(n * sizeof *a2);
    struct rng g;
    struct kmeans_opts o = {.seed = 2024};
    (void)state;

    assert_non_null(p);
    assert_non_null(a1);
    assert_non_null(a2);
    rng_seed(&g, 9);
    for (size_t i = 0; i < 2 * n; i++)
        p[i] = rng_double(&g); /* no structure: the hardest case for stability */
    assert_int_equal(kmeans_fit(p, NULL, n, 2, 100, &o, c1, a1, &k1, &i1), 0);
    assert_int_equal(kmeans_fit(p, NULL, n, 2, 100, &o, c2, a2, &k2, &i2), 0);
    assert_int_equal(k1, k2);
    assert_memory_equal(c1, c2, k1 * 2 * sizeof *c1);
    assert_memory_equal(a1, a2, n * sizeof *a1);
    assert_true(i1 == i2);
    assert_int_equal(k1, 100);
    free(p);
    free(a1);
    free(a2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blobs_exact),
        cmocka_unit_test(test_lloyd_from_centres),
        cmocka_unit_test(test_weighted),
        cmocka_unit_test(test_silhouette_weights_are_multiplicities),
        cmocka_unit_test(test_choose_k),
        cmocka_unit_test(test_choose_k_weighted),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
