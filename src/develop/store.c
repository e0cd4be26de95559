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

/* ---- the catalogue of development activities (catalogue_db.c) ---- */
#define DA_COLS                                                                                    \
    "a.id, a.title, a.kind, a.provider, a.description, a.mode, a.duration, a.hours_x100, "         \
    "a.cost, a.cost_pence, a.region, a.link, a.active, a.created_by, a.updated_by, "               \
    "a.created_at, a.updated_at FROM develop_activities a "
/* Every filter is a parameter that is '' (or 0) when not used, so one statement serves
 * every combination: $1 with retired, $2 kind, $3 region (its own and national ones), $4
 * mode, $5 free only, $6 a LIKE pattern already lower-cased, $7 and $8 an area's code and
 * domain (served by develop_activity_areas_domain). */
#define DA_WHERE                                                                                   \
    "WHERE ($1 = 1 OR a.active = 1) AND ($2 = '' OR a.kind = $2) AND "                             \
    "($3 = '' OR a.region = $3 OR a.region = 'national') AND ($4 = '' OR a.mode = $4) AND "        \
    "($5 = 0 OR a.cost = 'free') AND ($6 = '' OR LOWER(a.title) LIKE $6 ESCAPE '\\' OR "           \
    "LOWER(a.provider) LIKE $6 ESCAPE '\\' OR LOWER(a.description) LIKE $6 ESCAPE '\\') AND "      \
    "($7 = '' OR EXISTS (SELECT 1 FROM develop_activity_areas d WHERE d.activity_id = a.id AND "   \
    "d.code = $7 AND d.domain = $8)) "
const char SQL_DA_LIST[] =
    "SELECT " DA_COLS DA_WHERE "ORDER BY LOWER(a.title), a.id LIMIT $9 OFFSET $10";
const char SQL_DA_COUNT[] = "SELECT COUNT(*) FROM develop_activities a " DA_WHERE;
const char SQL_DA_GET[] = "SELECT " DA_COLS "WHERE a.id = $1";
const char SQL_DA_ALL[] = "SELECT " DA_COLS "ORDER BY a.id";
const char SQL_DA_TOTAL[] = "SELECT COUNT(*) FROM develop_activities";
const char SQL_DA_INSERT[] =
    "INSERT INTO develop_activities (title, kind, provider, description, mode, duration, "
    "hours_x100, cost, cost_pence, region, link, active, created_by, updated_by, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $14) "
    "RETURNING id";
const char SQL_DA_UPDATE[] =
    "UPDATE develop_activities SET title = $2, kind = $3, provider = $4, description = $5, "
    "mode = $6, duration = $7, hours_x100 = $8, cost = $9, cost_pence = $10, region = $11, "
    "link = $12, active = $13, updated_by = $14, updated_at = $15 WHERE id = $1";
const char SQL_DA_SET_ACTIVE[] = "UPDATE develop_activities SET active = $2, updated_by = $3, "
                                 "updated_at = $4 WHERE id = $1";
/* areas, served by the primary key */
const char SQL_DAA_LIST[] = "SELECT source, code, domain FROM develop_activity_areas "
                            "WHERE activity_id = $1 ORDER BY source DESC, code, domain";
const char SQL_DAA_CLEAR[] = "DELETE FROM develop_activity_areas WHERE activity_id = $1";
const char SQL_DAA_INSERT[] =
    "INSERT INTO develop_activity_areas (activity_id, source, code, domain) VALUES ($1, $2, $3, "
    "$4)";

/* ---- data rights: the activities a member added or last changed stay in the catalogue,
 * without the link to them ---- */
const char SQL_DRIGHTS_ACTIVITIES[] =
    "SELECT id, title, kind, provider, CASE WHEN created_by = $1 THEN 1 ELSE 0 END, "
    "CASE WHEN updated_by = $1 THEN 1 ELSE 0 END, created_at, updated_at FROM develop_activities WHERE created_by = $1 OR updated_by = $1 ORDER BY id";
const char SQL_DRIGHTS_UNLINK_ACTIVITIES_CREATED[] =
    "UPDATE develop_activities SET created_by = NULL WHERE created_by = $1";
const char SQL_DRIGHTS_UNLINK_ACTIVITIES_UPDATED[] =
    "UPDATE develop_activities SET updated_by = NULL WHERE updated_by = $1";

/* ---- data rights: 360° feedback requests (rights.c). The answers go with their request
 * (ON DELETE CASCADE, migration 0024); the export holds no answer and no address, since
 * which addresses are still waiting would tell who has answered. ---- */
const char SQL_DRIGHTS_FEEDBACK[] =
    "SELECT id, self_id, created_at, closes_at, closed_at FROM develop_feedback_requests "
    "WHERE user_id = $1 ORDER BY id";
const char SQL_DRIGHTS_FEEDBACK_ASKED[] =
    "SELECT i.request_id, i.rater_group, COUNT(*) FROM develop_feedback_invitations i JOIN "
    "develop_feedback_requests r ON r.id = i.request_id WHERE r.user_id = $1 "
    "GROUP BY i.request_id, i.rater_group ORDER BY i.request_id, i.rater_group";
const char SQL_DRIGHTS_DELETE_FEEDBACK[] = "DELETE FROM develop_feedback_requests WHERE user_id = $1";
