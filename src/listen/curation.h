/* curation.h: facilitators' edits to the themes of an analysis — rename, hide, merge, split,
 * pin quotes — kept apart from the runs, so they survive a new run wherever a theme persists
 *
 * An edit names its theme by the theme's top terms when it was made (its key). A later run
 * finds it again by term overlap: each edit goes to the theme of the run whose key shares the
 * most terms with it, when they share at least half of their terms (Jaccard ≥ 0.5), and no
 * theme takes two edits. A theme the data no longer supports simply has no edit applied.
 *
 * A theme in a run carries its members as [[contribution id, audience (0 citizen, 1 AHP,
 * 2 other staff, 3 did not say), agrees, disagrees, passes], …] so that a merged theme's
 * sizes and agreement are counted again, under the disclosure rule, from its members.
 */
#ifndef AHP_LISTEN_CURATION_H
#define AHP_LISTEN_CURATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "listen/analysis.h"

struct arena;
struct db;

#define LISTEN_PINS_MAX 5

struct listen_theme_edit {
    int64_t id;
    struct listen_strs key; /* the theme's top terms when edited */
    const char *label;      /* "" keeps the computed label */
    bool hidden, split;
    struct listen_strs merged_into; /* key of the theme it was merged into; v NULL if none */
    int64_t pins[LISTEN_PINS_MAX];
    size_t npins;
};

/* Sets a theme's size, by_audience, agree_percent, agree_hidden and votes from its members,
 * under the disclosure rule (strings in arena a). */
int listen_theme_stats(struct arena *a, struct listen_theme *t);
/* "waiting, lists, long": terms as a sentence reads them, the first max of them (0: all),
 * in arena a; NULL when out of memory. */
const char *listen_terms_join(struct arena *a, const struct listen_strs *terms, size_t max);
/* The same from a JSON array of strings, for a view model: a new string, NULL when out of
 * memory. */
json_t *listen_terms_text(const json_t *terms, size_t max);

/* Term overlap of two keys: |A ∩ B| / |A ∪ B|, 0 for empty keys. */
double listen_key_overlap(const struct listen_strs *a, const struct listen_strs *b);

/* The exercise's edits: the array and its strings in arena a. */
int listen_curation_load(struct db *db, struct arena *a, int64_t exercise_id,
                         struct listen_theme_edit **out, size_t *n);

/* The edits as a published report keeps them (listen_reports.edits_json, see report.c): a
 * compact JSON array in the order given, one object per edit, {"key": [terms], "label": "",
 * "hidden": false, "split": false, "merged_into": [terms] (only when merged), "pins": [ids]}.
 * The row's id and who made the edit stay out: the report needs only what the edit does.
 * *out is a new string the caller frees. APP_E_NOMEM. */
int listen_curation_dump(const struct listen_theme_edit *edits, size_t n, char **out);

/* Reads back what listen_curation_dump wrote: the array and its strings in arena a, as
 * listen_curation_load gives them (ids 0). APP_E_INVALID when text is not such an array. */
int listen_curation_parse(struct arena *a, const char *text, struct listen_theme_edit **out,
                          size_t *n);

/* Which edit goes to each of nt themes (edit_of: one int per theme, -1 for none), as
 * described above. */
void listen_curation_match(const struct listen_theme *themes, size_t nt,
                           const struct listen_theme_edit *edits, size_t n, int *edit_of);

/* Applies the edits to a run's themes in place, anything new in arena a. For the report
 * (public) hidden and merged-away themes are removed; otherwise they stay, flagged hidden /
 * merged_into. A renamed theme keeps computed_label. Pinned quotes (shown contributions only,
 * read from the database) are listed in pinned and left out of the two sides' quotes. Every
 * theme is marked curated, and edited says whether an edit went to it. First of all, quotes
 * of contributions no longer shown are left out (listen_analysis_forget_unshown). */
int listen_curation_apply(struct db *db, struct arena *a, int64_t exercise_id,
                          struct listen_analysis *r, const struct listen_theme_edit *edits,
                          size_t n, bool for_report);

/* One facilitator edit of the theme whose current key is key:
 *   "rename" (value = the new name, "" to go back to the computed one), "hide", "show",
 *   "merge" (into = the key of the theme to merge it into), "split", "unsplit",
 *   "pin" / "unpin" (contribution = a contribution shown in the theme).
 * APP_E_INVALID for an unknown action or a bad value. */
int listen_curation_edit(struct db *db, int64_t exercise_id, const struct listen_strs *key,
                         const char *action, const char *value, const struct listen_strs *into,
                         int64_t contribution, int64_t by);

#endif
