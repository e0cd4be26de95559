/* participant_test.c: src/listen/participant.c — pseudonymous participants
 *
 * A participant is found again only by the token in their cookie; the stored hash and the
 * published pseudonym give nothing of that token away; a citizen's profession and region are
 * never kept (they would only narrow a member of the public down). Domain calls only, on
 * SQLite or PostgreSQL (AHPHUB_TEST_DB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "listen/listen.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;
static struct arena *a;
static int64_t exercise;

static int setup(void **state)
{
    const char *prompts[] = {"What works well?"};
    struct listen_exercise_input in = {.title = "People", .audiences = "citizen,ahp,staff",
                                       .flag_threshold = 3, .prompts = prompts, .nprompts = 1};
    const char *slug;
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    return listen_exercise_create(db, &in, 0, &exercise, &slug, a) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

static void test_found_again_by_token_only(void **state)
{
    char token[LISTEN_TOKEN_HEX], wrong[LISTEN_TOKEN_HEX];
    struct listen_participant p;
    int64_t id = 0;
    (void)state;
    assert_int_equal(listen_participant_create(db, exercise, "ahp", "physiotherapist", "london",
                                               token, &id),
                     APP_OK);
    assert_true(id > 0);
    assert_int_equal(strlen(token), 64);
    assert_int_equal(listen_participant_find(db, a, exercise, token, &p), APP_OK);
    assert_int_equal(p.id, id);
    assert_string_equal(p.profession, "physiotherapist");
    /* the same token in another exercise, a changed token, or none: nobody */
    assert_int_equal(listen_participant_find(db, a, exercise + 1, token, &p), APP_E_NOTFOUND);
    snprintf(wrong, sizeof wrong, "%s", token);
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    assert_int_equal(listen_participant_find(db, a, exercise, wrong, &p), APP_E_NOTFOUND);
    assert_int_equal(listen_participant_find(db, a, exercise, "", &p), APP_E_NOTFOUND);
}

/* The published pseudonym was the token's first 24 bits; now it is drawn on its own. Over
 * 40 participants a pseudonym that still equals the token's start is one chance in 2^24 each. */
static void test_the_pseudonym_says_nothing_of_the_token(void **state)
{
    int same = 0;
    (void)state;
    for (int i = 0; i < 40; i++) {
        char token[LISTEN_TOKEN_HEX];
        struct listen_participant p;
        int64_t id;
        assert_int_equal(listen_participant_create(db, exercise, "citizen", "", "", token, &id),
                         APP_OK);
        assert_int_equal(listen_participant_find(db, a, exercise, token, &p), APP_OK);
        assert_int_equal(strlen(p.pseudonym), 7);
        assert_int_equal(p.pseudonym[0], 'P');
        same += strncmp(p.pseudonym + 1, token, 6) == 0;
    }
    assert_int_equal(same, 0);
}

static void test_a_citizen_keeps_no_profession(void **state)
{
    char token[LISTEN_TOKEN_HEX];
    struct listen_participant p;
    int64_t id;
    (void)state;
    assert_int_equal(listen_participant_create(db, exercise, "citizen", "physiotherapist",
                                               "london", token, &id),
                     APP_OK);
    assert_int_equal(listen_participant_find(db, a, exercise, token, &p), APP_OK);
    assert_string_equal(p.audience, "citizen");
    assert_string_equal(p.profession, "");
    assert_string_equal(p.region, "");
    /* describing oneself later follows the same rule */
    assert_int_equal(listen_participant_describe(db, id, "staff", "", "north-west"), APP_OK);
    assert_int_equal(listen_participant_find(db, a, exercise, token, &p), APP_OK);
    assert_string_equal(p.region, "north-west");
    assert_int_equal(listen_participant_describe(db, id, "citizen", "", "north-west"), APP_OK);
    assert_int_equal(listen_participant_find(db, a, exercise, token, &p), APP_OK);
    assert_string_equal(p.region, "");
}

static void test_unknown_descriptions_are_refused(void **state)
{
    char token[LISTEN_TOKEN_HEX];
    int64_t id = -1;
    (void)state;
    assert_int_equal(listen_participant_create(db, exercise, "martian", "", "", token, &id),
                     APP_E_INVALID);
    assert_int_equal(listen_participant_create(db, exercise, "ahp", "wizard", "", token, &id),
                     APP_E_INVALID);
    assert_int_equal(listen_participant_create(db, exercise, "ahp", "", "atlantis", token, &id),
                     APP_E_INVALID);
    assert_int_equal(id, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found_again_by_token_only),
        cmocka_unit_test(test_the_pseudonym_says_nothing_of_the_token),
        cmocka_unit_test(test_a_citizen_keeps_no_profession),
        cmocka_unit_test(test_unknown_descriptions_are_refused),
    };
    return cmocka_run_group_tests_name("listen/participant", tests, setup, teardown);
}
