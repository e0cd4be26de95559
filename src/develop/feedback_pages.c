/* feedback_pages.c: a member's 360° feedback — asking for it from a self-assessment, adding
 * raters, reminding, closing, and reading the report once closed
 *
 * Everything here is the member's own: a request is found by id and owner together, so
 * another member's id answers 404. The links made for raters are mailed to them; without a
 * mail server they are shown once instead, on the answer to the form that made them (and in
 * the JSON of that answer), for the member to send on (links_answer). Only their hashes are
 * stored.
 * What the member may see of who answered follows feedback.h, rule 7: while open, invited
 * per group and answers in all only when 0 or >= 3; after closing, the report's cells.
 */
#include "develop/feedback.h"
#include "develop/pages.h"
#include "account/links.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uktime.h"
#include "web/date_input.h"
#include "web/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define FORM_ROWS 6 /* empty rater rows on a form */

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

static const char *const GROUP_LABELS[FG_COUNT] = {"Line manager", "Peer", "Direct report",
                                                   "Other"};

/* ---- the closing date: NHS.UK day, month and year inputs (or "closes" from the API) ---- */

/* The closing date's fields. No field of its own for the messages: each goes on the box it
 * is about (the Day box for the whole date, as the error summary links to the first box of
 * a date input), or on "closes" when the API's ISO value is wrong. */
static const struct date_input_names closes_date = {.day = "closes-day",
                                                    .month = "closes-month",
                                                    .year = "closes-year",
                                                    .iso = "closes",
                                                    .id = "closes"};

/* Reads the closing date into *closes_at (midnight after the chosen day, UTC), adding an
 * error when it is missing, not a date, not after today or too far ahead. */
static bool read_closing(struct ctx *c, int64_t now, int64_t *closes_at)
{
    int64_t day = 0;
    const char *why = NULL, *iso = req_field(c->req, "closes");
    /* a day, month or year the request layer refused keeps its own message, alone */
    if (!date_input_field_as(c->req, &closes_date, "The closing date", "Enter the closing date",
                             &day))
        return false;
    if (day < uk_today(now) + 86400)
        why = "The closing date must be after today";
    else if (day > uk_today(now) + (int64_t)FEEDBACK_MAX_DAYS * 86400)
        why = "The closing date must be within 90 days";
    if (why) {
        req_add_error(c->req, iso && *iso ? "closes" : "closes-day", why);
        return false;
    }
    *closes_at = day + 86400; /* open until the end of the closing day */
    return true;
}

/* ---- raters from the form (email.N, group.N) or the API ("raters": [{email, group}]) ---- */

/* Checks rater i (from 1) and adds them to list: their own address, an address given twice
 * and a group that is not one are refused under their row's names (the form's email.N and
 * group.N, the API's raters.N for both), each with every other mistake. The domain refuses
 * the first two as well (feedback_invite), but one at a time and for the request as a whole. */
static bool add_rater(struct ctx *c, int i, const char *e, int g, const char *en, const char *gn,
                      struct feedback_rater *list, size_t *n)
{
    if (c->user && c->user->email && !strcasecmp(e, c->user->email)) {
        req_add_error(
            c->req, en,
            arena_printf(c->arena, "Rater %d: %s is your own address; ask other people", i, e));
        return false;
    }
    for (size_t k = 0; k < *n; k++)
        if (!strcasecmp(list[k].email, e)) {
            req_add_error(c->req, en,
                          arena_printf(c->arena, "Rater %d: %s is in the list twice", i, e));
            return false;
        }
    if (g < 0) {
        req_add_error(c->req, gn,
                      arena_printf(c->arena, "Rater %d: choose how they work with you", i));
        return false;
    }
    list[*n].email = e;
    list[(*n)++].group = (enum feedback_group)g;
    return true;
}

/* A JSON body's rater rows that would be passed over unread: "email.N" or "group.N" whose N
 * is not a row number (1 to FEEDBACK_MAX_RATERS, written plainly), rows sent beside a
 * "raters" list, and a "raters" that is not a list. Each gets an error naming it, as the
 * request layer does for a member no route takes ("email.*" in routes.def cannot know the
 * rows). A form sends its own rows only. */
static bool refuse_unread_raters(struct ctx *c)
{
    json_t *arr = json_object_get(c->req->json, "raters"), *v;
    const char *key, *msg;
    bool ok = true;
    if (arr && !json_is_array(arr)) {
        req_add_error(c->req, "raters", "Send the raters as a list of email and group");
        ok = false;
    }
    json_object_foreach(c->req->json, key, v)
    {
        const char *row = !strncmp(key, "email.", 6)   ? key + 6
                          : !strncmp(key, "group.", 6) ? key + 6
                                                       : NULL;
        char *end;
        long i;
        (void)v;
        if (!row)
            continue;
        i = row[0] >= '1' && row[0] <= '9' ? strtol(row, &end, 10) : 0;
        if (arr)
            msg = "Send the raters either as a list or as numbered rows, not both";
        else if (i < 1 || i > FEEDBACK_MAX_RATERS || *end)
            msg = arena_printf(c->arena, "There is no rater row \"%s\": rows are numbered 1 to %d",
                               row, FEEDBACK_MAX_RATERS);
        else
            continue;
        if (!msg || req_add_error(c->req, key, msg))
            return false;
        ok = false;
    }
    return ok;
}

static bool read_raters(struct ctx *c, struct feedback_rater **out, size_t *n)
{
    json_t *arr = c->req->json ? json_object_get(c->req->json, "raters") : NULL;
    struct feedback_rater *list = arena_calloc(c->arena, FEEDBACK_MAX_RATERS + 1, sizeof *list);
    bool ok = true;
    *n = 0;
    *out = list;
    if (!list)
        return false;
    if (c->req->json && !refuse_unread_raters(c))
        return false;
    if (json_is_array(arr)) {
        size_t i;
        json_t *v;
        if (json_array_size(arr) > FEEDBACK_MAX_RATERS) {
            req_add_error(c->req, "raters", "A request can have at most 40 raters");
            return false;
        }
        json_array_foreach(arr, i, v)
        {
            const char *e = json_string_value(json_object_get(v, "email"));
            int g = feedback_group_parse(json_string_value(json_object_get(v, "group")));
            const char *key = arena_printf(c->arena, "raters.%zu", i + 1);
            char *low;
            if (!key)
                return false;
            if (!e || !*e || !(low = arena_strdup(c->arena, e)) || g < 0) {
                req_add_error(c->req, key,
                              arena_printf(c->arena,
                                           "Rater %zu: give an email address and a group "
                                           "(manager, peer, report or other)",
                                           i + 1));
                ok = false;
                continue;
            }
            for (char *p = low; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p - 'A' + 'a');
            ok &= add_rater(c, (int)i + 1, low, g, key, key, list, n);
        }
        return ok;
    }
    for (int i = 1; i <= FEEDBACK_MAX_RATERS; i++) {
        const char *en = arena_printf(c->arena, "email.%d", i);
        const char *gn = arena_printf(c->arena, "group.%d", i);
        const char *e = en ? req_field(c->req, en) : NULL, *gv = gn ? req_field(c->req, gn) : NULL;
        if (!en || !gn)
            return false;
        if (req_error(c->req, en)) {
            ok = false;
            continue;
        }
        if (!e || !*e)
            continue; /* an empty row, whatever its group says */
        ok &= add_rater(c, i, e, feedback_group_parse(gv), en, gn, list, n);
    }
    return ok;
}

/* The form's rater rows: what was typed (after an error, refused addresses included) and
 * empty ones. */
static json_t *rater_rows(struct ctx *c)
{
    json_t *rows = json_array();
    int last = 0;
    for (int i = 1; i <= FEEDBACK_MAX_RATERS; i++) {
        const char *e = req_typed(c->req, arena_printf(c->arena, "email.%d", i));
        if ((e && *e) || req_error(c->req, arena_printf(c->arena, "email.%d", i)))
            last = i;
    }
    if (last < FORM_ROWS)
        last = FORM_ROWS;
    for (int i = 1; rows && i <= last; i++) {
        const char *en = arena_printf(c->arena, "email.%d", i);
        const char *gn = arena_printf(c->arena, "group.%d", i);
        const char *gv = gn ? req_field(c->req, gn) : NULL;
        json_t *opts = json_array(), *o;
        for (int g = 0; opts && g < FG_COUNT; g++) {
            json_t *x = jobj(json_object(), "value", jstr(feedback_group_code(g)));
            x = jobj(x, "label", jstr(GROUP_LABELS[g]));
            x = jobj(x, "selected", jbool(gv ? !strcmp(gv, feedback_group_code(g)) : g == FG_PEER));
            if (!push(opts, x)) {
                json_decref(opts);
                opts = NULL;
            }
        }
        o = jobj(json_object(), "number", jint(i));
        o = jobj(o, "email_name", jstr(en));
        o = jobj(o, "group_name", jstr(gn));
        o = jobj(o, "email", jstr(en ? req_typed(c->req, en) : ""));
        o = jobj(o, "email_error", jstr(en ? req_error(c->req, en) : NULL));
        o = jobj(o, "group_error", jstr(gn ? req_error(c->req, gn) : NULL));
        o = jobj(o, "groups", opts);
        if (!push(rows, o)) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

/* ---- asking for feedback ---- */

static json_t *new_model(struct ctx *c, const struct develop_self *s)
{
    int64_t dflt = (int64_t)time(NULL) + 21 * 86400;
    json_t *m;
    char hint[160];
    snprintf(hint, sizeof hint,
             "Raters can answer until the end of this day, at most %d days from now. For "
             "example, 21 12 2026",
             FEEDBACK_MAX_DAYS);
    m = jobj(json_object(), "title", json_string_nocheck("Ask for 360° feedback"));
    m = jobj(m, "self", develop_page_self_json(s));
    m = jobj(m, "closing",
             date_input_json_as(c->req, &closes_date, "Closing date", hint, dflt - dflt % 86400));
    m = jobj(m, "raters_error", jstr(req_error(c->req, "raters")));
    return jobj(m, "rows", rater_rows(c));
}

/* The submitted self-assessment the path's :id names. */
static int load_submitted(struct ctx *c, struct develop_self *s)
{
    int64_t id = develop_page_param(c, "id");
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if ((rc = develop_self_get(c->db, c->arena, id, c->user->id, s)))
        return rc;
    if (!s->submitted_at) {
        render_error(c, APP_E_CONFLICT,
                     "Submit your self-assessment first: raters answer the same statements.");
        return APP_E_CONFLICT;
    }
    return APP_OK;
}

int page_develop_feedback_new(struct ctx *c)
{
    struct develop_self s;
    int rc = load_submitted(c, &s);
    if (rc)
        return rc == APP_E_CONFLICT ? APP_OK : rc;
    return render(c, 200, "develop/feedback_new", new_model(c, &s));
}

/* The answer to the form that made the links. With a mail server, each link goes to its rater
 * alone and the member is never shown it: a member holding working links could answer through
 * two of them and read the third rater's answers from the group's figures, or answer first
 * and have the real rater's answer dropped (the first submission stands). Without one, mail
 * waits unsent, so the links are shown, once, for the member to send on: the only way the
 * raters can answer. */
static int links_answer(struct ctx *c, int64_t id, const struct feedback_link *links, size_t n,
                        bool created)
{
    json_t *arr = json_array(), *m;
    bool mailed = app_sends_mail(&c->app->cfg);
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "email", jstr(links[i].email));
        o = jobj(o, "group", jstr(feedback_group_code(links[i].group)));
        o = jobj(o, "group_label", jstr(GROUP_LABELS[links[i].group]));
        o = jobj(o, "number", jint((long long)i + 1));
        if (!mailed) {
            o = jobj(o, "link",
                     jstr(arena_printf(c->arena, "%s/feedback/%s", c->app->cfg.base_url,
                                       links[i].token)));
            o = jobj(o, "path", jstr(arena_printf(c->arena, "/feedback/%s", links[i].token)));
        }
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    m = jobj(json_object(), "title",
             json_string_nocheck(created ? "Your request for feedback has been sent"
                                         : "Your raters have been invited"));
    m = jobj(m, "id", jint(id));
    m = jobj(m, "created", jbool(created));
    m = jobj(m, "path", jstr(arena_printf(c->arena, "/develop/feedback/%lld", (long long)id)));
    m = jobj(m, "count", jint((long long)n));
    m = jobj(m, "links_shown", jbool(!mailed));
    return render(c, 201, "develop/feedback_links", jobj(m, "raters", arr));
}

static struct link_mailer mailer_of(struct ctx *c)
{
    return (struct link_mailer){c->app->tpl, c->app->cfg.base_url, !app_sends_mail(&c->app->cfg)};
}

int page_develop_feedback_create(struct ctx *c)
{
    struct develop_self s;
    struct feedback_rater *raters;
    struct feedback_link *links;
    struct link_mailer m = mailer_of(c);
    int64_t now = (int64_t)time(NULL), closes_at = 0, id = 0;
    const char *why = NULL;
    size_t n;
    int rc = load_submitted(c, &s);
    if (rc)
        return rc == APP_E_CONFLICT ? APP_OK : rc;
    read_closing(c, now, &closes_at);
    if (!read_raters(c, &raters, &n))
        ;
    else if (!n)
        req_add_error(c->req, "email.1", "Enter the email address of at least one rater");
    if (c->req->nerrors)
        return render_invalid(c, "develop/feedback_new", new_model(c, &s));
    if (!(links = arena_calloc(c->arena, n, sizeof *links)))
        return APP_E_NOMEM;
    rc = feedback_request_create(c->db, c->arena, &m, c->user->id, s.id, closes_at, raters, n, now,
                                 &id, links, &why);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "raters", why ? why : "Check the closing date and the raters");
        return render_invalid(c, "develop/feedback_new", new_model(c, &s));
    }
    if (rc)
        return rc;
    return links_answer(c, id, links, n, true);
}

/* ---- a request: its state while open, its report once closed ---- */

/* The request the path's :id names, if it is the member's. */
static int load_request(struct ctx *c, int64_t now, struct feedback_request *r)
{
    int64_t id = develop_page_param(c, "id");
    if (!id)
        return APP_E_NOTFOUND;
    return feedback_request_get(c->db, id, c->user->id, now, r);
}

/* "21 December 2026": the last day a request closing at closes_at takes answers. */
static const char *last_day_text(struct ctx *c, int64_t closes_at)
{
    json_t *j = jdate(closes_at - 1);
    const char *s = j ? arena_strdup(c->arena, json_string_value(j)) : NULL;
    json_decref(j);
    return s ? s : "";
}

/* A request as lists and pages show it; rule 7 for the counts. */
static json_t *request_json(struct ctx *c, const struct feedback_request *r)
{
    json_t *groups = json_array(), *o;
    int invited = 0;
    for (int g = 0; groups && g < FG_COUNT; g++) {
        json_t *x;
        invited += r->invited[g];
        if (!r->invited[g])
            continue;
        x = jobj(json_object(), "group", jstr(feedback_group_code(g)));
        x = jobj(x, "title", jstr(feedback_cell_title((enum feedback_cell)g)));
        x = jobj(x, "invited", jint(r->invited[g]));
        if (!push(groups, x)) {
            json_decref(groups);
            groups = NULL;
        }
    }
    o = jobj(json_object(), "id", jint(r->id));
    o = jobj(o, "path", jstr(arena_printf(c->arena, "/develop/feedback/%lld", (long long)r->id)));
    o = jobj(o, "self_id", jint(r->self_id));
    o = jobj(o, "created", jdate(r->created_at));
    o = jobj(o, "closes", jstr(last_day_text(c, r->closes_at)));
    o = jobj(o, "closes_at", jint(r->closes_at));
    o = jobj(o, "is_open", jbool(!r->closed));
    o = jobj(o, "closed", jdate(r->closed_on));
    o = jobj(o, "closed_early", jbool(r->closed_at != 0));
    o = jobj(o, "invited", jint(invited));
    o = jobj(o, "invited_groups", groups);
    /* rule 7: answers in all only when 0 or at least 3 */
    if (r->answered == 0 || r->answered >= FEEDBACK_MIN_GROUP) {
        o = jobj(o, "answered", jint(r->answered));
        o = jobj(o, "answered_text",
                 jstr(arena_printf(c->arena, "%d %s answered", r->answered,
                                   r->answered == 1 ? "has" : "have")));
    } else {
        o = jobj(o, "answered", json_null());
        o = jobj(o, "answered_reason", json_string_nocheck("fewer than 3"));
        o = jobj(o, "answered_text", json_string_nocheck("Fewer than 3 have answered so far"));
    }
    return o;
}

static json_t *figure_json(struct ctx *c, const struct feedback_figure *f)
{
    json_t *o = jobj(json_object(), "shown", jbool(f->shown));
    if (f->shown) {
        o = jobj(o, "mean", develop_page_num(f->mean, 2));
        o = jobj(o, "text", jstr(develop_page_text(c, f->mean, false)));
        o = jobj(o, "n", jint(f->n));
    } else {
        o = jobj(o, "mean", json_null());
        o = jobj(o, "reason", json_string_nocheck("too few answers to show"));
        o = jobj(o, "text", json_string_nocheck("–"));
    }
    return o;
}

/* The figures of one row (a domain or a behaviour) for the cells shown. */
static json_t *cells_json(struct ctx *c, const struct feedback_report *rep, bool domain, size_t i)
{
    json_t *arr = json_array();
    for (int k = 0; arr && k < FC_COUNT; k++) {
        json_t *o;
        if (!rep->cell_shown[k])
            continue;
        o = figure_json(c, domain ? feedback_domain(rep, i, k) : feedback_behaviour(rep, i, k));
        o = jobj(o, "cell", jstr(k == FC_ALL ? "all" : feedback_group_code(k)));
        o = jobj(o, "title", jstr(feedback_cell_title(k)));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* Self against the cell compared with (report_json: "all raters except you", or the line
 * manager when theirs is the only cell shown): the gap, and a sentence when it is a blind spot
 * (they rated lower by FEEDBACK_MARGIN or more) or a hidden strength (higher). who names them
 * at the start of a sentence ("Others"), whom inside one ("others"). */
static json_t *gap_json(struct ctx *c, json_t *o, const char *title, bool self_ok, double self,
                        const struct feedback_figure *others, const char *who, const char *whom,
                        json_t *blind, json_t *hidden)
{
    double gap;
    if (!self_ok || !others->shown) {
        o = jobj(o, "gap", json_null());
        return jobj(o, "gap_text", json_string_nocheck("–"));
    }
    gap = round((others->mean - self) * 100) / 100;
    o = jobj(o, "gap", develop_page_num(gap, 2));
    o = jobj(o, "gap_text", jstr(gap == 0 ? "0" : develop_page_text(c, gap, true)));
    if (gap <= -FEEDBACK_MARGIN) {
        o = jobj(o, "blind_spot", jbool(1));
        if (blind)
            push(blind, jstr(arena_printf(c->arena,
                                          "%s rated “%s” %s below your own rating (you %s, %s %s).",
                                          who, title, develop_page_text(c, -gap, false),
                                          develop_page_text(c, self, false), whom,
                                          develop_page_text(c, others->mean, false))));
    } else if (gap >= FEEDBACK_MARGIN) {
        o = jobj(o, "hidden_strength", jbool(1));
        if (hidden)
            push(hidden,
                 jstr(arena_printf(
                     c->arena, "%s rated “%s” %s above your own rating (you %s, %s %s).", who,
                     title, develop_page_text(c, gap, false), develop_page_text(c, self, false),
                     whom, develop_page_text(c, others->mean, false))));
    }
    return o;
}

static json_t *texts_json(const char **list, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (!push(arr, jstr(list[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

static json_t *report_json(struct ctx *c, const struct develop_framework *fw,
                           const struct feedback_report *rep, const struct feedback_request *req)
{
    json_t *m = json_object(), *cells = json_array(), *doms = json_array(), *blind = json_array(),
           *hidden = json_array(), *texts = json_array(), *notshown = json_array();
    bool any = false;
    size_t compared = 0;
    /* What the member's view is set against: all raters; or, when the line manager's is the
     * only cell shown (the others too few: rule 3), the line manager, said as such; or
     * nothing. A summary over "all raters" when they are not shown would say every area agrees
     * with nobody's figures behind it. */
    int with = rep->cell_shown[FC_ALL] ? FC_ALL : rep->cell_shown[FC_MANAGER] ? FC_MANAGER : -1;
    const char *who = with == FC_MANAGER ? "Your line manager" : "Others";
    const char *whom = with == FC_MANAGER ? "your line manager" : "others";
    for (int k = 0; cells && k < FC_COUNT; k++) {
        json_t *o;
        if (!rep->cell_shown[k])
            continue;
        any = true;
        o = jobj(json_object(), "cell", jstr(k == FC_ALL ? "all" : feedback_group_code(k)));
        o = jobj(o, "title", jstr(feedback_cell_title(k)));
        o = jobj(o, "n", jint(rep->cell_n[k]));
        if (!push(cells, o)) {
            json_decref(cells);
            cells = NULL;
        }
    }
    /* groups asked and not shown on their own: never why (0, 1–2 or folded), so a count is
     * not told */
    for (int g = FG_PEER; notshown && g < FG_COUNT; g++)
        if (req->invited[g] && !rep->cell_shown[g])
            push(notshown, jstr(feedback_cell_title(g)));
    for (size_t d = 0; doms && d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        json_t *o = jobj(json_object(), "id", jstr(dm->id)), *items = json_array();
        o = jobj(o, "number", jint((long long)d + 1));
        o = jobj(o, "title", jstr(dm->title));
        o = jobj(o, "self",
                 rep->self[d].scored ? develop_page_num(rep->self[d].mean, 2) : json_null());
        o = jobj(o, "self_text",
                 jstr(rep->self[d].scored ? develop_page_text(c, rep->self[d].mean, false)
                                          : "Not rated"));
        o = jobj(o, "cells", cells_json(c, rep, true, d));
        o = jobj(o, "others", figure_json(c, feedback_domain(rep, d, FC_ALL)));
        o = gap_json(c, o, dm->title, rep->self[d].scored, rep->self[d].mean,
                     feedback_domain(rep, d, with < 0 ? FC_ALL : with), who, whom, blind, hidden);
        compared += with >= 0 && rep->self[d].scored && feedback_domain(rep, d, with)->shown;
        for (size_t i = 0; items && i < dm->nbehaviours; i++) {
            size_t b = dm->first + i;
            int sv = feedback_self_rating(rep, b);
            json_t *y = jobj(json_object(), "id", jstr(dm->behaviours[i].id));
            y = jobj(y, "statement", jstr(dm->behaviours[i].statement));
            y = jobj(y, "self", sv ? jint(sv) : json_null());
            y = jobj(y, "self_text", jstr(sv ? arena_printf(c->arena, "%d", sv) : "–"));
            y = jobj(y, "cells", cells_json(c, rep, false, b));
            y = gap_json(c, y, dm->behaviours[i].statement, sv > 0, sv,
                         feedback_behaviour(rep, b, with < 0 ? FC_ALL : with), who, whom, NULL,
                         NULL);
            if (!push(items, y)) {
                json_decref(items);
                items = NULL;
            }
        }
        o = jobj(o, "behaviours", items);
        if (!push(doms, o)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    for (int k = 0; texts && k < FC_COUNT; k++) {
        json_t *o;
        if (!rep->nstrengths[k] && !rep->ndifferently[k])
            continue;
        o = jobj(json_object(), "cell", jstr(k == FC_ALL ? "fold" : feedback_group_code(k)));
        o = jobj(o, "title",
                 jstr(k == FC_ALL ? "Raters in groups too small to show on their own"
                                  : feedback_cell_title(k)));
        o = jobj(o, "strengths", texts_json(rep->strengths[k], rep->nstrengths[k]));
        o = jobj(o, "differently", texts_json(rep->differently[k], rep->ndifferently[k]));
        o = jobj(o, "has_strengths", jbool(rep->nstrengths[k] > 0));
        o = jobj(o, "has_differently", jbool(rep->ndifferently[k] > 0));
        if (!push(texts, o)) {
            json_decref(texts);
            texts = NULL;
        }
    }
    {
        /* sizes first: jobj takes the arrays */
        size_t nbl = json_array_size(blind), nhi = json_array_size(hidden);
        size_t ntx = json_array_size(texts), nns = json_array_size(notshown);
        m = jobj(m, "any", jbool(any));
        m = jobj(m, "cells", cells);
        m = jobj(m, "domains", doms);
        m = jobj(m, "blind_spots", blind);
        m = jobj(m, "hidden_strengths", hidden);
        m = jobj(m, "has_gaps", jbool(nbl + nhi > 0));
        m = jobj(m, "has_blind", jbool(nbl > 0));
        m = jobj(m, "has_hidden", jbool(nhi > 0));
        m = jobj(m, "has_texts", jbool(ntx > 0));
        m = jobj(m, "texts", texts);
        m = jobj(m, "not_shown", notshown);
        m = jobj(m, "has_not_shown", jbool(nns > 0));
    }
    m = jobj(m, "compared_with",
             with < 0 ? json_null() : jstr(with == FC_ALL ? "all" : feedback_group_code(with)));
    m = jobj(m, "compared_areas", jint((long long)compared));
    m = jobj(m, "areas", jint((long long)fw->ndomains));
    m = jobj(m, "none_compared", jbool(compared == 0));
    m = jobj(m, "by_manager", jbool(with == FC_MANAGER));
    m = jobj(m, "who", jstr(who));
    m = jobj(m, "whom", jstr(whom));
    m = jobj(m, "margin", develop_page_num(FEEDBACK_MARGIN, 1));
    m = jobj(m, "scale_max", jint((long long)fw->scale.npoints));
    return jobj(m, "framework", jstr(fw->title));
}

static json_t *show_model(struct ctx *c, const struct feedback_request *r, int64_t now, int *rc)
{
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Your 360° feedback"));
    m = jobj(m, "request", request_json(c, r));
    m = jobj(m, "remind_ok", jbool(!r->reminded_at || now - r->reminded_at >= FEEDBACK_REMIND_GAP));
    m = jobj(m, "remind_by_mail", jbool(app_sends_mail(&c->app->cfg)));
    m = jobj(m, "reminded", jdate(r->reminded_at));
    *rc = APP_OK;
    if (r->closed) {
        struct feedback_request again;
        struct develop_framework fw;
        struct feedback_report rep;
        *rc = feedback_report_load(c->db, c->arena, r->id, c->user->id, now, &again, &fw, &rep);
        if (*rc) {
            json_decref(m);
            return NULL;
        }
        m = jobj(m, "report", report_json(c, &fw, &rep, r));
    } else {
        m = jobj(m, "rows", rater_rows(c));
    }
    return m;
}

int page_develop_feedback_show(struct ctx *c)
{
    struct feedback_request r;
    int64_t now = (int64_t)time(NULL);
    json_t *m;
    int rc = load_request(c, now, &r);
    if (rc)
        return rc;
    m = show_model(c, &r, now, &rc);
    if (rc)
        return rc;
    return render(c, 200, "develop/feedback_request", m);
}

int page_develop_feedback_list(struct ctx *c)
{
    struct feedback_request *list;
    struct develop_self *selves;
    size_t n, ns;
    int64_t now = (int64_t)time(NULL), latest = 0;
    json_t *arr, *m;
    int rc = feedback_request_list(c->db, c->arena, c->user->id, now, &list, &n);
    if (!rc)
        rc = develop_self_list(c->db, c->arena, c->user->id, &selves, &ns);
    if (rc)
        return rc;
    for (size_t i = 0; i < ns && !latest; i++)
        if (selves[i].submitted_at)
            latest = selves[i].id;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (!push(arr, request_json(c, &list[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Your 360° feedback"));
    m = jobj(m, "requests", arr);
    m = jobj(m, "has_requests", jbool(n > 0));
    m = jobj(m, "latest_self", latest ? jint(latest) : json_null());
    return render(c, 200, "develop/feedback_list", m);
}

int page_develop_feedback_invite(struct ctx *c)
{
    struct feedback_request r;
    struct feedback_rater *raters;
    struct feedback_link *links;
    struct link_mailer ml = mailer_of(c);
    int64_t now = (int64_t)time(NULL);
    const char *why = NULL;
    size_t n;
    int rc = load_request(c, now, &r);
    if (rc)
        return rc;
    if (r.closed) {
        render_error(c, APP_E_CONFLICT, "This request has closed, so no more raters can be asked.");
        return APP_OK;
    }
    if (read_raters(c, &raters, &n) && !n)
        req_add_error(c->req, "email.1", "Enter the email address of at least one rater");
    if (!c->req->nerrors) {
        if (!(links = arena_calloc(c->arena, n, sizeof *links)))
            return APP_E_NOMEM;
        rc = feedback_invite(c->db, c->arena, &ml, c->user->id, r.id, raters, n, now, links, &why);
        if (rc == APP_E_CONFLICT) {
            render_error(c, rc, "This request has closed, so no more raters can be asked.");
            return APP_OK;
        }
        if (rc == APP_E_INVALID)
            req_add_error(c->req, "raters", why ? why : "Check the raters");
        else if (rc)
            return rc;
        else
            return links_answer(c, r.id, links, n, false);
    }
    {
        json_t *m = show_model(c, &r, now, &rc);
        if (rc)
            return rc;
        m = jobj(m, "raters_error", jstr(req_error(c->req, "raters")));
        return render_invalid(c, "develop/feedback_request", m);
    }
}

int page_develop_feedback_remind(struct ctx *c)
{
    struct feedback_request r;
    struct link_mailer ml = mailer_of(c);
    int64_t now = (int64_t)time(NULL);
    int sent = 0, rc = load_request(c, now, &r);
    if (rc)
        return rc;
    rc = feedback_remind(c->db, &ml, r.id, c->user->id, now, &sent);
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, APP_E_CONFLICT,
                     "This service has no mail server set up, so it cannot send reminders. "
                     "Remind your raters yourself, with the links you sent them: they still "
                     "work.");
        return APP_OK;
    }
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "This request has closed, so there is no one to remind.");
        return APP_OK;
    }
    if (rc == APP_E_LIMIT) {
        render_error(c, rc,
                     "You sent a reminder less than a day ago. You can send another "
                     "one tomorrow.");
        return APP_OK;
    }
    if (rc)
        return rc;
    /* rule 7: never how many, which would tell who has answered; the API's answer is the
     * documented one, not the page's model */
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "reminded", jbool(1)));
    if ((rc = load_request(c, now, &r)))
        return rc;
    {
        json_t *m = show_model(c, &r, now, &rc);
        if (rc)
            return rc;
        return render(c, 200, "develop/feedback_request", jobj(m, "reminded_now", jbool(1)));
    }
}

int page_develop_feedback_close(struct ctx *c)
{
    struct feedback_request r;
    int64_t now = (int64_t)time(NULL);
    int rc = load_request(c, now, &r);
    if (rc)
        return rc;
    rc = feedback_request_close(c->db, r.id, c->user->id, now);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "This request has closed already.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "closed", jbool(1)), "id", jint(r.id)));
    return resp_redirect(c, arena_printf(c->arena, "/develop/feedback/%lld", (long long)r.id));
}

int page_develop_feedback_delete(struct ctx *c)
{
    struct feedback_request r;
    int64_t now = (int64_t)time(NULL);
    int rc = load_request(c, now, &r);
    if (rc)
        return rc;
    if (!req_field_bool(c->req, "confirm")) {
        json_t *m = show_model(c, &r, now, &rc);
        if (rc)
            return rc;
        req_add_error(c->req, "confirm", "Tick the box to confirm that you want to delete it");
        return render_invalid(c, "develop/feedback_request", m);
    }
    rc = feedback_request_delete(c->db, r.id, c->user->id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "deleted", jbool(1)));
    return resp_redirect(c, "/develop/feedback");
}
