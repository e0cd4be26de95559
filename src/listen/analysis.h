/* analysis.h: themes of a set of free-text answers, as a JSON view model */
#ifndef AHP_LISTEN_ANALYSIS_H
#define AHP_LISTEN_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct db;
struct text_span;

/* Finds themes in n documents (k themes, or 0 to choose automatically) with the embedded
 * stop-word list and a fixed seed, and describes them as
 * {"documents", "k", "coherence", "themes": [{"label", "terms", "size", "share",
 *  "representatives": [text…]}]}. Representative texts are redacted (src/text/redact.h)
 * whatever their source. *out is a new reference. Returns 0, APP_E_NOMEM or APP_E_INVALID. */
int listen_themes_json(const struct text_span *docs, size_t n, size_t k, json_t **out);

/* The same for the shown contributions of an exercise (by slug). APP_E_NOTFOUND when there is
 * no such exercise. */
int listen_exercise_themes(struct db *db, const char *slug, size_t k, json_t **out);

#endif
