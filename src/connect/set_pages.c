/* set_pages.c: action learning sets — a member's own sets; for programme leads the split of
 * a cohort, its balance, hand moves and publishing; for a set's facilitator its schedule and
 * record of meetings
 *
 * Who sees what: a split and every set in it only programme leads (facilitators and
 * admins); a set's page its members once the split is published, its facilitator, and
 * leads; anyone else gets "not found", as for a set that does not exist, so a set's people
 * cannot be guessed at. A set's schedule and record are kept by its facilitator and by
 * leads. Members' email addresses are shown to leads only (they move people by address).
 */
#include "connect/set.h"
#include "connect/sets.h"
#include "account/account.h"
#include "account/cohort.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "core/uktime.h"
#include "connect/conflict.h"
#include "web/date_input.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SETS_PER_PAGE 25

static bool lead(const struct ctx *c)
{
    return c->user && c->user->role >= ROLE_FACILITATOR;
}

static int64_t param(struct ctx *c, const char *name)
{
    const char *p = req_param(c->req, name);
    int64_t v = 0;
    if (!p || !parse_int64((struct str){p, strlen(p)}, &v) || v <= 0)
        return 0;
    return v;
}

/* Appends v to arr, taking v's reference either way. */
static bool push(json_t *arr, json_t *v)
{
    if (!arr) {
        json_decref(v);
        return false;
    }
    return v && !json_array_append_new(arr, v);
}

/* A score in tenths of a per cent as a JSON number (96.6) and as text ("96.6%"). */
static json_t *score_num(int permille)
{
    return json_real((double)permille / 10.0);
}

static const char *score_text(struct ctx *c, int permille)
{
    return arena_printf(c->arena, "%d.%d%%", permille / 10, permille % 10);
}

static const char *split_url(struct ctx *c, int64_t id)
{
    return arena_printf(c->arena, "/connect/sets/%lld", (long long)id);
}

static const char *set_url(struct ctx *c, int64_t split_id, int number)
{
    return arena_printf(c->arena, "/connect/sets/%lld/set/%d", (long long)split_id, number);
}

/* Leaves a message for the next page and goes there. */
static int redirect_with(struct ctx *c, const char *flash, const char *to)
{
    int rc = flash_set(c, flash);
    return rc ? rc : resp_redirect(c, to);
}

static json_t *split_json(struct ctx *c, const struct set_split *s)
{
    json_t *o = jobj(json_object(), "id", jint(s->id));
    o = jobj(o, "title", jstr(s->title));
    o = jobj(o, "cohort_id", s->cohort_id ? jint(s->cohort_id) : json_null());
    o = jobj(o, "cohort", jstr(s->cohort_name));
    o = jobj(o, "target", jint(s->target));
    o = jobj(o, "seed", jint(s->seed));
    o = jobj(o, "score", score_num(s->score));
    o = jobj(o, "score_text", jstr(score_text(c, s->score)));
    o = jobj(o, "random_score", score_num(s->random_score));
    o = jobj(o, "random_score_text", jstr(score_text(c, s->random_score)));
    o = jobj(o, "published", jbool(s->published_at != 0));
    o = jobj(o, "published_on", jdate(s->published_at));
    o = jobj(o, "status", jstr(s->published_at ? "published" : "draft"));
    o = jobj(o, "created_on", jdate(s->created_at));
    o = jobj(o, "sets", jint(s->sets));
    o = jobj(o, "people", jint(s->people));
    o = jobj(o, "apart_pairs", jint(s->apart));
    o = jobj(o, "apart_text",
             jstr(s->apart == 0   ? "No pairs of people are kept apart"
                  : s->apart == 1 ? "1 pair of people never shares a set"
                                  : arena_printf(c->arena, "%lld pairs of people never share a set",
                                                 (long long)s->apart)));
    return jobj(o, "url", jstr(split_url(c, s->id)));
}

static json_t *person_json(const struct set_person *p, bool with_email)
{
    const char *prof = ref_name(professions, professions_count, p->profession);
    const char *reg = ref_name(regions, regions_count, p->region);
    json_t *o = jobj(json_object(), "name", jstr(p->display_name));
    if (with_email)
        o = jobj(o, "email", jstr(p->email));
    o = jobj(o, "profession", jstr(p->profession));
    o = jobj(o, "profession_name", jstr(prof ? prof : "Profession not given"));
    o = jobj(o, "organisation", jstr(p->organisation_id ? p->organisation : ""));
    o = jobj(o, "organisation_name",
             jstr(p->organisation_id ? p->organisation : "Organisation not given"));
    o = jobj(o, "region", jstr(p->region));
    if (with_email) /* a lead's view: who has been taken out of the cohort */
        o = jobj(o, "left_cohort", jbool(!p->in_cohort));
    return jobj(o, "region_name", jstr(reg ? reg : "Region not given"));
}

static json_t *balance_json(struct ctx *c, const struct set_balance *b)
{
    json_t *o = jobj(json_object(), "professions", jint(b->professions));
    o = jobj(o, "organisations", jint(b->organisations));
    o = jobj(o, "regions", jint(b->regions));
    o = jobj(o, "profession_not_given", jint(b->unknown_profession));
    o = jobj(o, "organisation_not_given", jint(b->unknown_organisation));
    o = jobj(o, "pairs", jint(b->pairs));
    o = jobj(o, "clashes", jint(b->clashes));
    o = jobj(o, "score", score_num(b->permille));
    return jobj(o, "score_text", jstr(score_text(c, b->permille)));
}

static json_t *set_json(struct ctx *c, const struct set_group *g, bool with_email)
{
    json_t *members = json_array(), *o, *fac = json_null();
    size_t shown = 0;
    /* someone taken out of the cohort has lost the set (set.h): only leads still see them in
     * it, marked, until they move them, and they count neither in its size nor its balance */
    for (size_t i = 0; members && i < g->nmembers; i++) {
        if (!with_email && !g->members[i].in_cohort)
            continue;
        shown += g->members[i].in_cohort;
        if (!push(members, person_json(&g->members[i], with_email))) {
            json_decref(members);
            members = NULL;
        }
    }
    if (g->facilitator_id) {
        json_decref(fac);
        fac = jobj(json_object(), "name", jstr(g->facilitator_name));
        if (with_email)
            fac = jobj(fac, "email", jstr(g->facilitator_email));
    }
    o = jobj(json_object(), "number", jint(g->number));
    o = jobj(o, "name", jstr(arena_printf(c->arena, "Set %d", g->number)));
    o = jobj(o, "size", jint((long long)shown));
    o = jobj(o, "facilitator", fac);
    o = jobj(o, "members", members);
    o = jobj(o, "balance", balance_json(c, &g->balance));
    return jobj(o, "url", jstr(set_url(c, g->split_id, g->number)));
}

static json_t *meeting_json(struct ctx *c, int64_t split_id, int number,
                            const struct set_meeting *m)
{
    json_t *o = jobj(json_object(), "id", jint(m->id));
    o = jobj(o, "date", jdate_input(m->meets_on));
    o = jobj(o, "date_text", jdate(m->meets_on));
    o = jobj(o, "held", jbool(m->held));
    o = jobj(o, "theme", jstr(m->theme));
    return jobj(o, "delete_url",
                jstr(arena_printf(c->arena, "/connect/sets/%lld/set/%d/meetings/%lld/delete",
                                  (long long)split_id, number, (long long)m->id)));
}

/* ---- a member's sets, and the leads' list ---- */

int page_connect_sets(struct ctx *c)
{
    struct set_group *mine;
    struct set_split *their_splits, *splits = NULL;
    size_t nmine, nsplits = 0;
    int64_t today = uk_today((int64_t)time(NULL));
    json_t *m, *arr, *list = json_array();
    int rc = connect_set_list_for(c->db, c->arena, c->user->id, &mine, &their_splits, &nmine);
    if (!rc && lead(c))
        rc = connect_split_list(c->db, c->arena, &splits, &nsplits);
    if (rc) {
        json_decref(list);
        return rc;
    }
    arr = json_array();
    for (size_t i = 0; arr && i < nmine; i++) {
        struct set_meeting *mt;
        size_t nmt;
        json_t *o, *next = json_null();
        bool member = false;
        for (size_t k = 0; k < mine[i].nmembers; k++)
            member |= mine[i].members[k].user_id == c->user->id;
        if ((rc = connect_set_meetings(c->db, c->arena, mine[i].id, &mt, &nmt))) {
            json_decref(arr);
            json_decref(list);
            return rc;
        }
        for (size_t k = 0; k < nmt && json_is_null(next); k++)
            if (!mt[k].held && mt[k].meets_on >= today) {
                json_decref(next);
                next = jdate(mt[k].meets_on);
            }
        o = set_json(c, &mine[i], false);
        o = jobj(o, "split", jstr(their_splits[i].title));
        o = jobj(o, "you_are_member", jbool(member));
        o = jobj(o, "next_meeting", next);
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    for (size_t i = 0; list && i < nsplits; i++)
        if (!push(list, split_json(c, &splits[i]))) {
            json_decref(list);
            list = NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Action learning sets"));
    m = jobj(m, "your_sets", arr);
    m = jobj(m, "has_sets", jbool(nmine > 0));
    m = jobj(m, "is_lead", jbool(lead(c)));
    if (lead(c))
        m = jobj(m, "splits", list);
    else
        json_decref(list);
    return render(c, 200, "connect/sets", m);
}

/* ---- splitting a cohort ---- */

static json_t *split_form_model(struct ctx *c, int64_t cohort_id, int target)
{
    struct cohort *cohorts;
    size_t n;
    json_t *arr, *sizes = json_array(), *m;
    if (account_cohort_list(c->db, c->arena, &cohorts, &n)) {
        json_decref(sizes);
        return NULL;
    }
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "id", jint(cohorts[i].id));
        o = jobj(o, "name", jstr(cohorts[i].name));
        o = jobj(o, "members", jint(cohorts[i].members));
        o = jobj(o, "selected", jbool(cohorts[i].id == cohort_id));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    for (int t = SETS_MIN; sizes && t <= SETS_MAX; t++) {
        json_t *o = jobj(json_object(), "value", jint(t));
        o = jobj(o, "selected", jbool(t == target));
        if (!push(sizes, o)) {
            json_decref(sizes);
            sizes = NULL;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Split a cohort into sets"));
    m = jobj(m, "cohorts", arr);
    m = jobj(m, "has_cohorts", jbool(n > 0));
    return jobj(m, "sizes", sizes);
}

int page_connect_split_new_form(struct ctx *c)
{
    return render(c, 200, "connect/set_new", split_form_model(c, 0, 6));
}

int page_connect_split_create(struct ctx *c)
{
    int64_t cohort = req_field_int(c->req, "cohort", 0), seed = req_field_int(c->req, "seed", -1);
    int64_t target = req_field_int(c->req, "target", 6), id = 0;
    const char *apart = req_field(c->req, "apart");
    struct connect_pair *pairs = NULL;
    size_t npairs = 0;
    struct set_why why = {0};
    int rc;
    /* a seed the request layer refused (words, or too long) is told its range too */
    if (req_error(c->req, "seed") && (rc = req_replace_error(c->req, "seed", SET_SEED_RANGE)))
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "connect/set_new", split_form_model(c, cohort, (int)target));
    if (!cohort) {
        if ((rc = req_add_error(c->req, "cohort", "Choose a cohort")))
            return rc;
        return render_invalid(c, "connect/set_new", split_form_model(c, 0, (int)target));
    }
    if (!req_field(c->req, "seed")) {
        /* no seed given: a random one, shown with the split so it can be made again */
        uint32_t r = 0;
        if ((rc = rand_bytes(&r, sizeof r)))
            return rc;
        seed = 1 + (int64_t)(r % 999999);
    }
    {
        struct cohort_member *cm;
        struct set_person *people;
        struct connect_pair *prof = NULL, *all;
        int64_t *ids;
        size_t n, nprof = 0;
        int64_t total;
        if ((rc = account_cohort_members(c->db, c->arena, cohort, 0, SETS_PEOPLE_MAX + 1, &cm, &n,
                                         &total)))
            return rc;
        if (!(people = arena_alloc(c->arena, (n + 1) * sizeof *people)) ||
            !(ids = arena_alloc(c->arena, (n + 1) * sizeof *ids)))
            return APP_E_NOMEM;
        for (size_t i = 0; i < n; i++) {
            people[i] = (struct set_person){cm[i].user_id,      cm[i].email,  cm[i].display_name,
                                            cm[i].profession,   cm[i].region, cm[i].organisation_id,
                                            cm[i].organisation, true};
            ids[i] = cm[i].user_id;
        }
        if (apart && *apart) {
            rc = connect_split_parse_pairs(c->arena, apart, people, n, &pairs, &npairs, &why);
            if (rc == APP_E_INVALID)
                goto refused;
            if (rc)
                return rc;
        }
        /* and the pairs the members' Connect profiles name ("must not be matched with") */
        if ((rc = connect_conflict_pairs(c->db, c->arena, ids, n, &prof, &nprof)))
            return rc;
        if (nprof) {
            if (!(all = arena_alloc(c->arena, (npairs + nprof) * sizeof *all)))
                return APP_E_NOMEM;
            if (npairs)
                memcpy(all, pairs, npairs * sizeof *all);
            memcpy(all + npairs, prof, nprof * sizeof *all);
            pairs = all;
            npairs += nprof;
        }
    }
    /* Keep-apart pairs from every source are merged into this one list (set.h): the lead's
     * pasted pairs and the profiles' conflicts above; repeats count once (set.c). */
    rc = connect_split_create(c->db, c->arena, c->user->id, cohort, req_field(c->req, "title"),
                              (int)target, seed, pairs, npairs, &id, &why);
    if (rc == APP_E_NOTFOUND) {
        why.field = "cohort";
        why.message = "Choose a cohort from the list";
        goto refused;
    }
    if (rc == APP_E_INVALID || rc == APP_E_CONFLICT)
        goto refused;
    if (rc)
        return rc;
    if (c->want_json) {
        /* the split is stored: a failed read now must not answer "try again" */
        struct set_split s;
        json_t *o = connect_split_get(c->db, c->arena, id, &s)
                        ? jobj(jobj(json_object(), "id", jint(id)), "url", jstr(split_url(c, id)))
                        : split_json(c, &s);
        return render(c, 201, NULL, jobj(json_object(), "split", o));
    }
    return redirect_with(c, "sets_split", split_url(c, id));
refused:
    if ((rc = req_add_error(c->req, why.field ? why.field : "cohort",
                            why.message ? why.message : "Check the split")))
        return rc;
    return render_invalid(c, "connect/set_new", split_form_model(c, cohort, (int)target));
}

/* ---- a split: balance, moves, publishing ---- */

/* The split page's model; status for render (400 when re-shown with a move's error). */
static int show_split(struct ctx *c, int64_t id, int64_t page, int status)
{
    struct set_split s;
    struct set_group *sets;
    struct set_balance all;
    size_t n;
    int64_t total;
    json_t *m, *arr;
    int rc = connect_split_get(c->db, c->arena, id, &s);
    if (rc)
        return rc;
    if (page < 1)
        page = 1;
    if ((rc = connect_split_sets(c->db, c->arena, id, (int)((page - 1) * SETS_PER_PAGE),
                                 SETS_PER_PAGE, &sets, &n, &total)) ||
        (rc = connect_split_balance(c->db, c->arena, id, &all)))
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (!push(arr, set_json(c, &sets[i], true))) {
            json_decref(arr);
            arr = NULL;
        }
    m = jobj(json_object(), "title", jstr(s.title));
    m = jobj(m, "split", split_json(c, &s));
    m = jobj(m, "balance", balance_json(c, &all));
    m = jobj(m, "sets", arr);
    m = jobj(m, "better_than_random", jbool(all.permille > s.random_score));
    m = jobj(m, "pagination",
             render_pagination(split_url(c, id), page, SETS_PER_PAGE, total, NULL));
    return status == 200 ? render(c, 200, "connect/set_split", m)
                         : render_invalid(c, "connect/set_split", m);
}

int page_connect_split(struct ctx *c)
{
    int64_t id = param(c, "id");
    return id ? show_split(c, id, req_field_int(c->req, "page", 1), 200) : APP_E_NOTFOUND;
}

int page_connect_split_move(struct ctx *c)
{
    int64_t id = param(c, "id"), to = req_field_int(c->req, "to", 0);
    const char *email = req_field(c->req, "email");
    struct set_why why;
    int rc;
    if (!id)
        return APP_E_NOTFOUND;
    if (c->req->nerrors)
        return show_split(c, id, 1, 400);
    rc = connect_split_move(c->db, c->arena, c->user->id, id, email,
                            to > 0 && to < 100000 ? (int)to : 0, &why);
    if (rc == APP_E_INVALID || rc == APP_E_CONFLICT) {
        if ((rc = req_add_error(c->req, why.field, why.message)))
            return rc;
        return show_split(c, id, 1, 400);
    }
    if (rc)
        return rc;
    if (c->want_json) {
        /* the move is stored: the balance is added when it can be read */
        struct set_balance b;
        json_t *o = jobj(jobj(json_object(), "moved", jstr(email)), "to", jint(to));
        if (!connect_split_balance(c->db, c->arena, id, &b))
            o = jobj(o, "balance", balance_json(c, &b));
        return render(c, 200, NULL, o);
    }
    return redirect_with(c, "set_member_moved",
                         arena_printf(c->arena, "%s?page=%lld#set-%lld", split_url(c, id),
                                      (long long)((to - 1) / SETS_PER_PAGE + 1), (long long)to));
}

int page_connect_split_publish(struct ctx *c)
{
    int64_t id = param(c, "id");
    int rc = id ? connect_split_publish(c->db, c->arena, c->user->id, id) : APP_E_NOTFOUND;
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "published", jbool(1)));
    return redirect_with(c, "sets_published", split_url(c, id));
}

int page_connect_split_delete(struct ctx *c)
{
    int64_t id = param(c, "id");
    int rc = id ? connect_split_delete(c->db, c->arena, c->user->id, id) : APP_E_NOTFOUND;
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc, "These sets are published: members rely on them, so they stay.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(jobj(json_object(), "id", jint(id)), "deleted", jbool(1)));
    return redirect_with(c, "sets_deleted", "/connect/sets");
}

/* ---- one set ---- */

struct set_view {
    struct set_split split;
    struct set_group set;
    bool member, facilitator, may_keep; /* may_keep: schedule and record */
};

/* The set the path names, if this user may see it; APP_E_NOTFOUND otherwise. */
static int load_set(struct ctx *c, struct set_view *v)
{
    int64_t id = param(c, "id"), n = param(c, "n");
    int rc;
    if (!id || !n || n > 100000)
        return APP_E_NOTFOUND;
    if ((rc = connect_split_get(c->db, c->arena, id, &v->split)) ||
        (rc = connect_set_get(c->db, c->arena, id, (int)n, &v->set)) ||
        (rc = connect_set_is_member(c->db, v->set.id, c->user->id, &v->member)))
        return rc;
    v->facilitator = v->set.facilitator_id == c->user->id;
    v->may_keep = lead(c) || v->facilitator;
    if (!lead(c) && !v->facilitator && !(v->member && v->split.published_at))
        return APP_E_NOTFOUND;
    return APP_OK;
}

/* A meeting's date: the NHS.UK date input's boxes day, month and year (a message about the
 * whole date goes on the day's box), or the API's "date" as 2026-11-30 (web/date_input.h). */
static const struct date_input_names meeting_date = {
    .day = "day", .month = "month", .year = "year", .iso = "date", .id = "date"};

static int show_set(struct ctx *c, struct set_view *v, int status)
{
    struct set_meeting *mt;
    size_t nmt;
    json_t *m, *planned = json_array(), *held = json_array();
    int rc = connect_set_meetings(c->db, c->arena, v->set.id, &mt, &nmt);
    bool any_planned = false, any_held = false;
    if (rc) {
        json_decref(planned);
        json_decref(held);
        return rc;
    }
    for (size_t i = 0; i < nmt; i++) {
        json_t *o = meeting_json(c, v->split.id, v->set.number, &mt[i]);
        if (mt[i].held) {
            any_held = true;
            if (!push(held, o))
                held = NULL;
        } else {
            any_planned = true;
            if (!push(planned, o))
                planned = NULL;
        }
    }
    m = jobj(json_object(), "title",
             jstr(v->member ? arena_printf(c->arena, "Your set: set %d", v->set.number)
                            : arena_printf(c->arena, "Set %d", v->set.number)));
    m = jobj(m, "split", split_json(c, &v->split));
    m = jobj(m, "set", set_json(c, &v->set, lead(c)));
    m = jobj(m, "you_are_member", jbool(v->member));
    m = jobj(m, "you_facilitate", jbool(v->facilitator));
    m = jobj(m, "is_lead", jbool(lead(c)));
    m = jobj(m, "may_keep", jbool(v->may_keep));
    m = jobj(m, "schedule", planned);
    m = jobj(m, "held", held);
    m = jobj(m, "has_schedule", jbool(any_planned));
    m = jobj(m, "leave_url",
             v->member
                 ? jstr(arena_printf(c->arena, "%s/leave", set_url(c, v->split.id, v->set.number)))
                 : json_null());
    if (v->may_keep) { /* who left, for the facilitator and leads */
        struct set_leaver *l = NULL;
        size_t nl = 0;
        json_t *left = json_array();
        if ((rc = connect_set_leavers(c->db, c->arena, v->set.id, &l, &nl))) {
            json_decref(left);
            json_decref(m);
            return rc;
        }
        for (size_t i = 0; left && i < nl; i++)
            if (!push(left, jobj(jobj(jobj(json_object(), "name", jstr(l[i].name)), "left_at",
                                      jint(l[i].left_at)),
                                 "left_text", jdate(l[i].left_at))))
                left = NULL;
        m = jobj(m, "has_left", jbool(nl > 0));
        m = jobj(m, "left", left);
    }
    m = jobj(m, "has_held", jbool(any_held));
    m = jobj(m, "confidentiality",
             json_string_nocheck("What is said in a set stays there. This record holds the "
                                 "dates of meetings and their themes only, never what was "
                                 "said."));
    m = jobj(m, "action",
             jstr(arena_printf(c->arena, "%s/meetings", set_url(c, v->split.id, v->set.number))));
    m = jobj(
        m, "facilitator_action",
        jstr(arena_printf(c->arena, "%s/facilitator", set_url(c, v->split.id, v->set.number))));
    /* a form sent back keeps its tick (form.held holds "0" for an unticked box) */
    m = jobj(m, "held_checked", jbool(req_field_bool(c->req, "held")));
    if (v->may_keep && !c->want_json)
        m = jobj(m, "date",
                 date_input_json_as(c->req, &meeting_date, "Date of the meeting",
                                    "For example, 27 3 2027", 0));
    return status == 200 ? render(c, 200, "connect/set", m) : render_invalid(c, "connect/set", m);
}

/* Re-shows the set's page with an error at field. */
static int set_refused(struct ctx *c, struct set_view *v, const char *field, const char *message)
{
    int rc = req_add_error(c->req, field, message);
    return rc ? rc : show_set(c, v, 400);
}

int page_connect_set(struct ctx *c)
{
    struct set_view v;
    int rc = load_set(c, &v);
    return rc ? rc : show_set(c, &v, 200);
}

int page_connect_set_facilitator(struct ctx *c)
{
    struct set_view v;
    struct set_why why;
    const char *email = req_field(c->req, "email");
    int rc = load_set(c, &v);
    if (rc)
        return rc;
    /* an address the request layer refused is not one left empty, which would take the
     * facilitator away */
    if (c->req->nerrors)
        return show_set(c, &v, 400);
    rc = connect_set_facilitator(c->db, c->arena, c->user->id, v.set.id, email ? email : "", &why);
    if (rc == APP_E_INVALID)
        return set_refused(c, &v, why.field, why.message);
    if (rc)
        return rc;
    if (c->want_json) {
        /* saved: the set is shown again when it can be read */
        json_t *o = json_object();
        if (!connect_set_get(c->db, c->arena, v.split.id, v.set.number, &v.set))
            o = jobj(o, "set", set_json(c, &v.set, true));
        return render(c, 200, NULL, jobj(o, "saved", jbool(1)));
    }
    return redirect_with(c, "set_facilitator_saved", set_url(c, v.split.id, v.set.number));
}

int page_connect_set_meeting_save(struct ctx *c)
{
    struct set_view v;
    struct set_why why;
    int64_t on = 0, now = (int64_t)time(NULL);
    bool held = req_field_bool(c->req, "held");
    const char *when;
    int rc = load_set(c, &v);
    if (rc)
        return rc;
    if (!v.may_keep)
        return APP_E_FORBIDDEN;
    /* a part the request layer refused is not one left out: its message alone, nothing saved */
    if (!date_input_field_as(c->req, &meeting_date, "The date of the meeting",
                             "Enter the date of the meeting", &on) ||
        c->req->nerrors)
        return show_set(c, &v, 400);
    /* a held meeting's date to come is said now, so that a missing theme is said with it */
    if ((when = connect_set_meeting_when(on, held, now)) &&
        (rc = req_add_error(c->req, "date", when)))
        return rc;
    rc = connect_set_meeting_save(c->db, c->arena, c->user->id, v.set.id, on, held,
                                  req_field(c->req, "theme"), now, &why);
    if (rc == APP_E_INVALID)
        return set_refused(c, &v, why.field, why.message);
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *o = jobj(json_object(), "date", jdate_input(on));
        o = jobj(o, "held", jbool(held));
        return render(c, 201, NULL, jobj(json_object(), "meeting", o));
    }
    return redirect_with(c, held ? "set_meeting_recorded" : "set_meeting_planned",
                         set_url(c, v.split.id, v.set.number));
}

int page_connect_set_leave_form(struct ctx *c)
{
    struct set_view v;
    json_t *m;
    int rc = load_set(c, &v);
    if (rc)
        return rc;
    if (!v.member)
        return APP_E_NOTFOUND;
    m = jobj(json_object(), "title", jstr("Leave your set?"));
    m = jobj(m, "split", split_json(c, &v.split));
    m = jobj(m, "set", set_json(c, &v.set, false));
    m = jobj(m, "set_url", jstr(set_url(c, v.split.id, v.set.number)));
    return render(c, 200, "connect/set_leave", m);
}

int page_connect_set_leave(struct ctx *c)
{
    struct set_view v;
    int rc = load_set(c, &v);
    if (rc)
        return rc;
    if (!v.member)
        return APP_E_NOTFOUND;
    if ((rc = connect_set_leave(c->db, c->arena, v.set.id, c->user->id, (int64_t)time(NULL))))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "left", jbool(1)), "set", jint(v.set.number)));
    return redirect_with(c, "set_left", "/connect/sets");
}

int page_connect_set_meeting_delete(struct ctx *c)
{
    struct set_view v;
    int64_t mid = param(c, "m");
    int rc = load_set(c, &v);
    if (rc)
        return rc;
    if (!v.may_keep)
        return APP_E_FORBIDDEN;
    if ((rc = mid ? connect_set_meeting_delete(c->db, v.set.id, mid) : APP_E_NOTFOUND))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "id", jint(mid)), "deleted", jbool(1)));
    return redirect_with(c, "set_meeting_deleted", set_url(c, v.split.id, v.set.number));
}
