/* analysis_test.c: the themes view model — what the CLI prints and the reports will show */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    assert_int_equal(listen_themes_json(docs, 10, 2, &out), APP_OK);
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
    assert_int_equal(listen_themes_json(docs, 10, 0, &a), APP_OK);
    assert_int_equal(listen_themes_json(docs, 10, 0, &b), APP_OK);
    sa = json_dumps(a, JSON_SORT_KEYS);
    sb = json_dumps(b, JSON_SORT_KEYS);
    assert_string_equal(sa, sb);
    free(sa);
    free(sb);
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes_json),
        cmocka_unit_test(test_same_answers_same_themes),
    };
    return cmocka_run_group_tests_name("listen/analysis", tests, NULL, NULL);
}
