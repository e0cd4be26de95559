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

/* Queues an analysis of the exercise (k themes, 0 automatic); when one is already waiting or
 * running its id is returned instead. */
int listen_analysis_enqueue(struct db *db, int64_t exercise_id, int64_t requested_by, int k,
                            int64_t *id);
/* A new analysis starts by itself when an open exercise has this much new since its last one
 * (or, never analysed, this much at all). */
#define LISTEN_ANALYSIS_NEW_CONTRIBUTIONS 10
#define LISTEN_ANALYSIS_NEW_VOTES 100
/* Queues an analysis of every open exercise with enough new activity and none waiting;
 * *queued says how many. The worker calls it every half minute. */
int listen_analysis_enqueue_due(struct db *db, int *queued);
/* Claims and runs the oldest queued analysis, if any (*ran says whether there was one). The
 * worker thread calls it; tests call it directly. A failed analysis is recorded as failed. */
int listen_analysis_run_next(struct db *db, bool *ran);
/* {"run": {…}, "result": {…}} for the latest finished analysis (absent when none) and
 * {"pending": {"status"}} when one is queued or running. *out is a new reference. */
int listen_analysis_latest(struct db *db, int64_t exercise_id, json_t **out);

#endif
