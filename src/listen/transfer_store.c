/* transfer_store.c: every SQL text of Listen imports and exports, named, in one place
 *
 * Imports only insert. The exercise insert skips a slug that is taken (ON CONFLICT DO
 * NOTHING, so no row comes back) instead of failing, because on PostgreSQL a failed
 * statement would abort the whole import transaction; the caller draws a new slug.
 *
 * Exports read one exercise: participants through UNIQUE (exercise_id, pseudonym), prompts
 * through UNIQUE (exercise_id, position), contributions through listen_contributions_feed
 * (exercise_id, status, …) and votes through that index joined to the votes' primary key
 * (contribution_id, participant_id). Exports are open data once an exercise is published, so
 * only shown contributions (LT_SHOWN: what the exercise page shows) and the votes on them
 * leave the database: a rejected contribution may name someone, and a pending one or one
 * hidden by flags has not been reviewed yet.
 */
#include "listen/transfer_store.h"

#define LT_SHOWN " c.status = 'approved' AND c.hidden = 0 "

const char SQL_LT_EXERCISE_INSERT[] =
    "INSERT INTO listen_exercises (slug, title, summary_md, opens_at, closes_at, status, "
    "moderation, created_by, created_at, updated_at, language) "
    "VALUES ($1, $2, $3, $4, $5, 'closed', 'post', $6, $7, $7, $8) "
    "ON CONFLICT (slug) DO NOTHING RETURNING id";
const char SQL_LT_PROMPT_INSERT[] =
    "INSERT INTO listen_prompts (exercise_id, position, text) VALUES ($1, $2, $3) RETURNING id";
const char SQL_LT_PARTICIPANT_INSERT[] =
    "INSERT INTO listen_participants (exercise_id, token_hash, pseudonym, audience, "
    "profession, region, created_at) VALUES ($1, NULL, $2, $3, $4, $5, $6) RETURNING id";
const char SQL_LT_CONTRIBUTION_INSERT[] =
    "INSERT INTO listen_contributions (exercise_id, prompt_id, participant_id, body, original, "
    "redactions, status, vote_count, agree_count, disagree_count, pass_count, source_id, "
    "created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id";
const char SQL_LT_VOTE_INSERT[] =
    "INSERT INTO listen_votes (contribution_id, participant_id, vote, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5)";

const char SQL_LT_EXERCISE[] =
    "SELECT slug, title, summary_md, audiences, status, moderation, opens_at, closes_at, "
    "created_at, language FROM listen_exercises WHERE id = $1";
const char SQL_LT_PROMPTS[] =
    "SELECT id, position, text FROM listen_prompts WHERE exercise_id = $1 ORDER BY position";
/* Everyone with something in the files (transfer.h): who wrote something shown, or voted on
 * it; the facilitators' copy (_ALL) also has the votes on what is not shown. Who only wrote
 * what is not shown is in neither: its author-id is blank. */
#define LT_WROTE_SHOWN                                                                         \
    "EXISTS (SELECT 1 FROM listen_contributions c WHERE c.participant_id = p.id AND" LT_SHOWN ")"
const char SQL_LT_PARTICIPANTS[] =
    "SELECT id, pseudonym, audience, profession, region FROM listen_participants p "
    "WHERE p.exercise_id = $1 AND (" LT_WROTE_SHOWN " OR EXISTS (SELECT 1 FROM listen_votes v "
    "JOIN listen_contributions c ON c.id = v.contribution_id WHERE v.participant_id = p.id "
    "AND" LT_SHOWN ")) ORDER BY id";
/* A vote the facilitators' copy holds: any, except its author's own vote on a contribution
 * that is not shown (Pol.is records one on every comment, so it would name the author the
 * blank author-id hides). v and c are the vote and its contribution. */
#define LT_NOT_OWN_UNSHOWN "NOT (v.participant_id = c.participant_id AND NOT (" LT_SHOWN "))"
const char SQL_LT_PARTICIPANTS_ALL[] =
    "SELECT id, pseudonym, audience, profession, region FROM listen_participants p "
    "WHERE p.exercise_id = $1 AND (" LT_WROTE_SHOWN " OR EXISTS (SELECT 1 FROM listen_votes v "
    "JOIN listen_contributions c ON c.id = v.contribution_id WHERE v.participant_id = p.id "
    "AND " LT_NOT_OWN_UNSHOWN ")) ORDER BY id";
const char SQL_LT_CONTRIBUTIONS[] =
    "SELECT id, COALESCE(prompt_id, 0), COALESCE(parent_id, 0), participant_id, body, "
    "redactions, status, hidden, source_id, created_at, updated_at "
    "FROM listen_contributions c WHERE c.exercise_id = $1 AND" LT_SHOWN "ORDER BY id";
/* The facilitators' copy (transfer.h): also every contribution that is not shown but has
 * votes, with its text and redactions left out, and every vote, except the author's own (see
 * LT_NOT_OWN_UNSHOWN). */
const char SQL_LT_CONTRIBUTIONS_ALL[] =
    "SELECT id, COALESCE(prompt_id, 0), COALESCE(parent_id, 0), participant_id, "
    "CASE WHEN" LT_SHOWN "THEN body ELSE '' END, CASE WHEN" LT_SHOWN "THEN redactions ELSE '' "
    "END, status, hidden, source_id, created_at, updated_at "
    "FROM listen_contributions c WHERE c.exercise_id = $1 AND (" LT_SHOWN "OR EXISTS "
    "(SELECT 1 FROM listen_votes v WHERE v.contribution_id = c.id AND " LT_NOT_OWN_UNSHOWN
    ")) ORDER BY id";
const char SQL_LT_VOTES_ALL[] =
    "SELECT v.contribution_id, v.participant_id, v.vote, v.created_at, v.updated_at "
    "FROM listen_votes v JOIN listen_contributions c ON c.id = v.contribution_id "
    "WHERE c.exercise_id = $1 AND " LT_NOT_OWN_UNSHOWN;
const char SQL_LT_VOTES[] =
    "SELECT v.contribution_id, v.participant_id, v.vote, v.created_at, v.updated_at "
    "FROM listen_votes v JOIN listen_contributions c ON c.id = v.contribution_id "
    "WHERE c.exercise_id = $1 AND" LT_SHOWN;
