/* store.c: every SQL text of the Listen module, named, in one place to review
 *
 * The feed query is the hot one: it is served by listen_contributions_feed (exercise, status,
 * vote_count) and the votes primary key for the "have I voted" join. Its order puts what a
 * participant has not voted on first, then the fewest-voted, then a per-participant shuffle
 * ((id * seed) mod a prime) so two participants see different contributions first while each
 * sees a stable order across pages.
 */
#include "listen/store.h"

#define LX_COLS                                                                                \
    "id, slug, title, summary_md, audiences, opens_at, closes_at, status, moderation, "        \
    "flag_threshold, created_at, language "

const char SQL_LX_INSERT[] =
    "INSERT INTO listen_exercises (slug, title, summary_md, audiences, opens_at, closes_at, "
    "status, moderation, flag_threshold, created_by, created_at, updated_at, language) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $10, $11) "
    "ON CONFLICT (slug) DO NOTHING RETURNING id";
const char SQL_LX_UPDATE[] =
    "UPDATE listen_exercises SET title = $2, summary_md = $3, audiences = $4, opens_at = $5, "
    "closes_at = $6, moderation = $7, flag_threshold = $8, updated_at = $9, language = $10 "
    "WHERE id = $1";
const char SQL_LX_LANGUAGE[] = "SELECT language FROM listen_exercises WHERE id = $1";
const char SQL_LX_BY_SLUG[] = "SELECT " LX_COLS "FROM listen_exercises WHERE slug = $1";
const char SQL_LX_BY_ID[] = "SELECT " LX_COLS "FROM listen_exercises WHERE id = $1";
const char SQL_LX_BY_TITLE[] = "SELECT id FROM listen_exercises WHERE title = $1";
const char SQL_LX_LIST_PUBLIC[] =
    "SELECT " LX_COLS "FROM listen_exercises WHERE status <> 'draft' "
    "ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, created_at DESC, id DESC";
const char SQL_LX_LIST_ALL[] =
    "SELECT " LX_COLS "FROM listen_exercises "
    "ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, created_at DESC, "
    "id DESC";
/* Public exercises and the drafts user $1 is a facilitator of, theirs first; the last column
 * says which are theirs. */
#define LX_MANAGED                                                                             \
    "(SELECT count(*) FROM listen_facilitators f WHERE f.exercise_id = x.id AND f.user_id = $1)"
const char SQL_LX_LIST_MANAGED[] =
    "SELECT " LX_COLS ", " LX_MANAGED " AS managed FROM listen_exercises x "
    "WHERE status <> 'draft' OR " LX_MANAGED " > 0 "
    "ORDER BY managed DESC, CASE status WHEN 'open' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, "
    "created_at DESC, id DESC";
/* The exercises user $1 facilitates, open first, with how many contributions wait for a
 * moderator in each: the facilitator's part of their home page. */
const char SQL_LX_LIST_FACILITATED[] =
    "SELECT " LX_COLS ", (SELECT count(*) FROM listen_contributions c "
    "WHERE c.exercise_id = x.id AND c.status = 'pending') AS waiting FROM listen_exercises x "
    "WHERE x.id IN (SELECT exercise_id FROM listen_facilitators WHERE user_id = $1) "
    "ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, created_at DESC, "
    "id DESC";
/* A no-op update that holds the exercise's row until commit: changes to its facilitators run
 * one after another, so two removals cannot each see the other's row and leave none. */
const char SQL_LX_LOCK[] = "UPDATE listen_exercises SET updated_at = updated_at WHERE id = $1";
/* Whether exercise $1 takes part at time $2 (listen_exercise_accepting, in SQL): read in the
 * transaction of a contribution, vote, undo or flag, so one that closed after the page looked
 * is noticed before anything is written. On PostgreSQL the row is read FOR SHARE: closing it
 * (an UPDATE of the row) waits for the writes that saw it open, and a write that comes after
 * waits for the close to commit and then sees it closed; the writes share the lock, so they do
 * not wait for each other. SQLite's BEGIN IMMEDIATE already runs every write one at a time. */
#define LX_TAKING                                                                              \
    "SELECT id FROM listen_exercises WHERE id = $1 AND status = 'open' AND opens_at <= $2 "  \
    "AND (closes_at = 0 OR closes_at > $2)"
const char SQL_LX_TAKING_SQLITE[] = LX_TAKING;
const char SQL_LX_TAKING_PG[] = LX_TAKING " FOR SHARE";
/* listen_facilitators is served by its primary key (exercise_id, user_id). */
const char SQL_LXF_IS[] =
    "SELECT count(*) FROM listen_facilitators WHERE exercise_id = $1 AND user_id = $2";
const char SQL_LXF_LIST[] =
    "SELECT u.id, u.email, u.display_name FROM listen_facilitators f "
    "JOIN users u ON u.id = f.user_id WHERE f.exercise_id = $1 ORDER BY f.added_at, u.id";
const char SQL_LXF_INSERT[] =
    "INSERT INTO listen_facilitators (exercise_id, user_id, added_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (exercise_id, user_id) DO NOTHING";
const char SQL_LXF_DELETE[] =
    "DELETE FROM listen_facilitators WHERE exercise_id = $1 AND user_id = $2";
const char SQL_LXF_COUNT[] = "SELECT count(*) FROM listen_facilitators WHERE exercise_id = $1";
const char SQL_LX_SET_STATUS[] =
    "UPDATE listen_exercises SET status = $2, opens_at = CASE WHEN $2 = 'open' AND opens_at = 0 "
    "THEN $3 ELSE opens_at END, updated_at = $3 WHERE id = $1";
const char SQL_LX_PURGE_ORIGINALS[] =
    "UPDATE listen_contributions SET original = NULL WHERE exercise_id = $1 AND original IS NOT "
    "NULL";

const char SQL_LP_LIST[] =
    "SELECT id, position, text FROM listen_prompts WHERE exercise_id = $1 ORDER BY position";
const char SQL_LP_INSERT[] =
    "INSERT INTO listen_prompts (exercise_id, position, text) VALUES ($1, $2, $3)";
const char SQL_LP_UPDATE[] =
    "UPDATE listen_prompts SET text = $3 WHERE exercise_id = $1 AND position = $2";
const char SQL_LP_DELETE_FROM[] =
    "DELETE FROM listen_prompts WHERE exercise_id = $1 AND position >= $2";
const char SQL_LP_USED_FROM[] =
    "SELECT count(*) FROM listen_contributions c JOIN listen_prompts p ON p.id = c.prompt_id "
    "WHERE p.exercise_id = $1 AND p.position >= $2";

const char SQL_LPT_FIND[] =
    "SELECT id, pseudonym, audience, profession, region FROM listen_participants "
    "WHERE exercise_id = $1 AND token_hash = $2";
const char SQL_LPT_INSERT[] =
    "INSERT INTO listen_participants (exercise_id, token_hash, pseudonym, audience, profession, "
    "region, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const char SQL_LPT_DESCRIBE[] =
    "UPDATE listen_participants SET audience = $2, profession = $3, region = $4 WHERE id = $1";
/* Counts one action ($3: post, vote or flag) at time $4 when the participant is under the
 * limit $5 in the window still open after $2 (= $4 - 60), or opens a new window; changes no
 * row when over the limit. All SET expressions read the row as it was. By primary key, and
 * it takes the participant's row lock: a concurrent request of the same participant waits
 * here, then PostgreSQL evaluates the WHERE again on the row the first one committed. */
const char SQL_LPT_RATE[] =
    "UPDATE listen_participants SET "
    "rate_posts = CASE WHEN rate_from > $2 THEN rate_posts ELSE 0 END "
    "+ CASE WHEN $3 = 'post' THEN 1 ELSE 0 END, "
    "rate_votes = CASE WHEN rate_from > $2 THEN rate_votes ELSE 0 END "
    "+ CASE WHEN $3 = 'vote' THEN 1 ELSE 0 END, "
    "rate_flags = CASE WHEN rate_from > $2 THEN rate_flags ELSE 0 END "
    "+ CASE WHEN $3 = 'flag' THEN 1 ELSE 0 END, "
    "rate_from = CASE WHEN rate_from > $2 THEN rate_from ELSE $4 END "
    "WHERE id = $1 AND (rate_from <= $2 OR CASE $3 WHEN 'post' THEN rate_posts "
    "WHEN 'vote' THEN rate_votes ELSE rate_flags END < $5)";
const char SQL_LPT_EXISTS[] = "SELECT 1 FROM listen_participants WHERE id = $1";

#define LC_COLS                                                                                \
    "c.id, COALESCE(c.prompt_id, 0), COALESCE(c.parent_id, 0), c.participant_id, c.body, "   \
    "c.original, c.redactions, c.status, c.hidden, c.reviewed, c.hold_reason, "              \
    "c.reject_reason, p.audience, c.flag_count, c.vote_count, c.agree_count, "               \
    "c.disagree_count, c.pass_count, c.created_at "
#define LC_FROM " FROM listen_contributions c JOIN listen_participants p ON p.id = c.participant_id "
#define LC_SHOWN " c.status = 'approved' AND c.hidden = 0 "

const char SQL_LC_INSERT[] =
    "INSERT INTO listen_contributions (exercise_id, prompt_id, parent_id, participant_id, body, "
    "original, redactions, status, hold_reason, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id";
const char SQL_LC_GET[] =
    "SELECT " LC_COLS ", v.vote " LC_FROM
    "LEFT JOIN listen_votes v ON v.contribution_id = c.id AND v.participant_id = $2 "
    "WHERE c.id = $1";
const char SQL_LC_FEED[] =
    "SELECT " LC_COLS ", v.vote " LC_FROM
    "LEFT JOIN listen_votes v ON v.contribution_id = c.id AND v.participant_id = $2 "
    "WHERE c.exercise_id = $1 AND" LC_SHOWN "AND c.parent_id IS NULL "
    "AND ($3 = 0 OR c.prompt_id = $3) "
    "ORDER BY CASE WHEN v.vote IS NULL THEN 0 ELSE 1 END, c.vote_count, "
    "(c.id * $4) % 1000003, c.id LIMIT $5 OFFSET $6";
const char SQL_LC_FEED_COUNT[] =
    "SELECT count(*) FROM listen_contributions c WHERE c.exercise_id = $1 AND" LC_SHOWN
    "AND c.parent_id IS NULL AND ($2 = 0 OR c.prompt_id = $2)";
/* The text of every shown contribution of an exercise, for theme analysis. */
const char SQL_LC_SHOWN_TEXT[] =
    "SELECT c.body FROM listen_contributions c JOIN listen_exercises e ON e.id = c.exercise_id "
    "WHERE e.slug = $1 AND" LC_SHOWN "ORDER BY c.id";
const char SQL_LC_REPLIES[] =
    "SELECT " LC_COLS ", v.vote " LC_FROM
    "LEFT JOIN listen_votes v ON v.contribution_id = c.id AND v.participant_id = $2 "
    "WHERE c.parent_id = $1 AND" LC_SHOWN "ORDER BY c.created_at, c.id LIMIT 50";
const char SQL_LC_MINE[] =
    "SELECT " LC_COLS ", 2" LC_FROM
    "WHERE c.exercise_id = $1 AND c.participant_id = $2 AND c.status <> 'withdrawn' "
    "ORDER BY c.created_at DESC, c.id DESC";
const char SQL_LC_WITHDRAW[] =
    "UPDATE listen_contributions SET status = 'withdrawn', updated_at = $3 "
    "WHERE id = $1 AND participant_id = $2 AND status <> 'withdrawn'";
const char SQL_LC_QUEUE[] =
    "SELECT " LC_COLS LC_FROM
    "WHERE c.exercise_id = $1 AND ("
    "($2 = 'review' AND (c.status = 'pending' OR c.hidden = 1)) OR "
    "($2 = 'flagged' AND c.flag_count > 0 AND c.status <> 'withdrawn') OR "
    "($2 = 'approved' AND c.status = 'approved' AND c.hidden = 0) OR "
    "($2 = 'rejected' AND c.status = 'rejected') OR "
    "($2 = 'all')) ORDER BY c.created_at, c.id LIMIT $3 OFFSET $4";
const char SQL_LC_QUEUE_COUNT[] =
    "SELECT count(*) FROM listen_contributions c WHERE c.exercise_id = $1 AND ("
    "($2 = 'review' AND (c.status = 'pending' OR c.hidden = 1)) OR "
    "($2 = 'flagged' AND c.flag_count > 0 AND c.status <> 'withdrawn') OR "
    "($2 = 'approved' AND c.status = 'approved' AND c.hidden = 0) OR "
    "($2 = 'rejected' AND c.status = 'rejected') OR ($2 = 'all'))";
const char SQL_LC_COUNTS[] =
    "SELECT "
    "COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN hidden = 1 AND status = 'approved' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN flag_count > 0 AND status <> 'withdrawn' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status = 'approved' AND hidden = 0 THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status = 'withdrawn' THEN 1 ELSE 0 END), 0) "
    "FROM listen_contributions WHERE exercise_id = $1";
const char SQL_LC_MODERATE[] =
    "UPDATE listen_contributions SET status = $3, hidden = 0, reviewed = 1, hold_reason = '', "
    "reject_reason = $4, updated_at = $5 WHERE id = $1 AND exercise_id = $2 "
    "AND status <> 'withdrawn'";
const char SQL_LC_OF_EXERCISE[] =
    "SELECT 1 FROM listen_contributions WHERE id = $1 AND exercise_id = $2";
const char SQL_LC_SET_BODY[] =
    "UPDATE listen_contributions SET body = $3, original = COALESCE(original, body), "
    "redactions = CASE WHEN redactions = '' THEN $4 WHEN redactions LIKE '%moderator%' "
    "THEN redactions ELSE redactions || ',' || $4 END, reviewed = 1, updated_at = $5 "
    "WHERE id = $1 AND exercise_id = $2 "
    "AND status <> 'withdrawn'";

const char SQL_LC_LOCK[] = "UPDATE listen_contributions SET vote_count = vote_count WHERE id = $1";
const char SQL_LV_GET[] =
    "SELECT vote FROM listen_votes WHERE contribution_id = $1 AND participant_id = $2";
/* One vote per participant and contribution: the upsert replaces an earlier one and returns
 * what is stored, so the caller can adjust the counts by the difference in the same
 * transaction. */
const char SQL_LV_UPSERT[] =
    "INSERT INTO listen_votes (contribution_id, participant_id, vote, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (contribution_id, participant_id) "
    "DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at";
const char SQL_LC_VOTE_DELTA[] =
    "UPDATE listen_contributions SET vote_count = vote_count + $2, "
    "agree_count = agree_count + $3, disagree_count = disagree_count + $4, "
    "pass_count = pass_count + $5 WHERE id = $1";

const char SQL_LF_INSERT[] =
    "INSERT INTO listen_flags (contribution_id, participant_id, reason, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (contribution_id, participant_id) DO NOTHING";
/* Counts the new flag and hides an unreviewed contribution that reached the threshold. */
const char SQL_LC_FLAGGED[] =
    "UPDATE listen_contributions SET flag_count = flag_count + 1, "
    "hidden = CASE WHEN reviewed = 0 AND flag_count + 1 >= $2 THEN 1 ELSE hidden END, "
    "hold_reason = CASE WHEN reviewed = 0 AND flag_count + 1 >= $2 THEN 'flags' "
    "ELSE hold_reason END WHERE id = $1";

const char SQL_LM_LOG[] =
    "INSERT INTO listen_moderation_log (exercise_id, contribution_id, moderator_id, action, "
    "reason, at) VALUES ($1, $2, $3, $4, $5, $6)";

const char SQL_LW_LIST[] = "SELECT word FROM listen_hold_words ORDER BY word";
const char SQL_LW_INSERT[] =
    "INSERT INTO listen_hold_words (word, created_at) VALUES ($1, $2) ON CONFLICT (word) "
    "DO NOTHING";
const char SQL_LW_DELETE[] = "DELETE FROM listen_hold_words WHERE word = $1";

/* ---- analysis runs (runs.c) ----
 * An exercise has at most one run queued or running (listen_analysis_runs_active, a unique
 * partial index); a running run holds a lease (lease_until) renewed by its worker, and
 * attempts, raised by every claim, is the holder's token for renewing and finishing. */
/* The conflict target names the partial index's predicate, which both engines need to match
 * the index; any other conflict is still an error. */
const char SQL_LA_INSERT[] =
    "INSERT INTO listen_analysis_runs (exercise_id, status, k, seed, requested_by, created_at) "
    "VALUES ($1, 'queued', $2, $3, $4, $5) "
    "ON CONFLICT (exercise_id) WHERE status IN ('queued', 'running') DO NOTHING RETURNING id";
const char SQL_LA_QUEUED[] =
    "SELECT id FROM listen_analysis_runs WHERE exercise_id = $1 AND status IN ('queued', "
    "'running')";
/* Runs whose lease expired after their last allowed attempt ($2) fail with reason $3; all of
 * them, or those of exercise $4. */
const char SQL_LA_GIVE_UP[] =
    "UPDATE listen_analysis_runs SET status = 'failed', error = $3, finished_at = $1, "
    "lease_until = 0 WHERE status = 'running' AND lease_until < $1 AND attempts >= $2 "
    "AND ($4 = 0 OR exercise_id = $4)";
/* Claims the oldest run that is queued, or running with an expired lease and attempts left,
 * leasing it until $2. The condition is repeated on the row itself, so when two workers pick
 * the same run only one updates it (PostgreSQL re-checks it after the first one's lock). */
#define LA_CLAIMABLE                                                                               \
    "(status = 'queued' OR (status = 'running' AND lease_until < $1 AND attempts < $3))"
const char SQL_LA_CLAIM[] =
    "UPDATE listen_analysis_runs SET status = 'running', started_at = $1, lease_until = $2, "
    "attempts = attempts + 1 WHERE id = (SELECT min(id) FROM listen_analysis_runs WHERE "
    LA_CLAIMABLE ") AND " LA_CLAIMABLE " RETURNING id, exercise_id, k, attempts";
const char SQL_LA_RENEW[] =
    "UPDATE listen_analysis_runs SET lease_until = $3 WHERE id = $1 AND attempts = $2 "
    "AND status = 'running'";
const char SQL_LA_FINISH[] =
    "UPDATE listen_analysis_runs SET status = $2, contributions = $3, votes = $4, result = $5, "
    "error = $6, finished_at = $7, lease_until = 0 WHERE id = $1 AND attempts = $8 "
    "AND status = 'running'";
const char SQL_LA_LATEST[] =
    "SELECT id, status, k, contributions, votes, result, created_at, finished_at "
    "FROM listen_analysis_runs WHERE exercise_id = $1 AND status = 'done' ORDER BY id DESC LIMIT 1";
const char SQL_LA_PENDING[] =
    "SELECT status, lease_until, attempts FROM listen_analysis_runs WHERE exercise_id = $1 "
    "AND status IN ('queued', 'running')";
/* Every vote of the exercise, with what its contribution counts as in the opinion groups
 * (src/listen/runs.c opinion_build): 0 shown, 1 waiting for moderation, 2 moderated out
 * (rejected, withdrawn or hidden). Pol.is counts the last two as well. */
/* Not the author's own vote on a contribution that is not shown: the facilitators' files
 * leave it out (it would name the author, transfer_store.c), and the groups must be found
 * again from those files. */
const char SQL_LA_VOTES[] =
    "SELECT v.participant_id, v.contribution_id, v.vote, "
    "CASE WHEN c.status = 'approved' AND c.hidden = 0 THEN 0 "
    "WHEN c.status = 'pending' THEN 1 ELSE 2 END FROM listen_votes v "
    "JOIN listen_contributions c ON c.id = v.contribution_id "
    "WHERE c.exercise_id = $1 AND NOT (v.participant_id = c.participant_id AND NOT "
    "(c.status = 'approved' AND c.hidden = 0)) ORDER BY v.participant_id, v.contribution_id";
const char SQL_LA_STATEMENTS[] =
    "SELECT c.id, c.body, p.audience, c.agree_count, c.disagree_count, c.pass_count "
    "FROM listen_contributions c JOIN listen_participants p ON p.id = c.participant_id "
    "WHERE c.exercise_id = $1 AND c.status = 'approved' AND c.hidden = 0 ORDER BY c.id";

/* ---- who each run placed in which opinion group (runs.c, run_groups.c, export.c) ---- */
const char SQL_LAG_DELETE[] = "DELETE FROM listen_analysis_groups WHERE run_id = $1";
const char SQL_LAG_INSERT[] =
    "INSERT INTO listen_analysis_groups (run_id, participant_id, group_no) VALUES ($1, $2, $3)";
const char SQL_LAG_READ[] = "SELECT participant_id, group_no FROM listen_analysis_groups "
                            "WHERE run_id = $1 ORDER BY participant_id";
/* The command line's run (run_now.c): claims run $4 itself when it is claimable, as
 * SQL_LA_CLAIM would, and reads a run's state. */
const char SQL_LA_CLAIM_ID[] =
    "UPDATE listen_analysis_runs SET status = 'running', started_at = $1, lease_until = $2, "
    "attempts = attempts + 1 WHERE id = $4 AND " LA_CLAIMABLE
    " RETURNING id, exercise_id, k, attempts";
const char SQL_LA_STATE[] = "SELECT status, result, error FROM listen_analysis_runs WHERE id = $1";

/* ---- the "What we heard" report ---- */
const char SQL_LR_GET[] =
    "SELECT run_id, published_at FROM listen_reports WHERE exercise_id = $1";
const char SQL_LR_PUBLISH[] =
    "INSERT INTO listen_reports (exercise_id, run_id, published_at, published_by) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (exercise_id) DO UPDATE SET run_id = $2, "
    "published_at = $3, published_by = $4, headline_json = '', edits_json = ''";
const char SQL_LR_UNPUBLISH[] = "DELETE FROM listen_reports WHERE exercise_id = $1";
const char SQL_LA_BY_ID[] =
    "SELECT id, status, k, contributions, votes, result, created_at, finished_at "
    "FROM listen_analysis_runs WHERE id = $1 AND exercise_id = $2 AND status = 'done'";
/* Who took part (contributed or voted), what they contributed and how they voted, by the
 * audience they gave: the report's headline numbers. */
const char SQL_LR_PEOPLE[] =
    "SELECT p.audience, COUNT(*) FROM listen_participants p WHERE p.exercise_id = $1 AND "
    "(EXISTS (SELECT 1 FROM listen_contributions c WHERE c.participant_id = p.id AND "
    "c.status = 'approved' AND c.hidden = 0) OR EXISTS (SELECT 1 FROM listen_votes v WHERE "
    "v.participant_id = p.id)) GROUP BY p.audience";
const char SQL_LR_CONTRIBUTIONS[] =
    "SELECT p.audience, COUNT(*) FROM listen_contributions c JOIN listen_participants p ON "
    "p.id = c.participant_id WHERE c.exercise_id = $1 AND c.status = 'approved' AND "
    "c.hidden = 0 GROUP BY p.audience";
const char SQL_LR_VOTES[] =
    "SELECT p.audience, COUNT(*) FROM listen_votes v JOIN listen_participants p ON "
    "p.id = v.participant_id WHERE p.exercise_id = $1 GROUP BY p.audience";
/* Open exercises with enough new activity since their latest analysis (or, never analysed,
 * enough activity at all), none waiting, and none failed in the last hour ($3: an hour ago),
 * so a failing analysis is not retried every half minute. The hour counts from the failure,
 * not the request: a run given up after its last attempt may have been queued long before.
 * "New" is counted as the latest finished run counted it: shown contributions, and votes on
 * them. */
#define LAST_DONE(col)                                                                         \
    "COALESCE((SELECT r." col " FROM listen_analysis_runs r WHERE r.exercise_id = e.id AND "   \
    "r.status = 'done' ORDER BY r.id DESC LIMIT 1), 0)"
const char SQL_LA_DUE[] =
    "SELECT e.id FROM listen_exercises e WHERE e.status = 'open' AND NOT EXISTS (SELECT 1 FROM "
    "listen_analysis_runs r WHERE r.exercise_id = e.id AND (r.status IN ('queued', 'running') "
    "OR (r.status = 'failed' AND r.finished_at > $3))) "
    "AND ((SELECT COUNT(*) FROM listen_contributions c WHERE c.exercise_id = e.id AND "
    "c.status = 'approved' AND c.hidden = 0) - " LAST_DONE("contributions") " >= $1 OR "
    "(SELECT COUNT(*) FROM listen_votes v JOIN listen_contributions c ON c.id = "
    "v.contribution_id WHERE c.exercise_id = e.id AND c.status = 'approved' AND c.hidden = 0) - "
    LAST_DONE("votes") " >= $2) ORDER BY e.id";

/* ---- theme edits (curation) ---- */
const char SQL_LE_LIST[] =
    "SELECT id, theme_key, label, hidden, split, merged_into, pins FROM listen_theme_edits "
    "WHERE exercise_id = $1 ORDER BY id";
const char SQL_LE_INSERT[] =
    "INSERT INTO listen_theme_edits (exercise_id, theme_key, label, hidden, split, merged_into, "
    "pins, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const char SQL_LE_UPDATE[] =
    "UPDATE listen_theme_edits SET theme_key = $3, label = $4, hidden = $5, split = $6, "
    "merged_into = $7, pins = $8, updated_by = $9, updated_at = $10 "
    "WHERE id = $1 AND exercise_id = $2";
/* for unshown.c: the exercise's contributions not shown (rejected, withdrawn, hidden,
 * waiting) with their text, and those redacted by hand with the words they had before; and
 * the text a quoted contribution has now */
const char SQL_LA_UNSHOWN[] =
    "SELECT id, body, COALESCE(original, ''), CASE WHEN status = 'approved' AND hidden = 0 "
    "THEN 1 ELSE 0 END FROM listen_contributions WHERE exercise_id = $1 AND "
    "(NOT (status = 'approved' AND hidden = 0) OR original IS NOT NULL)";
const char SQL_LA_DONE_RESULTS[] =
    "SELECT id, result FROM listen_analysis_runs WHERE exercise_id = $1 AND status = 'done' "
    "ORDER BY id";
const char SQL_LA_SET_RESULT[] =
    "UPDATE listen_analysis_runs SET result = $2 WHERE id = $1 AND exercise_id = $3";
const char SQL_LA_SHOWN_BODIES[] =
    "SELECT body FROM listen_contributions WHERE exercise_id = $1 AND status = 'approved' AND "
    "hidden = 0";
const char SQL_LA_BODY_NOW[] =
    "SELECT body FROM listen_contributions WHERE id = $1 AND exercise_id = $2";
const char SQL_LE_PIN_TEXT[] =
    "SELECT c.body FROM listen_contributions c WHERE c.id = $1 AND c.exercise_id = $2 AND "
    "c.status = 'approved' AND c.hidden = 0";
const char SQL_LA_RUNS[] =
    "SELECT id, status, k, contributions, votes, created_at, finished_at, "
    "COALESCE(requested_by, 0), lease_until, attempts, error FROM listen_analysis_runs "
    "WHERE exercise_id = $1 "
    "ORDER BY id DESC LIMIT 10";
const char SQL_LA_PREVIOUS[] =
    "SELECT id, result FROM listen_analysis_runs WHERE exercise_id = $1 AND status = 'done' "
    "AND id < $2 ORDER BY id DESC LIMIT 1";

/* ---- "You said, we did" actions (actions.c); listen_actions_exercise serves each ---- */
#define LACT_COLS "id, theme, what, who, status, due_at, created_at, updated_at, exercise_id "
const char SQL_LACT_INSERT[] =
    "INSERT INTO listen_actions (exercise_id, theme, what, who, status, due_at, created_by, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id";
const char SQL_LACT_UPDATE[] =
    "UPDATE listen_actions SET theme = $3, what = $4, who = $5, status = $6, due_at = $7, "
    "updated_at = $8 WHERE id = $1 AND exercise_id = $2";
const char SQL_LACT_SET_THEME[] =
    "UPDATE listen_actions SET theme = $3 WHERE id = $1 AND exercise_id = $2";
const char SQL_LACT_DELETE[] = "DELETE FROM listen_actions WHERE id = $1 AND exercise_id = $2";
const char SQL_LACT_GET[] =
    "SELECT " LACT_COLS "FROM listen_actions WHERE id = $1 AND exercise_id = $2";
const char SQL_LACT_LIST[] =
    "SELECT " LACT_COLS "FROM listen_actions WHERE exercise_id = $1 ORDER BY id";

/* ---- data rights: a member's copy and account deletion (listen/rights.c) ----
 * Each is served by the index on its user column (migrations/0015 and 0019). Only the
 * accountable links are here: nothing in Listen links a contribution or vote to anyone. */
const char SQL_LRIGHTS_CREATED[] =
    "SELECT slug, title, status, created_at FROM listen_exercises WHERE created_by = $1 "
    "ORDER BY created_at, id";
const char SQL_LRIGHTS_FACILITATES[] =
    "SELECT e.slug, e.title, e.status, f.added_at FROM listen_facilitators f "
    "JOIN listen_exercises e ON e.id = f.exercise_id WHERE f.user_id = $1 ORDER BY f.added_at, e.id";
const char SQL_LRIGHTS_MODERATED[] =
    "SELECT e.slug, m.action, m.reason, m.at FROM listen_moderation_log m "
    "JOIN listen_exercises e ON e.id = m.exercise_id WHERE m.moderator_id = $1 ORDER BY m.at, m.id";
const char SQL_LRIGHTS_ANALYSES[] =
    "SELECT e.slug, r.status, r.created_at FROM listen_analysis_runs r "
    "JOIN listen_exercises e ON e.id = r.exercise_id WHERE r.requested_by = $1 "
    "ORDER BY r.created_at, r.id";
const char SQL_LRIGHTS_ACTIONS[] =
    "SELECT e.slug, a.theme, a.what, a.who, a.status, a.due_at, a.created_at FROM listen_actions a "
    "JOIN listen_exercises e ON e.id = a.exercise_id WHERE a.created_by = $1 "
    "ORDER BY a.created_at, a.id";
const char SQL_LRIGHTS_REPORTS[] =
    "SELECT e.slug, r.published_at FROM listen_reports r "
    "JOIN listen_exercises e ON e.id = r.exercise_id WHERE r.published_by = $1 "
    "ORDER BY r.published_at, e.id";
const char SQL_LRIGHTS_THEME_EDITS[] =
    "SELECT e.slug, t.label, t.hidden, t.updated_at FROM listen_theme_edits t "
    "JOIN listen_exercises e ON e.id = t.exercise_id WHERE t.updated_by = $1 "
    "ORDER BY t.updated_at, t.id";
const char SQL_LRIGHTS_UNLINK_CREATED[] =
    "UPDATE listen_exercises SET created_by = NULL WHERE created_by = $1";
const char SQL_LRIGHTS_UNLINK_FACILITATES[] = "DELETE FROM listen_facilitators WHERE user_id = $1";
const char SQL_LRIGHTS_UNLINK_MODERATED[] =
    "UPDATE listen_moderation_log SET moderator_id = NULL WHERE moderator_id = $1";
const char SQL_LRIGHTS_UNLINK_ANALYSES[] =
    "UPDATE listen_analysis_runs SET requested_by = NULL WHERE requested_by = $1";
const char SQL_LRIGHTS_UNLINK_ACTIONS[] =
    "UPDATE listen_actions SET created_by = NULL WHERE created_by = $1";
const char SQL_LRIGHTS_UNLINK_REPORTS[] =
    "UPDATE listen_reports SET published_by = NULL WHERE published_by = $1";
const char SQL_LRIGHTS_UNLINK_THEME_EDITS[] =
    "UPDATE listen_theme_edits SET updated_by = NULL WHERE updated_by = $1";

/* ---- voting one statement at a time, and what was published (launch) ----
 * A statement is a shown contribution that is not a reply. The next one for a participant is
 * the first of their feed order that they neither wrote nor voted on; served, like the feed,
 * by listen_contributions_feed and the votes primary key. */
const char SQL_LC_NEXT[] =
    "SELECT " LC_COLS ", v.vote " LC_FROM
    "LEFT JOIN listen_votes v ON v.contribution_id = c.id AND v.participant_id = $2 "
    "WHERE c.exercise_id = $1 AND" LC_SHOWN "AND c.parent_id IS NULL "
    "AND c.participant_id <> $2 AND v.vote IS NULL "
    "ORDER BY c.vote_count, (c.id * $3) % 1000003, c.id LIMIT 1";
/* How many statements a participant may vote on, and on how many they have. */
const char SQL_LC_PROGRESS[] =
    "SELECT count(*), COALESCE(SUM(CASE WHEN v.vote IS NULL THEN 0 ELSE 1 END), 0) "
    "FROM listen_contributions c "
    "LEFT JOIN listen_votes v ON v.contribution_id = c.id AND v.participant_id = $2 "
    "WHERE c.exercise_id = $1 AND" LC_SHOWN "AND c.parent_id IS NULL AND c.participant_id <> $2";
/* A participant's votes on shown contributions, latest first (listen_votes_participant). */
const char SQL_LC_MY_VOTES[] =
    "SELECT " LC_COLS ", v.vote " LC_FROM
    "JOIN listen_votes v ON v.contribution_id = c.id AND v.participant_id = $2 "
    "WHERE c.exercise_id = $1 AND" LC_SHOWN "ORDER BY v.updated_at DESC, c.id DESC";
const char SQL_LV_DELETE[] =
    "DELETE FROM listen_votes WHERE contribution_id = $1 AND participant_id = $2";
/* Why people reported a contribution, oldest first (the flags' unique key serves it). */
const char SQL_LF_REASONS[] =
    "SELECT reason FROM listen_flags WHERE contribution_id = $1 ORDER BY created_at, id";
/* The exercises whose "What we heard" is published, for the list of exercises. */
const char SQL_LR_PUBLISHED_IDS[] = "SELECT exercise_id FROM listen_reports";
/* The themes fixed when the report was published, for "You said, we did". */
const char SQL_LR_THEMES[] = "SELECT themes_json FROM listen_reports WHERE exercise_id = $1";
const char SQL_LR_SET_THEMES[] = "UPDATE listen_reports SET themes_json = $2 WHERE exercise_id = $1";
/* The headline numbers fixed when the report was published (run $2); '' for one published
 * before they were kept, which its first reading fixes. Setting them takes only while they
 * are '' (publishing clears them) and the report is still that of run $3. */
const char SQL_LR_HEADLINE[] =
    "SELECT headline_json FROM listen_reports WHERE exercise_id = $1 AND run_id = $2";
const char SQL_LR_SET_HEADLINE[] = "UPDATE listen_reports SET headline_json = $2 WHERE "
                                   "exercise_id = $1 AND run_id = $3 AND headline_json = ''";
/* The facilitators' edits fixed when the report was published; '' for one published before
 * they were kept, which its first reading fixes. Setting them takes only while they are ''
 * (publishing clears them) and the report is still that of run $3. */
const char SQL_LR_EDITS[] = "SELECT edits_json FROM listen_reports WHERE exercise_id = $1";
const char SQL_LR_SET_EDITS[] = "UPDATE listen_reports SET edits_json = $2 WHERE "
                                "exercise_id = $1 AND run_id = $3 AND edits_json = ''";
