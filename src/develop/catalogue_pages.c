/* catalogue_pages.c: the catalogue of development activities — browsing with filters and one
 * activity's page for every member; adding, editing, retiring and restoring, and CSV import
 * and export for curators (facilitators and admins)
 *
 * Members never see a retired activity: its page answers 404 to them, as one that does not
 * exist. A form with a mistake comes back with every field as it was typed and a message at
 * each field the model (catalogue.c) found wrong.
 */
#include "develop/catalogue.h"
#include "develop/pages.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 20

static bool curator(const struct ctx *c)
{
    return c->user && c->user->role >= ROLE_FACILITATOR;
}

static const char *region_name(const char *code)
{
    if (!strcmp(code, DEVELOP_NATIONAL))
        return "National";
    return ref_name(regions, regions_count, code);
}

static const char *cost_text(struct ctx *c, const struct develop_activity *act)
{
    if (!strcmp(act->cost, "paid"))
        return act->cost_pence % 100
                   ? arena_printf(c->arena, "£%lld.%02lld", (long long)(act->cost_pence / 100),
                                  (long long)(act->cost_pence % 100))
                   : arena_printf(c->arena, "£%lld", (long long)(act->cost_pence / 100));
    return develop_choice_name(develop_activity_costs, develop_activity_costs_count, act->cost);
}

/* Appends v to arr, taking v's reference either way (json_array_append_new() releases it on
 * failure; so does this when there is no array). */
static bool push(json_t *arr, json_t *v)
{
    if (!arr) {
        json_decref(v);
        return false;
    }
    return v && !json_array_append_new(arr, v);
}

/* x hundredths as a JSON number: an integer when whole. */
static json_t *hundredths_json(int64_t x)
{
    return x % 100 ? json_real((double)x / 100) : json_integer(x / 100);
}

static json_t *areas_json(const struct develop_activity *act,
                          const struct develop_area_sources *sources, bool assess)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < act->nareas; i++) {
        const struct develop_area *ar = &act->areas[i];
        const struct develop_area_source *src;
        const char *title;
        json_t *o;
        if (ar->assess != assess)
            continue;
        src = develop_area_source_find(sources, assess, ar->code);
        title = develop_area_title(sources, ar);
        o = jobj(json_object(), assess ? "instrument" : "framework", jstr(ar->code));
        o = jobj(o, "domain", jstr(ar->domain));
        /* an area since taken out of its framework still shows, by its id */
        o = jobj(o, "title", jstr(title ? title : ar->domain));
        o = jobj(o, "source_title", jstr(src ? src->title : ar->code));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* An activity as pages and the API show it; sources NULL leaves out its areas (lists). */
static json_t *activity_json(struct ctx *c, const struct develop_activity *act,
                             const struct develop_area_sources *sources)
{
    json_t *o = jobj(json_object(), "id", jint(act->id));
    o = jobj(o, "title", jstr(act->title));
    o = jobj(o, "kind", jstr(act->kind));
    o = jobj(
        o, "kind_name",
        jstr(develop_choice_name(develop_activity_kinds, develop_activity_kinds_count, act->kind)));
    o = jobj(o, "provider", jstr(act->provider));
    o = jobj(o, "description", jstr(act->description));
    o = jobj(o, "mode", jstr(act->mode));
    o = jobj(
        o, "mode_name",
        jstr(develop_choice_name(develop_activity_modes, develop_activity_modes_count, act->mode)));
    o = jobj(o, "duration", jstr(act->duration));
    o = jobj(o, "hours", act->hours_x100 ? hundredths_json(act->hours_x100) : json_null());
    if (act->hours_x100)
        o = jobj(o, "hours_text", jstr(develop_hundredths_text(c->arena, act->hours_x100)));
    o = jobj(o, "cost", jstr(act->cost));
    o = jobj(o, "cost_pounds", act->cost_pence ? hundredths_json(act->cost_pence) : json_null());
    o = jobj(o, "cost_text", jstr(cost_text(c, act)));
    o = jobj(o, "is_free", jbool(!strcmp(act->cost, "free")));
    o = jobj(o, "region", jstr(act->region));
    o = jobj(o, "region_name", jstr(region_name(act->region)));
    o = jobj(o, "link", jstr(act->link));
    o = jobj(o, "active", jbool(act->active));
    o = jobj(o, "status", jstr(act->active ? "active" : "retired"));
    o = jobj(o, "url", jstr(arena_printf(c->arena, "/develop/catalogue/%lld", (long long)act->id)));
    if (sources) {
        json_t *fd = areas_json(act, sources, false), *ad = areas_json(act, sources, true);
        o = jobj(o, "has_framework_domains", jbool(fd && json_array_size(fd) > 0));
        o = jobj(o, "has_assess_domains", jbool(ad && json_array_size(ad) > 0));
        o = jobj(o, "framework_domains", fd);
        o = jobj(o, "assess_domains", ad);
        o = jobj(o, "updated", jdate(act->updated_at));
    }
    return o;
}

/* Options [{value, text, selected/checked}] of a list of choices. */
static json_t *choice_options(const struct develop_choice *list, size_t n, const char *chosen)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        bool on = chosen && !strcmp(chosen, list[i].code);
        json_t *o = jobj(json_object(), "value", jstr(list[i].code));
        o = jobj(o, "text", jstr(list[i].name));
        o = jobj(o, "id", jstr(i ? list[i].code : ""));
        o = jobj(o, "checked", jbool(on));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *region_options(const char *chosen)
{
    json_t *arr = json_array(), *o;
    o = jobj(json_object(), "value", jstr(DEVELOP_NATIONAL));
    o = jobj(o, "text", jstr("National"));
    o = jobj(o, "checked", jbool(chosen && !strcmp(chosen, DEVELOP_NATIONAL)));
    if (!push(arr, o)) {
        json_decref(arr);
        return NULL;
    }
    for (size_t i = 0; arr && i < regions_count; i++) {
        o = jobj(json_object(), "value", jstr(regions[i].code));
        o = jobj(o, "text", jstr(regions[i].name));
        o = jobj(o, "checked", jbool(chosen && !strcmp(chosen, regions[i].code)));
        if (!push(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* ---- browsing ---- */

/* The filter's areas, grouped by framework and instrument, for the select box. */
static json_t *area_groups(const struct develop_area_sources *sources, const char *chosen,
                           struct arena *a)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < sources->n; i++) {
        const struct develop_area_source *s = &sources->list[i];
        json_t *opts = json_array(), *g;
        for (size_t d = 0; opts && d < s->ndomains; d++) {
            const char *v = arena_printf(a, "%s:%s", s->code, s->ids[d]);
            json_t *o = jobj(json_object(), "value", jstr(v));
            o = jobj(o, "text", jstr(s->titles[d]));
            o = jobj(o, "selected", jbool(v && chosen && !strcmp(v, chosen)));
            if (!push(opts, o)) {
                json_decref(opts);
                opts = NULL;
            }
        }
        g = jobj(json_object(), "label",
                 jstr(arena_printf(a, "%s (%s)", s->title,
                                   s->assess ? "assessment" : "leadership framework")));
        g = jobj(g, "options", opts);
        if (!push(arr, g)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static bool area_known(const struct develop_area_sources *sources, const char *v, struct arena *a)
{
    const char *colon = strchr(v, ':');
    struct develop_area ar;
    if (!colon)
        return false;
    ar.code = arena_strndup(a, v, (size_t)(colon - v));
    ar.domain = colon + 1;
    if (!ar.code)
        return false;
    ar.assess = false;
    if (develop_area_title(sources, &ar))
        return true;
    ar.assess = true;
    return develop_area_title(sources, &ar) != NULL;
}

/* A query string of the filters, for the pagination's links. */
static const char *filter_query(struct ctx *c, const struct develop_catalogue_filter *f)
{
    struct buf b = BUF_INIT;
    const char *names[] = {"q", "kind", "domain", "region", "mode"};
    const char *vals[] = {f->q, f->kind, f->area, f->region, f->mode};
    char *out;
    buf_puts(&b, "/develop/catalogue?");
    for (size_t i = 0; i < 5; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        buf_printf(&b, "%s=", names[i]);
        for (const unsigned char *p = (const unsigned char *)vals[i]; *p; p++)
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '-' || *p == '_' || *p == '.')
                buf_putc(&b, (char)*p);
            else
                buf_printf(&b, "%%%02X", *p);
        buf_putc(&b, '&');
    }
    if (f->free_only)
        buf_puts(&b, "free=1&");
    if (b.len)
        b.len--; /* the last '&' or '?' */
    buf_putc(&b, '\0');
    out = buf_oom(&b) ? NULL : arena_strdup(c->arena, b.data);
    buf_free(&b);
    return out;
}

static int filter_error(struct ctx *c, const char *field, const char *msg, bool *bad)
{
    *bad = true;
    return req_add_error(c->req, field, msg);
}

int page_develop_catalogue(struct ctx *c)
{
    struct develop_catalogue_filter f = {0};
    struct develop_area_sources sources;
    struct develop_activity *list = NULL;
    size_t n = 0;
    int64_t total = 0, page = req_field_int(c->req, "page", 1);
    json_t *m, *items;
    const char *base;
    bool bad = c->req->nerrors > 0;
    int rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &sources);
    if (rc)
        return rc;
    f.q = req_field(c->req, "q");
    f.kind = req_field(c->req, "kind");
    f.area = req_field(c->req, "domain");
    f.region = req_field(c->req, "region");
    f.mode = req_field(c->req, "mode");
    f.free_only = req_field_bool(c->req, "free");
    f.with_retired = curator(c);
    if (page < 1)
        page = 1;
    /* a filter that names nothing on the lists is said to be wrong, not silently empty */
    if (f.kind &&
        !develop_choice_name(develop_activity_kinds, develop_activity_kinds_count, f.kind) &&
        (rc = filter_error(c, "kind", "Choose a kind of activity from the list", &bad)))
        return rc;
    if (f.mode &&
        !develop_choice_name(develop_activity_modes, develop_activity_modes_count, f.mode) &&
        (rc = filter_error(c, "mode", "Choose how it runs from the list", &bad)))
        return rc;
    if (f.region && !region_name(f.region) &&
        (rc = filter_error(c, "region", "Choose a region from the list", &bad)))
        return rc;
    if (f.area && !area_known(&sources, f.area, c->arena) &&
        (rc = filter_error(c, "domain", "Choose an area from the list", &bad)))
        return rc;
    if (!bad && (rc = develop_activity_list(c->db, c->arena, &f, (page - 1) * PER_PAGE, PER_PAGE,
                                            &list, &n, &total)))
        return rc;
    items = json_array();
    for (size_t i = 0; items && i < n; i++)
        if (!push(items, activity_json(c, &list[i], NULL))) {
            json_decref(items);
            items = NULL;
        }
    if (!(base = filter_query(c, &f))) {
        json_decref(items);
        return APP_E_NOMEM;
    }
    m = jobj(json_object(), "title", json_string_nocheck("Development activities"));
    m = jobj(m, "activities", items);
    m = jobj(m, "total", jint(total));
    m = jobj(m, "page", jint(page));
    m = jobj(m, "count_text",
             jstr(total == 1 ? "1 activity"
                             : arena_printf(c->arena, "%lld activities", (long long)total)));
    m = jobj(m, "kinds",
             choice_options(develop_activity_kinds, develop_activity_kinds_count, f.kind));
    m = jobj(m, "modes",
             choice_options(develop_activity_modes, develop_activity_modes_count, f.mode));
    m = jobj(m, "regions", region_options(f.region));
    m = jobj(m, "areas", area_groups(&sources, f.area, c->arena));
    m = jobj(m, "filtered",
             jbool((f.q && *f.q) || f.kind || f.area || f.region || f.mode || f.free_only));
    m = jobj(m, "can_curate", jbool(curator(c)));
    m = jobj(m, "free_only", jbool(f.free_only));
    m = jobj(m, "pagination", render_pagination(base, page, PER_PAGE, total, NULL));
    return bad ? render_invalid(c, "develop/catalogue", m) : render(c, 200, "develop/catalogue", m);
}

/* The activity the path's :id names; a retired one only for curators. */
static int load_activity(struct ctx *c, struct develop_activity *act)
{
    int64_t id = develop_page_param(c, "id");
    int rc = id ? develop_activity_get(c->db, c->arena, id, act) : APP_E_NOTFOUND;
    if (!rc && !act->active && !curator(c))
        rc = APP_E_NOTFOUND;
    return rc;
}

int page_develop_activity(struct ctx *c)
{
    struct develop_activity act;
    struct develop_area_sources sources;
    json_t *m;
    int rc = load_activity(c, &act);
    if (!rc)
        rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &sources);
    if (rc)
        return rc;
    m = jobj(json_object(), "title", jstr(act.title));
    m = jobj(m, "activity", activity_json(c, &act, &sources));
    return render(c, 200, "develop/activity", jobj(m, "can_curate", jbool(curator(c))));
}

/* ---- adding and editing ---- */

/* The areas of one source as checkboxes, checked as the text in chosen says. */
static json_t *area_boxes(struct ctx *c, const struct develop_area_sources *sources, bool assess,
                          const char *chosen)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < sources->n; i++) {
        const struct develop_area_source *s = &sources->list[i];
        json_t *boxes, *g;
        if (s->assess != assess)
            continue;
        boxes = json_array();
        for (size_t d = 0; boxes && d < s->ndomains; d++) {
            const char *ref = arena_printf(c->arena, "%s:%s", s->code, s->ids[d]);
            const char *hit = ref && chosen ? strstr(chosen, ref) : NULL;
            size_t rl = ref ? strlen(ref) : 0;
            json_t *o;
            /* a whole item: at the start or after a separator, and ending there */
            while (hit && !((hit == chosen || strchr(";, \t\r\n", hit[-1])) &&
                            (!hit[rl] || strchr(";, \t\r\n", hit[rl]))))
                hit = strstr(hit + 1, ref);
            o = jobj(
                json_object(), "name",
                jstr(arena_printf(c->arena, "%s.%s.%s", assess ? "ad" : "fd", s->code, s->ids[d])));
            o = jobj(
                o, "id",
                jstr(arena_printf(c->arena, "%s-%s-%s", assess ? "ad" : "fd", s->code, s->ids[d])));
            o = jobj(o, "title", jstr(s->titles[d]));
            o = jobj(o, "checked", jbool(hit != NULL));
            if (!push(boxes, o)) {
                json_decref(boxes);
                boxes = NULL;
            }
        }
        g = jobj(json_object(), "title", jstr(s->title));
        g = jobj(g, "code", jstr(s->code));
        g = jobj(g, "boxes", boxes);
        if (!push(arr, g)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* The form's model from text as typed (or as stored, for editing). */
static json_t *form_model(struct ctx *c, const struct develop_area_sources *sources,
                          const struct develop_activity_input *in, int64_t editing)
{
    json_t *m, *form;
    const char *cost = in->cost ? in->cost : "";
    form = jobj(json_object(), "title", jstr(in->title));
    form = jobj(form, "provider", jstr(in->provider));
    form = jobj(form, "description", jstr(in->description));
    form = jobj(form, "duration", jstr(in->duration));
    form = jobj(form, "hours", jstr(in->hours));
    form = jobj(form, "cost_pounds", jstr(in->cost_pounds));
    form = jobj(form, "link", jstr(in->link));
    form = jobj(form, "cost_free", jbool(!strcmp(cost, "free")));
    form = jobj(form, "cost_paid", jbool(!strcmp(cost, "paid")));
    form = jobj(form, "cost_employer", jbool(!strcmp(cost, "employer")));
    m = jobj(json_object(), "title",
             json_string_nocheck(editing ? "Edit an activity" : "Add an activity"));
    m = jobj(m, "form", form);
    m = jobj(m, "kinds",
             choice_options(develop_activity_kinds, develop_activity_kinds_count, in->kind));
    m = jobj(m, "modes",
             choice_options(develop_activity_modes, develop_activity_modes_count, in->mode));
    m = jobj(m, "regions", region_options(in->region));
    m = jobj(m, "framework_sources", area_boxes(c, sources, false, in->framework_domains));
    m = jobj(m, "assess_sources", area_boxes(c, sources, true, in->assess_domains));
    m = jobj(m, "action",
             jstr(editing ? arena_printf(c->arena, "/develop/catalogue/%lld", (long long)editing)
                          : "/develop/catalogue"));
    return editing ? jobj(m, "editing", jint(editing)) : m;
}

int page_develop_activity_new_form(struct ctx *c)
{
    struct develop_area_sources sources;
    struct develop_activity_input in = {0};
    int rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &sources);
    if (rc)
        return rc;
    in.region = DEVELOP_NATIONAL;
    return render(c, 200, "develop/activity_form", form_model(c, &sources, &in, 0));
}

int page_develop_activity_edit_form(struct ctx *c)
{
    struct develop_area_sources sources;
    struct develop_activity act;
    struct develop_activity_input in;
    int rc = load_activity(c, &act);
    if (!rc)
        rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &sources);
    if (!rc)
        rc = develop_activity_text(c->arena, &act, &in);
    if (rc)
        return rc;
    return render(c, 200, "develop/activity_form", form_model(c, &sources, &in, act.id));
}

static bool truthy(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"));
}

/* A family of area boxes: its prefix ("fd.") and what its first code is ("framework"). */
struct box_family {
    const char *prefix, *key;
};

/* For req_refuse_members: a box is always named with both codes; a client's member naming no
 * area (no dot after the first code) is told how to name one. */
static int refuse_arealess(void *ctx, struct arena *a, const char *rest, const char **why)
{
    const struct box_family *f = ctx;
    if (strchr(rest, '.'))
        return APP_OK;
    *why = arena_printf(a, "\"%s%s\" names no area: send %s<%s code>.<area id>", f->prefix, rest,
                        f->prefix, f->key);
    return *why ? APP_OK : APP_E_NOMEM;
}

/* The areas as "code:domain; …" text: the form's ticked boxes (prefix "fd." or "ad."), an
 * API array of "code:domain" strings or {framework|instrument, domain} objects, or text. */
static const char *areas_text(struct ctx *c, const char *field, const char *prefix, const char *key)
{
    json_t *j = c->req->json ? json_object_get(c->req->json, field) : NULL;
    struct buf b = BUF_INIT;
    const char *out;
    size_t pl = strlen(prefix);
    if (req_refuse_members(c->req, prefix, REQ_FIELDS, refuse_arealess,
                           &(struct box_family){prefix, key}))
        return NULL;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            const char *code = json_string_value(json_object_get(v, key));
            const char *dom = json_string_value(json_object_get(v, "domain"));
            if (json_is_string(v))
                buf_printf(&b, "%s; ", json_string_value(v));
            else if (code && dom)
                buf_printf(&b, "%s:%s; ", code, dom);
            else
                buf_puts(&b, "(not an area); ");
        }
    } else if (req_field(c->req, field)) {
        buf_puts(&b, req_field(c->req, field));
    }
    for (size_t i = 0; i < c->req->nfields; i++) {
        const char *name = c->req->fields[i].name, *dot;
        if (strncmp(name, prefix, pl) || !(dot = strchr(name + pl, '.')) ||
            !truthy(c->req->fields[i].value))
            continue; /* not a box of the family, one refused above, or one not ticked */
        buf_printf(&b, "%.*s:%s; ", (int)(dot - name - pl), name + pl, dot + 1);
    }
    buf_putc(&b, '\0');
    out = buf_oom(&b) ? NULL : arena_strdup(c->arena, b.data);
    buf_free(&b);
    return out;
}

static int read_input(struct ctx *c, struct develop_activity_input *in)
{
    memset(in, 0, sizeof *in);
    in->title = req_field(c->req, "title");
    in->kind = req_field(c->req, "kind");
    in->provider = req_field(c->req, "provider");
    in->description = req_field(c->req, "description");
    in->mode = req_field(c->req, "mode");
    in->duration = req_field(c->req, "duration");
    in->hours = req_field(c->req, "hours");
    in->cost = req_field(c->req, "cost");
    in->cost_pounds = req_field(c->req, "cost_pounds");
    in->region = req_field(c->req, "region");
    in->link = req_field(c->req, "link");
    in->framework_domains = areas_text(c, "framework_domains", "fd.", "framework");
    in->assess_domains = areas_text(c, "assess_domains", "ad.", "instrument");
    return in->framework_domains && in->assess_domains ? APP_OK : APP_E_NOMEM;
}

/* For the form shown again: its texts as typed, refused ones included (1,001 characters come
 * back to be shortened), never acted on. A JSON fraction read by field_text is kept. */
static void typed_input(struct ctx *c, struct develop_activity_input *in)
{
    in->title = req_typed(c->req, "title");
    in->provider = req_typed(c->req, "provider");
    in->description = req_typed(c->req, "description");
    in->duration = req_typed(c->req, "duration");
    in->link = req_typed(c->req, "link");
    if (!in->hours)
        in->hours = req_typed(c->req, "hours");
    if (!in->cost_pounds)
        in->cost_pounds = req_typed(c->req, "cost_pounds");
}

/* Adds (editing 0) or replaces an activity from the form or the API. */
static int save(struct ctx *c, int64_t editing)
{
    struct develop_area_sources sources;
    struct develop_activity_input in;
    struct develop_activity act, old;
    struct develop_field_error *errs = NULL;
    size_t nerrs = 0;
    int64_t id = editing, now = (int64_t)time(NULL);
    int rc;
    if (editing && (rc = load_activity(c, &old)))
        return rc;
    if ((rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &sources)) ||
        (rc = read_input(c, &in)))
        return rc;
    if (editing)
        in.status = old.active ? "active" : "retired"; /* retire and restore change it */
    rc = develop_activity_check(c->arena, &sources, &in, &act, &errs, &nerrs);
    if (rc == APP_E_INVALID || c->req->nerrors) {
        for (size_t i = 0; i < nerrs; i++)
            if ((rc = req_add_error(c->req, errs[i].field, errs[i].message)))
                return rc;
        typed_input(c, &in);
        return render_invalid(c, "develop/activity_form", form_model(c, &sources, &in, editing));
    }
    if (rc)
        return rc;
    if (editing) {
        act.id = editing;
        rc = develop_activity_update(c->db, &act, c->user->id, now);
    } else {
        rc = develop_activity_create(c->db, &act, c->user->id, now, &id);
    }
    if (rc)
        return rc;
    if (c->want_json) {
        if ((rc = develop_activity_get(c->db, c->arena, id, &act)))
            return rc;
        return render(c, editing ? 200 : 201, NULL,
                      jobj(json_object(), "activity", activity_json(c, &act, &sources)));
    }
    if ((rc = flash_set(c, "activity_saved")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/develop/catalogue/%lld", (long long)id));
}

int page_develop_activity_create(struct ctx *c)
{
    return save(c, 0);
}

int page_develop_activity_update(struct ctx *c)
{
    int64_t id = develop_page_param(c, "id");
    return id ? save(c, id) : APP_E_NOTFOUND;
}

static int set_active(struct ctx *c, bool active)
{
    int64_t id = develop_page_param(c, "id");
    int rc = id ? develop_activity_set_active(c->db, id, active, c->user->id, (int64_t)time(NULL))
                : APP_E_NOTFOUND;
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "active", jbool(active)));
    if ((rc = flash_set(c, active ? "activity_restored" : "activity_retired")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/develop/catalogue/%lld", (long long)id));
}

int page_develop_activity_retire(struct ctx *c)
{
    return set_active(c, false);
}

int page_develop_activity_restore(struct ctx *c)
{
    return set_active(c, true);
}

/* ---- CSV in and out ---- */

static json_t *import_model(const struct develop_import_report *rep)
{
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Import activities"));
    if (rep && rep->nerrors) {
        json_t *errs = json_array();
        for (int i = 0; errs && i < rep->nerrors; i++)
            if (!push(errs, jstr(rep->errors[i]))) {
                json_decref(errs);
                errs = NULL;
            }
        m = jobj(m, "import_errors", errs);
        m = jobj(m, "has_import_errors", jbool(1));
        m = jobj(m, "more_errors", jint(rep->more));
    }
    return m;
}

int page_develop_catalogue_import_form(struct ctx *c)
{
    return render(c, 200, "develop/catalogue_import", import_model(NULL));
}

int page_develop_catalogue_import(struct ctx *c)
{
    struct develop_area_sources sources;
    struct develop_import_report *rep;
    const char *csv = NULL, *field = c->want_json ? "csv" : "csv_file";
    size_t len = 0;
    int rc;
    /* a file over the limit stays among the uploads though the request layer refused it, and
     * a refused "csv" would leave the file alone: either way nothing is imported */
    if (c->req->nerrors)
        return render_invalid(c, "develop/catalogue_import", import_model(NULL));
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "csv_file") && c->req->uploads[i].len) {
            csv = c->req->uploads[i].data;
            len = c->req->uploads[i].len;
        }
    if (!csv && req_field(c->req, "csv")) {
        csv = req_field(c->req, "csv");
        len = strlen(csv);
    }
    if (!csv) {
        if ((rc = req_add_error(c->req, field, "Choose a CSV file of activities")))
            return rc;
        return render_invalid(c, "develop/catalogue_import", import_model(NULL));
    }
    if (!(rep = arena_calloc(c->arena, 1, sizeof *rep)))
        return APP_E_NOMEM;
    if ((rc = develop_area_sources_load(c->db, c->app->assess_versions, c->arena, &sources)))
        return rc;
    rc = develop_catalogue_import(c->db, c->arena, &sources, csv, len, c->user->id,
                                  (int64_t)time(NULL), rep);
    if (rc == APP_E_INVALID) {
        if ((rc = req_add_error(c->req, field,
                                rep->nerrors == 1
                                    ? "The file has a problem, shown below. Nothing was imported."
                                    : "The file has problems, shown below. Nothing was imported.")))
            return rc;
        if (c->want_json) {
            json_t *m = import_model(rep);
            m = jobj(m, "error", jstr(app_err_name(APP_E_INVALID)));
            m = jobj(m, "message", jstr("The file has problems. Nothing was imported."));
            return render(c, 400, NULL, m);
        }
        return render(c, 400, "develop/catalogue_import", import_model(rep));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "created", jint(rep->created)), "updated",
                           jint(rep->updated)));
    if ((rc = flash_set(c, "catalogue_imported")))
        return rc;
    return resp_redirect(c, "/develop/catalogue");
}

int page_develop_catalogue_export(struct ctx *c)
{
    int rc;
    buf_reset(&c->resp->body);
    if ((rc = develop_catalogue_export(c->db, c->arena, &c->resp->body)))
        return rc;
    c->resp->status = 200;
    c->resp->content_type = "text/csv; charset=utf-8";
    return resp_header(c, "Content-Disposition",
                       "attachment; filename=\"development-activities.csv\"");
}
