/* listen_report_test.c: a published "What we heard" report discloses no exact count — it
 * stays as it was published while people go on taking part and while the facilitators go on
 * editing its themes (no differencing), its opinion map carries no person's point, and its
 * theme chart says what it counts; yet what is withdrawn after publication leaves it.
 * Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/analysis.h"
#include "listen/demo.h"
#include "listen/listen.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac, anon;
static const char *PW = "correct horse battery";
static char open_slug[32];

static int setup(void **state)
{
    struct db *db;
    struct arena *a;
    struct listen_exercise e;
    struct db_stmt *st = NULL;
    int64_t fid, run;
    int created;
    enum listen_run_status status;
    const char *text;
    (void)state;
    app = testapp_new();
    fid = testapp_user(app, "fac@example.test", "facilitator", PW);
    db = db_pool_get(app->pool);
    a = arena_new();
    if (listen_demo(db, fid, &created) ||
        db_row(db,
               "SELECT slug FROM listen_exercises WHERE title LIKE 'What should the new strategy%'",
               &st, ""))
        return -1;
    snprintf(open_slug, sizeof open_slug, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (listen_exercise_get(db, a, open_slug, &e) ||
        listen_analysis_run_now(db, a, e.id, 0, &run, &status, &text) || status != LISTEN_RUN_DONE)
        return -1;
    arena_free(a);
    db_pool_put(app->pool, db);
    tc_init(&fac, app);
    tc_init(&anon, app);
    return tc_login(&fac, "fac@example.test", PW) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

/* A copy of what uri gives a visitor who is not logged in, and its length (the caller
 * frees it). */
static char *public_copy(const char *uri, size_t *len)
{
    char *s;
    assert_int_equal(tc_get(&anon, uri), 200);
    s = malloc(anon.res.len + 1);
    assert_non_null(s);
    memcpy(s, anon.res.body, anon.res.len);
    *len = anon.res.len;
    return s;
}

/* The text of a PDF, as pdftotext -layout reads it (the caller frees it). */
static char *pdf_text(const char *pdf, size_t len)
{
    char path[] = "/tmp/ahphub-report-XXXXXX", cmd[128];
    int fd = mkstemp(path);
    FILE *p;
    char *text = calloc(1, 1 << 20);
    size_t n;
    assert_true(fd >= 0);
    assert_non_null(text);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    snprintf(cmd, sizeof cmd, "pdftotext -layout %s - 2>/dev/null", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(text, 1, (1 << 20) - 1, p);
    text[n] = '\0';
    pclose(p);
    unlink(path);
    return text;
}

/* The "headline" of the public report's JSON, as text (the caller frees it). */
static char *public_headline(void)
{
    char uri[96];
    json_t *m, *h;
    json_error_t err;
    char *s;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    m = json_loadb(anon.res.body, anon.res.len, 0, &err);
    assert_non_null(m);
    h = json_object_get(m, "headline");
    assert_non_null(h);
    s = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(m);
    assert_non_null(s);
    return s;
}

/* n new people take part: each writes a contribution and votes on a shown one. */
static void take_part(int n)
{
    char uri[96], form[160];
    int64_t prompt = testapp_int(app,
                                 "SELECT MIN(p.id) FROM listen_prompts p JOIN listen_exercises e "
                                 "ON e.id = p.exercise_id WHERE e.slug = $1",
                                 open_slug);
    int64_t shown = testapp_int(app,
                                "SELECT MIN(c.id) FROM listen_contributions c JOIN "
                                "listen_exercises e ON e.id = c.exercise_id WHERE e.slug = $1 "
                                "AND c.status = 'approved' AND c.hidden = 0",
                                open_slug);
    for (int i = 0; i < n; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", open_slug);
        tc_get(&v, uri); /* the CSRF cookie */
        snprintf(uri, sizeof uri, "/listen/%s/contribute", open_slug);
        snprintf(form, sizeof form, "prompt=%lld&text=More+time+for+supervision+number+%d",
                 (long long)prompt, i);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        snprintf(uri, sizeof uri, "/listen/%s/vote", open_slug);
        snprintf(form, sizeof form, "contribution=%lld&vote=agree", (long long)shown);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
}

/* The published report stays as published while people go on taking part: its headline in
 * the API, what-we-heard.json, the page, the CSV and the PDF. Publishing again counts
 * afresh. */
static void test_published_report_does_not_move(void **state)
{
    static const char *const files[] = {"what-we-heard.json", "what-we-heard.csv",
                                        "opinion-groups.csv", "what-we-heard.pdf"};
    char uri[128], *before, *after, *copies[4], *page;
    size_t lens[4], page_len;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    before = public_headline();
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    page = public_copy(uri, &page_len);
    for (size_t i = 0; i < 4; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/report/%s", open_slug, files[i]);
        copies[i] = public_copy(uri, &lens[i]);
    }
    take_part(12);
    after = public_headline();
    assert_string_equal(after, before);
    free(after);
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_int_equal(anon.res.len, page_len);
    assert_memory_equal(anon.res.body, page, anon.res.len);
    for (size_t i = 0; i < 4; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/report/%s", open_slug, files[i]);
        assert_int_equal(tc_get(&anon, uri), 200);
        if (!strcmp(files[i], "what-we-heard.pdf")) {
            /* the PDF carries the moment it was made: its words must be the same */
            char *now = pdf_text(anon.res.body, anon.res.len), *then = pdf_text(copies[i], lens[i]);
            assert_true(strlen(then) > 100);
            assert_string_equal(now, then);
            free(now);
            free(then);
        } else {
            assert_int_equal(anon.res.len, lens[i]);
            assert_memory_equal(anon.res.body, copies[i], lens[i]);
        }
        free(copies[i]);
    }
    free(page);
    /* publishing again fixes the counts of now */
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    after = public_headline();
    assert_string_not_equal(after, before);
    free(after);
    free(before);
}

/* Rounded numbers are worded as rounded: the report says "about 10" where the published
 * count is 10 (from 8 to 12 contributions), never "the 10 contributions"; the facilitators'
 * analysis page says which of its numbers are exact and which rounded. */
static void test_rounded_numbers_are_worded_so(void **state)
{
    char uri[128];
    const char *p;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "We grouped ");
    assert_non_null(p);
    p += strlen("We grouped ");
    if (!(p[0] == '*' || !strncmp(p, "about ", 6)))
        fail_msg("report says: %.60s", p - strlen("We grouped "));
    assert_false(tc_body_has(&fac, "We grouped the "));
    /* a theme's size and the people placed are rounded too */
    for (p = fac.res.body; (p = strstr(p, " contributions.")); p++) {
        const char *q = p;
        while (q > fac.res.body && q[-1] >= '0' && q[-1] <= '9')
            q--;
        if (q < p && q[-1] == '>') /* "<p>10 contributions." */
            fail_msg("a theme's rounded size worded as exact: %.40s", q - 3);
    }
    /* and so in the PDF */
    snprintf(uri, sizeof uri, "/listen/%s/report/what-we-heard.pdf", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    {
        char *text = pdf_text(fac.res.body, fac.res.len);
        size_t rounded = 0;
        for (p = text; (p = strstr(p, " contributions.")); p++) {
            const char *q = p;
            while (q > text && q[-1] >= '0' && q[-1] <= '9')
                q--;
            if (q == p || (q > text && q[-1] != ' ' && q[-1] != '\n'))
                continue;
            if (q - text < 6 || strncmp(q - 6, "About ", 6))
                fail_msg("the PDF words a rounded size as exact: %.40s", q);
            rounded++;
        }
        assert_true(rounded > 0);
        free(text);
    }
    snprintf(uri, sizeof uri, "/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "The numbers of contributions analysed are exact"));
    assert_true(tc_body_has(&fac, "shown as the published report shows them"));
    p = strstr(fac.res.body, "and the votes of ");
    if (p) {
        p += strlen("and the votes of ");
        if (!(p[0] == '*' || !strncmp(p, "about ", 6)))
            fail_msg("analysis says: %.60s", p - strlen("and the votes of "));
    }
}

/* How many times needle occurs in [s, end). */
static size_t count_in(const char *s, const char *end, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = s; p && p + len <= end && (p = strstr(p, needle)) && p + len <= end;
         p += len)
        n++;
    return n;
}

/* The public report's opinion map carries nobody's point: the JSON (API and
 * what-we-heard.json) gives each group a region, not a map of people, and the page draws a
 * shape per group, not a mark per person, with the published size in the legend. */
static void test_opinion_map_has_no_people(void **state)
{
    char uri[128];
    const char *svg, *end;
    json_t *m, *groups, *g;
    json_error_t err;
    size_t i, regions = 0;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    for (int f = 0; f < 2; f++) {
        snprintf(uri, sizeof uri,
                 f ? "/listen/%s/report/what-we-heard.json" : "/api/v1/listen/%s/report",
                 open_slug);
        assert_int_equal(tc_get(&anon, uri), 200);
        m = json_loadb(anon.res.body, anon.res.len, 0, &err);
        assert_non_null(m);
        assert_true(json_is_true(json_object_get(json_object_get(m, "opinion"), "has_groups")));
        assert_null(json_object_get(json_object_get(m, "opinion"), "map"));
        groups = json_object_get(json_object_get(m, "opinion"), "groups");
        regions = 0;
        json_array_foreach(groups, i, g)
        {
            const json_t *r = json_object_get(g, "region");
            if (!r)
                continue;
            regions++;
            assert_true(json_is_number(json_object_get(r, "rx")));
            assert_true(json_is_number(json_object_get(r, "angle")));
        }
        assert_true(regions >= 2);
        json_decref(m);
    }
    /* the page: one ellipse per group, its size as published, and no mark per person */
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    svg = strstr(anon.res.body, "id=\"opinion-map-title\"");
    assert_non_null(svg);
    end = strstr(svg, "</svg>");
    assert_non_null(end);
    assert_int_equal(count_in(svg, end, "<ellipse"), regions);
    assert_true(count_in(svg, end, "<circle") <= 2); /* group 1's mark: legend and centre */
    assert_true(count_in(svg, end, "<path") <= 2 * regions);
    assert_non_null(strstr(svg, "Group 1: "));
    assert_true(strstr(svg, "Group 1: ") < end);
    assert_true(testapp_tidy(anon.res.body, anon.res.len, uri) < 2);
}

/* The JSON document uri gives client tc (the caller decrefs it). */
static json_t *get_json(struct test_client *tc, const char *uri)
{
    json_error_t err;
    json_t *doc;
    assert_int_equal(tc_get(tc, uri), 200);
    doc = json_loadb(tc->res.body, tc->res.len, 0, &err);
    assert_non_null(doc);
    return doc;
}

/* The report's JSON (API) as tc reads it: the published one, or a facilitator's draft. */
static json_t *report_json(struct test_client *tc)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/report", open_slug);
    return get_json(tc, uri);
}

/* The report's theme labelled label, or NULL. */
static json_t *theme_labelled(const json_t *report, const char *label)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(report, "themes"), i, t)
    {
        if (!strcmp(json_string_value(json_object_get(t, "label")), label))
            return t;
    }
    return NULL;
}

/* Whether the report's theme labelled label leads with contribution id, pinned. */
static bool pins(const json_t *report, const char *label, int64_t id)
{
    const json_t *t = theme_labelled(report, label), *p;
    size_t i;
    assert_non_null(t);
    json_array_foreach(json_object_get(t, "pinned"), i, p)
    {
        if (json_integer_value(json_object_get(p, "id")) == id)
            return true;
    }
    return false;
}

/* One change to theme `theme` of run `run`, as the facilitators' analysis page sends it. */
static void edit_theme(int64_t run, size_t theme, const char *change)
{
    char uri[96], form[256];
    snprintf(uri, sizeof uri, "/listen/%s/themes", open_slug);
    snprintf(form, sizeof form, "run=%lld&theme=%zu&%s", (long long)run, theme, change);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
}

static void publish(void)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
}

/* Whether one contribution of all the exercises reads text, and no other does (so a report
 * that holds text quotes that one). */
static bool unique_text(const char *text)
{
    return testapp_int(app, "SELECT COUNT(*) FROM listen_contributions WHERE body = $1", text) == 1;
}

/* Every public copy of the published report: the page, the API's JSON, the downloads (the
 * PDF as its text, as it carries the moment it was made). */
#define NCOPIES 6
struct copies {
    char *body[NCOPIES];
    size_t len[NCOPIES];
};
static const char *const copy_paths[NCOPIES] = {"",
                                                "/api",
                                                "/what-we-heard.json",
                                                "/what-we-heard.csv",
                                                "/opinion-groups.csv",
                                                "/what-we-heard.pdf"};

static void copy_uri(char *uri, size_t cap, size_t i)
{
    if (!strcmp(copy_paths[i], "/api"))
        snprintf(uri, cap, "/api/v1/listen/%s/report", open_slug);
    else
        snprintf(uri, cap, "/listen/%s/report%s", open_slug, copy_paths[i]);
}

static void copies_take(struct copies *c)
{
    char uri[128];
    for (size_t i = 0; i < NCOPIES; i++) {
        copy_uri(uri, sizeof uri, i);
        if (i == NCOPIES - 1) {
            assert_int_equal(tc_get(&anon, uri), 200);
            c->body[i] = pdf_text(anon.res.body, anon.res.len);
            c->len[i] = strlen(c->body[i]);
            assert_true(c->len[i] > 100);
        } else {
            c->body[i] = public_copy(uri, &c->len[i]);
        }
    }
}

/* Every public copy is byte for byte what it was (the PDF word for word). */
static void copies_same(const struct copies *c)
{
    struct copies now;
    copies_take(&now);
    for (size_t i = 0; i < NCOPIES; i++) {
        if (now.len[i] != c->len[i] || memcmp(now.body[i], c->body[i], c->len[i]) != 0)
            fail_msg("the published report%s changed", copy_paths[i]);
        free(now.body[i]);
    }
}

static void copies_free(struct copies *c)
{
    for (size_t i = 0; i < NCOPIES; i++)
        free(c->body[i]);
}

static int64_t pinned_later; /* pinned after the first publication, published the second */
static char renamed[] = "Listened to as people";

/* A published report keeps the edits to its themes in force when it was published: a rename,
 * a theme hidden, a hidden theme merged into a shown one (which would count the shown one
 * again with the hidden one's members, and give the hidden one's size away), a quote pinned
 * or unpinned after publication change the draft, not one byte of the page, the API, the
 * JSON, the CSVs or the PDF. Publishing again publishes them. */
static void test_published_report_keeps_its_edits(void **state)
{
    char uri[96], hidden_label[200], shown_label[200], merge_into[32];
    json_t *analysis, *themes, *published, *draft, *t;
    int64_t run, pinned_first = 0;
    size_t n, i;
    struct copies before;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    analysis = get_json(&fac, uri);
    run = json_integer_value(
        json_object_get(json_object_get(json_object_get(analysis, "analysis"), "run"), "id"));
    themes =
        json_object_get(json_object_get(json_object_get(analysis, "analysis"), "result"), "themes");
    n = json_array_size(themes);
    assert_true(n >= 4);
    /* two quotes of the first theme, each the words of one contribution only */
    json_array_foreach(json_object_get(json_array_get(themes, 0), "quotes"), i, t)
    {
        int64_t id = json_integer_value(json_object_get(t, "id"));
        if (id <= 0 || !unique_text(json_string_value(json_object_get(t, "text"))))
            continue;
        if (!pinned_first)
            pinned_first = id;
        else if (!pinned_later)
            pinned_later = id;
    }
    assert_true(pinned_first > 0 && pinned_later > 0);
    /* the last theme is hidden and the first has a quote pinned; then it is published */
    snprintf(hidden_label, sizeof hidden_label, "%s",
             json_string_value(json_object_get(json_array_get(themes, n - 1), "label")));
    snprintf(shown_label, sizeof shown_label, "%s",
             json_string_value(json_object_get(json_array_get(themes, n - 2), "label")));
    edit_theme(run, n - 1, "action=hide");
    snprintf(uri, sizeof uri, "action=pin&contribution=%lld", (long long)pinned_first);
    edit_theme(run, 0, uri);
    publish();
    published = report_json(&anon);
    assert_null(theme_labelled(published, hidden_label));
    assert_non_null(theme_labelled(published, shown_label));
    copies_take(&before);

    /* after publication: renamed, another hidden, the hidden one merged into a shown one,
     * the pin moved to another quote */
    edit_theme(run, 0, "action=rename&label=Listened+to+as+people");
    edit_theme(run, 1, "action=hide");
    snprintf(merge_into, sizeof merge_into, "action=merge&into=%zu", n - 2);
    edit_theme(run, n - 1, merge_into);
    snprintf(uri, sizeof uri, "action=unpin&contribution=%lld", (long long)pinned_first);
    edit_theme(run, 0, uri);
    snprintf(uri, sizeof uri, "action=pin&contribution=%lld", (long long)pinned_later);
    edit_theme(run, 0, uri);
    copies_same(&before);

    /* the facilitators' draft has them all */
    draft = report_json(&fac);
    assert_true(json_is_true(json_object_get(draft, "is_draft")));
    assert_non_null(theme_labelled(draft, renamed));
    assert_null(theme_labelled(published, renamed));
    assert_null(theme_labelled(
        draft, json_string_value(json_object_get(json_array_get(themes, 1), "label"))));
    assert_true(pins(draft, renamed, pinned_later));
    assert_false(pins(draft, renamed, pinned_first));
    /* the merge counts the shown theme again, with the hidden one's members: a figure that
     * moved in the published report would have given the hidden one's size away */
    assert_false(json_equal(json_object_get(theme_labelled(draft, shown_label), "size"),
                            json_object_get(theme_labelled(published, shown_label), "size")));
    snprintf(uri, sizeof uri, "/listen/%s/report", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Publish this report"));
    assert_true(tc_body_has(&fac, "the public still sees the report published"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    /* the facilitators' page says when the changes reach the public */
    snprintf(uri, sizeof uri, "/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "in the published report from the next time you publish it"));

    /* publishing again publishes the draft's themes */
    publish();
    json_decref(published);
    published = report_json(&anon);
    assert_non_null(theme_labelled(published, renamed));
    assert_true(pins(published, renamed, pinned_later));
    assert_false(pins(published, renamed, pinned_first));
    assert_true(json_equal(json_object_get(theme_labelled(draft, shown_label), "size"),
                           json_object_get(theme_labelled(published, shown_label), "size")));
    json_decref(draft);
    /* and the facilitators see it as published, not a draft: nothing more to publish */
    draft = report_json(&fac);
    assert_false(json_is_true(json_object_get(draft, "is_draft")));
    json_decref(draft);
    json_decref(published);
    json_decref(analysis);
    copies_free(&before);
}

/* Withdraws contribution id as its author would. */
static void withdraw(int64_t id)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    assert_int_equal(
        db_row(db, "SELECT participant_id FROM listen_contributions WHERE id = $1", &st, "i", id),
        APP_OK);
    assert_int_equal(listen_withdraw(db, db_col_int(st, 0), id), APP_OK);
    db_finalize(st);
    db_pool_put(app->pool, db);
}

/* What is withdrawn after publication leaves the published report, quoted or pinned: the
 * edits are fixed, what they quote is not. */
static void test_withdrawn_leaves_the_published_report(void **state)
{
    static const char *const files[] = {"what-we-heard.json", "what-we-heard.csv"};
    json_t *published = report_json(&anon), *t, *q;
    char *quoted = NULL, *pinned = NULL, uri[128];
    int64_t quoted_id = 0;
    size_t i, k;
    (void)state;
    assert_true(pinned_later > 0); /* test_published_report_keeps_its_edits pinned it */
    assert_true(pins(published, renamed, pinned_later));
    /* a quote of the published report, the words of one contribution only, not the pinned */
    json_array_foreach(json_object_get(published, "themes"), i, t)
    {
        json_array_foreach(json_object_get(t, "quotes_citizens"), k, q)
        {
            if (!quoted && unique_text(json_string_value(q))) {
                int64_t id = testapp_int(app, "SELECT id FROM listen_contributions WHERE body = $1",
                                         json_string_value(q));
                if (id != pinned_later) {
                    quoted = strdup(json_string_value(q));
                    quoted_id = id;
                }
            }
        }
    }
    assert_non_null(quoted);
    json_array_foreach(json_object_get(theme_labelled(published, renamed), "pinned"), i, q)
    {
        if (json_integer_value(json_object_get(q, "id")) == pinned_later)
            pinned = strdup(json_string_value(json_object_get(q, "text")));
    }
    assert_non_null(pinned);
    json_decref(published);
    withdraw(quoted_id);
    withdraw(pinned_later);
    /* gone from the API, the JSON and the CSV of the published report, which stays published */
    published = report_json(&anon);
    assert_false(json_is_true(json_object_get(published, "is_draft")));
    assert_false(pins(published, renamed, pinned_later));
    assert_true(tc_body_has(&anon, renamed));
    assert_false(tc_body_has(&anon, quoted));
    assert_false(tc_body_has(&anon, pinned));
    json_decref(published);
    for (i = 0; i < 2; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/report/%s", open_slug, files[i]);
        assert_int_equal(tc_get(&anon, uri), 200);
        assert_true(tc_body_has(&anon, renamed));
        assert_false(tc_body_has(&anon, quoted));
        assert_false(tc_body_has(&anon, pinned));
    }
    /* nothing the facilitators changed: still no draft */
    published = report_json(&fac);
    assert_false(json_is_true(json_object_get(published, "is_draft")));
    json_decref(published);
    free(quoted);
    free(pinned);
}

/* A report published before its edits were kept (edits_json '') takes the edits in force at
 * its first reading, keeps them, and stays so while they change. */
static void test_report_published_before_edits_were_kept(void **state)
{
    struct db *db = db_pool_get(app->pool);
    char uri[96];
    json_t *analysis, *published;
    int64_t run;
    (void)state;
    assert_int_equal(db_run(db,
                            "UPDATE listen_reports SET edits_json = '' WHERE exercise_id = "
                            "(SELECT id FROM listen_exercises WHERE slug = $1)",
                            "t", open_slug),
                     APP_OK);
    db_pool_put(app->pool, db);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    analysis = get_json(&fac, uri);
    run = json_integer_value(
        json_object_get(json_object_get(json_object_get(analysis, "analysis"), "run"), "id"));
    json_decref(analysis);
    edit_theme(run, 0, "action=rename&label=Named+before+the+first+reading");
    /* the first reading: the edits in force, kept */
    published = report_json(&anon);
    assert_non_null(theme_labelled(published, "Named before the first reading"));
    json_decref(published);
    assert_int_equal(testapp_int(app,
                                 "SELECT COUNT(*) FROM listen_reports r JOIN listen_exercises e ON "
                                 "e.id = r.exercise_id WHERE e.slug = $1 AND r.edits_json <> ''",
                                 open_slug),
                     1);
    /* then fixed: a later rename is the draft's */
    edit_theme(run, 0, "action=rename&label=Named+after+the+first+reading");
    published = report_json(&anon);
    assert_non_null(theme_labelled(published, "Named before the first reading"));
    assert_null(theme_labelled(published, "Named after the first reading"));
    json_decref(published);
    published = report_json(&fac);
    assert_true(json_is_true(json_object_get(published, "is_draft")));
    assert_non_null(theme_labelled(published, "Named after the first reading"));
    json_decref(published);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounded_numbers_are_worded_so),
        cmocka_unit_test(test_published_report_does_not_move),
        cmocka_unit_test(test_opinion_map_has_no_people),
        cmocka_unit_test(test_published_report_keeps_its_edits),
        cmocka_unit_test(test_withdrawn_leaves_the_published_report),
        cmocka_unit_test(test_report_published_before_edits_were_kept),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
