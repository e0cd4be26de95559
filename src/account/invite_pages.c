/* invite_pages.c: the admin invites people — one by the form, many from a CSV file */
#include "account/invite.h"
#include "account/org.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

/* The invite page's model. After a failed submission the selections show what was sent, so
 * nothing the admin chose is lost (the text fields come back through "form"). */
static json_t *invite_model(struct ctx *c, const char *const *csv_errors, size_t ncsv)
{
    bool single = c->route && !strcmp(c->route->name, "admin_invite");
    const char *role = single ? req_field(c->req, "role") : NULL;
    const char *prof = single ? req_field(c->req, "profession") : NULL;
    const char *region = single ? req_field(c->req, "region") : NULL;
    int64_t org = single ? req_field_int(c->req, "organisation", 0) : 0;
    struct org *orgs;
    size_t norgs;
    json_t *m, *jo, *je;
    if (account_org_list(c->db, c->arena, &orgs, &norgs))
        return NULL;
    jo = json_array();
    for (size_t i = 0; jo && i < norgs; i++) {
        json_t *o = jobj(json_object(), "id", jint(orgs[i].id));
        o = jobj(o, "name", jstr(orgs[i].name));
        o = jobj(o, "selected", jbool(orgs[i].id == org));
        if (json_array_append_new(jo, o)) {
            json_decref(jo);
            return NULL;
        }
    }
    je = json_array();
    for (size_t i = 0; je && i < ncsv; i++)
        if (json_array_append_new(je, jstr(csv_errors[i]))) {
            json_decref(je);
            je = NULL;
        }
    m = jobj(json_object(), "title", json_string_nocheck("Invite people"));
    m = jobj(m, "roles", ref_options(c->app->ref_options, REF_ROLES, role ? role : "member"));
    m = jobj(m, "professions", ref_options(c->app->ref_options, REF_PROFESSIONS, prof));
    m = jobj(m, "regions", ref_options(c->app->ref_options, REF_REGIONS, region));
    m = jobj(m, "organisations", jo);
    m = jobj(m, "csv_errors", je);
    return jobj(m, "has_csv_errors", jbool(ncsv > 0));
}

int page_admin_invite_form(struct ctx *c)
{
    return render(c, 200, "admin/invite", invite_model(c, NULL, 0));
}

/* The answer after inviting: who was invited, each linked to their page. */
static int invited(struct ctx *c, const struct invite *inv, const int64_t *ids, size_t n)
{
    json_t *arr = json_array(), *m;
    for (size_t i = 0; arr && i < n; i++) {
        json_t *u = jobj(json_object(), "id", jint(ids[i]));
        u = jobj(u, "email", jstr(inv[i].email));
        u = jobj(u, "display_name", jstr(inv[i].display_name));
        u = jobj(u, "role", json_string_nocheck(role_name(inv[i].role)));
        if (json_array_append_new(arr, u)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    m = jobj(json_object(), "title",
             n == 1 ? json_string_nocheck("1 person invited")
                    : json_string(arena_printf(c->arena, "%zu people invited", n)));
    m = jobj(m, "invited", jint((long long)n));
    m = jobj(m, "users", arr);
    return render(c, 201, "admin/invited", m);
}

#define EMAIL_TAKEN                                                                                \
    "There is already an account for this email address. Search the list of users to find it"

/* Adds EMAIL_TAKEN when email (without an error of its own) already has an account. */
static int email_taken(struct ctx *c, const char *email)
{
    struct user u;
    char *lower;
    int rc;
    if (!email || !*email)
        return APP_OK;
    for (size_t i = 0; i < c->req->nerrors; i++)
        if (!strcmp(c->req->errors[i].field, "email"))
            return APP_OK;
    if (!(lower = arena_strdup(c->arena, email)))
        return APP_E_NOMEM;
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    rc = account_user_by_email(c->db, c->arena, lower, &u);
    if (rc == APP_E_NOTFOUND)
        return APP_OK;
    return rc ? rc : req_add_error(c->req, "email", EMAIL_TAKEN);
}

int page_admin_invite(struct ctx *c)
{
    struct link_mailer mailer = {c->app->tpl, c->app->cfg.base_url, !app_sends_mail(&c->app->cfg)};
    struct invite v = {0};
    int64_t id = 0;
    int rc;
    v.email = req_field(c->req, "email");
    v.display_name = req_field(c->req, "display_name");
    v.role = role_parse(req_field(c->req, "role"));
    v.profession = req_field(c->req, "profession");
    v.region = req_field(c->req, "region");
    v.organisation_id = req_field_int(c->req, "organisation", 0);
    if (req_field(c->req, "role") && v.role == ROLE_NONE)
        req_add_error(c->req, "role", "Select a role: member, facilitator or admin");
    if (v.profession && !ref_name(professions, professions_count, v.profession))
        req_add_error(c->req, "profession", "Select their profession from the list");
    if (v.region && !ref_name(regions, regions_count, v.region))
        req_add_error(c->req, "region", "Select their region from the list");
    if (c->req->nerrors) {
        /* The address taken is said with the other errors, not after they are put right. */
        if ((rc = email_taken(c, v.email)))
            return rc;
        return render_invalid(c, "admin/invite", invite_model(c, NULL, 0));
    }
    rc = account_invite(c->db, &mailer, c->user->id, &v, 1, (int64_t)time(NULL), &id, NULL);
    if (rc == APP_E_CONFLICT)
        req_add_error(c->req, "email", EMAIL_TAKEN);
    else if (rc == APP_E_INVALID)
        req_add_error(c->req, "organisation", "Select their organisation from the list");
    else if (rc)
        return rc;
    if (c->req->nerrors)
        return render_invalid(c, "admin/invite", invite_model(c, NULL, 0));
    return invited(c, &v, &id, 1);
}

int page_admin_invite_csv(struct ctx *c)
{
    struct link_mailer mailer = {c->app->tpl, c->app->cfg.base_url, !app_sends_mail(&c->app->cfg)};
    struct invite *rows;
    const char **errors;
    const char *data = NULL;
    size_t len = 0, nrows, nerrors;
    int64_t *ids;
    int rc;
    bool chose_empty = false;
    for (size_t i = 0; i < c->req->nuploads; i++)
        if (!strcmp(c->req->uploads[i].field, "csv_file") && c->req->uploads[i].len) {
            data = c->req->uploads[i].data;
            len = c->req->uploads[i].len;
        } else if (!strcmp(c->req->uploads[i].field, "csv_file") && c->req->uploads[i].filename &&
                   *c->req->uploads[i].filename) {
            chose_empty = true; /* a file was chosen, and it holds nothing */
        }
    if (!data && req_field(c->req, "csv")) {
        data = req_field(c->req, "csv");
        len = strlen(data);
    }
    if (!data && !c->req->nerrors)
        req_add_error(c->req, "csv_file",
                      chose_empty ? "The file you chose is empty"
                                  : "Select a CSV file of the people to invite");
    if (c->req->nerrors)
        return render_invalid(c, "admin/invite", invite_model(c, NULL, 0));
    rc = account_invite_csv(c->db, c->arena, data, len, &rows, &nrows, &errors, &nerrors);
    if (rc == APP_E_INVALID) {
        /* Nothing was created: every problem is listed with its row. */
        if (c->want_json) {
            json_t *m = jobj(json_object(), "error", json_string_nocheck("invalid"));
            json_t *errs = json_array();
            for (size_t i = 0; errs && i < nerrors; i++)
                if (json_array_append_new(errs, jstr(errors[i]))) {
                    json_decref(errs);
                    errs = NULL;
                }
            m = jobj(m, "message",
                     json_string_nocheck("Nobody has been invited. Correct the rows listed "
                                         "and send the file again."));
            return render(c, 400, NULL, jobj(m, "errors", errs));
        }
        if ((rc = req_add_error(c->req, "csv_file",
                                "Nobody has been invited. Correct the rows listed below and "
                                "upload the file again")))
            return rc;
        return render_invalid(c, "admin/invite", invite_model(c, errors, nerrors));
    }
    if (rc)
        return rc;
    ids = arena_calloc(c->arena, nrows, sizeof *ids);
    if (!ids)
        return APP_E_NOMEM;
    rc = account_invite(c->db, &mailer, c->user->id, rows, nrows, (int64_t)time(NULL), ids, NULL);
    if (rc == APP_E_CONFLICT || rc == APP_E_INVALID) {
        /* Someone was given an account, or an organisation removed, since the check. */
        if ((rc = req_add_error(c->req, "csv_file",
                                "Nobody has been invited: the list of accounts or organisations "
                                "changed while the file was checked. Upload it again")))
            return rc;
        return render_invalid(c, "admin/invite", invite_model(c, NULL, 0));
    }
    if (rc)
        return rc;
    return invited(c, rows, ids, nrows);
}
