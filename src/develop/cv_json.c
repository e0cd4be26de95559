/* cv_json.c: the non-medical CV as JSON Resume, the open CV format (jsonresume.org/schema)
 *
 * Version 1.0.0 of the schema: every section an array of objects, dates as ISO 8601 days
 * ("2024-03-01"), an ongoing role without endDate. The mapping (cv.h): roles are work;
 * projects and reflections are projects (a reflection's "type" says so); achievements are
 * awards; training is certificates; feedback received is references; each skill group is a
 * skill whose keywords are its entries' titles. Nothing is added at the top level that the
 * schema does not define (it allows no other properties there); the portfolio's own codes
 * ride in meta. tests/unit/develop/cv_test.c checks the output against the schema's rules.
 */
#include "develop/cv.h"
#include "core/arena.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

static json_t *day(int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    char s[16];
    if (!t || !gmtime_r(&tt, &tm) || !strftime(s, sizeof s, "%Y-%m-%d", &tm))
        return NULL;
    return json_string(s);
}

/* Sets key to a string when it is not empty (JSON Resume leaves unknown things out). */
static void put_str(json_t *o, const char *key, const char *s)
{
    if (o && s && *s)
        json_object_set_new(o, key, json_string(s));
}

static void put_day(json_t *o, const char *key, int64_t t)
{
    json_t *d = day(t);
    if (o && d)
        json_object_set_new(o, key, d);
    else
        json_decref(d);
}

static json_t *skills_array(const char *skills)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < develop_skills_count; i++)
        if (develop_tag_has(skills, develop_skills[i].code))
            json_array_append_new(a, json_string(develop_skills[i].name));
    return a;
}

static void append(json_t *arr, json_t *o)
{
    if (arr && o)
        json_array_append_new(arr, o);
    else
        json_decref(o);
}

static void add_entry(json_t *sec[], const struct develop_cv_item *it)
{
    const struct develop_entry *e = it->entry;
    json_t *o = json_object();

    if (!strcmp(e->kind, "achievement")) {
        put_str(o, "title", e->title);
        put_day(o, "date", e->ended_on ? e->ended_on : e->started_on);
        put_str(o, "awarder", e->context);
        put_str(o, "summary", it->text);
        append(sec[2], o);
    } else if (!strcmp(e->kind, "training")) {
        put_str(o, "name", e->title);
        put_day(o, "date", e->ended_on ? e->ended_on : e->started_on);
        put_str(o, "issuer", e->context);
        append(sec[3], o);
    } else if (!strcmp(e->kind, "feedback")) {
        put_str(o, "name", *e->context ? e->context : e->title);
        put_str(o, "reference", *it->text ? it->text : e->title);
        append(sec[4], o);
    } else { /* project, reflection */
        put_str(o, "name", e->title);
        put_str(o, "description", it->text);
        put_str(o, "entity", e->context);
        put_day(o, "startDate", e->started_on);
        put_day(o, "endDate", e->ended_on);
        put_str(o, "type", e->kind);
        if (o)
            json_object_set_new(o, "keywords", skills_array(e->skills));
        append(sec[1], o);
    }
}

json_t *develop_cv_json(const struct develop_cv *cv, int64_t date)
{
    json_t *r = json_object(), *basics = json_object(), *meta = json_object();
    json_t *sec[5] = {json_array(), json_array(), json_array(), json_array(), json_array()};
    static const char *const names[5] = {"work", "projects", "awards", "certificates",
                                         "references"};
    json_t *skills = json_array();

    put_str(basics, "name", cv->name);
    put_str(basics, "label", cv->headline);
    put_str(basics, "email", cv->email);
    put_str(basics, "summary", cv->summary);
    for (size_t i = 0; i < cv->ncareer; i++) {
        const struct develop_cv_item *it = &cv->career[i];
        json_t *o = json_object();
        put_str(o, "name", it->entry->context);
        put_str(o, "position", it->entry->title);
        put_day(o, "startDate", it->entry->started_on);
        put_day(o, "endDate", it->entry->ended_on);
        put_str(o, "summary", it->text);
        if (o)
            json_object_set_new(o, "highlights", json_array());
        append(sec[0], o);
    }
    for (size_t g = 0; g < DEVELOP_CV_GROUPS; g++) {
        const struct develop_cv_group *gr = &cv->groups[g];
        json_t *kw = json_array(), *s;
        for (size_t i = 0; i < gr->n; i++) {
            add_entry(sec, &gr->items[i]);
            if (kw)
                json_array_append_new(kw, json_string(gr->items[i].entry->title));
        }
        for (size_t i = 0; kw && i < gr->nalso; i++)
            json_array_append_new(kw, json_string(gr->also[i].item->entry->title));
        if ((!gr->n && !gr->nalso) || g >= develop_skills_count) { /* training, other: no skill */
            json_decref(kw);
            continue;
        }
        s = json_object();
        put_str(s, "name", gr->name);
        if (s)
            json_object_set_new(s, "keywords", kw);
        else
            json_decref(kw);
        append(skills, s);
    }
    put_str(meta, "version", "v1.0.0");
    {
        json_t *d = day(date);
        if (d && meta) {
            json_object_set_new(meta, "lastModified", d);
        } else
            json_decref(d);
    }
    if (r) { /* json_object_set_new() takes each value, NULL too */
        bool whole = basics && meta && skills;
        json_object_set_new(r, "$schema",
                            json_string("https://raw.githubusercontent.com/jsonresume/"
                                        "resume-schema/v1.0.0/schema.json"));
        json_object_set_new(r, "basics", basics);
        for (size_t i = 0; i < 5; i++) {
            whole = whole && sec[i];
            json_object_set_new(r, names[i], sec[i]);
        }
        json_object_set_new(r, "skills", skills);
        json_object_set_new(r, "meta", meta);
        if (whole)
            return r;
        json_decref(r);
        return NULL;
    }
    json_decref(basics);
    json_decref(meta);
    json_decref(skills);
    for (size_t i = 0; i < 5; i++)
        json_decref(sec[i]);
    return NULL;
}
