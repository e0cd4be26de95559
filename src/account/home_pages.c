/* home_pages.c: "Your home", the page a member lands on after logging in, and the admin index
 *
 * Your home gathers what is the member's own across the modules: the assessments they answer
 * under their name (in progress, or submitted with their results), the listening exercises
 * they facilitate with what waits for moderation, the assessment rounds they run, and their
 * details. Each module adds its part here as it is built; a part with nothing in it is left
 * out, and the page says what it cannot show: anonymous answers are never linked to an
 * account, so no page can list them for anyone.
 *
 * The service's front page ("/", site_pages.c) stays the same for everybody and reads
 * nothing but the session, so it costs one query; what is personal lives here.
 */
#include "account/account.h"
#include "app.h"
#include "assess/round.h"
#include "develop/home.h"
#include "connect/set_home.h"
#include "core/arena.h"
#include "core/err.h"
#include "listen/listen.h"
#include "web/render.h"

#include <time.h>

static json_t *answered_json(const struct assess_answered *e, int64_t now)
{
    const struct assess_round *r = &e->round;
    enum assess_round_state state = assess_round_state(r, now);
    const char *status = e->submitted_at       ? "submitted"
                         : state == ARS_CLOSED ? "closed"
                                               : "in_progress";
    json_t *o = jobj(json_object(), "slug", jstr(r->slug));
    o = jobj(o, "title", jstr(r->title));
    o = jobj(o, "instrument", jstr(r->instrument_title));
    o = jobj(o, "status", json_string_nocheck(status));
    o = jobj(o, "submitted", jbool(e->submitted_at != 0));
    o = jobj(o, "in_progress", jbool(!e->submitted_at && state != ARS_CLOSED));
    o = jobj(o, "closed_unsubmitted", jbool(!e->submitted_at && state == ARS_CLOSED));
    o = jobj(o, "started_at", jint(e->started_at));
    o = jobj(o, "updated_at", jint(e->updated_at));
    o = jobj(o, "submitted_at", jint(e->submitted_at));
    o = jobj(o, "updated_on", account_date_text(e->updated_at));
    o = jobj(o, "submitted_on", account_date_text(e->submitted_at));
    return jobj(o, "closes_on", account_date_text(r->closes_at));
}

static json_t *exercise_json(const struct listen_exercise *x)
{
    json_t *o = jobj(json_object(), "slug", jstr(x->slug));
    o = jobj(o, "title", jstr(x->title));
    o = jobj(o, "status", json_string_nocheck(listen_status_name(x->status)));
    o = jobj(o, "waiting", jint(x->waiting));
    return jobj(o, "waiting_one", jbool(x->waiting == 1));
}

static json_t *round_json(const struct assess_round *r, int64_t now)
{
    json_t *o = jobj(json_object(), "slug", jstr(r->slug));
    o = jobj(o, "title", jstr(r->title));
    o = jobj(o, "state", json_string_nocheck(assess_round_state_name(assess_round_state(r, now))));
    return jobj(o, "closes_on", account_date_text(r->closes_at));
}

/* One array per part of the page: NULL when out of memory, which jobj() passes on. */
static json_t *answered_list(const struct assess_answered *e, size_t n, int64_t now)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, answered_json(&e[i], now))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static json_t *exercise_list(const struct listen_exercise *x, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, exercise_json(&x[i]))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static json_t *round_list(const struct assess_round *r, size_t n, int64_t now)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, round_json(&r[i], now))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

int page_site_your_home(struct ctx *c)
{
    struct user u;
    struct assess_answered *answered;
    struct listen_exercise *exercises = NULL;
    struct assess_round *rounds = NULL;
    size_t nanswered, nexercises = 0, nrounds = 0;
    int64_t now = (int64_t)time(NULL);
    bool facilitator = c->user->role >= ROLE_FACILITATOR;
    json_t *m;
    int rc = account_user_get(c->db, c->arena, c->user->id, &u);
    if (!rc)
        rc = assess_round_list_answered(c->db, c->arena, u.id, &answered, &nanswered);
    if (!rc)
        rc = listen_exercise_list_facilitated(c->db, c->arena, u.id, &exercises, &nexercises);
    if (!rc && facilitator)
        rc = assess_round_list_created(c->db, c->arena, u.id, &rounds, &nrounds);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", json_string_nocheck("Your home"));
    m = jobj(m, "me", account_user_json(&u));
    m = jobj(m, "assessments", answered_list(answered, nanswered, now));
    m = jobj(m, "exercises", exercise_list(exercises, nexercises));
    m = jobj(m, "rounds", round_list(rounds, nrounds, now));
    m = jobj(m, "has_assessments", jbool(nanswered > 0));
    m = jobj(m, "has_exercises", jbool(nexercises > 0));
    m = jobj(m, "has_rounds", jbool(nrounds > 0));
    m = jobj(m, "is_facilitator", jbool(facilitator));
    /* ---- Develop ---- */
    m = jobj(m, "development", develop_home_json(c, &rc));
    /* ---- Connect: action learning sets ---- */
    if (!rc)
        m = jobj(m, "action_learning", connect_sets_home_json(c, &rc));
    if (rc) {
        json_decref(m);
        return rc;
    }
    return render(c, 200, "site/your_home", m);
}

int page_admin_index(struct ctx *c)
{
    return render(c, 200, "admin/index", json_pack("{s:s}", "title", "Administration"));
}
