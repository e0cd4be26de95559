/* measured.c: a member's measured gaps gathered from Develop and Assess (measured.h)
 *
 * The modules' own reading functions do the work (self-assessments, the 360's privacy-ruled
 * domain figures, Assess results); this file only picks the latest of
 * each and turns results into develop_recommend()'s input, so a result here is always the
 * one the member sees on their own results pages.
 */
#include "develop/measured.h"
#include "develop/feedback.h"
#include "develop/self.h"
#include "assess/round.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

static int load_self(struct db *db, struct arena *a, int64_t user_id, struct develop_measured *m)
{
    struct develop_self *list;
    struct develop_framework fw;
    struct develop_answer *ans;
    struct develop_result *r;
    struct develop_rec_self *out;
    size_t n;
    int rc = develop_self_list(db, a, user_id, &list, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) { /* the draft first, then submitted ones newest first */
        if (!list[i].submitted_at)
            continue;
        if ((rc = develop_version_load(db, a, list[i].framework_id, &fw)) ||
            (rc = develop_self_answers(db, a, &fw, list[i].id, &ans)))
            return rc;
        r = arena_calloc(a, fw.ndomains ? fw.ndomains : 1, sizeof *r);
        out = arena_calloc(a, fw.ndomains ? fw.ndomains : 1, sizeof *out);
        if (!r || !out)
            return APP_E_NOMEM;
        if ((rc = develop_score(&fw, ans, r)))
            return rc;
        for (size_t d = 0; d < fw.ndomains; d++)
            out[d] = (struct develop_rec_self){fw.domains[d].id, fw.domains[d].title, r[d].scored,
                                               r[d].mean};
        m->in.framework_code = fw.code;
        m->in.points = (int)fw.scale.npoints;
        m->in.self = out;
        m->in.nself = fw.ndomains;
        m->self_id = list[i].id;
        m->self_submitted_at = list[i].submitted_at;
        m->framework_title = fw.title;
        break;
    }
    return APP_OK;
}

static int load_assess(struct db *db, struct assess_version_cache *cache, struct arena *a,
                       int64_t user_id, struct develop_measured *m)
{
    struct assess_answered *list;
    struct develop_rec_assess *out = NULL;
    size_t n, nout = 0, cap = 0;
    const char **seen;
    int rc = assess_round_list_answered(db, a, user_id, &list, &n);
    if (rc)
        return rc;
    if (!(seen = arena_calloc(a, n ? n : 1, sizeof *seen)) ||
        !(m->rounds = arena_calloc(a, n ? n : 1, sizeof *m->rounds)))
        return APP_E_NOMEM;
    /* most recently changed first: the first submitted one per instrument is its latest */
    for (size_t i = 0; i < n; i++) {
        struct assess_instrument ins;
        struct assess_response resp;
        struct assess_score *sc, overall;
        bool dup = false;
        if (!list[i].submitted_at)
            continue;
        for (size_t k = 0; k < m->nrounds && !dup; k++)
            dup = !strcmp(seen[k], list[i].round.instrument_code);
        if (dup)
            continue;
        rc = assess_response_by_user(db, a, list[i].round.id, user_id, &resp);
        if (rc == APP_E_NOTFOUND)
            continue;
        if (rc || (rc = assess_version_load(db, cache, a, list[i].round.instrument_id, &ins)))
            return rc;
        if (!resp.submitted_at)
            continue;
        if (!(sc = arena_calloc(a, ins.ndomains ? ins.ndomains : 1, sizeof *sc)))
            return APP_E_NOMEM;
        if ((rc = assess_score(&ins, resp.answers, strlen(resp.answers), sc, &overall)))
            return rc;
        for (size_t d = 0; d < ins.ndomains; d++) {
            struct develop_rec_assess *l;
            if (!sc[d].scored)
                continue;
            if (!(l = arena_grow(a, out, nout + 1, &cap, sizeof *l)))
                return APP_E_NOMEM;
            out = l;
            out[nout++] = (struct develop_rec_assess){
                ins.code,      ins.domains[d].id,           ins.domains[d].title,
                sc[d].percent, ins.domains[d].has_baseline, ins.domains[d].baseline};
        }
        seen[m->nrounds] = list[i].round.instrument_code;
        m->rounds[m->nrounds++] = list[i].round.title;
    }
    m->in.assess = out;
    m->in.nassess = nout;
    return APP_OK;
}

/* The latest closed 360: the domains where both the member's own mean and the others' are
 * shown under the 360's privacy rules (feedback.h), nothing else. */
static int load_feedback(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                         struct develop_measured *m)
{
    struct feedback_domain_gap *gaps;
    struct develop_rec_feedback *out;
    size_t n, k = 0;
    int64_t request_id = 0;
    int rc = develop_feedback_domain_gaps(db, a, user_id, now, &gaps, &n, &request_id);
    if (rc || !n)
        return rc;
    if (!(out = arena_calloc(a, n, sizeof *out)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (gaps[i].self_scored && gaps[i].others_shown)
            out[k++] = (struct develop_rec_feedback){gaps[i].domain_id, gaps[i].title,
                                                     gaps[i].self_mean, gaps[i].others_mean};
    m->in.feedback = out;
    m->in.nfeedback = k;
    return APP_OK;
}

static int load_catalogue(struct db *db, struct arena *a, struct develop_measured *m)
{
    struct develop_activity *all, *act;
    size_t n, k = 0;
    int rc = develop_activity_all(db, a, &all, &n);
    if (rc)
        return rc;
    if (!(act = arena_calloc(a, n ? n : 1, sizeof *act)))
        return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (all[i].active)
            act[k++] = all[i];
    m->in.activities = act;
    m->in.nactivities = k;
    return APP_OK;
}

int develop_measured_load(struct db *db, struct assess_version_cache *cache, struct arena *a,
                          int64_t user_id, int64_t now, struct develop_measured *out)
{
    int rc;
    memset(out, 0, sizeof *out);
    out->framework_title = "";
    if ((rc = load_self(db, a, user_id, out)) || (rc = load_feedback(db, a, user_id, now, out)) ||
        (rc = load_assess(db, cache, a, user_id, out)))
        return rc;
    return load_catalogue(db, a, out);
}
