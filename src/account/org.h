/* org.h: organisations (NHS trusts, boards and the like) — naming them, finding them, merging
 * two that are the same, and the details a member's forms start with
 *
 * Domain code: no HTTP. Members, Assess rounds, invitation links and responses name an
 * organisation by id; merging moves every one of those references to the organisation kept,
 * in one transaction, and removes the other (org.c lists the references). An organisation may
 * carry its NHS Organisation Data Service (ODS) code, such as RJ1 or RJ121: upper-case
 * letters and digits, 3 to 10 characters, different for every organisation that has one.
 */
#ifndef AHP_ACCOUNT_ORG_H
#define AHP_ACCOUNT_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

struct org {
    int64_t id;
    const char *name;
    const char *ods_code; /* "" when none */
    const char *region;   /* code from regions[] or "" */
    int64_t members;      /* accounts that name it; -1 where the query did not count them */
    int64_t created_at, updated_at;
};

/* What an admin gives for an organisation: name (required), ODS code and region (NULL or ""
 * for none). The ODS code is taken in any case and stored upper-case. */
struct org_input {
    const char *name, *ods_code, *region;
};

/* What a merge moves from one organisation to the other. */
struct org_merge {
    struct org from, into;
    int64_t members;     /* accounts */
    int64_t rounds;      /* Assess rounds run for the organisation */
    int64_t invitations; /* Assess invitation links made for it */
    /* of those, links for a round that already had one for `into`: a round has one link per
     * organisation, so these are withdrawn and their responses counted under into's link */
    int64_t links_withdrawn;
    int64_t responses; /* Assess responses given for it */
};

/* True when s is an ODS code as stored: 3 to 10 upper-case letters and digits. */
bool account_ods_code_valid(const char *s);

/* Every organisation by name (members not counted: -1), for lists to choose from. */
int account_org_list(struct db *db, struct arena *a, struct org **out, size_t *n);
/* A page of the organisations whose name or ODS code contains q (NULL or "" for all), by
 * name, with their members counted; *total is how many match. */
int account_org_search(struct db *db, struct arena *a, const char *q, int offset, int limit,
                       struct org **out, size_t *n, int64_t *total);
/* One organisation with its members counted. APP_E_NOTFOUND when absent. */
int account_org_get(struct db *db, struct arena *a, int64_t id, struct org *out);
/* The organisation whose name (ignoring case of ASCII letters and the spaces around it) or
 * ODS code is text: how a typed choice is read. APP_E_NOTFOUND when none is. */
int account_org_find(struct db *db, struct arena *a, const char *text, struct org *out);

/* Creates an organisation and audits it (org_created) as actor. Refusals name the field in
 * *field ("name", "ods_code" or "region"): APP_E_INVALID for a missing name, a malformed ODS
 * code or an unknown region; APP_E_CONFLICT when another organisation has the name (in any
 * case) or the ODS code. */
int account_org_create(struct db *db, int64_t actor, const struct org_input *in, int64_t *id,
                       const char **field);
/* Changes an organisation's name, ODS code and region, audited (org_renamed) when anything
 * changed; refusals as for account_org_create(), APP_E_NOTFOUND when id is absent. */
int account_org_update(struct db *db, int64_t actor, int64_t id, const struct org_input *in,
                       const char **field);

/* What merging from_id into into_id would move now (strings in the arena). APP_E_NOTFOUND
 * when either is absent, APP_E_INVALID when they are the same. Reads only. */
int account_org_merge_plan(struct db *db, struct arena *a, int64_t from_id, int64_t into_id,
                           struct org_merge *out);
/* Merges from_id into into_id in one transaction: every reference moves to into_id, from_id
 * is removed and the merge is audited (org_merged) as actor. *done receives what moved,
 * counted inside the transaction. Errors as for the plan; APP_E_CONFLICT when a reference
 * appeared meanwhile that the merge could not move (nothing is changed then). */
int account_org_merge(struct db *db, struct arena *a, int64_t actor, int64_t from_id,
                      int64_t into_id, struct org_merge *done);

/* Creates the organisation if its name is new; *id receives its id either way. An ODS code
 * (NULL or "" for none) is given to an existing organisation that has none. For the demo
 * and tests, not audited. */
int account_org_ensure(struct db *db, const char *name, const char *ods_code, const char *region,
                       int64_t *id);

/* What a member said about themselves, for forms to start with: the Assess start page, and
 * any module's form that asks the same (strings in the arena, "" and 0 when not given). A
 * form prefilled with them is still the member's to change; a page of an anonymous round
 * stores only what is submitted, never the account. */
struct member_defaults {
    const char *profession; /* code from professions[] or "" */
    const char *region;     /* code from regions[] or "" */
    int64_t organisation_id;
    const char *organisation; /* its name, or "" */
};
int account_member_defaults(struct db *db, struct arena *a, int64_t user_id,
                            struct member_defaults *out);

#endif
