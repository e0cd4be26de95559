/* joint_check.h: the counts of respondents and one domain's counts of answerers, checked as
 * one system (private to benchmark.c, which says what the audits before it guarantee)
 *
 * The counts are audited on everyone and each domain's ns on those who answered it, each
 * exactly; but a group's count less its n is its non-answerers, so the two together are
 * more equations than either. Where a whole profession skips a domain, a region's count
 * less its n is that profession's cell in the region, which the counts' audit may have
 * hidden. This check finds such a figure and names one more n of the domain to hide.
 */
#ifndef AHP_ASSESS_JOINT_CHECK_H
#define AHP_ASSESS_JOINT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "assess/benchmark.h"

/* A figure of the benchmark: group g of dimension d (d < AD_NDIMS, g == ngroups[d] for not
 * stated), a profession × region cell (d == JOINT_CELL, g = profession × (regions + 1) +
 * region) or the national figure (d == JOINT_TOTAL). */
#define JOINT_CELL  AD_NDIMS
#define JOINT_TOTAL (AD_NDIMS + 1)

/* One column's situation. Every array is the caller's. Hidden means not published: the
 * counts' audit's outcome (count_*) and the column's own audit's (col_*), each array with
 * ngroups[d] + 1 entries, the cells' with (professions + 1) × (regions + 1). */
struct joint_in {
    size_t n;
    size_t ngroups[AD_NDIMS];
    const uint32_t *grp[AD_NDIMS];   /* n each: each respondent's group, ngroups[d] if none */
    const unsigned char *scored;     /* n: answered the column */
    const bool *count_dim[AD_NDIMS]; /* hidden counts */
    const bool *count_cell;
    bool count_total;
    const bool *col_dim[AD_NDIMS]; /* hidden ns of the column */
    const bool *col_cell;
    bool col_total;
};

/* Checks every hidden count and every hidden n of the column: is it a linear combination of
 * every shown count and every shown n at once, to an attacker who knows which (profession,
 * region, organisation, band, answered or not) combinations someone is in, when the shown
 * counts alone do not give it? (Those the counts alone give tell nothing the counts do not:
 * a group everyone in which answered has n = count, which no hiding of ns can hide.) When one
 * is, *more is set and *d, *g name the n to hide as well (the smallest shown n whose hiding
 * leaves it undetermined, or failing that the smallest); the caller audits the column again
 * with it hidden and checks again. Returns 0, APP_E_NOMEM, APP_E_TOOBIG (the system beyond
 * 2^23 entries, as benchmark.c's final check) or APP_E_INTERNAL (determined with no n shown,
 * which cannot be). */
int assess_joint_check(const struct joint_in *in, bool *more, int *d, uint32_t *g);

#endif
