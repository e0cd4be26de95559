/* analysis.h: themes of a set of free-text answers, as a JSON view model */
#ifndef AHP_LISTEN_ANALYSIS_H
#define AHP_LISTEN_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct db;
struct text_span;
struct themes_result;

/* Finds themes in n documents (k themes, or 0 to choose automatically) with the embedded
 * stop-word list and a fixed seed, and describes them as
 * {"documents", "k", "coherence", "themes": [{"label", "terms", "size", "share",
 *  "representatives": [text…]}]}. Representative texts are redacted (src/text/redact.h)
 * whatever their source. *out is a new reference. Returns 0, APP_E_NOMEM or APP_E_INVALID. */
int listen_themes_json(const struct text_span *docs, size_t n, size_t k, json_t **out);
/* The same, and when keep is not NULL the fit itself (weights and memberships of every
 * document), which the caller frees with themes_result_free() after a success. */
int listen_themes_fit(const struct text_span *docs, size_t n, size_t k, json_t **out,
                      struct themes_result *keep);

/* The same for the shown contributions of an exercise (by slug). APP_E_NOTFOUND when there is
 * no such exercise. */
int listen_exercise_themes(struct db *db, const char *slug, size_t k, json_t **out);

/* Queues an analysis of the exercise (k themes, 0 automatic) in one atomic statement; when
 * one is already waiting or running its id is returned instead, so requests made at once,
 * on one server or several, make one run between them. */
int listen_analysis_enqueue(struct db *db, int64_t exercise_id, int64_t requested_by, int k,
                            int64_t *id);
/* A new analysis starts by itself when an open exercise has this much new since its last one
 * (or, never analysed, this much at all). */
#define LISTEN_ANALYSIS_NEW_CONTRIBUTIONS 10
#define LISTEN_ANALYSIS_NEW_VOTES 100
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
/* {"run": {…}, "result": {…}} for the latest finished analysis (absent when none) and
 * {"pending": {"status", "restarting"}} when one is queued or running ("restarting" when its
 * last holder stopped and it waits to be taken over). *out is a new reference. */
int listen_analysis_latest(struct db *db, int64_t exercise_id, json_t **out);

#endif
