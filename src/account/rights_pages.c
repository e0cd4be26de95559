/* rights_pages.c: "Your data" and "Delete your account" — a member's copy of their data and
 * the deletion of their account (the domain is account/rights.c)
 *
 * No route names a user: each acts on the member asking, so nobody can reach another
 * member's data through them, whatever they send.
 */
#include "account/account.h"
#include "account/rights.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/csrf.h"
#include "web/render.h"
#include "web/session.h"

#include <string.h>
#include <time.h>

int page_account_data(struct ctx *c)
{
    json_t *m = jobj(json_object(), "title", json_string_nocheck("Download your data"));
    m = jobj(m, "not_included", rights_not_included());
    return render(c, 200, "account/data", jobj(m, "download", jstr("/account/data/download")));
}

/* The copy as a dated file: the same answer for the page and under /api/v1. */
int page_account_data_download(struct ctx *c)
{
    char day[16];
    time_t now = time(NULL);
    struct tm tm;
    json_t *doc;
    int rc = rights_export(c->db, c->arena, c->user->id, (int64_t)now, &doc);
    if (rc)
        return rc;
    buf_reset(&c->resp->body);
    rc = json_dump_callback(doc, buf_append_cb, &c->resp->body, JSON_INDENT(2)) ? APP_E_NOMEM
                                                                                : APP_OK;
    json_decref(doc);
    buf_putc(&c->resp->body, '\n');
    if (rc || buf_oom(&c->resp->body))
        return APP_E_NOMEM;
    gmtime_r(&now, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    c->resp->status = 200;
    c->resp->content_type = "application/json; charset=utf-8";
    return resp_header(c, "Content-Disposition",
                       arena_printf(c->arena, "attachment; filename=\"ahphub-data-%s.json\"", day));
}

static json_t *delete_model(struct ctx *c)
{
    bool last = false;
    json_t *m;
    if (rights_last_admin(c->db, c->user->id, &last))
        return NULL;
    m = jobj(json_object(), "title", json_string_nocheck("Delete your account"));
    m = jobj(m, "last_admin", jbool(last));
    /* The box as it was sent ("form" holds the text "0" for an unticked box, which a
     * template would take as ticked). */
    m = jobj(m, "confirmed", jbool(req_field_bool(c->req, "confirm")));
    return jobj(m, "email", jstr(c->user->email));
}

int page_account_delete_form(struct ctx *c)
{
    return render(c, 200, "account/delete", delete_model(c));
}

int page_account_delete(struct ctx *c)
{
    const char *pw = req_field(c->req, "password");
    struct account_policy pol;
    int rc;
    if (!req_field_bool(c->req, "confirm") &&
        (rc = req_add_error(c->req, "confirm",
                            "Confirm that you understand your account will be deleted for good")))
        return rc;
    session_policy(c, &pol);
    /* The box unticked: the password is still checked (and throttled, as at the second try),
     * so a wrong one is reported with it rather than after it is put right. It says no more
     * than that check says then: right or wrong. */
    if (c->req->nerrors) {
        if (pw && *pw && !req_error(c->req, "password")) {
            rc = account_password_check(c->db, &pol, c->app->login_throttle, c->req->client_key,
                                        c->user->id, pw, strlen(pw));
            if (rc == APP_E_UNAUTH)
                rc = req_add_error(c->req, "password", "Your password is not correct");
            if (rc)
                return rc;
        }
        return render_invalid(c, "account/delete", delete_model(c));
    }
    rc = rights_erase(c->db, &pol, c->app->login_throttle, c->req->client_key, c->user->id, pw,
                      strlen(pw));
    if (rc == APP_E_UNAUTH) {
        if ((rc = req_add_error(c->req, "password", "Your password is not correct")))
            return rc;
        return render_invalid(c, "account/delete", delete_model(c));
    }
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc,
                     "You are the only admin. Make someone else an admin first, then you can "
                     "delete your account.");
        return APP_OK;
    }
    if (rc)
        return rc;
    /* As at logout (login_pages.c): every cookie of the site goes, the session cookie
     * explicitly, and the next form gets a fresh pre-session token. */
    if ((rc = resp_header(c, "Clear-Site-Data", "\"cookies\"")) ||
        (rc = resp_cookie(c, SESSION_COOKIE, "", 0)) || (rc = csrf_rotate(c)))
        return rc;
    c->user = NULL;
    if (c->want_json)
        return render(c, 200, NULL, json_pack("{s:b}", "deleted", 1));
    return render(c, 200, "account/deleted",
                  json_pack("{s:s}", "title", "Your account has been deleted"));
}
