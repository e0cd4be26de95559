/* set_rights.c: Connect's action learning sets in a member's data rights (account/rights.h)
 * — the sets they are in (and those they left, with when), the sets they facilitate, the meetings
 * they put on a schedule or recorded (dates and themes), the splits they made as a programme lead,
 * and that they were kept apart from someone (never who)
 *
 * Deletion takes them out of every set (each split's stored mix score recomputed for who is
 * left, set.h), every record of leaving one and every keep-apart pair. A set they facilitate,
 * a meeting they recorded and a split they made stay for the others in them, without the
 * link to them.
 */
#include "account/rights.h"
#include "connect/set.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

static const char SQL_RIGHTS_MEMBER[] =
    "SELECT p.title, s.number, p.published_at FROM connect_set_members m "
    "JOIN connect_sets s ON s.id = m.set_id JOIN connect_splits p ON p.id = m.split_id "
    "WHERE m.user_id = $1 ORDER BY p.id";
static const char SQL_RIGHTS_FACILITATE[] =
    "SELECT p.title, s.number FROM connect_sets s JOIN connect_splits p ON p.id = s.split_id "
    "WHERE s.facilitator_id = $1 ORDER BY p.id, s.number";
static const char SQL_RIGHTS_MEETINGS[] =
    "SELECT p.title, s.number, g.meets_on, g.held, g.theme, g.recorded_at "
    "FROM connect_set_meetings g JOIN connect_sets s ON s.id = g.set_id "
    "JOIN connect_splits p ON p.id = s.split_id WHERE g.recorded_by = $1 ORDER BY g.id";
static const char SQL_RIGHTS_SPLITS[] =
    "SELECT title, created_at, published_at FROM connect_splits WHERE created_by = $1 "
    "ORDER BY id";
static const char SQL_RIGHTS_APART[] =
    "SELECT p.title FROM connect_split_apart x JOIN connect_splits p ON p.id = x.split_id "
    "WHERE x.user_a = $1 OR x.user_b = $1 ORDER BY p.id";
static const char SQL_RIGHTS_LEFT[] =
    "SELECT p.title, s.number, l.left_at FROM connect_set_leavers l "
    "JOIN connect_sets s ON s.id = l.set_id JOIN connect_splits p ON p.id = s.split_id "
    "WHERE l.user_id = $1 ORDER BY l.left_at";
static const char SQL_ERASE_LEFT[] = "DELETE FROM connect_set_leavers WHERE user_id = $1";
static const char SQL_ERASE_APART[] =
    "DELETE FROM connect_split_apart WHERE user_a = $1 OR user_b = $1";
static const char SQL_UNLINK_FACILITATOR[] =
    "UPDATE connect_sets SET facilitator_id = NULL WHERE facilitator_id = $1";
static const char SQL_UNLINK_MEETINGS[] =
    "UPDATE connect_set_meetings SET recorded_by = NULL WHERE recorded_by = $1";
static const char SQL_UNLINK_SPLITS[] =
    "UPDATE connect_splits SET created_by = NULL WHERE created_by = $1";

static const char *const MEMBER[] = {"sets", "set_number", "published_at"};
static const char *const FACILITATE[] = {"sets", "set_number"};
static const char *const MEETINGS[] = {"sets", "set_number", "meets_on",
                                       "held", "theme",      "recorded_at"};
static const char *const SPLITS[] = {"title", "created_at", "published_at"};
static const char *const APART[] = {"sets"};
static const char *const LEFT[] = {"sets", "set_number", "left_at"};

static const struct {
    const char *key, *sql;
    const char *const *names;
    const char *kinds;
} exports[] = {
    {"sets", SQL_RIGHTS_MEMBER, MEMBER, "tii"},
    {"sets_facilitated", SQL_RIGHTS_FACILITATE, FACILITATE, "ti"},
    {"meetings_recorded", SQL_RIGHTS_MEETINGS, MEETINGS, "tiibti"},
    {"splits_made", SQL_RIGHTS_SPLITS, SPLITS, "tii"},
    /* the other person of a pair is someone else's data: only the split is named */
    {"kept_apart_in", SQL_RIGHTS_APART, APART, "t"},
    {"sets_left", SQL_RIGHTS_LEFT, LEFT, "tii"},
};

int connect_sets_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                               json_t *doc)
{
    /* a key of its own: Connect's other parts (groups, mentoring) keep theirs */
    json_t *part = json_object();
    int rc = APP_OK;
    (void)a;
    if (!part || json_object_set_new(doc, "action_learning", part))
        return APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof exports / sizeof exports[0]; i++)
        rc = rights_rows(db, exports[i].sql, p->id, part, exports[i].key, exports[i].names,
                         exports[i].kinds, strlen(exports[i].kinds));
    return rc;
}

int connect_sets_rights_erase(struct db *db, const struct rights_person *p)
{
    /* out of every set, and each split's stored mix score is then that of who is left */
    int rc = connect_sets_erase_member(db, p->id);
    if (!rc)
        rc = db_run(db, SQL_ERASE_LEFT, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_ERASE_APART, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_UNLINK_FACILITATOR, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_UNLINK_MEETINGS, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_UNLINK_SPLITS, "i", p->id);
    return rc;
}
