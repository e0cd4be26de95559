/* anonymity_test.c: reads the live schema and fails if anything links a contribution, a vote
 * or a flag to a user account, an email or a network address (DESIGN.md §5)
 *
 * Runs on SQLite and PostgreSQL (AHPHUB_TEST_DB). The rules:
 * - the tables that hold what participants did (participants, contributions, votes, flags)
 *   have no column that refers to users and none that could hold an email or an address;
 * - no other table refers both to users and to those tables, except listen_moderation_log,
 *   whose user is the moderator who made a decision (never the author);
 * - no table anywhere has a column for a network address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "store/db.h"
#include "support/testapp.h"

struct col {
    char table[64], column[64], ref[64]; /* ref: the table a foreign key points to, or "" */
};

static struct col cols[1024];
static size_t ncols;
static struct app *app;

static void add(const char *t, const char *c, const char *ref)
{
    assert_true(ncols < sizeof cols / sizeof cols[0]);
    snprintf(cols[ncols].table, sizeof cols[ncols].table, "%s", t);
    snprintf(cols[ncols].column, sizeof cols[ncols].column, "%s", c);
    snprintf(cols[ncols].ref, sizeof cols[ncols].ref, "%s", ref ? ref : "");
    ncols++;
}

static void read_sqlite(struct db *db)
{
    struct db_stmt *tables = NULL;
    char tnames[64][64];
    _Static_assert(sizeof tnames[0] == 64, "table names");
    size_t nt = 0;
    assert_int_equal(db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%'",
                                &tables),
                     0);
    while (db_step(tables) == DB_ROW && nt < 64)
        snprintf(tnames[nt++], 64, "%.63s", db_col_text(tables, 0));
    db_finalize(tables);
    for (size_t i = 0; i < nt; i++) {
        char sql[400];
        struct db_stmt *st = NULL;
        size_t first = ncols;
        /* PRAGMAs take no parameters; the names come from sqlite_master, not from input. */
        snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%.63s')", tnames[i]);
        assert_int_equal(db_prepare(db, sql, &st), 0);
        while (db_step(st) == DB_ROW)
            add(tnames[i], db_col_text(st, 0), NULL);
        db_finalize(st);
        snprintf(sql, sizeof sql, "SELECT \"from\", \"table\" FROM pragma_foreign_key_list('%.63s')",
                 tnames[i]);
        assert_int_equal(db_prepare(db, sql, &st), 0);
        while (db_step(st) == DB_ROW)
            for (size_t k = first; k < ncols; k++)
                if (!strcmp(cols[k].column, db_col_text(st, 0)))
                    snprintf(cols[k].ref, sizeof cols[k].ref, "%s", db_col_text(st, 1));
        db_finalize(st);
    }
}

static void read_postgres(struct db *db)
{
    struct db_stmt *st = NULL;
    assert_int_equal(
        db_prepare(db,
                   "SELECT c.table_name, c.column_name, COALESCE(f.ref, '') "
                   "FROM information_schema.columns c LEFT JOIN ("
                   "  SELECT kcu.table_name, kcu.column_name, ccu.table_name AS ref "
                   "  FROM information_schema.table_constraints tc "
                   "  JOIN information_schema.key_column_usage kcu "
                   "    ON kcu.constraint_name = tc.constraint_name "
                   "   AND kcu.table_schema = tc.table_schema "
                   "  JOIN information_schema.constraint_column_usage ccu "
                   "    ON ccu.constraint_name = tc.constraint_name "
                   "   AND ccu.table_schema = tc.table_schema "
                   "  WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'"
                   ") f ON f.table_name = c.table_name AND f.column_name = c.column_name "
                   "WHERE c.table_schema = 'public'",
                   &st),
        0);
    while (db_step(st) == DB_ROW)
        add(db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2));
    db_finalize(st);
}

static int setup(void **state)
{
    struct db *db;
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    if (db_engine(db) == DB_SQLITE)
        read_sqlite(db);
    else
        read_postgres(db);
    db_pool_put(app->pool, db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testapp_free(app);
    return 0;
}

static bool is_activity_table(const char *t)
{
    return !strcmp(t, "listen_participants") || !strcmp(t, "listen_contributions") ||
           !strcmp(t, "listen_votes") || !strcmp(t, "listen_flags");
}

static bool looks_personal(const char *c)
{
    static const char *const bad[] = {"email", "mail", "ip", "ip_address", "address",
                                      "remote_addr", "user_agent", "user_id", "account_id",
                                      "phone", "name"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!strcasecmp(c, bad[i]) || strstr(c, "email") || strstr(c, "_ip"))
            return true;
    return false;
}

static void test_schema_was_read(void **state)
{
    size_t listen = 0;
    (void)state;
    for (size_t i = 0; i < ncols; i++)
        listen += !strncmp(cols[i].table, "listen_", 7);
    assert_true(listen > 30); /* the test must be looking at the real tables */
}

static void test_activity_tables_know_no_one(void **state)
{
    (void)state;
    for (size_t i = 0; i < ncols; i++) {
        if (!is_activity_table(cols[i].table))
            continue;
        if (!strcmp(cols[i].ref, "users") || looks_personal(cols[i].column)) {
            fprintf(stderr, "%s.%s identifies a person\n", cols[i].table, cols[i].column);
            fail();
        }
    }
}

static void test_no_table_joins_activity_to_accounts(void **state)
{
    (void)state;
    for (size_t i = 0; i < ncols; i++) {
        bool to_activity = is_activity_table(cols[i].ref);
        if (!to_activity)
            continue;
        for (size_t k = 0; k < ncols; k++) {
            if (strcmp(cols[k].table, cols[i].table) != 0 || strcmp(cols[k].ref, "users") != 0)
                continue;
            /* The moderator who decided, recorded with the decision: not the author. */
            if (!strcmp(cols[k].table, "listen_moderation_log") &&
                !strcmp(cols[k].column, "moderator_id"))
                continue;
            fprintf(stderr, "%s links %s (%s) to an account (%s)\n", cols[i].table, cols[i].ref,
                    cols[i].column, cols[k].column);
            fail();
        }
    }
}

static void test_no_network_addresses_anywhere(void **state)
{
    (void)state;
    for (size_t i = 0; i < ncols; i++) {
        const char *c = cols[i].column;
        if (!strcasecmp(c, "ip") || strstr(c, "ip_addr") || strstr(c, "remote") ||
            strstr(c, "user_agent") || !strcmp(c, "client")) {
            fprintf(stderr, "%s.%s holds a network address\n", cols[i].table, c);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_was_read),
        cmocka_unit_test(test_activity_tables_know_no_one),
        cmocka_unit_test(test_no_table_joins_activity_to_accounts),
        cmocka_unit_test(test_no_network_addresses_anywhere),
    };
    return cmocka_run_group_tests_name("listen/anonymity", tests, setup, teardown);
}
