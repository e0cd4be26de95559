/* gap_release.h: which gap views may be shown — the rule against reading one member's
 * ratings from the difference of two views (domain code; no HTTP)
 *
 * The gap view (gaps.h) shows, per leadership area, the mean of a group's self-assessments,
 * hiding any figure over 7 people or fewer. That holds within one view but not across two: a
 * lead makes cohorts and chooses their members, so the views of a cohort of 8 and, after
 * adding one member, of 9 give that member's ratings to within the rounding (a review found
 * ±0.09 on the 1–4 scale with means shown to 2 decimals). The same works with two cohorts a
 * member apart, or an organisation before and after someone joins.
 *
 * The rule: a view is a set of self-assessments. Every set whose figures have been shown is
 * kept (a "release", migration 0037) with the figures' sums. A new set may be shown when,
 * against every release of the same framework version and in every area where both show a
 * figure, it differs by no self-assessment at all or by more than 2 × threshold of them (14
 * with the default threshold of 7). Self-assessments are counted rather than people so that a
 * release holds no member ids; a member who took the self-assessment again differs by two
 * (the old one out, the new one in), so 2 × threshold self-assessments is never fewer than
 * threshold people, and the difference of two shown views always spans more than threshold
 * people. A self-assessment is named by its id and the time it was submitted, as SQLite may
 * give a deleted row's id to a newcomer's. When the rule refuses, the group's own latest
 * release is shown again, with the sums it was shown with (recounting its self-assessments
 * would leave out any deleted since, which is the very set refused), saying when it was
 * made; a group with no release of its own is shown without figures until it can be.
 *
 * What it does not stop: sums of several views, each pair far enough apart (the views of
 * M+Y+x, M, M′+Y and M′ give x with groups of 8, 8, 23 and 24 people). So the figures are
 * coarse too (gaps.c): means to one decimal, percentages of the scale in steps of 5 (0.15 of
 * the 1–4 scale), so each view's mean is within ±0.05. Over those four views the error of x
 * is up to ±3.15 and typically ±1.0 (each view's rounding error uniform, independent): a
 * lead would need about a hundred such quadruples, each of fresh members, to bring it under
 * one step of the scale. Two views a member apart, were they allowed, would give ±0.85.
 * Also left: whether a view is new, held or withheld says whether the members counted
 * changed, so adding someone to a cohort already shown tells whether they have taken the
 * self-assessment (not what they answered). Cohorts are made by facilitators, whose every
 * change is audited.
 */
#ifndef AHP_DEVELOP_GAP_RELEASE_H
#define AHP_DEVELOP_GAP_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/develop.h"
#include "develop/gaps.h"

struct arena;
struct buf;
struct db;

/* One self-assessment counted in a view. Its id and the time it was submitted together name
 * it: SQLite may give a deleted row's id to the next one, and a newcomer's self-assessment
 * must never pass for the one a release counted. */
struct gap_item {
    int64_t id;   /* the self-assessment */
    int64_t at;   /* when it was submitted */
    uint32_t has; /* bit d: it has a result in area d */
};

/* What a view's figures are made from: per area, the sum of the counted means in thousandths
 * (as self-assessments keep them) and how many have a result there. A release keeps them, so
 * a view held at it shows exactly the figures shown then, whatever has been deleted since. */
struct gap_sums {
    int64_t total[DEVELOP_MAX_DOMAINS];
    uint64_t people[DEVELOP_MAX_DOMAINS];
};

_Static_assert(DEVELOP_MAX_DOMAINS <= 32, "gap_item.has holds a bit per area");

/* Sorts items by id, then time (ascending), the order every function below expects. */
void gap_items_sort(struct gap_item *items, size_t n);

/* The stored form of sorted items: "id:at:has,id:at:has" (appended to out). */
void gap_items_text(const struct gap_item *items, size_t n, struct buf *out);

/* Parses gap_items_text's form into the arena; false when s is not that form (not in
 * ascending order included). "" is no items. */
bool gap_items_parse(struct arena *a, const char *s, struct gap_item **out, size_t *n);

/* The stored form of sums over nd areas ("total:people,…"), and back; false when s does not
 * hold nd of them. */
void gap_sums_text(const struct gap_sums *sums, size_t nd, struct buf *out);
bool gap_sums_parse(const char *s, size_t nd, struct gap_sums *sums);

/* counts[d] = how many items have a result in area d, for d < nd. */
void gap_items_counts(const struct gap_item *items, size_t n, size_t nd, uint64_t *counts);

/* The stored form of counts ("12,9,0"), and back; false when s does not hold nd counts. */
void gap_counts_text(const uint64_t *counts, size_t nd, struct buf *out);
bool gap_counts_parse(const char *s, size_t nd, uint64_t *counts);

/* True when the two sets' figures could not both be shown: in some area d < nd where both
 * have more than threshold items with a result, they differ by 1 to 2 × threshold items with
 * a result in d. With counts alone (a_items or b_items NULL) it answers whether they might:
 * false means certainly not, as the counts already differ by more. */
bool gap_release_conflict(const struct gap_item *a_items, size_t na, const uint64_t *a_counts,
                          const struct gap_item *b_items, size_t nb, const uint64_t *b_counts,
                          size_t nd, uint32_t threshold);

/* ---- the releases kept (gap_release_db.c, migration 0037) ---- */

enum gap_release_answer {
    GAP_SHOW_NOW,  /* the set was shown before, or may be and now has been: show it */
    GAP_SHOW_HELD, /* show the group's latest release instead: items, released_at */
    GAP_WITHHELD   /* show no figure: the group has no release of its own yet */
};

struct gap_release_decision {
    enum gap_release_answer answer;
    int64_t released_at;  /* GAP_SHOW_HELD: when that release was made */
    struct gap_sums sums; /* GAP_SHOW_HELD: the figures' sums it was shown with */
    size_t nitems;        /* GAP_SHOW_HELD: the self-assessments it counted */
};

/* Decides whether the group's set of self-assessments (items, sorted by gap_items_sort;
 * sums, the figures' sums over them) on framework version framework_id, of nd areas, may be
 * shown under threshold, and keeps it as a release when it is new and may be. One
 * transaction, serialised against every other decision on either engine, so two views
 * decided at once are held to the rule between them too. Returns 0, APP_E_NOMEM or a
 * database error (nothing kept). */
int gap_release_decide(struct db *db, struct arena *a, int64_t framework_id,
                       enum develop_group_kind kind, int64_t group_id, const struct gap_item *items,
                       size_t n, const struct gap_sums *sums, size_t nd, uint32_t threshold,
                       int64_t now, struct gap_release_decision *out);

#endif
