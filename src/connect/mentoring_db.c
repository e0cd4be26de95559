/* mentoring_db.c: the SQL of Connect's mentoring tables (migration 0027), named and
 * written once for both engines; each says which index serves it */
#include "connect/mentoring_int.h"

/* ---- profiles (primary key) and exclusions ---- */
const char SQL_CP_GET[] =
    "SELECT u.display_name, u.email, u.profession, u.region, COALESCE(o.name, ''), "
    "CASE WHEN p.user_id IS NULL THEN 0 ELSE 1 END, p.matching, p.in_directory, "
    "p.directory_role, p.offers_mentoring, p.offers_coaching, p.coach_accredited, p.offers, "
    "p.seeks_kind, p.seeks, u.profession, u.region, p.organisation, p.band, p.hours_month, "
    "p.max_mentees, p.preference, p.outside_org, p.updated_at FROM users u "
    "LEFT JOIN organisations o ON o.id = u.organisation_id "
    "LEFT JOIN connect_profiles p ON p.user_id = u.id WHERE u.id = $1";
const char SQL_CP_UPSERT[] =
    "INSERT INTO connect_profiles (user_id, matching, in_directory, directory_role, "
    "offers_mentoring, offers_coaching, coach_accredited, offers, seeks_kind, seeks, "
    "organisation, band, hours_month, max_mentees, preference, outside_org, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
    "ON CONFLICT (user_id) DO UPDATE SET "
    "matching = excluded.matching, in_directory = excluded.in_directory, "
    "directory_role = excluded.directory_role, offers_mentoring = excluded.offers_mentoring, "
    "offers_coaching = excluded.offers_coaching, coach_accredited = excluded.coach_accredited, "
    "offers = excluded.offers, seeks_kind = excluded.seeks_kind, seeks = excluded.seeks, "
    "organisation = excluded.organisation, band = excluded.band, "
    "hours_month = excluded.hours_month, max_mentees = excluded.max_mentees, "
    "preference = excluded.preference, outside_org = excluded.outside_org, "
    "updated_at = excluded.updated_at";
const char SQL_CP_EXCLUDED[] =
    "SELECT u.email FROM connect_exclusions e JOIN users u ON u.id = e.excluded_id "
    "WHERE e.user_id = $1 ORDER BY u.email";
const char SQL_CP_EXCL_DELETE[] = "DELETE FROM connect_exclusions WHERE user_id = $1";
const char SQL_CP_EXCL_INSERT[] =
    "INSERT INTO connect_exclusions (user_id, excluded_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
const char SQL_CP_EXCL_OF[] = "SELECT excluded_id FROM connect_exclusions WHERE user_id = $1";
/* Served by connect_profiles_directory; the region is the account's (migration 0039). */
#define CP_DIR_WHERE                                                                               \
    "FROM connect_profiles p JOIN users u ON u.id = p.user_id WHERE p.in_directory = 1 "           \
    "AND u.deactivated_at = 0 AND ($1 = '' OR u.region = $1) "                                    \
    "AND ($2 = '' OR p.directory_role = $2) "
const char SQL_CP_DIR_COUNT[] = "SELECT COUNT(*) " CP_DIR_WHERE;
const char SQL_CP_DIR_LIST[] =
    "SELECT u.id, u.display_name, u.email, p.directory_role, u.profession, u.region, "
    "p.organisation " CP_DIR_WHERE "ORDER BY u.display_name, u.id LIMIT $3 OFFSET $4";

/* ---- rounds ---- */
#define ACTIVE "('proposed', 'accepted')"
#define CR_COLS                                                                                    \
    "r.id, r.name, COALESCE(r.cohort_id, 0), r.cohort_name, r.kind, r.min_mentor_band, "           \
    "r.need_accreditation, r.self_select, COALESCE(r.created_by, 0), r.created_at, r.run_at, "     \
    "r.total, "                                                                                    \
    "(SELECT COUNT(*) FROM connect_round_people p WHERE p.round_id = r.id "                        \
    "AND p.side = 'mentee'), "                                                                     \
    "(SELECT COUNT(*) FROM connect_round_people p WHERE p.round_id = r.id "                        \
    "AND p.side = 'mentor' AND p.capacity > 0), "                                                  \
    "(SELECT COUNT(*) FROM connect_matches m WHERE m.round_id = r.id AND m.status = 'proposed'), " \
    "(SELECT COUNT(*) FROM connect_matches m WHERE m.round_id = r.id AND m.status = 'accepted'), " \
    "(SELECT COUNT(*) FROM connect_matches m WHERE m.round_id = r.id AND m.status = 'declined') "  \
    "FROM connect_rounds r "
const char SQL_CR_INSERT[] =
    "INSERT INTO connect_rounds (name, cohort_id, cohort_name, kind, min_mentor_band, "
    "need_accreditation, self_select, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const char SQL_CR_LIST[] = "SELECT " CR_COLS "ORDER BY r.created_at DESC, r.id DESC";
const char SQL_CR_GET[] = "SELECT " CR_COLS "WHERE r.id = $1";
/* Served by cohort_members' primary key and connect_profiles' one. */
const char SQL_CR_COHORT_PROFILES[] =
    "SELECT p.user_id, u.display_name, u.profession, u.region, p.organisation, p.band, "
    "p.offers_mentoring, p.offers_coaching, p.coach_accredited, p.offers, p.seeks_kind, "
    "p.seeks, p.max_mentees, p.preference, p.outside_org, p.hours_month FROM cohort_members m "
    "JOIN connect_profiles p ON p.user_id = m.user_id JOIN users u ON u.id = m.user_id "
    "WHERE m.cohort_id = $1 AND p.matching = 1 AND u.deactivated_at = 0 ORDER BY p.user_id";
const char SQL_CR_COHORT_EXCLUSIONS[] =
    "SELECT e.user_id, e.excluded_id FROM cohort_members m "
    "JOIN connect_exclusions e ON e.user_id = m.user_id WHERE m.cohort_id = $1";
const char SQL_CR_MARK_RUN[] =
    "UPDATE connect_rounds SET run_at = $2, total = $3 WHERE id = $1 AND run_at = 0";
const char SQL_CR_PERSON_INSERT[] =
    "INSERT INTO connect_round_people (round_id, user_id, side, capacity, profession, region, "
    "reason) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const char SQL_CR_CANDIDATE_INSERT[] =
    "INSERT INTO connect_candidates (round_id, mentee_id, mentor_id, score, why) "
    "VALUES ($1, $2, $3, $4, $5)";
const char SQL_CR_MATCH_INSERT[] =
    "INSERT INTO connect_matches (round_id, mentee_id, mentor_id, score, why, mentee_answer, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/* Served by connect_round_people's primary key (round_id, side, user_id). */
const char SQL_CR_PEOPLE[] =
    "SELECT user_id, side, capacity FROM connect_round_people WHERE round_id = $1 "
    "ORDER BY side, user_id";
const char SQL_CR_ACTIVE[] =
    "SELECT mentee_id, mentor_id FROM connect_matches WHERE round_id = $1 AND status IN " ACTIVE;
/* The last column: the pair was proposed before (connect_matches_pair). */
const char SQL_CR_CANDIDATES[] =
    "SELECT c.mentee_id, c.mentor_id, c.score, c.why, (SELECT COUNT(*) FROM connect_matches m "
    "WHERE m.round_id = c.round_id AND m.mentee_id = c.mentee_id AND m.mentor_id = c.mentor_id) "
    "FROM connect_candidates c WHERE c.round_id = $1";
const char SQL_CR_SET_REASON[] =
    "UPDATE connect_round_people SET reason = $3 WHERE round_id = $1 AND side = 'mentee' "
    "AND user_id = $2";
const char SQL_CR_UNMATCHED[] =
    "SELECT p.user_id, u.display_name, u.email, p.profession, p.region, p.reason, p.capacity, 0 "
    "FROM connect_round_people p JOIN users u ON u.id = p.user_id WHERE p.round_id = $1 "
    "AND p.side = 'mentee' AND NOT EXISTS (SELECT 1 FROM connect_matches m WHERE "
    "m.round_id = p.round_id AND m.mentee_id = p.user_id AND m.status IN " ACTIVE ") "
    "ORDER BY u.display_name, p.user_id";
const char SQL_CR_MENTORS[] =
    "SELECT p.user_id, u.display_name, u.email, p.profession, p.region, p.reason, p.capacity, "
    "(SELECT COUNT(*) FROM connect_matches m WHERE m.round_id = p.round_id "
    "AND m.mentor_id = p.user_id AND m.status IN " ACTIVE ") "
    "FROM connect_round_people p JOIN users u ON u.id = p.user_id WHERE p.round_id = $1 "
    "AND p.side = 'mentor' ORDER BY u.display_name, p.user_id";
const char SQL_CR_SHARES[] =
    "SELECT p.profession, p.region, (SELECT COUNT(*) FROM connect_matches m WHERE "
    "m.round_id = p.round_id AND m.mentee_id = p.user_id AND m.status IN " ACTIVE ") "
    "FROM connect_round_people p WHERE p.round_id = $1 AND p.side = 'mentee'";
const char SQL_CR_MENTEE_CANDIDATES[] =
    "SELECT c.mentor_id, c.score, c.why, u.display_name, p.profession, p.region, p.capacity, "
    "(SELECT COUNT(*) FROM connect_matches m WHERE m.round_id = c.round_id "
    "AND m.mentor_id = c.mentor_id AND m.status IN " ACTIVE "), "
    "(SELECT COUNT(*) FROM connect_matches m WHERE m.round_id = c.round_id "
    "AND m.mentee_id = c.mentee_id AND m.mentor_id = c.mentor_id "
    "AND m.status IN ('declined', 'replaced')) "
    "FROM connect_candidates c JOIN users u ON u.id = c.mentor_id "
    "JOIN connect_round_people p ON p.round_id = c.round_id AND p.side = 'mentor' "
    "AND p.user_id = c.mentor_id WHERE c.round_id = $1 AND c.mentee_id = $2";
const char SQL_CR_MENTEE_ACTIVE[] =
    "SELECT mentor_id, status FROM connect_matches WHERE round_id = $1 AND mentee_id = $2 "
    "AND status IN " ACTIVE;
const char SQL_CR_REPLACE[] =
    "UPDATE connect_matches SET status = 'replaced', decided_at = $3 WHERE round_id = $1 "
    "AND mentee_id = $2 AND status = 'proposed'";

/* Served by connect_round_people_user. */
const char SQL_CR_TO_CHOOSE[] =
    "SELECT " CR_COLS "JOIN connect_round_people q ON q.round_id = r.id AND q.side = 'mentee' "
    "AND q.user_id = $1 WHERE r.self_select = 1 AND r.run_at > 0 AND NOT EXISTS (SELECT 1 FROM "
    "connect_matches m WHERE m.round_id = r.id AND m.mentee_id = $1 AND m.status IN " ACTIVE ") "
    "ORDER BY r.run_at DESC, r.id DESC";

/* ---- matches ---- */
#define CM_COLS                                                                                    \
    "m.id, m.round_id, m.mentee_id, m.mentor_id, m.score, m.why, m.status, m.mentee_answer, "      \
    "m.mentor_answer, m.created_at, m.decided_at, r.name, r.kind, r.self_select, "                 \
    "ee.display_name, ee.email, eo.display_name, eo.email, pe.profession, pe.region, "             \
    "po.profession, po.region, COALESCE(rel.id, 0) FROM connect_matches m "                        \
    "JOIN connect_rounds r ON r.id = m.round_id JOIN users ee ON ee.id = m.mentee_id "             \
    "JOIN users eo ON eo.id = m.mentor_id LEFT JOIN connect_round_people pe ON "                   \
    "pe.round_id = m.round_id AND pe.side = 'mentee' AND pe.user_id = m.mentee_id "                \
    "LEFT JOIN connect_round_people po ON po.round_id = m.round_id AND po.side = 'mentor' "        \
    "AND po.user_id = m.mentor_id LEFT JOIN connect_relationships rel ON rel.match_id = m.id "
const char SQL_CM_GET[] = "SELECT " CM_COLS "WHERE m.id = $1";
const char SQL_CM_FOR[] = "SELECT " CM_COLS "WHERE (m.mentee_id = $1 OR m.mentor_id = $1) "
                          "AND m.status <> 'replaced' ORDER BY m.created_at DESC, m.id DESC";
const char SQL_CR_MATCHES[] = "SELECT " CM_COLS "WHERE m.round_id = $1 AND m.status <> 'replaced' "
                              "ORDER BY ee.display_name, m.id";
const char SQL_CM_LOCK[] = "UPDATE connect_matches SET status = status WHERE id = $1";
const char SQL_CM_ANSWER_MENTEE[] = "UPDATE connect_matches SET mentee_answer = $2 WHERE id = $1";
const char SQL_CM_ANSWER_MENTOR[] = "UPDATE connect_matches SET mentor_answer = $2 WHERE id = $1";
const char SQL_CM_STATUS[] =
    "UPDATE connect_matches SET status = $2, decided_at = $3 WHERE id = $1";
const char SQL_CM_REL_INSERT[] =
    "INSERT INTO connect_relationships (match_id, mentee_id, mentor_id, kind, started_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";

/* ---- relationships and meetings ---- */
#define RL_COLS                                                                                    \
    "r.id, r.match_id, r.mentee_id, r.mentor_id, r.kind, r.started_at, r.goals, r.frequency, "     \
    "r.mentee_confirmed_at, r.mentor_confirmed_at, r.closed_at, r.mentee_feedback, "               \
    "r.mentor_feedback, ee.display_name, eo.display_name, "                                        \
    "(SELECT COALESCE(SUM(g.minutes), 0) FROM connect_meetings g WHERE g.relationship_id = r.id), "\
    "(SELECT COUNT(*) FROM connect_meetings g WHERE g.relationship_id = r.id) "                    \
    "FROM connect_relationships r JOIN users ee ON ee.id = r.mentee_id "                           \
    "JOIN users eo ON eo.id = r.mentor_id "
const char SQL_RL_GET[] = "SELECT " RL_COLS "WHERE r.id = $1";
const char SQL_RL_FOR[] = "SELECT " RL_COLS "WHERE r.mentee_id = $1 OR r.mentor_id = $1 "
                          "ORDER BY r.closed_at, r.started_at DESC, r.id DESC";
const char SQL_RL_LOCK[] = "UPDATE connect_relationships SET closed_at = closed_at WHERE id = $1";
const char SQL_RL_MEETINGS[] =
    "SELECT g.id, g.met_on, g.minutes, COALESCE(u.display_name, '') FROM connect_meetings g "
    "LEFT JOIN users u ON u.id = g.logged_by WHERE g.relationship_id = $1 "
    "ORDER BY g.met_on DESC, g.id DESC";
const char SQL_RL_SET_AGREEMENT[] =
    "UPDATE connect_relationships SET goals = $2, frequency = $3, mentee_confirmed_at = 0, "
    "mentor_confirmed_at = 0 WHERE id = $1";
const char SQL_RL_CONFIRM_MENTEE[] =
    "UPDATE connect_relationships SET mentee_confirmed_at = $2 WHERE id = $1";
const char SQL_RL_CONFIRM_MENTOR[] =
    "UPDATE connect_relationships SET mentor_confirmed_at = $2 WHERE id = $1";
const char SQL_RL_MEETING_INSERT[] =
    "INSERT INTO connect_meetings (relationship_id, met_on, minutes, logged_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING id";
const char SQL_RL_CLOSE_MENTEE[] =
    "UPDATE connect_relationships SET mentee_feedback = $2, closed_at = CASE WHEN closed_at = 0 "
    "THEN $3 ELSE closed_at END WHERE id = $1";
const char SQL_RL_CLOSE_MENTOR[] =
    "UPDATE connect_relationships SET mentor_feedback = $2, closed_at = CASE WHEN closed_at = 0 "
    "THEN $3 ELSE closed_at END WHERE id = $1";
const char SQL_RL_HOURS[] =
    "SELECT r.id, r.kind, r.mentee_id, r.mentor_id, ee.display_name, eo.display_name, "
    "r.started_at, r.closed_at, COALESCE(SUM(g.minutes), 0), COUNT(g.id), "
    "COALESCE(MIN(g.met_on), 0), COALESCE(MAX(g.met_on), 0) FROM connect_relationships r "
    "JOIN users ee ON ee.id = r.mentee_id JOIN users eo ON eo.id = r.mentor_id "
    "LEFT JOIN connect_meetings g ON g.relationship_id = r.id "
    "WHERE r.mentee_id = $1 OR r.mentor_id = $1 GROUP BY r.id, r.kind, r.mentee_id, "
    "r.mentor_id, ee.display_name, eo.display_name, r.started_at, r.closed_at "
    "ORDER BY r.started_at, r.id";

/* ---- demo ---- */
const char SQL_CD_ROUND_FIND[] = "SELECT id FROM connect_rounds WHERE name = $1";

/* ---- data rights (mentoring_rights.c) ---- */
const char SQL_CRIGHTS_PROFILE[] =
    "SELECT matching, in_directory, directory_role, offers_mentoring, offers_coaching, "
    "coach_accredited, offers, seeks_kind, seeks, organisation, band, "
    "hours_month, max_mentees, preference, outside_org, updated_at FROM connect_profiles "
    "WHERE user_id = $1";
const char SQL_CRIGHTS_EXCLUSIONS[] =
    "SELECT u.email FROM connect_exclusions e JOIN users u ON u.id = e.excluded_id "
    "WHERE e.user_id = $1 ORDER BY u.email";
const char SQL_CRIGHTS_MATCHES[] =
    "SELECT m.id, r.name, CASE WHEN m.mentee_id = $1 THEN 'mentee' ELSE 'mentor' END, m.why, "
    "m.status, m.created_at FROM connect_matches m JOIN connect_rounds r ON r.id = m.round_id "
    "WHERE m.mentee_id = $1 OR m.mentor_id = $1 ORDER BY m.id";
const char SQL_CRIGHTS_RELATIONSHIPS[] =
    "SELECT r.id, r.kind, CASE WHEN r.mentee_id = $1 THEN 'mentee' ELSE 'mentor' END, "
    "r.started_at, r.goals, r.frequency, r.closed_at, CASE WHEN r.mentee_id = $1 "
    "THEN r.mentee_feedback ELSE r.mentor_feedback END FROM connect_relationships r "
    "WHERE r.mentee_id = $1 OR r.mentor_id = $1 ORDER BY r.id";
const char SQL_CRIGHTS_MEETINGS[] =
    "SELECT g.relationship_id, g.met_on, g.minutes FROM connect_meetings g "
    "JOIN connect_relationships r ON r.id = g.relationship_id "
    "WHERE r.mentee_id = $1 OR r.mentor_id = $1 ORDER BY g.met_on, g.id";
const char SQL_CRIGHTS_ROUNDS[] =
    "SELECT name, kind, created_at, run_at FROM connect_rounds WHERE created_by = $1 "
    "ORDER BY id";
const char SQL_CRIGHTS_DELETE_PROFILE[] = "DELETE FROM connect_profiles WHERE user_id = $1";
const char SQL_CRIGHTS_DELETE_EXCLUSIONS[] = "DELETE FROM connect_exclusions WHERE user_id = $1";
const char SQL_CRIGHTS_DELETE_EXCLUDED[] =
    "DELETE FROM connect_exclusions WHERE excluded_id = $1";
/* relationships and meetings go with the match (ON DELETE CASCADE) */
const char SQL_CRIGHTS_DELETE_MATCHES[] =
    "DELETE FROM connect_matches WHERE mentee_id = $1 OR mentor_id = $1";
const char SQL_CRIGHTS_DELETE_PEOPLE[] = "DELETE FROM connect_round_people WHERE user_id = $1";
const char SQL_CRIGHTS_DELETE_CANDIDATES[] =
    "DELETE FROM connect_candidates WHERE mentee_id = $1 OR mentor_id = $1";
const char SQL_CRIGHTS_UNLINK_ROUNDS[] =
    "UPDATE connect_rounds SET created_by = NULL WHERE created_by = $1";
const char SQL_CRIGHTS_UNLINK_MEETINGS[] =
    "UPDATE connect_meetings SET logged_by = NULL WHERE logged_by = $1";
