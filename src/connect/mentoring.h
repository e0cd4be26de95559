/* mentoring.h: Connect's mentoring and coaching — profiles for connecting, the directory of
 * roles, matching rounds over a cohort, matches, relationships and their meetings
 *
 * Domain code: no HTTP. A profile is opt-in twice over: `matching` puts the member into the
 * rounds run over cohorts they are in, `in_directory` lists their role in the directory that
 * every signed-in member may search. Nothing of a member is shown to others until they say
 * so. People they must not be matched with (a line manager, their own team) are named by the
 * email of an account and kept apart in both directions (conflict.h).
 *
 * A round (round.c) reads the profiles of its cohort's opted-in members, scores every
 * allowed mentee–mentor pair with score.c, keeps the best CONNECT_CANDIDATES per mentee,
 * solves the assignment exactly with match.h and stores the matches with the sentence that
 * explains each. A decline re-solves for everyone left unmatched within the capacity still
 * free, never proposing a declined pair again. Both sides accepting starts a relationship
 * (relationship.c): an agreement both confirm, meetings with hours, a close with feedback.
 *
 * Strings returned are in the caller's arena; functions return 0 or an enum app_err.
 */
#ifndef AHP_CONNECT_MENTORING_H
#define AHP_CONNECT_MENTORING_H

#include "connect/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define CONNECT_CANDIDATES   50   /* candidate pairs kept per mentee before solving */
#define CONNECT_NEXT_BEST    5    /* the next best mentors a mentee may choose from */
#define CONNECT_AREAS_MAX    20   /* areas offered or sought */
#define CONNECT_EXCLUDE_MAX  50   /* people one member must not be matched with */
#define CONNECT_TEXT_MAX     2000 /* agreement goals, feedback */
#define CONNECT_NAME_MAX     120  /* a round's name, an organisation, a frequency */
#define CONNECT_HOURS_MAX    40   /* hours a month one may give */
#define CONNECT_MENTEES_MAX  10   /* mentees one mentor may take */
/* what a number outside those is told */
#define CONNECT_HOURS_RANGE         "Hours a month must be a whole number from 0 to 40"
#define CONNECT_MENTEES_RANGE       "The number of mentees must be a whole number from 0 to 10"
#define CONNECT_MEETING_MIN_MINUTES 15
#define CONNECT_MEETING_MAX_MINUTES (12 * 60)
/* what hours of a meeting outside those are told */
#define CONNECT_MEETING_HOURS_RANGE "Hours must be a number from 0.25 to 12, like 1 or 1.5"

/* An area one may offer or look for: the leadership framework's domains and specialisms. */
struct connect_area {
    const char *code, *name;
};
/* The areas: the domains of the latest "ahp-clinical-leadership" framework (when stored),
 * then the specialisms not already among them (clinical safety, digital, research, quality
 * improvement, education). In the arena. */
int connect_areas(struct db *db, struct arena *a, struct connect_area **out, size_t *n);
/* The area's name, or code itself when unknown (a framework changed since it was chosen). */
const char *connect_area_name(const struct connect_area *areas, size_t n, const char *code);

/* Roles in the directory ("digital-lead" → "Digital lead"), and Agenda for Change bands. */
extern const struct connect_choice connect_roles[];
extern const size_t connect_roles_count;
extern const struct connect_choice connect_bands[]; /* "5".."7", "8a".."8d", "9" */
extern const size_t connect_bands_count;
const char *connect_choice_name(const struct connect_choice *c, size_t n, const char *code);

struct connect_profile {
    int64_t user_id;
    bool exists; /* false: never saved (the fields hold the account's defaults) */
    bool matching, in_directory;
    const char *directory_role; /* code from connect_roles or "" */
    bool offers_mentoring, offers_coaching, coach_accredited;
    const char **offers; /* area codes */
    size_t noffers;
    const char *seeks_kind; /* "", "mentoring" or "coaching" */
    const char **seeks;     /* area codes */
    size_t nseeks;
    const char *profession, *region, *organisation, *band;
    int64_t hours_month, max_mentees;
    const char *preference; /* "other", "any" or "same" */
    bool outside_org;
    const char **excluded; /* emails of accounts not to be matched with, any case */
    size_t nexcluded;
    int64_t updated_at;
    const char *display_name, *email; /* from the account */
};

/* A problem with one field of a profile or form. */

/* The member's profile, or when they have none the account's profession, region and
 * organisation with everything else off (exists false). APP_E_NOTFOUND for no account. */
int connect_profile_get(struct db *db, struct arena *a, int64_t user_id,
                        struct connect_profile *out);
/* Checks p whole and stores nothing. APP_E_INVALID with every problem in *errs (arena,
 * *nerrs of them, at most one a field): an unknown code, an area given twice or not an
 * area, a number out of range, more than the maxima above, mentoring or coaching offered
 * without areas or without a number of mentees, a role in the directory without choosing
 * one, and in excluded (entries as typed, one address each) the entries that are not an
 * email address, else the addresses with no account (each quoted as typed), else one's own. */
int connect_profile_check(struct db *db, struct arena *a, const struct connect_profile *p,
                          struct connect_field_error **errs, size_t *nerrs);
/* Checks p as connect_profile_check() does and saves it with its exclusions in one
 * transaction; APP_E_INVALID with the problems, nothing stored. */
int connect_profile_save(struct db *db, struct arena *a, const struct connect_profile *p,
                         int64_t now, struct connect_field_error **errs, size_t *nerrs);

struct connect_directory_entry {
    int64_t user_id;
    const char *display_name, *email, *role, *profession, *region, *organisation;
};
/* Members listed in the directory, by name; region and role ("" for any) filter. A page at a
 * time; *total counts every match. */
int connect_directory(struct db *db, struct arena *a, const char *region, const char *role,
                      int offset, int limit, struct connect_directory_entry **out, size_t *n,
                      int64_t *total);

/* ---- rounds (round.c) ---- */
struct connect_round {
    int64_t id;
    const char *name;
    int64_t cohort_id; /* 0 when the cohort was deleted */
    const char *cohort_name;
    const char *kind;    /* "mentoring" or "coaching" */
    int min_mentor_band; /* score_band() rank; 0 = any band */
    bool need_accreditation, self_select;
    int64_t created_by, created_at, run_at;
    int64_t total; /* the assignment's total score at the run, thousandths */
    /* counted when read */
    int64_t mentees, mentors, proposed, accepted, declined, unmatched;
};

/* Creates a round (not yet run), audited (connect_round_created). APP_E_INVALID with *errs
 * for a blank or long name, an unknown kind, band or cohort. */
int connect_round_create(struct db *db, struct arena *a, int64_t actor, const struct connect_round *in,
                         int64_t now, int64_t *id, struct connect_field_error **errs,
                         size_t *nerrs);
int connect_round_list(struct db *db, struct arena *a, struct connect_round **out, size_t *n);
int connect_round_get(struct db *db, struct arena *a, int64_t id, struct connect_round *out);
/* Runs a round once: candidates, assignment, matches, reasons, in one transaction, audited
 * (connect_round_run). APP_E_CONFLICT when it has run already; APP_E_INVALID when its
 * cohort is gone. */
int connect_round_run(struct db *db, struct arena *a, int64_t actor, int64_t id, int64_t now);

/* One person in a round as the lead sees them. */
struct connect_round_person {
    int64_t user_id;
    const char *display_name, *email, *side, *profession, *region, *reason;
    int64_t capacity, load; /* mentors: places, and active matches */
};
/* The mentees without an active match (with why), and the mentors (with load). */
int connect_round_unmatched(struct db *db, struct arena *a, int64_t round_id,
                            struct connect_round_person **out, size_t *n);
int connect_round_mentors(struct db *db, struct arena *a, int64_t round_id,
                          struct connect_round_person **out, size_t *n);

/* A share of mentees matched in one group (a profession or a region), published under the
 * disclosure rule (src/text/disclosure.h): the counts as text ("*" for 1..threshold, others
 * rounded to 5), the share in whole percent only when neither the matched nor the unmatched
 * count of the group is a small number (else share_shown is false and why says so). */
struct connect_share {
    const char *code, *name;
    const char *mentees, *matched; /* published text */
    bool share_shown;
    int percent;
};
/* By profession (by_region false) or region; groups with no mentee are left out. */
int connect_round_shares(struct db *db, struct arena *a, int64_t round_id, bool by_region,
                         struct connect_share **out, size_t *n);

/* ---- matches (match_answer.c) ---- */
struct connect_match {
    int64_t id, round_id, mentee_id, mentor_id;
    int64_t score; /* thousandths */
    const char *why, *status, *mentee_answer, *mentor_answer;
    int64_t created_at, decided_at;
    const char *round_name, *kind;
    bool self_select;
    const char *mentee_name, *mentor_name, *mentee_email, *mentor_email;
    const char *mentee_profession, *mentor_profession, *mentee_region, *mentor_region;
    int64_t relationship_id; /* 0 until both accepted */
};
/* A match the user is a party to (any other user: APP_E_NOTFOUND, as for none). */
int connect_match_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                      struct connect_match *out);
/* The member's matches, newest first, replaced ones left out. */
int connect_matches_for(struct db *db, struct arena *a, int64_t user_id,
                        struct connect_match **out, size_t *n);
/* A round's active and declined matches, by mentee name. */
int connect_round_matches(struct db *db, struct arena *a, int64_t round_id,
                          struct connect_match **out, size_t *n);
/* The user's answer to a proposed match. Accepting when the other side has accepted starts
 * the relationship (*relationship_id, else 0). Declining ends the match and re-solves the
 * round for everyone left unmatched (round.c), in the same transaction. APP_E_NOTFOUND
 * when the user is not a party, APP_E_CONFLICT when the match is no longer proposed or
 * the user has answered already. */
int connect_match_answer(struct db *db, struct arena *a, int64_t match_id, int64_t user_id,
                         bool accept, int64_t now, int64_t *relationship_id);

/* A mentor a mentee may choose in a self-select round, with why. */
struct connect_option {
    int64_t mentor_id;
    int64_t score;
    const char *why, *name, *profession, *region;
};
/* The mentee's next best (at most CONNECT_NEXT_BEST) in the round: their candidates with
 * spare capacity, never a declined pair, the current match left out (nextbest.c). */
int connect_round_options(struct db *db, struct arena *a, int64_t round_id, int64_t mentee_id,
                          struct connect_option **out, size_t *n);
/* Self-select: the mentee takes mentor_id from their options instead of the proposed match
 * (which becomes "replaced"); the new match counts as accepted by the mentee. APP_E_FORBIDDEN
 * when the round is not self-select, APP_E_CONFLICT when the mentee has an accepted match,
 * APP_E_INVALID when mentor_id is not among the options. *match_id is the new match. */
int connect_round_choose(struct db *db, struct arena *a, int64_t round_id, int64_t mentee_id,
                         int64_t mentor_id, int64_t now, int64_t *match_id);

/* The self-select rounds (already run) in which user_id is a mentee without an active
 * match, newest first: where they may choose a mentor from their options. */
int connect_rounds_to_choose(struct db *db, struct arena *a, int64_t user_id,
                             struct connect_round **out, size_t *n);

/* Re-solves round_id for its mentees without an active match, within the mentors' spare
 * capacity, never a declined or replaced pair; updates the reasons of those still
 * unmatched. Must run inside the caller's transaction. *made counts new matches. */
int connect_round_rematch(struct db *db, struct arena *a, int64_t round_id, int64_t now,
                          size_t *made);

/* ---- relationships (relationship.c) ---- */
struct connect_relationship {
    int64_t id, match_id, mentee_id, mentor_id;
    const char *kind;
    int64_t started_at;
    const char *goals, *frequency;
    int64_t mentee_confirmed_at, mentor_confirmed_at, closed_at;
    const char *mentee_feedback, *mentor_feedback;
    const char *mentee_name, *mentor_name;
    int64_t minutes, meetings; /* logged so far */
};
struct connect_meeting {
    int64_t id, met_on, minutes;
    const char *logged_by;
};
/* A relationship the user is a party to (APP_E_NOTFOUND otherwise). */
int connect_relationship_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                             struct connect_relationship *out);
int connect_relationships_for(struct db *db, struct arena *a, int64_t user_id,
                              struct connect_relationship **out, size_t *n);
int connect_meetings(struct db *db, struct arena *a, int64_t relationship_id,
                     struct connect_meeting **out, size_t *n);
/* Sets the agreement and confirms it for user_id: a change of goals or frequency takes the
 * other side's confirmation back. APP_E_INVALID (*errs) for empty or long text or without
 * confirming the confidentiality statement; APP_E_CONFLICT once closed. */
int connect_relationship_agree(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                               const char *goals, const char *frequency, bool confidentiality,
                               int64_t now, struct connect_field_error **errs, size_t *nerrs);
/* Logs a meeting on met_on (a day, unix time at 00:00 UTC) of `minutes`. APP_E_INVALID
 * (*errs) for a day in the future or before the relationship began, or minutes outside
 * CONNECT_MEETING_MIN_MINUTES..CONNECT_MEETING_MAX_MINUTES; APP_E_CONFLICT once closed. */
int connect_meeting_log(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                        int64_t met_on, int64_t minutes, int64_t now, int64_t *meeting_id,
                        struct connect_field_error **errs, size_t *nerrs);
/* Closes the relationship with the user's feedback, or adds the other side's feedback after
 * it closed. APP_E_INVALID (*errs) for empty or long feedback, APP_E_CONFLICT when this side
 * has given feedback already. */
int connect_relationship_close(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                               const char *feedback, int64_t now,
                               struct connect_field_error **errs, size_t *nerrs);

/* For Develop's portfolio: a member's mentoring and coaching hours by relationship, on
 * either side, oldest first. */
struct connect_hours {
    int64_t relationship_id;
    const char *kind;    /* "mentoring" or "coaching" */
    const char *role;    /* "mentee" or "mentor": the member's side */
    const char *with;    /* the other person's name */
    int64_t minutes, meetings, first_met, last_met, started_at, closed_at;
};
int connect_mentoring_hours(struct db *db, struct arena *a, int64_t user_id,
                            struct connect_hours **out, size_t *n);

/* For `ahphub demo`: a cohort CONNECT_DEMO_COHORT of the first `people` demonstration members
 * (account_demo_cohort) plus four named members, profiles for all of them (mentors and
 * mentees across professions and regions, some in the directory; sam.okafor, jo.walsh and
 * ravi.patel mentees, hannah.lee their mentor), and a finished round run by `facilitator`
 * with accepted, waiting, declined (and rematched) and unmatched cases: Sam's relationship
 * with Hannah with an agreement and a logged meeting, Jo's match with Hannah answered by
 * neither, Ravi's accepted by him and waiting for Hannah. Does nothing when the round exists
 * (*made false). APP_E_NOTFOUND when the demo accounts are missing. */
#define CONNECT_DEMO_COHORT "Cross-profession mentoring 2026"
#define CONNECT_DEMO_ROUND  "Cross-profession mentoring, spring 2026"
int connect_mentoring_demo(struct db *db, int64_t facilitator, int people, int64_t now,
                           bool *made);
/* The named demo logins above (in that order) who have a proposed match waiting for their own
 * answer now, so `ahphub demo` can say whom to sign in as to try accepting and declining.
 * Emails are static strings; the array is in the arena. */
int connect_mentoring_demo_waiting(struct db *db, struct arena *a, const char ***emails, size_t *n);

#endif
