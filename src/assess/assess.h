/* assess.h: digital maturity and capability assessments — instruments, scoring, rounds,
 * responses and benchmarks (domain code; no HTTP)
 *
 * An instrument is data (data/instruments/ (JSON files), or edited by admins): domains, each with
 * items. Every item kind is reduced to one shape, a list of options each with a score on
 * 0–100, so scoring never needs to know the kind:
 *   agree     5 options, Strongly disagree … Strongly agree, scores 0 25 50 75 100
 *   maturity  5 levels with a descriptor each, scores 0 25 50 75 100
 *   yesno     No 0, Yes 100
 *   bands     percentage bands given by the instrument, each with its score
 *   choice    options given by the instrument, each with its score
 * An answer is the index of the chosen option. A response's answers are one string with
 * one character per item, in instrument order: '0'…'9' then 'a'…'z' for option 0…35, '-'
 * for unanswered. It is bound to the instrument version it answered (instruments are
 * versioned; a new version never changes an old one), so the position of an item is fixed.
 * Scores are computed from these raw answers whenever a result is shown, never stored.
 *
 * Scoring methods (per instrument, documented on its page):
 *   percent  (a) answers mapped to 0–100, weighted mean per domain over answered items, then
 *            the weighted mean of the domains (the first national NHS digital maturity
 *            assessment's convention);
 *   mean5    (b) answers mapped to 1–5 (1 + 4 × score / 100), weighted mean per domain, and
 *            overall the weighted mean over all answered items (the 2023 national
 *            assessment reports means on 1–5); the percentage shown is (mean − 1) / 4 × 100;
 *   levels   (c) every item belongs to a level 1–5 and is met when its score ≥ its met_at
 *            (default 75: "agree", level 4, "yes"); a domain reaches level L when, for every
 *            level ≤ L that has items, at least level_share (1.0 = all, 0.7 = 70%) of its
 *            answered items are met and at least one is answered; the domain's percentage is
 *            L / 5 × 100; overall is the weighted mean of the domains' percentages.
 * Unanswered items are left out of every mean and share. A domain with no answered items
 * has no score (scored = false) and is left out of the overall figure.
 */
#ifndef AHP_ASSESS_H
#define AHP_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct arena;
struct db;

#define ASSESS_MAX_OPTIONS 36 /* one answer character: '0'…'9', 'a'…'z' */
#define ASSESS_MAX_ITEMS   400
#define ASSESS_MAX_DOMAINS 40
#define ASSESS_LEVELS      5
#define ASSESS_UNANSWERED  '-'

enum assess_kind { AK_AGREE, AK_MATURITY, AK_YESNO, AK_BANDS, AK_CHOICE };
enum assess_method { AM_PERCENT, AM_MEAN5, AM_LEVELS };

struct assess_option {
    const char *label;
    double score; /* 0–100 */
};

struct assess_item {
    const char *id;   /* stable across versions: [a-z0-9-], ≤ 40 characters */
    const char *text; /* the question or statement */
    const char *help; /* optional hint, "" when none */
    enum assess_kind kind;
    double weight; /* > 0; default 1 */
    int level;     /* 1–5 under the levels method, 0 otherwise */
    double met_at; /* levels method: met when the answer's score ≥ met_at; default 75 */
    struct assess_option *options;
    size_t noptions; /* 2…ASSESS_MAX_OPTIONS */
};

struct assess_domain {
    const char *id, *title, *description;
    double weight; /* > 0; default 1 */
    bool has_baseline;
    double baseline; /* national baseline, percent */
    struct assess_item *items;
    size_t nitems;
    size_t first; /* position of its first item in the answer string */
};

struct assess_band {
    double from; /* lowest percentage in the band; the first band starts at 0 */
    const char *name;
    const char *description;
};

struct assess_instrument {
    int64_t id;       /* database id of this version; 0 when not stored */
    const char *code; /* stable across versions: [a-z0-9-] */
    int version;      /* 1, 2, … */
    const char *title, *description;
    const char *audience; /* "individual", "team" or "organisation" */
    enum assess_method method;
    double level_share;          /* levels method: share of a level's items to meet, (0, 1] */
    const char *baseline_source; /* citation for the domains' baselines, "" when none */
    struct assess_band *bands;
    size_t nbands;
    struct assess_domain *domains;
    size_t ndomains;
    size_t nitems; /* all items; the length of an answer string */
};

/* ---- instruments (instrument.c) ---- */
const char *assess_method_name(enum assess_method m); /* "percent", "mean5", "levels" */
int assess_method_parse(const char *s, enum assess_method *out);
const char *assess_kind_name(enum assess_kind k); /* "agree", "maturity", … */
/* A plain-English sentence on how the method scores, for the instrument's page. */
const char *assess_method_explain(enum assess_method m);

/* Reads an instrument from its JSON form (the format of data/instruments/ (JSON files), described
 * in docs/assess-instruments.md) and checks it. Everything lives in the arena. On APP_E_INVALID,
 * *why (when not NULL) is a sentence naming what is wrong ("domain 2, item 3: a maturity item needs
 * 5 level descriptors"), allocated in the arena. id and version in the JSON are ignored: they
 * belong to the database. */
int assess_instrument_parse(struct arena *a, const char *json, size_t len,
                            struct assess_instrument *out, const char **why);
/* The JSON form of an instrument (a new reference; NULL when out of memory). Parsing the
 * result gives an equal instrument. */
json_t *assess_instrument_json(const struct assess_instrument *ins);

/* The option chosen for item `pos` (its position in the answer string), or -1. */
int assess_answer_at(const char *answers, size_t len, size_t pos);
/* The character that stores option index i (0…35). */
char assess_answer_char(int i);
/* A new answer string of ins->nitems '-' in the arena (NULL when out of memory). */
char *assess_answers_blank(struct arena *a, const struct assess_instrument *ins);
/* Checks an answer string against the instrument: right length, every answer a valid option
 * or '-'. */
bool assess_answers_valid(const struct assess_instrument *ins, const char *answers);

/* ---- scoring (scoring.c) ---- */
struct assess_score {
    bool scored;    /* false when nothing in it was answered */
    double percent; /* 0–100 */
    double mean5;   /* 1–5 (mean5 method; otherwise 1 + 4 × percent / 100) */
    int level;      /* 0–5 (levels method; otherwise 0) */
    int answered;   /* items answered */
};
/* Scores one response. domains: caller memory for ins->ndomains scores. answers may be
 * shorter than nitems (the rest counts as unanswered). Pure; cannot fail but for NULL
 * arguments (APP_E_INVALID). */
int assess_score(const struct assess_instrument *ins, const char *answers, size_t len,
                 struct assess_score *domains, struct assess_score *overall);
/* The named band for a percentage (NULL when the instrument has no bands). */
const struct assess_band *assess_band_for(const struct assess_instrument *ins, double percent);

#endif
