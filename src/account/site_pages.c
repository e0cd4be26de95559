/* site_pages.c: the service's own pages — home, accessibility statement, privacy notice
 *
 * They live with the account module because what they show beyond fixed text is about the
 * person reading them: the navigation and links on all three depend on who is logged in.
 * The logged-in member's own page, "Your home", is in home_pages.c.
 */
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/html_sections.h"
#include "web/render.h"

int page_site_home(struct ctx *c)
{
    /* Only modules that exist are listed. The model is built with jobj(), not json_pack(),
     * which parses its format on every call: this is the busiest page. It reads nothing
     * beyond the session: what is the reader's own is on their home page (home_pages.c). */
    json_t *m;
    m = jobj(json_object(), "title",
             json_string_nocheck("Clinical leadership for the allied health professions"));
    m = jobj(m, "logged_in", jbool(c->user != NULL));
    /* Logging out clears every cookie of the site (Clear-Site-Data), the flash cookie that
     * would say so included: the redirect says it in its query instead. */
    if (!c->user && req_field_bool(c->req, "logged_out"))
        m = jobj(m, "flash", json_string_nocheck("You have logged out"));
    return render(c, 200, "site/home", m);
}

/* Renders template tpl with model m; through the API, the answer carries the page's own
 * words, read back from the page into sections (web/html_sections.h), so the two cannot say
 * different things. Takes m. */
static int render_with_sections(struct ctx *c, const char *tpl, json_t *m)
{
    json_t *notice;
    struct buf html = BUF_INIT;
    int rc;

    if (!c->want_json || !m)
        return render(c, 200, tpl, m);
    rc = render_body(c, tpl, json_deep_copy(m), &html);
    notice = rc ? NULL : html_sections(html.data, html.len);
    buf_free(&html);
    if (!notice) {
        json_decref(m);
        return rc ? rc : APP_E_NOMEM;
    }
    m = jobj(m, "intro", json_incref(json_object_get(notice, "intro")));
    m = jobj(m, "sections", json_incref(json_object_get(notice, "sections")));
    json_decref(notice);
    return render(c, 200, tpl, m);
}

int page_site_accessibility(struct ctx *c)
{
    return render_with_sections(c, "site/accessibility",
                                json_pack("{s:s}", "title", "Accessibility statement"));
}

int page_site_privacy(struct ctx *c)
{
    /* The notice states how long an idle session lasts as this server is set up. */
    int ttl = c->app->cfg.session_ttl;
    const char *idle = ttl % 3600    ? arena_printf(c->arena, "%d minutes", ttl / 60)
                       : ttl == 3600 ? "1 hour"
                                     : arena_printf(c->arena, "%d hours", ttl / 3600);

    if (!idle)
        return APP_E_NOMEM;
    return render_with_sections(
        c, "site/privacy",
        json_pack("{s:s, s:s}", "title", "Privacy notice", "session_idle", idle));
}
