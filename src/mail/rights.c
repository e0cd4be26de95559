/* rights.c: the mail module's part of a member's data rights (account/rights.h) — the
 * messages the service addressed to them
 *
 * The outbox names people only by the address a message went to. The copy lists those
 * messages without their bodies: a body may hold a link that acts for the member (a reset
 * link still in force), which a downloaded file should not carry. Deletion removes them, since
 * their bodies name the member and nothing else relies on them.
 */
#include "account/rights.h"
#include "core/err.h"
#include "mail/store.h"
#include "store/db.h"

static const char *const MESSAGES[] = {"kind", "subject", "state", "created_at", "sent_at"};

int mail_rights_export(struct db *db, struct arena *a, const struct rights_person *p, json_t *doc)
{
    struct db_stmt *st = NULL;
    json_t *arr = json_array();
    int rc;
    (void)a;
    if (!arr || json_object_set_new(doc, "mail_sent_to_you", arr))
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_MAIL_RIGHTS_LIST, &st, "t", p->email);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        for (int i = 0; o && i < 5; i++)
            if (json_object_set_new(o, MESSAGES[i],
                                    i < 3 ? json_string(db_col_text(st, i))
                                          : json_integer((json_int_t)db_col_int(st, i)))) {
                json_decref(o);
                o = NULL;
            }
        if (!o || json_array_append_new(arr, o)) {
            rc = APP_E_NOMEM;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int mail_rights_erase(struct db *db, const struct rights_person *p)
{
    return db_run(db, SQL_MAIL_RIGHTS_DELETE, "t", p->email);
}
