/* listen.h: anonymous listening exercises — exercises, participants, contributions, votes,
 * flags and moderation (domain code; no HTTP)
 *
 * A participant is a random 256-bit token held in a cookie scoped to one exercise; only its
 * BLAKE2b hash is stored, with an optional self-described audience, profession and region.
 * Contributions are redacted (src/text/redact.h) before they are stored for showing; the
 * original is kept for moderators only until the exercise is published. Nothing here knows
 * an account, an email or a network address of a contributor.
 */
#ifndef AHP_LISTEN_H
#define AHP_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct arena;
struct db;
struct db_stmt;

#define LISTEN_TEXT_MAX 2000  /* characters in a contribution */
#define LISTEN_PAGE 10        /* contributions per page of the feed */
#define LISTEN_TOKEN_HEX 65

enum listen_status { LS_DRAFT, LS_OPEN, LS_CLOSED, LS_PUBLISHED };
/* Where a contribution stands; stored as its name ("pending", …). Shown means approved and
 * not hidden. */
enum listen_cstatus { LCS_PENDING, LCS_APPROVED, LCS_REJECTED, LCS_WITHDRAWN };
/* What a moderator decides about one contribution; logged as its name ("approve", …). */
enum listen_decision { LD_APPROVE, LD_REJECT, LD_REDACT, LD_RESTORE };

struct listen_prompt {
    int64_t id;
    int position;
    const char *text;
};

struct listen_exercise {
    int64_t id;
    const char *slug, *title, *summary_md;
    const char *audiences; /* comma list of citizen, ahp, staff */
    int64_t opens_at, closes_at;
    enum listen_status status;
    bool pre_moderation;
    int flag_threshold;
    int64_t created_at;
    const char *language; /* BCP 47 tag, canonical ("en", "de-AT"): text/language.h */
    bool managed; /* listen_exercise_list_managed only: the user is one of its facilitators */
    int64_t waiting; /* listen_exercise_list_facilitated only: contributions to moderate */
    struct listen_prompt *prompts;
    size_t nprompts;
};

struct listen_participant {
    int64_t id;
    const char *pseudonym;
    const char *audience, *profession, *region;
};

struct listen_contribution {
    int64_t id, prompt_id, parent_id, participant_id;
    const char *body;
    const char *original;   /* moderators only; NULL when nothing was redacted or purged */
    const char *redactions; /* "email address,postcode" */
    enum listen_cstatus status;
    bool hidden, reviewed, mine;
    const char *hold_reason, *reject_reason;
    const char *audience; /* the author's self-described audience, or "" */
    int flags, votes, agrees, disagrees, passes;
    bool voted;  /* this participant has voted on it: my_vote says how */
    int my_vote; /* 1 agree, -1 disagree, 0 pass (when voted), else 0 */
    int64_t created_at;
};

/* ---- an exercise's facilitators (exercise.c) ----
 * The facilitators of an exercise manage it: its settings, status, moderation (with the
 * originals of redacted text), analysis, curation, actions, report and exports. Its creator or
 * importer is the first; they add others by email. Admins manage every exercise without being
 * listed. An exercise always keeps at least one facilitator. */
struct listen_facilitator {
    int64_t user_id;
    const char *email, *display_name; /* in the caller's arena */
};
/* *out is true when user_id is one of the exercise's facilitators. */
int listen_facilitator_is(struct db *db, int64_t exercise_id, int64_t user_id, bool *out);
/* The exercise's facilitators, first added first; *out in a. */
int listen_facilitator_list(struct db *db, struct arena *a, int64_t exercise_id,
                            struct listen_facilitator **out, size_t *n);
/* Records the first facilitator of a new exercise, inside its creator's transaction. */
int listen_facilitator_first(struct db *db, int64_t exercise_id, int64_t user_id, int64_t now);
/* Adds the account with this email, exactly as the account has it. APP_E_NOTFOUND: no such account;
 * APP_E_INVALID: the account is a member, not a facilitator or admin; APP_E_CONFLICT: already
 * one of the exercise's facilitators. */
int listen_facilitator_add(struct db *db, int64_t exercise_id, const char *email);
/* Removes one. APP_E_NOTFOUND: not one of them; APP_E_CONFLICT: the last one. */
int listen_facilitator_remove(struct db *db, int64_t exercise_id, int64_t user_id);

/* ---- names (exercise.c) ---- */
const char *listen_status_name(enum listen_status s);
int listen_status_parse(const char *s, enum listen_status *out);
const char *listen_cstatus_name(enum listen_cstatus s);
int listen_cstatus_parse(const char *s, enum listen_cstatus *out);
const char *listen_decision_name(enum listen_decision d);
int listen_decision_parse(const char *s, enum listen_decision *out); /* APP_E_INVALID */
/* "Member of the public", "Allied health professional", "Other health and care staff", or NULL. */
const char *listen_audience_name(const char *code);
/* The English name of a language tag's language ("de-AT" -> "German"; NULL -> "English");
 * the tag itself when text/language.h does not know it. */
const char *listen_language_name(const char *tag);

/* ---- exercises (exercise.c) ---- */
/* What a facilitator edits. prompts is a list of non-empty lines, in order. */
struct listen_exercise_input {
    const char *title, *summary_md, *audiences;
    const char *language; /* canonical BCP 47 tag (language_canonical); NULL: "en" */
    int64_t opens_at, closes_at;
    bool pre_moderation;
    int flag_threshold;
    const char *const *prompts;
    size_t nprompts;
};
int listen_exercise_create(struct db *db, const struct listen_exercise_input *in,
                           int64_t created_by, int64_t *id, const char **slug_out,
                           struct arena *a);
/* Replaces title, summary, settings and prompts. Prompts keep their ids where the text at a
 * position is unchanged; prompts that have contributions cannot be removed (APP_E_CONFLICT). */
int listen_exercise_update(struct db *db, int64_t id, const struct listen_exercise_input *in);
/* Loads an exercise and its prompts by slug; APP_E_NOTFOUND when absent. */
int listen_exercise_get(struct db *db, struct arena *a, const char *slug,
                        struct listen_exercise *out);
int listen_exercise_get_id(struct db *db, struct arena *a, int64_t id,
                           struct listen_exercise *out);
/* Only its language (the analysis needs no more); *out in a. APP_E_NOTFOUND when absent. */
int listen_exercise_language(struct db *db, struct arena *a, int64_t id, const char **out);
/* Exercises visible to the public (open, closed, published) or, with all, every one. */
int listen_exercise_list(struct db *db, struct arena *a, bool all, struct listen_exercise **out,
                         size_t *n);
/* Public exercises and the drafts that user_id is one of the facilitators of, theirs first
 * (marked managed). */
int listen_exercise_list_managed(struct db *db, struct arena *a, int64_t user_id,
                                 struct listen_exercise **out, size_t *n);
/* Only the exercises user_id facilitates, open ones first, each with .waiting filled. */
int listen_exercise_list_facilitated(struct db *db, struct arena *a, int64_t user_id,
                                     struct listen_exercise **out, size_t *n);
/* Moves draft → open → closed → published (closed ↔ open allowed; published is final).
 * Publishing purges the originals of redacted contributions. APP_E_CONFLICT otherwise. */
int listen_exercise_set_status(struct db *db, int64_t id, enum listen_status to,
                               int64_t moderator);
/* True when the exercise takes contributions, votes and flags at time now. */
bool listen_exercise_accepting(const struct listen_exercise *e, int64_t now);
/* The same question asked of the database, inside the transaction that writes a contribution,
 * vote or flag (APP_E_INTERNAL outside one): APP_OK when exercise id takes part at time now,
 * APP_E_CLOSED when it does not (it closed, or was edited, after the caller's copy was read).
 * On PostgreSQL it holds the exercise's row shared until commit, so a close waits for the
 * write and the write never lands after the close; take it before the participant's and the
 * contribution's row locks, as every writer there does. */
int listen_exercise_taking(struct db *db, int64_t id, int64_t now);

/* ---- participants (participant.c) ---- */
/* The participant for a cookie token, or APP_E_NOTFOUND. */
int listen_participant_find(struct db *db, struct arena *a, int64_t exercise_id,
                            const char *token, struct listen_participant *out);
/* A new participant with a new token (written to token_out, for the cookie). */
int listen_participant_create(struct db *db, int64_t exercise_id, const char *audience,
                              const char *profession, const char *region,
                              char token_out[LISTEN_TOKEN_HEX], int64_t *id);
int listen_participant_describe(struct db *db, int64_t id, const char *audience,
                                const char *profession, const char *region);

/* ---- contributions (contribution.c) ---- */
/* Adds a contribution (or a reply, parent_id > 0) after redaction and the hold-word check.
 * *status_out says whether it is shown (LCS_APPROVED) or waits for review (LCS_PENDING).
 * APP_E_INVALID (empty, too long, unknown prompt or parent), APP_E_CLOSED (the exercise is
 * not taking part, in e or, asked again in the transaction, in the database), APP_E_LIMIT
 * (the participant posted per_minute times this minute; see listen_rate_take, 0 for no
 * limit). */
int listen_contribute(struct db *db, const struct listen_exercise *e, int64_t participant,
                      int64_t prompt_id, int64_t parent_id, const char *text, int per_minute,
                      int64_t *id, enum listen_cstatus *status_out);
/* Reads the current row of a query that selects LC_COLS (src/listen/store.c), optionally
 * followed by the participant's vote (NULL for none), into *c; strings in a. mine is set when
 * participant (0: nobody) wrote it. APP_E_NOMEM when a copy fails. */
int listen_contribution_row(struct db_stmt *st, struct arena *a, int64_t participant,
                            struct listen_contribution *c);
/* The feed for a participant (0 for none): shown contributions, the ones they have not voted
 * on first, then fewest votes first, in an order shuffled per participant (seed). */
int listen_feed(struct db *db, struct arena *a, int64_t exercise_id, int64_t prompt_id,
                int64_t participant, int64_t seed, int offset, int limit,
                struct listen_contribution **out, size_t *n, int64_t *total);
/* Shown replies to a contribution, oldest first. */
int listen_replies(struct db *db, struct arena *a, int64_t parent, int64_t participant,
                   struct listen_contribution **out, size_t *n);
/* A participant's own contributions, every status but withdrawn. */
int listen_mine(struct db *db, struct arena *a, int64_t exercise_id, int64_t participant,
                struct listen_contribution **out, size_t *n);
/* Withdraws one of the participant's own contributions (APP_E_NOTFOUND otherwise). */
int listen_withdraw(struct db *db, int64_t participant, int64_t contribution);

/* ---- one statement at a time (contribution.c) ----
 * A statement is a shown contribution that is not a reply; a participant votes on those that
 * others wrote. */
/* The participant's next statement: the first of their feed order (seed as for listen_feed)
 * that they have not voted on. *found is false when none is left. */
int listen_statement_next(struct db *db, struct arena *a, int64_t exercise_id,
                          int64_t participant, int64_t seed, struct listen_contribution *out,
                          bool *found);
/* One statement of exercise e with the participant's vote; APP_E_NOTFOUND when it is not a
 * shown statement of e, or the participant wrote it. */
int listen_statement_get(struct db *db, struct arena *a, const struct listen_exercise *e,
                         int64_t participant, int64_t id, struct listen_contribution *out);
/* How many statements the participant may vote on (*total) and has voted on (*voted). */
int listen_vote_progress(struct db *db, int64_t exercise_id, int64_t participant,
                         int64_t *voted, int64_t *total);
/* The shown contributions the participant voted on, latest vote first (*out in a). */
int listen_my_votes(struct db *db, struct arena *a, int64_t exercise_id, int64_t participant,
                    struct listen_contribution **out, size_t *n);

/* ---- votes and flags (vote.c) ---- */
/* Sets the participant's vote (-1, 0, 1) on a shown contribution, replacing an earlier one.
 * APP_E_FORBIDDEN on one's own contribution, APP_E_NOTFOUND when not shown, APP_E_CLOSED when
 * the exercise is not taking part (in e, or in the database when the vote is written),
 * APP_E_LIMIT when the participant voted per_minute times this minute (a changed vote counts
 * as a vote; 0 for no limit). */
int listen_vote(struct db *db, const struct listen_exercise *e, int64_t participant,
                int64_t contribution, int vote, int per_minute);
/* Takes back the participant's vote on a shown contribution, in one transaction with the
 * counters, as listen_vote sets one; *was (may be NULL) receives the vote taken back.
 * APP_E_NOTFOUND when there was no vote (or the contribution is not shown), APP_E_CLOSED
 * when the exercise is not taking part, APP_E_LIMIT as for listen_vote (an undo counts). */
int listen_vote_undo(struct db *db, const struct listen_exercise *e, int64_t participant,
                     int64_t contribution, int per_minute, int *was);
/* Flags a shown contribution once per participant; at the exercise's threshold an
 * unreviewed contribution is hidden until a moderator looks at it. APP_E_CLOSED and
 * APP_E_LIMIT as for listen_vote (a repeated flag counts too). */
int listen_flag(struct db *db, const struct listen_exercise *e, int64_t participant,
                int64_t contribution, const char *reason, int per_minute);

/* ---- moderation (moderation.c) ---- */
struct listen_queue_counts {
    int64_t pending, hidden, flagged, approved, rejected, withdrawn;
};
/* filter: "review" (pending or hidden), "flagged", "approved", "rejected", "all". */
int listen_queue(struct db *db, struct arena *a, int64_t exercise_id, const char *filter,
                 int offset, int limit, struct listen_contribution **out, size_t *n,
                 int64_t *total, struct listen_queue_counts *counts);
/* action: approve, reject (reason required), redact (text = new body), restore. Logged. */
int listen_moderate(struct db *db, int64_t exercise_id, int64_t contribution,
                    int64_t moderator, enum listen_decision action, const char *reason,
                    const char *text);
/* Whether contribution names a contribution of the exercise, whatever its status (*found);
 * a moderator's pick of an id that names none is a mistake to be told about, not a
 * contribution that has gone. */
int listen_contribution_of(struct db *db, int64_t exercise_id, int64_t contribution, bool *found);
/* The same decision (approve, or reject with a reason) on several contributions of the
 * exercise, in one transaction: all are decided and logged, or none (APP_E_NOTFOUND when one
 * of them is not a contribution of the exercise that can be decided). */
int listen_moderate_many(struct db *db, int64_t exercise_id, const int64_t *ids, size_t n,
                         int64_t moderator, enum listen_decision action, const char *reason);
/* Why people reported a contribution, oldest first (*out in a). */
int listen_flag_reasons(struct db *db, struct arena *a, int64_t contribution,
                        const char ***out, size_t *n);
/* The hold-word list (lower case). */
int listen_hold_words(struct db *db, struct arena *a, const char ***out, size_t *n);
/* Adds a word to the list, or removes it, as actor: APP_E_FORBIDDEN unless actor is still an
 * active admin when the change is made (0: the command line); APP_E_INVALID for an empty word,
 * one over 60 characters or one with control characters. */
int listen_hold_word_change(struct db *db, int64_t actor, const char *word, bool remove);
/* True when text contains a hold word as a whole word (case-insensitive). */
bool listen_text_held(const char *text, const char *const *words, size_t n);

/* ---- rate limits (ratelimit.c) ---- */
/* Counts one action ("post", "vote" or "flag") of the participant at time now, or refuses it
 * with APP_E_LIMIT when per_minute of that kind were already counted in the participant's
 * current one-minute window. Must run inside the transaction that writes the action (else
 * APP_E_INTERNAL), before any other row lock it takes: it locks the participant's row until
 * the commit, so that participant's concurrent requests run one after the other, and a
 * rollback takes the count back. per_minute <= 0 counts nothing (data the program writes
 * itself). APP_E_NOTFOUND when there is no such participant. */
int listen_rate_take(struct db *db, int64_t participant, const char *action, int per_minute,
                     int64_t now);
/* The per-network-client counts of one server process (a fixed table of one-minute
 * windows), owned by struct app: listen_client_limits_free() releases it (NULL allowed). */
struct listen_client_limits;
int listen_client_limits_new(struct listen_client_limits **out);
void listen_client_limits_free(struct listen_client_limits *l);
/* Counts one action by a network client in memory: the address is used only as a keyed hash
 * that never leaves this process. Returns false when the client is over the limit. */
bool listen_rate_client(struct listen_client_limits *l, const unsigned char key[16],
                        const char *action, int per_minute);

/* ---- view models (pages.c helpers, shared with exports) ---- */
json_t *listen_contribution_json(const struct listen_contribution *c, bool moderator);

#endif
