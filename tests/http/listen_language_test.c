/* listen_language_test.c: an exercise's language — set on the form and through the API, bad
 * tags refused with the field named and nothing changed, marked as lang on what people wrote,
 * carried by the exports, and followed by the theme analysis (a German exercise gets German
 * themes, not German stop words)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "listen/analysis.h"
#include "listen/transfer.h"
#include "store/db.h"
#include "support/testapp.h"
#include "text/language.h"
#include "text/vocab.h"

static struct app *app;
static struct test_client fac;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    tc_init(&fac, app);
    return tc_login(&fac, "fac@example.test", PW) == 303 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

/* The stored language of the exercise slug, in buf. */
static const char *stored(const char *slug, char *buf, size_t n)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    buf[0] = '\0';
    if (db_row(db, "SELECT language FROM listen_exercises WHERE slug = $1", &st, "t", slug) == 0)
        snprintf(buf, n, "%s", db_col_text(st, 0));
    db_finalize(st);
    db_pool_put(app->pool, db);
    return buf;
}

#define FORM "title=Wohnen&audience_citizen=1&moderation=post&flag_threshold=3&prompts=Was+fehlt"

/* Creates an exercise through the page with the given language field ("" for none), opens
 * it, and writes its slug. */
static void create_on_page(const char *lang, char *slug, size_t n)
{
    char form[256], uri[96];
    const char *loc;
    snprintf(form, sizeof form, FORM "%s%s", *lang ? "&language=" : "", lang);
    assert_int_equal(tc_post_form(&fac, "/listen/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    snprintf(slug, n, "%s", loc + 8);
    snprintf(uri, sizeof uri, "/listen/%s/status", slug);
    assert_int_equal(tc_post_form(&fac, uri, "status=open", 1), 303);
}

static void test_form_and_page(void **state)
{
    char slug[32], buf[32], uri[96];
    (void)state;
    /* the form offers the languages, English chosen for a new exercise */
    assert_int_equal(tc_get(&fac, "/listen/new"), 200);
    assert_true(tc_body_has(&fac, "<option value=\"en\" selected>English</option>"));
    assert_true(tc_body_has(&fac, "<option value=\"de\">German</option>"));
    assert_true(tc_body_has(&fac, "<option value=\"cy\">Welsh</option>"));
    /* a bad code: the form again, the field named, what was typed kept, nothing created */
    assert_int_equal(tc_post_form(&fac, "/listen/new", FORM "&language=deutsch", 1), 400);
    assert_true(tc_body_has(&fac, "Select a language from the list"));
    assert_true(tc_body_has(&fac, "href=\"#language\""));
    assert_true(tc_body_has(&fac, "value=\"Wohnen\""));
    assert_int_equal(testapp_int(app, "SELECT count(*) FROM listen_exercises", NULL), 0);
    /* no field (an older form): English */
    create_on_page("", slug, sizeof slug);
    assert_string_equal(stored(slug, buf, sizeof buf), "en");
    /* German, as chosen */
    create_on_page("de", slug, sizeof slug);
    assert_string_equal(stored(slug, buf, sizeof buf), "de");
    snprintf(uri, sizeof uri, "/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "<dd class=\"nhsuk-summary-list__value\">German</dd>"));
    /* the edit form shows it chosen */
    snprintf(uri, sizeof uri, "/listen/%s/edit", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "<option value=\"de\" selected>German</option>"));
    assert_false(tc_body_has(&fac, "<option value=\"en\" selected>"));
    /* edited on the page, with a region: kept as the canonical tag, offered as itself */
    assert_int_equal(tc_post_form(&fac, uri, FORM "&language=de_at", 1), 303);
    assert_string_equal(stored(slug, buf, sizeof buf), "de-AT");
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "<option value=\"de-AT\" selected>German (de-AT)</option>"));
    assert_true(tc_body_has(&fac, "<option value=\"de\">German</option>"));
    /* a bad code on edit changes nothing */
    assert_int_equal(tc_post_form(&fac, uri, FORM "&language=xx", 1), 400);
    assert_true(tc_body_has(&fac, "Select a language from the list"));
    assert_string_equal(stored(slug, buf, sizeof buf), "de-AT");
}

static void test_api(void **state)
{
    char slug[32], buf[32], uri[96];
    const char *p;
    (void)state;
    assert_int_equal(tc_post_json(&fac, "/api/v1/listen/new",
                                  "{\"title\":\"Santé\",\"audience_citizen\":true,"
                                  "\"moderation\":\"post\",\"flag_threshold\":3,"
                                  "\"prompts\":\"Q\",\"language\":\"klingon\"}"),
                     400);
    assert_true(tc_body_has(&fac, "\"language\""));
    assert_true(tc_body_has(&fac, "a language code such as en, de or de-AT"));
    assert_int_equal(tc_post_json(&fac, "/api/v1/listen/new",
                                  "{\"title\":\"Santé\",\"audience_citizen\":true,"
                                  "\"moderation\":\"post\",\"flag_threshold\":3,"
                                  "\"prompts\":\"Q\",\"language\":\"FR-ca\"}"),
                     201);
    p = strstr(fac.res.body, "\"slug\":\"");
    assert_non_null(p);
    snprintf(slug, sizeof slug, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
    assert_string_equal(stored(slug, buf, sizeof buf), "fr-CA");
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"language\":\"fr-CA\""));
    assert_true(tc_body_has(&fac, "\"language_name\":\"French\""));
    /* edit without the field: unchanged; with one: changed; a bad one: refused, unchanged */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/edit", slug);
    assert_int_equal(tc_post_json(&fac, uri,
                                  "{\"title\":\"Santé\",\"audience_citizen\":true,"
                                  "\"moderation\":\"post\",\"flag_threshold\":3,"
                                  "\"prompts\":\"Q\"}"),
                     200);
    assert_string_equal(stored(slug, buf, sizeof buf), "fr-CA");
    assert_int_equal(tc_post_json(&fac, uri,
                                  "{\"title\":\"Salud\",\"audience_citizen\":true,"
                                  "\"moderation\":\"post\",\"flag_threshold\":3,"
                                  "\"prompts\":\"Q\",\"language\":\"es\"}"),
                     200);
    assert_string_equal(stored(slug, buf, sizeof buf), "es");
    assert_int_equal(tc_post_json(&fac, uri,
                                  "{\"title\":\"Salud\",\"audience_citizen\":true,"
                                  "\"moderation\":\"post\",\"flag_threshold\":3,"
                                  "\"prompts\":\"Q\",\"language\":\"es-\"}"),
                     400);
    assert_true(tc_body_has(&fac, "\"language\""));
    assert_string_equal(stored(slug, buf, sizeof buf), "es");
}

/* Made-up German answers on two subjects. */
static const char *const answers[] = {
    "Die+Wohnungen+sind+viel+zu+teuer+und+die+Mieten+steigen+jedes+Jahr",
    "Leistbare+Wohnungen+f%C3%BCr+Familien%2C+die+Mieten+sind+zu+hoch",
    "Es+gibt+zu+wenige+Wohnungen+und+die+Miete+ist+f%C3%BCr+uns+nicht+leistbar",
    "Die+Miete+f%C3%BCr+eine+kleine+Wohnung+ist+in+der+Stadt+nicht+mehr+zu+bezahlen",
    "Wir+brauchen+mehr+Wohnungen+mit+einer+leistbaren+Miete",
    "Alte+Geb%C3%A4ude+sollten+saniert+werden%2C+damit+sie+weniger+Energie+brauchen",
    "Die+Sanierung+der+Geb%C3%A4ude+muss+gef%C3%B6rdert+werden%2C+die+Energie+ist+teuer",
    "Bei+der+Sanierung+alter+Geb%C3%A4ude+kann+man+viel+Energie+sparen",
    "Die+F%C3%B6rderung+f%C3%BCr+die+Sanierung+von+Geb%C3%A4uden+ist+zu+gering",
    "Geb%C3%A4ude+mit+Solaranlagen+und+D%C3%A4mmung+sparen+Energie+und+Geld",
};

static void test_german_exercise_themes(void **state)
{
    char slug[32], uri[96], form[256];
    const char *p, *text;
    int64_t prompt;
    size_t len;
    struct stopwords *de = NULL;
    bool ran = false;
    (void)state;
    create_on_page("de", slug, sizeof slug);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    prompt = atoll(p + 17);
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        struct test_client v;
        tc_init(&v, app);
        snprintf(uri, sizeof uri, "/listen/%s", slug);
        tc_get(&v, uri);
        snprintf(uri, sizeof uri, "/listen/%s/contribute", slug);
        snprintf(form, sizeof form, "prompt=%lld&text=%s", (long long)prompt, answers[i]);
        assert_int_equal(tc_post_form(&v, uri, form, 1), 303);
        tc_free(&v);
    }
    /* the public page marks what people wrote as German */
    snprintf(uri, sizeof uri, "/listen/%s?prompt=%lld", slug, (long long)prompt);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "<p class=\"ahp-contribution__body\" lang=\"de\">"));
    /* the analysis runs in German */
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{\"k\": 2}"), 202);
    {
        struct db *db = db_pool_get(app->pool);
        int rc = listen_analysis_run_next(db, &ran);
        db_pool_put(app->pool, db);
        assert_int_equal(rc, 0);
        assert_true(ran);
    }
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(language_stopwords(language_find("de"), &text, &len));
    assert_int_equal(stopwords_parse(text, len, &de), APP_OK);
    {
        /* every theme term, as the API lists them: none is a German stop word */
        size_t terms = 0;
        for (p = strstr(fac.res.body, "\"terms\":["); p; p = strstr(p + 1, "\"terms\":[")) {
            const char *q = p + 9;
            while (*q == '"') {
                size_t n = strcspn(q + 1, "\"");
                char term[128], *w;
                snprintf(term, sizeof term, "%.*s", (int)n, q + 1);
                for (w = strtok(term, " "); w; w = strtok(NULL, " "))
                    if (stopwords_has(de, w, strlen(w)))
                        fail_msg("theme term \"%.*s\" holds the German stop word \"%s\"",
                                 (int)n, q + 1, w);
                terms++;
                q += n + 2;
                if (*q == ',')
                    q++;
            }
        }
        assert_true(terms >= 4);
    }
    /* the German stems meet: "Wohnungen" and "Wohnung" are one term, labelled as written */
    assert_true(tc_body_has(&fac, "wohnungen") || tc_body_has(&fac, "miete"));
    assert_true(tc_body_has(&fac, "sanierung") || tc_body_has(&fac, "energie") ||
                tc_body_has(&fac, "gebäude"));
    stopwords_free(de);
    /* the page marks theme names and quotes as German */
    snprintf(uri, sizeof uri, "/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "<h3 class=\"nhsuk-card__heading\"><span lang=\"de\">"));
    assert_true(tc_body_has(&fac, "The words are read as German, the exercise’s language: words "
                                  "with the same stem count as one"));
    assert_false(tc_body_has(&fac, "The analysis shown here was made"));
    /* the run keeps the language it was read in, also after the exercise's changes */
    {
        struct db *db = db_pool_get(app->pool);
        struct arena *a = arena_new();
        struct listen_analysis_latest latest;
        char sql[200];
        assert_non_null(a);
        assert_int_equal(listen_analysis_latest(
                             db, a,
                             testapp_int(app, "SELECT id FROM listen_exercises WHERE slug = $1",
                                         slug),
                             &latest),
                         APP_OK);
        assert_non_null(latest.result);
        assert_string_equal(latest.result->language, "de");
        snprintf(sql, sizeof sql, "UPDATE listen_exercises SET language = 'en' WHERE slug = '%s'",
                 slug);
        assert_int_equal(db_exec(db, sql), APP_OK);
        arena_free(a);
        db_pool_put(app->pool, db);
    }
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "The analysis shown here was made when the exercise’s language "
                                  "was German. The next analysis reads the words as English."));
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"language\":\"de\""));
    {
        struct db *db = db_pool_get(app->pool);
        char sql[200];
        snprintf(sql, sizeof sql, "UPDATE listen_exercises SET language = 'de' WHERE slug = '%s'",
                 slug);
        assert_int_equal(db_exec(db, sql), APP_OK);
        db_pool_put(app->pool, db);
    }
    /* the exports carry the language */
    snprintf(uri, sizeof uri, "/listen/%s/export/exercise.json", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\"language\":\"de\""));
    snprintf(uri, sizeof uri, "/listen/%s/export/summary.csv", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "\nlanguage,de"));
    /* and an import reads it back: from summary.csv when it says it (even when the text would
     * suggest otherwise), else from the text */
    {
        struct db *db = db_pool_get(app->pool);
        struct buf sum = BUF_INIT, com = BUF_INIT, vot = BUF_INIT, fr = BUF_INIT;
        struct import_report rep;
        int64_t ex = testapp_int(app, "SELECT id FROM listen_exercises WHERE slug = $1", slug),
                ex2 = 0;
        char *at;
        assert_int_equal(listen_export_summary(db, ex, &sum), APP_OK);
        assert_int_equal(listen_export_comments(db, ex, &com), APP_OK);
        assert_int_equal(listen_export_votes(db, ex, &vot), APP_OK);
        {
            struct polis_files f = {{sum.data, sum.len}, {com.data, com.len},
                                    {vot.data, vot.len}, {NULL, 0}};
            assert_int_equal(listen_import_polis(db, &f, "Again", 0, &ex2, &rep), APP_OK);
            assert_string_equal(rep.language, "de");
            assert_string_equal(rep.language_source, "summary.csv");
        }
        buf_append(&fr, sum.data, sum.len);
        assert_false(buf_oom(&fr));
        at = strstr(fr.data, "\nlanguage,de");
        assert_non_null(at);
        memcpy(at + 10, "fr", 2); /* the file says French: French it is */
        {
            struct polis_files f = {{fr.data, fr.len}, {com.data, com.len},
                                    {vot.data, vot.len}, {NULL, 0}};
            assert_int_equal(listen_import_polis(db, &f, "Encore", 0, &ex2, &rep), APP_OK);
            assert_string_equal(rep.language, "fr");
            assert_string_equal(rep.language_source, "summary.csv");
        }
        memcpy(at + 10, "zz", 2); /* a language nobody knows: worked out from the text */
        {
            struct polis_files f = {{fr.data, fr.len}, {com.data, com.len},
                                    {vot.data, vot.len}, {NULL, 0}};
            assert_int_equal(listen_import_polis(db, &f, "Wieder", 0, &ex2, &rep), APP_OK);
            assert_string_equal(rep.language, "de");
            assert_string_equal(rep.language_source, "comments");
        }
        db_pool_put(app->pool, db);
        buf_free(&sum);
        buf_free(&com);
        buf_free(&vot);
        buf_free(&fr);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_and_page),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_german_exercise_themes),
    };
    return cmocka_run_group_tests_name("http/listen_language", tests, setup, teardown);
}
