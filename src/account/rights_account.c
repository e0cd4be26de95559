/* rights_account.c: the account module's part of a member's data rights (rights.h) — the
 * account itself, its sessions and API tokens, the organisation identities that sign in as
 * it, the invitation and reset links sent to it, and the security log entries about it
 *
 * Deletion removes the sessions and tokens (so no cookie or token of the member works a
 * moment longer) and keeps each security log entry as an event that happened, with the
 * links to the member cut and their email and name taken out of its text. The user row
 * itself is deleted last, by rights_erase(), once every part has let go of it.
 */
#include "account/account.h"
#include "account/rights.h"
#include "account/store.h"
#include "core/err.h"
#include "store/db.h"

int account_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                          json_t *doc)
{
    static const char *const sess[] = {"created_at", "last_seen", "expires_at"};
    static const char *const toks[] = {"name", "prefix", "created_at", "last_used", "revoked_at"};
    static const char *const audit[] = {"at", "event", "done_by", "done_to", "detail"};
    static const char *const ids[] = {"issuer", "subject", "created_at", "last_used"};
    static const char *const links[] = {"purpose", "created_at", "expires_at", "used_at"};
    static const char *const cohorts[] = {"name", "added_at"};
    struct db_stmt *st = NULL;
    const char *pn, *rn;
    json_t *acc;
    int rc;
    (void)a;
    rc = db_row(db, SQL_RIGHTS_USER, &st, "i", p->id);
    if (rc)
        return rc;
    pn = ref_name(professions, professions_count, db_col_text(st, 4));
    rn = ref_name(regions, regions_count, db_col_text(st, 5));
    acc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:I, s:I}", "id",
                    (json_int_t)db_col_int(st, 0), "email", db_col_text(st, 1), "display_name",
                    db_col_text(st, 2), "role", db_col_text(st, 3), "profession", pn ? pn : "",
                    "region", rn ? rn : "", "organisation", "name", db_col_text(st, 6), "region",
                    db_col_text(st, 7), "created_at", (json_int_t)db_col_int(st, 8), "updated_at",
                    (json_int_t)db_col_int(st, 9));
    db_finalize(st);
    if (!acc || json_object_set_new(doc, "account", acc))
        return APP_E_NOMEM;
    rc = rights_rows(db, SQL_RIGHTS_SESSIONS, p->id, doc, "sessions", sess, "iii", 3);
    if (!rc)
        rc = rights_rows(db, SQL_RIGHTS_TOKENS, p->id, doc, "api_tokens", toks, "ttiii", 5);
    if (!rc)
        rc = rights_rows(db, SQL_RIGHTS_AUDIT, p->id, doc, "security_log", audit, "itttt", 5);
    if (!rc)
        rc = rights_rows(db, SQL_RIGHTS_IDENTITIES, p->id, doc, "organisation_sign_in", ids,
                         "ttii", 4);
    if (!rc)
        rc = rights_rows(db, SQL_RIGHTS_LINKS, p->id, doc, "invitation_and_reset_links", links,
                         "tiii", 4);
    if (!rc)
        rc = rights_rows(db, SQL_RIGHTS_COHORTS, p->id, doc, "cohorts", cohorts, "ti", 2);
    return rc;
}

int account_rights_erase(struct db *db, const struct rights_person *p)
{
    int rc = db_run(db, SQL_RIGHTS_SESSIONS_DELETE, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_TOKENS_DELETE, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_IDENTITIES_DELETE, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_DOMAINS_UNLINK, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_LINKS_DELETE, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_LINKS_UNLINK, "i", p->id);
    /* Text first, while the entries still say whom they are about. */
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_AUDIT_SCRUB_EMAIL, "it", p->id, p->email);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_AUDIT_SCRUB_NAME, "it", p->id, p->display_name);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_AUDIT_UNLINK_ACTOR, "i", p->id);
    if (!rc)
        rc = db_run(db, SQL_RIGHTS_AUDIT_UNLINK_SUBJECT, "i", p->id);
    return rc;
}
