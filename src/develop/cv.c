/* cv.c: the non-medical CV's model, built from the chosen portfolio entries (cv.h) */
#include "develop/cv.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

const char *develop_cv_month(struct arena *a, int64_t day)
{
    struct tm tm;
    time_t t = (time_t)day;
    if (!day || !gmtime_r(&t, &tm))
        return "";
    return arena_printf(a, "%s %d", months[tm.tm_mon], tm.tm_year + 1900);
}

static const char *dates_of(struct arena *a, const struct develop_entry *e)
{
    const char *from = develop_cv_month(a, e->started_on), *to;
    if (!e->started_on)
        return "";
    if (!e->ended_on)
        return !strcmp(e->kind, "role") || !strcmp(e->kind, "project")
                   ? arena_printf(a, "%s to present", from)
                   : from;
    to = develop_cv_month(a, e->ended_on);
    if (!from || !to)
        return NULL;
    return strcmp(from, to) ? arena_printf(a, "%s to %s", from, to) : from;
}

static const char *skill_names(struct arena *a, const char *skills)
{
    struct buf b = BUF_INIT;
    const char *out;
    for (size_t i = 0; i < develop_skills_count; i++)
        if (develop_tag_has(skills, develop_skills[i].code))
            buf_printf(&b, "%s%s", b.len ? ", " : "", develop_skills[i].name);
    buf_putc(&b, '\0');
    out = buf_oom(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return out;
}

static int make_item(struct arena *a, const struct develop_entry *e, struct develop_cv_item *it)
{
    struct develop_block *blocks;

    it->entry = e;
    it->kind_name = develop_code_name(develop_entry_kinds, develop_entry_kinds_count, e->kind);
    it->dates = dates_of(a, e);
    it->skill_names = skill_names(a, e->skills);
    it->text = develop_markdown_plain(a, e->body);
    if (develop_markdown_blocks(a, e->body, &blocks, &it->nblocks))
        return APP_E_NOMEM;
    it->blocks = blocks;
    if (!it->kind_name)
        it->kind_name = "";
    return it->dates && it->skill_names && it->text ? APP_OK : APP_E_NOMEM;
}

/* The group an entry (not a role) goes in. */
static size_t group_of(const struct develop_entry *e)
{
    for (size_t i = 0; i < develop_skills_count; i++)
        if (develop_tag_has(e->skills, develop_skills[i].code))
            return i;
    return !strcmp(e->kind, "training") ? develop_skills_count : develop_skills_count + 1;
}

/* Current roles first, then by start, newest first (the entries came newest first). */
static int career_order(const void *pa, const void *pb)
{
    const struct develop_entry *a = ((const struct develop_cv_item *)pa)->entry;
    const struct develop_entry *b = ((const struct develop_cv_item *)pb)->entry;
    bool ca = a->started_on && !a->ended_on, cb = b->started_on && !b->ended_on;
    if (ca != cb)
        return ca ? -1 : 1;
    if (a->started_on != b->started_on)
        return a->started_on > b->started_on ? -1 : 1;
    return a->id > b->id ? -1 : a->id < b->id;
}

int develop_cv_build(struct arena *a, const char *name, const char *email,
                     const struct develop_cv_profile *profile, const struct develop_entry *entries,
                     size_t n, struct develop_cv *out)
{
    size_t count[DEVELOP_CV_GROUPS] = {0}, also[DEVELOP_CV_GROUPS] = {0}, roles = 0;

    memset(out, 0, sizeof *out);
    out->name = name ? name : "";
    out->email = email ? email : "";
    out->headline = profile && profile->headline ? profile->headline : "";
    out->summary = profile && profile->summary ? profile->summary : "";
    for (size_t i = 0; i < develop_skills_count; i++) {
        out->groups[i].code = develop_skills[i].code;
        out->groups[i].name = develop_skills[i].name;
    }
    out->groups[develop_skills_count].code = "training";
    out->groups[develop_skills_count].name = "Training and qualifications";
    out->groups[develop_skills_count + 1].code = "other";
    out->groups[develop_skills_count + 1].name = "Other experience";
    for (size_t i = 0; i < n; i++) {
        if (!entries[i].on_cv)
            continue;
        out->nchosen++;
        if (!strcmp(entries[i].kind, "role")) {
            roles++;
            continue;
        }
        count[group_of(&entries[i])]++;
        for (size_t k = group_of(&entries[i]) + 1; k < develop_skills_count; k++)
            also[k] += develop_tag_has(entries[i].skills, develop_skills[k].code);
    }
    out->career = arena_calloc(a, roles ? roles : 1, sizeof *out->career);
    if (!out->career)
        return APP_E_NOMEM;
    for (size_t g = 0; g < DEVELOP_CV_GROUPS; g++)
        if (!(out->groups[g].items =
                  arena_calloc(a, count[g] ? count[g] : 1, sizeof *out->groups[g].items)) ||
            !(out->groups[g].also =
                  arena_calloc(a, also[g] ? also[g] : 1, sizeof *out->groups[g].also)))
            return APP_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const struct develop_entry *e = &entries[i];
        struct develop_cv_item *it;
        if (!e->on_cv)
            continue;
        if (!strcmp(e->kind, "role")) {
            it = &out->career[out->ncareer++];
        } else {
            size_t home = group_of(e);
            struct develop_cv_group *g = &out->groups[home];
            it = &g->items[g->n++];
            for (size_t k = home + 1; k < develop_skills_count; k++)
                if (develop_tag_has(e->skills, develop_skills[k].code)) {
                    struct develop_cv_ref *r = &out->groups[k].also[out->groups[k].nalso++];
                    r->item = it;
                    r->group = g->name;
                }
        }
        if (make_item(a, e, it))
            return APP_E_NOMEM;
    }
    qsort(out->career, out->ncareer, sizeof *out->career, career_order);
    return APP_OK;
}
