/* set.h: action learning sets as the service keeps them — a split of a cohort into sets,
 * each set's members, facilitator, meeting schedule and record of meetings held
 *
 * Domain code: no HTTP. A programme lead (facilitator or admin) splits a cohort (sets.h
 * makes the split), looks at the balance, moves people by hand within the rules, and
 * publishes; only then do members see their set, and only while they are in the cohort; a
 * member may leave their set. A split keeps its own copy of who is in it
 * and of the keep-apart pairs it was made with, so a later change to the cohort changes no
 * set, and a hand move is checked against the same pairs.
 *
 * Keep-apart pairs come from any source as user-id pairs (struct connect_pair): the lead's
 * pasted pairs of email addresses (connect_split_parse_pairs) and, merged with them, pairs
 * another part of Connect knows (mentoring profiles' "must not be matched with"). Pairs
 * naming someone outside the cohort are dropped, repeats count once.
 *
 * A set's record of meetings holds dates and themes only: what is said in a set stays
 * there. A theme is short, and personal data in it (addresses, phone numbers…) is redacted
 * before it is stored.
 *
 * Strings returned live in the arena given; "" when not set.
 */
#ifndef AHP_CONNECT_SET_H
#define AHP_CONNECT_SET_H

#include "connect/conflict.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define SET_TITLE_MAX 120
#define SET_THEME_MAX 120
#define SET_APART_MAX 2000 /* pasted pairs in one split */
#define SET_SEED_RANGE "The seed must be a whole number, 0 or more" /* what others are told */
/* The field the error is for, and what to say: filled by the calls that can refuse input. */
struct set_why {
    const char *field;
    const char *message;
};

/* Two accounts who must not share a set: struct connect_pair of conflict.h. */

struct set_person {
    int64_t user_id;
    const char *email, *display_name;
    const char *profession, *region; /* codes, "" when not given */
    int64_t organisation_id;         /* 0 when none */
    const char *organisation;
    bool in_cohort; /* still in the split's cohort (or the cohort was deleted): members of the
                     * set see only those who are, and only they count in its balance */
};

/* The mix of one set (or of a whole split), over the people in it now (in_cohort). */
struct set_balance {
    int professions, organisations, regions; /* distinct values given */
    int unknown_profession, unknown_organisation;
    int64_t pairs, clashes;
    int permille; /* sets.h's diversity score */
};

struct set_split {
    int64_t id;
    int64_t cohort_id; /* 0 when the cohort has since been deleted */
    const char *title, *cohort_name;
    int target;
    int64_t seed;
    int score, random_score; /* permille now (the people in its sets now: kept true by every
                              * change), and of a random split of the people it was made of */
    int64_t published_at;    /* 0 while a draft */
    int64_t created_by, created_at, updated_at;
    int64_t sets, people, apart; /* people: in its sets now (as score counts them) */
};

struct set_meeting {
    int64_t id;
    int64_t meets_on; /* 00:00 UTC of the day */
    bool held;
    const char *theme;
    int64_t recorded_by, recorded_at;
};

struct set_group {
    int64_t id, split_id;
    int number;             /* 1… within its split */
    int64_t facilitator_id; /* 0 when none */
    const char *facilitator_name, *facilitator_email;
    struct set_person *members;
    size_t nmembers;
    struct set_balance balance;
};

/* ---- splitting ---- */

/* Reads pasted pairs: one pair a line, two email addresses separated by a comma, semicolon,
 * spaces or "and"; blank lines skipped; addresses matched, ignoring case, to the n people.
 * Appends the pairs to *out (arena, *n_out entries). APP_E_INVALID with why (field
 * "apart") naming the first line that is not a pair or names someone outside the cohort;
 * more than SET_APART_MAX pairs is refused too. */
int connect_split_parse_pairs(struct arena *a, const char *text, const struct set_person *people,
                              size_t n, struct connect_pair **out, size_t *n_out,
                              struct set_why *why);

/* Splits cohort_id's members into sets of about target (sets.h) with seed, keeping apart
 * the pairs given (any source, merged: see above), and stores the split as a draft, in one
 * transaction; *id is the new split. title "" becomes "<cohort> sets". APP_E_NOTFOUND for an
 * unknown cohort; APP_E_INVALID with why for a title too long, a target outside 5–8, a
 * cohort fewer than 5 or that cannot be split into sets of 5 to 8 (9 people), or more than
 * SETS_PEOPLE_MAX; APP_E_CONFLICT with why when the keep-apart pairs cannot all be kept. */
int connect_split_create(struct db *db, struct arena *a, int64_t actor, int64_t cohort_id,
                         const char *title, int target, int64_t seed,
                         const struct connect_pair *apart, size_t napart, int64_t *id,
                         struct set_why *why);

/* Every split, newest first (leads). */
int connect_split_list(struct db *db, struct arena *a, struct set_split **out, size_t *n);
/* One split; APP_E_NOTFOUND. */
int connect_split_get(struct db *db, struct arena *a, int64_t id, struct set_split *out);
/* The sets of a split by number, offset/limit a page of them, each with members (by name)
 * and balance; *total counts the sets. */
int connect_split_sets(struct db *db, struct arena *a, int64_t split_id, int offset, int limit,
                       struct set_group **out, size_t *n, int64_t *total);
/* The mix over the whole split, now: the people in its sets who are still in its cohort
 * (everyone in its copy once the cohort is deleted), as the split's stored score is. A set's
 * balance counts the same people. */
int connect_split_balance(struct db *db, struct arena *a, int64_t split_id,
                          struct set_balance *out);

/* Moves the member with email to set number `to` of the split, audited (set_member_moved),
 * the split's score updated, in one transaction. APP_E_NOTFOUND for an unknown split;
 * APP_E_INVALID with why (field "email" or "to") for someone not in the split or no longer
 * in its cohort, a set that does not exist or is theirs, or sizes leaving 5–8 (counting the
 * people still in the cohort, as the score does); APP_E_CONFLICT with why when the set holds
 * someone they are kept apart from. */
int connect_split_move(struct db *db, struct arena *a, int64_t actor, int64_t split_id,
                       const char *email, int to, struct set_why *why);
/* Publishes the split (members see their sets), audited (sets_published). APP_E_NOTFOUND;
 * publishing twice is APP_OK and audits once. */
int connect_split_publish(struct db *db, struct arena *a, int64_t actor, int64_t split_id);
/* Deletes a draft split, audited (sets_deleted); APP_E_NOTFOUND; APP_E_FORBIDDEN once
 * published (members rely on it). */
int connect_split_delete(struct db *db, struct arena *a, int64_t actor, int64_t split_id);

/* ---- one set ---- */

/* Set `number` of split_id with members and balance; APP_E_NOTFOUND. */
int connect_set_get(struct db *db, struct arena *a, int64_t split_id, int number,
                    struct set_group *out);
/* Whether user_id is a member of set_id: in it, and still in the cohort the split was made
 * from (unless that cohort has been deleted). Someone a lead takes out of the cohort loses
 * their set's pages. */
int connect_set_is_member(struct db *db, int64_t set_id, int64_t user_id, bool *out);
/* The sets of published splits user_id is in or facilitates, newest split first, with
 * members; *splits parallel (the split each belongs to). */
int connect_set_list_for(struct db *db, struct arena *a, int64_t user_id, struct set_group **out,
                         struct set_split **splits, size_t *n);
/* user_id leaves set_id: out of its members (as a hand move or a deleted account takes
 * someone out; the meetings recorded stay the set's), recorded for the facilitator and leads
 * (connect_set_leavers) and audited (set_member_left), in one transaction. The set may fall
 * below 5: nobody is kept in a set against their will. APP_E_NOTFOUND when they are not (or
 * no longer) a member. */
int connect_set_leave(struct db *db, struct arena *a, int64_t set_id, int64_t user_id, int64_t now);
/* Takes user_id out of every set (their account is being deleted), storing each split's mix
 * score for the people left, inside the caller's transaction (set_rights.c). */
int connect_sets_erase_member(struct db *db, int64_t user_id);
/* connect_sets_cohort_changed(), which keeps the scores of the splits made from a cohort true
 * when its membership changes, is declared with the cohort (account/cohort.h). */
struct set_leaver {
    const char *name;
    int64_t left_at;
};
/* Who left set_id and when, earliest first. */
int connect_set_leavers(struct db *db, struct arena *a, int64_t set_id, struct set_leaver **out,
                        size_t *n);
/* Makes the account with email the set's facilitator ("" takes the facilitator away).
 * APP_E_INVALID with why (field "email") when no active account has it. */
int connect_set_facilitator(struct db *db, struct arena *a, int64_t actor, int64_t set_id,
                            const char *email, struct set_why *why);

/* The set's meetings by date. */
int connect_set_meetings(struct db *db, struct arena *a, int64_t set_id, struct set_meeting **out,
                         size_t *n);
/* The message for a meeting on the day meets_on (its 00:00 UTC) saved at now as held or
 * not, or NULL when the date will do: a meeting held must be today or in the past; one to
 * come may be planned. Static. */
const char *connect_set_meeting_when(int64_t meets_on, bool held, int64_t now);
/* Puts a meeting on the schedule (held false) or records one held (with its theme), for the
 * day meets_on, at now; a date already listed is updated (a planned meeting becomes held).
 * The theme is trimmed, redacted, at most SET_THEME_MAX characters (APP_E_INVALID with why,
 * field "theme"); a held meeting needs one, and a date connect_set_meeting_when() takes
 * (else APP_E_INVALID with why, field "date"). */
int connect_set_meeting_save(struct db *db, struct arena *a, int64_t actor, int64_t set_id,
                             int64_t meets_on, bool held, const char *theme, int64_t now,
                             struct set_why *why);
/* Takes a meeting off the set's list; APP_E_NOTFOUND when it is not the set's. */
int connect_set_meeting_delete(struct db *db, int64_t set_id, int64_t meeting_id);

/* ---- demonstration ---- */

/* The demonstration programme whose cohort (the first SETS_DEMO_SIZE demo members) is split. */
#define SETS_DEMO_COHORT "AHP action learning programme 2026"
#define SETS_DEMO_SIZE   120

/* For `ahphub demo`: splits the cohort named cohort_name into published sets of six (seed
 * 2026) with lead as the programme lead, a facilitator for each set (the set's first member,
 * or facilitator_id for the set of featured_id), four fortnightly meetings from 3 weeks ago
 * of which the first two are recorded as held with themes; featured_id is added to the
 * cohort first so they have a set. Idempotent by the split's title (*made 0 when it
 * exists). */
int connect_sets_demo(struct db *db, const char *cohort_name, int64_t lead, int64_t featured_id,
                      int64_t facilitator_id, int64_t now, int *made);

#endif
