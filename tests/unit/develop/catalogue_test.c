/* catalogue_test.c: the check of a development activity's fields (src/develop/catalogue.c)
 *
 * Each field's mistakes give that field's message and nothing is accepted half-way; codes and
 * names are both understood; an activity written back as text checks to the same activity.
 * The areas come from hand-made sources, so no database is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "develop/catalogue.h"

static const char *fw_ids[] = {"system", "vision", "equality"};
static const char *fw_titles[] = {"System and context", "Vision and direction", "Equality"};
static const char *in_ids[] = {"leadership", "data"};
static const char *in_titles[] = {"Digital leadership", "Data analytics"};
static struct develop_area_source list[] = {
    {false, "ahp-clinical-leadership", "AHP clinical leadership", fw_ids, fw_titles, 3},
    {true, "ahp-digital-capability", "AHP digital capability", in_ids, in_titles, 2},
};
static const struct develop_area_sources sources = {list, 2};

static struct arena *a;

/* A complete, valid input to change one field of. */
static struct develop_activity_input good(void)
{
    struct develop_activity_input in = {
        .title = "Action learning for team leads",
        .kind = "action-learning",
        .provider = "ahphub",
        .description = "Six leads meet every six weeks.\nOne problem at a time.",
        .mode = "online",
        .duration = "9 months",
        .hours = "18",
        .cost = "free",
        .region = "national",
        .link = "https://example.org/set",
        .framework_domains = "ahp-clinical-leadership:vision; ahp-clinical-leadership:system",
        .assess_domains = "ahp-digital-capability:data",
    };
    return in;
}

/* Checks in and expects exactly one problem, on field, whose message contains part. */
static void one_error(const struct develop_activity_input *in, const char *field, const char *part)
{
    struct develop_activity act;
    struct develop_field_error *errs;
    size_t n;
    assert_int_equal(develop_activity_check(a, &sources, in, &act, &errs, &n), APP_E_INVALID);
    if (n != 1 || strcmp(errs[0].field, field) || !strstr(errs[0].message, part))
        fail_msg("expected one error on %s with “%s”, got %zu: %s: %s", field, part, n,
                 n ? errs[0].field : "-", n ? errs[0].message : "-");
}

static struct develop_activity ok(const struct develop_activity_input *in)
{
    struct develop_activity act;
    struct develop_field_error *errs;
    size_t n;
    int rc = develop_activity_check(a, &sources, in, &act, &errs, &n);
    if (rc)
        fail_msg("rejected: %s: %s", n ? errs[0].field : "-", n ? errs[0].message : "-");
    return act;
}

static void test_good(void **state)
{
    struct develop_activity_input in = good();
    struct develop_activity act;
    (void)state;
    act = ok(&in);
    assert_string_equal(act.kind, "action-learning");
    assert_int_equal(act.hours_x100, 1800);
    assert_string_equal(act.cost, "free");
    assert_int_equal(act.cost_pence, 0);
    assert_int_equal(act.nareas, 3);
    assert_false(act.areas[0].assess);
    assert_string_equal(act.areas[0].domain, "vision");
    assert_true(act.areas[2].assess);
    assert_true(act.active);
}

static void test_everything_missing(void **state)
{
    struct develop_activity_input in = {0};
    struct develop_activity act;
    struct develop_field_error *errs;
    size_t n;
    const char *fields[] = {"title", "kind", "provider", "description", "mode", "cost", "region"};
    (void)state;
    assert_int_equal(develop_activity_check(a, &sources, &in, &act, &errs, &n), APP_E_INVALID);
    assert_int_equal(n, sizeof fields / sizeof fields[0]);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(errs[i].field, fields[i]);
}

static void test_each_field(void **state)
{
    struct develop_activity_input in;
    char long_title[200];
    (void)state;
    memset(long_title, 'x', 151);
    long_title[151] = '\0';
    in = good(), in.title = "  ";
    one_error(&in, "title", "Enter the title");
    in = good(), in.title = long_title;
    one_error(&in, "title", "150 characters or fewer");
    in = good(), in.title = "Tab\x01here";
    one_error(&in, "title", "without control characters");
    in = good(), in.kind = "lecture";
    one_error(&in, "kind", "“lecture” is not a kind of activity");
    in = good(), in.provider = "";
    one_error(&in, "provider", "Enter who provides it");
    in = good(), in.description = "";
    one_error(&in, "description", "Enter a short description");
    in = good(), in.mode = "by post";
    one_error(&in, "mode", "is not a way an activity runs");
    in = good(), in.hours = "lots";
    one_error(&in, "hours", "Enter the hours as a number");
    in = good(), in.hours = "0";
    one_error(&in, "hours", "Enter the hours as a number");
    in = good(), in.hours = "1.234";
    one_error(&in, "hours", "Enter the hours as a number");
    in = good(), in.hours = "10001";
    one_error(&in, "hours", "Enter the hours as a number");
    /* a figure so large it would wrap round to a small one is refused, not stored as 0.84 */
    in = good(), in.hours = "184467440737095517";
    one_error(&in, "hours", "Enter the hours as a number");
    in = good(), in.cost = "paid", in.cost_pounds = "184467440737095517";
    one_error(&in, "cost_pounds", "as a number between");
    in = good(), in.cost = "paid";
    one_error(&in, "cost_pounds", "Enter the cost in pounds");
    in = good(), in.cost = "paid", in.cost_pounds = "12.345";
    one_error(&in, "cost_pounds", "as a number between");
    in = good(), in.cost = "free", in.cost_pounds = "5";
    one_error(&in, "cost_pounds", "Leave the amount empty");
    in = good(), in.cost = "a fortune";
    one_error(&in, "cost", "“a fortune” is not a cost");
    in = good(), in.region = "mars";
    one_error(&in, "region", "“mars” is not a region");
    in = good(), in.region = "";
    one_error(&in, "region", "Choose a region");
    in = good(), in.link = "ftp://example.org";
    one_error(&in, "link", "starting with https://");
    in = good(), in.link = "https://";
    one_error(&in, "link", "starting with https://");
    in = good(), in.link = "https://example.org/a b";
    one_error(&in, "link", "starting with https://");
    in = good(), in.framework_domains = "vision";
    one_error(&in, "framework_domains", "is not an area");
    in = good(), in.framework_domains = "other-framework:vision";
    one_error(&in, "framework_domains", "is not the code of a leadership framework");
    in = good(), in.framework_domains = "ahp-clinical-leadership:nope";
    one_error(&in, "framework_domains", "“nope” is not an area of AHP clinical leadership");
    /* an instrument's areas are not a framework's, nor the other way round */
    in = good(), in.assess_domains = "ahp-clinical-leadership:vision";
    one_error(&in, "assess_domains", "is not the code of an assessment instrument");
    in = good(), in.status = "gone";
    one_error(&in, "status", "“gone” is not a status");
}

static void test_names_and_forms(void **state)
{
    struct develop_activity_input in = good();
    struct develop_activity act;
    (void)state;
    in.kind = "Quality improvement project";
    in.mode = "SELF-PACED";
    in.region = "North West";
    in.cost = "£1,250.50";
    in.hours = "1.5";
    in.status = "Retired";
    in.framework_domains = "ahp-clinical-leadership:vision,ahp-clinical-leadership:vision";
    act = ok(&in);
    assert_string_equal(act.kind, "qi-project");
    assert_string_equal(act.mode, "self-paced");
    assert_string_equal(act.region, "north-west");
    assert_string_equal(act.cost, "paid");
    assert_int_equal(act.cost_pence, 125050);
    assert_int_equal(act.hours_x100, 150);
    assert_false(act.active);
    assert_int_equal(act.nareas, 2); /* the repeated area once, and the instrument's */
    in = good();
    in.cost = "Funded by employer";
    act = ok(&in);
    assert_string_equal(act.cost, "employer");
    in = good();
    in.cost = "paid", in.cost_pounds = "149.9";
    act = ok(&in);
    assert_int_equal(act.cost_pence, 14990);
}

static void test_text_round_trip(void **state)
{
    struct develop_activity_input in = good(), back;
    struct develop_activity one, two;
    (void)state;
    in.cost = "paid", in.cost_pounds = "99.5", in.hours = "0.25", in.status = "retired";
    one = ok(&in);
    assert_int_equal(develop_activity_text(a, &one, &back), 0);
    assert_string_equal(back.hours, "0.25");
    assert_string_equal(back.cost_pounds, "99.5");
    assert_string_equal(back.framework_domains,
                        "ahp-clinical-leadership:vision; ahp-clinical-leadership:system");
    two = ok(&back);
    assert_string_equal(two.title, one.title);
    assert_string_equal(two.description, one.description);
    assert_int_equal(two.hours_x100, one.hours_x100);
    assert_int_equal(two.cost_pence, one.cost_pence);
    assert_int_equal(two.nareas, one.nareas);
    assert_int_equal(two.active, one.active);
    assert_string_equal(develop_hundredths_text(a, 1), "0.01");
    assert_string_equal(develop_hundredths_text(a, 15000), "150");
    assert_string_equal(develop_hundredths_text(a, 125050), "1250.5");
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
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_everything_missing),
        cmocka_unit_test(test_each_field),
        cmocka_unit_test(test_names_and_forms),
        cmocka_unit_test(test_text_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
