/* backend.h: what an engine (db_sqlite.c, db_pg.c) provides to db.c; private to src/store */
#ifndef AHP_DB_BACKEND_H
#define AHP_DB_BACKEND_H

#include "db.h"

struct db_ops {
    enum db_engine engine;
    int (*open)(const char *conninfo, struct db **out);
    void (*close)(struct db *db);
    int (*exec)(struct db *db, const char *sql);
    int (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
    void (*finalize)(struct db_stmt *st);
    void (*reset)(struct db_stmt *st);
    int (*bind_int)(struct db_stmt *st, int idx, int64_t v);
    int (*bind_double)(struct db_stmt *st, int idx, double v);
    int (*bind_text)(struct db_stmt *st, int idx, const char *s, size_t len);
    int (*bind_null)(struct db_stmt *st, int idx);
    int (*step)(struct db_stmt *st);
    /* Marks a statement not yet run to read its rows as they arrive; NULL when the engine
     * always does (SQLite). */
    int (*stream)(struct db_stmt *st);
    int (*column_count)(struct db_stmt *st);
    bool (*col_null)(struct db_stmt *st, int i);
    int64_t (*col_int)(struct db_stmt *st, int i);
    double (*col_double)(struct db_stmt *st, int i);
    const char *(*col_text)(struct db_stmt *st, int i);
    size_t (*col_len)(struct db_stmt *st, int i);
    int64_t (*changes)(struct db *db);
    /* False when the engine ended the transaction by itself (SQLite rolls back on some
     * failures, a disk full among them); NULL when it never does so silently. */
    bool (*tx_open)(struct db *db);
    /* True when the statement only reads; NULL when the engine cannot say cheaply
     * (PostgreSQL). */
    bool (*stmt_readonly)(struct db_stmt *st);
    /* The highest $N the statement uses, or -1 when the engine cannot say cheaply. */
    int (*param_count)(struct db_stmt *st);
    const char *(*errmsg)(const struct db *db);
    /* The database's file ("" in memory); NULL when the engine keeps its data elsewhere. */
    const char *(*file_path)(struct db *db);
};

/* Every backend's struct db and struct db_stmt begin with these, so db.c can dispatch. */
struct db_common {
    const struct db_ops *ops;
    bool in_tx;
    int savepoints; /* open in the transaction (db_savepoint) */
};
struct db_stmt_common {
    struct db *db;
};

/* Helpers both engines use (db.c). */
/* FNV-1a of an SQL text: the statement caches' key. */
uint64_t db_sql_hash(const char *sql);
/* Copies an engine message into dst as one line without double quotes or trailing spaces, so
 * it can sit inside a log record's err="…"; NULL or "" gives "unknown error". */
void db_err_line(char *dst, size_t size, const char *msg);

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
