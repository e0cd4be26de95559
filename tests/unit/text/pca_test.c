/* pca_test.c: power-iteration PCA recovers planted principal directions, dense and sparse */
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
#include "text/pca.h"

#define COLS 6
#define ROWS 64 /* 8 repeats of the 2^3 sign factorial */

/* Three orthonormal directions in R^6 (a Householder-style construction by hand) and a mean
 * offset. Rows are μ + a·u1 + b·u2 + c·u3 with (a,b,c) running over the full factorial
 * {±3}×{±1.5}×{±0.5}: the coefficient columns are then EXACTLY uncorrelated with variances in
 * ratio 36 : 9 : 1, so u1, u2, u3 are exactly the principal directions, not just nearly. */
static double U[3][COLS];
static const double MU[COLS] = {5, -2, 0.5, 10, 0, 3};

static void make_dirs(void)
{
    const double raw[3][COLS] = {
        {1, 2, 0, -1, 1, 0},
        {0, 1, 1, 2, 0, -1},
        {1, 0, -1, 0, 2, 1},
    };
    /* Gram–Schmidt so the planted directions are orthonormal whatever raw is. */
    for (int k = 0; k < 3; k++) {
        double n = 0;
        memcpy(U[k], raw[k], sizeof U[k]);
        for (int j = 0; j < k; j++) {
            double d = 0;
            for (int i = 0; i < COLS; i++)
                d += U[k][i] * U[j][i];
            for (int i = 0; i < COLS; i++)
                U[k][i] -= d * U[j][i];
        }
        for (int i = 0; i < COLS; i++)
            n += U[k][i] * U[k][i];
        n = sqrt(n);
        for (int i = 0; i < COLS; i++)
            U[k][i] /= n;
    }
}

static void make_matrix(double *X)
{
    for (int r = 0; r < ROWS; r++) {
        int f = r % 8;
        double a = (f & 1) ? 3 : -3, b = (f & 2) ? 1.5 : -1.5, c = (f & 4) ? 0.5 : -0.5;
        for (int i = 0; i < COLS; i++)
            X[r * COLS + i] = MU[i] + a * U[0][i] + b * U[1][i] + c * U[2][i];
    }
}

/* |cos| between a and b: 1 when equal up to sign. */
static double abs_cos(const double *a, const double *b, size_t n)
{
    double d = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) {
        d += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
    }
    return fabs(d) / sqrt(na * nb);
}

static void test_dense_recovers_directions(void **state)
{
    double X[ROWS * COLS], center[COLS], comps[3 * COLS];
    struct pca_opts o = {.seed = 42};
    struct pca_info info;
    (void)state;

    make_dirs();
    make_matrix(X);
    assert_int_equal(pca_dense(X, ROWS, COLS, 3, &o, center, comps, &info), 0);
    assert_true(info.converged);
    for (int i = 0; i < COLS; i++)
        assert_true(fabs(center[i] - MU[i]) < 1e-12);
    for (int k = 0; k < 3; k++)
        assert_true(abs_cos(comps + k * COLS, U[k], COLS) > 1 - 1e-9);
    /* variances: a has variance 9·64/63 etc. (sample variance, n−1) */
    assert_true(fabs(info.eigval[0] - 9.0 * ROWS / (ROWS - 1)) < 1e-6);
    assert_true(fabs(info.eigval[1] - 2.25 * ROWS / (ROWS - 1)) < 1e-6);
    assert_true(fabs(info.eigval[2] - 0.25 * ROWS / (ROWS - 1)) < 1e-6);
    /* components are unit vectors, orthogonal */
    assert_true(fabs(abs_cos(comps, comps, COLS) - 1) < 1e-12);
    assert_true(abs_cos(comps, comps + COLS, COLS) < 1e-9);
}

static void test_sparse_matches_dense(void **state)
{
    double X[ROWS * COLS], center[COLS], dcomps[2 * COLS], scomps[2 * COLS];
    double val[ROWS * COLS];
    uint32_t col[ROWS * COLS];
    size_t rowptr[ROWS + 1], nnz = 0;
    struct pca_opts o = {.seed = 7};
    (void)state;

    make_dirs();
    make_matrix(X);
    assert_int_equal(pca_dense(X, ROWS, COLS, 2, &o, center, dcomps, NULL), 0);
    /* centred, with exact zeros left out: the sparse path must give the same vectors */
    rowptr[0] = 0;
    for (int r = 0; r < ROWS; r++) {
        for (int i = 0; i < COLS; i++) {
            double v = X[r * COLS + i] - center[i];
            if (v != 0) {
                val[nnz] = v;
                col[nnz++] = (uint32_t)i;
            }
        }
        rowptr[r + 1] = nnz;
    }
    assert_int_equal(pca_csr(ROWS, COLS, rowptr, col, val, 2, &o, scomps, NULL), 0);
    for (int i = 0; i < 2 * COLS; i++)
        assert_true(fabs(dcomps[i] - scomps[i]) < 1e-7);
}

static void test_deterministic_and_sign(void **state)
{
    double X[ROWS * COLS], a[2 * COLS], b[2 * COLS], c[2 * COLS];
    struct pca_opts o1 = {.seed = 1}, o2 = {.seed = 999};
    (void)state;

    make_dirs();
    make_matrix(X);
    assert_int_equal(pca_dense(X, ROWS, COLS, 2, &o1, NULL, a, NULL), 0);
    assert_int_equal(pca_dense(X, ROWS, COLS, 2, &o1, NULL, b, NULL), 0);
    assert_memory_equal(a, b, sizeof a); /* same seed: bit-identical */
    /* another seed: the same vectors, same sign (largest entry positive), to tolerance */
    assert_int_equal(pca_dense(X, ROWS, COLS, 2, &o2, NULL, c, NULL), 0);
    for (int i = 0; i < 2 * COLS; i++)
        assert_true(fabs(a[i] - c[i]) < 1e-7);
    for (int k = 0; k < 2; k++) {
        size_t best = 0;
        for (size_t i = 1; i < COLS; i++)
            if (fabs(a[k * COLS + i]) > fabs(a[k * COLS + best]))
                best = i;
        assert_true(a[k * COLS + best] > 0);
    }
}

/* Rows on one line: the second component does not exist and comes back as zeros. */
static void test_rank_one(void **state)
{
    double X[10 * 3], comps[2 * 3];
    struct pca_info info;
    (void)state;

    for (int r = 0; r < 10; r++) {
        X[r * 3 + 0] = r;
        X[r * 3 + 1] = 2 * r;
        X[r * 3 + 2] = 1;
    }
    assert_int_equal(pca_dense(X, 10, 3, 2, NULL, NULL, comps, &info), 0);
    assert_true(fabs(comps[0] - 1 / sqrt(5)) < 1e-9);
    assert_true(fabs(comps[1] - 2 / sqrt(5)) < 1e-9);
    assert_true(fabs(comps[2]) < 1e-9);
    for (int i = 3; i < 6; i++)
        assert_true(fabs(comps[i]) < 1e-6);
    assert_true(info.eigval[1] < 1e-12);
}

/* λ₁ = λ₂ (coefficients ±3 and ±3): the plane is found at once even though the directions
 * within it are arbitrary; each component lies in span(u1, u2), orthonormal, converged. */
static void test_equal_eigenvalues(void **state)
{
    double X[ROWS * COLS], comps[2 * COLS];
    struct pca_info info;
    (void)state;

    make_dirs();
    for (int r = 0; r < ROWS; r++) {
        int f = r % 8;
        double a = (f & 1) ? 3 : -3, b = (f & 2) ? 3 : -3, c = (f & 4) ? 0.5 : -0.5;
        for (int i = 0; i < COLS; i++)
            X[r * COLS + i] = a * U[0][i] + b * U[1][i] + c * U[2][i];
    }
    assert_int_equal(pca_dense(X, ROWS, COLS, 2, &(struct pca_opts){.seed = 4}, NULL, comps, &info), 0);
    assert_true(info.converged);
    assert_true(info.iters[0] < 50);
    for (int k = 0; k < 2; k++) {
        double c1 = 0, c2 = 0;
        for (int i = 0; i < COLS; i++) {
            c1 += comps[k * COLS + i] * U[0][i];
            c2 += comps[k * COLS + i] * U[1][i];
        }
        assert_true(fabs(c1 * c1 + c2 * c2 - 1) < 1e-9);
    }
    assert_true(abs_cos(comps, comps + COLS, COLS) < 1e-9);
    assert_true(fabs(info.eigval[0] - info.eigval[1]) < 1e-9);
}

static void test_invalid(void **state)
{
    double X[4] = {1, 2, 3, 4}, comps[8];
    size_t rowptr[3] = {0, 1, 2};
    uint32_t col[2] = {0, 5};
    double val[2] = {1, 1};
    (void)state;

    assert_int_equal(pca_dense(X, 2, 2, 3, NULL, NULL, comps, NULL), APP_E_INVALID);
    assert_int_equal(pca_dense(X, 2, 2, 0, NULL, NULL, comps, NULL), APP_E_INVALID);
    assert_int_equal(pca_dense(NULL, 2, 2, 1, NULL, NULL, comps, NULL), APP_E_INVALID);
    assert_int_equal(pca_csr(2, 2, rowptr, col, val, 1, NULL, comps, NULL), APP_E_INVALID);
}

/* A larger random low-rank-plus-noise matrix through the sparse path: the planted
 * direction dominates and is found. */
static void test_sparse_planted_large(void **state)
{
    enum { R = 2000, C = 50 };
    size_t *rowptr = malloc((R + 1) * sizeof *rowptr);
    uint32_t *col = malloc((size_t)R * C * sizeof *col);
    double *val = malloc((size_t)R * C * sizeof *val);
    double dir[C], comps[2 * C];
    struct rng g;
    size_t nnz = 0;
    struct pca_info info;
    (void)state;

    assert_non_null(rowptr);
    assert_non_null(col);
    assert_non_null(val);
    rng_seed(&g, 3);
    for (int i = 0; i < C; i++)
        dir[i] = (i % 2 ? 1.0 : -1.0) / sqrt((double)C);
    rowptr[0] = 0;
    for (int r = 0; r < R; r++) {
        double a = (r % 2 ? 4.0 : -4.0);
        for (int i = 0; i < C; i++) {
            val[nnz] = a * dir[i] + (rng_double(&g) - 0.5) * 0.2;
            col[nnz++] = (uint32_t)i;
        }
        rowptr[r + 1] = nnz;
    }
    assert_int_equal(pca_csr(R, C, rowptr, col, val, 2, &(struct pca_opts){.seed = 5}, comps, &info), 0);
    assert_true(abs_cos(comps, dir, C) > 0.999);
    assert_true(abs_cos(comps + C, comps, C) < 1e-9); /* orthogonal to the first */
    free(rowptr);
    free(col);
    free(val);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_recovers_directions),
        cmocka_unit_test(test_sparse_matches_dense),
        cmocka_unit_test(test_deterministic_and_sign),
        cmocka_unit_test(test_rank_one),
        cmocka_unit_test(test_equal_eigenvalues),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_sparse_planted_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
