/* gap_release_db.c: the gap views' releases (migration 0037), named SQL and the one
 * transaction that decides whether a view may be shown (gap_release.h)
 *
 * The decision reads every release of the framework version, one short row each (counts and
 * the date; items only for the few whose counts come close), so it costs one pass over the
 * releases' counts: the same set as one already shown, the common case when a lead looks
 * again, is found by its digest first and reads nothing more.
 */
#include "develop/gap_release.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <sodium.h>
#include <string.h>

/* Held until commit: on SQLite db_begin's write lock already orders deciders; on PostgreSQL
 * the row lock of this update does. */
static const char SQL_GR_LOCK[] =
    "UPDATE develop_gap_release_lock SET taken = taken + 1 WHERE id = 1";
/* Served by develop_gap_releases_digest. */
static const char SQL_GR_SAME[] =
    "SELECT id FROM develop_gap_releases WHERE framework_id = $1 AND digest = $2 LIMIT 1";
static const char SQL_GR_ALL[] =
    "SELECT id, counts FROM develop_gap_releases WHERE framework_id = $1 ORDER BY id";
static const char SQL_GR_ITEMS[] = "SELECT items FROM develop_gap_releases WHERE id = $1";
/* Served by develop_gap_releases_group. */
static const char SQL_GR_LATEST[] =
    "SELECT sums, released_at, items FROM develop_gap_releases WHERE group_kind = $1 AND "
    "group_id = $2 AND framework_id = $3 ORDER BY id DESC LIMIT 1";
static const char SQL_GR_INSERT[] =
    "INSERT INTO develop_gap_releases (framework_id, group_kind, group_id, items, digest, "
    "counts, sums, released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/* A release's id and counts, as the decision's first pass reads them. */
struct release {
    int64_t id;
    uint64_t counts[DEVELOP_MAX_DOMAINS];
};

static const char *kind_name(enum develop_group_kind kind)
{
    return kind == DGK_COHORT ? "cohort" : "organisation";
}

/* Whether the set conflicts with any release (gap_release_conflict), reading the items of
 * those whose counts come close. */
static int conflicts(struct db *db, struct arena *a, int64_t framework_id,
                     const struct gap_item *items, size_t n, const uint64_t *counts, size_t nd,
                     uint32_t threshold, bool *out)
{
    struct db_stmt *st = NULL;
    struct release *close = NULL;
    size_t nclose = 0, cap = 0;
    int rc = db_prepare_bind(db, SQL_GR_ALL, &st, "i", framework_id);
    *out = false;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct release r = {.id = db_col_int(st, 0)};
        rc = APP_OK;
        /* a row another version of the code wrote differently: treated as close */
        if (gap_counts_parse(db_col_text(st, 1), nd, r.counts) &&
            !gap_release_conflict(NULL, 0, counts, NULL, 0, r.counts, nd, threshold))
            continue;
        if (!(close = arena_grow(a, close, nclose + 1, &cap, sizeof *close))) {
            rc = APP_E_NOMEM;
            break;
        }
        close[nclose++] = r;
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE)
        return rc ? rc : APP_E_INTERNAL;
    rc = APP_OK;
    for (size_t i = 0; !rc && !*out && i < nclose; i++) {
        struct gap_item *other;
        size_t nother;
        if ((rc = db_row(db, SQL_GR_ITEMS, &st, "i", close[i].id)))
            break;
        if (!gap_items_parse(a, db_col_text(st, 0), &other, &nother))
            *out = true; /* unreadable: assume the worst */
        else
            *out = gap_release_conflict(items, n, counts, other, nother, close[i].counts, nd,
                                        threshold);
        db_finalize(st);
        st = NULL;
    }
    db_finalize(st);
    return rc;
}

int gap_release_decide(struct db *db, struct arena *a, int64_t framework_id,
                       enum develop_group_kind kind, int64_t group_id, const struct gap_item *items,
                       size_t n, const struct gap_sums *sums, size_t nd, uint32_t threshold,
                       int64_t now, struct gap_release_decision *out)
{
    struct buf text = BUF_INIT, counts_text = BUF_INIT, sums_text = BUF_INIT;
    struct db_stmt *st = NULL;
    uint64_t counts[DEVELOP_MAX_DOMAINS];
    unsigned char hash[16];
    char digest[sizeof hash * 2 + 1];
    bool clash = false;
    int rc;

    memset(out, 0, sizeof *out);
    gap_items_text(items, n, &text);
    gap_items_counts(items, n, nd, counts);
    gap_counts_text(counts, nd, &counts_text);
    gap_sums_text(sums, nd, &sums_text);
    if (buf_oom(&text) || buf_oom(&counts_text) || buf_oom(&sums_text)) {
        rc = APP_E_NOMEM;
        goto out;
    }
    crypto_generichash(hash, sizeof hash, (const unsigned char *)(text.data ? text.data : ""),
                       text.len, NULL, 0);
    sodium_bin2hex(digest, sizeof digest, hash, sizeof hash);
    /* Shown before (a lead looking again): the same figures, and nothing to write. */
    rc = db_row(db, SQL_GR_SAME, &st, "it", framework_id, digest);
    db_finalize(st);
    st = NULL;
    if (rc == APP_OK) {
        out->answer = GAP_SHOW_NOW;
        goto out;
    }
    if (rc != APP_E_NOTFOUND)
        goto out;
    if ((rc = db_begin(db)))
        goto out;
    if ((rc = db_run(db, SQL_GR_LOCK, "")))
        goto done;
    /* again under the lock: another decision may have kept it meanwhile */
    rc = db_row(db, SQL_GR_SAME, &st, "it", framework_id, digest);
    db_finalize(st);
    st = NULL;
    if (rc == APP_OK) {
        out->answer = GAP_SHOW_NOW; /* shown before: the same figures again */
        goto done;
    }
    if (rc != APP_E_NOTFOUND)
        goto done;
    if ((rc = conflicts(db, a, framework_id, items, n, counts, nd, threshold, &clash)))
        goto done;
    if (!clash) {
        out->answer = GAP_SHOW_NOW;
        rc = db_run(db, SQL_GR_INSERT, "ititttti", framework_id, kind_name(kind), group_id,
                    text.data ? text.data : "", digest, counts_text.data ? counts_text.data : "",
                    sums_text.data ? sums_text.data : "", now);
        goto done;
    }
    rc = db_row(db, SQL_GR_LATEST, &st, "tii", kind_name(kind), group_id, framework_id);
    if (rc == APP_E_NOTFOUND) {
        out->answer = GAP_WITHHELD;
        rc = APP_OK;
    } else if (rc == APP_OK) {
        struct gap_item *held;
        out->answer = GAP_SHOW_HELD;
        out->released_at = db_col_int(st, 1);
        /* unreadable: show nothing rather than guess */
        if (!gap_sums_parse(db_col_text(st, 0), nd, &out->sums) ||
            !gap_items_parse(a, db_col_text(st, 2), &held, &out->nitems))
            out->answer = GAP_WITHHELD;
    }
done:
    db_finalize(st);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
out:
    buf_free(&text);
    buf_free(&counts_text);
    buf_free(&sums_text);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}
