/* rights.h: a member's data rights under UK GDPR — a copy of everything held about them
 * (the right of access) and the deletion of their account (the right to erasure)
 *
 * Domain code: no HTTP here. Every module that keeps a table naming a user contributes one
 * part, two functions listed once in rights.c's parts[]: one adds that module's data to the
 * member's copy, the other removes the member from that module's tables. A module that adds
 * such a table (a user_id, created_by, …_by column, or text holding an email) must cover it
 * in its part; tests/http/rights_test.c reads the whole schema after a deletion and fails on
 * any row still naming the deleted member, so a table nobody covers is found.
 *
 * What erasure keeps: records other people rely on (an exercise, a round, an audit event, an
 * assessment response counted in published benchmarks) stay, without the link to the member
 * and without their name or email in any text. What it never touches: anonymous Listen
 * contributions and votes and anonymous assessment answers, which nothing links to an
 * account (DESIGN.md §5), so nobody can find them for a person.
 */
#ifndef AHP_ACCOUNT_RIGHTS_H
#define AHP_ACCOUNT_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct account_policy;
struct arena;
struct db;
struct login_throttle;

/* Who is being exported or erased: their id, and the email and name their own text may hold
 * (to scrub from free text that names them). */
struct rights_person {
    int64_t id;
    const char *email;
    const char *display_name;
};

/* One module's share. export adds the module's keys to doc (an object it does not own),
 * with strings the member may read: other people appear only as "another user", never by
 * name or email. erase runs inside the deletion's transaction (the caller begins, commits
 * and rolls back) and leaves no row of the module that names the member. Both return 0 or
 * an app_err; a failed erase aborts the whole deletion. */
struct rights_part {
    const char *name;
    int (*export)(struct db *db, struct arena *a, const struct rights_person *p, json_t *doc);
    int (*erase)(struct db *db, const struct rights_person *p);
};

/* The parts, one per module, in the order the copy shows them (rights.c). */
extern const struct rights_part rights_parts[];
extern const size_t rights_parts_count;

/* The member's copy of their data as one JSON object (a new reference in *out), with what it
 * leaves out and why. now dates the copy. APP_E_NOTFOUND when the user does not exist. */
int rights_export(struct db *db, struct arena *a, int64_t user_id, int64_t now, json_t **out);

/* What the copy leaves out and why, as sentences (a new array; NULL when out of memory).
 * The copy and the page that offers it both show it. */
json_t *rights_not_included(void);

/* *out: whether user_id is an admin and no other admin exists, so deleting the account would
 * leave nobody to administer the service. */
int rights_last_admin(struct db *db, int64_t user_id, bool *out);

/* Deletes the member's account after checking their password (throttled for the client like
 * a login: account/throttle.c), in one transaction: every part's erase, then the user row.
 * APP_E_UNAUTH for a wrong password, APP_E_LIMIT while throttled, APP_E_FORBIDDEN when they
 * are the last admin (someone else must be made an admin first), APP_E_DB when the write
 * failed (nothing was deleted). */
int rights_erase(struct db *db, const struct account_policy *pol, struct login_throttle *t,
                 const unsigned char client[16], int64_t user_id, const char *password,
                 size_t pwlen);

/* The parts (each in its module's rights.c). */
int account_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                          json_t *doc);
int account_rights_erase(struct db *db, const struct rights_person *p);
int listen_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                         json_t *doc);
int listen_rights_erase(struct db *db, const struct rights_person *p);
int assess_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                         json_t *doc);
int assess_rights_erase(struct db *db, const struct rights_person *p);
int develop_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                          json_t *doc);
int develop_rights_erase(struct db *db, const struct rights_person *p);
int develop_plan_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                               json_t *doc);
int develop_plan_rights_erase(struct db *db, const struct rights_person *p);
int mail_rights_export(struct db *db, struct arena *a, const struct rights_person *p, json_t *doc);
int mail_rights_erase(struct db *db, const struct rights_person *p);
/* Connect: mentoring and coaching (connect/mentoring_rights.c) */
int connect_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                          json_t *doc);
int connect_rights_erase(struct db *db, const struct rights_person *p);
/* ---- Connect: interest groups (connect/group_rights.c) ---- */
int connect_groups_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                                 json_t *doc);
int connect_groups_rights_erase(struct db *db, const struct rights_person *p);
/* ---- Connect: action learning sets (connect/set_rights.c) ---- */
int connect_sets_rights_export(struct db *db, struct arena *a, const struct rights_person *p,
                               json_t *doc);
int connect_sets_rights_erase(struct db *db, const struct rights_person *p);

/* Helpers the parts share (rights.c). rights_rows() runs sql with the member's id as $1 and
 * appends one object per row to the array doc[key] (made when absent): column i is named
 * names[i] (n names), and read as a number when kinds[i] is 'i', as text when 't', as a
 * boolean when 'b', as an id that may be absent when 'n' (null for NULL or 0, as the JSON
 * API writes "no goal"), as a day when 'd' (a unix time written "2025-03-01", "" for 0,
 * as the JSON API writes a date it takes), and as a list when 'l' (text of codes separated
 * by commas, "leadership,teaching", written ["leadership", "teaching"], [] for ""). */
int rights_rows(struct db *db, const char *sql, int64_t user_id, json_t *doc, const char *key,
                const char *const *names, const char *kinds, size_t n);

#endif
