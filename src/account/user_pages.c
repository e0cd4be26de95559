/* user_pages.c: one user, as an admin sees them — details, state, and what can be done:
 * resend an invitation, deactivate or reactivate, change the role (after a confirmation) */
#include "account/invite.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* What each role may do, for the confirmation: the admin should know what they give. */
static const char *role_powers(enum role r)
{
    switch (r) {
    case ROLE_ADMIN:
        return "Admins can invite people, change anyone's role, deactivate accounts, read the "
               "audit log, and manage every listening exercise, assessment and organisation.";
    case ROLE_FACILITATOR:
        return "Facilitators can run listening exercises and assessment rounds: set them up, "
               "moderate, analyse and publish what was heard.";
    default:
        return "Members can take part and look after their own account. They cannot run "
               "exercises or assessments, or manage other people.";
    }
}

/* The user named by the path; APP_E_NOTFOUND for a path that names nobody. */
static int path_user(struct ctx *c, struct user *u)
{
    int64_t id;
    if (!parse_int64(str_from(req_param(c->req, "id")), &id))
        return APP_E_NOTFOUND;
    return account_user_get(c->db, c->arena, id, u);
}

int page_admin_user(struct ctx *c)
{
    struct user u;
    json_t *m, *ju;
    int rc = path_user(c, &u);
    bool self;
    if (rc)
        return rc;
    self = u.id == c->user->id;
    ju = account_user_json(&u);
    ju = jobj(ju, "invited", jbool(u.invited && !u.deactivated_at));
    ju = jobj(ju, "deactivated", jbool(u.deactivated_at != 0));
    ju = jobj(ju, "never_set_password", jbool(u.invited));
    ju = jobj(ju, "deactivated_on", account_date_text(u.deactivated_at));
    ju = jobj(ju, "is_self", jbool(self));
    ju = jobj(ju, "role_options", ref_options(c->app->ref_options, REF_ROLES, role_name(u.role)));
    m = jobj(json_object(), "title", jstr(u.display_name));
    m = jobj(m, "user", ju);
    m = jobj(m, "can_deactivate", jbool(!self && !u.deactivated_at));
    m = jobj(m, "can_change_role", jbool(!self));
    return render(c, 200, "admin/user", m);
}

/* After an action on the user's page: back to it with a message, or the user as JSON. */
static int done(struct ctx *c, int64_t id, const char *flash)
{
    char where[48];
    int rc;
    if (c->want_json) {
        struct user u;
        if ((rc = account_user_get(c->db, c->arena, id, &u)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "user", account_user_json(&u)));
    }
    if ((rc = flash_set(c, flash)))
        return rc;
    snprintf(where, sizeof where, "/admin/users/%lld", (long long)id);
    return resp_redirect(c, where);
}

int page_admin_user_resend(struct ctx *c)
{
    struct link_mailer mailer = {c->app->tpl, c->app->cfg.base_url, !app_sends_mail(&c->app->cfg)};
    struct user u;
    char token[TOKEN_HEX];
    int rc = path_user(c, &u);
    if (rc)
        return rc;
    rc = account_invite_resend(c->db, &mailer, c->user->id, u.id, (int64_t)time(NULL), token);
    memset(token, 0, sizeof token);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc,
                     u.deactivated_at ? "The account is deactivated. Reactivate it first."
                                      : "This person has already set a password, so they do "
                                        "not need an invitation. They can reset a forgotten "
                                        "password from the log in page.");
        return APP_OK;
    }
    if (rc)
        return rc;
    return done(c, u.id, "invite_resent");
}

int page_admin_user_deactivate(struct ctx *c)
{
    struct user u;
    int rc = path_user(c, &u);
    if (rc)
        return rc;
    rc = account_user_deactivate(c->db, c->user->id, u.id, (int64_t)time(NULL));
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc,
                     u.id == c->user->id
                         ? "You cannot deactivate your own account. Ask another admin."
                         : "You are no longer an admin: another admin changed your account "
                           "while you were doing this.");
        return APP_OK;
    }
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "The account is already deactivated.");
        return APP_OK;
    }
    if (rc)
        return rc;
    return done(c, u.id, "user_deactivated");
}

int page_admin_user_reactivate(struct ctx *c)
{
    struct user u;
    int rc = path_user(c, &u);
    if (rc)
        return rc;
    rc = account_user_reactivate(c->db, c->user->id, u.id, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc, "The account is not deactivated.");
        return APP_OK;
    }
    if (rc)
        return rc;
    /* An invited account has no password, and its link died with the deactivation. */
    return done(c, u.id, u.invited ? "user_reactivated_invited" : "user_reactivated");
}

/* A role "changed" to the one the user has: nothing to confirm, and nothing changes. */
static void already_has_role(struct ctx *c, const struct user *u)
{
    const char *msg = arena_printf(c->arena, "%s is already %s. Nothing has been changed.",
                                   u->display_name, role_with_article(u->role));
    render_error(c, APP_E_CONFLICT, msg ? msg : "Nothing has been changed.");
}

/* A role changes in two steps: the first POST shows what the change gives ("Make Jo Walsh
 * an admin? Admins can …") with Confirm and Cancel; only a POST with confirm set changes
 * it. The API asks for "confirm": true in the same way. */
int page_admin_user_role(struct ctx *c)
{
    struct user u;
    enum role role = role_parse(req_field(c->req, "role"));
    const char *question;
    json_t *m;
    int rc = path_user(c, &u);
    if (rc)
        return rc;
    if (role == ROLE_NONE) {
        render_error(c, APP_E_INVALID, "Select a role: member, facilitator or admin.");
        return APP_OK;
    }
    /* A refused confirm is neither yes nor no: asking again would hide what was wrong with
     * what was sent, so the answer lists it and nothing changes. */
    if (c->req->nerrors) {
        render_error(c, APP_E_INVALID,
                     "The role has not been changed. Go back to the user's page and change it "
                     "again.");
        return APP_OK;
    }
    if (u.id == c->user->id && role != ROLE_ADMIN) {
        render_error(c, APP_E_FORBIDDEN,
                     "You cannot remove your own admin role. Ask another admin.");
        return APP_OK;
    }
    if (u.role == role) {
        already_has_role(c, &u);
        return APP_OK;
    }
    question = arena_printf(c->arena, "Make %s %s?", u.display_name, role_with_article(role));
    if (!question)
        return APP_E_NOMEM;
    if (!req_field_bool(c->req, "confirm")) {
        if (c->want_json)
            return render(c, 422, NULL,
                          json_pack("{s:s, s:s, s:s}", "error", "confirmation_needed", "message",
                                    arena_printf(c->arena,
                                                 "%s %s Send \"confirm\": true to change the "
                                                 "role.",
                                                 question, role_powers(role)),
                                    "role", role_name(role)));
        m = jobj(json_object(), "title", jstr(question));
        m = jobj(m, "powers", json_string_nocheck(role_powers(role)));
        m = jobj(m, "role", json_string_nocheck(role_name(role)));
        m = jobj(m, "user", account_user_json(&u));
        return render(c, 200, "admin/role_confirm", m);
    }
    rc = account_role_set(c->db, c->user->id, u.id, role);
    if (rc == APP_E_FORBIDDEN) {
        render_error(c, rc,
                     u.id == c->user->id
                         ? "You cannot remove your own admin role. Ask another admin."
                         : "You are no longer an admin: another admin changed your account "
                           "while you were doing this.");
        return APP_OK;
    }
    if (rc == APP_E_CONFLICT) {
        already_has_role(c, &u);
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      json_pack("{s:I, s:s}", "id", (json_int_t)u.id, "role", role_name(role)));
    return done(c, u.id, "role_changed");
}
