/* cohort.h: cohorts — the named groups of members a programme lead works with
 *
 * Domain code: no HTTP. A leadership programme's gap view (Develop), a mentoring matching
 * round and a split into action learning sets (Connect) each run over one cohort, so the
 * cohort lives with the accounts, not in either module. Facilitators and admins make and
 * change cohorts; a member may see which cohorts they are in (their data).
 *
 * A cohort's name is required, at most COHORT_NAME_MAX bytes, and differs from every other
 * cohort's ignoring case (the unique index of migration 0023 decides when two leads race).
 * Members are added by the email of an existing account: an address with no account is
 * reported back, never invited silently, so the lead decides whether to invite.
 */
#ifndef AHP_ACCOUNT_COHORT_H
#define AHP_ACCOUNT_COHORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define COHORT_NAME_MAX        120
#define COHORT_DESCRIPTION_MAX 2000
/* Addresses taken in one request: a programme of a few thousand fits in two pastes. */
#define COHORT_ADD_MAX 5000

struct cohort {
    int64_t id;
    const char *name;
    const char *description;
    int64_t members;
    int64_t created_by; /* 0 when that account has gone */
    int64_t created_at, updated_at;
};

/* A member as a programme lead's lists show them (strings in the arena, "" when not given). */
struct cohort_member {
    int64_t user_id;
    const char *email, *display_name;
    const char *profession, *region; /* codes from professions[] and regions[] */
    int64_t organisation_id;         /* 0 when none */
    const char *organisation;
    int64_t added_at;
};

/* What adding a list of addresses did. */
struct cohort_added {
    int64_t added;        /* accounts now in the cohort that were not before */
    int64_t already;      /* accounts that were in it already */
    const char **unknown; /* addresses with no account (or deactivated), as given */
    size_t n_unknown;
    const char **invalid; /* entries that are not email addresses */
    size_t n_invalid;
};

/* Every cohort by name, members counted. */
int account_cohort_list(struct db *db, struct arena *a, struct cohort **out, size_t *n);
/* The cohorts user_id is in, by name, members counted. */
int account_cohort_list_for(struct db *db, struct arena *a, int64_t user_id, struct cohort **out,
                            size_t *n);
/* One cohort, members counted. APP_E_NOTFOUND when absent. */
int account_cohort_get(struct db *db, struct arena *a, int64_t id, struct cohort *out);

/* Creates a cohort, audited (cohort_created) as actor. APP_E_INVALID for a blank or too long
 * name or too long description, APP_E_CONFLICT when another cohort has the name. */
int account_cohort_create(struct db *db, int64_t actor, const char *name, const char *description,
                          int64_t *id);
/* Renames or re-describes a cohort, audited (cohort_changed) when anything changed; errors as
 * for create, APP_E_NOTFOUND when absent. */
int account_cohort_update(struct db *db, int64_t actor, int64_t id, const char *name,
                          const char *description);
/* Deletes a cohort and its membership, audited (cohort_deleted). Work that ran over it keeps
 * its own copy of who took part (a matching round names its people). APP_E_NOTFOUND. */
int account_cohort_delete(struct db *db, int64_t actor, int64_t id);

/* The members, by name then id, a page at a time; *total counts them all. */
int account_cohort_members(struct db *db, struct arena *a, int64_t cohort_id, int offset, int limit,
                           struct cohort_member **out, size_t *n, int64_t *total);
/* Every member's user id, ascending: what a matching round or a split reads. */
int account_cohort_member_ids(struct db *db, struct arena *a, int64_t cohort_id, int64_t **out,
                              size_t *n);

/* Adds the accounts whose addresses text lists (separated by commas, semicolons, spaces or
 * new lines; case ignored), in one transaction, audited once (cohort_members_added) with
 * the count. Addresses are reported in *out, not refused: the call fails only for an
 * unknown cohort (APP_E_NOTFOUND), more than COHORT_ADD_MAX entries (APP_E_INVALID, nothing
 * added) or the database. */
int account_cohort_add_emails(struct db *db, struct arena *a, int64_t actor, int64_t cohort_id,
                              const char *text, struct cohort_added *out);
/* Adds one account, in a transaction of its own; APP_E_NOTFOUND for an unknown cohort or
 * user; adding twice is APP_OK. */
int account_cohort_add(struct db *db, int64_t cohort_id, int64_t user_id);
/* Takes one member out, audited (cohort_member_removed). APP_E_NOTFOUND when not a member. */
int account_cohort_remove(struct db *db, int64_t actor, int64_t cohort_id, int64_t user_id);

/* Work over a cohort that stores a figure of who is in it keeps that figure true inside the
 * transaction of every change of the cohort's membership: cohort.c calls it after adding or
 * taking out members (gone false) and before deleting the cohort (gone true: the work then
 * lets go of the cohort, as the deletion would). Connect's action learning sets store each
 * split's mix score over the people still in its cohort (connect/set_db.c). */
int connect_sets_cohort_changed(struct db *db, int64_t cohort_id, bool gone);

/* For `ahphub demo`: the cohort name with n demonstration members (accounts without a
 * password, first.last.NNNN@demo.ahphub.test, spread over professions, regions and the demo
 * organisations, deterministic), made in one transaction when it does not exist; *id is the
 * cohort's either way and *made says whether this call made it. The i-th demo member is the
 * same account in every demo cohort, so a smaller cohort holds the first n of a larger one.
 * APP_E_NOTFOUND when account_demo() has not made the demo organisations. */
#define DEMO_COHORT_NAME "AHP leadership programme 2026"
#define DEMO_COHORT_SIZE 3000
int account_demo_cohort(struct db *db, const char *name, int n, int64_t *id, int *made);

#endif
