/* moderation.c: the moderation queue, moderators' decisions, and the hold-word list
 *
 * Every decision is written to listen_moderation_log with the moderator and the reason. A
 * moderator's decision marks the contribution reviewed, so later flags count but no longer
 * hide it: people cannot take down what a moderator has looked at and approved.
 */
#include "listen/listen.h"
#include "account/account.h"
#include "listen/store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "store/db.h"
#include "text/redact.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

int listen_queue(struct db *db, struct arena *a, int64_t exercise_id, const char *filter,
                 int offset, int limit, struct listen_contribution **out, size_t *n,
                 int64_t *total, struct listen_queue_counts *counts)
{
    struct db_stmt *st = NULL;
    size_t cap = (size_t)(limit > 0 ? limit : 1);
    int rc = db_row(db, SQL_LC_COUNTS, &st, "i", exercise_id);
    if (rc)
        return rc;
    counts->pending = db_col_int(st, 0);
    counts->hidden = db_col_int(st, 1);
    counts->flagged = db_col_int(st, 2);
    counts->approved = db_col_int(st, 3);
    counts->rejected = db_col_int(st, 4);
    counts->withdrawn = db_col_int(st, 5);
    db_finalize(st);
    rc = db_row(db, SQL_LC_QUEUE_COUNT, &st, "it", exercise_id, filter);
    if (rc)
        return rc;
    *total = db_col_int(st, 0);
    db_finalize(st);
    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    if (!*out)
        return APP_E_NOMEM;
    rc = db_prepare_bind(db, SQL_LC_QUEUE, &st, "itii", exercise_id, filter, (int64_t)limit,
                         (int64_t)offset);
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        rc = listen_contribution_row(st, a, 0, &(*out)[(*n)++]);
        if (rc)
            break;
        rc = DB_ROW;
    }
    db_finalize(st);
    return rc == DB_DONE || rc == DB_ROW ? APP_OK : rc;
}

/* One decision inside the caller's transaction: the change, then its line in the log. */
static int decide(struct db *db, int64_t exercise_id, int64_t contribution, int64_t moderator,
                  enum listen_decision action, const char *reason, const char *text,
                  int64_t now)
{
    struct buf body = BUF_INIT, kinds = BUF_INIT;
    int rc;
    if (action == LD_REDACT) {
        /* The moderator's edit goes through the automatic redaction too. What was written
         * first is kept as the original (COALESCE in the query), until publication. */
        struct str t = str_trim(str_from(text));
        unsigned found = 0;
        if (t.len == 0 || utf8_count(t.p, t.len) > LISTEN_TEXT_MAX) {
            rc = APP_E_INVALID;
            goto done;
        }
        rc = redact_text(t.p, t.len, &body, &found);
        buf_puts(&kinds, "moderator");
        if (!rc && (buf_oom(&body) || buf_oom(&kinds)))
            rc = APP_E_NOMEM;
        if (!rc)
            rc = db_run(db, SQL_LC_SET_BODY, "iitti", contribution, exercise_id, body.data,
                        kinds.data, now);
    } else {
        /* approve and restore both show it */
        enum listen_cstatus to = action == LD_REJECT ? LCS_REJECTED : LCS_APPROVED;
        rc = db_run(db, SQL_LC_MODERATE, "iitti", contribution, exercise_id,
                    listen_cstatus_name(to), action == LD_REJECT ? reason : "", now);
    }
    if (!rc && db_changes(db) == 0)
        rc = APP_E_NOTFOUND;
    if (!rc)
        rc = db_run(db, SQL_LM_LOG, "iiItti", exercise_id, contribution, moderator,
                    listen_decision_name(action), reason ? reason : "", now);
done:
    buf_free(&body);
    buf_free(&kinds);
    return rc;
}

int listen_moderate(struct db *db, int64_t exercise_id, int64_t contribution,
                    int64_t moderator, enum listen_decision action, const char *reason,
                    const char *text)
{
    int rc;
    if (action == LD_REJECT && (!reason || !*reason))
        return APP_E_INVALID;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = decide(db, exercise_id, contribution, moderator, action, reason, text,
                (int64_t)time(NULL));
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_contribution_of(struct db *db, int64_t exercise_id, int64_t contribution, bool *found)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_LC_OF_EXERCISE, &st, "ii", contribution, exercise_id);
    db_finalize(st);
    *found = rc == APP_OK;
    return rc == APP_E_NOTFOUND ? APP_OK : rc;
}

int listen_moderate_many(struct db *db, int64_t exercise_id, const int64_t *ids, size_t n,
                         int64_t moderator, enum listen_decision action, const char *reason)
{
    int64_t now = (int64_t)time(NULL);
    int rc;
    if (action != LD_APPROVE && action != LD_REJECT)
        return APP_E_INVALID; /* redacting needs a text per contribution */
    if (!n || (action == LD_REJECT && (!reason || !*reason)))
        return APP_E_INVALID;
    rc = db_begin(db);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < n; i++)
        rc = decide(db, exercise_id, ids[i], moderator, action, reason, NULL, now);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int listen_flag_reasons(struct db *db, struct arena *a, int64_t contribution,
                        const char ***out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare_bind(db, SQL_LF_REASONS, &st, "i", contribution);
    *n = 0;
    *out = NULL;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        const char **np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np || !(np[*n] = arena_strdup(a, db_col_text(st, 0)))) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = np;
        (*n)++;
        rc = APP_OK;
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

int listen_hold_words(struct db *db, struct arena *a, const char ***out, size_t *n)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc = db_prepare(db, SQL_LW_LIST, &st);
    *n = 0;
    *out = arena_grow(a, NULL, 1, &cap, sizeof **out);
    if (!*out) {
        db_finalize(st);
        return APP_E_NOMEM;
    }
    if (rc)
        return rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char **np = arena_grow(a, *out, *n + 1, &cap, sizeof *np);
        if (!np) {
            rc = APP_E_NOMEM;
            break;
        }
        *out = np;
        (*out)[*n] = arena_strdup(a, db_col_text(st, 0));
        if (!(*out)[(*n)++]) {
            rc = APP_E_NOMEM;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_DONE ? APP_OK : rc;
}

/* Words are kept lower case, trimmed, one line, at most 60 characters. */
static int normal_word(const char *w, char out[64])
{
    struct str t = str_trim(str_from(w));
    if (t.len == 0 || t.len > 60)
        return APP_E_INVALID;
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.p[i];
        if (c < 0x20)
            return APP_E_INVALID;
        out[i] = (char)tolower(c);
    }
    out[t.len] = '\0';
    return APP_OK;
}

int listen_hold_word_change(struct db *db, int64_t actor, const char *word, bool remove)
{
    char w[64];
    int rc = normal_word(word, w);
    if (rc || (rc = db_begin(db)))
        return rc;
    /* an admin demoted or deactivated since the page was checked changes nothing (the
     * command line, actor 0, answers to whoever runs it) */
    if (actor && (rc = account_admin_hold(db, actor)))
        goto done;
    rc = remove ? db_run(db, SQL_LW_DELETE, "t", w)
                : db_run(db, SQL_LW_INSERT, "ti", w, (int64_t)time(NULL));
    if (rc == APP_OK)
        rc = db_commit(db);
done:
    if (rc && db_in_tx(db))
        db_rollback(db);
    return rc;
}

static bool word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '\'';
}

bool listen_text_held(const char *text, const char *const *words, size_t n)
{
    size_t tl = strlen(text);
    for (size_t w = 0; w < n; w++) {
        size_t wl = strlen(words[w]);
        if (!wl || wl > tl)
            continue;
        for (size_t i = 0; i + wl <= tl; i++) {
            if (strncasecmp(text + i, words[w], wl) != 0)
                continue;
            if ((i == 0 || !word_char((unsigned char)text[i - 1])) &&
                (i + wl == tl || !word_char((unsigned char)text[i + wl])))
                return true;
        }
    }
    return false;
}
