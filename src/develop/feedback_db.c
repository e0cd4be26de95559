/* feedback_db.c: 360° requests, invitations and answers in the database — the SQL, named,
 * and the transactions that keep the rules of feedback.h
 *
 * Two invariants are kept by statements, not by callers:
 *  - no answer after closing: saving a draft and submitting both start with one guarded
 *    UPDATE of the invitation ("unused, and its request open at now"); when it changes no
 *    row, nothing is written. Closing is one UPDATE of the request, so whichever commits
 *    first wins and the other sees it;
 *  - no answer reaches a rater: submission inserts the answer under a fresh random key with
 *    only the request and the group, moves the submitting browser's draft to it (or stores the
 *    answers sent with the submission), deletes that draft and clears the invitation's email,
 *    all in one transaction. An answer to a link answered already is dropped after doing the
 *    same work inside a savepoint rolled back (store_answer), so that its reply does not come
 *    back sooner; what that work writes is blanks of the same lengths, never the answer.
 * A draft is one browser's on one link (migration 0043): every statement on drafts names the
 * invitation and the hash of the browser's key, so no browser reads or moves another's.
 */
#include "develop/feedback.h"
#include "develop/self.h"
#include "account/account.h"
#include "account/links.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rand.h"
#include "core/str.h"
#include "mail/mail.h"
#include "store/db.h"
#include "text/redact.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <ctype.h>
#include <string.h>
#include <time.h>

/* ---- SQL (served by the indexes of migration 0024) ---- */
static const char SQL_FB_SELF[] =
    "SELECT framework_id, submitted_at FROM develop_self_assessments WHERE id = $1 AND "
    "user_id = $2";
static const char SQL_FB_INSERT[] =
    "INSERT INTO develop_feedback_requests (user_id, self_id, framework_id, created_at, "
    "closes_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
#define FB_COLS                                                                                    \
    "r.id, r.user_id, r.self_id, r.framework_id, r.created_at, r.closes_at, r.closed_at, "         \
    "r.reminded_at FROM develop_feedback_requests r "
static const char SQL_FB_GET[] = "SELECT " FB_COLS "WHERE r.id = $1 AND r.user_id = $2";
static const char SQL_FB_LIST[] = "SELECT " FB_COLS "WHERE r.user_id = $1 ORDER BY r.id DESC";
static const char SQL_FB_INVITED[] =
    "SELECT rater_group, COUNT(*) FROM develop_feedback_invitations WHERE request_id = $1 "
    "GROUP BY rater_group";
static const char SQL_FB_ANSWERED[] =
    "SELECT COUNT(*) FROM develop_feedback_responses WHERE request_id = $1";
/* open at $3: the guard every write by a rater or the member goes through */
static const char SQL_FB_OPEN_LOCK[] =
    "UPDATE develop_feedback_requests SET closes_at = closes_at WHERE id = $1 AND user_id = $2 "
    "AND closed_at = 0 AND closes_at > $3";
static const char SQL_FB_CLOSE[] =
    "UPDATE develop_feedback_requests SET closed_at = $3 WHERE id = $1 AND user_id = $2 AND "
    "closed_at = 0 AND closes_at > $3";
static const char SQL_FB_DELETE[] =
    "DELETE FROM develop_feedback_requests WHERE id = $1 AND user_id = $2";
static const char SQL_FB_REMINDED[] =
    "UPDATE develop_feedback_requests SET reminded_at = $2 WHERE id = $1";
static const char SQL_FB_AUTO_DUE[] =
    "SELECT id FROM develop_feedback_requests WHERE closed_at = 0 AND auto_reminded = 0 AND "
    "closes_at > $1 AND closes_at <= $2 ORDER BY closes_at";
static const char SQL_FB_AUTO_DONE[] =
    "UPDATE develop_feedback_requests SET auto_reminded = 1 WHERE id = $1 AND auto_reminded = 0 "
    "AND closed_at = 0";
static const char SQL_FB_MEMBER[] =
    "SELECT u.display_name, u.email, r.closes_at FROM develop_feedback_requests r JOIN users u "
    "ON u.id = r.user_id WHERE r.id = $1";

static const char SQL_FI_COUNT[] =
    "SELECT COUNT(*) FROM develop_feedback_invitations WHERE request_id = $1";
/* Asked already, answered or not: the mark outlives the address (migration 0031). */
static const char SQL_FI_ASKED[] =
    "SELECT id FROM develop_feedback_invitations WHERE request_id = $1 AND email_mark = $2";
static const char SQL_FI_INSERT[] =
    "INSERT INTO develop_feedback_invitations (request_id, rater_group, email, token_hash, "
    "email_mark) VALUES ($1, $2, $3, $4, $5)";
static const char SQL_FI_PENDING[] =
    "SELECT id, email, rater_group FROM develop_feedback_invitations WHERE request_id = $1 AND "
    "used = 0 ORDER BY id";
static const char SQL_FI_RETOKEN[] =
    "UPDATE develop_feedback_invitations SET token_hash = $2 WHERE id = $1";
/* the answered ones: their links are replaced too (with links nobody is sent), so that after
 * a reminder every old link of the request answers alike (rater_pages.c) */
static const char SQL_FI_ANSWERED[] =
    "SELECT id FROM develop_feedback_invitations WHERE request_id = $1 AND used = 1 ORDER BY id";
static const char SQL_FI_FIND[] =
    "SELECT i.id, i.request_id, r.framework_id, i.rater_group, i.used, r.closed_at, r.closes_at, "
    "u.display_name, r.user_id FROM "
    "develop_feedback_invitations i "
    "JOIN develop_feedback_requests r ON r.id = i.request_id JOIN users u ON u.id = r.user_id "
    "WHERE i.token_hash = $1";
/* The guard of a rater's writes: the request open at $2, answered or not (a link answers alike
 * either way, rater_pages.c). It also takes the row's lock, so a submission in another tab
 * waits or wins. */
#define FI_OPEN                                                                                    \
    "WHERE token_hash = $1 AND request_id IN (SELECT id FROM "                                     \
    "develop_feedback_requests WHERE closed_at = 0 AND closes_at > $2) RETURNING id"
/* The rater's lock on the request, taken before the invitation's (the order closing takes
 * them in): a save or submission and a close then run one after the other, so nothing is
 * written into a request after closing has forgotten its drafts (rule 8). Changes nothing. */
static const char SQL_FB_RATER_LOCK[] =
    "UPDATE develop_feedback_requests SET closes_at = closes_at WHERE id = (SELECT request_id "
    "FROM develop_feedback_invitations WHERE token_hash = $1) AND closed_at = 0 AND closes_at > $2";
/* changes nothing: takes the guard's lock */
static const char SQL_FI_TOUCH[] =
    "UPDATE develop_feedback_invitations SET token_hash = token_hash " FI_OPEN;
static const char SQL_FI_READ[] =
    "SELECT used, request_id, rater_group FROM develop_feedback_invitations WHERE id = $1";
/* Using the invitation forgets who it was for. $2: whether it was used when read in this
 * transaction, so that the row is written (and counted) whether or not it was (store_answer). */
static const char SQL_FI_USE[] =
    "UPDATE develop_feedback_invitations SET used = 1, email = '' WHERE id = $1 AND used = $2";
/* Once a request has closed nobody may answer it, so who was asked and what they saved
 * without submitting is no longer needed: forgotten (for one request, or every closed one
 * when $1 is 0), so that which addresses were still waiting cannot tell who answered. */
#define FB_CLOSED_AT                                                                               \
    "SELECT id FROM develop_feedback_requests WHERE (($1 = 0 AND (closed_at <> 0 OR closes_at "    \
    "<= $2)) OR id = $1)"
static const char SQL_FI_FORGET[] =
    "UPDATE develop_feedback_invitations SET email = '' WHERE email <> '' AND request_id IN "
    "(" FB_CLOSED_AT ")";
#define FB_CLOSED_INVITATIONS                                                                      \
    "invitation_id IN (SELECT id FROM develop_feedback_invitations WHERE request_id IN "           \
    "(" FB_CLOSED_AT "))"
static const char SQL_FD_FORGET[] =
    "DELETE FROM develop_feedback_drafts WHERE " FB_CLOSED_INVITATIONS;
static const char SQL_FT_FORGET[] =
    "DELETE FROM develop_feedback_draft_texts WHERE " FB_CLOSED_INVITATIONS;
/* A draft is one browser's on one link (migration 0043): $1 the invitation, $2 the hash of
 * the browser's key. */
static const char SQL_FD_LIST[] = "SELECT behaviour, rating FROM develop_feedback_drafts WHERE "
                                  "invitation_id = $1 AND draft_key = $2";
static const char SQL_FD_UPSERT[] =
    "INSERT INTO develop_feedback_drafts (invitation_id, draft_key, behaviour, rating) VALUES "
    "($1, $2, $3, $4) ON CONFLICT (invitation_id, draft_key, behaviour) DO UPDATE SET rating = "
    "excluded.rating";
static const char SQL_FD_RATED[] = "SELECT COUNT(*) FROM develop_feedback_drafts WHERE "
                                   "invitation_id = $1 AND draft_key = $2 AND rating >= 1";
static const char SQL_FD_DELETE[] =
    "DELETE FROM develop_feedback_drafts WHERE invitation_id = $1 AND draft_key = $2";
static const char SQL_FD_HELD[] =
    "SELECT (SELECT COUNT(*) FROM develop_feedback_drafts WHERE invitation_id = $1 AND draft_key "
    "= $2) + (SELECT COUNT(*) FROM develop_feedback_draft_texts WHERE invitation_id = $1 AND "
    "draft_key = $2)";
/* PostgreSQL only: the lock of one browser's drafts, held to the end of the transaction, so
 * that two of its saves count its drafts one after the other (browser_room). Advisory locks of
 * two keys: FD_KEY_LOCK_CLASS says whose, hashtext the browser (a shared number only makes
 * two browsers wait for each other). migrate.c's lock has one key, a space of its own. */
#define FD_KEY_LOCK_CLASS "360"
static const char SQL_FD_KEY_LOCK_PG[] =
    "SELECT pg_advisory_xact_lock(" FD_KEY_LOCK_CLASS ", hashtext($1))";
/* the links on which a browser keeps a draft (served by migration 0048's indexes) */
static const char SQL_FD_KEPT[] =
    "SELECT COUNT(*) FROM (SELECT invitation_id FROM develop_feedback_drafts WHERE draft_key = $1 "
    "UNION SELECT invitation_id FROM develop_feedback_draft_texts WHERE draft_key = $1) k";
static const char SQL_FT_GET[] = "SELECT strengths, differently FROM develop_feedback_draft_texts "
                                 "WHERE invitation_id = $1 AND draft_key = $2";
static const char SQL_FT_UPSERT[] =
    "INSERT INTO develop_feedback_draft_texts (invitation_id, draft_key, strengths, differently) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (invitation_id, draft_key) DO UPDATE SET strengths = "
    "excluded.strengths, differently = excluded.differently";
static const char SQL_FT_DELETE[] =
    "DELETE FROM develop_feedback_draft_texts WHERE invitation_id = $1 AND draft_key = $2";
static const char SQL_FR_INSERT[] =
    "INSERT INTO develop_feedback_responses (response_key, request_id, rater_group, strengths, "
    "differently) VALUES ($1, $2, $3, $4, $5)";
/* only what was rated, as an answer sent whole stores it (feedback_submit_answers): a draft's
 * unrated rows would record how the answer came and which areas the rater opened */
static const char SQL_FR_MOVE[] =
    "INSERT INTO develop_feedback_ratings (response_key, behaviour, rating) SELECT $1, "
    "behaviour, rating FROM develop_feedback_drafts WHERE invitation_id = $2 AND draft_key = $3 "
    "AND rating <> 0";
/* the same rows for an answer to be dropped (store_answer()), with no rating in them */
static const char SQL_FR_MOVE_BLANK[] =
    "INSERT INTO develop_feedback_ratings (response_key, behaviour, rating) SELECT $1, "
    "behaviour, 0 FROM develop_feedback_drafts WHERE invitation_id = $2 AND draft_key = $3 "
    "AND rating <> 0";
static const char SQL_FR_RATE[] =
    "INSERT INTO develop_feedback_ratings (response_key, behaviour, rating) VALUES ($1, $2, $3)";
/* The random key is the only order answers have. */
static const char SQL_FR_LIST[] =
    "SELECT response_key, rater_group, strengths, differently FROM develop_feedback_responses "
    "WHERE request_id = $1 ORDER BY response_key";
static const char SQL_FR_RATINGS[] =
    "SELECT g.response_key, g.behaviour, g.rating FROM develop_feedback_ratings g JOIN "
    "develop_feedback_responses s ON s.response_key = g.response_key WHERE s.request_id = $1";

/* PostgreSQL keeps rows where they were written, so a dump (COPY) or a SELECT without ORDER
 * BY lists answers in their order of arrival; rewriting the tables in the order of their
 * random key leaves that order nowhere (SQLite stores them so already, migration 0045). Run
 * by `ahphub remind`, daily: answers that arrived since are in arrival order until then. */
static const char SQL_FR_REORDER_PG[] =
    "CLUSTER develop_feedback_responses USING develop_feedback_responses_pkey";
static const char SQL_FG_REORDER_PG[] =
    "CLUSTER develop_feedback_ratings USING develop_feedback_ratings_pkey";
/* SQLite's write-ahead log keeps the pages a commit wrote, a deleted draft beside the answer
 * that replaced it, until a checkpoint copies them back and the file is truncated
 * (secure_delete clears freed pages in the database file only): `ahphub remind` truncates it
 * daily. Answers that arrived since are in the log until then; a reader holding a snapshot
 * at that moment defers it to the next run. */
static const char SQL_WAL_TRUNCATE_SQLITE[] = "PRAGMA wal_checkpoint(TRUNCATE)";

/* ---- helpers ---- */

/* 32 random bytes as hex in token, their hash in thash. */
/* The mark of address email asked on request id: a hash of both, case ignored (0031). */
static void email_mark(struct arena *a, int64_t id, const char *email, char out[TOKEN_HEX])
{
    char *key = arena_printf(a, "%lld:%s", (long long)id, email);
    for (char *p = key; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    account_token_hash(key ? key : "", out);
}

static int new_token(char token[TOKEN_HEX], char thash[TOKEN_HEX])
{
    unsigned char raw[32];
    int rc = rand_bytes(raw, sizeof raw);
    if (rc)
        return rc;
    sodium_bin2hex(token, TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    account_token_hash(token, thash);
    return APP_OK;
}

static bool token_shape(const char *t)
{
    size_t i;
    for (i = 0; t && t[i]; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
            return false;
    return i == TOKEN_HEX - 1;
}

static const char *role_words(enum feedback_group g)
{
    static const char *const w[FG_COUNT] = {"line manager", "peer", "direct report", "colleague"};
    return (unsigned)g < FG_COUNT ? w[g] : "colleague";
}

/* "5 December 2026": the last day a request closing at closes_at is open. */
static void last_day(int64_t closes_at, char *out, size_t n)
{
    time_t t = (time_t)(closes_at - 1);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%-d %B %Y", &tm);
}

/* The topic of request id's mail (mail_queue_about): withdrawn when the request is closed or
 * deleted, or its member's account is, and dropped unsent once it has closed by itself, so
 * that no message naming the member to their raters outlives the request. */
static void mail_topic(int64_t id, char out[32])
{
    snprintf(out, 32, "feedback:%lld", (long long)id);
}

int feedback_mail_withdraw(struct db *db, int64_t id)
{
    char topic[32];
    mail_topic(id, topic);
    return mail_withdraw(db, topic);
}

/* Queues the invitation (or reminder) of request id with its link; inside the caller's
 * transaction. */
static int mail_link(struct db *db, const struct link_mailer *m, int64_t id, const char *email,
                     const char *member, enum feedback_group g, int64_t closes_at,
                     const char *token, bool reminder)
{
    char link[600], closes[64], subject[300], topic[32];
    json_t *model;
    int rc;
    last_day(closes_at, closes, sizeof closes);
    snprintf(link, sizeof link, "%s/feedback/%s", m->base_url ? m->base_url : "", token);
    snprintf(subject, sizeof subject, "%s%s has asked for your feedback",
             reminder ? "Reminder: " : "", member);
    model = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:{s:s, s:s}}", "subject", subject, "member",
                      member, "role", role_words(g), "closes", closes, "reminder", reminder,
                      "is_manager", g == FG_MANAGER, "button", "url", link, "text",
                      "Give your feedback");
    sodium_memzero(link, sizeof link);
    if (!model)
        return APP_E_NOMEM;
    mail_topic(id, topic);
    rc = mail_queue_about(db, m->tpl, email, "feedback_invite", topic, closes_at, model, NULL);
    json_decref(model);
    return rc;
}

static void read_head(struct db_stmt *st, int64_t now, struct feedback_request *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(st, 0);
    r->user_id = db_col_int(st, 1);
    r->self_id = db_col_int(st, 2);
    r->framework_id = db_col_int(st, 3);
    r->created_at = db_col_int(st, 4);
    r->closes_at = db_col_int(st, 5);
    r->closed_at = db_col_int(st, 6);
    r->reminded_at = db_col_int(st, 7);
    r->closed = r->closed_at != 0 || now >= r->closes_at;
    r->closed_on = r->closed_at ? r->closed_at : r->closed ? r->closes_at : 0;
}

/* The invitations per group and the answers in all, with no other statement open. */
static int add_counts(struct db *db, struct feedback_request *r)
{
    struct db_stmt *q = NULL;
    int rc = db_prepare_bind(db, SQL_FB_INVITED, &q, "i", r->id);
    while (!rc && (rc = db_step(q)) == DB_ROW) {
        int g = feedback_group_parse(db_col_text(q, 0));
        rc = APP_OK;
        if (g >= 0)
            r->invited[g] = (int)db_col_int(q, 1);
    }
    db_finalize(q);
    q = NULL;
    if (rc != DB_DONE)
        return rc;
    rc = db_row(db, SQL_FB_ANSWERED, &q, "i", r->id);
    if (!rc)
        r->answered = (int)db_col_int(q, 0);
    db_finalize(q);
    return rc;
}

/* ---- requests ---- */

/* Checks and stores the invitations and queues their mails; inside the caller's
 * transaction, with the request known to be the member's and open. */
static int invite_in_tx(struct db *db, struct arena *a, const struct link_mailer *m, int64_t id,
                        const char *member, const char *own_email, int64_t closes_at,
                        const struct feedback_rater *raters, size_t n, struct feedback_link *links,
                        const char **why)
{
    struct db_stmt *st = NULL;
    int64_t have = 0;
    int rc = db_row(db, SQL_FI_COUNT, &st, "i", id);
    if (!rc)
        have = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if (rc)
        return rc;
    if (have + (int64_t)n > FEEDBACK_MAX_RATERS) {
        *why = arena_printf(a, "A request can have at most %d raters; this one has %lld already",
                            FEEDBACK_MAX_RATERS, (long long)have);
        return APP_E_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        const struct feedback_rater *r = &raters[i];
        char thash[TOKEN_HEX], mark[TOKEN_HEX];
        if ((unsigned)r->group >= FG_COUNT || !r->email || !mail_address_ok(r->email)) {
            *why = arena_printf(a, "Rater %zu: enter an email address and choose a group", i + 1);
            return APP_E_INVALID;
        }
        if (!strcasecmp(r->email, own_email)) {
            *why = arena_printf(a, "Rater %zu: %s is your own address; ask other people", i + 1,
                                r->email);
            return APP_E_INVALID;
        }
        for (size_t k = 0; k < i; k++)
            if (!strcasecmp(raters[k].email, r->email)) {
                *why = arena_printf(a, "Rater %zu: %s is in the list twice", i + 1, r->email);
                return APP_E_INVALID;
            }
        email_mark(a, id, r->email, mark);
        rc = db_row(db, SQL_FI_ASKED, &st, "it", id, mark);
        db_finalize(st);
        st = NULL;
        if (rc == APP_OK) { /* the same words whether or not they have answered */
            *why = arena_printf(a, "Rater %zu: %s has been asked already", i + 1, r->email);
            return APP_E_INVALID;
        }
        if (rc != APP_E_NOTFOUND)
            return rc;
        links[i].email = r->email;
        links[i].group = r->group;
        if ((rc = new_token(links[i].token, thash)) ||
            (rc = db_run(db, SQL_FI_INSERT, "itttt", id, feedback_group_code(r->group), r->email,
                         thash, mark)) ||
            (rc = mail_link(db, m, id, r->email, member, r->group, closes_at, links[i].token,
                            false)))
            return rc;
    }
    return APP_OK;
}

/* The member's name and address, and the request's closing time. */
static int member_of(struct db *db, struct arena *a, int64_t id, const char **name,
                     const char **email, int64_t *closes_at)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_FB_MEMBER, &st, "i", id);
    if (!rc) {
        *name = arena_strdup(a, db_col_text(st, 0));
        *email = arena_strdup(a, db_col_text(st, 1));
        *closes_at = db_col_int(st, 2);
        if (!*name || !*email)
            rc = APP_E_NOMEM;
    }
    db_finalize(st);
    return rc;
}

int feedback_request_create(struct db *db, struct arena *a, const struct link_mailer *m,
                            int64_t user_id, int64_t self_id, int64_t closes_at,
                            const struct feedback_rater *raters, size_t n, int64_t now, int64_t *id,
                            struct feedback_link *links, const char **why)
{
    struct db_stmt *st = NULL;
    int64_t fid, submitted;
    const char *name, *email;
    *why = NULL;
    int rc = db_row(db, SQL_FB_SELF, &st, "ii", self_id, user_id);
    if (rc) {
        db_finalize(st);
        return rc;
    }
    fid = db_col_int(st, 0);
    submitted = db_col_int(st, 1);
    db_finalize(st);
    if (!submitted)
        return APP_E_CONFLICT;
    if (closes_at <= now || closes_at > now + (int64_t)(FEEDBACK_MAX_DAYS + 1) * 86400)
        return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run_int(db, SQL_FB_INSERT, id, "iiiii", user_id, self_id, fid, now, closes_at)) ||
        (rc = member_of(db, a, *id, &name, &email, &closes_at)) ||
        (rc = invite_in_tx(db, a, m, *id, name, email, closes_at, raters, n, links, why)) ||
        (rc = account_audit(db, "develop_feedback_requested", user_id, user_id, "")))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int feedback_invite(struct db *db, struct arena *a, const struct link_mailer *m, int64_t user_id,
                    int64_t id, const struct feedback_rater *raters, size_t n, int64_t now,
                    struct feedback_link *links, const char **why)
{
    const char *name, *email;
    int64_t closes_at;
    int rc;
    *why = NULL;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run(db, SQL_FB_OPEN_LOCK, "iii", id, user_id, now)))
        goto done;
    if (db_changes(db) == 0) {
        struct feedback_request r;
        rc = feedback_request_get(db, id, user_id, now, &r);
        if (!rc)
            rc = APP_E_CONFLICT; /* closed */
        goto done;
    }
    if ((rc = member_of(db, a, id, &name, &email, &closes_at)) ||
        (rc = invite_in_tx(db, a, m, id, name, email, closes_at, raters, n, links, why)))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int feedback_request_get(struct db *db, int64_t id, int64_t user_id, int64_t now,
                         struct feedback_request *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_FB_GET, &st, "ii", id, user_id);
    if (!rc)
        read_head(st, now, out);
    db_finalize(st);
    return rc ? rc : add_counts(db, out);
}

int feedback_request_list(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                          struct feedback_request **out, size_t *n)
{
    struct db_stmt *st = NULL;
    struct feedback_request *list = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_FB_LIST, &st, "i", user_id);
    *n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = APP_OK;
        if (!(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)))
            rc = APP_E_NOMEM;
        else
            read_head(st, now, &list[(*n)++]);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc ? rc : APP_E_INTERNAL;
    for (size_t i = 0; i < *n; i++)
        if ((rc = add_counts(db, &list[i])))
            return rc;
    *out = list;
    return APP_OK;
}

/* Rule 8: once request id has closed (every closed request when id is 0), who was still
 * waiting and every browser's unsubmitted draft are forgotten. Inside the caller's
 * transaction. */
static int forget_closed(struct db *db, int64_t id, int64_t now)
{
    int rc;
    if (!(rc = db_run(db, SQL_FI_FORGET, "ii", id, now)) &&
        !(rc = db_run(db, SQL_FD_FORGET, "ii", id, now)))
        rc = db_run(db, SQL_FT_FORGET, "ii", id, now);
    return rc;
}

int feedback_request_close(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
    int rc;
    if ((rc = db_begin(db)))
        return rc;
    if ((rc = db_run(db, SQL_FB_CLOSE, "iii", id, user_id, now)))
        goto done;
    if (db_changes(db) == 0) {
        struct feedback_request r;
        rc = feedback_request_get(db, id, user_id, now, &r);
        if (!rc)
            rc = APP_E_CONFLICT;
        goto done;
    }
    if (!(rc = forget_closed(db, id, now)) && !(rc = feedback_mail_withdraw(db, id)) &&
        !(rc = account_audit(db, "develop_feedback_closed", user_id, user_id, "")))
        rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

int feedback_request_delete(struct db *db, int64_t id, int64_t user_id)
{
    int rc;
    if ((rc = db_begin(db)))
        return rc;
    /* the answers, drafts and invitations go with it (ON DELETE CASCADE, migration 0024) */
    if ((rc = db_run(db, SQL_FB_DELETE, "ii", id, user_id)))
        goto done;
    if (db_changes(db) == 0) {
        rc = APP_E_NOTFOUND;
        goto done;
    }
    if (!(rc = feedback_mail_withdraw(db, id)) &&
        !(rc = account_audit(db, "develop_feedback_deleted", user_id, user_id, "")))
        rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

/* A new link, by mail, for each rater of request id who has not answered; inside the
 * caller's transaction. */
static int remind_pending(struct db *db, struct arena *a, const struct link_mailer *m, int64_t id,
                          int *sent)
{
    struct db_stmt *st = NULL;
    const char *name, *email;
    int64_t closes_at;
    struct pending {
        int64_t id;
        const char *email;
        int group;
    } *list = NULL;
    int64_t *answered = NULL;
    size_t n = 0, cap = 0, nanswered = 0, capa = 0;
    int rc = member_of(db, a, id, &name, &email, &closes_at);
    if (rc)
        return rc;
    rc = db_prepare_bind(db, SQL_FI_PENDING, &st, "i", id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = APP_OK;
        if (!(list = arena_grow(a, list, n + 1, &cap, sizeof *list)) ||
            !(list[n].email = arena_strdup(a, db_col_text(st, 1))))
            rc = APP_E_NOMEM;
        else {
            list[n].id = db_col_int(st, 0);
            list[n].group = feedback_group_parse(db_col_text(st, 2));
            n++;
        }
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc ? rc : APP_E_INTERNAL;
    /* the answered: a new link each, sent to nobody (their addresses are forgotten) */
    rc = db_prepare_bind(db, SQL_FI_ANSWERED, &st, "i", id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = APP_OK;
        if (!(answered = arena_grow(a, answered, nanswered + 1, &capa, sizeof *answered)))
            rc = APP_E_NOMEM;
        else
            answered[nanswered++] = db_col_int(st, 0);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc ? rc : APP_E_INTERNAL;
    for (size_t i = 0; i < nanswered; i++) {
        char token[TOKEN_HEX], thash[TOKEN_HEX];
        rc = new_token(token, thash);
        sodium_memzero(token, sizeof token);
        if (!rc)
            rc = db_run(db, SQL_FI_RETOKEN, "it", answered[i], thash);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        char token[TOKEN_HEX], thash[TOKEN_HEX];
        rc = new_token(token, thash);
        if (!rc)
            rc = db_run(db, SQL_FI_RETOKEN, "it", list[i].id, thash);
        if (!rc)
            rc = mail_link(db, m, id, list[i].email, name, (enum feedback_group)list[i].group,
                           closes_at, token, true);
        sodium_memzero(token, sizeof token);
        if (rc)
            return rc;
        (*sent)++;
    }
    return APP_OK;
}

int feedback_remind(struct db *db, const struct link_mailer *m, int64_t id, int64_t user_id,
                    int64_t now, int *sent)
{
    struct feedback_request r;
    struct arena *a = arena_new();
    int rc;
    *sent = 0;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)))
        goto out;
    if ((rc = feedback_request_get(db, id, user_id, now, &r)))
        goto done;
    if (r.closed) {
        rc = APP_E_CONFLICT;
        goto done;
    }
    if (m->unsent) { /* the new links would wait unsent and the old ones stop working */
        rc = APP_E_FORBIDDEN;
        goto done;
    }
    if (r.reminded_at && now - r.reminded_at < FEEDBACK_REMIND_GAP) {
        rc = APP_E_LIMIT;
        goto done;
    }
    if ((rc = db_run(db, SQL_FB_OPEN_LOCK, "iii", id, user_id, now)) ||
        (rc = remind_pending(db, a, m, id, sent)) ||
        (rc = db_run(db, SQL_FB_REMINDED, "ii", id, now)))
        goto done;
    rc = db_commit(db);
done:
    if (rc) {
        db_rollback(db);
        *sent = 0;
    }
out:
    arena_free(a);
    return rc;
}

int feedback_remind_due(struct db *db, const struct link_mailer *m, int64_t now, int *sent)
{
    struct db_stmt *st = NULL;
    struct arena *a = arena_new();
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    *sent = 0;
    if (!a)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_FB_AUTO_DUE, &st, "ii", now, now + FEEDBACK_REMIND_BEFORE);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = APP_OK;
        if (!(ids = arena_grow(a, ids, n + 1, &cap, sizeof *ids)))
            rc = APP_E_NOMEM;
        else
            ids[n++] = db_col_int(st, 0);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        goto out;
    rc = APP_OK;
    /* one transaction per request: one that fails leaves the others sent; none without a mail
     * server (m->unsent), which leaves them due until there is one */
    for (size_t i = 0; i < n && !rc && !m->unsent; i++) {
        int k = 0;
        if ((rc = db_begin(db)))
            break;
        rc = db_run(db, SQL_FB_AUTO_DONE, "i", ids[i]);
        if (!rc && db_changes(db) == 1)
            rc = remind_pending(db, a, m, ids[i], &k);
        if (!rc)
            rc = db_commit(db);
        if (rc)
            db_rollback(db);
        else
            *sent += k;
    }
    /* and forget who was asked in every request that has closed since */
    if (!rc && !(rc = db_begin(db))) {
        if (!(rc = forget_closed(db, 0, now)))
            rc = db_commit(db);
        if (rc)
            db_rollback(db);
    }
    if (!rc && db_engine(db) == DB_POSTGRES && !(rc = db_run(db, SQL_FR_REORDER_PG, "")))
        rc = db_run(db, SQL_FG_REORDER_PG, "");
    if (!rc && db_engine(db) == DB_SQLITE)
        rc = db_exec(db, SQL_WAL_TRUNCATE_SQLITE); /* its row (busy, log, checkpointed) unread */
out:
    arena_free(a);
    return rc;
}

/* ---- raters ---- */

int feedback_invitation_find(struct db *db, struct arena *a, const char *token, int64_t now,
                             struct feedback_invitation *out)
{
    struct db_stmt *st = NULL;
    char thash[TOKEN_HEX];
    int64_t closed_at;
    int rc;
    memset(out, 0, sizeof *out);
    if (!token_shape(token))
        return APP_E_NOTFOUND;
    account_token_hash(token, thash);
    rc = db_row(db, SQL_FI_FIND, &st, "t", thash);
    if (!rc) {
        int g = feedback_group_parse(db_col_text(st, 3));
        out->id = db_col_int(st, 0);
        out->request_id = db_col_int(st, 1);
        out->framework_id = db_col_int(st, 2);
        out->group = g < 0 ? FG_OTHER : (enum feedback_group)g;
        out->used = db_col_int(st, 4) != 0;
        closed_at = db_col_int(st, 5);
        out->closes_at = closed_at ? closed_at : db_col_int(st, 6);
        out->closed = closed_at != 0 || now >= out->closes_at;
        out->member = arena_strdup(a, db_col_text(st, 7));
        out->member_id = db_col_int(st, 8);
        if (!out->member)
            rc = APP_E_NOMEM;
    }
    db_finalize(st);
    return rc;
}

int feedback_draft_ratings(struct db *db, struct arena *a, const struct develop_framework *fw,
                           int64_t invitation_id, const char *key_hash, int **out)
{
    struct db_stmt *st = NULL;
    int *r = arena_calloc(a, fw->nbehaviours ? fw->nbehaviours : 1, sizeof *r);
    int rc;
    if (!r)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_FD_LIST, &st, "it", invitation_id, key_hash);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        size_t pos;
        rc = APP_OK;
        if (develop_behaviour_find(fw, db_col_text(st, 0), &pos))
            r[pos] = (int)db_col_int(st, 1);
    }
    db_finalize(st);
    *out = r;
    return rc == DB_DONE ? APP_OK : rc;
}

int feedback_draft_texts(struct db *db, struct arena *a, int64_t invitation_id,
                         const char *key_hash, const char **strengths, const char **differently)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_FT_GET, &st, "it", invitation_id, key_hash);
    *strengths = *differently = "";
    if (!rc && (!(*strengths = arena_strdup(a, db_col_text(st, 0))) ||
                !(*differently = arena_strdup(a, db_col_text(st, 1)))))
        rc = APP_E_NOMEM;
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

int feedback_draft_held(struct db *db, int64_t invitation_id, const char *key_hash, bool *held)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_FD_HELD, &st, "it", invitation_id, key_hash);
    *held = !rc && db_col_int(st, 0) > 0;
    db_finalize(st);
    return rc;
}

/* The rater's guard (FI_OPEN): the invitation's id, APP_E_CONFLICT when closed. */
static int guard(struct db *db, const char *token, int64_t now, int64_t *id)
{
    struct db_stmt *st = NULL;
    char thash[TOKEN_HEX];
    int rc;
    if (!token_shape(token))
        return APP_E_NOTFOUND;
    account_token_hash(token, thash);
    if ((rc = db_run(db, SQL_FB_RATER_LOCK, "ti", thash, now)))
        return rc;
    if (db_changes(db) != 1)
        return APP_E_CONFLICT;
    rc = db_row(db, SQL_FI_TOUCH, &st, "ti", thash, now);
    if (!rc)
        *id = db_col_int(st, 0);
    db_finalize(st);
    return rc == APP_E_NOTFOUND ? APP_E_CONFLICT : rc;
}

/* Whether browser key_hash may save on invitation inv: always when it has a draft there (it
 * adds to it); otherwise it starts one, which needs room under FEEDBACK_DRAFTS_PER_BROWSER
 * (APP_E_LIMIT). Only that browser's own drafts are counted.
 *
 * The count and the insert that follows it (feedback_draft_save) must be one step, or two
 * saves by one browser on links of two requests (which the guard's locks do not serialise:
 * each locks its own request) could both count 19 and both insert. Run inside the save's
 * transaction, and:
 *  - on SQLite, db_begin() took the database's write lock (BEGIN IMMEDIATE, db.h), so no
 *    other connection writes between this count and the commit: the second save counts the
 *    first's draft;
 *  - on PostgreSQL, under READ COMMITTED, the count sees only what was committed when it ran,
 *    and nothing locks the rows another save is about to insert (a count, or an INSERT …
 *    SELECT … WHERE count < 20, does not wait for them). So the count waits first for this
 *    browser's advisory lock (SQL_FD_KEY_LOCK_PG), held until commit or rollback: a second
 *    save by the browser waits there until the first has committed, and its count, a new
 *    statement, then sees the first's draft. Taken only when the save would start a draft,
 *    after the guard's locks, and nothing else takes it, so it adds no deadlock.
 * A lock or count that fails fails the save, which gives back its hourly count (rater_pages.c)
 * and asks to try again. */
static int browser_room(struct db *db, int64_t inv, const char *key_hash)
{
    struct db_stmt *st = NULL;
    bool held;
    int64_t kept = 0;
    int rc = feedback_draft_held(db, inv, key_hash, &held);
    if (rc || held)
        return rc;
    if (db_engine(db) == DB_POSTGRES && (rc = db_run(db, SQL_FD_KEY_LOCK_PG, "t", key_hash)))
        return rc;
    if (!(rc = db_row(db, SQL_FD_KEPT, &st, "t", key_hash)))
        kept = db_col_int(st, 0);
    db_finalize(st);
    return rc ? rc : kept >= FEEDBACK_DRAFTS_PER_BROWSER ? APP_E_LIMIT : APP_OK;
}

int feedback_draft_save(struct db *db, const struct develop_framework *fw, const char *token,
                        const char *key_hash, int64_t now, size_t domain, const int *ratings,
                        const char *strengths, const char *differently)
{
    const struct develop_domain *dm = NULL;
    int64_t inv = 0;
    int rc;
    if (domain < fw->ndomains) {
        dm = &fw->domains[domain];
        for (size_t i = 0; i < dm->nbehaviours; i++)
            if (ratings[i] < DEVELOP_NO_CHANCE || ratings[i] > (int)fw->scale.npoints ||
                (ratings[i] == DEVELOP_NO_CHANCE && !*fw->scale.no_chance))
                return APP_E_INVALID;
    }
    if ((strengths && utf8_count(strengths, strlen(strengths)) > FEEDBACK_TEXT_MAX) ||
        (differently && utf8_count(differently, strlen(differently)) > FEEDBACK_TEXT_MAX))
        return APP_E_INVALID;
    if ((rc = db_begin(db)))
        return rc;
    /* the guard, the browser's room and the draft's rows in one transaction: the count in
     * browser_room holds until the commit (see there) */
    if ((rc = guard(db, token, now, &inv)) || (rc = browser_room(db, inv, key_hash)))
        goto done;
    for (size_t i = 0; dm && i < dm->nbehaviours; i++)
        if ((rc = db_run(db, SQL_FD_UPSERT, "itti", inv, key_hash, dm->behaviours[i].id,
                         (int64_t)ratings[i])))
            goto done;
    if (strengths && (rc = db_run(db, SQL_FT_UPSERT, "ittt", inv, key_hash, strengths,
                                  differently ? differently : "")))
        goto done;
    rc = db_commit(db);
done:
    if (rc)
        db_rollback(db);
    return rc;
}

/* text redacted as Listen's contributions are, into the arena */
static int redacted(struct arena *a, const char *s, const char **out)
{
    struct buf b = BUF_INIT;
    int rc = redact_text(s, strlen(s), &b, NULL);
    if (!rc && buf_oom(&b))
        rc = APP_E_NOMEM;
    if (!rc && !(*out = arena_strndup(a, b.data ? b.data : "", b.len)))
        rc = APP_E_NOMEM;
    buf_free(&b);
    return rc;
}

/* Deletes the draft of browser key_hash on invitation inv. */
static int drop_draft(struct db *db, int64_t inv, const char *key_hash)
{
    int rc = db_run(db, SQL_FD_DELETE, "it", inv, key_hash);
    return rc ? rc : db_run(db, SQL_FT_DELETE, "it", inv, key_hash);
}

/* An answer to store (store_answer): the invitation it answers, its two texts as typed, and
 * its ratings — sent with it (ratings, against fw), or, when ratings is NULL, those of
 * draft_key's draft, moved. draft_key (may be NULL): the submitting browser, whose draft on
 * the link is deleted whether the answer is kept or dropped. */
struct answer {
    int64_t inv;
    const char *draft_key;
    const struct develop_framework *fw;
    const int *ratings;
    const char *strengths, *differently;
};

/* The tail both submissions share, inside the transaction their guard opened; commits. An
 * answer to a link already answered is dropped (rule 9), but only after exactly the work a
 * first answer does: its texts redacted, a key drawn, the same inserts and the same update of
 * the invitation, inside a savepoint that is then rolled back. The holder of a link (the
 * member) who submits through it gets the same reply either way, and must not learn from how
 * long it took whether the rater had answered: skipping that work was measurably quicker.
 * tests/unit/develop/feedback_test.c counts the database calls of both branches. */
/* n spaces, for the texts of an answer to be dropped. */
static const char *blank(struct arena *a, size_t n)
{
    char *b = arena_alloc(a, n + 1);
    if (b) {
        memset(b, ' ', n);
        b[n] = '\0';
    }
    return b;
}

/* The behaviour of the framework's k-th statement (in framework order). */
static const char *nth_behaviour(const struct develop_framework *fw, size_t k)
{
    for (size_t d = 0; d < fw->ndomains; d++) {
        if (k < fw->domains[d].nbehaviours)
            return fw->domains[d].behaviours[k].id;
        k -= fw->domains[d].nbehaviours;
    }
    return NULL;
}

/* Stores the answer ans, or, when its link was answered already, does the same work and
 * undoes it, so that the reply takes as long either way. The undone rows still reach the
 * database's files (a PostgreSQL heap and its write-ahead log keep a rolled-back row until
 * vacuum), so an answer to be dropped is written as blanks of the same lengths: spaces for its
 * texts, the first statements of the framework, as many as it rated, rated 0. Its words and
 * ratings are never written anywhere. */
static int store_answer(struct db *db, struct arena *a, const struct answer *ans)
{
    struct db_stmt *st = NULL;
    unsigned char raw[16];
    char key[33] = "";
    const char *s = NULL, *d = NULL, *group;
    int64_t request;
    bool used;
    int rc;
    if ((rc = db_row(db, SQL_FI_READ, &st, "i", ans->inv)))
        goto done;
    used = db_col_int(st, 0) != 0;
    request = db_col_int(st, 1);
    if (!(group = arena_strdup(a, db_col_text(st, 2)))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    db_finalize(st);
    st = NULL;
    if ((rc = redacted(a, ans->strengths, &s)) || (rc = redacted(a, ans->differently, &d)) ||
        (rc = rand_bytes(raw, sizeof raw)))
        goto done;
    if (used && (!(s = blank(a, strlen(s))) || !(d = blank(a, strlen(d))))) {
        rc = APP_E_NOMEM;
        goto done;
    }
    sodium_bin2hex(key, sizeof key, raw, sizeof raw);
    if ((rc = db_savepoint(db)))
        goto done;
    rc = db_run(db, SQL_FR_INSERT, "tittt", key, request, group, s, d);
    if (!rc && !ans->ratings)
        rc = db_run(db, used ? SQL_FR_MOVE_BLANK : SQL_FR_MOVE, "tit", key, ans->inv,
                    ans->draft_key);
    for (size_t k = 0, rated = 0; !rc && ans->ratings && k < ans->fw->ndomains; k++)
        for (size_t i = 0; !rc && i < ans->fw->domains[k].nbehaviours; i++) {
            int v = ans->ratings[ans->fw->domains[k].first + i];
            if (v == DEVELOP_NOT_RATED) /* only what was answered */
                continue;
            rc = used ? db_run(db, SQL_FR_RATE, "tti", key, nth_behaviour(ans->fw, rated), 0)
                      : db_run(db, SQL_FR_RATE, "tti", key, ans->fw->domains[k].behaviours[i].id,
                               (int64_t)v);
            rated++;
        }
    /* "as read": the row changes either way, and not at all if it changed since the read */
    if (!rc && !(rc = db_run(db, SQL_FI_USE, "ii", ans->inv, (int64_t)used)) && db_changes(db) != 1)
        rc = APP_E_CONFLICT;
    if (rc)
        goto done; /* the caller's rollback ends the savepoint too */
    /* answered before: the first answer stands; this one, written as blanks, is undone */
    if ((rc = db_savepoint_end(db, !used)))
        goto done;
    /* what this browser had saved is superseded by what it submitted, answered or not */
    if (ans->draft_key && (rc = drop_draft(db, ans->inv, ans->draft_key)))
        goto done;
    rc = db_commit(db);
done:
    db_finalize(st);
    sodium_memzero(key, sizeof key);
    return rc;
}

int feedback_submit(struct db *db, const char *token, const char *key_hash, int64_t now)
{
    struct arena *a = arena_new();
    struct db_stmt *st = NULL;
    struct answer ans = {0};
    int64_t rated = 0;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    if ((rc = db_begin(db)))
        goto out;
    /* the guard first: it fails for a closed request, and locks the row */
    if ((rc = guard(db, token, now, &ans.inv)))
        goto done;
    if ((rc = db_row(db, SQL_FD_RATED, &st, "it", ans.inv, key_hash)))
        goto done;
    rated = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    if (!rated) {
        rc = APP_E_INVALID;
        goto done;
    }
    ans.draft_key = key_hash;
    if ((rc = feedback_draft_texts(db, a, ans.inv, key_hash, &ans.strengths, &ans.differently)))
        goto done;
    rc = store_answer(db, a, &ans);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
out:
    arena_free(a);
    return rc;
}

int feedback_submit_answers(struct db *db, const struct develop_framework *fw, const char *token,
                            const char *key_hash, int64_t now, const int *ratings,
                            const char *strengths, const char *differently)
{
    struct arena *a = arena_new();
    struct answer ans = {0, key_hash, fw, ratings, strengths, differently};
    size_t rated = 0;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    /* checked as a save checks them, before anything is read: the answer is the same whether
     * or not the link has been answered */
    for (size_t i = 0; i < fw->nbehaviours; i++) {
        if (ratings[i] < DEVELOP_NO_CHANCE || ratings[i] > (int)fw->scale.npoints ||
            (ratings[i] == DEVELOP_NO_CHANCE && !*fw->scale.no_chance)) {
            rc = APP_E_INVALID;
            goto out;
        }
        rated += ratings[i] >= 1;
    }
    if (!rated || utf8_count(strengths, strlen(strengths)) > FEEDBACK_TEXT_MAX ||
        utf8_count(differently, strlen(differently)) > FEEDBACK_TEXT_MAX) {
        rc = APP_E_INVALID;
        goto out;
    }
    if ((rc = db_begin(db)))
        goto out;
    if (!(rc = guard(db, token, now, &ans.inv)))
        rc = store_answer(db, a, &ans);
    if (rc)
        db_rollback(db);
out:
    arena_free(a);
    return rc;
}

/* ---- reading answers ---- */

int feedback_responses(struct db *db, struct arena *a, const struct develop_framework *fw,
                       const struct feedback_request *req, struct feedback_response **out,
                       size_t *n)
{
    struct db_stmt *st = NULL;
    struct feedback_response *list = NULL;
    const char **keys = NULL;
    size_t cap = 0, kcap = 0;
    int rc;
    *n = 0;
    *out = NULL;
    if (!req->closed)
        return APP_E_CONFLICT; /* rule 1: nothing while open */
    rc = db_prepare_bind(db, SQL_FR_LIST, &st, "i", req->id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        int g = feedback_group_parse(db_col_text(st, 1));
        int *ratings = arena_calloc(a, fw->nbehaviours ? fw->nbehaviours : 1, sizeof *ratings);
        rc = APP_OK;
        if (g < 0)
            continue;
        if (!ratings || !(list = arena_grow(a, list, *n + 1, &cap, sizeof *list)) ||
            !(keys = arena_grow(a, keys, *n + 1, &kcap, sizeof *keys)) ||
            !(keys[*n] = arena_strdup(a, db_col_text(st, 0))) ||
            !(list[*n].strengths = arena_strdup(a, db_col_text(st, 2))) ||
            !(list[*n].differently = arena_strdup(a, db_col_text(st, 3)))) {
            rc = APP_E_NOMEM;
            break;
        }
        list[*n].group = (enum feedback_group)g;
        list[*n].ratings = ratings;
        (*n)++;
    }
    db_finalize(st);
    st = NULL;
    if (rc != DB_DONE)
        return rc ? rc : APP_E_INTERNAL;
    rc = db_prepare_bind(db, SQL_FR_RATINGS, &st, "i", req->id);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        const char *k = db_col_text(st, 0);
        size_t lo = 0, hi = *n, pos;
        rc = APP_OK;
        /* keys are in the order SQL_FR_LIST sorted them: a binary search by strcmp would
         * assume the engine's collation is bytewise, so look the key up directly */
        for (lo = 0; lo < hi && strcmp(keys[lo], k); lo++)
            ;
        if (lo == hi || !develop_behaviour_find(fw, db_col_text(st, 1), &pos))
            continue;
        ((int *)list[lo].ratings)[pos] = (int)db_col_int(st, 2);
    }
    db_finalize(st);
    if (rc != DB_DONE)
        return rc ? rc : APP_E_INTERNAL;
    *out = list;
    return APP_OK;
}

int feedback_report_load(struct db *db, struct arena *a, int64_t id, int64_t user_id, int64_t now,
                         struct feedback_request *req, struct develop_framework *fw,
                         struct feedback_report *out)
{
    struct develop_answer *self;
    struct feedback_response *resp;
    size_t n;
    int rc;
    if ((rc = feedback_request_get(db, id, user_id, now, req)))
        return rc;
    if (!req->closed)
        return APP_E_CONFLICT;
    if ((rc = develop_version_load(db, a, req->framework_id, fw)) ||
        (rc = develop_self_answers(db, a, fw, req->self_id, &self)) ||
        (rc = feedback_responses(db, a, fw, req, &resp, &n)))
        return rc;
    return feedback_report_build(a, fw, self, resp, n, out);
}

int develop_feedback_domain_gaps(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                                 struct feedback_domain_gap **out, size_t *n, int64_t *request_id)
{
    struct feedback_request *list, req;
    struct develop_framework fw;
    struct feedback_report rep;
    struct feedback_domain_gap *g;
    size_t k;
    int rc = feedback_request_list(db, a, user_id, now, &list, &k);
    *n = 0;
    *out = NULL;
    *request_id = 0;
    if (rc)
        return rc;
    for (size_t i = 0; i < k; i++) {
        if (!list[i].closed)
            continue;
        if ((rc = feedback_report_load(db, a, list[i].id, user_id, now, &req, &fw, &rep)))
            return rc;
        if (!(g = arena_calloc(a, fw.ndomains ? fw.ndomains : 1, sizeof *g)))
            return APP_E_NOMEM;
        for (size_t d = 0; d < fw.ndomains; d++) {
            const struct feedback_figure *f = feedback_domain(&rep, d, FC_ALL);
            g[d].domain_id = fw.domains[d].id;
            g[d].title = fw.domains[d].title;
            g[d].self_scored = rep.self[d].scored;
            g[d].self_mean = rep.self[d].mean;
            g[d].others_shown = f->shown;
            g[d].others_mean = f->shown ? f->mean : 0;
            g[d].others_n = f->shown ? rep.cell_n[FC_ALL] : 0;
        }
        *out = g;
        *n = fw.ndomains;
        *request_id = list[i].id;
        return APP_OK;
    }
    return APP_OK;
}
