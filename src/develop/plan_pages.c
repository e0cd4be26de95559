/* plan_pages.c: a member's development plan — the plan, its goals and its activities, added
 * from the catalogue (one click from a recommendation) or described by the member, moved
 * through their statuses and reflected on when done
 *
 * Everything is the member's own and found with its owner (plan.h), so another member's ids
 * answer 404. A form with a mistake comes back with everything as typed and each problem
 * named at its field; nothing is stored until all of it is right.
 */
#include "develop/pages.h"
#include "develop/measured.h"
#include "develop/plan.h"
#include "app.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/str.h"
#include "web/date_input.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

/* The member's goals and activities, and the frameworks' areas, as most pages need them. */
struct plan {
    struct develop_goal *goals;
    size_t ngoals;
    struct develop_plan_item *items;
    size_t nitems;
    struct develop_area_sources sources;
};

static int load_plan(struct ctx *c, struct plan *p)
{
    int rc = develop_goal_list(c->db, c->arena, c->user->id, &p->goals, &p->ngoals);
    if (!rc)
        rc = develop_item_list(c->db, c->arena, c->user->id, &p->items, &p->nitems);
    if (!rc)
        rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &p->sources);
    return rc;
}

static const char *area_title(const struct plan *p, const char *code, const char *domain)
{
    struct develop_area ar = {false, code, domain};
    const char *t = develop_area_title(&p->sources, &ar);
    return t ? t : domain; /* a domain a later version took out keeps its id */
}

static const char *status_tag(const char *status)
{
    if (!strcmp(status, "done"))
        return "nhsuk-tag--green";
    if (!strcmp(status, "in-progress"))
        return "nhsuk-tag--blue";
    return "nhsuk-tag--grey";
}

static json_t *item_json(const struct develop_plan_item *it)
{
    json_t *o = jobj(json_object(), "id", jint(it->id));
    const char *kind =
        develop_choice_name(develop_activity_kinds, develop_activity_kinds_count, it->kind);
    o = jobj(o, "title", jstr(it->title));
    o = jobj(o, "kind", jstr(it->kind));
    o = jobj(o, "kind_name", jstr(kind ? kind : it->kind));
    /* the plan's page links such an activity to the Connect profile, where rounds match */
    o = jobj(o, "is_mentoring",
             jbool(!strcmp(it->kind, "mentoring") || !strcmp(it->kind, "coaching")));
    o = jobj(o, "provider", jstr(it->provider));
    o = jobj(o, "activity_id", it->activity_id ? jint(it->activity_id) : json_null());
    o = jobj(o, "from_catalogue", jbool(it->activity_id != 0));
    o = jobj(o, "retired", jbool(it->retired));
    o = jobj(o, "goal_id", it->goal_id ? jint(it->goal_id) : json_null());
    o = jobj(o, "status", jstr(it->status));
    o = jobj(o, "status_name", jstr(develop_plan_status_name(it->status)));
    o = jobj(o, "tag_class", jstr(status_tag(it->status)));
    o = jobj(o, "is_done", jbool(!strcmp(it->status, DEVELOP_STATUS_DONE)));
    /* dates as the API takes them ("2027-04-06", "" for none), so what a client reads it can
     * send back, with the page's words beside them */
    o = jobj(o, "target_at", jint(it->target_at));
    o = jobj(o, "target", jdate_input(it->target_at));
    o = jobj(o, "target_text", jdate(it->target_at));
    o = jobj(o, "reflection", jstr(it->reflection));
    o = jobj(o, "reason", jstr(it->reason));
    o = jobj(o, "done_at", jint(it->done_at));
    o = jobj(o, "done", jdate_input(it->done_at));
    o = jobj(o, "done_text", jdate(it->done_at));
    return o;
}

static json_t *goal_json(const struct plan *p, const struct develop_goal *g)
{
    json_t *o = jobj(json_object(), "id", jint(g->id));
    o = jobj(o, "title", jstr(g->title));
    o = jobj(o, "framework_code", jstr(g->framework_code));
    o = jobj(o, "domain", jstr(g->domain));
    o = jobj(o, "area", jstr(area_title(p, g->framework_code, g->domain)));
    o = jobj(o, "target_at", jint(g->target_at));
    o = jobj(o, "target", jdate_input(g->target_at));
    return jobj(o, "target_text", jdate(g->target_at));
}

static json_t *progress_json(const struct develop_plan_item *items, size_t n)
{
    struct develop_plan_progress pr;
    json_t *o;
    develop_plan_progress(items, n, &pr);
    o = jobj(json_object(), "not_started", jint(pr.not_started));
    o = jobj(o, "in_progress", jint(pr.in_progress));
    o = jobj(o, "done", jint(pr.done));
    o = jobj(o, "dropped", jint(pr.dropped));
    o = jobj(o, "total", jint(pr.total));
    return jobj(o, "percent", jint(pr.percent));
}

json_t *develop_page_plan_progress(struct ctx *c, int *rc)
{
    struct develop_plan_item *items;
    size_t n;
    if ((*rc = develop_item_list(c->db, c->arena, c->user->id, &items, &n)))
        return NULL;
    return jobj(progress_json(items, n), "has_plan", jbool(n > 0));
}

/* ---- the plan ---- */

int page_develop_plan(struct ctx *c)
{
    struct plan p;
    int64_t added = req_field_int(c->req, "added", 0);
    json_t *goals, *others, *m;
    int rc = load_plan(c, &p);
    if (rc)
        return rc;
    goals = json_array();
    for (size_t g = 0; goals && g < p.ngoals; g++) {
        json_t *acts = json_array(), *o;
        for (size_t i = 0; acts && i < p.nitems; i++)
            if (p.items[i].goal_id == p.goals[g].id && !push(acts, item_json(&p.items[i]))) {
                json_decref(acts);
                acts = NULL;
            }
        o = goal_json(&p, &p.goals[g]);
        o = jobj(o, "has_activities", jbool(acts && json_array_size(acts) > 0));
        if (!push(goals, jobj(o, "activities", acts))) {
            json_decref(goals);
            goals = NULL;
        }
    }
    others = json_array();
    for (size_t i = 0; others && i < p.nitems; i++)
        if (!p.items[i].goal_id && !push(others, item_json(&p.items[i]))) {
            json_decref(others);
            others = NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Your development plan"));
    m = jobj(m, "progress", progress_json(p.items, p.nitems));
    m = jobj(m, "has_goals", jbool(p.ngoals > 0));
    m = jobj(m, "has_items", jbool(p.nitems > 0));
    m = jobj(m, "has_others", jbool(others && json_array_size(others) > 0));
    for (size_t i = 0; added && i < p.nitems; i++)
        if (p.items[i].id == added)
            m = jobj(m, "added", item_json(&p.items[i]));
    m = jobj(m, "goals", goals);
    return render(c, 200, "develop/plan", jobj(m, "others", others));
}

/* ---- the fields both forms share ---- */

/* The target date: the NHS.UK date input's boxes target-day, target-month and target-year,
 * or from the API target ("2026-11-30"), named as every other date is (start-day and start,
 * closes-day and closes), read and shown by web/date_input.c. Its message goes on "target",
 * the id of the day's box, which the error summary links to; the other ids are the ones the
 * page has always had. */
static const struct date_input_names target_date = {.field = "target",
                                                    .day = "target-day",
                                                    .month = "target-month",
                                                    .year = "target-year",
                                                    .iso = "target",
                                                    .id = "target-input",
                                                    .day_id = "target",
                                                    .month_id = "target-month",
                                                    .year_id = "target-year"};

/* The date input's model: t's date (0: empty), or as typed after an error. */
static json_t *target_input(struct ctx *c, int64_t t)
{
    return date_input_json_as(c->req, &target_date, "Target date (optional)",
                              "For example, 31 3 2027", t);
}

/* The form's target-day, target-month and target-year for t: the page shows the date from
 * target_input(); these stay for API clients that read the form. */
static json_t *date_form(json_t *form, int64_t t)
{
    int d, mo, y;
    char b[3][8];
    date_to_parts(t, &d, &mo, &y);
    snprintf(b[0], sizeof b[0], "%d", d);
    snprintf(b[1], sizeof b[1], "%d", mo);
    snprintf(b[2], sizeof b[2], "%d", y);
    form = jobj(form, "target-day", jstr(t ? b[0] : ""));
    form = jobj(form, "target-month", jstr(t ? b[1] : ""));
    return jobj(form, "target-year", jstr(t ? b[2] : ""));
}

/* The target date as sent into *out: false after adding its message (or when the request
 * layer refused a box: its message stands). A JSON client changing a goal or an activity
 * (old: its target, 0 for none) that names none of the date's fields keeps the target. */
static bool read_target(struct ctx *c, int64_t old, int64_t *out)
{
    json_t *j = c->req->json;
    if (j && old && !json_object_get(j, "target") && !json_object_get(j, "target-day") &&
        !json_object_get(j, "target-month") && !json_object_get(j, "target-year")) {
        *out = old;
        return true;
    }
    return date_input_field_as(c->req, &target_date, "Target date", NULL, out);
}

static int field_errors(struct ctx *c, const struct develop_field_error *errs, size_t n)
{
    int rc = APP_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = req_add_error(c->req, errs[i].field, errs[i].message);
    return rc;
}

/* ---- goals ---- */

static json_t *domain_options(struct ctx *c, const struct plan *p, const char *chosen)
{
    json_t *groups = json_array();
    for (size_t i = 0; groups && i < p->sources.n; i++) {
        const struct develop_area_source *s = &p->sources.list[i];
        json_t *opts, *g;
        if (s->assess)
            continue;
        opts = json_array();
        for (size_t d = 0; opts && d < s->ndomains; d++) {
            const char *v = arena_printf(c->arena, "%s:%s", s->code, s->ids[d]);
            json_t *o = jobj(json_object(), "value", jstr(v));
            o = jobj(o, "text", jstr(s->titles[d]));
            o = jobj(o, "selected", jbool(v && chosen && !strcmp(v, chosen)));
            if (!v || !push(opts, o)) {
                json_decref(opts);
                opts = NULL;
            }
        }
        g = jobj(json_object(), "label", jstr(s->title));
        if (!push(groups, jobj(g, "options", opts))) {
            json_decref(groups);
            groups = NULL;
        }
    }
    return groups;
}

static json_t *goal_form_model(struct ctx *c, const struct plan *p, const struct develop_goal *g,
                               bool typed)
{
    const char *chosen = typed ? req_field(c->req, "domain")
                         : g   ? arena_printf(c->arena, "%s:%s", g->framework_code, g->domain)
                               : NULL;
    json_t *m =
        jobj(json_object(), "title", json_string_nocheck(g ? "Change your goal" : "Add a goal"));
    m = jobj(m, "action",
             jstr(g ? arena_printf(c->arena, "/develop/plan/goals/%lld", (long long)g->id)
                    : "/develop/plan/goals"));
    m = jobj(m, "domains", domain_options(c, p, chosen));
    m = jobj(m, "editing", g ? jint(g->id) : json_false());
    if (g)
        m = jobj(m, "goal", goal_json(p, g));
    if (!typed) {
        json_t *form = jobj(json_object(), "title", jstr(g ? g->title : ""));
        m = jobj(m, "form", date_form(form, g ? g->target_at : 0));
    }
    return jobj(m, "target_input", target_input(c, g ? g->target_at : 0));
}

int page_develop_goal_new_form(struct ctx *c)
{
    struct plan p;
    int rc = load_plan(c, &p);
    if (rc)
        return rc;
    return render(c, 200, "develop/plan_goal_form", goal_form_model(c, &p, NULL, false));
}

/* Reads and checks the goal form into g (*ok false, the errors added, when it is wrong). old
 * is the stored goal when changing one: a JSON client's body changes only what it names. */
static int read_goal(struct ctx *c, const struct plan *p, const struct develop_goal *old,
                     struct develop_goal *g, bool *ok)
{
    struct develop_goal_input in;
    struct develop_field_error *errs;
    size_t nerrs;
    bool date_ok;
    int rc;
    in.title = req_field(c->req, "title");
    in.domain = req_field(c->req, "domain");
    date_ok = read_target(c, old ? old->target_at : 0, &in.target_at);
    if (old && c->req->json) {
        json_t *j = c->req->json;
        if (!json_object_get(j, "title"))
            in.title = old->title;
        if (!json_object_get(j, "domain") &&
            !(in.domain = arena_printf(c->arena, "%s:%s", old->framework_code, old->domain)))
            return APP_E_NOMEM;
    }
    rc = develop_goal_check(c->arena, &p->sources, &in, g, &errs, &nerrs);
    *ok = rc == APP_OK && date_ok;
    if (rc == APP_E_INVALID)
        rc = field_errors(c, errs, nerrs);
    return rc;
}

int page_develop_goal_create(struct ctx *c)
{
    struct plan p;
    struct develop_goal g = {0};
    int64_t id;
    bool ok;
    int rc = load_plan(c, &p);
    if (!rc)
        rc = read_goal(c, &p, NULL, &g, &ok);
    if (rc)
        return rc;
    if (!ok || c->req->nerrors)
        return render_invalid(c, "develop/plan_goal_form", goal_form_model(c, &p, NULL, true));
    g.user_id = c->user->id;
    if ((rc = develop_goal_create(c->db, &g, (int64_t)time(NULL), &id)))
        return rc;
    if (c->want_json) {
        g.id = id;
        return render(c, 201, NULL, jobj(json_object(), "goal", goal_json(&p, &g)));
    }
    return resp_redirect(c, "/develop/plan");
}

static int load_goal(struct ctx *c, struct develop_goal *g)
{
    int64_t id = develop_page_param(c, "id");
    return id ? develop_goal_get(c->db, c->arena, id, c->user->id, g) : APP_E_NOTFOUND;
}

int page_develop_goal_edit_form(struct ctx *c)
{
    struct plan p;
    struct develop_goal g;
    int rc = load_goal(c, &g);
    if (!rc)
        rc = load_plan(c, &p);
    if (rc)
        return rc;
    return render(c, 200, "develop/plan_goal_form", goal_form_model(c, &p, &g, false));
}

int page_develop_goal_update(struct ctx *c)
{
    struct plan p;
    struct develop_goal old, g = {0};
    bool ok;
    int rc = load_goal(c, &old);
    if (!rc)
        rc = load_plan(c, &p);
    if (!rc)
        rc = read_goal(c, &p, &old, &g, &ok);
    if (rc)
        return rc;
    if (!ok || c->req->nerrors)
        return render_invalid(c, "develop/plan_goal_form", goal_form_model(c, &p, &old, true));
    g.id = old.id;
    g.user_id = c->user->id;
    if ((rc = develop_goal_update(c->db, &g, (int64_t)time(NULL))))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "goal", goal_json(&p, &g)));
    return resp_redirect(c, "/develop/plan");
}

int page_develop_goal_delete(struct ctx *c)
{
    int64_t id = develop_page_param(c, "id");
    int rc = id ? develop_goal_delete(c->db, id, c->user->id) : APP_E_NOTFOUND;
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "deleted", jbool(1)));
    return resp_redirect(c, "/develop/plan");
}

/* ---- activities ---- */

static json_t *choice_radios(const struct develop_choice *list, size_t n, const char *chosen)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "value", jstr(list[i].code));
        o = jobj(o, "text", jstr(list[i].name));
        o = jobj(o, "id", i ? jstr(list[i].code) : jstr(""));
        o = jobj(o, "checked", jbool(chosen && !strcmp(chosen, list[i].code)));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *goal_options(struct ctx *c, const struct plan *p, int64_t chosen)
{
    json_t *arr = json_array();
    json_t *none = jobj(json_object(), "value", jstr("0"));
    none = jobj(none, "text", jstr("No goal in particular"));
    if (!push(arr, jobj(none, "selected", jbool(chosen == 0)))) {
        json_decref(arr);
        return NULL;
    }
    for (size_t i = 0; arr && i < p->ngoals; i++) {
        json_t *o = jobj(json_object(), "value",
                         jstr(arena_printf(c->arena, "%lld", (long long)p->goals[i].id)));
        o = jobj(o, "text", jstr(p->goals[i].title));
        o = jobj(o, "selected", jbool(p->goals[i].id == chosen));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *item_form_model(struct ctx *c, const struct plan *p,
                               const struct develop_plan_item *it, bool typed)
{
    const char *status = typed ? req_field(c->req, "status") : it ? it->status : NULL;
    const char *kind = typed ? req_field(c->req, "kind") : it ? it->kind : NULL;
    int64_t goal = typed ? req_field_int(c->req, "goal", 0) : it ? it->goal_id : 0;
    json_t *m = jobj(json_object(), "title",
                     json_string_nocheck(it ? "Update this activity" : "Add your own activity"));
    m = jobj(m, "action",
             jstr(it ? arena_printf(c->arena, "/develop/plan/activities/%lld", (long long)it->id)
                     : "/develop/plan/activities"));
    m = jobj(m, "editing", it ? jint(it->id) : json_false());
    if (it)
        m = jobj(m, "activity", item_json(it));
    /* a catalogue activity's title and kind are the catalogue's */
    m = jobj(m, "own", jbool(!it || !it->activity_id));
    m = jobj(m, "kinds", choice_radios(develop_activity_kinds, develop_activity_kinds_count, kind));
    m = jobj(m, "statuses",
             choice_radios(develop_plan_statuses, develop_plan_statuses_count,
                           status ? status : DEVELOP_STATUS_NOT_STARTED));
    m = jobj(m, "goals", goal_options(c, p, goal));
    m = jobj(m, "has_goals", jbool(p->ngoals > 0));
    if (!typed) {
        json_t *form = jobj(json_object(), "title", jstr(it && !it->activity_id ? it->title : ""));
        form = jobj(form, "reflection", jstr(it ? it->reflection : ""));
        m = jobj(m, "form", date_form(form, it ? it->target_at : 0));
    }
    return jobj(m, "target_input", target_input(c, it ? it->target_at : 0));
}

int page_develop_item_new_form(struct ctx *c)
{
    struct plan p;
    int rc = load_plan(c, &p);
    if (rc)
        return rc;
    return render(c, 200, "develop/plan_activity_form", item_form_model(c, &p, NULL, false));
}

static int read_item(struct ctx *c, const struct plan *p, const struct develop_plan_item *old,
                     struct develop_plan_item *it, bool *ok)
{
    struct develop_item_input in;
    struct develop_field_error *errs;
    size_t nerrs;
    bool date_ok;
    int rc;
    in.activity = req_field(c->req, "activity");
    in.title = req_field(c->req, "title");
    in.kind = req_field(c->req, "kind");
    in.goal = req_field(c->req, "goal");
    in.status = req_field(c->req, "status");
    in.reflection = req_field(c->req, "reflection");
    date_ok = read_target(c, old ? old->target_at : 0, &in.target_at);
    /* a JSON client changing one thing leaves the rest as it is */
    if (old && c->req->json) {
        char *g = arena_printf(c->arena, "%lld", (long long)old->goal_id);
        if (!g)
            return APP_E_NOMEM;
        if (!json_object_get(c->req->json, "goal"))
            in.goal = g;
        if (!json_object_get(c->req->json, "reflection"))
            in.reflection = old->reflection;
        if (!json_object_get(c->req->json, "title"))
            in.title = old->title;
        if (!json_object_get(c->req->json, "kind"))
            in.kind = old->kind;
    }
    rc = develop_item_check(c->arena, old, p->goals, p->ngoals, &in, it, &errs, &nerrs);
    *ok = rc == APP_OK && date_ok;
    if (rc == APP_E_INVALID)
        rc = field_errors(c, errs, nerrs);
    return rc;
}

/* Why the member's recommendations name the activity, as one paragraph ("" when they do not),
 * kept with it in the plan. */
static int recommendation_reason(struct ctx *c, int64_t activity_id, const char **out)
{
    struct develop_measured mz;
    struct develop_gap *gaps;
    struct develop_recommendation *recs;
    size_t ng, nr;
    int rc = develop_measured_load(c->db, c->app->assess_versions, c->arena, c->user->id,
                                   (int64_t)time(NULL), &mz);
    *out = "";
    if (!rc)
        rc = develop_recommend(c->arena, &mz.in, &gaps, &ng, &recs, &nr);
    for (size_t i = 0; !rc && i < nr; i++) {
        const char *s = "";
        if (recs[i].activity->id != activity_id)
            continue;
        for (size_t k = 0; s && k < recs[i].ngaps; k++)
            s = arena_printf(c->arena, "%s%s%s", s, k ? " " : "", recs[i].gaps[k]->text);
        if (!s)
            return APP_E_NOMEM;
        *out = s;
    }
    return rc;
}

int page_develop_item_add(struct ctx *c)
{
    const char *from = req_field(c->req, "from");
    struct plan p;
    struct develop_plan_item it;
    int64_t id;
    bool ok, existed;
    int rc = load_plan(c, &p);
    if (!rc)
        rc = read_item(c, &p, NULL, &it, &ok);
    if (rc)
        return rc;
    if (!ok || c->req->nerrors)
        return render_invalid(c, "develop/plan_activity_form", item_form_model(c, &p, NULL, true));
    it.user_id = c->user->id;
    /* why it was recommended, only when it was added from the recommendations: one added
     * from the catalogue was the member's own choice, whatever the recommendations say */
    if (it.activity_id && from && !strcmp(from, "recommendations") &&
        (rc = recommendation_reason(c, it.activity_id, &it.reason)))
        return rc;
    rc = develop_item_add(c->db, &it, (int64_t)time(NULL), &id, &existed);
    if (rc == APP_E_NOTFOUND) {
        render_error(c, APP_E_NOTFOUND,
                     "That activity is not in the catalogue any more. Choose another one.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json) {
        struct develop_plan_item got;
        if ((rc = develop_item_get(c->db, c->arena, id, c->user->id, &got)))
            return rc;
        return render(c, existed ? 200 : 201, NULL,
                      jobj(jobj(json_object(), "activity", item_json(&got)), "already_in_plan",
                           jbool(existed)));
    }
    return resp_redirect(c, arena_printf(c->arena, "/develop/plan?added=%lld#activity-%lld",
                                         (long long)id, (long long)id));
}

static int load_item(struct ctx *c, struct develop_plan_item *it)
{
    int64_t id = develop_page_param(c, "id");
    return id ? develop_item_get(c->db, c->arena, id, c->user->id, it) : APP_E_NOTFOUND;
}

int page_develop_item_edit_form(struct ctx *c)
{
    struct plan p;
    struct develop_plan_item it;
    int rc = load_item(c, &it);
    if (!rc)
        rc = load_plan(c, &p);
    if (rc)
        return rc;
    return render(c, 200, "develop/plan_activity_form", item_form_model(c, &p, &it, false));
}

int page_develop_item_update(struct ctx *c)
{
    struct plan p;
    struct develop_plan_item old, it;
    bool ok;
    int rc = load_item(c, &old);
    if (!rc)
        rc = load_plan(c, &p);
    if (!rc)
        rc = read_item(c, &p, &old, &it, &ok);
    if (rc)
        return rc;
    if (!ok || c->req->nerrors)
        return render_invalid(c, "develop/plan_activity_form", item_form_model(c, &p, &old, true));
    if ((rc = develop_item_update(c->db, &it, (int64_t)time(NULL))))
        return rc;
    if (c->want_json) {
        struct develop_plan_item got;
        if ((rc = develop_item_get(c->db, c->arena, it.id, c->user->id, &got)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "activity", item_json(&got)));
    }
    return resp_redirect(c,
                         arena_printf(c->arena, "/develop/plan#activity-%lld", (long long)it.id));
}

int page_develop_item_delete(struct ctx *c)
{
    int64_t id = develop_page_param(c, "id");
    int rc = id ? develop_item_delete(c->db, id, c->user->id) : APP_E_NOTFOUND;
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "deleted", jbool(1)));
    return resp_redirect(c, "/develop/plan");
}
