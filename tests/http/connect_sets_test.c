/* connect_sets_test.c: action learning sets through the loopback — splitting a cohort (and
 * every way the input can be wrong, with nothing stored), the balance, the same seed giving
 * the same sets, keep-apart pairs, hand moves within the rules, publishing and who sees what,
 * a set's facilitator, schedule and record of meetings (NHS.UK date input, themes redacted),
 * audit events, the member's data, and the pages through tidy. Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "account/cohort.h"
#include "connect/set.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client lead, member, outsider, keeper;
static const char *PW = "correct horse battery";
static int64_t cohort30, cohort4, cohort9, cohort6, split_id;
static int64_t member_id, keeper_id;

#define N30 30

static int64_t q_int(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static void exec_sql(const char *sql, const char *types, ...)
{
    struct db *db = db_pool_get(app->pool);
    struct db_stmt *st = NULL;
    va_list ap;
    int rc = db_prepare(db, sql, &st);
    va_start(ap, types);
    for (int i = 0; !rc && types[i]; i++)
        rc = types[i] == 'i' ? db_bind_int(st, i + 1, va_arg(ap, int64_t))
                             : db_bind_cstr(st, i + 1, va_arg(ap, const char *));
    va_end(ap);
    assert_int_equal(rc, 0);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
    db_pool_put(app->pool, db);
}

/* A cohort named name of n new members p<tag><i>@example.test, with professions and
 * organisations spread so that a good split can mix them. */
static int64_t make_cohort(const char *name, const char *tag, int n)
{
    static const char *const profs[] = {"physiotherapist", "occupational-therapist", "dietitian",
                                        "paramedic", "podiatrist"};
    struct db *db = db_pool_get(app->pool);
    int64_t id;
    assert_int_equal(account_cohort_create(db, 0, name, "", &id), 0);
    db_pool_put(app->pool, db);
    for (int i = 0; i < n; i++) {
        char email[64], name_of[64];
        int64_t uid;
        snprintf(email, sizeof email, "p%s%d@example.test", tag, i);
        snprintf(name_of, sizeof name_of, "Person %s %d", tag, i);
        uid = testapp_user(app, email, "member", PW);
        exec_sql("UPDATE users SET profession = $2, region = $3, organisation_id = (SELECT id FROM "
                 "organisations WHERE name = $4), display_name = $5 WHERE id = $1",
                 "ittss", uid, profs[i % 5], i % 2 ? "london" : "north-west",
                 i % 3 == 0   ? "Sets Org A"
                 : i % 3 == 1 ? "Sets Org B"
                              : "Sets Org C",
                 name_of);
        db = db_pool_get(app->pool);
        assert_int_equal(account_cohort_add(db, id, uid), 0);
        db_pool_put(app->pool, db);
    }
    return id;
}

static int post_split(struct test_client *tc, int64_t cohort, const char *extra)
{
    char form[1024];
    snprintf(form, sizeof form, "cohort=%lld%s", (long long)cohort, extra);
    return tc_post_form(tc, "/connect/sets", form, 1);
}

static int64_t location_id(const struct test_client *tc)
{
    const char *loc = lb_header(&tc->res, "Location");
    long long id = 0;
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/connect/sets/%lld", &id), 1);
    return id;
}

/* The set number of email in split, or 0. */
static int64_t set_of(int64_t split, const char *email)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT s.number FROM connect_set_members m JOIN connect_sets s ON s.id = m.set_id "
             "JOIN users u ON u.id = m.user_id WHERE m.split_id = %lld AND u.email = $1",
             (long long)split);
    return q_int(sql, email);
}

static int64_t set_size(int64_t split, int number)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM connect_set_members m JOIN connect_sets s ON s.id = m.set_id "
             "WHERE m.split_id = %lld AND s.number = %d",
             (long long)split, number);
    return q_int(sql, NULL);
}

/* The split's stored mix score, as the lead's list and the split's page give it, is the score
 * of the people in its sets now — in its copy and still in its cohort, everyone once the
 * cohort is gone — worked out here from the definition (docs/connect-sets.md) in SQL; so is
 * the balance the page shows, and the count of people. */
static void check_score(int64_t split)
{
    char sql[1200], uri[96];
    int64_t pairs, clashes, people, want;
    json_t *j, *s;
    size_t i;
    bool listed = false;
#define NOW_IN(x)                                                                                  \
    "(p.cohort_id IS NULL OR EXISTS (SELECT 1 FROM cohort_members c WHERE c.cohort_id = "          \
    "p.cohort_id AND c.user_id = " x ".user_id))"
    snprintf(sql, sizeof sql,
             "SELECT count(*), COALESCE(SUM(CASE WHEN ua.profession <> '' AND ua.profession = "
             "ub.profession THEN 1 ELSE 0 END + CASE WHEN ua.organisation_id IS NOT NULL AND "
             "ua.organisation_id = ub.organisation_id THEN 1 ELSE 0 END), 0) "
             "FROM connect_set_members a JOIN connect_set_members b ON b.set_id = a.set_id AND "
             "a.user_id < b.user_id JOIN connect_splits p ON p.id = a.split_id "
             "JOIN users ua ON ua.id = a.user_id JOIN users ub ON ub.id = b.user_id "
             "WHERE a.split_id = %lld AND " NOW_IN("a") " AND " NOW_IN("b"),
             (long long)split);
    {
        struct db *db = db_pool_get(app->pool);
        struct db_stmt *st = NULL;
        assert_int_equal(db_row(db, sql, &st, ""), 0);
        pairs = db_col_int(st, 0);
        clashes = db_col_int(st, 1);
        db_finalize(st);
        db_pool_put(app->pool, db);
    }
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM connect_set_members a JOIN connect_splits p ON p.id = "
             "a.split_id WHERE a.split_id = %lld AND " NOW_IN("a"),
             (long long)split);
    people = q_int(sql, NULL);
#undef NOW_IN
    assert_true(pairs > 0);
    want = 1000 - (clashes * 1000 + pairs) / (2 * pairs);
    snprintf(sql, sizeof sql, "SELECT score FROM connect_splits WHERE id = %lld", (long long)split);
    assert_int_equal(q_int(sql, NULL), want);
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld", (long long)split);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    assert_int_equal(
        (int64_t)(json_real_value(json_object_get(json_object_get(j, "split"), "score")) * 10 +
                  0.5),
        want);
    assert_int_equal(
        (int64_t)(json_real_value(json_object_get(json_object_get(j, "balance"), "score")) * 10 +
                  0.5),
        want);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "balance"), "pairs")),
                     pairs);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "split"), "people")),
                     people);
    json_decref(j);
    assert_int_equal(tc_get(&lead, "/api/v1/connect/sets"), 200);
    j = body_json(&lead);
    json_array_foreach(json_object_get(j, "splits"), i, s)
    {
        if (json_integer_value(json_object_get(s, "id")) != split)
            continue;
        listed = true;
        assert_int_equal((int64_t)(json_real_value(json_object_get(s, "score")) * 10 + 0.5), want);
    }
    json_decref(j);
    assert_true(listed);
}

static void test_split_bad_input(void **state)
{
    (void)state;
    /* members are not programme leads */
    assert_int_equal(tc_get(&member, "/connect/sets/new"), 403);
    assert_int_equal(post_split(&member, cohort30, ""), 403);
    assert_int_equal(tc_get(&lead, "/connect/sets/new"), 200);
    assert_true(tc_body_has(&lead, "Split a cohort into sets"));
    /* a lead finds the way in from their home page; a member is not offered it */
    assert_int_equal(tc_get(&lead, "/home"), 200);
    assert_true(tc_body_has(&lead, "href=\"/connect/sets\""));
    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_false(tc_body_has(&member, "href=\"/connect/sets\""));
    /* no cohort, an unknown one, a size outside 5 to 8 */
    assert_int_equal(tc_post_form(&lead, "/connect/sets", "target=6", 1), 400);
    assert_true(tc_body_has(&lead, "Choose a cohort"));
    assert_int_equal(post_split(&lead, 999999, ""), 400);
    assert_true(tc_body_has(&lead, "Choose a cohort from the list"));
    assert_int_equal(post_split(&lead, cohort30, "&target=9"), 400);
    assert_true(tc_body_has(&lead, "Choose a set size from 5 to 8"));
    assert_int_equal(post_split(&lead, cohort30, "&seed=-4"), 400);
    assert_true(tc_body_has(&lead, "The seed must be a whole number, 0 or more"));
    assert_int_equal(post_split(&lead, cohort30, "&seed=x"), 400);
    assert_true(tc_body_has(&lead, "The seed must be a whole number, 0 or more"));
    /* words longer than the field are told it is a number, not how many characters */
    assert_int_equal(post_split(&lead, cohort30, "&seed=the+one+we+used+last+spring"), 400);
    assert_true(tc_body_has(&lead, "The seed must be a whole number, 0 or more"));
    assert_false(tc_body_has(&lead, "characters or fewer"));
    /* too small, and a size that cannot be split */
    assert_int_equal(post_split(&lead, cohort4, ""), 400);
    assert_true(tc_body_has(&lead, "a split needs at least 5 people"));
    assert_int_equal(post_split(&lead, cohort9, ""), 400);
    assert_true(tc_body_has(&lead, "cannot make sets of 5 to 8"));
    /* pasted pairs: not two addresses, someone outside the cohort, the same person twice;
     * the text comes back as typed */
    assert_int_equal(post_split(&lead, cohort30, "&apart=p30a0%40example.test"), 400);
    assert_true(tc_body_has(&lead, "Line 1 of the people to keep apart must be two email"));
    assert_true(tc_body_has(&lead, "p30a0@example.test</textarea>"));
    assert_int_equal(
        post_split(&lead, cohort30,
                   "&apart=p30a0%40example.test+p30a1%40example.test%0A%0Ap30a0%40example.test%2C"
                   "nobody%40example.test"),
        400);
    assert_true(tc_body_has(&lead, "Line 3 of the people to keep apart: nobody@example.test is "
                                   "not in this cohort"));
    assert_int_equal(
        post_split(&lead, cohort30, "&apart=p30a2%40example.test+and+P30A2%40example.test"), 400);
    assert_true(tc_body_has(&lead, "names the same person twice"));
    /* six people make one set: a pair of them cannot be kept apart */
    assert_int_equal(post_split(&lead, cohort6, "&apart=p6b0%40example.test%2Cp6b1%40example.test"),
                     400);
    assert_true(tc_body_has(&lead, "cannot all be kept apart"));
    /* the API says which field */
    assert_int_equal(tc_post_json(&lead, "/api/v1/connect/sets", "{\"cohort\": 0, \"target\": 6}"),
                     400);
    assert_true(tc_body_has(&lead, "\"cohort\""));
    assert_int_equal(q_int("SELECT count(*) FROM connect_splits", NULL), 0);
}

static void test_split_and_balance(void **state)
{
    json_t *j, *sets, *s, *m;
    size_t i, k;
    int64_t again;
    char uri[96];
    (void)state;
    assert_int_equal(
        post_split(&lead, cohort30,
                   "&target=6&seed=7&title=Spring+sets"
                   "&apart=p30a0%40example.test%2C+p30a5%40example.test%0Ap30a1%40example.test+"
                   "and+p30a6%40example.test"),
        303);
    split_id = location_id(&lead);
    assert_int_equal(q_int("SELECT count(*) FROM audit_log WHERE event = $1", "sets_split"), 1);
    check_score(split_id);
    /* the balance page */
    snprintf(uri, sizeof uri, "/connect/sets/%lld", (long long)split_id);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(tc_body_has(&lead, "Spring sets"));
    assert_true(tc_body_has(&lead, "Draft"));
    assert_true(tc_body_has(&lead, "Set 5"));
    assert_true(tc_body_has(&lead, "Mix score"));
    assert_true(tc_body_has(&lead, "2 pairs of people never share a set"));
    /* the API: five sets of six, every profession in every set (five professions), the pairs
     * apart, the score as a number above the random split's */
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld", (long long)split_id);
    assert_int_equal(tc_get(&lead, uri), 200);
    j = body_json(&lead);
    sets = json_object_get(j, "sets");
    assert_int_equal(json_array_size(sets), 5);
    json_array_foreach(sets, i, s)
    {
        assert_int_equal(json_integer_value(json_object_get(s, "size")), 6);
        assert_int_equal(json_array_size(json_object_get(s, "members")), 6);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(s, "balance"), "professions")), 5);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(s, "balance"), "organisations")), 3);
        json_array_foreach(json_object_get(s, "members"), k, m)
            assert_non_null(json_string_value(json_object_get(m, "email")));
    }
    assert_true(json_is_real(json_object_get(json_object_get(j, "split"), "score")));
    assert_true(json_real_value(json_object_get(json_object_get(j, "balance"), "score")) >
                json_real_value(json_object_get(json_object_get(j, "split"), "random_score")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "split"), "seed")), 7);
    json_decref(j);
    assert_int_not_equal(set_of(split_id, "p30a0@example.test"),
                         set_of(split_id, "p30a5@example.test"));
    assert_int_not_equal(set_of(split_id, "p30a1@example.test"),
                         set_of(split_id, "p30a6@example.test"));
    /* the same cohort, size, pairs and seed give the same sets */
    assert_int_equal(
        post_split(&lead, cohort30,
                   "&target=6&seed=7&apart=p30a0%40example.test%2C+p30a5%40example.test%0A"
                   "p30a1%40example.test+and+p30a6%40example.test"),
        303);
    again = location_id(&lead);
    for (int p = 0; p < N30; p++) {
        char email[64];
        snprintf(email, sizeof email, "p30a%d@example.test", p);
        assert_int_equal(set_of(split_id, email), set_of(again, email));
    }
    /* a draft can be deleted; its name defaulted to the cohort's */
    assert_int_equal(
        q_int("SELECT count(*) FROM connect_splits WHERE title = $1", "Thirty leaders sets"), 1);
    snprintf(uri, sizeof uri, "/connect/sets/%lld/delete", (long long)again);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_members WHERE split_id = "
                           "(SELECT max(id) FROM connect_splits)",
                           NULL),
                     N30);
    assert_int_equal(q_int("SELECT count(*) FROM connect_splits", NULL), 1);
    /* the JSON API makes (201) and deletes a split too */
    snprintf(uri, sizeof uri, "{\"cohort\": %lld, \"target\": 5, \"seed\": 3}", (long long)cohort6);
    assert_int_equal(tc_post_json(&lead, "/api/v1/connect/sets", uri), 201);
    j = body_json(&lead);
    again = json_integer_value(json_object_get(json_object_get(j, "split"), "id"));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "split"), "sets")), 1);
    json_decref(j);
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/delete", (long long)again);
    assert_int_equal(tc_post_json(&lead, uri, "{}"), 200);
    assert_int_equal(q_int("SELECT count(*) FROM connect_splits", NULL), 1);
}

/* The members' own Connect profiles keep people apart too ("must not be matched with": a line
 * manager, one's own team), without the lead pasting them, for any seed. */
static void test_profile_conflicts_kept_apart(void **state)
{
    int64_t cohort = make_cohort("Profile pairs", "pp", 10);
    (void)state;
    for (int i = 0; i < 3; i++) {
        char a[32], b[32];
        snprintf(a, sizeof a, "ppp%d@example.test", i);
        snprintf(b, sizeof b, "ppp%d@example.test", i + 5);
        /* one names the other: the pair counts whichever way it was named */
        exec_sql("INSERT INTO connect_exclusions (user_id, excluded_id) SELECT x.id, y.id FROM "
                 "users x, users y WHERE x.email = $1 AND y.email = $2",
                 "ss", i % 2 ? b : a, i % 2 ? a : b);
    }
    for (int seed = 1; seed <= 6; seed++) {
        char extra[64];
        int64_t split;
        snprintf(extra, sizeof extra, "&target=5&seed=%d", seed);
        assert_int_equal(post_split(&lead, cohort, extra), 303);
        split = location_id(&lead);
        for (int i = 0; i < 3; i++) {
            char a[32], b[32];
            snprintf(a, sizeof a, "ppp%d@example.test", i);
            snprintf(b, sizeof b, "ppp%d@example.test", i + 5);
            assert_true(set_of(split, a) > 0);
            assert_int_not_equal(set_of(split, a), set_of(split, b));
        }
    }
}

static void test_moves_keep_the_rules(void **state)
{
    char uri[96], form[160];
    int64_t a0 = set_of(split_id, "p30a0@example.test"), to, from;
    const char *mover = NULL;
    (void)state;
    snprintf(uri, sizeof uri, "/connect/sets/%lld/move", (long long)split_id);
    /* members cannot move anyone */
    assert_int_equal(tc_post_form(&member, uri, "email=p30a0%40example.test&to=1", 1), 403);
    /* someone not in the sets, a set that does not exist, their own set */
    assert_int_equal(tc_post_form(&lead, uri, "email=nobody%40example.test&to=1", 1), 400);
    assert_true(tc_body_has(&lead, "nobody@example.test is not in these sets"));
    assert_int_equal(tc_post_form(&lead, uri, "email=p30a0%40example.test&to=6", 1), 400);
    assert_true(tc_body_has(&lead, "Choose a set from 1 to 5"));
    snprintf(form, sizeof form, "email=p30a0%%40example.test&to=%lld", (long long)a0);
    assert_int_equal(tc_post_form(&lead, uri, form, 1), 400);
    assert_true(tc_body_has(&lead, "is in set"));
    /* kept apart: a0 may not join a5's set */
    snprintf(form, sizeof form, "email=p30a0%%40example.test&to=%lld",
             (long long)set_of(split_id, "p30a5@example.test"));
    assert_int_equal(tc_post_form(&lead, uri, form, 1), 400);
    assert_true(tc_body_has(&lead, "must be kept apart from someone in set"));
    /* a good move: someone other than the paired people, from a0's set to another */
    to = a0 % 5 + 1;
    if (to == set_of(split_id, "p30a5@example.test"))
        to = to % 5 + 1;
    for (int p = 2; p < N30 && !mover; p++) {
        static char email[64];
        snprintf(email, sizeof email, "p30a%d@example.test", p);
        if (p != 5 && p != 6 && set_of(split_id, email) == a0)
            mover = email;
    }
    assert_non_null(mover);
    snprintf(form, sizeof form, "email=%.*s%%40example.test&to=%lld",
             (int)(strchr(mover, '@') - mover), mover, (long long)to);
    assert_int_equal(tc_post_form(&lead, uri, form, 1), 303);
    assert_true(strstr(lb_header(&lead.res, "Location"), "#set-") != NULL);
    assert_int_equal(set_of(split_id, mover), to);
    assert_int_equal(set_size(split_id, (int)a0), 5);
    assert_int_equal(set_size(split_id, (int)to), 7);
    assert_int_equal(q_int("SELECT count(*) FROM audit_log WHERE event = $1", "set_member_moved"),
                     1);
    /* a0's set is at 5 now: nobody more may leave it */
    from = a0;
    snprintf(form, sizeof form, "email=p30a0%%40example.test&to=%lld", (long long)to);
    assert_int_equal(tc_post_form(&lead, uri, form, 1), 400);
    assert_true(tc_body_has(&lead, "would have fewer than 5 people"));
    assert_int_equal(set_of(split_id, "p30a0@example.test"), from);
    /* fill `to` to 8 from another set, then it takes nobody else (the API answers 400 with
     * the field) */
    {
        int64_t other = 0, other2 = 0;
        char who[64] = "", who2[64] = "";
        for (int p = 0; p < N30; p++) {
            char email[64];
            int64_t s;
            snprintf(email, sizeof email, "p30a%d@example.test", p);
            s = set_of(split_id, email);
            if (s == from || s == to || p == 0 || p == 1 || p == 5 || p == 6)
                continue;
            if (!other) {
                other = s;
                snprintf(who, sizeof who, "%s", email);
            } else if (s != other && !other2) {
                other2 = s;
                snprintf(who2, sizeof who2, "%s", email);
            }
        }
        assert_true(other && other2);
        snprintf(form, sizeof form, "{\"email\": \"%s\", \"to\": %lld}", who, (long long)to);
        snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/move", (long long)split_id);
        assert_int_equal(tc_post_json(&lead, uri, form), 200);
        assert_true(tc_body_has(&lead, "\"balance\""));
        assert_int_equal(set_size(split_id, (int)to), 8);
        snprintf(form, sizeof form, "{\"email\": \"%s\", \"to\": %lld}", who2, (long long)to);
        assert_int_equal(tc_post_json(&lead, uri, form), 400);
        assert_true(tc_body_has(&lead, "has 8 people already"));
        assert_true(tc_body_has(&lead, "\"to\""));
    }
    /* every set still 5 to 8 */
    for (int s = 1; s <= 5; s++)
        assert_true(set_size(split_id, s) >= 5 && set_size(split_id, s) <= 8);
}

static void test_publish_and_who_sees(void **state)
{
    char uri[128];
    int64_t mine = set_of(split_id, "p30a3@example.test");
    (void)state;
    /* before publishing, the member sees no set, and the set's page is not found */
    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_false(tc_body_has(&member, "Your set"));
    assert_int_equal(tc_get(&member, "/connect/sets"), 200);
    assert_true(tc_body_has(&member, "You are not in an action learning set yet"));
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/%lld", (long long)split_id, (long long)mine);
    assert_int_equal(tc_get(&member, uri), 404);
    snprintf(uri, sizeof uri, "/connect/sets/%lld/publish", (long long)split_id);
    assert_int_equal(tc_post_form(&member, uri, "", 1), 403);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303); /* twice: audited once */
    assert_int_equal(q_int("SELECT count(*) FROM audit_log WHERE event = $1", "sets_published"), 1);
    /* published: it stays */
    snprintf(uri, sizeof uri, "/connect/sets/%lld/delete", (long long)split_id);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 403);
    assert_int_equal(q_int("SELECT count(*) FROM connect_splits WHERE published_at > 0", NULL), 1);
    /* the member now sees their set, on their home page too, its people (names, not
     * addresses) and the promise */
    assert_int_equal(tc_get(&member, "/connect/sets"), 200);
    assert_true(tc_body_has(&member, "Your set"));
    assert_int_equal(tc_get(&member, "/home"), 200);
    assert_true(tc_body_has(&member, "Your set"));
    assert_true(tc_body_has(&member, "of Spring sets</a>"));
    assert_int_equal(tc_get(&outsider, "/home"), 200);
    assert_false(tc_body_has(&outsider, "Your set"));
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/%lld", (long long)split_id, (long long)mine);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_true(tc_body_has(&member, "Your set: set"));
    assert_true(tc_body_has(&member, "What is said in a set stays there"));
    for (int p = 0; p < N30; p++) {
        char email[64];
        snprintf(email, sizeof email, "p30a%d@example.test", p);
        if (p != 3)
            assert_false(tc_body_has(&member, email));
    }
    assert_false(tc_body_has(&member, "Save the meeting"));
    /* someone not in the set: not found; not a lead: no split page */
    assert_int_equal(tc_get(&outsider, uri), 404);
    snprintf(uri, sizeof uri, "/connect/sets/%lld", (long long)split_id);
    assert_int_equal(tc_get(&outsider, uri), 403);
    /* the member's set through the API: numbers as numbers, no addresses */
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/set/%lld", (long long)split_id,
             (long long)mine);
    assert_int_equal(tc_get(&member, uri), 200);
    {
        json_t *j = body_json(&member);
        assert_true(json_is_integer(json_object_get(json_object_get(j, "set"), "size")));
        assert_true(json_is_true(json_object_get(j, "you_are_member")));
        json_decref(j);
    }
    assert_false(tc_body_has(&member, "\"email\""));
}

static void test_facilitator_and_meetings(void **state)
{
    char uri[128], base[96];
    int64_t mine = set_of(split_id, "p30a3@example.test");
    (void)state;
    snprintf(base, sizeof base, "/connect/sets/%lld/set/%lld", (long long)split_id,
             (long long)mine);
    /* a facilitator that has no account; then the keeper (a member-role account) */
    snprintf(uri, sizeof uri, "%s/facilitator", base);
    assert_int_equal(tc_post_form(&member, uri, "email=keeper%40example.test", 1), 403);
    assert_int_equal(tc_post_form(&lead, uri, "email=ghost%40example.test", 1), 400);
    assert_true(tc_body_has(&lead, "ghost@example.test has no account here"));
    assert_int_equal(tc_post_form(&lead, uri, "email=keeper%40example.test", 1), 303);
    {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT facilitator_id FROM connect_sets WHERE split_id = %lld AND number = %lld",
                 (long long)split_id, (long long)mine);
        assert_int_equal(q_int(sql, NULL), keeper_id);
    }
    assert_int_equal(
        q_int("SELECT count(*) FROM audit_log WHERE event = $1", "set_facilitator_changed"), 1);
    /* the keeper sees the set (not a member) and keeps its record */
    assert_int_equal(tc_get(&keeper, base), 200);
    assert_true(tc_body_has(&keeper, "Save the meeting"));
    assert_int_equal(tc_get(&keeper, "/connect/sets"), 200);
    assert_true(tc_body_has(&keeper, "you facilitate this set"));
    snprintf(uri, sizeof uri, "%s/meetings", base);
    /* a member of the set may not write the record */
    assert_int_equal(tc_post_form(&member, uri, "day=3&month=3&year=2027", 1), 403);
    /* dates: empty, a part missing, not a real date, a short year */
    assert_int_equal(tc_post_form(&keeper, uri, "day=&month=&year=", 1), 400);
    assert_true(tc_body_has(&keeper, "Enter the date of the meeting"));
    assert_int_equal(tc_post_form(&keeper, uri, "day=3&month=&year=2027", 1), 400);
    assert_true(tc_body_has(&keeper, "The date of the meeting must include a month"));
    assert_true(tc_body_has(&keeper, "href=\"#month\""));
    assert_int_equal(tc_post_form(&keeper, uri, "day=31&month=6&year=2027", 1), 400);
    assert_true(tc_body_has(&keeper, "The date of the meeting must be a real date"));
    assert_true(tc_body_has(&keeper, "value=\"31\""));         /* what was typed comes back */
    assert_false(tc_body_has(&keeper, "value=\"1\" checked")); /* and an unticked box */
    assert_int_equal(tc_post_form(&keeper, uri, "day=29&month=2&year=2027", 1), 400);
    assert_int_equal(tc_post_form(&keeper, uri, "day=3&month=3&year=27", 1), 400);
    assert_true(tc_body_has(&keeper, "Year must include 4 numbers"));
    /* held needs a theme; a long theme is refused */
    assert_int_equal(tc_post_form(&keeper, uri, "day=3&month=3&year=2026&held=1", 1), 400);
    assert_true(tc_body_has(&keeper, "Enter the theme of the meeting"));
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings", NULL), 0);
    /* a meeting held is today or in the past, as in the mentoring log; one to come may be
     * planned. Both problems at once, each linked, what was typed kept; nothing stored */
    {
        time_t later = time(NULL) + 90 * 86400;
        struct tm tl;
        char form[160], json[160];
        gmtime_r(&later, &tl);
        snprintf(form, sizeof form, "day=%d&month=%d&year=%d&held=1", tl.tm_mday, tl.tm_mon + 1,
                 tl.tm_year + 1900);
        assert_int_equal(tc_post_form(&keeper, uri, form, 1), 400);
        assert_true(tc_body_has(&keeper, "The date of the meeting must be today or in the past"));
        assert_true(tc_body_has(&keeper, "href=\"#date\""));
        assert_true(tc_body_has(&keeper, "Enter the theme of the meeting"));
        assert_true(tc_body_has(&keeper, "href=\"#theme\""));
        assert_true(tc_body_has(&keeper, "id=\"held\" name=\"held\" type=\"checkbox\" "
                                         "value=\"1\" checked"));
        snprintf(form, sizeof form, "day=%d&month=%d&year=%d&held=1&theme=Vision", tl.tm_mday,
                 tl.tm_mon + 1, tl.tm_year + 1900);
        assert_int_equal(tc_post_form(&keeper, uri, form, 1), 400);
        assert_true(tc_body_has(&keeper, "The date of the meeting must be today or in the past"));
        assert_true(tc_body_has(&keeper, "value=\"Vision\""));
        snprintf(json, sizeof json,
                 "{\"date\": \"%04d-%02d-%02d\", \"held\": true, \"theme\": \"Vision\"}",
                 tl.tm_year + 1900, tl.tm_mon + 1, tl.tm_mday);
        {
            char api[160];
            json_t *j, *e;
            snprintf(api, sizeof api, "/api/v1%s", uri);
            assert_int_equal(tc_post_json(&keeper, api, json), 400);
            j = body_json(&keeper);
            e = json_object_get(j, "errors");
            assert_string_equal(json_string_value(json_object_get(e, "date")),
                                "The date of the meeting must be today or in the past");
            json_decref(j);
        }
        assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings", NULL), 0);
    }
    /* planned (in the past or to come), then held with a theme whose address is taken out */
    assert_int_equal(tc_post_form(&keeper, uri, "day=3&month=3&year=2026", 1), 303);
    assert_int_equal(tc_post_form(&keeper, uri, "day=+17+&month=03&year=2027", 1), 303);
    assert_int_equal(tc_post_form(&keeper, uri,
                                  "day=3&month=3&year=2026&held=1&theme=Leading+change+"
                                  "%28ask+jo%40nhs.net%29",
                                  1),
                     303);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings WHERE held = 1 AND "
                           "theme LIKE $1",
                           "Leading change (ask [email removed])"),
                     1);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings WHERE held = 0", NULL), 1);
    /* the API takes a date as text */
    snprintf(uri, sizeof uri, "/api/v1%s/meetings", base);
    assert_int_equal(tc_post_json(&keeper, uri, "{\"date\": \"2027-04-14\"}"), 201);
    assert_int_equal(tc_post_json(&keeper, uri, "{\"date\": \"14/04/2027\"}"), 400);
    /* the member sees the schedule and the record */
    assert_int_equal(tc_get(&member, base), 200);
    assert_true(tc_body_has(&member, "3 March 2026"));
    assert_true(tc_body_has(&member, "17 March 2027"));
    assert_true(tc_body_has(&member, "14 April 2027"));
    assert_true(tc_body_has(&member, "Leading change"));
    /* a planned meeting taken off by the keeper, not by a member */
    {
        int64_t mid = q_int("SELECT id FROM connect_set_meetings WHERE meets_on = "
                            "(SELECT max(meets_on) FROM connect_set_meetings)",
                            NULL);
        snprintf(uri, sizeof uri, "%s/meetings/%lld/delete", base, (long long)mid);
        assert_int_equal(tc_post_form(&member, uri, "", 1), 403);
        assert_int_equal(tc_post_form(&keeper, uri, "", 1), 303);
        assert_int_equal(tc_post_form(&keeper, uri, "", 1), 404);
    }
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings", NULL), 2);
}

/* The member's copy of their data names their set; deleting their account takes them out of
 * it and its keep-apart pair; the keeper's record stays, unlinked. */
/* A member leaves their set after a page that asks first: they lose its pages, the others no
 * longer list them, and the facilitator sees who left and when. Someone a lead takes out of
 * the cohort loses their set's pages and API (404) at once. */
static void test_leaving_and_leaving_the_cohort(void **state)
{
    char uri[160], base[96], email[64], leaver_email[64] = "", removed_email[64] = "";
    char leaver_name[64] = "", listed[96], left_line[96];
    int64_t mine = set_of(split_id, "p30a3@example.test"), removed_id;
    struct test_client leaver, removed;
    (void)state;
    /* two others of the member's set (not those later tests rely on) */
    for (int p = 1; p < N30 && !*removed_email; p++) {
        if (p == 3 || p == 5)
            continue;
        snprintf(email, sizeof email, "p30a%d@example.test", p);
        if (set_of(split_id, email) != mine)
            continue;
        if (!*leaver_email) {
            snprintf(leaver_email, sizeof leaver_email, "%s", email);
            snprintf(leaver_name, sizeof leaver_name, "Person 30a %d", p);
        } else
            snprintf(removed_email, sizeof removed_email, "%s", email);
    }
    assert_true(*removed_email);
    snprintf(base, sizeof base, "/connect/sets/%lld/set/%lld", (long long)split_id,
             (long long)mine);
    tc_init(&leaver, app);
    tc_init(&removed, app);
    assert_int_equal(tc_login(&leaver, leaver_email, PW), 303);
    assert_int_equal(tc_login(&removed, removed_email, PW), 303);
    /* the set's page offers its members the way out; others cannot use it */
    assert_int_equal(tc_get(&leaver, base), 200);
    snprintf(listed, sizeof listed, "<strong>%s</strong>", leaver_name);
    assert_true(tc_body_has(&leaver, listed));
    snprintf(uri, sizeof uri, "%s/leave", base);
    assert_true(tc_body_has(&leaver, uri));
    assert_int_equal(tc_get(&leaver, uri), 200);
    assert_true(tc_body_has(&leaver, "Leave your set?"));
    assert_true(tc_body_has(&leaver, "your facilitator"));
    assert_true(testapp_tidy(leaver.res.body, leaver.res.len, "leaving a set") < 2);
    assert_int_equal(tc_get(&outsider, uri), 404);
    assert_int_equal(tc_post_form(&outsider, uri, "", 1), 404);
    assert_int_equal(tc_post_form(&keeper, uri, "", 1), 404); /* the facilitator is no member */
    assert_int_equal(tc_post_form(&leaver, uri, "", 1), 303);
    assert_int_equal(set_of(split_id, leaver_email), -1);
    check_score(split_id); /* the split's mix is of the people left */
    assert_int_equal(q_int("SELECT count(*) FROM audit_log WHERE event = $1", "set_member_left"),
                     1);
    assert_int_equal(tc_get(&leaver, base), 404);
    snprintf(uri, sizeof uri, "/api/v1%s", base);
    assert_int_equal(tc_get(&leaver, uri), 404);
    snprintf(uri, sizeof uri, "/api/v1%s/leave", base);
    assert_int_equal(tc_post_json(&leaver, uri, "{}"), 404); /* twice */
    assert_int_equal(tc_get(&leaver, "/connect/sets"), 200);
    assert_false(tc_body_has(&leaver, "Your set"));
    /* the others no longer list them; the facilitator is told who left */
    assert_int_equal(tc_get(&member, base), 200);
    snprintf(listed, sizeof listed, "<strong>%s</strong>", leaver_name);
    snprintf(left_line, sizeof left_line, "%s left on ", leaver_name);
    assert_false(tc_body_has(&member, listed));
    assert_false(tc_body_has(&member, left_line)); /* who left is for the facilitator */
    assert_int_equal(tc_get(&keeper, base), 200);
    assert_true(tc_body_has(&keeper, "Left the set"));
    assert_true(tc_body_has(&keeper, left_line));
    assert_false(tc_body_has(&keeper, listed));
    /* taken out of the cohort: the set is gone for them, on pages and in the API */
    assert_int_equal(tc_get(&removed, base), 200);
    removed_id = q_int("SELECT id FROM users WHERE email = $1", removed_email);
    snprintf(uri, sizeof uri, "/cohorts/%lld/members/%lld/remove", (long long)cohort30,
             (long long)removed_id);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303);
    check_score(split_id); /* they no longer count in it */
    assert_int_equal(tc_get(&removed, base), 404);
    snprintf(uri, sizeof uri, "/api/v1%s", base);
    assert_int_equal(tc_get(&removed, uri), 404);
    snprintf(uri, sizeof uri, "/api/v1%s/leave", base);
    assert_int_equal(tc_post_json(&removed, uri, "{}"), 404);
    assert_int_equal(tc_get(&removed, "/connect/sets"), 200);
    assert_false(tc_body_has(&removed, "Your set"));
    assert_int_equal(tc_get(&removed, "/home"), 200);
    assert_false(tc_body_has(&removed, "Your set"));
    /* the others keep theirs, and no longer see them in it; the lead sees them marked */
    snprintf(listed, sizeof listed, "<strong>Person 30a %s</strong>",
             removed_email + strlen("p30a"));
    *strchr(listed + strlen("<strong>Person 30a "), '@') = '\0';
    strcat(listed, "</strong>");
    assert_int_equal(tc_get(&member, base), 200);
    assert_false(tc_body_has(&member, listed));
    assert_int_equal(tc_get(&lead, base), 200);
    assert_true(tc_body_has(&lead, listed));
    assert_true(tc_body_has(&lead, "No longer in the cohort"));
    /* put back in the cohort they are in their set again, and count; then out again */
    snprintf(uri, sizeof uri, "/cohorts/%lld/members", (long long)cohort30);
    snprintf(listed, sizeof listed, "emails=%.*s%%40example.test",
             (int)(strchr(removed_email, '@') - removed_email), removed_email);
    assert_int_equal(tc_post_form(&lead, uri, listed, 1), 200);
    assert_true(tc_body_has(&lead, "Added 1 person."));
    assert_int_equal(tc_get(&removed, base), 200);
    check_score(split_id);
    /* a failing database takes them out of neither the cohort nor the score: "try again" */
    snprintf(uri, sizeof uri, "/cohorts/%lld/members/%lld/remove", (long long)cohort30,
             (long long)removed_id);
    {
        char sql[128];
        int status = 0, calls = 0;
        int64_t score;
        snprintf(sql, sizeof sql, "SELECT score FROM connect_splits WHERE id = %lld",
                 (long long)split_id);
        score = q_int(sql, NULL);
        for (long n = 1; n < 200; n++) {
            db_fault_after(n);
            status = tc_post_form(&lead, uri, "", 1);
            db_fault_after(0);
            if (status != 503)
                break;
            assert_int_equal(tc_get(&removed, base), 200);
            assert_int_equal(q_int(sql, NULL), score);
            calls++;
        }
        assert_int_equal(status, 303);
        assert_true(calls > 3);
    }
    check_score(split_id);
    tc_free(&leaver);
    tc_free(&removed);
}

/* People of set number `number` still in the thirty's cohort: those the 5-to-8 rule counts. */
static int64_t set_counted(int number)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM connect_set_members m JOIN connect_sets s ON s.id = m.set_id "
             "WHERE m.split_id = %lld AND s.number = %d AND m.user_id IN (SELECT user_id FROM "
             "cohort_members WHERE cohort_id = %lld)",
             (long long)split_id, number, (long long)cohort30);
    return q_int(sql, NULL);
}

/* Moves someone still in the cohort, other than the kept-apart pair, from set `from` to set
 * `to` through the API; returns the status of the first move the rules allow, or the last. */
static int move_one(int64_t from, int64_t to)
{
    char uri[96], body[160], email[64];
    int st = 0;
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/move", (long long)split_id);
    for (int p = 0; p < N30; p++) {
        snprintf(email, sizeof email, "p30a%d@example.test", p);
        if (p == 0 || p == 5 || set_of(split_id, email) != from ||
            q_int("SELECT count(*) FROM cohort_members c JOIN users u ON u.id = c.user_id "
                  "WHERE u.email = $1",
                  email) == 0)
            continue;
        snprintf(body, sizeof body, "{\"email\": \"%s\", \"to\": %lld}", email, (long long)to);
        if ((st = tc_post_json(&lead, uri, body)) == 200)
            return st;
    }
    return st;
}

/* Someone taken out of the cohort stays in the split's copy (the lead sees them marked) but is
 * in no set that counts: the 5-to-8 rule of a hand move counts the people still in the cohort,
 * as the mix score does, and the person taken out cannot be moved. Before, a set of 5 people
 * and one taken out counted 6, so one more could be moved out, leaving 4. */
static void test_moves_count_who_is_in_the_cohort(void **state)
{
    char uri[96], body[160], removed[64];
    int64_t mine = set_of(split_id, "p30a3@example.test"), other = 0;
    char sql[400];
    (void)state;
    /* the person the test before took out of the cohort, in mine's copy still */
    snprintf(sql, sizeof sql,
             "SELECT u.id FROM connect_set_members m JOIN users u ON u.id = m.user_id "
             "WHERE m.split_id = %lld AND m.user_id NOT IN (SELECT user_id FROM cohort_members "
             "WHERE cohort_id = %lld)",
             (long long)split_id, (long long)cohort30);
    {
        char idq[160];
        int64_t id = q_int(sql, NULL);
        struct db *db = db_pool_get(app->pool);
        struct db_stmt *st = NULL;
        assert_true(id > 0);
        snprintf(idq, sizeof idq, "SELECT email FROM users WHERE id = %lld", (long long)id);
        assert_int_equal(db_row(db, idq, &st, ""), 0);
        snprintf(removed, sizeof removed, "%s", db_col_text(st, 0));
        db_finalize(st);
        db_pool_put(app->pool, db);
    }
    assert_int_equal(set_of(split_id, removed), mine);
    for (int64_t n = 1; n <= 5 && !other; n++)
        if (n != mine && n != set_of(split_id, "p30a0@example.test") &&
            n != set_of(split_id, "p30a5@example.test") && set_counted((int)n) < 8)
            other = n;
    assert_true(other > 0);
    /* mine down (or up) to 5 people who count, the person taken out beside them */
    while (set_counted((int)mine) > 5)
        assert_int_equal(move_one(mine, other), 200);
    while (set_counted((int)mine) < 5)
        assert_int_equal(move_one(other, mine), 200);
    assert_int_equal(set_size(split_id, (int)mine), 6);
    /* nobody more may leave it */
    assert_int_equal(move_one(mine, other), 400);
    assert_true(tc_body_has(&lead, "would have fewer than 5 people"));
    assert_int_equal(set_counted((int)mine), 5);
    /* and the person taken out is in no set to move */
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/move", (long long)split_id);
    snprintf(body, sizeof body, "{\"email\": \"%s\", \"to\": %lld}", removed, (long long)other);
    assert_int_equal(tc_post_json(&lead, uri, body), 400);
    assert_true(tc_body_has(&lead, "no longer in the cohort"));
    assert_int_equal(set_of(split_id, removed), mine);
    check_score(split_id);
}

static void test_data_rights(void **state)
{
    char uri[64], outsider_sql[320];
    int64_t taken_out;
    (void)state;
    assert_int_equal(tc_get(&member, "/account/data/download"), 200);
    assert_true(tc_body_has(&member, "\"action_learning\""));
    assert_true(tc_body_has(&member, "Spring sets"));
    assert_int_equal(tc_get(&keeper, "/account/data/download"), 200);
    assert_true(tc_body_has(&keeper, "\"meetings_recorded\""));
    assert_true(tc_body_has(&keeper, "Leading change"));
    assert_int_equal(tc_post_json(&keeper, "/api/v1/account/delete",
                                  "{\"password\": \"correct horse battery\", \"confirm\": true}"),
                     200);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings WHERE recorded_by IS NULL "
                           "",
                           NULL),
                     2);
    {
        char sql[128];
        snprintf(
            sql, sizeof sql,
            "SELECT count(*) FROM connect_sets WHERE facilitator_id IS NULL AND split_id = %lld",
            (long long)split_id);
        assert_int_equal(q_int(sql, NULL), 5);
    }
    snprintf(uri, sizeof uri, "%lld", (long long)member_id);
    assert_int_equal(tc_post_json(&member, "/api/v1/account/delete",
                                  "{\"password\": \"correct horse battery\", \"confirm\": true}"),
                     200);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_members WHERE user_id = $1", uri), 0);
    check_score(split_id); /* their account gone, the split's mix is of the people left */
    /* someone kept apart: their copy says so without naming the other; deleting their account
     * takes the pair away */
    {
        struct test_client paired;
        int64_t pairs = q_int("SELECT count(*) FROM connect_split_apart", NULL);
        tc_init(&paired, app);
        assert_int_equal(tc_login(&paired, "p30a0@example.test", PW), 303);
        assert_int_equal(tc_get(&paired, "/account/data/download"), 200);
        assert_true(tc_body_has(&paired, "\"kept_apart_in\""));
        assert_false(tc_body_has(&paired, "p30a5"));
        assert_int_equal(tc_post_json(&paired, "/api/v1/account/delete",
                                      "{\"password\": \"correct horse battery\", \"confirm\": "
                                      "true}"),
                         200);
        assert_int_equal(q_int("SELECT count(*) FROM connect_split_apart", NULL), pairs - 1);
        tc_free(&paired);
    }
    check_score(split_id);
    /* the cohort deleted, the split follows it no more: everyone in its copy counts again,
     * but whoever had been taken out of it stays out of their set, not back in it by name */
    snprintf(outsider_sql, sizeof outsider_sql,
             "SELECT MIN(user_id) FROM connect_set_members WHERE split_id = %lld AND user_id NOT "
             "IN (SELECT user_id FROM cohort_members WHERE cohort_id = %lld)",
             (long long)split_id, (long long)cohort30);
    taken_out = q_int(outsider_sql, NULL);
    assert_true(taken_out > 0);
    snprintf(uri, sizeof uri, "/cohorts/%lld/delete", (long long)cohort30);
    assert_int_equal(tc_post_form(&lead, uri, "confirm=true", 1), 303);
    assert_int_equal(q_int("SELECT count(*) FROM cohorts WHERE name = $1", "Thirty leaders"), 0);
    snprintf(outsider_sql, sizeof outsider_sql,
             "SELECT count(*) FROM connect_set_members WHERE split_id = %lld AND user_id = %lld",
             (long long)split_id, (long long)taken_out);
    assert_int_equal(q_int(outsider_sql, NULL), 0);
    check_score(split_id);
}

/* A split, a move and a meeting that meet a failing database answer "try again" (503) and
 * leave nothing half written; the same request then succeeds. */
static void test_failed_writes_write_nothing(void **state)
{
    char body[160], uri[128];
    int64_t splits = q_int("SELECT count(*) FROM connect_splits", NULL);
    int64_t members = q_int("SELECT count(*) FROM connect_set_members", NULL);
    int64_t meetings = q_int("SELECT count(*) FROM connect_set_meetings", NULL);
    int64_t audits = q_int("SELECT count(*) FROM audit_log", NULL);
    int status = 0, calls = 0;
    (void)state;
    snprintf(body, sizeof body, "{\"cohort\": %lld, \"target\": 6, \"seed\": 11}",
             (long long)cohort6);
    for (long n = 1; n < 200; n++) {
        db_fault_after(n);
        status = tc_post_json(&lead, "/api/v1/connect/sets", body);
        db_fault_after(0);
        if (status != 503)
            break;
        assert_true(tc_body_has(&lead, "try again") || tc_body_has(&lead, "Try again"));
        assert_int_equal(q_int("SELECT count(*) FROM connect_splits", NULL), splits);
        assert_int_equal(q_int("SELECT count(*) FROM connect_set_members", NULL), members);
        assert_int_equal(q_int("SELECT count(*) FROM audit_log", NULL), audits);
        calls++;
    }
    assert_int_equal(status, 201);
    assert_true(calls > 5);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_members", NULL), members + 6);
    /* a meeting */
    snprintf(uri, sizeof uri, "/api/v1/connect/sets/%lld/set/1/meetings", (long long)split_id);
    calls = 0;
    for (long n = 1; n < 200; n++) {
        db_fault_after(n);
        status = tc_post_json(&lead, uri, "{\"date\": \"2027-05-05\"}");
        db_fault_after(0);
        if (status != 503)
            break;
        assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings", NULL), meetings);
        calls++;
    }
    assert_int_equal(status, 201);
    assert_true(calls > 3);
    assert_int_equal(q_int("SELECT count(*) FROM connect_set_meetings", NULL), meetings + 1);
}

/* Every page of the journey passes tidy. */
static void test_pages_pass_tidy(void **state)
{
    char uri[128];
    (void)state;
    snprintf(uri, sizeof uri, "/connect/sets/%lld/set/1", (long long)split_id);
    const char *pages[] = {"/connect/sets", "/connect/sets/new", uri};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(tc_get(&lead, pages[i]), 200);
        assert_true(testapp_tidy(lead.res.body, lead.res.len, pages[i]) < 2);
    }
    snprintf(uri, sizeof uri, "/connect/sets/%lld", (long long)split_id);
    assert_int_equal(tc_get(&lead, uri), 200);
    assert_true(testapp_tidy(lead.res.body, lead.res.len, uri) < 2);
    /* a form re-shown with errors */
    assert_int_equal(post_split(&lead, cohort4, ""), 400);
    assert_true(testapp_tidy(lead.res.body, lead.res.len, "split error") < 2);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    exec_sql("INSERT INTO organisations (name, region, created_at) VALUES ($1, 'london', 0)", "t",
             "Sets Org A");
    exec_sql("INSERT INTO organisations (name, region, created_at) VALUES ($1, 'london', 0)", "t",
             "Sets Org B");
    exec_sql("INSERT INTO organisations (name, region, created_at) VALUES ($1, 'london', 0)", "t",
             "Sets Org C");
    testapp_user(app, "lead@example.test", "facilitator", PW);
    testapp_user(app, "outsider@example.test", "member", PW);
    keeper_id = testapp_user(app, "keeper@example.test", "member", PW);
    cohort30 = make_cohort("Thirty leaders", "30a", N30);
    cohort4 = make_cohort("Four leaders", "4", 4);
    cohort9 = make_cohort("Nine leaders", "9", 9);
    cohort6 = make_cohort("Six leaders", "6b", 6);
    member_id = q_int("SELECT id FROM users WHERE email = $1", "p30a3@example.test");
    tc_init(&lead, app);
    tc_init(&member, app);
    tc_init(&outsider, app);
    tc_init(&keeper, app);
    if (tc_login(&lead, "lead@example.test", PW) != 303 ||
        tc_login(&member, "p30a3@example.test", PW) != 303 ||
        tc_login(&outsider, "outsider@example.test", PW) != 303 ||
        tc_login(&keeper, "keeper@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&lead);
    tc_free(&member);
    tc_free(&outsider);
    tc_free(&keeper);
    testapp_free(app);
    return 0;
}

/* "Today" for a meeting held is the UK's: at 23:30Z on 14 July it is 15 July in the UK, so a
 * meeting held that day counts and one on the 16th does not; in winter the 16th is refused
 * from 10:00 on the 15th. */
static void test_held_today_is_the_uks(void **state)
{
    const int64_t jul15 = 1815609600, jan15 = 1799971200; /* 00:00Z on each day, 2027 */
    (void)state;
    assert_null(connect_set_meeting_when(jul15, true, jul15 - 1800));
    assert_non_null(connect_set_meeting_when(jul15 + 86400, true, jul15 - 1800));
    assert_null(connect_set_meeting_when(jul15 + 86400, false, jul15 - 1800)); /* planned */
    assert_null(connect_set_meeting_when(jan15, true, jan15 + 10 * 3600));
    assert_non_null(connect_set_meeting_when(jan15 + 86400, true, jan15 + 10 * 3600));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_today_is_the_uks),
        cmocka_unit_test(test_split_bad_input),
        cmocka_unit_test(test_split_and_balance),
        cmocka_unit_test(test_profile_conflicts_kept_apart),
        cmocka_unit_test(test_moves_keep_the_rules),
        cmocka_unit_test(test_publish_and_who_sees),
        cmocka_unit_test(test_facilitator_and_meetings),
        cmocka_unit_test(test_leaving_and_leaving_the_cohort),
        cmocka_unit_test(test_moves_count_who_is_in_the_cohort),
        cmocka_unit_test(test_pages_pass_tidy),
        cmocka_unit_test(test_failed_writes_write_nothing),
        cmocka_unit_test(test_data_rights),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
