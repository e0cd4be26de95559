/* recommend_pages.c: "Recommended for you" — what has been measured about the member, and
 * the catalogue's activities that meet their gaps, ranked and explained (recommend.h), each
 * added to the plan with one click
 *
 * Only the member's own results are read (measured.h), so the page says nothing about
 * anyone else. An activity already in the plan says so instead of offering it again.
 */
#include "develop/pages.h"
#include "develop/measured.h"
#include "develop/plan.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <math.h>
#include <string.h>
#include <time.h>

/* At most this many recommendations: a plan is a few things done well. */
#define RECOMMEND_SHOWN 10

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

static json_t *gap_json(const struct develop_gap *g)
{
    json_t *o = jobj(json_object(), "source",
                     jstr(g->source == DGS_SELF       ? "self"
                          : g->source == DGS_FEEDBACK ? "feedback"
                                                      : "assess"));
    o = jobj(o, "source_name", jstr(develop_gap_source_name(g->source)));
    o = jobj(o, "code", jstr(g->code));
    o = jobj(o, "domain", jstr(g->domain));
    o = jobj(o, "title", jstr(g->title));
    o = jobj(o, "points", develop_page_num(g->points, 1));
    return jobj(o, "text", jstr(g->text));
}

static int64_t plan_id_of(const struct develop_plan_item *items, size_t n, int64_t activity)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].activity_id == activity)
            return items[i].id;
    return 0;
}

int page_develop_recommendations(struct ctx *c)
{
    struct develop_measured mz;
    struct develop_gap *gaps;
    struct develop_recommendation *recs;
    struct develop_plan_item *items;
    size_t ng, nr, nitems;
    json_t *m, *garr, *rarr, *rounds;
    int rc = develop_measured_load(c->db, c->app->assess_versions, c->arena, c->user->id,
                                   (int64_t)time(NULL), &mz);
    if (!rc)
        rc = develop_recommend(c->arena, &mz.in, &gaps, &ng, &recs, &nr);
    if (!rc)
        rc = develop_item_list(c->db, c->arena, c->user->id, &items, &nitems);
    if (rc)
        return rc;
    garr = json_array();
    for (size_t i = 0; garr && i < ng; i++)
        if (!push(garr, gap_json(&gaps[i]))) {
            json_decref(garr);
            garr = NULL;
        }
    rarr = json_array();
    for (size_t i = 0; rarr && i < nr && i < RECOMMEND_SHOWN; i++) {
        const struct develop_activity *act = recs[i].activity;
        const char *kind =
            develop_choice_name(develop_activity_kinds, develop_activity_kinds_count, act->kind);
        int64_t in_plan = plan_id_of(items, nitems, act->id);
        json_t *reasons = json_array(), *o;
        for (size_t k = 0; reasons && k < recs[i].ngaps; k++)
            if (!push(reasons, gap_json(recs[i].gaps[k]))) {
                json_decref(reasons);
                reasons = NULL;
            }
        o = jobj(json_object(), "rank", jint((long long)i + 1));
        o = jobj(o, "id", jint(act->id));
        o = jobj(o, "title", jstr(act->title));
        o = jobj(o, "kind", jstr(act->kind));
        o = jobj(o, "kind_name", jstr(kind ? kind : act->kind));
        o = jobj(o, "is_mentoring",
                 jbool(!strcmp(act->kind, "mentoring") || !strcmp(act->kind, "coaching")));
        o = jobj(o, "provider", jstr(act->provider));
        o = jobj(o, "duration", jstr(act->duration));
        o = jobj(o, "score", develop_page_num(recs[i].score, 1));
        o = jobj(o, "in_plan", jbool(in_plan != 0));
        o = jobj(o, "plan_activity_id", in_plan ? jint(in_plan) : json_null());
        if (!push(rarr, jobj(o, "reasons", reasons))) {
            json_decref(rarr);
            rarr = NULL;
        }
    }
    rounds = json_array();
    for (size_t i = 0; rounds && i < mz.nrounds; i++)
        if (!push(rounds, jstr(mz.rounds[i]))) {
            json_decref(rounds);
            rounds = NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Recommended for you"));
    m = jobj(m, "self_id", mz.self_id ? jint(mz.self_id) : json_null());
    m = jobj(m, "self_submitted", jdate(mz.self_submitted_at));
    m = jobj(m, "framework", jstr(mz.framework_title));
    m = jobj(m, "has_self", jbool(mz.self_id != 0));
    m = jobj(m, "assess_rounds", rounds);
    m = jobj(m, "has_rounds", jbool(mz.nrounds > 0));
    m = jobj(m, "measured", jbool(mz.self_id != 0 || mz.nrounds > 0));
    m = jobj(m, "gaps", garr);
    m = jobj(m, "has_gaps", jbool(ng > 0));
    m = jobj(m, "recommendations", rarr);
    m = jobj(m, "has_recommendations", jbool(nr > 0));
    return render(c, 200, "develop/recommendations", m);
}
