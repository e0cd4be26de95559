/* org_pages.c: the admin's organisation pages — the list, adding and changing one, and
 * merging two that are the same
 *
 * A merge takes three steps so that nothing moves by accident: choose the organisation to
 * keep, read what would move, then confirm; only the POST with confirm set does it (and the
 * API's likewise needs "confirm": true).
 */
#include "account/account.h"
#include "account/org.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "web/html.h"
#include "web/render.h"

#include <string.h>

#define PAGE_SIZE 25

static json_t *org_json(const struct org *o)
{
    const char *rname = ref_name(regions, regions_count, o->region);
    json_t *j = jobj(json_object(), "id", jint(o->id));
    j = jobj(j, "name", jstr(o->name));
    j = jobj(j, "ods_code", jstr(o->ods_code));
    j = jobj(j, "region", jstr(o->region));
    j = jobj(j, "region_name", jstr(rname));
    if (o->members >= 0)
        j = jobj(j, "members", jint(o->members));
    j = jobj(j, "created", jdate(o->created_at));
    return jobj(j, "updated", jdate(o->updated_at));
}

int page_admin_orgs(struct ctx *c)
{
    struct org *orgs;
    size_t n;
    int64_t total, page = req_field_int(c->req, "page", 1);
    const char *q = req_field(c->req, "q");
    struct buf b = BUF_INIT;
    json_t *arr, *m;
    char *base;
    int rc;
    if (page < 1)
        page = 1;
    rc = account_org_search(c->db, c->arena, q, (int)((page - 1) * PAGE_SIZE), PAGE_SIZE, &orgs, &n,
                            &total);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, org_json(&orgs[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    buf_puts(&b, "/admin/organisations?q=");
    if (q)
        url_escape(&b, q, strlen(q));
    base = buf_oom(&b) ? NULL : arena_strdup(c->arena, b.data);
    buf_free(&b);
    m = jobj(json_object(), "title", jstr("Organisations"));
    m = jobj(m, "organisations", arr);
    m = jobj(m, "q", jstr(q));
    m = jobj(m, "pagination", base ? render_pagination(base, page, PAGE_SIZE, total, NULL) : NULL);
    return render(c, 200, "admin/organisations", m);
}

/* The add and change form's model. form (taken) holds the values the fields show: the stored
 * ones, or NULL to show what was submitted. */
static json_t *form_model(struct ctx *c, const struct org *o, json_t *form)
{
    const char *region =
        form ? json_string_value(json_object_get(form, "region")) : req_field(c->req, "region");
    json_t *m =
        jobj(json_object(), "title",
             jstr(o ? arena_printf(c->arena, "Change %s", o->name) : "Add an organisation"));
    m = jobj(m, "action",
             jstr(o ? arena_printf(c->arena, "/admin/organisations/%lld", (long long)o->id)
                    : "/admin/organisations"));
    m = jobj(m, "is_new", jbool(!o));
    if (o)
        m = jobj(m, "organisation", jobj(org_json(o), "members_one", jbool(o->members == 1)));
    m = jobj(m, "regions", ref_options(c->app->ref_options, REF_REGIONS, region));
    return form ? jobj(m, "form", form) : m;
}

int page_admin_org_new_form(struct ctx *c)
{
    return render(c, 200, "admin/organisation_form", form_model(c, NULL, json_object()));
}

int page_admin_org_edit_form(struct ctx *c)
{
    struct org o;
    int64_t id;
    json_t *form;
    int rc;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    if ((rc = account_org_get(c->db, c->arena, id, &o)))
        return rc;
    form = jobj(json_object(), "name", jstr(o.name));
    form = jobj(form, "ods_code", jstr(o.ods_code));
    form = jobj(form, "region", jstr(o.region));
    return render(c, 200, "admin/organisation_form", form ? form_model(c, &o, form) : NULL);
}

/* Puts a refusal of account_org_create/update on its field; false when rc is not one. */
static bool org_refusal(struct ctx *c, int rc, const char *field)
{
    const char *ods = req_field(c->req, "ods_code");
    if (!field || (rc != APP_E_INVALID && rc != APP_E_CONFLICT))
        return false;
    if (!strcmp(field, "name"))
        req_add_error(c->req, "name",
                      rc == APP_E_CONFLICT
                          ? "There is already an organisation with this name. Use a different "
                            "name, or merge the two organisations"
                          : "Enter the organisation's name");
    else if (!strcmp(field, "ods_code"))
        req_add_error(c->req, "ods_code",
                      rc == APP_E_CONFLICT
                          ? arena_printf(c->arena,
                                         "Another organisation already has the ODS code %s",
                                         ods ? ods : "")
                          : "Enter an ODS code of 3 to 10 letters and numbers, like RJ1 or "
                            "RJ121, or leave it empty");
    else
        req_add_error(c->req, "region", "Select a region from the list");
    return true;
}

/* Reads the form; false (with errors added) when a field is wrong before any lookup. Every
 * field is checked here, so a blank name and a bad ODS code are reported together (the
 * domain's check stops at the first). */
static bool read_input(struct ctx *c, struct org_input *in)
{
    struct str name, ods;
    char *up;
    in->name = req_field(c->req, "name");
    in->ods_code = req_field(c->req, "ods_code");
    in->region = req_field(c->req, "region");
    name = str_trim(str_from(in->name));
    ods = str_trim(str_from(in->ods_code));
    if (!name.len)
        org_refusal(c, APP_E_INVALID, "name");
    if (ods.len) {
        if (!(up = str_dup(c->arena, ods)))
            return false;
        for (char *p = up; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        if (!account_ods_code_valid(up))
            org_refusal(c, APP_E_INVALID, "ods_code");
    }
    if (in->region && !ref_name(regions, regions_count, in->region))
        req_add_error(c->req, "region", "Select a region from the list");
    return c->req->nerrors == 0;
}

/* After a change: the organisation as the API shows it, or back to the list (filtered to it,
 * so the admin sees the result) with a message. */
static int saved(struct ctx *c, int status, int64_t id)
{
    struct org o;
    struct buf b = BUF_INIT;
    char *to;
    int rc = account_org_get(c->db, c->arena, id, &o);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, status, NULL, jobj(json_object(), "organisation", org_json(&o)));
    if ((rc = flash_set(c, "org_saved")))
        return rc;
    buf_puts(&b, "/admin/organisations?q=");
    url_escape(&b, o.name, strlen(o.name));
    to = buf_oom(&b) ? NULL : arena_strdup(c->arena, b.data);
    buf_free(&b);
    return to ? resp_redirect(c, to) : APP_E_NOMEM;
}

int page_admin_org_create(struct ctx *c)
{
    struct org_input in;
    const char *field = NULL;
    int64_t id = 0;
    int rc;
    if (!read_input(c, &in))
        return render_invalid(c, "admin/organisation_form", form_model(c, NULL, NULL));
    rc = account_org_create(c->db, c->user->id, &in, &id, &field);
    if (org_refusal(c, rc, field))
        return render_invalid(c, "admin/organisation_form", form_model(c, NULL, NULL));
    if (rc)
        return rc;
    return saved(c, 201, id);
}

int page_admin_org_update(struct ctx *c)
{
    struct org_input in;
    struct org o;
    const char *field = NULL;
    int64_t id;
    int rc;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    if ((rc = account_org_get(c->db, c->arena, id, &o)))
        return rc;
    if (!read_input(c, &in))
        return render_invalid(c, "admin/organisation_form", form_model(c, &o, NULL));
    rc = account_org_update(c->db, c->user->id, id, &in, &field);
    if (org_refusal(c, rc, field))
        return render_invalid(c, "admin/organisation_form", form_model(c, &o, NULL));
    if (rc)
        return rc;
    return saved(c, 200, id);
}

/* ---- merging ---- */

/* "3 assessment rounds" */
static const char *count_of(struct arena *a, int64_t n, const char *one, const char *many)
{
    return arena_printf(a, "%lld %s", (long long)n, n == 1 ? one : many);
}

/* What the confirmation says moves, in one paragraph. */
static const char *merge_summary(struct arena *a, const struct org_merge *m)
{
    const char *parts[4];
    size_t n = 0;
    struct buf b = BUF_INIT;
    char *s;
    if (m->members)
        parts[n++] = count_of(a, m->members, "member", "members");
    if (m->rounds)
        parts[n++] =
            count_of(a, m->rounds, "assessment round run for it", "assessment rounds run for it");
    if (m->invitations)
        parts[n++] = count_of(a, m->invitations, "assessment round invitation",
                              "assessment round invitations");
    if (m->responses)
        parts[n++] = count_of(a, m->responses, "assessment response", "assessment responses");
    for (size_t i = 0; i < n; i++)
        if (!parts[i])
            return NULL;
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", parts[i]);
    if (n)
        buf_printf(&b, " %s to %s. ",
                   n == 1 && m->members + m->rounds + m->invitations + m->responses == 1 ? "moves"
                                                                                         : "move",
                   m->into.name);
    else
        buf_printf(&b, "Nothing refers to %s: no members and no assessments. ", m->from.name);
    if (m->links_withdrawn == 1)
        buf_printf(&b,
                   "1 of the invitations is for a round that already has one for %s: its link "
                   "will stop working, and the responses given through it are counted under "
                   "the link for %s. ",
                   m->into.name, m->into.name);
    else if (m->links_withdrawn > 1)
        buf_printf(&b,
                   "%lld of the invitations are for rounds that already have one for %s: their "
                   "links will stop working, and the responses given through them are counted "
                   "under the links for %s. ",
                   (long long)m->links_withdrawn, m->into.name, m->into.name);
    buf_printf(&b, "%s is removed.", m->from.name);
    s = buf_oom(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return s;
}

static json_t *merge_counts_json(const struct org_merge *m)
{
    json_t *j = jobj(json_object(), "members", jint(m->members));
    j = jobj(j, "rounds", jint(m->rounds));
    j = jobj(j, "invitations", jint(m->invitations));
    j = jobj(j, "links_withdrawn", jint(m->links_withdrawn));
    return jobj(j, "responses", jint(m->responses));
}

/* The confirmation's model: both organisations, what moves, and the summary. */
static json_t *confirm_model(struct ctx *c, const struct org_merge *m)
{
    json_t *j = jobj(json_object(), "title",
                     jstr(arena_printf(c->arena, "Merge %s into %s?", m->from.name, m->into.name)));
    j = jobj(j, "confirming", jbool(1));
    j = jobj(j, "organisation", org_json(&m->from));
    j = jobj(j, "into", org_json(&m->into));
    j = jobj(j, "moves", merge_counts_json(m));
    return jobj(j, "summary", jstr(merge_summary(c->arena, m)));
}

/* The choice's model: every other organisation, the submitted one selected. */
static json_t *choose_model(struct ctx *c, const struct org *from)
{
    struct org *orgs;
    size_t n;
    int64_t into = req_field_int(c->req, "into", 0);
    json_t *opts, *m;
    if (account_org_list(c->db, c->arena, &orgs, &n))
        return NULL;
    opts = json_array();
    for (size_t i = 0; opts && i < n; i++) {
        json_t *o;
        if (orgs[i].id == from->id)
            continue;
        o = jobj(json_object(), "value", jint(orgs[i].id));
        o = jobj(o, "text",
                 jstr(*orgs[i].ods_code
                          ? arena_printf(c->arena, "%s (%s)", orgs[i].name, orgs[i].ods_code)
                          : orgs[i].name));
        o = jobj(o, "selected", jbool(orgs[i].id == into));
        if (!o || json_array_append_new(opts, o)) {
            json_decref(opts);
            opts = NULL;
        }
    }
    m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Merge %s", from->name)));
    m = jobj(m, "organisation", org_json(from));
    m = jobj(m, "has_others", jbool(opts && json_array_size(opts) > 0));
    return jobj(m, "others", opts);
}

/* Loads the organisation the path names and the plan of merging it into the field "into";
 * a plan that cannot be made is an error on that field. *planned is false then. */
static int load_merge(struct ctx *c, struct org *from, struct org_merge *plan, bool *planned)
{
    int64_t id, into = req_field_int(c->req, "into", 0);
    int rc;
    *planned = false;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    if ((rc = account_org_get(c->db, c->arena, id, from)))
        return rc;
    if (!req_field(c->req, "into") || c->req->nerrors)
        return APP_OK;
    rc = account_org_merge_plan(c->db, c->arena, id, into, plan);
    if (rc == APP_E_INVALID)
        return req_add_error(c->req, "into",
                             "Choose a different organisation from the one you are merging");
    if (rc == APP_E_NOTFOUND)
        return req_add_error(c->req, "into", "Choose an organisation from the list");
    *planned = rc == APP_OK;
    return rc;
}

int page_admin_org_merge_form(struct ctx *c)
{
    struct org from;
    struct org_merge plan;
    bool planned;
    int rc = load_merge(c, &from, &plan, &planned);
    if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "admin/organisation_merge", choose_model(c, &from));
    if (planned)
        return render(c, 200, "admin/organisation_merge", confirm_model(c, &plan));
    return render(c, 200, "admin/organisation_merge", choose_model(c, &from));
}

int page_admin_org_merge(struct ctx *c)
{
    struct org from;
    struct org_merge plan, done;
    bool planned;
    int rc = load_merge(c, &from, &plan, &planned);
    if (rc)
        return rc;
    if (!planned)
        return render_invalid(c, "admin/organisation_merge", choose_model(c, &from));
    if (!req_field_bool(c->req, "confirm")) {
        req_add_error(c->req, "confirm",
                      arena_printf(c->arena, "Confirm that you want to merge %s into %s",
                                   plan.from.name, plan.into.name));
        return render_invalid(c, "admin/organisation_merge", confirm_model(c, &plan));
    }
    rc = account_org_merge(c->db, c->arena, c->user->id, from.id, plan.into.id, &done);
    if (rc == APP_E_CONFLICT) { /* something began to refer to it meanwhile */
        render_error(c, APP_E_DB,
                     "Something changed while the organisations were being merged, so nothing "
                     "was merged. Try again.");
        return APP_OK;
    }
    if (rc == APP_E_NOTFOUND || rc == APP_E_INVALID) { /* merged or removed meanwhile */
        render_error(c, APP_E_NOTFOUND, "One of the two organisations no longer exists.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json) {
        json_t *m = jobj(json_object(), "merged", jbool(1));
        m = jobj(m, "removed", jint(done.from.id));
        if ((rc = account_org_get(c->db, c->arena, done.into.id, &done.into))) {
            json_decref(m);
            return rc;
        }
        m = jobj(m, "into", org_json(&done.into));
        m = jobj(m, "moved", merge_counts_json(&done));
        return render(c, 200, NULL, m);
    }
    if ((rc = flash_set(c, "org_merged")))
        return rc;
    return resp_redirect(c, "/admin/organisations");
}
