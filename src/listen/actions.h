/* actions.h: "You said, we did" — the actions facilitators record against what an exercise
 * heard (domain code; no HTTP)
 *
 * An action says what will be or was done, by which team or role, how far it has got
 * (planned, in progress, done) and when. It is linked to one theme of the exercise's latest
 * finished analysis by the theme's label, or to none ("") when it answers the exercise as a
 * whole. The label is copied, not referenced: a later analysis may find different themes,
 * and an action must never disappear because of that, so readers see an action whose theme is
 * no longer found under that label all the same.
 *
 * Everything here is public once the exercise is open, so the text is checked for personal
 * data (src/text/redact.h): contact details are refused, not silently removed, so that the
 * facilitator decides what the sentence says instead.
 */
#ifndef AHP_LISTEN_ACTIONS_H
#define AHP_LISTEN_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct arena;
struct db;

#define LISTEN_ACTION_WHAT_MAX  1000 /* characters */
#define LISTEN_ACTION_WHO_MAX   200
#define LISTEN_ACTION_THEME_MAX 500
#define LISTEN_ACTION_FIELDS    5 /* theme, what, who, status, due: the most problems */

/* What a facilitator enters. theme NULL or "" is a general action; status is "planned",
 * "in_progress" or "done"; due_at is a unix time (00:00 UTC of the day) or 0 for none: the
 * day it is planned for, or the day it was done. */
struct listen_action_input {
    const char *theme, *what, *who, *status;
    int64_t due_at;
};

struct listen_action {
    int64_t id, exercise_id;
    const char *theme, *what, *who, *status;
    int64_t due_at, created_at, updated_at;
};

/* One thing wrong with an input: the field's name ("what") and a sentence for the person who
 * typed it ("Enter what will be done, or what was done"). Both are static strings. */
struct listen_action_problem {
    const char *field, *message;
};

/* "Planned", "In progress", "Done"; NULL for anything else. */
const char *listen_action_status_name(const char *status);

/* Checks an input on its own (everything but whether the theme exists: that needs the
 * database), as of time now. Fills out[] with at most LISTEN_ACTION_FIELDS problems, in the
 * order of the form, and returns how many. */
size_t listen_action_check(const struct listen_action_input *in, int64_t now,
                           struct listen_action_problem out[LISTEN_ACTION_FIELDS]);

/* The themes an action can be linked to. Once the exercise's report is published, the themes
 * fixed at publication (listen_action_published_themes), so that a later analysis or a change
 * of curation never changes what the public reads; before that, the themes of the latest
 * finished analysis as the report would show them (listen_action_live_themes: the
 * facilitators' names, without the themes hidden from the report or merged into another,
 * src/listen/curation.h). Either way a new array of {"label", "size", "terms"} and, for a
 * renamed theme, "computed_label" (the analysis's own name). Sizes are as the analysis
 * published them, under the disclosure rule; labels are unique; the order is the analysis's.
 * [] when there is no finished analysis. *out is the caller's reference. Returns 0,
 * APP_E_NOMEM or APP_E_DB. */
int listen_action_themes(struct db *db, int64_t exercise_id, json_t **out);
int listen_action_live_themes(struct db *db, int64_t exercise_id, json_t **out);
/* The themes fixed when the report was published: *published false (and *out NULL) when it
 * is not published. */
int listen_action_published_themes(struct db *db, int64_t exercise_id, json_t **out,
                                   bool *published);

/* The theme of themes (as from listen_action_themes) that an action linked to label belongs
 * to: the one with that label, else a renamed one whose computed label it is; NULL when
 * none. A borrowed reference. */
json_t *listen_action_find_theme(const json_t *themes, const char *label);

/* Records an action. APP_E_INVALID when listen_action_check() finds a problem or the theme is
 * not one of listen_action_themes(); *field (may be NULL) then names the first wrong field.
 * *id receives the new action's id. */
int listen_action_create(struct db *db, int64_t exercise_id, const struct listen_action_input *in,
                         int64_t created_by, int64_t *id, const char **field);

/* Replaces an action of the exercise. The theme may also stay what it was, even when the latest
 * analysis no longer has it. APP_E_NOTFOUND when id is not an action of this exercise;
 * APP_E_INVALID as for create. */
int listen_action_update(struct db *db, int64_t exercise_id, int64_t id,
                         const struct listen_action_input *in, const char **field);

/* For showing: in the analysis's own words of themes (as from listen_action_themes: the
 * fixed ones may hold words taken back since the report was published; labels not renamed,
 * computed labels, terms) and in the themes the actions as[0..n) are linked to, every word
 * taken back (listen_words_taken_back) reads "[word removed]". A name a facilitator gave is
 * theirs and stays. Labels and links change alike, so each action stays under its theme; an
 * action linked while a word was taken back is given its theme's label again once the word
 * is back. as[i].theme may then point into themes. 0, a database error or APP_E_NOMEM. */
int listen_action_scrub(struct db *db, struct arena *a, int64_t exercise_id, json_t *themes,
                        struct listen_action *as, size_t n);

/* Writes back the themes fixed at publication and the actions' themes as listen_action_scrub
 * shows them: for publishing the exercise, which deletes the words redactions replaced, in
 * the same transaction (listen_analysis_bake_unshown does the same for the runs). 0, a
 * database error or APP_E_NOMEM. */
int listen_action_bake(struct db *db, struct arena *a, int64_t exercise_id);

/* Deletes an action of the exercise; APP_E_NOTFOUND when there is none with that id. */
int listen_action_delete(struct db *db, int64_t exercise_id, int64_t id);

/* One action of the exercise (strings in the arena); APP_E_NOTFOUND when absent. */
int listen_action_get(struct db *db, struct arena *a, int64_t exercise_id, int64_t id,
                      struct listen_action *out);

/* Every action of the exercise, oldest first (array and strings in the arena). */
int listen_action_list(struct db *db, struct arena *a, int64_t exercise_id,
                       struct listen_action **out, size_t *n);

#endif
