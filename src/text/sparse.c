/* sparse.c: compressed sparse row (CSR) matrices of doubles, and the products NMF needs
 *
 * Only what the theme pipeline uses: building (by the caller, into arrays sized here),
 * transposing by a counting sort (which keeps columns sorted within each row for free), and
 * sparse-times-dense products in the two orientations. Loops run in index order so results
 * are bit-for-bit reproducible.
 */
#include "text/sparse.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int sparse_alloc(struct sparse *m, size_t rows, size_t cols, size_t nnz)
{
    memset(m, 0, sizeof *m);
    m->rowptr = calloc(rows + 1, sizeof *m->rowptr);
    m->col = malloc((nnz ? nnz : 1) * sizeof *m->col);
    m->val = malloc((nnz ? nnz : 1) * sizeof *m->val);
    if (!m->rowptr || !m->col || !m->val) {
        sparse_free(m);
        return APP_E_NOMEM;
    }
    m->rows = rows;
    m->cols = cols;
    m->nnz = nnz;
    return APP_OK;
}

void sparse_free(struct sparse *m)
{
    free(m->rowptr);
    free(m->col);
    free(m->val);
    memset(m, 0, sizeof *m);
}

int sparse_transpose(const struct sparse *m, struct sparse *t)
{
    size_t *next = NULL;
    int rc;

    if ((rc = sparse_alloc(t, m->cols, m->rows, m->nnz)) != APP_OK)
        goto done;
    next = malloc((m->cols + 1) * sizeof *next);
    if (!next) {
        sparse_free(t);
        rc = APP_E_NOMEM;
        goto done;
    }
    for (size_t p = 0; p < m->nnz; p++)
        t->rowptr[m->col[p] + 1]++;
    for (size_t c = 0; c < m->cols; c++)
        t->rowptr[c + 1] += t->rowptr[c];
    memcpy(next, t->rowptr, (m->cols + 1) * sizeof *next);
    for (size_t i = 0; i < m->rows; i++)
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) {
            size_t q = next[m->col[p]]++;
            t->col[q] = (uint32_t)i;
            t->val[q] = m->val[p];
        }
done:
    free(next);
    return rc;
}

void sparse_mul_dense(const struct sparse *m, const double *d, size_t k, double *out)
{
    for (size_t i = 0; i < m->rows; i++) {
        double *o = out + i * k;
        memset(o, 0, k * sizeof *o);
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) {
            const double *r = d + (size_t)m->col[p] * k;
            double v = m->val[p];
            for (size_t j = 0; j < k; j++)
                o[j] += v * r[j];
        }
    }
}

void sparse_tmul_dense(const struct sparse *m, const double *d, size_t k, double *out)
{
    memset(out, 0, m->cols * k * sizeof *out);
    for (size_t i = 0; i < m->rows; i++) {
        const double *r = d + i * k;
        for (size_t p = m->rowptr[i]; p < m->rowptr[i + 1]; p++) {
            double *o = out + (size_t)m->col[p] * k;
            double v = m->val[p];
            for (size_t j = 0; j < k; j++)
                o[j] += v * r[j];
        }
    }
}

double sparse_sqnorm(const struct sparse *m)
{
    double s = 0;
    for (size_t p = 0; p < m->nnz; p++)
        s += m->val[p] * m->val[p];
    return s;
}

double sparse_row_dot(const struct sparse *m, size_t i, size_t j)
{
    size_t p = m->rowptr[i], pe = m->rowptr[i + 1], q = m->rowptr[j], qe = m->rowptr[j + 1];
    double s = 0;
    while (p < pe && q < qe) {
        if (m->col[p] < m->col[q])
            p++;
        else if (m->col[p] > m->col[q])
            q++;
        else
            s += m->val[p++] * m->val[q++];
    }
    return s;
}
