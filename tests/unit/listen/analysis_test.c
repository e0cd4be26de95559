/* analysis_test.c: the themes view model — what the CLI prints and the reports will show —
 * and a run's result between its stored document and its structs */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/analysis.h"
#include "text/tokenise.h"

/* Two planted topics, with personal data in one answer. */
static const char *const answers[] = {
    "Waiting lists for physiotherapy are far too long",
    "The waiting list for speech therapy is very long",
    "Long waiting lists mean people give up on physiotherapy",
    "Shorter waiting lists please, email me at sam@example.org",
    "My child waited a year on the waiting list",
    "Staff need protected time for training and supervision",
    "Training budgets for therapists have been cut",
    "Give staff time for training and career development",
    "Supervision and training help staff stay in the NHS",
    "Career development and training for support workers",
};

static void test_themes_json(void **state)
{
    struct text_span docs[10];
    json_t *out = NULL, *themes;
    char *text;
    (void)state;
    for (int i = 0; i < 10; i++) {
        docs[i].s = answers[i];
        docs[i].len = strlen(answers[i]);
    }
    assert_int_equal(listen_themes_json(docs, 10, 2, NULL, &out), APP_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "documents")), 10);
    assert_int_equal(json_integer_value(json_object_get(out, "k")), 2);
    themes = json_object_get(out, "themes");
    assert_int_equal(json_array_size(themes), 2);
    text = json_dumps(out, 0);
    assert_non_null(text);
    /* the two topics are found, and quotes never carry personal data */
    assert_non_null(strstr(text, "waiting"));
    assert_non_null(strstr(text, "training"));
    assert_null(strstr(text, "sam@example.org"));
    free(text);
    for (size_t t = 0; t < 2; t++) {
        json_t *th = json_array_get(themes, t);
        assert_true(strlen(json_string_value(json_object_get(th, "label"))) > 0);
        assert_true(json_integer_value(json_object_get(th, "size")) >= 3);
        assert_true(json_array_size(json_object_get(th, "representatives")) >= 1);
    }
    json_decref(out);
}

/* People who leave their details: the markers redaction put in their place are no one's
 * words, so no theme is labelled or described by them. */
static const char *const with_markers[] = {
    "Waiting lists for physiotherapy are far too long, ring me on [phone number removed]",
    "The waiting list for speech therapy is very long [email removed]",
    "Long waiting lists mean people give up, [phone number removed] or [email removed]",
    "Shorter waiting lists please, write to me at [email removed]",
    "My child waited a year on the waiting list, call [phone number removed]",
    "Staff need protected time for training [email removed] [phone number removed]",
    "Training budgets for therapists have been cut [NHS number removed]",
    "Give staff time for training, I live at [postcode removed] see [web address removed]",
    "Supervision and training help staff stay, [Email Removed] [phone number removed]",
    "Career development and training for support workers [email removed]",
    "More staff on the wards, [phone number removed] [email removed]",
    "Evening clinics for working parents [email removed] [phone number removed]",
};

static void test_themes_leave_markers_out(void **state)
{
    static const char *const marker_words[] = {"removed",  "email",   "phone", "number",
                                               "postcode", "address", "web",   "nhs"};
    size_t n = sizeof with_markers / sizeof with_markers[0];
    struct text_span docs[sizeof with_markers / sizeof with_markers[0]];
    json_t *out = NULL, *themes;
    (void)state;
    for (size_t i = 0; i < n; i++) {
        docs[i].s = with_markers[i];
        docs[i].len = strlen(with_markers[i]);
    }
    for (size_t k = 0; k <= 3; k++) {
        if (k == 1)
            continue;
        assert_int_equal(listen_themes_json(docs, n, k, NULL, &out), APP_OK);
        themes = json_object_get(out, "themes");
        assert_true(json_array_size(themes) >= 2);
        for (size_t t = 0; t < json_array_size(themes); t++) {
            json_t *th = json_array_get(themes, t), *terms = json_object_get(th, "terms");
            const char *label = json_string_value(json_object_get(th, "label"));
            assert_true(json_array_size(terms) >= 1);
            for (size_t w = 0; w < sizeof marker_words / sizeof marker_words[0]; w++) {
                if (strstr(label, marker_words[w]))
                    fail_msg("theme %zu label \"%s\" holds \"%s\"", t, label, marker_words[w]);
                for (size_t i = 0; i < json_array_size(terms); i++) {
                    const char *term = json_string_value(json_array_get(terms, i));
                    if (strstr(term, marker_words[w]))
                        fail_msg("theme %zu term \"%s\" holds \"%s\"", t, term, marker_words[w]);
                }
            }
            /* quotes keep the markers: readers see something was there */
        }
        if (k == 2) {
            char *text = json_dumps(out, 0);
            assert_non_null(text);
            assert_non_null(strstr(text, "removed]"));
            free(text);
        }
        json_decref(out);
    }
}

static void test_same_answers_same_themes(void **state)
{
    struct text_span docs[10];
    json_t *a = NULL, *b = NULL;
    char *sa, *sb;
    (void)state;
    for (int i = 0; i < 10; i++) {
        docs[i].s = answers[i];
        docs[i].len = strlen(answers[i]);
    }
    assert_int_equal(listen_themes_json(docs, 10, 0, NULL, &a), APP_OK);
    assert_int_equal(listen_themes_json(docs, 10, 0, NULL, &b), APP_OK);
    sa = json_dumps(a, JSON_SORT_KEYS);
    sb = json_dumps(b, JSON_SORT_KEYS);
    assert_string_equal(sa, sb);
    free(sa);
    free(sb);
    json_decref(a);
    json_decref(b);
}

/* A result with every field set, two themes (one split from the other, one with no members)
 * and opinion groups. */
static const char *terms_a[] = {"waiting", "lists", "long"}, *terms_b[] = {"training"};
static const char *quotes[] = {"The wait was long", "Lists, lists"};
static const char *consensus[] = {"Staff are kind"};
/* one member with its weight, one as runs before weights stored it (weight -1: 5 items) */
static struct listen_member members_a[] = {{11, 0, 3, 1, 0, 0.25}, {12, 3, 0, 0, 2, -1}};
static int64_t rep_ids[] = {11};
static struct listen_opinion_statement stmts[] = {{"The wait was long", true, 87, 31},
                                                  {"Training \"matters\"", false, 64, -1}};
static struct listen_opinion_group groups[] = {{1, "10", stmts, 2}, {2, "*", stmts + 1, 1}};
static struct listen_map_point points[] = {{0.125, -1.5, 1}, {0, 2, 2}};
static struct listen_pin pins[] = {{12, "Pinned: the wait"}};

static void sample(struct listen_theme themes[2], struct listen_opinion *op,
                   struct listen_analysis *r)
{
    memset(themes, 0, 2 * sizeof *themes);
    themes[0] = (struct listen_theme){
        .label = "waiting · lists",
        .terms = {terms_a, 3},
        .size = "*",
        .coherence = 0.3286131379898224,
        .representatives = {quotes, 2},
        .terms_text = "waiting, lists, long",
        .representative_ids = rep_ids,
        .nrepresentative_ids = 1,
        .members = members_a,
        .nmembers = 2,
        .key = {terms_a, 2},
        .by_audience = {"*", "0", "0", "*"},
        .agree_percent = "",
        .agree_hidden = true,
        .votes = "*",
        .quotes_citizens = {quotes, 1},
        .quotes_professionals = {quotes + 1, 1},
    };
    /* as curation leaves it: renamed, with a pin */
    themes[0].curated = true;
    themes[0].edited = true;
    themes[0].split_requested = true;
    themes[0].computed_label = "waiting · lists · long";
    themes[0].pinned = pins;
    themes[0].npinned = 1;
    themes[1] = (struct listen_theme){.label = "training",
                                      .terms = {terms_b, 1},
                                      .size = "1,235",
                                      .split_from = "waiting · lists"};
    *op = (struct listen_opinion){"40", groups, 2, {consensus, 1}, true, points, 2, NULL, 0, true,
                                  2,    3,      1};
    *r =
        (struct listen_analysis){18, 2, 40, 0.5, 3.0652254819469186e-05, themes, 2, op, "20", "de"};
}

static void assert_str_same(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void assert_strs_same(const struct listen_strs *a, const struct listen_strs *b)
{
    assert_int_equal(a->v == NULL, b->v == NULL);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        assert_string_equal(a->v[i], b->v[i]);
}

static void assert_same(const struct listen_analysis *a, const struct listen_analysis *b)
{
    assert_int_equal(a->documents, b->documents);
    assert_int_equal(a->k, b->k);
    assert_int_equal(a->terms, b->terms);
    assert_true(a->coherence == b->coherence);
    assert_true(a->reconstruction_error == b->reconstruction_error);
    assert_str_same(a->contributions, b->contributions);
    assert_str_same(a->language, b->language);
    assert_int_equal(a->nthemes, b->nthemes);
    for (size_t t = 0; t < a->nthemes; t++) {
        const struct listen_theme *x = &a->themes[t], *y = &b->themes[t];
        assert_str_same(x->label, y->label);
        assert_strs_same(&x->terms, &y->terms);
        assert_str_same(x->size, y->size);
        assert_true(x->coherence == y->coherence);
        assert_strs_same(&x->representatives, &y->representatives);
        assert_str_same(x->terms_text, y->terms_text);
        assert_int_equal(x->representative_ids == NULL, y->representative_ids == NULL);
        assert_int_equal(x->nrepresentative_ids, y->nrepresentative_ids);
        for (size_t i = 0; i < x->nrepresentative_ids; i++)
            assert_int_equal(x->representative_ids[i], y->representative_ids[i]);
        assert_int_equal(x->members == NULL, y->members == NULL);
        assert_int_equal(x->nmembers, y->nmembers);
        for (size_t i = 0; i < x->nmembers; i++)
            assert_memory_equal(&x->members[i], &y->members[i], sizeof x->members[i]);
        assert_strs_same(&x->key, &y->key);
        for (int k = 0; k < LISTEN_AUDIENCES; k++)
            assert_str_same(x->by_audience[k], y->by_audience[k]);
        assert_str_same(x->agree_percent, y->agree_percent);
        assert_int_equal(x->agree_hidden, y->agree_hidden);
        assert_str_same(x->votes, y->votes);
        assert_strs_same(&x->quotes_citizens, &y->quotes_citizens);
        assert_strs_same(&x->quotes_professionals, &y->quotes_professionals);
        assert_str_same(x->split_from, y->split_from);
        assert_int_equal(x->curated, y->curated);
        assert_int_equal(x->edited, y->edited);
        assert_int_equal(x->hidden, y->hidden);
        assert_int_equal(x->split_requested, y->split_requested);
        assert_str_same(x->computed_label, y->computed_label);
        assert_str_same(x->merged_into, y->merged_into);
        assert_int_equal(x->pinned == NULL, y->pinned == NULL);
        assert_int_equal(x->npinned, y->npinned);
        for (size_t i = 0; i < x->npinned; i++) {
            assert_int_equal(x->pinned[i].id, y->pinned[i].id);
            assert_string_equal(x->pinned[i].text, y->pinned[i].text);
        }
    }
    assert_int_equal(a->opinion == NULL, b->opinion == NULL);
    if (a->opinion) {
        const struct listen_opinion *x = a->opinion, *y = b->opinion;
        assert_str_same(x->participants, y->participants);
        assert_int_equal(x->has_groups, y->has_groups);
        assert_int_equal(x->has_carry, y->has_carry);
        assert_int_equal(x->carry_k, y->carry_k);
        assert_int_equal(x->carry_cand_k, y->carry_cand_k);
        assert_int_equal(x->carry_cand_runs, y->carry_cand_runs);
        assert_strs_same(&x->consensus, &y->consensus);
        assert_int_equal(x->ngroups, y->ngroups);
        for (size_t g = 0; g < x->ngroups; g++) {
            assert_int_equal(x->groups[g].number, y->groups[g].number);
            assert_str_same(x->groups[g].size, y->groups[g].size);
            assert_int_equal(x->groups[g].nstatements, y->groups[g].nstatements);
            for (size_t i = 0; i < x->groups[g].nstatements; i++) {
                assert_string_equal(x->groups[g].statements[i].text,
                                    y->groups[g].statements[i].text);
                assert_int_equal(x->groups[g].statements[i].agree,
                                 y->groups[g].statements[i].agree);
                assert_int_equal(x->groups[g].statements[i].percent,
                                 y->groups[g].statements[i].percent);
            }
        }
        assert_int_equal(x->nmap, y->nmap);
        for (size_t i = 0; i < x->nmap; i++) {
            assert_true(x->map[i].x == y->map[i].x && x->map[i].y == y->map[i].y);
            assert_int_equal(x->map[i].group, y->map[i].group);
        }
    }
}

static char *sample_text(void)
{
    struct listen_theme themes[2];
    struct listen_opinion op;
    struct listen_analysis r;
    json_t *j = NULL;
    char *text;
    sample(themes, &op, &r);
    assert_int_equal(listen_analysis_json(&r, &j), APP_OK);
    text = json_dumps(j, JSON_COMPACT);
    assert_non_null(text);
    json_decref(j);
    return text;
}

/* parse(json(x)) == x, absent fields staying absent; and json(parse(text)) == text. */
static void test_result_round_trip(void **state)
{
    struct listen_theme themes[2];
    struct listen_opinion op;
    struct listen_analysis r, back;
    struct arena *a = arena_new();
    json_t *j = NULL;
    char *text = sample_text(), *again;
    (void)state;
    sample(themes, &op, &r);
    assert_int_equal(listen_analysis_parse(a, text, strlen(text), &back), APP_OK);
    assert_same(&r, &back);
    assert_null(back.themes[1].members);
    assert_null(back.themes[1].by_audience[0]);
    assert_null(back.themes[0].split_from);
    /* a weight where stored, none (-1) where an older run stored five items */
    assert_true(back.themes[0].members[0].weight == 0.25);
    assert_true(back.themes[0].members[1].weight == -1);
    assert_non_null(strstr(text, "[11,0,3,1,0,0.25]"));
    assert_non_null(strstr(text, "[12,3,0,0,2]"));
    assert_int_equal(listen_analysis_json(&back, &j), APP_OK);
    again = json_dumps(j, JSON_COMPACT);
    assert_string_equal(again, text);
    /* no opinion groups: none written, none read */
    r.opinion = NULL;
    json_decref(j);
    assert_int_equal(listen_analysis_json(&r, &j), APP_OK);
    assert_null(json_object_get(j, "opinion"));
    assert_int_equal(listen_analysis_parse_json(a, j, &back), APP_OK);
    assert_same(&r, &back);
    free(again);
    free(text);
    json_decref(j);
    arena_free(a);
}

/* Replaces each value in turn, at every depth, with one of another type (and deletes each
 * required one): every such document must be refused, not half read. */
static size_t wrong_types(json_t *doc, json_t *node)
{
    size_t tried = 0, i;
    const char *key;
    json_t *v;
    if (json_is_object(node)) {
        void *tmp;
        json_object_foreach_safe(node, tmp, key, v)
        {
            json_t *keep = json_incref(v),
                   *bad = json_is_string(v) ? json_integer(7) : json_string("x");
            struct arena *a = arena_new();
            struct listen_analysis r;
            char *text;
            json_object_set_new(node, key, bad);
            text = json_dumps(doc, JSON_COMPACT);
            if (listen_analysis_parse(a, text, strlen(text), &r) != APP_E_INVALID)
                fail_msg("accepted a wrong type at \"%s\": %s", key, text);
            free(text);
            arena_free(a);
            json_object_set_new(node, key, keep);
            tried += 1 + wrong_types(doc, v);
        }
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, v)
        {
            json_t *keep = json_incref(v),
                   *bad = json_is_string(v) ? json_integer(7) : json_string("x");
            struct arena *a = arena_new();
            struct listen_analysis r;
            char *text;
            json_array_set_new(node, i, bad);
            text = json_dumps(doc, JSON_COMPACT);
            if (listen_analysis_parse(a, text, strlen(text), &r) != APP_E_INVALID)
                fail_msg("accepted a wrong type in an array: %s", text);
            free(text);
            arena_free(a);
            json_array_set_new(node, i, keep);
            tried += 1 + wrong_types(doc, v);
        }
    }
    return tried;
}

static void test_result_malformed(void **state)
{
    char *text = sample_text();
    size_t len = strlen(text);
    json_t *doc = json_loads(text, 0, NULL);
    struct arena *a = arena_new();
    struct listen_analysis r;
    static const char *const bad[] = {"",
                                      "null",
                                      "[]",
                                      "\"themes\"",
                                      "{}",
                                      "{\"themes\":{}}",
                                      "{\"themes\":[{}]}",
                                      "{\"themes\":[{\"label\":null}]}",
                                      "{\"themes\":[{\"label\":\"x\",\"members\":[[1,2,3]]}]}",
                                      "{\"themes\":[],\"opinion\":{\"groups\":[{\"number\":1}]}}"};
    static const char *const bad_members[] = {"[1,2,3,4,5,-1.0]", "[1,2,3,4,5,6,7]",
                                              "[1,2,3,4,5,\"0.5\"]"};
    (void)state;
    /* every truncation of a good document */
    for (size_t n = 0; n < len; n++) {
        memset(&r, 0xff, sizeof r);
        assert_int_equal(listen_analysis_parse(a, text, n, &r), APP_E_INVALID);
        assert_null(r.themes);
        assert_int_equal(r.nthemes, 0);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(listen_analysis_parse(a, bad[i], strlen(bad[i]), &r), APP_E_INVALID);
    /* a member's weight is a number of at least 0, its sixth and last item */
    for (size_t i = 0; i < sizeof bad_members / sizeof bad_members[0]; i++) {
        char one[128];
        snprintf(one, sizeof one, "{\"themes\":[{\"label\":\"x\",\"members\":[%s]}]}",
                 bad_members[i]);
        assert_int_equal(listen_analysis_parse(a, one, strlen(one), &r), APP_E_INVALID);
    }
    assert_int_equal(listen_analysis_parse(a, text, len, &r), APP_OK);
    /* and every value of the wrong type */
    assert_true(wrong_types(doc, doc) > 60);
    json_decref(doc);
    arena_free(a);
    free(text);
}

/* Out of memory at every allocation of the parse in turn: a clean APP_E_NOMEM and an empty
 * result each time (and, under ASan, nothing leaked), until there is enough. */
static void test_result_parse_out_of_memory(void **state)
{
    char *text = sample_text();
    struct listen_analysis r;
    int rc = APP_E_NOMEM;
    long n;
    (void)state;
    for (n = 1; rc == APP_E_NOMEM && n < 10000; n++) {
        struct arena *a = arena_new();
        assert_non_null(a);
        arena_fail_after(n);
        rc = listen_analysis_parse(a, text, strlen(text), &r);
        arena_fail_after(0);
        if (rc) {
            assert_int_equal(rc, APP_E_NOMEM);
            assert_null(r.themes);
        }
        arena_free(a);
    }
    assert_int_equal(rc, APP_OK);
    assert_true(n > 20); /* it did fail, many times over, before it passed */
    free(text);
}

/* A label scrubbed before and the same label once its words are back: a marker stands for one
 * whole space-separated word, the comma the scrub kept must still be there, and anything else
 * must match byte for byte. */
static void test_words_scrubbed_from(void **state)
{
    (void)state;
    assert_true(listen_words_scrubbed_from("advanced [word removed] \xc2\xb7 home",
                                           "advanced paramedics \xc2\xb7 home"));
    assert_true(listen_words_scrubbed_from("[word removed], home", "leeds, home"));
    assert_true(listen_words_scrubbed_from("[word removed] [word removed] care",
                                           "[word removed] ward care"));
    assert_true(listen_words_scrubbed_from("home care", "home care"));
    assert_false(listen_words_scrubbed_from("[word removed], home", "leeds home"));
    assert_false(listen_words_scrubbed_from("advanced [word removed]", "advanced"));
    assert_false(listen_words_scrubbed_from("advanced [word removed]", "advanced two words"));
    assert_false(listen_words_scrubbed_from("advanced [word removed] care", "basic nurses care"));
    assert_false(listen_words_scrubbed_from("home", "home care"));
    assert_false(listen_words_scrubbed_from(NULL, "home"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes_json),
        cmocka_unit_test(test_themes_leave_markers_out),
        cmocka_unit_test(test_same_answers_same_themes),
        cmocka_unit_test(test_result_round_trip),
        cmocka_unit_test(test_result_malformed),
        cmocka_unit_test(test_result_parse_out_of_memory),
        cmocka_unit_test(test_words_scrubbed_from),
    };
    return cmocka_run_group_tests_name("listen/analysis", tests, NULL, NULL);
}
