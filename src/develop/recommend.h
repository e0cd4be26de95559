/* recommend.h: development activities recommended from a member's measured gaps, ranked and
 * explained in plain words (pure domain code: no SQL, no HTTP)
 *
 * The input is what has been measured about one member, from three sources, each optional:
 *
 *  self      their latest submitted self-assessment, per domain of its framework. A domain
 *            is a gap when its mean is below the member's own average over their rated
 *            domains (their lower areas, whatever their overall level): the gap is
 *            (average − domain mean) / (points − 1) × 100.
 *  feedback  a closed 360° request: per domain, the member's own mean and the mean of the
 *            others who answered. A domain is a gap when others rated it at least
 *            DEVELOP_REC_MIN_FEEDBACK below the member's own rating (a blind spot): the gap
 *            is (own − others) / (points − 1) × 100.
 *  assess    their Assess results per instrument domain, with the national baseline where
 *            the instrument gives one. A domain is a gap when the result is below the
 *            baseline: the gap is baseline − result, in percentage points.
 *
 * Every gap is thus "points below, on a 0–100 range", so the three sources add up and
 * compare. An activity of the catalogue scores the sum of the gaps of the areas it develops
 * (framework domains match self and feedback gaps of the same framework code, Assess
 * domains match Assess gaps of the same instrument code; each gap counts once per
 * activity). An activity that meets no gap is not recommended.
 *
 * Ranking, fully ordered so the same input always gives the same list:
 *   1. the higher score;
 *   2. then the larger single gap it meets;
 *   3. then more gaps met;
 *   4. then the title, in byte order;
 *   5. then the lower activity id.
 * Each recommendation names the gaps it meets, largest first, each with a sentence:
 *   feedback  "Others rated ‘Vision and direction’ 1.1 below your own rating (2.4 against
 *             your 3.5)."
 *   self      "You rated ‘Digital leadership’ 1.5 out of 4, below your average of 2.6
 *             across your areas."
 *   assess    "Your ‘Digital leadership’ result was 22%, national baseline 28%."
 * Feedback's means have one decimal, percentages none; the gap's own value is not rounded. A
 * self-assessment's mean and average are written as its results page writes means (two
 * decimals, trailing zeros dropped: "2.17", "2.4"), with a third decimal where two would
 * read the same, so an area is never "2.4, below your average of 2.4".
 *
 * A mentoring or coaching activity is where Connect can match a person (its profile and
 * rounds); the recommendation keeps the activity (with its kind) so a page can say so.
 */
#ifndef AHP_DEVELOP_RECOMMEND_H
#define AHP_DEVELOP_RECOMMEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/catalogue.h"

struct arena;

/* Others must rate a domain this much (on the scale) below the member's own rating for it to
 * count: smaller differences are within what two people reading a statement differ by. */
#define DEVELOP_REC_MIN_FEEDBACK 0.3

/* One domain of the latest self-assessment. */
struct develop_rec_self {
    const char *domain, *title; /* the domain's id and title in that framework version */
    bool scored;                /* false: nothing rated in it (not a gap, not in the average) */
    double mean;                /* 1…points */
};

/* One domain of a closed 360 (develop_feedback_domain_gaps() gives these). */
struct develop_rec_feedback {
    const char *domain; /* the domain's id */
    const char *title;  /* NULL: taken from the self-assessment's domain of that id, else the id */
    double self_mean, others_mean; /* 1…points */
};

/* One domain of a member's Assess result. */
struct develop_rec_assess {
    const char *code;   /* the instrument's code */
    const char *domain; /* the domain's id */
    const char *title;
    double percent; /* the member's result, 0–100 */
    bool has_baseline;
    double baseline; /* the national baseline, 0–100 */
};

struct develop_rec_input {
    const char *framework_code; /* the framework the self and feedback domains belong to */
    int points;                 /* its scale's points (≥ 2) */
    const struct develop_rec_self *self;
    size_t nself;
    const struct develop_rec_feedback *feedback; /* NULL and 0 when there is no closed 360 */
    size_t nfeedback;
    const struct develop_rec_assess *assess;
    size_t nassess;
    const struct develop_activity *activities; /* the catalogue's active activities */
    size_t nactivities;
};

enum develop_gap_source { DGS_SELF, DGS_FEEDBACK, DGS_ASSESS };

/* One measured gap. */
struct develop_gap {
    enum develop_gap_source source;
    const char *code;   /* framework code (self, feedback) or instrument code (assess) */
    const char *domain; /* the domain's id */
    const char *title;
    double points;    /* how far below, 0–100 (> 0) */
    const char *text; /* the sentence that explains it */
};

/* One recommended activity. */
struct develop_recommendation {
    const struct develop_activity *activity; /* points into the input */
    double score;                            /* the sum of its gaps' points */
    const struct develop_gap **gaps;         /* the gaps it meets, largest first */
    size_t ngaps;
};

/* The name of a source: "self-assessment", "360 feedback", "assessment". */
const char *develop_gap_source_name(enum develop_gap_source s);

/* Finds the member's gaps (*gaps, largest first, ties by source then title) and the
 * activities that meet them, ranked as above (*recs). Everything is allocated in the arena;
 * the recommendations point into the input's activities, which must outlive them. Returns 0,
 * APP_E_INVALID (NULL arguments, or points < 2 with self or feedback domains given) or
 * APP_E_NOMEM. */
int develop_recommend(struct arena *a, const struct develop_rec_input *in,
                      struct develop_gap **gaps, size_t *ngaps,
                      struct develop_recommendation **recs, size_t *nrecs);

#endif
