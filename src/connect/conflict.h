/* conflict.h: who must not be put together — pairs among a set of members, from the "must not
 * be matched with" lists of their Connect profiles
 *
 * For any module that groups members: the mentoring rounds (round.c) leave such pairs out,
 * and the action learning sets keep them in different sets. A pair counts whichever of the
 * two named the other (a member names their line manager; the manager need not name them).
 */
#ifndef AHP_CONNECT_CONFLICT_H
#define AHP_CONNECT_CONFLICT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

/* Two user ids with a < b. */
struct connect_pair {
    int64_t a, b;
};

/* The pairs among user_ids[0..n) (any order; repeats ignored) who must not be together, each
 * once, sorted by a then b, into *out (in arena, NULL when none) and *nout. Members without a
 * profile have no list, but others' lists may still name them. Returns 0, APP_E_NOMEM or
 * APP_E_DB. One indexed query per member: fine for a cohort of thousands. */
int connect_conflict_pairs(struct db *db, struct arena *arena, const int64_t *user_ids, size_t n,
                           struct connect_pair **out, size_t *nout);

#endif
