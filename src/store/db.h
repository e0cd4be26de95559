/* db.h: the one storage interface; SQLite (embedded default) and PostgreSQL (libpq) behind it
 *
 * SQL is written once, in the subset both engines run: $1…$n parameters, RETURNING,
 * ON CONFLICT, integer unix-time columns, TEXT for text (hashes as hex). The SQLite backend
 * rewrites $N to ?N so parameters may repeat and appear in any order.
 *
 * A struct db is one connection, used by one thread at a time. Servers hold a struct db_pool
 * with one connection per worker thread. Prepared statements are cached per connection by
 * SQL text, so preparing the same constant query on every request costs a hash lookup.
 *
 * Errors: functions return 0 (APP_OK) or an enum app_err; a unique or foreign-key violation
 * is APP_E_CONFLICT, anything else the engine reports is APP_E_DB, and db_errmsg() holds the
 * engine's text for the log (never for users).
 */
#ifndef AHP_DB_H
#define AHP_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;
struct db_stmt;
struct db_pool;

enum db_engine { DB_SQLITE, DB_POSTGRES };

/* db_step() results besides errors. */
#define DB_ROW  100
#define DB_DONE 101

/* The size an SQLite WAL file is cut back to when it starts again (journal_size_limit). */
#define DB_SQLITE_WAL_LIMIT (16 * 1024 * 1024)

/* Opens "sqlite:PATH" (PATH may be ":memory:"), or "postgres://…" / "postgresql://…" (any
 * libpq connection URI). SQLite gets WAL, foreign keys, synchronous=FULL, a WAL cut back to
 * DB_SQLITE_WAL_LIMIT after checkpoints, and a 5 s busy timeout (see db_sqlite.c). On success *out
 * owns the connection; free it with db_close(). On failure *out is NULL and the reason is logged.
 */
int db_open(const char *url, struct db **out);
void db_close(struct db *db);
enum db_engine db_engine(const struct db *db);
/* The engine's message for the last failure on this connection, for logs. Never NULL. */
const char *db_errmsg(const struct db *db);

/* Runs one or more ;-separated statements without parameters (migrations, pragmas). */
int db_exec(struct db *db, const char *sql);

/* Transactions. db_begin() takes the write lock at once on SQLite (BEGIN IMMEDIATE) so two
 * writers never deadlock on upgrade. Nesting is an error (APP_E_INTERNAL). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db); /* harmless when no transaction is open */
bool db_in_tx(const struct db *db);

/* A savepoint inside the open transaction, for work that must be done and then undone: the
 * same statements run whether their effect is kept or not (feedback_db.c runs an answer's
 * inserts for a link already answered, so that both take the same time). The SQL is the same
 * on both engines ("SAVEPOINT ahp_sp", "RELEASE SAVEPOINT ahp_sp", "ROLLBACK TO SAVEPOINT
 * ahp_sp"); after a failed statement PostgreSQL refuses everything until the rollback to it
 * (or of the transaction), SQLite carries on. Savepoints nest; each db_savepoint() is ended
 * by one db_savepoint_end(): keep releases it (its work stays in the transaction, to be
 * committed or rolled back with it), !keep rolls its work back and then releases it, in one
 * round trip on PostgreSQL. Each is one call for the fault hook, whichever way it ends.
 * APP_E_INTERNAL outside a transaction, or ending a savepoint never taken; a commit or
 * rollback of the transaction ends every savepoint in it. */
int db_savepoint(struct db *db);
int db_savepoint_end(struct db *db, bool keep);

/* Prepares sql (which must outlive the statement: pass constants). The statement is owned by
 * the caller until db_finalize(), which returns it to the connection's cache. */
int db_prepare(struct db *db, const char *sql, struct db_stmt **out);
/* Same, but the statement is finalized when the arena is freed. */
int db_prepare_arena(struct db *db, struct arena *a, const char *sql, struct db_stmt **out);
void db_finalize(struct db_stmt *st); /* NULL allowed */
/* Clears results and bindings so the statement can run again. */
void db_reset(struct db_stmt *st);

/* Parameters are 1-based ($1 is index 1). Text and blobs are copied. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_double(struct db_stmt *st, int idx, double v);
int db_bind_text(struct db_stmt *st, int idx, const char *s, size_t len);
int db_bind_cstr(struct db_stmt *st, int idx, const char *s); /* NULL binds NULL */
int db_bind_null(struct db_stmt *st, int idx);

/* Shorthands for the common shapes of a query. types describes the arguments, one letter
 * each, bound to $1, $2, …: 'i' int64_t, 'I' int64_t with 0 bound as NULL (optional ids),
 * 't' const char * (NULL binds NULL), 'd' double. Integers are read as int64_t, so a
 * constant or an int must be cast: db_run(db, sql, "i", (int64_t)42).
 *
 * db_prepare_bind: prepares and binds; *out as from db_prepare().
 * db_run: prepares, binds, runs to the end (rows are dropped), finalizes. APP_OK or an error.
 *   A write that returns rows runs in a transaction of its own when none is open.
 * db_row: prepares, binds and steps to the first row, leaving *out on it for the db_col_*
 *   calls (the caller finalizes). APP_E_NOTFOUND (and *out NULL) when there is no row.
 *   A statement that writes and returns rows (… RETURNING) goes through db_row only inside
 *   db_begin()/db_commit(): see db_step().
 * db_run_int: runs a statement that returns one integer (INSERT … RETURNING id) as db_run()
 *   does and sets *out only once it has ended: outside a transaction, once it is committed.
 *   APP_E_NOTFOUND when it returned no row (ON CONFLICT DO NOTHING), APP_E_INTERNAL for more
 *   than one; *out is untouched unless APP_OK. */
int db_prepare_bind(struct db *db, const char *sql, struct db_stmt **out, const char *types, ...);
int db_run(struct db *db, const char *sql, const char *types, ...);
int db_row(struct db *db, const char *sql, struct db_stmt **out, const char *types, ...);
int db_run_int(struct db *db, const char *sql, int64_t *out, const char *types, ...);

/* Marks a statement, before its first step, to hand its rows over as the server sends them,
 * for long reads whose rows are each used once: the caller works on the first while the
 * rest are still coming, and they are never all held at once. SQLite always works so. On
 * PostgreSQL, until the statement returns DB_DONE or an error, or is reset or finalized,
 * nothing else may run on the connection (it is refused with APP_E_INTERNAL); stopping
 * early reads and drops the remaining rows. */
int db_stream(struct db_stmt *st);

/* Runs the statement or moves to its next row: DB_ROW, DB_DONE, or an app_err. Every
 * result must be checked: on SQLite a statement outside a transaction commits at the step
 * that returns DB_DONE. A statement that writes and returns rows is refused outside a
 * transaction (APP_E_INTERNAL, SQLite only): its commit would happen in db_finalize() or
 * db_reset(), which report nothing. db_run() and db_run_int() open one for it. */
int db_step(struct db_stmt *st);

/* Columns of the current row are 0-based. Text is valid until the next step, reset or
 * finalize; a NULL reads as "" (text), 0 (numbers). */
int db_column_count(struct db_stmt *st);
bool db_col_null(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
const char *db_col_text(struct db_stmt *st, int i);
size_t db_col_len(struct db_stmt *st, int i);

/* Rows changed by the last INSERT/UPDATE/DELETE run through this connection. */
int64_t db_changes(struct db *db);

/* A fixed set of connections for server threads. db_pool_get() blocks until one is free. */
int db_pool_new(const char *url, int size, struct db_pool **out);
void db_pool_free(struct db_pool *p);
struct db *db_pool_get(struct db_pool *p);
void db_pool_put(struct db_pool *p, struct db *db);

/* Test hook (db_fault.c): the nth database call from now (prepare, step, exec, begin,
 * commit; 1-based) and every later one fail with APP_E_DB; 0 turns failures off. */
void db_fault_after(long n);
/* Test hook: counts the database calls from now on (as db_fault_after() numbers them)
 * without failing any, until db_fault_after() is called; db_fault_count() reads the count. A
 * fault test learns so how many failure points an operation has. */
void db_fault_count_start(void);
long db_fault_count(void);
/* Used by db.c: true when this call must fail. */
bool db_fault_hit(void);

#endif
