/* home.h: the "Your development" part of a member's home page (src/account/home_pages.c),
 * kept here so the home page needs no knowledge of self-assessments */
#ifndef AHP_DEVELOP_HOME_H
#define AHP_DEVELOP_HOME_H

#include <jansson.h>

struct ctx;

/* {"latest": {id, submitted, framework, …} or absent, "draft": {…} or absent} for the
 * logged-in member: their latest submitted self-assessment and the one in progress. A new
 * reference; NULL with *rc set when reading failed (APP_E_NOMEM when rc stays 0). */
json_t *develop_home_json(struct ctx *c, int *rc);

#endif
