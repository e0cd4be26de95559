/* opinion.h: opinion groups from agree/disagree/pass votes, by Pol.is's published method
 *
 * Input: votes (participant, statement, −1/0/+1) over P participants and S statements, a
 * "moderated out" and an "unlisted" flag per statement, and optionally the previous run's
 * groups to carry (opinion_carry.h). Output: who is in the analysis, a 2-D map, 2–5 groups
 * with their representative statements, statements every group agrees with, and the state
 * to hand to the next run. Plain C over arrays: no HTTP, no database, no globals;
 * deterministic for the same input and seed, and the same groups from any seed.
 *
 * The method (Pol.is math, github.com/compdemocracy/polis, math/src/polismath/math/
 * {conversation,pca,clusters,repness}.clj; Small et al., "Polis: Scaling deliberation by
 * mapping high dimensional opinion spaces", 2021), step by step, as Pol.is's code does it:
 *  1. The columns are the statements with at least one vote (C of them); those moderated out
 *     stay columns but are zeroed (Pol.is's zero-out-columns: everyone reads as having voted
 *     0 on them), so S' statements are analysed. A participant is kept ("in the
 *     conversation") with at least min(min_votes, C) votes, votes on moderated-out
 *     statements included (Pol.is counts the raw matrix); if fewer than min_participants are
 *     kept, the participants with most votes (ties: lower index) are added, as long as they
 *     voted at all.
 *  2. The matrix has a row for EVERY participant who voted (not only those kept): agree +1,
 *     disagree −1, pass 0; a missing vote is the statement's mean over those rows (0 if no
 *     one voted on it).
 *  3. The columns are centred and two components found by power iteration (pca.h, both
 *     vectors as a block, the second orthogonalised against the first each step) over all
 *     those rows. Because mean-filled entries centre to exactly 0, the centred matrix is as
 *     sparse as the votes; the zeroed columns add nothing.
 *  4. A kept participant with n votes on analysed statements is placed at
 *     √(C / (n + M)) · Σ_voted (v − mean)·component, M the moderated-out columns: the
 *     projection of their centred votes scaled up so sparse voters are not pulled into the
 *     centre (Pol.is's sparsity-aware projection), where the zeroed columns count as voted.
 *  5. Base clusters: Lloyd's k-means of the kept participants' positions started from the
 *     first min(base_k, kept) distinct positions in participant order (Pol.is's start, no
 *     randomness). Groups: weighted k-means of the base-cluster centres (weights = member
 *     counts), for k = k_min .. min(k_max, 2 + base clusters / 12) (Pol.is's max-k), each k
 *     the best of 100 k-means++ restarts (kmeans.h, seeded). Each k is scored by Pol.is's
 *     silhouette: over the base-cluster centres, each counted once (unweighted). The number
 *     of groups is the smallest k whose silhouette is within 0.05 of the best k's
 *     (opinion_carry.h, rule 3): a larger k must be clearly better, not better by a hair.
 *     With the previous run's state (input carry) the groups are carried as opinion_carry.h
 *     says: warm start, numbering by overlap, k changed only after 3 runs clearly better.
 *     Without it groups are numbered by size, largest first (ties: the group holding the
 *     lower kept participant). Fewer than 2 distinct map positions: one group.
 *  6. Per group g and statement s, with A/D/N the agrees, disagrees and votes seen (passes
 *     included) in g and A'/D'/N' the same for the other kept participants:
 *       p  = (A+1)/(N+2)        the group's agree rate, Laplace-smoothed (Pol.is "pa")
 *       z1 = 2·√(N+1)·((A+1)/(N+1) − ½)   one-proportion test of p against ½ (Pol.is
 *            prop-test, its form exactly)
 *       z2 = two-proportion test of (A+1)/(N+1) against (A'+1)/(N'+1) with pooled variance
 *            (Pol.is two-prop-test: every count +1)
 *       r  = p / p'            p' = (A'+1)/(N'+2), the rest's smoothed agree rate
 *     A statement is representative for agreement when z1 > 1.2816 and z2 > 1.2816 (both
 *     one-sided 90%), scored r·z2·p·z1 (Pol.is repness-metric). The same with D for
 *     disagreement. Per group up to n_repr statements: agree ones by score, then disagree
 *     ones by score. Only groups of a fit with ≥ 2 groups have representative statements.
 *  7. Consensus: statements that every group leans to agree with, (A+1)/(N+2) > ½ in each
 *     group, ranked by Π_g (A+1)/(N+2) (Pol.is group-aware consensus), the top n_consensus;
 *     only statements with at least min_majority_voters votes, as for majorities (with one
 *     group, a single agree vote would otherwise be "consensus").
 *  8. Majority: statements agreed (or disagreed) with by more than half of the kept
 *     participants who voted on them, passes counted as votes, among statements with at
 *     least min_majority_voters such votes; agree ones first, each kind by share.
 * All rankings break ties by the lower statement index, so the output is a total order.
 *
 * What differs from Pol.is: Pol.is keeps its base clusters between updates and restarts
 * them from the last ones; we start them afresh each run (the start is deterministic, so
 * the same votes give the same base clusters), and carry only the groups (opinion_carry.h).
 * Pol.is's group k-means is one Lloyd run from the first k base clusters or the last
 * groups; ours keeps the best of 100 seeded restarts, so the grouping does not depend on the
 * seed (ARI 1.000 between seeds on every shared conversation, bench/polis_groups.c), and a
 * larger k must beat the smaller by 0.05 of silhouette (Pol.is instead smooths k over 4
 * updates, which a fit alone cannot do). Conversations above 10,000 participants get
 * Pol.is's mini-batch PCA; ours is exact at every size. The rules for picking
 * representative comments within the passing ones differ in detail (Pol.is prefers agree,
 * caps at 5, and may add a "best" one). Statements waiting for moderation count as Pol.is
 * counts them but are never named (unlisted).
 *
 * Disclosure: group sizes and counts are raw; the caller applies the disclosure rule.
 */
#ifndef AHP_OPINION_H
#define AHP_OPINION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text/opinion_carry.h"

#define OPINION_MAX_GROUPS 5
#define OPINION_MAX_REPR   10
#define OPINION_Z90        1.2816 /* one-sided 90% normal quantile */

struct opinion_vote {
    uint32_t participant; /* < n_participants */
    uint32_t statement;   /* < n_statements */
    int8_t vote;          /* +1 agree, −1 disagree, 0 pass */
};

/* The previous run, to carry its groups into this one (opinion_carry.h has the rules). */
struct opinion_carry {
    /* n_participants of THIS input: each one's group in the previous run (its result's
     * group_of), −1 for none (not grouped then, or new since). Borrowed. NULL = no previous
     * run (the state is then ignored). */
    const int32_t *prev_group;
    struct opinion_state state; /* the previous result's state, as it was */
};

struct opinion_input {
    size_t n_participants, n_statements;
    /* The latest vote per (participant, statement). Should the array still hold a pair
     * twice, the later entry wins. Borrowed. */
    const struct opinion_vote *votes;
    size_t n_votes;
    const bool *moderated_out; /* n_statements flags, borrowed; NULL = none */
    /* n_statements flags, borrowed; NULL = none: statements that count in the fit like any
     * other but are never named in the result (no representative, consensus or majority
     * entry): those still waiting for moderation, which Pol.is counts but nobody may read yet */
    const bool *unlisted;
    uint64_t seed;             /* PCA start and the group k-means restarts */
    const struct opinion_carry *carry; /* borrowed; NULL = a fit from scratch */
    /* Tuning; 0 = the default in brackets. */
    size_t min_votes;           /* [7] threshold to be kept, capped at the statements left */
    size_t min_participants;    /* [15] top-up target */
    size_t base_k;              /* [100] base clusters */
    size_t k_min, k_max;        /* [2, 5] groups; k_max ≤ OPINION_MAX_GROUPS */
    size_t n_repr;              /* [5] representative statements per group, ≤ OPINION_MAX_REPR */
    /* [0] a statement is a candidate representative of a group only when more of the group
     * than this voted on it (passes count): a caller that shows a group's share only over
     * more people than its disclosure threshold passes that threshold, so the places go to
     * statements it can show. 0: any statement, as Pol.is. */
    size_t repr_min_seen;
    size_t n_consensus;         /* [5] */
    size_t min_majority_voters; /* [5] */
    size_t pca_max_iter;        /* [1000] */
    double pca_tol;             /* [1e-9] */
};

/* A representative statement of a group. */
struct opinion_repr {
    uint32_t statement;
    int8_t direction;       /* +1 the group agrees, −1 it disagrees */
    uint32_t n_agree, n_disagree, n_seen;  /* in the group */
    uint32_t r_agree, r_disagree, r_seen;  /* among the rest of the kept participants */
    double p;      /* (A+1)/(N+2), or (D+1)/(N+2) for disagreement */
    double p_rest; /* the same for the rest */
    double ratio;  /* p / p_rest */
    double z_prop; /* one-proportion z */
    double z_diff; /* two-proportion z */
    double score;  /* ratio · z_diff · p · z_prop */
};

struct opinion_group {
    size_t size;   /* kept participants in the group */
    double cx, cy; /* centroid on the map (mean of the members' positions) */
    size_t n_repr;
    struct opinion_repr repr[OPINION_MAX_REPR];
};

struct opinion_consensus {
    uint32_t statement;
    double score; /* Π over groups of (A+1)/(N+2) */
};

struct opinion_majority {
    uint32_t statement;
    int8_t direction; /* +1 agreed by a majority, −1 disagreed */
    uint32_t n_for, n_seen;
    double share; /* n_for / n_seen */
};

/* Everything a fit produces. The arrays are malloc'd and owned by the result: free them
 * with opinion_result_free(). */
struct opinion_result {
    size_t n_statements_used; /* S': statements not moderated out */
    size_t n_kept;            /* participants in the analysis */
    uint32_t *kept;           /* n_kept participant indices, ascending */
    double *x, *y;            /* n_kept map positions, in kept order */
    uint8_t *group;           /* n_kept group numbers 0 .. n_groups−1, in kept order */
    int32_t *group_of;        /* n_participants: the group of each participant, −1 if not kept */
    double *pc;               /* 2 × n_statements: the components (0 for dropped statements) */
    double *mean;             /* n_statements: the fill-in means (0 for dropped statements) */
    double eigval[2];         /* variance along each component */
    bool pca_converged;
    size_t n_base;            /* base clusters actually formed */
    double silhouette[OPINION_MAX_GROUPS + 1]; /* [k] for k = k_min..k_max, NAN if not tried */
    size_t n_groups;          /* 0 (no one kept), 1 (no spread) or k_min..k_max */
    struct opinion_state state; /* to store and pass as carry->state to the next run */
    struct opinion_group groups[OPINION_MAX_GROUPS];
    size_t n_consensus;
    struct opinion_consensus *consensus;
    size_t n_majority;
    struct opinion_majority *majority;
};

/* Fits the model. out is overwritten (it need not be initialised) and must be freed with
 * opinion_result_free() after a success; after a failure it holds nothing to free (freeing
 * it is still safe). Returns 0, APP_E_INVALID (a vote out of range, an index ≥ its count,
 * tuning out of range, NULL arrays with non-zero counts) or APP_E_NOMEM. Fewer than 2 kept
 * participants or no statements left is not an error: n_groups is 0 or 1. */
int opinion_fit(const struct opinion_input *in, struct opinion_result *out);

/* Frees the result's arrays and zeroes it; safe on a zeroed or already-freed result. */
void opinion_result_free(struct opinion_result *r);

#endif
