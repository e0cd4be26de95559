/* self_pages.c: taking a self-assessment — start, one page per domain, check your answers,
 * submit
 *
 * A member answers one domain at a time and may leave and come back: each "Save" stores
 * that domain's answers in the draft. A wrong answer (a rating not on the scale, a note over
 * 1000 characters) stores nothing and shows the page again with everything as it was typed.
 */
#include "develop/pages.h"
#include "develop/gaps.h"
#include "core/log.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

/* How far a draft has got: the first domain with nothing answered (1-based), or ndomains + 1
 * when every domain has at least one answer. */
static size_t next_domain(const struct develop_framework *fw, const struct develop_answer *ans)
{
    for (size_t d = 0; d < fw->ndomains; d++) {
        bool any = false;
        for (size_t i = 0; i < fw->domains[d].nbehaviours && !any; i++)
            any = ans[fw->domains[d].first + i].rating != DEVELOP_NOT_RATED;
        if (!any)
            return d + 1;
    }
    return fw->ndomains + 1;
}

static size_t rated_count(const struct develop_framework *fw, const struct develop_answer *ans)
{
    size_t n = 0;
    for (size_t i = 0; i < fw->nbehaviours; i++)
        n += ans[i].rating != DEVELOP_NOT_RATED;
    return n;
}

/* Where a draft goes on: under /api/v1 for a call there, so an API client is led on through
 * the API and a browser through the pages. */
static const char *api_prefix(struct ctx *c)
{
    return c->req->api ? "/api/v1" : "";
}

static const char *draft_next(struct ctx *c, const struct develop_self *s,
                              const struct develop_framework *fw, const struct develop_answer *ans)
{
    size_t next = next_domain(fw, ans);
    if (next > fw->ndomains)
        return arena_printf(c->arena, "%s/develop/self/%lld/check", api_prefix(c),
                            (long long)s->id);
    return arena_printf(c->arena, "%s/develop/self/%lld/domain/%zu", api_prefix(c),
                        (long long)s->id, next);
}

int page_develop_start(struct ctx *c)
{
    int64_t fid = req_field_int(c->req, "framework", 0), id = 0;
    bool resumed = false;
    int rc;
    /* a framework the request layer refused ("abc") is no choice: starting the shipped one
     * in its place would be a self-assessment the member did not ask for */
    if (c->req->nerrors) {
        render_error(c, APP_E_INVALID, "Choose a framework from the list.");
        return APP_OK;
    }
    if (!fid) { /* the shipped framework's latest version when none is chosen */
        rc = develop_version_latest_id(c->db, "ahp-clinical-leadership", &fid);
        if (rc && rc != APP_E_NOTFOUND)
            return rc;
    }
    rc = develop_self_start(c->db, c->user->id, fid, (int64_t)time(NULL), &id, &resumed);
    if (rc == APP_E_NOTFOUND) {
        render_error(c, APP_E_INVALID, "Choose a framework from the list.");
        return APP_OK;
    }
    if (rc == APP_E_CONFLICT) {
        render_error(c, APP_E_INVALID,
                     "That is an older version of the framework, which has been replaced. "
                     "Start a self-assessment on its current version from My development.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "id", jint(id));
        m = jobj(m, "resumed", jbool(resumed));
        return render(c, resumed ? 200 : 201, NULL,
                      jobj(m, "path",
                           jstr(arena_printf(c->arena, "%s/develop/self/%lld/domain/1",
                                             api_prefix(c), (long long)id))));
    }
    return resp_redirect(c, arena_printf(c->arena, "/develop/self/%lld/domain/1", (long long)id));
}

/* The domain the path's :n names (1-based), or 0. */
static size_t domain_param(struct ctx *c, const struct develop_framework *fw)
{
    int64_t n = develop_page_param(c, "n");
    return n >= 1 && (size_t)n <= fw->ndomains ? (size_t)n : 0;
}

/* A draft named in the path, or *done when it was submitted (the member is sent to its
 * results). */
static int load_draft(struct ctx *c, struct develop_self *s, struct develop_framework *fw,
                      struct develop_answer **ans, bool *done)
{
    int rc = develop_page_load_self(c, s, fw, ans);
    *done = false;
    if (rc || !s->submitted_at)
        return rc;
    *done = true;
    /* a write with refused fields answers as refused, not with the redirect of a page */
    if (c->want_json || (c->req->method != M_GET && c->req->nerrors)) {
        render_error(c, APP_E_CONFLICT, "This self-assessment has been submitted already.");
        return APP_OK;
    }
    return resp_redirect(c, arena_printf(c->arena, "/develop/self/%lld", (long long)s->id));
}

static json_t *radio(struct ctx *c, const char *name, const char *value, const char *label,
                     const char *hint, size_t k, bool checked)
{
    json_t *o = jobj(json_object(), "value", jstr(value));
    o = jobj(o, "label", jstr(label));
    o = jobj(o, "hint", jstr(hint));
    o = jobj(o, "id", jstr(k ? arena_printf(c->arena, "%s-%zu", name, k) : name));
    o = jobj(o, "name", jstr(name));
    return jobj(o, "checked", jbool(checked));
}

static bool push(json_t *arr, json_t *v)
{
    return v && json_array_append_new(arr, v) == 0;
}

static json_t *domain_model(struct ctx *c, const struct develop_self *s,
                            const struct develop_framework *fw, const struct develop_answer *ans,
                            size_t n)
{
    const struct develop_domain *dm = &fw->domains[n - 1];
    bool typed = c->req->nerrors > 0; /* show what was sent, not what is stored */
    json_t *items = json_array(), *m, *d;
    for (size_t i = 0; items && i < dm->nbehaviours; i++) {
        const struct develop_behaviour *b = &dm->behaviours[i];
        const struct develop_answer *an = &ans[dm->first + i];
        const char *rname = arena_printf(c->arena, "rating.%s", b->id);
        const char *iname = arena_printf(c->arena, "importance.%s", b->id);
        const char *nname = arena_printf(c->arena, "note.%s", b->id);
        const char *rt, *it, *note;
        json_t *opts, *imps, *y;
        char v[24];
        /* the names first: nothing is held yet when one cannot be made */
        if (!rname || !iname || !nname)
            goto fail;
        rt = typed ? req_field(c->req, rname) : NULL;
        it = typed ? req_field(c->req, iname) : NULL;
        /* the note as typed, refused too (one with a stray control character comes back
         * without it, to be sent again) */
        note = typed ? req_typed(c->req, nname) : an->note;
        opts = json_array();
        imps = json_array();
        for (size_t k = 0; opts && k < fw->scale.npoints; k++) {
            snprintf(v, sizeof v, "%zu", k + 1);
            if (!push(opts,
                      radio(c, rname, v, fw->scale.points[k].label, fw->scale.points[k].description,
                            k, typed ? rt && !strcmp(rt, v) : an->rating == (int)k + 1))) {
                json_decref(opts);
                opts = NULL;
            }
        }
        if (opts && *fw->scale.no_chance &&
            !push(opts,
                  radio(c, rname, "none", fw->scale.no_chance, "", fw->scale.npoints,
                        typed ? rt && !strcmp(rt, "none") : an->rating == DEVELOP_NO_CHANCE))) {
            json_decref(opts);
            opts = NULL;
        }
        for (size_t k = 0; imps && k < fw->importance.npoints; k++) {
            snprintf(v, sizeof v, "%zu", k + 1);
            if (!push(imps, radio(c, iname, v, fw->importance.points[k], "", k,
                                  typed ? it && !strcmp(it, v) : an->importance == (int)k + 1))) {
                json_decref(imps);
                imps = NULL;
            }
        }
        /* Radios cannot be unticked without a script: once something is chosen, an empty
         * choice takes it back (an empty value is no answer at all). */
        if (opts && (typed ? rt != NULL : an->rating != DEVELOP_NOT_RATED) &&
            !push(opts, radio(c, rname, "", "Leave this out", "", fw->scale.npoints + 1, false))) {
            json_decref(opts);
            opts = NULL;
        }
        if (imps && (typed ? it != NULL : an->importance != 0) &&
            !push(imps, radio(c, iname, "", "Not given", "", fw->importance.npoints, false))) {
            json_decref(imps);
            imps = NULL;
        }
        y = jobj(json_object(), "id", jstr(b->id));
        y = jobj(y, "number", jint((long long)i + 1));
        y = jobj(y, "statement", jstr(b->statement));
        y = jobj(y, "rating_name", jstr(rname));
        y = jobj(y, "importance_name", jstr(iname));
        y = jobj(y, "note_name", jstr(nname));
        y = jobj(y, "note", jstr(note));
        y = jobj(y, "options", opts);
        y = jobj(y, "importance", imps);
        y = jobj(y, "rating_error", jstr(req_error(c->req, rname)));
        y = jobj(y, "importance_error", jstr(req_error(c->req, iname)));
        y = jobj(y, "note_error", jstr(req_error(c->req, nname)));
        y = jobj(y, "has_error",
                 jbool(req_error(c->req, rname) || req_error(c->req, iname) ||
                       req_error(c->req, nname)));
        if (!push(items, y))
            goto fail;
    }
    d = jobj(json_object(), "id", jstr(dm->id));
    d = jobj(d, "title", jstr(dm->title));
    d = jobj(d, "description", jstr(dm->description));
    d = jobj(d, "behaviours", items);
    m = jobj(json_object(), "title",
             jstr(arena_printf(c->arena, "%s – area %zu of %zu", dm->title, n, fw->ndomains)));
    m = jobj(m, "self", develop_page_self_json(s));
    m = jobj(m, "framework", jstr(fw->title));
    m = jobj(m, "scale", develop_page_scale(fw));
    m = jobj(m, "importance_question", jstr(fw->importance.question));
    m = jobj(m, "has_importance", jbool(fw->importance.enabled));
    m = jobj(m, "domain_number", jint((long long)n));
    m = jobj(m, "domains_count", jint((long long)fw->ndomains));
    m = jobj(m, "progress", jint((long long)((n - 1) * 100 / fw->ndomains)));
    m = jobj(m, "rated", jint((long long)rated_count(fw, ans)));
    m = jobj(m, "behaviours_count", jint((long long)fw->nbehaviours));
    m = jobj(m, "is_first", jbool(n == 1));
    m = jobj(m, "is_last", jbool(n == fw->ndomains));
    m = jobj(m, "previous", jint((long long)n - 1));
    return jobj(m, "domain", d);
fail:
    json_decref(items);
    return NULL;
}

int page_develop_domain(struct ctx *c)
{
    struct develop_self s;
    struct develop_framework fw;
    struct develop_answer *ans;
    bool done;
    size_t n;
    int rc = load_draft(c, &s, &fw, &ans, &done);
    if (rc || done)
        return rc;
    if (!(n = domain_param(c, &fw)))
        return APP_E_NOTFOUND;
    return render(c, 200, "develop/domain", domain_model(c, &s, &fw, ans, n));
}

/* Whether a JSON body leaves the key name out: an API client that sends part of a domain
 * changes only what it names (a null names a value too: it clears it). A form always sends
 * the whole domain (an unticked rating is no rating), so for a form nothing is left out. */
static bool left_out(struct ctx *c, const char *name)
{
    return c->req->json && json_is_object(c->req->json) && !json_object_get(c->req->json, name);
}

/* Reads one behaviour's answer from the request, adding an error for each part that is
 * wrong; ok is false when there was one. stored is the answer already saved, kept for each
 * part a JSON body leaves out. Returns false too when out of memory (*oom set). */
static bool read_answer(struct ctx *c, const struct develop_framework *fw,
                        const struct develop_behaviour *b, size_t number,
                        const struct develop_answer *stored, struct develop_answer *out, bool *oom)
{
    const char *rname = arena_printf(c->arena, "rating.%s", b->id);
    const char *iname = arena_printf(c->arena, "importance.%s", b->id);
    const char *nname = arena_printf(c->arena, "note.%s", b->id);
    const char *rv, *iv, *nv;
    int64_t k;
    bool ok = true;
    if (!rname || !iname || !nname) {
        *oom = true;
        return false;
    }
    rv = req_field(c->req, rname);
    iv = req_field(c->req, iname);
    nv = req_field(c->req, nname);
    out->rating = left_out(c, rname) ? stored->rating : DEVELOP_NOT_RATED;
    out->importance = left_out(c, iname) ? stored->importance : 0;
    out->note = left_out(c, nname) ? stored->note : nv ? nv : "";
    if (rv && !strcmp(rv, "none") && *fw->scale.no_chance) {
        out->rating = DEVELOP_NO_CHANCE;
    } else if (rv) {
        if (parse_int64((struct str){rv, strlen(rv)}, &k) && k >= 1 &&
            k <= (int64_t)fw->scale.npoints) {
            out->rating = (int)k;
        } else {
            req_add_error(
                c->req, rname,
                arena_printf(c->arena, "Statement %zu: choose one of the answers", number));
            ok = false;
        }
    }
    if (iv) {
        if (fw->importance.enabled && parse_int64((struct str){iv, strlen(iv)}, &k) && k >= 1 &&
            k <= (int64_t)fw->importance.npoints) {
            out->importance = (int)k;
        } else {
            req_add_error(c->req, iname,
                          arena_printf(c->arena,
                                       "Statement %zu: choose how important this is from the "
                                       "list",
                                       number));
            ok = false;
        }
    }
    if (utf8_count(out->note, strlen(out->note)) > DEVELOP_NOTE_MAX) {
        req_add_error(c->req, nname,
                      arena_printf(c->arena,
                                   "Statement %zu: your note must be %d characters or fewer; it "
                                   "has %zu",
                                   number, DEVELOP_NOTE_MAX,
                                   utf8_count(out->note, strlen(out->note))));
        ok = false;
    }
    return ok;
}

/* the families of one statement's answer (routes.def develop_answer_fields) */
static const char *const ANSWER_PREFIXES[] = {"rating.", "importance.", "note.", NULL};

int page_develop_answer(struct ctx *c)
{
    struct develop_self s;
    struct develop_framework fw;
    struct develop_answer *ans, *mine;
    const struct develop_domain *dm;
    const char *action = req_field(c->req, "action");
    bool done;
    size_t n;
    int rc = load_draft(c, &s, &fw, &ans, &done);
    if (rc || done)
        return rc;
    if (!(n = domain_param(c, &fw)))
        return APP_E_NOTFOUND;
    dm = &fw.domains[n - 1];
    if (!(mine = arena_calloc(c->arena, dm->nbehaviours, sizeof *mine)) ||
        develop_page_refuse_other_statements(c, dm, ANSWER_PREFIXES))
        return APP_E_NOMEM;
    for (size_t i = 0; i < dm->nbehaviours; i++) {
        bool oom = false;
        read_answer(c, &fw, &dm->behaviours[i], i + 1, &ans[dm->first + i], &mine[i], &oom);
        if (oom)
            return APP_E_NOMEM;
    }
    if (c->req->nerrors)
        return render_invalid(c, "develop/domain", domain_model(c, &s, &fw, ans, n));
    rc = develop_self_save(c->db, &fw, s.id, c->user->id, n - 1, mine, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc,
                     "This self-assessment has been submitted already, so it cannot "
                     "be changed. Start a new one to rate yourself again.");
        return APP_OK;
    }
    if (rc)
        return rc;
    memcpy(&ans[dm->first], mine, dm->nbehaviours * sizeof *mine);
    if (c->want_json) {
        json_t *m = jobj(json_object(), "saved", jbool(1));
        m = jobj(m, "rated", jint((long long)rated_count(&fw, ans)));
        m = jobj(m, "behaviours", jint((long long)fw.nbehaviours));
        return render(c, 200, NULL, jobj(m, "next", jstr(draft_next(c, &s, &fw, ans))));
    }
    if (action && !strcmp(action, "later"))
        return resp_redirect(c, "/develop");
    if (action && !strcmp(action, "back") && n > 1)
        return resp_redirect(
            c, arena_printf(c->arena, "/develop/self/%lld/domain/%zu", (long long)s.id, n - 1));
    if (n < fw.ndomains)
        return resp_redirect(
            c, arena_printf(c->arena, "/develop/self/%lld/domain/%zu", (long long)s.id, n + 1));
    return resp_redirect(c, arena_printf(c->arena, "/develop/self/%lld/check", (long long)s.id));
}

static json_t *check_model(const struct develop_self *s, const struct develop_framework *fw,
                           const struct develop_answer *ans)
{
    json_t *doms = json_array(), *m;
    size_t rated = rated_count(fw, ans);
    for (size_t d = 0; doms && d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        size_t r = 0, none = 0;
        json_t *o;
        for (size_t i = 0; i < dm->nbehaviours; i++) {
            r += ans[dm->first + i].rating >= 1;
            none += ans[dm->first + i].rating == DEVELOP_NO_CHANCE;
        }
        o = jobj(json_object(), "number", jint((long long)d + 1));
        o = jobj(o, "title", jstr(dm->title));
        o = jobj(o, "rated", jint((long long)r));
        o = jobj(o, "no_chance", jint((long long)none));
        o = jobj(o, "behaviours", jint((long long)dm->nbehaviours));
        o = jobj(o, "complete", jbool(r + none == dm->nbehaviours));
        if (!push(doms, o)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    m = jobj(json_object(), "title", json_string_nocheck("Check your answers"));
    m = jobj(m, "self", develop_page_self_json(s));
    m = jobj(m, "framework", jstr(fw->title));
    m = jobj(m, "domains", doms);
    m = jobj(m, "rated", jint((long long)rated));
    m = jobj(m, "behaviours_count", jint((long long)fw->nbehaviours));
    return jobj(m, "all_rated", jbool(rated == fw->nbehaviours));
}

int page_develop_check(struct ctx *c)
{
    struct develop_self s;
    struct develop_framework fw;
    struct develop_answer *ans;
    bool done;
    int rc = load_draft(c, &s, &fw, &ans, &done);
    if (rc || done)
        return rc;
    return render(c, 200, "develop/check", check_model(&s, &fw, ans));
}

int page_develop_submit(struct ctx *c)
{
    struct develop_self s;
    struct develop_framework fw;
    struct develop_answer *ans;
    bool done;
    size_t scored = 0;
    int rc = load_draft(c, &s, &fw, &ans, &done);
    if (rc || done)
        return rc;
    for (size_t i = 0; i < fw.nbehaviours; i++)
        scored += ans[i].rating >= 1;
    if (!scored) {
        req_add_error(c->req, "submit",
                      "Rate at least one statement on the scale before you submit");
        return render_invalid(c, "develop/check", check_model(&s, &fw, ans));
    }
    rc = develop_self_submit(c->db, s.id, c->user->id, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "This self-assessment has been submitted already.");
        return APP_OK;
    }
    if (rc)
        return rc;
    /* its domain means for programme leads' gap views; should this fail, the first gap view
     * that needs them computes them (gaps.c), so the submission stands either way */
    if (develop_means_store(c->db, c->arena, &fw, ans, s.id))
        log_warn("develop: domain means of self-assessment %lld not kept yet", (long long)s.id);
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "submitted", jbool(1)), "id", jint(s.id)));
    return resp_redirect(c, arena_printf(c->arena, "/develop/self/%lld", (long long)s.id));
}

/* A draft's own page is where it stands: the next domain to answer, or the check page. */
const char *develop_page_draft_next(struct ctx *c, const struct develop_self *s,
                                    const struct develop_framework *fw,
                                    const struct develop_answer *ans)
{
    return draft_next(c, s, fw, ans);
}
