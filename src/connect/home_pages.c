/* home_pages.c: Connect's home — the member's profile at a glance, their matches and
 * relationships, the directory, and for programme leads the matching rounds
 *
 * Connect's other parts (regional interest groups, action learning sets) add their links in
 * the template's "more ways to connect" block (templates/connect/more.html).
 */
#include "connect/mentoring_pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "web/render.h"

#include <string.h>

static json_t *names(struct ctx *c, const struct connect_area *areas, size_t nareas,
                     const char *const *codes, size_t n)
{
    json_t *arr = json_array();
    (void)c;
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_string(connect_area_name(areas, nareas, codes[i])))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* What a profile offers or seeks as one line: "Mentoring and coaching: Digital, Research", the
 * areas' names joined with commas (arena; NULL when out of memory). */
static const char *kind_areas(struct ctx *c, const char *kind, const struct connect_area *areas,
                              size_t nareas, const char *const *codes, size_t n)
{
    struct buf b = BUF_INIT;
    const char *s;
    buf_puts(&b, kind);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? ", " : ": ", connect_area_name(areas, nareas, codes[i]));
    s = buf_oom(&b) ? NULL : arena_strndup(c->arena, b.data ? b.data : "", b.len);
    buf_free(&b);
    return s;
}

int page_connect_index(struct ctx *c)
{
    struct connect_profile p;
    struct connect_area *areas;
    struct connect_match *ms;
    struct connect_relationship *rs;
    size_t nareas, nms, nrs;
    json_t *matches = json_array(), *rels = json_array(), *choose = NULL, *pr, *m;
    int rc;
    if ((rc = connect_profile_get(c->db, c->arena, c->user->id, &p)) ||
        (rc = connect_areas(c->db, c->arena, &areas, &nareas)) ||
        (rc = connect_matches_for(c->db, c->arena, c->user->id, &ms, &nms)) ||
        (rc = connect_relationships_for(c->db, c->arena, c->user->id, &rs, &nrs))) {
        json_decref(matches);
        json_decref(rels);
        return rc;
    }
    for (size_t i = 0; matches && i < nms; i++) {
        if (ms[i].relationship_id) /* shown with the relationships */
            continue;
        if (json_array_append_new(matches, connect_page_match_json(c, &ms[i], c->user->id))) {
            json_decref(matches);
            matches = NULL;
        }
    }
    for (size_t i = 0; rels && i < nrs; i++) {
        bool mentee = rs[i].mentee_id == c->user->id;
        json_t *o = jobj(json_object(), "id", jint(rs[i].id));
        o = jobj(o, "kind", jstr(rs[i].kind));
        o = jobj(o, "kind_name", jstr(connect_page_kind(rs[i].kind)));
        o = jobj(o, "your_side", jstr(mentee ? "mentee" : "mentor"));
        o = jobj(o, "your_role", jstr(connect_page_side(rs[i].kind, mentee, false)));
        o = jobj(o, "with", jstr(mentee ? rs[i].mentor_name : rs[i].mentee_name));
        o = jobj(o, "started", jdate(rs[i].started_at));
        o = jobj(o, "is_closed", jbool(rs[i].closed_at != 0));
        o = jobj(o, "minutes", jint(rs[i].minutes));
        o = jobj(o, "total", jstr(connect_page_minutes(c, rs[i].minutes)));
        o = jobj(o, "meeting_count", jint(rs[i].meetings));
        o = jobj(o, "meetings_text",
                 jstr(arena_printf(c->arena, "%lld meeting%s", (long long)rs[i].meetings,
                                   rs[i].meetings == 1 ? "" : "s")));
        o = jobj(o, "time_together",
                 jstr(connect_page_time_together(c, rs[i].meetings, rs[i].minutes)));
        o = jobj(o, "path",
                 jstr(arena_printf(c->arena, "/connect/relationships/%lld", (long long)rs[i].id)));
        if (!o || json_array_append_new(rels, o)) {
            json_decref(rels);
            rels = NULL;
        }
    }
    /* self-select rounds where they have no match yet: their options to choose from */
    {
        struct connect_round *rounds;
        size_t nr;
        if ((rc = connect_rounds_to_choose(c->db, c->arena, c->user->id, &rounds, &nr))) {
            json_decref(matches);
            json_decref(rels);
            return rc;
        }
        choose = json_array();
        for (size_t i = 0; choose && i < nr; i++) {
            struct connect_option *o;
            size_t no;
            json_t *opts = json_array(), *x;
            if ((rc = connect_round_options(c->db, c->arena, rounds[i].id, c->user->id, &o, &no))) {
                json_decref(opts);
                json_decref(choose);
                json_decref(matches);
                json_decref(rels);
                return rc;
            }
            for (size_t k = 0; opts && k < no; k++) {
                json_t *y = jobj(json_object(), "mentor_id", jint(o[k].mentor_id));
                y = jobj(y, "name", jstr(o[k].name));
                y = jobj(y, "profession", jstr(connect_page_profession(o[k].profession)));
                y = jobj(y, "region", jstr(connect_page_region(o[k].region)));
                y = jobj(y, "why", jstr(o[k].why));
                y = jobj(y, "score", json_real((double)o[k].score / 1000.0));
                if (!y || json_array_append_new(opts, y)) {
                    json_decref(opts);
                    opts = NULL;
                }
            }
            x = jobj(json_object(), "round_id", jint(rounds[i].id));
            x = jobj(x, "round", jstr(rounds[i].name));
            x = jobj(x, "mentor_word", jstr(connect_page_side(rounds[i].kind, false, false)));
            x = jobj(x, "has_options", jbool(no > 0));
            x = jobj(x, "choose_path",
                     jstr(arena_printf(c->arena, "/connect/rounds/%lld/choose",
                                       (long long)rounds[i].id)));
            x = jobj(x, "options", opts);
            if (!x || json_array_append_new(choose, x)) {
                json_decref(choose);
                choose = NULL;
            }
        }
    }
    pr = jobj(json_object(), "exists", jbool(p.exists));
    pr = jobj(pr, "matching", jbool(p.matching));
    pr = jobj(pr, "in_directory", jbool(p.in_directory));
    pr = jobj(pr, "directory_role",
              jstr(connect_choice_name(connect_roles, connect_roles_count, p.directory_role)));
    pr = jobj(pr, "offers_mentoring", jbool(p.offers_mentoring));
    pr = jobj(pr, "offers_coaching", jbool(p.offers_coaching));
    pr = jobj(pr, "offers", names(c, areas, nareas, p.offers, p.noffers));
    pr = jobj(pr, "seeks_kind", jstr(p.seeks_kind));
    pr = jobj(pr, "seeks", names(c, areas, nareas, p.seeks, p.nseeks));
    pr = jobj(pr, "offers_any", jbool(p.offers_mentoring || p.offers_coaching));
    /* null for someone who offers neither, as the page shows nothing then */
    pr = jobj(
        pr, "offers_text",
        !p.offers_mentoring && !p.offers_coaching
            ? json_null()
            : jstr(kind_areas(c,
                              p.offers_mentoring && p.offers_coaching ? "Mentoring and coaching"
                              : p.offers_coaching                     ? "Coaching"
                                                                      : "Mentoring",
                              areas, nareas, p.offers, p.noffers)));
    pr = jobj(
        pr, "seeks_text",
        jstr(kind_areas(c, connect_page_kind(p.seeks_kind), areas, nareas, p.seeks, p.nseeks)));
    m = jobj(json_object(), "title", jstr("Connect"));
    m = jobj(m, "profile", pr);
    m = jobj(m, "matches", matches);
    m = jobj(m, "relationships", rels);
    m = jobj(m, "to_choose", choose);
    m = jobj(m, "is_lead", jbool(c->user->role >= ROLE_FACILITATOR));
    return render(c, 200, "connect/index", m);
}
