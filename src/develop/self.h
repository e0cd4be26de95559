/* self.h: Develop in the database — framework versions and members' self-assessments
 * (domain code; no HTTP)
 *
 * A framework version, once stored, never changes; editing stores the next version of the
 * same code. A self-assessment belongs to one member and pins the framework version it was
 * started on; its ratings are stored per behaviour id and read back against that version.
 * Every read of a self-assessment names its owner, so another member's is never found
 * (APP_E_NOTFOUND, which pages answer with 404).
 */
#ifndef AHP_DEVELOP_SELF_H
#define AHP_DEVELOP_SELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/develop.h"

struct arena;
struct db;

/* ---- framework versions (versions.c) ---- */
struct develop_version_info {
    int64_t id;
    const char *code, *title;
    int version;
    int64_t created_at;
    int64_t uses; /* self-assessments started on this version */
};
/* Parses and stores json as the next version of its code (version 1 when new), as the
 * parser writes it back, in one transaction. On APP_E_INVALID *why says what is wrong and
 * where (arena). *id and *version receive the new row. */
int develop_version_save(struct db *db, struct arena *a, const char *json, size_t len,
                         int64_t created_by, int64_t *id, int *version, const char **why);
/* Loads and parses one stored version into the arena (APP_E_NOTFOUND). */
int develop_version_load(struct db *db, struct arena *a, int64_t id, struct develop_framework *out);
/* The stored JSON of a version, in the arena (APP_E_NOTFOUND). */
int develop_version_json(struct db *db, struct arena *a, int64_t id, const char **json);
/* The latest version of every framework, by title. */
int develop_version_latest(struct db *db, struct arena *a, struct develop_version_info **out,
                           size_t *n);
/* Every version of one code, newest first. */
int develop_version_history(struct db *db, struct arena *a, const char *code,
                            struct develop_version_info **out, size_t *n);
/* The id of the latest version of code (APP_E_NOTFOUND). */
int develop_version_latest_id(struct db *db, const char *code, int64_t *id);
/* Stores each framework shipped in data/frameworks/ whose code is not stored yet. Run at
 * start and by `ahphub demo`; idempotent, and an admin's later versions are left alone. */
int develop_version_seed(struct db *db);

/* ---- self-assessments (self.c) ---- */
struct develop_self {
    int64_t id, user_id, framework_id;
    const char *framework_code, *framework_title;
    int framework_version;
    int64_t started_at, updated_at, submitted_at; /* submitted_at 0: a draft */
};

/* Starts a self-assessment of user_id on framework version framework_id (APP_E_NOTFOUND
 * when there is no such version, APP_E_CONFLICT when it is not its framework's current
 * version: an older version's statements have been replaced). A member keeps one draft at a time: when they have one,
 * its id is returned and *resumed set, and nothing is stored. */
int develop_self_start(struct db *db, int64_t user_id, int64_t framework_id, int64_t now,
                       int64_t *id, bool *resumed);
/* The self-assessment id if it is user_id's (APP_E_NOTFOUND otherwise). */
int develop_self_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                     struct develop_self *out);
/* Every self-assessment of user_id: the draft first, then submitted ones newest first. */
int develop_self_list(struct db *db, struct arena *a, int64_t user_id, struct develop_self **out,
                      size_t *n);
/* The answers of self-assessment id, fw->nbehaviours of them in framework order (arena);
 * behaviours without a stored answer are not rated. Ratings of behaviours the version does
 * not have are ignored. */
int develop_self_answers(struct db *db, struct arena *a, const struct develop_framework *fw,
                         int64_t id, struct develop_answer **out);
/* Replaces the answers of one domain (answers: that domain's nbehaviours, in order) of a
 * draft, in one transaction. APP_E_INVALID when an answer fails develop_answer_check (nothing
 * stored), APP_E_CONFLICT when it was submitted already (or is not user_id's), a database
 * error otherwise (nothing stored). */
int develop_self_save(struct db *db, const struct develop_framework *fw, int64_t id,
                      int64_t user_id, size_t domain, const struct develop_answer *answers,
                      int64_t now);
/* Submits a draft: APP_E_CONFLICT when it was submitted already. */
int develop_self_submit(struct db *db, int64_t id, int64_t user_id, int64_t now);

#endif
