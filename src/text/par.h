/* par.h: running a loop over independent rows on the machine's cores
 *
 * The theme pipeline's heavy loops (sparse-dense products, coordinate-descent sweeps) treat
 * each row of their output on its own, in a fixed order within the row. Splitting the rows
 * between threads therefore changes nothing in the result, bit for bit, whatever the number
 * of threads: only loops of that kind may use this.
 */
#ifndef AHP_PAR_H
#define AHP_PAR_H

#include <stddef.h>

/* fn(ctx, lo, hi) handles rows [lo, hi). */
typedef void (*par_fn)(void *ctx, size_t lo, size_t hi);

/* Runs fn over [0, n) in up to par_threads() contiguous parts of about equal cost, one on the
 * calling thread; cost, when not NULL, gives row i's cost as cost[i + 1] - cost[i] (a CSR
 * rowptr), else rows cost the same. Small loops, and any part whose thread cannot be
 * started, run on the calling thread. Returns when every part is done. */
void par_rows(size_t n, const size_t *cost, par_fn fn, void *ctx);

/* The threads par_rows() uses: the online processors, at most 4; AHPHUB_THREADS_TEXT=N
 * overrides (1 runs everything on the calling thread). */
int par_threads(void);

/* Sets the number of threads (1-4) for the rest of the process: for tests and benchmarks
 * that compare thread counts. Not to be called while par_rows() runs. */
void par_set_threads(int n);

#endif
