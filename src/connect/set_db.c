/* set_db.c: action learning sets in the database — making a split, reading sets, hand
 * moves, publishing, facilitators and meetings (see set.h)
 *
 * Every change runs in one transaction with its audit row. A move first touches the split's
 * row (UPDATE … updated_at), which on PostgreSQL holds that row's lock until commit and on
 * SQLite is inside BEGIN IMMEDIATE: two leads moving people in the same split at once are
 * taken one after the other, so the sizes and pairs checked are the ones written against.
 * The split's score is stored when it changes so lists need not recompute it: it is the mix
 * of the people who are in the sets now (in the split's copy and still in its cohort), so
 * every change of who that is — made, moved, a member leaving, a lead taking someone out of
 * the cohort or putting them back, the cohort deleted, an account deleted — recomputes it in
 * its own transaction (split_rescore), after taking the split's row as a move does.
 */
#include "connect/set.h"
#include "connect/sets.h"
#include "account/account.h"
#include "account/cohort.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uktime.h"
#include "store/db.h"
#include "text/redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- SQL ---- */
#define SPLIT_COLS                                                                                 \
    "s.id, COALESCE(s.cohort_id, 0), s.title, COALESCE(c.name, ''), s.target, s.seed, s.score, "   \
    "s.random_score, s.published_at, COALESCE(s.created_by, 0), s.created_at, s.updated_at, "      \
    "(SELECT count(*) FROM connect_sets x WHERE x.split_id = s.id), "                              \
    "(SELECT count(*) FROM connect_set_members x WHERE x.split_id = s.id AND (s.cohort_id IS "     \
    "NULL OR EXISTS (SELECT 1 FROM cohort_members c WHERE c.cohort_id = s.cohort_id AND "          \
    "c.user_id = x.user_id))), "                                                                   \
    "(SELECT count(*) FROM connect_split_apart x WHERE x.split_id = s.id) "
static const char SQL_SPLIT_LIST[] =
    "SELECT " SPLIT_COLS "FROM connect_splits s LEFT JOIN cohorts c ON c.id = s.cohort_id "
    "ORDER BY s.created_at DESC, s.id DESC";
static const char SQL_SPLIT_GET[] =
    "SELECT " SPLIT_COLS "FROM connect_splits s LEFT JOIN cohorts c ON c.id = s.cohort_id "
    "WHERE s.id = $1";
static const char SQL_SPLIT_INSERT[] =
    "INSERT INTO connect_splits (cohort_id, title, target, seed, score, random_score, "
    "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
    "RETURNING id";
static const char SQL_SET_INSERT[] =
    "INSERT INTO connect_sets (split_id, number) VALUES ($1, $2) RETURNING id";
static const char SQL_MEMBER_INSERT[] =
    "INSERT INTO connect_set_members (split_id, set_id, user_id) VALUES ($1, $2, $3)";
static const char SQL_APART_INSERT[] =
    "INSERT INTO connect_split_apart (split_id, user_a, user_b) VALUES ($1, $2, $3)";
static const char SQL_APART_LIST[] =
    "SELECT user_a, user_b FROM connect_split_apart WHERE split_id = $1";
/* The people of a split, set by set; $2 and $3 bound the set numbers (inclusive). The last
 * column: 1 while they are in the split's cohort (or it has been deleted). */
static const char SQL_SPLIT_PEOPLE[] =
    "SELECT u.id, u.email, u.display_name, u.profession, u.region, "
    "COALESCE(u.organisation_id, 0), COALESCE(o.name, ''), s.number, "
    "CASE WHEN p.cohort_id IS NULL OR EXISTS (SELECT 1 FROM cohort_members c WHERE "
    "c.cohort_id = p.cohort_id AND c.user_id = u.id) THEN 1 ELSE 0 END "
    "FROM connect_set_members m JOIN connect_sets s ON s.id = m.set_id "
    "JOIN connect_splits p ON p.id = m.split_id "
    "JOIN users u ON u.id = m.user_id LEFT JOIN organisations o ON o.id = u.organisation_id "
    "WHERE m.split_id = $1 AND s.number BETWEEN $2 AND $3 "
    "ORDER BY s.number, lower(u.display_name), u.id";
#define SET_COLS                                                                                   \
    "s.id, s.split_id, s.number, COALESCE(s.facilitator_id, 0), COALESCE(f.display_name, ''), "    \
    "COALESCE(f.email, '') "
static const char SQL_SETS_PAGE[] =
    "SELECT " SET_COLS "FROM connect_sets s LEFT JOIN users f ON f.id = s.facilitator_id "
    "WHERE s.split_id = $1 ORDER BY s.number LIMIT $2 OFFSET $3";
static const char SQL_SET_GET[] =
    "SELECT " SET_COLS "FROM connect_sets s LEFT JOIN users f ON f.id = s.facilitator_id "
    "WHERE s.split_id = $1 AND s.number = $2";
/* A member has their set while they are in the split's cohort: taken out of it, they no
 * longer see the set (a cohort since deleted takes nobody's set away). p is the split, $1 or
 * $2 the member. */
#define STILL_IN_COHORT(user)                                                                      \
    "(p.cohort_id IS NULL OR EXISTS (SELECT 1 FROM cohort_members c WHERE c.cohort_id = "          \
    "p.cohort_id AND c.user_id = " user ")) "
static const char SQL_SETS_FOR[] =
    "SELECT " SET_COLS "FROM connect_sets s LEFT JOIN users f ON f.id = s.facilitator_id "
    "JOIN connect_splits p ON p.id = s.split_id WHERE p.published_at > 0 AND "
    "(s.facilitator_id = $1 OR (EXISTS (SELECT 1 FROM connect_set_members m WHERE m.set_id = "
    "s.id AND m.user_id = $1) AND " STILL_IN_COHORT(
        "$1") ")) "
              "ORDER BY p.published_at DESC, p.id DESC, s.number";
static const char SQL_SET_IS_MEMBER[] =
    "SELECT 1 FROM connect_set_members m JOIN connect_splits p ON p.id = m.split_id "
    "WHERE m.set_id = $1 AND m.user_id = $2 AND " STILL_IN_COHORT("$2");
static const char SQL_SET_LEAVE[] =
    "DELETE FROM connect_set_members WHERE set_id = $1 AND user_id = $2";
static const char SQL_SET_LEAVER_ADD[] =
    "INSERT INTO connect_set_leavers (set_id, user_id, left_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (set_id, user_id) DO UPDATE SET left_at = excluded.left_at";
static const char SQL_SET_LEAVERS[] =
    "SELECT u.display_name, l.left_at FROM connect_set_leavers l JOIN users u ON u.id = "
    "l.user_id WHERE l.set_id = $1 ORDER BY l.left_at, u.id";
static const char SQL_SPLIT_TOUCH[] = "UPDATE connect_splits SET updated_at = $2 WHERE id = $1";
static const char SQL_SPLIT_SCORE[] =
    "UPDATE connect_splits SET score = $2, updated_at = $3 WHERE id = $1";
/* split_rescore: the row taken first (the lock a move takes, without calling it a change of
 * the split), then the score of the people in it now */
static const char SQL_SPLIT_LOCK[] = "UPDATE connect_splits SET score = score WHERE id = $1";
static const char SQL_SPLIT_RESCORE[] = "UPDATE connect_splits SET score = $2 WHERE id = $1";
/* the splits whose scores follow a cohort, and those an account is in (before it goes) */
static const char SQL_SPLITS_OF_COHORT[] =
    "SELECT id FROM connect_splits WHERE cohort_id = $1 ORDER BY id";
static const char SQL_SPLITS_LET_GO[] =
    "UPDATE connect_splits SET cohort_id = NULL WHERE cohort_id = $1";
/* before a cohort goes: those taken out of it leave its splits' sets for good, or they would
 * be back in them, by name, for the other members once nothing says they were taken out */
static const char SQL_SPLITS_DROP_OUTSIDERS[] =
    "DELETE FROM connect_set_members WHERE split_id IN (SELECT id FROM connect_splits WHERE "
    "cohort_id = $1) AND user_id NOT IN (SELECT user_id FROM cohort_members WHERE cohort_id = "
    "$1)";
static const char SQL_SPLITS_OF_USER[] =
    "SELECT DISTINCT split_id FROM connect_set_members WHERE user_id = $1 ORDER BY split_id";
static const char SQL_MEMBERS_ERASE[] = "DELETE FROM connect_set_members WHERE user_id = $1";
static const char SQL_MEMBER_MOVE[] =
    "UPDATE connect_set_members SET set_id = (SELECT id FROM connect_sets WHERE split_id = $1 "
    "AND number = $3) WHERE split_id = $1 AND user_id = $2";
static const char SQL_SPLIT_PUBLISH[] =
    "UPDATE connect_splits SET published_at = $2, updated_at = $2 WHERE id = $1 AND "
    "published_at = 0";
static const char SQL_SPLIT_DELETE[] = "DELETE FROM connect_splits WHERE id = $1";
static const char SQL_USER_ACTIVE[] =
    "SELECT id FROM users WHERE email = $1 AND deactivated_at = 0";
static const char SQL_SET_FACILITATOR[] =
    "UPDATE connect_sets SET facilitator_id = $2 WHERE id = $1";
static const char SQL_SET_SPLIT_TITLE[] =
    "SELECT s.number, p.title, p.id FROM connect_sets s JOIN connect_splits p ON p.id = s.split_id "
    "WHERE s.id = $1";
static const char SQL_MEETINGS[] =
    "SELECT id, meets_on, held, theme, COALESCE(recorded_by, 0), recorded_at "
    "FROM connect_set_meetings WHERE set_id = $1 ORDER BY meets_on, id";
static const char SQL_MEETING_SAVE[] =
    "INSERT INTO connect_set_meetings (set_id, meets_on, held, theme, recorded_by, recorded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (set_id, meets_on) DO UPDATE SET "
    "held = excluded.held, theme = excluded.theme, recorded_by = excluded.recorded_by, "
    "recorded_at = excluded.recorded_at";
static const char SQL_MEETING_DELETE[] =
    "DELETE FROM connect_set_meetings WHERE set_id = $1 AND id = $2";
static const char SQL_DEMO_SPLIT_BY_TITLE[] = "SELECT id FROM connect_splits WHERE title = $1";
static const char SQL_DEMO_COHORT[] = "SELECT id FROM cohorts WHERE lower(name) = lower($1)";
static const char SQL_DEMO_SET_IDS[] =
    "SELECT id, number FROM connect_sets WHERE split_id = $1 ORDER BY number";
static const char SQL_DEMO_SET_OF[] =
    "SELECT s.number FROM connect_set_members m JOIN connect_sets s ON s.id = m.set_id "
    "WHERE m.split_id = $1 AND m.user_id = $2";
static const char SQL_DEMO_FIRST_MEMBER[] =
    "SELECT m.user_id FROM connect_set_members m WHERE m.set_id = $1 ORDER BY m.user_id "
    "LIMIT 1";

/* ---- codes for the splitter ---- */

static int32_t ref_index(const struct ref_item *items, size_t n, const char *code)
{
    for (size_t i = 0; code && *code && i < n; i++)
        if (!strcmp(items[i].code, code))
            return (int32_t)i;
    return SETS_UNKNOWN;
}

static struct sets_person code_of(const struct set_person *p)
{
    struct sets_person c;
    c.profession = ref_index(professions, professions_count, p->profession);
    c.region = ref_index(regions, regions_count, p->region);
    /* organisation ids are row ids: far below 2^31 in any real service */
    c.organisation = p->organisation_id > 0 && p->organisation_id <= INT32_MAX
                         ? (int32_t)p->organisation_id
                         : SETS_UNKNOWN;
    return c;
}

/* Distinct non-empty strings among n (n is a set: at most a few dozen). */
static int distinct(const char *const *v, size_t n, int *unknown)
{
    int d = 0;
    *unknown = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        if (!v[i] || !*v[i]) {
            (*unknown)++;
            continue;
        }
        for (size_t j = 0; j < i && !seen; j++)
            seen = v[j] && !strcmp(v[j], v[i]);
        d += !seen;
    }
    return d;
}

/* The balance of one set's members: those in it now, not someone taken out of the cohort. */
static int balance_of(struct arena *a, const struct set_person *m, size_t all,
                      struct set_balance *b)
{
    size_t n = 0;
    const char **prof = arena_alloc(a, (all + 1) * sizeof *prof);
    const char **org = arena_alloc(a, (all + 1) * sizeof *org);
    const char **reg = arena_alloc(a, (all + 1) * sizeof *reg);
    struct sets_person *codes = arena_alloc(a, (all + 1) * sizeof *codes);
    uint32_t *zero = arena_calloc(a, all + 1, sizeof *zero);
    struct sets_score sc;
    int unknown_region;
    if (!prof || !org || !reg || !codes || !zero)
        return APP_E_NOMEM;
    for (size_t i = 0; i < all; i++) {
        if (!m[i].in_cohort)
            continue;
        prof[n] = m[i].profession;
        org[n] = m[i].organisation_id ? m[i].organisation : "";
        reg[n] = m[i].region;
        codes[n++] = code_of(&m[i]);
    }
    b->professions = distinct(prof, n, &b->unknown_profession);
    b->organisations = distinct(org, n, &b->unknown_organisation);
    b->regions = distinct(reg, n, &unknown_region);
    sets_score(n, codes, zero, 1, &sc);
    b->pairs = sc.pairs;
    b->clashes = sc.clashes;
    b->permille = sc.permille;
    return APP_OK;
}

/* ---- reading ---- */

static int read_split(struct db_stmt *st, struct arena *a, struct set_split *s)
{
    s->id = db_col_int(st, 0);
    s->cohort_id = db_col_int(st, 1);
    s->title = arena_strdup(a, db_col_text(st, 2));
    s->cohort_name = arena_strdup(a, db_col_text(st, 3));
    s->target = (int)db_col_int(st, 4);
    s->seed = db_col_int(st, 5);
    s->score = (int)db_col_int(st, 6);
    s->random_score = (int)db_col_int(st, 7);
    s->published_at = db_col_int(st, 8);
    s->created_by = db_col_int(st, 9);
    s->created_at = db_col_int(st, 10);
    s->updated_at = db_col_int(st, 11);
    s->sets = db_col_int(st, 12);
    s->people = db_col_int(st, 13);
    s->apart = db_col_int(st, 14);
    return s->title && s->cohort_name ? APP_OK : APP_E_NOMEM;
}

int connect_split_list(struct db *db, struct arena *a, struct set_split **out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare(db, SQL_SPLIT_LIST, &st);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct set_split *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out);
        if (!grown) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = grown;
        rc = read_split(st, a, &(*out)[(*n)++]);
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int connect_split_get(struct db *db, struct arena *a, int64_t id, struct set_split *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_SPLIT_GET, &st, "i", id);
    if (!rc)
        rc = read_split(st, a, out);
    db_finalize(st);
    return rc;
}

/* The people of sets first…last of a split with each one's set number (parallel). */
static int read_people(struct db *db, struct arena *a, int64_t split_id, int64_t first,
                       int64_t last, struct set_person **out, int **number, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0, ncap = 0;
    int rc = db_prepare_bind(db, SQL_SPLIT_PEOPLE, &st, "iii", split_id, first, last);
    *out = NULL;
    *number = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct set_person *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out), *p;
        int *ngrown = arena_grow(a, *number, *n + 1, &ncap, sizeof **number);
        if (!grown || !ngrown) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = grown;
        *number = ngrown;
        p = &(*out)[*n];
        p->user_id = db_col_int(st, 0);
        p->email = arena_strdup(a, db_col_text(st, 1));
        p->display_name = arena_strdup(a, db_col_text(st, 2));
        p->profession = arena_strdup(a, db_col_text(st, 3));
        p->region = arena_strdup(a, db_col_text(st, 4));
        p->organisation_id = db_col_int(st, 5);
        p->organisation = arena_strdup(a, db_col_text(st, 6));
        (*number)[*n] = (int)db_col_int(st, 7);
        p->in_cohort = db_col_int(st, 8) != 0;
        (*n)++;
        rc = p->email && p->display_name && p->profession && p->region && p->organisation
                 ? APP_OK
                 : APP_E_NOMEM;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

static int read_set(struct db_stmt *st, struct arena *a, struct set_group *g)
{
    memset(g, 0, sizeof *g);
    g->id = db_col_int(st, 0);
    g->split_id = db_col_int(st, 1);
    g->number = (int)db_col_int(st, 2);
    g->facilitator_id = db_col_int(st, 3);
    g->facilitator_name = arena_strdup(a, db_col_text(st, 4));
    g->facilitator_email = arena_strdup(a, db_col_text(st, 5));
    return g->facilitator_name && g->facilitator_email ? APP_OK : APP_E_NOMEM;
}

/* Reads the set rows a prepared statement gives. */
static int read_sets(struct db_stmt *st, struct arena *a, struct set_group **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct set_group *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out);
        if (!grown)
            return APP_E_NOMEM;
        *out = grown;
        if ((rc = read_set(st, a, &(*out)[(*n)++])))
            return rc;
    }
    return rc == DB_DONE ? APP_OK : rc;
}

/* Fills each set's members and balance (sets of one split, numbers ascending). */
static int fill_members(struct db *db, struct arena *a, struct set_group *sets, size_t n)
{
    struct set_person *people;
    int *number;
    size_t np, at = 0;
    int rc;
    if (!n)
        return APP_OK;
    if ((rc = read_people(db, a, sets[0].split_id, sets[0].number, sets[n - 1].number, &people,
                          &number, &np)))
        return rc;
    for (size_t s = 0; s < n; s++) {
        while (at < np && number[at] < sets[s].number)
            at++;
        sets[s].members = people + at;
        sets[s].nmembers = 0;
        while (at < np && number[at] == sets[s].number) {
            sets[s].nmembers++;
            at++;
        }
        if ((rc = balance_of(a, sets[s].members, sets[s].nmembers, &sets[s].balance)))
            return rc;
    }
    return APP_OK;
}

int connect_split_sets(struct db *db, struct arena *a, int64_t split_id, int offset, int limit,
                       struct set_group **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    struct set_split s;
    int rc = connect_split_get(db, a, split_id, &s);
    if (rc)
        return rc;
    *total = s.sets;
    if ((rc = db_prepare_bind(db, SQL_SETS_PAGE, &st, "iii", split_id, (int64_t)limit,
                              (int64_t)offset)))
        return rc;
    rc = read_sets(st, a, out, n);
    db_finalize(st);
    return rc ? rc : fill_members(db, a, *out, *n);
}

/* Every person of the split with their set (0-based) and the split's pairs as indices. */
struct whole {
    struct set_person *people;
    int *number;
    size_t n, k;
    uint32_t *set_of;
    struct sets_person *codes;
    struct sets_pair *apart;
    size_t napart;
};

/* Index of user id in people (sorted copy idx), or -1. */
static long find_user(const struct whole *w, const int64_t *sorted_ids, const uint32_t *pos,
                      int64_t id)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->n && sorted_ids[lo] == id ? (long)pos[lo] : -1;
}

struct id_pos {
    int64_t id;
    uint32_t pos;
};

static int cmp_id_pos(const void *x, const void *y)
{
    const struct id_pos *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int read_whole(struct db *db, struct arena *a, int64_t split_id, int64_t nsets,
                      struct whole *w)
{
    struct db_stmt *st = NULL;
    struct id_pos *ip;
    int64_t *ids;
    uint32_t *pos;
    size_t cap = 0;
    int rc = read_people(db, a, split_id, 1, nsets, &w->people, &w->number, &w->n);
    if (rc)
        return rc;
    w->k = (size_t)nsets;
    w->set_of = arena_alloc(a, (w->n + 1) * sizeof *w->set_of);
    w->codes = arena_alloc(a, (w->n + 1) * sizeof *w->codes);
    ip = arena_alloc(a, (w->n + 1) * sizeof *ip);
    ids = arena_alloc(a, (w->n + 1) * sizeof *ids);
    pos = arena_alloc(a, (w->n + 1) * sizeof *pos);
    if (!w->set_of || !w->codes || !ip || !ids || !pos)
        return APP_E_NOMEM;
    for (size_t i = 0; i < w->n; i++) {
        w->set_of[i] = (uint32_t)(w->number[i] - 1);
        w->codes[i] = code_of(&w->people[i]);
        ip[i] = (struct id_pos){w->people[i].user_id, (uint32_t)i};
    }
    qsort(ip, w->n, sizeof *ip, cmp_id_pos);
    for (size_t i = 0; i < w->n; i++) {
        ids[i] = ip[i].id;
        pos[i] = ip[i].pos;
    }
    w->apart = NULL;
    w->napart = 0;
    if ((rc = db_prepare_bind(db, SQL_APART_LIST, &st, "i", split_id)))
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        long x = find_user(w, ids, pos, db_col_int(st, 0));
        long y = find_user(w, ids, pos, db_col_int(st, 1));
        struct sets_pair *grown;
        if (x < 0 || y < 0)
            continue;
        if (!(grown = arena_grow(a, w->apart, w->napart + 1, &cap, sizeof *grown))) {
            rc = APP_E_NOMEM;
            break;
        }
        w->apart = grown;
        w->apart[w->napart++] = (struct sets_pair){(uint32_t)x, (uint32_t)y};
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* The score of the people in the split now: someone taken out of the cohort is still in the
 * split's copy (a lead sees them, marked) but no longer in a set, so not counted. */
static int score_now(struct arena *a, const struct whole *w, struct sets_score *sc)
{
    uint32_t *now = arena_alloc(a, (w->n + 1) * sizeof *now);
    if (!now)
        return APP_E_NOMEM;
    for (size_t i = 0; i < w->n; i++)
        now[i] = w->people[i].in_cohort ? w->set_of[i] : (uint32_t)w->k; /* k: in no set */
    sets_score(w->n, w->codes, now, w->k, sc);
    return APP_OK;
}

/* Stores the score of split_id's people now, inside the caller's transaction: the split's row
 * is taken first, so two changes to one split at once are counted one after the other and
 * the score written is that of what the second sees. A split that is gone is fine. */
static int split_rescore(struct db *db, struct arena *a, int64_t split_id)
{
    struct set_split s;
    struct whole w;
    struct sets_score sc;
    int rc = db_run(db, SQL_SPLIT_LOCK, "i", split_id);
    if (rc || db_changes(db) == 0)
        return rc;
    if ((rc = connect_split_get(db, a, split_id, &s)) ||
        (rc = read_whole(db, a, split_id, s.sets, &w)) || (rc = score_now(a, &w, &sc)))
        return rc;
    return db_run(db, SQL_SPLIT_RESCORE, "ii", split_id, (int64_t)sc.permille);
}

/* The ids sql ($1 = id) gives, in the arena. */
static int ids_of(struct db *db, struct arena *a, const char *sql, int64_t id, int64_t **ids,
                  size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, sql, &st, "i", id);
    *ids = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        int64_t *grown = arena_grow(a, *ids, *n + 1, &cap, sizeof **ids);
        if (!grown) {
            rc = APP_E_NOMEM;
            break;
        }
        *ids = grown;
        (*ids)[(*n)++] = db_col_int(st, 0);
        rc = APP_OK;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* Finds the splits sql names ($1 = id), runs change ($1 = id, may be NULL), then stores each
 * split's score as it is now; in the caller's transaction. */
static int change_and_rescore(struct db *db, const char *sql, const char *change, int64_t id)
{
    struct arena *a = arena_new();
    int64_t *ids;
    size_t n;
    int rc = a ? ids_of(db, a, sql, id, &ids, &n) : APP_E_NOMEM;
    if (!rc && change)
        rc = db_run(db, change, "i", id);
    for (size_t i = 0; !rc && i < n; i++)
        rc = split_rescore(db, a, ids[i]);
    arena_free(a);
    return rc;
}

int connect_sets_cohort_changed(struct db *db, int64_t cohort_id, bool gone)
{
    /* a cohort that goes: those taken out of it leave its splits, which then let go of it (as
     * its deletion would set them NULL) and from then on count everyone in their copy */
    int rc;
    if (gone && (rc = db_run(db, SQL_SPLITS_DROP_OUTSIDERS, "i", cohort_id)))
        return rc;
    return change_and_rescore(db, SQL_SPLITS_OF_COHORT, gone ? SQL_SPLITS_LET_GO : NULL, cohort_id);
}

int connect_sets_erase_member(struct db *db, int64_t user_id)
{
    return change_and_rescore(db, SQL_SPLITS_OF_USER, SQL_MEMBERS_ERASE, user_id);
}

int connect_split_balance(struct db *db, struct arena *a, int64_t split_id, struct set_balance *out)
{
    struct set_split s;
    struct whole w;
    struct sets_score sc;
    int rc = connect_split_get(db, a, split_id, &s);
    if (!rc)
        rc = read_whole(db, a, split_id, s.sets, &w);
    if (!rc)
        rc = score_now(a, &w, &sc);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->pairs = sc.pairs;
    out->clashes = sc.clashes;
    out->permille = sc.permille;
    return APP_OK;
}

/* ---- splitting ---- */

static bool email_char(char c)
{
    return c && !isspace((unsigned char)c) && c != ',' && c != ';';
}

int connect_split_parse_pairs(struct arena *a, const char *text, const struct set_person *people,
                              size_t n, struct connect_pair **out, size_t *n_out,
                              struct set_why *why)
{
    size_t cap = *n_out, line = 0;
    const char *p = text ? text : "";
    why->field = "apart";
    while (*p) {
        const char *end = strchr(p, '\n'), *words[3];
        size_t lens[3], nw = 0;
        int64_t ids[2] = {0, 0};
        if (!end)
            end = p + strlen(p);
        line++;
        for (const char *q = p; q < end;) {
            const char *start;
            while (q < end && !email_char(*q))
                q++;
            start = q;
            while (q < end && email_char(*q))
                q++;
            if (q > start) {
                size_t len = (size_t)(q - start);
                if (len == 3 && !strncasecmp(start, "and", 3))
                    continue;
                if (nw < 3) {
                    words[nw] = start;
                    lens[nw] = len;
                }
                nw++;
            }
        }
        if (nw == 0) {
            p = *end ? end + 1 : end;
            continue;
        }
        if (nw != 2) {
            why->message = arena_printf(a,
                                        "Line %zu of the people to keep apart must be two email "
                                        "addresses, such as “a@nhs.net, b@nhs.net”",
                                        line);
            return why->message ? APP_E_INVALID : APP_E_NOMEM;
        }
        for (int w = 0; w < 2; w++) {
            for (size_t i = 0; i < n && !ids[w]; i++)
                if (strlen(people[i].email) == lens[w] &&
                    !strncasecmp(people[i].email, words[w], lens[w]))
                    ids[w] = people[i].user_id;
            if (!ids[w]) {
                why->message = arena_printf(a,
                                            "Line %zu of the people to keep apart: %.*s is not "
                                            "in this cohort",
                                            line, (int)lens[w], words[w]);
                return why->message ? APP_E_INVALID : APP_E_NOMEM;
            }
        }
        if (ids[0] == ids[1]) {
            why->message = arena_printf(a,
                                        "Line %zu of the people to keep apart names the same "
                                        "person twice",
                                        line);
            return why->message ? APP_E_INVALID : APP_E_NOMEM;
        }
        if (*n_out >= SET_APART_MAX) {
            why->message =
                arena_printf(a, "Enter at most %d pairs of people to keep apart", SET_APART_MAX);
            return why->message ? APP_E_INVALID : APP_E_NOMEM;
        }
        {
            struct connect_pair *grown = arena_grow(a, *out, *n_out + 1, &cap, sizeof *grown);
            if (!grown)
                return APP_E_NOMEM;
            *out = grown;
            (*out)[(*n_out)++] = (struct connect_pair){ids[0], ids[1]};
        }
        p = *end ? end + 1 : end;
    }
    return APP_OK;
}

static int cmp_pair(const void *x, const void *y)
{
    const struct sets_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int invalid(struct set_why *why, const char *field, const char *message)
{
    why->field = field;
    why->message = message;
    return message ? APP_E_INVALID : APP_E_NOMEM;
}

int connect_split_create(struct db *db, struct arena *a, int64_t actor, int64_t cohort_id,
                         const char *title, int target, int64_t seed,
                         const struct connect_pair *apart, size_t napart, int64_t *id,
                         struct set_why *why)
{
    struct cohort co;
    struct cohort_member *m;
    struct set_person *people;
    struct sets_person *codes;
    struct sets_pair *pairs;
    struct id_pos *ip;
    int64_t *ids, total, now = (int64_t)time(NULL), split_id = 0, *set_ids;
    uint32_t *pos, *set_of, *rnd;
    size_t n, k, np = 0;
    struct sets_score sc, sr;
    struct db_stmt *st = NULL;
    int rc;
    memset(why, 0, sizeof *why);
    if (target < SETS_MIN || target > SETS_MAX)
        return invalid(why, "target", "Choose a set size from 5 to 8");
    if (title && strlen(title) > SET_TITLE_MAX)
        return invalid(why, "title",
                       arena_printf(a, "The name must be %d characters or fewer", SET_TITLE_MAX));
    if (seed < 0)
        return invalid(why, "seed", SET_SEED_RANGE);
    if ((rc = account_cohort_get(db, a, cohort_id, &co)))
        return rc;
    if (!title || str_blank(title))
        title = arena_printf(a, "%s sets", co.name);
    if ((rc = account_cohort_members(db, a, cohort_id, 0, SETS_PEOPLE_MAX + 1, &m, &n, &total)))
        return rc;
    if (total > SETS_PEOPLE_MAX)
        return invalid(why, "cohort",
                       arena_printf(a, "A cohort of more than %d people cannot be split at once",
                                    SETS_PEOPLE_MAX));
    if (n < SETS_MIN)
        return invalid(why, "cohort",
                       arena_printf(a,
                                    "“%s” has %zu member%s: a split needs at least 5 people. "
                                    "Add members to the cohort first.",
                                    co.name, n, n == 1 ? "" : "s"));
    if (sets_count(n, target, &k))
        return invalid(why, "cohort",
                       arena_printf(a,
                                    "“%s” has %zu members, which cannot make sets of 5 to 8 "
                                    "(one set would be too big, two too small). Add or remove "
                                    "a member.",
                                    co.name, n));
    people = arena_alloc(a, n * sizeof *people);
    codes = arena_alloc(a, n * sizeof *codes);
    ip = arena_alloc(a, n * sizeof *ip);
    ids = arena_alloc(a, n * sizeof *ids);
    pos = arena_alloc(a, n * sizeof *pos);
    set_of = arena_alloc(a, n * sizeof *set_of);
    rnd = arena_alloc(a, n * sizeof *rnd);
    pairs = arena_alloc(a, (napart + 1) * sizeof *pairs);
    set_ids = arena_alloc(a, k * sizeof *set_ids);
    if (!people || !codes || !ip || !ids || !pos || !set_of || !rnd || !pairs || !set_ids)
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        people[i] = (struct set_person){m[i].user_id,      m[i].email,  m[i].display_name,
                                        m[i].profession,   m[i].region, m[i].organisation_id,
                                        m[i].organisation, true};
        codes[i] = code_of(&people[i]);
        ip[i] = (struct id_pos){m[i].user_id, (uint32_t)i};
    }
    qsort(ip, n, sizeof *ip, cmp_id_pos);
    for (size_t i = 0; i < n; i++) {
        ids[i] = ip[i].id;
        pos[i] = ip[i].pos;
    }
    /* the pairs from every source: those naming someone outside the cohort dropped, each
     * pair once, the smaller index first */
    {
        struct whole w = {.n = n};
        for (size_t i = 0; i < napart; i++) {
            long x = find_user(&w, ids, pos, apart[i].a), y = find_user(&w, ids, pos, apart[i].b);
            if (x < 0 || y < 0 || x == y)
                continue;
            pairs[np++] = x < y ? (struct sets_pair){(uint32_t)x, (uint32_t)y}
                                : (struct sets_pair){(uint32_t)y, (uint32_t)x};
        }
        qsort(pairs, np, sizeof *pairs, cmp_pair);
        if (np) {
            size_t kept = 1;
            for (size_t i = 1; i < np; i++)
                if (cmp_pair(&pairs[i], &pairs[kept - 1]))
                    pairs[kept++] = pairs[i];
            np = kept;
        }
    }
    {
        struct sets_problem pr = {.n = n,
                                  .people = codes,
                                  .apart = pairs,
                                  .napart = np,
                                  .target = target,
                                  .seed = (uint64_t)seed};
        rc = sets_split(&pr, set_of, &k);
    }
    if (rc == APP_E_CONFLICT) {
        why->field = "apart";
        why->message = "The people to keep apart cannot all be kept apart in sets of this size. "
                       "Try a larger set size or fewer pairs.";
        return rc;
    }
    if (rc || (rc = sets_random_split(n, target, (uint64_t)seed, rnd, &k)))
        return rc;
    sets_score(n, codes, set_of, k, &sc);
    sets_score(n, codes, rnd, k, &sr);
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_row(db, SQL_SPLIT_INSERT, &st, "itiiiiIi", cohort_id, title, (int64_t)target, seed,
                     (int64_t)sc.permille, (int64_t)sr.permille, actor, now)))
        goto done;
    split_id = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    for (size_t s = 0; s < k; s++) {
        if ((rc = db_row(db, SQL_SET_INSERT, &st, "ii", split_id, (int64_t)(s + 1))))
            goto done;
        set_ids[s] = db_col_int(st, 0);
        db_finalize(st);
        st = NULL;
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = db_run(db, SQL_MEMBER_INSERT, "iii", split_id, set_ids[set_of[i]],
                         people[i].user_id)))
            goto done;
    for (size_t i = 0; i < np; i++) {
        int64_t x = people[pairs[i].a].user_id, y = people[pairs[i].b].user_id;
        if ((rc = db_run(db, SQL_APART_INSERT, "iii", split_id, x < y ? x : y, x < y ? y : x)))
            goto done;
    }
    if ((rc = account_audit(db, "sets_split", actor, 0,
                            arena_printf(a, "Split “%s” into %zu action learning sets (“%s”)",
                                         co.name, k, title))) ||
        (rc = db_commit(db)))
        goto done;
    *id = split_id;
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

/* ---- changing a split ---- */

int connect_split_move(struct db *db, struct arena *a, int64_t actor, int64_t split_id,
                       const char *email, int to, struct set_why *why)
{
    struct set_split s;
    struct whole w;
    struct sets_score sc;
    int64_t now = (int64_t)time(NULL);
    size_t to_size = 0, from_size = 0;
    long who = -1;
    int rc;
    memset(why, 0, sizeof *why);
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run(db, SQL_SPLIT_TOUCH, "ii", split_id, now)))
        goto done;
    if (db_changes(db) == 0) {
        rc = APP_E_NOTFOUND;
        goto done;
    }
    if ((rc = connect_split_get(db, a, split_id, &s)) ||
        (rc = read_whole(db, a, split_id, s.sets, &w)))
        goto done;
    for (size_t i = 0; email && i < w.n && who < 0; i++)
        if (!strcasecmp(w.people[i].email, email))
            who = (long)i;
    if (who < 0) {
        rc = invalid(why, "email",
                     arena_printf(a, "%s is not in these sets", email ? email : "That address"));
        goto done;
    }
    if (!w.people[who].in_cohort) {
        rc = invalid(why, "email",
                     arena_printf(a, "%s is no longer in the cohort, so is in no set to move",
                                  w.people[who].display_name));
        goto done;
    }
    if (to < 1 || (size_t)to > w.k) {
        rc = invalid(why, "to", arena_printf(a, "Choose a set from 1 to %zu", w.k));
        goto done;
    }
    for (size_t i = 0; i < w.n; i++) { /* the people who count, as the score does */
        if (!w.people[i].in_cohort)
            continue;
        to_size += w.set_of[i] == (uint32_t)(to - 1);
        from_size += w.set_of[i] == w.set_of[who];
    }
    if (w.set_of[who] == (uint32_t)(to - 1)) {
        rc = invalid(why, "to",
                     arena_printf(a, "%s is in set %d already", w.people[who].display_name, to));
        goto done;
    }
    if (to_size >= SETS_MAX) {
        rc = invalid(why, "to",
                     arena_printf(a,
                                  "Set %d has %d people already: move someone out "
                                  "of it first",
                                  to, SETS_MAX));
        goto done;
    }
    if (from_size <= SETS_MIN) {
        rc = invalid(why, "email",
                     arena_printf(a,
                                  "Set %d would have fewer than %d people: move someone into "
                                  "it first",
                                  w.number[who], SETS_MIN));
        goto done;
    }
    rc = sets_move_check(w.n, w.set_of, w.k, w.apart, w.napart, (uint32_t)who, (uint32_t)(to - 1));
    if (rc == APP_E_CONFLICT) {
        why->field = "to";
        why->message = arena_printf(a, "%s must be kept apart from someone in set %d",
                                    w.people[who].display_name, to);
        if (!why->message)
            rc = APP_E_NOMEM;
        goto done;
    }
    if (rc)
        goto done;
    w.set_of[who] = (uint32_t)(to - 1);
    if ((rc = score_now(a, &w, &sc)))
        goto done;
    if ((rc = db_run(db, SQL_MEMBER_MOVE, "iii", split_id, w.people[who].user_id, (int64_t)to)) ||
        (rc = db_run(db, SQL_SPLIT_SCORE, "iii", split_id, (int64_t)sc.permille, now)) ||
        (rc = account_audit(
             db, "set_member_moved", actor, w.people[who].user_id,
             arena_printf(a, "Moved from set %d to set %d of “%s”", w.number[who], to, s.title))))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_split_publish(struct db *db, struct arena *a, int64_t actor, int64_t split_id)
{
    struct set_split s;
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = connect_split_get(db, a, split_id, &s)))
        goto done;
    if ((rc = db_run(db, SQL_SPLIT_PUBLISH, "ii", split_id, (int64_t)time(NULL))))
        goto done;
    if (db_changes(db) > 0 &&
        (rc = account_audit(db, "sets_published", actor, 0,
                            arena_printf(a,
                                         "Published %lld action learning sets (“%s”) to "
                                         "their %lld members",
                                         (long long)s.sets, s.title, (long long)s.people))))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_split_delete(struct db *db, struct arena *a, int64_t actor, int64_t split_id)
{
    struct set_split s;
    int rc = db_begin(db);
    if (rc)
        return rc;
    if ((rc = connect_split_get(db, a, split_id, &s)))
        goto done;
    if (s.published_at) {
        rc = APP_E_FORBIDDEN;
        goto done;
    }
    if ((rc = db_run(db, SQL_SPLIT_DELETE, "i", split_id)) ||
        (rc = account_audit(
             db, "sets_deleted", actor, 0,
             arena_printf(a, "Deleted the draft action learning sets “%s”", s.title))))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

/* ---- one set ---- */

int connect_set_get(struct db *db, struct arena *a, int64_t split_id, int number,
                    struct set_group *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_SET_GET, &st, "ii", split_id, (int64_t)number);
    if (!rc)
        rc = read_set(st, a, out);
    db_finalize(st);
    return rc ? rc : fill_members(db, a, out, 1);
}

int connect_set_is_member(struct db *db, int64_t set_id, int64_t user_id, bool *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_SET_IS_MEMBER, &st, "ii", set_id, user_id);
    db_finalize(st);
    *out = rc == APP_OK;
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

int connect_set_list_for(struct db *db, struct arena *a, int64_t user_id, struct set_group **out,
                         struct set_split **splits, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_SETS_FOR, &st, "i", user_id);
    if (rc)
        return rc;
    rc = read_sets(st, a, out, n);
    db_finalize(st);
    if (rc)
        return rc;
    if (!(*splits = arena_alloc(a, (*n + 1) * sizeof **splits)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < *n; i++)
        if ((rc = fill_members(db, a, &(*out)[i], 1)) ||
            (rc = connect_split_get(db, a, (*out)[i].split_id, &(*splits)[i])))
            return rc;
    return APP_OK;
}

int connect_set_facilitator(struct db *db, struct arena *a, int64_t actor, int64_t set_id,
                            const char *email, struct set_why *why)
{
    struct db_stmt *st = NULL;
    int64_t uid = 0, number;
    const char *title;
    int rc;
    memset(why, 0, sizeof *why);
    if (email && *email) {
        rc = db_row(db, SQL_USER_ACTIVE, &st, "t", email);
        if (!rc)
            uid = db_col_int(st, 0);
        db_finalize(st);
        st = NULL;
        if (rc == APP_E_NOTFOUND)
            return invalid(why, "email",
                           arena_printf(a, "%s has no account here: invite them first", email));
        if (rc)
            return rc;
    }
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_row(db, SQL_SET_SPLIT_TITLE, &st, "i", set_id)))
        goto done;
    number = db_col_int(st, 0);
    title = arena_strdup(a, db_col_text(st, 1));
    db_finalize(st);
    st = NULL;
    if ((rc = db_run(db, SQL_SET_FACILITATOR, "iI", set_id, uid)) ||
        (rc = account_audit(db, "set_facilitator_changed", actor, uid,
                            arena_printf(a, "%s the facilitator of set %lld of “%s”",
                                         uid ? "Made" : "Took away", (long long)number,
                                         title ? title : ""))))
        goto done;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_set_meetings(struct db *db, struct arena *a, int64_t set_id, struct set_meeting **out,
                         size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_MEETINGS, &st, "i", set_id);
    *out = NULL;
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        struct set_meeting *grown = arena_grow(a, *out, *n + 1, &cap, sizeof **out), *m;
        if (!grown) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = grown;
        m = &(*out)[(*n)++];
        m->id = db_col_int(st, 0);
        m->meets_on = db_col_int(st, 1);
        m->held = db_col_int(st, 2) != 0;
        m->theme = arena_strdup(a, db_col_text(st, 3));
        m->recorded_by = db_col_int(st, 4);
        m->recorded_at = db_col_int(st, 5);
        rc = m->theme ? APP_OK : APP_E_NOMEM;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* Characters (not bytes) of UTF-8 s. */
static size_t chars(const char *s)
{
    size_t c = 0;
    for (; *s; s++)
        c += ((unsigned char)*s & 0xC0) != 0x80;
    return c;
}

const char *connect_set_meeting_when(int64_t meets_on, bool held, int64_t now)
{
    /* the mentoring log's rule (relationship.c): the UK's today counts */
    return held && meets_on > uk_today(now) ? "The date of the meeting must be today or in the past"
                                            : NULL;
}

int connect_set_meeting_save(struct db *db, struct arena *a, int64_t actor, int64_t set_id,
                             int64_t meets_on, bool held, const char *theme, int64_t now,
                             struct set_why *why)
{
    struct buf b = BUF_INIT;
    const char *clean;
    size_t len;
    int rc;
    memset(why, 0, sizeof *why);
    theme = theme ? theme : "";
    while (isspace((unsigned char)*theme))
        theme++;
    len = strlen(theme);
    while (len && isspace((unsigned char)theme[len - 1]))
        len--;
    if (held && !len)
        return invalid(why, "theme", "Enter the theme of the meeting, such as “Leading change”");
    if ((rc = redact_text(theme, len, &b, NULL)) || buf_oom(&b)) {
        buf_free(&b);
        return APP_E_NOMEM;
    }
    buf_putc(&b, '\0');
    clean = buf_oom(&b) ? NULL : arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    if (!clean)
        return APP_E_NOMEM;
    if (chars(clean) > SET_THEME_MAX)
        return invalid(why, "theme",
                       arena_printf(a,
                                    "The theme must be %d characters or fewer: a few words, "
                                    "not what was said",
                                    SET_THEME_MAX));
    if (connect_set_meeting_when(meets_on, held, now))
        return invalid(why, "date", connect_set_meeting_when(meets_on, held, now));
    return db_run(db, SQL_MEETING_SAVE, "iiitIi", set_id, meets_on, (int64_t)held, clean, actor,
                  now);
}

int connect_set_meeting_delete(struct db *db, int64_t set_id, int64_t meeting_id)
{
    int rc = db_run(db, SQL_MEETING_DELETE, "ii", set_id, meeting_id);
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

int connect_set_leave(struct db *db, struct arena *a, int64_t set_id, int64_t user_id, int64_t now)
{
    struct db_stmt *st = NULL;
    const char *detail;
    int64_t split_id;
    int rc;
    bool member;
    if ((rc = connect_set_is_member(db, set_id, user_id, &member)))
        return rc;
    if (!member)
        return APP_E_NOTFOUND;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_row(db, SQL_SET_SPLIT_TITLE, &st, "i", set_id)))
        goto done;
    detail =
        arena_printf(a, "left set %lld of “%s”", (long long)db_col_int(st, 0), db_col_text(st, 1));
    split_id = db_col_int(st, 2);
    db_finalize(st);
    if (!detail) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if ((rc = db_run(db, SQL_SET_LEAVE, "ii", set_id, user_id)))
        goto done;
    if (db_changes(db) != 1) { /* left meanwhile */
        rc = APP_E_NOTFOUND;
        goto done;
    }
    if ((rc = db_run(db, SQL_SET_LEAVER_ADD, "iii", set_id, user_id, now)) ||
        (rc = split_rescore(db, a, split_id)) ||
        (rc = account_audit(db, "set_member_left", user_id, user_id, detail)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int connect_set_leavers(struct db *db, struct arena *a, int64_t set_id, struct set_leaver **out,
                        size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_SET_LEAVERS, &st, "i", set_id);
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)) ||
            !((*out)[*n].name = arena_strdup(a, db_col_text(st, 0)))) {
            rc = APP_E_NOMEM;
            break;
        }
        (*out)[(*n)++].left_at = db_col_int(st, 1);
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* ---- demonstration ---- */

#define DAY (24 * 60 * 60)

int connect_sets_demo(struct db *db, const char *cohort_name, int64_t lead, int64_t featured_id,
                      int64_t facilitator_id, int64_t now, int *made)
{
    static const char *const themes[] = {
        "Leading change across professions", "Making the case for a new service",
        "Difficult conversations with teams", "Using data to improve care"};
    struct arena *a = arena_new();
    struct db_stmt *st = NULL;
    struct set_why why;
    int64_t cohort_id, split_id, featured_set = 0, today = now - now % DAY;
    const char *title;
    int rc;
    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    title = arena_printf(a, "%s sets", cohort_name);
    if (!title) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rc = db_row(db, SQL_DEMO_SPLIT_BY_TITLE, &st, "t", title);
    db_finalize(st);
    st = NULL;
    if (rc != APP_E_NOTFOUND)
        goto done; /* made before (APP_OK), or the database failed */
    if ((rc = db_row(db, SQL_DEMO_COHORT, &st, "t", cohort_name)))
        goto done;
    cohort_id = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if (featured_id && (rc = account_cohort_add(db, cohort_id, featured_id)))
        goto done;
    if ((rc = connect_split_create(db, a, lead, cohort_id, title, 6, 2026, NULL, 0, &split_id,
                                   &why)))
        goto done;
    if (featured_id) {
        if ((rc = db_row(db, SQL_DEMO_SET_OF, &st, "ii", split_id, featured_id)))
            goto done;
        featured_set = db_col_int(st, 0);
        db_finalize(st);
        st = NULL;
    }
    if ((rc = db_begin(db)))
        goto done;
    if ((rc = db_prepare_bind(db, SQL_DEMO_SET_IDS, &st, "i", split_id)))
        goto done;
    {
        int64_t *set_ids = NULL, *numbers = NULL;
        size_t nsets = 0, cap = 0, cap2 = 0;
        while ((rc = db_step(st)) == DB_ROW) {
            if (!(set_ids = arena_grow(a, set_ids, nsets + 1, &cap, sizeof *set_ids)) ||
                !(numbers = arena_grow(a, numbers, nsets + 1, &cap2, sizeof *numbers))) {
                rc = APP_E_NOMEM;
                goto done;
            }
            set_ids[nsets] = db_col_int(st, 0);
            numbers[nsets++] = db_col_int(st, 1);
        }
        if (rc != DB_DONE)
            goto done;
        db_finalize(st);
        st = NULL;
        for (size_t s = 0; s < nsets; s++) {
            int64_t fac = 0;
            if (numbers[s] == featured_set && facilitator_id) {
                fac = facilitator_id;
            } else {
                if ((rc = db_row(db, SQL_DEMO_FIRST_MEMBER, &st, "i", set_ids[s])))
                    goto done;
                fac = db_col_int(st, 0);
                db_finalize(st);
                st = NULL;
            }
            if ((rc = db_run(db, SQL_SET_FACILITATOR, "iI", set_ids[s], fac)))
                goto done;
            /* fortnightly from three weeks ago: two held, two to come */
            for (int i = 0; i < 4; i++) {
                int64_t on = today - 21 * DAY + (int64_t)i * 14 * DAY;
                bool held = i < 2;
                const char *theme = held ? themes[(s + (size_t)i) % 4] : "";
                if ((rc = db_run(db, SQL_MEETING_SAVE, "iiitIi", set_ids[s], on, (int64_t)held,
                                 theme, fac, now)))
                    goto done;
            }
        }
    }
    if ((rc = db_run(db, SQL_SPLIT_PUBLISH, "ii", split_id, now)) || (rc = db_commit(db)))
        goto done;
    *made = 1;
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}
