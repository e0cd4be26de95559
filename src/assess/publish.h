/* publish.h: when a round's figures may be shown, and to whom — the disclosure rule held
 * against someone who can add responses (the reasoning is in publish.c)
 *
 * Domain code; no HTTP. Nothing here allocates or fails.
 */
#ifndef AHP_ASSESS_PUBLISH_H
#define AHP_ASSESS_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "assess/round.h"

/* Whether figures computed from round r's responses — the number of responses, every mean,
 * quartile and breakdown on the benchmark pages and downloads, and the averages on a
 * respondent's result page — may be shown at time now to a reader who runs rounds
 * (manages: a facilitator or admin, who can read and import the responses themselves) or
 * to anyone else. True once the round is closed, and for those who manage it at any time;
 * false for everyone else while it is upcoming or open. */
bool assess_figures_published(const struct assess_round *r, int64_t now, bool manages);

#endif
