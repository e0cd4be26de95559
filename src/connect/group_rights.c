/* group_rights.c: Connect groups' part of a member's data rights (account/rights.h) — their
 * memberships, posts, reports, moderation decisions, the groups and events they made, and
 * their digest setting and the weeks it was sent
 *
 * What deletion does, and why:
 *  - A thread in which every post is theirs goes, whole: nobody else's words depend on it.
 *  - In a thread others have replied to, each of their posts stays in its place with its
 *    text removed and no author, shown as "Deleted member: this post was removed", so the
 *    replies still read in order. The thread's title stays for those replies' sake.
 *  - Reports they made stay for the moderators without the link to them; so do their
 *    moderation decisions, and the groups and events they created, which belong to the group.
 *  - Memberships, the digest setting and the record of digests sent are deleted.
 */
#include "account/rights.h"
#include "connect/group_store.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

static const char *const GROUPS[] = {"group", "role", "joined_at"};
static const char *const POSTS[] = {"id", "group", "thread", "text", "state", "posted_at"};
static const char *const REPORTS[] = {"post", "reason", "reported_at"};
static const char *const DECISIONS[] = {"post", "action", "reason", "decided_at"};
static const char *const CREATED[] = {"group", "created_at"};
static const char *const EVENTS[] = {"title", "starts_at", "created_at"};
static const char *const SETTINGS[] = {"weekly_digest", "updated_at"};
static const char *const DIGESTS[] = {"week_start", "items", "sent_at"};

static const struct {
    const char *key, *sql;
    const char *const *names;
    const char *kinds;
} exports[] = {
    {"group_memberships", SQL_CRIGHTS_GROUPS, GROUPS, "tti"},
    {"posts", SQL_CRIGHTS_POSTS, POSTS, "itttti"},
    {"reports_made", SQL_CRIGHTS_REPORTS, REPORTS, "iti"},
    {"moderation_decisions", SQL_CRIGHTS_DECISIONS, DECISIONS, "itti"},
    {"groups_created", SQL_CRIGHTS_CREATED, CREATED, "ti"},
    {"events_added", SQL_CRIGHTS_EVENTS, EVENTS, "tii"},
    {"digest_setting", SQL_CRIGHTS_SETTINGS, SETTINGS, "bi"},
    {"digests_sent", SQL_CRIGHTS_DIGESTS, DIGESTS, "iii"},
};

int connect_groups_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                                 json_t *doc)
{
    json_t *part = json_object();
    int rc = APP_OK;
    (void)a;
    if (!part || json_object_set_new(doc, "connect_groups", part))
        return APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof exports / sizeof exports[0]; i++)
        rc = rights_rows(db, exports[i].sql, p->id, part, exports[i].key, exports[i].names,
                         exports[i].kinds, strlen(exports[i].kinds));
    return rc;
}

int connect_groups_rights_erase(struct db *db, const struct rights_person *p)
{
    static const char *const steps[] = {
        SQL_CRIGHTS_DELETE_THREADS,   SQL_CRIGHTS_BLANK_POSTS,     SQL_CRIGHTS_UNLINK_REPORTS,
        SQL_CRIGHTS_UNLINK_DECISIONS, SQL_CRIGHTS_UNLINK_GROUPS,   SQL_CRIGHTS_UNLINK_EVENTS,
        SQL_CRIGHTS_DELETE_MEMBERS,   SQL_CRIGHTS_DELETE_SETTINGS, SQL_CRIGHTS_DELETE_DIGESTS,
    };
    int rc = APP_OK;
    for (size_t i = 0; !rc && i < sizeof steps / sizeof steps[0]; i++)
        rc = db_run(db, steps[i], "i", p->id);
    return rc;
}
