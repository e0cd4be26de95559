/* rights.c: Develop's part of a member's data rights (account/rights.h) — their
 * self-assessments with every rating and note, the frameworks they stored as an admin, and
 * the catalogue activities they added or last changed as a curator; their portfolio, its
 * shares and their CV profile (portfolio_rights.c); and their 360° feedback requests
 *
 * A self-assessment is the member's own reflection, not a record others rely on, so
 * deletion removes it with its ratings and notes. A framework they stored stays for everyone
 * who uses it, without the link to them; so does a catalogue activity they added or changed.
 * A 360° request is theirs and goes with every answer in it; the export gives the requests
 * and how many were asked per group, never an answer on its own or who answered (the report
 * page shows what may be shown).
 */
#include "account/rights.h"
#include "core/err.h"
#include "develop/feedback.h"
#include "develop/portfolio.h"
#include "develop/store.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static const char *const SELF[] = {"id", "framework", "version", "started_at", "updated_at",
                                   "submitted_at"};
static const char *const RATINGS[] = {"self_assessment", "behaviour", "rating", "importance",
                                      "note"};
static const char *const FRAMEWORKS[] = {"code", "version", "title", "created_at"};
static const char *const ACTIVITIES[] = {"id",          "title",       "kind",       "provider",
                                         "added_by_you", "last_changed_by_you", "created_at",
                                         "updated_at"};

static const char *const FEEDBACK[] = {"id", "self_assessment", "created_at", "closes_at",
                                       "closed_at"};
static const char *const ASKED[] = {"request", "group", "asked"};

static const struct {
    const char *key, *sql;
    const char *const *names;
    const char *kinds;
} exports[] = {
    {"self_assessments", SQL_DRIGHTS_SELF, SELF, "itiiii"},
    {"ratings", SQL_DRIGHTS_RATINGS, RATINGS, "itiit"},
    {"frameworks_stored", SQL_DRIGHTS_FRAMEWORKS, FRAMEWORKS, "titi"},
    {"catalogue_activities", SQL_DRIGHTS_ACTIVITIES, ACTIVITIES, "ittt" "iiii"},
    {"feedback_requests", SQL_DRIGHTS_FEEDBACK, FEEDBACK, "iiiii"},
    {"feedback_asked", SQL_DRIGHTS_FEEDBACK_ASKED, ASKED, "iti"},
};

int develop_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                          json_t *doc)
{
    json_t *develop = json_object();
    int rc = APP_OK;
    (void)a;
    if (!develop || json_object_set_new(doc, "develop", develop))
        return APP_E_NOMEM;
    for (size_t i = 0; !rc && i < sizeof exports / sizeof exports[0]; i++)
        rc = rights_rows(db, exports[i].sql, p->id, develop, exports[i].key, exports[i].names,
                         exports[i].kinds, strlen(exports[i].kinds));
    /* the portfolio, its shares and the CV profile (portfolio_rights.c) */
    if (!rc)
        rc = develop_portfolio_rights_export(db, p->id, develop);
    return rc;
}

/* The invitations and reminders of each of user_id's 360° requests leave the outbox with
 * them: they give the member's name, and the raters' addresses (feedback.h). */
static int withdraw_feedback_mail(struct db *db, int64_t user_id)
{
    struct db_stmt *st = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = db_prepare_bind(db, SQL_DRIGHTS_FEEDBACK, &st, "i", user_id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        int64_t *grown = ids;
        rc = APP_OK;
        if (n == cap && !(grown = realloc(ids, (cap = cap ? 2 * cap : 8) * sizeof *ids)))
            rc = APP_E_NOMEM;
        else
            (ids = grown)[n++] = db_col_int(st, 0);
    }
    db_finalize(st);
    if (rc == DB_DONE)
        rc = APP_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = feedback_mail_withdraw(db, ids[i]);
    free(ids);
    return rc;
}

int develop_rights_erase(struct db *db, const struct rights_person *p)
{
    /* the portfolio, its shares (made and received) and the CV profile first */
    int rc = develop_portfolio_rights_erase(db, p->id);
    /* 360° requests, with every answer, draft and invitation in them, and their mail */
    if (!rc)
        rc = withdraw_feedback_mail(db, p->id);
    if (!rc)
        rc = db_run(db, SQL_DRIGHTS_DELETE_FEEDBACK, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_DRIGHTS_DELETE_RATINGS, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_DRIGHTS_DELETE_SELF, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_DRIGHTS_UNLINK_FRAMEWORKS, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_DRIGHTS_UNLINK_ACTIVITIES_CREATED, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_DRIGHTS_UNLINK_ACTIVITIES_UPDATED, "i", p->id);
    return rc;
}
