/* opinion_carry.h: opinion groups carried from one analysis run to the next, as Pol.is does
 *
 * Why: each run fits the groups afresh from all the votes so far. Left alone, a fit after a
 * few more votes may number the same groups differently (group 1 becomes group 2) and, when
 * two numbers of groups score almost alike, flip between them from run to run. Pol.is keeps
 * state between updates: its k-means starts from the last clusters, and its number of groups
 * changes only after a new one has won group-k-buffer (4) updates in a row. Below are three
 * such rules; opinion_fit() applies them when the caller passes the previous run's state
 * (struct opinion_carry in opinion.h), and rules 2 and 3 are also pure functions here, over
 * plain arrays, so they can be tested alone.
 *
 * What the caller stores after each run (all in struct opinion_result):
 *  - each participant's group, result.group_of (−1 when not grouped), by participant;
 *  - result.state: the number of groups shown and the "candidate k" streak (three numbers).
 * and passes back next time: the groups re-indexed to the participants of the new input
 * (−1 for a participant new since, or not grouped then), and the state as it was stored.
 *
 * The rules:
 *  1. Warm start, as a tie-break. The clustering for the previous number of groups is also
 *     run from the previous groups' centres on the new map (each the mean position of its
 *     previous members in this run); it replaces the best of the seeded restarts when its
 *     k-means objective is as low (within OPINION_CARRY_SLACK, relative), so of equally good
 *     clusterings the one that continues the previous groups is kept. A looser slack keeps
 *     the groups stiller but lets them stay in a split made from the early votes: replaying
 *     the shared conversations (bench/polis_carry.c), a slack of 1%, 5% and 10% took the last
 *     run's agreement with Pol.is on Seattle from 0.884 to 0.725, 0.398 and 0.355, and at 5%
 *     on ssis.land-bank-farmland from 0.976 to 0.433.
 *  2. Numbering. New groups take the numbers of the previous groups they share most members
 *     with (pairs taken greedily, the largest overlap first; ties: lower new group, then lower
 *     previous number); the groups then keep that order and are numbered 0, 1, … in it;
 *     groups that matched no previous group come last, largest first. Without a previous run
 *     (or no overlap at all) groups are numbered by size, largest first.
 *  3. The number of groups. A fit alone takes the smallest k whose silhouette is within
 *     OPINION_CARRY_MARGIN of the best k's ("clearly better" means by more than that). With
 *     a previous run, its k is kept unless the best k's silhouette exceeds the previous k's by
 *     more than OPINION_CARRY_MARGIN: then the k that a fit alone would take becomes the
 *     candidate, and k changes to it only when the same candidate has come up in
 *     OPINION_CARRY_RUNS consecutive runs (this one included). A run with no candidate, or a
 *     different one, restarts the count. If the previous k cannot be fitted now (too few base
 *     clusters) the fit-alone k is taken at once.
 * Measured (bench/polis_carry.c, 11 conversations with votes.csv replayed in 10 runs): 1,210
 * participants changed group number between consecutive runs with the carry, 2,033 without;
 * the number of groups changed 3 times with it, 18 times without.
 * Why these figures: with margins from 0.03 to 0.05 a fit alone gives the same groups on
 * every shared Pol.is conversation (bench/polis_groups.c); below 0.03 brexit-consensus goes
 * to 5 groups where Pol.is has 2 (silhouettes 0.390 for 2 groups, 0.416 for 5), a near tie
 * decided by a hair. 0.05 is the round figure at the top of that range. 3 runs rather than
 * Pol.is's 4 updates because our runs are fewer and farther apart than Pol.is's updates
 * (which follow every batch of votes).
 */
#ifndef AHP_OPINION_CARRY_H
#define AHP_OPINION_CARRY_H

#include <stddef.h>
#include <stdint.h>

#define OPINION_CARRY_MARGIN 0.05
#define OPINION_CARRY_RUNS   3
#define OPINION_CARRY_SLACK  1e-9

/* What a run hands to the next besides the per-participant groups. Zeroed = no earlier run. */
struct opinion_state {
    uint32_t k;         /* the number of groups of the run (0 = none) */
    uint32_t cand_k;    /* a different k clearly better in the latest runs, 0 = none */
    uint32_t cand_runs; /* how many consecutive runs cand_k has been so */
};

/* Rule 3. sil[k] for k = 0 .. kmax (NAN for k not tried or not fitted), the silhouette of the
 * clustering each k would give (for prev->k, the one kept by rule 1). prev: the previous run's
 * state, or NULL / k == 0 for none. Returns the k to use (0 when no k in kmin..kmax has a
 * silhouette) and fills *next (may be NULL). Pure. */
size_t opinion_carry_k(const double *sil, size_t kmin, size_t kmax,
                       const struct opinion_state *prev, struct opinion_state *next);

/* Rule 2. assign: n cluster numbers 0 .. ng−1 (ng ≤ 16) of the participants part[0..n−1]
 * (indices into prev_group). prev_group: each participant's previous group (−1 none), or
 * NULL. Writes number[c], the number of cluster c, a permutation of 0 .. ng−1. Pure. */
void opinion_carry_number(const uint32_t *assign, const uint32_t *part, size_t n, size_t ng,
                          const int32_t *prev_group, uint32_t *number);

#endif
