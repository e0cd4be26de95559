/* pages.c: account handlers — log in and out, "your account", API tokens, user admin, audit */
#include "account/account.h"
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

#define PAGE_SIZE 25

/* "21 November 2026": dates are shown, not computed with, so the view model carries text. */
static json_t *date_text(int64_t t)
{
    char when[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t)
        return json_string_nocheck("");
    gmtime_r(&tt, &tm);
    strftime(when, sizeof when, "%-d %B %Y", &tm);
    return json_string_nocheck(when);
}

/* Built with jobj rather than json_pack: it is on every page that shows a user. */
json_t *account_user_json(const struct user *u)
{
    const char *pn = ref_name(professions, professions_count, u->profession);
    const char *rn = ref_name(regions, regions_count, u->region);
    json_t *o = jobj(json_object(), "id", jint(u->id));
    o = jobj(o, "email", jstr(u->email));
    o = jobj(o, "display_name", jstr(u->display_name));
    o = jobj(o, "role", json_string_nocheck(role_name(u->role)));
    o = jobj(o, "profession", jstr(u->profession));
    o = jobj(o, "profession_name", json_string_nocheck(pn ? pn : ""));
    o = jobj(o, "region", jstr(u->region));
    o = jobj(o, "region_name", json_string_nocheck(rn ? rn : ""));
    o = jobj(o, "organisation_id", jint(u->organisation_id));
    o = jobj(o, "organisation", jstr(u->organisation));
    o = jobj(o, "created_at", jint(u->created_at));
    return jobj(o, "created", date_text(u->created_at));
}

/* ---- log in and out ---- */

static json_t *login_model(struct ctx *c)
{
    const char *next = req_field(c->req, "next");
    return json_pack("{s:s, s:s}", "title", "Log in", "next",
                     next && resp_local_path(next) ? next : "");
}

int page_account_login_form(struct ctx *c)
{
    if (c->user && !c->want_json)
        return resp_redirect(c, "/account");
    return render(c, 200, "account/login", login_model(c));
}

int page_account_login(struct ctx *c)
{
    struct account_policy pol;
    struct user_ctx who;
    char token[TOKEN_HEX];
    const char *email = req_field(c->req, "email"), *pw = req_field(c->req, "password");
    const char *next = req_field(c->req, "next");
    int rc;
    if (c->req->nerrors)
        return render_invalid(c, "account/login", login_model(c));
    session_policy(c, &pol);
    rc = account_login(c->db, c->arena, &pol, c->app->login_throttle, c->req->client_key, email, pw,
                       strlen(pw), (int64_t)time(NULL), token, &who);
    if (rc == APP_E_UNAUTH) {
        rc = req_add_error(c->req, "email", "Enter a correct email address and password");
        if (rc)
            return rc;
        if (c->want_json)
            return render(c, 401, NULL,
                          json_pack("{s:s, s:s}", "error", "unauthorised", "message",
                                    "Enter a correct email address and password"));
        return render(c, 401, "account/login", login_model(c));
    }
    if (rc)
        return rc;
    /* An old session cookie (another user on a shared computer) is replaced, not kept. */
    if ((rc = resp_cookie(c, SESSION_COOKIE, token, -1)) || (rc = csrf_bind_session(c, token)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      json_pack("{s:{s:I, s:s, s:s}, s:s}", "user", "id", (json_int_t)who.id,
                                "display_name", who.display_name, "role", role_name(who.role),
                                "csrf_token", c->csrf_token));
    return resp_redirect(c, next && resp_local_path(next) ? next : "/account");
}

int page_account_logout(struct ctx *c)
{
    int rc = APP_OK;
    if (c->user->session_id)
        rc = account_session_end(c->db, c->user->session_id, c->user->id);
    /* A shared computer must not hand one person's work to the next: the assessment
     * response cookie (ahp_ar) and the Listen participant cookie (ahp_lp) are scoped to
     * each round's and exercise's paths, so this request, at /logout, does not carry them
     * and the server cannot know which slugs the browser holds to expire them one by one.
     * Clear-Site-Data: "cookies" has the browser drop every cookie of this site, which
     * current browsers honour; in one that does not, a named assessment response still
     * opens only for its own account (assess/pages.c). The session cookie is expired
     * explicitly as well, and the next page's forms get a fresh pre-session token. */
    if (rc || (rc = resp_header(c, "Clear-Site-Data", "\"cookies\"")) ||
        (rc = resp_cookie(c, SESSION_COOKIE, "", 0)) || (rc = csrf_rotate(c)))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:b}", "logged_out", 1));
    return resp_redirect(c, "/?logged_out=1");
}

/* ---- your account ---- */

/* The account page's model. When a form on it failed, the selections show what was
 * submitted rather than what is stored, so nothing the user chose is lost. */
static json_t *account_model(struct ctx *c, const char *new_token)
{
    const char *prof = NULL, *region = NULL;
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
        prof = req_field(c->req, "profession");
        region = req_field(c->req, "region");
        org = req_field_int(c->req, "organisation", 0);
    }
    jt = json_array();
    jo = json_array();
    /* jobj() chains, not json_pack(): the format is parsed on every call, some 3,500
     * instructions an object, and this page builds one per organisation. */
    for (size_t i = 0; jt && i < ntoks; i++) {
        json_t *t = jobj(json_object(), "id", jint(toks[i].id));
        t = jobj(t, "name", jstr(toks[i].name));
        t = jobj(t, "prefix", jstr(toks[i].prefix));
        t = jobj(t, "created", date_text(toks[i].created_at));
        t = jobj(t, "last_used", jint(toks[i].last_used));
        t = jobj(t, "last_used_on", date_text(toks[i].last_used));
        if (json_array_append_new(jt, t))
            goto fail;
    }
    for (size_t i = 0; jo && i < norgs; i++) {
        json_t *o = jobj(json_object(), "id", jint(orgs[i].id));
        o = jobj(o, "name", jstr(orgs[i].name));
        o = jobj(o, "selected", jbool(orgs[i].id == (org >= 0 ? org : u.organisation_id)));
        if (json_array_append_new(jo, o))
            goto fail;
    }
    m = jobj(json_object(), "title", json_string_nocheck("Your account"));
    m = jobj(m, "user", account_user_json(&u));
    m = jobj(m, "tokens", jt);
    m = jobj(m, "organisations", jo);
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

int page_account_profile(struct ctx *c)
{
    const char *prof = req_field(c->req, "profession"), *region = req_field(c->req, "region");
    int rc;
    if (prof && !ref_name(professions, professions_count, prof))
        req_add_error(c->req, "profession", "Select your profession from the list");
    if (region && !ref_name(regions, regions_count, region))
        req_add_error(c->req, "region", "Select your region from the list");
    if (c->req->nerrors)
        return render_invalid(c, "account/show", account_model(c, NULL));
    rc = account_profile_update(c->db, c->user->id, req_field(c->req, "display_name"), prof,
                                region, req_field_int(c->req, "organisation", 0));
    if (rc == APP_E_INVALID) {
        req_add_error(c->req, "organisation", "Select your organisation from the list");
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

int page_account_password(struct ctx *c)
{
    const char *cur = req_field(c->req, "current_password");
    const char *np = req_field(c->req, "new_password"), *conf = req_field(c->req, "confirm_password");
    const char *policy;
    struct account_policy pol;
    int rc;
    if (np && conf && strcmp(np, conf) != 0)
        req_add_error(c->req, "confirm_password", "The new passwords do not match");
    if (np && (policy = password_policy(np, strlen(np), c->user->email)))
        req_add_error(c->req, "new_password", policy);
    if (c->req->nerrors)
        return render_invalid(c, "account/show", account_model(c, NULL));
    session_policy(c, &pol);
    rc =
        account_password_change(c->db, &pol, c->app->login_throttle, c->req->client_key,
                                c->user->id, c->user->session_id, cur, strlen(cur), np, strlen(np));
    if (rc == APP_E_UNAUTH) {
        req_add_error(c->req, "current_password", "Your current password is not correct");
        return render_invalid(c, "account/show", account_model(c, NULL));
    }
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

/* ---- administration ---- */

int page_admin_users(struct ctx *c)
{
    struct user *users;
    size_t n;
    int64_t total, page = req_field_int(c->req, "page", 1);
    const char *q = req_field(c->req, "q"), *rf = req_field(c->req, "role");
    enum role role = role_parse(rf);
    json_t *arr, *m;
    char *base;
    int rc;
    if (page < 1)
        page = 1;
    rc = account_user_list(c->db, c->arena, q, role, (int)((page - 1) * PAGE_SIZE), PAGE_SIZE,
                           &users, &n, &total);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *u = account_user_json(&users[i]);
        if (u)
            u = jset(u, "is_self", jbool(users[i].id == c->user->id));
        if (u)
            u = jset(u, "role_options",
                     ref_options(c->app->ref_options, REF_ROLES, role_name(users[i].role)));
        if (!u || json_array_append_new(arr, u)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    {
        struct buf b = BUF_INIT;
        buf_puts(&b, "/admin/users?q=");
        if (q)
            url_escape(&b, q, strlen(q));
        buf_printf(&b, "&role=%s", role ? role_name(role) : "");
        base = buf_oom(&b) ? NULL : arena_strdup(c->arena, b.data);
        buf_free(&b);
    }
    if (!base) {
        json_decref(arr);
        return APP_E_NOMEM;
    }
    m = json_pack("{s:s, s:o, s:s, s:o}", "title", "Users", "users", arr, "q", q ? q : "",
                  "role_filter",
                  ref_options(c->app->ref_options, REF_ROLE_FILTER, role ? role_name(role) : ""));
    if (m)
        m = jset(m, "pagination", render_pagination(base, page, PAGE_SIZE, total, NULL));
    return render(c, 200, "admin/users", m);
}

int page_admin_user_role(struct ctx *c)
{
    int64_t id;
    enum role role = role_parse(req_field(c->req, "role"));
    int rc;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    if (role == ROLE_NONE) {
        render_error(c, APP_E_INVALID, "Select a role: member, facilitator or admin.");
        return APP_OK;
    }
    rc = account_role_set(c->db, c->user->id, id, role);
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc, "You cannot remove your own admin role. Ask another admin.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:I, s:s}", "id", (json_int_t)id, "role",
                                              role_name(role)));
    if ((rc = flash_set(c, "role_changed")))
        return rc;
    return resp_redirect(c, "/admin/users");
}

int page_admin_audit(struct ctx *c)
{
    struct audit_entry *es;
    size_t n;
    int64_t total, page = req_field_int(c->req, "page", 1);
    json_t *arr, *m;
    int rc;
    if (page < 1)
        page = 1;
    rc = account_audit_list(c->db, c->arena, (int)((page - 1) * PAGE_SIZE), PAGE_SIZE, &es, &n,
                            &total);
    if (rc)
        return rc;
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        char when[32];
        time_t t = (time_t)es[i].at;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
        if (json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "at",
                                                 (json_int_t)es[i].at, "when", when, "event",
                                                 es[i].event, "actor", es[i].actor, "subject",
                                                 es[i].subject, "detail", es[i].detail))) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = json_pack("{s:s, s:o}", "title", "Audit log", "entries", arr);
    if (m)
        m = jset(m, "pagination", render_pagination("/admin/audit", page, PAGE_SIZE, total, NULL));
    return render(c, 200, "admin/audit", m);
}
