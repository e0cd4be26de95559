/* plan_rights.c: development plans' part of a member's data rights (account/rights.h) —
 * their goals and plan activities with their reflections
 *
 * A plan is the member's own, so deletion removes all of it. The catalogue activities their
 * plan pointed to stay in the catalogue for everyone else.
 */
#include "account/rights.h"
#include "core/err.h"
#include "develop/plan_store.h"
#include "store/db.h"

#include <string.h>

/* goal_id and activity_id as the plan's API names them, null for none, and target and done as
 * its ISO days, "" for none */
static const char *const GOALS[] = {"id",     "title",      "framework", "domain",
                                    "target", "created_at", "updated_at"};
static const char *const ITEMS[] = {"id",     "goal_id", "activity_id", "title",
                                    "kind",   "status",  "target",      "reflection",
                                    "reason", "done",    "created_at",  "updated_at"};

int develop_plan_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                               json_t *doc)
{
    json_t *plan = json_object();
    int rc;
    (void)a;
    if (!plan || json_object_set_new(doc, "development_plan", plan))
        return APP_E_NOMEM;
    rc = rights_rows(db, SQL_DPRIGHTS_GOALS, p->id, plan, "goals", GOALS, "itttdii", 7);
    if (!rc)
        rc = rights_rows(db, SQL_DPRIGHTS_ITEMS, p->id, plan, "activities", ITEMS, "inntttdttdii",
                         12);
    return rc;
}

int develop_plan_rights_erase(struct db *db, const struct rights_person *p)
{
    int rc = db_run(db, SQL_DPRIGHTS_DELETE_ITEMS, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_DPRIGHTS_DELETE_GOALS, "i", p->id);
    return rc;
}
