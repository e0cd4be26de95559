/* mentoring_rights.c: Connect mentoring's part of a member's data rights (account/rights.h) —
 * their profile for connecting and who they asked not to be matched with, their matches
 * with the reasons, their relationships with their own feedback, the meetings logged, and the
 * rounds they ran as a programme lead
 *
 * Deletion removes the profile, both directions of exclusions that name them, their place
 * in rounds, their candidate pairs and their matches (a relationship and its meetings go
 * with its match: a record of two people's meetings is not kept with one of them gone). A
 * round they ran stays for its other members, without the link to them.
 */
#include "account/rights.h"
#include "connect/mentoring_int.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

/* profession and region are the account's, exported with it */
static const char *const PROFILE[] = {
    "matching",   "in_directory", "directory_role", "offers_mentoring", "offers_coaching",
    "coach_accredited", "offers",  "seeks_kind",    "seeks",            "organisation",
    "band",       "hours_month",  "max_mentees",    "preference",       "outside_org",
    "updated_at"};
static const char *const EXCLUSIONS[] = {"email"};
static const char *const MATCHES[] = {"id", "round", "side", "why", "status", "created_at"};
static const char *const RELATIONSHIPS[] = {"id",        "kind",      "side",      "started_at",
                                            "goals",     "frequency", "closed_at", "your_feedback"};
static const char *const MEETINGS[] = {"relationship", "met_on", "minutes"};
static const char *const ROUNDS[] = {"name", "kind", "created_at", "run_at"};

static const struct {
    const char *key, *sql;
    const char *const *names;
    const char *kinds;
} exports[] = {
    {"profile", SQL_CRIGHTS_PROFILE, PROFILE, "bbtbbbtttttiitbi"},
    {"not_to_be_matched_with", SQL_CRIGHTS_EXCLUSIONS, EXCLUSIONS, "t"},
    {"matches", SQL_CRIGHTS_MATCHES, MATCHES, "itttti"},
    {"relationships", SQL_CRIGHTS_RELATIONSHIPS, RELATIONSHIPS, "itttitit"},
    {"meetings", SQL_CRIGHTS_MEETINGS, MEETINGS, "iii"},
    {"rounds_run", SQL_CRIGHTS_ROUNDS, ROUNDS, "ttii"},
};

int connect_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                          json_t *doc)
{
    json_t *connect = json_object();
    int rc = APP_OK;
    (void)a;
    if (!connect || json_object_set_new(doc, "connect_mentoring", connect))
        return APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof exports / sizeof exports[0]; i++)
        rc = rights_rows(db, exports[i].sql, p->id, connect, exports[i].key, exports[i].names,
                         exports[i].kinds, strlen(exports[i].kinds));
    return rc;
}

int connect_rights_erase(struct db *db, const struct rights_person *p)
{
    static const char *const steps[] = {
        SQL_CRIGHTS_DELETE_MATCHES,    SQL_CRIGHTS_DELETE_CANDIDATES,
        SQL_CRIGHTS_DELETE_PEOPLE,     SQL_CRIGHTS_DELETE_EXCLUSIONS,
        SQL_CRIGHTS_DELETE_EXCLUDED,   SQL_CRIGHTS_DELETE_PROFILE,
        SQL_CRIGHTS_UNLINK_ROUNDS,     SQL_CRIGHTS_UNLINK_MEETINGS,
    };
    int rc = APP_OK;
    for (size_t i = 0; !rc && i < sizeof steps / sizeof steps[0]; i++)
        rc = db_run(db, steps[i], "i", p->id);
    return rc;
}
