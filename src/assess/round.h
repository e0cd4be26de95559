/* round.h: assessments in the database — instrument versions, rounds, invitation links and
 * responses (domain code; no HTTP)
 *
 * A round pins one instrument version. A respondent starts a response and gets a random
 * 256-bit resume token (kept by the browser in a cookie scoped to the round and shown as a
 * resume link); only its BLAKE2b hash is stored. In a named round the response also records
 * the account, so the member finds it again from any device; in an anonymous round nothing
 * links it to an account, even when the respondent is logged in. An invitation link belongs
 * to one organisation: a response started from it is attributed to that organisation and to
 * no person.
 */
#ifndef AHP_ASSESS_ROUND_H
#define AHP_ASSESS_ROUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess/assess.h"

struct arena;
struct db;

#define ASSESS_TOKEN_HEX 65 /* 64 hex characters and a NUL */

/* ---- instrument versions (versions.c) ---- */
struct assess_version_info {
    int64_t id;
    const char *code, *title, *audience, *method;
    int version;
    int64_t created_at;
    int64_t rounds; /* rounds that use this version */
};
/* Parses and stores json as the next version of its code (version 1 when new). On
 * APP_E_INVALID *why says what is wrong (arena). *id and *version receive the new row. */
int assess_version_save(struct db *db, struct arena *a, const char *json, size_t len,
                        int64_t created_by, int64_t *id, int *version, const char **why);
/* Parsed instrument versions kept between requests; one per process, held by struct app and
 * freed by app_free() once no request runs. Thread-safe. */
struct assess_version_cache;
int assess_version_cache_new(struct assess_version_cache **out);
void assess_version_cache_free(struct assess_version_cache *cache);
/* Loads and parses one stored version (APP_E_NOTFOUND). With a cache (may be NULL), a parsed
 * version is kept there: *out then points into that shared, read-only copy rather than into
 * a (which is used only when the copy cannot be kept). */
int assess_version_load(struct db *db, struct assess_version_cache *cache, struct arena *a,
                        int64_t id, struct assess_instrument *out);
/* The stored JSON of a version (for export), in the arena. */
int assess_version_json(struct db *db, struct arena *a, int64_t id, const char **json);
/* The latest version of every instrument, by title. */
int assess_version_latest(struct db *db, struct arena *a, struct assess_version_info **out,
                          size_t *n);
/* Every version of one code, newest first. */
int assess_version_history(struct db *db, struct arena *a, const char *code,
                           struct assess_version_info **out, size_t *n);
/* Stores each instrument shipped in data/instruments/ whose code is not stored yet. Run at
 * start and by `ahphub demo`; idempotent. */
int assess_version_seed(struct db *db);

/* ---- rounds (round.c) ---- */
enum assess_round_state { ARS_UPCOMING, ARS_OPEN, ARS_CLOSED };

struct assess_round {
    int64_t id;
    const char *slug, *title;
    int64_t instrument_id;
    const char *instrument_code, *instrument_title;
    int instrument_version;
    const char *audience; /* individual, team, organisation */
    bool anonymous;
    int64_t organisation_id; /* 0: a national round */
    const char *organisation_name;
    int64_t opens_at, closes_at; /* 0: no limit */
    int64_t created_at;
    int64_t started, submitted; /* responses; -1 until assess_round_count() */
};

struct assess_round_input {
    const char *title;
    int64_t instrument_id;
    const char *audience;
    bool anonymous;
    int64_t organisation_id;
    int64_t opens_at, closes_at;
};

enum assess_round_state assess_round_state(const struct assess_round *r, int64_t now);
const char *assess_round_state_name(enum assess_round_state s); /* "upcoming", "open", … */
/* Creates a round (APP_E_INVALID for a missing title, an unknown instrument or audience, or
 * closing before opening). */
int assess_round_create(struct db *db, struct arena *a, const struct assess_round_input *in,
                        int64_t created_by, int64_t *id, const char **slug);
/* Changes the title and dates (the instrument and mode are fixed once a round exists). A round
 * closed by now keeps its closing time whatever closes_at says: it is never reopened, since its
 * figures have been published (publish.h). */
int assess_round_update(struct db *db, int64_t id, const char *title, int64_t opens_at,
                        int64_t closes_at, int64_t now);
/* Closes the round now: no more answers. */
int assess_round_close(struct db *db, int64_t id, int64_t now);
int assess_round_get(struct db *db, struct arena *a, const char *slug, struct assess_round *out);
int assess_round_get_id(struct db *db, struct arena *a, int64_t id, struct assess_round *out);
/* Fills r->started and r->submitted (reads the round's index entries: not for every page). */
int assess_round_count(struct db *db, struct assess_round *r);
/* Every round, newest first (counts not filled). */
int assess_round_list(struct db *db, struct arena *a, struct assess_round **out, size_t *n);
/* The rounds user_id created, newest first (counts not filled). */
int assess_round_list_created(struct db *db, struct arena *a, int64_t user_id,
                              struct assess_round **out, size_t *n);

/* A round a member answered under their name, and where their answers stand. */
struct assess_answered {
    struct assess_round round;
    int64_t started_at, updated_at, submitted_at; /* submitted_at 0: still in progress */
};
/* The rounds user_id answered under their name, most recently changed first. Anonymous
 * rounds store no user id, so they cannot be listed for anyone. */
int assess_round_list_answered(struct db *db, struct arena *a, int64_t user_id,
                               struct assess_answered **out, size_t *n);

/* ---- invitation links (round.c) ---- */
struct assess_invitation {
    int64_t id, organisation_id;
    const char *organisation_name, *code;
    int64_t started, submitted;
};
/* The link for one organisation, made on first request (idempotent). */
int assess_invitation_make(struct db *db, struct arena *a, int64_t round_id,
                           int64_t organisation_id, const char **code);
int assess_invitation_list(struct db *db, struct arena *a, int64_t round_id,
                           struct assess_invitation **out, size_t *n);
/* The invitation of a round with this code (APP_E_NOTFOUND). */
int assess_invitation_find(struct db *db, struct arena *a, int64_t round_id, const char *code,
                           struct assess_invitation *out);

/* ---- responses (response.c) ---- */
struct assess_response {
    int64_t id, round_id, instrument_id, user_id, organisation_id, invitation_id;
    const char *organisation_name;
    const char *profession, *region, *band; /* codes, "" when not given */
    const char *answers;
    int64_t started_at, updated_at, submitted_at;
};

struct assess_about {
    const char *profession, *region, *band; /* codes or NULL/"" */
    int64_t organisation_id;                /* 0: not given */
};

/* Starts a response to an open round (APP_E_CONFLICT when it is not open). user_id is stored
 * only for named rounds; a named round needs one (APP_E_FORBIDDEN). The token for the cookie
 * and resume link is written to token_out. */
int assess_response_start(struct db *db, const struct assess_round *r,
                          const struct assess_instrument *ins, int64_t user_id,
                          int64_t invitation_id, const struct assess_about *about,
                          char token_out[ASSESS_TOKEN_HEX], int64_t *id);
/* The response of a round with this resume token (APP_E_NOTFOUND). */
int assess_response_by_token(struct db *db, struct arena *a, int64_t round_id, const char *token,
                             struct assess_response *out);
/* A named round's latest response by this member (APP_E_NOTFOUND). */
int assess_response_by_user(struct db *db, struct arena *a, int64_t round_id, int64_t user_id,
                            struct assess_response *out);
/* Replaces the answers (checked against the instrument) of a response still in progress in
 * an open round: APP_E_CONFLICT once submitted or closed, APP_E_INVALID for bad answers. */
int assess_response_save(struct db *db, const struct assess_round *r,
                         const struct assess_instrument *ins, int64_t id, const char *answers,
                         int64_t now);
/* Submits: APP_E_CONFLICT when already submitted or the round is not open. */
int assess_response_submit(struct db *db, const struct assess_round *r, int64_t id, int64_t now);
/* Every submitted response of a round (for benchmarks and exports), oldest first. */
int assess_response_submitted(struct db *db, struct arena *a, int64_t round_id,
                              struct assess_response **out, size_t *n);

#endif
