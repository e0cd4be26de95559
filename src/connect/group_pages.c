/* group_pages.c: the groups — the list with the member's digest switch and their posts in
 * groups they have left, a group's page, creating a group (facilitators and admins),
 * joining, leaving and the members list (members only)
 *
 * A members-only group shows a non-member its name, what it is for and a button to join;
 * its discussions, events and members answer 404 to them, on pages and in the API alike.
 */
#include "connect/group_pages.h"
#include "account/account.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "text/markdown.h"
#include "web/render.h"

#include <string.h>
#include <time.h>

int connect_page_group(struct ctx *c, int64_t id, bool need_read, struct connect_group *g)
{
    int rc = id ? connect_group_get(c->db, c->arena, id, c->user->id, g) : APP_E_NOTFOUND;
    if (!rc && need_read && !connect_group_readable(g))
        rc = APP_E_NOTFOUND;
    return rc;
}

bool connect_page_push(json_t **arr, json_t *v)
{
    if (*arr && v && json_array_append_new(*arr, v) == 0)
        return true;
    if (*arr && v) /* json_array_append_new() released v */
        v = NULL;
    json_decref(v);
    json_decref(*arr);
    *arr = NULL;
    return false;
}

const char *connect_page_time(struct ctx *c, int64_t t)
{
    const char *when = connect_when_text(c->arena, t, t);
    const char *comma = when ? strchr(when, ',') : NULL;
    const char *to = comma ? strstr(comma, " to ") : NULL;
    const char *day = comma ? strchr(when, ' ') : NULL;
    /* "Thursday 3 December 2026, 2:15pm to 2:15pm" → "3 December 2026 at 2:15pm" */
    if (!comma || !to || !day || day > comma)
        return when;
    return arena_printf(c->arena, "%.*s at %.*s", (int)(comma - day - 1), day + 1,
                        (int)(to - comma - 2), comma + 2);
}

json_t *connect_page_group_json(struct ctx *c, const struct connect_group *g)
{
    bool readable = connect_group_readable(g);
    json_t *o = jobj(json_object(), "id", jint(g->id));
    o = jobj(o, "name", jstr(g->name));
    o = jobj(o, "description", jstr(g->description));
    o = jobj(o, "region", jstr(g->region));
    o = jobj(o, "region_name", jstr(connect_region_name(g->region)));
    o = jobj(o, "topic", jstr(g->topic));
    o = jobj(o, "topic_name", jstr(connect_topic_name(g->topic)));
    o = jobj(o, "visibility", jstr(g->visibility));
    o = jobj(o, "members_only", jbool(!strcmp(g->visibility, "members")));
    o = jobj(o, "members", jint(g->members));
    o = jobj(o, "members_text",
             jstr(g->members == 1 ? "1 member"
                                  : arena_printf(c->arena, "%lld members", (long long)g->members)));
    /* how many discussions a members-only group has is its members' business */
    o = jobj(o, "threads", readable ? jint(g->threads) : json_null());
    if (!readable)
        o = jobj(o, "threads_withheld", jstr("only the group's members see its discussions"));
    o = jobj(o, "is_member", jbool(g->is_member));
    o = jobj(o, "is_moderator", jbool(g->is_moderator));
    o = jobj(o, "can_read", jbool(readable));
    return jobj(o, "url", jstr(arena_printf(c->arena, "/connect/groups/%lld", (long long)g->id)));
}

json_t *connect_page_event_json(struct ctx *c, const struct connect_event *e)
{
    const char *start = connect_iso_time(c->arena, e->starts_at);
    json_t *o = jobj(json_object(), "id", jint(e->id));
    o = jobj(o, "group_id", jint(e->group_id));
    o = jobj(o, "title", jstr(e->title));
    o = jobj(o, "starts_at", jint(e->starts_at));
    o = jobj(o, "ends_at", jint(e->ends_at));
    /* the same as ISO 8601 in UK time with its offset, and the UK date the API takes */
    o = jobj(o, "start", start ? jstr(start) : NULL);
    o = jobj(o, "end", jstr(connect_iso_time(c->arena, e->ends_at)));
    o = jobj(o, "date", start ? jstr(arena_strndup(c->arena, start, 10)) : NULL);
    o = jobj(o, "when", jstr(connect_when_text(c->arena, e->starts_at, e->ends_at)));
    o = jobj(o, "place", jstr(e->place));
    o = jobj(o, "link", jstr(e->link));
    o = jobj(o, "online", jbool(*e->link != '\0'));
    o = jobj(o, "description", jstr(e->description));
    o = jobj(o, "cancelled", jbool(e->cancelled_at != 0));
    o = jobj(o, "changed", jbool(e->updated_at != 0 && !e->cancelled_at));
    o = jobj(o, "sequence", jint(e->sequence));
    o = jobj(o, "url", jstr(arena_printf(c->arena, "/connect/events/%lld", (long long)e->id)));
    return jobj(o, "ics_url",
                jstr(arena_printf(c->arena, "/connect/events/%lld/event.ics", (long long)e->id)));
}

/* ---- the list of groups ---- */

static json_t *region_options(const char *chosen, bool with_national)
{
    json_t *arr = json_array(), *o;
    if (with_national) {
        o = jobj(json_object(), "value", jstr(CONNECT_NATIONAL));
        o = jobj(o, "text", jstr("National"));
        o = jobj(o, "selected", jbool(chosen && !strcmp(chosen, CONNECT_NATIONAL)));
        connect_page_push(&arr, o);
    }
    for (size_t i = 0; arr && i < regions_count; i++) {
        o = jobj(json_object(), "value", jstr(regions[i].code));
        o = jobj(o, "text", jstr(regions[i].name));
        o = jobj(o, "selected", jbool(chosen && !strcmp(chosen, regions[i].code)));
        connect_page_push(&arr, o);
    }
    return arr;
}

/* The first max characters of UTF-8 s, and "…" when there were more. */
static const char *excerpt(struct arena *a, const char *s, size_t max)
{
    size_t chars = 0, at = 0;
    for (; s[at]; at++)
        if (((unsigned char)s[at] & 0xC0) != 0x80 && chars++ == max)
            return arena_printf(a, "%.*s…", (int)at, s);
    return s;
}

#define EXCERPT_CHARS 200

/* The member's posts in groups they have left, with what they may do with each: their own
 * words, so they can change or delete them without joining again, shown as a discussion
 * shows them (Markdown through text/markdown.h; a hidden post's text is for the moderators).
 * A members-only group's discussion is not theirs to read any more, so it is not linked, and
 * named only when they started it (its title is then their own words). */
static int left_posts(struct ctx *c, json_t **out, bool *more)
{
    struct connect_post *posts = NULL;
    struct connect_group *groups;
    size_t n = 0, ng = 0;
    int rc = connect_posts_left_behind(c->db, c->arena, c->user->id, &posts, &n, more);
    *out = json_array();
    if (!rc && !(groups = arena_alloc(c->arena, (n + 1) * sizeof *groups)))
        rc = APP_E_NOMEM;
    for (size_t i = 0; !rc && *out && i < n; i++) {
        const struct connect_post *p = &posts[i];
        const struct connect_group *g = NULL;
        bool visible = !strcmp(p->state, "visible"), readable;
        const char *html = NULL, *excerpt_html = NULL;
        const char *url = arena_printf(c->arena, "/connect/posts/%lld", (long long)p->id);
        json_t *o;
        for (size_t k = 0; k < ng && !g; k++)
            if (groups[k].id == p->group_id)
                g = &groups[k];
        if (!g) {
            if ((rc = connect_group_get(c->db, c->arena, p->group_id, c->user->id, &groups[ng])))
                break;
            g = &groups[ng++];
        }
        readable = connect_group_readable(g);
        if (visible && (!(html = markdown_html(c->arena, p->body)) ||
                        !(excerpt_html = markdown_html(
                              c->arena, excerpt(c->arena, p->body, EXCERPT_CHARS))))) {
            rc = APP_E_NOMEM;
            break;
        }
        o = jobj(json_object(), "id", jint(p->id));
        o = jobj(o, "group_id", jint(g->id));
        o = jobj(o, "group_name", jstr(g->name));
        o = jobj(o, "group_url",
                 jstr(arena_printf(c->arena, "/connect/groups/%lld", (long long)g->id)));
        o = jobj(o, "members_only", jbool(!readable));
        o = jobj(o, "thread_title",
                 readable || p->started_thread ? jstr(p->thread_title) : json_null());
        o = jobj(o, "started_thread", jbool(p->started_thread));
        o = jobj(o, "thread_url",
                 readable ? jstr(arena_printf(c->arena, "/connect/threads/%lld#post-%lld",
                                              (long long)p->thread_id, (long long)p->id))
                          : json_null());
        o = jobj(o, "state", jstr(p->state));
        o = jobj(o, "hidden", jbool(!visible));
        /* a hidden post's text is for the moderators, as in the discussion */
        o = jobj(o, "text", visible ? jstr(p->body) : json_null());
        o = jobj(o, "html", visible ? jstr(html) : json_null());
        o = jobj(o, "excerpt",
                 visible ? jstr(excerpt(c->arena, p->body, EXCERPT_CHARS)) : json_null());
        o = jobj(o, "excerpt_html", visible ? jstr(excerpt_html) : json_null());
        o = jobj(o, "posted_at", jint(p->created_at));
        o = jobj(o, "posted", jstr(connect_page_time(c, p->created_at)));
        o = jobj(o, "edited", jbool(p->edited_at != 0));
        o = jobj(o, "edited_at", p->edited_at ? jint(p->edited_at) : json_null());
        o = jobj(o, "can_edit", jbool(visible));
        o = jobj(o, "can_delete", jbool(true));
        if (visible)
            o = jobj(o, "edit_url", jstr(arena_printf(c->arena, "%s/edit", url)));
        o = jobj(o, "delete_url", jstr(arena_printf(c->arena, "%s/delete", url)));
        connect_page_push(out, o);
    }
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int page_connect_groups(struct ctx *c)
{
    struct connect_group *list;
    size_t n;
    bool digest_on;
    const char *region = req_field(c->req, "region");
    json_t *mine = json_array(), *others = json_array(), *m, *left = NULL;
    bool bad = false, left_more = false;
    int rc;
    /* a region that is not on the list is said to be wrong, not silently empty */
    if (region && *region && !connect_region_name(region)) {
        if ((rc = req_add_error(c->req, "region", "Choose a region from the list"))) {
            json_decref(mine);
            json_decref(others);
            return rc;
        }
        bad = true;
        region = NULL;
    }
    if ((rc = connect_group_list(c->db, c->arena, c->user->id, region, &list, &n)) ||
        (rc = connect_digest_get(c->db, c->user->id, &digest_on)) ||
        (rc = left_posts(c, &left, &left_more))) {
        json_decref(mine);
        json_decref(others);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        connect_page_push(list[i].is_member ? &mine : &others,
                          connect_page_group_json(c, &list[i]));
    m = jobj(json_object(), "title", jstr("Regional interest groups"));
    m = jobj(m, "has_mine", jbool(json_array_size(mine) > 0));
    m = jobj(m, "has_others", jbool(json_array_size(others) > 0));
    m = jobj(m, "my_groups", mine);
    m = jobj(m, "other_groups", others);
    m = jobj(m, "regions", region_options(region, true));
    m = jobj(m, "region", jstr(region));
    m = jobj(m, "has_left_posts", jbool(json_array_size(left) > 0));
    m = jobj(m, "left_posts", left);
    m = jobj(m, "left_posts_more", jbool(left_more));
    m = jobj(m, "digest_on", jbool(digest_on));
    m = jobj(m, "can_create", jbool(c->user->role >= ROLE_FACILITATOR));
    return bad ? render_invalid(c, "connect/groups", m) : render(c, 200, "connect/groups", m);
}

/* ---- creating a group ---- */

static json_t *choice_options(const struct connect_choice *list, size_t n, const char *chosen)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = jobj(json_object(), "value", jstr(list[i].code));
        o = jobj(o, "text", jstr(list[i].name));
        o = jobj(o, "selected", jbool(chosen && !strcmp(chosen, list[i].code)));
        connect_page_push(&arr, o);
    }
    return arr;
}

static json_t *group_form_model(const struct connect_group_input *in)
{
    json_t *m = jobj(json_object(), "title", jstr("Create a group"));
    m = jobj(m, "regions", region_options(in->region, true));
    m = jobj(m, "topics", choice_options(connect_topics, connect_topics_count, in->topic));
    m = jobj(m, "members_only", jbool(in->visibility && !strcmp(in->visibility, "members")));
    return jobj(m, "open", jbool(in->visibility && !strcmp(in->visibility, "open")));
}

int page_connect_group_new_form(struct ctx *c)
{
    struct connect_group_input in = {0};
    return render(c, 200, "connect/group_form", group_form_model(&in));
}

int page_connect_group_create(struct ctx *c)
{
    struct connect_group_input in;
    struct connect_field_error *errs = NULL;
    size_t n = 0;
    int64_t id = 0;
    int rc;
    in.name = req_field(c->req, "name");
    in.description = req_field(c->req, "description");
    in.region = req_field(c->req, "region");
    in.topic = req_field(c->req, "topic");
    in.visibility = req_field(c->req, "visibility");
    rc = connect_group_check(c->arena, &in, &errs, &n);
    if (rc == APP_OK && c->req->nerrors) /* a refused field is not one left blank */
        rc = APP_E_INVALID;
    if (rc == APP_OK)
        rc = connect_group_create(c->db, &in, c->user->id, (int64_t)time(NULL), &id);
    if (rc == APP_E_CONFLICT) {
        rc = req_add_error(c->req, "name", "There is already a group with this name");
    } else if (rc == APP_E_INVALID) {
        rc = connect_page_errors(c, errs, n);
    } else if (rc) {
        return rc;
    } else {
        struct connect_group g;
        if (c->want_json) {
            if ((rc = connect_group_get(c->db, c->arena, id, c->user->id, &g)))
                return rc;
            return render(c, 201, NULL,
                          jobj(json_object(), "group", connect_page_group_json(c, &g)));
        }
        if ((rc = flash_set(c, "connect_group_created")))
            return rc;
        return resp_redirect(c, arena_printf(c->arena, "/connect/groups/%lld", (long long)id));
    }
    if (rc)
        return rc;
    return render_invalid(c, "connect/group_form", group_form_model(&in));
}

/* ---- a group's page ---- */

#define THREADS_PER_PAGE 20

int page_connect_group(struct ctx *c)
{
    struct connect_group g;
    struct connect_thread *threads = NULL;
    struct connect_event *events = NULL;
    size_t nt = 0, ne = 0;
    int64_t page = req_field_int(c->req, "page", 1), total = 0, waiting = 0;
    json_t *m, *tj = json_array(), *ej = json_array();
    int rc = connect_page_group(c, connect_page_id(c, "id"), false, &g);
    if (page < 1)
        page = 1;
    if (!rc && connect_group_readable(&g) &&
        !(rc = connect_thread_list(c->db, c->arena, g.id, (page - 1) * THREADS_PER_PAGE,
                                   THREADS_PER_PAGE, &threads, &nt, &total)))
        rc = connect_event_list(c->db, c->arena, g.id, (int64_t)time(NULL), &events, &ne);
    if (!rc && g.is_moderator)
        rc = connect_reports_waiting(c->db, g.id, &waiting);
    if (rc) {
        json_decref(tj);
        json_decref(ej);
        return rc;
    }
    for (size_t i = 0; i < nt; i++) {
        const struct connect_thread *t = &threads[i];
        json_t *o = jobj(json_object(), "id", jint(t->id));
        o = jobj(o, "title", jstr(t->title));
        o = jobj(o, "started_by", jstr(*t->starter_name ? t->starter_name : "A former member"));
        o = jobj(o, "replies", jint(t->replies));
        o = jobj(o, "replies_text",
                 jstr(t->replies == 1
                          ? "1 reply"
                          : arena_printf(c->arena, "%lld replies", (long long)t->replies)));
        o = jobj(o, "last_post_at", jint(t->last_post_at));
        o = jobj(o, "last_post", jstr(connect_page_time(c, t->last_post_at)));
        o = jobj(o, "url", jstr(arena_printf(c->arena, "/connect/threads/%lld", (long long)t->id)));
        connect_page_push(&tj, o);
    }
    for (size_t i = 0; i < ne; i++)
        connect_page_push(&ej, connect_page_event_json(c, &events[i]));
    m = jobj(json_object(), "title", jstr(g.name));
    m = jobj(m, "group", connect_page_group_json(c, &g));
    if (g.is_moderator)
        m = jobj(m, "reports_waiting", jint(waiting));
    if (connect_group_readable(&g)) {
        m = jobj(m, "has_threads", jbool(total > 0));
        m = jobj(m, "threads", tj);
        m = jobj(m, "threads_total", jint(total));
        m = jobj(m, "pagination",
                 render_pagination(arena_printf(c->arena, "/connect/groups/%lld", (long long)g.id),
                                   page, THREADS_PER_PAGE, total, "#discussions"));
        m = jobj(m, "has_events", jbool(ne > 0));
        m = jobj(m, "events", ej);
    } else {
        json_decref(tj);
        json_decref(ej);
    }
    return render(c, 200, "connect/group", m);
}

/* ---- joining and leaving ---- */

static int membership(struct ctx *c, bool join)
{
    struct connect_group g;
    int rc = connect_page_group(c, connect_page_id(c, "id"), false, &g);
    if (rc)
        return rc;
    rc = join ? connect_group_join(c->db, g.id, c->user->id, c->user->role, (int64_t)time(NULL))
              : connect_group_leave(c->db, g.id, c->user->id);
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc,
                     "You are this group's only moderator. Make another member a moderator on "
                     "the members page before you leave.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json) {
        if ((rc = connect_group_get(c->db, c->arena, g.id, c->user->id, &g)))
            return rc;
        return render(c, 200, NULL, jobj(json_object(), "group", connect_page_group_json(c, &g)));
    }
    if ((rc = flash_set(c, join ? "connect_joined" : "connect_left")))
        return rc;
    return resp_redirect(c, arena_printf(c->arena, "/connect/groups/%lld", (long long)g.id));
}

int page_connect_group_join(struct ctx *c)
{
    return membership(c, true);
}

int page_connect_group_leave(struct ctx *c)
{
    return membership(c, false);
}

int page_connect_group_members(struct ctx *c)
{
    struct connect_group g;
    struct connect_member *list = NULL;
    size_t n = 0;
    json_t *arr = json_array(), *m;
    int rc = connect_page_group(c, connect_page_id(c, "id"), false, &g);
    /* the list is for members only, in open groups as well */
    if (!rc && !g.is_member)
        rc = APP_E_NOTFOUND;
    if (!rc)
        rc = connect_group_members(c->db, c->arena, g.id, &list, &n);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        const char *prof = ref_name(professions, professions_count, list[i].profession);
        const char *reg = ref_name(regions, regions_count, list[i].region);
        json_t *o = jobj(json_object(), "name", jstr(list[i].name));
        o = jobj(o, "profession", jstr(prof ? prof : ""));
        o = jobj(o, "region", jstr(reg ? reg : ""));
        o = jobj(o, "moderator", jbool(!strcmp(list[i].role, "moderator")));
        o = jobj(o, "joined", jdate(list[i].joined_at));
        /* a moderator may appoint others, or step them (or themselves) down */
        if (g.is_moderator) {
            o = jobj(o, "id", jint(list[i].user_id));
            o = jobj(o, "role_url",
                     jstr(arena_printf(c->arena, "/connect/groups/%lld/members/%lld/moderator",
                                       (long long)g.id, (long long)list[i].user_id)));
        }
        connect_page_push(&arr, o);
    }
    m = jobj(json_object(), "title", jstr(arena_printf(c->arena, "Members of %s", g.name)));
    m = jobj(m, "group", connect_page_group_json(c, &g));
    m = jobj(m, "can_appoint", jbool(g.is_moderator));
    return render(c, 200, "connect/members", jobj(m, "members", arr));
}

int page_connect_group_moderator(struct ctx *c)
{
    struct connect_group g;
    const char *role = req_field(c->req, "role");
    int64_t user = connect_page_id(c, "user");
    bool make = role && !strcmp(role, "moderator");
    int rc = connect_page_group(c, connect_page_id(c, "id"), false, &g);
    if (!rc && !g.is_member)
        rc = APP_E_NOTFOUND;
    if (rc)
        return rc;
    if (!make && (!role || strcmp(role, "member"))) {
        render_error(c, APP_E_INVALID,
                     "Choose whether they moderate the group: moderator or member.");
        return APP_OK;
    }
    rc = user ? connect_group_set_moderator(c->db, g.id, user, make, c->user->id) : APP_E_NOTFOUND;
    if (rc == APP_E_CONFLICT) {
        render_error(c, rc,
                     "A group needs at least one moderator. Make someone else a moderator first.");
        return APP_OK;
    }
    if (rc)
        return rc;
    if (c->want_json)
        return render(c, 200, NULL,
                      json_pack("{s:I, s:s}", "user", (json_int_t)user, "role",
                                make ? "moderator" : "member"));
    if ((rc = flash_set(c, make ? "connect_moderator_added" : "connect_moderator_removed")))
        return rc;
    return resp_redirect(c,
                         arena_printf(c->arena, "/connect/groups/%lld/members", (long long)g.id));
}
