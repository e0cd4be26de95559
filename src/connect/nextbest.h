/* nextbest.h: a mentee's next best mentors after the optimal assignment, for self-select
 *
 * Pure: given one mentee's candidate mentors (already limited by the caller to those who may
 * still take someone and were never declined), the best CONNECT_NEXT_BEST by score, ties to
 * the lower mentor id, the mentor they are matched with left out. The solver's own result
 * has a similar list for a whole problem; this one works on what a round stored, so it can
 * be computed again after declines have changed who is free.
 */
#ifndef AHP_CONNECT_NEXTBEST_H
#define AHP_CONNECT_NEXTBEST_H

#include <stddef.h>
#include <stdint.h>

#include "connect/mentoring.h"

/* Sorts cand[0..n) in place into the order shown (score descending, then mentor id) and
 * returns how many of the first entries to show (at most CONNECT_NEXT_BEST), after moving
 * `matched` (0 for none) and pairs scoring 0 or less out of that prefix. */
size_t connect_next_best(struct connect_option *cand, size_t n, int64_t matched);

#endif
