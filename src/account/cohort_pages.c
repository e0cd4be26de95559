/* cohort_pages.c: the programme lead's cohort pages — the list, making and renaming one,
 * its members (added from a pasted list of addresses, taken out one at a time), deleting it
 *
 * Facilitators and admins run programmes, so both reach these pages. Adding a list answers
 * with what happened to every address, on the cohort's page: the lead sees at once which
 * addresses have no account, to invite them, and which were not addresses at all. Deleting
 * takes a confirmation, as merging organisations does (the API sends "confirm": true).
 */
#include "account/account.h"
#include "account/cohort.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <string.h>

#define PAGE_SIZE 50

/* "1 member", "3 members" */
static json_t *members_text(int64_t n)
{
    return json_sprintf("%lld member%s", (long long)n, n == 1 ? "" : "s");
}

static json_t *cohort_json(const struct cohort *o)
{
    json_t *j = jobj(json_object(), "id", jint(o->id));
    j = jobj(j, "name", jstr(o->name));
    j = jobj(j, "description", jstr(o->description));
    j = jobj(j, "members", jint(o->members));
    j = jobj(j, "created", jdate(o->created_at));
    return jobj(j, "updated", jdate(o->updated_at));
}

static json_t *member_json(const struct cohort_member *m)
{
    const char *pn = ref_name(professions, professions_count, m->profession),
               *rn = ref_name(regions, regions_count, m->region);
    json_t *j = jobj(json_object(), "user_id", jint(m->user_id));
    j = jobj(j, "display_name", jstr(m->display_name));
    j = jobj(j, "email", jstr(m->email));
    j = jobj(j, "profession", jstr(m->profession));
    j = jobj(j, "profession_name", jstr(pn));
    j = jobj(j, "region", jstr(m->region));
    j = jobj(j, "region_name", jstr(rn));
    j = jobj(j, "organisation", jstr(m->organisation));
    return jobj(j, "added", jdate(m->added_at));
}

static json_t *strs_json(const char *const *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, jstr(s[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

/* What adding a list did, as the API answers it. */
static json_t *result_json(const struct cohort_added *r)
{
    json_t *res = jobj(json_object(), "added", jint(r->added));
    res = jobj(res, "already", jint(r->already));
    res = jobj(res, "unknown", strs_json(r->unknown, r->n_unknown));
    return jobj(res, "invalid", strs_json(r->invalid, r->n_invalid));
}

/* The cohort the path names; APP_E_NOTFOUND for a malformed or unknown id. */
static int load(struct ctx *c, struct cohort *out)
{
    int64_t id;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    return account_cohort_get(c->db, c->arena, id, out);
}

int page_cohorts(struct ctx *c)
{
    struct cohort *list;
    size_t n;
    json_t *arr, *m;
    int rc = account_cohort_list(c->db, c->arena, &list, &n);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = cohort_json(&list[i]);
        if (!c->want_json) /* the page's words; the API has the number */
            o = jobj(o, "members_text", members_text(list[i].members));
        if (json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    m = jobj(json_object(), "title", jstr("Cohorts"));
    m = jobj(m, "has_cohorts", jbool(n > 0));
    return render(c, 200, "cohorts/list", jobj(m, "cohorts", arr));
}

/* The cohort's page: its members a page at a time, the form to add more, and (after an
 * add) what happened to each address. */
static json_t *show_model(struct ctx *c, const struct cohort *o, const struct cohort_added *r)
{
    struct cohort_member *mem;
    size_t n;
    int64_t total, page = req_field_int(c->req, "page", 1);
    json_t *arr, *m;
    if (page < 1)
        page = 1;
    int rc = account_cohort_members(c->db, c->arena, o->id, (int)((page - 1) * PAGE_SIZE),
                                    PAGE_SIZE, &mem, &n, &total);
    /* After an add has been committed, a failed read must not hide what was done: the page
     * shows the result without the table. */
    if (rc && !(r && rc == APP_E_DB))
        return NULL;
    if (rc) {
        n = 0;
        total = o->members;
    }
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, member_json(&mem[i]))) {
            json_decref(arr);
            arr = NULL;
        }
    m = jobj(json_object(), "title", jstr(o->name));
    m = jobj(m, "cohort", cohort_json(o));
    m = jobj(m, "members", arr);
    m = jobj(m, "members_unread", jbool(rc != APP_OK));
    m = jobj(m, "is_admin", jbool(c->user->role == ROLE_ADMIN));
    m = jobj(m, "pagination",
             render_pagination(arena_printf(c->arena, "/cohorts/%lld", (long long)o->id), page,
                               PAGE_SIZE, total, "#members"));
    if (r) {
        json_t *res = result_json(r);
        res = jobj(res, "has_unknown", jbool(r->n_unknown > 0));
        res = jobj(res, "has_invalid", jbool(r->n_invalid > 0));
        res = jobj(res, "added_text",
                   r->added ? json_sprintf("Added %lld %s.", (long long)r->added,
                                           r->added == 1 ? "person" : "people")
                            : jstr("Nobody new was added."));
        res = jobj(res, "already_text",
                   json_sprintf("%lld %s in the cohort already.", (long long)r->already,
                                r->already == 1 ? "was" : "were"));
        m = jobj(m, "result", res);
    }
    return m;
}

int page_cohort(struct ctx *c)
{
    struct cohort o;
    int rc = load(c, &o);
    if (rc)
        return rc;
    return render(c, 200, "cohorts/show", show_model(c, &o, NULL));
}

static json_t *form_model(struct ctx *c, const struct cohort *o, json_t *form)
{
    json_t *m = jobj(json_object(), "title",
                     jstr(o ? arena_printf(c->arena, "Change %s", o->name) : "Make a cohort"));
    m = jobj(m, "action", jstr(o ? arena_printf(c->arena, "/cohorts/%lld", (long long)o->id)
                                 : "/cohorts"));
    m = jobj(m, "is_new", jbool(!o));
    if (o)
        m = jobj(m, "cohort", cohort_json(o));
    return form ? jobj(m, "form", form) : m;
}

int page_cohort_new_form(struct ctx *c)
{
    return render(c, 200, "cohorts/form", form_model(c, NULL, json_object()));
}

int page_cohort_edit_form(struct ctx *c)
{
    struct cohort o;
    json_t *form;
    int rc = load(c, &o);
    if (rc)
        return rc;
    form = jobj(json_object(), "name", jstr(o.name));
    form = jobj(form, "description", jstr(o.description));
    return render(c, 200, "cohorts/form", form ? form_model(c, &o, form) : NULL);
}

/* The cohort's own rules (cohort.h) on the fields the request layer let through, each on
 * its field; a field it refused already has its message. A form with a refused field gets
 * these too, so every problem is listed at once. True when one was added. */
static bool input_problems(struct ctx *c)
{
    const char *name = req_field(c->req, "name"), *desc = req_field(c->req, "description");
    size_t before = c->req->nerrors;
    if (req_error(c->req, "name"))
        ;
    else if (!name || str_blank(name))
        req_add_error(c->req, "name", "Enter a name for the cohort");
    else if (strlen(name) > COHORT_NAME_MAX)
        req_add_error(c->req, "name", "Enter a name of 120 characters or fewer");
    if (!req_error(c->req, "description") && desc && strlen(desc) > COHORT_DESCRIPTION_MAX)
        req_add_error(c->req, "description", "Enter a description of 2,000 characters or fewer");
    return c->req->nerrors > before;
}

/* Whether the form can be saved: false, with every problem on its field, when the request
 * layer refused a field (a refused description is not an empty one) or the cohort's rules
 * would. Nothing has been written then. */
static bool input_ok(struct ctx *c)
{
    input_problems(c);
    return c->req->nerrors == 0;
}

/* Puts a refusal of create or update on its field; false when rc is not one. */
static bool refused(struct ctx *c, int rc)
{
    if (rc == APP_E_CONFLICT)
        req_add_error(c->req, "name", "There is already a cohort with this name. Use a different name");
    else if (rc != APP_E_INVALID)
        return false;
    else if (!input_problems(c)) /* the rules are cohort.c's: what is left is the description */
        req_add_error(c->req, "description", "Enter a description of 2,000 characters or fewer");
    return true;
}

static int saved(struct ctx *c, int status, int64_t id)
{
    struct cohort o;
    int rc = account_cohort_get(c->db, c->arena, id, &o);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, status, NULL, jobj(json_object(), "cohort", cohort_json(&o)));
    if ((rc = flash_set(c, "cohort_saved")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/cohorts/%lld", (long long)id));
}

int page_cohort_create(struct ctx *c)
{
    int64_t id = 0;
    int rc;
    if (!input_ok(c))
        return render_invalid(c, "cohorts/form", form_model(c, NULL, NULL));
    rc = account_cohort_create(c->db, c->user->id, req_field(c->req, "name"),
                               req_field(c->req, "description"), &id);
    if (refused(c, rc))
        return render_invalid(c, "cohorts/form", form_model(c, NULL, NULL));
    if (rc)
        return rc;
    return saved(c, 201, id);
}

int page_cohort_update(struct ctx *c)
{
    struct cohort o;
    int rc = load(c, &o);
    if (rc)
        return rc;
    if (!input_ok(c))
        return render_invalid(c, "cohorts/form", form_model(c, &o, NULL));
    rc = account_cohort_update(c->db, c->user->id, o.id, req_field(c->req, "name"),
                               req_field(c->req, "description"));
    if (refused(c, rc))
        return render_invalid(c, "cohorts/form", form_model(c, &o, NULL));
    if (rc)
        return rc;
    return saved(c, 200, o.id);
}

int page_cohort_add(struct ctx *c)
{
    struct cohort o;
    struct cohort_added r;
    json_t *m;
    int rc = load(c, &o);
    if (rc)
        return rc;
    /* A refused list (a special character in it) is not an empty one: nothing is added, and
     * the list comes back as typed to be corrected. */
    if (c->req->nerrors)
        return render_invalid(c, "cohorts/show", show_model(c, &o, NULL));
    rc = account_cohort_add_emails(c->db, c->arena, c->user->id, o.id, req_field(c->req, "emails"),
                                   &r);
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "emails",
                      "Enter 5,000 addresses or fewer at a time, then add the rest");
        return render_invalid(c, "cohorts/show", show_model(c, &o, NULL));
    }
    if (rc)
        return rc;
    o.members += r.added; /* counted in the transaction; no read after the commit to fail */
    if (c->want_json) {
        json_t *j = jobj(json_object(), "cohort", cohort_json(&o));
        return render(c, 200, NULL, jobj(j, "result", result_json(&r)));
    }
    if (!(m = show_model(c, &o, &r)))
        return APP_E_NOMEM;
    return render(c, 200, "cohorts/show", m);
}

int page_cohort_remove(struct ctx *c)
{
    struct cohort o;
    int64_t uid;
    int rc = load(c, &o);
    if (rc)
        return rc;
    if (!parse_int64(str_from(req_param(c->req, "user")), &uid))
        return APP_E_NOTFOUND;
    rc = account_cohort_remove(c->db, c->user->id, o.id, uid);
    if (rc == APP_E_NOTFOUND && !c->want_json) { /* taken out already, by another tab or lead */
        if ((rc = flash_set(c, "cohort_member_removed")))
            return rc;
        return resp_redirect(c, arena_printf(c->arena, "/cohorts/%lld", (long long)o.id));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "removed", jint(uid)));
    if ((rc = flash_set(c, "cohort_member_removed")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/cohorts/%lld", (long long)o.id));
}

static json_t *delete_model(struct ctx *c, const struct cohort *o)
{
    json_t *m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Delete %s?", o->name)));
    return jobj(m, "cohort", cohort_json(o));
}

int page_cohort_delete_form(struct ctx *c)
{
    struct cohort o;
    int rc = load(c, &o);
    if (rc)
        return rc;
    return render(c, 200, "cohorts/delete", delete_model(c, &o));
}

int page_cohort_delete(struct ctx *c)
{
    struct cohort o;
    int rc = load(c, &o);
    if (rc)
        return rc;
    if (!req_field_bool(c->req, "confirm")) {
        req_add_error(c->req, "confirm",
                      arena_printf(c->arena, "Confirm that you want to delete %s", o.name));
        return render_invalid(c, "cohorts/delete", delete_model(c, &o));
    }
    if ((rc = account_cohort_delete(c->db, c->user->id, o.id)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "deleted", jint(o.id)));
    if ((rc = flash_set(c, "cohort_deleted")))
        return rc;
    return resp_redirect(c, "/cohorts");
}
