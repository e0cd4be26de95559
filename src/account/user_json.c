/* user_json.c: a user as the pages and the JSON API show them, shared by the account,
 * admin and home page families */
#include "account/account.h"
#include "web/render.h"

#include <time.h>

/* See account.h. */
json_t *account_date_text(int64_t t)
{
    char when[32];
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t)
        return json_string_nocheck("");
    gmtime_r(&tt, &tm);
    strftime(when, sizeof when, "%-d %B %Y", &tm);
    return json_string_nocheck(when);
}

/* Built with jobj rather than json_pack: it is on every page that shows a user. */
json_t *account_user_json(const struct user *u)
{
    const char *pn = ref_name(professions, professions_count, u->profession);
    const char *rn = ref_name(regions, regions_count, u->region);
    json_t *o = jobj(json_object(), "id", jint(u->id));
    o = jobj(o, "email", jstr(u->email));
    o = jobj(o, "display_name", jstr(u->display_name));
    o = jobj(o, "role", json_string_nocheck(role_name(u->role)));
    o = jobj(o, "profession", jstr(u->profession));
    o = jobj(o, "profession_name", json_string_nocheck(pn ? pn : ""));
    o = jobj(o, "region", jstr(u->region));
    o = jobj(o, "region_name", json_string_nocheck(rn ? rn : ""));
    o = jobj(o, "organisation_id", jint(u->organisation_id));
    o = jobj(o, "organisation", jstr(u->organisation));
    o = jobj(o, "created_at", jint(u->created_at));
    o = jobj(o, "created", account_date_text(u->created_at));
    o = jobj(o, "has_password", jbool(u->has_password));
    /* invited (neither a password nor a login yet), active or deactivated: see account.h */
    o = jobj(o, "state",
             json_string_nocheck(u->deactivated_at ? "deactivated"
                                 : u->invited      ? "invited"
                                                   : "active"));
    o = jobj(o, "deactivated_at", jint(u->deactivated_at));
    o = jobj(o, "last_login_at", jint(u->last_login_at));
    return jobj(o, "last_login", account_date_text(u->last_login_at));
}
