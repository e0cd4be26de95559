/* store.c: the Develop module's SQL, named and written once for both engines */
#include "develop/store.h"

/* ---- framework versions ---- */
const char SQL_DF_NEXT_VERSION[] =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM develop_frameworks WHERE code = $1";
const char SQL_DF_INSERT[] =
    "INSERT INTO develop_frameworks (code, version, title, definition, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const char SQL_DF_GET[] = "SELECT definition, code, version FROM develop_frameworks WHERE id = $1";
#define DF_INFO                                                                                    \
    "f.id, f.code, f.title, f.version, f.created_at, "                                             \
    "(SELECT COUNT(*) FROM develop_self_assessments s WHERE s.framework_id = f.id) "
/* Served by UNIQUE (code, version). */
const char SQL_DF_LATEST[] =
    "SELECT " DF_INFO "FROM develop_frameworks f WHERE f.version = "
    "(SELECT MAX(g.version) FROM develop_frameworks g WHERE g.code = f.code) "
    "ORDER BY f.title, f.id";
const char SQL_DF_HISTORY[] =
    "SELECT " DF_INFO "FROM develop_frameworks f WHERE f.code = $1 ORDER BY f.version DESC";
const char SQL_DF_EXISTS[] = "SELECT id FROM develop_frameworks WHERE code = $1 LIMIT 1";
const char SQL_DF_LATEST_ID[] =
    "SELECT id FROM develop_frameworks WHERE code = $1 ORDER BY version DESC LIMIT 1";

/* ---- self-assessments ---- */
#define DS_COLS                                                                                    \
    "s.id, s.user_id, s.framework_id, f.code, f.title, f.version, s.started_at, s.updated_at, "    \
    "s.submitted_at FROM develop_self_assessments s JOIN develop_frameworks f ON "                 \
    "f.id = s.framework_id "
/* A second draft is refused by the partial unique index (0021): the caller reads the one
 * that won. */
const char SQL_DS_INSERT[] =
    "INSERT INTO develop_self_assessments (user_id, framework_id, started_at, updated_at) "
    "VALUES ($1, $2, $3, $3) ON CONFLICT (user_id) WHERE submitted_at = 0 DO NOTHING "
    "RETURNING id";
/* The owner is part of the key: another member's self-assessment is simply not found. */
const char SQL_DS_GET[] = "SELECT " DS_COLS "WHERE s.id = $1 AND s.user_id = $2";
const char SQL_DS_LIST[] =
    "SELECT " DS_COLS "WHERE s.user_id = $1 ORDER BY s.submitted_at = 0 DESC, "
    "s.submitted_at DESC, s.id DESC";
const char SQL_DS_DRAFT[] =
    "SELECT s.id FROM develop_self_assessments s WHERE s.user_id = $1 AND s.submitted_at = 0 "
    "ORDER BY s.id DESC LIMIT 1";
/* The guards live in the statements, so a self-assessment submitted in another tab is never
 * changed. */
const char SQL_DS_TOUCH[] = "UPDATE develop_self_assessments SET updated_at = $3 "
                            "WHERE id = $1 AND user_id = $2 AND submitted_at = 0";
const char SQL_DS_SUBMIT[] = "UPDATE develop_self_assessments SET submitted_at = $3, "
                             "updated_at = $3 WHERE id = $1 AND user_id = $2 AND submitted_at = 0";
/* The demo leaves alone a member who has any self-assessment (served by the user index). */
const char SQL_DS_DEMO_FIND[] =
    "SELECT id FROM develop_self_assessments WHERE user_id = $1 LIMIT 1";
const char SQL_DS_DEMO_INSERT[] =
    "INSERT INTO develop_self_assessments (user_id, framework_id, started_at, updated_at, "
    "submitted_at) VALUES ($1, $2, $3, $3, $3) RETURNING id";

/* ---- ratings (served by the primary key) ---- */
const char SQL_DR_LIST[] =
    "SELECT behaviour, rating, importance, note FROM develop_ratings WHERE assessment_id = $1";
const char SQL_DR_UPSERT[] =
    "INSERT INTO develop_ratings (assessment_id, behaviour, rating, importance, note) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assessment_id, behaviour) DO UPDATE SET "
    "rating = excluded.rating, importance = excluded.importance, note = excluded.note";

/* ---- data rights (rights.c): the member's self-assessments, their ratings and notes, and
 * the frameworks they stored ---- */
const char SQL_DRIGHTS_SELF[] =
    "SELECT s.id, f.title, f.version, s.started_at, s.updated_at, s.submitted_at "
    "FROM develop_self_assessments s JOIN develop_frameworks f ON f.id = s.framework_id "
    "WHERE s.user_id = $1 ORDER BY s.started_at, s.id";
const char SQL_DRIGHTS_RATINGS[] =
    "SELECT r.assessment_id, r.behaviour, r.rating, r.importance, r.note FROM develop_ratings r "
    "JOIN develop_self_assessments s ON s.id = r.assessment_id WHERE s.user_id = $1 "
    "ORDER BY r.assessment_id, r.behaviour";
const char SQL_DRIGHTS_FRAMEWORKS[] =
    "SELECT code, version, title, created_at FROM develop_frameworks WHERE created_by = $1 "
    "ORDER BY code, version";
const char SQL_DRIGHTS_DELETE_RATINGS[] =
    "DELETE FROM develop_ratings WHERE assessment_id IN "
    "(SELECT id FROM develop_self_assessments WHERE user_id = $1)";
const char SQL_DRIGHTS_DELETE_SELF[] = "DELETE FROM develop_self_assessments WHERE user_id = $1";
const char SQL_DRIGHTS_UNLINK_FRAMEWORKS[] =
    "UPDATE develop_frameworks SET created_by = NULL WHERE created_by = $1";
