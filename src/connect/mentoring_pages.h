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

/* Reads the NHS.UK date input `name` (fields name-day, name-month, name-year) into *out
 * (00:00 UTC that day). False, with an error on the request at `name`, when a part is
 * missing or it is not a real date; *out is then 0. */
bool connect_page_date(struct ctx *c, const char *name, const char *label, int64_t *out);
/* The model of partials/connect_date: {name, legend, day, month, year, error}; the values
 * are what was typed when the request has errors, else t's day (0: empty). */
json_t *connect_page_date_model(struct ctx *c, const char *name, const char *legend, int64_t t);
/* Names for codes ("" when empty or unknown). */
const char *connect_page_profession(const char *code);
const char *connect_page_region(const char *code);
/* "1 hour 30 minutes" style text of minutes (arena). */
const char *connect_page_minutes(struct ctx *c, int64_t minutes);
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
