/* feedback_submit_bench.c: a 360° submission through a link already answered takes as long as
 * a first one
 *
 * The member holds every rater's link and may submit through one; the reply is the same
 * whether the rater had answered or not (feedback.h, rule 9), and so must the time it takes,
 * or timing tells the member who has answered. A first submission stores the answer; a later
 * one does the same work inside a savepoint it rolls back (store_answer, feedback_db.c).
 * Both ways are timed here as the pages run them, alternately (which goes first alternates
 * too), BENCH_RUNS times each, on the database AHPHUB_TEST_DB names (a throw-away SQLite
 * file without it): the shipped framework (9 areas, 43 statements), two comments with a
 * phone number and an address to redact.
 *  - "draft": a browser's draft (every area and the comments, saved before the clock starts)
 *    submitted (feedback_submit);
 *  - "sent": every answer sent with the submission (feedback_submit_answers).
 * The anchor is a first submission through a fresh link; the figure is a submission through
 * a link answered already; the ratio should be 1 within the noise (the spread of the anchor's
 * own runs, p25 and p75, is printed beside it). On a disk whose fsync takes milliseconds the
 * commit hides the rest: run with AHPHUB_TEST_DB=sqlite:/dev/shm/NAME.db, or on PostgreSQL, to
 * see the work itself. Measured so (2 shared cores), before the answered branch did the work:
 * ratio 0.52 (draft) and 0.20 (sent) on SQLite, 0.41 and 0.12 on PostgreSQL; after: 0.96
 * and 0.96 (the anchor's p25 at 0.88 and 0.95 of its median), 1.02 and 1.00.
 * Output, one line per way: {"bench":"feedback_submit_answered","way":…,"runs":…,
 *   "seconds":…,"anchor":…,"anchor_seconds":…,"anchor_p25":…,"anchor_p75":…,"ratio":…}
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

#define BENCH_RUNS 201

static const char STRENGTHS[] = "Listens well and explains the plan; call me on 07700 900123.";
static const char DIFFERENTLY[] = "Delegate more of the rota (ask rota.lead@example.test).";

static struct db *db;
static struct app *app;
static struct arena *a;
static struct develop_framework fw;
static int64_t member, self, t0;
static int *all;
/* fresh links, FEEDBACK_MAX_RATERS per request */
static struct feedback_link links[FEEDBACK_MAX_RATERS];
static size_t used_links = FEEDBACK_MAX_RATERS;
static int requests;

static const char *fresh_link(void)
{
    struct link_mailer m = {app->tpl, "http://bench.test", false};
    struct feedback_rater r[FEEDBACK_MAX_RATERS];
    static char emails[FEEDBACK_MAX_RATERS][48];
    const char *why = NULL;
    int64_t id;
    if (used_links < FEEDBACK_MAX_RATERS)
        return links[used_links++].token;
    requests++;
    for (int i = 0; i < FEEDBACK_MAX_RATERS; i++) {
        snprintf(emails[i], sizeof emails[i], "r%d.%d@bench.test", requests, i);
        r[i] = (struct feedback_rater){emails[i], FG_PEER};
    }
    if (feedback_request_create(db, a, &m, member, self, t0 + 86400, r, FEEDBACK_MAX_RATERS, t0,
                                &id, links, &why))
        return NULL;
    used_links = 1;
    return links[0].token;
}

/* A browser's whole draft on the link: every area and the comments. */
static int save_draft(const char *token, const char *browser)
{
    for (size_t d = 0; d < fw.ndomains; d++)
        if (feedback_draft_save(db, &fw, token, browser, t0 + 60, d, all + fw.domains[d].first,
                                NULL, NULL))
            return 1;
    return feedback_draft_save(db, &fw, token, browser, t0 + 60, fw.ndomains, NULL, STRENGTHS,
                               DIFFERENTLY);
}

/* One submission the way given, timed (the draft saved before the clock starts); -1 when it
 * failed. */
static double submit(bool draft, const char *token, int k)
{
    char browser[65];
    double s;
    int rc;
    snprintf(browser, sizeof browser, "%064d", k);
    if (draft && save_draft(token, browser))
        return -1;
    s = now_s();
    rc = draft
             ? feedback_submit(db, token, browser, t0 + 61)
             : feedback_submit_answers(db, &fw, token, NULL, t0 + 61, all, STRENGTHS, DIFFERENTLY);
    s = now_s() - s;
    return rc ? -1 : s;
}

static int run(bool draft)
{
    static double first[BENCH_RUNS], again[BENCH_RUNS];
    const char *answered = fresh_link();
    if (!answered || submit(draft, answered, 0) < 0) /* answered from now on */
        return 1;
    for (int k = 0; k < BENCH_RUNS; k++) {
        const char *fresh = fresh_link();
        if (!fresh)
            return 1;
        if (k % 2) {
            first[k] = submit(draft, fresh, 2 * k + 1);
            again[k] = submit(draft, answered, 2 * k + 2);
        } else {
            again[k] = submit(draft, answered, 2 * k + 2);
            first[k] = submit(draft, fresh, 2 * k + 1);
        }
        if (first[k] < 0 || again[k] < 0)
            return 1;
    }
    qsort(first, BENCH_RUNS, sizeof *first, cmp_double);
    qsort(again, BENCH_RUNS, sizeof *again, cmp_double);
    printf("{\"bench\":\"feedback_submit_answered\",\"way\":\"%s\",\"engine\":\"%s\",\"runs\":%d,"
           "\"seconds\":%.6f,\"anchor\":\"a first submission through a fresh link\","
           "\"anchor_seconds\":%.6f,\"anchor_p25\":%.6f,\"anchor_p75\":%.6f,\"ratio\":%.3f}\n",
           draft ? "draft" : "sent", db_engine(db) == DB_SQLITE ? "sqlite" : "postgres", BENCH_RUNS,
           again[BENCH_RUNS / 2], first[BENCH_RUNS / 2], first[BENCH_RUNS / 4],
           first[3 * BENCH_RUNS / 4], again[BENCH_RUNS / 2] / first[BENCH_RUNS / 2]);
    fflush(stdout);
    return 0;
}

int main(void)
{
    int64_t fid;
    bool resumed;
    int rc = 1;
    log_set_quiet(1);
    t0 = (int64_t)time(NULL);
    a = arena_new();
    app = testapp_new();
    db = db_pool_get(app->pool);
    member = testapp_user(app, "member@bench.test", "member", "correct horse battery");
    if (!a || develop_version_seed(db) ||
        develop_version_latest_id(db, "ahp-clinical-leadership", &fid) ||
        develop_version_load(db, a, fid, &fw) ||
        develop_self_start(db, member, fid, t0, &self, &resumed) ||
        !(all = arena_calloc(a, fw.nbehaviours, sizeof *all)))
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
    for (size_t i = 0; i < fw.nbehaviours; i++)
        all[i] = i % 7 == 0 ? DEVELOP_NOT_RATED : 1 + (int)(i % 4);
    if (run(true) || run(false))
        goto done;
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "feedback_submit_bench: setting up or submitting failed\n");
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return rc;
}
