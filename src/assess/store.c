/* store.c: the Assess module's SQL, named and written once for both engines */
#include "assess/store.h"

/* ---- instrument versions ---- */
const char SQL_AI_NEXT_VERSION[] =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM assess_instruments WHERE code = $1";
const char SQL_AI_INSERT[] =
    "INSERT INTO assess_instruments (code, version, title, audience, method, definition, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
const char SQL_AI_GET[] = "SELECT definition, code, version FROM assess_instruments WHERE id = $1";
#define AI_INFO                                                                                    \
    "i.id, i.code, i.title, i.audience, i.method, i.version, i.created_at, "                       \
    "(SELECT COUNT(*) FROM assess_rounds r WHERE r.instrument_id = i.id) "
const char SQL_AI_LATEST[] =
    "SELECT " AI_INFO "FROM assess_instruments i WHERE i.version = "
    "(SELECT MAX(j.version) FROM assess_instruments j WHERE j.code = i.code) "
    "ORDER BY i.title, i.id";
const char SQL_AI_HISTORY[] =
    "SELECT " AI_INFO "FROM assess_instruments i WHERE i.code = $1 ORDER BY i.version DESC";
const char SQL_AI_EXISTS[] = "SELECT id FROM assess_instruments WHERE code = $1 LIMIT 1";

/* ---- rounds ---- */
#define AR_FIELDS                                                                                  \
    "r.id, r.slug, r.title, r.instrument_id, i.code, i.title, i.version, r.audience, "             \
    "r.mode, COALESCE(r.organisation_id, 0), COALESCE(o.name, ''), r.opens_at, r.closes_at, "      \
    "r.created_at "
#define AR_FROM                                                                                    \
    "FROM assess_rounds r JOIN assess_instruments i ON i.id = r.instrument_id "                    \
    "LEFT JOIN organisations o ON o.id = r.organisation_id "
#define AR_COLS AR_FIELDS AR_FROM
/* Counting a round's responses reads its index entries: only the pages that show the counts
 * (to facilitators) ask for them. */
const char SQL_AR_COUNTS[] =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN submitted_at > 0 THEN 1 ELSE 0 END), 0) "
    "FROM assess_responses WHERE round_id = $1";
const char SQL_AR_INSERT[] =
    "INSERT INTO assess_rounds (slug, title, instrument_id, audience, mode, organisation_id, "
    "opens_at, closes_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10) ON CONFLICT (slug) DO NOTHING RETURNING id";
/* A closed round keeps its closing time ($5 is now): its figures have been published, and
 * answers taken after reopening could be read by difference against them (publish.c). */
const char SQL_AR_UPDATE[] =
    "UPDATE assess_rounds SET title = $2, opens_at = $3, closes_at = CASE WHEN closes_at > 0 "
    "AND closes_at <= $5 THEN closes_at ELSE $4 END WHERE id = $1";
const char SQL_AR_CLOSE[] = "UPDATE assess_rounds SET closes_at = $2 WHERE id = $1";
const char SQL_AR_BY_SLUG[] = "SELECT " AR_COLS "WHERE r.slug = $1";
const char SQL_AR_BY_ID[] = "SELECT " AR_COLS "WHERE r.id = $1";
const char SQL_AR_LIST[] = "SELECT " AR_COLS "ORDER BY r.created_at DESC, r.id DESC";
/* The rounds user $1 has answered under their name, with their latest response's times: a
 * member's home page. Anonymous responses carry no user id, so they never appear here. */
const char SQL_AR_ANSWERED_BY[] =
    "SELECT " AR_FIELDS ", s.started_at, s.updated_at, s.submitted_at " AR_FROM
    "JOIN assess_responses s ON s.round_id = r.id WHERE s.user_id = $1 AND s.id = "
    "(SELECT MAX(t.id) FROM assess_responses t WHERE t.round_id = r.id AND t.user_id = $1) "
    "ORDER BY s.updated_at DESC, r.id DESC";
const char SQL_AR_CREATED_BY[] =
    "SELECT " AR_COLS "WHERE r.created_by = $1 ORDER BY r.created_at DESC, r.id DESC";

/* ---- invitation links ---- */
const char SQL_AV_INSERT[] =
    "INSERT INTO assess_invitations (round_id, organisation_id, code, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
const char SQL_AV_GET[] =
    "SELECT code FROM assess_invitations WHERE round_id = $1 AND organisation_id = $2";
#define AV_COLS                                                                                    \
    "v.id, v.organisation_id, o.name, v.code, "                                                    \
    "(SELECT COUNT(*) FROM assess_responses s WHERE s.invitation_id = v.id), "                     \
    "(SELECT COUNT(*) FROM assess_responses s WHERE s.invitation_id = v.id "                       \
    "AND s.submitted_at > 0) "                                                                     \
    "FROM assess_invitations v JOIN organisations o ON o.id = v.organisation_id "
const char SQL_AV_LIST[] = "SELECT " AV_COLS "WHERE v.round_id = $1 ORDER BY o.name";
const char SQL_AV_FIND[] = "SELECT " AV_COLS "WHERE v.round_id = $1 AND v.code = $2";

/* ---- responses ---- */
#define AS_COLS                                                                                    \
    "s.id, s.round_id, s.instrument_id, COALESCE(s.user_id, 0), "                                  \
    "COALESCE(s.organisation_id, 0), COALESCE(s.invitation_id, 0), COALESCE(o.name, ''), "         \
    "s.profession, s.region, s.band, s.answers, s.started_at, s.updated_at, s.submitted_at "       \
    "FROM assess_responses s LEFT JOIN organisations o ON o.id = s.organisation_id "
const char SQL_AS_INSERT[] =
    "INSERT INTO assess_responses (round_id, instrument_id, token_hash, user_id, "
    "organisation_id, invitation_id, profession, region, band, answers, source, started_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'web', $11, $11) "
    "RETURNING id";
const char SQL_AS_BY_TOKEN[] = "SELECT " AS_COLS "WHERE s.round_id = $1 AND s.token_hash = $2";
const char SQL_AS_BY_USER[] =
    "SELECT " AS_COLS "WHERE s.round_id = $1 AND s.user_id = $2 ORDER BY s.id DESC LIMIT 1";
/* The guards live in the statement so a response submitted in another tab is never changed. */
const char SQL_AS_SAVE[] = "UPDATE assess_responses SET answers = $2, updated_at = $3 "
                           "WHERE id = $1 AND submitted_at = 0";
const char SQL_AS_SUBMIT[] = "UPDATE assess_responses SET submitted_at = $2, updated_at = $2 "
                             "WHERE id = $1 AND submitted_at = 0";
const char SQL_AS_SUBMITTED[] =
    "SELECT " AS_COLS "WHERE s.round_id = $1 AND s.submitted_at > 0 ORDER BY s.id";

/* ---- results: the benchmark's one query (five short columns, no join) ---- */
const char SQL_AS_BENCH[] =
    "SELECT profession, region, COALESCE(organisation_id, 0), band, answers "
    "FROM assess_responses WHERE round_id = $1 AND submitted_at > 0";
const char SQL_AS_BENCH_ORGS[] =
    "SELECT o.id, o.name FROM organisations o WHERE o.id IN (SELECT s.organisation_id FROM "
    "assess_responses s WHERE s.round_id = $1 AND s.submitted_at > 0) ORDER BY o.name, o.id";

/* ---- imports and the demo (transfer.c, demo.c) ---- */
/* Submitted responses in bulk, one prepared statement per import; $12 is both the last change
 * and the submission. */
const char SQL_AS_LOAD[] =
    "INSERT INTO assess_responses (round_id, instrument_id, token_hash, organisation_id, "
    "invitation_id, profession, region, band, answers, source, started_at, updated_at, "
    "submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)";
/* The demo finds its own rounds by title: rounds are few, so a scan, as for Listen's. */
const char SQL_AR_BY_TITLE[] = "SELECT id FROM assess_rounds WHERE title = $1 ORDER BY id LIMIT 1";
/* Served by UNIQUE (code, version). */
const char SQL_AI_LATEST_ID[] =
    "SELECT id FROM assess_instruments WHERE code = $1 ORDER BY version DESC LIMIT 1";
/* The state of a round for the shared benchmark: kept by every submission (0009) and by
 * every merge of organisations that moved its responses (0018, account/org.c). */
const char SQL_AS_SUBMITTED_COUNT[] =
    "SELECT submitted, regrouped FROM assess_rounds WHERE id = $1";
const char SQL_AR_ADD_SUBMITTED[] =
    "UPDATE assess_rounds SET submitted = submitted + $2 WHERE id = $1";

/* ---- data rights: a member's copy and account deletion (assess/rights.c) ----
 * Served by assess_responses_user and the created_by indexes (migrations/0019). Only named
 * rounds' responses carry a user_id; an anonymous response has none to find. */
const char SQL_ARIGHTS_INSTRUMENTS[] =
    "SELECT code, version, title, created_at FROM assess_instruments WHERE created_by = $1 "
    "ORDER BY created_at, id";
const char SQL_ARIGHTS_ROUNDS[] =
    "SELECT slug, title, mode, created_at FROM assess_rounds WHERE created_by = $1 "
    "ORDER BY created_at, id";
const char SQL_ARIGHTS_RESPONSES[] =
    "SELECT r.slug, r.title, s.instrument_id, COALESCE(o.name, ''), s.profession, s.region, "
    "s.band, s.answers, s.started_at, s.updated_at, s.submitted_at FROM assess_responses s "
    "JOIN assess_rounds r ON r.id = s.round_id LEFT JOIN organisations o ON o.id = s.organisation_id "
    "WHERE s.user_id = $1 ORDER BY s.started_at, s.id";
/* A response never submitted counts in no figure: it goes. A submitted one stays in the
 * round's figures, unreachable: no account, and a resume token hash no token can have (a
 * real one is 64 hex digits). */
const char SQL_ARIGHTS_DROP_UNSUBMITTED[] =
    "DELETE FROM assess_responses WHERE user_id = $1 AND submitted_at = 0";
const char SQL_ARIGHTS_UNLINK_RESPONSES[] =
    "UPDATE assess_responses SET user_id = NULL, token_hash = 'erased-' || CAST(id AS TEXT) "
    "WHERE user_id = $1";
const char SQL_ARIGHTS_UNLINK_ROUNDS[] =
    "UPDATE assess_rounds SET created_by = NULL WHERE created_by = $1";
const char SQL_ARIGHTS_UNLINK_INSTRUMENTS[] =
    "UPDATE assess_instruments SET created_by = NULL WHERE created_by = $1";
