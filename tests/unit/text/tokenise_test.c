/* tokenise_test.c: the tokeniser's Unicode, punctuation, number and apostrophe rules, and stop words */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "text/tokenise.h"
#include "text/vocab.h"

/* Tokenises in and compares with want: tokens separated by single spaces, a '|' before a
 * token that carries a phrase boundary (brk). */
static void check(const char *in, const char *want)
{
    struct tokens t = {0};
    char got[1024];
    size_t len = 0;

    assert_int_equal(tokenise(&t, in, strlen(in)), APP_OK);
    got[0] = '\0';
    for (size_t i = 0; i < t.n; i++) {
        int w = snprintf(got + len, sizeof got - len, "%s%s%s", i ? " " : "",
                         t.v[i].brk && i ? "|" : "", tokens_str(&t, i));
        assert_true(w > 0 && (size_t)w < sizeof got - len);
        assert_int_equal(strlen(tokens_str(&t, i)), t.v[i].len);
        len += (size_t)w;
    }
    if (strcmp(got, want) != 0)
        print_error("in:   \"%s\"\nwant: \"%s\"\ngot:  \"%s\"\n", in, want, got);
    assert_string_equal(got, want);
    tokens_free(&t);
}

static void test_ascii_words_and_case(void **state)
{
    (void)state;
    check("", "");
    check("   \t\n", "");
    check("Waiting LISTS are Too long", "waiting lists are too long");
    check("physio\tand  OT\r\nteams", "physio and ot teams");
}

static void test_unicode_normalisation_and_folding(void **state)
{
    (void)state;
    /* Fullwidth letters (NFKC), the fi ligature, German sharp s (full case folding), Greek
     * capitals, a decomposed e + combining acute composed to one letter. */
    check("\xef\xbc\xb7\xef\xbc\xa1\xef\xbc\xa9\xef\xbc\xb4", "wait");
    check("\xef\xac\x81nding", "finding");
    check("STRASSE stra\xc3\x9f" "e", "strasse strasse");
    check("\xce\x9a\xce\x91\xce\x9b\xce\x97", "\xce\xba\xce\xb1\xce\xbb\xce\xb7");
    check("cafe\xcc\x81 caf\xc3\xa9", "caf\xc3\xa9 caf\xc3\xa9");
    /* A soft hyphen inside a word is ignorable; a non-breaking space separates. */
    check("inter\xc2\xad" "national care\xc2\xa0plan", "international care plan");
    /* Scripts without case stay as they are. */
    check("\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xb5\xe0\xa4\xbe\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa5\xe0\xa5\x8d\xe0\xa4\xaf",
          "\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xb5\xe0\xa4\xbe\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa5\xe0\xa5\x8d\xe0\xa4\xaf");
}

static void test_invalid_utf8_is_a_separator(void **state)
{
    (void)state;
    check("good\xff" "bad", "good bad");
    check("over\xc0\xaflong", "over long");
    check("trunc\xe2\x82", "trunc");
    {
        static const char nul[] = "alpha\0beta";
        struct tokens t = {0};
        assert_int_equal(tokenise(&t, nul, sizeof nul - 1), APP_OK);
        assert_int_equal(t.n, 2);
        assert_string_equal(tokens_str(&t, 1), "beta");
        tokens_free(&t);
    }
}

static void test_punctuation_and_hyphens(void **state)
{
    (void)state;
    /* Hyphens and dashes split words without a boundary; clause punctuation marks one. */
    check("well-being follow-up", "well being follow up");
    check("access \xe2\x80\x93 staff", "access staff");
    check("long waits. Staff were kind, helpful", "long waits |staff were kind |helpful");
    check("(physio) [ot] nurses/doctors", "physio |ot |nurses |doctors");
    check("\"quoted words\" here", "quoted words here");
    check("e-mail @home #nhs", "mail |home |nhs");
    /* A full stop inside a word separates without a boundary; one before a space, at the
     * end, after a space or before other punctuation is a sentence's. */
    check("Node.js module for asp.net", "node js module for asp net");
    check("nhs.uk. Staff", "nhs uk |staff");
    check("waits .staff", "waits |staff");
    check("waits..staff", "waits |staff");
    check("release v2.beta plans", "release v2 beta plans");
    check("caf\xc3\xa9.\xc3\xa9t\xc3\xa9 ok", "caf\xc3\xa9 \xc3\xa9t\xc3\xa9 ok");
}

static void test_numbers(void **state)
{
    (void)state;
    /* Pure numbers go (and leave a boundary); words with letters and digits stay. */
    check("waited 18 weeks in 2019", "waited |weeks in");
    check("covid19 2nd b12 111", "covid19 2nd b12");
    check("3.5 hours", "hours");
    /* Other scripts' digits are numbers too (Arabic-Indic 2 0). */
    check("\xd9\xa2\xd9\xa0 days", "days");
}

static void test_apostrophes(void **state)
{
    (void)state;
    check("don't can't won't", "don't can't won't");
    check("the patient's notes", "the patient notes");
    check("patients' views", "patients views");
    check("Patient\xe2\x80\x99s carer\xe2\x80\x99s", "patient carer");
    check("don\xe2\x80\x99t know", "don't know");
    check("'quoted' and 'tis", "quoted and tis");
    check("o'neill rock'n'roll", "o'neill rock'n'roll");
    check("it's", "it");
}

static void test_short_and_long_tokens(void **state)
{
    char longword[TOKEN_MAX_BYTES + 2];
    (void)state;
    check("a i x ok go", "ok go");
    memset(longword, 'z', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    check(longword, "");
    longword[TOKEN_MAX_BYTES] = '\0';
    check(longword, longword);
}

static void test_reuse_keeps_results_independent(void **state)
{
    struct tokens t = {0};
    (void)state;
    assert_int_equal(tokenise(&t, "one two three four five", 23), APP_OK);
    assert_int_equal(t.n, 5);
    assert_int_equal(tokenise(&t, "six", 3), APP_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(tokens_str(&t, 0), "six");
    tokens_free(&t);
    tokens_free(&t); /* safe twice */
}

/* Scripts without spaces are cut into words by ICU (not one token per clause); one-character
 * words drop like any one-character token and leave a boundary; spaced text around them is
 * cut exactly as without them. */
static void test_scripts_without_spaces(void **state)
{
    (void)state;
    /* "We need more doctors and nurses. The waiting time is too long!" */
    check("我们需要更多的医生和护士。等待时间太长了！", "我们 需要 更多 |医生 |护士 |等待 时间 太长");
    /* Japanese: kanji, kana and the prolonged sound mark in リハビリテーション */
    check("病院の待ち時間が長すぎます。リハビリテーションはとても良かったです",
          "病院 |待ち時間 |すぎ ます |リハビリテーション |とても |です");
    /* Thai: "I want to see a doctor sooner" */
    check("ฉันต้องการพบแพทย์เร็วขึ้น", "ฉัน ต้องการ พบ แพทย์ เร็ว ขึ้น");
    /* mixed: Latin words stay ours, the Chinese run is ICU's, both ways round */
    check("Physio很好，但是等待时间太长", "physio 很好 |但是 等待 时间 太长");
    check("covid19疫苗 waiting-list", "covid19 疫苗 waiting list");
    /* an apostrophe before a run joins nothing (the word never ends with it) */
    check("we'需要 it's'医生", "we 需要 it 医生");
    /* a long Chinese answer gives many words, not one token per sentence */
    {
        static const char zh[] = "社区物理治疗的等待时间太长，我的母亲等了三个月才见到治疗师。"
                                 "治疗师非常专业，也很耐心，但是预约系统很难使用。";
        struct tokens t = {0};
        assert_int_equal(tokenise(&t, zh, strlen(zh)), APP_OK);
        assert_true(t.n >= 15);
        for (size_t i = 0; i < t.n; i++)
            assert_true(t.v[i].len <= 4 * 3); /* words, at most four characters here */
        tokens_free(&t);
    }
}

static void test_stopwords(void **state)
{
    static const char list[] = "# comment\n\n  The\r\nIT'S\ndon\xe2\x80\x99t\nwould\n";
    struct stopwords *sw = NULL;
    (void)state;
    assert_int_equal(stopwords_parse(list, sizeof list - 1, &sw), APP_OK);
    assert_int_equal(stopwords_count(sw), 4);
    assert_true(stopwords_has(sw, "the", 3));
    assert_true(stopwords_has(sw, "it", 2)); /* "it's" folds to "it" like in text */
    assert_true(stopwords_has(sw, "don't", 5));
    assert_true(stopwords_has(sw, "would", 5));
    assert_false(stopwords_has(sw, "comment", 7));
    assert_false(stopwords_has(sw, "th", 2));
    assert_false(stopwords_has(NULL, "the", 3));
    stopwords_free(sw);
}

static void test_shipped_stopword_list(void **state)
{
    struct stopwords *sw = NULL;
    (void)state;
    assert_int_equal(stopwords_load("data/stopwords-en.txt", &sw), APP_OK);
    assert_true(stopwords_count(sw) >= 250);
    static const char *const in[] = {"the", "and", "would", "could", "think", "really", "also",
                                     "don't", "dont", "they're", "ourselves"};
    static const char *const out[] = {"staff", "care", "wait", "need", "time", "support",
                                      "physio", "appointment", "help", "kind"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_true(stopwords_has(sw, in[i], strlen(in[i])));
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_false(stopwords_has(sw, out[i], strlen(out[i])));
    stopwords_free(sw);
    assert_int_equal(stopwords_load("data/no-such-file.txt", &sw), APP_E_IO);
    assert_null(sw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_words_and_case),
        cmocka_unit_test(test_unicode_normalisation_and_folding),
        cmocka_unit_test(test_invalid_utf8_is_a_separator),
        cmocka_unit_test(test_punctuation_and_hyphens),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_short_and_long_tokens),
        cmocka_unit_test(test_reuse_keeps_results_independent),
        cmocka_unit_test(test_scripts_without_spaces),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_shipped_stopword_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
