/* versions_test.c: framework versions and self-assessments in the database
 *
 * Editing a framework stores version 2 and leaves version 1 as it was; a self-assessment
 * started on version 1 is read and scored on version 1 even when version 2 has another
 * scale. Seeding is idempotent. A self-assessment is only its owner's, and once submitted
 * it never changes. Runs on the database AHPHUB_TEST_DB names (SQLite or PostgreSQL).
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
#include "core/err.h"
#include "develop/self.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db;
static struct arena *a;
static int64_t owner, other, admin;

static char *fixture(const char *name)
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
    return s;
}

static int64_t count(const char *sql, const char *arg)
{
    struct db_stmt *st = NULL;
    int64_t n = -1;
    if (db_row(db, sql, &st, "t", arg) == APP_OK)
        n = db_col_int(st, 0);
    db_finalize(st);
    return n;
}

static void test_seed_is_idempotent(void **state)
{
    (void)state;
    /* app_init seeded once already */
    assert_int_equal(
        count("SELECT COUNT(*) FROM develop_frameworks WHERE code = $1", "ahp-clinical-leadership"),
        1);
    assert_int_equal(develop_version_seed(db), APP_OK);
    assert_int_equal(develop_version_seed(db), APP_OK);
    assert_int_equal(
        count("SELECT COUNT(*) FROM develop_frameworks WHERE code = $1", "ahp-clinical-leadership"),
        1);
}

static void test_edit_makes_version_2_and_self_keeps_version_1(void **state)
{
    const char *v1 = fixture("nine-dimensions.json"), *why = NULL;
    struct develop_framework fw1, fw2, fwself;
    struct develop_version_info *hist;
    struct develop_self s;
    struct develop_answer *ans, two[2] = {{4, 3, "Rota changed after a team huddle"}, {4, 0, ""}};
    struct develop_result r[9];
    json_t *doc, *scale;
    char *v2;
    int64_t id1, id2, sid;
    int ver = 0;
    size_t n;
    bool resumed;
    (void)state;
    assert_int_equal(develop_version_save(db, a, v1, strlen(v1), admin, &id1, &ver, &why), 0);
    assert_int_equal(ver, 1);
    /* a member starts on version 1 and rates the first dimension at the top level */
    assert_int_equal(develop_self_start(db, owner, id1, 1000, &sid, &resumed), APP_OK);
    assert_false(resumed);
    assert_int_equal(develop_version_load(db, a, id1, &fw1), APP_OK);
    assert_int_equal(develop_self_save(db, &fw1, sid, owner, 0, two, 1001), APP_OK);
    /* version 2: a five-level scale and a new title */
    doc = json_loads(v1, 0, NULL);
    assert_non_null(doc);
    json_object_set_new(doc, "title", json_string("Nine dimensions, revised"));
    scale = json_object_get(json_object_get(doc, "scale"), "points");
    json_array_append_new(scale, json_pack("{s:s,s:s}", "label", "Beyond", "description",
                                           "Shown beyond my organisation."));
    v2 = json_dumps(doc, 0);
    json_decref(doc);
    assert_non_null(v2);
    /* only an admin saves a version, checked where it is saved: a member (an admin demoted
     * while the editor was open) saves nothing */
    assert_int_equal(develop_version_save(db, a, v2, strlen(v2), owner, &id2, &ver, &why),
                     APP_E_FORBIDDEN);
    assert_int_equal(develop_version_history(db, a, "test-nine-dimensions", &hist, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(develop_version_save(db, a, v2, strlen(v2), admin, &id2, &ver, &why), 0);
    free(v2);
    assert_int_equal(ver, 2);
    assert_true(id2 != id1);
    assert_int_equal(develop_version_history(db, a, "test-nine-dimensions", &hist, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(hist[0].version, 2);
    assert_int_equal(hist[1].uses, 1); /* the self-assessment is on version 1 */
    assert_int_equal(develop_version_load(db, a, id2, &fw2), APP_OK);
    assert_int_equal(fw2.scale.npoints, 5);
    /* version 1 is unchanged */
    assert_int_equal(develop_version_load(db, a, id1, &fw1), APP_OK);
    assert_string_equal(fw1.title, "Nine dimensions (test)");
    assert_int_equal(fw1.scale.npoints, 4);
    /* the self-assessment is read and scored on version 1: 4 of 4 is 100%, not 75% */
    assert_int_equal(develop_self_get(db, a, sid, owner, &s), APP_OK);
    assert_int_equal(s.framework_id, id1);
    assert_int_equal(s.framework_version, 1);
    assert_int_equal(develop_version_load(db, a, s.framework_id, &fwself), APP_OK);
    assert_int_equal(develop_self_answers(db, a, &fwself, sid, &ans), APP_OK);
    assert_int_equal(ans[0].rating, 4);
    assert_int_equal(ans[0].importance, 3);
    assert_string_equal(ans[0].note, "Rota changed after a team huddle");
    assert_int_equal(develop_score(&fwself, ans, r), APP_OK);
    assert_true(r[0].scored && r[0].percent == 100);
    assert_false(r[1].scored);
    /* a rating only version 2 has is refused on version 1, and nothing is stored */
    two[0].rating = 5;
    assert_int_equal(develop_self_save(db, &fwself, sid, owner, 1, two, 1002), APP_E_INVALID);
    assert_int_equal(develop_self_answers(db, a, &fwself, sid, &ans), APP_OK);
    assert_int_equal(ans[2].rating, 0);
    /* the latest version is what a new start gets */
    assert_int_equal(develop_version_latest_id(db, "test-nine-dimensions", &id1), APP_OK);
    assert_int_equal(id1, id2);
}

static void test_owner_only_and_submitted_is_final(void **state)
{
    struct develop_framework fw;
    struct develop_self s, *list;
    struct develop_answer one[5] = {{2, 0, ""}, {0, 0, ""}, {0, 0, ""}, {0, 0, ""}, {0, 0, ""}};
    int64_t fid, sid, again;
    size_t n;
    bool resumed;
    (void)state;
    assert_int_equal(develop_version_latest_id(db, "ahp-clinical-leadership", &fid), APP_OK);
    assert_int_equal(develop_version_load(db, a, fid, &fw), APP_OK);
    assert_int_equal(develop_self_start(db, other, fid, 2000, &sid, &resumed), APP_OK);
    /* one draft at a time: starting again gives the same one back */
    assert_int_equal(develop_self_start(db, other, fid, 2001, &again, &resumed), APP_OK);
    assert_true(resumed);
    assert_int_equal(again, sid);
    /* the owner only */
    assert_int_equal(develop_self_get(db, a, sid, owner, &s), APP_E_NOTFOUND);
    assert_int_equal(develop_self_save(db, &fw, sid, owner, 0, one, 2002), APP_E_CONFLICT);
    assert_int_equal(develop_self_submit(db, sid, owner, 2003), APP_E_CONFLICT);
    assert_int_equal(develop_self_save(db, &fw, sid, other, 0, one, 2004), APP_OK);
    assert_int_equal(develop_self_submit(db, sid, other, 2005), APP_OK);
    /* submitted: final */
    assert_int_equal(develop_self_submit(db, sid, other, 2006), APP_E_CONFLICT);
    assert_int_equal(develop_self_save(db, &fw, sid, other, 0, one, 2007), APP_E_CONFLICT);
    assert_int_equal(develop_self_get(db, a, sid, other, &s), APP_OK);
    assert_int_equal(s.submitted_at, 2005);
    /* a new start after submitting is a new self-assessment */
    assert_int_equal(develop_self_start(db, other, fid, 2008, &again, &resumed), APP_OK);
    assert_false(resumed);
    assert_true(again != sid);
    /* the database itself holds to one draft per member, whatever races */
    assert_int_not_equal(db_run(db,
                                "INSERT INTO develop_self_assessments (user_id, framework_id, "
                                "started_at, updated_at) VALUES ($1, $2, 1, 1)",
                                "ii", other, fid),
                         APP_OK);
    assert_int_equal(develop_self_list(db, a, other, &list, &n), APP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, again); /* the draft first */
    assert_int_equal(list[1].id, sid);
    assert_int_equal(develop_self_start(db, other, 999999, 2009, &again, &resumed), APP_E_NOTFOUND);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    db = db_pool_get(app->pool);
    a = arena_new();
    owner = testapp_user(app, "owner@example.test", "member", "correct horse battery");
    other = testapp_user(app, "other@example.test", "member", "correct horse battery");
    admin = testapp_user(app, "admin@example.test", "admin", "correct horse battery");
    return a ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(a);
    db_pool_put(app->pool, db);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_is_idempotent),
        cmocka_unit_test(test_edit_makes_version_2_and_self_keeps_version_1),
        cmocka_unit_test(test_owner_only_and_submitted_is_final),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
