/* connect_mentoring_test.c: Connect's mentoring pages and API through the loopback
 *
 * Members save profiles (with mistakes first: nothing is stored and the form comes back as
 * typed), appear in the directory only when they opt in, a programme lead creates and runs a
 * round, a mentee and a mentor accept and a decline rematches, and the relationship takes an
 * agreement, meetings (bad dates and hours refused, nothing lost) and a close. Others get 404
 * or 403. Every page passes tidy. Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client lead, mentee, mentor, mentee2, other;
static const char *PW = "correct horse battery";
static int64_t round_id, match_id, rel_id;

static int64_t q(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

/* An id as text, for q()'s one text argument (a static buffer: one use at a time). */
static const char *id_text(int64_t id)
{
    static char s[24];
    snprintf(s, sizeof s, "%lld", (long long)id);
    return s;
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static void tidy_ok(struct test_client *tc, const char *uri)
{
    assert_int_equal(tc_get(tc, uri), 200);
    assert_true(testapp_tidy(tc->res.body, tc->res.len, uri) < 2);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "lead@example.test", "facilitator", PW);
    testapp_user(app, "mentee@example.test", "member", PW);
    testapp_user(app, "mentor@example.test", "member", PW);
    testapp_user(app, "mentee2@example.test", "member", PW);
    testapp_user(app, "other@example.test", "member", PW);
    tc_init(&lead, app);
    tc_init(&mentee, app);
    tc_init(&mentor, app);
    tc_init(&mentee2, app);
    tc_init(&other, app);
    if (tc_login(&lead, "lead@example.test", PW) != 303 ||
        tc_login(&mentee, "mentee@example.test", PW) != 303 ||
        tc_login(&mentor, "mentor@example.test", PW) != 303 ||
        tc_login(&mentee2, "mentee2@example.test", PW) != 303 ||
        tc_login(&other, "other@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&lead);
    tc_free(&mentee);
    tc_free(&mentor);
    tc_free(&mentee2);
    tc_free(&other);
    testapp_free(app);
    return 0;
}

static void test_profile_mistakes_store_nothing(void **state)
{
    (void)state;
    tidy_ok(&mentee, "/connect");
    assert_true(tc_body_has(&mentee, "Set up your profile"));
    tidy_ok(&mentee, "/connect/profile");
    /* an unknown area, hours out of range, an address with no account, matching without a
     * band: four messages, nothing stored, everything typed kept */
    assert_int_equal(tc_post_form(&mentee, "/connect/profile",
                                  "matching=1&seeks_kind=mentoring&seeks.astrology=1&"
                                  "seeks.research=1&hours_month=99&"
                                  "excluded=nobody%40example.test&organisation=Trust+Q",
                                  1),
                     400);
    assert_true(tc_body_has(&mentee, "Choose areas from the list, each once"));
    assert_true(tc_body_has(&mentee, "Hours a month must be a whole number from 0 to 40"));
    assert_true(tc_body_has(&mentee, "There is no account with the address “nobody@example.test”"));
    assert_true(tc_body_has(&mentee, "Choose your band: matching rounds need it"));
    assert_true(tc_body_has(&mentee, "value=\"Trust Q\""));
    assert_true(tc_body_has(&mentee, "nobody@example.test</textarea>"));
    assert_true(testapp_tidy(mentee.res.body, mentee.res.len, "profile with errors") < 2);
    assert_int_equal(q("SELECT COUNT(*) FROM connect_profiles", NULL), 0);
    /* offering mentoring without areas or places; a directory listing without a role */
    assert_int_equal(
        tc_post_form(&mentor, "/connect/profile", "offers_mentoring=1&in_directory=1&band=8a", 1),
        400);
    assert_true(tc_body_has(&mentor, "Choose at least one area you can offer"));
    assert_true(tc_body_has(&mentor, "Say how many mentees you can take (1 to 10)"));
    assert_true(tc_body_has(&mentor, "Choose the role to list you under in the directory"));
    /* the JSON API answers 400 with the field errors */
    assert_int_equal(tc_post_json(&mentor, "/api/v1/connect/profile", "{\"band\": \"10\"}"), 400);
    assert_true(tc_body_has(&mentor, "\"band\""));
    assert_int_equal(q("SELECT COUNT(*) FROM connect_profiles", NULL), 0);
}

/* A member new to Connect: a number that is not one (refused by the request layer), a number
 * out of range and a directory listing without a role are all reported at once, each linked
 * to its field, with what was typed kept; through the page and the API alike. */
static void test_profile_every_mistake_at_once(void **state)
{
    json_t *j, *e;
    (void)state;
    assert_int_equal(tc_post_form(&other, "/connect/profile",
                                  "hours_month=two&max_mentees=15&in_directory=1", 1),
                     400);
    assert_true(tc_body_has(&other, "Hours a month must be a whole number"));
    assert_true(tc_body_has(&other, "The number of mentees must be a whole number from 0 to 10"));
    assert_true(tc_body_has(&other, "Choose the role to list you under in the directory"));
    assert_true(tc_body_has(&other, "href=\"#hours_month\""));
    assert_true(tc_body_has(&other, "href=\"#max_mentees\""));
    assert_true(tc_body_has(&other, "href=\"#directory_role\""));
    { /* the summary in the order of the page: role, then mentees, then hours */
        const char *role = strstr(other.res.body, "href=\"#directory_role\"");
        const char *mentees = strstr(other.res.body, "href=\"#max_mentees\"");
        const char *hours = strstr(other.res.body, "href=\"#hours_month\"");
        assert_true(role < mentees && mentees < hours);
    }
    assert_true(tc_body_has(&other, "value=\"two\""));
    assert_true(tc_body_has(&other, "value=\"15\""));
    assert_true(tc_body_has(&other, "name=\"in_directory\" type=\"checkbox\" value=\"1\" checked"));
    assert_true(testapp_tidy(other.res.body, other.res.len, "profile with every error") < 2);
    assert_int_equal(tc_post_json(&other, "/api/v1/connect/profile",
                                  "{\"hours_month\": \"two\", \"max_mentees\": 15, "
                                  "\"in_directory\": true}"),
                     400);
    j = body_json(&other);
    e = json_object_get(j, "errors");
    assert_non_null(json_object_get(e, "hours_month"));
    assert_non_null(json_object_get(e, "max_mentees"));
    assert_non_null(json_object_get(e, "directory_role"));
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM connect_profiles", NULL), 0);
    /* words longer than the field are told it is a whole number, and its range */
    assert_int_equal(
        tc_post_form(&other, "/connect/profile", "max_mentees=two+or+three&hours_month=1234567", 1),
        400);
    assert_true(tc_body_has(&other, "The number of mentees must be a whole number from 0 to 10"));
    assert_true(tc_body_has(&other, "Hours a month must be a whole number from 0 to 40"));
    assert_false(tc_body_has(&other, "characters or fewer"));
    assert_true(tc_body_has(&other, "value=\"two or three\""));
}

/* "People you must not be matched with" takes addresses; a message quotes each entry as it
 * was typed, never a fragment of it. */
static void test_profile_exclusions_quoted_as_typed(void **state)
{
    json_t *j;
    (void)state;
    tidy_ok(&other, "/connect/profile");
    assert_true(tc_body_has(&other, "one a line or separated by commas"));
    /* a name instead of an address */
    assert_int_equal(
        tc_post_form(&other, "/connect/profile", "excluded=Jo+Walsh+%28my+manager%29", 1), 400);
    assert_true(tc_body_has(&other, "“Jo Walsh (my manager)” is not an email address"));
    assert_true(tc_body_has(&other, "one a line or separated by commas"));
    assert_false(tc_body_has(&other, "address jo"));
    assert_true(tc_body_has(&other, "Jo Walsh (my manager)</textarea>"));
    /* a page of text pasted in: the message quotes its start, the box keeps it whole */
    {
        enum { N = 20000 };
        char *form = malloc(N + 20), *text = malloc(N + 1);
        assert_non_null(form);
        assert_non_null(text);
        const char *at;
        int found = 0;
        for (int i = 0; i < N; i++)
            text[i] = (char)('a' + i % 26);
        text[N] = '\0';
        memcpy(text, "Notes+from", 10);
        snprintf(form, N + 20, "excluded=%s", text);
        assert_int_equal(tc_post_form(&other, "/connect/profile", form, 1), 400);
        assert_true(tc_body_has(&other, "is not an email address"));
        assert_true(tc_body_has(&other, "…” is not an email address"));
        assert_true(tc_body_has(&other, "“Notes from"));
        /* the whole text once: in the box, not the message */
        for (at = other.res.body;
             (at = memmem(at, other.res.len - (size_t)(at - other.res.body), text + 10, N - 10));
             at++)
            found++;
        assert_int_equal(found, 1);
        free(form);
        free(text);
    }
    /* addresses with no account, however separated, each named as typed; a known one with
     * them is not */
    assert_int_equal(tc_post_json(&other, "/api/v1/connect/profile",
                                  "{\"excluded\": \"Mentor@example.test No.One@Example.test\\n"
                                  "ghost@example.test\"}"),
                     400);
    j = body_json(&other);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "errors"), "excluded")),
        "There are no accounts with the addresses “No.One@Example.test” and "
        "“ghost@example.test”");
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM connect_profiles", NULL), 0);
}

/* Profession and region are the account's: set on the account page, read by Connect. */
static void account_details(struct test_client *tc, const char *profession, const char *region)
{
    char form[200];
    snprintf(form, sizeof form, "display_name=Member&profession=%s&region=%s", profession, region);
    assert_int_equal(tc_post_form(tc, "/account/profile", form, 1), 303);
}

static void test_profiles_and_directory(void **state)
{
    json_t *j, *p;
    (void)state;
    account_details(&mentee, "physiotherapist", "london");
    account_details(&mentor, "radiographer", "london");
    account_details(&mentee2, "dietitian", "midlands");
    account_details(&other, "radiographer", "london");
    /* the mentee: looks for mentoring in research and digital, from another profession,
     * and must not be matched with mentee2 (their line manager, say) */
    assert_int_equal(tc_post_form(&mentee, "/connect/profile",
                                  "matching=1&seeks_kind=mentoring&seeks.research=1&"
                                  "seeks.digital=1&"
                                  "band=6&preference=other&excluded=Mentee2%40example.test",
                                  1),
                     303);
    assert_int_equal(tc_get_json(&mentee, "/api/v1/connect/profile"), 200);
    j = body_json(&mentee);
    p = json_object_get(j, "profile");
    assert_true(json_is_true(json_object_get(p, "matching")));
    assert_int_equal(json_array_size(json_object_get(p, "seeks")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "excluded"), 0)),
                        "mentee2@example.test");
    json_decref(j);
    /* a region other than the account's is refused, pointing to the account page; the same
     * one is fine */
    assert_int_equal(tc_post_json(&mentor, "/api/v1/connect/profile",
                                  "{\"band\": \"8b\", \"region\": \"midlands\"}"),
                     400);
    assert_true(tc_body_has(&mentor, "Change your region on your account page"));
    assert_int_equal(q("SELECT COUNT(*) FROM connect_profiles", NULL), 1);
    /* the mentor, through the JSON API, listed in the directory as a digital lead */
    assert_int_equal(tc_post_json(&mentor, "/api/v1/connect/profile",
                                  "{\"matching\": true, \"in_directory\": true, "
                                  "\"directory_role\": \"digital-lead\", "
                                  "\"offers_mentoring\": true, \"offers.research\": true, "
                                  "\"offers.digital\": true, \"max_mentees\": 2, "
                                  "\"hours_month\": 4, \"band\": \"8b\", \"region\": \"london\"}"),
                     200);
    j = body_json(&mentor);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "profile"), "max_mentees")), 2);
    json_decref(j);
    /* an offers. or seeks. member naming no area, ticked or not, is refused under its name,
     * and nothing is stored */
    assert_int_equal(tc_post_json(&mentor, "/api/v1/connect/profile",
                                  "{\"matching\": true, \"offers.research\": true, "
                                  "\"offers.astrology\": false, \"seeks.astrology\": true, "
                                  "\"max_mentees\": 3, \"hours_month\": 4, \"band\": \"8b\"}"),
                     400);
    assert_true(tc_body_has(&mentor, "\"field\":\"offers.astrology\""));
    assert_true(tc_body_has(&mentor, "\"field\":\"seeks.astrology\""));
    assert_true(tc_body_has(&mentor, "There is no area"));
    assert_int_equal(tc_get(&mentor, "/api/v1/connect/profile"), 200);
    j = body_json(&mentor);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "profile"), "max_mentees")), 2);
    json_decref(j);
    /* the profile at a glance reads as English: kinds in sentence case, areas joined with
     * commas, no trailing separator */
    tidy_ok(&mentee, "/connect");
    assert_true(tc_body_has(&mentee, "<dd class=\"nhsuk-summary-list__value\">Mentoring: "
                                     "Research, Digital leadership</dd>"));
    tidy_ok(&mentor, "/connect");
    assert_true(tc_body_has(&mentor, "<dd class=\"nhsuk-summary-list__value\">Mentoring: "
                                     "Research, Digital leadership</dd>") ||
                tc_body_has(&mentor, "<dd class=\"nhsuk-summary-list__value\">Mentoring: "
                                     "Digital leadership, Research</dd>"));
    assert_false(tc_body_has(&mentor, "; </dd>"));
    /* mentee2 looks for the same, same band; another mentor who is not in the directory */
    assert_int_equal(tc_post_form(&mentee2, "/connect/profile",
                                  "matching=1&seeks_kind=mentoring&seeks.research=1&band=6&"
                                  "preference=any",
                                  1),
                     303);
    assert_int_equal(tc_post_form(&other, "/connect/profile",
                                  "matching=1&offers_mentoring=1&offers.research=1&"
                                  "max_mentees=1&band=7",
                                  1),
                     303);
    /* the directory lists only who opted in, and filters by region and role */
    tidy_ok(&mentee2, "/connect/directory");
    assert_true(tc_body_has(&mentee2, "mentor@example.test"));
    assert_false(tc_body_has(&mentee2, "other@example.test")); /* offers, but not listed */
    assert_int_equal(
        tc_get_json(&other, "/api/v1/connect/directory?region=london&role=digital-lead"), 200);
    j = body_json(&other);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    assert_int_equal(tc_get_json(&other, "/api/v1/connect/directory?region=north-west"), 200);
    j = body_json(&other);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
    json_decref(j);
    /* one region per member: moved on the account page, moved in the directory and on the
     * Connect profile, which shows it without asking again */
    account_details(&mentor, "radiographer", "north-west");
    assert_int_equal(tc_get_json(&other, "/api/v1/connect/directory?region=north-west"), 200);
    j = body_json(&other);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
    json_decref(j);
    tidy_ok(&mentor, "/connect/profile");
    assert_true(tc_body_has(&mentor, "North West"));
    assert_false(tc_body_has(&mentor, "name=\"region\""));
    account_details(&mentor, "radiographer", "london");
}

static void test_round_created_and_run(void **state)
{
    json_t *j;
    char uri[96], form[160];
    int64_t cohort;
    const char *loc;
    long long id = 0;
    (void)state;
    /* members cannot reach the lead's pages */
    assert_int_equal(tc_get(&mentee, "/connect/rounds"), 403);
    assert_int_equal(tc_post_form(&mentee, "/connect/rounds", "name=x", 1), 403);
    tidy_ok(&lead, "/connect/rounds");
    /* a cohort of the four members */
    assert_int_equal(tc_post_form(&lead, "/connect/rounds", "name=&kind=mentoring", 1), 400);
    assert_true(tc_body_has(&lead, "Choose a cohort from the list") ||
                tc_body_has(&lead, "Enter a name for the round"));
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(db_run_int(db,
                                    "INSERT INTO cohorts (name, created_at, updated_at) "
                                    "VALUES ('Test cohort', 1, 1) RETURNING id",
                                    &cohort, ""),
                         0);
        assert_int_equal(db_run(db,
                                "INSERT INTO cohort_members (cohort_id, user_id, added_at) "
                                "SELECT $1, id, 1 FROM users WHERE role = 'member'",
                                "i", cohort),
                         0);
        db_pool_put(app->pool, db);
    }
    snprintf(form, sizeof form, "name=Spring&kind=sideways&cohort=%lld", (long long)cohort);
    assert_int_equal(tc_post_form(&lead, "/connect/rounds", form, 1), 400);
    assert_true(tc_body_has(&lead, "Choose mentoring or coaching"));
    assert_int_equal(q("SELECT COUNT(*) FROM connect_rounds", NULL), 0);
    snprintf(form, sizeof form, "name=Spring&kind=mentoring&min_band=7&cohort=%lld",
             (long long)cohort);
    assert_int_equal(tc_post_form(&lead, "/connect/rounds", form, 1), 303);
    loc = lb_header(&lead.res, "Location");
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, "/connect/rounds/%lld", &id), 1);
    round_id = id;
    snprintf(uri, sizeof uri, "/connect/rounds/%lld", id);
    tidy_ok(&lead, uri);
    assert_true(tc_body_has(&lead, "Run the round"));
    assert_true(tc_body_has(&lead, "<dd class=\"nhsuk-summary-list__value\">Mentoring</dd>"));
    tidy_ok(&lead, "/connect/rounds");
    assert_true(tc_body_has(&lead, "\">Mentoring · "));
    snprintf(uri, sizeof uri, "/connect/rounds/%lld/run", id);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 409);
    snprintf(uri, sizeof uri, "/api/v1/connect/rounds/%lld", id);
    assert_int_equal(tc_get_json(&lead, uri), 200);
    j = body_json(&lead);
    /* mentee and mentee2 must not be together but both are mentees: the mentor (2 places)
     * takes both; other (band 7, 1 place) is eligible at the minimum band */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "round"), "mentees")),
                     2);
    assert_int_equal(json_array_size(json_object_get(j, "matches")), 2);
    assert_true(json_is_array(json_object_get(j, "shares_by_profession")));
    /* small groups: the counts are null with a reason (numbers as numbers), the share null
     * with a reason */
    {
        json_t *s = json_array_get(json_object_get(j, "shares_by_profession"), 0);
        assert_true(json_is_null(json_object_get(s, "mentees")));
        assert_true(json_is_string(json_object_get(s, "mentees_reason")));
        assert_true(json_is_null(json_object_get(s, "share_percent")));
        assert_true(json_is_string(json_object_get(s, "suppressed_reason")));
    }
    json_decref(j);
    snprintf(uri, sizeof uri, "/connect/rounds/%lld", id);
    tidy_ok(&lead, uri);
    assert_true(tc_body_has(&lead, "goal"));
    match_id = q("SELECT m.id FROM connect_matches m JOIN users u ON u.id = m.mentee_id "
                 "WHERE u.email = $1",
                 "mentee@example.test");
    assert_true(match_id > 0);
}

static void test_accept_decline(void **state)
{
    char uri[96];
    json_t *j;
    (void)state;
    snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)match_id);
    tidy_ok(&mentee, uri);
    assert_true(tc_body_has(&mentee, "Why this match"));
    assert_true(tc_body_has(&mentee, "goal"));
    assert_int_equal(tc_get(&lead, uri), 404); /* not a party: not found */
    /* while only proposed, neither learns the other's address through the API (the
     * directory shows one only to those who chose to be listed) */
    snprintf(uri, sizeof uri, "/api/v1/connect/matches/%lld", (long long)match_id);
    assert_int_equal(tc_get_json(&mentee, uri), 200);
    assert_false(tc_body_has(&mentee, "@example.test"));
    snprintf(uri, sizeof uri, "/connect/matches/%lld/accept", (long long)match_id);
    assert_int_equal(tc_post_form(&mentee, uri, "", 1), 303);
    assert_int_equal(tc_post_form(&mentee, uri, "", 1), 409); /* answered already */
    assert_true(tc_body_has(&mentee, "You have already accepted this match. Nothing has been "
                                     "changed."));
    assert_true(tc_body_has(&mentee, "Mentee's answer")); /* the match as it stands */
    assert_true(testapp_tidy(mentee.res.body, mentee.res.len, "answered twice") < 2);
    snprintf(uri, sizeof uri, "/connect/matches/%lld/decline", (long long)match_id);
    assert_int_equal(tc_post_form(&mentee, uri, "", 1), 409); /* nor may it be undone */
    assert_int_equal(q("SELECT COUNT(*) FROM connect_matches WHERE mentee_answer = 'accepted' "
                       "AND status = 'proposed'",
                       NULL),
                     1);
    snprintf(uri, sizeof uri, "/connect/matches/%lld/accept", (long long)match_id);
    assert_int_equal(tc_post_form(&mentee2, uri, "", 1), 404);
    /* the mentor of this match accepts through the API: a relationship begins */
    {
        const char *email;
        struct test_client *m;
        int64_t mid = q("SELECT mentor_id FROM connect_matches WHERE mentee_id = "
                        "(SELECT id FROM users WHERE email = $1)",
                        "mentee@example.test");
        email = mid == q("SELECT id FROM users WHERE email = $1", "mentor@example.test") ? "mentor"
                                                                                         : "other";
        m = !strcmp(email, "mentor") ? &mentor : &other;
        /* the other side is told the mentee has accepted, and what answering leads to */
        tidy_ok(m, "/connect");
        assert_true(tc_body_has(m, "Member has accepted. Waiting for your answer"));
        snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)match_id);
        tidy_ok(m, uri);
        assert_true(tc_body_has(m, "Do you want to go ahead with Member?"));
        assert_true(tc_body_has(m, "Member has accepted. If you accept too, your mentoring "
                                   "relationship starts"));
        tidy_ok(&mentee, uri);
        assert_true(tc_body_has(&mentee, "You have accepted. Waiting for Member to answer"));
        snprintf(uri, sizeof uri, "/api/v1/connect/matches/%lld/accept", (long long)match_id);
        assert_int_equal(tc_post_json(m, uri, "{}"), 200);
        j = body_json(m);
        rel_id =
            json_integer_value(json_object_get(json_object_get(j, "match"), "relationship_id"));
        json_decref(j);
        assert_true(rel_id > 0);
        /* both accepted: now they may write to each other */
        assert_true(tc_body_has(m, "\"with_email\":\"mentee@example.test\""));
    }
    /* mentee2's mentor accepts, then mentee2 declines: the round looks again; the declined
     * pair is never proposed again */
    {
        int64_t m2 = q("SELECT m.id FROM connect_matches m JOIN users u ON u.id = m.mentee_id "
                       "WHERE u.email = $1 AND m.status = 'proposed'",
                       "mentee2@example.test");
        int64_t mo;
        struct test_client *m;
        assert_true(m2 > 0);
        mo = q("SELECT mentor_id FROM connect_matches WHERE id = CAST($1 AS BIGINT)", id_text(m2));
        m = mo == q("SELECT id FROM users WHERE email = $1", "mentor@example.test") ? &mentor
                                                                                    : &other;
        snprintf(uri, sizeof uri, "/connect/matches/%lld/accept", (long long)m2);
        assert_int_equal(tc_post_form(m, uri, "", 1), 303);
        snprintf(uri, sizeof uri, "/connect/matches/%lld/decline", (long long)m2);
        assert_int_equal(tc_post_form(&mentee2, uri, "", 1), 303);
        /* what happens next, for the one who declined: whether the rematch proposed another */
        snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)m2);
        tidy_ok(&mentee2, uri);
        assert_true(tc_body_has(
            &mentee2, q("SELECT COUNT(*) FROM connect_matches m JOIN users u ON u.id = m.mentee_id "
                        "WHERE u.email = $1 AND m.status = 'proposed'",
                        "mentee2@example.test")
                          ? "The programme has proposed another match to you: see Your matches."
                          : "No one else has a free place for you now"));
        assert_true(tc_body_has(&mentee2, "This match was declined by you."));
        assert_true(tc_body_has(&mentee2, "looked for another mentor with a free place for you"));
        /* having declined, they cannot accept: told they declined */
        snprintf(uri, sizeof uri, "/connect/matches/%lld/accept", (long long)m2);
        assert_int_equal(tc_post_form(&mentee2, uri, "", 1), 409);
        assert_true(tc_body_has(&mentee2, "You have already declined this match."));
        /* the mentor, who had accepted, is told it was declined, on their matches and when
         * they answer again, on the page and the API; nothing changes */
        tidy_ok(m, "/connect");
        assert_true(tc_body_has(m, "Declined by Member"));
        assert_int_equal(tc_post_form(m, uri, "", 1), 409);
        assert_true(tc_body_has(m, "Member has declined this match, so it can no longer be "
                                   "answered. Nothing has been changed."));
        assert_true(testapp_tidy(m->res.body, m->res.len, "answer after a decline") < 2);
        snprintf(uri, sizeof uri, "/api/v1/connect/matches/%lld/decline", (long long)m2);
        assert_int_equal(tc_post_json(m, uri, "{}"), 409);
        assert_true(tc_body_has(m, "Member has declined this match"));
        assert_int_equal(q("SELECT COUNT(*) FROM connect_matches WHERE id = CAST($1 AS "
                           "BIGINT) AND mentor_answer = 'accepted' AND status = 'declined'",
                           id_text(m2)),
                         1);
        assert_int_equal(q("SELECT COUNT(*) FROM connect_matches WHERE status = 'declined'", NULL),
                         1);
        assert_int_equal(q("SELECT COUNT(*) FROM (SELECT mentee_id, mentor_id FROM "
                           "connect_matches GROUP BY mentee_id, mentor_id HAVING COUNT(*) > 1) x",
                           NULL),
                         0);
    }
    tidy_ok(&mentee2, "/connect");
    tidy_ok(&mentee, "/connect");
    assert_true(tc_body_has(&mentee, "/connect/relationships/"));
    assert_true(tc_body_has(&mentee, "\">Mentoring with "));
    assert_false(tc_body_has(&mentee, "\">mentoring with "));
    /* before any meeting, the time together says so rather than "0 meetings, 0 minutes" */
    assert_true(tc_body_has(&mentee, "No meetings logged yet"));
    assert_false(tc_body_has(&mentee, "0 meetings"));
}

static void test_relationship(void **state)
{
    char uri[96], form[200];
    time_t now = time(NULL), later = now + 5 * 86400;
    struct tm tm, tl;
    json_t *j;
    (void)state;
    gmtime_r(&now, &tm);
    gmtime_r(&later, &tl);
    snprintf(uri, sizeof uri, "/connect/relationships/%lld", (long long)rel_id);
    tidy_ok(&mentee, uri);
    assert_int_equal(tc_get(&mentee2, uri), 404);
    /* the agreement needs the confidentiality statement */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/agreement", (long long)rel_id);
    assert_int_equal(tc_post_form(&mentee, uri, "goals=Learn+research&frequency=Monthly", 1), 400);
    assert_true(tc_body_has(&mentee, "Confirm the confidentiality statement"));
    assert_true(tc_body_has(&mentee, "Learn research</textarea>"));
    assert_int_equal(
        tc_post_form(&mentee, uri, "goals=Learn+research&frequency=Monthly&confidentiality=1", 1),
        303);
    /* the goals emptied: the message, and the box as sent (empty), not the stored goals */
    assert_int_equal(tc_post_form(&mentee, uri, "goals=&frequency=Weekly&confidentiality=1", 1),
                     400);
    assert_true(tc_body_has(&mentee, "Enter the goals you agree on"));
    assert_true(tc_body_has(&mentee, "id=\"goals\" name=\"goals\" rows=\"4\"></textarea>"));
    assert_false(tc_body_has(&mentee, "Learn research</textarea>"));
    assert_true(tc_body_has(&mentee, "value=\"Weekly\""));
    assert_int_equal(
        q("SELECT COUNT(*) FROM connect_relationships WHERE goals = $1", "Learn research"), 1);
    /* meetings: a date that does not exist, one in the future, hours that are not a number */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/meetings", (long long)rel_id);
    assert_int_equal(
        tc_post_form(&mentee, uri, "met_on-day=31&met_on-month=2&met_on-year=2026&hours=1", 1),
        400);
    assert_true(tc_body_has(&mentee, "The date of the meeting must be a real date"));
    assert_true(tc_body_has(&mentee, "value=\"31\""));
    assert_true(tc_body_has(&mentee, "Learn research</textarea>")); /* another form's error */
    snprintf(form, sizeof form, "met_on-day=%d&met_on-month=%d&met_on-year=%d&hours=1", tl.tm_mday,
             tl.tm_mon + 1, tl.tm_year + 1900);
    assert_int_equal(tc_post_form(&mentee, uri, form, 1), 400);
    assert_true(tc_body_has(&mentee, "must be today or in the past"));
    snprintf(form, sizeof form, "met_on-day=%d&met_on-month=%d&met_on-year=%d&hours=lots",
             tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    assert_int_equal(tc_post_form(&mentee, uri, form, 1), 400);
    assert_true(tc_body_has(&mentee, "Enter the hours as a number"));
    /* a number as a person writes one: not an exponent, a comma, hex or "nan" */
    for (int i = 0; i < 5; i++) {
        static const char *const odd[] = {"1e1", "1%2C5", "0x10", "nan", "1.5.2"};
        snprintf(form, sizeof form, "met_on-day=%d&met_on-month=%d&met_on-year=%d&hours=%s",
                 tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, odd[i]);
        assert_int_equal(tc_post_form(&mentee, uri, form, 1), 400);
        assert_true(tc_body_has(&mentee, "Enter the hours as a number"));
    }
    assert_int_equal(
        tc_post_form(&mentee, uri, "met_on-day=&met_on-month=&met_on-year=&hours=1", 1), 400);
    assert_true(tc_body_has(&mentee, "Enter the date of the meeting with a day, month and year"));
    assert_int_equal(q("SELECT COUNT(*) FROM connect_meetings", NULL), 0);
    snprintf(form, sizeof form, "met_on-day=%d&met_on-month=%d&met_on-year=%d&hours=1.5",
             tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    assert_int_equal(tc_post_form(&mentee, uri, form, 1), 303);
    /* hours that are a number but no meeting's are told the range, beside the date's error */
    assert_int_equal(
        tc_post_form(&mentee, uri, "met_on-day=31&met_on-month=2&met_on-year=2026&hours=-1", 1),
        400);
    assert_true(tc_body_has(&mentee, "The date of the meeting must be a real date"));
    assert_true(tc_body_has(&mentee, "Hours must be a number from 0.25 to 12"));
    assert_true(tc_body_has(&mentee, "value=\"-1\""));
    /* and through the API, where the date may be one ISO field, met_on, as the reply gives it */
    snprintf(uri, sizeof uri, "/api/v1/connect/relationships/%lld/meetings", (long long)rel_id);
    for (int i = 0; i < 4; i++) {
        static const char *const odd[] = {"-1", "99999", "0.1", "true"};
        json_t *errs;
        snprintf(form, sizeof form, "{\"met_on\": \"%04d-%02d-%02d\", \"hours\": %s}",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, odd[i]);
        assert_int_equal(tc_post_json(&mentee, uri, form), 400);
        j = body_json(&mentee);
        errs = json_object_get(j, "errors");
        assert_int_equal(json_object_size(errs), 1);
        assert_non_null(json_object_get(errs, "hours"));
        if (i < 3)
            assert_non_null(strstr(json_string_value(json_object_get(errs, "hours")),
                                   "Hours must be a number from 0.25 to 12"));
        json_decref(j);
    }
    /* the ISO date and the boxes both, when they differ: refused at met_on */
    snprintf(form, sizeof form,
             "{\"met_on\": \"%04d-%02d-%02d\", \"met_on-day\": \"%d\", \"met_on-month\": "
             "\"%d\", \"met_on-year\": \"%d\", \"hours\": 1}",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_mday, tm.tm_mon + 1,
             tm.tm_year + 1900 - 1);
    assert_int_equal(tc_post_json(&mentee, uri, form), 400);
    j = body_json(&mentee);
    assert_non_null(json_object_get(json_object_get(j, "errors"), "met_on"));
    json_decref(j);
    assert_int_equal(q("SELECT COUNT(*) FROM connect_meetings", NULL), 1);
    snprintf(form, sizeof form, "{\"met_on\": \"%04d-%02d-%02d\", \"hours\": \"0.5\"}",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    assert_int_equal(tc_post_json(&mentee, uri, form), 201);
    j = body_json(&mentee);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "relationship"), "minutes")), 120);
    json_decref(j);
    /* the meetings into the member's Develop portfolio: their side, counted; nobody else's */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/portfolio", (long long)rel_id);
    assert_int_equal(tc_post_form(&mentee, uri, "", 1), 303);
    assert_int_equal(q("SELECT COUNT(*) FROM develop_portfolio_entries WHERE kind = 'training' "
                       "AND title LIKE 'Mentored by %' AND body = '2 meetings, 2.0 hours in all.'",
                       NULL),
                     1);
    assert_int_equal(tc_post_form(&other, uri, "", 1), 404);
    /* close: feedback needed; after the close no more meetings */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/close", (long long)rel_id);
    assert_int_equal(tc_post_form(&mentee, uri, "feedback=", 1), 400);
    assert_true(tc_body_has(&mentee, "Enter your feedback"));
    assert_int_equal(tc_post_form(&mentee, uri, "feedback=Very+useful", 1), 303);
    assert_int_equal(tc_post_form(&mentee, uri, "feedback=Again", 1), 409);
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/meetings", (long long)rel_id);
    snprintf(form, sizeof form, "met_on-day=%d&met_on-month=%d&met_on-year=%d&hours=1", tm.tm_mday,
             tm.tm_mon + 1, tm.tm_year + 1900);
    assert_int_equal(tc_post_form(&mentee, uri, form, 1), 409);
    assert_int_equal(q("SELECT COUNT(*) FROM connect_meetings", NULL), 2);
    snprintf(uri, sizeof uri, "/connect/relationships/%lld", (long long)rel_id);
    tidy_ok(&mentee, uri);
}

/* A self-select round: mentee2 declines every match proposed to them, and is then asked to
 * choose on their Connect page; the mentee's match page offers their next best. */
static void test_self_select_pages(void **state)
{
    char uri[96], form[160];
    int64_t cohort = q("SELECT MIN(id) FROM cohorts", NULL), r, m;
    (void)state;
    snprintf(form, sizeof form, "name=Choose&kind=mentoring&self_select=1&cohort=%lld",
             (long long)cohort);
    assert_int_equal(tc_post_form(&lead, "/connect/rounds", form, 1), 303);
    r = q("SELECT MAX(id) FROM connect_rounds", NULL);
    snprintf(uri, sizeof uri, "/connect/rounds/%lld/run", (long long)r);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303);
    for (int i = 0; i < 4; i++) {
        char rid[24];
        snprintf(rid, sizeof rid, "%lld", (long long)r);
        m = q("SELECT m.id FROM connect_matches m JOIN users u ON u.id = m.mentee_id WHERE "
              "u.email = 'mentee2@example.test' AND m.status = 'proposed' AND m.round_id = "
              "CAST($1 AS BIGINT)",
              rid);
        if (m <= 0)
            break;
        snprintf(uri, sizeof uri, "/connect/matches/%lld/decline", (long long)m);
        assert_int_equal(tc_post_form(&mentee2, uri, "", 1), 303);
    }
    tidy_ok(&mentee2, "/connect");
    assert_true(tc_body_has(&mentee2, "Choose your mentor: Choose"));
    m = q("SELECT m.id FROM connect_matches m JOIN users u ON u.id = m.mentee_id WHERE "
          "u.email = 'mentee@example.test' AND m.status = 'proposed'",
          NULL);
    assert_true(m > 0);
    snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)m);
    tidy_ok(&mentee, uri);
    /* a mentor not among the choices is refused, and nothing changes */
    snprintf(uri, sizeof uri, "/connect/rounds/%lld/choose", (long long)r);
    assert_int_equal(tc_post_form(&mentee, uri, "mentor=999999", 1), 400);
    assert_int_equal(q("SELECT COUNT(*) FROM connect_matches WHERE status = 'replaced'", NULL), 0);
}

/* A database failing at any point of a run or of a decline (which rematches) answers
 * "try again" and leaves everything as it was; the same request then works. */
static void test_failed_writes_write_nothing(void **state)
{
    char uri[96], form[160];
    int64_t cohort = q("SELECT MIN(id) FROM cohorts", NULL), r, m;
    const char *state_sql = "SELECT COUNT(*) * 1000 + SUM(CASE WHEN status = 'proposed' THEN 1 "
                            "ELSE 0 END) FROM connect_matches";
    int64_t before;
    long calls = 0;
    int status = 0;
    (void)state;
    snprintf(form, sizeof form, "name=Faults&kind=mentoring&cohort=%lld", (long long)cohort);
    assert_int_equal(tc_post_form(&lead, "/connect/rounds", form, 1), 303);
    r = q("SELECT MAX(id) FROM connect_rounds", NULL);
    snprintf(uri, sizeof uri, "/connect/rounds/%lld/run", (long long)r);
    before = q(state_sql, NULL);
    for (long n = 1; n < 400; n++) {
        db_fault_after(n);
        status = tc_post_form(&lead, uri, "", 1);
        db_fault_after(0);
        if (status != 503)
            break;
        assert_true(tc_body_has(&lead, "Try again") || tc_body_has(&lead, "try again"));
        assert_int_equal(q(state_sql, NULL), before);
        assert_int_equal(q("SELECT COUNT(*) FROM connect_round_people p JOIN connect_rounds r ON "
                           "r.id = p.round_id WHERE r.name = 'Faults'",
                           NULL),
                         0);
        calls++;
    }
    assert_int_equal(status, 303);
    assert_true(calls > 5);
    m = q("SELECT m.id FROM connect_matches m JOIN connect_rounds r ON r.id = m.round_id JOIN "
          "users u ON u.id = m.mentee_id WHERE r.name = 'Faults' AND u.email = "
          "'mentee@example.test'",
          NULL);
    assert_true(m > 0);
    snprintf(uri, sizeof uri, "/connect/matches/%lld/decline", (long long)m);
    before = q(state_sql, NULL);
    calls = 0;
    for (long n = 1; n < 400; n++) {
        db_fault_after(n);
        status = tc_post_form(&mentee, uri, "", 1);
        db_fault_after(0);
        if (status != 503)
            break;
        assert_int_equal(q(state_sql, NULL), before);
        calls++;
    }
    assert_int_equal(status, 303);
    assert_true(calls > 3);
    assert_true(q(state_sql, NULL) != before);
}

static void test_data_rights_include_connect(void **state)
{
    json_t *j, *c;
    (void)state;
    assert_int_equal(tc_get(&mentee, "/account/data/download"), 200);
    j = json_loadb(mentee.res.body, mentee.res.len, 0, NULL);
    assert_non_null(j);
    c = json_object_get(j, "connect_mentoring");
    assert_non_null(c);
    assert_int_equal(json_array_size(json_object_get(c, "profile")), 1);
    assert_int_equal(json_array_size(json_object_get(c, "meetings")), 2);
    json_decref(j);
}

/* Whether the main part of the page last fetched speaks of a mentor or a mentee anywhere
 * ("mentoring", which Connect's pages say of both kinds, and the form field named "mentor",
 * which nobody reads, aside). */
static bool main_says_mentor(const struct test_client *tc)
{
    const char *b = tc->res.body ? strstr(tc->res.body, "<main") : NULL;
    const char *e = b ? strstr(b, "</main>") : NULL;
    assert_non_null(e);
    for (const char *p = b; p + 6 <= e; p++)
        if (((!strncasecmp(p, "mentor", 6) && strncmp(p + 6, "ing", 3)) ||
             !strncasecmp(p, "mentee", 6)) &&
            !(p - b >= 6 && !strncmp(p - 6, "name=\"", 6)))
            return true;
    return false;
}

/* A coaching round says coach and coachee wherever a mentoring round says mentor and
 * mentee: the match page (before and after a decline, for both sides), the Connect page,
 * the relationship, the lead's page of the round and the refusal of a choice. */
static void test_coaching_round_says_coach(void **state)
{
    struct test_client coach, coachee, coachee2, *matched, *waiting;
    char uri[96], form[200];
    int64_t cohort = 0, r, m, m2, rel;
    (void)state;
    testapp_user(app, "coach@example.test", "member", PW);
    testapp_user(app, "coachee@example.test", "member", PW);
    testapp_user(app, "coachee2@example.test", "member", PW);
    tc_init(&coach, app);
    tc_init(&coachee, app);
    tc_init(&coachee2, app);
    assert_int_equal(tc_login(&coach, "coach@example.test", PW), 303);
    assert_int_equal(tc_login(&coachee, "coachee@example.test", PW), 303);
    assert_int_equal(tc_login(&coachee2, "coachee2@example.test", PW), 303);
    account_details(&coach, "radiographer", "london");
    account_details(&coachee, "physiotherapist", "london");
    account_details(&coachee2, "dietitian", "midlands");
    /* one coach with one place, two who look for coaching */
    assert_int_equal(tc_post_form(&coach, "/connect/profile",
                                  "matching=1&offers_coaching=1&coach_accredited=1&"
                                  "offers.research=1&max_mentees=1&hours_month=4&band=7",
                                  1),
                     303);
    assert_int_equal(tc_post_form(&coachee, "/connect/profile",
                                  "matching=1&seeks_kind=coaching&seeks.research=1&band=6", 1),
                     303);
    assert_int_equal(tc_post_form(&coachee2, "/connect/profile",
                                  "matching=1&seeks_kind=coaching&seeks.research=1&band=6", 1),
                     303);
    /* the API, like the page, names no offer for someone who offers none */
    assert_int_equal(tc_get(&coachee2, "/api/v1/connect"), 200);
    {
        json_t *j = body_json(&coachee2), *pr = json_object_get(j, "profile");
        assert_true(json_is_false(json_object_get(pr, "offers_any")));
        assert_true(json_is_null(json_object_get(pr, "offers_text")));
        assert_non_null(strstr(json_string_value(json_object_get(pr, "seeks_text")), "Coaching"));
        json_decref(j);
    }
    assert_int_equal(tc_get(&coach, "/api/v1/connect"), 200);
    {
        json_t *j = body_json(&coach), *pr = json_object_get(j, "profile");
        assert_non_null(strstr(json_string_value(json_object_get(pr, "offers_text")), "Coaching"));
        json_decref(j);
    }
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(db_run_int(db,
                                    "INSERT INTO cohorts (name, created_at, updated_at) "
                                    "VALUES ('Coaching cohort', 1, 1) RETURNING id",
                                    &cohort, ""),
                         0);
        assert_int_equal(db_run(db,
                                "INSERT INTO cohort_members (cohort_id, user_id, added_at) "
                                "SELECT $1, id, 1 FROM users WHERE email LIKE 'coach%'",
                                "i", cohort),
                         0);
        db_pool_put(app->pool, db);
    }
    snprintf(form, sizeof form, "name=Coaching+pilot&kind=coaching&self_select=1&cohort=%lld",
             (long long)cohort);
    assert_int_equal(tc_post_form(&lead, "/connect/rounds", form, 1), 303);
    r = q("SELECT MAX(id) FROM connect_rounds", NULL);
    snprintf(uri, sizeof uri, "/connect/rounds/%lld/run", (long long)r);
    assert_int_equal(tc_post_form(&lead, uri, "", 1), 303);
    m = q("SELECT id FROM connect_matches WHERE round_id = CAST($1 AS BIGINT) AND status = "
          "'proposed'",
          id_text(r));
    assert_true(m > 0);
    matched = q("SELECT mentee_id FROM connect_matches WHERE id = CAST($1 AS BIGINT)",
                id_text(m)) == q("SELECT id FROM users WHERE email = $1", "coachee@example.test")
                  ? &coachee
                  : &coachee2;
    waiting = matched == &coachee ? &coachee2 : &coachee;
    /* the lead's page of the round */
    snprintf(uri, sizeof uri, "/connect/rounds/%lld", (long long)r);
    tidy_ok(&lead, uri); /* the run's message is shown here, and taken */
    tidy_ok(&lead, uri);
    assert_true(tc_body_has(&lead, "coachees may choose from their five"));
    assert_true(tc_body_has(&lead, ": 2 coachees, 1 coaches with places"));
    assert_true(tc_body_has(&lead, "Unmatched coachees and why"));
    assert_true(tc_body_has(&lead, " · coachee: Not answered yet · coach: Not answered yet"));
    assert_true(tc_body_has(&lead, "<h2>Coaches</h2>"));
    assert_false(tc_body_has(&lead, "<h2>Mentors</h2>"));
    /* the match, for each side */
    snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)m);
    tidy_ok(matched, uri);
    assert_true(tc_body_has(matched, "Your coaching match"));
    assert_true(tc_body_has(matched, "<dd class=\"nhsuk-summary-list__value\">coachee</dd>"));
    assert_true(tc_body_has(matched, "Coachee's answer"));
    assert_true(tc_body_has(matched, "Coach's answer"));
    assert_false(main_says_mentor(matched));
    tidy_ok(&coach, uri);
    assert_true(tc_body_has(&coach, "<dd class=\"nhsuk-summary-list__value\">coach</dd>"));
    assert_false(main_says_mentor(&coach));
    tidy_ok(matched, "/connect");
    assert_true(tc_body_has(matched, "You are the coachee"));
    assert_false(main_says_mentor(matched));
    /* a choice that is not one: the refusal names a coach */
    snprintf(uri, sizeof uri, "/connect/rounds/%lld/choose", (long long)r);
    assert_int_equal(tc_post_form(matched, uri, "mentor=999999", 1), 400);
    assert_true(tc_body_has(matched, "That coach is not among your choices any more"));
    assert_false(main_says_mentor(matched));
    /* declined: what follows, for both, in the round's words (the one-off message after
     * the decline is taken by the next page first) */
    snprintf(uri, sizeof uri, "/connect/matches/%lld/decline", (long long)m);
    assert_int_equal(tc_post_form(matched, uri, "", 1), 303);
    snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)m);
    tidy_ok(matched, uri); /* with the one-off message, in words for either kind of round */
    assert_true(tc_body_has(matched, "You have declined the match."));
    assert_false(main_says_mentor(matched));
    assert_int_equal(tc_get(matched, "/connect/groups"), 200);
    tidy_ok(matched, uri);
    assert_true(tc_body_has(matched, "looked for another coach with a free place for you"));
    assert_false(tc_body_has(matched, "@example.test")); /* declined: no address */
    assert_false(main_says_mentor(matched));
    tidy_ok(&coach, uri);
    assert_true(tc_body_has(&coach, "offered to coachees still without a match"));
    assert_false(main_says_mentor(&coach));
    /* the place went to the other: both accept, and the relationship says coach too */
    m2 = q("SELECT id FROM connect_matches WHERE round_id = CAST($1 AS BIGINT) AND status = "
           "'proposed'",
           id_text(r));
    assert_true(m2 > 0);
    snprintf(uri, sizeof uri, "/connect/matches/%lld/accept", (long long)m2);
    assert_int_equal(tc_post_form(waiting, uri, "", 1), 303);
    assert_int_equal(tc_post_form(&coach, uri, "", 1), 303);
    rel =
        q("SELECT id FROM connect_relationships WHERE match_id = CAST($1 AS BIGINT)", id_text(m2));
    assert_true(rel > 0);
    assert_int_equal(tc_get(&coach, "/connect/groups"), 200);
    snprintf(uri, sizeof uri, "/connect/relationships/%lld", (long long)rel);
    tidy_ok(&coach, uri);
    assert_true(tc_body_has(&coach, "<dt class=\"nhsuk-summary-list__key\">Coachee</dt>"));
    assert_true(tc_body_has(&coach, "<dt class=\"nhsuk-summary-list__key\">Coach</dt>"));
    assert_false(main_says_mentor(&coach));
    tidy_ok(&coach, "/connect");
    assert_true(tc_body_has(&coach, "You are the coach · since"));
    assert_false(main_says_mentor(&coach));
    /* both accepted: the match page gives each the other's address, as its API does */
    snprintf(uri, sizeof uri, "/connect/matches/%lld", (long long)m2);
    tidy_ok(&coach, uri);
    assert_true(tc_body_has(&coach, "<a href=\"mailto:coachee"));
    /* closed without an agreement: no invitation to agree one, as there is no form */
    snprintf(uri, sizeof uri, "/connect/relationships/%lld/close", (long long)rel);
    assert_int_equal(tc_post_form(&coach, uri, "feedback=Thank+you", 1), 303);
    assert_int_equal(tc_get(&coach, "/connect/groups"), 200);
    snprintf(uri, sizeof uri, "/connect/relationships/%lld", (long long)rel);
    tidy_ok(&coach, uri);
    assert_true(tc_body_has(&coach, "No agreement was made before the relationship closed."));
    assert_false(tc_body_has(&coach, "Agree your goals"));
    tc_free(&coach);
    tc_free(&coachee);
    tc_free(&coachee2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_mistakes_store_nothing),
        cmocka_unit_test(test_profile_every_mistake_at_once),
        cmocka_unit_test(test_profile_exclusions_quoted_as_typed),
        cmocka_unit_test(test_profiles_and_directory),
        cmocka_unit_test(test_round_created_and_run),
        cmocka_unit_test(test_accept_decline),
        cmocka_unit_test(test_relationship),
        cmocka_unit_test(test_self_select_pages),
        cmocka_unit_test(test_failed_writes_write_nothing),
        cmocka_unit_test(test_data_rights_include_connect),
        cmocka_unit_test(test_coaching_round_says_coach),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
