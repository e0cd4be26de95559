/* set_home.h: the "Your set" part of a member's home page (src/account/home_pages.c), kept
 * here so the home page needs no knowledge of action learning sets */
#ifndef AHP_CONNECT_SET_HOME_H
#define AHP_CONNECT_SET_HOME_H

#include <jansson.h>

struct ctx;

/* {"sets": [{name, split, url, facilitator, next_meeting}], "has_sets", "lead"} for the
 * logged-in member's sets in published splits (lead: they may split cohorts), or JSON null
 * when they have none and are not a programme lead (the page then shows nothing). A
 * new reference; NULL with *rc set when reading failed (APP_E_NOMEM when rc stays 0). */
json_t *connect_sets_home_json(struct ctx *c, int *rc);

#endif
