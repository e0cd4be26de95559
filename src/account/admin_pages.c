/* admin_pages.c: user administration and the audit log */
#include "account/account.h"
#include "account/audit_text.h"
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
        const char *sentence = account_audit_sentence(c->arena, &es[i]);
        json_t *e;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
        /* The sentence for people; the raw code and names stay in the JSON for programs. */
        e = jobj(json_object(), "at", jint(es[i].at));
        e = jobj(e, "when", json_string_nocheck(when));
        e = jobj(e, "event", jstr(es[i].event));
        e = jobj(e, "text", sentence ? jstr(sentence) : NULL);
        e = jobj(e, "actor", jstr(es[i].actor));
        e = jobj(e, "subject", jstr(es[i].subject));
        e = jobj(e, "detail", jstr(es[i].detail));
        if (!e || json_array_append_new(arr, e)) {
            json_decref(arr);
            return APP_E_NOMEM;
        }
    }
    m = json_pack("{s:s, s:o}", "title", "Audit log", "entries", arr);
    if (m)
        m = jset(m, "pagination", render_pagination("/admin/audit", page, PAGE_SIZE, total, NULL));
    return render(c, 200, "admin/audit", m);
}
