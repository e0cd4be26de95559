/* instrument_test.c: reading, checking and writing instruments, and the answer-string helpers
 *
 * The invalid documents are each one mistake away from a valid one, so a test passes only
 * when that mistake, and nothing else, is reported, and the sentence names the place the way
 * an editor of the JSON file would look for it. The instruments shipped in data/instruments/
 * are read from the copy embedded in the binary, so a broken data file fails here, not at the
 * first page view.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "core/arena.h"
#include "core/embed.h"
#include "core/err.h"

/* One of each kind, bands, a baseline, and every optional field in at least one place. */
static const char valid_doc[] =
    "{\"code\":\"ahp-test\",\"title\":\"AHP test instrument\",\"id\":99,\"version\":7,"
    "\"description\":\"For the tests.\",\"audience\":\"individual\",\"method\":\"percent\","
    "\"baseline_source\":\"NHS England, 2023\","
    "\"bands\":[{\"from\":0,\"name\":\"Foundation\",\"description\":\"Starting out\"},"
    "{\"from\":40,\"name\":\"Developing\"},{\"from\":70.5,\"name\":\"Proficient\"}],"
    "\"domains\":["
    "{\"id\":\"data\",\"title\":\"Data\",\"description\":\"Using data\",\"weight\":2,"
    "\"baseline\":55.5,\"items\":["
    "{\"id\":\"data-1\",\"kind\":\"agree\",\"text\":\"I use data.\",\"help\":\"Think of "
    "audits.\"},"
    "{\"id\":\"data-2\",\"kind\":\"yesno\",\"text\":\"Do you have access?\",\"weight\":0.5}]},"
    "{\"id\":\"ai\",\"title\":\"AI\",\"items\":["
    "{\"id\":\"ai-1\",\"kind\":\"maturity\",\"text\":\"How mature?\",\"levels\":[\"None\","
    "\"Aware\",\"Trying\",\"Using\",\"Leading\"],\"met_at\":50},"
    "{\"id\":\"ai-2\",\"kind\":\"bands\",\"text\":\"What share of notes?\",\"options\":["
    "{\"label\":\"Under 25%\",\"score\":0},{\"label\":\"25-75%\",\"score\":50},"
    "{\"label\":\"Over 75%\",\"score\":100}]},"
    "{\"id\":\"ai-3\",\"kind\":\"choice\",\"text\":\"Which tool?\",\"level\":3,\"options\":["
    "{\"label\":\"None\",\"score\":0},{\"label\":\"One\",\"score\":33.3}]}]}]}";

static int parse(struct arena *a, const char *doc, struct assess_instrument *ins, const char **why)
{
    return assess_instrument_parse(a, doc, strlen(doc), ins, why);
}

static void assert_instrument_equal(const struct assess_instrument *x,
                                    const struct assess_instrument *y)
{
    assert_string_equal(x->code, y->code);
    assert_string_equal(x->title, y->title);
    assert_string_equal(x->description, y->description);
    assert_string_equal(x->audience, y->audience);
    assert_int_equal(x->method, y->method);
    assert_true(x->level_share == y->level_share);
    assert_string_equal(x->baseline_source, y->baseline_source);
    assert_int_equal(x->nbands, y->nbands);
    for (size_t i = 0; i < x->nbands; i++) {
        assert_true(x->bands[i].from == y->bands[i].from);
        assert_string_equal(x->bands[i].name, y->bands[i].name);
        assert_string_equal(x->bands[i].description, y->bands[i].description);
    }
    assert_int_equal(x->nitems, y->nitems);
    assert_int_equal(x->ndomains, y->ndomains);
    for (size_t d = 0; d < x->ndomains; d++) {
        const struct assess_domain *dx = &x->domains[d], *dy = &y->domains[d];
        assert_string_equal(dx->id, dy->id);
        assert_string_equal(dx->title, dy->title);
        assert_string_equal(dx->description, dy->description);
        assert_true(dx->weight == dy->weight);
        assert_int_equal(dx->has_baseline, dy->has_baseline);
        assert_true(dx->baseline == dy->baseline);
        assert_int_equal(dx->first, dy->first);
        assert_int_equal(dx->nitems, dy->nitems);
        for (size_t i = 0; i < dx->nitems; i++) {
            const struct assess_item *ix = &dx->items[i], *iy = &dy->items[i];
            assert_string_equal(ix->id, iy->id);
            assert_string_equal(ix->text, iy->text);
            assert_string_equal(ix->help, iy->help);
            assert_int_equal(ix->kind, iy->kind);
            assert_true(ix->weight == iy->weight);
            assert_int_equal(ix->level, iy->level);
            assert_true(ix->met_at == iy->met_at);
            assert_int_equal(ix->noptions, iy->noptions);
            for (size_t k = 0; k < ix->noptions; k++) {
                assert_string_equal(ix->options[k].label, iy->options[k].label);
                assert_true(ix->options[k].score == iy->options[k].score);
            }
        }
    }
}

/* parse(json(ins)) must give ins back. */
static void assert_round_trip(struct arena *a, const struct assess_instrument *ins)
{
    struct assess_instrument again;
    const char *why = NULL;
    json_t *j = assess_instrument_json(ins);
    char *text;
    assert_non_null(j);
    text = json_dumps(j, JSON_INDENT(2));
    json_decref(j);
    assert_non_null(text);
    if (parse(a, text, &again, &why) != 0)
        fail_msg("round trip: %s\n%s", why ? why : "(no reason)", text);
    free(text);
    assert_instrument_equal(ins, &again);
}

/* ---- names ------------------------------------------------------------------------------ */

static void test_names(void **state)
{
    enum assess_method m = AM_PERCENT;
    (void)state;
    assert_string_equal(assess_method_name(AM_PERCENT), "percent");
    assert_string_equal(assess_method_name(AM_MEAN5), "mean5");
    assert_string_equal(assess_method_name(AM_LEVELS), "levels");
    assert_int_equal(assess_method_parse("levels", &m), 0);
    assert_int_equal(m, AM_LEVELS);
    assert_int_equal(assess_method_parse("mean5", &m), 0);
    assert_int_equal(m, AM_MEAN5);
    assert_int_equal(assess_method_parse("Levels", &m), APP_E_INVALID);
    assert_int_equal(assess_method_parse(NULL, &m), APP_E_INVALID);
    assert_int_equal(m, AM_MEAN5); /* unchanged on failure */
    assert_string_equal(assess_kind_name(AK_AGREE), "agree");
    assert_string_equal(assess_kind_name(AK_MATURITY), "maturity");
    assert_string_equal(assess_kind_name(AK_YESNO), "yesno");
    assert_string_equal(assess_kind_name(AK_BANDS), "bands");
    assert_string_equal(assess_kind_name(AK_CHOICE), "choice");
    /* each explanation is a distinct sentence saying what it averages */
    assert_non_null(strstr(assess_method_explain(AM_PERCENT), "percentage"));
    assert_non_null(strstr(assess_method_explain(AM_MEAN5), "1 to 5"));
    assert_non_null(strstr(assess_method_explain(AM_LEVELS), "level"));
    assert_string_not_equal(assess_method_explain(AM_PERCENT), assess_method_explain(AM_MEAN5));
}

/* ---- a valid instrument ------------------------------------------------------------------ */

static void test_valid(void **state)
{
    struct arena *a = arena_new();
    struct assess_instrument ins;
    const char *why = "unset";
    (void)state;
    assert_int_equal(parse(a, valid_doc, &ins, &why), 0);
    assert_null(why);
    assert_int_equal(ins.id, 0); /* id and version belong to the database */
    assert_int_equal(ins.version, 0);
    assert_string_equal(ins.code, "ahp-test");
    assert_string_equal(ins.title, "AHP test instrument");
    assert_string_equal(ins.description, "For the tests.");
    assert_string_equal(ins.audience, "individual");
    assert_int_equal(ins.method, AM_PERCENT);
    assert_true(ins.level_share == 1.0);
    assert_string_equal(ins.baseline_source, "NHS England, 2023");

    assert_int_equal(ins.nbands, 3);
    assert_true(ins.bands[0].from == 0);
    assert_string_equal(ins.bands[0].description, "Starting out");
    assert_string_equal(ins.bands[1].name, "Developing");
    assert_string_equal(ins.bands[1].description, "");
    assert_true(ins.bands[2].from == 70.5);

    assert_int_equal(ins.ndomains, 2);
    assert_int_equal(ins.nitems, 5);
    assert_int_equal(ins.domains[0].first, 0);
    assert_int_equal(ins.domains[0].nitems, 2);
    assert_int_equal(ins.domains[1].first, 2);
    assert_int_equal(ins.domains[1].nitems, 3);
    assert_true(ins.domains[0].weight == 2);
    assert_true(ins.domains[0].has_baseline);
    assert_true(ins.domains[0].baseline == 55.5);
    assert_string_equal(ins.domains[0].description, "Using data");
    /* defaults */
    assert_true(ins.domains[1].weight == 1);
    assert_false(ins.domains[1].has_baseline);
    assert_string_equal(ins.domains[1].description, "");
    const struct assess_item *d1 = &ins.domains[0].items[0], *d2 = &ins.domains[0].items[1];
    assert_string_equal(d1->id, "data-1");
    assert_string_equal(d1->help, "Think of audits.");
    assert_true(d1->weight == 1);
    assert_true(d1->met_at == 75);
    assert_int_equal(d1->level, 0);
    assert_string_equal(d2->help, "");
    assert_true(d2->weight == 0.5);
    assert_true(ins.domains[1].items[0].met_at == 50);
    assert_int_equal(ins.domains[1].items[2].level, 3);
    arena_free(a);
}

static void test_options_per_kind(void **state)
{
    static const char *const agree[] = {"Strongly disagree", "Disagree",
                                        "Neither agree nor disagree", "Agree", "Strongly agree"};
    static const char *const levels[] = {"None", "Aware", "Trying", "Using", "Leading"};
    struct arena *a = arena_new();
    struct assess_instrument ins;
    const struct assess_item *it;
    (void)state;
    assert_int_equal(parse(a, valid_doc, &ins, NULL), 0);

    it = &ins.domains[0].items[0];
    assert_int_equal(it->kind, AK_AGREE);
    assert_int_equal(it->noptions, 5);
    for (size_t k = 0; k < 5; k++) {
        assert_string_equal(it->options[k].label, agree[k]);
        assert_true(it->options[k].score == 25.0 * (double)k);
    }
    it = &ins.domains[0].items[1];
    assert_int_equal(it->kind, AK_YESNO);
    assert_int_equal(it->noptions, 2);
    assert_string_equal(it->options[0].label, "No");
    assert_true(it->options[0].score == 0);
    assert_string_equal(it->options[1].label, "Yes");
    assert_true(it->options[1].score == 100);
    it = &ins.domains[1].items[0];
    assert_int_equal(it->kind, AK_MATURITY);
    assert_int_equal(it->noptions, 5);
    for (size_t k = 0; k < 5; k++) {
        assert_string_equal(it->options[k].label, levels[k]); /* the descriptor, unprefixed */
        assert_true(it->options[k].score == 25.0 * (double)k);
    }
    it = &ins.domains[1].items[1];
    assert_int_equal(it->kind, AK_BANDS);
    assert_int_equal(it->noptions, 3);
    assert_string_equal(it->options[1].label, "25-75%");
    assert_true(it->options[1].score == 50);
    it = &ins.domains[1].items[2];
    assert_int_equal(it->kind, AK_CHOICE);
    assert_int_equal(it->noptions, 2);
    assert_string_equal(it->options[1].label, "One");
    assert_true(it->options[1].score == 33.3);
    arena_free(a);
}

/* The strings live in the arena, not in the (freed) JSON tree or the caller's buffer. */
static void test_strings_copied(void **state)
{
    struct arena *a = arena_new();
    struct assess_instrument ins;
    char *doc = strdup(valid_doc);
    (void)state;
    assert_non_null(doc);
    assert_int_equal(assess_instrument_parse(a, doc, strlen(doc), &ins, NULL), 0);
    memset(doc, 'x', strlen(doc));
    free(doc);
    assert_string_equal(ins.domains[1].items[1].options[2].label, "Over 75%");
    assert_string_equal(ins.domains[1].items[0].options[4].label, "Leading");
    arena_free(a);
}

static void test_round_trip(void **state)
{
    static const char levels_doc[] =
        "{\"code\":\"lv\",\"title\":\"Levels\",\"audience\":\"organisation\",\"method\":"
        "\"levels\",\"level_share\":0.7,\"bands\":[],\"domains\":["
        "{\"id\":\"a\",\"title\":\"A\",\"weight\":0.125,\"baseline\":0,\"items\":["
        "{\"id\":\"a1\",\"kind\":\"agree\",\"text\":\"x\",\"level\":1,\"met_at\":62.5},"
        "{\"id\":\"a2\",\"kind\":\"yesno\",\"text\":\"y\",\"level\":5,\"weight\":3}]},"
        "{\"id\":\"b\",\"title\":\"B \\u00e9\\u2014\",\"items\":["
        "{\"id\":\"b1\",\"kind\":\"choice\",\"text\":\"z\",\"level\":2,\"options\":["
        "{\"label\":\"p\",\"score\":0.1},{\"label\":\"q\",\"score\":100}]}]}]}";
    struct arena *a = arena_new();
    struct assess_instrument ins;
    const char *why = NULL;
    json_t *j;
    (void)state;
    assert_int_equal(parse(a, valid_doc, &ins, &why), 0);
    assert_round_trip(a, &ins);
    if (parse(a, levels_doc, &ins, &why) != 0)
        fail_msg("%s", why);
    assert_int_equal(ins.method, AM_LEVELS);
    assert_true(ins.level_share == 0.7);
    assert_true(ins.domains[0].has_baseline);
    assert_round_trip(a, &ins);

    /* the version is written for readers of an export; reading ignores it */
    ins.version = 4;
    j = assess_instrument_json(&ins);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 4);
    assert_null(json_object_get(j, "id"));
    json_decref(j);
    assert_null(assess_instrument_json(NULL));
    arena_free(a);
}

/* ---- invalid documents ------------------------------------------------------------------- */

#define HEAD               "\"code\":\"t\",\"title\":\"T\",\"audience\":\"team\",\"method\":\"percent\""
#define AGREE(id)          "{\"id\":\"" id "\",\"kind\":\"agree\",\"text\":\"Q\"}"
#define DOMAIN(id, items)  "{\"id\":\"" id "\",\"title\":\"D\",\"items\":[" items "]}"
#define DOC(head, domains) "{" head ",\"domains\":[" domains "]}"
#define ONE_ITEM(item)     DOC(HEAD, DOMAIN("d1", item))

struct bad {
    const char *doc;
    const char *words[3]; /* each must appear in *why */
};

static const struct bad bad_docs[] = {
    {"{\"code\":", {"not valid JSON", "line 1"}},
    {"[1,2]", {"must be a JSON object"}},
    {"{\"code\":\"t\",\"code\":\"u\"}", {"not valid JSON", "duplicate"}},
    {DOC(HEAD ",\"titel\":\"x\"", DOMAIN("d1", AGREE("i1"))),
     {"the instrument: unknown field \"titel\"", "description"}},
    {DOC("\"code\":\"Bad Code\",\"title\":\"T\",\"audience\":\"team\",\"method\":\"percent\"",
         DOMAIN("d1", AGREE("i1"))),
     {"\"code\" must be", "a-z"}},
    {DOC("\"code\":\"t\",\"audience\":\"team\",\"method\":\"percent\"", DOMAIN("d1", AGREE("i1"))),
     {"\"title\" is required"}},
    {DOC("\"code\":\"t\",\"title\":\"   \",\"audience\":\"team\",\"method\":\"percent\"",
         DOMAIN("d1", AGREE("i1"))),
     {"\"title\" must not be empty"}},
    {DOC("\"code\":\"t\",\"title\":\"T\",\"audience\":\"everyone\",\"method\":\"percent\"",
         DOMAIN("d1", AGREE("i1"))),
     {"\"audience\" must be individual, team or organisation", "everyone"}},
    {DOC("\"code\":\"t\",\"title\":\"T\",\"audience\":\"team\",\"method\":\"median\"",
         DOMAIN("d1", AGREE("i1"))),
     {"\"method\" must be percent, mean5 or levels", "median"}},
    {DOC(HEAD ",\"level_share\":0", DOMAIN("d1", AGREE("i1"))),
     {"\"level_share\" must be more than 0 and at most 1"}},
    {DOC(HEAD ",\"level_share\":1.5", DOMAIN("d1", AGREE("i1"))), {"\"level_share\""}},
    {DOC(HEAD ",\"bands\":[{\"from\":10,\"name\":\"A\"}]", DOMAIN("d1", AGREE("i1"))),
     {"band 1", "first band must start from 0"}},
    {DOC(HEAD ",\"bands\":[{\"from\":0,\"name\":\"A\"},{\"from\":50,\"name\":\"B\"},"
              "{\"from\":50,\"name\":\"C\"}]",
         DOMAIN("d1", AGREE("i1"))),
     {"band 3", "ascending"}},
    {DOC(HEAD ",\"bands\":[{\"from\":0,\"name\":\"A\"},{\"from\":120,\"name\":\"B\"}]",
         DOMAIN("d1", AGREE("i1"))),
     {"band 2", "\"from\" must be from 0 to 100"}},
    {DOC(HEAD ",\"bands\":[{\"from\":0}]", DOMAIN("d1", AGREE("i1"))),
     {"band 1", "\"name\" is required"}},
    {"{" HEAD ",\"domains\":[]}", {"from 1 to 40 domains"}},
    {"{" HEAD "}", {"\"domains\" is required"}},
    {DOC(HEAD, "{\"id\":\"d1\",\"title\":\"D\",\"items\":[]}"),
     {"domain 1 (\"d1\")", "at least one item"}},
    {DOC(HEAD, DOMAIN("d1", AGREE("i1")) "," DOMAIN("d1", AGREE("i2"))),
     {"domain 2 (\"d1\")", "already used by domain 1"}},
    {DOC(HEAD, DOMAIN("d1", AGREE("i1") "," AGREE("i2")) "," DOMAIN("d2", AGREE("i2"))),
     {"domain 2 (\"d2\"), item 1 (\"i2\")", "already used by domain 1 (\"d1\"), item 2"}},
    {DOC(HEAD, DOMAIN("Data", AGREE("i1"))), {"domain 1:", "\"id\" must be"}},
    {DOC(HEAD, "{\"id\":\"d1\",\"title\":\"D\",\"weight\":0,\"items\":[" AGREE("i1") "]}"),
     {"domain 1 (\"d1\")", "\"weight\" must be more than 0 and at most 100"}},
    {DOC(HEAD, "{\"id\":\"d1\",\"title\":\"D\",\"baseline\":150,\"items\":[" AGREE("i1") "]}"),
     {"domain 1 (\"d1\")", "\"baseline\" must be from 0 to 100"}},
    {DOC(HEAD, "{\"id\":\"d1\",\"title\":\"D\",\"items\":{}}"),
     {"domain 1 (\"d1\")", "\"items\" must be a list"}},
    {ONE_ITEM("{\"id\":\"I 1\",\"kind\":\"agree\",\"text\":\"Q\"}"),
     {"domain 1 (\"d1\"), item 1:", "\"id\" must be 1 to 40 characters"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"likert\",\"text\":\"Q\"}"),
     {"item 1 (\"i1\")", "\"kind\" must be agree", "likert"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\"}"), {"item 1 (\"i1\")", "\"text\" is required"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\" \"}"), {"\"text\" must not be empty"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":42}"), {"\"text\" must be a string"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"wieght\":2}"),
     {"item 1 (\"i1\"): unknown field \"wieght\"", "an item may have", "weight"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"weight\":101}"),
     {"\"weight\" must be more than 0 and at most 100"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"weight\":\"2\"}"),
     {"\"weight\" must be a number"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"met_at\":120}"),
     {"\"met_at\" must be from 0 to 100"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"level\":6}"),
     {"\"level\" must be a whole number from 1 to 5"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"level\":2.5}"),
     {"\"level\" must be a whole number"}},
    {DOC("\"code\":\"t\",\"title\":\"T\",\"audience\":\"team\",\"method\":\"levels\"",
         DOMAIN("d1",
                "{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"level\":1}," AGREE("i2"))),
     {"domain 1 (\"d1\"), item 2 (\"i2\")", "levels method", "\"level\""}},
    {DOC(HEAD, DOMAIN("x", AGREE("x1")) "," DOMAIN(
                   "ai", AGREE("ai-1") "," AGREE("ai-2") ",{\"id\":\"ai-3\",\"kind\":"
                                                         "\"maturity\",\"text\":\"Q\","
                                                         "\"levels\":[\"a\",\"b\",\"c\",\"d\"]}")),
     {"domain 2 (\"ai\"), item 3 (\"ai-3\"): a maturity item needs exactly 5 level descriptors"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"maturity\",\"text\":\"Q\"}"),
     {"needs exactly 5 level descriptors"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"maturity\",\"text\":\"Q\",\"levels\":[\"a\",\"b\","
              "\"\",\"d\",\"e\"]}"),
     {"level descriptor 3 must be a non-empty string"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"maturity\",\"text\":\"Q\",\"levels\":[\"a\",\"b\","
              "\"c\",\"d\",\"e\"],\"options\":[]}"),
     {"maturity item", "not \"options\""}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"Q\",\"options\":[{\"label\":\"a\","
              "\"score\":0},{\"label\":\"b\",\"score\":1}]}"),
     {"agree item has fixed options"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\",\"levels\":[\"a\",\"b\","
              "\"c\",\"d\",\"e\"]}"),
     {"only a maturity item has \"levels\""}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"bands\",\"text\":\"Q\"}"),
     {"a bands item needs \"options\""}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\",\"options\":[{\"label\":\"a\","
              "\"score\":0}]}"),
     {"needs from 2 to 36 options; it has 1"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\",\"options\":[{\"label\":\"a\","
              "\"score\":0},{\"label\":\"b\",\"score\":101}]}"),
     {"item 1 (\"i1\"), option 2", "\"score\" must be from 0 to 100"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\",\"options\":[{\"label\":\"a\","
              "\"score\":0},{\"label\":\"b\"}]}"),
     {"option 2", "\"score\" is required"}},
    {ONE_ITEM("{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\",\"options\":[{\"label\":\"a\","
              "\"score\":0},{\"label\":\"b\",\"score\":5,\"colour\":\"red\"}]}"),
     {"option 2", "unknown field \"colour\""}},
    {"{" HEAD ",\"domains\":[[[[[[[[[[[[1]]]]]]]]]]]]}", {"nests", "too deeply"}},
};

static void test_invalid(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    for (size_t i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
        struct assess_instrument ins;
        const char *why = NULL;
        int rc = parse(a, bad_docs[i].doc, &ins, &why);
        if (rc != APP_E_INVALID)
            fail_msg("case %zu: rc %d, expected APP_E_INVALID\n%s", i, rc, bad_docs[i].doc);
        assert_non_null(why);
        for (size_t w = 0; w < 3 && bad_docs[i].words[w]; w++)
            if (!strstr(why, bad_docs[i].words[w]))
                fail_msg("case %zu: \"%s\" is not in \"%s\"", i, bad_docs[i].words[w], why);
        /* *why may be NULL */
        assert_int_equal(parse(a, bad_docs[i].doc, &ins, NULL), APP_E_INVALID);
    }
    arena_free(a);
}

/* n copies of s, NUL-terminated, in the arena. */
static char *repeat(struct arena *a, const char *s, size_t n)
{
    size_t len = strlen(s);
    char *out = arena_alloc(a, len * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * len, s, len);
    out[len * n] = '\0';
    return out;
}

/* n agree items with ids prefix0 … prefix(n-1), comma-separated. */
static char *numbered_items(struct arena *a, const char *prefix, int n)
{
    char *out = arena_printf(a, "%s", "");
    for (int i = 0; i < n && out; i++)
        out = arena_printf(a, "%s%s{\"id\":\"%s%d\",\"kind\":\"agree\",\"text\":\"Q\"}", out,
                           i ? "," : "", prefix, i);
    assert_non_null(out);
    return out;
}

/* A document with one domain holding the given items. */
static char *one_domain(struct arena *a, const char *items)
{
    char *doc = arena_printf(a, ONE_ITEM("%s"), items);
    assert_non_null(doc);
    return doc;
}

static void expect_invalid(struct arena *a, const char *doc, size_t len, const char *words)
{
    struct assess_instrument ins;
    const char *why = NULL;
    assert_int_equal(assess_instrument_parse(a, doc, len, &ins, &why), APP_E_INVALID);
    assert_non_null(why);
    if (!strstr(why, words))
        fail_msg("\"%s\" is not in \"%s\"", words, why);
}

/* Limits, counted in characters and items, and bytes that are not text. */
static void test_invalid_built(void **state)
{
    struct arena *a = arena_new();
    struct assess_instrument ins;
    const char *why = NULL;
    char *doc, *items;
    (void)state;

    /* item text: 500 characters pass, 501 do not; é is one character in two bytes */
    doc =
        one_domain(a, arena_printf(a, "{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"%s\xc3\xa9\"}",
                                   repeat(a, "x", 499)));
    assert_int_equal(parse(a, doc, &ins, &why), 0);
    doc =
        one_domain(a, arena_printf(a, "{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"%s\xc3\xa9\"}",
                                   repeat(a, "x", 500)));
    expect_invalid(a, doc, strlen(doc), "\"text\" is 501 characters long; at most 500");

    /* title: 200 characters */
    doc = arena_printf(a,
                       DOC("\"code\":\"t\",\"title\":\"%s\",\"audience\":\"team\",\"method\":"
                           "\"percent\"",
                           DOMAIN("d1", AGREE("i1"))),
                       repeat(a, "t", 201));
    expect_invalid(a, doc, strlen(doc), "\"title\" is 201 characters long; at most 200");

    /* ids: 40 characters pass, 41 do not */
    doc = one_domain(a, arena_printf(a, AGREE("%s"), repeat(a, "a", 40)));
    assert_int_equal(parse(a, doc, &ins, &why), 0);
    doc = one_domain(a, arena_printf(a, AGREE("%s"), repeat(a, "a", 41)));
    expect_invalid(a, doc, strlen(doc), "item 1: \"id\" must be 1 to 40 characters");

    /* 400 items pass and are numbered across domains; 401 do not */
    doc = arena_printf(a, DOC(HEAD, "%s,%s"),
                       arena_printf(a, DOMAIN("d1", "%s"), numbered_items(a, "a", 200)),
                       arena_printf(a, DOMAIN("d2", "%s"), numbered_items(a, "b", 200)));
    assert_int_equal(parse(a, doc, &ins, &why), 0);
    assert_int_equal(ins.nitems, 400);
    assert_int_equal(ins.domains[1].first, 200);
    assert_string_equal(ins.domains[1].items[199].id, "b199");
    doc = arena_printf(a, DOC(HEAD, "%s,%s," DOMAIN("d3", AGREE("last"))),
                       arena_printf(a, DOMAIN("d1", "%s"), numbered_items(a, "a", 200)),
                       arena_printf(a, DOMAIN("d2", "%s"), numbered_items(a, "b", 200)));
    expect_invalid(a, doc, strlen(doc),
                   "domain 3 (\"d3\"): the instrument has more than 400 items");

    /* 36 options pass (the last is answered with 'z'); 37 do not */
    items = repeat(a, "{\"label\":\"o\",\"score\":50},", 35);
    doc = one_domain(a, arena_printf(a,
                                     "{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\","
                                     "\"options\":[%s{\"label\":\"o\",\"score\":50}]}",
                                     items));
    assert_int_equal(parse(a, doc, &ins, &why), 0);
    assert_int_equal(ins.domains[0].items[0].noptions, 36);
    assert_true(assess_answers_valid(&ins, "z"));
    items = repeat(a, "{\"label\":\"o\",\"score\":50},", 36);
    doc = one_domain(a, arena_printf(a,
                                     "{\"id\":\"i1\",\"kind\":\"choice\",\"text\":\"Q\","
                                     "\"options\":[%s{\"label\":\"o\",\"score\":50}]}",
                                     items));
    expect_invalid(a, doc, strlen(doc), "needs from 2 to 36 options; it has 37");

    /* 41 domains */
    {
        char *ds = arena_printf(a, "%s", "");
        for (int i = 0; i < 41; i++)
            ds = arena_printf(a,
                              "%s%s{\"id\":\"d%d\",\"title\":\"D\",\"items\":["
                              "{\"id\":\"i%d\",\"kind\":\"yesno\",\"text\":\"Q\"}]}",
                              ds, i ? "," : "", i, i);
        doc = arena_printf(a, DOC(HEAD, "%s"), ds);
        expect_invalid(a, doc, strlen(doc), "from 1 to 40 domains; it has 41");
    }

    /* bytes that are not UTF-8 text, a NUL inside, nothing at all */
    doc = one_domain(a, "{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"caf\xe9\"}");
    expect_invalid(a, doc, strlen(doc), "not valid UTF-8");
    doc = one_domain(a, AGREE("i1"));
    expect_invalid(a, doc, strlen(doc) + 1, "not valid UTF-8");
    expect_invalid(a, "", 0, "not valid JSON");
    /* a \u0000 escape inside a string */
    doc = one_domain(a, "{\"id\":\"i1\",\"kind\":\"agree\",\"text\":\"a\\u0000b\"}");
    expect_invalid(a, doc, strlen(doc), "not valid JSON");

    /* a long unknown key is quoted only in part */
    doc = arena_printf(a, DOC(HEAD ",\"%s\":1", DOMAIN("d1", AGREE("i1"))), repeat(a, "k", 5000));
    expect_invalid(a, doc, strlen(doc), "unknown field");
    assert_int_equal(parse(a, doc, &ins, &why), APP_E_INVALID);
    assert_true(strlen(why) < 400);

    /* missing arguments */
    assert_int_equal(assess_instrument_parse(NULL, valid_doc, strlen(valid_doc), &ins, &why),
                     APP_E_INVALID);
    assert_int_equal(assess_instrument_parse(a, NULL, 5, &ins, &why), APP_E_INVALID);
    arena_free(a);
}

/* ---- answers ----------------------------------------------------------------------------- */

static void test_answer_chars(void **state)
{
    (void)state;
    assert_int_equal(assess_answer_at("-0a9z", 5, 0), -1);
    assert_int_equal(assess_answer_at("-0a9z", 5, 1), 0);
    assert_int_equal(assess_answer_at("-0a9z", 5, 2), 10);
    assert_int_equal(assess_answer_at("-0a9z", 5, 3), 9);
    assert_int_equal(assess_answer_at("-0a9z", 5, 4), 35);
    assert_int_equal(assess_answer_at("-0a9z", 5, 5), -1); /* out of range */
    assert_int_equal(assess_answer_at("-0a9z", 3, 4), -1); /* beyond len */
    assert_int_equal(assess_answer_at("A", 1, 0), -1);
    assert_int_equal(assess_answer_at("?", 1, 0), -1);
    assert_int_equal(assess_answer_at(NULL, 3, 0), -1);
    assert_int_equal(assess_answer_char(0), '0');
    assert_int_equal(assess_answer_char(9), '9');
    assert_int_equal(assess_answer_char(10), 'a');
    assert_int_equal(assess_answer_char(35), 'z');
    assert_int_equal(assess_answer_char(36), '-');
    assert_int_equal(assess_answer_char(-1), '-');
    for (int i = 0; i < ASSESS_MAX_OPTIONS; i++) {
        char c = assess_answer_char(i);
        assert_int_equal(assess_answer_at(&c, 1, 0), i);
    }
}

static void test_answers(void **state)
{
    struct arena *a = arena_new();
    struct assess_instrument ins;
    char *blank;
    (void)state;
    assert_int_equal(parse(a, valid_doc, &ins, NULL), 0);
    /* items: agree(5) yesno(2) maturity(5) bands(3) choice(2) */
    blank = assess_answers_blank(a, &ins);
    assert_non_null(blank);
    assert_string_equal(blank, "-----");
    assert_true(assess_answers_valid(&ins, blank));
    assert_true(assess_answers_valid(&ins, "41421"));
    assert_true(assess_answers_valid(&ins, "00000"));
    assert_true(assess_answers_valid(&ins, "-1-2-"));
    assert_false(assess_answers_valid(&ins, "5----"));  /* agree has options 0..4 */
    assert_false(assess_answers_valid(&ins, "-2---"));  /* yesno has 0..1 */
    assert_false(assess_answers_valid(&ins, "---3-"));  /* bands has 0..2 */
    assert_false(assess_answers_valid(&ins, "----2"));  /* choice has 0..1 */
    assert_false(assess_answers_valid(&ins, "----"));   /* too short */
    assert_false(assess_answers_valid(&ins, "------")); /* too long */
    assert_false(assess_answers_valid(&ins, ""));
    assert_false(assess_answers_valid(&ins, "A----"));
    assert_false(assess_answers_valid(&ins, " ----"));
    assert_false(assess_answers_valid(&ins, NULL));
    assert_false(assess_answers_valid(NULL, "-----"));
    assert_null(assess_answers_blank(a, NULL));
    arena_free(a);
}

/* ---- failure paths ----------------------------------------------------------------------- */

/* Every allocation of the parse failing in turn gives APP_E_NOMEM and leaks nothing (the
 * sanitizer build checks the jansson tree is freed on each path). */
static void test_parse_out_of_memory(void **state)
{
    long n;
    (void)state;
    for (n = 1; n < 10000; n++) {
        struct arena *a = arena_new();
        struct assess_instrument ins;
        const char *why = NULL;
        int rc;
        assert_non_null(a);
        arena_fail_after(n);
        rc = parse(a, valid_doc, &ins, &why);
        arena_fail_after(0);
        arena_free(a);
        if (rc == 0)
            break;
        assert_int_equal(rc, APP_E_NOMEM);
        assert_non_null(why);
    }
    assert_true(n > 10); /* the parse did allocate */
    assert_true(n < 10000);
}

static long json_allocs_left;
static void *failing_malloc(size_t n)
{
    if (json_allocs_left-- <= 0)
        return NULL;
    return malloc(n);
}

/* The JSON writer gives NULL, and frees what it built, whichever of jansson's allocations
 * fails. */
static void test_json_out_of_memory(void **state)
{
    struct arena *a = arena_new();
    struct assess_instrument ins;
    long n;
    (void)state;
    assert_int_equal(parse(a, valid_doc, &ins, NULL), 0);
    for (n = 0; n < 100000; n++) {
        json_t *j;
        json_allocs_left = n;
        json_set_alloc_funcs(failing_malloc, free);
        j = assess_instrument_json(&ins);
        json_set_alloc_funcs(malloc, free);
        if (j) {
            json_decref(j);
            break;
        }
    }
    assert_true(n > 20);
    assert_true(n < 100000);
    arena_free(a);
}

/* ---- the shipped instruments ------------------------------------------------------------- */

static void test_embedded_instruments(void **state)
{
    static const char prefix[] = "data/instruments/";
    size_t found = 0;
    (void)state;
    for (size_t i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        size_t n = strlen(f->path);
        struct arena *a;
        struct assess_instrument ins;
        const char *why = NULL;
        if (strncmp(f->path, prefix, sizeof prefix - 1) || n < 5 ||
            strcmp(f->path + n - 5, ".json"))
            continue;
        found++;
        a = arena_new();
        if (assess_instrument_parse(a, (const char *)f->data, f->len, &ins, &why) != 0)
            fail_msg("%s: %s", f->path, why ? why : "(no reason)");
        assert_true(ins.nitems > 0);
        assert_round_trip(a, &ins);
        arena_free(a);
    }
    if (!embed_find("data/instruments/ahp-digital-capability.json"))
        fprintf(stderr, "instrument_test: data/instruments/ahp-digital-capability.json is not "
                        "embedded (yet)\n");
    if (!found) {
        fprintf(stderr, "instrument_test: no data/instruments/*.json embedded; skipping\n");
        skip();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_options_per_kind),
        cmocka_unit_test(test_strings_copied),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_invalid_built),
        cmocka_unit_test(test_answer_chars),
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_parse_out_of_memory),
        cmocka_unit_test(test_json_out_of_memory),
        cmocka_unit_test(test_embedded_instruments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
