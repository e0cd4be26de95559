/* cv_pages.c: the non-medical CV — the page (and its API), choosing what goes on it, and the
 * downloads as PDF, Word and JSON Resume
 *
 * One model (develop/cv.h) built from the logged-in member's own entries and profile feeds
 * the page and every download, so they always agree. Downloads are for the member only: no
 * route takes another member's id, and a reviewer reads a shared portfolio, never a CV.
 */
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "develop/cv.h"
#include "develop/pages.h"
#include "develop/portfolio_view.h"
#include "web/render.h"
#include "text/markdown.h"

#include <string.h>
#include <time.h>

/* The member's CV and, when entries is not NULL, all their entries. */
static int load_cv(struct ctx *c, struct develop_cv *cv, struct develop_entry **entries, size_t *n,
                   struct develop_cv_profile *profile)
{
    struct develop_entry *e = NULL;
    size_t count = 0;
    int rc;

    if ((rc = develop_cv_profile_get(c->db, c->arena, c->user->id, profile)) ||
        (rc = develop_entry_list(c->db, c->arena, c->user->id, false, &e, &count)))
        return rc;
    if (entries) {
        *entries = e;
        *n = count;
    }
    return develop_cv_build(c->arena, c->user->display_name, c->user->email, profile, e, count, cv);
}

static bool push(json_t *arr, json_t *v)
{
    if (!arr || !v) {
        json_decref(v);
        return false;
    }
    return !json_array_append_new(arr, v);
}

static json_t *item_json(struct ctx *c, const struct develop_cv_item *it)
{
    json_t *o = jobj(json_object(), "id", jint(it->entry->id));
    o = jobj(o, "title", jstr(it->entry->title));
    o = jobj(o, "kind", jstr(it->entry->kind));
    o = jobj(o, "kind_name", jstr(it->kind_name));
    o = jobj(o, "context", jstr(it->entry->context));
    o = jobj(o, "dates", jstr(it->dates));
    o = jobj(o, "skills", jstr(it->skill_names));
    o = jobj(o, "text", jstr(it->text));
    o = jobj(o, "body_html", jstr(markdown_html(c->arena, it->entry->body)));
    return jobj(o, "link",
                jstr(arena_printf(c->arena, "/develop/portfolio/%lld", (long long)it->entry->id)));
}

static json_t *cv_model(struct ctx *c, const struct develop_cv *cv, const struct develop_entry *e,
                        size_t n)
{
    json_t *m = jobj(json_object(), "title", jstr("Your non-medical CV"));
    json_t *career = json_array(), *groups = json_array(), *boxes = json_array();
    bool typed = c->req->nerrors > 0;

    for (size_t i = 0; i < cv->ncareer; i++)
        if (!push(career, item_json(c, &cv->career[i])))
            career = NULL;
    for (size_t g = 0; g < DEVELOP_CV_GROUPS; g++) {
        const struct develop_cv_group *gr = &cv->groups[g];
        json_t *items = json_array(), *also = json_array(), *o;
        if (!gr->n && !gr->nalso) {
            json_decref(items);
            json_decref(also);
            continue;
        }
        for (size_t i = 0; i < gr->n; i++)
            if (!push(items, item_json(c, &gr->items[i])))
                items = NULL;
        for (size_t i = 0; i < gr->nalso; i++) {
            json_t *r = jobj(json_object(), "id", jint(gr->also[i].item->entry->id));
            r = jobj(r, "title", jstr(gr->also[i].item->entry->title));
            r = jobj(r, "under", jstr(gr->also[i].group));
            if (!push(also, r))
                also = NULL;
        }
        o = jobj(json_object(), "code", jstr(gr->code));
        o = jobj(o, "name", jstr(gr->name));
        o = jobj(o, "items", items);
        o = jobj(o, "also", also);
        o = jobj(o, "has_also", jbool(gr->nalso > 0));
        if (!push(groups, o))
            groups = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = arena_printf(c->arena, "entry.%lld", (long long)e[i].id);
        const char *kind =
            develop_code_name(develop_entry_kinds, develop_entry_kinds_count, e[i].kind);
        json_t *o = jobj(json_object(), "name", jstr(name));
        o = jobj(o, "id", jstr(i ? arena_printf(c->arena, "entries-%zu", i + 1) : "entries"));
        o = jobj(o, "label", jstr(e[i].title));
        o = jobj(o, "hint", jstr(kind));
        o = jobj(o, "checked", jbool(typed ? req_field_bool(c->req, name) : e[i].on_cv));
        if (!push(boxes, o))
            boxes = NULL;
    }
    m = jobj(m, "name", jstr(cv->name));
    m = jobj(m, "email", jstr(cv->email));
    /* after an error, as typed, refused text included */
    m = jobj(m, "headline", jstr(typed ? req_typed(c->req, "headline") : cv->headline));
    m = jobj(m, "summary", jstr(typed ? req_typed(c->req, "summary") : cv->summary));
    m = jobj(m, "career", career);
    m = jobj(m, "has_career", jbool(cv->ncareer > 0));
    m = jobj(m, "groups", groups);
    m = jobj(m, "chosen", jint((long long)cv->nchosen));
    m = jobj(m, "entries", boxes);
    m = jobj(m, "has_entries", jbool(n > 0));
    m = jobj(m, "summary_max", jint(DEVELOP_CV_SUMMARY_MAX));
    m = jobj(m, "pdf", jstr("/develop/cv.pdf"));
    m = jobj(m, "docx", jstr("/develop/cv.docx"));
    return jobj(m, "json", jstr("/develop/cv.json"));
}

int page_develop_cv(struct ctx *c)
{
    struct develop_cv cv;
    struct develop_cv_profile profile;
    struct develop_entry *e = NULL;
    size_t n = 0;
    int rc = load_cv(c, &cv, &e, &n, &profile);
    if (rc)
        return rc;
    return render(c, 200, "develop/cv", cv_model(c, &cv, e, n));
}

/* An API client's entries that are not the member's (another's, deleted, made up): refused,
 * naming "entries", rather than left off the CV unseen, as sharing refuses them. A page's
 * form lists the member's own entries only, so its boxes are not checked again here. */
static int refuse_others(struct ctx *c, const int64_t *ids, size_t n)
{
    struct develop_entry *e = NULL;
    size_t count = 0;
    int rc = develop_entry_list(c->db, c->arena, c->user->id, false, &e, &count);
    for (size_t i = 0; !rc && i < n; i++) {
        bool mine = false;
        for (size_t k = 0; k < count && !mine; k++)
            mine = e[k].id == ids[i];
        if (!mine)
            return req_add_error(c->req, "entries", "Choose entries from your portfolio");
    }
    return rc;
}

int page_develop_cv_save(struct ctx *c)
{
    struct develop_cv_profile p = {req_field(c->req, "headline"), req_field(c->req, "summary"), 0};
    int64_t *ids = NULL;
    size_t n = 0;
    int rc;

    if (!p.headline)
        p.headline = "";
    if (!p.summary)
        p.summary = "";
    if (utf8_count(p.headline, strlen(p.headline)) > DEVELOP_CV_HEADLINE_MAX &&
        (rc = req_add_error(c->req, "headline", "Headline must be 150 characters or fewer")))
        return rc;
    if (utf8_count(p.summary, strlen(p.summary)) > DEVELOP_CV_SUMMARY_MAX &&
        (rc = req_add_error(c->req, "summary", "Profile must be 2,000 characters or fewer")))
        return rc;
    if ((rc = develop_entry_refuse_unnamed(c)))
        return rc;
    rc = develop_entry_ids(c, &ids, &n);
    if (rc == APP_E_INVALID)
        rc = req_add_error(c->req, "entries", "Choose entries from the list");
    if (!rc && c->req->json && n)
        rc = refuse_others(c, ids, n);
    if (rc)
        return rc;
    if (c->req->nerrors) {
        struct develop_cv cv;
        struct develop_cv_profile stored;
        struct develop_entry *e = NULL;
        size_t count = 0;
        if ((rc = load_cv(c, &cv, &e, &count, &stored)))
            return rc;
        return render_invalid(c, "develop/cv", cv_model(c, &cv, e, count));
    }
    if ((rc = develop_cv_save(c->db, c->user->id, &p, ids, n, (int64_t)time(NULL))))
        return rc;
    if (c->want_json) {
        struct develop_cv cv;
        struct develop_cv_profile stored;
        struct develop_entry *e = NULL;
        size_t count = 0;
        if ((rc = load_cv(c, &cv, &e, &count, &stored)))
            return rc;
        return render(c, 200, NULL, cv_model(c, &cv, e, count));
    }
    if ((rc = flash_set(c, "cv_saved")))
        return rc;
    return resp_redirect(c, "/develop/cv");
}

/* Answers with the download in c->resp->body. */
static int download(struct ctx *c, const char *type, const char *file)
{
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->content_type = type;
    c->resp->status = 200;
    return resp_header(c, "Content-Disposition",
                       arena_printf(c->arena, "attachment; filename=\"%s\"", file));
}

int page_develop_cv_pdf(struct ctx *c)
{
    struct develop_cv cv;
    struct develop_cv_profile profile;
    int rc = load_cv(c, &cv, NULL, NULL, &profile);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    if ((rc = develop_cv_pdf(&cv, (int64_t)time(NULL), &c->resp->body)))
        return rc;
    return download(c, "application/pdf", "non-medical-cv.pdf");
}

int page_develop_cv_docx(struct ctx *c)
{
    struct develop_cv cv;
    struct develop_cv_profile profile;
    int rc = load_cv(c, &cv, NULL, NULL, &profile);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    if ((rc = develop_cv_docx(&cv, (int64_t)time(NULL), &c->resp->body)))
        return rc;
    return download(c, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "non-medical-cv.docx");
}

int page_develop_cv_json(struct ctx *c)
{
    struct develop_cv cv;
    struct develop_cv_profile profile;
    json_t *r;
    int rc = load_cv(c, &cv, NULL, NULL, &profile);
    if (rc)
        return rc;
    if (!(r = develop_cv_json(&cv, (int64_t)time(NULL))))
        return APP_E_NOMEM;
    buf_reset(&c->resp->body);
    rc =
        json_dump_callback(r, buf_append_cb, &c->resp->body, JSON_INDENT(2)) ? APP_E_NOMEM : APP_OK;
    json_decref(r);
    if (rc)
        return rc;
    return download(c, "application/json", "non-medical-cv.json");
}
