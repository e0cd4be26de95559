/* pages.h: what Assess's page families share — view-model pieces and loading a round
 *
 * Private to src/assess: the handlers themselves are declared from src/http/routes.def, one
 * file per page family (round_pages.c, instrument_pages.c, respond_pages.c,
 * result_pages.c, transfer_pages.c). JSON values returned here are new references owned by
 * the caller; strings live in the request's arena.
 */
#ifndef AHP_ASSESS_PAGES_H
#define AHP_ASSESS_PAGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "text/disclosure.h"

struct assess_instrument;
struct assess_response;
struct assess_round;
struct assess_version_info;
struct buf;
struct ctx;

/* A respondent is this round-scoped cookie (a random token; only its hash is stored). */
#define RESPONSE_COOKIE "ahp_ar"
#define RESPONSE_DAYS   90

/* Figures as a page shows them (text) or the API answers them (api: numbers, rounded as
 * the page rounds, and null for what is not published). The API carries numbers as
 * numbers and leaves formatting to whoever shows them. */
/* A percentage with the given decimals: "38" on a page, 38.0 in the API. */
json_t *assess_page_pct(bool api, double v, int decimals);
/* A published mean: text ("*" when the disclosure rule hides it, "–" over nobody), or a
 * number, null when not shown. */
json_t *assess_page_stat(bool api, const struct disclosure_stat *s, int decimals);
/* A published count: text ("*", "0", "1,235"), or a number, null when hidden. */
json_t *assess_page_count(bool api, const struct disclosure_cell *cell);
/* Why an API object's figures are null, in its "withheld", when its count is hidden (the
 * reason is the same for a small group and for one hidden to protect another: which one
 * it was must not be published). Returns obj; pages get obj unchanged. */
json_t *assess_page_withheld(bool api, json_t *obj, const struct disclosure_cell *count);
/* The change between round r and the round the field "compare" names (of the same
 * instrument, published to this reader), grouped by the field "by", as CSV in out: what the
 * benchmarks page's change tables show, as numbers. APP_E_NOTFOUND when there is no such
 * round. The caller checks that r's figures are published to this reader. */
int assess_page_change_csv(struct ctx *c, const struct assess_round *r,
                           const struct assess_instrument *ins, struct buf *out);
/* True for facilitators and admins. */
bool assess_page_can_manage(const struct ctx *c);
/* "Individual" or "Organisation" for an instrument's audience code. */
const char *assess_page_audience_text(const char *a);
/* The round as pages show it: title, dates, state at now, links. NULL when out of memory. */
json_t *assess_page_round_json(const struct assess_round *r, int64_t now);
/* The round's response counts, for facilitators only (a count of one is someone). */
json_t *assess_page_with_counts(json_t *o, const struct assess_round *r);
/* The round named in the path and its instrument; APP_E_NOTFOUND when there is none. */
int assess_page_load_round(struct ctx *c, struct assess_round *r, struct assess_instrument *ins);
/* "https://host" for the links a facilitator copies into an email. The Host header is only
 * echoed back to the facilitator who sent it, and only when it looks like a host name. */
const char *assess_page_link_base(struct ctx *c);
/* The organisations as select options, selected marked. */
json_t *assess_page_org_options(struct ctx *c, int64_t selected);
/* One saved version of an instrument for the versions list. */
json_t *assess_page_version_json(const struct assess_version_info *v);
/* The instrument's title, sections and item count for the start page. */
json_t *assess_page_instrument_summary(const struct assess_instrument *ins);
/* The respondent's response, or an answer already given (*done) sending them where they
 * belong: to the start page without one, to their result once submitted. */
int assess_page_load_respondent(struct ctx *c, struct assess_round *r,
                                struct assess_instrument *ins, struct assess_response *s,
                                bool allow_submitted, bool *done);
/* An SVG chart drawn into b as a JSON string (frees b); NULL when drawing failed. */
json_t *assess_page_svg_text(struct buf *b, int rc);
/* A value shown as it is (not suppressed), for the chart functions. */
struct disclosure_stat assess_page_shown_value(double v);

/* Gives the browser the respondent's token, scoped to this round's pages and its API, so an
 * API client that keeps cookies is the same respondent. */
int assess_page_set_cookie(struct ctx *c, const struct assess_round *r, const char *token);
/* The resume token this request carries: the "token" field (API clients and resume links),
 * else the round's cookie. */
const char *assess_page_request_token(struct ctx *c);
/* This respondent's response to the round, if any: by token, then (named rounds) by member. */
int assess_page_find_response(struct ctx *c, const struct assess_round *r,
                              struct assess_response *s, bool *found);
/* A page for someone who has no response here (yet): back to the round's start page. */
int assess_page_to_start(struct ctx *c, const struct assess_round *r);

#endif
