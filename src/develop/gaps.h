/* gaps.h: a programme lead's view of where a cohort or an organisation is weakest — each
 * leadership domain's mean over the group's self-assessments, under the disclosure rule
 * (domain code; no HTTP)
 *
 * Who counts: each member of the group with a submitted self-assessment on the framework's
 * current version, through their latest such one. A member whose submitted
 * self-assessments are all on older versions is not counted (an older version rated other
 * statements, perhaps on another scale, so its means cannot be averaged with the current
 * one's); how many such members there are is given beside the table, so the lead can ask
 * them to take it again. Drafts never count.
 *
 * What is shown (DESIGN.md §5, the rule Assess uses, text/disclosure.h): per domain, the
 * number of members with a result in it and the mean of their domain means (1…points, to one
 * decimal, and as a percentage of the range in steps of 5: coarse on purpose, see
 * gap_release.h). A mean over 1…threshold members is suppressed, and its count shown as "*";
 * counts are rounded to the nearest 5. The order is weakest first among the domains with a
 * figure, by the mean as shown (ties in the framework's order), then the domains without one
 * in the framework's order: placing a hidden mean by its value would reveal it.
 *
 * Differencing: two views a few people apart would give those people's ratings away, so
 * a view is shown only as gap_release.h allows; otherwise the group's latest view that was
 * allowed is shown again, dated (shown, held_at).
 *
 * Speed: each submitted self-assessment keeps its domain means (migration 0026), so the view
 * reads one short row per member through one index and adds up in memory.
 */
#ifndef AHP_DEVELOP_GAPS_H
#define AHP_DEVELOP_GAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/develop.h"
#include "text/disclosure.h"

struct arena;
struct db;

enum develop_group_kind { DGK_COHORT, DGK_ORGANISATION };

struct develop_gap_domain {
    const char *id, *title;
    size_t position;                /* in the framework version, from 0 */
    struct disclosure_cell people;  /* members with a result in this domain */
    struct disclosure_stat mean;    /* 1…points, rounded to one decimal */
    struct disclosure_stat percent; /* 0–100 of the scale's range, a multiple of 5 */
};

/* Which figures a view shows (gap_release.h: the rule against differencing two views). */
enum develop_gaps_shown {
    DGS_NOW,     /* the group's members as they are now */
    DGS_HELD,    /* the group's latest view that could be shown, as of held_at: now its
                    people differ from a view already shown by too few to show both */
    DGS_WITHHELD /* no figures: the same, and the group has no earlier view to show */
};

struct develop_group_gaps {
    struct develop_framework fw; /* the current version */
    enum develop_gaps_shown shown;
    int64_t held_at;                    /* DGS_HELD: when those figures were first shown */
    struct disclosure_cell counted;     /* members counted (in the figures shown) */
    struct disclosure_cell older;       /* members with only older versions' self-assessments */
    struct develop_gap_domain *domains; /* fw.ndomains, weakest first (see above); with
                                           DGS_WITHHELD every figure hidden, framework order */
    size_t ndomains;
};

/* The gaps of the group (a cohort's or an organisation's id) on the current version of the
 * framework code, everything in the arena. opts: the disclosure rule (NULL: the default, as
 * Assess's pages use). Computes and keeps the domain means of submitted self-assessments that
 * have none yet, and keeps the view as a release when it is shown for the first time
 * (gap_release_decide). Returns 0, APP_E_NOTFOUND (no such framework), APP_E_NOMEM or a
 * database error. */
int develop_group_gaps(struct db *db, struct arena *a, const char *framework_code,
                       enum develop_group_kind kind, int64_t group_id,
                       const struct disclosure_opts *opts, struct develop_group_gaps *out);

/* The stored form of a self-assessment's domain means (migration 0026): per domain of fw,
 * the mean × 1000 rounded, or '-' when nothing was rated, separated by commas (arena). */
const char *develop_means_text(struct arena *a, const struct develop_framework *fw,
                               const struct develop_answer *answers);
/* Keeps the domain means of submitted self-assessment id (answers against fw). A
 * self-assessment not submitted is left alone. */
int develop_means_store(struct db *db, struct arena *a, const struct develop_framework *fw,
                        const struct develop_answer *answers, int64_t id);

#endif
