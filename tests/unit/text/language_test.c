/* language_test.c: language tags, the shipped stop-word lists, guessing a text's language,
 * and themes that follow the language (German stems and stop words, on made-up answers and
 * on the real Austrian Klimarat conversation)
 *
 * The real conversation is a public Pol.is export (CC BY 4.0: "Data was gathered using the
 * Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
 * Attribution to The Computational Democracy Project"; see ../shared/fixtures/polis/SOURCE.md),
 * found through AHPHUB_FIXTURES (default ../shared/fixtures, from the repository root); the
 * tests that need it are skipped, saying so, when it is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "export/csv.h"
#include "text/language.h"
#include "text/themes.h"
#include "text/vocab.h"

static void test_canonical_tags(void **state)
{
    static const char *const good[][2] = {
        {"en", "en"},           {"DE", "de"},       {"de-at", "de-AT"},  {"de_AT", "de-AT"},
        {"zh-hans", "zh-Hans"}, {"zh_hant_tw", "zh-Hant-TW"}, {"pt-BR", "pt-BR"},
        {"es-419", "es-419"},   {"cy-GB", "cy-GB"}, {"nb", "nb"},
    };
    static const char *const bad[] = {"",      "e",     "english", "xx",     "de-",
                                      "-de",   "de--AT", "de-Latn-Latn", "de-AT-x", "d3",
                                      "de AT", "de-AT-DE", "de-12",  "deu-AT-Latn", "zzz",
                                      "de-Austria-with-a-long-tail"};
    char out[LANGUAGE_TAG_MAX];
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!language_canonical(good[i][0], out))
            fail_msg("\"%s\" refused", good[i][0]);
        assert_string_equal(out, good[i][1]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (language_canonical(bad[i], out))
            fail_msg("\"%s\" accepted as \"%s\"", bad[i], out);
        assert_string_equal(out, "");
    }
    assert_false(language_canonical(NULL, out));
}

static void test_find_and_table(void **state)
{
    size_t n;
    const struct language *all = language_all(&n);
    (void)state;
    assert_string_equal(language_find(NULL)->code, "en");
    assert_string_equal(language_find("")->code, "en");
    assert_string_equal(language_find("de-AT")->snowball, "german");
    assert_string_equal(language_find("EN-gb")->snowball, "english");
    assert_null(language_find("cy")->snowball); /* Snowball has no Welsh */
    assert_null(language_find("zh-Hans")->stopwords);
    assert_null(language_find("xx"));
    assert_null(language_find("german"));
    /* codes are unique; names sorted as the form lists them */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(all[i].code, all[j].code);
        if (i)
            assert_true(strcmp(all[i - 1].name, all[i].name) < 0);
    }
}

/* Every list named in the table is embedded and parses; German holds its function words and
 * not its content words; spelling variants meet through the tokeniser ("daß" is "dass"). */
static void test_shipped_lists(void **state)
{
    size_t n, lists = 0;
    const struct language *all = language_all(&n);
    struct stopwords *sw = NULL;
    const char *text;
    size_t len;
    static const char *const de_in[] = {"und", "die", "der", "das", "nicht", "für", "über",
                                        "sich", "auch", "wir", "werden", "daß", "dass"};
    static const char *const de_out[] = {"wohnung", "klima", "haus", "miete", "energie",
                                         "sanierung", "gemeinde"};
    (void)state;
    for (size_t i = 0; i < n; i++) {
        if (!all[i].stopwords) {
            assert_false(language_stopwords(&all[i], &text, &len));
            continue;
        }
        if (!language_stopwords(&all[i], &text, &len))
            fail_msg("%s is not embedded", all[i].stopwords);
        assert_int_equal(stopwords_parse(text, len, &sw), APP_OK);
        assert_true(stopwords_count(sw) >= 40);
        stopwords_free(sw);
        lists++;
    }
    assert_true(lists >= 15); /* en, de and the other Snowball lists (nb, nn share no's) */
    assert_true(language_stopwords(language_find("de"), &text, &len));
    assert_int_equal(stopwords_parse(text, len, &sw), APP_OK);
    assert_true(stopwords_count(sw) >= 200);
    for (size_t i = 0; i < sizeof de_in / sizeof de_in[0]; i++) {
        struct tokens t = {0};
        assert_int_equal(tokenise(&t, de_in[i], strlen(de_in[i])), APP_OK);
        assert_int_equal(t.n, 1);
        if (!stopwords_has(sw, tokens_str(&t, 0), t.v[0].len))
            fail_msg("\"%s\" is not a German stop word", de_in[i]);
        tokens_free(&t);
    }
    for (size_t i = 0; i < sizeof de_out / sizeof de_out[0]; i++)
        assert_false(stopwords_has(sw, de_out[i], strlen(de_out[i])));
    stopwords_free(sw);
}

static const struct language *guess1(const char *s, double *share)
{
    struct text_span d = {s, strlen(s)};
    return language_guess(&d, 1, share);
}

static void test_guess(void **state)
{
    double share;
    (void)state;
    assert_string_equal(
        guess1("Die Wartezeiten für eine Physiotherapie sind viel zu lang und das ist nicht gut "
               "für die Patienten, die auf einen Termin warten.",
               &share)->code,
        "de");
    assert_true(share > 0.3);
    assert_string_equal(guess1("The waiting lists for physiotherapy are far too long and it "
                               "is not good for the people who are waiting for a visit.",
                               &share)->code,
                        "en");
    assert_string_equal(guess1("Les listes d'attente sont beaucoup trop longues et les "
                               "patients ne sont pas contents de la situation dans le service.",
                               NULL)->code,
                        "fr");
    assert_string_equal(guess1("Las listas de espera son demasiado largas y los pacientes no "
                               "están contentos con la situación en el servicio.",
                               NULL)->code,
                        "es");
    /* too little to say, or no list for the script: undecided */
    assert_null(guess1("Physiotherapie Termin Wartezeit", &share));
    /* by script: Chinese, Japanese (kana among the kanji), Korean, Thai */
    assert_string_equal(guess1("我们需要更多的医生和护士，等待时间太长了", &share)->code, "zh");
    assert_true(share > 0.9);
    assert_string_equal(guess1("病院の待ち時間が長すぎます", NULL)->code, "ja");
    assert_string_equal(guess1("대기 시간이 너무 깁니다", NULL)->code, "ko");
    assert_string_equal(guess1("ฉันต้องการพบแพทย์เร็วขึ้น", NULL)->code, "th");
    /* a few Chinese words in English text do not make it Chinese */
    assert_string_equal(guess1("The waiting list at the 医院 clinic is far too long and it is "
                               "not good for the people who are waiting.",
                               NULL)->code,
                        "en");
    assert_null(guess1("", NULL));
    assert_null(language_guess(NULL, 0, NULL));
}

/* Made-up German answers on two subjects: with the language, stems meet across inflections
 * ("Wohnung", "Wohnungen") and no theme term is a German stop word; analysed as English,
 * the German function words crowd into the themes. */
static const char *const de_docs[] = {
    "Die Wohnungen sind viel zu teuer und die Mieten steigen jedes Jahr",
    "Leistbare Wohnungen für Familien, die Mieten sind zu hoch",
    "Es gibt zu wenige Wohnungen und die Miete ist für uns nicht leistbar",
    "Die Miete für eine kleine Wohnung ist in der Stadt nicht mehr zu bezahlen",
    "Wir brauchen mehr Wohnungen mit einer leistbaren Miete",
    "Alte Gebäude sollten saniert werden, damit sie weniger Energie brauchen",
    "Die Sanierung der Gebäude muss gefördert werden, die Energie ist teuer",
    "Bei der Sanierung alter Gebäude kann man viel Energie sparen",
    "Die Förderung für die Sanierung von Gebäuden ist zu gering",
    "Gebäude mit Solaranlagen und Dämmung sparen Energie und Geld",
};
#define NDE (sizeof de_docs / sizeof de_docs[0])

static bool is_stop(const struct stopwords *sw, const char *term)
{
    /* a term is one word or two ("wohnungen miete"): any of its words */
    char copy[256];
    snprintf(copy, sizeof copy, "%s", term);
    for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
        if (stopwords_has(sw, w, strlen(w)))
            return true;
    return false;
}

static size_t stop_terms(const struct themes_result *r, const struct stopwords *sw)
{
    size_t n = 0;
    for (size_t t = 0; t < r->k; t++)
        for (size_t i = 0; i < r->themes[t].nterms; i++)
            n += is_stop(sw, r->themes[t].terms[i]);
    return n;
}

static void test_german_themes(void **state)
{
    struct text_span docs[NDE];
    struct themes_input in = {0};
    struct themes_result r = {0};
    struct stopwords *de = NULL;
    const char *text;
    size_t len;
    bool housing = false, energy = false;
    (void)state;
    for (size_t i = 0; i < NDE; i++)
        docs[i] = (struct text_span){de_docs[i], strlen(de_docs[i])};
    assert_true(language_stopwords(language_find("de"), &text, &len));
    assert_int_equal(stopwords_parse(text, len, &de), APP_OK);
    in.docs = docs;
    in.n = NDE;
    in.k = 2;
    in.seed = 1;
    in.language = "de-AT";
    assert_int_equal(themes_fit(&in, &r), APP_OK);
    assert_int_equal(r.k, 2);
    assert_int_equal(stop_terms(&r, de), 0);
    for (size_t t = 0; t < r.k; t++) {
        print_message("de theme %zu: %s\n", t, r.themes[t].label);
        assert_false(is_stop(de, r.themes[t].label));
        housing = housing || strstr(r.themes[t].label, "wohnung") || strstr(r.themes[t].label, "miete");
        energy = energy || strstr(r.themes[t].label, "energie") || strstr(r.themes[t].label, "gebäude") ||
                 strstr(r.themes[t].label, "sanierung");
    }
    assert_true(housing && energy);
    themes_result_free(&r);
    /* the same answers as English (English stop words and stemming): German stop words
     * make it into the themes */
    in.language = "en";
    assert_int_equal(themes_fit(&in, &r), APP_OK);
    assert_true(stop_terms(&r, de) > 0);
    themes_result_free(&r);
    in.language = "xx";
    assert_int_equal(themes_fit(&in, &r), APP_E_INVALID);
    stopwords_free(de);
}

/* The comments of a Pol.is export's comments.csv (comment-body column) into docs, each a
 * copy the caller frees. */
static size_t read_comments(const char *path, struct text_span **docs)
{
    FILE *f = fopen(path, "rb");
    struct buf b = BUF_INIT;
    struct csv_reader r;
    struct csv_record rec;
    char chunk[8192], err[128];
    size_t n = 0, cap = 0, got;
    bool more;
    int col = -1;
    *docs = NULL;
    if (!f)
        return 0;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, got);
    fclose(f);
    assert_false(buf_oom(&b));
    csv_open(&r, b.data, b.len);
    while (csv_next(&r, &rec, &more, err, sizeof err) == APP_OK && more) {
        struct str v;
        if (col < 0) {
            col = csv_column(&rec, "comment-body");
            assert_true(col >= 0);
            continue;
        }
        v = csv_get(&rec, (size_t)col);
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            *docs = realloc(*docs, cap * sizeof **docs);
            assert_non_null(*docs);
        }
        /* a quoted field lives only until the next record: copied */
        (*docs)[n].s = strndup(v.p, v.len);
        assert_non_null((*docs)[n].s);
        (*docs)[n++].len = v.len;
    }
    csv_close(&r);
    buf_free(&b);
    return n;
}

static void test_austrian_conversation(void **state)
{
    const char *root = getenv("AHPHUB_FIXTURES");
    char path[1024];
    struct text_span *docs = NULL;
    struct themes_input in = {0};
    struct themes_result r = {0};
    struct stopwords *de = NULL;
    const struct language *l;
    const char *text;
    size_t n, len;
    double share = 0;
    (void)state;
    if (!root || !*root)
        root = "../shared/fixtures";
    snprintf(path, sizeof path, "%s/polis/austria-climate.7z7ejpbmv5.2022-08-08/comments.csv",
             root);
    n = read_comments(path, &docs);
    if (!n) {
        fprintf(stderr, "language_test: %s is absent (set AHPHUB_FIXTURES)\n", path);
        skip();
    }
    l = language_guess(docs, n, &share);
    assert_non_null(l);
    assert_string_equal(l->code, "de");
    print_message("austria-climate: %zu comments, German stop words %.1f%% of the words\n", n,
                  100 * share);
    assert_true(language_stopwords(l, &text, &len));
    assert_int_equal(stopwords_parse(text, len, &de), APP_OK);
    in.docs = docs;
    in.n = n;
    in.seed = 20261121; /* the server's */
    in.language = "de";
    assert_int_equal(themes_fit(&in, &r), APP_OK);
    assert_true(r.k >= 3);
    for (size_t t = 0; t < r.k; t++)
        print_message("  theme %zu: %s\n", t, r.themes[t].label);
    assert_int_equal(stop_terms(&r, de), 0);
    themes_result_free(&r);
    /* analysed as English, German function words reach the themes */
    in.language = NULL;
    {
        const char *en;
        size_t en_len;
        assert_true(language_stopwords(language_find("en"), &en, &en_len));
        in.stopwords = en;
        in.stopwords_len = en_len;
    }
    assert_int_equal(themes_fit(&in, &r), APP_OK);
    print_message("  as English: %zu of the top terms are German stop words\n", stop_terms(&r, de));
    assert_true(stop_terms(&r, de) > 0);
    themes_result_free(&r);
    stopwords_free(de);
    for (size_t i = 0; i < n; i++)
        free((char *)docs[i].s);
    free(docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_tags),
        cmocka_unit_test(test_find_and_table),
        cmocka_unit_test(test_shipped_lists),
        cmocka_unit_test(test_guess),
        cmocka_unit_test(test_german_themes),
        cmocka_unit_test(test_austrian_conversation),
    };
    return cmocka_run_group_tests_name("text/language", tests, NULL, NULL);
}
