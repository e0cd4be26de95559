/* db.c: the engine-neutral front of the storage interface; URL parsing, dispatch, pool
 *
 * Every backend's struct db starts with struct db_common and every struct db_stmt with
 * struct db_stmt_common, so this file reaches the backend's ops through a cast and keeps
 * the rules both engines share in one place: the fault hook, transaction nesting, arena
 * ownership of statements and the connection pool.
 *
 * A failed commit always ends the transaction (rolled back), so callers never have to guess
 * whether one is still open; db_rollback() afterwards stays harmless.
 */
#include "db.h"
#include "backend.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fault hook, with a log line so a failure in a fault test is not a mystery: an injected
 * fault leaves the engine's own message untouched. */
static bool fault(const char *op)
{
    if (!db_fault_hit())
        return false;
    log_warn("msg=\"injected database fault\" op=%s", op);
    return true;
}

static const struct db_ops *ops_of(const struct db *db)
{
    return ((const struct db_common *)db)->ops;
}

static struct db_common *common_of(struct db *db)
{
    return (struct db_common *)db;
}

static const struct db_ops *stmt_ops(struct db_stmt *st)
{
    return ops_of(((struct db_stmt_common *)st)->db);
}

int db_open(const char *url, struct db **out)
{
    int rc;
    *out = NULL;
    if (!url) {
        rc = APP_E_INVALID;
        goto done;
    }
    if (strncmp(url, "sqlite:", 7) == 0) {
        rc = db_sqlite_ops.open(url + 7, out);
    } else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        rc = db_pg_ops.open(url, out);
    } else {
        /* The URL itself is not logged: a PostgreSQL URL may carry a password. */
        log_error("msg=\"database URL not understood\" want=\"sqlite:PATH or postgres://...\"");
        rc = APP_E_INVALID;
    }
done:
    if (rc != APP_OK)
        *out = NULL;
    return rc;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    if (common_of(db)->in_tx)
        db_rollback(db);
    ops_of(db)->close(db);
}

enum db_engine db_engine(const struct db *db)
{
    return ops_of(db)->engine;
}

const char *db_errmsg(const struct db *db)
{
    const char *m = db ? ops_of(db)->errmsg(db) : NULL;
    return m ? m : "";
}

int db_exec(struct db *db, const char *sql)
{
    if (fault("exec"))
        return APP_E_DB;
    return ops_of(db)->exec(db, sql);
}

/* Transaction control on SQLite goes through the statement cache: sqlite3_exec would parse
 * "BEGIN" and "COMMIT" anew on every page view. PostgreSQL sends them as plain commands. */
static int tx_control(struct db *db, const char *sql)
{
    const struct db_ops *ops = ops_of(db);
    struct db_stmt *st;
    int rc;
    if (ops->engine != DB_SQLITE)
        return ops->exec(db, sql);
    rc = ops->prepare(db, sql, &st);
    if (rc)
        return rc;
    rc = ops->step(st);
    ops->finalize(st);
    return rc == DB_DONE || rc == DB_ROW ? APP_OK : rc;
}

int db_begin(struct db *db)
{
    struct db_common *c = common_of(db);
    int rc;
    if (c->in_tx) {
        log_error("msg=\"nested transaction\"");
        rc = APP_E_INTERNAL;
        goto done;
    }
    if (fault("begin")) {
        rc = APP_E_DB;
        goto done;
    }
    /* IMMEDIATE takes SQLite's write lock now: two deferred transactions that both read and
     * then write would otherwise deadlock on the upgrade, and one of them would fail with
     * SQLITE_BUSY that the busy timeout cannot resolve. */
    rc = tx_control(db, c->ops->engine == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
    if (rc == APP_OK)
        c->in_tx = true;
done:
    return rc;
}

int db_commit(struct db *db)
{
    struct db_common *c = common_of(db);
    int rc;
    if (!c->in_tx) {
        log_error("msg=\"commit without a transaction\"");
        rc = APP_E_INTERNAL;
        goto done;
    }
    if (fault("commit"))
        rc = APP_E_DB;
    else
        rc = tx_control(db, "COMMIT");
    if (rc == APP_OK) {
        c->in_tx = false;
        c->savepoints = 0;
        goto done;
    }
    /* SQLite keeps the transaction open when COMMIT fails (busy); PostgreSQL ends it. Roll
     * back so both engines leave the connection in the same, clean state. */
    db_rollback(db);
done:
    return rc;
}

int db_rollback(struct db *db)
{
    struct db_common *c = common_of(db);
    int rc = APP_OK;
    if (!c->in_tx)
        goto done;
    /* Not subject to the fault hook: this is the path that cleans up after faults. */
    if (!c->ops->tx_open || c->ops->tx_open(db))
        rc = tx_control(db, "ROLLBACK");
    c->in_tx = false;
    c->savepoints = 0;
done:
    return rc;
}

bool db_in_tx(const struct db *db)
{
    return ((const struct db_common *)db)->in_tx;
}

int db_savepoint(struct db *db)
{
    struct db_common *c = common_of(db);
    int rc;
    if (!c->in_tx) {
        log_error("msg=\"savepoint without a transaction\"");
        return APP_E_INTERNAL;
    }
    if (fault("savepoint"))
        return APP_E_DB;
    rc = tx_control(db, "SAVEPOINT ahp_sp");
    if (rc == APP_OK)
        c->savepoints++;
    return rc;
}

int db_savepoint_end(struct db *db, bool keep)
{
    struct db_common *c = common_of(db);
    int rc;
    if (!c->in_tx || c->savepoints < 1) {
        log_error("msg=\"savepoint ended without one\"");
        return APP_E_INTERNAL;
    }
    if (fault("savepoint_end"))
        return APP_E_DB;
    if (keep)
        rc = tx_control(db, "RELEASE SAVEPOINT ahp_sp");
    else if (c->ops->engine != DB_SQLITE) /* one round trip */
        rc = c->ops->exec(db, "ROLLBACK TO SAVEPOINT ahp_sp; RELEASE SAVEPOINT ahp_sp");
    else if ((rc = tx_control(db, "ROLLBACK TO SAVEPOINT ahp_sp")) == APP_OK)
        rc = tx_control(db, "RELEASE SAVEPOINT ahp_sp");
    if (rc == APP_OK)
        c->savepoints--;
    return rc;
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    *out = NULL;
    if (fault("prepare"))
        return APP_E_DB;
    return ops_of(db)->prepare(db, sql, out);
}

static void finalize_cb(void *st)
{
    db_finalize(st);
}

int db_prepare_arena(struct db *db, struct arena *a, const char *sql, struct db_stmt **out)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (rc != APP_OK)
        goto done;
    if (arena_on_free(a, finalize_cb, st) != APP_OK) {
        db_finalize(st);
        st = NULL;
        rc = APP_E_NOMEM;
    }
done:
    *out = st;
    return rc;
}

void db_finalize(struct db_stmt *st)
{
    if (st)
        stmt_ops(st)->finalize(st);
}

void db_reset(struct db_stmt *st)
{
    stmt_ops(st)->reset(st);
}

int db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return stmt_ops(st)->bind_int(st, idx, v);
}

int db_bind_double(struct db_stmt *st, int idx, double v)
{
    return stmt_ops(st)->bind_double(st, idx, v);
}

int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
    /* PostgreSQL text cannot hold NUL and text fields never carry one (see utf8_valid), so
     * both engines refuse it rather than one truncating where the other stores it. */
    if (len && memchr(s, '\0', len))
        return APP_E_INVALID;
    return stmt_ops(st)->bind_text(st, idx, s, len);
}

int db_bind_cstr(struct db_stmt *st, int idx, const char *s)
{
    if (!s)
        return stmt_ops(st)->bind_null(st, idx);
    return stmt_ops(st)->bind_text(st, idx, s, strlen(s));
}

int db_bind_null(struct db_stmt *st, int idx)
{
    return stmt_ops(st)->bind_null(st, idx);
}

int db_stream(struct db_stmt *st)
{
    return stmt_ops(st)->stream ? stmt_ops(st)->stream(st) : APP_OK;
}

int db_step(struct db_stmt *st)
{
    struct db_stmt_common *sc = (struct db_stmt_common *)st;
    const struct db_ops *ops = stmt_ops(st);
    if (fault("step"))
        return APP_E_DB;
    /* Outside a transaction SQLite commits a statement when it ends. A write that returns
     * rows (… RETURNING) has done its work at the first row but ends only at DB_DONE or when
     * it is reset, and a reset has no result to check: a commit that failed there (disk
     * full, WAL not writable) looked like success. So such a statement runs inside
     * db_begin()/db_commit(), whose result is checked (db_run() and db_run_int() open one
     * of their own). Only SQLite can tell cheaply whether a statement writes; the tests run
     * on SQLite, so a caller that breaks the rule fails there. */
    if (ops->stmt_readonly && !common_of(sc->db)->in_tx && ops->column_count(st) > 0 &&
        !ops->stmt_readonly(st)) {
        log_error("msg=\"a write that returns rows must run in a transaction\"");
        return APP_E_INTERNAL;
    }
    return ops->step(st);
}

int db_column_count(struct db_stmt *st)
{
    return stmt_ops(st)->column_count(st);
}

bool db_col_null(struct db_stmt *st, int i)
{
    return stmt_ops(st)->col_null(st, i);
}

int64_t db_col_int(struct db_stmt *st, int i)
{
    return stmt_ops(st)->col_int(st, i);
}

double db_col_double(struct db_stmt *st, int i)
{
    return stmt_ops(st)->col_double(st, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
    const char *s = stmt_ops(st)->col_text(st, i);
    return s ? s : "";
}

size_t db_col_len(struct db_stmt *st, int i)
{
    return stmt_ops(st)->col_len(st, i);
}

int64_t db_changes(struct db *db)
{
    return ops_of(db)->changes(db);
}

/* ---- the pool --------------------------------------------------------------------------- */

struct db_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int size;
    int nfree;
    struct db **all;  /* every connection, for db_pool_free() */
    struct db **idle; /* a stack of the free ones */
};

int db_pool_new(const char *url, int size, struct db_pool **out)
{
    struct db_pool *p = NULL;
    int rc = APP_OK, i;
    *out = NULL;
    if (size < 1) {
        rc = APP_E_INVALID;
        goto done;
    }
    p = calloc(1, sizeof(*p));
    if (!p) {
        rc = APP_E_NOMEM;
        goto done;
    }
    p->all = calloc((size_t)size, sizeof(*p->all));
    p->idle = calloc((size_t)size, sizeof(*p->idle));
    if (!p->all || !p->idle) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        rc = APP_E_NOMEM;
        goto done;
    }
    p->size = size;
    for (i = 0; i < size; i++) {
        rc = db_open(url, &p->all[i]);
        if (rc != APP_OK)
            goto done;
        p->idle[p->nfree++] = p->all[i];
    }
done:
    if (rc != APP_OK && p) {
        if (p->size) {
            db_pool_free(p);
        } else {
            free(p->all);
            free(p->idle);
            free(p);
        }
        p = NULL;
    }
    *out = p;
    return rc;
}

void db_pool_free(struct db_pool *p)
{
    int i;
    if (!p)
        return;
    for (i = 0; i < p->size; i++)
        db_close(p->all[i]);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->all);
    free(p->idle);
    free(p);
}

struct db *db_pool_get(struct db_pool *p)
{
    struct db *db;
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0)
        pthread_cond_wait(&p->cv, &p->mu);
    db = p->idle[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return db;
}

void db_pool_put(struct db_pool *p, struct db *db)
{
    if (!db)
        return;
    /* A handler that bailed out mid-transaction must not hand its locks (or its half-done
     * writes) to the next user of the connection. */
    if (db_in_tx(db)) {
        log_warn("msg=\"connection returned to the pool inside a transaction; rolled back\"");
        db_rollback(db);
    }
    pthread_mutex_lock(&p->mu);
    p->idle[p->nfree++] = db;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* ---- shorthands ---------------------------------------------------------------------------- */

static int vbind(struct db_stmt *st, const char *types, va_list ap)
{
    int rc = APP_OK;
    for (int i = 0; types[i] && !rc; i++) {
        switch (types[i]) {
        case 'i':
            rc = db_bind_int(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? db_bind_int(st, i + 1, v) : db_bind_null(st, i + 1);
            break;
        }
        case 't':
            rc = db_bind_cstr(st, i + 1, va_arg(ap, const char *));
            break;
        case 'd':
            rc = db_bind_double(st, i + 1, va_arg(ap, double));
            break;
        default:
            log_error("msg=\"bad bind type\" type=%c", types[i]);
            rc = APP_E_INTERNAL;
        }
    }
    return rc;
}

static int vprepare_bind(struct db *db, const char *sql, struct db_stmt **out, const char *types,
                         va_list ap)
{
    int rc = db_prepare(db, sql, out);
    if (rc)
        return rc;
    /* A type string that does not match the query is a bug that binds garbage or leaves a
     * parameter NULL; SQLite can count the parameters, so every test run checks it. */
    if (ops_of(db)->param_count && ops_of(db)->param_count(*out) != (int)strlen(types)) {
        log_error("msg=\"bind types do not match the query\" types=%s expected=%d", types,
                  ops_of(db)->param_count(*out));
        db_finalize(*out);
        *out = NULL;
        return APP_E_INTERNAL;
    }
    rc = vbind(*out, types, ap);
    if (rc) {
        db_finalize(*out);
        *out = NULL;
    }
    return rc;
}

int db_prepare_bind(struct db *db, const char *sql, struct db_stmt **out, const char *types, ...)
{
    va_list ap;
    int rc;
    va_start(ap, types);
    rc = vprepare_bind(db, sql, out, types, ap);
    va_end(ap);
    return rc;
}

/* True when st returns rows and may write (… RETURNING). Only SQLite can tell a read from a
 * write cheaply; on PostgreSQL any statement that returns rows counts. */
static bool writes_rows(struct db_stmt *st)
{
    const struct db_ops *ops = stmt_ops(st);
    return ops->column_count(st) > 0 && (!ops->stmt_readonly || !ops->stmt_readonly(st));
}

/* Steps st to DB_DONE, keeping the first column of the first row in *first (when not NULL)
 * and counting rows in *nrows, then finalizes it. A write that returns rows does its work
 * at the first row, so a later step that fails (for real, or injected by db_fault.c) must
 * undo it, which only a rollback can: outside a transaction, such a statement runs in one of
 * its own, committed here with its result checked. returns_rows says the caller expects
 * rows (db_run_int): PostgreSQL knows a statement's columns only once it has run. */
static int run_to_end(struct db *db, struct db_stmt *st, bool returns_rows, int64_t *first,
                      int64_t *nrows)
{
    const struct db_ops *ops = stmt_ops(st);
    /* SQLite says whether the statement writes; a read needs no transaction (and must not
     * take the write lock that db_begin() takes). PostgreSQL cannot say before it runs. */
    bool may_write = ops->stmt_readonly ? writes_rows(st) : returns_rows || writes_rows(st);
    bool own_tx = !db_in_tx(db) && may_write;
    int rc = own_tx ? db_begin(db) : APP_OK;
    *nrows = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        if (*nrows == 0 && first)
            *first = db_col_int(st, 0);
        (*nrows)++;
        rc = APP_OK;
    }
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    if (own_tx && db_in_tx(db)) {
        if (rc)
            db_rollback(db);
        else
            rc = db_commit(db);
    }
    return rc;
}

int db_run(struct db *db, const char *sql, const char *types, ...)
{
    struct db_stmt *st = NULL;
    va_list ap;
    int64_t nrows;
    int rc;
    va_start(ap, types);
    rc = vprepare_bind(db, sql, &st, types, ap);
    va_end(ap);
    return rc ? rc : run_to_end(db, st, false, NULL, &nrows);
}

int db_run_int(struct db *db, const char *sql, int64_t *out, const char *types, ...)
{
    struct db_stmt *st = NULL;
    va_list ap;
    int64_t value = 0, nrows = 0;
    int rc;
    va_start(ap, types);
    rc = vprepare_bind(db, sql, &st, types, ap);
    va_end(ap);
    if (!rc)
        rc = run_to_end(db, st, true, &value, &nrows);
    if (rc)
        return rc;
    if (nrows == 0)
        return APP_E_NOTFOUND; /* ON CONFLICT DO NOTHING, or a WHERE that matched nothing */
    if (nrows > 1) {
        log_error("msg=\"db_run_int: the statement returned more than one row\"");
        return APP_E_INTERNAL;
    }
    *out = value;
    return APP_OK;
}

int db_row(struct db *db, const char *sql, struct db_stmt **out, const char *types, ...)
{
    va_list ap;
    int rc;
    va_start(ap, types);
    rc = vprepare_bind(db, sql, out, types, ap);
    va_end(ap);
    if (rc)
        return rc;
    rc = db_step(*out);
    if (rc == DB_ROW)
        return APP_OK;
    if (rc == DB_DONE)
        rc = APP_E_NOTFOUND;
    db_finalize(*out);
    *out = NULL;
    return rc;
}

/* ---- helpers for the engines ------------------------------------------------------------- */

uint64_t db_sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void db_err_line(char *dst, size_t size, const char *msg)
{
    char *p;
    snprintf(dst, size, "%s", msg && *msg ? msg : "unknown error");
    for (p = dst; *p; p++) {
        if (*p == '"')
            *p = '\'';
        else if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    }
    while (p > dst && p[-1] == ' ')
        *--p = '\0';
}
