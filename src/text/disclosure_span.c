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
