/* measured.h: what has been measured about one member, gathered for recommendations
 * (domain code; no HTTP)
 *
 * Reads, for the member only: their latest submitted self-assessment, scored per domain
 * against the version it was taken on; their latest submitted response to each Assess
 * instrument in rounds they answered under their name (anonymous rounds hold no user, so
 * they cannot be found), scored per domain with the instrument's national baselines; and
 * the catalogue's active activities with their areas. A closed 360 is a third source
 * (develop_rec_input.feedback): the 360 module fills it where it is built.
 */
#ifndef AHP_DEVELOP_MEASURED_H
#define AHP_DEVELOP_MEASURED_H

#include <stdint.h>

#include "develop/recommend.h"

struct arena;
struct assess_version_cache;
struct db;

struct develop_measured {
    struct develop_rec_input in; /* ready for develop_recommend() */
    int64_t self_id;             /* the self-assessment read; 0 when none is submitted */
    int64_t self_submitted_at;
    const char *framework_title; /* "" when none */
    const char **rounds;         /* titles of the Assess rounds read */
    size_t nrounds;
};

/* Fills out for user_id (everything in the arena). cache may be NULL. Returns 0, APP_E_NOMEM
 * or a database error. */
int develop_measured_load(struct db *db, struct assess_version_cache *cache, struct arena *a,
                          int64_t user_id, int64_t now, struct develop_measured *out);

#endif
