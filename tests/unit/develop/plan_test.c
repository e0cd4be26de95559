/* plan_test.c: the checks of a development plan's goals and activities as typed, and its
 * progress (develop/plan.c), without a database
 *
 * Every problem is found at once and named at its field; a catalogue activity keeps the
 * catalogue's title and kind; "done" needs a reflection; dropped activities do not count
 * towards progress.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "develop/plan.h"

static struct arena *a;

static const char *IDS[] = {"vision", "digital"};
static const char *TITLES[] = {"Vision and direction", "Digital leadership"};
static struct develop_area_source SRC[] = {
    {false, "ahp-clinical-leadership", "AHP clinical leadership", IDS, TITLES, 2},
    {true, "ahp-digital-capability", "AHP digital capability", IDS, TITLES, 2},
};
static const struct develop_area_sources SOURCES = {SRC, 2};

static const char *field_error(const struct develop_field_error *e, size_t n, const char *field)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(e[i].field, field))
            return e[i].message;
    return NULL;
}

static void test_goal_check(void **state)
{
    struct develop_goal g;
    struct develop_field_error *e;
    size_t n;
    struct develop_goal_input bad = {"  ", "ahp-digital-capability:digital", 0};
    /* the target as the date input read it (its own checks are tests/unit/web's) */
    struct develop_goal_input good = {" Lead the move ", "ahp-clinical-leadership:digital",
                                      1806451200};
    (void)state;
    assert_int_equal(develop_goal_check(a, &SOURCES, &bad, &g, &e, &n), APP_E_INVALID);
    assert_int_equal(n, 2);
    assert_string_equal(field_error(e, n, "title"), "Enter your goal");
    /* an Assess instrument's domain is not a framework's */
    assert_string_equal(field_error(e, n, "domain"), "Choose an area of leadership from the list");
    assert_int_equal(develop_goal_check(a, &SOURCES, &good, &g, &e, &n), APP_OK);
    assert_string_equal(g.title, "Lead the move");
    assert_string_equal(g.framework_code, "ahp-clinical-leadership");
    assert_string_equal(g.domain, "digital");
    assert_int_equal(g.target_at, 1806451200);
}

static void test_item_check(void **state)
{
    struct develop_goal goals[] = {{7, 1, "Lead", "ahp-clinical-leadership", "digital", 0, 0, 0}};
    struct develop_plan_item it, old = {0};
    struct develop_field_error *e;
    size_t n;
    struct develop_item_input in = {0};
    (void)state;
    /* own: title and kind needed; a goal must be theirs; done needs a reflection */
    in.kind = "lecture";
    in.goal = "8";
    in.status = "Done";
    assert_int_equal(develop_item_check(a, NULL, goals, 1, &in, &it, &e, &n), APP_E_INVALID);
    assert_non_null(field_error(e, n, "title"));
    assert_non_null(field_error(e, n, "kind"));
    assert_non_null(field_error(e, n, "goal"));
    assert_non_null(field_error(e, n, "reflection"));
    /* by name or code, in any case */
    in.title = "Shadow the director";
    in.kind = "Shadowing";
    in.goal = "7";
    in.reflection = "Learnt a lot";
    assert_int_equal(develop_item_check(a, NULL, goals, 1, &in, &it, &e, &n), APP_OK);
    assert_string_equal(it.kind, "shadowing");
    assert_string_equal(it.status, "done");
    assert_int_equal(it.goal_id, 7);
    /* from the catalogue: the id is read, the title is not */
    memset(&in, 0, sizeof in);
    in.activity = "12";
    in.title = "Ignored";
    assert_int_equal(develop_item_check(a, NULL, goals, 1, &in, &it, &e, &n), APP_OK);
    assert_int_equal(it.activity_id, 12);
    assert_string_equal(it.title, "");
    assert_string_equal(it.status, "not-started");
    in.activity = "twelve";
    assert_int_equal(develop_item_check(a, NULL, goals, 1, &in, &it, &e, &n), APP_E_INVALID);
    assert_non_null(field_error(e, n, "activity"));
    /* changing a catalogue activity keeps its title and kind, and its status when none is
     * given */
    old.id = 3;
    old.activity_id = 12;
    old.title = "Mentoring";
    old.kind = "mentoring";
    old.status = "in-progress";
    old.reflection = old.reason = "";
    memset(&in, 0, sizeof in);
    in.title = "Renamed";
    in.kind = "course";
    assert_int_equal(develop_item_check(a, &old, goals, 1, &in, &it, &e, &n), APP_OK);
    assert_string_equal(it.title, "Mentoring");
    assert_string_equal(it.kind, "mentoring");
    assert_string_equal(it.status, "in-progress");
    in.status = "finished";
    assert_int_equal(develop_item_check(a, &old, goals, 1, &in, &it, &e, &n), APP_E_INVALID);
    assert_non_null(field_error(e, n, "status"));
}

static void test_progress(void **state)
{
    struct develop_plan_item items[5] = {0};
    struct develop_plan_progress p;
    const char *st[] = {"done", "done", "in-progress", "not-started", "dropped"};
    (void)state;
    for (int i = 0; i < 5; i++)
        items[i].status = st[i];
    develop_plan_progress(items, 5, &p);
    assert_int_equal(p.done, 2);
    assert_int_equal(p.dropped, 1);
    assert_int_equal(p.total, 4);
    assert_int_equal(p.percent, 50);
    develop_plan_progress(items, 0, &p);
    assert_int_equal(p.percent, 0);
    assert_string_equal(develop_plan_status_name("in-progress"), "In progress");
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
        cmocka_unit_test(test_goal_check),
        cmocka_unit_test(test_item_check),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
