/* disclosure_span.c: solvability of linear systems modulo 2^61 − 1, for the final check that
 * no hidden figure is a combination of shown ones (see disclosure_span.h)
 *
 * The equations are reduced one at a time against those kept so far, each kept one starting
 * at an unknown no other kept one starts at (row echelon form, built a row at a time). An
 * equation reduced to 0 = (a combination of the right-hand sides) is not kept: a right-hand
 * side is reachable exactly when every such combination is 0 for it. So the matrix is never
 * held whole, only its rank's worth of rows. An equation comes as its nonzero entries,
 * summed into a scratch row as wide as the system, and is reduced left to right from its
 * first unknown: each unknown a kept equation starts at is cancelled with it (whose entries
 * all lie after it, so the scan never has to look back). The kept equations are stored as
 * their nonzero entries (a benchmark's equations have at most six nonzero coefficients, and
 * fill in little), and the scratch row is cleared through the list of what it touched, so an
 * equation costs the width from its first unknown plus the entries of the kept ones it
 * meets.
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

/* Scales x[from .. n) so that x[from] is 1 (x[from] nonzero). */
static void scale(uint64_t *x, size_t from, size_t n)
{
    uint64_t iv;
    if (x[from] == 1)
        return;
    iv = inv(x[from]);
    for (size_t j = from; j < n; j++)
        x[j] = mul(x[j], iv);
}

int disclosure_span_rows_init(struct disclosure_span_rows *s, size_t nunk, size_t nrhs,
                              size_t max_entries)
{
    size_t w = nunk + nrhs;

    memset(s, 0, sizeof *s);
    if (nunk >= UINT32_MAX || nrhs >= UINT32_MAX || w >= UINT32_MAX)
        return APP_E_INVALID; /* the columns are uint32_t; nunk + nrhs must not wrap */
    s->nunk = nunk;
    s->nrhs = nrhs;
    s->max = max_entries;
    s->pivot = malloc((nunk + 1) * sizeof *s->pivot);
    s->start = calloc(nunk + 2, sizeof *s->start);
    s->acc = calloc(w + 1, sizeof *s->acc);
    s->in = calloc(w + 1, sizeof *s->in);
    s->touched = malloc((w + 1) * sizeof *s->touched);
    s->solvable = malloc((nrhs + 1) * sizeof *s->solvable);
    if (!s->pivot || !s->start || !s->acc || !s->in || !s->touched || !s->solvable) {
        disclosure_span_rows_free(s);
        return APP_E_NOMEM;
    }
    for (size_t c = 0; c < nunk; c++)
        s->pivot[c] = SIZE_MAX;
    for (size_t j = 0; j < nrhs; j++)
        s->solvable[j] = true;
    return 0;
}

/* Adds v at column c of the equation being reduced, listing c when new. */
static void touch(struct disclosure_span_rows *s, size_t *nt, uint32_t c, uint64_t v)
{
    uint64_t x = s->acc[c] + v;
    if (!s->in[c]) {
        s->in[c] = true;
        s->touched[(*nt)++] = c;
    }
    s->acc[c] = x >= P ? x - P : x;
}

int disclosure_span_rows_add(struct disclosure_span_rows *s, size_t n, const uint32_t *col,
                             const uint64_t *val)
{
    size_t w = s->nunk + s->nrhs, nt = 0, lead = SIZE_MAX, keep = 0, from = s->nunk;
    int rc = APP_E_INVALID;

    for (size_t i = 0; i < n; i++)
        if (col[i] >= w || val[i] >= P)
            goto done;
    for (size_t i = 0; i < n; i++) {
        touch(s, &nt, col[i], val[i]);
        if (col[i] < from)
            from = col[i];
    }
    /* left to right over the unknowns: each that another kept equation starts at is
     * cancelled with it (whose entries all lie after it); the first left is the lead */
    for (size_t c = from; c < s->nunk; c++) {
        size_t r = s->pivot[c];
        uint64_t f = s->acc[c];
        if (!f)
            continue;
        if (r == SIZE_MAX) {
            lead = c;
            break;
        }
        f = P - f; /* acc −= f × kept, as acc += (P − f) × kept */
        s->acc[c] = 0;
        for (size_t k = s->start[r]; k < s->start[r + 1]; k++)
            touch(s, &nt, s->col[k], mul(f, s->val[k]));
    }
    rc = 0;
    if (lead == SIZE_MAX) { /* 0 = this combination of the right-hand sides */
        for (size_t i = 0; i < nt; i++)
            if (s->touched[i] >= s->nunk && s->acc[s->touched[i]])
                s->solvable[s->touched[i] - s->nunk] = false;
        goto done;
    }
    for (size_t i = 0; i < nt; i++)
        keep += s->touched[i] > lead && s->acc[s->touched[i]];
    rc = APP_E_TOOBIG;
    if (keep > s->max - s->len)
        goto done;
    rc = APP_E_NOMEM;
    if (s->len + keep > s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        uint32_t *c2;
        uint64_t *v2;
        while (cap < s->len + keep)
            cap *= 2;
        if (!(c2 = realloc(s->col, cap * sizeof *c2)))
            goto done;
        s->col = c2;
        if (!(v2 = realloc(s->val, cap * sizeof *v2)))
            goto done;
        s->val = v2;
        s->cap = cap;
    }
    {
        uint64_t iv = inv(s->acc[lead]);
        for (size_t i = 0; i < nt; i++) {
            uint32_t c = s->touched[i];
            if (c > lead && s->acc[c]) {
                s->col[s->len] = c;
                s->val[s->len++] = mul(s->acc[c], iv);
            }
        }
    }
    s->pivot[lead] = s->rank++;
    s->start[s->rank] = s->len;
    rc = 0;
done:
    for (size_t i = 0; i < nt; i++) {
        s->acc[s->touched[i]] = 0;
        s->in[s->touched[i]] = false;
    }
    return rc;
}

void disclosure_span_rows_free(struct disclosure_span_rows *s)
{
    free(s->pivot);
    free(s->start);
    free(s->col);
    free(s->val);
    free(s->acc);
    free(s->in);
    free(s->touched);
    free(s->solvable);
    memset(s, 0, sizeof *s);
}

int disclosure_span_solvable(size_t neq, size_t nunk, size_t nrhs, uint64_t *m, bool *solvable)
{
    struct disclosure_span_rows s;
    size_t w = nunk + nrhs;
    uint32_t *col = NULL;
    int rc;

    if (nrhs == 0)
        return 0;
    if (!solvable || (neq > 0 && !m))
        return APP_E_INVALID;
    if ((rc = disclosure_span_rows_init(&s, nunk, nrhs, SIZE_MAX)) != 0)
        return rc;
    if (!(col = malloc(w * sizeof *col)))
        rc = APP_E_NOMEM;
    for (size_t i = 0; i < neq && rc == 0; i++) {
        uint64_t *row = m + i * w;
        size_t n = 0;
        for (size_t j = 0; j < w; j++)
            if (row[j]) { /* gathered in place: n <= j */
                col[n] = (uint32_t)j;
                row[n++] = row[j];
            }
        rc = disclosure_span_rows_add(&s, n, col, row);
    }
    if (rc == 0)
        memcpy(solvable, s.solvable, nrhs * sizeof *solvable);
    free(col);
    disclosure_span_rows_free(&s);
    return rc;
}

int disclosure_span_rref(size_t rows, size_t cols, uint64_t *m, size_t *piv, size_t *rank)
{
    if (!rank || (rows > 0 && cols > 0 && (!m || !piv)))
        return APP_E_INVALID;
    *rank = 0;
    for (size_t i = 0; i < rows * cols; i++)
        if (m[i] >= P)
            return APP_E_INVALID;
    /* reduced row echelon form: each pivot 1, alone in its column */
    for (size_t c = 0; c < cols && *rank < rows; c++) {
        size_t q = *rank, r = *rank;
        uint64_t *pr;
        while (q < rows && m[q * cols + c] == 0)
            q++;
        if (q == rows)
            continue;
        for (size_t j = 0; j < cols && q != r; j++) {
            uint64_t t = m[q * cols + j];
            m[q * cols + j] = m[r * cols + j];
            m[r * cols + j] = t;
        }
        pr = m + r * cols;
        scale(pr, c, cols);
        for (size_t i = 0; i < rows; i++) {
            uint64_t *ri = m + i * cols, f = ri[c];
            if (i == r || !f)
                continue;
            f = P - f;
            for (size_t j = c; j < cols; j++) {
                uint64_t v = ri[j] + mul(f, pr[j]);
                ri[j] = v >= P ? v - P : v;
            }
        }
        piv[(*rank)++] = c;
    }
    return 0;
}

int disclosure_span_kernel(size_t rows, size_t cols, uint64_t *m, uint64_t *basis, size_t *dim)
{
    size_t rank = 0, *piv;
    int rc;

    if (!dim || (rows > 0 && cols > 0 && !m) || (cols > 0 && !basis))
        return APP_E_INVALID;
    *dim = 0;
    if (!(piv = malloc((rows + 1) * sizeof *piv)))
        return APP_E_NOMEM;
    if ((rc = disclosure_span_rref(rows, cols, m, piv, &rank)) == 0)
        /* one vector per column without a pivot: 1 there, minus its entries at the pivots */
        for (size_t f = 0, i = 0; f < cols; f++) {
            uint64_t *z = basis + *dim * cols;
            if (i < rank && piv[i] == f) {
                i++;
                continue;
            }
            memset(z, 0, cols * sizeof *z);
            z[f] = 1;
            for (size_t k = 0; k < rank; k++)
                z[piv[k]] = m[k * cols + f] ? P - m[k * cols + f] : 0;
            (*dim)++;
        }
    free(piv);
    return rc;
}
