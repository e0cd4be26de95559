/* disclosure_span_test.c: the solvability check behind "no hidden figure is a combination of
 * shown ones", on hand-made figures whose answer can be read off, and on random
 * combinations that must be found whatever their coefficients.
 *
 * The figures are written as rows over variables (the people in each combination of
 * groups); a hidden figure is determined when it is a combination of the shown rows, i.e.
 * when (shown rows)ᵀ α = (hidden row) has a solution: one equation per variable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "text/disclosure_span.h"

#define MAXV 16
#define MAXF 16

/* Whether each hidden row (nh of them) is a combination of the shown rows (ns), all over nv
 * variables, with small integer entries (negative ones too). */
static void determined(size_t nv, size_t ns, const int shown[][MAXV], size_t nh,
                       const int hidden[][MAXV], bool *out)
{
    size_t w = ns + nh;
    uint64_t *m = calloc(nv * w + 1, sizeof *m);
    assert_non_null(m);
    for (size_t v = 0; v < nv; v++) {
        for (size_t s = 0; s < ns; s++)
            m[v * w + s] = shown[s][v] >= 0 ? (uint64_t)shown[s][v]
                                            : DISCLOSURE_SPAN_P - (uint64_t)-shown[s][v];
        for (size_t h = 0; h < nh; h++)
            m[v * w + ns + h] = hidden[h][v] >= 0 ? (uint64_t)hidden[h][v]
                                                  : DISCLOSURE_SPAN_P - (uint64_t)-hidden[h][v];
    }
    assert_int_equal(disclosure_span_solvable(nv, ns, nh, m, out), 0);
    free(m);
}

/* Variables: physiotherapists of the north in organisation A (x0), occupational therapists
 * of the north in organisation B (x1), physiotherapists of the south in organisation C (x2),
 * occupational therapists of the south in organisation C (x3). Shown: the north, the cell
 * physiotherapists × north, the south. Hidden: organisation B, which is the north less its
 * shown cell; organisation C, which is the south; organisation A, which is the cell;
 * occupational therapists of the south, which nothing shown separates from the south's
 * physiotherapists. */
static void test_region_less_cells_is_an_organisation(void **state)
{
    static const int shown[][MAXV] = {{1, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 1, 1}};
    static const int hidden[][MAXV] = {{0, 1, 0, 0}, {0, 0, 1, 1}, {1, 0, 0, 0}, {0, 0, 0, 1}};
    bool out[4];
    (void)state;
    determined(4, 3, shown, 4, hidden, out);
    assert_true(out[0]);
    assert_true(out[1]);
    assert_true(out[2]);
    assert_false(out[3]);
}

/* The margins of a 2 × 2 table do not give its cells; a cell does, and then all of them. */
static void test_two_by_two(void **state)
{
    /* variables: the four cells a b / c d; rows a+b, c+d; columns a+c, b+d */
    static const int margins[][MAXV] = {{1, 1, 0, 0}, {0, 0, 1, 1}, {1, 0, 1, 0}, {0, 1, 0, 1}};
    static const int with_cell[][MAXV] = {{1, 1, 0, 0}, {0, 0, 1, 1}, {1, 0, 1, 0}, {1, 0, 0, 0}};
    static const int cells[][MAXV] = {
        {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {1, 1, 1, 1}};
    bool out[5];
    (void)state;
    determined(4, 4, margins, 5, cells, out);
    for (int k = 0; k < 4; k++)
        assert_false(out[k]);
    assert_true(out[4]); /* the total is a sum of margins */
    determined(4, 4, with_cell, 5, cells, out);
    for (int k = 0; k < 5; k++)
        assert_true(out[k]);
}

/* A determination with coefficients of a half: (r0 − r1 + r2) / 2 = x0. Exact, though no
 * integer combination gives it. */
static void test_halves(void **state)
{
    static const int shown[][MAXV] = {{1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
    static const int two_shown[][MAXV] = {{1, 1, 0}, {0, 1, 1}};
    static const int hidden[][MAXV] = {{1, 0, 0}, {1, 0, -1}};
    bool out[2];
    (void)state;
    determined(3, 3, shown, 2, hidden, out);
    assert_true(out[0]);
    assert_true(out[1]);
    determined(3, 2, two_shown, 2, hidden, out);
    assert_false(out[0]);
    assert_true(out[1]); /* r0 − r1 */
}

/* A random system: ns shown rows over nv variables, none covering variable free_var, and
 * hidden[0] a random combination of them (any coefficients); hidden[1] the same with
 * free_var set, which no combination gives. */
struct random_system {
    size_t nv, ns, free_var;
    int shown[MAXF][MAXV], hidden[2][MAXV];
};

static void random_system(struct rng *g, struct random_system *r)
{
    memset(r, 0, sizeof *r);
    r->nv = 2 + rng_below(g, MAXV - 2);
    r->ns = 1 + rng_below(g, MAXF - 1);
    r->free_var = rng_below(g, r->nv);
    for (size_t s = 0; s < r->ns; s++)
        for (size_t v = 0; v < r->nv; v++)
            r->shown[s][v] = v != r->free_var && rng_below(g, 2);
    for (size_t s = 0; s < r->ns; s++) {
        int c = (int)rng_below(g, 7) - 3;
        for (size_t v = 0; v < r->nv; v++)
            r->hidden[0][v] += c * r->shown[s][v];
    }
    memcpy(r->hidden[1], r->hidden[0], sizeof r->hidden[0]);
    r->hidden[1][r->free_var] = 1;
}

/* The combination is found, the row with the uncovered variable is not. */
static void test_random_combinations(void **state)
{
    struct rng g;
    (void)state;
    rng_seed(&g, 7);
    for (int it = 0; it < 500; it++) {
        struct random_system r;
        bool out[2];
        random_system(&g, &r);
        determined(r.nv, r.ns, (const int(*)[MAXV])r.shown, 2, (const int(*)[MAXV])r.hidden, out);
        assert_true(out[0]);
        assert_false(out[1]);
    }
}

static void test_edges_and_invalid(void **state)
{
    uint64_t m[4] = {1, 0, DISCLOSURE_SPAN_P, 0};
    bool out[2] = {false, false};
    (void)state;
    assert_int_equal(disclosure_span_solvable(0, 0, 2, NULL, out), 0);
    assert_true(out[0] && out[1]);
    assert_int_equal(disclosure_span_solvable(2, 1, 0, NULL, NULL), 0);
    assert_int_equal(disclosure_span_solvable(2, 1, 1, NULL, out), APP_E_INVALID);
    assert_int_equal(disclosure_span_solvable(2, 1, 1, m, NULL), APP_E_INVALID);
    assert_int_equal(disclosure_span_solvable(2, 1, 1, m, out), APP_E_INVALID);
    /* no unknowns: solvable only for a zero right-hand side */
    m[0] = 0;
    m[1] = 3;
    m[2] = 0;
    assert_int_equal(disclosure_span_solvable(2, 0, 2, m, out), 0);
    assert_true(out[0]);
    assert_false(out[1]);
}

/* The equations one at a time, as entries in any order with a column given twice (its two
 * parts summing to the coefficient): the same answers as test_random_combinations; then a
 * cap on the kept entries, and entries out of range. */
static void test_rows_one_at_a_time(void **state)
{
    struct rng g;
    (void)state;
    rng_seed(&g, 9);
    for (int it = 0; it < 300; it++) {
        struct random_system r;
        struct disclosure_span_rows rows;
        size_t w;
        random_system(&g, &r);
        w = r.ns + 2;
        assert_int_equal(disclosure_span_rows_init(&rows, r.ns, 2, SIZE_MAX), 0);
        /* one equation per variable: the shown rows' entries, then the two right-hand sides
         * (the combination, and it with the uncovered variable set) */
        for (size_t v = 0; v < r.nv; v++) {
            uint32_t col[2 * (MAXF + 2)];
            uint64_t val[2 * (MAXF + 2)];
            size_t n = 0;
            for (size_t c = 0; c < w; c++) {
                int x = c < r.ns ? r.shown[c][v] : r.hidden[c - r.ns][v];
                uint64_t e = x >= 0 ? (uint64_t)x : DISCLOSURE_SPAN_P - (uint64_t)-x;
                uint64_t part = rng_below(&g, DISCLOSURE_SPAN_P);
                if (!e && rng_below(&g, 2))
                    continue; /* a zero given or left out */
                col[n] = col[n + 1] = (uint32_t)c;
                val[n++] = part;
                val[n++] = (e + DISCLOSURE_SPAN_P - part) % DISCLOSURE_SPAN_P;
            }
            for (size_t k = n; k > 1; k--) { /* in any order */
                size_t o = rng_below(&g, k);
                uint32_t tc = col[k - 1];
                uint64_t tv = val[k - 1];
                col[k - 1] = col[o];
                val[k - 1] = val[o];
                col[o] = tc;
                val[o] = tv;
            }
            assert_int_equal(disclosure_span_rows_add(&rows, n, col, val), 0);
        }
        assert_true(rows.solvable[0]);
        assert_false(rows.solvable[1]);
        disclosure_span_rows_free(&rows);
    }
    {
        struct disclosure_span_rows rows;
        uint32_t col[3] = {0, 1, 2};
        uint64_t val[3] = {1, 1, 1};
        /* a kept equation with one entry after its first; a second does not fit */
        assert_int_equal(disclosure_span_rows_init(&rows, 3, 0, 1), 0);
        assert_int_equal(disclosure_span_rows_add(&rows, 2, col, val), 0);
        assert_int_equal(disclosure_span_rows_add(&rows, 2, col + 1, val), APP_E_TOOBIG);
        disclosure_span_rows_free(&rows);
        /* more columns than a uint32_t names, also where nunk + nrhs wraps to a small number */
        assert_int_equal(disclosure_span_rows_init(&rows, (size_t)UINT32_MAX, 1, 1), APP_E_INVALID);
        assert_int_equal(disclosure_span_rows_init(&rows, SIZE_MAX, 2, 1), APP_E_INVALID);
        assert_int_equal(disclosure_span_rows_init(&rows, 2, 1, SIZE_MAX), 0);
        assert_int_equal(disclosure_span_rows_add(&rows, 1, (uint32_t[]){3}, val), APP_E_INVALID);
        assert_int_equal(disclosure_span_rows_add(&rows, 1, col, (uint64_t[]){DISCLOSURE_SPAN_P}),
                         APP_E_INVALID);
        disclosure_span_rows_free(&rows);
    }
}

/* The null space: random 0/1 matrices of a few rows; every basis vector is in it, the basis
 * has cols − rank vectors (the rank counted with disclosure_span_solvable(): the rows that
 * are not combinations of those before them), and they are independent (each has a 1 where
 * the others have 0). */
static void test_kernel(void **state)
{
    struct rng g;
    (void)state;
    rng_seed(&g, 11);
    for (int it = 0; it < 300; it++) {
        size_t rows = rng_below(&g, 5), cols = 1 + rng_below(&g, 8), dim = 0, rank = 0;
        uint64_t m[5 * 8], copy[5 * 8], basis[8 * 8], t[8 * (5 + 1)];
        for (size_t i = 0; i < rows * cols; i++)
            copy[i] = m[i] = rng_below(&g, 3) == 0;
        assert_int_equal(disclosure_span_kernel(rows, cols, m, basis, &dim), 0);
        for (size_t e = 0; e < dim; e++) {
            const uint64_t *z = basis + e * cols;
            size_t ones = 0;
            for (size_t i = 0; i < rows; i++) {
                unsigned __int128 sum = 0;
                for (size_t j = 0; j < cols; j++)
                    sum += (unsigned __int128)copy[i * cols + j] * z[j];
                assert_true(sum % DISCLOSURE_SPAN_P == 0);
            }
            for (size_t j = 0; j < cols; j++)
                if (z[j] == 1) {
                    bool alone = true;
                    for (size_t f = 0; f < dim; f++)
                        alone &= f == e || basis[f * cols + j] == 0;
                    ones += alone;
                }
            assert_true(ones >= 1);
        }
        /* rank: the rows not combinations of those before them */
        for (size_t r = 0; r < rows; r++) {
            bool ok;
            for (size_t i = 0; i < cols; i++) {
                for (size_t q = 0; q < r; q++)
                    t[i * (r + 1) + q] = copy[q * cols + i];
                t[i * (r + 1) + r] = copy[r * cols + i];
            }
            assert_int_equal(disclosure_span_solvable(cols, r, 1, t, &ok), 0);
            rank += !ok;
        }
        assert_int_equal(dim, cols - rank);
    }
    {
        uint64_t m[6] = {1, 1, 0, 0, 1, 1}, basis[9];
        size_t dim;
        assert_int_equal(disclosure_span_kernel(2, 3, m, basis, &dim), 0);
        assert_int_equal(dim, 1);
        assert_int_equal(basis[0], 1);
        assert_int_equal(basis[1], DISCLOSURE_SPAN_MINUS_ONE);
        assert_int_equal(basis[2], 1);
        assert_int_equal(disclosure_span_kernel(0, 3, NULL, basis, &dim), 0);
        assert_int_equal(dim, 3);
        m[0] = DISCLOSURE_SPAN_P;
        assert_int_equal(disclosure_span_kernel(2, 3, m, basis, &dim), APP_E_INVALID);
        assert_int_equal(disclosure_span_kernel(2, 3, m, basis, NULL), APP_E_INVALID);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_less_cells_is_an_organisation),
        cmocka_unit_test(test_two_by_two),
        cmocka_unit_test(test_halves),
        cmocka_unit_test(test_random_combinations),
        cmocka_unit_test(test_edges_and_invalid),
        cmocka_unit_test(test_rows_one_at_a_time),
        cmocka_unit_test(test_kernel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
