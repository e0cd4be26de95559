/* db_pg.c: the PostgreSQL backend (libpq)
 *
 * A statement is the SQL text plus its parameter values, copied into memory the statement
 * owns; nothing reaches the server until the first db_step(). Then the text is prepared on
 * the server once per connection under a generated name ("s1", "s2", …, remembered in a
 * per-connection table keyed by the text), executed with the values in text format, and the
 * rows are read from the whole PGresult, or, for a statement marked with db_stream(), one
 * at a time as the server sends them (libpq's single-row mode), so a long read does not wait
 * for its last row, nor hold every row at once, before the caller starts on the first.
 * While such a statement's rows are still arriving the connection can run nothing else; a
 * statement that tries is refused with a logged error, and one finalized early reads (and
 * drops) the rest, since cancelling would abort an open transaction. Parameter types are left to the server to infer,
 * which covers every use the portable subset makes of them; PostgreSQL cannot infer a type
 * for a parameter used only as "$1 IS NULL"; write CAST($1 AS BIGINT) there, which both
 * engines run. The scan for $N knows '…' and "…" and comments, not E'…' escapes or
 * $$-quoting, which the portable subset does not use.
 *
 * Server-side statements outlive transactions but not the session: after PQreset() the
 * table is emptied, and a statement the server no longer knows (or whose result type a
 * schema change altered) is forgotten and, outside a transaction, prepared again once.
 *
 * Error texts are kept for the log, but only the primary message: PostgreSQL's DETAIL
 * repeats key values ("Key (email)=(…) already exists"), and for data exceptions (class 22)
 * even the primary message quotes the offending input, so there only the SQLSTATE is kept.
 */
#include "backend.h"
#include "core/err.h"
#include "core/log.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREP_MAX   512   /* server-side statements per connection; past it, unnamed */
#define PARAMS_MAX 65535 /* the protocol's limit on parameters */

struct pg_prep {
    char *sql;
    uint64_t hash;
    char name[24];
};

struct db {
    struct db_common c;
    PGconn *conn;
    struct pg_prep *preps;
    int nprep;
    unsigned next_id;
    int64_t changes;
    struct db_stmt *streaming; /* the statement whose rows are still arriving, or NULL */
    char err[512];
};

struct db_stmt {
    struct db_stmt_common c;
    const char *sql; /* the caller's constant */
    int nparams;     /* the highest $N in the text */
    char **vals;     /* nparams values, NULL for SQL NULL; owned */
    PGresult *res;
    int nrows;
    int row;    /* -1 before the first row */
    int failed; /* the error a failed run returned, repeated by later steps */
    bool ran;
    bool stream;    /* db_stream(): rows read as they arrive */
    bool delivered; /* a streamed row has reached the caller (no retry after that) */
};

/* Keeps the engine's message for db_errmsg() (the engine's own changes with the next call). */
static void set_err(struct db *db, const char *msg)
{
    db_err_line(db->err, sizeof db->err, msg);
}

/* Records r's error (or the connection's when r carries none) and maps it. */
static int fail(struct db *db, const PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char tmp[64];
    int err = APP_E_DB;
    if (state && strncmp(state, "22", 2) == 0) {
        snprintf(tmp, sizeof tmp, "data exception (SQLSTATE %s)", state);
        set_err(db, tmp);
    } else {
        set_err(db, prim ? prim : PQerrorMessage(db->conn));
    }
    if (state && strncmp(state, "23", 2) == 0)
        err = APP_E_CONFLICT;
    if (err == APP_E_CONFLICT)
        log_warn("msg=\"postgres %s: constraint\" sqlstate=%s err=\"%s\"", what, state, db->err);
    else
        log_error("msg=\"postgres %s failed\" sqlstate=%s err=\"%s\"", what, state ? state : "none",
                  db->err);
    return err;
}

static bool result_ok(const PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Only data-changing commands count, as with sqlite3_changes(): PQcmdTuples() also
 * reports the rows a SELECT returned. */
static void note_changes(struct db *db, PGresult *r)
{
    static const char *const verbs[] = {"INSERT ", "UPDATE ", "DELETE ", "MERGE "};
    const char *status = PQcmdStatus(r);
    size_t i;
    for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (strncmp(status, verbs[i], strlen(verbs[i])) == 0) {
            db->changes = strtoll(PQcmdTuples(r), NULL, 10);
            return;
        }
    }
}

static void notice_cb(void *arg, const char *message)
{
    char line[512];
    char *p;
    (void)arg;
    snprintf(line, sizeof line, "%s", message);
    for (p = line; *p; p++)
        if (*p == '\n' || *p == '"')
            *p = ' ';
    log_warn("msg=\"postgres notice\" text=\"%s\"", line);
}

static void preps_clear(struct db *db)
{
    int i;
    for (i = 0; i < db->nprep; i++)
        free(db->preps[i].sql);
    db->nprep = 0;
}

/* Settings every session needs, run after connecting and after a reset. */
static int session_setup(struct db *db)
{
    PGresult *r;
    int rc = APP_OK;
    PQsetNoticeProcessor(db->conn, notice_cb, NULL);
    r = PQexec(db->conn, "SET client_min_messages TO warning");
    if (!r || !result_ok(r))
        rc = fail(db, r, "session setup");
    PQclear(r);
    return rc;
}

/* A connection that broke (server restart, network) is reset once, on the next use, but
 * never inside a transaction: its earlier statements are gone, and carrying on would commit
 * the rest of it on its own. */
static int ensure_conn(struct db *db)
{
    int rc = APP_OK;
    if (PQstatus(db->conn) == CONNECTION_OK)
        goto done;
    if (db->c.in_tx) {
        set_err(db, "connection lost inside a transaction");
        log_error("msg=\"postgres connection lost inside a transaction\"");
        rc = APP_E_DB;
        goto done;
    }
    log_warn("msg=\"postgres connection lost; resetting\"");
    PQreset(db->conn);
    preps_clear(db);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        set_err(db, PQerrorMessage(db->conn));
        log_error("msg=\"postgres reconnect failed\" err=\"%s\"", db->err);
        rc = APP_E_DB;
        goto done;
    }
    rc = session_setup(db);
done:
    return rc;
}

/* Refuses to send anything while another statement's rows are still arriving: the
 * protocol has one query in flight per connection. A programming error, so logged. */
static int check_idle(struct db *db, const struct db_stmt *self)
{
    if (!db->streaming || db->streaming == self)
        return APP_OK;
    set_err(db, "another statement's rows are still being read");
    log_error("msg=\"postgres statement run while another streams\" sql=\"%.60s\"",
              db->streaming->sql);
    return APP_E_INTERNAL;
}

/* Reads and drops whatever the streaming statement has not read, ending its query. */
static void stream_drain(struct db *db)
{
    PGresult *r;
    while ((r = PQgetResult(db->conn)))
        PQclear(r);
    db->streaming = NULL;
}

static void pg_close(struct db *db)
{
    preps_clear(db);
    free(db->preps);
    PQfinish(db->conn);
    free(db);
}

static int pg_open(const char *url, struct db **out)
{
    struct db *db = NULL;
    int rc = APP_OK;
    *out = NULL;
    db = calloc(1, sizeof(*db));
    if (!db) {
        rc = APP_E_NOMEM;
        goto done;
    }
    db->c.ops = &db_pg_ops;
    db->preps = calloc(PREP_MAX, sizeof(*db->preps));
    if (!db->preps) {
        rc = APP_E_NOMEM;
        goto done;
    }
    db->conn = PQconnectdb(url);
    if (!db->conn) {
        rc = APP_E_NOMEM;
        goto done;
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password. */
        set_err(db, PQerrorMessage(db->conn));
        log_error("msg=\"postgres connect failed\" err=\"%s\"", db->err);
        rc = APP_E_DB;
        goto done;
    }
    rc = session_setup(db);
done:
    if (rc != APP_OK && db) {
        pg_close(db);
        db = NULL;
    }
    *out = db;
    return rc;
}

static int pg_exec(struct db *db, const char *sql)
{
    PGresult *r = NULL;
    int rc = check_idle(db, NULL);
    if (rc == APP_OK)
        rc = ensure_conn(db);
    if (rc != APP_OK)
        goto done;
    r = PQexec(db->conn, sql);
    if (!r || !result_ok(r)) {
        rc = fail(db, r, "exec");
        goto done;
    }
    note_changes(db, r);
done:
    PQclear(r);
    return rc;
}

static struct pg_prep *prep_find(struct db *db, const char *sql, uint64_t h)
{
    int i;
    for (i = 0; i < db->nprep; i++)
        if (db->preps[i].hash == h && strcmp(db->preps[i].sql, sql) == 0)
            return &db->preps[i];
    return NULL;
}

static void prep_forget(struct db *db, struct pg_prep *p)
{
    free(p->sql);
    *p = db->preps[--db->nprep];
}

/* The server's statement for sql, preparing it on first use; NULL with *r set to the
 * failed result when preparing fails, NULL with *r NULL when the table is full. */
static struct pg_prep *prep_get(struct db *db, const char *sql, uint64_t h, PGresult **r)
{
    struct pg_prep *p = prep_find(db, sql, h);
    char *copy;
    *r = NULL;
    if (p || db->nprep >= PREP_MAX)
        return p;
    copy = strdup(sql);
    if (!copy)
        return NULL;
    p = &db->preps[db->nprep];
    snprintf(p->name, sizeof p->name, "s%u", ++db->next_id);
    *r = PQprepare(db->conn, p->name, sql, 0, NULL);
    if (!*r || PQresultStatus(*r) != PGRES_COMMAND_OK) {
        free(copy);
        return NULL;
    }
    PQclear(*r);
    *r = NULL;
    p->sql = copy;
    p->hash = h;
    db->nprep++;
    return p;
}

static bool is_ident(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

/* The highest $N outside literals, quoted identifiers and comments: the number of values
 * the server expects, so unbound parameters can go as NULL (as SQLite treats them). */
static int count_params(const char *sql)
{
    const char *p = sql;
    int max = 0;
    while (*p) {
        char c = *p;
        if (c == '\'' || c == '"') {
            for (p++; *p && *p != c; p++)
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
        if (c == '$' && p[1] >= '0' && p[1] <= '9' && (p == sql || !is_ident(p[-1]))) {
            long n = 0;
            for (p++; *p >= '0' && *p <= '9'; p++)
                if (n <= PARAMS_MAX)
                    n = n * 10 + (*p - '0');
            if (n > max)
                max = n > PARAMS_MAX ? PARAMS_MAX + 1 : (int)n;
            continue;
        }
        p++;
    }
    return max;
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    struct db_stmt *st = NULL;
    PGresult *r = NULL;
    int rc = check_idle(db, NULL);
    if (rc == APP_OK)
        rc = ensure_conn(db);
    if (rc != APP_OK)
        goto done;
    st = calloc(1, sizeof(*st));
    if (!st) {
        rc = APP_E_NOMEM;
        goto done;
    }
    st->c.db = db;
    st->sql = sql;
    st->row = -1;
    st->nparams = count_params(sql);
    if (st->nparams > PARAMS_MAX) {
        set_err(db, "too many parameters");
        rc = APP_E_INTERNAL;
        goto done;
    }
    if (st->nparams) {
        st->vals = calloc((size_t)st->nparams, sizeof(*st->vals));
        if (!st->vals) {
            rc = APP_E_NOMEM;
            goto done;
        }
    }
    /* Prepared on the server now, not at the first step, so a mistake in the SQL shows at
     * db_prepare() as it does on SQLite. A text already prepared costs nothing here. */
    if (!prep_get(db, sql, db_sql_hash(sql), &r) && (r || db->nprep < PREP_MAX)) {
        rc = r ? fail(db, r, "prepare") : APP_E_NOMEM;
        goto done;
    }
done:
    PQclear(r);
    if (rc != APP_OK && st) {
        free(st->vals);
        free(st);
        st = NULL;
    }
    *out = st;
    return rc;
}

static void clear_values(struct db_stmt *st)
{
    int i;
    for (i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
    }
}

static void pg_reset(struct db_stmt *st)
{
    if (st->c.db->streaming == st)
        stream_drain(st->c.db);
    st->delivered = false;
    PQclear(st->res);
    st->res = NULL;
    st->nrows = 0;
    st->row = -1;
    st->failed = APP_OK;
    st->ran = false;
    clear_values(st);
}

static void pg_finalize(struct db_stmt *st)
{
    pg_reset(st);
    free(st->vals);
    free(st);
}

/* Takes ownership of v (malloc'd, NUL-terminated; NULL for SQL NULL). */
static int set_value(struct db_stmt *st, int idx, char *v, bool want)
{
    struct db *db = st->c.db;
    if (idx < 1 || idx > st->nparams) {
        free(v);
        set_err(db, "bind index out of range");
        log_error("msg=\"postgres bind index out of range\" idx=%d params=%d", idx, st->nparams);
        return APP_E_INTERNAL;
    }
    if (want && !v)
        return APP_E_NOMEM;
    free(st->vals[idx - 1]);
    st->vals[idx - 1] = v;
    return APP_OK;
}

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *dup_printf(const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return NULL;
    return strdup(tmp);
}

static int pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
    return set_value(st, idx, dup_printf("%lld", (long long)v), true);
}

static int pg_bind_double(struct db_stmt *st, int idx, double v)
{
    const char *special = NULL;
    if (isnan(v))
        special = "NaN";
    else if (isinf(v))
        special = v > 0 ? "Infinity" : "-Infinity";
    /* %.17g round-trips every double. */
    if (special)
        return set_value(st, idx, strdup(special), true);
    return set_value(st, idx, dup_printf("%.17g", v), true);
}

static int pg_bind_text(struct db_stmt *st, int idx, const char *s, size_t len)
{
    char *v = len < SIZE_MAX ? malloc(len + 1) : NULL;
    if (v) {
        if (len)
            memcpy(v, s, len);
        v[len] = '\0';
    }
    return set_value(st, idx, v, true);
}

static int pg_bind_null(struct db_stmt *st, int idx)
{
    return set_value(st, idx, NULL, false);
}

/* Runs the statement once; returns the result (owned by the caller) or NULL on OOM. */
static PGresult *run(struct db *db, struct db_stmt *st)
{
    uint64_t h = db_sql_hash(st->sql);
    const char *const *vals = (const char *const *)st->vals;
    PGresult *r;
    struct pg_prep *p;
    int attempt;
    for (attempt = 0;; attempt++) {
        p = prep_get(db, st->sql, h, &r);
        if (r)
            return r; /* the prepare failed: syntax, missing table, … */
        if (!p && db->nprep < PREP_MAX)
            return NULL;
        if (!p)
            return PQexecParams(db->conn, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
        r = PQexecPrepared(db->conn, p->name, st->nparams, vals, NULL, NULL, 0);
        if (r && !result_ok(r) && attempt == 0) {
            const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            /* 26000: the server lost the statement; 0A000: a schema change altered its result
             * type ("cached plan must not change result type"). Forget it, and outside a
             * transaction (which the error has not aborted) prepare it afresh. */
            if (state && (strcmp(state, "26000") == 0 || strcmp(state, "0A000") == 0)) {
                log_info("msg=\"postgres statement is stale; forgetting it\" sqlstate=%s", state);
                prep_forget(db, p);
                if (!db->c.in_tx) {
                    PQclear(r);
                    continue;
                }
            }
        }
        return r;
    }
}

/* Sends the statement for reading row by row; its results are then taken by stream_next(). */
static int stream_send(struct db *db, struct db_stmt *st)
{
    const char *const *vals = (const char *const *)st->vals;
    PGresult *r;
    struct pg_prep *p = prep_get(db, st->sql, db_sql_hash(st->sql), &r);
    int sent;
    if (r) {
        int rc = fail(db, r, "step");
        PQclear(r);
        return rc;
    }
    if (!p && db->nprep < PREP_MAX)
        return APP_E_NOMEM;
    if (p)
        sent = PQsendQueryPrepared(db->conn, p->name, st->nparams, vals, NULL, NULL, 0);
    else
        sent = PQsendQueryParams(db->conn, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
    if (!sent)
        return fail(db, NULL, "step");
    /* When single-row mode cannot be had the rows come as one result, which is read alike. */
    (void)PQsetSingleRowMode(db->conn);
    db->streaming = st;
    return APP_OK;
}

/* The next result with rows for a streaming statement: DB_ROW with st->res set, DB_DONE at
 * the end, or an error (the query then drained). A statement the server lost, failing
 * before any row reached the caller outside a transaction, is prepared afresh once, as run()
 * does. */
static int stream_next(struct db *db, struct db_stmt *st)
{
    PGresult *r;
    bool retried = false;
    while ((r = PQgetResult(db->conn))) {
        ExecStatusType s = PQresultStatus(r);
        const char *state;
        char code[8];
        struct pg_prep *p;
        bool stale;
        int rc;
        if ((s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK) && PQntuples(r) > 0) {
            st->res = r;
            st->nrows = PQntuples(r);
            st->row = 0;
            st->delivered = true;
            return DB_ROW;
        }
        if (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
            PQclear(r);
            continue;
        }
        state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        snprintf(code, sizeof code, "%s", state ? state : "");
        stale = !strcmp(code, "26000") || !strcmp(code, "0A000");
        rc = fail(db, r, "step");
        p = prep_find(db, st->sql, db_sql_hash(st->sql));
        PQclear(r);
        stream_drain(db);
        if (stale && p)
            prep_forget(db, p);
        if (!stale || retried || st->delivered || db->c.in_tx)
            return rc;
        log_info("msg=\"postgres statement is stale; preparing it again\" sqlstate=%s", code);
        retried = true;
        if ((rc = stream_send(db, st)) != APP_OK)
            return rc;
    }
    db->streaming = NULL;
    return DB_DONE;
}

static int pg_step(struct db_stmt *st)
{
    struct db *db = st->c.db;
    int rc;
    if (st->failed != APP_OK)
        return st->failed;
    if (!st->ran) {
        st->ran = true;
        rc = check_idle(db, st);
        if (rc == APP_OK)
            rc = ensure_conn(db);
        if (rc != APP_OK)
            goto bad;
        if (st->stream) {
            rc = stream_send(db, st);
            if (rc != APP_OK)
                goto bad;
        } else {
            st->res = run(db, st);
            if (!st->res || !result_ok(st->res)) {
                rc = st->res ? fail(db, st->res, "step") : APP_E_NOMEM;
                if (rc == APP_E_NOMEM)
                    set_err(db, "out of memory");
                goto bad;
            }
            note_changes(db, st->res);
            st->nrows = PQntuples(st->res);
            st->row = -1;
        }
    }
    if (st->row < st->nrows)
        st->row++;
    if (st->row < st->nrows)
        return DB_ROW;
    if (!st->stream || db->streaming != st)
        return DB_DONE;
    PQclear(st->res);
    st->res = NULL;
    st->nrows = 0;
    st->row = -1;
    rc = stream_next(db, st);
    if (rc == DB_ROW || rc == DB_DONE)
        return rc;
bad:
    PQclear(st->res);
    st->res = NULL;
    st->failed = rc;
    return rc;
}

static int pg_stream(struct db_stmt *st)
{
    if (st->ran)
        return APP_E_INTERNAL; /* too late: its rows are already being read */
    st->stream = true;
    return APP_OK;
}

static bool have_cell(struct db_stmt *st, int i)
{
    return st->res && st->row >= 0 && st->row < st->nrows && i >= 0 && i < PQnfields(st->res);
}

static int pg_column_count(struct db_stmt *st)
{
    return st->res ? PQnfields(st->res) : 0;
}

static bool pg_col_null(struct db_stmt *st, int i)
{
    return !have_cell(st, i) || PQgetisnull(st->res, st->row, i);
}

static int64_t pg_col_int(struct db_stmt *st, int i)
{
    const char *s;
    if (pg_col_null(st, i))
        return 0;
    s = PQgetvalue(st->res, st->row, i);
    /* Booleans come back as t/f; read them as SQLite's 1/0 so "SELECT x IS NULL" or
     * EXISTS(…) reads the same on both engines. */
    if (s[0] == 't' && !s[1])
        return 1;
    if (s[0] == 'f' && !s[1])
        return 0;
    return strtoll(s, NULL, 10);
}

static double pg_col_double(struct db_stmt *st, int i)
{
    if (pg_col_null(st, i))
        return 0;
    return strtod(PQgetvalue(st->res, st->row, i), NULL);
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
    if (!have_cell(st, i))
        return "";
    return PQgetvalue(st->res, st->row, i); /* "" for NULL */
}

static size_t pg_col_len(struct db_stmt *st, int i)
{
    if (!have_cell(st, i))
        return 0;
    return (size_t)PQgetlength(st->res, st->row, i);
}

static int64_t pg_changes(struct db *db)
{
    return db->changes;
}

static const char *pg_errmsg(const struct db *db)
{
    return db->err;
}

const struct db_ops db_pg_ops = {
    .engine = DB_POSTGRES,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .stream = pg_stream,
    .column_count = pg_column_count,
    .col_null = pg_col_null,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_len = pg_col_len,
    .changes = pg_changes,
    .errmsg = pg_errmsg,
};
