/* reference.c: the professions and regions every module classifies people by
 *
 * The 14 allied health professions as NHS England lists them, and NHS England's 7 regions.
 * Codes are stored; names are shown. Codes never change once data uses them.
 */
#include "account/account.h"

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
