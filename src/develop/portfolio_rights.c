/* portfolio_rights.c: the portfolio's part of a member's data rights (account/rights.h),
 * called from Develop's part (rights.c)
 *
 * A member's copy holds every entry of theirs whole, the CV profile, whom they shared their
 * portfolio with (and which entries), and whose portfolios were shared with them (the fact
 * and the name, not the other member's entries, which are that member's data). Deleting the
 * account deletes all of it: their entries, profile and shares, and the shares others made
 * to them, so no row names them afterwards.
 */
#include "account/rights.h"
#include "core/err.h"
#include "develop/portfolio.h"
#include "store/db.h"

#include <string.h>

static const char SQL_ENTRIES[] =
    "SELECT id, kind, title, context, started_on, ended_on, body, skills, domains, on_cv, "
    "created_at, updated_at FROM develop_portfolio_entries WHERE user_id = $1 ORDER BY id";
/* The shares whose reviewer is user $1: those they claimed, and those still waiting for their
 * address (migration 0036), which would be theirs at their next look. */
#define MINE                                                                                       \
    "(s.reviewer_id = $1 OR (s.reviewer_id IS NULL AND s.reviewer_address = "                     \
    "(SELECT e.email FROM users e WHERE e.id = $1)))"
static const char SQL_PROFILE[] =
    "SELECT headline, summary, updated_at FROM develop_cv_profiles WHERE user_id = $1";
static const char SQL_SHARES_MADE[] =
    "SELECT s.id, s.reviewer_address, s.whole, s.created_at FROM develop_portfolio_shares s "
    "WHERE s.owner_id = $1 ORDER BY s.id";
static const char SQL_SHARE_ENTRIES[] =
    "SELECT x.share_id, x.entry_id FROM develop_portfolio_share_entries x "
    "JOIN develop_portfolio_shares s ON s.id = x.share_id WHERE s.owner_id = $1 "
    "ORDER BY x.share_id, x.entry_id";
static const char SQL_SHARED_WITH_ME[] =
    "SELECT s.id, u.display_name, s.whole, s.created_at FROM develop_portfolio_shares s "
    "JOIN users u ON u.id = s.owner_id WHERE " MINE " ORDER BY s.id";
/* The shares someone made are theirs and go; a share made to them is its owner's (the
 * address the owner typed) and stays, no longer claimed, exactly as a share to an address
 * with no account: deleting it would tell the owner that an account had existed. */
static const char SQL_DELETE_SHARE_ENTRIES[] =
    "DELETE FROM develop_portfolio_share_entries WHERE share_id IN (SELECT id FROM "
    "develop_portfolio_shares WHERE owner_id = $1) OR entry_id IN "
    "(SELECT id FROM develop_portfolio_entries WHERE user_id = $1)";
static const char SQL_DELETE_SHARES[] = "DELETE FROM develop_portfolio_shares WHERE owner_id = $1";
static const char SQL_UNCLAIM_SHARES[] =
    "UPDATE develop_portfolio_shares SET reviewer_id = NULL WHERE reviewer_id = $1";
static const char SQL_DELETE_ENTRIES[] = "DELETE FROM develop_portfolio_entries WHERE user_id = $1";
static const char SQL_DELETE_PROFILE[] = "DELETE FROM develop_cv_profiles WHERE user_id = $1";

/* the dates named and written as the portfolio's API gives and takes them ("2025-03-01"), and
 * the skills and areas as lists of the codes it gives (each tag's "code") and takes */
static const char *const ENTRIES[] = {"id",    "kind",  "title",      "context",
                                      "start", "end",   "body",       "skills",
                                      "areas", "on_cv", "created_at", "updated_at"};
static const char *const PROFILE[] = {"headline", "summary", "updated_at"};
static const char *const SHARES_MADE[] = {"id", "reviewer_email", "whole", "created_at"};
static const char *const SHARE_ENTRIES[] = {"share", "entry"};
static const char *const SHARED_WITH_ME[] = {"id", "owner", "whole", "created_at"};

int develop_portfolio_rights_export(struct db *db, int64_t user_id, json_t *develop)
{
    static const struct {
        const char *key, *sql;
        const char *const *names;
        const char *kinds;
    } parts[] = {
        {"portfolio_entries", SQL_ENTRIES, ENTRIES, "itttddtllbii"},
        {"cv_profile", SQL_PROFILE, PROFILE, "tti"},
        {"portfolio_shared_with", SQL_SHARES_MADE, SHARES_MADE, "itbi"},
        {"portfolio_shared_entries", SQL_SHARE_ENTRIES, SHARE_ENTRIES, "ii"},
        {"portfolios_shared_with_you", SQL_SHARED_WITH_ME, SHARED_WITH_ME, "itbi"},
    };
    int rc = APP_OK;
    for (size_t i = 0; !rc && i < sizeof parts / sizeof parts[0]; i++)
        rc = rights_rows(db, parts[i].sql, user_id, develop, parts[i].key, parts[i].names,
                         parts[i].kinds, strlen(parts[i].kinds));
    return rc;
}

int develop_portfolio_rights_erase(struct db *db, int64_t user_id)
{
    int rc = db_run(db, SQL_DELETE_SHARE_ENTRIES, "i", user_id);
    if (!rc)
        rc = db_run(db, SQL_DELETE_SHARES, "i", user_id);
    if (!rc)
        rc = db_run(db, SQL_UNCLAIM_SHARES, "i", user_id);
    if (!rc)
        rc = db_run(db, SQL_DELETE_ENTRIES, "i", user_id);
    if (!rc)
        rc = db_run(db, SQL_DELETE_PROFILE, "i", user_id);
    return rc;
}
