/* develop_gaps_bench.c: a programme lead's gap view over 70,000 self-assessments
 *
 * Issue 16: "a programme lead's gap view over 70,000 self-assessments ≤ 100 ms on SQLite and
 * PostgreSQL". That is develop_group_gaps() (src/develop/gaps.c): one streamed query for
 * the group's submitted self-assessments on the framework, newest first per member, each
 * member's latest on the current version summed per domain in memory, then the disclosure
 * rule. It is timed for a cohort and for an organisation of 56,000 members with 70,000
 * submitted self-assessments between them (14,000 members have an earlier one too, which
 * the view must pass over).
 *
 * The rows are made in SQL (recursive common table expressions, which both engines run):
 * members, the cohort, and self-assessments with their stored domain means, deterministic.
 * The view reads the means kept with each submitted self-assessment (migration 0026), never
 * the ratings, so none are made here: a demonstration cohort's ratings are made by `ahphub
 * demo` (src/develop/demo_plan.c).
 *
 * The anchor, timed in the same process on the same rows, is the same query with nothing
 * done but reading each row's five columns, streamed as the view's is: what any method that
 * reads the group's self-assessments must pay, so seconds / anchor says what the view adds.
 *
 * Usage: develop_gaps_bench [--db URL]
 *   the database: --db, else the environment variable AHPHUB_BENCH_DB (for `make bench`
 *   on PostgreSQL: AHPHUB_BENCH_DB=postgres://… make bench), else a throw-away SQLite file.
 *   A database that has the bench's rows already (from an earlier run) is reused.
 * Then the cohort less one member ("cohort_held"): a view one person from one already shown,
 * which gap_release.h holds at the earlier figures, the slowest way through the view (the
 * check reads the earlier release, the held figures read the version's means again).
 * Output: one JSON line per group kind,
 *   {"bench":"develop_gaps","group":"cohort"|"organisation","engine":…,"rows":…,
 *    "members_counted":…,"seconds":…,"anchor_seconds":…,"ratio":…,"cpu_seconds":…,
 *    "anchor_cpu_seconds":…,"target_seconds":0.1,"runs":…}
 *   seconds are medians of the wall clock; cpu_seconds of this process's CPU time, as on a
 *   shared machine the wall clock also counts other programs' turns (on SQLite all the work
 *   is in this process; on PostgreSQL the server's share is not in it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "develop/gaps.h"
#include "develop/self.h"
#include "store/db.h"
#include "store/migrate.h"
#include "timing.h"

#define MEMBERS 56000
#define EARLIER 14000 /* members with an earlier self-assessment as well: 70,000 in all */
#define RUNS    7
#define CODE    "ahp-clinical-leadership"

static const char SQL_FIND[] = "SELECT id FROM cohorts WHERE name = 'Gap view benchmark'";
static const char SQL_ORG[] =
    "INSERT INTO organisations (name, created_at) VALUES ('Gap view benchmark trust', 0) "
    "RETURNING id";
static const char SQL_COHORT[] =
    "INSERT INTO cohorts (name, created_at, updated_at) VALUES ('Gap view benchmark', 0, 0) "
    "RETURNING id";
static const char SQL_USERS[] =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) "
    "INSERT INTO users (email, display_name, role, organisation_id, password_hash, created_at, "
    "updated_at) SELECT 'bench' || i || '@gaps.test', 'Bench ' || i, 'member', $2, '', 0, 0 "
    "FROM n";
static const char SQL_MEMBERS[] =
    "INSERT INTO cohort_members (cohort_id, user_id, added_at) SELECT $1, id, 0 FROM users "
    "WHERE organisation_id = $2";
/* nine domain means on 1–4 (× 1000), varying with the member and the domain, one in
 * twenty leaving the seventh (equality) unrated */
#define MEAN(d) "CAST(1000 + (u.id * " #d "7 + " #d "31) % 3001 AS TEXT)"
static const char SQL_SELF
    [] = "INSERT INTO develop_self_assessments (user_id, framework_id, started_at, updated_at, "
         "submitted_at, domain_means) SELECT u.id, $2, $3, $3, $3, " MEAN(1) " || ',' || " MEAN(2) " || ',' || " MEAN(
             3) " || ',' || " MEAN(4) " || ',' || " MEAN(5) " || ',' || " MEAN(6) " "
                                                                                  "|| ',' || CASE "
                                                                                  "WHEN u.id % 20 "
                                                                                  "= 0 THEN '-' "
                                                                                  "ELSE " MEAN(7) " END || ',' || " MEAN(
                                                                                      8) " || ',' "
                                                                                         "|| " MEAN(9) " FROM users u WHERE u.organisation_id = $1 AND u.id <= $4";
static const char SQL_MAX_USER[] = "SELECT MAX(id) FROM users WHERE organisation_id = $1";
static const char SQL_MIN_USER[] = "SELECT MIN(id) FROM users WHERE organisation_id = $1";
static const char SQL_ORG_ID[] =
    "SELECT id FROM organisations WHERE name = 'Gap view benchmark trust'";

static int64_t one_int(struct db *db, const char *sql, int64_t arg)
{
    struct db_stmt *st = NULL;
    int64_t v = 0;
    if ((arg ? db_row(db, sql, &st, "i", arg) : db_row(db, sql, &st, "")) == 0)
        v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

/* Makes the members, the cohort and the self-assessments when absent. */
static int prepare(struct db *db, int64_t *cohort, int64_t *org)
{
    int64_t fid = 0, first, last;
    int rc;
    if ((*cohort = one_int(db, SQL_FIND, 0)) && (*org = one_int(db, SQL_ORG_ID, 0)))
        return 0;
    if ((rc = develop_version_seed(db)) || (rc = develop_version_latest_id(db, CODE, &fid)) ||
        (rc = db_begin(db)))
        return rc;
    if ((rc = db_run_int(db, SQL_ORG, org, "")) || (rc = db_run_int(db, SQL_COHORT, cohort, "")) ||
        (rc = db_run(db, SQL_USERS, "ii", (int64_t)MEMBERS, *org)) ||
        (rc = db_run(db, SQL_MEMBERS, "ii", *cohort, *org)))
        goto done;
    first = one_int(db, SQL_MIN_USER, *org);
    last = one_int(db, SQL_MAX_USER, *org);
    /* the earlier ones first, 200 days ago, then everyone's latest, 20 days ago */
    if ((rc = db_run(db, SQL_SELF, "iiii", *org, fid, (int64_t)time(NULL) - 200 * 86400,
                     first + EARLIER - 1)) ||
        (rc = db_run(db, SQL_SELF, "iiii", *org, fid, (int64_t)time(NULL) - 20 * 86400, last)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

static int bench(struct db *db, const char *group, enum develop_group_kind kind, int64_t id)
{
    static const char SQL_READ_COHORT[] =
        "SELECT s.user_id, s.framework_id, s.submitted_at, s.id, s.domain_means FROM "
        "develop_self_assessments s JOIN develop_frameworks f ON f.id = s.framework_id AND "
        "f.code = $2 JOIN cohort_members m ON m.user_id = s.user_id WHERE m.cohort_id = $1 AND "
        "s.submitted_at > 0";
    static const char SQL_READ_ORG[] =
        "SELECT s.user_id, s.framework_id, s.submitted_at, s.id, s.domain_means FROM "
        "develop_self_assessments s JOIN develop_frameworks f ON f.id = s.framework_id AND "
        "f.code = $2 JOIN users u ON u.id = s.user_id WHERE u.organisation_id = $1 AND "
        "s.submitted_at > 0";
    double t[RUNS], anchor[RUNS], tc[RUNS], ac[RUNS];
    int64_t rows = 0, counted = 0;
    volatile size_t touched = 0;
    for (int run = 0; run < RUNS; run++) {
        struct db_stmt *st = NULL;
        struct arena *a = arena_new();
        struct develop_group_gaps g;
        double t0 = now_s(), c0 = cpu_s();
        rows = 0;
        if (!a ||
            db_prepare_bind(db, kind == DGK_COHORT ? SQL_READ_COHORT : SQL_READ_ORG, &st, "it", id,
                            CODE) ||
            db_stream(st)) {
            db_finalize(st);
            arena_free(a);
            return 1;
        }
        while (db_step(st) == DB_ROW) {
            touched += (size_t)db_col_int(st, 0) + (size_t)db_col_int(st, 1) +
                       (size_t)db_col_int(st, 2) + (size_t)db_col_int(st, 3) + db_col_len(st, 4) +
                       db_col_text(st, 4)[0];
            rows++;
        }
        db_finalize(st);
        anchor[run] = now_s() - t0;
        ac[run] = cpu_s() - c0;
        t0 = now_s();
        c0 = cpu_s();
        if (develop_group_gaps(db, a, CODE, kind, id, NULL, &g)) {
            arena_free(a);
            return 1;
        }
        t[run] = now_s() - t0;
        tc[run] = cpu_s() - c0;
        counted = (int64_t)g.counted.value;
        arena_free(a);
    }
    {
        double s = median(t, RUNS), an = median(anchor, RUNS);
        double sc = median(tc, RUNS), acm = median(ac, RUNS);
        printf("{\"bench\":\"develop_gaps\",\"group\":\"%s\",\"engine\":\"%s\",\"rows\":%lld,"
               "\"members_counted\":%lld,\"seconds\":%.4f,\"anchor_seconds\":%.4f,"
               "\"ratio\":%.2f,\"cpu_seconds\":%.4f,\"anchor_cpu_seconds\":%.4f,"
               "\"target_seconds\":0.1,\"runs\":%d}\n",
               group, db_engine(db) == DB_SQLITE ? "sqlite" : "postgresql", (long long)rows,
               (long long)counted, s, an, an > 0 ? s / an : 0, sc, acm, RUNS);
    }
    (void)touched;
    return 0;
}

int main(int argc, char **argv)
{
    const char *url = getenv("AHPHUB_BENCH_DB");
    char path[] = "/tmp/ahphub-gaps-bench-XXXXXX", urlbuf[64];
    struct db *db = NULL;
    int64_t cohort = 0, org = 0;
    int applied = 0, rc = 1, temp = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            url = argv[++i];
    if (url && !*url)
        url = NULL;
    log_set_quiet(1);
    if (!url) {
        int fd = mkstemp(path);
        if (fd < 0)
            return 1;
        close(fd);
        snprintf(urlbuf, sizeof urlbuf, "sqlite:%s", path);
        url = urlbuf;
        temp = 1;
    }
    if (db_open(url, &db) || migrate_up(db, &applied) || prepare(db, &cohort, &org)) {
        fprintf(stderr, "develop_gaps_bench: cannot prepare %s%s%s\n", url, db ? ": " : "",
                db ? db_errmsg(db) : "");
        goto done;
    }
    /* as after any bulk load, what autovacuum would soon do (see assess_db_bench.c) */
    if (db_engine(db) == DB_POSTGRES &&
        (db_exec(db, "VACUUM ANALYZE develop_self_assessments") ||
         db_exec(db, "VACUUM ANALYZE develop_frameworks") ||
         db_exec(db, "VACUUM ANALYZE cohort_members") || db_exec(db, "VACUUM ANALYZE users"))) {
        fprintf(stderr, "develop_gaps_bench: VACUUM ANALYZE failed: %s\n", db_errmsg(db));
        goto done;
    }
    if (db_engine(db) == DB_SQLITE && db_exec(db, "ANALYZE"))
        goto done;
    if (bench(db, "cohort", DGK_COHORT, cohort) || bench(db, "organisation", DGK_ORGANISATION, org))
        goto done;
    /* One member out of the cohort: a view one person from one already shown, which is held
     * (gap_release.h): the check against the releases, then the held figures read again. */
    {
        int64_t out = one_int(db, SQL_MIN_USER, org);
        int brc;
        if (db_run(db, "DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2", "ii",
                   cohort, out))
            goto done;
        brc = bench(db, "cohort_held", DGK_COHORT, cohort);
        if (db_run(db, "INSERT INTO cohort_members (cohort_id, user_id, added_at) "
                       "VALUES ($1, $2, 0)",
                   "ii", cohort, out) ||
            brc)
            goto done;
    }
    rc = 0;
done:
    db_close(db);
    if (temp) {
        unlink(path);
        for (const char *sfx = "-wal"; sfx; sfx = strcmp(sfx, "-wal") ? NULL : "-shm") {
            char p2[64];
            snprintf(p2, sizeof p2, "%s%s", path, sfx);
            unlink(p2);
        }
    }
    return rc;
}
