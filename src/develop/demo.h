/* demo.h: demonstration self-assessments for `ahphub demo` */
#ifndef AHP_DEVELOP_DEMO_H
#define AHP_DEVELOP_DEMO_H

#include <stdint.h>

struct db;

/* Stores the shipped frameworks (develop_version_seed), then gives user_id two submitted
 * self-assessments against the AHP clinical leadership framework, about 150 and 30 days
 * before now, the second a little higher in most areas, so "My development" shows a history
 * and a comparison. The ratings follow a fixed pattern, so two databases get the same. All
 * in one transaction. Idempotent: a member who has any self-assessment is left alone
 * (*made 0). Returns 0, APP_E_NOMEM or a database error (nothing stored). */
int develop_demo(struct db *db, int64_t user_id, int64_t now, int *made);

/* For the programme lead's gap view: a submitted self-assessment (with its domain means) for
 * every member of the cohort, deterministic, in one transaction (demo_plan.c). Idempotent: a
 * cohort where any member has a self-assessment is left alone (*made 0); otherwise *made is
 * the number made. */
int develop_demo_cohort(struct db *db, int64_t cohort_id, int64_t now, int *made);
/* A development plan for user_id from their recommendations (call it after their
 * self-assessments and Assess result exist): two goals, the top three recommended activities
 * (the first done with a reflection, the second in progress) and one of their own.
 * Idempotent: a member with any goal or plan activity is left alone (*made 0). */
int develop_demo_plan(struct db *db, int64_t user_id, int64_t now, int *made);

#endif
