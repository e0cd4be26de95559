/* reference.c: the professions and regions every module classifies people by
 *
 * The 14 allied health professions as NHS England lists them, and NHS England's 7 regions.
 * Codes are stored; names are shown. Codes never change once data uses them.
 */
#include "account/account.h"
#include "core/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const struct ref_item professions[] = {
    {"art-therapist", "Art therapist"},
    {"drama-therapist", "Drama therapist"},
    {"music-therapist", "Music therapist"},
    {"podiatrist", "Chiropodist or podiatrist"},
    {"dietitian", "Dietitian"},
    {"occupational-therapist", "Occupational therapist"},
    {"odp", "Operating department practitioner"},
    {"orthoptist", "Orthoptist"},
    {"osteopath", "Osteopath"},
    {"paramedic", "Paramedic"},
    {"physiotherapist", "Physiotherapist"},
    {"prosthetist-orthotist", "Prosthetist or orthotist"},
    {"radiographer", "Radiographer (diagnostic or therapeutic)"},
    {"speech-language-therapist", "Speech and language therapist"},
    {"other", "Other profession"},
};
const size_t professions_count = sizeof professions / sizeof professions[0];

const struct ref_item regions[] = {
    {"east-of-england", "East of England"},
    {"london", "London"},
    {"midlands", "Midlands"},
    {"north-east-yorkshire", "North East and Yorkshire"},
    {"north-west", "North West"},
    {"south-east", "South East"},
    {"south-west", "South West"},
};
const size_t regions_count = sizeof regions / sizeof regions[0];

const char *ref_name(const struct ref_item *items, size_t n, const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(items[i].code, code))
            return items[i].name;
    return NULL;
}

const char *role_name(enum role r)
{
    switch (r) {
    case ROLE_ADMIN:
        return "admin";
    case ROLE_FACILITATOR:
        return "facilitator";
    case ROLE_MEMBER:
        return "member";
    default:
        return "none";
    }
}

enum role role_parse(const char *s)
{
    if (!s)
        return ROLE_NONE;
    if (!strcmp(s, "admin"))
        return ROLE_ADMIN;
    if (!strcmp(s, "facilitator"))
        return ROLE_FACILITATOR;
    if (!strcmp(s, "member"))
        return ROLE_MEMBER;
    return ROLE_NONE;
}

/* The lists pages offer as select options. */
static const struct ref_item role_items[] = {
    {"member", "Member"},
    {"facilitator", "Facilitator"},
    {"admin", "Admin"},
};
static const struct ref_item role_filter_items[] = {
    {"", "All roles"},
    {"member", "Members"},
    {"facilitator", "Facilitators"},
    {"admin", "Admins"},
};

static const struct {
    const struct ref_item *items;
    const size_t *n;
} kinds[] = {
    [REF_PROFESSIONS] = {professions, &professions_count},
    [REF_REGIONS] = {regions, &regions_count},
    [REF_ROLES] = {role_items, &(const size_t){sizeof role_items / sizeof role_items[0]}},
    [REF_ROLE_FILTER] = {role_filter_items,
                         &(const size_t){sizeof role_filter_items / sizeof role_filter_items[0]}},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
_Static_assert(NKINDS == REF_KINDS, "REF_KINDS counts the kinds");

/* One option. The sets are built once at start (below), so how is of no concern. */
static json_t *option(const struct ref_item *item, bool selected)
{
    return json_pack("{s:s, s:s, s:b}", "value", item->code, "text", item->name, "selected",
                     selected);
}

static json_t *build_options(const struct ref_item *items, size_t n, size_t selected)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, option(&items[i], i == selected))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* The index of selected among the kind's items, or n (none selected). */
static size_t selection(enum ref_kind kind, const char *selected)
{
    const struct ref_item *items = kinds[kind].items;
    size_t n = *kinds[kind].n;
    for (size_t i = 0; selected && i < n; i++)
        if (!strcmp(items[i].code, selected))
            return i;
    return n;
}

json_t *ref_options_build(enum ref_kind kind, const char *selected)
{
    return build_options(kinds[kind].items, *kinds[kind].n, selection(kind, selected));
}

/* Every kind's options for every possible selection (n + 1 arrays for n items), built once
 * by ref_option_sets_new() and never changed afterwards, so threads share them without a
 * lock (jansson's reference counts are atomic). */
struct ref_option_sets {
    json_t **sets[NKINDS];
};

int ref_option_sets_new(struct ref_option_sets **out)
{
    struct ref_option_sets *os = calloc(1, sizeof *os);
    int rc = APP_E_NOMEM;
    *out = NULL;
    if (!os)
        return APP_E_NOMEM;
    for (size_t k = 0; k < NKINDS; k++) {
        size_t n = *kinds[k].n;
        if (!(os->sets[k] = calloc(n + 1, sizeof *os->sets[k])))
            goto done;
        for (size_t i = 0; i <= n; i++)
            if (!(os->sets[k][i] = build_options(kinds[k].items, n, i)))
                goto done;
    }
    *out = os;
    os = NULL;
    rc = APP_OK;
done:
    ref_option_sets_free(os);
    return rc;
}

void ref_option_sets_free(struct ref_option_sets *os)
{
    if (!os)
        return;
    for (size_t k = 0; k < NKINDS; k++) {
        for (size_t i = 0; os->sets[k] && i <= *kinds[k].n; i++)
            json_decref(os->sets[k][i]);
        free(os->sets[k]);
    }
    free(os);
}

json_t *ref_options(const struct ref_option_sets *os, enum ref_kind kind, const char *selected)
{
    return json_incref(os->sets[kind][selection(kind, selected)]);
}
