/* mentoring_pages.h: what Connect's mentoring page families share — ids from the path,
 * the domain's field errors onto the request, NHS.UK day/month/year dates, and view-model
 * pieces (a person's profession and region by name, a match) */
#ifndef AHP_CONNECT_MENTORING_PAGES_H
#define AHP_CONNECT_MENTORING_PAGES_H

#include "connect/common_pages.h"

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "connect/mentoring.h"
#include "http/handler.h"

/* Names for codes ("" when empty or unknown). */
const char *connect_page_profession(const char *code);
const char *connect_page_region(const char *code);
/* "Mentoring" or "Coaching" for a kind's code, to begin a line or heading ("" when unknown).
 * Static. */
const char *connect_page_kind(const char *kind);
/* What a side of a relationship of kind is called: "mentor" and "mentee", or in coaching
 * "coach" and "coachee"; with capital, its first letter in capitals, to begin a label.
 * Static. */
const char *connect_page_side(const char *kind, bool mentee, bool capital);
/* The same in the plural: "mentors", "coaches". Static. */
const char *connect_page_sides(const char *kind, bool mentee, bool capital);
/* "1 hour 30 minutes" style text of minutes (arena). */
const char *connect_page_minutes(struct ctx *c, int64_t minutes);
/* "2 meetings, 1 hour 30 minutes", or "No meetings logged yet" (arena). */
const char *connect_page_time_together(struct ctx *c, int64_t meetings, int64_t minutes);
/* A match as pages and the API show it, from the point of view of user_id. */
json_t *connect_page_match_json(struct ctx *c, const struct connect_match *m, int64_t user_id);
/* Select options [{value, text, selected}] from connect_choice lists, with a first empty
 * option of text `none` when none is not NULL. */
json_t *connect_page_choices(const struct connect_choice *ch, size_t n, const char *selected,
                             const char *none);
/* Options from professions[] or regions[] (account.h) the same way. */
json_t *connect_page_refs(bool regions_list, const char *selected, const char *none);
/* Renders an error page (or JSON) with a sentence, answering the request. */
int connect_page_refuse(struct ctx *c, int err, const char *sentence);

#endif
