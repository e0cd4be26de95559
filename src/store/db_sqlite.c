/* db_sqlite.c: the SQLite backend (the embedded default)
 *
 * Portable SQL says $1…$n; SQLite reads "$1" as a named parameter, so repeated or reordered
 * numbers would bind the wrong slots. Before preparing, every $N outside literals, quoted
 * identifiers and comments becomes ?N, whose slot is exactly N.
 *
 * Each connection keeps up to STMT_CACHE_MAX prepared statements keyed by SQL text.
 * db_finalize() resets a cached statement and marks it idle; the next prepare of the same
 * text takes it back. A text prepared while its cached statement is busy (nested loops)
 * gets a second statement. When the cache is full the least recently used idle statement
 * is evicted; if none is idle the new statement lives outside the cache and is finalized
 * for real. Lookups compare a 64-bit hash before the text, so a scan of the cache is cheap.
 */
#include "backend.h"
#include "core/err.h"
#include "core/log.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE_MAX  128
#define BUSY_TIMEOUT_MS 5000

struct db_stmt {
    struct db_stmt_common c;
    sqlite3_stmt *st;
    char *sql;       /* the caller's text (the key), owned */
    const char *key; /* where the caller's text was last seen: compared, never read */
    uint64_t hash;
    uint64_t last_used;
    bool cached; /* in db->cache: finalize returns it there */
    bool in_use;
};

struct db {
    struct db_common c;
    sqlite3 *h;
    struct db_stmt *cache[STMT_CACHE_MAX];
    int ncache;
    uint64_t tick;
    char err[256];
};

/* Keeps the engine's message for db_errmsg() (the engine's own changes with the next call). */
static void set_err(struct db *db, const char *msg)
{
    db_err_line(db->err, sizeof db->err, msg);
}

/* Unique, foreign-key, not-null and check violations are all "the data conflicts", which
 * the caller can report; everything else (busy, I/O, misuse) is a database failure. */
static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return APP_OK;
    case SQLITE_CONSTRAINT:
        return APP_E_CONFLICT;
    case SQLITE_NOMEM:
        return APP_E_NOMEM;
    case SQLITE_TOOBIG:
        return APP_E_TOOBIG;
    case SQLITE_RANGE:
        return APP_E_INTERNAL; /* a bind index the SQL does not have: a bug */
    default:
        return APP_E_DB;
    }
}

static int fail(struct db *db, int rc, const char *what)
{
    int err = map_rc(rc);
    set_err(db, sqlite3_errmsg(db->h));
    if (err == APP_E_CONFLICT)
        log_warn("msg=\"sqlite %s: constraint\" err=\"%s\"", what, db->err);
    else
        log_error("msg=\"sqlite %s failed\" code=%d err=\"%s\"", what, rc, db->err);
    return err == APP_OK ? APP_E_DB : err;
}

/* Rewrites $N to ?N in place (same length), skipping '…' strings, "…", `…` and […]
 * identifiers, and -- and slash-star comments, so a '$1' inside a literal stays text. */
static bool is_ident(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

static void rewrite_params(char *s)
{
    char *p = s;
    while (*p) {
        char c = *p, close = 0;
        if (c == '\'' || c == '"' || c == '`')
            close = c;
        else if (c == '[')
            close = ']';
        if (close) {
            /* A doubled quote is an escaped quote: the scan just re-enters the literal. */
            for (p++; *p && *p != close; p++)
                ;
            if (*p)
                p++;
            continue;
        }
        if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (c == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                ;
            if (*p)
                p += 2;
            continue;
        }
        /* After a letter, digit or underscore, $ is part of an identifier (a$1). */
        if (c == '$' && p[1] >= '0' && p[1] <= '9' && (p == s || !is_ident(p[-1])))
            *p = '?';
        p++;
    }
}

static void sq_close(struct db *db)
{
    int i, rc;
    for (i = 0; i < db->ncache; i++) {
        if (db->cache[i]->in_use)
            log_error("msg=\"sqlite statement not finalized before close\"");
        sqlite3_finalize(db->cache[i]->st);
        free(db->cache[i]->sql);
        free(db->cache[i]);
    }
    db->ncache = 0;
    rc = sqlite3_close(db->h);
    if (rc != SQLITE_OK) {
        /* Statements outside the cache are still open: a caller bug. Let SQLite free the
         * connection when they go rather than leave it locked. */
        log_error("msg=\"sqlite close with statements still open\"");
        sqlite3_close_v2(db->h);
    }
    free(db);
}

/* SQLite keeps global statistics of its memory use behind one process-wide mutex, taken on
 * every allocation; with several server threads that mutex is the busiest lock in the
 * program. Nothing reads the statistics, so they are turned off before SQLite starts. */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static void sq_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

static int sq_open(const char *path, struct db **out)
{
    struct db *db = NULL;
    char *msg = NULL, pragmas[200];
    int rc = APP_OK, src;
    *out = NULL;
    pthread_once(&sq_once, sq_configure);
    db = calloc(1, sizeof(*db));
    if (!db) {
        rc = APP_E_NOMEM;
        goto done;
    }
    db->c.ops = &db_sqlite_ops;
    /* NOMUTEX: a connection is used by one thread at a time (the pool hands it over). */
    src = sqlite3_open_v2(path, &db->h,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        log_error("msg=\"sqlite open failed\" err=\"%s\"",
                  db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(src));
        rc = src == SQLITE_NOMEM ? APP_E_NOMEM : APP_E_DB;
        goto done;
    }
    sqlite3_extended_result_codes(db->h, 1);
    /* Before the pragmas: switching to WAL needs a lock another opener may hold. */
    sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
    /* The WAL policy (DESIGN.md §5, docs/deployment.md):
     * - synchronous=FULL: a commit is on disk (the WAL synced) before it is acknowledged,
     *   so an acknowledged vote survives a power cut, not only a crash of the program.
     * - wal_autocheckpoint=1000 (SQLite's default, stated): the connection that commits past
     *   1,000 WAL pages copies them back into the database, and the next writer starts the
     *   WAL again from its beginning once no reader needs the old frames. Readers hold the
     *   WAL only for one statement or one transaction: no connection keeps a read open.
     * - journal_size_limit: when the WAL starts again, a file that grew past 16 MiB while a
     *   long read held it is cut back to that size instead of keeping its largest size.
     * - secure_delete=ON: what is deleted (a withdrawn contribution, a 360° draft, a closed
     *   account) is overwritten with zeros, not left in the file's free pages for whoever
     *   copies it. Debian's SQLite is built with it on; this keeps it on in any other build. */
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; "
             "PRAGMA wal_autocheckpoint=1000; PRAGMA journal_size_limit=%d; "
             "PRAGMA secure_delete=ON;",
             DB_SQLITE_WAL_LIMIT);
    src = sqlite3_exec(db->h, pragmas, NULL, NULL, &msg);
    if (src != SQLITE_OK) {
        log_error("msg=\"sqlite pragmas failed\" err=\"%s\"", msg ? msg : sqlite3_errstr(src));
        rc = APP_E_DB;
        goto done;
    }
done:
    sqlite3_free(msg);
    if (rc != APP_OK && db) {
        sqlite3_close(db->h);
        free(db);
        db = NULL;
    }
    *out = db;
    return rc;
}

static int sq_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    int err = APP_OK;
    if (rc != SQLITE_OK) {
        err = map_rc(rc);
        if (err == APP_OK)
            err = APP_E_DB;
        set_err(db, msg ? msg : sqlite3_errstr(rc));
        if (err == APP_E_CONFLICT)
            log_warn("msg=\"sqlite exec: constraint\" err=\"%s\"", db->err);
        else
            log_error("msg=\"sqlite exec failed\" code=%d err=\"%s\"", rc, db->err);
    }
    sqlite3_free(msg);
    return err;
}

/* Callers pass constants, so the same text usually comes at the same address: a match on
 * the address (confirmed by the text, since a buffer may be reused) skips hashing it. */
static struct db_stmt *cache_take_same(struct db *db, const char *sql)
{
    for (int i = 0; i < db->ncache; i++) {
        struct db_stmt *s = db->cache[i];
        if (s->key == sql && !s->in_use && strcmp(s->sql, sql) == 0)
            return s;
    }
    return NULL;
}

static struct db_stmt *cache_take(struct db *db, const char *sql, uint64_t h)
{
    int i;
    for (i = 0; i < db->ncache; i++) {
        struct db_stmt *s = db->cache[i];
        if (s->hash == h && !s->in_use && strcmp(s->sql, sql) == 0)
            return s;
    }
    return NULL;
}

/* Frees a slot for a new statement: appends, or evicts the least recently used idle one.
 * Returns false when every cached statement is in use. */
static bool cache_add(struct db *db, struct db_stmt *st)
{
    int i, victim = -1;
    if (db->ncache < STMT_CACHE_MAX) {
        db->cache[db->ncache++] = st;
        return true;
    }
    for (i = 0; i < db->ncache; i++) {
        if (!db->cache[i]->in_use &&
            (victim < 0 || db->cache[i]->last_used < db->cache[victim]->last_used))
            victim = i;
    }
    if (victim < 0)
        return false;
    sqlite3_finalize(db->cache[victim]->st);
    free(db->cache[victim]->sql);
    free(db->cache[victim]);
    db->cache[victim] = st;
    return true;
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    struct db_stmt *st = NULL;
    char *text = NULL;
    uint64_t h;
    int rc = APP_OK, src;
    size_t n;
    if ((st = cache_take_same(db, sql)))
        goto done;
    h = db_sql_hash(sql);
    if ((st = cache_take(db, sql, h))) {
        st->key = sql;
        goto done;
    }
    n = strlen(sql);
    st = calloc(1, sizeof(*st));
    text = malloc(n + 1);
    if (!st || !text) {
        rc = APP_E_NOMEM;
        goto done;
    }
    memcpy(text, sql, n + 1);
    rewrite_params(text);
    src = sqlite3_prepare_v3(db->h, text, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
    if (src != SQLITE_OK) {
        rc = fail(db, src, "prepare");
        goto done;
    }
    if (!st->st) {
        /* Only whitespace or a comment: nothing SQLite can step. */
        set_err(db, "empty statement");
        rc = APP_E_INTERNAL;
        goto done;
    }
    st->c.db = db;
    st->hash = h;
    st->key = sql;
    /* The key is the caller's text, not the rewrite, so lookups need no rewriting. */
    memcpy(text, sql, n + 1);
    st->sql = text;
    text = NULL;
    st->cached = cache_add(db, st);
done:
    free(text);
    if (rc != APP_OK) {
        if (st) {
            sqlite3_finalize(st->st);
            free(st->sql);
            free(st);
        }
        st = NULL;
    } else {
        st->in_use = true;
        st->last_used = ++db->tick;
    }
    *out = st;
    return rc;
}

static void sq_reset(struct db_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static void sq_finalize(struct db_stmt *st)
{
    if (st->cached) {
        sq_reset(st);
        st->in_use = false;
        return;
    }
    sqlite3_finalize(st->st);
    free(st->sql);
    free(st);
}

static int bind_rc(struct db_stmt *st, int rc)
{
    if (rc == SQLITE_OK)
        return APP_OK;
    return fail((struct db *)st->c.db, rc, "bind");
}

static int sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return bind_rc(st, sqlite3_bind_int64(st->st, idx, v));
}

static int sq_bind_double(struct db_stmt *st, int idx, double v)
{
    return bind_rc(st, sqlite3_bind_double(st->st, idx, v));
}

static int sq_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
    /* sqlite3_bind_text64 rejects lengths past its limit with SQLITE_TOOBIG. */
    return bind_rc(st, sqlite3_bind_text64(st->st, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_null(struct db_stmt *st, int idx)
{
    return bind_rc(st, sqlite3_bind_null(st->st, idx));
}

static int sq_step(struct db_stmt *st)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return fail((struct db *)st->c.db, rc, "step");
}

static bool sq_stmt_readonly(struct db_stmt *st)
{
    return sqlite3_stmt_readonly(st->st) != 0;
}

static int sq_param_count(struct db_stmt *st)
{
    return sqlite3_bind_parameter_count(st->st);
}

static int sq_column_count(struct db_stmt *st)
{
    return sqlite3_column_count(st->st);
}

static bool sq_col_null(struct db_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

static int64_t sq_col_int(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

static double sq_col_double(struct db_stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}

static const char *sq_col_text(struct db_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st->st, i);
    return s ? (const char *)s : "";
}

static size_t sq_col_len(struct db_stmt *st, int i)
{
    /* After column_text so the length is of the UTF-8 form that text returned. */
    if (!sqlite3_column_text(st->st, i))
        return 0;
    return (size_t)sqlite3_column_bytes(st->st, i);
}

static int64_t sq_changes(struct db *db)
{
    return sqlite3_changes64(db->h);
}

static const char *sq_file_path(struct db *db)
{
    const char *p = sqlite3_db_filename(db->h, "main");
    return p ? p : "";
}

static bool sq_tx_open(struct db *db)
{
    return !sqlite3_get_autocommit(db->h);
}

static const char *sq_errmsg(const struct db *db)
{
    return db->err;
}

const struct db_ops db_sqlite_ops = {
    .engine = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .col_null = sq_col_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_len = sq_col_len,
    .changes = sq_changes,
    .tx_open = sq_tx_open,
    .file_path = sq_file_path,
    .stmt_readonly = sq_stmt_readonly,
    .param_count = sq_param_count,
    .errmsg = sq_errmsg,
};
