/* portfolio_db.c: the portfolio's SQL (entries, shares, the CV profile), named and bound
 *
 * The store file of the develop_portfolio_* and develop_cv_profiles tables (migration 0025).
 * The owner is part of every key; a reviewer reaches entries only through a share that names
 * them as its reviewer, so a withdrawn share (its row deleted) reaches nothing. Writes that
 * touch more than one row run in one transaction.
 */
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "develop/portfolio.h"
#include "store/db.h"

#include <ctype.h>
#include <string.h>

#define ENTRY_COLS                                                                                 \
    "e.id, e.user_id, e.kind, e.title, e.context, e.started_on, e.ended_on, e.body, e.skills, "    \
    "e.domains, e.on_cv, e.created_at, e.updated_at FROM develop_portfolio_entries e "
/* Newest start first, undated entries last. */
#define ENTRY_ORDER "ORDER BY e.started_on = 0, e.started_on DESC, e.id DESC"

/* Served by develop_portfolio_entries_user. */
static const char SQL_DPE_LIST[] =
    "SELECT " ENTRY_COLS "WHERE e.user_id = $1 AND ($2 = 0 OR e.on_cv = 1) " ENTRY_ORDER;
static const char SQL_DPE_GET[] = "SELECT " ENTRY_COLS "WHERE e.id = $1 AND e.user_id = $2";
static const char SQL_DPE_COUNT[] =
    "SELECT COUNT(*) FROM develop_portfolio_entries WHERE user_id = $1";
static const char SQL_DPE_INSERT[] =
    "INSERT INTO develop_portfolio_entries (user_id, kind, title, context, started_on, "
    "ended_on, body, skills, domains, on_cv, created_at, updated_at) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
static const char SQL_DPE_UPDATE[] =
    "UPDATE develop_portfolio_entries SET kind = $3, title = $4, context = $5, started_on = $6, "
    "ended_on = $7, body = $8, skills = $9, domains = $10, "
    "on_cv = CASE WHEN $11 = 1 THEN $12 ELSE on_cv END, updated_at = $13 "
    "WHERE id = $1 AND user_id = $2";
static const char SQL_DPE_DELETE_SHARED[] =
    "DELETE FROM develop_portfolio_share_entries WHERE entry_id IN "
    "(SELECT id FROM develop_portfolio_entries WHERE id = $1 AND user_id = $2)";
static const char SQL_DPE_DELETE[] =
    "DELETE FROM develop_portfolio_entries WHERE id = $1 AND user_id = $2";
static const char SQL_DPE_CV_CLEAR[] =
    "UPDATE develop_portfolio_entries SET on_cv = 0 WHERE user_id = $1 AND on_cv = 1";
static const char SQL_DPE_CV_SET[] = "UPDATE develop_portfolio_entries SET on_cv = 1, "
                                     "updated_at = $3 WHERE id = $1 AND user_id = $2";

/* ---- shares ---- */
static const char SQL_DPS_COUNT_OTHERS[] = "SELECT COUNT(*) FROM develop_portfolio_shares "
                                           "WHERE owner_id = $1 AND reviewer_address <> $2";
static const char SQL_DPS_OWN_ADDRESS[] = "SELECT COUNT(*) FROM users WHERE id = $1 AND email = $2";
static const char SQL_DPS_UPSERT[] =
    "INSERT INTO develop_portfolio_shares (owner_id, reviewer_address, whole, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (owner_id, reviewer_address) DO UPDATE SET "
    "whole = excluded.whole, created_at = excluded.created_at RETURNING id";
/* Served by develop_portfolio_shares_waiting (migration 0036). */
static const char SQL_DPS_CLAIM[] =
    "UPDATE develop_portfolio_shares SET reviewer_id = $1 "
    "WHERE reviewer_id IS NULL AND reviewer_address = $2 AND owner_id <> $1";
static const char SQL_DPS_CLEAR_ENTRIES[] =
    "DELETE FROM develop_portfolio_share_entries WHERE share_id = $1";
/* Only the owner's own entries can be put in their share. */
static const char SQL_DPS_ADD_ENTRY[] =
    "INSERT INTO develop_portfolio_share_entries (share_id, entry_id) SELECT $1, e.id FROM "
    "develop_portfolio_entries e WHERE e.id = $2 AND e.user_id = $3 ON CONFLICT DO NOTHING";
static const char SQL_DPS_COUNT_ENTRIES[] =
    "SELECT COUNT(*) FROM develop_portfolio_share_entries WHERE share_id = $1";
/* The owner sees the address they shared with, never whose account claimed it or whether one
 * has (develop_share_claim): that would tell them who is registered. */
static const char SQL_DPS_LIST[] =
    "SELECT s.id, s.owner_id, 0, s.whole, s.created_at, '', s.reviewer_address, "
    "(SELECT COUNT(*) FROM develop_portfolio_share_entries x WHERE x.share_id = s.id) "
    "FROM develop_portfolio_shares s "
    "WHERE s.owner_id = $1 ORDER BY s.created_at DESC, s.id DESC";
static const char SQL_DPS_WITHDRAW[] =
    "DELETE FROM develop_portfolio_shares WHERE id = $1 AND owner_id = $2";
/* Served by develop_portfolio_shares_reviewer. */
static const char SQL_DPS_WITH_ME[] =
    "SELECT s.id, s.owner_id, s.reviewer_id, s.whole, s.created_at, u.display_name, u.email, "
    "(SELECT COUNT(*) FROM develop_portfolio_share_entries x WHERE x.share_id = s.id) "
    "FROM develop_portfolio_shares s JOIN users u ON u.id = s.owner_id "
    "WHERE s.reviewer_id = $1 ORDER BY s.created_at DESC, s.id DESC";
static const char SQL_DPS_OPEN[] =
    "SELECT s.id, s.owner_id, s.reviewer_id, s.whole, s.created_at, u.display_name, u.email, "
    "(SELECT COUNT(*) FROM develop_portfolio_share_entries x WHERE x.share_id = s.id) "
    "FROM develop_portfolio_shares s JOIN users u ON u.id = s.owner_id "
    "WHERE s.id = $1 AND s.reviewer_id = $2";
static const char SQL_DPS_ENTRIES[] =
    "SELECT " ENTRY_COLS "JOIN develop_portfolio_share_entries x ON x.entry_id = e.id "
    "WHERE x.share_id = $1 AND e.user_id = $2 " ENTRY_ORDER;
static const char SQL_DPS_ENTRY_IDS[] =
    "SELECT entry_id FROM develop_portfolio_share_entries WHERE share_id = $1 ORDER BY entry_id";

/* ---- the CV profile (served by its primary key) ---- */
static const char SQL_DCV_GET[] =
    "SELECT headline, summary, updated_at FROM develop_cv_profiles WHERE user_id = $1";
static const char SQL_DCV_UPSERT[] =
    "INSERT INTO develop_cv_profiles (user_id, headline, summary, updated_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET headline = excluded.headline, "
    "summary = excluded.summary, updated_at = excluded.updated_at";

static int read_entry(struct db_stmt *st, struct arena *a, struct develop_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = db_col_int(st, 0);
    e->user_id = db_col_int(st, 1);
    e->kind = arena_strdup(a, db_col_text(st, 2));
    e->title = arena_strdup(a, db_col_text(st, 3));
    e->context = arena_strdup(a, db_col_text(st, 4));
    e->started_on = db_col_int(st, 5);
    e->ended_on = db_col_int(st, 6);
    e->body = arena_strdup(a, db_col_text(st, 7));
    e->skills = arena_strdup(a, db_col_text(st, 8));
    e->domains = arena_strdup(a, db_col_text(st, 9));
    e->on_cv = db_col_int(st, 10) != 0;
    e->created_at = db_col_int(st, 11);
    e->updated_at = db_col_int(st, 12);
    return e->kind && e->title && e->context && e->body && e->skills && e->domains ? APP_OK
                                                                                   : APP_E_NOMEM;
}

/* Reads every row of the prepared statement st into an arena array. Finalizes st. */
static int read_entries(struct db_stmt *st, struct arena *a, struct develop_entry **out, size_t *n)
{
    struct develop_entry *v = NULL;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct develop_entry *g = arena_grow(a, v, *n + 1, &cap, sizeof *v);
        if (!g) {
            rc = APP_E_NOMEM;
            break;
        }
        v = g;
        if ((rc = read_entry(st, a, &v[*n])))
            break;
        (*n)++;
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc == DB_ROW ? APP_E_INTERNAL : rc;
    *out = v;
    return APP_OK;
}

int develop_entry_list(struct db *db, struct arena *a, int64_t user_id, bool cv_only,
                       struct develop_entry **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_DPE_LIST, &st, "ii", user_id, (int64_t)cv_only);
    if (rc)
        return rc;
    return read_entries(st, a, out, n);
}

int develop_entry_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                      struct develop_entry *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DPE_GET, &st, "ii", id, user_id);
    if (!rc)
        rc = read_entry(st, a, out);
    db_finalize(st);
    return rc;
}

int develop_entry_save(struct db *db, struct develop_entry *e, bool set_cv, int64_t now)
{
    int64_t count = 0;
    int rc;

    if (e->id) {
        rc = db_run(db, SQL_DPE_UPDATE, "iitttiitttiii", e->id, e->user_id, e->kind, e->title,
                    e->context, e->started_on, e->ended_on, e->body, e->skills, e->domains,
                    (int64_t)set_cv, (int64_t)e->on_cv, now);
        if (!rc && db_changes(db) == 0)
            rc = APP_E_NOTFOUND;
        return rc;
    }
    if ((rc = db_run_int(db, SQL_DPE_COUNT, &count, "i", e->user_id)))
        return rc;
    if (count >= DEVELOP_PORTFOLIO_MAX)
        return APP_E_TOOBIG;
    return db_run_int(db, SQL_DPE_INSERT, &e->id, "itttiitttii", e->user_id, e->kind, e->title,
                      e->context, e->started_on, e->ended_on, e->body, e->skills, e->domains,
                      (int64_t)e->on_cv, now);
}

int develop_entry_delete(struct db *db, int64_t id, int64_t user_id)
{
    int rc = db_begin(db);
    if (!rc)
        rc = db_run(db, SQL_DPE_DELETE_SHARED, "ii", id, user_id);
    if (!rc)
        rc = db_run(db, SQL_DPE_DELETE, "ii", id, user_id);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int develop_cv_profile_put(struct db *db, int64_t user_id, const struct develop_cv_profile *p,
                           int64_t now)
{
    return db_run(db, SQL_DCV_UPSERT, "itti", user_id, p->headline ? p->headline : "",
                  p->summary ? p->summary : "", now);
}

int develop_cv_save(struct db *db, int64_t user_id, const struct develop_cv_profile *p,
                    const int64_t *ids, size_t n, int64_t now)
{
    int rc = db_begin(db);
    if (!rc)
        rc = develop_cv_profile_put(db, user_id, p, now);
    if (!rc)
        rc = db_run(db, SQL_DPE_CV_CLEAR, "i", user_id);
    for (size_t i = 0; !rc && i < n; i++)
        rc = db_run(db, SQL_DPE_CV_SET, "iii", ids[i], user_id, now);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

static int read_share(struct db_stmt *st, struct arena *a, struct develop_share *s)
{
    memset(s, 0, sizeof *s);
    s->id = db_col_int(st, 0);
    s->owner_id = db_col_int(st, 1);
    s->reviewer_id = db_col_int(st, 2);
    s->whole = db_col_int(st, 3) != 0;
    s->created_at = db_col_int(st, 4);
    /* the other person's name: the reviewer's for the owner, the owner's for the reviewer */
    s->reviewer_name = s->owner_name = arena_strdup(a, db_col_text(st, 5));
    s->reviewer_email = arena_strdup(a, db_col_text(st, 6));
    s->nentries = (size_t)db_col_int(st, 7);
    return s->owner_name && s->reviewer_email ? APP_OK : APP_E_NOMEM;
}

static int read_shares(struct db *db, struct arena *a, const char *sql, int64_t user_id,
                       struct develop_share **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct develop_share *v = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, sql, &st, "i", user_id);

    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct develop_share *g = arena_grow(a, v, *n + 1, &cap, sizeof *v);
        if (!g) {
            rc = APP_E_NOMEM;
            break;
        }
        v = g;
        if ((rc = read_share(st, a, &v[*n])))
            break;
        (*n)++;
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc == DB_ROW ? APP_E_INTERNAL : rc;
    *out = v;
    return APP_OK;
}

int develop_share_save(struct db *db, int64_t user_id, const char *reviewer_email, bool whole,
                       const int64_t *ids, size_t n, int64_t now, int64_t *id)
{
    char address[DEVELOP_SHARE_ADDRESS_MAX + 1];
    int64_t others = 0, chosen = 0, own = 0, sid = 0;
    size_t len = reviewer_email ? strlen(reviewer_email) : 0;
    int rc;

    if (!whole && n == 0)
        return APP_E_INVALID;
    if (len == 0 || len > DEVELOP_SHARE_ADDRESS_MAX)
        return APP_E_INVALID;
    /* Accounts keep their address in lower case (account_user_create), so the share does too,
     * to be claimed by the account whatever case the member typed. */
    for (size_t i = 0; i <= len; i++)
        address[i] = (char)tolower((unsigned char)reviewer_email[i]);
    if ((rc = db_run_int(db, SQL_DPS_OWN_ADDRESS, &own, "it", user_id, address)))
        return rc;
    if (own)
        return APP_E_CONFLICT;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run_int(db, SQL_DPS_COUNT_OTHERS, &others, "it", user_id, address)))
        goto done;
    if (others >= DEVELOP_SHARES_MAX) {
        rc = APP_E_TOOBIG;
        goto done;
    }
    if ((rc = db_run_int(db, SQL_DPS_UPSERT, &sid, "itii", user_id, address, (int64_t)whole,
                         now)) ||
        (rc = db_run(db, SQL_DPS_CLEAR_ENTRIES, "i", sid)))
        goto done;
    for (size_t i = 0; !whole && !rc && i < n; i++)
        rc = db_run(db, SQL_DPS_ADD_ENTRY, "iii", sid, ids[i], user_id);
    if (!rc && !whole && !(rc = db_run_int(db, SQL_DPS_COUNT_ENTRIES, &chosen, "i", sid)) &&
        chosen == 0)
        rc = APP_E_INVALID; /* none of the ids was theirs */
    if (!rc)
        rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    else
        *id = sid;
    return rc;
}

int develop_share_claim(struct db *db, int64_t reviewer_id, const char *email)
{
    return db_run(db, SQL_DPS_CLAIM, "it", reviewer_id, email ? email : "");
}

int develop_share_list(struct db *db, struct arena *a, int64_t user_id, struct develop_share **out,
                       size_t *n)
{
    return read_shares(db, a, SQL_DPS_LIST, user_id, out, n);
}

int develop_share_withdraw(struct db *db, int64_t id, int64_t user_id)
{
    int rc = db_run(db, SQL_DPS_WITHDRAW, "ii", id, user_id);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

int develop_shared_with(struct db *db, struct arena *a, int64_t reviewer_id, const char *email,
                        struct develop_share **out, size_t *n)
{
    int rc = develop_share_claim(db, reviewer_id, email);
    *out = NULL;
    *n = 0;
    return rc ? rc : read_shares(db, a, SQL_DPS_WITH_ME, reviewer_id, out, n);
}

int develop_share_open(struct db *db, struct arena *a, int64_t id, int64_t reviewer_id,
                       const char *email, struct develop_share *out,
                       struct develop_entry **entries, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = develop_share_claim(db, reviewer_id, email);

    if (!rc)
        rc = db_row(db, SQL_DPS_OPEN, &st, "ii", id, reviewer_id);
    if (!rc)
        rc = read_share(st, a, out);
    db_finalize(st);
    st = NULL;
    if (rc)
        return rc;
    if (out->whole)
        return develop_entry_list(db, a, out->owner_id, false, entries, n);
    if ((rc = db_prepare_bind(db, SQL_DPS_ENTRIES, &st, "ii", id, out->owner_id)))
        return rc;
    return read_entries(st, a, entries, n);
}

int develop_share_entry_ids(struct db *db, struct arena *a, int64_t id, int64_t **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int64_t *v = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_DPS_ENTRY_IDS, &st, "i", id);

    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t *g = arena_grow(a, v, *n + 1, &cap, sizeof *v);
        if (!g) {
            rc = APP_E_NOMEM;
            break;
        }
        v = g;
        v[(*n)++] = db_col_int(st, 0);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc == DB_ROW ? APP_E_INTERNAL : rc;
    *out = v;
    return APP_OK;
}

int develop_cv_profile_get(struct db *db, struct arena *a, int64_t user_id,
                           struct develop_cv_profile *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_DCV_GET, &st, "i", user_id);

    out->headline = out->summary = "";
    out->updated_at = 0;
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    if (!rc) {
        out->headline = arena_strdup(a, db_col_text(st, 0));
        out->summary = arena_strdup(a, db_col_text(st, 1));
        out->updated_at = db_col_int(st, 2);
        if (!out->headline || !out->summary)
            rc = APP_E_NOMEM;
    }
    db_finalize(st);
    return rc;
}
