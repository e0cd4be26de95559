/* probe.c: whether a database takes writes now and has room for more (a server's readiness)
 *
 * A database can answer reads while refusing every write: SQLite on a full disk or with a
 * read-only WAL file, PostgreSQL in recovery or out of space. A load balancer must stop
 * sending work to such a server, so readiness is a real write, committed; and, for SQLite,
 * room on the disk before it runs out, since a commit that finds the disk full has already
 * cost the person their answer.
 */
#include "store/probe.h"
#include "store/backend.h"
#include "store/db.h"
#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

static const char SQL_PROBE_WRITE[] =
    "INSERT INTO ready_probe (id, probes, checked_at) VALUES (1, 1, $1) "
    "ON CONFLICT (id) DO UPDATE SET probes = ready_probe.probes + 1, "
    "checked_at = excluded.checked_at";

int db_probe_write(struct db *db, int64_t now)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = db_run(db, SQL_PROBE_WRITE, "i", now);
    if (!rc)
        rc = db_commit(db);
    else
        db_rollback(db);
    return rc;
}

int db_free_bytes(struct db *db, uint64_t *out)
{
    const struct db_ops *ops = ((struct db_common *)db)->ops;
    const char *path = ops->file_path ? ops->file_path(db) : NULL;
    char dir[4096];
    struct statvfs fs;
    if (!path || !*path)
        return APP_E_NOTFOUND;
    /* dirname() may change its argument: give it a copy. */
    if ((size_t)snprintf(dir, sizeof dir, "%s", path) >= sizeof dir)
        return APP_E_IO;
    if (statvfs(dirname(dir), &fs) != 0) {
        log_error("msg=\"statvfs failed\" err=\"%s\"", strerror(errno));
        return APP_E_IO;
    }
    *out = (uint64_t)fs.f_bavail * (uint64_t)fs.f_frsize;
    return APP_OK;
}
