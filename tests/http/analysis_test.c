/* analysis_test.c: an exercise's themes and opinion groups, queued from the page and run by the
 * worker's function, then read back — with the disclosure rule on every count of people;
 * and the runs themselves under faults: a worker that stops mid-run, one that loses its
 * lease, and many requests at once
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "listen/analysis.h"
#include "store/db.h"
#include "store/migrate.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac;
static char slug[32];
static const char *PW = "correct horse battery";

static const char *const texts[] = {
    "Waiting+lists+for+physiotherapy+are+far+too+long",
    "The+waiting+list+for+speech+therapy+is+very+long",
    "Long+waiting+lists+make+people+give+up",
    "Shorter+waiting+lists+for+children+please",
    "Staff+need+protected+time+for+training",
    "Training+budgets+for+therapists+have+been+cut",
    "Give+staff+time+for+training+and+supervision",
    "Career+development+and+training+for+support+workers",
};

static int setup(void **state)
{
    const char *loc;
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "member@example.test", "member", PW);
    tc_init(&fac, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303)
        return -1;
    if (tc_post_form(&fac, "/listen/new",
                     "title=Analysis+test&audience_citizen=1&moderation=post&flag_threshold=3"
                     "&prompts=What+matters%3F",
                     1) != 303)
        return -1;
    loc = lb_header(&fac.res, "Location");
    snprintf(slug, sizeof slug, "%s", loc + 8);
    {
        char uri[64];
        snprintf(uri, sizeof uri, "/listen/%s/status", slug);
        return tc_post_form(&fac, uri, "status=open", 1) == 303 ? 0 : -1;
    }
}

static int teardown(void **state)
{
    (void)state;
    db_fault_after(0);
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

/* The connection goes back before the checks, so a failure leaves the pool whole. */
static void run_worker_once(void)
{
    struct db *db = db_pool_get(app->pool);
    bool ran = false;
    int rc = listen_analysis_run_next(db, &ran);
    db_pool_put(app->pool, db);
    assert_int_equal(rc, 0);
    assert_true(ran);
}

/* The first half of texts[] is about waiting lists, the second about training. */
#define TOPIC_SIZE (sizeof texts / sizeof texts[0] / 2)
static const char *const topic_word[2] = {"waiting", "training"};

/* The topic a contribution was planted in (0 or 1), by its text; -1 for any other. */
static int topic_of(const char *body)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char plain[128];
        size_t n = 0;
        for (const char *p = texts[i]; *p && n + 1 < sizeof plain; p++)
            plain[n++] = *p == '+' ? ' ' : *p;
        plain[n] = '\0';
        if (!strcmp(body, plain))
            return (int)(i / TOPIC_SIZE);
    }
    return -1;
}

/* The latest analysis separates the two planted topics: each topic's contributions are
 * mostly (all but at most one) members of one theme that holds at most one of the other
 * topic's, and the two topics have different themes. Read from the stored run, whose themes
 * list their members by contribution id (the pages leave them out). */
static void assert_topics_separated(void)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    struct arena *a = arena_new();
    struct listen_analysis_latest latest;
    const struct listen_theme *themes;
    int64_t exercise = 0;
    size_t t, i, nt, best[2] = {0, 0}, count[8][2] = {{0}}, planted = 0;
    int topic[64];
    int64_t ids[64];
    size_t nids = 0;
    bool separated = true;
    assert_int_equal(db_row(db, "SELECT id FROM listen_exercises WHERE slug = $1", &st, "t", slug),
                     0);
    exercise = db_col_int(st, 0);
    db_finalize(st);
    assert_int_equal(db_prepare_bind(db,
                                     "SELECT id, body FROM listen_contributions "
                                     "WHERE exercise_id = $1 ORDER BY id",
                                     &st, "i", exercise),
                     0);
    while (db_step(st) == DB_ROW && nids < 64) {
        ids[nids] = db_col_int(st, 0);
        topic[nids] = topic_of(db_col_text(st, 1));
        planted += topic[nids] >= 0;
        nids++;
    }
    db_finalize(st);
    assert_int_equal(planted, 2 * TOPIC_SIZE);
    assert_int_equal(listen_analysis_latest(db, a, exercise, &latest), 0);
    db_pool_put(app->pool, db);
    assert_non_null(latest.result);
    themes = latest.result->themes;
    nt = latest.result->nthemes;
    assert_true(nt >= 2 && nt <= 8);
    for (t = 0; t < nt; t++)
        for (i = 0; i < themes[t].nmembers; i++)
            for (size_t k = 0; k < nids; k++)
                if (ids[k] == themes[t].members[i].id && topic[k] >= 0)
                    count[t][topic[k]]++;
    for (int k = 0; k < 2; k++)
        for (t = 1; t < nt; t++)
            if (count[t][k] > count[best[k]][k])
                best[k] = t;
    for (int k = 0; k < 2; k++) {
        const char *label = themes[best[k]].label;
        /* and the theme is named for its topic */
        separated &= best[0] != best[1] && count[best[k]][k] >= TOPIC_SIZE - 1 &&
                     count[best[k]][1 - k] <= 1 && label && strstr(label, topic_word[k]);
        if (!separated)
            fprintf(stderr, "topic %d: %zu of %zu in theme %zu (\"%s\"), with %zu of the other\n",
                    k, count[best[k]][k], TOPIC_SIZE, best[k], label ? label : "",
                    count[best[k]][1 - k]);
    }
    arena_free(a);
    assert_true(separated);
}

static void test_no_analysis_yet_and_roles(void **state)
{
    struct test_client m;
    char uri[64];
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "There is no analysis yet"));
    tc_init(&m, app);
    assert_int_equal(tc_login(&m, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&m, uri), 403);
    assert_int_equal(tc_post_form(&m, uri, "", 1), 403);
    tc_free(&m);
}

static void test_queue_run_and_read(void **state)
{
    char uri[96], form[256];
    int64_t prompt;
    const char *p;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    prompt = atoll(p + 17);
    /* eight visitors write, and each agrees with the first few others */
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", slug);
        tc_get(&v, uri);
        snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
        snprintf(form, sizeof form, "prompt=%lld&text=%s", (long long)prompt, texts[i]);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, uri, "k=2", 1), 303);
    /* asking again while one waits queues nothing new */
    assert_int_equal(tc_post_json(&fac, "/api/v1/listen/x/analysis", "{}"), 404);
    {
        char api[96];
        snprintf(api, sizeof api, "/api/v1/listen/%s/analysis", slug);
        assert_int_equal(tc_post_json(&fac, api, "{\"k\": 2}"), 202);
        assert_true(tc_body_has(&fac, "\"run\":1"));
    }
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "An analysis is queued"));
    run_worker_once();
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "waiting"));
    assert_true(tc_body_has(&fac, "training"));
    /* the facilitators' page counts as its warning does: 8, not the published "10" */
    assert_true(tc_body_has(&fac, "fewer than 20 contributions"));
    assert_true(tc_body_has(&fac, "From 8 contributions"));
    /* the words appear, and the themes they name really split the two topics */
    assert_topics_separated();
    {
        char api[96];
        snprintf(api, sizeof api, "/api/v1/listen/%s/analysis", slug);
        assert_int_equal(tc_get(&fac, api), 200);
        /* 8 contributions and themes of 4: counts of 1-7 never appear, only null with the
         * reason; shown counts are numbers */
        assert_true(tc_body_has(&fac, "\"contributions\":10"));
        assert_true(tc_body_has(&fac, "\"size\":null"));
        assert_true(tc_body_has(&fac, "\"size_reason\":\"Fewer than 8"));
        assert_false(tc_body_has(&fac, "participant_id"));
        assert_false(tc_body_has(&fac, "\"pending\""));
    }
}

/* "What we heard": a draft for facilitators, public once published, the same in every format */
static void test_report_publish(void **state)
{
    struct test_client anon;
    char uri[128], api[128];
    (void)state;
    tc_init(&anon, app);
    snprintf(uri, sizeof uri, "/listen/%s/report", slug);
    assert_int_equal(tc_get(&anon, uri), 404);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Publish this report"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    snprintf(api, sizeof api, "/listen/%s/report/publish", slug);
    assert_int_equal(tc_post_form(&anon, api, "", 1), 303); /* to the login page */
    assert_int_equal(tc_post_form(&fac, api, "", 1), 303);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_true(tc_body_has(&anon, "What we heard"));
    assert_true(tc_body_has(&anon, "What citizens said"));
    assert_false(tc_body_has(&anon, "Publish this report"));
    assert_true(testapp_tidy(anon.res.body, anon.res.len, uri) < 2);
    /* every theme has 4 contributions, each shown as *: no chart of an empty axis, but the
     * reason in words (and no bar said to hide people: they count contributions) */
    assert_false(tc_body_has(&anon, "themes-chart"));
    assert_true(tc_body_has(&anon, "Every theme has fewer than 8 contributions, too few to "
                                   "show how many"));
    assert_false(tc_body_has(&anon, "fewer than 8 people"));
    /* 8 contributions: every count of people is "*" or a rounded number, never 1-7 */
    snprintf(api, sizeof api, "/api/v1/listen/%s/report", slug);
    assert_int_equal(tc_get(&anon, api), 200);
    assert_true(tc_body_has(&anon, "\"not_said\":10"));
    assert_true(tc_body_has(&anon, "\"contributions\":10"));
    assert_true(tc_body_has(&anon, "\"size\":null"));
    assert_false(tc_body_has(&anon, "\"*\""));
    assert_false(tc_body_has(&anon, "\"members\""));
    assert_false(tc_body_has(&anon, "\"8\""));
    snprintf(api, sizeof api, "/listen/%s/report/what-we-heard.csv", slug);
    assert_int_equal(tc_get(&anon, api), 200);
    assert_true(tc_body_has(&anon, "rank,theme,top terms,contributions"));
    snprintf(api, sizeof api, "/listen/%s/report/what-we-heard.json", slug);
    assert_int_equal(tc_get(&anon, api), 200);
    assert_true(tc_body_has(&anon, "\"themes\""));
    /* the PDF says what the page says (read back as text by pdftotext) */
    snprintf(api, sizeof api, "/listen/%s/report/what-we-heard.pdf", slug);
    assert_int_equal(tc_get(&anon, api), 200);
    assert_int_equal(memcmp(anon.res.body, "%PDF-", 5), 0);
    {
        char path[] = "/tmp/ahphub-report-XXXXXX", cmd[128];
        int fd = mkstemp(path);
        FILE *f, *p;
        char text[65536];
        size_t n;
        assert_true(fd >= 0);
        assert_int_equal(write(fd, anon.res.body, anon.res.len), (ssize_t)anon.res.len);
        close(fd);
        snprintf(cmd, sizeof cmd, "pdftotext -layout %s - 2>/dev/null", path);
        p = popen(cmd, "r");
        assert_non_null(p);
        n = fread(text, 1, sizeof text - 1, p);
        text[n] = '\0';
        pclose(p);
        (void)f;
        /* and it is a tagged PDF: headings, the table's header cells, the chart as a figure
         * (pdfinfo -struct-text dumps the structure tree in reading order) */
        {
            static char tree[1 << 17];
            size_t m;
            snprintf(cmd, sizeof cmd, "pdfinfo %s 2>&1; pdfinfo -struct-text %s 2>&1", path, path);
            p = popen(cmd, "r");
            assert_non_null(p);
            m = fread(tree, 1, sizeof tree - 1, p);
            tree[m] = '\0';
            pclose(p);
            assert_non_null(strstr(tree, "Tagged:          yes"));
            assert_non_null(
                strstr(tree, "\nDocument\n  H1 (block)\n    \"What we heard: Analysis test"));
            assert_non_null(strstr(tree, "  H2 (block)\n    \"Who took part\""));
            assert_non_null(strstr(tree, "/Scope /Column"));
            assert_null(strstr(tree, "  Figure\n")); /* no chart: every theme is a * */
            assert_null(strstr(tree, "Page 2 of"));
            assert_null(strstr(tree, "Syntax Error"));
        }
        unlink(path);
        assert_non_null(strstr(text, "What we heard: Analysis test"));
        assert_non_null(strstr(text, "Contents"));
        assert_non_null(strstr(text, "Who took part"));
        assert_non_null(strstr(text, "waiting"));
        assert_non_null(strstr(text, "Page 2 of"));
        assert_non_null(strstr(text, "too few to show how many"));
        assert_null(strstr(text, "too few people"));
    }
    snprintf(api, sizeof api, "/listen/%s/report/nothing.txt", slug);
    assert_int_equal(tc_get(&anon, api), 404);
    /* a new analysis is a draft for facilitators; the public keeps the published one */
    snprintf(api, sizeof api, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, api, "k=3", 1), 303);
    run_worker_once();
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "the public still sees the report published"));
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_false(tc_body_has(&anon, "Draft"));
    /* withdrawn: private again */
    snprintf(api, sizeof api, "/listen/%s/report/unpublish", slug);
    assert_int_equal(tc_post_form(&fac, api, "", 1), 303);
    assert_int_equal(tc_get(&anon, uri), 404);
    tc_free(&anon);
}

/* New activity queues an analysis by itself; without it, nothing is queued. */
static void test_runs_on_new_activity(void **state)
{
    struct db *db = db_pool_get(app->pool);
    char uri[96], form[256];
    int queued = -1;
    int64_t prompt;
    const char *p;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    prompt = atoll(p + 17);
    assert_int_equal(listen_analysis_enqueue_due(db, &queued), 0);
    assert_int_equal(queued, 0);
    db_pool_put(app->pool, db);
    for (int i = 0; i < LISTEN_ANALYSIS_NEW_CONTRIBUTIONS; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", slug);
        tc_get(&v, uri);
        snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
        snprintf(form, sizeof form, "prompt=%lld&text=Another+view+about+waiting+lists+number+%d",
                 (long long)prompt, i);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
    db = db_pool_get(app->pool);
    assert_int_equal(listen_analysis_enqueue_due(db, &queued), 0);
    assert_int_equal(queued, 1);
    assert_int_equal(listen_analysis_enqueue_due(db, &queued), 0);
    assert_int_equal(queued, 0); /* one is waiting already */
    db_pool_put(app->pool, db);
    run_worker_once();
    db = db_pool_get(app->pool);
    assert_int_equal(listen_analysis_enqueue_due(db, &queued), 0);
    assert_int_equal(queued, 0); /* nothing new since */
    db_pool_put(app->pool, db);
}

/* The run id and the label of theme i of the latest analysis, from the facilitator's JSON. */
static int64_t latest_run(char *label0, size_t cap, int theme)
{
    char uri[96];
    const char *p;
    int64_t run;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"run\":{\"id\":");
    assert_non_null(p);
    run = atoll(p + 12);
    p = fac.res.body;
    for (int i = 0; i <= theme; i++) {
        p = strstr(p + 1, "\"label\":\"");
        assert_non_null(p);
    }
    snprintf(label0, cap, "%.*s", (int)(strchr(p + 9, '"') - (p + 9)), p + 9);
    return run;
}

/* Facilitators rename, hide, pin, merge and split themes; the edits follow the themes into
 * the next analysis and into the public report. */
static void test_curation(void **state)
{
    char uri[128], form[256], label[200], report[96];
    int64_t run;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/themes", slug);
    snprintf(report, sizeof report, "/api/v1/listen/%s/report", slug);
    snprintf(form, sizeof form, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, form, "k=2", 1), 303);
    run_worker_once();
    run = latest_run(label, sizeof label, 0);
    /* rename the first theme */
    snprintf(form, sizeof form, "run=%lld&theme=0&action=rename&label=Waiting+times",
             (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    /* a wrong theme or action changes nothing */
    snprintf(form, sizeof form, "run=%lld&theme=99&action=hide", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 404);
    snprintf(form, sizeof form, "run=%lld&theme=0&action=explode", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    /* a name over 150 characters, or a merge into itself: the analysis page again, the error
     * beside that theme's own field (the summary links there), the name as typed, its
     * "Change this theme" open */
    {
        char longname[152], big[400], expect[240];
        memset(longname, 'n', 151);
        longname[151] = '\0';
        snprintf(big, sizeof big, "run=%lld&theme=0&action=rename&label=%s", (long long)run,
                 longname);
        assert_int_equal(tc_post_form(&fac, uri, big, 1), 400);
        assert_true(tc_body_has(&fac, "href=\"#label-0\">"));
        assert_true(tc_body_has(&fac, "id=\"label-0-error\""));
        snprintf(expect, sizeof expect, "id=\"label-0\" name=\"label\" type=\"text\" value=\"%s\"",
                 longname);
        assert_true(tc_body_has(&fac, expect));
        assert_true(tc_body_has(&fac, "<details class=\"nhsuk-details\" open>"));
        assert_true(testapp_tidy(fac.res.body, fac.res.len, "theme name refused") < 2);
        snprintf(big, sizeof big, "run=%lld&theme=0&action=merge&into=0", (long long)run);
        assert_int_equal(tc_post_form(&fac, uri, big, 1), 400);
        assert_true(
            tc_body_has(&fac, "href=\"#into-0\">Choose another theme to merge this one into"));
        assert_true(tc_body_has(&fac, "id=\"into-0-error\""));
        /* from a page of an earlier run, theme 0 may be another theme now: no error is put
         * beside a theme it was not about */
        snprintf(big, sizeof big, "run=%lld&theme=0&action=rename&label=%s", (long long)run - 1,
                 longname);
        if (run > 1) {
            assert_int_equal(tc_post_form(&fac, uri, big, 1), 409);
            assert_true(tc_body_has(&fac, "The analysis has changed since the page was loaded"));
        }
    }
    {
        struct test_client m;
        tc_init(&m, app);
        assert_int_equal(tc_login(&m, "member@example.test", PW), 303);
        snprintf(form, sizeof form, "run=%lld&theme=0&action=hide", (long long)run);
        assert_int_equal(tc_post_form(&m, uri, form, 1), 403);
        tc_free(&m);
    }
    snprintf(form, sizeof form, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, form), 200);
    assert_true(tc_body_has(&fac, "Waiting times"));
    assert_true(tc_body_has(&fac, "Found as"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, form) < 2);
    /* an empty name goes back to the one found, and a rename again sticks */
    snprintf(form, sizeof form, "run=%lld&theme=0&action=rename&label=", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    latest_run(label, sizeof label, 0);
    assert_string_not_equal(label, "Waiting times");
    snprintf(form, sizeof form, "run=%lld&theme=0&action=rename&label=Waiting+times",
             (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    /* one theme is not an analysis */
    snprintf(form, sizeof form, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, form, "k=1", 1), 400);
    /* the analysis page again, with the error beside the number, as typed */
    assert_true(tc_body_has(&fac, "href=\"#k\">Enter a number of themes from 2 to 30"));
    assert_true(tc_body_has(&fac, "A number from 2 to 30. Leave it empty")); /* the hint agrees */
    assert_true(tc_body_has(&fac, "id=\"k-error\""));
    assert_true(tc_body_has(&fac, "value=\"1\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "analysis with an error") < 2);
    assert_int_equal(tc_post_form(&fac, form, "k=31", 1), 400);
    assert_int_equal(tc_post_form(&fac, form, "k=ab", 1), 400);
    assert_true(tc_body_has(&fac, "href=\"#k\""));
    /* a new analysis of the same data: the name stays on the theme */
    assert_int_equal(tc_post_form(&fac, form, "k=2", 1), 303);
    run_worker_once();
    run = latest_run(label, sizeof label, 0);
    assert_string_equal(label, "Waiting times");
    /* hide the second theme: the report leaves it out; show it again */
    {
        char second[200];
        latest_run(second, sizeof second, 1);
        snprintf(form, sizeof form, "run=%lld&theme=1&action=hide", (long long)run);
        assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
        assert_int_equal(tc_get(&fac, report), 200);
        assert_true(tc_body_has(&fac, "Waiting times"));
        assert_false(tc_body_has(&fac, second));
        snprintf(form, sizeof form, "run=%lld&theme=1&action=show", (long long)run);
        assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
        assert_int_equal(tc_get(&fac, report), 200);
        assert_true(tc_body_has(&fac, second));
    }
    /* merge the second theme into the first: one theme fewer in the report */
    snprintf(form, sizeof form, "run=%lld&theme=1&action=merge&into=0", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    assert_int_equal(tc_get(&fac, report), 200);
    assert_null(strstr(fac.res.body, "\"rank\":2"));
    snprintf(form, sizeof form, "run=%lld&theme=1&action=merge&into=1", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400); /* not into itself */
    snprintf(form, sizeof form, "run=%lld&theme=1&action=unmerge", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    assert_int_equal(tc_get(&fac, report), 200);
    assert_non_null(strstr(fac.res.body, "\"rank\":2"));
    /* pin the first theme's first quote: the report shows it */
    {
        const char *q;
        char text[200];
        int64_t id;
        snprintf(form, sizeof form, "/api/v1/listen/%s/analysis", slug);
        assert_int_equal(tc_get(&fac, form), 200);
        q = strstr(fac.res.body, "\"quotes\":[{\"text\":\"");
        assert_non_null(q);
        snprintf(text, sizeof text, "%.*s", (int)(strchr(q + 19, '"') - (q + 19)), q + 19);
        q = strstr(q, "\"id\":");
        assert_non_null(q);
        id = atoll(q + 5);
        snprintf(form, sizeof form, "run=%lld&theme=0&action=pin&contribution=%lld", (long long)run,
                 (long long)id);
        assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
        assert_int_equal(tc_get(&fac, report), 200);
        assert_true(tc_body_has(&fac, "\"pinned\":[{\"id\":"));
        assert_true(tc_body_has(&fac, text));
    }
    /* split the second theme (the first is ten near-copies, which no method can split): the
     * next run fits two themes in its place */
    snprintf(form, sizeof form, "run=%lld&theme=1&action=split", (long long)run);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    run_worker_once();
    snprintf(form, sizeof form, "/api/v1/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, form), 200);
    assert_true(tc_body_has(&fac, "\"split_from\""));
}

/* ---- runs under faults ---- */

/* One integer from sql with one or two integer parameters ($1, and $2 when b is not 0), or
 * -1 when no row. */
static int64_t sql_int(const char *sql, int64_t a, int64_t b)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_row(db, sql, &st, b ? "ii" : "i", a, b) == 0)
        n = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return n;
}

static void sql_exec(const char *sql, int64_t a, int64_t b)
{
    struct db *db = db_pool_get(app->pool);
    int rc = db_run(db, sql, b ? "ii" : "i", a, b);
    db_pool_put(app->pool, db);
    assert_int_equal(rc, 0);
}

/* A connection of the test's own, as a worker has: a failed assertion leaves it open, but
 * leaves the app's pool whole for the tests after. */
static struct db *worker_db(void)
{
    struct db *db = NULL;
    assert_int_equal(db_open(testapp_db_url(), &db), 0);
    return db;
}

/* What a worker that stopped leaves behind, once its lease has run out: the clock is not
 * moved, the lease is. */
static void lease_runs_out(int64_t run)
{
    sql_exec("UPDATE listen_analysis_runs SET lease_until = $2 WHERE id = $1", run,
             (int64_t)time(NULL) - 1);
}

/* n contributions to the exercise from new visitors, the eight texts in turn with tail. */
static void contribute_texts(const char *slug_, int n, const char *tail)
{
    char uri[96], form[256];
    int64_t prompt;
    const char *p;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug_);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    prompt = atoll(p + 17);
    for (int i = 0; i < n; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", slug_);
        tc_get(&v, uri);
        snprintf(uri, sizeof uri, "/listen/%s/contribute", slug_);
        snprintf(form, sizeof form, "prompt=%lld&text=%s%s", (long long)prompt,
                 texts[(size_t)i % (sizeof texts / sizeof texts[0])], tail);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
}

/* A second open exercise with the eight texts; its id, and its slug in out. */
static int64_t crash_exercise(char out[32])
{
    char uri[96];
    int64_t id;
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Crash+test&audience_citizen=1&moderation=post"
                                  "&flag_threshold=3&prompts=What+matters%3F",
                                  1),
                     303);
    snprintf(out, 32, "%s", lb_header(&fac.res, "Location") + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", out);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
    contribute_texts(out, (int)(sizeof texts / sizeof texts[0]), "");
    {
        struct db *db = db_pool_get(app->pool);
        struct db_stmt *st = NULL;
        int rc = db_row(db, "SELECT id FROM listen_exercises WHERE slug = $1", &st, "t", out);
        id = rc ? -1 : db_col_int(st, 0);
        db_finalize(st);
        db_pool_put(app->pool, db);
        assert_int_equal(rc, 0);
    }
    return id;
}

static char crash_slug[32];
static int64_t crash_id;

/* The facilitator asks for an analysis through the API; the run it names. */
static int64_t ask(const char *slug_)
{
    char api[96];
    const char *p;
    snprintf(api, sizeof api, "/api/v1/listen/%s/analysis", slug_);
    assert_int_equal(tc_post_json(&fac, api, "{\"k\": 2}"), 202);
    p = strstr(fac.res.body, "\"run\":");
    assert_non_null(p);
    return atoll(p + 6);
}

/* A worker that stops mid-run (kill -9, a killed instance, a full disk when it finished)
 * leaves the run "running": once its lease runs out another worker takes it over and
 * finishes it, and the next request makes a new run. */
static void test_stopped_run_is_taken_over(void **state)
{
    struct db *db;
    struct listen_run_lease l;
    char api[96], page[96];
    int64_t run, again;
    (void)state;
    crash_id = crash_exercise(crash_slug);
    snprintf(api, sizeof api, "/api/v1/listen/%s/analysis", crash_slug);
    snprintf(page, sizeof page, "/listen/%s/analysis", crash_slug);
    run = ask(crash_slug);
    db = worker_db();
    assert_int_equal(listen_analysis_claim(db, &l), 0);
    db_close(db);
    assert_int_equal(l.run, run);
    assert_int_equal(l.attempt, 1);
    /* the worker dies here; while its lease lasts, the run is still its own */
    assert_int_equal(ask(crash_slug), run);
    assert_int_equal(tc_get(&fac, api), 200);
    assert_true(tc_body_has(&fac, "\"pending\":{\"status\":\"running\",\"restarting\":false}"));
    db = worker_db();
    {
        bool ran = true;
        assert_int_equal(listen_analysis_run_next(db, &ran), 0);
        assert_false(ran); /* nobody takes a run whose lease is current */
    }
    db_close(db);
    lease_runs_out(run);
    /* what the facilitator sees meanwhile: waiting to start again, not "running" for ever */
    assert_int_equal(tc_get(&fac, api), 200);
    assert_true(tc_body_has(&fac, "\"pending\":{\"status\":\"queued\",\"restarting\":true}"));
    assert_int_equal(tc_get(&fac, page), 200);
    assert_true(tc_body_has(&fac, "The server that was running it stopped"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, page) < 2);
    run_worker_once();
    assert_int_equal(sql_int("SELECT attempts FROM listen_analysis_runs WHERE id = $1 AND "
                             "status = 'done' AND result <> ''",
                             run, 0),
                     2);
    assert_int_equal(tc_get(&fac, api), 200);
    assert_false(tc_body_has(&fac, "\"pending\""));
    assert_true(tc_body_has(&fac, "\"run\":{\"id\":"));
    again = ask(crash_slug);
    assert_true(again != run);
    run_worker_once();
}

/* A run whose server stops on every attempt fails after the last, with a reason the
 * facilitator can read; asking again then makes a new run at once. */
static void test_run_that_keeps_stopping_fails(void **state)
{
    struct db *db;
    struct listen_run_lease l;
    char page[96];
    int64_t run, again;
    (void)state;
    snprintf(page, sizeof page, "/listen/%s/analysis", crash_slug);
    run = ask(crash_slug);
    db = worker_db();
    for (int i = 1; i <= LISTEN_ANALYSIS_ATTEMPTS; i++) {
        assert_int_equal(listen_analysis_claim(db, &l), 0);
        assert_int_equal(l.run, run);
        assert_int_equal(l.attempt, i);
        lease_runs_out(run);
    }
    db_close(db);
    /* no worker has looked since: the request itself sets the dead run aside */
    again = ask(crash_slug);
    assert_true(again != run);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE id = $1 AND "
                             "status = 'failed' AND error LIKE 'It was started three times%'",
                             run, 0),
                     1);
    assert_int_equal(tc_get(&fac, page), 200);
    assert_true(tc_body_has(&fac, "failed: It was started three times, and each time the server"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, page) < 2);
    run_worker_once();
    /* and a worker does the same without a request */
    run = ask(crash_slug);
    db = worker_db();
    for (int i = 1; i <= LISTEN_ANALYSIS_ATTEMPTS; i++) {
        assert_int_equal(listen_analysis_claim(db, &l), 0);
        lease_runs_out(run);
    }
    assert_int_equal(listen_analysis_claim(db, &l), APP_E_NOTFOUND);
    db_close(db);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE id = $1 AND "
                             "status = 'failed' AND finished_at > 0",
                             run, 0),
                     1);
}

/* A run given up after its last attempt holds off the automatic analyses for an hour from
 * when it failed, even when it was queued long before (behind a long queue): else new
 * activity would queue the run that keeps stopping servers again at once. */
static void test_given_up_run_holds_off_automatic_runs(void **state)
{
    struct db *db;
    struct listen_run_lease l;
    int64_t run;
    int queued = -1;
    (void)state;
    contribute_texts(crash_slug, LISTEN_ANALYSIS_NEW_CONTRIBUTIONS, "+again");
    /* the failures of the test before are two hours old */
    sql_exec("UPDATE listen_analysis_runs SET created_at = $2, finished_at = $2 WHERE "
             "exercise_id = $1 AND status = 'failed'",
             crash_id, (int64_t)time(NULL) - 7200);
    db = worker_db();
    assert_int_equal(listen_analysis_enqueue_due(db, &queued), 0);
    assert_int_equal(queued, 1);
    run = sql_int("SELECT id FROM listen_analysis_runs WHERE exercise_id = $1 AND "
                  "status = 'queued'",
                  crash_id, 0);
    sql_exec("UPDATE listen_analysis_runs SET created_at = $2 WHERE id = $1", run,
             (int64_t)time(NULL) - 7200);
    for (int i = 1; i <= LISTEN_ANALYSIS_ATTEMPTS; i++) {
        assert_int_equal(listen_analysis_claim(db, &l), 0);
        assert_int_equal(l.run, run);
        lease_runs_out(run);
    }
    assert_int_equal(listen_analysis_claim(db, &l), APP_E_NOTFOUND); /* and gives it up */
    assert_int_equal(listen_analysis_enqueue_due(db, &queued), 0);
    assert_int_equal(queued, 0);
    db_close(db);
}

/* A worker that lost its lease (it stalled, and another took the run over) can neither
 * renew it nor write its result over the run of the one that took over. */
static void test_lost_lease_cannot_finish(void **state)
{
    struct db *db;
    struct listen_run_lease a, b;
    int64_t run;
    (void)state;
    run = ask(crash_slug);
    db = worker_db();
    assert_int_equal(listen_analysis_claim(db, &a), 0);
    assert_int_equal(listen_analysis_renew(db, &a), 0); /* still ours */
    lease_runs_out(run);
    assert_int_equal(listen_analysis_claim(db, &b), 0);
    assert_int_equal(b.run, run);
    assert_int_equal(b.attempt, a.attempt + 1);
    assert_int_equal(listen_analysis_renew(db, &a), APP_E_CONFLICT);
    /* a finishes first: nothing of it is kept, and the run stays b's */
    assert_int_equal(listen_analysis_execute(db, &a), APP_E_CONFLICT);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE id = $1 AND "
                             "status = 'running' AND result = '' AND attempts = $2",
                             run, b.attempt),
                     1);
    assert_int_equal(listen_analysis_execute(db, &b), 0);
    /* and once b has finished, a late a changes nothing either */
    sql_exec("UPDATE listen_analysis_runs SET votes = 12345 WHERE id = $1", run, 0);
    assert_int_equal(listen_analysis_execute(db, &a), APP_E_CONFLICT);
    db_close(db);
    assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE id = $1 AND "
                             "status = 'done' AND votes = 12345 AND attempts = $2",
                             run, b.attempt),
                     1);
}

/* A long analysis renews its lease between phases, so it keeps its run. */
static void test_long_run_renews_its_lease(void **state)
{
    struct db *db = worker_db();
    struct listen_run_lease l;
    int64_t run, before;
    (void)state;
    run = ask(crash_slug);
    assert_int_equal(listen_analysis_claim(db, &l), 0);
    assert_int_equal(l.run, run);
    l.renewed_at -= LISTEN_ANALYSIS_LEASE; /* as if it had been running that long */
    before = (int64_t)time(NULL);
    assert_int_equal(listen_analysis_execute(db, &l), 0);
    assert_true(l.renewed_at >= before);
    db_close(db);
}

/* The database fails at every point of a run in turn, down to the write of its result (a
 * full disk as it finished): nothing half-written is kept, the run stays held until its
 * lease runs out, and then it is taken over and finished. */
static void test_failure_at_any_point_is_taken_over(void **state)
{
    struct db *db;
    struct listen_run_lease l;
    int64_t run;
    long n;
    int rc = -1;
    (void)state;
    for (n = 1; n < 1000; n++) {
        run = ask(crash_slug);
        db = worker_db();
        assert_int_equal(listen_analysis_claim(db, &l), 0);
        db_fault_after(n);
        rc = listen_analysis_execute(db, &l);
        db_fault_after(0);
        db_close(db);
        if (rc == APP_OK)
            break;
        assert_int_equal(rc, APP_E_DB);
        assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE id = $1 AND "
                                 "status = 'running' AND result = '' AND finished_at = 0",
                                 run, 0),
                         1);
        lease_runs_out(run);
        run_worker_once();
        assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE id = $1 AND "
                                 "status = 'done' AND result <> '' AND attempts = 2",
                                 run, 0),
                         1);
    }
    assert_int_equal(rc, APP_OK);
    assert_true(n > 10); /* the faults reached the analysis's reads and its final write */
}

/* Many requests at once, each on its own connection as on several servers (the issue saw
 * 36 make 8 runs): one run. Then as many workers claim at once: one of them gets it. */
#define ASKERS 36
#define ROUNDS 3

struct asker {
    pthread_barrier_t *go;
    int64_t exercise, run;
    bool claim; /* claim the next run instead of asking for one */
    int rc;
};

static void *asker_main(void *arg)
{
    struct asker *a = arg;
    struct db *db = NULL;
    struct listen_run_lease l;
    a->rc = db_open(testapp_db_url(), &db);
    pthread_barrier_wait(a->go);
    if (!a->rc && !a->claim)
        a->rc = listen_analysis_enqueue(db, a->exercise, 0, 0, &a->run);
    else if (!a->rc && (a->rc = listen_analysis_claim(db, &l)) == APP_OK)
        a->run = l.run;
    db_close(db);
    return NULL;
}

/* Runs ASKERS threads at once; they ask for a run of exercise, or claim one. */
static void all_at_once(struct asker as[ASKERS], int64_t exercise, bool claim)
{
    pthread_barrier_t go;
    pthread_t t[ASKERS];
    pthread_barrier_init(&go, NULL, ASKERS);
    for (int i = 0; i < ASKERS; i++) {
        as[i] = (struct asker){.go = &go, .exercise = exercise, .claim = claim, .rc = -1};
        assert_int_equal(pthread_create(&t[i], NULL, asker_main, &as[i]), 0);
    }
    for (int i = 0; i < ASKERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&go);
}

static void test_concurrent_requests_make_one_run(void **state)
{
    (void)state;
    for (int round = 0; round < ROUNDS; round++) {
        struct asker as[ASKERS];
        int64_t run;
        int claimed = 0;
        all_at_once(as, crash_id, false);
        run = as[0].run;
        for (int i = 0; i < ASKERS; i++) {
            assert_int_equal(as[i].rc, 0);
            assert_int_equal(as[i].run, run);
        }
        assert_int_equal(sql_int("SELECT count(*) FROM listen_analysis_runs WHERE exercise_id = "
                                 "$1 AND status IN ('queued', 'running')",
                                 crash_id, 0),
                         1);
        all_at_once(as, crash_id, true);
        for (int i = 0; i < ASKERS; i++) {
            if (as[i].rc == APP_OK) {
                claimed++;
                assert_int_equal(as[i].run, run);
            } else {
                assert_int_equal(as[i].rc, APP_E_NOTFOUND);
            }
        }
        assert_int_equal(claimed, 1);
        assert_int_equal(sql_int("SELECT attempts FROM listen_analysis_runs WHERE exercise_id = "
                                 "$1 AND status = 'running'",
                                 crash_id, 0),
                         1);
        /* out of the way for the next round */
        sql_exec("UPDATE listen_analysis_runs SET status = 'failed' WHERE exercise_id = $1 AND "
                 "status = 'running'",
                 crash_id, 0);
    }
}

/* A database from before leases: of the runs the old enqueue queued twice, the oldest is
 * kept and the others fail with a reason; a run left running is taken over. */
static void test_migration_of_old_runs(void **state)
{
    struct db *db = NULL;
    struct db_stmt *st = NULL;
    int64_t other;
    bool ran;
    int applied = 0;
    (void)state;
    /* its own connection: the schema changes under it */
    assert_int_equal(db_open(testapp_db_url(), &db), 0);
    assert_int_equal(db_exec(db, "DROP INDEX listen_analysis_runs_active; "
                                 "ALTER TABLE listen_analysis_runs DROP COLUMN lease_until; "
                                 "ALTER TABLE listen_analysis_runs DROP COLUMN attempts; "
                                 "DELETE FROM schema_migrations WHERE version = 10"),
                     0);
    assert_int_equal(db_row(db, "SELECT id FROM listen_exercises WHERE slug = $1", &st, "t", slug),
                     0);
    other = db_col_int(st, 0);
    db_finalize(st);
    for (int i = 0; i < 4; i++)
        assert_int_equal(db_run(db,
                                "INSERT INTO listen_analysis_runs (exercise_id, status, k, seed, "
                                "created_at) VALUES ($1, $2, 2, 1, 1)",
                                "it", i < 3 ? crash_id : other, i == 0 ? "running" : "queued"),
                         0);
    assert_int_equal(migrate_up(db, &applied), 0);
    assert_int_equal(applied, 1);
    assert_int_equal(db_row(db,
                            "SELECT count(*), min(status), max(status) FROM listen_analysis_runs "
                            "WHERE exercise_id = $1 AND created_at = 1",
                            &st, "i", crash_id),
                     0);
    assert_int_equal(db_col_int(st, 0), 3);
    assert_string_equal(db_col_text(st, 1), "failed");
    assert_string_equal(db_col_text(st, 2), "running");
    db_finalize(st);
    assert_int_equal(db_row(db,
                            "SELECT count(*) FROM listen_analysis_runs WHERE status = 'failed' "
                            "AND created_at = 1 AND error LIKE 'Not run: another analysis%'",
                            &st, ""),
                     0);
    assert_int_equal(db_col_int(st, 0), 2);
    db_finalize(st);
    /* the one left running, then the other exercise's */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(listen_analysis_run_next(db, &ran), 0);
        assert_true(ran);
    }
    assert_int_equal(db_row(db,
                            "SELECT count(*) FROM listen_analysis_runs WHERE status = 'done' "
                            "AND created_at = 1",
                            &st, ""),
                     0);
    assert_int_equal(db_col_int(st, 0), 2);
    db_finalize(st);
    db_close(db);
}

/* The stored document of a real run, opinion groups included, reads into the structs and
 * writes back as the same text; and what the API shows is that same model. */
static void test_stored_document_round_trips(void **state)
{
    struct db *db = worker_db();
    struct db_stmt *st = NULL;
    struct arena *a = arena_new();
    struct listen_analysis r;
    struct buf text = BUF_INIT;
    json_t *back = NULL;
    int64_t exercise;
    char uri[96];
    (void)state;
    assert_non_null(a);
    assert_int_equal(db_row(db, "SELECT id FROM listen_exercises WHERE slug = $1", &st, "t", slug),
                     0);
    exercise = db_col_int(st, 0);
    db_finalize(st);
    /* forty people in two camps: one agrees on waiting lists and not on training, the other
     * the reverse */
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "rt-%02d", i);
        assert_int_equal(db_run(db,
                                "INSERT INTO listen_participants (exercise_id, pseudonym, "
                                "created_at) VALUES ($1, $2, 1)",
                                "it", exercise, name),
                         0);
    }
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_votes (contribution_id, participant_id, vote, "
                            "created_at, updated_at) SELECT c.id, p.id, CASE WHEN "
                            "(c.body LIKE '%aiting%') = (p.pseudonym < 'rt-20') THEN 1 ELSE -1 "
                            "END, 1, 1 FROM listen_contributions c, listen_participants p "
                            "WHERE c.exercise_id = $1 AND p.exercise_id = $1 "
                            "AND p.pseudonym LIKE 'rt-%'",
                            "i", exercise),
                     0);
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_post_form(&fac, uri, "k=2", 1), 303);
    run_worker_once();
    assert_int_equal(db_row(db,
                            "SELECT result FROM listen_analysis_runs WHERE exercise_id = $1 "
                            "AND status = 'done' ORDER BY id DESC LIMIT 1",
                            &st, "i", exercise),
                     0);
    assert_int_equal(listen_analysis_parse(a, db_col_text(st, 0), db_col_len(st, 0), &r), 0);
    assert_non_null(r.opinion);
    assert_true(r.opinion->has_groups && r.opinion->ngroups >= 2 && r.opinion->nmap > 0);
    assert_true(r.nthemes >= 2 && r.themes[0].nmembers > 0);
    assert_int_equal(listen_analysis_json(&r, &back), 0);
    assert_int_equal(json_dump_callback(back, buf_append_cb, &text, JSON_COMPACT), 0);
    assert_false(buf_oom(&text));
    assert_int_equal(text.len, db_col_len(st, 0));
    assert_memory_equal(text.data, db_col_text(st, 0), text.len);
    db_finalize(st);
    json_decref(back);
    buf_free(&text);
    arena_free(a);
    db_close(db);
}

/* A run stored by the first version of the worker, before members, keys, quotes and the
 * opinion map were added (and with a field since dropped), still reads: on the analysis page,
 * in the API, the report and the actions page. */
static void test_oldest_stored_document_reads(void **state)
{
    static const char old[] =
        "{\"documents\":20,\"k\":2,\"terms\":40,\"coherence\":0.25,\"reconstruction_error\":0.5,"
        "\"themes\":[{\"label\":\"ferry crossings · late\",\"terms\":[\"ferry\",\"late\"],"
        "\"size\":\"10\",\"share\":0.5,\"coherence\":0.2,\"representatives\":[\"The ferry was "
        "late\"]},{\"label\":\"parking\",\"terms\":[\"parking\"],\"size\":\"*\",\"coherence\":"
        "0.1,\"representatives\":[]}],\"opinion\":{\"participants\":\"40\",\"groups\":"
        "[{\"number\":1,\"size\":\"20\",\"statements\":[{\"text\":\"The ferry was late\","
        "\"direction\":\"agree\",\"percent\":90}]}],\"consensus\":[],\"has_groups\":false},"
        "\"contributions\":\"20\"}";
    struct db *db = worker_db();
    struct db_stmt *st = NULL;
    int64_t exercise, run;
    char uri[96];
    (void)state;
    assert_int_equal(db_row(db, "SELECT id FROM listen_exercises WHERE slug = $1", &st, "t", slug),
                     0);
    exercise = db_col_int(st, 0);
    db_finalize(st);
    assert_int_equal(db_run(db,
                            "INSERT INTO listen_analysis_runs (exercise_id, status, k, seed, "
                            "contributions, result, created_at, finished_at) VALUES ($1, 'done', "
                            "2, 1, 20, $2, 3, 4)",
                            "it", exercise, old),
                     0);
    assert_int_equal(db_row(db,
                            "SELECT max(id) FROM listen_analysis_runs WHERE exercise_id = $1 "
                            "AND created_at = 3",
                            &st, "i", exercise),
                     0);
    run = db_col_int(st, 0);
    db_finalize(st);
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "ferry crossings"));
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"size\":10"));
    assert_false(tc_body_has(&fac, "\"share\""));
    snprintf(uri, sizeof uri, "/listen/%s/report", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "ferry crossings"));
    snprintf(uri, sizeof uri, "/listen/%s/actions", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "ferry crossings"));
    /* and a damaged one is a run without themes, not a failure */
    assert_int_equal(db_run(db,
                            "UPDATE listen_analysis_runs SET result = '{\"themes\":[{' "
                            "WHERE id = $1",
                            "i", run),
                     0);
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "ferry crossings"));
    snprintf(uri, sizeof uri, "/listen/%s/actions", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_int_equal(db_run(db, "DELETE FROM listen_analysis_runs WHERE id = $1", "i", run), 0);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_analysis_yet_and_roles),
        cmocka_unit_test(test_queue_run_and_read),
        cmocka_unit_test(test_report_publish),
        cmocka_unit_test(test_runs_on_new_activity),
        cmocka_unit_test(test_curation),
        cmocka_unit_test(test_stopped_run_is_taken_over),
        cmocka_unit_test(test_run_that_keeps_stopping_fails),
        cmocka_unit_test(test_given_up_run_holds_off_automatic_runs),
        cmocka_unit_test(test_lost_lease_cannot_finish),
        cmocka_unit_test(test_long_run_renews_its_lease),
        cmocka_unit_test(test_failure_at_any_point_is_taken_over),
        cmocka_unit_test(test_concurrent_requests_make_one_run),
        cmocka_unit_test(test_stored_document_round_trips),
        cmocka_unit_test(test_oldest_stored_document_reads),
        /* last: it takes the schema back to before leases and forward again */
        cmocka_unit_test(test_migration_of_old_runs),
    };
    return cmocka_run_group_tests_name("http/analysis", tests, setup, teardown);
}
