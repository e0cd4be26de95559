/* demo.h: demonstration assessment rounds with synthetic responses for `ahphub demo` */
#ifndef AHP_ASSESS_DEMO_H
#define AHP_ASSESS_DEMO_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* Stores the shipped instruments (assess_version_seed), then creates whichever of these
 * rounds does not exist yet, found by title, all in one transaction:
 *  - "AHP digital capability baseline 2025": closed, national, anonymous, with `responses`
 *    synthetic submitted responses (source 'demo') across the professions, regions, pay
 *    bands and the demo organisations, whose national domain means come out near the
 *    instrument's baselines (digital leadership 28, AI 38, data analytics 50);
 *  - "AHP digital capability pilot 2024": closed, responses / 5 responses, a few points
 *    lower, so change between rounds can be shown;
 *  - "AHP digital capability 2026": open, anonymous, no responses, no closing date;
 *  - "What Good Looks Like self-assessment 2026": open, named, organisational, with about
 *    40 responses from the demo organisations' services through their invitation links.
 * The demo organisations (those of account_demo) are created when missing. Everything is
 * generated from fixed seeds, so two databases get the same answers. Idempotent: a second
 * run changes nothing. Returns 0, APP_E_NOMEM or a database error (nothing stored). */
int assess_demo(struct db *db, size_t responses);

/* A named, open round, "Leadership programme: digital capability check-in 2026" (made when
 * missing), with a submitted response by user_id, so that member's home lists an assessment
 * and its results. Idempotent: *made is 1 only when the response was made now. */
int assess_demo_member(struct db *db, int64_t user_id, const char *profession,
                       const char *region, int *made);

#endif
