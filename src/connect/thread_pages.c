/* thread_pages.c: a group's discussions — starting a thread, reading one and replying, one
 * post's page (report it to the moderators; for moderators, hide or keep it) and the
 * moderators' page of reported and hidden posts
 *
 * Members post, and change or delete their own posts (nobody else may: 404), also in a group
 * they have left: those pages then show the post alone, with no link into a members-only
 * discussion they may no longer read (nor its title, unless they started it), and lead back
 * to the list of their posts in groups they have left (the groups page). Anyone who may read a group may report a post. A hidden post
 * shows its text to the group's moderators only; a post its author deleted, or whose author closed
 * their account, shows no text at all (connect/group_rights.c). Post text is Markdown rendered by
 * cmark with raw HTML off.
 */
#include "connect/group_pages.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "web/render.h"
#include "text/markdown.h"

#include <string.h>
#include <time.h>

/* A post as the viewer may see it. A post its author deleted keeps their name (the thread
 * still reads in order); one that went with its author's account has none. */
static json_t *post_json(struct ctx *c, const struct connect_post *p, bool moderator)
{
    bool visible = !strcmp(p->state, "visible"), hidden = !strcmp(p->state, "hidden");
    bool deleted = !strcmp(p->state, "deleted"), by_author = deleted && p->deleted_at;
    bool show = visible || (hidden && moderator), mine = p->author_id == c->user->id;
    const char *html = show ? markdown_html(c->arena, p->body) : "";
    const char *url = arena_printf(c->arena, "/connect/posts/%lld", (long long)p->id);
    json_t *o = jobj(json_object(), "id", jint(p->id));
    o = jobj(o, "thread_id", jint(p->thread_id));
    o = jobj(o, "author",
             jstr((deleted && !by_author) || !*p->author_name ? "Deleted member" : p->author_name));
    o = jobj(o, "state", jstr(p->state));
    o = jobj(o, "visible", jbool(visible));
    o = jobj(o, "hidden", jbool(hidden));
    o = jobj(o, "deleted", jbool(deleted));
    o = jobj(o, "deleted_by_author", jbool(by_author));
    o = jobj(o, "deleted_text",
             deleted ? jstr(by_author ? "This post was deleted by its author."
                                      : "This post was removed when its author closed their "
                                        "account.")
                     : json_null());
    o = jobj(o, "text", show ? jstr(p->body) : json_null());
    o = jobj(o, "html", html ? jstr(html) : NULL);
    o = jobj(o, "posted_at", jint(p->created_at));
    o = jobj(o, "posted", jstr(connect_page_time(c, p->created_at)));
    o = jobj(o, "edited", jbool(!deleted && p->edited_at));
    o = jobj(o, "edited_at", !deleted && p->edited_at ? jint(p->edited_at) : json_null());
    o = jobj(o, "edited_text",
             !deleted && p->edited_at ? jstr(connect_page_time(c, p->edited_at)) : json_null());
    o = jobj(o, "mine", jbool(mine));
    o = jobj(o, "can_report", jbool(visible && !mine));
    /* only the author changes a post, and not one a moderator hid (group.h says why) */
    o = jobj(o, "can_edit", jbool(mine && visible));
    o = jobj(o, "can_delete", jbool(mine && !deleted));
    if (mine && visible)
        o = jobj(o, "edit_url", jstr(arena_printf(c->arena, "%s/edit", url)));
    if (mine && !deleted)
        o = jobj(o, "delete_url", jstr(arena_printf(c->arena, "%s/delete", url)));
    if (moderator)
        o = jobj(o, "open_reports", jint(p->open_reports));
    return jobj(o, "url", jstr(url));
}

/* ---- starting a thread ---- */

static json_t *thread_form_model(struct ctx *c, const struct connect_group *g)
{
    json_t *m = jobj(json_object(), "title", jstr("Start a discussion"));
    (void)c;
    return jobj(m, "group", connect_page_group_json(c, g));
}

/* The group the path names, for a member who may post in it: APP_E_NOTFOUND when they may
 * not read it, APP_E_FORBIDDEN when they may read but have not joined. */
static int group_to_post(struct ctx *c, struct connect_group *g)
{
    int rc = connect_page_group(c, connect_page_id(c, "id"), true, g);
    return !rc && !g->is_member ? APP_E_FORBIDDEN : rc;
}

int page_connect_thread_new_form(struct ctx *c)
{
    struct connect_group g;
    int rc = group_to_post(c, &g);
    return rc ? rc : render(c, 200, "connect/thread_form", thread_form_model(c, &g));
}

int page_connect_thread_create(struct ctx *c)
{
    struct connect_group g;
    struct connect_field_error *errs = NULL;
    size_t n = 0;
    const char *title = req_field(c->req, "title"), *body = req_field(c->req, "body");
    int64_t id = 0;
    int rc = group_to_post(c, &g);
    if (rc)
        return rc;
    rc = connect_thread_check(c->arena, title, body, &errs, &n);
    /* a title or message the request layer refused is not a blank one: nothing is posted */
    if (rc == APP_E_INVALID || (rc == APP_OK && c->req->nerrors)) {
        if ((rc = connect_page_errors(c, errs, n)))
            return rc;
        return render_invalid(c, "connect/thread_form", thread_form_model(c, &g));
    }
    if (rc || (rc = connect_thread_create(c->db, g.id, c->user->id, title, body,
                                          (int64_t)time(NULL), &id)))
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "url",
                           jstr(arena_printf(c->arena, "/connect/threads/%lld", (long long)id))));
    if ((rc = flash_set(c, "connect_thread_posted")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/threads/%lld", (long long)id));
}

/* ---- a thread ---- */

/* The thread the path names and its group, if the viewer may read it. */
static int load_thread(struct ctx *c, struct connect_thread *t, struct connect_group *g)
{
    int64_t id = connect_page_id(c, "id");
    int rc = id ? connect_thread_get(c->db, c->arena, id, t) : APP_E_NOTFOUND;
    return rc ? rc : connect_page_group(c, t->group_id, true, g);
}

static int thread_page(struct ctx *c, struct connect_thread *t, struct connect_group *g, int status)
{
    struct connect_post *posts = NULL;
    size_t n = 0;
    json_t *arr = json_array(), *m, *tj;
    int rc = connect_post_list(c->db, c->arena, t->id, &posts, &n);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (!connect_page_push(&arr, post_json(c, &posts[i], g->is_moderator)))
            break;
    tj = jobj(json_object(), "id", jint(t->id));
    tj = jobj(tj, "title", jstr(t->title));
    tj = jobj(tj, "replies", jint(t->replies));
    tj = jobj(tj, "url", jstr(arena_printf(c->arena, "/connect/threads/%lld", (long long)t->id)));
    m = jobj(json_object(), "title", jstr(t->title));
    m = jobj(m, "thread", tj);
    m = jobj(m, "group", connect_page_group_json(c, g));
    m = jobj(m, "posts", arr);
    m = jobj(m, "reply_max", jint(CONNECT_POST_MAX));
    return status == 200 ? render(c, 200, "connect/thread", m)
                         : render_invalid(c, "connect/thread", m);
}

int page_connect_thread(struct ctx *c)
{
    struct connect_thread t;
    struct connect_group g;
    int rc = load_thread(c, &t, &g);
    return rc ? rc : thread_page(c, &t, &g, 200);
}

int page_connect_reply(struct ctx *c)
{
    struct connect_thread t;
    struct connect_group g;
    struct connect_field_error *errs = NULL;
    size_t n = 0;
    const char *body = req_field(c->req, "body");
    int64_t id = 0;
    int rc = load_thread(c, &t, &g);
    if (!rc && !g.is_member)
        rc = APP_E_FORBIDDEN;
    if (rc)
        return rc;
    rc = connect_post_check(c->arena, "body", body, &errs, &n);
    if (!rc && (n || c->req->nerrors))
        rc = APP_E_INVALID;
    if (rc == APP_E_INVALID) {
        if ((rc = connect_page_errors(c, errs, n)))
            return rc;
        return thread_page(c, &t, &g, 400);
    }
    if (rc || (rc = connect_reply(c->db, t.id, c->user->id, body, (int64_t)time(NULL), &id)))
        return rc;
    if (c->want_json)
        return render(c, 201, NULL,
                      jobj(jobj(json_object(), "id", jint(id)), "thread_id", jint(t.id)));
    if ((rc = flash_set(c, "connect_replied")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/threads/%lld#post-%lld",
                                         (long long)t.id, (long long)id));
}

/* ---- one post: reporting it, and moderators' decisions ---- */

static int load_post(struct ctx *c, struct connect_post *p, struct connect_group *g)
{
    int64_t id = connect_page_id(c, "id"), gid = 0;
    int rc = id ? connect_post_get(c->db, c->arena, id, p, &gid) : APP_E_NOTFOUND;
    return rc ? rc : connect_page_group(c, gid, true, g);
}

static int post_page(struct ctx *c, const struct connect_post *p, const struct connect_group *g,
                     int status)
{
    json_t *m = jobj(json_object(), "title", jstr("Report a post"));
    if (g->is_moderator)
        m = jobj(m, "title", jstr("Review a post"));
    m = jobj(m, "post", post_json(c, p, g->is_moderator));
    m = jobj(m, "group", connect_page_group_json(c, g));
    m = jobj(m, "thread_title", jstr(p->thread_title));
    m = jobj(m, "thread_url",
             jstr(arena_printf(c->arena, "/connect/threads/%lld", (long long)p->thread_id)));
    m = jobj(m, "reason_max", jint(CONNECT_REASON_MAX));
    return status == 200 ? render(c, 200, "connect/post", m) : render_invalid(c, "connect/post", m);
}

int page_connect_post(struct ctx *c)
{
    struct connect_post p;
    struct connect_group g;
    int rc = load_post(c, &p, &g);
    return rc ? rc : post_page(c, &p, &g, 200);
}

/* Checks the reason field; adds its error (and answers 400) when it is wrong. A reason the
 * request layer refused (too long, a control character) is wrong already, with its own
 * message: it is not a reason left out, so no post is reported, kept or hidden without it. */
static int reason_error(struct ctx *c, const char *reason, bool required, bool *bad)
{
    *bad = true;
    if (c->req->nerrors)
        return APP_OK;
    if (required && connect_blank(reason))
        return req_add_error(c->req, "reason", "Enter the reason");
    if (reason && utf8_count(reason, strlen(reason)) > CONNECT_REASON_MAX)
        return req_add_error(c->req, "reason", "The reason must be 500 characters or fewer");
    *bad = false;
    return APP_OK;
}

int page_connect_post_report(struct ctx *c)
{
    struct connect_post p;
    struct connect_group g;
    const char *reason = req_field(c->req, "reason");
    bool bad;
    int rc = load_post(c, &p, &g);
    if (rc)
        return rc;
    if (strcmp(p.state, "visible") || p.author_id == c->user->id)
        return APP_E_CONFLICT;
    if ((rc = reason_error(c, reason, true, &bad)))
        return rc;
    if (bad)
        return post_page(c, &p, &g, 400);
    if ((rc = connect_report(c->db, p.id, c->user->id, reason, (int64_t)time(NULL))))
        return rc;
    if (c->want_json)
        return render(c, 201, NULL, jobj(json_object(), "reported", jint(p.id)));
    if ((rc = flash_set(c, "connect_reported")))
        return rc;
    return resp_redirect(c,
                         arena_printf(c->arena, "/connect/threads/%lld", (long long)p.thread_id));
}

static int decide(struct ctx *c, bool hide)
{
    struct connect_post p;
    struct connect_group g;
    const char *reason = req_field(c->req, "reason");
    bool bad;
    int rc = load_post(c, &p, &g);
    if (!rc && !g.is_moderator)
        rc = APP_E_FORBIDDEN;
    if (rc || (rc = reason_error(c, reason, hide, &bad)))
        return rc;
    if (bad)
        return post_page(c, &p, &g, 400);
    rc = connect_moderate(c->db, p.id, c->user->id, hide, reason, (int64_t)time(NULL));
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      jobj(jobj(json_object(), "id", jint(p.id)), "state",
                           jstr(hide ? "hidden" : "visible")));
    if ((rc = flash_set(c, hide ? "connect_hidden" : "connect_kept")))
        return rc;
    return resp_redirect(c,
                         arena_printf(c->arena, "/connect/groups/%lld/moderate", (long long)g.id));
}

int page_connect_post_hide(struct ctx *c)
{
    return decide(c, true);
}

int page_connect_post_keep(struct ctx *c)
{
    return decide(c, false);
}

/* ---- the author's own changes: editing and deleting a post ---- */

/* The post the path names, if the viewer wrote it; anyone else is told there is no such
 * post, as for other Connect rights. What they wrote stays theirs to change or delete after
 * they leave its group, even one they may no longer read (group.h). */
static int own_post(struct ctx *c, struct connect_post *p, struct connect_group *g)
{
    int64_t id = connect_page_id(c, "id"), gid = 0;
    int rc = id ? connect_post_get(c->db, c->arena, id, p, &gid) : APP_E_NOTFOUND;
    if (!rc && (!p->author_id || p->author_id != c->user->id))
        rc = APP_E_NOTFOUND;
    if (!rc)
        rc = connect_page_group(c, gid, false, g);
    /* a discussion they started is named even where they may no longer read it */
    if (!rc && !connect_group_readable(g))
        rc = connect_thread_started(c->db, p);
    return rc;
}

/* Where the author goes back to from changing their post: its place in the discussion, or,
 * in a group whose discussions they may no longer read, their posts in groups they left. */
static const char *own_post_back(struct ctx *c, const struct connect_post *p,
                                 const struct connect_group *g)
{
    if (!connect_group_readable(g))
        return CONNECT_LEFT_POSTS_URL;
    return arena_printf(c->arena, "/connect/threads/%lld#post-%lld", (long long)p->thread_id,
                        (long long)p->id);
}

static json_t *post_edit_model(struct ctx *c, const struct connect_post *p,
                               const struct connect_group *g)
{
    /* a members-only discussion the author has left is not theirs to read: not even its
     * title, which another member may have written, unless they started it themselves */
    bool readable = connect_group_readable(g);
    json_t *m = jobj(json_object(), "title", jstr("Change your post"));
    m = jobj(m, "post", post_json(c, p, g->is_moderator));
    m = jobj(m, "group", connect_page_group_json(c, g));
    m = jobj(m, "thread_title",
             readable || p->started_thread ? jstr(p->thread_title) : json_null());
    m = jobj(m, "thread_url", readable ? jstr(own_post_back(c, p, g)) : json_null());
    m = jobj(m, "left_group", jbool(!readable));
    m = jobj(m, "back_url", jstr(own_post_back(c, p, g)));
    m = jobj(m, "back_text", jstr(readable ? "the discussion" : "your posts"));
    m = jobj(m, "reported", jbool(p->open_reports > 0));
    return jobj(m, "body_max", jint(CONNECT_POST_MAX));
}

/* Refuses a change to a post that is not visible, saying why (409). */
static int not_changeable(struct ctx *c, const struct connect_post *p)
{
    render_error(c, APP_E_CONFLICT,
                 !strcmp(p->state, "hidden")
                     ? "A moderator has hidden this post, so it cannot be changed. You can "
                       "delete it."
                     : "This post has been deleted, so it cannot be changed.");
    return APP_OK;
}

int page_connect_post_edit_form(struct ctx *c)
{
    struct connect_post p;
    struct connect_group g;
    int rc = own_post(c, &p, &g);
    if (rc)
        return rc;
    if (strcmp(p.state, "visible"))
        return not_changeable(c, &p);
    return render(
        c, 200, "connect/post_edit",
        jobj(post_edit_model(c, &p, &g), "form", jobj(json_object(), "body", jstr(p.body))));
}

/* After the author changed or deleted post p: the post as it is now (API), or back to it in
 * its thread with the one-off message flash. */
static int post_changed(struct ctx *c, struct connect_post *p, const struct connect_group *g,
                        const char *flash)
{
    int rc;
    if (c->want_json) {
        if ((rc = connect_post_get(c->db, c->arena, p->id, p, NULL)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "post", post_json(c, p, g->is_moderator)));
    }
    if ((rc = flash_set(c, flash)))
        return rc;
    return resp_redirect(c, own_post_back(c, p, g));
}

int page_connect_post_edit(struct ctx *c)
{
    struct connect_post p;
    struct connect_group g;
    struct connect_field_error *errs = NULL;
    size_t n = 0;
    const char *body = req_field(c->req, "body");
    int rc = own_post(c, &p, &g);
    if (rc)
        return rc;
    if (strcmp(p.state, "visible"))
        return not_changeable(c, &p);
    rc = connect_post_check(c->arena, "body", body, &errs, &n);
    if (!rc && (n || c->req->nerrors))
        rc = APP_E_INVALID;
    if (rc == APP_E_INVALID) {
        if ((rc = connect_page_errors(c, errs, n)))
            return rc;
        return render_invalid(c, "connect/post_edit", post_edit_model(c, &p, &g));
    }
    if (rc || (rc = connect_post_edit(c->db, p.id, c->user->id, body, (int64_t)time(NULL))))
        return rc == APP_E_CONFLICT ? not_changeable(c, &p) : rc;
    return post_changed(c, &p, &g, "connect_post_edited");
}

int page_connect_post_delete_form(struct ctx *c)
{
    struct connect_post p;
    struct connect_group g;
    json_t *m;
    int rc = own_post(c, &p, &g);
    if (rc)
        return rc;
    if (!strcmp(p.state, "deleted"))
        return not_changeable(c, &p);
    m = post_edit_model(c, &p, &g);
    m = jobj(m, "title", jstr("Delete your post?"));
    return render(c, 200, "connect/post_delete", m);
}

int page_connect_post_delete(struct ctx *c)
{
    struct connect_post p;
    struct connect_group g;
    int rc = own_post(c, &p, &g);
    if (rc)
        return rc;
    if (!strcmp(p.state, "deleted"))
        return not_changeable(c, &p);
    if ((rc = connect_post_delete(c->db, p.id, c->user->id, (int64_t)time(NULL))))
        return rc == APP_E_CONFLICT ? not_changeable(c, &p) : rc;
    return post_changed(c, &p, &g, "connect_post_deleted");
}

/* ---- the moderators' page ---- */

int page_connect_moderation(struct ctx *c)
{
    struct connect_group g;
    struct connect_post *posts = NULL;
    struct connect_report *reports = NULL;
    struct connect_decision *log = NULL;
    size_t np = 0, nr = 0, nl = 0;
    json_t *pa = json_array(), *la = json_array(), *m;
    int rc = connect_page_group(c, connect_page_id(c, "id"), true, &g);
    if (!rc && !g.is_moderator)
        rc = APP_E_FORBIDDEN;
    if (!rc)
        rc = connect_moderation_queue(c->db, c->arena, g.id, &posts, &np, &reports, &nr, &log, &nl);
    if (rc) {
        json_decref(pa);
        json_decref(la);
        return rc;
    }
    for (size_t i = 0; i < np; i++) {
        json_t *o = post_json(c, &posts[i], true), *reasons = json_array();
        bool edited_after = false; /* changed by its author since a report still open */
        for (size_t r = 0; r < nr; r++)
            if (reports[r].post_id == posts[i].id) {
                edited_after |= posts[i].edited_at >= reports[r].created_at;
                json_t *ro = jobj(json_object(), "reason", jstr(reports[r].reason));
                ro = jobj(ro, "reported", jstr(connect_page_time(c, reports[r].created_at)));
                connect_page_push(&reasons, ro);
            }
        o = jobj(o, "thread_title", jstr(posts[i].thread_title));
        o = jobj(o, "edited_after_report", jbool(edited_after));
        o = jobj(o, "has_reports", jbool(json_array_size(reasons) > 0));
        o = jobj(o, "reports", reasons);
        connect_page_push(&pa, o);
    }
    for (size_t i = 0; i < nl; i++) {
        json_t *o = jobj(json_object(), "post_id", jint(log[i].post_id));
        o = jobj(o, "moderator", jstr(*log[i].moderator ? log[i].moderator : "A former member"));
        o = jobj(o, "action", jstr(log[i].action));
        o = jobj(o, "action_text", jstr(!strcmp(log[i].action, "hide") ? "Hid" : "Kept"));
        o = jobj(o, "reason", jstr(log[i].reason));
        o = jobj(o, "decided", jstr(connect_page_time(c, log[i].created_at)));
        o = jobj(o, "url",
                 jstr(arena_printf(c->arena, "/connect/posts/%lld", (long long)log[i].post_id)));
        connect_page_push(&la, o);
    }
    m = jobj(json_object(), "title", jstr("Moderate the group"));
    m = jobj(m, "group", connect_page_group_json(c, &g));
    m = jobj(m, "has_posts", jbool(np > 0));
    m = jobj(m, "posts", pa);
    m = jobj(m, "has_decisions", jbool(nl > 0));
    return render(c, 200, "connect/moderate", jobj(m, "decisions", la));
}
