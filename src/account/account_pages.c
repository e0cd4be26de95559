/* account_pages.c: "Your account" — details, password and API tokens */
#include "account/account.h"
#include "account/org.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/csrf.h"
#include "web/html.h"
#include "web/password.h"
#include "web/render.h"
#include "web/session.h"

#include <string.h>
#include <time.h>

/* The account page's model. When a form on it failed, the selections show what was
 * submitted rather than what is stored, so nothing the user chose is lost. The organisation
 * is typed, with the organisations' names offered as suggestions (a list of hundreds is
 * poor to choose from): organisation_text is what the box shows. */
static json_t *account_model(struct ctx *c, const char *new_token)
{
    const char *prof = NULL, *region = NULL, *org_text = NULL;
    int64_t org = -1;
    struct user u;
    struct api_token *toks;
    struct org *orgs;
    size_t ntoks, norgs;
    json_t *m, *jt, *jo;
    if (account_user_get(c->db, c->arena, c->user->id, &u) ||
        account_token_list(c->db, c->arena, c->user->id, &toks, &ntoks) ||
        account_org_list(c->db, c->arena, &orgs, &norgs))
        return NULL;
    if (c->req->nerrors && c->route && !strcmp(c->route->name, "account_profile")) {
        /* as typed, refused values included (req_typed): shown, never acted on */
        prof = req_typed(c->req, "profession");
        region = req_typed(c->req, "region");
        org = req_field_int(c->req, "organisation", 0);
        org_text = req_typed(c->req, "organisation_name");
        if (!org_text)
            org_text = "";
    }
    jt = json_array();
    jo = json_array();
    /* jobj() chains, not json_pack(): the format is parsed on every call, some 3,500
     * instructions an object, and this page builds one per organisation. */
    for (size_t i = 0; jt && i < ntoks; i++) {
        json_t *t = jobj(json_object(), "id", jint(toks[i].id));
        t = jobj(t, "name", jstr(toks[i].name));
        t = jobj(t, "prefix", jstr(toks[i].prefix));
        t = jobj(t, "created", account_date_text(toks[i].created_at));
        t = jobj(t, "last_used", jint(toks[i].last_used));
        t = jobj(t, "last_used_on", account_date_text(toks[i].last_used));
        if (json_array_append_new(jt, t))
            goto fail;
    }
    for (size_t i = 0; jo && i < norgs; i++) {
        json_t *o = jobj(json_object(), "id", jint(orgs[i].id));
        o = jobj(o, "name", jstr(orgs[i].name));
        o = jobj(o, "ods_code", jstr(orgs[i].ods_code));
        o = jobj(o, "selected", jbool(orgs[i].id == (org >= 0 ? org : u.organisation_id)));
        if (org > 0 && orgs[i].id == org && org_text && !*org_text)
            org_text = orgs[i].name; /* chosen by id (the API) */
        if (json_array_append_new(jo, o))
            goto fail;
    }
    m = jobj(json_object(), "title", json_string_nocheck("Your account"));
    m = jobj(m, "user", account_user_json(&u));
    m = jobj(m, "tokens", jt);
    m = jobj(m, "organisations", jo);
    m = jobj(m, "organisation_text", jstr(org_text ? org_text : u.organisation));
    m = jobj(m, "professions",
             ref_options(c->app->ref_options, REF_PROFESSIONS,
                         prof       ? prof
                         : org >= 0 ? ""
                                    : u.profession));
    m = jobj(m, "regions",
             ref_options(c->app->ref_options, REF_REGIONS,
                         region     ? region
                         : org >= 0 ? ""
                                    : u.region));
    if (m && new_token)
        m = jset(m, "new_token", jstr(new_token));
    return m;
fail:
    json_decref(jt);
    json_decref(jo);
    return NULL;
}

int page_account_show(struct ctx *c)
{
    return render(c, 200, "account/show", account_model(c, NULL));
}

/* The organisation is named by its id (the API) or typed (the page: a name or ODS code;
 * empty for none). */
int page_account_profile(struct ctx *c)
{
    const char *prof = req_field(c->req, "profession"), *region = req_field(c->req, "region");
    const char *org_text = req_field(c->req, "organisation_name");
    int64_t org_id = req_field_int(c->req, "organisation", 0);
    int rc;
    if (prof && !ref_name(professions, professions_count, prof))
        req_add_error(c->req, "profession", "Select your profession from the list");
    if (region && !ref_name(regions, regions_count, region))
        req_add_error(c->req, "region", "Select your region from the list");
    if (org_text) {
        struct org o;
        rc = account_org_find(c->db, c->arena, org_text, &o);
        if (rc == APP_E_NOTFOUND)
            req_add_error(c->req, "organisation_name",
                          "Enter your organisation’s name as the list shows it, or its ODS "
                          "code, or leave it empty");
        else if (rc)
            return rc;
        else
            org_id = o.id;
    }
    if (c->req->nerrors)
        return render_invalid(c, "account/show", account_model(c, NULL));
    rc = account_profile_update(c->db, c->user->id, req_field(c->req, "display_name"), prof, region,
                                org_id);
    if (rc == APP_E_INVALID) { /* an organisation that has gone (merged meanwhile) */
        req_add_error(c->req, org_text ? "organisation_name" : "organisation",
                      "Select your organisation from the list");
        return render_invalid(c, "account/show", account_model(c, NULL));
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, account_model(c, NULL));
    if ((rc = flash_set(c, "profile_saved")))
        return rc;
    return resp_redirect(c, "/account");
}

/* True when the form's field already has an error. */
static bool field_refused(struct ctx *c, const char *field)
{
    for (size_t i = 0; i < c->req->nerrors; i++)
        if (!strcmp(c->req->errors[i].field, field))
            return true;
    return false;
}

/* Too many wrong current passwords: the login lock, with its true wait. */
static int password_limited(struct ctx *c, const struct account_policy *pol)
{
    render_limited(c,
                   login_throttle_wait(c->app->login_throttle, pol, c->req->client_key,
                                       c->user->email, (int64_t)time(NULL)),
                   "There have been too many wrong passwords from here.", true);
    return APP_OK;
}

int page_account_password(struct ctx *c)
{
    const char *cur = req_field(c->req, "current_password");
    const char *np = req_field(c->req, "new_password"),
               *conf = req_field(c->req, "confirm_password");
    const char *policy;
    struct account_policy pol;
    int rc;
    if (np && conf && strcmp(np, conf) != 0)
        req_add_error(c->req, "confirm_password", "The new passwords do not match");
    if (np && (policy = password_policy(np, strlen(np), c->user->email)))
        req_add_error(c->req, "new_password", policy);
    session_policy(c, &pol);
    /* New passwords refused: the current one is still checked (and throttled), so a wrong
     * one is reported with them rather than after they are put right. */
    if (c->req->nerrors) {
        if (cur && *cur && !field_refused(c, "current_password")) {
            rc = account_password_check(c->db, &pol, c->app->login_throttle, c->req->client_key,
                                        c->user->id, cur, strlen(cur));
            if (rc == APP_E_UNAUTH)
                req_add_error(c->req, "current_password", "Your current password is not correct");
            else if (rc == APP_E_LIMIT)
                return password_limited(c, &pol);
            else if (rc)
                return rc;
        }
        return render_invalid(c, "account/show", account_model(c, NULL));
    }
    rc =
        account_password_change(c->db, &pol, c->app->login_throttle, c->req->client_key,
                                c->user->id, c->user->session_id, cur, strlen(cur), np, strlen(np));
    if (rc == APP_E_UNAUTH) {
        req_add_error(c->req, "current_password", "Your current password is not correct");
        return render_invalid(c, "account/show", account_model(c, NULL));
    }
    if (rc == APP_E_LIMIT)
        return password_limited(c, &pol);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:b}", "password_changed", 1));
    if ((rc = flash_set(c, "password_changed")))
        return rc;
    return resp_redirect(c, "/account");
}

int page_account_token_create(struct ctx *c)
{
    char token[API_TOKEN_LEN];
    int64_t id;
    int rc;
    if (c->req->nerrors)
        return render_invalid(c, "account/show", account_model(c, NULL));
    rc = account_token_create(c->db, c->user->id, req_field(c->req, "name"), token, &id);
    if (rc)
        return rc;
    /* Shown once, on this page; only its hash is kept. */
    if (c->want_json)
        return render(c, 201, NULL, json_pack("{s:I, s:s}", "id", (json_int_t)id, "token", token));
    return render(c, 201, "account/show", account_model(c, token));
}

int page_account_token_revoke(struct ctx *c)
{
    int64_t id;
    int rc;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    rc = account_token_revoke(c->db, c->user->id, id);
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:b}", "revoked", 1));
    if ((rc = flash_set(c, "token_revoked")))
        return rc;
    return resp_redirect(c, "/account");
}
