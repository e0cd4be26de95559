/* pages.h: what the Listen handler files share (pages.c, and the files beside it that hold
 * the handlers of one area each) */
#ifndef AHP_LISTEN_PAGES_H
#define AHP_LISTEN_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/handler.h"
#include "listen/listen.h"

/* Whether the user may manage. Before listen_page_exercise(): true for facilitators and
 * admins, who may run exercises. After it: true for admins and that exercise's facilitators. */
bool listen_page_can_manage(const struct ctx *c);
/* The exercise named by the path's :slug, noting whether the user may manage it. A draft
 * exists only for those who may (APP_E_NOTFOUND for everyone else, other facilitators
 * included, so its title and slug do not leak); on a facilitator-only route a facilitator who
 * is not one of its facilitators gets APP_E_FORBIDDEN. APP_E_DB when the lookup fails. */
int listen_page_exercise(struct ctx *c, struct listen_exercise *e);
/* The exercise's downloads this viewer may take (transfer_pages.c), for the JSON API:
 * [{file, url, facilitators_only}], [] when none; NULL when out of memory. */
json_t *listen_page_downloads(struct ctx *c, const struct listen_exercise *e);

/* Test hook: when set, the participant actions (contribute, vote, undo, flag) call it after
 * their own "is it taking part?" check and just before the write, with the request's
 * connection (no transaction open) and the exercise's id, so a test can close the exercise
 * at that moment, as a facilitator might. NULL in the server. */
extern void (*listen_page_before_write)(struct db *db, int64_t exercise_id);

/* "agree", "disagree" or "pass" for a vote of 1, -1 or 0. */
const char *listen_page_vote_word(int v);
/* The exercise as pages show it (title, summary as HTML, dates, state, prompts; prompt marks
 * the chosen one). NULL when out of memory; strings in a. */
json_t *listen_page_exercise_json(struct arena *a, const struct listen_exercise *e, int64_t prompt);

/* At the JSON edge (the API and JSON files): the published counts in a Listen model (size,
 * votes, contributions, participants, agree_percent, and the audiences' and total's cells),
 * which pages show as text, become numbers, or null with "<key>_reason" where the disclosure
 * rule hides them (web/json_counts.h). 0 or APP_E_NOMEM. */
int listen_api_counts(json_t *v);
/* For pages: sets "<key>_about" true in object o when its published count at key is rounded
 * (a number other than 0: every count of 8 or more is rounded to 5), so the page can say
 * "about 10" rather than word a rounded figure as exact. 0 or APP_E_NOMEM. */
int listen_page_mark_about(json_t *o, const char *key);
/* Adds to it the text of the question (prompt) a contribution answers; returns it. */
json_t *listen_page_with_prompt(const struct listen_exercise *e, json_t *it, int64_t prompt);

#endif
