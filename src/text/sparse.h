/* sparse.h: compressed sparse row (CSR) matrices of doubles, and the products NMF needs
 *
 * Row i's entries are col[rowptr[i] .. rowptr[i+1]) with values val[...], columns strictly
 * increasing within a row. Dense matrices passed to these functions are row-major arrays.
 */
#ifndef AHP_SPARSE_H
#define AHP_SPARSE_H

#include <stddef.h>
#include <stdint.h>

struct sparse {
    size_t rows, cols, nnz;
    size_t *rowptr; /* rows + 1 entries */
    uint32_t *col;  /* nnz */
    double *val;    /* nnz */
};

/* An empty rows x cols matrix with room for nnz entries: rowptr zeroed, col/val allocated
 * but unset. Returns 0 or APP_E_NOMEM (m is then zeroed). Free with sparse_free(). */
int sparse_alloc(struct sparse *m, size_t rows, size_t cols, size_t nnz);

/* Frees the arrays and zeroes m. NULL-safe for a zeroed struct. */
void sparse_free(struct sparse *m);

/* *t = the transpose of m (so CSR of m^T is CSC of m). Returns 0 or APP_E_NOMEM. */
int sparse_transpose(const struct sparse *m, struct sparse *t);

/* out (m->rows x k) = m (rows x cols) * d (cols x k). */
void sparse_mul_dense(const struct sparse *m, const double *d, size_t k, double *out);

/* out (m->cols x k) = m^T * d, d being m->rows x k. */
void sparse_tmul_dense(const struct sparse *m, const double *d, size_t k, double *out);

/* Sum of squares of the values (squared Frobenius norm). */
double sparse_sqnorm(const struct sparse *m);

/* Dot product of rows i and j (sorted merge). */
double sparse_row_dot(const struct sparse *m, size_t i, size_t j);

#endif
