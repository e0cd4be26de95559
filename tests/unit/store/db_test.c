/* db_test.c: the storage interface and migration runner, on SQLite or PostgreSQL
 *
 * AHPHUB_TEST_DB names the database (any db_open() URL); without it the tests use a SQLite
 * file in a fresh temporary directory. The same binary runs on both engines, so every
 * assertion here is one the two backends must agree on. Tables are named dbt_* and dropped
 * before use and after it, so a shared PostgreSQL database is left as it was found; the
 * migration tests run in their own PostgreSQL schema (or SQLite file) for the same reason.
 * Worker threads never call cmocka's asserts (they longjmp): they count failures instead.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "store/db.h"
#include "store/migrate.h"

#include <dirent.h>
#include <sys/stat.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char url[1024];
static char tmpdir[256];
static bool is_pg;

static struct db *open_db(void)
{
    struct db *db = NULL;
    int rc = db_open(url, &db);
    if (rc != APP_OK)
        fail_msg("db_open: %s", app_err_name(rc));
    assert_non_null(db);
    return db;
}

static void exec_ok(struct db *db, const char *sql)
{
    int rc = db_exec(db, sql);
    if (rc != APP_OK)
        fail_msg("exec \"%s\": %s: %s", sql, app_err_name(rc), db_errmsg(db));
}

/* Drops and creates a table from portable column text, translated as migrations are. */
static void create_table(struct db *db, const char *name, const char *cols)
{
    struct buf sql = BUF_INIT, ddl = BUF_INIT;
    buf_printf(&ddl, "DROP TABLE IF EXISTS %s; CREATE TABLE %s(%s)", name, name, cols);
    assert_false(buf_oom(&ddl));
    assert_int_equal(migrate_translate(db_engine(db), ddl.data, &sql), APP_OK);
    exec_ok(db, sql.data);
    buf_free(&sql);
    buf_free(&ddl);
}

static void drop_table(struct db *db, const char *name)
{
    struct buf sql = BUF_INIT;
    buf_printf(&sql, "DROP TABLE IF EXISTS %s", name);
    exec_ok(db, sql.data);
    buf_free(&sql);
}

/* The single integer a query returns. */
static int64_t query_int(struct db *db, const char *sql)
{
    struct db_stmt *st = NULL;
    int64_t v;
    int rc = db_prepare(db, sql, &st);
    if (rc != APP_OK)
        fail_msg("prepare \"%s\": %s", sql, db_errmsg(db));
    assert_int_equal(db_step(st), DB_ROW);
    v = db_col_int(st, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    return v;
}

static void test_open_close(void **state)
{
    struct db *db = NULL;
    (void)state;
    db = open_db();
    assert_int_equal(db_engine(db), is_pg ? DB_POSTGRES : DB_SQLITE);
    assert_non_null(db_errmsg(db));
    assert_false(db_in_tx(db));
    db_close(db);
    db_close(NULL);

    db = (struct db *)&db; /* must be reset to NULL on failure */
    assert_int_equal(db_open("mysql://localhost/x", &db), APP_E_INVALID);
    assert_null(db);
    db = (struct db *)&db;
    assert_int_equal(db_open("sqlite:/nonexistent-dir/sub/x.db", &db), APP_E_DB);
    assert_null(db);
    db = (struct db *)&db;
    assert_int_equal(db_open("postgres://nobody@127.0.0.1:1/none?connect_timeout=2", &db),
                     APP_E_DB);
    assert_null(db);

    assert_int_equal(db_open("sqlite::memory:", &db), APP_OK);
    assert_int_equal(db_engine(db), DB_SQLITE);
    exec_ok(db, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1)");
    assert_int_equal(query_int(db, "SELECT count(*) FROM t"), 1);
    db_close(db);
}

static void test_exec(void **state)
{
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    (void)state;
    create_table(db, "dbt_exec", "id INTEGER PRIMARY KEY, v TEXT NOT NULL");
    exec_ok(db, "INSERT INTO dbt_exec(v) VALUES ('a'); INSERT INTO dbt_exec(v) VALUES ('b');");
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_exec"), 2);
    assert_int_equal(db_exec(db, "SELEC nonsense"), APP_E_DB);
    assert_true(strlen(db_errmsg(db)) > 0);
    /* Mistakes in SQL show at prepare time on both engines. */
    st = (struct db_stmt *)&st;
    assert_int_equal(db_prepare(db, "SELEC nonsense", &st), APP_E_DB);
    assert_null(st);
    assert_int_equal(db_prepare(db, "SELECT x FROM dbt_no_such_table", &st), APP_E_DB);
    assert_null(st);
    /* The connection is still usable after a failure. */
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_exec"), 2);
    drop_table(db, "dbt_exec");
    db_close(db);
}

static void test_bind_types(void **state)
{
    static const char ins[] = "INSERT INTO dbt_types(i, d, t, n) VALUES ($1, $2, $3, $4)";
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    (void)state;
    create_table(db, "dbt_types", "i BIGINT, d DOUBLE PRECISION, t TEXT, n BIGINT");

    assert_int_equal(db_prepare(db, ins, &st), APP_OK);
    assert_int_equal(db_bind_int(st, 1, INT64_MAX), APP_OK);
    assert_int_equal(db_bind_double(st, 2, 0.1), APP_OK);
    /* Only the first len bytes count: "héllo" of "héllo wörld". */
    assert_int_equal(db_bind_text(st, 3, "h\xc3\xa9llo w\xc3\xb6rld", 6), APP_OK);
    assert_int_equal(db_bind_int(st, 4, 7), APP_OK);
    assert_int_equal(db_bind_null(st, 4), APP_OK); /* rebinding replaces */
    assert_int_equal(db_step(st), DB_DONE);
    assert_int_equal(db_changes(db), 1);
    db_finalize(st);

    assert_int_equal(db_prepare(db, ins, &st), APP_OK);
    assert_int_equal(db_bind_int(st, 1, INT64_MIN), APP_OK);
    assert_int_equal(db_bind_double(st, 2, -1.0 / 3.0), APP_OK);
    assert_int_equal(db_bind_cstr(st, 3, "it's \"quoted\" $1"), APP_OK);
    assert_int_equal(db_bind_cstr(st, 4, NULL), APP_OK);
    /* Text never carries NUL, and an index the SQL lacks is a bug on both engines. */
    assert_int_equal(db_bind_text(st, 3, "a\0b", 3), APP_E_INVALID);
    assert_int_equal(db_bind_int(st, 5, 1), APP_E_INTERNAL);
    assert_int_equal(db_bind_int(st, 0, 1), APP_E_INTERNAL);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);

    assert_int_equal(db_prepare(db, "SELECT i, d, t, n FROM dbt_types ORDER BY i DESC", &st),
                     APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_count(st), 4);
    assert_true(db_col_int(st, 0) == INT64_MAX);
    assert_true(db_col_double(st, 1) == 0.1);
    assert_string_equal(db_col_text(st, 2), "h\xc3\xa9llo");
    assert_int_equal(db_col_len(st, 2), 6);
    assert_true(db_col_null(st, 3));
    assert_false(db_col_null(st, 0));
    assert_string_equal(db_col_text(st, 0), "9223372036854775807");
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_int(st, 0) == INT64_MIN);
    assert_true(db_col_double(st, 1) == -1.0 / 3.0);
    assert_string_equal(db_col_text(st, 2), "it's \"quoted\" $1");
    assert_true(db_col_null(st, 3));
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);

    drop_table(db, "dbt_types");
    db_close(db);
}

static void test_nulls(void **state)
{
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    int i;
    (void)state;
    create_table(db, "dbt_nulls", "i BIGINT, d DOUBLE PRECISION, t TEXT");
    assert_int_equal(db_prepare(db, "INSERT INTO dbt_nulls(i, d, t) VALUES ($1, $2, $3)", &st),
                     APP_OK);
    /* Left unbound, all three are NULL on both engines. */
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_int_equal(db_prepare(db, "SELECT i, d, t FROM dbt_nulls", &st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    for (i = 0; i < 3; i++) {
        assert_true(db_col_null(st, i));
        assert_string_equal(db_col_text(st, i), "");
        assert_int_equal(db_col_len(st, i), 0);
        assert_int_equal(db_col_int(st, i), 0);
        assert_true(db_col_double(st, i) == 0.0);
    }
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_nulls WHERE t IS NULL"), 1);
    drop_table(db, "dbt_nulls");
    db_close(db);
}

static void test_param_reuse(void **state)
{
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    (void)state;
    create_table(db, "dbt_params", "a TEXT, b TEXT, c TEXT");
    assert_int_equal(db_prepare(db, "INSERT INTO dbt_params(a, b, c) VALUES ($2, $1, $2)", &st),
                     APP_OK);
    assert_int_equal(db_bind_cstr(st, 1, "one"), APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "two"), APP_OK);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);

    assert_int_equal(db_prepare(db,
                                "SELECT '$1', a, b, c /* $3 */ FROM dbt_params -- $4\n"
                                "WHERE c = $2 AND b = $1 AND a = $2",
                                &st),
                     APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "two"), APP_OK);
    assert_int_equal(db_bind_cstr(st, 1, "one"), APP_OK);
    assert_int_equal(db_bind_cstr(st, 3, "x"), APP_E_INTERNAL); /* $3 is in a comment */
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "$1");
    assert_string_equal(db_col_text(st, 1), "two");
    assert_string_equal(db_col_text(st, 2), "one");
    assert_string_equal(db_col_text(st, 3), "two");
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);

    /* An optional filter: PostgreSQL needs the CAST to type a $N tested only for NULL. */
    assert_int_equal(db_prepare(db,
                                "SELECT count(*) FROM dbt_params "
                                "WHERE CAST($1 AS TEXT) IS NULL OR b = $1",
                                &st),
                     APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    db_reset(st);
    assert_int_equal(db_bind_cstr(st, 1, "none"), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 0);
    db_finalize(st);
    drop_table(db, "dbt_params");
    db_close(db);
}

static void test_returning(void **state)
{
    static const char ins[] = "INSERT INTO dbt_ret(v) VALUES ($1) RETURNING id";
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    int64_t id1, id2;
    int rows = 0, rc;
    (void)state;
    create_table(db, "dbt_ret", "id INTEGER PRIMARY KEY, v TEXT NOT NULL");
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_prepare(db, ins, &st), APP_OK);
    assert_int_equal(db_bind_cstr(st, 1, "a"), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    id1 = db_col_int(st, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_int_equal(db_commit(db), APP_OK);
    /* Outside a transaction, db_run_int() runs it to its end. */
    assert_int_equal(db_run_int(db, ins, &id2, "t", "b"), APP_OK);
    assert_true(id1 > 0);
    assert_true(id2 > id1);
    /* ON CONFLICT DO NOTHING returns no row: not found, and the output is untouched. */
    assert_int_equal(db_run_int(db,
                                "INSERT INTO dbt_ret(id, v) VALUES ($1, 'c') "
                                "ON CONFLICT (id) DO NOTHING RETURNING id",
                                &id2, "i", id1),
                     APP_E_NOTFOUND);
    assert_true(id2 > id1);

    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_prepare(db, "UPDATE dbt_ret SET v = v || '!' RETURNING id, v", &st),
                     APP_OK);
    while ((rc = db_step(st)) == DB_ROW) {
        assert_int_equal(db_col_len(st, 1), 2);
        rows++;
    }
    assert_int_equal(rc, DB_DONE);
    db_finalize(st);
    assert_int_equal(db_commit(db), APP_OK);
    assert_int_equal(rows, 2);
    assert_int_equal(db_changes(db), 2);
    /* More than one row is a caller's mistake db_run_int() refuses. */
    assert_int_equal(db_run_int(db, "UPDATE dbt_ret SET v = v RETURNING id", &id2, ""),
                     APP_E_INTERNAL);

    /* A read through db_run_int() takes no write lock: it answers while another connection
     * holds one (it used to open a write transaction of its own and wait the busy timeout). */
    if (db_engine(db) == DB_SQLITE) {
        struct db *other = open_db();
        int64_t n = -1;
        assert_int_equal(db_begin(other), APP_OK);
        assert_int_equal(db_run_int(db, "SELECT count(*) FROM dbt_ret", &n, ""), APP_OK);
        assert_int_equal(n, 2);
        assert_int_equal(db_rollback(other), APP_OK);
        db_close(other);
    }

    /* A write that returns rows, stepped by hand outside a transaction, would be committed
     * only by db_finalize(), whose failure nobody sees: SQLite refuses it before it runs.
     * (PostgreSQL runs the whole statement in the step, whose result is checked.) */
    if (db_engine(db) == DB_SQLITE) {
        int64_t before = query_int(db, "SELECT count(*) FROM dbt_ret");
        assert_int_equal(db_row(db, ins, &st, "t", "d"), APP_E_INTERNAL);
        assert_null(st);
        assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_ret"), before);
    }
    drop_table(db, "dbt_ret");
    db_close(db);
}

static int upsert(struct db *db, const char *sql, const char *k, const char *v)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (rc != APP_OK)
        goto done;
    rc = db_bind_cstr(st, 1, k);
    if (rc == APP_OK)
        rc = db_bind_cstr(st, 2, v);
    if (rc != APP_OK)
        goto done;
    rc = db_step(st);
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

static void test_on_conflict(void **state)
{
    static const char up[] = "INSERT INTO dbt_kv(k, v) VALUES ($1, $2) "
                             "ON CONFLICT(k) DO UPDATE SET v = excluded.v";
    static const char keep[] = "INSERT INTO dbt_kv(k, v) VALUES ($1, $2) ON CONFLICT(k) DO NOTHING";
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    (void)state;
    create_table(db, "dbt_kv", "k TEXT PRIMARY KEY, v TEXT NOT NULL");
    assert_int_equal(upsert(db, up, "x", "1"), APP_OK);
    assert_int_equal(upsert(db, up, "x", "2"), APP_OK);
    assert_int_equal(db_changes(db), 1);
    assert_int_equal(upsert(db, keep, "x", "3"), APP_OK);
    assert_int_equal(db_changes(db), 0);
    assert_int_equal(upsert(db, keep, "y", "3"), APP_OK);
    assert_int_equal(db_changes(db), 1);
    /* A query is not a change. */
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_kv"), 2);
    assert_int_equal(db_changes(db), 1);
    assert_int_equal(db_prepare(db, "SELECT v FROM dbt_kv WHERE k = 'x'", &st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "2");
    db_finalize(st);
    drop_table(db, "dbt_kv");
    db_close(db);
}

static void test_conflicts(void **state)
{
    static const char ins[] = "INSERT INTO dbt_child(parent, email, n) VALUES ($1, $2, $3)";
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    (void)state;
    drop_table(db, "dbt_child");
    create_table(db, "dbt_parent", "id INTEGER PRIMARY KEY");
    create_table(db, "dbt_child",
                 "id INTEGER PRIMARY KEY, parent BIGINT NOT NULL REFERENCES dbt_parent(id), "
                 "email TEXT UNIQUE, n BIGINT CHECK (n >= 0)");
    exec_ok(db, "INSERT INTO dbt_parent(id) VALUES (1)");

    assert_int_equal(db_prepare(db, ins, &st), APP_OK);
    assert_int_equal(db_bind_int(st, 1, 1), APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "a@example.org"), APP_OK);
    assert_int_equal(db_bind_int(st, 3, 1), APP_OK);
    assert_int_equal(db_step(st), DB_DONE);
    db_reset(st);
    /* Unique. */
    assert_int_equal(db_bind_int(st, 1, 1), APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "a@example.org"), APP_OK);
    assert_int_equal(db_step(st), APP_E_CONFLICT);
    assert_true(strlen(db_errmsg(db)) > 0);
    /* The message names the constraint, never the value (it may be personal data). */
    assert_null(strstr(db_errmsg(db), "a@example.org"));
    db_reset(st);
    /* Foreign key. */
    assert_int_equal(db_bind_int(st, 1, 99), APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "b@example.org"), APP_OK);
    assert_int_equal(db_step(st), APP_E_CONFLICT);
    db_reset(st);
    /* Not null (parent unbound). */
    assert_int_equal(db_bind_cstr(st, 2, "c@example.org"), APP_OK);
    assert_int_equal(db_step(st), APP_E_CONFLICT);
    db_reset(st);
    /* Check. */
    assert_int_equal(db_bind_int(st, 1, 1), APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "d@example.org"), APP_OK);
    assert_int_equal(db_bind_int(st, 3, -1), APP_OK);
    assert_int_equal(db_step(st), APP_E_CONFLICT);
    db_reset(st);
    /* And the statement and connection still work. */
    assert_int_equal(db_bind_int(st, 1, 1), APP_OK);
    assert_int_equal(db_bind_cstr(st, 2, "e@example.org"), APP_OK);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_child"), 2);
    drop_table(db, "dbt_child");
    drop_table(db, "dbt_parent");
    db_close(db);
}

static int insert_v(struct db *db, int64_t v)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, "INSERT INTO dbt_tx(v) VALUES ($1)", &st);
    if (rc != APP_OK)
        goto done;
    rc = db_bind_int(st, 1, v);
    if (rc != APP_OK)
        goto done;
    rc = db_step(st);
    if (rc == DB_DONE)
        rc = APP_OK;
done:
    db_finalize(st);
    return rc;
}

static void test_transactions(void **state)
{
    struct db *db = open_db(), *other = open_db();
    (void)state;
    create_table(db, "dbt_tx", "v BIGINT UNIQUE");
    assert_int_equal(db_rollback(db), APP_OK); /* harmless without a transaction */
    assert_int_equal(db_commit(db), APP_E_INTERNAL);

    assert_int_equal(db_begin(db), APP_OK);
    assert_true(db_in_tx(db));
    assert_int_equal(db_begin(db), APP_E_INTERNAL);
    assert_true(db_in_tx(db));
    assert_int_equal(insert_v(db, 1), APP_OK);
    /* Not visible to another connection before the commit. */
    assert_int_equal(query_int(other, "SELECT count(*) FROM dbt_tx"), 0);
    assert_int_equal(db_commit(db), APP_OK);
    assert_false(db_in_tx(db));
    assert_int_equal(query_int(other, "SELECT count(*) FROM dbt_tx"), 1);

    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(insert_v(db, 2), APP_OK);
    assert_int_equal(insert_v(db, 3), APP_OK);
    assert_int_equal(db_rollback(db), APP_OK);
    assert_false(db_in_tx(db));
    assert_int_equal(db_rollback(db), APP_OK);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_tx"), 1);

    /* A failed statement inside a transaction (PostgreSQL then refuses everything but
     * ROLLBACK); after rolling back the connection is clean again. */
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(insert_v(db, 4), APP_OK);
    assert_int_equal(insert_v(db, 1), APP_E_CONFLICT);
    assert_int_equal(db_rollback(db), APP_OK);
    assert_int_equal(insert_v(db, 5), APP_OK);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_tx"), 2);

    /* Closing inside a transaction rolls it back. */
    assert_int_equal(db_begin(other), APP_OK);
    assert_int_equal(insert_v(other, 6), APP_OK);
    db_close(other);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_tx"), 2);
    drop_table(db, "dbt_tx");
    db_close(db);
}

/* Savepoints: work undone inside a transaction that goes on, work kept, nesting, a failed
 * statement recovered from (PostgreSQL refuses everything after it until the rollback to the
 * savepoint), and the misuses refused. */
static void test_savepoints(void **state)
{
    struct db *db = open_db(), *other = open_db();
    (void)state;
    create_table(db, "dbt_tx", "v BIGINT UNIQUE");
    assert_int_equal(db_savepoint(db), APP_E_INTERNAL); /* no transaction */
    assert_int_equal(db_savepoint_end(db, true), APP_E_INTERNAL);

    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_savepoint_end(db, false), APP_E_INTERNAL); /* none taken */
    assert_int_equal(insert_v(db, 1), APP_OK);
    assert_int_equal(db_savepoint(db), APP_OK);
    assert_int_equal(insert_v(db, 2), APP_OK);
    assert_int_equal(db_savepoint(db), APP_OK); /* nested */
    assert_int_equal(insert_v(db, 3), APP_OK);
    assert_int_equal(db_savepoint_end(db, false), APP_OK); /* 3 undone */
    assert_int_equal(db_savepoint_end(db, true), APP_OK);  /* 2 kept */
    assert_int_equal(db_savepoint(db), APP_OK);
    assert_int_equal(insert_v(db, 4), APP_OK);
    assert_int_equal(insert_v(db, 1), APP_E_CONFLICT);
    assert_int_equal(db_savepoint_end(db, false), APP_OK); /* 4 undone, the failure too */
    assert_true(db_in_tx(db));
    assert_int_equal(db_savepoint_end(db, false), APP_E_INTERNAL); /* all ended */
    assert_int_equal(insert_v(db, 5), APP_OK);
    assert_int_equal(db_commit(db), APP_OK);
    assert_int_equal(query_int(other, "SELECT count(*) FROM dbt_tx"), 3);
    assert_int_equal(query_int(other, "SELECT count(*) FROM dbt_tx WHERE v IN (1, 2, 5)"), 3);

    /* a rollback of the transaction undoes what a savepoint kept, and ends it */
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_savepoint(db), APP_OK);
    assert_int_equal(insert_v(db, 6), APP_OK);
    assert_int_equal(db_savepoint_end(db, true), APP_OK);
    assert_int_equal(db_savepoint(db), APP_OK);
    assert_int_equal(db_rollback(db), APP_OK);
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_savepoint_end(db, true), APP_E_INTERNAL);
    assert_int_equal(db_commit(db), APP_OK);
    assert_int_equal(query_int(other, "SELECT count(*) FROM dbt_tx"), 3);
    drop_table(db, "dbt_tx");
    db_close(other);
    db_close(db);
}

static void test_stmt_cache(void **state)
{
    static const char q[] = "SELECT v FROM dbt_cache WHERE v >= $1 ORDER BY v";
    enum { NTEXTS = 600 };
    struct db *db = open_db();
    struct db_stmt *st = NULL, *st2 = NULL;
    char(*texts)[48];
    int i;
    (void)state;
    create_table(db, "dbt_cache", "v BIGINT");
    exec_ok(db, "INSERT INTO dbt_cache(v) VALUES (1); INSERT INTO dbt_cache(v) VALUES (2); "
                "INSERT INTO dbt_cache(v) VALUES (3)");

    /* Finalized half-way through its rows, then taken again with a new value. */
    assert_int_equal(db_prepare(db, q, &st), APP_OK);
    assert_int_equal(db_bind_int(st, 1, 2), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 2);
    db_finalize(st);
    assert_int_equal(db_prepare(db, q, &st), APP_OK);
    assert_int_equal(db_bind_int(st, 1, 3), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 3);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    /* The bindings went with the finalize: $1 is NULL, nothing is >= NULL. */
    assert_int_equal(db_prepare(db, q, &st), APP_OK);
    assert_int_equal(db_step(st), DB_DONE);

    /* The same text twice at once (nested loops) gives two independent statements. */
    assert_int_equal(db_prepare(db, q, &st2), APP_OK);
    assert_ptr_not_equal(st, st2);
    db_reset(st);
    assert_int_equal(db_bind_int(st, 1, 1), APP_OK);
    assert_int_equal(db_bind_int(st2, 1, 3), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_step(st2), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    assert_int_equal(db_col_int(st2, 0), 3);
    assert_int_equal(db_step(st2), DB_DONE);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 2);
    db_finalize(st2);
    /* db_reset() reruns with new values. */
    db_reset(st);
    assert_int_equal(db_bind_int(st, 1, 3), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 3);
    db_finalize(st);

    /* More distinct texts than either cache holds: eviction and the uncached path. */
    texts = calloc(NTEXTS, sizeof(*texts));
    assert_non_null(texts);
    for (i = 0; i < NTEXTS; i++) {
        snprintf(texts[i], sizeof texts[i], "SELECT %d + v FROM dbt_cache", i);
        assert_int_equal(db_prepare(db, texts[i], &st), APP_OK);
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_col_int(st, 0), i + 1);
        db_finalize(st);
    }
    for (i = 0; i < NTEXTS; i += 97) {
        assert_int_equal(db_prepare(db, texts[i], &st), APP_OK);
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_col_int(st, 0), i + 1);
        db_finalize(st);
    }
    assert_int_equal(db_prepare(db, q, &st), APP_OK);
    assert_int_equal(db_bind_int(st, 1, 1), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    db_finalize(st);
    free(texts);

    drop_table(db, "dbt_cache");
    db_close(db);
}

/* A table dropped and made again with other columns under cached statements, one of whose
 * result type changes with it (PostgreSQL: "cached plan must not change result type",
 * answered by preparing again; SQLite re-prepares by itself). */
static void test_schema_change(void **state)
{
    static const char all[] = "SELECT * FROM dbt_schema";
    struct db *db = open_db();
    struct db_stmt *st = NULL;
    int i;
    (void)state;
    create_table(db, "dbt_schema", "v BIGINT");
    exec_ok(db, "INSERT INTO dbt_schema(v) VALUES (1)");
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_schema"), 1);
    assert_int_equal(db_prepare(db, all, &st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_count(st), 1);
    db_finalize(st);
    create_table(db, "dbt_schema", "w TEXT, v BIGINT");
    exec_ok(db, "INSERT INTO dbt_schema(w, v) VALUES ('x', 9)");
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_schema"), 1);
    for (i = 0; i < 2; i++) {
        assert_int_equal(db_prepare(db, all, &st), APP_OK);
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_column_count(st), 2);
        assert_string_equal(db_col_text(st, 0), "x");
        assert_int_equal(db_col_int(st, 1), 9);
        db_finalize(st);
    }
    /* Inside a transaction the stale statement cannot be retried (the error has aborted the
     * transaction) but it is forgotten, so the next transaction works. */
    create_table(db, "dbt_schema", "a BIGINT, b BIGINT, c BIGINT");
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_prepare(db, all, &st), APP_OK);
    i = db_step(st);
    db_finalize(st);
    assert_true(i == DB_DONE || (is_pg && i == APP_E_DB));
    assert_int_equal(db_rollback(db), APP_OK);
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_prepare(db, all, &st), APP_OK);
    assert_int_equal(db_step(st), DB_DONE);
    assert_int_equal(db_column_count(st), 3);
    db_finalize(st);
    assert_int_equal(db_commit(db), APP_OK);
    drop_table(db, "dbt_schema");
    db_close(db);
}

/* db_stream(): every row arrives in order; while rows are still arriving PostgreSQL refuses
 * other statements on the connection, and stopping early, an error part way and a schema
 * change before the first row all leave the connection (and an open transaction) usable. */
static void test_stream(void **state)
{
    static const char all[] = "SELECT v, w FROM dbt_stream ORDER BY v";
    struct db *db = open_db();
    struct db_stmt *st = NULL, *other = NULL;
    int64_t n = 0, sum = 0;
    int rc;
    (void)state;
    create_table(db, "dbt_stream", "v BIGINT, w TEXT");
    assert_int_equal(db_begin(db), APP_OK);
    for (int64_t i = 1; i <= 1000; i++) {
        char w[32];
        snprintf(w, sizeof w, "row %lld", (long long)i);
        assert_int_equal(db_run(db, "INSERT INTO dbt_stream(v, w) VALUES ($1, $2)", "it", i, w),
                         APP_OK);
    }
    assert_int_equal(db_commit(db), APP_OK);

    assert_int_equal(db_prepare(db, all, &st), APP_OK);
    assert_int_equal(db_stream(st), APP_OK);
    while ((rc = db_step(st)) == DB_ROW) {
        char w[32];
        n++;
        assert_int_equal(db_col_int(st, 0), n);
        snprintf(w, sizeof w, "row %lld", (long long)n);
        assert_string_equal(db_col_text(st, 1), w);
        assert_int_equal(db_col_len(st, 1), strlen(w));
        sum += db_col_int(st, 0);
    }
    assert_int_equal(rc, DB_DONE);
    assert_int_equal(n, 1000);
    assert_int_equal(sum, 500500);
    /* run again after a reset */
    db_reset(st);
    assert_int_equal(db_stream(st), APP_OK);
    for (n = 0; db_step(st) == DB_ROW;)
        n++;
    assert_int_equal(n, 1000);
    db_finalize(st);

    /* Stopped early inside a transaction: the rest is dropped and the transaction goes on. */
    assert_int_equal(db_begin(db), APP_OK);
    assert_int_equal(db_prepare(db, all, &st), APP_OK);
    assert_int_equal(db_stream(st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 2);
    rc = db_prepare(db, "SELECT count(*) FROM dbt_stream", &other);
    if (is_pg) {
        assert_int_equal(rc, APP_E_INTERNAL);
        assert_int_equal(db_stream(st), APP_E_INTERNAL); /* too late once running */
    } else {
        assert_int_equal(rc, APP_OK);
        assert_int_equal(db_step(other), DB_ROW);
        assert_int_equal(db_col_int(other, 0), 1000);
    }
    db_finalize(other);
    db_finalize(st);
    assert_int_equal(db_run(db, "INSERT INTO dbt_stream(v, w) VALUES (1001, 'last')", ""), APP_OK);
    assert_int_equal(db_commit(db), APP_OK);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_stream"), 1001);

    /* An error after rows were handed over (PostgreSQL: division by zero at v = 500; SQLite
     * gives NULL there) ends the statement with the error, and the connection works. */
    assert_int_equal(db_prepare(db, "SELECT 1 / (v - 500) FROM dbt_stream ORDER BY v", &st),
                     APP_OK);
    assert_int_equal(db_stream(st), APP_OK);
    for (n = 0; (rc = db_step(st)) == DB_ROW;)
        n++;
    if (is_pg) {
        assert_int_equal(rc, APP_E_DB);
        assert_int_equal(db_step(st), APP_E_DB);
        assert_true(n < 500);
    } else {
        assert_int_equal(rc, DB_DONE);
        assert_int_equal(n, 1001);
    }
    db_finalize(st);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_stream"), 1001);

    /* A statement whose result type a schema change altered is prepared again. */
    assert_int_equal(db_prepare(db, "SELECT * FROM dbt_stream", &st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    db_finalize(st);
    create_table(db, "dbt_stream", "a TEXT, b BIGINT, c BIGINT");
    exec_ok(db, "INSERT INTO dbt_stream(a, b, c) VALUES ('x', 2, 3)");
    assert_int_equal(db_prepare(db, "SELECT * FROM dbt_stream", &st), APP_OK);
    assert_int_equal(db_stream(st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_column_count(st), 3);
    assert_string_equal(db_col_text(st, 0), "x");
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    drop_table(db, "dbt_stream");
    db_close(db);
}

static void test_prepare_arena(void **state)
{
    struct db *db = open_db();
    struct arena *a = arena_new();
    struct db_stmt *st = NULL;
    int i;
    (void)state;
    assert_non_null(a);
    create_table(db, "dbt_arena", "v BIGINT");
    exec_ok(db, "INSERT INTO dbt_arena(v) VALUES (1); INSERT INTO dbt_arena(v) VALUES (2)");
    /* Left mid-iteration: the arena's cleanup finalizes them. */
    for (i = 0; i < 3; i++) {
        assert_int_equal(db_prepare_arena(db, a, "SELECT v FROM dbt_arena ORDER BY v", &st),
                         APP_OK);
        assert_int_equal(db_step(st), DB_ROW);
    }
    arena_free(a);

    /* When the cleanup cannot be registered the statement is finalized at once. */
    a = arena_new();
    assert_non_null(a);
    arena_fail_after(1);
    st = (struct db_stmt *)&st;
    assert_int_equal(db_prepare_arena(db, a, "SELECT v FROM dbt_arena", &st), APP_E_NOMEM);
    arena_fail_after(0);
    assert_null(st);
    arena_free(a);

    /* A write after all that: no statement is left holding a read lock. */
    assert_int_equal(db_begin(db), APP_OK);
    exec_ok(db, "INSERT INTO dbt_arena(v) VALUES (3)");
    assert_int_equal(db_commit(db), APP_OK);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_arena"), 3);
    drop_table(db, "dbt_arena");
    db_close(db);
}

/* PostgreSQL only: a connection the server dropped fails once, then is reset. */
static void test_reconnect(void **state)
{
    static const char q[] = "SELECT count(*) FROM dbt_reconnect";
    struct db *db, *killer;
    struct db_stmt *st = NULL;
    char sql[128];
    int64_t pid;
    int rc = APP_OK, i;
    (void)state;
    if (!is_pg)
        skip();
    db = open_db();
    killer = open_db();
    create_table(db, "dbt_reconnect", "v BIGINT");
    assert_int_equal(query_int(db, q), 0); /* now prepared on the server */
    pid = query_int(db, "SELECT pg_backend_pid()");
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", (long long)pid);
    exec_ok(killer, sql);
    /* The first use sees the broken connection (how soon depends on timing); a later one
     * reconnects, and the statements prepared before are prepared again. */
    for (i = 0; i < 3; i++) {
        rc = db_exec(db, "SELECT 1");
        if (rc == APP_OK)
            break;
        assert_int_equal(rc, APP_E_DB);
    }
    assert_int_equal(rc, APP_OK);
    assert_int_equal(db_prepare(db, q, &st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 0);
    db_finalize(st);
    assert_int_equal(query_int(db, "SELECT pg_backend_pid()") != pid, 1);
    drop_table(db, "dbt_reconnect");
    db_close(killer);
    db_close(db);
}

/* ---- the pool -------------------------------------------------------------------------- */

struct pool_job {
    struct db_pool *pool;
    int base;
    atomic_int *failures;
    atomic_int *got;
};

enum { POOL_THREADS = 4, POOL_ROUNDS = 25 };

static void *pool_worker(void *arg)
{
    struct pool_job *job = arg;
    int i;
    for (i = 0; i < POOL_ROUNDS; i++) {
        struct db *db = db_pool_get(job->pool);
        struct db_stmt *st = NULL;
        int rc = db_begin(db);
        if (rc == APP_OK)
            rc = db_prepare(db, "INSERT INTO dbt_pool(v) VALUES ($1)", &st);
        if (rc == APP_OK)
            rc = db_bind_int(st, 1, job->base + i);
        if (rc == APP_OK)
            rc = db_step(st) == DB_DONE ? APP_OK : APP_E_DB;
        db_finalize(st);
        if (rc == APP_OK)
            rc = db_commit(db);
        if (rc != APP_OK) {
            db_rollback(db);
            atomic_fetch_add(job->failures, 1);
        }
        db_pool_put(job->pool, db);
    }
    return NULL;
}

static void *pool_waiter(void *arg)
{
    struct pool_job *job = arg;
    struct db *db = db_pool_get(job->pool);
    atomic_store(job->got, 1);
    db_pool_put(job->pool, db);
    return NULL;
}

static void test_pool(void **state)
{
    struct db_pool *pool = NULL;
    struct pool_job jobs[POOL_THREADS];
    pthread_t th[POOL_THREADS];
    atomic_int failures = 0, got = 0;
    struct db *db;
    int i;
    bool shared = strcmp(url, "sqlite::memory:") != 0;
    const struct timespec wait = {0, 100 * 1000 * 1000};
    (void)state;

    pool = (struct db_pool *)&pool;
    assert_int_equal(db_pool_new("nonsense:", 2, &pool), APP_E_INVALID);
    assert_null(pool);
    assert_int_equal(db_pool_new(url, 2, &pool), APP_OK);
    db = db_pool_get(pool);
    create_table(db, "dbt_pool", "v BIGINT UNIQUE");
    db_pool_put(pool, db);

    for (i = 0; i < POOL_THREADS; i++) {
        jobs[i] = (struct pool_job){pool, i * 1000, &failures, &got};
        assert_int_equal(pthread_create(&th[i], NULL, pool_worker, &jobs[i]), 0);
    }
    for (i = 0; i < POOL_THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&failures), 0);
    db = db_pool_get(pool);
    if (shared)
        assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_pool"),
                         POOL_THREADS * POOL_ROUNDS);

    /* Returned mid-transaction: rolled back, not handed on. */
    assert_int_equal(db_begin(db), APP_OK);
    exec_ok(db, "INSERT INTO dbt_pool(v) VALUES (-1)");
    db_pool_put(pool, db);
    db = db_pool_get(pool);
    assert_false(db_in_tx(db));
    db_pool_put(pool, db);
    db = db_pool_get(pool);
    assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_pool WHERE v = -1"), 0);
    drop_table(db, "dbt_pool");
    db_pool_put(pool, db);
    db_pool_free(pool);

    /* db_pool_get() blocks while every connection is out. */
    assert_int_equal(db_pool_new(url, 1, &pool), APP_OK);
    db = db_pool_get(pool);
    jobs[0] = (struct pool_job){pool, 0, &failures, &got};
    assert_int_equal(pthread_create(&th[0], NULL, pool_waiter, &jobs[0]), 0);
    nanosleep(&wait, NULL);
    assert_int_equal(atomic_load(&got), 0);
    db_pool_put(pool, db);
    pthread_join(th[0], NULL);
    assert_int_equal(atomic_load(&got), 1);
    db_pool_free(pool);
}

/* ---- migrations ------------------------------------------------------------------------ */

/* A database no migration has touched: a new SQLite file, or a new PostgreSQL schema first
 * in the connection's search_path. */
static struct db *open_fresh(const char *name, bool reset)
{
    struct db *db = NULL;
    char u[1200], sql[256];
    if (!is_pg) {
        snprintf(u, sizeof u, "%s/%s.db", tmpdir, name);
        if (reset) {
            const char *sfx[] = {"", "-wal", "-shm"};
            size_t i;
            for (i = 0; i < 3; i++) {
                char f[1300];
                snprintf(f, sizeof f, "%s%s", u, sfx[i]);
                unlink(f);
            }
        }
        snprintf(u, sizeof u, "sqlite:%s/%s.db", tmpdir, name);
        assert_int_equal(db_open(u, &db), APP_OK);
        return db;
    }
    db = open_db();
    if (reset) {
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", name, name);
        exec_ok(db, sql);
    }
    snprintf(sql, sizeof sql, "SET search_path TO %s", name);
    exec_ok(db, sql);
    return db;
}

static void drop_fresh(const char *name)
{
    char sql[128];
    struct db *db;
    if (!is_pg)
        return; /* the temporary directory goes at exit */
    db = open_db();
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", name);
    exec_ok(db, sql);
    db_close(db);
}

static void test_migrate_translate(void **state)
{
    static const char in[] = "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB, c BLOBS, "
                             "d MYBLOB, e BIGINTEGER PRIMARY KEY)";
    struct buf out = BUF_INIT;
    (void)state;
    assert_int_equal(migrate_translate(DB_POSTGRES, in, &out), APP_OK);
    assert_string_equal(out.data, "CREATE TABLE t(id BIGINT GENERATED BY DEFAULT AS IDENTITY "
                                  "PRIMARY KEY, b BYTEA, c BLOBS, d MYBLOB, "
                                  "e BIGINTEGER PRIMARY KEY)");
    buf_reset(&out);
    assert_int_equal(migrate_translate(DB_SQLITE, in, &out), APP_OK);
    assert_string_equal(out.data, in);
    buf_free(&out);
}

static void test_migrate(void **state)
{
    struct db *db = open_fresh("dbt_migrate", true);
    struct db_stmt *st = NULL;
    int applied = -1, current = -1, latest = -1;
    (void)state;
    assert_int_equal(migrate_status(db, &current, &latest), APP_OK);
    assert_int_equal(current, 0);
    assert_true(latest >= 1);

    assert_int_equal(migrate_up(db, &applied), APP_OK);
    assert_true(applied >= 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"), applied);
    assert_int_equal(migrate_status(db, &current, &latest), APP_OK);
    assert_int_equal(current, latest);

    assert_int_equal(migrate_up(db, &applied), APP_OK);
    assert_int_equal(applied, 0);
    /* Every constraint is named after its own table, as a fresh CREATE TABLE names it: a
     * table renamed on PostgreSQL keeps its constraints' old names unless a migration renames
     * them too (0043 then 0047), and SQLite names its automatic indexes after the table. */
    if (is_pg)
        assert_int_equal(query_int(db, "SELECT count(*) FROM pg_constraint c JOIN pg_class r ON "
                                       "r.oid = c.conrelid JOIN pg_namespace n ON n.oid = "
                                       "r.relnamespace WHERE n.nspname = current_schema() AND "
                                       "left(c.conname, length(r.relname) + 1) <> r.relname || "
                                       "'_'"),
                         0);
    else
        assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                       "AND name LIKE 'sqlite_autoindex_%' AND substr(name, 18, "
                                       "length(tbl_name) + 1) <> tbl_name || '_'"),
                         0);
    assert_true(query_int(db, is_pg ? "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n "
                                      "ON n.oid = c.connamespace WHERE n.nspname = "
                                      "current_schema() AND c.conname = "
                                      "'develop_feedback_drafts_pkey'"
                                    : "SELECT count(*) FROM sqlite_master WHERE name = "
                                      "'sqlite_autoindex_develop_feedback_drafts_1'") == 1);

    assert_int_equal(
        db_prepare(db, "SELECT name, applied_at FROM schema_migrations WHERE version = 1", &st),
        APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "core");
    assert_true(db_col_int(st, 1) > 1700000000);
    db_finalize(st);
    /* 0001_core made the meta table. */
    exec_ok(db, "INSERT INTO meta(key, value) VALUES ('k', 'v')");
    db_close(db);
    drop_fresh("dbt_migrate");
}

struct migrate_job {
    const char *name;
    int applied;
    int rc;
};

static void *migrate_worker(void *arg)
{
    struct migrate_job *job = arg;
    struct db *db = NULL;
    char u[1200], sql[128];
    if (is_pg) {
        job->rc = db_open(url, &db);
        snprintf(sql, sizeof sql, "SET search_path TO %s", job->name);
        if (job->rc == APP_OK)
            job->rc = db_exec(db, sql);
    } else {
        snprintf(u, sizeof u, "sqlite:%s/%s.db", tmpdir, job->name);
        job->rc = db_open(u, &db);
    }
    if (job->rc == APP_OK)
        job->rc = migrate_up(db, &job->applied);
    db_close(db);
    return NULL;
}

static void test_migrate_concurrent(void **state)
{
    struct migrate_job jobs[2] = {{"dbt_migrate2", 0, -1}, {"dbt_migrate2", 0, -1}};
    pthread_t th[2];
    struct db *db = open_fresh("dbt_migrate2", true);
    int i;
    (void)state;
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, migrate_worker, &jobs[i]), 0);
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(jobs[0].rc, APP_OK);
    assert_int_equal(jobs[1].rc, APP_OK);
    assert_true(jobs[0].applied + jobs[1].applied >= 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"),
                     jobs[0].applied + jobs[1].applied);
    db_close(db);
    drop_fresh("dbt_migrate2");
}

/* Every failure point of a migration run leaves a database the next run completes. A run has
 * a handful of database calls per migration; the bound only stops a run that never ends. */
#define MIGRATE_CALLS_MAX 1000
static void test_migrate_faults(void **state)
{
    struct db *db;
    int n, rc, applied, current, latest, failed = 0;
    (void)state;
    for (n = 1; n < MIGRATE_CALLS_MAX; n++) {
        db = open_fresh("dbt_migrate3", true);
        db_fault_after(n);
        rc = migrate_up(db, &applied);
        db_fault_after(0);
        assert_false(db_in_tx(db));
        if (rc == APP_OK) {
            db_close(db);
            break;
        }
        assert_int_equal(rc, APP_E_DB);
        failed++;
        assert_int_equal(migrate_up(db, &applied), APP_OK);
        assert_int_equal(migrate_status(db, &current, &latest), APP_OK);
        assert_int_equal(current, latest);
        assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"),
                         query_int(db, "SELECT count(DISTINCT version) FROM schema_migrations"));
        db_close(db);
    }
    assert_true(failed >= 4);
    assert_true(n < MIGRATE_CALLS_MAX);
    drop_fresh("dbt_migrate3");
}

/* ---- fault injection ------------------------------------------------------------------- */

/* Three rows in one transaction, written the way domain code writes. */
static int write_three(struct db *db)
{
    struct db_stmt *st = NULL;
    int rc, i;
    rc = db_begin(db);
    if (rc != APP_OK)
        goto done;
    for (i = 0; i < 3; i++) {
        rc = db_prepare(db, "INSERT INTO dbt_fault(v) VALUES ($1) RETURNING id", &st);
        if (rc != APP_OK)
            goto done;
        rc = db_bind_int(st, 1, i);
        if (rc != APP_OK)
            goto done;
        rc = db_step(st);
        if (rc != DB_ROW)
            goto done;
        rc = APP_OK;
        db_finalize(st);
        st = NULL;
    }
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc != APP_OK)
        db_rollback(db);
    return rc;
}

static void test_fault_injection(void **state)
{
    struct db *db = open_db();
    int n, rc, failed = 0;
    (void)state;
    create_table(db, "dbt_fault", "id INTEGER PRIMARY KEY, v BIGINT NOT NULL");
    for (n = 1; n < 50; n++) {
        db_fault_after(n);
        rc = write_three(db);
        db_fault_after(0);
        assert_false(db_in_tx(db));
        if (rc == APP_OK) {
            assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_fault"), 3);
            break;
        }
        assert_int_equal(rc, APP_E_DB);
        assert_int_equal(query_int(db, "SELECT count(*) FROM dbt_fault"), 0);
        failed++;
    }
    /* begin, 3 x (prepare, step), commit: each of the 8 calls failed once. */
    assert_int_equal(failed, 8);

    /* Once failing, everything after fails until turned off. */
    db_fault_after(1);
    assert_int_equal(db_exec(db, "SELECT 1"), APP_E_DB);
    assert_int_equal(db_exec(db, "SELECT 1"), APP_E_DB);
    db_fault_after(0);
    exec_ok(db, "SELECT 1");
    drop_table(db, "dbt_fault");
    db_close(db);
}

/* A read that stays open while others write holds the WAL: it grows past what the
 * checkpoints can copy back. Once the read ends, the next checkpoints must give the space
 * back (journal_size_limit), not keep the file at its largest for ever. SQLite only. */
static void test_wal_shrinks_after_a_long_read(void **state)
{
    char u[400], wal[400];
    struct db *w = NULL, *r = NULL;
    struct db_stmt *st = NULL;
    struct stat sb;
    off_t grown;
    (void)state;
    if (is_pg)
        skip();
    snprintf(u, sizeof u, "sqlite:%s/wal.db", tmpdir);
    snprintf(wal, sizeof wal, "%s/wal.db-wal", tmpdir);
    assert_int_equal(db_open(u, &w), APP_OK);
    assert_int_equal(db_open(u, &r), APP_OK);
    exec_ok(w, "CREATE TABLE dbt_wal(id INTEGER PRIMARY KEY, v BLOB)");
    exec_ok(w, "INSERT INTO dbt_wal(v) VALUES (zeroblob(10))");
    /* The reader's snapshot stays open while its statement is mid-way. */
    assert_int_equal(db_prepare(r, "SELECT id FROM dbt_wal", &st), APP_OK);
    assert_int_equal(db_step(st), DB_ROW);
    for (int i = 0; i < 40; i++)
        exec_ok(w, "INSERT INTO dbt_wal(v) VALUES (randomblob(1048576))");
    assert_int_equal(stat(wal, &sb), 0);
    grown = sb.st_size;
    assert_true(grown > 2 * DB_SQLITE_WAL_LIMIT); /* the read did hold the WAL */
    db_finalize(st);
    /* Ordinary traffic after the read: the automatic checkpoints do the rest. */
    for (int i = 0; i < 40; i++)
        exec_ok(w, "UPDATE dbt_wal SET v = randomblob(65536) WHERE id = 1");
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(sb.st_size <= DB_SQLITE_WAL_LIMIT);
    db_close(r);
    db_close(w);
}

/* What is deleted is overwritten, not left in free pages (db_sqlite.c, secure_delete): the
 * text of a deleted row is nowhere in the file once the WAL is checkpointed. */
static void test_deleted_rows_leave_no_trace(void **state)
{
    char u[400], path[400], *data;
    static const char secret[] = "a-withdrawn-contribution-7f3e9c";
    struct db *w = NULL;
    struct db_stmt *st = NULL;
    FILE *f;
    long n;
    (void)state;
    if (is_pg)
        skip();
    snprintf(u, sizeof u, "sqlite:%s/erase.db", tmpdir);
    snprintf(path, sizeof path, "%s/erase.db", tmpdir);
    assert_int_equal(db_open(u, &w), APP_OK);
    assert_int_equal(db_row(w, "PRAGMA secure_delete", &st, ""), APP_OK);
    assert_int_equal(db_col_int(st, 0), 1);
    db_finalize(st);
    exec_ok(w, "CREATE TABLE dbt_erase(id INTEGER PRIMARY KEY, v TEXT)");
    for (int i = 0; i < 50; i++) {
        char sql[200];
        snprintf(sql, sizeof sql, "INSERT INTO dbt_erase(v) VALUES ('%s %d')", secret, i);
        exec_ok(w, sql);
    }
    exec_ok(w, "DELETE FROM dbt_erase");
    exec_ok(w, "PRAGMA wal_checkpoint(TRUNCATE)");
    db_close(w);
    assert_non_null(f = fopen(path, "rb"));
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    assert_non_null(data = malloc((size_t)n));
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_null(memmem(data, (size_t)n, secret, sizeof secret - 1));
    free(data);
}

static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[600];
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(tmpdir);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_close),
        cmocka_unit_test(test_deleted_rows_leave_no_trace),
        cmocka_unit_test(test_exec),
        cmocka_unit_test(test_bind_types),
        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_param_reuse),
        cmocka_unit_test(test_returning),
        cmocka_unit_test(test_on_conflict),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_savepoints),
        cmocka_unit_test(test_stmt_cache),
        cmocka_unit_test(test_schema_change),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_prepare_arena),
        cmocka_unit_test(test_reconnect),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_migrate_translate),
        cmocka_unit_test(test_migrate),
        cmocka_unit_test(test_migrate_concurrent),
        cmocka_unit_test(test_migrate_faults),
        cmocka_unit_test(test_fault_injection),
        cmocka_unit_test(test_wal_shrinks_after_a_long_read),
    };
    /* clang-format on */
    const char *env = getenv("AHPHUB_TEST_DB");
    int rc;
    snprintf(tmpdir, sizeof tmpdir, "%s/ahphub-dbtest.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    if (env && *env)
        snprintf(url, sizeof url, "%s", env);
    else
        snprintf(url, sizeof url, "sqlite:%s/test.db", tmpdir);
    is_pg = strncmp(url, "postgres", 8) == 0;
    /* The failure tests provoke errors on purpose; AHPHUB_TEST_VERBOSE shows the log. */
    if (!getenv("AHPHUB_TEST_VERBOSE"))
        log_set_quiet(1);
    rc = cmocka_run_group_tests_name(is_pg ? "db (postgres)" : "db (sqlite)", tests, NULL, NULL);
    remove_tmpdir();
    return rc;
}
