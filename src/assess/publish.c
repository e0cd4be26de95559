/* publish.c: when a round's figures may be shown, and to whom — the disclosure rule held
 * against someone who can add responses
 *
 * The attack. An anonymous round takes any number of responses, with any profession, from
 * anyone: a browser with no cookie is a new respondent, and nothing may tie a response to a
 * network address (DESIGN.md §5), so nobody can tell a padded response from a genuine one.
 * When the figures followed every submission, an attacker could add responses of known value
 * one at a time and watch a group: it appears at 8, so the hidden count is 8 − own and the
 * hidden sum is the mean × 8 − own sum. One real orthoptist's domain scores came back within
 * a few points, from the benchmark page and from the attacker's own result page ("your
 * profession's average"). The threshold counts responses, not people, so any figure that
 * moves with each response can be steered past it. Watching a live figure is enough even
 * without padding: the change between two successive states is the new response.
 *
 * The options weighed.
 *  - Limits per network client (as Listen's) bound how many responses one address adds, but
 *    a trust's staff share one address and answer over days, so the limit must allow
 *    hundreds: far more than the 7 padded responses the attack needs. Not a defence.
 *  - Counting only responses not from the reader's network client would need a keyed hash
 *    of the client stored with each anonymous response: a link to a network address, which
 *    §5 forbids. Rejected.
 *  - Snapshots refreshed after every N new responses still let the attacker supply the N,
 *    and rounded means or counts still move step by step. They slow the attack, no more.
 *  - Publishing an open round's group figures nowhere, and its whole-round figures too (the
 *    national mean is the same attack on a small round, and the rounded count of responses,
 *    probed one submission at a time, reveals the exact total at the moment it steps).
 * The last is the one that removes the arithmetic: the attacker needs at least two
 * published states with a known difference between them, or one state with an exactly
 * known count. So, as for 360° feedback (§5), a round's figures are published once, when it
 * has closed and takes no more answers; its closing time cannot then move (assess_round_update:
 * a reopened round would give the second state); and the published counts are rounded to 5, so even
 * an attacker who knows how many responses they added cannot tell how many others there are: padded
 * to 12 in a group of 13, the group shows 15, consistent with 1 to 5 others.
 *
 * Medians and quartiles are another matter: a nearest-rank median is one respondent's own
 * score, so an attacker who pads a group with as many 0% responses as 100% ones puts a real
 * respondent at the median and reads their score exactly, closed round or not, whatever the
 * count. No threshold on a count of responses can help when the attacker supplies the count.
 * Members therefore get means and counts only (assess_benchmark_for_members); a mean mixes
 * the attacker's known values with the others', so it gives them a sum, not a score. The
 * means are whole percentages everywhere members read them, downloads included (which gave
 * 0.1 before): the sum an attacker works out is then uncertain by half the group's size.
 *
 * Who still sees an open round, its medians and quartiles and its means to 0.1: those who
 * run rounds (facilitators and admins). They can already read every response (the responses
 * CSV) and add responses by import, so the live figures tell them nothing they could not
 * compute; the manage page shows them the counts.
 *
 * What remains. The single published state is computed with the attacker's responses in it.
 * An attacker who knows from elsewhere exactly how many genuine respondents a group has
 * (say, the only orthoptist in a trust) and pads that group learns their mean up to the
 * rounding of the published mean multiplied by the group's size (±4 points for a group of
 * 8). Closing first denies the attacker the count; it cannot deny outside knowledge. A
 * facilitator who suspects padding can read the responses CSV before closing.
 */
#include "assess/publish.h"

bool assess_figures_published(const struct assess_round *r, int64_t now, bool manages)
{
    return manages || assess_round_state(r, now) == ARS_CLOSED;
}
