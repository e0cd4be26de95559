/* match.h: the mentoring assignment — mentees to mentors, maximising the total score exactly
 *
 * A programme lead gives who may be matched with whom (candidate pairs with scores) and how
 * many mentees each mentor takes; the matcher returns an assignment whose total score is the
 * largest any assignment can reach. Hard constraints (band, exclusions, the same person…) are
 * applied by the caller by leaving pairs out: a pair that is not listed is never made.
 *
 * The problem is a min-cost flow, solved by GLPK as the equivalent linear programme (match.c
 * says why the optimum found is integral and exact):
 *
 *     mentee i (supply 1) ──(cap 1, cost −score)──► mentor j ──(cap capacity_j)──► sink
 *        └──────────────────(cap 1, cost 0: "stays unmatched")────────────────────┘
 *
 * Scores are integers in thousandths of a point (MATCH_SCALE), so every sum is exact and the
 * optimum is exact for the scores as given; callers with decimal scores round them to 0.001
 * (match_parse_score). A pair whose score is 0 or less adds nothing to the total, so it is
 * never made: a mentee is matched only when that raises the total.
 *
 * Ties (several assignments with the same best total): the result depends only on the set
 * of pairs and capacities, never on the order they are given in (pairs are sorted by mentee,
 * then mentor, before the programme is built, and GLPK's simplex is deterministic). Callers
 * that number mentees and mentors in a canonical order (the command line sorts by id) thus
 * get the same assignment from any permutation of their input.
 */
#ifndef AHP_MATCH_H
#define AHP_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MATCH_SCALE        1000                    /* score units per point */
#define MATCH_SCORE_MAX    (10000LL * MATCH_SCALE) /* |score| at most 10,000 points */
#define MATCH_CAPACITY_MAX 100000                  /* mentees one mentor may take */
#define MATCH_SIZE_MAX     10000000                /* mentees, mentors or pairs */
#define MATCH_ALTERNATIVES 5                       /* next best mentors kept per mentee */

/* One allowed pair: mentee and mentor are indices into the problem's lists. */
struct match_pair {
    uint32_t mentee, mentor;
    int64_t score; /* thousandths of a point */
};

struct match_problem {
    size_t nmentees, nmentors;
    const uint32_t *capacity;       /* nmentors entries, borrowed; 0 = takes no one this round */
    const struct match_pair *pairs; /* npairs entries, borrowed, any order, no duplicates */
    size_t npairs;
};

/* Why a mentee is (or is not) matched. */
enum match_reason {
    MATCH_MATCHED = 0,
    MATCH_NO_PAIR,     /* no pair lists this mentee, or only mentors who take no one */
    MATCH_NO_POSITIVE, /* every allowed pair scores 0 or less */
    MATCH_MENTORS_FULL /* every allowed mentor is full with mentees who score at least as well */
};

struct match_alt {
    uint32_t mentor;
    int64_t score;
};

/* The answer. Arrays are malloc'd, owned by the result, freed by match_result_free(). */
struct match_result {
    size_t nmentees;
    int32_t *mentor;           /* per mentee: the mentor's index, or -1 when unmatched */
    int64_t *score;            /* per mentee: the matched pair's score, 0 when unmatched */
    enum match_reason *reason; /* per mentee */
    /* per mentee i: alt[i * MATCH_ALTERNATIVES + k], k < nalt[i]: the next best mentors by
     * score (then by mentor index), among allowed pairs that score above 0 with a mentor
     * who takes anyone, the matched mentor left out; for a self-select mode */
    struct match_alt *alt;
    uint8_t *nalt;
    int64_t total; /* sum of the matched pairs' scores */
    size_t matched;
};

/* Solves p into *r (which need not be initialised; free it with match_result_free() after a
 * success, and also after a failure, which leaves it empty). Returns 0; APP_E_INVALID when an
 * index is out of range, a pair is given twice, a score is beyond ±MATCH_SCORE_MAX, a
 * capacity beyond MATCH_CAPACITY_MAX, or a size beyond MATCH_SIZE_MAX; APP_E_NOMEM;
 * APP_E_INTERNAL if GLPK fails or its answer breaks a rule (never expected: it is checked
 * so that a wrong assignment is never returned). GLPK's per-thread environment is freed
 * before returning, so nothing of it outlives the call. */
int match_solve(const struct match_problem *p, struct match_result *r);
void match_result_free(struct match_result *r);

/* How match_solve_with() solves, for tests and the benchmark (match_solve() passes 0):
 *   MATCH_ALL_COLUMNS   every usable pair is in the programme from the start, instead of
 *                       each mentee's best pair with the others priced in as needed;
 *   MATCH_EXACT_ALWAYS  glp_exact after every simplex run, not only when floating point
 *                       does not give the integer certificate of optimality.
 * Both together are the first formulation of the matcher (every pair, simplex, glp_exact),
 * kept as the reference the faster default is compared with. The answer is the same
 * optimum in every mode (and the same assignment unless several reach the best total). */
#define MATCH_ALL_COLUMNS  1u
#define MATCH_EXACT_ALWAYS 2u
#define MATCH_FLAGS_ALL    (MATCH_ALL_COLUMNS | MATCH_EXACT_ALWAYS)

struct match_stats {
    size_t usable;     /* pairs that could be made (score above 0, mentor takes someone) */
    size_t columns;    /* of those, how many the programme needed */
    size_t rounds;     /* simplex runs: one, then one per pricing round */
    size_t iterations; /* simplex iterations in all */
    bool exact;        /* glp_exact was run */
};

/* match_solve() with flags (above; others are APP_E_INVALID) and, when stats is not NULL,
 * how the solve went (filled on success). Same contract as match_solve() otherwise. */
int match_solve_with(const struct match_problem *p, unsigned flags, struct match_result *r,
                     struct match_stats *stats);

/* A sentence for a reason, for people ("no allowed mentor", …). Static; never NULL. */
const char *match_reason_text(enum match_reason why);

/* Parses a decimal score ("9", "-2.5", "0.3333", "1e2") rounded to the nearest thousandth,
 * into *out. False when s is not a whole number or decimal, or its size is beyond
 * MATCH_SCORE_MAX. */
bool match_parse_score(const char *s, int64_t *out);
/* Writes v (thousandths) as a decimal without trailing zeros ("18", "9.5", "-0.125") into
 * out (at least 32 bytes). Returns out. */
char *match_format_score(int64_t v, char *out, size_t n);

#endif
