/* feedback_bench.c: a member's 360° report with 30 raters
 *
 * Issue 16: "A 360 report for a member with 30 raters ≤ 20 ms". A member's self-assessment
 * on the shipped framework (9 areas, 43 statements) is asked of 30 raters (a line manager,
 * 10 peers, 10 direct reports and 9 others) through the same domain functions the pages use:
 * each rater saves every area and two comments and submits (redaction included). The request
 * is then closed, and the report is timed as the page makes it: the request, its framework
 * version, the member's answers and every answer read from the database, and the privacy
 * rules applied (feedback_report_load), median of BENCH_RUNS runs, on a throw-away SQLite
 * database. The anchor, in the same process on the same database, is one plain read of every
 * rating of the request: what any report must at least do, so seconds / anchor is what the
 * rest (framework, own answers, texts, the rules) costs on top.
 * Output: {"bench":"feedback_report","raters":30,"behaviours":…,"seconds":…,
 *          "anchor":…,"anchor_seconds":…,"ratio":…,"target_seconds":0.02}
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/links.h"
#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "develop/feedback.h"
#include "develop/self.h"
#include "store/db.h"
#include "support/testapp.h"
#include "timing.h"

#define RATERS     30
#define BENCH_RUNS 21

static const char SQL_ANCHOR[] =
    "SELECT g.response_key, g.behaviour, g.rating FROM develop_feedback_ratings g JOIN "
    "develop_feedback_responses s ON s.response_key = g.response_key WHERE s.request_id = $1";

int main(void)
{
    struct app *app;
    struct db *db;
    struct arena *a = arena_new();
    struct develop_framework fw;
    struct feedback_rater raters[RATERS];
    struct feedback_link links[RATERS];
    char emails[RATERS][40];
    struct link_mailer m;
    int64_t member, fid, self, id = 0, t0 = (int64_t)time(NULL);
    const char *why = NULL;
    double ts[BENCH_RUNS], as[BENCH_RUNS];
    long check = 0;
    bool resumed;
    int rc = 1;
    log_set_quiet(1);
    app = testapp_new();
    db = db_pool_get(app->pool);
    m = (struct link_mailer){app->tpl, "http://bench.test", false};
    member = testapp_user(app, "member@bench.test", "member", "correct horse battery");
    if (!a || develop_version_seed(db) ||
        develop_version_latest_id(db, "ahp-clinical-leadership", &fid) ||
        develop_version_load(db, a, fid, &fw) ||
        develop_self_start(db, member, fid, t0, &self, &resumed))
        goto done;
    for (size_t d = 0; d < fw.ndomains; d++) {
        struct develop_answer ans[DEVELOP_MAX_BEHAVIOURS];
        for (size_t i = 0; i < fw.domains[d].nbehaviours; i++)
            ans[i] = (struct develop_answer){1 + (int)((d + i) % 4), 0, ""};
        if (develop_self_save(db, &fw, self, member, d, ans, t0))
            goto done;
    }
    if (develop_self_submit(db, self, member, t0))
        goto done;
    for (int r = 0; r < RATERS; r++) {
        snprintf(emails[r], sizeof emails[r], "rater%d@bench.test", r);
        raters[r] = (struct feedback_rater){emails[r], r == 0    ? FG_MANAGER
                                                       : r <= 10 ? FG_PEER
                                                       : r <= 20 ? FG_REPORT
                                                                 : FG_OTHER};
    }
    if (feedback_request_create(db, a, &m, member, self, t0 + 86400, raters, RATERS, t0, &id, links,
                                &why))
        goto done;
    for (int r = 0; r < RATERS; r++) {
        char browser[65]; /* each rater in a browser of their own (the hash of its key) */
        snprintf(browser, sizeof browser, "%064d", r);
        for (size_t d = 0; d < fw.ndomains; d++) {
            int v[DEVELOP_MAX_BEHAVIOURS];
            for (size_t i = 0; i < fw.domains[d].nbehaviours; i++)
                v[i] = (r + (int)d + (int)i) % 7 == 0 ? DEVELOP_NOT_RATED
                                                      : 1 + (r + (int)d * 3 + (int)i) % 4;
            if (feedback_draft_save(db, &fw, links[r].token, browser, t0 + 60, d, v, NULL, NULL))
                goto done;
        }
        if (feedback_draft_save(db, &fw, links[r].token, browser, t0 + 60, fw.ndomains, NULL,
                                "Listens well and explains the plan; call me on 07700 900123.",
                                "Delegate more of the rota.") ||
            feedback_submit(db, links[r].token, browser, t0 + 61))
            goto done;
    }
    if (feedback_request_close(db, id, member, t0 + 120))
        goto done;
    for (int k = 0; k < BENCH_RUNS; k++) {
        struct arena *ra = arena_new();
        struct feedback_request req;
        struct develop_framework f2;
        struct feedback_report rep;
        struct db_stmt *st = NULL;
        double s = now_s();
        if (!ra || feedback_report_load(db, ra, id, member, t0 + 200, &req, &f2, &rep))
            goto done;
        ts[k] = now_s() - s;
        check += rep.cell_n[FC_ALL];
        arena_free(ra);
        s = now_s();
        if (db_prepare_bind(db, SQL_ANCHOR, &st, "i", id))
            goto done;
        while (db_step(st) == DB_ROW)
            check += db_col_int(st, 2);
        db_finalize(st);
        as[k] = now_s() - s;
    }
    qsort(ts, BENCH_RUNS, sizeof *ts, cmp_double);
    qsort(as, BENCH_RUNS, sizeof *as, cmp_double);
    printf("{\"bench\":\"feedback_report\",\"raters\":%d,\"behaviours\":%zu,\"seconds\":%.5f,"
           "\"anchor\":\"one read of every rating of the request\",\"anchor_seconds\":%.5f,"
           "\"ratio\":%.1f,\"target_seconds\":0.02,\"check\":%ld}\n",
           RATERS, fw.nbehaviours, ts[BENCH_RUNS / 2], as[BENCH_RUNS / 2],
           ts[BENCH_RUNS / 2] / as[BENCH_RUNS / 2], check % 1000);
    fflush(stdout);
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "feedback_bench: setting up failed\n");
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return rc;
}
