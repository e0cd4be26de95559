/* db_sqlite_vfs.c: SQLite's "unix" VFS, keeping WAL read locks between transactions
 *
 * In WAL mode every read transaction takes a shared lock on one of the wal-index read-mark
 * slots and releases it at the end. When no other connection of the process holds that slot,
 * each step is an fcntl() on the -shm file, made under a mutex that all the process's
 * connections share. A page view is one short read transaction, so with several server
 * threads those system calls and that mutex were a tenth of a logged-in page's cost
 * (bench/http.sh) and 12% of its time in process (bench/page_bench).
 *
 * So when a connection releases a shared read-mark lock, this layer keeps it ("lingers") and
 * hands it straight back if the connection's next transaction asks for the same slot, which
 * it does until a write moves the read mark. A held read lock only tells others "a reader may
 * still be using this snapshot"; holding it longer is what a slow reader does, and SQLite's
 * protocol is built for slow readers, so every snapshot stays correct. Only a lock SQLite
 * really held through this file is kept, and only until the file's shared memory is unmapped.
 * What a slow reader would hold up must not be held up: before this process asks for any
 * exclusive lock (a reader moving a read mark, a checkpoint, a WAL restart, recovery), every
 * kept lock on those slots is given up, so inside the process nothing waits on them.
 *
 * Another process sees the kept locks as an open reader. It reads and writes as usual, but
 * its checkpoints copy nothing the server might still read (often nothing at all) and it
 * cannot restart the WAL; the server's own checkpoints, at its next writes, do both. So only
 * the server uses this layer (db_sqlite_keep_read_locks()), and one server per database:
 * two would pin each other's WAL and let it grow.
 *
 * One mutex guards the bits of every connection, since a connection may give up another's.
 * It is held only for bit tests and the forwarded call, which never blocks: SQLite's unix
 * locks use F_SETLK and leave waiting to the busy handler, outside this layer.
 */
#include "backend.h"

#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <string.h>

#define SHM_READ_FIRST 3 /* wal.c: WAL_READ_LOCK(0); 0..2 are write, checkpoint, recover */

struct lfile {
    sqlite3_file base;
    sqlite3_file *real; /* the unix VFS's file, in the same allocation */
    struct lfile *next; /* main databases only, in `files` */
    bool main_db;
    unsigned held;   /* bit i: SQLite holds shm lock i shared through this file */
    unsigned linger; /* bit i: shm lock i kept after SQLite released it */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct lfile *files;
static sqlite3_vfs *unix_vfs;
static sqlite3_vfs lvfs;

#define REAL(f) (((struct lfile *)(f))->real)

/* Gives up the lingering locks of `p` in `bits`. A lock whose release fails stays marked,
 * so the next attempt tries again instead of leaking it. Called with `mu` held. */
static void release(struct lfile *p, unsigned bits)
{
    for (int i = SHM_READ_FIRST; i < SQLITE_SHM_NLOCK; i++)
        if ((bits & p->linger & (1u << i)) &&
            REAL(p)->pMethods->xShmLock(REAL(p), i, 1, SQLITE_SHM_UNLOCK | SQLITE_SHM_SHARED) ==
                SQLITE_OK)
            p->linger &= ~(1u << i);
}

/* Before unmap or close: unix's unmap forgets the connection without unlocking, so unlock
 * first. Whatever happens, nothing is kept past it, since it takes the handle away. Called
 * with `mu` held. */
static void release_all(struct lfile *p)
{
    release(p, ~0u);
    p->linger = p->held = 0;
}

static int l_shm_lock(sqlite3_file *f, int ofst, int n, int flags)
{
    struct lfile *p = (struct lfile *)f;
    unsigned mask = ((1u << n) - 1) << ofst;
    int rc;
    if (!p->main_db)
        return REAL(p)->pMethods->xShmLock(REAL(p), ofst, n, flags);
    pthread_mutex_lock(&mu);
    if (flags == (SQLITE_SHM_UNLOCK | SQLITE_SHM_SHARED) && ofst >= SHM_READ_FIRST &&
        (p->held & mask)) {
        p->held &= ~mask;
        p->linger |= mask; /* kept: the next transaction likely wants the same slot */
        rc = SQLITE_OK;
    } else if (flags == (SQLITE_SHM_LOCK | SQLITE_SHM_SHARED) && (p->linger & mask)) {
        p->linger &= ~mask; /* held without a break since the last transaction */
        p->held |= mask;
        rc = SQLITE_OK;
    } else {
        if (flags == (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE)) {
            /* every file, not only this database's: exclusive requests are rare (writes,
             * checkpoints), and a file that was opened by another path is covered too */
            for (struct lfile *q = files; q; q = q->next)
                release(q, mask);
        } else if (flags == (SQLITE_SHM_LOCK | SQLITE_SHM_SHARED) && ofst >= SHM_READ_FIRST) {
            release(p, ~mask); /* another slot now: one reader, one read mark */
        }
        rc = REAL(p)->pMethods->xShmLock(REAL(p), ofst, n, flags);
        if (rc == SQLITE_OK && flags == (SQLITE_SHM_LOCK | SQLITE_SHM_SHARED))
            p->held |= mask;
        else if (rc == SQLITE_OK && (flags & SQLITE_SHM_UNLOCK))
            p->held &= ~mask;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

static int l_shm_unmap(sqlite3_file *f, int delete_flag)
{
    struct lfile *p = (struct lfile *)f;
    if (p->main_db) {
        pthread_mutex_lock(&mu);
        release_all(p);
        pthread_mutex_unlock(&mu);
    }
    return REAL(p)->pMethods->xShmUnmap(REAL(p), delete_flag);
}

static int l_close(sqlite3_file *f)
{
    struct lfile *p = (struct lfile *)f;
    if (p->main_db) {
        pthread_mutex_lock(&mu);
        release_all(p);
        for (struct lfile **pp = &files; *pp; pp = &(*pp)->next)
            if (*pp == p) {
                *pp = p->next;
                break;
            }
        pthread_mutex_unlock(&mu);
    }
    return REAL(p)->pMethods->xClose(REAL(p));
}

/* The rest pass straight through. */
static int l_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int l_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int l_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int l_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int l_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int l_lock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xLock(REAL(f), level);
}
static int l_unlock(sqlite3_file *f, int level)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), level);
}
static int l_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int l_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int l_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int l_device_characteristics(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int l_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), region, size, extend, pp);
}
static void l_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int l_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int l_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods lmethods = {
    .iVersion = 3,
    .xClose = l_close,
    .xRead = l_read,
    .xWrite = l_write,
    .xTruncate = l_truncate,
    .xSync = l_sync,
    .xFileSize = l_file_size,
    .xLock = l_lock,
    .xUnlock = l_unlock,
    .xCheckReservedLock = l_check_reserved,
    .xFileControl = l_file_control,
    .xSectorSize = l_sector_size,
    .xDeviceCharacteristics = l_device_characteristics,
    .xShmMap = l_shm_map,
    .xShmLock = l_shm_lock,
    .xShmBarrier = l_shm_barrier,
    .xShmUnmap = l_shm_unmap,
    .xFetch = l_fetch,
    .xUnfetch = l_unfetch,
};

static size_t lfile_size(void)
{
    return (sizeof(struct lfile) + 15) & ~(size_t)15;
}

static int l_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    struct lfile *p = (struct lfile *)f;
    int rc;
    (void)vfs;
    memset(p, 0, sizeof *p);
    p->real = (sqlite3_file *)((char *)f + lfile_size());
    rc = unix_vfs->xOpen(unix_vfs, name, p->real, flags, out_flags);
    if (rc != SQLITE_OK || !p->real->pMethods || p->real->pMethods->iVersion < 3) {
        /* SQLite closes a failed file whose methods are set: close the real one here and
         * leave ours unset, so nothing is closed twice. A file with methods older than
         * version 3 is not from the unix VFS this layer was written for. */
        if (p->real->pMethods)
            p->real->pMethods->xClose(p->real);
        p->base.pMethods = NULL;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    p->base.pMethods = &lmethods;
    if (flags & SQLITE_OPEN_MAIN_DB) {
        p->main_db = true;
        pthread_mutex_lock(&mu);
        p->next = files;
        files = p;
        pthread_mutex_unlock(&mu);
    }
    return SQLITE_OK;
}

const char *db_sqlite_vfs(void)
{
    /* called once, from sq_configure() under pthread_once */
    if (!unix_vfs) {
        unix_vfs = sqlite3_vfs_find("unix");
        if (!unix_vfs)
            return NULL;
        lvfs = *unix_vfs; /* the unix methods read only pAppData from the vfs they get */
        lvfs.pNext = NULL;
        lvfs.zName = "ahphub-unix";
        lvfs.szOsFile = (int)(lfile_size() + (size_t)unix_vfs->szOsFile);
        lvfs.xOpen = l_open;
        if (sqlite3_vfs_register(&lvfs, 0) != SQLITE_OK) {
            unix_vfs = NULL;
            return NULL;
        }
    }
    return lvfs.zName;
}
