/* set_home.c: "Your set" on a member's home page — the action learning sets they are in,
 * each with its facilitator and next planned meeting, read as the sets page reads them */
#include "connect/set_home.h"
#include "connect/set.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/uktime.h"
#include "http/handler.h"
#include "web/render.h"

#include <stdbool.h>
#include <time.h>

json_t *connect_sets_home_json(struct ctx *c, int *rc)
{
    struct set_group *sets;
    struct set_split *splits;
    size_t n;
    int64_t today = uk_today((int64_t)time(NULL));
    json_t *arr;
    bool lead = c->user->role >= ROLE_FACILITATOR;
    if ((*rc = connect_set_list_for(c->db, c->arena, c->user->id, &sets, &splits, &n)))
        return NULL;
    if (!n && !lead)
        return json_null();
    arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        struct set_meeting *mt;
        size_t nmt;
        json_t *o;
        if ((*rc = connect_set_meetings(c->db, c->arena, sets[i].id, &mt, &nmt))) {
            json_decref(arr);
            return NULL;
        }
        o = jobj(json_object(), "name", jstr(arena_printf(c->arena, "Set %d", sets[i].number)));
        o = jobj(o, "split", jstr(splits[i].title));
        o = jobj(o, "url",
                 jstr(arena_printf(c->arena, "/connect/sets/%lld/set/%d", (long long)splits[i].id,
                                   sets[i].number)));
        o = jobj(o, "facilitator", jstr(sets[i].facilitator_name));
        for (size_t k = 0; o && k < nmt; k++)
            if (!mt[k].held && mt[k].meets_on >= today) {
                o = jobj(o, "next_meeting", jdate(mt[k].meets_on));
                break;
            }
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return jobj(jobj(jobj(json_object(), "sets", arr), "has_sets", jbool(n > 0)), "lead",
                jbool(lead));
}
