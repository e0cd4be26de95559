/* faultvfs.h: make SQLite's writes to the WAL file fail, as on a full disk (tests only) */
#ifndef AHP_FAULTVFS_H
#define AHP_FAULTVFS_H

#include <stdbool.h>

/* Registers the shim as SQLite's default VFS; connections opened afterwards use it.
 * Idempotent. 0 on success, -1 if SQLite's default VFS could not be wrapped. */
int faultvfs_install(void);
/* While on, every write to a WAL file answers SQLITE_FULL (a commit fails). */
void faultvfs_fail_wal(bool on);
/* How many writes have been refused so far: a test checks its fault was reached. */
long faultvfs_failures(void);

#endif
