/* pages.c: what Develop's page families share — loading a member's self-assessment and the
 * view-model pieces for results
 *
 * A self-assessment is private to its member: it is looked up by id and owner together, so
 * another member's id answers 404, exactly as an id that does not exist.
 */
#include "develop/pages.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "web/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int develop_page_refuse_other_statements(struct ctx *c, const struct develop_domain *dm,
                                         const char *const *prefixes)
{
    const char *key;
    json_t *v;
    if (!c->req->json)
        return APP_OK;
    json_object_foreach(c->req->json, key, v)
    {
        const char *id = NULL, *msg;
        bool known = false;
        (void)v;
        for (const char *const *p = prefixes; *p && !id; p++)
            if (!strncmp(key, *p, strlen(*p)))
                id = key + strlen(*p);
        if (!id)
            continue;
        for (size_t i = 0; i < dm->nbehaviours && !known; i++)
            known = !strcmp(dm->behaviours[i].id, id);
        if (known)
            continue;
        msg = arena_printf(c->arena, "There is no statement \"%s\" in this part of the framework",
                           id);
        if (!msg || req_add_error(c->req, key, msg))
            return APP_E_NOMEM;
    }
    return APP_OK;
}

json_t *develop_page_num(double x, int decimals)
{
    double f = pow(10, decimals);
    return json_real(round(x * f) / f + 0.0);
}

const char *develop_page_text(struct ctx *c, double x, bool with_sign)
{
    char s[40];
    size_t n;
    x = round(x * 100) / 100 + 0.0;
    snprintf(s, sizeof s, "%s%.2f", with_sign && x > 0 ? "+" : "", x);
    n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
    return arena_strdup(c->arena, s);
}

int64_t develop_page_param(struct ctx *c, const char *name)
{
    const char *p = req_param(c->req, name);
    int64_t v = 0;
    if (!p || !parse_int64((struct str){p, strlen(p)}, &v) || v <= 0)
        return 0;
    return v;
}

int develop_page_load_self(struct ctx *c, struct develop_self *s, struct develop_framework *fw,
                           struct develop_answer **answers)
{
    int64_t id = develop_page_param(c, "id");
    int rc;
    if (!id || !c->user)
        return APP_E_NOTFOUND;
    if ((rc = develop_self_get(c->db, c->arena, id, c->user->id, s)) ||
        (rc = develop_version_load(c->db, c->arena, s->framework_id, fw)))
        return rc;
    return answers ? develop_self_answers(c->db, c->arena, fw, s->id, answers) : APP_OK;
}

json_t *develop_page_self_json(const struct develop_self *s)
{
    json_t *o = jobj(json_object(), "id", jint(s->id));
    o = jobj(o, "framework", jstr(s->framework_title));
    o = jobj(o, "framework_code", jstr(s->framework_code));
    o = jobj(o, "version", jint(s->framework_version));
    o = jobj(o, "started", jdate(s->started_at));
    o = jobj(o, "started_at", jint(s->started_at));
    o = jobj(o, "updated", jdate(s->updated_at));
    o = jobj(o, "updated_at", jint(s->updated_at));
    o = jobj(o, "submitted", jdate(s->submitted_at));
    o = jobj(o, "submitted_at", jint(s->submitted_at));
    o = jobj(o, "is_draft", jbool(s->submitted_at == 0));
    return o;
}

/* "1st", "2nd", "3rd", "4th", …, "11th", "21st" */
static void ordinal(char *out, size_t size, size_t k)
{
    const char *sfx = "th";
    if (k % 100 < 11 || k % 100 > 13)
        sfx = k % 10 == 1 ? "st" : k % 10 == 2 ? "nd" : k % 10 == 3 ? "rd" : "th";
    snprintf(out, size, "%zu%s", k, sfx);
}

json_t *develop_page_self_json_in(const struct develop_self *s, const struct develop_self *list,
                                  size_t n)
{
    json_t *o = develop_page_self_json(s);
    bool day = false, minute = false;
    size_t rank = 1; /* its place among those of its day, by time (then by number) */
    char when[64], nth[24];
    time_t t = (time_t)s->submitted_at;
    struct tm tm;

    for (size_t i = 0; s->submitted_at && i < n; i++) {
        const struct develop_self *x = &list[i];
        if (x->id == s->id || !x->submitted_at ||
            x->submitted_at / 86400 != s->submitted_at / 86400)
            continue; /* days in UTC, as jdate() writes them */
        day = true;
        minute |= x->submitted_at / 60 == s->submitted_at / 60;
        rank += x->submitted_at < s->submitted_at ||
                (x->submitted_at == s->submitted_at && x->id < s->id);
    }
    o = jobj(o, "same_day", jbool(day));
    if (!day || !gmtime_r(&t, &tm) || !strftime(when, sizeof when, "%H:%M UTC", &tm))
        return o;
    if (minute) { /* the time alone would read the same */
        ordinal(nth, sizeof nth, rank);
        snprintf(when + strlen(when), sizeof when - strlen(when), ", the %s that day", nth);
    }
    return jobj(o, "submitted_time", jstr(when));
}

json_t *develop_page_results(struct ctx *c, const struct develop_framework *fw,
                             const struct develop_answer *answers)
{
    struct develop_result *r = arena_calloc(c->arena, fw->ndomains, sizeof *r);
    json_t *arr = json_array();
    if (!r || !arr || develop_score(fw, answers, r)) {
        json_decref(arr);
        return NULL;
    }
    for (size_t d = 0; arr && d < fw->ndomains; d++) {
        const struct develop_domain *dm = &fw->domains[d];
        json_t *o = jobj(json_object(), "number", jint((long long)d + 1));
        json_t *items = json_array();
        o = jobj(o, "id", jstr(dm->id));
        o = jobj(o, "title", jstr(dm->title));
        o = jobj(o, "scored", jbool(r[d].scored));
        o = jobj(o, "answered", jint(r[d].answered));
        o = jobj(o, "no_chance", jint(r[d].no_chance));
        o = jobj(o, "behaviours", jint(r[d].behaviours));
        if (r[d].scored) {
            o = jobj(o, "mean", develop_page_num(r[d].mean, 2));
            o = jobj(o, "percent", develop_page_num(r[d].percent, 1));
            o = jobj(o, "mean_text", jstr(develop_page_text(c, r[d].mean, false)));
            o = jobj(o, "percent_text", jstr(develop_page_text(c, round(r[d].percent), false)));
            o = jobj(o, "bar", jint((long long)round(r[d].percent)));
        } else {
            o = jobj(o, "mean", json_null());
            o = jobj(o, "percent", json_null());
        }
        /* each behaviour with the answer given, for reading back (notes are evidence) */
        for (size_t i = 0; answers && items && i < dm->nbehaviours; i++) {
            const struct develop_answer *an = &answers[dm->first + i];
            const char *rating = "Not rated";
            json_t *y = jobj(json_object(), "id", jstr(dm->behaviours[i].id));
            if (an->rating >= 1 && an->rating <= (int)fw->scale.npoints)
                rating = fw->scale.points[an->rating - 1].label;
            else if (an->rating == DEVELOP_NO_CHANCE && *fw->scale.no_chance)
                rating = fw->scale.no_chance;
            y = jobj(y, "statement", jstr(dm->behaviours[i].statement));
            y = jobj(y, "rating", jint(an->rating));
            y = jobj(y, "rating_text", jstr(rating));
            y = jobj(y, "importance", jint(an->importance));
            if (an->importance > 0 && an->importance <= (int)fw->importance.npoints)
                y = jobj(y, "importance_text", jstr(fw->importance.points[an->importance - 1]));
            y = jobj(y, "note", jstr(an->note));
            if (!y || json_array_append_new(items, y)) {
                json_decref(items);
                items = NULL;
            }
        }
        o = jobj(o, "items", items ? items : json_array());
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

json_t *develop_page_scale(const struct develop_framework *fw)
{
    json_t *pts = json_array(), *o;
    for (size_t i = 0; pts && i < fw->scale.npoints; i++) {
        json_t *p = jobj(json_object(), "value", jint((long long)i + 1));
        p = jobj(p, "label", jstr(fw->scale.points[i].label));
        p = jobj(p, "description", jstr(fw->scale.points[i].description));
        if (!p || json_array_append_new(pts, p)) {
            json_decref(pts);
            pts = NULL;
        }
    }
    o = jobj(json_object(), "kind", jstr(develop_scale_kind_name(fw->scale.kind)));
    o = jobj(o, "is_levels", jbool(fw->scale.kind == DSK_LEVELS));
    o = jobj(o, "points", pts);
    o = jobj(o, "max", jint((long long)fw->scale.npoints));
    return jobj(o, "no_chance", jstr(fw->scale.no_chance));
}
