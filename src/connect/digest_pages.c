/* digest_pages.c: the weekly digest's switch — on the groups page for a logged-in member, and
 * the page the mail's "stop these emails" link opens, which works without logging in
 *
 * The link carries the member's id and a signature (connect/digest.c). Opening it changes
 * nothing: the page asks for a button press, so a mail scanner that follows links does not
 * switch anyone's email off. A link with a wrong signature answers 404.
 */
#include "connect/group_pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

int page_connect_digest(struct ctx *c)
{
    const char *v = req_field(c->req, "weekly");
    bool on;
    int rc;
    if (v && (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true")))
        on = true;
    else if (v && (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false")))
        on = false;
    else
        return APP_E_INVALID;
    if ((rc = connect_digest_set(c->db, c->user->id, on, (int64_t)time(NULL))))
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "weekly", jbool(on)));
    if ((rc = flash_set(c, "connect_digest_saved")))
        return rc;
    return resp_redirect(c, "/connect/groups#digest");
}

/* The member the link names, if its signature is right; 0 otherwise. */
static int64_t link_member(struct ctx *c)
{
    int64_t member = req_field_int(c->req, "member", 0);
    const char *token = req_field(c->req, "token");
    return member > 0 && connect_digest_token_ok(c->app->secret, member, token) ? member : 0;
}

static json_t *off_model(struct ctx *c, int64_t member, bool done)
{
    json_t *m = jobj(json_object(), "title",
                     jstr(done ? "You will not get the weekly email"
                               : "Stop the weekly email from your groups"));
    m = jobj(m, "member", jint(member));
    m = jobj(m, "token", jstr(req_field(c->req, "token")));
    return jobj(m, "done", jbool(done));
}

int page_connect_digest_off_form(struct ctx *c)
{
    int64_t member = link_member(c);
    return member ? render(c, 200, "connect/digest_off", off_model(c, member, false))
                  : APP_E_NOTFOUND;
}

int page_connect_digest_off(struct ctx *c)
{
    int64_t member = link_member(c);
    int rc;
    if (!member)
        return APP_E_NOTFOUND;
    rc = connect_digest_set(c->db, member, false, (int64_t)time(NULL));
    if (rc == APP_E_CONFLICT) /* the account has gone since the mail was sent */
        return APP_E_NOTFOUND;
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL, jobj(json_object(), "weekly", jbool(false)));
    return render(c, 200, "connect/digest_off", off_model(c, member, true));
}
