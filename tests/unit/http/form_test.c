/* form_test.c: urlencoded and multipart parsing, validation, cookies and JSON bodies, and
 * the request's lookups and refusals (req.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/req.h"

static struct arena *a;

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

static void test_urlencoded(void **state)
{
    struct kv *kv;
    size_t n;
    (void)state;
    assert_int_equal(form_parse_urlencoded(a, "a=1&b=x+y%21&&c&d=", 18, 10, &kv, &n), APP_OK);
    assert_int_equal(n, 4);
    assert_string_equal(kv[0].name, "a");
    assert_string_equal(kv[1].value, "x y!");
    assert_string_equal(kv[2].name, "c");
    assert_string_equal(kv[2].value, "");
    assert_string_equal(kv[3].value, "");
    assert_int_equal(form_parse_urlencoded(a, "", 0, 10, &kv, &n), APP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(form_parse_urlencoded(a, "a=%zz", 5, 10, &kv, &n), APP_E_INVALID);
    assert_int_equal(form_parse_urlencoded(a, "a=%ff", 5, 10, &kv, &n), APP_E_INVALID);
    assert_int_equal(form_parse_urlencoded(a, "a=1&b=2&c=3", 11, 2, &kv, &n), APP_E_TOOBIG);
}

static void test_multipart(void **state)
{
    static const char body[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
        "Hello\r\nthere\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n"
        "x,y\r\n1,2\r\n"
        "--XyZ--\r\n";
    struct kv *kv;
    struct upload *up;
    size_t n, nup;
    const char *b;
    (void)state;
    b = form_multipart_boundary(a, "multipart/form-data; boundary=XyZ");
    assert_string_equal(b, "XyZ");
    assert_string_equal(form_multipart_boundary(a, "multipart/form-data; boundary=\"q q\""), "q q");
    assert_null(form_multipart_boundary(a, "text/plain"));
    assert_int_equal(form_parse_multipart(a, body, sizeof body - 1, b, 10, &kv, &n, &up, &nup),
                     APP_OK);
    assert_int_equal(n, 1);
    assert_string_equal(kv[0].name, "title");
    assert_string_equal(kv[0].value, "Hello\r\nthere");
    assert_int_equal(nup, 1);
    assert_string_equal(up[0].filename, "a.csv");
    assert_string_equal(up[0].content_type, "text/csv");
    assert_int_equal(up[0].len, 8);
    assert_memory_equal(up[0].data, "x,y\r\n1,2", 8);
    /* truncated: no closing delimiter */
    assert_int_equal(form_parse_multipart(a, body, 60, b, 10, &kv, &n, &up, &nup), APP_E_INVALID);
    assert_int_equal(form_parse_multipart(a, "garbage", 7, b, 10, &kv, &n, &up, &nup),
                     APP_E_INVALID);
}

static const struct field_spec specs[] = {
    {"email", F_EMAIL, REQUIRED, 254, "your email address"},
    {"name", F_TEXT, OPTIONAL, 5, "your name"},
    {"notes", F_LONGTEXT, OPTIONAL, 100, "the notes"},
    {"count", F_INT, OPTIONAL, 10, "the count"},
    {"agree", F_BOOL, OPTIONAL, 5, "agreement"},
    {"code", F_TOKEN, OPTIONAL, 20, "the code"},
    {NULL, 0, 0, 0, NULL},
};

static struct req fresh(void)
{
    struct req r;
    memset(&r, 0, sizeof r);
    r.arena = a;
    return r;
}

static void test_validate_ok_and_normalised(void **state)
{
    struct kv raw[] = {
        {"email", " Person@Example.NHS.uk ", 23},
        {"name", "Jo", 2},
        {"notes", "a\r\nb", 4},
        {"count", "12", 2},
        {"agree", "0", 1},
        {"agree", "on", 2},
        {"undeclared", "x", 1},
    };
    struct req r = fresh();
    (void)state;
    assert_int_equal(form_validate(&r, specs, raw, 7), APP_OK);
    assert_int_equal(r.nerrors, 0);
    assert_string_equal(req_field(&r, "email"), "person@example.nhs.uk");
    assert_string_equal(req_field(&r, "notes"), "a\nb");
    assert_int_equal(req_field_int(&r, "count", 0), 12);
    assert_true(req_field_bool(&r, "agree"));
    assert_null(req_field(&r, "undeclared"));
}

static void test_validate_errors(void **state)
{
    struct kv raw[] = {
        {"name", "Sixchr", 6},
        {"count", "twelve", 6},
        {"code", "a b", 3},
        {"notes", "x\x01y", 3},
    };
    struct req r = fresh();
    (void)state;
    assert_int_equal(form_validate(&r, specs, raw, 4), APP_OK);
    assert_string_equal(req_error(&r, "email"), "Enter your email address");
    assert_string_equal(req_error(&r, "name"), "Your name must be 5 characters or fewer");
    assert_string_equal(req_error(&r, "count"), "The count must be a whole number");
    assert_non_null(req_error(&r, "code"));
    assert_non_null(req_error(&r, "notes"));
    assert_null(req_field(&r, "name"));
    assert_false(req_field_bool(&r, "agree"));
}

/* A refused value is no value (req_field) but is kept as typed for the form shown again
 * (req_typed), without control characters; a password is never kept. */
static void test_refused_values_are_kept_as_typed(void **state)
{
    static const struct field_spec fam[] = {
        {"title", F_TEXT, OPTIONAL, 5, "a title"},
        {"secret", F_PASSWORD, OPTIONAL, 3, "a password"},
        {"item.*", F_TOKEN, OPTIONAL, 2, "an answer"},
        {NULL, 0, 0, 0, NULL},
    };
    struct kv raw[] = {
        {"title", "Too\x01 long", 9},
        {"secret", "hunter2", 7},
        {"item.a", "x y", 3},
        {"item.b", "ok", 2},
    };
    struct req r = fresh();
    (void)state;
    assert_int_equal(form_validate(&r, fam, raw, 4), APP_OK);
    assert_int_equal(r.nerrors, 3);
    assert_null(req_field(&r, "title"));
    assert_string_equal(req_typed(&r, "title"), "Too long");
    assert_non_null(req_error(&r, "secret"));
    assert_null(req_typed(&r, "secret"));
    assert_null(req_field(&r, "item.a"));
    assert_string_equal(req_typed(&r, "item.a"), "x y");
    assert_string_equal(req_typed(&r, "item.b"), "ok"); /* an accepted value is itself */
    assert_null(req_typed(&r, "absent"));
}

static void test_validate_email_and_length_in_characters(void **state)
{
    struct kv bad[] = {{"email", "no-at-sign", 10}};
    struct kv two[] = {{"email", "a@b@c.uk", 8}};
    struct kv utf[] = {{"email", "x@y.uk", 6},
                       {"name", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10}};
    struct req r = fresh();
    (void)state;
    form_validate(&r, specs, bad, 1);
    assert_non_null(strstr(req_error(&r, "email"), "correct format"));
    r = fresh();
    form_validate(&r, specs, two, 1);
    assert_non_null(req_error(&r, "email"));
    r = fresh();
    form_validate(&r, specs, utf, 2);
    assert_int_equal(r.nerrors, 0); /* five characters, ten bytes */
}

static void test_validate_family(void **state)
{
    static const struct field_spec fam[] = {
        {"title", F_TEXT, OPTIONAL, 20, "a title"},
        {"item.*", F_TOKEN, OPTIONAL, 2, "an answer"},
        {NULL, 0, 0, 0, NULL},
    };
    struct kv raw[] = {
        {"item.lead-1", "3", 1}, {"item.lead-2", "x y", 3}, {"item.", "1", 1},
        {"item.a b", "1", 1},    {"itemx", "1", 1},         {"item.lead-1", "4", 1},
        {"item.empty", "", 0},   {"title", "T", 1},         {"item.long", "123", 3},
    };
    struct req r = fresh();
    (void)state;
    assert_int_equal(form_validate(&r, fam, raw, 9), APP_OK);
    assert_string_equal(req_field(&r, "title"), "T");
    assert_string_equal(req_field(&r, "item.lead-1"), "4"); /* the last value wins */
    assert_non_null(req_error(&r, "item.lead-2"));          /* the family's type applies */
    assert_non_null(req_error(&r, "item.long"));            /* and its length */
    assert_null(req_field(&r, "item."));                    /* a bare prefix is no field */
    assert_null(req_field(&r, "item.a b"));
    assert_null(req_field(&r, "itemx"));
    assert_null(req_field(&r, "item.empty"));
    assert_null(req_field(&r, "item.*"));
    assert_int_equal(r.nfields, 2);
    /* the lookup the error summary and the signed-out page use follows the same rule */
    assert_ptr_equal(form_field_spec(fam, "title"), &fam[0]);
    assert_ptr_equal(form_field_spec(fam, "item.lead-1"), &fam[1]);
    assert_null(form_field_spec(fam, "item."));
    assert_null(form_field_spec(fam, "item.a b"));
    assert_null(form_field_spec(fam, "itemx"));
    assert_null(form_field_spec(NULL, "title"));
}

/* A JSON body's members are each declared (by name, as a family member, or in the list every
 * route takes) or named in an error; F_JSON members come only as JSON, never as text. */
static void test_refuse_unknown(void **state)
{
    static const struct field_spec json_specs[] = {
        {"title", F_TEXT, OPTIONAL, 20, "a title"},
        {"item.*", F_TOKEN, OPTIONAL, 2, "an answer"},
        {"raters", F_JSON, OPTIONAL, 0, "the raters"},
        {"tags", F_TEXT, OPTIONAL | LIST, 100, "the tags"},
        {"tag.*", F_BOOL, OPTIONAL, 5, "a tag"},
        {"count", F_INT, OPTIONAL, 6, "the count"},
        {NULL, 0, 0, 0, NULL},
    };
    static const char *const also[] = {"csrf_token", NULL};
    json_t *obj = json_pack("{s:s, s:s, s:[], s:s, s:i, s:s, s:s, s:n}", "title", "T",
                            "item.lead-1", "3", "raters", "csrf_token", "x", "start_date", 1,
                            "item.", "1", "item.a b", "1", "Title");
    struct kv raw[] = {{"raters", "a@b.c", 5}};
    struct req r = fresh();
    size_t n = 99;
    (void)state;
    assert_non_null(obj);
    assert_int_equal(form_refuse_unknown(&r, json_specs, also, obj, &n), APP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(r.nerrors, 4);
    assert_non_null(req_error(&r, "start_date"));
    assert_non_null(strstr(req_error(&r, "start_date"), "\"start_date\""));
    assert_non_null(req_error(&r, "item."));    /* a bare prefix is no member */
    assert_non_null(req_error(&r, "item.a b")); /* nor a name a member cannot have */
    assert_non_null(req_error(&r, "Title"));    /* names are exact */
    assert_null(req_error(&r, "title"));
    assert_null(req_error(&r, "item.lead-1"));
    assert_null(req_error(&r, "raters"));
    assert_null(req_error(&r, "csrf_token"));
    /* a route that declares nothing takes only the list: the other 7 are refused */
    r = fresh();
    assert_int_equal(form_refuse_unknown(&r, NULL, also, obj, &n), APP_OK);
    assert_int_equal(n, 7);
    json_decref(obj);
    /* a declared field sent as an object, which nothing reads, is refused by its label */
    r = fresh();
    obj = json_pack("{s:{s:i}, s:{}}", "title", "a", 1, "raters");
    assert_non_null(obj);
    assert_int_equal(form_refuse_unknown(&r, json_specs, also, obj, &n), APP_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(req_error(&r, "title"), "A title must be text"));
    assert_null(req_error(&r, "raters"));
    json_decref(obj);
    /* and so is one sent as a list, unless it is declared LIST (its handler reads the list) or
     * F_JSON; a family's member is held to its family's declaration */
    r = fresh();
    obj = json_pack("{s:[s], s:[], s:[s], s:[s], s:[i]}", "title", "a", "raters", "item.q1", "1",
                    "tags", "x", "tag.x", 1);
    assert_non_null(obj);
    assert_int_equal(form_refuse_unknown(&r, json_specs, also, obj, &n), APP_OK);
    assert_int_equal(n, 3);
    assert_non_null(strstr(req_error(&r, "title"), "A title must be text or a number"));
    assert_non_null(req_error(&r, "item.q1"));
    assert_non_null(req_error(&r, "tag.x"));
    assert_null(req_error(&r, "raters"));
    assert_null(req_error(&r, "tags"));
    json_decref(obj);
    /* a LIST field sent as an object is refused too, and says what it takes */
    r = fresh();
    obj = json_pack("{s:{}}", "tags");
    assert_non_null(obj);
    assert_int_equal(form_refuse_unknown(&r, json_specs, also, obj, &n), APP_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(req_error(&r, "tags"), "The tags must be text or a list"));
    json_decref(obj);
    /* true or false is a checkbox's answer: for any other field it would arrive as 1 or 0 (a
     * count of 1), so it is refused by the field's label, and taken only for an F_BOOL one */
    r = fresh();
    obj = json_pack("{s:b, s:b, s:b, s:b, s:b}", "title", 1, "count", 1, "tags", 0, "item.q1", 1,
                    "tag.x", 1);
    assert_non_null(obj);
    assert_int_equal(form_refuse_unknown(&r, json_specs, also, obj, &n), APP_OK);
    assert_int_equal(n, 4);
    assert_non_null(strstr(req_error(&r, "title"), "A title must be text or a number"));
    assert_non_null(strstr(req_error(&r, "count"), "The count must be a whole number"));
    assert_non_null(strstr(req_error(&r, "tags"), "The tags must be text or a list"));
    assert_non_null(req_error(&r, "item.q1"));
    assert_null(req_error(&r, "tag.x"));
    json_decref(obj);
    /* a member only JSON has, sent as text, is refused by its label */
    r = fresh();
    assert_int_equal(form_validate(&r, json_specs, raw, 1), APP_OK);
    assert_non_null(req_error(&r, "raters"));
    assert_null(req_field(&r, "raters"));
}

/* A body of many repeated names in a family is checked in time proportional to its size:
 * the old scan for a later repeat per field took minutes on a 10 MiB JSON body. */
static void test_validate_family_is_linear(void **state)
{
    static const struct field_spec fam[] = {
        {"item.*", F_TOKEN, OPTIONAL, 8, "an answer"},
        {NULL, 0, 0, 0, NULL},
    };
    enum { N = 100000, NAMES = 50000 };
    struct arena *big = arena_new();
    struct kv *raw = arena_alloc(big, N * sizeof *raw);
    struct req r = fresh();
    struct timespec t0, t1;
    double secs;
    (void)state;
    assert_non_null(raw);
    for (int i = 0; i < N; i++) {
        char *name = arena_printf(big, "item.q%d", i % NAMES);
        assert_non_null(name);
        raw[i].name = name;
        raw[i].value = i < NAMES ? "1" : "2";
        raw[i].len = 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(form_validate(&r, fam, raw, N), APP_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_int_equal(r.nfields, NAMES);
    assert_string_equal(req_field(&r, "item.q7"), "2"); /* still the last value */
    assert_true(secs < 1.0);
    arena_free(big);
}

static void test_dates(void **state)
{
    int64_t t = -1;
    (void)state;
    assert_true(form_date("2026-11-21", &t));
    assert_int_equal(t, 1795219200);
    assert_true(form_date("", &t));
    assert_int_equal(t, 0);
    assert_true(form_date(NULL, &t));
    assert_int_equal(t, 0);
    assert_false(form_date("21/11/2026", &t));
    assert_false(form_date("2026-11-21x", &t));
    assert_false(form_date("2026-13-01", &t));
    /* days a month does not have are refused, not rolled into the next month */
    assert_false(form_date("2026-02-30", &t));
    assert_false(form_date("2026-02-29", &t));
    assert_false(form_date("2026-04-31", &t));
    assert_true(form_date("2028-02-29", &t));
    assert_int_equal(t, 1835395200);
    assert_true(form_date("2026-12-31", &t));
}

static void test_cookies(void **state)
{
    struct kv *kv;
    size_t n;
    (void)state;
    assert_int_equal(cookie_parse(a, "a=1; b=\"two\";c=3 ; junk; =x; d=", &kv, &n), APP_OK);
    assert_int_equal(n, 4);
    assert_string_equal(kv[0].value, "1");
    assert_string_equal(kv[1].value, "two");
    assert_string_equal(kv[2].name, "c");
    assert_string_equal(kv[2].value, "3");
    assert_string_equal(kv[3].value, "");
    assert_int_equal(cookie_parse(a, NULL, &kv, &n), APP_OK);
    assert_int_equal(n, 0);
}

static void test_json_body(void **state)
{
    json_t *j;
    const char *why;
    (void)state;
    assert_int_equal(json_body_parse("{\"a\":[1,{\"b\":2}]}", 17, 3, &j, &why), APP_OK);
    json_decref(j);
    assert_int_equal(json_body_parse("{\"a\":[1,{\"b\":[2]}]}", 19, 3, &j, &why), APP_E_INVALID);
    assert_non_null(strstr(why, "deeply"));
    /* brackets inside strings do not count */
    assert_int_equal(json_body_parse("{\"a\":\"[[[[[[\"}", 14, 2, &j, &why), APP_OK);
    json_decref(j);
    assert_int_equal(json_body_parse("[1]", 3, 3, &j, &why), APP_E_INVALID);
    assert_int_equal(json_body_parse("{\"a\":1,\"a\":2}", 13, 3, &j, &why), APP_E_INVALID);
    assert_int_equal(json_body_parse("{\"a\":\"\xff\"}", 9, 3, &j, &why), APP_E_INVALID);
    assert_int_equal(json_body_parse("{", 1, 3, &j, &why), APP_E_INVALID);
    /* an empty body is an object without fields, not "not valid JSON" */
    assert_int_equal(json_body_parse("", 0, 3, &j, &why), APP_OK);
    assert_true(json_is_object(j) && json_object_size(j) == 0);
    json_decref(j);
    assert_int_equal(json_body_parse(" ", 1, 3, &j, &why), APP_E_INVALID);
}

/* The client's key: the same address always gives the same key, whether computed or
 * remembered from the thread's last request, and different addresses different keys. */
static void test_client_key(void **state)
{
    static const char *const addrs[] = {"192.0.2.1",   "192.0.2.1",   "192.0.2.10", "192.0.2.1",
                                        "2001:db8::1", "2001:db8::1", "192.0.2.10"};
    unsigned char first[3][16];
    (void)state;
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        struct req r;
        int which = addrs[i][0] == '2' ? 2 : strlen(addrs[i]) == 10 ? 1 : 0;
        static bool seen[3];
        memset(&r, 0, sizeof r);
        req_set_client(&r, addrs[i], strlen(addrs[i]));
        assert_true(r.has_client);
        if (!seen[which]) {
            memcpy(first[which], r.client_key, sizeof r.client_key);
            seen[which] = true;
        }
        assert_memory_equal(r.client_key, first[which], sizeof r.client_key);
    }
    assert_memory_not_equal(first[0], first[1], sizeof first[0]);
    assert_memory_not_equal(first[0], first[2], sizeof first[0]);
    assert_memory_not_equal(first[1], first[2], sizeof first[0]);
}

/* For test_refuse_members: "a" and "b" are known, "boom" fails the walk; every rest seen is
 * counted in *ctx. */
static int known_ab(void *ctx, struct arena *ar, const char *rest, const char **why)
{
    ++*(int *)ctx;
    if (!strcmp(rest, "boom"))
        return APP_E_DB;
    if (!strcmp(rest, "a") || !strcmp(rest, "b"))
        return APP_OK;
    *why = arena_printf(ar, "There is no \"%s\"", rest);
    return *why ? APP_OK : APP_E_NOMEM;
}

/* A family's members that name nothing known are refused under their own names, with the
 * message the check gives; the others, and fields of no family, are left alone. */
static void test_refuse_members(void **state)
{
    struct kv fields[] = {
        {"item.a", "1", 1}, {"item.zz", "0", 1}, {"itemless", "1", 1},
        {"item.b", "1", 1}, {"item.yy", "1", 1},
    };
    json_t *body =
        json_pack("{s:b, s:n, s:b, s:s}", "item.a", 1, "item.nope", "item.b", 0, "other", "x");
    struct req r = fresh();
    int seen = 0;
    (void)state;
    assert_non_null(body);
    r.fields = fields;
    r.nfields = 5;
    /* the fields: the rest is what the check sees, not the whole name */
    assert_int_equal(req_refuse_members(&r, "item.", REQ_FIELDS, known_ab, &seen), APP_OK);
    assert_int_equal(seen, 4);
    assert_int_equal(r.nerrors, 2);
    assert_string_equal(r.errors[0].field, "item.zz");
    assert_string_equal(r.errors[0].message, "There is no \"zz\"");
    assert_string_equal(req_error(&r, "item.yy"), "There is no \"yy\"");
    assert_null(req_error(&r, "item.a"));
    assert_null(req_error(&r, "itemless"));
    /* a field refused already keeps its first problem */
    r = fresh();
    r.fields = fields;
    r.nfields = 5;
    assert_int_equal(req_add_error(&r, "item.zz", "Tick it or not"), APP_OK);
    assert_int_equal(req_refuse_members(&r, "item.", REQ_FIELDS, known_ab, &seen), APP_OK);
    assert_string_equal(req_error(&r, "item.zz"), "Tick it or not");
    assert_int_equal(r.nerrors, 2);
    /* a JSON body's members, a null one too, which is no field; without a body, nothing */
    r = fresh();
    r.fields = fields;
    r.nfields = 5;
    assert_int_equal(req_refuse_members(&r, "item.", REQ_BODY_MEMBERS, known_ab, &seen), APP_OK);
    assert_int_equal(r.nerrors, 0);
    r.json = body;
    seen = 0;
    assert_int_equal(req_refuse_members(&r, "item.", REQ_BODY_MEMBERS, known_ab, &seen), APP_OK);
    assert_int_equal(seen, 3);
    assert_int_equal(r.nerrors, 1);
    assert_string_equal(req_error(&r, "item.nope"), "There is no \"nope\"");
    /* a check that fails stops the walk, and its error is returned */
    fields[1].name = "item.boom";
    r = fresh();
    r.fields = fields;
    r.nfields = 5;
    seen = 0;
    assert_int_equal(req_refuse_members(&r, "item.", REQ_FIELDS, known_ab, &seen), APP_E_DB);
    assert_int_equal(seen, 2);
    assert_int_equal(r.nerrors, 0);
    json_decref(body);
}

/* An IPv6 client is keyed by its /64, which it holds whole: picking another address in it
 * gives no fresh limit. IPv4 clients seen through an IPv6 socket keep their own keys. */
static void test_client_key_ipv6_prefix(void **state)
{
    struct req p1, p2, p3, m1, m2;
    (void)state;
    memset(&p1, 0, sizeof p1);
    p2 = p3 = m1 = m2 = p1;
    req_set_client(&p1, "2001:db8:1:2::1", 15);
    req_set_client(&p2, "2001:db8:1:2:dead:beef:0:7", 26);
    req_set_client(&p3, "2001:db8:1:3::1", 15);
    req_set_client(&m1, "::ffff:192.0.2.1", 16);
    req_set_client(&m2, "::ffff:192.0.2.2", 16);
    assert_memory_equal(p1.client_key, p2.client_key, sizeof p1.client_key);
    assert_memory_not_equal(p1.client_key, p3.client_key, sizeof p1.client_key);
    assert_memory_not_equal(m1.client_key, m2.client_key, sizeof m1.client_key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urlencoded),
        cmocka_unit_test(test_multipart),
        cmocka_unit_test(test_validate_ok_and_normalised),
        cmocka_unit_test(test_validate_errors),
        cmocka_unit_test(test_refused_values_are_kept_as_typed),
        cmocka_unit_test(test_validate_email_and_length_in_characters),
        cmocka_unit_test(test_validate_family),
        cmocka_unit_test(test_refuse_unknown),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_validate_family_is_linear),
        cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_json_body),
        cmocka_unit_test(test_client_key),
        cmocka_unit_test(test_client_key_ipv6_prefix),
        cmocka_unit_test(test_refuse_members),
    };
    return cmocka_run_group_tests_name("http/form", tests, setup, teardown);
}
