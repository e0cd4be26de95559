/* admin_pages.c: user administration and the audit log */
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
