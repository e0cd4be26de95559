/* demo_plan.c: demonstration content for plans and the programme lead's gap view — a
 * submitted self-assessment for every member of the demonstration cohort, and a
 * development plan for the first demo member built from their recommendations
 *
 * The cohort's ratings tell the story the gap view is for: digital leadership weakest (as
 * the national digital maturity figures say), equality and inclusion and the wider system
 * next, values and attention to staff strongest; each member a little above or below the
 * cohort in every area, each statement a little above or below the member, and one member
 * in twenty leaving equality unrated. Everything comes from a fixed seed, so two databases
 * get the same answers.
 *
 * Speed: 3,000 self-assessments are some 130,000 ratings. They go in one transaction,
 * 32 and 8 ratings to a statement, with the domain means written with the self-assessment, so
 * `make run` stays quick (see the figures in the report of `ahphub demo`).
 */
#include "develop/demo.h"
#include "develop/gaps.h"
#include "develop/measured.h"
#include "develop/plan.h"
#include "develop/plan_store.h"
#include "develop/self.h"
#include "develop/store.h"
#include "account/cohort.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <math.h>
#include <string.h>

#define DAY (24 * 60 * 60)

static const struct {
    const char *domain;
    double mean; /* the cohort's, on 1–4 */
} BASE[] = {
    {"system", 2.3},          {"vision", 2.5},
    {"patient-centre", 2.7},  {"self-followership", 2.6},
    {"values", 3.2},          {"attention-to-staff", 3.0},
    {"equality", 2.2},        {"digital", 1.8},
    {"clinical-safety", 2.8},
};

static double base_of(const char *domain)
{
    for (size_t i = 0; i < sizeof BASE / sizeof BASE[0]; i++)
        if (!strcmp(BASE[i].domain, domain))
            return BASE[i].mean;
    return 2.5;
}

/* Roughly normal, mean 0 and spread sd: the sum of three uniforms. */
static double noise(struct rng *r, double sd)
{
    return (rng_double(r) + rng_double(r) + rng_double(r) - 1.5) * 2 * sd;
}

/* One member's answers (fw->nbehaviours, in the arena's ans). */
static void member_answers(struct rng *r, const struct develop_framework *fw,
                           struct develop_answer *ans)
{
    double member = noise(r, 0.35);
    for (size_t d = 0; d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        double level = base_of(dm->id) + member + noise(r, 0.25);
        bool skip = !strcmp(dm->id, "equality") && rng_below(r, 20) == 0;
        for (size_t i = 0; i < dm->nbehaviours; i++) {
            long v = lround(level + noise(r, 0.5));
            if (v < 1)
                v = 1;
            if (v > (long)fw->scale.npoints)
                v = (long)fw->scale.npoints;
            ans[dm->first + i].rating = skip ? DEVELOP_NOT_RATED : (int)v;
            ans[dm->first + i].importance = 0;
            ans[dm->first + i].note = "";
        }
    }
}

/* Runs a chunk statement for k ratings (b, v) of self-assessment id. */
static int chunk(struct db *db, const char *sql, int64_t id,
                 const struct develop_behaviour *const *b, const int64_t *v, size_t k)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (!rc)
        rc = db_bind_int(st, 1, id);
    for (size_t i = 0; !rc && i < k; i++)
        if (!(rc = db_bind_cstr(st, 2 + 2 * (int)i, b[i]->id)))
            rc = db_bind_int(st, 3 + 2 * (int)i, v[i]);
    if (!rc)
        rc = db_step(st);
    if (rc == DB_DONE)
        rc = APP_OK;
    db_finalize(st);
    return rc;
}

/* The ratings of one self-assessment, 32 and 8 to a statement, the rest one by one. */
static int store_ratings(struct db *db, int64_t id, const struct develop_framework *fw,
                         const struct develop_answer *ans)
{
    const struct develop_behaviour *b[DEVELOP_MAX_DOMAINS * DEVELOP_MAX_BEHAVIOURS];
    int64_t v[DEVELOP_MAX_DOMAINS * DEVELOP_MAX_BEHAVIOURS];
    size_t n = 0, i = 0;
    int rc = APP_OK;
    for (size_t d = 0; d < fw->ndomains; d++)
        for (size_t k = 0; k < fw->domains[d].nbehaviours; k++)
            if (ans[fw->domains[d].first + k].rating != DEVELOP_NOT_RATED) {
                b[n] = &fw->domains[d].behaviours[k];
                v[n++] = ans[fw->domains[d].first + k].rating;
            }
    for (; !rc && i + 32 <= n; i += 32)
        rc = chunk(db, SQL_DDEMO_RATINGS32, id, b + i, v + i, 32);
    for (; !rc && i + 8 <= n; i += 8)
        rc = chunk(db, SQL_DDEMO_RATINGS8, id, b + i, v + i, 8);
    for (; !rc && i < n; i++)
        rc = db_run(db, SQL_DR_UPSERT, "itiit", id, b[i]->id, v[i], (int64_t)0, "");
    return rc;
}

int develop_demo_cohort(struct db *db, int64_t cohort_id, int64_t now, int *made)
{
    struct arena *a = arena_new();
    struct develop_framework fw;
    struct develop_answer *ans;
    struct db_stmt *st = NULL;
    struct rng r;
    int64_t fid = 0, *ids, done = 0;
    size_t n;
    int rc;
    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = develop_version_seed(db)) ||
        (rc = develop_version_latest_id(db, "ahp-clinical-leadership", &fid)) ||
        (rc = develop_version_load(db, a, fid, &fw)) ||
        (rc = db_run_int(db, SQL_DDEMO_COHORT_DONE, &done, "i", cohort_id)))
        goto done;
    if (done) /* the cohort has its self-assessments already */
        goto done;
    if ((rc = account_cohort_member_ids(db, a, cohort_id, &ids, &n)))
        goto done;
    if (!(ans = arena_calloc(a, fw.nbehaviours, sizeof *ans))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    rng_seed(&r, 20260316);
    if ((rc = db_begin(db)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        /* submitted over the last six months */
        int64_t when = now - (int64_t)rng_below(&r, 180) * DAY - (int64_t)rng_below(&r, DAY), id;
        const char *means;
        member_answers(&r, &fw, ans);
        if (!(means = develop_means_text(a, &fw, ans))) {
            rc = APP_E_NOMEM;
            goto done;
        }
        if ((rc = db_row(db, SQL_DDEMO_SELF, &st, "iiit", ids[i], fid, when, means)))
            goto done;
        id = db_col_int(st, 0);
        db_finalize(st);
        st = NULL;
        if ((rc = store_ratings(db, id, &fw, ans)))
            goto done;
    }
    if (!(rc = db_commit(db)))
        *made = (int)n;
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    arena_free(a);
    return rc;
}

/* The goal an activity serves: the first goal whose domain it develops, or 0. */
static int64_t goal_for(const struct develop_activity *act, const struct develop_goal *goals,
                        const int64_t *ids, size_t ngoals)
{
    for (size_t g = 0; g < ngoals; g++)
        for (size_t k = 0; k < act->nareas; k++)
            if (!act->areas[k].assess && !strcmp(act->areas[k].code, goals[g].framework_code) &&
                !strcmp(act->areas[k].domain, goals[g].domain))
                return ids[g];
    return 0;
}

int develop_demo_plan(struct db *db, int64_t user_id, int64_t now, int *made)
{
    static const char *const REFLECTION =
        "I agreed with my manager what I wanted from it before I started, and kept a short "
        "note after each session. It showed me that I put off conversations about priorities "
        "with the wider team; I now bring one to each team meeting, and next I will ask two "
        "colleagues how that is landing.";
    struct arena *a = arena_new();
    struct develop_goal goals[2] = {
        {0, user_id, "Lead my team\u2019s move to the new electronic record",
         "ahp-clinical-leadership", "digital", 0, 0, 0},
        {0, user_id, "Set out a shared vision for the community therapy service",
         "ahp-clinical-leadership", "vision", 0, 0, 0},
    };
    int64_t gid[2];
    struct develop_goal *have;
    struct develop_plan_item *items;
    struct develop_measured mz;
    struct develop_gap *gaps;
    struct develop_recommendation *recs;
    size_t ngoals, nitems, ngaps, nrecs, added = 0;
    int rc;
    *made = 0;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = develop_goal_list(db, a, user_id, &have, &ngoals)) ||
        (rc = develop_item_list(db, a, user_id, &items, &nitems)))
        goto done;
    if (ngoals || nitems) /* they have a plan already */
        goto done;
    if ((rc = develop_measured_load(db, NULL, a, user_id, now, &mz)) ||
        (rc = develop_recommend(a, &mz.in, &gaps, &ngaps, &recs, &nrecs)))
        goto done;
    goals[0].target_at = (now / DAY + 120) * DAY;
    goals[1].target_at = (now / DAY + 240) * DAY;
    for (size_t g = 0; g < 2; g++)
        if ((rc = develop_goal_create(db, &goals[g], now, &gid[g])))
            goto done;
    /* the three top recommendations: the first done with a reflection, the second under way */
    for (size_t i = 0; i < nrecs && added < 3; i++) {
        struct develop_plan_item it = {0};
        const char *reason = "";
        int64_t id;
        bool existed;
        for (size_t k = 0; reason && k < recs[i].ngaps; k++)
            reason = arena_printf(a, "%s%s%s", reason, k ? " " : "", recs[i].gaps[k]->text);
        if (!reason) {
            rc = APP_E_NOMEM;
            goto done;
        }
        it.user_id = user_id;
        it.activity_id = recs[i].activity->id;
        it.goal_id = goal_for(recs[i].activity, goals, gid, 2);
        it.title = it.kind = it.provider = "";
        it.status = added == 0 ? "done" : added == 1 ? "in-progress" : "not-started";
        it.reflection = added == 0 ? REFLECTION : "";
        it.reason = reason;
        it.target_at = (now / DAY + 60 * (int64_t)(added + 1)) * DAY;
        if ((rc = develop_item_add(db, &it, now - (int64_t)(3 - added) * 14 * DAY, &id, &existed)))
            goto done;
        added++;
    }
    {
        struct develop_plan_item own = {0};
        int64_t id;
        bool existed;
        own.user_id = user_id;
        own.goal_id = gid[1];
        own.title = "Shadow the head of therapies at two service planning meetings";
        own.kind = "shadowing";
        own.provider = "";
        own.status = "not-started";
        own.reflection = own.reason = "";
        own.target_at = (now / DAY + 90) * DAY;
        if ((rc = develop_item_add(db, &own, now, &id, &existed)))
            goto done;
    }
    *made = 1;
done:
    arena_free(a);
    return rc;
}
