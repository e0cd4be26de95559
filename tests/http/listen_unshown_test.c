/* listen_unshown_test.c: a contribution rejected after an analysis (or a report) leaves
 * the facilitators' themes.csv, leads to no author through the facilitators' comments.csv,
 * and is quoted nowhere in a published report's files (src/listen/unshown.c, transfer.h).
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
static char open_slug[32], results_slug[32];

static void slug_of(struct db *db, const char *title_like, char out[32])
{
    struct db_stmt *st = NULL;
    assert_int_equal(
        db_row(db, "SELECT slug FROM listen_exercises WHERE title LIKE $1", &st, "t", title_like),
        APP_OK);
    snprintf(out, 32, "%s", db_col_text(st, 0));
    db_finalize(st);
}

static int setup(void **state)
{
    struct db *db;
    struct arena *a;
    struct listen_exercise e;
    int64_t fid, run;
    int created;
    enum listen_run_status status;
    const char *text;
    (void)state;
    app = testapp_new();
    fid = testapp_user(app, "fac@example.test", "facilitator", PW);
    db = db_pool_get(app->pool);
    a = arena_new();
    if (listen_demo(db, fid, &created))
        return -1;
    slug_of(db, "What should the new strategy%", open_slug);
    slug_of(db, "How did the community rehabilitation%", results_slug);
    if (listen_exercise_get(db, a, open_slug, &e) ||
        listen_analysis_run_now(db, a, e.id, 0, &run, &status, &text) || status != LISTEN_RUN_DONE)
        return -1;
    arena_free(a);
    db_pool_put(app->pool, db);
    tc_init(&fac, app);
    tc_init(&anon, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&anon);
    testapp_free(app);
    return 0;
}

/* Rejects contribution id through the moderation route, as a facilitator would. */
static void reject(const char *slug, long long id)
{
    char uri[128];
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", slug, id);
    assert_int_equal(tc_post_form(&fac, uri, "action=reject&reason=names+someone", 1), 303);
}

/* themes.csv (facilitators) leaves out a contribution rejected after the latest analysis. */
static void test_themes_csv_leaves_out_rejected(void **state)
{
    char uri[128], row[48];
    long long id;
    const char *nl;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/export/themes.csv", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    nl = strchr(fac.res.body, '\n');
    assert_non_null(nl);
    id = strtoll(nl + 1, NULL, 10); /* the first comment in a theme */
    assert_true(id > 0);
    reject(open_slug, id);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(row, sizeof row, "\n%lld,", id);
    assert_false(tc_body_has(&fac, row));
}

/* The moderation page shows a rejected text under its id ("Contribution N"), and the
 * facilitators' comments.csv has the row of that id: its author-id is blank, so the text
 * (often rejected because it names someone) leads to none of its author's votes or other
 * contributions. */
static void test_full_copy_does_not_link_rejected_to_author(void **state)
{
    char uri[128], prefix[48];
    long long id;
    const char *nl, *p;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/export/comments.csv", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    nl = strchr(fac.res.body, '\n');
    /* the first row's comment-id (third column) */
    p = strchr(nl + 1, ',');
    p = strchr(p + 1, ',');
    id = strtoll(p + 1, NULL, 10);
    reject(open_slug, id);
    /* its text is on the moderation page under its id */
    snprintf(uri, sizeof uri, "/listen/%s/moderate?filter=rejected", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(prefix, sizeof prefix, "Contribution %lld<", id);
    assert_true(tc_body_has(&fac, prefix));
    /* and its author in the facilitators' comments.csv */
    snprintf(uri, sizeof uri, "/listen/%s/export/comments.csv", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(prefix, sizeof prefix, ",%lld,", id);
    p = strstr(fac.res.body, prefix);
    assert_non_null(p);
    /* author-id follows comment-id: blank */
    assert_true(p[strlen(prefix)] == ',');
}

/* The published report's first quote, as what-we-heard.json gives it (a copy the caller
 * frees), and the id of the contribution it quotes. */
static char *first_quote(long long *id)
{
    char uri[128];
    json_t *doc, *reps;
    char *text;
    struct db *db;
    struct db_stmt *st = NULL;
    snprintf(uri, sizeof uri, "/listen/%s/report/what-we-heard.json", results_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    doc = json_loads(anon.res.body, 0, NULL);
    assert_non_null(doc);
    reps = json_object_get(json_array_get(json_object_get(doc, "themes"), 0), "representatives");
    assert_non_null(json_string_value(json_array_get(reps, 0)));
    text = strdup(json_string_value(json_array_get(reps, 0)));
    json_decref(doc);
    assert_non_null(text);
    db = db_pool_get(app->pool);
    assert_int_equal(
        db_row(db, "SELECT id FROM listen_contributions WHERE body = $1", &st, "t", text), APP_OK);
    *id = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    return text;
}

/* Whether the published what-we-heard.json still holds text. */
static bool report_has(const char *text)
{
    char uri[128];
    snprintf(uri, sizeof uri, "/listen/%s/report/what-we-heard.json", results_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    return tc_body_has(&anon, text);
}

/* A published report's files stop quoting a contribution rejected after the run they come
 * from (what-we-heard.json here; the page, the CSV and the PDF are made from the same model). */
static void test_published_report_drops_rejected(void **state)
{
    long long id;
    char *text = first_quote(&id);
    (void)state;
    reject(results_slug, id);
    assert_false(report_has(text));
    free(text);
}

/* A contribution redacted by hand after the run is no longer quoted in its old words. */
static void test_published_report_drops_old_words(void **state)
{
    char uri[128];
    long long id;
    char *text = first_quote(&id);
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", results_slug, id);
    assert_int_equal(tc_post_form(&fac, uri, "action=redact&text=Said+again+in+other+words", 1),
                     303);
    assert_false(report_has(text));
    free(text);
}

/* The themes of the analysis API's document doc (borrowed). */
static json_t *themes_of(json_t *doc)
{
    return json_object_get(json_object_get(json_object_get(doc, "analysis"), "result"), "themes");
}

/* The ids (at most 400) of every shown contribution of slug that holds word (as a substring:
 * more than the word itself, never less); how many in *n, at least one. */
static void shown_with(const char *slug, const char *word, long long ids[400], size_t *n)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    char pattern[80];
    *n = 0;
    snprintf(pattern, sizeof pattern, "%%%s%%", word);
    assert_int_equal(db_prepare_bind(db,
                                     "SELECT c.id FROM listen_contributions c JOIN "
                                     "listen_exercises e ON e.id = c.exercise_id WHERE "
                                     "e.slug = $1 AND c.status = 'approved' AND c.hidden = 0 AND "
                                     "lower(c.body) LIKE $2",
                                     &st, "tt", slug, pattern),
                     APP_OK);
    while (db_step(st) == DB_ROW && *n < 400)
        ids[(*n)++] = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    assert_true(*n > 0 && *n < 400);
}

/* Rejects every shown contribution of slug that holds word. */
static void reject_all_with(const char *slug, const char *word)
{
    long long ids[400];
    size_t n;
    shown_with(slug, word, ids, &n);
    for (size_t i = 0; i < n; i++)
        reject(slug, ids[i]);
}

/* A word of a theme's terms that only contributions rejected after the run held reads
 * "[word removed]" on the analysis page and its API; a word still written in a shown
 * contribution stays. */
static void test_taken_back_words_leave_the_terms(void **state)
{
    char uri[128], word[64] = "", pattern[80];
    json_t *doc, *terms, *t;
    size_t i, removed = 0;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    assert_non_null(doc);
    /* the last one-word term of the first theme: a word few contributions hold */
    terms = json_object_get(json_array_get(themes_of(doc), 0), "terms");
    json_array_foreach(terms, i, t) if (!strchr(json_string_value(t), ' '))
        snprintf(word, sizeof word, "%s", json_string_value(t));
    json_decref(doc);
    assert_true(word[0] != '\0');
    snprintf(pattern, sizeof pattern, "\"%s\"", word);
    assert_true(tc_body_has(&fac, pattern));
    assert_false(tc_body_has(&fac, "[word removed]"));
    reject_all_with(open_slug, word);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(pattern, sizeof pattern, "\"%s\"", word);
    assert_false(tc_body_has(&fac, pattern));
    assert_true(tc_body_has(&fac, "[word removed]"));
    /* the theme's other words, still in shown contributions, stay */
    doc = json_loads(fac.res.body, 0, NULL);
    terms = json_object_get(json_array_get(themes_of(doc), 0), "terms");
    json_array_foreach(terms, i, t) removed += strstr(json_string_value(t), "[word removed]") != 0;
    assert_true(removed >= 1 && removed < json_array_size(terms));
    json_decref(doc);
    /* the page too */
    snprintf(uri, sizeof uri, "/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "[word removed]"));
}

/* "You said, we did" after publication shows the themes fixed when the report was published:
 * a word of their terms taken back since reads "[word removed]" there too, and every action
 * stays under its theme. */
static void test_taken_back_words_leave_the_fixed_themes(void **state)
{
    char uri[128], word[64] = "", quoted[80];
    json_t *doc, *themes, *t;
    size_t i, with_actions = 0;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions", results_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    doc = json_loads(anon.res.body, 0, NULL);
    assert_non_null(doc);
    themes = json_object_get(doc, "themes");
    json_array_foreach(json_object_get(json_array_get(themes, 0), "terms"), i,
                       t) if (!strchr(json_string_value(t), ' '))
        snprintf(word, sizeof word, "%s", json_string_value(t));
    json_array_foreach(themes, i, t) with_actions += json_array_size(json_object_get(t, "actions"));
    json_decref(doc);
    assert_true(word[0] != '\0');
    assert_true(with_actions > 0);
    snprintf(quoted, sizeof quoted, "\"%s\"", word);
    assert_true(tc_body_has(&anon, quoted));
    reject_all_with(results_slug, word);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_false(tc_body_has(&anon, quoted));
    assert_true(tc_body_has(&anon, "[word removed]"));
    doc = json_loads(anon.res.body, 0, NULL);
    assert_non_null(doc);
    json_array_foreach(json_object_get(doc, "themes"), i, t) with_actions -=
        json_array_size(json_object_get(t, "actions"));
    assert_int_equal(with_actions, 0); /* no action left its theme */
    json_decref(doc);
}

/* Whether body holds word as a whole word anywhere but in a JSON key. */
static bool has_word(const char *body, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(body, word); p; p = strstr(p + 1, word)) {
        char before = p == body ? ' ' : p[-1], after = p[n];
        bool letter_before = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z'),
             letter_after = (after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z');
        if (!letter_before && !letter_after && !(after == '"' && p[n + 1] == ':'))
            return true;
    }
    return false;
}

/* form-urlencodes val into enc. */
static void urlenc(const char *val, char *enc, size_t cap)
{
    size_t k = 0;
    for (const char *p = val; *p && k + 4 < cap; p++) {
        if (*p == ' ')
            enc[k++] = '+';
        else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            enc[k++] = *p;
        else
            k += (size_t)snprintf(enc + k, 4, "%%%02X", (unsigned char)*p);
    }
    enc[k] = '\0';
}

/* A theme split by a facilitator: the next run's themes name it (split_from), and the key
 * the run found each theme by is in the stored run. A word taken back leaves both: the split
 * label is scrubbed, and the key is not shown at all. */
static void test_taken_back_words_leave_split_and_key(void **state)
{
    char uri[128], form[128], word[64] = "";
    json_t *doc, *themes, *t;
    long long run;
    size_t i, big = 0, bigsize = 0;
    bool ran = false, split_seen = false;
    struct db *db;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    assert_non_null(doc);
    run = json_integer_value(
        json_object_get(json_object_get(json_object_get(doc, "analysis"), "run"), "id"));
    themes = themes_of(doc);
    json_array_foreach(themes, i, t)
    {
        size_t size = (size_t)json_array_size(json_object_get(t, "quotes"));
        if (size >= bigsize) {
            bigsize = size;
            big = i;
        }
    }
    json_decref(doc);
    snprintf(form, sizeof form, "action=split&run=%lld&theme=%zu", run, big);
    snprintf(uri, sizeof uri, "/listen/%s/themes", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    db = db_pool_get(app->pool);
    assert_int_equal(listen_analysis_run_next(db, &ran), 0);
    db_pool_put(app->pool, db);
    assert_true(ran);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(tc_body_has(&fac, "\"key\""));
    doc = json_loads(fac.res.body, 0, NULL);
    themes = themes_of(doc);
    json_array_foreach(themes, i,
                       t) if (!word[0] && json_string_value(json_object_get(t, "split_from")))
        sscanf(json_string_value(json_object_get(t, "split_from")), "%63[a-z]", word);
    json_decref(doc);
    assert_true(strlen(word) > 1);
    reject_all_with(open_slug, word);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(has_word(fac.res.body, word));
    doc = json_loads(fac.res.body, 0, NULL);
    themes = themes_of(doc);
    json_array_foreach(themes, i, t) split_seen |=
        json_string_value(json_object_get(t, "split_from")) &&
        strstr(json_string_value(json_object_get(t, "split_from")), "[word removed]");
    json_decref(doc);
    assert_true(split_seen);
}

/* After the report is published the page offers its fixed themes; once a word of one of
 * their labels is taken back, the offer reads "[word removed]", linking an action to it
 * works, and the action's edit form shows no word taken back. Once the word is back, the
 * action is under the theme's whole label again. */
static void test_action_links_to_a_scrubbed_theme(void **state)
{
    char uri[160], form[900], enc[600], label[300] = "", val[300] = "", word[64] = "";
    json_t *doc, *o;
    size_t i, nids = 0;
    long long id, ids[400];
    struct db *db;
    struct db_stmt *st = NULL;
    (void)state;
    snprintf(uri, sizeof uri, "/listen/%s/report/publish", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    json_array_foreach(
        json_object_get(doc, "theme_options"), i,
        o) if (!label[0] && strstr(json_string_value(json_object_get(o, "value")), " \xc2\xb7 ") &&
               !strchr(json_string_value(json_object_get(o, "value")), '['))
        snprintf(label, sizeof label, "%s", json_string_value(json_object_get(o, "value")));
    json_decref(doc);
    assert_int_equal(sscanf(label, "%63[a-z]", word), 1);
    shown_with(open_slug, word, ids, &nids);
    for (i = 0; i < nids; i++)
        reject(open_slug, ids[i]);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(has_word(fac.res.body, word));
    doc = json_loads(fac.res.body, 0, NULL);
    json_array_foreach(
        json_object_get(doc, "theme_options"), i,
        o) if (!val[0] && strstr(json_string_value(json_object_get(o, "value")), "[word removed]"))
        snprintf(val, sizeof val, "%s", json_string_value(json_object_get(o, "value")));
    json_decref(doc);
    assert_true(val[0] != '\0');
    urlenc(val, enc, sizeof enc);
    snprintf(form, sizeof form, "theme=%s&what=Review+the+waits&who=Team&status=planned", enc);
    snprintf(uri, sizeof uri, "/listen/%s/actions", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    db = db_pool_get(app->pool);
    assert_int_equal(db_row(db,
                            "SELECT a.id FROM listen_actions a JOIN listen_exercises e ON "
                            "e.id = a.exercise_id WHERE e.slug = $1 AND a.what = "
                            "'Review the waits'",
                            &st, "t", open_slug),
                     APP_OK);
    id = db_col_int(st, 0);
    db_finalize(st);
    db_pool_put(app->pool, db);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions/%lld/edit", open_slug, id);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "[word removed]"));
    assert_false(has_word(fac.res.body, word));
    /* it stays under its theme on the page */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "earlier_themes")), 0);
    json_decref(doc);
    /* the contributions approved again, the word is back in the label: the action follows it
     * rather than moving to "earlier themes", and its edit form has the theme chosen */
    for (i = 0; i < nids; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", open_slug, ids[i]);
        assert_int_equal(tc_post_form(&fac, uri, "action=approve", 1), 303);
    }
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(has_word(fac.res.body, word));
    doc = json_loads(fac.res.body, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "earlier_themes")), 0);
    json_decref(doc);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions/%lld/edit", open_slug, id);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "action"), "theme")),
                        label);
    json_array_foreach(json_object_get(doc, "theme_options"), i,
                       o) if (json_is_true(json_object_get(o, "selected")))
        assert_string_equal(json_string_value(json_object_get(o, "value")), label);
    json_decref(doc);
}

/* Publishing the exercise deletes what redacted contributions said before; the words the
 * redactions replaced must not come back in the themes then (the runs are written back
 * without them first). */
static void test_publishing_keeps_redacted_words_out(void **state)
{
    char uri[128], form[160], word[64] = "";
    json_t *doc, *t;
    size_t i, nids = 0;
    long long ids[400];
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    doc = json_loads(fac.res.body, 0, NULL);
    json_array_foreach(json_object_get(json_array_get(themes_of(doc), 0), "terms"), i,
                       t) if (!strchr(json_string_value(t), ' ') &&
                              !strchr(json_string_value(t), '['))
        snprintf(word, sizeof word, "%s", json_string_value(t));
    json_decref(doc);
    assert_true(word[0] != '\0');
    shown_with(open_slug, word, ids, &nids);
    for (i = 0; i < nids; i++) {
        snprintf(uri, sizeof uri, "/listen/%s/moderate/%lld", open_slug, ids[i]);
        snprintf(form, sizeof form, "action=redact&text=Said+again+in+other+words+%zu", i);
        assert_int_equal(tc_post_form(&fac, uri, form, 1), 303);
    }
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(has_word(fac.res.body, word));
    snprintf(uri, sizeof uri, "/listen/%s/status", open_slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=closed&confirmed=1", 1), 303);
    assert_int_equal(tc_post_form(&fac, uri, "status=published&confirmed=1", 1), 303);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(has_word(fac.res.body, word));
    assert_true(tc_body_has(&fac, "[word removed]"));
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions", open_slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_false(has_word(fac.res.body, word));
    snprintf(uri, sizeof uri, "/listen/%s/report/what-we-heard.json", open_slug);
    assert_int_equal(tc_get(&anon, uri), 200);
    assert_false(has_word(anon.res.body, word));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes_csv_leaves_out_rejected),
        cmocka_unit_test(test_full_copy_does_not_link_rejected_to_author),
        cmocka_unit_test(test_published_report_drops_rejected),
        cmocka_unit_test(test_published_report_drops_old_words),
        cmocka_unit_test(test_taken_back_words_leave_the_terms),
        cmocka_unit_test(test_taken_back_words_leave_the_fixed_themes),
        cmocka_unit_test(test_taken_back_words_leave_split_and_key),
        cmocka_unit_test(test_action_links_to_a_scrubbed_theme),
        cmocka_unit_test(test_publishing_keeps_redacted_words_out),
    };
    return cmocka_run_group_tests_name("http/listen_unshown", tests, setup, teardown);
}
