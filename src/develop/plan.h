/* plan.h: a member's development plan — goals linked to framework domains, and the
 * activities that serve them, from the shared catalogue or the member's own (domain code; no
 * HTTP)
 *
 * A goal says what the member wants to grow in ("Lead my team's move to the new record"),
 * linked to one domain of a framework (its stable code and domain id), with an optional
 * target date. A plan activity is a catalogue activity (its title, kind and provider are the
 * catalogue's, so a curator's correction shows in every plan) or one the member describes
 * (a title and a kind); it may serve a goal, has a status (not started, in progress, done,
 * dropped), an optional target date, and, once done, a reflection: what they did and what
 * they learnt. A reflection is required to mark an activity done (that is what a plan is
 * for), and is kept when the status later changes back.
 *
 * Everything is read and written with its owner: another member's goal or activity is not
 * found (APP_E_NOTFOUND), so pages answer 404 exactly as for an id that does not exist.
 * A catalogue activity is in a plan once: adding it again finds the one there
 * (*existed). An activity added from a recommendation keeps the explanation of why, as it
 * read that day.
 *
 * Every way in (a form, a JSON body) gives the same text fields, checked by one function
 * per kind of row, so both give the same row and the same messages.
 */
#ifndef AHP_DEVELOP_PLAN_H
#define AHP_DEVELOP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "develop/catalogue.h"

struct arena;
struct db;

#define DEVELOP_GOAL_TITLE_MAX  200  /* characters */
#define DEVELOP_PLAN_TITLE_MAX  150  /* a member's own activity */
#define DEVELOP_REFLECTION_MAX  5000 /* characters */
#define DEVELOP_PLAN_REASON_MAX 2000 /* the stored explanation of a recommendation */

/* Statuses, in the order a plan moves through them: codes and names. */
extern const struct develop_choice develop_plan_statuses[];
extern const size_t develop_plan_statuses_count;
#define DEVELOP_STATUS_NOT_STARTED "not-started"
#define DEVELOP_STATUS_DONE        "done"
#define DEVELOP_STATUS_DROPPED     "dropped"

struct develop_goal {
    int64_t id, user_id;
    const char *title;
    const char *framework_code, *domain; /* the domain it is linked to */
    int64_t target_at;                   /* 00:00 UTC of the day; 0 for none */
    int64_t created_at, updated_at;
};

struct develop_plan_item {
    int64_t id, user_id;
    int64_t goal_id;          /* 0: serves no goal in particular */
    int64_t activity_id;      /* 0: the member's own */
    const char *title, *kind; /* the catalogue's when activity_id, else the member's */
    const char *provider;     /* the catalogue's; "" for the member's own */
    bool retired;             /* the catalogue has retired the activity since */
    const char *status;       /* a code of develop_plan_statuses */
    int64_t target_at;        /* 0 for none */
    const char *reflection;   /* "" until written */
    const char *reason;       /* why it was recommended, "" when added otherwise */
    int64_t done_at;          /* when it was last marked done; 0 when never */
    int64_t created_at, updated_at;
};

/* A goal as typed (any field may be NULL, as empty). domain is "code:domain-id"; the target
 * date is as the NHS.UK date input read it (web/date_input.h, which says what is wrong with
 * one): 00:00 UTC of the day, 0 for none. */
struct develop_goal_input {
    const char *title, *domain;
    int64_t target_at;
};

/* A plan activity as typed. For a new one, activity is a catalogue id (then title and kind
 * are not read) or empty (then title and kind are the member's). goal is a goal id or empty;
 * status a code or name (default "not started" for a new one). */
struct develop_item_input {
    const char *activity, *title, *kind, *goal, *status, *reflection;
    int64_t target_at; /* as for a goal */
};

/* ---- checks (plan.c) ---- */
/* Checks a goal against the frameworks' latest domains (sources: only framework sources are
 * read) and fills out's title, domain and target (arena). Returns 0, APP_E_INVALID with
 * every problem in *errs (fields "title", "domain"), or APP_E_NOMEM. */
int develop_goal_check(struct arena *a, const struct develop_area_sources *sources,
                       const struct develop_goal_input *in, struct develop_goal *out,
                       struct develop_field_error **errs, size_t *nerrs);
/* Checks an activity as typed. old is the stored one when changing it (NULL for a new one;
 * a catalogue activity's title and kind cannot be changed, and an own one's may be), goals
 * the member's goals (a goal named must be one of them). The catalogue id, when given, is
 * only checked to be a number here (*activity_id); the caller finds it. Fills out (arena).
 * Returns 0, APP_E_INVALID with *errs (fields "activity", "title", "kind", "goal",
 * "status", "reflection") or APP_E_NOMEM. */
int develop_item_check(struct arena *a, const struct develop_plan_item *old,
                       const struct develop_goal *goals, size_t ngoals,
                       const struct develop_item_input *in, struct develop_plan_item *out,
                       struct develop_field_error **errs, size_t *nerrs);
/* The name of a status code, or NULL. */
const char *develop_plan_status_name(const char *code);

/* How far a plan has got: activities per status (dropped ones are not counted in total). */
struct develop_plan_progress {
    int not_started, in_progress, done, dropped;
    int total;   /* not dropped */
    int percent; /* done of total, rounded down; 0 when total is 0 */
};
void develop_plan_progress(const struct develop_plan_item *items, size_t n,
                           struct develop_plan_progress *out);

/* ---- reading and writing (plan.c) ---- */
/* The member's goals, oldest first, and activities, by goal then oldest first (arena). */
int develop_goal_list(struct db *db, struct arena *a, int64_t user_id, struct develop_goal **out,
                      size_t *n);
int develop_item_list(struct db *db, struct arena *a, int64_t user_id,
                      struct develop_plan_item **out, size_t *n);
/* One of the member's goals or activities (APP_E_NOTFOUND otherwise). */
int develop_goal_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                     struct develop_goal *out);
int develop_item_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                     struct develop_plan_item *out);
/* Stores a checked goal for g->user_id; *id is the new row. */
int develop_goal_create(struct db *db, const struct develop_goal *g, int64_t now, int64_t *id);
/* Replaces the title, domain and target of the member's goal g->id (APP_E_NOTFOUND). */
int develop_goal_update(struct db *db, const struct develop_goal *g, int64_t now);
/* Deletes the member's goal; its activities stay in the plan, serving no goal. One
 * transaction (APP_E_NOTFOUND). */
int develop_goal_delete(struct db *db, int64_t id, int64_t user_id);
/* Adds a checked activity to it->user_id's plan. A catalogue activity must exist and be
 * active (APP_E_NOTFOUND otherwise); when it is in the plan already, *existed is set, *id is
 * that one's and nothing changes. */
int develop_item_add(struct db *db, const struct develop_plan_item *it, int64_t now, int64_t *id,
                     bool *existed);
/* Replaces the goal, status, target, reflection (and an own activity's title and kind) of
 * the member's activity it->id (APP_E_NOTFOUND). done_at is set when the status becomes
 * done. */
int develop_item_update(struct db *db, const struct develop_plan_item *it, int64_t now);
/* Takes an activity out of the member's plan (APP_E_NOTFOUND). */
int develop_item_delete(struct db *db, int64_t id, int64_t user_id);

#endif
