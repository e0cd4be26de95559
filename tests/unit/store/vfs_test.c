/* vfs_test.c: the SQLite VFS that keeps WAL read locks between transactions (db_sqlite_vfs.c)
 *
 * A kept lock must never show: a reader still sees every commit, a reader inside a
 * transaction still holds back checkpoints, checkpoints and WAL restarts from this process
 * complete, a closed connection keeps nothing, and another process still reads and writes.
 * The one thing another process does notice, a restart it cannot finish while the server
 * keeps a read mark, is asserted too, so the test fails if the locks stop being kept. The
 * other process is this program run again (fork and exec): a forked child alone would share
 * SQLite's record of the parent's locks and never ask the kernel. SQLite only; on PostgreSQL
 * each test is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "store/db.h"

static char dir[64], path[128], url[160];

static int64_t one_int(struct db *db, const char *sql)
{
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_prepare(db, sql, &st) == 0 && db_step(st) == DB_ROW)
        n = db_col_int(st, 0);
    db_finalize(st);
    return n;
}

static int64_t count(struct db *db)
{
    return one_int(db, "SELECT count(*) FROM t");
}

/* "PRAGMA wal_checkpoint(TRUNCATE)" answers busy, log frames, checkpointed frames. */
static int64_t truncate_busy(struct db *db)
{
    return one_int(db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

static void insert(struct db *db, int64_t v)
{
    assert_int_equal(db_run(db, "INSERT INTO t (v) VALUES ($1)", "i", v), APP_OK);
}

/* Two connections to the test database, the second having written a row. */
static void open_pair(struct db **a, struct db **b)
{
    assert_int_equal(db_open(url, a), APP_OK);
    assert_int_equal(db_open(url, b), APP_OK);
    insert(*b, 1);
}

static off_t wal_size(void)
{
    char w[160];
    struct stat sb;
    snprintf(w, sizeof w, "%s-wal", path);
    return stat(w, &sb) == 0 ? sb.st_size : -1;
}

static int setup(void **state)
{
    const char *env = getenv("AHPHUB_TEST_DB");
    struct db *db = NULL;
    (void)state;
    if (env && *env && strncmp(env, "sqlite:", 7) != 0)
        return 0;
    db_sqlite_keep_read_locks(true);
    snprintf(dir, sizeof dir, "/tmp/ahphub-vfs-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/v.db", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    if (db_open(url, &db) || db_exec(db, "CREATE TABLE t (v INTEGER NOT NULL)"))
        return -1;
    db_close(db);
    return 0;
}

static int teardown(void **state)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char f[200];
    (void)state;
    if (!*path)
        return 0;
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(f, sizeof f, "%s%s", path, sfx[i]);
        unlink(f);
    }
    rmdir(dir);
    return 0;
}

#define SQLITE_ONLY()                                                                              \
    do {                                                                                           \
        if (!*path)                                                                                \
            skip();                                                                                \
    } while (0)

static void test_reader_sees_every_commit(void **state)
{
    struct db *a = NULL, *b = NULL;
    (void)state;
    SQLITE_ONLY();
    assert_int_equal(db_open(url, &a), APP_OK);
    assert_int_equal(db_open(url, &b), APP_OK);
    int64_t n = count(a);
    for (int i = 0; i < 50; i++) {
        insert(b, i);
        /* a kept its read lock since the last count; it must not keep the old snapshot */
        assert_int_equal(count(a), n + i + 1);
        assert_int_equal(count(a), n + i + 1);
    }
    db_close(a);
    db_close(b);
}

static void test_checkpoints_in_process_complete(void **state)
{
    struct db *a = NULL, *b = NULL;
    (void)state;
    SQLITE_ONLY();
    open_pair(&a, &b);
    assert_true(count(a) > 0); /* a now holds the newest read mark, and keeps it */
    assert_true(wal_size() > 0);
    /* a restart needs every read mark: the kept one must be given up, not waited for */
    assert_int_equal(truncate_busy(b), 0);
    assert_int_equal(wal_size(), 0);
    assert_int_equal(count(a), count(b));
    /* the WAL is empty, so a read the database file alone (read slot 0) and keeps that lock,
     * which a checkpoint needs before it copies pages into the file */
    insert(b, 2);
    assert_int_equal(truncate_busy(b), 0);
    assert_int_equal(wal_size(), 0);
    assert_int_equal(count(a), count(b));
    db_close(a);
    db_close(b);
}

/* A reader inside a transaction is a real reader: it keeps its snapshot and holds back a
 * restart, and once it ends, the restart goes through. */
static void test_open_reader_keeps_its_snapshot(void **state)
{
    struct db *a = NULL, *b = NULL;
    int64_t n;
    (void)state;
    SQLITE_ONLY();
    open_pair(&a, &b);
    assert_int_equal(db_read_begin(a), APP_OK);
    n = count(a);
    insert(b, 2);
    assert_int_equal(truncate_busy(b), 1);
    assert_int_equal(count(a), n);
    db_read_end(a);
    assert_int_equal(count(a), n + 1);
    assert_int_equal(truncate_busy(b), 0);
    db_close(a);
    db_close(b);
}

/* Closing a connection that keeps a lock gives it up: otherwise the process would count it
 * as held for ever and no checkpoint could restart the WAL again. */
static void test_closed_connection_keeps_nothing(void **state)
{
    struct db *a = NULL, *b = NULL;
    (void)state;
    SQLITE_ONLY();
    open_pair(&a, &b);
    assert_true(count(a) > 0);
    db_close(a);
    insert(b, 2);
    assert_int_equal(truncate_busy(b), 0);
    assert_int_equal(wal_size(), 0);
    db_close(b);
}

/* In a child process, through SQLite's own VFS (as the sqlite3 shell would): writes a row,
 * reads the count, tries a restart without waiting. Exit status: 0 when the restart was
 * busy, 1 when it completed, 2 on any failure. */
static int other_process(void)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int busy = -1;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return 2;
    sqlite3_busy_timeout(h, 2000);
    if (sqlite3_exec(h, "INSERT INTO t (v) VALUES (7)", NULL, NULL, NULL) != SQLITE_OK)
        return 2;
    if (sqlite3_exec(h, "SELECT count(*) FROM t", NULL, NULL, NULL) != SQLITE_OK)
        return 2;
    sqlite3_busy_timeout(h, 0);
    if (sqlite3_prepare_v2(h, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        busy = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return busy < 0 ? 2 : busy ? 0 : 1;
}

static int run_other_process(void)
{
    int status = 0;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", "vfs_test", "--other-process", path, (char *)NULL);
        _exit(2);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void test_other_process_reads_and_writes(void **state)
{
    struct db *a = NULL;
    (void)state;
    SQLITE_ONLY();
    assert_int_equal(db_open(url, &a), APP_OK);
    insert(a, 1);
    int64_t n = count(a); /* a keeps a read mark */
    /* the other process writes and reads; only its restart is held up, by the kept lock */
    assert_int_equal(run_other_process(), 0);
    assert_int_equal(count(a), n + 1);
    /* a write here moves the marks and a restart here completes */
    insert(a, 2);
    assert_int_equal(truncate_busy(a), 0);
    db_close(a);
    /* with the server's connection closed nothing is kept: the restart completes */
    assert_int_equal(run_other_process(), 1);
}

struct worker {
    int id, errors;
    int64_t inserted;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct db *db = NULL;
    if (db_open(url, &db)) {
        w->errors++;
        return NULL;
    }
    for (int i = 0; i < 400; i++) {
        if (count(db) < 0)
            w->errors++;
        if (i % 8 == w->id) {
            if (db_run(db, "INSERT INTO t (v) VALUES ($1)", "i", (int64_t)i))
                w->errors++;
            else
                w->inserted++;
        }
        if (w->id == 0 && i % 50 == 0 && truncate_busy(db) < 0)
            w->errors++;
    }
    db_close(db);
    return NULL;
}

static void test_threads_read_write_and_checkpoint(void **state)
{
    struct db *a = NULL;
    struct worker w[4];
    pthread_t th[4];
    int64_t before, inserted = 0;
    (void)state;
    SQLITE_ONLY();
    assert_int_equal(db_open(url, &a), APP_OK);
    before = count(a);
    db_close(a);
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){.id = i};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].errors, 0);
        inserted += w[i].inserted;
    }
    assert_int_equal(db_open(url, &a), APP_OK);
    assert_int_equal(count(a), before + inserted);
    assert_int_equal(truncate_busy(a), 0);
    assert_int_equal(wal_size(), 0);
    db_close(a);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_sees_every_commit),
        cmocka_unit_test(test_checkpoints_in_process_complete),
        cmocka_unit_test(test_open_reader_keeps_its_snapshot),
        cmocka_unit_test(test_closed_connection_keeps_nothing),
        cmocka_unit_test(test_other_process_reads_and_writes),
        cmocka_unit_test(test_threads_read_write_and_checkpoint),
    };
    if (argc == 3 && !strcmp(argv[1], "--other-process")) {
        snprintf(path, sizeof path, "%s", argv[2]);
        return other_process();
    }
    return cmocka_run_group_tests_name("store/vfs", tests, setup, teardown);
}
