/* assess_refused_test.c: no Assess write acts on a request with a field the request layer
 * refused
 *
 * A value refused before the handler runs (too long, a control character, not a whole number,
 * not an address, not a code) reads as absent. Each write here is sent otherwise valid input
 * with one such field, through the page and through the JSON API, and must answer 400 with the
 * message, give back what was typed, and change nothing: no instrument version, round, close,
 * answer, submission, mail or import. (The test client also aborts on any write that answers
 * below 400 with field errors.) Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assess/assess.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct test_client fac, admin, member;
static const char *PW = "correct horse battery";

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    testapp_user(app, "fac@example.test", "facilitator", PW);
    testapp_user(app, "admin@example.test", "admin", PW);
    testapp_user(app, "member@example.test", "member", PW);
    tc_init(&fac, app);
    tc_init(&admin, app);
    tc_init(&member, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&admin, "admin@example.test", PW) != 303 ||
        tc_login(&member, "member@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&admin);
    tc_free(&member);
    testapp_free(app);
    return 0;
}

static int64_t count(const char *sql, const char *arg)
{
    return testapp_int(app, sql, arg);
}

static int64_t instrument_id(const char *code)
{
    return count("SELECT MAX(id) FROM assess_instruments WHERE code = $1", code);
}

/* Creates an anonymous round as the facilitator; its slug in out. */
static void new_round(char out[32])
{
    char form[256];
    const char *loc;
    snprintf(form, sizeof form,
             "title=Refused+fields+round&instrument=%lld&audience=individual&mode=anonymous",
             (long long)instrument_id("ahp-digital-capability"));
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 303);
    loc = lb_header(&fac.res, "Location");
    assert_non_null(loc);
    assert_int_equal(strncmp(loc, "/assess/", 8), 0);
    snprintf(out, 32, "%.*s", (int)(strlen(loc + 8) - strlen("/manage")), loc + 8);
}

/* tc starts a response in the round and answers the first question of section 1. */
static void start_and_answer(struct test_client *tc, const char *slug)
{
    char uri[96];
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(tc, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/start", slug);
    assert_int_equal(tc_post_form(tc, uri, "profession=physiotherapist", 1), 303);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_post_form(tc, uri, "item.leadership-1=3&action=later", 1), 303);
}

static int64_t round_responses(const char *slug, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM assess_responses s JOIN assess_rounds r ON r.id = s.round_id "
             "WHERE r.slug = $1%s",
             where);
    return count(sql, slug);
}

/* s with every byte but letters and digits percent-encoded, malloc'd. */
static char *urlencode(const char *s, size_t n)
{
    char *o = malloc(3 * n + 1);
    size_t k = 0;
    assert_non_null(o);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
            o[k++] = (char)ch;
        else
            k += (size_t)snprintf(o + k, 4, "%%%02X", ch);
    }
    o[k] = '\0';
    return o;
}

/* ---- instruments: the JSON page ---- */

/* The definition refused (a control character): the request layer's message, not "enter the
 * instrument", and the text back to fix. A valid definition with "from" refused saves no
 * version, through the page or the API. */
static void test_instrument_save(void **state)
{
    char uri[96], *def, *form;
    size_t n;
    int64_t versions = count("SELECT COUNT(*) FROM assess_instruments", NULL);
    (void)state;
    assert_int_equal(tc_get(&admin, "/assess/instruments/import"), 200);
    assert_int_equal(
        tc_post_form(&admin, "/assess/instruments", "definition=Typed+instrument%01+text+kept", 1),
        400);
    assert_true(tc_body_has(&admin, "There is a problem"));
    assert_true(tc_body_has(&admin, "Remove the special characters from the text"));
    assert_false(tc_body_has(&admin, "Enter the instrument as JSON"));
    assert_true(tc_body_has(&admin, "Typed instrument text kept</textarea>"));

    /* a whole, valid instrument: the one shipped, as downloaded */
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/download",
             (long long)instrument_id("ahp-digital-capability"));
    assert_int_equal(tc_get(&admin, uri), 200);
    n = admin.res.len;
    def = malloc(n + 1);
    assert_non_null(def);
    memcpy(def, admin.res.body, n);
    def[n] = '\0';
    {
        char *enc = urlencode(def, n);
        form = malloc(strlen(enc) + 64);
        assert_non_null(form);
        sprintf(form, "definition=%s&from=twelve", enc);
        free(enc);
    }
    assert_int_equal(tc_post_form(&admin, "/assess/instruments", form, 1), 400);
    assert_true(tc_body_has(&admin, "The version you edited must be a whole number"));
    assert_true(tc_body_has(&admin, "ahp-digital-capability")); /* the text, in the box */
    assert_int_equal(count("SELECT COUNT(*) FROM assess_instruments", NULL), versions);
    free(form);

    /* the API: the same, as JSON */
    {
        json_t *j = json_pack("{s:s, s:s}", "definition", def, "from", "twelve");
        char *body = json_dumps(j, JSON_COMPACT);
        assert_non_null(body);
        assert_int_equal(tc_post_json(&admin, "/api/v1/assess/instruments", body), 400);
        assert_true(tc_body_has(&admin, "\"field\":\"from\""));
        free(body);
        json_decref(j);
    }
    assert_int_equal(count("SELECT COUNT(*) FROM assess_instruments", NULL), versions);
    free(def);
}

/* ---- instruments: the form editor ---- */

/* The value of the page's hidden field name, its character references undone (malloc'd). */
static char *hidden_value(const struct test_client *tc, const char *name)
{
    char key[64], *out;
    const char *p, *end;
    size_t k = 0;
    snprintf(key, sizeof key, "name=\"%s\" value=\"", name);
    p = strstr(tc->res.body, key);
    assert_non_null(p);
    p += strlen(key);
    end = strchr(p, '"');
    assert_non_null(end);
    out = malloc((size_t)(end - p) + 1);
    assert_non_null(out);
    while (p < end) {
        static const struct {
            const char *ref;
            char c;
        } refs[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
        size_t r = 0;
        if (*p == '&') {
            while (r < 5 && strncmp(p, refs[r].ref, strlen(refs[r].ref)))
                r++;
            assert_true(r < 5);
            out[k++] = refs[r].c;
            p += strlen(refs[r].ref);
        } else
            out[k++] = *p++;
    }
    out[k] = '\0';
    return out;
}

/* The form editor with fields the request layer refused (a title over its 400 characters, a
 * control character in the open domain's title): 400, each message beside its field, and in
 * each field what the admin typed, not the stored instrument's value (their edit was lost);
 * no new version, through the page or the API. */
static void test_instrument_editor(void **state)
{
    char uri[96], *draft, *enc, *form, title[402];
    int64_t id = instrument_id("ahp-digital-capability"),
            versions = count("SELECT COUNT(*) FROM assess_instruments", NULL);
    (void)state;
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    draft = hidden_value(&admin, "draft");
    enc = urlencode(draft, strlen(draft));
    form = malloc(strlen(enc) + 2048);
    assert_non_null(form);
    memset(title, 0, sizeof title);
    memcpy(title, "Retitled", 8);
    memset(title + 8, 'x', 401 - 8); /* 401 characters */
    sprintf(form,
            "draft=%s&from=%lld&open=1&code=ahp-digital-capability&title=%s"
            "&domain_title=Leading%%01digital+change&action=save",
            enc, (long long)id, title);
    assert_int_equal(tc_post_form(&admin, "/assess/instruments/editor", form, 1), 400);
    assert_true(tc_body_has(&admin, "There is a problem"));
    assert_true(tc_body_has(&admin, "href=\"#title\""));
    assert_true(tc_body_has(&admin, "id=\"title-error\""));
    assert_true(tc_body_has(&admin, "The title must be 400 characters or fewer"));
    assert_true(tc_body_has(&admin, "href=\"#domain_title\""));
    assert_true(tc_body_has(&admin, "id=\"domain_title-error\""));
    /* what was typed, in the fields (the control character left out) */
    {
        char expect[480];
        snprintf(expect, sizeof expect, "name=\"title\" type=\"text\" value=\"%s\"", title);
        assert_true(tc_body_has(&admin, expect));
        assert_true(tc_body_has(&admin, "name=\"domain_title\" type=\"text\" "
                                        "value=\"Leadingdigital change\""));
    }
    assert_true(testapp_tidy(admin.res.body, admin.res.len, "editor refused") < 2);
    assert_int_equal(count("SELECT COUNT(*) FROM assess_instruments", NULL), versions);
    /* the API: the same, as JSON */
    {
        json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s}", "draft", draft, "from", (json_int_t)id,
                              "code", "ahp-digital-capability", "title", title, "action", "save");
        char *body = json_dumps(j, JSON_COMPACT);
        assert_non_null(body);
        assert_int_equal(tc_post_json(&admin, "/api/v1/assess/instruments/editor", body), 400);
        assert_true(tc_body_has(&admin, "\"field\":\"title\""));
        free(body);
        json_decref(j);
    }
    assert_int_equal(count("SELECT COUNT(*) FROM assess_instruments", NULL), versions);
    free(form);
    free(enc);
    free(draft);
}

/* A JSON body's members of the editor's families that name no field of the form as the draft
 * shows it (no such item or band, a descriptor of an item that is not a maturity one, an
 * option past an item's last) are refused with 400 naming each, and nothing is saved or
 * changed; the members that do name a field are taken as before. */
static void test_instrument_editor_refuses_unshown(void **state)
{
    static const char *const bad[] = {"item_id.nope",        "item_id.999",      "band_from.99",
                                      "item_descriptor.1.1", "option_label.5.9", "item_level.1",
                                      "item_text.0"};
    char uri[96], *draft, *body;
    int64_t id = instrument_id("ahp-digital-capability"),
            versions = count("SELECT COUNT(*) FROM assess_instruments", NULL);
    json_t *j;
    (void)state;
    snprintf(uri, sizeof uri, "/assess/instruments/%lld/edit", (long long)id);
    assert_int_equal(tc_get(&admin, uri), 200);
    draft = hidden_value(&admin, "draft");
    /* the fields the form shows for domain 1 (an agree, a maturity, a yes/no, an agree and a
     * choice item; four bands) are taken */
    j = json_pack("{s:s, s:I, s:i, s:s, s:s, s:s, s:s, s:s}", "draft", draft, "from",
                  (json_int_t)id, "open", 1, "action", "update", "item_id.1", "leadership-1",
                  "item_descriptor.2.1", "Not started", "option_label.5.1", "An answer",
                  "band_name.4", "Ready");
    assert_non_null(j);
    body = json_dumps(j, JSON_COMPACT);
    assert_int_equal(tc_post_json(&admin, "/api/v1/assess/instruments/editor", body), 200);
    free(body);
    /* one member naming nothing beside them: 400 naming it, whatever the button */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char named[64];
        for (int save = 0; save < 2; save++) {
            json_t *k = json_deep_copy(j);
            assert_int_equal(json_object_set_new(k, bad[i], json_string("1")), 0);
            assert_int_equal(
                json_object_set_new(k, "action", json_string(save ? "save" : "update")), 0);
            body = json_dumps(k, JSON_COMPACT);
            assert_int_equal(tc_post_json(&admin, "/api/v1/assess/instruments/editor", body), 400);
            snprintf(named, sizeof named, "\"field\":\"%s\"", bad[i]);
            assert_true(tc_body_has(&admin, named));
            assert_true(tc_body_has(&admin, "The form has no field"));
            free(body);
            json_decref(k);
        }
    }
    assert_int_equal(count("SELECT COUNT(*) FROM assess_instruments", NULL), versions);
    json_decref(j);
    free(draft);
}

/* ---- rounds ---- */

#define LONG_TITLE                                                                                 \
    "A round title typed one character over its limit, which is one hundred and fifty "            \
    "characters, so that it comes back to be shortened instead of lost....."

static void test_round_create_and_edit(void **state)
{
    char slug[32], uri[96], form[512];
    int64_t rounds = count("SELECT COUNT(*) FROM assess_rounds", NULL), opens;
    (void)state;
    assert_int_equal(strlen(LONG_TITLE), 151);
    snprintf(form, sizeof form, "title=%s&instrument=%lld&audience=individual&mode=anonymous",
             LONG_TITLE, (long long)instrument_id("ahp-digital-capability"));
    for (char *p = form; *p; p++)
        if (*p == ' ')
            *p = '+';
    assert_int_equal(tc_post_form(&fac, "/assess/rounds/new", form, 1), 400);
    assert_true(tc_body_has(&fac, "There is a problem"));
    assert_true(tc_body_has(&fac, "A title must be 150 characters or fewer"));
    assert_true(tc_body_has(&fac, "value=\"" LONG_TITLE "\""));
    assert_int_equal(count("SELECT COUNT(*) FROM assess_rounds", NULL), rounds);

    /* managing a round: the title refused keeps the stored one, and shows the typed one */
    new_round(slug);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(form, sizeof form, "title=%s", LONG_TITLE);
    for (char *p = form; *p; p++)
        if (*p == ' ')
            *p = '+';
    assert_int_equal(tc_post_form(&fac, uri, form, 1), 400);
    assert_true(tc_body_has(&fac, "A title must be 150 characters or fewer"));
    assert_true(tc_body_has(&fac, "value=\"" LONG_TITLE "\""));
    assert_int_equal(count("SELECT COUNT(*) FROM assess_rounds WHERE slug = $1 AND title = "
                           "'Refused fields round'",
                           slug),
                     1);

    /* the API: a refused title and a refused opening day change nothing */
    opens = count("SELECT opens_at FROM assess_rounds WHERE slug = $1", slug);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/manage", slug);
    assert_int_equal(
        tc_post_json(&fac, uri, "{\"title\": \"" LONG_TITLE "\", \"opens\": \"2027-01-01T00\"}"),
        400);
    assert_true(tc_body_has(&fac, "\"field\":\"title\""));
    assert_true(tc_body_has(&fac, "\"field\":\"opens\""));
    assert_int_equal(count("SELECT COUNT(*) FROM assess_rounds WHERE slug = $1 AND title = "
                           "'Refused fields round'",
                           slug),
                     1);
    assert_int_equal(count("SELECT opens_at FROM assess_rounds WHERE slug = $1", slug), opens);
}

/* Closing is for good: a "confirm" that is not a yes or no closes nothing. */
static void test_round_close(void **state)
{
    char slug[32], uri[96];
    int64_t closes;
    (void)state;
    new_round(slug);
    closes = count("SELECT closes_at FROM assess_rounds WHERE slug = $1", slug);
    snprintf(uri, sizeof uri, "/assess/%s/manage", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/close", slug);
    assert_int_equal(tc_post_form(&fac, uri, "confirm=yesyesyes", 1), 400);
    assert_true(tc_body_has(&fac, "The round has not been closed"));
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/close", slug);
    assert_int_equal(tc_post_json(&fac, uri, "{\"confirm\": \"yesyesyes\"}"), 400);
    assert_true(tc_body_has(&fac, "\"field\":\"confirm\""));
    assert_int_equal(count("SELECT closes_at FROM assess_rounds WHERE slug = $1", slug), closes);
}

/* ---- taking part ---- */

/* The resume link mailed: a resume code that is not one sends nothing (it does not fall back
 * to the browser's cookie), and the address typed comes back. */
static void test_saved_email(void **state)
{
    struct test_client a;
    char slug[32], uri[96];
    int64_t mails = count("SELECT COUNT(*) FROM mail_outbox", NULL);
    (void)state;
    new_round(slug);
    tc_init(&a, app);
    start_and_answer(&a, slug);
    snprintf(uri, sizeof uri, "/assess/%s/saved", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_int_equal(tc_post_form(&a, uri, "email=keep.me%40example.test&token=not%21a%21code", 1),
                     400);
    assert_true(tc_body_has(&a, "There is a problem"));
    assert_true(tc_body_has(&a, "The link or code is not valid"));
    assert_true(tc_body_has(&a, "value=\"keep.me@example.test\""));
    assert_int_equal(count("SELECT COUNT(*) FROM mail_outbox", NULL), mails);

    /* a member answering an anonymous round: the box starts empty, and an error gives back
     * the address typed, never the account's */
    start_and_answer(&member, slug);
    assert_int_equal(tc_get(&member, uri), 200);
    assert_false(tc_body_has(&member, "value=\"member@example.test\""));
    assert_int_equal(tc_post_form(&member, uri, "email=typed.by%40member%40example", 1), 400);
    assert_true(tc_body_has(&member, "Enter an email address in the correct format"));
    assert_true(tc_body_has(&member, "value=\"typed.by@member@example\""));
    assert_false(tc_body_has(&member, "value=\"member@example.test\""));
    assert_int_equal(count("SELECT COUNT(*) FROM mail_outbox", NULL), mails);

    /* the API, with the browser's cookie and a refused code */
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/saved", slug);
    assert_int_equal(
        tc_post_json(&a, uri, "{\"email\": \"keep.me@example.test\", \"token\": \"no!\"}"), 400);
    assert_true(tc_body_has(&a, "\"field\":\"token\""));
    assert_int_equal(count("SELECT COUNT(*) FROM mail_outbox", NULL), mails);
    /* sent as it should be, it goes */
    snprintf(uri, sizeof uri, "/assess/%s/saved", slug);
    assert_int_equal(tc_post_form(&a, uri, "email=keep.me%40example.test", 1), 303);
    assert_int_equal(count("SELECT COUNT(*) FROM mail_outbox", NULL), mails + 1);
    tc_free(&a);
}

/* Submitting with a resume code that is not one submits nothing, not even the cookie's
 * response; the API likewise. */
static void test_submit(void **state)
{
    struct test_client a, b;
    char slug[32], uri[96];
    (void)state;
    new_round(slug);
    tc_init(&a, app);
    start_and_answer(&a, slug);
    snprintf(uri, sizeof uri, "/assess/%s/check", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/submit", slug);
    assert_int_equal(tc_post_form(&a, uri, "token=not%21a%21code", 1), 400);
    assert_true(tc_body_has(&a, "There is a problem"));
    assert_true(tc_body_has(&a, "The link or code is not valid"));
    assert_int_equal(round_responses(slug, " AND s.submitted_at > 0"), 0);

    /* the API: started and answered as JSON, the cookie kept, the code refused */
    tc_init(&b, app);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/start", slug);
    assert_int_equal(tc_post_json(&b, uri, "{\"profession\": \"dietitian\"}"), 201);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/section/1", slug);
    assert_int_equal(tc_post_json(&b, uri, "{\"item.leadership-1\": \"2\"}"), 200);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/submit", slug);
    assert_int_equal(tc_post_json(&b, uri, "{\"token\": \"not!a!code\"}"), 400);
    assert_true(tc_body_has(&b, "\"field\":\"token\""));
    assert_int_equal(round_responses(slug, " AND s.submitted_at > 0"), 0);
    assert_int_equal(tc_post_json(&b, uri, "{}"), 200); /* sent as it should be */
    assert_int_equal(round_responses(slug, " AND s.submitted_at > 0"), 1);
    tc_free(&a);
    tc_free(&b);
}

/* Answers: a refused field saves nothing; without answers of this browser's to show the error
 * beside, the error is the answer rather than a redirect to the start page. */
static void test_answer(void **state)
{
    struct test_client a, fresh;
    char slug[32], uri[96];
    int64_t responses;
    (void)state;
    new_round(slug);
    tc_init(&a, app);
    start_and_answer(&a, slug);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_get(&a, uri), 200);
    assert_int_equal(
        tc_post_form(&a, uri, "item.leadership-1=1&item.leadership-2=2&action=nextnextnext", 1),
        400);
    assert_true(tc_body_has(&a, "What to do next must be 10 characters or fewer"));
    { /* the first answer as it was, the second not stored */
        char where[64];
        snprintf(where, sizeof where, " AND s.answers LIKE '%c%c%%'", assess_answer_char(3),
                 ASSESS_UNANSWERED);
        assert_int_equal(round_responses(slug, where), 1);
    }

    responses = round_responses(slug, "");
    tc_init(&fresh, app);
    snprintf(uri, sizeof uri, "/assess/%s", slug);
    assert_int_equal(tc_get(&fresh, uri), 200);
    snprintf(uri, sizeof uri, "/assess/%s/section/1", slug);
    assert_int_equal(tc_post_form(&fresh, uri, "item.leadership-1=123", 1), 404);
    assert_int_equal(round_responses(slug, ""), responses);
    tc_free(&a);
    tc_free(&fresh);
}

/* ---- importing responses ---- */

static int post_import(struct test_client *tc, const char *uri, const char *auth,
                       const char *mapping, const char *csv)
{
    char body[2048];
    const char *hs[] = {"Content-Type: multipart/form-data; boundary=XyZ", auth, NULL};
    int n = 0;
    if (!auth)
        n += snprintf(body + n, sizeof body - (size_t)n,
                      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n%s\r\n",
                      tc_csrf(tc));
    n += snprintf(body + n, sizeof body - (size_t)n,
                  "--XyZ\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n%s\r\n"
                  "--XyZ\r\nContent-Disposition: form-data; name=\"csv_file\"; "
                  "filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n--XyZ--\r\n",
                  mapping, csv);
    return tc_request(tc, "POST", uri, hs, body, (size_t)n);
}

/* A refused mapping is not "no mapping": the file would import without it, answers the mapping
 * leaves out included, and nothing must be. Through the page and the API (a facilitator's API
 * token, as a file goes as multipart). */
static void test_import(void **state)
{
    struct test_client api;
    char slug[32], uri[96], auth[200];
    const char *csv = "profession,leadership-1,leadership-2\nphysiotherapist,3,2\ndietitian,2,1\n";
    const char *p;
    (void)state;
    new_round(slug);
    snprintf(uri, sizeof uri, "/assess/%s/import", slug);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_int_equal(post_import(&fac, uri, NULL, "leadership-2\x01 = ignore", csv), 400);
    assert_true(tc_body_has(&fac, "There is a problem"));
    assert_true(tc_body_has(&fac, "Remove the special characters from the text"));
    assert_true(tc_body_has(&fac, ">leadership-2 = ignore</textarea>"));
    assert_int_equal(round_responses(slug, ""), 0);

    assert_int_equal(tc_post_form(&fac, "/account/tokens", "name=Import+script", 1), 201);
    p = strstr(fac.res.body, "ahp_");
    assert_non_null(p);
    snprintf(auth, sizeof auth, "Authorization: Bearer %.68s", p);
    tc_init(&api, app);
    snprintf(uri, sizeof uri, "/api/v1/assess/%s/import", slug);
    assert_int_equal(post_import(&api, uri, auth, "leadership-2\x01 = ignore", csv), 400);
    assert_true(tc_body_has(&api, "\"field\":\"mapping\""));
    assert_int_equal(round_responses(slug, ""), 0);
    /* sent as it should be, both lines come in without their second answer */
    assert_int_equal(post_import(&api, uri, auth, "leadership-2 = ignore", csv), 201);
    {
        char where[64];
        snprintf(where, sizeof where, " AND s.answers LIKE '_%c%%'", ASSESS_UNANSWERED);
        assert_int_equal(round_responses(slug, where), 2);
    }
    tc_free(&api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instrument_save),
        cmocka_unit_test(test_instrument_editor),
        cmocka_unit_test(test_instrument_editor_refuses_unshown),
        cmocka_unit_test(test_round_create_and_edit),
        cmocka_unit_test(test_round_close),
        cmocka_unit_test(test_saved_email),
        cmocka_unit_test(test_submit),
        cmocka_unit_test(test_answer),
        cmocka_unit_test(test_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
