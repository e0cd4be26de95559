/* result_pages.c: "My development" — a member's self-assessments, the results of one, and
 * the change between two
 *
 * Everything here is the member's own: lists are read by owner, and a self-assessment named
 * in a link or a form is found only with its owner, so another member's answers 404.
 */
#include "develop/pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <math.h>
#include <string.h>
#include <time.h>

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

/* The frameworks a member may start, latest versions only. */
static json_t *framework_options(struct ctx *c, int *rc)
{
    struct develop_version_info *vs;
    size_t n;
    json_t *arr;
    if ((*rc = develop_version_latest(c->db, c->arena, &vs, &n)))
        return NULL;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "id", jint(vs[i].id));
        o = jobj(o, "title", jstr(vs[i].title));
        o = jobj(o, "version", jint(vs[i].version));
        o = jobj(o, "checked", jbool(i == 0));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

int page_develop_index(struct ctx *c)
{
    struct develop_self *list;
    size_t n, submitted = 0;
    json_t *m, *past = json_array(), *frameworks;
    int rc = develop_self_list(c->db, c->arena, c->user->id, &list, &n);
    if (rc) {
        json_decref(past);
        return rc;
    }
    if (!(frameworks = framework_options(c, &rc))) {
        json_decref(past);
        return rc ? rc : APP_E_NOMEM;
    }
    m = jobj(json_object(), "title", json_string_nocheck("My development"));
    m = jobj(m, "frameworks", frameworks);
    m = jobj(m, "many_frameworks", jbool(json_array_size(frameworks) > 1));
    m = jobj(m, "has_frameworks", jbool(json_array_size(frameworks) > 0));
    for (size_t i = 0; m && i < n; i++) {
        struct develop_framework fw;
        struct develop_answer *ans;
        json_t *o = develop_page_self_json_in(&list[i], list, n);
        if (list[i].submitted_at) {
            submitted++;
            if (!push(past, o))
                goto oom;
            if (submitted > 1)
                continue;
        }
        /* the draft, and the latest submitted one, with their answers */
        if ((rc = develop_version_load(c->db, c->arena, list[i].framework_id, &fw)) ||
            (rc = develop_self_answers(c->db, c->arena, &fw, list[i].id, &ans))) {
            if (!list[i].submitted_at)
                json_decref(o);
            json_decref(m);
            json_decref(past);
            return rc;
        }
        if (list[i].submitted_at) {
            json_t *latest = develop_page_self_json_in(&list[i], list, n);
            latest = jobj(latest, "domains", develop_page_results(c, &fw, ans));
            latest = jobj(latest, "scale_max", jint((long long)fw.scale.npoints));
            latest = jobj(latest, "caption", json_string_nocheck("Your latest results by area"));
            m = jobj(m, "latest", latest);
        } else {
            size_t rated = 0;
            for (size_t k = 0; k < fw.nbehaviours; k++)
                rated += ans[k].rating != DEVELOP_NOT_RATED;
            o = jobj(o, "rated", jint((long long)rated));
            o = jobj(o, "behaviours", jint((long long)fw.nbehaviours));
            o = jobj(o, "continue", jstr(develop_page_draft_next(c, &list[i], &fw, ans)));
            m = jobj(m, "draft", o);
        }
    }
    m = jobj(m, "history", past);
    past = NULL;
    m = jobj(m, "submitted_count", jint((long long)submitted));
    /* the development plan's progress, and the programme lead's gap view */
    {
        json_t *plan = develop_page_plan_progress(c, &rc);
        if (!plan && rc) {
            json_decref(m);
            return rc;
        }
        m = jobj(m, "plan", plan);
        m = jobj(m, "can_see_gaps", jbool(c->user->role >= ROLE_FACILITATOR));
    }
    return render(c, 200, "develop/index", jobj(m, "can_compare", jbool(submitted > 1)));
oom:
    json_decref(m);
    json_decref(past);
    return APP_E_NOMEM;
}

/* One self-assessment's results; a draft's link goes on to where it stands. */
int page_develop_self(struct ctx *c)
{
    struct develop_self s;
    struct develop_framework fw;
    struct develop_answer *ans;
    json_t *m;
    int rc = develop_page_load_self(c, &s, &fw, &ans);
    if (rc)
        return rc;
    if (!s.submitted_at && !c->want_json)
        return resp_redirect(c, develop_page_draft_next(c, &s, &fw, ans));
    m = jobj(json_object(), "title",
             jstr(s.submitted_at ? "Your self-assessment results" : "Your self-assessment so far"));
    m = jobj(m, "self", develop_page_self_json(&s));
    m = jobj(m, "framework", jstr(fw.title));
    m = jobj(m, "framework_id", jint(fw.id));
    m = jobj(m, "scale", develop_page_scale(&fw));
    m = jobj(m, "has_importance", jbool(fw.importance.enabled));
    m = jobj(m, "scale_max", jint((long long)fw.scale.npoints));
    m = jobj(m, "caption", json_string_nocheck("Your results by area"));
    m = jobj(m, "licence", jstr(fw.licence));
    return render(c, 200, "develop/result", jobj(m, "domains", develop_page_results(c, &fw, ans)));
}

/* ---- comparing two self-assessments ---- */

static json_t *choice_list(const struct develop_self *list, size_t n, int64_t selected)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o;
        if (!list[i].submitted_at)
            continue;
        o = develop_page_self_json_in(&list[i], list, n);
        o = jobj(o, "selected", jbool(list[i].id == selected));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* One loaded side of a comparison. */
struct side {
    struct develop_self s;
    struct develop_framework fw;
    struct develop_answer *ans;
    struct develop_result *r;
};

static int load_side(struct ctx *c, int64_t id, struct side *x)
{
    int rc = develop_self_get(c->db, c->arena, id, c->user->id, &x->s);
    if (!rc)
        rc = develop_version_load(c->db, c->arena, x->s.framework_id, &x->fw);
    if (!rc)
        rc = develop_self_answers(c->db, c->arena, &x->fw, id, &x->ans);
    if (!rc && !(x->r = arena_calloc(c->arena, x->fw.ndomains, sizeof *x->r)))
        rc = APP_E_NOMEM;
    if (!rc)
        rc = develop_score(&x->fw, x->ans, x->r);
    return rc;
}

/* The change per domain of the later side's framework version, matched by domain id (a
 * domain the earlier version did not have shows no change). */
static json_t *changes(struct ctx *c, const struct side *a, const struct side *b)
{
    json_t *arr = json_array();
    for (size_t d = 0; arr && d < b->fw.ndomains; d++) {
        const struct develop_result *rb = &b->r[d], *ra = NULL;
        json_t *o = jobj(json_object(), "id", jstr(b->fw.domains[d].id));
        for (size_t k = 0; k < a->fw.ndomains && !ra; k++)
            if (!strcmp(a->fw.domains[k].id, b->fw.domains[d].id))
                ra = &a->r[k];
        o = jobj(o, "title", jstr(b->fw.domains[d].title));
        o = jobj(o, "from", ra && ra->scored ? develop_page_num(ra->mean, 2) : json_null());
        o = jobj(o, "to", rb->scored ? develop_page_num(rb->mean, 2) : json_null());
        o = jobj(o, "from_text",
                 jstr(ra && ra->scored ? develop_page_text(c, ra->mean, false) : "Not rated"));
        o = jobj(o, "to_text",
                 jstr(rb->scored ? develop_page_text(c, rb->mean, false) : "Not rated"));
        if (ra && ra->scored && rb->scored) {
            double ch = round((rb->mean - ra->mean) * 100) / 100;
            o = jobj(o, "change", develop_page_num(ch, 2));
            o = jobj(o, "change_text",
                     jstr(ch == 0 ? "No change" : develop_page_text(c, ch, true)));
            o = jobj(o, "up", jbool(ch > 0));
            o = jobj(o, "down", jbool(ch < 0));
        } else {
            o = jobj(o, "change", json_null());
            o = jobj(o, "change_text", json_string_nocheck("–"));
        }
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

int page_develop_compare(struct ctx *c)
{
    struct develop_self *list;
    size_t n, submitted = 0;
    int64_t from = req_field_int(c->req, "from", 0), to = req_field_int(c->req, "to", 0);
    bool chosen = req_field(c->req, "from") || req_field(c->req, "to");
    struct side a, b;
    json_t *m;
    int rc = develop_self_list(c->db, c->arena, c->user->id, &list, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (list[i].submitted_at && ++submitted <= 2 && !chosen) {
            /* by default the latest against the one before it */
            if (submitted == 1)
                to = list[i].id;
            else
                from = list[i].id;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Compare two self-assessments"));
    m = jobj(m, "enough", jbool(submitted > 1));
    if (from && to) {
        if ((rc = load_side(c, from, &a)) || (rc = load_side(c, to, &b))) {
            json_decref(m);
            return rc; /* not theirs, or gone: 404 */
        }
        if (!a.s.submitted_at)
            req_add_error(c->req, "from", "Choose a self-assessment you have submitted");
        if (!b.s.submitted_at)
            req_add_error(c->req, "to", "Choose a self-assessment you have submitted");
        if (from == to)
            req_add_error(c->req, "to", "Choose two different self-assessments");
        else if (strcmp(a.s.framework_code, b.s.framework_code))
            req_add_error(c->req, "to", "Choose two self-assessments against the same framework");
        /* a later version may rate on another scale: a mean on four points less one on five
         * means nothing */
        else if (a.fw.scale.kind != b.fw.scale.kind || a.fw.scale.npoints != b.fw.scale.npoints)
            req_add_error(c->req, "to",
                          "These two were rated on different scales (the framework changed "
                          "between them), so they cannot be compared");
        if (!c->req->nerrors) {
            m = jobj(m, "from_self", develop_page_self_json_in(&a.s, list, n));
            m = jobj(m, "to_self", develop_page_self_json_in(&b.s, list, n));
            m = jobj(m, "framework", jstr(b.fw.title));
            m = jobj(m, "scale_max", jint((long long)b.fw.scale.npoints));
            m = jobj(m, "changes", changes(c, &a, &b));
        }
    } else if (chosen) {
        if (!from)
            req_add_error(c->req, "from", "Choose the earlier self-assessment");
        if (!to)
            req_add_error(c->req, "to", "Choose the later self-assessment");
    }
    m = jobj(m, "from_options", choice_list(list, n, from));
    m = jobj(m, "to_options", choice_list(list, n, to));
    if (c->req->nerrors)
        return render_invalid(c, "develop/compare", m);
    return render(c, 200, "develop/compare", m);
}
