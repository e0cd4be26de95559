/* sets.h: splitting a cohort into action learning sets of 5 to 8, mixed by profession and
 * organisation, keeping apart the pairs who must not share a set
 *
 * Pure: no SQL, no HTTP, no clock. People are indices 0…n-1 with small integer codes for
 * their profession, organisation and region (the caller maps its strings to codes; a value
 * not given is SETS_UNKNOWN and is never "the same" as anyone's). The result is set_of[i],
 * the set (0…k-1) person i is in.
 *
 * Sizes. For n people and a target size t (5 to 8) the number of sets k is the one nearest
 * n / t (ties to the larger k, so sets come out smaller) among those where every set can hold
 * 5 to 8: ceil(n/8) ≤ k ≤ floor(n/5). The sizes differ by at most one, the larger first.
 * No k exists for n < 5 and for n = 9 (one set is too big, two too small): APP_E_INVALID.
 *
 * Diversity. Two members of a set "clash" once for sharing a profession and once for
 * sharing an organisation. The clashes of a split are summed over every pair in every set;
 * the diversity score is the share of the possible mixes that are mixes,
 *     score = 1000 × (1 − clashes / (2 × pairs))   (tenths of a per cent; 1000 = no clash),
 * pairs counted over all sets. Fewer clashes is more mixing, and for fixed sizes the score
 * only rises as clashes fall. Regions are shown, not balanced: nearby members can meet.
 *
 * Algorithm (sets.c): people are placed one by one — those with the most keep-apart partners
 * first, the others in an order shuffled from the seed — each into the set with room where
 * they weigh least: a keep-apart partner there outweighs any number of clashes, then the
 * fewest clashes, then the emptiest set, then the lowest. Where every set with room holds a
 * partner, one person is moved out of a set to make room (a one-step ejection). Then local
 * search: swapping two people of different sets never changes a size, and a swap is made
 * only when it lowers the weight (pairs broken, then clashes), the best swap for each person
 * in turn, until a pass finds none. Several such starts are made (up to 16 for a small
 * cohort, where a start costs little; four for 1,000 people; one from 2,000) and the best
 * kept (the search stops early at a split with no clash); when pairs are still broken
 * more starts are tried, a bounded number, before APP_E_CONFLICT. Every step is decided by
 * the seed and the input, so the same seed gives the same split.
 */
#ifndef AHP_CONNECT_SETS_H
#define AHP_CONNECT_SETS_H

#include <stddef.h>
#include <stdint.h>

#define SETS_MIN     5
#define SETS_MAX     8
#define SETS_UNKNOWN (-1)
/* People in one split: a programme is a few thousand, and the swap search is quadratic, so
 * a split of the most people allowed stays a few seconds of one request. */
#define SETS_PEOPLE_MAX 5000

struct sets_person {
    int32_t profession, organisation, region; /* codes ≥ 0, or SETS_UNKNOWN */
};

/* Two people (indices) who must not share a set. Order, repeats and a or b equal are
 * allowed: a pair of someone with themself is ignored. */
struct sets_pair {
    uint32_t a, b;
};

struct sets_problem {
    size_t n;
    const struct sets_person *people; /* n entries, borrowed */
    const struct sets_pair *apart;    /* napart entries, borrowed; NULL when none */
    size_t napart;
    int target; /* SETS_MIN … SETS_MAX */
    uint64_t seed;
};

struct sets_score {
    int64_t pairs;   /* pairs of people who share a set */
    int64_t clashes; /* same-profession pairs + same-organisation pairs */
    int permille;    /* 1000 × (1 − clashes / (2 × pairs)); 1000 when there are no pairs */
};

/* The number of sets for n people at target size target: *k. APP_E_INVALID when target is
 * outside 5…8 or no k gives every set 5 to 8 people. */
int sets_count(size_t n, int target, size_t *k);
/* The size of set s (0-based) of k sets for n people, as sets_split() makes them. */
size_t sets_size(size_t n, size_t k, size_t s);

/* Splits p's people: set_of (n entries, the caller's) receives each person's set, *k the
 * number of sets. APP_E_INVALID for sizes (as sets_count) or more than SETS_PEOPLE_MAX
 * people or a pair naming nobody; APP_E_CONFLICT when the keep-apart pairs could not all be
 * kept (someone is kept from too many, or the search found no way); APP_E_NOMEM. */
int sets_split(const struct sets_problem *p, uint32_t *set_of, size_t *k);

/* A random split with the same sizes (the anchor a balanced split is measured against): the
 * people shuffled from seed and dealt out in order; keep-apart pairs are not looked at. */
int sets_random_split(size_t n, int target, uint64_t seed, uint32_t *set_of, size_t *k);

/* The clashes and score of a split of n people into k sets. */
void sets_score(size_t n, const struct sets_person *people, const uint32_t *set_of, size_t k,
                struct sets_score *out);

/* Whether person may move to set `to` of the split: APP_OK; APP_E_INVALID when to is not a
 * set, is their set already, or the move would leave a set below SETS_MIN or above
 * SETS_MAX; APP_E_CONFLICT when to holds someone they must be kept apart from. */
int sets_move_check(size_t n, const uint32_t *set_of, size_t k, const struct sets_pair *apart,
                    size_t napart, uint32_t person, uint32_t to);

#endif
