/* analysis.h: themes of a set of free-text answers, and analysis runs and their results */
#ifndef AHP_LISTEN_ANALYSIS_H
#define AHP_LISTEN_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct arena;
struct db;
struct text_span;
struct themes_result;

/* An analysis run's result, as the worker stores it (listen_analysis_runs.result) and the
 * curation, report and pages read it. The stored form is JSON (listen_analysis_json, read
 * back by listen_analysis_parse); in memory it is these structs, all strings and arrays in
 * one arena, so a result dies with the arena it was parsed or built into (the request's, or
 * the run's).
 *
 * Every count of people or contributions here is the published text the disclosure rule
 * gave when the run was made ("*", "0", "1,235"): it is carried, never recounted, so
 * reading and writing a document cannot change what it discloses. A NULL string or list
 * means the field is absent: documents of older runs lack fields added since, and are
 * written back without them (numbers and flags are always written, 0 and false when they
 * were absent). */

/* A list of strings; v is NULL when the list is absent from the document. */
struct listen_strs {
    const char **v;
    size_t n;
};

/* One contribution of a theme, as curation counts a merged theme again from its members. */
struct listen_member {
    int64_t id;
    int64_t audience; /* 0 citizen, 1 AHP, 2 other staff, 3 did not say */
    int64_t agree, disagree, pass;
    /* its weight for the theme (the fit's NMF weight: comparable within one run only), or
     * -1 when absent: runs older than this field stored [id, audience, agree, disagree,
     * pass], later ones add the weight as a sixth item (themes.csv exports it) */
    double weight;
};

enum { LISTEN_AUDIENCES = 4 }; /* citizen, ahp, staff, not_said: by_audience's cells */

struct listen_pin {
    int64_t id;
    const char *text;
};

struct listen_theme {
    const char *label;
    struct listen_strs terms; /* top stems' surface forms and bigrams */
    const char *size;         /* published count of its contributions */
    double coherence;
    struct listen_strs representatives; /* redacted texts, strongest first */
    const char *terms_text;             /* "waiting, lists, long" */
    int64_t *representative_ids;        /* contribution ids of the representatives */
    size_t nrepresentative_ids;         /* absent when representative_ids is NULL */
    struct listen_member *members;      /* NULL when absent */
    size_t nmembers;
    struct listen_strs key;                    /* its first terms, to find it in a later run */
    const char *by_audience[LISTEN_AUDIENCES]; /* published counts, NULL when absent */
    const char *agree_percent;                 /* "" when too few votes say anything */
    bool agree_hidden;
    const char *votes; /* published count of votes cast on it */
    struct listen_strs quotes_citizens, quotes_professionals;
    const char *split_from; /* label of the theme it was split from, or NULL */
    /* Set by listen_curation_apply (curation.h), never stored: written, and read back, only
     * when curated is true. */
    bool curated;
    bool edited, hidden, split_requested;
    const char *computed_label; /* the analysis's own label when renamed, else NULL */
    const char *merged_into;    /* label of the theme it was merged into, or NULL */
    struct listen_pin *pinned;  /* contributions pinned as its leading quotes */
    size_t npinned;
};

struct listen_opinion_statement {
    const char *text;
    bool agree;  /* the group mostly agrees (else mostly disagrees) */
    int percent; /* of the group who voted on it, the share voting that way (not Pol.is's
                  * smoothed (A+1)/(N+2), which ranks statements but is no one's share) */
    /* of everyone else (the other people placed on the map) voting that way, so a reader sees
     * what sets the group apart ("this group 88%, everyone else 31%"); -1 when fewer than 8 of
     * them saw the statement (suppressed, as a mean over 1-7 people is) or the run is older
     * than this figure */
    int percent_rest;
};

struct listen_opinion_group {
    int number;       /* 1-based, as shown */
    const char *size; /* published count of its people */
    struct listen_opinion_statement *statements;
    size_t nstatements;
};

/* One person on the opinion map (no id), in a group large enough to be shown. */
struct listen_map_point {
    double x, y;
    int group; /* 1-based */
};

/* A participant's opinion group in a run: group_no is 0-based, Pol.is's group-id; pages show
 * group_no + 1 ("Group 1" is group_no 0, the listen_opinion_group whose number is 1). */
struct listen_group_member {
    int64_t participant_id; /* listen_participants.id: pseudonymous, never an account */
    int group_no;
};

struct listen_opinion {
    const char *participants; /* published count */
    struct listen_opinion_group *groups;
    size_t ngroups;
    struct listen_strs consensus; /* statements every group agrees on */
    bool has_groups;
    struct listen_map_point *map;
    size_t nmap;
    /* Who the run placed in which group, by participant id ascending: set by the run when it
     * found two groups or more (else NULL), written to listen_analysis_groups with the run's
     * result, never into the document (which names nobody). */
    struct listen_group_member *grouped;
    size_t ngrouped;
    /* The state the next run carries on from (text/opinion_carry.h): the number of groups,
     * and a different number that has been clearly better in the latest runs and in how many
     * of them. Stored in the document as "carry"; has_carry is false for documents of runs
     * made before it was kept, and the next run then starts afresh. */
    bool has_carry;
    uint32_t carry_k, carry_cand_k, carry_cand_runs;
};

struct listen_analysis {
    int64_t documents, k,
        terms; /* contributions analysed, themes asked (0 automatic), vocabulary */
    double coherence, reconstruction_error;
    struct listen_theme *themes;
    size_t nthemes;
    struct listen_opinion *opinion; /* NULL when there were no votes to group */
    const char *contributions;      /* published count, NULL when absent */
    const char *language; /* BCP 47 tag the words were read in (the exercise's language when
                           * the run was made); NULL in documents stored before it was kept */
};

/* Words taken back, folded as text/tokenise.h folds them, sorted (strcmp). */
struct listen_gone_words {
    const char **v;
    size_t n;
};

/* The words of strings[0..n) that were taken back from the exercise: each is a word of a
 * contribution not shown now, or of the words a redaction replaced, and of no contribution
 * shown now. A label made from such words before they were taken back would otherwise go on
 * showing them. *out is in a (n 0 when there is none). 0, or a database error, or
 * APP_E_NOMEM. */
int listen_words_taken_back(struct db *db, struct arena *a, int64_t exercise_id,
                            const char *const *strings, size_t n, struct listen_gone_words *out);

/* s with every space-separated word holding a word of g replaced by "[word removed]" (a comma
 * after it kept); s itself when none is, and NULL for NULL or out of memory. */
const char *listen_words_scrub(struct arena *a, const struct listen_gone_words *g, const char *s);

/* True when scrubbed is label as listen_words_scrub could have written it: the same but for
 * whole space-separated words read "[word removed]" (a comma the scrub kept still matching).
 * An action linked to a theme while a word of its label was taken back keeps the scrubbed
 * label; once the word is back this finds the theme it belongs to. */
bool listen_words_scrubbed_from(const char *scrubbed, const char *label);

/* Leaves out of r every quote of a contribution of the exercise that is not shown now
 * (rejected, withdrawn, hidden or waiting): representatives (by id, and by text), quotes by
 * audience, groups' statements and consensus (by text); and in the themes' labels and terms,
 * every word taken back (listen_words_taken_back) reads "[word removed]". Every page and file
 * made from a stored run applies it, through listen_curation_apply (see unshown.c). 0, or a
 * database error, or APP_E_NOMEM. */
int listen_analysis_forget_unshown(struct db *db, struct arena *a, int64_t exercise_id,
                                   struct listen_analysis *r);

/* Writes every stored run of the exercise back as listen_analysis_forget_unshown shows it:
 * for publishing the exercise, which deletes what redacted contributions said before (the
 * words listen_analysis_forget_unshown matches them by), in the same transaction, so that
 * nothing taken back comes back afterwards. Then later views have nothing more to drop. 0, a
 * database error or APP_E_NOMEM. */
int listen_analysis_bake_unshown(struct db *db, struct arena *a, int64_t exercise_id);

/* Reads a stored result document (len bytes of JSON text) into *out, every string and array
 * in arena a. Unknown fields are ignored; missing ones are left absent (see above).
 * APP_E_INVALID for text that is not JSON, a document that is not an object or has no
 * "themes" array, or a field of the wrong type; APP_E_NOMEM. *out is zeroed on failure. */
int listen_analysis_parse(struct arena *a, const char *text, size_t len,
                          struct listen_analysis *out);
/* The same from a JSON value already read (borrowed). */
int listen_analysis_parse_json(struct arena *a, const json_t *doc, struct listen_analysis *out);
/* The result as its stored document: fields in the order the runs have always written them,
 * absent ones left out, so that writing what was read gives back the same text.
 * *out is a new reference. Returns 0 or APP_E_NOMEM. */
int listen_analysis_json(const struct listen_analysis *r, json_t **out);
/* Parts of it for a view model: a list of strings as a new array ([] when absent; NULL when
 * out of memory), and the opinion groups as stored (*out a new reference; 0 or
 * APP_E_NOMEM). */
json_t *listen_strs_json(const struct listen_strs *l);
/* A JSON array of strings into out, the strings in arena a (out->v is never NULL on success,
 * so an empty list is not an absent one). APP_E_INVALID when v is not such an array. */
int listen_strs_parse(struct arena *a, const json_t *v, struct listen_strs *out);
int listen_opinion_json(const struct listen_opinion *op, json_t **out);

/* Too little to analyse: themes found in fewer contributions than this, or opinion groups
 * found among fewer people than this, are noise more than findings, and pages say so. */
#define LISTEN_ANALYSIS_MIN_CONTRIBUTIONS 20
#define LISTEN_ANALYSIS_MIN_VOTERS        20
/* Whether a run had too little to go on: contributions is the run's own count, participants
 * the published count of people placed on the opinion map ("*", "0", "1,235"; NULL when
 * nobody voted). Returns a new JSON object {too_little, few_contributions, few_voters,
 * min_contributions, min_voters}, NULL when out of memory. */
json_t *listen_analysis_sufficiency(int64_t contributions, const char *participants);

/* Finds themes in n documents (k themes, or 0 to choose automatically) written in language
 * (a BCP 47 tag, text/language.h: its stemmer and embedded stop-word list; NULL is English)
 * with a fixed seed, and describes them as
 * {"documents", "k", "terms", "coherence", "reconstruction_error", "themes": [{"label",
 * "terms", "size", "share", "coherence", "representatives": [text…]}]}, sizes as counted
 * (this is the command line's output, not a published one). Representative texts are
 * redacted (src/text/redact.h) whatever their source. *out is a new reference. Returns 0,
 * APP_E_NOMEM or APP_E_INVALID (language unknown among them). */
int listen_themes_json(const struct text_span *docs, size_t n, size_t k, const char *language,
                       json_t **out);
/* The same with a "rows" array for joining themes back to a survey (`ahphub analyse --csv`):
 * the documents came from nrows data rows (numbered from 1, the header row not counted, as
 * the CSV import's "row-N"), docs[i] from row row_of[i] (ascending; rows with no usable text
 * are not among docs). rows holds one entry per data row, in order: {"row": n, "themes":
 * [indices into "themes", strongest first], "weights": [the row's weight for each, the
 * fit's NMF weight]}, both empty for a row in no theme or with no text. */
int listen_themes_rows_json(const struct text_span *docs, size_t n, const size_t *row_of,
                            size_t nrows, size_t k, const char *language, json_t **out);
/* The same as the start of an analysis result: its counts, and per theme the label, terms,
 * coherence and redacted representatives (sizes and the rest are runs.c's to add), strings
 * and arrays in arena a. When keep is not NULL it receives the fit itself (weights and
 * memberships of every document), which the caller frees with themes_result_free() after
 * a success. */
int listen_themes_fit(struct arena *a, const struct text_span *docs, size_t n, size_t k,
                      const char *language, struct listen_analysis *out,
                      struct themes_result *keep);

/* Queues an analysis of the exercise (k themes, 0 automatic) in one atomic statement; when
 * one is already waiting or running its id is returned instead, so requests made at once,
 * on one server or several, make one run between them. */
int listen_analysis_enqueue(struct db *db, int64_t exercise_id, int64_t requested_by, int k,
                            int64_t *id);
/* A new analysis starts by itself when an open exercise has this much new since its last one
 * (or, never analysed, this much at all). */
#define LISTEN_ANALYSIS_NEW_CONTRIBUTIONS 10
#define LISTEN_ANALYSIS_NEW_VOTES         100
/* Queues an analysis of every open exercise with enough new activity and none waiting;
 * *queued says how many. The worker calls it every half minute. */
int listen_analysis_enqueue_due(struct db *db, int *queued);

/* A run's states as stored. A run "running" whose lease has expired is waiting to be taken
 * over, and reads as queued (listen_run_status_seen). */
enum listen_run_status {
    LISTEN_RUN_QUEUED,
    LISTEN_RUN_RUNNING,
    LISTEN_RUN_DONE,
    LISTEN_RUN_FAILED
};
/* "queued", "running", "done", "failed": the stored word, a static string. */
const char *listen_run_status_name(enum listen_run_status s);
/* APP_E_INVALID for any other word. */
int listen_run_status_parse(const char *s, enum listen_run_status *out);
/* The state to show for a run stored as s with its lease until lease_until, at time now. */
enum listen_run_status listen_run_status_seen(enum listen_run_status s, int64_t lease_until,
                                              int64_t now);

/* How long a claim or a renewal holds a run (seconds), and how many times a run is claimed
 * before one whose lease expired again is marked failed. runs.c says why these values. */
#define LISTEN_ANALYSIS_LEASE    120
#define LISTEN_ANALYSIS_ATTEMPTS 3

/* The run a worker holds: which one, and the attempt number that is its token. */
struct listen_run_lease {
    int64_t run, exercise;
    int64_t attempt;    /* the run's attempts when claimed; renewing and finishing need it */
    int64_t renewed_at; /* unix time of the claim or the last renewal */
    int k;
    int lost; /* why a renewal failed (APP_E_CONFLICT: taken over), or 0; once set, the run
               * may be another worker's, so nothing more is written to it */
};

/* Claims the oldest run that is queued, or running with an expired lease and attempts left
 * (taking it over), and leases it; first marks failed the runs whose lease expired on their
 * last attempt. APP_E_NOTFOUND when there is nothing to run. */
int listen_analysis_claim(struct db *db, struct listen_run_lease *out);
/* The same for run run alone (the command line's own run, listen_analysis_run_now): claims
 * it when it is queued, or running with an expired lease and attempts left.
 * APP_E_NOTFOUND when it is not claimable (held under a live lease, finished, or none). */
int listen_analysis_claim_run(struct db *db, int64_t run, struct listen_run_lease *out);
/* Extends the lease from now. APP_E_CONFLICT when the run is no longer ours (taken over, or
 * finished by whoever took it over). */
int listen_analysis_renew(struct db *db, struct listen_run_lease *l);
/* Runs the claimed analysis, renewing the lease between its phases, and records it as done,
 * or as failed with a reason a facilitator can read. APP_E_CONFLICT when the lease was lost:
 * nothing is written then. Other errors mean the result could not be recorded; the lease
 * then expires and the run is taken over. */
int listen_analysis_execute(struct db *db, struct listen_run_lease *l);
/* Claims and runs one analysis, if any (*ran says whether there was one). The worker thread
 * calls it; tests call it directly. A lost lease is logged, not returned. */
int listen_analysis_run_next(struct db *db, bool *ran);
/* An exercise's latest finished analysis, and the one waiting or running, if any. */
struct listen_analysis_latest {
    int64_t run; /* the latest finished run, 0 when none */
    int64_t contributions, votes, finished_at;
    struct listen_analysis *result;        /* NULL when none, or when its document does not read */
    bool pending;                          /* a run is queued or running */
    enum listen_run_status pending_status; /* as seen (listen_run_status_seen) */
    bool restarting; /* its last holder stopped and it waits to be taken over */
};
/* Fills *out, the result and its strings in arena a. A stored document that does not read
 * (listen_analysis_parse) is logged and left out, as a run without themes. */
int listen_analysis_latest(struct db *db, struct arena *a, int64_t exercise_id,
                           struct listen_analysis_latest *out);

/* The opinion groups of run run_id (any run, not only the latest: a new run reads its
 * predecessor's to keep group numbers stable): *out (in arena a) holds *n participants by
 * participant id ascending, each with its 0-based group_no. A run that found fewer than two
 * groups, failed, or does not exist has none: *n is 0 (APP_OK). APP_E_NOMEM, APP_E_DB. */
int listen_analysis_groups_read(struct db *db, struct arena *a, int64_t run_id,
                                struct listen_group_member **out, size_t *n);

/* Runs an analysis of the exercise now, in this process, as a facilitator's request and the
 * worker would (the command line's `analyse --exercise`): queues a run (or joins the one
 * already waiting or running, whose k then holds), claims it with a lease and executes it
 * (listen_analysis_execute: themes and opinion groups, stored as the exercise's latest
 * analysis). A run another server holds under a live lease is waited for (polling every
 * second, at most LISTEN_ANALYSIS_LEASE × LISTEN_ANALYSIS_ATTEMPTS seconds), and taken over
 * should its lease expire. On APP_OK *run is the run and *status DONE or FAILED; the
 * document (DONE) or the reason (FAILED) is copied into arena a as *text. APP_E_CONFLICT
 * when it did not finish in that time (it goes on where it runs); other errors are the
 * database's or memory's. */
int listen_analysis_run_now(struct db *db, struct arena *a, int64_t exercise_id, int k,
                            int64_t *run, enum listen_run_status *status, const char **text);

#endif
