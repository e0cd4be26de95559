/* disclosure_span.h: which hidden figures a set of published figures pins down exactly
 *
 * The table audits (disclosure.c) and the pairwise audits of a benchmark look at one or two
 * tables at a time; an attacker may combine every published table at once. Every published
 * count is a sum of the same unknown counts (the people in each combination of groups), so a
 * hidden figure is known exactly when its own sum is a linear combination of the shown ones:
 * when a linear system has a solution. This file decides that, for many right-hand sides
 * at once, by Gaussian elimination modulo the prime 2^61 − 1.
 *
 * Exactness: a system solvable over the rationals is solvable modulo p unless p divides the
 * denominators of every solution (a nonzero minor of the matrix), so a determination is
 * missed only in that case: for matrices of small integers, a chance of the order of 2^-61.
 * A system solvable modulo p but not over the rationals errs on the safe side (one figure
 * more hidden). Pure function over caller memory: no I/O, no global state.
 */
#ifndef AHP_DISCLOSURE_SPAN_H
#define AHP_DISCLOSURE_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The modulus, and −1 as an entry of the matrix. */
#define DISCLOSURE_SPAN_P         2305843009213693951ULL /* 2^61 − 1 */
#define DISCLOSURE_SPAN_MINUS_ONE (DISCLOSURE_SPAN_P - 1)

/* m is neq rows of nunk + nrhs entries (row-major, each below DISCLOSURE_SPAN_P): the
 * coefficients A of the unknowns, then the right-hand sides Y. Writes solvable[j] = whether
 * A x = Y[:, j] has a solution (modulo the prime). m is overwritten. nunk or nrhs may be 0;
 * with neq 0 every system is solvable. Returns 0, or APP_E_INVALID (m or solvable NULL with
 * something to do, an entry out of range) or APP_E_NOMEM. Time: at most rank(A) × neq ×
 * (nunk + nrhs); memory as disclosure_span_rows below. */
int disclosure_span_solvable(size_t neq, size_t nunk, size_t nrhs, uint64_t *m, bool *solvable);

/* The same decision with the equations given one at a time, each as its nonzero entries,
 * for systems with far more equations than unknowns (assess/joint_check.c: one per
 * occupied combination, thousands more than the shown figures). Only an equation that
 * raises the rank is kept, as its nonzero entries after reduction, so memory follows what
 * elimination actually fills in (capped by max_entries), not equations × unknowns, and an
 * equation costs what it touches, not its width.
 *
 *   struct disclosure_span_rows s;
 *   disclosure_span_rows_init(&s, nunk, nrhs, max_entries);
 *   for each equation: disclosure_span_rows_add(&s, n, col, val);
 *   read s.solvable[0 .. nrhs); disclosure_span_rows_free(&s);
 *
 * s.solvable[j] is final only after the last equation. */
struct disclosure_span_rows {
    size_t nunk, nrhs, rank, max;
    size_t *pivot;     /* nunk: the kept equation whose first unknown this is, or SIZE_MAX */
    size_t *start;     /* nunk + 1: where each kept equation's entries begin in col and val */
    uint32_t *col;     /* each kept equation's nonzero entries after its first, scaled so */
    uint64_t *val;     /* that the first is 1 */
    size_t len, cap;   /* entries in col and val, and room */
    uint64_t *acc;     /* scratch, nunk + nrhs: the equation being reduced */
    bool *in;          /* scratch, nunk + nrhs: acc[c] is listed in touched */
    uint32_t *touched; /* scratch, nunk + nrhs: the columns acc holds */
    bool *solvable;    /* nrhs */
};

/* max_entries: the kept equations' entries beyond which add() answers APP_E_TOOBIG
 * (SIZE_MAX: no limit). 0, APP_E_INVALID (nunk + nrhs beyond 2^32) or APP_E_NOMEM. */
int disclosure_span_rows_init(struct disclosure_span_rows *s, size_t nunk, size_t nrhs,
                              size_t max_entries);
/* One equation: val[i] at column col[i] (an unknown below nunk, else right-hand side col −
 * nunk), i < n; a column given twice counts the sum. 0, APP_E_INVALID (a column or value
 * out of range), APP_E_TOOBIG or APP_E_NOMEM; after an error s is only fit to be freed. */
int disclosure_span_rows_add(struct disclosure_span_rows *s, size_t n, const uint32_t *col,
                             const uint64_t *val);
void disclosure_span_rows_free(struct disclosure_span_rows *s);

/* The null space of m (rows × cols, row-major, entries below DISCLOSURE_SPAN_P): writes into
 * basis (room for cols vectors of cols entries) *dim vectors z with m z = 0 (modulo the prime)
 * that span every such z. m is overwritten. For the equations that a few free coefficients
 * leave between the unknowns they touch (assess/joint_check.c). Returns 0, APP_E_INVALID (a
 * NULL argument with something to do, an entry out of range) or APP_E_NOMEM. Time: rows² ×
 * cols. */
int disclosure_span_kernel(size_t rows, size_t cols, uint64_t *m, uint64_t *basis, size_t *dim);

/* The reduced row echelon form of m (rows × cols, as above), in place: its first *rank rows
 * each have a 1 at column piv[i] (ascending; room for rows), alone in that column. The null
 * space is then one vector per column f without a pivot: 1 at f and −m[i][f] at piv[i]; a
 * caller with many columns can build them one at a time from this rather than hold
 * disclosure_span_kernel()'s cols × cols. Returns 0 or APP_E_INVALID. Time: rows² × cols. */
int disclosure_span_rref(size_t rows, size_t cols, uint64_t *m, size_t *piv, size_t *rank);

#endif
