/* mentoring_pages.c: the pieces Connect's mentoring page families share (mentoring_pages.h)
 *
 * Dates are asked for as the NHS.UK date input (day, month and year in three boxes) and
 * checked here as one date: a part missing, not a number, or a day that does not exist
 * ("31 4 2026") is one message at the first box, as the design system asks.
 */
#include "connect/mentoring_pages.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *connect_page_profession(const char *code)
{
    const char *n = ref_name(professions, professions_count, code);
    return n ? n : "";
}

const char *connect_page_region(const char *code)
{
    const char *n = ref_name(regions, regions_count, code);
    return n ? n : "";
}

const char *connect_page_kind(const char *kind)
{
    if (kind && !strcmp(kind, "mentoring"))
        return "Mentoring";
    if (kind && !strcmp(kind, "coaching"))
        return "Coaching";
    return "";
}

const char *connect_page_side(const char *kind, bool mentee, bool capital)
{
    static const char *const words[2][2][2] = {
        {{"mentor", "Mentor"}, {"mentee", "Mentee"}},
        {{"coach", "Coach"}, {"coachee", "Coachee"}},
    };
    return words[kind && !strcmp(kind, "coaching")][mentee][capital];
}

const char *connect_page_sides(const char *kind, bool mentee, bool capital)
{
    static const char *const words[2][2][2] = {
        {{"mentors", "Mentors"}, {"mentees", "Mentees"}},
        {{"coaches", "Coaches"}, {"coachees", "Coachees"}},
    };
    return words[kind && !strcmp(kind, "coaching")][mentee][capital];
}

const char *connect_page_minutes(struct ctx *c, int64_t minutes)
{
    int64_t h = minutes / 60, m = minutes % 60;
    if (!h)
        return arena_printf(c->arena, "%lld minute%s", (long long)m, m == 1 ? "" : "s");
    if (!m)
        return arena_printf(c->arena, "%lld hour%s", (long long)h, h == 1 ? "" : "s");
    return arena_printf(c->arena, "%lld hour%s %lld minute%s", (long long)h, h == 1 ? "" : "s",
                        (long long)m, m == 1 ? "" : "s");
}

const char *connect_page_time_together(struct ctx *c, int64_t meetings, int64_t minutes)
{
    if (!meetings)
        return "No meetings logged yet";
    return arena_printf(c->arena, "%lld meeting%s, %s", (long long)meetings,
                        meetings == 1 ? "" : "s", connect_page_minutes(c, minutes));
}

static const char *answer_text(const char *a)
{
    if (!strcmp(a, "accepted"))
        return "Accepted";
    if (!strcmp(a, "declined"))
        return "Declined";
    return "Not answered yet";
}

json_t *connect_page_match_json(struct ctx *c, const struct connect_match *m, int64_t user_id)
{
    bool mentee = user_id == m->mentee_id, proposed = !strcmp(m->status, "proposed");
    const char *mine = mentee ? m->mentee_answer : m->mentor_answer;
    const char *theirs = mentee ? m->mentor_answer : m->mentee_answer;
    json_t *o = jobj(json_object(), "id", jint(m->id));
    o = jobj(o, "round_id", jint(m->round_id));
    o = jobj(o, "round", jstr(m->round_name));
    o = jobj(o, "kind", jstr(m->kind));
    o = jobj(o, "kind_name", jstr(connect_page_kind(m->kind)));
    o = jobj(o, "status", jstr(m->status));
    o = jobj(o, "score", json_real((double)m->score / 1000.0));
    o = jobj(o, "why", jstr(m->why));
    o = jobj(o, "your_side", jstr(mentee ? "mentee" : "mentor"));
    /* the sides as the round's kind calls them: a coaching round has a coach and a coachee */
    o = jobj(o, "your_role", jstr(connect_page_side(m->kind, mentee, false)));
    o = jobj(o, "mentor_word", jstr(connect_page_side(m->kind, false, false)));
    o = jobj(o, "mentee_word", jstr(connect_page_side(m->kind, true, false)));
    o = jobj(o, "mentees_word", jstr(connect_page_sides(m->kind, true, false)));
    o = jobj(o, "mentor_label", jstr(connect_page_side(m->kind, false, true)));
    o = jobj(o, "mentee_label", jstr(connect_page_side(m->kind, true, true)));
    o = jobj(o, "with", jstr(mentee ? m->mentor_name : m->mentee_name));
    /* the other's address only once both have accepted: until then they are only proposed
     * to each other, and an address is shown to other members only by the directory, to
     * those who chose to be listed */
    if (!strcmp(m->status, "accepted"))
        o = jobj(o, "with_email", jstr(mentee ? m->mentor_email : m->mentee_email));
    o = jobj(o, "with_profession",
             jstr(connect_page_profession(mentee ? m->mentor_profession : m->mentee_profession)));
    o = jobj(o, "with_region",
             jstr(connect_page_region(mentee ? m->mentor_region : m->mentee_region)));
    o = jobj(o, "mentee", jstr(m->mentee_name));
    o = jobj(o, "mentor", jstr(m->mentor_name));
    o = jobj(o, "mentee_answer", jstr(answer_text(m->mentee_answer)));
    o = jobj(o, "mentor_answer", jstr(answer_text(m->mentor_answer)));
    o = jobj(o, "may_answer", jbool(proposed && !*mine));
    /* so each side is told where the other stands: on their matches and the match page */
    o = jobj(o, "other_accepted", jbool(proposed && !strcmp(theirs, "accepted")));
    o = jobj(o, "you_accepted", jbool(!strcmp(mine, "accepted")));
    o = jobj(o, "you_declined", jbool(!strcmp(mine, "declined")));
    o = jobj(o, "you_are_mentee", jbool(mentee));
    o = jobj(o, "is_proposed", jbool(proposed));
    o = jobj(o, "is_accepted", jbool(!strcmp(m->status, "accepted")));
    o = jobj(o, "is_declined", jbool(!strcmp(m->status, "declined")));
    o = jobj(o, "relationship_id", jint(m->relationship_id));
    o = jobj(o, "path", jstr(arena_printf(c->arena, "/connect/matches/%lld", (long long)m->id)));
    return jobj(o, "proposed", jdate(m->created_at));
}

json_t *connect_page_choices(const struct connect_choice *ch, size_t n, const char *selected,
                             const char *none)
{
    json_t *arr = json_array();
    if (arr && none)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", "", "text", none,
                                             "selected", !selected || !*selected));
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:b}", "value", ch[i].code, "text", ch[i].name,
                              "selected", selected && !strcmp(selected, ch[i].code));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *connect_page_refs(bool regions_list, const char *selected, const char *none)
{
    const struct ref_item *items = regions_list ? regions : professions;
    size_t n = regions_list ? regions_count : professions_count;
    json_t *arr = json_array();
    if (arr && none)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", "", "text", none,
                                             "selected", !selected || !*selected));
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:b}", "value", items[i].code, "text", items[i].name,
                              "selected", selected && !strcmp(selected, items[i].code));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int connect_page_refuse(struct ctx *c, int err, const char *sentence)
{
    render_error(c, err, sentence);
    return APP_OK;
}
