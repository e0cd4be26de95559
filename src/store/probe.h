/* probe.h: whether a database takes writes now and has room for more (a server's readiness) */
#ifndef AHP_STORE_PROBE_H
#define AHP_STORE_PROBE_H

#include <stdint.h>

struct db;

/* Writes and commits one row (table ready_probe). APP_OK when the database took it; the
 * engine's error otherwise (APP_E_DB for a full disk, a read-only file, a lost server). */
int db_probe_write(struct db *db, int64_t now);

/* Bytes free to this process on the file system that holds an SQLite database, in *out.
 * APP_E_NOTFOUND when the data lives elsewhere (PostgreSQL, an in-memory database): there the
 * write probe is the test. APP_E_IO when the file system cannot be asked. */
int db_free_bytes(struct db *db, uint64_t *out);

#endif
