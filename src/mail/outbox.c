/* outbox.c: reading the outbox for admins, sending a failed message again, clearing old bodies
 *
 * The outbox is the record of every message: what was sent to whom, when, and what the
 * server answered. It also holds, until the message is sent, links that act for the
 * recipient, which is why only admins read it and why sent messages lose their bodies after
 * MAIL_KEEP_SENT_SECS.
 */
#include "mail/mail.h"
#include "mail/store.h"
#include "account/account.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/rand.h"
#include "store/db.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool mail_state_ok(const char *state)
{
    return state && (!strcmp(state, "queued") || !strcmp(state, "sending") ||
                     !strcmp(state, "sent") || !strcmp(state, "failed"));
}

/* Fills it from a row of MAIL_COLS; false when out of memory. */
static bool read_item(struct db_stmt *st, struct arena *a, struct mail_item *it)
{
    memset(it, 0, sizeof *it);
    it->key = arena_strndup(a, db_col_text(st, 0), db_col_len(st, 0));
    it->kind = arena_strndup(a, db_col_text(st, 1), db_col_len(st, 1));
    it->recipient = arena_strndup(a, db_col_text(st, 2), db_col_len(st, 2));
    it->subject = arena_strndup(a, db_col_text(st, 3), db_col_len(st, 3));
    it->state = arena_strndup(a, db_col_text(st, 4), db_col_len(st, 4));
    it->last_error = arena_strndup(a, db_col_text(st, 5), db_col_len(st, 5));
    it->claimed_by = arena_strndup(a, db_col_text(st, 6), db_col_len(st, 6));
    it->attempts = db_col_int(st, 7);
    it->created_at = db_col_int(st, 8);
    it->next_attempt_at = db_col_int(st, 9);
    it->sent_at = db_col_int(st, 10);
    it->resent_from = arena_strndup(a, db_col_text(st, 11), db_col_len(st, 11));
    it->bodies_purged_at = db_col_int(st, 12);
    it->body_text = it->body_html = "";
    return it->key && it->kind && it->recipient && it->subject && it->state && it->last_error &&
           it->claimed_by && it->resent_from;
}

int mail_outbox_list(struct db *db, struct arena *a, const char *state, int offset, int limit,
                     struct mail_item **out, size_t *n, int64_t *total)
{
    struct db_stmt *st = NULL;
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    if (!state)
        state = "";
    rc = db_row(db, SQL_MAIL_COUNT, &st, "t", state);
    if (rc)
        goto done;
    *total = db_col_int(st, 0);
    db_finalize(st);
    st = NULL;
    rc = db_prepare_bind(db, SQL_MAIL_LIST, &st, "tii", state, (int64_t)limit, (int64_t)offset);
    if (rc)
        goto done;
    while ((rc = db_step(st)) == DB_ROW) {
        if (!(*out = arena_grow(a, *out, *n + 1, &cap, sizeof **out)) ||
            !read_item(st, a, &(*out)[*n])) {
            rc = APP_E_NOMEM;
            goto done;
        }
        (*n)++;
    }
    rc = rc == DB_DONE ? APP_OK : rc;
done:
    db_finalize(st);
    return rc;
}

int mail_outbox_get(struct db *db, struct arena *a, const char *key, struct mail_item *out)
{
    struct db_stmt *st = NULL;
    int rc = db_row(db, SQL_MAIL_GET, &st, "t", key);
    if (rc)
        goto done;
    if (!read_item(st, a, out) ||
        !(out->body_text = arena_strndup(a, db_col_text(st, 13), db_col_len(st, 13))) ||
        !(out->body_html = arena_strndup(a, db_col_text(st, 14), db_col_len(st, 14))))
        rc = APP_E_NOMEM;
done:
    db_finalize(st);
    return rc;
}

int mail_outbox_resend(struct db *db, int64_t actor, const char *key, char new_key[33])
{
    struct db_stmt *st = NULL;
    unsigned char raw[16];
    char detail[128];
    int64_t new_id = 0;
    int rc;
    if ((rc = rand_bytes(raw, sizeof raw)))
        return rc;
    sodium_bin2hex(new_key, 33, raw, sizeof raw);
    if ((rc = db_begin(db)))
        return rc;
    /* an admin demoted or deactivated meanwhile changes nothing (the command line, actor 0,
     * answers to whoever runs it) */
    if (actor && (rc = account_admin_hold(db, actor)))
        goto done;
    rc = db_run_int(db, SQL_MAIL_RESEND, &new_id, "tti", key, new_key, (int64_t)time(NULL));
    if (rc == APP_E_NOTFOUND) {
        /* nothing copied: say whether the message is missing or not in a state to resend */
        rc = db_row(db, SQL_MAIL_GET, &st, "t", key);
        rc = rc == APP_OK ? APP_E_CONFLICT : rc;
        goto done;
    }
    if (rc)
        goto done;
    snprintf(detail, sizeof detail, "message %s sent again as message %s", key, new_key);
    if ((rc = account_audit(db, "mail_resent", actor, 0, detail)))
        goto done;
    rc = db_commit(db);
done:
    db_finalize(st);
    if (rc)
        db_rollback(db);
    else
        mail_sender_wake();
    return rc;
}

int mail_outbox_purge(struct db *db, int64_t now, int64_t *n)
{
    int64_t sent = 0;
    int rc = db_run(db, SQL_MAIL_PURGE, "ii", now, now - MAIL_KEEP_SENT_SECS);
    if (!rc) {
        sent = db_changes(db);
        rc = db_run(db, SQL_MAIL_PURGE_UNLISTED_FAILED, "i", now);
    }
    if (!rc) {
        sent += db_changes(db);
        rc = db_run(db, SQL_MAIL_PURGE_EXPIRED, "i", now);
    }
    if (n)
        *n = rc ? 0 : sent + db_changes(db);
    return rc;
}
