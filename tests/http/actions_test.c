/* actions_test.c: "You said, we did" — facilitators record actions against the themes of an
 * exercise, and everyone reads them beside the themes once the exercise is open
 *
 * Through the loopback, as a browser and as an API client: creating, each wrong field refused
 * with its message and nothing stored, changing, deleting, who may do what, the public page
 * (a draft's is not found), actions beside the theme they answer after an analysis, and every
 * page through tidy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "listen/actions.h"
#include "listen/listen.h"
#include "listen/analysis.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac;
static char slug[32];
static const char *PW = "correct horse battery";

static const char *const texts[] = {
    "Waiting+lists+for+physiotherapy+are+far+too+long",
    "The+waiting+list+for+speech+therapy+is+very+long",
    "Long+waiting+lists+make+people+give+up",
    "Shorter+waiting+lists+for+children+please",
    "Staff+need+protected+time+for+training",
    "Training+budgets+for+therapists+have+been+cut",
    "Give+staff+time+for+training+and+supervision",
    "Career+development+and+training+for+support+workers",
};

static const char *path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A path under the exercise, in a static buffer (one at a time). */
static const char *path(const char *fmt, ...)
{
    static char out[256];
    char rest[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    snprintf(out, sizeof out, "/listen/%s%s", slug, rest);
    return out;
}

/* s percent-encoded for a form body. */
static void form_encode(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 4 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out[n++] = (char)c;
        else if (c == ' ')
            out[n++] = '+';
        else
            n += (size_t)snprintf(out + n, cap - n, "%%%02X", c);
    }
    out[n] = '\0';
}

/* The last response as JSON (the caller decrefs). */
static json_t *body_json(const struct test_client *tc)
{
    json_error_t err;
    json_t *j = json_loads(tc->res.body, 0, &err);
    assert_non_null(j);
    return j;
}

/* How many actions the exercise has, read through the public API. */
static json_int_t stored(void)
{
    struct test_client anon;
    json_t *j;
    json_int_t n;
    char uri[96];
    tc_init(&anon, app);
    snprintf(uri, sizeof uri, "/api/v1/listen/%s/actions", slug);
    if (tc_get(&anon, uri) != 200) { /* a draft: ask as the facilitator */
        assert_int_equal(tc_get(&fac, uri), 200);
        j = body_json(&fac);
    } else {
        j = body_json(&anon);
    }
    n = json_integer_value(json_object_get(json_object_get(j, "counts"), "total"));
    json_decref(j);
    tc_free(&anon);
    return n;
}

static int setup(void **state)
{
    const char *loc;
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "member@example.test", "member", PW);
    tc_init(&fac, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303)
        return -1;
    if (tc_post_form(&fac, "/listen/new",
                     "title=Actions+test&audience_citizen=1&moderation=post&flag_threshold=3"
                     "&prompts=What+matters%3F",
                     1) != 303)
        return -1;
    loc = lb_header(&fac.res, "Location");
    snprintf(slug, sizeof slug, "%s", loc + 8);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    testapp_free(app);
    return 0;
}

/* While the exercise is a draft the page is the facilitators' alone. */
static void test_draft_is_not_public(void **state)
{
    struct test_client anon, m;
    char api[96];
    (void)state;
    tc_init(&anon, app);
    tc_init(&m, app);
    assert_int_equal(tc_login(&m, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&anon, path("/actions")), 404);
    assert_int_equal(tc_get(&m, path("/actions")), 404);
    snprintf(api, sizeof api, "/api/v1/listen/%s/actions", slug);
    assert_int_equal(tc_get(&anon, api), 404);
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "only facilitators can see this page"));
    assert_true(tc_body_has(&fac, "Add an action"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "actions of a draft") < 2);
    /* the exercise page links to it only once people can read it */
    assert_int_equal(tc_get(&fac, path("%s", "")), 200);
    assert_false(tc_body_has(&fac, "what is being done about what people said"));
    /* a facilitator can prepare an action before opening; still nobody else sees it */
    assert_int_equal(tc_post_form(&fac, path("/actions"),
                                  "what=Prepared+early&who=Leadership+team&status=planned", 1),
                     303);
    assert_int_equal(tc_get(&anon, path("/actions")), 404);
    assert_int_equal(stored(), 1);
    tc_free(&m);
    tc_free(&anon);
    assert_int_equal(tc_post_form(&fac, path("/status"), "status=open", 1), 303);
}

static void test_public_page_before_analysis(void **state)
{
    struct test_client anon;
    (void)state;
    tc_init(&anon, app);
    /* nothing is published yet: the public is told so, facilitators see a preview */
    assert_int_equal(tc_get(&anon, path("/actions")), 404);
    assert_true(tc_body_has(&anon, "have not been published yet"));
    assert_false(tc_body_has(&anon, "Prepared early"));
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "You said, we did"));
    assert_true(tc_body_has(&fac, "Preview"));
    assert_true(tc_body_has(&fac, "once the contributions have been analysed"));
    assert_true(tc_body_has(&fac, "Prepared early"));
    assert_true(tc_body_has(&fac, "Leadership team"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "actions, preview, no analysis") < 2);
    /* the exercise page does not send the public to a page they cannot read */
    assert_int_equal(tc_get(&anon, path("%s", "")), 200);
    assert_false(tc_body_has(&anon, path("/actions")));
    tc_free(&anon);
}

/* Members and visitors read, and only read. */
static void test_roles(void **state)
{
    struct test_client anon, m;
    char api[96];
    json_int_t before = stored();
    (void)state;
    tc_init(&anon, app);
    tc_init(&m, app);
    assert_int_equal(tc_login(&m, "member@example.test", PW), 303);
    assert_int_equal(tc_get(&anon, path("/actions")), 404); /* not published; a CSRF cookie */
    /* not logged in: the form is shown back to copy, with a way to log in (signed_out.h) */
    assert_int_equal(
        tc_post_form(&anon, path("/actions"), "what=Sneaky&who=Nobody&status=planned", 1), 401);
    assert_true(tc_body_has(&anon, "You are not logged in"));
    assert_true(tc_body_has(&anon, "href=\"/login"));
    assert_int_equal(tc_post_form(&m, path("/actions"), "what=Sneaky&who=Nobody&status=planned", 1),
                     403);
    assert_int_equal(tc_get(&m, path("/actions/1/edit")), 403);
    assert_int_equal(tc_post_form(&m, path("/actions/1"), "what=Changed&who=Nobody&status=done", 1),
                     403);
    assert_int_equal(tc_post_form(&m, path("/actions/1/delete"), "", 1), 403);
    snprintf(api, sizeof api, "/api/v1/listen/%s/actions", slug);
    assert_int_equal(tc_post_json(&anon, api,
                                  "{\"what\":\"Sneaky\",\"who\":\"No one\","
                                  "\"status\":\"planned\"}"),
                     401);
    assert_int_equal(tc_get(&m, path("/actions")), 404); /* a member is the public here */
    assert_false(tc_body_has(&m, "Add an action"));
    assert_false(tc_body_has(&m, "Sneaky"));
    assert_int_equal(stored(), before);
    tc_free(&m);
    tc_free(&anon);
}

/* Each wrong field: 400, its message, what was typed kept, and nothing stored. */
static void test_invalid_fields(void **state)
{
    static const struct {
        const char *form, *field, *message;
    } cases[] = {
        {"who=Team&status=planned", "what", "Enter what will be done, or what was done"},
        {"what=+++%0A+&who=Team&status=planned", "what",
         "Enter what will be done, or what was done"},
        {"what=Email+me+at+jo.bloggs%40example.com&who=Team&status=planned", "what",
         "Remove the contact details"},
        {"what=Clinics+open+later&status=planned", "who", "Enter the team or role that is doing"},
        {"what=Clinics+open+later&who=Jo+on+07700+900123&status=planned", "who", "not a person"},
        {"what=Clinics+open+later&who=Team", "status",
         "Select whether the action is planned, in progress or done"},
        {"what=Clinics+open+later&who=Team&status=maybe", "status",
         "Select whether the action is planned, in progress or done"},
        {"what=Clinics+open+later&who=Team&status=planned&due=2026-13-45", "due",
         "The date must be a real date"},
        {"what=Clinics+open+later&who=Team&status=planned&due=1999-12-31", "due",
         "Enter a date between 2000 and 2199"},
        {"what=Clinics+open+later&who=Team&status=done&due=2199-01-01", "due",
         "must be today or in the past"},
        {"what=Clinics+open+later&who=Team&status=planned&theme=A+theme+nobody+found", "theme",
         "Select a theme from the list"},
    };
    char form[1400], anchor[40];
    json_int_t before = stored();
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(tc_post_form(&fac, path("/actions"), cases[i].form, 1), 400);
        if (!tc_body_has(&fac, cases[i].message))
            fail_msg("case %zu: no \"%s\"", i, cases[i].message);
        snprintf(anchor, sizeof anchor, "href=\"#%s\"", cases[i].field);
        assert_true(tc_body_has(&fac, anchor)); /* the error summary links to the field */
        assert_true(tc_body_has(&fac, "There is a problem"));
        assert_true(testapp_tidy(fac.res.body, fac.res.len, cases[i].form) < 2);
    }
    /* what was typed comes back, and the status chosen stays chosen */
    assert_int_equal(tc_post_form(&fac, path("/actions"),
                                  "what=Evening+clinics+in+two+towns&status=in_progress", 1),
                     400);
    assert_true(tc_body_has(&fac, ">Evening clinics in two towns</textarea>"));
    assert_true(tc_body_has(&fac, "value=\"in_progress\" checked"));
    /* too long: 1001 characters, and a 201-character team */
    memset(form, 0, sizeof form);
    strcpy(form, "who=Team&status=planned&what=");
    memset(form + strlen(form), 'x', 1001);
    assert_int_equal(tc_post_form(&fac, path("/actions"), form, 1), 400);
    assert_true(tc_body_has(&fac, "What will be done must be 1000 characters or fewer"));
    memset(form, 0, sizeof form);
    strcpy(form, "what=Clinics&status=planned&who=");
    memset(form + strlen(form), 'y', 201);
    assert_int_equal(tc_post_form(&fac, path("/actions"), form, 1), 400);
    assert_true(tc_body_has(&fac, "Who is doing it must be 200 characters or fewer"));
    /* the API answers with the same messages, by field */
    {
        char api[96];
        json_t *j;
        snprintf(api, sizeof api, "/api/v1/listen/%s/actions", slug);
        assert_int_equal(tc_post_json(&fac, api, "{\"what\":\"Clinics\",\"status\":\"soon\"}"),
                         400);
        j = body_json(&fac);
        assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid");
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(j, "errors"), "status")),
            "Select whether the action is planned, in progress or done");
        assert_non_null(json_object_get(json_object_get(j, "errors"), "who"));
        json_decref(j);
    }
    assert_int_equal(stored(), before);
}

/* Add, read, change, delete: as a browser, then as an API client. */
static void test_create_update_delete(void **state)
{
    struct test_client anon;
    const char *loc;
    char uri[128], api[128];
    long long id;
    json_t *j;
    (void)state;
    tc_init(&anon, app);
    assert_int_equal(tc_post_form(&fac, path("/actions"),
                                  "what=We+will+open+two+clinics+in+the+evening%0Afrom+spring&"
                                  "who=Community+therapy+team&status=planned&due=2027-04-01",
                                  1),
                     303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(strstr(loc, "/actions#action-"));
    id = atoll(strstr(loc, "#action-") + 8);
    assert_true(id > 0);
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "The action has been saved"));
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "We will open two clinics in the evening\nfrom spring"));
    assert_true(tc_body_has(&fac, "Community therapy team. Planned for 1 April 2027"));
    assert_true(tc_body_has(&fac, "nhsuk-tag--grey\">Planned</strong>"));
    assert_true(tc_body_has(&fac, "About the exercise as a whole"));

    /* the edit form shows what is stored */
    snprintf(uri, sizeof uri, "%s", path("/actions/%lld/edit", id));
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(tc_body_has(&fac, "Change an action"));
    assert_true(tc_body_has(&fac, "value=\"Community therapy team\""));
    /* the date comes back in the NHS.UK day, month and year boxes */
    assert_true(
        tc_body_has(&fac, "name=\"due-day\" type=\"text\" inputmode=\"numeric\" value=\"1\""));
    assert_true(
        tc_body_has(&fac, "name=\"due-year\" type=\"text\" inputmode=\"numeric\" value=\"2027\""));
    assert_true(tc_body_has(&fac, "value=\"planned\" checked"));
    assert_true(tc_body_has(&fac, "Delete this action"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);

    /* a wrong change is refused on the edit page, keeps what was typed, and changes nothing */
    snprintf(uri, sizeof uri, "%s", path("/actions/%lld", id));
    assert_int_equal(tc_post_form(&fac, uri, "what=Half+typed&who=&status=done", 1), 400);
    assert_true(tc_body_has(&fac, "Change an action"));
    assert_true(tc_body_has(&fac, ">Half typed</textarea>"));
    assert_true(tc_body_has(&fac, "Enter the team or role that is doing it"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "edit with errors") < 2);
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_false(tc_body_has(&fac, "Half typed"));

    /* done */
    assert_int_equal(tc_post_form(&fac, uri,
                                  "what=Two+evening+clinics+are+open&who=Community+therapy+team&"
                                  "status=done&due=2025-03-01",
                                  1),
                     303);
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "Two evening clinics are open"));
    assert_true(tc_body_has(&fac, "Done on 1 March 2025"));
    assert_true(tc_body_has(&fac, "nhsuk-tag--green\">Done</strong>"));
    assert_false(tc_body_has(&fac, "We will open two clinics"));

    /* the same through the API: it reads the same model */
    snprintf(api, sizeof api, "/api/v1/listen/%s/actions", slug);
    assert_int_equal(tc_get(&anon, api), 404); /* not published yet */
    assert_true(tc_body_has(&anon, "\"error\""));
    assert_int_equal(tc_get(&fac, api), 200);
    j = body_json(&fac);
    {
        json_t *general = json_object_get(j, "general"), *a = NULL;
        for (size_t i = 0; i < json_array_size(general); i++)
            if (json_integer_value(json_object_get(json_array_get(general, i), "id")) == id)
                a = json_array_get(general, i);
        assert_non_null(a);
        assert_string_equal(json_string_value(json_object_get(a, "status")), "done");
        assert_string_equal(json_string_value(json_object_get(a, "due_date")), "2025-03-01");
        assert_string_equal(json_string_value(json_object_get(a, "who")), "Community therapy team");
        assert_null(json_object_get(a, "created_by"));
        assert_true(json_is_true(json_object_get(j, "is_preview")));
        assert_false(json_is_true(json_object_get(j, "is_published")));
    }
    json_decref(j);
    assert_int_equal(tc_post_json(&fac, api,
                                  "{\"what\":\"A survey of waiting times\",\"who\":\"Head of "
                                  "allied health professions\",\"status\":\"in_progress\"}"),
                     201);
    j = body_json(&fac);
    {
        long long api_id = (long long)json_integer_value(json_object_get(j, "id"));
        char one[128];
        assert_true(api_id > id);
        snprintf(one, sizeof one, "/api/v1/listen/%s/actions/%lld", slug, api_id);
        assert_int_equal(tc_post_json(&fac, one,
                                      "{\"what\":\"A survey of waiting times\",\"who\":\"Head "
                                      "of allied health professions\",\"status\":\"done\","
                                      "\"due\":\"2025-01-15\"}"),
                         200);
        assert_true(tc_body_has(&fac, "\"saved\":true"));
        snprintf(one, sizeof one, "/api/v1/listen/%s/actions/%lld/delete", slug, api_id);
        assert_int_equal(tc_post_json(&fac, one, "{}"), 200);
        assert_int_equal(tc_post_json(&fac, one, "{}"), 404);
    }
    json_decref(j);

    /* delete as a browser; then it is gone, and again is not found */
    snprintf(uri, sizeof uri, "%s", path("/actions/%lld/delete", id));
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 303);
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "The action has been deleted"));
    assert_false(tc_body_has(&fac, "Two evening clinics are open"));
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 404);
    assert_int_equal(tc_get(&fac, path("/actions/%lld/edit", id)), 404);
    assert_int_equal(tc_get(&fac, path("/actions/nonsense/edit")), 404);
    tc_free(&anon);
}

/* An action of one exercise cannot be reached through another. */
static void test_other_exercise(void **state)
{
    char other[32], uri[128];
    const char *loc;
    long long id;
    (void)state;
    assert_int_equal(tc_post_form(&fac, path("/actions"),
                                  "what=Belongs+here&who=Leadership+team&status=planned", 1),
                     303);
    id = atoll(strstr(lb_header(&fac.res, "Location"), "#action-") + 8);
    assert_int_equal(tc_post_form(&fac, "/listen/new",
                                  "title=Another&audience_citizen=1&moderation=post&"
                                  "flag_threshold=3&prompts=Why%3F",
                                  1),
                     303);
    loc = lb_header(&fac.res, "Location");
    snprintf(other, sizeof other, "%s", loc + 8);
    snprintf(uri, sizeof uri, "/listen/%s/actions/%lld/edit", other, id);
    assert_int_equal(tc_get(&fac, uri), 404);
    snprintf(uri, sizeof uri, "/listen/%s/actions/%lld/delete", other, id);
    assert_int_equal(tc_post_form(&fac, uri, "", 1), 404);
    assert_int_equal(tc_get(&fac, path("/actions")), 200);
    assert_true(tc_body_has(&fac, "Belongs here"));
}

static void run_worker_once(void)
{
    struct db *db = db_pool_get(app->pool);
    bool ran = false;
    assert_int_equal(listen_analysis_run_next(db, &ran), 0);
    assert_true(ran);
    db_pool_put(app->pool, db);
}

/* The public page after an analysis: each theme with the actions that answer it beside it. */
static void test_beside_the_theme(void **state)
{
    struct test_client anon;
    char uri[160], form[1000], label[200], enc[600], api[96], second[200];
    const char *p, *start, *end;
    long long prompt, id;
    json_t *j, *themes;
    (void)state;
    snprintf(api, sizeof api, "/api/v1/listen/%s", slug);
    assert_int_equal(tc_get(&fac, api), 200);
    p = strstr(fac.res.body, "\"prompts\":[{\"id\":");
    assert_non_null(p);
    prompt = atoll(p + 17);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct test_client v;
        tc_init(&v, app);
        tc_get(&v, path("%s", ""));
        snprintf(form, sizeof form, "prompt=%lld&text=%s", prompt, texts[i]);
        assert_int_equal(tc_post_form(&v, path("/contribute"), form, 1), 303);
        tc_free(&v);
    }
    {
        struct db *db = db_pool_get(app->pool);
        struct arena *a = arena_new();
        struct listen_exercise e;
        int64_t run;
        assert_int_equal(listen_exercise_get(db, a, slug, &e), 0);
        assert_int_equal(listen_analysis_enqueue(db, e.id, 0, 2, &run), 0);
        arena_free(a);
        db_pool_put(app->pool, db);
    }
    run_worker_once();

    /* the themes offered are the analysis's, with "Not linked to one theme" first */
    snprintf(api, sizeof api, "/api/v1/listen/%s/actions", slug);
    assert_int_equal(tc_get(&fac, api), 200);
    j = body_json(&fac);
    themes = json_object_get(j, "themes");
    assert_int_equal(json_array_size(themes), 2);
    snprintf(label, sizeof label, "%s",
             json_string_value(json_object_get(json_array_get(themes, 0), "label")));
    snprintf(second, sizeof second, "%s",
             json_string_value(json_object_get(json_array_get(themes, 1), "label")));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "theme_options"), 0), "text")),
                        "Not linked to one theme");
    json_decref(j);

    form_encode(label, enc, sizeof enc);
    snprintf(form, sizeof form,
             "theme=%s&what=Weekend+clinics+to+shorten+the+wait&who=Physiotherapy+service&"
             "status=in_progress&due=2027-01-31",
             enc);
    assert_int_equal(tc_post_form(&fac, path("/actions"), form, 1), 303);
    id = atoll(strstr(lb_header(&fac.res, "Location"), "#action-") + 8);

    tc_init(&anon, app);
    assert_int_equal(tc_get(&anon, path("/actions")), 404); /* analysed, not yet published */
    /* publishing the report fixes the themes and opens the page to everyone */
    assert_int_equal(tc_post_form(&fac, path("/report/publish"), "", 1), 303);
    assert_int_equal(tc_get(&anon, path("/actions")), 200);
    assert_true(testapp_tidy(anon.res.body, anon.res.len, "actions beside themes") < 2);
    assert_false(tc_body_has(&anon, "Preview"));
    assert_false(tc_body_has(&anon, "Nothing yet."));
    assert_true(tc_body_has(&anon, "What you said, and what we are doing"));
    assert_true(tc_body_has(&anon, "nhsuk-tag--blue\">In progress</strong>"));
    /* the action is in its theme's section, not in another one */
    start = strstr(anon.res.body, "<h3 id=\"theme-1\">");
    assert_non_null(start);
    end = strstr(start, "</section>");
    assert_non_null(end);
    p = strstr(start, "Weekend clinics to shorten the wait");
    assert_true(p && p < end);
    assert_non_null(strstr(start, label));
    assert_true(strstr(start, label) < end);
    /* a theme without actions is named once, not shown as a section saying "Nothing yet" */
    assert_null(strstr(anon.res.body, "<h3 id=\"theme-2\">"));
    start = strstr(anon.res.body, "Other things you said");
    assert_non_null(start);
    assert_non_null(strstr(start, second));
    /* and the same in JSON: the action sits under the first theme */
    assert_int_equal(tc_get(&anon, api), 200);
    j = body_json(&anon);
    {
        json_t *t0 = json_array_get(json_object_get(j, "themes"), 0);
        json_t *a = json_array_get(json_object_get(t0, "actions"), 0);
        assert_string_equal(json_string_value(json_object_get(t0, "label")), label);
        assert_int_equal(json_integer_value(json_object_get(a, "id")), id);
        assert_string_equal(json_string_value(json_object_get(a, "theme")), label);
        assert_int_equal(json_array_size(json_object_get(
                             json_array_get(json_object_get(j, "themes"), 1), "actions")),
                         0);
        /* sizes as the analysis published them: 8 contributions never show a count of 1-7 */
        assert_true(json_is_null(json_object_get(t0, "size")));
        assert_non_null(json_object_get(t0, "size_reason"));
        assert_null(json_object_get(j, "groups"));
        assert_true(json_is_true(json_object_get(j, "is_published")));
        assert_false(json_is_true(json_object_get(j, "can_manage")));
        assert_null(json_object_get(j, "theme_options"));
    }
    json_decref(j);

    /* the facilitators rename the theme: the action follows it */
    {
        char renamed[300];
        int64_t run;
        const char *r;
        assert_int_equal(tc_get(&fac, path("/analysis")), 200);
        assert_true(tc_body_has(&fac, path("/actions")));
        snprintf(uri, sizeof uri, "/api/v1/listen/%s/analysis", slug);
        assert_int_equal(tc_get(&fac, uri), 200);
        r = strstr(fac.res.body, "\"run\":{\"id\":");
        assert_non_null(r);
        run = atoll(r + 12);
        snprintf(renamed, sizeof renamed, "run=%lld&theme=0&action=rename&label=Shorter+waits",
                 (long long)run);
        assert_int_equal(tc_post_form(&fac, path("/themes"), renamed, 1), 303);
        /* the published page does not change by itself: it keeps the published name */
        assert_int_equal(tc_get(&anon, path("/actions")), 200);
        assert_false(tc_body_has(&anon, "Shorter waits"));
        assert_true(tc_body_has(&anon, label));
        /* until the facilitators publish again */
        assert_int_equal(tc_post_form(&fac, path("/report/publish"), "", 1), 303);
        assert_int_equal(tc_get(&anon, path("/actions")), 200);
        start = strstr(anon.res.body, "<h3 id=\"theme-1\">");
        assert_non_null(start);
        end = strstr(start, "</section>");
        assert_true(strstr(start, "Shorter waits") < end);
        p = strstr(start, "Weekend clinics to shorten the wait");
        assert_true(p && p < end);
        assert_false(tc_body_has(&anon, "Themes from an earlier analysis"));
        /* the edit form has the theme under its new name */
        assert_int_equal(tc_get(&fac, path("/actions/%lld/edit", id)), 200);
        assert_true(tc_body_has(&fac, "value=\"Shorter waits\" selected>Shorter waits</option>"));
        assert_false(tc_body_has(&fac, "from an earlier analysis"));
        assert_true(testapp_tidy(fac.res.body, fac.res.len, "edit after a rename") < 2);
    }

    /* a theme no later analysis has: the action stays, under its own name, and can be edited
     * without relinking */
    {
        struct db *db = db_pool_get(app->pool);
        assert_int_equal(db_run(db,
                                "UPDATE listen_actions SET theme = 'Parking at clinics' "
                                "WHERE id = $1",
                                "i", (int64_t)id),
                         0);
        db_pool_put(app->pool, db);
    }
    assert_int_equal(tc_get(&anon, path("/actions")), 200);
    assert_true(tc_body_has(&anon, "Themes from an earlier analysis"));
    start = strstr(anon.res.body, "Themes from an earlier analysis");
    assert_non_null(strstr(start, "Parking at clinics"));
    assert_non_null(strstr(start, "Weekend clinics to shorten the wait"));
    assert_true(testapp_tidy(anon.res.body, anon.res.len, "actions with an earlier theme") < 2);
    assert_int_equal(tc_get(&fac, path("/actions/%lld/edit", id)), 200);
    assert_true(tc_body_has(&fac, "Parking at clinics (from an earlier analysis)</option>"));
    snprintf(uri, sizeof uri, "%s", path("/actions/%lld", id));
    assert_int_equal(tc_post_form(&fac, uri,
                                  "theme=Parking+at+clinics&what=Weekend+clinics+are+open&who="
                                  "Physiotherapy+service&status=done&due=2025-06-01",
                                  1),
                     303);
    /* but no new action can be linked to it */
    assert_int_equal(tc_post_form(&fac, path("/actions"),
                                  "theme=Parking+at+clinics&what=More+spaces&who=Estates+team&"
                                  "status=planned",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "Select a theme from the list"));
    tc_free(&anon);
}

/* A database or memory that fails on the Nth call: a clean error page, and an action is
 * either recorded whole or not at all. It runs before the exercise has an analysis: jansson
 * (2.14) asserts in its lexer (lex_unget_unsave) when an allocation fails part-way through
 * json_loadb(), so a page that parses a run's result cannot yet be tested this way. */
static void test_faults(void **state)
{
    struct test_client anon;
    int n, status = 0;
    (void)state;
    for (n = 1; n < 100; n++) {
        json_int_t before = stored();
        const char *loc;
        db_fault_after(n);
        status =
            tc_post_form(&fac, path("/actions"), "what=Under+fault&who=Team&status=planned", 1);
        db_fault_after(0);
        loc = lb_header(&fac.res, "Location");
        if (status == 303 && loc && strstr(loc, "#action-"))
            break;
        /* the database failed: "try again", whatever the step that failed */
        assert_int_equal(status, 503);
        assert_int_equal(stored(), before);
    }
    assert_int_equal(status, 303);
    assert_true(n > 2);
    tc_init(&anon, app);
    for (n = 1; n < 100; n++) {
        db_fault_after(n);
        status = tc_get(&fac, path("/actions"));
        db_fault_after(0);
        if (status == 200)
            break;
        assert_int_equal(status, 503);
    }
    assert_int_equal(status, 200);
    for (n = 1; n < 3000; n++) {
        arena_fail_after(n);
        status = tc_get(&fac, path("/actions"));
        arena_fail_after(0);
        if (status == 200)
            break;
        assert_true(status == 500 || status == -1);
    }
    assert_int_equal(status, 200);
    assert_true(tc_body_has(&fac, "Under fault"));
    tc_free(&anon);
}

/* The domain check on its own: what the pages rely on. */
static void test_check(void **state)
{
    struct listen_action_problem pr[LISTEN_ACTION_FIELDS];
    struct listen_action_input in = {NULL, "Open later", "Therapy team", "planned", 0};
    (void)state;
    assert_int_equal(listen_action_check(&in, 1800000000, pr), 0);
    in.what = "";
    in.who = "jo@example.com";
    in.status = "soon";
    in.due_at = 1;
    assert_int_equal(listen_action_check(&in, 1800000000, pr), 4);
    assert_string_equal(pr[0].field, "what");
    assert_string_equal(pr[1].field, "who");
    assert_string_equal(pr[2].field, "status");
    assert_string_equal(pr[3].field, "due");
    /* done "today" is the UK's today: 15 July 2027 at 23:30Z on the 14th, not the 16th; in
     * winter not the 16th at 10:00Z on the 15th */
    in = (struct listen_action_input){NULL, "Opened", "Therapy team", "done", 1815609600};
    assert_int_equal(listen_action_check(&in, 1815609600 - 1800, pr), 0);
    in.due_at = 1815609600 + 86400;
    assert_int_equal(listen_action_check(&in, 1815609600 - 1800, pr), 1);
    assert_string_equal(pr[0].field, "due");
    in.due_at = 1799971200 + 86400;
    assert_int_equal(listen_action_check(&in, 1799971200 + 10 * 3600, pr), 1);
    assert_string_equal(listen_action_status_name("in_progress"), "In progress");
    assert_null(listen_action_status_name("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_draft_is_not_public),
        cmocka_unit_test(test_public_page_before_analysis),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_invalid_fields),
        cmocka_unit_test(test_create_update_delete),
        cmocka_unit_test(test_other_exercise),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_beside_the_theme),
    };
    return cmocka_run_group_tests_name("http/actions", tests, setup, teardown);
}
