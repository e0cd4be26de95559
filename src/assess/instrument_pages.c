/* instrument_pages.c: Assess instruments: the list, one instrument, its JSON, the form editor and
 * saving a version */
#include "app.h"
#include "assess/instrument_form.h"
#include "assess/results.h"
#include "assess/pages.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <math.h>
#include <string.h>

static json_t *option_list(bool api, const struct assess_item *it)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < it->noptions; k++) {
        json_t *o = jobj(json_object(), "label", jstr(it->options[k].label));
        o = jobj(o, "score", assess_page_pct(api, it->options[k].score, 0));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *instrument_model(bool api, const struct assess_instrument *ins, bool with_items)
{
    json_t *doms = json_array(), *bands = json_array(), *o;
    for (size_t d = 0; doms && d < ins->ndomains; d++) {
        const struct assess_domain *dm = &ins->domains[d];
        json_t *items = with_items ? json_array() : NULL;
        json_t *x = jobj(json_object(), "id", jstr(dm->id));
        x = jobj(x, "number", jint((long long)d + 1));
        x = jobj(x, "title", jstr(dm->title));
        x = jobj(x, "description", jstr(dm->description));
        x = jobj(x, "items_count", jint((long long)dm->nitems));
        x = jobj(x, "weight",
                 assess_page_pct(api, dm->weight, dm->weight == floor(dm->weight) ? 0 : 1));
        if (dm->has_baseline)
            x = jobj(x, "baseline", assess_page_pct(api, dm->baseline, 0));
        for (size_t i = 0; items && i < dm->nitems; i++) {
            const struct assess_item *it = &dm->items[i];
            json_t *y = jobj(json_object(), "id", jstr(it->id));
            y = jobj(y, "text", jstr(it->text));
            y = jobj(y, "help", jstr(it->help));
            y = jobj(y, "kind", jstr(assess_kind_name(it->kind)));
            y = jobj(y, "weight",
                     assess_page_pct(api, it->weight, it->weight == floor(it->weight) ? 0 : 1));
            if (it->level)
                y = jobj(y, "level", jint(it->level));
            y = jobj(y, "options", option_list(api, it));
            if (!y || json_array_append_new(items, y)) {
                json_decref(items);
                items = NULL;
            }
        }
        if (with_items)
            x = jobj(x, "items", items);
        if (!x || json_array_append_new(doms, x)) {
            json_decref(doms);
            doms = NULL;
        }
    }
    for (size_t b = 0; bands && b < ins->nbands; b++) {
        json_t *x = jobj(json_object(), "name", jstr(ins->bands[b].name));
        x = jobj(x, "from", assess_page_pct(api, ins->bands[b].from, 0));
        x = jobj(x, "to",
                 assess_page_pct(api, b + 1 < ins->nbands ? ins->bands[b + 1].from : 100, 0));
        x = jobj(x, "description", jstr(ins->bands[b].description));
        if (!x || json_array_append_new(bands, x)) {
            json_decref(bands);
            bands = NULL;
        }
    }
    o = jobj(json_object(), "id", jint(ins->id));
    o = jobj(o, "code", jstr(ins->code));
    o = jobj(o, "version", jint(ins->version));
    o = jobj(o, "title", jstr(ins->title));
    o = jobj(o, "description", jstr(ins->description));
    o = jobj(o, "audience", jstr(ins->audience));
    o = jobj(o, "audience_text", jstr(assess_page_audience_text(ins->audience)));
    o = jobj(o, "method", jstr(assess_method_name(ins->method)));
    o = jobj(o, "method_text", jstr(assess_method_explain(ins->method)));
    if (ins->method == AM_LEVELS)
        o = jobj(o, "level_share", assess_page_pct(api, ins->level_share * 100, 0));
    o = jobj(o, "baseline_source", jstr(ins->baseline_source));
    o = jobj(o, "items_count", jint((long long)ins->nitems));
    o = jobj(o, "domains_count", jint((long long)ins->ndomains));
    o = jobj(o, "domains", doms);
    return jobj(o, "bands", bands);
}

static json_t *version_list(const struct assess_version_info *vs, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, assess_page_version_json(&vs[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

int page_assess_instruments(struct ctx *c)
{
    struct assess_version_info *vs;
    size_t n;
    json_t *m;
    int rc = assess_version_latest(c->db, c->arena, &vs, &n);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", json_string_nocheck("Assessment instruments"));
    m = jobj(m, "instruments", version_list(vs, n));
    m = jobj(m, "is_admin", jbool(c->user && c->user->role == ROLE_ADMIN));
    return render(c, 200, "assess/instruments", m);
}

static int load_instrument(struct ctx *c, struct assess_instrument *ins)
{
    int64_t id = 0;
    const char *p = req_param(c->req, "id");
    if (!p || !parse_int64((struct str){p, strlen(p)}, &id) || id <= 0)
        return APP_E_NOTFOUND;
    return assess_version_load(c->db, c->app->assess_versions, c->arena, id, ins);
}

int page_assess_instrument(struct ctx *c)
{
    struct assess_instrument ins;
    struct assess_version_info *hist;
    size_t nh;
    json_t *m;
    int rc = load_instrument(c, &ins);
    if (!rc)
        rc = assess_version_history(c->db, c->arena, ins.code, &hist, &nh);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", jstr(ins.title));
    m = jobj(m, "instrument", instrument_model(c->want_json, &ins, true));
    m = jobj(m, "versions", version_list(hist, nh));
    m = jobj(m, "is_latest", jbool(nh > 0 && hist[0].id == ins.id));
    m = jobj(m, "is_admin", jbool(c->user && c->user->role == ROLE_ADMIN));
    return render(c, 200, "assess/instrument", m);
}

/* The instrument the path names, and its stored JSON. */
static int load_instrument_json(struct ctx *c, struct assess_instrument *ins, const char **json)
{
    int rc = load_instrument(c, ins);
    return rc ? rc : assess_version_json(c->db, c->arena, ins->id, json);
}

int page_assess_instrument_download(struct ctx *c)
{
    struct assess_instrument ins;
    const char *json;
    int rc = load_instrument_json(c, &ins, &json);
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
        arena_printf(c->arena, "attachment; filename=\"%s-v%d.json\"", ins.code, ins.version));
}

/* ---- instruments: the JSON page (paste or import a file) ---- */

static json_t *json_form_model(const char *json, int64_t from)
{
    json_t *m = jobj(
        json_object(), "title",
        json_string_nocheck(from ? "Edit an instrument as JSON" : "Add an instrument as JSON"));
    m = jobj(m, "form", jobj(json_object(), "definition", jstr(json)));
    return from ? jobj(m, "editing", jint(from)) : m;
}

int page_assess_instrument_import_form(struct ctx *c)
{
    return render(c, 200, "assess/instrument_form", json_form_model("", 0));
}

int page_assess_instrument_edit_json_form(struct ctx *c)
{
    struct assess_instrument ins;
    const char *json;
    int rc = load_instrument_json(c, &ins, &json);
    if (rc)
        return rc;
    return render(c, 200, "assess/instrument_form", json_form_model(json, ins.id));
}

/* ---- instruments: the form editor (instrument_form.c) ---- */

static const char *form_value(void *ctx, const char *name)
{
    return req_field(((struct ctx *)ctx)->req, name);
}

static const char *form_error(void *ctx, const char *name)
{
    return req_error(((struct ctx *)ctx)->req, name);
}

/* What was typed into a field the request layer refused ("" when it cannot be shown), or
 * NULL for a field it took: for the form shown again only (the editor saves nothing then). */
static const char *form_typed(void *ctx, const char *name)
{
    struct req *r = ((struct ctx *)ctx)->req;
    const char *t;
    if (!req_error(r, name))
        return NULL;
    t = req_typed(r, name);
    return t ? t : "";
}

static json_t *editor_model(struct ctx *c, const struct instrument_form *f)
{
    json_t *m = jobj(json_object(), "title",
                     json_string_nocheck(f->from ? "Edit an instrument" : "Add an instrument"));
    m = jobj(m, "editing", jint(f->from)); /* 0 for a new instrument */
    m = jobj(m, "back",
             jstr(f->from ? arena_printf(c->arena, "/assess/instruments/%lld", (long long)f->from)
                          : "/assess/instruments"));
    m = jobj(m, "json_link",
             jstr(f->from ? arena_printf(c->arena, "/assess/instruments/%lld/edit/json",
                                         (long long)f->from)
                          : "/assess/instruments/import"));
    return jobj(m, "editor", instrument_form_model(c->arena, f, form_error, c));
}

int page_assess_instrument_new_form(struct ctx *c)
{
    struct instrument_form f;
    int rc = instrument_form_blank(c->arena, &f);
    return rc ? rc : render(c, 200, "assess/instrument_editor", editor_model(c, &f));
}

int page_assess_instrument_edit_form(struct ctx *c)
{
    struct assess_instrument ins;
    struct instrument_form f;
    const char *json;
    json_t *m;
    int rc = load_instrument(c, &ins);
    if (!rc)
        rc = instrument_form_from(c->arena, &ins, &f);
    if (rc)
        return rc;
    m = editor_model(c, &f);
    if (c->want_json) { /* API clients had the stored JSON here before the form existed */
        if ((rc = assess_version_json(c->db, c->arena, ins.id, &json)))
            return rc;
        m = jobj(m, "form", jobj(json_object(), "definition", jstr(json)));
    }
    return render(c, 200, "assess/instrument_editor", m);
}

/* A JSON body's members of the editor's families ("item_id.*", "band_from.*", …) that name no
 * field the page would show for this draft ("item_id.999", "band_name.9", an option of an
 * item whose kind takes none): an error under each, as the request layer gives for a member
 * no route takes, since routes.def cannot know the draft. A form sends its own fields only.
 * Returns APP_E_NOMEM or 0. */
static int refuse_unshown(struct ctx *c, const struct instrument_form *f)
{
    const struct ifm_domain *d = &f->domains[f->open];
    const char *key, *msg;
    json_t *v;
    if (!c->req->json)
        return APP_OK;
    json_object_foreach(c->req->json, key, v)
    {
        const struct field_spec *spec = form_field_spec(c->route->fields, key);
        (void)v;
        if (!spec || spec->name[strlen(spec->name) - 1] != '*' || instrument_form_showed(f, key))
            continue;
        msg = arena_printf(c->arena,
                           "The form has no field \"%s\": it shows %zu band%s and the %zu "
                           "item%s of domain %zu (\"open\"), each with the fields its kind of "
                           "answer takes",
                           key, f->nbands, f->nbands == 1 ? "" : "s", d->nitems,
                           d->nitems == 1 ? "" : "s", f->open + 1);
        if (!msg || req_add_error(c->req, key, msg))
            return APP_E_NOMEM;
    }
    return APP_OK;
}

/* Every button of the editor posts here. "save" saves through the same parser as the JSON
 * page; any other action changes the form and shows it again, saving nothing. */
int page_assess_instrument_editor(struct ctx *c)
{
    struct instrument_form f;
    const char *action = req_field(c->req, "action"), *why = NULL, *json, *field, *msg;
    size_t len;
    int64_t id = 0;
    int version = 0;
    int rc = instrument_form_read(c->arena, form_value, form_typed, c, &f, &why);
    if (rc == APP_E_INVALID) {
        if (req_error(c->req, "draft")) /* over the draft's limit, which the parser's is not */
            why = "This instrument is too large to edit in the form: edit it as JSON instead";
        render_error(c, rc, why);
        return APP_OK;
    }
    if (!rc)
        rc = refuse_unshown(c, &f);
    if (rc)
        return rc;
    /* a value the request layer refused (too long), or a member naming no field: shown as
     * typed, nothing done */
    if (c->req->nerrors)
        return render_invalid(c, "assess/instrument_editor", editor_model(c, &f));
    if (!action || strcmp(action, "save")) {
        rc = instrument_form_act(c->arena, &f, action);
        if (rc && rc != APP_E_INVALID) /* an unknown action just shows the form again */
            return rc;
        return render(c, 200, "assess/instrument_editor", editor_model(c, &f));
    }
    rc = instrument_form_json(c->arena, &f, &json, &len, &why);
    if (!rc)
        rc = assess_version_save(c->db, c->arena, json, len, c->user->id, &id, &version, &why);
    if (rc == APP_E_INVALID) {
        why = why ? why : "the instrument cannot be used";
        field = instrument_form_error_field(c->arena, &f, why);
        msg = arena_printf(c->arena, "%c%s", why[0] >= 'a' && why[0] <= 'z' ? why[0] - 32 : why[0],
                           why + 1);
        if (!field || !msg || (rc = req_add_error(c->req, field, msg)))
            return rc ? rc : APP_E_NOMEM;
        return render_invalid(c, "assess/instrument_editor", editor_model(c, &f));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "version", jint(version)));
    rc = flash_set(c, "instrument_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/assess/instruments/%lld", (long long)id));
}

/* Saves a new instrument, or the next version of one: from the text box or an uploaded file
 * (the file wins when both are given). The parser's sentence says what to fix. A request with
 * a field the request layer refused (a control character in the text, "from" not a number)
 * saves nothing, the file included: the page comes back with every error and the text as
 * typed. */
int page_assess_instrument_save(struct ctx *c)
{
    const char *text = req_field(c->req, "definition"), *why = NULL, *shown;
    size_t len = text ? strlen(text) : 0;
    int64_t id = 0;
    int version = 0, rc;
    struct assess_instrument parsed;
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "file") && c->req->uploads[i].len) {
            char *copy = arena_alloc(c->arena, c->req->uploads[i].len + 1);
            if (!copy)
                return APP_E_NOMEM;
            len = c->req->uploads[i].len;
            memcpy(copy, c->req->uploads[i].data, len);
            copy[len] = '\0'; /* the form shows it again if it is wrong */
            text = copy;
        }
    if ((!text || !len) && !req_error(c->req, "definition")) {
        if ((rc = req_add_error(c->req, "definition",
                                "Enter the instrument as JSON, or choose a file")))
            return rc;
    } else if (c->req->nerrors && text && len && !req_error(c->req, "definition")) {
        /* the parser's sentence as well, so every problem shows at once */
        rc = assess_instrument_parse(c->arena, text, len, &parsed, &why);
        if (rc == APP_E_INVALID)
            rc = req_add_error(c->req, "definition",
                               arena_printf(c->arena, "The instrument cannot be used: %s",
                                            why ? why : "it is not valid JSON"));
        if (rc)
            return rc;
    }
    if (c->req->nerrors) {
        shown = req_error(c->req, "definition") ? req_typed(c->req, "definition") : text;
        return render_invalid(
            c, "assess/instrument_form",
            json_form_model(shown ? shown : "", req_field_int(c->req, "from", 0)));
    }
    rc = assess_version_save(c->db, c->arena, text, len, c->user->id, &id, &version, &why);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "definition",
                      arena_printf(c->arena, "The instrument cannot be used: %s",
                                   why ? why : "it is not valid JSON"));
        return render_invalid(c, "assess/instrument_form",
                              json_form_model(text, req_field_int(c->req, "from", 0)));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "version", jint(version)));
    rc = flash_set(c, "instrument_saved");
    return rc ? rc
              : resp_redirect(c, arena_printf(c->arena, "/assess/instruments/%lld", (long long)id));
}
