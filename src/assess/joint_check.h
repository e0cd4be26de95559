/* joint_check.h: the counts of respondents and the domains' counts of answerers, checked as
 * one system (private to benchmark.c, which says what the audits before it guarantee)
 *
 * The counts are audited on everyone and each domain's ns on those who answered it, each
 * exactly; but a group's count less its n is its non-answerers, so the two together are
 * more equations than either. Where a whole profession skips a domain, a region's count
 * less its n is that profession's cell in the region, which the counts' audit may have
 * hidden; and where two professions skip two different domains, a third profession's cell is
 * a region's two ns less its count. This check finds such a figure and names one more n to
 * hide.
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

/* One column some respondents were not scored in: who was, and what its audit hid (each
 * array with ngroups[d] + 1 entries, the cells' with (professions + 1) × (regions + 1)). */
struct joint_col {
    const unsigned char *scored; /* n: scored in the column */
    const bool *dim[AD_NDIMS];   /* hidden ns */
    const bool *cell;
    bool total;
};

/* The round: its respondents' groups, what the counts' audit hid, and the columns to check
 * together (at most 64; columns scored by the same respondents given once). Every array is
 * the caller's. */
struct joint_in {
    size_t n;
    size_t ngroups[AD_NDIMS];
    const uint32_t *grp[AD_NDIMS];   /* n each: each respondent's group, ngroups[d] if none */
    const bool *count_dim[AD_NDIMS]; /* hidden counts */
    const bool *count_cell;
    bool count_total;
    size_t ncols;
    const struct joint_col *cols;
};

/* Checks every hidden count and every hidden n of the columns: is it a linear combination
 * of every shown count and every shown n at once, to an attacker who knows which (profession,
 * region, organisation, band, columns scored) combinations someone is in, when the shown
 * counts alone do not give it? (Those the counts alone give tell nothing the counts do not: a
 * group everyone in which answered has n = count, which no hiding of ns can hide.) When one
 * is, *more is set and *col, *d, *g name the n to hide as well (of the fewest smallest shown
 * ns whose hiding together leaves it undetermined, the largest); the caller audits that
 * column again with it hidden and checks again. Returns 0, APP_E_INVALID (more than 64
 * columns), APP_E_NOMEM, APP_E_TOOBIG (the elimination keeping more than 2^23 entries; with
 * many columns the caller may check them one at a time) or APP_E_INTERNAL (determined with no n
 * shown, which cannot be). */
int assess_joint_check(const struct joint_in *in, bool *more, size_t *col, int *d, uint32_t *g);

#endif
