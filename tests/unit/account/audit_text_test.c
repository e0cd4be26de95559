/* audit_text_test.c: every audit event the program writes has a sentence, and the sentences
 * read as they should
 *
 * The walk reads the source tree (the tests run from the repository's top directory, as
 * tests/run.sh does), finds every account_audit(db, "code", …) call and fails for a code with
 * no sentence in account/audit_text.c, or for a call whose code is not written out, which the
 * walk could not check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/audit_text.h"
#include "core/arena.h"

static int codes_seen, problems;

static void check_file(const char *path, const char *text)
{
    const char *p = text;
    while ((p = strstr(p, "account_audit(")) != NULL) {
        const char *q = p + strlen("account_audit(");
        char code[64];
        size_t n = 0;
        p = q;
        /* the definition and declarations name their parameters, not an event */
        if (!strncmp(q, "struct", 6))
            continue;
        q = strchr(q, ',');
        if (!q)
            break;
        q++;
        while (*q == ' ' || *q == '\n' || *q == '\t')
            q++;
        if (*q != '"') {
            fprintf(stderr, "%s: an account_audit() call whose event is not a literal\n", path);
            problems++;
            continue;
        }
        for (q++; *q && *q != '"' && n + 1 < sizeof code; q++)
            code[n++] = *q;
        code[n] = '\0';
        codes_seen++;
        if (!account_audit_known(code)) {
            fprintf(stderr, "%s: the audit event \"%s\" has no sentence in audit_text.c\n", path,
                    code);
            problems++;
        }
    }
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    size_t len = strlen(path);
    FILE *f;
    char *text;
    (void)ftw;
    if (type != FTW_F || len < 2 || strcmp(path + len - 2, ".c") != 0)
        return 0;
    f = fopen(path, "rb");
    if (!f)
        return 1;
    text = calloc(1, (size_t)sb->st_size + 1);
    if (text && fread(text, 1, (size_t)sb->st_size, f) == (size_t)sb->st_size)
        check_file(path, text);
    else
        problems++;
    free(text);
    fclose(f);
    return 0;
}

static void test_every_code_in_src_has_a_sentence(void **state)
{
    (void)state;
    assert_int_equal(nftw("src", visit, 16, FTW_PHYS), 0);
    assert_int_equal(problems, 0);
    /* the walk found the calls: login, logout, failures, roles, invitations, resets, … */
    assert_true(codes_seen >= 15);
}

static const char *say(struct arena *a, const char *event, const char *actor, const char *subject,
                       const char *detail)
{
    struct audit_entry e = {1, 0, event, actor, subject, detail};
    const char *s = account_audit_sentence(a, &e);
    assert_non_null(s);
    return s;
}

static void test_sentences(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    assert_string_equal(say(a, "role_changed", "Ali Khan", "Jo Walsh", "member -> admin"),
                        "Ali Khan made Jo Walsh an admin");
    assert_string_equal(say(a, "role_changed", "Ali Khan", "Jo Walsh", "admin -> facilitator"),
                        "Ali Khan made Jo Walsh a facilitator");
    assert_string_equal(say(a, "user_invited", "Ali Khan", "Jo Walsh", "member"),
                        "Ali Khan invited Jo Walsh as a member");
    assert_string_equal(say(a, "user_invited", "", "Jo Walsh", "command line: admin"),
                        "The command line invited Jo Walsh as an admin");
    assert_string_equal(say(a, "user_deactivated", "Ali Khan", "Jo Walsh", ""),
                        "Ali Khan deactivated Jo Walsh");
    assert_string_equal(say(a, "password_reset", "Jo Walsh", "Jo Walsh", ""),
                        "Jo Walsh reset their password");
    assert_string_equal(say(a, "login_failed", "", "Jo Walsh", ""),
                        "Someone tried to log in as Jo Walsh with a wrong password");
    assert_string_equal(say(a, "login_failed", "", "", "unknown account"),
                        "Someone tried to log in with an email address that has no account");
    assert_string_equal(say(a, "user_created", "", "Jo Walsh", "command line"),
                        "The command line created an account for Jo Walsh");
    /* an admin whose account was deleted since */
    assert_string_equal(say(a, "user_deactivated", "", "Jo Walsh", ""),
                        "Someone deactivated Jo Walsh");
    /* a person deleted since, at the start of the sentence: still a capital */
    assert_string_equal(say(a, "password_changed", "", "", ""),
                        "A deleted account changed their password");
    /* names and email addresses keep their own case */
    assert_string_equal(say(a, "password_changed", "", "jo@example.test", ""),
                        "jo@example.test changed their password");
    /* a code nobody wrote a sentence for is still shown, never hidden */
    assert_string_equal(say(a, "made_up_event", "A", "B", ""), "Event made_up_event");
    assert_false(account_audit_known("made_up_event"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_in_src_has_a_sentence),
        cmocka_unit_test(test_sentences),
    };
    return cmocka_run_group_tests_name("unit/account/audit_text", tests, NULL, NULL);
}
