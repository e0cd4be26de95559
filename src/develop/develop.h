/* develop.h: leadership frameworks and the scoring of a self-assessment against one (domain
 * code; no HTTP, no database)
 *
 * A framework is data (data/frameworks/ (JSON files), or imported by admins): a code, a
 * title, a description and the licence or attribution its wording comes with; domains, each
 * with first-person behaviours ("I explain how my service fits into the wider health and
 * care system"); one response scale; and, when the framework asks for it, an importance
 * rating per behaviour ("How important is this in your role?").
 *
 * The scale is of one of two kinds, and both are scored the same way, by position:
 *   levels     2–10 levels, each with a descriptor ("Starting … Leading others"); a rating is
 *              the level's position, 1 for the first;
 *   frequency  2–10 points ("Never … Always"), descriptors optional, and optionally a
 *              "no chance" answer ("I have not had the chance to show this") that counts as
 *              MISSING, never as zero: it says nothing about how someone leads.
 * A domain's result is the mean of its rated behaviours on 1…n, and that mean as a
 * percentage of the range ((mean − 1) / (n − 1) × 100), with how many were rated. A domain
 * with nothing rated has no result at all (scored = false), not 0.
 *
 * A stored framework version is immutable (develop/self.h): a self-assessment keeps the
 * version it was started with, and its ratings are read against that version only, by
 * behaviour id.
 */
#ifndef AHP_DEVELOP_H
#define AHP_DEVELOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct arena;

#define DEVELOP_MAX_DOMAINS    20
#define DEVELOP_MAX_BEHAVIOURS 40 /* per domain */
#define DEVELOP_MAX_POINTS     10
#define DEVELOP_NOTE_MAX       1000 /* characters of an evidence note */

/* A rating: the scale point's position 1…n, or one of these. */
#define DEVELOP_NOT_RATED 0
#define DEVELOP_NO_CHANCE (-1)

enum develop_scale_kind { DSK_LEVELS, DSK_FREQUENCY };

struct develop_point {
    const char *label;
    const char *description; /* "" when none (frequency points only) */
};

struct develop_scale {
    enum develop_scale_kind kind;
    struct develop_point *points;
    size_t npoints;        /* 2…DEVELOP_MAX_POINTS */
    const char *no_chance; /* label of the "no chance" answer; "" when the scale has none */
};

struct develop_importance {
    bool enabled;
    const char *question; /* "How important is this in your role?" */
    const char **points;  /* labels, least important first */
    size_t npoints;       /* 2…DEVELOP_MAX_POINTS when enabled, else 0 */
};

struct develop_behaviour {
    const char *id;        /* stable across versions: [a-z0-9-], unique in the framework */
    const char *statement; /* first person */
};

struct develop_domain {
    const char *id, *title, *description;
    struct develop_behaviour *behaviours;
    size_t nbehaviours;
    size_t first; /* position of its first behaviour among all the framework's */
};

struct develop_framework {
    int64_t id;       /* database id of this version; 0 when not stored */
    const char *code; /* stable across versions: [a-z0-9-] */
    int version;
    const char *title, *description, *licence;
    struct develop_scale scale;
    struct develop_importance importance;
    struct develop_domain *domains;
    size_t ndomains;
    size_t nbehaviours; /* all domains' */
};

/* One behaviour's answer in a self-assessment. */
struct develop_answer {
    int rating;       /* 1…npoints, DEVELOP_NOT_RATED or DEVELOP_NO_CHANCE */
    int importance;   /* 1…importance.npoints, 0 when not given */
    const char *note; /* evidence, "" when none; at most DEVELOP_NOTE_MAX characters */
};

/* ---- frameworks (framework.c) ---- */
const char *develop_scale_kind_name(enum develop_scale_kind k); /* "levels", "frequency" */

/* Reads a framework from its JSON form (docs/develop-frameworks.md) and checks it. Everything
 * lives in the arena. On APP_E_INVALID, *why (when not NULL) is one sentence that starts with
 * the place, as a path into the document counted from 0 ("domains[2].behaviours[4]: the
 * statement is empty"), allocated in the arena. "id" and "version" in the JSON are ignored:
 * they belong to the database. */
int develop_framework_parse(struct arena *a, const char *json, size_t len,
                            struct develop_framework *out, const char **why);
/* The JSON form of a framework (a new reference; NULL when out of memory). Parsing it gives
 * an equal framework. */
json_t *develop_framework_json(const struct develop_framework *fw);
/* The behaviour with this id and its position among all behaviours (NULL when none). */
const struct develop_behaviour *develop_behaviour_find(const struct develop_framework *fw,
                                                       const char *id, size_t *pos);
/* Checks one answer against the framework: NULL when it may be stored, else a sentence for
 * the person answering (a static string). */
const char *develop_answer_check(const struct develop_framework *fw,
                                 const struct develop_answer *ans);

/* ---- scoring (scoring.c) ---- */
struct develop_result {
    bool scored;    /* false when no behaviour in the domain was rated */
    int answered;   /* behaviours rated on the scale */
    int no_chance;  /* behaviours answered "no chance" (missing, like unrated ones) */
    int behaviours; /* behaviours in the domain */
    double mean;    /* 1…npoints; 0 when not scored */
    double percent; /* 0–100 of the scale's range; 0 when not scored */
};
/* Scores one self-assessment. answers: fw->nbehaviours answers in framework order (NULL
 * counts as nothing rated); out: caller memory for fw->ndomains results. A rating outside
 * the scale counts as not rated. Pure; APP_E_INVALID only for NULL arguments. */
int develop_score(const struct develop_framework *fw, const struct develop_answer *answers,
                  struct develop_result *out);

#endif
