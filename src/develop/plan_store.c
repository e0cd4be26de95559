/* plan_store.c: the SQL of development plans, the programme lead's gap view and the
 * demonstration self-assessments, named and written once for both engines
 *
 * Every statement on a plan names its owner ($2 or the user column), so another member's
 * goal or activity is never read, changed or deleted.
 */
#include "develop/plan_store.h"

/* ---- goals (served by develop_goals_user and the primary key) ---- */
#define DG_COLS "id, user_id, title, framework_code, domain, target_at, created_at, updated_at "
const char SQL_DG_LIST[] = "SELECT " DG_COLS "FROM develop_goals WHERE user_id = $1 ORDER BY id";
const char SQL_DG_GET[] = "SELECT " DG_COLS "FROM develop_goals WHERE id = $1 AND user_id = $2";
const char SQL_DG_INSERT[] =
    "INSERT INTO develop_goals (user_id, title, framework_code, domain, target_at, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
const char SQL_DG_UPDATE[] =
    "UPDATE develop_goals SET title = $3, framework_code = $4, domain = $5, target_at = $6, "
    "updated_at = $7 WHERE id = $1 AND user_id = $2";
/* the goal's activities stay in the plan (served by develop_plan_activities_goal) */
const char SQL_DG_UNLINK[] =
    "UPDATE develop_plan_activities SET goal_id = NULL WHERE goal_id = $1 AND user_id = $2";
const char SQL_DG_DELETE[] = "DELETE FROM develop_goals WHERE id = $1 AND user_id = $2";

/* ---- plan activities: a catalogue activity's title, kind and provider come from the
 * catalogue (served by develop_plan_activities_user and the primary keys) ---- */
#define DP_COLS                                                                                    \
    "p.id, p.user_id, COALESCE(p.goal_id, 0), COALESCE(p.activity_id, 0), "                        \
    "COALESCE(a.title, p.title), COALESCE(a.kind, p.kind), COALESCE(a.provider, ''), "             \
    "COALESCE(a.active, 1), p.status, p.target_at, p.reflection, p.reason, p.done_at, "            \
    "p.created_at, p.updated_at FROM develop_plan_activities p LEFT JOIN develop_activities a "    \
    "ON a.id = p.activity_id "
const char SQL_DP_LIST[] = "SELECT " DP_COLS "WHERE p.user_id = $1 ORDER BY p.id";
const char SQL_DP_GET[] = "SELECT " DP_COLS "WHERE p.id = $1 AND p.user_id = $2";
/* A catalogue activity already in the plan is left as it is (develop_plan_activities_once):
 * no row comes back, and the caller reads the one there. */
const char SQL_DP_INSERT[] =
    "INSERT INTO develop_plan_activities (user_id, goal_id, activity_id, title, kind, status, "
    "target_at, reflection, reason, done_at, created_at, updated_at) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (user_id, activity_id) "
    "WHERE activity_id IS NOT NULL DO NOTHING RETURNING id";
const char SQL_DP_FIND[] =
    "SELECT id FROM develop_plan_activities WHERE user_id = $1 AND activity_id = $2";
/* done_at records the day it was first marked done, and again after it was reopened */
const char SQL_DP_UPDATE[] =
    "UPDATE develop_plan_activities SET goal_id = $3, title = $4, kind = $5, status = $6, "
    "target_at = $7, reflection = $8, done_at = CASE WHEN $6 = 'done' AND status <> 'done' "
    "THEN $9 WHEN $6 = 'done' THEN done_at ELSE 0 END, updated_at = $9 "
    "WHERE id = $1 AND user_id = $2";
const char SQL_DP_DELETE[] = "DELETE FROM develop_plan_activities WHERE id = $1 AND user_id = $2";
const char SQL_DP_ACTIVE_ACTIVITY[] =
    "SELECT kind FROM develop_activities WHERE id = $1 AND active = 1";

/* ---- data rights (plan_rights.c) ---- */
const char SQL_DPRIGHTS_GOALS[] =
    "SELECT id, title, framework_code, domain, target_at, created_at, updated_at "
    "FROM develop_goals WHERE user_id = $1 ORDER BY id";
const char SQL_DPRIGHTS_ITEMS[] =
    "SELECT p.id, COALESCE(p.goal_id, 0), COALESCE(p.activity_id, 0), COALESCE(a.title, p.title), "
    "COALESCE(a.kind, p.kind), p.status, p.target_at, p.reflection, p.reason, p.done_at, "
    "p.created_at, p.updated_at FROM develop_plan_activities p LEFT JOIN develop_activities a "
    "ON a.id = p.activity_id WHERE p.user_id = $1 ORDER BY p.id";
const char SQL_DPRIGHTS_DELETE_ITEMS[] = "DELETE FROM develop_plan_activities WHERE user_id = $1";
const char SQL_DPRIGHTS_DELETE_GOALS[] = "DELETE FROM develop_goals WHERE user_id = $1";

/* ---- the gap view (gaps.c) ----
 * Every submitted self-assessment of the group's members on any version of the framework
 * ($2: its code), in no particular order: the reader sorts them per member in memory, which
 * is cheaper than asking either engine for the order (SQLite would sort in a temporary
 * B-tree). develop_self_assessments_gaps holds every column read from the self-assessments,
 * so no table row is visited. */
#define DGAP_FROM                                                                                  \
    "SELECT s.user_id, s.framework_id, s.submitted_at, s.id, s.domain_means FROM "                 \
    "develop_self_assessments s JOIN develop_frameworks f ON f.id = s.framework_id AND "           \
    "f.code = $2 "
const char SQL_DGAP_COHORT[] = DGAP_FROM "JOIN cohort_members m ON m.user_id = s.user_id "
                                         "WHERE m.cohort_id = $1 AND s.submitted_at > 0";
const char SQL_DGAP_ORG[] = DGAP_FROM "JOIN users u ON u.id = s.user_id "
                                      "WHERE u.organisation_id = $1 AND s.submitted_at > 0";
/* submitted before the means were kept (develop_self_assessments_unscored) */
const char SQL_DGAP_UNSCORED[] =
    "SELECT id FROM develop_self_assessments WHERE framework_id = $1 AND submitted_at > 0 AND "
    "domain_means = '' ORDER BY id LIMIT 500";
/* a submitted self-assessment never changes: its means are written once */
const char SQL_DGAP_SET_MEANS[] =
    "UPDATE develop_self_assessments SET domain_means = $2 WHERE id = $1 AND submitted_at > 0";
const char SQL_DGAP_CURRENT[] =
    "SELECT id FROM develop_frameworks WHERE code = $1 ORDER BY version DESC LIMIT 1";

/* ---- demonstration data (demo_cohort.c) ---- */
/* the cohort's members who have a self-assessment already (the demo leaves them alone) */
const char SQL_DDEMO_COHORT_DONE[] =
    "SELECT COUNT(*) FROM develop_self_assessments s JOIN cohort_members m ON "
    "m.user_id = s.user_id WHERE m.cohort_id = $1";
/* a submitted self-assessment with its domain means */
const char SQL_DDEMO_SELF[] =
    "INSERT INTO develop_self_assessments (user_id, framework_id, started_at, updated_at, "
    "submitted_at, domain_means) VALUES ($1, $2, $3, $3, $3, $4) RETURNING id";
/* a self-assessment's ratings 32 and 8 to a statement: a demonstration cohort's are some
 * 130,000, and on PostgreSQL each statement is a round trip */
const char SQL_DDEMO_RATINGS32[] =
    "INSERT INTO develop_ratings (assessment_id, behaviour, rating, importance, note) VALUES "
    "($1, $2, $3, 0, ''), ($1, $4, $5, 0, ''), ($1, $6, $7, 0, ''), ($1, $8, $9, 0, ''), ($1, "
    "$10, $11, 0, ''), ($1, $12, $13, 0, ''), ($1, $14, $15, 0, ''), ($1, $16, $17, 0, ''), "
    "($1, $18, $19, 0, ''), ($1, $20, $21, 0, ''), ($1, $22, $23, 0, ''), ($1, $24, $25, 0, "
    "''), ($1, $26, $27, 0, ''), ($1, $28, $29, 0, ''), ($1, $30, $31, 0, ''), ($1, $32, $33, "
    "0, ''), ($1, $34, $35, 0, ''), ($1, $36, $37, 0, ''), ($1, $38, $39, 0, ''), ($1, $40, "
    "$41, 0, ''), ($1, $42, $43, 0, ''), ($1, $44, $45, 0, ''), ($1, $46, $47, 0, ''), ($1, "
    "$48, $49, 0, ''), ($1, $50, $51, 0, ''), ($1, $52, $53, 0, ''), ($1, $54, $55, 0, ''), "
    "($1, $56, $57, 0, ''), ($1, $58, $59, 0, ''), ($1, $60, $61, 0, ''), ($1, $62, $63, 0, "
    "''), ($1, $64, $65, 0, '')";
const char SQL_DDEMO_RATINGS8[] =
    "INSERT INTO develop_ratings (assessment_id, behaviour, rating, importance, note) VALUES "
    "($1, $2, $3, 0, ''), ($1, $4, $5, 0, ''), ($1, $6, $7, 0, ''), ($1, $8, $9, 0, ''), ($1, "
    "$10, $11, 0, ''), ($1, $12, $13, 0, ''), ($1, $14, $15, 0, ''), ($1, $16, $17, 0, '')";
