/* disclosure_span.c: solvability of linear systems modulo 2^61 − 1, for the final check that
 * no hidden figure is a combination of shown ones (see disclosure_span.h)
 *
 * Forward elimination only: once every column of A has had its pivot, the rows without one
 * say 0 = (a combination of the right-hand side), and a right-hand side is reachable exactly
 * when all of those are 0. The rows are mostly zeros (a benchmark's equations have at most
 * six nonzero coefficients), so a row is only touched where the pivot row has an entry: the
 * pivot row's nonzero columns are listed once per pivot.
 */
#include "text/disclosure_span.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define P DISCLOSURE_SPAN_P

static uint64_t mul(uint64_t x, uint64_t y)
{
    unsigned __int128 z = (unsigned __int128)x * y;
    uint64_t r = (uint64_t)(z & P) + (uint64_t)(z >> 61);
    return r >= P ? r - P : r;
}

static uint64_t inv(uint64_t x)
{
    uint64_t r = 1, e = P - 2;
    while (e) {
        if (e & 1)
            r = mul(r, x);
        x = mul(x, x);
        e >>= 1;
    }
    return r;
}

int disclosure_span_solvable(size_t neq, size_t nunk, size_t nrhs, uint64_t *m, bool *solvable)
{
    size_t w = nunk + nrhs, rank = 0, *nz;

    if (nrhs == 0)
        return 0;
    if (!solvable || (neq > 0 && !m))
        return APP_E_INVALID;
    for (size_t i = 0; i < neq * w; i++)
        if (m[i] >= P)
            return APP_E_INVALID;
    if (!(nz = malloc((w ? w : 1) * sizeof *nz)))
        return APP_E_NOMEM;
    for (size_t c = 0; c < nunk && rank < neq; c++) {
        size_t q = rank, nnz = 0;
        uint64_t *pr;
        while (q < neq && m[q * w + c] == 0)
            q++;
        if (q == neq)
            continue;
        if (q != rank)
            for (size_t j = c; j < w; j++) {
                uint64_t t = m[q * w + j];
                m[q * w + j] = m[rank * w + j];
                m[rank * w + j] = t;
            }
        pr = m + rank * w;
        if (pr[c] != 1) {
            uint64_t iv = inv(pr[c]);
            for (size_t j = c; j < w; j++)
                pr[j] = mul(pr[j], iv);
        }
        for (size_t j = c + 1; j < w; j++)
            if (pr[j])
                nz[nnz++] = j;
        for (size_t i = rank + 1; i < neq; i++) {
            uint64_t *ri = m + i * w, f = ri[c];
            if (!f)
                continue;
            f = P - f; /* ri -= f × pr, as ri += (P − f) × pr */
            ri[c] = 0;
            for (size_t k = 0; k < nnz; k++) {
                uint64_t v = ri[nz[k]] + mul(f, pr[nz[k]]);
                ri[nz[k]] = v >= P ? v - P : v;
            }
        }
        rank++;
    }
    for (size_t j = 0; j < nrhs; j++) {
        solvable[j] = true;
        for (size_t i = rank; i < neq && solvable[j]; i++)
            solvable[j] = m[i * w + nunk + j] == 0;
    }
    free(nz);
    return 0;
}

int disclosure_span_kernel(size_t rows, size_t cols, uint64_t *m, uint64_t *basis, size_t *dim)
{
    size_t rank = 0, *piv;
    bool *is_piv;

    if (!dim || (rows > 0 && cols > 0 && !m) || (cols > 0 && !basis))
        return APP_E_INVALID;
    *dim = 0;
    for (size_t i = 0; i < rows * cols; i++)
        if (m[i] >= P)
            return APP_E_INVALID;
    piv = malloc((rows + 1) * sizeof *piv);
    is_piv = calloc(cols + 1, sizeof *is_piv);
    if (!piv || !is_piv) {
        free(piv);
        free(is_piv);
        return APP_E_NOMEM;
    }
    /* reduced row echelon form: each pivot 1, alone in its column */
    for (size_t c = 0; c < cols && rank < rows; c++) {
        size_t q = rank;
        uint64_t *pr;
        while (q < rows && m[q * cols + c] == 0)
            q++;
        if (q == rows)
            continue;
        for (size_t j = 0; j < cols && q != rank; j++) {
            uint64_t t = m[q * cols + j];
            m[q * cols + j] = m[rank * cols + j];
            m[rank * cols + j] = t;
        }
        pr = m + rank * cols;
        if (pr[c] != 1) {
            uint64_t iv = inv(pr[c]);
            for (size_t j = c; j < cols; j++)
                pr[j] = mul(pr[j], iv);
        }
        for (size_t i = 0; i < rows; i++) {
            uint64_t *ri = m + i * cols, f = ri[c];
            if (i == rank || !f)
                continue;
            f = P - f;
            for (size_t j = c; j < cols; j++) {
                uint64_t v = ri[j] + mul(f, pr[j]);
                ri[j] = v >= P ? v - P : v;
            }
        }
        is_piv[c] = true;
        piv[rank++] = c;
    }
    /* one vector per column without a pivot: 1 there, minus its entries at the pivots */
    for (size_t f = 0; f < cols; f++) {
        uint64_t *z = basis + *dim * cols;
        if (is_piv[f])
            continue;
        memset(z, 0, cols * sizeof *z);
        z[f] = 1;
        for (size_t i = 0; i < rank; i++)
            z[piv[i]] = m[i * cols + f] ? P - m[i * cols + f] : 0;
        (*dim)++;
    }
    free(piv);
    free(is_piv);
    return 0;
}
