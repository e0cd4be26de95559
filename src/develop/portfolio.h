/* portfolio.h: a member's leadership portfolio — entries, their tags, who may read them
 *
 * An entry records one thing the member did or learnt: a reflection, an achievement, a
 * project, a role, training, or feedback they received. It has a title, the organisation or
 * context, optional start and end days, a body in Markdown, and tags of two kinds: the
 * non-clinical skills a CV groups by (seed 004: leadership, stakeholder engagement, project
 * management, quality improvement, teaching, digital, research), and areas of the shipped
 * leadership framework ("ahp-clinical-leadership:vision"). Tags are stored as
 * comma-separated codes. The member chooses which entries go on their CV (cv.h).
 *
 * A portfolio is private. The member may share it — whole, or chosen entries — with named
 * reviewers who have accounts; a reviewer reads what was shared and nothing else, and a
 * withdrawn share ends their access. Every function that reads or changes an entry takes
 * the owner's id as part of the key, so another member's entry is simply not found.
 *
 * portfolio.c holds the rules (kinds, skills, checks, Markdown); portfolio_db.c the SQL.
 * Strings returned live in the arena passed in.
 */
#ifndef AHP_DEVELOP_PORTFOLIO_H
#define AHP_DEVELOP_PORTFOLIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "develop/develop.h"

struct arena;
struct db;

#define DEVELOP_ENTRY_TITLE_MAX   150 /* characters */
#define DEVELOP_ENTRY_CONTEXT_MAX 150
#define DEVELOP_ENTRY_BODY_MAX    10000
#define DEVELOP_CV_HEADLINE_MAX   150
#define DEVELOP_CV_SUMMARY_MAX    2000
#define DEVELOP_PORTFOLIO_MAX     500 /* entries a member may keep */
#define DEVELOP_SHARES_MAX        50  /* reviewers at a time */
#define DEVELOP_SHARE_ADDRESS_MAX 254 /* RFC 5321's limit on a path, as routes.def checks */

/* The framework an entry's areas come from. */
#define DEVELOP_PORTFOLIO_FRAMEWORK "ahp-clinical-leadership"

struct develop_code_name {
    const char *code, *name, *hint;
};

/* The kinds of entry, in the order forms offer them. */
extern const struct develop_code_name develop_entry_kinds[];
extern const size_t develop_entry_kinds_count;
/* The non-clinical skills, in the order a CV lists them. */
extern const struct develop_code_name develop_skills[];
extern const size_t develop_skills_count;

/* The name of code in the list, or NULL when it is not one. */
const char *develop_code_name(const struct develop_code_name *list, size_t n, const char *code);

struct develop_entry {
    int64_t id; /* 0 for a new entry */
    int64_t user_id;
    const char *kind;    /* a code of develop_entry_kinds */
    const char *title;   /* required */
    const char *context; /* the organisation or setting; "" when none */
    int64_t started_on;  /* unix time of the day (00:00 UTC); 0 when not given */
    int64_t ended_on;    /* 0: ongoing, or a one-off on started_on */
    const char *body;    /* Markdown; "" when none */
    const char *skills;  /* "leadership,teaching"; "" when none */
    const char *domains; /* "ahp-clinical-leadership:vision,…"; "" when none */
    bool on_cv;
    int64_t created_at, updated_at;
};

/* One field's problem, for a form's error summary. */
struct develop_field_error {
    const char *field;   /* the form field: "title", "start", "skills", … */
    const char *message; /* a sentence for the member (static) */
};

/* Checks e (against fw for its areas; fw may be NULL when e has none). Writes at most max
 * problems to errs and returns how many there were (0: it may be stored). Dates: the end
 * may not come before the start, nor an end be given without a start. */
size_t develop_entry_check(const struct develop_entry *e, const struct develop_framework *fw,
                           struct develop_field_error *errs, size_t max);

/* True when the comma-separated list holds code. */
bool develop_tag_has(const char *list, const char *code);

/* Normalises a list of tags written as codes or names, separated by commas, semicolons or
 * line breaks, into "code,code" in the canonical order (skills: the list's order; areas: the
 * framework's): *out in the arena. Returns 0, APP_E_INVALID (*bad: the first word that is
 * no tag, in the arena) or APP_E_NOMEM. fw: the framework for areas, NULL for skills. */
int develop_tags_normalise(struct arena *a, const char *text, const struct develop_framework *fw,
                           const char **out, const char **bad);

/* The body as plain text for documents that are not HTML (the CV's PDF, Word and JSON): the
 * Markdown is parsed and its markup dropped; a heading or paragraph ends its line, a list item
 * starts one with a bullet, or with its number in a numbered list ("2. "), and a link's address
 * follows its text in brackets, unless the text is the address. In the arena; NULL when out
 * of memory. */
char *develop_markdown_plain(struct arena *a, const char *md);

/* The body's block structure, for documents that can show it (the CV's PDF and Word): each
 * paragraph, heading and list item a block of plain text, as develop_markdown_plain() writes
 * it (markup dropped, a link's address after its text; a line break inside a block is '\n'),
 * in reading order. A list item's text is all it holds but its nested lists, whose items
 * follow it one level deeper; a quotation's paragraphs and lists are read as if unquoted; a
 * code block is a paragraph of its lines; raw HTML and rules are left out. */
enum develop_block_kind { DEVELOP_BLOCK_PARA, DEVELOP_BLOCK_HEADING, DEVELOP_BLOCK_ITEM };

#define DEVELOP_BLOCK_DEPTH 3 /* deeper lists are shown at this depth */

struct develop_block {
    enum develop_block_kind kind;
    int level;    /* heading: 1..6, as written (# is 1) */
    int depth;    /* item: 0 in a list of its own, 1 in a list inside an item, … */
    int list;     /* item: its list, numbered from 1 in the body, nested lists too */
    bool ordered; /* item: in a numbered list */
    int number;   /* item in a numbered list: its number (the list's start, then counting) */
    char delim;   /* item in a numbered list: '.' or ')' as written */
    const char *text;
};

/* The blocks of md (NULL reads as "") in the arena: *out (NULL when none) and *n. Returns 0
 * or APP_E_NOMEM. */
int develop_markdown_blocks(struct arena *a, const char *md, struct develop_block **out, size_t *n);

/* ---- storage (portfolio_db.c) ---- */

/* The member's entries, newest start first (undated last), all of them or (cv_only) those
 * chosen for the CV. *out: an arena array of *n entries. */
int develop_entry_list(struct db *db, struct arena *a, int64_t user_id, bool cv_only,
                       struct develop_entry **out, size_t *n);
/* Entry id if it is user_id's; APP_E_NOTFOUND otherwise. */
int develop_entry_get(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                      struct develop_entry *out);
/* Stores e (checked by the caller): a new entry when e->id is 0 (e->id receives its id),
 * else replaces the member's entry e->id, keeping on_cv unless set_cv. APP_E_NOTFOUND when
 * it is not theirs; APP_E_TOOBIG at DEVELOP_PORTFOLIO_MAX entries. */
int develop_entry_save(struct db *db, struct develop_entry *e, bool set_cv, int64_t now);
/* Deletes the member's entry (and its place in shares). APP_E_NOTFOUND when not theirs. */
int develop_entry_delete(struct db *db, int64_t id, int64_t user_id);
struct develop_share {
    int64_t id, owner_id, reviewer_id;
    bool whole;
    const char *reviewer_name, *reviewer_email; /* for the owner's list */
    const char *owner_name;                     /* for the reviewer's list */
    int64_t created_at;
    size_t nentries; /* entries chosen when not whole */
};

/* Shares user_id's portfolio with whoever holds an active account with the address
 * reviewer_email (compared in lower case): the whole of it, or (whole false) the n listed
 * entries of theirs. The answer is the same whether or not such an account exists, so that
 * sharing never tells a member who has an account (migration 0036): the share waits, by its
 * address, until an account with that address claims it (develop_share_claim). Sharing
 * again with the same address replaces what it lets the reviewer read. *id receives the
 * share's id. APP_E_CONFLICT: the address is the member's own; APP_E_INVALID: no entry was
 * chosen, or an empty or over-long address; APP_E_TOOBIG: DEVELOP_SHARES_MAX addresses
 * already. One transaction. */
int develop_share_save(struct db *db, int64_t user_id, const char *reviewer_email, bool whole,
                       const int64_t *ids, size_t n, int64_t now, int64_t *id);
/* Gives the shares waiting for address email (the logged-in reviewer's own, already lower
 * case as accounts keep it) to reviewer_id, so they can read through them. The reviewer is
 * logged in, so the address is one their account holds; a share made with their address
 * before the account existed is theirs. Called before listing or opening what is shared with
 * them. */
int develop_share_claim(struct db *db, int64_t reviewer_id, const char *email);
/* The member's shares, newest first, by address: reviewer_id 0 and reviewer_name "" always,
 * whether or not an account has claimed them. */
int develop_share_list(struct db *db, struct arena *a, int64_t user_id, struct develop_share **out,
                       size_t *n);
/* Withdraws the member's share id: the reviewer can no longer read anything.
 * APP_E_NOTFOUND when it is not theirs. */
int develop_share_withdraw(struct db *db, int64_t id, int64_t user_id);
/* The portfolios shared with reviewer_id, newest first, with the owners' names, after
 * claiming those waiting for their address email (develop_share_claim). */
int develop_shared_with(struct db *db, struct arena *a, int64_t reviewer_id, const char *email,
                        struct develop_share **out, size_t *n);
/* Share id if reviewer_id is its reviewer (claiming first, as develop_shared_with does), with
 * the entries it lets them read (newest first); APP_E_NOTFOUND otherwise (a withdrawn share
 * included). */
int develop_share_open(struct db *db, struct arena *a, int64_t id, int64_t reviewer_id,
                       const char *email, struct develop_share *out, struct develop_entry **entries,
                       size_t *n);
/* The ids of the entries share id lists (for the owner's form). */
int develop_share_entry_ids(struct db *db, struct arena *a, int64_t id, int64_t **out, size_t *n);

/* ---- the CV's heading words ---- */
struct develop_cv_profile {
    const char *headline; /* "Speech and language therapist, children's services" */
    const char *summary;  /* a paragraph or two */
    int64_t updated_at;   /* 0 when never saved */
};
/* The member's profile; an empty one when never saved. */
int develop_cv_profile_get(struct db *db, struct arena *a, int64_t user_id,
                           struct develop_cv_profile *out);
/* Saves the member's profile alone (inside the caller's transaction, if any). */
int develop_cv_profile_put(struct db *db, int64_t user_id, const struct develop_cv_profile *p,
                           int64_t now);
/* Saves the member's profile and makes exactly the listed entries of theirs the ones on
 * their CV (ids not theirs are ignored), in one transaction: all of it or nothing. */
int develop_cv_save(struct db *db, int64_t user_id, const struct develop_cv_profile *p,
                    const int64_t *ids, size_t n, int64_t now);

/* ---- data rights (portfolio_rights.c, called from rights.c) ---- */

/* Adds the member's portfolio, CV profile and shares to develop (their copy's "develop"
 * object), and deletes them with the shares others made to them. 0 or a database error. */
int develop_portfolio_rights_export(struct db *db, int64_t user_id, json_t *develop);
int develop_portfolio_rights_erase(struct db *db, int64_t user_id);

/* ---- demonstration content (portfolio_demo.c) ---- */

/* Gives user_id a portfolio of about a dozen entries (a band 6 speech and language therapist
 * working towards a team lead post), most chosen for the CV, and a CV profile, in one
 * transaction; then shares the portfolio with reviewer_email (may be NULL) unless the member
 * shares it with anyone already. Idempotent: a member with any entry keeps their portfolio
 * (*made 0). Returns 0 or an error (nothing stored by the failed step). */
int develop_portfolio_demo(struct db *db, int64_t user_id, const char *reviewer_email, int64_t now,
                           int *made);

#endif
