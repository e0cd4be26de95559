/* connect_groups_test.c: Connect's regional interest groups, through the loopback
 *
 * A facilitator creates an open and a members-only group; members join and leave. A
 * members-only group shows a non-member its page and a join button, and nothing else: its
 * threads, members, events and calendar files answer 404 on pages and in the API. Members
 * post threads and replies in Markdown with raw HTML left out; a member reports a reply
 * with a reason; the group's moderator sees the reason, hides the post with a reason (logged
 * and audited) and keeps it again; others never see a hidden post's text. Events take the
 * NHS.UK date input and UK time, and their .ics files parse back under a strict RFC 5545
 * reader (CRLF, 75-octet folds that never split a character, escapes, UTC times). The weekly
 * digest goes once per member per week, even when run twice, from a second connection, or
 * by two servers at the same moment,
 * not to a member who switched it off, and its "stop" link works without logging in only
 * with the right signature. Deleting an account blanks the member's posts in threads others
 * answered and removes threads that were only theirs. Runs on SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "connect/group.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uktime.h"
#include "store/db.h"
#include "support/testapp.h"

static struct app *app;
static struct db *db; /* a connection of the test's own, for checks and the digest */
static struct test_client fac, amy, ben, cat, anon;
static const char *PW = "correct horse battery";
static int64_t open_group, closed_group, fac_id, amy_id, ben_id, cat_id;

/* The integer the query's first row starts with ($1 = a); -1 when there is no row. */
static int64_t qi(const char *sql, int64_t a)
{
    struct db_stmt *st = NULL;
    int64_t v;
    if (db_row(db, sql, &st, "i", a))
        return -1;
    v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

static json_t *body_json(const struct test_client *tc)
{
    json_t *j = json_loadb(tc->res.body, tc->res.len, 0, NULL);
    assert_non_null(j);
    return j;
}

static int get(struct test_client *tc, const char *fmt, long long id)
{
    char uri[200];
    snprintf(uri, sizeof uri, fmt, id);
    return tc_get(tc, uri);
}

static int post(struct test_client *tc, const char *fmt, long long id, const char *form)
{
    char uri[200];
    snprintf(uri, sizeof uri, fmt, id);
    return tc_post_form(tc, uri, form, 1);
}

static int64_t location_id(const struct test_client *tc, const char *fmt)
{
    const char *loc = lb_header(&tc->res, "Location");
    long long id = 0;
    assert_non_null(loc);
    assert_int_equal(sscanf(loc, fmt, &id), 1);
    return id;
}

/* ---- groups, joining, leaving ---- */

static void test_create_groups(void **state)
{
    (void)state;
    /* members cannot create groups */
    assert_int_equal(tc_post_form(&amy, "/connect/groups",
                                  "name=X&description=Y&region=london&topic=digital"
                                  "&visibility=open",
                                  1),
                     403);
    /* a form with mistakes comes back with a message at each field */
    assert_int_equal(tc_post_form(&fac, "/connect/groups", "name=&description=&region=mars", 1),
                     400);
    assert_true(tc_body_has(&fac, "Enter the group&#39;s name") ||
                tc_body_has(&fac, "Enter the group's name"));
    assert_true(tc_body_has(&fac, "Choose the group&#39;s region") ||
                tc_body_has(&fac, "Choose the group's region"));
    assert_true(tc_body_has(&fac, "Choose who can read the discussions"));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_groups WHERE id > $1", 0), 0);
    assert_int_equal(tc_post_form(&fac, "/connect/groups",
                                  "name=North+West+digital+AHP+group&description=Digital+in+the+"
                                  "North+West&region=north-west&topic=digital&visibility=open",
                                  1),
                     303);
    open_group = location_id(&fac, "/connect/groups/%lld");
    /* the API takes JSON and answers the group */
    assert_int_equal(tc_post_json(&fac, "/api/v1/connect/groups",
                                  "{\"name\": \"London AHP clinical safety network\", "
                                  "\"description\": \"For CSOs\", \"region\": \"london\", "
                                  "\"topic\": \"clinical-safety\", \"visibility\": \"members\"}"),
                     201);
    {
        json_t *j = body_json(&fac), *g = json_object_get(j, "group");
        closed_group = json_integer_value(json_object_get(g, "id"));
        assert_true(json_is_true(json_object_get(g, "is_moderator")));
        assert_true(json_is_true(json_object_get(g, "members_only")));
        assert_int_equal(json_integer_value(json_object_get(g, "members")), 1);
        json_decref(j);
    }
    /* a name is taken once */
    assert_int_equal(tc_post_form(&fac, "/connect/groups",
                                  "name=North+West+digital+AHP+group&description=Again"
                                  "&region=north-west&topic=digital&visibility=open",
                                  1),
                     400);
    assert_true(tc_body_has(&fac, "There is already a group with this name"));
    assert_int_equal(qi("SELECT COUNT(*) FROM audit_log WHERE event = 'connect_group_created' "
                        "AND actor_id = $1",
                        fac_id),
                     2);
}

static void test_join_and_leave(void **state)
{
    json_t *j;
    (void)state;
    assert_int_equal(post(&amy, "/connect/groups/%lld/join", open_group, ""), 303);
    assert_int_equal(post(&amy, "/connect/groups/%lld/join", open_group, ""), 303); /* twice */
    assert_int_equal(post(&amy, "/connect/groups/%lld/join", closed_group, ""), 303);
    assert_int_equal(post(&ben, "/connect/groups/%lld/join", closed_group, ""), 303);
    assert_int_equal(post(&ben, "/connect/groups/%lld/join", open_group, ""), 303);
    assert_int_equal(tc_post_json(&cat, "/api/v1/connect/groups/1000000/join", "{}"), 404);
    assert_int_equal(
        qi("SELECT COUNT(*) FROM connect_group_members WHERE group_id = $1", open_group), 3);
    /* the members list is for members: in an open group too */
    assert_int_equal(get(&amy, "/connect/groups/%lld/members", open_group), 200);
    assert_true(tc_body_has(&amy, "Ben Member"));
    assert_int_equal(get(&cat, "/connect/groups/%lld/members", open_group), 404);
    assert_int_equal(get(&cat, "/api/v1/connect/groups/%lld/members", open_group), 404);
    /* leaving, and the list of groups */
    assert_int_equal(tc_post_json(&ben, "/api/v1/connect/groups/0/leave", "{}"), 404);
    {
        char uri[100];
        snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/leave", (long long)open_group);
        assert_int_equal(tc_post_json(&ben, uri, "{}"), 200);
        j = body_json(&ben);
        assert_true(json_is_false(json_object_get(json_object_get(j, "group"), "is_member")));
        json_decref(j);
        snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/join", (long long)open_group);
        assert_int_equal(tc_post_json(&ben, uri, "{}"), 200);
    }
    assert_int_equal(tc_get(&amy, "/api/v1/connect/groups"), 200);
    j = body_json(&amy);
    assert_int_equal(json_array_size(json_object_get(j, "my_groups")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "other_groups")), 0);
    json_decref(j);
    assert_int_equal(tc_get(&cat, "/api/v1/connect/groups?region=london"), 200);
    j = body_json(&cat);
    assert_int_equal(json_array_size(json_object_get(j, "other_groups")), 1);
    json_decref(j);
    assert_int_equal(tc_get(&cat, "/connect/groups?region=atlantis"), 400);
    assert_true(tc_body_has(&cat, "Choose a region from the list"));
    assert_int_equal(tc_get(&anon, "/connect/groups"), 303); /* login first */
}

/* ---- threads, replies, Markdown ---- */

static int64_t open_thread, closed_thread, amy_reply;

static void test_threads_and_replies(void **state)
{
    json_t *j, *posts;
    (void)state;
    /* a non-member of an open group reads but does not post */
    assert_int_equal(post(&cat, "/connect/groups/%lld/threads", open_group, "title=T&body=B"), 403);
    assert_int_equal(post(&amy, "/connect/groups/%lld/threads", open_group, "title=&body="), 400);
    assert_true(tc_body_has(&amy, "Enter a title for the discussion"));
    assert_true(tc_body_has(&amy, "Enter your message"));
    assert_int_equal(
        post(&amy, "/connect/groups/%lld/threads", open_group,
             "title=Remote+monitoring+for+pulmonary+rehab%3F&body=Is+anyone+**already**+doing+"
             "this%3F%0A%0A%3Cscript%3Ealert(1)%3C%2Fscript%3E+%5Bclick%5D(javascript%3Aalert(2))"),
        303);
    open_thread = location_id(&amy, "/connect/threads/%lld");
    assert_int_equal(get(&cat, "/connect/threads/%lld", open_thread), 200);
    assert_true(tc_body_has(&cat, "<strong>already</strong>"));
    assert_false(tc_body_has(&cat, "<script>"));
    assert_false(tc_body_has(&cat, "javascript:"));
    assert_true(tc_body_has(&cat, "Join this group"));
    assert_int_equal(post(&cat, "/connect/threads/%lld/replies", open_thread, "body=Hello"), 403);
    assert_int_equal(post(&ben, "/connect/threads/%lld/replies", open_thread, "body=+"), 400);
    assert_true(tc_body_has(&ben, "Enter your message"));
    /* a patient's NHS number is refused, with the text kept to correct */
    assert_int_equal(post(&ben, "/connect/threads/%lld/replies", open_thread,
                          "body=Patient+943+476+5919+was+seen+twice"),
                     400);
    assert_true(tc_body_has(&ben, "Remove the NHS number"));
    assert_true(tc_body_has(&ben, "Patient 943 476 5919 was seen twice"));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE body LIKE '%5919%' AND "
                        "thread_id = $1",
                        open_thread),
                     0);
    assert_int_equal(post(&ben, "/connect/threads/%lld/replies", open_thread,
                          "body=We+trialled+a+pulse+oximetry+app+last+winter."),
                     303);
    {
        char uri[100];
        snprintf(uri, sizeof uri, "/api/v1/connect/threads/%lld/replies", (long long)open_thread);
        assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Thanks, Ben!\"}"), 201);
        j = body_json(&amy);
        amy_reply = json_integer_value(json_object_get(j, "id"));
        json_decref(j);
    }
    assert_int_equal(get(&cat, "/api/v1/connect/threads/%lld", open_thread), 200);
    j = body_json(&cat);
    posts = json_object_get(j, "posts");
    assert_int_equal(json_array_size(posts), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(posts, 1), "author")),
                        "Ben Member");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "thread"), "replies")),
                     2);
    json_decref(j);
    /* a thread in the members-only group */
    assert_int_equal(tc_post_json(&ben, "/api/v1/connect/groups/0/threads", "{}"), 404);
    assert_int_equal(post(&ben, "/connect/groups/%lld/threads", closed_group,
                          "title=Getting+CSO+training+funded&body=How+did+you+get+it+funded%3F"),
                     303);
    closed_thread = location_id(&ben, "/connect/threads/%lld");
}

/* A non-member sees a members-only group's page and nothing in it, on pages and in the API. */
static void test_members_only_visibility(void **state)
{
    json_t *j, *g;
    int64_t post_id = qi("SELECT MIN(id) FROM connect_posts WHERE thread_id = $1", closed_thread);
    (void)state;
    assert_int_equal(get(&cat, "/connect/groups/%lld", closed_group), 200);
    assert_true(tc_body_has(&cat, "Join this group"));
    assert_false(tc_body_has(&cat, "Getting CSO training funded"));
    assert_int_equal(get(&cat, "/api/v1/connect/groups/%lld", closed_group), 200);
    j = body_json(&cat);
    g = json_object_get(j, "group");
    assert_true(json_is_false(json_object_get(g, "can_read")));
    assert_true(json_is_null(json_object_get(g, "threads")));
    assert_null(json_object_get(j, "threads"));
    assert_null(json_object_get(j, "events"));
    json_decref(j);
    assert_int_equal(get(&cat, "/connect/threads/%lld", closed_thread), 404);
    assert_int_equal(get(&cat, "/api/v1/connect/threads/%lld", closed_thread), 404);
    assert_int_equal(get(&cat, "/connect/groups/%lld/members", closed_group), 404);
    assert_int_equal(get(&cat, "/connect/posts/%lld", post_id), 404);
    assert_int_equal(post(&cat, "/connect/posts/%lld/report", post_id, "reason=x"), 404);
    assert_int_equal(post(&cat, "/connect/threads/%lld/replies", closed_thread, "body=x"), 404);
    assert_int_equal(post(&cat, "/connect/groups/%lld/threads", closed_group, "title=a&body=b"),
                     404);
    /* a site facilitator who has not joined sees no more than anyone else; as the group's
     * only moderator, fac makes amy one before leaving */
    assert_int_equal(post(&fac, "/connect/groups/%lld/leave", closed_group, ""), 409);
    {
        char uri[160];
        snprintf(uri, sizeof uri, "/connect/groups/%lld/members/%lld/moderator",
                 (long long)closed_group, (long long)amy_id);
        assert_int_equal(tc_post_form(&fac, uri, "role=moderator", 1), 303);
        assert_int_equal(post(&fac, "/connect/groups/%lld/leave", closed_group, ""), 303);
        assert_int_equal(get(&fac, "/connect/threads/%lld", closed_thread), 404);
        assert_int_equal(post(&fac, "/connect/groups/%lld/join", closed_group, ""), 303);
        assert_int_equal(get(&fac, "/connect/threads/%lld", closed_thread), 200);
        assert_int_equal(tc_post_form(&fac, uri, "role=member", 1), 303);
    }
    /* members read it */
    assert_int_equal(get(&amy, "/connect/threads/%lld", closed_thread), 200);
    assert_true(tc_body_has(&amy, "How did you get it funded?"));
    /* once cat joins, cat reads; after leaving, not any more */
    assert_int_equal(post(&cat, "/connect/groups/%lld/join", closed_group, ""), 303);
    assert_int_equal(get(&cat, "/api/v1/connect/threads/%lld", closed_thread), 200);
    assert_int_equal(post(&cat, "/connect/groups/%lld/leave", closed_group, ""), 303);
    assert_int_equal(get(&cat, "/api/v1/connect/threads/%lld", closed_thread), 404);
}

/* ---- reporting and moderation ---- */

static void test_report_and_moderate(void **state)
{
    json_t *j, *posts;
    int64_t ben_reply = qi("SELECT MIN(id) FROM connect_posts WHERE thread_id = $1 AND id > "
                           "(SELECT MIN(id) FROM connect_posts p WHERE p.thread_id = $1)",
                           open_thread);
    (void)state;
    /* one's own post cannot be reported; a reason is needed */
    assert_int_equal(post(&ben, "/connect/posts/%lld/report", ben_reply, "reason=mine"), 409);
    assert_int_equal(get(&amy, "/connect/posts/%lld", ben_reply), 200);
    assert_true(tc_body_has(&amy, "Why are you reporting it?"));
    assert_int_equal(post(&amy, "/connect/posts/%lld/report", ben_reply, "reason=+"), 400);
    assert_true(tc_body_has(&amy, "Enter the reason"));
    assert_int_equal(post(&amy, "/connect/posts/%lld/report", ben_reply,
                          "reason=It+names+a+product+we+are+not+allowed+to+recommend"),
                     303);
    assert_int_equal(
        post(&cat, "/connect/posts/%lld/report", ben_reply, "reason=Looks+like+advertising"), 303);
    /* the group page tells its moderators; the moderators' page shows both reasons, not who */
    assert_int_equal(get(&fac, "/api/v1/connect/groups/%lld", open_group), 200);
    j = body_json(&fac);
    assert_int_equal(json_integer_value(json_object_get(j, "reports_waiting")), 1);
    json_decref(j);
    assert_int_equal(get(&amy, "/api/v1/connect/groups/%lld", open_group), 200);
    j = body_json(&amy);
    assert_null(json_object_get(j, "reports_waiting"));
    json_decref(j);
    assert_int_equal(get(&amy, "/connect/groups/%lld/moderate", open_group), 403);
    assert_int_equal(get(&fac, "/connect/groups/%lld/moderate", open_group), 200);
    assert_true(tc_body_has(&fac, "It names a product we are not allowed to recommend"));
    assert_true(tc_body_has(&fac, "Looks like advertising"));
    assert_false(tc_body_has(&fac, "Cat Member"));
    assert_false(tc_body_has(&fac, "Amy Member"));
    /* members cannot decide; a moderator must give a reason to hide */
    assert_int_equal(post(&amy, "/connect/posts/%lld/hide", ben_reply, "reason=no"), 403);
    assert_int_equal(post(&fac, "/connect/posts/%lld/hide", ben_reply, "reason="), 400);
    assert_true(tc_body_has(&fac, "Enter the reason"));
    assert_int_equal(
        qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = 'visible'", ben_reply), 1);
    assert_int_equal(
        post(&fac, "/connect/posts/%lld/hide", ben_reply, "reason=Recommends+a+product+by+name"),
        303);
    assert_int_equal(post(&fac, "/connect/posts/%lld/hide", ben_reply, "reason=again"), 409);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_post_reports WHERE post_id = $1 AND "
                        "resolved_at = 0",
                        ben_reply),
                     0);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_moderation_log WHERE post_id = $1 AND "
                        "action = 'hide' AND reason = 'Recommends a product by name'",
                        ben_reply),
                     1);
    assert_int_equal(qi("SELECT COUNT(*) FROM audit_log WHERE event = 'connect_post_hidden' AND "
                        "actor_id = $1",
                        fac_id),
                     1);
    /* others see that it was hidden, never its text; the moderator still reads it */
    assert_int_equal(get(&cat, "/api/v1/connect/threads/%lld", open_thread), 200);
    j = body_json(&cat);
    posts = json_object_get(j, "posts");
    assert_true(json_is_null(json_object_get(json_array_get(posts, 1), "text")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(posts, 1), "html")), "");
    json_decref(j);
    assert_int_equal(get(&cat, "/connect/threads/%lld", open_thread), 200);
    assert_false(tc_body_has(&cat, "pulse oximetry"));
    assert_true(tc_body_has(&cat, "This post was hidden by a moderator."));
    assert_int_equal(get(&fac, "/connect/threads/%lld", open_thread), 200);
    assert_true(tc_body_has(&fac, "pulse oximetry"));
    assert_int_equal(post(&cat, "/connect/posts/%lld/report", ben_reply, "reason=x"), 409);
    /* the moderator restores it, through the API */
    {
        char uri[100];
        snprintf(uri, sizeof uri, "/api/v1/connect/posts/%lld/keep", (long long)ben_reply);
        assert_int_equal(tc_post_json(&fac, uri, "{\"reason\": \"Checked with the group\"}"), 200);
        assert_int_equal(tc_post_json(&fac, uri, "{}"), 409); /* nothing to decide now */
    }
    assert_int_equal(get(&cat, "/connect/threads/%lld", open_thread), 200);
    assert_true(tc_body_has(&cat, "pulse oximetry"));
    assert_int_equal(get(&fac, "/connect/groups/%lld/moderate", open_group), 200);
    assert_true(tc_body_has(&fac, "No posts are waiting for a decision."));
    assert_true(tc_body_has(&fac, "Checked with the group"));
}

/* ---- events and their .ics files ---- */

/* A strict reader of one RFC 5545 file: fails the test on a line not ended by CRLF, a line
 * over 75 octets, a fold inside a UTF-8 character, an unknown escape, or a missing required
 * property. Fills the values (unescaped) of the properties asked for. */
struct ics_prop {
    const char *name;
    char value[2048];
    int count;
};

static void ics_unescape(const char *v, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = v; *p; p++) {
        char c = *p;
        if (c == '\\') {
            p++;
            if (*p == 'n' || *p == 'N')
                c = '\n';
            else if (*p == '\\' || *p == ';' || *p == ',')
                c = *p;
            else
                fail_msg("unknown escape \\%c in %s", *p, v);
        } else if (c == ';' || c == ',') {
            fail_msg("unescaped %c in TEXT value %s", c, v);
        }
        assert_true(o + 1 < cap);
        out[o++] = c;
    }
    out[o] = '\0';
}

static void ics_parse(const char *data, size_t len, struct ics_prop *props, size_t nprops)
{
    char logical[8192];
    size_t ll = 0, i = 0, lines = 0;
    const char *first = NULL, *last = NULL;
    static char names[64][64];
    size_t nnames = 0;
    while (i < len) {
        const char *eol = memchr(data + i, '\r', len - i);
        size_t n;
        assert_non_null(eol);
        assert_true(eol + 1 < data + len && eol[1] == '\n'); /* CRLF */
        n = (size_t)(eol - (data + i));
        assert_null(memchr(data + i, '\n', n));  /* no bare LF */
        assert_true(n <= 75);                    /* folded at 75 octets */
        assert_true(utf8_valid(data + i, n));    /* no fold splits a character */
        if (data[i] == ' ' || data[i] == '\t') { /* a continuation line */
            assert_true(ll > 0);
            memcpy(logical + ll, data + i + 1, n - 1);
            ll += n - 1;
        } else {
            if (ll) { /* the previous logical line is complete */
                logical[ll] = '\0';
                assert_true(nnames < 64);
                snprintf(names[nnames++], 64, "%.63s", logical);
                for (size_t p = 0; p < nprops; p++) {
                    size_t nl = strlen(props[p].name);
                    if (!strncmp(logical, props[p].name, nl) &&
                        (logical[nl] == ':' || logical[nl] == ';')) {
                        const char *colon = strchr(logical, ':');
                        if (!strcmp(props[p].name, "SUMMARY") ||
                            !strcmp(props[p].name, "DESCRIPTION") ||
                            !strcmp(props[p].name, "LOCATION"))
                            ics_unescape(colon + 1, props[p].value, sizeof props[p].value);
                        else
                            snprintf(props[p].value, sizeof props[p].value, "%s", colon + 1);
                        props[p].count++;
                    }
                }
            }
            assert_true(n < sizeof logical);
            memcpy(logical, data + i, n);
            ll = n;
        }
        i += n + 2;
        lines++;
    }
    logical[ll] = '\0';
    assert_string_equal(logical, "END:VCALENDAR");
    first = names[0];
    last = logical;
    assert_string_equal(first, "BEGIN:VCALENDAR");
    assert_string_equal(last, "END:VCALENDAR");
    assert_true(lines > 10);
}

static int64_t event_id;

static void test_events_and_ics(void **state)
{
    time_t now = time(NULL);
    struct tm tm;
    char form[2048], want[64];
    int year;
    struct ics_prop props[] = {{"SUMMARY", "", 0},     {"DTSTART", "", 0}, {"DTEND", "", 0},
                               {"DTSTAMP", "", 0},     {"UID", "", 0},     {"LOCATION", "", 0},
                               {"DESCRIPTION", "", 0}, {"VERSION", "", 0}, {"PRODID", "", 0}};
    (void)state;
    gmtime_r(&now, &tm);
    year = tm.tm_year + 1900 + 1;
    /* members cannot add events; moderators can */
    assert_int_equal(get(&amy, "/connect/groups/%lld/events/new", open_group), 403);
    assert_int_equal(get(&fac, "/connect/groups/%lld/events/new", open_group), 200);
    assert_true(tc_body_has(&fac, "nhsuk-date-input"));
    /* mistakes, each named */
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group,
                          "title=Meet&day=31&month=2&year=2030&start_time=25%3A00&end_time=10"
                          "&description=x"),
                     400);
    assert_true(tc_body_has(&fac, "The date of the event must be a real date"));
    assert_true(tc_body_has(&fac, "Enter the start time as hours and minutes, like 14:30"));
    assert_true(tc_body_has(&fac, "Enter where the event is, or a link to join online"));
    assert_true(tc_body_has(&fac, "value=\"31\"")); /* what was typed stays */
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group,
                          "title=Past&day=1&month=1&year=2001&start_time=10%3A00&end_time=11%3A00"
                          "&place=Leeds&description=x"),
                     400);
    assert_true(tc_body_has(&fac, "The date of the event must be in the future"));
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group,
                          "title=Meet&day=1&month=7&year=2031&start_time=10%3A00&end_time=09%3A00"
                          "&link=ftp%3A%2F%2Fx&description=x"),
                     400);
    assert_true(tc_body_has(&fac, "The event must end after it starts"));
    assert_true(tc_body_has(&fac, "Enter the link to join as a web address starting https://"));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), 0);
    /* a summer event: 14:00 UK time is 13:00 UTC; text that needs escaping and folding */
    snprintf(form, sizeof form,
             "title=Hazard+logs%%2C+safety+cases%%3B+and+a+back%%5Cslash&day=15&month=7&year=%d"
             "&start_time=14%%3A00&end_time=15%%3A30&place=Room+3%%2C+Education+Centre%%2C+Leeds"
             "&description=Line+one%%0D%%0ALine+two+with+caf%%C3%%A9+and+%%E2%%80%%94+dashes+"
             "%%E2%%80%%94+repeated+until+the+line+is+well+past+seventy-five+octets+long+"
             "%%E2%%80%%94+%%E2%%80%%94+%%E2%%80%%94+%%C3%%A9%%C3%%A9%%C3%%A9%%C3%%A9+end",
             year);
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group, form), 303);
    event_id = location_id(&fac, "/connect/events/%lld");
    assert_int_equal(get(&amy, "/connect/events/%lld", event_id), 200);
    assert_true(tc_body_has(&amy, "2pm to 3:30pm"));
    assert_int_equal(get(&amy, "/connect/events/%lld/event.ics", event_id), 200);
    assert_non_null(strstr(lb_header(&amy.res, "Content-Type"), "text/calendar"));
    ics_parse(amy.res.body, amy.res.len, props, sizeof props / sizeof props[0]);
    for (size_t p = 0; p < sizeof props / sizeof props[0]; p++)
        assert_int_equal(props[p].count, 1);
    assert_string_equal(props[0].value, "Hazard logs, safety cases; and a back\\slash");
    snprintf(want, sizeof want, "%d0715T130000Z", year);
    assert_string_equal(props[1].value, want);
    snprintf(want, sizeof want, "%d0715T143000Z", year);
    assert_string_equal(props[2].value, want);
    assert_int_equal(strlen(props[3].value), 16);
    assert_int_equal(props[3].value[15], 'Z');
    assert_non_null(strstr(props[4].value, "connect-event-"));
    assert_string_equal(props[5].value, "Room 3, Education Centre, Leeds");
    assert_non_null(strstr(props[6].value, "Line one\nLine two with café and — dashes"));
    assert_string_equal(props[7].value, "2.0");
    /* a winter event online: 09:30 UK time is 09:30 UTC, and the link is the URL */
    snprintf(form, sizeof form,
             "{\"title\": \"Digital leads meeting\", \"day\": 15, \"month\": 1, \"year\": %d, "
             "\"start_time\": \"09:30\", \"end_time\": \"10:30\", "
             "\"link\": \"https://meet.example.org/ney\", \"description\": \"Updates\"}",
             year + 1);
    {
        char uri[100];
        json_t *j, *ev;
        snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/events", (long long)open_group);
        assert_int_equal(tc_post_json(&fac, uri, form), 201);
        j = body_json(&fac);
        ev = json_object_get(j, "event");
        assert_true(json_is_true(json_object_get(ev, "online")));
        assert_int_equal(json_integer_value(json_object_get(ev, "starts_at")),
                         uk_to_utc(year + 1, 1, 15, 9, 30));
        assert_int_equal(uk_to_utc(year + 1, 1, 15, 9, 30) % 86400, 9 * 3600 + 1800);
        snprintf(uri, sizeof uri, "/connect/events/%lld/event.ics",
                 (long long)json_integer_value(json_object_get(ev, "id")));
        json_decref(j);
        assert_int_equal(tc_get(&amy, uri), 200);
        memset(props, 0, sizeof props);
        props[0].name = "URL";
        props[1].name = "DTSTART";
        ics_parse(amy.res.body, amy.res.len, props, 2);
        assert_string_equal(props[0].value, "https://meet.example.org/ney");
        snprintf(want, sizeof want, "%d0115T093000Z", year + 1);
        assert_string_equal(props[1].value, want);
    }
    /* the group page lists them, soonest first */
    assert_int_equal(get(&amy, "/api/v1/connect/groups/%lld", open_group), 200);
    {
        json_t *j = body_json(&amy);
        assert_int_equal(json_array_size(json_object_get(j, "events")), 2);
        assert_int_equal(json_integer_value(json_object_get(
                             json_array_get(json_object_get(j, "events"), 0), "id")),
                         event_id);
        json_decref(j);
    }
    /* an event of a members-only group is for members only */
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", closed_group,
                          "title=Closed+meeting&day=2&month=2&year=2040&start_time=10%3A00"
                          "&end_time=11%3A00&place=Online&description=x"),
                     303);
    {
        int64_t closed_event = location_id(&fac, "/connect/events/%lld");
        assert_int_equal(get(&cat, "/connect/events/%lld", closed_event), 404);
        assert_int_equal(get(&cat, "/connect/events/%lld/event.ics", closed_event), 404);
        assert_int_equal(get(&cat, "/api/v1/connect/events/%lld", closed_event), 404);
        assert_int_equal(get(&ben, "/connect/events/%lld/event.ics", closed_event), 200);
    }
}

/* A moderator changes an event and then cancels it; the calendar file keeps its UID and
 * raises its SEQUENCE each time, and says CANCELLED at the end. Members cannot do either. */
static void test_events_change_and_cancel(void **state)
{
    time_t now = time(NULL);
    struct tm tm;
    char form[512], want[64], uid[2048];
    int year;
    struct ics_prop props[] = {{"UID", "", 0},
                               {"SEQUENCE", "", 0},
                               {"DTSTART", "", 0},
                               {"STATUS", "", 0},
                               {"SUMMARY", "", 0}};
    int64_t changes =
        qi("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'connect_event_%' AND id > $1", 0);
    (void)state;
    gmtime_r(&now, &tm);
    year = tm.tm_year + 1900 + 1;
    assert_int_equal(get(&amy, "/connect/events/%lld/event.ics", event_id), 200);
    ics_parse(amy.res.body, amy.res.len, props, 5);
    assert_string_equal(props[1].value, "0");
    assert_int_equal(props[3].count, 0);
    snprintf(uid, sizeof uid, "%s", props[0].value);
    /* members cannot */
    assert_int_equal(get(&amy, "/connect/events/%lld/edit", event_id), 403);
    assert_int_equal(get(&amy, "/connect/events/%lld/cancel", event_id), 403);
    assert_int_equal(post(&amy, "/connect/events/%lld/cancel", event_id, ""), 403);
    assert_int_equal(get(&amy, "/connect/events/%lld", event_id), 200);
    assert_false(tc_body_has(&amy, "Change the event"));
    /* the form as the event stands, in UK time */
    assert_int_equal(get(&fac, "/connect/events/%lld", event_id), 200);
    assert_true(tc_body_has(&fac, "Change the event"));
    assert_int_equal(get(&fac, "/connect/events/%lld/edit", event_id), 200);
    assert_true(tc_body_has(&fac, "value=\"15\""));
    assert_true(tc_body_has(&fac, "value=\"14:00\""));
    assert_true(tc_body_has(&fac, "value=\"15:30\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "event edit") < 2);
    /* a mistake changes nothing and keeps what was typed */
    snprintf(form, sizeof form,
             "title=Moved&day=15&month=7&year=%d&start_time=17%%3A00&end_time=16%%3A00"
             "&place=Leeds&description=x",
             year);
    assert_int_equal(post(&fac, "/connect/events/%lld/edit", event_id, form), 400);
    assert_true(tc_body_has(&fac, "The event must end after it starts"));
    assert_true(tc_body_has(&fac, "value=\"Moved\""));
    assert_int_equal(qi("SELECT sequence FROM connect_events WHERE id = $1", event_id), 0);
    /* moved to 16:00 */
    snprintf(form, sizeof form,
             "title=Hazard+logs+moved&day=15&month=7&year=%d&start_time=16%%3A00"
             "&end_time=17%%3A00&place=Room+4&description=Moved+an+hour",
             year);
    assert_int_equal(post(&fac, "/connect/events/%lld/edit", event_id, form), 303);
    assert_int_equal(get(&amy, "/connect/events/%lld", event_id), 200);
    assert_true(tc_body_has(&amy, "4pm to 5pm"));
    assert_true(tc_body_has(&amy, "This event has been changed"));
    assert_int_equal(get(&amy, "/connect/events/%lld/event.ics", event_id), 200);
    memset(props[0].value, 0, sizeof props[0].value);
    for (size_t p = 0; p < 5; p++)
        props[p].count = 0;
    ics_parse(amy.res.body, amy.res.len, props, 5);
    assert_string_equal(props[0].value, uid);
    assert_string_equal(props[1].value, "1");
    snprintf(want, sizeof want, "%d0715T150000Z", year);
    assert_string_equal(props[2].value, want);
    assert_string_equal(props[4].value, "Hazard logs moved");
    /* through the API too */
    {
        char uri[100], body[400];
        json_t *j;
        snprintf(uri, sizeof uri, "/api/v1/connect/events/%lld/edit", (long long)event_id);
        snprintf(body, sizeof body,
                 "{\"title\": \"Hazard logs\", \"day\": 15, \"month\": 7, \"year\": %d, "
                 "\"start_time\": \"16:00\", \"end_time\": \"17:30\", \"place\": \"Room 4\", "
                 "\"description\": \"Moved an hour\"}",
                 year);
        assert_int_equal(tc_post_json(&fac, uri, body), 200);
        j = body_json(&fac);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(j, "event"), "sequence")), 2);
        json_decref(j);
        assert_int_equal(tc_post_json(&amy, uri, body), 403);
    }
    /* cancelled, after a confirmation page */
    assert_int_equal(get(&fac, "/connect/events/%lld/cancel", event_id), 200);
    assert_true(tc_body_has(&fac, "Cancel this event?"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "event cancel") < 2);
    assert_int_equal(post(&fac, "/connect/events/%lld/cancel", event_id, ""), 303);
    assert_int_equal(get(&amy, "/connect/events/%lld", event_id), 200);
    assert_true(tc_body_has(&amy, "This event has been cancelled"));
    assert_int_equal(get(&amy, "/connect/groups/%lld", open_group), 200);
    assert_true(tc_body_has(&amy, "Cancelled"));
    assert_int_equal(get(&amy, "/connect/events/%lld/event.ics", event_id), 200);
    for (size_t p = 0; p < 5; p++)
        props[p].count = 0;
    ics_parse(amy.res.body, amy.res.len, props, 5);
    assert_string_equal(props[0].value, uid);
    assert_string_equal(props[1].value, "3");
    assert_string_equal(props[3].value, "CANCELLED");
    /* the audit log names the event, as it does a change */
    assert_int_equal(qi("SELECT COUNT(*) FROM audit_log WHERE event = 'connect_event_cancelled' "
                        "AND detail = (SELECT title FROM connect_events WHERE id = $1)",
                        event_id),
                     1);
    /* and then it is settled */
    assert_int_equal(post(&fac, "/connect/events/%lld/cancel", event_id, ""), 409);
    assert_int_equal(post(&fac, "/connect/events/%lld/edit", event_id, form), 409);
    assert_true(tc_body_has(&fac, "This event has been cancelled, so it cannot be changed"));
    assert_int_equal(qi("SELECT sequence FROM connect_events WHERE id = $1", event_id), 3);
    assert_int_equal(
        qi("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'connect_event_%' AND id > $1", 0),
        changes + 3);
}

/* The API's one ISO 8601 date: "date" as 2027-01-15 beside (or instead of) day, month and
 * year; a malformed or impossible one, or one that disagrees with the boxes sent with it, is
 * refused with its reason and nothing is stored or changed. Events come back with their
 * start and end as ISO 8601 in UK time with the offset. */
static void api_event(struct test_client *tc, const char *uri, const char *date_json, int status,
                      const char *field, const char *message)
{
    char body[600];
    snprintf(body, sizeof body,
             "{\"title\": \"Iso meeting\", %s, \"start_time\": \"10:00\", "
             "\"end_time\": \"11:30\", \"place\": \"Room 2\", \"description\": \"Plans\"}",
             date_json);
    assert_int_equal(tc_post_json(tc, uri, body), status);
    if (field) {
        json_t *j = body_json(tc), *msg = json_object_get(json_object_get(j, "errors"), field);
        assert_non_null(msg);
        assert_non_null(strstr(json_string_value(msg), message));
        json_decref(j);
    }
}

static void test_events_iso_date(void **state)
{
    time_t now = time(NULL);
    struct tm tm;
    char uri[100], date[200], want[40];
    int year;
    int64_t before = qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), id;
    json_t *j, *ev;
    (void)state;
    gmtime_r(&now, &tm);
    year = tm.tm_year + 1900 + 2;
    snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/events", (long long)open_group);
    /* malformed, impossible, and two dates that disagree: 400, each saying why */
    api_event(&fac, uri, "\"date\": \"15/01/2029\"", 400, "date",
              "The date of the event must be a real date, written as year, month and day, "
              "like 2027-01-15");
    api_event(&fac, uri, "\"date\": \"2029-1-15\"", 400, "date", "like 2027-01-15");
    api_event(&fac, uri, "\"date\": \"2029-01-15T10:00\"", 400, "date", "like 2027-01-15");
    snprintf(date, sizeof date, "\"date\": \"%d-02-30\"", year);
    api_event(&fac, uri, date, 400, "date", "The date of the event must be a real date");
    snprintf(date, sizeof date, "\"date\": \"%d-13-01\"", year);
    api_event(&fac, uri, date, 400, "date", "The date of the event must be a real date");
    snprintf(date, sizeof date, "\"date\": \"%d-01-15\", \"day\": 16, \"month\": 1, \"year\": %d",
             year, year);
    api_event(&fac, uri, date, 400, "date", "The date of the event is given twice");
    api_event(&fac, uri, "\"date\": \"2001-01-15\"", 400, "day",
              "The date of the event must be in the future");
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), before);
    /* the page says the same for a date typed wrong, and keeps what was typed */
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group,
                          "title=Meet&day=3&month=&year=2030&start_time=10%3A00"
                          "&end_time=11%3A00&place=Leeds&description=x"),
                     400);
    assert_true(tc_body_has(&fac, "The date of the event must include a month"));
    assert_true(tc_body_has(&fac, "href=\"#month\""));
    assert_true(tc_body_has(&fac, "value=\"3\""));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "event form, a month left out") < 2);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), before);
    /* a winter date: GMT, +00:00 */
    snprintf(date, sizeof date, "\"date\": \"%d-01-15\"", year);
    api_event(&fac, uri, date, 201, NULL, NULL);
    j = body_json(&fac);
    ev = json_object_get(j, "event");
    id = json_integer_value(json_object_get(ev, "id"));
    assert_int_equal(json_integer_value(json_object_get(ev, "starts_at")),
                     uk_to_utc(year, 1, 15, 10, 0));
    snprintf(want, sizeof want, "%d-01-15T10:00:00+00:00", year);
    assert_string_equal(json_string_value(json_object_get(ev, "start")), want);
    snprintf(want, sizeof want, "%d-01-15T11:30:00+00:00", year);
    assert_string_equal(json_string_value(json_object_get(ev, "end")), want);
    snprintf(want, sizeof want, "%d-01-15", year);
    assert_string_equal(json_string_value(json_object_get(ev, "date")), want);
    assert_non_null(json_object_get(ev, "when")); /* the fields there were stay */
    json_decref(j);
    /* both sent, the same date: taken */
    snprintf(date, sizeof date,
             "\"date\": \"%d-01-16\", \"day\": \"16\", \"month\": \"1\", "
             "\"year\": \"%d\"",
             year, year);
    api_event(&fac, uri, date, 201, NULL, NULL);
    /* day, month and year alone, a summer date: BST, +01:00, and the event's own page */
    snprintf(date, sizeof date, "\"day\": 15, \"month\": 7, \"year\": %d", year);
    api_event(&fac, uri, date, 201, NULL, NULL);
    j = body_json(&fac);
    snprintf(uri, sizeof uri, "/api/v1/connect/events/%lld",
             (long long)json_integer_value(json_object_get(json_object_get(j, "event"), "id")));
    json_decref(j);
    assert_int_equal(tc_get(&amy, uri), 200);
    j = body_json(&amy);
    ev = json_object_get(j, "event");
    snprintf(want, sizeof want, "%d-07-15T10:00:00+01:00", year);
    assert_string_equal(json_string_value(json_object_get(ev, "start")), want);
    assert_int_equal(json_integer_value(json_object_get(ev, "starts_at")),
                     uk_to_utc(year, 7, 15, 10, 0));
    json_decref(j);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), before + 3);
    /* changing one: a malformed date changes nothing; an ISO date moves it */
    snprintf(uri, sizeof uri, "/api/v1/connect/events/%lld/edit", (long long)id);
    api_event(&fac, uri, "\"date\": \"next tuesday\"", 400, "date", "like 2027-01-15");
    assert_int_equal(qi("SELECT sequence FROM connect_events WHERE id = $1", id), 0);
    assert_int_equal(qi("SELECT starts_at FROM connect_events WHERE id = $1", id),
                     uk_to_utc(year, 1, 15, 10, 0));
    snprintf(date, sizeof date, "\"date\": \"%d-06-01\"", year);
    api_event(&fac, uri, date, 200, NULL, NULL);
    j = body_json(&fac);
    snprintf(want, sizeof want, "%d-06-01T11:30:00+01:00", year);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "event"), "end")),
                        want);
    json_decref(j);
    assert_int_equal(qi("SELECT starts_at FROM connect_events WHERE id = $1", id),
                     uk_to_utc(year, 6, 1, 10, 0));
    /* the group's list carries them too */
    assert_int_equal(get(&amy, "/api/v1/connect/groups/%lld", open_group), 200);
    assert_true(tc_body_has(&amy, want));
    /* taken off again, so that the tests after see the events they made */
    assert_int_equal(
        qi("SELECT COUNT(*) FROM connect_events WHERE title = 'Iso meeting' AND id > $1", 0), 3);
    assert_int_equal(db_exec(db, "DELETE FROM connect_events WHERE title = 'Iso meeting'"), 0);
}

/* A moderator makes a member a moderator and steps one down; members cannot; a group keeps
 * one moderator, and two stepping each other down are taken one after the other. */
static void test_moderators(void **state)
{
    char uri[160];
    int64_t audits = qi("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'connect_moderator_%' "
                        "AND id > $1",
                        0);
    (void)state;
    assert_int_equal(get(&amy, "/connect/groups/%lld/members", open_group), 200);
    assert_false(tc_body_has(&amy, "Make moderator"));
    snprintf(uri, sizeof uri, "/connect/groups/%lld/members/%lld/moderator", (long long)open_group,
             (long long)amy_id);
    assert_int_equal(tc_post_form(&amy, uri, "role=moderator", 1), 403);
    assert_int_equal(get(&fac, "/connect/groups/%lld/members", open_group), 200);
    assert_true(tc_body_has(&fac, "Make moderator"));
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "members") < 2);
    assert_int_equal(tc_post_form(&fac, uri, "role=boss", 1), 400);
    assert_int_equal(tc_post_form(&fac, uri, "role=moderator", 1), 303);
    assert_int_equal(get(&amy, "/connect/groups/%lld/moderate", open_group), 200);
    assert_int_equal(get(&amy, "/connect/groups/%lld/events/new", open_group), 200);
    /* amy steps fac down; fac, no longer a moderator, cannot do the same to amy */
    snprintf(uri, sizeof uri, "/connect/groups/%lld/members/%lld/moderator", (long long)open_group,
             (long long)fac_id);
    assert_int_equal(tc_post_form(&amy, uri, "role=member", 1), 303);
    snprintf(uri, sizeof uri, "/connect/groups/%lld/members/%lld/moderator", (long long)open_group,
             (long long)amy_id);
    assert_int_equal(tc_post_form(&fac, uri, "role=member", 1), 403);
    /* the last moderator stays one */
    assert_int_equal(tc_post_form(&amy, uri, "role=member", 1), 409);
    assert_true(tc_body_has(&amy, "A group needs at least one moderator"));
    /* a member who is not in the group cannot be made one */
    snprintf(uri, sizeof uri, "/connect/groups/%lld/members/%lld/moderator", (long long)open_group,
             (long long)cat_id);
    assert_int_equal(tc_post_form(&amy, uri, "role=moderator", 1), 404);
    /* back as it was, through the API */
    snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/members/%lld/moderator",
             (long long)open_group, (long long)fac_id);
    assert_int_equal(tc_post_json(&amy, uri, "{\"role\": \"moderator\"}"), 200);
    assert_true(tc_body_has(&amy, "\"moderator\""));
    snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/members/%lld/moderator",
             (long long)open_group, (long long)amy_id);
    assert_int_equal(tc_post_json(&fac, uri, "{\"role\": \"member\"}"), 200);
    assert_int_equal(get(&amy, "/connect/groups/%lld/moderate", open_group), 403);
    assert_int_equal(qi("SELECT COUNT(*) FROM audit_log WHERE event LIKE 'connect_moderator_%' "
                        "AND id > $1",
                        0),
                     audits + 4);
}

/* ---- the weekly digest ---- */

static int64_t mails_to(const char *email)
{
    struct db_stmt *st = NULL;
    int64_t v;
    assert_int_equal(db_row(db,
                            "SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 AND kind = "
                            "'connect_digest'",
                            &st, "t", email),
                     0);
    v = db_col_int(st, 0);
    db_finalize(st);
    return v;
}

static void test_digest_once_a_week(void **state)
{
    struct connect_digest_run r;
    struct db *db2;
    /* the middle of next week (Thursday 00:00 UTC), so that the runs an hour or two later
     * are in the same week whatever the day and time the test runs (a Sunday evening's
     * next_week + 2 hours was the week after) */
    int64_t next_week = connect_week_start((int64_t)time(NULL) + 7 * 86400) + 3 * 86400, week;
    char *link = NULL, uri[300];
    (void)state;
    week = connect_week_start(next_week) - 7 * 86400;
    assert_int_equal(connect_week_start(week + 3 * 86400 + 5), week);
    assert_int_equal(connect_week_start(week), week);
    /* cat switches it off */
    assert_int_equal(tc_post_form(&cat, "/connect/digest", "weekly=off", 1), 303);
    assert_int_equal(post(&cat, "/connect/groups/%lld/join", open_group, ""), 303);
    assert_int_equal(tc_post_form(&cat, "/connect/digest", "weekly=maybe", 1), 400);
    /* this week's posts and events go out in next week's run */
    assert_int_equal(
        connect_digest_send(db, app->tpl, "https://hub.example", app->secret, next_week, &r), 0);
    assert_int_equal(r.members, 3); /* fac, amy, ben; cat is off */
    assert_true(r.mailed >= 3);
    assert_int_equal(mails_to("amy@example.test"), 1);
    assert_int_equal(mails_to("ben@example.test"), 1);
    assert_int_equal(mails_to("cat@example.test"), 0);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_digests WHERE week_start = $1", week), 3);
    /* again, and from a second connection as another server would: nothing more */
    assert_int_equal(
        connect_digest_send(db, app->tpl, "https://hub.example", app->secret, next_week + 3600, &r),
        0);
    assert_int_equal(r.members + r.mailed, 0);
    assert_int_equal(db_open(testapp_db_url(), &db2), 0);
    assert_int_equal(connect_digest_send(db2, app->tpl, "https://hub.example", app->secret,
                                         next_week + 7200, &r),
                     0);
    db_close(db2);
    assert_int_equal(r.members + r.mailed, 0);
    assert_int_equal(mails_to("amy@example.test"), 1);
    /* a claim another server made first is respected even when this one saw the member due */
    assert_int_equal(db_run(db,
                            "INSERT INTO connect_digests (user_id, week_start, mail_id, items, "
                            "created_at) VALUES ($1, $2, NULL, 0, 1)",
                            "ii", amy_id, week + 7 * 86400),
                     0);
    assert_int_equal(connect_digest_send(db, app->tpl, "https://hub.example", app->secret,
                                         next_week + 7 * 86400, &r),
                     0);
    assert_int_equal(mails_to("amy@example.test"), 1);
    /* what amy's mail says: ben's reply, the events, and a link to stop it */
    {
        struct db_stmt *st = NULL;
        const char *text, *u, *end;
        assert_int_equal(db_row(db,
                                "SELECT body_text FROM mail_outbox WHERE recipient = $1 AND "
                                "kind = 'connect_digest'",
                                &st, "t", "amy@example.test"),
                         0);
        text = db_col_text(st, 0);
        assert_non_null(strstr(text, "Remote monitoring for pulmonary rehab?"));
        assert_non_null(strstr(text, "Getting CSO training funded"));
        assert_non_null(strstr(text, "Digital leads meeting"));
        u = strstr(text, "https://hub.example/connect/digest/off?");
        assert_non_null(u);
        end = u + strcspn(u, "\r\n ");
        link = strndup(u + strlen("https://hub.example"), (size_t)(end - u) - 19);
        db_finalize(st);
    }
    /* the link works without logging in, after a button press; a forged one does not */
    assert_int_equal(tc_get(&anon, link), 200);
    assert_true(tc_body_has(&anon, "Stop the weekly email"));
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_digest_settings WHERE user_id = $1", amy_id),
                     0); /* opening it changed nothing */
    {
        const char *q = strchr(link, '?') + 1;
        char form[300];
        snprintf(form, sizeof form, "%s", q);
        snprintf(uri, sizeof uri, "/connect/digest/off?member=%lld&token=%064d", (long long)amy_id,
                 0);
        assert_int_equal(tc_get(&anon, uri), 404);
        snprintf(uri, sizeof uri, "/connect/digest/off?member=%lld&token=%s", (long long)ben_id,
                 strstr(link, "token=") + 6);
        assert_int_equal(tc_get(&anon, uri), 404); /* amy's code does not work for ben */
        assert_int_equal(tc_post_form(&anon, "/connect/digest/off", form, 1), 200);
        assert_true(tc_body_has(&anon, "You will not get the weekly email"));
    }
    free(link);
    assert_int_equal(qi("SELECT weekly FROM connect_digest_settings WHERE user_id = $1", amy_id),
                     0);
    /* next week nobody who is off gets one: ben still does */
    assert_int_equal(
        post(&ben, "/connect/threads/%lld/replies", closed_thread, "body=A+reply+for+the+week"),
        303);
    assert_int_equal(connect_digest_send(db, app->tpl, "https://hub.example", app->secret,
                                         next_week + 7 * 86400, &r),
                     0);
    assert_int_equal(mails_to("amy@example.test"), 1);
    assert_int_equal(mails_to("cat@example.test"), 0);
    /* switching it back on, through the API with the form's word (true, a checkbox's answer,
     * is for checkboxes only) */
    assert_int_equal(tc_post_json(&cat, "/api/v1/connect/digest", "{\"weekly\": true}"), 400);
    assert_int_equal(tc_post_json(&cat, "/api/v1/connect/digest", "{\"weekly\": \"on\"}"), 200);
    assert_int_equal(qi("SELECT weekly FROM connect_digest_settings WHERE user_id = $1", cat_id),
                     1);
}

/* ---- data rights ---- */

static void test_data_rights(void **state)
{
    struct test_client dan;
    int64_t dan_id, solo, shared;
    json_t *doc, *part;
    (void)state;
    dan_id = testapp_user(app, "dan@example.test", "member", PW);
    tc_init(&dan, app);
    assert_int_equal(tc_login(&dan, "dan@example.test", PW), 303);
    assert_int_equal(post(&dan, "/connect/groups/%lld/join", open_group, ""), 303);
    assert_int_equal(post(&dan, "/connect/groups/%lld/threads", open_group,
                          "title=Only+mine&body=Nobody+answered+this"),
                     303);
    solo = location_id(&dan, "/connect/threads/%lld");
    assert_int_equal(post(&dan, "/connect/groups/%lld/threads", open_group,
                          "title=Shared+thread&body=Dan+started+this"),
                     303);
    shared = location_id(&dan, "/connect/threads/%lld");
    assert_int_equal(post(&amy, "/connect/threads/%lld/replies", shared, "body=Amy+answers"), 303);
    assert_int_equal(post(&dan, "/connect/posts/%lld/report", amy_reply, "reason=Dan+reports"),
                     303);
    assert_int_equal(tc_get(&dan, "/account/data/download"), 200);
    doc = body_json(&dan);
    part = json_object_get(doc, "connect_groups");
    assert_int_equal(json_array_size(json_object_get(part, "posts")), 2);
    assert_int_equal(json_array_size(json_object_get(part, "group_memberships")), 1);
    assert_int_equal(json_array_size(json_object_get(part, "reports_made")), 1);
    assert_non_null(json_object_get(part, "digest_setting"));
    json_decref(doc);
    assert_int_equal(
        tc_post_form(&dan, "/account/delete", "password=correct+horse+battery&confirm=1", 1), 200);
    /* the thread only dan wrote is gone; in the other, dan's post stays without text or name */
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_threads WHERE id = $1", solo), 0);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE thread_id = $1", shared), 2);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE thread_id = $1 AND state = "
                        "'deleted' AND body = '' AND author_id IS NULL",
                        shared),
                     1);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_post_reports WHERE reporter_id = $1", dan_id),
                     0);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_post_reports WHERE reason = 'Dan reports' "
                        "AND reporter_id IS NULL AND post_id = $1",
                        amy_reply),
                     1);
    assert_int_equal(get(&amy, "/connect/threads/%lld", shared), 200);
    assert_true(tc_body_has(&amy, "Deleted member"));
    assert_true(tc_body_has(&amy, "This post was removed when its author closed their account."));
    assert_false(tc_body_has(&amy, "Dan started this"));
    assert_true(tc_body_has(&amy, "Amy answers"));
    /* the group's list of discussions says a former member started it, never the first one
     * still there to have replied */
    assert_int_equal(get(&amy, "/api/v1/connect/groups/%lld", open_group), 200);
    doc = body_json(&amy);
    part = NULL;
    for (size_t i = 0; i < json_array_size(json_object_get(doc, "threads")); i++) {
        json_t *t = json_array_get(json_object_get(doc, "threads"), i);
        if (json_integer_value(json_object_get(t, "id")) == shared)
            part = t;
    }
    assert_non_null(part);
    assert_string_equal(json_string_value(json_object_get(part, "started_by")), "A former member");
    json_decref(doc);
    tc_free(&dan);
}

/* On the morning the clocks go forward, 01:00 to 01:59 never show on a UK clock: an event
 * typed then is refused at the box with the reason (not a "done already" error from the
 * database), both times at once when both fall there, and nothing is stored; a time either
 * side is taken, as is 01:30 on the morning the clocks go back. */
static void test_events_at_the_clock_change(void **state)
{
    time_t now = time(NULL);
    struct tm tm, day = {0};
    char form[400];
    int year, spring;
    int64_t before = qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0);
    json_t *j, *e;
    (void)state;
    gmtime_r(&now, &tm);
    year = tm.tm_year + 1900 + 1;
    day.tm_year = year - 1900;
    day.tm_mon = 2;
    day.tm_mday = 31;
    day.tm_hour = 12;
    timegm(&day);
    spring = 31 - day.tm_wday; /* the last Sunday of March */
    snprintf(form, sizeof form,
             "title=Early&day=%d&month=3&year=%d&start_time=01%%3A30&end_time=02%%3A30"
             "&place=Leeds&description=x",
             spring, year);
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group, form), 400);
    assert_true(tc_body_has(&fac, "so there is no 01:30 that day: enter a time before 01:00 or "
                                  "from 02:00"));
    assert_true(tc_body_has(&fac, "href=\"#start_time\""));
    assert_false(tc_body_has(&fac, "no 02:30"));
    assert_true(tc_body_has(&fac, "value=\"01:30\"")); /* what was typed stays */
    assert_true(testapp_tidy(fac.res.body, fac.res.len, "event in the skipped hour") < 2);
    snprintf(form, sizeof form,
             "{\"title\": \"Early\", \"date\": \"%d-03-%02d\", \"start_time\": \"01:10\", "
             "\"end_time\": \"01:50\", \"place\": \"Leeds\", \"description\": \"x\"}",
             year, spring);
    {
        char uri[80];
        snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/events", (long long)open_group);
        assert_int_equal(tc_post_json(&fac, uri, form), 400);
    }
    j = body_json(&fac);
    e = json_object_get(j, "errors");
    assert_non_null(strstr(json_string_value(json_object_get(e, "start_time")), "no 01:10"));
    assert_non_null(strstr(json_string_value(json_object_get(e, "end_time")), "no 01:50"));
    json_decref(j);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_events WHERE id > $1", 0), before);
    /* either side of the skipped hour: from 00:30 GMT to 02:30 BST is one hour */
    snprintf(form, sizeof form,
             "title=Early&day=%d&month=3&year=%d&start_time=00%%3A30&end_time=02%%3A30"
             "&place=Leeds&description=x",
             spring, year);
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group, form), 303);
    assert_int_equal(qi("SELECT ends_at - starts_at FROM connect_events WHERE id = $1",
                        location_id(&fac, "/connect/events/%lld")),
                     3600);
    /* the autumn morning's 01:30 happens (twice) and is taken */
    day.tm_mon = 9;
    day.tm_mday = 31;
    timegm(&day);
    snprintf(form, sizeof form,
             "title=Late&day=%d&month=10&year=%d&start_time=01%%3A30&end_time=02%%3A30"
             "&place=Leeds&description=x",
             31 - day.tm_wday, year);
    assert_int_equal(post(&fac, "/connect/groups/%lld/events", open_group, form), 303);
}

/* Every page of the journey passes tidy. */
static void test_pages_pass_tidy(void **state)
{
    char uri[200];
    const char *pages[] = {"/connect/groups",
                           "/connect/groups/new",
                           "/connect/groups/%lld",
                           "/connect/groups/%lld/members",
                           "/connect/groups/%lld/threads/new",
                           "/connect/groups/%lld/moderate",
                           "/connect/groups/%lld/events/new"};
    (void)state;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        snprintf(uri, sizeof uri, pages[i], (long long)open_group);
        assert_int_equal(tc_get(&fac, uri), 200);
        assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    }
    snprintf(uri, sizeof uri, "/connect/threads/%lld", (long long)open_thread);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    snprintf(uri, sizeof uri, "/connect/events/%lld", (long long)event_id);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    snprintf(uri, sizeof uri, "/connect/posts/%lld", (long long)amy_reply);
    assert_int_equal(tc_get(&fac, uri), 200);
    assert_true(testapp_tidy(fac.res.body, fac.res.len, uri) < 2);
    assert_int_equal(tc_get(&ben, uri), 200);
    assert_true(testapp_tidy(ben.res.body, ben.res.len, uri) < 2);
    snprintf(uri, sizeof uri, "/connect/groups/%lld", (long long)closed_group);
    assert_int_equal(tc_get(&cat, uri), 200);
    assert_true(testapp_tidy(cat.res.body, cat.res.len, uri) < 2);
}

/* A write whose database calls fail answers 503 and leaves nothing half-written. */
static void test_failed_writes_write_nothing(void **state)
{
    int64_t before = qi("SELECT COUNT(*) FROM connect_posts WHERE id > $1", 0);
    int64_t threads = qi("SELECT COUNT(*) FROM connect_threads WHERE id > $1", 0);
    int status = 0, calls = 0;
    (void)state;
    for (long n = 1; n < 200; n++) {
        db_fault_after(n);
        status = post(&ben, "/connect/groups/%lld/threads", open_group,
                      "title=Fault+thread&body=Fault+body");
        db_fault_after(0);
        if (status != 503)
            break;
        assert_true(tc_body_has(&ben, "Try again") || tc_body_has(&ben, "try again"));
        assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id > $1", 0), before);
        assert_int_equal(qi("SELECT COUNT(*) FROM connect_threads WHERE id > $1", 0), threads);
        calls++;
    }
    assert_int_equal(status, 303);
    assert_true(calls > 3);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id > $1", 0), before + 1);

    /* a moderator's decision: the post, its reports, the log and the audit entry together */
    assert_int_equal(post(&ben, "/connect/posts/%lld/report", amy_reply, "reason=Off+topic"), 303);
    {
        int64_t logged = qi("SELECT COUNT(*) FROM connect_moderation_log WHERE id > $1", 0);
        int64_t audited = qi("SELECT COUNT(*) FROM audit_log WHERE id > $1", 0);
        int64_t open = qi("SELECT COUNT(*) FROM connect_post_reports WHERE post_id = $1 AND "
                          "resolved_at = 0",
                          amy_reply);
        assert_true(open >= 1);
        calls = 0;
        for (long n = 1; n < 200; n++) {
            db_fault_after(n);
            status = post(&fac, "/connect/posts/%lld/hide", amy_reply, "reason=Off+topic");
            db_fault_after(0);
            if (status != 503)
                break;
            assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = "
                                "'visible'",
                                amy_reply),
                             1);
            assert_int_equal(qi("SELECT COUNT(*) FROM connect_post_reports WHERE post_id = $1 "
                                "AND resolved_at = 0",
                                amy_reply),
                             open);
            assert_int_equal(qi("SELECT COUNT(*) FROM connect_moderation_log WHERE id > $1", 0),
                             logged);
            assert_int_equal(qi("SELECT COUNT(*) FROM audit_log WHERE id > $1", 0), audited);
            calls++;
        }
        assert_int_equal(status, 303);
        assert_true(calls > 3);
        assert_int_equal(qi("SELECT COUNT(*) FROM connect_moderation_log WHERE id > $1", 0),
                         logged + 1);
    }
}

/* A digest run whose database calls fail in turn: whatever it managed is whole — every row
 * written has its mail and every mail its row — and a run afterwards finishes the week with
 * nobody mailed twice. */
static void test_digest_failures_leave_nothing_half_done(void **state)
{
    struct connect_digest_run r;
    int64_t when = (int64_t)time(NULL) + 35 * 86400, week = connect_week_start(when) - 7 * 86400;
    int failures = 0, rc = 1;
    (void)state;
    /* something new in that week for everyone: a post dated in it */
    assert_int_equal(db_run(db,
                            "INSERT INTO connect_posts (thread_id, author_id, body, state, "
                            "created_at) VALUES ($1, NULL, 'From the past', 'visible', $2)",
                            "ii", open_thread, week + 3600),
                     0);
    for (long n = 1; n < 400 && rc; n++) {
        db_fault_after(n);
        rc = connect_digest_send(db, app->tpl, "https://hub.example", app->secret, when, &r);
        db_fault_after(0);
        if (rc) {
            failures++;
            assert_int_equal(rc, APP_E_DB);
        }
        assert_int_equal(qi("SELECT COUNT(*) FROM connect_digests d WHERE d.week_start = $1 AND "
                            "(d.mail_id IS NULL OR NOT EXISTS (SELECT 1 FROM mail_outbox m "
                            "WHERE m.id = d.mail_id))",
                            week),
                         0);
        assert_int_equal(qi("SELECT COUNT(*) FROM mail_outbox m WHERE m.kind = 'connect_digest' "
                            "AND m.created_at > $1 AND NOT EXISTS (SELECT 1 FROM "
                            "connect_digests d WHERE d.mail_id = m.id)",
                            0),
                         0);
    }
    assert_int_equal(rc, 0);
    assert_true(failures > 3);
    /* every member with the digest on has the week once */
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_digests WHERE week_start = $1", week),
                     qi("SELECT COUNT(DISTINCT m.user_id) FROM connect_group_members m WHERE "
                        "NOT EXISTS (SELECT 1 FROM connect_digest_settings s WHERE s.user_id = "
                        "m.user_id AND s.weekly = 0) AND m.group_id > $1",
                        0));
}

/* Two servers running the same week's digest at the same moment, each on its own
 * connection: every member's week is mailed once. */
struct racer {
    int64_t when;
    int rc;
    struct connect_digest_run r;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    struct db *own;
    x->rc = db_open(testapp_db_url(), &own);
    if (x->rc)
        return NULL;
    x->rc = connect_digest_send(own, app->tpl, "https://hub.example", app->secret, x->when, &x->r);
    db_close(own);
    return NULL;
}

static void test_digest_two_servers_at_once(void **state)
{
    struct racer a = {0}, b = {0};
    pthread_t ta, tb;
    int64_t when = (int64_t)time(NULL) + 70 * 86400, week = connect_week_start(when) - 7 * 86400;
    int64_t before = qi("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'connect_digest' AND "
                        "id > $1",
                        0);
    (void)state;
    assert_int_equal(db_run(db,
                            "INSERT INTO connect_posts (thread_id, author_id, body, state, "
                            "created_at) VALUES ($1, NULL, 'Raced', 'visible', $2)",
                            "ii", open_thread, week + 7200),
                     0);
    a.when = b.when = when;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.rc, 0);
    assert_int_equal(b.rc, 0);
    /* between them every due member was done once; no member twice (the loser of each race
     * counts it as skipped: r.skipped) */
    print_message("# digest race: %d and %d members, %d and %d skipped\n", a.r.members, b.r.members,
                  a.r.skipped, b.r.skipped);
    assert_true(a.r.members + b.r.members > 0);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_digests WHERE week_start = $1", week),
                     a.r.members + b.r.members);
    assert_int_equal(qi("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'connect_digest' AND "
                        "id > $1",
                        0),
                     before + a.r.mailed + b.r.mailed);
    assert_int_equal(qi("SELECT COUNT(*) FROM (SELECT recipient FROM mail_outbox m JOIN "
                        "connect_digests d ON d.mail_id = m.id WHERE d.week_start = $1 "
                        "GROUP BY recipient HAVING COUNT(*) > 1) x",
                        week),
                     0);
}

/* A group's discussions come 20 to a page, most recently active first. */
static void test_discussions_in_pages(void **state)
{
    char uri[120], body[120];
    int64_t total = qi("SELECT COUNT(*) FROM connect_threads WHERE group_id = $1", open_group);
    json_t *j;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/threads", (long long)open_group);
    for (int i = 0; total < 23; i++, total++) {
        snprintf(body, sizeof body, "{\"title\": \"Paged %d\", \"body\": \"B\"}", i);
        assert_int_equal(tc_post_json(&amy, uri, body), 201);
    }
    assert_int_equal(get(&amy, "/api/v1/connect/groups/%lld", open_group), 200);
    j = body_json(&amy);
    assert_int_equal(json_array_size(json_object_get(j, "threads")), 20);
    assert_int_equal(json_integer_value(json_object_get(j, "threads_total")), total);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "pagination"), "pages")),
                     2);
    json_decref(j);
    assert_int_equal(get(&amy, "/api/v1/connect/groups/%lld?page=2", open_group), 200);
    j = body_json(&amy);
    assert_int_equal(json_array_size(json_object_get(j, "threads")), total - 20);
    json_decref(j);
    assert_int_equal(get(&amy, "/connect/groups/%lld?page=2", open_group), 200);
    assert_true(tc_body_has(&amy, "Page 2 of 2"));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "discussions, page 2") < 2);
}

/* An image in a post is a link with its description, on the page and in the API's html: no
 * reader's browser loads an address the writer chose (a tracking pixel). Inside a link, only
 * the description stays. */
static void test_images_become_links(void **state)
{
    char uri[120];
    int64_t id;
    json_t *j, *posts;
    const char *html;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/connect/threads/%lld/replies", (long long)closed_thread);
    assert_int_equal(
        tc_post_json(&amy, uri,
                     "{\"body\": \"Our chart: ![admissions by week]"
                     "(https://tracker.example/pixel.gif \\\"Week 3\\\") and "
                     "![](https://tracker.example/blank.png) and "
                     "[![logo](https://tracker.example/logo.png)](https://nhs.uk/)\"}"),
        201);
    j = body_json(&amy);
    id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(id > 0);
    assert_int_equal(get(&ben, "/api/v1/connect/threads/%lld", closed_thread), 200);
    j = body_json(&ben);
    posts = json_object_get(j, "posts");
    html = json_string_value(
        json_object_get(json_array_get(posts, json_array_size(posts) - 1), "html"));
    assert_non_null(html);
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(html, "<a href=\"https://tracker.example/pixel.gif\" title=\"Week 3\">"
                                 "admissions by week</a>"));
    assert_non_null(strstr(html, "<a href=\"https://tracker.example/blank.png\">"
                                 "https://tracker.example/blank.png</a>"));
    assert_non_null(strstr(html, "<a href=\"https://nhs.uk/\">logo</a>"));
    json_decref(j);
    assert_int_equal(get(&ben, "/connect/threads/%lld", closed_thread), 200);
    assert_false(tc_body_has(&ben, "<img"));
    assert_true(tc_body_has(&ben, "admissions by week</a>"));
    assert_true(testapp_tidy(ben.res.body, ben.res.len, "a thread with images") < 2);
}

/* The author, and only the author, changes or deletes their own post. An edit shows
 * "edited" and stays in the moderators' queue while a report is open; a hidden post cannot
 * be edited back into view, only deleted; a deleted post's text is gone from the database,
 * its reports are closed, and the thread and its replies stay, a deleted starter too. */
static void test_authors_edit_and_delete_posts(void **state)
{
    char uri[120];
    int64_t mine, later, starter;
    json_t *j, *p;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/connect/threads/%lld/replies", (long long)closed_thread);
    assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Original wording here\"}"), 201);
    j = body_json(&amy);
    mine = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_int_equal(tc_post_json(&ben, uri, "{\"body\": \"Ben answers after\"}"), 201);
    j = body_json(&ben);
    later = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    /* nobody else may change or delete it, the group's moderator included: 404 */
    assert_int_equal(get(&ben, "/connect/posts/%lld/edit", mine), 404);
    assert_int_equal(post(&ben, "/connect/posts/%lld/edit", mine, "body=Ben+was+here"), 404);
    assert_int_equal(post(&fac, "/connect/posts/%lld/edit", mine, "body=Fac+was+here"), 404);
    assert_int_equal(get(&fac, "/connect/posts/%lld/delete", mine), 404);
    assert_int_equal(post(&ben, "/connect/posts/%lld/delete", mine, ""), 404);
    snprintf(uri, sizeof uri, "/api/v1/connect/posts/%lld/delete", (long long)mine);
    assert_int_equal(tc_post_json(&fac, uri, "{}"), 404);
    assert_int_equal(post(&cat, "/connect/posts/%lld/delete", mine, ""), 404);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND body = "
                        "'Original wording here' AND state = 'visible' AND edited_at = 0",
                        mine),
                     1);
    /* the thread offers its author the links; not to others */
    assert_int_equal(get(&amy, "/connect/threads/%lld", closed_thread), 200);
    snprintf(uri, sizeof uri, "/connect/posts/%lld/edit", (long long)mine);
    assert_true(tc_body_has(&amy, uri));
    assert_int_equal(get(&ben, "/connect/threads/%lld", closed_thread), 200);
    assert_false(tc_body_has(&ben, uri));
    /* the form holds the text; a mistake keeps what was typed and changes nothing */
    assert_int_equal(get(&amy, "/connect/posts/%lld/edit", mine), 200);
    assert_true(tc_body_has(&amy, "Original wording here"));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "editing a post") < 2);
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=+"), 400);
    assert_true(tc_body_has(&amy, "Enter your message"));
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=Patient+943+476+5919"),
                     400);
    assert_true(tc_body_has(&amy, "Remove the NHS number"));
    assert_true(tc_body_has(&amy, "Patient 943 476 5919"));
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=Changed+**wording**"), 303);
    assert_int_equal(get(&ben, "/connect/threads/%lld", closed_thread), 200);
    assert_true(tc_body_has(&ben, "Changed <strong>wording</strong>"));
    assert_true(tc_body_has(&ben, " · edited "));
    assert_false(tc_body_has(&ben, "Original wording"));
    /* reported, then changed: the moderators read the new text, still waiting for them */
    assert_int_equal(post(&ben, "/connect/posts/%lld/report", mine, "reason=Off+topic"), 303);
    snprintf(uri, sizeof uri, "/api/v1/connect/posts/%lld/edit", (long long)mine);
    assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Third version\"}"), 200);
    j = body_json(&amy);
    p = json_object_get(j, "post");
    assert_true(json_is_true(json_object_get(p, "edited")));
    assert_true(json_is_integer(json_object_get(p, "edited_at")));
    assert_string_equal(json_string_value(json_object_get(p, "text")), "Third version");
    json_decref(j);
    assert_int_equal(get(&fac, "/connect/groups/%lld/moderate", closed_group), 200);
    assert_true(tc_body_has(&fac, "Third version"));
    assert_true(tc_body_has(&fac, "Changed by its author after it was reported."));
    assert_int_equal(
        qi("SELECT COUNT(*) FROM connect_post_reports WHERE post_id = $1 AND resolved_at = 0",
           mine),
        1);
    /* hidden: its author cannot edit it back into view, but may delete it */
    assert_int_equal(post(&fac, "/connect/posts/%lld/hide", mine, "reason=Off+topic"), 303);
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=Innocent+now"), 409);
    assert_true(tc_body_has(&amy, "A moderator has hidden this post"));
    assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Innocent now\"}"), 409);
    assert_int_equal(get(&amy, "/connect/posts/%lld/edit", mine), 409);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = 'hidden' "
                        "AND body = 'Third version'",
                        mine),
                     1);
    /* deleting asks first, then removes the text from the database */
    assert_int_equal(get(&amy, "/connect/posts/%lld/delete", mine), 200);
    assert_true(tc_body_has(&amy, "you cannot undo this"));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "deleting a post") < 2);
    assert_int_equal(post(&amy, "/connect/posts/%lld/delete", mine, ""), 303);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = 'deleted' "
                        "AND body = '' AND deleted_at > 0",
                        mine),
                     1);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE thread_id = $1 AND (body LIKE "
                        "'%Third version%' OR body LIKE '%Original wording%')",
                        closed_thread),
                     0);
    assert_int_equal(post(&amy, "/connect/posts/%lld/delete", mine, ""), 409);
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=Back"), 409);
    assert_int_equal(get(&ben, "/connect/threads/%lld", closed_thread), 200);
    assert_true(tc_body_has(&ben, "This post was deleted by its author."));
    assert_true(tc_body_has(&ben, "Ben answers after"));
    assert_false(tc_body_has(&ben, "Third version"));
    assert_int_equal(get(&fac, "/connect/threads/%lld", closed_thread), 200);
    assert_false(tc_body_has(&fac, "Third version")); /* moderators see no text either */
    /* a reported post its author deletes leaves the queue: nothing is left to decide */
    assert_int_equal(post(&amy, "/connect/posts/%lld/report", later, "reason=Rude"), 303);
    snprintf(uri, sizeof uri, "/api/v1/connect/posts/%lld/delete", (long long)later);
    assert_int_equal(tc_post_json(&ben, uri, "{}"), 200);
    j = body_json(&ben);
    p = json_object_get(j, "post");
    assert_true(json_is_true(json_object_get(p, "deleted_by_author")));
    assert_true(json_is_null(json_object_get(p, "text")));
    assert_string_equal(json_string_value(json_object_get(p, "deleted_text")),
                        "This post was deleted by its author.");
    json_decref(j);
    assert_int_equal(get(&fac, "/api/v1/connect/groups/%lld", closed_group), 200);
    j = body_json(&fac);
    assert_int_equal(json_integer_value(json_object_get(j, "reports_waiting")), 0);
    json_decref(j);
    /* a deleted first post keeps its thread and the replies */
    starter = qi("SELECT MIN(id) FROM connect_posts WHERE thread_id = $1", closed_thread);
    assert_int_equal(post(&ben, "/connect/posts/%lld/delete", starter, ""), 303);
    assert_int_equal(get(&amy, "/api/v1/connect/threads/%lld", closed_thread), 200);
    j = body_json(&amy);
    p = json_array_get(json_object_get(j, "posts"), 0);
    assert_true(json_is_true(json_object_get(p, "deleted")));
    assert_string_equal(json_string_value(json_object_get(p, "author")), "Ben Member");
    assert_true(json_array_size(json_object_get(j, "posts")) >= 4);
    json_decref(j);
}

/* The weekly digest leaves out a discussion whose only post its author deleted, and names the
 * one still there (it quotes no post's text, so an edit needs nothing more): the group's
 * moderator reads of the one and not the other. */
static void test_digest_leaves_deleted_posts_out(void **state)
{
    struct connect_digest_run r;
    int64_t week = connect_week_start((int64_t)time(NULL) + 30 * 7 * 86400), kept, gone, first;
    struct db_stmt *st = NULL;
    char uri[120];
    json_t *j;
    (void)state;
    snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/threads", (long long)closed_group);
    assert_int_equal(
        tc_post_json(&amy, uri, "{\"title\": \"Kept discussion\", \"body\": \"Still here\"}"), 201);
    j = body_json(&amy);
    kept = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_int_equal(
        tc_post_json(&ben, uri, "{\"title\": \"Vanishing discussion\", \"body\": \"Gone soon\"}"),
        201);
    j = body_json(&ben);
    gone = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    first = qi("SELECT MIN(id) FROM connect_posts WHERE thread_id = $1", gone);
    assert_int_equal(post(&ben, "/connect/posts/%lld/delete", first, ""), 303);
    /* the posts fall in a week of their own, then that week's digest goes */
    assert_int_equal(db_run(db,
                            "UPDATE connect_posts SET created_at = $1 WHERE thread_id = $2 OR "
                            "thread_id = $3",
                            "iii", week + 86400, kept, gone),
                     0);
    assert_int_equal(connect_digest_send(db, app->tpl, "https://hub.example", app->secret,
                                         week + 10 * 86400, &r),
                     0);
    assert_int_equal(db_row(db,
                            "SELECT body_text FROM mail_outbox WHERE recipient = $1 AND kind = "
                            "'connect_digest' ORDER BY id DESC LIMIT 1",
                            &st, "t", "fac@example.test"),
                     0);
    assert_non_null(strstr(db_col_text(st, 0), "Kept discussion"));
    assert_null(strstr(db_col_text(st, 0), "Vanishing discussion"));
    db_finalize(st);
}

/* The id in the JSON answer of a post just made. */
static int64_t posted_id(struct test_client *tc)
{
    json_t *j = body_json(tc);
    int64_t id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(id > 0);
    return id;
}

/* The left_posts entry for post id on the member's groups page (API), or NULL; *j holds the
 * answer (the caller releases it). */
static json_t *left_post(struct test_client *tc, int64_t id, json_t **j)
{
    size_t i;
    json_t *p;
    assert_int_equal(tc_get(tc, "/api/v1/connect/groups"), 200);
    *j = body_json(tc);
    json_array_foreach(json_object_get(*j, "left_posts"), i, p)
    {
        if (json_integer_value(json_object_get(p, "id")) == id)
            return p;
    }
    return NULL;
}

/* A member who leaves a group keeps the right to change or delete what they wrote there,
 * without joining again: the groups page lists their posts in groups they have left, shown
 * as a discussion shows them (Markdown rendered), and the edit and delete pages and API
 * answer them. In a members-only group they still read nothing else — not the thread,
 * anyone's replies, nor the title of a discussion someone else started; the title of one
 * they started is their own words, shown (as their data download gives it), unlinked. A
 * hidden post still cannot be edited back into view, only deleted; nobody else gains
 * anything. */
static void test_authors_keep_their_posts_after_leaving(void **state)
{
    char uri[160], loc_want[160];
    int64_t theirs, mine, starter, open_mine;
    json_t *j, *p;
    char *dump;
    (void)state;
    /* Ben's discussion in the members-only group, with Amy's reply and Fac's after it; a
     * discussion Amy started there; and a reply of hers in the open group */
    snprintf(uri, sizeof uri, "/api/v1/connect/groups/%lld/threads", (long long)closed_group);
    assert_int_equal(tc_post_json(&ben, uri,
                                  "{\"title\": \"Private planning B\", \"body\": \"Ben plans "
                                  "quietly\"}"),
                     201);
    theirs = posted_id(&ben);
    assert_int_equal(tc_post_json(&amy, uri,
                                  "{\"title\": \"Amy asks the group\", \"body\": \"Amy starts "
                                  "**this**\"}"),
                     201);
    starter = qi("SELECT MIN(id) FROM connect_posts WHERE thread_id = $1", posted_id(&amy));
    snprintf(uri, sizeof uri, "/api/v1/connect/threads/%lld/replies", (long long)theirs);
    assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Amy wrote this reply\"}"), 201);
    mine = posted_id(&amy);
    assert_int_equal(tc_post_json(&fac, uri, "{\"body\": \"Fac answers Amy\"}"), 201);
    snprintf(uri, sizeof uri, "/api/v1/connect/threads/%lld/replies", (long long)open_thread);
    assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Amy in the open group\"}"), 201);
    open_mine = posted_id(&amy);
    /* nothing to list while she is in both groups */
    assert_null(left_post(&amy, mine, &j));
    json_decref(j);
    assert_int_equal(post(&amy, "/connect/groups/%lld/leave", closed_group, ""), 303);
    assert_int_equal(post(&amy, "/connect/groups/%lld/leave", open_group, ""), 303);
    /* the members-only discussion stays closed to her */
    assert_int_equal(get(&amy, "/connect/threads/%lld", theirs), 404);
    assert_int_equal(get(&amy, "/api/v1/connect/threads/%lld", theirs), 404);
    assert_int_equal(get(&amy, "/connect/posts/%lld", mine), 404);
    /* the groups page lists her posts there, with the links, and nothing of anyone else's */
    assert_int_equal(tc_get(&amy, "/connect/groups"), 200);
    assert_true(tc_body_has(&amy, "Your posts in groups you have left"));
    assert_true(tc_body_has(&amy, "Amy wrote this reply"));
    assert_true(tc_body_has(&amy, "Amy starts <strong>this</strong>")); /* as Markdown */
    assert_false(tc_body_has(&amy, "**this**"));
    snprintf(uri, sizeof uri, "/connect/posts/%lld/edit", (long long)mine);
    assert_true(tc_body_has(&amy, uri));
    snprintf(uri, sizeof uri, "/connect/posts/%lld/delete", (long long)mine);
    assert_true(tc_body_has(&amy, uri));
    assert_false(tc_body_has(&amy, "Private planning B"));
    /* the title of the discussion she started is hers, and shown; not linked */
    assert_true(tc_body_has(&amy, " · Amy asks the group · "));
    snprintf(uri, sizeof uri, "/connect/threads/%lld",
             (long long)qi("SELECT thread_id FROM "
                           "connect_posts WHERE id = $1",
                           starter));
    assert_false(tc_body_has(&amy, uri));
    assert_false(tc_body_has(&amy, "Fac answers Amy"));
    assert_false(tc_body_has(&amy, "Ben plans quietly"));
    snprintf(uri, sizeof uri, "/connect/threads/%lld#post-%lld", (long long)open_thread,
             (long long)open_mine); /* in an open group her post is linked in its place */
    assert_true(tc_body_has(&amy, uri));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "groups with posts left behind") < 2);
    p = left_post(&amy, mine, &j);
    assert_non_null(p);
    assert_true(json_is_null(json_object_get(p, "thread_title")));
    assert_true(json_is_null(json_object_get(p, "thread_url")));
    assert_true(json_is_false(json_object_get(p, "started_thread")));
    assert_true(json_is_true(json_object_get(p, "members_only")));
    assert_int_equal(json_integer_value(json_object_get(p, "group_id")), closed_group);
    assert_string_equal(json_string_value(json_object_get(p, "text")), "Amy wrote this reply");
    assert_true(json_is_integer(json_object_get(p, "posted_at")));
    assert_non_null(json_string_value(json_object_get(p, "edit_url")));
    dump = json_dumps(j, 0);
    assert_null(strstr(dump, "Private planning B"));
    assert_null(strstr(dump, "Fac answers Amy"));
    free(dump);
    json_decref(j);
    p = left_post(&amy, starter, &j);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "thread_title")),
                        "Amy asks the group");
    assert_true(json_is_null(json_object_get(p, "thread_url")));
    assert_true(json_is_true(json_object_get(p, "started_thread")));
    assert_string_equal(json_string_value(json_object_get(p, "text")), "Amy starts **this**");
    assert_non_null(
        strstr(json_string_value(json_object_get(p, "html")), "Amy starts <strong>this</strong>"));
    assert_non_null(strstr(json_string_value(json_object_get(p, "excerpt_html")),
                           "Amy starts <strong>this</strong>"));
    json_decref(j);
    /* her data download has her posts, and the titles of discussions she can still read
     * only: not that of Ben's members-only one, which another member wrote */
    assert_int_equal(tc_get(&amy, "/account/data/download"), 200);
    assert_true(tc_body_has(&amy, "Amy wrote this reply"));
    assert_false(tc_body_has(&amy, "Private planning B"));
    assert_true(tc_body_has(&amy, "Amy asks the group")); /* her own discussion's title */
    /* her post's pages show her post alone and lead back to that list */
    assert_int_equal(get(&amy, "/connect/posts/%lld/edit", mine), 200);
    assert_true(tc_body_has(&amy, "Amy wrote this reply"));
    assert_true(tc_body_has(&amy, "You have left"));
    assert_true(tc_body_has(&amy, "href=\"/connect/groups#left-posts\""));
    assert_false(tc_body_has(&amy, "Private planning B"));
    assert_false(tc_body_has(&amy, "Fac answers Amy"));
    snprintf(uri, sizeof uri, "/connect/threads/%lld", (long long)theirs);
    assert_false(tc_body_has(&amy, uri));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "editing a post in a group left") < 2);
    assert_int_equal(get(&amy, "/connect/posts/%lld/delete", mine), 200);
    assert_true(tc_body_has(&amy, "Amy wrote this reply"));
    assert_false(tc_body_has(&amy, "Private planning B"));
    assert_false(tc_body_has(&amy, "Fac answers Amy"));
    assert_false(tc_body_has(&amy, uri));
    assert_true(testapp_tidy(amy.res.body, amy.res.len, "deleting a post in a group left") < 2);
    assert_int_equal(get(&amy, "/api/v1/connect/posts/%lld/edit", mine), 200);
    dump = json_dumps((j = body_json(&amy)), 0);
    assert_null(strstr(dump, "Private planning B"));
    assert_null(strstr(dump, "Fac answers Amy"));
    assert_true(json_is_null(json_object_get(j, "thread_title")));
    free(dump);
    json_decref(j);
    /* she changes it; a mistake keeps what she typed; then back to her list */
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=Patient+943+476+5919"),
                     400);
    assert_true(tc_body_has(&amy, "Patient 943 476 5919"));
    assert_false(tc_body_has(&amy, "Private planning B"));
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", mine, "body=Amy+changed+her+reply"),
                     303);
    snprintf(loc_want, sizeof loc_want, "/connect/groups#left-posts");
    assert_string_equal(lb_header(&amy.res, "Location"), loc_want);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND body = "
                        "'Amy changed her reply' AND edited_at > 0",
                        mine),
                     1);
    snprintf(uri, sizeof uri, "/api/v1/connect/posts/%lld/edit", (long long)mine);
    assert_int_equal(tc_post_json(&amy, uri, "{\"body\": \"Amy third take\"}"), 200);
    dump = json_dumps((j = body_json(&amy)), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "post"), "text")),
                        "Amy third take");
    assert_null(strstr(dump, "Fac answers Amy"));
    free(dump);
    json_decref(j);
    /* still hers alone: members, non-members and moderators get 404 */
    assert_int_equal(get(&ben, "/connect/posts/%lld/edit", mine), 404);
    assert_int_equal(post(&fac, "/connect/posts/%lld/edit", mine, "body=Fac+was+here"), 404);
    assert_int_equal(post(&cat, "/connect/posts/%lld/delete", mine, ""), 404);
    /* the page to change the post that started her discussion names it: its title is hers */
    assert_int_equal(get(&amy, "/connect/posts/%lld/edit", starter), 200);
    assert_true(tc_body_has(&amy, "Amy asks the group"));
    assert_int_equal(get(&amy, "/api/v1/connect/posts/%lld/edit", starter), 200);
    j = body_json(&amy);
    assert_string_equal(json_string_value(json_object_get(j, "thread_title")),
                        "Amy asks the group");
    assert_true(json_is_null(json_object_get(j, "thread_url")));
    json_decref(j);
    /* hidden by a moderator: not to be edited back into view, but hers to delete */
    assert_int_equal(post(&fac, "/connect/posts/%lld/hide", starter, "reason=Off+topic"), 303);
    assert_int_equal(post(&amy, "/connect/posts/%lld/edit", starter, "body=Innocent"), 409);
    assert_true(tc_body_has(&amy, "A moderator has hidden this post"));
    p = left_post(&amy, starter, &j);
    assert_non_null(p);
    assert_true(json_is_true(json_object_get(p, "hidden")));
    assert_true(json_is_null(json_object_get(p, "text")));
    assert_null(json_object_get(p, "edit_url"));
    json_decref(j);
    assert_int_equal(tc_get(&amy, "/connect/groups"), 200);
    assert_true(tc_body_has(&amy, "A moderator has hidden this post. You can delete it."));
    assert_int_equal(get(&amy, "/connect/posts/%lld/delete", starter), 200);
    assert_int_equal(post(&amy, "/connect/posts/%lld/delete", starter, ""), 303);
    assert_string_equal(lb_header(&amy.res, "Location"), loc_want);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = 'deleted' "
                        "AND body = ''",
                        starter),
                     1);
    snprintf(uri, sizeof uri, "/api/v1/connect/posts/%lld/delete", (long long)mine);
    assert_int_equal(tc_post_json(&amy, uri, "{}"), 200);
    assert_int_equal(qi("SELECT COUNT(*) FROM connect_posts WHERE id = $1 AND state = 'deleted' "
                        "AND body = ''",
                        mine),
                     1);
    /* deleted posts leave the list; the one in the open group stays, in its discussion */
    assert_null(left_post(&amy, mine, &j));
    json_decref(j);
    assert_null(left_post(&amy, starter, &j));
    json_decref(j);
    p = left_post(&amy, open_mine, &j);
    assert_non_null(p);
    assert_non_null(json_string_value(json_object_get(p, "thread_title")));
    json_decref(j);
    assert_int_equal(get(&amy, "/connect/posts/%lld/edit", open_mine), 200);
    assert_true(tc_body_has(&amy, "Back to the discussion"));
    assert_int_equal(post(&amy, "/connect/groups/%lld/join", closed_group, ""), 303);
    assert_int_equal(post(&amy, "/connect/groups/%lld/join", open_group, ""), 303);
    assert_null(left_post(&amy, open_mine, &j)); /* in the group again: nothing left behind */
    json_decref(j);
}

static int setup(void **state)
{
    (void)state;
    app = testapp_new();
    if (db_open(testapp_db_url(), &db))
        return -1;
    fac_id = testapp_user(app, "fac@example.test", "facilitator", PW);
    amy_id = testapp_user(app, "amy@example.test", "member", PW);
    ben_id = testapp_user(app, "ben@example.test", "member", PW);
    cat_id = testapp_user(app, "cat@example.test", "member", PW);
    db_run(db, "UPDATE users SET display_name = 'Amy Member' WHERE id = $1", "i", amy_id);
    db_run(db, "UPDATE users SET display_name = 'Ben Member' WHERE id = $1", "i", ben_id);
    db_run(db, "UPDATE users SET display_name = 'Cat Member' WHERE id = $1", "i", cat_id);
    tc_init(&fac, app);
    tc_init(&amy, app);
    tc_init(&ben, app);
    tc_init(&cat, app);
    tc_init(&anon, app);
    if (tc_login(&fac, "fac@example.test", PW) != 303 ||
        tc_login(&amy, "amy@example.test", PW) != 303 ||
        tc_login(&ben, "ben@example.test", PW) != 303 ||
        tc_login(&cat, "cat@example.test", PW) != 303)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tc_free(&fac);
    tc_free(&amy);
    tc_free(&ben);
    tc_free(&cat);
    tc_free(&anon);
    db_close(db);
    testapp_free(app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_groups),
        cmocka_unit_test(test_join_and_leave),
        cmocka_unit_test(test_threads_and_replies),
        cmocka_unit_test(test_members_only_visibility),
        cmocka_unit_test(test_report_and_moderate),
        cmocka_unit_test(test_events_and_ics),
        cmocka_unit_test(test_events_change_and_cancel),
        cmocka_unit_test(test_events_iso_date),
        cmocka_unit_test(test_events_at_the_clock_change),
        cmocka_unit_test(test_moderators),
        cmocka_unit_test(test_digest_once_a_week),
        cmocka_unit_test(test_digest_failures_leave_nothing_half_done),
        cmocka_unit_test(test_digest_two_servers_at_once),
        cmocka_unit_test(test_data_rights),
        cmocka_unit_test(test_pages_pass_tidy),
        cmocka_unit_test(test_failed_writes_write_nothing),
        cmocka_unit_test(test_discussions_in_pages),
        cmocka_unit_test(test_images_become_links),
        cmocka_unit_test(test_authors_edit_and_delete_posts),
        cmocka_unit_test(test_digest_leaves_deleted_posts_out),
        cmocka_unit_test(test_authors_keep_their_posts_after_leaving),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
