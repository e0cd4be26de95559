/* framework_pages.c: Develop's frameworks, for admins — the list, one framework with its
 * versions, its JSON, and importing or editing one as a new version
 *
 * Editing is pasting JSON: the parser's sentence names the place of a mistake, and the form
 * comes back with the text as it was sent, so nothing typed is lost.
 */
#include "develop/pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/render.h"

#include <string.h>

static json_t *version_json(const struct develop_version_info *v)
{
    json_t *o = jobj(json_object(), "id", jint(v->id));
    o = jobj(o, "code", jstr(v->code));
    o = jobj(o, "title", jstr(v->title));
    o = jobj(o, "version", jint(v->version));
    o = jobj(o, "created", jdate(v->created_at));
    return jobj(o, "self_assessments", jint(v->uses));
}

static json_t *version_list(const struct develop_version_info *vs, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, version_json(&vs[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

int page_develop_frameworks(struct ctx *c)
{
    struct develop_version_info *vs;
    size_t n;
    json_t *m;
    int rc = develop_version_latest(c->db, c->arena, &vs, &n);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", json_string_nocheck("Leadership frameworks"));
    return render(c, 200, "develop/frameworks", jobj(m, "frameworks", version_list(vs, n)));
}

static json_t *framework_model(const struct develop_framework *fw)
{
    json_t *doms = json_array(), *o, *imp = NULL;
    for (size_t d = 0; doms && d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        json_t *bs = json_array();
        json_t *x = jobj(json_object(), "id", jstr(dm->id));
        x = jobj(x, "number", jint((long long)d + 1));
        x = jobj(x, "title", jstr(dm->title));
        x = jobj(x, "description", jstr(dm->description));
        for (size_t i = 0; bs && i < dm->nbehaviours; i++) {
            json_t *y = jobj(json_object(), "id", jstr(dm->behaviours[i].id));
            y = jobj(y, "statement", jstr(dm->behaviours[i].statement));
            if (!y || json_array_append_new(bs, y)) {
                json_decref(bs);
                bs = NULL;
            }
        }
        x = jobj(x, "behaviours", bs);
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    if (fw->importance.enabled) {
        json_t *pts = json_array();
        for (size_t i = 0; pts && i < fw->importance.npoints; i++)
            if (json_array_append_new(pts, jstr(fw->importance.points[i]))) {
                json_decref(pts);
                pts = NULL;
            }
        imp = jobj(jobj(json_object(), "question", jstr(fw->importance.question)), "points", pts);
    }
    o = jobj(json_object(), "id", jint(fw->id));
    o = jobj(o, "code", jstr(fw->code));
    o = jobj(o, "version", jint(fw->version));
    o = jobj(o, "title", jstr(fw->title));
    o = jobj(o, "description", jstr(fw->description));
    o = jobj(o, "licence", jstr(fw->licence));
    o = jobj(o, "scale", develop_page_scale(fw));
    o = jobj(o, "importance", imp ? imp : json_null());
    o = jobj(o, "domains_count", jint((long long)fw->ndomains));
    o = jobj(o, "behaviours_count", jint((long long)fw->nbehaviours));
    return jobj(o, "domains", doms);
}

static int load_framework(struct ctx *c, struct develop_framework *fw)
{
    int64_t id = develop_page_param(c, "id");
    return id ? develop_version_load(c->db, c->arena, id, fw) : APP_E_NOTFOUND;
}

int page_develop_framework(struct ctx *c)
{
    struct develop_framework fw;
    struct develop_version_info *hist;
    size_t nh;
    json_t *m;
    int rc = load_framework(c, &fw);
    if (!rc)
        rc = develop_version_history(c->db, c->arena, fw.code, &hist, &nh);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", jstr(fw.title));
    m = jobj(m, "framework", framework_model(&fw));
    m = jobj(m, "versions", version_list(hist, nh));
    return render(c, 200, "develop/framework",
                  jobj(m, "is_latest", jbool(nh > 0 && hist[0].id == fw.id)));
}

int page_develop_framework_download(struct ctx *c)
{
    struct develop_framework fw;
    const char *json;
    int rc = load_framework(c, &fw);
    if (!rc)
        rc = develop_version_json(c->db, c->arena, fw.id, &json);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    buf_puts(&c->resp->body, json);
    buf_putc(&c->resp->body, '\n');
    if (buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    c->resp->status = 200;
    c->resp->content_type = "application/json";
    return resp_header(
        c, "Content-Disposition",
        arena_printf(c->arena, "attachment; filename=\"%s-v%d.json\"", fw.code, fw.version));
}

static json_t *form_model(const char *json, int64_t from)
{
    json_t *m = jobj(json_object(), "title",
                     json_string_nocheck(from ? "Edit a framework" : "Import a framework"));
    m = jobj(m, "form", jobj(json_object(), "definition", jstr(json)));
    return from ? jobj(m, "editing", jint(from)) : m;
}

int page_develop_framework_import_form(struct ctx *c)
{
    return render(c, 200, "develop/framework_form", form_model("", 0));
}

int page_develop_framework_edit_form(struct ctx *c)
{
    struct develop_framework fw;
    const char *json;
    int rc = load_framework(c, &fw);
    if (!rc)
        rc = develop_version_json(c->db, c->arena, fw.id, &json);
    return rc ? rc : render(c, 200, "develop/framework_form", form_model(json, fw.id));
}

/* Stores a new framework, or the next version of one, from the text box or an uploaded file
 * (the file wins when both are given). */
int page_develop_framework_save(struct ctx *c)
{
    const char *text = req_field(c->req, "definition"), *why = NULL;
    int64_t from = req_field_int(c->req, "from", 0), id = 0;
    size_t len = text ? strlen(text) : 0;
    int version = 0, rc;
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "file") && c->req->uploads[i].len) {
            char *copy = arena_alloc(c->arena, c->req->uploads[i].len + 1);
            if (!copy)
                return APP_E_NOMEM;
            len = c->req->uploads[i].len;
            memcpy(copy, c->req->uploads[i].data, len);
            copy[len] = '\0'; /* shown again in the form if it is wrong */
            text = copy;
        }
    if (c->req->nerrors) { /* the text as typed, even when it was refused */
        if (!text)
            text = req_typed(c->req, "definition");
        return render_invalid(c, "develop/framework_form", form_model(text ? text : "", from));
    }
    if (!text || !len) {
        req_add_error(c->req, "definition", "Paste the framework as JSON, or choose a file");
        return render_invalid(c, "develop/framework_form", form_model("", from));
    }
    rc = develop_version_save(c->db, c->arena, text, len, c->user->id, &id, &version, &why);
    if (rc == APP_E_INVALID) {
        if ((rc = req_add_error(c->req, "definition",
                                arena_printf(c->arena, "The framework cannot be used: %s",
                                             why ? why : "it is not valid JSON"))))
            return rc;
        return render_invalid(c, "develop/framework_form", form_model(text, from));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "version", jint(version)));
    return resp_redirect(c, arena_printf(c->arena, "/develop/frameworks/%lld", (long long)id));
}
