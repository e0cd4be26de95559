/* read_test.c: db_read_begin() snapshots — one snapshot for many reads, writes still work
 *
 * Runs on AHPHUB_TEST_DB (SQLite file or PostgreSQL). On PostgreSQL the snapshot is a no-op,
 * and the same assertions must hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "store/db.h"

static char url[512];
static struct db *a, *b;

static int64_t count(struct db *db)
{
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_prepare(db, "SELECT count(*) FROM read_test", &st) == 0 && db_step(st) == DB_ROW)
        n = db_col_int(st, 0);
    db_finalize(st);
    return n;
}

static int insert(struct db *db, int v)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, "INSERT INTO read_test (v) VALUES ($1)", &st);
    if (!rc)
        rc = db_bind_int(st, 1, v);
    if (!rc)
        rc = db_step(st) == DB_DONE ? APP_OK : APP_E_DB;
    db_finalize(st);
    return rc;
}

static int setup(void **state)
{
    const char *env = getenv("AHPHUB_TEST_DB");
    (void)state;
    if (env && *env && strncmp(env, "sqlite:", 7) != 0) {
        snprintf(url, sizeof url, "%s", env);
    } else {
        char tmpl[] = "/tmp/ahphub-read-XXXXXX";
        if (!mkdtemp(tmpl))
            return -1;
        snprintf(url, sizeof url, "sqlite:%s/r.db", tmpl);
    }
    if (db_open(url, &a) || db_open(url, &b))
        return -1;
    if (db_exec(a, "DROP TABLE IF EXISTS read_test; CREATE TABLE read_test (v INTEGER NOT NULL)"))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_exec(a, "DROP TABLE IF EXISTS read_test");
    db_close(a);
    db_close(b);
    return 0;
}

static void test_write_inside_snapshot_after_another_writer(void **state)
{
    (void)state;
    assert_int_equal(insert(a, 1), APP_OK);
    assert_int_equal(db_read_begin(a), APP_OK);
    assert_int_equal(count(a), 1);
    /* another connection writes while a's snapshot is open */
    assert_int_equal(insert(b, 2), APP_OK);
    /* a's write ends its snapshot instead of failing on the upgrade */
    assert_int_equal(insert(a, 3), APP_OK);
    assert_int_equal(count(a), 3);
    db_read_end(a);
    assert_int_equal(count(b), 3);
}

static void test_begin_inside_snapshot(void **state)
{
    (void)state;
    assert_int_equal(db_read_begin(a), APP_OK);
    assert_int_equal(db_begin(a), APP_OK);
    assert_int_equal(insert(a, 4), APP_OK);
    assert_int_equal(db_rollback(a), APP_OK);
    assert_int_equal(count(a), 3);
    db_read_end(a); /* harmless: already ended by db_begin */
    db_read_end(a);
}

static void test_snapshot_is_repeatable_on_sqlite(void **state)
{
    int64_t before;
    (void)state;
    assert_int_equal(db_read_begin(a), APP_OK);
    before = count(a);
    assert_int_equal(insert(b, 5), APP_OK);
    if (db_engine(a) == DB_SQLITE)
        assert_int_equal(count(a), before); /* one page, one consistent view */
    else
        assert_int_equal(count(a), before + 1);
    db_read_end(a);
    assert_int_equal(count(a), before + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_inside_snapshot_after_another_writer),
        cmocka_unit_test(test_begin_inside_snapshot),
        cmocka_unit_test(test_snapshot_is_repeatable_on_sqlite),
    };
    return cmocka_run_group_tests_name("store/read", tests, setup, teardown);
}
