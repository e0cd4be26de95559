/* contribution.c: contributions and replies — redaction and holding on the way in, the feed
 * and a participant's own list on the way out
 *
 * The text people read is always the redacted one. What was removed is kept in `original`
 * for moderators until publication, with the kinds found, so a moderator can see why. A
 * contribution waits for review when the exercise is pre-moderated, its text contains a hold
 * word, or redaction took something out of it (what is left may still name someone);
 * otherwise it is shown at once and can be taken down afterwards.
 */
#include "listen/listen.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "store/db.h"
#include "text/redact.h"

#include <string.h>
#include <time.h>

/* Names of the kinds in mask, comma-separated, for moderators. */
static void kinds_text(unsigned mask, struct buf *b)
{
    static const enum redact_kind all[] = {REDACT_EMAIL, REDACT_PHONE, REDACT_NHS_NUMBER,
                                           REDACT_POSTCODE, REDACT_URL};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (mask & all[i]) {
            if (b->len)
                buf_putc(b, ',');
            buf_puts(b, redact_kind_name(all[i]));
        }
}

int listen_contribution_row(struct db_stmt *st, struct arena *a, int64_t participant,
                            struct listen_contribution *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int(st, 0);
    c->prompt_id = db_col_int(st, 1);
    c->parent_id = db_col_int(st, 2);
    c->participant_id = db_col_int(st, 3);
    c->body = arena_strdup(a, db_col_text(st, 4));
    c->original = db_col_null(st, 5) ? NULL : arena_strdup(a, db_col_text(st, 5));
    c->redactions = arena_strdup(a, db_col_text(st, 6));
    if (listen_cstatus_parse(db_col_text(st, 7), &c->status))
        return APP_E_INTERNAL; /* the table's CHECK allows no other */
    c->hidden = db_col_int(st, 8) != 0;
    c->reviewed = db_col_int(st, 9) != 0;
    c->hold_reason = arena_strdup(a, db_col_text(st, 10));
    c->reject_reason = arena_strdup(a, db_col_text(st, 11));
    c->audience = arena_strdup(a, db_col_text(st, 12));
    c->flags = (int)db_col_int(st, 13);
    c->votes = (int)db_col_int(st, 14);
    c->agrees = (int)db_col_int(st, 15);
    c->disagrees = (int)db_col_int(st, 16);
    c->passes = (int)db_col_int(st, 17);
    c->created_at = db_col_int(st, 18);
    /* The participant's vote, when the query has one (LC_COLS then v.vote, NULL for none). */
    if (db_column_count(st) > 19 && !db_col_null(st, 19)) {
        c->voted = true;
        c->my_vote = (int)db_col_int(st, 19);
    }
    c->mine = participant && c->participant_id == participant;
    if (!c->body || !c->redactions || !c->hold_reason || !c->reject_reason || !c->audience)
        return APP_E_NOMEM;
    return APP_OK;
}

/* Runs a prepared query and collects its contributions into an arena array. */
static int collect(struct db_stmt *st, struct arena *a, int64_t participant, size_t limit,
                   struct listen_contribution **out, size_t *n)
{
    size_t cap = 0;
    int rc;
    *n = 0;
    *out = arena_grow(a, NULL, limit ? limit : 1, &cap, sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    while ((rc = db_step(st)) == DB_ROW) {
        struct listen_contribution *np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np)
            return APP_E_NOMEM;
        *out = np;
        rc = listen_contribution_row(st, a, participant, &(*out)[*n]);
        if (rc)
            return rc;
        (*n)++;
    }
    return rc == DB_DONE ? APP_OK : rc;
}

int listen_contribute(struct db *db, const struct listen_exercise *e, int64_t participant,
                      int64_t prompt_id, int64_t parent_id, const char *text, int per_minute,
                      int64_t *id, enum listen_cstatus *status_out)
{
    struct arena *a = arena_new();
    struct buf body = BUF_INIT, kinds = BUF_INIT;
    struct db_stmt *st = NULL;
    const char **words = NULL;
    struct str t = str_trim(str_from(text));
    size_t nwords = 0;
    unsigned found = 0;
    int64_t now = (int64_t)time(NULL);
    bool held, tx = false;
    int rc;
    if (!a)
        return APP_E_NOMEM;
    if (!listen_exercise_accepting(e, now)) {
        rc = APP_E_CLOSED;
        goto done;
    }
    if (t.len == 0 || utf8_count(t.p, t.len) > LISTEN_TEXT_MAX || !utf8_valid(t.p, t.len)) {
        rc = APP_E_INVALID;
        goto done;
    }
    /* Redaction reads no data: done before the write lock is taken. */
    rc = redact_text(t.p, t.len, &body, &found);
    if (rc)
        goto done;
    kinds_text(found, &kinds);
    /* The exercise is asked again in the transaction that inserts (one closed since the page
     * looked takes nothing: APP_E_CLOSED), and the limit is counted there, so concurrent posts
     * of one participant queue on its row and a refused or failed post counts nothing. */
    rc = db_begin(db);
    tx = rc == APP_OK;
    if (!rc)
        rc = listen_exercise_taking(db, e->id, now);
    if (!rc)
        rc = listen_rate_take(db, participant, "post", per_minute, now);
    if (rc)
        goto done;
    if (parent_id) {
        /* A reply answers a shown contribution of this exercise, under the same prompt. */
        struct listen_contribution parent;
        rc = db_row(db, SQL_LC_GET, &st, "ii", parent_id, participant);
        if (rc == APP_OK) {
            rc = listen_contribution_row(st, a, participant, &parent);
            if (!rc && (parent.status != LCS_APPROVED || parent.hidden || parent.parent_id != 0))
                rc = APP_E_INVALID;
            prompt_id = parent.prompt_id;
        } else if (rc == APP_E_NOTFOUND) {
            rc = APP_E_INVALID;
        }
        db_finalize(st);
        st = NULL;
        if (rc)
            goto done;
        {
            /* the parent must belong to this exercise: its prompt is one of ours */
            bool ours = false;
            for (size_t i = 0; i < e->nprompts; i++)
                ours |= e->prompts[i].id == prompt_id;
            if (!ours) {
                rc = APP_E_INVALID;
                goto done;
            }
        }
    } else {
        bool ours = false;
        for (size_t i = 0; i < e->nprompts; i++)
            ours |= e->prompts[i].id == prompt_id;
        if (!ours) {
            rc = APP_E_INVALID;
            goto done;
        }
    }
    rc = listen_hold_words(db, a, &words, &nwords);
    if (rc)
        goto done;
    {
        char *plain = str_dup(a, t);
        if (!plain) {
            rc = APP_E_NOMEM;
            goto done;
        }
        held = listen_text_held(plain, words, nwords);
        if (buf_oom(&body) || buf_oom(&kinds)) {
            rc = APP_E_NOMEM;
            goto done;
        }
        /* personal details taken out are a sign of more left in (a name beside a removed
         * phone number): it waits for a moderator, as a hold word makes it */
        *status_out = held || found || e->pre_moderation ? LCS_PENDING : LCS_APPROVED;
        rc = db_run_int(db, SQL_LC_INSERT, id, "iIIittttti", e->id, prompt_id, parent_id,
                        participant, body.data, found ? plain : NULL, kinds.data ? kinds.data : "",
                        listen_cstatus_name(*status_out),
                        held                ? "word_list"
                        : found             ? "redaction"
                        : e->pre_moderation ? "pre_moderation"
                                            : "",
                        now);
    }
    if (!rc)
        rc = db_commit(db);
done:
    db_finalize(st);
    if (rc && tx)
        db_rollback(db);
    buf_free(&body);
    buf_free(&kinds);
    arena_free(a);
    return rc;
}

int listen_feed(struct db *db, struct arena *a, int64_t exercise_id, int64_t prompt_id,
                int64_t participant, int64_t seed, int offset, int limit,
                struct listen_contribution **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LC_FEED_COUNT, &st, "ii", exercise_id, prompt_id);
    if (rc)
        return rc;
    *total = db_col_int(st, 0);
    db_finalize(st);
    rc = db_prepare_bind(db, SQL_LC_FEED, &st, "iiiiii", exercise_id, participant, prompt_id,
                         seed % 1000003 + 1, (int64_t)limit, (int64_t)offset);
    if (!rc)
        rc = collect(st, a, participant, (size_t)limit, out, n);
    db_finalize(st);
    return rc;
}

int listen_replies(struct db *db, struct arena *a, int64_t parent, int64_t participant,
                   struct listen_contribution **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_LC_REPLIES, &st, "ii", parent, participant);
    if (!rc)
        rc = collect(st, a, participant, 8, out, n);
    db_finalize(st);
    return rc;
}

int listen_mine(struct db *db, struct arena *a, int64_t exercise_id, int64_t participant,
                struct listen_contribution **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_LC_MINE, &st, "ii", exercise_id, participant);
    if (!rc)
        rc = collect(st, a, participant, 16, out, n);
    db_finalize(st);
    return rc;
}

int listen_withdraw(struct db *db, int64_t participant, int64_t contribution)
{
    int rc = db_run(db, SQL_LC_WITHDRAW, "iii", contribution, participant, (int64_t)time(NULL));
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    return rc;
}

/* ---- one statement at a time ---- */

int listen_statement_next(struct db *db, struct arena *a, int64_t exercise_id, int64_t participant,
                          int64_t seed, struct listen_contribution *out, bool *found)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LC_NEXT, &st, "iii", exercise_id, participant, seed % 1000003 + 1);
    *found = false;
    if (rc == APP_OK) {
        rc = listen_contribution_row(st, a, participant, out);
        *found = rc == APP_OK;
    } else if (rc == APP_E_NOTFOUND) {
        rc = APP_OK;
    }
    db_finalize(st);
    return rc;
}

int listen_statement_get(struct db *db, struct arena *a, const struct listen_exercise *e,
                         int64_t participant, int64_t id, struct listen_contribution *out)
{
    struct db_stmt *st = NULL;
    bool ours = false;
    int rc = db_row(db, SQL_LC_GET, &st, "ii", id, participant);
    if (!rc)
        rc = listen_contribution_row(st, a, participant, out);
    db_finalize(st);
    for (size_t i = 0; !rc && i < e->nprompts; i++)
        ours |= e->prompts[i].id == out->prompt_id;
    /* only a shown statement of this exercise that someone else wrote */
    if (!rc && (!ours || out->status != LCS_APPROVED || out->hidden || out->parent_id || out->mine))
        rc = APP_E_NOTFOUND;
    return rc;
}

int listen_vote_progress(struct db *db, int64_t exercise_id, int64_t participant, int64_t *voted,
                         int64_t *total)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LC_PROGRESS, &st, "ii", exercise_id, participant);
    *voted = *total = 0;
    if (!rc) {
        *total = db_col_int(st, 0);
        *voted = db_col_int(st, 1);
    }
    db_finalize(st);
    return rc;
}

int listen_my_votes(struct db *db, struct arena *a, int64_t exercise_id, int64_t participant,
                    struct listen_contribution **out, size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = db_prepare_bind(db, SQL_LC_MY_VOTES, &st, "ii", exercise_id, participant);
    if (!rc)
        rc = collect(st, a, participant, 16, out, n);
    db_finalize(st);
    return rc;
}
