/* portfolio_view.h: view-model pieces the portfolio and CV pages share (private to
 * src/develop): an entry as pages and the API show it, the framework an entry's areas come
 * from, and a list of entry ids read from a form or the API
 *
 * JSON values returned are new references owned by the caller; strings live in the
 * request's arena.
 */
#ifndef AHP_DEVELOP_PORTFOLIO_VIEW_H
#define AHP_DEVELOP_PORTFOLIO_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "develop/portfolio.h"

struct ctx;

/* The latest version of the shipped framework into *fw; *have false (and 0 returned) when it
 * is not stored. */
int develop_portfolio_framework(struct ctx *c, struct develop_framework *fw, bool *have);

/* An entry: id, kind and its name, title, context, start and end (ISO days, "" when none),
 * dates as a CV writes them, skills and areas as {code, name}, on_cv, body (the Markdown)
 * and, when html, body_html (safe HTML for pages); link is its page, or NULL to leave it
 * out (a reviewer has no page of the owner's to go to). */
json_t *develop_entry_json(struct ctx *c, const struct develop_entry *e,
                           const struct develop_framework *fw, bool html, const char *link);

/* The entry ids a form or API call names: ticked "entry.<id>" boxes, a JSON array of ids,
 * or "entries" as comma-separated ids. *ids in the arena. Returns 0, APP_E_INVALID (a word
 * that is no id) or APP_E_NOMEM. */
int develop_entry_ids(struct ctx *c, int64_t **ids, size_t *n);

/* A JSON body's "entry.<id>" members, ticked or not, that name no entry of the member's
 * portfolio ("entry.999", "entry.nope"): an error under each, as the request layer gives for
 * a member no route takes, since "entry.*" in routes.def cannot know the entries;
 * develop_entry_ids then leaves them out. A form sends its own boxes only. Returns 0,
 * APP_E_NOMEM or APP_E_DB. */
int develop_entry_refuse_unnamed(struct ctx *c);

#endif
