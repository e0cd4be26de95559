/* mentoring_int.h: what the mentoring files share and nothing outside src/connect needs —
 * list encoding in the profile columns, field errors, and the named SQL (mentoring_db.c) */
#ifndef AHP_CONNECT_MENTORING_INT_H
#define AHP_CONNECT_MENTORING_INT_H

#include "connect/mentoring.h"

#include <stdbool.h>
#include <stddef.h>

/* Splits "a;b;;c" into its non-empty parts (arena). APP_E_NOMEM. */
int connect_split(struct arena *a, const char *s, const char ***out, size_t *n);
/* Joins parts with ";" (arena); NULL when out of memory. */
char *connect_join(struct arena *a, const char *const *parts, size_t n);
/* Appends one field error to *errs (arena); false when out of memory. */
bool connect_err_add(struct arena *a, struct connect_field_error **errs, size_t *n,
                     const char *field, const char *message);
/* Text of at most max characters that is not blank. */
bool connect_text_ok(const char *s, size_t max);

/* ---- SQL (mentoring_db.c) ---- */
extern const char SQL_CP_GET[], SQL_CP_UPSERT[], SQL_CP_EXCLUDED[], SQL_CP_EXCL_DELETE[],
    SQL_CP_EXCL_INSERT[], SQL_CP_DIR_COUNT[], SQL_CP_DIR_LIST[], SQL_CP_EXCL_OF[];
extern const char SQL_CR_INSERT[], SQL_CR_LIST[], SQL_CR_GET[], SQL_CR_COHORT_PROFILES[],
    SQL_CR_COHORT_EXCLUSIONS[], SQL_CR_MARK_RUN[], SQL_CR_PERSON_INSERT[],
    SQL_CR_CANDIDATE_INSERT[], SQL_CR_MATCH_INSERT[], SQL_CR_UNMATCHED[], SQL_CR_MENTORS[],
    SQL_CR_PEOPLE[], SQL_CR_CANDIDATES[], SQL_CR_ACTIVE[],
    SQL_CR_SET_REASON[], SQL_CR_SHARES[], SQL_CR_MENTEE_CANDIDATES[], SQL_CR_MENTEE_ACTIVE[],
    SQL_CR_MATCHES[], SQL_CR_REPLACE[], SQL_CR_TO_CHOOSE[];
extern const char SQL_CM_GET[], SQL_CM_FOR[], SQL_CM_LOCK[], SQL_CM_ANSWER_MENTEE[],
    SQL_CM_ANSWER_MENTOR[], SQL_CM_STATUS[], SQL_CM_REL_INSERT[];
extern const char SQL_RL_GET[], SQL_RL_FOR[], SQL_RL_MEETINGS[], SQL_RL_SET_AGREEMENT[],
    SQL_RL_CONFIRM_MENTEE[], SQL_RL_CONFIRM_MENTOR[], SQL_RL_MEETING_INSERT[],
    SQL_RL_CLOSE_MENTEE[], SQL_RL_CLOSE_MENTOR[], SQL_RL_HOURS[], SQL_RL_LOCK[];
extern const char SQL_CD_ROUND_FIND[];
extern const char SQL_CRIGHTS_PROFILE[], SQL_CRIGHTS_EXCLUSIONS[], SQL_CRIGHTS_MATCHES[],
    SQL_CRIGHTS_RELATIONSHIPS[], SQL_CRIGHTS_MEETINGS[], SQL_CRIGHTS_ROUNDS[],
    SQL_CRIGHTS_DELETE_PROFILE[], SQL_CRIGHTS_DELETE_EXCLUSIONS[],
    SQL_CRIGHTS_DELETE_EXCLUDED[], SQL_CRIGHTS_DELETE_MATCHES[],
    SQL_CRIGHTS_DELETE_PEOPLE[], SQL_CRIGHTS_DELETE_CANDIDATES[],
    SQL_CRIGHTS_UNLINK_ROUNDS[], SQL_CRIGHTS_UNLINK_MEETINGS[];

#endif
