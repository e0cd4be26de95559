/* analysis_test.c: an exercise's themes and opinion groups, queued from the page and run by the
 * worker's function, then read back — with the disclosure rule on every count of people
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

#include "listen/analysis.h"
#include "store/db.h"
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
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

static void run_worker_once(void)
{
    struct db *db = db_pool_get(app->pool);
    bool ran = false;
    assert_int_equal(listen_analysis_run_next(db, &ran), 0);
    assert_true(ran);
    db_pool_put(app->pool, db);
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
    json_t *latest = NULL, *themes, *th, *m;
    int64_t exercise = 0;
    size_t t, i, best[2] = {0, 0}, count[8][2] = {{0}}, planted = 0;
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
    assert_int_equal(listen_analysis_latest(db, exercise, &latest), 0);
    db_pool_put(app->pool, db);
    themes = json_object_get(json_object_get(latest, "result"), "themes");
    assert_true(json_array_size(themes) >= 2 && json_array_size(themes) <= 8);
    json_array_foreach(themes, t, th)
    {
        json_array_foreach(json_object_get(th, "members"), i, m)
        {
            int64_t id = (int64_t)json_integer_value(json_array_get(m, 0));
            for (size_t k = 0; k < nids; k++)
                if (ids[k] == id && topic[k] >= 0)
                    count[t][topic[k]]++;
        }
    }
    for (int k = 0; k < 2; k++)
        for (t = 1; t < json_array_size(themes); t++)
            if (count[t][k] > count[best[k]][k])
                best[k] = t;
    for (int k = 0; k < 2; k++) {
        const char *label =
            json_string_value(json_object_get(json_array_get(themes, best[k]), "label"));
        /* and the theme is named for its topic */
        separated &= best[0] != best[1] && count[best[k]][k] >= TOPIC_SIZE - 1 &&
                     count[best[k]][1 - k] <= 1 && label && strstr(label, topic_word[k]);
        if (!separated)
            fprintf(stderr, "topic %d: %zu of %zu in theme %zu (\"%s\"), with %zu of the other\n",
                    k, count[best[k]][k], TOPIC_SIZE, best[k], label ? label : "",
                    count[best[k]][1 - k]);
    }
    json_decref(latest);
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
    /* the words appear, and the themes they name really split the two topics */
    assert_topics_separated();
    {
        char api[96];
        snprintf(api, sizeof api, "/api/v1/listen/%s/analysis", slug);
        assert_int_equal(tc_get(&fac, api), 200);
        /* 8 contributions and themes of 4: counts of 1-7 never appear, only "*" */
        assert_true(tc_body_has(&fac, "\"contributions\":\"10\""));
        assert_true(tc_body_has(&fac, "\"size\":\"*\""));
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
    assert_true(tc_body_has(&anon, "<svg"));
    assert_false(tc_body_has(&anon, "Publish this report"));
    assert_true(testapp_tidy(anon.res.body, anon.res.len, uri) < 2);
    /* 8 contributions: every count of people is "*" or a rounded number, never 1-7 */
    snprintf(api, sizeof api, "/api/v1/listen/%s/report", slug);
    assert_int_equal(tc_get(&anon, api), 200);
    assert_true(tc_body_has(&anon, "\"not_said\":\"10\""));
    assert_true(tc_body_has(&anon, "\"contributions\":\"10\""));
    assert_true(tc_body_has(&anon, "\"size\":\"*\""));
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
        unlink(path);
        (void)f;
        assert_non_null(strstr(text, "What we heard: Analysis test"));
        assert_non_null(strstr(text, "Contents"));
        assert_non_null(strstr(text, "Who took part"));
        assert_non_null(strstr(text, "waiting"));
        assert_non_null(strstr(text, "Page 2 of"));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_analysis_yet_and_roles),
        cmocka_unit_test(test_queue_run_and_read),
        cmocka_unit_test(test_report_publish),
        cmocka_unit_test(test_runs_on_new_activity),
        cmocka_unit_test(test_curation),
    };
    return cmocka_run_group_tests_name("http/analysis", tests, setup, teardown);
}
