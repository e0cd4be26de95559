/* pages.h: what Develop's page families share — loading a member's self-assessment and the
 * view-model pieces for results
 *
 * Private to src/develop: the handlers are declared from src/http/routes.def, one file per
 * page family (framework_pages.c for admins, self_pages.c for answering, result_pages.c for
 * "My development", results and comparisons; feedback_pages.c and rater_pages.c for 360°
 * feedback, the member's side and the raters'; plan_pages.c for the development plan,
 * recommend_pages.c for recommendations, gaps_pages.c for a programme lead's gap view). JSON
 * values returned here are new references
 * owned by the caller; strings live in the request's arena. Figures are JSON numbers for API
 * clients, with a "_text" twin formatted for the page.
 */
#ifndef AHP_DEVELOP_PAGES_H
#define AHP_DEVELOP_PAGES_H

#include <jansson.h>
#include <stdint.h>

#include "develop/self.h"

struct ctx;

/* x rounded to the given decimals, as a JSON number. */
json_t *develop_page_num(double x, int decimals);
/* x as a page writes it: at most two decimals, no trailing zeros ("2.5", "3"); with_sign
 * adds "+" before a positive number ("+0.5"). */
const char *develop_page_text(struct ctx *c, double x, bool with_sign);
/* The positive whole number the path parameter name holds, or 0. */
int64_t develop_page_param(struct ctx *c, const char *name);
/* The self-assessment the path's :id names, if it is the logged-in member's, with its
 * framework version and answers; APP_E_NOTFOUND otherwise (another member's included). */
int develop_page_load_self(struct ctx *c, struct develop_self *s, struct develop_framework *fw,
                           struct develop_answer **answers);
/* A self-assessment as lists show it: id, framework, dates (as the pages write them, and as
 * unix times: started_at, updated_at, submitted_at), state and its link. */
json_t *develop_page_self_json(const struct develop_self *s);
/* The same for s among the member's list of n: when another of them was submitted on the same
 * day, same_day is true and submitted_time ("14:05 UTC"; "14:05 UTC, the 2nd that day" when
 * the minute is shared too) tells them apart, for pages to write after the day. */
json_t *develop_page_self_json_in(const struct develop_self *s, const struct develop_self *list,
                                  size_t n);
/* The results per domain of answers against fw: figures, counts and a bar's value. */
json_t *develop_page_results(struct ctx *c, const struct develop_framework *fw,
                             const struct develop_answer *answers);
/* Where a draft continues: its first domain with nothing answered, else its check page
 * (self_pages.c). */
const char *develop_page_draft_next(struct ctx *c, const struct develop_self *s,
                                    const struct develop_framework *fw,
                                    const struct develop_answer *ans);
/* The scale as pages show it: kind, points with descriptors, the "no chance" answer. */
json_t *develop_page_scale(const struct develop_framework *fw);

/* A JSON body's answers that name no statement of domain dm (a member named by one of
 * prefixes, such as "rating.", followed by anything but the id of one of dm's behaviours:
 * "rating.nope", or a statement of another part): an error under each, as the request layer
 * gives for a member no route takes, since a family such as "rating.*" in routes.def cannot
 * know the statements. A form sends its own page's statements only, so it is not checked.
 * prefixes ends with NULL. Returns APP_E_NOMEM or 0. */
int develop_page_refuse_other_statements(struct ctx *c, const struct develop_domain *dm,
                                         const char *const *prefixes);

/* The member's plan progress for "My development": counts per status, the share done and
 * has_plan (plan_pages.c). NULL with *rc set when reading failed (APP_E_NOMEM when 0). */
json_t *develop_page_plan_progress(struct ctx *c, int *rc);

#endif
