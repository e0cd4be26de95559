/* framework_test.c: reading, checking and writing leadership frameworks
 *
 * Three shapes must read: the framework shipped in data/frameworks/ (from the copy embedded
 * in the binary, so a broken data file fails here), and the two test fixtures beside this
 * file — nine dimensions on four levels with an importance rating, and six domains on a
 * five-point frequency scale with "no chance to show this". Each invalid document is one
 * mistake away from a valid one, and passes only when that mistake is reported at its place
 * ("domains[1].behaviours[0]: …").
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
#include "core/embed.h"
#include "core/err.h"
#include "develop/develop.h"

static struct arena *a;

static char *read_fixture(const char *name, size_t *len)
{
    char path[256];
    FILE *f;
    char *s;
    long n;
    snprintf(path, sizeof path, "tests/unit/develop/fixtures/%s", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    s = arena_alloc(a, (size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return s;
}

static void parse_ok(const char *json, size_t len, struct develop_framework *fw)
{
    const char *why = NULL;
    int rc = develop_framework_parse(a, json, len, fw, &why);
    if (rc)
        fprintf(stderr, "parse: %s\n", why ? why : "?");
    assert_int_equal(rc, APP_OK);
}

/* Writing a framework and reading it back gives the same framework. */
static void round_trip(const struct develop_framework *fw)
{
    struct develop_framework back;
    json_t *doc = develop_framework_json(fw);
    char *text;
    assert_non_null(doc);
    text = json_dumps(doc, 0);
    assert_non_null(text);
    parse_ok(text, strlen(text), &back);
    free(text);
    json_decref(doc);
    assert_string_equal(back.code, fw->code);
    assert_string_equal(back.title, fw->title);
    assert_string_equal(back.licence, fw->licence);
    assert_int_equal(back.scale.kind, fw->scale.kind);
    assert_int_equal(back.scale.npoints, fw->scale.npoints);
    assert_string_equal(back.scale.no_chance, fw->scale.no_chance);
    for (size_t i = 0; i < fw->scale.npoints; i++) {
        assert_string_equal(back.scale.points[i].label, fw->scale.points[i].label);
        assert_string_equal(back.scale.points[i].description, fw->scale.points[i].description);
    }
    assert_int_equal(back.importance.enabled, fw->importance.enabled);
    assert_int_equal(back.importance.npoints, fw->importance.npoints);
    assert_int_equal(back.ndomains, fw->ndomains);
    assert_int_equal(back.nbehaviours, fw->nbehaviours);
    for (size_t d = 0; d < fw->ndomains; d++) {
        assert_string_equal(back.domains[d].id, fw->domains[d].id);
        assert_int_equal(back.domains[d].first, fw->domains[d].first);
        for (size_t i = 0; i < fw->domains[d].nbehaviours; i++)
            assert_string_equal(back.domains[d].behaviours[i].statement,
                                fw->domains[d].behaviours[i].statement);
    }
}

static void test_shipped_framework(void **state)
{
    const struct embed_file *f = embed_find("data/frameworks/ahp-clinical-leadership.json");
    struct develop_framework fw;
    size_t pos = 0;
    (void)state;
    assert_non_null(f);
    parse_ok((const char *)f->data, f->len, &fw);
    assert_string_equal(fw.code, "ahp-clinical-leadership");
    assert_string_equal(fw.title, "AHP clinical leadership");
    assert_true(*fw.licence);
    assert_int_equal(fw.ndomains, 9);
    for (size_t d = 0; d < fw.ndomains; d++) {
        assert_in_range(fw.domains[d].nbehaviours, 4, 6);
        for (size_t i = 0; i < fw.domains[d].nbehaviours; i++) { /* first person */
            const char *s = fw.domains[d].behaviours[i].statement;
            assert_true(!strncmp(s, "I ", 2) || strstr(s, " I "));
        }
    }
    assert_int_equal(fw.scale.kind, DSK_LEVELS);
    assert_int_equal(fw.scale.npoints, 4);
    assert_string_equal(fw.scale.points[0].label, "Starting");
    assert_string_equal(fw.scale.points[3].label, "Leading others");
    assert_string_equal(fw.scale.no_chance, "");
    assert_true(fw.importance.enabled);
    assert_int_equal(fw.importance.npoints, 3);
    assert_string_equal(fw.domains[7].id, "digital");
    assert_string_equal(fw.domains[8].id, "clinical-safety");
    assert_non_null(develop_behaviour_find(&fw, "system-fit", &pos));
    assert_int_equal(pos, 0);
    assert_non_null(develop_behaviour_find(&fw, "safety-escalate", &pos));
    assert_int_equal(pos, fw.nbehaviours - 1);
    assert_null(develop_behaviour_find(&fw, "no-such-behaviour", NULL));
    round_trip(&fw);
}

static void test_nine_dimensions_four_levels(void **state)
{
    struct develop_framework fw;
    size_t len;
    const char *json = read_fixture("nine-dimensions.json", &len);
    (void)state;
    parse_ok(json, len, &fw);
    assert_int_equal(fw.ndomains, 9);
    assert_int_equal(fw.scale.kind, DSK_LEVELS);
    assert_int_equal(fw.scale.npoints, 4);
    assert_string_equal(fw.scale.points[3].label, "Exemplary");
    assert_true(fw.importance.enabled);
    assert_int_equal(fw.nbehaviours, 18);
    assert_int_equal(fw.domains[4].first, 8);
    round_trip(&fw);
}

static void test_six_domains_frequency(void **state)
{
    struct develop_framework fw;
    size_t len;
    const char *json = read_fixture("six-domains-frequency.json", &len);
    (void)state;
    parse_ok(json, len, &fw);
    assert_int_equal(fw.ndomains, 6);
    assert_int_equal(fw.scale.kind, DSK_FREQUENCY);
    assert_int_equal(fw.scale.npoints, 5);
    assert_string_equal(fw.scale.points[0].label, "Never");
    assert_string_equal(fw.scale.points[0].description, "");
    assert_string_equal(fw.scale.no_chance, "I have not had the chance to show this");
    assert_false(fw.importance.enabled);
    assert_string_equal(fw.description, "");
    round_trip(&fw);
}

/* A small valid framework; each case below changes one thing in it. */
#define HEAD "{\"code\":\"t\",\"title\":\"T\",\"licence\":\"Ours\","
#define LEVELS                                                                                     \
    "\"scale\":{\"kind\":\"levels\",\"points\":[{\"label\":\"A\",\"description\":\"a\"},"          \
    "{\"label\":\"B\",\"description\":\"b\"}]},"
#define DOMAINS                                                                                    \
    "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a-1\","              \
    "\"statement\":\"I do one.\"}]},{\"id\":\"two\",\"title\":\"Two\",\"behaviours\":[{\"id\":"    \
    "\"b-1\",\"statement\":\"I do two.\"}]}]}"

static void test_small_valid(void **state)
{
    struct develop_framework fw;
    const char *doc = HEAD LEVELS DOMAINS;
    (void)state;
    parse_ok(doc, strlen(doc), &fw);
    assert_int_equal(fw.nbehaviours, 2);
}

static void test_errors(void **state)
{
    static const struct {
        const char *doc, *why;
    } cases[] = {
        {HEAD LEVELS
         "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a-1\","
         "\"statement\":\"I do one.\"}]},{\"id\":\"two\",\"title\":\"Two\",\"behaviours\":[{"
         "\"id\":\"b-1\",\"statement\":\"  \"}]}]}",
         "domains[1].behaviours[0]: the statement is empty"},
        {HEAD LEVELS
         "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a-1\"}]}]}",
         "domains[0].behaviours[0]: the statement is missing (\"statement\")"},
        {HEAD LEVELS
         "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a-1\","
         "\"statement\":\"I do one.\"}]},{\"id\":\"two\",\"title\":\"Two\",\"behaviours\":[{"
         "\"id\":\"a-1\",\"statement\":\"I do two.\"}]}]}",
         "domains[1].behaviours[0]: the id \"a-1\" is already used by domains[0].behaviours[0]"},
        {HEAD LEVELS
         "\"domains\":[{\"id\":\"One\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a-1\","
         "\"statement\":\"I do one.\"}]}]}",
         "domains[0]: the id must be 1 to 40 characters of a-z, 0-9 and -"},
        {HEAD LEVELS
         "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[{\"id\":\"a-1\","
         "\"statement\":\"I do one.\"}]},{\"id\":\"one\",\"title\":\"Two\",\"behaviours\":[{"
         "\"id\":\"b-1\",\"statement\":\"I do two.\"}]}]}",
         "domains[1]: the id \"one\" is already used by domains[0]"},
        {HEAD LEVELS "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":{}}]}",
         "domains[0]: behaviours (\"behaviours\") must be a list in [ ]"},
        {HEAD LEVELS "\"domains\":[{\"id\":\"one\",\"title\":\"One\",\"behaviours\":[]}]}",
         "domains[0]: there must be from 1 to 40 behaviours; there are 0"},
        {HEAD LEVELS "\"domains\":[]}", "the framework: there must be from 1 to 20 domains"},
        {HEAD LEVELS DOMAINS "x", "the framework: the text is not valid JSON (line 1"},
        {"{\"code\":\"t\",\"title\":\"T\",\"licence\":\"Ours\",\"wieght\":2," LEVELS DOMAINS,
         "the framework: unknown field \"wieght\""},
        {"{\"code\":\"t\",\"title\":\"T\"," LEVELS DOMAINS,
         "the framework: the licence or attribution is missing (\"licence\")"},
        {"{\"code\":\"T T\",\"title\":\"T\",\"licence\":\"Ours\"," LEVELS DOMAINS,
         "the framework: the code must be 1 to 40 characters"},
        {HEAD DOMAINS, "the framework: the scale is missing (\"scale\")"},
        {HEAD "\"scale\":{\"kind\":\"levels\",\"points\":[{\"label\":\"A\",\"description\":\"a\"},"
              "{\"label\":\"B\"}]}," DOMAINS,
         "scale.points[1]: the description is missing (\"description\")"},
        {HEAD "\"scale\":{\"kind\":\"levels\",\"points\":[{\"label\":\"A\",\"description\":\"a\"},"
              "{\"label\":\"A\",\"description\":\"b\"}]}," DOMAINS,
         "scale.points[1]: the label \"A\" is already used by scale.points[0]"},
        {HEAD "\"scale\":{\"kind\":\"levels\",\"points\":[{\"label\":\"A\",\"description\":\"a\"}"
              "]}," DOMAINS,
         "scale: there must be from 2 to 10 points on the scale; there are 1"},
        {HEAD "\"scale\":{\"kind\":\"stars\",\"points\":[]}," DOMAINS,
         "scale: the kind of scale must be levels or frequency, not \"stars\""},
        {HEAD "\"scale\":{\"kind\":\"levels\",\"no_chance\":\"No chance\",\"points\":[{\"label\":"
              "\"A\",\"description\":\"a\"},{\"label\":\"B\",\"description\":\"b\"}]}," DOMAINS,
         "scale: only a frequency scale may have a \"no chance\" answer"},
        {HEAD "\"scale\":{\"kind\":\"frequency\",\"no_chance\":\"\",\"points\":[{\"label\":"
              "\"Never\"},{\"label\":\"Always\"}]}," DOMAINS,
         "scale: the \"no chance\" answer is empty"},
        {HEAD LEVELS
         "\"importance\":{\"question\":\"How important?\",\"points\":[\"Low\",\"\"]}," DOMAINS,
         "importance.points[1]: a point must be a label in quotes, not empty"},
        {HEAD LEVELS "\"importance\":{\"points\":[\"Low\",\"High\"]}," DOMAINS,
         "importance: the question is missing (\"question\")"},
        {HEAD LEVELS "\"importance\":true," DOMAINS,
         "importance: the importance rating must be an object"},
        {"[1,2]", "the framework: the text must be one JSON object { }"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct develop_framework fw;
        const char *why = NULL;
        int rc = develop_framework_parse(a, cases[i].doc, strlen(cases[i].doc), &fw, &why);
        if (rc != APP_E_INVALID || !why || strncmp(why, cases[i].why, strlen(cases[i].why)))
            fprintf(stderr, "case %zu: rc %d, why \"%s\"\n  expected \"%s\"\n", i, rc,
                    why ? why : "(none)", cases[i].why);
        assert_int_equal(rc, APP_E_INVALID);
        assert_non_null(why);
        assert_int_equal(strncmp(why, cases[i].why, strlen(cases[i].why)), 0);
    }
}

static void test_not_utf8_and_too_deep(void **state)
{
    struct develop_framework fw;
    const char *why = NULL;
    char deep[64];
    (void)state;
    assert_int_equal(develop_framework_parse(a, "{\"code\":\"\xff\"}", 12, &fw, &why),
                     APP_E_INVALID);
    assert_string_equal(why, "the framework: the text is not valid UTF-8");
    memset(deep, '[', 20);
    memset(deep + 20, ']', 20);
    assert_int_equal(develop_framework_parse(a, deep, 40, &fw, &why), APP_E_INVALID);
    assert_string_equal(why, "the framework: the text nests lists and objects too deeply");
}

static void test_answer_check(void **state)
{
    struct develop_framework lv, fq;
    size_t len;
    const char *six = read_fixture("six-domains-frequency.json", &len);
    const char *doc = HEAD LEVELS DOMAINS;
    struct develop_answer ans = {0, 0, ""};
    char *note = arena_alloc(a, 2 * 1001 + 1);
    (void)state;
    parse_ok(doc, strlen(doc), &lv);
    parse_ok(six, len, &fq);
    ans.rating = 2;
    assert_null(develop_answer_check(&lv, &ans));
    ans.rating = 3; /* off the two-level scale */
    assert_non_null(develop_answer_check(&lv, &ans));
    ans.rating = DEVELOP_NO_CHANCE; /* a levels scale has no "no chance" */
    assert_non_null(develop_answer_check(&lv, &ans));
    assert_null(develop_answer_check(&fq, &ans));
    ans.rating = 1;
    ans.importance = 1; /* neither asks for importance */
    assert_non_null(develop_answer_check(&lv, &ans));
    assert_non_null(develop_answer_check(&fq, &ans));
    ans.importance = 0;
    /* 1000 two-byte characters are allowed, 1001 are not */
    assert_non_null(note);
    for (size_t i = 0; i < 1001; i++)
        memcpy(note + 2 * i, "\xc3\xa9", 2);
    note[2 * 1000] = '\0';
    ans.note = note;
    assert_null(develop_answer_check(&fq, &ans));
    note[2 * 1000] = '\xc3';
    note[2 * 1001] = '\0';
    assert_non_null(develop_answer_check(&fq, &ans));
}

static int setup(void **state)
{
    (void)state;
    a = arena_new();
    return a ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_framework),
        cmocka_unit_test(test_nine_dimensions_four_levels),
        cmocka_unit_test(test_six_domains_frequency),
        cmocka_unit_test(test_small_valid),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_not_utf8_and_too_deep),
        cmocka_unit_test(test_answer_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
