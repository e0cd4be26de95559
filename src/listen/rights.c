/* rights.c: Listen's part of a member's data rights (account/rights.h) — the exercises a
 * member created or runs, and the decisions they are recorded as having made
 *
 * Contributions, votes and flags are not here: they belong to pseudonymous participants that
 * nothing links to an account (DESIGN.md §5), so there is nothing to find for a member. On
 * deletion the exercises, decisions, analyses, actions and reports stay, for the people who
 * took part and those who read them, without the link to the member. An exercise the member
 * ran alone is left with no facilitator; admins manage every exercise, so it is not lost.
 */
#include "account/rights.h"
#include "core/err.h"
#include "listen/store.h"
#include "store/db.h"

#include <string.h>

static const char *const EXERCISE[] = {"slug", "title", "status", "created_at"};
static const char *const FACILITATES[] = {"slug", "title", "status", "added_at"};
static const char *const MODERATED[] = {"exercise", "action", "reason", "at"};
static const char *const ANALYSES[] = {"exercise", "status", "requested_at"};
static const char *const ACTIONS[] = {"exercise", "theme",  "what",      "who",
                                      "status",   "due_at", "created_at"};
static const char *const REPORTS[] = {"exercise", "published_at"};
static const char *const THEME_EDITS[] = {"exercise", "label", "hidden", "updated_at"};

static const struct {
    const char *key, *sql;
    const char *const *names;
    const char *kinds;
} exports[] = {
    {"exercises_created", SQL_LRIGHTS_CREATED, EXERCISE, "ttti"},
    {"exercises_facilitated", SQL_LRIGHTS_FACILITATES, FACILITATES, "ttti"},
    {"moderation_decisions", SQL_LRIGHTS_MODERATED, MODERATED, "ttti"},
    {"analyses_requested", SQL_LRIGHTS_ANALYSES, ANALYSES, "tti"},
    {"actions_recorded", SQL_LRIGHTS_ACTIONS, ACTIONS, "tttttii"},
    {"reports_published", SQL_LRIGHTS_REPORTS, REPORTS, "ti"},
    {"theme_edits", SQL_LRIGHTS_THEME_EDITS, THEME_EDITS, "ttbi"},
};

/* Every Listen column that names a user, each cut by one statement. */
static const char *const unlinks[] = {
    SQL_LRIGHTS_UNLINK_CREATED,     SQL_LRIGHTS_UNLINK_FACILITATES, SQL_LRIGHTS_UNLINK_MODERATED,
    SQL_LRIGHTS_UNLINK_ANALYSES,    SQL_LRIGHTS_UNLINK_ACTIONS,     SQL_LRIGHTS_UNLINK_REPORTS,
    SQL_LRIGHTS_UNLINK_THEME_EDITS,
};

int listen_rights_export(struct db *db, struct arena *a, const struct rights_person *p, json_t *doc)
{
    json_t *listen = json_object();
    int rc = APP_OK;
    (void)a;
    if (!listen || json_object_set_new(doc, "listen", listen))
        return APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof exports / sizeof exports[0]; i++)
        rc = rights_rows(db, exports[i].sql, p->id, listen, exports[i].key, exports[i].names,
                         exports[i].kinds, strlen(exports[i].kinds));
    return rc;
}

int listen_rights_erase(struct db *db, const struct rights_person *p)
{
    int rc = APP_OK;
    for (size_t i = 0; !rc && i < sizeof unlinks / sizeof unlinks[0]; i++)
        rc = db_run(db, unlinks[i], "i", p->id);
    return rc;
}
